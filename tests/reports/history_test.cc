#include "reports/history.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "reports/diff.h"
#include "tests/reports/fixtures.h"

namespace sim::reports {
namespace {

namespace fs = std::filesystem;

struct TempDb {
  fs::path dir;
  std::string path;
  TempDb() {
    char tmpl[] = "/tmp/albtwin-history-XXXXXX";
    dir = mkdtemp(tmpl);
    path = (dir / "runs.db").string();
  }
  ~TempDb() { fs::remove_all(dir); }
};

// One value from a query on the database file, read with SQLite directly.
std::string Query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  std::string out = "(error)";
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK) {
    out = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)
              ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0))
              : "";
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

TEST_SUITE("reports.history") {
TEST_CASE("runs are stored with their steps, calls, events, resources and traces, and listed newest first") {
  TempDb t;
  auto db = HistoryDb::Open(t.path);
  REQUIRE_MESSAGE(db.ok(), db.error().message);
  StoreOptions o;
  o.recorded_at = "2026-03-01T10:00:00Z";
  o.label = "abc123";
  auto first = db.value()->StoreRun(testing::SampleRecord(true), o);
  REQUIRE(first.ok());
  auto second = db.value()->StoreRun(testing::SampleRecord(false));
  REQUIRE(second.ok());
  CHECK(second.value() == first.value() + 1);

  auto runs = db.value()->ListRuns();
  REQUIRE(runs.ok());
  REQUIRE(runs.value().size() == 2);
  CHECK(runs.value()[0].id == second.value());
  CHECK_FALSE(runs.value()[0].passed);
  CHECK(runs.value()[0].expectations_failed == 1);
  CHECK(runs.value()[1].label == "abc123");
  CHECK(runs.value()[1].recorded_at == "2026-03-01T10:00:00Z");
  CHECK(runs.value()[1].api_calls == 4);
  CHECK(runs.value()[1].traces == 2);
  CHECK(runs.value()[1].end_time == "65.000s");
  CHECK(db.value()->ListRuns("web-sample", 1).value().size() == 1);
  CHECK(db.value()->ListRuns("other").value().empty());
  CHECK(db.value()->LatestRunId().value() == second.value());

  const std::string id = std::to_string(first.value());
  CHECK(Query(t.path, "SELECT count(*) FROM steps WHERE run_id = " + id) == "5");
  CHECK(Query(t.path, "SELECT count(*) FROM expectations WHERE run_id = " + id) == "2");
  CHECK(Query(t.path, "SELECT count(*) FROM api_calls WHERE run_id = " + id + " AND call = 'CreateLoadBalancer'") == "2");
  CHECK(Query(t.path, "SELECT error_code FROM api_calls WHERE run_id = " + id + " AND ok = 0") == "Throttling");
  CHECK(Query(t.path, "SELECT step FROM api_calls WHERE run_id = " + id + " AND seq = 3") == "1");
  CHECK(Query(t.path, "SELECT reason FROM events WHERE run_id = " + id) == "SuccessfullyReconciled");
  CHECK(Query(t.path, "SELECT count(*) FROM resources WHERE run_id = " + id + " AND kind = 'target'") == "4");
  CHECK(Query(t.path, "SELECT key FROM resources WHERE run_id = " + id + " AND kind = 'load balancer'") ==
        "default/web LoadBalancer");
  CHECK(Query(t.path, "SELECT pod FROM traces WHERE run_id = " + id + " AND seq = 0") == "api-2");
  CHECK(Query(t.path, "SELECT failed_at FROM traces WHERE run_id = " + id + " AND seq = 1") == "listener");
  CHECK(Query(t.path, "SELECT count(*) FROM hops WHERE run_id = " + id + " AND trace_seq = 0") == "11");
  CHECK(Query(t.path, "SELECT notes_json FROM steps WHERE run_id = " + id + " AND idx = 1").find("+ load balancer") != std::string::npos);
  CHECK(Query(t.path, "PRAGMA journal_mode") == "wal");
  CHECK(Query(t.path, "SELECT value FROM meta WHERE key = 'schema_version'") == "1");
  for (const char* index : {"runs_by_scenario", "api_calls_by_call", "resources_by_key", "traces_by_step", "events_by_reason"}) {
    CHECK_MESSAGE(Query(t.path, std::string("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '") + index + "'") == "1",
                  index);
  }

  SUBCASE("a stored run's snapshot is what diff compares") {
    auto snap = db.value()->LoadSnapshot(first.value());
    REQUIRE(snap.ok());
    CHECK(snap.value().label == "run " + id + " (web-sample)");
    CHECK(snap.value().traces_json.size() == 2);
    CHECK(snap.value().traces_json[0].find("\"step\":3") != std::string::npos);
    CHECK(DiffRuns(snap.value(), db.value()->LoadSnapshot(second.value()).value()).same());
    CHECK(db.value()->LoadSnapshot(999).error().code == ErrorCode::kNotFound);
  }
  SUBCASE("the list renders as a table") {
    std::string text = RenderRunList(runs.value());
    CHECK(text.rfind("ID", 0) == 0);
    CHECK(text.find("web-sample") != std::string::npos);
    CHECK(text.find("FAIL") != std::string::npos);
    CHECK(text.find("abc123") != std::string::npos);
    CHECK(text.find("2 run(s)") != std::string::npos);
  }
}

TEST_CASE("a run killed while it is being stored leaves the database as it was") {
  TempDb t;
  {
    auto db = HistoryDb::Open(t.path);
    REQUIRE(db.ok());
    REQUIRE(db.value()->StoreRun(testing::SampleRecord()).ok());
  }
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto db = HistoryDb::Open(t.path);
    StoreOptions o;
    o.progress = [](const std::string& table, size_t) {
      if (table == "api_calls") raise(SIGKILL);  // half the run's rows are written
    };
    (void)db.value()->StoreRun(testing::SampleRecord(), o);
    _exit(0);  // not reached
  }
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  CHECK(Query(t.path, "PRAGMA integrity_check") == "ok");
  CHECK(Query(t.path, "SELECT count(*) FROM runs") == "1");
  CHECK(Query(t.path, "SELECT count(*) FROM steps") == "5");
  auto db = HistoryDb::Open(t.path);
  REQUIRE(db.ok());
  auto next = db.value()->StoreRun(testing::SampleRecord());
  REQUIRE(next.ok());
  CHECK(db.value()->ListRuns().value().size() == 2);
}

TEST_CASE("a file that is not a history database is refused") {
  TempDb t;
  SUBCASE("another SQLite database") {
    sqlite3* db = nullptr;
    sqlite3_open(t.path.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE invoices (id INTEGER)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    auto h = HistoryDb::Open(t.path);
    REQUIRE_FALSE(h.ok());
    CHECK(h.error().message.find("is not an albtwin history database") != std::string::npos);
    CHECK(Query(t.path, "SELECT count(*) FROM sqlite_master WHERE name = 'runs'") == "0");
  }
  SUBCASE("a text file") {
    std::ofstream(t.path) << "hello, this is not a database at all, just some text that is long enough\n";
    CHECK_FALSE(HistoryDb::Open(t.path).ok());
  }
  SUBCASE("no file, for reading") {
    auto h = HistoryDb::OpenExisting(t.path);
    REQUIRE_FALSE(h.ok());
    CHECK(h.error().code == ErrorCode::kNotFound);
    CHECK_FALSE(fs::exists(t.path));
  }
}
}

}  // namespace
}  // namespace sim::reports
