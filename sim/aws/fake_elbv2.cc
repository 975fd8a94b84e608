#include "sim/aws/fake_elbv2.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "sim/aws/aws_errors.h"
#include "sim/aws/aws_json.h"
#include "sim/aws/serve_call.h"
#include "sim/aws/fake_ec2.h"
#include "sim/base/check.h"
#include "sim/base/match.h"
#include "sim/base/sort.h"

namespace sim::aws {

namespace m = ::sim::model::aws;

// ---------------------------------------------------------------------------------------------
// Free helpers

Elbv2ArnKind ClassifyElbv2Arn(const std::string& arn) {
  // arn:<partition>:elasticloadbalancing:<region>:<account>:<resource>
  size_t pos = 0;
  for (int i = 0; i < 5; ++i) {
    pos = arn.find(':', pos);
    if (pos == std::string::npos) return Elbv2ArnKind::kUnknown;
    ++pos;
  }
  if (arn.compare(0, 4, "arn:") != 0 || arn.find(":elasticloadbalancing:") == std::string::npos) {
    return Elbv2ArnKind::kUnknown;
  }
  std::string res = arn.substr(pos);
  if (res.rfind("loadbalancer/", 0) == 0) return Elbv2ArnKind::kLoadBalancer;
  if (res.rfind("listener/", 0) == 0) return Elbv2ArnKind::kListener;
  if (res.rfind("listener-rule/", 0) == 0) return Elbv2ArnKind::kRule;
  if (res.rfind("targetgroup/", 0) == 0) return Elbv2ArnKind::kTargetGroup;
  return Elbv2ArnKind::kUnknown;
}

std::string AlbHostedZoneId(const std::string& region) {
  static const std::map<std::string, std::string> kZones = {
      {"us-east-1", "Z35SXDOTRQ7X7K"},      {"us-east-2", "Z3AADJGX6KTTL2"},
      {"us-west-1", "Z368ELLRRE2KJ0"},      {"us-west-2", "Z1H1FL5HABSF5"},
      {"ca-central-1", "ZQSVJUPU6J1EY"},    {"eu-west-1", "Z32O12XQLNTSW2"},
      {"eu-west-2", "ZHURV8PSTC4K8"},       {"eu-west-3", "Z3Q77PNBQS71R4"},
      {"eu-central-1", "Z215JYRZR1TBD5"},   {"eu-north-1", "Z23TAZ7KE4ZD9F"},
      {"ap-south-1", "ZP97RAFLXTNZK"},      {"ap-southeast-1", "Z1LMS91P8CMLE5"},
      {"ap-southeast-2", "Z1GM3OXH4ZPM65"}, {"ap-northeast-1", "Z14GRHDCWA56QT"},
      {"ap-northeast-2", "ZWKZPGTI48KDX"},  {"sa-east-1", "Z2P70J7HTTTPLU"},
  };
  auto it = kZones.find(region);
  return it == kZones.end() ? "" : it->second;
}

namespace {

using TagMap = std::map<std::string, std::string>;
constexpr const char* kService = "elbv2";
constexpr const char* kDefaultSslPolicy = "ELBSecurityPolicy-2016-08";

Error VErr(const std::string& msg) { return AwsError("ValidationError", msg); }

Error LbNotFound() { return AwsError("LoadBalancerNotFound", "One or more load balancers not found"); }
Error TgNotFound() { return AwsError("TargetGroupNotFound", "One or more target groups not found"); }
Error ListenerNotFound() { return AwsError("ListenerNotFound", "One or more listeners not found"); }
Error RuleNotFound() { return AwsError("RuleNotFound", "One or more rules not found"); }

Error RangeError(const std::string& value, const std::string& member, const std::string& constraint) {
  return VErr("1 validation error detected: Value '" + value + "' at '" + member +
              "' failed to satisfy constraint: " + constraint);
}

bool IsAlnumHyphen(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

bool IsDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::vector<m::Tag> TagVector(const std::map<std::string, std::string>& tags) {
  std::vector<m::Tag> out;
  out.reserve(tags.size());
  for (const auto& [k, v] : tags) out.push_back(m::Tag{k, v});
  return out;
}

std::vector<m::Attribute> AttrVector(const std::map<std::string, std::string>& attrs) {
  std::vector<m::Attribute> out;
  out.reserve(attrs.size());
  for (const auto& [k, v] : attrs) out.push_back(m::Attribute{k, v});
  return out;
}

// Tag validation shared by Create* and AddTags. Returns the merged map.
Result<std::map<std::string, std::string>> MergeTags(const std::map<std::string, std::string>& existing,
                                                     const std::vector<m::Tag>& add, int64_t limit) {
  std::set<std::string> seen;
  for (const m::Tag& t : add) {
    if (!seen.insert(t.key).second) {
      return AwsError("DuplicateTagKeys", "Tag key '" + t.key + "' is specified more than once");
    }
    if (t.key.empty() || t.key.size() > 128) {
      return RangeError(t.key, "tags.member.key", "Member must have length between 1 and 128");
    }
    if (t.value.size() > 256) {
      return RangeError(t.value, "tags.member.value", "Member must have length less than or equal to 256");
    }
  }
  std::map<std::string, std::string> out = existing;
  for (const m::Tag& t : add) out[t.key] = t.value;
  int64_t counted = 0;
  for (const auto& [k, v] : out) {
    if (k.rfind("aws:", 0) != 0) ++counted;
  }
  if (counted > limit) {
    return AwsError("TooManyTags", "You've reached the limit on the number of tags for this resource.");
  }
  return out;
}

// --- Name rules ------------------------------------------------------------------------------

Status ValidateLbName(const std::string& name) {
  if (name.empty()) return VErr("A load balancer name must be specified");
  if (name.size() > 32) {
    return VErr("The load balancer name '" + name + "' cannot be longer than '32' characters");
  }
  if (!IsAlnumHyphen(name)) {
    return VErr("The load balancer name '" + name +
                "' can only contain characters that are alphanumeric characters and hyphens(-)");
  }
  if (name.front() == '-' || name.back() == '-') {
    return VErr("The load balancer name '" + name + "' cannot begin or end with a hyphen(-)");
  }
  if (name.rfind("internal-", 0) == 0) {
    return VErr("The load balancer name '" + name + "' cannot begin with 'internal-'");
  }
  return OkStatus();
}

Status ValidateTgName(const std::string& name) {
  if (name.empty()) return VErr("A target group name must be specified");
  if (name.size() > 32) {
    return VErr("Target group name '" + name + "' cannot be longer than '32' characters");
  }
  if (!IsAlnumHyphen(name) || name.find("--") != std::string::npos || name.front() == '-' || name.back() == '-') {
    return VErr("1 validation error detected: Value '" + name +
                "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                "(?!.*--)(?!^-)(?!.*-$)^[A-Za-z0-9-]+$");
  }
  return OkStatus();
}

bool KnownSslPolicy(const std::string& name) { return name.rfind("ELBSecurityPolicy-", 0) == 0; }

// --- Attributes -------------------------------------------------------------------------------

std::map<std::string, std::string> DefaultLbAttributes(const std::string& scheme) {
  return {
      {"access_logs.s3.bucket", ""},
      {"access_logs.s3.enabled", "false"},
      {"access_logs.s3.prefix", ""},
      {"client_keep_alive.seconds", "3600"},
      {"connection_logs.s3.bucket", ""},
      {"connection_logs.s3.enabled", "false"},
      {"connection_logs.s3.prefix", ""},
      {"deletion_protection.enabled", "false"},
      {"health_check_logs.s3.bucket", ""},
      {"health_check_logs.s3.enabled", "false"},
      {"health_check_logs.s3.prefix", ""},
      {"idle_timeout.timeout_seconds", "60"},
      {"ipv6.deny_all_igw_traffic", scheme == m::kSchemeInternal ? "true" : "false"},
      {"load_balancing.cross_zone.enabled", "true"},
      {"routing.http.desync_mitigation_mode", "defensive"},
      {"routing.http.drop_invalid_header_fields.enabled", "false"},
      {"routing.http.preserve_host_header.enabled", "false"},
      {"routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"},
      {"routing.http.xff_client_port.enabled", "false"},
      {"routing.http.xff_header_processing.mode", "append"},
      {"routing.http2.enabled", "true"},
      {"waf.fail_open.enabled", "false"},
      {"zonal_shift.config.enabled", "false"},
  };
}

std::map<std::string, std::string> DefaultTgAttributes(const std::string& target_type) {
  if (target_type == "lambda") return {{"lambda.multi_value_headers.enabled", "false"}};
  return {
      {"deregistration_delay.timeout_seconds", "300"},
      {"load_balancing.algorithm.anomaly_mitigation", "off"},
      {"load_balancing.algorithm.type", "round_robin"},
      {"load_balancing.cross_zone.enabled", "use_load_balancer_configuration"},
      {"slow_start.duration_seconds", "0"},
      {"stickiness.app_cookie.cookie_name", ""},
      {"stickiness.app_cookie.duration_seconds", "86400"},
      {"stickiness.enabled", "false"},
      {"stickiness.lb_cookie.duration_seconds", "86400"},
      {"stickiness.type", "lb_cookie"},
      {"target_group_health.dns_failover.minimum_healthy_targets.count", "1"},
      {"target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"},
      {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"},
      {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"},
  };
}

std::map<std::string, std::string> DefaultListenerAttributes() {
  return {
      {"routing.http.response.access_control_allow_credentials.header_value", ""},
      {"routing.http.response.access_control_allow_headers.header_value", ""},
      {"routing.http.response.access_control_allow_methods.header_value", ""},
      {"routing.http.response.access_control_allow_origin.header_value", ""},
      {"routing.http.response.access_control_expose_headers.header_value", ""},
      {"routing.http.response.access_control_max_age.header_value", ""},
      {"routing.http.response.content_security_policy.header_value", ""},
      {"routing.http.response.server.enabled", "true"},
      {"routing.http.response.strict_transport_security.header_value", ""},
      {"routing.http.response.x_content_type_options.header_value", ""},
      {"routing.http.response.x_frame_options.header_value", ""},
  };
}

Error BadAttr(const std::string& key, const std::string& value) {
  return AwsError("InvalidConfigurationRequest",
                  "The value of '" + key + "' must be valid, but was '" + value + "'");
}

bool IsBool(const std::string& v) { return v == "true" || v == "false"; }

bool InRange(const std::string& v, int64_t lo, int64_t hi) {
  if (!IsDigits(v) || v.size() > 9) return false;
  int64_t n = std::stoll(v);
  return n >= lo && n <= hi;
}

Status CheckLbAttribute(const std::string& key, const std::string& value) {
  if (key.size() > 8 && key.compare(key.size() - 8, 8, ".enabled") == 0 && !IsBool(value)) return BadAttr(key, value);
  if (key == "idle_timeout.timeout_seconds" && !InRange(value, 1, 4000)) return BadAttr(key, value);
  if (key == "client_keep_alive.seconds" && !InRange(value, 60, 604800)) return BadAttr(key, value);
  if (key == "routing.http.desync_mitigation_mode" && value != "monitor" && value != "defensive" &&
      value != "strictest") {
    return BadAttr(key, value);
  }
  if (key == "routing.http.xff_header_processing.mode" && value != "append" && value != "preserve" &&
      value != "remove") {
    return BadAttr(key, value);
  }
  if (key == "ipv6.deny_all_igw_traffic" && !IsBool(value)) return BadAttr(key, value);
  if (key == "load_balancing.cross_zone.enabled" && value != "true") {
    return AwsError("InvalidConfigurationRequest",
                    "Cross-zone load balancing cannot be disabled for Application Load Balancers");
  }
  return OkStatus();
}

Status CheckTgAttribute(const std::string& key, const std::string& value, const std::string& target_type) {
  if (key.size() > 8 && key.compare(key.size() - 8, 8, ".enabled") == 0 && !IsBool(value)) return BadAttr(key, value);
  if (key == "deregistration_delay.timeout_seconds" && !InRange(value, 0, 3600)) return BadAttr(key, value);
  if (key == "slow_start.duration_seconds" && !(value == "0" || InRange(value, 30, 900))) return BadAttr(key, value);
  if ((key == "stickiness.lb_cookie.duration_seconds" || key == "stickiness.app_cookie.duration_seconds") &&
      !InRange(value, 1, 604800)) {
    return BadAttr(key, value);
  }
  if (key == "stickiness.type" && value != "lb_cookie" && value != "app_cookie") return BadAttr(key, value);
  if (key == "stickiness.app_cookie.cookie_name" &&
      (value.rfind("AWSALB", 0) == 0 || value.rfind("AWSALBAPP", 0) == 0 || value.rfind("AWSALBTG", 0) == 0)) {
    return AwsError("InvalidConfigurationRequest",
                    "App cookie names cannot start with the reserved prefixes AWSALB, AWSALBAPP or AWSALBTG");
  }
  if (key == "load_balancing.algorithm.type" && value != "round_robin" && value != "least_outstanding_requests" &&
      value != "weighted_random") {
    return BadAttr(key, value);
  }
  if (key == "load_balancing.algorithm.anomaly_mitigation" && value != "on" && value != "off") {
    return BadAttr(key, value);
  }
  if (key == "load_balancing.cross_zone.enabled" && value != "true" && value != "false" &&
      value != "use_load_balancer_configuration") {
    return BadAttr(key, value);
  }
  return OkStatus();
}

// --- Health-check parameters -------------------------------------------------------------------

Status CheckMatcher(const m::Matcher& matcher) {
  if (matcher.http_code) {
    const std::string& code = *matcher.http_code;
    bool ok = !code.empty();
    auto valid_one = [](const std::string& c) { return IsDigits(c) && c.size() == 3 && c >= "200" && c <= "499"; };
    size_t dash = code.find('-');
    if (dash != std::string::npos) {
      ok = ok && valid_one(code.substr(0, dash)) && valid_one(code.substr(dash + 1));
    } else {
      size_t start = 0;
      while (ok && start <= code.size()) {
        size_t comma = code.find(',', start);
        ok = valid_one(code.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    if (!ok) {
      return VErr("Invalid value '" + code + "' for HttpCode: it must be a code between 200 and 499, a list such as "
                  "'200,202', or a range such as '200-299'");
    }
  }
  if (matcher.grpc_code) {
    const std::string& code = *matcher.grpc_code;
    bool ok = !code.empty() && std::all_of(code.begin(), code.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) || c == ',' || c == '-';
    });
    if (!ok) return VErr("Invalid value '" + code + "' for GrpcCode");
  }
  return OkStatus();
}

Status CheckHealthCheck(const m::TargetGroup& tg) {
  if (tg.health_check_interval_seconds < 5 || tg.health_check_interval_seconds > 300) {
    return RangeError(std::to_string(tg.health_check_interval_seconds), "healthCheckIntervalSeconds",
                      "Member must have value between 5 and 300");
  }
  if (tg.health_check_timeout_seconds < 2 || tg.health_check_timeout_seconds > 120) {
    return RangeError(std::to_string(tg.health_check_timeout_seconds), "healthCheckTimeoutSeconds",
                      "Member must have value between 2 and 120");
  }
  if (tg.healthy_threshold_count < 2 || tg.healthy_threshold_count > 10) {
    return RangeError(std::to_string(tg.healthy_threshold_count), "healthyThresholdCount",
                      "Member must have value between 2 and 10");
  }
  if (tg.unhealthy_threshold_count < 2 || tg.unhealthy_threshold_count > 10) {
    return RangeError(std::to_string(tg.unhealthy_threshold_count), "unhealthyThresholdCount",
                      "Member must have value between 2 and 10");
  }
  if (tg.health_check_timeout_seconds >= tg.health_check_interval_seconds) {
    return VErr("Health check interval must be greater than the timeout.");
  }
  if (tg.health_check_protocol && *tg.health_check_protocol != "HTTP" && *tg.health_check_protocol != "HTTPS" &&
      tg.target_type != "lambda" && (tg.protocol == "HTTP" || tg.protocol == "HTTPS")) {
    return VErr("Health check protocol '" + *tg.health_check_protocol +
                "' is not supported for target groups with the protocol '" + tg.protocol.value_or("") + "'");
  }
  if (tg.health_check_port && *tg.health_check_port != "traffic-port" &&
      !InRange(*tg.health_check_port, 1, 65535)) {
    return VErr("Health check port '" + *tg.health_check_port + "' must be 'traffic-port' or between 1 and 65535");
  }
  if (tg.health_check_path && (tg.health_check_path->empty() || tg.health_check_path->size() > 1024 ||
                               tg.health_check_path->front() != '/')) {
    return VErr("Health check path must begin with '/' and be 1 to 1024 characters long");
  }
  if (tg.matcher) SIM_RETURN_IF_ERROR(CheckMatcher(*tg.matcher));
  return OkStatus();
}

// --- Rule conditions --------------------------------------------------------------------------

bool HostCharsOk(const std::string& v) {
  return std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '*' || c == '?';
  });
}

bool PathCharsOk(const std::string& v) {
  static const std::string kExtra = "_-.$/~\"'@:+&*?";
  return std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != std::string::npos;
  });
}

bool HasWildcard(const std::string& v) { return v.find('*') != std::string::npos || v.find('?') != std::string::npos; }

// Validates conditions and normalises host/path conditions so both Values and the config are set.
Status NormalizeConditions(std::vector<m::RuleCondition>* conditions, const Quotas& q) {
  std::map<std::string, int> singles;
  int64_t values = 0, wildcards = 0;
  for (m::RuleCondition& c : *conditions) {
    const std::string& f = c.field;
    if (f != "host-header" && f != "path-pattern" && f != "http-header" && f != "query-string" &&
        f != "http-request-method" && f != "source-ip") {
      return RangeError(f, "conditions.member.field",
                        "Member must satisfy enum value set: [host-header, path-pattern, http-header, query-string, "
                        "http-request-method, source-ip]");
    }
    if ((f == "host-header" || f == "path-pattern" || f == "http-request-method" || f == "source-ip") &&
        ++singles[f] > 1) {
      return VErr("A rule can only have one '" + f + "' condition");
    }
    auto check_list = [&](const std::vector<std::string>& list, bool count_wildcards,
                          bool (*chars_ok)(const std::string&)) -> Status {
      for (const std::string& v : list) {
        if (v.empty()) return VErr("A condition value must be specified");
        if (v.size() > 128) return VErr("Condition value '" + v + "' cannot be longer than 128 characters");
        if (chars_ok != nullptr && !chars_ok(v)) return VErr("Condition value '" + v + "' contains invalid characters");
        ++values;
        if (count_wildcards && HasWildcard(v)) ++wildcards;
      }
      return OkStatus();
    };
    if (f == "host-header" || f == "path-pattern") {
      std::vector<std::string> cfg_values, cfg_regex;
      bool has_cfg = false;
      if (f == "host-header" && c.host_header_config) {
        has_cfg = true;
        cfg_values = c.host_header_config->values;
        cfg_regex = c.host_header_config->regex_values;
      }
      if (f == "path-pattern" && c.path_pattern_config) {
        has_cfg = true;
        cfg_values = c.path_pattern_config->values;
        cfg_regex = c.path_pattern_config->regex_values;
      }
      if (has_cfg && !c.values.empty() && c.values != cfg_values) {
        return VErr("You cannot specify both 'Values' and '" +
                    std::string(f == "host-header" ? "HostHeaderConfig" : "PathPatternConfig") + "'");
      }
      std::vector<std::string> vals = has_cfg ? cfg_values : c.values;
      if (vals.empty() && cfg_regex.empty()) return VErr("A condition value must be specified");
      SIM_RETURN_IF_ERROR(check_list(vals, true, f == "host-header" ? &HostCharsOk : &PathCharsOk));
      SIM_RETURN_IF_ERROR(check_list(cfg_regex, false, nullptr));
      // As AWS describes them: Values (when plain values) and the config.
      c.values = vals;
      if (f == "host-header") {
        c.host_header_config = m::HostHeaderConditionConfig{vals, cfg_regex};
      } else {
        c.path_pattern_config = m::PathPatternConditionConfig{vals, cfg_regex};
      }
    } else if (f == "http-header") {
      if (!c.http_header_config) return VErr("An HTTP header condition must have an 'HttpHeaderConfig'");
      const std::string& name = c.http_header_config->http_header_name;
      if (name.empty() || name.size() > 40 || HasWildcard(name)) {
        return VErr("HTTP header name '" + name + "' is not valid");
      }
      if (EqualsIgnoreCase(name, "host")) return VErr("Use a 'host-header' condition to match the Host header");
      if (c.http_header_config->values.empty() && c.http_header_config->regex_values.empty()) {
        return VErr("A condition value must be specified");
      }
      SIM_RETURN_IF_ERROR(check_list(c.http_header_config->values, true, nullptr));
      SIM_RETURN_IF_ERROR(check_list(c.http_header_config->regex_values, false, nullptr));
    } else if (f == "query-string") {
      if (!c.query_string_config || c.query_string_config->values.empty()) {
        return VErr("A condition value must be specified");
      }
      for (const m::QueryStringKeyValuePair& kv : c.query_string_config->values) {
        if (kv.value.empty()) return VErr("A condition value must be specified");
        if (kv.value.size() > 128 || (kv.key && kv.key->size() > 128)) {
          return VErr("Query string key and value cannot be longer than 128 characters");
        }
        ++values;
        if (HasWildcard(kv.value) || (kv.key && HasWildcard(*kv.key))) ++wildcards;
      }
    } else if (f == "http-request-method") {
      if (!c.http_request_method_config || c.http_request_method_config->values.empty()) {
        return VErr("A condition value must be specified");
      }
      for (const std::string& v : c.http_request_method_config->values) {
        bool ok = !v.empty() && v.size() <= 40 && std::all_of(v.begin(), v.end(), [](char ch) {
          return (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '_';
        });
        if (!ok) return VErr("HTTP request method '" + v + "' is not valid");
        ++values;
      }
    } else {  // source-ip
      if (!c.source_ip_config || c.source_ip_config->values.empty()) {
        return VErr("A condition value must be specified");
      }
      for (const std::string& v : c.source_ip_config->values) {
        bool v4 = !CanonicalCidr4(v).empty();
        bool v6 = !v4 && !CanonicalCidr6(v).empty();
        if (!v4 && !v6) return VErr("The source IP '" + v + "' is not a valid CIDR block");
        if (v == "255.255.255.255/32") return VErr("The source IP '" + v + "' is not allowed");
        ++values;
      }
    }
  }
  if (values > q.condition_values_per_rule) {
    return VErr("A rule can only have '" + std::to_string(q.condition_values_per_rule) + "' condition values");
  }
  if (wildcards > q.condition_wildcards_per_rule) {
    return VErr("A rule can only have '" + std::to_string(q.condition_wildcards_per_rule) + "' wildcards");
  }
  return OkStatus();
}

Status CheckTransforms(const std::vector<m::RuleTransform>& transforms) {
  std::set<std::string> seen;
  for (const m::RuleTransform& t : transforms) {
    if (t.type != "host-header-rewrite" && t.type != "url-rewrite") {
      return RangeError(t.type, "transforms.member.type",
                        "Member must satisfy enum value set: [host-header-rewrite, url-rewrite]");
    }
    if (!seen.insert(t.type).second) return VErr("A rule can only have one '" + t.type + "' transform");
  }
  return OkStatus();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// State

struct FakeElbv2::State {
  // A target's (Id, Port) key, looked up without copying the id.
  struct TargetRef {
    std::string_view id;
    int port = 0;
  };
  struct TargetRec {
    m::TargetDescription target;  // port always set (but for lambda targets)
    SimTime registered_at{0};
    bool draining = false;
    SimTime draining_until{0};
    // SetTargetHealthForSim's health, when set (rare: kept out of line to keep the record small).
    std::unique_ptr<m::TargetHealth> sim_health;
    mutable HealthHistory health;  // what the world's probe answered (target_health.h)

    std::pair<std::string_view, int> Key() const { return {target.id, target.port.value_or(0)}; }
  };
  // A target group's targets in (Id, Port) order: one sorted vector, so a target costs no tree
  // node and no second copy of its id as a key (a 2,000-Ingress instance world holds 200,000).
  // Registration merges a sorted batch in; lookups are binary searches.
  class TargetTable {
   public:
    using iterator = std::vector<TargetRec>::iterator;
    using const_iterator = std::vector<TargetRec>::const_iterator;
    iterator begin() { return recs_.begin(); }
    iterator end() { return recs_.end(); }
    const_iterator begin() const { return recs_.begin(); }
    const_iterator end() const { return recs_.end(); }
    size_t size() const { return recs_.size(); }
    iterator find(const TargetRef& key) {
      auto it = LowerBound(recs_, key);
      return it != recs_.end() && it->Key() == std::pair<std::string_view, int>(key.id, key.port) ? it : recs_.end();
    }
    const_iterator find(const TargetRef& key) const { return const_cast<TargetTable*>(this)->find(key); }
    // Adds `fresh`: sorted by key, distinct, none registered yet.
    void Merge(std::vector<TargetRec>&& fresh) {
      if (fresh.empty()) return;
      if (recs_.empty()) {
        recs_ = std::move(fresh);
        return;
      }
      if (recs_.back().Key() < fresh.front().Key()) {
        recs_.reserve(recs_.size() + fresh.size());
        for (TargetRec& r : fresh) recs_.push_back(std::move(r));
        return;
      }
      std::vector<TargetRec> out;
      out.reserve(recs_.size() + fresh.size());
      std::merge(std::make_move_iterator(recs_.begin()), std::make_move_iterator(recs_.end()),
                 std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()), std::back_inserter(out),
                 [](const TargetRec& a, const TargetRec& b) { return a.Key() < b.Key(); });
      recs_ = std::move(out);
    }
    // Removes the targets for which `gone` holds, keeping the order of the others; returns how many.
    template <typename Pred>
    size_t EraseIf(Pred gone) {
      const auto keep_end = std::remove_if(recs_.begin(), recs_.end(), gone);
      const size_t n = static_cast<size_t>(recs_.end() - keep_end);
      recs_.erase(keep_end, recs_.end());
      return n;
    }

   private:
    static iterator LowerBound(std::vector<TargetRec>& recs, const TargetRef& key) {
      const std::pair<std::string_view, int> k(key.id, key.port);
      return std::lower_bound(recs.begin(), recs.end(), k,
                              [](const TargetRec& r, const std::pair<std::string_view, int>& x) { return r.Key() < x; });
    }
    std::vector<TargetRec> recs_;
  };
  struct TgRec {
    m::TargetGroup tg;
    std::map<std::string, std::string> attributes;
    std::map<std::string, std::string> tags;
    std::map<std::string, std::string> refs;  // listener/rule ARN → LB ARN
    std::optional<SimTime> in_use_since;
    TargetTable targets;  // by (Id, Port)
    size_t draining = 0;  // targets with `draining` set (LiveTargetCount: none → every target is live)
    mutable std::shared_ptr<const m::TargetGroup> shared;  // SharedTg(): reset on every change
    // NextTransitionForSim's answer for this TG's targets, computed at `next_at`: it stays right
    // until `next` (no change by the clock alone before then) unless the TG, its use, its targets
    // or their health histories change (Touch() resets it).
    mutable bool next_valid = false;
    mutable SimTime next_at{0};
    mutable std::optional<SimTime> next;
  };
  struct LbRec {
    m::LoadBalancer lb;
    mutable std::shared_ptr<const m::LoadBalancer> shared;  // SharedLb(): reset on every change
    mutable bool shared_active = false;
    std::string id;  // 16-hex
    std::map<std::string, std::string> attributes;
    std::map<std::string, std::string> tags;
    std::set<std::string> listeners;
  };
  struct ListenerRec {
    m::Listener listener;  // default certificate in `certificates`
    std::string id;
    std::map<std::string, std::string> attributes;
    std::map<std::string, std::string> tags;
    std::vector<std::string> extra_certs;  // non-default certificates, in add order
    std::string default_rule_arn;
    std::map<int, std::string> rules;  // priority → rule ARN (non-default)
  };
  struct RuleRec {
    m::Rule rule;  // for the default rule, actions mirror the listener's default actions
    std::string listener_arn;
    std::map<std::string, std::string> tags;
  };

  State(const Clock& c, FaultPlan& f, ApiCallLog& l, const FakeEc2& e, FakeElbv2Options o)
      : clock(c), faults(f), log(l), ec2(e), options(std::move(o)), rng(options.seed ^ 0xe1b2e1b2ull) {}

  const Clock& clock;
  FaultPlan& faults;
  ApiCallLog& log;
  const FakeEc2& ec2;
  FakeElbv2Options options;
  Rng rng;
  Authorizer* authorizer = nullptr;

  std::map<std::string, LbRec> lbs;
  std::map<std::string, ListenerRec> listeners;
  std::map<std::string, RuleRec> rules;
  std::map<std::string, TgRec, std::less<>> tgs;  // transparent: found by string views too
  std::map<std::string, std::string> lb_by_name;
  std::map<std::string, std::string> tg_by_name;
  std::map<std::string, std::string> lb_by_dns;
  std::map<std::string, std::set<std::string>> refs_by_key;  // listener/rule ARN → TG ARNs
  // LB ARN → TG ARN → how many of the LB's listeners/rules use it (kept by SetRefs).
  std::map<std::string, std::map<std::string, int>> tg_refs_by_lb;
  std::map<std::string, SimTime> sg_released_at;  // SG id → end of its lingering ENI attachment

  // --- call plumbing ---------------------------------------------------------------------------

  // Fault plan, IAM, the call, the log (serve_call.h).
  template <typename MakeJson, typename Authz, typename Body>
  auto Serve(const CallContext& ctx, const char* call, MakeJson make_json, Authz authz, Body body)
      -> decltype(body()) {
    return CallPlumbing{clock, faults, log, authorizer}.Serve(ctx, kService, call, make_json, authz, body);
  }

  // The rendered LB / TG handed out by DescribeAll*, kept until the record changes (every change
  // resets `shared`) or, for an LB, until it turns active.
  std::shared_ptr<const m::LoadBalancer> SharedLb(const LbRec& rec) const {
    const bool active = clock.Now() >= rec.lb.created_time + options.provisioning_delay;
    if (!rec.shared || rec.shared_active != active) {
      rec.shared = std::make_shared<const m::LoadBalancer>(RenderLb(rec));
      rec.shared_active = active;
    }
    return rec.shared;
  }
  // A DescribeAll* answer kept between calls, in ARN order: the ARNs marked changed since are
  // redone at the next call (all of them after a Reset). It is handed out as aliases of one
  // holder, so copying and dropping an answer touch one reference count instead of one per object:
  // a holder owns the objects listed since the previous holder and holds that one; every
  // kMaxDepth holders a holder owning every listed object starts a new chain.
  template <typename Obj>
  struct KeptAnswer {
    static constexpr int kMaxDepth = 64;
    struct Holder {
      std::vector<std::shared_ptr<const Obj>> owned;
      std::shared_ptr<const Holder> previous;
    };
    bool built = false;
    std::set<std::string> changed;
    std::vector<std::shared_ptr<const Obj>> items;  // ARN order
    std::vector<std::shared_ptr<const Obj>> fresh;  // listed since `holder` was made
    std::shared_ptr<const Holder> holder;
    int depth = 0;

    void MarkChanged(const std::string& arn) {
      if (built) changed.insert(arn);
    }
    void Reset() { built = false; }
    // The answer for `recs` (by ARN), each object from list(record).
    template <typename Rec, typename Less, typename ArnOf, typename List>
    std::vector<std::shared_ptr<const Obj>> Refresh(const std::map<std::string, Rec, Less>& recs, ArnOf arn_of, List list) {
      if (!built) {
        items.clear();
        fresh.clear();
        holder.reset();
        for (const auto& [arn, rec] : recs) items.push_back(list(rec));  // Answer makes a full holder
        built = true;
      } else {
        for (const std::string& arn : changed) Relist(arn, recs, arn_of, list);
      }
      changed.clear();
      return Answer();
    }

   private:
    // The entry for `arn`: replaced by list(record), inserted, or erased as the record is in `recs`
    // or not.
    template <typename Rec, typename Less, typename ArnOf, typename List>
    void Relist(const std::string& arn, const std::map<std::string, Rec, Less>& recs, ArnOf arn_of, List list) {
      auto pos = std::lower_bound(items.begin(), items.end(), arn,
                                  [&](const auto& obj, const std::string& a) { return arn_of(*obj) < a; });
      const bool found = pos != items.end() && arn_of(**pos) == arn;
      auto it = recs.find(arn);
      if (it == recs.end()) {
        if (found) items.erase(pos);
        return;
      }
      std::shared_ptr<const Obj> obj = list(it->second);
      fresh.push_back(obj);
      if (found) {
        *pos = std::move(obj);
      } else {
        items.insert(pos, std::move(obj));
      }
    }
    std::vector<std::shared_ptr<const Obj>> Answer() {
      if (!holder || !fresh.empty()) {
        auto h = std::make_shared<Holder>();
        if (!holder || depth >= kMaxDepth) {
          h->owned = items;
          depth = 0;
        } else {
          h->owned = std::move(fresh);
          h->previous = std::move(holder);
          ++depth;
        }
        fresh.clear();
        holder = std::move(h);
      }
      std::vector<std::shared_ptr<const Obj>> out;
      out.reserve(items.size());
      for (const auto& obj : items) out.emplace_back(holder, obj.get());
      return out;
    }
  };
  // DescribeAllLoadBalancers' answer: the LBs changed since (created, modified, deleted) and those
  // that turned active meanwhile are redone at the next call; a clock that went back redoes all.
  mutable KeptAnswer<m::LoadBalancer> all_lbs;
  mutable SimTime all_lbs_at{0};
  mutable std::multimap<SimTime, std::string> lbs_activating;  // listed while provisioning: when active
  void LbChanged(const std::string& arn) { all_lbs.MarkChanged(arn); }
  std::shared_ptr<const m::LoadBalancer> ListedLb(const LbRec& rec) const {
    const SimTime active_at = rec.lb.created_time + options.provisioning_delay;
    if (clock.Now() < active_at) lbs_activating.emplace(active_at, rec.lb.load_balancer_arn);
    return SharedLb(rec);
  }
  std::vector<std::shared_ptr<const m::LoadBalancer>> AllLbs() const {
    const SimTime now = clock.Now();
    if (now < all_lbs_at) all_lbs.Reset();
    if (!all_lbs.built) {
      lbs_activating.clear();  // the rebuild lists them again
    } else {
      for (auto it = lbs_activating.begin(); it != lbs_activating.end() && it->first <= now;) {
        all_lbs.MarkChanged(it->second);
        it = lbs_activating.erase(it);
      }
    }
    all_lbs_at = now;
    return all_lbs.Refresh(lbs, [](const m::LoadBalancer& lb) -> const std::string& { return lb.load_balancer_arn; },
                           [&](const LbRec& rec) { return ListedLb(rec); });
  }
  // DescribeAllTargetGroups' answer: the target groups whose description changed since (created,
  // modified, used by another listener or rule, deleted) are redone at the next call.
  mutable KeptAnswer<m::TargetGroup> all_tgs;
  void TgChanged(const std::string& arn) { all_tgs.MarkChanged(arn); }
  std::vector<std::shared_ptr<const m::TargetGroup>> AllTgs() const {
    return all_tgs.Refresh(tgs, [](const m::TargetGroup& tg) -> const std::string& { return tg.target_group_arn; },
                           [&](const TgRec& rec) { return SharedTg(rec); });
  }
  std::shared_ptr<const m::TargetGroup> SharedTg(const TgRec& rec) const {
    if (!rec.shared) rec.shared = std::make_shared<const m::TargetGroup>(RenderTg(rec));
    return rec.shared;
  }

  std::string ArnPrefix() const {
    return "arn:" + options.partition + ":elasticloadbalancing:" + options.region + ":" + options.account_id + ":";
  }

  // --- IAM requests (authorizer.h) --------------------------------------------------------------

  AuthzRequest Az(const CallContext& ctx, const char* call, const std::string& action,
                  const std::string& resource) const {
    AuthzRequest r;
    r.principal_arn = ctx.principal_arn;
    r.action = "elasticloadbalancing:" + action;
    r.resource = resource;
    r.api_call = call;
    r.context["aws:PrincipalArn"] = {ctx.principal_arn};
    r.context["aws:RequestedRegion"] = {options.region};
    return r;
  }

  // Tags of an existing LB / listener / rule / TG; null when there is no such resource.
  const TagMap* TagsOfArn(const std::string& arn) const {
    if (auto it = lbs.find(arn); it != lbs.end()) return &it->second.tags;
    if (auto it = tgs.find(arn); it != tgs.end()) return &it->second.tags;
    if (auto it = listeners.find(arn); it != listeners.end()) return &it->second.tags;
    if (auto it = rules.find(arn); it != rules.end()) return &it->second.tags;
    return nullptr;
  }

  // Describe*: no resource-level permissions.
  std::vector<AuthzRequest> AzStar(const CallContext& ctx, const char* call) const {
    return {Az(ctx, call, call, "*")};
  }

  AuthzRequest AzOnOne(const CallContext& ctx, const char* call, const std::string& action,
                       const std::string& arn) const {
    AuthzRequest r = Az(ctx, call, action, arn);
    if (const TagMap* tags = TagsOfArn(arn)) AddResourceTags(&r, "elasticloadbalancing", *tags);
    return r;
  }

  std::vector<AuthzRequest> AzOn(const CallContext& ctx, const char* call, const std::string& arn) const {
    return {AzOnOne(ctx, call, call, arn)};
  }

  // A Create*: the action on the future resource, and with Tags also AddTags on it with
  // elasticloadbalancing:CreateAction (iam_policy.json's "AddTags on create" statement).
  std::vector<AuthzRequest> AzCreate(const CallContext& ctx, const char* call, const std::string& resource,
                                     const std::vector<m::Tag>& tags) const {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const m::Tag& t : tags) pairs.emplace_back(t.key, t.value);
    std::vector<AuthzRequest> out;
    out.push_back(Az(ctx, call, call, resource));
    AddRequestTags(&out.back(), pairs);
    if (!tags.empty()) {
      out.push_back(Az(ctx, call, "AddTags", resource));
      AddRequestTags(&out.back(), pairs);
      out.back().context["elasticloadbalancing:CreateAction"] = {call};
    }
    return out;
  }

  // ARN pattern of a not-yet-created child: "...:loadbalancer/app/n/id" → "...:listener/app/n/id/*".
  std::string ChildArnPattern(const std::string& parent_arn, const std::string& parent_kind,
                              const std::string& child_kind) const {
    const size_t pos = parent_arn.find(":" + parent_kind);
    if (pos == std::string::npos) return ArnPrefix() + child_kind + "*";
    return parent_arn.substr(0, pos + 1) + child_kind + parent_arn.substr(pos + 1 + parent_kind.size()) + "/*";
  }

  std::vector<AuthzRequest> AzSetRulePriorities(const CallContext& ctx, const SetRulePrioritiesRequest& req) const {
    std::vector<AuthzRequest> out;
    for (const m::RulePriorityPair& p : req.rule_priorities) {
      out.push_back(AzOnOne(ctx, "SetRulePriorities", "SetRulePriorities", p.rule_arn));
    }
    return out;
  }

  // AddTags (tags set) / RemoveTags (keys set): one request per resource ARN.
  std::vector<AuthzRequest> AzTags(const CallContext& ctx, const char* call, const std::vector<std::string>& arns,
                                   const std::vector<m::Tag>* tags, const std::vector<std::string>* keys) const {
    std::vector<AuthzRequest> out;
    for (const std::string& arn : arns) {
      out.push_back(AzOnOne(ctx, call, call, arn));
      if (tags) {
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const m::Tag& t : *tags) pairs.emplace_back(t.key, t.value);
        AddRequestTags(&out.back(), pairs);
      }
      if (keys && !keys->empty()) out.back().context["aws:TagKeys"] = *keys;
    }
    return out;
  }
  std::string DnsSuffix() const {
    return options.partition == "aws-cn" ? ".elb.amazonaws.com.cn" : ".elb.amazonaws.com";
  }

  // --- rendering ------------------------------------------------------------------------------

  m::LoadBalancer RenderLb(const LbRec& rec) const {
    m::LoadBalancer lb = rec.lb;
    bool active = clock.Now() >= lb.created_time + options.provisioning_delay;
    lb.state.code = active ? m::kLbStateActive : m::kLbStateProvisioning;
    return lb;
  }

  static m::Action RenderAction(const m::Action& a) {
    m::Action out = a;
    if (out.authenticate_oidc_config) out.authenticate_oidc_config->client_secret.reset();
    return out;
  }

  m::Listener RenderListener(const ListenerRec& rec) const {
    m::Listener l = rec.listener;
    for (m::Action& a : l.default_actions) a = RenderAction(a);
    for (m::Certificate& c : l.certificates) c.is_default.reset();
    return l;
  }

  m::Rule RenderRule(const RuleRec& rec) const {
    m::Rule r = rec.rule;
    if (r.is_default) {
      auto lit = listeners.find(rec.listener_arn);
      if (lit != listeners.end()) r.actions = lit->second.listener.default_actions;
    }
    for (m::Action& a : r.actions) a = RenderAction(a);
    return r;
  }

  m::TargetGroup RenderTg(const TgRec& rec) const {
    m::TargetGroup tg = rec.tg;
    std::set<std::string> lb_arns;
    for (const auto& [key, lb] : rec.refs) lb_arns.insert(lb);
    tg.load_balancer_arns.assign(lb_arns.begin(), lb_arns.end());
    return tg;
  }

  // --- targets --------------------------------------------------------------------------------

  // A draining target whose deregistration delay has passed (at `now`) is gone.
  static bool TargetGone(const TargetRec& t, SimTime now) { return t.draining && now >= t.draining_until; }
  bool TargetGone(const TargetRec& t) const { return TargetGone(t, clock.Now()); }

  // Health checks against the world's probe (target_health.h); mutable: it records answers.
  mutable TargetHealthEngine health_engine;

  // The TG or its targets changed: its next transition is computed again.
  static void Touch(const TgRec& tg) { tg.next_valid = false; }

  // Records what an eligible target (TG in use, not draining) answers now.
  void ObserveIfEligible(const TgRec& tg, const TargetRec& t) const {
    if (!tg.in_use_since || t.draining || !health_engine.has_probe()) return;
    if (health_engine.Observe(t.health, tg.tg, t.target, clock.Now())) Touch(tg);
  }

  // The earliest time after `now` at which one of the TG's targets changes by the clock alone.
  std::optional<SimTime> NextTransitionOf(const TgRec& tg, SimTime now) const {
    std::optional<SimTime> next;
    auto consider = [&](SimTime t) {
      if (t > now && (!next || t < *next)) next = t;
    };
    // NextTransition depends on the history's entries, the TG and the eligible time only: targets
    // registered together that answered alike (a TG's node targets, mostly) share one answer,
    // worked out for the first of each run of equal inputs.
    const HealthHistory* last_history = nullptr;
    SimTime last_eligible{0};
    std::optional<SimTime> last_next;
    for (const TargetRec& t : tg.targets) {
      if (t.draining) {
        consider(t.draining_until);
        continue;
      }
      if (!tg.in_use_since || t.sim_health || !options.auto_healthy_targets) continue;
      const SimTime eligible = std::max(t.registered_at, *tg.in_use_since);
      if (health_engine.has_probe()) {
        if (last_history == nullptr || eligible != last_eligible || !t.health.SameEntries(*last_history)) {
          last_next = health_engine.NextTransition(t.health, tg.tg, eligible, now);
          last_history = &t.health;
          last_eligible = eligible;
        }
        if (last_next) consider(*last_next);
        continue;
      }
      const SimTime interval = std::chrono::seconds(tg.tg.health_check_interval_seconds);
      consider(eligible + interval);
      consider(eligible + interval * tg.tg.healthy_threshold_count);
    }
    return next;
  }
  void ObserveAllOf(const TgRec& tg) const {
    for (const TargetRec& t : tg.targets) ObserveIfEligible(tg, t);
  }

  m::TargetHealth HealthOf(const TgRec& tg, const TargetRec& t) const {
    const SimTime now = clock.Now();
    if (t.draining) {
      return m::TargetHealth{m::kTargetStateDraining, "Target.DeregistrationInProgress",
                             "Target deregistration is in progress"};
    }
    if (!tg.in_use_since) {
      return m::TargetHealth{m::kTargetStateUnused, "Target.NotInUse",
                             "Target group is not configured to receive traffic from the load balancer"};
    }
    if (tg.tg.target_type == "instance") {
      const m::Instance* inst = ec2.FindInstanceForSim(t.target.id);
      if (inst && inst->state != "running") {
        return m::TargetHealth{m::kTargetStateUnused, "Target.InvalidState",
                               "Target is in the " + inst->state + " state"};
      }
    }
    if (t.sim_health) return *t.sim_health;
    if (tg.tg.target_type == "lambda" && !tg.tg.health_check_enabled) {
      return m::TargetHealth{m::kTargetStateUnavailable, "Target.HealthCheckDisabled", "Health checks are disabled"};
    }
    const SimTime eligible = std::max(t.registered_at, *tg.in_use_since);
    const SimTime interval = std::chrono::seconds(tg.tg.health_check_interval_seconds);
    if (options.auto_healthy_targets && health_engine.has_probe()) {
      if (health_engine.Observe(t.health, tg.tg, t.target, now)) Touch(tg);
      return health_engine.HealthAt(t.health, tg.tg, eligible, now);
    }
    if (options.auto_healthy_targets) {
      if (now >= eligible + interval * tg.tg.healthy_threshold_count) {
        return m::TargetHealth{m::kTargetStateHealthy, "", ""};
      }
      if (now >= eligible + interval) {
        return m::TargetHealth{m::kTargetStateInitial, "Elb.InitialHealthChecking", "Initial health checks in progress"};
      }
    }
    return m::TargetHealth{m::kTargetStateInitial, "Elb.RegistrationInProgress", "Target registration is in progress"};
  }

  std::string HealthCheckPortOf(const TgRec& tg, const TargetRec& t) const {
    if (tg.tg.health_check_port && *tg.tg.health_check_port != "traffic-port") return *tg.tg.health_check_port;
    return t.target.port ? std::to_string(*t.target.port) : "";
  }

  void PurgeDrained(TgRec& tg) {
    if (tg.draining == 0) return;
    const SimTime now = clock.Now();
    const size_t gone = tg.targets.EraseIf([&](const TargetRec& t) { return TargetGone(t, now); });
    if (gone == 0) return;
    Touch(tg);
    tg.draining -= gone;
  }

  size_t LiveTargetCount(const TgRec& tg) const {
    if (tg.draining == 0) return tg.targets.size();
    const SimTime now = clock.Now();
    size_t n = 0;
    for (const TargetRec& t : tg.targets) n += TargetGone(t, now) ? 0 : 1;
    return n;
  }

  // --- TG references ----------------------------------------------------------------------------

  static std::set<std::string> TgsOfActions(const std::vector<m::Action>& actions) {
    std::set<std::string> out;
    for (const m::Action& a : actions) {
      if (a.type != "forward") continue;
      if (a.target_group_arn) out.insert(*a.target_group_arn);
      if (a.forward_config) {
        for (const auto& t : a.forward_config->target_groups) out.insert(t.target_group_arn);
      }
    }
    return out;
  }

  void SetRefs(const std::string& key, const std::string& lb_arn, const std::set<std::string>& tg_arns) {
    const SimTime now = clock.Now();
    for (const std::string& old : refs_by_key[key]) {
      auto it = tgs.find(old);
      if (it == tgs.end()) continue;
      auto ref = it->second.refs.find(key);
      if (ref != it->second.refs.end()) {
        auto& by_tg = tg_refs_by_lb[ref->second];
        if (--by_tg[old] <= 0) by_tg.erase(old);
        if (by_tg.empty()) tg_refs_by_lb.erase(ref->second);
      }
      it->second.refs.erase(key);
      it->second.shared.reset();
      TgChanged(old);
      Touch(it->second);
      if (it->second.refs.empty()) it->second.in_use_since.reset();
    }
    refs_by_key[key] = tg_arns;
    for (const std::string& arn : tg_arns) {
      auto it = tgs.find(arn);
      if (it == tgs.end()) continue;
      const bool comes_into_use = it->second.refs.empty();
      if (comes_into_use) it->second.in_use_since = now;
      auto [ref, added] = it->second.refs.try_emplace(key, lb_arn);
      it->second.shared.reset();
      TgChanged(arn);
      Touch(it->second);
      if (added) ++tg_refs_by_lb[lb_arn][arn];
      if (comes_into_use) ObserveAllOf(it->second);
    }
    if (tg_arns.empty()) refs_by_key.erase(key);
  }

  // --- actions ----------------------------------------------------------------------------------

  // Validates actions for a listener/rule `ref_key` on `lb_arn` with listener protocol `protocol`,
  // and normalises them as AWS stores them.
  Status NormalizeActions(std::vector<m::Action>* actions, const std::string& lb_arn, const std::string& protocol,
                          std::optional<int> listener_port, const std::string& ref_key, bool is_default) {
    if (actions->empty()) {
      return VErr(is_default ? "A listener must have at least one default action"
                             : "A rule must have at least one action");
    }
    std::set<int> orders;
    for (size_t i = 0; i < actions->size(); ++i) {
      m::Action& a = (*actions)[i];
      if (!a.order) a.order = static_cast<int>(i) + 1;
      if (*a.order < 1 || *a.order > 50000) {
        return RangeError(std::to_string(*a.order), "actions.member.order",
                          "Member must have value between 1 and 50000");
      }
      if (!orders.insert(*a.order).second) {
        return VErr("Action order '" + std::to_string(*a.order) + "' is used more than once");
      }
    }
    std::stable_sort(actions->begin(), actions->end(),
                     [](const m::Action& x, const m::Action& y) { return *x.order < *y.order; });
    const LbRec& lb = lbs.at(lb_arn);
    std::set<std::string> lb_tgs_after;  // TGs of the LB once this change applies
    if (auto by_tg = tg_refs_by_lb.find(lb_arn); by_tg != tg_refs_by_lb.end()) {
      for (const auto& [arn, n] : by_tg->second) {
        auto tg = tgs.find(arn);
        if (tg == tgs.end()) continue;
        for (const auto& [key, ref_lb] : tg->second.refs) {
          if (ref_lb == lb_arn && key != ref_key) lb_tgs_after.insert(arn);
        }
      }
    }
    for (size_t i = 0; i < actions->size(); ++i) {
      m::Action& a = (*actions)[i];
      const bool last = i + 1 == actions->size();
      const bool terminal = a.type == "forward" || a.type == "redirect" || a.type == "fixed-response";
      const bool auth = a.type == "authenticate-oidc" || a.type == "authenticate-cognito";
      if (!terminal && !auth) {
        return RangeError(a.type, "actions.member.type",
                          "Member must satisfy enum value set: [forward, authenticate-oidc, authenticate-cognito, "
                          "redirect, fixed-response]");
      }
      if (terminal != last) {
        return AwsError("InvalidLoadBalancerAction",
                        "The last action must be the only forward, redirect or fixed-response action");
      }
      if (auth) {
        if (protocol != "HTTPS") {
          return AwsError("InvalidLoadBalancerAction", "Authentication actions are supported only on HTTPS listeners");
        }
        if (a.type == "authenticate-oidc" && !a.authenticate_oidc_config) {
          return VErr("An 'AuthenticateOidcConfig' must be specified for an 'authenticate-oidc' action");
        }
        if (a.type == "authenticate-cognito" && !a.authenticate_cognito_config) {
          return VErr("An 'AuthenticateCognitoConfig' must be specified for an 'authenticate-cognito' action");
        }
        if (a.authenticate_oidc_config) {
          m::AuthenticateOidcActionConfig& o = *a.authenticate_oidc_config;
          if (!o.session_cookie_name) o.session_cookie_name = "AWSELBAuthSessionCookie";
          if (!o.scope) o.scope = "openid";
          if (!o.session_timeout) o.session_timeout = 604800;
          if (!o.on_unauthenticated_request) o.on_unauthenticated_request = "authenticate";
        }
        if (a.authenticate_cognito_config) {
          m::AuthenticateCognitoActionConfig& o = *a.authenticate_cognito_config;
          if (!o.session_cookie_name) o.session_cookie_name = "AWSELBAuthSessionCookie";
          if (!o.scope) o.scope = "openid";
          if (!o.session_timeout) o.session_timeout = 604800;
          if (!o.on_unauthenticated_request) o.on_unauthenticated_request = "authenticate";
        }
        continue;
      }
      if (a.type == "redirect") {
        if (!a.redirect_config) return VErr("A 'RedirectConfig' must be specified for a 'redirect' action");
        m::RedirectActionConfig& r = *a.redirect_config;
        if (r.status_code != "HTTP_301" && r.status_code != "HTTP_302") {
          return RangeError(r.status_code, "actions.member.redirectConfig.statusCode",
                            "Member must satisfy enum value set: [HTTP_301, HTTP_302]");
        }
        if (r.protocol && *r.protocol != "HTTP" && *r.protocol != "HTTPS" && *r.protocol != "#{protocol}") {
          return VErr("Redirect protocol '" + *r.protocol + "' is not valid");
        }
        if (r.port && *r.port != "#{port}" && !InRange(*r.port, 1, 65535)) {
          return VErr("Redirect port '" + *r.port + "' is not valid");
        }
        if (r.path && (r.path->empty() || r.path->front() != '/' || r.path->size() > 128)) {
          return VErr("Redirect path must start with '/' and be 1 to 128 characters long");
        }
        if (r.query && (r.query->size() > 128 || (!r.query->empty() && r.query->front() == '?'))) {
          return VErr("Redirect query must not start with '?' and be at most 128 characters long");
        }
        if (protocol == "HTTPS" && r.protocol && *r.protocol == "HTTP") {
          return AwsError("InvalidLoadBalancerAction", "Redirect from HTTPS to HTTP is not allowed");
        }
        auto same = [](const std::optional<std::string>& v, const std::string& keyword) {
          return !v || *v == keyword;
        };
        bool proto_same = same(r.protocol, "#{protocol}") || (r.protocol && *r.protocol == protocol);
        bool port_same = same(r.port, "#{port}") ||
                         (r.port && listener_port && *r.port == std::to_string(*listener_port));
        if (proto_same && port_same && same(r.host, "#{host}") && same(r.path, "/#{path}") &&
            same(r.query, "#{query}")) {
          return AwsError("InvalidLoadBalancerAction",
                          "The redirect configuration is not valid because it creates a loop.");
        }
        if (!r.protocol) r.protocol = "#{protocol}";
        if (!r.port) r.port = "#{port}";
        if (!r.host) r.host = "#{host}";
        if (!r.path) r.path = "/#{path}";
        if (!r.query) r.query = "#{query}";
        continue;
      }
      if (a.type == "fixed-response") {
        if (!a.fixed_response_config) {
          return VErr("A 'FixedResponseConfig' must be specified for a 'fixed-response' action");
        }
        const m::FixedResponseActionConfig& f = *a.fixed_response_config;
        if (f.status_code.size() != 3 || !IsDigits(f.status_code) ||
            (f.status_code[0] != '2' && f.status_code[0] != '4' && f.status_code[0] != '5')) {
          return RangeError(f.status_code, "actions.member.fixedResponseConfig.statusCode",
                            "Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$");
        }
        if (f.content_type && *f.content_type != "text/plain" && *f.content_type != "text/css" &&
            *f.content_type != "text/html" && *f.content_type != "application/javascript" &&
            *f.content_type != "application/json") {
          return VErr("Content type '" + *f.content_type + "' is not valid");
        }
        if (f.message_body && f.message_body->size() > 1024) {
          return RangeError("...", "actions.member.fixedResponseConfig.messageBody",
                            "Member must have length less than or equal to 1024");
        }
        continue;
      }
      // forward
      std::vector<m::TargetGroupTuple> tuples;
      if (a.forward_config) tuples = a.forward_config->target_groups;
      if (a.target_group_arn) {
        if (!a.forward_config || tuples.empty()) {
          tuples = {m::TargetGroupTuple{*a.target_group_arn, 1}};
        } else if (tuples.size() != 1 || tuples[0].target_group_arn != *a.target_group_arn) {
          return VErr("You cannot specify both 'TargetGroupArn' and 'ForwardConfig' unless the 'ForwardConfig' "
                      "contains only that target group");
        }
      }
      if (tuples.empty()) return VErr("A target group ARN must be specified for a forward action");
      if (static_cast<int64_t>(tuples.size()) > options.quotas.target_groups_per_action) {
        return VErr("You cannot specify more than '" + std::to_string(options.quotas.target_groups_per_action) +
                    "' target groups in a forward action");
      }
      std::set<std::string> seen;
      for (m::TargetGroupTuple& t : tuples) {
        if (!seen.insert(t.target_group_arn).second) {
          return VErr("Target group '" + t.target_group_arn + "' is specified more than once in the forward action");
        }
        if (!t.weight) t.weight = 1;
        if (*t.weight < 0 || *t.weight > 999) {
          return RangeError(std::to_string(*t.weight), "actions.member.forwardConfig.targetGroups.member.weight",
                            "Member must have value between 0 and 999");
        }
        auto tit = tgs.find(t.target_group_arn);
        if (tit == tgs.end()) {
          return AwsError("TargetGroupNotFound", "Target group '" + t.target_group_arn + "' not found");
        }
        const m::TargetGroup& tg = tit->second.tg;
        if (tg.target_type != "lambda") {
          if (tg.protocol != "HTTP" && tg.protocol != "HTTPS") {
            return AwsError("IncompatibleProtocols", "The protocol of target group '" + t.target_group_arn +
                                                         "' is incompatible with the listener protocol '" + protocol +
                                                         "'");
          }
          if (tg.vpc_id && *tg.vpc_id != lb.lb.vpc_id) {
            return AwsError("InvalidConfigurationRequest", "Target group '" + t.target_group_arn +
                                                               "' is not in the same VPC as the load balancer");
          }
          if ((tg.protocol_version == "HTTP2" || tg.protocol_version == "GRPC") && protocol != "HTTPS") {
            return AwsError("IncompatibleProtocols",
                            "Target groups with protocol version '" + *tg.protocol_version +
                                "' are supported only on HTTPS listeners");
          }
        }
        std::set<std::string> other_lbs;
        for (const auto& [key, ref_lb] : tit->second.refs) {
          if (key != ref_key) other_lbs.insert(ref_lb);
        }
        other_lbs.insert(lb_arn);
        if (static_cast<int64_t>(other_lbs.size()) > options.quotas.load_balancers_per_target_group) {
          return AwsError("TargetGroupAssociationLimit",
                          "The following target groups cannot be associated with more than one load balancer: " +
                              t.target_group_arn);
        }
        lb_tgs_after.insert(t.target_group_arn);
      }
      a.forward_config = m::ForwardActionConfig{tuples, a.forward_config ? a.forward_config->target_group_stickiness_config
                                                                         : std::nullopt};
      if (!a.forward_config->target_group_stickiness_config) {
        a.forward_config->target_group_stickiness_config = m::TargetGroupStickinessConfig{false, std::nullopt};
      }
      const m::TargetGroupStickinessConfig& st = *a.forward_config->target_group_stickiness_config;
      if (st.enabled.value_or(false)) {
        if (!st.duration_seconds || *st.duration_seconds < 1 || *st.duration_seconds > 604800) {
          return VErr("Target group stickiness duration must be between 1 and 604800 seconds");
        }
      }
      if (tuples.size() == 1) {
        a.target_group_arn = tuples[0].target_group_arn;
      } else {
        a.target_group_arn.reset();
      }
    }
    if (static_cast<int64_t>(lb_tgs_after.size()) > options.quotas.target_groups_per_application_load_balancer) {
      return AwsError("TooManyUniqueTargetGroupsPerLoadBalancer",
                      "You have reached the maximum number of unique target groups that you can associate with a "
                      "load balancer of type 'application': [" +
                          std::to_string(options.quotas.target_groups_per_application_load_balancer) + "]");
    }
    return OkStatus();
  }

  // --- subnets / security groups ---------------------------------------------------------------

  struct ResolvedSubnets {
    std::string vpc_id;
    std::vector<m::AvailabilityZone> zones;
  };

  Result<ResolvedSubnets> ResolveSubnets(const std::vector<std::string>& subnet_ids,
                                         const std::vector<m::SubnetMapping>& mappings,
                                         const std::string& ip_address_type, bool require_some) {
    if (!subnet_ids.empty() && !mappings.empty()) {
      return VErr("You can specify subnets or subnet mappings, but not both");
    }
    std::vector<std::string> ids = subnet_ids;
    for (const m::SubnetMapping& mp : mappings) {
      if (!mp.allocation_id.empty() || !mp.private_ipv4_address.empty() || !mp.ipv6_address.empty()) {
        return AwsError("InvalidConfigurationRequest",
                        "You cannot specify Elastic IP addresses or private IP addresses for an Application Load "
                        "Balancer");
      }
      ids.push_back(mp.subnet_id);
    }
    if (ids.empty() && require_some) return VErr("At least one subnet must be specified");
    ResolvedSubnets out;
    std::set<std::string> azs;
    for (const std::string& id : ids) {
      std::optional<m::Subnet> sn = ec2.SubnetForSim(id);
      if (!sn) return AwsError("SubnetNotFound", "The subnet ID '" + id + "' is not valid");
      if (out.vpc_id.empty()) out.vpc_id = sn->vpc_id;
      if (sn->vpc_id != out.vpc_id) {
        return AwsError("InvalidConfigurationRequest", "The subnets must all be in the same VPC");
      }
      if (!azs.insert(sn->availability_zone).second) {
        return AwsError("InvalidConfigurationRequest",
                        "A load balancer cannot be attached to multiple subnets in the same Availability Zone");
      }
      if (sn->available_ip_address_count < 8) {
        return AwsError("InvalidSubnet", "Not enough IP space available in " + id +
                                             ". ELB requires at least 8 free IP addresses in each subnet.");
      }
      if (ip_address_type != "ipv4" && sn->ipv6_cidr_blocks.empty()) {
        return AwsError("InvalidSubnet", "Subnet '" + id + "' does not have an IPv6 CIDR block");
      }
      m::AvailabilityZone zone;
      zone.zone_name = sn->availability_zone;
      zone.subnet_id = id;
      if (!sn->outpost_arn.empty()) zone.outpost_id = sn->outpost_arn.substr(sn->outpost_arn.rfind('/') + 1);
      out.zones.push_back(std::move(zone));
    }
    bool outpost = out.zones.size() == 1 && !out.zones[0].outpost_id.empty();
    if (!ids.empty() && azs.size() < 2 && !outpost) {
      return VErr("At least two subnets in two different Availability Zones must be specified");
    }
    std::sort(out.zones.begin(), out.zones.end(),
              [](const m::AvailabilityZone& a, const m::AvailabilityZone& b) { return a.zone_name < b.zone_name; });
    return out;
  }

  Status CheckSecurityGroups(const std::vector<std::string>& groups, const std::string& vpc_id) const {
    if (static_cast<int64_t>(groups.size()) > options.quotas.security_groups_per_load_balancer) {
      return VErr("You cannot specify more than '" + std::to_string(options.quotas.security_groups_per_load_balancer) +
                  "' security groups");
    }
    for (const std::string& id : groups) {
      std::optional<m::SecurityGroup> sg = ec2.SecurityGroupForSim(id);
      if (!sg || (!vpc_id.empty() && sg->vpc_id != vpc_id)) {
        return AwsError("InvalidSecurityGroup", "Security group '" + id + "' does not exist");
      }
    }
    return OkStatus();
  }

  // --- tags by ARN ------------------------------------------------------------------------------

  Result<std::map<std::string, std::string>*> TagsOf(const std::string& arn) {
    switch (ClassifyElbv2Arn(arn)) {
      case Elbv2ArnKind::kLoadBalancer: {
        auto it = lbs.find(arn);
        if (it == lbs.end()) return AwsError("LoadBalancerNotFound", "Load balancer '" + arn + "' not found");
        return &it->second.tags;
      }
      case Elbv2ArnKind::kTargetGroup: {
        auto it = tgs.find(arn);
        if (it == tgs.end()) return AwsError("TargetGroupNotFound", "Target group '" + arn + "' not found");
        return &it->second.tags;
      }
      case Elbv2ArnKind::kListener: {
        auto it = listeners.find(arn);
        if (it == listeners.end()) return AwsError("ListenerNotFound", "Listener '" + arn + "' not found");
        return &it->second.tags;
      }
      case Elbv2ArnKind::kRule: {
        auto it = rules.find(arn);
        if (it == rules.end()) return AwsError("RuleNotFound", "Rule '" + arn + "' not found");
        return &it->second.tags;
      }
      case Elbv2ArnKind::kUnknown:
        break;
    }
    return VErr("'" + arn + "' is not a valid resource ARN");
  }

  // --- deletion ---------------------------------------------------------------------------------

  void EraseRule(const std::string& rule_arn) {
    auto it = rules.find(rule_arn);
    if (it == rules.end()) return;
    SetRefs(rule_arn, "", {});
    rules.erase(it);
  }

  void EraseListener(const std::string& listener_arn) {
    auto it = listeners.find(listener_arn);
    if (it == listeners.end()) return;
    for (const auto& [prio, rule_arn] : it->second.rules) EraseRule(rule_arn);
    EraseRule(it->second.default_rule_arn);
    SetRefs(listener_arn, "", {});
    auto lit = lbs.find(it->second.listener.load_balancer_arn);
    if (lit != lbs.end()) lit->second.listeners.erase(listener_arn);
    listeners.erase(it);
  }

  int64_t RuleCountOfLb(const std::string& lb_arn) const {
    auto it = lbs.find(lb_arn);
    if (it == lbs.end()) return 0;
    int64_t n = 0;
    for (const std::string& l : it->second.listeners) n += static_cast<int64_t>(listeners.at(l).rules.size());
    return n;
  }

  int64_t ExtraCertCountOfLb(const std::string& lb_arn) const {
    auto it = lbs.find(lb_arn);
    if (it == lbs.end()) return 0;
    int64_t n = 0;
    for (const std::string& l : it->second.listeners) n += static_cast<int64_t>(listeners.at(l).extra_certs.size());
    return n;
  }

  std::vector<std::string> ListenersOfLbByPort(const std::string& lb_arn) const {
    std::vector<std::pair<int, std::string>> v;
    auto it = lbs.find(lb_arn);
    if (it == lbs.end()) return {};
    for (const std::string& l : it->second.listeners) v.emplace_back(listeners.at(l).listener.port.value_or(0), l);
    std::sort(v.begin(), v.end());
    std::vector<std::string> out;
    for (auto& [p, arn] : v) out.push_back(arn);
    return out;
  }

  std::vector<m::Rule> RulesOfListener(const ListenerRec& l) const {
    std::vector<m::Rule> out;
    for (const auto& [prio, arn] : l.rules) out.push_back(RenderRule(rules.at(arn)));
    auto dit = rules.find(l.default_rule_arn);
    if (dit != rules.end()) out.push_back(RenderRule(dit->second));
    return out;
  }

  Status CheckCertificates(const std::vector<m::Certificate>& certs) const {
    for (const m::Certificate& c : certs) {
      if (options.certificate_exists && !options.certificate_exists(c.certificate_arn)) {
        return AwsError("CertificateNotFound", "Certificate '" + c.certificate_arn + "' not found");
      }
    }
    return OkStatus();
  }
};

// ---------------------------------------------------------------------------------------------

FakeElbv2::FakeElbv2(const Clock& clock, FaultPlan& faults, ApiCallLog& log, const FakeEc2& ec2,
                     FakeElbv2Options options)
    : s_(std::make_unique<State>(clock, faults, log, ec2, std::move(options))) {}
FakeElbv2::~FakeElbv2() = default;

Quotas& FakeElbv2::mutable_quotas() { return s_->options.quotas; }
void FakeElbv2::SetAuthorizer(Authorizer* authorizer) { s_->authorizer = authorizer; }
const FakeElbv2Options& FakeElbv2::options() const { return s_->options; }

// --- Load balancers -----------------------------------------------------------------------------

Result<m::LoadBalancer> FakeElbv2::CreateLoadBalancer(const CallContext& ctx, const CreateLoadBalancerRequest& req) {
  return s_->Serve(ctx, "CreateLoadBalancer", [&] { return RequestJson(req); },
                   [&] {
                     return s_->AzCreate(ctx, "CreateLoadBalancer",
                                         s_->ArnPrefix() + "loadbalancer/app/" + req.name + "/*", req.tags);
                   },
                   [&]() -> Result<m::LoadBalancer> {
    SIM_RETURN_IF_ERROR(ValidateLbName(req.name));
    const std::string type = req.type.empty() ? "application" : req.type;
    if (type != "application" && type != "network" && type != "gateway") {
      return RangeError(type, "type", "Member must satisfy enum value set: [application, network, gateway]");
    }
    if (type != "application") {
      return AwsError("InvalidConfigurationRequest", "This simulator supports only load balancers of type 'application'");
    }
    const std::string scheme = req.scheme.empty() ? m::kSchemeInternetFacing : req.scheme;
    if (scheme != m::kSchemeInternetFacing && scheme != m::kSchemeInternal) {
      return RangeError(scheme, "scheme", "Member must satisfy enum value set: [internet-facing, internal]");
    }
    const std::string ip_type = req.ip_address_type.empty() ? "ipv4" : req.ip_address_type;
    if (ip_type != "ipv4" && ip_type != "dualstack" && ip_type != "dualstack-without-public-ipv4") {
      return RangeError(ip_type, "ipAddressType",
                        "Member must satisfy enum value set: [ipv4, dualstack, dualstack-without-public-ipv4]");
    }
    SIM_ASSIGN_OR_RETURN(State::ResolvedSubnets subnets,
                         s_->ResolveSubnets(req.subnets, req.subnet_mappings, ip_type, /*require_some=*/true));
    SIM_RETURN_IF_ERROR(s_->CheckSecurityGroups(req.security_groups, subnets.vpc_id));
    SIM_ASSIGN_OR_RETURN(auto tags, MergeTags({}, req.tags, s_->options.quotas.tags_per_resource));

    auto existing = s_->lb_by_name.find(req.name);
    if (existing != s_->lb_by_name.end()) {
      const State::LbRec& rec = s_->lbs.at(existing->second);
      std::set<std::string> sg_a(rec.lb.security_groups.begin(), rec.lb.security_groups.end());
      std::set<std::string> sg_b(req.security_groups.begin(), req.security_groups.end());
      bool same = rec.lb.type == type && rec.lb.scheme == scheme && rec.lb.ip_address_type == ip_type &&
                  rec.lb.availability_zones == subnets.zones && sg_a == sg_b;
      if (!same) {
        return AwsError("DuplicateLoadBalancerName",
                        "A load balancer with the same name '" + req.name + "' exists, but with different settings");
      }
      return s_->RenderLb(rec);
    }
    if (static_cast<int64_t>(s_->lbs.size()) >= s_->options.quotas.application_load_balancers) {
      return AwsError("TooManyLoadBalancers",
                      "You've reached the limit on the number of load balancers for your Amazon Web Services account.");
    }
    State::LbRec rec;
    rec.id = s_->rng.Hex(16);
    m::LoadBalancer& lb = rec.lb;
    lb.load_balancer_arn = s_->ArnPrefix() + "loadbalancer/app/" + req.name + "/" + rec.id;
    const uint64_t dns_id = 1000000000ull + s_->rng.Uniform(9000000000ull);
    lb.dns_name = std::string(scheme == m::kSchemeInternal ? "internal-" : "") + req.name + "-" +
                  std::to_string(dns_id) + "." + s_->options.region + s_->DnsSuffix();
    lb.canonical_hosted_zone_id = AlbHostedZoneId(s_->options.region);
    lb.created_time = s_->clock.Now();
    lb.load_balancer_name = req.name;
    lb.scheme = scheme;
    lb.vpc_id = subnets.vpc_id;
    lb.state.code = m::kLbStateProvisioning;
    lb.type = type;
    lb.availability_zones = subnets.zones;
    lb.security_groups = req.security_groups;
    lb.ip_address_type = ip_type;
    lb.customer_owned_ipv4_pool = req.customer_owned_ipv4_pool;
    lb.ipam_pools = req.ipam_pools;  // IpamPools, as given (ModifyIpPools is not simulated)
    rec.attributes = DefaultLbAttributes(scheme);
    rec.tags = std::move(tags);
    const std::string arn = lb.load_balancer_arn;
    s_->lb_by_name[req.name] = arn;
    s_->lb_by_dns[lb.dns_name] = arn;
    auto [it, inserted] = s_->lbs.emplace(arn, std::move(rec));
    s_->LbChanged(arn);
    return s_->RenderLb(it->second);
  });
}

Status FakeElbv2::DeleteLoadBalancer(const CallContext& ctx, const std::string& arn) {
  return s_->Serve(ctx, "DeleteLoadBalancer", [&] { return SingleMemberJson("LoadBalancerArn", arn); },
                   [&] { return s_->AzOn(ctx, "DeleteLoadBalancer", arn); },
                   [&]() -> Status {
    auto it = s_->lbs.find(arn);
    if (it == s_->lbs.end()) return OkStatus();
    if (it->second.attributes["deletion_protection.enabled"] == "true") {
      return AwsError("OperationNotPermitted",
                      "Load balancer '" + arn + "' cannot be deleted because deletion protection is enabled");
    }
    std::set<std::string> ls = it->second.listeners;
    for (const std::string& l : ls) s_->EraseListener(l);
    if (s_->options.security_group_release_delay > SimTime(0)) {
      const SimTime until = s_->clock.Now() + s_->options.security_group_release_delay;
      for (const std::string& sg : it->second.lb.security_groups) {
        SimTime& at = s_->sg_released_at[sg];
        at = std::max(at, until);
      }
    }
    s_->lb_by_name.erase(it->second.lb.load_balancer_name);
    s_->lb_by_dns.erase(it->second.lb.dns_name);
    s_->LbChanged(it->first);
    s_->lbs.erase(it);
    return OkStatus();
  });
}

Result<std::vector<m::LoadBalancer>> FakeElbv2::DescribeLoadBalancers(const CallContext& ctx,
                                                                      const DescribeLoadBalancersRequest& req) {
  return s_->Serve(ctx, "DescribeLoadBalancers", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeLoadBalancers"); },
                   [&]() -> Result<std::vector<m::LoadBalancer>> {
    std::vector<m::LoadBalancer> out;
    if (!req.load_balancer_arns.empty() && !req.names.empty()) {
      return VErr("Load balancer names and load balancer ARNs cannot be specified at the same time");
    }
    if (!req.load_balancer_arns.empty()) {
      out.reserve(req.load_balancer_arns.size());
      for (const std::string& arn : req.load_balancer_arns) {
        auto it = s_->lbs.find(arn);
        if (it == s_->lbs.end()) return LbNotFound();
        out.push_back(s_->RenderLb(it->second));
      }
      return out;
    }
    if (!req.names.empty()) {
      for (const std::string& name : req.names) {
        auto it = s_->lb_by_name.find(name);
        if (it == s_->lb_by_name.end()) return AwsError("LoadBalancerNotFound", "Load balancers '[" + name + "]' not found");
        out.push_back(s_->RenderLb(s_->lbs.at(it->second)));
      }
      return out;
    }
    out.reserve(s_->lbs.size());
    for (const auto& [arn, rec] : s_->lbs) out.push_back(s_->RenderLb(rec));
    return out;
  });
}

Result<std::vector<std::shared_ptr<const m::LoadBalancer>>> FakeElbv2::DescribeAllLoadBalancers(
    const CallContext& ctx) {
  const DescribeLoadBalancersRequest req;
  return s_->Serve(ctx, "DescribeLoadBalancers", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeLoadBalancers"); },
                   [&]() -> Result<std::vector<std::shared_ptr<const m::LoadBalancer>>> {
    return s_->AllLbs();
  });
}

Result<std::vector<std::shared_ptr<const m::TargetGroup>>> FakeElbv2::DescribeAllTargetGroups(const CallContext& ctx) {
  const DescribeTargetGroupsRequest req;
  return s_->Serve(ctx, "DescribeTargetGroups", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeTargetGroups"); },
                   [&]() -> Result<std::vector<std::shared_ptr<const m::TargetGroup>>> {
    return s_->AllTgs();
  });
}

Result<std::string> FakeElbv2::SetIpAddressType(const CallContext& ctx, const SetIpAddressTypeRequest& req) {
  return s_->Serve(ctx, "SetIpAddressType", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "SetIpAddressType", req.load_balancer_arn); },
                   [&]() -> Result<std::string> {
    auto it = s_->lbs.find(req.load_balancer_arn);
    if (it == s_->lbs.end()) return LbNotFound();
    const std::string& t = req.ip_address_type;
    if (t != "ipv4" && t != "dualstack" && t != "dualstack-without-public-ipv4") {
      return RangeError(t, "ipAddressType",
                        "Member must satisfy enum value set: [ipv4, dualstack, dualstack-without-public-ipv4]");
    }
    if (t == "dualstack-without-public-ipv4" && it->second.lb.scheme == m::kSchemeInternal) {
      return AwsError("InvalidConfigurationRequest",
                      "Internal load balancers cannot use the IP address type 'dualstack-without-public-ipv4'");
    }
    if (t != "ipv4") {
      for (const m::AvailabilityZone& z : it->second.lb.availability_zones) {
        std::optional<m::Subnet> sn = s_->ec2.SubnetForSim(z.subnet_id);
        if (sn && sn->ipv6_cidr_blocks.empty()) {
          return AwsError("InvalidSubnet", "Subnet '" + z.subnet_id + "' does not have an IPv6 CIDR block");
        }
      }
    }
    it->second.lb.ip_address_type = t;
    it->second.shared.reset();
    s_->LbChanged(it->first);
    return t;
  });
}

Result<SetSubnetsResponse> FakeElbv2::SetSubnets(const CallContext& ctx, const SetSubnetsRequest& req) {
  return s_->Serve(ctx, "SetSubnets", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "SetSubnets", req.load_balancer_arn); },
                   [&]() -> Result<SetSubnetsResponse> {
    auto it = s_->lbs.find(req.load_balancer_arn);
    if (it == s_->lbs.end()) return LbNotFound();
    m::LoadBalancer& lb = it->second.lb;
    const std::string ip_type = req.ip_address_type.empty() ? lb.ip_address_type : req.ip_address_type;
    SIM_ASSIGN_OR_RETURN(State::ResolvedSubnets subnets,
                         s_->ResolveSubnets(req.subnets, req.subnet_mappings, ip_type, /*require_some=*/true));
    if (subnets.vpc_id != lb.vpc_id) {
      return AwsError("InvalidConfigurationRequest", "The subnets must be in the VPC of the load balancer ('" +
                                                         lb.vpc_id + "')");
    }
    lb.availability_zones = subnets.zones;
    lb.ip_address_type = ip_type;
    it->second.shared.reset();
    s_->LbChanged(it->first);
    return SetSubnetsResponse{lb.availability_zones, lb.ip_address_type};
  });
}

Result<std::vector<std::string>> FakeElbv2::SetSecurityGroups(const CallContext& ctx,
                                                              const SetSecurityGroupsRequest& req) {
  return s_->Serve(ctx, "SetSecurityGroups", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "SetSecurityGroups", req.load_balancer_arn); },
                   [&]() -> Result<std::vector<std::string>> {
    auto it = s_->lbs.find(req.load_balancer_arn);
    if (it == s_->lbs.end()) return LbNotFound();
    SIM_RETURN_IF_ERROR(s_->CheckSecurityGroups(req.security_groups, it->second.lb.vpc_id));
    it->second.lb.security_groups = req.security_groups;
    it->second.shared.reset();
    s_->LbChanged(it->first);
    return req.security_groups;
  });
}

Result<std::vector<m::Attribute>> FakeElbv2::DescribeLoadBalancerAttributes(const CallContext& ctx,
                                                                            const std::string& arn) {
  return s_->Serve(ctx, "DescribeLoadBalancerAttributes", [&] { return SingleMemberJson("LoadBalancerArn", arn); },
                   [&] { return s_->AzStar(ctx, "DescribeLoadBalancerAttributes"); },
                   [&]() -> Result<std::vector<m::Attribute>> {
    auto it = s_->lbs.find(arn);
    if (it == s_->lbs.end()) return LbNotFound();
    return AttrVector(it->second.attributes);
  });
}

Result<std::vector<m::Attribute>> FakeElbv2::ModifyLoadBalancerAttributes(
    const CallContext& ctx, const ModifyLoadBalancerAttributesRequest& req) {
  return s_->Serve(ctx, "ModifyLoadBalancerAttributes", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "ModifyLoadBalancerAttributes", req.load_balancer_arn); },
                   [&]() -> Result<std::vector<m::Attribute>> {
    auto it = s_->lbs.find(req.load_balancer_arn);
    if (it == s_->lbs.end()) return LbNotFound();
    if (req.attributes.size() > 20) {
      return RangeError("[...]", "attributes", "Member must have length less than or equal to 20");
    }
    for (const m::Attribute& a : req.attributes) {
      if (!it->second.attributes.count(a.key)) {
        return AwsError("InvalidConfigurationRequest", "Load balancer attribute key '" + a.key + "' is not recognized");
      }
      SIM_RETURN_IF_ERROR(CheckLbAttribute(a.key, a.value));
    }
    for (const m::Attribute& a : req.attributes) it->second.attributes[a.key] = a.value;
    return AttrVector(it->second.attributes);
  });
}

// --- Listeners ------------------------------------------------------------------------------------

namespace {

bool SameListenerSettings(const m::Listener& a, const m::Listener& b) {
  return a.protocol == b.protocol && a.port == b.port && a.ssl_policy == b.ssl_policy &&
         a.certificates == b.certificates && a.default_actions == b.default_actions &&
         a.mutual_authentication == b.mutual_authentication;
}

}  // namespace

Result<m::Listener> FakeElbv2::CreateListener(const CallContext& ctx, const CreateListenerRequest& req) {
  return s_->Serve(ctx, "CreateListener", [&] { return RequestJson(req); },
                   [&] {
                     return s_->AzCreate(ctx, "CreateListener",
                                         s_->ChildArnPattern(req.load_balancer_arn, "loadbalancer/", "listener/"),
                                         req.tags);
                   },
                   [&]() -> Result<m::Listener> {
    auto lit = s_->lbs.find(req.load_balancer_arn);
    if (lit == s_->lbs.end()) return LbNotFound();
    State::LbRec& lb = lit->second;
    if (req.protocol.empty()) return VErr("A listener protocol must be specified");
    if (req.protocol != "HTTP" && req.protocol != "HTTPS") {
      return AwsError("UnsupportedProtocol", "Protocol '" + req.protocol +
                                                 "' is not supported for load balancers of type 'application'");
    }
    if (!req.port) return VErr("A listener port must be specified");
    if (*req.port < 1 || *req.port > 65535) {
      return RangeError(std::to_string(*req.port), "port", "Member must have value between 1 and 65535");
    }
    m::Listener l;
    l.load_balancer_arn = req.load_balancer_arn;
    l.port = req.port;
    l.protocol = req.protocol;
    l.alpn_policy = req.alpn_policy;
    l.mutual_authentication = req.mutual_authentication;
    if (req.protocol == "HTTPS") {
      if (req.certificates.empty()) return VErr("A certificate must be specified for HTTPS listeners");
      if (req.certificates.size() > 1) return VErr("You can specify only one certificate for a listener");
      SIM_RETURN_IF_ERROR(s_->CheckCertificates(req.certificates));
      l.certificates = {m::Certificate{req.certificates[0].certificate_arn, std::nullopt}};
      l.ssl_policy = req.ssl_policy && !req.ssl_policy->empty() ? *req.ssl_policy : kDefaultSslPolicy;
      if (!KnownSslPolicy(*l.ssl_policy)) {
        return AwsError("SSLPolicyNotFound", "SSL policy '" + *l.ssl_policy + "' not found");
      }
    }
    if (l.mutual_authentication && l.mutual_authentication->mode == "verify" &&
        !l.mutual_authentication->trust_store_arn) {
      return VErr("A trust store must be specified for mutual authentication in verify mode");
    }
    // The future ARN is the reference key; allocate it before validating actions.
    const std::string listener_id = s_->rng.Hex(16);
    l.listener_arn = s_->ArnPrefix() + "listener/app/" + lb.lb.load_balancer_name + "/" + lb.id + "/" + listener_id;
    l.default_actions = req.default_actions;
    SIM_RETURN_IF_ERROR(s_->NormalizeActions(&l.default_actions, req.load_balancer_arn, l.protocol, l.port, l.listener_arn,
                                             /*is_default=*/true));
    for (const std::string& other : lb.listeners) {
      const State::ListenerRec& o = s_->listeners.at(other);
      if (o.listener.port == l.port) {
        m::Listener candidate = l;
        candidate.listener_arn = o.listener.listener_arn;
        if (SameListenerSettings(candidate, o.listener)) return s_->RenderListener(o);
        return AwsError("DuplicateListener", "A listener already exists on this port for this load balancer");
      }
    }
    if (static_cast<int64_t>(lb.listeners.size()) >= s_->options.quotas.listeners_per_application_load_balancer) {
      return AwsError("TooManyListeners", "You've reached the limit on the number of listeners per load balancer.");
    }
    SIM_ASSIGN_OR_RETURN(auto tags, MergeTags({}, req.tags, s_->options.quotas.tags_per_resource));
    State::ListenerRec rec;
    rec.id = listener_id;
    rec.listener = l;
    rec.tags = std::move(tags);
    rec.attributes = DefaultListenerAttributes();
    State::RuleRec def;
    def.rule.rule_arn = s_->ArnPrefix() + "listener-rule/app/" + lb.lb.load_balancer_name + "/" + lb.id + "/" +
                        listener_id + "/" + s_->rng.Hex(16);
    def.rule.priority = m::kPriorityDefault;
    def.rule.is_default = true;
    def.listener_arn = l.listener_arn;
    rec.default_rule_arn = def.rule.rule_arn;
    s_->rules.emplace(def.rule.rule_arn, std::move(def));
    const std::string arn = l.listener_arn;
    lb.listeners.insert(arn);
    s_->listeners.emplace(arn, std::move(rec));
    s_->SetRefs(arn, req.load_balancer_arn, State::TgsOfActions(l.default_actions));
    return s_->RenderListener(s_->listeners.at(arn));
  });
}

Result<m::Listener> FakeElbv2::ModifyListener(const CallContext& ctx, const ModifyListenerRequest& req) {
  return s_->Serve(ctx, "ModifyListener", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "ModifyListener", req.listener_arn); },
                   [&]() -> Result<m::Listener> {
    auto it = s_->listeners.find(req.listener_arn);
    if (it == s_->listeners.end()) return ListenerNotFound();
    State::ListenerRec& rec = it->second;
    m::Listener l = rec.listener;
    if (req.port) {
      if (*req.port < 1 || *req.port > 65535) {
        return RangeError(std::to_string(*req.port), "port", "Member must have value between 1 and 65535");
      }
      l.port = req.port;
    }
    if (!req.protocol.empty()) {
      if (req.protocol != "HTTP" && req.protocol != "HTTPS") {
        return AwsError("UnsupportedProtocol", "Protocol '" + req.protocol +
                                                   "' is not supported for load balancers of type 'application'");
      }
      l.protocol = req.protocol;
    }
    if (req.certificates) {
      if (req.certificates->size() > 1) return VErr("You can specify only one certificate for a listener");
      SIM_RETURN_IF_ERROR(s_->CheckCertificates(*req.certificates));
      l.certificates.clear();
      for (const m::Certificate& c : *req.certificates) l.certificates.push_back(m::Certificate{c.certificate_arn, std::nullopt});
    }
    if (req.ssl_policy) l.ssl_policy = *req.ssl_policy;
    if (l.protocol == "HTTP") {
      l.certificates.clear();
      l.ssl_policy.reset();
    } else {
      if (l.certificates.empty()) return VErr("A certificate must be specified for HTTPS listeners");
      if (!l.ssl_policy || l.ssl_policy->empty()) l.ssl_policy = kDefaultSslPolicy;
      if (!KnownSslPolicy(*l.ssl_policy)) {
        return AwsError("SSLPolicyNotFound", "SSL policy '" + *l.ssl_policy + "' not found");
      }
    }
    if (req.alpn_policy) l.alpn_policy = *req.alpn_policy;
    if (req.mutual_authentication) l.mutual_authentication = req.mutual_authentication;
    bool actions_changed = false;
    if (req.default_actions) {
      l.default_actions = *req.default_actions;
      actions_changed = true;
    }
    // Re-validate actions when they or the protocol change (authenticate-* need HTTPS).
    if (actions_changed || l.protocol != rec.listener.protocol) {
      SIM_RETURN_IF_ERROR(s_->NormalizeActions(&l.default_actions, l.load_balancer_arn, l.protocol, l.port, l.listener_arn,
                                               /*is_default=*/true));
    }
    for (const std::string& other : s_->lbs.at(l.load_balancer_arn).listeners) {
      if (other != l.listener_arn && s_->listeners.at(other).listener.port == l.port) {
        return AwsError("DuplicateListener", "A listener already exists on this port for this load balancer");
      }
    }
    // The new default certificate is no longer an extra one.
    if (!l.certificates.empty()) {
      auto& extras = rec.extra_certs;
      extras.erase(std::remove(extras.begin(), extras.end(), l.certificates[0].certificate_arn), extras.end());
    } else {
      rec.extra_certs.clear();
    }
    rec.listener = l;
    s_->SetRefs(l.listener_arn, l.load_balancer_arn, State::TgsOfActions(l.default_actions));
    return s_->RenderListener(rec);
  });
}

Status FakeElbv2::DeleteListener(const CallContext& ctx, const std::string& arn) {
  return s_->Serve(ctx, "DeleteListener", [&] { return SingleMemberJson("ListenerArn", arn); },
                   [&] { return s_->AzOn(ctx, "DeleteListener", arn); },
                   [&]() -> Status {
    if (!s_->listeners.count(arn)) return ListenerNotFound();
    s_->EraseListener(arn);
    return OkStatus();
  });
}

Result<std::vector<m::Listener>> FakeElbv2::DescribeListeners(const CallContext& ctx,
                                                              const DescribeListenersRequest& req) {
  return s_->Serve(ctx, "DescribeListeners", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeListeners"); },
                   [&]() -> Result<std::vector<m::Listener>> {
    if (req.load_balancer_arn.empty() == req.listener_arns.empty()) {
      return VErr("You must specify either listener ARNs or a load balancer ARN");
    }
    std::vector<m::Listener> out;
    if (!req.listener_arns.empty()) {
      for (const std::string& arn : req.listener_arns) {
        auto it = s_->listeners.find(arn);
        if (it == s_->listeners.end()) return ListenerNotFound();
        out.push_back(s_->RenderListener(it->second));
      }
      return out;
    }
    if (!s_->lbs.count(req.load_balancer_arn)) return LbNotFound();
    for (const std::string& arn : s_->ListenersOfLbByPort(req.load_balancer_arn)) {
      out.push_back(s_->RenderListener(s_->listeners.at(arn)));
    }
    return out;
  });
}

namespace {
std::vector<m::Certificate> ListenerCertList(const m::Listener& l, const std::vector<std::string>& extras) {
  std::vector<m::Certificate> out;
  for (const m::Certificate& c : l.certificates) out.push_back(m::Certificate{c.certificate_arn, true});
  for (const std::string& e : extras) out.push_back(m::Certificate{e, false});
  return out;
}
}  // namespace

Result<std::vector<m::Certificate>> FakeElbv2::AddListenerCertificates(const CallContext& ctx,
                                                                       const ListenerCertificatesRequest& req) {
  return s_->Serve(ctx, "AddListenerCertificates", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "AddListenerCertificates", req.listener_arn); },
                   [&]() -> Result<std::vector<m::Certificate>> {
    auto it = s_->listeners.find(req.listener_arn);
    if (it == s_->listeners.end()) return ListenerNotFound();
    if (req.certificates.empty()) return VErr("At least one certificate must be specified");
    SIM_RETURN_IF_ERROR(s_->CheckCertificates(req.certificates));
    State::ListenerRec& rec = it->second;
    std::vector<std::string> add;
    for (const m::Certificate& c : req.certificates) {
      bool is_default = !rec.listener.certificates.empty() &&
                        rec.listener.certificates[0].certificate_arn == c.certificate_arn;
      bool present = std::find(rec.extra_certs.begin(), rec.extra_certs.end(), c.certificate_arn) !=
                     rec.extra_certs.end();
      bool queued = std::find(add.begin(), add.end(), c.certificate_arn) != add.end();
      if (!is_default && !present && !queued) add.push_back(c.certificate_arn);
    }
    if (s_->ExtraCertCountOfLb(rec.listener.load_balancer_arn) + static_cast<int64_t>(add.size()) >
        s_->options.quotas.certificates_per_application_load_balancer) {
      return AwsError("TooManyCertificates", "You've reached the limit on the number of certificates per load balancer.");
    }
    rec.extra_certs.insert(rec.extra_certs.end(), add.begin(), add.end());
    return ListenerCertList(rec.listener, rec.extra_certs);
  });
}

Status FakeElbv2::RemoveListenerCertificates(const CallContext& ctx, const ListenerCertificatesRequest& req) {
  return s_->Serve(ctx, "RemoveListenerCertificates", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "RemoveListenerCertificates", req.listener_arn); },
                   [&]() -> Status {
    auto it = s_->listeners.find(req.listener_arn);
    if (it == s_->listeners.end()) return ListenerNotFound();
    State::ListenerRec& rec = it->second;
    for (const m::Certificate& c : req.certificates) {
      if (!rec.listener.certificates.empty() && rec.listener.certificates[0].certificate_arn == c.certificate_arn) {
        return AwsError("OperationNotPermitted", "The default certificate of a listener cannot be removed");
      }
    }
    for (const m::Certificate& c : req.certificates) {
      rec.extra_certs.erase(std::remove(rec.extra_certs.begin(), rec.extra_certs.end(), c.certificate_arn),
                            rec.extra_certs.end());
    }
    return OkStatus();
  });
}

Result<std::vector<m::Certificate>> FakeElbv2::DescribeListenerCertificates(const CallContext& ctx,
                                                                            const std::string& arn) {
  return s_->Serve(ctx, "DescribeListenerCertificates", [&] { return SingleMemberJson("ListenerArn", arn); },
                   [&] { return s_->AzStar(ctx, "DescribeListenerCertificates"); },
                   [&]() -> Result<std::vector<m::Certificate>> {
    auto it = s_->listeners.find(arn);
    if (it == s_->listeners.end()) return ListenerNotFound();
    return ListenerCertList(it->second.listener, it->second.extra_certs);
  });
}

Result<std::vector<m::Attribute>> FakeElbv2::DescribeListenerAttributes(const CallContext& ctx,
                                                                        const std::string& arn) {
  return s_->Serve(ctx, "DescribeListenerAttributes", [&] { return SingleMemberJson("ListenerArn", arn); },
                   [&] { return s_->AzStar(ctx, "DescribeListenerAttributes"); },
                   [&]() -> Result<std::vector<m::Attribute>> {
    auto it = s_->listeners.find(arn);
    if (it == s_->listeners.end()) return ListenerNotFound();
    return AttrVector(it->second.attributes);
  });
}

Result<std::vector<m::Attribute>> FakeElbv2::ModifyListenerAttributes(const CallContext& ctx,
                                                                      const ModifyListenerAttributesRequest& req) {
  return s_->Serve(ctx, "ModifyListenerAttributes", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "ModifyListenerAttributes", req.listener_arn); },
                   [&]() -> Result<std::vector<m::Attribute>> {
    auto it = s_->listeners.find(req.listener_arn);
    if (it == s_->listeners.end()) return ListenerNotFound();
    for (const m::Attribute& a : req.attributes) {
      if (a.key.rfind("routing.http.", 0) != 0) {
        return AwsError("InvalidConfigurationRequest", "Listener attribute key '" + a.key + "' is not recognized");
      }
      if (a.key.size() > 8 && a.key.compare(a.key.size() - 8, 8, ".enabled") == 0 && !IsBool(a.value)) {
        return BadAttr(a.key, a.value);
      }
    }
    for (const m::Attribute& a : req.attributes) it->second.attributes[a.key] = a.value;
    return AttrVector(it->second.attributes);
  });
}

// --- Rules ----------------------------------------------------------------------------------------

Result<m::Rule> FakeElbv2::CreateRule(const CallContext& ctx, const CreateRuleRequest& req) {
  return s_->Serve(ctx, "CreateRule", [&] { return RequestJson(req); },
                   [&] {
                     return s_->AzCreate(ctx, "CreateRule",
                                         s_->ChildArnPattern(req.listener_arn, "listener/", "listener-rule/"),
                                         req.tags);
                   },
                   [&]() -> Result<m::Rule> {
    auto lit = s_->listeners.find(req.listener_arn);
    if (lit == s_->listeners.end()) return ListenerNotFound();
    State::ListenerRec& listener = lit->second;
    if (req.priority < 1 || req.priority > 50000) {
      return RangeError(std::to_string(req.priority), "priority", "Member must have value between 1 and 50000");
    }
    if (req.conditions.empty()) return VErr("A rule must have at least one condition");
    m::Rule rule;
    rule.conditions = req.conditions;
    SIM_RETURN_IF_ERROR(NormalizeConditions(&rule.conditions, s_->options.quotas));
    SIM_RETURN_IF_ERROR(CheckTransforms(req.transforms));
    const State::LbRec& lb = s_->lbs.at(listener.listener.load_balancer_arn);
    const std::string rule_id = s_->rng.Hex(16);
    rule.rule_arn = s_->ArnPrefix() + "listener-rule/app/" + lb.lb.load_balancer_name + "/" + lb.id + "/" +
                    listener.id + "/" + rule_id;
    rule.actions = req.actions;
    SIM_RETURN_IF_ERROR(s_->NormalizeActions(&rule.actions, listener.listener.load_balancer_arn,
                                             listener.listener.protocol, listener.listener.port, rule.rule_arn,
                                             /*is_default=*/false));
    if (listener.rules.count(req.priority)) {
      return AwsError("PriorityInUse", "Priority '" + std::to_string(req.priority) + "' is currently in use");
    }
    if (s_->RuleCountOfLb(listener.listener.load_balancer_arn) >= s_->options.quotas.rules_per_application_load_balancer) {
      return AwsError("TooManyRules", "You've reached the limit on the number of rules per load balancer.");
    }
    SIM_ASSIGN_OR_RETURN(auto tags, MergeTags({}, req.tags, s_->options.quotas.tags_per_resource));
    rule.priority = std::to_string(req.priority);
    rule.is_default = false;
    rule.transforms = req.transforms;
    State::RuleRec rec;
    rec.rule = rule;
    rec.listener_arn = req.listener_arn;
    rec.tags = std::move(tags);
    listener.rules[req.priority] = rule.rule_arn;
    s_->rules.emplace(rule.rule_arn, std::move(rec));
    s_->SetRefs(rule.rule_arn, listener.listener.load_balancer_arn, State::TgsOfActions(rule.actions));
    return s_->RenderRule(s_->rules.at(rule.rule_arn));
  });
}

Result<m::Rule> FakeElbv2::ModifyRule(const CallContext& ctx, const ModifyRuleRequest& req) {
  return s_->Serve(ctx, "ModifyRule", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "ModifyRule", req.rule_arn); },
                   [&]() -> Result<m::Rule> {
    auto it = s_->rules.find(req.rule_arn);
    if (it == s_->rules.end()) return RuleNotFound();
    State::RuleRec& rec = it->second;
    State::ListenerRec& listener = s_->listeners.at(rec.listener_arn);
    const std::string& lb_arn = listener.listener.load_balancer_arn;
    if (rec.rule.is_default) {
      if (req.conditions && !req.conditions->empty()) {
        return AwsError("OperationNotPermitted", "Conditions cannot be specified for the default rule");
      }
      if ((req.transforms && !req.transforms->empty())) {
        return VErr("Transforms cannot be specified for the default rule");
      }
      if (req.actions) {
        std::vector<m::Action> actions = *req.actions;
        SIM_RETURN_IF_ERROR(s_->NormalizeActions(&actions, lb_arn, listener.listener.protocol, listener.listener.port,
                                                 listener.listener.listener_arn, /*is_default=*/true));
        listener.listener.default_actions = actions;
        s_->SetRefs(listener.listener.listener_arn, lb_arn, State::TgsOfActions(actions));
      }
      return s_->RenderRule(rec);
    }
    m::Rule rule = rec.rule;
    if (req.conditions) {
      if (req.conditions->empty()) return VErr("A rule must have at least one condition");
      rule.conditions = *req.conditions;
      SIM_RETURN_IF_ERROR(NormalizeConditions(&rule.conditions, s_->options.quotas));
    }
    if (req.actions) {
      rule.actions = *req.actions;
      SIM_RETURN_IF_ERROR(s_->NormalizeActions(&rule.actions, lb_arn, listener.listener.protocol, listener.listener.port, rule.rule_arn,
                                               /*is_default=*/false));
    }
    if (req.reset_transforms) {
      rule.transforms.clear();
    } else if (req.transforms) {
      SIM_RETURN_IF_ERROR(CheckTransforms(*req.transforms));
      rule.transforms = *req.transforms;
    }
    rec.rule = rule;
    s_->SetRefs(rule.rule_arn, lb_arn, State::TgsOfActions(rule.actions));
    return s_->RenderRule(rec);
  });
}

Status FakeElbv2::DeleteRule(const CallContext& ctx, const std::string& arn) {
  return s_->Serve(ctx, "DeleteRule", [&] { return SingleMemberJson("RuleArn", arn); },
                   [&] { return s_->AzOn(ctx, "DeleteRule", arn); },
                   [&]() -> Status {
    auto it = s_->rules.find(arn);
    if (it == s_->rules.end()) return RuleNotFound();
    if (it->second.rule.is_default) {
      return AwsError("OperationNotPermitted", "The default rule of a listener cannot be deleted");
    }
    State::ListenerRec& listener = s_->listeners.at(it->second.listener_arn);
    listener.rules.erase(std::stoi(it->second.rule.priority));
    s_->EraseRule(arn);
    return OkStatus();
  });
}

Result<std::vector<m::Rule>> FakeElbv2::DescribeRules(const CallContext& ctx, const DescribeRulesRequest& req) {
  return s_->Serve(ctx, "DescribeRules", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeRules"); },
                   [&]() -> Result<std::vector<m::Rule>> {
    if (req.listener_arn.empty() == req.rule_arns.empty()) {
      return VErr("You must specify either listener ARN or rule ARNs");
    }
    if (!req.rule_arns.empty()) {
      std::vector<m::Rule> out;
      for (const std::string& arn : req.rule_arns) {
        auto it = s_->rules.find(arn);
        if (it == s_->rules.end()) return RuleNotFound();
        out.push_back(s_->RenderRule(it->second));
      }
      return out;
    }
    auto lit = s_->listeners.find(req.listener_arn);
    if (lit == s_->listeners.end()) return ListenerNotFound();
    return s_->RulesOfListener(lit->second);
  });
}

Result<std::vector<m::Rule>> FakeElbv2::SetRulePriorities(const CallContext& ctx,
                                                          const SetRulePrioritiesRequest& req) {
  return s_->Serve(ctx, "SetRulePriorities", [&] { return RequestJson(req); },
                   [&] { return s_->AzSetRulePriorities(ctx, req); },
                   [&]() -> Result<std::vector<m::Rule>> {
    if (req.rule_priorities.empty()) return VErr("At least one rule priority must be specified");
    std::set<std::string> arns;
    std::map<std::string, std::set<int>> given_per_listener;
    for (const m::RulePriorityPair& p : req.rule_priorities) {
      if (p.priority < 1 || p.priority > 50000) {
        return RangeError(std::to_string(p.priority), "rulePriorities.member.priority",
                          "Member must have value between 1 and 50000");
      }
      auto it = s_->rules.find(p.rule_arn);
      if (it == s_->rules.end()) return RuleNotFound();
      if (it->second.rule.is_default) {
        return AwsError("OperationNotPermitted", "The default rule priority cannot be changed");
      }
      if (!arns.insert(p.rule_arn).second) {
        return VErr("Rule '" + p.rule_arn + "' was provided multiple times");
      }
      if (!given_per_listener[it->second.listener_arn].insert(p.priority).second) {
        return VErr("Priority '" + std::to_string(p.priority) + "' was provided multiple times");
      }
    }
    // Resulting priorities per listener must be unique.
    for (const auto& [listener_arn, given] : given_per_listener) {
      const State::ListenerRec& l = s_->listeners.at(listener_arn);
      for (const auto& [prio, rule_arn] : l.rules) {
        if (arns.count(rule_arn)) continue;  // moving
        if (given.count(prio)) {
          return AwsError("PriorityInUse", "Priority '" + std::to_string(prio) + "' is currently in use");
        }
      }
    }
    for (const m::RulePriorityPair& p : req.rule_priorities) {
      State::RuleRec& r = s_->rules.at(p.rule_arn);
      s_->listeners.at(r.listener_arn).rules.erase(std::stoi(r.rule.priority));
    }
    std::vector<m::Rule> out;
    for (const m::RulePriorityPair& p : req.rule_priorities) {
      State::RuleRec& r = s_->rules.at(p.rule_arn);
      r.rule.priority = std::to_string(p.priority);
      s_->listeners.at(r.listener_arn).rules[p.priority] = p.rule_arn;
      out.push_back(s_->RenderRule(r));
    }
    return out;
  });
}

// --- Target groups --------------------------------------------------------------------------------

Result<m::TargetGroup> FakeElbv2::CreateTargetGroup(const CallContext& ctx, const CreateTargetGroupRequest& req) {
  return s_->Serve(ctx, "CreateTargetGroup", [&] { return RequestJson(req); },
                   [&] {
                     return s_->AzCreate(ctx, "CreateTargetGroup", s_->ArnPrefix() + "targetgroup/" + req.name + "/*",
                                         req.tags);
                   },
                   [&]() -> Result<m::TargetGroup> {
    SIM_RETURN_IF_ERROR(ValidateTgName(req.name));
    m::TargetGroup tg;
    tg.target_group_name = req.name;
    tg.target_type = req.target_type.value_or("instance");
    if (tg.target_type != "instance" && tg.target_type != "ip" && tg.target_type != "lambda" &&
        tg.target_type != "alb") {
      return RangeError(tg.target_type, "targetType", "Member must satisfy enum value set: [instance, ip, lambda, alb]");
    }
    const bool lambda = tg.target_type == "lambda";
    if (lambda) {
      if (req.protocol) return VErr("Protocol cannot be specified for target groups with target type 'lambda'");
      if (req.port) return VErr("Port cannot be specified for target groups with target type 'lambda'");
      if (req.vpc_id) return VErr("VPC ID cannot be specified for target groups with target type 'lambda'");
      tg.health_check_enabled = req.health_check_enabled.value_or(false);
      tg.health_check_interval_seconds = req.health_check_interval_seconds.value_or(35);
      tg.health_check_timeout_seconds = req.health_check_timeout_seconds.value_or(30);
      tg.healthy_threshold_count = req.healthy_threshold_count.value_or(5);
      tg.unhealthy_threshold_count = req.unhealthy_threshold_count.value_or(5);
      tg.health_check_path = req.health_check_path.value_or("/");
      tg.health_check_protocol = req.health_check_protocol;
      tg.matcher = req.matcher.value_or(m::Matcher{"200", std::nullopt});
    } else {
      if (!req.protocol) return VErr("A protocol must be specified");
      static const std::set<std::string> kProtocols = {"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"};
      if (!kProtocols.count(*req.protocol)) {
        return RangeError(*req.protocol, "protocol",
                          "Member must satisfy enum value set: [HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE]");
      }
      if (!req.port) return VErr("A port must be specified");
      if (*req.port < 1 || *req.port > 65535) {
        return RangeError(std::to_string(*req.port), "port", "Member must have value between 1 and 65535");
      }
      if (!req.vpc_id) return VErr("A VPC ID must be specified");
      if (!s_->ec2.VpcForSim(*req.vpc_id)) return VErr("The VPC ID '" + *req.vpc_id + "' is not found");
      tg.protocol = req.protocol;
      tg.port = req.port;
      tg.vpc_id = req.vpc_id;
      const bool http = *req.protocol == "HTTP" || *req.protocol == "HTTPS";
      if (req.protocol_version) {
        if (!http) return VErr("Protocol version can only be specified for HTTP and HTTPS target groups");
        if (*req.protocol_version != "HTTP1" && *req.protocol_version != "HTTP2" && *req.protocol_version != "GRPC") {
          return VErr("Protocol version '" + *req.protocol_version + "' is not valid");
        }
      }
      if (http) tg.protocol_version = req.protocol_version.value_or("HTTP1");
      if (req.health_check_enabled && !*req.health_check_enabled) {
        return VErr("Health checks cannot be disabled for target groups with target type '" + tg.target_type + "'");
      }
      tg.health_check_enabled = true;
      tg.health_check_protocol = req.health_check_protocol.value_or(http ? "HTTP" : "TCP");
      tg.health_check_port = req.health_check_port.value_or("traffic-port");
      const bool grpc = tg.protocol_version == "GRPC";
      if (http) tg.health_check_path = req.health_check_path.value_or(grpc ? "/AWS.ALB/healthcheck" : "/");
      tg.health_check_interval_seconds = req.health_check_interval_seconds.value_or(30);
      tg.health_check_timeout_seconds = req.health_check_timeout_seconds.value_or(5);
      tg.healthy_threshold_count = req.healthy_threshold_count.value_or(5);
      tg.unhealthy_threshold_count = req.unhealthy_threshold_count.value_or(2);
      if (http) {
        tg.matcher = req.matcher.value_or(grpc ? m::Matcher{std::nullopt, "12"} : m::Matcher{"200", std::nullopt});
      }
      tg.ip_address_type = req.ip_address_type.value_or("ipv4");
      if (*tg.ip_address_type != "ipv4" && *tg.ip_address_type != "ipv6") {
        return RangeError(*tg.ip_address_type, "ipAddressType", "Member must satisfy enum value set: [ipv4, ipv6]");
      }
      if (*tg.ip_address_type == "ipv6" && tg.target_type != "ip") {
        return VErr("IPv6 target groups support only targets of type 'ip'");
      }
    }
    tg.target_control_port = req.target_control_port;  // TargetControlPort, as given
    SIM_RETURN_IF_ERROR(CheckHealthCheck(tg));
    SIM_ASSIGN_OR_RETURN(auto tags, MergeTags({}, req.tags, s_->options.quotas.tags_per_resource));

    auto existing = s_->tg_by_name.find(req.name);
    if (existing != s_->tg_by_name.end()) {
      const State::TgRec& rec = s_->tgs.at(existing->second);
      m::TargetGroup cmp = tg;
      cmp.target_group_arn = rec.tg.target_group_arn;
      if (cmp == rec.tg) return s_->RenderTg(rec);
      return AwsError("DuplicateTargetGroupName",
                      "A target group with the same name '" + req.name + "' exists, but with different settings");
    }
    if (static_cast<int64_t>(s_->tgs.size()) >= s_->options.quotas.target_groups) {
      return AwsError("TooManyTargetGroups",
                      "You've reached the limit on the number of target groups for your Amazon Web Services account.");
    }
    tg.target_group_arn = s_->ArnPrefix() + "targetgroup/" + req.name + "/" + s_->rng.Hex(16);
    State::TgRec rec;
    rec.tg = tg;
    rec.attributes = DefaultTgAttributes(tg.target_type);
    rec.tags = std::move(tags);
    s_->tg_by_name[req.name] = tg.target_group_arn;
    auto [it, inserted] = s_->tgs.emplace(tg.target_group_arn, std::move(rec));
    s_->TgChanged(tg.target_group_arn);
    return s_->RenderTg(it->second);
  });
}

Result<m::TargetGroup> FakeElbv2::ModifyTargetGroup(const CallContext& ctx, const ModifyTargetGroupRequest& req) {
  return s_->Serve(ctx, "ModifyTargetGroup", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "ModifyTargetGroup", req.target_group_arn); },
                   [&]() -> Result<m::TargetGroup> {
    auto it = s_->tgs.find(req.target_group_arn);
    if (it == s_->tgs.end()) return TgNotFound();
    m::TargetGroup tg = it->second.tg;
    if (req.health_check_protocol) tg.health_check_protocol = req.health_check_protocol;
    if (req.health_check_port) tg.health_check_port = req.health_check_port;
    if (req.health_check_path) tg.health_check_path = req.health_check_path;
    if (req.health_check_enabled) {
      if (!*req.health_check_enabled && tg.target_type != "lambda") {
        return VErr("Health checks cannot be disabled for target groups with target type '" + tg.target_type + "'");
      }
      tg.health_check_enabled = *req.health_check_enabled;
    }
    if (req.health_check_interval_seconds) tg.health_check_interval_seconds = *req.health_check_interval_seconds;
    if (req.health_check_timeout_seconds) tg.health_check_timeout_seconds = *req.health_check_timeout_seconds;
    if (req.healthy_threshold_count) tg.healthy_threshold_count = *req.healthy_threshold_count;
    if (req.unhealthy_threshold_count) tg.unhealthy_threshold_count = *req.unhealthy_threshold_count;
    if (req.matcher) tg.matcher = req.matcher;
    SIM_RETURN_IF_ERROR(CheckHealthCheck(tg));
    it->second.tg = tg;
    it->second.shared.reset();
    s_->TgChanged(it->first);
    State::Touch(it->second);
    s_->ObserveAllOf(it->second);
    return s_->RenderTg(it->second);
  });
}

Status FakeElbv2::DeleteTargetGroup(const CallContext& ctx, const std::string& arn) {
  return s_->Serve(ctx, "DeleteTargetGroup", [&] { return SingleMemberJson("TargetGroupArn", arn); },
                   [&] { return s_->AzOn(ctx, "DeleteTargetGroup", arn); },
                   [&]() -> Status {
    auto it = s_->tgs.find(arn);
    if (it == s_->tgs.end()) return AwsError("TargetGroupNotFound", "Target group '" + arn + "' not found");
    if (!it->second.refs.empty()) {
      return AwsError("ResourceInUse", "Target group '" + arn + "' is currently in use by a listener or a rule");
    }
    s_->tg_by_name.erase(it->second.tg.target_group_name);
    s_->TgChanged(arn);
    s_->tgs.erase(it);
    return OkStatus();
  });
}

Result<std::vector<m::TargetGroup>> FakeElbv2::DescribeTargetGroups(const CallContext& ctx,
                                                                    const DescribeTargetGroupsRequest& req) {
  return s_->Serve(ctx, "DescribeTargetGroups", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeTargetGroups"); },
                   [&]() -> Result<std::vector<m::TargetGroup>> {
    int selectors = (req.load_balancer_arn.empty() ? 0 : 1) + (req.target_group_arns.empty() ? 0 : 1) +
                    (req.names.empty() ? 0 : 1);
    if (selectors > 1) {
      return VErr("Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same "
                  "time");
    }
    std::vector<m::TargetGroup> out;
    if (!req.target_group_arns.empty()) {
      for (const std::string& arn : req.target_group_arns) {
        auto it = s_->tgs.find(arn);
        if (it == s_->tgs.end()) return TgNotFound();
        out.push_back(s_->RenderTg(it->second));
      }
      return out;
    }
    if (!req.names.empty()) {
      for (const std::string& name : req.names) {
        auto it = s_->tg_by_name.find(name);
        if (it == s_->tg_by_name.end()) return TgNotFound();
        out.push_back(s_->RenderTg(s_->tgs.at(it->second)));
      }
      return out;
    }
    if (!req.load_balancer_arn.empty() && !s_->lbs.count(req.load_balancer_arn)) return LbNotFound();
    for (const auto& [arn, rec] : s_->tgs) {
      if (!req.load_balancer_arn.empty()) {
        bool used = false;
        for (const auto& [key, lb] : rec.refs) used = used || lb == req.load_balancer_arn;
        if (!used) continue;
      }
      out.push_back(s_->RenderTg(rec));
    }
    return out;
  });
}

Result<std::vector<m::Attribute>> FakeElbv2::DescribeTargetGroupAttributes(const CallContext& ctx,
                                                                           const std::string& arn) {
  return s_->Serve(ctx, "DescribeTargetGroupAttributes", [&] { return SingleMemberJson("TargetGroupArn", arn); },
                   [&] { return s_->AzStar(ctx, "DescribeTargetGroupAttributes"); },
                   [&]() -> Result<std::vector<m::Attribute>> {
    auto it = s_->tgs.find(arn);
    if (it == s_->tgs.end()) return TgNotFound();
    return AttrVector(it->second.attributes);
  });
}

Result<std::vector<m::Attribute>> FakeElbv2::ModifyTargetGroupAttributes(
    const CallContext& ctx, const ModifyTargetGroupAttributesRequest& req) {
  return s_->Serve(ctx, "ModifyTargetGroupAttributes", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "ModifyTargetGroupAttributes", req.target_group_arn); },
                   [&]() -> Result<std::vector<m::Attribute>> {
    auto it = s_->tgs.find(req.target_group_arn);
    if (it == s_->tgs.end()) return TgNotFound();
    for (const m::Attribute& a : req.attributes) {
      if (!it->second.attributes.count(a.key)) {
        return AwsError("InvalidConfigurationRequest", "Target group attribute key '" + a.key + "' is not recognized");
      }
      SIM_RETURN_IF_ERROR(CheckTgAttribute(a.key, a.value, it->second.tg.target_type));
    }
    for (const m::Attribute& a : req.attributes) it->second.attributes[a.key] = a.value;
    return AttrVector(it->second.attributes);
  });
}

// --- Targets --------------------------------------------------------------------------------------

namespace {
bool IsPrivateOrCgnat(uint32_t ip) {
  return (ip >> 24) == 10 || (ip >> 20) == ((172u << 4) | 1) || (ip >> 16) == ((192u << 8) | 168) ||
         (ip >> 22) == ((100u << 2) | 1);  // 100.64.0.0/10
}
}  // namespace

Status FakeElbv2::RegisterTargets(const CallContext& ctx, const TargetsRequest& req) {
  return s_->Serve(ctx, "RegisterTargets", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "RegisterTargets", req.target_group_arn); },
                   [&]() -> Status {
    auto it = s_->tgs.find(req.target_group_arn);
    if (it == s_->tgs.end()) return TgNotFound();
    State::TgRec& tg = it->second;
    if (req.targets.empty()) return VErr("At least one target must be specified");
    s_->PurgeDrained(tg);
    std::vector<m::TargetDescription> resolved;
    resolved.reserve(req.targets.size());
    std::vector<std::string> not_running, invalid;
    for (const m::TargetDescription& t : req.targets) {
      m::TargetDescription& d = resolved.emplace_back(t);  // dropped again below when invalid
      if (tg.tg.target_type != "lambda") {
        if (!d.port) d.port = tg.tg.port;
        if (!d.port || *d.port < 1 || *d.port > 65535) {
          return RangeError(std::to_string(d.port.value_or(0)), "targets.member.port",
                            "Member must have value between 1 and 65535");
        }
      }
      if (tg.tg.target_type == "instance") {
        if (d.availability_zone) {
          return VErr("You cannot specify an Availability Zone for targets of type 'instance'");
        }
        if (d.id.rfind("i-", 0) != 0) {
          invalid.push_back(d.id);
        } else if (s_->options.validate_instance_targets) {
          const m::Instance* inst = s_->ec2.FindInstanceForSim(d.id);
          if (!inst || (tg.tg.vpc_id && inst->vpc_id != *tg.tg.vpc_id)) {
            invalid.push_back(d.id);
          } else if (inst->state != "running") {
            not_running.push_back(d.id);
          }
        }
      } else if (tg.tg.target_type == "ip") {
        uint32_t ip = 0;
        if (!ParseIpv4(d.id, &ip)) {
          if (CanonicalCidr6(d.id + "/128").empty()) {
            invalid.push_back(d.id);
            resolved.pop_back();
            continue;
          }
        } else {
          if (!IsPrivateOrCgnat(ip)) {
            return AwsError("InvalidTarget", "The IP address '" + d.id +
                                                 "' is not a valid IP address for target registration: only private "
                                                 "addresses (RFC 1918, RFC 6598) can be registered");
          }
          const bool in_vpc = tg.tg.vpc_id && s_->ec2.VpcContainsIpForSim(*tg.tg.vpc_id, d.id);
          if (!in_vpc && !d.availability_zone) {
            return VErr("The IP address '" + d.id +
                        "' is outside of the VPC of the target group; you must specify an Availability Zone "
                        "('all' or an Availability Zone of the VPC)");
          }
        }
      }
    }
    if (!invalid.empty()) {
      std::string list;
      for (const std::string& id : invalid) list += (list.empty() ? "'" : ", '") + id + "'";
      return AwsError("InvalidTarget", "The following targets are invalid: " + list);
    }
    if (!not_running.empty()) {
      std::string list;
      for (const std::string& id : not_running) list += (list.empty() ? "'" : ", '") + id + "'";
      return AwsError("InvalidTarget",
                      "The following targets are not in a running state and cannot be registered: " + list);
    }
    // Each target's (Id, Port) key, viewing the request's ids (`resolved` only adds ports), since
    // `resolved` gives its descriptions to the new records below. The two are aligned: `resolved`
    // drops only invalid targets, and those returned InvalidTarget above.
    SIM_CHECK(resolved.size() == req.targets.size()) << "RegisterTargets: resolved targets out of step with the request";
    std::vector<std::pair<std::string_view, int>> keys;
    keys.reserve(resolved.size());
    for (size_t i = 0; i < resolved.size(); ++i) keys.emplace_back(req.targets[i].id, resolved[i].port.value_or(0));
    std::vector<size_t> fresh;  // indexes of targets not registered (duplicates included)
    std::vector<State::TargetTable::iterator> registered;  // the registered ones asked for (valid until the merge)
    for (size_t i = 0; i < resolved.size(); ++i) {
      auto tit = tg.targets.find(State::TargetRef{keys[i].first, keys[i].second});
      if (tit == tg.targets.end()) {
        fresh.push_back(i);
      } else {
        registered.push_back(tit);
      }
    }
    std::vector<size_t> new_keys = fresh;  // the first of each key not registered yet, in key order
    StableSortUnlessSorted(new_keys.begin(), new_keys.end(), [&](size_t x, size_t y) { return keys[x] < keys[y]; });
    new_keys.erase(
        std::unique(new_keys.begin(), new_keys.end(), [&](size_t x, size_t y) { return keys[x] == keys[y]; }),
        new_keys.end());
    if (tg.tg.target_type == "lambda" && tg.targets.size() + new_keys.size() > 1) {
      return AwsError("TooManyTargets", "You've reached the limit on the number of targets.");
    }
    if (static_cast<int64_t>(tg.targets.size() + new_keys.size()) > s_->options.quotas.targets_per_target_group) {
      return AwsError("TooManyTargets", "You've reached the limit on the number of targets.");
    }
    std::set<std::string> lb_arns;
    for (const auto& [key, lb] : tg.refs) lb_arns.insert(lb);
    for (const std::string& lb_arn : lb_arns) {
      int64_t total = static_cast<int64_t>(new_keys.size());
      auto by_tg = s_->tg_refs_by_lb.find(lb_arn);
      if (by_tg != s_->tg_refs_by_lb.end()) {
        for (const auto& [arn, n] : by_tg->second) {
          auto tg_it = s_->tgs.find(arn);
          if (tg_it != s_->tgs.end()) total += static_cast<int64_t>(s_->LiveTargetCount(tg_it->second));
        }
      }
      if (total > s_->options.quotas.targets_per_application_load_balancer) {
        return AwsError("TooManyTargets", "You've reached the limit on the number of targets.");
      }
    }
    const SimTime now = s_->clock.Now();
    State::Touch(tg);
    // Registered ones that drain come back; the new ones are added together, then observed in
    // request order.
    for (State::TargetTable::iterator tit : registered) {
      if (!tit->draining) continue;  // (also a duplicate of one brought back just before)
      tit->draining = false;
      --tg.draining;
      tit->registered_at = now;
      tit->sim_health.reset();
      s_->ObserveIfEligible(tg, *tit);
    }
    if (new_keys.empty()) return OkStatus();
    std::vector<bool> first(resolved.size(), false);
    std::vector<State::TargetRec> recs(new_keys.size());
    for (size_t k = 0; k < new_keys.size(); ++k) {
      first[new_keys[k]] = true;
      recs[k].registered_at = now;
      recs[k].target = std::move(resolved[new_keys[k]]);
    }
    tg.targets.Merge(std::move(recs));
    for (size_t i : fresh) {
      if (first[i]) s_->ObserveIfEligible(tg, *tg.targets.find(State::TargetRef{keys[i].first, keys[i].second}));
    }
    return OkStatus();
  });
}

Status FakeElbv2::DeregisterTargets(const CallContext& ctx, const TargetsRequest& req) {
  return s_->Serve(ctx, "DeregisterTargets", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "DeregisterTargets", req.target_group_arn); },
                   [&]() -> Status {
    auto it = s_->tgs.find(req.target_group_arn);
    if (it == s_->tgs.end()) return TgNotFound();
    State::TgRec& tg = it->second;
    if (req.targets.empty()) return VErr("At least one target must be specified");
    s_->PurgeDrained(tg);
    const std::string& delay_text = tg.attributes["deregistration_delay.timeout_seconds"];
    const int64_t delay = IsDigits(delay_text) ? std::stoll(delay_text) : 0;
    const SimTime now = s_->clock.Now();
    State::Touch(tg);
    // Removed at once (no delay, or the TG is not in use) or draining until the delay has passed.
    const bool at_once = delay == 0 || !tg.in_use_since;
    bool removed = false;
    for (const m::TargetDescription& t : req.targets) {
      int port = t.port ? *t.port : tg.tg.port.value_or(0);
      auto tit = tg.targets.find(State::TargetRef{t.id, port});
      if (tit == tg.targets.end() || tit->draining) continue;
      if (at_once) {
        // Marked as draining until now, then purged below with the others (PurgeDrained left none).
        tit->draining_until = now;
        removed = true;
      } else {
        tit->draining_until = now + std::chrono::seconds(delay);
      }
      tit->draining = true;
      ++tg.draining;
    }
    if (removed) s_->PurgeDrained(tg);
    return OkStatus();
  });
}

Result<std::vector<m::TargetHealthDescription>> FakeElbv2::DescribeTargetHealth(
    const CallContext& ctx, const DescribeTargetHealthRequest& req) {
  return s_->Serve(ctx, "DescribeTargetHealth", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeTargetHealth"); },
                   [&]() -> Result<std::vector<m::TargetHealthDescription>> {
    auto it = s_->tgs.find(req.target_group_arn);
    if (it == s_->tgs.end()) return TgNotFound();
    const State::TgRec& tg = it->second;
    std::vector<m::TargetHealthDescription> out;
    if (req.targets.empty()) {
      for (const State::TargetRec& t : tg.targets) {
        if (s_->TargetGone(t)) continue;
        out.push_back(m::TargetHealthDescription{t.target, s_->HealthCheckPortOf(tg, t), s_->HealthOf(tg, t)});
      }
      return out;
    }
    for (const m::TargetDescription& want : req.targets) {
      int port = want.port ? *want.port : tg.tg.port.value_or(0);
      auto tit = tg.targets.find(State::TargetRef{want.id, port});
      if (tit == tg.targets.end() || s_->TargetGone(*tit)) {
        m::TargetDescription d = want;
        if (tg.tg.port && !d.port) d.port = tg.tg.port;
        State::TargetRec phantom;
        phantom.target = d;
        out.push_back(m::TargetHealthDescription{
            d, s_->HealthCheckPortOf(tg, phantom),
            m::TargetHealth{m::kTargetStateUnused, "Target.NotRegistered", "Target is not registered to the target group"}});
        continue;
      }
      out.push_back(m::TargetHealthDescription{tit->target, s_->HealthCheckPortOf(tg, *tit),
                                               s_->HealthOf(tg, *tit)});
    }
    return out;
  });
}

// --- Tags -----------------------------------------------------------------------------------------

Status FakeElbv2::AddTags(const CallContext& ctx, const AddTagsRequest& req) {
  return s_->Serve(ctx, "AddTags", [&] { return RequestJson(req); },
                   [&] { return s_->AzTags(ctx, "AddTags", req.resource_arns, &req.tags, nullptr); },
                   [&]() -> Status {
    if (req.resource_arns.empty()) return VErr("At least one resource ARN must be specified");
    if (req.tags.empty()) return VErr("At least one tag must be specified");
    std::vector<std::pair<std::map<std::string, std::string>*, std::map<std::string, std::string>>> updates;
    for (const std::string& arn : req.resource_arns) {
      SIM_ASSIGN_OR_RETURN(TagMap* tags, s_->TagsOf(arn));
      SIM_ASSIGN_OR_RETURN(auto merged, MergeTags(*tags, req.tags, s_->options.quotas.tags_per_resource));
      updates.emplace_back(tags, std::move(merged));
    }
    for (auto& [tags, merged] : updates) *tags = std::move(merged);
    return OkStatus();
  });
}

Status FakeElbv2::RemoveTags(const CallContext& ctx, const RemoveTagsRequest& req) {
  return s_->Serve(ctx, "RemoveTags", [&] { return RequestJson(req); },
                   [&] { return s_->AzTags(ctx, "RemoveTags", req.resource_arns, nullptr, &req.tag_keys); },
                   [&]() -> Status {
    if (req.resource_arns.empty()) return VErr("At least one resource ARN must be specified");
    std::vector<std::map<std::string, std::string>*> targets;
    for (const std::string& arn : req.resource_arns) {
      SIM_ASSIGN_OR_RETURN(TagMap* tags, s_->TagsOf(arn));
      targets.push_back(tags);
    }
    for (auto* tags : targets) {
      for (const std::string& k : req.tag_keys) tags->erase(k);
    }
    return OkStatus();
  });
}

Result<std::vector<m::TagDescription>> FakeElbv2::DescribeTags(const CallContext& ctx, const DescribeTagsRequest& req) {
  return s_->Serve(ctx, "DescribeTags", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeTags"); },
                   [&]() -> Result<std::vector<m::TagDescription>> {
    if (req.resource_arns.empty()) {
      return RangeError("[]", "resourceArns", "Member must have length greater than or equal to 1");
    }
    if (req.resource_arns.size() > 20) {
      return RangeError("[...]", "resourceArns", "Member must have length less than or equal to 20");
    }
    std::vector<m::TagDescription> out;
    out.reserve(req.resource_arns.size());
    for (const std::string& arn : req.resource_arns) {
      SIM_ASSIGN_OR_RETURN(TagMap* tags, s_->TagsOf(arn));
      out.push_back(m::TagDescription{arn, TagVector(*tags)});
    }
    return out;
  });
}

// --- Simulator side -------------------------------------------------------------------------------

Status FakeElbv2::SetTargetHealthForSim(const std::string& tg_arn, const m::TargetDescription& target,
                                        const std::string& state, const std::string& reason,
                                        const std::string& description) {
  static const std::set<std::string> kStates = {"initial", "healthy", "unhealthy", "unused", "draining",
                                                "unavailable"};
  if (!kStates.count(state)) return MakeError(ErrorCode::kInvalidArgument, "unknown target health state " + state);
  auto it = s_->tgs.find(tg_arn);
  if (it == s_->tgs.end()) return TgNotFound();
  int port = target.port ? *target.port : it->second.tg.port.value_or(0);
  auto tit = it->second.targets.find(State::TargetRef{target.id, port});
  if (tit == it->second.targets.end()) {
    return MakeError(ErrorCode::kNotFound, "target " + target.id + ":" + std::to_string(port) +
                                               " is not registered in " + tg_arn);
  }
  tit->sim_health = std::make_unique<m::TargetHealth>(m::TargetHealth{state, reason, description});
  State::Touch(it->second);
  return OkStatus();
}

std::vector<SimTarget> FakeElbv2::TargetsForSim(const std::string& tg_arn) const {
  std::vector<SimTarget> out;
  auto it = s_->tgs.find(tg_arn);
  if (it == s_->tgs.end()) return out;
  for (const State::TargetRec& t : it->second.targets) {
    if (s_->TargetGone(t)) continue;
    out.push_back(SimTarget{t.target, s_->HealthOf(it->second, t), t.registered_at});
  }
  return out;
}

std::optional<m::LoadBalancer> FakeElbv2::LoadBalancerForSim(const std::string& arn) const {
  auto it = s_->lbs.find(arn);
  if (it == s_->lbs.end()) return std::nullopt;
  return s_->RenderLb(it->second);
}

std::optional<m::LoadBalancer> FakeElbv2::LoadBalancerByDnsNameForSim(const std::string& dns_name) const {
  for (const auto& [dns, arn] : s_->lb_by_dns) {
    if (EqualsIgnoreCase(dns, dns_name)) return s_->RenderLb(s_->lbs.at(arn));
  }
  return std::nullopt;
}

std::vector<m::Listener> FakeElbv2::ListenersForSim(const std::string& lb_arn) const {
  std::vector<m::Listener> out;
  for (const std::string& arn : s_->ListenersOfLbByPort(lb_arn)) out.push_back(s_->RenderListener(s_->listeners.at(arn)));
  return out;
}

std::vector<m::Rule> FakeElbv2::RulesForSim(const std::string& listener_arn) const {
  auto it = s_->listeners.find(listener_arn);
  if (it == s_->listeners.end()) return {};
  return s_->RulesOfListener(it->second);
}

std::optional<m::TargetGroup> FakeElbv2::TargetGroupForSim(const std::string& arn) const {
  auto it = s_->tgs.find(arn);
  if (it == s_->tgs.end()) return std::nullopt;
  return s_->RenderTg(it->second);
}

std::string FakeElbv2::LoadBalancerAttributeForSim(const std::string& arn, const std::string& key) const {
  auto it = s_->lbs.find(arn);
  if (it == s_->lbs.end()) return "";
  auto a = it->second.attributes.find(key);
  return a == it->second.attributes.end() ? "" : a->second;
}

std::string FakeElbv2::TargetGroupAttributeForSim(const std::string& arn, const std::string& key) const {
  auto it = s_->tgs.find(arn);
  if (it == s_->tgs.end()) return "";
  auto a = it->second.attributes.find(key);
  return a == it->second.attributes.end() ? "" : a->second;
}

bool FakeElbv2::IsSecurityGroupInUse(const std::string& group_id) const {
  auto released = s_->sg_released_at.find(group_id);
  if (released != s_->sg_released_at.end() && s_->clock.Now() < released->second) return true;
  for (const auto& [arn, rec] : s_->lbs) {
    for (const std::string& sg : rec.lb.security_groups) {
      if (sg == group_id) return true;
    }
  }
  return false;
}

void FakeElbv2::SetHealthProbeForSim(HealthProbeFn probe) {
  s_->health_engine.SetProbe(std::move(probe));
  for (const auto& [arn, tg] : s_->tgs) State::Touch(tg);
}

void FakeElbv2::ObserveTargetHealthForSim(const std::vector<HealthTargetRef>& targets) {
  // A TG's targets mostly come together (the probe's order): one TG lookup per run of the same ARN.
  auto tg = s_->tgs.end();
  for (const HealthTargetRef& ref : targets) {
    if (tg == s_->tgs.end() || tg->first != ref.target_group_arn) tg = s_->tgs.find(ref.target_group_arn);
    if (tg == s_->tgs.end()) continue;
    auto t = tg->second.targets.find(State::TargetRef{ref.id, ref.port});
    if (t != tg->second.targets.end()) s_->ObserveIfEligible(tg->second, *t);
  }
}

std::optional<SimTime> FakeElbv2::NextTransitionForSim() const {
  const SimTime now = s_->clock.Now();
  std::optional<SimTime> next;
  auto consider = [&](SimTime t) {
    if (t > now && (!next || t < *next)) next = t;
  };
  for (const auto& [arn, rec] : s_->lbs) consider(rec.lb.created_time + s_->options.provisioning_delay);
  for (const auto& [arn, tg] : s_->tgs) {
    if (!tg.next_valid || now < tg.next_at || (tg.next && now >= *tg.next)) {
      tg.next = s_->NextTransitionOf(tg, now);
      tg.next_at = now;
      tg.next_valid = true;
    }
    if (tg.next) consider(*tg.next);
  }
  return next;
}

std::map<std::string, SortedKeys> FakeElbv2::TargetKeysForSim() const {
  std::map<std::string, SortedKeys> out;
  std::string k;
  for (const auto& [arn, rec] : s_->tgs) {
    SortedKeys& keys = out[arn];
    for (const State::TargetRec& t : rec.targets) {
      if (s_->TargetGone(t)) continue;
      k.assign(t.target.id).push_back(':');
      AppendDecimal(&k, t.target.port.value_or(0));
      keys.Add(k);
    }
    keys.Sort();
  }
  return out;
}

Elbv2Snapshot FakeElbv2::Snapshot(Elbv2SnapshotParts parts) const {
  Elbv2Snapshot snap;
  const bool extras = parts.tags_and_attributes;
  for (const auto& [arn, rec] : s_->lbs) {
    snap.load_balancers.push_back(s_->RenderLb(rec));
    if (extras && !rec.tags.empty()) snap.tags[arn] = TagVector(rec.tags);
    if (extras) snap.load_balancer_attributes[arn] = AttrVector(rec.attributes);
    for (const std::string& larn : s_->ListenersOfLbByPort(arn)) {
      const State::ListenerRec& l = s_->listeners.at(larn);
      snap.listeners.push_back(s_->RenderListener(l));
      if (extras && !l.tags.empty()) snap.tags[larn] = TagVector(l.tags);
      for (const m::Rule& r : s_->RulesOfListener(l)) {
        snap.rules.push_back(r);
        if (!extras) continue;
        const State::RuleRec& rr = s_->rules.at(r.rule_arn);
        if (!rr.tags.empty()) snap.tags[r.rule_arn] = TagVector(rr.tags);
      }
    }
  }
  for (const auto& [arn, rec] : s_->tgs) {
    snap.target_groups.push_back(s_->RenderTg(rec));
    if (extras && !rec.tags.empty()) snap.tags[arn] = TagVector(rec.tags);
    if (extras) snap.target_group_attributes[arn] = AttrVector(rec.attributes);
    if (!parts.targets) continue;
    std::vector<m::TargetHealthDescription>& th = snap.target_health[arn];
    for (const State::TargetRec& t : rec.targets) {
      if (s_->TargetGone(t)) continue;
      th.push_back(m::TargetHealthDescription{t.target, s_->HealthCheckPortOf(rec, t), s_->HealthOf(rec, t)});
    }
  }
  return snap;
}

size_t FakeElbv2::load_balancer_count() const { return s_->lbs.size(); }
size_t FakeElbv2::target_group_count() const { return s_->tgs.size(); }
size_t FakeElbv2::listener_count() const { return s_->listeners.size(); }
size_t FakeElbv2::rule_count(bool include_default) const {
  size_t n = 0;
  for (const auto& [arn, r] : s_->rules) n += (include_default || !r.rule.is_default) ? 1 : 0;
  return n;
}

}  // namespace sim::aws
