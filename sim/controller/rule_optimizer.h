#pragma once
// Mirrors upstream pkg/ingress/rule_optimizer.go: drops infinite-redirect rules and rules
// shadowed by an earlier redirect rule with a superset of host/path conditions.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/stack/elbv2.h"

namespace sim::controller {

// A listener rule before priorities are assigned.
struct Rule {
  std::vector<model::stack::RuleCondition> conditions;
  std::vector<model::stack::Action> actions;
  std::vector<model::stack::Transform> transforms;
  std::map<std::string, std::string> tags;
  bool operator==(const Rule&) const = default;
};

class RuleOptimizer {
 public:
  std::vector<Rule> Optimize(int32_t port, const std::string& protocol, const std::vector<Rule>& rules) const;
};

// upstream isInfiniteRedirectRule.
bool IsInfiniteRedirectRule(int32_t port, const std::string& protocol, const Rule& rule);
// upstream isSupersetConditions: lhs ⊇ rhs on host/path conditions only.
bool IsSupersetConditions(const std::vector<model::stack::RuleCondition>& lhs,
                          const std::vector<model::stack::RuleCondition>& rhs);
// upstream findRedirectActionConfig: the first redirect action's config, if any.
const model::stack::RedirectActionConfig* FindRedirectActionConfig(const std::vector<model::stack::Action>& actions);

}  // namespace sim::controller
