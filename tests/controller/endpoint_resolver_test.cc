// Pieces of upstream pkg/backend/endpoint_resolver.go and endpoint_types.go.
#include "sim/controller/endpoint_resolver.h"

#include <doctest/doctest.h>

#include "sim/base/clock.h"
#include "sim/k8s/fake_api_server.h"

namespace sim::controller {
namespace {

TEST_SUITE("controller.endpoint_resolver") {

// The creation timestamp in a target's checkpoint identifier is Unix milliseconds (Go's
// Time.UnixMilli of the RFC 3339 text the API server stores).
TEST_CASE("RFC 3339 timestamps convert to Unix milliseconds across leap years and centuries") {
  CHECK(UnixMillis("1970-01-01T00:00:00Z") == 0);
  CHECK(UnixMillis("2026-01-01T00:00:05Z") == 1767225605000);
  CHECK(UnixMillis("2024-02-29T12:34:56Z") == 1709210096000);
  CHECK(UnixMillis("2000-03-01T00:00:00Z") == 951868800000);
  CHECK(UnixMillis("1999-12-31T23:59:59Z") == 946684799000);
  CHECK(UnixMillis("2100-03-01T00:00:00Z") == 4107542400000);
  // Not the API server's fixed-width form: read field by field all the same.
  CHECK(UnixMillis("2026-1-1T0:0:5Z") == 1767225605000);
  CHECK(UnixMillis("") == 0);
  CHECK(UnixMillis("yesterday") == 0);
}

TEST_CASE("a node port endpoint's identifier carries the node's creation time when asked") {
  auto node = std::make_shared<model::k8s::Node>();
  node->metadata.creation_timestamp = "2026-01-01T00:00:05Z";
  NodePortEndpoint e{"i-0abc", 30080, node};
  CHECK(e.GetIdentifier(false) == "i-0abc:30080");
  CHECK(e.GetIdentifier(true) == "i-0abc:30080:1767225605000");
}

// The resolver keeps what it derives from each node while the API server hands out the same
// object; a changed or removed node must be seen on the next resolve.
TEST_CASE("instance endpoints follow node changes between resolves") {
  namespace mk = model::k8s;
  SimClock clock;
  k8s::FakeApiServer api{clock};
  mk::Service svc;
  svc.metadata.namespace_ = "default";
  svc.metadata.name = "web";
  svc.type = "NodePort";
  svc.selector = {{"app", "web"}};
  svc.ports.push_back(mk::ServicePort{"", "TCP", std::nullopt, 80, mk::IntOrString::Int(8080), 30080});
  REQUIRE(api.Create(svc).ok());
  for (const char* n : {"a", "b"}) {
    mk::Node node;
    node.metadata.name = std::string("node-") + n;
    node.provider_id = std::string("aws:///us-west-2a/i-0") + n;
    node.conditions = {{"Ready", "True", "KubeletReady", "kubelet is posting ready status"}};
    REQUIRE(api.Create(node).ok());
  }
  EndpointResolver resolver(api, /*endpoint_slices_enabled=*/true, /*fail_open_enabled=*/true);
  auto ids = [&] {
    auto r = resolver.ResolveNodePortEndpoints("default", "web", mk::IntOrString::Int(80), std::nullopt);
    REQUIRE(r.ok());
    std::vector<std::string> out;
    for (const auto& e : r.value()) out.push_back(e.GetIdentifier(false));
    return out;
  };
  // With the node's creation time: the resolver writes it out once per node object; the text
  // must be what the endpoint would write from the node itself.
  auto stamped = [&] {
    auto r = resolver.ResolveNodePortEndpoints("default", "web", mk::IntOrString::Int(80), std::nullopt);
    REQUIRE(r.ok());
    std::vector<std::string> out;
    for (const auto& e : r.value()) {
      REQUIRE(e.node != nullptr);
      NodePortEndpoint from_node{e.instance_id, e.port, e.node};
      CHECK(e.GetIdentifier(true) == from_node.GetIdentifier(true));
      out.push_back(e.GetIdentifier(true));
    }
    return out;
  };
  const std::string created = std::to_string(UnixMillis(FormatRfc3339(clock.Now())));
  CHECK(ids() == std::vector<std::string>{"i-0a:30080", "i-0b:30080"});
  CHECK(ids() == std::vector<std::string>{"i-0a:30080", "i-0b:30080"});  // from the kept facts
  CHECK(stamped() == std::vector<std::string>{"i-0a:30080:" + created, "i-0b:30080:" + created});
  // node-b leaves the load balancer by label, then node-a goes NotReady.
  auto b = api.Get(mk::Kind::kNode, "", "node-b");
  REQUIRE(b.ok());
  mk::Node nb = *mk::As<mk::Node>(b.value());
  nb.metadata.labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "true";
  REQUIRE(api.Update(nb).ok());
  CHECK(ids() == std::vector<std::string>{"i-0a:30080"});
  auto a = api.Get(mk::Kind::kNode, "", "node-a");
  REQUIRE(a.ok());
  mk::Node na = *mk::As<mk::Node>(a.value());
  na.conditions[0].status = "False";
  REQUIRE(api.UpdateStatus(na).ok());
  CHECK(ids().empty());
  // Deleted and created again under the same name with a new instance, 90 s later: the new ID
  // and the new creation time.
  REQUIRE(api.Delete(mk::Kind::kNode, "", "node-a").ok());
  clock.AdvanceTo(clock.Now() + std::chrono::seconds(90));
  mk::Node again;
  again.metadata.name = "node-a";
  again.provider_id = "aws:///us-west-2a/i-0c";
  again.conditions = {{"Ready", "True", "KubeletReady", "kubelet is posting ready status"}};
  REQUIRE(api.Create(again).ok());
  CHECK(ids() == std::vector<std::string>{"i-0c:30080"});
  CHECK(stamped() == std::vector<std::string>{"i-0c:30080:" + std::to_string(std::stoll(created) + 90'000)});
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::controller
