#pragma once
// Mirrors upstream pkg/annotations/parser.go and pkg/annotations/constants.go.
//
// The suffix annotation parser: `Parse*("scheme", ...)` reads `<prefix>/scheme`. Error texts are
// upstream's (pkg/errors Wrapf of the strconv / encoding/json error).

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/base/status.h"

namespace sim::controller {

using Annotations = std::map<std::string, std::string>;

namespace annotations {
inline constexpr const char* kIngressClass = "kubernetes.io/ingress.class";
inline constexpr const char* kAnnotationPrefixIngress = "alb.ingress.kubernetes.io";
inline constexpr const char* kLoadBalancerName = "load-balancer-name";
inline constexpr const char* kGroupName = "group.name";
inline constexpr const char* kGroupOrder = "group.order";
inline constexpr const char* kTags = "tags";
inline constexpr const char* kIPAddressType = "ip-address-type";
inline constexpr const char* kScheme = "scheme";
inline constexpr const char* kSubnets = "subnets";
inline constexpr const char* kCustomerOwnedIPv4Pool = "customer-owned-ipv4-pool";
inline constexpr const char* kLoadBalancerAttributes = "load-balancer-attributes";
inline constexpr const char* kWAFv2ACLARN = "wafv2-acl-arn";
inline constexpr const char* kWAFv2ACLName = "wafv2-acl-name";
inline constexpr const char* kWAFACLID = "waf-acl-id";
inline constexpr const char* kWebACLID = "web-acl-id";
inline constexpr const char* kShieldAdvancedProtection = "shield-advanced-protection";
inline constexpr const char* kSecurityGroups = "security-groups";
inline constexpr const char* kListenPorts = "listen-ports";
inline constexpr const char* kSSLRedirect = "ssl-redirect";
inline constexpr const char* kInboundCIDRs = "inbound-cidrs";
inline constexpr const char* kCertificateARN = "certificate-arn";
inline constexpr const char* kSSLPolicy = "ssl-policy";
inline constexpr const char* kTargetType = "target-type";
inline constexpr const char* kBackendProtocol = "backend-protocol";
inline constexpr const char* kBackendProtocolVersion = "backend-protocol-version";
inline constexpr const char* kTargetGroupAttributes = "target-group-attributes";
inline constexpr const char* kHealthCheckPort = "healthcheck-port";
inline constexpr const char* kHealthCheckProtocol = "healthcheck-protocol";
inline constexpr const char* kHealthCheckPath = "healthcheck-path";
inline constexpr const char* kHealthCheckIntervalSeconds = "healthcheck-interval-seconds";
inline constexpr const char* kHealthCheckTimeoutSeconds = "healthcheck-timeout-seconds";
inline constexpr const char* kHealthyThresholdCount = "healthy-threshold-count";
inline constexpr const char* kUnhealthyThresholdCount = "unhealthy-threshold-count";
inline constexpr const char* kSuccessCodes = "success-codes";
inline constexpr const char* kAuthType = "auth-type";
inline constexpr const char* kAuthIDPCognito = "auth-idp-cognito";
inline constexpr const char* kAuthIDPOIDC = "auth-idp-oidc";
inline constexpr const char* kAuthOnUnauthenticatedRequest = "auth-on-unauthenticated-request";
inline constexpr const char* kAuthScope = "auth-scope";
inline constexpr const char* kAuthSessionCookie = "auth-session-cookie";
inline constexpr const char* kAuthSessionTimeout = "auth-session-timeout";
inline constexpr const char* kJwtValidation = "jwt-validation";
inline constexpr const char* kTargetNodeLabels = "target-node-labels";
inline constexpr const char* kManageSecurityGroupRules = "manage-backend-security-group-rules";
inline constexpr const char* kMutualAuthentication = "mutual-authentication";
inline constexpr const char* kSecurityGroupPrefixLists = "security-group-prefix-lists";
inline constexpr const char* kListenerAttributesPrefix = "listener-attributes";
inline constexpr const char* kMultiClusterTargetGroup = "multi-cluster-target-group";
inline constexpr const char* kLoadBalancerCapacityReservation = "minimum-load-balancer-capacity";
inline constexpr const char* kIPAMIPv4PoolId = "ipam-ipv4-pool-id";
inline constexpr const char* kEnableFrontendNlb = "enable-frontend-nlb";
inline constexpr const char* kUseRegexPathMatch = "use-regex-path-match";
inline constexpr const char* kTargetControlPort = "target-control-port";
inline constexpr const char* kCreateCertificate = "create-acm-cert";
inline constexpr const char* kACMCaARN = "acm-pca-arn";
inline constexpr const char* kDryRunPlan = "dry-run-plan";
}  // namespace annotations

// Go strconv helpers with Go's exact error texts.
// `strconv.ParseBool: parsing "<s>": invalid syntax` on error.
Result<bool> GoParseBool(const std::string& s);
// Base 10, bit size 32 or 64. `strconv.ParseInt: parsing "<s>": invalid syntax` /
// `... value out of range`.
Result<int64_t> GoParseInt(const std::string& s, int bit_size);
// Go strconv.Quote (as used inside strconv errors).
std::string GoQuote(const std::string& s);

class AnnotationParser {
 public:
  explicit AnnotationParser(std::string prefix) : prefix_(std::move(prefix)) {}

  const std::string& prefix() const { return prefix_; }

  // Returns whether `<prefix>/<suffix>` exists; sets *value when it does.
  bool ParseString(std::string_view suffix, std::string* value, const Annotations& annotations) const;
  // ok(exists) or `failed to parse bool annotation, <key>: <raw>: strconv.ParseBool: ...`.
  // *value is set only on success.
  Result<bool> ParseBool(std::string_view suffix, bool* value, const Annotations& annotations) const;
  Result<bool> ParseInt32(std::string_view suffix, int32_t* value, const Annotations& annotations) const;
  Result<bool> ParseInt64(std::string_view suffix, int64_t* value, const Annotations& annotations) const;
  // Comma-separated, spaces trimmed, empty items dropped.
  bool ParseStringSlice(std::string_view suffix, std::vector<std::string>* value,
                        const Annotations& annotations) const;
  // `k1=v1, k2=v2` with `\,` escapes; `failed to parse stringMap annotation, <key>: <raw>`.
  Result<bool> ParseStringMap(std::string_view suffix, std::map<std::string, std::string>* value,
                              const Annotations& annotations) const;
  // JSON annotation: `decode(raw)` returns the Go encoding/json error text on failure, which is
  // wrapped as `failed to parse json annotation, <key>: <raw>: <json error>`.
  Result<bool> ParseJSON(std::string_view suffix, const std::function<Status(const std::string&)>& decode,
                         const Annotations& annotations) const;

  std::string Key(std::string_view suffix) const {
    std::string key;
    AssignKey(suffix, &key);
    return key;
  }

 private:
  // *out = "<prefix>/<suffix>" (reusing *out's buffer).
  void AssignKey(std::string_view suffix, std::string* out) const {
    out->reserve(prefix_.size() + 1 + suffix.size());
    out->assign(prefix_).push_back('/');
    out->append(suffix);
  }
  std::string prefix_;
  // ParseString's lookup key, assembled in place (a model build asks for ~70 annotations per
  // Ingress; the parser is used by one thread).
  mutable std::string key_buf_;
};

// upstream splitCommaSeparatedString / splitKeyValuePairs (exposed for tests).
std::vector<std::string> SplitCommaSeparatedString(const std::string& s);
std::vector<std::string> SplitKeyValuePairs(const std::string& s);

}  // namespace sim::controller
