#pragma once
// Mirrors upstream pkg/deploy/elbv2/load_balancer_synthesizer.go.

#include <map>
#include <string>
#include <vector>

#include "models/stack/stack.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/load_balancer_manager.h"
#include "sim/controller/tagging_manager.h"

namespace sim::controller {

struct ResAndSDKLoadBalancerPair {
  model::stack::LoadBalancer* res = nullptr;
  LoadBalancerWithTags sdk;
};

struct LoadBalancerMatch {
  std::vector<ResAndSDKLoadBalancerPair> matched;
  std::vector<model::stack::LoadBalancer*> unmatched_res;
  std::vector<LoadBalancerWithTags> unmatched_sdk;
};

// Error: `unexpected loadBalancer with no resourceID: <arn>`.
// mapResLoadBalancerByResourceID / mapSDKLoadBalancerByResourceID (resource-ID tag; error when missing).
std::map<std::string, model::stack::LoadBalancer*> MapResLoadBalancerByResourceID(const std::vector<model::stack::LoadBalancer*>& res);
Result<std::map<std::string, std::vector<LoadBalancerWithTags>>> MapSDKLoadBalancerByResourceID(const std::vector<LoadBalancerWithTags>& sdk,
                                                                                   const std::string& resource_id_tag_key);
Result<LoadBalancerMatch> MatchResAndSDKLoadBalancers(std::vector<model::stack::LoadBalancer*> res,
                                                      const std::vector<LoadBalancerWithTags>& sdk,
                                                      const std::string& resource_id_tag_key);
// Type or scheme differs.
bool IsSDKLoadBalancerRequiresReplacement(const LoadBalancerWithTags& sdk, const model::stack::LoadBalancerSpec& res);

class LoadBalancerSynthesizer final : public ResourceSynthesizer {
 public:
  LoadBalancerSynthesizer(DeployDeps deps, model::stack::Stack& stack, const TrackingProvider& tracking,
                          Elbv2TaggingManager& tagging, LoadBalancerManager& lb_manager, const DeployConfig& config)
      : deps_(std::move(deps)), stack_(stack), tracking_(tracking), tagging_(tagging), lb_manager_(lb_manager),
        config_(config) {}

  // Deletes unmatched LBs first (disabling deletion protection once if needed), then creates and
  // updates.
  Status Synthesize() override;
  // LBCapacityReservation: a matched (or created with minimum capacity) LB still `provisioning`
  // → RequeueNeededAfter(--lb-stabilization-monitor-interval).
  Status PostSynthesize() override;
  // DescribeLoadBalancers of the LB's ARN: true when its state is `provisioning`; an error when
  // the LB is gone.
  Result<bool> IsLoadBalancerInProvisioningState(const LoadBalancerWithTags& sdk);

 private:
  DeployDeps deps_;
  model::stack::Stack& stack_;
  const TrackingProvider& tracking_;
  Elbv2TaggingManager& tagging_;
  LoadBalancerManager& lb_manager_;
  const DeployConfig& config_;
  std::vector<ResAndSDKLoadBalancerPair> needing_capacity_check_;
};

}  // namespace sim::controller
