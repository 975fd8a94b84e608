#pragma once
// Mirrors upstream controllers/elbv2/targetgroupbinding_controller.go, its event handlers
// (controllers/elbv2/eventhandlers/{service,endpointslices,endpoints,node,pod}.go) and
// pkg/targetgroupbinding/{resource_manager.go,utils.go} (targets.md §2, §5).
//
// Per TGB: finalizer `elbv2.k8s.aws/resources`; resolve endpoints (instance: eligible nodes with
// the Service nodePort; ip: pod IPs from EndpointSlices); checkpoint short-circuit
// (`elbv2.k8s.aws/checkpoint`); diff against DescribeTargetHealth (draining ignored); deregister
// extra targets, then register missing ones; readiness-gate conditions
// `target-health.elbv2.k8s.aws/<tgb>` on pods that carry the gate (requeue every
// --targetgroupbinding-requeue-duration while not all True); status.observedGeneration; on deletion
// deregister everything, mark gated pods True, remove the finalizer.
// Node/ENI security-group rules: NetworkingManager (networking_manager.h). Not simulated: multi-cluster target
// tracking, cross-account roles, AZ "all" for IPs outside the VPC.
// Deferred reconciler (targetgroupbinding_deferred_reconciler.go): a deferred TGB that is not in
// the processed cache (TTL --sync-period) gets its checkpoint reset to "" after 30 min + jitter in
// [0, 15 min) (seeded Rng; a background event), which forces a full pass.
//
// Same EventQueue model as GroupController: watch notifications are handled in events, one
// worker, controller-runtime rate limiter with base 5ms and cap 1000s.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sim/aws/elbv2_api.h"
#include "sim/base/clock.h"
#include "sim/controller/controller_config.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/endpoint_resolver.h"
#include "sim/controller/targets_manager.h"
#include "sim/controller/workqueue.h"
#include "sim/k8s/client_api.h"

namespace sim::controller {

inline constexpr char kTargetHealthPodConditionTypePrefix[] = "target-health.elbv2.k8s.aws";

// Go encoding/json of a TargetGroupBinding spec (field order of upstream TargetGroupBindingSpec).
std::string MarshalTargetGroupBindingSpec(const model::k8s::TargetGroupBinding& tgb);
// base64url_nopad(sha256(sorted endpoint ids joined by ",")) + "/" + base64url_nopad(sha256(spec json)).
std::string CalculateTGBReconcileCheckpoint(const std::vector<std::string>& endpoint_ids,
                                            const model::k8s::TargetGroupBinding& tgb);
// The same, remembering per TGB (namespace/name) the last two hash inputs and their hashes: a
// reconcile whose endpoints and spec did not change (most of them) compares the texts instead of
// hashing them again.
struct TGBCheckpointMemo {
  struct Last {
    std::string csv, csv_hash, spec, spec_hash;
  };
  std::unordered_map<std::string, Last> by_tgb;
};
std::string CalculateTGBReconcileCheckpoint(const std::vector<std::string>& endpoint_ids,
                                            const model::k8s::TargetGroupBinding& tgb, TGBCheckpointMemo& memo);
// Endpoint identifiers written one after the other into one buffer (no allocation per identifier).
struct EndpointIdentifiers {
  std::string text;
  std::vector<std::pair<size_t, size_t>> spans;  // (offset, length) of each identifier in `text`
  template <typename Endpoint>
  void Add(const Endpoint& e) {
    AddWith([&](std::string* out) { e.AppendIdentifier(/*include_timestamp=*/true, out); });
  }
  // One identifier, as `append(&text)` writes it.
  template <typename Append>
  void AddWith(Append append) {
    const size_t at = text.size();
    append(&text);
    spans.emplace_back(at, text.size() - at);
  }
  std::vector<std::string_view> Views() const;
};
std::string CalculateTGBReconcileCheckpoint(const EndpointIdentifiers& endpoint_ids,
                                            const model::k8s::TargetGroupBinding& tgb, TGBCheckpointMemo& memo);

struct TargetGroupBindingControllerDeps {
  EventQueue& events;
  k8s::KubeApi& kube;
  aws::Elbv2Api& elbv2;
  aws::Ec2Api& ec2;  // node/pod ENI security-group rules (NetworkingManager)
  Sleeper sleep;
  aws::CallContext call_context = aws::ControllerCall();
  uint64_t seed = 1;  // jitter of the deferred checkpoint reset
};

class TargetGroupBindingController {
 public:
  TargetGroupBindingController(TargetGroupBindingControllerDeps deps, ControllerConfig config);
  ~TargetGroupBindingController();
  TargetGroupBindingController(const TargetGroupBindingController&) = delete;
  TargetGroupBindingController& operator=(const TargetGroupBindingController&) = delete;

  // Watches TGBs, Services, EndpointSlices (or Endpoints), Nodes, Pods; enqueues every TGB.
  void Start();
  void Stop();
  bool running() const { return instance_ != nullptr; }

  void Enqueue(const std::string& ns, const std::string& name);
  ReconcileResult ReconcileNowForTest(const std::string& ns, const std::string& name);
  uint64_t reconcile_count() const;
  // TGBs whose last reconcile failed: ns/name -> error text (one that succeeded is absent).
  const std::map<std::string, std::string>& last_errors() const { return *last_errors_; }

 private:
  struct Instance;
  TargetGroupBindingControllerDeps deps_;
  ControllerConfig config_;
  std::shared_ptr<Instance> instance_;
  std::shared_ptr<std::map<std::string, std::string>> last_errors_ =
      std::make_shared<std::map<std::string, std::string>>();
};

}  // namespace sim::controller
