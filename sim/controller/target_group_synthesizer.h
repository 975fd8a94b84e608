#pragma once
// Mirrors upstream pkg/deploy/elbv2/target_group_synthesizer.go.

#include <map>
#include <string>
#include <vector>

#include "models/stack/stack.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/tagging_manager.h"
#include "sim/controller/target_group_manager.h"

namespace sim::controller {

struct ResAndSDKTargetGroupPair {
  model::stack::TargetGroup* res = nullptr;
  TargetGroupWithTags sdk;
};

struct TargetGroupMatch {
  std::vector<ResAndSDKTargetGroupPair> matched;
  std::vector<model::stack::TargetGroup*> unmatched_res;
  std::vector<TargetGroupWithTags> unmatched_sdk;
};

// matchResAndSDKTargetGroups: by resource-ID tag (IDs visited in sorted order); an SDK TG that
// requires replacement goes to unmatched_sdk. Error: `unexpected targetGroup with no resourceID: <arn>`.
// mapResTargetGroupByResourceID / mapSDKTargetGroupByResourceID (resource-ID tag; error when missing).
std::map<std::string, model::stack::TargetGroup*> MapResTargetGroupByResourceID(const std::vector<model::stack::TargetGroup*>& res);
Result<std::map<std::string, std::vector<TargetGroupWithTags>>> MapSDKTargetGroupByResourceID(const std::vector<TargetGroupWithTags>& sdk,
                                                                                   const std::string& resource_id_tag_key);
Result<TargetGroupMatch> MatchResAndSDKTargetGroups(std::vector<model::stack::TargetGroup*> res,
                                                    const std::vector<TargetGroupWithTags>& sdk,
                                                    const std::string& resource_id_tag_key,
                                                    const DeployFeatureGates& gates);
bool IsSDKTargetGroupRequiresReplacement(const TargetGroupWithTags& sdk, const model::stack::TargetGroupSpec& res,
                                         const DeployFeatureGates& gates);
bool IsSDKTargetGroupRequiresReplacementDueToNLBHealthCheck(const TargetGroupWithTags& sdk,
                                                            const model::stack::TargetGroupSpec& res,
                                                            const DeployFeatureGates& gates);
bool IsL4TargetGroup(const std::string& protocol);

class TargetGroupSynthesizer final : public ResourceSynthesizer {
 public:
  TargetGroupSynthesizer(model::stack::Stack& stack, const TrackingProvider& tracking, Elbv2TaggingManager& tagging,
                         TargetGroupManager& tg_manager, const DeployFeatureGates& gates)
      : stack_(stack), tracking_(tracking), tagging_(tagging), tg_manager_(tg_manager), gates_(gates) {}

  Status Synthesize() override;
  // Deletes unmatched TGs (after the rules stopped using them).
  Status PostSynthesize() override;

 private:
  model::stack::Stack& stack_;
  const TrackingProvider& tracking_;
  Elbv2TaggingManager& tagging_;
  TargetGroupManager& tg_manager_;
  const DeployFeatureGates& gates_;
  std::vector<TargetGroupWithTags> unmatched_sdk_;
};

}  // namespace sim::controller
