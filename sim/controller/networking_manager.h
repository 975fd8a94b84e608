#pragma once
// Mirrors upstream pkg/networking/networking_manager.go (defaultNetworkingManager) with the ENI
// lookups of pkg/networking/{node_eni_info_resolver.go,pod_eni_info_resolver.go} (targets.md §6):
// for every TargetGroupBinding with spec.networking, ingress rules on the *endpoint* security
// group of each target's ENI (instance mode: the node's primary ENI; ip mode: the ENI holding
// the pod IP), labelled `elbv2.k8s.aws/targetGroupBinding=shared`; only rules with that label
// are ever revoked.
//
// Endpoint SG of an ENI: its only SG; else the unique one tagged kubernetes.io/cluster/<cluster>
// (error `expected exactly one securityGroup tagged with kubernetes.io/cluster/<c> for eni <eni>,
// got: [..] (clusterName: <c>)`). Restricted mode (default): all group-sourced permissions into one
// endpoint SG with the same protocol and source SG collapse into one rule [min port, max port]
// (a 0-0 permission means 0-65535); --disable-restricted-sg-rules keeps each distinct permission.
//
// Node ENIs come from DescribeInstances and are cached 10 minutes per (node name, UID) as upstream's
// nodeENIInfoResolver does. Simplifications: pod ENI lookups are not cached (upstream caches them
// too); hybrid pods do not exist.
//
// Same results and AWS calls as upstream, less work per reconcile: the set of TGBs with networking
// is kept from TGB watch events (upstream lists its informer cache each time), and the aggregated
// permissions are kept merged as TGBs' permissions change (restricted mode; a from-scratch merge
// per reconcile costs O(TGBs) each, O(TGBs²) to settle a cluster).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "models/k8s/objects.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/endpoint_resolver.h"
#include "sim/controller/networking_sg_manager.h"

namespace sim::controller {

inline constexpr char kTgbNetworkingIPPermissionLabelKey[] = "elbv2.k8s.aws/targetGroupBinding";
inline constexpr char kTgbNetworkingIPPermissionLabelValue[] = "shared";

// upstream networking.ENIInfo.
struct ENIInfo {
  std::string network_interface_id;
  std::vector<std::string> security_groups;
};

struct NetworkingManagerOptions {
  std::string vpc_id;
  std::string cluster_name;
  std::map<std::string, std::string> service_target_eni_sg_tags;  // --service-target-eni-security-group-tags
  bool disable_restricted_sg_rules = false;                      // --disable-restricted-sg-rules
};

class NetworkingManager {
 public:
  NetworkingManager(DeployDeps deps, NetworkingSecurityGroupManager& sg_manager, SecurityGroupReconciler& reconciler,
                    NetworkingManagerOptions options);
  ~NetworkingManager();
  NetworkingManager(const NetworkingManager&) = delete;
  NetworkingManager& operator=(const NetworkingManager&) = delete;

  Status ReconcileForPodEndpoints(const model::k8s::TargetGroupBinding& tgb, const std::vector<PodEndpoint>& endpoints);
  Status ReconcileForNodePortEndpoints(const model::k8s::TargetGroupBinding& tgb,
                                       const std::vector<NodePortEndpoint>& endpoints);
  // The TGB has no endpoints any more (deleted): its permissions go.
  Status Cleanup(const model::k8s::TargetGroupBinding& tgb);
  // Revokes TGB permissions from endpoint SGs no TGB needs (SG deletion hit DependencyViolation).
  Status AttemptGarbageCollection();

  // Exposed for tests: the aggregated desired permissions per endpoint SG, computed from scratch
  // from every TGB's permissions (as upstream does on each reconcile) ...
  std::map<std::string, std::vector<IPPermissionInfo>> ComputeAggregatedIngressPermissionsPerSG() const;
  // ... and as the reconciles use it: kept up to date per TGB change (the same value).
  const std::map<std::string, std::vector<IPPermissionInfo>>& Aggregated();
  // Exposed for tests: the endpoint SG of an ENI.
  Result<std::string> ResolveEndpointSGForENI(const ENIInfo& eni);

 private:
  using PermissionsPerSG = std::map<std::string, std::vector<IPPermissionInfo>>;
  Result<PermissionsPerSG> ComputeWithPodEndpoints(const model::k8s::TargetGroupBinding& tgb,
                                                   const std::vector<PodEndpoint>& endpoints);
  Result<PermissionsPerSG> ComputeWithNodePortEndpoints(const model::k8s::TargetGroupBinding& tgb,
                                                        const std::vector<NodePortEndpoint>& endpoints);
  Result<std::vector<IPPermissionInfo>> ComputeIngressPermissionsForTGBNetworking(
      const model::k8s::TargetGroupBinding& tgb, const std::vector<const PodEndpoint*>& pods);
  Status ReconcileWithIngressPermissionsPerSG(const model::k8s::TargetGroupBinding& tgb, PermissionsPerSG permissions);
  // Drops the permissions of TGBs no longer in the cluster (or without networking); true when
  // every TGB with networking has its permissions computed.
  bool ConsolidateIngressPermissionsPerSGByTGB();
  Status GcIngressPermissionsFromUnusedEndpointSGs(const PermissionsPerSG& used);
  Result<std::set<std::string>> FetchEndpointSGs();

  DeployDeps deps_;
  NetworkingSecurityGroupManager& sg_manager_;
  SecurityGroupReconciler& reconciler_;
  NetworkingManagerOptions options_;
  std::map<std::string, PermissionsPerSG> ingress_permissions_per_sg_by_tgb_;  // by ns/name
  std::set<std::string> tgbs_with_networking_;  // ns/name, from the TGB watch
  bool tgb_left_ = false;                       // one left tgbs_with_networking_ since the last consolidation
  k8s::KubeApi::WatchId tgb_watch_ = 0;
  // Sets (or, with nullopt, drops) one TGB's permissions, keeping the merge index below in step.
  void SetTgbPermissions(const std::string& tgb_key, std::optional<PermissionsPerSG> permissions);
  void IndexTgb(const std::string& tgb_key, const PermissionsPerSG& per_sg, bool add);
  PermissionsPerSG AggregatedFromIndex() const;

  // The aggregation in restricted mode, updated per TGB change (pointers into
  // ingress_permissions_per_sg_by_tgb_, whose values only change through SetTgbPermissions):
  // per (SG, protocol, source group) the contributing TGBs' first permission and all port bounds;
  // per SG the IP-range permissions by TGB, and how many TGBs name the SG.
  struct Merge {
    std::map<std::string, const IPPermissionInfo*> first_by_tgb;
    std::multiset<int> from_ports, to_ports;
  };
  std::map<std::string, std::map<std::string, std::map<std::string, Merge>>> merges_;  // sg -> protocol -> group
  std::map<std::string, std::map<std::string, std::vector<const IPPermissionInfo*>>> ip_range_perms_;  // sg -> tgb
  std::map<std::string, int> tgbs_naming_sg_;
  // The same in unrestricted mode (--disable-restricted-sg-rules), where permissions are kept
  // distinct by HashCode: sg -> hash -> the TGBs holding it, each with its last permission of that
  // hash. The aggregation takes the one of the last TGB (ComputeAggregatedIngressPermissionsPerSG
  // overwrites by hash in TGB order).
  std::map<std::string, std::map<std::string, std::map<std::string, const IPPermissionInfo*>>> unrestricted_;
  std::optional<PermissionsPerSG> aggregated_;  // the aggregation from the index, until a change
  std::map<std::string, PermissionsByHash> aggregated_by_hash_;  // IndexByHash of each SG's, with it
  struct CachedENI {
    ENIInfo info;
    SimTime expires{0};
  };
  // Orders (node name, UID) keys as std::less does, and finds one by string views.
  struct NodeKeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      const int c = std::string_view(a.first).compare(std::string_view(b.first));
      return c != 0 ? c < 0 : std::string_view(a.second) < std::string_view(b.second);
    }
  };
  std::map<std::pair<std::string, std::string>, CachedENI, NodeKeyLess> node_eni_cache_;  // (node name, UID) -> primary ENI
  std::set<std::string> tracked_endpoint_sgs_;
  bool tracked_endpoint_sgs_initialized_ = false;
};

}  // namespace sim::controller
