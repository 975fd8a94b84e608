#pragma once
// Mirrors upstream controllers/ingress/group_controller.go, controllers/ingress/eventhandlers/
// {ingress,service,ingress_class,ingress_class_params}_events.go, pkg/ingress/finalizer.go and the
// service-reference index of pkg/ingress/reference_indexer.go.
//
// The controller runs on the shared sim EventQueue:
//  * every watch notification is handled in its own event scheduled at the current time (an
//    informer delivering asynchronously), which computes the affected groups and enqueues them;
//  * the workqueue (workqueue.h) feeds ONE worker (upstream runs 3): each reconcile is one event,
//    FIFO by enqueue order, so runs are deterministic;
//  * a periodic resync (--sync-period, default 10h) re-enqueues the group of every Ingress;
//  * errors are retried with controller-runtime's default rate limiter; RequeueNeededAfter
//    (LB still provisioning) re-queues after --lb-stabilization-monitor-interval.
// Start() builds a fresh instance (empty caches, tag/SG caches, backend-SG map) and lists every
// Ingress as an informer start does; Stop() drops it. Stop() may be called at any time, also from
// an event that fires while a reconcile sleeps inside a retry (DeployDeps::sleep): the reconcile
// then aborts at its next wait with `controller stopped`.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/stack/stack.h"
#include "sim/aws/ec2_api.h"
#include "sim/aws/elbv2_api.h"
#include "sim/base/clock.h"
#include "sim/controller/backend_sg_provider.h"
#include "sim/controller/controller_config.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/group.h"
#include "sim/controller/model_build_deps.h"
#include "sim/controller/subnets_resolver_aws.h"
#include "sim/controller/workqueue.h"
#include "sim/k8s/client_api.h"

namespace sim::controller {

// What the model builder returns for a group (upstream modelBuilder.Build results).
struct BuiltModel {
  std::unique_ptr<model::stack::Stack> stack;
  std::string load_balancer_id;          // id of the LB resource in `stack`; "" = no LB (empty group)
  std::vector<std::string> secrets;      // "<ns>/<name>" (OIDC secrets; not monitored here)
  bool backend_sg_required = false;
  std::vector<int32_t> listener_ports;   // ascending
};
using BuildModelFn = std::function<Result<BuiltModel>(const Group& group)>;

// The AWS-backed collaborators a controller instance owns and lends to its model builder.
struct ModelBuilderServices {
  const ControllerConfig& config;
  k8s::KubeApi& kube;
  aws::Elbv2Api& elbv2;
  aws::Ec2Api& ec2;
  SubnetsResolver& subnets_resolver;
  BackendSGProvider& backend_sg_provider;
  // tagging-manager ListLoadBalancers (20-min tag cache shared with the deployer).
  ListLoadBalancersFn list_load_balancers;
  DescribeSecurityGroupsFn describe_security_groups;
  DescribeTargetGroupsFn describe_target_groups;
};
// Called at every Start(); returns the builder used by that instance.
using ModelBuilderFactory = std::function<BuildModelFn(ModelBuilderServices& services)>;

// The factory wiring upstream's ModelBuilder (model_builder.h) to the instance's services:
// DefaultSecurityGroupResolver and DefaultTargetGroupARNMapper over the fake APIs; no
// certificate discovery, trust-store or WAFv2 name lookups (errors if a build needs them).
ModelBuilderFactory DefaultModelBuilderFactory();

// Ingress → names of the Services it references (upstream BuildServiceRefIndexes). Default:
// DefaultServiceRefIndexes.
using ServiceRefsFn = std::function<std::vector<std::string>(const model::k8s::Ingress& ing)>;
// Rules / default backend Services, plus forward targets of `actions.<name>` annotations for
// backends with port name `use-annotation`; sorted, unique.
std::vector<std::string> DefaultServiceRefIndexes(const model::k8s::Ingress& ing, const std::string& annotation_prefix);

struct GroupControllerDeps {
  EventQueue& events;
  k8s::KubeApi& kube;
  aws::Elbv2Api& elbv2;
  aws::Ec2Api& ec2;
  ModelBuilderFactory model_builder_factory;
  // Blocks a reconcile for simulated time (see deploy_deps.h). Empty = waits take no time.
  Sleeper sleep;
  ServiceRefsFn service_refs;  // empty = DefaultServiceRefIndexes
  aws::CallContext call_context = aws::ControllerCall();
  // Reconciles that end with an error retry with backoff forever (upstream). Such retries and
  // requeues are normal (non-background) events; the resync timer is a background event.
};

class GroupController {
 public:
  GroupController(GroupControllerDeps deps, ControllerConfig config);
  ~GroupController();
  GroupController(const GroupController&) = delete;
  GroupController& operator=(const GroupController&) = delete;

  // Starts a fresh instance: watches, initial Ingress listing, resync timer.
  void Start();
  // Drops the instance (watches, queue, timers, caches). Safe to call at any time.
  void Stop();
  bool running() const { return instance_ != nullptr; }

  // Enqueues a group by its key (GroupID::String()). For tests and the runner.
  void EnqueueGroup(const GroupID& id);
  // Runs one reconcile of `id` synchronously (outside the queue). For tests.
  ReconcileResult ReconcileNowForTest(const GroupID& id);
  // Reconciles run since Start().
  uint64_t reconcile_count() const;
  // Groups whose last reconcile failed: key -> error text (a group that succeeded is absent).
  const std::map<std::string, std::string>& last_errors() const { return *last_errors_; }

  const ControllerConfig& config() const { return config_; }

 private:
  struct Instance;

  GroupControllerDeps deps_;
  ControllerConfig config_;
  std::shared_ptr<Instance> instance_;
  std::shared_ptr<std::map<std::string, std::string>> last_errors_ =
      std::make_shared<std::map<std::string, std::string>>();
};

// "<ns>/<name>" → implicit GroupID, "<name>" → explicit.
GroupID DecodeGroupIDKey(const std::string& key);

// The dry-run plan annotation (`<prefix>/dry-run-plan`).
inline constexpr const char* kDryRunPlanAnnotationSuffix = "dry-run-plan";

}  // namespace sim::controller
