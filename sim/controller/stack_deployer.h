#pragma once
// Mirrors upstream pkg/deploy/stack_deployer.go.
//
// Deploy runs the synthesizers in upstream order — EC2 SecurityGroup, TargetGroup, LoadBalancer,
// Listener, ListenerRule, TargetGroupBinding — calling Synthesize() on each in order and then
// PostSynthesize() in reverse; the first error aborts. Resource statuses (ARNs, IDs, DNS name) are
// written into the stack as resources are created or matched, so later tokens resolve.
// Not simulated: frontend-NLB targets, ACM certificates (gate off by default), WAFv2 / WAF
// regional / Shield associations (no such fake APIs).
//
// The deployer owns the caches that survive between reconciles (ELBv2 tags 20 min, SG info
// 10 min); a controller restart builds a new deployer.

#include <memory>

#include "models/stack/stack.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/listener_manager.h"
#include "sim/controller/listener_rule_manager.h"
#include "sim/controller/load_balancer_manager.h"
#include "sim/controller/networking_sg_manager.h"
#include "sim/controller/security_group_manager.h"
#include "sim/controller/tagging_manager.h"
#include "sim/controller/target_group_binding_manager.h"
#include "sim/controller/target_group_manager.h"

namespace sim::controller {

class StackDeployer {
 public:
  StackDeployer(DeployDeps deps, DeployConfig config);

  // Deploys `stack` (its resources' statuses are filled in). Errors are returned as is; a
  // RequeueNeededAfter (IsRequeueNeededAfter) is not a failure.
  Status Deploy(model::stack::Stack& stack);

  const DeployConfig& config() const { return config_; }
  const TrackingProvider& tracking() const { return tracking_; }
  NetworkingSecurityGroupManager& networking_sg_manager() { return networking_sg_manager_; }
  SecurityGroupReconciler& sg_reconciler() { return sg_reconciler_; }
  Elbv2TaggingManager& elbv2_tagging() { return elbv2_tagging_; }

 private:
  DeployDeps deps_;
  DeployConfig config_;
  TrackingProvider tracking_;
  NetworkingSecurityGroupManager networking_sg_manager_;
  SecurityGroupReconciler sg_reconciler_;
  Ec2TaggingManager ec2_tagging_;
  Elbv2TaggingManager elbv2_tagging_;
  SecurityGroupManager sg_manager_;
  TargetGroupManager tg_manager_;
  LoadBalancerManager lb_manager_;
  ListenerManager ls_manager_;
  DefaultListenerRuleManager lr_manager_;
  TargetGroupBindingManager tgb_manager_;
};

}  // namespace sim::controller
