// `albtwin explain-iam` end to end: a lab scenario's run keeps its IAM denials, and the runner's
// inspect_aws hook hands them over before the world goes away.

#include <string>

#include <doctest/doctest.h>

#include "sim/aws/fake_aws.h"
#include "sim/aws/iam_denials.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/runner.h"

namespace sim::scenario {
namespace {

struct Explained {
  bool iam_on = false;
  aws::IamDenialReport report;
  RunRecord rec;
};

Explained Explain(const std::string& relative, const aws::IamDenialQuery& query = {}) {
  Explained out;
  auto loaded = LoadScenarioFile(std::string(ALBTWIN_SOURCE_DIR) + "/" + relative);
  REQUIRE(loaded.ok());
  RunOptions options;
  options.step_snapshots = false;
  options.final_snapshot = false;
  options.inspect_aws = [&](aws::FakeAws& fake) {
    if (fake.iam_authorizer() == nullptr) return;
    out.iam_on = true;
    out.report = aws::SelectIamDenials(fake.iam_authorizer()->denials(), query);
  };
  out.rec = RunScenario(loaded.scenario, options);
  return out;
}

}  // namespace

TEST_SUITE("scenario.explain_iam") {

TEST_CASE("the policy-without-AddTags lab is explained as one AddTags denial of CreateTargetGroup") {
  Explained e = Explain("scenarios/labs/policy-without-addtags.yaml");
  CHECK(e.rec.passed);
  REQUIRE(e.iam_on);
  REQUIRE(e.report.groups.size() == 1);
  const aws::IamDenialGroup& g = e.report.groups[0];
  CHECK(g.first.request.action == "elasticloadbalancing:AddTags");
  CHECK(g.first.request.api_call == "CreateTargetGroup");
  CHECK(g.call_numbers.size() == e.report.total_denials);
  // Every denied call is in the run's API call log as an AccessDenied CreateTargetGroup.
  for (size_t n : g.call_numbers) {
    REQUIRE(n >= 1);
    REQUIRE(n <= e.rec.api_calls.size());
    CHECK(std::string(e.rec.api_calls[n - 1].call) == "CreateTargetGroup");
    CHECK(e.rec.api_calls[n - 1].error_code == "AccessDenied");
  }
  const std::string text = aws::RenderIamDenials(e.report, e.rec.scenario);
  CHECK(text.find("(Sid RetagClusterLoadBalancersAndTargetGroups)] Allow: condition Null") != std::string::npos);
}

TEST_CASE("a scenario whose calls are all allowed has IAM on and no denial") {
  Explained e = Explain("scenarios/labs/policy-without-addtags-fixed.yaml");
  CHECK(e.rec.passed);
  CHECK(e.iam_on);
  CHECK(e.report.total_denials == 0);
  CHECK(e.report.groups.empty());
}
}

}  // namespace sim::scenario
