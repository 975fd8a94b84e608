// Mirrors upstream controllers/ingress/group_controller.go, controllers/ingress/eventhandlers/*.go,
// pkg/ingress/finalizer.go, pkg/k8s/finalizer.go and reference_indexer.go (service refs).
#include "sim/controller/group_controller.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <nlohmann/json.hpp>

#include "sim/base/log.h"
#include "sim/controller/annotation_parser.h"
#include "sim/controller/class_loader.h"
#include "sim/controller/group_loader.h"
#include "sim/controller/model_builder.h"
#include "sim/controller/stack_deployer.h"
#include "sim/controller/stack_marshaller.h"
#include "sim/k8s/codec.h"

namespace sim::controller {

namespace mk = model::k8s;
namespace ms = model::stack;

namespace {

constexpr char kComponent[] = "ingress";

// Event reasons (upstream pkg/k8s/events.go).
constexpr char kReasonFailedAddFinalizer[] = "FailedAddFinalizer";
constexpr char kReasonFailedRemoveFinalizer[] = "FailedRemoveFinalizer";
constexpr char kReasonFailedUpdateStatus[] = "FailedUpdateStatus";
constexpr char kReasonFailedBuildModel[] = "FailedBuildModel";
constexpr char kReasonFailedDeployModel[] = "FailedDeployModel";
constexpr char kReasonFailedLoadGroupID[] = "FailedLoadGroupID";
constexpr char kReasonSuccessfullyReconciled[] = "SuccessfullyReconciled";

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool HasFinalizer(const mk::Object& obj, const std::string& f) {
  const auto& fs = obj.metadata.finalizers;
  return std::find(fs.begin(), fs.end(), f) != fs.end();
}

// equality.Semantic.DeepEqual(old.Spec, new.Spec) of the "spec changed" filters: everything but
// metadata and status compared (as fingerprints, without building JSON).
bool SameSpec(const mk::Object& a, const mk::Object& b) {
  return k8s::EncodeSpecFingerprint(a) == k8s::EncodeSpecFingerprint(b);
}

bool IsDeleting(const mk::Object& obj) { return obj.metadata.deletion_timestamp.has_value(); }

// upstream isIngressStatusEqual.
bool IsIngressStatusEqual(const std::vector<mk::IngressLoadBalancerIngress>& a,
                          const std::vector<mk::IngressLoadBalancerIngress>& b) {
  if (a.size() != b.size()) return false;
  auto to_map = [](const std::vector<mk::IngressLoadBalancerIngress>& v) {
    std::map<std::string, std::set<int32_t>> m;
    for (const auto& e : v) {
      if (e.hostname.empty()) continue;
      std::set<int32_t> ports;
      for (const auto& p : e.ports) ports.insert(p.port);
      m[e.hostname] = ports;
    }
    return m;
  };
  return to_map(a) == to_map(b);
}

}  // namespace

GroupID DecodeGroupIDKey(const std::string& key) {
  auto slash = key.find('/');
  if (slash == std::string::npos) return GroupID::Explicit(key);
  return GroupID::Implicit(key.substr(0, slash), key.substr(slash + 1));
}

std::vector<std::string> DefaultServiceRefIndexes(const mk::Ingress& ing, const std::string& annotation_prefix) {
  std::vector<const mk::IngressBackend*> backends;
  if (ing.default_backend) backends.push_back(&*ing.default_backend);
  for (const auto& rule : ing.rules) {
    for (const auto& path : rule.paths) backends.push_back(&path.backend);
  }
  std::set<std::string> names;
  for (const mk::IngressBackend* b : backends) {
    if (!b->service) continue;
    if (b->service->port.name != "use-annotation") {
      names.insert(b->service->name);
      continue;
    }
    auto it = ing.metadata.annotations.find(annotation_prefix + "/actions." + b->service->name);
    if (it == ing.metadata.annotations.end()) continue;
    nlohmann::json j = nlohmann::json::parse(it->second, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) continue;
    if (j.value("type", std::string()) != "forward") continue;
    auto fc = j.find("forwardConfig");
    if (fc == j.end() || !fc->is_object()) continue;
    auto tgs = fc->find("targetGroups");
    if (tgs == fc->end() || !tgs->is_array()) continue;
    for (const auto& tgt : *tgs) {
      if (tgt.is_object() && tgt.contains("serviceName") && tgt["serviceName"].is_string()) {
        names.insert(tgt["serviceName"].get<std::string>());
      }
    }
  }
  return {names.begin(), names.end()};
}

ModelBuilderFactory DefaultModelBuilderFactory() {
  return [](ModelBuilderServices& services) -> BuildModelFn {
    struct Holder {
      DefaultSecurityGroupResolver sg_resolver;
      DefaultTargetGroupARNMapper tg_arn_mapper;
      std::unique_ptr<ModelBuilder> builder;
    };
    auto holder = std::make_shared<Holder>(Holder{
        DefaultSecurityGroupResolver(services.describe_security_groups, services.config.vpc_id),
        DefaultTargetGroupARNMapper(services.describe_target_groups), nullptr});
    ModelBuilderDeps mdeps;
    mdeps.kube = &services.kube;
    mdeps.subnets_resolver = &services.subnets_resolver;
    mdeps.list_load_balancers = services.list_load_balancers;
    mdeps.backend_sg_provider = &services.backend_sg_provider;
    mdeps.sg_resolver = &holder->sg_resolver;
    mdeps.tg_arn_mapper = &holder->tg_arn_mapper;
    holder->builder = std::make_unique<ModelBuilder>(services.config, mdeps);
    return [holder](const Group& group) -> Result<BuiltModel> {
      SIM_ASSIGN_OR_RETURN(ModelBuildResult r, holder->builder->Build(group));
      BuiltModel out;
      out.stack = std::move(r.stack);
      out.load_balancer_id = r.load_balancer_id.value_or("");
      out.secrets = r.secret_keys;
      out.backend_sg_required = r.backend_sg_allocated;
      out.listener_ports = r.listener_ports;
      return out;
    };
  };
}

// ------------------------------------------------------------------------------ instance

struct GroupController::Instance {
  Instance(GroupController& owner, const GroupControllerDeps& d, const ControllerConfig& config)
      : deps(d),
        config(config),
        last_errors(owner.last_errors_),
        deploy_deps{d.elbv2, d.ec2, d.kube, d.events.clock(), d.sleep, d.call_context, &stopped},
        deployer(deploy_deps, MakeDeployConfig(config)),
        subnets(deploy_deps, AwsSubnetsResolverOptions{config.vpc_id, config.cluster_name,
                                                       config.feature_gates.subnets_cluster_tag_check,
                                                       config.feature_gates.alb_single_subnet,
                                                       config.feature_gates.subnet_discovery_by_reachability, 8}),
        backend_sg(deploy_deps, config.cluster_name, config.backend_security_group, config.vpc_id, config.default_tags),
        annotation_parser(config.annotation_prefix),
        class_loader(d.kube, true),
        class_matcher(config.ingress_class),
        group_loader(d.kube, annotation_parser, class_loader, class_matcher, config.ingress_class.empty()),
        loop(d.events, [this](const std::string& key) { return Reconcile(DecodeGroupIDKey(key)); }) {}

  static DeployConfig MakeDeployConfig(const ControllerConfig& c) {
    DeployConfig dc;
    dc.cluster_name = c.cluster_name;
    dc.vpc_id = c.vpc_id;
    dc.external_managed_tags = c.external_managed_tags;
    dc.default_tags = c.default_tags;
    dc.feature_gates.weighted_target_groups = c.feature_gates.weighted_target_groups;
    dc.feature_gates.listener_rules_tagging = c.feature_gates.listener_rules_tagging;
    dc.feature_gates.lb_capacity_reservation = c.feature_gates.lb_capacity_reservation;
    dc.feature_gates.nlb_health_check_advanced_config = c.feature_gates.nlb_health_check_advanced_config;
    dc.feature_gates.enhanced_default_behavior = c.feature_gates.enhanced_default_behavior;
    dc.lb_stabilization_monitor_interval = SimTime(c.lb_stabilization_monitor_interval_ms);
    dc.enable_backend_security_group = c.enable_backend_security_group;
    dc.backend_security_group = c.backend_security_group;
    return dc;
  }

  void RecordGroupEvent(const Group& group, const std::string& type, const std::string& reason,
                        const std::string& message) {
    for (const auto& m : group.members) deps.kube.RecordEvent(*m.ing, type, reason, message, kComponent);
  }

  // pkg/k8s/finalizer.go AddFinalizers / RemoveFinalizers (RetryOnConflict, 4 attempts).
  Status PatchFinalizer(const mk::Ingress& ing, const std::string& finalizer, bool add) {
    Status last = OkStatus();
    for (int attempt = 0; attempt < 4; ++attempt) {
      auto cur = k8s::Get<mk::Ingress>(deps.kube, ing.metadata.namespace_, ing.metadata.name);
      if (!cur.ok()) return cur.error();
      bool has = HasFinalizer(*cur.value(), finalizer);
      if (add == has) return OkStatus();
      auto copy = k8s::MutableCopy(cur.value());
      auto& fs = copy->metadata.finalizers;
      if (add) {
        fs.push_back(finalizer);
      } else {
        fs.erase(std::remove(fs.begin(), fs.end(), finalizer), fs.end());
      }
      auto r = deps.kube.Update(*copy);
      if (r.ok()) return OkStatus();
      last = r.error();
      if (r.error().code != ErrorCode::kConflict) return last;
    }
    return last;
  }

  Status UpdateIngressStatus(const mk::Ingress& ing, const std::string& lb_dns, const std::vector<int32_t>& ports) {
    std::vector<mk::IngressPortStatus> ingress_ports;
    for (int32_t p : ports) {
      mk::IngressPortStatus ps;
      ps.port = p;
      ps.protocol = "";  // upstream sets only Port
      ingress_ports.push_back(ps);
    }
    std::vector<mk::IngressLoadBalancerIngress> desired = ing.status_ingress;
    if (desired.size() != 1 || !desired[0].ip.empty() || desired[0].hostname != lb_dns) {
      mk::IngressLoadBalancerIngress e;
      e.hostname = lb_dns;
      e.ports = ingress_ports;
      desired = {e};
    } else if (!ports.empty()) {
      desired[0].ports = ingress_ports;
    }
    if (IsIngressStatusEqual(ing.status_ingress, desired)) return OkStatus();
    auto cur = k8s::Get<mk::Ingress>(deps.kube, ing.metadata.namespace_, ing.metadata.name);
    Status s = cur.ok() ? OkStatus() : Status(cur.error());
    if (s.ok()) {
      auto copy = k8s::MutableCopy(cur.value());
      copy->status_ingress = desired;
      // Merge patch: the fresh object was read just before, so its resourceVersion is current.
      auto r = deps.kube.UpdateStatus(*copy);
      if (!r.ok()) s = r.error();
    }
    if (!s.ok()) return Wrap(s.error(), "failed to update ingress status: " + NamespacedName(ing));
    return OkStatus();
  }

  void SyncDryRunPlanAnnotation(const Group& group, const std::string& plan_json) {
    const std::string key = config.annotation_prefix + "/" + kDryRunPlanAnnotationSuffix;
    auto patch = [&](const mk::Ingress& ing, const std::optional<std::string>& value) {
      auto it = ing.metadata.annotations.find(key);
      if (value ? (it != ing.metadata.annotations.end() && it->second == *value) : it == ing.metadata.annotations.end()) {
        return;
      }
      auto cur = k8s::Get<mk::Ingress>(deps.kube, ing.metadata.namespace_, ing.metadata.name);
      if (!cur.ok()) return;
      auto copy = k8s::MutableCopy(cur.value());
      if (value) {
        copy->metadata.annotations[key] = *value;
      } else {
        copy->metadata.annotations.erase(key);
      }
      // Merge patch: the fresh object was read just before, so its resourceVersion is current.
      (void)deps.kube.Update(*copy);  // failures are only logged upstream
    };
    if (group.members.empty()) return;
    if (config.feature_gates.ingress_plan_annotation) {
      patch(*group.members[0].ing, plan_json);
      for (size_t i = 1; i < group.members.size(); ++i) patch(*group.members[i].ing, std::nullopt);
    } else {
      for (const auto& m : group.members) patch(*m.ing, std::nullopt);
    }
  }

  ReconcileResult Reconcile(const GroupID& id) {
    ReconcileResult result;
    result.status = DoReconcile(id, &result);
    if (!result.status.ok()) {
      SimTime after;
      if (IsRequeueNeededAfter(result.status.error(), &after)) {
        result.requeue_after = after;
        result.status = OkStatus();
        last_errors->erase(id.String());
        return result;
      }
      (*last_errors)[id.String()] = ErrorText(result.status.error());
      sim::log::Info("controller", deps.events.clock().Now(),
                     "reconcile of ingress group " + id.String() + " failed: " + ErrorText(result.status.error()));
    } else {
      last_errors->erase(id.String());
    }
    return result;
  }

  Status DoReconcile(const GroupID& id, ReconcileResult* result) {
    SIM_ASSIGN_OR_RETURN(Group group, group_loader.Load(id));
    const std::string finalizer = BuildGroupFinalizer(id);
    for (const auto& m : group.members) {
      Status s = PatchFinalizer(*m.ing, finalizer, /*add=*/true);
      if (!s.ok()) {
        RecordGroupEvent(group, "Warning", kReasonFailedAddFinalizer, "Failed add finalizer due to " + ErrorText(s.error()));
        return s;
      }
    }
    // buildAndDeployModel.
    if (!build_model) {
      Error e = MakeError(ErrorCode::kInternal, "no model builder configured");
      RecordGroupEvent(group, "Warning", kReasonFailedBuildModel, "Failed build model due to " + ErrorText(e));
      return e;
    }
    Result<BuiltModel> built = build_model(group);
    if (!built.ok()) {
      RecordGroupEvent(group, "Warning", kReasonFailedBuildModel, "Failed build model due to " + ErrorText(built.error()));
      return built.error();
    }
    BuiltModel& model = built.value();
    if (!model.stack) return MakeError(ErrorCode::kInternal, "model builder returned no stack");
    // upstream marshals the stack for its "successfully built model" log line; here the JSON is
    // built only when something reads it (that log line, or the plan annotation's feature gate).
    const bool log_model = sim::log::Enabled(sim::log::Level::kDebug);
    std::string plan_json;
    if (config.feature_gates.ingress_plan_annotation || log_model) plan_json = MarshalStack(*model.stack);
    if (log_model) sim::log::Debug("controller", deps.events.clock().Now(), "successfully built model " + plan_json);
    SyncDryRunPlanAnnotation(group, plan_json);
    Status deployed = deployer.Deploy(*model.stack);
    if (!deployed.ok()) {
      if (IsRequeueNeededAfter(deployed.error())) return deployed;
      RecordGroupEvent(group, "Warning", kReasonFailedDeployModel, "Failed deploy model due to " + ErrorText(deployed.error()));
      return deployed;
    }
    sim::log::Info("controller", deps.events.clock().Now(), "successfully deployed model for ingress group " + id.String());
    std::vector<std::string> inactive;
    for (const auto& ing : group.inactive_members) inactive.push_back(NamespacedName(*ing));
    if (!model.backend_sg_required) {
      for (const auto& m : group.members) inactive.push_back(NamespacedName(*m.ing));
    }
    SIM_RETURN_IF_ERROR(backend_sg.Release(kResourceTypeIngress, inactive));

    const ms::LoadBalancer* lb = model.load_balancer_id.empty() ? nullptr
                                                                 : model.stack->Find<ms::LoadBalancer>(model.load_balancer_id);
    if (!group.members.empty() && lb != nullptr) {
      Status status_err = OkStatus();
      std::string dns, error;
      if (!model.stack->ResolveToken(lb->DNSName(), &dns, &error)) {
        status_err = MakeError(ErrorCode::kInternal, error);
      } else {
        const std::string lb_dns = Lower(dns);
        for (const auto& m : group.members) {
          status_err = UpdateIngressStatus(*m.ing, lb_dns, model.listener_ports);
          if (!status_err.ok()) break;
        }
        if (!status_err.ok()) {
          RecordGroupEvent(group, "Warning", kReasonFailedUpdateStatus,
                           "Failed update status due to " + ErrorText(status_err.error()));
        }
      }
      if (!status_err.ok()) return status_err;
    }
    if (!group.inactive_members.empty()) {
      for (const auto& ing : group.inactive_members) {
        Status s = PatchFinalizer(*ing, finalizer, /*add=*/false);
        if (!s.ok()) {
          RecordGroupEvent(group, "Warning", kReasonFailedRemoveFinalizer,
                           "Failed remove finalizer due to " + ErrorText(s.error()));
          return s;
        }
      }
    }
    RecordGroupEvent(group, "Normal", kReasonSuccessfullyReconciled, "Successfully reconciled");
    (void)result;
    return OkStatus();
  }

  // ---------------------------------------------------------------- event handlers

  void EnqueueIfBelongsToGroup(const IngressPtr& ing) {
    std::set<GroupID> ids;
    for (const GroupID& id : group_loader.LoadGroupIDsPendingFinalization(*ing)) ids.insert(id);
    auto gid = group_loader.LoadGroupIDIfAny(ing);
    if (!gid.ok()) {
      deps.kube.RecordEvent(*ing, "Warning", kReasonFailedLoadGroupID,
                            "failed load groupID due to " + ErrorText(gid.error()), kComponent);
    } else if (gid.value()) {
      ids.insert(*gid.value());
    }
    for (const GroupID& id : ids) loop.Enqueue(id.String());
  }

  void OnIngress(const k8s::WatchEvent& ev) {
    auto ing = mk::As<mk::Ingress>(ev.object);
    if (!ing) return;
    if (ev.type == k8s::WatchEventType::kDeleted) return;
    if (ev.type == k8s::WatchEventType::kModified && ev.old_object) {
      const mk::Object& o = *ev.old_object;
      if (o.metadata.resource_version != ing->metadata.resource_version &&
          o.metadata.annotations == ing->metadata.annotations && SameSpec(o, *ing) &&
          IsDeleting(o) == IsDeleting(*ing)) {
        return;
      }
    }
    EnqueueIfBelongsToGroup(ing);
  }

  void EnqueueIngressesOfService(const mk::Service& svc) {
    for (const auto& ing : k8s::List<mk::Ingress>(deps.kube, svc.metadata.namespace_)) {
      std::vector<std::string> refs = deps.service_refs ? deps.service_refs(*ing)
                                                        : DefaultServiceRefIndexes(*ing, config.annotation_prefix);
      if (std::find(refs.begin(), refs.end(), svc.metadata.name) != refs.end()) EnqueueIfBelongsToGroup(ing);
    }
  }

  void OnService(const k8s::WatchEvent& ev) {
    auto svc = mk::As<mk::Service>(ev.object);
    if (!svc) return;
    if (ev.type == k8s::WatchEventType::kModified && ev.old_object) {
      const mk::Object& o = *ev.old_object;
      if (o.metadata.annotations == svc->metadata.annotations && SameSpec(o, *svc) &&
          IsDeleting(o) == IsDeleting(*svc)) {
        return;
      }
    }
    EnqueueIngressesOfService(*svc);
  }

  void EnqueueIngressesOfClass(const std::string& class_name) {
    for (const auto& ing : k8s::List<mk::Ingress>(deps.kube)) {
      if (ing->ingress_class_name && *ing->ingress_class_name == class_name) EnqueueIfBelongsToGroup(ing);
    }
  }

  void OnIngressClass(const k8s::WatchEvent& ev) {
    auto cls = mk::As<mk::IngressClass>(ev.object);
    if (!cls) return;
    if (ev.type == k8s::WatchEventType::kModified && ev.old_object) {
      const mk::Object& o = *ev.old_object;
      if (SameSpec(o, *cls) && IsDeleting(o) == IsDeleting(*cls)) return;
    }
    EnqueueIngressesOfClass(cls->metadata.name);
  }

  void OnIngressClassParams(const k8s::WatchEvent& ev) {
    auto params = mk::As<mk::IngressClassParams>(ev.object);
    if (!params) return;
    if (ev.type == k8s::WatchEventType::kModified && ev.old_object) {
      const mk::Object& o = *ev.old_object;
      if (SameSpec(o, *params) && IsDeleting(o) == IsDeleting(*params)) return;
    }
    for (const auto& cls : k8s::List<mk::IngressClass>(deps.kube)) {
      if (cls->controller != kIngressClassControllerALB || !cls->parameters) continue;
      const auto& p = *cls->parameters;
      if (!p.api_group || *p.api_group != "elbv2.k8s.aws" || p.kind != "IngressClassParams") continue;
      if (p.name == params->metadata.name) EnqueueIngressesOfClass(cls->metadata.name);
    }
  }

  void Resync() {
    for (const auto& ing : k8s::List<mk::Ingress>(deps.kube)) EnqueueIfBelongsToGroup(ing);
  }

  GroupControllerDeps deps;
  const ControllerConfig config;  // a copy: the instance may outlive its controller object
  std::shared_ptr<std::map<std::string, std::string>> last_errors;
  bool stopped = false;
  DeployDeps deploy_deps;
  StackDeployer deployer;
  AwsSubnetsResolver subnets;
  AwsBackendSGProvider backend_sg;
  AnnotationParser annotation_parser;
  ClassLoader class_loader;
  ClassAnnotationMatcher class_matcher;
  GroupLoader group_loader;
  BuildModelFn build_model;
  ReconcileLoop loop;
  std::vector<k8s::KubeApi::WatchId> watches;
  std::optional<EventQueue::Handle> resync_timer;
};

// ------------------------------------------------------------------------------ controller

GroupController::GroupController(GroupControllerDeps deps, ControllerConfig config)
    : deps_(std::move(deps)), config_(std::move(config)) {}

GroupController::~GroupController() { Stop(); }

void GroupController::Start() {
  if (instance_) Stop();
  auto inst = std::make_shared<Instance>(*this, deps_, config_);
  std::weak_ptr<Instance> weak = inst;
  inst->loop.SetKeepAlive([weak]() -> std::shared_ptr<void> { return weak.lock(); });
  if (deps_.model_builder_factory) {
    Instance* raw = inst.get();
    ModelBuilderServices services{
        config_,
        deps_.kube,
        deps_.elbv2,
        deps_.ec2,
        raw->subnets,
        raw->backend_sg,
        [raw](const std::map<std::string, std::string>& stack_tags) -> Result<std::vector<ExistingLoadBalancer>> {
          SIM_ASSIGN_OR_RETURN(auto lbs, raw->deployer.elbv2_tagging().ListLoadBalancers({TagsAsTagFilter(stack_tags)}));
          std::vector<ExistingLoadBalancer> out;
          for (auto& lb : lbs) out.push_back(ExistingLoadBalancer{lb.load_balancer, lb.tags});
          return out;
        },
        [raw](const aws::DescribeSecurityGroupsRequest& req) -> Result<std::vector<model::aws::SecurityGroup>> {
          auto r = raw->deps.ec2.DescribeSecurityGroups(raw->deps.call_context, req);
          if (!r.ok()) return Ec2Error("DescribeSecurityGroups", r.error());
          return r.value();
        },
        [raw](const aws::DescribeTargetGroupsRequest& req) -> Result<std::vector<model::aws::TargetGroup>> {
          auto r = raw->deps.elbv2.DescribeTargetGroups(raw->deps.call_context, req);
          if (!r.ok()) return Elbv2Error("DescribeTargetGroups", r.error());
          return r.value();
        },
    };
    inst->build_model = deps_.model_builder_factory(services);
  }
  // Watches: each notification is handled in its own event (informer delivery).
  auto schedule = [this, weak](void (Instance::*handler)(const k8s::WatchEvent&)) {
    return [this, weak, handler](const k8s::WatchEvent& ev) {
      deps_.events.ScheduleAfter(SimTime(0), [weak, handler, ev] {
        if (auto inst = weak.lock()) {
          if (!inst->stopped) ((*inst).*handler)(ev);
        }
      });
    };
  };
  inst->watches.push_back(deps_.kube.Watch(mk::Kind::kIngress, schedule(&Instance::OnIngress)));
  inst->watches.push_back(deps_.kube.Watch(mk::Kind::kService, schedule(&Instance::OnService)));
  inst->watches.push_back(deps_.kube.Watch(mk::Kind::kIngressClass, schedule(&Instance::OnIngressClass)));
  inst->watches.push_back(deps_.kube.Watch(mk::Kind::kIngressClassParams, schedule(&Instance::OnIngressClassParams)));
  // The group loader follows Ingress writes as they are stored (its Loads read the API server's
  // current state, as a List would), not through the informer's deferred delivery.
  if (auto id = deps_.kube.Watch(mk::Kind::kIngress, [weak](const k8s::WatchEvent& ev) {
        if (auto i = weak.lock()) i->group_loader.OnIngressWrite(ev);
      });
      id != 0) {
    inst->watches.push_back(id);
    inst->group_loader.FollowWrites();
  }
  instance_ = inst;
  // Informer start: every existing Ingress is an Add.
  for (const auto& ing : k8s::List<mk::Ingress>(deps_.kube)) inst->EnqueueIfBelongsToGroup(ing);
  // Periodic resync.
  if (config_.sync_period_ms > 0) {
    auto tick = std::make_shared<std::function<void()>>();
    *tick = [this, weak, tick_weak = std::weak_ptr<std::function<void()>>(tick)] {
      auto i = weak.lock();
      if (!i || i->stopped) return;
      i->Resync();
      if (auto t = tick_weak.lock()) {
        i->resync_timer = deps_.events.ScheduleAfter(SimTime(config_.sync_period_ms), [t] { (*t)(); }, /*background=*/true);
      }
    };
    inst->resync_timer = deps_.events.ScheduleAfter(SimTime(config_.sync_period_ms), [tick] { (*tick)(); }, true);
  }
}

void GroupController::Stop() {
  if (!instance_) return;
  std::shared_ptr<Instance> inst = std::move(instance_);
  inst->stopped = true;
  for (auto id : inst->watches) deps_.kube.Unwatch(id);
  inst->watches.clear();
  if (inst->resync_timer) deps_.events.Cancel(*inst->resync_timer);
  inst->loop.Stop();
  // `inst` dies here unless a running reconcile still holds it.
}

void GroupController::EnqueueGroup(const GroupID& id) {
  if (instance_) instance_->loop.Enqueue(id.String());
}

ReconcileResult GroupController::ReconcileNowForTest(const GroupID& id) {
  if (!instance_) return ReconcileResult{false, SimTime(0), MakeError(ErrorCode::kFailedPrecondition, "not started")};
  std::shared_ptr<Instance> hold = instance_;
  return hold->Reconcile(id);
}

uint64_t GroupController::reconcile_count() const { return instance_ ? instance_->loop.reconcile_count() : 0; }

}  // namespace sim::controller
