// Runs the conformance runner over the upstream unit-test corpora in /work/shared/conformance.
#include "sim/conformance/conformance.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace sim::conformance {
namespace {

const std::string kCorpus = ALBTWIN_SOURCE_DIR "/../shared/conformance";

// Folders whose every case must pass.
const std::vector<std::string> kCompletedFolders = {
    "model-builder", "group-loader", "class-loader", "listener-rules",
    "backend-builder", "target-groups", "load-balancer", "targets", "subnets",
};

TEST_SUITE("conformance") {
TEST_CASE("every completed corpus folder passes with no failure") {
  if (!std::filesystem::exists(kCorpus)) {
    std::cout << "conformance corpus absent at " << kCorpus << ": skipped\n";
    return;
  }
  for (const auto& folder : kCompletedFolders) {
    CAPTURE(folder);
    std::ostringstream out;
    Summary s = RunConformance({kCorpus + "/" + folder}, out);
    INFO(out.str());
    CHECK(s.failed == 0);
    CHECK(s.passed > 0);
    // Skips are allowed only for Go-only details: at most 5% per folder.
    CHECK(s.skipped * 20 <= s.passed + s.failed + s.skipped);
  }
}

// Ratchet: the number of passing deploy cases (case.yaml format, replayed against a scripted AWS
// fake) must never drop below the count reached so far.
constexpr int kDeployPassingAtLeast = 204;

TEST_CASE("the deploy corpus passes at least the ratcheted number of cases") {
  if (!std::filesystem::exists(kCorpus + "/deploy")) {
    std::cout << "deploy corpus absent: skipped\n";
    return;
  }
  std::ostringstream out;
  Summary s = RunConformance({kCorpus + "/deploy"}, out);
  INFO(out.str());
  CHECK(s.passed >= kDeployPassingAtLeast);
  CHECK(s.passed + s.failed + s.skipped == 204);
}

TEST_CASE("the subnets corpus passes all 67 upstream subnet-resolver cases") {
  if (!std::filesystem::exists(kCorpus + "/subnets")) {
    std::cout << "subnets corpus absent: skipped\n";
    return;
  }
  std::ostringstream out;
  Summary s = RunConformance({kCorpus + "/subnets"}, out);
  INFO(out.str());
  CHECK(s.passed == 67);
  CHECK(s.failed == 0);
  CHECK(s.skipped == 0);
}

TEST_CASE("an unknown unitUnderTest fails instead of passing silently") {
  const auto dir = std::filesystem::temp_directory_path() / "albtwin-conformance-unknown" / "corpus" / "001-case";
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "input.yaml");
    f << "apiVersion: sim.local/v1\nkind: SimulatorConfig\nupstream:\n  file: nowhere_test.go\n"
         "unitUnderTest: frobnicate\n";
    std::ofstream e(dir / "expected-result.json");
    e << "{}";
  }
  std::ostringstream out;
  Summary s = RunConformance({dir.parent_path().string()}, out);
  CHECK(s.failed == 1);
  CHECK(out.str().find("FAIL corpus/001-case: not implemented: frobnicate") != std::string::npos);
  CHECK(out.str().find("0 passed, 1 failed, 0 skipped") != std::string::npos);
  std::filesystem::remove_all(dir.parent_path().parent_path());
}
}

}  // namespace
}  // namespace sim::conformance
