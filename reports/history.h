#pragma once
// Run history in SQLite (docs/history-schema.md): every run with its steps, expectations, API calls,
// Kubernetes events, final AWS state (whole, and one row per resource) and request traces. Each run
// is written in one transaction, so a run killed while being stored leaves the database as it was.
// sqlite3.h stays in history.cc.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/base/status.h"
#include "sim/scenario/run_record.h"

namespace sim::reports {

// The schema version written in `meta`; a database with a newer version is refused.
inline constexpr int kHistorySchemaVersion = 1;

struct StoreOptions {
  std::string recorded_at;  // when the run was stored (e.g. UTC ISO 8601); the caller's clock
  std::string label;        // free text, e.g. a commit or CI job
  // Called after each table's rows of the run are written, inside the transaction.
  std::function<void(const std::string& table, size_t rows)> progress;
};

struct RunSummary {
  int64_t id = 0;
  std::string recorded_at;
  std::string label;
  std::string scenario;
  std::string file;
  bool passed = false;
  int exit_code = 0;
  int expectations = 0;
  int expectations_failed = 0;
  int api_calls = 0;
  int traces = 0;
  std::string end_time;  // simulated, "65.000s"
};

// What `diff` compares: the final AWS state and the request traces of one run.
struct RunSnapshot {
  std::string label;     // "run 3 (hello-ingress)" or a file name
  std::string scenario;
  std::string aws_json;  // the "aws" section
  std::vector<std::string> traces_json;  // each trace as in the JSON report ("step", "request", "hops", "result")
};

class HistoryDb {
 public:
  ~HistoryDb();
  HistoryDb(const HistoryDb&) = delete;
  HistoryDb& operator=(const HistoryDb&) = delete;

  // Opens (creating if needed) the database at `path` and its schema. kInvalidArgument when the file
  // is not an albtwin history database; kUnavailable when it cannot be opened.
  static Result<std::unique_ptr<HistoryDb>> Open(const std::string& path);
  // Opens an existing database read-only; kNotFound when there is none.
  static Result<std::unique_ptr<HistoryDb>> OpenExisting(const std::string& path);

  // Stores `record` in one transaction; returns the new run id. On any error nothing is stored.
  Result<int64_t> StoreRun(const scenario::RunRecord& record, const StoreOptions& options = {});

  // Runs, newest first; `scenario` "" = all; limit 0 = no limit.
  Result<std::vector<RunSummary>> ListRuns(const std::string& scenario = "", int limit = 0);

  // The final state and traces of run `id`; kNotFound when there is no such run.
  Result<RunSnapshot> LoadSnapshot(int64_t id);

  // The id of the newest run (of `scenario` when given); kNotFound when there is none.
  Result<int64_t> LatestRunId(const std::string& scenario = "");

 private:
  struct Impl;
  explicit HistoryDb(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `history` output: one row per run, newest first.
std::string RenderRunList(const std::vector<RunSummary>& runs);

}  // namespace sim::reports
