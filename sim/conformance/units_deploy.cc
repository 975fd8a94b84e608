// Conformance handlers for the deploy corpus (deploy/, case.yaml format): upstream
// pkg/deploy/elbv2/*_test.go and pkg/deploy/ec2/*_test.go. Each handler feeds the case's inputs
// to the C++ counterpart of the upstream unit and returns its results keyed by the Go `expect`
// field names; the comparison is strict (assert.Equal: list order matters, null != empty).
// Units whose cases script AWS calls are not replayed yet: they FAIL with "not implemented".
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

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

const Json& At(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::optional<std::string> OptStr(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  return std::nullopt;
}
std::string Str(const Json& j) { return j.is_string() ? j.get<std::string>() : std::string(); }
std::optional<int32_t> OptInt(const Json& j) {
  if (j.is_number()) return j.get<int32_t>();
  return std::nullopt;
}

// Resolves a callArgs path ("inputs.args.err") inside the case.
const Json& ArgPath(const Json& c, const std::string& path) {
  static const Json kNull;
  const Json* cur = &c;
  std::stringstream ss(path);
  std::string part;
  while (std::getline(ss, part, '.')) {
    if (!cur->is_object() || !cur->contains(part)) return kNull;
    cur = &cur->at(part);
  }
  return *cur;
}

// The i-th positional argument of the unit.
const Json& CallArg(const Json& c, size_t i) {
  static const Json kNull;
  const Json& args = At(At(c, "unit"), "callArgs");
  // Skip the ctx argument upstream passes first.
  std::vector<const Json*> real;
  for (const auto& a : args) {
    if (a.is_string() && a.get<std::string>() == "ctx") continue;
    real.push_back(&a);
  }
  if (i >= real.size()) return kNull;
  if (real[i]->is_string()) return ArgPath(c, real[i]->get<std::string>());
  return *real[i];
}

// Go error literal {error: {message, apiErrorCode, apiErrorMessage}}: the API code is kept; for a
// wrapped API error (errors.Wrap keeps the chain) the code is read back from "api error C: M".
Error ErrorArg(const Json& j) {
  const Json& e = At(j, "error");
  Error err;
  err.message = Str(At(e, "message"));
  err.aws_code = Str(At(e, "apiErrorCode"));
  if (err.aws_code.empty()) {
    const std::string marker = "api error ";
    auto pos = err.message.find(marker);
    if (pos != std::string::npos) {
      auto start = pos + marker.size();
      auto colon = err.message.find(':', start);
      if (colon != std::string::npos) err.aws_code = err.message.substr(start, colon - start);
    }
  }
  return err;
}

// Strict deep equality as assert.Equal: null differs from []/{}; numbers compare by value.
std::string StrictDiff(const Json& e, const Json& g, const std::string& path) {
  auto shorten = [](const Json& j) {
    std::string s = j.dump();
    return s.size() > 300 ? s.substr(0, 300) + "..." : s;
  };
  if (e.is_number() && g.is_number()) {
    return e.get<double>() == g.get<double>() ? "" : path + ": expected " + shorten(e) + " got " + shorten(g);
  }
  if (e.type() != g.type()) return path + ": expected " + shorten(e) + " got " + shorten(g);
  if (e.is_object()) {
    for (auto it = e.begin(); it != e.end(); ++it) {
      if (!g.contains(it.key())) return path + "." + it.key() + ": expected " + shorten(it.value()) + " got <absent>";
      std::string d = StrictDiff(it.value(), g.at(it.key()), path + "." + it.key());
      if (!d.empty()) return d;
    }
    for (auto it = g.begin(); it != g.end(); ++it) {
      if (!e.contains(it.key())) return path + "." + it.key() + ": expected <absent> got " + shorten(it.value());
    }
    return "";
  }
  if (e.is_array()) {
    if (e.size() != g.size()) return path + ": expected " + shorten(e) + " got " + shorten(g);
    for (size_t i = 0; i < e.size(); ++i) {
      std::string d = StrictDiff(e[i], g[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  return e == g ? "" : path + ": expected " + shorten(e) + " got " + shorten(g);
}

// --- Argument decoders (SDK structs use AWS member names; stack model uses json tags) ----------

sc::TagMap TagMapArg(const Json& j) {
  sc::TagMap m;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) m[it.key()] = Str(it.value());
  }
  return m;
}

std::vector<ma::Tag> SDKTagsArg(const Json& j) {
  std::vector<ma::Tag> out;
  if (j.is_array()) {
    for (const auto& t : j) out.push_back(ma::Tag{Str(At(t, "Key")), Str(At(t, "Value"))});
  }
  return out;
}

sc::TargetGroupWithTags SDKTargetGroupArg(const Json& j) {
  sc::TargetGroupWithTags out;
  const Json& tg = At(j, "TargetGroup");
  ma::TargetGroup& t = out.target_group;
  t.target_group_arn = Str(At(tg, "TargetGroupArn"));
  t.target_group_name = Str(At(tg, "TargetGroupName"));
  t.protocol = OptStr(At(tg, "Protocol"));
  if (auto p = OptInt(At(tg, "Port"))) t.port = *p;
  t.vpc_id = OptStr(At(tg, "VpcId"));
  t.health_check_protocol = OptStr(At(tg, "HealthCheckProtocol"));
  t.health_check_port = OptStr(At(tg, "HealthCheckPort"));
  if (At(tg, "HealthCheckEnabled").is_boolean()) t.health_check_enabled = At(tg, "HealthCheckEnabled").get<bool>();
  if (auto v = OptInt(At(tg, "HealthCheckIntervalSeconds"))) t.health_check_interval_seconds = *v;
  if (auto v = OptInt(At(tg, "HealthCheckTimeoutSeconds"))) t.health_check_timeout_seconds = *v;
  if (auto v = OptInt(At(tg, "HealthyThresholdCount"))) t.healthy_threshold_count = *v;
  if (auto v = OptInt(At(tg, "UnhealthyThresholdCount"))) t.unhealthy_threshold_count = *v;
  t.health_check_path = OptStr(At(tg, "HealthCheckPath"));
  if (At(tg, "Matcher").is_object()) {
    t.matcher = ma::Matcher{OptStr(At(At(tg, "Matcher"), "HttpCode")), OptStr(At(At(tg, "Matcher"), "GrpcCode"))};
  }
  t.target_type = Str(At(tg, "TargetType"));  // Go zero value "" when the literal leaves it out
  t.protocol_version = OptStr(At(tg, "ProtocolVersion"));
  t.ip_address_type = OptStr(At(tg, "IpAddressType"));
  out.tags = TagMapArg(At(j, "Tags"));
  return out;
}

std::optional<model::k8s::IntOrString> IntOrStrArg(const Json& j) {
  if (j.is_string()) return model::k8s::IntOrString::Str(j.get<std::string>());
  if (j.is_number()) return model::k8s::IntOrString::Int(j.get<int32_t>());
  return std::nullopt;
}

// A TargetGroup resource ({spec: ...}) or a bare TargetGroupSpec.
ms::TargetGroupSpec TargetGroupSpecArg(const Json& j) {
  const Json& s = j.contains("spec") ? At(j, "spec") : j;
  ms::TargetGroupSpec spec;
  spec.name = Str(At(s, "name"));
  spec.target_type = Str(At(s, "targetType"));
  spec.port = OptInt(At(s, "port"));
  spec.protocol = Str(At(s, "protocol"));
  spec.protocol_version = OptStr(At(s, "protocolVersion"));
  spec.ip_address_type = Str(At(s, "ipAddressType"));
  spec.target_control_port = OptInt(At(s, "targetControlPort"));
  const Json& hc = At(s, "healthCheckConfig");
  if (hc.is_object()) {
    ms::TargetGroupHealthCheckConfig c;
    c.port = IntOrStrArg(At(hc, "port"));
    c.protocol = Str(At(hc, "protocol"));
    c.path = OptStr(At(hc, "path"));
    if (At(hc, "matcher").is_object()) {
      c.matcher = ms::HealthCheckMatcher{OptStr(At(At(hc, "matcher"), "httpCode")),
                                         OptStr(At(At(hc, "matcher"), "grpcCode"))};
    }
    c.interval_seconds = OptInt(At(hc, "intervalSeconds"));
    c.timeout_seconds = OptInt(At(hc, "timeoutSeconds"));
    c.healthy_threshold_count = OptInt(At(hc, "healthyThresholdCount"));
    c.unhealthy_threshold_count = OptInt(At(hc, "unhealthyThresholdCount"));
    spec.health_check_config = c;
  }
  return spec;
}

std::optional<ma::MutualAuthenticationAttributes> MutualAuthArg(const Json& j) {
  if (!j.is_object()) return std::nullopt;
  ma::MutualAuthenticationAttributes m;
  m.mode = Str(At(j, "Mode"));
  m.trust_store_arn = OptStr(At(j, "TrustStoreArn"));
  if (At(j, "IgnoreClientCertificateExpiry").is_boolean()) {
    m.ignore_client_certificate_expiry = At(j, "IgnoreClientCertificateExpiry").get<bool>();
  }
  m.trust_store_association_status = OptStr(At(j, "TrustStoreAssociationStatus"));
  m.advertise_trust_store_ca_names = OptStr(At(j, "AdvertiseTrustStoreCaNames"));
  return m;
}

std::vector<std::string> StrList(const Json& j) {
  std::vector<std::string> out;
  if (j.is_array()) {
    for (const auto& e : j) out.push_back(Str(e));
  }
  return out;
}

// ListenerWithTags {Listener, Tags}: the members the listener units read.
sc::ListenerWithTags SDKListenerArg(const Json& j) {
  sc::ListenerWithTags out;
  const Json& l = At(j, "Listener");
  out.listener.listener_arn = Str(At(l, "ListenerArn"));
  out.listener.load_balancer_arn = Str(At(l, "LoadBalancerArn"));
  out.listener.port = OptInt(At(l, "Port"));
  out.listener.protocol = Str(At(l, "Protocol"));
  out.listener.ssl_policy = OptStr(At(l, "SslPolicy"));
  out.listener.alpn_policy = StrList(At(l, "AlpnPolicy"));
  out.listener.mutual_authentication = MutualAuthArg(At(l, "MutualAuthentication"));
  if (At(j, "Tags").is_object()) out.tags = TagMapArg(At(j, "Tags"));
  return out;
}

// featureGates built by the test body: {base, overrides, relevant}.
sc::DeployFeatureGates GatesArg(const Json& c) {
  sc::DeployFeatureGates g;
  for (const auto& a : At(At(c, "unit"), "callArgs")) {
    if (!a.is_object() || Str(At(a, "builtInBody")) != "featureGates") continue;
    for (const char* section : {"overrides", "relevant"}) {
      const Json& m = At(At(a, "value"), section);
      if (!m.is_object()) continue;
      for (auto it = m.begin(); it != m.end(); ++it) {
        if (!it.value().is_boolean()) continue;
        bool v = it.value().get<bool>();
        if (it.key() == "NLBHealthCheckAdvancedConfig") g.nlb_health_check_advanced_config = v;
        if (it.key() == "WeightedTargetGroups") g.weighted_target_groups = v;
        if (it.key() == "ListenerRulesTagging") g.listener_rules_tagging = v;
        if (it.key() == "LBCapacityReservation") g.lb_capacity_reservation = v;
        if (it.key() == "EnhancedDefaultBehavior") g.enhanced_default_behavior = v;
      }
    }
  }
  return g;
}

// --- Handlers ----------------------------------------------------------------------------------

// The single want-style key the case's expect declares ("want" or "result").
std::string WantKey(const Json& c) {
  const Json& e = At(c, "expect");
  if (e.contains("want")) return "want";
  if (e.contains("result")) return "result";
  return "want";
}

using DeployHandler = std::function<Json(const Json& c)>;

Json BoolResult(const Json& c, bool v) { return Json{{WantKey(c), v}}; }

std::map<std::string, DeployHandler>& DeployHandlers() {
  static auto* m = new std::map<std::string, DeployHandler>{
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
  } catch (const std::exception& e) {
    *why = std::string("exception: ") + e.what();
    return DeployVerdict::kFail;
  }
  const Json& expect = At(c, "expect");
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
