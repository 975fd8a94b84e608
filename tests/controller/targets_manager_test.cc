// CachedTargetsManager::RecordSuccessfulRegisterTargetsOperation (upstream
// pkg/targetgroupbinding/targets_manager.go, recordSuccessfulRegisterTargetsOperation): after a
// successful RegisterTargets the cached list forgets the health of the targets it had and gains the
// ones it lacked. Upstream builds a Go map of the request, so a later duplicate wins; here the new
// targets keep the request's order (of their first appearance), which upstream's tests (the
// conformance cases) compare as a set.

#include "sim/controller/targets_manager.h"

#include <doctest/doctest.h>

#include "sim/k8s/fake_api_server.h"
#include "tests/aws/aws_test_world.h"

namespace sim::controller {
namespace {

namespace ma = model::aws;

ma::TargetDescription Target(const std::string& id, int port, std::optional<std::string> az = std::nullopt) {
  return ma::TargetDescription{id, port, std::move(az)};
}

std::shared_ptr<const ma::TargetHealth> Healthy() {
  return std::make_shared<const ma::TargetHealth>(ma::TargetHealth{ma::kTargetStateHealthy, "", ""});
}

struct World : aws::testing::TestWorld {
  k8s::FakeApiServer api{clock};
  DeployDeps deps{aws.elbv2(), aws.ec2(), api, clock, nullptr};
  CachedTargetsManager manager{deps};
  const std::string tg = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/k8s-web/0123456789abcdef";

  std::vector<TargetInfo> Cached() {
    auto snapshot = manager.CacheSnapshot();
    REQUIRE(snapshot.count(tg) == 1);
    return snapshot[tg];
  }
};

TEST_SUITE("controller.targets_manager") {

TEST_CASE("a recorded registration resets the cached targets' health and appends the new ones in request order") {
  World w;
  w.manager.SetCacheEntry(w.tg, {TargetInfo{Target("i-a", 80), Healthy()}, TargetInfo{Target("i-b", 80), Healthy()}});
  // i-c:80 twice (the later description wins, in the place of the first), i-a:80 cached, and
  // i-c on another port as a target of its own.
  w.manager.RecordSuccessfulRegisterTargetsOperation(
      w.tg, {Target("i-d", 81), Target("i-c", 80, "us-west-2a"), Target("i-a", 80), Target("i-c", 80, "us-west-2b"),
             Target("i-c", 81)});
  const std::vector<TargetInfo> want = {
      TargetInfo{Target("i-a", 80), nullptr},  // health forgotten
      TargetInfo{Target("i-b", 80), Healthy()},
      TargetInfo{Target("i-d", 81), nullptr},
      TargetInfo{Target("i-c", 80, "us-west-2b"), nullptr},
      TargetInfo{Target("i-c", 81), nullptr},
  };
  CHECK(w.Cached() == want);
}

TEST_CASE("a target cached twice has one cached entry reset; a TG not cached stays uncached") {
  World w;
  w.manager.SetCacheEntry(w.tg, {TargetInfo{Target("i-a", 80), Healthy()}, TargetInfo{Target("i-a", 80), Healthy()}});
  w.manager.RecordSuccessfulRegisterTargetsOperation(w.tg, {Target("i-a", 80)});
  CHECK(w.Cached() == std::vector<TargetInfo>{TargetInfo{Target("i-a", 80), nullptr}, TargetInfo{Target("i-a", 80), Healthy()}});

  w.manager.RecordSuccessfulRegisterTargetsOperation(w.tg + "0", {Target("i-a", 80)});
  CHECK(w.manager.CacheSnapshot().count(w.tg + "0") == 0);
}

}  // TEST_SUITE

}  // namespace
}  // namespace sim::controller
