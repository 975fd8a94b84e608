#include "reports/suite.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "tests/reports/fixtures.h"

namespace sim::reports {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/albtwin-suite-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel) << text;
  }
};

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + what.size())) ++n;
  return n;
}

scenario::RunRecord BadRecord() {
  scenario::RunRecord r;
  r.file = "scenarios/broken.yaml";
  r.fatal_error = "scenarios/broken.yaml:2:1: unknown key \"stpes\" (did you mean \"steps\"?)";
  r.exit_code = 2;
  r.passed = false;
  return r;
}

TEST_SUITE("reports.suite") {
TEST_CASE("scenario files are found recursively, sorted, skipping manifests folders") {
  TempDir d;
  d.Write("b.yaml", "name: b\n");
  d.Write("a.yml", "name: a\n");
  d.Write("labs/c.yaml", "name: c\n");
  d.Write("manifests/ingress.yaml", "kind: Ingress\n");
  d.Write("labs/manifests/svc.yaml", "kind: Service\n");
  d.Write("notes.txt", "x\n");
  auto files = FindScenarioFiles(d.path.string());
  REQUIRE(files.size() == 3);
  CHECK(files[0] == (d.path / "a.yml").string());
  CHECK(files[1] == (d.path / "b.yaml").string());
  CHECK(files[2] == (d.path / "labs/c.yaml").string());
  CHECK(FindScenarioFiles((d.path / "b.yaml").string()).size() == 1);
  CHECK(FindScenarioFiles((d.path / "missing").string()).empty());
}

TEST_CASE("the summary table ends with the plain line N passed, M failed") {
  std::vector<scenario::RunRecord> runs = {testing::SampleRecord(true), testing::SampleRecord(false), BadRecord()};
  std::string table = RenderSummaryTable(runs);
  CHECK(table.rfind("RESULT", 0) == 0);
  CHECK(table.find("PASS    web-sample") != std::string::npos);
  CHECK(table.find("FAIL    web-sample") != std::string::npos);
  CHECK(table.find("ERROR   -") != std::string::npos);
  CHECK(table.find("2/2") != std::string::npos);
  CHECK(table.find("1/2") != std::string::npos);
  CHECK(table.find("Failures:") != std::string::npos);
  CHECK(table.find("unknown key \"stpes\"") != std::string::npos);
  const std::string last = "\n1 passed, 2 failed\n";
  CHECK(table.compare(table.size() - last.size(), last.size(), last) == 0);
  CHECK(table.find("\033[") == std::string::npos);
  SUBCASE("quiet leaves out the failures") {
    TextOptions q;
    q.quiet = true;
    CHECK(RenderSummaryTable(runs, q).find("Failures:") == std::string::npos);
  }
  SUBCASE("colour only when asked") {
    TextOptions c;
    c.color = true;
    CHECK(RenderSummaryTable(runs, c).find("\033[32mPASS") != std::string::npos);
  }
}

TEST_CASE("exit codes: 0 all passed, 1 some failed, 2 bad input or nothing to run") {
  CHECK(CountSuite({testing::SampleRecord(true)}).exit_code() == 0);
  CHECK(CountSuite({testing::SampleRecord(true), testing::SampleRecord(false)}).exit_code() == 1);
  CHECK(CountSuite({testing::SampleRecord(false), BadRecord()}).exit_code() == 2);
  CHECK(CountSuite({}).exit_code() == 2);
  auto c = CountSuite({testing::SampleRecord(true), testing::SampleRecord(false), BadRecord()});
  CHECK(c.passed == 1);
  CHECK(c.failed == 2);
  CHECK(c.errors == 1);
}

TEST_CASE("JUnit XML has one testcase per expectation and failures with their message") {
  scenario::RunRecord failed = testing::SampleRecord(false);
  failed.steps[1].ok = false;
  failed.steps[1].errors.push_back("did not settle: 3 Ingress reconciles still pending");
  std::string xml = RenderJUnit({testing::SampleRecord(true), failed, BadRecord()});
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"albtwin\" tests=\"6\" failures=\"2\" errors=\"1\">", 0) == 0);
  CHECK(xml.find("<testsuite name=\"web-sample\" tests=\"2\" failures=\"0\"") != std::string::npos);
  CHECK(xml.find("<testsuite name=\"web-sample\" tests=\"3\" failures=\"2\"") != std::string::npos);
  // The failed expectation keeps the name it has when it passes, so CI tracks it across runs.
  CHECK(Count(xml, "name=\"[3] lb default/web scheme = &quot;internal&quot;\"") == 1);
  CHECK(xml.find("<failure message=\"lb default/web scheme: expected &quot;internal&quot;, found &quot;internet-facing&quot;\" "
                 "type=\"expectation\">scenarios/web-sample.yaml:14:7: lb default/web scheme") != std::string::npos);
  CHECK(xml.find("name=\"[2] settle step\"") != std::string::npos);
  CHECK(xml.find("did not settle: 3 Ingress reconciles still pending</failure>") != std::string::npos);
  CHECK(xml.find("<error message=\"scenarios/broken.yaml:2:1: unknown key &quot;stpes&quot;") != std::string::npos);
  CHECK(xml.find("line=\"13\"/>") != std::string::npos);
  CHECK(xml.find("</testsuites>\n") == xml.size() - 14);
}

TEST_CASE("expectation names are the passing form") {
  scenario::ExpectationRecord e;
  e.ok = false;
  e.message = "targets default/api:http count: expected 3, found 0";
  CHECK(ExpectationName(e) == "targets default/api:http count = 3");
  e.ok = true;
  e.message = "loadBalancers = 1";
  CHECK(ExpectationName(e) == "loadBalancers = 1");
}

TEST_CASE("RunSuite runs every file and reports a file that does not load as an error") {
  TempDir d;
  d.Write("broken.yaml", "name: broken\nstpes: []\n");
  std::vector<std::string> started;
  size_t done = 0;
  auto runs = RunSuite({(d.path / "broken.yaml").string()},
                       [&](size_t i, size_t n, const std::string& f) { started.push_back(std::to_string(i) + "/" + std::to_string(n) + " " + f); },
                       [&](const scenario::RunRecord&) { ++done; });
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].exit_code == 2);
  CHECK(runs[0].fatal_error.find("stpes") != std::string::npos);
  CHECK(started == std::vector<std::string>{"0/1 " + (d.path / "broken.yaml").string()});
  CHECK(done == 1);
  CHECK(CountSuite(runs).exit_code() == 2);
}
}

}  // namespace
}  // namespace sim::reports
