// albtwin: the command line. Thin: every command calls the libraries (sim/, reports/), so tests
// reach everything it does.
//
//   albtwin run FILE... [--output text|json] [--quiet]   play scenarios; exit 0 all held, 1 some failed, 2 bad input
//   albtwin validate FILE...                             load and check scenarios without running them
//   albtwin conformance DIR...                           run upstream's unit-test cases as data

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "reports/json_report.h"
#include "reports/text_report.h"
#include "sim/conformance/conformance.h"
#include "sim/scenario/loader.h"
#include "sim/scenario/runner.h"

namespace {

int Run(const std::vector<std::string>& files, const std::string& output, bool quiet) {
  int worst = 0;
  std::vector<std::string> json_docs;
  for (const auto& file : files) {
    sim::scenario::RunRecord rec = sim::scenario::RunScenarioFile(file);
    if (rec.exit_code == 2) {
      std::cerr << rec.fatal_error << "\n";
      worst = 2;
      continue;
    }
    if (output == "json") {
      json_docs.push_back(sim::reports::RenderJson(rec));
    } else {
      sim::reports::TextOptions opts;
      opts.color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == nullptr;
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"albtwin: an offline digital twin of the AWS Load Balancer Controller's Ingress -> ALB path"};
  app.require_subcommand(1);

  std::vector<std::string> run_files;
  std::string output = "text";
  bool quiet = false;
  auto* run = app.add_subcommand("run", "Play scenario files and report what happened");
  run->add_option("files", run_files, "scenario files")->required()->check(CLI::ExistingFile);
  run->add_option("--output,-o", output, "text or json")->check(CLI::IsMember({"text", "json"}));
  run->add_flag("--quiet,-q", quiet, "only the verdict and failures");

  std::vector<std::string> validate_files;
  auto* validate = app.add_subcommand("validate", "Load and check scenario files without running them");
  validate->add_option("files", validate_files, "scenario files")->required()->check(CLI::ExistingFile);

  std::vector<std::string> conf_dirs;
  auto* conformance = app.add_subcommand("conformance", "Run upstream's unit-test cases (as data) through the twin");
  conformance->add_option("dirs", conf_dirs, "corpus folders (a corpus root, a folder, or one case)")
      ->required()
      ->check(CLI::ExistingDirectory);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (*run) return Run(run_files, output, quiet);
  if (*validate) return Validate(validate_files);
  if (*conformance) {
    sim::conformance::Summary s = sim::conformance::RunConformance(conf_dirs, std::cout);
    return s.failed == 0 ? 0 : 1;
  }
  return 2;
}
