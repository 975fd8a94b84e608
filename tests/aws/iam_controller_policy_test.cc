// The published controller policy enforced on FakeElbv2 / FakeEc2 calls made with the
// controller's IRSA principal.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "sim/aws/controller_iam_policy.h"
#include "sim/aws/iam_explain.h"
#include "tests/aws/iam_test_world.h"

namespace sim::aws {
namespace {

using testing::IamWorld;

const char* kPrincipal = "arn:aws:sts::123456789012:assumed-role/AmazonEKSLoadBalancerControllerRole/1767225600000000000";

std::vector<m::Tag> WithoutClusterTag() { return {{"ingress.k8s.aws/stack", "default/web"}}; }

CreateLoadBalancerRequest LbRequest(const std::string& name, std::vector<m::Tag> tags, const std::string& sg) {
  CreateLoadBalancerRequest req;
  req.name = name;
  req.subnets = {"subnet-pub-a", "subnet-pub-b"};
  req.security_groups = {sg};
  req.tags = std::move(tags);
  return req;
}

// The published policy minus statement `drop` (by Sid).
std::string PolicyWithout(const std::string& sid) {
  auto text = ReadControllerIamPolicyJson();
  REQUIRE(text.ok());
  nlohmann::json doc = nlohmann::json::parse(text.value());
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& s : doc["Statement"]) {
    if (s.value("Sid", "") != sid) kept.push_back(s);
  }
  REQUIRE(kept.size() + 1 == doc["Statement"].size());
  doc["Statement"] = kept;
  return doc.dump();
}

}  // namespace

TEST_SUITE("aws.iam.controller_policy") {

TEST_CASE("the published policy file loads, validates and has upstream's 16 statements") {
  auto doc = LoadControllerIamPolicy();
  REQUIRE_MESSAGE(doc.ok(), doc.error().ToString());
  CHECK(doc->version == "2012-10-17");
  REQUIRE(doc->statements.size() == 16);
  CHECK(doc->statements[13].sid == "TagLoadBalancersAndTargetGroupsOnCreate");
  CHECK(LoadControllerIamPolicy("/nonexistent/policy.json").error().code == ErrorCode::kNotFound);
}

TEST_CASE("the published policy allows every call of a normal controller deploy and teardown") {
  IamWorld w;
  const CallContext& c = w.controller;
  FakeEc2& ec2 = w.ec2();
  FakeElbv2& elb = w.elbv2();
  auto ok = [](const auto& r) {
    REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  };
  // Discovery.
  ok(ec2.DescribeSubnets(c, {}));
  ok(ec2.DescribeVpcs(c, {}));
  ok(ec2.DescribeRouteTables(c, {}));
  ok(ec2.DescribeSecurityGroups(c, {}));
  ok(ec2.DescribeInstances(c, {}));
  ok(ec2.DescribeNetworkInterfaces(c, {}));
  ok(elb.DescribeLoadBalancers(c, {}));
  ok(elb.DescribeTargetGroups(c, {}));
  // Managed LB security group and the shared backend SG, tagged at creation.
  CreateSecurityGroupRequest sgreq;
  sgreq.group_name = "k8s-default-web-0123456789";
  sgreq.description = "[k8s] Managed SecurityGroup for LoadBalancer";
  sgreq.vpc_id = "vpc-0test";
  sgreq.tag_specifications = {TagSpecification{"security-group", IamWorld::StackTags()}};
  auto sg = ec2.CreateSecurityGroup(c, sgreq);
  ok(sg);
  m::IpPermission http;
  http.ip_protocol = "tcp";
  http.from_port = 80;
  http.to_port = 80;
  http.ip_ranges = {m::IpRange{"0.0.0.0/0", ""}};
  ok(ec2.AuthorizeSecurityGroupIngress(c, {sg->group_id, {http}}));
  // Node SG (not tagged for the cluster): ingress for the NodePort range is allowed anywhere.
  m::IpPermission node;
  node.ip_protocol = "tcp";
  node.from_port = 30000;
  node.to_port = 32767;
  node.user_id_group_pairs = {m::UserIdGroupPair{sg->group_id, "", ""}};
  ok(ec2.AuthorizeSecurityGroupIngress(c, {w.node_sg, {node}}));
  ok(ec2.CreateTags(c, {{sg->group_id}, {{"team", "web"}}}));
  ok(ec2.DeleteTags(c, {{sg->group_id}, {DeleteTagSpec{"team", std::nullopt}}}));
  // Load balancer, target group, listener, rule — all created with tags.
  auto lb = elb.CreateLoadBalancer(c, LbRequest("k8s-default-web-0123456789", IamWorld::StackTags(), sg->group_id));
  ok(lb);
  ok(elb.DescribeLoadBalancerAttributes(c, lb->load_balancer_arn));
  ok(elb.ModifyLoadBalancerAttributes(c, {lb->load_balancer_arn, {{"idle_timeout.timeout_seconds", "120"}}}));
  ok(elb.SetSecurityGroups(c, {lb->load_balancer_arn, {sg->group_id}}));
  CreateTargetGroupRequest tgreq = w.TgRequest("k8s-default-web-8f1e2a3b4c", 8080, "ip");
  tgreq.tags = IamWorld::StackTags();
  auto tg = elb.CreateTargetGroup(c, tgreq);
  ok(tg);
  ok(elb.ModifyTargetGroupAttributes(c, {tg->target_group_arn, {{"deregistration_delay.timeout_seconds", "30"}}}));
  ok(elb.RegisterTargets(c, {tg->target_group_arn, {m::TargetDescription{"10.0.64.20", 8080, std::nullopt}}}));
  ok(elb.DescribeTargetHealth(c, {tg->target_group_arn, {}}));
  CreateListenerRequest lreq;
  lreq.load_balancer_arn = lb->load_balancer_arn;
  lreq.protocol = "HTTP";
  lreq.port = 80;
  lreq.default_actions = {w.Fixed("404")};
  lreq.tags = IamWorld::StackTags();
  auto listener = elb.CreateListener(c, lreq);
  ok(listener);
  CreateRuleRequest rreq;
  rreq.listener_arn = listener->listener_arn;
  rreq.priority = 1;
  rreq.conditions = {w.Path("/*")};
  rreq.actions = {w.Forward(tg->target_group_arn)};
  rreq.tags = IamWorld::StackTags();
  auto rule = elb.CreateRule(c, rreq);
  ok(rule);
  ModifyRuleRequest mr;
  mr.rule_arn = rule->rule_arn;
  mr.conditions = std::vector<m::RuleCondition>{w.Path("/app/*")};
  ok(elb.ModifyRule(c, mr));
  ok(elb.SetRulePriorities(c, {{m::RulePriorityPair{rule->rule_arn, 2}}}));
  ModifyListenerRequest ml;
  ml.listener_arn = listener->listener_arn;
  ml.default_actions = std::vector<m::Action>{w.Fixed("503")};
  ok(elb.ModifyListener(c, ml));
  // Tag reconciliation on existing resources (without touching the cluster tag).
  ok(elb.AddTags(c, {{lb->load_balancer_arn, tg->target_group_arn}, {{"team", "web"}}}));
  ok(elb.AddTags(c, {{listener->listener_arn, rule->rule_arn}, {{"team", "web"}}}));
  ok(elb.RemoveTags(c, {{lb->load_balancer_arn, tg->target_group_arn, listener->listener_arn}, {"team"}}));
  ok(elb.DescribeTags(c, {{lb->load_balancer_arn}}));
  ok(elb.DescribeListeners(c, {lb->load_balancer_arn, {}}));
  ok(elb.DescribeRules(c, {listener->listener_arn, {}}));
  // Teardown.
  ok(elb.DeleteRule(c, rule->rule_arn));
  ok(elb.DeleteListener(c, listener->listener_arn));
  ok(elb.DeregisterTargets(c, {tg->target_group_arn, {m::TargetDescription{"10.0.64.20", 8080, std::nullopt}}}));
  ok(elb.DeleteLoadBalancer(c, lb->load_balancer_arn));
  ok(elb.DeleteTargetGroup(c, tg->target_group_arn));
  ok(ec2.RevokeSecurityGroupIngress(c, {w.node_sg, {node}}));
  ok(ec2.DeleteSecurityGroup(c, sg->group_id));
  CHECK(w.authz().denials().empty());
  CHECK(w.authz().evaluated_count() > 40);
}

TEST_CASE("calls without a principal are not evaluated, even with IAM on") {
  IamWorld w;
  CHECK(w.elbv2().CreateLoadBalancer(ConsoleCall(), LbRequest("console-lb", {}, w.node_sg)).ok());
  CHECK(w.authz().evaluated_count() == 0);
}

TEST_CASE("AddTags/Modify/Delete on a load balancer lacking the cluster tag are denied as upstream's conditions say") {
  IamWorld w;
  auto lb = w.elbv2().CreateLoadBalancer(ConsoleCall(), LbRequest("console-lb", WithoutClusterTag(), w.node_sg));
  REQUIRE(lb.ok());
  const std::string arn = lb->load_balancer_arn;
  auto add = w.elbv2().AddTags(w.controller, {{arn}, {{"team", "web"}}});
  REQUIRE_FALSE(add.ok());
  CHECK(add.error().aws_code == "AccessDenied");
  CHECK(add.error().code == ErrorCode::kPermissionDenied);
  CHECK(add.error().message == std::string("User: ") + kPrincipal +
                                   " is not authorized to perform: elasticloadbalancing:AddTags on resource: " + arn +
                                   " because no identity-based policy allows the elasticloadbalancing:AddTags action");
  auto mod = w.elbv2().ModifyLoadBalancerAttributes(w.controller, {arn, {{"idle_timeout.timeout_seconds", "120"}}});
  REQUIRE_FALSE(mod.ok());
  CHECK(mod.error().message.find("elasticloadbalancing:ModifyLoadBalancerAttributes on resource: " + arn) !=
        std::string::npos);
  CHECK_FALSE(w.elbv2().DeleteLoadBalancer(w.controller, arn).ok());
  CHECK(w.elbv2().LoadBalancerForSim(arn).has_value());
  // Unchanged: the denied AddTags had no effect, and it is in the call log with its error.
  CHECK(w.elbv2().Snapshot().tags.at(arn).size() == 1);
  const ApiCallRecord rec = w.aws.log().at(w.authz().denials().front().call_index);
  CHECK(std::string(rec.call) == "AddTags");
  CHECK_FALSE(rec.ok);
  CHECK(rec.error_code == "AccessDenied");
  CHECK(rec.error_message == add.error().message);
  CHECK(w.authz().denials().size() == 3);
}

TEST_CASE("AddTags that would set the cluster tag on an existing load balancer is denied") {
  IamWorld w;
  auto lb = w.elbv2().CreateLoadBalancer(w.controller, LbRequest("k8s-web", IamWorld::StackTags(), w.node_sg));
  REQUIRE_MESSAGE(lb.ok(), lb.error().ToString());
  auto steal = w.elbv2().AddTags(w.controller, {{lb->load_balancer_arn}, {{"elbv2.k8s.aws/cluster", "other"}}});
  REQUIRE_FALSE(steal.ok());
  CHECK(steal.error().aws_code == "AccessDenied");
  // Listener and rule tags are unconditional, TG retags need the cluster tag on the TG.
  CreateTargetGroupRequest tgreq = w.TgRequest("console-tg");
  auto tg = w.elbv2().CreateTargetGroup(ConsoleCall(), tgreq);
  REQUIRE(tg.ok());
  CHECK_FALSE(w.elbv2().AddTags(w.controller, {{tg->target_group_arn}, {{"team", "x"}}}).ok());
}

TEST_CASE("creating a load balancer or target group without the cluster tag is denied on the Create itself") {
  IamWorld w;
  auto lb = w.elbv2().CreateLoadBalancer(w.controller, LbRequest("k8s-untagged", WithoutClusterTag(), w.node_sg));
  REQUIRE_FALSE(lb.ok());
  CHECK(lb.error().message ==
        std::string("User: ") + kPrincipal +
            " is not authorized to perform: elasticloadbalancing:CreateLoadBalancer on resource: "
            "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/k8s-untagged/* because no "
            "identity-based policy allows the elasticloadbalancing:CreateLoadBalancer action");
  CHECK(w.elbv2().load_balancer_count() == 0);
  auto tg = w.elbv2().CreateTargetGroup(w.controller, w.TgRequest("k8s-untagged-tg"));
  REQUIRE_FALSE(tg.ok());
  CHECK(tg.error().message.find("elasticloadbalancing:CreateTargetGroup on resource: "
                                "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/k8s-untagged-tg/*") !=
        std::string::npos);
}

TEST_CASE("EC2 denials answer UnauthorizedOperation with EC2's message form") {
  IamWorld w;
  // The node SG is not tagged for the cluster: the controller may open ingress on it (statement 3)
  // but not delete or retag it.
  auto del = w.ec2().DeleteSecurityGroup(w.controller, w.node_sg);
  REQUIRE_FALSE(del.ok());
  CHECK(del.error().aws_code == "UnauthorizedOperation");
  CHECK(del.error().code == ErrorCode::kPermissionDenied);
  CHECK(del.error().message ==
        std::string("You are not authorized to perform this operation. User: ") + kPrincipal +
            " is not authorized to perform: ec2:DeleteSecurityGroup on resource: "
            "arn:aws:ec2:us-west-2:123456789012:security-group/" +
            w.node_sg + " because no identity-based policy allows the ec2:DeleteSecurityGroup action.");
  CHECK_FALSE(w.ec2().CreateTags(w.controller, {{w.node_sg}, {{"team", "x"}}}).ok());
  CHECK(w.ec2().SecurityGroupForSim(w.node_sg).has_value());
  // Tagging a new SG at creation needs the cluster tag in the request.
  CreateSecurityGroupRequest req;
  req.group_name = "k8s-no-cluster-tag";
  req.description = "d";
  req.vpc_id = "vpc-0test";
  req.tag_specifications = {TagSpecification{"security-group", WithoutClusterTag()}};
  auto sg = w.ec2().CreateSecurityGroup(w.controller, req);
  REQUIRE_FALSE(sg.ok());
  CHECK(sg.error().message.find("ec2:CreateTags on resource: arn:aws:ec2:us-west-2:123456789012:security-group/*") !=
        std::string::npos);
  // Without tags at all the create is allowed (statement 4 is unconditional).
  req.tag_specifications.clear();
  CHECK(w.ec2().CreateSecurityGroup(w.controller, req).ok());
}

TEST_CASE("a broken policy without the AddTags-on-create statement fails CreateLoadBalancer with tags") {
  IamWorld w(PolicyWithout("TagLoadBalancersAndTargetGroupsOnCreate"));
  const size_t before = w.aws.log().size();
  auto lb = w.elbv2().CreateLoadBalancer(w.controller,
                                         LbRequest("k8s-default-web-0123456789", IamWorld::StackTags(), w.node_sg));
  REQUIRE_FALSE(lb.ok());
  CHECK(lb.error().aws_code == "AccessDenied");
  CHECK(lb.error().message ==
        std::string("User: ") + kPrincipal +
            " is not authorized to perform: elasticloadbalancing:AddTags on resource: "
            "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/k8s-default-web-0123456789/* "
            "because no identity-based policy allows the elasticloadbalancing:AddTags action");
  CHECK(w.elbv2().load_balancer_count() == 0);
  REQUIRE(w.aws.log().size() == before + 1);
  const ApiCallRecord rec = w.aws.log().at(before);
  CHECK(std::string(rec.call) == "CreateLoadBalancer");
  CHECK(rec.error_code == "AccessDenied");
  // The target group fails the same way; an untagged create would pass the AddTags half but is
  // refused by the Create statement's own cluster-tag condition.
  CreateTargetGroupRequest tg = w.TgRequest("k8s-default-web-8f1e2a3b4c");
  tg.tags = IamWorld::StackTags();
  auto t = w.elbv2().CreateTargetGroup(w.controller, tg);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message.find("elasticloadbalancing:AddTags on resource: "
                               "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/"
                               "k8s-default-web-8f1e2a3b4c/*") != std::string::npos);
  // The denial record says which half of the call failed.
  auto denials = w.authz().DenialsForCall(before);
  REQUIRE(denials.size() == 1);
  CHECK(denials[0].request.action == "elasticloadbalancing:AddTags");
  CHECK(denials[0].request.api_call == "CreateLoadBalancer");
}

TEST_CASE("an explicit deny in an inline policy overrides the published policy") {
  IamWorld w;
  REQUIRE(w.aws.iam()
              .PutRolePolicy(ConsoleCall(), PutRolePolicyRequest{kControllerIamRoleName, "no-deletes",
                                                                 R"({"Version":"2012-10-17","Statement":{
                   "Effect":"Deny","Action":"elasticloadbalancing:DeleteLoadBalancer","Resource":"*"}})"})
              .ok());
  auto lb = w.elbv2().CreateLoadBalancer(w.controller, LbRequest("k8s-web", IamWorld::StackTags(), w.node_sg));
  REQUIRE(lb.ok());
  auto del = w.elbv2().DeleteLoadBalancer(w.controller, lb->load_balancer_arn);
  REQUIRE_FALSE(del.ok());
  CHECK(del.error().message == std::string("User: ") + kPrincipal +
                                   " is not authorized to perform: elasticloadbalancing:DeleteLoadBalancer on "
                                   "resource: " +
                                   lb->load_balancer_arn + " with an explicit deny in an identity-based policy");
}

TEST_CASE("a deny added after the action was allowed applies to the next call of that action") {
  // The authorizer keeps, per action, the statements worth evaluating; a policy change must reach it.
  IamWorld w;
  auto first = w.elbv2().CreateLoadBalancer(w.controller, LbRequest("k8s-one", IamWorld::StackTags(), w.node_sg));
  auto second = w.elbv2().CreateLoadBalancer(w.controller, LbRequest("k8s-two", IamWorld::StackTags(), w.node_sg));
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  REQUIRE(w.elbv2().DeleteLoadBalancer(w.controller, first->load_balancer_arn).ok());
  REQUIRE(w.aws.iam()
              .PutRolePolicy(ConsoleCall(), PutRolePolicyRequest{kControllerIamRoleName, "no-deletes",
                                                                 R"({"Version":"2012-10-17","Statement":{
                   "Effect":"Deny","Action":"elasticloadbalancing:Delete*","Resource":"*"}})"})
              .ok());
  auto del = w.elbv2().DeleteLoadBalancer(w.controller, second->load_balancer_arn);
  REQUIRE_FALSE(del.ok());
  CHECK(del.error().aws_code == "AccessDenied");
  REQUIRE(w.aws.iam().DeleteRolePolicy(ConsoleCall(), kControllerIamRoleName, "no-deletes").ok());
  CHECK(w.elbv2().DeleteLoadBalancer(w.controller, second->load_balancer_arn).ok());
}

TEST_CASE("a principal whose role lost its policy is denied everything, Describe calls without 'on resource'") {
  IamWorld w;
  REQUIRE(w.elbv2().DescribeLoadBalancers(w.controller, {}).ok());
  REQUIRE(w.aws.iam().DetachRolePolicy(ConsoleCall(), kControllerIamRoleName, w.irsa.policy_arn).ok());
  auto d = w.elbv2().DescribeLoadBalancers(w.controller, {});
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().message == std::string("User: ") + kPrincipal +
                                 " is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers because "
                                 "no identity-based policy allows the elasticloadbalancing:DescribeLoadBalancers "
                                 "action");
}

}  // TEST_SUITE

}  // namespace sim::aws
