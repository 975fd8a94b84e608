// Mirrors upstream pkg/deploy/ec2/security_group_manager.go and security_group_synthesizer.go.
#include "sim/controller/security_group_manager.h"

#include <map>

namespace sim::controller {

namespace ms = model::stack;

bool IsSecurityGroupDependencyViolationError(const Error& err) { return err.aws_code == "DependencyViolation"; }

Result<std::vector<IPPermissionInfo>> BuildIPPermissionInfos(const std::vector<ms::IPPermission>& permissions) {
  std::vector<IPPermissionInfo> out;
  for (const ms::IPPermission& p : permissions) {
    std::optional<int> from, to;
    if (p.from_port) from = *p.from_port;
    if (p.to_port) to = *p.to_port;
    if (p.ip_ranges.size() == 1) {
      out.push_back(NewCIDRIPPermission(p.ip_protocol, from, to, p.ip_ranges[0].cidr_ip,
                                        NewIPPermissionLabelsForRawDescription(p.ip_ranges[0].description)));
    } else if (p.ipv6_ranges.size() == 1) {
      out.push_back(NewCIDRv6IPPermission(p.ip_protocol, from, to, p.ipv6_ranges[0].cidr_ipv6,
                                          NewIPPermissionLabelsForRawDescription(p.ipv6_ranges[0].description)));
    } else if (p.user_id_group_pairs.size() == 1) {
      out.push_back(NewGroupIDIPPermission(p.ip_protocol, from, to, p.user_id_group_pairs[0].group_id,
                                           NewIPPermissionLabelsForRawDescription(p.user_id_group_pairs[0].description)));
    } else if (p.prefix_lists.size() == 1) {
      out.push_back(NewPrefixListIDPermission(p.ip_protocol, from, to, p.prefix_lists[0].list_id,
                                              NewIPPermissionLabelsForRawDescription(p.prefix_lists[0].description)));
    } else {
      return MakeError(ErrorCode::kInvalidArgument, "invalid ipPermission");
    }
  }
  return out;
}

Result<ms::SecurityGroupStatus> SecurityGroupManager::Create(const ms::Stack& stack, const ms::SecurityGroup& res) {
  TagMap tags = tracking_.ResourceTags(ToStackId(stack.stack_id()), res.id, res.spec.tags);
  SIM_ASSIGN_OR_RETURN(auto permissions, BuildIPPermissionInfos(res.spec.ingress));
  aws::CreateSecurityGroupRequest req;
  req.vpc_id = config_.vpc_id;
  req.group_name = res.spec.group_name;
  req.description = res.spec.description;
  req.tag_specifications = {aws::TagSpecification{"security-group", ConvertTagsToSDKTags(tags)}};
  LogInfo(deps_, "creating securityGroup " + res.id);
  auto r = deps_.ec2.CreateSecurityGroup(deps_.call_context, req);
  if (!r.ok()) return Ec2Error("CreateSecurityGroup", r.error());
  const std::string sg_id = r.value().group_id;
  LogInfo(deps_, "created securityGroup " + res.id + " id " + sg_id);
  SIM_RETURN_IF_ERROR(reconciler_.ReconcileIngress(sg_id, permissions));
  return ms::SecurityGroupStatus{sg_id};
}

Result<ms::SecurityGroupStatus> SecurityGroupManager::Update(const ms::Stack& stack, const ms::SecurityGroup& res,
                                                             const SecurityGroupInfo& sdk) {
  SIM_ASSIGN_OR_RETURN(auto permissions, BuildIPPermissionInfos(res.spec.ingress));
  TagMap desired = tracking_.ResourceTags(ToStackId(stack.stack_id()), res.id, res.spec.tags);
  ReconcileTagsOptions opts;
  opts.current_tags = sdk.tags;
  opts.ignored_tag_keys = tracking_.LegacyTagKeys();
  opts.ignored_tag_keys.insert(opts.ignored_tag_keys.end(), config_.external_managed_tags.begin(),
                               config_.external_managed_tags.end());
  SIM_RETURN_IF_ERROR(tagging_.ReconcileTags(sdk.security_group_id, desired, opts));
  SIM_RETURN_IF_ERROR(reconciler_.ReconcileIngress(sdk.security_group_id, permissions));
  return ms::SecurityGroupStatus{sdk.security_group_id};
}

Status SecurityGroupManager::Delete(const SecurityGroupInfo& sdk) {
  LogInfo(deps_, "deleting securityGroup " + sdk.security_group_id);
  Status s = RetryImmediateOnError(deps_, kWaitSGDeletionPollInterval, kWaitSGDeletionTimeout,
                                   IsSecurityGroupDependencyViolationError, [&]() -> Status {
                                     Status d = deps_.ec2.DeleteSecurityGroup(deps_.call_context, sdk.security_group_id);
                                     if (!d.ok()) return Ec2Error("DeleteSecurityGroup", d.error());
                                     return OkStatus();
                                   });
  if (!s.ok()) return Wrap(s.error(), "failed to delete securityGroup");
  LogInfo(deps_, "deleted securityGroup " + sdk.security_group_id);
  return OkStatus();
}

Result<SecurityGroupMatch> MatchResAndSDKSecurityGroups(std::vector<ms::SecurityGroup*> res,
                                                        const std::vector<SecurityGroupInfo>& sdk,
                                                        const std::string& resource_id_tag_key) {
  std::map<std::string, ms::SecurityGroup*> res_by_id;
  for (ms::SecurityGroup* r : res) res_by_id[r->id] = r;
  std::map<std::string, std::vector<SecurityGroupInfo>> sdk_by_id;
  for (const auto& s : sdk) {
    auto it = s.tags.find(resource_id_tag_key);
    if (it == s.tags.end()) {
      return MakeError(ErrorCode::kFailedPrecondition, "unexpected securityGroup with no resourceID: " + s.security_group_id);
    }
    sdk_by_id[it->second].push_back(s);
  }
  SecurityGroupMatch m;
  for (auto& [id, r] : res_by_id) {
    auto it = sdk_by_id.find(id);
    if (it == sdk_by_id.end()) continue;
    m.matched.push_back(ResAndSDKSecurityGroupPair{r, it->second[0]});
    for (size_t i = 1; i < it->second.size(); ++i) m.unmatched_sdk.push_back(it->second[i]);
  }
  for (auto& [id, r] : res_by_id) {
    if (!sdk_by_id.count(id)) m.unmatched_res.push_back(r);
  }
  for (auto& [id, list] : sdk_by_id) {
    if (!res_by_id.count(id)) m.unmatched_sdk.insert(m.unmatched_sdk.end(), list.begin(), list.end());
  }
  return m;
}

Status SecurityGroupSynthesizer::Synthesize() {
  std::vector<ms::SecurityGroup*> res;
  for (auto& [id, sg] : stack_.MutableList<ms::SecurityGroup>()) res.push_back(&sg);
  StackId sid = ToStackId(stack_.stack_id());
  SIM_ASSIGN_OR_RETURN(auto sdk, tagging_.ListSecurityGroups({TagsAsTagFilter(tracking_.StackTags(sid)),
                                                              TagsAsTagFilter(tracking_.StackTagsLegacy(sid))}));
  SIM_ASSIGN_OR_RETURN(SecurityGroupMatch m, MatchResAndSDKSecurityGroups(res, sdk, tracking_.ResourceIDTagKey()));
  unmatched_sdk_ = m.unmatched_sdk;
  for (ms::SecurityGroup* r : m.unmatched_res) {
    SIM_ASSIGN_OR_RETURN(ms::SecurityGroupStatus st, sg_manager_.Create(stack_, *r));
    r->status = st;
  }
  for (auto& pair : m.matched) {
    SIM_ASSIGN_OR_RETURN(ms::SecurityGroupStatus st, sg_manager_.Update(stack_, *pair.res, pair.sdk));
    pair.res->status = st;
  }
  return OkStatus();
}

Status SecurityGroupSynthesizer::PostSynthesize() {
  for (const auto& s : unmatched_sdk_) SIM_RETURN_IF_ERROR(sg_manager_.Delete(s));
  return OkStatus();
}

}  // namespace sim::controller
