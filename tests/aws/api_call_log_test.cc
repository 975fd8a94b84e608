#include "sim/aws/api_call_log.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "tests/aws/aws_test_world.h"

namespace sim::aws {
namespace {

using testing::TestWorld;

TEST_SUITE("aws.api_call_log") {

TEST_CASE("every call is logged with time, caller, service, digest and outcome") {
  TestWorld w;
  w.AdvanceSeconds(12);
  w.MakeLb("web");
  auto missing = w.elbv2().DeleteTargetGroup(ConsoleCall(), "arn:aws:elasticloadbalancing:us-west-2:123456789012:"
                                                            "targetgroup/x/0123456789abcdef");
  REQUIRE_FALSE(missing.ok());
  CHECK(w.ec2().DescribeVpcs(ControllerCall(), {}).ok());
  const ApiCallLog& log = w.aws.log();
  REQUIRE(log.size() == 3);
  CHECK(log.at(0).t == std::chrono::seconds(12));
  CHECK(log.at(0).caller == "controller");
  CHECK(std::string(log.at(0).service) == "elbv2");
  CHECK(std::string(log.at(0).call) == "CreateLoadBalancer");
  CHECK(log.at(0).ok);
  CHECK(log.at(0).params_digest.size() == 16);
  CHECK(log.at(1).caller == "console");
  CHECK_FALSE(log.at(1).ok);
  CHECK(log.at(1).error_code == "TargetGroupNotFound");
  CHECK_FALSE(log.at(1).injected);
  CHECK(std::string(log.at(2).service) == "ec2");
}

TEST_CASE("counts by operation since an index and by caller") {
  TestWorld w;
  w.elbv2().DescribeLoadBalancers(ControllerCall(), {}).ok();
  w.elbv2().DescribeLoadBalancers(ControllerCall(), {}).ok();
  size_t mark = w.aws.log().size();
  w.elbv2().DescribeLoadBalancers(ControllerCall(), {}).ok();
  w.elbv2().DescribeLoadBalancers(ConsoleCall(), {}).ok();
  w.MakeTg("tg");
  const ApiCallLog& log = w.aws.log();
  CHECK(log.Count("DescribeLoadBalancers") == 4);
  CHECK(log.Count("DescribeLoadBalancers", mark) == 2);
  CHECK(log.Count("DescribeLoadBalancers", mark, "controller") == 1);
  CHECK(log.Count("DescribeLoadBalancers", 0, "", "ec2") == 0);
  auto by_call = log.CountByCall(mark, "controller");
  CHECK(by_call["DescribeLoadBalancers"] == 1);
  CHECK(by_call["CreateTargetGroup"] == 1);
  CHECK(by_call.size() == 2);
}

TEST_CASE("params digests are equal for equal requests and differ otherwise; they can be turned off") {
  TestWorld w;
  w.elbv2().DescribeLoadBalancers(ControllerCall(), {{}, {"a"}}).ok();
  w.elbv2().DescribeLoadBalancers(ControllerCall(), {{}, {"a"}}).ok();
  w.elbv2().DescribeLoadBalancers(ControllerCall(), {{}, {"b"}}).ok();
  const ApiCallLog& log = w.aws.log();
  CHECK(log.at(0).params_digest == log.at(1).params_digest);
  CHECK(log.at(0).params_digest != log.at(2).params_digest);
  w.aws.log().set_record_digests(false);
  w.elbv2().DescribeLoadBalancers(ControllerCall(), {}).ok();
  CHECK(log.at(3).params_digest.empty());
}

TEST_CASE("the observer sees each record after it is appended") {
  TestWorld w;
  std::vector<std::string> seen;
  w.aws.log().SetObserver([&](const ApiCallRecord& r, size_t index) {
    seen.push_back(std::to_string(index) + ":" + r.call);
  });
  w.MakeTg("tg");
  w.ec2().DescribeVpcs(ControllerCall(), {}).ok();
  CHECK(seen == std::vector<std::string>{"0:CreateTargetGroup", "1:DescribeVpcs"});
}

TEST_CASE("a run's calls are tallied per caller over a range: by operation and failed by (operation, code)") {
  auto call = [](const char* caller, const char* op, const char* code = "") {
    ApiCallRecord r;
    r.caller = caller;
    r.service = "elbv2";
    r.call = op;
    r.ok = *code == 0;
    r.error_code = code;
    return r;
  };
  const std::vector<ApiCallRecord> records = {
      call("controller", "CreateRule"),
      call("controller", "CreateRule", "PriorityInUse"),
      call("console", "DeleteRule"),
      call("controller", "DescribeRules", "Throttling"),
      call("controller", "CreateRule", "PriorityInUse"),
      call("controller", "DescribeRules"),
  };
  const CallTally all = TallyCalls(records, "controller");
  CHECK(all.total == 5);
  CHECK(all.by_operation == std::map<std::string, size_t>{{"CreateRule", 3}, {"DescribeRules", 2}});
  CHECK(all.errors == std::map<std::pair<std::string, std::string>, size_t>{{{"CreateRule", "PriorityInUse"}, 2},
                                                                           {{"DescribeRules", "Throttling"}, 1}});
  const CallTally range = TallyCalls(records, "controller", 2, 4);  // the console call and one failure
  CHECK(range.total == 1);
  CHECK(range.by_operation == std::map<std::string, size_t>{{"DescribeRules", 1}});
  CHECK(range.errors.size() == 1);
  CHECK(TallyCalls(records, "console", 0, 100).by_operation == std::map<std::string, size_t>{{"DeleteRule", 1}});
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::aws
