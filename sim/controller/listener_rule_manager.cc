// Mirrors upstream pkg/deploy/elbv2/listener_rule_manager.go.
#include "sim/controller/listener_rule_manager.h"

#include <algorithm>

namespace sim::controller {

namespace ms = model::stack;
namespace ma = model::aws;

namespace {

int Atoi(const std::string& s) {
  try {
    size_t pos = 0;
    int v = std::stoi(s, &pos);
    return pos == s.size() ? v : 0;
  } catch (...) {
    return 0;
  }
}

}  // namespace

Result<aws::CreateRuleRequest> BuildSDKCreateListenerRuleInput(const ms::Stack& stack, const ms::ListenerRuleSpec& spec,
                                                             const DesiredRuleConfig* desired,
                                                             const DeployFeatureGates& gates) {
  aws::CreateRuleRequest req;
  SIM_ASSIGN_OR_RETURN(req.listener_arn, ResolveToken(stack, spec.listener_arn));
  req.priority = spec.priority;
  if (desired != nullptr && !desired->actions.empty()) {
    req.actions = desired->actions;
  } else {
    SIM_ASSIGN_OR_RETURN(req.actions, BuildSDKActions(stack, spec.actions, gates));
  }
  if (desired != nullptr && !desired->conditions.empty()) {
    req.conditions = desired->conditions;
  } else {
    req.conditions = BuildSDKRuleConditions(spec.conditions);
  }
  if (desired != nullptr && !desired->transforms.empty()) {
    req.transforms = desired->transforms;
  } else if (!spec.transforms.empty()) {
    req.transforms = BuildSDKTransforms(spec.transforms);
  }
  return req;
}

aws::ModifyRuleRequest BuildSDKModifyListenerRuleInput(const DesiredRuleConfig& desired) {
  aws::ModifyRuleRequest req;
  if (!desired.actions.empty()) req.actions = desired.actions;
  if (!desired.conditions.empty()) req.conditions = desired.conditions;
  if (!desired.transforms.empty()) {
    req.transforms = desired.transforms;
  } else {
    req.reset_transforms = true;
  }
  return req;
}

aws::SetRulePrioritiesRequest BuildSDKSetRulePrioritiesInput(std::vector<ResAndSDKListenerRulePair>& matched_by_settings,
                                                           std::vector<ListenerRuleWithTags>& unmatched_sdk) {
  std::stable_sort(unmatched_sdk.begin(), unmatched_sdk.end(), [](const auto& a, const auto& b) {
    return Atoi(a.rule.priority) < Atoi(b.rule.priority);
  });
  aws::SetRulePrioritiesRequest req;
  int last_available = 50000;
  for (auto it = unmatched_sdk.rbegin(); it != unmatched_sdk.rend(); ++it) {
    it->rule.priority = std::to_string(last_available);
    req.rule_priorities.push_back(ma::RulePriorityPair{it->rule.rule_arn, last_available});
    --last_available;
  }
  for (auto& pair : matched_by_settings) {
    pair.sdk.rule.priority = std::to_string(pair.res->spec.priority);
    req.rule_priorities.push_back(ma::RulePriorityPair{pair.sdk.rule.rule_arn, pair.res->spec.priority});
  }
  return req;
}

Result<ms::ListenerRuleStatus> DefaultListenerRuleManager::Create(const ms::Stack& stack, const ms::ListenerRule& res,
                                                                  const DesiredRuleConfig* desired) {
  SIM_ASSIGN_OR_RETURN(aws::CreateRuleRequest req,
                       BuildSDKCreateListenerRuleInput(stack, res.spec, desired, config_.feature_gates));
  if (config_.feature_gates.listener_rules_tagging) {
    req.tags = ConvertTagsToSDKTags(tracking_.ResourceTags(ToStackId(stack.stack_id()), res.id, res.spec.tags));
  }
  LogInfo(deps_, "creating listener rule " + res.id);
  std::string rule_arn;
  Status s = RetryImmediateOnError(deps_, kWaitLSExistencePollInterval, kWaitLSExistenceTimeout, IsListenerNotFoundError,
                                   [&]() -> Status {
                                     auto r = deps_.elbv2.CreateRule(deps_.call_context, req);
                                     if (!r.ok()) return Elbv2Error("CreateRule", r.error());
                                     rule_arn = r.value().rule_arn;
                                     return OkStatus();
                                   });
  if (!s.ok()) return Wrap(s.error(), "failed to create listener rule");
  LogInfo(deps_, "created listener rule " + res.id + " arn " + rule_arn);
  return ms::ListenerRuleStatus{rule_arn};
}

Result<ms::ListenerRuleStatus> DefaultListenerRuleManager::UpdateRules(const ms::Stack& stack, const ms::ListenerRule& res,
                                                                       const ListenerRuleWithTags& sdk,
                                                                       const DesiredRuleConfig& desired) {
  aws::ModifyRuleRequest req = BuildSDKModifyListenerRuleInput(desired);
  req.rule_arn = sdk.rule.rule_arn;
  LogInfo(deps_, "modifying listener rule " + req.rule_arn);
  auto r = deps_.elbv2.ModifyRule(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("ModifyRule", r.error());
  return ms::ListenerRuleStatus{sdk.rule.rule_arn};
}

Result<ms::ListenerRuleStatus> DefaultListenerRuleManager::UpdateRulesTags(const ms::Stack& stack,
                                                                           const ms::ListenerRule& res,
                                                                           const ListenerRuleWithTags& sdk) {
  if (config_.feature_gates.listener_rules_tagging) {
    TagMap desired = tracking_.ResourceTags(ToStackId(stack.stack_id()), res.id, res.spec.tags);
    ReconcileTagsOptions opts;
    opts.current_tags = sdk.tags;
    opts.ignored_tag_keys = config_.external_managed_tags;
    SIM_RETURN_IF_ERROR(tagging_.ReconcileTags(sdk.rule.rule_arn, desired, opts));
  }
  return ms::ListenerRuleStatus{sdk.rule.rule_arn};
}

Status DefaultListenerRuleManager::Delete(const ListenerRuleWithTags& sdk) {
  LogInfo(deps_, "deleting listener rule " + sdk.rule.rule_arn);
  Status s = deps_.elbv2.DeleteRule(deps_.call_context, sdk.rule.rule_arn);
  if (!s.ok()) return Elbv2Error("DeleteRule", s.error());
  return OkStatus();
}

Status DefaultListenerRuleManager::SetRulePriorities(std::vector<ResAndSDKListenerRulePair>& matched_by_settings,
                                                     std::vector<ListenerRuleWithTags>& unmatched_sdk) {
  aws::SetRulePrioritiesRequest req = BuildSDKSetRulePrioritiesInput(matched_by_settings, unmatched_sdk);
  LogInfo(deps_, "setting listener rule priorities");
  auto r = deps_.elbv2.SetRulePriorities(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("SetRulePriorities", r.error());
  return OkStatus();
}

}  // namespace sim::controller
