// The step narration names each Kubernetes Event once per count it has: not again in a later step
// while its count is unchanged, again when the count grows, and again when it is a new Event under
// an old name (deleted and created again: a new uid).

#include <string>

#include <doctest/doctest.h>

#include "sim/scenario/loader.h"
#include "sim/scenario/runner.h"

namespace sim::scenario {
namespace {

const char* kEventManifest = R"(
      inline: |
        apiVersion: v1
        kind: Event
        metadata: {name: web.hello, namespace: default}
        involvedObject: {kind: Pod, namespace: default, name: web}
        reason: Hello
        message: hi
        type: Normal
)";

std::string Scenario() {
  return std::string(R"(
name: event-narration
steps:
  - apply:)") + kEventManifest + R"(
  - settle: {}
  - delete: {kind: Event, namespace: default, name: web.hello}
  - apply:)" + kEventManifest;
}

int Mentions(const StepRecord& step, const std::string& what) {
  int n = 0;
  for (const auto& note : step.notes) n += note.find(what) != std::string::npos ? 1 : 0;
  return n;
}

TEST_SUITE("scenario.narration") {
TEST_CASE("an Event is narrated once, and again when created anew under the same name") {
  LoadResult loaded = LoadScenarioText(Scenario(), "event-narration.yaml");
  REQUIRE_MESSAGE(loaded.ok(), (loaded.errors.empty() ? "" : loaded.errors.front()));
  RunOptions options;
  options.step_snapshots = false;
  RunRecord rec = RunScenario(loaded.scenario, options);
  REQUIRE(rec.steps.size() == 4);
  const std::string note = "event Normal Hello on Pod/default/web: hi";
  CHECK(Mentions(rec.steps[0], note) == 1);
  CHECK(Mentions(rec.steps[1], note) == 0);  // the same Event, the same count
  CHECK(Mentions(rec.steps[2], note) == 0);  // deleted
  CHECK(Mentions(rec.steps[3], note) == 1);  // a new Event with the old name
}
}

}  // namespace
}  // namespace sim::scenario
