#include "sim/scenario/world.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "sim/aws/controller_iam_policy.h"
#include "sim/aws/fake_aws.h"
#include "sim/base/crypto.h"
#include "sim/base/match.h"
#include "sim/k8s/client_api.h"
#include "sim/k8s/codec.h"
#include "sim/k8s/fake_api_server.h"
#include "sim/scenario/hosts.h"
#include "sim/traffic/health_probe.h"

namespace sim::scenario {

using model::k8s::Kind;

namespace {

std::string DeterministicHex(const std::string& seed_text, size_t len) { return Sha256Hex(seed_text).substr(0, len); }

}  // namespace

World::World(const Scenario& scenario) : scenario_(scenario), queue_(clock_) {}
World::~World() = default;

Status World::Setup(bool start_controller) {
  const WorldSpec& w = scenario_.world;
  aws::FakeAwsOptions aopts;
  aopts.region = w.region;
  aopts.account_id = w.account_id;
  aopts.seed = scenario_.seed;
  // A deleted ALB's network interfaces take a few seconds to go, and until then its security
  // groups cannot be deleted (DependencyViolation): the controller's 2 s retries show.
  aopts.elbv2.security_group_release_delay = SimTime(5000);
  for (const auto& [name, value] : w.quotas) {
    Status q = aws::SetQuota(&aopts.quotas, name, value);
    if (!q.ok()) return Wrap(q.error(), w.quotas_loc.ToString());
  }
  aws_ = std::make_unique<aws::FakeAws>(clock_, aopts);
  k8s::FakeApiServerOptions kopts;
  kopts.seed = scenario_.seed;
  api_ = std::make_unique<k8s::FakeApiServer>(clock_, kopts);
  ForgetSortedEvents();  // they were another server's

  // The account: VPC, subnets, the EKS cluster security group, one instance per node.
  model::aws::Vpc vpc;
  vpc.vpc_id = w.vpc_id;
  vpc.cidr_block = w.vpc_cidr;
  vpc.owner_id = w.account_id;
  SIM_RETURN_IF_ERROR(aws_->ec2().AddVpc(vpc));
  for (const auto& s : w.subnets) {
    model::aws::Subnet sub;
    sub.subnet_id = s.id;
    sub.vpc_id = w.vpc_id;
    sub.availability_zone = s.az;
    sub.cidr_block = s.cidr;
    sub.map_public_ip_on_launch = s.is_public;
    sub.owner_id = w.account_id;
    for (const auto& [k, v] : s.tags) sub.tags.push_back({k, v});
    Status st = aws_->ec2().AddSubnet(sub, s.is_public);
    if (!st.ok()) return Wrap(st.error(), s.loc.ToString() + ": subnet " + s.id);
  }
  model::aws::SecurityGroup cluster_sg;
  cluster_sg.group_name = "eks-cluster-sg-" + w.cluster_name + "-" + DeterministicHex(w.cluster_name, 8);
  cluster_sg.description = "EKS created security group applied to ENI that is attached to EKS Control Plane master "
                           "nodes, as well as any managed workloads.";
  cluster_sg.vpc_id = w.vpc_id;
  cluster_sg.owner_id = w.account_id;
  cluster_sg.tags = {{"Name", cluster_sg.group_name}, {"aws:eks:cluster-name", w.cluster_name},
                     {"kubernetes.io/cluster/" + w.cluster_name, "owned"}};
  // Members of the cluster security group talk to each other on every port.
  SIM_ASSIGN_OR_RETURN(std::string cluster_sg_id, aws_->ec2().AddSecurityGroup(cluster_sg));
  world_sgs_.insert(cluster_sg_id);
  for (const auto& sg : aws_->ec2().SecurityGroupsForSim()) world_sgs_.insert(sg.group_id);  // VPC default SG

  for (const auto& n : w.nodes) {
    model::aws::Instance inst;
    inst.instance_id = "i-0" + DeterministicHex(std::to_string(scenario_.seed) + "/" + n.name, 16);
    inst.instance_type = n.instance_type;
    inst.private_ip_address = n.ip;
    inst.private_dns_name = n.name;
    inst.subnet_id = n.subnet_id;
    inst.vpc_id = w.vpc_id;
    inst.availability_zone = n.az;
    inst.security_groups = {{cluster_sg_id, cluster_sg.group_name}};
    inst.tags = {{"kubernetes.io/cluster/" + w.cluster_name, "owned"}, {"eks:cluster-name", w.cluster_name}};
    Status st = aws_->ec2().AddInstance(inst);
    if (!st.ok()) return Wrap(st.error(), n.loc.ToString() + ": node " + n.name);
    instance_of_node_[n.name] = inst.instance_id;
  }
  cluster_sg_ = {cluster_sg_id, cluster_sg.group_name};
  // A Fargate pod gets an ENI of its own in its subnet, with the cluster security group (as EKS
  // does when no SecurityGroupPolicy applies): the controller finds it by the pod IP and puts its
  // target-port rule there, and the request path checks that group at the target hop.
  api_->Watch(model::k8s::Kind::kPod, [this](const k8s::WatchEvent& ev) {
    if (ev.type == k8s::WatchEventType::kDeleted) return;
    auto pod = model::k8s::As<model::k8s::Pod>(ev.object);
    if (!pod || pod->pod_ip.empty() || pod->spec.node_name.rfind("fargate-", 0) != 0) return;
    if (fargate_enis_.count(pod->pod_ip)) return;
    for (const auto& sn : scenario_.world.subnets) {
      if (!CidrContains(sn.cidr, pod->pod_ip)) continue;
      model::aws::NetworkInterface eni;
      eni.network_interface_id = "eni-0" + DeterministicHex("fargate/" + pod->pod_ip, 16);
      eni.subnet_id = sn.id;
      eni.vpc_id = scenario_.world.vpc_id;
      eni.availability_zone = sn.az;
      eni.private_ip_address = pod->pod_ip;
      eni.private_ip_addresses = {pod->pod_ip};
      eni.groups = {cluster_sg_};
      eni.description = "[EKS] Fargate pod " + pod->metadata.namespace_ + "/" + pod->metadata.name;
      if (aws_->ec2().AddNetworkInterface(eni).ok()) fargate_enis_.insert(pod->pod_ip);
      return;
    }
  });

  SIM_RETURN_IF_ERROR(SetUpIam());

  cluster_ = std::make_unique<ClusterHost>(scenario_, clock_, queue_, *api_, *aws_, instance_of_node_);
  SIM_RETURN_IF_ERROR(cluster_->Start());
  // ALB health checks ask the simulated pods (sim/traffic/health_probe.h); a change in the cluster
  // records what each target it may affect answers from then on.
  health_probe_ = std::make_unique<traffic::PodHealthProbe>(*api_, instance_of_node_);
  health_probe_->on_change = [this](const std::vector<traffic::ProbedTarget>& targets) {
    aws_->elbv2().ObserveTargetHealthForSim(targets);
  };
  aws_->elbv2().SetHealthProbeForSim(
      [this](const model::aws::TargetGroup& tg, const model::aws::TargetDescription& t, uint32_t* memo) {
        return health_probe_->Probe(tg, t, memo);
      });

  for (const auto& src : scenario_.objects) {
    for (const auto& obj : src.objects) {
      auto r = api_->Apply(*obj);
      if (!r.ok()) {
        return Wrap(r.error(), src.loc.ToString() + ": " + model::k8s::KindName(obj->kind()) + " " + obj->Key());
      }
    }
  }
  if (!start_controller) return OkStatus();
  controller_ = std::make_unique<ControllerHost>(scenario_, clock_, queue_, *api_, *aws_);
  controller_->notes = [this](const std::string& n) { notes_.push_back(n); };
  return controller_->Start();
}

SettleResult World::Settle() {
  SettleResult r;
  const SimTime start = clock_.Now();
  const SimTime limit = start + SimTime(6LL * 3600 * 1000);
  constexpr size_t kMaxEvents = 2'000'000;
  // The world is settled when no controller has work queued AND nothing in AWS is still in a
  // timed transition (a load balancer provisioning; a target in initial or draining), since those
  // end on the clock without any event: the clock then jumps to the next such transition.
  for (;;) {
    if (queue_.pending_work() == 0) {
      std::optional<SimTime> next = aws_->elbv2().NextTransitionForSim();
      if (!next) break;
      if (*next > limit) {
        r.settled = false;
        r.why = "did not settle within 6h of simulated time: AWS still has a load balancer provisioning or "
                "targets in initial/draining";
        break;
      }
      queue_.RunUntil(*next);
      continue;
    }
    // A reconcile that keeps failing is retried forever with growing backoff (controller-runtime);
    // once the next retry is more than 5 minutes away the world is as settled as it gets: stop
    // there and say what is still failing.
    if (controller_ && controller_->Failing() && queue_.NextTime() > clock_.Now() + SimTime(5 * 60 * 1000)) {
      r.still_failing = controller_->PendingWork();
      break;
    }
    if (queue_.NextTime() > limit || r.events >= kMaxEvents) {
      r.settled = false;
      r.why = "did not settle within " + std::string(r.events >= kMaxEvents ? "2,000,000 events" : "6h of simulated time") +
              ": " + std::to_string(queue_.pending_work()) + " work item(s) still pending" +
              (controller_ ? " (" + controller_->PendingWork() + ")" : "");
      break;
    }
    queue_.RunNext();
    ++r.events;
  }
  r.elapsed = clock_.Now() - start;
  return r;
}

void World::Advance(SimTime d) { queue_.RunUntil(clock_.Now() + d); }

// The account's IAM: the cluster's OIDC provider, the controller's role trusting its
// ServiceAccount (IRSA) with the scenario's policy attached, and a node role without ELB rights;
// then IAM is enforced on every ELBv2/EC2 call made with a principal. The controller's
// ServiceAccount is created annotated with the role (as the Helm chart does); an `objects`
// manifest can replace it.
Status World::SetUpIam() {
  const IamSpec& iam = scenario_.controller.iam;
  const aws::CallContext ctx{"scenario", ""};
  std::string policy_json;
  if (iam.policy == "default") {
    SIM_ASSIGN_OR_RETURN(policy_json, aws::ReadControllerIamPolicyJson());
  } else if (iam.policy != "none") {
    SIM_ASSIGN_OR_RETURN(policy_json, aws::ReadIamPolicyFile(iam.policy_path));
  }
  const std::string trusted = iam.trusted_service_account.empty() ? iam.service_account : iam.trusted_service_account;
  const std::string tns = trusted.substr(0, trusted.find('/')), tname = trusted.substr(trusted.find('/') + 1);
  const std::string issuer = ClusterOidcIssuer(scenario_);
  std::string role_arn;
  if (!policy_json.empty()) {
    auto irsa = aws::SetUpIrsaRole(aws_->iam(), issuer, tns, tname, aws::kControllerIamRoleName,
                                   aws::kControllerIamPolicyName, policy_json);
    if (!irsa.ok()) return Wrap(irsa.error(), "controller.iam.policy");
    role_arn = irsa.value().role_arn;
  } else {
    aws::CreateOpenIDConnectProviderRequest preq;
    preq.url = issuer;
    preq.client_id_list = {"sts.amazonaws.com"};
    SIM_ASSIGN_OR_RETURN(std::string provider_arn, aws_->iam().CreateOpenIDConnectProvider(ctx, preq));
    aws::CreateRoleRequest rreq;
    rreq.role_name = aws::kControllerIamRoleName;
    rreq.assume_role_policy_document = aws::IrsaTrustPolicyJson(provider_arn, issuer, tns, tname);
    SIM_ASSIGN_OR_RETURN(model::aws::IamRole role, aws_->iam().CreateRole(ctx, rreq));
    role_arn = role.arn;
  }
  aws::CreateRoleRequest node;
  node.role_name = kNodeRoleName;
  node.assume_role_policy_document =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
  SIM_ASSIGN_OR_RETURN(model::aws::IamRole node_role, aws_->iam().CreateRole(ctx, node));
  (void)node_role;
  aws_->EnableIamAuthorization();

  const std::string& sa_key = iam.service_account;
  model::k8s::ServiceAccount sa;
  sa.metadata.namespace_ = sa_key.substr(0, sa_key.find('/'));
  sa.metadata.name = sa_key.substr(sa_key.find('/') + 1);
  sa.metadata.labels = {{"app.kubernetes.io/name", "aws-load-balancer-controller"}};
  sa.metadata.annotations = {{"eks.amazonaws.com/role-arn", role_arn}};
  auto created = api_->Apply(sa);
  if (!created.ok()) return Wrap(created.error(), "controller.iam.serviceAccount " + sa_key);
  return OkStatus();
}

void World::ArmCrash(int64_t n, std::optional<SimTime> restart_after) {
  aws_->faults().CrashAfterCalls("controller", n, [this, restart_after] {
    if (controller_) controller_->Stop();
    // Not from inside the dying controller's call stack: the restart is an event of its own.
    if (restart_after) queue_.ScheduleAfter(*restart_after, [this] { RestartController(); });
  });
}

void World::UninstallController() {
  if (controller_) controller_->Stop();
  controller_.reset();
}

void World::RestartController() {
  if (controller_) controller_->Stop();
  aws_->faults().ResetCrash();
  controller_ = std::make_unique<ControllerHost>(scenario_, clock_, queue_, *api_, *aws_);
  controller_->notes = [this](const std::string& n) { notes_.push_back(n); };
  ++restarts_;
  Status s = controller_->Start();
  (void)s;
}

std::shared_ptr<const model::k8s::Ingress> World::IngressByKey(const std::string& ns_name) const {
  auto slash = ns_name.find('/');
  if (slash == std::string::npos) return nullptr;
  auto r = k8s::Get<model::k8s::Ingress>(*api_, ns_name.substr(0, slash), ns_name.substr(slash + 1));
  return r.ok() ? r.value() : nullptr;
}

std::string World::GroupOfIngress(const model::k8s::Ingress& ing) const {
  auto it = ing.metadata.annotations.find("alb.ingress.kubernetes.io/group.name");
  if (it != ing.metadata.annotations.end()) return it->second;
  return ing.metadata.namespace_ + "/" + ing.metadata.name;
}

std::map<std::string, std::string> World::TagsOf(const std::string& arn) const {
  std::map<std::string, std::string> out;
  auto snap = aws_->elbv2().Snapshot();
  auto it = snap.tags.find(arn);
  if (it != snap.tags.end()) {
    for (const auto& t : it->second) out[t.key] = t.value;
  }
  return out;
}

std::optional<model::aws::LoadBalancer> World::LoadBalancerOfIngress(const std::string& ns_name) const {
  auto ing = IngressByKey(ns_name);
  if (ing && !ing->status_ingress.empty() && !ing->status_ingress[0].hostname.empty()) {
    if (auto lb = aws_->elbv2().LoadBalancerByDnsNameForSim(ing->status_ingress[0].hostname)) return lb;
  }
  const std::string stack = ing ? GroupOfIngress(*ing) : ns_name;
  auto snap = aws_->elbv2().Snapshot();
  for (const auto& lb : snap.load_balancers) {
    auto it = snap.tags.find(lb.load_balancer_arn);
    if (it == snap.tags.end()) continue;
    bool cluster = false, stack_ok = false;
    for (const auto& t : it->second) {
      cluster |= t.key == "elbv2.k8s.aws/cluster" && t.value == scenario_.world.cluster_name;
      stack_ok |= t.key == "ingress.k8s.aws/stack" && t.value == stack;
    }
    if (cluster && stack_ok) return lb;
  }
  return std::nullopt;
}

std::string World::TargetGroupOfServicePort(const std::string& key) const {
  auto slash = key.find('/');
  auto colon = key.rfind(':');
  if (slash == std::string::npos || colon == std::string::npos || colon < slash) return "";
  const std::string ns = key.substr(0, slash), svc = key.substr(slash + 1, colon - slash - 1),
                    port = key.substr(colon + 1);
  for (const auto& tgb : k8s::List<model::k8s::TargetGroupBinding>(*api_, ns)) {
    if (tgb->service_name == svc && tgb->service_port.ToString() == port && !tgb->target_group_arn.empty()) {
      return tgb->target_group_arn;
    }
  }
  return "";
}

std::string World::EventObject(const model::k8s::Event& e) {
  std::string out;
  AppendEventObject(e, &out);
  return out;
}

void World::AppendEventObject(const model::k8s::Event& e, std::string* out) {
  const model::k8s::ObjectReference& o = e.involved_object;
  out->reserve(out->size() + o.kind.size() + o.namespace_.size() + o.name.size() + 2);
  out->append(o.kind).push_back('/');
  if (!o.namespace_.empty()) out->append(o.namespace_).push_back('/');
  out->append(o.name);
}

const std::vector<World::StoredEvent>& World::SortedEvents() const {
  // Every write bumps the resourceVersion: an unchanged one means the same Events.
  const int64_t rv = api_->resource_version();
  if (rv == sorted_events_rv_) return sorted_events_;
  std::vector<StoredEvent> out;
  const auto events = k8s::List<model::k8s::Event>(*api_);
  out.reserve(events.size());
  for (const auto& e : events) out.push_back(StoredEvent{StrCat({e->metadata.namespace_, "/", e->metadata.name}), e});
  SortByTime(&out);
  sorted_events_ = std::move(out);
  sorted_events_rv_ = rv;
  return sorted_events_;
}

void World::ForgetSortedEvents() const {
  sorted_events_ = {};
  sorted_events_rv_ = -1;
}

void World::SortByTime(std::vector<StoredEvent>* events) {
  std::vector<StoredEvent>& out = *events;
  // Stable by time (lastTimestamp), so List order stays among equal times. Sorted as (time, List
  // position) pairs with the time's first bytes inline (RFC 3339 times of one form order as text):
  // comparing them reads no Event, and an order of positions is applied once at the end.
  struct Key {
    std::array<char, 24> head{};  // the time's first 24 bytes, zero-padded
    uint32_t pos = 0;
  };
  std::vector<Key> keys(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    const std::string& t = out[i].event->last_timestamp;
    std::memcpy(keys[i].head.data(), t.data(), std::min(t.size(), keys[i].head.size()));
    keys[i].pos = static_cast<uint32_t>(i);
  }
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    if (const int c = std::memcmp(a.head.data(), b.head.data(), a.head.size()); c != 0) return c < 0;
    const std::string& ta = out[a.pos].event->last_timestamp;  // equal heads: the rest decides, then the position
    const std::string& tb = out[b.pos].event->last_timestamp;
    if ((ta.size() > a.head.size() || tb.size() > b.head.size()) && ta != tb) return ta < tb;
    return a.pos < b.pos;
  });
  std::vector<StoredEvent> sorted;
  sorted.reserve(out.size());
  for (const Key& k : keys) sorted.push_back(std::move(out[k.pos]));
  out = std::move(sorted);
}

std::vector<EventRecord> World::Events(const EventFilter& keep) const {
  SortedEvents();  // taken again if anything was written since
  std::vector<EventRecord> out;
  if (!keep) out.reserve(sorted_events_.size());
  for (StoredEvent& s : sorted_events_) {
    const model::k8s::Event& e = *s.event;
    if (keep && !keep(s.name, e.count)) continue;
    EventRecord& r = out.emplace_back();
    // All of them: the records take the names, and the kept list goes (it is taken again when
    // asked for): a 10x run's Events are not held twice.
    r.name = keep ? s.name : std::move(s.name);
    r.time = e.last_timestamp;
    r.object = EventObject(e);
    r.type = e.type;
    r.reason = e.reason;
    r.message = e.message;
    r.count = e.count;
    r.component = e.source_component;
  }
  if (!keep) ForgetSortedEvents();
  return out;
}

traffic::WorldView World::BuildView() const {
  traffic::WorldView v;
  v.enforce_target_security_groups = true;
  v.region = scenario_.world.region;
  v.vpc_cidr = scenario_.world.vpc_cidr;
  const auto& elbv2 = aws_->elbv2();
  auto snap = elbv2.Snapshot();
  for (const auto& lb : snap.load_balancers) {
    traffic::LoadBalancerView lv;
    lv.lb = *elbv2.LoadBalancerForSim(lb.load_balancer_arn);  // state as of now
    auto tags = snap.tags.find(lb.load_balancer_arn);
    if (tags != snap.tags.end()) {
      for (const auto& t : tags->second) {
        if (t.key == "ingress.k8s.aws/stack") lv.owner = "Ingress group " + t.value;
      }
    }
    for (const auto& l : elbv2.ListenersForSim(lb.load_balancer_arn)) {
      traffic::ListenerView lis;
      lis.listener = l;
      for (const auto& r : elbv2.RulesForSim(l.listener_arn)) {
        if (!r.is_default) lis.rules.push_back(r);
      }
      lis.certificates = l.certificates;
      lv.listeners.push_back(std::move(lis));
    }
    std::sort(lv.listeners.begin(), lv.listeners.end(), [](const auto& a, const auto& b) {
      return a.listener.port.value_or(0) < b.listener.port.value_or(0);
    });
    v.load_balancers.push_back(std::move(lv));
  }
  for (const auto& tg : snap.target_groups) {
    traffic::TargetGroupView tv;
    tv.tg = tg;
    auto attrs = snap.target_group_attributes.find(tg.target_group_arn);
    if (attrs != snap.target_group_attributes.end()) {
      for (const auto& a : attrs->second) tv.attributes[a.key] = a.value;
    }
    for (const auto& t : elbv2.TargetsForSim(tg.target_group_arn)) tv.targets.push_back({t.target, t.health});
    v.target_groups[tg.target_group_arn] = std::move(tv);
  }
  for (const auto& tgb : k8s::List<model::k8s::TargetGroupBinding>(*api_)) {
    auto it = v.target_groups.find(tgb->target_group_arn);
    if (it == v.target_groups.end()) continue;
    it->second.service_namespace = tgb->metadata.namespace_;
    it->second.service_name = tgb->service_name;
    it->second.service_port = tgb->service_port.ToString();
  }
  for (const auto& sg : aws_->ec2().SecurityGroupsForSim()) v.security_groups[sg.group_id] = sg;
  for (const auto& node : k8s::List<model::k8s::Node>(*api_)) {
    traffic::NodeView nv;
    nv.name = node->metadata.name;
    nv.ip = node->InternalIP();
    nv.ready = node->Ready();
    auto zone = node->metadata.labels.find("topology.kubernetes.io/zone");
    if (zone != node->metadata.labels.end()) nv.az = zone->second;
    auto ct = node->metadata.labels.find("eks.amazonaws.com/compute-type");
    nv.fargate = ct != node->metadata.labels.end() && ct->second == "fargate";
    if (nv.fargate) nv.security_groups = {cluster_sg_.group_id};  // its pod's ENI (see Setup)
    auto inst = instance_of_node_.find(nv.name);
    if (inst != instance_of_node_.end()) {
      nv.instance_id = inst->second;
      if (auto ec2_inst = aws_->ec2().InstanceForSim(nv.instance_id)) {
        for (const auto& g : ec2_inst->security_groups) nv.security_groups.push_back(g.group_id);
      }
      v.nodes_by_instance[nv.instance_id] = nv;
    }
    v.nodes_by_name[nv.name] = nv;
  }
  std::map<std::string, std::shared_ptr<const model::k8s::Service>> services;
  for (const auto& svc : k8s::List<model::k8s::Service>(*api_)) {
    traffic::ServiceView sv;
    sv.namespace_ = svc->metadata.namespace_;
    sv.name = svc->metadata.name;
    sv.type = svc->type;
    if (!svc->external_traffic_policy.empty()) sv.external_traffic_policy = svc->external_traffic_policy;
    for (const auto& p : svc->ports) sv.ports.push_back({p.name, p.port, p.node_port, p.target_port.ToString()});
    v.services[sv.namespace_ + "/" + sv.name] = std::move(sv);
  }
  for (const auto& slice : k8s::List<model::k8s::EndpointSlice>(*api_)) {
    auto owner = slice->metadata.labels.find(model::k8s::kLabelServiceName);
    if (owner == slice->metadata.labels.end()) continue;
    auto it = v.services.find(slice->metadata.namespace_ + "/" + owner->second);
    if (it == v.services.end()) continue;
    for (const auto& port : slice->ports) {
      auto& eps = it->second.endpoints[port.name.value_or("")];
      for (const auto& ep : slice->endpoints) {
        for (const auto& addr : ep.addresses) {
          traffic::EndpointView e;
          e.pod_namespace = ep.target_namespace;
          e.pod_name = ep.target_name;
          e.ip = addr;
          e.node_name = ep.node_name;
          e.port = port.port.value_or(0);
          e.ready = ep.conditions.ready.value_or(false);
          e.serving = ep.conditions.serving.value_or(e.ready);
          e.terminating = ep.conditions.terminating.value_or(false);
          eps.push_back(e);
        }
      }
    }
  }
  for (const auto& pod : k8s::List<model::k8s::Pod>(*api_)) {
    if (pod->pod_ip.empty()) continue;
    traffic::PodView pv;
    pv.namespace_ = pod->metadata.namespace_;
    pv.name = pod->metadata.name;
    pv.ip = pod->pod_ip;
    pv.node_name = pod->spec.node_name;
    pv.phase = pod->phase;
    pv.ready = pod->Ready();
    const auto* cr = pod->Condition("ContainersReady");
    pv.containers_ready = cr && cr->status == "True";
    for (const auto& c : pod->spec.containers) {
      for (const auto& p : c.ports) pv.container_ports.push_back(p.container_port);
    }
    v.pods_by_ip[pv.ip] = std::move(pv);
  }
  for (const auto& c : scenario_.world.certificates) v.certificates.push_back({c.arn, c.domain, c.sans});
  return v;
}

std::string World::KubernetesJson() const { return k8s::EncodeJsonList(api_->ListAll()); }

}  // namespace sim::scenario
