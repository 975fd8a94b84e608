#include "sim/aws/aws_json.h"

#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/aws/aws_test_world.h"

namespace sim::aws {
namespace {

using testing::TestWorld;
using nlohmann::json;
namespace m = ::sim::model::aws;

TEST_SUITE("aws.json") {

TEST_CASE("timestamps are ISO 8601 UTC with milliseconds from the 2026-01-01 epoch") {
  CHECK(FormatAwsTimestamp(SimTime(0)) == "2026-01-01T00:00:00.000Z");
  CHECK(FormatAwsTimestamp(SimTime(5250)) == "2026-01-01T00:00:05.250Z");
  CHECK(FormatAwsTimestamp(std::chrono::hours(25)) == "2026-01-02T01:00:00.000Z");
}

TEST_CASE("a load balancer renders with the describe-load-balancers keys in model order") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  json j = json::parse(ToJson(lb));
  CHECK(j["LoadBalancerArn"] == lb.load_balancer_arn);
  CHECK(j["DNSName"] == lb.dns_name);
  CHECK(j["CanonicalHostedZoneId"] == "Z1H1FL5HABSF5");
  CHECK(j["CreatedTime"] == "2026-01-01T00:00:00.000Z");
  CHECK(j["State"] == json{{"Code", "provisioning"}});
  CHECK(j["Type"] == "application");
  CHECK(j["AvailabilityZones"][0] ==
        json{{"ZoneName", "us-west-2a"}, {"SubnetId", "subnet-pub-a"}, {"LoadBalancerAddresses", json::array()}});
  CHECK(j["SecurityGroups"] == json{w.node_sg});
  CHECK(j["IpAddressType"] == "ipv4");
  CHECK_FALSE(j.contains("CustomerOwnedIpv4Pool"));
  std::string text = ToJson(lb);
  CHECK(text.find("\"LoadBalancerArn\"") < text.find("\"DNSName\""));
  CHECK(text.find("\"State\"") < text.find("\"Type\""));
}

TEST_CASE("target groups, rules and target health render in the AWS CLI shape") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  m::TargetGroup tg = w.MakeTg("tg");
  m::Listener l = w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(tg.target_group_arn));
  auto rule = w.CreateRule(l.listener_arn, 3, "/api/*", TestWorld::Forward(tg.target_group_arn));
  REQUIRE(rule.ok());
  json tj = json::parse(ToJson(*w.elbv2().TargetGroupForSim(tg.target_group_arn)));
  CHECK(tj["Protocol"] == "HTTP");
  CHECK(tj["Port"] == 8080);
  CHECK(tj["HealthCheckEnabled"] == true);
  CHECK(tj["Matcher"] == json{{"HttpCode", "200"}});
  CHECK(tj["LoadBalancerArns"] == json{lb.load_balancer_arn});
  CHECK(tj["TargetType"] == "ip");
  json rj = json::parse(ToJson(rule.value()));
  CHECK(rj["Priority"] == "3");
  CHECK(rj["IsDefault"] == false);
  CHECK(rj["Conditions"][0] ==
        json{{"Field", "path-pattern"}, {"Values", {"/api/*"}}, {"PathPatternConfig", {{"Values", {"/api/*"}}}}});
  CHECK(rj["Actions"][0]["ForwardConfig"]["TargetGroups"][0]["Weight"] == 1);
  CHECK(rj["Actions"][0]["ForwardConfig"]["TargetGroupStickinessConfig"] == json{{"Enabled", false}});
  m::TargetHealthDescription d{{"10.0.64.5", 8080, std::nullopt}, "8080", {"healthy", "", ""}};
  CHECK(json::parse(ToJson(d)) == json{{"Target", {{"Id", "10.0.64.5"}, {"Port", 8080}}},
                                       {"HealthCheckPort", "8080"},
                                       {"TargetHealth", {{"State", "healthy"}}}});
}

TEST_CASE("the account snapshot has the scenario-format aws sections") {
  TestWorld w;
  m::LoadBalancer lb = w.MakeLb("web");
  m::TargetGroup tg = w.MakeTg("tg");
  w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(tg.target_group_arn));
  REQUIRE(w.elbv2().AddTags(ControllerCall(), {{lb.load_balancer_arn}, {{"elbv2.k8s.aws/cluster", "demo"}}}).ok());
  REQUIRE(w.elbv2().RegisterTargets(ControllerCall(), {tg.target_group_arn, {{"10.0.64.9", 8080, {}}}}).ok());
  json j = json::parse(w.aws.RenderJson());
  CHECK(j["LoadBalancers"].size() == 1);
  CHECK(j["Listeners"].size() == 1);
  CHECK(j["Rules"].size() == 1);  // the default rule
  CHECK(j["TargetGroups"].size() == 1);
  CHECK(j["TargetHealth"][tg.target_group_arn][0]["Target"]["Id"] == "10.0.64.9");
  CHECK(j["Tags"][lb.load_balancer_arn] == json::array({{{"Key", "elbv2.k8s.aws/cluster"}, {"Value", "demo"}}}));
  CHECK(j["SecurityGroups"].size() == 1);
  CHECK(j["SecurityGroups"][0]["GroupName"] == "eks-node");
  // Deterministic: rendering twice gives the same bytes.
  CHECK(w.aws.RenderJson(2) == w.aws.RenderJson(2));
}

TEST_CASE("request JSON rendered without a JSON tree is byte for byte what nlohmann renders") {
  using oj = nlohmann::ordered_json;
  // Quotes, backslashes, every control character, DEL, and non-ASCII (UTF-8) text, which falls back
  // to nlohmann; the expectations are built with nlohmann's ordered_json in the fake's member order.
  std::string controls;
  for (int c = 1; c < 0x20; ++c) controls.push_back(static_cast<char>(c));
  const std::vector<std::string> texts = {"", "arn:aws:elasticloadbalancing:us-west-2:1:loadbalancer/app/a/b",
                                          "q\"uo\\te", controls, "del\x7f", "caf\xc3\xa9", "\xe2\x9c\x93 ok",
                                          // escapes written before the first non-ASCII byte are taken back
                                          "q\"\tcaf\xc3\xa9\n"};
  for (const std::string& a : texts) {
    for (const std::string& b : texts) {
      CAPTURE(a);
      CAPTURE(b);
      std::vector<std::string> list{a, b};
      std::vector<std::string> none;
      oj lbs = oj::object();
      lbs["LoadBalancerArns"] = list;
      CHECK(RequestJson(DescribeLoadBalancersRequest{list, {}}) == lbs.dump());
      CHECK(RequestJson(DescribeLoadBalancersRequest{}) == "{}");
      DescribeTargetGroupsRequest tgs;
      tgs.load_balancer_arn = a;
      tgs.names = {b};
      oj tj = oj::object();
      if (!a.empty()) tj["LoadBalancerArn"] = a;
      tj["Names"] = std::vector<std::string>{b};
      CHECK(RequestJson(tgs) == tj.dump());
      CHECK(RequestJson(DescribeTagsRequest{list}) == oj{{"ResourceArns", list}}.dump());
      CHECK(RequestJson(DescribeTagsRequest{none}) == oj{{"ResourceArns", none}}.dump());
      CHECK(SingleMemberJson("RuleArn", a) == oj{{"RuleArn", a}}.dump());
      TargetsRequest reg;
      reg.target_group_arn = a;
      reg.targets = {m::TargetDescription{b, 30080, std::nullopt}, m::TargetDescription{a, std::nullopt, b}};
      oj targets = oj::array();
      targets.push_back(oj{{"Id", b}, {"Port", 30080}});
      targets.push_back(oj{{"Id", a}, {"AvailabilityZone", b}});
      CHECK(RequestJson(reg) == oj{{"TargetGroupArn", a}, {"Targets", targets}}.dump());
      DescribeSecurityGroupsRequest sgs;
      sgs.group_names = {a};
      sgs.filters = {m::Filter{"tag:" + b, {a, b}}, m::Filter{"vpc-id", {}}};
      oj filters = oj::array();
      filters.push_back(oj{{"Name", "tag:" + b}, {"Values", list}});
      filters.push_back(oj{{"Name", "vpc-id"}, {"Values", none}});
      oj sj = oj::object();
      sj["GroupNames"] = std::vector<std::string>{a};
      sj["Filters"] = filters;
      CHECK(RequestJson(sgs) == sj.dump());
      // CreateTargetGroup: every optional member unset, then set (empty strings are still set).
      CreateTargetGroupRequest tg;
      tg.name = a;
      oj tgj = oj::object();
      tgj["Name"] = a;
      CHECK(RequestJson(tg) == tgj.dump());
      tg.protocol = b;
      tg.protocol_version = a;
      tg.port = 8080;
      tg.vpc_id = b;
      tg.health_check_protocol = a;
      tg.health_check_port = b;
      tg.health_check_enabled = a.empty();
      tg.health_check_path = a;
      tg.health_check_interval_seconds = 15;
      tg.health_check_timeout_seconds = -5;
      tg.healthy_threshold_count = 0;
      tg.unhealthy_threshold_count = 2147483647;
      tg.matcher = m::Matcher{b, std::nullopt};
      tg.target_type = a;
      tg.tags = {m::Tag{a, b}, m::Tag{b, ""}};
      tg.ip_address_type = b;
      tg.target_control_port = 7;  // not rendered, as before
      tgj["Protocol"] = b;
      tgj["ProtocolVersion"] = a;
      tgj["Port"] = 8080;
      tgj["VpcId"] = b;
      tgj["HealthCheckProtocol"] = a;
      tgj["HealthCheckPort"] = b;
      tgj["HealthCheckEnabled"] = a.empty();
      tgj["HealthCheckPath"] = a;
      tgj["HealthCheckIntervalSeconds"] = 15;
      tgj["HealthCheckTimeoutSeconds"] = -5;
      tgj["HealthyThresholdCount"] = 0;
      tgj["UnhealthyThresholdCount"] = 2147483647;
      tgj["Matcher"] = oj{{"HttpCode", b}};
      tgj["TargetType"] = a;
      oj tags = oj::array();
      tags.push_back(oj{{"Key", a}, {"Value", b}});
      tags.push_back(oj{{"Key", b}, {"Value", ""}});
      tgj["Tags"] = tags;
      tgj["IpAddressType"] = b;
      CHECK(RequestJson(tg) == tgj.dump());
      tg.matcher = m::Matcher{};
      tg.tags.clear();
      tgj["Matcher"] = oj::object();
      tgj.erase("Tags");
      CHECK(RequestJson(tg) == tgj.dump());
    }
  }
}

// CreateRule and ModifyRule requests are rendered straight to text; the reference is the rule's
// own rendering (ToJson(m::Rule), built as an ordered_json tree), member for member.
TEST_CASE("rule requests render their conditions, actions and transforms as the rule rendering does") {
  using oj = nlohmann::ordered_json;
  const std::vector<std::string> texts = {"", "arn:aws:elasticloadbalancing:us-west-2:1:targetgroup/a/b", "q\"uo\\te\n",
                                          "caf\xc3\xa9"};
  for (const std::string& a : texts) {
    for (const std::string& b : texts) {
      CAPTURE(a);
      CAPTURE(b);
      m::Rule rule;
      m::RuleCondition host{"host-header", {}, m::HostHeaderConditionConfig{{a, b}, {}}};
      m::RuleCondition path;
      path.field = "path-pattern";
      path.values = {a};
      path.path_pattern_config = m::PathPatternConditionConfig{{}, {b}};
      m::RuleCondition header;
      header.field = "http-header";
      header.http_header_config = m::HttpHeaderConditionConfig{a, {b}, {a}};
      m::RuleCondition query;
      query.field = "query-string";
      query.query_string_config = m::QueryStringConditionConfig{{m::QueryStringKeyValuePair{a, b}, m::QueryStringKeyValuePair{std::nullopt, a}}};
      m::RuleCondition method;
      method.field = "http-request-method";
      method.http_request_method_config = m::HttpRequestMethodConditionConfig{{}};
      m::RuleCondition source;
      source.field = "source-ip";
      source.source_ip_config = m::SourceIpConditionConfig{{"10.0.0.0/8", b}};
      m::RuleCondition empty_host{"host-header", {}, m::HostHeaderConditionConfig{}};
      rule.conditions = {host, path, header, query, method, source, empty_host};
      m::Action forward;
      forward.type = "forward";
      forward.target_group_arn = a;
      forward.order = 2;
      forward.forward_config = m::ForwardActionConfig{{m::TargetGroupTuple{a, 3}, m::TargetGroupTuple{b, std::nullopt}},
                                                      m::TargetGroupStickinessConfig{true, 60}};
      m::Action sticky_empty;
      sticky_empty.type = "forward";
      sticky_empty.forward_config = m::ForwardActionConfig{{}, m::TargetGroupStickinessConfig{}};
      m::Action redirect;
      redirect.type = "redirect";
      redirect.redirect_config = m::RedirectActionConfig{"HTTPS", "443", a, std::nullopt, b, "HTTP_301"};
      m::Action fixed;
      fixed.type = "fixed-response";
      fixed.fixed_response_config = m::FixedResponseActionConfig{a, "404", b};
      m::Action oidc;
      oidc.type = "authenticate-oidc";
      oidc.order = 1;
      oidc.authenticate_oidc_config = m::AuthenticateOidcActionConfig{
          a, b, a, b, a, b, a, "openid", 604800, {{b, a}, {"z", b}}, "authenticate", a.empty()};
      m::Action cognito;
      cognito.type = "authenticate-cognito";
      cognito.authenticate_cognito_config =
          m::AuthenticateCognitoActionConfig{a, b, a, std::nullopt, b, std::nullopt, {}, "deny"};
      rule.actions = {forward, sticky_empty, redirect, fixed, oidc, cognito};
      m::RuleTransform host_rewrite{"host-header-rewrite", std::vector<m::RewriteConfig>{{a, b}}, std::nullopt};
      m::RuleTransform url_rewrite{"url-rewrite", std::nullopt, std::vector<m::RewriteConfig>{{b, a}, {a, ""}}};
      rule.transforms = {host_rewrite, url_rewrite};
      const oj ref = oj::parse(ToJson(rule));

      CreateRuleRequest create;
      create.listener_arn = a;
      create.conditions = rule.conditions;
      create.priority = 7;
      create.actions = rule.actions;
      oj cj = oj::object();
      cj["ListenerArn"] = a;
      cj["Conditions"] = ref["Conditions"];
      cj["Priority"] = 7;
      cj["Actions"] = ref["Actions"];
      CHECK(RequestJson(create) == cj.dump());
      create.tags = {m::Tag{a, b}};
      create.transforms = rule.transforms;
      cj["Tags"] = oj::array({oj{{"Key", a}, {"Value", b}}});
      cj["Transforms"] = ref["Transforms"];
      CHECK(RequestJson(create) == cj.dump());

      ModifyRuleRequest modify;
      modify.rule_arn = b;
      oj mj = oj::object();
      mj["RuleArn"] = b;
      CHECK(RequestJson(modify) == mj.dump());
      modify.conditions = rule.conditions;
      modify.actions = rule.actions;
      modify.transforms = rule.transforms;
      modify.reset_transforms = true;
      mj["Conditions"] = ref["Conditions"];
      mj["Actions"] = ref["Actions"];
      mj["Transforms"] = ref["Transforms"];
      mj["ResetTransforms"] = true;
      CHECK(RequestJson(modify) == mj.dump());
    }
  }
}

TEST_CASE("a params digest is the first 8 bytes of the SHA-256 of the request JSON") {
  // sha256("{}") = 44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a
  CHECK(ParamsDigest64("{}") == 0x44136fa355b3678aULL);
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::aws
