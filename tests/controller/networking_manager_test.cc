// Node security-group rules for TargetGroupBindings (upstream pkg/networking/networking_manager.go):
// the endpoint SG of each node gets one rule per source SG, spanning every TGB's port, labelled
// elbv2.k8s.aws/targetGroupBinding=shared; only labelled rules are revoked.

#include "sim/controller/networking_manager.h"

#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sim/k8s/fake_api_server.h"
#include "tests/aws/aws_test_world.h"

namespace sim::controller {
namespace {

namespace ma = model::aws;
namespace mk = model::k8s;

struct World : aws::testing::TestWorld {
  k8s::FakeApiServer api{clock};
  DeployDeps deps{aws.elbv2(), aws.ec2(), api, clock, nullptr};
  NetworkingSecurityGroupManager sg_manager{deps};
  SecurityGroupReconciler reconciler{sg_manager};
  std::string backend_sg;

  World() {
    ma::SecurityGroup sg;
    sg.group_name = "k8s-traffic-demo-0123456789";
    sg.description = "[k8s] Shared Backend SecurityGroup for LoadBalancer";
    sg.vpc_id = "vpc-0test";
    auto id = aws.ec2().AddSecurityGroup(sg);
    REQUIRE(id.ok());
    backend_sg = id.value();
  }

  NetworkingManager Manager(bool disable_restricted = false) {
    return NetworkingManager(deps, sg_manager, reconciler,
                             NetworkingManagerOptions{"vpc-0test", "demo", {}, disable_restricted});
  }

  mk::TargetGroupBinding Tgb(const std::string& name, int32_t port) {
    mk::TargetGroupBinding t;
    t.metadata.namespace_ = "default";
    t.metadata.name = name;
    t.target_group_arn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/" + name + "/0123456789abcdef";
    t.target_type = "instance";
    t.service_name = name;
    t.service_port = mk::IntOrString::Int(80);
    mk::TgbNetworkingIngressRule rule;
    mk::TgbNetworkingPeer peer;
    peer.security_group = mk::TgbSecurityGroup{backend_sg};
    rule.from.push_back(peer);
    rule.ports.push_back(mk::TgbNetworkingPort{"TCP", mk::IntOrString::Int(port)});
    t.networking_ingress.push_back(rule);
    return t;
  }

  std::vector<ma::IpPermission> NodeIngress() {
    aws::DescribeSecurityGroupsRequest req;
    req.group_ids = {node_sg};
    auto r = aws.ec2().DescribeSecurityGroups(aws::ControllerCall(), req);
    REQUIRE(r.ok());
    REQUIRE(r.value().size() == 1);
    return r.value()[0].ip_permissions;
  }

  std::vector<NodePortEndpoint> Nodes(int32_t port) { return {NodePortEndpoint{"i-0node1", port, nullptr}}; }
};

}  // namespace

TEST_SUITE("controller.networking") {

TEST_CASE("two TGBs on one node get one restricted rule from the backend SG spanning both ports") {
  World w;
  NetworkingManager m = w.Manager();
  mk::TargetGroupBinding a = w.Tgb("web", 30080), b = w.Tgb("api", 30090);
  REQUIRE(w.api.Create(a).ok());
  REQUIRE(w.api.Create(b).ok());

  Status s = m.ReconcileForNodePortEndpoints(a, w.Nodes(30080));
  REQUIRE_MESSAGE(s.ok(), s.error().ToString());
  // Only one of two TGBs computed: authorize only, no GC.
  auto perms = w.NodeIngress();
  REQUIRE(perms.size() == 1);
  CHECK(perms[0].ip_protocol == "tcp");
  CHECK(perms[0].from_port == 30080);
  CHECK(perms[0].to_port == 30080);
  REQUIRE(perms[0].user_id_group_pairs.size() == 1);
  CHECK(perms[0].user_id_group_pairs[0].group_id == w.backend_sg);
  CHECK(perms[0].user_id_group_pairs[0].description == "elbv2.k8s.aws/targetGroupBinding=shared");

  s = m.ReconcileForNodePortEndpoints(b, w.Nodes(30090));
  REQUIRE_MESSAGE(s.ok(), s.error().ToString());
  perms = w.NodeIngress();
  REQUIRE(perms.size() == 1);  // 30080-30090 replaced the single-port rule
  CHECK(perms[0].from_port == 30080);
  CHECK(perms[0].to_port == 30090);

  // The first TGB goes away: the rule shrinks to the other's port.
  REQUIRE(w.api.Delete(mk::Kind::kTargetGroupBinding, "default", "web").ok());
  s = m.Cleanup(a);
  REQUIRE_MESSAGE(s.ok(), s.error().ToString());
  perms = w.NodeIngress();
  REQUIRE(perms.size() == 1);
  CHECK(perms[0].from_port == 30090);
  CHECK(perms[0].to_port == 30090);
}

TEST_CASE("rules without the TGB label are never revoked and cleanup removes only the labelled one") {
  World w;
  // A rule the user wrote by hand (no label): kept.
  aws::SecurityGroupIngressRequest manual;
  manual.group_id = w.node_sg;
  ma::IpPermission p;
  p.ip_protocol = "tcp";
  p.from_port = 22;
  p.to_port = 22;
  p.ip_ranges.push_back(ma::IpRange{"10.0.0.0/16", "ssh"});
  manual.ip_permissions.push_back(p);
  REQUIRE(w.aws.ec2().AuthorizeSecurityGroupIngress(aws::ControllerCall(), manual).ok());

  NetworkingManager m = w.Manager();
  mk::TargetGroupBinding a = w.Tgb("web", 30080);
  REQUIRE(w.api.Create(a).ok());
  REQUIRE(m.ReconcileForNodePortEndpoints(a, w.Nodes(30080)).ok());
  CHECK(w.NodeIngress().size() == 2);
  REQUIRE(w.api.Delete(mk::Kind::kTargetGroupBinding, "default", "web").ok());
  REQUIRE(m.Cleanup(a).ok());
  auto perms = w.NodeIngress();
  REQUIRE(perms.size() == 1);
  CHECK(perms[0].from_port == 22);
}

TEST_CASE("a node ENI with two security groups and none tagged for the cluster fails with upstream's text") {
  World w;
  NetworkingManager m = w.Manager();
  ENIInfo eni{"eni-0abc", {w.node_sg, w.backend_sg}};
  auto r = m.ResolveEndpointSGForENI(eni);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "expected exactly one securityGroup tagged with kubernetes.io/cluster/demo for eni "
                             "eni-0abc, got: [] (clusterName: demo)");
  // With the cluster tag on one of them, that one is the endpoint SG.
  aws::CreateTagsRequest tag;
  tag.resources = {w.node_sg};
  tag.tags = {ma::Tag{"kubernetes.io/cluster/demo", "owned"}};
  REQUIRE(w.aws.ec2().CreateTags(aws::ControllerCall(), tag).ok());
  NetworkingManager fresh = w.Manager();  // the SG info cache of `w.sg_manager` may hold the old tags
  auto again = fresh.ResolveEndpointSGForENI(eni);
  if (!again.ok()) {
    // FetchSGInfosByID caches for 10 minutes, as upstream: move past it.
    w.AdvanceSeconds(601);
    again = fresh.ResolveEndpointSGForENI(eni);
  }
  REQUIRE_MESSAGE(again.ok(), again.error().ToString());
  CHECK(again.value() == w.node_sg);
}

// upstream nodeENIInfoResolver: a node's primary ENI is looked up once and cached 10 minutes.
TEST_CASE("node ENIs are described once and cached for ten minutes") {
  World w;
  NetworkingManager m = w.Manager();
  mk::TargetGroupBinding a = w.Tgb("web", 30080), b = w.Tgb("api", 30090);
  REQUIRE(w.api.Create(a).ok());
  REQUIRE(w.api.Create(b).ok());
  auto node = std::make_shared<mk::Node>();
  node->metadata.name = "ip-10-0-64-10.us-west-2.compute.internal";
  node->metadata.uid = "uid-1";
  auto on_node = [&](int32_t port) { return std::vector<NodePortEndpoint>{NodePortEndpoint{"i-0node1", port, node}}; };
  auto describes = [&] { return w.aws.log().Count("DescribeInstances"); };
  REQUIRE(m.ReconcileForNodePortEndpoints(a, on_node(30080)).ok());
  CHECK(describes() == 1);
  REQUIRE(m.ReconcileForNodePortEndpoints(b, on_node(30090)).ok());
  CHECK(describes() == 1);  // cached
  w.AdvanceSeconds(599);
  REQUIRE(m.ReconcileForNodePortEndpoints(a, on_node(30080)).ok());
  CHECK(describes() == 1);
  w.AdvanceSeconds(1);  // 10 minutes after the lookup
  REQUIRE(m.ReconcileForNodePortEndpoints(a, on_node(30080)).ok());
  CHECK(describes() == 2);
  auto replaced = std::make_shared<mk::Node>(*node);
  replaced->metadata.uid = "uid-2";  // same name, new node object: looked up again
  REQUIRE(m.ReconcileForNodePortEndpoints(a, {NodePortEndpoint{"i-0node1", 30080, replaced}}).ok());
  CHECK(describes() == 3);
  CHECK(w.NodeIngress().size() == 1);
}

// A TGB networking rule admitting 10.1.0.0/16 on TCP 30070.
mk::TgbNetworkingIngressRule CidrRule() {
  mk::TgbNetworkingIngressRule cidr;
  cidr.from.push_back(mk::TgbNetworkingPeer{std::string("10.1.0.0/16"), std::nullopt});
  cidr.ports.push_back(mk::TgbNetworkingPort{"TCP", mk::IntOrString::Int(30070)});
  return cidr;
}

// The aggregation the manager keeps per TGB change must equal a from-scratch one (returned).
std::map<std::string, std::vector<IPPermissionInfo>> SameAsScratch(NetworkingManager& m, const char* when) {
  INFO(when);
  auto scratch = m.ComputeAggregatedIngressPermissionsPerSG();
  CHECK(m.Aggregated() == scratch);
  return scratch;
}

TEST_CASE("the merged permissions kept per TGB change equal a from-scratch merge at every step") {
  World w;
  NetworkingManager m = w.Manager();
  mk::TargetGroupBinding a = w.Tgb("web", 30080), b = w.Tgb("api", 30090), c = w.Tgb("zed", 30070);
  // `c` also admits an IP range: kept as its own permission, after the merged group-sourced one.
  const mk::TgbNetworkingIngressRule cidr = CidrRule();
  c.networking_ingress.push_back(cidr);
  for (const auto* t : {&a, &b, &c}) REQUIRE(w.api.Create(*t).ok());
  auto same = [&](const char* when) { return SameAsScratch(m, when); };
  REQUIRE(m.ReconcileForNodePortEndpoints(a, w.Nodes(30080)).ok());
  same("one TGB");
  REQUIRE(m.ReconcileForNodePortEndpoints(b, w.Nodes(30090)).ok());
  REQUIRE(m.ReconcileForNodePortEndpoints(c, w.Nodes(30070)).ok());
  auto all = same("three TGBs");
  REQUIRE(all[w.node_sg].size() == 2);
  CHECK(all[w.node_sg][0].permission.from_port == 30070);
  CHECK(all[w.node_sg][0].permission.to_port == 30090);
  CHECK(all[w.node_sg][1].permission.ip_ranges.size() == 1);
  // The lowest-keyed TGB's port moves up: the range shrinks from below.
  b = w.Tgb("api", 30095);
  REQUIRE(m.ReconcileForNodePortEndpoints(b, w.Nodes(30095)).ok());
  same("a port changed");
  REQUIRE(w.api.Delete(mk::Kind::kTargetGroupBinding, "default", "zed").ok());
  REQUIRE(m.Cleanup(c).ok());
  auto two = same("one TGB deleted");
  REQUIRE(two[w.node_sg].size() == 1);
  CHECK(two[w.node_sg][0].permission.from_port == 30080);
  CHECK(two[w.node_sg][0].permission.to_port == 30095);
  REQUIRE(w.api.Delete(mk::Kind::kTargetGroupBinding, "default", "web").ok());
  REQUIRE(w.api.Delete(mk::Kind::kTargetGroupBinding, "default", "api").ok());
  REQUIRE(m.Cleanup(a).ok());
  REQUIRE(m.Cleanup(b).ok());
  CHECK(same("all deleted").empty());
}

TEST_CASE("with restricted rules disabled, the permissions kept per TGB change equal a from-scratch aggregation") {
  World w;
  NetworkingManager m = w.Manager(/*disable_restricted=*/true);
  mk::TargetGroupBinding a = w.Tgb("web", 30080), b = w.Tgb("api", 30090), c = w.Tgb("zed", 30070);
  // `a` and `c` also admit the same IP range: one permission of that hash (the last TGB's; the
  // two are equal, so which one is not visible). `c` lists it twice: one TGB, two of one hash.
  const mk::TgbNetworkingIngressRule cidr = CidrRule();
  a.networking_ingress.push_back(cidr);
  c.networking_ingress.push_back(cidr);
  c.networking_ingress.push_back(cidr);
  for (const auto* t : {&a, &b, &c}) REQUIRE(w.api.Create(*t).ok());
  auto same = [&](const char* when) { return SameAsScratch(m, when); };
  REQUIRE(m.ReconcileForNodePortEndpoints(a, w.Nodes(30080)).ok());
  const size_t one = same("one TGB")[w.node_sg].size();
  CHECK(one >= 2);
  REQUIRE(m.ReconcileForNodePortEndpoints(b, w.Nodes(30090)).ok());
  REQUIRE(m.ReconcileForNodePortEndpoints(c, w.Nodes(30070)).ok());
  const size_t three = same("three TGBs")[w.node_sg].size();
  CHECK(three > one);
  b = w.Tgb("api", 30095);
  REQUIRE(m.ReconcileForNodePortEndpoints(b, w.Nodes(30095)).ok());
  same("a port changed");
  REQUIRE(w.api.Delete(mk::Kind::kTargetGroupBinding, "default", "zed").ok());
  REQUIRE(m.Cleanup(c).ok());
  same("the last TGB with the shared permission deleted");
  for (const char* name : {"web", "api"}) REQUIRE(w.api.Delete(mk::Kind::kTargetGroupBinding, "default", name).ok());
  REQUIRE(m.Cleanup(a).ok());
  REQUIRE(m.Cleanup(b).ok());
  CHECK(same("all deleted").empty());
}

TEST_CASE("with restricted rules disabled each distinct permission is kept") {
  World w;
  NetworkingManager m = w.Manager(/*disable_restricted=*/true);
  mk::TargetGroupBinding a = w.Tgb("web", 30080), b = w.Tgb("api", 30090);
  REQUIRE(w.api.Create(a).ok());
  REQUIRE(w.api.Create(b).ok());
  REQUIRE(m.ReconcileForNodePortEndpoints(a, w.Nodes(30080)).ok());
  REQUIRE(m.ReconcileForNodePortEndpoints(b, w.Nodes(30090)).ok());
  auto agg = m.ComputeAggregatedIngressPermissionsPerSG();
  REQUIRE(agg.count(w.node_sg));
  CHECK(agg[w.node_sg].size() == 2);
}
}

TEST_SUITE("controller.networking security group info") {

// upstream buildIPPermissionLabelsForDescription: every `key=value` followed by ',' or the end,
// found left to right; words hold no whitespace, ',' or '='.
TEST_CASE("a rule description yields its key=value labels as upstream's pattern finds them") {
  auto labels_of = [](const std::string& description) {
    ma::SecurityGroup sg;
    sg.group_id = "sg-0123";
    ma::IpPermission p;
    p.ip_protocol = "tcp";
    p.from_port = 80;
    p.to_port = 80;
    p.ip_ranges = {ma::IpRange{"10.0.0.0/16", description}};
    sg.ip_permissions = {p};
    SecurityGroupInfo info = NewRawSecurityGroupInfo(sg);
    REQUIRE(info.ingress.size() == 1);
    auto labels = info.ingress[0].labels;
    CHECK(labels.at("raw/description") == description);
    labels.erase("raw/description");
    return labels;
  };
  using L = std::map<std::string, std::string>;
  CHECK(labels_of("elbv2.k8s.aws/targetGroupBinding=shared") == L{{"elbv2.k8s.aws/targetGroupBinding", "shared"}});
  CHECK(labels_of("a=1,b=2") == L{{"a", "1"}, {"b", "2"}});
  CHECK(labels_of("x a=b") == L{{"a", "b"}});          // starts anywhere: no word boundary needed
  CHECK(labels_of("a=b=c") == L{{"b", "c"}});          // "a=b" is followed by '=', so the match starts later
  CHECK(labels_of("a=b c=d") == L{{"c", "d"}});        // "a=b" is followed by a space: not a label
  CHECK(labels_of("=a=b,") == L{{"a", "b"}});
  CHECK(labels_of("a=,b=2") == L{{"b", "2"}});         // empty value: no label
  CHECK(labels_of("managed by k8s") == L{});
  CHECK(labels_of("") == L{});
}

}  // TEST_SUITE

}  // namespace sim::controller
