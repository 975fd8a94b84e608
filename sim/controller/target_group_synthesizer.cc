// Mirrors upstream pkg/deploy/elbv2/target_group_synthesizer.go.
#include "sim/controller/target_group_synthesizer.h"

#include <map>

namespace sim::controller {

namespace ms = model::stack;

bool IsL4TargetGroup(const std::string& p) {
  return p == "TCP" || p == "UDP" || p == "TLS" || p == "QUIC" || p == "TCP_QUIC" || p == "TCP_UDP";
}

bool IsSDKTargetGroupRequiresReplacementDueToNLBHealthCheck(const TargetGroupWithTags& sdk, const ms::TargetGroupSpec& res,
                                                            const DeployFeatureGates& gates) {
  if (!IsL4TargetGroup(res.protocol) || !res.health_check_config || gates.nlb_health_check_advanced_config) return false;
  const auto& hc = *res.health_check_config;
  const auto& tg = sdk.target_group;
  if (hc.protocol != tg.health_check_protocol.value_or("")) return true;
  if (hc.matcher) {
    if (!tg.matcher) return true;
    if (hc.matcher->grpc_code.value_or("") != tg.matcher->grpc_code.value_or("")) return true;
    if (hc.matcher->http_code.value_or("") != tg.matcher->http_code.value_or("")) return true;
  }
  if (hc.interval_seconds && *hc.interval_seconds != tg.health_check_interval_seconds) return true;
  if (hc.timeout_seconds && *hc.timeout_seconds != tg.health_check_timeout_seconds) return true;
  return false;
}

bool IsSDKTargetGroupRequiresReplacement(const TargetGroupWithTags& sdk, const ms::TargetGroupSpec& res,
                                         const DeployFeatureGates& gates) {
  const auto& tg = sdk.target_group;
  if (res.target_type != tg.target_type) return true;
  if (res.protocol != tg.protocol.value_or("")) return true;
  if (res.protocol_version && *res.protocol_version != tg.protocol_version.value_or("")) return true;
  // isSDKTargetGroupTargetControlPortDrifted: set/unset or a different port needs a new TG.
  if (res.target_control_port != tg.target_control_port) return true;
  return IsSDKTargetGroupRequiresReplacementDueToNLBHealthCheck(sdk, res, gates);
}

std::map<std::string, ms::TargetGroup*> MapResTargetGroupByResourceID(const std::vector<ms::TargetGroup*>& res) {
  std::map<std::string, ms::TargetGroup*> by_id;
  for (ms::TargetGroup* r : res) by_id[r->id] = r;
  return by_id;
}

Result<std::map<std::string, std::vector<TargetGroupWithTags>>> MapSDKTargetGroupByResourceID(const std::vector<TargetGroupWithTags>& sdk,
                                                                                   const std::string& resource_id_tag_key) {
  std::map<std::string, std::vector<TargetGroupWithTags>> by_id;
  for (const auto& s : sdk) {
    auto it = s.tags.find(resource_id_tag_key);
    if (it == s.tags.end()) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "unexpected targetGroup with no resourceID: " + s.target_group.target_group_arn);
    }
    by_id[it->second].push_back(s);
  }
  return by_id;
}

Result<TargetGroupMatch> MatchResAndSDKTargetGroups(std::vector<ms::TargetGroup*> res,
                                                    const std::vector<TargetGroupWithTags>& sdk,
                                                    const std::string& resource_id_tag_key,
                                                    const DeployFeatureGates& gates) {
  std::map<std::string, ms::TargetGroup*> res_by_id = MapResTargetGroupByResourceID(res);
  SIM_ASSIGN_OR_RETURN(auto sdk_by_id, MapSDKTargetGroupByResourceID(sdk, resource_id_tag_key));
  TargetGroupMatch m;
  for (auto& [id, r] : res_by_id) {
    auto it = sdk_by_id.find(id);
    if (it == sdk_by_id.end()) continue;
    bool found = false;
    for (const auto& s : it->second) {
      if (IsSDKTargetGroupRequiresReplacement(s, r->spec, gates)) {
        m.unmatched_sdk.push_back(s);
        continue;
      }
      m.matched.push_back(ResAndSDKTargetGroupPair{r, s});
      found = true;
    }
    if (!found) m.unmatched_res.push_back(r);
  }
  for (auto& [id, r] : res_by_id) {
    if (!sdk_by_id.count(id)) m.unmatched_res.push_back(r);
  }
  for (auto& [id, list] : sdk_by_id) {
    if (!res_by_id.count(id)) m.unmatched_sdk.insert(m.unmatched_sdk.end(), list.begin(), list.end());
  }
  return m;
}

Status TargetGroupSynthesizer::Synthesize() {
  std::vector<ms::TargetGroup*> res;
  for (auto& [id, tg] : stack_.MutableList<ms::TargetGroup>()) res.push_back(&tg);
  StackId sid = ToStackId(stack_.stack_id());
  SIM_ASSIGN_OR_RETURN(auto sdk, tagging_.ListTargetGroups({TagsAsTagFilter(tracking_.StackTags(sid)),
                                                            TagsAsTagFilter(tracking_.StackTagsLegacy(sid))}));
  SIM_ASSIGN_OR_RETURN(TargetGroupMatch m, MatchResAndSDKTargetGroups(res, sdk, tracking_.ResourceIDTagKey(), gates_));
  unmatched_sdk_ = m.unmatched_sdk;
  for (ms::TargetGroup* r : m.unmatched_res) {
    SIM_ASSIGN_OR_RETURN(ms::TargetGroupStatus status, tg_manager_.Create(stack_, *r));
    r->status = status;
  }
  for (auto& pair : m.matched) {
    SIM_ASSIGN_OR_RETURN(ms::TargetGroupStatus status, tg_manager_.Update(stack_, *pair.res, pair.sdk));
    pair.res->status = status;
  }
  return OkStatus();
}

Status TargetGroupSynthesizer::PostSynthesize() {
  for (const auto& s : unmatched_sdk_) SIM_RETURN_IF_ERROR(tg_manager_.Delete(s));
  return OkStatus();
}

}  // namespace sim::controller
