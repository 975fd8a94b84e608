// Mirrors upstream pkg/networking/{security_group_info.go,security_group_manager.go,
// security_group_reconciler.go}.
#include "sim/controller/networking_sg_manager.h"

#include <cctype>
#include <set>

#include "sim/k8s/client_api.h"

namespace sim::controller {

namespace ma = model::aws;

namespace {

constexpr char kLabelKeyRawDescription[] = "raw/description";

std::string DescriptionForLabels(const std::map<std::string, std::string>& labels) {
  auto it = labels.find(kLabelKeyRawDescription);
  if (it != labels.end()) return it->second;
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!out.empty()) out += ",";
    out += k + "=" + v;
  }
  return out;
}

// Upstream's `([^\s,=]+)=([^\s,=]+)(?:,|$)`, every leftmost match in turn (FindAllStringSubmatch).
std::map<std::string, std::string> LabelsForDescription(const std::string& description) {
  std::map<std::string, std::string> labels{{kLabelKeyRawDescription, description}};
  auto word = [](char c) { return c != ',' && c != '=' && !std::isspace(static_cast<unsigned char>(c)); };
  const size_t n = description.size();
  size_t i = 0;
  while (i < n) {
    size_t k = i;
    while (k < n && word(description[k])) ++k;
    size_t v = k + 1;
    size_t e = v;
    while (e < n && word(description[e])) ++e;
    if (k > i && k < n && description[k] == '=' && e > v && (e == n || description[e] == ',')) {
      labels[description.substr(i, k - i)] = description.substr(v, e - v);
      i = e == n ? n : e + 1;
    } else {
      ++i;
    }
  }
  return labels;
}

ma::IpPermission Base(const std::string& protocol, std::optional<int> from, std::optional<int> to) {
  ma::IpPermission p;
  p.ip_protocol = protocol;
  p.from_port = from;
  p.to_port = to;
  return p;
}

std::string PortText(const std::optional<int>& p) { return std::to_string(p.value_or(0)); }

}  // namespace

std::string IPPermissionInfo::HashCode() const {
  const ma::IpPermission& p = permission;
  std::string base = "IpProtocol: " + p.ip_protocol + ", FromPort: " + PortText(p.from_port) +
                     ", ToPort: " + PortText(p.to_port);
  if (p.ip_ranges.size() == 1) return base + ", IpRange: " + p.ip_ranges[0].cidr_ip;
  if (p.ipv6_ranges.size() == 1) return base + ", Ipv6Range: " + p.ipv6_ranges[0].cidr_ipv6;
  if (p.prefix_list_ids.size() == 1) return base + ", PrefixListId: " + p.prefix_list_ids[0].prefix_list_id;
  if (p.user_id_group_pairs.size() == 1) return base + ", UserIdGroupPair: " + p.user_id_group_pairs[0].group_id;
  // Unknown shape: every field.
  std::string all = base;
  for (const auto& r : p.ip_ranges) all += ", IpRange: " + r.cidr_ip;
  for (const auto& r : p.ipv6_ranges) all += ", Ipv6Range: " + r.cidr_ipv6;
  for (const auto& r : p.prefix_list_ids) all += ", PrefixListId: " + r.prefix_list_id;
  for (const auto& r : p.user_id_group_pairs) all += ", UserIdGroupPair: " + r.group_id;
  return all;
}

std::map<std::string, std::string> NewIPPermissionLabelsForRawDescription(const std::string& description) {
  return {{kLabelKeyRawDescription, description}};
}

IPPermissionInfo NewCIDRIPPermission(const std::string& protocol, std::optional<int> from, std::optional<int> to,
                                     const std::string& cidr, std::map<std::string, std::string> labels) {
  IPPermissionInfo info;
  info.permission = Base(protocol, from, to);
  info.permission.ip_ranges.push_back(ma::IpRange{cidr, DescriptionForLabels(labels)});
  info.labels = std::move(labels);
  return info;
}

IPPermissionInfo NewCIDRv6IPPermission(const std::string& protocol, std::optional<int> from, std::optional<int> to,
                                       const std::string& cidr, std::map<std::string, std::string> labels) {
  IPPermissionInfo info;
  info.permission = Base(protocol, from, to);
  info.permission.ipv6_ranges.push_back(ma::Ipv6Range{cidr, DescriptionForLabels(labels)});
  info.labels = std::move(labels);
  return info;
}

IPPermissionInfo NewGroupIDIPPermission(const std::string& protocol, std::optional<int> from, std::optional<int> to,
                                        const std::string& group_id, std::map<std::string, std::string> labels) {
  IPPermissionInfo info;
  info.permission = Base(protocol, from, to);
  ma::UserIdGroupPair pair;
  pair.group_id = group_id;
  pair.description = DescriptionForLabels(labels);
  info.permission.user_id_group_pairs.push_back(pair);
  info.labels = std::move(labels);
  return info;
}

IPPermissionInfo NewPrefixListIDPermission(const std::string& protocol, std::optional<int> from,
                                           std::optional<int> to, const std::string& prefix_list_id,
                                           std::map<std::string, std::string> labels) {
  IPPermissionInfo info;
  info.permission = Base(protocol, from, to);
  info.permission.prefix_list_ids.push_back(ma::PrefixListId{prefix_list_id, DescriptionForLabels(labels)});
  info.labels = std::move(labels);
  return info;
}

SecurityGroupInfo NewRawSecurityGroupInfo(const ma::SecurityGroup& sg) {
  SecurityGroupInfo info;
  info.security_group_id = sg.group_id;
  for (const ma::IpPermission& p : sg.ip_permissions) {
    std::vector<ma::IpPermission> expanded;
    ma::IpPermission base = Base(p.ip_protocol, p.from_port, p.to_port);
    for (const auto& r : p.ip_ranges) {
      ma::IpPermission e = base;
      e.ip_ranges = {r};
      expanded.push_back(e);
    }
    for (const auto& r : p.ipv6_ranges) {
      ma::IpPermission e = base;
      e.ipv6_ranges = {r};
      expanded.push_back(e);
    }
    for (const auto& r : p.prefix_list_ids) {
      ma::IpPermission e = base;
      e.prefix_list_ids = {r};
      expanded.push_back(e);
    }
    for (const auto& r : p.user_id_group_pairs) {
      ma::IpPermission e = base;
      e.user_id_group_pairs = {r};
      expanded.push_back(e);
    }
    if (expanded.empty()) expanded.push_back(p);
    for (ma::IpPermission& e : expanded) {
      IPPermissionInfo pi;
      std::string description;
      bool single = true;
      if (e.ip_ranges.size() == 1) description = e.ip_ranges[0].description;
      else if (e.ipv6_ranges.size() == 1) description = e.ipv6_ranges[0].description;
      else if (e.prefix_list_ids.size() == 1) description = e.prefix_list_ids[0].description;
      else if (e.user_id_group_pairs.size() == 1) description = e.user_id_group_pairs[0].description;
      else single = false;
      if (single) pi.labels = LabelsForDescription(description);
      pi.permission = std::move(e);
      info.ingress.push_back(std::move(pi));
    }
  }
  info.tags = ConvertSDKTagsToTags(sg.tags);
  return info;
}

PermissionsByHash IndexByHash(const std::vector<IPPermissionInfo>& permissions) {
  PermissionsByHash out;
  for (const auto& p : permissions) out[p.HashCode()] = &p;
  return out;
}

std::vector<IPPermissionInfo> DiffIPPermissionInfos(const PermissionsByHash& source, const PermissionsByHash& target) {
  std::vector<IPPermissionInfo> out;
  for (const auto& [h, p] : source) {
    if (!target.count(h)) out.push_back(*p);
  }
  return out;
}

std::vector<IPPermissionInfo> DiffIPPermissionInfos(const std::vector<IPPermissionInfo>& source,
                                                    const std::vector<IPPermissionInfo>& target) {
  return DiffIPPermissionInfos(IndexByHash(source), IndexByHash(target));
}

// ------------------------------------------------------------------------ SG manager

Result<std::map<std::string, SecurityGroupInfo>> NetworkingSecurityGroupManager::FetchFromAWS(
    const aws::DescribeSecurityGroupsRequest& req) {
  auto r = deps_.ec2.DescribeSecurityGroups(deps_.call_context, req);
  if (!r.ok()) return Ec2Error("DescribeSecurityGroups", r.error());
  std::map<std::string, SecurityGroupInfo> out;
  for (const ma::SecurityGroup& sg : r.value()) out[sg.group_id] = NewRawSecurityGroupInfo(sg);
  return out;
}

void NetworkingSecurityGroupManager::SaveToCache(const std::map<std::string, SecurityGroupInfo>& infos) {
  SimTime expires = deps_.clock.Now() + kCacheTTL;
  for (const auto& [id, info] : infos) cache_[id] = CacheEntry{std::make_shared<const IndexedSecurityGroupInfo>(info), expires};
}

Result<std::map<std::string, std::shared_ptr<const IndexedSecurityGroupInfo>>>
NetworkingSecurityGroupManager::FetchSGInfosByID(const std::vector<std::string>& ids, bool reload_ignoring_cache) {
  std::set<std::string> wanted(ids.begin(), ids.end());
  std::map<std::string, std::shared_ptr<const IndexedSecurityGroupInfo>> out;
  if (!reload_ignoring_cache) {
    SimTime now = deps_.clock.Now();
    for (const std::string& id : wanted) {
      auto it = cache_.find(id);
      if (it != cache_.end() && now < it->second.expires) out[id] = it->second.sg;
    }
  }
  std::vector<std::string> unfetched;
  for (const std::string& id : wanted) {
    if (!out.count(id)) unfetched.push_back(id);
  }
  if (!unfetched.empty()) {
    aws::DescribeSecurityGroupsRequest req;
    req.group_ids = unfetched;
    SIM_ASSIGN_OR_RETURN(auto fetched, FetchFromAWS(req));
    SaveToCache(fetched);
    for (const auto& [id, info] : fetched) out[id] = cache_.at(id).sg;
  }
  std::vector<std::string> missing;
  for (const std::string& id : wanted) {
    if (!out.count(id)) missing.push_back(id);
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : " ") + m;
    return MakeError(ErrorCode::kNotFound, "couldn't fetch SecurityGroupInfos: [" + list + "]");
  }
  return out;
}

Result<std::map<std::string, SecurityGroupInfo>> NetworkingSecurityGroupManager::FetchSGInfosByRequest(
    const aws::DescribeSecurityGroupsRequest& req) {
  SIM_ASSIGN_OR_RETURN(auto fetched, FetchFromAWS(req));
  SaveToCache(fetched);
  return fetched;
}

Status NetworkingSecurityGroupManager::AuthorizeSGIngress(const std::string& sg_id,
                                                          const std::vector<IPPermissionInfo>& permissions) {
  aws::SecurityGroupIngressRequest req;
  req.group_id = sg_id;
  for (const auto& p : permissions) req.ip_permissions.push_back(p.permission);
  LogInfo(deps_, "authorizing securityGroup ingress " + sg_id);
  Status s = deps_.ec2.AuthorizeSecurityGroupIngress(deps_.call_context, req);
  if (!s.ok()) return Ec2Error("AuthorizeSecurityGroupIngress", s.error());
  cache_.erase(sg_id);
  return OkStatus();
}

Status NetworkingSecurityGroupManager::RevokeSGIngress(const std::string& sg_id,
                                                       const std::vector<IPPermissionInfo>& permissions) {
  aws::SecurityGroupIngressRequest req;
  req.group_id = sg_id;
  for (const auto& p : permissions) req.ip_permissions.push_back(p.permission);
  LogInfo(deps_, "revoking securityGroup ingress " + sg_id);
  Status s = deps_.ec2.RevokeSecurityGroupIngress(deps_.call_context, req);
  if (!s.ok()) return Ec2Error("RevokeSecurityGroupIngress", s.error());
  cache_.erase(sg_id);
  return OkStatus();
}

// ------------------------------------------------------------------------ reconciler

Status SecurityGroupReconciler::ReconcileWithInfo(const IndexedSecurityGroupInfo& sg, const PermissionsByHash& desired,
                                                  bool revoke_first, const std::map<std::string, std::string>& selector,
                                                  bool authorize_only) {
  // Upstream diffs the whole group, then keeps the permissions the selector matches; filtering
  // first gives the same list without copying every other TGB's permission of the group.
  std::vector<IPPermissionInfo> to_revoke;
  for (const auto& [h, p] : sg.ingress_by_hash) {
    if (!desired.count(h) && k8s::LabelsMatch(p->labels, selector)) to_revoke.push_back(*p);
  }
  std::vector<IPPermissionInfo> to_grant = DiffIPPermissionInfos(desired, sg.ingress_by_hash);
  const std::string& id = sg.info.security_group_id;
  if (revoke_first && !to_revoke.empty() && !authorize_only) {
    SIM_RETURN_IF_ERROR(sg_manager_.RevokeSGIngress(id, to_revoke));
  }
  if (!to_grant.empty()) {
    SIM_RETURN_IF_ERROR(sg_manager_.AuthorizeSGIngress(id, to_grant));
  }
  if (!revoke_first && !to_revoke.empty() && !authorize_only) {
    SIM_RETURN_IF_ERROR(sg_manager_.RevokeSGIngress(id, to_revoke));
  }
  return OkStatus();
}

Status SecurityGroupReconciler::ReconcileIngress(const std::string& sg_id, const std::vector<IPPermissionInfo>& desired,
                                                 const std::map<std::string, std::string>& permission_selector,
                                                 bool authorize_only, const PermissionsByHash* desired_by_hash) {
  PermissionsByHash local;
  if (desired_by_hash == nullptr) {
    local = IndexByHash(desired);
    desired_by_hash = &local;
  }
  SIM_ASSIGN_OR_RETURN(auto infos, sg_manager_.FetchSGInfosByID({sg_id}));
  Status s = ReconcileWithInfo(*infos.at(sg_id), *desired_by_hash, false, permission_selector, authorize_only);
  if (s.ok()) return s;
  const std::string& code = s.error().aws_code;
  bool retry = code == "InvalidPermission.Duplicate" || code == "InvalidPermission.NotFound" ||
               code == "RulesPerSecurityGroupLimitExceeded";
  if (!retry) return s;
  bool revoke_first = code == "RulesPerSecurityGroupLimitExceeded";
  SIM_ASSIGN_OR_RETURN(auto fresh, sg_manager_.FetchSGInfosByID({sg_id}, /*reload_ignoring_cache=*/true));
  return ReconcileWithInfo(*fresh.at(sg_id), *desired_by_hash, revoke_first, permission_selector, authorize_only);
}

}  // namespace sim::controller
