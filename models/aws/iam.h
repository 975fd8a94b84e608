#pragma once
// IAM and STS objects as the IAM / STS APIs return them (member names in snake_case).
// Plain data, std only. Times are sim time (milliseconds since scenario start). Policy documents
// are kept as the JSON text they were given in; the parsed form lives in sim/aws/iam_policy.h.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "models/aws/elbv2.h"

namespace sim::model::aws {

// GetRole / CreateRole. ARN: arn:<partition>:iam::<account>:role<path><name>.
struct IamRole {
  std::string path = "/";
  std::string role_name;
  std::string role_id;  // "AROA" + 17 upper-case alphanumerics, deterministic
  std::string arn;
  std::chrono::milliseconds create_date{0};
  std::string assume_role_policy_document;  // trust policy JSON, as given
  std::string description;
  int max_session_duration = 3600;  // seconds; 3600..43200
  std::vector<Tag> tags;

  bool operator==(const IamRole&) const = default;
};

// GetPolicy / CreatePolicy (customer managed). ARN: arn:<partition>:iam::<account>:policy<path><name>.
struct IamPolicy {
  std::string policy_name;
  std::string policy_id;  // "ANPA" + 17 upper-case alphanumerics
  std::string arn;
  std::string path = "/";
  std::string default_version_id = "v1";
  int attachment_count = 0;
  bool is_attachable = true;
  std::string description;
  std::chrono::milliseconds create_date{0};
  std::chrono::milliseconds update_date{0};
  std::string document;  // the default version's JSON, as given
  std::vector<Tag> tags;

  bool operator==(const IamPolicy&) const = default;
};

// ListAttachedRolePolicies entry.
struct AttachedPolicy {
  std::string policy_name;
  std::string policy_arn;

  bool operator==(const AttachedPolicy&) const = default;
};

// GetOpenIDConnectProvider. ARN: arn:<partition>:iam::<account>:oidc-provider/<url without https://>,
// e.g. arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE.
struct OidcProvider {
  std::string arn;
  std::string url;  // "oidc.eks.us-west-2.amazonaws.com/id/<ID>" (stored and returned without https://)
  std::vector<std::string> client_id_list;   // audiences, e.g. {"sts.amazonaws.com"}
  std::vector<std::string> thumbprint_list;  // 40 hex digits each
  std::chrono::milliseconds create_date{0};
  std::vector<Tag> tags;

  bool operator==(const OidcProvider&) const = default;
};

// STS temporary credentials. Ids are deterministic (seeded), never real secrets.
struct StsCredentials {
  std::string access_key_id;      // "ASIA" + 16 upper-case alphanumerics
  std::string secret_access_key;  // 40 characters
  std::string session_token;
  std::chrono::milliseconds expiration{0};

  bool operator==(const StsCredentials&) const = default;
};

struct AssumedRoleUser {
  std::string assumed_role_id;  // "<role id>:<session name>"
  std::string arn;              // arn:<partition>:sts::<account>:assumed-role/<role name>/<session name>

  bool operator==(const AssumedRoleUser&) const = default;
};

// AssumeRoleWithWebIdentity result.
struct AssumeRoleWithWebIdentityResult {
  StsCredentials credentials;
  std::string subject_from_web_identity_token;  // the token's "sub"
  AssumedRoleUser assumed_role_user;
  std::string provider;  // the token's issuer without https:// (the provider's url)
  std::string audience;  // the token's "aud"

  bool operator==(const AssumeRoleWithWebIdentityResult&) const = default;
};

// GetCallerIdentity.
struct CallerIdentity {
  std::string user_id;
  std::string account;
  std::string arn;

  bool operator==(const CallerIdentity&) const = default;
};

// Claims of a service-account token (the projected token EKS mounts for IRSA), as the fake
// OIDC issuer mints it.
struct WebIdentityClaims {
  std::string iss;  // "https://oidc.eks.<region>.amazonaws.com/id/<ID>"
  std::string sub;  // "system:serviceaccount:<namespace>:<name>"
  std::string aud;  // "sts.amazonaws.com"
  std::chrono::milliseconds iat{0};   // issued at
  std::chrono::milliseconds exp{0};   // expires at (default projected token lifetime: 86400 s)

  bool operator==(const WebIdentityClaims&) const = default;
};

}  // namespace sim::model::aws
