// Explanations of IAM decisions: which statements were considered and why each did or did not apply.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "sim/aws/iam_explain.h"
#include "tests/aws/iam_test_world.h"

namespace sim::aws {
namespace {

using testing::IamWorld;

const StatementExplanation* BySid(const IamExplanation& e, const std::string& sid) {
  for (const StatementExplanation& s : e.statements) {
    if (s.sid == sid) return &s;
  }
  return nullptr;
}

CreateLoadBalancerRequest TaggedLb(const std::string& sg) {
  CreateLoadBalancerRequest req;
  req.name = "k8s-default-web-0123456789";
  req.subnets = {"subnet-pub-a", "subnet-pub-b"};
  req.security_groups = {sg};
  req.tags = IamWorld::StackTags();
  return req;
}

}  // namespace

TEST_SUITE("aws.iam.explain") {

TEST_CASE("a denied AddTags-on-create is explained statement by statement with the compared values") {
  auto text = ReadControllerIamPolicyJson();
  REQUIRE(text.ok());
  nlohmann::json doc = nlohmann::json::parse(text.value());
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& s : doc["Statement"]) {
    if (s.value("Sid", "") != "TagLoadBalancersAndTargetGroupsOnCreate") kept.push_back(s);
  }
  doc["Statement"] = kept;
  IamWorld w(doc.dump());
  REQUIRE_FALSE(w.elbv2().CreateLoadBalancer(w.controller, TaggedLb(w.node_sg)).ok());
  REQUIRE(w.authz().denials().size() == 1);
  const IamExplanation& e = w.authz().denials()[0].explanation;
  CHECK(e.decision == Decision::kImplicitDeny);
  CHECK(e.error_code == "AccessDenied");
  CHECK(e.request.action == "elasticloadbalancing:AddTags");
  CHECK(e.request.api_call == "CreateLoadBalancer");
  CHECK(e.statements.size() == 15);

  // The retag statement matched action and resource, but its Null conditions failed.
  const StatementExplanation* retag = BySid(e, "RetagClusterLoadBalancersAndTargetGroups");
  REQUIRE(retag != nullptr);
  CHECK(retag->action_matched);
  CHECK(retag->action_pattern == "elasticloadbalancing:AddTags");
  CHECK(retag->resource_matched);
  CHECK(retag->resource_pattern == "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*");
  CHECK_FALSE(retag->applies);
  REQUIRE(retag->conditions.size() == 2);
  const ConditionExplanation& req_tag = retag->conditions[0];
  CHECK(req_tag.op == "Null");
  CHECK(req_tag.key == "aws:RequestTag/elbv2.k8s.aws/cluster");
  CHECK(req_tag.policy_values == std::vector<std::string>{"true"});
  CHECK(req_tag.key_present);
  CHECK(req_tag.request_values == std::vector<std::string>{"demo"});
  CHECK_FALSE(req_tag.matched);
  const ConditionExplanation& res_tag = retag->conditions[1];
  CHECK(res_tag.key == "aws:ResourceTag/elbv2.k8s.aws/cluster");
  CHECK_FALSE(res_tag.key_present);
  CHECK_FALSE(res_tag.matched);

  // The listener/rule statement matched the action, not the resource.
  const StatementExplanation* listeners = BySid(e, "TagListenersAndRules");
  REQUIRE(listeners != nullptr);
  CHECK(listeners->action_matched);
  CHECK_FALSE(listeners->resource_matched);
  CHECK(listeners->conditions.empty());
  // A statement about other actions.
  const StatementExplanation* read = BySid(e, "ReadNetworkAndLoadBalancers");
  REQUIRE(read != nullptr);
  CHECK_FALSE(read->action_matched);
  CHECK(read->verdict == "action does not match");

  CHECK(e.summary ==
        "denied: no statement allows elasticloadbalancing:AddTags on "
        "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/k8s-default-web-0123456789/*; "
        "AWSLoadBalancerControllerIAMPolicy #10 (Sid RetagClusterLoadBalancersAndTargetGroups): condition Null "
        "aws:RequestTag/elbv2.k8s.aws/cluster: key present; Null \"true\" requires it absent; "
        "AWSLoadBalancerControllerIAMPolicy #11 (Sid TagListenersAndRules): resource matches none of its 4 Resource "
        "patterns");

  const std::string text_out = RenderIamExplanation(e);
  CHECK(text_out.find("IAM decision: implicit deny\n") == 0);
  CHECK(text_out.find("  action:    elasticloadbalancing:AddTags  (needed by CreateLoadBalancer)\n") !=
        std::string::npos);
  CHECK(text_out.find("             elasticloadbalancing:CreateAction = \"CreateLoadBalancer\"\n") != std::string::npos);
  CHECK(text_out.find("  error:     AccessDenied: User: ") != std::string::npos);
  CHECK(text_out.find("statements considered (2 of 15):\n") != std::string::npos);
  CHECK(text_out.find("      condition: Null aws:RequestTag/elbv2.k8s.aws/cluster \"true\" -> false (key present; "
                      "Null \"true\" requires it absent)\n") != std::string::npos);
  CHECK(text_out.find("statements whose action does not match elasticloadbalancing:AddTags: "
                      "AWSLoadBalancerControllerIAMPolicy #0 #1 #2") != std::string::npos);
}

TEST_CASE("an allowed call is explained by the statement that allows it") {
  IamWorld w;
  auto lb = w.elbv2().CreateLoadBalancer(w.controller, TaggedLb(w.node_sg));
  REQUIRE(lb.ok());
  AuthzRequest req;
  req.principal_arn = w.controller.principal_arn;
  req.action = "elasticloadbalancing:ModifyLoadBalancerAttributes";
  req.resource = lb->load_balancer_arn;
  req.api_call = "ModifyLoadBalancerAttributes";
  AddResourceTags(&req, "elasticloadbalancing", {{"elbv2.k8s.aws/cluster", "demo"}});
  IamExplanation e = w.authz().Explain(req);
  CHECK(e.decision == Decision::kAllow);
  CHECK(e.error_message.empty());
  CHECK(e.summary == "allowed: AWSLoadBalancerControllerIAMPolicy #12 (Sid ManageClusterLoadBalancersAndTargetGroups) "
                     "allows elasticloadbalancing:ModifyLoadBalancerAttributes on " +
                         lb->load_balancer_arn);
  // record_allowed keeps allowed decisions with their explanation.
  w.authz().set_record_allowed(true);
  REQUIRE(w.elbv2().DescribeLoadBalancers(w.controller, {}).ok());
  REQUIRE(w.authz().allowed().size() == 1);
  CHECK(w.authz().allowed()[0].explanation.summary ==
        "allowed: AWSLoadBalancerControllerIAMPolicy #1 (Sid ReadNetworkAndLoadBalancers) allows "
        "elasticloadbalancing:DescribeLoadBalancers on \"*\"");
}

TEST_CASE("explicit denies and principals without policies are summarised as such") {
  Result<PolicyDocument> allow = ParsePolicyDocument(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}})");
  Result<PolicyDocument> deny = ParsePolicyDocument(
      R"({"Version":"2012-10-17","Statement":{"Sid":"NoDeletes","Effect":"Deny","Action":"ec2:Delete*","Resource":"*"}})");
  REQUIRE(allow.ok());
  REQUIRE(deny.ok());
  std::vector<NamedPolicy> ps = {{"allow-ec2", "", "inline", allow.value()}, {"guard", "", "inline", deny.value()}};
  AuthzRequest req;
  req.principal_arn = "arn:aws:sts::123456789012:assumed-role/r/s";
  req.action = "ec2:DeleteSecurityGroup";
  req.resource = "arn:aws:ec2:us-west-2:123456789012:security-group/sg-1";
  IamExplanation e = ExplainAuthorization(ps, req);
  CHECK(e.decision == Decision::kExplicitDeny);
  CHECK(e.error_code == "UnauthorizedOperation");
  CHECK(e.summary == "denied (explicit deny): guard #0 (Sid NoDeletes) denies ec2:DeleteSecurityGroup on "
                     "arn:aws:ec2:us-west-2:123456789012:security-group/sg-1");
  CHECK(e.statements[0].verdict == "applies: allows");
  CHECK(e.statements[1].verdict == "applies: denies");
  IamExplanation none = ExplainAuthorization({}, req);
  CHECK(none.decision == Decision::kImplicitDeny);
  CHECK(none.summary.find("the principal has no policies") != std::string::npos);
  CHECK(RenderIamExplanation(none).find("no policies: no statement was considered") != std::string::npos);
}

}  // TEST_SUITE

}  // namespace sim::aws
