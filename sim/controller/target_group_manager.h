#pragma once
// Mirrors upstream pkg/deploy/elbv2/target_group_manager.go and
// target_group_attributes_reconciler.go.

#include "models/stack/stack.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/tagging_manager.h"

namespace sim::controller {

class TargetGroupManager {
 public:
  static constexpr SimTime kWaitTGDeletionPollInterval{2000};
  static constexpr SimTime kWaitTGDeletionTimeout{20000};

  TargetGroupManager(DeployDeps deps, const TrackingProvider& tracking, Elbv2TaggingManager& tagging,
                     const DeployConfig& config)
      : deps_(std::move(deps)), tracking_(tracking), tagging_(tagging), config_(config) {}

  // CreateTargetGroup (VpcId, tracking+spec tags), then the attributes reconcile.
  Result<model::stack::TargetGroupStatus> Create(const model::stack::Stack& stack, const model::stack::TargetGroup& res);
  // Tags → ModifyTargetGroup when the health check drifted → attributes.
  Result<model::stack::TargetGroupStatus> Update(const model::stack::Stack& stack, const model::stack::TargetGroup& res,
                                                 const TargetGroupWithTags& sdk);
  // DeleteTargetGroup, retried every 2s for 20s while ResourceInUse; wraps `failed to delete targetGroup`.
  Status Delete(const TargetGroupWithTags& sdk);

  // target_group_attributes_reconciler.go: Modify only keys whose desired value differs.
  Status ReconcileAttributes(const model::stack::TargetGroup& res, const TargetGroupWithTags& sdk);
  // getCurrentTargetGroupAttributes: DescribeTargetGroupAttributes as a key → value map.
  Result<TagMap> GetCurrentTargetGroupAttributes(const TargetGroupWithTags& sdk);

 private:
  DeployDeps deps_;
  const TrackingProvider& tracking_;
  Elbv2TaggingManager& tagging_;
  const DeployConfig& config_;
};

// Pure helpers (conformance units).
aws::CreateTargetGroupRequest BuildSDKCreateTargetGroupInput(const model::stack::TargetGroupSpec& spec);
aws::ModifyTargetGroupRequest BuildSDKModifyTargetGroupInput(const model::stack::TargetGroupSpec& spec);
// getDesiredTargetGroupAttributes: the spec's attributes as a key → value map.
TagMap GetDesiredTargetGroupAttributes(const model::stack::TargetGroup& res);
model::aws::Matcher BuildSDKMatcher(const model::stack::HealthCheckMatcher& matcher);
bool IsSDKTargetGroupHealthCheckDrifted(const model::stack::TargetGroupSpec& spec, const TargetGroupWithTags& sdk);
bool IsTargetGroupResourceInUseError(const Error& err);

}  // namespace sim::controller
