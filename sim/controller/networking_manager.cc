// Mirrors upstream pkg/networking/networking_manager.go (+ node/pod ENI info resolvers).
#include "sim/controller/networking_manager.h"

#include <algorithm>
#include <deque>

#include "sim/k8s/client_api.h"

namespace sim::controller {

namespace ma = model::aws;
namespace mk = model::k8s;

namespace {

// upstream defaultNodeENIInfoCacheTTL.
constexpr SimTime kNodeENIInfoCacheTTL = std::chrono::minutes(10);

constexpr int kTgbMinPort = 0;
constexpr int kTgbMaxPort = 65535;

std::string GoList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + v[i];
  return out + "]";
}

std::string GoMap(const std::map<std::string, std::string>& m) {
  std::string out = "map[";
  bool first = true;
  for (const auto& [k, v] : m) {
    out += (first ? "" : " ") + k + ":" + v;
    first = false;
  }
  return out + "]";
}

Error Plain(std::string message) { return MakeError(ErrorCode::kInvalidArgument, std::move(message)); }

// k8s.PodInfo.LookupContainerPort.
Result<int32_t> LookupContainerPort(const mk::Pod& pod, const mk::IntOrString& port) {
  if (!port.is_string) return port.int_val;
  for (const auto& c : pod.spec.containers) {
    for (const auto& p : c.ports) {
      if (p.name == port.str_val) return p.container_port;
    }
  }
  return Plain("unable to find port " + port.ToString() + " on pod " + pod.metadata.namespace_ + "/" + pod.metadata.name);
}

}  // namespace

Result<std::string> NetworkingManager::ResolveEndpointSGForENI(const ENIInfo& eni) {
  if (eni.security_groups.size() == 1) return eni.security_groups[0];
  SIM_ASSIGN_OR_RETURN(auto infos, sg_manager_.FetchSGInfosByID(eni.security_groups));
  const std::string cluster_key = "kubernetes.io/cluster/" + options_.cluster_name;
  std::vector<std::string> matching;  // sorted: infos is an ordered map
  for (const auto& [id, sg] : infos) {
    const TagMap& tags = sg->info.tags;
    if (tags.count(cluster_key) && k8s::LabelsMatch(tags, options_.service_target_eni_sg_tags)) matching.push_back(id);
  }
  if (matching.size() != 1) {
    if (options_.service_target_eni_sg_tags.empty()) {
      return Plain("expected exactly one securityGroup tagged with " + cluster_key + " for eni " +
                   eni.network_interface_id + ", got: " + GoList(matching) + " (clusterName: " + options_.cluster_name + ")");
    }
    return Plain("expected exactly one securityGroup tagged with " + cluster_key + " and " +
                 GoMap(options_.service_target_eni_sg_tags) + " for eni " + eni.network_interface_id +
                 ", got: " + GoList(matching) + " (clusterName: " + options_.cluster_name + ")");
  }
  return matching[0];
}

Result<std::vector<IPPermissionInfo>> NetworkingManager::ComputeIngressPermissionsForTGBNetworking(
    const mk::TargetGroupBinding& tgb, const std::vector<const PodEndpoint*>& pods) {
  std::vector<IPPermissionInfo> permissions;
  const std::map<std::string, std::string> labels{{kTgbNetworkingIPPermissionLabelKey, kTgbNetworkingIPPermissionLabelValue}};
  auto for_peer_port = [&](const mk::TgbNetworkingPeer& peer, const mk::TgbNetworkingPort& port) -> Status {
    const std::string protocol = port.protocol == "UDP" ? "udp" : "tcp";
    std::vector<std::pair<int, int>> ranges;
    if (port.port) {
      if (!port.port->is_string) {
        ranges.push_back({port.port->int_val, port.port->int_val});
      } else {
        if (pods.empty()) return Plain("named ports can only be used with pod endpoints");
        std::set<int32_t> numeric;
        for (const PodEndpoint* e : pods) {
          SIM_ASSIGN_OR_RETURN(int32_t p, LookupContainerPort(*e->pod, *port.port));
          numeric.insert(p);
        }
        for (int32_t p : numeric) ranges.push_back({p, p});
      }
    } else {
      ranges.push_back({kTgbMinPort, kTgbMaxPort});
    }
    if (peer.security_group) {
      for (const auto& [from, to] : ranges) {
        permissions.push_back(NewGroupIDIPPermission(protocol, from, to, peer.security_group->group_id, labels));
      }
      return OkStatus();
    }
    if (peer.ip_block_cidr) {
      const std::string& cidr = *peer.ip_block_cidr;
      if (cidr.find('/') == std::string::npos) return Plain("invalid CIDR address: " + cidr);
      for (const auto& [from, to] : ranges) {
        permissions.push_back(cidr.find(':') != std::string::npos
                                  ? NewCIDRv6IPPermission(protocol, from, to, cidr, labels)
                                  : NewCIDRIPPermission(protocol, from, to, cidr, labels));
      }
      return OkStatus();
    }
    return Plain("either ipBlock or securityGroup should be specified");
  };
  for (const auto& rule : tgb.networking_ingress) {
    for (const auto& peer : rule.from) {
      for (const auto& port : rule.ports) SIM_RETURN_IF_ERROR(for_peer_port(peer, port));
      // Upstream computes the all-TCP permissions for a rule without ports into a shadowed
      // variable and drops them (networking_manager.go computeIngressPermissionsForTGBNetworking);
      // a port-less rule therefore adds nothing. Kept as upstream behaves.
    }
  }
  return permissions;
}

Result<NetworkingManager::PermissionsPerSG> NetworkingManager::ComputeWithPodEndpoints(
    const mk::TargetGroupBinding& tgb, const std::vector<PodEndpoint>& endpoints) {
  PermissionsPerSG out;
  if (endpoints.empty()) return out;
  // podENIInfoResolver: the ENI holding each pod IP.
  std::vector<std::string> ips;
  for (const auto& e : endpoints) ips.push_back(e.ip);
  aws::DescribeNetworkInterfacesRequest req;
  req.filters = {ma::Filter{"vpc-id", {options_.vpc_id}}, ma::Filter{"addresses.private-ip-address", ips}};
  auto enis = deps_.ec2.DescribeNetworkInterfaces(deps_.call_context, req);
  if (!enis.ok()) return Ec2Error("DescribeNetworkInterfaces", enis.error());
  std::map<std::string, ENIInfo> eni_by_ip;
  for (const auto& eni : enis.value()) {
    ENIInfo info{eni.network_interface_id, {}};
    for (const auto& g : eni.groups) info.security_groups.push_back(g.group_id);
    for (const auto& ip : eni.private_ip_addresses) eni_by_ip[ip] = info;
    eni_by_ip[eni.private_ip_address] = info;
  }
  // Pods whose IP is on no ENI of the fake account: with the VPC CNI a pod IP is a secondary
  // address of its node's ENI, so the node instance's ENI answers (upstream's cascaded lookup via
  // the node). Pods without a node instance (Fargate) are skipped: their ENI is not modelled.
  std::map<std::string, std::string> instance_by_node;
  std::vector<std::string> instance_ids;
  for (const auto& e : endpoints) {
    if (eni_by_ip.count(e.ip) || !e.pod || e.pod->spec.node_name.empty()) continue;
    auto node = k8s::Get<mk::Node>(deps_.kube, "", e.pod->spec.node_name);
    if (!node.ok() || node.value() == nullptr) continue;
    const std::string& provider = node.value()->provider_id;
    const size_t slash = provider.rfind('/');
    const std::string id = slash == std::string::npos ? "" : provider.substr(slash + 1);
    if (id.rfind("i-", 0) != 0) continue;
    instance_by_node[e.pod->spec.node_name] = id;
    instance_ids.push_back(id);
  }
  std::map<std::string, ENIInfo> eni_by_instance;
  if (!instance_ids.empty()) {
    std::sort(instance_ids.begin(), instance_ids.end());
    instance_ids.erase(std::unique(instance_ids.begin(), instance_ids.end()), instance_ids.end());
    aws::DescribeInstancesRequest ireq;
    ireq.instance_ids = instance_ids;
    auto instances = deps_.ec2.DescribeInstances(deps_.call_context, ireq);
    if (!instances.ok()) return Ec2Error("DescribeInstances", instances.error());
    for (const auto& inst : instances.value()) {
      ENIInfo info{inst.network_interface_ids.empty() ? "" : inst.network_interface_ids[0], {}};
      for (const auto& g : inst.security_groups) info.security_groups.push_back(g.group_id);
      eni_by_instance[inst.instance_id] = info;
    }
  }
  std::map<std::string, std::vector<const PodEndpoint*>> pods_by_sg;
  for (const auto& e : endpoints) {
    const ENIInfo* eni = nullptr;
    auto it = eni_by_ip.find(e.ip);
    if (it != eni_by_ip.end()) {
      eni = &it->second;
    } else if (e.pod) {
      auto node = instance_by_node.find(e.pod->spec.node_name);
      if (node != instance_by_node.end()) {
        auto inst = eni_by_instance.find(node->second);
        if (inst != eni_by_instance.end()) eni = &inst->second;
      }
    }
    if (eni == nullptr || eni->security_groups.empty()) continue;
    SIM_ASSIGN_OR_RETURN(std::string sg, ResolveEndpointSGForENI(*eni));
    pods_by_sg[sg].push_back(&e);
  }
  for (const auto& [sg, pods] : pods_by_sg) {
    SIM_ASSIGN_OR_RETURN(out[sg], ComputeIngressPermissionsForTGBNetworking(tgb, pods));
  }
  return out;
}

Result<NetworkingManager::PermissionsPerSG> NetworkingManager::ComputeWithNodePortEndpoints(
    const mk::TargetGroupBinding& tgb, const std::vector<NodePortEndpoint>& endpoints) {
  PermissionsPerSG out;
  if (endpoints.empty()) return out;
  // nodeENIInfoResolver: the primary ENI of each node's instance, from the cache (10 min per node
  // name + UID) or else from DescribeInstances of the nodes not cached.
  const SimTime now = deps_.clock.Now();
  // The ENI of each endpoint, in endpoint order (cached ones point into the cache; looked-up ones
  // into `fetched`, which does not move its elements).
  std::vector<const ENIInfo*> infos;
  infos.reserve(endpoints.size());
  std::deque<ENIInfo> fetched;
  std::map<std::string, std::pair<std::string, std::string>> uncached;  // instance id -> cache key
  for (const auto& e : endpoints) {
    const std::string_view name = e.node ? std::string_view(e.node->metadata.name) : std::string_view(e.instance_id);
    const std::string_view uid = e.node ? std::string_view(e.node->metadata.uid) : std::string_view();
    auto hit = node_eni_cache_.find(std::make_pair(name, uid));
    if (hit != node_eni_cache_.end() && now < hit->second.expires) {
      infos.push_back(&hit->second.info);
    } else {
      uncached.emplace(e.instance_id, std::make_pair(std::string(name), std::string(uid)));
    }
  }
  if (!uncached.empty()) {
    aws::DescribeInstancesRequest req;
    for (const auto& [id, key] : uncached) req.instance_ids.push_back(id);
    auto instances = deps_.ec2.DescribeInstances(deps_.call_context, req);
    if (!instances.ok()) return Ec2Error("DescribeInstances", instances.error());
    std::vector<std::string> unresolved = req.instance_ids;
    for (const auto& inst : instances.value()) {
      unresolved.erase(std::remove(unresolved.begin(), unresolved.end(), inst.instance_id), unresolved.end());
      ENIInfo info{inst.network_interface_ids.empty() ? "" : inst.network_interface_ids[0], {}};
      for (const auto& g : inst.security_groups) info.security_groups.push_back(g.group_id);
      auto key = uncached.find(inst.instance_id);
      if (key != uncached.end()) node_eni_cache_[key->second] = CachedENI{info, now + kNodeENIInfoCacheTTL};
      fetched.push_back(std::move(info));
      infos.push_back(&fetched.back());
    }
    if (!unresolved.empty()) return Plain("cannot resolve node ENI for nodes: " + GoList(unresolved));
  }
  std::set<std::string> sgs;
  const ENIInfo* last_single = nullptr;  // the last ENI with one security group (resolved without a lookup)
  for (const ENIInfo* info : infos) {
    if (info->security_groups.size() == 1) {
      // ResolveEndpointSGForENI answers its only group: nothing to look up, so once per ENI.
      if (last_single != nullptr && last_single->security_groups[0] == info->security_groups[0]) continue;
      last_single = info;
      sgs.insert(info->security_groups[0]);
      continue;
    }
    SIM_ASSIGN_OR_RETURN(std::string sg, ResolveEndpointSGForENI(*info));
    sgs.insert(std::move(sg));
  }
  SIM_ASSIGN_OR_RETURN(auto permissions, ComputeIngressPermissionsForTGBNetworking(tgb, {}));
  for (const auto& sg : sgs) out[sg] = permissions;
  return out;
}

Status NetworkingManager::ReconcileForPodEndpoints(const mk::TargetGroupBinding& tgb,
                                                   const std::vector<PodEndpoint>& endpoints) {
  PermissionsPerSG permissions;
  if (!tgb.networking_ingress.empty()) {
    SIM_ASSIGN_OR_RETURN(permissions, ComputeWithPodEndpoints(tgb, endpoints));
  }
  return ReconcileWithIngressPermissionsPerSG(tgb, std::move(permissions));
}

Status NetworkingManager::ReconcileForNodePortEndpoints(const mk::TargetGroupBinding& tgb,
                                                        const std::vector<NodePortEndpoint>& endpoints) {
  PermissionsPerSG permissions;
  if (!tgb.networking_ingress.empty()) {
    SIM_ASSIGN_OR_RETURN(permissions, ComputeWithNodePortEndpoints(tgb, endpoints));
  }
  return ReconcileWithIngressPermissionsPerSG(tgb, std::move(permissions));
}

Status NetworkingManager::Cleanup(const mk::TargetGroupBinding& tgb) { return ReconcileWithIngressPermissionsPerSG(tgb, {}); }

NetworkingManager::NetworkingManager(DeployDeps deps, NetworkingSecurityGroupManager& sg_manager,
                                     SecurityGroupReconciler& reconciler, NetworkingManagerOptions options)
    : deps_(std::move(deps)), sg_manager_(sg_manager), reconciler_(reconciler), options_(std::move(options)) {
  // upstream fetchTGBsWithNetworking lists the TGBs with spec.networking on every reconcile; the
  // same set is kept here from the watch. A TGB being deleted still counts until its finalizer is
  // gone, as upstream lists it.
  auto track = [this](const mk::TargetGroupBinding& tgb, bool present) {
    const std::string key = tgb.Key();
    if (present && !tgb.networking_ingress.empty()) {
      tgbs_with_networking_.insert(key);
    } else if (tgbs_with_networking_.erase(key) > 0) {
      tgb_left_ = true;
    }
  };
  for (const auto& tgb : k8s::List<mk::TargetGroupBinding>(deps_.kube)) track(*tgb, true);
  tgb_watch_ = deps_.kube.Watch(mk::Kind::kTargetGroupBinding, [track](const k8s::WatchEvent& ev) {
    if (auto tgb = mk::As<mk::TargetGroupBinding>(ev.object)) track(*tgb, ev.type != k8s::WatchEventType::kDeleted);
  });
}

NetworkingManager::~NetworkingManager() { deps_.kube.Unwatch(tgb_watch_); }

bool NetworkingManager::ConsolidateIngressPermissionsPerSGByTGB() {
  if (tgb_left_) {
    std::vector<std::string> gone;
    for (const auto& [key, per_sg] : ingress_permissions_per_sg_by_tgb_) {
      if (!tgbs_with_networking_.count(key)) gone.push_back(key);
    }
    for (const std::string& key : gone) SetTgbPermissions(key, std::nullopt);
    tgb_left_ = false;
  }
  return ingress_permissions_per_sg_by_tgb_.size() == tgbs_with_networking_.size();
}

const NetworkingManager::PermissionsPerSG& NetworkingManager::Aggregated() {
  if (!aggregated_) {
    aggregated_ = AggregatedFromIndex();
    aggregated_by_hash_.clear();
    for (const auto& [sg, perms] : *aggregated_) aggregated_by_hash_[sg] = IndexByHash(perms);
  }
  return *aggregated_;
}

void NetworkingManager::SetTgbPermissions(const std::string& tgb_key, std::optional<PermissionsPerSG> permissions) {
  auto it = ingress_permissions_per_sg_by_tgb_.find(tgb_key);
  if (it != ingress_permissions_per_sg_by_tgb_.end()) {
    IndexTgb(tgb_key, it->second, /*add=*/false);
    if (!permissions) {
      ingress_permissions_per_sg_by_tgb_.erase(it);
      aggregated_.reset();
      return;
    }
    it->second = std::move(*permissions);
  } else {
    if (!permissions) return;
    it = ingress_permissions_per_sg_by_tgb_.emplace(tgb_key, std::move(*permissions)).first;
  }
  IndexTgb(tgb_key, it->second, /*add=*/true);
  aggregated_.reset();
}

// Adds or removes one TGB's contributions to the restricted-mode merge (the same classification as
// ComputeAggregatedIngressPermissionsPerSG: group-sourced permissions merge per protocol and
// source group, a 0-0 range counting as 0-65535; single IP-range ones are kept as they are).
void NetworkingManager::IndexTgb(const std::string& tgb_key, const PermissionsPerSG& per_sg, bool add) {
  static const std::string kNoGroup;
  for (const auto& [sg, perms] : per_sg) {
    int& naming = tgbs_naming_sg_[sg];
    naming += add ? 1 : -1;
    if (naming == 0) tgbs_naming_sg_.erase(sg);
    if (options_.disable_restricted_sg_rules) {
      auto& by_hash = unrestricted_[sg];
      for (const IPPermissionInfo& p : perms) {
        const std::string hash = p.HashCode();
        if (add) {
          by_hash[hash][tgb_key] = &p;  // a later permission of the same hash replaces an earlier one
          continue;
        }
        auto h = by_hash.find(hash);
        if (h == by_hash.end()) continue;
        h->second.erase(tgb_key);
        if (h->second.empty()) by_hash.erase(h);
      }
      if (by_hash.empty()) unrestricted_.erase(sg);
      continue;
    }
    std::vector<const IPPermissionInfo*> ranges;
    for (const IPPermissionInfo& p : perms) {
      const ma::IpPermission& ip = p.permission;
      if (ip.user_id_group_pairs.empty() && (ip.ip_ranges.size() == 1 || ip.ipv6_ranges.size() == 1)) {
        ranges.push_back(&p);
        continue;
      }
      const std::string& group = ip.user_id_group_pairs.size() == 1 ? ip.user_id_group_pairs[0].group_id : kNoGroup;
      int from = ip.from_port.value_or(0), to = ip.to_port.value_or(0);
      if (from == 0 && to == 0) {
        from = kTgbMinPort;
        to = kTgbMaxPort;
      }
      if (add) {
        Merge& m = merges_[sg][ip.ip_protocol][group];
        m.first_by_tgb.try_emplace(tgb_key, &p);
        m.from_ports.insert(from);
        m.to_ports.insert(to);
        continue;
      }
      auto& by_protocol = merges_[sg];
      auto& by_group = by_protocol[ip.ip_protocol];
      Merge& m = by_group[group];
      m.first_by_tgb.erase(tgb_key);
      if (auto f = m.from_ports.find(from); f != m.from_ports.end()) m.from_ports.erase(f);
      if (auto t = m.to_ports.find(to); t != m.to_ports.end()) m.to_ports.erase(t);
      if (m.from_ports.empty()) by_group.erase(group);
      if (by_group.empty()) by_protocol.erase(ip.ip_protocol);
      if (by_protocol.empty()) merges_.erase(sg);
    }
    if (add) {
      if (!ranges.empty()) ip_range_perms_[sg][tgb_key] = std::move(ranges);
    } else if (auto r = ip_range_perms_.find(sg); r != ip_range_perms_.end()) {
      r->second.erase(tgb_key);
      if (r->second.empty()) ip_range_perms_.erase(r);
    }
  }
}

// ComputeAggregatedIngressPermissionsPerSG from the index of either mode.
NetworkingManager::PermissionsPerSG NetworkingManager::AggregatedFromIndex() const {
  PermissionsPerSG out;
  for (const auto& [sg, naming] : tgbs_naming_sg_) {
    auto& list = out[sg];
    if (options_.disable_restricted_sg_rules) {
      if (auto u = unrestricted_.find(sg); u != unrestricted_.end()) {
        for (const auto& [hash, by_tgb] : u->second) list.push_back(*by_tgb.rbegin()->second);
      }
      continue;
    }
    if (auto ms = merges_.find(sg); ms != merges_.end()) {
      for (const auto& [protocol, by_group] : ms->second) {
        for (const auto& [group, m] : by_group) {
          IPPermissionInfo merged = *m.first_by_tgb.begin()->second;
          merged.permission.from_port = *m.from_ports.begin();
          merged.permission.to_port = *m.to_ports.rbegin();
          list.push_back(std::move(merged));
        }
      }
    }
    if (auto rs = ip_range_perms_.find(sg); rs != ip_range_perms_.end()) {
      for (const auto& [tgb, perms] : rs->second) {
        for (const IPPermissionInfo* p : perms) list.push_back(*p);
      }
    }
  }
  return out;
}

std::map<std::string, std::vector<IPPermissionInfo>> NetworkingManager::ComputeAggregatedIngressPermissionsPerSG() const {
  PermissionsPerSG out;
  if (options_.disable_restricted_sg_rules) {
    std::map<std::string, std::map<std::string, IPPermissionInfo>> by_hash;
    for (const auto& [tgb, per_sg] : ingress_permissions_per_sg_by_tgb_) {
      for (const auto& [sg, perms] : per_sg) {
        auto& m = by_hash[sg];
        for (const auto& p : perms) m[p.HashCode()] = p;
      }
    }
    for (const auto& [sg, m] : by_hash) {
      auto& list = out[sg];
      for (const auto& [hash, p] : m) list.push_back(p);
    }
    return out;
  }
  // Merged without copying each TGB's permissions: per (sg, protocol, source group) the first
  // permission and the port range seen; permissions from IP ranges are kept as they are.
  struct Merged {
    const IPPermissionInfo* first = nullptr;
    int min_port = kTgbMaxPort, max_port = kTgbMinPort;
  };
  static const std::string kNoGroup;
  std::map<std::string, std::vector<const IPPermissionInfo*>> from_ip_ranges;
  // sg -> protocol -> source group -> merged permission
  std::map<std::string, std::map<std::string, std::map<std::string, Merged>>> by_source;
  for (const auto& [tgb, per_sg] : ingress_permissions_per_sg_by_tgb_) {
    for (const auto& [sg, perms] : per_sg) {
      auto& by_protocol = by_source[sg];
      for (const auto& p : perms) {
        const ma::IpPermission& ip = p.permission;
        if (ip.user_id_group_pairs.empty() && (ip.ip_ranges.size() == 1 || ip.ipv6_ranges.size() == 1)) {
          from_ip_ranges[sg].push_back(&p);
          continue;
        }
        const std::string& group = ip.user_id_group_pairs.size() == 1 ? ip.user_id_group_pairs[0].group_id : kNoGroup;
        Merged& m = by_protocol[ip.ip_protocol][group];
        if (m.first == nullptr) m.first = &p;
        const int from = ip.from_port.value_or(0), to = ip.to_port.value_or(0);
        if (from == 0 && to == 0) {
          m.min_port = kTgbMinPort;
          m.max_port = kTgbMaxPort;
        } else {
          m.min_port = std::min(m.min_port, from);
          m.max_port = std::max(m.max_port, to);
        }
      }
    }
  }
  for (const auto& [sg, by_protocol] : by_source) {
    auto& list = out[sg];
    for (const auto& [protocol, by_group] : by_protocol) {
      for (const auto& [group, m] : by_group) {
        IPPermissionInfo merged = *m.first;
        merged.permission.from_port = m.min_port;
        merged.permission.to_port = m.max_port;
        list.push_back(std::move(merged));
      }
    }
  }
  for (const auto& [sg, perms] : from_ip_ranges) {
    auto& list = out[sg];
    for (const IPPermissionInfo* p : perms) list.push_back(*p);
  }
  return out;
}

Status NetworkingManager::ReconcileWithIngressPermissionsPerSG(const mk::TargetGroupBinding& tgb,
                                                               PermissionsPerSG permissions) {
  for (const auto& [sg, perms] : permissions) tracked_endpoint_sgs_.insert(sg);
  const std::string key = tgb.Key();
  if (!tgbs_with_networking_.count(key)) {
    // Consolidation would drop it right away (a TGB without networking, or gone).
    SetTgbPermissions(key, std::nullopt);
  } else {
    auto it = ingress_permissions_per_sg_by_tgb_.find(key);
    if (it == ingress_permissions_per_sg_by_tgb_.end() || it->second != permissions) {
      SetTgbPermissions(key, std::move(permissions));
    }
  }
  const bool computed_for_all = ConsolidateIngressPermissionsPerSGByTGB();
  const PermissionsPerSG& aggregated = Aggregated();
  const std::map<std::string, std::string> selector{{kTgbNetworkingIPPermissionLabelKey, kTgbNetworkingIPPermissionLabelValue}};
  std::vector<std::string> errors;
  for (const auto& [sg, perms] : aggregated) {
    Status s = reconciler_.ReconcileIngress(sg, perms, selector, /*authorize_only=*/!computed_for_all,
                                            &aggregated_by_hash_.at(sg));
    if (!s.ok()) errors.push_back(ErrorText(s.error()));
  }
  if (computed_for_all) SIM_RETURN_IF_ERROR(GcIngressPermissionsFromUnusedEndpointSGs(aggregated));
  if (!errors.empty()) {
    // errors.Join: the messages separated by newlines.
    std::string joined;
    for (size_t i = 0; i < errors.size(); ++i) joined += (i ? "\n" : "") + errors[i];
    return MakeError(ErrorCode::kInternal, joined);
  }
  return OkStatus();
}

Result<std::set<std::string>> NetworkingManager::FetchEndpointSGs() {
  if (!tracked_endpoint_sgs_initialized_) {
    aws::DescribeSecurityGroupsRequest req;
    req.filters = {ma::Filter{"tag:kubernetes.io/cluster/" + options_.cluster_name, {"owned", "shared"}},
                   ma::Filter{"vpc-id", {options_.vpc_id}}};
    SIM_ASSIGN_OR_RETURN(auto infos, sg_manager_.FetchSGInfosByRequest(req));
    for (const auto& [id, info] : infos) tracked_endpoint_sgs_.insert(id);
    tracked_endpoint_sgs_initialized_ = true;
  }
  return tracked_endpoint_sgs_;
}

Status NetworkingManager::GcIngressPermissionsFromUnusedEndpointSGs(const PermissionsPerSG& used) {
  SIM_ASSIGN_OR_RETURN(std::set<std::string> endpoint_sgs, FetchEndpointSGs());
  const std::map<std::string, std::string> selector{{kTgbNetworkingIPPermissionLabelKey, kTgbNetworkingIPPermissionLabelValue}};
  for (const auto& sg : endpoint_sgs) {
    if (used.count(sg)) continue;
    Status s = reconciler_.ReconcileIngress(sg, {}, selector);
    if (!s.ok()) {
      if (s.error().aws_code == "InvalidGroup.NotFound") {
        tracked_endpoint_sgs_.erase(sg);
        continue;
      }
      return s;
    }
  }
  return OkStatus();
}

Status NetworkingManager::AttemptGarbageCollection() {
  const bool computed_for_all = ConsolidateIngressPermissionsPerSGByTGB();
  if (!computed_for_all) return OkStatus();
  return GcIngressPermissionsFromUnusedEndpointSGs(Aggregated());
}

}  // namespace sim::controller
