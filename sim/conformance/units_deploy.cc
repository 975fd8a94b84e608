// Conformance handlers for the deploy corpus (deploy/, case.yaml format): upstream
// pkg/deploy/elbv2/*_test.go and pkg/deploy/ec2/*_test.go. Each handler feeds the case's inputs
// to the C++ counterpart of the upstream unit and returns its results keyed by the Go `expect`
// field names; the comparison is strict (assert.Equal: list order matters, null != empty).
// Units whose cases script AWS calls run against a scripted AWS fake (deploy_scripted_aws.h) that
// fails the case on an unexpected call, a wrong input or an expectation not used up.
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "sim/conformance/deploy_internal.h"
#include "sim/conformance/internal.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/listener_manager.h"
#include "sim/controller/listener_utils.h"
#include "sim/controller/security_group_manager.h"
#include "sim/controller/tagging_manager.h"
#include "sim/controller/target_group_manager.h"
#include "sim/controller/target_group_synthesizer.h"

namespace sim::conformance {

namespace sc = sim::controller;
namespace ms = sim::model::stack;
namespace ma = sim::model::aws;
using Json = nlohmann::json;

namespace {

using namespace deploy;  // NOLINT: the corpus helpers (deploy_internal.h)

// --- Handlers ----------------------------------------------------------------------------------

Json BoolResult(const Json& c, bool v) { return Json{{WantKey(c), v}}; }

DeployHandlerMap& DeployHandlers() {
  static auto* m = [] {
    auto* h = new DeployHandlerMap{
      {"isL4TargetGroup", [](const Json& c) { return BoolResult(c, sc::IsL4TargetGroup(Str(CallArg(c, 0)))); }},
      {"areListenerAttributesSupported",
       [](const Json& c) { return BoolResult(c, sc::AreListenerAttributesSupported(Str(CallArg(c, 0)))); }},
      {"isTargetGroupResourceInUseError",
       [](const Json& c) { return BoolResult(c, sc::IsTargetGroupResourceInUseError(ErrorArg(CallArg(c, 0)))); }},
      {"isListenerNotFoundError",
       [](const Json& c) { return BoolResult(c, sc::IsListenerNotFoundError(ErrorArg(CallArg(c, 0)))); }},
      {"isSecurityGroupDependencyViolationError",
       [](const Json& c) {
         return BoolResult(c, sc::IsSecurityGroupDependencyViolationError(ErrorArg(CallArg(c, 0))));
       }},
      {"convertTagsToSDKTags",
       [](const Json& c) {
         // Upstream returns a nil slice for an empty map.
         Json out = nullptr;
         for (const auto& t : sc::ConvertTagsToSDKTags(TagMapArg(CallArg(c, 0)))) {
           out.push_back(Json{{"Key", t.key}, {"Value", t.value}});
         }
         return Json{{WantKey(c), out}};
       }},
      {"convertSDKTagsToTags",
       [](const Json& c) {
         Json out = Json::object();  // upstream always makes the map
         for (const auto& [k, v] : sc::ConvertSDKTagsToTags(SDKTagsArg(CallArg(c, 0)))) out[k] = v;
         return Json{{WantKey(c), out}};
       }},
      {"isRemoveALPN",
       [](const Json& c) {
         ms::ListenerSpec spec;
         spec.alpn_policy = StrList(At(CallArg(c, 1), "alpnPolicy"));
         return Json{{"expected", sc::IsRemoveALPN(SDKListenerArg(CallArg(c, 0)), spec)}};
       }},
      {"isRemoveMTLS",
       [](const Json& c) {
         return Json{{"expected", sc::IsRemoveMTLS(SDKListenerArg(CallArg(c, 0)), MutualAuthArg(CallArg(c, 1)))}};
       }},
      {"isSDKTargetGroupRequiresReplacement",
       [](const Json& c) {
         return BoolResult(c, sc::IsSDKTargetGroupRequiresReplacement(SDKTargetGroupArg(CallArg(c, 0)),
                                                                      TargetGroupSpecArg(CallArg(c, 1)), GatesArg(c)));
       }},
      {"isSDKTargetGroupRequiresReplacementDueToNLBHealthCheck",
       [](const Json& c) {
         return BoolResult(c, sc::IsSDKTargetGroupRequiresReplacementDueToNLBHealthCheck(
                                  SDKTargetGroupArg(CallArg(c, 0)), TargetGroupSpecArg(CallArg(c, 1)), GatesArg(c)));
       }},
      {"isSDKTargetGroupHealthCheckDrifted",
       [](const Json& c) {
         return BoolResult(c, sc::IsSDKTargetGroupHealthCheckDrifted(TargetGroupSpecArg(CallArg(c, 0)),
                                                                     SDKTargetGroupArg(CallArg(c, 1))));
       }},
    };
    RegisterListenerHandlers(*h);
    RegisterLoadBalancerHandlers(*h);
    RegisterTargetGroupHandlers(*h);
    RegisterTaggingHandlers(*h);
    return h;
  }();
  return *m;
}

std::string ReadText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

DeployVerdict RunDeployCase(const std::string& dir, std::string* why) {
  Json c;
  try {
    c = Json::parse(YamlToJsonText(ReadText(dir + "/case.yaml")));
  } catch (const std::exception& e) {
    *why = std::string("case.yaml: ") + e.what();
    return DeployVerdict::kFail;
  }
  const std::string unit = Str(At(At(c, "unit"), "function"));
  auto it = DeployHandlers().find(unit);
  if (it == DeployHandlers().end()) {
    *why = "not implemented: " + unit + " (case.yaml format)";
    return DeployVerdict::kFail;
  }
  Json got;
  try {
    got = it->second(c);
  } catch (const CaseFailure& e) {
    *why = e.what();
    return DeployVerdict::kFail;
  } catch (const std::exception& e) {
    *why = std::string("exception: ") + e.what();
    return DeployVerdict::kFail;
  }
  const Json& expect = At(c, "expect");
  // With an error returned only the error is checked (upstream: "X not checked"); otherwise every
  // declared result must have been produced.
  const bool errored = (got.contains("wantErr") && !got["wantErr"].is_null()) ||
                       (got.contains("expectErr") && got["expectErr"] == true);
  if (!errored) {
    for (auto e = expect.begin(); e != expect.end(); ++e) {
      if (!got.contains(e.key())) {
        *why = "result has no " + e.key();
        return DeployVerdict::kFail;
      }
    }
  }
  for (auto e = got.begin(); e != got.end(); ++e) {
    if (!expect.contains(e.key())) {
      *why = "expect has no " + e.key();
      return DeployVerdict::kFail;
    }
    std::string d = StrictDiff(expect.at(e.key()), e.value(), "$." + e.key());
    if (!d.empty()) {
      *why = d;
      return DeployVerdict::kFail;
    }
  }
  return DeployVerdict::kPass;
}

}  // namespace sim::conformance
