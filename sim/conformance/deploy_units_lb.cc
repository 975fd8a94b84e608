// Deploy corpus handlers for load balancers: upstream pkg/deploy/elbv2/load_balancer_synthesizer_test.go,
// load_balancer_manager_test.go and load_balancer_attributes_reconciler_test.go.
#include <nlohmann/json.hpp>

#include "sim/conformance/deploy_internal.h"
#include "sim/conformance/deploy_scripted_aws.h"
#include "sim/controller/load_balancer_manager.h"
#include "sim/controller/load_balancer_synthesizer.h"
#include "sim/controller/tracking.h"

namespace sim::conformance::deploy {

namespace sc = sim::controller;
namespace ms = sim::model::stack;
namespace ma = sim::model::aws;

namespace {

Json ErrJson(const Error& e) { return Json(e.message); }

// The SDK LB literal of `list` with this ARN (the units hand back the values they were given).
Json SdkLBSource(const Json& list, const std::string& arn) {
  for (const auto& j : list) {
    if (Str(At(At(j, "LoadBalancer"), "LoadBalancerArn")) == arn) return j;
  }
  return nullptr;
}

Json SubnetMappingsJson(const std::vector<ma::SubnetMapping>& v) {
  Json a = nullptr;  // Go nil for none
  for (const auto& m : v) a.push_back(SDKSubnetMappingJson(m));
  return a;
}

Json StringsOrNull(const std::vector<std::string>& v) {
  Json a = nullptr;
  for (const auto& s : v) a.push_back(s);
  return a;
}

Json CreateLoadBalancerInputJson(const aws::CreateLoadBalancerRequest& r) {
  Json o = {{"Name", r.name}};
  if (!r.type.empty()) o["Type"] = r.type;
  if (!r.ip_address_type.empty()) o["IpAddressType"] = r.ip_address_type;
  if (!r.scheme.empty()) o["Scheme"] = r.scheme;
  if (!r.subnet_mappings.empty()) o["SubnetMappings"] = SubnetMappingsJson(r.subnet_mappings);
  if (!r.security_groups.empty()) o["SecurityGroups"] = r.security_groups;
  if (!r.customer_owned_ipv4_pool.empty()) o["CustomerOwnedIpv4Pool"] = r.customer_owned_ipv4_pool;
  if (!r.enable_prefix_for_ipv6_source_nat.empty()) o["EnablePrefixForIpv6SourceNat"] = r.enable_prefix_for_ipv6_source_nat;
  if (r.ipam_pools) {
    Json p = Json::object();
    if (r.ipam_pools->ipv4_ipam_pool_id) p["Ipv4IpamPoolId"] = *r.ipam_pools->ipv4_ipam_pool_id;
    o["IpamPools"] = p;
  }
  return o;
}

ms::LoadBalancer ResLB(const Json& j) {
  ms::LoadBalancer lb;
  lb.id = Str(At(j, "resourceID"));
  lb.spec = LoadBalancerSpecArg(j);
  return lb;
}

// A defaultLoadBalancerManager over the case's scripted clients.
struct LBManagerFixture {
  explicit LBManagerFixture(const Json& c)
      : h(c), tracking("ingress.k8s.aws", ""), tagging(h.Deps(), h.config.vpc_id, h.config.feature_gates),
        mgr(h.Deps(), tracking, tagging, h.config) {}
  Harness h;
  sc::TrackingProvider tracking;
  sc::Elbv2TaggingManager tagging;
  sc::LoadBalancerManager mgr;
};

Json ErrOnly(const Status& st) { return Json{{"wantErr", st.ok() ? Json(nullptr) : ErrJson(st.error())}}; }

}  // namespace

void RegisterLoadBalancerHandlers(DeployHandlerMap& m) {
  m["matchResAndSDKLoadBalancers"] = [](const Json& c) {
    ms::Stack stack(ms::StackID{"namespace", "name"});
    const Json& res_list = CallArg(c, 0);
    const Json& sdk_list = CallArg(c, 1);
    std::vector<ms::LoadBalancer*> res;
    std::map<const ms::LoadBalancer*, Json> src;
    for (const auto& j : res_list) {
      ms::LoadBalancer* lb = stack.MutableFind<ms::LoadBalancer>(AddLoadBalancer(stack, j));
      res.push_back(lb);
      src[lb] = j;
    }
    std::vector<sc::LoadBalancerWithTags> sdk;
    for (const auto& j : sdk_list) sdk.push_back(SDKLoadBalancerWithTagsArg(j));
    auto r = sc::MatchResAndSDKLoadBalancers(res, sdk, Str(CallArg(c, 2)));
    if (!r.ok()) return Json{{"wantErr", ErrJson(r.error())}};
    Json matched = nullptr, unmatched_res = nullptr, unmatched_sdk = nullptr;
    for (const auto& p : r.value().matched) {
      matched.push_back(Json{{"resLB", src[p.res]}, {"sdkLB", SdkLBSource(sdk_list, p.sdk.load_balancer.load_balancer_arn)}});
    }
    for (const auto* lb : r.value().unmatched_res) unmatched_res.push_back(src[lb]);
    for (const auto& s : r.value().unmatched_sdk) unmatched_sdk.push_back(SdkLBSource(sdk_list, s.load_balancer.load_balancer_arn));
    return Json{{"want", matched}, {"want1", unmatched_res}, {"want2", unmatched_sdk}, {"wantErr", nullptr}};
  };

  m["mapResLoadBalancerByResourceID"] = [](const Json& c) {
    ms::Stack stack(ms::StackID{"namespace", "name"});
    std::vector<ms::LoadBalancer*> res;
    std::map<const ms::LoadBalancer*, Json> src;
    for (const auto& j : CallArg(c, 0)) {
      ms::LoadBalancer* lb = stack.MutableFind<ms::LoadBalancer>(AddLoadBalancer(stack, j));
      res.push_back(lb);
      src[lb] = j;
    }
    Json out = Json::object();
    for (const auto& [id, lb] : sc::MapResLoadBalancerByResourceID(res)) out[id] = src[lb];
    return Json{{"want", out}};
  };

  m["mapSDKLoadBalancerByResourceID"] = [](const Json& c) {
    const Json& sdk_list = CallArg(c, 0);
    std::vector<sc::LoadBalancerWithTags> sdk;
    for (const auto& j : sdk_list) sdk.push_back(SDKLoadBalancerWithTagsArg(j));
    auto r = sc::MapSDKLoadBalancerByResourceID(sdk, Str(CallArg(c, 1)));
    if (!r.ok()) return Json{{"wantErr", ErrJson(r.error())}};
    Json out = Json::object();
    for (const auto& [id, list] : r.value()) {
      for (const auto& s : list) out[id].push_back(SdkLBSource(sdk_list, s.load_balancer.load_balancer_arn));
    }
    return Json{{"want", out}, {"wantErr", nullptr}};
  };

  m["isSDKLoadBalancerRequiresReplacement"] = [](const Json& c) {
    return Json{{WantKey(c), sc::IsSDKLoadBalancerRequiresReplacement(SDKLoadBalancerWithTagsArg(CallArg(c, 0)),
                                                                       LoadBalancerSpecArg(CallArg(c, 1)))}};
  };

  m["isLoadBalancerInProvisioningState"] = [](const Json& c) {
    LBManagerFixture f(c);
    ms::Stack stack(ms::StackID{"namespace", "name"});
    sc::LoadBalancerSynthesizer synth(f.h.Deps(), stack, f.tracking, f.tagging, f.mgr, f.h.config);
    auto r = synth.IsLoadBalancerInProvisioningState(SDKLoadBalancerWithTagsArg(CallArg(c, 0)));
    f.h.Finish();
    if (!r.ok()) return Json{{"wantErr", ErrJson(r.error())}};
    return Json{{"want", r.value()}, {"wantErr", nullptr}};
  };

  m["buildSDKCreateLoadBalancerInput"] = [](const Json& c) {
    ms::Stack stack(ms::StackID{"namespace", "name"});
    auto r = sc::BuildSDKCreateLoadBalancerInput(stack, LoadBalancerSpecArg(CallArg(c, 0)));
    if (!r.ok()) return Json{{"wantErr", ErrJson(r.error())}};
    return Json{{"want", CreateLoadBalancerInputJson(r.value())}, {"wantErr", nullptr}};
  };

  m["buildSDKSubnetMappings"] = [](const Json& c) {
    std::vector<ms::SubnetMapping> mappings;
    for (const auto& j : CallArg(c, 0)) mappings.push_back(SubnetMappingArg(j));
    return Json{{"want", SubnetMappingsJson(sc::BuildSDKSubnetMappings(mappings))}};
  };

  m["buildSDKSubnetMapping"] = [](const Json& c) {
    auto v = sc::BuildSDKSubnetMappings({SubnetMappingArg(CallArg(c, 0))});
    return Json{{"want", SDKSubnetMappingJson(v.at(0))}};
  };

  m["buildSDKSecurityGroups"] = [](const Json& c) {
    ms::Stack stack(ms::StackID{"namespace", "name"});
    std::vector<ms::StringToken> sgs;
    for (const auto& j : CallArg(c, 0)) sgs.push_back(TokenArg(j));
    auto r = sc::BuildSDKSecurityGroups(stack, sgs);
    if (!r.ok()) return Json{{"wantErr", ErrJson(r.error())}};
    return Json{{"want", StringsOrNull(r.value())}, {"wantErr", nullptr}};
  };

  m["buildResLoadBalancerStatus"] = [](const Json& c) {
    sc::LoadBalancerWithTags sdk = SDKLoadBalancerWithTagsArg(CallArg(c, 0));
    ms::LoadBalancerStatus st = sc::BuildResLoadBalancerStatus(sdk);
    Json o = {{"loadBalancerARN", st.load_balancer_arn}, {"dnsName", st.dns_name}};
    if (st.provisioning_state) {
      // Upstream keeps the whole LoadBalancerState {Code, Reason}; the model keeps the code and
      // the reason stays on the SDK object.
      Json ps = {{"Code", *st.provisioning_state}};
      if (!sdk.load_balancer.state.reason.empty()) ps["Reason"] = sdk.load_balancer.state.reason;
      o["provisioningState"] = ps;
    }
    return Json{{"want", o}};
  };

  m["checkSDKLoadBalancerWithCOIPv4Pool"] = [](const Json& c) {
    LBManagerFixture f(c);
    Status st = f.mgr.CheckSDKLoadBalancerWithCOIPv4Pool(ResLB(CallArg(c, 0)), SDKLoadBalancerWithTagsArg(CallArg(c, 1)));
    f.h.Finish();
    return ErrOnly(st);
  };

  m["updateSDKLoadBalancerWithSubnetMappings"] = [](const Json& c) {
    LBManagerFixture f(c);
    Status st =
        f.mgr.UpdateSDKLoadBalancerWithSubnetMappings(ResLB(CallArg(c, 0)), SDKLoadBalancerWithTagsArg(CallArg(c, 1)));
    f.h.Finish();
    return ErrOnly(st);
  };

  m["removeIPAMPools"] = [](const Json& c) {
    LBManagerFixture f(c);
    Status st = f.mgr.RemoveIPAMPools(ResLB(CallArg(c, 0)), SDKLoadBalancerWithTagsArg(CallArg(c, 1)));
    f.h.Finish();
    return ErrOnly(st);
  };

  m["addIPAMPools"] = [](const Json& c) {
    LBManagerFixture f(c);
    Status st = f.mgr.AddIPAMPools(ResLB(CallArg(c, 0)), SDKLoadBalancerWithTagsArg(CallArg(c, 1)));
    f.h.Finish();
    return ErrOnly(st);
  };

  m["getDesiredLoadBalancerAttributes"] = [](const Json& c) {
    return Json{{"want", TagMapJson(sc::GetDesiredLoadBalancerAttributes(ResLB(CallArg(c, 0))))}};
  };

  m["getCurrentLoadBalancerAttributes"] = [](const Json& c) {
    LBManagerFixture f(c);
    auto r = f.mgr.GetCurrentLoadBalancerAttributes(SDKLoadBalancerWithTagsArg(CallArg(c, 0)));
    f.h.Finish();
    if (!r.ok()) return Json{{"wantErr", ErrJson(r.error())}};
    return Json{{"want", TagMapJson(r.value())}, {"wantErr", nullptr}};
  };
}

// Reconcile of the LB attribute reconciler (the TG one is in deploy_units_tg.cc).
Json ReconcileLoadBalancerAttributes(const Json& c) {
  LBManagerFixture f(c);
  Status st = f.mgr.ReconcileAttributes(ResLB(CallArg(c, 0)), SDKLoadBalancerWithTagsArg(CallArg(c, 1)));
  f.h.Finish();
  return ErrOnly(st);
}

}  // namespace sim::conformance::deploy
