#include "reports/suite.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "sim/scenario/runner.h"

namespace sim::reports {
namespace {

namespace fs = std::filesystem;

std::string Pad(const std::string& s, size_t n) { return s.size() >= n ? s + "  " : s + std::string(n - s.size() + 2, ' '); }

// Display width of UTF-8 text (code points; enough for the names and marks printed here).
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string PadW(const std::string& s, size_t n) {
  size_t w = Width(s);
  return w >= n ? s + "  " : s + std::string(n - w + 2, ' ');
}

std::string Xml(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters are not allowed in XML 1.0 (except tab, newline, carriage return).
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += '?';
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

bool Errored(const scenario::RunRecord& r) { return r.exit_code == 2 || !r.fatal_error.empty(); }

std::string ResultWord(const scenario::RunRecord& r) {
  if (Errored(r)) return "ERROR";
  return r.passed ? "PASS" : "FAIL";
}

// Step errors that are not failed expectations (those have a testcase of their own).
std::vector<std::string> OtherErrors(const scenario::RunRecord& r, const scenario::StepRecord& s) {
  std::vector<std::string> out;
  for (const auto& err : s.errors) {
    bool is_expectation = false;
    for (const auto& e : r.expectations) {
      if (e.step != s.index || e.ok) continue;
      if (err.size() >= e.message.size() && err.compare(err.size() - e.message.size(), std::string::npos, e.message) == 0) {
        is_expectation = true;
      }
    }
    if (!is_expectation) out.push_back(err);
  }
  return out;
}

}  // namespace

std::vector<std::string> FindScenarioFiles(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_regular_file(dir, ec)) return {dir};
  if (!fs::is_directory(dir, ec)) return files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && it->path().filename() == "manifests") {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    const auto ext = it->path().extension();
    if (ext == ".yaml" || ext == ".yml") files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

SuiteCounts CountSuite(const std::vector<scenario::RunRecord>& runs) {
  SuiteCounts c;
  for (const auto& r : runs) {
    if (Errored(r)) {
      c.failed++;
      c.errors++;
    } else if (r.passed) {
      c.passed++;
    } else {
      c.failed++;
    }
  }
  return c;
}

std::vector<scenario::RunRecord> RunSuite(
    const std::vector<std::string>& files,
    const std::function<void(size_t index, size_t count, const std::string& file)>& on_start,
    const std::function<void(const scenario::RunRecord& record)>& on_done) {
  std::vector<scenario::RunRecord> runs;
  runs.reserve(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    if (on_start) on_start(i, files.size(), files[i]);
    // Per-step snapshots are for pictures of one run; a suite needs only the final state.
    scenario::RunOptions options;
    options.step_snapshots = false;
    scenario::RunRecord rec = scenario::RunScenarioFile(files[i], options);
    if (rec.file.empty()) rec.file = files[i];
    if (on_done) on_done(rec);
    runs.push_back(std::move(rec));
  }
  return runs;
}

std::string ExpectationName(const scenario::ExpectationRecord& e) {
  const std::string& m = e.message;
  if (e.ok) return m;
  auto x = m.find(": expected ");
  auto f = m.rfind(", found ");
  if (x == std::string::npos || f == std::string::npos || f < x) return m;
  return m.substr(0, x) + " = " + m.substr(x + 11, f - x - 11);
}

std::string RenderSummaryTable(const std::vector<scenario::RunRecord>& runs, const TextOptions& options) {
  const bool c = options.color;
  auto green = [&](const std::string& s) { return c ? "\033[32m" + s + "\033[0m" : s; };
  auto red = [&](const std::string& s) { return c ? "\033[31m" + s + "\033[0m" : s; };
  size_t name_w = 8;
  for (const auto& r : runs) name_w = std::max(name_w, Width(r.scenario.empty() ? "-" : r.scenario));
  std::ostringstream out;
  out << Pad("RESULT", 6) << PadW("SCENARIO", name_w) << Pad("EXPECTATIONS", 12) << Pad("FAILED STEPS", 12)
      << Pad("SIM TIME", 10) << "FILE\n";
  for (const auto& r : runs) {
    size_t held = 0, failed_steps = 0;
    for (const auto& e : r.expectations) held += e.ok ? 1 : 0;
    for (const auto& s : r.steps) failed_steps += s.ok ? 0 : 1;
    const std::string word = ResultWord(r);
    const std::string padded = Pad(word, 6);
    out << (word == "PASS" ? green(padded) : red(padded)) << PadW(r.scenario.empty() ? "-" : r.scenario, name_w)
        << Pad(std::to_string(held) + "/" + std::to_string(r.expectations.size()), 12)
        << Pad(std::to_string(failed_steps), 12) << Pad(FormatSeconds(r.end_time), 10) << r.file << "\n";
  }
  if (!options.quiet) {
    bool header = false;
    for (const auto& r : runs) {
      if (r.passed && !Errored(r)) continue;
      if (!header) {
        out << "\nFailures:\n";
        header = true;
      }
      out << "  " << (r.scenario.empty() ? r.file : r.scenario) << " (" << r.file << ")\n";
      if (!r.fatal_error.empty()) {
        std::istringstream lines(r.fatal_error);
        std::string line;
        while (std::getline(lines, line)) out << "    " << red("✗ " + line) << "\n";
      }
      for (const auto& s : r.steps) {
        for (const auto& e : s.errors) out << "    " << red("✗ [" + std::to_string(s.index + 1) + "] " + e) << "\n";
      }
    }
  }
  SuiteCounts counts = CountSuite(runs);
  out << "\n" << counts.passed << " passed, " << counts.failed << " failed\n";
  return out.str();
}

std::string RenderJUnit(const std::vector<scenario::RunRecord>& runs, const std::string& name) {
  size_t tests = 0, failures = 0, errors = 0;
  std::ostringstream suites;
  for (const auto& r : runs) {
    const std::string suite = r.scenario.empty() ? r.file : r.scenario;
    std::ostringstream cases;
    size_t t = 0, f = 0, e = 0;
    if (Errored(r)) {
      ++t;
      ++e;
      cases << "    <testcase classname=\"" << Xml(suite) << "\" name=\"load and run the scenario\" file=\"" << Xml(r.file)
            << "\">\n      <error message=\"" << Xml(r.fatal_error.substr(0, r.fatal_error.find('\n')))
            << "\" type=\"bad-input\">" << Xml(r.fatal_error) << "</error>\n    </testcase>\n";
    }
    for (const auto& ex : r.expectations) {
      ++t;
      cases << "    <testcase classname=\"" << Xml(suite) << "\" name=\"" << Xml("[" + std::to_string(ex.step + 1) + "] " + ExpectationName(ex))
            << "\" file=\"" << Xml(ex.loc.file.empty() ? r.file : ex.loc.file) << "\" line=\"" << ex.loc.line << "\"";
      if (ex.ok) {
        cases << "/>\n";
        continue;
      }
      ++f;
      cases << ">\n      <failure message=\"" << Xml(ex.message) << "\" type=\"expectation\">" << Xml(ex.loc.ToString() + ": " + ex.message)
            << "</failure>\n    </testcase>\n";
    }
    for (const auto& s : r.steps) {
      if (s.ok) continue;
      auto other = OtherErrors(r, s);
      if (other.empty()) continue;
      ++t;
      ++f;
      std::string text;
      for (const auto& o : other) text += (text.empty() ? "" : "\n") + o;
      cases << "    <testcase classname=\"" << Xml(suite) << "\" name=\"" << Xml("[" + std::to_string(s.index + 1) + "] " + s.kind + " step")
            << "\" file=\"" << Xml(r.file) << "\" line=\"" << s.loc.line << "\">\n      <failure message=\""
            << Xml(other.front()) << "\" type=\"step\">" << Xml(text) << "</failure>\n    </testcase>\n";
    }
    tests += t;
    failures += f;
    errors += e;
    suites << "  <testsuite name=\"" << Xml(suite) << "\" tests=\"" << t << "\" failures=\"" << f << "\" errors=\"" << e
           << "\" skipped=\"0\" file=\"" << Xml(r.file) << "\">\n"
           << cases.str() << "  </testsuite>\n";
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" << Xml(name) << "\" tests=\"" << tests
      << "\" failures=\"" << failures << "\" errors=\"" << errors << "\">\n"
      << suites.str() << "</testsuites>\n";
  return out.str();
}

}  // namespace sim::reports
