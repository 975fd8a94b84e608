#pragma once
// Running a folder of scenarios for CI: the files, a summary table that ends with the plain line
// `N passed, M failed`, and JUnit XML (one testcase per expectation).

#include <functional>
#include <string>
#include <vector>

#include "reports/text_report.h"
#include "sim/scenario/run_record.h"

namespace sim::reports {

// Every scenario file (*.yaml, *.yml) under `dir`, recursively, sorted; folders named `manifests`
// are skipped (they hold Kubernetes manifests, not scenarios). `dir` may also be one file.
std::vector<std::string> FindScenarioFiles(const std::string& dir);

struct SuiteCounts {
  int passed = 0;
  int failed = 0;  // scenarios with a failed expectation or step, and scenarios that did not load
  int errors = 0;  // of `failed`: scenarios that did not load or could not run (exit 2)
  // 0 every scenario passed; 2 some scenario is bad input (or there was none); else 1.
  int exit_code() const { return errors > 0 || passed + failed == 0 ? 2 : failed > 0 ? 1 : 0; }
};

SuiteCounts CountSuite(const std::vector<scenario::RunRecord>& runs);

// Runs `files` in order. `on_start(i, n, file)` is called before each run (for a progress line),
// `on_done(record)` after it.
std::vector<scenario::RunRecord> RunSuite(
    const std::vector<std::string>& files,
    const std::function<void(size_t index, size_t count, const std::string& file)>& on_start = nullptr,
    const std::function<void(const scenario::RunRecord& record)>& on_done = nullptr);

// One row per scenario (result, name, expectations held/total, failed steps, simulated time, file),
// the failures of failed scenarios (unless quiet), then the closing line `N passed, M failed`.
std::string RenderSummaryTable(const std::vector<scenario::RunRecord>& runs, const TextOptions& options = {});

// JUnit XML: a <testsuite> per scenario, a <testcase> per expectation (failures carry the
// expected-vs-found message), a <testcase> per failed step that failed for another reason, and an
// <error> testcase for a scenario that did not load.
std::string RenderJUnit(const std::vector<scenario::RunRecord>& runs, const std::string& name = "albtwin");

// The stable name of an expectation: its passing form ("lb default/web scheme = \"internet-facing\""),
// also for a failure ("...: expected A, found B" -> "... = A").
std::string ExpectationName(const scenario::ExpectationRecord& e);

}  // namespace sim::reports
