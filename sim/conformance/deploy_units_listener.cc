// Deploy corpus handlers for listeners and listener rules: upstream
// pkg/deploy/elbv2/listener_manager_test.go, listener_rule_synthesizer_test.go, listener_utils_test.go.
#include <nlohmann/json.hpp>

#include "sim/conformance/deploy_internal.h"
#include "sim/conformance/deploy_scripted_aws.h"
#include "sim/controller/listener_manager.h"
#include "sim/controller/listener_rule_manager.h"
#include "sim/controller/listener_rule_synthesizer.h"
#include "sim/controller/tracking.h"

namespace sim::conformance::deploy {

namespace sc = sim::controller;
namespace ms = sim::model::stack;
namespace ma = sim::model::aws;

namespace {

Json CertificatesJson(const std::vector<ma::Certificate>& certs) {
  Json a = Json::array();
  for (const auto& c : certs) {
    Json o = {{"CertificateArn", c.certificate_arn}};
    if (c.is_default) o["IsDefault"] = *c.is_default;
    a.push_back(o);
  }
  return a;
}

Json MutualAuthJson(const ma::MutualAuthenticationAttributes& m) {
  Json o = {{"Mode", m.mode}};
  if (m.trust_store_arn) o["TrustStoreArn"] = *m.trust_store_arn;
  if (m.ignore_client_certificate_expiry) o["IgnoreClientCertificateExpiry"] = *m.ignore_client_certificate_expiry;
  if (m.trust_store_association_status) o["TrustStoreAssociationStatus"] = *m.trust_store_association_status;
  if (m.advertise_trust_store_ca_names) o["AdvertiseTrustStoreCaNames"] = *m.advertise_trust_store_ca_names;
  return o;
}

// The listener-rule literals of `list` added to `stack`, in order; pointers stay valid (std::map).
std::vector<ms::ListenerRule*> AddRules(ms::Stack& stack, const Json& list, std::map<const ms::ListenerRule*, Json>* src) {
  std::vector<ms::ListenerRule*> out;
  size_t i = 0;
  for (const auto& j : list) {
    std::string id = AddListenerRule(stack, j, i++);
    ms::ListenerRule* r = stack.MutableFind<ms::ListenerRule>(id);
    out.push_back(r);
    if (src) (*src)[r] = j;
  }
  return out;
}

// The SDK rule literal with the same RuleArn (the unit hands back the values it was given).
Json SdkRuleSource(const Json& list, const std::string& arn) {
  for (const auto& j : list) {
    if (Str(At(At(j, "ListenerRule"), "RuleArn")) == arn) return j;
  }
  return nullptr;
}

// mockListenerRuleManager of upstream's listener_rule_synthesizer_test.go.
class RecordingRuleManager final : public sc::ListenerRuleManager {
 public:
  RecordingRuleManager(int rule_count, int max_rule_count) : rule_count_(rule_count), max_rule_count_(max_rule_count) {}
  Json calls = nullptr;

  Result<ms::ListenerRuleStatus> Create(const ms::Stack&, const ms::ListenerRule& res,
                                        const sc::DesiredRuleConfig*) override {
    if (rule_count_ == max_rule_count_) {
      Error e;
      e.message = "api error TooManyRules: some message";
      e.aws_code = "TooManyRules";
      return e;
    }
    ++rule_count_;
    Record("Create", res.spec.listener_arn.value);
    return ms::ListenerRuleStatus{};
  }
  Result<ms::ListenerRuleStatus> UpdateRules(const ms::Stack&, const ms::ListenerRule&, const sc::ListenerRuleWithTags& sdk,
                                             const sc::DesiredRuleConfig&) override {
    Record("UpdateRules", sdk.rule.rule_arn);
    return ms::ListenerRuleStatus{sdk.rule.rule_arn};
  }
  Result<ms::ListenerRuleStatus> UpdateRulesTags(const ms::Stack&, const ms::ListenerRule&,
                                                 const sc::ListenerRuleWithTags& sdk) override {
    Record("UpdateRulesTags", sdk.rule.rule_arn);
    return ms::ListenerRuleStatus{sdk.rule.rule_arn};
  }
  Status Delete(const sc::ListenerRuleWithTags& sdk) override {
    --rule_count_;
    Record("Delete", sdk.rule.rule_arn);
    return OkStatus();
  }
  Status SetRulePriorities(std::vector<sc::ResAndSDKListenerRulePair>&, std::vector<sc::ListenerRuleWithTags>&) override {
    return OkStatus();
  }

 private:
  void Record(const char* op, const std::string& arn) { calls.push_back(Json{{"operation", op}, {"arn", arn}}); }
  int rule_count_;
  int max_rule_count_;
};

const Json& RecordingFakeState(const Json& c) {
  static const Json kNull;
  for (const auto& m : At(At(At(c, "unit"), "receiver"), "mocks")) {
    if (Str(At(m, "kind")) == "recording fake") return At(m, "state");
  }
  return kNull;
}

// Compares the fake's calls as the case says; throws CaseFailure on a difference.
void CheckManagerCalls(const Json& c, const Json& recorded) {
  const Json& want = At(At(c, "managerCalls"), "calls");
  std::string d = StrictDiff(want, recorded, "$.managerCalls");
  if (!d.empty()) throw CaseFailure(d);
}

// elbv2.TaggingManager gomock: ListListenerRules answers from the case's calls.
class ScriptedTagging final : public sc::Elbv2TaggingManager {
 public:
  ScriptedTagging(sc::DeployDeps deps, const Json& c) : sc::Elbv2TaggingManager(std::move(deps), "", {}), case_(c) {}
  Result<std::vector<sc::ListenerRuleWithTags>> ListListenerRules(const std::string& ls_arn) override {
    for (const auto& call : At(case_, "calls")) {
      if (Str(At(call, "operation")) != "ListListenerRules") continue;
      if (Str(At(At(call, "input"), "listenerARN")) != ls_arn) continue;
      ++used;
      std::vector<sc::ListenerRuleWithTags> out;
      for (const auto& r : At(call, "output")) out.push_back(SDKListenerRuleArg(r));
      return out;
    }
    unexpected = "unexpected call ListListenerRules " + ls_arn;
    Error e;
    e.message = unexpected;
    return e;
  }
  int used = 0;
  std::string unexpected;

 private:
  const Json& case_;
};

}  // namespace

void RegisterListenerHandlers(DeployHandlerMap& m) {
  m["isSDKListenerSettingsDrifted"] = [](const Json& c) {
    Json out = Json::object();
    for (const auto& run : At(At(At(c, "unit"), "receiver"), "runs")) {
      Harness h(c);
      h.config.feature_gates.enhanced_default_behavior =
          OptBool(At(At(run, "fields"), "enhancedDefaultingPolicyEnabled")).value_or(false);
      sc::TrackingProvider tracking("ingress.k8s.aws", "");
      sc::Elbv2TaggingManager tagging(h.Deps(), h.config.vpc_id, h.config.feature_gates);
      sc::ListenerManager mgr(h.Deps(), tracking, tagging, h.config);
      bool drifted = mgr.IsSDKListenerSettingsDrifted(ListenerSpecArg(CallArg(c, 0)), SDKListenerArg(CallArg(c, 1)),
                                                      SDKActionsArg(CallArg(c, 2)), SDKCertificatesArg(CallArg(c, 3)),
                                                      MutualAuthArg(CallArg(c, 4)));
      out[Str(At(run, "compareWith"))] = drifted;
      h.Finish();
    }
    return out;
  };

  m["buildSDKJwtValidationConfig"] = [](const Json& c) {
    return Json{{"want", SDKJwtValidationConfigJson(sc::BuildSDKJwtValidationConfig(StackJwtArg(CallArg(c, 0))))}};
  };

  m["buildSDKModifyListenerInput"] = [](const Json& c) {
    ms::ListenerSpec spec = ListenerSpecArg(CallArg(c, 0));
    aws::ModifyListenerRequest req = sc::BuildSDKModifyListenerInput(
        spec, SDKActionsArg(CallArg(c, 1)), SDKCertificatesArg(CallArg(c, 2)),
        sc::BuildSDKMutualAuthenticationConfig(spec.mutual_authentication), OptBool(CallArg(c, 3)).value_or(false),
        OptBool(CallArg(c, 4)).value_or(false));
    Json o = Json::object();
    if (req.port) o["Port"] = *req.port;
    if (!req.protocol.empty()) o["Protocol"] = req.protocol;
    if (req.default_actions) {
      Json a = Json::array();
      for (const auto& act : *req.default_actions) a.push_back(SDKActionJson(act));
      o["DefaultActions"] = a;
    }
    if (req.certificates) o["Certificates"] = CertificatesJson(*req.certificates);
    if (req.alpn_policy) o["AlpnPolicy"] = *req.alpn_policy;
    if (req.ssl_policy) o["SslPolicy"] = *req.ssl_policy;
    if (req.mutual_authentication) o["MutualAuthentication"] = MutualAuthJson(*req.mutual_authentication);
    return Json{{"expected", o}};
  };

  m["matchResAndSDKListenerRules"] = [](const Json& c) {
    ms::Stack stack(ms::StackID{"namespace", "name"});
    std::map<const ms::ListenerRule*, Json> src;
    std::vector<ms::ListenerRule*> res = AddRules(stack, CallArg(c, 0), &src);
    const Json& sdk_list = CallArg(c, 1);
    std::vector<sc::ListenerRuleWithTags> sdk;
    for (const auto& j : sdk_list) sdk.push_back(SDKListenerRuleArg(j));
    sc::DeployFeatureGates gates = GatesArg(c);
    sc::DesiredRuleConfigs configs;
    for (ms::ListenerRule* r : res) {
      auto cfg = sc::BuildResLRDesiredRuleConfig(stack, *r, gates);
      if (cfg.ok()) configs[r] = cfg.value();
    }
    sc::ListenerRuleMatch match = sc::MatchResAndSDKListenerRules(res, sdk, configs);
    auto pairs = [&](const std::vector<sc::ResAndSDKListenerRulePair>& v) {
      Json a = nullptr;
      for (const auto& p : v) a.push_back(Json{{"resLR", src[p.res]}, {"sdkLR", SdkRuleSource(sdk_list, p.sdk.rule.rule_arn)}});
      return a;
    };
    Json unmatched_res = nullptr;
    for (const ms::ListenerRule* r : match.unmatched_res) unmatched_res.push_back(src[r]);
    Json unmatched_sdk = nullptr;
    for (const auto& s : match.unmatched_sdk) unmatched_sdk.push_back(SdkRuleSource(sdk_list, s.rule.rule_arn));
    return Json{{"want", pairs(match.matched_by_settings)}, {"want1", pairs(match.matched_by_priority)},
                {"want2", pairs(match.fully_matched)},      {"want3", unmatched_res},
                {"want4", unmatched_sdk},                   {"wantErr", nullptr}};
  };

  m["createAndDeleteRules"] = [](const Json& c) {
    const Json& state = RecordingFakeState(c);
    RecordingRuleManager mgr(OptInt(At(state, "ruleCount")).value_or(0), OptInt(At(state, "maxRuleCount")).value_or(0));
    ms::Stack stack(ms::StackID{"namespace", "name"});
    std::vector<ms::ListenerRule*> res = AddRules(stack, CallArg(c, 2), nullptr);
    std::vector<sc::ListenerRuleWithTags> sdk;
    for (const auto& j : CallArg(c, 3)) sdk.push_back(SDKListenerRuleArg(j));
    Status st = sc::CreateAndDeleteRules(mgr, stack, OptInt(CallArg(c, 0)).value_or(0), sc::DesiredRuleConfigs{}, res, sdk);
    if (!st.ok()) return Json{{"expectErr", true}};
    CheckManagerCalls(c, mgr.calls);
    return Json{{"expectErr", false}};
  };

  m["synthesizeListenerRulesOnListener"] = [](const Json& c) {
    Harness h(c);
    const Json& state = RecordingFakeState(c);
    RecordingRuleManager mgr(OptInt(At(state, "ruleCount")).value_or(0), OptInt(At(state, "maxRuleCount")).value_or(0));
    ScriptedTagging tagging(h.Deps(), c);
    ms::Stack stack(ms::StackID{"namespace", "name"});
    std::vector<ms::ListenerRule*> res = AddRules(stack, CallArg(c, 1), nullptr);
    sc::DeployFeatureGates gates = GatesArg(c);
    sc::ListenerRuleSynthesizer synth(stack, tagging, mgr, gates);
    Status st = synth.SynthesizeListenerRulesOnListener(Str(CallArg(c, 0)), res);
    if (!tagging.unexpected.empty()) throw CaseFailure(tagging.unexpected);
    if (!st.ok()) throw CaseFailure("unexpected error: " + st.error().message);
    if (tagging.used != 1) throw CaseFailure("ListListenerRules not called once");
    CheckManagerCalls(c, mgr.calls);
    h.Finish();
    return Json::object();
  };
}

}  // namespace sim::conformance::deploy
