#include "sim/base/clock.h"

#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sim/base/crypto.h"
#include "sim/base/rng.h"
#include "sim/base/status.h"

namespace sim {
namespace {

TEST_SUITE("base.clock") {
TEST_CASE("events fire in time order and ties keep insertion order") {
  SimClock clock;
  EventQueue queue(clock);
  std::vector<std::string> fired;
  queue.ScheduleAt(SimTime(200), [&] { fired.push_back("b@200"); });
  queue.ScheduleAt(SimTime(100), [&] { fired.push_back("a@100"); });
  queue.ScheduleAt(SimTime(200), [&] { fired.push_back("c@200"); });
  while (queue.RunNext()) {
  }
  CHECK(fired == std::vector<std::string>{"a@100", "b@200", "c@200"});
  CHECK(clock.Now() == SimTime(200));
}

TEST_CASE("an event scheduled by an event runs after the current one, never in the past") {
  SimClock clock;
  EventQueue queue(clock);
  std::vector<SimTime> times;
  queue.ScheduleAt(SimTime(50), [&] {
    queue.ScheduleAt(SimTime(10), [&] { times.push_back(clock.Now()); });
  });
  while (queue.RunNext()) {
  }
  REQUIRE(times.size() == 1);
  CHECK(times[0] == SimTime(50));
}

TEST_CASE("cancelled events do not fire and background events are not pending work") {
  SimClock clock;
  EventQueue queue(clock);
  int fired = 0;
  auto h = queue.ScheduleAfter(SimTime(5), [&] { ++fired; });
  queue.ScheduleAfter(SimTime(10), [&] { ++fired; }, /*background=*/true);
  CHECK(queue.pending_work() == 1);
  queue.Cancel(h);
  CHECK(queue.pending_work() == 0);
  queue.RunUntil(SimTime(100));
  CHECK(fired == 1);
  CHECK(clock.Now() == SimTime(100));
}

TEST_CASE("a stale handle cancels nothing, and cancelled events deep in the queue never fire") {
  SimClock clock;
  EventQueue queue(clock);
  std::vector<std::string> fired;
  auto first = queue.ScheduleAt(SimTime(10), [&] { fired.push_back("first"); });
  REQUIRE(queue.RunNext());
  // The fired event's slot is reused by the next one: its old handle must not reach it.
  queue.ScheduleAt(SimTime(20), [&] { fired.push_back("second"); });
  queue.Cancel(first);
  CHECK(queue.size() == 1);
  auto deep = queue.ScheduleAt(SimTime(40), [&] { fired.push_back("deep"); });
  queue.ScheduleAt(SimTime(30), [&] { fired.push_back("third"); });
  queue.ScheduleAt(SimTime(50), [&] { fired.push_back("last"); });
  queue.Cancel(deep);
  queue.Cancel(deep);  // twice: still one event gone
  CHECK(queue.size() == 3);
  CHECK(queue.pending_work() == 3);
  while (queue.RunNext()) {
  }
  CHECK(fired == std::vector<std::string>{"first", "second", "third", "last"});
  CHECK(queue.empty());
}

TEST_CASE("random schedules and cancels fire as a (time, insertion order) multimap would") {
  SimClock clock;
  EventQueue queue(clock);
  Rng rng(7);
  std::map<std::pair<int64_t, int>, int> model;  // (time, insertion number) -> id
  std::map<int, std::pair<EventQueue::Handle, std::pair<int64_t, int>>> handles;
  std::vector<EventQueue::Handle> gone;  // handles of events that fired or were cancelled
  std::vector<int> fired, expected;
  int next_id = 0;
  for (int round = 0; round < 2000; ++round) {
    const uint64_t op = rng.Uniform(10);
    if (op < 6) {
      const int id = next_id++;
      const int64_t at = clock.Now().count() + static_cast<int64_t>(rng.Uniform(50));
      auto h = queue.ScheduleAt(SimTime(at), [&fired, id] { fired.push_back(id); });
      model[{at, id}] = id;
      handles[id] = {h, {at, id}};
    } else if (op < 8 && !handles.empty()) {
      auto it = handles.begin();
      std::advance(it, static_cast<long>(rng.Uniform(handles.size())));
      queue.Cancel(it->second.first);
      model.erase(it->second.second);
      gone.push_back(it->second.first);
      handles.erase(it);
    } else if (op < 9 && !gone.empty()) {
      queue.Cancel(gone[rng.Uniform(gone.size())]);  // stale: must not cancel anything
    } else if (!model.empty()) {
      auto next = model.begin();
      expected.push_back(next->second);
      gone.push_back(handles.at(next->second).first);
      handles.erase(next->second);
      model.erase(next);
      REQUIRE(queue.RunNext());
    }
    REQUIRE(queue.size() == model.size());
    if (!model.empty()) REQUIRE(queue.NextTime().count() == model.begin()->first.first);
  }
  while (!model.empty()) {
    expected.push_back(model.begin()->second);
    model.erase(model.begin());
    REQUIRE(queue.RunNext());
  }
  CHECK_FALSE(queue.RunNext());
  CHECK(fired == expected);
}

TEST_CASE("durations parse as Go's time.ParseDuration does for the units scenarios use") {
  SimTime t;
  REQUIRE(ParseDuration("10h", &t));
  CHECK(t == SimTime(36'000'000));
  REQUIRE(ParseDuration("10h0m0s", &t));
  CHECK(t == SimTime(36'000'000));
  REQUIRE(ParseDuration("1m30s", &t));
  CHECK(t == SimTime(90'000));
  REQUIRE(ParseDuration("250ms", &t));
  CHECK(t == SimTime(250));
  CHECK_FALSE(ParseDuration("10", &t));
  CHECK_FALSE(ParseDuration("5 minutes", &t));
  CHECK_FALSE(ParseDuration("", &t));
}

TEST_CASE("timestamps are RFC 3339 UTC with second precision from the sim epoch") {
  CHECK(FormatRfc3339(SimTime(0)) == "2026-01-01T00:00:00Z");
  CHECK(FormatRfc3339(SimTime(3'723'999)) == "2026-01-01T01:02:03Z");
  CHECK(FormatSeconds(SimTime(12'500)) == "12.500s");
}
}

TEST_SUITE("base.crypto") {
TEST_CASE("SHA-256 matches the published test vector") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
TEST_CASE("base64 encodes with padding") {
  CHECK(Base64Encode("hello") == "aGVsbG8=");
  CHECK(Base64Encode("") == "");
}
}

TEST_SUITE("base.rng") {
TEST_CASE("the same seed gives the same sequence and bounded draws stay in range") {
  Rng a(42), b(42), c(43);
  uint64_t a1 = a.Next();
  CHECK(a1 == b.Next());
  CHECK(a1 != c.Next());
  for (int i = 0; i < 1000; ++i) CHECK(a.Uniform(7) < 7);
  CHECK(a.Hex(16).size() == 16);
}
}

TEST_SUITE("base.status") {
TEST_CASE("Wrap prefixes the message pkg/errors style and keeps the code") {
  Error e = MakeError(ErrorCode::kNotFound, "inner", "TargetGroupNotFound");
  Error w = Wrap(e, "outer");
  CHECK(w.message == "outer: inner");
  CHECK(w.aws_code == "TargetGroupNotFound");
  Result<int> r = w;
  CHECK_FALSE(r.ok());
  CHECK(r.status().ToString() == "TargetGroupNotFound: outer: inner");
}
}

}  // namespace
}  // namespace sim
