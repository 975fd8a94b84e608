// Mirrors upstream pkg/deploy/stack_deployer.go.
#include "sim/controller/stack_deployer.h"

#include "sim/controller/listener_rule_synthesizer.h"
#include "sim/controller/listener_synthesizer.h"
#include "sim/controller/load_balancer_synthesizer.h"
#include "sim/controller/target_group_synthesizer.h"

namespace sim::controller {

StackDeployer::StackDeployer(DeployDeps deps, DeployConfig config)
    : deps_(std::move(deps)),
      config_(std::move(config)),
      tracking_(kIngressTagPrefix, config_.cluster_name),
      networking_sg_manager_(deps_),
      sg_reconciler_(networking_sg_manager_),
      ec2_tagging_(deps_, networking_sg_manager_, config_.vpc_id),
      elbv2_tagging_(deps_, config_.vpc_id, config_.feature_gates),
      sg_manager_(deps_, tracking_, ec2_tagging_, sg_reconciler_, config_),
      tg_manager_(deps_, tracking_, elbv2_tagging_, config_),
      lb_manager_(deps_, tracking_, elbv2_tagging_, config_),
      ls_manager_(deps_, tracking_, elbv2_tagging_, config_),
      lr_manager_(deps_, tracking_, elbv2_tagging_, config_),
      tgb_manager_(deps_, tracking_) {}

Status StackDeployer::Deploy(model::stack::Stack& stack) {
  std::vector<std::unique_ptr<ResourceSynthesizer>> synthesizers;
  synthesizers.push_back(std::make_unique<SecurityGroupSynthesizer>(stack, tracking_, ec2_tagging_, sg_manager_));
  synthesizers.push_back(std::make_unique<TargetGroupSynthesizer>(stack, tracking_, elbv2_tagging_, tg_manager_,
                                                                  config_.feature_gates));
  synthesizers.push_back(
      std::make_unique<LoadBalancerSynthesizer>(deps_, stack, tracking_, elbv2_tagging_, lb_manager_, config_));
  synthesizers.push_back(std::make_unique<ListenerSynthesizer>(stack, elbv2_tagging_, ls_manager_));
  synthesizers.push_back(
      std::make_unique<ListenerRuleSynthesizer>(stack, elbv2_tagging_, lr_manager_, config_.feature_gates));
  synthesizers.push_back(std::make_unique<TargetGroupBindingSynthesizer>(deps_, stack, tracking_, tgb_manager_));

  for (auto& s : synthesizers) SIM_RETURN_IF_ERROR(s->Synthesize());
  for (auto it = synthesizers.rbegin(); it != synthesizers.rend(); ++it) SIM_RETURN_IF_ERROR((*it)->PostSynthesize());
  return OkStatus();
}

}  // namespace sim::controller
