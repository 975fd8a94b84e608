// Mirrors upstream pkg/deploy/elbv2/load_balancer_synthesizer.go.
#include "sim/controller/load_balancer_synthesizer.h"

#include <map>

namespace sim::controller {

namespace ms = model::stack;

bool IsSDKLoadBalancerRequiresReplacement(const LoadBalancerWithTags& sdk, const ms::LoadBalancerSpec& res) {
  if (res.type != sdk.load_balancer.type) return true;
  if (res.scheme != sdk.load_balancer.scheme) return true;
  return false;
}

std::map<std::string, ms::LoadBalancer*> MapResLoadBalancerByResourceID(const std::vector<ms::LoadBalancer*>& res) {
  std::map<std::string, ms::LoadBalancer*> by_id;
  for (ms::LoadBalancer* r : res) by_id[r->id] = r;
  return by_id;
}

Result<std::map<std::string, std::vector<LoadBalancerWithTags>>> MapSDKLoadBalancerByResourceID(const std::vector<LoadBalancerWithTags>& sdk,
                                                                                   const std::string& resource_id_tag_key) {
  std::map<std::string, std::vector<LoadBalancerWithTags>> by_id;
  for (const auto& s : sdk) {
    auto it = s.tags.find(resource_id_tag_key);
    if (it == s.tags.end()) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "unexpected loadBalancer with no resourceID: " + s.load_balancer.load_balancer_arn);
    }
    by_id[it->second].push_back(s);
  }
  return by_id;
}

Result<LoadBalancerMatch> MatchResAndSDKLoadBalancers(std::vector<ms::LoadBalancer*> res,
                                                      const std::vector<LoadBalancerWithTags>& sdk,
                                                      const std::string& resource_id_tag_key) {
  std::map<std::string, ms::LoadBalancer*> res_by_id = MapResLoadBalancerByResourceID(res);
  SIM_ASSIGN_OR_RETURN(auto sdk_by_id, MapSDKLoadBalancerByResourceID(sdk, resource_id_tag_key));
  LoadBalancerMatch m;
  for (auto& [id, r] : res_by_id) {
    auto it = sdk_by_id.find(id);
    if (it == sdk_by_id.end()) continue;
    bool found = false;
    for (const auto& s : it->second) {
      if (IsSDKLoadBalancerRequiresReplacement(s, r->spec)) {
        m.unmatched_sdk.push_back(s);
        continue;
      }
      m.matched.push_back(ResAndSDKLoadBalancerPair{r, s});
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

Status LoadBalancerSynthesizer::Synthesize() {
  std::vector<ms::LoadBalancer*> res;
  for (auto& [id, lb] : stack_.MutableList<ms::LoadBalancer>()) res.push_back(&lb);
  StackId sid = ToStackId(stack_.stack_id());
  SIM_ASSIGN_OR_RETURN(auto sdk, tagging_.ListLoadBalancers({TagsAsTagFilter(tracking_.StackTags(sid)),
                                                             TagsAsTagFilter(tracking_.StackTagsLegacy(sid))}));
  SIM_ASSIGN_OR_RETURN(LoadBalancerMatch m, MatchResAndSDKLoadBalancers(res, sdk, tracking_.ResourceIDTagKey()));
  for (const auto& s : m.unmatched_sdk) {
    Status st = lb_manager_.Delete(s);
    if (st.ok()) continue;
    const std::string text = ErrorText(st.error());
    if (text.find("OperationNotPermitted") != std::string::npos && text.find("deletion protection") != std::string::npos) {
      // disableDeletionProtection; its error is ignored upstream.
      aws::ModifyLoadBalancerAttributesRequest req;
      req.load_balancer_arn = s.load_balancer.load_balancer_arn;
      req.attributes = {model::aws::Attribute{"deletion_protection.enabled", "false"}};
      (void)deps_.elbv2.ModifyLoadBalancerAttributes(deps_.call_context, req);
      SIM_RETURN_IF_ERROR(lb_manager_.Delete(s));
    } else {
      return st;
    }
  }
  for (ms::LoadBalancer* r : m.unmatched_res) {
    SIM_ASSIGN_OR_RETURN(auto created, lb_manager_.Create(stack_, *r));
    if (config_.feature_gates.lb_capacity_reservation && r->spec.minimum_load_balancer_capacity) {
      needing_capacity_check_.push_back(ResAndSDKLoadBalancerPair{r, created.second});
    }
    r->status = created.first;
  }
  for (auto& pair : m.matched) {
    SIM_ASSIGN_OR_RETURN(ms::LoadBalancerStatus status, lb_manager_.Update(stack_, *pair.res, pair.sdk));
    if (config_.feature_gates.lb_capacity_reservation) needing_capacity_check_.push_back(pair);
    pair.res->status = status;
  }
  return OkStatus();
}

Result<bool> LoadBalancerSynthesizer::IsLoadBalancerInProvisioningState(const LoadBalancerWithTags& sdk) {
  const std::string& arn = sdk.load_balancer.load_balancer_arn;
  aws::DescribeLoadBalancersRequest req;
  req.load_balancer_arns = {arn};
  auto r = deps_.elbv2.DescribeLoadBalancers(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("DescribeLoadBalancers", r.error());
  if (r.value().empty()) {
    return MakeError(ErrorCode::kNotFound,
                     "no load balancer found for the arn: " + arn + " to monitor load balancer state");
  }
  return r.value()[0].state.code == model::aws::kLbStateProvisioning;
}

Status LoadBalancerSynthesizer::PostSynthesize() {
  for (const auto& pair : needing_capacity_check_) {
    const std::string& arn = pair.sdk.load_balancer.load_balancer_arn;
    SIM_ASSIGN_OR_RETURN(bool provisioning, IsLoadBalancerInProvisioningState(pair.sdk));
    if (provisioning) {
      return NewRequeueNeededAfter(
          "monitor provisioning state for load balancer: " + pair.sdk.load_balancer.load_balancer_name,
          config_.lb_stabilization_monitor_interval);
    }
    if (pair.res->spec.minimum_load_balancer_capacity) {
      // DescribeCapacityReservation / ModifyCapacityReservation are not part of the simulated API.
      LogInfo(deps_, "capacity reservation requested for " + arn + " (not simulated)");
    }
  }
  return OkStatus();
}

}  // namespace sim::controller
