// Mirrors upstream pkg/deploy/elbv2/listener_rule_synthesizer.go.
#include "sim/controller/listener_rule_synthesizer.h"

namespace sim::controller {

namespace ms = model::stack;

namespace {

int32_t ParsePriority(const std::string& s) {
  try {
    size_t pos = 0;
    long long v = std::stoll(s, &pos);
    return pos == s.size() ? static_cast<int32_t>(v) : 0;
  } catch (...) {
    return 0;
  }
}

}  // namespace

ListenerRuleMatch MatchResAndSDKListenerRules(const std::vector<ms::ListenerRule*>& res,
                                              std::vector<ListenerRuleWithTags> sdk, const DesiredRuleConfigs& configs) {
  ListenerRuleMatch m;
  std::vector<ms::ListenerRule*> unmatched_res;
  for (ms::ListenerRule* r : res) {
    const DesiredRuleConfig& cfg = configs.at(r);
    bool found = false;
    for (size_t i = 0; i < sdk.size(); ++i) {
      const auto& s = sdk[i];
      if (ActionsEqual(cfg.actions, s.rule.actions) && RuleConditionsEqual(cfg.conditions, s.rule.conditions) &&
          TransformsEqual(cfg.transforms, s.rule.transforms)) {
        if (r->spec.priority != ParsePriority(s.rule.priority)) {
          m.matched_by_settings.push_back(ResAndSDKListenerRulePair{r, s});
        } else {
          m.fully_matched.push_back(ResAndSDKListenerRulePair{r, s});
        }
        sdk.erase(sdk.begin() + static_cast<std::ptrdiff_t>(i));
        found = true;
        break;
      }
    }
    if (!found) unmatched_res.push_back(r);
  }
  std::map<int32_t, ms::ListenerRule*> res_by_priority;
  for (ms::ListenerRule* r : unmatched_res) res_by_priority[r->spec.priority] = r;
  std::map<int32_t, ListenerRuleWithTags> sdk_by_priority;
  for (const auto& s : sdk) sdk_by_priority[ParsePriority(s.rule.priority)] = s;
  for (auto& [p, r] : res_by_priority) {
    auto it = sdk_by_priority.find(p);
    if (it != sdk_by_priority.end()) m.matched_by_priority.push_back(ResAndSDKListenerRulePair{r, it->second});
  }
  for (auto& [p, r] : res_by_priority) {
    if (!sdk_by_priority.count(p)) m.unmatched_res.push_back(r);
  }
  for (auto& [p, s] : sdk_by_priority) {
    if (!res_by_priority.count(p)) m.unmatched_sdk.push_back(s);
  }
  return m;
}

Status CreateAndDeleteRules(ListenerRuleManager& manager, const ms::Stack& stack, int initial_rule_count,
                            const DesiredRuleConfigs& configs, const std::vector<ms::ListenerRule*>& unmatched_res,
                            const std::vector<ListenerRuleWithTags>& unmatched_sdk) {
  size_t res_index = 0, sdk_index = 0;
  int rule_counter = initial_rule_count;
  int max_rules = -1;
  while (unmatched_res.size() > res_index || unmatched_sdk.size() > sdk_index) {
    if (unmatched_res.size() > res_index && rule_counter != max_rules) {
      ms::ListenerRule* r = unmatched_res[res_index];
      auto it = configs.find(r);
      Result<ms::ListenerRuleStatus> st = manager.Create(stack, *r, it == configs.end() ? nullptr : &it->second);
      if (!st.ok()) {
        if (IsTooManyRulesError(st.error()) && max_rules == -1) {
          max_rules = rule_counter;
          continue;
        }
        return st.error();
      }
      r->status = st.value();
      ++rule_counter;
      ++res_index;
    } else if (unmatched_sdk.size() > sdk_index) {
      SIM_RETURN_IF_ERROR(manager.Delete(unmatched_sdk[sdk_index]));
      --rule_counter;
      ++sdk_index;
    } else {
      return MakeError(ErrorCode::kResourceExhausted, "Unable to synthesize listener rules, there's too many attached.");
    }
  }
  return OkStatus();
}

Status ListenerRuleSynthesizer::SynthesizeListenerRulesOnListener(const std::string& ls_arn,
                                                                  const std::vector<ms::ListenerRule*>& res) {
  SIM_ASSIGN_OR_RETURN(auto all, tagging_.ListListenerRules(ls_arn));
  std::vector<ListenerRuleWithTags> sdk;
  for (auto& r : all) {
    if (!r.rule.is_default) sdk.push_back(r);
  }
  DesiredRuleConfigs configs;
  for (ms::ListenerRule* r : res) {
    SIM_ASSIGN_OR_RETURN(DesiredRuleConfig cfg, BuildResLRDesiredRuleConfig(stack_, *r, gates_));
    configs[r] = std::move(cfg);
  }
  ListenerRuleMatch m = MatchResAndSDKListenerRules(res, sdk, configs);
  if (!m.matched_by_settings.empty()) {
    SIM_RETURN_IF_ERROR(lr_manager_.SetRulePriorities(m.matched_by_settings, m.unmatched_sdk));
  }
  for (auto& pair : m.matched_by_priority) {
    SIM_ASSIGN_OR_RETURN(ms::ListenerRuleStatus st, lr_manager_.UpdateRules(stack_, *pair.res, pair.sdk, configs[pair.res]));
    pair.res->status = st;
  }
  SIM_RETURN_IF_ERROR(CreateAndDeleteRules(lr_manager_, stack_, static_cast<int>(sdk.size()), configs, m.unmatched_res,
                                           m.unmatched_sdk));
  for (auto* bucket : {&m.matched_by_settings, &m.fully_matched, &m.matched_by_priority}) {
    for (auto& pair : *bucket) {
      SIM_ASSIGN_OR_RETURN(ms::ListenerRuleStatus st, lr_manager_.UpdateRulesTags(stack_, *pair.res, pair.sdk));
      pair.res->status = st;
    }
  }
  return OkStatus();
}

Status ListenerRuleSynthesizer::Synthesize() {
  std::map<std::string, std::vector<ms::ListenerRule*>> by_listener;
  for (auto& [id, lr] : stack_.MutableList<ms::ListenerRule>()) {
    SIM_ASSIGN_OR_RETURN(std::string ls_arn, ResolveToken(stack_, lr.spec.listener_arn));
    by_listener[ls_arn].push_back(&lr);
  }
  for (auto& [id, ls] : stack_.MutableList<ms::Listener>()) {
    SIM_ASSIGN_OR_RETURN(std::string ls_arn, ResolveToken(stack_, ls.ListenerARN()));
    SIM_RETURN_IF_ERROR(SynthesizeListenerRulesOnListener(ls_arn, by_listener[ls_arn]));
  }
  return OkStatus();
}

}  // namespace sim::controller
