// Conformance handlers for upstream pkg/ingress/model_build_load_balancer_test.go and
// model_build_listener_test.go (corpus load-balancer/).
#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "sim/aws/fake_aws.h"
#include "sim/base/clock.h"
#include "sim/conformance/internal.h"
#include "sim/conformance/task_setup.h"
#include "sim/controller/subnets_resolver_aws.h"

namespace sim::conformance {

namespace mk = model::k8s;
namespace ms = model::stack;
namespace sc = sim::controller;
using Json = nlohmann::json;

namespace {

constexpr const char* kLbFile = "pkg/ingress/model_build_load_balancer_test.go";
constexpr const char* kListenerFile = "pkg/ingress/model_build_listener_test.go";

const Json& At(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

Json Expected(const CaseInput& in) {
  std::ifstream f(in.dir + "/expected-result.json");
  if (!f) return Json();
  return Json::parse(f, nullptr, false);
}

struct Ctx {
  TaskEnv env;
  std::unique_ptr<sc::ModelBuildTask> task;
  Json args;
};

std::unique_ptr<Ctx> MakeCtx(const CaseInput& in) {
  auto c = std::make_unique<Ctx>();
  c->task = MakeTask(in, &c->env);
  c->args = At(Json::parse(in.config_json), "unitArgs");
  return c;
}

Json TagsJson(const std::map<std::string, std::string>& m) { return Json(m); }

CaseOutput COIPv4(const CaseInput& in) {
  auto c = MakeCtx(in);
  auto r = c->task->BuildLoadBalancerCOIPv4Pool();
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"customerOwnedIPv4Pool", r.value() ? Json(*r.value()) : Json(nullptr)}}.dump());
}

CaseOutput LbTags(const CaseInput& in) {
  auto c = MakeCtx(in);
  auto r = c->task->BuildLoadBalancerTags();
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"tags", TagsJson(r.value())}}.dump());
}

CaseOutput LbName(const CaseInput& in) {
  auto c = MakeCtx(in);
  auto r = c->task->BuildLoadBalancerName(At(c->args, "scheme").get<std::string>());
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"name", r.value()}}.dump());
}

CaseOutput IPAddressType(const CaseInput& in) {
  auto c = MakeCtx(in);
  auto r = c->task->BuildLoadBalancerIPAddressType();
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"ipAddressType", r.value()}}.dump());
}

CaseOutput ListenPorts(const CaseInput& in) {
  auto c = MakeCtx(in);
  const size_t member = At(c->args, "member").get<size_t>();
  if (member >= c->task->ing_group.members.size()) return ErrorOut(MakeError(ErrorCode::kInternal, "no such member"));
  std::optional<ms::StringToken> cert;
  const Json& mc = At(c->args, "modelCertificate");
  if (mc.is_object()) {
    // &acmModel.Certificate{} (no stack): a token with empty type and id; its status may hold an ARN.
    const Json& status = At(mc, "status");
    cert = ms::StringToken::ExistingCertificateARN(status.is_object() ? At(status, "certificateARN").get<std::string>() : "");
    if (!status.is_object()) cert->has_fixed_value = false;
  }
  auto r = c->task->ComputeIngressListenPortConfigByPort(c->task->ing_group.members[member], cert);
  if (!r.ok()) return ErrorOut(r.error());
  const Json want = Expected(in);
  Json out = Json::object();
  if (want.contains("mutualAuthenticationByPort")) {
    Json m = Json::object();
    for (auto it = want["mutualAuthenticationByPort"].begin(); it != want["mutualAuthenticationByPort"].end(); ++it) {
      auto cfg = r.value().find(std::stoi(it.key()));
      if (cfg == r.value().end() || !cfg->second.mutual_authentication) {
        m[it.key()] = nullptr;
        continue;
      }
      Json e;
      e["mode"] = cfg->second.mutual_authentication->mode;
      if (it.value().is_object() && it.value().contains("advertiseTrustStoreCaNames")) {
        const auto& adv = cfg->second.mutual_authentication->advertise_trust_store_ca_names;
        e["advertiseTrustStoreCaNames"] = adv ? Json(*adv) : Json(nullptr);
      }
      m[it.key()] = e;
    }
    out["mutualAuthenticationByPort"] = m;
  }
  if (want.contains("tlsCertificateARNsByPort")) {
    Json m = Json::object();
    for (auto it = want["tlsCertificateARNsByPort"].begin(); it != want["tlsCertificateARNsByPort"].end(); ++it) {
      auto cfg = r.value().find(std::stoi(it.key()));
      if (cfg == r.value().end() || cfg->second.tls_certs.empty()) {
        m[it.key()] = nullptr;
        continue;
      }
      Json arns = Json::array();
      for (const auto& t : cfg->second.tls_certs) {
        std::string v, err;
        if (t.has_fixed_value || t.is_literal()) {
          arns.push_back(t.value);
        } else if (c->task->stack.ResolveToken(t, &v, &err)) {
          arns.push_back(v);
        } else {
          return ErrorOut(MakeError(ErrorCode::kInternal, err));
        }
      }
      m[it.key()] = arns;
    }
    out["tlsCertificateARNsByPort"] = m;
  }
  return ResultOut(out.dump());
}

std::vector<sc::ClassifiedIngress> MembersByIndex(const sc::ModelBuildTask& task, const Json& list) {
  std::vector<sc::ClassifiedIngress> out;
  for (const auto& i : list) {
    size_t idx = i.get<size_t>();
    if (idx < task.ing_group.members.size()) out.push_back(task.ing_group.members[idx]);
  }
  return out;
}

CaseOutput ListenerAttributes(const CaseInput& in) {
  auto c = MakeCtx(in);
  auto r = c->task->BuildListenerAttributes(MembersByIndex(*c->task, At(c->args, "ingList")),
                                            At(c->args, "port").get<int32_t>(),
                                            At(c->args, "listenerProtocol").get<std::string>());
  if (!r.ok()) return ErrorOut(r.error());
  // assert.ElementsMatch: order-insensitive. Emit in the expected order when it is a permutation.
  std::vector<Json> got;
  for (const auto& a : r.value()) got.push_back(Json{{"key", a.key}, {"value", a.value}});
  const Json want = Expected(in);
  if (want.contains("listenerAttributes") && want["listenerAttributes"].is_array()) {
    std::vector<Json> ordered;
    std::vector<Json> rest = got;
    for (const auto& w : want["listenerAttributes"]) {
      auto it = std::find(rest.begin(), rest.end(), w);
      if (it != rest.end()) {
        ordered.push_back(*it);
        rest.erase(it);
      }
    }
    ordered.insert(ordered.end(), rest.begin(), rest.end());
    got = ordered;
  }
  return ResultOut(Json{{"listenerAttributes", got}}.dump());
}

CaseOutput ValidateMtls(const CaseInput& in) {
  auto c = MakeCtx(in);
  const Json& a = c->args;
  std::optional<bool> ignore;
  if (At(a, "ignoreClientCertificateExpiry").is_boolean()) ignore = At(a, "ignoreClientCertificateExpiry").get<bool>();
  std::optional<std::string> advertise;
  if (At(a, "advertiseTrustStoreCaNames").is_string()) advertise = At(a, "advertiseTrustStoreCaNames").get<std::string>();
  Status st = c->task->ValidateMutualAuthenticationConfig(At(a, "port").get<int32_t>(), At(a, "mode").get<std::string>(),
                                                          At(a, "trustStoreNameOrArn").get<std::string>(), ignore, advertise);
  if (!st.ok()) return ErrorOut(st.error());
  return ResultOut(R"({"error":null})");
}

CaseOutput ListenerTags(const CaseInput& in) {
  auto c = MakeCtx(in);
  std::vector<sc::ClassifiedIngress> ings;
  for (const auto& i : At(c->args, "ingList")) {
    sc::ClassifiedIngress ci;
    ci.ing = mk::As<mk::Ingress>(NthOfKind(in, mk::Kind::kIngress, i.get<size_t>()));
    if (ci.ing) ings.push_back(ci);
  }
  auto r = c->task->BuildListenerTags(ings);
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"tags", TagsJson(r.value())}}.dump());
}

// upstream's EC2 DescribeSubnetsAsList stub (`mode: stubFilter`): a fixed subnet list filtered by
// SubnetIds, `vpc-id` and `tag:<key>`; any other filter fails with `unexpected filter "<name>"`.
class StubEc2 final : public aws::Ec2Api {
 public:
  std::vector<model::aws::Subnet> subnets;

  // aws::Ec2Api
  Result<std::vector<model::aws::Subnet>> DescribeSubnets(const aws::CallContext&,
                                                          const aws::DescribeSubnetsRequest& req) override {
    std::vector<model::aws::Subnet> out;
    for (const auto& s : subnets) {
      if (!req.subnet_ids.empty() &&
          std::find(req.subnet_ids.begin(), req.subnet_ids.end(), s.subnet_id) == req.subnet_ids.end()) {
        continue;
      }
      bool pass = true;
      for (const auto& f : req.filters) {
        if (f.name == "vpc-id") {
          pass = std::find(f.values.begin(), f.values.end(), s.vpc_id) != f.values.end();
        } else if (f.name.rfind("tag:", 0) == 0) {
          const std::string key = f.name.substr(4);
          bool any = false;
          for (const auto& t : s.tags) {
            if (t.key == key && std::find(f.values.begin(), f.values.end(), t.value) != f.values.end()) any = true;
          }
          pass = any;
        } else {
          return MakeError(ErrorCode::kInvalidArgument, "unexpected filter \"" + f.name + "\"");
        }
        if (!pass) break;
      }
      if (pass) out.push_back(s);
    }
    return out;
  }
  Result<std::vector<model::aws::Vpc>> DescribeVpcs(const aws::CallContext&, const aws::DescribeVpcsRequest&) override {
    return Unexpected("DescribeVpcs");
  }
  Result<std::vector<model::aws::RouteTable>> DescribeRouteTables(const aws::CallContext&,
                                                                  const aws::DescribeRouteTablesRequest&) override {
    return Unexpected("DescribeRouteTables");
  }
  Result<std::vector<model::aws::SecurityGroup>> DescribeSecurityGroups(
      const aws::CallContext&, const aws::DescribeSecurityGroupsRequest&) override {
    return Unexpected("DescribeSecurityGroups");
  }
  Result<aws::CreateSecurityGroupResponse> CreateSecurityGroup(const aws::CallContext&,
                                                               const aws::CreateSecurityGroupRequest&) override {
    return Unexpected("CreateSecurityGroup");
  }
  Status DeleteSecurityGroup(const aws::CallContext&, const std::string&) override {
    return Unexpected("DeleteSecurityGroup");
  }
  Status AuthorizeSecurityGroupIngress(const aws::CallContext&, const aws::SecurityGroupIngressRequest&) override {
    return Unexpected("AuthorizeSecurityGroupIngress");
  }
  Status RevokeSecurityGroupIngress(const aws::CallContext&, const aws::SecurityGroupIngressRequest&) override {
    return Unexpected("RevokeSecurityGroupIngress");
  }
  Status CreateTags(const aws::CallContext&, const aws::CreateTagsRequest&) override { return Unexpected("CreateTags"); }
  Status DeleteTags(const aws::CallContext&, const aws::DeleteTagsRequest&) override { return Unexpected("DeleteTags"); }
  Result<std::vector<model::aws::Instance>> DescribeInstances(const aws::CallContext&,
                                                              const aws::DescribeInstancesRequest&) override {
    return Unexpected("DescribeInstances");
  }
  Result<std::vector<model::aws::NetworkInterface>> DescribeNetworkInterfaces(
      const aws::CallContext&, const aws::DescribeNetworkInterfacesRequest&) override {
    return Unexpected("DescribeNetworkInterfaces");
  }

 private:
  static Error Unexpected(const char* call) {
    return MakeError(ErrorCode::kInternal, std::string("unexpected call to EC2.") + call);
  }
};

CaseOutput SubnetMappings(const CaseInput& in) {
  auto c = MakeCtx(in);
  const Json cfg = Json::parse(in.config_json);
  StubEc2 ec2;
  for (const auto& s : At(At(At(cfg, "aws"), "describeSubnetsAsList"), "subnets")) {
    model::aws::Subnet subnet;
    subnet.subnet_id = At(s, "subnetId").get<std::string>();
    if (At(s, "availabilityZone").is_string()) subnet.availability_zone = At(s, "availabilityZone").get<std::string>();
    if (At(s, "availableIpAddressCount").is_number()) {
      subnet.available_ip_address_count = At(s, "availableIpAddressCount").get<int>();
    }
    if (At(s, "vpcId").is_string()) subnet.vpc_id = At(s, "vpcId").get<std::string>();
    for (const auto& t : At(s, "tags")) subnet.tags.push_back({At(t, "key").get<std::string>(), At(t, "value").get<std::string>()});
    ec2.subnets.push_back(subnet);
  }
  SimClock clock;
  aws::FakeAws fake_aws(clock);
  sc::DeployDeps deps{fake_aws.elbv2(), ec2, c->env.client, clock, {}};
  const Json& rc = At(At(cfg, "builder"), "subnetsResolver");
  sc::AwsSubnetsResolverOptions opts;
  opts.vpc_id = At(rc, "vpcID").is_string() ? At(rc, "vpcID").get<std::string>() : "";
  opts.cluster_name = At(rc, "clusterName").is_string() ? At(rc, "clusterName").get<std::string>() : "";
  opts.subnets_cluster_tag_check = At(rc, "clusterTagCheckEnabled").is_boolean() && At(rc, "clusterTagCheckEnabled").get<bool>();
  opts.alb_single_subnet = At(rc, "albSingleSubnetEnabled").is_boolean() && At(rc, "albSingleSubnetEnabled").get<bool>();
  opts.subnet_discovery_by_reachability =
      At(rc, "discoveryByReachabilityEnabled").is_boolean() && At(rc, "discoveryByReachabilityEnabled").get<bool>();
  sc::AwsSubnetsResolver resolver(deps, opts);
  c->task->deps.subnets_resolver = &resolver;
  // TaggingManager.ListLoadBalancers mock (`mode: alwaysError`).
  c->task->deps.list_load_balancers = [](const std::map<std::string, std::string>&)
      -> Result<std::vector<sc::ExistingLoadBalancer>> {
    return MakeError(ErrorCode::kInternal, "called ListLoadBalancers()");
  };
  auto r = c->task->BuildLoadBalancerSubnetMappings(At(c->args, "scheme").get<std::string>(),
                                                   At(c->args, "ipAddressType").get<std::string>());
  if (!r.ok()) return ErrorOut(r.error());
  Json ids = Json::array();
  for (const auto& m : r.value()) ids.push_back(m.subnet_id);
  return ResultOut(Json{{"subnetIDs", ids}}.dump());
}

}  // namespace

void RegisterLoadBalancerHandlers(HandlerMap& m) {
  const std::string lb = kLbFile;
  m[lb + "#buildLoadBalancerCOIPv4Pool"] = COIPv4;
  m[lb + "#buildLoadBalancerTags"] = LbTags;
  m[lb + "#buildLoadBalancerName"] = LbName;
  m[lb + "#buildLoadBalancerIPAddressType"] = IPAddressType;
  m[lb + "#buildLoadBalancerSubnetMappings"] = SubnetMappings;
  const std::string ls = kListenerFile;
  m[ls + "#computeIngressListenPortConfigByPort"] = ListenPorts;
  m[ls + "#buildListenerAttributes"] = ListenerAttributes;
  m[ls + "#validateMutualAuthenticationConfig"] = ValidateMtls;
  m[ls + "#buildListenerTags"] = ListenerTags;
}

}  // namespace sim::conformance
