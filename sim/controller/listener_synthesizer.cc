// Mirrors upstream pkg/deploy/elbv2/listener_synthesizer.go.
#include "sim/controller/listener_synthesizer.h"

#include <map>

namespace sim::controller {

namespace ms = model::stack;

ListenerMatch MatchResAndSDKListeners(const std::vector<ms::Listener*>& res, const std::vector<ListenerWithTags>& sdk) {
  std::map<int32_t, ms::Listener*> res_by_port;
  for (ms::Listener* r : res) res_by_port[r->spec.port] = r;
  std::map<int32_t, ListenerWithTags> sdk_by_port;
  for (const auto& s : sdk) sdk_by_port[s.listener.port.value_or(0)] = s;
  ListenerMatch m;
  for (auto& [port, r] : res_by_port) {
    auto it = sdk_by_port.find(port);
    if (it != sdk_by_port.end()) m.matched.push_back(ResAndSDKListenerPair{r, it->second});
  }
  for (auto& [port, r] : res_by_port) {
    if (!sdk_by_port.count(port)) m.unmatched_res.push_back(r);
  }
  for (auto& [port, s] : sdk_by_port) {
    if (!res_by_port.count(port)) m.unmatched_sdk.push_back(s);
  }
  return m;
}

Status ListenerSynthesizer::Synthesize() {
  std::map<std::string, std::vector<ms::Listener*>> by_lb;
  for (auto& [id, ls] : stack_.MutableList<ms::Listener>()) {
    SIM_ASSIGN_OR_RETURN(std::string lb_arn, ResolveToken(stack_, ls.spec.load_balancer_arn));
    by_lb[lb_arn].push_back(&ls);
  }
  if (by_lb.empty()) {
    for (auto& [id, lb] : stack_.MutableList<ms::LoadBalancer>()) {
      SIM_ASSIGN_OR_RETURN(std::string lb_arn, ResolveToken(stack_, lb.LoadBalancerARN()));
      SIM_RETURN_IF_ERROR(SynthesizeListenersOnLB(lb_arn, {}));
    }
    return OkStatus();
  }
  for (auto& [lb_arn, res] : by_lb) SIM_RETURN_IF_ERROR(SynthesizeListenersOnLB(lb_arn, res));
  return OkStatus();
}

Status ListenerSynthesizer::SynthesizeListenersOnLB(const std::string& lb_arn, const std::vector<ms::Listener*>& res) {
  SIM_ASSIGN_OR_RETURN(auto sdk, tagging_.ListListeners(lb_arn));
  ListenerMatch m = MatchResAndSDKListeners(res, sdk);
  for (const auto& s : m.unmatched_sdk) SIM_RETURN_IF_ERROR(ls_manager_.Delete(s));
  for (ms::Listener* r : m.unmatched_res) {
    SIM_ASSIGN_OR_RETURN(ms::ListenerStatus status, ls_manager_.Create(stack_, *r));
    r->status = status;
  }
  for (auto& pair : m.matched) {
    SIM_ASSIGN_OR_RETURN(ms::ListenerStatus status, ls_manager_.Update(stack_, *pair.res, pair.sdk));
    pair.res->status = status;
  }
  return OkStatus();
}

}  // namespace sim::controller
