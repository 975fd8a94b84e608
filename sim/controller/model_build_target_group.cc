// Mirrors upstream pkg/ingress/model_build_target_group.go.
#include <algorithm>

#include "sim/base/crypto.h"
#include "sim/controller/model_builder.h"

namespace sim::controller {

namespace mk = model::k8s;

namespace {

Error Err(const std::string& m) { return MakeError(ErrorCode::kInvalidArgument, m); }

std::string Sanitize(const std::string& s) {
  std::string o;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) o += c;
  }
  return o;
}

std::string Trunc(const std::string& s, size_t n) { return s.substr(0, std::min(n, s.size())); }

Annotations MergeFirstWins(const Annotations& a, const Annotations& b) {
  Annotations out = a;
  for (const auto& [k, v] : b) out.emplace(k, v);
  return out;
}

// upstream k8s.LookupServicePort.
Result<mk::ServicePort> LookupServicePort(const mk::Service& svc, const mk::IntOrString& port) {
  for (const auto& p : svc.ports) {
    if (port.is_string ? p.name == port.str_val : p.port == port.int_val) return p;
  }
  return Err("unable to find port " + port.ToString() + " on service " + NamespacedName(svc));
}

// intstr.Parse: a decimal integer → Int, else String.
mk::IntOrString ParseIntOrString(const std::string& s) {
  auto n = GoParseInt(s, 64);
  if (n.ok()) return mk::IntOrString::Int(static_cast<int32_t>(n.value()));
  return mk::IntOrString::Str(s);
}

}  // namespace

Result<ms::StringToken> ModelBuildTask::BuildTargetGroup(const ClassifiedIngress& ing, const ServicePtr& svc,
                                                         const mk::IntOrString& port) {
  const std::string res_id =
      ing.ing->metadata.namespace_ + "/" + ing.ing->metadata.name + "-" + svc->metadata.name + ":" + port.ToString();
  auto existing = tg_by_res_id.find(res_id);
  if (existing != tg_by_res_id.end()) return existing->second;
  SIM_ASSIGN_OR_RETURN(mk::ServicePort svc_port, LookupServicePort(*svc, port));
  SIM_ASSIGN_OR_RETURN(ms::TargetGroupSpec spec, BuildTargetGroupSpec(ing, *svc, port, svc_port));
  SIM_ASSIGN_OR_RETURN(auto node_selector, BuildTargetGroupBindingNodeSelector(ing, *svc, spec.target_type));
  ms::TargetGroup tg;
  tg.id = res_id;
  tg.spec = spec;
  const ms::StringToken tg_arn = tg.TargetGroupARN();
  (void)stack.Add(std::move(tg));
  tg_by_res_id[res_id] = tg_arn;

  // buildTargetGroupBinding
  mk::IntOrString target_port = svc_port.target_port;
  if (spec.target_type == "instance") target_port = mk::IntOrString::Int(svc_port.node_port);
  auto networking = BuildTargetGroupBindingNetworking(
      target_port, spec.health_check_config && spec.health_check_config->port ? *spec.health_check_config->port
                                                                              : mk::IntOrString{},
      spec.target_control_port);
  SIM_ASSIGN_OR_RETURN(bool multi, BuildTargetGroupBindingMultiClusterFlag(ing, *svc));
  ms::TargetGroupBindingResource tgb;
  tgb.id = res_id;
  auto& t = tgb.spec.template_;
  t.namespace_ = svc->metadata.namespace_;
  t.name = spec.name;
  t.spec.target_group_arn = tg_arn;
  t.spec.target_type = spec.target_type;
  t.spec.service_ref = ms::TgbServiceReference{svc->metadata.name, port};
  t.spec.networking = networking;
  t.spec.node_selector = node_selector;
  t.spec.ip_address_type = spec.ip_address_type;
  t.spec.vpc_id = vpc_id;
  t.spec.multi_cluster_target_group = multi;
  t.spec.target_group_protocol = spec.protocol;
  stack.AddDependency({ms::TargetGroup::kType, res_id}, {ms::TargetGroupBindingResource::kType, res_id});
  (void)stack.Add(std::move(tgb));
  return tg_arn;
}

std::optional<ms::TargetGroupBindingNetworking> ModelBuildTask::BuildTargetGroupBindingNetworking(
    const mk::IntOrString& target_port, const mk::IntOrString& health_check_port,
    const std::optional<int32_t>& target_control_port) const {
  if (!backend_sg_id_token) return std::nullopt;
  auto peer = [&]() {
    ms::TgbNetworkingPeer p;
    p.security_group = ms::TgbSecurityGroup{*backend_sg_id_token};
    return p;
  };
  ms::TargetGroupBindingNetworking n;
  if (disable_restricted_sg_rules) {
    ms::TgbNetworkingIngressRule r;
    r.from.push_back(peer());
    r.ports.push_back(ms::TgbNetworkingPort{std::string("TCP"), std::nullopt});
    n.ingress.push_back(r);
    return n;
  }
  std::vector<ms::TgbNetworkingPort> ports;
  ports.push_back(ms::TgbNetworkingPort{std::string("TCP"), target_port});
  if (health_check_port.ToString() != "traffic-port") {
    ports.push_back(ms::TgbNetworkingPort{std::string("TCP"), health_check_port});
  }
  if (target_control_port) {
    ports.push_back(ms::TgbNetworkingPort{std::string("TCP"), mk::IntOrString::Int(*target_control_port)});
  }
  for (const auto& p : ports) {
    ms::TgbNetworkingIngressRule r;
    r.from.push_back(peer());
    r.ports.push_back(p);
    n.ingress.push_back(r);
  }
  return n;
}

Result<ms::TargetGroupSpec> ModelBuildTask::BuildTargetGroupSpec(const ClassifiedIngress& ing, const mk::Service& svc,
                                                                 const mk::IntOrString& port,
                                                                 const mk::ServicePort& svc_port) const {
  const Annotations merged = MergeFirstWins(svc.metadata.annotations, ing.ing->metadata.annotations);
  SIM_ASSIGN_OR_RETURN(std::string target_type, BuildTargetGroupTargetType(merged, ing.ing_class_config));
  // buildTargetGroupProtocol
  std::string protocol = default_backend_protocol;
  annotation_parser.ParseString(annotations::kBackendProtocol, &protocol, merged);
  if (protocol != "HTTP" && protocol != "HTTPS") return Err("backend protocol must be within [HTTP, HTTPS]: " + protocol);
  // buildTargetGroupProtocolVersion
  std::string version = default_backend_protocol_version;
  annotation_parser.ParseString(annotations::kBackendProtocolVersion, &version, merged);
  if (version != "HTTP1" && version != "HTTP2" && version != "GRPC") {
    return Err("backend protocol version must be within [HTTP1, HTTP2, GRPC]: " + version);
  }
  // buildTargetGroupHealthCheckConfig
  ms::TargetGroupHealthCheckConfig hc;
  {
    // buildTargetGroupHealthCheckPort
    std::string raw;
    mk::IntOrString hc_port = mk::IntOrString::Str("traffic-port");
    if (annotation_parser.ParseString(annotations::kHealthCheckPort, &raw, merged) && raw != "traffic-port") {
      mk::IntOrString parsed = ParseIntOrString(raw);
      if (!parsed.is_string) {
        hc_port = parsed;
      } else {
        auto sp = LookupServicePort(svc, parsed);
        if (!sp.ok()) return Wrap(sp.error(), "failed to resolve healthCheckPort");
        if (target_type == "instance") {
          hc_port = mk::IntOrString::Int(sp.value().node_port);
        } else if (!sp.value().target_port.is_string) {
          hc_port = sp.value().target_port;
        } else {
          return Err("cannot use named healthCheckPort for IP TargetType when service's targetPort is a named port");
        }
      }
    }
    hc.port = hc_port;
    std::string hc_protocol = protocol;
    annotation_parser.ParseString(annotations::kHealthCheckProtocol, &hc_protocol, merged);
    if (hc_protocol != "HTTP" && hc_protocol != "HTTPS") return Err("healthCheckProtocol must be within [HTTP, HTTPS]");
    hc.protocol = hc_protocol;
    hc.path = BuildTargetGroupHealthCheckPath(merged, version);
    hc.matcher = BuildTargetGroupHealthCheckMatcher(merged, version);
    int32_t interval = default_health_check_interval_seconds;
    SIM_RETURN_IF_ERROR(annotation_parser.ParseInt32(annotations::kHealthCheckIntervalSeconds, &interval, merged));
    int32_t timeout = default_health_check_timeout_seconds;
    SIM_RETURN_IF_ERROR(annotation_parser.ParseInt32(annotations::kHealthCheckTimeoutSeconds, &timeout, merged));
    int32_t healthy = default_health_check_healthy_threshold_count;
    SIM_RETURN_IF_ERROR(annotation_parser.ParseInt32(annotations::kHealthyThresholdCount, &healthy, merged));
    int32_t unhealthy = default_health_check_unhealthy_threshold_count;
    SIM_RETURN_IF_ERROR(annotation_parser.ParseInt32(annotations::kUnhealthyThresholdCount, &unhealthy, merged));
    hc.interval_seconds = interval;
    hc.timeout_seconds = timeout;
    hc.healthy_threshold_count = healthy;
    hc.unhealthy_threshold_count = unhealthy;
  }
  // buildTargetGroupAttributes
  std::map<std::string, std::string> attrs;
  SIM_RETURN_IF_ERROR(annotation_parser.ParseStringMap(annotations::kTargetGroupAttributes, &attrs, merged));
  SIM_ASSIGN_OR_RETURN(auto tags, BuildTargetGroupTags(ing, svc));
  // buildTargetGroupIPAddressType
  std::string ip_address_type = "ipv4";
  if (std::find(svc.ip_families.begin(), svc.ip_families.end(), "IPv6") != svc.ip_families.end()) {
    const std::string lb_type = load_balancer ? load_balancer->spec.ip_address_type : "";
    if (lb_type != "dualstack" && lb_type != "dualstack-without-public-ipv4") {
      return Err("unsupported IPv6 configuration, lb not dual-stack");
    }
    ip_address_type = "ipv6";
  }
  const int32_t tg_port = BuildTargetGroupPort(target_type, svc_port);
  SIM_ASSIGN_OR_RETURN(std::optional<int32_t> control_port, BuildTargetGroupTargetControlPort(merged, svc, port));
  if (target_type == "instance" && control_port) {
    return Err("target control port is not supported for instance target target group");
  }
  const std::string name = BuildTargetGroupName(ing.ing->metadata.namespace_, ing.ing->metadata.name, svc, port, tg_port,
                                                target_type, protocol, version, control_port);
  if (tg_port == 0) {
    if (target_type == "ip") return Err("TargetGroup port is empty. Are you using the correct service type?");
    return Err(
        "TargetGroup port is empty. When using Instance targets, your service be must of type 'NodePort' or "
        "'LoadBalancer'");
  }
  ms::TargetGroupSpec spec;
  spec.name = name;
  spec.target_type = target_type;
  spec.port = tg_port;
  spec.target_control_port = control_port;
  spec.protocol = protocol;
  spec.protocol_version = version;
  spec.ip_address_type = ip_address_type;
  spec.health_check_config = hc;
  for (const auto& [k, v] : attrs) spec.target_group_attributes.push_back({k, v});
  spec.tags = tags;
  return spec;
}

std::string ModelBuildTask::BuildTargetGroupName(const std::string& ing_ns, const std::string& ing_name,
                                                 const mk::Service& svc, const mk::IntOrString& port, int32_t tg_port,
                                                 const std::string& target_type, const std::string& tg_protocol,
                                                 const std::string& tg_protocol_version,
                                                 const std::optional<int32_t>& target_control_port) const {
  std::string payload = cluster_name + ing_group.id.String() + ing_ns + ing_name + svc.metadata.uid + port.ToString() +
                        std::to_string(tg_port) + target_type + tg_protocol + tg_protocol_version;
  if (target_control_port) payload += std::to_string(*target_control_port);
  const std::string uuid = Sha256Hex(payload);
  return "k8s-" + Trunc(Sanitize(svc.metadata.namespace_), 8) + "-" + Trunc(Sanitize(svc.metadata.name), 8) + "-" +
         Trunc(uuid, 10);
}

Result<std::string> ModelBuildTask::BuildTargetGroupTargetType(const Annotations& svc_and_ing,
                                                               const ClassConfiguration& cls) const {
  std::string raw = default_target_type;
  annotation_parser.ParseString(annotations::kTargetType, &raw, svc_and_ing);
  if (cls.ing_class_params && cls.ing_class_params->target_type.has_value() && !cls.ing_class_params->target_type->empty()) {
    raw = *cls.ing_class_params->target_type;
  }
  if (raw == "instance") return raw;
  if (raw == "ip") {
    if (!enable_ip_target_type) {
      return Err("unsupported targetType: " + raw + " when EnableIPTargetType is " +
                 (enable_ip_target_type ? "true" : "false"));
    }
    return raw;
  }
  return Err("unknown targetType: " + raw);
}

int32_t ModelBuildTask::BuildTargetGroupPort(const std::string& target_type, const mk::ServicePort& svc_port) const {
  if (target_type == "instance") return svc_port.node_port;
  if (!svc_port.target_port.is_string) return svc_port.target_port.int_val;
  return 1;
}

Result<std::optional<int32_t>> ModelBuildTask::BuildTargetGroupTargetControlPort(const Annotations& svc_and_ing,
                                                                                 const mk::Service& svc,
                                                                                 const mk::IntOrString& port) const {
  int32_t raw = 0;
  const std::string key = std::string(annotations::kTargetControlPort) + "." + svc.metadata.name + "." + port.ToString();
  SIM_ASSIGN_OR_RETURN(bool exists, annotation_parser.ParseInt32(key, &raw, svc_and_ing));
  if (!exists) return std::optional<int32_t>{};
  return std::optional<int32_t>(raw);
}

std::string ModelBuildTask::BuildTargetGroupHealthCheckPath(const Annotations& svc_and_ing,
                                                            const std::string& version) const {
  std::string raw;
  if (version == "HTTP1" || version == "HTTP2") {
    raw = default_health_check_path_http;
  } else if (version == "GRPC") {
    raw = default_health_check_path_grpc;
  }
  annotation_parser.ParseString(annotations::kHealthCheckPath, &raw, svc_and_ing);
  return raw;
}

ms::HealthCheckMatcher ModelBuildTask::BuildTargetGroupHealthCheckMatcher(const Annotations& svc_and_ing,
                                                                          const std::string& version) const {
  std::string raw;
  if (version == "HTTP1" || version == "HTTP2") {
    raw = default_health_check_matcher_http_code;
  } else if (version == "GRPC") {
    raw = default_health_check_matcher_grpc_code;
  }
  annotation_parser.ParseString(annotations::kSuccessCodes, &raw, svc_and_ing);
  ms::HealthCheckMatcher m;
  if (version == "GRPC") {
    m.grpc_code = raw;
  } else {
    m.http_code = raw;
  }
  return m;
}

Result<std::map<std::string, std::string>> ModelBuildTask::BuildTargetGroupTags(const ClassifiedIngress& ing,
                                                                                const mk::Service& svc) const {
  SIM_ASSIGN_OR_RETURN(auto ing_svc_tags, BuildIngressBackendResourceTags(ing, svc));
  if (feature_gates.enable_default_tags_low_priority) return MergeStringMap({&ing_svc_tags, &default_tags});
  return MergeStringMap({&default_tags, &ing_svc_tags});
}

Result<std::optional<mk::LabelSelector>> ModelBuildTask::BuildTargetGroupBindingNodeSelector(
    const ClassifiedIngress& ing, const mk::Service& svc, const std::string& target_type) const {
  if (target_type != "instance") return std::optional<mk::LabelSelector>{};
  const Annotations merged = MergeFirstWins(svc.metadata.annotations, ing.ing->metadata.annotations);
  std::map<std::string, std::string> labels;
  SIM_RETURN_IF_ERROR(annotation_parser.ParseStringMap(annotations::kTargetNodeLabels, &labels, merged));
  if (labels.empty()) return std::optional<mk::LabelSelector>{};
  mk::LabelSelector sel;
  sel.match_labels = labels;
  return std::optional<mk::LabelSelector>(sel);
}

Result<bool> ModelBuildTask::BuildTargetGroupBindingMultiClusterFlag(const ClassifiedIngress& ing,
                                                                     const mk::Service& svc) const {
  bool raw = false;
  SIM_ASSIGN_OR_RETURN(bool exists,
                       annotation_parser.ParseBool(annotations::kMultiClusterTargetGroup, &raw, ing.ing->metadata.annotations));
  if (exists && raw) return true;
  raw = false;
  SIM_ASSIGN_OR_RETURN(exists, annotation_parser.ParseBool(annotations::kMultiClusterTargetGroup, &raw, svc.metadata.annotations));
  return exists && raw;
}

}  // namespace sim::controller
