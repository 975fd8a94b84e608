// Decoders / encoders of the deploy corpus' value encoding (deploy/README.md "Value encoding"):
// AWS SDK structs keyed by AWS member names, stack-model resources keyed by their json tags.
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "sim/conformance/deploy_internal.h"

namespace sim::conformance::deploy {

namespace ma = sim::model::aws;
namespace ms = sim::model::stack;
namespace sc = sim::controller;

// --- JSON access -----------------------------------------------------------------------------

const Json& At(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::optional<std::string> OptStr(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  return std::nullopt;
}
std::string Str(const Json& j) { return j.is_string() ? j.get<std::string>() : std::string(); }
std::optional<int32_t> OptInt(const Json& j) {
  if (j.is_number()) return j.get<int32_t>();
  return std::nullopt;
}
std::optional<bool> OptBool(const Json& j) {
  if (j.is_boolean()) return j.get<bool>();
  return std::nullopt;
}
std::vector<std::string> StrList(const Json& j) {
  std::vector<std::string> out;
  if (j.is_array()) {
    for (const auto& e : j) out.push_back(Str(e));
  }
  return out;
}

const Json& ArgPath(const Json& c, const std::string& path) {
  static const Json kNull;
  const Json* cur = &c;
  std::stringstream ss(path);
  std::string part;
  while (std::getline(ss, part, '.')) {
    if (!cur->is_object() || !cur->contains(part)) return kNull;
    cur = &cur->at(part);
  }
  return *cur;
}

const Json& CallArg(const Json& c, size_t i) {
  static const Json kNull;
  const Json& args = At(At(c, "unit"), "callArgs");
  std::vector<const Json*> real;
  for (const auto& a : args) {
    if (a.is_string() && a.get<std::string>() == "ctx") continue;
    real.push_back(&a);
  }
  if (i >= real.size()) return kNull;
  if (real[i]->is_string()) {
    std::string path = real[i]->get<std::string>();
    auto sp = path.find(' ');  // "inputs.args.tagFilters (variadic: ...)"
    if (sp != std::string::npos) path = path.substr(0, sp);
    return ArgPath(c, path);
  }
  if (real[i]->is_object() && real[i]->contains("builtInBody")) return At(*real[i], "value");
  return *real[i];
}

const Json& BuiltIn(const Json& c, const std::string& name) {
  static const Json kNull;
  for (const auto& a : At(At(c, "unit"), "callArgs")) {
    if (a.is_object() && Str(At(a, "builtInBody")) == name) return At(a, "value");
  }
  return kNull;
}

Error ErrorLiteral(const Json& e) {
  Error err;
  err.message = Str(At(e, "message"));
  err.aws_code = Str(At(e, "apiErrorCode"));
  if (err.aws_code.empty()) {
    const std::string marker = "api error ";
    auto pos = err.message.find(marker);
    if (pos != std::string::npos) {
      auto start = pos + marker.size();
      auto colon = err.message.find(':', start);
      if (colon != std::string::npos) err.aws_code = err.message.substr(start, colon - start);
    }
  }
  return err;
}

Error ErrorArg(const Json& j) { return ErrorLiteral(At(j, "error")); }

std::string StrictDiff(const Json& e, const Json& g, const std::string& path) {
  auto shorten = [](const Json& j) {
    std::string s = j.dump();
    return s.size() > 300 ? s.substr(0, 300) + "..." : s;
  };
  if (e.is_number() && g.is_number()) {
    return e.get<double>() == g.get<double>() ? "" : path + ": expected " + shorten(e) + " got " + shorten(g);
  }
  if (e.type() != g.type()) return path + ": expected " + shorten(e) + " got " + shorten(g);
  if (e.is_object()) {
    for (auto it = e.begin(); it != e.end(); ++it) {
      if (!g.contains(it.key())) return path + "." + it.key() + ": expected " + shorten(it.value()) + " got <absent>";
      std::string d = StrictDiff(it.value(), g.at(it.key()), path + "." + it.key());
      if (!d.empty()) return d;
    }
    for (auto it = g.begin(); it != g.end(); ++it) {
      if (!e.contains(it.key())) return path + "." + it.key() + ": expected <absent> got " + shorten(it.value());
    }
    return "";
  }
  if (e.is_array()) {
    if (e.size() != g.size()) return path + ": expected " + shorten(e) + " got " + shorten(g);
    for (size_t i = 0; i < e.size(); ++i) {
      std::string d = StrictDiff(e[i], g[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  return e == g ? "" : path + ": expected " + shorten(e) + " got " + shorten(g);
}

std::string WantKey(const Json& c) {
  const Json& e = At(c, "expect");
  if (e.contains("want")) return "want";
  if (e.contains("result")) return "result";
  return "want";
}

sc::DeployFeatureGates GatesArg(const Json& c) {
  sc::DeployFeatureGates g;
  auto apply = [&g](const Json& v) {
    for (const char* section : {"overrides", "relevant"}) {
      const Json& m = At(v, section);
      if (!m.is_object()) continue;
      for (auto it = m.begin(); it != m.end(); ++it) {
        if (!it.value().is_boolean()) continue;
        bool b = it.value().get<bool>();
        if (it.key() == "NLBHealthCheckAdvancedConfig") g.nlb_health_check_advanced_config = b;
        if (it.key() == "WeightedTargetGroups") g.weighted_target_groups = b;
        if (it.key() == "ListenerRulesTagging") g.listener_rules_tagging = b;
        if (it.key() == "LBCapacityReservation") g.lb_capacity_reservation = b;
        if (it.key() == "EnhancedDefaultBehavior") g.enhanced_default_behavior = b;
      }
    }
  };
  for (const auto& a : At(At(c, "unit"), "callArgs")) {
    if (a.is_object() && Str(At(a, "builtInBody")) == "featureGates") apply(At(a, "value"));
  }
  apply(At(At(At(At(c, "unit"), "receiver"), "fields"), "featureGates"));
  return g;
}

// --- SDK decoders --------------------------------------------------------------------------------

sc::TagMap TagMapArg(const Json& j) {
  sc::TagMap m;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) m[it.key()] = Str(it.value());
  }
  return m;
}

std::vector<ma::Tag> SDKTagsArg(const Json& j) {
  std::vector<ma::Tag> out;
  if (j.is_array()) {
    for (const auto& t : j) out.push_back(ma::Tag{Str(At(t, "Key")), Str(At(t, "Value"))});
  }
  return out;
}

namespace {

std::map<std::string, std::string> StrMapArg(const Json& j) {
  std::map<std::string, std::string> m;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) m[it.key()] = Str(it.value());
  }
  return m;
}

std::optional<int64_t> OptInt64(const Json& j) {
  if (j.is_number()) return j.get<int64_t>();
  return std::nullopt;
}

}  // namespace

ma::Action SDKActionArg(const Json& a) {
  ma::Action out;
  out.type = Str(At(a, "Type"));
  out.target_group_arn = OptStr(At(a, "TargetGroupArn"));
  out.order = OptInt(At(a, "Order"));
  if (const Json& c = At(a, "ForwardConfig"); c.is_object()) {
    ma::ForwardActionConfig f;
    for (const auto& t : At(c, "TargetGroups")) {
      f.target_groups.push_back(ma::TargetGroupTuple{Str(At(t, "TargetGroupArn")), OptInt(At(t, "Weight"))});
    }
    if (const Json& s = At(c, "TargetGroupStickinessConfig"); s.is_object()) {
      f.target_group_stickiness_config =
          ma::TargetGroupStickinessConfig{OptBool(At(s, "Enabled")), OptInt(At(s, "DurationSeconds"))};
    }
    out.forward_config = f;
  }
  if (const Json& c = At(a, "FixedResponseConfig"); c.is_object()) {
    ma::FixedResponseActionConfig f;
    f.message_body = OptStr(At(c, "MessageBody"));
    f.status_code = Str(At(c, "StatusCode"));
    f.content_type = OptStr(At(c, "ContentType"));
    out.fixed_response_config = f;
  }
  if (const Json& c = At(a, "RedirectConfig"); c.is_object()) {
    ma::RedirectActionConfig r;
    r.protocol = OptStr(At(c, "Protocol"));
    r.port = OptStr(At(c, "Port"));
    r.host = OptStr(At(c, "Host"));
    r.path = OptStr(At(c, "Path"));
    r.query = OptStr(At(c, "Query"));
    r.status_code = Str(At(c, "StatusCode"));
    out.redirect_config = r;
  }
  if (const Json& c = At(a, "AuthenticateOidcConfig"); c.is_object()) {
    ma::AuthenticateOidcActionConfig o;
    o.issuer = Str(At(c, "Issuer"));
    o.authorization_endpoint = Str(At(c, "AuthorizationEndpoint"));
    o.token_endpoint = Str(At(c, "TokenEndpoint"));
    o.user_info_endpoint = Str(At(c, "UserInfoEndpoint"));
    o.client_id = Str(At(c, "ClientId"));
    o.client_secret = OptStr(At(c, "ClientSecret"));
    o.session_cookie_name = OptStr(At(c, "SessionCookieName"));
    o.scope = OptStr(At(c, "Scope"));
    o.session_timeout = OptInt64(At(c, "SessionTimeout"));
    o.authentication_request_extra_params = StrMapArg(At(c, "AuthenticationRequestExtraParams"));
    o.on_unauthenticated_request = OptStr(At(c, "OnUnauthenticatedRequest"));
    o.use_existing_client_secret = OptBool(At(c, "UseExistingClientSecret"));
    out.authenticate_oidc_config = o;
  }
  if (const Json& c = At(a, "JwtValidationConfig"); c.is_object()) {
    ma::JwtValidationActionConfig j;
    j.jwks_endpoint = Str(At(c, "JwksEndpoint"));
    j.issuer = Str(At(c, "Issuer"));
    for (const auto& cl : At(c, "AdditionalClaims")) {
      j.additional_claims.push_back(
          ma::JwtValidationActionAdditionalClaim{Str(At(cl, "Format")), Str(At(cl, "Name")), StrList(At(cl, "Values"))});
    }
    out.jwt_validation_config = j;
  }
  if (const Json& c = At(a, "AuthenticateCognitoConfig"); c.is_object()) {
    ma::AuthenticateCognitoActionConfig o;
    o.user_pool_arn = Str(At(c, "UserPoolArn"));
    o.user_pool_client_id = Str(At(c, "UserPoolClientId"));
    o.user_pool_domain = Str(At(c, "UserPoolDomain"));
    o.session_cookie_name = OptStr(At(c, "SessionCookieName"));
    o.scope = OptStr(At(c, "Scope"));
    o.session_timeout = OptInt64(At(c, "SessionTimeout"));
    o.authentication_request_extra_params = StrMapArg(At(c, "AuthenticationRequestExtraParams"));
    o.on_unauthenticated_request = OptStr(At(c, "OnUnauthenticatedRequest"));
    out.authenticate_cognito_config = o;
  }
  return out;
}

std::vector<ma::Action> SDKActionsArg(const Json& j) {
  std::vector<ma::Action> out;
  if (j.is_array()) {
    for (const auto& a : j) out.push_back(SDKActionArg(a));
  }
  return out;
}

ma::RuleCondition SDKConditionArg(const Json& c) {
  ma::RuleCondition out;
  out.field = Str(At(c, "Field"));
  out.values = StrList(At(c, "Values"));
  if (const Json& h = At(c, "HostHeaderConfig"); h.is_object()) {
    out.host_header_config = ma::HostHeaderConditionConfig{StrList(At(h, "Values")), StrList(At(h, "RegexValues"))};
  }
  if (const Json& h = At(c, "PathPatternConfig"); h.is_object()) {
    out.path_pattern_config = ma::PathPatternConditionConfig{StrList(At(h, "Values")), StrList(At(h, "RegexValues"))};
  }
  if (const Json& h = At(c, "HttpHeaderConfig"); h.is_object()) {
    out.http_header_config = ma::HttpHeaderConditionConfig{Str(At(h, "HttpHeaderName")), StrList(At(h, "Values")),
                                                           StrList(At(h, "RegexValues"))};
  }
  if (const Json& h = At(c, "QueryStringConfig"); h.is_object()) {
    ma::QueryStringConditionConfig q;
    for (const auto& v : At(h, "Values")) {
      q.values.push_back(ma::QueryStringKeyValuePair{OptStr(At(v, "Key")), Str(At(v, "Value"))});
    }
    out.query_string_config = q;
  }
  if (const Json& h = At(c, "HttpRequestMethodConfig"); h.is_object()) {
    out.http_request_method_config = ma::HttpRequestMethodConditionConfig{StrList(At(h, "Values"))};
  }
  if (const Json& h = At(c, "SourceIpConfig"); h.is_object()) {
    out.source_ip_config = ma::SourceIpConditionConfig{StrList(At(h, "Values"))};
  }
  return out;
}

ma::RuleTransform SDKTransformArg(const Json& t) {
  ma::RuleTransform out;
  out.type = Str(At(t, "Type"));
  auto rewrites = [](const Json& cfg) {
    std::vector<ma::RewriteConfig> r;
    for (const auto& w : At(cfg, "Rewrites")) r.push_back(ma::RewriteConfig{Str(At(w, "Regex")), Str(At(w, "Replace"))});
    return r;
  };
  if (const Json& h = At(t, "HostHeaderRewriteConfig"); h.is_object()) out.host_header_rewrite_config = rewrites(h);
  if (const Json& h = At(t, "UrlRewriteConfig"); h.is_object()) out.url_rewrite_config = rewrites(h);
  return out;
}

std::vector<ma::Certificate> SDKCertificatesArg(const Json& j) {
  std::vector<ma::Certificate> out;
  if (j.is_array()) {
    for (const auto& c : j) out.push_back(ma::Certificate{Str(At(c, "CertificateArn")), OptBool(At(c, "IsDefault"))});
  }
  return out;
}

std::optional<ma::MutualAuthenticationAttributes> MutualAuthArg(const Json& j) {
  if (!j.is_object()) return std::nullopt;
  ma::MutualAuthenticationAttributes m;
  m.mode = Str(At(j, "Mode"));
  m.trust_store_arn = OptStr(At(j, "TrustStoreArn"));
  m.ignore_client_certificate_expiry = OptBool(At(j, "IgnoreClientCertificateExpiry"));
  m.trust_store_association_status = OptStr(At(j, "TrustStoreAssociationStatus"));
  m.advertise_trust_store_ca_names = OptStr(At(j, "AdvertiseTrustStoreCaNames"));
  return m;
}

ma::LoadBalancer SDKLoadBalancerArg(const Json& lb) {
  ma::LoadBalancer out;
  out.load_balancer_arn = Str(At(lb, "LoadBalancerArn"));
  out.dns_name = Str(At(lb, "DNSName"));
  out.canonical_hosted_zone_id = Str(At(lb, "CanonicalHostedZoneId"));
  out.load_balancer_name = Str(At(lb, "LoadBalancerName"));
  out.scheme = Str(At(lb, "Scheme"));
  out.vpc_id = Str(At(lb, "VpcId"));
  out.state.code = Str(At(At(lb, "State"), "Code"));
  out.state.reason = Str(At(At(lb, "State"), "Reason"));
  out.type = Str(At(lb, "Type"));
  for (const auto& az : At(lb, "AvailabilityZones")) {
    ma::AvailabilityZone z;
    z.zone_name = Str(At(az, "ZoneName"));
    z.subnet_id = Str(At(az, "SubnetId"));
    z.outpost_id = Str(At(az, "OutpostId"));
    for (const auto& a : At(az, "LoadBalancerAddresses")) {
      ma::LoadBalancerAddress addr;
      addr.ip_address = Str(At(a, "IpAddress"));
      addr.allocation_id = Str(At(a, "AllocationId"));
      addr.private_ipv4_address = Str(At(a, "PrivateIPv4Address"));
      addr.ipv6_address = Str(At(a, "IPv6Address"));
      z.load_balancer_addresses.push_back(addr);
    }
    z.source_nat_ipv6_prefixes = StrList(At(az, "SourceNatIpv6Prefixes"));
    out.availability_zones.push_back(z);
  }
  out.security_groups = StrList(At(lb, "SecurityGroups"));
  out.ip_address_type = Str(At(lb, "IpAddressType"));
  out.customer_owned_ipv4_pool = Str(At(lb, "CustomerOwnedIpv4Pool"));
  out.enable_prefix_for_ipv6_source_nat = Str(At(lb, "EnablePrefixForIpv6SourceNat"));
  if (const Json& p = At(lb, "IpamPools"); p.is_object()) {
    out.ipam_pools = ma::IpamPools{OptStr(At(p, "Ipv4IpamPoolId"))};
  }
  return out;
}

ma::TargetGroup SDKTargetGroupObjArg(const Json& tg) {
  ma::TargetGroup t;
  t.target_group_arn = Str(At(tg, "TargetGroupArn"));
  t.target_group_name = Str(At(tg, "TargetGroupName"));
  t.protocol = OptStr(At(tg, "Protocol"));
  t.port = OptInt(At(tg, "Port"));
  t.vpc_id = OptStr(At(tg, "VpcId"));
  t.health_check_protocol = OptStr(At(tg, "HealthCheckProtocol"));
  t.health_check_port = OptStr(At(tg, "HealthCheckPort"));
  if (auto v = OptBool(At(tg, "HealthCheckEnabled"))) t.health_check_enabled = *v;
  if (auto v = OptInt(At(tg, "HealthCheckIntervalSeconds"))) t.health_check_interval_seconds = *v;
  if (auto v = OptInt(At(tg, "HealthCheckTimeoutSeconds"))) t.health_check_timeout_seconds = *v;
  if (auto v = OptInt(At(tg, "HealthyThresholdCount"))) t.healthy_threshold_count = *v;
  if (auto v = OptInt(At(tg, "UnhealthyThresholdCount"))) t.unhealthy_threshold_count = *v;
  t.health_check_path = OptStr(At(tg, "HealthCheckPath"));
  if (At(tg, "Matcher").is_object()) {
    t.matcher = ma::Matcher{OptStr(At(At(tg, "Matcher"), "HttpCode")), OptStr(At(At(tg, "Matcher"), "GrpcCode"))};
  }
  t.load_balancer_arns = StrList(At(tg, "LoadBalancerArns"));
  t.target_type = Str(At(tg, "TargetType"));  // Go zero value "" when the literal leaves it out
  t.protocol_version = OptStr(At(tg, "ProtocolVersion"));
  t.ip_address_type = OptStr(At(tg, "IpAddressType"));
  t.target_control_port = OptInt(At(tg, "TargetControlPort"));
  return t;
}

sc::LoadBalancerWithTags SDKLoadBalancerWithTagsArg(const Json& j) {
  return sc::LoadBalancerWithTags{SDKLoadBalancerArg(At(j, "LoadBalancer")), TagMapArg(At(j, "Tags"))};
}

sc::TargetGroupWithTags SDKTargetGroupArg(const Json& j) {
  return sc::TargetGroupWithTags{SDKTargetGroupObjArg(At(j, "TargetGroup")), TagMapArg(At(j, "Tags"))};
}

sc::ListenerWithTags SDKListenerArg(const Json& j) {
  sc::ListenerWithTags out;
  const Json& l = At(j, "Listener");
  out.listener.listener_arn = Str(At(l, "ListenerArn"));
  out.listener.load_balancer_arn = Str(At(l, "LoadBalancerArn"));
  out.listener.port = OptInt(At(l, "Port"));
  out.listener.protocol = Str(At(l, "Protocol"));
  out.listener.certificates = SDKCertificatesArg(At(l, "Certificates"));
  out.listener.ssl_policy = OptStr(At(l, "SslPolicy"));
  out.listener.default_actions = SDKActionsArg(At(l, "DefaultActions"));
  out.listener.alpn_policy = StrList(At(l, "AlpnPolicy"));
  out.listener.mutual_authentication = MutualAuthArg(At(l, "MutualAuthentication"));
  if (At(j, "Tags").is_object()) out.tags = TagMapArg(At(j, "Tags"));
  return out;
}

sc::ListenerRuleWithTags SDKListenerRuleArg(const Json& j) {
  sc::ListenerRuleWithTags out;
  const Json& r = At(j, "ListenerRule");
  out.rule.rule_arn = Str(At(r, "RuleArn"));
  out.rule.priority = Str(At(r, "Priority"));
  for (const auto& c : At(r, "Conditions")) out.rule.conditions.push_back(SDKConditionArg(c));
  out.rule.actions = SDKActionsArg(At(r, "Actions"));
  out.rule.is_default = OptBool(At(r, "IsDefault")).value_or(false);
  for (const auto& t : At(r, "Transforms")) out.rule.transforms.push_back(SDKTransformArg(t));
  if (At(j, "Tags").is_object()) out.tags = TagMapArg(At(j, "Tags"));
  return out;
}

// --- SDK encoders --------------------------------------------------------------------------------

Json TagMapJson(const sc::TagMap& m) {
  Json o = Json::object();
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

Json SDKJwtValidationConfigJson(const ma::JwtValidationActionConfig& j) {
  Json o = {{"JwksEndpoint", j.jwks_endpoint}, {"Issuer", j.issuer}};
  if (!j.additional_claims.empty()) {
    Json claims = Json::array();
    for (const auto& c : j.additional_claims) {
      claims.push_back(Json{{"Format", c.format}, {"Name", c.name}, {"Values", c.values}});
    }
    o["AdditionalClaims"] = claims;
  }
  return o;
}

Json SDKActionJson(const ma::Action& a) {
  Json o = Json::object();
  o["Type"] = a.type;
  if (a.target_group_arn) o["TargetGroupArn"] = *a.target_group_arn;
  if (a.order) o["Order"] = *a.order;
  if (a.forward_config) {
    Json f = Json::object();
    Json tgs = Json::array();
    for (const auto& t : a.forward_config->target_groups) {
      Json tj = {{"TargetGroupArn", t.target_group_arn}};
      if (t.weight) tj["Weight"] = *t.weight;
      tgs.push_back(tj);
    }
    f["TargetGroups"] = tgs;
    if (const auto& s = a.forward_config->target_group_stickiness_config) {
      Json sj = Json::object();
      if (s->enabled) sj["Enabled"] = *s->enabled;
      if (s->duration_seconds) sj["DurationSeconds"] = *s->duration_seconds;
      f["TargetGroupStickinessConfig"] = sj;
    }
    o["ForwardConfig"] = f;
  }
  if (a.fixed_response_config) {
    Json f = {{"StatusCode", a.fixed_response_config->status_code}};
    if (a.fixed_response_config->content_type) f["ContentType"] = *a.fixed_response_config->content_type;
    if (a.fixed_response_config->message_body) f["MessageBody"] = *a.fixed_response_config->message_body;
    o["FixedResponseConfig"] = f;
  }
  if (a.jwt_validation_config) o["JwtValidationConfig"] = SDKJwtValidationConfigJson(*a.jwt_validation_config);
  if (a.redirect_config) {
    const auto& r = *a.redirect_config;
    Json f = {{"StatusCode", r.status_code}};
    if (r.host) f["Host"] = *r.host;
    if (r.path) f["Path"] = *r.path;
    if (r.port) f["Port"] = *r.port;
    if (r.protocol) f["Protocol"] = *r.protocol;
    if (r.query) f["Query"] = *r.query;
    o["RedirectConfig"] = f;
  }
  return o;
}

Json SDKConditionJson(const ma::RuleCondition& c) {
  Json o = {{"Field", c.field}};
  if (!c.values.empty()) o["Values"] = c.values;
  auto vals = [](const std::vector<std::string>& v, const std::vector<std::string>& rv) {
    Json j = Json::object();
    if (!v.empty()) j["Values"] = v;
    if (!rv.empty()) j["RegexValues"] = rv;
    return j;
  };
  if (c.host_header_config) o["HostHeaderConfig"] = vals(c.host_header_config->values, c.host_header_config->regex_values);
  if (c.path_pattern_config) {
    o["PathPatternConfig"] = vals(c.path_pattern_config->values, c.path_pattern_config->regex_values);
  }
  return o;
}

Json SDKMatcherJson(const ma::Matcher& m) {
  Json o = Json::object();
  if (m.http_code) o["HttpCode"] = *m.http_code;
  if (m.grpc_code) o["GrpcCode"] = *m.grpc_code;
  return o;
}

Json SDKSubnetMappingJson(const ma::SubnetMapping& m) {
  Json o = Json::object();
  if (!m.allocation_id.empty()) o["AllocationId"] = m.allocation_id;
  if (!m.private_ipv4_address.empty()) o["PrivateIPv4Address"] = m.private_ipv4_address;
  if (!m.ipv6_address.empty()) o["IPv6Address"] = m.ipv6_address;
  if (!m.source_nat_ipv6_prefix.empty()) o["SourceNatIpv6Prefix"] = m.source_nat_ipv6_prefix;
  o["SubnetId"] = m.subnet_id;
  return o;
}

// --- Stack-model decoders ------------------------------------------------------------------------

ms::StringToken TokenArg(const Json& j) { return ms::StringToken::Literal(Str(j)); }

std::optional<model::k8s::IntOrString> IntOrStrArg(const Json& j) {
  if (j.is_string()) return model::k8s::IntOrString::Str(j.get<std::string>());
  if (j.is_number()) return model::k8s::IntOrString::Int(j.get<int32_t>());
  return std::nullopt;
}

namespace {

const Json& SpecOf(const Json& j) { return j.contains("spec") ? At(j, "spec") : j; }

ms::Tags StackTags(const Json& j) {
  ms::Tags t;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) t[it.key()] = Str(it.value());
  }
  return t;
}

}  // namespace

ms::JwtValidationConfig StackJwtArg(const Json& f) {
  ms::JwtValidationConfig j;
  j.jwks_endpoint = Str(At(f, "jwksEndpoint"));
  j.issuer = Str(At(f, "issuer"));
  for (const auto& cl : At(f, "additionalClaims")) {
    j.additional_claims.push_back(ms::JwtAdditionalClaim{Str(At(cl, "format")), Str(At(cl, "name")), StrList(At(cl, "values"))});
  }
  return j;
}

namespace {

ms::Action StackActionArg(const Json& a) {
  ms::Action out;
  out.type = Str(At(a, "type"));
  if (const Json& f = At(a, "forwardConfig"); f.is_object()) {
    ms::ForwardActionConfig fc;
    for (const auto& t : At(f, "targetGroups")) {
      fc.target_groups.push_back(ms::TargetGroupTuple{TokenArg(At(t, "targetGroupARN")), OptInt(At(t, "weight"))});
    }
    if (const Json& s = At(f, "targetGroupStickinessConfig"); s.is_object()) {
      fc.target_group_stickiness_config =
          ms::TargetGroupStickinessConfig{OptBool(At(s, "enabled")), OptInt(At(s, "durationSeconds"))};
    }
    out.forward_config = fc;
  }
  if (const Json& f = At(a, "jwtValidationConfig"); f.is_object()) out.jwt_validation_config = StackJwtArg(f);
  if (const Json& f = At(a, "fixedResponseConfig"); f.is_object()) {
    out.fixed_response_config =
        ms::FixedResponseActionConfig{OptStr(At(f, "contentType")), OptStr(At(f, "messageBody")), Str(At(f, "statusCode"))};
  }
  if (const Json& f = At(a, "redirectConfig"); f.is_object()) {
    out.redirect_config = ms::RedirectActionConfig{OptStr(At(f, "host")),     OptStr(At(f, "path")),
                                                   OptStr(At(f, "port")),     OptStr(At(f, "protocol")),
                                                   OptStr(At(f, "query")),    Str(At(f, "statusCode"))};
  }
  return out;
}

ms::RuleCondition StackConditionArg(const Json& c) {
  ms::RuleCondition out;
  out.field = Str(At(c, "field"));
  if (const Json& h = At(c, "hostHeaderConfig"); h.is_object()) {
    out.host_header_config = ms::HostHeaderConditionConfig{StrList(At(h, "regexValues")), StrList(At(h, "values"))};
  }
  if (const Json& h = At(c, "pathPatternConfig"); h.is_object()) {
    out.path_pattern_config = ms::PathPatternConditionConfig{StrList(At(h, "regexValues")), StrList(At(h, "values"))};
  }
  if (const Json& h = At(c, "httpHeaderConfig"); h.is_object()) {
    out.http_header_config = ms::HTTPHeaderConditionConfig{Str(At(h, "httpHeaderName")), StrList(At(h, "regexValues")),
                                                           StrList(At(h, "values"))};
  }
  if (const Json& h = At(c, "httpRequestMethodConfig"); h.is_object()) {
    out.http_request_method_config = ms::HTTPRequestMethodConditionConfig{StrList(At(h, "values"))};
  }
  if (const Json& h = At(c, "queryStringConfig"); h.is_object()) {
    ms::QueryStringConditionConfig q;
    for (const auto& v : At(h, "values")) q.values.push_back(ms::QueryStringKeyValuePair{OptStr(At(v, "key")), Str(At(v, "value"))});
    out.query_string_config = q;
  }
  if (const Json& h = At(c, "sourceIPConfig"); h.is_object()) {
    out.source_ip_config = ms::SourceIPConditionConfig{StrList(At(h, "values"))};
  }
  return out;
}

ms::Transform StackTransformArg(const Json& t) {
  ms::Transform out;
  out.type = Str(At(t, "type"));
  auto rewrites = [](const Json& cfg) {
    ms::RewriteConfigObject o;
    for (const auto& w : At(cfg, "rewrites")) o.rewrites.push_back(ms::RewriteConfig{Str(At(w, "regex")), Str(At(w, "replace"))});
    return o;
  };
  if (const Json& h = At(t, "hostHeaderRewriteConfig"); h.is_object()) out.host_header_rewrite_config = rewrites(h);
  if (const Json& h = At(t, "urlRewriteConfig"); h.is_object()) out.url_rewrite_config = rewrites(h);
  return out;
}

}  // namespace

ms::SubnetMapping SubnetMappingArg(const Json& j) {
  ms::SubnetMapping m;
  m.allocation_id = OptStr(At(j, "allocationID"));
  m.private_ipv4_address = OptStr(At(j, "privateIPv4Address"));
  m.ipv6_address = OptStr(At(j, "ipv6Address"));
  m.source_nat_ipv6_prefix = OptStr(At(j, "sourceNatIpv6Prefix"));
  m.subnet_id = Str(At(j, "subnetID"));
  return m;
}

ms::LoadBalancerSpec LoadBalancerSpecArg(const Json& j) {
  const Json& s = SpecOf(j);
  ms::LoadBalancerSpec spec;
  spec.name = Str(At(s, "name"));
  spec.type = Str(At(s, "type"));  // Go zero value "" when left out
  spec.scheme = Str(At(s, "scheme"));
  spec.ip_address_type = Str(At(s, "ipAddressType"));
  spec.enable_prefix_for_ipv6_source_nat = Str(At(s, "enablePrefixForIpv6SourceNat"));
  for (const auto& m : At(s, "subnetMapping")) spec.subnet_mappings.push_back(SubnetMappingArg(m));
  for (const auto& g : At(s, "securityGroups")) spec.security_groups.push_back(TokenArg(g));
  spec.security_groups_inbound_rules_on_private_link = OptStr(At(s, "securityGroupsInboundRulesOnPrivateLink"));
  spec.customer_owned_ipv4_pool = OptStr(At(s, "customerOwnedIPv4Pool"));
  for (const auto& a : At(s, "loadBalancerAttributes")) {
    spec.load_balancer_attributes.push_back(ms::LoadBalancerAttribute{Str(At(a, "key")), Str(At(a, "value"))});
  }
  if (const Json& c = At(s, "minimumLoadBalancerCapacity"); c.is_object()) {
    spec.minimum_load_balancer_capacity = ms::MinimumLoadBalancerCapacity{OptInt(At(c, "capacityUnits")).value_or(0)};
  }
  spec.tags = StackTags(At(s, "tags"));
  spec.ipv4_ipam_pool = OptStr(At(s, "ipv4IPAMPool"));
  return spec;
}

ms::TargetGroupSpec TargetGroupSpecArg(const Json& j) {
  const Json& s = SpecOf(j);
  ms::TargetGroupSpec spec;
  spec.name = Str(At(s, "name"));
  spec.target_type = Str(At(s, "targetType"));
  spec.port = OptInt(At(s, "port"));
  spec.protocol = Str(At(s, "protocol"));
  spec.protocol_version = OptStr(At(s, "protocolVersion"));
  spec.ip_address_type = Str(At(s, "ipAddressType"));
  spec.target_control_port = OptInt(At(s, "targetControlPort"));
  const Json& hc = At(s, "healthCheckConfig");
  if (hc.is_object()) {
    ms::TargetGroupHealthCheckConfig c;
    c.port = IntOrStrArg(At(hc, "port"));
    c.protocol = Str(At(hc, "protocol"));
    c.path = OptStr(At(hc, "path"));
    if (At(hc, "matcher").is_object()) {
      c.matcher = ms::HealthCheckMatcher{OptStr(At(At(hc, "matcher"), "httpCode")),
                                         OptStr(At(At(hc, "matcher"), "grpcCode"))};
    }
    c.interval_seconds = OptInt(At(hc, "intervalSeconds"));
    c.timeout_seconds = OptInt(At(hc, "timeoutSeconds"));
    c.healthy_threshold_count = OptInt(At(hc, "healthyThresholdCount"));
    c.unhealthy_threshold_count = OptInt(At(hc, "unhealthyThresholdCount"));
    spec.health_check_config = c;
  }
  for (const auto& a : At(s, "targetGroupAttributes")) {
    spec.target_group_attributes.push_back(ms::TargetGroupAttribute{Str(At(a, "key")), Str(At(a, "value"))});
  }
  spec.tags = StackTags(At(s, "tags"));
  return spec;
}

ms::ListenerSpec ListenerSpecArg(const Json& j) {
  const Json& s = SpecOf(j);
  ms::ListenerSpec spec;
  spec.load_balancer_arn = TokenArg(At(s, "loadBalancerARN"));
  spec.port = OptInt(At(s, "port")).value_or(0);
  spec.protocol = Str(At(s, "protocol"));
  for (const auto& a : At(s, "defaultActions")) spec.default_actions.push_back(StackActionArg(a));
  for (const auto& c : At(s, "certificates")) {
    ms::Certificate cert;
    if (At(c, "certificateARN").is_string()) cert.certificate_arn = TokenArg(At(c, "certificateARN"));
    spec.certificates.push_back(cert);
  }
  spec.ssl_policy = OptStr(At(s, "sslPolicy"));
  spec.alpn_policy = StrList(At(s, "alpnPolicy"));
  if (const Json& m = At(s, "mutualAuthentication"); m.is_object()) {
    spec.mutual_authentication = ms::MutualAuthenticationAttributes{
        Str(At(m, "mode")), OptStr(At(m, "trustStoreArn")), OptBool(At(m, "ignoreClientCertificateExpiry")),
        OptStr(At(m, "advertiseTrustStoreCaNames"))};
  }
  spec.tags = StackTags(At(s, "tags"));
  for (const auto& a : At(s, "listenerAttributes")) {
    spec.listener_attributes.push_back(ms::ListenerAttribute{Str(At(a, "key")), Str(At(a, "value"))});
  }
  return spec;
}

ms::ListenerRuleSpec ListenerRuleSpecArg(const Json& j) {
  const Json& s = SpecOf(j);
  ms::ListenerRuleSpec spec;
  spec.listener_arn = TokenArg(At(s, "listenerARN"));
  spec.priority = OptInt(At(s, "priority")).value_or(0);
  for (const auto& a : At(s, "actions")) spec.actions.push_back(StackActionArg(a));
  for (const auto& c : At(s, "conditions")) spec.conditions.push_back(StackConditionArg(c));
  for (const auto& t : At(s, "transforms")) spec.transforms.push_back(StackTransformArg(t));
  spec.tags = StackTags(At(s, "tags"));
  return spec;
}

std::string AddLoadBalancer(ms::Stack& stack, const Json& j) {
  ms::LoadBalancer lb;
  lb.id = Str(At(j, "resourceID"));
  lb.spec = LoadBalancerSpecArg(j);
  stack.Add(lb);
  return lb.id;
}

std::string AddTargetGroup(ms::Stack& stack, const Json& j) {
  ms::TargetGroup tg;
  tg.id = Str(At(j, "resourceID"));
  tg.spec = TargetGroupSpecArg(j);
  stack.Add(tg);
  return tg.id;
}

std::string AddListenerRule(ms::Stack& stack, const Json& j, size_t index) {
  ms::ListenerRule r;
  // Several literals share an ID ("id-1"); the stack needs distinct keys.
  r.id = Str(At(j, "resourceID")) + "#" + std::to_string(index);
  r.spec = ListenerRuleSpecArg(j);
  stack.Add(r);
  return r.id;
}

}  // namespace sim::conformance::deploy
