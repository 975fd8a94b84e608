// FakeElbv2::NextTransitionForSim keeps a per-target-group answer between calls (fake_elbv2.cc):
// it must move whenever a target, the target group, its use or a health answer changes.
#include "sim/aws/fake_elbv2.h"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sim/base/rng.h"
#include "tests/aws/aws_test_world.h"

namespace sim::aws {
namespace {

using testing::TestWorld;
namespace m = ::sim::model::aws;

SimTime Sec(int64_t s) { return std::chrono::seconds(s); }

FakeAwsOptions NoProvisioning() {
  FakeAwsOptions o;
  o.elbv2.provisioning_delay = SimTime{0};
  return o;
}

// A world with one in-use ip target group and a probe that answers from `answers` (by target id;
// absent = pass).
struct ProbedWorld {
  TestWorld w{NoProvisioning()};
  std::map<std::string, HealthProbeAnswer> answers;
  m::TargetGroup tg;
  ProbedWorld() {
    w.elbv2().SetHealthProbeForSim([this](const m::TargetGroup&, const m::TargetDescription& t, uint32_t*) {
      static const HealthProbeAnswer kPass;
      auto it = answers.find(t.id);
      return it == answers.end() ? &kPass : &it->second;
    });
    m::LoadBalancer lb = w.MakeLb("web");
    tg = w.MakeTg("tg", 8080, "ip");
    w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(tg.target_group_arn));
  }
  void Register(const std::string& ip) {
    REQUIRE(w.elbv2().RegisterTargets(ControllerCall(), {tg.target_group_arn, {{ip, 8080, std::nullopt}}}).ok());
  }
  void Deregister(const std::string& ip) {
    REQUIRE(w.elbv2().DeregisterTargets(ControllerCall(), {tg.target_group_arn, {{ip, 8080, std::nullopt}}}).ok());
  }
  void Fail(const std::string& ip) {
    answers[ip] = HealthProbeAnswer{false, "Target.Timeout", "Request timed out"};
    w.elbv2().ObserveTargetHealthForSim({HealthTargetRef{tg.target_group_arn, ip, 8080}});
  }
  std::optional<SimTime> Next() { return w.elbv2().NextTransitionForSim(); }
};

TEST_SUITE("aws.elbv2.next_transition") {
TEST_CASE("the load balancer's target quota counts draining targets until their delay ends, and a re-registered one once") {
  FakeAwsOptions o = NoProvisioning();
  o.quotas.targets_per_application_load_balancer = 2;
  TestWorld w{o};
  m::LoadBalancer lb = w.MakeLb("web");
  m::TargetGroup tg = w.MakeTg("tg", 8080, "ip");
  m::TargetGroup other = w.MakeTg("other", 8080, "ip");  // the same LB: counted, not purged by a call on tg
  m::Listener l = w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(tg.target_group_arn));
  REQUIRE(w.CreateRule(l.listener_arn, 1, "/other", TestWorld::Forward(other.target_group_arn)).ok());
  auto reg = [&](const std::string& ip) {
    return w.elbv2().RegisterTargets(ControllerCall(), {tg.target_group_arn, {{ip, 8080, std::nullopt}}});
  };
  auto reg_other = [&](const std::string& ip) {
    return w.elbv2().RegisterTargets(ControllerCall(), {other.target_group_arn, {{ip, 8080, std::nullopt}}});
  };
  REQUIRE(reg("10.0.64.20").ok());
  REQUIRE(reg("10.0.64.21").ok());
  CHECK(reg("10.0.64.22").error().aws_code == "TooManyTargets");
  REQUIRE(w.elbv2().DeregisterTargets(ControllerCall(), {tg.target_group_arn, {{"10.0.64.21", 8080, std::nullopt}}}).ok());
  CHECK(reg("10.0.64.22").error().aws_code == "TooManyTargets");  // .21 still drains (300 s)
  REQUIRE(reg("10.0.64.21").ok());                                   // back from draining: still 2
  CHECK(reg("10.0.64.22").error().aws_code == "TooManyTargets");
  REQUIRE(w.elbv2().DeregisterTargets(ControllerCall(), {tg.target_group_arn, {{"10.0.64.21", 8080, std::nullopt}}}).ok());
  CHECK(reg_other("10.0.64.30").error().aws_code == "TooManyTargets");
  w.AdvanceSeconds(300);  // its delay is over: gone, though still kept in tg until tg's next call
  CHECK(reg_other("10.0.64.30").ok());
  CHECK(reg("10.0.64.22").error().aws_code == "TooManyTargets");
  CHECK(w.elbv2().TargetsForSim(other.target_group_arn).size() == 1);
  CHECK(w.elbv2().TargetsForSim(tg.target_group_arn).size() == 1);  // .20 (.21 is gone)
}

TEST_CASE("the next transition moves after a failing answer, a deregistration and a health check change") {
  ProbedWorld p;
  const int64_t iv = p.tg.health_check_interval_seconds;
  const int64_t up = p.tg.healthy_threshold_count;
  const int64_t down = p.tg.unhealthy_threshold_count;
  REQUIRE(up > 3);
  REQUIRE(down == 2);
  p.Register("10.0.64.20");
  p.Register("10.0.64.21");
  CHECK(p.Next() == Sec(iv));  // the first check of both
  p.w.AdvanceSeconds(iv);
  CHECK(p.Next() == Sec(iv * up));  // both turn healthy together
  CHECK(p.Next() == Sec(iv * up));  // asked again, nothing changed

  p.Fail("10.0.64.21");  // fails the check at iv already: one more failing check makes it unhealthy
  CHECK(p.Next() == Sec(iv * 2));

  p.Deregister("10.0.64.21");  // draining for the default 300 s: only .20 is still checked
  CHECK(p.Next() == Sec(iv * up));

  ModifyTargetGroupRequest mod;
  mod.target_group_arn = p.tg.target_group_arn;
  mod.healthy_threshold_count = 3;
  REQUIRE(p.w.elbv2().ModifyTargetGroup(ControllerCall(), mod).ok());
  CHECK(p.Next() == Sec(iv * 3));

  p.w.AdvanceSeconds(iv * 3);
  CHECK(p.Next() == Sec(iv + 300));  // .20 is healthy; .21 leaves when its draining ends
  p.w.AdvanceSeconds(300);
  CHECK_FALSE(p.Next().has_value());
}

TEST_CASE("the next transition moves when the probe is replaced and when a target's health is set") {
  ProbedWorld p;
  const int64_t iv = p.tg.health_check_interval_seconds;
  const int64_t up = p.tg.healthy_threshold_count;
  p.Register("10.0.64.20");
  p.w.AdvanceSeconds(iv * up);
  CHECK_FALSE(p.Next().has_value());  // healthy, nothing pending

  // A new probe that fails everything: recorded at the next observation (a DescribeTargetHealth),
  // a second after the last passing check.
  p.w.AdvanceSeconds(1);
  p.w.elbv2().SetHealthProbeForSim([](const m::TargetGroup&, const m::TargetDescription&, uint32_t*) {
    static const HealthProbeAnswer kTimeout{false, "Target.Timeout", "Request timed out"};
    return &kTimeout;
  });
  REQUIRE(p.w.elbv2().DescribeTargetHealth(ControllerCall(), {p.tg.target_group_arn, {}}).ok());
  CHECK(p.Next() == Sec(iv * (up + 2)));  // two failing checks after the switch

  REQUIRE(p.w.elbv2()
              .SetTargetHealthForSim(p.tg.target_group_arn, {"10.0.64.20", 8080, std::nullopt}, "healthy", "", "")
              .ok());
  CHECK_FALSE(p.Next().has_value());  // set by the simulator: no clock-driven change
}

// The cached answer against a cold one: the same random history replayed in a fresh world that
// asks only at the end must give the same next transition at every step.
TEST_CASE("the cached next transition equals a fresh computation after every step of a random history") {
  struct Op {
    int kind;
    int target;
    int64_t seconds;
  };
  Rng rng(7);
  std::vector<Op> ops;
  for (int i = 0; i < 60; ++i) {
    ops.push_back(Op{static_cast<int>(rng.Uniform(6)), static_cast<int>(rng.Uniform(4)),
                     static_cast<int64_t>(1 + rng.Uniform(40))});
  }
  const std::string ips[] = {"10.0.64.20", "10.0.64.21", "10.0.64.22", "10.0.64.23"};
  auto apply = [&](ProbedWorld& p, const Op& op) {
    const std::string& ip = ips[op.target];
    switch (op.kind) {
      case 0:
        p.Register(ip);
        break;
      case 1:
        p.Deregister(ip);
        break;
      case 2:
        p.w.AdvanceSeconds(op.seconds);
        break;
      case 3:
        if (p.answers.count(ip)) {
          p.answers.erase(ip);
          p.w.elbv2().ObserveTargetHealthForSim({HealthTargetRef{p.tg.target_group_arn, ip, 8080}});
        } else {
          p.Fail(ip);
        }
        break;
      case 4: {
        ModifyTargetGroupRequest mod;
        mod.target_group_arn = p.tg.target_group_arn;
        mod.healthy_threshold_count = 2 + static_cast<int>(op.seconds % 4);
        mod.health_check_interval_seconds = 10 + static_cast<int>(op.seconds % 3) * 5;
        REQUIRE(p.w.elbv2().ModifyTargetGroup(ControllerCall(), mod).ok());
        break;
      }
      default:
        p.w.AdvanceSeconds(op.seconds * 3);
        break;
    }
  };
  ProbedWorld warm;
  for (size_t k = 0; k < ops.size(); ++k) {
    apply(warm, ops[k]);
    const std::optional<SimTime> cached = warm.Next();
    ProbedWorld cold;
    for (size_t i = 0; i <= k; ++i) apply(cold, ops[i]);
    CAPTURE(k);
    CHECK(cached == cold.Next());
  }
}
// Targets with the same answers but different eligible times do not share a next transition: a
// target brought back from draining keeps its history and starts over at its re-registration.
TEST_CASE("a re-registered target's next transition starts from its re-registration, not its neighbour's") {
  ProbedWorld p;
  const int64_t iv = p.tg.health_check_interval_seconds;
  const int64_t up = p.tg.healthy_threshold_count;
  p.Register("10.0.64.20");
  p.Register("10.0.64.21");
  p.w.AdvanceSeconds(iv * up);
  CHECK_FALSE(p.Next().has_value());  // both healthy
  p.Deregister("10.0.64.21");
  p.w.AdvanceSeconds(7);
  p.Register("10.0.64.21");  // back from draining with the same history as .20
  const SimTime back = Sec(iv * up + 7);
  CHECK(p.Next() == back + Sec(iv));  // its first check after the re-registration
}

}  // TEST_SUITE

}  // namespace
}  // namespace sim::aws
