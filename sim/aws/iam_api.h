#pragma once
// The parts of IAM and STS that IRSA needs (elbv2-semantics.md §4.4): roles with trust policies,
// customer managed and inline policies, OIDC identity providers, and
// STS AssumeRoleWithWebIdentity. Same conventions as elbv2_api.h: requests are plain structs with
// AWS member names in snake_case, errors carry the exact AWS code, every call may also fail with
// injected common errors (FaultPlan service "iam" / "sts").
//
// IAM error texts (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html and the
// per-operation pages): NoSuchEntity "The role with name <n> cannot be found." / "Policy <arn>
// does not exist or is not attachable." / "The role policy with name <p> cannot be found." /
// "OpenIDConnect provider not found for arn <arn>"; EntityAlreadyExists "Role with name <n>
// already exists." / "A policy called <n> already exists. Duplicate names are not allowed." /
// "Provider with url https://<url> already exists."; DeleteConflict "Cannot delete entity, must
// detach all policies first." / "Cannot delete a policy attached to entities.";
// MalformedPolicyDocument (iam_policy.h texts); ValidationError for bad names.

#include <optional>
#include <string>
#include <vector>

#include "models/aws/iam.h"
#include "sim/aws/call_context.h"
#include "sim/base/status.h"

namespace sim::aws {

namespace m = ::sim::model::aws;

struct CreateRoleRequest {
  std::string role_name;                    // RoleName: [\w+=,.@-]{1,64}
  std::string path = "/";                   // Path: "/" or "/a/b/"
  std::string assume_role_policy_document;  // AssumeRolePolicyDocument (trust policy JSON)
  std::string description;                  // Description
  int max_session_duration = 3600;          // MaxSessionDuration, 3600..43200
  std::vector<m::Tag> tags;                 // Tags
};

struct CreatePolicyRequest {
  std::string policy_name;      // PolicyName: [\w+=,.@-]{1,128}
  std::string path = "/";       // Path
  std::string policy_document;  // PolicyDocument (identity policy JSON)
  std::string description;      // Description
  std::vector<m::Tag> tags;     // Tags
};

struct PutRolePolicyRequest {
  std::string role_name;        // RoleName
  std::string policy_name;      // PolicyName
  std::string policy_document;  // PolicyDocument
};

struct CreateOpenIDConnectProviderRequest {
  std::string url;                           // Url: "https://oidc.eks.<region>.amazonaws.com/id/<ID>"
  std::vector<std::string> client_id_list;   // ClientIDList, e.g. {"sts.amazonaws.com"}
  std::vector<std::string> thumbprint_list;  // ThumbprintList (40 hex each; may be empty)
  std::vector<m::Tag> tags;                  // Tags
};

class IamApi {
 public:
  virtual ~IamApi() = default;

  // Errors: EntityAlreadyExists, MalformedPolicyDocument (trust policy: needs Principal, no
  // Resource), ValidationError (name/path/duration).
  virtual Result<m::IamRole> CreateRole(const CallContext& ctx, const CreateRoleRequest& req) = 0;
  // Errors: NoSuchEntity.
  virtual Result<m::IamRole> GetRole(const CallContext& ctx, const std::string& role_name) = 0;
  // Errors: NoSuchEntity, DeleteConflict (managed or inline policies still on the role).
  virtual Status DeleteRole(const CallContext& ctx, const std::string& role_name) = 0;
  // Replaces the trust policy. Errors: NoSuchEntity, MalformedPolicyDocument.
  virtual Status UpdateAssumeRolePolicy(const CallContext& ctx, const std::string& role_name,
                                        const std::string& policy_document) = 0;

  // Customer managed policy. Errors: EntityAlreadyExists, MalformedPolicyDocument (identity
  // policy: Resource required, no Principal), ValidationError.
  virtual Result<m::IamPolicy> CreatePolicy(const CallContext& ctx, const CreatePolicyRequest& req) = 0;
  // Errors: NoSuchEntity.
  virtual Result<m::IamPolicy> GetPolicy(const CallContext& ctx, const std::string& policy_arn) = 0;
  // Replaces the default version's document (CreatePolicyVersion with SetAsDefault, simplified:
  // the version id counts up "v2", "v3", ...). Errors: NoSuchEntity, MalformedPolicyDocument.
  virtual Result<m::IamPolicy> CreatePolicyVersion(const CallContext& ctx, const std::string& policy_arn,
                                                   const std::string& policy_document) = 0;
  // Errors: NoSuchEntity, DeleteConflict (still attached).
  virtual Status DeletePolicy(const CallContext& ctx, const std::string& policy_arn) = 0;
  // Idempotent. Errors: NoSuchEntity (role or policy).
  virtual Status AttachRolePolicy(const CallContext& ctx, const std::string& role_name,
                                  const std::string& policy_arn) = 0;
  // Errors: NoSuchEntity (role, or "Policy <arn> was not found." when not attached).
  virtual Status DetachRolePolicy(const CallContext& ctx, const std::string& role_name,
                                  const std::string& policy_arn) = 0;
  // In attach order. Errors: NoSuchEntity.
  virtual Result<std::vector<m::AttachedPolicy>> ListAttachedRolePolicies(const CallContext& ctx,
                                                                          const std::string& role_name) = 0;

  // Inline policy (creates or replaces). Errors: NoSuchEntity, MalformedPolicyDocument.
  virtual Status PutRolePolicy(const CallContext& ctx, const PutRolePolicyRequest& req) = 0;
  // The document JSON. Errors: NoSuchEntity (role or policy).
  virtual Result<std::string> GetRolePolicy(const CallContext& ctx, const std::string& role_name,
                                            const std::string& policy_name) = 0;
  // Errors: NoSuchEntity.
  virtual Status DeleteRolePolicy(const CallContext& ctx, const std::string& role_name,
                                  const std::string& policy_name) = 0;
  // Inline policy names, sorted. Errors: NoSuchEntity.
  virtual Result<std::vector<std::string>> ListRolePolicies(const CallContext& ctx,
                                                            const std::string& role_name) = 0;

  // Returns the provider ARN. Errors: EntityAlreadyExists, ValidationError (url not https://,
  // more than 100 client ids). InvalidInput "Thumbprint must be 40 characters" for a bad thumbprint.
  virtual Result<std::string> CreateOpenIDConnectProvider(const CallContext& ctx,
                                                          const CreateOpenIDConnectProviderRequest& req) = 0;
  // Errors: NoSuchEntity.
  virtual Result<m::OidcProvider> GetOpenIDConnectProvider(const CallContext& ctx, const std::string& arn) = 0;
  // Errors: NoSuchEntity.
  virtual Status DeleteOpenIDConnectProvider(const CallContext& ctx, const std::string& arn) = 0;
  // Provider ARNs, sorted.
  virtual Result<std::vector<std::string>> ListOpenIDConnectProviders(const CallContext& ctx) = 0;
};

struct AssumeRoleWithWebIdentityRequest {
  std::string role_arn;            // RoleArn
  std::string role_session_name;   // RoleSessionName: [\w+=,.@-]{2,64}
  std::string web_identity_token;  // WebIdentityToken (the projected service-account token)
  std::optional<int> duration_seconds;  // DurationSeconds: 900..role MaxSessionDuration; default 3600
};

class StsApi {
 public:
  virtual ~StsApi() = default;

  // Validates the token (JWT shape, signature, issuer registered as an OIDC provider, audience in
  // its client ids, not expired), then evaluates the role's trust policy for the action
  // sts:AssumeRoleWithWebIdentity with principal {Federated: <provider ARN>} and the context keys
  // <issuer host/path>:sub, :aud, :amr (and aws:FederatedProvider).
  // Errors (codes as in the STS model; texts as AWS answers):
  //   InvalidIdentityToken "The ID Token provided is not a valid JWT. (You may see this error if
  //     you sent an Access Token)" (not a JWT), "No OpenIDConnect provider found in your account for
  //     <iss>" (kubernetes-sigs/aws-load-balancer-controller#2315), "Incorrect token audience"
  //     (awslabs/amazon-eks-irsa-cfn#18), "The web identity token that was passed could not be
  //     validated by AWS. Get a new identity token from the identity provider and then retry the
  //     request." (bad signature);
  //   ExpiredTokenException "Token expired: current date/time <now> must be before the expiration
  //     date/time <exp>";
  //   AccessDenied "Not authorized to perform sts:AssumeRoleWithWebIdentity" (unknown role, or the
  //     trust policy does not allow it; sentry-kubernetes/charts#514, aws/aws-sdk-java-v2#1470);
  //   ValidationError (session name, duration, missing member).
  virtual Result<m::AssumeRoleWithWebIdentityResult> AssumeRoleWithWebIdentity(
      const CallContext& ctx, const AssumeRoleWithWebIdentityRequest& req) = 0;
  // The caller's identity from ctx.principal_arn. Errors: InvalidClientTokenId "The security token
  // included in the request is invalid." (empty or unknown principal), ExpiredToken "The security
  // token included in the request is expired" (session past its expiration).
  virtual Result<m::CallerIdentity> GetCallerIdentity(const CallContext& ctx) = 0;
};

}  // namespace sim::aws
