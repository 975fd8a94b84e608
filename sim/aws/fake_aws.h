#pragma once
// One simulated AWS account: the shared call log and fault plan, FakeEc2 and FakeElbv2, wired
// together (ELBv2 validates against EC2; EC2 asks ELBv2 whether a security group is in use).
// Convenience for the scenario runner and tests; each piece can also be built by hand.

#include <memory>
#include <string>

#include "sim/aws/api_call_log.h"
#include "sim/aws/fake_ec2.h"
#include "sim/aws/fake_elbv2.h"
#include "sim/aws/fault_plan.h"
#include "sim/base/clock.h"

namespace sim::aws {

struct FakeAwsOptions {
  std::string partition = "aws";
  std::string region = "us-west-2";
  std::string account_id = "123456789012";
  uint64_t seed = 1;
  Quotas quotas;  // shared defaults for both fakes
  FakeElbv2Options elbv2;  // partition/region/account/seed/quotas overwritten from the fields above
  FakeEc2Options ec2;      // same
};

class FakeAws {
 public:
  explicit FakeAws(const Clock& clock, FakeAwsOptions options = {});

  ApiCallLog& log() { return log_; }
  FaultPlan& faults() { return faults_; }
  FakeEc2& ec2() { return *ec2_; }
  FakeElbv2& elbv2() { return *elbv2_; }
  const FakeEc2& ec2() const { return *ec2_; }
  const FakeElbv2& elbv2() const { return *elbv2_; }

  // RenderAccountJson over both fakes.
  std::string RenderJson(int indent = -1) const;

 private:
  ApiCallLog log_;
  FaultPlan faults_;
  std::unique_ptr<FakeEc2> ec2_;
  std::unique_ptr<FakeElbv2> elbv2_;
};

}  // namespace sim::aws
