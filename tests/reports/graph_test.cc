#include "reports/graph.h"

#include <algorithm>
#include <string>

#include <doctest/doctest.h>

#include "tests/reports/fixtures.h"

namespace sim::reports {
namespace {

const GraphVertex* Find(const ResourceGraph& g, const std::string& id) {
  for (const auto& v : g.vertices) {
    if (v.id == id) return &v;
  }
  return nullptr;
}

size_t IndexOf(const ResourceGraph& g, const std::string& id) {
  for (size_t i = 0; i < g.vertices.size(); ++i) {
    if (g.vertices[i].id == id) return i;
  }
  return SIZE_MAX;
}

const GraphEdge* FindEdge(const ResourceGraph& g, const std::string& from, const std::string& to, const std::string& kind) {
  size_t f = IndexOf(g, from), t = IndexOf(g, to);
  for (const auto& e : g.edges) {
    if (e.from == f && e.to == t && e.kind == kind) return &e;
  }
  return nullptr;
}

GraphInput Sample(const traffic::Trace* trace = nullptr) {
  GraphInput in;
  in.aws_json = testing::AwsJson();
  in.kubernetes_json = testing::KubernetesJson();
  in.trace = trace;
  in.title = "sample";
  return in;
}

const std::string kLb = std::string("aws/lb/") + testing::kLbArn;
const std::string kListener = std::string("aws/listener/") + testing::kListenerArn;
const std::string kApiTg = std::string("aws/tg/") + testing::kApiTgArn;
const std::string kWebTg = std::string("aws/tg/") + testing::kWebTgArn;
const std::string kRule1 = std::string("aws/rule/") +
                           "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener-rule/app/k8s-default-web-1111111111/"
                           "aaaa/bbbb/r1";

TEST_SUITE("reports.graph") {
TEST_CASE("the graph has a vertex for each Kubernetes object and AWS resource of the Ingress") {
  auto g = BuildResourceGraph(Sample());
  REQUIRE(g.ok());
  for (const char* id : {"k8s/IngressClass/alb", "k8s/Ingress/default/web", "k8s/Service/default/api",
                         "k8s/Service/default/webapp", "k8s/EndpointSlice/default/api-abcde", "k8s/Pod/default/api-1",
                         "k8s/Node/node-a", "k8s/TargetGroupBinding/default/k8s-default-api-2222222222",
                         "aws/sg/sg-0managed", "aws/sg/sg-0backend", "aws/sg/sg-0cluster", "aws/subnet/subnet-pub-a"}) {
    CHECK_MESSAGE(Find(g.value(), id) != nullptr, id);
  }
  CHECK(Find(g.value(), kLb) != nullptr);
  CHECK(Find(g.value(), kListener) != nullptr);
  CHECK(Find(g.value(), kRule1) != nullptr);
  CHECK(Find(g.value(), kApiTg) != nullptr);
  CHECK(Find(g.value(), kApiTg.substr(0, 0) + "aws/target/" + testing::kApiTgArn + "/i-0node0a:30080") != nullptr);
  SUBCASE("objects no Ingress or binding uses are left out") {
    CHECK(Find(g.value(), "k8s/Service/default/unrelated") == nullptr);
    CHECK(Find(g.value(), "aws/sg/sg-0default") == nullptr);
  }
  SUBCASE("the default rule is drawn") {
    bool found = false;
    for (const auto& v : g.value().vertices) found |= v.kind == "Rule" && v.label.find("default rule") != std::string::npos;
    CHECK(found);
  }
}

TEST_CASE("edges show ownership by tag, the listener and rule chain, forwarding and the targets' nodes") {
  auto g = BuildResourceGraph(Sample());
  REQUIRE(g.ok());
  const auto& gr = g.value();
  CHECK(FindEdge(gr, "k8s/Ingress/default/web", kLb, "stack") != nullptr);
  CHECK(FindEdge(gr, "k8s/Ingress/default/web", "aws/sg/sg-0managed", "stack") != nullptr);
  CHECK(FindEdge(gr, "k8s/IngressClass/alb", "k8s/Ingress/default/web", "class") != nullptr);
  CHECK(FindEdge(gr, kLb, kListener, "listener") != nullptr);
  CHECK(FindEdge(gr, kListener, kRule1, "rule") != nullptr);
  CHECK(FindEdge(gr, kRule1, kApiTg, "forward") != nullptr);
  CHECK(FindEdge(gr, "k8s/TargetGroupBinding/default/k8s-default-api-2222222222", kApiTg, "binds") != nullptr);
  CHECK(FindEdge(gr, "aws/target/" + std::string(testing::kApiTgArn) + "/i-0node0a:30080", "k8s/Node/node-a", "target") != nullptr);
  CHECK(FindEdge(gr, "k8s/Service/default/api", "k8s/EndpointSlice/default/api-abcde", "endpoints") != nullptr);
  CHECK(FindEdge(gr, "k8s/Node/node-b", "k8s/Pod/default/api-2", "hosts") != nullptr);
  CHECK(FindEdge(gr, kLb, "aws/sg/sg-0backend", "security-group") != nullptr);
  CHECK(FindEdge(gr, "aws/sg/sg-0backend", "aws/sg/sg-0cluster", "security-group") != nullptr);
  const GraphEdge* backend = FindEdge(gr, "k8s/Ingress/default/web", "k8s/Service/default/api", "backend");
  REQUIRE(backend != nullptr);
  CHECK(backend->label == "/api → :http");
}

TEST_CASE("a traced request is a highlighted path from the client to the pod") {
  traffic::Trace t = testing::ApiTrace();
  auto g = BuildResourceGraph(Sample(&t));
  REQUIRE(g.ok());
  const auto& gr = g.value();
  std::vector<std::string> want = {"client", kLb, "aws/sg/sg-0managed", kListener, kRule1, kApiTg,
                                   "aws/target/" + std::string(testing::kApiTgArn) + "/i-0node0a:30080",
                                   "k8s/Node/node-a", "k8s/Pod/default/api-2"};
  CHECK(gr.path == want);
  for (const auto& id : want) {
    const GraphVertex* v = Find(gr, id);
    REQUIRE_MESSAGE(v != nullptr, id);
    CHECK_MESSAGE(v->on_path, id);
  }
  CHECK_FALSE(Find(gr, "k8s/Pod/default/api-1")->on_path);
  CHECK_FALSE(Find(gr, kWebTg)->on_path);
  CHECK(FindEdge(gr, kRule1, kApiTg, "forward")->on_path);
  CHECK(FindEdge(gr, kLb, kListener, "listener")->on_path);
  CHECK(FindEdge(gr, "client", kLb, "request")->on_path);
  SUBCASE("kube-proxy's hop to a pod on another node is its own edge, not a detour through the graph") {
    const GraphEdge* proxy = FindEdge(gr, "k8s/Node/node-a", "k8s/Pod/default/api-2", "request");
    REQUIRE(proxy != nullptr);
    CHECK(proxy->label == "kube-proxy");
    CHECK_FALSE(FindEdge(gr, "k8s/Node/node-a", "k8s/Pod/default/api-1", "hosts")->on_path);
  }
  size_t on_path_edges = std::count_if(gr.edges.begin(), gr.edges.end(), [](const GraphEdge& e) { return e.on_path; });
  CHECK(on_path_edges == 8);  // client->lb, lb->sg, lb->listener, listener->rule, rule->tg, tg->target, target->node, node->pod
}

TEST_CASE("a request that stops is drawn up to the hop where it stopped") {
  traffic::Trace t = testing::RefusedTrace();
  auto g = BuildResourceGraph(Sample(&t));
  REQUIRE(g.ok());
  const GraphVertex* failure = Find(g.value(), "failure");
  REQUIRE(failure != nullptr);
  CHECK(failure->failed_at);
  CHECK(failure->label.find("no listener on port 8080") != std::string::npos);
  CHECK(Find(g.value(), kLb)->on_path);
  CHECK_FALSE(Find(g.value(), kListener)->on_path);
  CHECK(RenderDot(g.value()).find("#fde0e0") != std::string::npos);
}

TEST_CASE("DOT output is deterministic and escapes labels") {
  traffic::Trace t = testing::ApiTrace();
  auto a = BuildResourceGraph(Sample(&t));
  auto b = BuildResourceGraph(Sample(&t));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  std::string dot = RenderDot(a.value());
  CHECK(dot == RenderDot(b.value()));
  CHECK(dot.rfind("digraph albtwin {", 0) == 0);
  CHECK(dot.find("subgraph cluster_kubernetes") != std::string::npos);
  CHECK(dot.find("subgraph cluster_aws") != std::string::npos);
  CHECK(dot.find("penwidth=3") != std::string::npos);
  ResourceGraph g;
  g.vertices.push_back({"x", "Ingress", "say \"hi\"\\now", "x", false, false, false});
  std::string esc = RenderDot(g);
  CHECK(esc.find("label=\"say \\\"hi\\\"\\\\now\"") != std::string::npos);
}

TEST_CASE("bad JSON is an error, not a crash") {
  GraphInput in;
  in.aws_json = "{not json";
  auto g = BuildResourceGraph(in);
  REQUIRE_FALSE(g.ok());
  CHECK(g.error().code == ErrorCode::kInvalidArgument);
  in.aws_json = R"({"LoadBalancers": [{"LoadBalancerArn": 5, "SecurityGroups": [1, null]}], "Rules": "x", "Tags": []})";
  in.kubernetes_json = R"({"items": [{"kind": "Ingress", "metadata": null, "spec": {"rules": [{"http": 3}]}}]})";
  CHECK(BuildResourceGraph(in).ok());
}

TEST_CASE("Graphviz draws the graph as SVG") {
  traffic::Trace t = testing::ApiTrace();
  auto g = BuildResourceGraph(Sample(&t));
  REQUIRE(g.ok());
  auto svg = RenderSvg(RenderDot(g.value()));
  REQUIRE_MESSAGE(svg.ok(), svg.error().message);
  CHECK(svg.value().find("<svg") != std::string::npos);
  CHECK(svg.value().find("Generated by graphviz") == std::string::npos);
  CHECK(svg.value().find("api&#45;2222222222") != std::string::npos);  // Graphviz writes "-" as &#45;
  CHECK(InlineSvg(svg.value()).rfind("<svg", 0) == 0);
  SUBCASE("the same graph gives the same SVG") { CHECK(RenderSvg(RenderDot(g.value())).value() == svg.value()); }
  SUBCASE("a broken DOT text is reported with Graphviz's message") {
    auto bad = RenderSvg("digraph { a -> }");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("dot -Tsvg failed") != std::string::npos);
  }
  SUBCASE("dot stopping early on a long bad input is an error, not a SIGPIPE") {
    auto bad = RenderSvg("digraph { a -> } " + std::string(4 << 20, 'x'));
    CHECK_FALSE(bad.ok());
  }
}

TEST_CASE("the state after a step comes from that step's snapshot") {
  scenario::RunRecord rec = testing::SampleRecord();
  auto first = GraphInputAt(rec, 0);
  REQUIRE(first.ok());
  auto g0 = BuildResourceGraph(first.value());
  REQUIRE(g0.ok());
  CHECK(std::none_of(g0.value().vertices.begin(), g0.value().vertices.end(),
                     [](const GraphVertex& v) { return v.kind == "LoadBalancer"; }));
  CHECK(first.value().title.find("after step [1] apply") != std::string::npos);
  auto second = GraphInputAt(rec, 1);
  REQUIRE(second.ok());
  auto g1 = BuildResourceGraph(second.value());
  CHECK(std::any_of(g1.value().vertices.begin(), g1.value().vertices.end(),
                    [](const GraphVertex& v) { return v.kind == "LoadBalancer"; }));
  auto missing = GraphInputAt(rec, 9);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "step 10 does not exist: the scenario has 5 step(s)");
  rec.steps[0].aws_json.clear();
  CHECK(GraphInputAt(rec, 0).error().code == ErrorCode::kFailedPrecondition);
  CHECK(GraphInputAt(rec, -1).value().aws_json == rec.aws_json);
}

TEST_CASE("a JSON report's final state can be drawn") {
  std::string report = R"({"scenario": "x", "aws": )" + testing::AwsJson() + R"(, "kubernetes": )" + testing::KubernetesJson() + "}";
  auto in = GraphInputFromJsonReport(report);
  REQUIRE(in.ok());
  auto g = BuildResourceGraph(in.value());
  REQUIRE(g.ok());
  CHECK(Find(g.value(), kLb) != nullptr);
  CHECK_FALSE(GraphInputFromJsonReport("[1, 2]").ok());
}
}

}  // namespace
}  // namespace sim::reports
