// Names and hashes of the Ingress model against the worked examples of naming-and-tags.md.
#include <doctest/doctest.h>

#include "sim/controller/model_builder.h"

namespace sim::controller {
namespace {

namespace mk = model::k8s;

ModelBuildTask TaskFor(const std::string& cluster, const GroupID& id) {
  ModelBuildTask task(model::stack::StackID{id.namespace_, id.name});
  task.cluster_name = cluster;
  task.ing_group.id = id;
  return task;
}

mk::Service Svc(const std::string& ns, const std::string& name, const std::string& uid = "") {
  mk::Service svc;
  svc.metadata.namespace_ = ns;
  svc.metadata.name = name;
  svc.metadata.uid = uid;
  return svc;
}

TEST_SUITE("controller.naming") {
TEST_CASE("load balancer names hash cluster, group and scheme") {
  CHECK(TaskFor("cluster-dummy", GroupID::Implicit("ns-1", "ing-1")).BuildLoadBalancerName("internal").value() ==
        "k8s-ns1-ing1-b7e914000d");
  CHECK(TaskFor("cluster-dummy", GroupID::Implicit("ns-1", "ing-1")).BuildLoadBalancerName("internet-facing").value() ==
        "k8s-ns1-ing1-159dd7a143");
  CHECK(TaskFor("", GroupID::Implicit("awesome-ns", "ing-1")).BuildLoadBalancerName("internet-facing").value() ==
        "k8s-awesomen-ing1-43b698093c");
  CHECK(TaskFor("", GroupID::Explicit("explicit-group")).BuildLoadBalancerName("internal").value() ==
        "k8s-explicitgroup-5bf9e53c23");
}

TEST_CASE("an explicit load-balancer-name wins, is length-checked and must agree across members") {
  auto task = TaskFor("c", GroupID::Explicit("g"));
  auto ing = std::make_shared<mk::Ingress>();
  ing->metadata.namespace_ = "ns";
  ing->metadata.name = "a";
  ing->metadata.annotations["alb.ingress.kubernetes.io/load-balancer-name"] = "my-lb";
  task.annotation_parser = AnnotationParser("alb.ingress.kubernetes.io");
  task.ing_group.members.push_back(ClassifiedIngress{ing, {}});
  CHECK(task.BuildLoadBalancerName("internal").value() == "my-lb");

  SUBCASE("longer than 32 characters") {
    auto long_ing = std::make_shared<mk::Ingress>(*ing);
    long_ing->metadata.annotations["alb.ingress.kubernetes.io/load-balancer-name"] = std::string(33, 'x');
    task.ing_group.members = {ClassifiedIngress{long_ing, {}}};
    auto r = task.BuildLoadBalancerName("internal");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "load balancer name cannot be longer than 32 characters");
  }
  SUBCASE("two members disagree") {
    auto other = std::make_shared<mk::Ingress>(*ing);
    other->metadata.annotations["alb.ingress.kubernetes.io/load-balancer-name"] = "abc";
    task.ing_group.members.push_back(ClassifiedIngress{other, {}});
    auto r = task.BuildLoadBalancerName("internal");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "conflicting load balancer name: map[abc:{} my-lb:{}]");
  }
}

TEST_CASE("managed security group names ignore the scheme") {
  CHECK(TaskFor("cluster-dummy", GroupID::Implicit("ns-1", "ing-1")).BuildManagedSecurityGroupName() ==
        "k8s-ns1-ing1-bd83176788");
}

TEST_CASE("target group names hash the port as written, the service UID and the target settings") {
  auto task = TaskFor("cluster-dummy", GroupID::Implicit("ns-1", "ing-1"));
  CHECK(task.BuildTargetGroupName("ns-1", "ing-1", Svc("ns-1", "svc-1"), mk::IntOrString::Str("http"), 32768,
                                  "instance", "HTTP", "HTTP1", std::nullopt) == "k8s-ns1-svc1-9889425938");
  CHECK(task.BuildTargetGroupName("ns-1", "ing-1", Svc("ns-1", "svc-3"), mk::IntOrString::Str("https"), 8443, "ip",
                                  "HTTPS", "HTTP1", std::nullopt) == "k8s-ns1-svc3-bf42870fba");
  auto zero = TaskFor("", GroupID{});
  const mk::Service svc = Svc("ns-1", "name-1", "my-uuid");
  CHECK(zero.BuildTargetGroupName("ns-1", "name-1", svc, mk::IntOrString::Str("http"), 8080, "ip", "HTTP", "HTTP1",
                                  std::nullopt) == "k8s-ns1-name1-2c37289a00");
  CHECK(zero.BuildTargetGroupName("ns-1", "name-1", svc, mk::IntOrString::Int(80), 8080, "ip", "HTTP", "HTTP1",
                                  std::nullopt) == "k8s-ns1-name1-ab859e54b5");
  // The target control port, when set, changes the hash.
  CHECK(zero.BuildTargetGroupName("ns-1", "name-1", svc, mk::IntOrString::Int(80), 8080, "ip", "HTTP", "HTTP1", 3000) !=
        "k8s-ns1-name1-ab859e54b5");
}

TEST_CASE("group finalizers name the group") {
  CHECK(BuildGroupFinalizer(GroupID::Explicit("awesome-group")) == "group.ingress.k8s.aws/awesome-group");
  CHECK(BuildGroupFinalizer(GroupID::Implicit("ns", "ing")) == "ingress.k8s.aws/resources");
  CHECK(GroupID::Explicit("g").String() == "g");
  CHECK(GroupID::Implicit("ns", "ing").String() == "ns/ing");
}
}

}  // namespace
}  // namespace sim::controller
