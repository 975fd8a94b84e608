#include "sim/aws/target_health.h"

#include <algorithm>

namespace sim::aws {

namespace m = ::sim::model::aws;

void TargetHealthEngine::Observe(HealthHistory& h, const m::TargetGroup& tg, const m::TargetDescription& target,
                                 SimTime now) const {
  if (!probe_) return;
  HealthProbeAnswer a = probe_(tg, target).value_or(HealthProbeAnswer{});
  if (!h.empty() && h.back().answer == a) return;
  if (!h.empty() && h.back().since >= now) {
    h.back().answer = a;  // changed again at the same instant: the latest answer counts
    return;
  }
  h.push_back(HealthHistoryEntry{now, a});
}

m::TargetHealth TargetHealthEngine::Evaluate(HealthHistory& history, const m::TargetGroup& tg,
                                             const m::TargetDescription& target, SimTime eligible, SimTime now) const {
  Observe(history, tg, target, now);
  return Run(history, tg, eligible, now).health;
}

std::optional<SimTime> TargetHealthEngine::NextTransition(const HealthHistory& history, const m::TargetGroup& tg,
                                                          SimTime eligible, SimTime now) const {
  return Run(history, tg, eligible, now).next;
}

// Replays the checks at eligible + k*interval (k >= 1) up to `now`, one constant-answer segment
// at a time; the answer before the first recorded one is that first answer.
TargetHealthEngine::Verdict TargetHealthEngine::Run(const HealthHistory& history, const m::TargetGroup& tg,
                                                    SimTime eligible, SimTime now) const {
  const int64_t interval = std::max<int64_t>(1, tg.health_check_interval_seconds) * 1000;
  const int64_t up = std::max(1, tg.healthy_threshold_count);
  const int64_t down = std::max(1, tg.unhealthy_threshold_count);
  static const HealthHistory kAlwaysPass = {HealthHistoryEntry{SimTime{0}, HealthProbeAnswer{}}};
  const HealthHistory& h = history.empty() ? kAlwaysPass : history;

  // Number of checks in (eligible, t]: checks happen at eligible + k*interval.
  auto checks_until = [&](SimTime t) -> int64_t {
    if (t <= eligible) return 0;
    return (t - eligible).count() / interval;
  };
  std::string state = m::kTargetStateInitial;
  HealthProbeAnswer last;
  int64_t run = 0;          // consecutive checks with the current answer's pass value
  bool run_pass = true;
  int64_t done = 0;         // checks replayed so far
  const int64_t total = checks_until(now);
  for (size_t i = 0; i < h.size() && done < total; ++i) {
    const SimTime seg_end = i + 1 < h.size() ? h[i + 1].since - SimTime{1} : now;
    int64_t upto = std::min(total, checks_until(std::max(seg_end, eligible)));
    if (i + 1 == h.size()) upto = total;
    const int64_t n = upto - done;
    if (n <= 0) continue;
    const HealthProbeAnswer& a = h[i].answer;
    if (run > 0 && run_pass == a.pass) {
      run += n;
    } else {
      run = n;
      run_pass = a.pass;
    }
    last = a;
    done = upto;
    if (a.pass && run >= up) state = m::kTargetStateHealthy;
    if (!a.pass && run >= down) state = m::kTargetStateUnhealthy;
  }
  Verdict v;
  if (state == m::kTargetStateHealthy) {
    v.health = m::TargetHealth{m::kTargetStateHealthy, "", ""};
  } else if (state == m::kTargetStateUnhealthy) {
    v.health = m::TargetHealth{m::kTargetStateUnhealthy, last.reason.empty() ? "Target.FailedHealthChecks" : last.reason,
                               last.description.empty() ? "Health checks failed" : last.description};
  } else if (done > 0) {
    v.health = m::TargetHealth{m::kTargetStateInitial, "Elb.InitialHealthChecking", "Initial health checks in progress"};
  } else {
    v.health = m::TargetHealth{m::kTargetStateInitial, "Elb.RegistrationInProgress", "Target registration is in progress"};
  }
  // Next change if the current answer holds: the first check, or the check that completes the run.
  const HealthProbeAnswer& cur = h.back().answer;
  const int64_t cur_run = (done > 0 && run_pass == cur.pass) ? run : 0;
  const bool settled = (cur.pass && state == m::kTargetStateHealthy) || (!cur.pass && state == m::kTargetStateUnhealthy);
  if (done == 0) {
    v.next = eligible + SimTime{interval};
  } else if (!settled) {
    const int64_t need = (cur.pass ? up : down) - cur_run;
    v.next = eligible + SimTime{interval * (done + std::max<int64_t>(need, 1))};
  }
  if (v.next && *v.next <= now) v.next.reset();
  return v;
}

}  // namespace sim::aws
