// World::SortByTime: the order of the run record's and the narration's Events.
#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "models/k8s/objects.h"
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

}  // TEST_SUITE
}  // namespace
}  // namespace sim::scenario
