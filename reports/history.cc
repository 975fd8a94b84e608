#include "reports/history.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "reports/diff.h"
#include "reports/json_report.h"

namespace sim::reports {
namespace {

// docs/history-schema.md describes every table and column; keep the two in step.
const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  recorded_at         TEXT NOT NULL,
  label               TEXT NOT NULL,
  scenario            TEXT NOT NULL,
  description         TEXT NOT NULL,
  file                TEXT NOT NULL,
  seed                INTEGER NOT NULL,
  passed              INTEGER NOT NULL,
  exit_code           INTEGER NOT NULL,
  fatal_error         TEXT NOT NULL,
  end_time_ms         INTEGER NOT NULL,
  expectations        INTEGER NOT NULL,
  expectations_failed INTEGER NOT NULL,
  api_calls           INTEGER NOT NULL,
  aws_json            TEXT NOT NULL,
  kubernetes_json     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_scenario ON runs (scenario, id);
CREATE TABLE IF NOT EXISTS steps (
  run_id          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  idx             INTEGER NOT NULL,
  kind            TEXT NOT NULL,
  line            INTEGER NOT NULL,
  ok              INTEGER NOT NULL,
  detail          TEXT NOT NULL,
  notes_json      TEXT NOT NULL,
  errors_json     TEXT NOT NULL,
  started_ms      INTEGER NOT NULL,
  finished_ms     INTEGER NOT NULL,
  api_calls_begin INTEGER NOT NULL,
  api_calls_end   INTEGER NOT NULL,
  PRIMARY KEY (run_id, idx)
);
CREATE TABLE IF NOT EXISTS expectations (
  run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq     INTEGER NOT NULL,
  step    INTEGER NOT NULL,
  line    INTEGER NOT NULL,
  ok      INTEGER NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX IF NOT EXISTS expectations_failed ON expectations (ok, run_id);
CREATE TABLE IF NOT EXISTS api_calls (
  run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  step          INTEGER,
  t_ms          INTEGER NOT NULL,
  caller        TEXT NOT NULL,
  service       TEXT NOT NULL,
  call          TEXT NOT NULL,
  params_digest TEXT NOT NULL,
  ok            INTEGER NOT NULL,
  error_code    TEXT NOT NULL,
  error_message TEXT NOT NULL,
  injected      INTEGER NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX IF NOT EXISTS api_calls_by_call ON api_calls (call, run_id);
CREATE INDEX IF NOT EXISTS api_calls_by_step ON api_calls (run_id, step);
CREATE TABLE IF NOT EXISTS events (
  run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq       INTEGER NOT NULL,
  time      TEXT NOT NULL,
  object    TEXT NOT NULL,
  type      TEXT NOT NULL,
  reason    TEXT NOT NULL,
  message   TEXT NOT NULL,
  count     INTEGER NOT NULL,
  component TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX IF NOT EXISTS events_by_reason ON events (reason, run_id);
CREATE TABLE IF NOT EXISTS resources (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  kind   TEXT NOT NULL,
  key    TEXT NOT NULL,
  name   TEXT NOT NULL,
  arn    TEXT NOT NULL,
  json   TEXT NOT NULL,
  PRIMARY KEY (run_id, kind, key)
);
CREATE INDEX IF NOT EXISTS resources_by_key ON resources (kind, key);
CREATE INDEX IF NOT EXISTS resources_by_arn ON resources (arn);
CREATE TABLE IF NOT EXISTS traces (
  run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  step          INTEGER NOT NULL,
  method        TEXT NOT NULL,
  url           TEXT NOT NULL,
  status        INTEGER NOT NULL,
  failed_at     TEXT NOT NULL,
  reason        TEXT NOT NULL,
  service       TEXT NOT NULL,
  pod           TEXT NOT NULL,
  rule_priority INTEGER,
  target_group  TEXT NOT NULL,
  target        TEXT NOT NULL,
  count         INTEGER NOT NULL,
  json          TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX IF NOT EXISTS traces_by_step ON traces (run_id, step);
CREATE TABLE IF NOT EXISTS hops (
  run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  trace_seq INTEGER NOT NULL,
  seq       INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  name      TEXT NOT NULL,
  ok        INTEGER NOT NULL,
  detail    TEXT NOT NULL,
  PRIMARY KEY (run_id, trace_seq, seq)
);
)sql";

Error DbError(sqlite3* db, const std::string& what) {
  return MakeError(ErrorCode::kUnavailable, "history: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// A prepared statement; binds by position (1-based) in the order of Bind calls.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK) s_ = nullptr;
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return s_ != nullptr; }
  Stmt& Bind(const std::string& v) {
    sqlite3_bind_text(s_, ++n_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(const char* v) { return Bind(std::string(v ? v : "")); }
  Stmt& Bind(int64_t v) {
    sqlite3_bind_int64(s_, ++n_, v);
    return *this;
  }
  Stmt& Bind(int v) { return Bind(static_cast<int64_t>(v)); }
  Stmt& Bind(size_t v) { return Bind(static_cast<int64_t>(v)); }
  Stmt& Bind(bool v) { return Bind(static_cast<int64_t>(v ? 1 : 0)); }
  Stmt& BindNull() {
    sqlite3_bind_null(s_, ++n_);
    return *this;
  }
  // Executes an insert/update; resets for the next row.
  Status Exec(const std::string& what) {
    int rc = sqlite3_step(s_);
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    n_ = 0;
    if (rc != SQLITE_DONE) return DbError(db_, what);
    return OkStatus();
  }
  // Steps a query: true while there is a row.
  bool Row() { return sqlite3_step(s_) == SQLITE_ROW; }
  std::string Text(int col) {
    const unsigned char* t = sqlite3_column_text(s_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(s_, col))) : "";
  }
  int64_t Int(int col) { return sqlite3_column_int64(s_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
  int n_ = 0;
};

Status ExecSql(sqlite3* db, const char* sql, const std::string& what) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return MakeError(ErrorCode::kUnavailable, "history: " + what + ": " + msg);
  }
  return OkStatus();
}

std::string JsonList(const std::vector<std::string>& v) { return nlohmann::json(v).dump(); }

}  // namespace

struct HistoryDb::Impl {
  sqlite3* db = nullptr;
  ~Impl() {
    if (db) sqlite3_close(db);
  }
};

HistoryDb::HistoryDb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HistoryDb::~HistoryDb() = default;

namespace {

Result<std::unique_ptr<sqlite3, int (*)(sqlite3*)>> OpenRaw(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> holder(db, sqlite3_close);
  if (rc != SQLITE_OK) {
    return MakeError(ErrorCode::kUnavailable, "history: cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
  }
  sqlite3_busy_timeout(db, 10000);
  return holder;
}

Status CheckSchema(sqlite3* db, const std::string& path) {
  Stmt q(db, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (!q.ok() || !q.Row()) {
    return MakeError(ErrorCode::kInvalidArgument, "history: " + path + " is not an albtwin history database");
  }
  int version = std::atoi(q.Text(0).c_str());
  if (version > kHistorySchemaVersion) {
    return MakeError(ErrorCode::kInvalidArgument, "history: " + path + " has schema version " + std::to_string(version) +
                                                      ", newer than this albtwin (" +
                                                      std::to_string(kHistorySchemaVersion) + ")");
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<HistoryDb>> HistoryDb::Open(const std::string& path) {
  SIM_ASSIGN_OR_RETURN(auto raw, OpenRaw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  sqlite3* db = raw.get();
  // WAL: readers never block the writer, and a killed writer's partial transaction is ignored.
  SIM_RETURN_IF_ERROR(ExecSql(db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                              "set journal mode"));
  {
    // An existing file that is some other database: refuse rather than add tables to it.
    Stmt tables(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT IN ('meta')");
    Stmt meta(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
    if (!tables.ok() || !meta.ok()) return DbError(db, "read " + path);
    tables.Row();
    meta.Row();
    if (tables.Int(0) > 0 && meta.Int(0) == 0) {
      return MakeError(ErrorCode::kInvalidArgument, "history: " + path + " is not an albtwin history database");
    }
  }
  SIM_RETURN_IF_ERROR(ExecSql(db, "BEGIN IMMEDIATE", "begin"));
  Status s = ExecSql(db, kSchema, "create schema");
  if (s.ok()) {
    Stmt v(db, "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)");
    s = v.ok() ? v.Bind(std::to_string(kHistorySchemaVersion)).Exec("write schema version") : DbError(db, "prepare");
  }
  if (!s.ok()) {
    (void)ExecSql(db, "ROLLBACK", "rollback");
    return s.error();
  }
  SIM_RETURN_IF_ERROR(ExecSql(db, "COMMIT", "commit"));
  SIM_RETURN_IF_ERROR(CheckSchema(db, path));
  auto impl = std::make_unique<Impl>();
  impl->db = raw.release();
  return std::unique_ptr<HistoryDb>(new HistoryDb(std::move(impl)));
}

Result<std::unique_ptr<HistoryDb>> HistoryDb::OpenExisting(const std::string& path) {
  if (access(path.c_str(), F_OK) != 0) return MakeError(ErrorCode::kNotFound, "history: no database at " + path);
  SIM_ASSIGN_OR_RETURN(auto raw, OpenRaw(path, SQLITE_OPEN_READWRITE));
  SIM_RETURN_IF_ERROR(CheckSchema(raw.get(), path));
  auto impl = std::make_unique<Impl>();
  impl->db = raw.release();
  return std::unique_ptr<HistoryDb>(new HistoryDb(std::move(impl)));
}

Result<int64_t> HistoryDb::StoreRun(const scenario::RunRecord& rec, const StoreOptions& options) {
  sqlite3* db = impl_->db;
  auto progress = [&](const char* table, size_t rows) {
    if (options.progress) options.progress(table, rows);
  };
  SIM_RETURN_IF_ERROR(ExecSql(db, "BEGIN IMMEDIATE", "begin"));
  auto body = [&]() -> Result<int64_t> {
    size_t failed = 0;
    for (const auto& e : rec.expectations) failed += e.ok ? 0 : 1;
    {
      Stmt s(db,
             "INSERT INTO runs (recorded_at, label, scenario, description, file, seed, passed, exit_code, fatal_error, "
             "end_time_ms, expectations, expectations_failed, api_calls, aws_json, kubernetes_json) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      if (!s.ok()) return DbError(db, "prepare runs");
      SIM_RETURN_IF_ERROR(s.Bind(options.recorded_at)
                              .Bind(options.label)
                              .Bind(rec.scenario)
                              .Bind(rec.description)
                              .Bind(rec.file)
                              .Bind(static_cast<int64_t>(rec.seed))
                              .Bind(rec.passed)
                              .Bind(rec.exit_code)
                              .Bind(rec.fatal_error)
                              .Bind(static_cast<int64_t>(rec.end_time.count()))
                              .Bind(rec.expectations.size())
                              .Bind(failed)
                              .Bind(rec.api_calls.size())
                              .Bind(rec.aws_json)
                              .Bind(rec.kubernetes_json)
                              .Exec("insert run"));
    }
    const int64_t id = sqlite3_last_insert_rowid(db);
    progress("runs", 1);

    Stmt steps(db,
               "INSERT INTO steps (run_id, idx, kind, line, ok, detail, notes_json, errors_json, started_ms, finished_ms, "
               "api_calls_begin, api_calls_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!steps.ok()) return DbError(db, "prepare steps");
    for (const auto& s : rec.steps) {
      SIM_RETURN_IF_ERROR(steps.Bind(id)
                              .Bind(s.index)
                              .Bind(s.kind)
                              .Bind(s.loc.line)
                              .Bind(s.ok)
                              .Bind(s.detail)
                              .Bind(JsonList(s.notes))
                              .Bind(JsonList(s.errors))
                              .Bind(static_cast<int64_t>(s.started.count()))
                              .Bind(static_cast<int64_t>(s.finished.count()))
                              .Bind(s.api_calls_begin)
                              .Bind(s.api_calls_end)
                              .Exec("insert step"));
    }
    progress("steps", rec.steps.size());

    Stmt exps(db, "INSERT INTO expectations (run_id, seq, step, line, ok, message) VALUES (?, ?, ?, ?, ?, ?)");
    if (!exps.ok()) return DbError(db, "prepare expectations");
    for (size_t i = 0; i < rec.expectations.size(); ++i) {
      const auto& e = rec.expectations[i];
      SIM_RETURN_IF_ERROR(exps.Bind(id).Bind(i).Bind(e.step).Bind(e.loc.line).Bind(e.ok).Bind(e.message).Exec("insert expectation"));
    }
    progress("expectations", rec.expectations.size());

    // The step of each call, from the steps' [begin, end) ranges.
    std::vector<int> step_of(rec.api_calls.size(), -1);
    for (const auto& s : rec.steps) {
      for (size_t i = s.api_calls_begin; i < s.api_calls_end && i < step_of.size(); ++i) step_of[i] = s.index;
    }
    Stmt calls(db,
               "INSERT INTO api_calls (run_id, seq, step, t_ms, caller, service, call, params_digest, ok, error_code, "
               "error_message, injected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!calls.ok()) return DbError(db, "prepare api_calls");
    for (size_t i = 0; i < rec.api_calls.size(); ++i) {
      const auto& c = rec.api_calls[i];
      calls.Bind(id).Bind(i);
      if (step_of[i] < 0) {
        calls.BindNull();
      } else {
        calls.Bind(step_of[i]);
      }
      SIM_RETURN_IF_ERROR(calls.Bind(static_cast<int64_t>(c.t.count()))
                              .Bind(c.caller)
                              .Bind(c.service)
                              .Bind(c.call)
                              .Bind(c.params_digest)
                              .Bind(c.ok)
                              .Bind(c.error_code)
                              .Bind(c.error_message)
                              .Bind(c.injected)
                              .Exec("insert api call"));
    }
    progress("api_calls", rec.api_calls.size());

    Stmt events(db,
                "INSERT INTO events (run_id, seq, time, object, type, reason, message, count, component) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!events.ok()) return DbError(db, "prepare events");
    for (size_t i = 0; i < rec.events.size(); ++i) {
      const auto& e = rec.events[i];
      SIM_RETURN_IF_ERROR(events.Bind(id)
                              .Bind(i)
                              .Bind(e.time)
                              .Bind(e.object)
                              .Bind(e.type)
                              .Bind(e.reason)
                              .Bind(e.message)
                              .Bind(e.count)
                              .Bind(e.component)
                              .Exec("insert event"));
    }
    progress("events", rec.events.size());

    Stmt res(db, "INSERT OR REPLACE INTO resources (run_id, kind, key, name, arn, json) VALUES (?, ?, ?, ?, ?, ?)");
    if (!res.ok()) return DbError(db, "prepare resources");
    auto resources = NormaliseAwsState(rec.aws_json);
    for (const auto& r : resources) {
      SIM_RETURN_IF_ERROR(res.Bind(id).Bind(r.kind).Bind(r.key).Bind(r.name).Bind(r.arn).Bind(r.json).Exec("insert resource"));
    }
    progress("resources", resources.size());

    Stmt traces(db,
                "INSERT INTO traces (run_id, seq, step, method, url, status, failed_at, reason, service, pod, "
                "rule_priority, target_group, target, count, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Stmt hops(db, "INSERT INTO hops (run_id, trace_seq, seq, kind, name, ok, detail) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!traces.ok() || !hops.ok()) return DbError(db, "prepare traces");
    for (size_t i = 0; i < rec.traces.size(); ++i) {
      const auto& t = rec.traces[i];
      const auto& r = t.trace.result;
      auto j = nlohmann::json::parse(RenderTraceJson(t.trace));
      j["step"] = t.step;
      traces.Bind(id).Bind(i).Bind(t.step).Bind(t.trace.request.method).Bind(t.trace.request.url).Bind(r.status)
          .Bind(r.failed_at).Bind(r.reason).Bind(r.service).Bind(r.pod);
      if (r.rule_priority) {
        traces.Bind(*r.rule_priority);
      } else {
        traces.BindNull();
      }
      SIM_RETURN_IF_ERROR(traces.Bind(r.target_group).Bind(r.target).Bind(t.count).Bind(j.dump()).Exec("insert trace"));
      for (size_t h = 0; h < t.trace.hops.size(); ++h) {
        const auto& hop = t.trace.hops[h];
        SIM_RETURN_IF_ERROR(hops.Bind(id).Bind(i).Bind(h).Bind(hop.kind).Bind(hop.name).Bind(hop.ok).Bind(hop.detail).Exec("insert hop"));
      }
    }
    progress("traces", rec.traces.size());
    return id;
  };
  Result<int64_t> id = body();
  if (!id.ok()) {
    (void)ExecSql(db, "ROLLBACK", "rollback");
    return id.error();
  }
  SIM_RETURN_IF_ERROR(ExecSql(db, "COMMIT", "commit"));
  return id;
}

Result<std::vector<RunSummary>> HistoryDb::ListRuns(const std::string& scenario, int limit) {
  std::string sql =
      "SELECT r.id, r.recorded_at, r.label, r.scenario, r.file, r.passed, r.exit_code, r.expectations, "
      "r.expectations_failed, r.api_calls, r.end_time_ms, (SELECT count(*) FROM traces t WHERE t.run_id = r.id) "
      "FROM runs r WHERE (? = '' OR r.scenario = ?) ORDER BY r.id DESC";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  Stmt q(impl_->db, sql.c_str());
  if (!q.ok()) return DbError(impl_->db, "list runs");
  q.Bind(scenario).Bind(scenario);
  std::vector<RunSummary> out;
  while (q.Row()) {
    RunSummary r;
    r.id = q.Int(0);
    r.recorded_at = q.Text(1);
    r.label = q.Text(2);
    r.scenario = q.Text(3);
    r.file = q.Text(4);
    r.passed = q.Int(5) != 0;
    r.exit_code = static_cast<int>(q.Int(6));
    r.expectations = static_cast<int>(q.Int(7));
    r.expectations_failed = static_cast<int>(q.Int(8));
    r.api_calls = static_cast<int>(q.Int(9));
    r.end_time = FormatSeconds(SimTime(q.Int(10)));
    r.traces = static_cast<int>(q.Int(11));
    out.push_back(r);
  }
  return out;
}

Result<RunSnapshot> HistoryDb::LoadSnapshot(int64_t id) {
  Stmt q(impl_->db, "SELECT scenario, aws_json FROM runs WHERE id = ?");
  if (!q.ok()) return DbError(impl_->db, "load run");
  q.Bind(id);
  if (!q.Row()) return MakeError(ErrorCode::kNotFound, "history: no run " + std::to_string(id));
  RunSnapshot s;
  s.scenario = q.Text(0);
  s.aws_json = q.Text(1);
  s.label = "run " + std::to_string(id) + " (" + s.scenario + ")";
  Stmt t(impl_->db, "SELECT json FROM traces WHERE run_id = ? ORDER BY seq");
  if (!t.ok()) return DbError(impl_->db, "load traces");
  t.Bind(id);
  while (t.Row()) s.traces_json.push_back(t.Text(0));
  return s;
}

Result<int64_t> HistoryDb::LatestRunId(const std::string& scenario) {
  Stmt q(impl_->db, "SELECT max(id) FROM runs WHERE (? = '' OR scenario = ?)");
  if (!q.ok()) return DbError(impl_->db, "latest run");
  q.Bind(scenario).Bind(scenario);
  if (!q.Row() || q.Int(0) == 0) return MakeError(ErrorCode::kNotFound, "history: no run stored yet");
  return q.Int(0);
}

std::string RenderRunList(const std::vector<RunSummary>& runs) {
  auto pad = [](const std::string& s, size_t n) { return s.size() >= n ? s + "  " : s + std::string(n - s.size() + 2, ' '); };
  size_t scen_w = 8, when_w = 8;
  for (const auto& r : runs) {
    scen_w = std::max(scen_w, r.scenario.size());
    when_w = std::max(when_w, r.recorded_at.size());
  }
  std::ostringstream out;
  out << pad("ID", 5) << pad("RECORDED", when_w) << pad("SCENARIO", scen_w) << pad("RESULT", 6) << pad("EXPECTATIONS", 12)
      << pad("API CALLS", 9) << pad("TRACES", 6) << pad("SIM TIME", 10) << "LABEL\n";
  for (const auto& r : runs) {
    std::string result = r.exit_code == 2 ? "ERROR" : r.passed ? "PASS" : "FAIL";
    out << pad(std::to_string(r.id), 5) << pad(r.recorded_at, when_w) << pad(r.scenario, scen_w) << pad(result, 6)
        << pad(std::to_string(r.expectations - r.expectations_failed) + "/" + std::to_string(r.expectations), 12)
        << pad(std::to_string(r.api_calls), 9) << pad(std::to_string(r.traces), 6) << pad(r.end_time, 10) << r.label
        << "\n";
  }
  out << runs.size() << " run(s)\n";
  return out.str();
}

}  // namespace sim::reports
