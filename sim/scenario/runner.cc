#include "sim/scenario/runner.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/aws/aws_dispatch.h"
#include "sim/aws/aws_json.h"
#include "sim/aws/fake_aws.h"
#include "sim/base/crypto.h"
#include "sim/base/match.h"
#include "sim/base/log.h"
#include "sim/base/sorted_keys.h"
#include "sim/k8s/codec.h"
#include "sim/k8s/fake_api_server.h"
#include "sim/k8s/uid_index.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/world.h"
#include "sim/traffic/router.h"

namespace sim::scenario {
namespace {

using model::k8s::Kind;
using nlohmann::json;

std::string Join(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// The resources of one kind present in AWS, by ARN/ID -> display name.
struct Inventory {
  std::map<std::string, std::string> lbs, listeners, rules, tgs, sgs;
  // Registered targets by "<TG ARN>|": the TG's name and its "<id>:<port>" targets, sorted (so the
  // targets of all TGs come in "<TG ARN>|<id>:<port>" order, and an unchanged TG is one comparison).
  struct TgTargets {
    std::string name;
    SortedKeys targets;
  };
  std::map<std::string, TgTargets> targets;
};

class Player {
 public:
  Player(const Scenario& sc, const RunOptions& options, RunRecord& rec)
      : sc_(sc), options_(options), rec_(rec), world_(sc) {}

  void Run() {
    Status setup = world_.Setup();
    if (!setup.ok()) {
      rec_.fatal_error = "setup failed: " + setup.ToString();
      rec_.exit_code = 2;
      rec_.passed = false;
      return;
    }
    for (size_t i = 0; i < sc_.steps.size(); ++i) {
      const Step& step = sc_.steps[i];
      StepRecord sr;
      sr.index = static_cast<int>(i);
      sr.kind = StepKindName(step.kind);
      sr.loc = step.loc;
      sr.started = world_.clock().Now();
      sr.api_calls_begin = world_.aws().log().size();
      // Nothing runs between two steps: the inventory after one is the one before the next. An
      // expect step only reads, so AWS is after it as it was before.
      Inventory before = i == 0 ? Snapshot() : std::move(after_last_step_);
      RunStep(step, before, sr);
      sr.finished = world_.clock().Now();
      sr.api_calls_end = world_.aws().log().size();
      const bool read_only = step.kind == StepKind::kExpect;
      after_last_step_ = read_only ? std::move(before) : Snapshot();
      Narrate(read_only ? after_last_step_ : before, after_last_step_, world_.TakeNotes(), sr);
      if (options_.step_snapshots) {
        sr.aws_json = world_.aws().RenderJson(-1);
        sr.kubernetes_json = world_.KubernetesJson();
      }
      if (!sr.ok) rec_.passed = false;
      rec_.steps.push_back(std::move(sr));
    }
    Finish();
  }

 private:
  // ---------------------------------------------------------------- steps

  // `before`: the inventory as the step began.
  void RunStep(const Step& step, const Inventory& before, StepRecord& sr) {
    switch (step.kind) {
      case StepKind::kApply: return Apply(step, sr);
      case StepKind::kDelete: return Delete(step, sr);
      case StepKind::kSettle: return Settle(sr);
      case StepKind::kAdvance: {
        world_.Advance(step.advance);
        sr.detail = "advanced the clock by " + FormatSeconds(step.advance) + " to " + FormatSeconds(world_.clock().Now());
        return;
      }
      case StepKind::kRestart: {
        world_.RestartController();
        sr.detail = "controller restarted: caches and workqueue dropped, every object re-listed";
        return;
      }
      case StepKind::kUninstall: {
        world_.UninstallController();
        sr.detail = "controller uninstalled (helm uninstall): no process watches Ingresses any more; their "
                    "finalizers stay, so deleting one hangs until the controller is back (restart: controller)";
        return;
      }
      case StepKind::kRequest: return Request(step, sr);
      case StepKind::kExpect: return Expect(step, before, sr);
      case StepKind::kCrash: {
        world_.ArmCrash(step.crash_after_api_calls, step.crash_restart_after);
        sr.detail = "the controller will die right after its " + std::to_string(step.crash_after_api_calls) +
                    (step.crash_after_api_calls == 1 ? "st" : "th") + " AWS call from now";
        if (step.crash_restart_after) {
          sr.detail += ", and be restarted " + std::to_string(step.crash_restart_after->count() / 1000) + " s later";
        }
        return;
      }
      case StepKind::kAws: return Aws(step, sr);
      case StepKind::kFault: {
        aws::FaultRule rule;
        rule.service = step.fault_service;
        rule.call = step.fault_call;
        rule.caller = "controller";
        rule.error = step.fault_error;
        rule.times = step.fault_times;
        world_.aws().faults().Add(rule);
        sr.detail = "the next " + std::to_string(step.fault_times) + " " + step.fault_service + " " + step.fault_call +
                    " call(s) by the controller fail with " + step.fault_error;
        return;
      }
    }
  }

  void Apply(const Step& step, StepRecord& sr) {
    std::vector<std::string> done;
    for (const auto& obj : step.manifest.objects) {
      const std::string what = std::string(model::k8s::KindName(obj->kind())) + " " + obj->Key();
      auto r = world_.api().Apply(*obj);
      if (r.ok()) {
        done.push_back(what);
        if (step.expect_error) {
          sr.ok = false;
          sr.errors.push_back("expected the API server to reject " + what + " with " + Quote(*step.expect_error) +
                              ", but it was accepted");
        }
        continue;
      }
      const std::string msg = r.error().message;
      if (step.expect_error && GlobMatch(*step.expect_error, msg)) {
        done.push_back(what + " rejected as expected: " + msg);
        continue;
      }
      sr.ok = false;
      sr.errors.push_back(k8s::KubectlErrorText(r.error()));
    }
    sr.detail = "applied " + (done.empty() ? std::string("nothing") : Join(done));
  }

  // An out-of-band AWS call, as a person at the console or a script would make it (drift).
  void Aws(const Step& step, StepRecord& sr) {
    auto args = Resolve(step.aws_args_json);
    if (!args.ok()) {
      sr.ok = false;
      sr.errors.push_back(args.error().message);
      return;
    }
    aws::CallContext ctx;
    ctx.caller = step.aws_as;
    const auto elbv2_calls = aws::Elbv2JsonCalls();
    Result<std::string> out = std::find(elbv2_calls.begin(), elbv2_calls.end(), step.aws_call) != elbv2_calls.end()
                                  ? aws::InvokeElbv2Json(world_.aws().elbv2(), ctx, step.aws_call, args.value())
                                  : aws::InvokeEc2Json(world_.aws().ec2(), ctx, step.aws_call, args.value());
    if (!out.ok()) {
      sr.ok = false;
      sr.errors.push_back(step.aws_as + " called " + step.aws_call + ": " + out.error().ToString());
      return;
    }
    sr.detail = step.aws_as + " called " + step.aws_call + " " + args.value() + ": ok";
  }

  void Delete(const Step& step, StepRecord& sr) {
    Kind kind;
    model::k8s::ParseKind(step.delete_kind, &kind);
    Status s = world_.api().Delete(kind, step.delete_namespace, step.delete_name);
    const std::string what =
        step.delete_kind + " " + (step.delete_namespace.empty() ? "" : step.delete_namespace + "/") + step.delete_name;
    if (!s.ok()) {
      sr.ok = false;
      sr.errors.push_back(k8s::KubectlErrorText(s.error()));
      return;
    }
    auto still = world_.api().Get(kind, step.delete_namespace, step.delete_name);
    if (still.ok() && still.value()->metadata.deletion_timestamp) {
      sr.detail = "deleted " + what + ": marked for deletion, waiting for finalizers " +
                  Join(still.value()->metadata.finalizers);
    } else {
      sr.detail = "deleted " + what;
    }
  }

  void Settle(StepRecord& sr) {
    SettleResult r = world_.Settle();
    if (!r.settled) {
      sr.ok = false;
      sr.errors.push_back(r.why);
    }
    sr.detail = r.settled ? "settled after " + FormatSeconds(r.elapsed) + " (" + std::to_string(r.events) + " events)"
                          : "did not settle";
    if (!r.still_failing.empty()) {
      sr.detail += "; still failing, retried with backoff: " + r.still_failing;
    }
  }

  // ---------------------------------------------------------------- references

  // Resolves ${ingress:NS/NAME}, ${lb:NS/NAME}, ${listener:NS/NAME:PORT}, ${rule:NS/NAME:N},
  // ${sg:GROUP-NAME}, ${tg:NS/SVC:PORT}.
  Result<std::string> Resolve(const std::string& text) {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
      size_t start = text.find("${", i);
      if (start == std::string::npos) {
        out += text.substr(i);
        break;
      }
      out += text.substr(i, start - i);
      size_t end = text.find('}', start);
      if (end == std::string::npos) return MakeError(ErrorCode::kInvalidArgument, "unterminated ${ in " + Quote(text));
      const std::string ref = text.substr(start + 2, end - start - 2);
      SIM_ASSIGN_OR_RETURN(std::string value, ResolveOne(ref));
      out += value;
      i = end + 1;
    }
    return out;
  }

  Result<std::string> ResolveOne(const std::string& ref) {
    auto colon = ref.find(':');
    if (colon == std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "reference ${" + ref + "} must be KIND:ARG");
    }
    const std::string kind = ref.substr(0, colon), arg = ref.substr(colon + 1);
    if (kind == "ingress") {
      auto ing = world_.IngressByKey(arg);
      if (!ing) return MakeError(ErrorCode::kNotFound, "${ingress:" + arg + "}: no such Ingress");
      if (ing->status_ingress.empty() || ing->status_ingress[0].hostname.empty()) {
        return MakeError(ErrorCode::kNotFound, "${ingress:" + arg + "}: the Ingress has no address in its status yet");
      }
      return ing->status_ingress[0].hostname;
    }
    if (kind == "lb") {
      auto lb = world_.LoadBalancerOfIngress(arg);
      if (!lb) return MakeError(ErrorCode::kNotFound, "${lb:" + arg + "}: the Ingress has no load balancer");
      return lb->load_balancer_arn;
    }
    if (kind == "rule") {
      auto last = arg.rfind(':');
      if (last == std::string::npos) return MakeError(ErrorCode::kInvalidArgument, "${rule:NS/NAME:N} needs N");
      auto lb = world_.LoadBalancerOfIngress(arg.substr(0, last));
      if (!lb) return MakeError(ErrorCode::kNotFound, "${rule:" + arg + "}: the Ingress has no load balancer");
      int n = std::atoi(arg.c_str() + last + 1);
      auto listeners = world_.aws().elbv2().ListenersForSim(lb->load_balancer_arn);
      if (listeners.empty()) return MakeError(ErrorCode::kNotFound, "${rule:" + arg + "}: the load balancer has no listener");
      std::vector<model::aws::Rule> rules;
      for (auto& r : world_.aws().elbv2().RulesForSim(listeners.front().listener_arn)) {
        if (!r.is_default) rules.push_back(r);
      }
      if (n < 1 || static_cast<size_t>(n) > rules.size()) {
        return MakeError(ErrorCode::kNotFound, "${rule:" + arg + "}: the first listener has " +
                                                   std::to_string(rules.size()) + " rule(s)");
      }
      return rules[static_cast<size_t>(n - 1)].rule_arn;
    }
    if (kind == "listener") {
      auto last = arg.rfind(':');
      if (last == std::string::npos) return MakeError(ErrorCode::kInvalidArgument, "${listener:NS/NAME:PORT} needs PORT");
      auto lb = world_.LoadBalancerOfIngress(arg.substr(0, last));
      if (!lb) return MakeError(ErrorCode::kNotFound, "${listener:" + arg + "}: the Ingress has no load balancer");
      const int port = std::atoi(arg.c_str() + last + 1);
      for (const auto& ls : world_.aws().elbv2().ListenersForSim(lb->load_balancer_arn)) {
        if (ls.port == port) return ls.listener_arn;
      }
      return MakeError(ErrorCode::kNotFound, "${listener:" + arg + "}: the load balancer has no listener on port " +
                                                 std::to_string(port));
    }
    if (kind == "sg") {
      for (const auto& sg : world_.aws().ec2().SecurityGroupsForSim()) {
        if (sg.group_name == arg) return sg.group_id;
      }
      return MakeError(ErrorCode::kNotFound, "${sg:" + arg + "}: no security group named " + Quote(arg));
    }
    if (kind == "tg") {
      auto tg = world_.TargetGroupOfServicePort(arg);
      if (tg.empty()) return MakeError(ErrorCode::kNotFound, "${tg:" + arg + "}: no target group for that Service port");
      return tg;
    }
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown reference kind " + Quote(kind) + " (known: ingress, lb, listener, rule, sg, tg)");
  }

  // ---------------------------------------------------------------- request

  void Request(const Step& step, StepRecord& sr) {
    auto url = Resolve(step.url);
    if (!url.ok()) {
      sr.ok = false;
      sr.errors.push_back(url.error().message);
      return;
    }
    traffic::Request req;
    req.url = url.value();
    req.method = step.method;
    req.from = step.from;
    for (const auto& [k, v] : step.headers) {
      auto rv = Resolve(v);
      req.headers[k] = rv.ok() ? rv.value() : v;
    }
    traffic::WorldView view = world_.BuildView();
    traffic::Router router(view);
    TraceRecord tr;
    tr.step = sr.index;
    tr.count = static_cast<int>(step.count);
    std::map<std::string, int> dist;
    for (int64_t i = 0; i < step.count; ++i) {
      traffic::Trace t = router.Route(req, router_state_);
      std::string who = t.result.pod.empty() ? "status " + std::to_string(t.result.status) : t.result.pod;
      dist[who]++;
      if (i == 0) tr.trace = std::move(t);
    }
    for (const auto& [k, v] : dist) tr.distribution.emplace_back(k, v);
    const auto& res = tr.trace.result;
    sr.detail = req.method + " " + req.url + " -> " +
                (res.status ? std::to_string(res.status) : std::string("no response")) +
                (res.failed_at.empty() ? "" : " (stopped at " + res.failed_at + ": " + res.reason + ")") +
                (res.pod.empty() ? "" : " from pod " + res.pod);
    if (step.request_expect) CheckRequest(*step.request_expect, tr.trace, sr);
    rec_.traces.push_back(std::move(tr));
  }

  void CheckRequest(const RequestExpect& e, const traffic::Trace& t, StepRecord& sr) {
    const auto& r = t.result;
    auto check = [&](const std::string& what, bool ok, const std::string& expected, const std::string& found) {
      Record(sr, e.loc, ok, "request " + what + ": expected " + expected + ", found " + found);
    };
    if (e.status) check("status", r.status == *e.status, std::to_string(*e.status), std::to_string(r.status));
    if (e.service) check("service", GlobMatch(*e.service, r.service), Quote(*e.service), Quote(r.service));
    if (e.pod) check("pod", GlobMatch(*e.pod, r.pod), Quote(*e.pod), Quote(r.pod));
    if (e.location) check("location", GlobMatch(*e.location, r.location), Quote(*e.location), Quote(r.location));
    if (e.rule_priority) {
      check("rulePriority", r.rule_priority && *r.rule_priority == *e.rule_priority, std::to_string(*e.rule_priority),
            r.rule_priority ? std::to_string(*r.rule_priority) : "none");
    }
    if (e.failed_at) check("failedAt", GlobMatch(*e.failed_at, r.failed_at), Quote(*e.failed_at), Quote(r.failed_at));
  }

  // ---------------------------------------------------------------- expect

  void Record(StepRecord& sr, const SourceLoc& loc, bool ok, const std::string& message) {
    ExpectationRecord er;
    er.step = sr.index;
    er.ok = ok;
    er.loc = loc;
    er.message = ok ? ExpectedPart(message) : message;
    rec_.expectations.push_back(er);
    if (!ok) {
      sr.ok = false;
      sr.errors.push_back(loc.ToString() + ": " + message);
    }
  }

  // "X: expected A, found B" -> "X: A" for a passing check.
  static std::string ExpectedPart(const std::string& m) {
    auto e = m.find(": expected ");
    auto f = m.rfind(", found ");
    if (e == std::string::npos || f == std::string::npos || f < e) return m;
    return m.substr(0, e) + " = " + m.substr(e + 11, f - e - 11);
  }

  void Expect(const Step& step, const Inventory& inv, StepRecord& sr) {
    const Expectation& ex = step.expect;
    // `inv`: AWS as the step began, which an expect step does not change.
    auto count = [&](const char* what, const std::optional<int64_t>& want, size_t have) {
      if (!want) return;
      Record(sr, ex.loc, static_cast<int64_t>(have) == *want,
             std::string(what) + ": expected " + std::to_string(*want) + ", found " + std::to_string(have));
    };
    count("loadBalancers", ex.load_balancers, inv.lbs.size());
    count("targetGroups", ex.target_groups, inv.tgs.size());
    count("listeners", ex.listeners, inv.listeners.size());
    count("rules", ex.rules, inv.rules.size());
    count("securityGroups", ex.security_groups, inv.sgs.size());

    for (const auto& [key, le] : ex.lb) {
      auto lb = world_.LoadBalancerOfIngress(key);
      if (!lb) {
        Record(sr, le.loc, false, "lb " + key + ": expected a load balancer, found none");
        continue;
      }
      auto text = [&](const char* what, const std::optional<std::string>& want, const std::string& have) {
        if (want) Record(sr, le.loc, GlobMatch(*want, have), "lb " + key + " " + what + ": expected " + Quote(*want) + ", found " + Quote(have));
      };
      auto num = [&](const char* what, const std::optional<int64_t>& want, size_t have) {
        if (want) Record(sr, le.loc, static_cast<int64_t>(have) == *want, "lb " + key + " " + what + ": expected " + std::to_string(*want) + ", found " + std::to_string(have));
      };
      text("name", le.name, lb->load_balancer_name);
      text("scheme", le.scheme, lb->scheme);
      text("dnsName", le.dns_name, lb->dns_name);
      text("state", le.state, lb->state.code);
      auto listeners = world_.aws().elbv2().ListenersForSim(lb->load_balancer_arn);
      size_t rules = 0;
      for (const auto& l : listeners) {
        for (const auto& r : world_.aws().elbv2().RulesForSim(l.listener_arn)) rules += r.is_default ? 0 : 1;
      }
      num("listeners", le.listeners, listeners.size());
      num("rules", le.rules, rules);
      num("subnets", le.subnets, lb->availability_zones.size());
      if (!le.tags.empty()) {
        auto tags = world_.TagsOf(lb->load_balancer_arn);
        for (const auto& [k, v] : le.tags) {
          auto it = tags.find(k);
          Record(sr, le.loc, it != tags.end() && GlobMatch(v, it->second),
                 "lb " + key + " tag " + k + ": expected " + Quote(v) + ", found " +
                     (it == tags.end() ? std::string("no such tag") : Quote(it->second)));
        }
      }
    }

    for (const auto& [key, ie] : ex.ingress) {
      auto ing = world_.IngressByKey(key);
      if (ie.exists) {
        Record(sr, ie.loc, static_cast<bool>(ing) == *ie.exists,
               "ingress " + key + " exists: expected " + (*ie.exists ? "true" : "false") + ", found " +
                   (ing ? "true" : "false"));
      }
      if (!ing) {
        if (ie.hostname || ie.finalizers || ie.group) {
          Record(sr, ie.loc, false, "ingress " + key + ": expected the Ingress to exist, found none");
        }
        continue;
      }
      if (ie.hostname) {
        std::string host = ing->status_ingress.empty() ? "" : ing->status_ingress[0].hostname;
        Record(sr, ie.loc, GlobMatch(*ie.hostname, host),
               "ingress " + key + " hostname: expected " + Quote(*ie.hostname) + ", found " + Quote(host));
      }
      if (ie.finalizers) {
        std::set<std::string> want(ie.finalizers->begin(), ie.finalizers->end());
        std::set<std::string> have(ing->metadata.finalizers.begin(), ing->metadata.finalizers.end());
        Record(sr, ie.loc, want == have,
               "ingress " + key + " finalizers: expected [" + Join(*ie.finalizers) + "], found [" +
                   Join(ing->metadata.finalizers) + "]");
      }
      if (ie.group) {
        std::string group = world_.GroupOfIngress(*ing);
        Record(sr, ie.loc, GlobMatch(*ie.group, group),
               "ingress " + key + " group: expected " + Quote(*ie.group) + ", found " + Quote(group));
      }
    }

    // Only an expect step that names events reads them all.
    std::vector<EventRecord> events;
    if (!ex.events.empty() || !ex.no_events.empty()) events = world_.Events();
    auto matches = [](const EventExpect& e, const EventRecord& ev) {
      return (!e.object || GlobMatch(*e.object, ev.object)) && (!e.reason || GlobMatch(*e.reason, ev.reason)) &&
             (!e.message || GlobMatch(*e.message, ev.message)) && (!e.type || GlobMatch(*e.type, ev.type));
    };
    auto describe = [](const EventExpect& e) {
      std::vector<std::string> parts;
      if (e.object) parts.push_back("object=" + *e.object);
      if (e.type) parts.push_back("type=" + *e.type);
      if (e.reason) parts.push_back("reason=" + *e.reason);
      if (e.message) parts.push_back("message=" + Quote(*e.message));
      return "{" + Join(parts) + "}";
    };
    for (const auto& e : ex.events) {
      bool found = std::any_of(events.begin(), events.end(), [&](const EventRecord& ev) { return matches(e, ev); });
      std::string seen;
      if (!found) {
        std::vector<std::string> list;
        for (const auto& ev : events) {
          if (!e.object || GlobMatch(*e.object, ev.object)) list.push_back(ev.reason + " " + Quote(ev.message));
        }
        seen = list.empty() ? "no event about that object" : Join(list, "; ");
      }
      Record(sr, e.loc, found, "event " + describe(e) + ": expected one, found " + (found ? "one" : seen));
    }
    for (const auto& e : ex.no_events) {
      const EventRecord* hit = nullptr;
      for (const auto& ev : events) {
        if (matches(e, ev)) hit = &ev;
      }
      Record(sr, e.loc, hit == nullptr,
             "no event " + describe(e) + ": expected none, found " +
                 (hit ? hit->object + " " + hit->reason + " " + Quote(hit->message) : std::string("none")));
    }

    if (!ex.api_calls.empty()) {
      auto counts = world_.aws().log().CountByCall(api_calls_since_, "controller");
      for (const auto& [op, want] : ex.api_calls) {
        size_t have = counts.count(op) ? counts[op] : 0;
        Record(sr, want.second, static_cast<int64_t>(have) == want.first,
               "apiCalls " + op + ": expected " + std::to_string(want.first) + ", found " + std::to_string(have));
      }
    }
    api_calls_since_ = world_.aws().log().size();

    for (const auto& [key, te] : ex.targets) {
      std::string tg = world_.TargetGroupOfServicePort(key);
      if (tg.empty()) {
        Record(sr, te.loc, false, "targets " + key + ": expected a target group, found none");
        continue;
      }
      auto targets = world_.aws().elbv2().TargetsForSim(tg);
      size_t healthy = 0;
      for (const auto& t : targets) healthy += t.health.state == "healthy" ? 1 : 0;
      if (te.count) {
        Record(sr, te.loc, static_cast<int64_t>(targets.size()) == *te.count,
               "targets " + key + " count: expected " + std::to_string(*te.count) + ", found " + std::to_string(targets.size()));
      }
      if (te.healthy) {
        Record(sr, te.loc, static_cast<int64_t>(healthy) == *te.healthy,
               "targets " + key + " healthy: expected " + std::to_string(*te.healthy) + ", found " + std::to_string(healthy));
      }
    }
    size_t n = 0;
    for (const auto& e : rec_.expectations) n += e.step == sr.index ? 1 : 0;
    sr.detail = std::to_string(n) + " expectation(s) checked";
  }

  // ---------------------------------------------------------------- narrative

  Inventory Snapshot() {
    Inventory inv;
    const auto& elbv2 = world_.aws().elbv2();
    auto snap = elbv2.Snapshot({.targets = false, .tags_and_attributes = false});  // names only
    std::map<std::string, std::string> lb_names;
    for (const auto& lb : snap.load_balancers) {
      inv.lbs[lb.load_balancer_arn] = lb.load_balancer_name;
      lb_names[lb.load_balancer_arn] = lb.load_balancer_name;
    }
    std::map<std::string, std::string> listener_names;
    for (const auto& l : snap.listeners) {
      std::string name = lb_names[l.load_balancer_arn] + " " + l.protocol + ":" + std::to_string(l.port.value_or(0));
      inv.listeners[l.listener_arn] = name;
      listener_names[l.listener_arn] = name;
    }
    for (const auto& r : snap.rules) {
      if (r.is_default) continue;
      std::string listener = r.rule_arn.substr(0, r.rule_arn.rfind('/'));
      // listener-rule/app/<lb>/<lb-id>/<listener-id>/<id> -> listener/app/<lb>/<lb-id>/<listener-id>
      std::string larn = listener;
      auto pos = larn.find(":listener-rule/");
      if (pos != std::string::npos) larn.replace(pos, 15, ":listener/");
      std::vector<std::string> conds;
      for (const auto& c : r.conditions) conds.push_back(traffic::DescribeCondition(c));
      inv.rules[r.rule_arn] = listener_names[larn] + " rule " + r.priority + " (" + Join(conds, " AND ") + ")";
    }
    for (const auto& tg : snap.target_groups) inv.tgs[tg.target_group_arn] = tg.target_group_name;
    for (auto& [arn, keys] : elbv2.TargetKeysForSim()) {
      auto it = inv.tgs.find(arn);
      Inventory::TgTargets& tt = inv.targets[arn + "|"];
      tt.name = it == inv.tgs.end() ? arn : it->second;
      tt.targets = std::move(keys);  // sorted
    }
    for (const auto& sg : world_.aws().ec2().SecurityGroupsForSim()) {
      if (world_.IsWorldSecurityGroup(sg.group_id)) continue;
      inv.sgs[sg.group_id] = sg.group_name + " (" + sg.group_id + ")";
    }
    return inv;
  }

  // The step's notes: AWS resources added and removed (a → b), Kubernetes events, then
  // `controller_notes`.
  void Narrate(const Inventory& a, const Inventory& b, std::vector<std::string> controller_notes, StepRecord& sr) {
    auto diff = [&](const std::map<std::string, std::string>& x, const std::map<std::string, std::string>& y,
                    const std::string& what) {
      for (const auto& [k, v] : y) {
        if (!x.count(k)) sr.notes.push_back(StrCat({"+ ", what, " ", v}));
      }
      for (const auto& [k, v] : x) {
        if (!y.count(k)) sr.notes.push_back(StrCat({"- ", what, " ", v}));
      }
    };
    diff(a.sgs, b.sgs, "security group");
    diff(a.tgs, b.tgs, "target group");
    diff(a.lbs, b.lbs, "load balancer");
    diff(a.listeners, b.listeners, "listener");
    diff(a.rules, b.rules, "rule");
    // Targets: "+" for those only in b, then "-" for those only in a, as `diff` orders them.
    // `each(name, target)` is called for each; the notes are counted first so that the list grows
    // once (a 2,000-Ingress instance world adds 200,000 targets in one step).
    auto for_targets_only_in = [](const std::map<std::string, Inventory::TgTargets>& from,
                                  const std::map<std::string, Inventory::TgTargets>& other, auto each) {
      for (const auto& [key, tt] : from) {
        auto o = other.find(key);
        if (o != other.end() && o->second.targets == tt.targets) continue;
        for (size_t i = 0; i < tt.targets.size(); ++i) {
          const std::string_view t = tt.targets[i];
          if (o == other.end() || !o->second.targets.Contains(t)) each(tt.name, t);
        }
      }
    };
    // Kubernetes events emitted (or repeated) during the step: those not narrated yet with their
    // count, by uid (an Event keeps its uid across count updates).
    std::vector<const model::k8s::Event*> events;
    for (const auto& [name, ev] : world_.SortedEvents()) {
      const int* seen = event_counts_.Find(ev->metadata.uid);
      if (seen != nullptr && *seen == ev->count) continue;  // narrated already with this count
      event_counts_.Set(ev->metadata.uid, ev->count, world_.api().IssuedUidsForSim());
      events.push_back(ev.get());
    }
    size_t count = sr.notes.size() + events.size() + controller_notes.size();
    auto count_one = [&count](const std::string&, std::string_view) { ++count; };
    for_targets_only_in(b.targets, a.targets, count_one);
    for_targets_only_in(a.targets, b.targets, count_one);
    sr.notes.reserve(count);
    for_targets_only_in(b.targets, a.targets, [&](const std::string& name, std::string_view t) {
      sr.notes.push_back(StrCat({"+ target ", name, " <- ", t}));
    });
    for_targets_only_in(a.targets, b.targets, [&](const std::string& name, std::string_view t) {
      sr.notes.push_back(StrCat({"- target ", name, " <- ", t}));
    });
    for (const model::k8s::Event* ev : events) {
      std::string note;  // built in one buffer (46,000 Events in one step of a 2,000-Ingress world)
      note.reserve(32 + ev->type.size() + ev->reason.size() + ev->involved_object.kind.size() +
                   ev->involved_object.namespace_.size() + ev->involved_object.name.size() + ev->message.size());
      note.append("event ").append(ev->type).append(" ").append(ev->reason).append(" on ");
      World::AppendEventObject(*ev, &note);
      note.append(": ").append(ev->message);
      if (ev->count > 1) {
        note.append(" (x");
        AppendDecimal(&note, ev->count);
        note.push_back(')');
      }
      sr.notes.push_back(std::move(note));
    }
    for (std::string& n : controller_notes) sr.notes.push_back(std::move(n));
  }

  void Finish() {
    rec_.end_time = world_.clock().Now();
    rec_.api_calls = world_.aws().log().Slice(0);
    rec_.events = world_.Events();
    if (options_.inspect_aws) options_.inspect_aws(world_.aws());
    if (options_.final_snapshot) {
      rec_.aws_json = world_.aws().RenderJson(-1);
      rec_.kubernetes_json = world_.KubernetesJson();
    }
    bool failed = !rec_.passed;
    for (const auto& e : rec_.expectations) failed |= !e.ok;
    rec_.passed = !failed;
    rec_.exit_code = failed ? 1 : 0;
  }

  const Scenario& sc_;
  const RunOptions& options_;
  RunRecord& rec_;
  World world_;
  traffic::RouterState router_state_{sc_.seed};  // weighted choices: seeded by the scenario
  size_t api_calls_since_ = 0;
  Inventory after_last_step_;  // Snapshot() at the end of the last step run
  k8s::UidIndex<int> event_counts_;  // Event uid -> the count it was narrated with
};

}  // namespace

std::string UnsupportedReason(const Scenario& scenario) {
  return "";
}

RunRecord RunScenario(const Scenario& scenario, const RunOptions& options) {
  RunRecord rec;
  rec.scenario = scenario.name;
  rec.description = scenario.description;
  rec.file = scenario.file;
  rec.seed = scenario.seed;
  std::string unsupported = UnsupportedReason(scenario);
  if (!unsupported.empty()) {
    rec.fatal_error = unsupported;
    rec.exit_code = 2;
    rec.passed = false;
    return rec;
  }
  Player player(scenario, options, rec);
  player.Run();
  return rec;
}

RunRecord RunScenarioFile(const std::string& path, const RunOptions& options) {
  LoadResult loaded = LoadScenarioFile(path);
  if (!loaded.ok()) {
    RunRecord rec;
    rec.file = path;
    rec.scenario = loaded.scenario.name;
    rec.fatal_error = Join(loaded.errors, "\n");
    rec.exit_code = 2;
    rec.passed = false;
    return rec;
  }
  return RunScenario(loaded.scenario, options);
}

}  // namespace sim::scenario
