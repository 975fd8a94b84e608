#include "reports/diff.h"

#include <string>

#include <doctest/doctest.h>

#include "reports/json_report.h"
#include "tests/reports/fixtures.h"

namespace sim::reports {
namespace {

RunSnapshot Snap(const std::string& aws, const std::string& label, std::vector<std::string> traces = {}) {
  RunSnapshot s;
  s.label = label;
  s.scenario = "web-sample";
  s.aws_json = aws;
  s.traces_json = std::move(traces);
  return s;
}

const ResourceChange* Change(const RunDiff& d, const std::string& kind) {
  for (const auto& c : d.resources) {
    if (c.kind == kind) return &c;
  }
  return nullptr;
}

TEST_SUITE("reports.diff") {
TEST_CASE("resources are normalised with names for ARNs and identity keys from the stack tags") {
  auto rs = NormaliseAwsState(testing::AwsJson());
  std::map<std::string, int> kinds;
  for (const auto& r : rs) kinds[r.kind]++;
  CHECK(kinds["load balancer"] == 1);
  CHECK(kinds["listener"] == 1);
  CHECK(kinds["rule"] == 3);
  CHECK(kinds["target group"] == 2);
  CHECK(kinds["target"] == 4);
  CHECK(kinds["security group"] == 4);
  for (const auto& r : rs) {
    if (r.kind == "target group" && r.name == "k8s-default-api-2222222222") {
      CHECK(r.key == "default/web default/web-api:http");
      CHECK(r.json.find("arn:aws") == std::string::npos);
      CHECK(r.json.find("\"LoadBalancerArns\":[\"k8s-default-web-1111111111\"]") != std::string::npos);
      CHECK(r.json.find("\"Tags\":{") != std::string::npos);
    }
    if (r.kind == "rule" && r.name.find("priority 1") != std::string::npos) {
      CHECK(r.key == "default/web LoadBalancer :80 priority 1");
      CHECK(r.name == "k8s-default-web-1111111111 HTTP:80 priority 1");
    }
    if (r.kind == "security group" && r.name == "k8s-traffic-demo-5555555555") CHECK(r.key == "demo backend-sg");
  }
  CHECK(NormaliseAwsState("not json").empty());
}

TEST_CASE("the same state gives no changes and exit 0") {
  RunDiff d = DiffRuns(Snap(testing::AwsJson(), "a"), Snap(testing::AwsJson(), "b"));
  CHECK(d.same());
  CHECK(RenderDiff(d, Snap("", "run 1"), Snap("", "run 2")).find("No changes.") != std::string::npos);
}

TEST_CASE("a scheme change replaces the load balancer, naming the field") {
  RunDiff d = DiffRuns(Snap(testing::AwsJson("internet-facing"), "a"), Snap(testing::AwsJson("internal"), "b"));
  const ResourceChange* lb = Change(d, "load balancer");
  REQUIRE(lb != nullptr);
  CHECK(lb->action == "-/+");
  REQUIRE(lb->fields.size() == 1);
  CHECK(lb->fields[0].path == "Scheme");
  CHECK(lb->fields[0].forces_replacement);
  std::string text = RenderDiff(d, Snap("", "run 1"), Snap("", "run 2"));
  CHECK(text.find("-/+ load balancer \"k8s-default-web-1111111111\"  (default/web LoadBalancer)  must be replaced") !=
        std::string::npos);
  CHECK(text.find("~ Scheme: \"internet-facing\" -> \"internal\"  # forces replacement") != std::string::npos);
  SUBCASE("its listener and rules go with it") {
    const ResourceChange* l = Change(d, "listener");
    REQUIRE(l != nullptr);
    CHECK(l->action == "-/+");
    REQUIRE(l->fields.size() == 1);
    CHECK(l->fields[0].path.empty());
    CHECK(l->fields[0].after == "load balancer");
    CHECK(text.find("# forces replacement: its load balancer is replaced") != std::string::npos);
    CHECK(text.find("# forces replacement: its listener is replaced") != std::string::npos);
    CHECK(text.find("Plan: 5 to add, 0 to change, 5 to destroy.") != std::string::npos);  // lb, listener, 3 rules
    CHECK(Change(d, "target group") == nullptr);
  }
}

TEST_CASE("a target type change replaces the target group; a health check path is changed in place") {
  SUBCASE("target type") {
    RunDiff d = DiffRuns(Snap(testing::AwsJson("internet-facing", "instance"), "a"),
                         Snap(testing::AwsJson("internet-facing", "ip"), "b"));
    const ResourceChange* tg = Change(d, "target group");
    REQUIRE(tg != nullptr);
    CHECK(tg->action == "-/+");
    CHECK(tg->key == "default/web default/web-api:http");
    CHECK(tg->fields[0].path == "TargetType");
    CHECK(tg->fields[0].forces_replacement);
  }
  SUBCASE("health check path") {
    RunDiff d = DiffRuns(Snap(testing::AwsJson("internet-facing", "instance", "/"), "a"),
                         Snap(testing::AwsJson("internet-facing", "instance", "/healthz"), "b"));
    REQUIRE(d.resources.size() == 2);  // both target groups
    for (const auto& c : d.resources) {
      CHECK(c.action == "~");
      REQUIRE(c.fields.size() == 1);
      CHECK(c.fields[0].path == "HealthCheckPath");
      CHECK_FALSE(c.fields[0].forces_replacement);
    }
    std::string text = RenderDiff(d, Snap("", "a"), Snap("", "b"));
    CHECK(text.find("~ target group \"k8s-default-api-2222222222\"") != std::string::npos);
    CHECK(text.find("updated in-place") != std::string::npos);
    CHECK(text.find("Plan: 0 to add, 2 to change, 0 to destroy.") != std::string::npos);
  }
}

TEST_CASE("added and removed rules are + and -") {
  RunDiff add = DiffRuns(Snap(testing::AwsJson(), "a"), Snap(testing::AwsJson("internet-facing", "instance", "/", true), "b"));
  REQUIRE(add.resources.size() == 1);
  CHECK(add.resources[0].action == "+");
  CHECK(add.resources[0].kind == "rule");
  CHECK(add.resources[0].name_after == "k8s-default-web-1111111111 HTTP:80 priority 3");
  std::string text = RenderDiff(add, Snap("", "a"), Snap("", "b"));
  CHECK(text.find("+ rule \"k8s-default-web-1111111111 HTTP:80 priority 3\"") != std::string::npos);
  CHECK(text.find("+ Conditions[0].HostHeaderConfig.Values[0]: \"x.example.com\"") != std::string::npos);
  RunDiff del = DiffRuns(Snap(testing::AwsJson("internet-facing", "instance", "/", true), "a"), Snap(testing::AwsJson(), "b"));
  REQUIRE(del.resources.size() == 1);
  CHECK(del.resources[0].action == "-");
  CHECK(RenderDiff(del, Snap("", "a"), Snap("", "b")).find("Plan: 0 to add, 0 to change, 1 to destroy.") != std::string::npos);
}

TEST_CASE("trace changes show what the client got and where the request went") {
  traffic::Trace ok = testing::ApiTrace();
  traffic::Trace broken = testing::ApiTrace();
  broken.hops.resize(8);
  broken.hops[7].ok = false;
  broken.result.status = 503;
  broken.result.failed_at = "target-group";
  broken.result.reason = "no registered targets: 503 Service Unavailable";
  broken.result.pod.clear();
  broken.result.target.clear();
  auto trace_json = [](const traffic::Trace& t, int step) {
    std::string j = RenderTraceJson(t);
    return "{\"step\": " + std::to_string(step) + ", " + j.substr(1);
  };
  RunDiff d = DiffRuns(Snap(testing::AwsJson(), "a", {trace_json(ok, 3)}), Snap(testing::AwsJson(), "b", {trace_json(broken, 3)}));
  CHECK(d.resources.empty());
  REQUIRE(d.traces.size() == 1);
  CHECK(d.traces[0].action == "~");
  CHECK(d.traces[0].title == "[step 4] GET " + ok.request.url);
  std::string text = RenderDiff(d, Snap("", "a"), Snap("", "b"));
  CHECK(text.find("~ status: 200 -> 503") != std::string::npos);
  CHECK(text.find("~ failedAt: (none) -> \"target-group\"") != std::string::npos);
  CHECK(text.find("~ pod: \"api-2\" -> (none)") != std::string::npos);
  CHECK(text.find("1 trace(s) changed.") != std::string::npos);
  RunDiff gone = DiffRuns(Snap(testing::AwsJson(), "a", {trace_json(ok, 3)}), Snap(testing::AwsJson(), "b"));
  REQUIRE(gone.traces.size() == 1);
  CHECK(gone.traces[0].action == "-");
}

TEST_CASE("JSON reports are compared like stored runs") {
  scenario::RunRecord a = testing::SampleRecord();
  scenario::RunRecord b = testing::SampleRecord();
  b.aws_json = testing::AwsJson("internal");
  auto sa = SnapshotFromJsonReport(RenderJson(a), "a.json");
  auto sb = SnapshotFromJsonReport(RenderJson(b), "b.json");
  REQUIRE(sa.ok());
  REQUIRE(sb.ok());
  CHECK(sa.value().traces_json.size() == 2);
  CHECK(DiffRuns(sa.value(), sa.value()).same());
  RunDiff d = DiffRuns(sa.value(), sb.value());
  REQUIRE(d.resources.size() == 5);  // the load balancer, and its listener and rules with it
  CHECK(d.resources[0].kind == "load balancer");
  CHECK(d.resources[0].action == "-/+");
  CHECK(RenderDiff(d, sa.value(), sb.value()).rfind("albtwin diff: a.json -> b.json", 0) == 0);
  auto bad = SnapshotFromJsonReport("{\"scenario\": 1}", "x.json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("not an albtwin JSON report") != std::string::npos);
}
}

}  // namespace
}  // namespace sim::reports
