// Mirrors upstream pkg/ingress/model_build_load_balancer.go, model_build_load_balancer_attributes.go,
// model_build_load_balancer_capacity_reservation.go, model_build_ipam.go and
// model_build_load_balancer_addons.go.
#include <algorithm>
#include <set>

#include "sim/base/crypto.h"
#include "sim/controller/model_builder.h"

namespace sim::controller {

namespace mk = model::k8s;

namespace {

Error Err(const std::string& m) { return MakeError(ErrorCode::kInvalidArgument, m); }

// Go regexp [[:^alnum:]] → "".
std::string Sanitize(const std::string& s) {
  std::string o;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) o += c;
  }
  return o;
}

// fmt %.Ns: at most N bytes.
std::string Trunc(const std::string& s, size_t n) { return s.substr(0, std::min(n, s.size())); }

std::string JoinSpace(const std::vector<std::string>& v) {
  std::string o;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) o += ' ';
    o += v[i];
  }
  return o;
}

// Go fmt %v of sets.String (a map[string]struct{}): map[a:{} b:{}].
std::string FormatGoSet(const std::set<std::string>& s) {
  std::string o = "map[";
  bool first = true;
  for (const auto& k : s) {
    if (!first) o += ' ';
    first = false;
    o += k + ":{}";
  }
  return o + "]";
}

std::string FormatList(const std::set<std::string>& s) { return "[" + JoinSpace({s.begin(), s.end()}) + "]"; }

std::vector<ms::SubnetMapping> MappingsFromIDs(const std::vector<std::string>& ids) {
  std::vector<ms::SubnetMapping> out;
  for (const auto& id : ids) {
    ms::SubnetMapping m;
    m.subnet_id = id;
    out.push_back(m);
  }
  return out;
}

std::vector<ms::SubnetMapping> MappingsFromSubnets(const std::vector<model::aws::Subnet>& subnets) {
  std::vector<std::string> ids;
  for (const auto& s : subnets) ids.push_back(s.subnet_id);
  return MappingsFromIDs(ids);
}


}  // namespace

Result<const ms::LoadBalancer*> ModelBuildTask::BuildLoadBalancer(const std::map<int32_t, ListenPortConfig>& by_port) {
  SIM_ASSIGN_OR_RETURN(ms::LoadBalancerSpec spec, BuildLoadBalancerSpec(by_port));
  ms::LoadBalancer lb;
  lb.id = ms::kResourceIDLoadBalancer;
  lb.spec = std::move(spec);
  for (const auto& sg : lb.spec.security_groups) {
    if (sg.HasStackDependency()) {
      stack.AddDependency({sg.resource_type, sg.resource_id}, {ms::LoadBalancer::kType, lb.id});
    }
  }
  auto err = stack.Add(std::move(lb));
  if (err) return MakeError(ErrorCode::kInternal, *err);
  load_balancer = stack.Find<ms::LoadBalancer>(ms::kResourceIDLoadBalancer);
  return load_balancer;
}

Result<ms::LoadBalancerSpec> ModelBuildTask::BuildLoadBalancerSpec(const std::map<int32_t, ListenPortConfig>& by_port) {
  ms::LoadBalancerSpec spec;
  SIM_ASSIGN_OR_RETURN(std::string scheme, BuildLoadBalancerScheme());
  SIM_ASSIGN_OR_RETURN(std::string ip_address_type, BuildLoadBalancerIPAddressType());
  SIM_ASSIGN_OR_RETURN(spec.subnet_mappings, BuildLoadBalancerSubnetMappings(scheme, ip_address_type));
  SIM_ASSIGN_OR_RETURN(spec.security_groups, BuildLoadBalancerSecurityGroups(by_port, ip_address_type));
  SIM_ASSIGN_OR_RETURN(spec.customer_owned_ipv4_pool, BuildLoadBalancerCOIPv4Pool());
  SIM_ASSIGN_OR_RETURN(spec.load_balancer_attributes, BuildLoadBalancerAttributes());
  SIM_ASSIGN_OR_RETURN(spec.tags, BuildLoadBalancerTags());
  SIM_ASSIGN_OR_RETURN(spec.name, BuildLoadBalancerName(scheme));
  SIM_ASSIGN_OR_RETURN(spec.minimum_load_balancer_capacity, BuildLoadBalancerMinimumCapacity());
  SIM_ASSIGN_OR_RETURN(spec.ipv4_ipam_pool, BuildIPv4IPAMPoolID());
  spec.type = "application";
  spec.scheme = scheme;
  spec.ip_address_type = ip_address_type;
  return spec;
}

Result<std::string> ModelBuildTask::BuildLoadBalancerName(const std::string& scheme) const {
  std::set<std::string> explicit_names;
  for (const auto& member : ing_group.members) {
    const auto& params = member.ing_class_config.ing_class_params;
    if (params && params->load_balancer_name.has_value() && !params->load_balancer_name->empty()) {
      explicit_names.insert(*params->load_balancer_name);
      continue;
    }
    std::string raw;
    if (!annotation_parser.ParseString(annotations::kLoadBalancerName, &raw, member.ing->metadata.annotations)) continue;
    explicit_names.insert(raw);
  }
  if (explicit_names.size() == 1) {
    const std::string& name = *explicit_names.begin();
    if (name.size() > 32) return Err("load balancer name cannot be longer than 32 characters");
    return name;
  }
  if (explicit_names.size() > 1) return Err("conflicting load balancer name: " + FormatGoSet(explicit_names));
  const std::string uuid = Sha256Hex(cluster_name + ing_group.id.String() + scheme);
  if (ing_group.id.IsExplicit()) {
    return "k8s-" + Trunc(Sanitize(ing_group.id.name), 17) + "-" + Trunc(uuid, 10);
  }
  return "k8s-" + Trunc(Sanitize(ing_group.id.namespace_), 8) + "-" + Trunc(Sanitize(ing_group.id.name), 8) + "-" +
         Trunc(uuid, 10);
}

Result<std::string> ModelBuildTask::BuildLoadBalancerScheme() const {
  std::set<std::string> schemes;
  for (const auto& member : ing_group.members) {
    const auto& params = member.ing_class_config.ing_class_params;
    if (params && params->scheme.has_value()) {
      schemes.insert(*params->scheme);
      continue;
    }
    std::string raw;
    if (!annotation_parser.ParseString(annotations::kScheme, &raw, member.ing->metadata.annotations)) continue;
    schemes.insert(raw);
  }
  if (schemes.empty()) return default_scheme;
  if (schemes.size() > 1) return Err("conflicting scheme: " + FormatGoSet(schemes));
  const std::string& s = *schemes.begin();
  if (s == "internet-facing" || s == "internal") return s;
  return Err("unknown scheme: " + s);
}

Result<std::string> ModelBuildTask::BuildLoadBalancerIPAddressType() const {
  std::set<std::string> types;
  for (const auto& member : ing_group.members) {
    const auto& params = member.ing_class_config.ing_class_params;
    if (params && params->ip_address_type.has_value()) {
      types.insert(*params->ip_address_type);
      continue;
    }
    std::string raw;
    if (!annotation_parser.ParseString(annotations::kIPAddressType, &raw, member.ing->metadata.annotations)) continue;
    types.insert(raw);
  }
  if (types.empty()) return default_ip_address_type;
  if (types.size() > 1) return Err("conflicting IPAddressType: " + FormatList(types));
  const std::string& t = *types.begin();
  if (t == "ipv4" || t == "dualstack" || t == "dualstack-without-public-ipv4") return t;
  return Err("unknown IPAddressType: " + t);
}

Result<std::vector<ms::SubnetMapping>> ModelBuildTask::BuildLoadBalancerSubnetMappings(
    const std::string& scheme, const std::string& ip_address_type) {
  std::vector<SubnetSelector> selectors;
  std::vector<std::vector<std::string>> name_or_ids_list;
  for (const auto& member : ing_group.members) {
    const auto& params = member.ing_class_config.ing_class_params;
    if (params && params->has_subnets) {
      selectors.push_back(SubnetSelector{params->subnet_ids, params->subnet_tags});
      continue;
    }
    std::vector<std::string> raw;
    if (!annotation_parser.ParseStringSlice(annotations::kSubnets, &raw, member.ing->metadata.annotations)) continue;
    name_or_ids_list.push_back(raw);
  }
  SubnetsResolveOptions opts;
  opts.lb_type = "application";
  opts.lb_scheme = scheme;
  opts.lb_ip_address_type = ip_address_type;
  if (!selectors.empty()) {
    if (!name_or_ids_list.empty()) return Err("conflicting subnet specifications: IngressClassParams versus annotation");
    for (size_t i = 1; i < selectors.size(); ++i) {
      if (!(selectors[i] == selectors[0])) return Err("conflicting IngressClassParams subnet specifications");
    }
    if (deps.subnets_resolver == nullptr) return MakeError(ErrorCode::kInternal, "no subnets resolver configured");
    SIM_ASSIGN_OR_RETURN(auto subnets, deps.subnets_resolver->ResolveViaSelector(selectors[0], opts));
    return MappingsFromSubnets(subnets);
  }
  if (!name_or_ids_list.empty()) {
    const auto& chosen = name_or_ids_list[0];
    for (size_t i = 1; i < name_or_ids_list.size(); ++i) {
      auto a = chosen, b = name_or_ids_list[i];
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      if (a != b) {
        return Err("conflicting subnets: [" + JoinSpace(chosen) + "] | [" + JoinSpace(name_or_ids_list[i]) + "]");
      }
    }
    if (deps.subnets_resolver == nullptr) return MakeError(ErrorCode::kInternal, "no subnets resolver configured");
    SIM_ASSIGN_OR_RETURN(auto subnets, deps.subnets_resolver->ResolveViaNameOrIDSlice(chosen, opts));
    return MappingsFromSubnets(subnets);
  }
  std::map<std::string, std::string> stack_tags;
  if (tracking_provider) {
    stack_tags = tracking_provider->StackTags(StackId{stack.stack_id().namespace_, stack.stack_id().name});
  }
  if (!deps.list_load_balancers) return MakeError(ErrorCode::kInternal, "no load balancer lister configured");
  SIM_ASSIGN_OR_RETURN(std::vector<ExistingLoadBalancer> lbs, deps.list_load_balancers(stack_tags));
  if (lbs.empty() || scheme != lbs[0].load_balancer.scheme) {
    if (deps.subnets_resolver == nullptr) return MakeError(ErrorCode::kInternal, "no subnets resolver configured");
    auto subnets = deps.subnets_resolver->ResolveViaDiscovery(opts);
    if (!subnets.ok()) return Wrap(subnets.error(), "couldn't auto-discover subnets");
    return MappingsFromSubnets(subnets.value());
  }
  std::vector<std::string> ids;
  for (const auto& az : lbs[0].load_balancer.availability_zones) ids.push_back(az.subnet_id);
  return MappingsFromIDs(ids);
}

Result<std::vector<ms::StringToken>> ModelBuildTask::BuildLoadBalancerSecurityGroups(
    const std::map<int32_t, ListenPortConfig>& by_port, const std::string& ip_address_type) {
  SIM_ASSIGN_OR_RETURN(std::vector<std::string> sg_name_or_ids, BuildFrontendSGNameOrIDsFromAnnotation());
  std::vector<ms::StringToken> tokens;
  std::vector<std::string> members;
  for (const auto& m : ing_group.members) members.push_back(NamespacedName(*m.ing));
  if (sg_name_or_ids.empty()) {
    SIM_ASSIGN_OR_RETURN(const ms::SecurityGroup* sg, BuildManagedSecurityGroup(by_port, ip_address_type));
    tokens.push_back(sg->GroupID());
    if (!enable_backend_sg) {
      backend_sg_id_token = sg->GroupID();
    } else {
      if (deps.backend_sg_provider == nullptr) return MakeError(ErrorCode::kInternal, "no backend SG provider configured");
      SIM_ASSIGN_OR_RETURN(std::string backend_sg, deps.backend_sg_provider->Get(kResourceTypeIngress, members));
      backend_sg_id_token = ms::StringToken::Literal(backend_sg);
      backend_sg_allocated = true;
      tokens.push_back(*backend_sg_id_token);
    }
    return tokens;
  }
  SIM_ASSIGN_OR_RETURN(bool manage_rules, BuildManageSecurityGroupRulesFlag());
  if (deps.sg_resolver == nullptr) return MakeError(ErrorCode::kInternal, "no security group resolver configured");
  SIM_ASSIGN_OR_RETURN(std::vector<std::string> frontend, deps.sg_resolver->ResolveViaNameOrID(sg_name_or_ids));
  for (const auto& id : frontend) tokens.push_back(ms::StringToken::Literal(id));
  if (manage_rules) {
    if (!enable_backend_sg) {
      return Err("backendSG feature is required to manage worker node SG rules when frontendSG manually specified");
    }
    if (deps.backend_sg_provider == nullptr) return MakeError(ErrorCode::kInternal, "no backend SG provider configured");
    SIM_ASSIGN_OR_RETURN(std::string backend_sg, deps.backend_sg_provider->Get(kResourceTypeIngress, members));
    backend_sg_id_token = ms::StringToken::Literal(backend_sg);
    backend_sg_allocated = true;
    tokens.push_back(*backend_sg_id_token);
  }
  return tokens;
}

Result<std::vector<std::string>> ModelBuildTask::BuildFrontendSGNameOrIDsFromAnnotation() const {
  std::vector<std::vector<std::string>> lists;
  for (const auto& member : ing_group.members) {
    std::vector<std::string> raw;
    if (!annotation_parser.ParseStringSlice(annotations::kSecurityGroups, &raw, member.ing->metadata.annotations)) {
      continue;
    }
    lists.push_back(raw);
  }
  if (lists.empty()) return std::vector<std::string>{};
  for (size_t i = 1; i < lists.size(); ++i) {
    if (lists[i] != lists[0]) {
      return Err("conflicting securityGroups: [" + JoinSpace(lists[0]) + "] | [" + JoinSpace(lists[i]) + "]");
    }
  }
  return lists[0];
}

Result<std::optional<std::string>> ModelBuildTask::BuildLoadBalancerCOIPv4Pool() const {
  std::set<std::string> pools;
  for (const auto& member : ing_group.members) {
    std::string raw;
    if (!annotation_parser.ParseString(annotations::kCustomerOwnedIPv4Pool, &raw, member.ing->metadata.annotations)) {
      continue;
    }
    if (raw.empty()) {
      return Err(std::string("cannot use empty value for ") + annotations::kCustomerOwnedIPv4Pool +
                 " annotation, ingress: " + NamespacedName(*member.ing));
    }
    pools.insert(raw);
  }
  if (pools.empty()) return std::optional<std::string>{};
  if (pools.size() > 1) return Err("conflicting CustomerOwnedIPv4Pool: " + FormatList(pools));
  return std::optional<std::string>(*pools.begin());
}

Result<std::vector<ms::LoadBalancerAttribute>> ModelBuildTask::BuildLoadBalancerAttributes() const {
  std::map<std::string, std::string> group_attrs;
  std::map<std::string, std::string> class_attrs;
  if (!ing_group.members.empty()) {
    const auto& params = ing_group.members[0].ing_class_config.ing_class_params;
    if (params) {
      for (const auto& kv : params->load_balancer_attributes) class_attrs[kv.key] = kv.value;
    }
  }
  for (const auto& member : ing_group.members) {
    std::map<std::string, std::string> attrs;
    SIM_RETURN_IF_ERROR(annotation_parser.ParseStringMap(annotations::kLoadBalancerAttributes, &attrs,
                                                        member.ing->metadata.annotations));
    for (const auto& [k, v] : attrs) {
      auto it = group_attrs.find(k);
      if (it != group_attrs.end() && it->second != v && !class_attrs.count(k)) {
        return Err("conflicting load balancer attributes " + k + ": " + it->second + " | " + v);
      }
      group_attrs[k] = v;
    }
  }
  for (const auto& [k, v] : group_attrs) class_attrs.emplace(k, v);  // MergeStringMap(class, group)
  std::vector<ms::LoadBalancerAttribute> out;
  for (const auto& [k, v] : class_attrs) out.push_back({k, v});
  return out;
}

Result<std::map<std::string, std::string>> ModelBuildTask::BuildLoadBalancerTags() const {
  SIM_ASSIGN_OR_RETURN(auto group_tags, BuildIngressGroupResourceTags(ing_group.members));
  if (feature_gates.enable_default_tags_low_priority) return MergeStringMap({&group_tags, &default_tags});
  return MergeStringMap({&default_tags, &group_tags});
}

Result<std::optional<ms::MinimumLoadBalancerCapacity>> ModelBuildTask::BuildLoadBalancerMinimumCapacity() const {
  if (!feature_gates.lb_capacity_reservation) return std::optional<ms::MinimumLoadBalancerCapacity>{};
  std::map<std::string, std::string> units;
  bool from_class = false;
  if (!ing_group.members.empty()) {
    const auto& params = ing_group.members[0].ing_class_config.ing_class_params;
    if (params && params->minimum_load_balancer_capacity_units.has_value()) {
      units["CapacityUnits"] = std::to_string(*params->minimum_load_balancer_capacity_units);
      from_class = true;
    }
  }
  if (!from_class) {
    for (const auto& member : ing_group.members) {
      std::map<std::string, std::string> m;
      SIM_RETURN_IF_ERROR(annotation_parser.ParseStringMap(annotations::kLoadBalancerCapacityReservation, &m,
                                                          member.ing->metadata.annotations));
      for (const auto& [k, v] : m) {
        auto it = units.find(k);
        if (it != units.end() && it->second != v) {
          return Err("conflicting capacity reservation " + k + ": " + it->second + " | " + v);
        }
        units[k] = v;
      }
    }
  }
  std::optional<ms::MinimumLoadBalancerCapacity> out;
  for (const auto& [k, v] : units) {
    if (k != "CapacityUnits") return Err("invalid key to set the capacity: " + k + ", Expected key: CapacityUnits");
    auto n = GoParseInt(v, 32);
    if (!n.ok()) return Wrap(n.error(), "invalid value to set the capacity: " + v);
    out = ms::MinimumLoadBalancerCapacity{static_cast<int32_t>(n.value())};
  }
  return out;
}

Result<std::optional<std::string>> ModelBuildTask::BuildIPv4IPAMPoolID() const {
  if (!ing_group.members.empty()) {
    const auto& params = ing_group.members[0].ing_class_config.ing_class_params;
    if (params && params->ipv4_ipam_pool_id.has_value()) return params->ipv4_ipam_pool_id;
  }
  std::optional<std::string> pool;
  for (const auto& member : ing_group.members) {
    std::string raw;
    if (annotation_parser.ParseString(annotations::kIPAMIPv4PoolId, &raw, member.ing->metadata.annotations) &&
        !raw.empty()) {
      if (pool && *pool != raw) return Err("conflicting ipv4 ipam pools " + *pool + ": " + raw);
      pool = raw;
    }
  }
  return pool;
}

Status ModelBuildTask::BuildLoadBalancerAddOns(const ms::StringToken& lb_arn) {
  // WAFv2
  {
    std::set<std::string> arns, names;
    for (const auto& member : ing_group.members) {
      const auto& params = member.ing_class_config.ing_class_params;
      if (params && params->wafv2_acl_name.has_value() && !params->wafv2_acl_name->empty()) {
        names.insert(*params->wafv2_acl_name);
        continue;
      }
      std::string raw;
      annotation_parser.ParseString(annotations::kWAFv2ACLName, &raw, member.ing->metadata.annotations);
      if (!raw.empty()) names.insert(raw);
    }
    bool build = true;
    std::string acl_arn;
    if (names.empty()) {
      for (const auto& member : ing_group.members) {
        const auto& params = member.ing_class_config.ing_class_params;
        if (params && params->wafv2_acl_arn.has_value() && !params->wafv2_acl_arn->empty()) {
          arns.insert(*params->wafv2_acl_arn);
          continue;
        }
        std::string raw;
        if (!annotation_parser.ParseString(annotations::kWAFv2ACLARN, &raw, member.ing->metadata.annotations)) continue;
        arns.insert(raw);
      }
      if (arns.empty()) {
        build = false;
      } else if (arns.size() > 1) {
        return Err("conflicting WAFv2 WebACL ARNs: " + FormatList(arns));
      } else {
        acl_arn = *arns.begin();
      }
    }
    if (names.size() > 1) return Err("conflicting WAFv2 WebACL names: " + FormatList(names));
    if (names.size() == 1) {
      const std::string& name = *names.begin();
      if (name != "none") {
        if (!deps.web_acl_arn_by_name) return Err("couldn't find WAFv2 WebACL with name: " + name);
        auto arn = deps.web_acl_arn_by_name(name);
        if (!arn.ok()) return Err("couldn't find WAFv2 WebACL with name: " + name);
        acl_arn = arn.value();
      }
    }
    if (build) {
      ms::WebACLAssociation a;
      a.id = ms::kResourceIDLoadBalancer;
      a.spec.web_acl_arn = acl_arn == "none" ? "" : acl_arn;
      a.spec.resource_arn = lb_arn;
      stack.AddDependency({ms::LoadBalancer::kType, lb_arn.resource_id}, {ms::WebACLAssociation::kType, a.id});
      (void)stack.Add(std::move(a));
    }
  }
  // WAF classic (regional)
  {
    std::set<std::string> ids;
    for (const auto& member : ing_group.members) {
      std::string raw;
      if (!annotation_parser.ParseString(annotations::kWAFACLID, &raw, member.ing->metadata.annotations)) {
        annotation_parser.ParseString(annotations::kWebACLID, &raw, member.ing->metadata.annotations);
      }
      if (!raw.empty()) ids.insert(raw);
    }
    if (ids.size() > 1) return Err("conflicting WAFClassic WebACL IDs: " + FormatList(ids));
    if (ids.size() == 1) {
      ms::WafRegionalWebACLAssociation a;
      a.id = ms::kResourceIDLoadBalancer;
      a.spec.web_acl_id = *ids.begin() == "none" ? "" : *ids.begin();
      a.spec.resource_arn = lb_arn;
      stack.AddDependency({ms::LoadBalancer::kType, lb_arn.resource_id}, {ms::WafRegionalWebACLAssociation::kType, a.id});
      (void)stack.Add(std::move(a));
    }
  }
  // Shield Advanced
  {
    std::set<bool> flags;
    for (const auto& member : ing_group.members) {
      bool raw = false;
      SIM_ASSIGN_OR_RETURN(bool exists, annotation_parser.ParseBool(annotations::kShieldAdvancedProtection, &raw,
                                                                    member.ing->metadata.annotations));
      if (exists) flags.insert(raw);
    }
    if (flags.size() > 1) return Err("conflicting enable shield advanced protection");
    if (flags.size() == 1) {
      ms::ShieldProtection p;
      p.id = ms::kResourceIDLoadBalancer;
      p.spec.enabled = *flags.begin();
      p.spec.resource_arn = lb_arn;
      stack.AddDependency({ms::LoadBalancer::kType, lb_arn.resource_id}, {ms::ShieldProtection::kType, p.id});
      (void)stack.Add(std::move(p));
    }
  }
  return OkStatus();
}

}  // namespace sim::controller
