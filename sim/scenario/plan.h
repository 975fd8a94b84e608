#pragma once
// `albtwin plan`: the stack each Ingress group of a scenario would get — upstream's dry-run plan
// (the marshalled model stack) — computed offline, without changing AWS state.
//
// The world is built without the controller (World::Setup(false)); the scenario's `objects` are
// applied, then the manifests of the leading `apply` steps (those before the first step that is
// neither `apply` nor `settle`: the desired state the scenario first writes); the cluster's
// built-in controllers settle. Groups are loaded with the controller's GroupLoader (same class
// matching) and built with the controller's ModelBuilder wiring (hosts.h MakeModelBuilderFactory).
// The only difference from a reconcile: the shared backend security group is looked up, never
// created — when it does not exist yet the plan names it `<backend-sg:NAME>` (the ID AWS would
// assign is unknown).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/base/status.h"
#include "sim/scenario/scenario.h"

namespace sim::scenario {

struct GroupPlan {
  std::string group_id;    // GroupID::String(): explicit name or ns/name
  bool ok = true;
  std::string stack_json;  // MarshalStack output (compact), when ok
  std::string error;       // upstream's error text, when !ok
};

struct PlanResult {
  std::vector<GroupPlan> groups;        // sorted by group_id
  std::vector<std::string> notes;       // skipped Ingresses and similar (for stderr)
  std::vector<std::string> aws_calls;   // every AWS call made while planning (after setup)
  size_t mutating_calls = 0;            // of those, calls that are not Describe*/List*/Get*
  bool all_ok() const;
};

// Plans every group. Errors: the world could not be built (bad input).
Result<PlanResult> PlanScenario(const Scenario& scenario);

// The steps of PlanScenario, for callers that build a group repeatedly (tools/bench).
class Planner {
 public:
  explicit Planner(const Scenario& scenario);  // `scenario` must outlive the planner
  ~Planner();
  // Builds the world (no controller), applies the leading `apply` steps, settles the cluster.
  Status Setup();
  // Group IDs of the managed Ingresses (sorted); skipped Ingresses are appended to `notes`.
  std::vector<std::string> GroupIds(std::vector<std::string>* notes);
  // Loads the group (once; cached) and builds its model; the marshalled stack when `marshal`,
  // else "". Errors carry upstream's text in message.
  Result<std::string> Build(const std::string& group_id, bool marshal = true);
  // AWS calls logged since Setup() ("service:Call"), and how many of them mutate.
  std::vector<std::string> AwsCallsSinceSetup() const;
  size_t MutatingCallsSinceSetup() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `# group <id>` then the stack JSON, one group after the other; failed groups as
// `FAILED <id>: <error>`.
std::string RenderPlanText(const PlanResult& plan);
// {"<group id>": <stack>, ...}; failed groups as {"error": "<text>"}.
std::string RenderPlanJson(const PlanResult& plan);

// True for AWS operations that change state (anything but Describe*, List*, Get*).
bool IsMutatingAwsCall(std::string_view call);

}  // namespace sim::scenario
