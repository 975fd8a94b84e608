#include "sim/aws/aws_dispatch.h"

#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/aws/aws_test_world.h"

namespace sim::aws {
namespace {

using testing::TestWorld;
using nlohmann::json;

TEST_SUITE("aws.dispatch") {

TEST_CASE("a console user can create, describe and delete resources with AWS-shaped JSON") {
  TestWorld w;
  auto created = InvokeElbv2Json(w.elbv2(), ConsoleCall(), "CreateTargetGroup",
                                 R"({"Name":"manual","Protocol":"HTTP","Port":80,"VpcId":"vpc-0test",
                                     "TargetType":"ip","Tags":[{"Key":"team","Value":"a"}]})");
  REQUIRE_MESSAGE(created.ok(), created.error().ToString());
  json out = json::parse(created.value());
  std::string arn = out["TargetGroups"][0]["TargetGroupArn"];
  CHECK(out["TargetGroups"][0]["TargetGroupName"] == "manual");
  auto described = InvokeElbv2Json(w.elbv2(), ConsoleCall(), "DescribeTags", json{{"ResourceArns", {arn}}}.dump());
  REQUIRE(described.ok());
  CHECK(json::parse(described.value())["TagDescriptions"][0]["Tags"][0]["Value"] == "a");
  auto deleted = InvokeElbv2Json(w.elbv2(), ConsoleCall(), "DeleteTargetGroup", json{{"TargetGroupArn", arn}}.dump());
  REQUIRE(deleted.ok());
  CHECK(deleted.value() == "{}");
  CHECK(w.elbv2().target_group_count() == 0);
  // The call went through the log as the console's.
  CHECK(w.aws.log().Count("DeleteTargetGroup", 0, "console") == 1);
}

TEST_CASE("drift: deleting a rule by ARN, and AWS errors come back unchanged") {
  TestWorld w;
  auto lb = w.MakeLb("web");
  auto tg = w.MakeTg("tg");
  auto l = w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(tg.target_group_arn));
  auto rule = w.CreateRule(l.listener_arn, 1, "/a", TestWorld::Forward(tg.target_group_arn));
  REQUIRE(rule.ok());
  std::string input = json{{"RuleArn", rule->rule_arn}}.dump();
  CHECK(InvokeElbv2Json(w.elbv2(), ConsoleCall(), "DeleteRule", input).ok());
  auto again = InvokeElbv2Json(w.elbv2(), ConsoleCall(), "DeleteRule", input);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().aws_code == "RuleNotFound");
  auto rule2 = InvokeElbv2Json(w.elbv2(), ConsoleCall(), "CreateRule", json{
      {"ListenerArn", l.listener_arn}, {"Priority", 7},
      {"Conditions", {{{"Field", "host-header"}, {"HostHeaderConfig", {{"Values", {"a.example.com"}}}}}}},
      {"Actions", {{{"Type", "fixed-response"}, {"FixedResponseConfig", {{"StatusCode", "418"}}}}}}}.dump());
  REQUIRE_MESSAGE(rule2.ok(), rule2.error().ToString());
  CHECK(json::parse(rule2.value())["Rules"][0]["Priority"] == "7");
}

TEST_CASE("unknown operations and badly typed input are rejected") {
  TestWorld w;
  auto unknown = InvokeElbv2Json(w.elbv2(), ConsoleCall(), "DeleteEverything", "{}");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().aws_code == "InvalidAction");
  auto typed = InvokeElbv2Json(w.elbv2(), ConsoleCall(), "DeleteRule", R"({"RuleArn": 5})");
  REQUIRE_FALSE(typed.ok());
  CHECK(typed.error().aws_code == "ValidationError");
  CHECK(typed.error().message == "Value for 'RuleArn' must be a string");
  CHECK(InvokeElbv2Json(w.elbv2(), ConsoleCall(), "DescribeLoadBalancers", "not json").error().aws_code ==
        "ValidationError");
  CHECK(Elbv2JsonCalls().size() == 34);  // every Elbv2Api method
  CHECK(Ec2JsonCalls().size() == 12);  // every Ec2Api method
}

TEST_CASE("EC2 calls: security group edits and instance reservations") {
  TestWorld w;
  auto sg = InvokeEc2Json(w.ec2(), ConsoleCall(), "CreateSecurityGroup",
                          R"({"GroupName":"manual","Description":"by hand","VpcId":"vpc-0test"})");
  REQUIRE(sg.ok());
  std::string id = json::parse(sg.value())["GroupId"];
  auto auth = InvokeEc2Json(w.ec2(), ConsoleCall(), "AuthorizeSecurityGroupIngress",
                            json{{"GroupId", id},
                                 {"IpPermissions",
                                  {{{"IpProtocol", "tcp"}, {"FromPort", 22}, {"ToPort", 22},
                                    {"IpRanges", {{{"CidrIp", "10.0.0.0/8"}}}}}}}}.dump());
  REQUIRE(auth.ok());
  CHECK(auth.value() == R"({"Return":true})");
  auto d = InvokeEc2Json(w.ec2(), ConsoleCall(), "DescribeSecurityGroups", json{{"GroupIds", {id}}}.dump());
  REQUIRE(d.ok());
  CHECK(json::parse(d.value())["SecurityGroups"][0]["IpPermissions"][0]["FromPort"] == 22);
  auto inst = InvokeEc2Json(w.ec2(), ConsoleCall(), "DescribeInstances", "{}");
  REQUIRE(inst.ok());
  CHECK(json::parse(inst.value())["Reservations"][0]["Instances"][0]["InstanceId"] == "i-0node1");
  auto del = InvokeEc2Json(w.ec2(), ConsoleCall(), "DeleteSecurityGroup", json{{"GroupId", w.node_sg}}.dump());
  REQUIRE_FALSE(del.ok());
  CHECK(del.error().aws_code == "DependencyViolation");
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::aws
