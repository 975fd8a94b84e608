#pragma once
// Plays a scenario on the simulated clock: builds the world (fake AWS account, fake cluster, the
// controller), runs every step, checks expectations, and returns the RunRecord.

#include <functional>
#include <memory>
#include <string>

#include "sim/scenario/run_record.h"
#include "sim/scenario/scenario.h"

namespace sim::aws {
class FakeAws;
}  // namespace sim::aws

namespace sim::scenario {

// Returns "" when every step of `scenario` can run in this version, else why not (a step whose
// behaviour lands later says "not supported yet" and the run exits 2).
std::string UnsupportedReason(const Scenario& scenario);

struct RunOptions {
  // Render the AWS account and the cluster after every step (graphs and HTML at any step).
  bool step_snapshots = true;
  // Render them at the end (the "aws" and "kubernetes" sections of the report).
  bool final_snapshot = true;
  // Called once at the end of the run, before the world goes away (e.g. `albtwin explain-iam`
  // reads the IAM authorizer's denials).
  std::function<void(aws::FakeAws&)> inspect_aws;
};

// Runs a loaded scenario. Never throws; bad input found while running fails the step.
RunRecord RunScenario(const Scenario& scenario, const RunOptions& options = {});

// Loads, checks and runs `path`. Load errors give exit_code 2 and `fatal_error`.
RunRecord RunScenarioFile(const std::string& path, const RunOptions& options = {});

}  // namespace sim::scenario
