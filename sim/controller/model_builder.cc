// Mirrors upstream pkg/ingress/model_builder.go.
#include "sim/controller/model_builder.h"

#include <algorithm>
#include <set>

namespace sim::controller {

namespace mk = model::k8s;

namespace {

Error Err(const std::string& m) { return MakeError(ErrorCode::kInvalidArgument, m); }

std::string JoinSpace(const std::vector<std::string>& v) {
  std::string o;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) o += ' ';
    o += v[i];
  }
  return o;
}

// Go fmt %v of a *MutualAuthenticationAttributes: &{mode 0xc... ...}; albtwin prints the values.
std::string FormatMtls(const ms::MutualAuthenticationAttributes& m) {
  return "&{" + m.mode + " " + m.trust_store_arn.value_or("<nil>") + " " +
         (m.ignore_client_certificate_expiry ? (*m.ignore_client_certificate_expiry ? "true" : "false") : "<nil>") +
         " " + m.advertise_trust_store_ca_names.value_or("<nil>") + "}";
}

}  // namespace

Status ModelBuildTask::Run() {
  for (const auto& inactive : ing_group.inactive_members) {
    if (inactive->metadata.deletion_timestamp.has_value()) {
      SIM_ASSIGN_OR_RETURN(bool protection, GetDeletionProtectionViaAnnotation(*inactive));
      if (protection) {
        return Err("deletion_protection is enabled, cannot delete the ingress: " + inactive->metadata.name);
      }
    }
  }
  if (ing_group.members.empty()) return OkStatus();

  std::map<int32_t, std::vector<ClassifiedIngress>> ing_list_by_port;
  std::map<int32_t, std::vector<std::pair<std::string, ListenPortConfig>>> cfgs_by_port;
  for (const auto& member : ing_group.members) {
    std::optional<ms::StringToken> cert;
    bool create_cert = false;
    (void)annotation_parser.ParseBool(annotations::kCreateCertificate, &create_cert, member.ing->metadata.annotations);
    if (enable_acm_certificates && create_cert) {
      SIM_ASSIGN_OR_RETURN(cert, BuildACMCertificates(member));
    }
    const std::string ing_key = NamespacedName(*member.ing);
    auto by_port = ComputeIngressListenPortConfigByPort(member, cert);
    if (!by_port.ok()) return Wrap(by_port.error(), "ingress: " + ing_key);
    for (const auto& [port, cfg] : by_port.value()) {
      ing_list_by_port[port].push_back(member);
      cfgs_by_port[port].push_back({ing_key, cfg});
    }
  }

  listen_port_config_by_port.clear();
  for (const auto& [port, cfgs] : cfgs_by_port) {
    auto merged = MergeListenPortConfigs(cfgs);
    if (!merged.ok()) {
      return Wrap(merged.error(), "failed to merge listenPort config for port: " + std::to_string(port));
    }
    listen_port_config_by_port[port] = merged.value();
  }

  SIM_ASSIGN_OR_RETURN(const ms::LoadBalancer* lb, BuildLoadBalancer(listen_port_config_by_port));
  SIM_ASSIGN_OR_RETURN(ssl_redirect_config, BuildSSLRedirectConfig(listen_port_config_by_port));
  const ms::StringToken lb_arn = lb->LoadBalancerARN();
  for (const auto& [port, cfg] : listen_port_config_by_port) {
    SIM_ASSIGN_OR_RETURN(const ms::Listener* ls, BuildListener(lb_arn, port, cfg, ing_list_by_port[port]));
    SIM_RETURN_IF_ERROR(BuildListenerRules(ls->ListenerARN(), port, cfg.protocol, ing_list_by_port[port]));
  }
  SIM_RETURN_IF_ERROR(BuildLoadBalancerAddOns(lb_arn));

  // buildFrontendNlbModel: the frontend NLB is not modelled by albtwin.
  std::optional<bool> enable_frontend_nlb;
  for (const auto& member : ing_group.members) {
    bool raw = false;
    SIM_ASSIGN_OR_RETURN(bool exists,
                         annotation_parser.ParseBool(annotations::kEnableFrontendNlb, &raw, member.ing->metadata.annotations));
    if (!exists) continue;
    if (enable_frontend_nlb && *enable_frontend_nlb != raw) return Err("conflicting enable frontend NLB values");
    enable_frontend_nlb = raw;
  }
  if (enable_frontend_nlb.value_or(false)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "albtwin does not model the frontend NLB (alb.ingress.kubernetes.io/enable-frontend-nlb)");
  }
  return OkStatus();
}

Result<ListenPortConfig> ModelBuildTask::MergeListenPortConfigs(
    const std::vector<std::pair<std::string, ListenPortConfig>>& cfgs) {
  std::optional<std::string> protocol_provider;
  std::string merged_protocol;
  std::optional<std::string> cidrs_provider;
  std::set<std::string> merged_v4, merged_v6;
  std::optional<std::string> prefix_provider;
  std::set<std::string> merged_prefix;
  std::optional<std::string> ssl_provider;
  std::optional<std::string> merged_ssl;
  std::vector<ms::StringToken> merged_certs;
  size_t default_cert_member = 0;
  for (size_t i = 0; i < cfgs.size(); ++i) {
    if (!cfgs[i].second.tls_certs.empty()) {
      merged_certs.push_back(cfgs[i].second.tls_certs[0]);
      default_cert_member = i;
      break;
    }
  }
  std::set<std::string> certs_set;
  std::optional<std::string> mtls_provider;
  std::optional<ms::MutualAuthenticationAttributes> merged_mtls;

  auto list = [](const std::set<std::string>& s) { return "[" + JoinSpace({s.begin(), s.end()}) + "]"; };

  for (size_t i = 0; i < cfgs.size(); ++i) {
    const std::string& key = cfgs[i].first;
    const ListenPortConfig& cfg = cfgs[i].second;
    if (!protocol_provider) {
      protocol_provider = key;
      merged_protocol = cfg.protocol;
    } else if (merged_protocol != cfg.protocol) {
      return Err("conflicting protocol, " + *protocol_provider + ": " + merged_protocol + " | " + key + ": " +
                 cfg.protocol);
    }
    if (!cfg.inbound_cidr_v4s.empty() || !cfg.inbound_cidr_v6s.empty()) {
      std::set<std::string> v4(cfg.inbound_cidr_v4s.begin(), cfg.inbound_cidr_v4s.end());
      std::set<std::string> v6(cfg.inbound_cidr_v6s.begin(), cfg.inbound_cidr_v6s.end());
      if (!cidrs_provider) {
        cidrs_provider = key;
        merged_v4 = v4;
        merged_v6 = v6;
      } else if (merged_v4 != v4 || merged_v6 != v6) {
        return Err("conflicting inbound-cidrs, " + *cidrs_provider + ": " + list(merged_v4) + ", " + list(merged_v6) +
                   " | " + key + ": " + list(v4) + ", " + list(v6));
      }
    }
    if (!cfg.prefix_lists.empty()) {
      std::set<std::string> pl(cfg.prefix_lists.begin(), cfg.prefix_lists.end());
      if (!prefix_provider) {
        prefix_provider = key;
        merged_prefix = pl;
      } else if (merged_prefix != pl) {
        return Err("conflicting inbound-prefix-lists, " + *prefix_provider + ": " + list(merged_prefix) + " | " + key +
                   ": " + list(pl));
      }
    }
    if (cfg.ssl_policy) {
      if (!ssl_provider) {
        ssl_provider = key;
        merged_ssl = cfg.ssl_policy;
      } else if (*merged_ssl != *cfg.ssl_policy) {
        return Err("conflicting sslPolicy, " + *ssl_provider + ": " + *merged_ssl + " | " + key + ": " +
                   *cfg.ssl_policy);
      }
    }
    for (size_t j = 0; j < cfg.tls_certs.size(); ++j) {
      const ms::StringToken& cert = cfg.tls_certs[j];
      std::string cert_key;
      if (cert.kind == ms::StringToken::Kind::kResourceField && !cert.resource_type.empty() &&
          !cert.resource_id.empty()) {
        cert_key = cert.resource_type + "/" + cert.resource_id;
      } else {
        cert_key = cert.value;
      }
      if (i == default_cert_member && j == 0) continue;
      if (certs_set.count(cert_key)) continue;
      certs_set.insert(cert_key);
      merged_certs.push_back(cert);
    }
    if (cfg.mutual_authentication) {
      if (!mtls_provider) {
        mtls_provider = key;
        merged_mtls = cfg.mutual_authentication;
      } else if (!(*merged_mtls == *cfg.mutual_authentication)) {
        return Err("conflicting mTLS Attributes, " + *mtls_provider + ": " + FormatMtls(*merged_mtls) + " | " + key +
                   ": " + FormatMtls(*cfg.mutual_authentication));
      }
    }
  }
  if (merged_v4.empty() && merged_v6.empty() && merged_prefix.empty()) {
    merged_v4.insert("0.0.0.0/0");
    merged_v6.insert("::/0");
  }
  if (merged_protocol == "HTTPS" && !merged_ssl) merged_ssl = default_ssl_policy;
  ListenPortConfig out;
  out.protocol = merged_protocol;
  out.inbound_cidr_v4s.assign(merged_v4.begin(), merged_v4.end());
  out.inbound_cidr_v6s.assign(merged_v6.begin(), merged_v6.end());
  out.prefix_lists.assign(merged_prefix.begin(), merged_prefix.end());
  out.ssl_policy = merged_ssl;
  out.tls_certs = merged_certs;
  out.mutual_authentication = merged_mtls;
  return out;
}

Result<std::optional<SSLRedirectConfig>> ModelBuildTask::BuildSSLRedirectConfig(
    const std::map<int32_t, ListenPortConfig>& by_port) {
  std::set<int32_t> ports;
  for (const auto& member : ing_group.members) {
    const auto& params = member.ing_class_config.ing_class_params;
    if (params && params->ssl_redirect_port.has_value() && !params->ssl_redirect_port->empty()) {
      auto p = GoParseInt(*params->ssl_redirect_port, 32);
      if (!p.ok()) return std::optional<SSLRedirectConfig>{};
      ports.insert(static_cast<int32_t>(p.value()));
      continue;
    }
    int32_t raw = 0;
    auto exists = annotation_parser.ParseInt32(annotations::kSSLRedirect, &raw, member.ing->metadata.annotations);
    if (!exists.ok()) return Wrap(exists.error(), "ingress: " + NamespacedName(*member.ing));
    if (exists.value()) ports.insert(raw);
  }
  if (ports.empty()) return std::optional<SSLRedirectConfig>{};
  if (ports.size() > 1) {
    std::vector<std::string> s;
    for (int32_t p : ports) s.push_back(std::to_string(p));
    return Err("conflicting sslRedirect port: [" + JoinSpace(s) + "]");
  }
  int32_t port = *ports.begin();
  auto it = by_port.find(port);
  if (it == by_port.end()) return Err("listener does not exist for SSLRedirect port: " + std::to_string(port));
  if (it->second.protocol != "HTTPS") return Err("listener protocol non-SSL for SSLRedirect port: " + std::to_string(port));
  return std::optional<SSLRedirectConfig>(SSLRedirectConfig{port, "HTTP_301"});
}

Result<bool> ModelBuildTask::GetDeletionProtectionViaAnnotation(const mk::Ingress& ing) const {
  std::map<std::string, std::string> attrs;
  SIM_RETURN_IF_ERROR(annotation_parser.ParseStringMap(annotations::kLoadBalancerAttributes, &attrs,
                                                      ing.metadata.annotations));
  auto it = attrs.find("deletion_protection.enabled");
  if (it == attrs.end()) return false;
  return GoParseBool(it->second);
}

Result<bool> ModelBuildTask::BuildManageSecurityGroupRulesFlag() const {
  std::set<bool> explicit_flags;
  bool manage = enable_manage_backend_sg_rules;
  for (const auto& member : ing_group.members) {
    bool raw = false;
    SIM_ASSIGN_OR_RETURN(bool exists, annotation_parser.ParseBool(annotations::kManageSecurityGroupRules, &raw,
                                                                  member.ing->metadata.annotations));
    if (exists) {
      explicit_flags.insert(raw);
      manage = raw;
    }
  }
  if (explicit_flags.empty()) return enable_manage_backend_sg_rules;
  if (explicit_flags.size() > 1) return Err("conflicting manage backend security group rules settings");
  return manage;
}

// ---------------------------------------------------------------- ModelBuilder

ModelBuilder::ModelBuilder(ControllerConfig config, ModelBuilderDeps deps)
    : config_(std::move(config)),
      deps_(std::move(deps)),
      annotation_parser_(config_.annotation_prefix),
      auth_config_builder_(annotation_parser_),
      enhanced_backend_builder_(deps_.kube, annotation_parser_, &auth_config_builder_,
                                config_.tolerate_non_existent_backend_service,
                                config_.tolerate_non_existent_backend_action) {}

Result<ModelBuildResult> ModelBuilder::Build(const Group& group) const {
  ModelBuildTask task(ms::StackID{group.id.namespace_, group.id.name});
  task.kube = deps_.kube;
  task.annotation_parser = annotation_parser_;
  task.deps = deps_;
  task.enhanced_backend_builder = &enhanced_backend_builder_;
  task.tracking_provider.emplace(config_.tracking_tag_prefix, config_.cluster_name);
  task.feature_gates = config_.feature_gates;
  task.vpc_id = config_.vpc_id;
  task.cluster_name = config_.cluster_name;
  task.ing_group = group;
  task.enable_acm_certificates = config_.feature_gates.enable_certificate_management;
  task.enable_backend_sg = config_.enable_backend_security_group;
  task.enable_manage_backend_sg_rules = config_.enable_manage_backend_security_group_rules;
  task.disable_restricted_sg_rules = config_.disable_restricted_sg_rules;
  task.enable_ip_target_type = config_.feature_gates.enable_ip_target_type;
  task.default_tags = config_.default_tags;
  task.external_managed_tags = config_.external_managed_tags;
  task.default_ip_address_type = "ipv4";
  task.default_scheme = config_.default_load_balancer_scheme;
  task.default_ssl_policy = config_.default_ssl_policy;
  task.default_target_type = config_.default_target_type;
  task.default_backend_protocol = "HTTP";
  task.default_backend_protocol_version = "HTTP1";
  task.default_health_check_path_http = "/";
  task.default_health_check_path_grpc = "/AWS.ALB/healthcheck";
  task.default_health_check_interval_seconds = 15;
  task.default_health_check_timeout_seconds = 5;
  task.default_health_check_healthy_threshold_count = 2;
  task.default_health_check_unhealthy_threshold_count = 2;
  task.default_health_check_matcher_http_code = "200";
  task.default_health_check_matcher_grpc_code = "12";
  task.default_ca_arn = config_.default_ca_arn;

  SIM_RETURN_IF_ERROR(task.Run());

  ModelBuildResult result;
  for (const auto& [port, cfg] : task.listen_port_config_by_port) result.listener_ports.push_back(port);
  ms::FrontendNlbTargetGroupDesiredState nlb;
  nlb.id = ms::kResourceIDFrontendNlbTargetGroup;
  (void)task.stack.Add(std::move(nlb));
  if (task.load_balancer != nullptr) result.load_balancer_id = task.load_balancer->id;
  result.secret_keys = task.secret_keys;
  result.backend_sg_allocated = task.backend_sg_allocated;
  result.stack = std::make_unique<ms::Stack>(std::move(task.stack));
  return result;
}

}  // namespace sim::controller
