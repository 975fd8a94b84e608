#pragma once
// The ALB data plane: routes one request through a WorldView and records every hop.
// ALB semantics per shared/spec/elbv2-semantics.md §3; kube-proxy per k8s-semantics.md §4.5.

#include <map>
#include <string>

#include "sim/traffic/trace.h"
#include "sim/traffic/view.h"

namespace sim::traffic {

// Evaluates one rule condition. On a miss, `why` says which value failed (for the trace).
bool MatchCondition(const model::aws::RuleCondition& cond, const Request& req, std::string* why);

// Human-readable summary of a condition: `host-header [a.example.com]`, `path-pattern [/api/*]`.
std::string DescribeCondition(const model::aws::RuleCondition& cond);

// Resolves a redirect action against the request into a Location URL.
std::string RedirectLocation(const model::aws::RedirectActionConfig& cfg, const Request& req);

// Round-robin cursors that make target and endpoint choice deterministic across requests.
struct RouterState {
  std::map<std::string, uint64_t> cursor;
};

class Router {
 public:
  explicit Router(const WorldView& view) : view_(view) {}
  // Routes `req` (url parsed or not) and returns its trace.
  Trace Route(Request req, RouterState& state) const;

 private:
  const WorldView& view_;
};

}  // namespace sim::traffic
