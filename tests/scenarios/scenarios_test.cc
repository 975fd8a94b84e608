// Every scenario in scenarios/ (and scenarios/labs/) must pass, and two runs of one scenario must
// give byte-identical JSON.

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/scenarios/scenario_files.h"

#include "reports/json_report.h"
#include "sim/scenario/runner.h"

namespace sim::scenario {
namespace {

using testing::ScenarioFiles;

TEST_SUITE("scenarios") {
TEST_CASE("every scenario in scenarios/ passes") {
  auto files = ScenarioFiles();
  REQUIRE(files.size() >= 3);
  for (const auto& file : files) {
    SUBCASE(file.c_str()) {
      RunRecord rec = RunScenarioFile(file);
      std::string failures = rec.fatal_error;
      for (const auto& s : rec.steps) {
        for (const auto& e : s.errors) failures += "\n  step " + std::to_string(s.index + 1) + ": " + e;
      }
      CHECK_MESSAGE(rec.exit_code == 0, file << failures);
      CHECK(rec.passed);
    }
  }
}

TEST_CASE("two runs of a scenario give byte-identical JSON") {
  const std::string file = std::string(ALBTWIN_SOURCE_DIR) + "/scenarios/hello-ingress.yaml";
  std::string a = reports::RenderJson(RunScenarioFile(file));
  std::string b = reports::RenderJson(RunScenarioFile(file));
  CHECK(a.size() > 1000);
  CHECK(a == b);
}
}

}  // namespace
}  // namespace sim::scenario
