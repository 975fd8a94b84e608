#pragma once
// The seam between the fake AWS services and IAM. Every FakeElbv2 / FakeEc2 call whose
// CallContext carries a principal_arn is turned into one or more AuthzRequests (the IAM action,
// the real ARN of the resource it acts on, the request tags and the resource's current tags,
// service condition keys) and each is put to the Authorizer before the call runs. The first
// denial is the call's answer (logged in the ApiCallLog like any error); the call has no effect.
// No Authorizer (the default) or an empty principal_arn = allow everything, as before IAM existed.
//
// How the fakes map a call to AuthzRequests (elbv2-semantics.md §4.3; resources of
// Create* calls are the ARN the new resource will have, with `*` for the id not yet allocated, as
// AWS reports them, e.g. "...:targetgroup/k8s-web-8f1e2a/*" in
// kubernetes-sigs/aws-load-balancer-controller#3372):
//   ELBv2 Describe* ................ resource "*" (no resource-level permissions)
//   CreateLoadBalancer ............. loadbalancer/app/<name>/*        + AddTags if Tags given
//   CreateTargetGroup .............. targetgroup/<name>/*             + AddTags if Tags given
//   CreateListener ................. listener/app/<lb>/<lb-id>/*      + AddTags if Tags given
//   CreateRule ..................... listener-rule/app/<lb>/<lb-id>/<listener-id>/* + AddTags ...
//     (the implicit AddTags carries elasticloadbalancing:CreateAction = the Create call)
//   other ELBv2 calls .............. the ARN(s) named in the request, with that resource's tags
//                                    (SetRulePriorities / AddTags / RemoveTags: one per ARN)
//   EC2 Describe* .................. resource "*"
//   CreateSecurityGroup ............ security-group/* and vpc/<vpc-id>  + CreateTags with
//                                    ec2:CreateAction = CreateSecurityGroup if tags are given
//   other EC2 calls ................ the id(s) named, as ARNs (security-group/, subnet/, vpc/,
//                                    instance/, network-interface/, route-table/), with their tags

#include <map>
#include <string>
#include <vector>

#include "sim/aws/call_context.h"
#include "sim/base/status.h"

namespace sim::aws {

// One IAM authorization question: may `principal_arn` perform `action` on `resource`?
struct AuthzRequest {
  std::string principal_arn;  // "arn:aws:sts::123456789012:assumed-role/<role>/<session>"
  // For resource-based (trust) policies only: the kind of principal ("AWS", "Federated",
  // "Service") that `principal_arn` is, matched against a statement's Principal element.
  std::string principal_type = "AWS";
  std::string action;    // "<service prefix>:<Action>", e.g. "elasticloadbalancing:AddTags"
  std::string resource;  // full ARN, or "*" for actions without resource-level permissions
  std::string api_call;  // the API operation that needed it ("CreateLoadBalancer" for its AddTags)
  // Condition context, key → values (multi-valued keys such as aws:TagKeys have several).
  // Key names are matched case-insensitively. A key that is absent is absent (not "").
  // The fakes fill: aws:RequestTag/<k>, aws:TagKeys, aws:ResourceTag/<k> and the service aliases
  // elasticloadbalancing:ResourceTag/<k> / ec2:ResourceTag/<k>, elasticloadbalancing:CreateAction /
  // ec2:CreateAction, aws:PrincipalArn, aws:RequestedRegion.
  std::map<std::string, std::vector<std::string>> context;
};

// Convenience for building requests.
// Adds aws:RequestTag/<k> = v for every tag and aws:TagKeys = the keys (in order given); nothing
// for no tags (the keys are then absent).
void AddRequestTags(AuthzRequest* req, const std::vector<std::pair<std::string, std::string>>& tags);
// Adds aws:ResourceTag/<k> and <service_prefix>:ResourceTag/<k> for every tag of the resource.
void AddResourceTags(AuthzRequest* req, const std::string& service_prefix,
                     const std::map<std::string, std::string>& tags);
// The service prefix of an action: "elasticloadbalancing" for "elasticloadbalancing:AddTags".
std::string ActionService(const std::string& action);

// The AWS error text for a denial (the code is "AccessDenied" except for EC2 actions, which
// answer "UnauthorizedOperation"):
//   User: <principal> is not authorized to perform: <action> on resource: <arn> because no
//   identity-based policy allows the <action> action
// (" on resource: <arn>" is left out when the resource is "*"; an explicit deny ends "with an
// explicit deny in an identity-based policy" instead). EC2 prefixes "You are not authorized to
// perform this operation. " and ends with a period. Sources: ELBv2 text quoted in
// kubernetes-sigs/aws-load-balancer-controller#3372 and #3086, the no-resource form in #3960;
// EC2 form quoted in ministryofjustice/modernisation-platform#12326.
Error AccessDeniedError(const AuthzRequest& req, bool explicit_deny);

class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // OkStatus() to let the call run; otherwise the error the call answers with (normally
  // AccessDeniedError(req, ...)). Called once per AuthzRequest, in order, before the call runs.
  virtual Status Authorize(const CallContext& ctx, const AuthzRequest& req) = 0;
};

}  // namespace sim::aws
