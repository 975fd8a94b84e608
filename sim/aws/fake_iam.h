#pragma once
// In-memory IAM and STS for one account: roles with trust policies, customer managed and inline
// policies, OIDC identity providers, and STS AssumeRoleWithWebIdentity for IRSA
// (elbv2-semantics.md §4.4). Policy documents are parsed and validated when stored.
// Deterministic: role/policy ids, access keys and session tokens come from an Rng seeded by
// FakeIamOptions::seed, in call order.
//
// Every IamApi / StsApi call: FaultPlan::Check(service "iam" | "sts") → run → ApiCallLog::Append
// → FaultPlan::AfterCall. Methods ending in "ForSim" are the simulator's view: no faults, not
// logged.
//
// The fake cluster side (the EKS OIDC issuer that signs projected service-account tokens) is the
// free function MintWebIdentityToken below: STS accepts a token iff it is one of those, unaltered.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/aws/iam.h"
#include "sim/aws/api_call_log.h"
#include "sim/aws/fault_plan.h"
#include "sim/aws/iam_api.h"
#include "sim/aws/iam_policy.h"
#include "sim/base/clock.h"

namespace sim::aws {

struct FakeIamOptions {
  std::string partition = "aws";
  std::string region = "us-west-2";  // STS regional endpoint; only used in texts
  std::string account_id = "123456789012";
  uint64_t seed = 1;
};

// An STS session handed out by AssumeRoleWithWebIdentity.
struct StsSession {
  std::string assumed_role_arn;  // arn:aws:sts::<acct>:assumed-role/<role>/<session>
  std::string role_name;
  std::string role_arn;
  std::string session_name;
  std::string subject;   // the token's sub
  std::string provider;  // the OIDC provider ARN
  SimTime issued{0};
  SimTime expiration{0};
};

class FakeIam final : public IamApi, public StsApi {
 public:
  FakeIam(const Clock& clock, FaultPlan& faults, ApiCallLog& log, FakeIamOptions options = {});
  ~FakeIam() override;

  // IamApi
  Result<model::aws::IamRole> CreateRole(const CallContext& ctx, const CreateRoleRequest& req) override;
  Result<model::aws::IamRole> GetRole(const CallContext& ctx, const std::string& role_name) override;
  Status DeleteRole(const CallContext& ctx, const std::string& role_name) override;
  Status UpdateAssumeRolePolicy(const CallContext& ctx, const std::string& role_name,
                                const std::string& policy_document) override;
  Result<model::aws::IamPolicy> CreatePolicy(const CallContext& ctx, const CreatePolicyRequest& req) override;
  Result<model::aws::IamPolicy> GetPolicy(const CallContext& ctx, const std::string& policy_arn) override;
  Result<model::aws::IamPolicy> CreatePolicyVersion(const CallContext& ctx, const std::string& policy_arn,
                                                    const std::string& policy_document) override;
  Status DeletePolicy(const CallContext& ctx, const std::string& policy_arn) override;
  Status AttachRolePolicy(const CallContext& ctx, const std::string& role_name, const std::string& policy_arn) override;
  Status DetachRolePolicy(const CallContext& ctx, const std::string& role_name, const std::string& policy_arn) override;
  Result<std::vector<model::aws::AttachedPolicy>> ListAttachedRolePolicies(const CallContext& ctx,
                                                                           const std::string& role_name) override;
  Status PutRolePolicy(const CallContext& ctx, const PutRolePolicyRequest& req) override;
  Result<std::string> GetRolePolicy(const CallContext& ctx, const std::string& role_name,
                                    const std::string& policy_name) override;
  Status DeleteRolePolicy(const CallContext& ctx, const std::string& role_name, const std::string& policy_name) override;
  Result<std::vector<std::string>> ListRolePolicies(const CallContext& ctx, const std::string& role_name) override;
  Result<std::string> CreateOpenIDConnectProvider(const CallContext& ctx,
                                                  const CreateOpenIDConnectProviderRequest& req) override;
  Result<model::aws::OidcProvider> GetOpenIDConnectProvider(const CallContext& ctx, const std::string& arn) override;
  Status DeleteOpenIDConnectProvider(const CallContext& ctx, const std::string& arn) override;
  Result<std::vector<std::string>> ListOpenIDConnectProviders(const CallContext& ctx) override;

  // StsApi
  Result<model::aws::AssumeRoleWithWebIdentityResult> AssumeRoleWithWebIdentity(
      const CallContext& ctx, const AssumeRoleWithWebIdentityRequest& req) override;
  Result<model::aws::CallerIdentity> GetCallerIdentity(const CallContext& ctx) override;

  // --- Simulator side (no faults, not logged) -------------------------------------------------

  // The policies in force for a principal, in evaluation order: the role's inline policies (by
  // name), then its attached managed policies (attach order). The principal is an assumed-role
  // ARN (arn:<p>:sts::<acct>:assumed-role/<role>/<session>) or a role ARN. Unknown principal or
  // role: empty (everything is an implicit deny).
  std::vector<NamedPolicy> PoliciesForPrincipal(const std::string& principal_arn) const;
  // The role name of an assumed-role or role ARN of this account; nullopt otherwise.
  std::optional<std::string> RoleNameOfPrincipal(const std::string& principal_arn) const;
  // Sessions handed out so far, by assumed-role ARN (the latest per ARN).
  std::optional<StsSession> SessionForSim(const std::string& assumed_role_arn) const;

  std::optional<model::aws::IamRole> RoleForSim(const std::string& role_name) const;
  std::optional<model::aws::IamPolicy> PolicyForSim(const std::string& policy_arn) const;
  std::vector<model::aws::IamRole> RolesForSim() const;        // by name
  std::vector<model::aws::IamPolicy> PoliciesForSim() const;   // by ARN
  std::vector<model::aws::OidcProvider> OidcProvidersForSim() const;  // by ARN

  // Changes whenever IAM state may have changed (any successful IAM call); lets callers cache
  // PoliciesForPrincipal.
  uint64_t generation() const;

  // "arn:<partition>:iam::<account>:" — prefix of role/policy/provider ARNs.
  std::string IamArnPrefix() const;
  const FakeIamOptions& options() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// --- The cluster's OIDC issuer ------------------------------------------------------------------

// "https://oidc.eks.<region>.amazonaws.com/id/<id>" (id: 32 upper-case hex digits on EKS).
std::string EksOidcIssuerUrl(const std::string& region, const std::string& id);
// "system:serviceaccount:<namespace>:<name>".
std::string ServiceAccountSubject(const std::string& ns, const std::string& name);

// A JWT-shaped service-account token (base64url header.payload.signature, claims iss/sub/aud/
// iat/exp in Unix seconds from sim time). The signature is a digest over header.payload and the
// issuer, so any edit makes STS reject the token.
std::string MintWebIdentityToken(const model::aws::WebIdentityClaims& claims);
// Decodes and checks a token minted above. Errors (kInvalidArgument, aws_code
// "InvalidIdentityToken"): not a JWT / bad signature, with the STS texts of StsApi.
Result<model::aws::WebIdentityClaims> ParseWebIdentityToken(const std::string& token);

// An IRSA trust policy as the EKS docs write it (Effect Allow, Principal Federated <provider
// ARN>, Action sts:AssumeRoleWithWebIdentity, StringEquals on <issuer host/path>:sub and :aud).
std::string IrsaTrustPolicyJson(const std::string& oidc_provider_arn, const std::string& issuer_url,
                                const std::string& ns, const std::string& service_account,
                                const std::string& audience = "sts.amazonaws.com");

// Everything IRSA needs, in one call (scenario set-up): the OIDC provider for `issuer_url` (if not
// there yet, client id sts.amazonaws.com), role `role_name` trusting `ns/service_account`, the
// customer managed policy `policy_name` with `policy_json` attached to it. Made as caller
// "scenario", so it shows in the call log.
struct IrsaSetup {
  std::string oidc_provider_arn;
  std::string role_arn;
  std::string policy_arn;
};
Result<IrsaSetup> SetUpIrsaRole(FakeIam& iam, const std::string& issuer_url, const std::string& ns,
                                const std::string& service_account, const std::string& role_name,
                                const std::string& policy_name, const std::string& policy_json);

}  // namespace sim::aws
