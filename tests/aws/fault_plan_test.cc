#include "sim/aws/fault_plan.h"

#include <string>

#include <doctest/doctest.h>

#include "sim/aws/aws_errors.h"
#include "tests/aws/aws_test_world.h"

namespace sim::aws {
namespace {

using testing::TestWorld;

TEST_SUITE("aws.fault_plan") {

TEST_CASE("a Throttling rule fails the next N matching calls, then lets them through") {
  TestWorld w;
  w.aws.faults().Add(FaultRule{"elbv2", "CreateTargetGroup", "", "Throttling", "", 2, 0});
  auto req = TestWorld::TgRequest("tg");
  for (int i = 0; i < 2; ++i) {
    auto r = w.elbv2().CreateTargetGroup(ControllerCall(), req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "Throttling");
    CHECK(r.error().message == "Rate exceeded");
    CHECK(r.error().code == ErrorCode::kThrottled);
  }
  CHECK(w.elbv2().target_group_count() == 0);  // failed calls had no effect
  CHECK(w.elbv2().CreateTargetGroup(ControllerCall(), req).ok());
  CHECK(w.aws.faults().injected_count() == 2);
  // Other operations were never affected.
  CHECK(w.elbv2().DescribeTargetGroups(ControllerCall(), {}).ok());
  // The log shows the injected failures.
  const ApiCallLog& log = w.aws.log();
  CHECK(log.Count("CreateTargetGroup") == 3);
  CHECK(log.at(0).injected);
  CHECK(log.at(0).error_code == "Throttling");
  CHECK(log.at(2).ok);
}

TEST_CASE("after_calls, caller and wildcard matching") {
  TestWorld w;
  w.aws.faults().Add(FaultRule{"*", "*", "controller", "InternalFailure", "", 1, 1});
  CHECK(w.elbv2().DescribeLoadBalancers(ControllerCall(), {}).ok());  // first matching call passes
  CHECK(w.elbv2().DescribeLoadBalancers(ConsoleCall(), {}).ok());     // other caller never matches
  auto failed = w.ec2().DescribeVpcs(ControllerCall(), {});
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().aws_code == "InternalFailure");
  CHECK(failed.error().code == ErrorCode::kInternal);
  CHECK(w.ec2().DescribeVpcs(ControllerCall(), {}).ok());
}

TEST_CASE("times -1 fails forever until the plan is cleared") {
  TestWorld w;
  w.aws.faults().Add(FaultRule{"ec2", "DescribeSubnets", "", "RequestLimitExceeded", "", -1, 0});
  for (int i = 0; i < 5; ++i) {
    auto r = w.ec2().DescribeSubnets(ControllerCall(), {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "Request limit exceeded.");
  }
  w.aws.faults().Clear();
  CHECK(w.ec2().DescribeSubnets(ControllerCall(), {}).ok());
}

TEST_CASE("the crash switch lets N calls run, then rejects every call of that caller until reset") {
  TestWorld w;
  int crashes = 0;
  size_t calls_when_crashed = 0;
  w.aws.faults().CrashAfterCalls("controller", 2, [&] {
    ++crashes;
    calls_when_crashed = w.aws.log().size();
  });
  CHECK(w.elbv2().DescribeLoadBalancers(ControllerCall(), {}).ok());
  CHECK_FALSE(w.aws.faults().crashed());
  CHECK(w.elbv2().CreateTargetGroup(ControllerCall(), TestWorld::TgRequest("tg")).ok());  // the 2nd call runs
  CHECK(w.aws.faults().crashed());
  CHECK(crashes == 1);
  CHECK(calls_when_crashed == 2);
  auto dead = w.elbv2().CreateTargetGroup(ControllerCall(), TestWorld::TgRequest("tg2"));
  REQUIRE_FALSE(dead.ok());
  CHECK(dead.error().aws_code == kControllerCrashedCode);
  CHECK(dead.error().code == ErrorCode::kUnavailable);
  CHECK(w.elbv2().target_group_count() == 1);
  CHECK(w.aws.log().size() == 2);  // rejected calls are not logged
  CHECK(w.aws.faults().crash_rejected_calls() == 1);
  // Other callers are unaffected.
  CHECK(w.elbv2().DescribeLoadBalancers(ConsoleCall(), {}).ok());
  w.aws.faults().ResetCrash();
  CHECK(w.elbv2().CreateTargetGroup(ControllerCall(), TestWorld::TgRequest("tg2")).ok());
  CHECK(crashes == 1);
}

TEST_CASE("AWS error codes map to reaction classes and HTTP statuses") {
  CHECK(ErrorCodeForAwsCode("PriorityInUse") == ErrorCode::kFailedPrecondition);
  CHECK(ErrorCodeForAwsCode("InvalidGroup.NotFound") == ErrorCode::kNotFound);
  CHECK(ErrorCodeForAwsCode("InvalidPermission.Duplicate") == ErrorCode::kAlreadyExists);
  CHECK(ErrorCodeForAwsCode("RulesPerSecurityGroupLimitExceeded") == ErrorCode::kResourceExhausted);
  CHECK(ErrorCodeForAwsCode("TargetGroupAssociationLimit") == ErrorCode::kResourceExhausted);
  CHECK(ErrorCodeForAwsCode("ValidationError") == ErrorCode::kInvalidArgument);
  CHECK(ErrorCodeForAwsCode("AccessDenied") == ErrorCode::kPermissionDenied);
  CHECK(HttpStatusForAwsCode("LoadBalancerNotFound") == 400);
  CHECK(HttpStatusForAwsCode("InternalFailure") == 500);
  CHECK(HttpStatusForAwsCode("PriorRequestNotComplete") == 429);
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::aws
