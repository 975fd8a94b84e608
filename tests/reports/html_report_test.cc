#include "reports/html_report.h"

#include <string>

#include <doctest/doctest.h>

#include "tests/reports/fixtures.h"

namespace sim::reports {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + what.size())) ++n;
  return n;
}

TEST_SUITE("reports.html") {
TEST_CASE("the page holds the scenario, the timeline, calls, events, graph, traces and expectations") {
  scenario::RunRecord rec = testing::SampleRecord();
  HtmlOptions opts;
  opts.scenario_source = "name: web-sample\nsteps: []  # <b>not bold</b>\n";
  std::string html = RenderHtml(rec, opts);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<title>albtwin: web-sample</title>") != std::string::npos);
  CHECK(html.find("One Ingress &lt;web&gt; &amp; two paths") != std::string::npos);
  CHECK(html.find("class=\"verdict pass\">PASSED") != std::string::npos);
  CHECK(html.find("Step 2 · settle") != std::string::npos);
  CHECK(html.find("+ load balancer k8s-default-web-1111111111") != std::string::npos);
  CHECK(html.find("CreateLoadBalancer") != std::string::npos);
  CHECK(html.find("Throttling: Rate exceeded") != std::string::npos);
  CHECK(html.find("SuccessfullyReconciled") != std::string::npos);
  CHECK(html.find("lb default/web scheme = &quot;internet-facing&quot;") != std::string::npos);
  CHECK(html.find("GET http://k8s-default-web-1111111111-123.us-west-2.elb.amazonaws.com/api/users") != std::string::npos);
  CHECK(html.find("stopped at <b>listener</b>") != std::string::npos);
  CHECK(html.find("# &lt;b&gt;not bold&lt;/b&gt;") != std::string::npos);
  SUBCASE("graphs are inline SVG: the final state, the step that changed AWS, and one per request") {
    CHECK(Count(html, "<svg") == 4);
    CHECK(html.find("<?xml") == std::string::npos);
    CHECK(html.find("id=\"final-graph\"") != std::string::npos);
  }
  SUBCASE("self-contained: nothing is loaded from elsewhere") {
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    CHECK(html.find("href=\"http") == std::string::npos);
    CHECK(html.find("url(") == std::string::npos);
  }
  SUBCASE("the controller's work is numbered as its diagram numbers it") {
    CHECK(html.find("title=\"controller step 1\">1</span>applied Ingress default/web") != std::string::npos);
    CHECK(html.find("title=\"controller step 2\">2</span>+ load balancer") != std::string::npos);
    CHECK(html.find("title=\"controller step 3\">3</span>+ target group k8s-default-api") != std::string::npos);
    CHECK(html.find("title=\"controller step 4\">4</span>+ listener") != std::string::npos);
    CHECK(html.find("title=\"controller step 5\">5</span>+ rule") != std::string::npos);
  }
}

TEST_CASE("failed expectations and steps are marked") {
  std::string html = RenderHtml(testing::SampleRecord(/*pass=*/false));
  CHECK(html.find("class=\"verdict fail\">FAILED") != std::string::npos);
  CHECK(html.find("1 of 2 expectation(s) failed") != std::string::npos);
  CHECK(html.find("class=\"bad\">FAIL") != std::string::npos);
  CHECK(html.find("class=\"step fail\" id=\"step-3\"") != std::string::npos);
  CHECK(html.find("expected &quot;internal&quot;, found &quot;internet-facing&quot;") != std::string::npos);
}

TEST_CASE("a run that did not load shows the error only") {
  scenario::RunRecord rec;
  rec.file = "bad.yaml";
  rec.fatal_error = "bad.yaml:3:1: unknown key \"stpes\" (did you mean \"steps\"?)";
  rec.exit_code = 2;
  rec.passed = false;
  std::string html = RenderHtml(rec);
  CHECK(html.find("ERROR") != std::string::npos);
  CHECK(html.find("unknown key &quot;stpes&quot;") != std::string::npos);
  CHECK(html.find("<svg") == std::string::npos);
  CHECK(html.find("</html>") != std::string::npos);
}

TEST_CASE("without graphs the page says where they would be") {
  HtmlOptions opts;
  opts.graphs = false;
  std::string html = RenderHtml(testing::SampleRecord(), opts);
  CHECK(html.find("<svg") == std::string::npos);
  CHECK(html.find("graph not drawn") != std::string::npos);
}

TEST_CASE("controller step numbers") {
  CHECK(ControllerStepOfNote("+ load balancer x") == 2);
  CHECK(ControllerStepOfNote("+ target group x") == 3);
  CHECK(ControllerStepOfNote("+ listener x") == 4);
  CHECK(ControllerStepOfNote("+ rule x") == 5);
  CHECK(ControllerStepOfNote("- rule x") == 0);
  CHECK(ControllerStepOfNote("+ target x <- i-1:80") == 0);
  CHECK(ControllerStepOfCall("CreateRule") == 5);
  CHECK(ControllerStepOfCall("ModifyRule") == 0);
  CHECK(HtmlEscape("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
}
}

}  // namespace
}  // namespace sim::reports
