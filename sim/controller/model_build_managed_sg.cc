// Mirrors upstream pkg/ingress/model_build_managed_sg.go and model_build_tags.go.
#include <algorithm>

#include "sim/base/crypto.h"
#include "sim/controller/model_builder.h"

namespace sim::controller {

namespace {

std::string Sanitize(const std::string& s) {
  std::string o;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) o += c;
  }
  return o;
}

std::string Trunc(const std::string& s, size_t n) { return s.substr(0, std::min(n, s.size())); }

}  // namespace

// ---------------------------------------------------------------- model_build_managed_sg.go

Result<const ms::SecurityGroup*> ModelBuildTask::BuildManagedSecurityGroup(
    const std::map<int32_t, ListenPortConfig>& by_port, const std::string& ip_address_type) {
  ms::SecurityGroup sg;
  sg.id = ms::kResourceIDManagedSecurityGroup;
  sg.spec.group_name = BuildManagedSecurityGroupName();
  sg.spec.description = "[k8s] Managed SecurityGroup for LoadBalancer";
  SIM_ASSIGN_OR_RETURN(sg.spec.tags, BuildManagedSecurityGroupTags());
  sg.spec.ingress = BuildManagedSecurityGroupIngressPermissions(by_port, ip_address_type);
  auto err = stack.Add(std::move(sg));
  if (err) return MakeError(ErrorCode::kInternal, *err);
  return stack.Find<ms::SecurityGroup>(ms::kResourceIDManagedSecurityGroup);
}

std::string ModelBuildTask::BuildManagedSecurityGroupName() const {
  const std::string uuid = Sha256Hex(cluster_name + ing_group.id.String());
  if (ing_group.id.IsExplicit()) {
    return "k8s-" + Trunc(Sanitize(ing_group.id.name), 17) + "-" + Trunc(uuid, 10);
  }
  return "k8s-" + Trunc(Sanitize(ing_group.id.namespace_), 8) + "-" + Trunc(Sanitize(ing_group.id.name), 8) + "-" +
         Trunc(uuid, 10);
}

Result<std::map<std::string, std::string>> ModelBuildTask::BuildManagedSecurityGroupTags() const {
  SIM_ASSIGN_OR_RETURN(auto group_tags, BuildIngressGroupResourceTags(ing_group.members));
  if (feature_gates.enable_default_tags_low_priority) return MergeStringMap({&group_tags, &default_tags});
  return MergeStringMap({&default_tags, &group_tags});
}

std::vector<ms::IPPermission> ModelBuildTask::BuildManagedSecurityGroupIngressPermissions(
    const std::map<int32_t, ListenPortConfig>& by_port, const std::string& ip_address_type) const {
  // Upstream iterates a Go map (random port order); albtwin uses ascending ports (model-stack.md §7).
  const bool ipv6 = ip_address_type == "dualstack" || ip_address_type == "dualstack-without-public-ipv4";
  std::vector<ms::IPPermission> perms;
  for (const auto& [port, cfg] : by_port) {
    for (const auto& cidr : cfg.inbound_cidr_v4s) {
      ms::IPPermission p;
      p.ip_protocol = "tcp";
      p.from_port = port;
      p.to_port = port;
      p.ip_ranges.push_back(ms::IPRange{cidr, ""});
      perms.push_back(p);
    }
    if (ipv6) {
      for (const auto& cidr : cfg.inbound_cidr_v6s) {
        ms::IPPermission p;
        p.ip_protocol = "tcp";
        p.from_port = port;
        p.to_port = port;
        p.ipv6_ranges.push_back(ms::IPv6Range{cidr, ""});
        perms.push_back(p);
      }
    }
    for (const auto& pl : cfg.prefix_lists) {
      ms::IPPermission p;
      p.ip_protocol = "tcp";
      p.from_port = port;
      p.to_port = port;
      p.prefix_lists.push_back(ms::PrefixList{pl, ""});
      perms.push_back(p);
    }
  }
  return perms;
}

// ---------------------------------------------------------------- model_build_tags.go

Result<std::map<std::string, std::string>> ModelBuildTask::BuildIngressGroupResourceTags(
    const std::vector<ClassifiedIngress>& ings) const {
  std::map<std::string, std::string> group_tags;
  for (const auto& ing : ings) {
    SIM_ASSIGN_OR_RETURN(auto tags, BuildIngressResourceTags(ing));
    for (const auto& [k, v] : tags) {
      auto it = group_tags.find(k);
      if (it != group_tags.end() && it->second != v) {
        return MakeError(ErrorCode::kInvalidArgument, "conflicting tag " + k + ": " + it->second + " | " + v);
      }
      group_tags[k] = v;
    }
  }
  return group_tags;
}

Result<std::map<std::string, std::string>> ModelBuildTask::BuildIngressResourceTags(const ClassifiedIngress& ing) const {
  std::map<std::string, std::string> annotation_tags;
  SIM_RETURN_IF_ERROR(annotation_parser.ParseStringMap(annotations::kTags, &annotation_tags, ing.ing->metadata.annotations));
  Status st = ValidateTagCollisionWithExternalManagedTags(annotation_tags);
  if (!st.ok()) return Wrap(st.error(), "failed build tags for Ingress " + NamespacedName(*ing.ing));
  SIM_ASSIGN_OR_RETURN(auto class_tags, BuildIngressClassResourceTags(ing.ing_class_config));
  return MergeStringMap({&class_tags, &annotation_tags});
}

Result<std::map<std::string, std::string>> ModelBuildTask::BuildIngressBackendResourceTags(
    const ClassifiedIngress& ing, const model::k8s::Service& svc) const {
  std::map<std::string, std::string> svc_tags, ing_tags;
  SIM_RETURN_IF_ERROR(annotation_parser.ParseStringMap(annotations::kTags, &svc_tags, svc.metadata.annotations));
  SIM_RETURN_IF_ERROR(annotation_parser.ParseStringMap(annotations::kTags, &ing_tags, ing.ing->metadata.annotations));
  auto merged = MergeStringMap({&svc_tags, &ing_tags});
  Status st = ValidateTagCollisionWithExternalManagedTags(merged);
  if (!st.ok()) {
    return Wrap(st.error(), "failed build tags for Ingress " + NamespacedName(*ing.ing) + " and Service " +
                                NamespacedName(svc));
  }
  SIM_ASSIGN_OR_RETURN(auto class_tags, BuildIngressClassResourceTags(ing.ing_class_config));
  return MergeStringMap({&class_tags, &merged});
}

Result<std::map<std::string, std::string>> ModelBuildTask::BuildIngressClassResourceTags(
    const ClassConfiguration& cls) const {
  if (!cls.ing_class_params || cls.ing_class_params->tags.empty()) return std::map<std::string, std::string>{};
  std::map<std::string, std::string> tags;
  for (const auto& kv : cls.ing_class_params->tags) tags[kv.key] = kv.value;
  Status st = ValidateTagCollisionWithExternalManagedTags(tags);
  if (!st.ok()) {
    return Wrap(st.error(), "failed build tags for IngressClassParams " + cls.ing_class_params->metadata.name);
  }
  return tags;
}

Status ModelBuildTask::ValidateTagCollisionWithExternalManagedTags(const std::map<std::string, std::string>& tags) const {
  for (const auto& [k, v] : tags) {
    if (std::find(external_managed_tags.begin(), external_managed_tags.end(), k) != external_managed_tags.end()) {
      return MakeError(ErrorCode::kInvalidArgument, "external managed tag key " + k + " cannot be specified");
    }
  }
  return OkStatus();
}

}  // namespace sim::controller
