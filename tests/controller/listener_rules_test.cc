// Path sorting, path patterns, rule conditions and the rule optimizer
// (upstream pkg/ingress/model_build_listener_rules.go, rule_optimizer.go).
#include <doctest/doctest.h>

#include "sim/controller/model_builder.h"

namespace sim::controller {
namespace {

namespace mk = model::k8s;
namespace ms = model::stack;

mk::HttpIngressPath P(const std::string& path, std::optional<std::string> type) {
  mk::HttpIngressPath p;
  p.path = path;
  p.path_type = std::move(type);
  return p;
}

ms::RuleCondition PathCond(std::vector<std::string> values) {
  ms::RuleCondition c;
  c.field = "path-pattern";
  c.path_pattern_config = ms::PathPatternConditionConfig{{}, std::move(values)};
  return c;
}

ms::Action Redirect(std::optional<std::string> port, std::optional<std::string> protocol) {
  ms::Action a;
  a.type = "redirect";
  ms::RedirectActionConfig r;
  r.port = std::move(port);
  r.protocol = std::move(protocol);
  r.status_code = "HTTP_301";
  a.redirect_config = r;
  return a;
}

ms::Action Fixed(const std::string& code) {
  ms::Action a;
  a.type = "fixed-response";
  a.fixed_response_config = ms::FixedResponseActionConfig{std::nullopt, std::nullopt, code};
  return a;
}

TEST_SUITE("controller.listener_rules") {
TEST_CASE("paths sort Exact first, then Prefix by length (stable), then the rest in order") {
  ModelBuildTask task(ms::StackID{"ns", "ing"});
  auto r = task.SortIngressPaths({P("/b", "ImplementationSpecific"), P("/ccc", std::nullopt), P("/aaa", "Prefix"),
                                  P("/example", "Prefix"), P("/bbb", "Prefix"), P("/test", "Exact")});
  REQUIRE(r.ok());
  std::vector<std::string> order;
  for (const auto& p : r.value()) order.push_back(p.path);
  CHECK(order == std::vector<std::string>{"/test", "/example", "/aaa", "/bbb", "/b", "/ccc"});
  auto bad = task.SortIngressPaths({P("/x", "Regex")});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "unknown pathType for path /x");
}

TEST_CASE("path patterns per pathType") {
  ModelBuildTask task(ms::StackID{"ns", "ing"});
  CHECK(*task.BuildPathPatternsForPrefixPathType("/").value().values == std::vector<std::string>{"/*"});
  CHECK(*task.BuildPathPatternsForPrefixPathType("/foo/").value().values == std::vector<std::string>{"/foo", "/foo/*"});
  CHECK(task.BuildPathPatternsForPrefixPathType("/f*").error().message == "prefix path shouldn't contain wildcards: /f*");
  CHECK(task.BuildPathPatternsForExactPathType("/a?").error().message == "exact path shouldn't contain wildcards: /a?");
  CHECK(*task.BuildPathPatternsForExactPathType("/a/").value().values == std::vector<std::string>{"/a/"});
}

TEST_CASE("rule conditions put annotation conditions first, then one host and one path condition") {
  ModelBuildTask task(ms::StackID{"ns", "ing"});
  task.annotation_parser = AnnotationParser("alb.ingress.kubernetes.io");
  ClassifiedIngress ing{std::make_shared<mk::Ingress>(), {}};
  mk::IngressRule rule;
  rule.host = "a.example.com";
  EnhancedBackend backend;
  ing::RuleCondition method;
  method.field = "http-request-method";
  method.http_request_method_config = ing::HTTPRequestMethodConditionConfig{std::vector<std::string>{"GET"}};
  ing::RuleCondition host;
  host.field = "host-header";
  host.host_header_config = ing::HostHeaderConditionConfig{std::nullopt, std::vector<std::string>{"b.example.com"}};
  backend.conditions = std::vector<ing::RuleCondition>{method, host};
  auto r = task.BuildRuleConditions(ing, rule, P("/api", "Prefix"), backend);
  REQUIRE(r.ok());
  REQUIRE(r.value().size() == 3);
  CHECK(r.value()[0].field == "http-request-method");
  CHECK(r.value()[1].host_header_config->values == std::vector<std::string>{"a.example.com", "b.example.com"});
  CHECK(r.value()[2].path_pattern_config->values == std::vector<std::string>{"/api", "/api/*"});

  SUBCASE("no condition at all matches every path") {
    auto all = task.BuildRuleConditions(ing, mk::IngressRule{}, P("", std::nullopt), EnhancedBackend{});
    REQUIRE(all.ok());
    REQUIRE(all.value().size() == 1);
    CHECK(all.value()[0].path_pattern_config->values == std::vector<std::string>{"/*"});
  }
}

TEST_CASE("the optimizer drops the ssl-redirect rule on HTTPS and everything it shadows on HTTP") {
  RuleOptimizer opt;
  Rule redirect{{PathCond({"/*"})}, {Redirect("443", "HTTPS")}, {}, {}};
  Rule app{{PathCond({"/app"})}, {Fixed("200")}, {}, {}};
  auto on_https = opt.Optimize(443, "HTTPS", {redirect, app});
  REQUIRE(on_https.size() == 1);
  CHECK(on_https[0] == app);
  auto on_http = opt.Optimize(80, "HTTP", {redirect, app});
  REQUIRE(on_http.size() == 1);
  CHECK(on_http[0] == redirect);
}

TEST_CASE("a redirect rule is not infinite when it changes any field") {
  Rule r{{PathCond({"/www"})}, {Redirect("#{port}", std::nullopt)}, {}, {}};
  CHECK(IsInfiniteRedirectRule(80, "HTTP", r));
  r.actions = {Redirect("8080", std::nullopt)};
  CHECK_FALSE(IsInfiniteRedirectRule(80, "HTTP", r));
  ms::RuleCondition regex;
  regex.field = "path-pattern";
  regex.path_pattern_config = ms::PathPatternConditionConfig{{"^/w$"}, {}};
  Rule with_regex{{regex}, {Redirect(std::nullopt, std::nullopt)}, {}, {}};
  CHECK_FALSE(IsInfiniteRedirectRule(80, "HTTP", with_regex));
}
}

}  // namespace
}  // namespace sim::controller
