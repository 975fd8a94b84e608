#pragma once
// Simulated kube-controller-manager, kube-scheduler and kubelets (k8s-semantics.md §4): every
// controller reacts to watch events by queueing work on the shared EventQueue, so running the queue
// until it is empty converges (`settle`).
//
//  * Deployment controller (pkg/controller/deployment): ReplicaSet `<deploy>-<pod-template-hash>`,
//    rolling update (maxSurge/maxUnavailable), revision annotations, ScalingReplicaSet events, status.
//  * ReplicaSet controller (pkg/controller/replicaset): pods `<rs>-<5 chars>`, victims order, events.
//  * Scheduler stand-in (§4.2 twin rule): Ready + schedulable nodes matching nodeSelector with tolerated
//    NoSchedule/NoExecute taints; fewest same-owner pods in the zone, then on the node, then fewest pods,
//    then name. Fargate profiles: matching pods get schedulerName fargate-scheduler and a node each.
//  * Kubelet: pod IP from the node's subnet (next free address after the node IP), phase Running after
//    `pod_start_delay`, containers ready after the readiness probe's initialDelaySeconds, Ready only when
//    every readiness gate condition is True (exact reasons/messages of pkg/kubelet/status/generate.go);
//    graceful termination then removal.
//  * EndpointSlice + legacy Endpoints controllers (§4.4): only Services touched by a change are recomputed.
// Garbage collection and namespace cleanup are done by FakeApiServer itself.
//
// Simulation knobs (pod or pod-template annotations, albtwin only):
//   sim.albtwin.io/start-delay: "20s"   containers start this long after binding (default pod_start_delay)
//   sim.albtwin.io/ready: "false"       containers never pass their readiness probe
//   sim.albtwin.io/stop-delay: "10s"    time the app needs to exit after SIGTERM (capped by the grace period)

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sim/base/clock.h"
#include "sim/k8s/fake_api_server.h"

namespace sim::k8s {

// An EC2 worker node as EKS registers it.
struct Ec2NodeSpec {
  std::string name;         // default: private DNS name, e.g. ip-10-0-1-23.us-west-2.compute.internal
  std::string az;           // us-west-2a
  std::string ip;           // 10.0.1.23
  std::string region;       // us-west-2
  std::string instance_id;  // i-0abc...; default derived from the IP
  std::string instance_type = "m5.large";
  std::string nodegroup = "default";
  std::string capacity_type = "ON_DEMAND";
  std::map<std::string, std::string> labels;  // extra labels (override defaults)
  std::vector<model::k8s::Taint> taints;
  bool ready = true;
};

// `ip-10-0-1-23.us-west-2.compute.internal` (`ip-10-0-1-23.ec2.internal` in us-east-1).
std::string Ec2PrivateDnsName(const std::string& ip, const std::string& region);
// Node object with the labels, addresses, providerID and conditions of §4.2 (not yet stored).
std::shared_ptr<model::k8s::Node> MakeEc2Node(const Ec2NodeSpec& spec);

// A Fargate profile: pods in `namespace_` whose labels include `labels` run on Fargate.
struct FargateProfile {
  std::string name;
  std::string namespace_;
  std::map<std::string, std::string> labels;
  struct Subnet {
    std::string az;
    std::string cidr;
  };
  std::vector<Subnet> subnets;  // where Fargate pods get their IPs
};

struct BuiltinControllersOptions {
  std::string region = "us-west-2";
  SimTime pod_start_delay = std::chrono::seconds(5);       // bind → Running (sandbox + containers started)
  SimTime fargate_start_delay = std::chrono::seconds(45);  // Fargate: bind → Running
  SimTime pod_stop_delay = std::chrono::seconds(1);        // SIGTERM → containers exited
  int max_endpoints_per_slice = 100;
  int max_pods_per_node = 110;  // kubelet --max-pods (EKS sets it per instance type; 110 is the k8s default)
};

// How a pod update may change Endpoints and EndpointSlices (upstream staging/src/k8s.io/endpointslice/
// util/controller_utils.go podEndpointsChanged): `pod_changed` when its readiness, IP or deletion may
// change its endpoint (upstream compares the DeletionTimestamp pointers, which differ between two
// versions whenever either has one: any update of a terminating pod counts); `labels_changed` when
// its labels, hostname or subdomain may change which Services it belongs to. A bind (node name
// only, before the pod has an IP) changes neither.
struct PodEndpointsChange {
  bool pod_changed = false;
  bool labels_changed = false;
};
PodEndpointsChange PodEndpointsChanged(const model::k8s::Pod& old_pod, const model::k8s::Pod& new_pod);
// The Services (names, sorted, unique) an update syncs when its labels changed (upstream
// determineNeededServiceUpdates): those of either version when the pod changed too, else those of
// one version only (membership changed). Both inputs sorted and unique.
std::vector<std::string> ServicesToSyncOnRelabel(const std::vector<std::string>& before,
                                                 const std::vector<std::string>& after, bool pod_changed);

class BuiltinControllers {
 public:
  BuiltinControllers(FakeApiServer& api, EventQueue& queue, BuiltinControllersOptions options = {});
  ~BuiltinControllers();
  BuiltinControllers(const BuiltinControllers&) = delete;
  BuiltinControllers& operator=(const BuiltinControllers&) = delete;

  // Pod IPs for pods on `node_name` come from `cidr` (the node's subnet). Without it, the /24 of the
  // node's InternalIP is used.
  void SetNodeSubnet(const std::string& node_name, const std::string& cidr);
  // Registers a Fargate profile (a mutating admission hook on pod CREATE, as EKS's webhook).
  void AddFargateProfile(const FargateProfile& profile);
  // Forces a pod's containers ready or not ready (a failing / recovering app), from now on.
  void SetContainersReady(const std::string& ns, const std::string& pod, bool ready);

  // "ns/name" of the pods the controllers count as bound to `node_name` (the node lifecycle and
  // PodGC act on these), in (namespace, name) order; a last entry "(node list out of step)" when the index is
  // inconsistent (a check for tests).
  std::vector<std::string> PodsOnNodeForSim(const std::string& node_name) const;

  // Creates (or replaces the status of) an EC2 node and remembers its subnet.
  Result<ObjectPtr> AddEc2Node(const Ec2NodeSpec& spec, const std::string& subnet_cidr = "");

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sim::k8s
