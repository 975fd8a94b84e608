#include "sim/scenario/hosts.h"

#include <algorithm>
#include <set>

#include "sim/aws/fake_aws.h"
#include "sim/base/crypto.h"
#include "sim/controller/controller_config.h"
#include "sim/controller/group_controller.h"
#include "sim/controller/model_builder.h"
#include "sim/controller/targetgroupbinding_controller.h"
#include "sim/k8s/builtin_controllers.h"
#include "sim/k8s/fake_api_server.h"

namespace sim::scenario {

// ---------------------------------------------------------------- cluster

struct ClusterHost::Impl {
  const Scenario& scenario;
  const SimClock& clock;
  EventQueue& queue;
  k8s::FakeApiServer& api;
  aws::FakeAws& aws;
  const std::map<std::string, std::string>& instance_of_node;
  std::unique_ptr<k8s::BuiltinControllers> builtins;
};

ClusterHost::ClusterHost(const Scenario& scenario, const SimClock& clock, EventQueue& queue, k8s::FakeApiServer& api,
                         aws::FakeAws& aws, const std::map<std::string, std::string>& instance_of_node)
    : impl_(new Impl{scenario, clock, queue, api, aws, instance_of_node, nullptr}) {}
ClusterHost::~ClusterHost() = default;

Status ClusterHost::Start() {
  const WorldSpec& w = impl_->scenario.world;
  k8s::BuiltinControllersOptions opts;
  opts.region = w.region;
  opts.max_pods_per_node = static_cast<int>(w.max_pods_per_node);
  impl_->builtins = std::make_unique<k8s::BuiltinControllers>(impl_->api, impl_->queue, opts);
  std::map<std::string, std::string> cidr_of_subnet;
  for (const auto& s : w.subnets) cidr_of_subnet[s.id] = s.cidr;
  for (const auto& n : w.nodes) {
    k8s::Ec2NodeSpec spec;
    spec.name = n.name;
    spec.az = n.az;
    spec.ip = n.ip;
    spec.region = w.region;
    spec.instance_id = impl_->instance_of_node.at(n.name);
    spec.instance_type = n.instance_type;
    spec.labels = n.labels;
    auto r = impl_->builtins->AddEc2Node(spec, cidr_of_subnet[n.subnet_id]);
    if (!r.ok()) return Wrap(r.error(), n.loc.ToString() + ": node " + n.name);
  }
  for (const auto& fp : w.fargate_profiles) {
    k8s::FargateProfile profile;
    profile.name = fp.name;
    profile.namespace_ = fp.namespace_;
    profile.labels = fp.labels;
    std::set<std::string> azs;
    for (const auto& s : w.subnets) {
      if (!s.is_public && azs.insert(s.az).second) profile.subnets.push_back({s.az, s.cidr});
    }
    impl_->builtins->AddFargateProfile(profile);
  }
  return OkStatus();
}

// ---------------------------------------------------------------- the controller

namespace {

// ACM stand-in for certificate discovery: the scenario's world.certificates (upstream
// pkg/ingress/cert_discovery.go matches each TLS host against every ISSUED certificate's domain
// names: exact, or a wildcard covering exactly one label).
class ScenarioCertDiscovery final : public controller::CertDiscovery {
 public:
  explicit ScenarioCertDiscovery(const std::vector<CertificateSpec>& certs) : certs_(certs) {}
  Result<std::vector<std::string>> Discover(const std::vector<std::string>& tls_hosts,
                                            const std::map<std::string, std::string>&) override {
    std::set<std::string> arns;
    for (const auto& host : tls_hosts) {
      bool found = false;
      for (const auto& c : certs_) {
        std::vector<std::string> names = c.sans;
        names.insert(names.begin(), c.domain);
        for (const auto& d : names) {
          if (Covers(d, host)) {
            arns.insert(c.arn);
            found = true;
          }
        }
      }
      if (!found) return MakeError(ErrorCode::kNotFound, "no certificate found for host: " + host);
    }
    return std::vector<std::string>(arns.begin(), arns.end());
  }

 private:
  static bool Covers(const std::string& domain, const std::string& host) {
    if (domain == host) return true;
    if (domain.rfind("*.", 0) == 0) {
      auto dot = host.find('.');
      return dot != std::string::npos && host.substr(dot) == domain.substr(1);
    }
    return false;
  }
  const std::vector<CertificateSpec>& certs_;
};

}  // namespace

controller::ControllerConfig ControllerConfigFor(const Scenario& sc) {
  controller::ControllerConfig c;
  const ControllerSpec& s = sc.controller;
  c.cluster_name = sc.world.cluster_name;
  c.vpc_id = sc.world.vpc_id;
  c.ingress_class = s.ingress_class;
  c.default_tags = s.default_tags;
  c.external_managed_tags = s.external_managed_tags;
  c.default_target_type = s.default_target_type;
  c.default_load_balancer_scheme = s.default_load_balancer_scheme;
  c.default_ssl_policy = s.default_ssl_policy;
  c.enable_backend_security_group = s.enable_backend_sg;
  c.backend_security_group = s.backend_security_group;
  c.enable_manage_backend_security_group_rules = s.enable_manage_backend_sg_rules;
  c.disable_restricted_sg_rules = s.disable_restricted_sg_rules;
  c.enable_endpoint_slices = s.enable_endpoint_slices;
  c.enable_pod_readiness_gate_inject = s.enable_pod_readiness_gate_inject;
  c.tolerate_non_existent_backend_service = s.tolerate_non_existent_backend_service;
  c.tolerate_non_existent_backend_action = s.tolerate_non_existent_backend_action;
  c.ingress_max_concurrent_reconciles = s.max_concurrent_reconciles;
  c.sync_period_ms = s.sync_period.count();
  c.lb_stabilization_monitor_interval_ms = s.lb_stabilization_monitor_interval.count();
  c.targetgroupbinding_requeue_duration_ms = s.targetgroupbinding_requeue_duration.count();
  c.max_targets_per_target_group = s.max_targets_per_target_group;
  for (const auto& [gate, on] : s.feature_gates) c.feature_gates.Set(gate, on);
  return c;
}

namespace {

// "subnets of GROUP (HOW): chose A, B; rejected C (REASON), ..." when the build that just ran
// resolved subnets (`before` = the resolver's count before it) and rejected some candidate or
// found none; "" otherwise.
std::string SubnetNote(const controller::GroupID& group, const controller::SubnetsResolver& resolver, uint64_t before) {
  const auto* aws_resolver = dynamic_cast<const controller::AwsSubnetsResolver*>(&resolver);
  if (aws_resolver == nullptr || aws_resolver->resolutions() == before) return "";
  const controller::SubnetResolution& r = aws_resolver->last_resolution();
  const std::string head = "subnets of " + group.String() + (r.how.empty() ? "" : " (" + r.how + ")") + ": ";
  if (r.candidates.empty() && r.chosen.empty()) return head + "no candidate subnet found";
  if (r.rejected.empty()) return "";
  std::string note = head + "chose ";
  for (size_t i = 0; i < r.chosen.size(); ++i) note += (i ? ", " : "") + r.chosen[i];
  if (r.chosen.empty()) note += "none";
  note += "; rejected ";
  for (size_t i = 0; i < r.rejected.size(); ++i) {
    note += (i ? ", " : "") + r.rejected[i].subnet_id + " (" + r.rejected[i].reason + ")";
  }
  return note;
}

uint64_t SubnetResolutions(const controller::SubnetsResolver& resolver) {
  const auto* aws_resolver = dynamic_cast<const controller::AwsSubnetsResolver*>(&resolver);
  return aws_resolver == nullptr ? 0 : aws_resolver->resolutions();
}

}  // namespace

controller::ModelBuilderFactory MakeModelBuilderFactory(const Scenario& sc, NoteSink notes) {
  const std::vector<CertificateSpec>* certs = &sc.world.certificates;
  return [certs, notes](controller::ModelBuilderServices& s) -> controller::BuildModelFn {
    struct Owned {
      controller::DefaultSecurityGroupResolver sg;
      controller::DefaultTargetGroupARNMapper tg;
      ScenarioCertDiscovery certs;
      std::unique_ptr<controller::ModelBuilder> builder;
      std::string last_subnet_note;
    };
    auto owned = std::make_shared<Owned>(Owned{controller::DefaultSecurityGroupResolver(s.describe_security_groups, s.config.vpc_id),
                                               controller::DefaultTargetGroupARNMapper(s.describe_target_groups),
                                               ScenarioCertDiscovery(*certs), nullptr, ""});
    controller::ModelBuilderDeps d;
    d.kube = &s.kube;
    d.subnets_resolver = &s.subnets_resolver;
    d.list_load_balancers = s.list_load_balancers;
    d.backend_sg_provider = &s.backend_sg_provider;
    d.sg_resolver = &owned->sg;
    d.tg_arn_mapper = &owned->tg;
    d.cert_discovery = &owned->certs;
    owned->builder = std::make_unique<controller::ModelBuilder>(s.config, d);
    controller::SubnetsResolver* resolver = &s.subnets_resolver;
    return [owned, resolver, notes](const controller::Group& g) -> Result<controller::BuiltModel> {
      const uint64_t resolutions_before = SubnetResolutions(*resolver);
      auto r = owned->builder->Build(g);
      if (notes) {
        std::string note = SubnetNote(g.id, *resolver, resolutions_before);
        if (!note.empty() && note != owned->last_subnet_note) notes(note);
        owned->last_subnet_note = note;
      }
      if (!r.ok()) return r.error();
      controller::ModelBuildResult built = std::move(r).value();
      controller::BuiltModel m;
      m.stack = std::move(built.stack);
      m.load_balancer_id = built.load_balancer_id.value_or("");
      m.secrets = built.secret_keys;
      m.backend_sg_required = built.backend_sg_allocated;
      m.listener_ports = built.listener_ports;
      return m;
    };
  };
}

namespace {

// The controller process's Kubernetes client. Once the process has died (crash, restart) nothing
// it still has on its stack reaches the API server: writes fail, events are dropped.
class ProcessKubeClient final : public k8s::KubeApi {
 public:
  explicit ProcessKubeClient(k8s::KubeApi& api) : api_(api) {}
  void Kill() { dead_ = true; }

  // KubeApi
  Result<k8s::ObjectPtr> Get(k8s::Kind kind, const std::string& ns, const std::string& name) const override {
    if (dead_) return Dead();
    return api_.Get(kind, ns, name);
  }
  std::vector<k8s::ObjectPtr> List(k8s::Kind kind, const std::string& ns) const override {
    if (dead_) return {};
    return api_.List(kind, ns);
  }
  std::vector<k8s::ObjectPtr> ListMatchingLabels(k8s::Kind kind, const std::string& ns,
                                                 const std::map<std::string, std::string>& labels) const override {
    if (dead_) return {};
    return api_.ListMatchingLabels(kind, ns, labels);
  }
  Result<k8s::ObjectPtr> Create(const k8s::Object& obj) override {
    if (dead_) return Dead();
    return api_.Create(obj);
  }
  Result<k8s::ObjectPtr> Update(const k8s::Object& obj) override {
    if (dead_) return Dead();
    return api_.Update(obj);
  }
  Result<k8s::ObjectPtr> UpdateStatus(const k8s::Object& obj) override {
    if (dead_) return Dead();
    return api_.UpdateStatus(obj);
  }
  Status Delete(k8s::Kind kind, const std::string& ns, const std::string& name) override {
    if (dead_) return Dead();
    return api_.Delete(kind, ns, name);
  }
  WatchId Watch(k8s::Kind kind, WatchFn fn) override { return api_.Watch(kind, std::move(fn)); }
  void Unwatch(WatchId id) override { api_.Unwatch(id); }
  void RecordEvent(const k8s::Object& involved, const std::string& type, const std::string& reason,
                   const std::string& message, const std::string& component) override {
    if (!dead_) api_.RecordEvent(involved, type, reason, message, component);
  }

 private:
  static Error Dead() {
    return MakeError(ErrorCode::kUnavailable, "the controller process is not running", "albtwin.ControllerStopped");
  }
  k8s::KubeApi& api_;
  bool dead_ = false;
};

}  // namespace

// The OIDC issuer of the simulated EKS cluster (deterministic from the cluster name).
std::string ClusterOidcIssuer(const Scenario& sc) {
  std::string id = Sha256Hex("oidc/" + sc.world.cluster_name).substr(0, 32);
  for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return aws::EksOidcIssuerUrl(sc.world.region, id);
}

std::string NodeRolePrincipal(const Scenario& sc) {
  return "arn:aws:sts::" + sc.world.account_id + ":assumed-role/" + kNodeRoleName + "/i-node";
}

struct ControllerHost::Impl {
  const Scenario& scenario;
  const SimClock& clock;
  EventQueue& queue;
  k8s::FakeApiServer& api;
  aws::FakeAws& aws;
  std::unique_ptr<ProcessKubeClient> kube;
  std::optional<size_t> credential_fault;  // FaultPlan rule failing every call (IRSA broken)
  std::string identity;                    // how the process got its AWS credentials
  std::unique_ptr<controller::GroupController> group;
  std::unique_ptr<controller::TargetGroupBindingController> tgb;
};

ControllerHost::ControllerHost(const Scenario& scenario, const SimClock& clock, EventQueue& queue,
                               k8s::FakeApiServer& api, aws::FakeAws& aws)
    : impl_(new Impl{scenario, clock, queue, api, aws, std::make_unique<ProcessKubeClient>(api), std::nullopt, "", nullptr, nullptr}) {}
ControllerHost::~ControllerHost() { Stop(); }

// The controller pod's AWS credentials, as the AWS SDK's default chain finds them on EKS: the
// pod-identity webhook projects a token and AWS_ROLE_ARN when the pod's ServiceAccount carries
// eks.amazonaws.com/role-arn, and the SDK exchanges it with STS AssumeRoleWithWebIdentity; without
// the annotation the chain falls back to the node's instance role (IMDS). A failed exchange fails
// every AWS call with the STS error (no fallback), as the SDK's web-identity provider does.
aws::CallContext ControllerHost::Credentials() {
  Impl& im = *impl_;
  const Scenario& sc = im.scenario;
  aws::CallContext ctx = aws::ControllerCall();
  if (!im.aws.iam_authorizer()) return ctx;  // IAM not simulated in this world
  const std::string& sa_key = sc.controller.iam.service_account;
  const std::string ns = sa_key.substr(0, sa_key.find('/')), name = sa_key.substr(sa_key.find('/') + 1);
  auto sa = k8s::Get<model::k8s::ServiceAccount>(im.api, ns, name);
  std::string role_arn;
  if (sa.ok()) {
    auto it = sa.value()->metadata.annotations.find("eks.amazonaws.com/role-arn");
    if (it != sa.value()->metadata.annotations.end()) role_arn = it->second;
  }
  if (role_arn.empty()) {
    ctx.principal_arn = NodeRolePrincipal(sc);
    im.identity = std::string("ServiceAccount ") + sa_key +
                  (sa.ok() ? " has no eks.amazonaws.com/role-arn annotation" : " does not exist") +
                  ": the AWS SDK falls back to the node's instance role " + ctx.principal_arn;
    return ctx;
  }
  model::aws::WebIdentityClaims claims{ClusterOidcIssuer(sc), aws::ServiceAccountSubject(ns, name),
                                       "sts.amazonaws.com", im.clock.Now(),
                                       im.clock.Now() + std::chrono::seconds(86400)};
  aws::AssumeRoleWithWebIdentityRequest req{role_arn, "aws-load-balancer-controller",
                                            aws::MintWebIdentityToken(claims), std::nullopt};
  auto creds = im.aws.iam().AssumeRoleWithWebIdentity(ctx, req);
  if (!creds.ok()) {
    aws::FaultRule rule;
    rule.caller = aws::kCallerController;
    rule.error = creds.error().aws_code.empty() ? "AccessDenied" : creds.error().aws_code;
    rule.message = "WebIdentityErr: failed to retrieve credentials, caused by: " + creds.error().aws_code + ": " +
                   creds.error().message;
    rule.times = -1;
    im.credential_fault = im.aws.faults().Add(rule);
    im.identity = "STS AssumeRoleWithWebIdentity for " + role_arn + " failed: " + creds.error().ToString();
    return ctx;
  }
  ctx.principal_arn = creds.value().assumed_role_user.arn;
  im.identity = "IRSA: " + sa_key + " → " + role_arn + " → " + ctx.principal_arn;
  return ctx;
}

std::string ControllerHost::Identity() const { return impl_->identity; }

bool ControllerHost::Failing() const {
  return (impl_->group && !impl_->group->last_errors().empty()) || (impl_->tgb && !impl_->tgb->last_errors().empty());
}

Status ControllerHost::Start() {
  Impl& im = *impl_;
  const Scenario& sc = im.scenario;
  EventQueue& queue = im.queue;
  const SimClock& clock = im.clock;
  const aws::CallContext call_context = Credentials();
  controller::GroupControllerDeps deps{queue, *im.kube, im.aws.elbv2(), im.aws.ec2(), nullptr, nullptr, nullptr};
  // Waits inside a reconcile let the rest of the world run (nested event processing).
  deps.sleep = [&queue, &clock](SimTime d) { queue.RunUntil(clock.Now() + d); };
  deps.model_builder_factory = MakeModelBuilderFactory(sc, [this](const std::string& n) {
    if (notes) notes(n);
  });
  deps.call_context = call_context;
  im.group = std::make_unique<controller::GroupController>(std::move(deps), ControllerConfigFor(sc));
  controller::TargetGroupBindingControllerDeps tdeps{queue, *im.kube, im.aws.elbv2(), im.aws.ec2(), nullptr};
  tdeps.sleep = [&queue, &clock](SimTime d) { queue.RunUntil(clock.Now() + d); };
  tdeps.seed = sc.seed;
  tdeps.call_context = call_context;
  im.tgb = std::make_unique<controller::TargetGroupBindingController>(std::move(tdeps), ControllerConfigFor(sc));
  im.group->Start();
  im.tgb->Start();
  return OkStatus();
}

void ControllerHost::Stop() {
  if (impl_ && impl_->kube) impl_->kube->Kill();
  if (impl_ && impl_->credential_fault) {
    impl_->aws.faults().Disable(*impl_->credential_fault);
    impl_->credential_fault.reset();
  }
  if (impl_ && impl_->group) impl_->group->Stop();
  if (impl_ && impl_->tgb) impl_->tgb->Stop();
}

std::string ControllerHost::PendingWork() const {
  std::string out;
  if (impl_->group) {
    for (const auto& [key, err] : impl_->group->last_errors()) {
      if (!err.empty()) out += (out.empty() ? "" : "; ") + key + ": " + err;
    }
  }
  if (impl_->tgb) {
    for (const auto& [key, err] : impl_->tgb->last_errors()) {
      if (!err.empty()) out += std::string(out.empty() ? "" : "; ") + "TargetGroupBinding " + key + ": " + err;
    }
  }
  return out.empty() ? "controller: no failing group" : "controller: " + out;
}

}  // namespace sim::scenario
