// Mirrors upstream pkg/ingress/model_build_listener.go.
#include <algorithm>
#include <set>

#include "sim/base/crypto.h"
#include "sim/controller/model_builder.h"

namespace sim::controller {

namespace mk = model::k8s;

namespace {

Error Err(const std::string& m) { return MakeError(ErrorCode::kInvalidArgument, m); }

// Go net.ParseCIDR validity; error text `invalid CIDR address: <s>`.
bool ParseCIDR(const std::string& s) {
  size_t slash = s.find('/');
  if (slash == std::string::npos) return false;
  std::string addr = s.substr(0, slash), bits = s.substr(slash + 1);
  if (bits.empty() || bits.size() > 3) return false;
  for (char c : bits) {
    if (c < '0' || c > '9') return false;
  }
  if (bits.size() > 1 && bits[0] == '0') return false;
  int n = std::stoi(bits);
  if (addr.find(':') == std::string::npos) {
    // IPv4 dotted quad.
    int parts = 0;
    size_t start = 0;
    while (true) {
      size_t dot = addr.find('.', start);
      std::string p = addr.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (p.empty() || p.size() > 3) return false;
      for (char c : p) {
        if (c < '0' || c > '9') return false;
      }
      if (p.size() > 1 && p[0] == '0') return false;
      if (std::stoi(p) > 255) return false;
      ++parts;
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return parts == 4 && n <= 32;
  }
  // IPv6: hex groups with at most one "::"; an embedded IPv4 tail is accepted.
  if (n > 128) return false;
  size_t dc = addr.find("::");
  if (dc != std::string::npos && addr.find("::", dc + 1) != std::string::npos) return false;
  int groups = 0;
  auto count_groups = [&](const std::string& part) -> bool {
    if (part.empty()) return true;
    size_t s2 = 0;
    while (true) {
      size_t colon = part.find(':', s2);
      std::string g = part.substr(s2, colon == std::string::npos ? std::string::npos : colon - s2);
      if (g.empty() || g.size() > 4) {
        if (colon == std::string::npos && g.find('.') != std::string::npos) {
          groups += 2;
          return true;
        }
        return false;
      }
      for (char c : g) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) {
          if (colon == std::string::npos && g.find('.') != std::string::npos) {
            groups += 2;
            return true;
          }
          return false;
        }
      }
      ++groups;
      if (colon == std::string::npos) break;
      s2 = colon + 1;
    }
    return true;
  };
  if (dc == std::string::npos) {
    if (!count_groups(addr)) return false;
    return groups == 8;
  }
  if (!count_groups(addr.substr(0, dc)) || !count_groups(addr.substr(dc + 2))) return false;
  return groups < 8;
}

}  // namespace

Result<const ms::Listener*> ModelBuildTask::BuildListener(const ms::StringToken& lb_arn, int32_t port,
                                                          const ListenPortConfig& cfg,
                                                          const std::vector<ClassifiedIngress>& ing_list) {
  ms::Listener ls;
  ls.id = std::to_string(port);
  SIM_ASSIGN_OR_RETURN(ls.spec.default_actions, BuildListenerDefaultActions(cfg.protocol, ing_list));
  SIM_ASSIGN_OR_RETURN(ls.spec.tags, BuildListenerTags(ing_list));
  for (const auto& cert : cfg.tls_certs) ls.spec.certificates.push_back(ms::Certificate{cert});
  SIM_ASSIGN_OR_RETURN(ls.spec.listener_attributes, BuildListenerAttributes(ing_list, port, cfg.protocol));
  ls.spec.load_balancer_arn = lb_arn;
  ls.spec.port = port;
  ls.spec.protocol = cfg.protocol;
  ls.spec.ssl_policy = cfg.ssl_policy;
  ls.spec.mutual_authentication = cfg.mutual_authentication;
  for (const auto& cert : ls.spec.certificates) {
    if (cert.certificate_arn && cert.certificate_arn->HasStackDependency()) {
      stack.AddDependency({cert.certificate_arn->resource_type, cert.certificate_arn->resource_id},
                          {ms::Listener::kType, ls.id});
    }
  }
  if (lb_arn.HasStackDependency()) {
    stack.AddDependency({lb_arn.resource_type, lb_arn.resource_id}, {ms::Listener::kType, ls.id});
  }
  const std::string id = ls.id;
  auto err = stack.Add(std::move(ls));
  if (err) return MakeError(ErrorCode::kInternal, *err);
  return stack.Find<ms::Listener>(id);
}

Result<std::vector<ms::Action>> ModelBuildTask::BuildListenerDefaultActions(
    const std::string& protocol, const std::vector<ClassifiedIngress>& ing_list) {
  if (ssl_redirect_config && protocol == "HTTP") return std::vector<ms::Action>{BuildSSLRedirectAction(*ssl_redirect_config)};
  std::vector<ClassifiedIngress> with_default;
  for (const auto& ing : ing_list) {
    if (ing.ing->default_backend.has_value()) with_default.push_back(ing);
  }
  if (with_default.empty()) return std::vector<ms::Action>{Build404Action()};
  if (with_default.size() > 1) {
    std::string keys;
    for (size_t i = 0; i < with_default.size(); ++i) {
      if (i) keys += ' ';
      keys += NamespacedName(*with_default[i].ing);
    }
    return Err("multiple ingress defined default backend: [" + keys + "]");
  }
  const ClassifiedIngress& ing = with_default[0];
  if (enhanced_backend_builder == nullptr) return MakeError(ErrorCode::kInternal, "no enhanced backend builder configured");
  EnhancedBackendBuildOptions opts;
  opts.backend_services = &backend_services;
  SIM_ASSIGN_OR_RETURN(EnhancedBackend backend,
                       enhanced_backend_builder->Build(*ing.ing, *ing.ing->default_backend, opts));
  return BuildActions(protocol, ing, backend);
}

Result<std::map<std::string, std::string>> ModelBuildTask::BuildListenerTags(
    const std::vector<ClassifiedIngress>& ing_list) const {
  SIM_ASSIGN_OR_RETURN(auto group_tags, BuildIngressGroupResourceTags(ing_list));
  if (feature_gates.enable_default_tags_low_priority) return MergeStringMap({&group_tags, &default_tags});
  return MergeStringMap({&default_tags, &group_tags});
}

Result<std::vector<ms::ListenerAttribute>> ModelBuildTask::BuildListenerAttributes(
    const std::vector<ClassifiedIngress>& ing_list, int32_t port, const std::string& protocol) const {
  std::map<std::string, std::string> group_attrs;
  std::map<std::string, std::string> class_attrs;
  if (!ing_list.empty()) {
    const auto& params = ing_list[0].ing_class_config.ing_class_params;
    if (params) {
      for (const auto& l : params->listeners) {
        if (l.protocol == protocol && l.port == port) {
          for (const auto& kv : l.listener_attributes) class_attrs[kv.key] = kv.value;
          break;
        }
      }
    }
  }
  const std::string key = std::string(annotations::kListenerAttributesPrefix) + "." + protocol + "-" + std::to_string(port);
  for (const auto& ing : ing_list) {
    std::map<std::string, std::string> attrs;
    SIM_RETURN_IF_ERROR(annotation_parser.ParseStringMap(key, &attrs, ing.ing->metadata.annotations));
    for (const auto& [k, v] : attrs) {
      auto it = group_attrs.find(k);
      if (it != group_attrs.end() && it->second != v && !class_attrs.count(k)) {
        return Err("conflicting listener attributes " + k + ": " + it->second + " | " + v + " for ingress " +
                   ing.ing->metadata.namespace_ + "/" + ing.ing->metadata.name);
      }
      group_attrs[k] = v;
    }
  }
  for (const auto& [k, v] : group_attrs) class_attrs.emplace(k, v);
  std::vector<ms::ListenerAttribute> out;
  for (const auto& [k, v] : class_attrs) out.push_back({k, v});
  return out;
}

Result<std::map<int32_t, ListenPortConfig>> ModelBuildTask::ComputeIngressListenPortConfigByPort(
    const ClassifiedIngress& ing, const std::optional<ms::StringToken>& cert) {
  const auto& ann = ing.ing->metadata.annotations;
  const auto& params = ing.ing_class_config.ing_class_params;
  // computeIngressExplicitTLSCertARNs
  std::vector<ms::StringToken> explicit_certs;
  if (params && !params->certificate_arn.empty()) {
    for (const auto& arn : params->certificate_arn) explicit_certs.push_back(ms::StringToken::ExistingCertificateARN(arn));
  } else {
    std::vector<std::string> raw;
    annotation_parser.ParseStringSlice(annotations::kCertificateARN, &raw, ann);
    for (const auto& arn : raw) explicit_certs.push_back(ms::StringToken::ExistingCertificateARN(arn));
  }
  if (explicit_certs.empty() && cert) explicit_certs = {*cert};
  // computeIngressExplicitSSLPolicy
  std::optional<std::string> explicit_ssl_policy;
  if (params && params->ssl_policy.has_value() && !params->ssl_policy->empty()) {
    explicit_ssl_policy = params->ssl_policy;
  } else {
    std::string raw;
    if (annotation_parser.ParseString(annotations::kSSLPolicy, &raw, ann)) explicit_ssl_policy = raw;
  }
  // computeIngressExplicitPrefixListIDs
  std::vector<std::string> prefix_lists;
  if (params && !params->prefix_lists_ids.empty()) {
    prefix_lists = params->prefix_lists_ids;
  } else if (params && !params->prefix_lists_ids_legacy.empty()) {
    prefix_lists = params->prefix_lists_ids_legacy;
  } else {
    annotation_parser.ParseStringSlice(annotations::kSecurityGroupPrefixLists, &prefix_lists, ann);
  }
  // computeIngressExplicitInboundCIDRs
  std::vector<std::string> raw_cidrs;
  bool from_params = false;
  if (params && !params->inbound_cidrs.empty()) {
    raw_cidrs = params->inbound_cidrs;
    from_params = true;
  } else {
    annotation_parser.ParseStringSlice(annotations::kInboundCIDRs, &raw_cidrs, ann);
  }
  std::vector<std::string> v4, v6;
  for (const auto& cidr : raw_cidrs) {
    if (!ParseCIDR(cidr)) {
      if (from_params) return Err("invalid CIDR in IngressClassParams InboundCIDR " + cidr + ": invalid CIDR address: " + cidr);
      return Err(std::string("invalid ") + annotations::kInboundCIDRs + " settings on Ingress: " +
                 NamespacedName(*ing.ing) + ": invalid CIDR address: " + cidr);
    }
    if (cidr.find(':') != std::string::npos) {
      v6.push_back(cidr);
    } else {
      v4.push_back(cidr);
    }
  }
  // computeIngressMutualAuthentication
  std::map<int32_t, ms::MutualAuthenticationAttributes> mtls;
  {
    std::string raw;
    if (annotation_parser.ParseString(annotations::kMutualAuthentication, &raw, ann)) {
      std::vector<ing::MutualAuthenticationConfig> entries;
      Status st = ing::DecodeJson(raw, &entries);
      if (!st.ok()) {
        return Wrap(st.error(), "failed to parse mutualAuthentication configuration from ingress annotation: `" + raw + "`");
      }
      if (entries.empty()) return Err("empty mutualAuthentication configuration from ingress annotation: `" + raw + "`");
      for (const auto& e : entries) {
        std::string ts = e.trust_store.value_or("");
        SIM_RETURN_IF_ERROR(ValidateMutualAuthenticationConfig(e.port, e.mode, ts, e.ignore_client_certificate_expiry,
                                                               e.advertise_trust_store_ca_names));
        std::optional<bool> ignore = e.ignore_client_certificate_expiry;
        if (e.mode == "verify" && !ignore) ignore = false;
        mtls[e.port] = ms::MutualAuthenticationAttributes{e.mode, ts, ignore, e.advertise_trust_store_ca_names};
      }
      // parseMtlsAttributesForTrustStoreNames
      std::map<std::string, std::vector<int32_t>> names;
      for (const auto& [port, attrs] : mtls) {
        const std::string ts = attrs.trust_store_arn.value_or("");
        if (attrs.mode == "verify" && ts.rfind("arn:", 0) != 0) names[ts].push_back(port);
      }
      if (!names.empty()) {
        if (!deps.trust_store_arns) return MakeError(ErrorCode::kInternal, "no trust store resolver configured");
        std::vector<std::string> list;
        for (const auto& [n, ports] : names) list.push_back(n);
        SIM_ASSIGN_OR_RETURN(auto arns, deps.trust_store_arns(list));
        for (const auto& [n, ports] : names) {
          for (int32_t p : ports) {
            auto& attrs = mtls[p];
            if (!attrs.trust_store_arn.value_or("").empty()) {
              auto it = arns.find(n);
              if (it != arns.end()) {
                attrs.trust_store_arn = it->second;
              } else {
                attrs.trust_store_arn.reset();
              }
            }
          }
        }
      }
    }
  }
  // computeIngressListenPorts
  const bool prefer_tls = !explicit_certs.empty();
  std::map<int32_t, std::string> listen_ports;
  {
    std::string raw;
    if (!annotation_parser.ParseString(annotations::kListenPorts, &raw, ann)) {
      if (prefer_tls) {
        listen_ports[443] = "HTTPS";
      } else {
        listen_ports[80] = "HTTP";
      }
    } else {
      std::vector<std::vector<std::pair<std::string, int32_t>>> entries;
      Status st = ing::DecodeJson(raw, &entries);
      if (!st.ok()) return Wrap(st.error(), "failed to parse listen-ports configuration: `" + raw + "`");
      if (entries.empty()) return Err("empty listen-ports configuration: `" + raw + "`");
      for (const auto& entry : entries) {
        for (const auto& [protocol, port] : entry) {
          if (port < 1 || port > 65535) return Err("listen port must be within [1, 65535]: " + std::to_string(port));
          if (protocol == "HTTP" || protocol == "HTTPS") {
            listen_ports[port] = protocol;
          } else {
            return Err("listen protocol must be within [HTTP, HTTPS]: " + protocol);
          }
        }
      }
    }
  }
  bool has_https = false;
  for (const auto& [p, proto] : listen_ports) has_https = has_https || proto == "HTTPS";
  std::vector<ms::StringToken> inferred;
  if (has_https && explicit_certs.empty()) {
    // computeIngressInferredTLSCertARNs
    std::set<std::string> hosts;
    for (const auto& r : ing.ing->rules) {
      if (!r.host.empty()) hosts.insert(r.host);
    }
    for (const auto& t : ing.ing->tls) hosts.insert(t.hosts.begin(), t.hosts.end());
    if (deps.cert_discovery == nullptr) return MakeError(ErrorCode::kInternal, "no certificate discovery configured");
    std::map<std::string, std::string> stack_tags;
    if (tracking_provider) {
      stack_tags = tracking_provider->StackTags(StackId{stack.stack_id().namespace_, stack.stack_id().name});
    }
    SIM_ASSIGN_OR_RETURN(auto arns, deps.cert_discovery->Discover({hosts.begin(), hosts.end()}, stack_tags));
    for (const auto& arn : arns) inferred.push_back(ms::StringToken::ExistingCertificateARN(arn));
  }
  std::map<int32_t, ListenPortConfig> out;
  for (const auto& [port, protocol] : listen_ports) {
    ListenPortConfig cfg;
    cfg.protocol = protocol;
    cfg.inbound_cidr_v4s = v4;
    cfg.inbound_cidr_v6s = v6;
    cfg.prefix_lists = prefix_lists;
    if (protocol == "HTTPS") {
      cfg.tls_certs = explicit_certs.empty() ? inferred : explicit_certs;
      cfg.ssl_policy = explicit_ssl_policy;
      auto it = mtls.find(port);
      if (it != mtls.end()) cfg.mutual_authentication = it->second;
    }
    out[port] = cfg;
  }
  return out;
}

Status ModelBuildTask::ValidateMutualAuthenticationConfig(int32_t port, const std::string& mode,
                                                          const std::string& trust_store,
                                                          const std::optional<bool>& ignore_expiry,
                                                          const std::optional<std::string>& advertise) const {
  const std::string p = std::to_string(port);
  if (port < 1 || port > 65535) return Err("listen port must be within [1, 65535]: " + p);
  if (mode.empty()) return Err("mutualAuthentication mode cannot be empty for port " + p);
  if (mode != "off" && mode != "passthrough" && mode != "verify") {
    return Err("mutualAuthentication mode value must be among [off, passthrough, verify] for port " + p + " : " + mode);
  }
  if (mode == "verify" && trust_store.empty()) {
    return Err("trustStore is required when mutualAuthentication mode is verify for port " + p);
  }
  if ((mode == "off" || mode == "passthrough") && !trust_store.empty()) {
    return Err("Mutual Authentication mode " + mode + " does not support trustStore for port " + p);
  }
  if ((mode == "off" || mode == "passthrough") && ignore_expiry) {
    return Err("Mutual Authentication mode " + mode + " does not support ignoring client certificate expiry for port " + p);
  }
  if (advertise) {
    if (mode != "verify") {
      return Err("Mutual Authentication mode " + mode + " does not support advertiseTrustStoreCaNames for port " + p);
    }
    if (*advertise != "off" && *advertise != "on") {
      return Err("advertiseTrustStoreCaNames only supports the values \"on\" and \"off\" got value " + *advertise +
                 " for port " + p);
    }
  }
  return OkStatus();
}

// ---------------------------------------------------------------- model_build_certificates.go

Result<std::optional<ms::StringToken>> ModelBuildTask::BuildACMCertificates(const ClassifiedIngress& ing) {
  std::vector<std::string> explicit_arns;
  annotation_parser.ParseStringSlice(annotations::kCertificateARN, &explicit_arns, ing.ing->metadata.annotations);
  if (!explicit_arns.empty()) return std::optional<ms::StringToken>{};
  std::string ca_arn;
  annotation_parser.ParseString(annotations::kACMCaARN, &ca_arn, ing.ing->metadata.annotations);
  if (ca_arn.empty()) ca_arn = default_ca_arn;
  std::set<std::string> hosts;
  for (const auto& r : ing.ing->rules) {
    if (!r.host.empty()) hosts.insert(r.host);
  }
  for (const auto& t : ing.ing->tls) hosts.insert(t.hosts.begin(), t.hosts.end());
  const std::string ing_key = ing.ing->metadata.namespace_ + "/" + ing.ing->metadata.name;
  if (hosts.empty()) {
    return Err("ingress " + ing_key +
               " has create-acm-cert enabled but no hostnames defined in spec.rules[].host or spec.tls[].hosts — "
               "cannot create a certificate without at least one hostname");
  }
  SIM_ASSIGN_OR_RETURN(auto ing_tags, BuildIngressResourceTags(ing));
  ms::AcmCertificate cert;
  cert.spec.type = ca_arn.empty() ? "AMAZON_ISSUED" : "PRIVATE";
  cert.spec.certificate_authority_arn = ca_arn;
  cert.spec.domain_name = *hosts.begin();
  cert.spec.subject_alternative_names.assign(hosts.begin(), hosts.end());
  cert.spec.validation_method = "DNS";
  cert.spec.tags = MergeStringMap({&default_tags, &ing_tags});
  std::string type_lower = cert.spec.type;
  std::transform(type_lower.begin(), type_lower.end(), type_lower.begin(), ::tolower);
  std::string domain = cert.spec.domain_name;
  std::string replaced;
  for (char c : domain) {
    if (c == '*') {
      replaced += "wildcard";
    } else {
      replaced += c;
    }
  }
  cert.id = type_lower + "/" + replaced + "-" + Sha256Hex(ing_key).substr(0, 8);
  ms::StringToken token = cert.CertificateARN();
  (void)stack.Add(std::move(cert));
  return std::optional<ms::StringToken>(token);
}

}  // namespace sim::controller
