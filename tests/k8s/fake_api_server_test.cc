#include "sim/k8s/fake_api_server.h"

#include <algorithm>
#include <memory>
#include <set>
#include <string>

#include <doctest/doctest.h>

#include "sim/base/clock.h"
#include "sim/base/rng.h"
#include "sim/k8s/codec.h"

namespace sim::k8s {
namespace {

using namespace model::k8s;

ObjectPtr Parse(const std::string& yaml) {
  auto r = DecodeManifests(yaml, "test.yaml");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  REQUIRE(r.value().size() == 1);
  return r.value()[0];
}

std::string IngressYaml(const std::string& spec, const std::string& name = "web") {
  return "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: " + name +
         "\n  namespace: default\nspec:\n" + spec;
}

const char* kSimpleIngressSpec = R"(  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: api
            port:
              number: 80
)";

std::string CreateError(FakeApiServer& api, const std::string& yaml) {
  auto r = api.Create(*Parse(yaml));
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

struct Recorder {
  std::vector<std::pair<WatchEventType, std::string>> events;  // type, "name@rv"
  void Attach(FakeApiServer& api, Kind kind) {
    api.Watch(kind, [this](const WatchEvent& e) {
      events.push_back({e.type, e.object->metadata.name + "@" + e.object->metadata.resource_version});
    });
  }
};

TEST_SUITE("k8s.fake_api_server") {

TEST_CASE("listing by labels answers as filtering the full list, across creates, relabels and deletes") {
  SimClock clock;
  FakeApiServer api(clock);
  REQUIRE(api.Create(*Parse("apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n")).ok());
  auto put = [&](const std::string& ns, const std::string& name, const std::string& labels) {
    const std::string yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: " + ns +
                             ", labels: {" + labels + "}}\nspec: {ports: [{port: 80}]}\n";
    auto existing = api.Get(Kind::kService, ns, name);
    ObjectPtr obj = Parse(yaml);
    if (existing.ok()) {
      auto edited = std::const_pointer_cast<Object>(Parse(yaml));
      edited->metadata.resource_version = existing.value()->metadata.resource_version;
      REQUIRE(api.Update(*edited).ok());
    } else {
      REQUIRE(api.Create(*obj).ok());
    }
  };
  const std::vector<std::map<std::string, std::string>> selectors = {
      {{"app", "a"}}, {{"app", "a"}, {"tier", "web"}}, {{"tier", "web"}}, {{"app", "b"}}, {{"app", "none"}}, {}};
  auto names = [](const std::vector<ObjectPtr>& objs) {
    std::vector<std::string> out;
    for (const auto& o : objs) out.push_back(o->metadata.namespace_ + "/" + o->metadata.name);
    return out;
  };
  int step = 0;
  auto compare = [&] {
    ++step;
    for (const auto& sel : selectors) {
      for (const std::string ns : {"", "default", "other"}) {
        CAPTURE(step);
        CAPTURE(ns);
        const auto indexed = names(api.ListMatchingLabels(Kind::kService, ns, sel));
        CHECK(indexed == names(static_cast<const KubeApi&>(api).KubeApi::ListMatchingLabels(Kind::kService, ns, sel)));
      }
    }
  };
  put("default", "s1", "app: a, tier: web");
  put("default", "s2", "app: b");
  put("other", "s1", "app: a");
  compare();  // builds the index
  CHECK(names(api.ListMatchingLabels(Kind::kService, "", {{"app", "a"}})) ==
        std::vector<std::string>{"default/s1", "other/s1"});
  put("default", "s3", "app: a, tier: web");  // created after the index
  put("default", "s2", "app: a");             // relabelled
  put("other", "s1", "tier: web");
  compare();
  CHECK(names(api.ListMatchingLabels(Kind::kService, "", {{"app", "a"}, {"tier", "web"}})) ==
        std::vector<std::string>{"default/s1", "default/s3"});
  REQUIRE(api.Delete(Kind::kService, "default", "s1").ok());
  put("default", "s2", "");
  compare();
  put("default", "s1", "app: b");  // the name again
  compare();
  CHECK(names(api.ListMatchingLabels(Kind::kService, "default", {{"app", "b"}})) ==
        std::vector<std::string>{"default/s1"});
}

TEST_CASE("a create that hands its object to the server answers as a create of a copy") {
  const std::string pod_yaml = R"(apiVersion: v1
kind: Pod
metadata: {generateName: web-, namespace: default, labels: {app: web}}
spec:
  containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]
)";
  SimClock clock_a, clock_b;
  FakeApiServer copied(clock_a), handed(clock_b);
  auto by_copy = copied.Create(*Parse(pod_yaml));
  auto by_hand = handed.Create(Parse(pod_yaml)->Clone());
  REQUIRE(by_copy.ok());
  REQUIRE(by_hand.ok());
  // The same name, uid, defaults and resource version: the same stored object, byte for byte.
  CHECK(by_hand.value()->metadata.name == by_copy.value()->metadata.name);
  CHECK(EncodeJson(*by_hand.value()) == EncodeJson(*by_copy.value()));
  // The same refusals.
  auto with_rv = Parse(pod_yaml)->Clone();
  with_rv->metadata.resource_version = "7";
  auto refused = handed.Create(std::move(with_rv));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "resourceVersion should not be set on objects to be created");
  auto invalid = Parse(pod_yaml)->Clone();
  static_cast<Pod&>(*invalid).spec.containers.clear();
  auto invalid_copy = invalid->Clone();
  auto a = copied.Create(*invalid_copy);
  auto b = handed.Create(std::move(invalid));
  REQUIRE_FALSE(a.ok());
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().message == a.error().message);
}

TEST_CASE("a pod status write that hands its request to the server answers as one that is copied") {
  const std::string pod_yaml = R"(apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  containers: [{name: app, image: nginx}]
)";
  SimClock clock_a, clock_b;
  FakeApiServer copied(clock_a), handed(clock_b);
  auto a = As<Pod>(copied.Create(*Parse(pod_yaml)).value());
  auto b = As<Pod>(handed.Create(*Parse(pod_yaml)).value());
  auto status = [](const Pod& stored) {
    auto req = std::make_shared<Pod>();
    req->metadata.name = stored.metadata.name;
    req->metadata.namespace_ = stored.metadata.namespace_;
    req->metadata.resource_version = stored.metadata.resource_version;
    req->phase = "Running";
    req->pod_ip = "10.0.64.20";
    req->conditions = {PodCondition{"Ready", "True", "", "", "2026-01-01T00:00:00Z"}};
    return req;
  };
  auto by_copy = copied.UpdateStatus(*status(*a));
  auto by_hand = handed.UpdateStatus(status(*b));
  REQUIRE(by_copy.ok());
  REQUIRE(by_hand.ok());
  CHECK(EncodeJson(*by_hand.value()) == EncodeJson(*by_copy.value()));  // metadata, spec and status alike
  // A stale request is refused alike.
  auto stale = status(*b);
  auto refused = handed.UpdateStatus(std::move(stale));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == copied.UpdateStatus(*status(*a)).error().message);
}

TEST_CASE("default namespaces exist and resourceVersion is one cluster-wide counter") {
  SimClock clock;
  clock.AdvanceTo(SimTime(5500));
  FakeApiServer api(clock);
  CHECK(api.Count(Kind::kNamespace) == 3);
  CHECK(api.Get(Kind::kNamespace, "", "kube-system").ok());
  const int64_t rv0 = api.resource_version();
  auto ing = api.Create(*Parse(IngressYaml(kSimpleIngressSpec)));
  REQUIRE_MESSAGE(ing.ok(), ing.error().message);
  auto svc = api.Create(*Parse("apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: default}\n"
                               "spec: {ports: [{port: 80}]}\n"));
  REQUIRE_MESSAGE(svc.ok(), svc.error().message);
  CHECK(ing.value()->metadata.resource_version == std::to_string(rv0 + 1));
  CHECK(svc.value()->metadata.resource_version == std::to_string(rv0 + 2));
  CHECK(ing.value()->metadata.creation_timestamp == "2026-01-01T00:00:05Z");
  CHECK(ing.value()->metadata.uid.size() == 36);
  CHECK(ing.value()->metadata.uid != svc.value()->metadata.uid);
  CHECK(ing.value()->metadata.generation == 1);
  CHECK(svc.value()->metadata.generation == 0);  // Services do not track generation
}

// A label written on `obj` (generation 1): a new resourceVersion, the same generation.
template <typename T>
void CheckLabelWriteKeepsGeneration(FakeApiServer& api, const std::shared_ptr<const T>& obj) {
  auto copy = MutableCopy(obj);
  copy->metadata.labels["a"] = "b";
  auto r = api.Update(*copy);
  REQUIRE(r.ok());
  CHECK(r.value()->metadata.generation == 1);
  CHECK(r.value()->metadata.resource_version != obj->metadata.resource_version);
}

TEST_CASE("generation moves only with the spec; no-op writes change nothing") {
  SimClock clock;
  FakeApiServer api(clock);
  Recorder rec;
  rec.Attach(api, Kind::kIngress);
  auto created = api.Create(*Parse(IngressYaml(kSimpleIngressSpec)));
  REQUIRE(created.ok());
  auto ing = As<Ingress>(created.value());

  SUBCASE("a label change bumps the RV but not the generation") { CheckLabelWriteKeepsGeneration(api, ing); }
  SUBCASE("a spec change bumps the generation") {
    auto copy = MutableCopy(ing);
    copy->rules[0].paths[0].path = "/api";
    auto r = api.Update(*copy);
    REQUIRE(r.ok());
    CHECK(r.value()->metadata.generation == 2);
  }
  SUBCASE("a status write keeps the generation and the spec") {
    auto copy = MutableCopy(ing);
    copy->status_ingress.push_back(IngressLoadBalancerIngress{"", "k8s-default-web-1.us-west-2.elb.amazonaws.com", {}});
    copy->rules[0].paths[0].path = "/ignored";
    auto r = api.UpdateStatus(*copy);
    REQUIRE(r.ok());
    auto stored = As<Ingress>(r.value());
    CHECK(stored->metadata.generation == 1);
    CHECK(stored->rules[0].paths[0].path == "/");
    CHECK(stored->status_ingress.size() == 1);
    // The main resource keeps the stored status.
    auto main = MutableCopy(stored);
    main->status_ingress.clear();
    auto r2 = api.Update(*main);
    REQUIRE(r2.ok());
    CHECK(As<Ingress>(r2.value())->status_ingress.size() == 1);
  }
  SUBCASE("an identical write is a no-op: same RV, no watch event") {
    const size_t before = rec.events.size();
    auto r = api.Update(*ing);
    REQUIRE(r.ok());
    CHECK(r.value()->metadata.resource_version == ing->metadata.resource_version);
    CHECK(rec.events.size() == before);
  }
  SUBCASE("a stale resourceVersion conflicts") {
    auto copy = MutableCopy(ing);
    copy->metadata.labels["x"] = "1";
    REQUIRE(api.Update(*copy).ok());
    copy->metadata.labels["x"] = "2";
    auto r = api.Update(*copy);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kConflict);
    CHECK(r.error().message ==
          "Operation cannot be fulfilled on ingresses.networking.k8s.io \"web\": the object has been modified; please "
          "apply your changes to the latest version and try again");
  }
  SUBCASE("create with a resourceVersion is a bad request") {
    auto copy = MutableCopy(ing);
    copy->metadata.name = "other";
    auto r = api.Create(*copy);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "resourceVersion should not be set on objects to be created");
  }
}

// EndpointSlices move their generation with the body (addressType, endpoints, ports), compared
// field by field on update.
TEST_CASE("an EndpointSlice's generation moves with its endpoints and ports, not its labels") {
  SimClock clock;
  FakeApiServer api(clock);
  auto created = api.Create(*Parse(
      "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
      "metadata: {name: web-abc, namespace: default, labels: {kubernetes.io/service-name: web}}\n"
      "addressType: IPv4\nendpoints: [{addresses: [10.0.1.5], conditions: {ready: true}}]\n"
      "ports: [{name: http, port: 8080, protocol: TCP}]\n"));
  REQUIRE_MESSAGE(created.ok(), created.error().message);
  auto slice = As<EndpointSlice>(created.value());
  REQUIRE(slice->metadata.generation == 1);
  SUBCASE("an endpoint's condition") {
    auto copy = MutableCopy(slice);
    copy->endpoints[0].conditions.ready = false;
    auto r = api.Update(*copy);
    REQUIRE(r.ok());
    CHECK(r.value()->metadata.generation == 2);
  }
  SUBCASE("a port") {
    auto copy = MutableCopy(slice);
    copy->ports[0].port = 8081;
    auto r = api.Update(*copy);
    REQUIRE(r.ok());
    CHECK(r.value()->metadata.generation == 2);
  }
  SUBCASE("a label: a new resourceVersion, the same generation") { CheckLabelWriteKeepsGeneration(api, slice); }
  SUBCASE("the same slice again: a no-op") {
    auto r = api.Update(*MutableCopy(slice));
    REQUIRE(r.ok());
    CHECK(r.value()->metadata.generation == 1);
    CHECK(r.value()->metadata.resource_version == slice->metadata.resource_version);
  }
}

TEST_CASE("a pod status write takes every status field and keeps the stored metadata and spec") {
  SimClock clock;
  FakeApiServer api(clock);
  Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = "web-1";
  pod.metadata.labels = {{"app", "web"}};
  pod.spec.containers.push_back(Container{"app", "nginx", {}, std::nullopt});
  auto created = api.Create(pod);
  REQUIRE(created.ok());
  auto copy = MutableCopy(As<Pod>(created.value()));
  copy->phase = "Running";
  copy->pod_ip = "10.0.1.5";
  copy->host_ip = "10.0.0.9";
  copy->start_time = "2024-01-01T00:00:05Z";
  copy->conditions = {PodCondition{"Ready", "True", "", "", "2024-01-01T00:00:07Z"}};
  copy->metadata.labels["app"] = "ignored";        // not a status field
  copy->spec.node_name = "ignored-node";           // nor this
  copy->spec.containers[0].image = "ignored:tag";  // nor this
  auto r = api.UpdateStatus(*copy);
  REQUIRE(r.ok());
  auto stored = As<Pod>(r.value());
  CHECK(stored->phase == "Running");
  CHECK(stored->pod_ip == "10.0.1.5");
  CHECK(stored->host_ip == "10.0.0.9");
  CHECK(stored->start_time == "2024-01-01T00:00:05Z");
  CHECK(stored->conditions == copy->conditions);
  CHECK(stored->metadata.labels.at("app") == "web");
  CHECK(stored->metadata.uid == created.value()->metadata.uid);
  CHECK(stored->metadata.resource_version != created.value()->metadata.resource_version);
  CHECK(stored->spec.node_name.empty());
  CHECK(stored->spec.containers.at(0).image == "nginx");
}

TEST_CASE("finalizers hold a deleted object until the last one is removed") {
  SimClock clock;
  FakeApiServer api(clock);
  Recorder rec;
  rec.Attach(api, Kind::kIngress);
  auto obj = Parse(IngressYaml(kSimpleIngressSpec));
  auto m = obj->Clone();
  m->metadata.finalizers = {"ingress.k8s.aws/resources"};
  REQUIRE(api.Create(*m).ok());
  clock.AdvanceTo(SimTime(60000));
  REQUIRE(api.Delete(Kind::kIngress, "default", "web").ok());
  auto deleting = As<Ingress>(api.Get(Kind::kIngress, "default", "web").value());
  REQUIRE(deleting->metadata.deletion_timestamp);
  CHECK(*deleting->metadata.deletion_timestamp == "2026-01-01T00:01:00Z");
  CHECK(deleting->metadata.deletion_grace_period_seconds == std::optional<int64_t>(0));
  CHECK(deleting->metadata.generation == 2);
  CHECK(rec.events.back().first == WatchEventType::kModified);

  SUBCASE("a second delete changes nothing") {
    const int64_t rv = api.resource_version();
    REQUIRE(api.Delete(Kind::kIngress, "default", "web").ok());
    CHECK(api.resource_version() == rv);
  }
  SUBCASE("adding a finalizer while deleting is forbidden") {
    auto copy = MutableCopy(deleting);
    copy->metadata.finalizers.push_back("example.com/x");
    auto r = api.Update(*copy);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message ==
          "Ingress.networking.k8s.io \"web\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be "
          "added if the object is being deleted, found new finalizers []string{\"example.com/x\"}");
  }
  SUBCASE("removing the last finalizer deletes with a single DELETED event") {
    const size_t before = rec.events.size();
    auto copy = MutableCopy(deleting);
    copy->metadata.finalizers.clear();
    REQUIRE(api.Update(*copy).ok());
    CHECK_FALSE(api.Get(Kind::kIngress, "default", "web").ok());
    REQUIRE(rec.events.size() == before + 1);
    CHECK(rec.events.back().first == WatchEventType::kDeleted);
    CHECK(IsNotFound(api.Get(Kind::kIngress, "default", "web").error()));
    CHECK(api.Get(Kind::kIngress, "default", "web").error().message ==
          "ingresses.networking.k8s.io \"web\" not found");
  }
}

TEST_CASE("objects in a missing namespace are rejected") {
  SimClock clock;
  FakeApiServer api(clock);
  auto r = api.Create(*Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: nope}\n"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kNotFound);
  CHECK(r.error().message == "namespaces \"nope\" not found");
}

TEST_CASE("Ingress validation reproduces the API server texts") {
  SimClock clock;
  FakeApiServer api(clock);
  SUBCASE("missing pathType short-circuits the path") {
    CHECK(CreateError(api, IngressYaml(R"(  rules:
  - http:
      paths:
      - path: api
        backend: {}
)")) == "Ingress.networking.k8s.io \"web\" is invalid: spec.rules[0].http.paths[0].pathType: Required value: "
        "pathType must be specified");
  }
  SUBCASE("several errors are bracketed in check order") {
    CHECK(CreateError(api, IngressYaml(R"(  rules:
  - host: 10.0.0.1
    http:
      paths:
      - path: api
        pathType: Prefix
        backend:
          service:
            name: Web
            port: {number: 70000}
)")) == "Ingress.networking.k8s.io \"web\" is invalid: [spec.rules[0].host: Invalid value: \"10.0.0.1\": must be "
        "a DNS name, not an IP address, spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute "
        "path, spec.rules[0].http.paths[0].backend.service.name: Invalid value: \"Web\": a DNS-1035 label must "
        "consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an "
        "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
        "'[a-z]([-a-z0-9]*[a-z0-9])?'), spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: "
        "70000: must be between 1 and 65535, inclusive]");
  }
  SUBCASE("no rules and no default backend") {
    CHECK(CreateError(api, IngressYaml("  ingressClassName: alb\n")) ==
          "Ingress.networking.k8s.io \"web\" is invalid: spec: Invalid value: null: either `defaultBackend` or "
          "`rules` must be specified");
    CHECK(CreateError(api, IngressYaml("  rules: []\n")) ==
          "Ingress.networking.k8s.io \"web\" is invalid: spec: Invalid value: []: either `defaultBackend` or "
          "`rules` must be specified");
  }
  SUBCASE("unsupported pathType and bad path sequences") {
    CHECK(CreateError(api, IngressYaml(R"(  rules:
  - http:
      paths:
      - {path: /a, pathType: Regex, backend: {service: {name: a, port: {number: 80}}}}
      - {path: /a//b/.., pathType: Exact, backend: {service: {name: a, port: {name: http, number: 80}}}}
)")) == "Ingress.networking.k8s.io \"web\" is invalid: [spec.rules[0].http.paths[0].pathType: Unsupported value: "
        "\"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\", "
        "spec.rules[0].http.paths[1].path: Invalid value: \"/a//b/..\": must not contain '//', "
        "spec.rules[0].http.paths[1].path: Invalid value: \"/a//b/..\": cannot end with '/..', "
        "spec.rules[0].http.paths[1].backend: Invalid value: \"\": cannot set both port name & port number]");
  }
  SUBCASE("class annotation and ingressClassName must agree on create") {
    auto text = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n"
                "    kubernetes.io/ingress.class: alb\nspec:\n  ingressClassName: nginx\n" +
                std::string(kSimpleIngressSpec);
    CHECK(CreateError(api, text) ==
          "Ingress.networking.k8s.io \"web\" is invalid: annotations.kubernetes.io/ingress.class: Invalid value: "
          "\"alb\": must match `ingressClassName` when both are specified");
  }
  SUBCASE("wildcard hosts") {
    CHECK(CreateError(api, IngressYaml(R"(  rules:
  - host: a.*.com
  - host: "*.example.com"
)")) == "Ingress.networking.k8s.io \"web\" is invalid: spec.rules[0].host: Invalid value: \"a.*.com\": a wildcard "
        "DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case "
        "alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used "
        "for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }
  SUBCASE("the deprecated class annotation only warns") {
    auto text = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n"
                "    kubernetes.io/ingress.class: alb\nspec:\n" + std::string(kSimpleIngressSpec);
    REQUIRE(api.Create(*Parse(text)).ok());
    REQUIRE(api.last_warnings().size() == 1);
    CHECK(api.last_warnings()[0] ==
          "annotation \"kubernetes.io/ingress.class\" is deprecated, please use 'spec.ingressClassName' instead");
  }
}

TEST_CASE("the default IngressClass is applied on create only") {
  SimClock clock;
  FakeApiServer api(clock);
  auto before = api.Create(*Parse(IngressYaml(kSimpleIngressSpec, "early")));
  REQUIRE(before.ok());
  REQUIRE(api.Create(*Parse(R"(apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: alb
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec:
  controller: ingress.k8s.aws/alb
)")).ok());
  auto after = api.Create(*Parse(IngressYaml(kSimpleIngressSpec, "late")));
  REQUIRE(after.ok());
  CHECK(As<Ingress>(after.value())->ingress_class_name == std::optional<std::string>("alb"));
  auto early = As<Ingress>(before.value());
  auto upd = api.Update(*early);
  CHECK_FALSE(As<Ingress>(upd.value())->ingress_class_name.has_value());

  REQUIRE(api.Create(*Parse(R"(apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: alb2
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec:
  controller: ingress.k8s.aws/alb
)")).ok());
  auto r = api.Create(*Parse(IngressYaml(kSimpleIngressSpec, "third")));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kPermissionDenied);
  CHECK(r.error().message ==
        "ingresses.networking.k8s.io \"third\" is forbidden: Internal error occurred: 2 default IngressClasses were "
        "found, only 1 allowed");
}

TEST_CASE("IngressClass validation") {
  SimClock clock;
  FakeApiServer api(clock);
  CHECK(CreateError(api, "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: a}\nspec:\n"
                         "  controller: alb\n") ==
        "IngressClass.networking.k8s.io \"a\" is invalid: spec.controller: Invalid value: \"alb\": must be a "
        "domain-prefixed path (such as \"acme.io/foo\")");
  CHECK(CreateError(api, "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: a}\nspec:\n"
                         "  controller: ingress.k8s.aws/alb\n  parameters: {kind: IngressClassParams, name: p, "
                         "scope: Namespace}\n") ==
        "IngressClass.networking.k8s.io \"a\" is invalid: spec.parameters.namespace: Required value: "
        "`parameters.scope` is set to 'Namespace'");
  auto ok = api.Create(*Parse("apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: a}\nspec:\n"
                              "  controller: ingress.k8s.aws/alb\n  parameters: {apiGroup: elbv2.k8s.aws, kind: "
                              "IngressClassParams, name: p}\n"));
  REQUIRE(ok.ok());
  auto ic = As<IngressClass>(ok.value());
  CHECK(ic->parameters->scope == std::optional<std::string>("Cluster"));
  auto copy = MutableCopy(ic);
  copy->controller = "example.com/other";
  auto r = api.Update(*copy);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "IngressClass.networking.k8s.io \"a\" is invalid: spec.controller: Invalid value: \"example.com/other\": "
        "field is immutable");
}

TEST_CASE("cluster IPs go to the lowest free address of the dynamic range, a released one first") {
  SimClock clock;
  FakeApiServer api(clock);
  auto create = [&](const std::string& name) {
    auto r = api.Create(*Parse("apiVersion: v1\nkind: Service\nmetadata: {name: " + name +
                               ", namespace: default}\nspec: {selector: {app: x}, ports: [{port: 80}]}\n"));
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return As<Service>(r.value())->cluster_ip;
  };
  CHECK(create("a") == "10.100.1.1");
  CHECK(create("b") == "10.100.1.2");
  CHECK(create("c") == "10.100.1.3");
  REQUIRE(api.Delete(Kind::kService, "default", "b").ok());
  CHECK(create("d") == "10.100.1.2");
  CHECK(create("e") == "10.100.1.4");
  for (int i = 0; i < 300; ++i) create("many" + std::to_string(i));
  CHECK(create("f") == "10.100.2.49");  // 10.100.1.1 + 304: past the .255 and .0 of the /24s
}

TEST_CASE("Services are defaulted, validated and allocated") {
  SimClock clock;
  FakeApiServer api(clock);
  auto r = api.Create(*Parse(R"(apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}, {name: https, port: 443}]
)"));
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  auto svc = As<Service>(r.value());
  CHECK(svc->cluster_ip == "10.100.1.1");
  CHECK(svc->cluster_ips == std::vector<std::string>{"10.100.1.1"});
  CHECK(svc->ip_family_policy == "SingleStack");
  CHECK(svc->ports[0].protocol == "TCP");
  CHECK(svc->ports[0].node_port == 30086);
  CHECK(svc->ports[1].node_port == 30087);
  CHECK(svc->ports[1].target_port == IntOrString::Int(443));
  CHECK(svc->external_traffic_policy == "Cluster");
  CHECK(svc->session_affinity == "None");

  SUBCASE("a requested node port that is taken is rejected") {
    CHECK(CreateError(api, "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec:\n  type: NodePort\n"
                           "  ports: [{port: 80, nodePort: 30086}]\n") ==
          "Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 30086: provided port is already allocated");
  }
  SUBCASE("a node port outside the range is rejected") {
    CHECK(CreateError(api, "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec:\n  type: NodePort\n"
                           "  ports: [{port: 80, nodePort: 80}]\n") ==
          "Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid "
          "range. The range of valid ports is 30000-32767");
  }
  SUBCASE("field validation") {
    CHECK(CreateError(api, "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec:\n"
                           "  ports: [{port: 80, protocol: HTTP, nodePort: 30100}]\n") ==
          "Service \"b\" is invalid: [spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", "
          "\"TCP\", \"UDP\", spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP']");
    CHECK(CreateError(api, "apiVersion: v1\nkind: Service\nmetadata: {name: 1b}\nspec:\n  ports: [{port: 80}]\n") ==
          "Service \"1b\" is invalid: metadata.name: Invalid value: \"1b\": a DNS-1035 label must consist of lower "
          "case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric "
          "character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    CHECK(CreateError(api, "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec:\n"
                           "  ports: [{name: a, port: 80}, {name: b, port: 80}]\n") ==
          "Service \"b\" is invalid: spec.ports[1]: Duplicate value: {\"Name\":\"\",\"Protocol\":\"TCP\","
          "\"AppProtocol\":null,\"Port\":80,\"TargetPort\":0,\"NodePort\":0}");
    CHECK(CreateError(api, "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec:\n  type: ClusterIP\n"
                           "  externalTrafficPolicy: Local\n  ports: [{port: 80}]\n") ==
          "Service \"b\" is invalid: spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for "
          "externally-accessible services");
  }
  SUBCASE("LoadBalancer + Local gets a health-check node port, NodePort + Local does not") {
    auto lb = api.Create(*Parse("apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec:\n  type: LoadBalancer\n"
                                "  externalTrafficPolicy: Local\n  ports: [{port: 80}]\n"));
    REQUIRE(lb.ok());
    CHECK(As<Service>(lb.value())->health_check_node_port == 30089);
    auto np = api.Create(*Parse("apiVersion: v1\nkind: Service\nmetadata: {name: np}\nspec:\n  type: NodePort\n"
                                "  externalTrafficPolicy: Local\n  ports: [{port: 80}]\n"));
    REQUIRE(np.ok());
    CHECK(As<Service>(np.value())->health_check_node_port == 0);
  }
  SUBCASE("an update without clusterIP/nodePorts keeps them; type ClusterIP releases the ports") {
    auto copy = MutableCopy(svc);
    copy->cluster_ip.clear();
    copy->cluster_ips.clear();
    for (auto& p : copy->ports) p.node_port = 0;
    auto u = api.Update(*copy);
    REQUIRE_MESSAGE(u.ok(), u.error().message);
    CHECK(As<Service>(u.value())->cluster_ip == "10.100.1.1");
    CHECK(As<Service>(u.value())->ports[0].node_port == 30086);
    auto to_cluster_ip = MutableCopy(As<Service>(u.value()));
    to_cluster_ip->type = "ClusterIP";
    to_cluster_ip->external_traffic_policy.clear();
    auto u2 = api.Update(*to_cluster_ip);
    REQUIRE_MESSAGE(u2.ok(), u2.error().message);
    CHECK(As<Service>(u2.value())->ports[0].node_port == 0);
    auto again = api.Create(*Parse("apiVersion: v1\nkind: Service\nmetadata: {name: c}\nspec:\n  type: NodePort\n"
                                   "  ports: [{port: 80}]\n"));
    REQUIRE(again.ok());
    CHECK(As<Service>(again.value())->ports[0].node_port == 30086);
  }
  SUBCASE("deleting the Service frees its IP and ports") {
    REQUIRE(api.Delete(Kind::kService, "default", "web").ok());
    auto again = api.Create(*Parse("apiVersion: v1\nkind: Service\nmetadata: {name: c}\nspec:\n  type: NodePort\n"
                                   "  ports: [{port: 80}]\n"));
    REQUIRE(again.ok());
    CHECK(As<Service>(again.value())->cluster_ip == "10.100.1.1");
    CHECK(As<Service>(again.value())->ports[0].node_port == 30086);
  }
}

TEST_CASE("node ports: the lowest free port of the dynamic part, then of the static part; a freed port first") {
  SimClock clock;
  FakeApiServer api(clock);
  auto create = [&](const std::string& name, const std::string& port = "") {
    auto r = api.Create(*Parse("apiVersion: v1\nkind: Service\nmetadata: {name: " + name +
                               "}\nspec:\n  type: NodePort\n  ports: [{port: 80" +
                               (port.empty() ? "" : ", nodePort: " + port) + "}]\n"));
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return As<Service>(r.value())->ports[0].node_port;
  };
  // 30000-32767: the first 86 ports (size / 32) are the static part.
  CHECK(create("a") == 30086);
  CHECK(create("pinned", "30088") == 30088);
  CHECK(create("b") == 30087);
  CHECK(create("c") == 30089);  // 30088 is taken
  for (int p = 30090; p <= 32767; ++p) REQUIRE(create("d" + std::to_string(p)) == p);
  CHECK(create("static0") == 30000);
  CHECK(create("static-pinned", "30001") == 30001);
  CHECK(create("static2") == 30002);
  REQUIRE(api.Delete(Kind::kService, "default", "d30500").ok());
  REQUIRE(api.Delete(Kind::kService, "default", "b").ok());
  CHECK(create("e") == 30087);  // the lowest freed port of the dynamic part
  CHECK(create("f") == 30500);
  CHECK(create("g") == 30003);  // dynamic part full again: the static part
  REQUIRE(api.Delete(Kind::kService, "default", "static0").ok());
  CHECK(create("h") == 30000);
  CHECK(create("i") == 30004);
}

TEST_CASE("objects are found by name through creates and deletes in any order (the store's hash index)") {
  SimClock clock;
  FakeApiServer api(clock);
  Rng rng(7);
  std::set<std::string> live;
  auto name_of = [](uint64_t i) { return "sa-" + std::to_string(i); };
  // Random creates and deletes over 3,000 names: the index grows, and deletes shift later entries
  // of a probe run back (every remaining name must still be found, every deleted one must not).
  for (int step = 0; step < 12000; ++step) {
    const std::string name = name_of(rng.Uniform(3000));
    if (live.count(name) && rng.Uniform(3) == 0) {
      REQUIRE(api.Delete(Kind::kServiceAccount, "default", name).ok());
      live.erase(name);
    } else if (!live.count(name)) {
      REQUIRE(api.Create(*Parse("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: " + name +
                                ", namespace: default}\n")).ok());
      live.insert(name);
    }
  }
  REQUIRE(live.size() > 1000);
  REQUIRE(live.size() < 3000);
  for (uint64_t i = 0; i < 3000; ++i) {
    const std::string name = name_of(i);
    auto got = api.Get(Kind::kServiceAccount, "default", name);
    CHECK_MESSAGE(got.ok() == (live.count(name) > 0), name);
  }
  CHECK_FALSE(api.Get(Kind::kServiceAccount, "kube-system", "sa-1").ok());  // same name, other namespace
}

TEST_CASE("Deployment validation") {
  SimClock clock;
  FakeApiServer api(clock);
  CHECK(CreateError(api, R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: -1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: other}}
    spec:
      containers: [{name: app, image: nginx}]
)") == "Deployment.apps \"web\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, "
        "spec.template.metadata.labels: Invalid value: {\"app\":\"other\"}: `selector` does not match template "
        "`labels`]");
  CHECK(CreateError(api, R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {}
  template:
    spec:
      containers: []
)") == "Deployment.apps \"web\" is invalid: [spec.selector: Invalid value: {}: empty selector is invalid for "
        "deployment, spec.template.spec.containers: Required value]");
}

TEST_CASE("garbage collection removes dependents whose owners are all gone") {
  SimClock clock;
  FakeApiServer api(clock);
  auto owner = api.Create(*Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owner}\n"));
  auto other = api.Create(*Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n"));
  REQUIRE(owner.ok());
  REQUIRE(other.ok());
  auto make_dep = [&](const std::string& name, std::vector<ObjectPtr> owners) {
    auto cm = std::make_shared<ConfigMap>();
    cm->metadata.name = name;
    cm->metadata.namespace_ = "default";
    for (auto& o : owners) {
      cm->metadata.owner_references.push_back(OwnerReference{"v1", "ConfigMap", o->metadata.name, o->metadata.uid, true, true});
      if (cm->metadata.owner_references.size() > 1) cm->metadata.owner_references.back().controller.reset();
    }
    REQUIRE(api.Create(*cm).ok());
  };
  make_dep("only-owner", {owner.value()});
  make_dep("two-owners", {owner.value(), other.value()});
  REQUIRE(api.Delete(Kind::kConfigMap, "default", "owner").ok());
  CHECK_FALSE(api.Get(Kind::kConfigMap, "default", "only-owner").ok());
  auto two = api.Get(Kind::kConfigMap, "default", "two-owners");
  REQUIRE(two.ok());
  REQUIRE(two.value()->metadata.owner_references.size() == 1);
  CHECK(two.value()->metadata.owner_references[0].name == "other");
}

TEST_CASE("deleting a namespace removes its content, finalizers keep it terminating") {
  SimClock clock;
  FakeApiServer api(clock);
  REQUIRE(api.Create(*Parse("apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n")).ok());
  auto ns = As<Namespace>(api.Get(Kind::kNamespace, "", "team").value());
  CHECK(ns->metadata.labels.at("kubernetes.io/metadata.name") == "team");
  CHECK(ns->spec_finalizers == std::vector<std::string>{"kubernetes"});
  auto ing = Parse("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: team, "
                   "finalizers: [ingress.k8s.aws/resources]}\nspec:\n" + std::string(kSimpleIngressSpec));
  REQUIRE(api.Create(*ing).ok());
  REQUIRE(api.Create(*Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: team}\n")).ok());
  REQUIRE(api.Delete(Kind::kNamespace, "", "team").ok());
  CHECK_FALSE(api.Get(Kind::kConfigMap, "team", "c").ok());
  auto terminating = As<Namespace>(api.Get(Kind::kNamespace, "", "team").value());
  CHECK(terminating->phase == "Terminating");
  CHECK(api.Create(*Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d, namespace: team}\n")).error().message ==
        "configmaps \"d\" is forbidden: unable to create new content in namespace team because it is being terminated");
  auto held = As<Ingress>(api.Get(Kind::kIngress, "team", "web").value());
  auto copy = MutableCopy(held);
  copy->metadata.finalizers.clear();
  REQUIRE(api.Update(*copy).ok());
  CHECK_FALSE(api.Get(Kind::kNamespace, "", "team").ok());
  CHECK(api.Delete(Kind::kNamespace, "", "default").error().message ==
        "namespaces \"default\" is forbidden: this namespace may not be deleted");
}

// An API server at t = 1 s with the Ingress default/web, for event tests.
struct IngressEventsFixture {
  SimClock clock;
  std::unique_ptr<FakeApiServer> server;
  ObjectPtr ingress;
  IngressEventsFixture() {
    clock.AdvanceTo(SimTime(1000));
    server = std::make_unique<FakeApiServer>(clock);
    auto created = server->Create(*Parse(IngressYaml(kSimpleIngressSpec)));
    REQUIRE(created.ok());
    ingress = created.value();
  }
};

TEST_CASE("events are deduplicated, aggregated and named after the object") {
  IngressEventsFixture f;
  SimClock& clock = f.clock;
  FakeApiServer& api = *f.server;
  api.RecordEvent(*f.ingress, "Warning", "FailedDeployModel", "boom", "ingress");
  clock.AdvanceTo(SimTime(3000));
  api.RecordEvent(*f.ingress, "Warning", "FailedDeployModel", "boom", "ingress");
  api.RecordEvent(*f.ingress, "Normal", "SuccessfullyReconciled", "Successfully reconciled", "ingress");
  auto events = api.EventsFor(Kind::kIngress, "default", "web");
  REQUIRE(events.size() == 2);
  auto failed = events[0]->reason == "FailedDeployModel" ? events[0] : events[1];
  CHECK(failed->count == 2);
  CHECK(failed->first_timestamp == "2026-01-01T00:00:01Z");
  CHECK(failed->last_timestamp == "2026-01-01T00:00:03Z");
  CHECK(failed->source_component == "ingress");
  CHECK(failed->involved_object.kind == "Ingress");
  CHECK(failed->involved_object.api_version == "networking.k8s.io/v1");
  CHECK(failed->metadata.name.rfind("web.", 0) == 0);
  CHECK(failed->metadata.name == "web.188672522994ca00");  // hex of 2026-01-01T00:00:01Z in ns

  SUBCASE("ten different messages with the same reason are combined") {
    for (int i = 0; i < 12; ++i) {
      api.RecordEvent(*f.ingress, "Warning", "Flapping", "message " + std::to_string(i), "ingress");
    }
    int combined = 0;
    for (auto& e : api.EventsFor(Kind::kIngress, "default", "web")) {
      if (e->message.rfind("(combined from similar events): ", 0) == 0) {
        ++combined;
        CHECK(e->count == 3);
        CHECK(e->message == "(combined from similar events): message 11");
      }
    }
    CHECK(combined == 1);
  }
  SUBCASE("the spam filter drops events beyond the burst of 25 per object") {
    for (int i = 0; i < 30; ++i) api.RecordEvent(*f.ingress, "Normal", "R" + std::to_string(i), "m", "ingress");
    CHECK(api.EventsFor(Kind::kIngress, "default", "web").size() == 2 + 22);
  }
  SUBCASE("events expire after an hour") {
    clock.AdvanceTo(SimTime(3000 + 3600 * 1000 + 1));
    api.RecordEvent(*f.ingress, "Normal", "Later", "x", "ingress");
    CHECK(api.EventsFor(Kind::kIngress, "default", "web").size() == 1);
  }
}

TEST_CASE("the event correlator forgets the least recently used of its 4096 keys, as client-go's LRU caches do") {
  // One component's correlator: an event for `web` is counted again while its keys are among the
  // 4096 most recently used; after 4096 other objects' events it starts a new Event.
  auto run = [](int others) {
    SimClock clock;
    clock.AdvanceTo(SimTime(1000));
    FakeApiServer api(clock);
    Pod web;
    web.metadata.namespace_ = "default";
    web.metadata.name = "web";
    web.metadata.uid = "uid-web";
    api.RecordEvent(web, "Normal", "Scheduled", "assigned", "default-scheduler");
    api.RecordEvent(web, "Normal", "Scheduled", "assigned", "default-scheduler");
    for (int i = 0; i < others; ++i) {
      Pod p = web;
      p.metadata.name = "p" + std::to_string(i);
      p.metadata.uid = "uid-" + p.metadata.name;
      api.RecordEvent(p, "Normal", "Scheduled", "assigned", "default-scheduler");
    }
    // Another component has its own correlator: it does not push web's keys out.
    for (int i = 0; i < 5000; ++i) {
      Pod p = web;
      p.metadata.name = "q" + std::to_string(i);
      p.metadata.uid = "uid-" + p.metadata.name;
      api.RecordEvent(p, "Normal", "Started", "started", "kubelet");
    }
    api.RecordEvent(web, "Normal", "Scheduled", "assigned", "default-scheduler");
    std::vector<int32_t> counts;
    for (const auto& e : api.EventsFor(Kind::kPod, "default", "web")) counts.push_back(e->count);
    std::sort(counts.begin(), counts.end());
    return counts;
  };
  CHECK(run(4095) == std::vector<int32_t>{3});
  CHECK(run(4096) == std::vector<int32_t>{1, 2});
}

TEST_CASE("events of one object at one instant take consecutive names, reusing a name freed meanwhile") {
  IngressEventsFixture f;
  FakeApiServer& api = *f.server;
  for (int i = 0; i < 3; ++i) api.RecordEvent(*f.ingress, "Normal", "R" + std::to_string(i), "m", "ingress");
  std::vector<std::string> names;
  for (const auto& e : api.EventsFor(Kind::kIngress, "default", "web")) names.push_back(e->metadata.name);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"web.188672522994ca00", "web.188672522994ca01", "web.188672522994ca02"});
  // Another object in between does not disturb the next name of the first.
  auto other = api.Create(*Parse(IngressYaml(kSimpleIngressSpec, "other")));
  REQUIRE(other.ok());
  api.RecordEvent(*other.value(), "Normal", "R", "m", "ingress");
  CHECK(api.EventsFor(Kind::kIngress, "default", "other")[0]->metadata.name == "other.188672522994ca00");
  api.RecordEvent(*f.ingress, "Normal", "R3", "m", "ingress");
  CHECK(api.Get(Kind::kEvent, "default", "web.188672522994ca03").ok());
  // A deleted Event frees its name: the next event at the same instant takes it.
  REQUIRE(api.Delete(Kind::kEvent, "default", "web.188672522994ca01").ok());
  api.RecordEvent(*f.ingress, "Normal", "R4", "m", "ingress");
  auto reused = api.Get(Kind::kEvent, "default", "web.188672522994ca01");
  REQUIRE(reused.ok());
  CHECK(As<Event>(reused.value())->reason == "R4");
  // The next one continues after the highest taken name.
  api.RecordEvent(*f.ingress, "Normal", "R5", "m", "ingress");
  auto next = api.Get(Kind::kEvent, "default", "web.188672522994ca04");
  REQUIRE(next.ok());
  CHECK(As<Event>(next.value())->reason == "R5");
}

TEST_CASE("an event rewritten later expires an hour after its last write only") {
  IngressEventsFixture f;
  SimClock& clock = f.clock;
  FakeApiServer& api = *f.server;
  api.RecordEvent(*f.ingress, "Warning", "Failed", "boom", "ingress");
  clock.AdvanceTo(SimTime(1000 + 1800 * 1000));
  api.RecordEvent(*f.ingress, "Warning", "Failed", "boom", "ingress");  // count 2, written again
  clock.AdvanceTo(SimTime(1000 + 3600 * 1000 + 1));  // first write expired, second not
  api.RecordEvent(*f.ingress, "Normal", "Tick", "t", "ingress");
  auto events = api.EventsFor(Kind::kIngress, "default", "web");
  REQUIRE(events.size() == 2);
  CHECK(events[0]->reason == "Failed");
  CHECK(events[0]->count == 2);
  clock.AdvanceTo(SimTime(1000 + 1800 * 1000 + 3600 * 1000));  // the second write expires now
  api.RecordEvent(*f.ingress, "Normal", "Tick", "t", "ingress");
  events = api.EventsFor(Kind::kIngress, "default", "web");
  REQUIRE(events.size() == 1);
  CHECK(events[0]->reason == "Tick");
  CHECK(events[0]->count == 2);
}

TEST_CASE("an event written twice at one instant expires once, an hour later") {
  IngressEventsFixture f;
  SimClock& clock = f.clock;
  FakeApiServer& api = *f.server;
  api.RecordEvent(*f.ingress, "Warning", "Failed", "boom", "ingress");
  api.RecordEvent(*f.ingress, "Warning", "Failed", "boom", "ingress");  // count 2, same instant
  clock.AdvanceTo(SimTime(1000 + 3600 * 1000 - 1));
  api.RecordEvent(*f.ingress, "Normal", "Tick", "t", "ingress");
  auto events = api.EventsFor(Kind::kIngress, "default", "web");
  REQUIRE(events.size() == 2);
  CHECK(events[0]->count == 2);
  clock.AdvanceTo(SimTime(1000 + 3600 * 1000));
  api.RecordEvent(*f.ingress, "Normal", "Tock", "t", "ingress");
  events = api.EventsFor(Kind::kIngress, "default", "web");
  REQUIRE(events.size() == 2);  // Failed is gone; Tick and Tock remain
  for (const auto& e : events) CHECK(e->reason != "Failed");
}

TEST_CASE("lookups find objects after deletes and re-creates; List keeps namespace then name order") {
  SimClock clock;
  FakeApiServer api(clock);
  for (const char* ns : {"b", "a"}) {
    Namespace n;
    n.metadata.name = ns;
    REQUIRE(api.Create(n).ok());
  }
  for (const char* ns : {"b", "a", "default"}) {
    for (const char* name : {"z", "m", "a"}) {
      ConfigMap cm;
      cm.metadata.namespace_ = ns;
      cm.metadata.name = name;
      REQUIRE(api.Create(cm).ok());
    }
  }
  REQUIRE(api.Delete(Kind::kConfigMap, "a", "m").ok());
  CHECK_FALSE(api.Get(Kind::kConfigMap, "a", "m").ok());
  CHECK(api.Get(Kind::kConfigMap, "b", "m").ok());
  ConfigMap again;
  again.metadata.namespace_ = "a";
  again.metadata.name = "m";
  again.data["k"] = "v";
  REQUIRE(api.Create(again).ok());
  auto got = api.Get(Kind::kConfigMap, "a", "m");
  REQUIRE(got.ok());
  CHECK(As<ConfigMap>(got.value())->data.at("k") == "v");
  std::vector<std::string> keys;
  for (const auto& o : api.List(Kind::kConfigMap)) keys.push_back(o->Key());
  CHECK(keys == std::vector<std::string>{"a/a", "a/m", "a/z", "b/a", "b/m", "b/z", "default/a", "default/m", "default/z"});
  keys.clear();
  for (const auto& o : api.List(Kind::kConfigMap, "b")) keys.push_back(o->Key());
  CHECK(keys == std::vector<std::string>{"b/a", "b/m", "b/z"});
  // Deleting the namespace removes its objects from lookups too.
  REQUIRE(api.Delete(Kind::kNamespace, "", "b").ok());
  CHECK_FALSE(api.Get(Kind::kConfigMap, "b", "a").ok());
  CHECK_FALSE(api.Get(Kind::kNamespace, "", "b").ok());
  CHECK(api.Get(Kind::kConfigMap, "a", "a").ok());
}

TEST_CASE("watches see ADDED, MODIFIED and DELETED in RV order") {
  SimClock clock;
  FakeApiServer api(clock);
  Recorder rec;
  rec.Attach(api, Kind::kConfigMap);
  auto c = api.Create(*Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"));
  REQUIRE(c.ok());
  auto copy = MutableCopy(As<ConfigMap>(c.value()));
  copy->data["a"] = "c";
  REQUIRE(api.Update(*copy).ok());
  REQUIRE(api.Delete(Kind::kConfigMap, "default", "c").ok());
  REQUIRE(rec.events.size() == 3);
  CHECK(rec.events[0].first == WatchEventType::kAdded);
  CHECK(rec.events[1].first == WatchEventType::kModified);
  CHECK(rec.events[2].first == WatchEventType::kDeleted);
}

TEST_CASE("admission hooks can mutate and deny") {
  SimClock clock;
  FakeApiServer api(clock);
  api.AddMutatingHook("mlabel.example.com", Kind::kConfigMap, {AdmissionOperation::kCreate}, [](AdmissionRequest& r) {
    r.object->metadata.labels["injected"] = "yes";
    return OkStatus();
  });
  api.AddValidatingHook("vdeny.example.com", Kind::kConfigMap, {AdmissionOperation::kCreate}, [](AdmissionRequest& r) {
    if (r.object->metadata.name == "bad") return Status(MakeError(ErrorCode::kPermissionDenied, "no bad names"));
    return OkStatus();
  });
  auto ok = api.Create(*Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\n"));
  REQUIRE(ok.ok());
  CHECK(ok.value()->metadata.labels.at("injected") == "yes");
  auto bad = api.Create(*Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\n"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "admission webhook \"vdeny.example.com\" denied the request: no bad names");
  CHECK(KubectlErrorText(bad.error()) ==
        "Error from server (Forbidden): admission webhook \"vdeny.example.com\" denied the request: no bad names");
}

TEST_CASE("kubectl renders Invalid errors from their causes") {
  SimClock clock;
  FakeApiServer api(clock);
  auto r = api.Create(*Parse(IngressYaml("  rules: []\n")));
  REQUIRE_FALSE(r.ok());
  CHECK(KubectlErrorText(r.error()) ==
        "The Ingress \"web\" is invalid: spec: Invalid value: []: either `defaultBackend` or `rules` must be specified");
  auto r2 = api.Create(*Parse("apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec:\n"
                              "  ports: [{port: 0, protocol: HTTP}]\n"));
  REQUIRE_FALSE(r2.ok());
  CHECK(KubectlErrorText(r2.error()) ==
        "The Service \"b\" is invalid: \n* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, "
        "inclusive\n* spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"\n"
        "* spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive");
}

TEST_CASE("Apply creates, then updates keeping server-set fields") {
  SimClock clock;
  FakeApiServer api(clock);
  const std::string manifest = "apiVersion: v1\nkind: Service\nmetadata: {name: web, labels: {a: '1'}}\nspec:\n"
                               "  type: NodePort\n  ports: [{port: 80}]\n";
  auto first = api.Apply(*Parse(manifest));
  REQUIRE(first.ok());
  const std::string rv = first.value()->metadata.resource_version;
  auto same = api.Apply(*Parse(manifest));
  REQUIRE_MESSAGE(same.ok(), same.error().message);
  CHECK(same.value()->metadata.resource_version == rv);  // nothing changed
  auto relabel = api.Apply(*Parse("apiVersion: v1\nkind: Service\nmetadata: {name: web, labels: {b: '2'}}\nspec:\n"
                                  "  type: NodePort\n  ports: [{port: 80}]\n"));
  REQUIRE(relabel.ok());
  auto svc = As<Service>(relabel.value());
  CHECK(svc->metadata.labels == std::map<std::string, std::string>{{"b", "2"}});
  CHECK(svc->cluster_ip == As<Service>(first.value())->cluster_ip);
  CHECK(svc->ports[0].node_port == As<Service>(first.value())->ports[0].node_port);
}

TEST_CASE("generateName draws a 5-character suffix without vowels") {
  SimClock clock;
  FakeApiServer api(clock);
  auto r = api.Create(*Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: web-}\n"));
  REQUIRE(r.ok());
  const std::string& name = r.value()->metadata.name;
  REQUIRE(name.size() == 9);
  CHECK(name.rfind("web-", 0) == 0);
  for (char c : name.substr(4)) CHECK(std::string("bcdfghjklmnpqrstvwxz2456789").find(c) != std::string::npos);
  auto missing = api.Create(*Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: default}\n"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message ==
        "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required");
}

TEST_CASE("pods are deleted gracefully once bound to a node") {
  SimClock clock;
  FakeApiServer api(clock);
  auto pod = api.Create(*Parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                               "  containers: [{name: app, image: nginx}]\n"));
  REQUIRE_MESSAGE(pod.ok(), pod.error().message);
  auto p = As<Pod>(pod.value());
  CHECK(p->spec.service_account_name == "default");
  CHECK(p->spec.termination_grace_period_seconds == std::optional<int64_t>(30));
  CHECK(p->spec.tolerations.size() == 2);
  CHECK(p->metadata.generation == 1);
  REQUIRE(api.BindPod("default", "p", "node-a").ok());
  REQUIRE(api.Delete(Kind::kPod, "default", "p").ok());
  auto deleting = As<Pod>(api.Get(Kind::kPod, "default", "p").value());
  CHECK(*deleting->metadata.deletion_timestamp == "2026-01-01T00:00:30Z");
  CHECK(deleting->metadata.deletion_grace_period_seconds == std::optional<int64_t>(30));
  REQUIRE(api.RemovePodNow("default", "p").ok());
  CHECK_FALSE(api.Get(Kind::kPod, "default", "p").ok());
}


TEST_CASE("an identical status write is a no-op; a changed status is stored and watched") {
  SimClock clock;
  FakeApiServer api(clock);
  Recorder rec;
  rec.Attach(api, Kind::kIngress);
  auto created = api.Create(*Parse(IngressYaml(kSimpleIngressSpec)));
  REQUIRE(created.ok());
  auto ing = As<Ingress>(created.value());
  auto copy = MutableCopy(ing);
  copy->status_ingress.push_back(IngressLoadBalancerIngress{"", "lb-1.elb.amazonaws.com", {}});
  auto first = api.UpdateStatus(*copy);
  REQUIRE(first.ok());
  const size_t after_first = rec.events.size();
  CHECK(first.value()->metadata.resource_version != ing->metadata.resource_version);
  // Same status again (spec edits in the request are ignored by /status): nothing happens.
  copy->rules[0].paths[0].path = "/ignored";
  copy->metadata.resource_version.clear();
  auto again = api.UpdateStatus(*copy);
  REQUIRE(again.ok());
  CHECK(again.value() == first.value());
  CHECK(rec.events.size() == after_first);
  // A different status is a real write.
  copy->status_ingress[0].hostname = "lb-2.elb.amazonaws.com";
  auto second = api.UpdateStatus(*copy);
  REQUIRE(second.ok());
  CHECK(second.value()->metadata.resource_version != first.value()->metadata.resource_version);
  CHECK(rec.events.size() == after_first + 1);
  // And a main-resource write after status-only writes still detects its own no-ops.
  auto same = api.Update(*second.value());
  REQUIRE(same.ok());
  CHECK(same.value() == second.value());
  CHECK(rec.events.size() == after_first + 1);
}

TEST_CASE("pod and deployment status writes: field-by-field no-ops, and the spec check after a status write") {
  SimClock clock;
  FakeApiServer api(clock);
  auto pod_created = api.Create(*Parse(R"(apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  containers: [{name: app, image: nginx}]
)"));
  REQUIRE(pod_created.ok());
  Pod req;
  req.metadata.name = "p";
  req.metadata.namespace_ = "default";
  req.phase = "Running";
  req.pod_ip = "10.0.0.5";
  req.conditions = {{"Ready", "True", "", "", "2026-01-01T00:00:00Z"}};
  auto first = api.UpdateStatus(req);
  REQUIRE(first.ok());
  CHECK(first.value() != pod_created.value());
  auto again = api.UpdateStatus(req);
  REQUIRE(again.ok());
  CHECK(again.value() == first.value());  // identical status: no write
  req.conditions[0].last_transition_time = "2026-01-01T00:00:01Z";
  auto moved = api.UpdateStatus(req);
  REQUIRE(moved.ok());
  CHECK(moved.value() != first.value());
  CHECK(As<Pod>(moved.value())->conditions[0].last_transition_time == "2026-01-01T00:00:01Z");
  req.conditions.push_back({"PodScheduled", "True", "", "", ""});
  auto longer = api.UpdateStatus(req);
  REQUIRE(longer.ok());
  CHECK(longer.value() != moved.value());

  auto dep_created = api.Create(*Parse(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec:
      containers: [{name: app, image: nginx}]
)"));
  REQUIRE(dep_created.ok());
  auto dep = As<Deployment>(dep_created.value());
  auto status = MutableCopy(dep);
  status->status_replicas = 2;
  auto with_status = api.UpdateStatus(*status);
  REQUIRE(with_status.ok());
  CHECK(with_status.value()->metadata.resource_version != dep->metadata.resource_version);
  status->metadata.resource_version.clear();  // the stored RV moved on
  auto status_again = api.UpdateStatus(*status);
  REQUIRE(status_again.ok());
  CHECK(status_again.value() == with_status.value());
  // Same spec after the status write: no-op, generation 1. Changed spec: generation 2.
  auto same = api.Update(*with_status.value());
  REQUIRE(same.ok());
  CHECK(same.value() == with_status.value());
  auto edited = MutableCopy(As<Deployment>(with_status.value()));
  edited->replicas = 3;
  auto r = api.Update(*edited);
  REQUIRE(r.ok());
  CHECK(r.value()->metadata.generation == 2);
  CHECK(As<Deployment>(r.value())->status_replicas == 2);
  auto label_only = MutableCopy(As<Deployment>(r.value()));
  label_only->metadata.labels["x"] = "y";
  auto r2 = api.Update(*label_only);
  REQUIRE(r2.ok());
  CHECK(r2.value()->metadata.generation == 2);
  CHECK(r2.value()->metadata.resource_version != r.value()->metadata.resource_version);
}

TEST_CASE("watchers of a kind run in registration order on the watcher list as the write began") {
  SimClock clock;
  FakeApiServer api(clock);
  std::vector<std::string> calls;
  KubeApi::WatchId second = 0;
  KubeApi::WatchId late = 0;
  api.Watch(Kind::kConfigMap, [&](const WatchEvent& e) {
    calls.push_back("first:" + e.object->metadata.name);
    if (e.object->metadata.name == "a") {
      api.Unwatch(second);  // still called for this write
      late = api.Watch(Kind::kConfigMap, [&](const WatchEvent& ev) { calls.push_back("late:" + ev.object->metadata.name); });
    }
  });
  second = api.Watch(Kind::kConfigMap, [&](const WatchEvent& e) { calls.push_back("second:" + e.object->metadata.name); });
  api.Watch(Kind::kSecret, [&](const WatchEvent& e) { calls.push_back("secret:" + e.object->metadata.name); });
  ConfigMap a;
  a.metadata.name = "a";
  REQUIRE(api.Create(a).ok());
  ConfigMap b;
  b.metadata.name = "b";
  REQUIRE(api.Create(b).ok());
  api.Unwatch(late);
  ConfigMap c;
  c.metadata.name = "c";
  REQUIRE(api.Create(c).ok());
  CHECK(calls == std::vector<std::string>{"first:a", "second:a", "first:b", "late:b", "first:c"});
}

// Annotation keys are checked as qualified names after lower-casing (apimachinery's
// ValidateAnnotations): an upper-case prefix passes, a key that is not a qualified name does not.
TEST_CASE("annotation keys are validated lower-cased") {
  SimClock clock;
  FakeApiServer api(clock);
  auto ns = [](const std::string& name, const std::string& key) {
    return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n  annotations:\n    \"" + key + "\": x\n";
  };
  CHECK(api.Create(*Parse(ns("team-a", "Example.COM/Owner"))).ok());
  CHECK(api.Create(*Parse(ns("team-b", "example.com/owner"))).ok());
  const std::string bad = CreateError(api, ns("team-c", "bad key!"));
  CHECK(bad.find("Namespace \"team-c\" is invalid: metadata.annotations: Invalid value: \"bad key!\": name part must "
                 "consist of alphanumeric characters") != std::string::npos);
  const std::string bad_prefix = CreateError(api, ns("team-d", "Bad_Prefix.com/owner"));
  CHECK(bad_prefix.find("metadata.annotations: Invalid value: \"Bad_Prefix.com/owner\": prefix part") != std::string::npos);
}

}  // TEST_SUITE

}  // namespace
}  // namespace sim::k8s
