// What simulated pods answer to ALB health checks (sim/traffic/health_probe.h).
#include <doctest/doctest.h>

#include "sim/traffic/health_probe.h"

#include "sim/base/clock.h"
#include "sim/k8s/fake_api_server.h"

namespace sim::traffic {
namespace {

TEST_SUITE("traffic.health") {
TEST_CASE("matchers accept single codes, lists and ranges") {
  CHECK(MatcherAccepts("200", 200));
  CHECK_FALSE(MatcherAccepts("200", 204));
  CHECK(MatcherAccepts("200,204", 204));
  CHECK(MatcherAccepts("200-299", 250));
  CHECK_FALSE(MatcherAccepts("200-299", 302));
  CHECK(MatcherAccepts("", 200));  // default HttpCode 200
}
TEST_CASE("a pod answers 200 unless its annotations script failing paths") {
  std::map<std::string, std::string> a;
  CHECK(PodAnswer(a, "/healthz") == 200);
  a[kFailingPathsAnnotation] = "/healthz, /ready*";
  CHECK(PodAnswer(a, "/healthz") == 500);
  CHECK(PodAnswer(a, "/readyz") == 500);
  CHECK(PodAnswer(a, "/") == 200);
  a[kFailingStatusAnnotation] = "503";
  CHECK(PodAnswer(a, "/healthz") == 503);
  a[kFailingStatusAnnotation] = "timeout";
  CHECK(PodAnswer(a, "/healthz") == 0);
}

namespace mk = model::k8s;
namespace ma = model::aws;

// A Service web (NodePort 30080) with one EndpointSlice over pods web-1 (10.0.64.20) and
// web-2 (10.0.64.21), plus an unrelated pod other (10.0.64.30); one node i-0node1.
struct Cluster {
  SimClock clock;
  k8s::FakeApiServer api{clock};

  static std::shared_ptr<mk::Pod> MakePod(const std::string& name, const std::string& ip) {
    auto p = std::make_shared<mk::Pod>();
    p->metadata.namespace_ = "default";
    p->metadata.name = name;
    p->spec.containers = {mk::Container{"app", "nginx", {}, std::nullopt}};
    p->spec.node_name = "node-1";
    return p;
  }
  void RunPod(const std::string& name, const std::string& ip) {
    auto created = api.Create(*MakePod(name, ip));
    REQUIRE_MESSAGE(created.ok(), created.error().ToString());
    auto running = std::make_shared<mk::Pod>(*mk::As<mk::Pod>(created.value()));
    running->phase = "Running";
    running->pod_ip = ip;
    REQUIRE(api.UpdateStatus(*running).ok());
  }
  mk::EndpointSlice Slice(const std::vector<std::string>& ready_ips) {
    mk::EndpointSlice s;
    s.metadata.namespace_ = "default";
    s.metadata.name = "web-abc";
    s.metadata.labels["kubernetes.io/service-name"] = "web";
    s.ports = {mk::SlicePort{std::string("http"), 8080, "TCP", std::nullopt}};
    for (const auto& ip : ready_ips) {
      mk::SliceEndpoint e;
      e.addresses = {ip};
      e.conditions.ready = true;
      e.node_name = "node-1";
      s.endpoints.push_back(e);
    }
    return s;
  }
  Cluster() {
    mk::Service svc;
    svc.metadata.namespace_ = "default";
    svc.metadata.name = "web";
    svc.type = "NodePort";
    svc.selector = {{"app", "web"}};
    svc.ports = {mk::ServicePort{"http", "TCP", std::nullopt, 80, mk::IntOrString::Int(8080), 30080}};
    auto created = api.Create(svc);
    REQUIRE_MESSAGE(created.ok(), created.error().ToString());
    RunPod("web-1", "10.0.64.20");
    RunPod("web-2", "10.0.64.21");
    RunPod("other", "10.0.64.30");
    REQUIRE(api.Create(Slice({"10.0.64.20", "10.0.64.21"})).ok());
  }
};

ma::TargetGroup Tg(const std::string& type) {
  ma::TargetGroup tg;
  tg.target_group_arn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/" + type + "/0123";
  tg.target_type = type;
  tg.port = type == "ip" ? 8080 : 30080;
  return tg;
}

ma::TargetDescription Target(const std::string& id, int port) {
  ma::TargetDescription t;
  t.id = id;
  t.port = port;
  return t;
}

// The world observes only what a change may affect (world.cc): the probe must name every target
// whose answer could differ, and should leave the others alone.
TEST_CASE("a change notifies exactly the probed targets whose answer it may change") {
  Cluster c;
  PodHealthProbe probe(c.api, {{"node-1", "i-0node1"}});
  std::vector<ProbedTarget> notified;
  probe.on_change = [&](const std::vector<ProbedTarget>& t) { notified.insert(notified.end(), t.begin(), t.end()); };
  const ma::TargetGroup ip_tg = Tg("ip"), inst_tg = Tg("instance");
  const ProbedTarget ip_web1{ip_tg.target_group_arn, "10.0.64.20", 8080};
  const ProbedTarget ip_other{ip_tg.target_group_arn, "10.0.64.30", 8080};
  const ProbedTarget node{inst_tg.target_group_arn, "i-0node1", 30080};
  REQUIRE(probe.Probe(ip_tg, Target("10.0.64.20", 8080))->pass);
  REQUIRE(probe.Probe(ip_tg, Target("10.0.64.30", 8080))->pass);
  REQUIRE(probe.Probe(inst_tg, Target("i-0node1", 30080))->pass);  // answered by web-1, the first ready endpoint

  SUBCASE("a pod's annotations change: its ip target and the node port it answers for") {
    auto pod = std::make_shared<mk::Pod>(*mk::As<mk::Pod>(c.api.Get(mk::Kind::kPod, "default", "web-1").value()));
    pod->metadata.annotations[kFailingPathsAnnotation] = "/";
    REQUIRE(c.api.Update(*pod).ok());
    CHECK(notified == std::vector<ProbedTarget>{ip_web1, node});  // in the order they were first probed
    CHECK_FALSE(probe.Probe(inst_tg, Target("i-0node1", 30080))->pass);
    CHECK_FALSE(probe.Probe(ip_tg, Target("10.0.64.20", 8080))->pass);
  }
  SUBCASE("a pod no endpoint leads to: only its own ip target") {
    auto pod = std::make_shared<mk::Pod>(*mk::As<mk::Pod>(c.api.Get(mk::Kind::kPod, "default", "other").value()));
    pod->metadata.annotations[kFailingPathsAnnotation] = "/";
    REQUIRE(c.api.Update(*pod).ok());
    CHECK(notified == std::vector<ProbedTarget>{ip_other});
  }
  SUBCASE("the Service's endpoints change: the node port's targets, not the ip targets") {
    auto slice = c.Slice({});
    slice.metadata.resource_version = mk::As<mk::EndpointSlice>(c.api.Get(mk::Kind::kEndpointSlice, "default", "web-abc").value())->metadata.resource_version;
    REQUIRE(c.api.Update(slice).ok());
    CHECK(notified == std::vector<ProbedTarget>{node});
    const auto answer = *probe.Probe(inst_tg, Target("i-0node1", 30080));
    CHECK_FALSE(answer.pass);
    CHECK(answer.reason == "Target.FailedHealthChecks");  // Cluster policy, no endpoint: kube-proxy rejects
  }
  SUBCASE("a pod stops running: its ip target times out") {
    auto pod = std::make_shared<mk::Pod>(*mk::As<mk::Pod>(c.api.Get(mk::Kind::kPod, "default", "other").value()));
    pod->phase = "Succeeded";
    REQUIRE(c.api.UpdateStatus(*pod).ok());
    CHECK(notified == std::vector<ProbedTarget>{ip_other});
    CHECK(probe.Probe(ip_tg, Target("10.0.64.30", 8080))->reason == "Target.Timeout");
  }
}

// The memo a target's history keeps for the probe: set on the first probe, taken back when it still
// names the target, ignored (and replaced) when it names another one or nothing.
TEST_CASE("a probe memo names its target; a wrong or unknown memo is ignored and replaced") {
  Cluster c;
  PodHealthProbe probe(c.api, {{"node-1", "i-0node1"}});
  std::vector<ProbedTarget> notified;
  probe.on_change = [&](const std::vector<ProbedTarget>& t) { notified.insert(notified.end(), t.begin(), t.end()); };
  const ma::TargetGroup ip_tg = Tg("ip");
  uint32_t web1 = aws::kNoProbeMemo, other = aws::kNoProbeMemo;
  REQUIRE(probe.Probe(ip_tg, Target("10.0.64.20", 8080), &web1)->pass);
  REQUIRE(probe.Probe(ip_tg, Target("10.0.64.30", 8080), &other)->pass);
  CHECK(web1 != aws::kNoProbeMemo);
  CHECK(other != web1);
  const uint32_t web1_id = web1;
  CHECK(probe.Probe(ip_tg, Target("10.0.64.20", 8080), &web1)->pass);
  CHECK(web1 == web1_id);  // taken back as is
  // Another target's memo (same TG, other id; other port; other TG) and one past every id: each is
  // probed as itself and gets its own memo.
  uint32_t wrong = web1_id;
  CHECK(probe.Probe(ip_tg, Target("10.0.64.30", 8080), &wrong)->pass);
  CHECK(wrong == other);
  wrong = web1_id;
  CHECK(probe.Probe(ip_tg, Target("10.0.64.20", 9090), &wrong)->pass);  // the pod answers on any port
  CHECK(wrong != web1_id);
  ma::TargetGroup other_tg = Tg("ip");
  other_tg.target_group_arn += "9";
  wrong = web1_id;
  CHECK(probe.Probe(other_tg, Target("10.0.64.20", 8080), &wrong)->pass);
  CHECK(wrong != web1_id);
  uint32_t unknown = 123456;
  CHECK(probe.Probe(ip_tg, Target("10.0.64.21", 8080), &unknown)->pass);
  CHECK(unknown != 123456);
  // What each probe read was recorded under the right target: a change to web-1 notifies the
  // targets that read it, once each, and not the others.
  auto pod = std::make_shared<mk::Pod>(*mk::As<mk::Pod>(c.api.Get(mk::Kind::kPod, "default", "web-1").value()));
  pod->metadata.annotations[kFailingPathsAnnotation] = "/";
  REQUIRE(c.api.Update(*pod).ok());
  CHECK(notified == std::vector<ProbedTarget>{{ip_tg.target_group_arn, "10.0.64.20", 8080},
                                              {ip_tg.target_group_arn, "10.0.64.20", 9090},
                                              {other_tg.target_group_arn, "10.0.64.20", 8080}});
  CHECK_FALSE(probe.Probe(ip_tg, Target("10.0.64.20", 8080), &web1)->pass);
}

// Cluster-policy answers are shared by every node of a TG and port until the cluster or the TG's
// health check changes; Local-policy answers are per node.
TEST_CASE("instance targets on different nodes answer alike under Cluster and by node under Local") {
  Cluster c;
  PodHealthProbe probe(c.api, {{"node-1", "i-0node1"}, {"node-2", "i-0node2"}});
  std::vector<ProbedTarget> notified;
  probe.on_change = [&](const std::vector<ProbedTarget>& t) { notified.insert(notified.end(), t.begin(), t.end()); };
  ma::TargetGroup tg = Tg("instance");
  CHECK(probe.Probe(tg, Target("i-0node1", 30080))->pass);
  CHECK(probe.Probe(tg, Target("i-0node2", 30080))->pass);  // Cluster: node-2 reaches web-1 on node-1
  CHECK(probe.Probe(tg, Target("i-0unknown", 30080)) == nullptr);

  SUBCASE("a failing pod turns both nodes' answers") {
    auto pod = std::make_shared<mk::Pod>(*mk::As<mk::Pod>(c.api.Get(mk::Kind::kPod, "default", "web-1").value()));
    pod->metadata.annotations[kFailingPathsAnnotation] = "/";
    REQUIRE(c.api.Update(*pod).ok());
    const ma::TargetGroup& arn_tg = tg;
    CHECK(notified == std::vector<ProbedTarget>{ProbedTarget{arn_tg.target_group_arn, "i-0node1", 30080},
                                                ProbedTarget{arn_tg.target_group_arn, "i-0node2", 30080}});
    CHECK(probe.Probe(tg, Target("i-0node1", 30080))->reason == "Target.ResponseCodeMismatch");
    CHECK(probe.Probe(tg, Target("i-0node2", 30080))->reason == "Target.ResponseCodeMismatch");
  }
  SUBCASE("a new health check path or matcher is asked again, not answered from before") {
    auto pod = std::make_shared<mk::Pod>(*mk::As<mk::Pod>(c.api.Get(mk::Kind::kPod, "default", "web-1").value()));
    pod->metadata.annotations[kFailingPathsAnnotation] = "/healthz";
    REQUIRE(c.api.Update(*pod).ok());
    CHECK(probe.Probe(tg, Target("i-0node1", 30080))->pass);  // "/" still passes
    tg.health_check_path = "/healthz";
    CHECK_FALSE(probe.Probe(tg, Target("i-0node2", 30080))->pass);
    tg.health_check_path = "/";
    tg.matcher = ma::Matcher{std::string("204"), std::nullopt};
    const auto answer = *probe.Probe(tg, Target("i-0node1", 30080));
    CHECK(answer.reason == "Target.ResponseCodeMismatch");
    CHECK(answer.description == "Health checks failed with these codes: [200]");
  }
  SUBCASE("Local: only the node with a ready endpoint answers; the other times out") {
    auto svc = std::make_shared<mk::Service>(*mk::As<mk::Service>(c.api.Get(mk::Kind::kService, "default", "web").value()));
    svc->external_traffic_policy = "Local";
    REQUIRE(c.api.Update(*svc).ok());
    CHECK(probe.Probe(tg, Target("i-0node1", 30080))->pass);
    CHECK(probe.Probe(tg, Target("i-0node2", 30080))->reason == "Target.Timeout");
    CHECK(probe.Probe(tg, Target("i-0node1", 30080))->pass);
  }
}
}

}  // namespace
}  // namespace sim::traffic
