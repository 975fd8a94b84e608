// Mirrors upstream pkg/deploy/stack_marshaller.go + stack_schema_builder.go, and the json tags of
// pkg/model/{elbv2,ec2,elbv2/k8s,wafv2,wafregional,shield,acm}.
#include "sim/controller/stack_marshaller.h"

#include <cstdint>
#include <string>

namespace sim::controller {

namespace ms = model::stack;

namespace {

void AppendUnicodeEscape(std::string& o, unsigned cp) {
  static const char* kHex = "0123456789abcdef";
  o += "\\u";
  o += kHex[(cp >> 12) & 0xF];
  o += kHex[(cp >> 8) & 0xF];
  o += kHex[(cp >> 4) & 0xF];
  o += kHex[cp & 0xF];
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when invalid.
size_t Utf8SeqLen(const std::string& s, size_t i, unsigned* cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  unsigned v = 0;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2;
    v = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    v = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    v = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    v = (v << 6) | (cc & 0x3F);
  }
  if ((n == 2 && v < 0x80) || (n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || v > 0x10FFFF ||
      (v >= 0xD800 && v <= 0xDFFF)) {
    return 0;
  }
  *cp = v;
  return n;
}

class Obj {
 public:
  explicit Obj(std::string& o) : o_(o) { o_ += '{'; }
  ~Obj() { o_ += '}'; }
  void Key(const char* k) {
    if (!first_) o_ += ',';
    first_ = false;
    o_ += GoJsonQuote(k);
    o_ += ':';
  }
  void KeyS(const std::string& k) {
    if (!first_) o_ += ',';
    first_ = false;
    o_ += GoJsonQuote(k);
    o_ += ':';
  }
  // string, always written
  void Str(const char* k, const std::string& v) {
    Key(k);
    o_ += GoJsonQuote(v);
  }
  // string with omitempty
  void StrOmit(const char* k, const std::string& v) {
    if (!v.empty()) Str(k, v);
  }
  void OptStr(const char* k, const std::optional<std::string>& v) {
    if (v) Str(k, *v);
  }
  void Int(const char* k, int64_t v) {
    Key(k);
    o_ += std::to_string(v);
  }
  template <typename I>
  void OptInt(const char* k, const std::optional<I>& v) {
    if (v) Int(k, static_cast<int64_t>(*v));
  }
  void Bool(const char* k, bool v) {
    Key(k);
    o_ += v ? "true" : "false";
  }
  void OptBool(const char* k, const std::optional<bool>& v) {
    if (v) Bool(k, *v);
  }
  std::string& out() { return o_; }

 private:
  std::string& o_;
  bool first_ = true;
};

void WriteStrings(std::string& o, const std::vector<std::string>& v) {
  o += '[';
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) o += ',';
    o += GoJsonQuote(v[i]);
  }
  o += ']';
}

// omitempty string slice
void StrsOmit(Obj& ob, const char* k, const std::vector<std::string>& v) {
  if (v.empty()) return;
  ob.Key(k);
  WriteStrings(ob.out(), v);
}
// non-omitempty string slice: empty = Go nil = null
void StrsNullable(Obj& ob, const char* k, const std::vector<std::string>& v) {
  ob.Key(k);
  if (v.empty()) {
    ob.out() += "null";
  } else {
    WriteStrings(ob.out(), v);
  }
}

void WriteMap(std::string& o, const std::map<std::string, std::string>& m) {
  Obj ob(o);
  for (const auto& [k, v] : m) {
    ob.KeyS(k);
    o += GoJsonQuote(v);
  }
}
void MapOmit(Obj& ob, const char* k, const std::map<std::string, std::string>& m) {
  if (m.empty()) return;
  ob.Key(k);
  WriteMap(ob.out(), m);
}

template <typename T, typename Fn>
void ArrOmit(Obj& ob, const char* k, const std::vector<T>& v, Fn write) {
  if (v.empty()) return;
  ob.Key(k);
  std::string& o = ob.out();
  o += '[';
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) o += ',';
    write(o, v[i]);
  }
  o += ']';
}
template <typename T, typename Fn>
void ArrNullable(Obj& ob, const char* k, const std::vector<T>& v, Fn write) {
  if (v.empty()) {
    ob.Key(k);
    ob.out() += "null";
    return;
  }
  ArrOmit(ob, k, v, write);
}

void WriteToken(std::string& o, const ms::StringToken& t) {
  if (t.is_literal()) {
    o += GoJsonQuote(t.value);
    return;
  }
  Obj ob(o);
  ob.Str("$ref", t.RefPath());
}

void WriteIntOrString(std::string& o, const model::k8s::IntOrString& v) {
  if (v.is_string) {
    o += GoJsonQuote(v.str_val);
  } else {
    o += std::to_string(v.int_val);
  }
}

// ---------------------------------------------------------------- elbv2 actions

void Write(std::string& o, const ms::AuthenticateCognitoActionConfig& c) {
  Obj ob(o);
  MapOmit(ob, "authenticationRequestExtraParams", c.authentication_request_extra_params);
  ob.StrOmit("onUnauthenticatedRequest", c.on_unauthenticated_request);
  ob.OptStr("scope", c.scope);
  ob.OptStr("sessionCookieName", c.session_cookie_name);
  ob.OptInt("sessionTimeout", c.session_timeout);
  ob.Str("userPoolARN", c.user_pool_arn);
  ob.Str("userPoolClientID", c.user_pool_client_id);
  ob.Str("userPoolDomain", c.user_pool_domain);
}

// Set while ToJsonUnredacted runs (conformance results compare the Go struct, not the JSON).
thread_local bool g_unredacted = false;

void Write(std::string& o, const ms::AuthenticateOIDCActionConfig& c) {
  Obj ob(o);
  MapOmit(ob, "authenticationRequestExtraParams", c.authentication_request_extra_params);
  ob.StrOmit("onUnauthenticatedRequest", c.on_unauthenticated_request);
  ob.OptStr("scope", c.scope);
  ob.OptStr("sessionCookieName", c.session_cookie_name);
  ob.OptInt("sessionTimeout", c.session_timeout);
  ob.Str("issuer", c.issuer);
  ob.Str("authorizationEndpoint", c.authorization_endpoint);
  ob.Str("tokenEndpoint", c.token_endpoint);
  ob.Str("userInfoEndpoint", c.user_info_endpoint);
  ob.Str("clientID", g_unredacted ? c.client_id : std::string("[REDACTED]"));
  ob.Str("clientSecret", g_unredacted ? c.client_secret : std::string("[REDACTED]"));
}

void Write(std::string& o, const ms::JwtValidationConfig& c) {
  Obj ob(o);
  ob.Str("jwksEndpoint", c.jwks_endpoint);
  ob.Str("issuer", c.issuer);
  ArrOmit(ob, "additionalClaims", c.additional_claims, [](std::string& o2, const ms::JwtAdditionalClaim& cl) {
    Obj ob2(o2);
    ob2.Str("format", cl.format);
    ob2.Str("name", cl.name);
    ob2.Key("values");
    WriteStrings(o2, cl.values);  // always a non-nil slice upstream
  });
}

void Write(std::string& o, const ms::FixedResponseActionConfig& c) {
  Obj ob(o);
  ob.OptStr("contentType", c.content_type);
  ob.OptStr("messageBody", c.message_body);
  ob.Str("statusCode", c.status_code);
}

void Write(std::string& o, const ms::RedirectActionConfig& c) {
  Obj ob(o);
  ob.OptStr("host", c.host);
  ob.OptStr("path", c.path);
  ob.OptStr("port", c.port);
  ob.OptStr("protocol", c.protocol);
  ob.OptStr("query", c.query);
  ob.Str("statusCode", c.status_code);
}

void Write(std::string& o, const ms::ForwardActionConfig& c) {
  Obj ob(o);
  ArrNullable(ob, "targetGroups", c.target_groups, [](std::string& o2, const ms::TargetGroupTuple& t) {
    Obj ob2(o2);
    ob2.Key("targetGroupARN");
    WriteToken(o2, t.target_group_arn);
    ob2.OptInt("weight", t.weight);
  });
  if (c.target_group_stickiness_config) {
    ob.Key("targetGroupStickinessConfig");
    Obj ob2(o);
    ob2.OptBool("enabled", c.target_group_stickiness_config->enabled);
    ob2.OptInt("durationSeconds", c.target_group_stickiness_config->duration_seconds);
  }
}

void Write(std::string& o, const ms::Action& a) {
  Obj ob(o);
  ob.Str("type", a.type);
  if (a.authenticate_cognito_config) {
    ob.Key("authenticateCognitoConfig");
    Write(o, *a.authenticate_cognito_config);
  }
  if (a.authenticate_oidc_config) {
    ob.Key("authenticateOIDCConfig");
    Write(o, *a.authenticate_oidc_config);
  }
  if (a.jwt_validation_config) {
    ob.Key("jwtValidationConfig");
    Write(o, *a.jwt_validation_config);
  }
  if (a.fixed_response_config) {
    ob.Key("fixedResponseConfig");
    Write(o, *a.fixed_response_config);
  }
  if (a.redirect_config) {
    ob.Key("redirectConfig");
    Write(o, *a.redirect_config);
  }
  if (a.forward_config) {
    ob.Key("forwardConfig");
    Write(o, *a.forward_config);
  }
}

void WriteAction(std::string& o, const ms::Action& a) { Write(o, a); }

// ---------------------------------------------------------------- conditions, transforms

void Write(std::string& o, const ms::RuleCondition& c) {
  Obj ob(o);
  ob.Str("field", c.field);
  if (c.host_header_config) {
    ob.Key("hostHeaderConfig");
    Obj ob2(o);
    StrsOmit(ob2, "regexValues", c.host_header_config->regex_values);
    StrsOmit(ob2, "values", c.host_header_config->values);
  }
  if (c.http_header_config) {
    ob.Key("httpHeaderConfig");
    Obj ob2(o);
    ob2.Str("httpHeaderName", c.http_header_config->http_header_name);
    StrsOmit(ob2, "regexValues", c.http_header_config->regex_values);
    StrsOmit(ob2, "values", c.http_header_config->values);
  }
  if (c.http_request_method_config) {
    ob.Key("httpRequestMethodConfig");
    Obj ob2(o);
    StrsNullable(ob2, "values", c.http_request_method_config->values);
  }
  if (c.path_pattern_config) {
    ob.Key("pathPatternConfig");
    Obj ob2(o);
    StrsOmit(ob2, "regexValues", c.path_pattern_config->regex_values);
    StrsOmit(ob2, "values", c.path_pattern_config->values);
  }
  if (c.query_string_config) {
    ob.Key("queryStringConfig");
    Obj ob2(o);
    ArrNullable(ob2, "values", c.query_string_config->values,
                [](std::string& o3, const ms::QueryStringKeyValuePair& kv) {
                  Obj ob3(o3);
                  ob3.OptStr("key", kv.key);
                  ob3.Str("value", kv.value);
                });
  }
  if (c.source_ip_config) {
    ob.Key("sourceIPConfig");
    Obj ob2(o);
    StrsNullable(ob2, "values", c.source_ip_config->values);
  }
}

void WriteRewrites(std::string& o, const ms::RewriteConfigObject& r) {
  Obj ob(o);
  ArrNullable(ob, "rewrites", r.rewrites, [](std::string& o2, const ms::RewriteConfig& rc) {
    Obj ob2(o2);
    ob2.Str("regex", rc.regex);
    ob2.Str("replace", rc.replace);
  });
}

void Write(std::string& o, const ms::Transform& t) {
  Obj ob(o);
  ob.Str("type", t.type);
  if (t.host_header_rewrite_config) {
    ob.Key("hostHeaderRewriteConfig");
    WriteRewrites(o, *t.host_header_rewrite_config);
  }
  if (t.url_rewrite_config) {
    ob.Key("urlRewriteConfig");
    WriteRewrites(o, *t.url_rewrite_config);
  }
}

// ---------------------------------------------------------------- specs

void Write(std::string& o, const ms::LoadBalancerSpec& s) {
  Obj ob(o);
  ob.Str("name", s.name);
  ob.Str("type", s.type);
  ob.StrOmit("scheme", s.scheme);
  ob.StrOmit("ipAddressType", s.ip_address_type);
  ob.StrOmit("enablePrefixForIpv6SourceNat", s.enable_prefix_for_ipv6_source_nat);
  ArrOmit(ob, "subnetMapping", s.subnet_mappings, [](std::string& o2, const ms::SubnetMapping& m) {
    Obj ob2(o2);
    ob2.OptStr("allocationID", m.allocation_id);
    ob2.OptStr("privateIPv4Address", m.private_ipv4_address);
    ob2.OptStr("ipv6Address", m.ipv6_address);
    ob2.OptStr("sourceNatIpv6Prefix", m.source_nat_ipv6_prefix);
    ob2.Str("subnetID", m.subnet_id);
  });
  ArrOmit(ob, "securityGroups", s.security_groups, WriteToken);
  ob.OptStr("securityGroupsInboundRulesOnPrivateLink", s.security_groups_inbound_rules_on_private_link);
  ob.OptStr("customerOwnedIPv4Pool", s.customer_owned_ipv4_pool);
  ArrOmit(ob, "loadBalancerAttributes", s.load_balancer_attributes,
          [](std::string& o2, const ms::LoadBalancerAttribute& a) {
            Obj ob2(o2);
            ob2.Str("key", a.key);
            ob2.Str("value", a.value);
          });
  if (s.minimum_load_balancer_capacity) {
    ob.Key("minimumLoadBalancerCapacity");
    Obj ob2(o);
    ob2.Int("capacityUnits", s.minimum_load_balancer_capacity->capacity_units);
  }
  MapOmit(ob, "tags", s.tags);
  ob.OptStr("ipv4IPAMPool", s.ipv4_ipam_pool);
}

void Write(std::string& o, const ms::ListenerSpec& s) {
  Obj ob(o);
  ob.Key("loadBalancerARN");
  WriteToken(o, s.load_balancer_arn);
  ob.Int("port", s.port);
  ob.Str("protocol", s.protocol);
  ArrOmit(ob, "defaultActions", s.default_actions, WriteAction);
  ArrOmit(ob, "certificates", s.certificates, [](std::string& o2, const ms::Certificate& c) {
    Obj ob2(o2);
    if (c.certificate_arn) {
      ob2.Key("certificateARN");
      WriteToken(o2, *c.certificate_arn);
    }
  });
  ob.OptStr("sslPolicy", s.ssl_policy);
  StrsOmit(ob, "alpnPolicy", s.alpn_policy);
  if (s.mutual_authentication) {
    ob.Key("mutualAuthentication");
    Obj ob2(o);
    ob2.Str("mode", s.mutual_authentication->mode);
    ob2.OptStr("trustStoreArn", s.mutual_authentication->trust_store_arn);
    ob2.OptBool("ignoreClientCertificateExpiry", s.mutual_authentication->ignore_client_certificate_expiry);
    ob2.OptStr("advertiseTrustStoreCaNames", s.mutual_authentication->advertise_trust_store_ca_names);
  }
  MapOmit(ob, "tags", s.tags);
  ArrOmit(ob, "listenerAttributes", s.listener_attributes, [](std::string& o2, const ms::ListenerAttribute& a) {
    Obj ob2(o2);
    ob2.Str("Key", a.key);
    ob2.Str("Value", a.value);
  });
}

void Write(std::string& o, const ms::ListenerRuleSpec& s) {
  Obj ob(o);
  ob.Key("listenerARN");
  WriteToken(o, s.listener_arn);
  ob.Int("priority", s.priority);
  ArrNullable(ob, "actions", s.actions, WriteAction);
  ArrNullable(ob, "conditions", s.conditions, [](std::string& o2, const ms::RuleCondition& c) { Write(o2, c); });
  ArrOmit(ob, "transforms", s.transforms, [](std::string& o2, const ms::Transform& t) { Write(o2, t); });
  MapOmit(ob, "tags", s.tags);
}

void Write(std::string& o, const ms::HealthCheckMatcher& m) {
  Obj ob(o);
  ob.OptStr("httpCode", m.http_code);
  ob.OptStr("grpcCode", m.grpc_code);
}

void Write(std::string& o, const ms::TargetGroupSpec& s) {
  Obj ob(o);
  ob.Str("name", s.name);
  ob.Str("targetType", s.target_type);
  ob.Key("port");
  if (s.port) {
    o += std::to_string(*s.port);
  } else {
    o += "null";
  }
  ob.Str("protocol", s.protocol);
  ob.OptStr("protocolVersion", s.protocol_version);
  ob.StrOmit("ipAddressType", s.ip_address_type);
  if (s.health_check_config) {
    const auto& h = *s.health_check_config;
    ob.Key("healthCheckConfig");
    Obj ob2(o);
    if (h.port) {
      ob2.Key("port");
      WriteIntOrString(o, *h.port);
    }
    ob2.StrOmit("protocol", h.protocol);
    ob2.OptStr("path", h.path);
    if (h.matcher) {
      ob2.Key("matcher");
      Write(o, *h.matcher);
    }
    ob2.OptInt("intervalSeconds", h.interval_seconds);
    ob2.OptInt("timeoutSeconds", h.timeout_seconds);
    ob2.OptInt("healthyThresholdCount", h.healthy_threshold_count);
    ob2.OptInt("unhealthyThresholdCount", h.unhealthy_threshold_count);
  }
  ArrOmit(ob, "targetGroupAttributes", s.target_group_attributes,
          [](std::string& o2, const ms::TargetGroupAttribute& a) {
            Obj ob2(o2);
            ob2.Str("key", a.key);
            ob2.Str("value", a.value);
          });
  MapOmit(ob, "tags", s.tags);
  ob.OptInt("targetControlPort", s.target_control_port);
}

void Write(std::string& o, const ms::SecurityGroupSpec& s) {
  Obj ob(o);
  ob.Str("groupName", s.group_name);
  ob.Str("description", s.description);
  MapOmit(ob, "tags", s.tags);
  ArrOmit(ob, "ingress", s.ingress, [](std::string& o2, const ms::IPPermission& p) {
    Obj ob2(o2);
    ob2.Str("ipProtocol", p.ip_protocol);
    ob2.OptInt("fromPort", p.from_port);
    ob2.OptInt("toPort", p.to_port);
    ArrOmit(ob2, "ipRanges", p.ip_ranges, [](std::string& o3, const ms::IPRange& r) {
      Obj ob3(o3);
      ob3.Str("cidrIP", r.cidr_ip);
      ob3.StrOmit("description", r.description);
    });
    ArrOmit(ob2, "ipv6Ranges", p.ipv6_ranges, [](std::string& o3, const ms::IPv6Range& r) {
      Obj ob3(o3);
      ob3.Str("cidrIPv6", r.cidr_ipv6);
      ob3.StrOmit("description", r.description);
    });
    ArrOmit(ob2, "userIDGroupPairs", p.user_id_group_pairs, [](std::string& o3, const ms::UserIDGroupPair& r) {
      Obj ob3(o3);
      ob3.Str("groupID", r.group_id);
      ob3.StrOmit("description", r.description);
    });
    ArrOmit(ob2, "prefixLists", p.prefix_lists, [](std::string& o3, const ms::PrefixList& r) {
      Obj ob3(o3);
      ob3.Str("listID", r.list_id);
      ob3.StrOmit("description", r.description);
    });
  });
}

void WriteLabelSelector(std::string& o, const model::k8s::LabelSelector& sel) {
  Obj ob(o);
  MapOmit(ob, "matchLabels", sel.match_labels);
  ArrOmit(ob, "matchExpressions", sel.match_expressions,
          [](std::string& o2, const model::k8s::LabelSelectorRequirement& r) {
            Obj ob2(o2);
            ob2.Str("key", r.key);
            ob2.Str("operator", r.op);
            StrsOmit(ob2, "values", r.values);
          });
}

void Write(std::string& o, const ms::TargetGroupBindingNetworking& n) {
  Obj ob(o);
  ArrOmit(ob, "ingress", n.ingress, [](std::string& o2, const ms::TgbNetworkingIngressRule& r) {
    Obj ob2(o2);
    ArrNullable(ob2, "from", r.from, [](std::string& o3, const ms::TgbNetworkingPeer& p) {
      Obj ob3(o3);
      if (p.ip_block_cidr) {
        ob3.Key("ipBlock");
        Obj ob4(o3);
        ob4.Str("cidr", *p.ip_block_cidr);
      }
      if (p.security_group) {
        ob3.Key("securityGroup");
        Obj ob4(o3);
        ob4.Key("groupID");
        WriteToken(o3, p.security_group->group_id);
      }
    });
    ArrNullable(ob2, "ports", r.ports, [](std::string& o3, const ms::TgbNetworkingPort& p) {
      Obj ob3(o3);
      ob3.OptStr("protocol", p.protocol);
      if (p.port) {
        ob3.Key("port");
        WriteIntOrString(o3, *p.port);
      }
    });
  });
}

void Write(std::string& o, const ms::TargetGroupBindingResourceSpec& s) {
  Obj ob(o);
  ob.Key("template");
  Obj tpl(o);
  tpl.Key("metadata");
  {
    Obj md(o);
    md.StrOmit("name", s.template_.name);
    md.StrOmit("namespace", s.template_.namespace_);
  }
  tpl.Key("spec");
  const auto& sp = s.template_.spec;
  Obj spec(o);
  spec.Key("targetGroupARN");
  WriteToken(o, sp.target_group_arn);
  spec.OptStr("targetType", sp.target_type);
  spec.Key("serviceRef");
  {
    Obj ref(o);
    ref.Str("name", sp.service_ref.name);
    ref.Key("port");
    WriteIntOrString(o, sp.service_ref.port);
  }
  if (sp.networking) {
    spec.Key("networking");
    Write(o, *sp.networking);
  }
  if (sp.node_selector) {
    spec.Key("nodeSelector");
    WriteLabelSelector(o, *sp.node_selector);
  }
  spec.StrOmit("ipAddressType", sp.ip_address_type);
  spec.StrOmit("vpcID", sp.vpc_id);
  if (sp.multi_cluster_target_group) spec.Bool("multiClusterTargetGroup", true);
  spec.OptStr("targetGroupProtocol", sp.target_group_protocol);
}

template <typename T, typename Fn>
void WriteResources(Obj& top, const ms::ResourceMap<T>& m, Fn write) {
  if (m.empty()) return;
  top.Key(T::kType);
  std::string& o = top.out();
  Obj ids(o);
  for (const auto& [id, res] : m) {
    ids.KeyS(id);
    write(o, res);
  }
}

// {"spec": ..., "status": ...} for resources that have a status slot.
template <typename R, typename StatusFn>
void WriteSpecStatus(std::string& o, const R& r, StatusFn write_status) {
  Obj ob(o);
  ob.Key("spec");
  Write(o, r.spec);
  if (r.status) {
    ob.Key("status");
    write_status(o, *r.status);
  }
}

}  // namespace

std::string GoJsonQuote(const std::string& s) {
  std::string o;
  o.reserve(s.size() + 2);
  o += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          o += "\\\"";
          break;
        case '\\':
          o += "\\\\";
          break;
        case '\n':
          o += "\\n";
          break;
        case '\r':
          o += "\\r";
          break;
        case '\t':
          o += "\\t";
          break;
        case '\b':
          o += "\\b";
          break;
        case '\f':
          o += "\\f";
          break;
        case '<':
        case '>':
        case '&':
          AppendUnicodeEscape(o, c);
          break;
        default:
          if (c < 0x20) {
            AppendUnicodeEscape(o, c);
          } else {
            o += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    unsigned cp = 0;
    size_t n = Utf8SeqLen(s, i, &cp);
    if (n == 0) {
      o += "\\ufffd";
      ++i;
      continue;
    }
    if (cp == 0x2028 || cp == 0x2029) {
      AppendUnicodeEscape(o, cp);
    } else {
      o.append(s, i, n);
    }
    i += n;
  }
  o += '"';
  return o;
}

std::string MarshalStack(const ms::Stack& stack) {
  std::string o;
  Obj top(o);
  top.Str("id", stack.stack_id().String());
  top.Key("resources");
  Obj res(o);
  // Resource type keys in byte order: "AWS::ACM::Certificate" < "AWS::EC2::SecurityGroup" <
  // "AWS::ElasticLoadBalancingV2::..." (Listener < ListenerRule < LoadBalancer < TargetGroup) <
  // "AWS::Shield::Protection" < "AWS::WAFRegional::..." < "AWS::WAFv2::..." <
  // "FrontendNLBTargetGroup" < "K8S::...".
  WriteResources(res, stack.List<ms::AcmCertificate>(), [](std::string& o2, const ms::AcmCertificate& r) {
    Obj ob(o2);
    ob.Key("spec");
    {
      Obj sp(o2);
      sp.Str("type", r.spec.type);
      sp.Str("certificateAuthorityARN", r.spec.certificate_authority_arn);
      sp.Str("domainName", r.spec.domain_name);
      StrsNullable(sp, "subjectAlternativeNames", r.spec.subject_alternative_names);
      sp.Str("validationMethod", r.spec.validation_method);
      sp.Str("keyAlgorithm", r.spec.key_algorithm);
      MapOmit(sp, "tags", r.spec.tags);
    }
    if (r.status) {
      ob.Key("status");
      Obj st(o2);
      st.Str("certificateARN", r.status->certificate_arn);
    }
  });
  WriteResources(res, stack.List<ms::SecurityGroup>(), [](std::string& o2, const ms::SecurityGroup& r) {
    WriteSpecStatus(o2, r, [](std::string& o3, const ms::SecurityGroupStatus& s) {
      Obj st(o3);
      st.Str("groupID", s.group_id);
    });
  });
  WriteResources(res, stack.List<ms::Listener>(), [](std::string& o2, const ms::Listener& r) {
    WriteSpecStatus(o2, r, [](std::string& o3, const ms::ListenerStatus& s) {
      Obj st(o3);
      st.Str("listenerARN", s.listener_arn);
    });
  });
  WriteResources(res, stack.List<ms::ListenerRule>(), [](std::string& o2, const ms::ListenerRule& r) {
    WriteSpecStatus(o2, r, [](std::string& o3, const ms::ListenerRuleStatus& s) {
      Obj st(o3);
      st.Str("ruleARN", s.rule_arn);
    });
  });
  WriteResources(res, stack.List<ms::LoadBalancer>(), [](std::string& o2, const ms::LoadBalancer& r) {
    WriteSpecStatus(o2, r, [](std::string& o3, const ms::LoadBalancerStatus& s) {
      Obj st(o3);
      st.Str("loadBalancerARN", s.load_balancer_arn);
      st.Str("dnsName", s.dns_name);
      st.Key("provisioningState");
      if (s.provisioning_state) {
        Obj ps(o3);
        ps.Str("Code", *s.provisioning_state);
      } else {
        o3 += "null";
      }
    });
  });
  WriteResources(res, stack.List<ms::TargetGroup>(), [](std::string& o2, const ms::TargetGroup& r) {
    WriteSpecStatus(o2, r, [](std::string& o3, const ms::TargetGroupStatus& s) {
      Obj st(o3);
      st.Str("targetGroupARN", s.target_group_arn);
    });
  });
  WriteResources(res, stack.List<ms::ShieldProtection>(), [](std::string& o2, const ms::ShieldProtection& r) {
    Obj ob(o2);
    ob.Key("spec");
    Obj sp(o2);
    sp.Bool("enabled", r.spec.enabled);
    sp.Key("resourceARN");
    WriteToken(o2, r.spec.resource_arn);
  });
  WriteResources(res, stack.List<ms::WafRegionalWebACLAssociation>(),
                 [](std::string& o2, const ms::WafRegionalWebACLAssociation& r) {
                   Obj ob(o2);
                   ob.Key("spec");
                   Obj sp(o2);
                   sp.Str("webACLID", r.spec.web_acl_id);
                   sp.Key("resourceARN");
                   WriteToken(o2, r.spec.resource_arn);
                 });
  WriteResources(res, stack.List<ms::WebACLAssociation>(), [](std::string& o2, const ms::WebACLAssociation& r) {
    Obj ob(o2);
    ob.Key("spec");
    Obj sp(o2);
    sp.Str("webACLARN", r.spec.web_acl_arn);
    sp.Key("resourceARN");
    WriteToken(o2, r.spec.resource_arn);
  });
  WriteResources(res, stack.List<ms::FrontendNlbTargetGroupDesiredState>(),
                 [](std::string& o2, const ms::FrontendNlbTargetGroupDesiredState& r) {
                   Obj ob(o2);
                   ob.Key("TargetGroups");
                   Obj tgs(o2);
                   for (const auto& [k, st] : r.target_groups) {
                     tgs.KeyS(k);
                     Obj s(o2);
                     s.Str("Name", st.name);
                     s.Key("ARN");
                     WriteToken(o2, st.arn);
                     s.Int("Port", st.port);
                     s.Key("TargetARN");
                     WriteToken(o2, st.target_arn);
                     s.Int("TargetPort", st.target_port);
                   }
                 });
  WriteResources(res, stack.List<ms::TargetGroupBindingResource>(),
                 [](std::string& o2, const ms::TargetGroupBindingResource& r) {
                   WriteSpecStatus(o2, r, [](std::string& o3, const ms::TargetGroupBindingResourceStatus& s) {
                     Obj st(o3);
                     st.Key("targetGroupBindingRef");
                     Obj ref(o3);
                     ref.StrOmit("namespace", s.namespace_);
                     ref.StrOmit("name", s.name);
                   });
                 });
  return o;
}

#define SIM_TO_JSON(T)         \
  std::string ToJson(const T& v) { \
    std::string o;             \
    Write(o, v);               \
    return o;                  \
  }

std::string ToJson(const ms::StringToken& token) {
  std::string o;
  WriteToken(o, token);
  return o;
}
SIM_TO_JSON(ms::Action)
SIM_TO_JSON(ms::RuleCondition)
SIM_TO_JSON(ms::Transform)
SIM_TO_JSON(ms::RedirectActionConfig)
SIM_TO_JSON(ms::HealthCheckMatcher)
SIM_TO_JSON(ms::TargetGroupBindingNetworking)
SIM_TO_JSON(ms::LoadBalancerSpec)
SIM_TO_JSON(ms::ListenerSpec)
SIM_TO_JSON(ms::ListenerRuleSpec)
SIM_TO_JSON(ms::TargetGroupSpec)
SIM_TO_JSON(ms::SecurityGroupSpec)
SIM_TO_JSON(ms::TargetGroupBindingResourceSpec)

#undef SIM_TO_JSON

std::string ToJsonUnredacted(const ms::Action& action) {
  g_unredacted = true;
  std::string o;
  Write(o, action);
  g_unredacted = false;
  return o;
}

}  // namespace sim::controller
