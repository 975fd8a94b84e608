// Mirrors upstream pkg/deploy/elbv2/listener_manager.go and listener_attributes_reconciler.go.
#include "sim/controller/listener_manager.h"

#include <set>

namespace sim::controller {

namespace ms = model::stack;
namespace ma = model::aws;

bool AreListenerAttributesSupported(const std::string& protocol) { return protocol != "TLS"; }

Result<aws::CreateListenerRequest> BuildSDKCreateListenerInput(const ms::Stack& stack, const ms::ListenerSpec& spec,
                                                             const DeployFeatureGates& gates) {
  aws::CreateListenerRequest req;
  SIM_ASSIGN_OR_RETURN(req.load_balancer_arn, ResolveToken(stack, spec.load_balancer_arn));
  req.port = spec.port;
  req.protocol = spec.protocol;
  SIM_ASSIGN_OR_RETURN(req.default_actions, BuildSDKActions(stack, spec.default_actions, gates));
  std::vector<ma::Certificate> extra;
  BuildSDKCertificates(stack, spec.certificates, &req.certificates, &extra);
  req.ssl_policy = spec.ssl_policy;
  if (!spec.alpn_policy.empty()) req.alpn_policy = spec.alpn_policy;
  req.mutual_authentication = BuildSDKMutualAuthenticationConfig(spec.mutual_authentication);
  return req;
}

aws::ModifyListenerRequest BuildSDKModifyListenerInput(const ms::ListenerSpec& spec,
                                                       const std::vector<ma::Action>& desired_default_actions,
                                                       const std::vector<ma::Certificate>& desired_default_certs,
                                                       const std::optional<ma::MutualAuthenticationAttributes>& desired_mtls,
                                                       bool remove_mtls, bool remove_alpn) {
  aws::ModifyListenerRequest req;
  req.port = spec.port;
  req.protocol = spec.protocol;
  // Upstream always sends both lists, even empty (Test_buildSDKModifyListenerInput "no alpn policy").
  req.default_actions = desired_default_actions;
  req.certificates = desired_default_certs;
  req.ssl_policy = spec.ssl_policy;
  if (remove_alpn) {
    req.alpn_policy = std::vector<std::string>{"None"};
  } else if (!spec.alpn_policy.empty()) {
    req.alpn_policy = spec.alpn_policy;
  }
  if (remove_mtls) {
    ma::MutualAuthenticationAttributes off;
    off.mode = "off";
    req.mutual_authentication = off;
  } else {
    req.mutual_authentication = desired_mtls;
  }
  return req;
}

bool IsRemoveMTLS(const ListenerWithTags& sdk, const std::optional<ma::MutualAuthenticationAttributes>& desired) {
  if (desired) return false;
  const auto& cur = sdk.listener.mutual_authentication;
  if (!cur || cur->mode.empty() || cur->mode == "off") return false;
  return true;
}

bool IsRemoveALPN(const ListenerWithTags& sdk, const ms::ListenerSpec& spec) {
  if (!spec.alpn_policy.empty()) return false;
  const auto& cur = sdk.listener.alpn_policy;
  if (cur.empty() || cur[0] == "None") return false;
  return true;
}

bool ListenerManager::IsSDKListenerSettingsDrifted(const ms::ListenerSpec& spec, const ListenerWithTags& sdk,
                                                   const std::vector<ma::Action>& desired_default_actions,
                                                   const std::vector<ma::Certificate>& desired_default_certs,
                                                   const std::optional<ma::MutualAuthenticationAttributes>& desired_mtls) const {
  const ma::Listener& ls = sdk.listener;
  if (spec.port != ls.port.value_or(0)) return true;
  if (spec.protocol != ls.protocol) return true;
  if (!ActionsEqual(desired_default_actions, ls.default_actions)) return true;
  if (!CertificatesEqual(desired_default_certs, ls.certificates)) return true;
  if (spec.ssl_policy && *spec.ssl_policy != ls.ssl_policy.value_or("")) return true;
  const bool enhanced = config_.feature_gates.enhanced_default_behavior;
  if (enhanced) {
    bool desired_none = spec.alpn_policy.empty() || spec.alpn_policy[0] == "None";
    bool actual_none = ls.alpn_policy.empty() || ls.alpn_policy[0] == "None";
    if (desired_none && !actual_none) return true;
    if (actual_none && !desired_none) return true;
    if (!desired_none && !actual_none && spec.alpn_policy != ls.alpn_policy) return true;
  } else if (!spec.alpn_policy.empty() && spec.alpn_policy != ls.alpn_policy) {
    return true;
  }
  if (!enhanced && !desired_mtls) return false;
  const auto& cur = ls.mutual_authentication;
  if (!desired_mtls && !cur) return false;
  if (!desired_mtls || desired_mtls->mode.empty()) {
    if (!cur || cur->mode.empty() || cur->mode == "off") return false;
    return true;
  }
  if (desired_mtls->mode == "off") return !(!cur || cur->mode.empty() || cur->mode == "off");
  return !MutualAuthenticationEqual(desired_mtls, cur);
}

Result<ms::ListenerStatus> ListenerManager::Create(const ms::Stack& stack, const ms::Listener& res) {
  SIM_ASSIGN_OR_RETURN(aws::CreateListenerRequest req, BuildSDKCreateListenerInput(stack, res.spec, config_.feature_gates));
  std::optional<TagMap> tags;
  if (config_.feature_gates.listener_rules_tagging) {
    tags = tracking_.ResourceTags(ToStackId(stack.stack_id()), res.id, res.spec.tags);
    req.tags = ConvertTagsToSDKTags(*tags);
  }
  LogInfo(deps_, "creating listener " + res.id);
  auto r = deps_.elbv2.CreateListener(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("CreateListener", r.error());
  ListenerWithTags sdk{r.value(), tags};
  LogInfo(deps_, "created listener " + res.id + " arn " + sdk.listener.listener_arn);
  Status s = RetryImmediateOnError(deps_, kWaitLSExistencePollInterval, kWaitLSExistenceTimeout, IsListenerNotFoundError,
                                   [&] { return UpdateExtraCertificates(stack, res, sdk, /*is_new=*/true); });
  if (!s.ok()) return Wrap(s.error(), "failed to update extra certificates on listener");
  if (AreListenerAttributesSupported(res.spec.protocol)) SIM_RETURN_IF_ERROR(ReconcileAttributes(res, sdk));
  return ms::ListenerStatus{sdk.listener.listener_arn};
}

Result<ms::ListenerStatus> ListenerManager::Update(const ms::Stack& stack, const ms::Listener& res,
                                                   const ListenerWithTags& sdk) {
  const std::string& arn = sdk.listener.listener_arn;
  if (config_.feature_gates.listener_rules_tagging) {
    TagMap desired = tracking_.ResourceTags(ToStackId(stack.stack_id()), res.id, res.spec.tags);
    ReconcileTagsOptions opts;
    opts.current_tags = sdk.tags;
    opts.ignored_tag_keys = config_.external_managed_tags;
    SIM_RETURN_IF_ERROR(tagging_.ReconcileTags(arn, desired, opts));
  }
  {
    SIM_ASSIGN_OR_RETURN(auto desired_actions, BuildSDKActions(stack, res.spec.default_actions, config_.feature_gates));
    std::vector<ma::Certificate> default_certs, extra;
    BuildSDKCertificates(stack, res.spec.certificates, &default_certs, &extra);
    auto desired_mtls = BuildSDKMutualAuthenticationConfig(res.spec.mutual_authentication);
    if (IsSDKListenerSettingsDrifted(res.spec, sdk, desired_actions, default_certs, desired_mtls)) {
      bool remove_mtls = false, remove_alpn = false;
      if (config_.feature_gates.enhanced_default_behavior) {
        remove_mtls = IsRemoveMTLS(sdk, desired_mtls);
        remove_alpn = IsRemoveALPN(sdk, res.spec);
      }
      aws::ModifyListenerRequest req =
          BuildSDKModifyListenerInput(res.spec, desired_actions, default_certs, desired_mtls, remove_mtls, remove_alpn);
      req.listener_arn = arn;
      LogInfo(deps_, "modifying listener " + arn);
      auto m = deps_.elbv2.ModifyListener(deps_.call_context, req);
      if (!m.ok()) return Elbv2Error("ModifyListener", m.error());
    }
  }
  SIM_RETURN_IF_ERROR(UpdateExtraCertificates(stack, res, sdk, /*is_new=*/false));
  if (AreListenerAttributesSupported(res.spec.protocol)) SIM_RETURN_IF_ERROR(ReconcileAttributes(res, sdk));
  return ms::ListenerStatus{arn};
}

Status ListenerManager::Delete(const ListenerWithTags& sdk) {
  LogInfo(deps_, "deleting listener " + sdk.listener.listener_arn);
  Status s = deps_.elbv2.DeleteListener(deps_.call_context, sdk.listener.listener_arn);
  if (!s.ok()) return Elbv2Error("DeleteListener", s.error());
  return OkStatus();
}

Status ListenerManager::UpdateExtraCertificates(const ms::Stack& stack, const ms::Listener& res,
                                                const ListenerWithTags& sdk, bool is_new) {
  if (!res.spec.ssl_policy && !sdk.listener.ssl_policy) return OkStatus();
  std::vector<ma::Certificate> default_certs, extra;
  BuildSDKCertificates(stack, res.spec.certificates, &default_certs, &extra);
  std::set<std::string> desired;
  for (const auto& c : extra) desired.insert(c.certificate_arn);
  std::set<std::string> current;
  if (!is_new) {
    auto r = deps_.elbv2.DescribeListenerCertificates(deps_.call_context, sdk.listener.listener_arn);
    if (!r.ok()) return Elbv2Error("DescribeListenerCertificates", r.error());
    for (const auto& c : r.value()) {
      if (!c.is_default.value_or(false)) current.insert(c.certificate_arn);
    }
  }
  for (const std::string& arn : current) {
    if (desired.count(arn)) continue;
    aws::ListenerCertificatesRequest req;
    req.listener_arn = sdk.listener.listener_arn;
    req.certificates = {ma::Certificate{arn, std::nullopt}};
    LogInfo(deps_, "removing certificate from listener " + req.listener_arn);
    Status s = deps_.elbv2.RemoveListenerCertificates(deps_.call_context, req);
    if (!s.ok()) return Elbv2Error("RemoveListenerCertificates", s.error());
  }
  for (const std::string& arn : desired) {
    if (current.count(arn)) continue;
    aws::ListenerCertificatesRequest req;
    req.listener_arn = sdk.listener.listener_arn;
    req.certificates = {ma::Certificate{arn, std::nullopt}};
    LogInfo(deps_, "adding certificate to listener " + req.listener_arn);
    auto r = deps_.elbv2.AddListenerCertificates(deps_.call_context, req);
    if (!r.ok()) return Elbv2Error("AddListenerCertificates", r.error());
  }
  return OkStatus();
}

Status ListenerManager::ReconcileAttributes(const ms::Listener& res, const ListenerWithTags& sdk) {
  TagMap desired;
  for (const auto& a : res.spec.listener_attributes) desired[a.key] = a.value;
  auto r = deps_.elbv2.DescribeListenerAttributes(deps_.call_context, sdk.listener.listener_arn);
  if (!r.ok()) return Elbv2Error("DescribeListenerAttributes", r.error());
  TagMap current;
  for (const auto& a : r.value()) current[a.key] = a.value;
  TagMap to_update, to_remove;
  DiffStringMap(desired, current, &to_update, &to_remove);
  if (to_update.empty()) return OkStatus();
  aws::ModifyListenerAttributesRequest req;
  req.listener_arn = sdk.listener.listener_arn;
  for (const auto& [k, v] : to_update) req.attributes.push_back(ma::Attribute{k, v});
  LogInfo(deps_, "modifying listener attributes " + req.listener_arn);
  auto m = deps_.elbv2.ModifyListenerAttributes(deps_.call_context, req);
  if (!m.ok()) return Elbv2Error("ModifyListenerAttributes", m.error());
  return OkStatus();
}

}  // namespace sim::controller
