#include "sim/scenario/plan.h"

#include <string>

#include <doctest/doctest.h>

#include "sim/scenario/loader.h"

namespace sim::scenario {
namespace {

std::string AllErrors(const LoadResult& r) {
  std::string s;
  for (const auto& e : r.errors) s += e + "\n";
  return s;
}

TEST_SUITE("scenario.plan") {
TEST_CASE("the plan of hello-ingress is one group default/hello with its ALB and both target groups, AWS untouched") {
  auto loaded = LoadScenarioFile(std::string(ALBTWIN_SOURCE_DIR) + "/scenarios/hello-ingress.yaml");
  REQUIRE_MESSAGE(loaded.ok(), AllErrors(loaded));
  auto plan = PlanScenario(loaded.scenario);
  REQUIRE_MESSAGE(plan.ok(), plan.error().message);
  const PlanResult& p = plan.value();
  REQUIRE(p.groups.size() == 1);
  CHECK(p.groups[0].group_id == "default/hello");
  REQUIRE_MESSAGE(p.groups[0].ok, p.groups[0].error);
  const std::string& json = p.groups[0].stack_json;
  CHECK(json.rfind("{\"id\":\"default/hello\"", 0) == 0);
  CHECK(json.find("\"name\":\"k8s-default-hello-") != std::string::npos);
  CHECK(json.find("\"default/hello-api:http\"") != std::string::npos);
  CHECK(json.find("\"default/hello-web:80\"") != std::string::npos);
  CHECK(p.all_ok());
  // The model builder only reads: subnets, security groups, existing LBs; nothing is created.
  CHECK(!p.aws_calls.empty());
  CHECK(p.mutating_calls == 0);
  for (const auto& c : p.aws_calls) CHECK_MESSAGE(c.find(":Create") == std::string::npos, c);

  const std::string text = RenderPlanText(p);
  CHECK(text.rfind("# group default/hello\n{", 0) == 0);
  const std::string as_json = RenderPlanJson(p);
  CHECK(as_json.rfind("{\"default/hello\":{\"id\":\"default/hello\"", 0) == 0);
}

TEST_CASE("an invalid annotation value fails the group's plan with upstream's error text") {
  auto loaded = LoadScenarioFile(std::string(ALBTWIN_SOURCE_DIR) + "/scenarios/model-error.yaml");
  REQUIRE_MESSAGE(loaded.ok(), AllErrors(loaded));
  auto plan = PlanScenario(loaded.scenario);
  REQUIRE_MESSAGE(plan.ok(), plan.error().message);
  REQUIRE(plan.value().groups.size() == 1);
  const GroupPlan& g = plan.value().groups[0];
  CHECK(g.group_id == "default/bad-scheme");
  CHECK(!g.ok);
  CHECK(g.error.find("unknown scheme: public") != std::string::npos);
  CHECK(!plan.value().all_ok());
  CHECK(RenderPlanText(plan.value()).rfind("FAILED default/bad-scheme: ", 0) == 0);
  CHECK(plan.value().mutating_calls == 0);
}

TEST_CASE("an Ingress of another class is skipped with a note and forms no group") {
  const std::string text = R"(name: other-class
objects:
  - inline: |
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: nginx-one, namespace: default}
      spec:
        ingressClassName: nginx
        defaultBackend: {service: {name: web, port: {number: 80}}}
steps:
  - settle: {}
)";
  auto loaded = LoadScenarioText(text, "other-class.yaml");
  REQUIRE_MESSAGE(loaded.ok(), AllErrors(loaded));
  auto plan = PlanScenario(loaded.scenario);
  REQUIRE_MESSAGE(plan.ok(), plan.error().message);
  CHECK(plan.value().groups.empty());
  REQUIRE(plan.value().notes.size() == 1);
  CHECK(plan.value().notes[0].find("Ingress default/nginx-one: skipped") == 0);
}

TEST_CASE("only Describe, List and Get operations count as read-only") {
  CHECK(!IsMutatingAwsCall("DescribeSubnets"));
  CHECK(!IsMutatingAwsCall("ListTagsForResource"));
  CHECK(!IsMutatingAwsCall("GetSecurityGroupsForVpc"));
  CHECK(IsMutatingAwsCall("CreateSecurityGroup"));
  CHECK(IsMutatingAwsCall("AddTags"));
}
}

}  // namespace
}  // namespace sim::scenario
