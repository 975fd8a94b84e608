#pragma once
// Mirrors upstream pkg/deploy/elbv2/listener_utils.go (model → SDK builders) and the comparison
// options of pkg/equality/elbv2/*.go (semantic equality of actions, conditions, transforms,
// certificates and mTLS as go-cmp applies them).

#include <string>
#include <vector>

#include "models/aws/elbv2.h"
#include "models/stack/stack.h"
#include "sim/base/status.h"

namespace sim::controller {

// Feature gates the deploy side reads (upstream pkg/config/feature_gates.go defaults).
struct DeployFeatureGates {
  bool weighted_target_groups = true;
  bool listener_rules_tagging = true;
  bool lb_capacity_reservation = true;
  bool nlb_health_check_advanced_config = true;
  bool enhanced_default_behavior = false;
};

// Resolves `token` through `stack`; error text as upstream (`<Kind> is not fulfilled yet: <id>`).
Result<std::string> ResolveToken(const model::stack::Stack& stack, const model::stack::StringToken& token);

// buildSDKActions: Order = index + 1. Error: unresolved token, or
// `weighted target groups feature is disabled` (gate off and >1 target group).
Result<std::vector<model::aws::Action>> BuildSDKActions(const model::stack::Stack& stack,
                                                        const std::vector<model::stack::Action>& actions,
                                                        const DeployFeatureGates& gates);
// buildSDKJwtValidationConfig.
model::aws::JwtValidationActionConfig BuildSDKJwtValidationConfig(const model::stack::JwtValidationConfig& cfg);
Result<model::aws::Action> BuildSDKAction(const model::stack::Stack& stack, const model::stack::Action& action,
                                          const DeployFeatureGates& gates);
std::vector<model::aws::RuleCondition> BuildSDKRuleConditions(const std::vector<model::stack::RuleCondition>& conditions);
model::aws::RuleCondition BuildSDKRuleCondition(const model::stack::RuleCondition& condition);
std::vector<model::aws::RuleTransform> BuildSDKTransforms(const std::vector<model::stack::Transform>& transforms);

// The desired SDK rule configuration of a model rule (upstream resLRDesiredRuleConfig).
struct DesiredRuleConfig {
  std::vector<model::aws::Action> actions;
  std::vector<model::aws::RuleCondition> conditions;
  std::vector<model::aws::RuleTransform> transforms;
};
Result<DesiredRuleConfig> BuildResLRDesiredRuleConfig(const model::stack::Stack& stack,
                                                      const model::stack::ListenerRule& rule,
                                                      const DeployFeatureGates& gates);

// buildSDKCertificates: (default = [first], extra = all). Unresolvable tokens resolve to "".
void BuildSDKCertificates(const model::stack::Stack& stack, const std::vector<model::stack::Certificate>& certs,
                          std::vector<model::aws::Certificate>* default_certs,
                          std::vector<model::aws::Certificate>* extra_certs);
// buildSDKMutualAuthenticationConfig: nullopt when the model has none.
std::optional<model::aws::MutualAuthenticationAttributes> BuildSDKMutualAuthenticationConfig(
    const std::optional<model::stack::MutualAuthenticationAttributes>& mtls);

// go-cmp equality with elbv2equality.CompareOptionForActions: sorted by Order, Order and
// TargetGroupArn ignored, forward target groups sorted by ARN (a lone tuple's weight ignored),
// stickiness ignored when the desired side has none, redirect fields defaulted to "#{...}".
bool ActionsEqual(const std::vector<model::aws::Action>& desired, const std::vector<model::aws::Action>& actual);
// CompareOptionForRuleConditions: sorted by Field (stable); top-level Values ignored.
bool RuleConditionsEqual(const std::vector<model::aws::RuleCondition>& desired,
                         const std::vector<model::aws::RuleCondition>& actual);
// CompareOptionForTransforms: sorted by Type (stable).
bool TransformsEqual(const std::vector<model::aws::RuleTransform>& desired,
                     const std::vector<model::aws::RuleTransform>& actual);
// CompareOptionForCertificates: sorted by ARN, IsDefault ignored.
bool CertificatesEqual(const std::vector<model::aws::Certificate>& desired,
                       const std::vector<model::aws::Certificate>& actual);
// CompareOptionsForMTLS: TrustStoreAssociationStatus ignored.
bool MutualAuthenticationEqual(const std::optional<model::aws::MutualAuthenticationAttributes>& desired,
                               const std::optional<model::aws::MutualAuthenticationAttributes>& actual);

// isListenerNotFoundError.
bool IsListenerNotFoundError(const Error& err);
// isTooManyRulesErr.
bool IsTooManyRulesError(const Error& err);

}  // namespace sim::controller
