#include "sim/aws/aws_json.h"

#include <algorithm>
#include <ctime>
#include <optional>

#include <nlohmann/json.hpp>

#include "sim/aws/fake_elbv2.h"
#include "sim/base/crypto.h"

namespace sim::aws {

namespace m = ::sim::model::aws;
using J = nlohmann::ordered_json;

namespace {

// Adds `key` only when the optional / string / list is set.
void Put(J& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}
template <typename T>
void Put(J& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}
void PutList(J& j, const char* key, const std::vector<std::string>& v) {
  if (!v.empty()) j[key] = v;
}

J TagsJ(const std::vector<m::Tag>& tags) {
  J arr = J::array();
  for (const m::Tag& t : tags) arr.push_back(J{{"Key", t.key}, {"Value", t.value}});
  return arr;
}

J AttrsJ(const std::vector<m::Attribute>& attrs) {
  J arr = J::array();
  for (const m::Attribute& a : attrs) arr.push_back(J{{"Key", a.key}, {"Value", a.value}});
  return arr;
}

J LbJ(const m::LoadBalancer& lb) {
  J j;
  j["LoadBalancerArn"] = lb.load_balancer_arn;
  j["DNSName"] = lb.dns_name;
  Put(j, "CanonicalHostedZoneId", lb.canonical_hosted_zone_id);
  j["CreatedTime"] = FormatAwsTimestamp(lb.created_time);
  j["LoadBalancerName"] = lb.load_balancer_name;
  j["Scheme"] = lb.scheme;
  j["VpcId"] = lb.vpc_id;
  J state{{"Code", lb.state.code}};
  Put(state, "Reason", lb.state.reason);
  j["State"] = state;
  j["Type"] = lb.type;
  J azs = J::array();
  for (const m::AvailabilityZone& z : lb.availability_zones) {
    J az{{"ZoneName", z.zone_name}, {"SubnetId", z.subnet_id}};
    Put(az, "OutpostId", z.outpost_id);
    J addrs = J::array();
    for (const m::LoadBalancerAddress& a : z.load_balancer_addresses) {
      J addr;
      Put(addr, "IpAddress", a.ip_address);
      Put(addr, "AllocationId", a.allocation_id);
      Put(addr, "PrivateIPv4Address", a.private_ipv4_address);
      Put(addr, "IPv6Address", a.ipv6_address);
      addrs.push_back(addr);
    }
    az["LoadBalancerAddresses"] = addrs;
    azs.push_back(az);
  }
  j["AvailabilityZones"] = azs;
  j["SecurityGroups"] = lb.security_groups;
  j["IpAddressType"] = lb.ip_address_type;
  Put(j, "CustomerOwnedIpv4Pool", lb.customer_owned_ipv4_pool);
  return j;
}

J ExtraParamsJ(const std::map<std::string, std::string>& params) {
  J j = J::object();
  for (const auto& [k, v] : params) j[k] = v;
  return j;
}

J ActionJ(const m::Action& a) {
  J j;
  j["Type"] = a.type;
  Put(j, "TargetGroupArn", a.target_group_arn);
  if (a.authenticate_oidc_config) {
    const auto& o = *a.authenticate_oidc_config;
    J c;
    c["Issuer"] = o.issuer;
    c["AuthorizationEndpoint"] = o.authorization_endpoint;
    c["TokenEndpoint"] = o.token_endpoint;
    c["UserInfoEndpoint"] = o.user_info_endpoint;
    c["ClientId"] = o.client_id;
    Put(c, "ClientSecret", o.client_secret);
    Put(c, "SessionCookieName", o.session_cookie_name);
    Put(c, "Scope", o.scope);
    Put(c, "SessionTimeout", o.session_timeout);
    if (!o.authentication_request_extra_params.empty()) {
      c["AuthenticationRequestExtraParams"] = ExtraParamsJ(o.authentication_request_extra_params);
    }
    Put(c, "OnUnauthenticatedRequest", o.on_unauthenticated_request);
    Put(c, "UseExistingClientSecret", o.use_existing_client_secret);
    j["AuthenticateOidcConfig"] = c;
  }
  if (a.authenticate_cognito_config) {
    const auto& o = *a.authenticate_cognito_config;
    J c;
    c["UserPoolArn"] = o.user_pool_arn;
    c["UserPoolClientId"] = o.user_pool_client_id;
    c["UserPoolDomain"] = o.user_pool_domain;
    Put(c, "SessionCookieName", o.session_cookie_name);
    Put(c, "Scope", o.scope);
    Put(c, "SessionTimeout", o.session_timeout);
    if (!o.authentication_request_extra_params.empty()) {
      c["AuthenticationRequestExtraParams"] = ExtraParamsJ(o.authentication_request_extra_params);
    }
    Put(c, "OnUnauthenticatedRequest", o.on_unauthenticated_request);
    j["AuthenticateCognitoConfig"] = c;
  }
  Put(j, "Order", a.order);
  if (a.redirect_config) {
    const auto& r = *a.redirect_config;
    J c;
    Put(c, "Protocol", r.protocol);
    Put(c, "Port", r.port);
    Put(c, "Host", r.host);
    Put(c, "Path", r.path);
    Put(c, "Query", r.query);
    c["StatusCode"] = r.status_code;
    j["RedirectConfig"] = c;
  }
  if (a.fixed_response_config) {
    const auto& f = *a.fixed_response_config;
    J c;
    Put(c, "MessageBody", f.message_body);
    c["StatusCode"] = f.status_code;
    Put(c, "ContentType", f.content_type);
    j["FixedResponseConfig"] = c;
  }
  if (a.forward_config) {
    J c;
    J tgs = J::array();
    for (const m::TargetGroupTuple& t : a.forward_config->target_groups) {
      J tj{{"TargetGroupArn", t.target_group_arn}};
      Put(tj, "Weight", t.weight);
      tgs.push_back(tj);
    }
    c["TargetGroups"] = tgs;
    if (a.forward_config->target_group_stickiness_config) {
      J s = J::object();
      Put(s, "Enabled", a.forward_config->target_group_stickiness_config->enabled);
      Put(s, "DurationSeconds", a.forward_config->target_group_stickiness_config->duration_seconds);
      c["TargetGroupStickinessConfig"] = s;
    }
    j["ForwardConfig"] = c;
  }
  return j;
}

J ActionsJ(const std::vector<m::Action>& actions) {
  J arr = J::array();
  for (const m::Action& a : actions) arr.push_back(ActionJ(a));
  return arr;
}

J ValuesConfigJ(const std::vector<std::string>& values, const std::vector<std::string>& regex) {
  J c = J::object();
  if (!values.empty() || regex.empty()) c["Values"] = values;
  PutList(c, "RegexValues", regex);
  return c;
}

J ConditionJ(const m::RuleCondition& c) {
  J j;
  j["Field"] = c.field;
  PutList(j, "Values", c.values);
  if (c.host_header_config) {
    j["HostHeaderConfig"] = ValuesConfigJ(c.host_header_config->values, c.host_header_config->regex_values);
  }
  if (c.path_pattern_config) {
    j["PathPatternConfig"] = ValuesConfigJ(c.path_pattern_config->values, c.path_pattern_config->regex_values);
  }
  if (c.http_header_config) {
    J h = ValuesConfigJ(c.http_header_config->values, c.http_header_config->regex_values);
    J out{{"HttpHeaderName", c.http_header_config->http_header_name}};
    for (auto it = h.begin(); it != h.end(); ++it) out[it.key()] = it.value();
    j["HttpHeaderConfig"] = out;
  }
  if (c.query_string_config) {
    J vals = J::array();
    for (const m::QueryStringKeyValuePair& kv : c.query_string_config->values) {
      J p;
      Put(p, "Key", kv.key);
      p["Value"] = kv.value;
      vals.push_back(p);
    }
    j["QueryStringConfig"] = J{{"Values", vals}};
  }
  if (c.http_request_method_config) j["HttpRequestMethodConfig"] = J{{"Values", c.http_request_method_config->values}};
  if (c.source_ip_config) j["SourceIpConfig"] = J{{"Values", c.source_ip_config->values}};
  return j;
}

J ConditionsJ(const std::vector<m::RuleCondition>& conditions) {
  J arr = J::array();
  for (const m::RuleCondition& c : conditions) arr.push_back(ConditionJ(c));
  return arr;
}

J RewritesJ(const std::vector<m::RewriteConfig>& rewrites) {
  J arr = J::array();
  for (const m::RewriteConfig& r : rewrites) arr.push_back(J{{"Regex", r.regex}, {"Replace", r.replace}});
  return J{{"Rewrites", arr}};
}

J TransformsJ(const std::vector<m::RuleTransform>& transforms) {
  J arr = J::array();
  for (const m::RuleTransform& t : transforms) {
    J j{{"Type", t.type}};
    if (t.host_header_rewrite_config) j["HostHeaderRewriteConfig"] = RewritesJ(*t.host_header_rewrite_config);
    if (t.url_rewrite_config) j["UrlRewriteConfig"] = RewritesJ(*t.url_rewrite_config);
    arr.push_back(j);
  }
  return arr;
}

J RuleJ(const m::Rule& r) {
  J j;
  j["RuleArn"] = r.rule_arn;
  j["Priority"] = r.priority;
  j["Conditions"] = ConditionsJ(r.conditions);
  j["Actions"] = ActionsJ(r.actions);
  j["IsDefault"] = r.is_default;
  if (!r.transforms.empty()) j["Transforms"] = TransformsJ(r.transforms);
  return j;
}

J CertJ(const m::Certificate& c) {
  J j{{"CertificateArn", c.certificate_arn}};
  Put(j, "IsDefault", c.is_default);
  return j;
}

J CertsJ(const std::vector<m::Certificate>& certs) {
  J arr = J::array();
  for (const m::Certificate& c : certs) arr.push_back(CertJ(c));
  return arr;
}

J MutualAuthJ(const m::MutualAuthenticationAttributes& a) {
  J j{{"Mode", a.mode}};
  Put(j, "TrustStoreArn", a.trust_store_arn);
  Put(j, "IgnoreClientCertificateExpiry", a.ignore_client_certificate_expiry);
  Put(j, "TrustStoreAssociationStatus", a.trust_store_association_status);
  Put(j, "AdvertiseTrustStoreCaNames", a.advertise_trust_store_ca_names);
  return j;
}

J ListenerJ(const m::Listener& l) {
  J j;
  j["ListenerArn"] = l.listener_arn;
  j["LoadBalancerArn"] = l.load_balancer_arn;
  Put(j, "Port", l.port);
  j["Protocol"] = l.protocol;
  if (!l.certificates.empty()) j["Certificates"] = CertsJ(l.certificates);
  Put(j, "SslPolicy", l.ssl_policy);
  j["DefaultActions"] = ActionsJ(l.default_actions);
  PutList(j, "AlpnPolicy", l.alpn_policy);
  if (l.mutual_authentication) j["MutualAuthentication"] = MutualAuthJ(*l.mutual_authentication);
  return j;
}

J MatcherJ(const m::Matcher& mt) {
  J j = J::object();
  Put(j, "HttpCode", mt.http_code);
  Put(j, "GrpcCode", mt.grpc_code);
  return j;
}

J TgJ(const m::TargetGroup& tg) {
  J j;
  j["TargetGroupArn"] = tg.target_group_arn;
  j["TargetGroupName"] = tg.target_group_name;
  Put(j, "Protocol", tg.protocol);
  Put(j, "Port", tg.port);
  Put(j, "VpcId", tg.vpc_id);
  Put(j, "HealthCheckProtocol", tg.health_check_protocol);
  Put(j, "HealthCheckPort", tg.health_check_port);
  j["HealthCheckEnabled"] = tg.health_check_enabled;
  j["HealthCheckIntervalSeconds"] = tg.health_check_interval_seconds;
  j["HealthCheckTimeoutSeconds"] = tg.health_check_timeout_seconds;
  j["HealthyThresholdCount"] = tg.healthy_threshold_count;
  j["UnhealthyThresholdCount"] = tg.unhealthy_threshold_count;
  Put(j, "HealthCheckPath", tg.health_check_path);
  if (tg.matcher) j["Matcher"] = MatcherJ(*tg.matcher);
  j["LoadBalancerArns"] = tg.load_balancer_arns;
  j["TargetType"] = tg.target_type;
  Put(j, "ProtocolVersion", tg.protocol_version);
  Put(j, "IpAddressType", tg.ip_address_type);
  return j;
}

J TargetJ(const m::TargetDescription& t) {
  J j{{"Id", t.id}};
  Put(j, "Port", t.port);
  Put(j, "AvailabilityZone", t.availability_zone);
  return j;
}

J ThdJ(const m::TargetHealthDescription& d) {
  J j;
  j["Target"] = TargetJ(d.target);
  Put(j, "HealthCheckPort", d.health_check_port);
  J h{{"State", d.target_health.state}};
  Put(h, "Reason", d.target_health.reason);
  Put(h, "Description", d.target_health.description);
  j["TargetHealth"] = h;
  return j;
}

J PermJ(const m::IpPermission& p) {
  J j;
  if (p.from_port) j["FromPort"] = *p.from_port;
  j["IpProtocol"] = p.ip_protocol;
  J ranges = J::array();
  for (const m::IpRange& r : p.ip_ranges) {
    J x{{"CidrIp", r.cidr_ip}};
    Put(x, "Description", r.description);
    ranges.push_back(x);
  }
  j["IpRanges"] = ranges;
  J v6 = J::array();
  for (const m::Ipv6Range& r : p.ipv6_ranges) {
    J x{{"CidrIpv6", r.cidr_ipv6}};
    Put(x, "Description", r.description);
    v6.push_back(x);
  }
  j["Ipv6Ranges"] = v6;
  J pl = J::array();
  for (const m::PrefixListId& r : p.prefix_list_ids) {
    J x{{"PrefixListId", r.prefix_list_id}};
    Put(x, "Description", r.description);
    pl.push_back(x);
  }
  j["PrefixListIds"] = pl;
  if (p.to_port) j["ToPort"] = *p.to_port;
  J groups = J::array();
  for (const m::UserIdGroupPair& g : p.user_id_group_pairs) {
    J x;
    Put(x, "Description", g.description);
    x["GroupId"] = g.group_id;
    Put(x, "UserId", g.user_id);
    groups.push_back(x);
  }
  j["UserIdGroupPairs"] = groups;
  return j;
}

J PermsJ(const std::vector<m::IpPermission>& perms) {
  J arr = J::array();
  for (const m::IpPermission& p : perms) arr.push_back(PermJ(p));
  return arr;
}

J SgJ(const m::SecurityGroup& g) {
  J j;
  j["Description"] = g.description;
  j["GroupName"] = g.group_name;
  j["IpPermissions"] = PermsJ(g.ip_permissions);
  j["OwnerId"] = g.owner_id;
  j["GroupId"] = g.group_id;
  j["IpPermissionsEgress"] = PermsJ(g.ip_permissions_egress);
  if (!g.tags.empty()) j["Tags"] = TagsJ(g.tags);
  j["VpcId"] = g.vpc_id;
  Put(j, "SecurityGroupArn", g.security_group_arn);
  return j;
}

J SubnetJ(const m::Subnet& s) {
  J j;
  j["AvailabilityZone"] = s.availability_zone;
  j["AvailabilityZoneId"] = s.availability_zone_id;
  j["AvailableIpAddressCount"] = s.available_ip_address_count;
  j["CidrBlock"] = s.cidr_block;
  j["DefaultForAz"] = s.default_for_az;
  j["MapPublicIpOnLaunch"] = s.map_public_ip_on_launch;
  j["State"] = s.state;
  j["SubnetId"] = s.subnet_id;
  j["VpcId"] = s.vpc_id;
  j["OwnerId"] = s.owner_id;
  J v6 = J::array();
  for (const std::string& c : s.ipv6_cidr_blocks) {
    v6.push_back(J{{"Ipv6CidrBlock", c}, {"Ipv6CidrBlockState", J{{"State", "associated"}}}});
  }
  j["Ipv6CidrBlockAssociationSet"] = v6;
  if (!s.tags.empty()) j["Tags"] = TagsJ(s.tags);
  j["SubnetArn"] = s.subnet_arn;
  Put(j, "OutpostArn", s.outpost_arn);
  return j;
}

J VpcJ(const m::Vpc& v) {
  J j;
  j["CidrBlock"] = v.cidr_block;
  j["State"] = v.state;
  j["VpcId"] = v.vpc_id;
  j["OwnerId"] = v.owner_id;
  J assoc = J::array();
  assoc.push_back(J{{"CidrBlock", v.cidr_block}, {"CidrBlockState", J{{"State", "associated"}}}});
  for (const std::string& c : v.secondary_cidr_blocks) {
    assoc.push_back(J{{"CidrBlock", c}, {"CidrBlockState", J{{"State", "associated"}}}});
  }
  j["CidrBlockAssociationSet"] = assoc;
  if (!v.ipv6_cidr_blocks.empty()) {
    J v6 = J::array();
    for (const std::string& c : v.ipv6_cidr_blocks) {
      v6.push_back(J{{"Ipv6CidrBlock", c}, {"Ipv6CidrBlockState", J{{"State", "associated"}}}});
    }
    j["Ipv6CidrBlockAssociationSet"] = v6;
  }
  j["IsDefault"] = v.is_default;
  if (!v.tags.empty()) j["Tags"] = TagsJ(v.tags);
  return j;
}

J RouteTableJ(const m::RouteTable& t) {
  J j;
  J assoc = J::array();
  for (const m::RouteTableAssociation& a : t.associations) {
    J x{{"Main", a.main}, {"RouteTableAssociationId", a.route_table_association_id}, {"RouteTableId", a.route_table_id}};
    Put(x, "SubnetId", a.subnet_id);
    assoc.push_back(x);
  }
  j["Associations"] = assoc;
  j["RouteTableId"] = t.route_table_id;
  J routes = J::array();
  for (const m::Route& r : t.routes) {
    J x{{"DestinationCidrBlock", r.destination_cidr_block}};
    Put(x, "GatewayId", r.gateway_id);
    Put(x, "NatGatewayId", r.nat_gateway_id);
    x["State"] = r.state;
    routes.push_back(x);
  }
  j["Routes"] = routes;
  if (!t.tags.empty()) j["Tags"] = TagsJ(t.tags);
  j["VpcId"] = t.vpc_id;
  j["OwnerId"] = t.owner_id;
  return j;
}

J GroupIdsJ(const std::vector<m::GroupIdentifier>& groups) {
  J arr = J::array();
  for (const m::GroupIdentifier& g : groups) arr.push_back(J{{"GroupId", g.group_id}, {"GroupName", g.group_name}});
  return arr;
}

J InstanceJ(const m::Instance& i) {
  J j;
  j["InstanceId"] = i.instance_id;
  Put(j, "InstanceType", i.instance_type);
  j["Placement"] = J{{"AvailabilityZone", i.availability_zone}};
  Put(j, "PrivateDnsName", i.private_dns_name);
  j["PrivateIpAddress"] = i.private_ip_address;
  j["State"] = J{{"Name", i.state}};
  j["SubnetId"] = i.subnet_id;
  j["VpcId"] = i.vpc_id;
  J enis = J::array();
  for (const std::string& id : i.network_interface_ids) enis.push_back(J{{"NetworkInterfaceId", id}});
  j["NetworkInterfaces"] = enis;
  j["SecurityGroups"] = GroupIdsJ(i.security_groups);
  if (!i.tags.empty()) j["Tags"] = TagsJ(i.tags);
  return j;
}

J EniJ(const m::NetworkInterface& e) {
  J j;
  if (!e.attachment_instance_id.empty()) j["Attachment"] = J{{"InstanceId", e.attachment_instance_id}};
  j["AvailabilityZone"] = e.availability_zone;
  Put(j, "Description", e.description);
  j["Groups"] = GroupIdsJ(e.groups);
  j["InterfaceType"] = e.interface_type;
  j["NetworkInterfaceId"] = e.network_interface_id;
  j["PrivateIpAddress"] = e.private_ip_address;
  J ips = J::array();
  for (const std::string& ip : e.private_ip_addresses) {
    ips.push_back(J{{"Primary", ip == e.private_ip_address}, {"PrivateIpAddress", ip}});
  }
  j["PrivateIpAddresses"] = ips;
  j["Status"] = e.status;
  j["SubnetId"] = e.subnet_id;
  j["TagSet"] = TagsJ(e.tags);
  j["VpcId"] = e.vpc_id;
  return j;
}

J SubnetMappingsJ(const std::vector<m::SubnetMapping>& mappings) {
  J arr = J::array();
  for (const m::SubnetMapping& s : mappings) {
    J x{{"SubnetId", s.subnet_id}};
    Put(x, "AllocationId", s.allocation_id);
    Put(x, "PrivateIPv4Address", s.private_ipv4_address);
    Put(x, "IPv6Address", s.ipv6_address);
    arr.push_back(x);
  }
  return arr;
}

std::string Dump(const J& j) { return j.dump(); }

// The frequent requests (every Describe, RegisterTargets) are rendered straight into a string,
// byte for byte as Dump of the same ordered_json would render them (members in insertion order,
// nlohmann's string escapes), without building the JSON tree. A string with a byte outside ASCII
// is rendered by nlohmann itself (it validates UTF-8), which writes a string inside an object the
// same way as on its own.
class FastJson {
 public:
  FastJson() { out_.reserve(160); }
  FastJson& Open() { return Raw('{'); }
  FastJson& Close() { return Raw('}'); }
  FastJson& OpenArray() { return Raw('['); }
  FastJson& CloseArray() { return Raw(']'); }
  // `"key":` after a comma unless it is the first member of its object.
  FastJson& Key(const char* key) {
    Comma();
    out_ += '"';
    out_ += key;
    out_ += "\":";
    first_ = true;
    return *this;
  }
  FastJson& String(std::string_view s) {
    Comma();
    const size_t start = out_.size();  // where the string's text begins (rewound for non-ASCII)
    out_ += '"';
    size_t plain = 0;  // start of the run of bytes copied as they are
    for (size_t i = 0; i < s.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') continue;
      if (c >= 0x80) {  // non-ASCII: nlohmann's escaping (and UTF-8 checks) instead, for the whole string
        out_.resize(start);
        out_ += J(std::string(s)).dump();
        return *this;
      }
      out_.append(s.data() + plain, i - plain);
      plain = i + 1;
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default: {  // another control character
          static const char* kHex = "0123456789abcdef";
          out_ += "\\u00";
          out_ += kHex[c >> 4];
          out_ += kHex[c & 15];
        }
      }
    }
    out_.append(s.data() + plain, s.size() - plain);
    out_ += '"';
    return *this;
  }
  FastJson& Int(int64_t v) {
    Comma();
    out_ += std::to_string(v);
    return *this;
  }
  FastJson& Bool(bool v) {
    Comma();
    out_ += v ? "true" : "false";
    return *this;
  }
  // Put of an optional: the member whenever it is set (an empty string too).
  FastJson& OptValue(const char* key, const std::optional<std::string>& v) { return v ? Key(key).String(*v) : *this; }
  FastJson& OptValue(const char* key, const std::optional<int>& v) { return v ? Key(key).Int(*v) : *this; }
  FastJson& OptValue(const char* key, const std::optional<bool>& v) { return v ? Key(key).Bool(*v) : *this; }
  FastJson& Tags(const std::vector<m::Tag>& tags) {
    OpenArray();
    for (const m::Tag& t : tags) Open().Key("Key").String(t.key).Key("Value").String(t.value).Close();
    return CloseArray();
  }
  FastJson& OptTags(const char* key, const std::vector<m::Tag>& tags) { return tags.empty() ? *this : Key(key).Tags(tags); }
  FastJson& Strings(const std::vector<std::string>& v) {
    OpenArray();
    for (const std::string& s : v) String(s);
    return CloseArray();
  }
  // Put / PutList: the member only when set.
  FastJson& Opt(const char* key, const std::string& v) { return v.empty() ? *this : Key(key).String(v); }
  FastJson& OptList(const char* key, const std::vector<std::string>& v) {
    return v.empty() ? *this : Key(key).Strings(v);
  }
  FastJson& Targets(const std::vector<m::TargetDescription>& targets) {
    OpenArray();
    for (const m::TargetDescription& t : targets) {
      Open().Key("Id").String(t.id);
      if (t.port) Key("Port").Int(*t.port);
      if (t.availability_zone) Key("AvailabilityZone").String(*t.availability_zone);
      Close();
    }
    return CloseArray();
  }
  FastJson& Filters(const std::vector<m::Filter>& filters) {
    OpenArray();
    for (const m::Filter& x : filters) Open().Key("Name").String(x.name).Key("Values").Strings(x.values).Close();
    return CloseArray();
  }
  // The member only when the list is not empty.
  FastJson& OptTargets(const char* key, const std::vector<m::TargetDescription>& v) {
    return v.empty() ? *this : Key(key).Targets(v);
  }
  FastJson& OptFilters(const char* key, const std::vector<m::Filter>& v) {
    return v.empty() ? *this : Key(key).Filters(v);
  }
  FastJson& OptValue(const char* key, const std::optional<int64_t>& v) { return v ? Key(key).Int(*v) : *this; }
  // ActionsJ / ConditionsJ / TransformsJ above, member for member (CreateRule and ModifyRule
  // requests; aws_json_test compares both renderings).
  FastJson& Actions(const std::vector<m::Action>& actions) {
    OpenArray();
    for (const m::Action& a : actions) Action(a);
    return CloseArray();
  }
  FastJson& Conditions(const std::vector<m::RuleCondition>& conditions) {
    OpenArray();
    for (const m::RuleCondition& c : conditions) Condition(c);
    return CloseArray();
  }
  FastJson& Transforms(const std::vector<m::RuleTransform>& transforms) {
    OpenArray();
    for (const m::RuleTransform& t : transforms) {
      Open().Key("Type").String(t.type);
      if (t.host_header_rewrite_config) Key("HostHeaderRewriteConfig").Rewrites(*t.host_header_rewrite_config);
      if (t.url_rewrite_config) Key("UrlRewriteConfig").Rewrites(*t.url_rewrite_config);
      Close();
    }
    return CloseArray();
  }
  std::string Take() { return std::move(out_); }

 private:
  FastJson& Action(const m::Action& a) {
    Open().Key("Type").String(a.type).OptValue("TargetGroupArn", a.target_group_arn);
    if (a.authenticate_oidc_config) {
      const auto& o = *a.authenticate_oidc_config;
      Key("AuthenticateOidcConfig").Open();
      Key("Issuer").String(o.issuer).Key("AuthorizationEndpoint").String(o.authorization_endpoint);
      Key("TokenEndpoint").String(o.token_endpoint).Key("UserInfoEndpoint").String(o.user_info_endpoint);
      Key("ClientId").String(o.client_id).OptValue("ClientSecret", o.client_secret);
      OptValue("SessionCookieName", o.session_cookie_name).OptValue("Scope", o.scope);
      OptValue("SessionTimeout", o.session_timeout).ExtraParams(o.authentication_request_extra_params);
      OptValue("OnUnauthenticatedRequest", o.on_unauthenticated_request);
      OptValue("UseExistingClientSecret", o.use_existing_client_secret).Close();
    }
    if (a.authenticate_cognito_config) {
      const auto& o = *a.authenticate_cognito_config;
      Key("AuthenticateCognitoConfig").Open();
      Key("UserPoolArn").String(o.user_pool_arn).Key("UserPoolClientId").String(o.user_pool_client_id);
      Key("UserPoolDomain").String(o.user_pool_domain);
      OptValue("SessionCookieName", o.session_cookie_name).OptValue("Scope", o.scope);
      OptValue("SessionTimeout", o.session_timeout).ExtraParams(o.authentication_request_extra_params);
      OptValue("OnUnauthenticatedRequest", o.on_unauthenticated_request).Close();
    }
    OptValue("Order", a.order);
    if (a.redirect_config) {
      const auto& r = *a.redirect_config;
      Key("RedirectConfig").Open().OptValue("Protocol", r.protocol).OptValue("Port", r.port);
      OptValue("Host", r.host).OptValue("Path", r.path).OptValue("Query", r.query);
      Key("StatusCode").String(r.status_code).Close();
    }
    if (a.fixed_response_config) {
      const auto& f = *a.fixed_response_config;
      Key("FixedResponseConfig").Open().OptValue("MessageBody", f.message_body);
      Key("StatusCode").String(f.status_code).OptValue("ContentType", f.content_type).Close();
    }
    if (a.forward_config) {
      Key("ForwardConfig").Open().Key("TargetGroups").OpenArray();
      for (const m::TargetGroupTuple& t : a.forward_config->target_groups) {
        Open().Key("TargetGroupArn").String(t.target_group_arn).OptValue("Weight", t.weight).Close();
      }
      CloseArray();
      if (const auto& s = a.forward_config->target_group_stickiness_config) {
        Key("TargetGroupStickinessConfig").Open().OptValue("Enabled", s->enabled);
        OptValue("DurationSeconds", s->duration_seconds).Close();
      }
      Close();
    }
    return Close();
  }
  // The members of ValuesConfigJ, into the object open now.
  FastJson& ValuesMembers(const std::vector<std::string>& values, const std::vector<std::string>& regex) {
    if (!values.empty() || regex.empty()) Key("Values").Strings(values);
    return OptList("RegexValues", regex);
  }
  FastJson& Condition(const m::RuleCondition& c) {
    Open().Key("Field").String(c.field).OptList("Values", c.values);
    if (c.host_header_config) {
      Key("HostHeaderConfig").Open().ValuesMembers(c.host_header_config->values, c.host_header_config->regex_values).Close();
    }
    if (c.path_pattern_config) {
      Key("PathPatternConfig").Open().ValuesMembers(c.path_pattern_config->values, c.path_pattern_config->regex_values).Close();
    }
    if (c.http_header_config) {
      const auto& h = *c.http_header_config;
      Key("HttpHeaderConfig").Open().Key("HttpHeaderName").String(h.http_header_name);
      ValuesMembers(h.values, h.regex_values).Close();
    }
    if (c.query_string_config) {
      Key("QueryStringConfig").Open().Key("Values").OpenArray();
      for (const m::QueryStringKeyValuePair& kv : c.query_string_config->values) {
        Open().OptValue("Key", kv.key).Key("Value").String(kv.value).Close();
      }
      CloseArray().Close();
    }
    if (c.http_request_method_config) {
      Key("HttpRequestMethodConfig").Open().Key("Values").Strings(c.http_request_method_config->values).Close();
    }
    if (c.source_ip_config) Key("SourceIpConfig").Open().Key("Values").Strings(c.source_ip_config->values).Close();
    return Close();
  }
  FastJson& ExtraParams(const std::map<std::string, std::string>& params) {
    if (params.empty()) return *this;
    Key("AuthenticationRequestExtraParams").Open();
    for (const auto& [k, v] : params) KeyText(k).String(v);
    return Close();
  }
  FastJson& Rewrites(const std::vector<m::RewriteConfig>& rewrites) {
    Open().Key("Rewrites").OpenArray();
    for (const m::RewriteConfig& r : rewrites) Open().Key("Regex").String(r.regex).Key("Replace").String(r.replace).Close();
    return CloseArray().Close();
  }
  // A member whose name is data (escaped as a string is).
  FastJson& KeyText(const std::string& key) {
    String(key);
    out_ += ':';
    first_ = true;
    return *this;
  }
  FastJson& Raw(char c) {
    if (c == '{' || c == '[') {
      Comma();
      out_ += c;
      first_ = true;
    } else {
      out_ += c;
      first_ = false;
    }
    return *this;
  }
  void Comma() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string out_;
  bool first_ = true;
};

}  // namespace

std::string FormatAwsTimestamp(SimTime t) {
  const int64_t ms = t.count();
  int64_t secs = kEpochUnixSeconds + ms / 1000;
  int64_t frac = ms % 1000;
  if (frac < 0) {
    frac += 1000;
    secs -= 1;
  }
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(frac));
  return buf;
}

std::string ToJson(const m::LoadBalancer& lb) { return Dump(LbJ(lb)); }
std::string ToJson(const m::Listener& l) { return Dump(ListenerJ(l)); }
std::string ToJson(const m::Rule& r) { return Dump(RuleJ(r)); }
std::string ToJson(const m::Action& a) { return Dump(ActionJ(a)); }
std::string ToJson(const m::RuleCondition& c) { return Dump(ConditionJ(c)); }
std::string ToJson(const m::TargetGroup& tg) { return Dump(TgJ(tg)); }
std::string ToJson(const m::TargetHealthDescription& d) { return Dump(ThdJ(d)); }
std::string ToJson(const m::TagDescription& td) {
  return Dump(J{{"ResourceArn", td.resource_arn}, {"Tags", TagsJ(td.tags)}});
}
std::string ToJson(const std::vector<m::Tag>& tags) { return Dump(TagsJ(tags)); }
std::string ToJson(const std::vector<m::Attribute>& attrs) { return Dump(AttrsJ(attrs)); }
std::string ToJson(const m::Certificate& c) { return Dump(CertJ(c)); }
std::string ToJson(const m::SecurityGroup& g) { return Dump(SgJ(g)); }
std::string ToJson(const m::Subnet& s) { return Dump(SubnetJ(s)); }
std::string ToJson(const m::Vpc& v) { return Dump(VpcJ(v)); }
std::string ToJson(const m::RouteTable& t) { return Dump(RouteTableJ(t)); }
std::string ToJson(const m::Instance& i) { return Dump(InstanceJ(i)); }
std::string ToJson(const m::NetworkInterface& e) { return Dump(EniJ(e)); }

// --- Requests -------------------------------------------------------------------------------------

std::string RequestJson(const CreateLoadBalancerRequest& r) {
  J j{{"Name", r.name}};
  PutList(j, "Subnets", r.subnets);
  if (!r.subnet_mappings.empty()) j["SubnetMappings"] = SubnetMappingsJ(r.subnet_mappings);
  PutList(j, "SecurityGroups", r.security_groups);
  Put(j, "Scheme", r.scheme);
  if (!r.tags.empty()) j["Tags"] = TagsJ(r.tags);
  Put(j, "Type", r.type);
  Put(j, "IpAddressType", r.ip_address_type);
  Put(j, "CustomerOwnedIpv4Pool", r.customer_owned_ipv4_pool);
  return Dump(j);
}
std::string RequestJson(const DescribeLoadBalancersRequest& r) {
  return FastJson().Open().OptList("LoadBalancerArns", r.load_balancer_arns).OptList("Names", r.names).Close().Take();
}
std::string RequestJson(const SetIpAddressTypeRequest& r) {
  return Dump(J{{"LoadBalancerArn", r.load_balancer_arn}, {"IpAddressType", r.ip_address_type}});
}
std::string RequestJson(const SetSubnetsRequest& r) {
  J j{{"LoadBalancerArn", r.load_balancer_arn}};
  PutList(j, "Subnets", r.subnets);
  if (!r.subnet_mappings.empty()) j["SubnetMappings"] = SubnetMappingsJ(r.subnet_mappings);
  Put(j, "IpAddressType", r.ip_address_type);
  return Dump(j);
}
std::string RequestJson(const SetSecurityGroupsRequest& r) {
  return Dump(J{{"LoadBalancerArn", r.load_balancer_arn}, {"SecurityGroups", r.security_groups}});
}
std::string RequestJson(const ModifyLoadBalancerAttributesRequest& r) {
  return Dump(J{{"LoadBalancerArn", r.load_balancer_arn}, {"Attributes", AttrsJ(r.attributes)}});
}
std::string RequestJson(const CreateListenerRequest& r) {
  J j{{"LoadBalancerArn", r.load_balancer_arn}};
  Put(j, "Protocol", r.protocol);
  Put(j, "Port", r.port);
  Put(j, "SslPolicy", r.ssl_policy);
  if (!r.certificates.empty()) j["Certificates"] = CertsJ(r.certificates);
  j["DefaultActions"] = ActionsJ(r.default_actions);
  PutList(j, "AlpnPolicy", r.alpn_policy);
  if (!r.tags.empty()) j["Tags"] = TagsJ(r.tags);
  if (r.mutual_authentication) j["MutualAuthentication"] = MutualAuthJ(*r.mutual_authentication);
  return Dump(j);
}
std::string RequestJson(const ModifyListenerRequest& r) {
  J j{{"ListenerArn", r.listener_arn}};
  Put(j, "Port", r.port);
  Put(j, "Protocol", r.protocol);
  Put(j, "SslPolicy", r.ssl_policy);
  if (r.certificates) j["Certificates"] = CertsJ(*r.certificates);
  if (r.default_actions) j["DefaultActions"] = ActionsJ(*r.default_actions);
  if (r.alpn_policy) j["AlpnPolicy"] = *r.alpn_policy;
  if (r.mutual_authentication) j["MutualAuthentication"] = MutualAuthJ(*r.mutual_authentication);
  return Dump(j);
}
std::string RequestJson(const DescribeListenersRequest& r) {
  return FastJson()
      .Open()
      .Opt("LoadBalancerArn", r.load_balancer_arn)
      .OptList("ListenerArns", r.listener_arns)
      .Close()
      .Take();
}
std::string RequestJson(const ListenerCertificatesRequest& r) {
  return Dump(J{{"ListenerArn", r.listener_arn}, {"Certificates", CertsJ(r.certificates)}});
}
std::string RequestJson(const ModifyListenerAttributesRequest& r) {
  return Dump(J{{"ListenerArn", r.listener_arn}, {"Attributes", AttrsJ(r.attributes)}});
}
std::string RequestJson(const CreateRuleRequest& r) {
  FastJson j;
  j.Open().Key("ListenerArn").String(r.listener_arn).Key("Conditions").Conditions(r.conditions);
  j.Key("Priority").Int(r.priority).Key("Actions").Actions(r.actions).OptTags("Tags", r.tags);
  if (!r.transforms.empty()) j.Key("Transforms").Transforms(r.transforms);
  return j.Close().Take();
}
std::string RequestJson(const ModifyRuleRequest& r) {
  FastJson j;
  j.Open().Key("RuleArn").String(r.rule_arn);
  if (r.conditions) j.Key("Conditions").Conditions(*r.conditions);
  if (r.actions) j.Key("Actions").Actions(*r.actions);
  if (r.transforms) j.Key("Transforms").Transforms(*r.transforms);
  if (r.reset_transforms) j.Key("ResetTransforms").Bool(true);
  return j.Close().Take();
}
std::string RequestJson(const DescribeRulesRequest& r) {
  return FastJson().Open().Opt("ListenerArn", r.listener_arn).OptList("RuleArns", r.rule_arns).Close().Take();
}
std::string RequestJson(const SetRulePrioritiesRequest& r) {
  J arr = J::array();
  for (const m::RulePriorityPair& p : r.rule_priorities) arr.push_back(J{{"RuleArn", p.rule_arn}, {"Priority", p.priority}});
  return Dump(J{{"RulePriorities", arr}});
}
std::string RequestJson(const CreateTargetGroupRequest& r) {
  FastJson j;
  j.Open().Key("Name").String(r.name);
  j.OptValue("Protocol", r.protocol).OptValue("ProtocolVersion", r.protocol_version).OptValue("Port", r.port);
  j.OptValue("VpcId", r.vpc_id).OptValue("HealthCheckProtocol", r.health_check_protocol);
  j.OptValue("HealthCheckPort", r.health_check_port).OptValue("HealthCheckEnabled", r.health_check_enabled);
  j.OptValue("HealthCheckPath", r.health_check_path);
  j.OptValue("HealthCheckIntervalSeconds", r.health_check_interval_seconds);
  j.OptValue("HealthCheckTimeoutSeconds", r.health_check_timeout_seconds);
  j.OptValue("HealthyThresholdCount", r.healthy_threshold_count);
  j.OptValue("UnhealthyThresholdCount", r.unhealthy_threshold_count);
  if (r.matcher) {
    j.Key("Matcher").Open().OptValue("HttpCode", r.matcher->http_code).OptValue("GrpcCode", r.matcher->grpc_code).Close();
  }
  j.OptValue("TargetType", r.target_type).OptTags("Tags", r.tags).OptValue("IpAddressType", r.ip_address_type);
  return j.Close().Take();
}
std::string RequestJson(const ModifyTargetGroupRequest& r) {
  J j{{"TargetGroupArn", r.target_group_arn}};
  Put(j, "HealthCheckProtocol", r.health_check_protocol);
  Put(j, "HealthCheckPort", r.health_check_port);
  Put(j, "HealthCheckPath", r.health_check_path);
  Put(j, "HealthCheckEnabled", r.health_check_enabled);
  Put(j, "HealthCheckIntervalSeconds", r.health_check_interval_seconds);
  Put(j, "HealthCheckTimeoutSeconds", r.health_check_timeout_seconds);
  Put(j, "HealthyThresholdCount", r.healthy_threshold_count);
  Put(j, "UnhealthyThresholdCount", r.unhealthy_threshold_count);
  if (r.matcher) j["Matcher"] = MatcherJ(*r.matcher);
  return Dump(j);
}
std::string RequestJson(const DescribeTargetGroupsRequest& r) {
  return FastJson()
      .Open()
      .Opt("LoadBalancerArn", r.load_balancer_arn)
      .OptList("TargetGroupArns", r.target_group_arns)
      .OptList("Names", r.names)
      .Close()
      .Take();
}
std::string RequestJson(const ModifyTargetGroupAttributesRequest& r) {
  return Dump(J{{"TargetGroupArn", r.target_group_arn}, {"Attributes", AttrsJ(r.attributes)}});
}
std::string RequestJson(const TargetsRequest& r) {
  return FastJson()
      .Open()
      .Key("TargetGroupArn")
      .String(r.target_group_arn)
      .Key("Targets")
      .Targets(r.targets)
      .Close()
      .Take();
}
std::string RequestJson(const DescribeTargetHealthRequest& r) {
  return FastJson()
      .Open()
      .Key("TargetGroupArn")
      .String(r.target_group_arn)
      .OptTargets("Targets", r.targets)
      .Close()
      .Take();
}
std::string RequestJson(const AddTagsRequest& r) {
  return Dump(J{{"ResourceArns", r.resource_arns}, {"Tags", TagsJ(r.tags)}});
}
std::string RequestJson(const RemoveTagsRequest& r) {
  return Dump(J{{"ResourceArns", r.resource_arns}, {"TagKeys", r.tag_keys}});
}
std::string RequestJson(const DescribeTagsRequest& r) {
  return FastJson().Open().Key("ResourceArns").Strings(r.resource_arns).Close().Take();
}

std::string RequestJson(const DescribeSubnetsRequest& r) {
  return FastJson().Open().OptList("SubnetIds", r.subnet_ids).OptFilters("Filters", r.filters).Close().Take();
}
std::string RequestJson(const DescribeVpcsRequest& r) {
  return FastJson().Open().OptList("VpcIds", r.vpc_ids).OptFilters("Filters", r.filters).Close().Take();
}
std::string RequestJson(const DescribeRouteTablesRequest& r) {
  return FastJson().Open().OptList("RouteTableIds", r.route_table_ids).OptFilters("Filters", r.filters).Close().Take();
}
std::string RequestJson(const DescribeSecurityGroupsRequest& r) {
  return FastJson()
      .Open()
      .OptList("GroupIds", r.group_ids)
      .OptList("GroupNames", r.group_names)
      .OptFilters("Filters", r.filters)
      .Close()
      .Take();
}
std::string RequestJson(const CreateSecurityGroupRequest& r) {
  J j{{"GroupName", r.group_name}, {"Description", r.description}};
  Put(j, "VpcId", r.vpc_id);
  if (!r.tag_specifications.empty()) {
    J arr = J::array();
    for (const TagSpecification& s : r.tag_specifications) {
      arr.push_back(J{{"ResourceType", s.resource_type}, {"Tags", TagsJ(s.tags)}});
    }
    j["TagSpecifications"] = arr;
  }
  return Dump(j);
}
std::string RequestJson(const SecurityGroupIngressRequest& r) {
  return Dump(J{{"GroupId", r.group_id}, {"IpPermissions", PermsJ(r.ip_permissions)}});
}
std::string RequestJson(const CreateTagsRequest& r) {
  return Dump(J{{"Resources", r.resources}, {"Tags", TagsJ(r.tags)}});
}
std::string RequestJson(const DeleteTagsRequest& r) {
  J j{{"Resources", r.resources}};
  if (!r.tags.empty()) {
    J arr = J::array();
    for (const DeleteTagSpec& t : r.tags) {
      J x{{"Key", t.key}};
      Put(x, "Value", t.value);
      arr.push_back(x);
    }
    j["Tags"] = arr;
  }
  return Dump(j);
}
std::string RequestJson(const DescribeInstancesRequest& r) {
  return FastJson().Open().OptList("InstanceIds", r.instance_ids).OptFilters("Filters", r.filters).Close().Take();
}
std::string RequestJson(const DescribeNetworkInterfacesRequest& r) {
  return FastJson()
      .Open()
      .OptList("NetworkInterfaceIds", r.network_interface_ids)
      .OptFilters("Filters", r.filters)
      .Close()
      .Take();
}
std::string SingleMemberJson(const char* member, const std::string& value) {
  return FastJson().Open().Key(member).String(value).Close().Take();
}

uint64_t ParamsDigest64(const std::string& canonical_json) { return Sha256Prefix64(canonical_json); }

// --- Account ---------------------------------------------------------------------------------------

std::string RenderAccountJson(const Elbv2Snapshot& e, const std::vector<m::SecurityGroup>& sgs, int indent) {
  J j;
  J lbs = J::array();
  for (const auto& lb : e.load_balancers) lbs.push_back(LbJ(lb));
  j["LoadBalancers"] = lbs;
  J ls = J::array();
  for (const auto& l : e.listeners) ls.push_back(ListenerJ(l));
  j["Listeners"] = ls;
  J rules = J::array();
  for (const auto& r : e.rules) rules.push_back(RuleJ(r));
  j["Rules"] = rules;
  J tgs = J::array();
  for (const auto& tg : e.target_groups) tgs.push_back(TgJ(tg));
  j["TargetGroups"] = tgs;
  J th = J::object();
  for (const auto& [arn, list] : e.target_health) {
    J arr = J::array();
    for (const auto& d : list) arr.push_back(ThdJ(d));
    th[arn] = arr;
  }
  j["TargetHealth"] = th;
  J tags = J::object();
  for (const auto& [arn, list] : e.tags) tags[arn] = TagsJ(list);
  j["Tags"] = tags;
  J sg = J::array();
  for (const auto& g : sgs) sg.push_back(SgJ(g));
  j["SecurityGroups"] = sg;
  return j.dump(indent);
}

}  // namespace sim::aws
