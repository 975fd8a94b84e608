// Mirrors upstream pkg/deploy/elbv2/target_group_binding_manager.go and
// target_group_binding_synthesizer.go.
#include "sim/controller/target_group_binding_manager.h"

#include <map>

namespace sim::controller {

namespace ms = model::stack;
namespace mk = model::k8s;

Status BuildK8sTargetGroupBindingSpec(const ms::Stack& stack, const ms::TargetGroupBindingResource& res,
                                      mk::TargetGroupBinding* out) {
  const ms::TargetGroupBindingSpec& spec = res.spec.template_.spec;
  SIM_ASSIGN_OR_RETURN(out->target_group_arn, ResolveToken(stack, spec.target_group_arn));
  out->target_group_name.clear();
  out->target_type = spec.target_type.value_or("");
  out->target_group_protocol = spec.target_group_protocol.value_or("");
  out->service_name = spec.service_ref.name;
  out->service_port = spec.service_ref.port;
  out->networking_ingress.clear();
  if (spec.networking) {
    for (const ms::TgbNetworkingIngressRule& rule : spec.networking->ingress) {
      mk::TgbNetworkingIngressRule k;
      for (const ms::TgbNetworkingPeer& peer : rule.from) {
        mk::TgbNetworkingPeer p;
        if (peer.ip_block_cidr) {
          p.ip_block_cidr = peer.ip_block_cidr;
        } else if (peer.security_group) {
          SIM_ASSIGN_OR_RETURN(std::string group_id, ResolveToken(stack, peer.security_group->group_id));
          p.security_group = mk::TgbSecurityGroup{group_id};
        } else {
          return MakeError(ErrorCode::kInvalidArgument, "either ipBlock or securityGroup should be specified");
        }
        k.from.push_back(p);
      }
      for (const ms::TgbNetworkingPort& port : rule.ports) {
        mk::TgbNetworkingPort p;
        p.protocol = port.protocol.value_or("");
        p.port = port.port;
        k.ports.push_back(p);
      }
      out->networking_ingress.push_back(k);
    }
  }
  out->node_selector = spec.node_selector;
  out->ip_address_type = spec.ip_address_type;
  out->vpc_id = spec.vpc_id;
  out->multi_cluster_target_group.reset();
  if (spec.multi_cluster_target_group) out->multi_cluster_target_group = true;
  return OkStatus();
}

namespace {

bool PeerEqual(const mk::TgbNetworkingPeer& a, const mk::TgbNetworkingPeer& b) {
  if (a.ip_block_cidr != b.ip_block_cidr) return false;
  if (a.security_group.has_value() != b.security_group.has_value()) return false;
  return !a.security_group || a.security_group->group_id == b.security_group->group_id;
}

bool PortEqual(const mk::TgbNetworkingPort& a, const mk::TgbNetworkingPort& b) {
  return a.protocol == b.protocol && a.port == b.port;
}

bool RuleEqual(const mk::TgbNetworkingIngressRule& a, const mk::TgbNetworkingIngressRule& b) {
  if (a.from.size() != b.from.size() || a.ports.size() != b.ports.size()) return false;
  for (size_t i = 0; i < a.from.size(); ++i) {
    if (!PeerEqual(a.from[i], b.from[i])) return false;
  }
  for (size_t i = 0; i < a.ports.size(); ++i) {
    if (!PortEqual(a.ports[i], b.ports[i])) return false;
  }
  return true;
}

bool SelectorEqual(const std::optional<mk::LabelSelector>& a, const std::optional<mk::LabelSelector>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || *a == *b;
}

}  // namespace

bool TargetGroupBindingSpecEqual(const mk::TargetGroupBinding& a, const mk::TargetGroupBinding& b) {
  if (a.target_group_arn != b.target_group_arn || a.target_group_name != b.target_group_name ||
      a.target_type != b.target_type || a.target_group_protocol != b.target_group_protocol ||
      a.service_name != b.service_name || !(a.service_port == b.service_port) ||
      a.ip_address_type != b.ip_address_type || a.vpc_id != b.vpc_id ||
      a.multi_cluster_target_group.value_or(false) != b.multi_cluster_target_group.value_or(false) ||
      !SelectorEqual(a.node_selector, b.node_selector)) {
    return false;
  }
  if (a.networking_ingress.size() != b.networking_ingress.size()) return false;
  for (size_t i = 0; i < a.networking_ingress.size(); ++i) {
    if (!RuleEqual(a.networking_ingress[i], b.networking_ingress[i])) return false;
  }
  return true;
}

Result<ms::TargetGroupBindingResourceStatus> TargetGroupBindingManager::Create(const ms::Stack& stack,
                                                                              const ms::TargetGroupBindingResource& res) {
  mk::TargetGroupBinding tgb;
  SIM_RETURN_IF_ERROR(BuildK8sTargetGroupBindingSpec(stack, res, &tgb));
  tgb.metadata.namespace_ = res.spec.template_.namespace_;
  tgb.metadata.name = res.spec.template_.name;
  for (const auto& [k, v] : tracking_.StackLabels(ToStackId(stack.stack_id()))) tgb.metadata.labels[k] = v;
  LogInfo(deps_, "creating targetGroupBinding " + res.id);
  auto r = deps_.kube.Create(tgb);
  if (!r.ok()) return r.error();
  LogInfo(deps_, "created targetGroupBinding " + tgb.metadata.namespace_ + "/" + tgb.metadata.name);
  return ms::TargetGroupBindingResourceStatus{tgb.metadata.namespace_, tgb.metadata.name};
}

Result<ms::TargetGroupBindingResourceStatus> TargetGroupBindingManager::Update(const ms::Stack& stack,
                                                                              const ms::TargetGroupBindingResource& res,
                                                                              const TgbPtr& k8s_tgb) {
  mk::TargetGroupBinding desired;
  SIM_RETURN_IF_ERROR(BuildK8sTargetGroupBindingSpec(stack, res, &desired));
  TagMap labels = tracking_.StackLabels(ToStackId(stack.stack_id()));
  std::map<std::string, std::string> annotations_no_checkpoint;
  for (const auto& [k, v] : k8s_tgb->metadata.annotations) {
    if (k != kAnnotationCheckPoint && k != kAnnotationCheckPointTimestamp) annotations_no_checkpoint[k] = v;
  }
  const bool spec_same = TargetGroupBindingSpecEqual(*k8s_tgb, desired);
  const bool labels_same = k8s_tgb->metadata.labels == labels;
  const bool annotations_same = annotations_no_checkpoint.empty();  // the template has no annotations
  ms::TargetGroupBindingResourceStatus status{k8s_tgb->metadata.namespace_, k8s_tgb->metadata.name};
  if (spec_same && labels_same && annotations_same) return status;

  // Merge patch: spec, labels and annotations (= the template's: none) replace the stored ones.
  auto current = k8s::Get<mk::TargetGroupBinding>(deps_.kube, k8s_tgb->metadata.namespace_, k8s_tgb->metadata.name);
  if (!current.ok()) return current.error();
  auto updated = k8s::MutableCopy(current.value());
  mk::ObjectMeta meta = updated->metadata;
  int64_t observed = updated->observed_generation;
  *updated = desired;
  updated->metadata = meta;
  updated->observed_generation = observed;
  updated->metadata.labels = labels;
  updated->metadata.annotations.clear();
  LogInfo(deps_, "modifying targetGroupBinding " + meta.namespace_ + "/" + meta.name);
  auto r = deps_.kube.Update(*updated);
  if (!r.ok()) return r.error();
  const int64_t generation = r.value()->metadata.generation;
  SIM_RETURN_IF_ERROR(PollImmediate(deps_, kWaitTGBObservedPollInterval, kWaitTGBObservedTimeout, [&]() -> Result<bool> {
    auto got = k8s::Get<mk::TargetGroupBinding>(deps_.kube, meta.namespace_, meta.name);
    if (!got.ok()) return got.error();
    return got.value()->observed_generation >= generation;
  }));
  LogInfo(deps_, "modified targetGroupBinding " + meta.namespace_ + "/" + meta.name);
  return status;
}

Status TargetGroupBindingManager::Delete(const TgbPtr& k8s_tgb) {
  const std::string ns = k8s_tgb->metadata.namespace_, name = k8s_tgb->metadata.name;
  LogInfo(deps_, "deleting targetGroupBinding " + ns + "/" + name);
  Status s = deps_.kube.Delete(mk::Kind::kTargetGroupBinding, ns, name);
  if (!s.ok()) return s;
  Status w = PollImmediate(deps_, kWaitTGBDeletionPollInterval, kWaitTGBDeletionTimeout, [&]() -> Result<bool> {
    auto got = deps_.kube.Get(mk::Kind::kTargetGroupBinding, ns, name);
    if (!got.ok()) {
      if (k8s::IsNotFound(got.error())) return true;
      return got.error();
    }
    return false;
  });
  if (!w.ok()) return Wrap(w.error(), "failed to wait targetGroupBinding deletion");
  LogInfo(deps_, "deleted targetGroupBinding " + ns + "/" + name);
  return OkStatus();
}

Status TargetGroupBindingSynthesizer::Synthesize() {
  TagMap labels = tracking_.StackLabels(ToStackId(stack_.stack_id()));
  std::map<std::string, TgbPtr> k8s_by_arn;
  for (const TgbPtr& tgb : k8s::ListMatchingLabels<mk::TargetGroupBinding>(deps_.kube, "", labels)) {
    k8s_by_arn[tgb->target_group_arn] = tgb;
  }
  std::map<std::string, ms::TargetGroupBindingResource*> res_by_arn;
  for (auto& [id, res] : stack_.MutableList<ms::TargetGroupBindingResource>()) {
    SIM_ASSIGN_OR_RETURN(std::string arn, ResolveToken(stack_, res.spec.template_.spec.target_group_arn));
    res_by_arn[arn] = &res;
  }
  unmatched_k8s_.clear();
  for (auto& [arn, tgb] : k8s_by_arn) {
    if (!res_by_arn.count(arn)) unmatched_k8s_.push_back(tgb);
  }
  for (auto& [arn, res] : res_by_arn) {
    if (k8s_by_arn.count(arn)) continue;
    SIM_ASSIGN_OR_RETURN(ms::TargetGroupBindingResourceStatus st, tgb_manager_.Create(stack_, *res));
    res->status = st;
  }
  for (auto& [arn, res] : res_by_arn) {
    auto it = k8s_by_arn.find(arn);
    if (it == k8s_by_arn.end()) continue;
    SIM_ASSIGN_OR_RETURN(ms::TargetGroupBindingResourceStatus st, tgb_manager_.Update(stack_, *res, it->second));
    res->status = st;
  }
  return OkStatus();
}

Status TargetGroupBindingSynthesizer::PostSynthesize() {
  for (const TgbPtr& tgb : unmatched_k8s_) SIM_RETURN_IF_ERROR(tgb_manager_.Delete(tgb));
  return OkStatus();
}

}  // namespace sim::controller
