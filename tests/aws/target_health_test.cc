// Target health on the simulated clock (sim/aws/target_health.h).
#include <doctest/doctest.h>

#include "sim/aws/target_health.h"

namespace sim::aws {
namespace {

namespace m = model::aws;

m::TargetGroup Tg(int interval, int healthy, int unhealthy) {
  m::TargetGroup tg;
  tg.target_group_arn = "arn:tg/x";
  tg.target_type = "ip";
  tg.health_check_interval_seconds = interval;
  tg.healthy_threshold_count = healthy;
  tg.unhealthy_threshold_count = unhealthy;
  return tg;
}

SimTime S(int64_t s) { return SimTime{s * 1000}; }

TEST_SUITE("aws.target_health") {

TEST_CASE("a health history keeps its entries in order across the inline part and the spill") {
  HealthHistory h;
  CHECK(h.empty());
  for (uint32_t i = 0; i < 5; ++i) {
    h.push_back(HealthHistoryEntry{S(i), 10 + i});
    REQUIRE(h.size() == i + 1);
    CHECK(h.back().answer == 10 + i);
    h.back().answer = 20 + i;  // the latest entry is the one changed in place
  }
  const HealthHistory copy = h;
  for (uint32_t i = 0; i < 5; ++i) {
    CHECK(copy[i].since == S(i));
    CHECK(copy[i].answer == 20 + i);
  }
  HealthHistory moved_from = copy;
  HealthHistory moved = std::move(moved_from);
  CHECK(moved.size() == 5);
  CHECK(moved.back().answer == 24);
  CHECK(moved_from.empty());  // NOLINT(bugprone-use-after-move): a moved-from history is empty
  moved_from = std::move(moved);
  CHECK(moved_from.size() == 5);
  CHECK(moved_from[4].answer == 24);
  CHECK(moved.empty());  // NOLINT(bugprone-use-after-move)
  const HealthHistory listed = {HealthHistoryEntry{S(0), 0}};
  CHECK(listed.size() == 1);
  CHECK(listed.back().answer == 0);
}

TEST_CASE("a passing target is initial, then healthy after the healthy threshold of checks") {
  TargetHealthEngine e;
  HealthHistory k;  // the target's recorded answers
  HealthProbeAnswer answer;
  e.SetProbe([&](const m::TargetGroup&, const m::TargetDescription&, uint32_t*) { return &answer; });
  const m::TargetGroup tg = Tg(15, 2, 2);
  const m::TargetDescription t{"10.0.1.1", 80, std::nullopt};
  CHECK(e.Evaluate(k, tg, t, S(0), S(0)).reason == "Elb.RegistrationInProgress");
  CHECK(e.Evaluate(k, tg, t, S(0), S(15)).reason == "Elb.InitialHealthChecking");
  CHECK(e.NextTransition(k, tg, S(0), S(15)) == S(30));
  CHECK(e.Evaluate(k, tg, t, S(0), S(29)).state == "initial");
  CHECK(e.Evaluate(k, tg, t, S(0), S(30)).state == "healthy");
  CHECK_FALSE(e.NextTransition(k, tg, S(0), S(30)).has_value());
}

TEST_CASE("a failing health path turns a healthy target unhealthy after the unhealthy threshold, then back") {
  TargetHealthEngine e;
  HealthHistory k;  // the target's recorded answers
  HealthProbeAnswer answer;
  e.SetProbe([&](const m::TargetGroup&, const m::TargetDescription&, uint32_t*) { return &answer; });
  const m::TargetGroup tg = Tg(10, 3, 2);
  const m::TargetDescription t{"10.0.1.1", 80, std::nullopt};
  CHECK(e.Evaluate(k, tg, t, S(0), S(30)).state == "healthy");
  answer = HealthProbeAnswer{false, "Target.ResponseCodeMismatch", "Health checks failed with these codes: [500]"};
  e.Observe(k, tg, t, S(35));
  CHECK(e.Evaluate(k, tg, t, S(0), S(40)).state == "healthy");  // one failure (at 40) is not enough
  m::TargetHealth h = e.Evaluate(k, tg, t, S(0), S(50));
  CHECK(h.state == "unhealthy");
  CHECK(h.reason == "Target.ResponseCodeMismatch");
  CHECK(h.description == "Health checks failed with these codes: [500]");
  answer = HealthProbeAnswer{};
  e.Observe(k, tg, t, S(52));
  CHECK(e.NextTransition(k, tg, S(0), S(52)) == S(80));  // passes at 60, 70, 80
  CHECK(e.Evaluate(k, tg, t, S(0), S(79)).state == "unhealthy");
  CHECK(e.Evaluate(k, tg, t, S(0), S(80)).state == "healthy");
}

TEST_CASE("a target that never answers goes from initial to unhealthy with Target.Timeout") {
  TargetHealthEngine e;
  HealthHistory k;  // the target's recorded answers
  const HealthProbeAnswer timeout{false, "Target.Timeout", "Request timed out"};
  e.SetProbe([&](const m::TargetGroup&, const m::TargetDescription&, uint32_t*) { return &timeout; });
  const m::TargetGroup tg = Tg(5, 5, 2);
  const m::TargetDescription t{"10.0.1.1", 80, std::nullopt};
  CHECK(e.Evaluate(k, tg, t, S(100), S(105)).state == "initial");
  m::TargetHealth h = e.Evaluate(k, tg, t, S(100), S(110));
  CHECK(h.state == "unhealthy");
  CHECK(h.reason == "Target.Timeout");
}
}

}  // namespace
}  // namespace sim::aws

