#include "reports/text_report.h"

#include <string>

#include <doctest/doctest.h>

#include "tests/reports/fixtures.h"

namespace sim::reports {
namespace {

TEST_SUITE("reports.text") {
TEST_CASE("the text report narrates the steps, traces the requests and gives the verdict") {
  std::string text = RenderText(testing::SampleRecord());
  CHECK(text.rfind("albtwin: web-sample", 0) == 0);
  CHECK(text.find("[2] settle") != std::string::npos);
  CHECK(text.find("+ load balancer k8s-default-web-1111111111") != std::string::npos);
  CHECK(text.find("controller AWS calls: CreateListener×1 CreateLoadBalancer×2 CreateTargetGroup×1") != std::string::npos);
  CHECK(text.find("✗ listener") != std::string::npos);
  CHECK(text.find("load balancer k8s-default-web-1111111111 (internet-facing, active)") != std::string::npos);
  CHECK(text.find("PASSED: 2 expectation(s) held") != std::string::npos);
  CHECK(text.find("\033[") == std::string::npos);
}

TEST_CASE("colour only when asked for (the CLI asks only on a terminal)") {
  TextOptions o;
  o.color = true;
  std::string text = RenderText(testing::SampleRecord(false), o);
  CHECK(text.find("\033[31mFAILED\033[0m") != std::string::npos);
  CHECK(RenderTraceText(testing::ApiTrace(), o).find("\033[32m") != std::string::npos);
  CHECK(RenderTraceText(testing::ApiTrace()).find("\033[") == std::string::npos);
}

TEST_CASE("quiet gives the verdict and the failures only") {
  TextOptions q;
  q.quiet = true;
  std::string ok = RenderText(testing::SampleRecord(true), q);
  CHECK(ok == "albtwin: web-sample — One Ingress <web> & two paths\nscenarios/web-sample.yaml, seed 7\n\nPASSED: 2 expectation(s) held\n");
  std::string bad = RenderText(testing::SampleRecord(false), q);
  CHECK(bad.find("[3] expect") != std::string::npos);
  CHECK(bad.find("expected \"internal\", found \"internet-facing\"") != std::string::npos);
  CHECK(bad.find("[2] settle") == std::string::npos);
  CHECK(bad.find("AWS at") == std::string::npos);
  CHECK(bad.find("FAILED: 1 of 2 expectation(s) failed, 1 step(s) failed") != std::string::npos);
}
}

}  // namespace
}  // namespace sim::reports
