#pragma once
// Mirrors upstream pkg/deploy/elbv2/listener_rule_manager.go.

#include <vector>

#include "models/stack/stack.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/tagging_manager.h"

namespace sim::controller {

struct ResAndSDKListenerRulePair {
  model::stack::ListenerRule* res = nullptr;
  ListenerRuleWithTags sdk;
};

// The manager interface the rule synthesizer drives (a seam so a recording fake can stand in, as
// upstream's Test_CreateAndDeleteRules does).
class ListenerRuleManager {
 public:
  virtual ~ListenerRuleManager() = default;
  // CreateRule (retried every 2s for 20s while ListenerNotFound; wraps `failed to create listener rule`).
  virtual Result<model::stack::ListenerRuleStatus> Create(const model::stack::Stack& stack,
                                                          const model::stack::ListenerRule& res,
                                                          const DesiredRuleConfig* desired) = 0;
  // ModifyRule with the desired actions, conditions and transforms (ResetTransforms when none).
  virtual Result<model::stack::ListenerRuleStatus> UpdateRules(const model::stack::Stack& stack,
                                                               const model::stack::ListenerRule& res,
                                                               const ListenerRuleWithTags& sdk,
                                                               const DesiredRuleConfig& desired) = 0;
  // Tags reconcile (only with ListenerRulesTagging).
  virtual Result<model::stack::ListenerRuleStatus> UpdateRulesTags(const model::stack::Stack& stack,
                                                                   const model::stack::ListenerRule& res,
                                                                   const ListenerRuleWithTags& sdk) = 0;
  virtual Status Delete(const ListenerRuleWithTags& sdk) = 0;
  // One SetRulePriorities call (see BuildSDKSetRulePrioritiesInput).
  virtual Status SetRulePriorities(std::vector<ResAndSDKListenerRulePair>& matched_by_settings,
                                   std::vector<ListenerRuleWithTags>& unmatched_sdk) = 0;
};

class DefaultListenerRuleManager final : public ListenerRuleManager {
 public:
  static constexpr SimTime kWaitLSExistencePollInterval{2000};
  static constexpr SimTime kWaitLSExistenceTimeout{20000};

  DefaultListenerRuleManager(DeployDeps deps, const TrackingProvider& tracking, Elbv2TaggingManager& tagging,
                             const DeployConfig& config)
      : deps_(std::move(deps)), tracking_(tracking), tagging_(tagging), config_(config) {}

  Result<model::stack::ListenerRuleStatus> Create(const model::stack::Stack& stack, const model::stack::ListenerRule& res,
                                                  const DesiredRuleConfig* desired) override;
  Result<model::stack::ListenerRuleStatus> UpdateRules(const model::stack::Stack& stack,
                                                       const model::stack::ListenerRule& res,
                                                       const ListenerRuleWithTags& sdk,
                                                       const DesiredRuleConfig& desired) override;
  Result<model::stack::ListenerRuleStatus> UpdateRulesTags(const model::stack::Stack& stack,
                                                           const model::stack::ListenerRule& res,
                                                           const ListenerRuleWithTags& sdk) override;
  Status Delete(const ListenerRuleWithTags& sdk) override;
  Status SetRulePriorities(std::vector<ResAndSDKListenerRulePair>& matched_by_settings,
                           std::vector<ListenerRuleWithTags>& unmatched_sdk) override;

 private:
  DeployDeps deps_;
  const TrackingProvider& tracking_;
  Elbv2TaggingManager& tagging_;
  const DeployConfig& config_;
};

// Pure helpers (conformance units).
Result<aws::CreateRuleRequest> BuildSDKCreateListenerRuleInput(const model::stack::Stack& stack,
                                                             const model::stack::ListenerRuleSpec& spec,
                                                             const DesiredRuleConfig* desired,
                                                             const DeployFeatureGates& gates);
aws::ModifyRuleRequest BuildSDKModifyListenerRuleInput(const DesiredRuleConfig& desired);
// Leftover SDK rules (sorted by priority) pushed down to 50000, 49999, ... (highest first), then
// every settings-matched rule to its desired priority. Updates the SDK rules' Priority in place.
aws::SetRulePrioritiesRequest BuildSDKSetRulePrioritiesInput(std::vector<ResAndSDKListenerRulePair>& matched_by_settings,
                                                           std::vector<ListenerRuleWithTags>& unmatched_sdk);

}  // namespace sim::controller
