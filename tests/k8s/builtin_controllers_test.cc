#include "sim/k8s/builtin_controllers.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string_view>

#include <doctest/doctest.h>

#include "sim/base/clock.h"
#include "sim/k8s/codec.h"
#include "sim/k8s/ipv4.h"

namespace sim::k8s {
namespace {

using namespace model::k8s;

ObjectPtr Parse(const std::string& yaml) {
  auto r = DecodeManifests(yaml, "test.yaml");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  return r.value()[0];
}

// Runs the queue until it is empty (bounded).
void Settle(EventQueue& q) {
  int n = 0;
  while (q.RunNext()) REQUIRE(++n < 100000);
}

struct Cluster {
  SimClock clock;
  EventQueue queue{clock};
  FakeApiServer api{clock};
  BuiltinControllers controllers{api, queue};

  Cluster() {
    const char* azs[] = {"us-west-2a", "us-west-2b", "us-west-2c"};
    const char* ips[] = {"10.0.64.10", "10.0.80.10", "10.0.96.10"};
    const char* cidrs[] = {"10.0.64.0/20", "10.0.80.0/20", "10.0.96.0/20"};
    for (int i = 0; i < 3; ++i) {
      Ec2NodeSpec spec;
      spec.az = azs[i];
      spec.ip = ips[i];
      spec.region = "us-west-2";
      auto r = controllers.AddEc2Node(spec, cidrs[i]);
      REQUIRE_MESSAGE(r.ok(), r.error().message);
    }
  }
  void Apply(const std::string& yaml) {
    auto r = api.Apply(*Parse(yaml));
    REQUIRE_MESSAGE(r.ok(), r.error().message);
  }
  std::vector<std::shared_ptr<const Pod>> Pods(const std::string& ns = "default") { return List<Pod>(api, ns); }
};

// The EndpointSlices of `ns` labelled as `svc`'s (kubernetes.io/service-name), whoever manages them.
std::vector<std::shared_ptr<const EndpointSlice>> SlicesOf(const FakeApiServer& api, const std::string& svc,
                                                           const std::string& ns = "default") {
  std::vector<std::shared_ptr<const EndpointSlice>> out;
  for (const auto& sl : List<EndpointSlice>(api, ns)) {
    auto it = sl->metadata.labels.find(kLabelServiceName);
    if (it != sl->metadata.labels.end() && it->second == svc) out.push_back(sl);
  }
  return out;
}

// `text` with the first `from` replaced by `to` (`from` must be there).
std::string Edited(std::string text, std::string_view from, std::string_view to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

const char* kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports: [{name: http, containerPort: 8080}]
)";

const char* kService = R"(apiVersion: v1
kind: Service
metadata: {name: web, namespace: default, labels: {team: a}}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
)";

TEST_SUITE("k8s.builtin_controllers") {

TEST_CASE("EC2 nodes carry the EKS labels, addresses and providerID") {
  Ec2NodeSpec spec;
  spec.az = "us-west-2a";
  spec.ip = "10.0.1.23";
  spec.region = "us-west-2";
  spec.instance_id = "i-0abc";
  auto node = MakeEc2Node(spec);
  CHECK(node->metadata.name == "ip-10-0-1-23.us-west-2.compute.internal");
  CHECK(node->provider_id == "aws:///us-west-2a/i-0abc");
  CHECK(node->metadata.labels.at("topology.kubernetes.io/zone") == "us-west-2a");
  CHECK(node->metadata.labels.at("eks.amazonaws.com/nodegroup") == "default");
  CHECK(node->InternalIP() == "10.0.1.23");
  CHECK(node->Ready());
  CHECK(Ec2PrivateDnsName("10.0.1.23", "us-east-1") == "ip-10-0-1-23.ec2.internal");
}

TEST_CASE("a Deployment becomes a ReplicaSet, spread pods, and ready EndpointSlices") {
  Cluster c;
  c.Apply(kDeployment);
  c.Apply(kService);
  Settle(c.queue);

  auto rss = List<ReplicaSet>(c.api, "default");
  REQUIRE(rss.size() == 1);
  const std::string rs_name = rss[0]->metadata.name;
  const std::string hash = rss[0]->metadata.labels.at("pod-template-hash");
  CHECK(rs_name == "web-" + hash);
  CHECK(hash.size() >= 8);
  CHECK(hash.find_first_not_of("bcdfghjklmnpqrstvwxz2456789") == std::string::npos);
  CHECK(rss[0]->metadata.annotations.at("deployment.kubernetes.io/revision") == "1");
  CHECK(rss[0]->metadata.owner_references[0].kind == "Deployment");

  auto pods = c.Pods();
  REQUIRE(pods.size() == 3);
  std::set<std::string> nodes;
  for (const auto& p : pods) {
    CHECK(p->metadata.name.rfind(rs_name + "-", 0) == 0);
    CHECK(p->metadata.name.size() == rs_name.size() + 6);
    CHECK(p->phase == "Running");
    CHECK(p->Ready());
    CHECK_FALSE(p->pod_ip.empty());
    CHECK(p->conditions.size() == 5);
    CHECK(p->conditions[0].type == "PodReadyToStartContainers");
    nodes.insert(p->spec.node_name);
  }
  CHECK(nodes.size() == 3);  // one per zone
  // The pod on the us-west-2a node gets the next address after the node's IP.
  for (const auto& p : pods) {
    if (p->spec.node_name == "ip-10-0-64-10.us-west-2.compute.internal") {
      CHECK(p->pod_ip == "10.0.64.11");
      CHECK(p->host_ip == "10.0.64.10");
    }
  }

  auto dep = As<Deployment>(c.api.Get(Kind::kDeployment, "default", "web").value());
  CHECK(dep->available_replicas == 3);
  CHECK(dep->updated_replicas == 3);
  CHECK(dep->observed_generation == 1);
  CHECK(dep->metadata.annotations.at("deployment.kubernetes.io/revision") == "1");
  auto dep_events = c.api.EventsFor(Kind::kDeployment, "default", "web");
  REQUIRE(dep_events.size() == 1);
  CHECK(dep_events[0]->message == "Scaled up replica set " + rs_name + " from 0 to 3");
  CHECK(dep_events[0]->source_component == "deployment-controller");

  auto slices = List<EndpointSlice>(c.api, "default");
  REQUIRE(slices.size() == 1);
  const auto& s = slices[0];
  CHECK(s->metadata.name.rfind("web-", 0) == 0);
  CHECK(s->metadata.labels.at("kubernetes.io/service-name") == "web");
  CHECK(s->metadata.labels.at("endpointslice.kubernetes.io/managed-by") == "endpointslice-controller.k8s.io");
  CHECK(s->metadata.labels.at("team") == "a");
  CHECK(s->metadata.owner_references[0].kind == "Service");
  REQUIRE(s->ports.size() == 1);
  CHECK(*s->ports[0].name == "");
  CHECK(*s->ports[0].port == 8080);
  REQUIRE(s->endpoints.size() == 3);
  for (const auto& ep : s->endpoints) {
    CHECK(*ep.conditions.ready);
    CHECK(*ep.conditions.serving);
    CHECK_FALSE(*ep.conditions.terminating);
    CHECK(ep.target_kind == "Pod");
    CHECK(ep.zone.rfind("us-west-2", 0) == 0);
  }
  auto eps = As<Endpoints>(c.api.Get(Kind::kEndpoints, "default", "web").value());
  REQUIRE(eps->subsets.size() == 1);
  CHECK(eps->subsets[0].addresses.size() == 3);
  CHECK(eps->subsets[0].ports[0].port == 8080);

  SUBCASE("settling again changes nothing") {
    const int64_t rv = c.api.resource_version();
    c.queue.RunUntil(c.clock.Now() + std::chrono::minutes(1));
    CHECK(c.api.resource_version() == rv);
  }

  SUBCASE("a template change rolls out a new ReplicaSet and retires the old one") {
    auto d = MutableCopy(dep);
    d->template_.spec.containers[0].image = "nginx:1.28";
    d->metadata.resource_version.clear();
    REQUIRE(c.api.Update(*d).ok());
    Settle(c.queue);
    auto after = List<ReplicaSet>(c.api, "default");
    REQUIRE(after.size() == 2);
    int total_old = 0, total_new = 0;
    for (const auto& rs : after) {
      if (rs->metadata.name == rs_name) {
        total_old = rs->replicas;
      } else {
        total_new = rs->replicas;
        CHECK(rs->metadata.annotations.at("deployment.kubernetes.io/revision") == "2");
      }
    }
    CHECK(total_old == 0);
    CHECK(total_new == 3);
    auto new_pods = c.Pods();
    CHECK(new_pods.size() == 3);
    for (const auto& p : new_pods) CHECK(p->metadata.name.rfind(rs_name + "-", 0) != 0);
    auto dep2 = As<Deployment>(c.api.Get(Kind::kDeployment, "default", "web").value());
    CHECK(dep2->metadata.generation == 2);
    CHECK(dep2->metadata.annotations.at("deployment.kubernetes.io/revision") == "2");
    CHECK(List<EndpointSlice>(c.api, "default")[0]->endpoints.size() == 3);
  }

  SUBCASE("scaling down terminates pods gracefully and the slices show them terminating") {
    auto d = MutableCopy(dep);
    d->replicas = 1;
    d->metadata.resource_version.clear();
    REQUIRE(c.api.Update(*d).ok());
    c.queue.RunUntil(c.clock.Now());  // controllers react, kubelet not yet done
    auto slice = List<EndpointSlice>(c.api, "default")[0];
    int terminating = 0;
    for (const auto& ep : slice->endpoints) {
      if (*ep.conditions.terminating) {
        ++terminating;
        CHECK_FALSE(*ep.conditions.ready);
        CHECK(*ep.conditions.serving);
      }
    }
    CHECK(terminating == 2);
    auto legacy = As<Endpoints>(c.api.Get(Kind::kEndpoints, "default", "web").value());
    CHECK(legacy->subsets[0].addresses.size() == 1);
    Settle(c.queue);
    CHECK(c.Pods().size() == 1);
    CHECK(List<EndpointSlice>(c.api, "default")[0]->endpoints.size() == 1);
    bool deleted_event = false;
    for (const auto& e : c.api.EventsFor(Kind::kReplicaSet, "default", rs_name)) {
      deleted_event = deleted_event || e->reason == "SuccessfulDelete";
    }
    CHECK(deleted_event);
  }

  SUBCASE("deleting the Deployment garbage-collects its ReplicaSet and pods") {
    REQUIRE(c.api.Delete(Kind::kDeployment, "default", "web").ok());
    Settle(c.queue);
    CHECK(List<ReplicaSet>(c.api, "default").empty());
    CHECK(c.Pods().empty());
    auto slice = List<EndpointSlice>(c.api, "default");
    REQUIRE(slice.size() == 1);
    CHECK(slice[0]->endpoints.empty());  // placeholder
    CHECK(slice[0]->ports.empty());
  }

  SUBCASE("deleting the Service removes its slices and Endpoints") {
    REQUIRE(c.api.Delete(Kind::kService, "default", "web").ok());
    Settle(c.queue);
    CHECK(List<EndpointSlice>(c.api, "default").empty());
    CHECK_FALSE(c.api.Get(Kind::kEndpoints, "default", "web").ok());
  }
}

TEST_CASE("readiness gates keep a pod unready until their conditions are True") {
  Cluster c;
  c.Apply(kService);
  c.Apply(R"(apiVersion: v1
kind: Pod
metadata: {name: gated, namespace: default, labels: {app: web}}
spec:
  readinessGates: [{conditionType: target-health.elbv2.k8s.aws/k8s-default-web-1a2b3c4d5e}]
  containers: [{name: app, image: nginx, ports: [{name: http, containerPort: 8080}]}]
)");
  Settle(c.queue);
  auto pod = As<Pod>(c.api.Get(Kind::kPod, "default", "gated").value());
  CHECK(pod->phase == "Running");
  REQUIRE(pod->Condition("ContainersReady"));
  CHECK(pod->Condition("ContainersReady")->status == "True");
  const PodCondition* ready = pod->Condition("Ready");
  REQUIRE(ready);
  CHECK(ready->status == "False");
  CHECK(ready->reason == "ReadinessGatesNotReady");
  CHECK(ready->message ==
        "corresponding condition of pod readiness gate \"target-health.elbv2.k8s.aws/k8s-default-web-1a2b3c4d5e\" "
        "does not exist.");
  auto slice = List<EndpointSlice>(c.api, "default")[0];
  REQUIRE(slice->endpoints.size() == 1);
  CHECK_FALSE(*slice->endpoints[0].conditions.ready);
  CHECK_FALSE(*slice->endpoints[0].conditions.serving);

  auto copy = MutableCopy(pod);
  copy->conditions.push_back(
      PodCondition{"target-health.elbv2.k8s.aws/k8s-default-web-1a2b3c4d5e", "False", "Elb.RegistrationInProgress",
                   "Target registration is in progress", "2026-01-01T00:00:10Z"});
  REQUIRE(c.api.UpdateStatus(*copy).ok());
  Settle(c.queue);
  pod = As<Pod>(c.api.Get(Kind::kPod, "default", "gated").value());
  CHECK(pod->Condition("Ready")->message ==
        "the status of pod readiness gate \"target-health.elbv2.k8s.aws/k8s-default-web-1a2b3c4d5e\" is not \"True\", "
        "but False");

  copy = MutableCopy(pod);
  for (auto& cond : copy->conditions) {
    if (cond.type.rfind("target-health", 0) == 0) cond.status = "True";
  }
  REQUIRE(c.api.UpdateStatus(*copy).ok());
  Settle(c.queue);
  pod = As<Pod>(c.api.Get(Kind::kPod, "default", "gated").value());
  CHECK(pod->Ready());
  CHECK(*List<EndpointSlice>(c.api, "default")[0]->endpoints[0].conditions.ready);
}

TEST_CASE("containers that fail readiness are not ready; the knob flips them") {
  Cluster c;
  c.Apply(R"(apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default, annotations: {sim.albtwin.io/start-delay: 20s}}
spec:
  containers: [{name: app, image: nginx, readinessProbe: {httpGet: {path: /healthz, port: 8080}, initialDelaySeconds: 10}}]
)");
  c.queue.RunUntil(SimTime(std::chrono::seconds(19)));
  CHECK(As<Pod>(c.api.Get(Kind::kPod, "default", "p").value())->phase == "Pending");
  c.queue.RunUntil(SimTime(std::chrono::seconds(21)));
  auto pod = As<Pod>(c.api.Get(Kind::kPod, "default", "p").value());
  CHECK(pod->phase == "Running");
  CHECK(pod->Condition("ContainersReady")->message == "containers with unready status: [app]");
  CHECK(pod->Condition("Ready")->reason == "ContainersNotReady");
  Settle(c.queue);
  CHECK(As<Pod>(c.api.Get(Kind::kPod, "default", "p").value())->Ready());
  c.controllers.SetContainersReady("default", "p", false);
  Settle(c.queue);
  CHECK_FALSE(As<Pod>(c.api.Get(Kind::kPod, "default", "p").value())->Ready());
}

TEST_CASE("a pod no node fits stays Pending with the scheduler's message") {
  Cluster c;
  c.Apply(R"(apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: app, image: nginx}]
)");
  Settle(c.queue);
  auto pod = As<Pod>(c.api.Get(Kind::kPod, "default", "p").value());
  CHECK(pod->spec.node_name.empty());
  const PodCondition* sched = pod->Condition("PodScheduled");
  REQUIRE(sched);
  CHECK(sched->reason == "Unschedulable");
  CHECK(sched->message ==
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are "
        "available: 3 Preemption is not helpful for scheduling.");
  auto events = c.api.EventsFor(Kind::kPod, "default", "p");
  REQUIRE(events.size() == 1);
  CHECK(events[0]->reason == "FailedScheduling");

  // A matching node arrives: the pod is scheduled.
  Ec2NodeSpec spec;
  spec.az = "us-west-2a";
  spec.ip = "10.0.64.20";
  spec.region = "us-west-2";
  spec.labels["disk"] = "ssd";
  REQUIRE(c.controllers.AddEc2Node(spec, "10.0.64.0/20").ok());
  Settle(c.queue);
  pod = As<Pod>(c.api.Get(Kind::kPod, "default", "p").value());
  CHECK(pod->spec.node_name == "ip-10-0-64-20.us-west-2.compute.internal");
  CHECK(pod->Ready());
  CHECK(pod->pod_ip == "10.0.64.21");
}

TEST_CASE("the scheduler's cached node readiness follows node status changes") {
  Cluster c;
  auto not_ready = [&](const char* az, const char* ip) {
    Ec2NodeSpec spec;
    spec.az = az;
    spec.ip = ip;
    spec.region = "us-west-2";
    spec.ready = false;
    REQUIRE(c.controllers.AddEc2Node(spec).ok());
    Settle(c.queue);
  };
  auto create_pod = [&](const std::string& name) {
    c.Apply("apiVersion: v1\nkind: Pod\nmetadata: {name: " + name +
            ", namespace: default}\nspec:\n  containers: [{name: app, image: nginx}]\n");
    Settle(c.queue);
    return As<Pod>(c.api.Get(Kind::kPod, "default", name).value());
  };
  // Two of the three nodes turn NotReady: new pods only fit the third.
  not_ready("us-west-2a", "10.0.64.10");
  not_ready("us-west-2b", "10.0.80.10");
  auto p1 = create_pod("p1");
  CHECK(p1->spec.node_name == "ip-10-0-96-10.us-west-2.compute.internal");
  // The third goes NotReady too: nothing fits, and the message counts the cached not-ready nodes.
  not_ready("us-west-2c", "10.0.96.10");
  auto p2 = create_pod("p2");
  CHECK(p2->spec.node_name.empty());
  REQUIRE(p2->Condition("PodScheduled"));
  CHECK(p2->Condition("PodScheduled")->message ==
        "0/3 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/3 "
        "nodes are available: 3 Preemption is not helpful for scheduling.");
  // The first node recovers: the pending pod lands there, the only Ready node.
  Ec2NodeSpec first;
  first.az = "us-west-2a";
  first.ip = "10.0.64.10";
  first.region = "us-west-2";
  REQUIRE(c.controllers.AddEc2Node(first).ok());
  Settle(c.queue);
  p2 = As<Pod>(c.api.Get(Kind::kPod, "default", "p2").value());
  CHECK(p2->spec.node_name == "ip-10-0-64-10.us-west-2.compute.internal");
}

TEST_CASE("pods of one owner spread by zone, then node, with the scheduler's per-owner scratch reset between pods") {
  Cluster c;
  // A fourth node in zone a: the owner's pods fill the three zones first, then the second node of a.
  Ec2NodeSpec spec;
  spec.az = "us-west-2a";
  spec.ip = "10.0.64.20";
  spec.region = "us-west-2";
  REQUIRE(c.controllers.AddEc2Node(spec, "10.0.64.0/20").ok());
  const std::string deploy = Edited(kDeployment, "replicas: 3", "replicas: 4");
  c.Apply(deploy);
  Settle(c.queue);
  std::map<std::string, int> per_node;
  for (const auto& p : c.Pods()) per_node[p->spec.node_name]++;
  CHECK(per_node == std::map<std::string, int>{{"ip-10-0-64-10.us-west-2.compute.internal", 1},
                                               {"ip-10-0-64-20.us-west-2.compute.internal", 1},
                                               {"ip-10-0-80-10.us-west-2.compute.internal", 1},
                                               {"ip-10-0-96-10.us-west-2.compute.internal", 1}});
  // A second owner starts from an empty count again: its first pod goes to the first node by name.
  std::string other = kDeployment;
  other = Edited(other, "name: web", "name: api");
  other = Edited(other, "app: web", "app: api");
  other = Edited(other, "app: web", "app: api");
  other = Edited(other, "replicas: 3", "replicas: 1");
  c.Apply(other);
  Settle(c.queue);
  int api_pods = 0;
  for (const auto& p : c.Pods()) {
    if (p->metadata.labels.at("app") != "api") continue;
    ++api_pods;
    CHECK(p->spec.node_name == "ip-10-0-64-10.us-west-2.compute.internal");
  }
  CHECK(api_pods == 1);
}

TEST_CASE("the scheduler places pods on open nodes as its full node scan does") {
  // Cluster `full` has one cordoned node more, so every pod there goes through the full scan (with
  // its reasons); in `open` every node is open and pods take the fast path. Same placements.
  auto run = [](bool cordoned_extra) {
    Cluster c;
    const char* azs[] = {"us-west-2a", "us-west-2b", "us-west-2c"};
    const char* cidrs[] = {"10.0.64.0/20", "10.0.80.0/20", "10.0.96.0/20"};
    for (int i = 0; i < 5; ++i) {  // uneven zones: a gets 3 more nodes, b 2, c none
      Ec2NodeSpec spec;
      spec.az = azs[i % 2];
      spec.ip = std::string(i % 2 == 0 ? "10.0.64." : "10.0.80.") + std::to_string(30 + i);
      spec.region = "us-west-2";
      REQUIRE(c.controllers.AddEc2Node(spec, cidrs[i % 2]).ok());
    }
    if (cordoned_extra) {
      Ec2NodeSpec spec;
      spec.az = azs[2];
      spec.ip = "10.0.96.99";
      spec.region = "us-west-2";
      auto node = c.controllers.AddEc2Node(spec, cidrs[2]);
      REQUIRE(node.ok());
      Node cordoned = *Get<Node>(c.api, "", "ip-10-0-96-99.us-west-2.compute.internal").value();
      cordoned.unschedulable = true;
      REQUIRE(c.api.Update(cordoned).ok());
    }
    const std::vector<std::pair<std::string, int>> apps = {{"web", 7}, {"api", 3}, {"db", 1}, {"batch", 12}};
    for (const auto& [app, replicas] : apps) {
      std::string d = kDeployment;
      d = Edited(d, "name: web", "name: " + app);
      d = Edited(d, "app: web", "app: " + app);
      d = Edited(d, "app: web", "app: " + app);
      d = Edited(d, "replicas: 3", "replicas: " + std::to_string(replicas));
      c.Apply(d);
      Settle(c.queue);
    }
    std::map<std::string, std::map<std::string, int>> per_app;  // app -> node -> pods
    for (const auto& p : c.Pods()) {
      CHECK(p->spec.node_name != "ip-10-0-96-99.us-west-2.compute.internal");
      per_app[p->metadata.labels.at("app")][p->spec.node_name]++;
    }
    return per_app;
  };
  const auto open = run(false), full = run(true);
  CHECK(open == full);
  CHECK(open.at("batch").size() == 8);  // 12 pods over all 8 nodes
  CHECK(open.at("web").size() == 6);  // zone c has one node: it takes two of the seven
}

TEST_CASE("Fargate profiles give each pod its own node") {
  Cluster c;
  REQUIRE(c.api.Create(*Parse("apiVersion: v1\nkind: Namespace\nmetadata: {name: serverless}\n")).ok());
  c.controllers.AddFargateProfile(FargateProfile{"fp-default", "serverless", {}, {{"us-west-2b", "10.0.160.0/20"}}});
  c.Apply(R"(apiVersion: v1
kind: Pod
metadata: {name: f, namespace: serverless}
spec:
  containers: [{name: app, image: nginx}]
)");
  Settle(c.queue);
  auto pod = As<Pod>(c.api.Get(Kind::kPod, "serverless", "f").value());
  CHECK(pod->spec.scheduler_name == "fargate-scheduler");
  CHECK(pod->spec.node_name == "fargate-ip-10-0-160-4.us-west-2.compute.internal");
  CHECK(pod->pod_ip == "10.0.160.4");
  CHECK(pod->metadata.annotations.at("CapacityProvisioned") == "0.25vCPU 0.5GB");
  CHECK(pod->Ready());
  auto node = As<Node>(c.api.Get(Kind::kNode, "", pod->spec.node_name).value());
  CHECK(node->metadata.labels.at("eks.amazonaws.com/compute-type") == "fargate");
  CHECK(node->metadata.labels.at("eks.amazonaws.com/fargate-profile") == "fp-default");
  REQUIRE(c.api.Delete(Kind::kPod, "serverless", "f").ok());
  Settle(c.queue);
  CHECK_FALSE(c.api.Get(Kind::kNode, "", node->metadata.name).ok());
}

TEST_CASE("named target ports resolve per pod; pods lacking the name are left out") {
  Cluster c;
  c.Apply(R"(apiVersion: v1
kind: Service
metadata: {name: mixed, namespace: default}
spec:
  selector: {tier: be}
  ports: [{name: web, port: 80, targetPort: http}]
)");
  c.Apply(R"(apiVersion: v1
kind: Pod
metadata: {name: a, namespace: default, labels: {tier: be}}
spec: {containers: [{name: app, image: nginx, ports: [{name: http, containerPort: 8080}]}]}
)");
  c.Apply(R"(apiVersion: v1
kind: Pod
metadata: {name: b, namespace: default, labels: {tier: be}}
spec: {containers: [{name: app, image: nginx, ports: [{name: http, containerPort: 9090}]}]}
)");
  c.Apply(R"(apiVersion: v1
kind: Pod
metadata: {name: c, namespace: default, labels: {tier: be}}
spec: {containers: [{name: app, image: nginx}]}
)");
  Settle(c.queue);
  auto slices = List<EndpointSlice>(c.api, "default");
  std::map<int, int> by_port;  // port → endpoints (-1 = no ports)
  for (const auto& s : slices) by_port[s->ports.empty() ? -1 : *s->ports[0].port] += s->endpoints.size();
  CHECK(by_port[8080] == 1);
  CHECK(by_port[9090] == 1);
  CHECK(by_port[-1] == 1);  // pod c: no resolvable port → slice with no ports
  for (const auto& s : slices) {
    if (!s->ports.empty()) CHECK(*s->ports[0].name == "web");
  }
}

TEST_CASE("a failed node's pods turn unready, are evicted after 300 s and replaced elsewhere") {
  Cluster c;
  c.Apply(kDeployment);
  c.Apply(kService);
  Settle(c.queue);
  const std::string failed = "ip-10-0-64-10.us-west-2.compute.internal";
  std::string victim;
  for (const auto& p : c.Pods()) {
    if (p->spec.node_name == failed) victim = p->metadata.name;
  }
  REQUIRE_FALSE(victim.empty());
  Ec2NodeSpec spec;
  spec.az = "us-west-2a";
  spec.ip = "10.0.64.10";
  spec.region = "us-west-2";
  spec.ready = false;
  REQUIRE(c.controllers.AddEc2Node(spec).ok());
  c.queue.RunUntil(c.clock.Now() + std::chrono::seconds(10));
  auto pod = As<Pod>(c.api.Get(Kind::kPod, "default", victim).value());
  CHECK_FALSE(pod->Ready());
  int ready = 0;
  for (const auto& ep : List<EndpointSlice>(c.api, "default")[0]->endpoints) ready += *ep.conditions.ready ? 1 : 0;
  CHECK(ready == 2);

  c.queue.RunUntil(c.clock.Now() + std::chrono::seconds(300));
  pod = As<Pod>(c.api.Get(Kind::kPod, "default", victim).value());
  CHECK(pod->metadata.deletion_timestamp.has_value());  // stuck Terminating: its kubelet is gone
  int running_elsewhere = 0;
  for (const auto& p : c.Pods()) {
    if (!p->metadata.deletion_timestamp && p->Ready()) {
      CHECK(p->spec.node_name != failed);
      ++running_elsewhere;
    }
  }
  CHECK(running_elsewhere == 3);

  spec.ready = true;
  REQUIRE(c.controllers.AddEc2Node(spec).ok());
  Settle(c.queue);
  CHECK_FALSE(c.api.Get(Kind::kPod, "default", victim).ok());
  CHECK(c.Pods().size() == 3);
}

TEST_CASE("a deleted node's pods are force-deleted (PodGC) and replaced on the other nodes") {
  Cluster c;
  c.Apply(kDeployment);
  Settle(c.queue);
  const std::string gone = "ip-10-0-64-10.us-west-2.compute.internal";
  std::set<std::string> on_gone, elsewhere;
  for (const auto& p : c.Pods()) (p->spec.node_name == gone ? on_gone : elsewhere).insert(p->metadata.name);
  REQUIRE_FALSE(on_gone.empty());
  REQUIRE(c.api.Delete(Kind::kNode, "", gone).ok());
  Settle(c.queue);
  size_t replaced = 0;
  for (const auto& p : c.Pods()) {
    CHECK_FALSE(on_gone.count(p->metadata.name));  // removed at once, not left Terminating
    CHECK(p->spec.node_name != gone);
    if (!elsewhere.count(p->metadata.name)) ++replaced;
  }
  CHECK(replaced == on_gone.size());
  CHECK(c.Pods().size() == 3);
}

TEST_CASE("a node's pod list follows pods deleted from its middle: deleting the node then removes exactly its pods") {
  Cluster c;
  const std::string nine = Edited(kDeployment, "  replicas: 3\n", "  replicas: 9\n");
  c.Apply(nine);
  Settle(c.queue);
  const std::string gone = "ip-10-0-64-10.us-west-2.compute.internal";
  std::vector<std::string> on_gone;
  for (const auto& p : c.Pods()) {
    if (p->spec.node_name == gone) on_gone.push_back(p->metadata.name);
  }
  REQUIRE(on_gone.size() == 3);
  // Its pods go one by one (whatever their place in the node's list: one leaving from the front or
  // the middle moves another into its place, which then leaves too); their replacements are bound
  // anew, some of them to the same node.
  auto bound_there = [&] {  // what the API says is bound to the node
    std::vector<std::string> keys;
    for (const auto& p : c.Pods()) {
      if (p->spec.node_name == gone) keys.push_back("default/" + p->metadata.name);
    }
    std::sort(keys.begin(), keys.end());
    return keys;
  };
  CHECK(c.controllers.PodsOnNodeForSim(gone) == bound_there());
  for (const std::string& name : on_gone) {
    REQUIRE(c.api.Delete(Kind::kPod, "default", name).ok());
    Settle(c.queue);
    CHECK(c.controllers.PodsOnNodeForSim(gone) == bound_there());
  }
  REQUIRE(c.Pods().size() == 9);
  std::set<std::string> there_now, elsewhere;
  for (const auto& p : c.Pods()) {
    CHECK_FALSE(p->metadata.deletion_timestamp.has_value());
    (p->spec.node_name == gone ? there_now : elsewhere).insert(p->metadata.name);
  }
  REQUIRE_FALSE(there_now.empty());
  REQUIRE(c.api.Delete(Kind::kNode, "", gone).ok());
  Settle(c.queue);
  size_t replaced = 0;
  for (const auto& p : c.Pods()) {
    CHECK_FALSE(there_now.count(p->metadata.name));  // every pod listed on the node was removed
    CHECK(p->spec.node_name != gone);                // and none was left bound to it
    if (!elsewhere.count(p->metadata.name)) ++replaced;
  }
  CHECK(replaced == there_now.size());
  CHECK(c.Pods().size() == 9);
}

TEST_CASE("a pod bound to a node that does not exist yet counts on that node once it is added") {
  Cluster c;
  const std::string later = "ip-10-0-112-10.us-west-2.compute.internal";
  c.Apply(R"(apiVersion: v1
kind: Pod
metadata: {name: pinned, namespace: default}
spec:
  nodeName: ip-10-0-112-10.us-west-2.compute.internal
  containers: [{name: app, image: nginx}]
)");
  Settle(c.queue);
  CHECK(c.controllers.PodsOnNodeForSim(later) == std::vector<std::string>{"default/pinned"});
  Ec2NodeSpec spec;
  spec.az = "us-west-2a";
  spec.ip = "10.0.112.10";
  spec.region = "us-west-2";
  REQUIRE(c.controllers.AddEc2Node(spec, "10.0.112.0/20").ok());
  Settle(c.queue);
  CHECK(c.controllers.PodsOnNodeForSim(later) == std::vector<std::string>{"default/pinned"});
  // The node's count includes the pod: three more pods spread one to each of the other nodes
  // (the scheduler prefers the least loaded), none to the new one.
  c.Apply(kDeployment);
  Settle(c.queue);
  for (const auto& p : c.Pods()) {
    if (p->metadata.name != "pinned") CHECK(p->spec.node_name != later);
  }
  REQUIRE(c.api.Delete(Kind::kPod, "default", "pinned").ok());
  Settle(c.queue);
  CHECK(c.controllers.PodsOnNodeForSim(later).empty());
  REQUIRE(c.api.Delete(Kind::kNode, "", later).ok());
  Settle(c.queue);
  CHECK(c.controllers.PodsOnNodeForSim(later).empty());
}

TEST_CASE("a deleted pod leaves its owner's and its node's counts: a Recreate rollout completes") {
  Cluster c;
  const std::string recreate = Edited(kDeployment, "  replicas: 3\n", "  replicas: 3\n  strategy: {type: Recreate}\n");
  c.Apply(recreate);
  Settle(c.queue);
  REQUIRE(c.Pods().size() == 3);
  // A new template: the old ReplicaSet goes to zero, its pods are deleted, then the new one scales
  // up. It waits for the old pods to be gone: a deleted pod still counted would stall it, and so
  // would a Deployment not synced again when its last pod goes (upstream's deletePod).
  const std::string changed = Edited(recreate, "nginx:1.27", "nginx:1.28");
  c.Apply(changed);
  Settle(c.queue);
  auto pods = c.Pods();
  REQUIRE(pods.size() == 3);
  std::set<std::string> nodes;
  for (const auto& p : pods) {
    CHECK(p->spec.containers.at(0).image == "nginx:1.28");
    CHECK(p->Ready());
    nodes.insert(p->spec.node_name);
  }
  CHECK(nodes.size() == 3);  // the deleted pods no longer weigh on their nodes: one per zone again
  auto dep = As<Deployment>(c.api.Get(Kind::kDeployment, "default", "web").value());
  CHECK(dep->updated_replicas == 3);
  CHECK(dep->available_replicas == 3);
}

TEST_CASE("a Service's endpoints and a ReplicaSet's count follow pod relabels and deletes") {
  Cluster c;
  c.Apply(kDeployment);
  c.Apply(kService);
  Settle(c.queue);
  auto ready_ips = [&] {
    std::set<std::string> ips;
    for (const auto& slice : List<EndpointSlice>(c.api, "default")) {
      for (const auto& ep : slice->endpoints) {
        if (ep.conditions.ready.value_or(false)) ips.insert(ep.addresses.at(0));
      }
    }
    return ips;
  };
  REQUIRE(ready_ips().size() == 3);
  auto pods = c.Pods();
  REQUIRE(pods.size() == 3);
  const std::string moved = pods[0]->metadata.name, moved_ip = pods[0]->pod_ip;
  auto moved_pod = [&] { return As<Pod>(c.api.Get(Kind::kPod, "default", moved).value()); };
  auto rs_uid = List<ReplicaSet>(c.api, "default").at(0)->metadata.uid;
  auto relabel = [&](const std::string& app) {
    auto copy = MutableCopy(moved_pod());
    copy->metadata.labels["app"] = app;
    REQUIRE(c.api.Update(*copy).ok());
    Settle(c.queue);
  };
  // Relabelled away from the selectors: it leaves the Service's endpoints, and the ReplicaSet
  // releases it (upstream's ClaimPods: its controller reference is removed) and makes a
  // replacement, which the endpoints take.
  relabel("other");
  CHECK(ready_ips().size() == 3);
  CHECK_FALSE(ready_ips().count(moved_ip));
  CHECK(c.Pods().size() == 4);
  CHECK(moved_pod()->metadata.owner_references.empty());
  CHECK(moved_pod()->Ready());  // released, not deleted
  // Relabelled back: the ReplicaSet adopts the orphan again, has one pod too many and deletes the
  // newest (the replacement); the endpoints take the pod back.
  relabel("web");
  CHECK(c.Pods().size() == 3);
  REQUIRE(moved_pod()->metadata.owner_references.size() == 1);
  CHECK(moved_pod()->metadata.owner_references[0].uid == rs_uid);
  CHECK(moved_pod()->metadata.owner_references[0].controller);
  CHECK(ready_ips().size() == 3);
  CHECK(ready_ips().count(moved_ip));
  // Deleted: the ReplicaSet replaces it and the endpoints take the replacement's address.
  REQUIRE(c.api.Delete(Kind::kPod, "default", moved).ok());
  Settle(c.queue);
  pods = c.Pods();
  REQUIRE(pods.size() == 3);
  std::set<std::string> ips;
  for (const auto& p : pods) {
    CHECK(p->metadata.name != moved);
    CHECK(p->Ready());
    ips.insert(p->pod_ip);
  }
  CHECK(ready_ips() == ips);
  auto rs = List<ReplicaSet>(c.api, "default").at(0);
  CHECK(rs->status_replicas == 3);
  CHECK(rs->ready_replicas == 3);
}

TEST_CASE("an orphan that matches a ReplicaSet is adopted, its plain reference to it made the controller's") {
  Cluster c;
  c.Apply(kDeployment);
  Settle(c.queue);
  auto before = c.Pods();
  REQUIRE(before.size() == 3);
  auto rs = List<ReplicaSet>(c.api, "default").at(0);
  // One of its pods deleted, and at once a pod made by hand with the ReplicaSet's labels and a
  // reference to it that is not a controller's: the ReplicaSet adopts that one instead of making
  // a replacement.
  REQUIRE(c.api.Delete(Kind::kPod, "default", before.at(0)->metadata.name).ok());
  auto pod = MutableCopy(before.at(1));
  pod->metadata = ObjectMeta{};
  pod->metadata.namespace_ = "default";
  pod->metadata.name = "by-hand";
  pod->metadata.labels = rs->template_.metadata.labels;
  pod->metadata.owner_references = {OwnerReference{"apps/v1", "ReplicaSet", rs->metadata.name, rs->metadata.uid, false, true}};
  pod->spec.node_name.clear();
  pod->phase = "Pending";
  pod->conditions.clear();
  pod->pod_ip.clear();
  pod->host_ip.clear();
  REQUIRE(c.api.Create(*pod).ok());
  Settle(c.queue);
  std::set<std::string> names;
  for (const auto& p : c.Pods()) names.insert(p->metadata.name);
  CHECK(names == std::set<std::string>{before.at(1)->metadata.name, before.at(2)->metadata.name, "by-hand"});
  auto adopted = As<Pod>(c.api.Get(Kind::kPod, "default", "by-hand").value());
  REQUIRE(adopted->metadata.owner_references.size() == 1);  // the same reference, not a second one
  CHECK(adopted->metadata.owner_references[0].uid == rs->metadata.uid);
  CHECK(adopted->metadata.owner_references[0].controller == true);
  CHECK(adopted->Ready());
  CHECK(List<ReplicaSet>(c.api, "default").at(0)->ready_replicas == 3);
}

// Pod events find the Services that select them through an index that keeps each Service as last
// written: after the selector changes, pod changes are matched against the new one.
TEST_CASE("pod changes are matched against a Service's current selector") {
  Cluster c;
  c.Apply(kDeployment);
  // Selects no pod at first (they have no tier), then every pod of the Deployment.
  c.Apply(R"(apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: NodePort
  selector: {app: web, tier: front}
  ports: [{port: 80, targetPort: http}]
)");
  Settle(c.queue);
  auto ready = [&] {
    size_t n = 0;
    for (const auto& slice : List<EndpointSlice>(c.api, "default")) {
      for (const auto& ep : slice->endpoints) n += ep.conditions.ready.value_or(false) ? 1 : 0;
    }
    return n;
  };
  REQUIRE(ready() == 0);
  auto svc = MutableCopy(As<Service>(c.api.Get(Kind::kService, "default", "web").value()));
  svc->selector = {{"app", "web"}};
  REQUIRE(c.api.Update(*svc).ok());
  Settle(c.queue);
  REQUIRE(ready() == 3);
  // A pod relabelled away must be matched against {app: web}: against the first selector it would
  // not match, the Service would not be synced and the pod would stay in its endpoints. (Its
  // ReplicaSet releases it and makes a replacement, which the endpoints take.)
  const std::string moved = c.Pods().at(0)->metadata.name, moved_ip = c.Pods().at(0)->pod_ip;
  auto copy = MutableCopy(As<Pod>(c.api.Get(Kind::kPod, "default", moved).value()));
  copy->metadata.labels["app"] = "other";
  REQUIRE(c.api.Update(*copy).ok());
  Settle(c.queue);
  CHECK(ready() == 3);
  for (const auto& slice : List<EndpointSlice>(c.api, "default")) {
    for (const auto& ep : slice->endpoints) CHECK(ep.addresses.at(0) != moved_ip);
  }
}

// Upstream's endpoint controllers sync a pod's Services on an update only when it may change
// them (staging/src/k8s.io/endpointslice/util/controller_utils.go podEndpointsChanged).
TEST_CASE("a pod update syncs Services only when it may change their endpoints or membership") {
  Pod base;
  base.metadata.namespace_ = "default";
  base.metadata.name = "web-1";
  base.metadata.labels = {{"app", "web"}};
  struct Case {
    const char* what;
    std::function<void(Pod&)> edit;
    bool pod_changed, labels_changed;
  };
  const Case cases[] = {
      {"nothing", [](Pod&) {}, false, false},
      {"bind: node name only", [](Pod& p) { p.spec.node_name = "ip-10-0-64-10"; }, false, false},
      {"phase only", [](Pod& p) { p.phase = "Running"; }, false, false},
      {"annotation only", [](Pod& p) { p.metadata.annotations["a"] = "b"; }, false, false},
      {"IP assigned", [](Pod& p) { p.pod_ip = "10.0.64.11"; }, true, false},
      {"ready", [](Pod& p) { p.conditions.push_back(PodCondition{"Ready", "True", "", "", ""}); }, true, false},
      {"deletion timestamp", [](Pod& p) { p.metadata.deletion_timestamp = "2024-01-01T00:00:00Z"; }, true, false},
      {"label", [](Pod& p) { p.metadata.labels["app"] = "api"; }, false, true},
      {"hostname", [](Pod& p) { p.spec.hostname = "h"; }, false, true},
      {"subdomain", [](Pod& p) { p.spec.subdomain = "s"; }, false, true},
      {"label and IP", [](Pod& p) { p.metadata.labels["tier"] = "x"; p.pod_ip = "10.0.64.12"; }, true, true},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    Pod edited = base;
    c.edit(edited);
    const PodEndpointsChange change = PodEndpointsChanged(base, edited);
    CHECK(change.pod_changed == c.pod_changed);
    CHECK(change.labels_changed == c.labels_changed);
  }
  // A terminating pod: every later update counts (upstream compares the timestamps' pointers).
  Pod terminating = base;
  terminating.metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
  Pod annotated = terminating;
  annotated.metadata.annotations["a"] = "b";
  CHECK(PodEndpointsChanged(terminating, annotated).pod_changed);
  // Relabelled: with the pod changed too, every Service of either version; otherwise only the
  // Services it joined or left.
  const std::vector<std::string> before = {"a", "b"}, after = {"b", "c"};
  CHECK(ServicesToSyncOnRelabel(before, after, true) == std::vector<std::string>{"a", "b", "c"});
  CHECK(ServicesToSyncOnRelabel(before, after, false) == std::vector<std::string>{"a", "c"});
  CHECK(ServicesToSyncOnRelabel(before, before, false).empty());
}

// The pod handlers end to end. Witness of a Service sync: a label added by hand to its slice (no
// new generation, so the slice tracker leaves it) is removed by the next sync. Upstream syncs on a
// pod added, readied or relabelled across Services, not on a bind nor on a label that keeps the
// pod's Services.
TEST_CASE("pod events sync a Service only when upstream's pod handlers would") {
  Cluster c;
  c.Apply(kDeployment);
  c.Apply(kService);
  // A Service of its own for a bare pod (no ReplicaSet selects it).
  c.Apply(Edited(Edited(kService, "name: web, namespace: default, labels: {team: a}", "name: solo, namespace: default"),
                 "selector: {app: web}", "selector: {app: solo}"));
  Settle(c.queue);
  auto slice = [&](const std::string& svc) {
    auto of = SlicesOf(c.api, svc);
    REQUIRE(of.size() == 1);
    return of[0];
  };
  auto mark = [&](const std::string& svc) {
    auto labelled = MutableCopy(slice(svc));
    labelled->metadata.labels["note"] = "hand-made";
    REQUIRE(c.api.Update(*labelled).ok());
  };
  auto marked = [&](const std::string& svc) { return slice(svc)->metadata.labels.count("note") == 1; };
  auto pod = [&](const std::string& name) { return As<Pod>(c.api.Get(Kind::kPod, "default", name).value()); };
  // A label that keeps the pod's Services: no sync.
  mark("web");
  const std::string name = c.Pods().at(0)->metadata.name;
  auto relabelled = MutableCopy(pod(name));
  relabelled->metadata.labels["extra"] = "x";
  REQUIRE(c.api.Update(*relabelled).ok());
  Settle(c.queue);
  CHECK(marked("web"));
  // A bare pod of "solo": its creation syncs; its bind does not; its start does.
  c.Apply(R"(apiVersion: v1
kind: Pod
metadata: {name: solo-1, namespace: default, labels: {app: solo}, annotations: {sim.albtwin.io/start-delay: 20s}}
spec:
  containers: [{name: app, image: nginx, ports: [{name: http, containerPort: 8080}]}]
)");
  const SimTime created = c.clock.Now();
  while (pod("solo-1")->spec.node_name.empty()) REQUIRE(c.queue.RunNext());
  REQUIRE(c.clock.Now() < created + std::chrono::seconds(20));
  mark("solo");
  c.queue.RunUntil(created + std::chrono::seconds(19));
  REQUIRE(pod("solo-1")->pod_ip.empty());
  CHECK(marked("solo"));  // bound, not started: no sync
  Settle(c.queue);
  REQUIRE(pod("solo-1")->Ready());
  CHECK_FALSE(marked("solo"));  // started and ready: synced
  CHECK(slice("solo")->endpoints.size() == 1);
  // Relabelled away from its Service: synced (it left); "web" (not its Service before or after)
  // is not.
  mark("solo");
  auto away = MutableCopy(pod("solo-1"));
  away->metadata.labels["app"] = "other";
  REQUIRE(c.api.Update(*away).ok());
  Settle(c.queue);
  CHECK_FALSE(marked("solo"));
  CHECK(slice("solo")->endpoints.empty());
  CHECK(marked("web"));
}

// Upstream's endpointSliceTracker: a managed slice someone else changes (a newer generation) is
// put back 1 s later (endpointSliceChangeMinSyncDelay); a label change leaves the generation as it
// was and queues nothing; a deleted one is recreated; the controller's own writes queue nothing.
TEST_CASE("a managed EndpointSlice changed or deleted by someone else is put back") {
  Cluster c;
  c.Apply(kDeployment);
  c.Apply(kService);
  Settle(c.queue);
  REQUIRE(c.queue.empty());
  auto slices = [&] { return List<EndpointSlice>(c.api, "default"); };
  auto slice = [&] {
    auto all = slices();
    REQUIRE(all.size() == 1);
    return all[0];
  };
  const auto original = slice();
  REQUIRE(original->endpoints.size() == 3);
  // Runs events until `done` holds; returns how much simulated time that took.
  auto until = [&](const std::function<bool()>& done) {
    const SimTime start = c.clock.Now();
    int n = 0;
    while (!done()) {
      REQUIRE(c.queue.RunNext());
      REQUIRE(++n < 1000);
    }
    return c.clock.Now() - start;
  };
  // An endpoint removed by hand: the generation moves on, the Service is synced a second later and
  // the slice is whole again; the controller's own update queues nothing more.
  auto edited = MutableCopy(original);
  edited->endpoints.pop_back();
  auto written = c.api.Update(*edited);
  REQUIRE(written.ok());
  CHECK(written.value()->metadata.generation > original->metadata.generation);
  CHECK(until([&] { return slice()->endpoints == original->endpoints; }) == std::chrono::seconds(1));
  CHECK(slice()->metadata.name == original->metadata.name);
  CHECK(c.queue.empty());
  // A label of someone else's: no new generation, nothing queued; the label stays.
  auto labelled = MutableCopy(slice());
  labelled->metadata.labels["note"] = "hand-made";
  REQUIRE(c.api.Update(*labelled).ok());
  CHECK(c.queue.empty());
  CHECK(slice()->metadata.labels.count("note") == 1);
  // Deleted by hand: a new slice with the same endpoints a second later, and nothing more queued.
  REQUIRE(c.api.Delete(Kind::kEndpointSlice, "default", original->metadata.name).ok());
  CHECK(until([&] { return slices().size() == 1; }) == std::chrono::seconds(1));
  CHECK(slice()->metadata.name != original->metadata.name);
  CHECK(slice()->endpoints == original->endpoints);
  CHECK(c.queue.empty());
}

// A slice moved to another Service by its service-name label: the Service it left makes a new one;
// the Service it was moved to does not own it, so it deletes it and makes its own (upstream ownedBy)
// instead of taking it over.
TEST_CASE("an EndpointSlice relabelled to another Service is not adopted by it") {
  Cluster c;
  c.Apply(kDeployment);
  c.Apply(kService);
  Settle(c.queue);
  auto of = [&](const std::string& svc) { return SlicesOf(c.api, svc); };
  REQUIRE(of("web").size() == 1);
  const auto web = of("web")[0];
  // Moved to "other", which does not exist yet.
  auto moved = MutableCopy(web);
  moved->metadata.labels[kLabelServiceName] = "other";
  REQUIRE(c.api.Update(*moved).ok());
  Settle(c.queue);
  REQUIRE(of("web").size() == 1);
  CHECK(of("web")[0]->metadata.name != web->metadata.name);
  CHECK(of("web")[0]->endpoints == web->endpoints);
  REQUIRE(of("other").size() == 1);
  CHECK(of("other")[0]->metadata.name == web->metadata.name);  // nobody's now
  // "other" appears, selecting the same pods on the same ports: its slice is its own.
  c.Apply(Edited(kService, "name: web, namespace: default, labels: {team: a}", "name: other, namespace: default"));
  Settle(c.queue);
  auto svc = c.api.Get(Kind::kService, "default", "other");
  REQUIRE(svc.ok());
  const auto mine = of("other");
  REQUIRE(mine.size() == 1);
  CHECK(mine[0]->metadata.name != web->metadata.name);
  REQUIRE(mine[0]->metadata.owner_references.size() == 1);
  CHECK(mine[0]->metadata.owner_references[0].uid == svc.value()->metadata.uid);
  CHECK(mine[0]->endpoints == web->endpoints);
  CHECK_FALSE(c.api.Get(Kind::kEndpointSlice, "default", web->metadata.name).ok());
}

// Upstream's endpoints controller (onEndpointsDelete): a deleted Endpoints object is made again.
TEST_CASE("a Service's Endpoints deleted by someone else are made again") {
  Cluster c;
  c.Apply(kDeployment);
  c.Apply(kService);
  Settle(c.queue);
  auto before = c.api.Get(Kind::kEndpoints, "default", "web");
  REQUIRE(before.ok());
  const auto& subsets = As<Endpoints>(before.value())->subsets;
  REQUIRE(subsets.size() == 1);
  REQUIRE(c.api.Delete(Kind::kEndpoints, "default", "web").ok());
  Settle(c.queue);
  auto after = c.api.Get(Kind::kEndpoints, "default", "web");
  REQUIRE(after.ok());
  CHECK(after.value()->metadata.uid != before.value()->metadata.uid);
  CHECK(As<Endpoints>(after.value())->subsets == subsets);
}

TEST_CASE("the pod template hash is stable and changes with the template") {
  Cluster a, b;
  a.Apply(kDeployment);
  b.Apply(kDeployment);
  Settle(a.queue);
  Settle(b.queue);
  CHECK(List<ReplicaSet>(a.api, "default")[0]->metadata.name == List<ReplicaSet>(b.api, "default")[0]->metadata.name);
}

TEST_CASE("the cached pod template hash follows template edits, reverts and re-creation") {
  Cluster c;
  c.Apply(kDeployment);
  Settle(c.queue);
  auto hash_label = [&](const std::string& rs_name) {
    auto rs = Get<ReplicaSet>(c.api, "default", rs_name);
    REQUIRE(rs.ok());
    return rs.value()->template_.metadata.labels.at("pod-template-hash");
  };
  auto names = [&] {
    std::vector<std::string> out;
    for (const auto& rs : List<ReplicaSet>(c.api, "default")) out.push_back(rs->metadata.name);
    return out;
  };
  REQUIRE(names().size() == 1);
  const std::string first = names()[0];
  const std::string first_hash = hash_label(first);
  CHECK(first == "web-" + first_hash);

  const std::string edited = Edited(kDeployment, "nginx:1.27", "nginx:1.28");
  c.Apply(edited);
  Settle(c.queue);
  REQUIRE(names().size() == 2);
  std::string second;
  for (const std::string& n : names()) {
    if (n != first) second = n;
  }
  CHECK(hash_label(second) != first_hash);
  auto d = Get<Deployment>(c.api, "default", "web");
  REQUIRE(d.ok());
  CHECK(d.value()->metadata.generation == 2);
  CHECK(d.value()->metadata.annotations.at("deployment.kubernetes.io/revision") == "2");

  // Back to the first template: the first ReplicaSet is the new one again (revision 3).
  c.Apply(kDeployment);
  Settle(c.queue);
  CHECK(names().size() == 2);
  d = Get<Deployment>(c.api, "default", "web");
  REQUIRE(d.ok());
  CHECK(d.value()->metadata.annotations.at("deployment.kubernetes.io/revision") == "3");
  auto rs = Get<ReplicaSet>(c.api, "default", first);
  REQUIRE(rs.ok());
  CHECK(rs.value()->replicas == 3);

  // Deleted and re-created (new uid, generation 1 again) with the edited template.
  REQUIRE(c.api.Delete(Kind::kDeployment, "default", "web").ok());
  Settle(c.queue);
  CHECK(names().empty());
  c.Apply(edited);
  Settle(c.queue);
  REQUIRE(names().size() == 1);
  CHECK(names()[0] == second);
}

TEST_CASE("endpoint addresses are ordered by numeric IP, not by text") {
  Cluster c;
  c.Apply(kDeployment);
  c.Apply(kService);
  Settle(c.queue);
  auto ep = Get<Endpoints>(c.api, "default", "web");
  REQUIRE(ep.ok());
  REQUIRE(ep.value()->subsets.size() == 1);
  const auto& addrs = ep.value()->subsets[0].addresses;
  REQUIRE(addrs.size() == 3);
  uint32_t prev = 0;
  for (const EndpointAddress& a : addrs) {
    uint32_t ip = 0;
    REQUIRE(ParseIpv4(a.ip, &ip));
    CHECK(ip > prev);
    prev = ip;
  }
}

TEST_CASE("address runs answer membership and the first free address as a plain set scan does") {
  AddressRuns runs;
  std::set<uint32_t> plain;
  uint64_t x = 12345;  // a fixed LCG: the same operations every run
  auto next = [&](uint32_t n) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>((x >> 33) % n);
  };
  auto scan = [&](uint32_t from, uint32_t end) {
    for (uint32_t a = from; a < end; ++a) {
      if (!plain.count(a)) return a;
    }
    return end;
  };
  for (int step = 0; step < 4000; ++step) {
    CAPTURE(step);
    const uint32_t a = 100 + next(200);
    if (next(3) == 0) {
      runs.Erase(a);
      plain.erase(a);
    } else {
      CHECK(runs.Insert(a) == plain.insert(a).second);
    }
    const uint32_t from = 100 + next(200), end = from + next(120);
    CHECK(runs.FirstFree(from, end) == scan(from, end));
    CHECK(runs.Contains(from) == (plain.count(from) == 1));
  }
  // The top of the address space: no wrap-around.
  AddressRuns top;
  CHECK(top.Insert(UINT32_MAX));
  CHECK_FALSE(top.Insert(UINT32_MAX));
  CHECK(top.Contains(UINT32_MAX));
  CHECK_FALSE(top.Contains(0));
  CHECK(top.Insert(UINT32_MAX - 1));
  CHECK(top.FirstFree(UINT32_MAX - 1, UINT32_MAX) == UINT32_MAX);  // none free: `end`
  CHECK(top.FirstFree(UINT32_MAX - 2, UINT32_MAX) == UINT32_MAX - 2);
  top.Erase(UINT32_MAX);
  CHECK_FALSE(top.Contains(UINT32_MAX));
  CHECK(top.Contains(UINT32_MAX - 1));
}

TEST_CASE("IPv4 parsing: plain dotted quads directly, everything else as sscanf reads it") {
  uint32_t ip = 0;
  CHECK(ParseIpv4("10.0.64.10", &ip));
  CHECK(ip == ((10u << 24) | (64u << 8) | 10u));
  CHECK(ParseIpv4("255.255.255.255", &ip));
  CHECK(ip == 0xffffffffu);
  CHECK(ParseIpv4("010.000.001.002", &ip));
  CHECK(ip == ((10u << 24) | (1u << 8) | 2u));
  CHECK(ParseIpv4(" 10.0.0.1", &ip));  // sscanf skips leading blanks
  CHECK(ip == ((10u << 24) | 1u));
  CHECK_FALSE(ParseIpv4("256.0.0.1", &ip));
  CHECK_FALSE(ParseIpv4("10.0.0.256", &ip));
  CHECK_FALSE(ParseIpv4("10.0.0", &ip));
  CHECK_FALSE(ParseIpv4("10..0.1", &ip));
  CHECK_FALSE(ParseIpv4("10.0.0.1x", &ip));
  CHECK_FALSE(ParseIpv4("", &ip));
  CHECK(Ipv4ToString((10u << 24) | (100u << 16) | 257u) == "10.100.1.1");
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::k8s
