#include "sim/aws/aws_dispatch.h"

#include <functional>
#include <map>

#include <nlohmann/json.hpp>

#include "sim/aws/aws_errors.h"
#include "sim/aws/aws_json.h"

namespace sim::aws {

namespace m = ::sim::model::aws;
using J = nlohmann::ordered_json;

namespace {

// Thrown by the readers below on a wrongly typed member; turned into ValidationError at the top.
struct BadInput {
  std::string message;
};

[[noreturn]] void Bad(const std::string& member, const char* type) {
  throw BadInput{"Value for '" + member + "' must be " + type};
}

const J* Member(const J& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string Str(const J& j, const char* key) {
  const J* v = Member(j, key);
  if (v == nullptr) return "";
  if (!v->is_string()) Bad(key, "a string");
  return v->get<std::string>();
}

std::optional<std::string> OptStr(const J& j, const char* key) {
  const J* v = Member(j, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) Bad(key, "a string");
  return v->get<std::string>();
}

std::optional<int64_t> OptInt(const J& j, const char* key) {
  const J* v = Member(j, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer()) return v->get<int64_t>();
  if (v->is_string()) {
    const std::string s = v->get<std::string>();
    try {
      size_t used = 0;
      int64_t n = std::stoll(s, &used);
      if (used == s.size()) return n;
    } catch (...) {
    }
  }
  Bad(key, "an integer");
}

std::optional<int> OptInt32(const J& j, const char* key) {
  auto v = OptInt(j, key);
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

std::optional<bool> OptBool(const J& j, const char* key) {
  const J* v = Member(j, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string() && (*v == "true" || *v == "false")) return *v == "true";
  Bad(key, "a boolean");
}

const J& EmptyArray() {
  static const J kEmpty = J::array();
  return kEmpty;
}

const J& Arr(const J& j, const char* key) {
  const J* v = Member(j, key);
  if (v == nullptr) return EmptyArray();
  if (!v->is_array()) Bad(key, "a list");
  return *v;
}

std::vector<std::string> StrList(const J& j, const char* key) {
  std::vector<std::string> out;
  for (const J& v : Arr(j, key)) {
    if (!v.is_string()) Bad(key, "a list of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::optional<std::vector<std::string>> OptStrList(const J& j, const char* key) {
  if (Member(j, key) == nullptr) return std::nullopt;
  return StrList(j, key);
}

const J& Obj(const J& v, const char* what) {
  if (!v.is_object()) Bad(what, "a structure");
  return v;
}

std::vector<m::Tag> Tags(const J& j, const char* key = "Tags") {
  std::vector<m::Tag> out;
  for (const J& t : Arr(j, key)) out.push_back(m::Tag{Str(Obj(t, key), "Key"), Str(t, "Value")});
  return out;
}

std::vector<m::Attribute> Attrs(const J& j) {
  std::vector<m::Attribute> out;
  for (const J& a : Arr(j, "Attributes")) out.push_back(m::Attribute{Str(Obj(a, "Attributes"), "Key"), Str(a, "Value")});
  return out;
}

std::map<std::string, std::string> StrMap(const J& j, const char* key) {
  std::map<std::string, std::string> out;
  const J* v = Member(j, key);
  if (v == nullptr) return out;
  if (!v->is_object()) Bad(key, "a map");
  for (auto it = v->begin(); it != v->end(); ++it) {
    if (!it.value().is_string()) Bad(key, "a map of strings");
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

m::Action ActionFrom(const J& a) {
  Obj(a, "Actions");
  m::Action out;
  out.type = Str(a, "Type");
  out.target_group_arn = OptStr(a, "TargetGroupArn");
  out.order = OptInt32(a, "Order");
  if (const J* c = Member(a, "AuthenticateOidcConfig")) {
    m::AuthenticateOidcActionConfig o;
    o.issuer = Str(*c, "Issuer");
    o.authorization_endpoint = Str(*c, "AuthorizationEndpoint");
    o.token_endpoint = Str(*c, "TokenEndpoint");
    o.user_info_endpoint = Str(*c, "UserInfoEndpoint");
    o.client_id = Str(*c, "ClientId");
    o.client_secret = OptStr(*c, "ClientSecret");
    o.session_cookie_name = OptStr(*c, "SessionCookieName");
    o.scope = OptStr(*c, "Scope");
    o.session_timeout = OptInt(*c, "SessionTimeout");
    o.authentication_request_extra_params = StrMap(*c, "AuthenticationRequestExtraParams");
    o.on_unauthenticated_request = OptStr(*c, "OnUnauthenticatedRequest");
    o.use_existing_client_secret = OptBool(*c, "UseExistingClientSecret");
    out.authenticate_oidc_config = o;
  }
  if (const J* c = Member(a, "AuthenticateCognitoConfig")) {
    m::AuthenticateCognitoActionConfig o;
    o.user_pool_arn = Str(*c, "UserPoolArn");
    o.user_pool_client_id = Str(*c, "UserPoolClientId");
    o.user_pool_domain = Str(*c, "UserPoolDomain");
    o.session_cookie_name = OptStr(*c, "SessionCookieName");
    o.scope = OptStr(*c, "Scope");
    o.session_timeout = OptInt(*c, "SessionTimeout");
    o.authentication_request_extra_params = StrMap(*c, "AuthenticationRequestExtraParams");
    o.on_unauthenticated_request = OptStr(*c, "OnUnauthenticatedRequest");
    out.authenticate_cognito_config = o;
  }
  if (const J* c = Member(a, "RedirectConfig")) {
    m::RedirectActionConfig r;
    r.protocol = OptStr(*c, "Protocol");
    r.port = OptStr(*c, "Port");
    r.host = OptStr(*c, "Host");
    r.path = OptStr(*c, "Path");
    r.query = OptStr(*c, "Query");
    r.status_code = Str(*c, "StatusCode");
    out.redirect_config = r;
  }
  if (const J* c = Member(a, "FixedResponseConfig")) {
    m::FixedResponseActionConfig f;
    f.message_body = OptStr(*c, "MessageBody");
    f.status_code = Str(*c, "StatusCode");
    f.content_type = OptStr(*c, "ContentType");
    out.fixed_response_config = f;
  }
  if (const J* c = Member(a, "ForwardConfig")) {
    m::ForwardActionConfig f;
    for (const J& t : Arr(*c, "TargetGroups")) {
      f.target_groups.push_back(m::TargetGroupTuple{Str(Obj(t, "TargetGroups"), "TargetGroupArn"), OptInt32(t, "Weight")});
    }
    if (const J* s = Member(*c, "TargetGroupStickinessConfig")) {
      f.target_group_stickiness_config =
          m::TargetGroupStickinessConfig{OptBool(*s, "Enabled"), OptInt32(*s, "DurationSeconds")};
    }
    out.forward_config = f;
  }
  return out;
}

std::vector<m::Action> Actions(const J& j, const char* key) {
  std::vector<m::Action> out;
  for (const J& a : Arr(j, key)) out.push_back(ActionFrom(a));
  return out;
}

m::RuleCondition ConditionFrom(const J& c) {
  Obj(c, "Conditions");
  m::RuleCondition out;
  out.field = Str(c, "Field");
  out.values = StrList(c, "Values");
  if (const J* h = Member(c, "HostHeaderConfig")) {
    out.host_header_config = m::HostHeaderConditionConfig{StrList(*h, "Values"), StrList(*h, "RegexValues")};
  }
  if (const J* p = Member(c, "PathPatternConfig")) {
    out.path_pattern_config = m::PathPatternConditionConfig{StrList(*p, "Values"), StrList(*p, "RegexValues")};
  }
  if (const J* h = Member(c, "HttpHeaderConfig")) {
    out.http_header_config =
        m::HttpHeaderConditionConfig{Str(*h, "HttpHeaderName"), StrList(*h, "Values"), StrList(*h, "RegexValues")};
  }
  if (const J* q = Member(c, "QueryStringConfig")) {
    m::QueryStringConditionConfig cfg;
    for (const J& kv : Arr(*q, "Values")) cfg.values.push_back(m::QueryStringKeyValuePair{OptStr(kv, "Key"), Str(kv, "Value")});
    out.query_string_config = cfg;
  }
  if (const J* mth = Member(c, "HttpRequestMethodConfig")) {
    out.http_request_method_config = m::HttpRequestMethodConditionConfig{StrList(*mth, "Values")};
  }
  if (const J* s = Member(c, "SourceIpConfig")) out.source_ip_config = m::SourceIpConditionConfig{StrList(*s, "Values")};
  return out;
}

std::vector<m::RuleCondition> Conditions(const J& j) {
  std::vector<m::RuleCondition> out;
  for (const J& c : Arr(j, "Conditions")) out.push_back(ConditionFrom(c));
  return out;
}

std::vector<m::RewriteConfig> Rewrites(const J& c) {
  std::vector<m::RewriteConfig> out;
  for (const J& r : Arr(c, "Rewrites")) out.push_back(m::RewriteConfig{Str(r, "Regex"), Str(r, "Replace")});
  return out;
}

std::vector<m::RuleTransform> Transforms(const J& j) {
  std::vector<m::RuleTransform> out;
  for (const J& t : Arr(j, "Transforms")) {
    m::RuleTransform rt;
    rt.type = Str(Obj(t, "Transforms"), "Type");
    if (const J* c = Member(t, "HostHeaderRewriteConfig")) rt.host_header_rewrite_config = Rewrites(*c);
    if (const J* c = Member(t, "UrlRewriteConfig")) rt.url_rewrite_config = Rewrites(*c);
    out.push_back(rt);
  }
  return out;
}

std::vector<m::Certificate> Certs(const J& j) {
  std::vector<m::Certificate> out;
  for (const J& c : Arr(j, "Certificates")) {
    out.push_back(m::Certificate{Str(Obj(c, "Certificates"), "CertificateArn"), OptBool(c, "IsDefault")});
  }
  return out;
}

std::vector<m::TargetDescription> Targets(const J& j) {
  std::vector<m::TargetDescription> out;
  for (const J& t : Arr(j, "Targets")) {
    out.push_back(m::TargetDescription{Str(Obj(t, "Targets"), "Id"), OptInt32(t, "Port"), OptStr(t, "AvailabilityZone")});
  }
  return out;
}

std::optional<m::Matcher> MatcherFrom(const J& j) {
  const J* mt = Member(j, "Matcher");
  if (mt == nullptr) return std::nullopt;
  return m::Matcher{OptStr(*mt, "HttpCode"), OptStr(*mt, "GrpcCode")};
}

std::vector<m::SubnetMapping> SubnetMappings(const J& j) {
  std::vector<m::SubnetMapping> out;
  for (const J& s : Arr(j, "SubnetMappings")) {
    out.push_back(m::SubnetMapping{Str(Obj(s, "SubnetMappings"), "SubnetId"), Str(s, "AllocationId"),
                                   Str(s, "PrivateIPv4Address"), Str(s, "IPv6Address")});
  }
  return out;
}

std::optional<m::MutualAuthenticationAttributes> MutualAuth(const J& j) {
  const J* a = Member(j, "MutualAuthentication");
  if (a == nullptr) return std::nullopt;
  m::MutualAuthenticationAttributes out;
  out.mode = Str(*a, "Mode");
  out.trust_store_arn = OptStr(*a, "TrustStoreArn");
  out.ignore_client_certificate_expiry = OptBool(*a, "IgnoreClientCertificateExpiry");
  out.advertise_trust_store_ca_names = OptStr(*a, "AdvertiseTrustStoreCaNames");
  return out;
}

std::vector<m::Filter> Filters(const J& j) {
  std::vector<m::Filter> out;
  for (const J& f : Arr(j, "Filters")) out.push_back(m::Filter{Str(Obj(f, "Filters"), "Name"), StrList(f, "Values")});
  return out;
}

std::vector<m::IpPermission> Permissions(const J& j) {
  std::vector<m::IpPermission> out;
  for (const J& p : Arr(j, "IpPermissions")) {
    Obj(p, "IpPermissions");
    m::IpPermission perm;
    perm.ip_protocol = Str(p, "IpProtocol");
    perm.from_port = OptInt32(p, "FromPort");
    perm.to_port = OptInt32(p, "ToPort");
    for (const J& r : Arr(p, "IpRanges")) perm.ip_ranges.push_back(m::IpRange{Str(r, "CidrIp"), Str(r, "Description")});
    for (const J& r : Arr(p, "Ipv6Ranges")) {
      perm.ipv6_ranges.push_back(m::Ipv6Range{Str(r, "CidrIpv6"), Str(r, "Description")});
    }
    for (const J& r : Arr(p, "PrefixListIds")) {
      perm.prefix_list_ids.push_back(m::PrefixListId{Str(r, "PrefixListId"), Str(r, "Description")});
    }
    for (const J& r : Arr(p, "UserIdGroupPairs")) {
      perm.user_id_group_pairs.push_back(m::UserIdGroupPair{Str(r, "GroupId"), Str(r, "UserId"), Str(r, "Description")});
    }
    out.push_back(perm);
  }
  return out;
}

// --- output helpers --------------------------------------------------------------------------------

template <typename T>
J List(const std::vector<T>& items) {
  J arr = J::array();
  for (const T& item : items) arr.push_back(J::parse(ToJson(item)));
  return arr;
}

template <typename T>
J One(const T& item) {
  J arr = J::array();
  arr.push_back(J::parse(ToJson(item)));
  return arr;
}

J AttrsOut(const std::vector<m::Attribute>& attrs) { return J{{"Attributes", J::parse(ToJson(attrs))}}; }

using Elbv2Handler = std::function<Result<J>(Elbv2Api&, const CallContext&, const J&)>;
using Ec2Handler = std::function<Result<J>(Ec2Api&, const CallContext&, const J&)>;

Result<J> Empty(const Status& s) {
  if (!s.ok()) return s.error();
  return J::object();
}

template <typename T, typename F>
Result<J> Map(const Result<T>& r, F f) {
  if (!r.ok()) return r.error();
  return f(r.value());
}

const std::map<std::string, Elbv2Handler>& Elbv2Handlers() {
  static const std::map<std::string, Elbv2Handler>* handlers = [] {
  auto* hp = new std::map<std::string, Elbv2Handler>();
  auto& h = *hp;
  h["CreateLoadBalancer"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    CreateLoadBalancerRequest r;
    r.name = Str(in, "Name");
    r.subnets = StrList(in, "Subnets");
    r.subnet_mappings = SubnetMappings(in);
    r.security_groups = StrList(in, "SecurityGroups");
    r.scheme = Str(in, "Scheme");
    r.tags = Tags(in);
    r.type = Str(in, "Type");
    r.ip_address_type = Str(in, "IpAddressType");
    r.customer_owned_ipv4_pool = Str(in, "CustomerOwnedIpv4Pool");
    return Map(api.CreateLoadBalancer(ctx, r), [](const m::LoadBalancer& lb) { return J{{"LoadBalancers", One(lb)}}; });
  };
  h["DeleteLoadBalancer"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) { return Empty(api.DeleteLoadBalancer(ctx, Str(in, "LoadBalancerArn"))); };
  h["DescribeLoadBalancers"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    DescribeLoadBalancersRequest r{StrList(in, "LoadBalancerArns"), StrList(in, "Names")};
    return Map(api.DescribeLoadBalancers(ctx, r), [](const auto& v) { return J{{"LoadBalancers", List(v)}}; });
  };
  h["SetIpAddressType"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    SetIpAddressTypeRequest r{Str(in, "LoadBalancerArn"), Str(in, "IpAddressType")};
    return Map(api.SetIpAddressType(ctx, r), [](const std::string& t) { return J{{"IpAddressType", t}}; });
  };
  h["SetSubnets"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    SetSubnetsRequest r{Str(in, "LoadBalancerArn"), StrList(in, "Subnets"), SubnetMappings(in), Str(in, "IpAddressType")};
    return Map(api.SetSubnets(ctx, r), [](const SetSubnetsResponse& resp) {
      m::LoadBalancer tmp;
      tmp.availability_zones = resp.availability_zones;
      J lb = J::parse(ToJson(tmp));
      return J{{"AvailabilityZones", lb["AvailabilityZones"]}, {"IpAddressType", resp.ip_address_type}};
    });
  };
  h["SetSecurityGroups"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    SetSecurityGroupsRequest r{Str(in, "LoadBalancerArn"), StrList(in, "SecurityGroups")};
    return Map(api.SetSecurityGroups(ctx, r), [](const auto& ids) { return J{{"SecurityGroupIds", ids}}; });
  };
  h["DescribeLoadBalancerAttributes"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    return Map(api.DescribeLoadBalancerAttributes(ctx, Str(in, "LoadBalancerArn")), AttrsOut);
  };
  h["ModifyLoadBalancerAttributes"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    ModifyLoadBalancerAttributesRequest r{Str(in, "LoadBalancerArn"), Attrs(in)};
    return Map(api.ModifyLoadBalancerAttributes(ctx, r), AttrsOut);
  };
  h["CreateListener"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    CreateListenerRequest r;
    r.load_balancer_arn = Str(in, "LoadBalancerArn");
    r.protocol = Str(in, "Protocol");
    r.port = OptInt32(in, "Port");
    r.ssl_policy = OptStr(in, "SslPolicy");
    r.certificates = Certs(in);
    r.default_actions = Actions(in, "DefaultActions");
    r.alpn_policy = StrList(in, "AlpnPolicy");
    r.tags = Tags(in);
    r.mutual_authentication = MutualAuth(in);
    return Map(api.CreateListener(ctx, r), [](const m::Listener& l) { return J{{"Listeners", One(l)}}; });
  };
  h["ModifyListener"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    ModifyListenerRequest r;
    r.listener_arn = Str(in, "ListenerArn");
    r.port = OptInt32(in, "Port");
    r.protocol = Str(in, "Protocol");
    r.ssl_policy = OptStr(in, "SslPolicy");
    if (Member(in, "Certificates") != nullptr) r.certificates = Certs(in);
    if (Member(in, "DefaultActions") != nullptr) r.default_actions = Actions(in, "DefaultActions");
    r.alpn_policy = OptStrList(in, "AlpnPolicy");
    r.mutual_authentication = MutualAuth(in);
    return Map(api.ModifyListener(ctx, r), [](const m::Listener& l) { return J{{"Listeners", One(l)}}; });
  };
  h["DeleteListener"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) { return Empty(api.DeleteListener(ctx, Str(in, "ListenerArn"))); };
  h["DescribeListeners"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    DescribeListenersRequest r{Str(in, "LoadBalancerArn"), StrList(in, "ListenerArns")};
    return Map(api.DescribeListeners(ctx, r), [](const auto& v) { return J{{"Listeners", List(v)}}; });
  };
  h["AddListenerCertificates"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    ListenerCertificatesRequest r{Str(in, "ListenerArn"), Certs(in)};
    return Map(api.AddListenerCertificates(ctx, r), [](const auto& v) { return J{{"Certificates", List(v)}}; });
  };
  h["RemoveListenerCertificates"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    ListenerCertificatesRequest r{Str(in, "ListenerArn"), Certs(in)};
    return Empty(api.RemoveListenerCertificates(ctx, r));
  };
  h["DescribeListenerCertificates"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    return Map(api.DescribeListenerCertificates(ctx, Str(in, "ListenerArn")),
               [](const auto& v) { return J{{"Certificates", List(v)}}; });
  };
  h["DescribeListenerAttributes"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    return Map(api.DescribeListenerAttributes(ctx, Str(in, "ListenerArn")), AttrsOut);
  };
  h["ModifyListenerAttributes"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    ModifyListenerAttributesRequest r{Str(in, "ListenerArn"), Attrs(in)};
    return Map(api.ModifyListenerAttributes(ctx, r), AttrsOut);
  };
  h["CreateRule"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    CreateRuleRequest r;
    r.listener_arn = Str(in, "ListenerArn");
    r.conditions = Conditions(in);
    r.priority = OptInt32(in, "Priority").value_or(0);
    r.actions = Actions(in, "Actions");
    r.tags = Tags(in);
    r.transforms = Transforms(in);
    return Map(api.CreateRule(ctx, r), [](const m::Rule& rule) { return J{{"Rules", One(rule)}}; });
  };
  h["ModifyRule"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    ModifyRuleRequest r;
    r.rule_arn = Str(in, "RuleArn");
    if (Member(in, "Conditions") != nullptr) r.conditions = Conditions(in);
    if (Member(in, "Actions") != nullptr) r.actions = Actions(in, "Actions");
    if (Member(in, "Transforms") != nullptr) r.transforms = Transforms(in);
    r.reset_transforms = OptBool(in, "ResetTransforms").value_or(false);
    return Map(api.ModifyRule(ctx, r), [](const m::Rule& rule) { return J{{"Rules", One(rule)}}; });
  };
  h["DeleteRule"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) { return Empty(api.DeleteRule(ctx, Str(in, "RuleArn"))); };
  h["DescribeRules"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    DescribeRulesRequest r{Str(in, "ListenerArn"), StrList(in, "RuleArns")};
    return Map(api.DescribeRules(ctx, r), [](const auto& v) { return J{{"Rules", List(v)}}; });
  };
  h["SetRulePriorities"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    SetRulePrioritiesRequest r;
    for (const J& p : Arr(in, "RulePriorities")) {
      r.rule_priorities.push_back(m::RulePriorityPair{Str(Obj(p, "RulePriorities"), "RuleArn"),
                                                      OptInt32(p, "Priority").value_or(0)});
    }
    return Map(api.SetRulePriorities(ctx, r), [](const auto& v) { return J{{"Rules", List(v)}}; });
  };
  h["CreateTargetGroup"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    CreateTargetGroupRequest r;
    r.name = Str(in, "Name");
    r.protocol = OptStr(in, "Protocol");
    r.protocol_version = OptStr(in, "ProtocolVersion");
    r.port = OptInt32(in, "Port");
    r.vpc_id = OptStr(in, "VpcId");
    r.health_check_protocol = OptStr(in, "HealthCheckProtocol");
    r.health_check_port = OptStr(in, "HealthCheckPort");
    r.health_check_enabled = OptBool(in, "HealthCheckEnabled");
    r.health_check_path = OptStr(in, "HealthCheckPath");
    r.health_check_interval_seconds = OptInt32(in, "HealthCheckIntervalSeconds");
    r.health_check_timeout_seconds = OptInt32(in, "HealthCheckTimeoutSeconds");
    r.healthy_threshold_count = OptInt32(in, "HealthyThresholdCount");
    r.unhealthy_threshold_count = OptInt32(in, "UnhealthyThresholdCount");
    r.matcher = MatcherFrom(in);
    r.target_type = OptStr(in, "TargetType");
    r.tags = Tags(in);
    r.ip_address_type = OptStr(in, "IpAddressType");
    return Map(api.CreateTargetGroup(ctx, r), [](const m::TargetGroup& tg) { return J{{"TargetGroups", One(tg)}}; });
  };
  h["ModifyTargetGroup"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    ModifyTargetGroupRequest r;
    r.target_group_arn = Str(in, "TargetGroupArn");
    r.health_check_protocol = OptStr(in, "HealthCheckProtocol");
    r.health_check_port = OptStr(in, "HealthCheckPort");
    r.health_check_path = OptStr(in, "HealthCheckPath");
    r.health_check_enabled = OptBool(in, "HealthCheckEnabled");
    r.health_check_interval_seconds = OptInt32(in, "HealthCheckIntervalSeconds");
    r.health_check_timeout_seconds = OptInt32(in, "HealthCheckTimeoutSeconds");
    r.healthy_threshold_count = OptInt32(in, "HealthyThresholdCount");
    r.unhealthy_threshold_count = OptInt32(in, "UnhealthyThresholdCount");
    r.matcher = MatcherFrom(in);
    return Map(api.ModifyTargetGroup(ctx, r), [](const m::TargetGroup& tg) { return J{{"TargetGroups", One(tg)}}; });
  };
  h["DeleteTargetGroup"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) { return Empty(api.DeleteTargetGroup(ctx, Str(in, "TargetGroupArn"))); };
  h["DescribeTargetGroups"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    DescribeTargetGroupsRequest r{Str(in, "LoadBalancerArn"), StrList(in, "TargetGroupArns"), StrList(in, "Names")};
    return Map(api.DescribeTargetGroups(ctx, r), [](const auto& v) { return J{{"TargetGroups", List(v)}}; });
  };
  h["DescribeTargetGroupAttributes"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    return Map(api.DescribeTargetGroupAttributes(ctx, Str(in, "TargetGroupArn")), AttrsOut);
  };
  h["ModifyTargetGroupAttributes"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    ModifyTargetGroupAttributesRequest r{Str(in, "TargetGroupArn"), Attrs(in)};
    return Map(api.ModifyTargetGroupAttributes(ctx, r), AttrsOut);
  };
  h["RegisterTargets"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    return Empty(api.RegisterTargets(ctx, TargetsRequest{Str(in, "TargetGroupArn"), Targets(in)}));
  };
  h["DeregisterTargets"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    return Empty(api.DeregisterTargets(ctx, TargetsRequest{Str(in, "TargetGroupArn"), Targets(in)}));
  };
  h["DescribeTargetHealth"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    DescribeTargetHealthRequest r{Str(in, "TargetGroupArn"), Targets(in)};
    return Map(api.DescribeTargetHealth(ctx, r), [](const auto& v) { return J{{"TargetHealthDescriptions", List(v)}}; });
  };
  h["AddTags"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) { return Empty(api.AddTags(ctx, AddTagsRequest{StrList(in, "ResourceArns"), Tags(in)})); };
  h["RemoveTags"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    return Empty(api.RemoveTags(ctx, RemoveTagsRequest{StrList(in, "ResourceArns"), StrList(in, "TagKeys")}));
  };
  h["DescribeTags"] = [](Elbv2Api& api, const CallContext& ctx, const J& in) {
    return Map(api.DescribeTags(ctx, DescribeTagsRequest{StrList(in, "ResourceArns")}),
               [](const auto& v) { return J{{"TagDescriptions", List(v)}}; });
  };
  return hp;
  }();
  return *handlers;
}

const std::map<std::string, Ec2Handler>& Ec2Handlers() {
  static const std::map<std::string, Ec2Handler>* handlers = [] {
  auto* hp = new std::map<std::string, Ec2Handler>();
  auto& h = *hp;
  h["DescribeSubnets"] = [](Ec2Api& api, const CallContext& ctx, const J& in) {
    DescribeSubnetsRequest r{StrList(in, "SubnetIds"), Filters(in)};
    return Map(api.DescribeSubnets(ctx, r), [](const auto& v) { return J{{"Subnets", List(v)}}; });
  };
  h["DescribeVpcs"] = [](Ec2Api& api, const CallContext& ctx, const J& in) {
    DescribeVpcsRequest r{StrList(in, "VpcIds"), Filters(in)};
    return Map(api.DescribeVpcs(ctx, r), [](const auto& v) { return J{{"Vpcs", List(v)}}; });
  };
  h["DescribeRouteTables"] = [](Ec2Api& api, const CallContext& ctx, const J& in) {
    DescribeRouteTablesRequest r{StrList(in, "RouteTableIds"), Filters(in)};
    return Map(api.DescribeRouteTables(ctx, r), [](const auto& v) { return J{{"RouteTables", List(v)}}; });
  };
  h["DescribeSecurityGroups"] = [](Ec2Api& api, const CallContext& ctx, const J& in) {
    DescribeSecurityGroupsRequest r{StrList(in, "GroupIds"), StrList(in, "GroupNames"), Filters(in)};
    return Map(api.DescribeSecurityGroups(ctx, r), [](const auto& v) { return J{{"SecurityGroups", List(v)}}; });
  };
  h["CreateSecurityGroup"] = [](Ec2Api& api, const CallContext& ctx, const J& in) {
    CreateSecurityGroupRequest r;
    r.group_name = Str(in, "GroupName");
    r.description = Str(in, "Description");
    r.vpc_id = Str(in, "VpcId");
    for (const J& spec : Arr(in, "TagSpecifications")) {
      r.tag_specifications.push_back(TagSpecification{Str(Obj(spec, "TagSpecifications"), "ResourceType"), Tags(spec)});
    }
    return Map(api.CreateSecurityGroup(ctx, r), [](const CreateSecurityGroupResponse& resp) {
      J out{{"GroupId", resp.group_id}};
      if (!resp.tags.empty()) out["Tags"] = J::parse(ToJson(resp.tags));
      out["SecurityGroupArn"] = resp.security_group_arn;
      return out;
    });
  };
  h["DeleteSecurityGroup"] = [](Ec2Api& api, const CallContext& ctx, const J& in) {
    std::string id = Str(in, "GroupId");
    Status s = api.DeleteSecurityGroup(ctx, id);
    if (!s.ok()) return Result<J>(s.error());
    return Result<J>(J{{"Return", true}, {"GroupId", id}});
  };
  h["AuthorizeSecurityGroupIngress"] = [](Ec2Api& api, const CallContext& ctx, const J& in) {
    Status s = api.AuthorizeSecurityGroupIngress(ctx, SecurityGroupIngressRequest{Str(in, "GroupId"), Permissions(in)});
    if (!s.ok()) return Result<J>(s.error());
    return Result<J>(J{{"Return", true}});
  };
  h["RevokeSecurityGroupIngress"] = [](Ec2Api& api, const CallContext& ctx, const J& in) {
    Status s = api.RevokeSecurityGroupIngress(ctx, SecurityGroupIngressRequest{Str(in, "GroupId"), Permissions(in)});
    if (!s.ok()) return Result<J>(s.error());
    return Result<J>(J{{"Return", true}});
  };
  h["CreateTags"] = [](Ec2Api& api, const CallContext& ctx, const J& in) {
    return Empty(api.CreateTags(ctx, CreateTagsRequest{StrList(in, "Resources"), Tags(in)}));
  };
  h["DeleteTags"] = [](Ec2Api& api, const CallContext& ctx, const J& in) {
    DeleteTagsRequest r;
    r.resources = StrList(in, "Resources");
    for (const J& t : Arr(in, "Tags")) r.tags.push_back(DeleteTagSpec{Str(Obj(t, "Tags"), "Key"), OptStr(t, "Value")});
    return Empty(api.DeleteTags(ctx, r));
  };
  h["DescribeInstances"] = [](Ec2Api& api, const CallContext& ctx, const J& in) {
    DescribeInstancesRequest r{StrList(in, "InstanceIds"), Filters(in)};
    return Map(api.DescribeInstances(ctx, r), [](const auto& v) {
      J reservations = J::array();
      if (!v.empty()) reservations.push_back(J{{"Instances", List(v)}});
      return J{{"Reservations", reservations}};
    });
  };
  h["DescribeNetworkInterfaces"] = [](Ec2Api& api, const CallContext& ctx, const J& in) {
    DescribeNetworkInterfacesRequest r{StrList(in, "NetworkInterfaceIds"), Filters(in)};
    return Map(api.DescribeNetworkInterfaces(ctx, r), [](const auto& v) { return J{{"NetworkInterfaces", List(v)}}; });
  };
  return hp;
  }();
  return *handlers;
}

template <typename Api>
Result<std::string> Invoke(const std::map<std::string, std::function<Result<J>(Api&, const CallContext&, const J&)>>& handlers,
                           Api& api, const CallContext& ctx, const std::string& call, const std::string& input_json) {
  auto it = handlers.find(call);
  if (it == handlers.end()) {
    return AwsError("InvalidAction", "The action " + call + " is not valid for this web service.");
  }
  J in;
  try {
    in = input_json.empty() ? J::object() : J::parse(input_json);
  } catch (const J::exception& e) {
    return AwsError("ValidationError", std::string("input is not valid JSON: ") + e.what());
  }
  if (in.is_null()) in = J::object();
  if (!in.is_object()) return AwsError("ValidationError", "input must be a JSON object");
  try {
    Result<J> out = it->second(api, ctx, in);
    if (!out.ok()) return out.error();
    return out.value().dump();
  } catch (const BadInput& bad) {
    return AwsError("ValidationError", bad.message);
  } catch (const J::exception& e) {
    return AwsError("ValidationError", e.what());
  }
}

template <typename Map>
std::vector<std::string> Keys(const Map& handlers) {
  std::vector<std::string> out;
  for (const auto& [name, h] : handlers) out.push_back(name);
  return out;
}

}  // namespace

Result<std::string> InvokeElbv2Json(Elbv2Api& api, const CallContext& ctx, const std::string& call,
                                    const std::string& input_json) {
  return Invoke<Elbv2Api>(Elbv2Handlers(), api, ctx, call, input_json);
}

Result<std::string> InvokeEc2Json(Ec2Api& api, const CallContext& ctx, const std::string& call,
                                  const std::string& input_json) {
  return Invoke<Ec2Api>(Ec2Handlers(), api, ctx, call, input_json);
}

std::vector<std::string> Elbv2JsonCalls() { return Keys(Elbv2Handlers()); }
std::vector<std::string> Ec2JsonCalls() { return Keys(Ec2Handlers()); }

}  // namespace sim::aws
