#pragma once
// Mirrors upstream pkg/deploy/elbv2/listener_rule_synthesizer.go.

#include <map>
#include <string>
#include <vector>

#include "models/stack/stack.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/listener_rule_manager.h"
#include "sim/controller/tagging_manager.h"

namespace sim::controller {

using DesiredRuleConfigs = std::map<const model::stack::ListenerRule*, DesiredRuleConfig>;

struct ListenerRuleMatch {
  std::vector<ResAndSDKListenerRulePair> matched_by_settings;  // same settings, other priority
  std::vector<ResAndSDKListenerRulePair> matched_by_priority;  // same priority, other settings
  std::vector<ResAndSDKListenerRulePair> fully_matched;
  std::vector<model::stack::ListenerRule*> unmatched_res;      // to create (by priority)
  std::vector<ListenerRuleWithTags> unmatched_sdk;             // to delete (by priority)
};

// matchResAndSDKListenerRules: first SDK rule with equal actions/conditions/transforms (consumed),
// then the rest by priority.
ListenerRuleMatch MatchResAndSDKListenerRules(const std::vector<model::stack::ListenerRule*>& res,
                                              std::vector<ListenerRuleWithTags> sdk,
                                              const DesiredRuleConfigs& configs);

// createAndDeleteRules: creations first; on the first TooManyRules, alternate delete/create.
// Error when nothing can be deleted: `Unable to synthesize listener rules, there's too many attached.`
Status CreateAndDeleteRules(ListenerRuleManager& manager, const model::stack::Stack& stack, int initial_rule_count,
                            const DesiredRuleConfigs& configs, const std::vector<model::stack::ListenerRule*>& unmatched_res,
                            const std::vector<ListenerRuleWithTags>& unmatched_sdk);

class ListenerRuleSynthesizer final : public ResourceSynthesizer {
 public:
  ListenerRuleSynthesizer(model::stack::Stack& stack, Elbv2TaggingManager& tagging, ListenerRuleManager& lr_manager,
                          const DeployFeatureGates& gates)
      : stack_(stack), tagging_(tagging), lr_manager_(lr_manager), gates_(gates) {}

  Status Synthesize() override;
  Status PostSynthesize() override { return OkStatus(); }

  // synthesizeListenerRulesOnListener.
  Status SynthesizeListenerRulesOnListener(const std::string& ls_arn, const std::vector<model::stack::ListenerRule*>& res);

 private:
  model::stack::Stack& stack_;
  Elbv2TaggingManager& tagging_;
  ListenerRuleManager& lr_manager_;
  const DeployFeatureGates& gates_;
};

}  // namespace sim::controller
