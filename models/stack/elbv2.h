#pragma once
// Mirrors upstream pkg/model/elbv2/{load_balancer,listener,listener_rule,target_group}.go.
//
// Desired-state specs of ELBv2 resources. Field order = upstream declaration order = JSON output
// order (stack_marshaller). std::optional / empty containers are the Go nil pointers / slices /
// maps that `omitempty` drops.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/k8s/objects.h"
#include "models/stack/token.h"

namespace sim::model::stack {

using Tags = std::map<std::string, std::string>;

// ---------------------------------------------------------------- actions (listener.go)

struct AuthenticateCognitoActionConfig {
  Tags authentication_request_extra_params;         // omitempty
  std::string on_unauthenticated_request;           // omitempty: deny / allow / authenticate
  std::optional<std::string> scope;                 // omitempty
  std::optional<std::string> session_cookie_name;   // omitempty
  std::optional<int64_t> session_timeout;           // omitempty. Seconds.
  std::string user_pool_arn;
  std::string user_pool_client_id;
  std::string user_pool_domain;
  bool operator==(const AuthenticateCognitoActionConfig&) const = default;
};

// clientID / clientSecret marshal as "[REDACTED]".
struct AuthenticateOIDCActionConfig {
  Tags authentication_request_extra_params;
  std::string on_unauthenticated_request;
  std::optional<std::string> scope;
  std::optional<std::string> session_cookie_name;
  std::optional<int64_t> session_timeout;
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string user_info_endpoint;
  std::string client_id;
  std::string client_secret;
  bool operator==(const AuthenticateOIDCActionConfig&) const = default;
};

struct JwtAdditionalClaim {
  std::string format;  // single-string / string-array / space-separated-values
  std::string name;
  std::vector<std::string> values;  // not omitempty (nil marshals as null)
  bool operator==(const JwtAdditionalClaim&) const = default;
};

struct JwtValidationConfig {
  std::string jwks_endpoint;
  std::string issuer;
  std::vector<JwtAdditionalClaim> additional_claims;  // omitempty
  bool operator==(const JwtValidationConfig&) const = default;
};

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
  std::string status_code;  // HTTP_301 / HTTP_302
  bool operator==(const RedirectActionConfig&) const = default;
};

struct TargetGroupTuple {
  StringToken target_group_arn;
  std::optional<int32_t> weight;
  bool operator==(const TargetGroupTuple&) const = default;
};

struct TargetGroupStickinessConfig {
  std::optional<bool> enabled;
  std::optional<int32_t> duration_seconds;
  bool operator==(const TargetGroupStickinessConfig&) const = default;
};

struct ForwardActionConfig {
  std::vector<TargetGroupTuple> target_groups;  // not omitempty
  std::optional<TargetGroupStickinessConfig> target_group_stickiness_config;
  bool operator==(const ForwardActionConfig&) const = default;
};

inline constexpr const char* kActionTypeAuthenticateCognito = "authenticate-cognito";
inline constexpr const char* kActionTypeAuthenticateOIDC = "authenticate-oidc";
inline constexpr const char* kActionTypeFixedResponse = "fixed-response";
inline constexpr const char* kActionTypeForward = "forward";
inline constexpr const char* kActionTypeJwtValidation = "jwt-validation";
inline constexpr const char* kActionTypeRedirect = "redirect";

struct Action {
  std::string type;
  std::optional<AuthenticateCognitoActionConfig> authenticate_cognito_config;
  std::optional<AuthenticateOIDCActionConfig> authenticate_oidc_config;
  std::optional<JwtValidationConfig> jwt_validation_config;
  std::optional<FixedResponseActionConfig> fixed_response_config;
  std::optional<RedirectActionConfig> redirect_config;
  std::optional<ForwardActionConfig> forward_config;
  bool operator==(const Action&) const = default;
};

// ---------------------------------------------------------------- listener.go

struct Certificate {
  std::optional<StringToken> certificate_arn;  // omitempty
  bool operator==(const Certificate&) const = default;
};

struct MutualAuthenticationAttributes {
  std::string mode;  // off / passthrough / verify
  std::optional<std::string> trust_store_arn;
  std::optional<bool> ignore_client_certificate_expiry;
  std::optional<std::string> advertise_trust_store_ca_names;
  bool operator==(const MutualAuthenticationAttributes&) const = default;
};

// Marshals as {"Key":..,"Value":..} (no json tags upstream).
struct ListenerAttribute {
  std::string key;
  std::string value;
  bool operator==(const ListenerAttribute&) const = default;
};

struct ListenerSpec {
  StringToken load_balancer_arn;
  int32_t port = 0;
  std::string protocol;  // HTTP / HTTPS
  std::vector<Action> default_actions;
  std::vector<Certificate> certificates;
  std::optional<std::string> ssl_policy;
  std::vector<std::string> alpn_policy;
  std::optional<MutualAuthenticationAttributes> mutual_authentication;
  Tags tags;
  std::vector<ListenerAttribute> listener_attributes;  // sorted by key (upstream: map order)
  bool operator==(const ListenerSpec&) const = default;
};

struct ListenerStatus {
  std::string listener_arn;
  bool operator==(const ListenerStatus&) const = default;
};

// ---------------------------------------------------------------- listener_rule.go

inline constexpr const char* kRuleConditionFieldHTTPHeader = "http-header";
inline constexpr const char* kRuleConditionFieldHTTPRequestMethod = "http-request-method";
inline constexpr const char* kRuleConditionFieldHostHeader = "host-header";
inline constexpr const char* kRuleConditionFieldPathPattern = "path-pattern";
inline constexpr const char* kRuleConditionFieldQueryString = "query-string";
inline constexpr const char* kRuleConditionFieldSourceIP = "source-ip";

struct HostHeaderConditionConfig {
  std::vector<std::string> regex_values;  // omitempty
  std::vector<std::string> values;        // omitempty
  bool operator==(const HostHeaderConditionConfig&) const = default;
};
struct HTTPHeaderConditionConfig {
  std::string http_header_name;
  std::vector<std::string> regex_values;
  std::vector<std::string> values;
  bool operator==(const HTTPHeaderConditionConfig&) const = default;
};
struct HTTPRequestMethodConditionConfig {
  std::vector<std::string> values;  // not omitempty
  bool operator==(const HTTPRequestMethodConditionConfig&) const = default;
};
struct PathPatternConditionConfig {
  std::vector<std::string> regex_values;
  std::vector<std::string> values;
  bool operator==(const PathPatternConditionConfig&) const = default;
};
struct QueryStringKeyValuePair {
  std::optional<std::string> key;
  std::string value;
  bool operator==(const QueryStringKeyValuePair&) const = default;
};
struct QueryStringConditionConfig {
  std::vector<QueryStringKeyValuePair> values;  // not omitempty
  bool operator==(const QueryStringConditionConfig&) const = default;
};
struct SourceIPConditionConfig {
  std::vector<std::string> values;  // not omitempty
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
};

inline constexpr const char* kTransformTypeUrlRewrite = "url-rewrite";
inline constexpr const char* kTransformTypeHostHeaderRewrite = "host-header-rewrite";

struct RewriteConfig {
  std::string regex;
  std::string replace;
  bool operator==(const RewriteConfig&) const = default;
};
struct RewriteConfigObject {
  std::vector<RewriteConfig> rewrites;  // not omitempty
  bool operator==(const RewriteConfigObject&) const = default;
};
struct Transform {
  std::string type;
  std::optional<RewriteConfigObject> host_header_rewrite_config;
  std::optional<RewriteConfigObject> url_rewrite_config;
  bool operator==(const Transform&) const = default;
};

struct ListenerRuleSpec {
  StringToken listener_arn;
  int32_t priority = 0;
  std::vector<Action> actions;           // not omitempty
  std::vector<RuleCondition> conditions;  // not omitempty
  std::vector<Transform> transforms;     // omitempty
  Tags tags;
  bool operator==(const ListenerRuleSpec&) const = default;
};

struct ListenerRuleStatus {
  std::string rule_arn;
  bool operator==(const ListenerRuleStatus&) const = default;
};

// ---------------------------------------------------------------- load_balancer.go

struct SubnetMapping {
  std::optional<std::string> allocation_id;
  std::optional<std::string> private_ipv4_address;
  std::optional<std::string> ipv6_address;
  std::optional<std::string> source_nat_ipv6_prefix;
  std::string subnet_id;
  bool operator==(const SubnetMapping&) const = default;
};

struct LoadBalancerAttribute {
  std::string key;
  std::string value;
  bool operator==(const LoadBalancerAttribute&) const = default;
};

struct MinimumLoadBalancerCapacity {
  int32_t capacity_units = 0;
  bool operator==(const MinimumLoadBalancerCapacity&) const = default;
};

struct LoadBalancerSpec {
  std::string name;
  std::string type = "application";
  std::string scheme;           // internal / internet-facing
  std::string ip_address_type;  // ipv4 / dualstack / dualstack-without-public-ipv4
  std::string enable_prefix_for_ipv6_source_nat;
  std::vector<SubnetMapping> subnet_mappings;
  std::vector<StringToken> security_groups;
  std::optional<std::string> security_groups_inbound_rules_on_private_link;
  std::optional<std::string> customer_owned_ipv4_pool;
  std::vector<LoadBalancerAttribute> load_balancer_attributes;  // sorted by key
  std::optional<MinimumLoadBalancerCapacity> minimum_load_balancer_capacity;
  Tags tags;
  std::optional<std::string> ipv4_ipam_pool;
  bool operator==(const LoadBalancerSpec&) const = default;
};

struct LoadBalancerStatus {
  std::string load_balancer_arn;
  std::string dns_name;
  std::optional<std::string> provisioning_state;  // active / provisioning / ...
  bool operator==(const LoadBalancerStatus&) const = default;
};

// ---------------------------------------------------------------- target_group.go

struct HealthCheckMatcher {
  std::optional<std::string> http_code;
  std::optional<std::string> grpc_code;
  bool operator==(const HealthCheckMatcher&) const = default;
};

struct TargetGroupHealthCheckConfig {
  std::optional<k8s::IntOrString> port;  // "traffic-port" or a number
  std::string protocol;
  std::optional<std::string> path;
  std::optional<HealthCheckMatcher> matcher;
  std::optional<int32_t> interval_seconds;
  std::optional<int32_t> timeout_seconds;
  std::optional<int32_t> healthy_threshold_count;
  std::optional<int32_t> unhealthy_threshold_count;
  bool operator==(const TargetGroupHealthCheckConfig&) const = default;
};

struct TargetGroupAttribute {
  std::string key;
  std::string value;
  bool operator==(const TargetGroupAttribute&) const = default;
};

struct TargetGroupSpec {
  std::string name;
  std::string target_type;  // instance / ip
  std::optional<int32_t> port;  // not omitempty (nil marshals as null)
  std::string protocol;
  std::optional<std::string> protocol_version;  // HTTP1 / HTTP2 / GRPC
  std::string ip_address_type;                  // ipv4 / ipv6
  std::optional<TargetGroupHealthCheckConfig> health_check_config;
  std::vector<TargetGroupAttribute> target_group_attributes;  // sorted by key
  Tags tags;
  std::optional<int32_t> target_control_port;
  bool operator==(const TargetGroupSpec&) const = default;
};

struct TargetGroupStatus {
  std::string target_group_arn;
  bool operator==(const TargetGroupStatus&) const = default;
};

}  // namespace sim::model::stack
