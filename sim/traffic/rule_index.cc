#include "sim/traffic/rule_index.h"

#include <algorithm>
#include <cctype>

#include "sim/base/match.h"
#include "sim/traffic/router.h"

namespace sim::traffic {

namespace {


// The literal hosts of a plain host-header condition; empty when it has wildcards or regexes.
std::vector<std::string> LiteralHosts(const model::aws::RuleCondition& c) {
  if (c.field != "host-header") return {};
  if (c.host_header_config && !c.host_header_config->regex_values.empty()) return {};
  const std::vector<std::string>& values = c.host_header_config ? c.host_header_config->values : c.values;
  std::vector<std::string> out;
  for (const auto& v : values) {
    if (v.find_first_of("*?") != std::string::npos) return {};
    out.push_back(AsciiLower(v));
  }
  return out;
}

}  // namespace

CompiledListener::CompiledListener(const std::vector<model::aws::Rule>& rules) {
  compiled_.resize(rules.size());
  compiled_all_.resize(rules.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    const model::aws::RuleCondition* host_cond = nullptr;
    std::vector<std::string> hosts;
    for (const auto& c : rules[i].conditions) {
      compiled_all_[i].checks.push_back(&c);
      if (!host_cond) {
        hosts = LiteralHosts(c);
        if (!hosts.empty()) host_cond = &c;
      }
    }
    if (!host_cond) {
      any_host_.push_back(static_cast<int>(i));
      compiled_[i] = compiled_all_[i];
      continue;
    }
    for (const auto& c : rules[i].conditions) {
      if (&c != host_cond) compiled_[i].checks.push_back(&c);
    }
    for (const auto& h : hosts) {
      auto& bucket = by_host_[h];
      if (bucket.empty() || bucket.back() != static_cast<int>(i)) bucket.push_back(static_cast<int>(i));
    }
  }
}

int CompiledListener::Match(const Request& req) const {
  static const std::vector<int> kNone;
  const std::string computed = req.match_host.empty() ? AsciiLower(EffectiveHost(req)) : std::string();
  const std::string& host = req.match_host.empty() ? computed : req.match_host;
  auto it = by_host_.find(host);
  const std::vector<int>& bucket = it == by_host_.end() ? kNone : it->second;
  size_t a = 0, b = 0;
  while (a < bucket.size() || b < any_host_.size()) {
    const bool from_bucket = b >= any_host_.size() || (a < bucket.size() && bucket[a] < any_host_[b]);
    const int idx = from_bucket ? bucket[a++] : any_host_[b++];
    const Compiled& c = from_bucket ? compiled_[idx] : compiled_all_[idx];
    bool all = true;
    for (const auto* cond : c.checks) {
      if (!MatchCondition(*cond, req, nullptr)) {
        all = false;
        break;
      }
    }
    if (all) return idx;
  }
  return -1;
}

}  // namespace sim::traffic
