#pragma once
// A small account for the fake-AWS tests: VPC vpc-0test 10.0.0.0/16 in us-west-2 with three
// public and three private subnets (one of each per AZ), a node security group and one node.

#include <string>

#include <doctest/doctest.h>

#include "sim/aws/fake_aws.h"
#include "sim/base/clock.h"

namespace sim::aws::testing {

namespace m = ::sim::model::aws;

struct TestWorld {
  SimClock clock;
  FakeAws aws;
  std::string node_sg;

  explicit TestWorld(FakeAwsOptions options = {}) : aws(clock, std::move(options)) {
    FakeEc2& ec2 = aws.ec2();
    REQUIRE(ec2.AddVpc(m::Vpc{"vpc-0test", "10.0.0.0/16"}).ok());
    const char* azs[] = {"us-west-2a", "us-west-2b", "us-west-2c"};
    for (int i = 0; i < 3; ++i) {
      m::Subnet pub;
      pub.subnet_id = std::string("subnet-pub-") + char('a' + i);
      pub.vpc_id = "vpc-0test";
      pub.availability_zone = azs[i];
      pub.cidr_block = "10.0." + std::to_string(i * 16) + ".0/20";
      pub.tags = {m::Tag{"kubernetes.io/role/elb", "1"}};
      REQUIRE(ec2.AddSubnet(pub, /*public_subnet=*/true).ok());
      m::Subnet priv;
      priv.subnet_id = std::string("subnet-priv-") + char('a' + i);
      priv.vpc_id = "vpc-0test";
      priv.availability_zone = azs[i];
      priv.cidr_block = "10.0." + std::to_string(64 + i * 16) + ".0/20";
      priv.tags = {m::Tag{"kubernetes.io/role/internal-elb", "1"}};
      REQUIRE(ec2.AddSubnet(priv, /*public_subnet=*/false).ok());
    }
    m::SecurityGroup sg;
    sg.group_name = "eks-node";
    sg.description = "node group";
    sg.vpc_id = "vpc-0test";
    auto id = ec2.AddSecurityGroup(sg);
    REQUIRE(id.ok());
    node_sg = id.value();
    m::Instance node;
    node.instance_id = "i-0node1";
    node.private_ip_address = "10.0.64.10";
    node.subnet_id = "subnet-priv-a";
    node.security_groups = {m::GroupIdentifier{node_sg, ""}};
    REQUIRE(ec2.AddInstance(node).ok());
  }

  FakeElbv2& elbv2() { return aws.elbv2(); }
  FakeEc2& ec2() { return aws.ec2(); }

  void AdvanceSeconds(int64_t s) { clock.AdvanceTo(clock.Now() + std::chrono::seconds(s)); }

  // An ALB over the three public subnets (asserted to succeed).
  m::LoadBalancer MakeLb(const std::string& name, const std::string& scheme = "internet-facing") {
    CreateLoadBalancerRequest req;
    req.name = name;
    req.scheme = scheme;
    req.subnets = scheme == "internal" ? std::vector<std::string>{"subnet-priv-a", "subnet-priv-b"}
                                       : std::vector<std::string>{"subnet-pub-a", "subnet-pub-b", "subnet-pub-c"};
    req.security_groups = {node_sg};
    auto lb = elbv2().CreateLoadBalancer(ControllerCall(), req);
    REQUIRE_MESSAGE(lb.ok(), lb.error().ToString());
    return lb.value();
  }

  static CreateTargetGroupRequest TgRequest(const std::string& name, int port = 8080,
                                            const std::string& target_type = "ip") {
    CreateTargetGroupRequest req;
    req.name = name;
    req.protocol = "HTTP";
    req.port = port;
    req.vpc_id = "vpc-0test";
    req.target_type = target_type;
    return req;
  }

  m::TargetGroup MakeTg(const std::string& name, int port = 8080, const std::string& target_type = "ip") {
    auto tg = elbv2().CreateTargetGroup(ControllerCall(), TgRequest(name, port, target_type));
    REQUIRE_MESSAGE(tg.ok(), tg.error().ToString());
    return tg.value();
  }

  static m::Action Forward(const std::string& tg_arn) {
    m::Action a;
    a.type = "forward";
    a.target_group_arn = tg_arn;
    return a;
  }

  static m::Action Fixed(const std::string& code) {
    m::Action a;
    a.type = "fixed-response";
    a.fixed_response_config = m::FixedResponseActionConfig{std::nullopt, code, std::string("text/plain")};
    return a;
  }

  m::Listener MakeListener(const std::string& lb_arn, int port, const m::Action& default_action) {
    CreateListenerRequest req;
    req.load_balancer_arn = lb_arn;
    req.protocol = "HTTP";
    req.port = port;
    req.default_actions = {default_action};
    auto l = elbv2().CreateListener(ControllerCall(), req);
    REQUIRE_MESSAGE(l.ok(), l.error().ToString());
    return l.value();
  }

  static m::RuleCondition Path(const std::string& pattern) {
    m::RuleCondition c;
    c.field = "path-pattern";
    c.path_pattern_config = m::PathPatternConditionConfig{{pattern}, {}};
    return c;
  }

  Result<m::Rule> CreateRule(const std::string& listener_arn, int priority, const std::string& path,
                             const m::Action& action) {
    CreateRuleRequest req;
    req.listener_arn = listener_arn;
    req.priority = priority;
    req.conditions = {Path(path)};
    req.actions = {action};
    return elbv2().CreateRule(ControllerCall(), req);
  }
};

}  // namespace sim::aws::testing
