#include "sim/aws/target_health.h"

#include <algorithm>

namespace sim::aws {

namespace m = ::sim::model::aws;

bool TargetHealthEngine::Observe(HealthHistory& h, const m::TargetGroup& tg, const m::TargetDescription& target,
                                 SimTime now) const {
  if (!probe_) return false;
  const HealthProbeAnswer* answer = probe_(tg, target, &h.probe_memo);
  const uint32_t a = answer ? Intern(*answer) : 0;
  if (!h.empty() && h.back().answer == a) return false;
  if (!h.empty() && h.back().since >= now) {
    h.back().answer = a;  // changed again at the same instant: the latest answer counts
    return true;
  }
  h.push_back(HealthHistoryEntry{now, a});
  return true;
}

uint32_t TargetHealthEngine::Intern(const HealthProbeAnswer& a) const {
  if (a == answers_[0]) return 0;
  if (a == answers_[last_interned_]) return last_interned_;
  std::string key;
  key.reserve(a.reason.size() + a.description.size() + 2);
  key.push_back(a.pass ? 'p' : 'f');
  key.append(a.reason).push_back('\x1f');
  key.append(a.description);
  auto [it, added] = answer_ids_.try_emplace(std::move(key), static_cast<uint32_t>(answers_.size()));
  if (added) answers_.push_back(a);
  last_interned_ = it->second;
  return it->second;
}

m::TargetHealth TargetHealthEngine::Evaluate(HealthHistory& history, const m::TargetGroup& tg,
                                             const m::TargetDescription& target, SimTime eligible, SimTime now) const {
  Observe(history, tg, target, now);
  return HealthAt(history, tg, eligible, now);
}

m::TargetHealth TargetHealthEngine::HealthAt(const HealthHistory& history, const m::TargetGroup& tg, SimTime eligible,
                                             SimTime now) const {
  return HealthOf(Run(history, tg, eligible, now));
}

std::optional<SimTime> TargetHealthEngine::NextTransition(const HealthHistory& history, const m::TargetGroup& tg,
                                                          SimTime eligible, SimTime now) const {
  return NextOf(Run(history, tg, eligible, now), history, tg, eligible, now);
}

namespace {

const HealthHistory& OrAlwaysPass(const HealthHistory& history) {
  static const HealthHistory kAlwaysPass = {HealthHistoryEntry{SimTime{0}, 0}};
  return history.empty() ? kAlwaysPass : history;
}

int64_t IntervalMs(const m::TargetGroup& tg) { return std::max<int64_t>(1, tg.health_check_interval_seconds) * 1000; }

}  // namespace

// Replays the checks at eligible + k*interval (k >= 1) up to `now`, one constant-answer segment
// at a time; the answer before the first recorded one is that first answer.
TargetHealthEngine::Replay TargetHealthEngine::Run(const HealthHistory& history, const m::TargetGroup& tg,
                                                   SimTime eligible, SimTime now) const {
  const int64_t interval = IntervalMs(tg);
  const int64_t up = std::max(1, tg.healthy_threshold_count);
  const int64_t down = std::max(1, tg.unhealthy_threshold_count);
  const HealthHistory& h = OrAlwaysPass(history);

  // Number of checks in (eligible, t]: checks happen at eligible + k*interval.
  auto checks_until = [&](SimTime t) -> int64_t {
    if (t <= eligible) return 0;
    return (t - eligible).count() / interval;
  };
  Replay r;
  const int64_t total = checks_until(now);
  for (size_t i = 0; i < h.size() && r.done < total; ++i) {
    const SimTime seg_end = i + 1 < h.size() ? h[i + 1].since - SimTime{1} : now;
    int64_t upto = std::min(total, checks_until(std::max(seg_end, eligible)));
    if (i + 1 == h.size()) upto = total;
    const int64_t n = upto - r.done;
    if (n <= 0) continue;
    const HealthProbeAnswer& a = answers_[h[i].answer];
    if (r.run > 0 && r.run_pass == a.pass) {
      r.run += n;
    } else {
      r.run = n;
      r.run_pass = a.pass;
    }
    r.last = &a;
    r.done = upto;
    if (a.pass && r.run >= up) r.state = Replay::State::kHealthy;
    if (!a.pass && r.run >= down) r.state = Replay::State::kUnhealthy;
  }
  return r;
}

m::TargetHealth TargetHealthEngine::HealthOf(const Replay& r) {
  switch (r.state) {
    case Replay::State::kHealthy:
      return m::TargetHealth{m::kTargetStateHealthy, "", ""};
    case Replay::State::kUnhealthy: {
      static const HealthProbeAnswer kNone;
      const HealthProbeAnswer& last = r.last ? *r.last : kNone;
      return m::TargetHealth{m::kTargetStateUnhealthy, last.reason.empty() ? "Target.FailedHealthChecks" : last.reason,
                             last.description.empty() ? "Health checks failed" : last.description};
    }
    case Replay::State::kInitial:
      break;
  }
  if (r.done > 0) {
    return m::TargetHealth{m::kTargetStateInitial, "Elb.InitialHealthChecking", "Initial health checks in progress"};
  }
  return m::TargetHealth{m::kTargetStateInitial, "Elb.RegistrationInProgress", "Target registration is in progress"};
}

// Next change if the current answer holds: the first check, or the check that completes the run.
std::optional<SimTime> TargetHealthEngine::NextOf(const Replay& r, const HealthHistory& history,
                                                  const m::TargetGroup& tg, SimTime eligible, SimTime now) const {
  const int64_t interval = IntervalMs(tg);
  const int64_t up = std::max(1, tg.healthy_threshold_count);
  const int64_t down = std::max(1, tg.unhealthy_threshold_count);
  const HealthProbeAnswer& cur = answers_[OrAlwaysPass(history).back().answer];
  const int64_t cur_run = (r.done > 0 && r.run_pass == cur.pass) ? r.run : 0;
  const bool settled = (cur.pass && r.state == Replay::State::kHealthy) ||
                       (!cur.pass && r.state == Replay::State::kUnhealthy);
  std::optional<SimTime> next;
  if (r.done == 0) {
    next = eligible + SimTime{interval};
  } else if (!settled) {
    const int64_t need = (cur.pass ? up : down) - cur_run;
    next = eligible + SimTime{interval * (r.done + std::max<int64_t>(need, 1))};
  }
  if (next && *next <= now) next.reset();
  return next;
}

}  // namespace sim::aws
