#pragma once
// One simulated AWS account: the shared call log and fault plan, FakeEc2, FakeElbv2 and FakeIam
// (IAM + STS), wired together (ELBv2 validates against EC2; EC2 asks ELBv2 whether a security
// group is in use). IAM authorization of ELBv2/EC2 calls is off until EnableIamAuthorization()
// (or SetAuthorizer) is called. Convenience for the scenario runner and tests; each piece can
// also be built by hand.

#include <memory>
#include <string>

#include "sim/aws/api_call_log.h"
#include "sim/aws/fake_ec2.h"
#include "sim/aws/fake_elbv2.h"
#include "sim/aws/fake_iam.h"
#include "sim/aws/fault_plan.h"
#include "sim/aws/iam_authorizer.h"
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
  FakeIamOptions iam;      // same
};

class FakeAws {
 public:
  explicit FakeAws(const Clock& clock, FakeAwsOptions options = {});

  ApiCallLog& log() { return log_; }
  FaultPlan& faults() { return faults_; }
  FakeEc2& ec2() { return *ec2_; }
  FakeElbv2& elbv2() { return *elbv2_; }
  FakeIam& iam() { return *iam_; }
  const FakeEc2& ec2() const { return *ec2_; }
  const FakeElbv2& elbv2() const { return *elbv2_; }
  const FakeIam& iam() const { return *iam_; }

  // Turns IAM on for ELBv2 and EC2: every call whose CallContext has a principal_arn is evaluated
  // against that principal's policies in iam() (IamAuthorizer). Returns the authorizer (owned
  // here; its denials() feed reports and explanations). Idempotent.
  IamAuthorizer& EnableIamAuthorization();
  // The authorizer made by EnableIamAuthorization(), or null.
  IamAuthorizer* iam_authorizer() { return iam_authorizer_.get(); }
  // Installs any Authorizer on both fakes (borrowed; null = allow all).
  void SetAuthorizer(Authorizer* authorizer);

  // RenderAccountJson over both fakes.
  std::string RenderJson(int indent = -1) const;

 private:
  ApiCallLog log_;
  FaultPlan faults_;
  std::unique_ptr<FakeEc2> ec2_;
  std::unique_ptr<FakeElbv2> elbv2_;
  std::unique_ptr<FakeIam> iam_;
  const Clock& clock_;
  std::unique_ptr<IamAuthorizer> iam_authorizer_;
};

}  // namespace sim::aws
