#pragma once
// Convergence property (issue #4): crashing the controller after its k-th AWS call, restarting it
// and settling must end in the AWS state of the fault-free run, with no orphaned and no duplicate
// resource. This file holds the state comparison and the per-k runs; tests/scenarios drives it.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/scenario.h"

namespace sim::aws {
class FakeAws;
}  // namespace sim::aws

namespace sim::scenario {

// The account's ELBv2 resources and the controller-made security groups, one line per resource
// (AWS-shaped JSON), sorted, with every generated identifier (ARNs, SG IDs, DNS names, creation
// times) replaced by a name derived from what the resource is. Two runs that built the same
// resources give equal vectors; a duplicate shows up as an extra line.
std::vector<std::string> CanonicalAwsState(const aws::FakeAws& aws);

struct ConvergenceFailure {
  int64_t k = 0;           // the controller died right after its k-th AWS call
  std::string difference;  // differing lines (- fault-free, + crashed), or why the run failed
  // A known, explained divergence (see KnownDivergence), or "" for an unexplained one.
  std::string known;
};

// Names the known divergence the property test has found, from the differing lines:
// "backend-sg-left-behind": only the shared backend SG remains after a crash whose restarted
// controller only ever deleted (it learns the backend SG's ID only when a deploy asks for it);
// "" when anything else differs.
std::string KnownDivergence(const std::vector<std::string>& missing, const std::vector<std::string>& extra);

struct ConvergenceReport {
  int64_t controller_calls = 0;  // AWS calls of the controller in the fault-free run
  int64_t runs = 0;              // crashed runs made
  std::vector<ConvergenceFailure> failures;
};

// Runs `scenario` fault-free, then once per k in 1..controller_calls (every `stride`-th k) with
// the controller crashing after its k-th call and restarted 10 s later, comparing final states.
ConvergenceReport CheckConvergence(const Scenario& scenario, int64_t stride = 1);

// The scenario as YAML-free text a user can paste to reproduce failure k: the scenario file plus
// the crash step to insert (for the report of a failing k).
std::string ReproductionHint(const std::string& scenario_path, int64_t k);

}  // namespace sim::scenario
