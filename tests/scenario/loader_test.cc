#include "sim/scenario/loader.h"

#include <string>

#include <doctest/doctest.h>

#include "sim/base/match.h"
#include "sim/scenario/runner.h"

namespace sim::scenario {
namespace {

bool HasError(const LoadResult& r, const std::string& needle) {
  for (const auto& e : r.errors) {
    if (e.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string AllErrors(const LoadResult& r) {
  std::string s;
  for (const auto& e : r.errors) s += e + "\n";
  return s;
}

TEST_SUITE("scenario.loader") {
TEST_CASE("the smallest scenario loads with a default world of 3 AZs, 6 subnets and 3 nodes") {
  auto r = LoadScenarioText("name: tiny\nsteps:\n  - settle: {}\n", "tiny.yaml");
  REQUIRE_MESSAGE(r.ok(), AllErrors(r));
  const auto& w = r.scenario.world;
  CHECK(w.region == "us-west-2");
  CHECK(w.cluster_name == "demo");
  REQUIRE(w.subnets.size() == 6);
  CHECK(w.subnets[0].id == "subnet-pub-a");
  CHECK(w.subnets[0].cidr == "10.0.0.0/20");
  CHECK(w.subnets[0].tags.at("kubernetes.io/role/elb") == "1");
  CHECK(w.subnets[3].id == "subnet-priv-a");
  CHECK(w.subnets[3].cidr == "10.0.64.0/20");
  CHECK(w.subnets[3].tags.at("kubernetes.io/role/internal-elb") == "1");
  REQUIRE(w.nodes.size() == 3);
  CHECK(w.nodes[0].ip == "10.0.64.10");
  CHECK(w.nodes[0].name == "ip-10-0-64-10.us-west-2.compute.internal");
  CHECK(w.nodes[0].subnet_id == "subnet-priv-a");
  CHECK(w.nodes[2].az == "us-west-2c");
  CHECK(r.scenario.controller.sync_period == SimTime(36'000'000));
  CHECK(r.scenario.steps.size() == 1);
}

TEST_CASE("world.maxPodsPerNode is every node's kubelet --max-pods: more pods stay Pending") {
  const std::string text = R"(name: t
world:
  maxPodsPerNode: 1
  nodes: [{az: us-west-2a, ip: 10.0.64.10}]
objects:
  - inline: |
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: default}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: app, image: nginx}]}
steps:
  - settle: {}
)";
  auto r = LoadScenarioText(text, "t.yaml");
  REQUIRE(r.ok());
  CHECK(r.scenario.world.max_pods_per_node == 1);
  RunOptions options;
  options.step_snapshots = false;
  options.final_snapshot = false;
  RunRecord rec = RunScenario(r.scenario, options);
  int too_many = 0;
  for (const auto& e : rec.events) {
    if (e.reason == "FailedScheduling" && e.message.find("1 Too many pods") != std::string::npos) ++too_many;
  }
  CHECK(too_many == 1);  // one of the two replicas fits on the only node

  auto bad = LoadScenarioText("name: t\nworld: {maxPodsPerNode: 0}\nsteps: []\n", "t.yaml");
  CHECK(HasError(bad, "world.maxPodsPerNode"));
  auto huge = LoadScenarioText("name: t\nworld: {maxPodsPerNode: 1000000}\nsteps: []\n", "t.yaml");
  CHECK(HasError(huge, "t.yaml:2:25: world.maxPodsPerNode must be at most 100000, got 1000000"));
}

TEST_CASE("an unknown key is an error at its line and column with the nearest key suggested") {
  auto r = LoadScenarioText("name: t\nsteps:\n  - expect:\n      loadBalancer: 1\n", "t.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(HasError(r, "t.yaml:4:7: unknown key \"loadBalancer\" in expect (did you mean \"loadBalancers\"?)"));
}

TEST_CASE("a misspelt step kind is rejected with a suggestion") {
  auto r = LoadScenarioText("name: t\nsteps:\n  - setle: {}\n", "t.yaml");
  CHECK(HasError(r, "t.yaml:3:5: unknown step \"setle\" (did you mean \"settle\"?)"));
}

TEST_CASE("missing name and bad values are reported, not ignored") {
  SUBCASE("no name") {
    auto r = LoadScenarioText("steps: []\n", "t.yaml");
    CHECK(HasError(r, "missing required key \"name\""));
  }
  SUBCASE("bad name") {
    auto r = LoadScenarioText("name: Hello World\nsteps: []\n", "t.yaml");
    CHECK(HasError(r, "t.yaml:1:7: name must match [a-z0-9-]+"));
  }
  SUBCASE("bad duration") {
    auto r = LoadScenarioText("name: t\nsteps:\n  - advance: ten minutes\n", "t.yaml");
    CHECK(HasError(r, "t.yaml:3:14: advance must be a duration"));
  }
  SUBCASE("bad target type flag") {
    auto r = LoadScenarioText("name: t\ncontroller: {defaultTargetType: pod}\nsteps: []\n", "t.yaml");
    CHECK(HasError(r, "controller.defaultTargetType must be instance or ip"));
  }
  SUBCASE("a tracking tag in default tags is a startup error as upstream") {
    auto r = LoadScenarioText("name: t\ncontroller: {defaultTags: {ingress.k8s.aws/stack: x}}\nsteps: []\n", "t.yaml");
    CHECK(HasError(r, "tag key ingress.k8s.aws/stack cannot be specified in default-tags flag"));
  }
  SUBCASE("a feature gate that does not exist") {
    auto r = LoadScenarioText("name: t\ncontroller: {featureGates: {ListenerRuleTagging: false}}\nsteps: []\n", "t.yaml");
    CHECK(HasError(r, "did you mean \"ListenerRulesTagging\"?"));
  }
  SUBCASE("a step with two kinds") {
    auto r = LoadScenarioText("name: t\nsteps:\n  - settle: {}\n    advance: 1m\n", "t.yaml");
    CHECK(HasError(r, "a step must be a mapping with exactly one of"));
  }
  SUBCASE("a node IP outside its zone's subnets") {
    auto r = LoadScenarioText("name: t\nworld:\n  nodes:\n    - {az: us-west-2a, ip: 10.0.200.1}\nsteps: []\n", "t.yaml");
    CHECK(HasError(r, "node IP 10.0.200.1 is in no subnet of availability zone us-west-2a"));
  }
  SUBCASE("apply needs exactly one source") {
    auto r = LoadScenarioText("name: t\nsteps:\n  - apply: {}\n", "t.yaml");
    CHECK(HasError(r, "apply needs exactly one of \"file\" or \"inline\""));
  }
  SUBCASE("an AWS operation that does not exist") {
    auto r = LoadScenarioText("name: t\nsteps:\n  - aws: {call: DeleteRul}\n", "t.yaml");
    CHECK(HasError(r, "t.yaml:3:17: unknown AWS operation \"DeleteRul\""));
    CHECK(HasError(r, "(did you mean \"DeleteRule\"?)"));
  }
  SUBCASE("a manifest file that does not exist") {
    auto r = LoadScenarioText("name: t\nsteps:\n  - apply: {file: nope.yaml}\n", "/tmp/t.yaml");
    CHECK(HasError(r, "cannot read manifest file /tmp/nope.yaml"));
  }
}

TEST_CASE("inline manifests are decoded at load time and their errors point into the scenario file") {
  const std::string text =
      "name: t\n"
      "steps:\n"
      "  - apply:\n"
      "      inline: |\n"
      "        apiVersion: v1\n"
      "        kind: Service\n"
      "        metadata: {name: web}\n"
      "        spec:\n"
      "          prots: []\n";
  auto r = LoadScenarioText(text, "s.yaml");
  REQUIRE_FALSE(r.ok());
  // The unknown field sits on line 9 of the scenario file.
  CHECK_MESSAGE(HasError(r, "s.yaml:9:"), AllErrors(r));
  CHECK(HasError(r, "unknown field \"spec.prots\""));
}

TEST_CASE("expectations and request steps parse into typed checks") {
  const std::string text =
      "name: t\n"
      "steps:\n"
      "  - request:\n"
      "      url: http://${ingress:default/web}/api\n"
      "      headers: {Host: a.example.com}\n"
      "      count: 10\n"
      "      expect: {status: 200, service: default/api, rulePriority: 1}\n"
      "  - expect:\n"
      "      loadBalancers: 1\n"
      "      lb: {default/web: {scheme: internet-facing, tags: {team: a}}}\n"
      "      ingress: {default/web: {finalizers: [ingress.k8s.aws/resources]}}\n"
      "      events: [{object: Ingress/default/web, reason: SuccessfullyReconciled}]\n"
      "      apiCalls: {CreateLoadBalancer: 1}\n"
      "      targets: {default/api:80: {count: 3}}\n";
  auto r = LoadScenarioText(text, "t.yaml");
  REQUIRE_MESSAGE(r.ok(), AllErrors(r));
  REQUIRE(r.scenario.steps.size() == 2);
  const Step& req = r.scenario.steps[0];
  CHECK(req.kind == StepKind::kRequest);
  CHECK(req.count == 10);
  CHECK(req.headers.at("Host") == "a.example.com");
  REQUIRE(req.request_expect);
  CHECK(*req.request_expect->status == 200);
  CHECK(*req.request_expect->rule_priority == 1);
  const Expectation& ex = r.scenario.steps[1].expect;
  CHECK(*ex.load_balancers == 1);
  CHECK(*ex.lb.at("default/web").scheme == "internet-facing");
  CHECK(ex.lb.at("default/web").tags.at("team") == "a");
  CHECK(ex.ingress.at("default/web").finalizers->at(0) == "ingress.k8s.aws/resources");
  CHECK(*ex.events.at(0).reason == "SuccessfullyReconciled");
  CHECK(ex.api_calls.at("CreateLoadBalancer").first == 1);
  CHECK(*ex.targets.at("default/api:80").count == 3);
}

TEST_CASE("aws args keep their types as JSON") {
  auto r = LoadScenarioText(
      "name: t\nsteps:\n  - aws: {call: DeleteRule, args: {RuleArn: \"${rule:default/web:1}\", Force: true, N: 3}}\n",
      "t.yaml");
  REQUIRE_MESSAGE(r.ok(), AllErrors(r));
  CHECK(r.scenario.steps[0].aws_args_json == R"({"Force":true,"N":3,"RuleArn":"${rule:default/web:1}"})");
  CHECK(r.scenario.steps[0].aws_as == "console");
}
}

TEST_SUITE("scenario.glob") {
TEST_CASE("globs match * as any run and ? as one character") {
  CHECK(GlobMatch("*.elb.amazonaws.com", "k8s-a-b.us-west-2.elb.amazonaws.com"));
  CHECK(GlobMatch("api-?", "api-1"));
  CHECK_FALSE(GlobMatch("api-?", "api-12"));
  CHECK(GlobMatch("*", ""));
  CHECK_FALSE(GlobMatch("a*c", "abd"));
  CHECK(GlobMatch("a*b*c", "axxbyyc"));
}
TEST_CASE("the nearest key is offered only when it is close") {
  CHECK(NearestKey("setle", {"settle", "advance"}) == "settle");
  CHECK(NearestKey("zzzzzzzz", {"settle", "advance"}) == "");
}
}

}  // namespace
}  // namespace sim::scenario
