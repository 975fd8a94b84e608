// Mirrors upstream pkg/ingress/rule_optimizer.go.
#include "sim/controller/rule_optimizer.h"

#include <algorithm>
#include <set>

namespace sim::controller {

namespace ms = model::stack;

const ms::RedirectActionConfig* FindRedirectActionConfig(const std::vector<ms::Action>& actions) {
  for (const auto& a : actions) {
    if (a.type == ms::kActionTypeRedirect) return a.redirect_config ? &*a.redirect_config : nullptr;
  }
  return nullptr;
}

bool IsInfiniteRedirectRule(int32_t port, const std::string& protocol, const Rule& rule) {
  const ms::RedirectActionConfig* cfg = FindRedirectActionConfig(rule.actions);
  if (cfg == nullptr) return false;
  std::set<std::string> hosts, paths;
  for (const auto& c : rule.conditions) {
    if (c.field == ms::kRuleConditionFieldHostHeader && c.host_header_config) {
      hosts.insert(c.host_header_config->values.begin(), c.host_header_config->values.end());
    } else if (c.field == ms::kRuleConditionFieldPathPattern && c.path_pattern_config) {
      if (!c.path_pattern_config->regex_values.empty()) return false;
      paths.insert(c.path_pattern_config->values.begin(), c.path_pattern_config->values.end());
    }
  }
  if (cfg->host && *cfg->host != "#{host}" && !hosts.count(*cfg->host)) return false;
  if (cfg->path && *cfg->path != "/#{path}" && !paths.count(*cfg->path)) return false;
  if (cfg->port && *cfg->port != "#{port}" && *cfg->port != std::to_string(port)) return false;
  if (cfg->protocol && *cfg->protocol != "#{protocol}" && *cfg->protocol != protocol) return false;
  if (cfg->query && *cfg->query != "#{query}") return false;
  return true;
}

bool IsSupersetConditions(const std::vector<ms::RuleCondition>& lhs, const std::vector<ms::RuleCondition>& rhs) {
  std::set<std::string> lhs_hosts, lhs_paths, rhs_hosts, rhs_paths;
  for (const auto& c : lhs) {
    if (c.field == ms::kRuleConditionFieldHostHeader && c.host_header_config) {
      lhs_hosts.insert(c.host_header_config->values.begin(), c.host_header_config->values.end());
    } else if (c.field == ms::kRuleConditionFieldPathPattern && c.path_pattern_config) {
      const auto& p = *c.path_pattern_config;
      if (!p.regex_values.empty()) {
        lhs_paths.insert(p.regex_values.begin(), p.regex_values.end());
      } else {
        lhs_paths.insert(p.values.begin(), p.values.end());
      }
    } else {
      return false;
    }
  }
  for (const auto& c : rhs) {
    if (c.field == ms::kRuleConditionFieldHostHeader && c.host_header_config) {
      rhs_hosts.insert(c.host_header_config->values.begin(), c.host_header_config->values.end());
    } else if (c.field == ms::kRuleConditionFieldPathPattern && c.path_pattern_config) {
      const auto& p = *c.path_pattern_config;
      if (!p.regex_values.empty()) {
        rhs_paths.insert(p.regex_values.begin(), p.regex_values.end());
      } else {
        rhs_paths.insert(p.values.begin(), p.values.end());
      }
    }
  }
  auto superset = [](const std::set<std::string>& a, const std::set<std::string>& b) {
    return std::includes(a.begin(), a.end(), b.begin(), b.end());
  };
  bool host_superset = lhs_hosts.empty() || (!rhs_hosts.empty() && superset(lhs_hosts, rhs_hosts));
  bool path_superset =
      lhs_paths.empty() || lhs_paths.count("/*") || (!rhs_paths.empty() && superset(lhs_paths, rhs_paths));
  return host_superset && path_superset;
}

std::vector<Rule> RuleOptimizer::Optimize(int32_t port, const std::string& protocol,
                                          const std::vector<Rule>& rules) const {
  std::vector<Rule> without_infinite;
  for (const auto& r : rules) {
    if (!IsInfiniteRedirectRule(port, protocol, r)) without_infinite.push_back(r);
  }
  std::vector<Rule> out;
  for (const auto& r : without_infinite) {
    bool shadowed = false;
    for (const auto& existing : out) {
      if (FindRedirectActionConfig(existing.actions) == nullptr) continue;
      if (IsSupersetConditions(existing.conditions, r.conditions)) {
        shadowed = true;
        break;
      }
    }
    if (!shadowed) out.push_back(r);
  }
  return out;
}

}  // namespace sim::controller
