// Deploy corpus handlers for target groups: upstream pkg/deploy/elbv2/target_group_synthesizer_test.go,
// target_group_manager_test.go and target_group_attributes_reconciler_test.go.
#include <nlohmann/json.hpp>

#include "sim/conformance/deploy_internal.h"
#include "sim/conformance/deploy_scripted_aws.h"
#include "sim/controller/target_group_manager.h"
#include "sim/controller/target_group_synthesizer.h"
#include "sim/controller/tracking.h"

namespace sim::conformance::deploy {

namespace sc = sim::controller;
namespace ms = sim::model::stack;
namespace ma = sim::model::aws;

namespace {

Json SdkTGSource(const Json& list, const std::string& arn) {
  for (const auto& j : list) {
    if (Str(At(At(j, "TargetGroup"), "TargetGroupArn")) == arn) return j;
  }
  return nullptr;
}

ms::TargetGroup ResTG(const Json& j) {
  ms::TargetGroup tg;
  tg.id = Str(At(j, "resourceID"));
  tg.spec = TargetGroupSpecArg(j);
  return tg;
}

// The health-check members shared by CreateTargetGroupInput and ModifyTargetGroupInput.
template <typename Req>
void HealthCheckJson(const Req& r, Json& o) {
  if (r.health_check_enabled) o["HealthCheckEnabled"] = *r.health_check_enabled;
  if (r.health_check_interval_seconds) o["HealthCheckIntervalSeconds"] = *r.health_check_interval_seconds;
  if (r.health_check_path) o["HealthCheckPath"] = *r.health_check_path;
  if (r.health_check_port) o["HealthCheckPort"] = *r.health_check_port;
  if (r.health_check_protocol) o["HealthCheckProtocol"] = *r.health_check_protocol;
  if (r.health_check_timeout_seconds) o["HealthCheckTimeoutSeconds"] = *r.health_check_timeout_seconds;
  if (r.healthy_threshold_count) o["HealthyThresholdCount"] = *r.healthy_threshold_count;
  if (r.matcher) o["Matcher"] = SDKMatcherJson(*r.matcher);
  if (r.unhealthy_threshold_count) o["UnhealthyThresholdCount"] = *r.unhealthy_threshold_count;
}

struct TGManagerFixture {
  explicit TGManagerFixture(const Json& c)
      : h(c), tracking("ingress.k8s.aws", ""), tagging(h.Deps(), h.config.vpc_id, h.config.feature_gates),
        mgr(h.Deps(), tracking, tagging, h.config) {}
  Harness h;
  sc::TrackingProvider tracking;
  sc::Elbv2TaggingManager tagging;
  sc::TargetGroupManager mgr;
};

}  // namespace

void RegisterTargetGroupHandlers(DeployHandlerMap& m) {
  m["matchResAndSDKTargetGroups"] = [](const Json& c) {
    ms::Stack stack(ms::StackID{"namespace", "name"});
    const Json& sdk_list = CallArg(c, 1);
    std::vector<ms::TargetGroup*> res;
    std::map<const ms::TargetGroup*, Json> src;
    for (const auto& j : CallArg(c, 0)) {
      ms::TargetGroup* tg = stack.MutableFind<ms::TargetGroup>(AddTargetGroup(stack, j));
      res.push_back(tg);
      src[tg] = j;
    }
    std::vector<sc::TargetGroupWithTags> sdk;
    for (const auto& j : sdk_list) sdk.push_back(SDKTargetGroupArg(j));
    auto r = sc::MatchResAndSDKTargetGroups(res, sdk, Str(CallArg(c, 2)), GatesArg(c));
    if (!r.ok()) return Json{{"wantErr", r.error().message}};
    Json matched = nullptr, unmatched_res = nullptr, unmatched_sdk = nullptr;
    for (const auto& p : r.value().matched) {
      matched.push_back(Json{{"resTG", src[p.res]}, {"sdkTG", SdkTGSource(sdk_list, p.sdk.target_group.target_group_arn)}});
    }
    for (const auto* tg : r.value().unmatched_res) unmatched_res.push_back(src[tg]);
    for (const auto& s : r.value().unmatched_sdk) unmatched_sdk.push_back(SdkTGSource(sdk_list, s.target_group.target_group_arn));
    return Json{{"want", matched}, {"want1", unmatched_res}, {"want2", unmatched_sdk}, {"wantErr", nullptr}};
  };

  m["mapResTargetGroupByResourceID"] = [](const Json& c) {
    ms::Stack stack(ms::StackID{"namespace", "name"});
    std::vector<ms::TargetGroup*> res;
    std::map<const ms::TargetGroup*, Json> src;
    for (const auto& j : CallArg(c, 0)) {
      ms::TargetGroup* tg = stack.MutableFind<ms::TargetGroup>(AddTargetGroup(stack, j));
      res.push_back(tg);
      src[tg] = j;
    }
    Json out = Json::object();
    for (const auto& [id, tg] : sc::MapResTargetGroupByResourceID(res)) out[id] = src[tg];
    return Json{{"want", out}};
  };

  m["mapSDKTargetGroupByResourceID"] = [](const Json& c) {
    const Json& sdk_list = CallArg(c, 0);
    std::vector<sc::TargetGroupWithTags> sdk;
    for (const auto& j : sdk_list) sdk.push_back(SDKTargetGroupArg(j));
    auto r = sc::MapSDKTargetGroupByResourceID(sdk, Str(CallArg(c, 1)));
    if (!r.ok()) return Json{{"wantErr", r.error().message}};
    Json out = Json::object();
    for (const auto& [id, list] : r.value()) {
      for (const auto& s : list) out[id].push_back(SdkTGSource(sdk_list, s.target_group.target_group_arn));
    }
    return Json{{"want", out}, {"wantErr", nullptr}};
  };

  m["buildSDKCreateTargetGroupInput"] = [](const Json& c) {
    aws::CreateTargetGroupRequest r = sc::BuildSDKCreateTargetGroupInput(TargetGroupSpecArg(CallArg(c, 0)));
    Json o = {{"Name", r.name}};
    HealthCheckJson(r, o);
    if (r.port) o["Port"] = *r.port;
    if (r.protocol) o["Protocol"] = *r.protocol;
    if (r.protocol_version) o["ProtocolVersion"] = *r.protocol_version;
    if (r.target_type) o["TargetType"] = *r.target_type;
    if (r.ip_address_type) o["IpAddressType"] = *r.ip_address_type;
    if (r.target_control_port) o["TargetControlPort"] = *r.target_control_port;
    return Json{{"want", o}};
  };

  m["buildSDKModifyTargetGroupInput"] = [](const Json& c) {
    aws::ModifyTargetGroupRequest r = sc::BuildSDKModifyTargetGroupInput(TargetGroupSpecArg(CallArg(c, 0)));
    Json o = Json::object();
    HealthCheckJson(r, o);
    return Json{{"want", o}};
  };

  m["buildSDKMatcher"] = [](const Json& c) {
    const Json& j = CallArg(c, 0);
    ms::HealthCheckMatcher mm{OptStr(At(j, "httpCode")), OptStr(At(j, "grpcCode"))};
    return Json{{"want", SDKMatcherJson(sc::BuildSDKMatcher(mm))}};
  };

  m["buildResTargetGroupStatus"] = [](const Json& c) {
    sc::TargetGroupWithTags sdk = SDKTargetGroupArg(CallArg(c, 0));
    // buildResTargetGroupStatus: the status carries the ARN only.
    ms::TargetGroupStatus st{sdk.target_group.target_group_arn};
    return Json{{"want", Json{{"targetGroupARN", st.target_group_arn}}}};
  };

  m["getDesiredTargetGroupAttributes"] = [](const Json& c) {
    return Json{{"want", TagMapJson(sc::GetDesiredTargetGroupAttributes(ResTG(CallArg(c, 0))))}};
  };

  m["getCurrentTargetGroupAttributes"] = [](const Json& c) {
    TGManagerFixture f(c);
    auto r = f.mgr.GetCurrentTargetGroupAttributes(SDKTargetGroupArg(CallArg(c, 0)));
    f.h.Finish();
    if (!r.ok()) return Json{{"wantErr", r.error().message}};
    return Json{{"want", TagMapJson(r.value())}, {"wantErr", nullptr}};
  };

  m["Reconcile"] = [](const Json& c) {
    const std::string type = Str(At(At(At(c, "unit"), "receiver"), "type"));
    if (type == "defaultLoadBalancerAttributeReconciler") return ReconcileLoadBalancerAttributes(c);
    return ReconcileTargetGroupAttributes(c);
  };
}

Json ReconcileTargetGroupAttributes(const Json& c) {
  TGManagerFixture f(c);
  Status st = f.mgr.ReconcileAttributes(ResTG(CallArg(c, 0)), SDKTargetGroupArg(CallArg(c, 1)));
  f.h.Finish();
  return Json{{"wantErr", st.ok() ? Json(nullptr) : Json(st.error().message)}};
}

}  // namespace sim::conformance::deploy
