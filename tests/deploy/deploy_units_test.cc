// Unit tests of deploy-side helpers: workqueue semantics, tracking tags, rule matching,
// SetRulePriorities, the create/delete state machine, and the TGB checkpoint.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/base/clock.h"
#include "sim/controller/listener_rule_synthesizer.h"
#include "sim/controller/targetgroupbinding_controller.h"
#include "sim/controller/targets_manager.h"
#include "sim/controller/tracking.h"
#include "sim/controller/workqueue.h"

namespace sim::controller {
namespace {

namespace ms = model::stack;
namespace ma = model::aws;

TEST_SUITE("deploy.units") {

TEST_CASE("the workqueue dedups keys and re-queues a key added while it is processed") {
  SimClock clock;
  EventQueue events(clock);
  std::vector<std::string> seen;
  ReconcileLoop* loop_ptr = nullptr;
  ReconcileLoop loop(events, [&](const std::string& key) {
    seen.push_back(key);
    if (seen.size() == 1) loop_ptr->Enqueue(key);  // added while processing → one more run
    return ReconcileResult{};
  });
  loop_ptr = &loop;
  loop.Enqueue("a");
  loop.Enqueue("a");
  loop.Enqueue("b");
  events.RunUntil(SimTime(1000));
  CHECK(seen == std::vector<std::string>{"a", "b", "a"});
}

TEST_CASE("failed reconciles back off exponentially from 5ms and success forgets the failures") {
  SimClock clock;
  EventQueue events(clock);
  std::vector<SimTime> times;
  ReconcileLoop loop(events, [&](const std::string&) {
    times.push_back(clock.Now());
    if (times.size() < 4) return ReconcileResult{false, SimTime(0), MakeError(ErrorCode::kUnavailable, "boom")};
    return ReconcileResult{};
  });
  loop.Enqueue("g");
  events.RunUntil(SimTime(10'000));
  REQUIRE(times.size() == 4);
  CHECK(times[1] - times[0] == SimTime(5));
  CHECK(times[2] - times[1] == SimTime(10));
  CHECK(times[3] - times[2] == SimTime(20));
  CHECK(loop.queue().NumRequeues("g") == 0);
}

TEST_CASE("RequeueAfter re-runs the key after the delay") {
  SimClock clock;
  EventQueue events(clock);
  std::vector<SimTime> times;
  ReconcileLoop loop(events, [&](const std::string&) {
    times.push_back(clock.Now());
    ReconcileResult r;
    if (times.size() == 1) r.requeue_after = SimTime(120'000);
    return r;
  });
  loop.Enqueue("g");
  events.RunUntil(SimTime(500'000));
  REQUIRE(times.size() == 2);
  CHECK(times[1] - times[0] == SimTime(120'000));
}

TEST_CASE("tracking tags put the stack tags first so user tags cannot override them") {
  TrackingProvider p("ingress.k8s.aws", "c1");
  TagMap user = {{"elbv2.k8s.aws/cluster", "evil"}, {"team", "a"}};
  TagMap tags = p.ResourceTags(StackId{"ns", "ing"}, "LoadBalancer", user);
  CHECK(tags == TagMap{{"elbv2.k8s.aws/cluster", "c1"},
                       {"ingress.k8s.aws/resource", "LoadBalancer"},
                       {"ingress.k8s.aws/stack", "ns/ing"},
                       {"team", "a"}});
  CHECK(p.StackLabels(StackId{"", "grp"}) == TagMap{{"ingress.k8s.aws/stack", "grp"}});
  CHECK(p.StackLabels(StackId{"ns", "ing"}) ==
        TagMap{{"ingress.k8s.aws/stack-name", "ing"}, {"ingress.k8s.aws/stack-namespace", "ns"}});
}

ms::ListenerRule Rule(const std::string& id, int32_t priority, const std::string& tg, const std::string& path) {
  ms::ListenerRule r;
  r.id = id;
  r.spec.listener_arn = ms::StringToken::Literal("ls-1");
  r.spec.priority = priority;
  ms::Action a;
  a.type = "forward";
  a.forward_config = ms::ForwardActionConfig{{ms::TargetGroupTuple{ms::StringToken::Literal(tg), std::nullopt}}, std::nullopt};
  r.spec.actions = {a};
  ms::RuleCondition c;
  c.field = "path-pattern";
  c.path_pattern_config = ms::PathPatternConditionConfig{{}, {path}};
  r.spec.conditions = {c};
  return r;
}

ListenerRuleWithTags SdkRule(const std::string& arn, const std::string& priority, const std::string& tg,
                             const std::string& path) {
  ma::Rule r;
  r.rule_arn = arn;
  r.priority = priority;
  ma::Action a;
  a.type = "forward";
  a.order = 1;
  a.target_group_arn = tg;
  a.forward_config = ma::ForwardActionConfig{{ma::TargetGroupTuple{tg, 1}}, std::nullopt};
  r.actions = {a};
  ma::RuleCondition c;
  c.field = "path-pattern";
  c.path_pattern_config = ma::PathPatternConditionConfig{{path}, {}};
  r.conditions = {c};
  return ListenerRuleWithTags{r, TagMap{}};
}

TEST_CASE("rules are matched by settings first, then by priority, and leftovers are pushed to 50000 down") {
  ms::Stack stack(ms::StackID{"ns", "ing"});
  std::vector<ms::ListenerRule> res = {Rule("80:1", 1, "tg-3", "/foo3"), Rule("80:2", 2, "tg-2", "/new"),
                                       Rule("80:3", 3, "tg-1", "/foo1")};
  std::vector<ms::ListenerRule*> ptrs = {&res[0], &res[1], &res[2]};
  std::vector<ListenerRuleWithTags> sdk = {SdkRule("arn-1", "1", "tg-1", "/foo1"), SdkRule("arn-2", "2", "tg-2", "/old"),
                                           SdkRule("arn-3", "3", "tg-3", "/foo3"), SdkRule("arn-4", "7", "tg-9", "/x")};
  DesiredRuleConfigs configs;
  for (auto* r : ptrs) {
    auto cfg = BuildResLRDesiredRuleConfig(stack, *r, DeployFeatureGates{});
    REQUIRE(cfg.ok());
    configs[r] = cfg.value();
  }
  ListenerRuleMatch m = MatchResAndSDKListenerRules(ptrs, sdk, configs);
  REQUIRE(m.matched_by_settings.size() == 2);  // /foo3 (1 vs 3) and /foo1 (3 vs 1)
  CHECK(m.fully_matched.empty());
  REQUIRE(m.matched_by_priority.size() == 1);
  CHECK(m.matched_by_priority[0].sdk.rule.rule_arn == "arn-2");
  CHECK(m.unmatched_res.empty());
  REQUIRE(m.unmatched_sdk.size() == 1);
  CHECK(m.unmatched_sdk[0].rule.rule_arn == "arn-4");

  aws::SetRulePrioritiesRequest req = BuildSDKSetRulePrioritiesInput(m.matched_by_settings, m.unmatched_sdk);
  REQUIRE(req.rule_priorities.size() == 3);
  CHECK(req.rule_priorities[0] == ma::RulePriorityPair{"arn-4", 50000});
  CHECK(req.rule_priorities[1] == ma::RulePriorityPair{"arn-3", 1});
  CHECK(req.rule_priorities[2] == ma::RulePriorityPair{"arn-1", 3});
}

// A recording rule manager (upstream mockListenerRuleManager).
class RecordingRuleManager final : public ListenerRuleManager {
 public:
  int rule_count = 0;
  int max_rule_count = 100;
  std::vector<std::string> calls;

  Result<ms::ListenerRuleStatus> Create(const ms::Stack&, const ms::ListenerRule& res, const DesiredRuleConfig*) override {
    if (rule_count == max_rule_count) return MakeError(ErrorCode::kResourceExhausted, "some message", "TooManyRules");
    ++rule_count;
    calls.push_back("Create " + res.spec.listener_arn.value);
    return ms::ListenerRuleStatus{"new"};
  }
  Result<ms::ListenerRuleStatus> UpdateRules(const ms::Stack&, const ms::ListenerRule&, const ListenerRuleWithTags& sdk,
                                             const DesiredRuleConfig&) override {
    return ms::ListenerRuleStatus{sdk.rule.rule_arn};
  }
  Result<ms::ListenerRuleStatus> UpdateRulesTags(const ms::Stack&, const ms::ListenerRule&,
                                                 const ListenerRuleWithTags& sdk) override {
    return ms::ListenerRuleStatus{sdk.rule.rule_arn};
  }
  Status Delete(const ListenerRuleWithTags& sdk) override {
    --rule_count;
    calls.push_back("Delete " + sdk.rule.rule_arn);
    return OkStatus();
  }
  Status SetRulePriorities(std::vector<ResAndSDKListenerRulePair>&, std::vector<ListenerRuleWithTags>&) override {
    return OkStatus();
  }
};

TEST_CASE("at the rules quota creations and deletions alternate") {
  ms::Stack stack(ms::StackID{"ns", "ing"});
  RecordingRuleManager mgr;
  mgr.rule_count = 3;
  mgr.max_rule_count = 3;
  std::vector<ms::ListenerRule> res(2);
  res[0].spec.listener_arn = ms::StringToken::Literal("ls-a");
  res[1].spec.listener_arn = ms::StringToken::Literal("ls-b");
  std::vector<ListenerRuleWithTags> sdk;
  for (std::string arn : {"arn-1", "arn-2"}) {
    ListenerRuleWithTags r;
    r.rule.rule_arn = arn;
    sdk.push_back(r);
  }
  Status s = CreateAndDeleteRules(mgr, stack, 3, {}, {&res[0], &res[1]}, sdk);
  REQUIRE(s.ok());
  CHECK(mgr.calls == std::vector<std::string>{"Delete arn-1", "Create ls-a", "Delete arn-2", "Create ls-b"});
}

TEST_CASE("the TGB checkpoint hashes sorted endpoints and the Go JSON of the spec") {
  model::k8s::TargetGroupBinding tgb;
  tgb.target_group_arn = "arn:tg";
  tgb.target_type = "ip";
  tgb.service_name = "web";
  tgb.service_port = model::k8s::IntOrString::Int(80);
  tgb.ip_address_type = "ipv4";
  CHECK(MarshalTargetGroupBindingSpec(tgb) ==
        R"({"targetGroupARN":"arn:tg","targetType":"ip","serviceRef":{"name":"web","port":80},"ipAddressType":"ipv4"})");
  std::string a = CalculateTGBReconcileCheckpoint({"10.0.0.2:8080:1", "10.0.0.1:8080:1"}, tgb);
  std::string b = CalculateTGBReconcileCheckpoint({"10.0.0.1:8080:1", "10.0.0.2:8080:1"}, tgb);
  CHECK(a == b);
  CHECK(a.find('/') == 43);  // 32-byte digest → 43 base64url chars, no padding
  CHECK(a.find('=') == std::string::npos);

  // The memoised form answers the same as the endpoints and the spec change and change back.
  TGBCheckpointMemo memo;
  tgb.metadata.namespace_ = "default";
  tgb.metadata.name = "web";
  const std::vector<std::vector<std::string>> rounds = {
      {"10.0.0.2:8080:1", "10.0.0.1:8080:1"}, {"10.0.0.1:8080:1", "10.0.0.2:8080:1"}, {"10.0.0.3:8080:1"}, {}};
  for (int spec_round = 0; spec_round < 2; ++spec_round) {
    for (const auto& ids : rounds) {
      CAPTURE(ids.size());
      CHECK(CalculateTGBReconcileCheckpoint(ids, tgb, memo) == CalculateTGBReconcileCheckpoint(ids, tgb));
    }
    tgb.service_port = model::k8s::IntOrString::Int(8080);
  }
  CHECK(CalculateTGBReconcileCheckpoint(rounds[0], tgb, memo) != a);
  CHECK(memo.by_tgb.size() == 1);
}

// TargetInfo holds its health as a shared immutable value: equality is by value, as for the Go
// struct's pointed-to TargetHealth in upstream's tests.
TEST_CASE("target infos compare their healths by value, and an unknown health only equals unknown") {
  const sim::model::aws::TargetDescription t{"i-0abc", 30080, std::nullopt};
  const sim::model::aws::TargetHealth healthy{"healthy", "", ""};
  const TargetInfo a{t, HealthOf(healthy)};
  const TargetInfo b{t, HealthOf(healthy)};  // another copy of the same value
  CHECK(a.health != b.health);
  CHECK(a == b);
  CHECK_FALSE(a == TargetInfo{t, nullptr});
  CHECK(TargetInfo{t, nullptr} == TargetInfo{t, HealthOf(std::nullopt)});
  CHECK_FALSE(a == TargetInfo{t, HealthOf(sim::model::aws::TargetHealth{"initial", "Elb.RegistrationInProgress", ""})});
  CHECK(a.IsHealthy());
  CHECK_FALSE(TargetInfo{t, nullptr}.IsHealthy());
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::controller
