#pragma once
// Mirrors upstream pkg/deploy/elbv2/target_group_binding_manager.go and
// target_group_binding_synthesizer.go.

#include <memory>
#include <string>
#include <vector>

#include "models/k8s/objects.h"
#include "models/stack/stack.h"
#include "sim/controller/deploy_deps.h"

namespace sim::controller {

inline constexpr char kAnnotationCheckPoint[] = "elbv2.k8s.aws/checkpoint";
inline constexpr char kAnnotationCheckPointTimestamp[] = "elbv2.k8s.aws/checkpoint-timestamp";

using TgbPtr = std::shared_ptr<const model::k8s::TargetGroupBinding>;

class TargetGroupBindingManager {
 public:
  static constexpr SimTime kWaitTGBObservedPollInterval{200};
  static constexpr SimTime kWaitTGBObservedTimeout{60000};
  static constexpr SimTime kWaitTGBDeletionPollInterval{200};
  static constexpr SimTime kWaitTGBDeletionTimeout{60000};

  TargetGroupBindingManager(DeployDeps deps, const TrackingProvider& tracking)
      : deps_(std::move(deps)), tracking_(tracking) {}

  // Creates the TGB object (stack labels, template annotations, resolved spec).
  Result<model::stack::TargetGroupBindingResourceStatus> Create(const model::stack::Stack& stack,
                                                                const model::stack::TargetGroupBindingResource& res);
  // Writes spec/labels/annotations only when one differs (checkpoint annotations ignored), then
  // waits until status.observedGeneration >= generation.
  Result<model::stack::TargetGroupBindingResourceStatus> Update(const model::stack::Stack& stack,
                                                                const model::stack::TargetGroupBindingResource& res,
                                                                const TgbPtr& k8s_tgb);
  // Deletes and waits (200ms polls, 60s) until it is gone; wraps
  // `failed to wait targetGroupBinding deletion`.
  Status Delete(const TgbPtr& k8s_tgb);

 private:
  DeployDeps deps_;
  const TrackingProvider& tracking_;
};

// buildK8sTargetGroupBindingSpec: the resolved spec written into `out` (spec fields only).
Status BuildK8sTargetGroupBindingSpec(const model::stack::Stack& stack,
                                      const model::stack::TargetGroupBindingResource& res,
                                      model::k8s::TargetGroupBinding* out);
// equality.Semantic.DeepEqual of two TGB specs.
bool TargetGroupBindingSpecEqual(const model::k8s::TargetGroupBinding& a, const model::k8s::TargetGroupBinding& b);

class TargetGroupBindingSynthesizer final : public ResourceSynthesizer {
 public:
  TargetGroupBindingSynthesizer(DeployDeps deps, model::stack::Stack& stack, const TrackingProvider& tracking,
                                TargetGroupBindingManager& tgb_manager)
      : deps_(std::move(deps)), stack_(stack), tracking_(tracking), tgb_manager_(tgb_manager) {}

  // Lists TGBs by stack labels, matches by spec.targetGroupARN, creates/updates.
  Status Synthesize() override;
  // Deletes unmatched TGBs (and waits for them to go).
  Status PostSynthesize() override;

 private:
  DeployDeps deps_;
  model::stack::Stack& stack_;
  const TrackingProvider& tracking_;
  TargetGroupBindingManager& tgb_manager_;
  std::vector<TgbPtr> unmatched_k8s_;
};

}  // namespace sim::controller
