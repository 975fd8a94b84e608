// The HTML report and the final resource graph (SVG) of every example scenario, compared with the
// golden files in tests/golden/ that tools/regen-golden writes. Simulated time makes them stable; a
// difference is either a regression or an intended change (then regenerate and review the diff).

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "reports/graph.h"
#include "reports/html_report.h"
#include "reports/suite.h"
#include "sim/scenario/runner.h"

namespace sim::reports {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "line N: expected <golden line>, got <actual line>" for the first difference.
std::string FirstDifference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool ha = static_cast<bool>(std::getline(a, la)), hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return "no difference";
    if (!ha || !hb || la != lb) {
      return "line " + std::to_string(line) + ":\n  golden: " + (ha ? la.substr(0, 300) : "(end of file)") +
             "\n  now:    " + (hb ? lb.substr(0, 300) : "(end of file)");
    }
  }
}

// Runs from the repository root, so the paths in the reports are the ones tools/regen-golden writes.
struct InSourceDir {
  fs::path saved = fs::current_path();
  InSourceDir() { fs::current_path(ALBTWIN_SOURCE_DIR); }
  ~InSourceDir() { fs::current_path(saved); }
};

TEST_SUITE("reports.golden") {
TEST_CASE("every example scenario's HTML report and graph match the golden files") {
  InSourceDir here;
  std::vector<std::string> files = FindScenarioFiles("scenarios");
  REQUIRE(!files.empty());
  for (const auto& file : files) {
    const std::string name = fs::path(file).stem().string();
    SUBCASE(name.c_str()) {
      const fs::path html_golden = fs::path("tests/golden") / (name + ".html");
      const fs::path svg_golden = fs::path("tests/golden") / (name + ".svg");
      REQUIRE_MESSAGE(fs::exists(html_golden), "no golden file " << html_golden.string() << ": run tools/regen-golden");
      REQUIRE_MESSAGE(fs::exists(svg_golden), "no golden file " << svg_golden.string() << ": run tools/regen-golden");
      scenario::RunRecord rec = scenario::RunScenarioFile(file);
      REQUIRE_MESSAGE(rec.exit_code != 2, rec.fatal_error);
      HtmlOptions opts;
      opts.scenario_source = Read(file);
      const std::string html = RenderHtml(rec, opts);
      const std::string want_html = Read(html_golden);
      const bool html_same = html == want_html;  // (not CHECK(a == b): doctest would print both pages)
      CHECK_MESSAGE(html_same, file << ": the HTML report differs from " << html_golden.string() << " at "
                                            << FirstDifference(want_html, html)
                                            << "\n(an intended change? run tools/regen-golden and review git diff tests/golden)");
      auto in = GraphInputAt(rec, -1);
      REQUIRE(in.ok());
      auto graph = BuildResourceGraph(in.value());
      REQUIRE(graph.ok());
      auto svg = RenderSvg(RenderDot(graph.value()));
      REQUIRE_MESSAGE(svg.ok(), svg.error().message);
      const std::string want_svg = Read(svg_golden);
      const bool svg_same = svg.value() == want_svg;
      CHECK_MESSAGE(svg_same, file << ": the graph differs from " << svg_golden.string() << " at "
                                                  << FirstDifference(want_svg, svg.value())
                                                  << "\n(an intended change? run tools/regen-golden and review git diff tests/golden)");
    }
  }
}
}

}  // namespace
}  // namespace sim::reports
