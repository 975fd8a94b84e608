#include "sim/k8s/codec.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

namespace sim::k8s {
namespace {

using namespace model::k8s;

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_SUITE("k8s.codec") {

TEST_CASE("a multi-document manifest decodes into typed objects") {
  const std::string text = R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: default
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
spec:
  ingressClassName: alb
  rules:
  - host: example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: api
            port:
              number: 80
---
# a comment-only document is skipped
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: default}
spec:
  selector: {app: api}
  ports:
  - port: 80
    targetPort: http
---
apiVersion: sim.local/v1
kind: SimulatorConfig
anything: goes
)";
  auto r = DecodeManifests(text, "m.yaml");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  REQUIRE(r.value().size() == 2);
  auto ing = As<Ingress>(r.value()[0]);
  REQUIRE(ing);
  CHECK(ing->metadata.name == "web");
  CHECK(ing->metadata.annotations.at("alb.ingress.kubernetes.io/scheme") == "internet-facing");
  CHECK(ing->ingress_class_name == std::optional<std::string>("alb"));
  REQUIRE(ing->rules.size() == 1);
  CHECK(ing->rules[0].has_http);
  CHECK(ing->rules[0].paths[0].path_type == std::optional<std::string>("Prefix"));
  CHECK(ing->rules[0].paths[0].backend.service->port.number == 80);
  auto svc = As<Service>(r.value()[1]);
  REQUIRE(svc);
  CHECK(svc->ports[0].target_port == IntOrString::Str("http"));
  CHECK(svc->ports[0].protocol.empty());  // defaulting is the API server's job
}

TEST_CASE("JSON input is accepted and quoted numbers stay strings in IntOrString") {
  auto r = DecodeManifests(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},
    "spec":{"ports":[{"port":80,"targetPort":"8080"}]}})", "s.json");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  auto svc = As<Service>(r.value()[0]);
  CHECK(svc->ports[0].target_port == IntOrString::Str("8080"));
}

TEST_CASE("an unknown field is a strict decoding error with its position") {
  const std::string text = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  foo: 1\n";
  auto r = DecodeManifests(text, "ing.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "ing.yaml:6:3: Ingress in version \"v1\" cannot be handled as a Ingress: strict decoding error: "
        "unknown field \"spec.foo\"");
}

TEST_CASE("unknown fields inside lists carry their index and all are listed") {
  const std::string text = R"(apiVersion: v1
kind: Service
metadata:
  name: s
spec:
  ports:
  - port: 80
    bogus: x
  extra: 2
)";
  auto r = DecodeManifests(text, "f.yaml", 10);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "f.yaml:18:5: Service in version \"v1\" cannot be handled as a Service: strict decoding error: "
        "unknown field \"spec.ports[0].bogus\", unknown field \"spec.extra\"");
}

TEST_CASE("wrong scalar types are errors") {
  SUBCASE("an unquoted boolean annotation") {
    auto r = DecodeManifests("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    a: true\n", "x.yaml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message ==
          "x.yaml:6:8: Service in version \"v1\" cannot be handled as a Service: json: cannot unmarshal bool into "
          "Go struct field metadata.annotations of type string");
  }
  SUBCASE("a string port") {
    auto r = DecodeManifests("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: \"80\"\n",
                             "x.yaml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("x.yaml:7:11: ") == 0);
    CHECK(r.error().message.find("cannot unmarshal string into Go struct field spec.ports.port of type int32") !=
          std::string::npos);
  }
  SUBCASE("a list where an object is expected") {
    auto r = DecodeManifests("apiVersion: v1\nkind: Service\nmetadata: []\n", "x.yaml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("x.yaml:3:11: ") == 0);
  }
}

TEST_CASE("apiVersion and kind are checked") {
  auto r = DecodeManifests("apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: a}\n", "a.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "a.yaml:1:1: no matches for kind \"Ingress\" in version \"extensions/v1beta1\"");
  auto r2 = DecodeManifests("metadata: {name: a}\n", "a.yaml");
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().message == "a.yaml:1:1: error validating data: [apiVersion not set, kind not set]");
  auto r3 = DecodeManifests("apiVersion: elbv2.k8s.aws/v1alpha1\nkind: TargetGroupBinding\n", "t.yaml");
  CHECK_FALSE(r3.ok());
}

TEST_CASE("YAML syntax errors carry the position") {
  auto r = DecodeManifests("apiVersion: v1\nkind: [\n", "bad.yaml", 4);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.rfind("bad.yaml:", 0) == 0);
  CHECK(r.error().message.find(": yaml: ") != std::string::npos);
}

TEST_CASE("IngressClassParams decodes every documented field including the legacy prefix list") {
  const std::string text = R"(apiVersion: elbv2.k8s.aws/v1beta1
kind: IngressClassParams
metadata: {name: p}
spec:
  loadBalancerName: lb
  namespaceSelector: {matchLabels: {team: a}}
  group: {name: g}
  scheme: internal
  inboundCIDRs: [10.0.0.0/8]
  sslPolicy: ELBSecurityPolicy-2016-08
  sslRedirectPort: '443'
  subnets: {ids: [subnet-1], tags: {k: [v1, v2]}}
  ipAddressType: ipv4
  tags: [{key: a, value: b}]
  targetType: ip
  loadBalancerAttributes: [{key: idle_timeout.timeout_seconds, value: '60'}]
  listeners: [{protocol: HTTPS, port: 443, listenerAttributes: [{key: k, value: v}]}]
  minimumLoadBalancerCapacity: {capacityUnits: 100}
  ipamConfiguration: {ipv4IPAMPoolId: ipam-pool-1}
  certificateArn: [arn:aws:acm:us-west-2:1:certificate/x]
  prefixListsIDs: [pl-1]
  PrefixListsIDs: [pl-2]
  wafv2AclArn: arn:waf
  wafv2AclName: waf
)";
  auto r = DecodeManifests(text, "p.yaml");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  auto p = As<IngressClassParams>(r.value()[0]);
  REQUIRE(p);
  CHECK(p->group_name == std::optional<std::string>("g"));
  CHECK(p->has_subnets);
  CHECK(p->subnet_tags.at("k").size() == 2);
  CHECK(p->minimum_load_balancer_capacity_units == std::optional<int32_t>(100));
  CHECK(p->prefix_lists_ids == std::vector<std::string>{"pl-1"});
  CHECK(p->prefix_lists_ids_legacy == std::vector<std::string>{"pl-2"});
  CHECK(p->listeners[0].listener_attributes[0].value == "v");
  // Round trip through the encoder keeps the JSON names.
  auto j = nlohmann::json::parse(EncodeJson(*p));
  CHECK(j["spec"]["PrefixListsIDs"][0] == "pl-2");
  CHECK(j["spec"]["prefixListsIDs"][0] == "pl-1");
  CHECK(j["spec"]["ipamConfiguration"]["ipv4IPAMPoolId"] == "ipam-pool-1");
  auto again = DecodeManifests(EncodeJson(*p), "round.json");
  REQUIRE_MESSAGE(again.ok(), again.error().message);
  CHECK(EncodeJson(*again.value()[0]) == EncodeJson(*p));
}

TEST_CASE("a Deployment with unmodelled container fields decodes and encodes like kubectl") {
  const std::string text = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources: {limits: {cpu: 100m}}
        env: [{name: A, value: b}]
        ports: [{containerPort: 8080, name: http}]
        readinessProbe: {httpGet: {path: /healthz, port: http}}
)";
  auto r = DecodeManifests(text, "d.yaml");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  auto d = As<Deployment>(r.value()[0]);
  CHECK(d->replicas == 0);
  CHECK(d->template_.spec.containers[0].readiness_probe->http_get->port == IntOrString::Str("http"));
  auto j = nlohmann::json::parse(EncodeJson(*d));
  CHECK(j["apiVersion"] == "apps/v1");
  CHECK(j["spec"]["replicas"] == 0);  // printed even when zero
  CHECK(j["spec"]["strategy"]["rollingUpdate"]["maxSurge"] == "25%");
  CHECK(j["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] == 8080);
  CHECK_FALSE(j["metadata"].contains("generation"));
  CHECK(EncodeJson(*d).find("\n    \"kind\": \"Deployment\"") != std::string::npos);  // 4-space indent
}

TEST_CASE("EncodeJsonList wraps objects in a v1 List") {
  auto r = DecodeManifests("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n", "n.yaml");
  REQUIRE(r.ok());
  auto j = nlohmann::json::parse(EncodeJsonList(r.value()));
  CHECK(j["kind"] == "List");
  CHECK(j["items"].size() == 1);
  CHECK(j["items"][0]["metadata"]["name"] == "a");
}

TEST_CASE("every Kubernetes document of the conformance corpus decodes") {
  const std::filesystem::path root = "/work/shared/conformance";
  if (!std::filesystem::exists(root)) return;
  int files = 0, objects = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().filename() != "input.yaml") continue;
    ++files;
    auto r = DecodeManifests(ReadFile(entry.path()), entry.path().string());
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    objects += static_cast<int>(r.value().size());
  }
  CHECK(files > 500);
  CHECK(objects > 600);
}


// The fingerprints replace the compact JSON wherever only equality matters (no-op writes, spec
// comparisons), so they must agree with it exactly, both ways.
void CheckFingerprintsAgree(const Object& a, const Object& b) {
  CAPTURE(EncodeCompactJson(a));
  CAPTURE(EncodeCompactJson(b));
  CHECK((EncodeFingerprint(a) == EncodeFingerprint(b)) == (EncodeCompactJson(a) == EncodeCompactJson(b)));
  CHECK((EncodeSpecFingerprint(a) == EncodeSpecFingerprint(b)) == (EncodeSpecJson(a) == EncodeSpecJson(b)));
  auto a2 = a.Clone();
  auto b2 = b.Clone();
  a2->metadata.resource_version.clear();
  b2->metadata.resource_version.clear();
  CHECK((EncodeFingerprint(a, false) == EncodeFingerprint(b, false)) ==
        (EncodeCompactJson(*a2) == EncodeCompactJson(*b2)));
}

TEST_CASE("fingerprints are equal exactly when the compact JSON is equal") {
  Pod base;
  base.metadata.name = "web-1";
  base.metadata.namespace_ = "default";
  base.metadata.resource_version = "7";
  base.metadata.labels = {{"app", "web"}};
  base.spec.containers.push_back(Container{});
  base.spec.containers[0].name = "app";
  std::vector<std::shared_ptr<Pod>> variants;
  auto add = [&](auto edit) {
    auto p = std::make_shared<Pod>(base);
    edit(*p);
    variants.push_back(p);
  };
  add([](Pod&) {});
  add([](Pod& p) { p.metadata.resource_version = "8"; });
  add([](Pod& p) { p.metadata.labels = {{"app", "webx"}}; });
  add([](Pod& p) { p.metadata.labels = {{"appw", "eb"}}; });        // same bytes, other split
  add([](Pod& p) { p.metadata.labels = {{"app", "web"}, {"", ""}}; });
  add([](Pod& p) { p.metadata.annotations = {{"app", "web"}}; });   // same pair, other map
  add([](Pod& p) { p.metadata.deletion_grace_period_seconds = 0; });  // optional zero is printed
  add([](Pod& p) { p.metadata.generation = 0; });                   // zero is omitted: same as base
  add([](Pod& p) { p.spec.node_name = ""; });                       // empty string omitted: same as base
  add([](Pod& p) { p.spec.node_name = "n1"; });
  add([](Pod& p) { p.spec.hostname = "n1"; });                      // same value, other field
  add([](Pod& p) { p.spec.containers[0].readiness_probe = Probe{}; });  // empty but present object
  add([](Pod& p) { p.spec.containers.push_back(Container{}); });    // empty list item is printed
  add([](Pod& p) { p.spec.node_selector = {{"a", "b"}}; });
  add([](Pod& p) { p.phase = "Running"; });
  add([](Pod& p) { p.pod_ip = "10.0.0.5"; });
  add([](Pod& p) { p.host_ip = "10.0.0.5"; });
  add([](Pod& p) { p.conditions.push_back(PodCondition{"Ready", "True", "", "", ""}); });
  add([](Pod& p) { p.conditions.push_back(PodCondition{"Ready", "", "True", "", ""}); });
  for (const auto& a : variants) {
    for (const auto& b : variants) CheckFingerprintsAgree(*a, *b);
  }
  // The status fingerprint decides no-op status writes: objects differing only in status.
  for (const auto& a : variants) {
    for (const auto& b : variants) {
      auto b_status = std::make_shared<Pod>(*a);
      b_status->phase = b->phase;
      b_status->pod_ip = b->pod_ip;
      b_status->host_ip = b->host_ip;
      b_status->conditions = b->conditions;
      b_status->start_time = b->start_time;
      CHECK((EncodeStatusFingerprint(*a) == EncodeStatusFingerprint(*b_status)) ==
            (EncodeCompactJson(*a) == EncodeCompactJson(*b_status)));
    }
  }
}

TEST_CASE("fingerprints agree with the compact JSON on every pair of corpus objects of one kind") {
  const std::filesystem::path root = "/work/shared/conformance";
  if (!std::filesystem::exists(root)) return;
  std::map<Kind, std::vector<ObjectPtr>> by_kind;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().filename() != "input.yaml") continue;
    auto r = DecodeManifests(ReadFile(entry.path()), entry.path().string());
    REQUIRE(r.ok());
    for (const ObjectPtr& o : r.value()) {
      auto& v = by_kind[o->kind()];
      if (v.size() < 60) v.push_back(o);
    }
  }
  int equal_pairs = 0, pairs = 0;
  for (const auto& [kind, objs] : by_kind) {
    std::vector<std::string> json, fp, spec_json, spec_fp;
    for (const ObjectPtr& o : objs) {
      json.push_back(EncodeCompactJson(*o));
      fp.push_back(EncodeFingerprint(*o));
      spec_json.push_back(EncodeSpecJson(*o));
      spec_fp.push_back(EncodeSpecFingerprint(*o));
    }
    for (size_t i = 0; i < objs.size(); ++i) {
      for (size_t j = 0; j < objs.size(); ++j) {
        ++pairs;
        if (json[i] == json[j]) ++equal_pairs;
        CHECK((fp[i] == fp[j]) == (json[i] == json[j]));
        CHECK((spec_fp[i] == spec_fp[j]) == (spec_json[i] == spec_json[j]));
      }
    }
  }
  CHECK(pairs > equal_pairs);
  CHECK(equal_pairs > 0);
}

// Every pair of `edits` applied to copies of `base`: SameSpec agrees with the spec fingerprints,
// and holds only for the same edit or for edits 0 (none) and 1 (outside the spec).
template <typename T>
void CheckSameSpecOverEdits(const T& base, const std::vector<std::function<void(T&)>>& edits) {
  for (size_t i = 0; i < edits.size(); ++i) {
    for (size_t j = 0; j < edits.size(); ++j) {
      T a = base, b = base;
      edits[i](a);
      edits[j](b);
      CAPTURE(i);
      CAPTURE(j);
      CHECK(a.SameSpec(b) == (EncodeSpecFingerprint(a) == EncodeSpecFingerprint(b)));
      CHECK(a.SameSpec(b) == (i == j || (std::min(i, j) == 0 && std::max(i, j) == 1)));
    }
  }
}

TEST_CASE("SameSpec of EndpointSlices and Endpoints holds exactly when their spec fingerprints are equal") {
  EndpointSlice slice;
  slice.metadata.name = "web-abc12";
  slice.endpoints.resize(2);
  for (size_t i = 0; i < 2; ++i) {
    SliceEndpoint& e = slice.endpoints[i];
    e.addresses = {"10.0.64." + std::to_string(10 + i)};
    e.conditions.ready = true;
    e.node_name = "node-" + std::to_string(i);
    e.target_kind = "Pod";
    e.target_namespace = "default";
    e.target_name = "web-" + std::to_string(i);
    e.target_uid = "uid-" + std::to_string(i);
  }
  slice.ports = {SlicePort{std::string("http"), 8080, "TCP", std::nullopt}};
  std::vector<std::function<void(EndpointSlice&)>> slice_edits = {
      [](EndpointSlice&) {},
      [](EndpointSlice& s) { s.metadata.name = "other"; },  // not spec
      [](EndpointSlice& s) { s.address_type = "IPv6"; },
      [](EndpointSlice& s) { s.endpoints.pop_back(); },
      [](EndpointSlice& s) { std::swap(s.endpoints[0], s.endpoints[1]); },
      [](EndpointSlice& s) { s.endpoints[0].addresses.push_back("10.0.64.99"); },
      [](EndpointSlice& s) { s.endpoints[0].conditions.ready = false; },
      [](EndpointSlice& s) { s.endpoints[0].conditions.ready.reset(); },
      [](EndpointSlice& s) { s.endpoints[0].conditions.serving = true; },
      [](EndpointSlice& s) { s.endpoints[1].conditions.terminating = false; },
      [](EndpointSlice& s) { s.endpoints[0].hostname = "h"; },
      [](EndpointSlice& s) { s.endpoints[0].node_name = "node-9"; },
      [](EndpointSlice& s) { s.endpoints[0].zone = "us-west-2a"; },
      [](EndpointSlice& s) { s.endpoints[0].target_kind.clear(); },
      [](EndpointSlice& s) { s.endpoints[0].target_namespace = "other"; },
      [](EndpointSlice& s) { s.endpoints[1].target_name = "web-9"; },
      [](EndpointSlice& s) { s.endpoints[1].target_uid = "uid-9"; },
      [](EndpointSlice& s) { s.ports[0].name.reset(); },
      [](EndpointSlice& s) { s.ports[0].name = ""; },
      [](EndpointSlice& s) { s.ports[0].port = 8081; },
      [](EndpointSlice& s) { s.ports[0].port.reset(); },
      [](EndpointSlice& s) { s.ports[0].protocol = "UDP"; },
      [](EndpointSlice& s) { s.ports[0].app_protocol = "http"; },
      [](EndpointSlice& s) { s.ports.push_back(SlicePort{}); },
  };
  CheckSameSpecOverEdits(slice, slice_edits);
  Endpoints eps;
  eps.subsets.resize(1);
  eps.subsets[0].addresses = {EndpointAddress{"10.0.64.10", "node-0", "Pod", "default", "web-0", "uid-0"}};
  eps.subsets[0].ports = {EndpointPort{"http", 8080, "TCP"}};
  std::vector<std::function<void(Endpoints&)>> eps_edits = {
      [](Endpoints&) {},
      [](Endpoints& e) { e.metadata.labels["app"] = "web"; },  // not spec
      [](Endpoints& e) { e.subsets.push_back(EndpointSubset{}); },
      [](Endpoints& e) { e.subsets[0].not_ready_addresses = e.subsets[0].addresses; },
      [](Endpoints& e) { e.subsets[0].addresses[0].ip = "10.0.64.11"; },
      [](Endpoints& e) { e.subsets[0].addresses[0].node_name = "node-1"; },
      [](Endpoints& e) { e.subsets[0].addresses[0].target_kind.clear(); },
      [](Endpoints& e) { e.subsets[0].addresses[0].target_namespace = "x"; },
      [](Endpoints& e) { e.subsets[0].addresses[0].target_name = "web-1"; },
      [](Endpoints& e) { e.subsets[0].addresses[0].target_uid = "uid-1"; },
      [](Endpoints& e) { e.subsets[0].ports[0].name = "h"; },
      [](Endpoints& e) { e.subsets[0].ports[0].port = 1; },
      [](Endpoints& e) { e.subsets[0].ports[0].protocol = "SCTP"; },
  };
  CheckSameSpecOverEdits(eps, eps_edits);
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::k8s
