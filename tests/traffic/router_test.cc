#include "sim/traffic/router.h"

#include <memory>

#include <doctest/doctest.h>

namespace sim::traffic {
namespace {

using model::aws::Action;
using model::aws::RuleCondition;

RuleCondition Host(std::vector<std::string> v) {
  RuleCondition c;
  c.field = "host-header";
  c.host_header_config = model::aws::HostHeaderConditionConfig{std::move(v), {}};
  return c;
}
RuleCondition Path(std::vector<std::string> v) {
  RuleCondition c;
  c.field = "path-pattern";
  c.path_pattern_config = model::aws::PathPatternConditionConfig{std::move(v), {}};
  return c;
}
Action Forward(const std::string& tg) {
  Action a;
  a.type = "forward";
  a.target_group_arn = tg;
  a.forward_config = model::aws::ForwardActionConfig{{{tg, 1}}, std::nullopt};
  return a;
}
Action Fixed(const std::string& code) {
  Action a;
  a.type = "fixed-response";
  a.fixed_response_config = model::aws::FixedResponseActionConfig{std::nullopt, code, std::string("text/plain")};
  return a;
}

Request Req(const std::string& url, std::map<std::string, std::string> headers = {}) {
  Request r;
  r.url = url;
  r.headers = std::move(headers);
  std::string err;
  REQUIRE(ParseUrl(&r, &err));
  return r;
}

// One internet-facing ALB, HTTP:80, rules: 1 = /api/* -> tg-api (ip targets), default 404.
WorldView SmallWorld() {
  WorldView v;
  v.vpc_cidr = "10.0.0.0/16";
  LoadBalancerView lb;
  lb.lb.load_balancer_name = "k8s-default-web-abc";
  lb.lb.dns_name = "k8s-default-web-abc-1.us-west-2.elb.amazonaws.com";
  lb.lb.scheme = "internet-facing";
  lb.lb.state.code = "active";
  lb.lb.security_groups = {"sg-lb"};
  ListenerView l;
  l.listener.listener_arn = "arn:listener/1";
  l.listener.port = 80;
  l.listener.protocol = "HTTP";
  l.listener.default_actions = {Fixed("404")};
  model::aws::Rule r;
  r.priority = "1";
  r.conditions = {Path({"/api", "/api/*"})};
  r.actions = {Forward("arn:tg/api")};
  l.rules = {r};
  lb.listeners = {l};
  v.load_balancers = {lb};
  model::aws::SecurityGroup sg;
  sg.group_id = "sg-lb";
  model::aws::IpPermission perm;
  perm.ip_protocol = "tcp";
  perm.from_port = 80;
  perm.to_port = 80;
  perm.ip_ranges = {{"0.0.0.0/0", ""}};
  sg.ip_permissions = {perm};
  v.security_groups["sg-lb"] = sg;
  TargetGroupView tg;
  tg.tg.target_group_name = "k8s-default-api-123";
  tg.tg.target_type = "ip";
  tg.tg.port = 8080;
  tg.tg.protocol = "HTTP";
  tg.service_namespace = "default";
  tg.service_name = "api";
  tg.service_port = "80";
  TargetView t1{{"10.0.64.20", 8080, std::nullopt}, {"healthy", "", ""}};
  TargetView t2{{"10.0.80.20", 8080, std::nullopt}, {"healthy", "", ""}};
  tg.targets = {t1, t2};
  v.target_groups["arn:tg/api"] = tg;
  PodView p1{"default", "api-1", "10.0.64.20", "node-a", "Running", true, true, {8080}};
  PodView p2{"default", "api-2", "10.0.80.20", "node-b", "Running", true, true, {8080}};
  v.pods_by_ip[p1.ip] = p1;
  v.pods_by_ip[p2.ip] = p2;
  return v;
}

TEST_SUITE("traffic.match") {
TEST_CASE("host-header matching is case-insensitive, ignores the port, and * needs a label") {
  std::string why;
  CHECK(MatchCondition(Host({"*.example.com"}), Req("http://lb/", {{"Host", "API.Example.com:8080"}}), &why));
  CHECK_FALSE(MatchCondition(Host({"*.example.com"}), Req("http://lb/", {{"Host", "example.com"}}), &why));
  CHECK(why == "host-header [*.example.com] does not match host \"example.com\"");
}

TEST_CASE("path-pattern is case-sensitive, whole-path, and never sees the query") {
  std::string why;
  CHECK(MatchCondition(Path({"/api/*"}), Req("http://lb/api/users?id=1"), &why));
  CHECK_FALSE(MatchCondition(Path({"/api/*"}), Req("http://lb/api"), &why));
  CHECK_FALSE(MatchCondition(Path({"/API/*"}), Req("http://lb/api/x"), &why));
  CHECK(MatchCondition(Path({"/img/?.png"}), Req("http://lb/img/a.png"), &why));
  CHECK(MatchCondition(Path({"/users"}), Req("http://lb/users?x=/other"), &why));
}

TEST_CASE("query-string, method, header and source-ip conditions") {
  std::string why;
  RuleCondition q;
  q.field = "query-string";
  q.query_string_config = model::aws::QueryStringConditionConfig{{{std::string("version"), "v2*"}}};
  CHECK(MatchCondition(q, Req("http://lb/?version=V2beta&x=1"), &why));
  CHECK_FALSE(MatchCondition(q, Req("http://lb/?ver=v2"), &why));
  RuleCondition m;
  m.field = "http-request-method";
  m.http_request_method_config = model::aws::HttpRequestMethodConditionConfig{{"POST"}};
  Request post = Req("http://lb/");
  post.method = "POST";
  CHECK(MatchCondition(m, post, &why));
  post.method = "post";
  CHECK_FALSE(MatchCondition(m, post, &why));
  RuleCondition h;
  h.field = "http-header";
  h.http_header_config = model::aws::HttpHeaderConditionConfig{"X-Canary", {"true"}, {}};
  CHECK(MatchCondition(h, Req("http://lb/", {{"x-canary", "TRUE"}}), &why));
  CHECK_FALSE(MatchCondition(h, Req("http://lb/"), &why));
  RuleCondition s;
  s.field = "source-ip";
  s.source_ip_config = model::aws::SourceIpConditionConfig{{"10.0.0.0/8"}};
  Request from = Req("http://lb/");
  from.source_ip = "10.1.2.3";
  CHECK(MatchCondition(s, from, &why));
  from.source_ip = "203.0.113.10";
  CHECK_FALSE(MatchCondition(s, from, &why));
}

TEST_CASE("redirects expand the reserved keywords") {
  model::aws::RedirectActionConfig cfg;
  cfg.protocol = "HTTPS";
  cfg.port = "443";
  cfg.status_code = "HTTP_301";
  CHECK(RedirectLocation(cfg, Req("http://a.example.com/x/y?q=1")) == "https://a.example.com/x/y?q=1");
  cfg.path = "/new/#{path}";
  cfg.port = "8443";
  CHECK(RedirectLocation(cfg, Req("http://a.example.com/x")) == "https://a.example.com:8443/new/x");
}
}

TEST_SUITE("traffic.router") {
TEST_CASE("a matching rule forwards to a healthy pod, round robin across requests") {
  WorldView v = SmallWorld();
  Router router(v);
  RouterState state;
  Trace t1 = router.Route(Req("http://k8s-default-web-abc-1.us-west-2.elb.amazonaws.com/api/x"), state);
  CHECK(t1.result.status == 200);
  CHECK(t1.result.pod == "api-1");
  CHECK(t1.result.service == "default/api");
  CHECK(*t1.result.rule_priority == 1);
  Trace t2 = router.Route(Req("http://k8s-default-web-abc-1.us-west-2.elb.amazonaws.com/api/x"), state);
  CHECK(t2.result.pod == "api-2");
  std::vector<std::string> kinds;
  for (const auto& h : t1.hops) kinds.push_back(h.kind);
  CHECK(kinds == std::vector<std::string>{"client", "dns", "load-balancer", "security-group", "listener", "rule",
                                          "action", "target-group", "target", "pod"});
}

TEST_CASE("no matching rule falls to the default action and the trace says why each rule failed") {
  WorldView v = SmallWorld();
  Router router(v);
  RouterState state;
  Trace t = router.Route(Req("http://k8s-default-web-abc-1.us-west-2.elb.amazonaws.com/web"), state);
  CHECK(t.result.status == 404);
  CHECK(*t.result.rule_priority == 0);
  const Hop& rule = t.hops[5];
  REQUIRE(rule.skipped.size() == 1);
  CHECK(SkippedText(rule.skipped[0]) == "priority 1: path-pattern [/api, /api/*] does not match path \"/web\"");
}

TEST_CASE("skipped rules keep their parts apart and render the same text, copies included") {
  WorldView v = SmallWorld();
  Router router(v);
  RouterState state;
  Trace t = router.Route(Req("http://k8s-default-web-abc-1.us-west-2.elb.amazonaws.com/web"), state);
  const SkippedRule s = t.hops[5].skipped[0];
  CHECK(s.priority == "1");
  CHECK(s.condition == "path-pattern [/api, /api/*]");
  CHECK(s.value == "path \"/web\"");

  // Values shared with one of the two rules before are stored once; every entry still reads back
  // its own value, also from a copy once the original is gone.
  auto list = std::make_unique<SkippedRules>();
  list->Add("1", "host-header [a.example.com]", "host \"b.example.com\"");
  list->Add("2", "path-pattern [/x]", "path \"/y\"");
  list->Add("3", "host-header [c.example.com]", "host \"b.example.com\"");
  list->Add("4", "path-pattern [/z]", "path \"/y\"");
  list->Add("10", "http-request-method [POST]", "method GET");
  list->Add("11", "host-header [d.example.com]", "host \"b.example.com\"");
  const SkippedRules copy = *list;
  list.reset();
  REQUIRE(copy.size() == 6);
  CHECK(copy.Texts() == std::vector<std::string>{
                            "priority 1: host-header [a.example.com] does not match host \"b.example.com\"",
                            "priority 2: path-pattern [/x] does not match path \"/y\"",
                            "priority 3: host-header [c.example.com] does not match host \"b.example.com\"",
                            "priority 4: path-pattern [/z] does not match path \"/y\"",
                            "priority 10: http-request-method [POST] does not match method GET",
                            "priority 11: host-header [d.example.com] does not match host \"b.example.com\"",
                        });
  std::vector<std::string> priorities;
  for (const SkippedRule& r : copy) priorities.push_back(std::string(r.priority));
  CHECK(priorities == std::vector<std::string>{"1", "2", "3", "4", "10", "11"});
  SkippedRules other = copy;
  CHECK(other == copy);
  other.Add("12", "source-ip [10.0.0.0/8]", "source 203.0.113.10");
  CHECK_FALSE(other == copy);
}

TEST_CASE("failures name the hop: unknown DNS, blocked port, internal scheme, no healthy target") {
  WorldView v = SmallWorld();
  RouterState state;
  SUBCASE("dns") {
    Trace t = Router(v).Route(Req("http://nope.example.com/"), state);
    CHECK(t.result.failed_at == "dns");
  }
  SUBCASE("security group") {
    Trace t = Router(v).Route(Req("http://k8s-default-web-abc-1.us-west-2.elb.amazonaws.com:8080/"), state);
    CHECK(t.result.failed_at == "security-group");
    CHECK(t.result.status == 0);
  }
  SUBCASE("internal load balancer from the internet") {
    v.load_balancers[0].lb.scheme = "internal";
    Trace t = Router(v).Route(Req("http://k8s-default-web-abc-1.us-west-2.elb.amazonaws.com/api"), state);
    CHECK(t.result.failed_at == "load-balancer");
    Request inside = Req("http://k8s-default-web-abc-1.us-west-2.elb.amazonaws.com/api");
    inside.from = "vpc";
    CHECK(Router(v).Route(inside, state).result.status == 200);
  }
  SUBCASE("initial targets only: 503 at the target group") {
    for (auto& t : v.target_groups["arn:tg/api"].targets) t.health.state = "initial";
    Trace t = Router(v).Route(Req("http://k8s-default-web-abc-1.us-west-2.elb.amazonaws.com/api"), state);
    CHECK(t.result.status == 503);
    CHECK(t.result.failed_at == "target-group");
  }
  SUBCASE("every target unhealthy: fail open") {
    for (auto& t : v.target_groups["arn:tg/api"].targets) t.health.state = "unhealthy";
    Trace t = Router(v).Route(Req("http://k8s-default-web-abc-1.us-west-2.elb.amazonaws.com/api"), state);
    CHECK(t.result.status == 200);
  }
  SUBCASE("provisioning load balancer") {
    v.load_balancers[0].lb.state.code = "provisioning";
    Trace t = Router(v).Route(Req("http://k8s-default-web-abc-1.us-west-2.elb.amazonaws.com/api"), state);
    CHECK(t.result.failed_at == "load-balancer");
  }
}
}

}  // namespace
}  // namespace sim::traffic
