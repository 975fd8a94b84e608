#include "sim/aws/quotas.h"

#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

namespace sim::aws {
namespace {

const std::string kQuotasFile = std::string(ALBTWIN_SOURCE_DIR) + "/models/aws/quotas.yaml";

TEST_SUITE("aws.quotas") {

TEST_CASE("models/aws/quotas.yaml and the compiled-in defaults agree, entry by entry") {
  std::ifstream probe(kQuotasFile);
  REQUIRE(probe.good());
  std::stringstream ss;
  ss << probe.rdbuf();
  auto table = ParseQuotaTableYaml(ss.str());
  REQUIRE_MESSAGE(table.ok(), table.error().ToString());
  std::vector<QuotaInfo> compiled = DescribeQuotas(Quotas{});
  REQUIRE(table->size() == compiled.size());
  for (size_t i = 0; i < compiled.size(); ++i) {
    CAPTURE(compiled[i].name);
    CHECK(table->at(i).name == compiled[i].name);
    CHECK(table->at(i).service == compiled[i].service);
    CHECK(table->at(i).value == compiled[i].value);
    CHECK(table->at(i).error_code == compiled[i].error_code);
  }
  auto loaded = LoadQuotasYaml(kQuotasFile);
  REQUIRE(loaded.ok());
  CHECK(loaded->rules_per_application_load_balancer == 100);
  CHECK(loaded->rules_per_security_group == 60);
}

TEST_CASE("a quota can be overridden by name; unknown names and negative values are errors") {
  Quotas q;
  REQUIRE(SetQuota(&q, "rules-per-application-load-balancer", 10).ok());
  CHECK(q.rules_per_application_load_balancer == 10);
  auto unknown = SetQuota(&q, "rules-per-alb", 10);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ErrorCode::kInvalidArgument);
  CHECK_FALSE(SetQuota(&q, "target-groups", -1).ok());
  auto parsed = ParseQuotasYaml("quotas:\n  - {name: target-groups, default: 7}\n");
  REQUIRE(parsed.ok());
  CHECK(parsed->target_groups == 7);
  CHECK(parsed->application_load_balancers == 50);
  CHECK_FALSE(ParseQuotasYaml("quotas: [").ok());
  CHECK(LoadQuotasYaml("/nonexistent/quotas.yaml").error().code == ErrorCode::kNotFound);
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::aws
