#include "sim/scenario/convergence.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "sim/aws/aws_json.h"
#include "sim/aws/fake_aws.h"
#include "sim/scenario/runner.h"

namespace sim::scenario {

namespace {

namespace m = model::aws;

constexpr SimTime kRestartAfter{10'000};  // a crashed pod is back 10 s later (first kubelet backoff)

// Generated identifier -> stable name; replaced longest first so that no ID eats part of another.
class Renamer {
 public:
  void Add(const std::string& id, const std::string& name) {
    if (!id.empty()) names_[id] = name;
  }
  std::string Apply(std::string text) const {
    std::vector<const std::pair<const std::string, std::string>*> order;
    for (const auto& e : names_) order.push_back(&e);
    std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->first.size() > b->first.size(); });
    for (const auto* e : order) {
      for (size_t pos = text.find(e->first); pos != std::string::npos; pos = text.find(e->first, pos)) {
        text.replace(pos, e->first.size(), e->second);
        pos += e->second.size();
      }
    }
    return text;
  }

 private:
  std::map<std::string, std::string> names_;
};

std::string WithoutCreatedTime(std::string json) {
  static const std::regex kCreated("\"CreatedTime\":\"[^\"]*\",?");
  return std::regex_replace(json, kCreated, "");
}

// Targets as `id:port` (health depends on when the run stopped, not on what was built).
std::string TargetsOf(const std::vector<m::TargetHealthDescription>& health) {
  std::vector<std::string> ids;
  for (const auto& t : health) {
    ids.push_back(t.target.id + ":" + (t.target.port ? std::to_string(*t.target.port) : std::string("-")));
  }
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

std::vector<std::string> Difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

struct Outcome {
  bool ran = false;
  std::string fatal;
  int64_t controller_calls = 0;
  std::vector<std::string> state;
};

Outcome Run(const Scenario& scenario) {
  Outcome out;
  RunOptions options;
  options.step_snapshots = false;
  options.final_snapshot = false;
  options.inspect_aws = [&](aws::FakeAws& aws) {
    out.ran = true;
    out.state = CanonicalAwsState(aws);
  };
  RunRecord rec = RunScenario(scenario, options);
  out.fatal = rec.fatal_error;
  for (const auto& c : rec.api_calls) out.controller_calls += c.caller == "controller" ? 1 : 0;
  return out;
}

}  // namespace

std::vector<std::string> CanonicalAwsState(const aws::FakeAws& aws) {
  const aws::Elbv2Snapshot snap = aws.elbv2().Snapshot();
  const std::vector<m::SecurityGroup> sgs = aws.ec2().SecurityGroupsForSim();
  Renamer ids;
  std::map<std::string, std::string> listener_names;
  for (const auto& lb : snap.load_balancers) {
    ids.Add(lb.load_balancer_arn, "lb/" + lb.load_balancer_name);
    ids.Add(lb.dns_name, "dns/" + lb.load_balancer_name);
  }
  for (const auto& tg : snap.target_groups) ids.Add(tg.target_group_arn, "tg/" + tg.target_group_name);
  for (const auto& ls : snap.listeners) {
    std::string lb_name = ids.Apply(ls.load_balancer_arn);
    std::string name = lb_name + "/listener:" + (ls.port ? std::to_string(*ls.port) : std::string("-"));
    ids.Add(ls.listener_arn, name);
    listener_names[ls.listener_arn] = name;
  }
  for (const auto& r : snap.rules) {
    // Rule ARNs name their listener: the rule is known by listener and priority.
    std::string listener;
    for (const auto& [arn, name] : listener_names) {
      if (r.rule_arn.find(arn.substr(arn.find(":listener/") + 10)) != std::string::npos) listener = name;
    }
    ids.Add(r.rule_arn, listener + "/rule@" + r.priority);
  }
  for (const auto& sg : sgs) {
    ids.Add(sg.group_id, "sg/" + sg.group_name);
    ids.Add(sg.security_group_arn, "sg-arn/" + sg.group_name);
  }
  auto tags_of = [&](const std::string& arn) {
    auto it = snap.tags.find(arn);
    return it == snap.tags.end() ? std::string("[]") : aws::ToJson(it->second);
  };
  auto attrs_of = [&](const std::map<std::string, std::vector<m::Attribute>>& by_arn, const std::string& arn) {
    auto it = by_arn.find(arn);
    return it == by_arn.end() ? std::string("[]") : aws::ToJson(it->second);
  };
  std::vector<std::string> lines;
  for (const auto& lb : snap.load_balancers) {
    lines.push_back("LoadBalancer " + WithoutCreatedTime(aws::ToJson(lb)) + " tags=" + tags_of(lb.load_balancer_arn) +
                    " attributes=" + attrs_of(snap.load_balancer_attributes, lb.load_balancer_arn));
  }
  for (const auto& ls : snap.listeners) {
    lines.push_back("Listener " + aws::ToJson(ls) + " tags=" + tags_of(ls.listener_arn));
  }
  for (const auto& r : snap.rules) lines.push_back("Rule " + aws::ToJson(r) + " tags=" + tags_of(r.rule_arn));
  for (const auto& tg : snap.target_groups) {
    auto th = snap.target_health.find(tg.target_group_arn);
    lines.push_back("TargetGroup " + aws::ToJson(tg) + " tags=" + tags_of(tg.target_group_arn) + " attributes=" +
                    attrs_of(snap.target_group_attributes, tg.target_group_arn) + " targets=" +
                    (th == snap.target_health.end() ? std::string() : TargetsOf(th->second)));
  }
  for (const auto& sg : sgs) lines.push_back("SecurityGroup " + aws::ToJson(sg));
  for (std::string& line : lines) line = ids.Apply(std::move(line));
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Both runs end with a settle, 11 h on the clock and another settle: past the 10 h resync and the
// deferred TargetGroupBinding reconciler's checkpoint reset (30-45 min later), so that what the
// controller repairs only then has been repaired in both.
Scenario WithLongSettle(Scenario scenario) {
  Step settle;
  settle.kind = StepKind::kSettle;
  settle.loc.file = scenario.file;
  Step advance;
  advance.kind = StepKind::kAdvance;
  advance.loc.file = scenario.file;
  advance.advance = SimTime(11LL * 3600 * 1000);
  scenario.steps.push_back(settle);
  scenario.steps.push_back(advance);
  scenario.steps.push_back(settle);
  return scenario;
}

ConvergenceReport CheckConvergence(const Scenario& original, int64_t stride) {
  ConvergenceReport report;
  const Scenario scenario = WithLongSettle(original);
  const Outcome base = Run(scenario);
  report.controller_calls = base.controller_calls;
  if (!base.ran) {
    report.failures.push_back({0, "the fault-free run did not finish: " + base.fatal});
    return report;
  }
  for (int64_t k = 1; k <= base.controller_calls; k += std::max<int64_t>(stride, 1)) {
    Scenario crashed = scenario;
    Step crash;
    crash.kind = StepKind::kCrash;
    crash.loc.file = scenario.file;
    crash.crash_after_api_calls = k;
    crash.crash_restart_after = kRestartAfter;
    crashed.steps.insert(crashed.steps.begin(), crash);
    const Outcome got = Run(crashed);
    ++report.runs;
    if (!got.ran) {
      report.failures.push_back({k, "the run did not finish: " + got.fatal});
      continue;
    }
    if (got.state == base.state) continue;
    const auto missing = Difference(base.state, got.state), extra = Difference(got.state, base.state);
    std::string diff;
    for (const auto& l : missing) diff += "\n  - " + l;
    for (const auto& l : extra) diff += "\n  + " + l;
    report.failures.push_back({k, diff, KnownDivergence(missing, extra)});
  }
  return report;
}

std::string KnownDivergence(const std::vector<std::string>& missing, const std::vector<std::string>& extra) {
  auto is_sg = [](const std::string& line, const std::string& name_prefix) {
    return line.rfind("SecurityGroup ", 0) == 0 && line.find("\"GroupName\":\"" + name_prefix) != std::string::npos;
  };
  if (missing.empty() && extra.size() == 1 && is_sg(extra[0], "k8s-traffic-")) return "backend-sg-left-behind";
  return "";
}

std::string ReproductionHint(const std::string& scenario_path, int64_t k) {
  return scenario_path + " with this first step, and `- settle: {}`, `- advance: 11h`, `- settle: {}` at the end:\n"
         "  - crash: {afterApiCalls: " + std::to_string(k) + ", restartAfter: 10s}";
}

}  // namespace sim::scenario
