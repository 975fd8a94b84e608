// End-to-end tests of the deploy side: GroupController + TargetGroupBindingController against the
// real fakes (FakeApiServer, FakeAws), driven by the shared EventQueue.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>

#include "sim/aws/fake_aws.h"
#include "sim/base/clock.h"
#include "sim/base/crypto.h"
#include "sim/base/log.h"
#include "sim/controller/group_controller.h"
#include "sim/controller/targetgroupbinding_controller.h"
#include "sim/k8s/fake_api_server.h"

namespace sim::controller {
namespace {

namespace mk = model::k8s;
namespace ma = model::aws;

constexpr char kVpc[] = "vpc-0a1b2c3d4e5f60001";
constexpr char kCluster[] = "test-cluster";

// A world: VPC with two public subnets (role-tagged), two node instances, a cluster, the two
// controllers.
struct World {
  SimClock clock;
  EventQueue queue{clock};
  aws::FakeAws aws{clock};
  k8s::FakeApiServer kube{clock};
  ControllerConfig config;
  std::unique_ptr<GroupController> groups;
  std::unique_ptr<TargetGroupBindingController> tgbs;
  std::string node_sg_id;  // the nodes' security group (cluster-tagged)

  World() {
    sim::log::SetLevel(sim::log::Level::kOff);
    config.cluster_name = kCluster;
    config.vpc_id = kVpc;
    ma::Vpc vpc;
    vpc.vpc_id = kVpc;
    vpc.cidr_block = "10.0.0.0/16";
    REQUIRE(aws.ec2().AddVpc(vpc).ok());
    // The nodes' security group carries the cluster tag, as EKS's cluster security group does:
    // the node security-group rules for target ports go there (networking_manager).
    ma::SecurityGroup node_sg;
    node_sg.group_name = "eks-cluster-sg-test";
    node_sg.description = "EKS cluster security group";
    node_sg.vpc_id = kVpc;
    node_sg.tags = {ma::Tag{std::string("kubernetes.io/cluster/") + kCluster, "owned"}};
    auto sg_id = aws.ec2().AddSecurityGroup(node_sg);
    REQUIRE(sg_id.ok());
    node_sg_id = sg_id.value();
    AddSubnet("subnet-0aaaaaaaaaaaaaaa1", "us-west-2a", "10.0.0.0/20");
    AddSubnet("subnet-0bbbbbbbbbbbbbbb2", "us-west-2b", "10.0.16.0/20");
    AddNode("ip-10-0-1-10.us-west-2.compute.internal", "i-0000000000000aaa1", "us-west-2a",
            "subnet-0aaaaaaaaaaaaaaa1", "10.0.1.10");
    AddNode("ip-10-0-17-10.us-west-2.compute.internal", "i-0000000000000bbb2", "us-west-2b",
            "subnet-0bbbbbbbbbbbbbbb2", "10.0.17.10");
    MakeControllers();
  }

  void AddSubnet(const std::string& id, const std::string& az, const std::string& cidr) {
    ma::Subnet s;
    s.subnet_id = id;
    s.vpc_id = kVpc;
    s.availability_zone = az;
    s.cidr_block = cidr;
    s.tags = {ma::Tag{"kubernetes.io/role/elb", "1"}};
    REQUIRE(aws.ec2().AddSubnet(s, /*public_subnet=*/true).ok());
  }

  void AddNode(const std::string& name, const std::string& instance_id, const std::string& az,
               const std::string& subnet, const std::string& ip) {
    ma::Instance inst;
    inst.instance_id = instance_id;
    inst.vpc_id = kVpc;
    inst.subnet_id = subnet;
    inst.availability_zone = az;
    inst.private_ip_address = ip;
    inst.security_groups = {ma::GroupIdentifier{node_sg_id, "eks-cluster-sg-test"}};
    REQUIRE(aws.ec2().AddInstance(inst).ok());
    mk::Node node;
    node.metadata.name = name;
    node.provider_id = "aws:///" + az + "/" + instance_id;
    node.conditions = {mk::NodeCondition{"Ready", "True", "KubeletReady", "kubelet is posting ready status"}};
    auto created = kube.Create(node);
    REQUIRE(created.ok());
    auto with_status = k8s::MutableCopy(mk::As<mk::Node>(created.value()));
    with_status->conditions = node.conditions;
    REQUIRE(kube.UpdateStatus(*with_status).ok());
  }

  void MakeControllers() {
    Sleeper sleep = [this](SimTime d) { queue.RunUntil(clock.Now() + d); };
    groups = std::make_unique<GroupController>(
        GroupControllerDeps{queue, kube, aws.elbv2(), aws.ec2(), DefaultModelBuilderFactory(), sleep, nullptr},
        config);
    tgbs = std::make_unique<TargetGroupBindingController>(
        TargetGroupBindingControllerDeps{queue, kube, aws.elbv2(), aws.ec2(), sleep}, config);
  }

  void Start() {
    groups->Start();
    tgbs->Start();
  }

  void Stop() {
    groups->Stop();
    tgbs->Stop();
  }

  // Runs the simulation for `d` of sim time.
  void RunFor(SimTime d) { queue.RunUntil(clock.Now() + d); }

  void CreateBackend() {
    mk::IngressClass cls;
    cls.metadata.name = "alb";
    cls.controller = "ingress.k8s.aws/alb";
    REQUIRE(kube.Create(cls).ok());
    mk::Service svc;
    svc.metadata.namespace_ = "default";
    svc.metadata.name = "web";
    svc.type = "NodePort";
    svc.selector = {{"app", "web"}};
    mk::ServicePort port;
    port.name = "http";
    port.port = 80;
    port.target_port = mk::IntOrString::Int(8080);
    port.node_port = 30080;
    svc.ports = {port};
    auto r = kube.Create(svc);
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
  }

  void CreateIngress() {
    mk::Ingress ing;
    ing.metadata.namespace_ = "default";
    ing.metadata.name = "web";
    ing.metadata.annotations = {{"alb.ingress.kubernetes.io/scheme", "internet-facing"}};
    ing.ingress_class_name = "alb";
    ing.has_rules = true;
    mk::IngressRule rule;
    rule.host = "web.example.com";
    rule.has_http = true;
    mk::HttpIngressPath path;
    path.path = "/";
    path.path_type = "Prefix";
    mk::IngressServiceBackend backend;
    backend.name = "web";
    backend.port.number = 80;
    path.backend.service = backend;
    rule.paths = {path};
    ing.rules = {rule};
    auto r = kube.Create(ing);
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
  }

  std::shared_ptr<const mk::Ingress> Ingress() {
    auto r = k8s::Get<mk::Ingress>(kube, "default", "web");
    return r.ok() ? r.value() : nullptr;
  }

  // Mutating controller calls since log index `since` (everything but Describe*).
  size_t MutatingCalls(size_t since) const {
    size_t n = 0;
    const auto recs = const_cast<aws::FakeAws&>(aws).log().Slice(since);
    for (size_t i = 0; i < recs.size(); ++i) {
      if (recs[i].caller != aws::kCallerController) continue;
      if (std::string(recs[i].call).rfind("Describe", 0) == 0) continue;
      ++n;
    }
    return n;
  }
  size_t CreateCalls(size_t since) const {
    size_t n = 0;
    const auto recs = const_cast<aws::FakeAws&>(aws).log().Slice(since);
    for (size_t i = 0; i < recs.size(); ++i) {
      if (recs[i].caller == aws::kCallerController && std::string(recs[i].call).rfind("Create", 0) == 0) ++n;
    }
    return n;
  }
  std::string MutatingCallList(size_t since) const {
    std::string out;
    const auto recs = const_cast<aws::FakeAws&>(aws).log().Slice(since);
    for (size_t i = 0; i < recs.size(); ++i) {
      if (recs[i].caller != aws::kCallerController) continue;
      if (std::string(recs[i].call).rfind("Describe", 0) == 0) continue;
      out += std::string(recs[i].call) + (recs[i].ok ? "" : "(" + recs[i].error_code + ")") + " ";
    }
    return out;
  }

  std::map<std::string, std::string> Tags(const std::string& arn) {
    std::map<std::string, std::string> out;
    auto snap = aws.elbv2().Snapshot();
    auto it = snap.tags.find(arn);
    if (it != snap.tags.end()) {
      for (const auto& t : it->second) out[t.key] = t.value;
    }
    return out;
  }

  std::string LastErrors() const {
    std::string out;
    for (const auto& [k, v] : groups->last_errors()) {
      if (!v.empty()) out += k + ": " + v + "\n";
    }
    for (const auto& [k, v] : tgbs->last_errors()) {
      if (!v.empty()) out += k + ": " + v + "\n";
    }
    return out;
  }
};

// The expected generated names (naming-and-tags.md §1, §2, §4).
std::string ExpectedLBName() {
  std::string uuid = Sha256Hex(std::string(kCluster) + "default/web" + "internet-facing");
  return "k8s-default-web-" + uuid.substr(0, 10);
}

TEST_SUITE("deploy.e2e") {

TEST_CASE("an Ingress with a NodePort Service gets an ALB, listener, rule, target group, TGB and targets") {
  World w;
  w.CreateBackend();
  w.CreateIngress();
  w.Start();
  w.RunFor(std::chrono::minutes(10));
  INFO(w.LastErrors());
  INFO(w.MutatingCallList(0));

  auto snap = w.aws.elbv2().Snapshot();
  REQUIRE(snap.load_balancers.size() == 1);
  const ma::LoadBalancer& lb = snap.load_balancers[0];
  CHECK(lb.load_balancer_name == ExpectedLBName());
  CHECK(lb.scheme == "internet-facing");
  auto lb_tags = w.Tags(lb.load_balancer_arn);
  CHECK(lb_tags["elbv2.k8s.aws/cluster"] == kCluster);
  CHECK(lb_tags["ingress.k8s.aws/stack"] == "default/web");
  CHECK(lb_tags["ingress.k8s.aws/resource"] == "LoadBalancer");
  // Managed SG + shared backend SG attached.
  CHECK(lb.security_groups.size() == 2);

  REQUIRE(snap.listeners.size() == 1);
  CHECK(snap.listeners[0].port == 80);
  CHECK(w.Tags(snap.listeners[0].listener_arn)["ingress.k8s.aws/resource"] == "80");

  std::vector<ma::Rule> rules;
  for (const auto& r : snap.rules) {
    if (!r.is_default) rules.push_back(r);
  }
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].priority == "1");
  CHECK(w.Tags(rules[0].rule_arn)["ingress.k8s.aws/resource"] == "80:1");

  REQUIRE(snap.target_groups.size() == 1);
  const ma::TargetGroup& tg = snap.target_groups[0];
  CHECK(tg.target_group_name.rfind("k8s-default-web-", 0) == 0);
  CHECK(tg.port == 30080);
  CHECK(tg.target_type == "instance");
  CHECK(w.Tags(tg.target_group_arn)["ingress.k8s.aws/resource"] == "default/web-web:80");

  // TGB object named after the TG, labelled with the stack.
  auto tgb = k8s::Get<mk::TargetGroupBinding>(w.kube, "default", tg.target_group_name);
  REQUIRE(tgb.ok());
  CHECK(tgb.value()->target_group_arn == tg.target_group_arn);
  CHECK(tgb.value()->metadata.labels.at("ingress.k8s.aws/stack-namespace") == "default");
  CHECK(tgb.value()->metadata.labels.at("ingress.k8s.aws/stack-name") == "web");
  CHECK(std::count(tgb.value()->metadata.finalizers.begin(), tgb.value()->metadata.finalizers.end(),
                   "elbv2.k8s.aws/resources") == 1);
  CHECK(tgb.value()->observed_generation == tgb.value()->metadata.generation);

  // Both nodes registered on the nodePort.
  auto targets = w.aws.elbv2().TargetsForSim(tg.target_group_arn);
  REQUIRE(targets.size() == 2);

  // Ingress: finalizer and status (lowercase DNS, port 80).
  auto ing = w.Ingress();
  REQUIRE(ing);
  CHECK(std::count(ing->metadata.finalizers.begin(), ing->metadata.finalizers.end(), "ingress.k8s.aws/resources") == 1);
  REQUIRE(ing->status_ingress.size() == 1);
  std::string dns = lb.dns_name;
  std::transform(dns.begin(), dns.end(), dns.begin(), [](unsigned char c) { return std::tolower(c); });
  CHECK(ing->status_ingress[0].hostname == dns);
  REQUIRE(ing->status_ingress[0].ports.size() == 1);
  CHECK(ing->status_ingress[0].ports[0].port == 80);
  CHECK(w.LastErrors() == "");
}

// The IngressPlanAnnotation feature gate: the group's first Ingress carries the built stack as
// JSON (the same text upstream logs as "successfully built model"); without the gate, nothing.
TEST_CASE("with the IngressPlanAnnotation gate the Ingress carries the stack JSON, without it no annotation") {
  const std::string key = "alb.ingress.kubernetes.io/dry-run-plan";
  for (const bool gate : {false, true}) {
    CAPTURE(gate);
    World w;
    w.config.feature_gates.ingress_plan_annotation = gate;
    w.MakeControllers();
    w.CreateBackend();
    w.CreateIngress();
    w.Start();
    w.RunFor(std::chrono::minutes(10));
    INFO(w.LastErrors());
    auto ing = w.Ingress();
    REQUIRE(ing);
    auto it = ing->metadata.annotations.find(key);
    if (!gate) {
      CHECK(it == ing->metadata.annotations.end());
      continue;
    }
    REQUIRE(it != ing->metadata.annotations.end());
    CHECK(it->second.rfind("{\"id\":\"default/web\",\"resources\":{", 0) == 0);
    CHECK(it->second.find("\"AWS::ElasticLoadBalancingV2::LoadBalancer\"") != std::string::npos);
    CHECK(it->second.find("\"K8S::ElasticLoadBalancingV2::TargetGroupBinding\"") != std::string::npos);
  }
}

TEST_CASE("a second reconcile of a converged group makes no mutating AWS call") {
  World w;
  w.CreateBackend();
  w.CreateIngress();
  w.Start();
  w.RunFor(std::chrono::minutes(10));
  REQUIRE(w.aws.elbv2().load_balancer_count() == 1);
  size_t since = w.aws.log().size();
  uint64_t before = w.groups->reconcile_count();
  w.groups->EnqueueGroup(GroupID::Implicit("default", "web"));
  w.RunFor(std::chrono::minutes(5));
  CHECK(w.groups->reconcile_count() > before);
  CHECK_MESSAGE(w.MutatingCalls(since) == 0, w.MutatingCallList(since));
  CHECK(w.LastErrors() == "");
}

TEST_CASE("a restarted controller adopts everything by tags and creates nothing") {
  World w;
  w.CreateBackend();
  w.CreateIngress();
  w.Start();
  w.RunFor(std::chrono::minutes(10));
  auto before = w.aws.elbv2().Snapshot();
  REQUIRE(before.load_balancers.size() == 1);
  w.Stop();
  w.MakeControllers();  // fresh objects: no caches, no memory
  size_t since = w.aws.log().size();
  w.Start();
  w.RunFor(std::chrono::minutes(10));
  CHECK(w.groups->reconcile_count() >= 1);
  CHECK_MESSAGE(w.CreateCalls(since) == 0, w.MutatingCallList(since));
  CHECK_MESSAGE(w.MutatingCalls(since) == 0, w.MutatingCallList(since));
  auto after = w.aws.elbv2().Snapshot();
  CHECK(after.load_balancers.size() == 1);
  CHECK(after.load_balancers[0].load_balancer_arn == before.load_balancers[0].load_balancer_arn);
  CHECK(after.target_groups.size() == 1);
  CHECK(w.LastErrors() == "");
}

TEST_CASE("deleting the Ingress deletes every AWS resource, then the finalizer goes") {
  World w;
  w.CreateBackend();
  w.CreateIngress();
  w.Start();
  w.RunFor(std::chrono::minutes(10));
  REQUIRE(w.aws.elbv2().load_balancer_count() == 1);
  size_t sgs_before = w.aws.ec2().security_group_count();
  REQUIRE(w.kube.Delete(mk::Kind::kIngress, "default", "web").ok());
  // While AWS resources exist the finalizer keeps the Ingress.
  w.RunFor(std::chrono::minutes(10));
  INFO(w.LastErrors());
  CHECK(w.aws.elbv2().load_balancer_count() == 0);
  CHECK(w.aws.elbv2().listener_count() == 0);
  CHECK(w.aws.elbv2().target_group_count() == 0);
  CHECK(w.kube.Count(mk::Kind::kTargetGroupBinding) == 0);
  // Managed SG and backend SG are gone.
  CHECK(w.aws.ec2().security_group_count() == sgs_before - 2);
  CHECK(w.Ingress() == nullptr);
}

TEST_CASE("a listener rule deleted out of band is recreated by the next reconcile") {
  World w;
  w.CreateBackend();
  w.CreateIngress();
  w.Start();
  w.RunFor(std::chrono::minutes(10));
  auto snap = w.aws.elbv2().Snapshot();
  REQUIRE(snap.listeners.size() == 1);
  std::string rule_arn;
  for (const auto& r : snap.rules) {
    if (!r.is_default) rule_arn = r.rule_arn;
  }
  REQUIRE(!rule_arn.empty());
  REQUIRE(w.aws.elbv2().DeleteRule(aws::ConsoleCall(), rule_arn).ok());
  CHECK(w.aws.elbv2().rule_count() == 0);
  size_t since = w.aws.log().size();
  w.groups->EnqueueGroup(GroupID::Implicit("default", "web"));
  w.RunFor(std::chrono::minutes(5));
  CHECK(w.aws.elbv2().rule_count() == 1);
  CHECK(w.aws.log().Count("CreateRule", since, aws::kCallerController) == 1);
  auto rules = w.aws.elbv2().RulesForSim(snap.listeners[0].listener_arn);
  bool found = false;
  for (const auto& r : rules) {
    if (!r.is_default) {
      found = true;
      CHECK(r.priority == "1");
      CHECK(w.Tags(r.rule_arn)["ingress.k8s.aws/resource"] == "80:1");
    }
  }
  CHECK(found);
}

TEST_CASE("a matched load balancer that is still provisioning requeues the group after 120s") {
  World w;
  w.CreateBackend();
  w.CreateIngress();
  w.Start();
  w.RunFor(std::chrono::seconds(1));
  REQUIRE(w.aws.elbv2().load_balancer_count() == 1);
  uint64_t c1 = w.groups->reconcile_count();
  size_t since = w.aws.log().size();
  w.groups->EnqueueGroup(GroupID::Implicit("default", "web"));
  w.RunFor(std::chrono::seconds(5));
  uint64_t c2 = w.groups->reconcile_count();
  CHECK(c2 == c1 + 1);
  CHECK(w.groups->last_errors().count("default/web") == 0);
  CHECK(w.aws.log().Count("DescribeLoadBalancers", since, aws::kCallerController) >= 2);
  w.RunFor(std::chrono::seconds(100));
  CHECK(w.groups->reconcile_count() == c2);  // nothing before the 120s requeue
  w.RunFor(std::chrono::seconds(30));
  CHECK(w.groups->reconcile_count() == c2 + 1);  // requeued once; the LB is active by now
}

TEST_CASE("changing the target type replaces the target group: new TG first, old one deleted last") {
  World w;
  w.CreateBackend();
  w.CreateIngress();
  w.Start();
  w.RunFor(std::chrono::minutes(10));
  auto before = w.aws.elbv2().Snapshot();
  REQUIRE(before.target_groups.size() == 1);
  const std::string old_arn = before.target_groups[0].target_group_arn;
  auto ing = k8s::MutableCopy(w.Ingress());
  ing->metadata.annotations["alb.ingress.kubernetes.io/target-type"] = "ip";
  REQUIRE(w.kube.Update(*ing).ok());
  size_t since = w.aws.log().size();
  w.RunFor(std::chrono::minutes(10));
  INFO(w.LastErrors());
  INFO(w.MutatingCallList(since));
  auto after = w.aws.elbv2().Snapshot();
  REQUIRE(after.target_groups.size() == 1);
  CHECK(after.target_groups[0].target_group_arn != old_arn);
  CHECK(after.target_groups[0].target_type == "ip");
  CHECK(after.target_groups[0].port == 8080);
  // Order: CreateTargetGroup ... ModifyRule ... DeleteTargetGroup.
  std::string calls = w.MutatingCallList(since);
  auto create = calls.find("CreateTargetGroup");
  auto modify = calls.find("ModifyRule");
  auto del = calls.find("DeleteTargetGroup");
  REQUIRE(create != std::string::npos);
  REQUIRE(modify != std::string::npos);
  REQUIRE(del != std::string::npos);
  CHECK(create < modify);
  CHECK(modify < del);
  // The TGB follows the new TG (old TGB deleted, new one created).
  CHECK(w.kube.Count(mk::Kind::kTargetGroupBinding) == 1);
  auto tgb = k8s::Get<mk::TargetGroupBinding>(w.kube, "default", after.target_groups[0].target_group_name);
  REQUIRE(tgb.ok());
  CHECK(tgb.value()->target_type == "ip");
}

TEST_CASE("a controller that crashes halfway through the first deploy completes it after a restart, without duplicates") {
  World w;
  w.CreateBackend();
  w.CreateIngress();
  // Crash right after CreateLoadBalancer (call 14 of the first reconcile; see the call order above).
  w.aws.faults().CrashAfterCalls(aws::kCallerController, 14, [&] { w.Stop(); });
  w.Start();
  w.RunFor(std::chrono::minutes(1));
  CHECK(w.aws.faults().crashed());
  CHECK(w.aws.elbv2().load_balancer_count() == 1);
  CHECK(w.aws.elbv2().listener_count() == 0);
  w.aws.faults().ResetCrash();
  w.MakeControllers();
  w.Start();
  w.RunFor(std::chrono::minutes(10));
  INFO(w.LastErrors());
  auto snap = w.aws.elbv2().Snapshot();
  CHECK(snap.load_balancers.size() == 1);
  CHECK(snap.target_groups.size() == 1);
  CHECK(snap.listeners.size() == 1);
  CHECK(w.aws.elbv2().rule_count() == 1);
  CHECK(w.kube.Count(mk::Kind::kTargetGroupBinding) == 1);
  // One managed SG and one backend SG, never duplicated.
  size_t managed = 0;
  for (const auto& sg : w.aws.ec2().SecurityGroupsForSim()) {
    for (const auto& t : sg.tags) managed += (t.key == "ingress.k8s.aws/resource" && t.value == "ManagedLBSecurityGroup");
  }
  CHECK(managed == 1);
  CHECK(w.LastErrors() == "");
}

TEST_CASE("targets deregistered by hand come back only after a restart's deferred checkpoint reset") {
  World w;
  w.CreateBackend();
  w.CreateIngress();
  w.Start();
  w.RunFor(std::chrono::minutes(10));
  auto snap = w.aws.elbv2().Snapshot();
  REQUIRE(snap.target_groups.size() == 1);
  const std::string tg_arn = snap.target_groups[0].target_group_arn;
  REQUIRE(w.aws.elbv2().TargetsForSim(tg_arn).size() == 2);
  aws::TargetsRequest req;
  req.target_group_arn = tg_arn;
  req.targets = {ma::TargetDescription{"i-0000000000000aaa1", 30080, std::nullopt}};
  REQUIRE(w.aws.elbv2().DeregisterTargets(aws::ConsoleCall(), req).ok());
  w.RunFor(std::chrono::minutes(10));  // draining ends (deregistration delay 300s)
  REQUIRE(w.aws.elbv2().TargetsForSim(tg_arn).size() == 1);
  // The running controller keeps deferring (checkpoint unchanged): no repair.
  w.tgbs->Enqueue("default", snap.target_groups[0].target_group_name);
  w.RunFor(std::chrono::minutes(50));
  CHECK(w.aws.elbv2().TargetsForSim(tg_arn).size() == 1);
  // A restarted TGB controller defers too, but schedules a checkpoint reset 30-45 min later.
  w.tgbs->Stop();
  w.tgbs = std::make_unique<TargetGroupBindingController>(
      TargetGroupBindingControllerDeps{w.queue, w.kube, w.aws.elbv2(), w.aws.ec2(), nullptr}, w.config);
  w.tgbs->Start();
  w.RunFor(std::chrono::minutes(20));
  CHECK(w.aws.elbv2().TargetsForSim(tg_arn).size() == 1);
  w.RunFor(std::chrono::minutes(30));
  CHECK(w.aws.elbv2().TargetsForSim(tg_arn).size() == 2);
}

// A running pod of `web` on the first node, and its EndpointSlice entry.
void AddWebPod(World& w, const std::string& name, const std::string& ip, bool ready,
               const std::vector<std::string>& gates) {
  mk::Pod pod;
  pod.metadata.namespace_ = "default";
  pod.metadata.name = name;
  pod.metadata.labels = {{"app", "web"}};
  mk::Container c;
  c.name = "web";
  c.image = "nginx";
  c.ports = {mk::ContainerPort{"http", 8080, "TCP"}};
  pod.spec.containers = {c};
  pod.spec.node_name = "ip-10-0-1-10.us-west-2.compute.internal";
  for (const auto& g : gates) pod.spec.readiness_gates.push_back(mk::PodReadinessGate{g});
  auto created = w.kube.Create(pod);
  INFO((created.ok() ? std::string() : created.error().message));
  REQUIRE(created.ok());
  auto st = k8s::MutableCopy(mk::As<mk::Pod>(created.value()));
  st->phase = "Running";
  st->pod_ip = ip;
  st->conditions = {mk::PodCondition{"ContainersReady", "True", "", "", ""},
                    mk::PodCondition{"Ready", ready ? "True" : "False", "", "", ""}};
  REQUIRE(w.kube.UpdateStatus(*st).ok());
  auto slice_r = k8s::Get<mk::EndpointSlice>(w.kube, "default", "web-abcde");
  mk::EndpointSlice slice;
  if (slice_r.ok()) {
    slice = *slice_r.value();
  } else {
    slice.metadata.namespace_ = "default";
    slice.metadata.name = "web-abcde";
    slice.metadata.labels = {{"kubernetes.io/service-name", "web"}};
    mk::SlicePort sp;
    sp.name = std::string("http");
    sp.port = 8080;
    slice.ports = {sp};
  }
  mk::SliceEndpoint ep;
  ep.addresses = {ip};
  ep.conditions.ready = ready;
  ep.node_name = pod.spec.node_name;
  ep.target_kind = "Pod";
  ep.target_namespace = "default";
  ep.target_name = name;
  slice.endpoints.push_back(ep);
  auto r = slice_r.ok() ? w.kube.Update(slice) : w.kube.Create(slice);
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
}

TEST_CASE("ip targets come from EndpointSlices and a readiness gate flips to True once the target is healthy") {
  World w;
  w.CreateBackend();
  w.CreateIngress();
  auto ing = k8s::MutableCopy(w.Ingress());
  ing->metadata.annotations["alb.ingress.kubernetes.io/target-type"] = "ip";
  REQUIRE(w.kube.Update(*ing).ok());
  AddWebPod(w, "web-1", "10.0.1.50", /*ready=*/true, {});
  w.Start();
  w.RunFor(std::chrono::minutes(2));
  INFO(w.LastErrors());
  auto snap = w.aws.elbv2().Snapshot();
  REQUIRE(snap.target_groups.size() == 1);
  const std::string tg_arn = snap.target_groups[0].target_group_arn;
  const std::string tgb_name = snap.target_groups[0].target_group_name;
  auto targets = w.aws.elbv2().TargetsForSim(tg_arn);
  REQUIRE(targets.size() == 1);

  // A pod without readiness gates: only its EndpointSlice change (through the TGB index by
  // Service) brings the TGB back to register it, well before the 15 s requeue.
  AddWebPod(w, "web-0", "10.0.1.49", /*ready=*/true, {});
  w.RunFor(std::chrono::seconds(1));
  REQUIRE(w.aws.elbv2().TargetsForSim(tg_arn).size() == 2);

  // A second pod carrying the readiness gate of this TGB: containers ready, gate not yet true.
  const std::string gate = "target-health.elbv2.k8s.aws/" + tgb_name;
  AddWebPod(w, "web-2", "10.0.1.51", /*ready=*/false, {gate});
  w.RunFor(std::chrono::seconds(1));
  CHECK(w.aws.elbv2().TargetsForSim(tg_arn).size() == 3);
  auto pod = k8s::Get<mk::Pod>(w.kube, "default", "web-2");
  REQUIRE(pod.ok());
  const mk::PodCondition* c = pod.value()->Condition(gate);
  REQUIRE(c != nullptr);
  CHECK(c->status == "False");
  CHECK(c->reason == "Elb.RegistrationInProgress");
  CHECK(c->message == "Target registration is in progress");
  // The TGB requeues every 15s until the fake ELB reports the target healthy.
  w.RunFor(std::chrono::minutes(3));
  pod = k8s::Get<mk::Pod>(w.kube, "default", "web-2");
  c = pod.value()->Condition(gate);
  REQUIRE(c != nullptr);
  CHECK(c->status == "True");
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::controller
