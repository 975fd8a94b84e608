#include "sim/aws/fake_aws.h"

#include "sim/aws/aws_json.h"

namespace sim::aws {

FakeAws::FakeAws(const Clock& clock, FakeAwsOptions options) : clock_(clock) {
  FakeEc2Options ec2 = options.ec2;
  ec2.partition = options.partition;
  ec2.region = options.region;
  ec2.account_id = options.account_id;
  ec2.seed = options.seed;
  ec2.quotas = options.quotas;
  FakeElbv2Options elbv2 = options.elbv2;
  elbv2.partition = options.partition;
  elbv2.region = options.region;
  elbv2.account_id = options.account_id;
  elbv2.seed = options.seed;
  elbv2.quotas = options.quotas;
  FakeIamOptions iam = options.iam;
  iam.partition = options.partition;
  iam.region = options.region;
  iam.account_id = options.account_id;
  iam.seed = options.seed;
  ec2_ = std::make_unique<FakeEc2>(clock, faults_, log_, std::move(ec2));
  elbv2_ = std::make_unique<FakeElbv2>(clock, faults_, log_, *ec2_, std::move(elbv2));
  FakeElbv2* elb = elbv2_.get();
  ec2_->SetSecurityGroupInUseProbe([elb](const std::string& id) { return elb->IsSecurityGroupInUse(id); });
  iam_ = std::make_unique<FakeIam>(clock, faults_, log_, std::move(iam));
}

IamAuthorizer& FakeAws::EnableIamAuthorization() {
  if (!iam_authorizer_) iam_authorizer_ = std::make_unique<IamAuthorizer>(*iam_, clock_, &log_);
  SetAuthorizer(iam_authorizer_.get());
  return *iam_authorizer_;
}

void FakeAws::SetAuthorizer(Authorizer* authorizer) {
  ec2_->SetAuthorizer(authorizer);
  elbv2_->SetAuthorizer(authorizer);
}

std::string FakeAws::RenderJson(int indent) const {
  return RenderAccountJson(elbv2_->Snapshot(), ec2_->SecurityGroupsForSim(), indent);
}

}  // namespace sim::aws
