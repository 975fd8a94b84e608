#include "sim/aws/fake_elbv2.h"

#include <regex>
#include <string>

#include <doctest/doctest.h>

#include "tests/aws/aws_test_world.h"

namespace sim::aws {
namespace {

using testing::TestWorld;
namespace m = ::sim::model::aws;

// The shared answer of a DescribeAll* call, checked equal to the plain Describe* answer and returned.
template <typename T>
std::vector<T> SameAsDescribed(const Result<std::vector<std::shared_ptr<const T>>>& all,
                               const Result<std::vector<T>>& described) {
  REQUIRE(all.ok());
  REQUIRE(described.ok());
  std::vector<T> got;
  for (const auto& x : all.value()) got.push_back(*x);
  CHECK(got == described.value());
  return got;
}

TEST_SUITE("aws.elbv2") {

TEST_CASE("DescribeAllTargetGroups answers as DescribeTargetGroups across creates, modifies, use by rules and deletes") {
  TestWorld w;
  auto same = [&](int step) {
    CAPTURE(step);
    return SameAsDescribed(w.elbv2().DescribeAllTargetGroups(ControllerCall()),
                           w.elbv2().DescribeTargetGroups(ControllerCall(), DescribeTargetGroupsRequest{}));
  };
  std::vector<std::string> arns;
  for (int i = 0; i < 6; ++i) arns.push_back(w.MakeTg("tg-" + std::to_string(i)).target_group_arn);
  CHECK(same(0).size() == 6);
  arns.push_back(w.MakeTg("tg-new").target_group_arn);
  ModifyTargetGroupRequest mod;
  mod.target_group_arn = arns[2];
  mod.health_check_path = "/ready";
  REQUIRE(w.elbv2().ModifyTargetGroup(ControllerCall(), mod).ok());
  CHECK(same(1).size() == 7);
  const auto lb = w.MakeLb("all-tgs");
  const auto listener = w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(arns[0]));
  auto rule = w.CreateRule(listener.listener_arn, 10, "/a", TestWorld::Forward(arns[3]));
  REQUIRE(rule.ok());
  auto used = same(2);
  CHECK(std::count_if(used.begin(), used.end(), [](const m::TargetGroup& tg) { return !tg.load_balancer_arns.empty(); }) == 2);
  REQUIRE(w.elbv2().DeleteRule(ControllerCall(), rule.value().rule_arn).ok());
  REQUIRE(w.elbv2().DeleteTargetGroup(ControllerCall(), arns[3]).ok());
  REQUIRE(w.elbv2().DeleteTargetGroup(ControllerCall(), arns[5]).ok());
  used = same(3);
  CHECK(used.size() == 5);
  REQUIRE(w.elbv2().DeleteListener(ControllerCall(), listener.listener_arn).ok());
  used = same(4);
  CHECK(std::none_of(used.begin(), used.end(), [](const m::TargetGroup& tg) { return !tg.load_balancer_arns.empty(); }));
}

TEST_CASE("load balancer ARN, DNS name and hosted zone have the real AWS shapes") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("k8s-default-web-0a1b2c3d4e");
  CHECK(std::regex_match(lb.load_balancer_arn,
                         std::regex("arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/"
                                    "k8s-default-web-0a1b2c3d4e/[0-9a-f]{16}")));
  CHECK(std::regex_match(lb.dns_name,
                         std::regex("k8s-default-web-0a1b2c3d4e-[0-9]{10}\\.us-west-2\\.elb\\.amazonaws\\.com")));
  CHECK(lb.canonical_hosted_zone_id == "Z1H1FL5HABSF5");
  CHECK(lb.scheme == "internet-facing");
  CHECK(lb.type == "application");
  CHECK(lb.ip_address_type == "ipv4");
  CHECK(lb.vpc_id == "vpc-0test");
  REQUIRE(lb.availability_zones.size() == 3);
  CHECK(lb.availability_zones[0].zone_name == "us-west-2a");
  CHECK(lb.availability_zones[0].subnet_id == "subnet-pub-a");

  m::LoadBalancer internal = w.MakeLb("k8s-default-int-0a1b2c3d4e", "internal");
  CHECK(std::regex_match(internal.dns_name, std::regex("internal-k8s-default-int-0a1b2c3d4e-[0-9]{10}\\.us-west-2\\."
                                                       "elb\\.amazonaws\\.com")));

  m::TargetGroup tg = w.MakeTg("k8s-default-web-9889425938");
  CHECK(std::regex_match(tg.target_group_arn, std::regex("arn:aws:elasticloadbalancing:us-west-2:123456789012:"
                                                         "targetgroup/k8s-default-web-9889425938/[0-9a-f]{16}")));
  m::Listener l = w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(tg.target_group_arn));
  std::string lb_tail = lb.load_balancer_arn.substr(lb.load_balancer_arn.find("app/"));
  CHECK(std::regex_match(l.listener_arn, std::regex("arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/" +
                                                    lb_tail + "/[0-9a-f]{16}")));
  auto rule = w.CreateRule(l.listener_arn, 1, "/api/*", TestWorld::Forward(tg.target_group_arn));
  REQUIRE(rule.ok());
  std::string l_tail = l.listener_arn.substr(l.listener_arn.find("app/"));
  CHECK(std::regex_match(rule->rule_arn, std::regex("arn:aws:elasticloadbalancing:us-west-2:123456789012:"
                                                    "listener-rule/" + l_tail + "/[0-9a-f]{16}")));
  CHECK(ClassifyElbv2Arn(rule->rule_arn) == Elbv2ArnKind::kRule);
  CHECK(ClassifyElbv2Arn(l.listener_arn) == Elbv2ArnKind::kListener);
  CHECK(AlbHostedZoneId("us-east-1") == "Z35SXDOTRQ7X7K");
  CHECK(AlbHostedZoneId("eu-west-1") == "Z32O12XQLNTSW2");
}

TEST_CASE("ids are deterministic for a seed and differ across seeds") {
  TestWorld a, b;
  FakeAwsOptions other;
  other.seed = 7;
  TestWorld c(other);
  std::string arn_a = a.MakeLb("same-name").load_balancer_arn;
  std::string arn_b = b.MakeLb("same-name").load_balancer_arn;
  std::string arn_c = c.MakeLb("same-name").load_balancer_arn;
  CHECK(arn_a == arn_b);
  CHECK(arn_a != arn_c);
}

TEST_CASE("load balancer name validation uses ValidationError") {
  TestWorld w;
  CreateLoadBalancerRequest req;
  req.subnets = {"subnet-pub-a", "subnet-pub-b"};
  SUBCASE("too long") {
    req.name = std::string(33, 'a');
    auto r = w.elbv2().CreateLoadBalancer(ControllerCall(), req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "ValidationError");
    CHECK(r.error().message == "The load balancer name '" + req.name + "' cannot be longer than '32' characters");
  }
  SUBCASE("internal- prefix") {
    req.name = "internal-web";
    auto r = w.elbv2().CreateLoadBalancer(ControllerCall(), req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "ValidationError");
  }
  SUBCASE("trailing hyphen") {
    req.name = "web-";
    CHECK(w.elbv2().CreateLoadBalancer(ControllerCall(), req).error().aws_code == "ValidationError");
  }
}

TEST_CASE("CreateLoadBalancer enforces the subnet rules of an ALB") {
  TestWorld w;
  CreateLoadBalancerRequest req;
  req.name = "web";
  SUBCASE("one AZ is not enough") {
    req.subnets = {"subnet-pub-a"};
    auto r = w.elbv2().CreateLoadBalancer(ControllerCall(), req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "ValidationError");
    CHECK(r.error().message == "At least two subnets in two different Availability Zones must be specified");
  }
  SUBCASE("two subnets in one AZ") {
    req.subnets = {"subnet-pub-a", "subnet-priv-a"};
    auto r = w.elbv2().CreateLoadBalancer(ControllerCall(), req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "InvalidConfigurationRequest");
    CHECK(r.error().message == "A load balancer cannot be attached to multiple subnets in the same Availability Zone");
  }
  SUBCASE("unknown subnet") {
    req.subnets = {"subnet-pub-a", "subnet-nope"};
    auto r = w.elbv2().CreateLoadBalancer(ControllerCall(), req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "SubnetNotFound");
    CHECK(r.error().code == ErrorCode::kNotFound);
  }
  SUBCASE("unknown security group") {
    req.subnets = {"subnet-pub-a", "subnet-pub-b"};
    req.security_groups = {"sg-00000000000000000"};
    CHECK(w.elbv2().CreateLoadBalancer(ControllerCall(), req).error().aws_code == "InvalidSecurityGroup");
  }
}

TEST_CASE("CreateLoadBalancer is idempotent only for identical settings") {
  TestWorld w;
  m::LoadBalancer first = w.MakeLb("web");
  CreateLoadBalancerRequest req;
  req.name = "web";
  req.subnets = {"subnet-pub-c", "subnet-pub-a", "subnet-pub-b"};
  req.security_groups = {w.node_sg};
  SUBCASE("same settings return the existing load balancer") {
    auto again = w.elbv2().CreateLoadBalancer(ControllerCall(), req);
    REQUIRE(again.ok());
    CHECK(again->load_balancer_arn == first.load_balancer_arn);
    CHECK(w.elbv2().load_balancer_count() == 1);
  }
  SUBCASE("another scheme fails with DuplicateLoadBalancerName") {
    req.scheme = "internal";
    auto clash = w.elbv2().CreateLoadBalancer(ControllerCall(), req);
    REQUIRE_FALSE(clash.ok());
    CHECK(clash.error().aws_code == "DuplicateLoadBalancerName");
    CHECK(clash.error().message == "A load balancer with the same name 'web' exists, but with different settings");
    CHECK(clash.error().code == ErrorCode::kAlreadyExists);
  }
}

TEST_CASE("a DescribeAllTargetGroups answer stays whole while later answers replace its target groups") {
  TestWorld w;
  std::vector<std::string> arns;
  for (int i = 0; i < 3; ++i) arns.push_back(w.MakeTg("tg-" + std::to_string(i)).target_group_arn);
  auto first = w.elbv2().DescribeAllTargetGroups(ControllerCall());
  REQUIRE(first.ok());
  // More answers than a holder chain is long, each after every target group changed.
  for (int round = 0; round < 70; ++round) {
    for (const std::string& arn : arns) {
      ModifyTargetGroupRequest mod;
      mod.target_group_arn = arn;
      mod.health_check_path = "/round-" + std::to_string(round);
      REQUIRE(w.elbv2().ModifyTargetGroup(ControllerCall(), mod).ok());
    }
    auto all = w.elbv2().DescribeAllTargetGroups(ControllerCall());
    REQUIRE(all.ok());
    REQUIRE(all.value().size() == 3);
    for (const auto& tg : all.value()) CHECK(tg->health_check_path == "/round-" + std::to_string(round));
  }
  REQUIRE(first.value().size() == 3);
  for (const auto& tg : first.value()) CHECK(tg->health_check_path == "/");  // as first answered
}

TEST_CASE("DescribeAllLoadBalancers answers as DescribeLoadBalancers across creates, activation, edits and deletes") {
  TestWorld w;
  auto same = [&](int step) {
    CAPTURE(step);
    return SameAsDescribed(w.elbv2().DescribeAllLoadBalancers(ControllerCall()),
                           w.elbv2().DescribeLoadBalancers(ControllerCall(), DescribeLoadBalancersRequest{}));
  };
  auto active = [](const std::vector<m::LoadBalancer>& lbs) {
    return std::count_if(lbs.begin(), lbs.end(), [](const m::LoadBalancer& lb) { return lb.state.code == "active"; });
  };
  std::vector<std::string> arns;
  for (int i = 0; i < 3; ++i) arns.push_back(w.MakeLb("lb-" + std::to_string(i)).load_balancer_arn);
  CHECK(active(same(0)) == 0);
  w.AdvanceSeconds(30);
  arns.push_back(w.MakeLb("lb-late").load_balancer_arn);
  CHECK(active(same(1)) == 0);
  w.AdvanceSeconds(30);  // the first three turn active
  CHECK(active(same(2)) == 3);
  SetSecurityGroupsRequest sgs;
  sgs.load_balancer_arn = arns[1];
  sgs.security_groups = {};
  REQUIRE(w.elbv2().SetSecurityGroups(ControllerCall(), sgs).ok());
  REQUIRE(w.elbv2().DeleteLoadBalancer(ControllerCall(), arns[2]).ok());
  CHECK(same(3).size() == 3);
  w.AdvanceSeconds(30);
  CHECK(active(same(4)) == 3);
}

TEST_CASE("a new load balancer is provisioning until the provisioning delay has passed on the sim clock") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  CHECK(lb.state.code == "provisioning");
  w.AdvanceSeconds(59);
  auto d = w.elbv2().DescribeLoadBalancers(ControllerCall(), {{lb.load_balancer_arn}, {}});
  REQUIRE(d.ok());
  CHECK(d->at(0).state.code == "provisioning");
  w.AdvanceSeconds(1);
  d = w.elbv2().DescribeLoadBalancers(ControllerCall(), {{lb.load_balancer_arn}, {}});
  CHECK(d->at(0).state.code == "active");
  CHECK(d->at(0).created_time == SimTime(0));
}

TEST_CASE("DescribeLoadBalancers fails with LoadBalancerNotFound for an unknown ARN and lists all otherwise") {
  TestWorld w;
  w.MakeLb("b-lb");
  w.MakeLb("a-lb");
  auto all = w.elbv2().DescribeLoadBalancers(ControllerCall(), {});
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK(all->at(0).load_balancer_name == "a-lb");
  auto missing = w.elbv2().DescribeLoadBalancers(
      ControllerCall(), {{"arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/x/0123456789abcdef"}, {}});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().aws_code == "LoadBalancerNotFound");
  CHECK(missing.error().message == "One or more load balancers not found");
  auto by_name = w.elbv2().DescribeLoadBalancers(ControllerCall(), {{}, {"b-lb"}});
  REQUIRE(by_name.ok());
  CHECK(by_name->at(0).load_balancer_name == "b-lb");
}

TEST_CASE("CreateTargetGroup is idempotent only for identical settings") {
  TestWorld w;
  CreateTargetGroupRequest req = TestWorld::TgRequest("k8s-web-80", 8080);
  auto first = w.elbv2().CreateTargetGroup(ControllerCall(), req);
  REQUIRE(first.ok());
  CHECK(first->health_check_interval_seconds == 30);
  CHECK(first->health_check_timeout_seconds == 5);
  CHECK(first->health_check_port == "traffic-port");
  CHECK(first->matcher->http_code == "200");
  CHECK(first->protocol_version == "HTTP1");
  SUBCASE("same settings return the same ARN") {
    CHECK(w.elbv2().CreateTargetGroup(ControllerCall(), req)->target_group_arn == first->target_group_arn);
  }
  SUBCASE("a different port fails with DuplicateTargetGroupName") {
    req.port = 9090;
    auto clash = w.elbv2().CreateTargetGroup(ControllerCall(), req);
    REQUIRE_FALSE(clash.ok());
    CHECK(clash.error().aws_code == "DuplicateTargetGroupName");
    CHECK(clash.error().message ==
          "A target group with the same name 'k8s-web-80' exists, but with different settings");
  }
}

TEST_CASE("CreateTargetGroup validates health-check ranges and the VPC") {
  TestWorld w;
  CreateTargetGroupRequest req = TestWorld::TgRequest("tg");
  SUBCASE("timeout must be below the interval") {
    req.health_check_interval_seconds = 10;
    req.health_check_timeout_seconds = 10;
    auto r = w.elbv2().CreateTargetGroup(ControllerCall(), req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "ValidationError");
    CHECK(r.error().message == "Health check interval must be greater than the timeout.");
  }
  SUBCASE("unknown VPC") {
    req.vpc_id = "vpc-nope";
    auto r = w.elbv2().CreateTargetGroup(ControllerCall(), req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "The VPC ID 'vpc-nope' is not found");
  }
  SUBCASE("double hyphen in the name") {
    req.name = "a--b";
    CHECK(w.elbv2().CreateTargetGroup(ControllerCall(), req).error().aws_code == "ValidationError");
  }
  SUBCASE("bad matcher") {
    req.matcher = m::Matcher{"600", std::nullopt};
    CHECK(w.elbv2().CreateTargetGroup(ControllerCall(), req).error().aws_code == "ValidationError");
  }
}

TEST_CASE("rules: PriorityInUse, ValidationError on range, and default rule last in DescribeRules") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  m::TargetGroup tg = w.MakeTg("tg");
  m::Listener l = w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Fixed("404"));
  REQUIRE(w.CreateRule(l.listener_arn, 5, "/a/*", TestWorld::Forward(tg.target_group_arn)).ok());
  REQUIRE(w.CreateRule(l.listener_arn, 2, "/b/*", TestWorld::Forward(tg.target_group_arn)).ok());
  auto clash = w.CreateRule(l.listener_arn, 5, "/c/*", TestWorld::Forward(tg.target_group_arn));
  REQUIRE_FALSE(clash.ok());
  CHECK(clash.error().aws_code == "PriorityInUse");
  CHECK(clash.error().message == "Priority '5' is currently in use");
  auto range = w.CreateRule(l.listener_arn, 50001, "/c/*", TestWorld::Forward(tg.target_group_arn));
  CHECK(range.error().aws_code == "ValidationError");

  DescribeRulesRequest dr;
  dr.listener_arn = l.listener_arn;
  auto rules = w.elbv2().DescribeRules(ControllerCall(), dr);
  REQUIRE(rules.ok());
  REQUIRE(rules->size() == 3);
  CHECK(rules->at(0).priority == "2");
  CHECK(rules->at(1).priority == "5");
  CHECK(rules->at(2).priority == "default");
  CHECK(rules->at(2).is_default);
  CHECK(rules->at(2).actions.at(0).type == "fixed-response");
  // Forward actions are described as AWS does: TargetGroupArn plus a ForwardConfig with weight 1.
  const m::Action& fwd = rules->at(0).actions.at(0);
  CHECK(fwd.target_group_arn == tg.target_group_arn);
  REQUIRE(fwd.forward_config.has_value());
  CHECK(fwd.forward_config->target_groups.at(0).weight == 1);
  CHECK(fwd.forward_config->target_group_stickiness_config->enabled == false);
  CHECK(fwd.order == 1);
  // Path conditions come back with both Values and PathPatternConfig.
  CHECK(rules->at(0).conditions.at(0).values == std::vector<std::string>{"/b/*"});
  CHECK(rules->at(0).conditions.at(0).path_pattern_config->values == std::vector<std::string>{"/b/*"});
}

TEST_CASE("SetRulePriorities swaps two priorities atomically and rejects real conflicts") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  m::TargetGroup tg = w.MakeTg("tg");
  m::Listener l = w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Fixed("404"));
  auto r1 = w.CreateRule(l.listener_arn, 1, "/a/*", TestWorld::Forward(tg.target_group_arn));
  auto r2 = w.CreateRule(l.listener_arn, 2, "/b/*", TestWorld::Forward(tg.target_group_arn));
  auto r3 = w.CreateRule(l.listener_arn, 3, "/c/*", TestWorld::Forward(tg.target_group_arn));
  REQUIRE((r1.ok() && r2.ok() && r3.ok()));
  SUBCASE("swap") {
    SetRulePrioritiesRequest req{{{r1->rule_arn, 2}, {r2->rule_arn, 1}}};
    auto res = w.elbv2().SetRulePriorities(ControllerCall(), req);
    REQUIRE_MESSAGE(res.ok(), res.error().ToString());
    auto rules = w.elbv2().RulesForSim(l.listener_arn);
    CHECK(rules.at(0).rule_arn == r2->rule_arn);
    CHECK(rules.at(1).rule_arn == r1->rule_arn);
  }
  SUBCASE("conflict with a rule that does not move") {
    SetRulePrioritiesRequest req{{{r1->rule_arn, 3}}};
    auto res = w.elbv2().SetRulePriorities(ControllerCall(), req);
    REQUIRE_FALSE(res.ok());
    CHECK(res.error().aws_code == "PriorityInUse");
    CHECK(w.elbv2().RulesForSim(l.listener_arn).at(0).rule_arn == r1->rule_arn);  // unchanged
  }
  SUBCASE("same priority twice in one request") {
    SetRulePrioritiesRequest req{{{r1->rule_arn, 10}, {r2->rule_arn, 10}}};
    auto res = w.elbv2().SetRulePriorities(ControllerCall(), req);
    REQUIRE_FALSE(res.ok());
    CHECK(res.error().aws_code == "ValidationError");
    CHECK(res.error().message == "Priority '10' was provided multiple times");
  }
  SUBCASE("default rule cannot be re-prioritised") {
    auto rules = w.elbv2().RulesForSim(l.listener_arn);
    SetRulePrioritiesRequest req{{{rules.back().rule_arn, 9}}};
    CHECK(w.elbv2().SetRulePriorities(ControllerCall(), req).error().aws_code == "OperationNotPermitted");
  }
}

TEST_CASE("TooManyRules once the per-ALB rules quota is reached") {
  FakeAwsOptions opts;
  REQUIRE(SetQuota(&opts.quotas, "rules-per-application-load-balancer", 2).ok());
  TestWorld w(opts);
  m::LoadBalancer lb = w.MakeLb("web");
  m::Listener l = w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Fixed("404"));
  REQUIRE(w.CreateRule(l.listener_arn, 1, "/a", TestWorld::Fixed("200")).ok());
  REQUIRE(w.CreateRule(l.listener_arn, 2, "/b", TestWorld::Fixed("200")).ok());
  auto third = w.CreateRule(l.listener_arn, 3, "/c", TestWorld::Fixed("200"));
  REQUIRE_FALSE(third.ok());
  CHECK(third.error().aws_code == "TooManyRules");
  CHECK(third.error().code == ErrorCode::kResourceExhausted);
}

TEST_CASE("DeleteTargetGroup fails with ResourceInUse while a listener or rule forwards to it") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  m::TargetGroup tg = w.MakeTg("tg");
  m::TargetGroup tg2 = w.MakeTg("tg2");
  m::Listener l = w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Fixed("404"));
  auto rule = w.CreateRule(l.listener_arn, 1, "/a", TestWorld::Forward(tg.target_group_arn));
  REQUIRE(rule.ok());
  CHECK(w.elbv2().TargetGroupForSim(tg.target_group_arn)->load_balancer_arns ==
        std::vector<std::string>{lb.load_balancer_arn});
  auto del = w.elbv2().DeleteTargetGroup(ControllerCall(), tg.target_group_arn);
  REQUIRE_FALSE(del.ok());
  CHECK(del.error().aws_code == "ResourceInUse");
  CHECK(del.error().message == "Target group '" + tg.target_group_arn + "' is currently in use by a listener or a rule");
  CHECK(del.error().code == ErrorCode::kFailedPrecondition);
  ModifyRuleRequest mod;
  mod.rule_arn = rule->rule_arn;
  mod.actions = std::vector<m::Action>{TestWorld::Forward(tg2.target_group_arn)};
  REQUIRE(w.elbv2().ModifyRule(ControllerCall(), mod).ok());
  CHECK(w.elbv2().DeleteTargetGroup(ControllerCall(), tg.target_group_arn).ok());
  CHECK(w.elbv2().DeleteTargetGroup(ControllerCall(), tg.target_group_arn).error().aws_code == "TargetGroupNotFound");
}

TEST_CASE("a target group cannot be used by two load balancers") {
  TestWorld w;
  m::LoadBalancer a = w.MakeLb("lb-a");
  m::LoadBalancer b = w.MakeLb("lb-b");
  m::TargetGroup tg = w.MakeTg("tg");
  w.MakeListener(a.load_balancer_arn, 80, TestWorld::Forward(tg.target_group_arn));
  CreateListenerRequest req;
  req.load_balancer_arn = b.load_balancer_arn;
  req.protocol = "HTTP";
  req.port = 80;
  req.default_actions = {TestWorld::Forward(tg.target_group_arn)};
  auto r = w.elbv2().CreateListener(ControllerCall(), req);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().aws_code == "TargetGroupAssociationLimit");
}

TEST_CASE("deleting a load balancer deletes its listeners and rules but not its target groups") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  m::TargetGroup tg = w.MakeTg("tg");
  m::Listener l = w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(tg.target_group_arn));
  auto rule = w.CreateRule(l.listener_arn, 1, "/a", TestWorld::Forward(tg.target_group_arn));
  REQUIRE(rule.ok());
  CHECK(w.elbv2().rule_count() == 1);
  REQUIRE(w.elbv2().DeleteLoadBalancer(ControllerCall(), lb.load_balancer_arn).ok());
  CHECK(w.elbv2().load_balancer_count() == 0);
  CHECK(w.elbv2().listener_count() == 0);
  CHECK(w.elbv2().rule_count(/*include_default=*/true) == 0);
  CHECK(w.elbv2().target_group_count() == 1);
  CHECK(w.elbv2().TargetGroupForSim(tg.target_group_arn)->load_balancer_arns.empty());
  DescribeListenersRequest dl;
  dl.listener_arns = {l.listener_arn};
  CHECK(w.elbv2().DescribeListeners(ControllerCall(), dl).error().aws_code == "ListenerNotFound");
  // Deleting an unknown load balancer succeeds, and the target group is now deletable.
  CHECK(w.elbv2().DeleteLoadBalancer(ControllerCall(), lb.load_balancer_arn).ok());
  CHECK(w.elbv2().DeleteTargetGroup(ControllerCall(), tg.target_group_arn).ok());
  CHECK(w.elbv2().IsSecurityGroupInUse(w.node_sg) == false);
}

TEST_CASE("deletion protection refuses DeleteLoadBalancer with OperationNotPermitted") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  ModifyLoadBalancerAttributesRequest mod{lb.load_balancer_arn, {{"deletion_protection.enabled", "true"}}};
  REQUIRE(w.elbv2().ModifyLoadBalancerAttributes(ControllerCall(), mod).ok());
  auto del = w.elbv2().DeleteLoadBalancer(ControllerCall(), lb.load_balancer_arn);
  REQUIRE_FALSE(del.ok());
  CHECK(del.error().aws_code == "OperationNotPermitted");
  CHECK(del.error().message.find("deletion protection") != std::string::npos);
  mod.attributes = {{"deletion_protection.enabled", "false"}};
  REQUIRE(w.elbv2().ModifyLoadBalancerAttributes(ControllerCall(), mod).ok());
  CHECK(w.elbv2().DeleteLoadBalancer(ControllerCall(), lb.load_balancer_arn).ok());
}

TEST_CASE("load balancer attributes have ALB defaults and reject unknown keys and bad values") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  auto attrs = w.elbv2().DescribeLoadBalancerAttributes(ControllerCall(), lb.load_balancer_arn);
  REQUIRE(attrs.ok());
  CHECK(w.elbv2().LoadBalancerAttributeForSim(lb.load_balancer_arn, "idle_timeout.timeout_seconds") == "60");
  CHECK(w.elbv2().LoadBalancerAttributeForSim(lb.load_balancer_arn, "routing.http2.enabled") == "true");
  ModifyLoadBalancerAttributesRequest bad{lb.load_balancer_arn, {{"no.such.key", "1"}}};
  CHECK(w.elbv2().ModifyLoadBalancerAttributes(ControllerCall(), bad).error().aws_code == "InvalidConfigurationRequest");
  ModifyLoadBalancerAttributesRequest range{lb.load_balancer_arn, {{"idle_timeout.timeout_seconds", "5000"}}};
  CHECK(w.elbv2().ModifyLoadBalancerAttributes(ControllerCall(), range).error().aws_code ==
        "InvalidConfigurationRequest");
  CHECK(w.elbv2().LoadBalancerAttributeForSim(lb.load_balancer_arn, "idle_timeout.timeout_seconds") == "60");
}

TEST_CASE("tags: add overwrites, remove, describe, and the limits") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  m::TargetGroup tg = w.MakeTg("tg");
  AddTagsRequest add{{lb.load_balancer_arn, tg.target_group_arn}, {{"elbv2.k8s.aws/cluster", "demo"}, {"a", "1"}}};
  REQUIRE(w.elbv2().AddTags(ControllerCall(), add).ok());
  add.tags = {{"a", "2"}};
  REQUIRE(w.elbv2().AddTags(ControllerCall(), add).ok());
  RemoveTagsRequest rm{{tg.target_group_arn}, {"elbv2.k8s.aws/cluster"}};
  REQUIRE(w.elbv2().RemoveTags(ControllerCall(), rm).ok());
  auto d = w.elbv2().DescribeTags(ControllerCall(), {{lb.load_balancer_arn, tg.target_group_arn}});
  REQUIRE(d.ok());
  CHECK(d->at(0).resource_arn == lb.load_balancer_arn);
  CHECK(d->at(0).tags == std::vector<m::Tag>{{"a", "2"}, {"elbv2.k8s.aws/cluster", "demo"}});
  CHECK(d->at(1).tags == std::vector<m::Tag>{{"a", "2"}});

  SUBCASE("duplicate keys in one request") {
    AddTagsRequest dup{{lb.load_balancer_arn}, {{"k", "1"}, {"k", "2"}}};
    CHECK(w.elbv2().AddTags(ControllerCall(), dup).error().aws_code == "DuplicateTagKeys");
  }
  SUBCASE("more than 50 tags after the merge") {
    AddTagsRequest many{{lb.load_balancer_arn}, {}};
    for (int i = 0; i < 49; ++i) many.tags.push_back({"k" + std::to_string(i), "v"});
    auto r = w.elbv2().AddTags(ControllerCall(), many);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "TooManyTags");
    CHECK(w.elbv2().DescribeTags(ControllerCall(), {{lb.load_balancer_arn}})->at(0).tags.size() == 2);
  }
  SUBCASE("DescribeTags takes at most 20 ARNs") {
    DescribeTagsRequest req;
    for (int i = 0; i < 21; ++i) req.resource_arns.push_back(lb.load_balancer_arn);
    CHECK(w.elbv2().DescribeTags(ControllerCall(), req).error().aws_code == "ValidationError");
  }
  SUBCASE("unknown ARN gives the not-found code of its kind") {
    std::string gone = tg.target_group_arn;
    REQUIRE(w.elbv2().DeleteTargetGroup(ControllerCall(), gone).ok());
    CHECK(w.elbv2().DescribeTags(ControllerCall(), {{gone}}).error().aws_code == "TargetGroupNotFound");
    CHECK(w.elbv2().AddTags(ControllerCall(), {{gone}, {{"x", "y"}}}).error().aws_code == "TargetGroupNotFound");
  }
}

TEST_CASE("HTTPS listeners need a certificate; extra certificates are added once") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  CreateListenerRequest req;
  req.load_balancer_arn = lb.load_balancer_arn;
  req.protocol = "HTTPS";
  req.port = 443;
  req.default_actions = {TestWorld::Fixed("404")};
  auto no_cert = w.elbv2().CreateListener(ControllerCall(), req);
  REQUIRE_FALSE(no_cert.ok());
  CHECK(no_cert.error().message == "A certificate must be specified for HTTPS listeners");
  req.certificates = {m::Certificate{"arn:aws:acm:us-west-2:123456789012:certificate/one", std::nullopt}};
  auto l = w.elbv2().CreateListener(ControllerCall(), req);
  REQUIRE(l.ok());
  CHECK(l->ssl_policy == "ELBSecurityPolicy-2016-08");
  ListenerCertificatesRequest add{l->listener_arn,
                                  {{"arn:aws:acm:us-west-2:123456789012:certificate/one", std::nullopt},
                                   {"arn:aws:acm:us-west-2:123456789012:certificate/two", std::nullopt}}};
  REQUIRE(w.elbv2().AddListenerCertificates(ControllerCall(), add).ok());
  REQUIRE(w.elbv2().AddListenerCertificates(ControllerCall(), add).ok());
  auto certs = w.elbv2().DescribeListenerCertificates(ControllerCall(), l->listener_arn);
  REQUIRE(certs.ok());
  REQUIRE(certs->size() == 2);
  CHECK(certs->at(0).is_default == true);
  CHECK(certs->at(1).certificate_arn == "arn:aws:acm:us-west-2:123456789012:certificate/two");
  CHECK(certs->at(1).is_default == false);
  auto dup = w.elbv2().CreateListener(ControllerCall(), [&] {
    CreateListenerRequest other = req;
    other.protocol = "HTTP";
    other.certificates.clear();
    return other;
  }());
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().aws_code == "DuplicateListener");
}

TEST_CASE("registered targets go initial, then healthy, and drain on deregistration") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  m::TargetGroup tg = w.MakeTg("tg", 8080, "ip");
  TargetsRequest reg{tg.target_group_arn, {{"10.0.64.20", 8080, std::nullopt}}};
  REQUIRE(w.elbv2().RegisterTargets(ControllerCall(), reg).ok());
  auto health = [&] {
    auto h = w.elbv2().DescribeTargetHealth(ControllerCall(), {tg.target_group_arn, {}});
    REQUIRE(h.ok());
    REQUIRE(h->size() == 1);
    return h->at(0).target_health;
  };
  CHECK(health().state == "unused");
  CHECK(health().reason == "Target.NotInUse");
  w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(tg.target_group_arn));
  CHECK(health().state == "initial");
  CHECK(health().reason == "Elb.RegistrationInProgress");
  w.AdvanceSeconds(5 * 30);  // HealthyThresholdCount × interval
  CHECK(health().state == "healthy");
  REQUIRE(w.elbv2()
              .SetTargetHealthForSim(tg.target_group_arn, {"10.0.64.20", 8080, std::nullopt}, "unhealthy",
                                     "Target.ResponseCodeMismatch", "Health checks failed with these codes: [502]")
              .ok());
  CHECK(health().state == "unhealthy");
  REQUIRE(w.elbv2().DeregisterTargets(ControllerCall(), reg).ok());
  CHECK(health().state == "draining");
  w.AdvanceSeconds(300);
  auto h = w.elbv2().DescribeTargetHealth(ControllerCall(), {tg.target_group_arn, {}});
  CHECK(h->empty());
  auto asked = w.elbv2().DescribeTargetHealth(ControllerCall(), {tg.target_group_arn, {{"10.0.64.20", 8080, {}}}});
  REQUIRE(asked->size() == 1);
  CHECK(asked->at(0).target_health.state == "unused");
  CHECK(asked->at(0).target_health.reason == "Target.NotRegistered");
  CHECK(asked->at(0).target_health.description == "Target is not registered to the target group");
}

TEST_CASE("the target keys for the run's inventory are the targets the snapshot lists, draining ones until they are gone") {
  TestWorld w;
  auto lb = w.MakeLb("web");
  m::TargetGroup ip_tg = w.MakeTg("ip", 8080, "ip");
  m::TargetGroup empty_tg = w.MakeTg("empty", 8080, "ip");
  w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(ip_tg.target_group_arn));
  REQUIRE(w.elbv2()
              .RegisterTargets(ControllerCall(), {ip_tg.target_group_arn,
                                                  {{"10.0.64.20", 8080, {}}, {"10.0.64.21", 9090, {}}, {"10.0.64.22", {}, {}}}})
              .ok());
  REQUIRE(w.elbv2().DeregisterTargets(ControllerCall(), {ip_tg.target_group_arn, {{"10.0.64.21", 9090, {}}}}).ok());
  auto same_as_snapshot = [&] {
    std::map<std::string, std::vector<std::string>> want;
    for (const auto& [arn, list] : w.elbv2().Snapshot().target_health) {
      auto& keys = want[arn];
      for (const auto& t : list) keys.push_back(t.target.id + ":" + std::to_string(t.target.port.value_or(0)));
      std::sort(keys.begin(), keys.end());
    }
    std::map<std::string, std::vector<std::string>> got;  // as given: the keys come sorted
    for (const auto& [arn, keys] : w.elbv2().TargetKeysForSim()) {
      auto& list = got[arn];
      for (size_t i = 0; i < keys.size(); ++i) list.emplace_back(keys[i]);
    }
    CHECK(got == want);
    return got;
  };
  auto keys = same_as_snapshot();  // the deregistered one drains: still listed
  CHECK(keys.at(ip_tg.target_group_arn) == std::vector<std::string>{"10.0.64.20:8080", "10.0.64.21:9090", "10.0.64.22:8080"});
  CHECK(keys.at(empty_tg.target_group_arn).empty());
  w.AdvanceSeconds(300);  // the deregistration delay
  keys = same_as_snapshot();
  CHECK(keys.at(ip_tg.target_group_arn) == std::vector<std::string>{"10.0.64.20:8080", "10.0.64.22:8080"});
  CHECK(w.elbv2().Snapshot({.targets = false}).target_health.empty());
  const Elbv2Snapshot full = w.elbv2().Snapshot();
  const Elbv2Snapshot bare = w.elbv2().Snapshot({.targets = false, .tags_and_attributes = false});
  CHECK(bare.tags.empty());
  CHECK(bare.load_balancer_attributes.empty());
  CHECK(bare.target_group_attributes.empty());
  CHECK(bare.target_health.empty());
  CHECK_FALSE(full.load_balancer_attributes.empty());
  CHECK_FALSE(full.target_group_attributes.empty());
  CHECK(bare.load_balancers == full.load_balancers);  // the resources are the same
  CHECK(bare.listeners == full.listeners);
  CHECK(bare.rules == full.rules);
  CHECK(bare.target_groups == full.target_groups);
}

TEST_CASE("targets registered in batches are listed once each in (Id, Port) order, first of duplicates kept") {
  TestWorld w;
  m::TargetGroup tg = w.MakeTg("tg", 8080, "ip");
  auto listed = [&] {
    auto h = w.elbv2().DescribeTargetHealth(ControllerCall(), {tg.target_group_arn, {}});
    REQUIRE(h.ok());
    std::vector<std::string> out;
    for (const auto& d : *h) {
      out.push_back(d.target.id + ":" + std::to_string(d.target.port.value_or(0)) + "@" +
                    d.target.availability_zone.value_or("-") + "/" + d.target_health.state);
    }
    return out;
  };
  // Out of order, with a duplicate whose zone differs (the first one stays) and one on the TG port.
  REQUIRE(w.elbv2()
              .RegisterTargets(ControllerCall(), {tg.target_group_arn,
                                                  {{"10.0.64.30", 8080, {}},
                                                   {"10.0.64.20", 9090, {}},
                                                   {"10.0.64.30", {}, std::string("all")},
                                                   {"10.0.64.20", 8080, {}}}})
              .ok());
  CHECK(listed() == std::vector<std::string>{"10.0.64.20:8080@-/unused", "10.0.64.20:9090@-/unused",
                                             "10.0.64.30:8080@-/unused"});
  // A second batch lands between and around the first; the registered one in it changes nothing.
  REQUIRE(w.elbv2()
              .RegisterTargets(ControllerCall(), {tg.target_group_arn,
                                                  {{"10.0.64.25", 8080, {}}, {"10.0.64.10", 8080, {}},
                                                   {"10.0.64.20", 9090, std::string("all")}, {"10.0.64.40", 8080, {}}}})
              .ok());
  CHECK(listed() == std::vector<std::string>{"10.0.64.10:8080@-/unused", "10.0.64.20:8080@-/unused",
                                             "10.0.64.20:9090@-/unused", "10.0.64.25:8080@-/unused",
                                             "10.0.64.30:8080@-/unused", "10.0.64.40:8080@-/unused"});
  // Not in use: deregistered targets go at once, whatever the delay.
  REQUIRE(w.elbv2()
              .DeregisterTargets(ControllerCall(), {tg.target_group_arn,
                                                    {{"10.0.64.25", 8080, {}}, {"10.0.64.10", {}, {}}, {"10.0.64.99", 8080, {}}}})
              .ok());
  CHECK(listed() == std::vector<std::string>{"10.0.64.20:8080@-/unused", "10.0.64.20:9090@-/unused",
                                             "10.0.64.30:8080@-/unused", "10.0.64.40:8080@-/unused"});
  // In use: they drain; registering a draining one (twice in one request) brings it back once.
  auto lb = w.MakeLb("web");
  w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(tg.target_group_arn));
  REQUIRE(w.elbv2()
              .DeregisterTargets(ControllerCall(), {tg.target_group_arn, {{"10.0.64.30", 8080, {}}, {"10.0.64.40", 8080, {}}}})
              .ok());
  CHECK(listed() == std::vector<std::string>{"10.0.64.20:8080@-/initial", "10.0.64.20:9090@-/initial",
                                             "10.0.64.30:8080@-/draining", "10.0.64.40:8080@-/draining"});
  REQUIRE(w.elbv2()
              .RegisterTargets(ControllerCall(), {tg.target_group_arn, {{"10.0.64.40", 8080, {}}, {"10.0.64.40", 8080, {}}}})
              .ok());
  CHECK(listed() == std::vector<std::string>{"10.0.64.20:8080@-/initial", "10.0.64.20:9090@-/initial",
                                             "10.0.64.30:8080@-/draining", "10.0.64.40:8080@-/initial"});
  w.AdvanceSeconds(300);  // the deregistration delay: the draining one is gone
  CHECK(listed() == std::vector<std::string>{"10.0.64.20:8080@-/healthy", "10.0.64.20:9090@-/healthy",
                                             "10.0.64.40:8080@-/healthy"});
}

TEST_CASE("draining targets count toward the per-target-group quota until their delay has passed") {
  FakeAwsOptions options;
  options.quotas.targets_per_target_group = 2;
  TestWorld w(options);
  m::TargetGroup tg = w.MakeTg("tg", 8080, "ip");
  auto lb = w.MakeLb("web");
  w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(tg.target_group_arn));
  auto reg = [&](const char* ip) {
    return w.elbv2().RegisterTargets(ControllerCall(), {tg.target_group_arn, {{ip, 8080, {}}}});
  };
  REQUIRE(reg("10.0.64.10").ok());
  REQUIRE(reg("10.0.64.11").ok());
  // Listed twice in one request: drains once.
  REQUIRE(w.elbv2()
              .DeregisterTargets(ControllerCall(), {tg.target_group_arn, {{"10.0.64.10", 8080, {}}, {"10.0.64.10", {}, {}}}})
              .ok());
  auto third = reg("10.0.64.12");  // the draining one still takes a place
  REQUIRE_FALSE(third.ok());
  CHECK(third.error().aws_code == "TooManyTargets");
  w.AdvanceSeconds(300);  // the deregistration delay: gone, and purged by the next registration
  CHECK(reg("10.0.64.12").ok());
  auto h = w.elbv2().DescribeTargetHealth(ControllerCall(), {tg.target_group_arn, {}});
  REQUIRE(h.ok());
  REQUIRE(h->size() == 2);
  CHECK(h->at(0).target.id == "10.0.64.11");
  CHECK(h->at(1).target.id == "10.0.64.12");
  // Deregistered at once (no delay): its place is free for the next registration right away.
  REQUIRE(w.elbv2()
              .ModifyTargetGroupAttributes(ControllerCall(), {tg.target_group_arn,
                                                              {m::Attribute{"deregistration_delay.timeout_seconds", "0"}}})
              .ok());
  REQUIRE(w.elbv2().DeregisterTargets(ControllerCall(), {tg.target_group_arn, {{"10.0.64.11", 8080, {}}}}).ok());
  CHECK(reg("10.0.64.13").ok());
}

TEST_CASE("RegisterTargets validates instances and out-of-VPC IPs") {
  TestWorld w;
  m::TargetGroup inst_tg = w.MakeTg("inst", 30080, "instance");
  CHECK(w.elbv2().RegisterTargets(ControllerCall(), {inst_tg.target_group_arn, {{"i-0node1", {}, {}}}}).ok());
  auto bad = w.elbv2().RegisterTargets(ControllerCall(), {inst_tg.target_group_arn, {{"i-0missing", {}, {}}}});
  CHECK(bad.error().aws_code == "InvalidTarget");
  m::TargetGroup ip_tg = w.MakeTg("ip", 8080, "ip");
  auto outside = w.elbv2().RegisterTargets(ControllerCall(), {ip_tg.target_group_arn, {{"192.168.1.5", 80, {}}}});
  REQUIRE_FALSE(outside.ok());
  CHECK(outside.error().aws_code == "ValidationError");
  CHECK(outside.error().message.find("you must specify an Availability Zone") != std::string::npos);
  CHECK(w.elbv2()
            .RegisterTargets(ControllerCall(), {ip_tg.target_group_arn, {{"192.168.1.5", 80, std::string("all")}}})
            .ok());
  CHECK(w.elbv2().RegisterTargets(ControllerCall(), {ip_tg.target_group_arn, {{"8.8.8.8", 80, std::string("all")}}})
            .error()
            .aws_code == "InvalidTarget");
}

TEST_CASE("ModifyListener and ModifyRule replace whole lists and keep TG references right") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  m::TargetGroup a = w.MakeTg("tg-a");
  m::TargetGroup b = w.MakeTg("tg-b");
  m::Listener l = w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(a.target_group_arn));
  ModifyListenerRequest mod;
  mod.listener_arn = l.listener_arn;
  m::Action weighted;
  weighted.type = "forward";
  weighted.forward_config = m::ForwardActionConfig{{{a.target_group_arn, 80}, {b.target_group_arn, 20}}, std::nullopt};
  mod.default_actions = std::vector<m::Action>{weighted};
  auto res = w.elbv2().ModifyListener(ControllerCall(), mod);
  REQUIRE_MESSAGE(res.ok(), res.error().ToString());
  CHECK_FALSE(res->default_actions.at(0).target_group_arn.has_value());
  CHECK(w.elbv2().TargetGroupForSim(b.target_group_arn)->load_balancer_arns.size() == 1);
  mod.default_actions = std::vector<m::Action>{TestWorld::Fixed("503")};
  REQUIRE(w.elbv2().ModifyListener(ControllerCall(), mod).ok());
  CHECK(w.elbv2().TargetGroupForSim(a.target_group_arn)->load_balancer_arns.empty());
  CHECK(w.elbv2().TargetGroupForSim(b.target_group_arn)->load_balancer_arns.empty());
  // The default rule mirrors the listener's default actions.
  auto rules = w.elbv2().RulesForSim(l.listener_arn);
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].actions.at(0).fixed_response_config->status_code == "503");
  CHECK(w.elbv2().DeleteRule(ControllerCall(), rules[0].rule_arn).error().aws_code == "OperationNotPermitted");
}

TEST_CASE("a redirect that changes nothing is rejected as a loop") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  CreateListenerRequest req;
  req.load_balancer_arn = lb.load_balancer_arn;
  req.protocol = "HTTP";
  req.port = 80;
  m::Action redirect;
  redirect.type = "redirect";
  redirect.redirect_config = m::RedirectActionConfig{};
  redirect.redirect_config->status_code = "HTTP_301";
  req.default_actions = {redirect};
  auto loop = w.elbv2().CreateListener(ControllerCall(), req);
  REQUIRE_FALSE(loop.ok());
  CHECK(loop.error().aws_code == "InvalidLoadBalancerAction");
  req.default_actions[0].redirect_config->protocol = "HTTPS";
  req.default_actions[0].redirect_config->port = "443";
  auto ok = w.elbv2().CreateListener(ControllerCall(), req);
  REQUIRE(ok.ok());
  CHECK(ok->default_actions[0].redirect_config->host == "#{host}");
  CHECK(ok->default_actions[0].redirect_config->path == "/#{path}");
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::aws
