#pragma once
// Typed ELBv2 (Application Load Balancer) objects, as the fake stores them and the controller reads
// them. Plain data, std only. Each field names the AWS API member it stands for (API version
// 2015-12-01, botocore model `elbv2`); enum-valued members are kept as the exact AWS strings so that
// validation and printing reproduce AWS byte for byte. An unset optional member is std::nullopt or an
// empty container and is omitted when rendered (sim/aws/aws_json.h).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sim::model::aws {

// Tag {Key, Value}. Keys are case-sensitive; 1..128 chars, values 0..256.
struct Tag {
  std::string key;    // Key
  std::string value;  // Value
  bool operator==(const Tag&) const = default;
};

// LoadBalancerAttribute / TargetGroupAttribute / ListenerAttribute {Key, Value}.
struct Attribute {
  std::string key;    // Key, e.g. "deletion_protection.enabled"
  std::string value;  // Value, always a string ("true", "60")
  bool operator==(const Attribute&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Load balancer

struct LoadBalancerState {
  std::string code;    // Code: "provisioning" | "active" | "active_impaired" | "failed"
  std::string reason;  // Reason; empty = omitted
  bool operator==(const LoadBalancerState&) const = default;
};

struct LoadBalancerAddress {
  std::string ip_address;     // IpAddress
  std::string allocation_id;  // AllocationId
  std::string private_ipv4_address;  // PrivateIPv4Address
  std::string ipv6_address;   // IPv6Address
  bool operator==(const LoadBalancerAddress&) const = default;
};

// AvailabilityZone {ZoneName, SubnetId, OutpostId, LoadBalancerAddresses}.
struct AvailabilityZone {
  std::string zone_name;  // ZoneName, e.g. "us-west-2a"
  std::string subnet_id;  // SubnetId
  std::string outpost_id;  // OutpostId; empty = omitted
  std::vector<LoadBalancerAddress> load_balancer_addresses;  // LoadBalancerAddresses (ALB: empty)
  std::vector<std::string> source_nat_ipv6_prefixes;  // SourceNatIpv6Prefixes (NLB with IPv6 source NAT)
  bool operator==(const AvailabilityZone&) const = default;
};

// SubnetMapping (CreateLoadBalancer / SetSubnets input).
struct SubnetMapping {
  std::string subnet_id;             // SubnetId
  std::string allocation_id;         // AllocationId (NLB only; ALB → InvalidConfigurationRequest)
  std::string private_ipv4_address;  // PrivateIPv4Address (NLB only)
  std::string ipv6_address;          // IPv6Address (NLB only)
  std::string source_nat_ipv6_prefix;  // SourceNatIpv6Prefix (NLB only): an IPv6 /80 or "auto_assigned"
  bool operator==(const SubnetMapping&) const = default;
};

// IpamPools {Ipv4IpamPoolId}: the IPAM pool the LB takes its IPv4 addresses from.
struct IpamPools {
  std::optional<std::string> ipv4_ipam_pool_id;  // Ipv4IpamPoolId
  bool operator==(const IpamPools&) const = default;
};

// LoadBalancer, as DescribeLoadBalancers returns it.
struct LoadBalancer {
  std::string load_balancer_arn;         // LoadBalancerArn
  std::string dns_name;                  // DNSName
  std::string canonical_hosted_zone_id;  // CanonicalHostedZoneId
  std::chrono::milliseconds created_time{0};  // CreatedTime (sim time; printed ISO 8601 UTC, ms)
  std::string load_balancer_name;        // LoadBalancerName
  std::string scheme;                    // Scheme: "internet-facing" | "internal"
  std::string vpc_id;                    // VpcId
  LoadBalancerState state;               // State {Code, Reason}
  std::string type;                      // Type: "application" | "network" | "gateway"
  std::vector<AvailabilityZone> availability_zones;  // AvailabilityZones (sorted by ZoneName)
  std::vector<std::string> security_groups;          // SecurityGroups (ids, as given)
  std::string ip_address_type;  // IpAddressType: "ipv4" | "dualstack" | "dualstack-without-public-ipv4"
  std::string customer_owned_ipv4_pool;  // CustomerOwnedIpv4Pool; empty = omitted
  std::string enable_prefix_for_ipv6_source_nat;  // EnablePrefixForIpv6SourceNat: "on" | "off" (NLB); empty = omitted
  std::optional<IpamPools> ipam_pools;            // IpamPools
  bool operator==(const LoadBalancer&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Actions

// TargetGroupTuple {TargetGroupArn, Weight}.
struct TargetGroupTuple {
  std::string target_group_arn;  // TargetGroupArn
  std::optional<int> weight;     // Weight 0..999
  bool operator==(const TargetGroupTuple&) const = default;
};

// TargetGroupStickinessConfig {Enabled, DurationSeconds}.
struct TargetGroupStickinessConfig {
  std::optional<bool> enabled;          // Enabled
  std::optional<int> duration_seconds;  // DurationSeconds 1..604800, required when enabled
  bool operator==(const TargetGroupStickinessConfig&) const = default;
};

// ForwardActionConfig {TargetGroups, TargetGroupStickinessConfig}.
struct ForwardActionConfig {
  std::vector<TargetGroupTuple> target_groups;  // TargetGroups (max 5)
  std::optional<TargetGroupStickinessConfig> target_group_stickiness_config;  // TargetGroupStickinessConfig
  bool operator==(const ForwardActionConfig&) const = default;
};

// RedirectActionConfig. Unset components keep the request's value ("#{host}" etc.).
struct RedirectActionConfig {
  std::optional<std::string> protocol;  // Protocol: "HTTP" | "HTTPS" | "#{protocol}"
  std::optional<std::string> port;      // Port: "1".."65535" | "#{port}"
  std::optional<std::string> host;      // Host
  std::optional<std::string> path;      // Path (starts with "/")
  std::optional<std::string> query;     // Query (no leading "?")
  std::string status_code;              // StatusCode: "HTTP_301" | "HTTP_302"
  bool operator==(const RedirectActionConfig&) const = default;
};

// FixedResponseActionConfig.
struct FixedResponseActionConfig {
  std::optional<std::string> message_body;  // MessageBody, <= 1024 chars
  std::string status_code;                  // StatusCode: 2XX | 4XX | 5XX
  std::optional<std::string> content_type;  // ContentType: text/plain | text/css | text/html |
                                            // application/javascript | application/json
  bool operator==(const FixedResponseActionConfig&) const = default;
};

// AuthenticateOidcActionConfig. DescribeRules/DescribeListeners never return ClientSecret.
struct AuthenticateOidcActionConfig {
  std::string issuer;                  // Issuer
  std::string authorization_endpoint;  // AuthorizationEndpoint
  std::string token_endpoint;          // TokenEndpoint
  std::string user_info_endpoint;      // UserInfoEndpoint
  std::string client_id;               // ClientId
  std::optional<std::string> client_secret;        // ClientSecret (write-only)
  std::optional<std::string> session_cookie_name;  // SessionCookieName. Default: AWSELBAuthSessionCookie
  std::optional<std::string> scope;                // Scope. Default: "openid"
  std::optional<int64_t> session_timeout;          // SessionTimeout, seconds. Default: 604800
  std::map<std::string, std::string> authentication_request_extra_params;  // AuthenticationRequestExtraParams
  std::optional<std::string> on_unauthenticated_request;  // OnUnauthenticatedRequest: deny|allow|authenticate
  std::optional<bool> use_existing_client_secret;         // UseExistingClientSecret
  bool operator==(const AuthenticateOidcActionConfig&) const = default;
};

// AuthenticateCognitoActionConfig.
struct AuthenticateCognitoActionConfig {
  std::string user_pool_arn;        // UserPoolArn
  std::string user_pool_client_id;  // UserPoolClientId
  std::string user_pool_domain;     // UserPoolDomain
  std::optional<std::string> session_cookie_name;  // SessionCookieName
  std::optional<std::string> scope;                // Scope
  std::optional<int64_t> session_timeout;          // SessionTimeout, seconds
  std::map<std::string, std::string> authentication_request_extra_params;  // AuthenticationRequestExtraParams
  std::optional<std::string> on_unauthenticated_request;  // OnUnauthenticatedRequest
  bool operator==(const AuthenticateCognitoActionConfig&) const = default;
};

// JwtValidationActionAdditionalClaim {Format, Name, Values}.
struct JwtValidationActionAdditionalClaim {
  std::string format;               // Format: single-string | string-array | space-separated-values
  std::string name;                 // Name
  std::vector<std::string> values;  // Values
  bool operator==(const JwtValidationActionAdditionalClaim&) const = default;
};

// JwtValidationActionConfig {JwksEndpoint, Issuer, AdditionalClaims}.
struct JwtValidationActionConfig {
  std::string jwks_endpoint;  // JwksEndpoint
  std::string issuer;         // Issuer
  std::vector<JwtValidationActionAdditionalClaim> additional_claims;  // AdditionalClaims
  bool operator==(const JwtValidationActionConfig&) const = default;
};

// Action. Type: "forward" | "redirect" | "fixed-response" | "authenticate-oidc" | "jwt-validation" |
// "authenticate-cognito". As AWS does, the fake normalises a stored forward action so that
// ForwardConfig is always present, and TargetGroupArn is present iff it forwards to exactly one TG.
struct Action {
  std::string type;                               // Type
  std::optional<std::string> target_group_arn;    // TargetGroupArn
  std::optional<AuthenticateOidcActionConfig> authenticate_oidc_config;        // AuthenticateOidcConfig
  std::optional<AuthenticateCognitoActionConfig> authenticate_cognito_config;  // AuthenticateCognitoConfig
  std::optional<int> order;                       // Order 1..50000
  std::optional<RedirectActionConfig> redirect_config;             // RedirectConfig
  std::optional<FixedResponseActionConfig> fixed_response_config;  // FixedResponseConfig
  std::optional<ForwardActionConfig> forward_config;               // ForwardConfig
  std::optional<JwtValidationActionConfig> jwt_validation_config;  // JwtValidationConfig
  bool operator==(const Action&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Rule conditions and transforms

struct HostHeaderConditionConfig {
  std::vector<std::string> values;        // Values
  std::vector<std::string> regex_values;  // RegexValues
  bool operator==(const HostHeaderConditionConfig&) const = default;
};

struct PathPatternConditionConfig {
  std::vector<std::string> values;        // Values
  std::vector<std::string> regex_values;  // RegexValues
  bool operator==(const PathPatternConditionConfig&) const = default;
};

struct HttpHeaderConditionConfig {
  std::string http_header_name;           // HttpHeaderName
  std::vector<std::string> values;        // Values
  std::vector<std::string> regex_values;  // RegexValues
  bool operator==(const HttpHeaderConditionConfig&) const = default;
};

struct QueryStringKeyValuePair {
  std::optional<std::string> key;  // Key (optional: without it any parameter value may match)
  std::string value;               // Value
  bool operator==(const QueryStringKeyValuePair&) const = default;
};

struct QueryStringConditionConfig {
  std::vector<QueryStringKeyValuePair> values;  // Values
  bool operator==(const QueryStringConditionConfig&) const = default;
};

struct HttpRequestMethodConditionConfig {
  std::vector<std::string> values;  // Values
  bool operator==(const HttpRequestMethodConditionConfig&) const = default;
};

struct SourceIpConditionConfig {
  std::vector<std::string> values;  // Values (CIDRs)
  bool operator==(const SourceIpConditionConfig&) const = default;
};

// RuleCondition. Field: "host-header" | "path-pattern" | "http-header" | "query-string" |
// "http-request-method" | "source-ip". Legacy form: Field + Values (host-header, path-pattern only).
// DescribeRules returns the condition in the form it was created in.
struct RuleCondition {
  std::string field;                 // Field
  std::vector<std::string> values;   // Values (legacy)
  std::optional<HostHeaderConditionConfig> host_header_config;                 // HostHeaderConfig
  std::optional<PathPatternConditionConfig> path_pattern_config;               // PathPatternConfig
  std::optional<HttpHeaderConditionConfig> http_header_config;                 // HttpHeaderConfig
  std::optional<QueryStringConditionConfig> query_string_config;               // QueryStringConfig
  std::optional<HttpRequestMethodConditionConfig> http_request_method_config;  // HttpRequestMethodConfig
  std::optional<SourceIpConditionConfig> source_ip_config;                     // SourceIpConfig
  bool operator==(const RuleCondition&) const = default;
};

struct RewriteConfig {
  std::string regex;    // Regex
  std::string replace;  // Replace
  bool operator==(const RewriteConfig&) const = default;
};

// RuleTransform. Type: "host-header-rewrite" | "url-rewrite".
struct RuleTransform {
  std::string type;                                                  // Type
  std::optional<std::vector<RewriteConfig>> host_header_rewrite_config;  // HostHeaderRewriteConfig.Rewrites
  std::optional<std::vector<RewriteConfig>> url_rewrite_config;          // UrlRewriteConfig.Rewrites
  bool operator==(const RuleTransform&) const = default;
};

// Rule, as DescribeRules returns it.
struct Rule {
  std::string rule_arn;                  // RuleArn
  std::string priority;                  // Priority: "1".."50000" or "default"
  std::vector<RuleCondition> conditions;  // Conditions (empty for the default rule)
  std::vector<Action> actions;           // Actions
  bool is_default = false;               // IsDefault
  std::vector<RuleTransform> transforms;  // Transforms
  bool operator==(const Rule&) const = default;
};

// RulePriorityPair (SetRulePriorities input).
struct RulePriorityPair {
  std::string rule_arn;  // RuleArn
  int priority = 0;      // Priority 1..50000
  bool operator==(const RulePriorityPair&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Listener

// Certificate {CertificateArn, IsDefault}.
struct Certificate {
  std::string certificate_arn;      // CertificateArn
  std::optional<bool> is_default;   // IsDefault (only in DescribeListenerCertificates output)
  bool operator==(const Certificate&) const = default;
};

// MutualAuthenticationAttributes.
struct MutualAuthenticationAttributes {
  std::string mode;                 // Mode: "off" | "passthrough" | "verify"
  std::optional<std::string> trust_store_arn;                    // TrustStoreArn
  std::optional<bool> ignore_client_certificate_expiry;          // IgnoreClientCertificateExpiry
  std::optional<std::string> trust_store_association_status;     // TrustStoreAssociationStatus
  std::optional<std::string> advertise_trust_store_ca_names;     // AdvertiseTrustStoreCaNames: on|off
  bool operator==(const MutualAuthenticationAttributes&) const = default;
};

// Listener, as DescribeListeners returns it.
struct Listener {
  std::string listener_arn;       // ListenerArn
  std::string load_balancer_arn;  // LoadBalancerArn
  std::optional<int> port;        // Port 1..65535
  std::string protocol;           // Protocol: "HTTP" | "HTTPS" (ALB)
  std::vector<Certificate> certificates;  // Certificates: the default certificate only
  std::optional<std::string> ssl_policy;  // SslPolicy (HTTPS only)
  std::vector<Action> default_actions;    // DefaultActions
  std::vector<std::string> alpn_policy;   // AlpnPolicy (NLB TLS only)
  std::optional<MutualAuthenticationAttributes> mutual_authentication;  // MutualAuthentication
  bool operator==(const Listener&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Target group

// Matcher {HttpCode, GrpcCode}.
struct Matcher {
  std::optional<std::string> http_code;  // HttpCode: "200", "200,202", "200-299"
  std::optional<std::string> grpc_code;  // GrpcCode: "12", "0-99"
  bool operator==(const Matcher&) const = default;
};

// TargetGroup, as DescribeTargetGroups returns it. Defaults are those of an ALB instance/ip TG
// created without health-check parameters (elbv2-semantics.md §2.2).
struct TargetGroup {
  std::string target_group_arn;                   // TargetGroupArn
  std::string target_group_name;                  // TargetGroupName
  std::optional<std::string> protocol;            // Protocol: HTTP | HTTPS (absent for lambda)
  std::optional<int> port;                        // Port (absent for lambda)
  std::optional<std::string> vpc_id;              // VpcId (absent for lambda)
  std::optional<std::string> health_check_protocol;  // HealthCheckProtocol. Default: HTTP
  std::optional<std::string> health_check_port;      // HealthCheckPort. Default: "traffic-port"
  bool health_check_enabled = true;                  // HealthCheckEnabled. Default: true (lambda false)
  int health_check_interval_seconds = 30;            // HealthCheckIntervalSeconds 5..300. Default: 30
  int health_check_timeout_seconds = 5;              // HealthCheckTimeoutSeconds 2..120. Default: 5
  int healthy_threshold_count = 5;                   // HealthyThresholdCount 2..10. Default: 5
  int unhealthy_threshold_count = 2;                 // UnhealthyThresholdCount 2..10. Default: 2
  std::optional<std::string> health_check_path;      // HealthCheckPath. Default: "/"
  std::optional<Matcher> matcher;                    // Matcher. Default: HttpCode "200"
  std::vector<std::string> load_balancer_arns;       // LoadBalancerArns (computed from listeners/rules)
  std::string target_type = "instance";              // TargetType: instance | ip | lambda | alb
  std::optional<std::string> protocol_version;       // ProtocolVersion: HTTP1 | HTTP2 | GRPC (HTTP/HTTPS TGs)
  std::optional<std::string> ip_address_type;        // IpAddressType: ipv4 | ipv6
  std::optional<int> target_control_port;            // TargetControlPort (target optimizer agent port)
  bool operator==(const TargetGroup&) const = default;
};

// TargetDescription {Id, Port, AvailabilityZone}.
struct TargetDescription {
  std::string id;                                  // Id: instance id, IP address, lambda ARN
  std::optional<int> port;                         // Port (defaults to the TG port)
  std::optional<std::string> availability_zone;    // AvailabilityZone ("all" or an AZ; IP targets)
  bool operator==(const TargetDescription&) const = default;
  bool operator<(const TargetDescription& o) const {
    if (id != o.id) return id < o.id;
    return port < o.port;
  }
};

// TargetHealth {State, Reason, Description}.
struct TargetHealth {
  std::string state;        // State: initial | healthy | unhealthy | unused | draining | unavailable
  std::string reason;       // Reason, e.g. "Elb.RegistrationInProgress"; empty = omitted
  std::string description;  // Description; empty = omitted
  bool operator==(const TargetHealth&) const = default;
};

// TargetHealthDescription {Target, HealthCheckPort, TargetHealth}.
struct TargetHealthDescription {
  TargetDescription target;         // Target
  std::string health_check_port;    // HealthCheckPort (the resolved port, e.g. "30080")
  TargetHealth target_health;       // TargetHealth
  bool operator==(const TargetHealthDescription&) const = default;
};

// TagDescription {ResourceArn, Tags}.
struct TagDescription {
  std::string resource_arn;  // ResourceArn
  std::vector<Tag> tags;     // Tags, sorted by Key
  bool operator==(const TagDescription&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Constants

inline constexpr const char* kLbStateProvisioning = "provisioning";
inline constexpr const char* kLbStateActive = "active";
inline constexpr const char* kSchemeInternetFacing = "internet-facing";
inline constexpr const char* kSchemeInternal = "internal";
inline constexpr const char* kPriorityDefault = "default";

inline constexpr const char* kTargetStateInitial = "initial";
inline constexpr const char* kTargetStateHealthy = "healthy";
inline constexpr const char* kTargetStateUnhealthy = "unhealthy";
inline constexpr const char* kTargetStateUnused = "unused";
inline constexpr const char* kTargetStateDraining = "draining";
inline constexpr const char* kTargetStateUnavailable = "unavailable";

}  // namespace sim::model::aws
