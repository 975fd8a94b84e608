#pragma once
// Mirrors upstream pkg/ingress/config_types.go: the user-facing JSON annotation types
// (`actions.*`, `conditions.*`, `transforms.*`, `auth-idp-*`, `jwt-validation`) with their
// validation, plus Go encoding/json decoding of them (case-insensitive field names, unknown
// fields ignored, null = absent) and the listen-ports / mutual-authentication annotation shapes of
// pkg/ingress/model_build_listener.go.
//
// Pointer fields are std::optional; nil slices are std::nullopt where upstream tells nil from
// empty (results of the conformance corpus compare `[]` vs `null`).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/k8s/objects.h"
#include "sim/base/status.h"

namespace sim::controller::ing {

using model::k8s::IntOrString;

struct FixedResponseActionConfig {
  std::optional<std::string> content_type;
  std::optional<std::string> message_body;
  std::string status_code;
  bool operator==(const FixedResponseActionConfig&) const = default;
};

struct RedirectActionConfig {
  std::optional<std::string> host;
  std::optional<std::string> path;
  std::optional<std::string> port;
  std::optional<std::string> protocol;
  std::optional<std::string> query;
  std::string status_code;
  bool operator==(const RedirectActionConfig&) const = default;
};

struct TargetGroupTuple {
  std::optional<std::string> target_group_arn;
  std::optional<std::string> target_group_name;
  std::optional<std::string> service_name;
  std::optional<IntOrString> service_port;
  std::optional<int32_t> weight;
  bool operator==(const TargetGroupTuple&) const = default;
};

struct TargetGroupStickinessConfig {
  std::optional<bool> enabled;
  std::optional<int32_t> duration_seconds;
  bool operator==(const TargetGroupStickinessConfig&) const = default;
};

struct ForwardActionConfig {
  std::optional<std::vector<TargetGroupTuple>> target_groups;
  std::optional<TargetGroupStickinessConfig> target_group_stickiness_config;
  bool operator==(const ForwardActionConfig&) const = default;
};

inline constexpr const char* kActionTypeFixedResponse = "fixed-response";
inline constexpr const char* kActionTypeForward = "forward";
inline constexpr const char* kActionTypeRedirect = "redirect";

struct Action {
  std::string type;
  std::optional<std::string> target_group_arn;
  std::optional<std::string> target_group_name;
  std::optional<FixedResponseActionConfig> fixed_response_config;
  std::optional<RedirectActionConfig> redirect_config;
  std::optional<ForwardActionConfig> forward_config;
  bool operator==(const Action&) const = default;

  // upstream Action.validate(): `missing FixedResponseConfig`, `invalid FixedResponseConfig:
  // statusCode is required`, ..., `unknown action type: <t>`.
  Status Validate() const;
};

struct HostHeaderConditionConfig {
  std::optional<std::vector<std::string>> regex_values;
  std::optional<std::vector<std::string>> values;
  bool operator==(const HostHeaderConditionConfig&) const = default;
};
struct HTTPHeaderConditionConfig {
  std::string http_header_name;
  std::optional<std::vector<std::string>> regex_values;
  std::optional<std::vector<std::string>> values;
  bool operator==(const HTTPHeaderConditionConfig&) const = default;
};
struct HTTPRequestMethodConditionConfig {
  std::optional<std::vector<std::string>> values;
  bool operator==(const HTTPRequestMethodConditionConfig&) const = default;
};
struct PathPatternConditionConfig {
  std::optional<std::vector<std::string>> regex_values;
  std::optional<std::vector<std::string>> values;
  bool operator==(const PathPatternConditionConfig&) const = default;
};
struct QueryStringKeyValuePair {
  std::optional<std::string> key;
  std::string value;
  bool operator==(const QueryStringKeyValuePair&) const = default;
};
struct QueryStringConditionConfig {
  std::optional<std::vector<QueryStringKeyValuePair>> values;
  bool operator==(const QueryStringConditionConfig&) const = default;
};
struct SourceIPConditionConfig {
  std::optional<std::vector<std::string>> values;
  bool operator==(const SourceIPConditionConfig&) const = default;
};

struct RuleCondition {
  std::string field;
  std::optional<HostHeaderConditionConfig> host_header_config;
  std::optional<HTTPHeaderConditionConfig> http_header_config;
  std::optional<HTTPRequestMethodConditionConfig> http_request_method_config;
  std::optional<PathPatternConditionConfig> path_pattern_config;
  std::optional<QueryStringConditionConfig> query_string_config;
  std::optional<SourceIPConditionConfig> source_ip_config;
  bool operator==(const RuleCondition&) const = default;

  Status Validate() const;
};

inline constexpr const char* kAuthTypeNone = "none";
inline constexpr const char* kAuthTypeCognito = "cognito";
inline constexpr const char* kAuthTypeOIDC = "oidc";

struct AuthIDPConfigCognito {
  std::string user_pool_arn;
  std::string user_pool_client_id;
  std::string user_pool_domain;
  std::optional<std::map<std::string, std::string>> authentication_request_extra_params;
  bool operator==(const AuthIDPConfigCognito&) const = default;
};

struct AuthIDPConfigOIDC {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string user_info_endpoint;
  std::string secret_name;
  std::optional<std::map<std::string, std::string>> authentication_request_extra_params;
  bool operator==(const AuthIDPConfigOIDC&) const = default;
};

struct RewriteConfig {
  std::string regex;
  std::string replace;
  bool operator==(const RewriteConfig&) const = default;
};
struct RewriteConfigObject {
  std::optional<std::vector<RewriteConfig>> rewrites;
  bool operator==(const RewriteConfigObject&) const = default;
};

inline constexpr const char* kTransformTypeUrlRewrite = "url-rewrite";
inline constexpr const char* kTransformTypeHostHeaderRewrite = "host-header-rewrite";

struct Transform {
  std::string type;
  std::optional<RewriteConfigObject> host_header_rewrite_config;
  std::optional<RewriteConfigObject> url_rewrite_config;
  bool operator==(const Transform&) const = default;

  Status Validate() const;
};

struct JwtAdditionalClaim {
  std::string format;
  std::string name;
  std::optional<std::vector<std::string>> values;
  bool operator==(const JwtAdditionalClaim&) const = default;
};

struct JwtValidationConfig {
  std::string jwks_endpoint;
  std::string issuer;
  std::optional<std::vector<JwtAdditionalClaim>> additional_claims;
  bool operator==(const JwtValidationConfig&) const = default;
};

// `mutual-authentication` annotation entry (upstream MutualAuthenticationConfig).
struct MutualAuthenticationConfig {
  int32_t port = 0;
  std::string mode;
  std::optional<std::string> trust_store;
  std::optional<bool> ignore_client_certificate_expiry;
  std::optional<std::string> advertise_trust_store_ca_names;
};

// Go encoding/json decoders. Errors carry Go's message (`unexpected end of JSON input`,
// `invalid character 'x' looking for beginning of value`, `json: cannot unmarshal ...`).
Status DecodeJson(const std::string& raw, Action* out);
Status DecodeJson(const std::string& raw, std::vector<RuleCondition>* out);
Status DecodeJson(const std::string& raw, std::vector<Transform>* out);
Status DecodeJson(const std::string& raw, AuthIDPConfigCognito* out);
Status DecodeJson(const std::string& raw, AuthIDPConfigOIDC* out);
Status DecodeJson(const std::string& raw, JwtValidationConfig* out);
Status DecodeJson(const std::string& raw, std::vector<MutualAuthenticationConfig>* out);
// listen-ports: []map[string]int32, entries in order, keys of each entry sorted (Go map order is
// random; a port listed twice keeps the last occurrence).
Status DecodeJson(const std::string& raw, std::vector<std::vector<std::pair<std::string, int32_t>>>* out);

// JSON encoders of these types with their json tags (used by the conformance runner; Go
// omitempty rules: nullopt omitted).
std::string ToJson(const Action& v);
std::string ToJson(const RuleCondition& v);
std::string ToJson(const Transform& v);
std::string ToJson(const AuthIDPConfigCognito& v);
std::string ToJson(const AuthIDPConfigOIDC& v);
std::string ToJson(const JwtValidationConfig& v);

}  // namespace sim::controller::ing
