#pragma once
// The ALB data plane: routes one request through a WorldView and records every hop.
// ALB semantics per shared/spec/elbv2-semantics.md §3; kube-proxy per k8s-semantics.md §4.5.

#include <map>
#include <unordered_map>
#include <string>
#include <vector>

#include "sim/base/rng.h"
#include "sim/traffic/trace.h"
#include "sim/traffic/view.h"

namespace sim::traffic {

// Evaluates one rule condition. On a miss, `why` (when not null) says which value failed (for the
// trace); with a null `why` nothing is allocated on a miss.
// `description` (optional) replaces DescribeCondition(cond) in `why`.
bool MatchCondition(const model::aws::RuleCondition& cond, const Request& req, std::string* why,
                    const std::string* description = nullptr);

// The host ALB matches host-header conditions against: the Host header (else the URL host),
// without its port.
std::string EffectiveHost(const Request& req);
// Sets req->match_host (the lower-cased EffectiveHost) so that host conditions need not recompute
// it; Router::Route does it itself. Call it after changing the URL or the Host header.
void PrepareRequest(Request* req);

// Human-readable summary of a condition: `host-header [a.example.com]`, `path-pattern [/api/*]`.
std::string DescribeCondition(const model::aws::RuleCondition& cond);

// Resolves a redirect action against the request into a Location URL.
std::string RedirectLocation(const model::aws::RedirectActionConfig& cfg, const Request& req);

// What the data plane remembers between requests, so that choices are deterministic for a seed:
// round-robin cursors, requests assigned per target (least outstanding requests: a `count: N`
// burst is sent at once, nothing completes meanwhile), sticky cookies the client keeps (the
// client is its source address: one browser per address), and the seeded generator for weighted
// forwards and weighted_random.
struct RouterState {
  explicit RouterState(uint64_t seed = 1) : rng(seed) {}
  // Looked up, never iterated: hashed for speed (output order does not depend on them).
  std::unordered_map<std::string, uint64_t> cursor;
  std::unordered_map<std::string, uint64_t> outstanding;  // "tgARN|id:port" -> requests in flight (LOR)
  std::unordered_map<std::string, std::string> sticky;    // "source|tgARN" -> id:port; "source|fwd" -> tgARN
  Rng rng;
};

class Router {
 public:
  explicit Router(const WorldView& view) : view_(view) {}
  // Routes `req` (url parsed or not) and returns its trace.
  Trace Route(Request req, RouterState& state) const;

 private:
  // DescribeCondition of every condition of a listener's rules: rule r's condition k is
  // text[first[r] + k].
  struct RuleDescriptions {
    std::vector<size_t> first;
    std::vector<std::string> text;
  };
  // Built on first use per listener (the view outlives the router).
  const RuleDescriptions& Descriptions(const ListenerView& lv) const;

  const WorldView& view_;
  mutable std::unordered_map<const ListenerView*, RuleDescriptions> descriptions_;
};

}  // namespace sim::traffic
