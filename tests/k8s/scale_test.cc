#include <doctest/doctest.h>

#include "sim/k8s/builtin_controllers.h"
#include "sim/k8s/codec.h"

namespace sim::k8s {
namespace {

using namespace model::k8s;

TEST_SUITE("k8s.scale") {

TEST_CASE("a thousand pods behind twenty Services converge to ready EndpointSlices") {
  SimClock clock;
  EventQueue queue(clock);
  FakeApiServer api(clock);
  BuiltinControllers controllers(api, queue);
  for (int i = 0; i < 12; ++i) {
    Ec2NodeSpec spec;
    spec.az = std::string("us-west-2") + static_cast<char>('a' + i % 3);
    spec.ip = "10." + std::to_string(1 + i) + ".0.10";
    spec.region = "us-west-2";
    REQUIRE(controllers.AddEc2Node(spec, "10." + std::to_string(1 + i) + ".0.0/20").ok());
  }
  const int services = 20, replicas = 50;
  for (int i = 0; i < services; ++i) {
    const std::string n = "app" + std::to_string(i);
    auto objs = DecodeManifests("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + n +
                                    "}\nspec:\n  replicas: " + std::to_string(replicas) +
                                    "\n  selector: {matchLabels: {app: " + n + "}}\n  template:\n    metadata: {labels: {app: " +
                                    n + "}}\n    spec:\n      containers: [{name: app, image: nginx, ports: [{name: http, "
                                        "containerPort: 8080}]}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: " +
                                    n + "}\nspec: {type: NodePort, selector: {app: " + n +
                                    "}, ports: [{port: 80, targetPort: http}]}\n",
                                "scale.yaml");
    REQUIRE(objs.ok());
    for (const auto& o : objs.value()) REQUIRE(api.Apply(*o).ok());
  }
  int steps = 0;
  while (queue.RunNext()) REQUIRE(++steps < 200000);
  CHECK(api.Count(Kind::kPod) == static_cast<size_t>(services * replicas));
  for (const auto& p : List<Pod>(api)) REQUIRE(p->Ready());
  auto slices = List<EndpointSlice>(api);
  REQUIRE(slices.size() == static_cast<size_t>(services));
  for (const auto& s : slices) CHECK(s->endpoints.size() == static_cast<size_t>(replicas));
  // Pods of one Deployment are spread evenly over the three zones (17/17/16).
  std::map<std::string, int> per_zone;
  for (const auto& ep : slices[0]->endpoints) per_zone[ep.zone]++;
  REQUIRE(per_zone.size() == 3);
  for (const auto& [zone, n] : per_zone) CHECK((n == 16 || n == 17));
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::k8s
