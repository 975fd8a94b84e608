// albtwin: the command line. Thin: every command calls the libraries (sim/, reports/), so tests
// reach everything it does.
//
//   albtwin run FILE... [--output text|json] [--report out.html] [--history runs.db] [--quiet]
//                                              play scenarios; exit 0 all held, 1 some failed, 2 bad input
//   albtwin test DIR... [--junit out.xml] [--history runs.db] [--quiet]
//                                              run every scenario under DIR; summary table, `N passed, M failed`
//   albtwin graph FILE [--at STEP] [--trace N] [--format dot|svg] [-o OUT]
//                                              the resource graph of a scenario (or a JSON report)
//   albtwin history runs.db [--scenario NAME] [--limit N]   the stored runs, newest first
//   albtwin diff runs.db RUN_A RUN_B | diff a.json b.json    resource and trace changes; exit 0 same, 1 different
//   albtwin validate FILE...                   load and check scenarios without running them
//   albtwin conformance DIR...                 run upstream's unit-test cases as data
//   albtwin plan FILE [--output text|json]     the stack each Ingress group would get (dry-run plan);
//                                              exit 0 all built, 1 a model build failed, 2 bad input
//   albtwin explain-iam FILE [--call N | --operation OP] [--all-statements]
//                                              play a scenario; for each IAM-denied AWS call, the policy
//                                              statements considered and why each did (not) apply;
//                                              exit 0 denials explained, 1 none (matching), 2 bad input

#include <unistd.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "reports/diff.h"
#include "reports/graph.h"
#include "reports/history.h"
#include "reports/html_report.h"
#include "reports/json_report.h"
#include "reports/suite.h"
#include "reports/text_report.h"
#include "sim/aws/fake_aws.h"
#include "sim/aws/iam_denials.h"
#include "sim/base/heap_prefault.h"
#include "sim/conformance/conformance.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/plan.h"
#include "sim/scenario/runner.h"

namespace {

bool ColorOn(int fd) { return isatty(fd) && getenv("NO_COLOR") == nullptr; }

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  *ok = static_cast<bool>(in) || in.eof();
  return s.str();
}

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) std::cerr << "albtwin: cannot write " << path << "\n";
  return static_cast<bool>(out);
}

// When a run is stored: the machine's UTC time (history metadata, outside the simulated world).
std::string NowUtc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

struct HistoryFlags {
  std::string db;
  std::string label;
};

// Opens the history database when asked for; false (message printed) on error.
bool OpenHistory(const HistoryFlags& flags, std::unique_ptr<sim::reports::HistoryDb>* db) {
  if (flags.db.empty()) return true;
  auto opened = sim::reports::HistoryDb::Open(flags.db);
  if (!opened.ok()) {
    std::cerr << "albtwin: " << opened.error().message << "\n";
    return false;
  }
  *db = std::move(opened).value();
  return true;
}

bool Store(sim::reports::HistoryDb* db, const sim::scenario::RunRecord& rec, const HistoryFlags& flags) {
  if (!db) return true;
  sim::reports::StoreOptions opts;
  opts.recorded_at = NowUtc();
  opts.label = flags.label;
  auto id = db->StoreRun(rec, opts);
  if (!id.ok()) {
    std::cerr << "albtwin: " << id.error().message << "\n";
    return false;
  }
  return true;
}

int Run(const std::vector<std::string>& files, const std::string& output, bool quiet, const std::string& report,
        const HistoryFlags& history) {
  if (!report.empty() && files.size() != 1) {
    std::cerr << "albtwin: --report writes one page for one scenario; give one FILE (or use `albtwin test`)\n";
    return 2;
  }
  std::unique_ptr<sim::reports::HistoryDb> db;
  if (!OpenHistory(history, &db)) return 2;
  int worst = 0;
  std::vector<std::string> json_docs;
  for (const auto& file : files) {
    sim::scenario::RunRecord rec = sim::scenario::RunScenarioFile(file);
    if (!Store(db.get(), rec, history)) worst = 2;
    if (rec.exit_code == 2) {
      std::cerr << rec.fatal_error << "\n";
      worst = 2;
      continue;
    }
    if (!report.empty()) {
      sim::reports::HtmlOptions opts;
      bool ok = false;
      opts.scenario_source = ReadFile(file, &ok);
      if (!WriteFile(report, sim::reports::RenderHtml(rec, opts))) worst = 2;
    }
    if (output == "json") {
      json_docs.push_back(sim::reports::RenderJson(rec));
    } else {
      sim::reports::TextOptions opts;
      opts.color = ColorOn(STDOUT_FILENO);
      opts.quiet = quiet;
      std::cout << sim::reports::RenderText(rec, opts);
      if (files.size() > 1) std::cout << "\n";
    }
    worst = std::max(worst, rec.exit_code);
  }
  if (output == "json") {
    if (json_docs.size() == 1) {
      std::cout << json_docs[0];
    } else if (!json_docs.empty()) {
      std::cout << "[\n";
      for (size_t i = 0; i < json_docs.size(); ++i) {
        std::string d = json_docs[i];
        while (!d.empty() && d.back() == '\n') d.pop_back();
        std::cout << d << (i + 1 < json_docs.size() ? ",\n" : "\n");
      }
      std::cout << "]\n";
    }
  }
  return worst;
}

int Test(const std::vector<std::string>& dirs, const std::string& junit, bool quiet, const HistoryFlags& history) {
  std::vector<std::string> files;
  for (const auto& d : dirs) {
    auto found = sim::reports::FindScenarioFiles(d);
    if (found.empty()) std::cerr << "albtwin: no scenario files under " << d << "\n";
    files.insert(files.end(), found.begin(), found.end());
  }
  std::unique_ptr<sim::reports::HistoryDb> db;
  if (!OpenHistory(history, &db)) return 2;
  const bool progress = !quiet && isatty(STDERR_FILENO);
  bool store_failed = false;
  auto runs = sim::reports::RunSuite(
      files,
      [&](size_t i, size_t n, const std::string& file) {
        if (progress) std::cerr << "\r\033[K[" << (i + 1) << "/" << n << "] " << file << std::flush;
      },
      [&](const sim::scenario::RunRecord& rec) { store_failed |= !Store(db.get(), rec, history); });
  if (progress) std::cerr << "\r\033[K" << std::flush;
  sim::reports::TextOptions opts;
  opts.color = ColorOn(STDOUT_FILENO);
  opts.quiet = quiet;
  std::cout << sim::reports::RenderSummaryTable(runs, opts);
  int code = sim::reports::CountSuite(runs).exit_code();
  if (!junit.empty() && !WriteFile(junit, sim::reports::RenderJUnit(runs))) code = 2;
  if (store_failed) code = 2;
  return code;
}

int Graph(const std::string& file, int at, int trace, const std::string& format, const std::string& out_path) {
  sim::reports::GraphInput input;
  sim::scenario::RunRecord rec;
  const bool is_report = file.size() > 5 && file.compare(file.size() - 5, 5, ".json") == 0;
  if (is_report) {
    if (at != 0 || trace != 0) {
      std::cerr << "albtwin: --at and --trace need the scenario (a JSON report holds the final state only)\n";
      return 2;
    }
    bool ok = false;
    std::string text = ReadFile(file, &ok);
    auto in = sim::reports::GraphInputFromJsonReport(text);
    if (!in.ok()) {
      std::cerr << file << ": " << in.error().message << "\n";
      return 2;
    }
    input = in.value();
  } else {
    rec = sim::scenario::RunScenarioFile(file);
    if (rec.exit_code == 2) {
      std::cerr << rec.fatal_error << "\n";
      return 2;
    }
    int step = at - 1;  // -1: the end
    if (trace != 0) {
      if (trace < 1 || static_cast<size_t>(trace) > rec.traces.size()) {
        std::cerr << "albtwin: --trace " << trace << ": the run sent " << rec.traces.size() << " request(s)\n";
        return 2;
      }
      if (at == 0) step = rec.traces[static_cast<size_t>(trace - 1)].step;
    }
    auto in = sim::reports::GraphInputAt(rec, step);
    if (!in.ok()) {
      std::cerr << "albtwin: --at " << at << ": " << in.error().message << "\n";
      return 2;
    }
    input = in.value();
    if (trace != 0) input.trace = &rec.traces[static_cast<size_t>(trace - 1)].trace;
  }
  auto graph = sim::reports::BuildResourceGraph(input);
  if (!graph.ok()) {
    std::cerr << "albtwin: " << graph.error().message << "\n";
    return 2;
  }
  std::string text = sim::reports::RenderDot(graph.value());
  if (format == "svg") {
    auto svg = sim::reports::RenderSvg(text);
    if (!svg.ok()) {
      std::cerr << "albtwin: " << svg.error().message << "\n";
      return 2;
    }
    text = svg.value();
  }
  if (out_path.empty() || out_path == "-") {
    std::cout << text;
    return 0;
  }
  return WriteFile(out_path, text) ? 0 : 2;
}

int History(const std::string& path, const std::string& scenario, int limit) {
  auto db = sim::reports::HistoryDb::OpenExisting(path);
  if (!db.ok()) {
    std::cerr << "albtwin: " << db.error().message << "\n";
    return 2;
  }
  auto runs = db.value()->ListRuns(scenario, limit);
  if (!runs.ok()) {
    std::cerr << "albtwin: " << runs.error().message << "\n";
    return 2;
  }
  std::cout << sim::reports::RenderRunList(runs.value());
  return 0;
}

// RUN is a run id, `latest`, or `latest~N` (the Nth run before the latest).
sim::Result<int64_t> RunId(sim::reports::HistoryDb& db, const std::string& text) {
  if (text.rfind("latest", 0) == 0) {
    SIM_ASSIGN_OR_RETURN(int64_t latest, db.LatestRunId());
    int64_t back = text.size() > 7 && text[6] == '~' ? std::atoll(text.c_str() + 7) : 0;
    auto runs = db.ListRuns("", static_cast<int>(back + 1));
    if (!runs.ok()) return runs.error();
    if (static_cast<int64_t>(runs.value().size()) <= back) {
      return sim::MakeError(sim::ErrorCode::kNotFound, "history: no run " + text);
    }
    return back == 0 ? latest : runs.value().back().id;
  }
  char* end = nullptr;
  long long id = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || id <= 0) {
    return sim::MakeError(sim::ErrorCode::kInvalidArgument, "a run is an id (see `albtwin history`), latest or latest~N: " + text);
  }
  return static_cast<int64_t>(id);
}

int Diff(const std::vector<std::string>& args) {
  sim::reports::RunSnapshot a, b;
  if (args.size() == 3) {
    auto db = sim::reports::HistoryDb::OpenExisting(args[0]);
    if (!db.ok()) {
      std::cerr << "albtwin: " << db.error().message << "\n";
      return 2;
    }
    for (int i = 0; i < 2; ++i) {
      auto id = RunId(*db.value(), args[static_cast<size_t>(i + 1)]);
      auto snap = id.ok() ? db.value()->LoadSnapshot(id.value()) : sim::Result<sim::reports::RunSnapshot>(id.error());
      if (!snap.ok()) {
        std::cerr << "albtwin: " << snap.error().message << "\n";
        return 2;
      }
      (i == 0 ? a : b) = snap.value();
    }
  } else if (args.size() == 2) {
    for (int i = 0; i < 2; ++i) {
      const std::string& f = args[static_cast<size_t>(i)];
      bool ok = false;
      std::string text = ReadFile(f, &ok);
      auto snap = sim::reports::SnapshotFromJsonReport(text, f);
      if (!ok || !snap.ok()) {
        std::cerr << "albtwin: " << (ok ? snap.error().message : "cannot read " + f) << "\n";
        return 2;
      }
      (i == 0 ? a : b) = snap.value();
    }
  } else {
    std::cerr << "albtwin diff: give runs.db RUN_A RUN_B, or two JSON reports\n";
    return 2;
  }
  sim::reports::RunDiff d = sim::reports::DiffRuns(a, b);
  sim::reports::TextOptions opts;
  opts.color = ColorOn(STDOUT_FILENO);
  std::cout << sim::reports::RenderDiff(d, a, b, opts);
  return d.same() ? 0 : 1;
}

int Validate(const std::vector<std::string>& files) {
  int worst = 0;
  for (const auto& file : files) {
    auto loaded = sim::scenario::LoadScenarioFile(file);
    if (!loaded.ok()) {
      for (const auto& e : loaded.errors) std::cerr << e << "\n";
      worst = 2;
      continue;
    }
    std::string unsupported = sim::scenario::UnsupportedReason(loaded.scenario);
    if (!unsupported.empty()) {
      std::cerr << unsupported << "\n";
      worst = 2;
      continue;
    }
    std::cout << file << ": ok (" << loaded.scenario.steps.size() << " steps)\n";
  }
  return worst;
}

int Plan(const std::string& file, const std::string& output) {
  auto loaded = sim::scenario::LoadScenarioFile(file);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e << "\n";
    return 2;
  }
  auto plan = sim::scenario::PlanScenario(loaded.scenario);
  if (!plan.ok()) {
    std::cerr << "albtwin plan: " << plan.error().message << "\n";
    return 2;
  }
  for (const auto& note : plan.value().notes) std::cerr << "note: " << note << "\n";
  std::cout << (output == "json" ? sim::scenario::RenderPlanJson(plan.value()) : sim::scenario::RenderPlanText(plan.value()));
  return plan.value().all_ok() ? 0 : 1;
}

// `albtwin trace FILE URL`: plays the scenario, then sends one more request at its end and prints
// the hops. Exit 0 when the request got an answer (a pod, a redirect, a fixed response), 1 when it
// stopped at a hop, 2 on bad input.
int TraceRequest(const std::string& file, const std::string& url, const std::vector<std::string>& headers,
                 const std::string& method, const std::string& from, const std::string& output) {
  sim::scenario::LoadResult loaded = sim::scenario::LoadScenarioFile(file);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e << "\n";
    return 2;
  }
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    std::cerr << "albtwin trace: URL must start with http:// or https://, got \"" << url << "\"\n";
    return 2;
  }
  sim::scenario::Step step;
  step.kind = sim::scenario::StepKind::kRequest;
  step.url = url;
  step.method = method;
  step.from = from;
  for (const auto& h : headers) {
    auto colon = h.find(':');
    if (colon == std::string::npos || colon == 0) {
      std::cerr << "albtwin trace: --header must be NAME:VALUE, got \"" << h << "\"\n";
      return 2;
    }
    std::string value = h.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(value.begin());
    step.headers[h.substr(0, colon)] = value;
  }
  loaded.scenario.steps.push_back(step);
  sim::scenario::RunOptions options;
  options.step_snapshots = false;
  options.final_snapshot = false;
  sim::scenario::RunRecord rec = sim::scenario::RunScenario(loaded.scenario, options);
  if (rec.exit_code == 2 && rec.traces.empty()) {
    std::cerr << rec.fatal_error << "\n";
    return 2;
  }
  if (rec.traces.empty() || rec.steps.empty() || rec.traces.back().step != rec.steps.back().index) {
    std::cerr << "albtwin trace: the request could not be sent";
    if (!rec.steps.empty()) {
      for (const auto& e : rec.steps.back().errors) std::cerr << ": " << e;
    }
    std::cerr << "\n";
    return 2;
  }
  const sim::traffic::Trace& trace = rec.traces.back().trace;
  if (output == "json") {
    std::cout << sim::reports::RenderTraceJson(trace) << "\n";
  } else {
    sim::reports::TextOptions opts;
    opts.color = ColorOn(STDOUT_FILENO);
    std::cout << sim::reports::RenderTraceText(trace, opts);
  }
  return trace.result.failed_at.empty() ? 0 : 1;
}

// `albtwin explain-iam FILE`: plays the scenario and explains its IAM denials (all, the denial of
// one call, or those of one operation).
int ExplainIam(const std::string& file, int call, const std::string& operation, bool all_statements) {
  sim::scenario::LoadResult loaded = sim::scenario::LoadScenarioFile(file);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e << "\n";
    return 2;
  }
  sim::aws::IamDenialQuery query;
  if (call > 0) query.call_number = static_cast<size_t>(call);
  query.operation = operation;
  bool iam_on = false;
  sim::aws::IamDenialReport report;
  sim::scenario::RunOptions options;
  options.step_snapshots = false;
  options.final_snapshot = false;
  options.inspect_aws = [&](sim::aws::FakeAws& aws) {
    if (aws.iam_authorizer() == nullptr) return;
    iam_on = true;
    report = sim::aws::SelectIamDenials(aws.iam_authorizer()->denials(), query);
  };
  sim::scenario::RunRecord rec = sim::scenario::RunScenario(loaded.scenario, options);
  if (rec.exit_code == 2 && !rec.fatal_error.empty()) {
    std::cerr << rec.fatal_error << "\n";
    return 2;
  }
  if (!iam_on) {
    std::cout << rec.scenario << ": IAM is not enforced in this scenario (no authorizer)\n";
    return 1;
  }
  std::cout << sim::aws::RenderIamDenials(report, rec.scenario, all_statements);
  return report.groups.empty() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"albtwin: an offline digital twin of the AWS Load Balancer Controller's Ingress -> ALB path"};
  app.require_subcommand(1);

  std::vector<std::string> run_files;
  std::string output = "text";
  std::string report;
  bool quiet = false;
  HistoryFlags history;
  auto* run = app.add_subcommand("run", "Play scenario files and report what happened");
  run->add_option("files", run_files, "scenario files")->required()->check(CLI::ExistingFile);
  run->add_option("--output,-o", output, "text or json")->check(CLI::IsMember({"text", "json"}));
  run->add_option("--report", report, "also write a self-contained HTML report to this file");
  run->add_option("--history", history.db, "store the run in this SQLite history database");
  run->add_option("--label", history.label, "a label for the stored run (e.g. a commit)");
  run->add_flag("--quiet,-q", quiet, "only the verdict and failures");

  std::vector<std::string> test_dirs;
  std::string junit;
  auto* test = app.add_subcommand("test", "Run every scenario under folders (skipping manifests/) for CI");
  test->add_option("dirs", test_dirs, "folders (or files)")->required()->check(CLI::ExistingPath);
  test->add_option("--junit", junit, "write JUnit XML (one testcase per expectation) to this file");
  test->add_option("--history", history.db, "store every run in this SQLite history database");
  test->add_option("--label", history.label, "a label for the stored runs (e.g. a commit)");
  test->add_flag("--quiet,-q", quiet, "the table and the closing line only");

  std::string graph_file, graph_format = "dot", graph_out;
  int graph_at = 0, graph_trace = 0;
  auto* graph = app.add_subcommand("graph", "Draw the resource graph of a scenario's run (or of a JSON report)");
  graph->add_option("file", graph_file, "scenario file, or a JSON report (final state only)")
      ->required()
      ->check(CLI::ExistingFile);
  graph->add_option("--at", graph_at, "the state after step STEP (1-based, as the text report numbers steps)")
      ->check(CLI::PositiveNumber);
  graph->add_option("--trace", graph_trace, "highlight the path of the Nth request (1-based)")->check(CLI::PositiveNumber);
  graph->add_option("--format", graph_format, "dot or svg")->check(CLI::IsMember({"dot", "svg"}));
  graph->add_option("--output,-o", graph_out, "write to this file instead of stdout");

  std::string history_db, history_scenario;
  int history_limit = 0;
  auto* hist = app.add_subcommand("history", "List the runs stored in a history database, newest first");
  hist->add_option("db", history_db, "history database")->required();
  hist->add_option("--scenario", history_scenario, "only runs of this scenario");
  hist->add_option("--limit", history_limit, "at most this many runs");

  std::vector<std::string> diff_args;
  auto* diff = app.add_subcommand("diff", "Compare two runs: `diff runs.db RUN_A RUN_B` or `diff a.json b.json`");
  diff->add_option("args", diff_args, "runs.db RUN_A RUN_B, or two JSON reports")->required()->expected(2, 3);

  std::vector<std::string> validate_files;
  auto* validate = app.add_subcommand("validate", "Load and check scenario files without running them");
  validate->add_option("files", validate_files, "scenario files")->required()->check(CLI::ExistingFile);

  std::vector<std::string> conf_dirs;
  auto* conformance = app.add_subcommand("conformance", "Run upstream's unit-test cases (as data) through the twin");
  conformance->add_option("dirs", conf_dirs, "corpus folders (a corpus root, a folder, or one case)")
      ->required()
      ->check(CLI::ExistingDirectory);

  std::string plan_file, plan_output = "text";
  auto* plan = app.add_subcommand("plan", "Print the stack each Ingress group would get (dry-run plan), AWS untouched");
  plan->add_option("file", plan_file, "scenario file")->required()->check(CLI::ExistingFile);
  plan->add_option("--output,-o", plan_output, "text or json")->check(CLI::IsMember({"text", "json"}));

  std::string trace_file, trace_url, trace_method = "GET", trace_from = "internet", trace_output = "text";
  std::vector<std::string> trace_headers;
  auto* trace = app.add_subcommand("trace", "Play a scenario, then trace one request at its end hop by hop");
  trace->add_option("file", trace_file, "scenario file")->required()->check(CLI::ExistingFile);
  trace->add_option("url", trace_url, "request URL; ${ingress:NS/NAME} references resolve")->required();
  trace->add_option("--header,-H", trace_headers, "a request header NAME:VALUE (repeatable)");
  trace->add_option("--method,-X", trace_method, "HTTP method (default GET)");
  trace->add_option("--from", trace_from, "client source: internet, vpc, or an IPv4 address/CIDR");
  trace->add_option("--output,-o", trace_output, "text or json")->check(CLI::IsMember({"text", "json"}));

  std::string explain_file, explain_operation;
  int explain_call = 0;
  bool explain_all = false;
  auto* explain = app.add_subcommand("explain-iam", "Play a scenario, then explain each AWS call IAM denied");
  explain->add_option("file", explain_file, "scenario file")->required()->check(CLI::ExistingFile);
  auto* explain_call_opt = explain->add_option("--call", explain_call, "only the Nth AWS call of the run (1-based)")
                               ->check(CLI::PositiveNumber);
  explain->add_option("--operation", explain_operation, "only this API call or IAM action (CreateTargetGroup, AddTags)")
      ->excludes(explain_call_opt);
  explain->add_flag("--all-statements", explain_all, "also detail statements whose action does not match");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  // The subcommands that play scenarios fault a large world's fresh heap memory in on a second
  // core, ahead of the simulation (sim/base/heap_prefault.h; ALBTWIN_PREFAULT=0 turns it off). The
  // output is the same either way.
  std::optional<sim::HeapPrefaulter> prefault;
  if (*explain || *trace || *run || *test || *graph || *conformance) prefault.emplace();
  if (*plan) return Plan(plan_file, plan_output);
  if (*explain) return ExplainIam(explain_file, explain_call, explain_operation, explain_all);
  if (*trace) return TraceRequest(trace_file, trace_url, trace_headers, trace_method, trace_from, trace_output);
  if (*run) return Run(run_files, output, quiet, report, history);
  if (*test) return Test(test_dirs, junit, quiet, history);
  if (*graph) return Graph(graph_file, graph_at, graph_trace, graph_format, graph_out);
  if (*hist) return History(history_db, history_scenario, history_limit);
  if (*diff) return Diff(diff_args);
  if (*validate) return Validate(validate_files);
  if (*conformance) {
    sim::conformance::Summary s = sim::conformance::RunConformance(conf_dirs, std::cout);
    return s.failed == 0 ? 0 : 1;
  }
  return 2;
}
