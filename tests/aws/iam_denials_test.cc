// The IAM denials of a run, grouped and selected as `albtwin explain-iam` prints them.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "sim/aws/iam_denials.h"
#include "tests/aws/iam_test_world.h"

namespace sim::aws {
namespace {

using testing::IamWorld;

// The published policy without the statement that allows AddTags on create.
std::string PolicyWithoutAddTagsOnCreate() {
  auto text = ReadControllerIamPolicyJson();
  REQUIRE(text.ok());
  nlohmann::json doc = nlohmann::json::parse(text.value());
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& s : doc["Statement"]) {
    if (s.value("Sid", "") != "TagLoadBalancersAndTargetGroupsOnCreate") kept.push_back(s);
  }
  doc["Statement"] = kept;
  return doc.dump();
}

CreateLoadBalancerRequest TaggedLb(const std::string& name, const std::string& sg) {
  CreateLoadBalancerRequest req;
  req.name = name;
  req.subnets = {"subnet-pub-a", "subnet-pub-b"};
  req.security_groups = {sg};
  req.tags = IamWorld::StackTags();
  return req;
}

}  // namespace

TEST_SUITE("aws.iam.denials") {

TEST_CASE("retried denials of the same call are grouped, with every call number, and explained once") {
  IamWorld w(PolicyWithoutAddTagsOnCreate());
  const size_t before = w.aws.log().size();
  for (int i = 0; i < 3; ++i) REQUIRE_FALSE(w.elbv2().CreateLoadBalancer(w.controller, TaggedLb("k8s-a", w.node_sg)).ok());
  REQUIRE_FALSE(w.elbv2().CreateLoadBalancer(w.controller, TaggedLb("k8s-b", w.node_sg)).ok());
  REQUIRE(w.authz().denials().size() == 4);

  IamDenialReport all = SelectIamDenials(w.authz().denials(), {});
  CHECK(all.total_denials == 4);
  REQUIRE(all.groups.size() == 2);  // two load balancer names: two resources
  CHECK(all.groups[0].call_numbers == std::vector<size_t>{before + 1, before + 2, before + 3});
  CHECK(all.groups[1].call_numbers == std::vector<size_t>{before + 4});
  CHECK(all.groups[0].first.request.action == "elasticloadbalancing:AddTags");
  CHECK(all.groups[0].first.request.api_call == "CreateLoadBalancer");

  const std::string text = RenderIamDenials(all, "lab");
  CHECK(text.find("lab: 4 AWS calls denied by IAM, 2 distinct\n") == 0);
  CHECK(text.find("[1] CreateLoadBalancer -> elasticloadbalancing:AddTags on "
                  "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/k8s-a/* by controller: "
                  "denied 3 times (calls #" +
                  std::to_string(before + 1) + ", #" + std::to_string(before + 2) + ", #" +
                  std::to_string(before + 3) + ")") != std::string::npos);
  // Each group carries the full explanation: the statement whose conditions failed, with values.
  CHECK(text.find("(Sid RetagClusterLoadBalancersAndTargetGroups)] Allow: condition Null "
                  "aws:RequestTag/elbv2.k8s.aws/cluster") != std::string::npos);
  CHECK(text.find("[2] CreateLoadBalancer -> elasticloadbalancing:AddTags on "
                  "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/k8s-b/*") != std::string::npos);
}

TEST_CASE("a call number or an operation selects the matching denials only") {
  IamWorld w(PolicyWithoutAddTagsOnCreate());
  const size_t before = w.aws.log().size();
  REQUIRE(w.elbv2().DescribeLoadBalancers(w.controller, {}).ok());  // allowed: not a denial
  REQUIRE_FALSE(w.elbv2().CreateLoadBalancer(w.controller, TaggedLb("k8s-a", w.node_sg)).ok());

  IamDenialQuery by_call;
  by_call.call_number = before + 2;
  IamDenialReport r = SelectIamDenials(w.authz().denials(), by_call);
  REQUIRE(r.groups.size() == 1);
  CHECK(r.groups[0].call_numbers == std::vector<size_t>{before + 2});

  by_call.call_number = before + 1;  // the allowed Describe
  r = SelectIamDenials(w.authz().denials(), by_call);
  CHECK(r.groups.empty());
  CHECK(r.total_denials == 1);
  CHECK(RenderIamDenials(r, "lab") == "lab: 1 AWS call denied by IAM, 0 selected, 0 distinct\n"
                                      "no denied call matches the query\n");

  for (const char* op : {"CreateLoadBalancer", "AddTags", "elasticloadbalancing:AddTags"}) {
    CAPTURE(op);
    IamDenialQuery q;
    q.operation = op;
    CHECK(SelectIamDenials(w.authz().denials(), q).groups.size() == 1);
  }
  IamDenialQuery other;
  other.operation = "CreateTargetGroup";
  CHECK(SelectIamDenials(w.authz().denials(), other).groups.empty());
}

TEST_CASE("a run without denials says so in one line") {
  IamDenialReport empty = SelectIamDenials({}, {});
  CHECK(RenderIamDenials(empty, "hello-ingress") == "hello-ingress: 0 AWS calls denied by IAM\n");
}
}

}  // namespace sim::aws
