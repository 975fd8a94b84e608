// Stack model and its Go-encoding/json-exact marshalling (model-stack.md §1-§2).
#include "sim/controller/stack_marshaller.h"

#include <doctest/doctest.h>

namespace sim::controller {
namespace {

namespace ms = model::stack;

TEST_SUITE("controller.stack_marshaller") {
TEST_CASE("strings are escaped like Go's encoding/json with HTML escaping") {
  CHECK(GoJsonQuote("a<b>&c") == "\"a\\u003cb\\u003e\\u0026c\"");
  CHECK(GoJsonQuote("q\"\\\n\t") == "\"q\\\"\\\\\\n\\t\"");
  CHECK(GoJsonQuote(std::string("\x01", 1)) == "\"\\u0001\"");
  CHECK(GoJsonQuote("\xe2\x80\xa8") == "\"\\u2028\"");
  CHECK(GoJsonQuote("\xff") == "\"\\ufffd\"");
  CHECK(GoJsonQuote("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
}

TEST_CASE("an empty stack marshals its id and sorted resource types") {
  ms::Stack stack(ms::StackID{"ns-1", "ing-1"});
  ms::FrontendNlbTargetGroupDesiredState nlb;
  nlb.id = "FrontendNLBTargetGroup";
  REQUIRE_FALSE(stack.Add(nlb).has_value());
  CHECK(MarshalStack(stack) ==
        R"({"id":"ns-1/ing-1","resources":{"FrontendNLBTargetGroup":{"FrontendNLBTargetGroup":{"TargetGroups":{}}}}})");
  auto dup = stack.Add(nlb);
  REQUIRE(dup.has_value());
  CHECK(*dup == "resource already exists, type: FrontendNLBTargetGroup, id: FrontendNLBTargetGroup");
}

TEST_CASE("omitempty fields are dropped and tokens become $ref objects, even with / in the id") {
  ms::Stack stack(ms::StackID{"", "shared"});
  ms::TargetGroup tg;
  tg.id = "ns-1/ing-1-svc-1:http";
  tg.spec.name = "k8s-x";
  tg.spec.target_type = "ip";
  tg.spec.port = 8080;
  tg.spec.protocol = "HTTP";
  REQUIRE_FALSE(stack.Add(tg).has_value());
  ms::ListenerRule rule;
  rule.id = "80:1";
  rule.spec.listener_arn = ms::StringToken::Field(ms::Listener::kType, "80", "status/listenerARN");
  rule.spec.priority = 1;
  ms::Action fwd;
  fwd.type = "forward";
  fwd.forward_config = ms::ForwardActionConfig{{ms::TargetGroupTuple{tg.TargetGroupARN(), std::nullopt}}, std::nullopt};
  rule.spec.actions = {fwd};
  ms::RuleCondition cond;
  cond.field = "path-pattern";
  cond.path_pattern_config = ms::PathPatternConditionConfig{{}, {"/a&b"}};
  rule.spec.conditions = {cond};
  REQUIRE_FALSE(stack.Add(rule).has_value());
  CHECK(MarshalStack(stack) ==
        R"({"id":"shared","resources":{)"
        R"("AWS::ElasticLoadBalancingV2::ListenerRule":{"80:1":{"spec":{"listenerARN":{"$ref":"#/resources/AWS::ElasticLoadBalancingV2::Listener/80/status/listenerARN"},"priority":1,)"
        R"("actions":[{"type":"forward","forwardConfig":{"targetGroups":[{"targetGroupARN":{"$ref":"#/resources/AWS::ElasticLoadBalancingV2::TargetGroup/ns-1/ing-1-svc-1:http/status/targetGroupARN"}}]}}],)"
        R"("conditions":[{"field":"path-pattern","pathPatternConfig":{"values":["/a\u0026b"]}}]}}},)"
        R"("AWS::ElasticLoadBalancingV2::TargetGroup":{"ns-1/ing-1-svc-1:http":{"spec":{"name":"k8s-x","targetType":"ip","port":8080,"protocol":"HTTP"}}}}})");
}

TEST_CASE("existing certificates marshal as a stack-less $ref and resolve to their ARN") {
  ms::StringToken cert = ms::StringToken::ExistingCertificateARN("arn:aws:acm:us-west-2:1:certificate/x");
  CHECK(ToJson(cert) == R"({"$ref":"#/resources///status/certificateARN"})");
  ms::Stack stack(ms::StackID{"ns", "a"});
  std::string out, err;
  REQUIRE(stack.ResolveToken(cert, &out, &err));
  CHECK(out == "arn:aws:acm:us-west-2:1:certificate/x");
}

TEST_CASE("tokens resolve once the referenced status is set") {
  ms::Stack stack(ms::StackID{"ns", "a"});
  ms::LoadBalancer lb;
  lb.id = "LoadBalancer";
  REQUIRE_FALSE(stack.Add(lb).has_value());
  std::string out, err;
  CHECK_FALSE(stack.ResolveToken(lb.LoadBalancerARN(), &out, &err));
  CHECK(err == "LoadBalancer is not fulfilled yet: LoadBalancer");
  stack.MutableFind<ms::LoadBalancer>("LoadBalancer")->status = ms::LoadBalancerStatus{"arn:lb", "lb.example", std::nullopt};
  REQUIRE(stack.ResolveToken(lb.DNSName(), &out, &err));
  CHECK(out == "lb.example");
}

TEST_CASE("OIDC client credentials are redacted in the stack JSON only") {
  ms::Action a;
  a.type = "authenticate-oidc";
  ms::AuthenticateOIDCActionConfig c;
  c.client_id = "id";
  c.client_secret = "secret";
  a.authenticate_oidc_config = c;
  CHECK(ToJson(a).find("\"clientSecret\":\"[REDACTED]\"") != std::string::npos);
  CHECK(ToJsonUnredacted(a).find("\"clientSecret\":\"secret\"") != std::string::npos);
}
}

}  // namespace
}  // namespace sim::controller
