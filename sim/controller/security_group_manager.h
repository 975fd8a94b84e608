#pragma once
// Mirrors upstream pkg/deploy/ec2/security_group_manager.go and security_group_synthesizer.go.

#include <string>
#include <vector>

#include "models/stack/stack.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/networking_sg_manager.h"
#include "sim/controller/tagging_manager.h"

namespace sim::controller {

class SecurityGroupManager {
 public:
  static constexpr SimTime kWaitSGDeletionPollInterval{2000};
  static constexpr SimTime kWaitSGDeletionTimeout{10000};

  SecurityGroupManager(DeployDeps deps, const TrackingProvider& tracking, Ec2TaggingManager& tagging,
                       SecurityGroupReconciler& reconciler, const DeployConfig& config)
      : deps_(std::move(deps)), tracking_(tracking), tagging_(tagging), reconciler_(reconciler), config_(config) {}

  // CreateSecurityGroup(VpcId, GroupName, Description, tags), then ingress reconcile.
  Result<model::stack::SecurityGroupStatus> Create(const model::stack::Stack& stack, const model::stack::SecurityGroup& res);
  // Tags, then ingress reconcile (authorize missing, then revoke extra).
  Result<model::stack::SecurityGroupStatus> Update(const model::stack::Stack& stack, const model::stack::SecurityGroup& res,
                                                   const SecurityGroupInfo& sdk);
  // DeleteSecurityGroup, retried every 2s for 10s on DependencyViolation; wraps
  // `failed to delete securityGroup`.
  Status Delete(const SecurityGroupInfo& sdk);

 private:
  DeployDeps deps_;
  const TrackingProvider& tracking_;
  Ec2TaggingManager& tagging_;
  SecurityGroupReconciler& reconciler_;
  const DeployConfig& config_;
};

// buildIPPermissionInfos. Error `invalid ipPermission` for a permission without exactly one source.
Result<std::vector<IPPermissionInfo>> BuildIPPermissionInfos(const std::vector<model::stack::IPPermission>& permissions);
bool IsSecurityGroupDependencyViolationError(const Error& err);

struct ResAndSDKSecurityGroupPair {
  model::stack::SecurityGroup* res = nullptr;
  SecurityGroupInfo sdk;
};
struct SecurityGroupMatch {
  std::vector<ResAndSDKSecurityGroupPair> matched;
  std::vector<model::stack::SecurityGroup*> unmatched_res;
  std::vector<SecurityGroupInfo> unmatched_sdk;
};
// First SDK SG per resource ID matches; duplicates are unmatched. Error
// `unexpected securityGroup with no resourceID: <id>`.
Result<SecurityGroupMatch> MatchResAndSDKSecurityGroups(std::vector<model::stack::SecurityGroup*> res,
                                                        const std::vector<SecurityGroupInfo>& sdk,
                                                        const std::string& resource_id_tag_key);

class SecurityGroupSynthesizer final : public ResourceSynthesizer {
 public:
  SecurityGroupSynthesizer(model::stack::Stack& stack, const TrackingProvider& tracking, Ec2TaggingManager& tagging,
                           SecurityGroupManager& sg_manager)
      : stack_(stack), tracking_(tracking), tagging_(tagging), sg_manager_(sg_manager) {}

  Status Synthesize() override;
  // Deletes unmatched SGs.
  Status PostSynthesize() override;

 private:
  model::stack::Stack& stack_;
  const TrackingProvider& tracking_;
  Ec2TaggingManager& tagging_;
  SecurityGroupManager& sg_manager_;
  std::vector<SecurityGroupInfo> unmatched_sdk_;
};

}  // namespace sim::controller
