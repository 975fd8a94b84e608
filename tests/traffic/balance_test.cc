// Target choice over many requests: weights, stickiness, algorithms, fail-open, and the compiled
// rule index agreeing with the full trace.
#include <doctest/doctest.h>

#include "sim/traffic/router.h"
#include "sim/traffic/rule_index.h"

namespace sim::traffic {
namespace {

namespace m = model::aws;

const char* kDns = "lb-1.us-west-2.elb.amazonaws.com";

Request Req(const std::string& url, std::map<std::string, std::string> headers = {}) {
  Request r;
  r.url = url;
  r.headers = std::move(headers);
  std::string err;
  REQUIRE(ParseUrl(&r, &err));
  return r;
}

m::RuleCondition Cond(const std::string& field, std::vector<std::string> v) {
  m::RuleCondition c;
  c.field = field;
  if (field == "host-header") c.host_header_config = m::HostHeaderConditionConfig{std::move(v), {}};
  if (field == "path-pattern") c.path_pattern_config = m::PathPatternConditionConfig{std::move(v), {}};
  return c;
}

// One ALB, HTTP:80; default action: forward to `tgs` with `weights`; each TG has `pods` ip targets.
WorldView World(const std::vector<int>& weights, int pods) {
  WorldView v;
  v.vpc_cidr = "10.0.0.0/16";
  LoadBalancerView lb;
  lb.lb.load_balancer_name = "lb";
  lb.lb.dns_name = kDns;
  lb.lb.scheme = "internet-facing";
  lb.lb.state.code = "active";
  ListenerView l;
  l.listener.listener_arn = "arn:listener/1";
  l.listener.port = 80;
  l.listener.protocol = "HTTP";
  m::Action fwd;
  fwd.type = "forward";
  fwd.forward_config = m::ForwardActionConfig{};
  for (size_t i = 0; i < weights.size(); ++i) {
    const std::string arn = "arn:tg/" + std::to_string(i);
    fwd.forward_config->target_groups.push_back({arn, weights[i]});
    TargetGroupView tg;
    tg.tg.target_group_arn = arn;
    tg.tg.target_group_name = "tg" + std::to_string(i);
    tg.tg.target_type = "ip";
    tg.tg.port = 8080;
    for (int p = 0; p < pods; ++p) {
      const std::string ip = "10.0." + std::to_string(i) + "." + std::to_string(10 + p);
      tg.targets.push_back(TargetView{{ip, 8080, std::nullopt}, {"healthy", "", ""}});
      v.pods_by_ip[ip] = PodView{"default", "tg" + std::to_string(i) + "-pod" + std::to_string(p), ip, "node-a",
                                 "Running", true, true, {8080}};
    }
    v.target_groups[arn] = tg;
  }
  l.listener.default_actions = {fwd};
  lb.listeners = {l};
  v.load_balancers = {lb};
  return v;
}

std::map<std::string, int> Send(const WorldView& v, RouterState& state, int n, const std::string& from = "internet") {
  std::map<std::string, int> dist;
  Router router(v);
  for (int i = 0; i < n; ++i) {
    Request r = Req(std::string("http://") + kDns + "/");
    r.from = from;
    Trace t = router.Route(r, state);
    dist[t.result.pod.empty() ? "status " + std::to_string(t.result.status) : t.result.pod]++;
  }
  return dist;
}

TEST_SUITE("traffic.balance") {
TEST_CASE("a weighted forward splits requests by weight, the same way for the same seed") {
  WorldView v = World({90, 10}, 1);
  RouterState a(7), b(7);
  auto da = Send(v, a, 1000);
  auto db = Send(v, b, 1000);
  CHECK(da == db);
  CHECK(da["tg0-pod0"] > 850);
  CHECK(da["tg0-pod0"] < 950);
  CHECK(da["tg1-pod0"] == 1000 - da["tg0-pod0"]);
}

TEST_CASE("weight 0 never receives a request") {
  WorldView v = World({0, 100}, 1);
  RouterState s;
  auto d = Send(v, s, 50);
  CHECK(d["tg1-pod0"] == 50);
  CHECK(d.count("tg0-pod0") == 0);
}

TEST_CASE("round robin spreads evenly; stickiness keeps one client on one target") {
  WorldView v = World({1}, 3);
  RouterState s;
  auto d = Send(v, s, 30);
  CHECK(d["tg0-pod0"] == 10);
  CHECK(d["tg0-pod1"] == 10);
  CHECK(d["tg0-pod2"] == 10);
  v.target_groups["arn:tg/0"].attributes["stickiness.enabled"] = "true";
  RouterState s2;
  auto sticky = Send(v, s2, 30);
  CHECK(sticky.size() == 1);
  CHECK(sticky.begin()->second == 30);
  auto other = Send(v, s2, 10, "198.51.100.7");  // another client gets its own cookie
  CHECK(other.size() == 1);
}

TEST_CASE("least outstanding requests balances a burst; weighted_random stays within the group") {
  WorldView v = World({1}, 4);
  v.target_groups["arn:tg/0"].attributes["load_balancing.algorithm.type"] = "least_outstanding_requests";
  RouterState s;
  auto d = Send(v, s, 40);
  REQUIRE(d.size() == 4);
  for (const auto& [pod, n] : d) CHECK(n == 10);
  v.target_groups["arn:tg/0"].attributes["load_balancing.algorithm.type"] = "weighted_random";
  RouterState r(3);
  auto w = Send(v, r, 400);
  int total = 0;
  for (const auto& [pod, n] : w) {
    CHECK(n > 50);
    total += n;
  }
  CHECK(total == 400);
}

TEST_CASE("when every target is unhealthy the ALB fails open; an initial target gets nothing") {
  WorldView v = World({1}, 2);
  auto& tg = v.target_groups["arn:tg/0"];
  tg.targets[0].health = {"unhealthy", "Target.ResponseCodeMismatch", ""};
  tg.targets[1].health = {"unhealthy", "Target.Timeout", ""};
  RouterState s;
  auto d = Send(v, s, 4);
  CHECK(d["tg0-pod0"] == 2);
  CHECK(d["tg0-pod1"] == 2);
  tg.targets[1].health = {"initial", "Elb.InitialHealthChecking", ""};
  RouterState s2;
  auto d2 = Send(v, s2, 2);
  CHECK(d2["status 503"] == 2);
}

TEST_CASE("node security groups are checked at the target hop only when enforced") {
  WorldView v = World({1}, 1);
  v.load_balancers[0].lb.security_groups = {"sg-lb"};
  m::SecurityGroup lb_sg;
  lb_sg.group_id = "sg-lb";
  m::IpPermission http;
  http.ip_protocol = "tcp";
  http.from_port = 80;
  http.to_port = 80;
  http.ip_ranges = {{"0.0.0.0/0", ""}};
  lb_sg.ip_permissions = {http};
  v.security_groups["sg-lb"] = lb_sg;
  NodeView node;
  node.name = "node-a";
  node.security_groups = {"sg-node"};
  v.nodes_by_name["node-a"] = node;
  m::SecurityGroup node_sg;
  node_sg.group_id = "sg-node";
  v.security_groups["sg-node"] = node_sg;  // no inbound rule yet
  RouterState s;
  Request r = Req(std::string("http://") + kDns + "/");
  CHECK(Router(v).Route(r, s).result.status == 200);  // not enforced: no hop, served
  v.enforce_target_security_groups = true;
  Trace blocked = Router(v).Route(r, s);
  CHECK(blocked.result.failed_at == "security-group");
  CHECK(blocked.result.status == 504);
  m::IpPermission from_lb;
  from_lb.ip_protocol = "tcp";
  from_lb.from_port = 0;
  from_lb.to_port = 65535;
  from_lb.user_id_group_pairs = {m::UserIdGroupPair{"sg-lb", "", "elbv2.k8s.aws/targetGroupBinding=shared"}};
  v.security_groups["sg-node"].ip_permissions = {from_lb};
  Trace ok = Router(v).Route(r, s);
  CHECK(ok.result.status == 200);
  CHECK(ok.hops[ok.hops.size() - 2].kind == "security-group");
  CHECK(ok.hops[ok.hops.size() - 2].detail == "sg-node allows tcp 8080 from sg-lb");
}

TEST_CASE("the compiled rule index picks the same rule as the full trace") {
  std::vector<m::Rule> rules;
  auto rule = [&](std::vector<m::RuleCondition> conds) {
    m::Rule r;
    r.priority = std::to_string(rules.size() + 1);
    r.conditions = std::move(conds);
    rules.push_back(r);
  };
  rule({Cond("host-header", {"a.example.com"}), Cond("path-pattern", {"/api/*"})});
  rule({Cond("path-pattern", {"/api/*"})});  // any host
  rule({Cond("host-header", {"*.example.com"})});
  rule({Cond("host-header", {"A.example.com", "b.example.com"})});
  CompiledListener c(rules);
  CHECK(c.Match(Req("http://lb/api/x", {{"Host", "a.example.com"}})) == 0);
  CHECK(c.Match(Req("http://lb/api/x", {{"Host", "z.other.org"}})) == 1);
  CHECK(c.Match(Req("http://lb/", {{"Host", "B.example.com"}})) == 2);
  CHECK(c.Match(Req("http://lb/", {{"Host", "b.other.org"}})) == -1);
  rules.erase(rules.begin() + 2);
  CompiledListener c2(rules);
  CHECK(c2.Match(Req("http://lb/", {{"Host", "b.example.com:8080"}})) == 2);
  CHECK(c2.Match(Req("http://lb/", {{"Host", "a.example.com"}})) == 2);
}
}

}  // namespace
}  // namespace sim::traffic
