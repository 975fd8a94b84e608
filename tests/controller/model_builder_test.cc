// ModelBuilder::Build end to end on the fake API server (upstream pkg/ingress/model_builder.go).
#include "sim/controller/model_builder.h"

#include <doctest/doctest.h>

#include "sim/base/clock.h"
#include "sim/controller/stack_marshaller.h"
#include "sim/k8s/fake_api_server.h"

namespace sim::controller {
namespace {

namespace mk = model::k8s;
namespace ms = model::stack;

// Fixed-answer implementations of the AWS-facing interfaces.
class FixedSubnets final : public SubnetsResolver {
 public:
  int discovery_calls = 0;
  Result<std::vector<model::aws::Subnet>> ResolveViaDiscovery(const SubnetsResolveOptions& opts) override {
    ++discovery_calls;
    model::aws::Subnet a, b;
    a.subnet_id = opts.lb_scheme == "internal" ? "subnet-private-a" : "subnet-public-a";
    b.subnet_id = opts.lb_scheme == "internal" ? "subnet-private-b" : "subnet-public-b";
    return std::vector<model::aws::Subnet>{a, b};
  }
  Result<std::vector<model::aws::Subnet>> ResolveViaSelector(const SubnetSelector&, const SubnetsResolveOptions&) override {
    return MakeError(ErrorCode::kInternal, "not used");
  }
  Result<std::vector<model::aws::Subnet>> ResolveViaNameOrIDSlice(const std::vector<std::string>& ids,
                                                                  const SubnetsResolveOptions&) override {
    std::vector<model::aws::Subnet> out;
    for (const auto& id : ids) {
      model::aws::Subnet s;
      s.subnet_id = id;
      out.push_back(s);
    }
    return out;
  }
};

class FixedBackendSG final : public BackendSGProvider {
 public:
  Result<std::string> Get(const std::string&, const std::vector<std::string>&) override { return std::string("sg-backend"); }
  Status Release(const std::string&, const std::vector<std::string>&) override { return OkStatus(); }
};

struct Fixture {
  SimClock clock;
  k8s::FakeApiServer api{clock};
  FixedSubnets subnets;
  FixedBackendSG backend_sg;
  ControllerConfig config;

  Fixture() {
    config.cluster_name = "demo";
    config.vpc_id = "vpc-1";
    mk::Service svc;
    svc.metadata.namespace_ = "default";
    svc.metadata.name = "web";
    svc.type = "NodePort";
    mk::ServicePort port;
    port.name = "http";
    port.port = 80;
    port.target_port = mk::IntOrString::Int(8080);
    svc.ports = {port};
    svc.selector = {{"app", "web"}};
    REQUIRE(api.Create(svc).ok());
  }

  ModelBuilderDeps Deps() {
    ModelBuilderDeps d;
    d.kube = &api;
    d.subnets_resolver = &subnets;
    d.backend_sg_provider = &backend_sg;
    d.list_load_balancers = [](const std::map<std::string, std::string>& tags) {
      CHECK(tags.at("elbv2.k8s.aws/cluster") == "demo");
      return Result<std::vector<ExistingLoadBalancer>>(std::vector<ExistingLoadBalancer>{});
    };
    return d;
  }

  Group GroupOf(std::shared_ptr<mk::Ingress> ing) {
    return Group{GroupID::Implicit(ing->metadata.namespace_, ing->metadata.name), {ClassifiedIngress{ing, {}}}, {}};
  }
};

std::shared_ptr<mk::Ingress> WebIngress(std::map<std::string, std::string> annotations = {}) {
  auto ing = std::make_shared<mk::Ingress>();
  ing->metadata.namespace_ = "default";
  ing->metadata.name = "web";
  ing->metadata.annotations = std::move(annotations);
  mk::IngressRule rule;
  rule.host = "web.example.com";
  rule.has_http = true;
  mk::HttpIngressPath path;
  path.path = "/";
  path.path_type = "Prefix";
  path.backend.service = mk::IngressServiceBackend{"web", mk::ServiceBackendPort{"http", 0}};
  rule.paths = {path};
  ing->has_rules = true;
  ing->rules = {rule};
  return ing;
}

TEST_SUITE("controller.model_builder") {
TEST_CASE("a single Ingress builds LB, managed SG, listener, rule, target group and binding") {
  Fixture f;
  ModelBuilder builder(f.config, f.Deps());
  auto r = builder.Build(f.GroupOf(WebIngress()));
  REQUIRE(r.ok());
  const ms::Stack& stack = *r.value().stack;
  CHECK(r.value().load_balancer_id == std::optional<std::string>("LoadBalancer"));
  CHECK(r.value().listener_ports == std::vector<int32_t>{80});
  CHECK(r.value().backend_sg_allocated);
  const ms::LoadBalancer* lb = stack.Find<ms::LoadBalancer>("LoadBalancer");
  REQUIRE(lb != nullptr);
  CHECK(lb->spec.scheme == "internal");
  CHECK(lb->spec.name.rfind("k8s-default-web-", 0) == 0);
  REQUIRE(lb->spec.subnet_mappings.size() == 2);
  CHECK(lb->spec.subnet_mappings[0].subnet_id == "subnet-private-a");
  REQUIRE(lb->spec.security_groups.size() == 2);
  CHECK(lb->spec.security_groups[1] == ms::StringToken::Literal("sg-backend"));
  REQUIRE(stack.Find<ms::SecurityGroup>("ManagedLBSecurityGroup") != nullptr);
  const ms::ListenerRule* rule = stack.Find<ms::ListenerRule>("80:1");
  REQUIRE(rule != nullptr);
  CHECK(rule->spec.conditions.back().path_pattern_config->values == std::vector<std::string>{"/*"});
  const ms::TargetGroup* tg = stack.Find<ms::TargetGroup>("default/web-web:http");
  REQUIRE(tg != nullptr);
  CHECK(tg->spec.target_type == "instance");
  const ms::TargetGroupBindingResource* tgb = stack.Find<ms::TargetGroupBindingResource>("default/web-web:http");
  REQUIRE(tgb != nullptr);
  CHECK(tgb->spec.template_.name == tg->spec.name);
  CHECK(tgb->spec.template_.spec.vpc_id == "vpc-1");
  CHECK(MarshalStack(stack).find(R"("FrontendNLBTargetGroup":{"FrontendNLBTargetGroup":{"TargetGroups":{}}})") !=
        std::string::npos);
}

TEST_CASE("ssl-redirect turns the HTTP listener into a redirect without rules") {
  Fixture f;
  ModelBuilder builder(f.config, f.Deps());
  auto ing = WebIngress({{"alb.ingress.kubernetes.io/listen-ports", R"([{"HTTP":80},{"HTTPS":443}])"},
                         {"alb.ingress.kubernetes.io/ssl-redirect", "443"},
                         {"alb.ingress.kubernetes.io/certificate-arn", "arn:aws:acm:us-west-2:1:certificate/a"}});
  auto r = builder.Build(f.GroupOf(ing));
  REQUIRE(r.ok());
  const ms::Stack& stack = *r.value().stack;
  const ms::Listener* http = stack.Find<ms::Listener>("80");
  REQUIRE(http != nullptr);
  REQUIRE(http->spec.default_actions.size() == 1);
  CHECK(http->spec.default_actions[0].redirect_config->port == std::optional<std::string>("443"));
  CHECK(stack.Find<ms::ListenerRule>("80:1") == nullptr);
  const ms::Listener* https = stack.Find<ms::Listener>("443");
  REQUIRE(https != nullptr);
  CHECK(https->spec.ssl_policy == std::optional<std::string>("ELBSecurityPolicy-2016-08"));
  REQUIRE(https->spec.certificates.size() == 1);
  CHECK(stack.Find<ms::ListenerRule>("443:1") != nullptr);
}

TEST_CASE("a missing backend Service becomes a fixed 503 response") {
  Fixture f;
  ModelBuilder builder(f.config, f.Deps());
  auto ing = WebIngress();
  ing->rules[0].paths[0].backend.service->name = "absent";
  auto r = builder.Build(f.GroupOf(ing));
  REQUIRE(r.ok());
  const ms::ListenerRule* rule = r.value().stack->Find<ms::ListenerRule>("80:1");
  REQUIRE(rule != nullptr);
  REQUIRE(rule->spec.actions[0].fixed_response_config.has_value());
  CHECK(rule->spec.actions[0].fixed_response_config->status_code == "503");
  CHECK(rule->spec.actions[0].fixed_response_config->message_body == std::optional<std::string>("Backend service does not exist"));
}

TEST_CASE("an unknown scheme is rejected with upstream's text") {
  Fixture f;
  ModelBuilder builder(f.config, f.Deps());
  auto r = builder.Build(f.GroupOf(WebIngress({{"alb.ingress.kubernetes.io/scheme", "public"}})));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "unknown scheme: public");
}

TEST_CASE("inbound CIDRs split into IPv4 and IPv6 and are validated like Go net.ParseCIDR") {
  Fixture f;
  ModelBuilder builder(f.config, f.Deps());
  auto ok = builder.Build(f.GroupOf(WebIngress({{"alb.ingress.kubernetes.io/inbound-cidrs", "10.0.0.0/8, 2001:db8::/32"},
                                                {"alb.ingress.kubernetes.io/ip-address-type", "dualstack"}})));
  REQUIRE(ok.ok());
  const ms::SecurityGroup* sg = ok.value().stack->Find<ms::SecurityGroup>("ManagedLBSecurityGroup");
  REQUIRE(sg != nullptr);
  REQUIRE(sg->spec.ingress.size() == 2);
  CHECK(sg->spec.ingress[0].ip_ranges[0].cidr_ip == "10.0.0.0/8");
  CHECK(sg->spec.ingress[1].ipv6_ranges[0].cidr_ipv6 == "2001:db8::/32");
  for (const std::string bad : {"10.0.0.0/33", "300.0.0.0/8", "10.0.0.0", "2001:db8:::1/64", "01.2.3.4/8"}) {
    CAPTURE(bad);
    auto r = builder.Build(f.GroupOf(WebIngress({{"alb.ingress.kubernetes.io/inbound-cidrs", bad}})));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message ==
          "ingress: default/web: invalid inbound-cidrs settings on Ingress: default/web: invalid CIDR address: " + bad);
  }
  for (const std::string good : {"::/0", "fe80::1/128", "::ffff:1.2.3.4/120", "0.0.0.0/0"}) {
    CAPTURE(good);
    CHECK(builder.Build(f.GroupOf(WebIngress({{"alb.ingress.kubernetes.io/inbound-cidrs", good}}))).ok());
  }
}

TEST_CASE("an empty group builds only the frontend NLB bookkeeping resource") {
  Fixture f;
  ModelBuilder builder(f.config, f.Deps());
  auto r = builder.Build(Group{GroupID::Explicit("gone"), {}, {}});
  REQUIRE(r.ok());
  CHECK_FALSE(r.value().load_balancer_id.has_value());
  CHECK(MarshalStack(*r.value().stack) ==
        R"({"id":"gone","resources":{"FrontendNLBTargetGroup":{"FrontendNLBTargetGroup":{"TargetGroups":{}}}}})");
}
}

}  // namespace
}  // namespace sim::controller
