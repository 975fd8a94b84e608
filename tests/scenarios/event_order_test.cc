// World::SortByTime: the order of the run record's and the narration's Events.
#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "models/k8s/objects.h"
#include "sim/k8s/fake_api_server.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/world.h"

namespace sim::scenario {
namespace {

World::StoredEvent Stored(const std::string& name, const std::string& last_timestamp) {
  auto e = std::make_shared<model::k8s::Event>();
  e->metadata.name = name;
  e->last_timestamp = last_timestamp;
  return World::StoredEvent{name, e};
}

std::vector<std::string> Names(const std::vector<World::StoredEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.name);
  return out;
}

TEST_SUITE("scenarios.event_order") {

TEST_CASE("events are ordered by lastTimestamp, keeping their order among equal times") {
  std::vector<World::StoredEvent> events = {
      Stored("c", "2026-01-01T00:00:05Z"), Stored("a", "2026-01-01T00:00:01Z"), Stored("b", "2026-01-01T00:00:05Z"),
      Stored("d", "2026-01-01T00:00:01Z"), Stored("e", "2026-01-01T00:00:00Z")};
  World::SortByTime(&events);
  CHECK(Names(events) == std::vector<std::string>{"e", "a", "d", "c", "b"});
}

TEST_CASE("times longer than the inline key, and shorter ones, order as their full text") {
  // Fractional seconds run past 24 bytes; a time that is a prefix of another comes first.
  std::vector<World::StoredEvent> events = {
      Stored("frac-2", "2026-01-01T00:00:05.123456789Z"), Stored("plain", "2026-01-01T00:00:05Z"),
      Stored("frac-1", "2026-01-01T00:00:05.123456788Z"), Stored("frac-2b", "2026-01-01T00:00:05.123456789Z"),
      Stored("short", "2026"), Stored("empty", "")};
  World::SortByTime(&events);
  CHECK(Names(events) == std::vector<std::string>{"empty", "short", "frac-1", "frac-2", "frac-2b", "plain"});
}

TEST_CASE("the order is std::stable_sort's by lastTimestamp over random times") {
  std::mt19937 rng(11);
  const std::vector<std::string> times = {"2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2026-01-01T00:01:00Z",
                                          "2026-01-01T00:00:01.5Z", "2026-01-01T00:00:01.25Z", "2025-12-31T23:59:59Z"};
  std::vector<World::StoredEvent> events;
  for (int i = 0; i < 500; ++i) events.push_back(Stored("e" + std::to_string(i), times[rng() % times.size()]));
  std::vector<World::StoredEvent> expected = events;
  std::stable_sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) {
    return a.event->last_timestamp < b.event->last_timestamp;
  });
  World::SortByTime(&events);
  CHECK(Names(events) == Names(expected));
}

TEST_CASE("the world's sorted Events are kept until the API server's next write, then taken again") {
  LoadResult loaded = LoadScenarioText("name: events\nsteps: []\n", "events.yaml");
  REQUIRE(loaded.ok());
  World world(loaded.scenario);
  REQUIRE(world.Setup(/*start_controller=*/false).ok());
  k8s::FakeApiServer& api = world.api();
  model::k8s::Namespace ns;
  ns.metadata.name = "default";
  auto names = [&] {
    std::vector<std::string> out;
    for (const auto& s : world.SortedEvents()) out.push_back(s.name + " x" + std::to_string(s.event->count));
    return out;
  };
  api.RecordEvent(ns, "Normal", "One", "first", "test");
  const World::StoredEvent* first = world.SortedEvents().data();
  REQUIRE(world.SortedEvents().size() == 1);
  CHECK(world.SortedEvents().data() == first);  // no write since: the list is not taken again
  const std::string one = first->name;
  api.RecordEvent(ns, "Normal", "Two", "second", "test");
  api.RecordEvent(ns, "Normal", "One", "first", "test");  // repeated: count 2 on the same Event
  const std::vector<std::string> after = names();  // taken again: both, the first one counted twice
  REQUIRE(after.size() == 2);
  CHECK(after[0] == one + " x2");  // same time: List order, and its name sorts first
  CHECK(after[1] != one + " x1");
  CHECK(after[1].substr(after[1].size() - 3) == " x1");
  // Records match the list (which they take over: asked for again, it is whole), and a filter
  // keeps what it accepts.
  const auto records = world.Events();
  REQUIRE(records.size() == 2);
  REQUIRE(world.SortedEvents().size() == 2);
  CHECK(records[0].name == one);
  CHECK(world.SortedEvents()[0].name == one);
  CHECK(records[1].name == world.SortedEvents()[1].name);
  CHECK_FALSE(records[1].name.empty());
  const auto repeated = world.Events([](const std::string&, int count) { return count > 1; });
  REQUIRE(repeated.size() == 1);
  CHECK(repeated[0].name == one);
  CHECK(repeated[0].count == 2);
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::scenario
