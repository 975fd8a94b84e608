// The report names each rejected subnet and why (issue #5 item 5): the step's notes carry the
// subnet resolver's choice when some candidate was rejected, or when there was none.

#include <string>

#include <doctest/doctest.h>

#include "sim/scenario/loader.h"
#include "sim/scenario/runner.h"

namespace sim::scenario {
namespace {

std::string AllNotes(const RunRecord& rec) {
  std::string out;
  for (const auto& s : rec.steps) {
    for (const auto& n : s.notes) out += n + "\n";
  }
  return out;
}

const char* kScenario = R"(
name: subnet-notes
world:
  subnets:
    - {id: subnet-pub-a, az: us-west-2a, cidr: 10.0.0.0/20, public: true, tags: {kubernetes.io/role/elb: "1"}}
    - {id: subnet-pub-b, az: us-west-2b, cidr: 10.0.16.0/20, public: true, tags: {kubernetes.io/role/elb: "1"}}
    - {id: subnet-pub-c, az: us-west-2c, cidr: 10.0.32.0/20, public: true,
       tags: {kubernetes.io/role/elb: "1", kubernetes.io/cluster/someone-else: owned}}
    - {id: subnet-priv-a, az: us-west-2a, cidr: 10.0.64.0/20, tags: {kubernetes.io/role/internal-elb: "1"}}
    - {id: subnet-priv-b, az: us-west-2b, cidr: 10.0.80.0/20, tags: {kubernetes.io/role/internal-elb: "1"}}
    - {id: subnet-priv-c, az: us-west-2c, cidr: 10.0.96.0/20, tags: {kubernetes.io/role/internal-elb: "1"}}
objects:
  - file: manifests/ingress-class.yaml
  - file: manifests/echo-apps.yaml
  - file: manifests/hello-ingress.yaml
steps:
  - settle: {}
  - expect:
      loadBalancers: 1
)";

TEST_SUITE("scenario.subnet_notes") {
TEST_CASE("a subnet tagged for another cluster is named in the step's notes with the reason") {
  LoadResult loaded = LoadScenarioText(kScenario, std::string(ALBTWIN_SOURCE_DIR) + "/scenarios/subnet-notes.yaml");
  REQUIRE_MESSAGE(loaded.ok(), (loaded.errors.empty() ? "" : loaded.errors.front()));
  RunOptions options;
  options.step_snapshots = false;
  RunRecord rec = RunScenario(loaded.scenario, options);
  CHECK(rec.passed);
  const std::string notes = AllNotes(rec);
  CHECK_MESSAGE(notes.find("subnets of default/hello") != std::string::npos, notes);
  CHECK_MESSAGE(notes.find("chose subnet-pub-a, subnet-pub-b") != std::string::npos, notes);
  CHECK_MESSAGE(notes.find("rejected subnet-pub-c (") != std::string::npos, notes);
  // Once per change, not once per reconcile.
  CHECK(notes.find("rejected subnet-pub-c") == notes.rfind("rejected subnet-pub-c"));
}
}

}  // namespace
}  // namespace sim::scenario
