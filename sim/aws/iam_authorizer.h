#pragma once
// The Authorizer backed by FakeIam: a call's principal (an assumed-role ARN handed out by STS, or
// a role ARN) gets the policies of its role (FakeIam::PoliciesForPrincipal) and each AuthzRequest
// is evaluated against them (iam_policy.h). Every denial is kept with its full explanation (so a
// report or `albtwin explain-iam` can show it later, even if policies change afterwards);
// allowed decisions are kept too when record_allowed is on.
//
//   FakeIam iam(clock, aws.faults(), aws.log());
//   IamAuthorizer authz(iam, clock, &aws.log());
//   aws.SetAuthorizer(&authz);   // FakeElbv2 + FakeEc2 now authorize every call with a principal
//
// A principal that is not an assumed-role/role ARN of the account, or whose role is gone, has no
// policies: every call is an implicit deny. Session expiry is not enforced here (the controller's
// SDK refreshes credentials before they expire).

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/aws/api_call_log.h"
#include "sim/aws/authorizer.h"
#include "sim/aws/fake_iam.h"
#include "sim/aws/iam_explain.h"
#include "sim/base/clock.h"

namespace sim::aws {

struct AuthzRecord {
  size_t call_index = 0;  // index the call got in the ApiCallLog (its size when authorizing);
                          // 0 when no log was given
  SimTime t{0};
  std::string caller;     // CallContext::caller
  AuthzRequest request;
  Decision decision = Decision::kAllow;
  IamExplanation explanation;  // filled for denials (and for allowed ones when record_allowed)
};

class IamAuthorizer final : public Authorizer {
 public:
  IamAuthorizer(const FakeIam& iam, const Clock& clock, const ApiCallLog* log = nullptr);

  // Authorizer
  Status Authorize(const CallContext& ctx, const AuthzRequest& req) override;

  // Every denial so far, in order.
  const std::vector<AuthzRecord>& denials() const { return denials_; }
  // Allowed decisions (only while record_allowed is on), in order.
  const std::vector<AuthzRecord>& allowed() const { return allowed_; }
  // Default off (a deploy makes thousands of allowed calls).
  void set_record_allowed(bool on) { record_allowed_ = on; }
  // The denials of the call logged at `call_index` (a Create with tags can be denied on its
  // AddTags half: that record names AddTags); empty when that call was not denied by IAM.
  std::vector<AuthzRecord> DenialsForCall(size_t call_index) const;

  // Explains `req` under the principal's current policies (for an allowed call, or a what-if).
  IamExplanation Explain(const AuthzRequest& req) const;

  int64_t evaluated_count() const { return evaluated_; }

 private:
  const std::vector<NamedPolicy>& PoliciesOf(const std::string& principal);
  // The statements of `policies` (the cached principal's) that StatementAdmits `req`: they depend
  // only on the action and principal type, so they are kept per action until the policies change.
  const std::vector<const PolicyStatement*>& AdmittedFor(const std::vector<NamedPolicy>& policies,
                                                         const AuthzRequest& req);

  const FakeIam& iam_;
  const Clock& clock_;
  const ApiCallLog* log_;
  bool record_allowed_ = false;
  std::vector<AuthzRecord> denials_;
  std::vector<AuthzRecord> allowed_;
  int64_t evaluated_ = 0;
  // PoliciesForPrincipal of the last principal, valid while iam_.generation() is unchanged.
  std::string cached_principal_;
  uint64_t cached_generation_ = 0;
  bool cache_valid_ = false;
  // AdmittedFor's answers, keyed by "<action>\n<principal type>"; cleared with the policy cache.
  std::unordered_map<std::string, std::vector<const PolicyStatement*>> admitted_;
  std::vector<NamedPolicy> cached_policies_;
};

}  // namespace sim::aws
