#pragma once
// Mirrors upstream pkg/deploy/elbv2/load_balancer_manager.go and
// load_balancer_attributes_reconciler.go.

#include "models/stack/stack.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/tagging_manager.h"

namespace sim::controller {

class LoadBalancerManager {
 public:
  LoadBalancerManager(DeployDeps deps, const TrackingProvider& tracking, Elbv2TaggingManager& tagging,
                      const DeployConfig& config)
      : deps_(std::move(deps)), tracking_(tracking), tagging_(tagging), config_(config) {}

  // CreateLoadBalancer with tracking+spec tags, then the attributes reconcile. Returns the status
  // and the created LB (with the tags it was created with).
  Result<std::pair<model::stack::LoadBalancerStatus, LoadBalancerWithTags>> Create(const model::stack::Stack& stack,
                                                                                 const model::stack::LoadBalancer& res);
  // IPAM removal → tags → SetSecurityGroups → SetSubnets → SetIpAddressType → attributes →
  // COIP drift (logged) → IPAM add. The name is never updated.
  Result<model::stack::LoadBalancerStatus> Update(const model::stack::Stack& stack, const model::stack::LoadBalancer& res,
                                                  const LoadBalancerWithTags& sdk);
  Status Delete(const LoadBalancerWithTags& sdk);

  // load_balancer_attributes_reconciler.go.
  Status ReconcileAttributes(const model::stack::LoadBalancer& res, const LoadBalancerWithTags& sdk);
  // getCurrentLoadBalancerAttributes: DescribeLoadBalancerAttributes as a key → value map.
  Result<TagMap> GetCurrentLoadBalancerAttributes(const LoadBalancerWithTags& sdk);
  // The Update steps upstream tests call one by one.
  // SetSubnets when the subnets, the NLB source-NAT prefixes / EnablePrefixForIpv6SourceNat or a
  // first IPv6 setup (ipv4 → dualstack NLB) differ.
  Status UpdateSDKLoadBalancerWithSubnetMappings(const model::stack::LoadBalancer& res,
                                                 const LoadBalancerWithTags& sdk);
  // Logs a drifted CustomerOwnedIpv4Pool (it cannot be changed); never fails.
  Status CheckSDKLoadBalancerWithCOIPv4Pool(const model::stack::LoadBalancer& res,
                                            const LoadBalancerWithTags& sdk) const;
  // ModifyIpPools RemoveIpamPools [ipv4] when the LB has pools and the spec none.
  Status RemoveIPAMPools(const model::stack::LoadBalancer& res, const LoadBalancerWithTags& sdk);
  // ModifyIpPools IpamPools when the spec names a pool the LB does not have.
  Status AddIPAMPools(const model::stack::LoadBalancer& res, const LoadBalancerWithTags& sdk);

 private:
  DeployDeps deps_;
  const TrackingProvider& tracking_;
  Elbv2TaggingManager& tagging_;
  const DeployConfig& config_;
};

// Pure helpers (conformance units). Security group tokens are resolved through `stack`.
Result<aws::CreateLoadBalancerRequest> BuildSDKCreateLoadBalancerInput(const model::stack::Stack& stack,
                                                                     const model::stack::LoadBalancerSpec& spec);
std::vector<model::aws::SubnetMapping> BuildSDKSubnetMappings(const std::vector<model::stack::SubnetMapping>& mappings);
Result<std::vector<std::string>> BuildSDKSecurityGroups(const model::stack::Stack& stack,
                                                        const std::vector<model::stack::StringToken>& sgs);
// getDesiredLoadBalancerAttributes: the spec's attributes as a key → value map.
TagMap GetDesiredLoadBalancerAttributes(const model::stack::LoadBalancer& res);
model::stack::LoadBalancerStatus BuildResLoadBalancerStatus(const LoadBalancerWithTags& sdk);

}  // namespace sim::controller
