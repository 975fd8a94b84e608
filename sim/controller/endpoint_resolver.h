#pragma once
// Mirrors upstream pkg/backend/{endpoint_resolver.go,endpoint_utils.go,endpoint_types.go} and
// pkg/k8s/{node_utils.go,service_utils.go} (targets.md §3-§4).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/k8s/objects.h"
#include "sim/base/status.h"
#include "sim/k8s/client_api.h"

namespace sim::controller {

using PodPtr = std::shared_ptr<const model::k8s::Pod>;
using NodePtr = std::shared_ptr<const model::k8s::Node>;

struct PodEndpoint {
  std::string ip;
  int32_t port = 0;
  PodPtr pod;
  // `<ip>:<port>` (+ `:<podCreationUnixMillis>` with the timestamp).
  std::string GetIdentifier(bool include_timestamp) const;
  // The same, appended to `out`.
  void AppendIdentifier(bool include_timestamp, std::string* out) const;
};

struct NodePortEndpoint {
  std::string instance_id;
  int32_t port = 0;
  NodePtr node;
  // ":<the node's creationTimestamp in Unix milliseconds>", when the resolver has it written out
  // already (empty: read from `node` and written out here).
  std::string node_created_suffix;
  std::string GetIdentifier(bool include_timestamp) const;
  void AppendIdentifier(bool include_timestamp, std::string* out) const;
};

// Error code marker of upstream backend.ErrNotFound (`backend not found: <cause>`).
inline constexpr char kErrBackendNotFound[] = "albtwin.BackendNotFound";
inline bool IsBackendNotFound(const Error& e) { return e.aws_code == kErrBackendNotFound; }

// Unix milliseconds of an RFC 3339 timestamp (0 when unparsable).
int64_t UnixMillis(const std::string& rfc3339);

// k8s.LookupServicePort: `unable to find port <port> on service <ns/name>`.
Result<model::k8s::ServicePort> LookupServicePort(const model::k8s::Service& svc, const model::k8s::IntOrString& port);
// k8s.ExtractNodeInstanceID.
Result<std::string> ExtractNodeInstanceID(const model::k8s::Node& node);
// backend.IsNodeSuitableAsTrafficProxy (taints).
bool IsNodeSuitableAsTrafficProxy(const model::k8s::Node& node);
// Default traffic-proxy node selector AND the TGB's nodeSelector.
bool NodeMatchesTrafficProxySelector(const model::k8s::Node& node,
                                     const std::optional<model::k8s::LabelSelector>& tgb_selector);
// Status of the node's Ready condition ("" when absent).
std::string NodeReadyStatus(const model::k8s::Node& node);

class EndpointResolver {
 public:
  EndpointResolver(const k8s::KubeApi& kube, bool endpoint_slices_enabled, bool fail_open_enabled)
      : kube_(kube), endpoint_slices_enabled_(endpoint_slices_enabled), fail_open_enabled_(fail_open_enabled) {}

  // EndpointSlices by (namespace, Service name), each Service's by slice name: what a List of the
  // namespace filtered on the kubernetes.io/service-name label returns (upstream reads its informer
  // cache). The owner keeps it from a synchronous watch; without one, slices are listed.
  using SlicesByService = std::map<std::pair<std::string, std::string>,
                                   std::map<std::string, std::shared_ptr<const model::k8s::EndpointSlice>>>;
  void SetSliceIndex(const SlicesByService* index) { slice_index_ = index; }

  // IP targets of the Service port. address_type: "IPv4" / "IPv6".
  Result<std::vector<PodEndpoint>> ResolvePodEndpoints(const std::string& ns, const std::string& svc_name,
                                                       const model::k8s::IntOrString& port,
                                                       const std::string& address_type);
  // Instance targets: every eligible node with the Service port's nodePort.
  Result<std::vector<NodePortEndpoint>> ResolveNodePortEndpoints(
      const std::string& ns, const std::string& svc_name, const model::k8s::IntOrString& port,
      const std::optional<model::k8s::LabelSelector>& tgb_node_selector);

 private:
  Result<std::pair<std::shared_ptr<const model::k8s::Service>, model::k8s::ServicePort>> FindServiceAndPort(
      const std::string& ns, const std::string& name, const model::k8s::IntOrString& port);

  // What the resolver derives from one Node object: the default traffic-proxy selector,
  // suitability, Ready status, instance ID and creation time. Kept per node name while the API
  // server hands out the same object (the stored pointer keeps it alive, so its address cannot
  // be reused by another object).
  struct NodeFacts {
    NodePtr node;
    bool default_selected = false;
    bool suitable = false;
    std::string ready_status;
    std::optional<Result<std::string>> instance_id;
    std::string created_suffix;  // ":<creationTimestamp in Unix ms>", the identifiers' last part
  };
  const NodeFacts& FactsOf(const NodePtr& node);
  std::unordered_map<std::string, NodeFacts> node_facts_;

  const k8s::KubeApi& kube_;
  bool endpoint_slices_enabled_;
  bool fail_open_enabled_;
  const SlicesByService* slice_index_ = nullptr;
};

}  // namespace sim::controller
