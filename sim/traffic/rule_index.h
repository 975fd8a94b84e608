#pragma once
// A listener's rules compiled for fast routing decisions (no trace): rules whose host-header
// condition lists only literal hosts are bucketed by host, so a request is checked against the
// rules of its host plus the rules that can match any host, in priority order. Same answer as
// evaluating every rule in order (ALB: first matching rule by priority, else the default action).

#include <string>
#include <unordered_map>
#include <vector>

#include "models/aws/elbv2.h"
#include "sim/traffic/trace.h"

namespace sim::traffic {

class CompiledListener {
 public:
  // `rules`: the listener's non-default rules by ascending priority; must outlive this object
  // (the compiled form points into their conditions).
  explicit CompiledListener(const std::vector<model::aws::Rule>& rules);
  // Index into `rules` of the first rule whose conditions all match `req` (parsed, source_ip set
  // for source-ip conditions; PrepareRequest'ed, else the host is recomputed per call); -1 = the
  // listener's default action.
  int Match(const Request& req) const;

 private:
  struct Compiled {
    std::vector<const model::aws::RuleCondition*> checks;  // conditions left to evaluate
  };
  std::vector<Compiled> compiled_;        // per rule, checks when reached through its host bucket
  std::vector<Compiled> compiled_all_;    // per rule, every condition
  std::unordered_map<std::string, std::vector<int>> by_host_;  // lowercase literal host -> rules
  std::vector<int> any_host_;                                   // rules not bound to literal hosts
};

}  // namespace sim::traffic
