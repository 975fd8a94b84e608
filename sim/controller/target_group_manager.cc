// Mirrors upstream pkg/deploy/elbv2/target_group_manager.go and
// target_group_attributes_reconciler.go.
#include "sim/controller/target_group_manager.h"

namespace sim::controller {

namespace ms = model::stack;
namespace ma = model::aws;

ma::Matcher BuildSDKMatcher(const ms::HealthCheckMatcher& m) { return ma::Matcher{m.http_code, m.grpc_code}; }

namespace {

// The health-check fields Create- and ModifyTargetGroup share (same names in both requests).
template <typename Request>
void SetSDKHealthCheck(const ms::TargetGroupHealthCheckConfig& hc, Request* req) {
  req->health_check_enabled = true;
  if (hc.port) req->health_check_port = hc.port->ToString();
  if (!hc.protocol.empty()) req->health_check_protocol = hc.protocol;
  req->health_check_path = hc.path;
  if (hc.matcher) req->matcher = BuildSDKMatcher(*hc.matcher);
  if (hc.interval_seconds) req->health_check_interval_seconds = *hc.interval_seconds;
  if (hc.timeout_seconds) req->health_check_timeout_seconds = *hc.timeout_seconds;
  if (hc.healthy_threshold_count) req->healthy_threshold_count = *hc.healthy_threshold_count;
  if (hc.unhealthy_threshold_count) req->unhealthy_threshold_count = *hc.unhealthy_threshold_count;
}

}  // namespace

aws::CreateTargetGroupRequest BuildSDKCreateTargetGroupInput(const ms::TargetGroupSpec& spec) {
  aws::CreateTargetGroupRequest req;
  req.name = spec.name;
  if (!spec.target_type.empty()) req.target_type = spec.target_type;
  if (spec.port) req.port = *spec.port;
  if (!spec.protocol.empty()) req.protocol = spec.protocol;
  req.target_control_port = spec.target_control_port;
  if (!spec.ip_address_type.empty() && spec.ip_address_type != "ipv4") req.ip_address_type = spec.ip_address_type;
  if (spec.protocol_version) req.protocol_version = *spec.protocol_version;
  if (spec.health_check_config) {
    SetSDKHealthCheck(*spec.health_check_config, &req);
  }
  return req;
}

aws::ModifyTargetGroupRequest BuildSDKModifyTargetGroupInput(const ms::TargetGroupSpec& spec) {
  aws::ModifyTargetGroupRequest req;
  if (spec.health_check_config) {
    SetSDKHealthCheck(*spec.health_check_config, &req);
  }
  return req;
}

bool IsSDKTargetGroupHealthCheckDrifted(const ms::TargetGroupSpec& spec, const TargetGroupWithTags& sdk) {
  if (!spec.health_check_config) return false;
  const ms::TargetGroupHealthCheckConfig& hc = *spec.health_check_config;
  const ma::TargetGroup& tg = sdk.target_group;
  if (hc.port && hc.port->ToString() != tg.health_check_port.value_or("")) return true;
  if (hc.protocol != tg.health_check_protocol.value_or("")) return true;
  if (hc.path && *hc.path != tg.health_check_path.value_or("")) return true;
  if (hc.matcher) {
    if (!tg.matcher) return true;
    if (hc.matcher->grpc_code.value_or("") != tg.matcher->grpc_code.value_or("")) return true;
    if (hc.matcher->http_code.value_or("") != tg.matcher->http_code.value_or("")) return true;
  }
  if (hc.interval_seconds && *hc.interval_seconds != tg.health_check_interval_seconds) return true;
  if (hc.timeout_seconds && *hc.timeout_seconds != tg.health_check_timeout_seconds) return true;
  if (hc.healthy_threshold_count && *hc.healthy_threshold_count != tg.healthy_threshold_count) return true;
  if (hc.unhealthy_threshold_count && *hc.unhealthy_threshold_count != tg.unhealthy_threshold_count) return true;
  return false;
}

bool IsTargetGroupResourceInUseError(const Error& err) { return err.aws_code == "ResourceInUse"; }

Result<ms::TargetGroupStatus> TargetGroupManager::Create(const ms::Stack& stack, const ms::TargetGroup& res) {
  aws::CreateTargetGroupRequest req = BuildSDKCreateTargetGroupInput(res.spec);
  req.vpc_id = config_.vpc_id;
  TagMap tags = tracking_.ResourceTags(StackId{stack.stack_id().namespace_, stack.stack_id().name}, res.id, res.spec.tags);
  req.tags = ConvertTagsToSDKTags(tags);
  LogInfo(deps_, "creating targetGroup " + res.id);
  auto r = deps_.elbv2.CreateTargetGroup(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("CreateTargetGroup", r.error());
  TargetGroupWithTags sdk{r.value(), tags};
  LogInfo(deps_, "created targetGroup " + res.id + " arn " + sdk.target_group.target_group_arn);
  SIM_RETURN_IF_ERROR(ReconcileAttributes(res, sdk));
  return ms::TargetGroupStatus{sdk.target_group.target_group_arn};
}

Result<ms::TargetGroupStatus> TargetGroupManager::Update(const ms::Stack& stack, const ms::TargetGroup& res,
                                                         const TargetGroupWithTags& sdk) {
  TagMap desired = tracking_.ResourceTags(StackId{stack.stack_id().namespace_, stack.stack_id().name}, res.id, res.spec.tags);
  ReconcileTagsOptions opts;
  opts.current_tags = sdk.tags;
  opts.ignored_tag_keys = tracking_.LegacyTagKeys();
  opts.ignored_tag_keys.insert(opts.ignored_tag_keys.end(), config_.external_managed_tags.begin(),
                               config_.external_managed_tags.end());
  SIM_RETURN_IF_ERROR(tagging_.ReconcileTags(sdk.target_group.target_group_arn, desired, opts));
  if (IsSDKTargetGroupHealthCheckDrifted(res.spec, sdk)) {
    aws::ModifyTargetGroupRequest req = BuildSDKModifyTargetGroupInput(res.spec);
    req.target_group_arn = sdk.target_group.target_group_arn;
    LogInfo(deps_, "modifying targetGroup healthCheck " + req.target_group_arn);
    auto r = deps_.elbv2.ModifyTargetGroup(deps_.call_context, req);
    if (!r.ok()) return Elbv2Error("ModifyTargetGroup", r.error());
  }
  SIM_RETURN_IF_ERROR(ReconcileAttributes(res, sdk));
  return ms::TargetGroupStatus{sdk.target_group.target_group_arn};
}

Status TargetGroupManager::Delete(const TargetGroupWithTags& sdk) {
  const std::string& arn = sdk.target_group.target_group_arn;
  LogInfo(deps_, "deleting targetGroup " + arn);
  Status s = RetryImmediateOnError(deps_, kWaitTGDeletionPollInterval, kWaitTGDeletionTimeout,
                                   IsTargetGroupResourceInUseError, [&]() -> Status {
                                     Status d = deps_.elbv2.DeleteTargetGroup(deps_.call_context, arn);
                                     if (!d.ok()) return Elbv2Error("DeleteTargetGroup", d.error());
                                     return OkStatus();
                                   });
  if (!s.ok()) return Wrap(s.error(), "failed to delete targetGroup");
  LogInfo(deps_, "deleted targetGroup " + arn);
  return OkStatus();
}

TagMap GetDesiredTargetGroupAttributes(const ms::TargetGroup& res) {
  TagMap desired;
  for (const auto& a : res.spec.target_group_attributes) desired[a.key] = a.value;
  return desired;
}

Result<TagMap> TargetGroupManager::GetCurrentTargetGroupAttributes(const TargetGroupWithTags& sdk) {
  auto r = deps_.elbv2.DescribeTargetGroupAttributes(deps_.call_context, sdk.target_group.target_group_arn);
  if (!r.ok()) return Elbv2Error("DescribeTargetGroupAttributes", r.error());
  TagMap current;
  for (const auto& a : r.value()) current[a.key] = a.value;
  return current;
}

Status TargetGroupManager::ReconcileAttributes(const ms::TargetGroup& res, const TargetGroupWithTags& sdk) {
  TagMap desired = GetDesiredTargetGroupAttributes(res);
  SIM_ASSIGN_OR_RETURN(TagMap current, GetCurrentTargetGroupAttributes(sdk));
  TagMap to_update, to_remove;
  DiffStringMap(desired, current, &to_update, &to_remove);
  if (to_update.empty()) return OkStatus();
  aws::ModifyTargetGroupAttributesRequest req;
  req.target_group_arn = sdk.target_group.target_group_arn;
  for (const auto& [k, v] : to_update) req.attributes.push_back(ma::Attribute{k, v});
  LogInfo(deps_, "modifying targetGroup attributes " + req.target_group_arn);
  auto m = deps_.elbv2.ModifyTargetGroupAttributes(deps_.call_context, req);
  if (!m.ok()) return Elbv2Error("ModifyTargetGroupAttributes", m.error());
  return OkStatus();
}

}  // namespace sim::controller
