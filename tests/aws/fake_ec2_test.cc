#include "sim/aws/fake_ec2.h"

#include <regex>
#include <string>

#include <doctest/doctest.h>

#include "tests/aws/aws_test_world.h"

namespace sim::aws {
namespace {

using testing::TestWorld;
namespace m = ::sim::model::aws;

m::IpPermission Tcp(int port, const std::string& cidr) {
  m::IpPermission p;
  p.ip_protocol = "tcp";
  p.from_port = port;
  p.to_port = port;
  p.ip_ranges = {m::IpRange{cidr, ""}};
  return p;
}

std::string MakeSg(TestWorld& w, const std::string& name) {
  CreateSecurityGroupRequest req;
  req.group_name = name;
  req.description = "[k8s] Managed SecurityGroup for LoadBalancer";
  req.vpc_id = "vpc-0test";
  req.tag_specifications = {TagSpecification{"security-group", {{"elbv2.k8s.aws/cluster", "demo"}}}};
  auto r = w.ec2().CreateSecurityGroup(ControllerCall(), req);
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  return r->group_id;
}

TEST_SUITE("aws.ec2") {

TEST_CASE("an unknown filter name is InvalidParameterValue in every Describe call, whatever the resources") {
  TestWorld w;
  // The first filter matches nothing, so no resource ever reaches the unknown one.
  const std::vector<m::Filter> filters = {m::Filter{"vpc-id", {"vpc-none"}}, m::Filter{"colour", {"blue"}}};
  auto check = [&](auto req, auto describe) {
    req.filters = filters;
    auto r = (w.ec2().*describe)(ControllerCall(), req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "InvalidParameterValue");
    CHECK(r.error().message == "The filter 'colour' is invalid");
  };
  check(DescribeSubnetsRequest{}, &FakeEc2::DescribeSubnets);
  check(DescribeVpcsRequest{}, &FakeEc2::DescribeVpcs);
  check(DescribeRouteTablesRequest{}, &FakeEc2::DescribeRouteTables);
  check(DescribeSecurityGroupsRequest{}, &FakeEc2::DescribeSecurityGroups);
  check(DescribeInstancesRequest{}, &FakeEc2::DescribeInstances);
  check(DescribeNetworkInterfacesRequest{}, &FakeEc2::DescribeNetworkInterfaces);
}

TEST_CASE("DescribeSecurityGroups by exact tag filters answers as the full scan, across tag writes and deletes") {
  TestWorld w;
  std::vector<std::string> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(MakeSg(w, "test-group-" + std::to_string(i)));
  auto tag = [&](const std::string& id, const std::string& k, const std::string& v) {
    CreateTagsRequest req;
    req.resources = {id};
    req.tags = {m::Tag{k, v}};
    REQUIRE(w.ec2().CreateTags(ControllerCall(), req).ok());
  };
  for (int i = 0; i < 8; ++i) tag(ids[i], "ingress.k8s.aws/stack", "s" + std::to_string(i % 3));
  // The same filters answered through the tag index (one exact value) and by the full scan (the
  // value given twice is not indexed): same groups, same order.
  auto same = [&](const std::string& stack, int step) {
    CAPTURE(step);
    CAPTURE(stack);
    auto with = [&](std::vector<std::string> values) {
      DescribeSecurityGroupsRequest req;
      req.filters = {m::Filter{"vpc-id", {"vpc-0test"}}, m::Filter{"tag:elbv2.k8s.aws/cluster", {"demo"}},
                     m::Filter{"tag:ingress.k8s.aws/stack", std::move(values)}};
      auto r = w.ec2().DescribeSecurityGroups(ControllerCall(), req);
      REQUIRE(r.ok());
      std::vector<std::string> out;
      for (const auto& g : r.value()) out.push_back(g.group_id);
      return out;
    };
    const auto indexed = with({stack});
    CHECK(indexed == with({stack, stack}));
    return indexed.size();
  };
  CHECK(same("s0", 0) == 3);
  CHECK(same("s2", 0) == 2);
  tag(ids[0], "ingress.k8s.aws/stack", "s2");  // moves from s0 to s2
  CHECK(same("s0", 1) == 2);
  CHECK(same("s2", 1) == 3);
  DeleteTagsRequest del;
  del.resources = {ids[1], ids[2]};
  del.tags = {DeleteTagSpec{"ingress.k8s.aws/stack", std::nullopt}};
  REQUIRE(w.ec2().DeleteTags(ControllerCall(), del).ok());
  CHECK(same("s1", 2) == 2);
  CHECK(same("s2", 2) == 2);
  del.resources = {ids[3]};
  del.tags = {};  // every tag
  REQUIRE(w.ec2().DeleteTags(ControllerCall(), del).ok());
  CHECK(same("s0", 3) == 1);
  REQUIRE(w.ec2().DeleteSecurityGroup(ControllerCall(), ids[6]).ok());
  CHECK(same("s0", 4) == 0);
  CHECK(same("none", 4) == 0);
  // An unknown filter name is still InvalidParameterValue, with or without an indexed filter.
  DescribeSecurityGroupsRequest bad;
  bad.filters = {m::Filter{"tag:ingress.k8s.aws/stack", {"none"}}, m::Filter{"colour", {"blue"}}};
  auto r = w.ec2().DescribeSecurityGroups(ControllerCall(), bad);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().aws_code == "InvalidParameterValue");
}

TEST_CASE("CreateSecurityGroup: sg- id with 17 hex, default egress, case-insensitive duplicate names") {
  TestWorld w;
  std::string id = MakeSg(w, "k8s-ns1-ing1-bd83176788");
  CHECK(std::regex_match(id, std::regex("sg-[0-9a-f]{17}")));
  auto d = w.ec2().DescribeSecurityGroups(ControllerCall(), {{id}, {}, {}});
  REQUIRE(d.ok());
  const m::SecurityGroup& sg = d->at(0);
  CHECK(sg.ip_permissions.empty());
  REQUIRE(sg.ip_permissions_egress.size() == 1);
  CHECK(sg.ip_permissions_egress[0].ip_protocol == "-1");
  CHECK(sg.ip_permissions_egress[0].ip_ranges.at(0).cidr_ip == "0.0.0.0/0");
  CHECK(sg.tags == std::vector<m::Tag>{{"elbv2.k8s.aws/cluster", "demo"}});
  CHECK(sg.security_group_arn == "arn:aws:ec2:us-west-2:123456789012:security-group/" + id);

  CreateSecurityGroupRequest dup;
  dup.group_name = "K8S-NS1-ING1-BD83176788";
  dup.description = "x";
  dup.vpc_id = "vpc-0test";
  auto clash = w.ec2().CreateSecurityGroup(ControllerCall(), dup);
  REQUIRE_FALSE(clash.ok());
  CHECK(clash.error().aws_code == "InvalidGroup.Duplicate");
  CHECK(clash.error().message == "The security group 'K8S-NS1-ING1-BD83176788' already exists for VPC 'vpc-0test'");
  dup.group_name = "sg-nope";
  CHECK(w.ec2().CreateSecurityGroup(ControllerCall(), dup).error().aws_code == "InvalidParameterValue");
  dup.group_name = "EKS-Node";  // the world's node group (added at set-up), in other case
  CHECK(w.ec2().CreateSecurityGroup(ControllerCall(), dup).error().aws_code == "InvalidGroup.Duplicate");
  // Once deleted, the name is free again.
  REQUIRE(w.ec2().DeleteSecurityGroup(ControllerCall(), id).ok());
  dup.group_name = "k8s-ns1-ing1-bd83176788";
  auto again = w.ec2().CreateSecurityGroup(ControllerCall(), dup);
  REQUIRE(again.ok());
  CHECK(w.ec2().CreateSecurityGroup(ControllerCall(), dup).error().aws_code == "InvalidGroup.Duplicate");
}

TEST_CASE("AuthorizeSecurityGroupIngress is atomic and reports duplicates in AWS words") {
  TestWorld w;
  std::string id = MakeSg(w, "lb-sg");
  SecurityGroupIngressRequest req{id, {Tcp(80, "0.0.0.0/0")}};
  REQUIRE(w.ec2().AuthorizeSecurityGroupIngress(ControllerCall(), req).ok());
  // Second call: 443 is new, 80 is a duplicate → nothing applied.
  req.ip_permissions = {Tcp(443, "0.0.0.0/0"), Tcp(80, "0.0.0.0/0")};
  auto dup = w.ec2().AuthorizeSecurityGroupIngress(ControllerCall(), req);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().aws_code == "InvalidPermission.Duplicate");
  CHECK(dup.error().message ==
        "the specified rule \"peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW\" already exists");
  CHECK(w.ec2().SecurityGroupForSim(id)->ip_permissions.size() == 1);
  // Non-canonical CIDR of an existing rule is a duplicate too.
  req.ip_permissions = {Tcp(80, "0.0.0.18/0")};
  CHECK(w.ec2().AuthorizeSecurityGroupIngress(ControllerCall(), req).error().aws_code == "InvalidPermission.Duplicate");
  // Canonicalised on store.
  req.ip_permissions = {Tcp(8080, "100.68.0.18/18")};
  REQUIRE(w.ec2().AuthorizeSecurityGroupIngress(ControllerCall(), req).ok());
  bool found = false;
  const m::SecurityGroup stored = *w.ec2().SecurityGroupForSim(id);
  for (const auto& p : stored.ip_permissions) {
    if (p.from_port == 8080) found = p.ip_ranges.at(0).cidr_ip == "100.68.0.0/18";
  }
  CHECK(found);
}

TEST_CASE("RevokeSecurityGroupIngress of a missing rule fails with InvalidPermission.NotFound") {
  TestWorld w;
  std::string id = MakeSg(w, "lb-sg");
  SecurityGroupIngressRequest req{id, {Tcp(80, "0.0.0.0/0")}};
  auto missing = w.ec2().RevokeSecurityGroupIngress(ControllerCall(), req);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().aws_code == "InvalidPermission.NotFound");
  REQUIRE(w.ec2().AuthorizeSecurityGroupIngress(ControllerCall(), req).ok());
  REQUIRE(w.ec2().RevokeSecurityGroupIngress(ControllerCall(), req).ok());
  CHECK(w.ec2().SecurityGroupForSim(id)->ip_permissions.empty());
}

TEST_CASE("RulesPerSecurityGroupLimitExceeded past the rules quota") {
  FakeAwsOptions opts;
  REQUIRE(SetQuota(&opts.quotas, "rules-per-security-group", 3).ok());
  TestWorld w(opts);
  std::string id = MakeSg(w, "lb-sg");
  SecurityGroupIngressRequest req{id, {Tcp(1, "10.0.0.0/8"), Tcp(2, "10.0.0.0/8"), Tcp(3, "10.0.0.0/8")}};
  REQUIRE(w.ec2().AuthorizeSecurityGroupIngress(ControllerCall(), req).ok());
  req.ip_permissions = {Tcp(4, "10.0.0.0/8")};
  auto over = w.ec2().AuthorizeSecurityGroupIngress(ControllerCall(), req);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().aws_code == "RulesPerSecurityGroupLimitExceeded");
  CHECK(over.error().message == "The maximum number of rules per security group has been reached.");
}

TEST_CASE("DeleteSecurityGroup: not found, attached to a load balancer, referenced by another group") {
  TestWorld w;
  CHECK(w.ec2().DeleteSecurityGroup(ControllerCall(), "sg-00000000000000000").error().aws_code ==
        "InvalidGroup.NotFound");
  std::string lb_sg = MakeSg(w, "lb-sg");
  CreateLoadBalancerRequest lb_req;
  lb_req.name = "web";
  lb_req.subnets = {"subnet-pub-a", "subnet-pub-b"};
  lb_req.security_groups = {lb_sg};
  auto lb = w.elbv2().CreateLoadBalancer(ControllerCall(), lb_req);
  REQUIRE(lb.ok());
  auto attached = w.ec2().DeleteSecurityGroup(ControllerCall(), lb_sg);
  REQUIRE_FALSE(attached.ok());
  CHECK(attached.error().aws_code == "DependencyViolation");
  CHECK(attached.error().message == "resource " + lb_sg + " has a dependent object");
  REQUIRE(w.elbv2().DeleteLoadBalancer(ControllerCall(), lb->load_balancer_arn).ok());

  // Referenced from the node SG's rules (backend SG pattern).
  m::IpPermission from_lb;
  from_lb.ip_protocol = "tcp";
  from_lb.from_port = 30000;
  from_lb.to_port = 32767;
  from_lb.user_id_group_pairs = {m::UserIdGroupPair{lb_sg, "", "elbv2.k8s.aws/targetGroupBinding=shared"}};
  REQUIRE(w.ec2().AuthorizeSecurityGroupIngress(ControllerCall(), {w.node_sg, {from_lb}}).ok());
  CHECK(w.ec2().DeleteSecurityGroup(ControllerCall(), lb_sg).error().aws_code == "DependencyViolation");
  REQUIRE(w.ec2().RevokeSecurityGroupIngress(ControllerCall(), {w.node_sg, {from_lb}}).ok());
  CHECK(w.ec2().DeleteSecurityGroup(ControllerCall(), lb_sg).ok());
  CHECK(w.ec2().DeleteSecurityGroup(ControllerCall(), lb_sg).error().aws_code == "InvalidGroup.NotFound");
  // The node SG is attached to an instance.
  CHECK(w.ec2().DeleteSecurityGroup(ControllerCall(), w.node_sg).error().aws_code == "DependencyViolation");
  // A source group must exist.
  from_lb.user_id_group_pairs[0].group_id = "sg-0000000000000dead";
  CHECK(w.ec2().AuthorizeSecurityGroupIngress(ControllerCall(), {w.node_sg, {from_lb}}).error().aws_code ==
        "InvalidGroup.NotFound");
}

TEST_CASE("DescribeSubnets filters by VPC and tags; route tables tell public from private") {
  TestWorld w;
  DescribeSubnetsRequest req;
  req.filters = {{"vpc-id", {"vpc-0test"}}, {"tag:kubernetes.io/role/elb", {"", "1"}}};
  auto pub = w.ec2().DescribeSubnets(ControllerCall(), req);
  REQUIRE(pub.ok());
  REQUIRE(pub->size() == 3);
  CHECK(pub->at(0).subnet_id == "subnet-pub-a");
  CHECK(pub->at(0).availability_zone_id == "usw2-az1");
  CHECK(pub->at(0).available_ip_address_count == 4091);
  req.filters = {{"tag-key", {"kubernetes.io/role/internal-elb"}}};
  CHECK(w.ec2().DescribeSubnets(ControllerCall(), req)->size() == 3);
  req.filters = {{"no-such-filter", {"x"}}};
  CHECK(w.ec2().DescribeSubnets(ControllerCall(), req).error().aws_code == "InvalidParameterValue");
  CHECK(w.ec2().DescribeSubnets(ControllerCall(), {{"subnet-nope"}, {}}).error().aws_code == "InvalidSubnetID.NotFound");
  CHECK(w.ec2().SubnetIsPublicForSim("subnet-pub-b"));
  CHECK_FALSE(w.ec2().SubnetIsPublicForSim("subnet-priv-b"));
  DescribeRouteTablesRequest rt;
  rt.filters = {{"vpc-id", {"vpc-0test"}}};
  auto tables = w.ec2().DescribeRouteTables(ControllerCall(), rt);
  REQUIRE(tables.ok());
  CHECK(tables->size() == 2);  // main (local only) + public (igw)
}

TEST_CASE("DescribeSecurityGroups filters by tag and name; CreateTags and DeleteTags edit tags") {
  TestWorld w;
  std::string id = MakeSg(w, "k8s-traffic-demo-1234567890");
  DescribeSecurityGroupsRequest req;
  req.filters = {{"vpc-id", {"vpc-0test"}}, {"tag:elbv2.k8s.aws/cluster", {"demo"}}};
  auto found = w.ec2().DescribeSecurityGroups(ControllerCall(), req);
  REQUIRE(found->size() == 1);
  CHECK(found->at(0).group_id == id);
  REQUIRE(w.ec2().CreateTags(ControllerCall(), {{id}, {{"elbv2.k8s.aws/resource", "backend-sg"}}}).ok());
  req.filters.push_back({"tag:elbv2.k8s.aws/resource", {"backend-sg"}});
  CHECK(w.ec2().DescribeSecurityGroups(ControllerCall(), req)->size() == 1);
  REQUIRE(w.ec2().DeleteTags(ControllerCall(), {{id}, {{"elbv2.k8s.aws/resource", std::string("other")}}}).ok());
  CHECK(w.ec2().DescribeSecurityGroups(ControllerCall(), req)->size() == 1);  // value differs: kept
  REQUIRE(w.ec2().DeleteTags(ControllerCall(), {{id}, {{"elbv2.k8s.aws/resource", std::nullopt}}}).ok());
  CHECK(w.ec2().DescribeSecurityGroups(ControllerCall(), req)->empty());
  DescribeSecurityGroupsRequest by_name;
  by_name.filters = {{"group-name", {"k8s-traffic-*"}}};
  CHECK(w.ec2().DescribeSecurityGroups(ControllerCall(), by_name)->size() == 1);
  CHECK(w.ec2().DescribeSecurityGroups(ControllerCall(), {{"sg-00000000000000000"}, {}, {}}).error().aws_code ==
        "InvalidGroup.NotFound");
  CHECK(w.ec2().CreateTags(ControllerCall(), {{"sg-00000000000000000"}, {{"a", "b"}}}).error().aws_code ==
        "InvalidGroup.NotFound");
}

TEST_CASE("DescribeInstances and DescribeNetworkInterfaces find a node and its security groups") {
  TestWorld w;
  auto inst = w.ec2().DescribeInstances(ControllerCall(), {{"i-0node1"}, {}});
  REQUIRE(inst.ok());
  CHECK(inst->at(0).vpc_id == "vpc-0test");
  CHECK(inst->at(0).availability_zone == "us-west-2a");
  CHECK(inst->at(0).security_groups.at(0).group_name == "eks-node");
  DescribeNetworkInterfacesRequest req;
  req.filters = {{"addresses.private-ip-address", {"10.0.64.10"}}};
  auto enis = w.ec2().DescribeNetworkInterfaces(ControllerCall(), req);
  REQUIRE(enis->size() == 1);
  CHECK(enis->at(0).attachment_instance_id == "i-0node1");
  CHECK(enis->at(0).groups.at(0).group_id == w.node_sg);
  CHECK(w.ec2().DescribeInstances(ControllerCall(), {{"i-0gone"}, {}}).error().aws_code ==
        "InvalidInstanceID.NotFound");
}

TEST_CASE("an address filter of literal IPs answers as the full scan does, through address changes") {
  TestWorld w;
  m::Instance node2;
  node2.instance_id = "i-0node2";
  node2.private_ip_address = "10.0.80.10";
  node2.subnet_id = "subnet-priv-b";
  node2.security_groups = {m::GroupIdentifier{w.node_sg, ""}};
  REQUIRE(w.ec2().AddInstance(node2).ok());
  m::NetworkInterface extra;  // an ENI without an instance, its primary address only
  extra.network_interface_id = "eni-0extra";
  extra.subnet_id = "subnet-priv-c";
  extra.private_ip_address = "10.0.96.7";
  REQUIRE(w.ec2().AddNetworkInterface(extra).ok());
  const std::vector<std::string> ips = {"10.0.64.10", "10.0.64.77", "10.0.80.10", "10.0.80.77", "10.0.96.7", "10.9.9.9"};
  // The same filters answered through the index (literal values) and by the scan (one more value
  // with a wildcard that matches nothing makes the filter non-literal).
  auto ids_of = [&](std::vector<std::string> values, std::vector<std::string> eni_ids, bool scan) {
    DescribeNetworkInterfacesRequest req;
    req.network_interface_ids = std::move(eni_ids);
    if (scan) values.push_back("no-such-*");
    req.filters = {{"vpc-id", {"vpc-0test"}}, {"addresses.private-ip-address", values}};
    auto r = w.ec2().DescribeNetworkInterfaces(ControllerCall(), req);
    REQUIRE(r.ok());
    std::vector<std::string> out;
    for (const auto& eni : r.value()) out.push_back(eni.network_interface_id);
    return out;
  };
  auto check_all = [&](const char* when) {
    INFO(when);
    for (size_t mask = 1; mask < (1u << ips.size()); mask += 7) {
      std::vector<std::string> values;
      for (size_t i = 0; i < ips.size(); ++i) {
        if (mask & (1u << i)) values.push_back(ips[i]);
      }
      CHECK(ids_of(values, {}, false) == ids_of(values, {}, true));
      CHECK(ids_of(values, {"eni-0extra"}, false) == ids_of(values, {"eni-0extra"}, true));
    }
    CHECK(ids_of(ips, {}, false).size() == ids_of(ips, {}, true).size());
  };
  check_all("at start");
  CHECK(ids_of({"10.0.96.7", "10.0.64.10"}, {}, false).size() == 2);
  REQUIRE(w.ec2().AssignPrivateIpAddressForSim("i-0node1", "10.0.64.77").ok());
  REQUIRE(w.ec2().AssignPrivateIpAddressForSim("i-0node2", "10.0.80.77").ok());
  check_all("after assigning pod IPs");
  CHECK(ids_of({"10.0.64.77", "10.0.80.77"}, {}, false).size() == 2);
  REQUIRE(w.ec2().UnassignPrivateIpAddressForSim("i-0node1", "10.0.64.77").ok());
  REQUIRE(w.ec2().AssignPrivateIpAddressForSim("i-0node2", "10.0.64.77").ok());  // moved to the other node
  check_all("after moving one");
  CHECK(ids_of({"10.0.64.77"}, {}, false) == ids_of({"10.0.80.10"}, {}, false));
  REQUIRE(w.ec2().UnassignPrivateIpAddressForSim("i-0node2", "10.0.80.10").ok());  // the primary stays
  check_all("after trying to drop a primary address");
}

TEST_CASE("named instance ids answer in id order, once each, with the filters applied, as the full listing does") {
  TestWorld w;
  m::Instance node2;
  node2.instance_id = "i-0node0";  // sorts before i-0node1
  node2.private_ip_address = "10.0.80.10";
  node2.subnet_id = "subnet-priv-b";
  node2.security_groups = {m::GroupIdentifier{w.node_sg, ""}};
  REQUIRE(w.ec2().AddInstance(node2).ok());
  auto ids_of = [&](std::vector<std::string> ids, std::vector<m::Filter> filters) {
    auto r = w.ec2().DescribeInstances(ControllerCall(), {std::move(ids), std::move(filters)});
    REQUIRE(r.ok());
    std::vector<std::string> out;
    for (const auto& i : r.value()) out.push_back(i.instance_id);
    return out;
  };
  CHECK(ids_of({}, {}) == std::vector<std::string>{"i-0node0", "i-0node1"});
  CHECK(ids_of({"i-0node1", "i-0node0", "i-0node1"}, {}) == std::vector<std::string>{"i-0node0", "i-0node1"});
  CHECK(ids_of({"i-0node1", "i-0node0"}, {{"subnet-id", {"subnet-priv-b"}}}) == std::vector<std::string>{"i-0node0"});
  CHECK(ids_of({"i-0node1"}, {{"subnet-id", {"subnet-priv-b"}}}).empty());
}

TEST_CASE("CIDR helpers canonicalise IPv4 and IPv6") {
  CHECK(CanonicalCidr4("100.68.0.18/18") == "100.68.0.0/18");
  CHECK(CanonicalCidr4("10.0.0.1/32") == "10.0.0.1/32");
  CHECK(CanonicalCidr4("10.0.0/8").empty());
  CHECK(CanonicalCidr4("256.0.0.0/8").empty());
  CHECK(CanonicalCidr6("2001:DB8::1/32") == "2001:db8::/32");
  CHECK(CanonicalCidr6("::/0") == "::/0");
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::aws

namespace sim::aws {
namespace {

TEST_SUITE("aws.ec2") {
TEST_CASE("a deleted load balancer's security group stays in use for the configured release delay") {
  FakeAwsOptions opts;
  opts.elbv2.security_group_release_delay = std::chrono::seconds(20);
  TestWorld w(opts);
  std::string lb_sg = MakeSg(w, "lb-sg");
  CreateLoadBalancerRequest lb_req;
  lb_req.name = "web";
  lb_req.subnets = {"subnet-pub-a", "subnet-pub-b"};
  lb_req.security_groups = {lb_sg};
  auto lb = w.elbv2().CreateLoadBalancer(ControllerCall(), lb_req);
  REQUIRE(lb.ok());
  REQUIRE(w.elbv2().DeleteLoadBalancer(ControllerCall(), lb->load_balancer_arn).ok());
  w.AdvanceSeconds(19);
  CHECK(w.ec2().DeleteSecurityGroup(ControllerCall(), lb_sg).error().aws_code == "DependencyViolation");
  w.AdvanceSeconds(1);
  CHECK(w.ec2().DeleteSecurityGroup(ControllerCall(), lb_sg).ok());
}
}  // TEST_SUITE
}  // namespace
}  // namespace sim::aws

namespace sim::aws {
namespace {

TEST_SUITE("aws.ec2") {
TEST_CASE("pod IPs on a node ENI are found by address; a stopped node's target turns unused") {
  TestWorld w;
  REQUIRE(w.ec2().AssignPrivateIpAddressForSim("i-0node1", "10.0.64.77").ok());
  DescribeNetworkInterfacesRequest req;
  req.filters = {{"addresses.private-ip-address", {"10.0.64.77"}}};
  auto found = w.ec2().DescribeNetworkInterfaces(ControllerCall(), req);
  REQUIRE(found->size() == 1);
  CHECK(found->at(0).groups.at(0).group_id == w.node_sg);
  REQUIRE(w.ec2().UnassignPrivateIpAddressForSim("i-0node1", "10.0.64.77").ok());
  CHECK(w.ec2().DescribeNetworkInterfaces(ControllerCall(), req)->empty());

  auto lb = w.MakeLb("web");
  auto tg = w.MakeTg("inst", 30080, "instance");
  w.MakeListener(lb.load_balancer_arn, 80, TestWorld::Forward(tg.target_group_arn));
  REQUIRE(w.elbv2().RegisterTargets(ControllerCall(), {tg.target_group_arn, {{"i-0node1", {}, {}}}}).ok());
  REQUIRE(w.ec2().SetInstanceStateForSim("i-0node1", "stopped").ok());
  auto h = w.elbv2().DescribeTargetHealth(ControllerCall(), {tg.target_group_arn, {}});
  REQUIRE(h->size() == 1);
  CHECK(h->at(0).target.port == 30080);
  CHECK(h->at(0).health_check_port == "30080");
  CHECK(h->at(0).target_health.state == "unused");
  CHECK(h->at(0).target_health.reason == "Target.InvalidState");
}
}  // TEST_SUITE
}  // namespace
}  // namespace sim::aws
