// Conformance handlers for upstream pkg/targetgroupbinding/targets_manager_test.go and two pure
// helpers of pkg/targetgroupbinding/resource_manager_test.go (corpus targets/). The scripted
// ELBV2 client replays the case's `calls` as gomock does: each expectation matches by deep
// equality of its input, is used exactly `times`, and every API call consumes one `AssumeRole`
// expectation (upstream asks elbv2Client.AssumeRole before each call; the simulator's manager
// uses the controller's client directly, which is what AssumeRole("", "") returns).
#include <nlohmann/json.hpp>

#include "sim/aws/ec2_api.h"
#include "sim/aws/elbv2_api.h"
#include "sim/base/clock.h"
#include "sim/conformance/fake_client.h"
#include "sim/conformance/internal.h"
#include "sim/controller/targets_manager.h"

namespace sim::conformance {

namespace ma = model::aws;
namespace mk = model::k8s;
namespace sc = sim::controller;
using Json = nlohmann::json;

namespace {

constexpr const char* kManagerFile = "pkg/targetgroupbinding/targets_manager_test.go";
constexpr const char* kResourceFile = "pkg/targetgroupbinding/resource_manager_test.go";

const Json& At(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}
std::string Str(const Json& j) { return j.is_string() ? j.get<std::string>() : std::string(); }

// --- AWS shapes <-> JSON (aws-sdk-go-v2 field names) --------------------------------------------

ma::TargetDescription TargetArg(const Json& j) {
  ma::TargetDescription t;
  t.id = Str(At(j, "Id"));
  if (At(j, "Port").is_number()) t.port = At(j, "Port").get<int>();
  if (At(j, "AvailabilityZone").is_string()) t.availability_zone = Str(At(j, "AvailabilityZone"));
  return t;
}
std::vector<ma::TargetDescription> TargetsArg(const Json& j) {
  std::vector<ma::TargetDescription> out;
  if (j.is_array()) {
    for (const auto& t : j) out.push_back(TargetArg(t));
  }
  return out;
}
std::optional<ma::TargetHealth> HealthArg(const Json& j) {
  if (!j.is_object()) return std::nullopt;
  return ma::TargetHealth{Str(At(j, "State")), Str(At(j, "Reason")), Str(At(j, "Description"))};
}
sc::TargetInfo InfoArg(const Json& j) {
  return sc::TargetInfo{TargetArg(At(j, "Target")), sc::HealthOf(HealthArg(At(j, "TargetHealth")))};
}
std::vector<sc::TargetInfo> InfosArg(const Json& j) {
  std::vector<sc::TargetInfo> out;
  if (j.is_array()) {
    for (const auto& t : j) out.push_back(InfoArg(t));
  }
  return out;
}

Json TargetJson(const ma::TargetDescription& t) {
  Json j = Json::object();
  j["Id"] = t.id;
  if (t.port) j["Port"] = *t.port;
  if (t.availability_zone) j["AvailabilityZone"] = *t.availability_zone;
  return j;
}
// A Go slice: nil (null) when `nil` is set and the slice is empty.
Json TargetsJson(const std::vector<ma::TargetDescription>& ts, bool nil_when_empty) {
  if (ts.empty() && nil_when_empty) return nullptr;
  Json a = Json::array();
  for (const auto& t : ts) a.push_back(TargetJson(t));
  return a;
}
Json HealthJson(const ma::TargetHealth* h) {
  if (!h) return nullptr;
  Json j = Json::object();
  j["State"] = h->state;
  if (!h->reason.empty()) j["Reason"] = h->reason;
  if (!h->description.empty()) j["Description"] = h->description;
  return j;
}
Json InfosJson(const std::vector<sc::TargetInfo>& ts, bool nil_when_empty) {
  if (ts.empty() && nil_when_empty) return nullptr;
  Json a = Json::array();
  for (const auto& t : ts) a.push_back(Json{{"Target", TargetJson(t.target)}, {"TargetHealth", HealthJson(t.health.get())}});
  return a;
}

// Drops null-valued keys recursively (an omitted Go pointer field equals nil).
Json Canon(const Json& j) {
  if (j.is_object()) {
    Json o = Json::object();
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!it.value().is_null()) o[it.key()] = Canon(it.value());
    }
    return o;
  }
  if (j.is_array()) {
    Json a = Json::array();
    for (const auto& e : j) a.push_back(Canon(e));
    return a;
  }
  return j;
}

}  // namespace
}  // namespace sim::conformance

namespace sim::aws {
namespace {

using Json = nlohmann::json;

// gomock stand-in for services.ELBV2 with the case's `calls`.
class ScriptedElbv2 final : public Elbv2Api {
 public:
  struct Expectation {
    std::string operation;
    Json input;
    Json output;
    Json error;
    int times = 1;
    int used = 0;
  };
  std::vector<Expectation> calls;
  int assume_role_expected = 0;
  int assume_role_used = 0;
  std::vector<std::string> problems;

  // Unmet expectations and unexpected calls, as text ("" when fine).
  std::string Problem() const {
    std::string out;
    for (const auto& p : problems) out += (out.empty() ? "" : "; ") + p;
    for (const auto& c : calls) {
      if (c.used < c.times) {
        out += (out.empty() ? "" : "; ") + ("missing call to " + c.operation + " with " + c.input.dump());
      }
    }
    if (assume_role_used < assume_role_expected) out += (out.empty() ? "" : "; ") + std::string("missing call to AssumeRole");
    return out;
  }

  Status RegisterTargets(const CallContext&, const TargetsRequest& req) override {
    auto r = Call("RegisterTargets", TargetsInput(req.target_group_arn, req.targets));
    if (!r.ok()) return r.error();
    return OkStatus();
  }
  Status DeregisterTargets(const CallContext&, const TargetsRequest& req) override {
    auto r = Call("DeregisterTargets", TargetsInput(req.target_group_arn, req.targets));
    if (!r.ok()) return r.error();
    return OkStatus();
  }
  Result<std::vector<m::TargetHealthDescription>> DescribeTargetHealth(const CallContext&,
                                                                      const DescribeTargetHealthRequest& req) override {
    auto r = Call("DescribeTargetHealth", TargetsInput(req.target_group_arn, req.targets));
    if (!r.ok()) return r.error();
    std::vector<m::TargetHealthDescription> out;
    const Json& list = r.value().contains("TargetHealthDescriptions") ? r.value()["TargetHealthDescriptions"] : Json();
    if (list.is_array()) {
      for (const auto& d : list) {
        m::TargetHealthDescription thd;
        const Json& t = d.contains("Target") ? d["Target"] : Json();
        thd.target.id = t.value("Id", "");
        if (t.contains("Port") && t["Port"].is_number()) thd.target.port = t["Port"].get<int>();
        if (t.contains("AvailabilityZone") && t["AvailabilityZone"].is_string()) {
          thd.target.availability_zone = t["AvailabilityZone"].get<std::string>();
        }
        const Json& h = d.contains("TargetHealth") ? d["TargetHealth"] : Json();
        if (h.is_object()) {
          thd.target_health.state = h.value("State", "");
          thd.target_health.reason = h.value("Reason", "");
          thd.target_health.description = h.value("Description", "");
        }
        out.push_back(std::move(thd));
      }
    }
    return out;
  }

  Result<m::LoadBalancer> CreateLoadBalancer(const CallContext&, const CreateLoadBalancerRequest&) override { return Unexpected("CreateLoadBalancer"); }
  Status DeleteLoadBalancer(const CallContext&, const std::string&) override { return Unexpected("DeleteLoadBalancer"); }
  Result<std::vector<m::LoadBalancer>> DescribeLoadBalancers(const CallContext&, const DescribeLoadBalancersRequest&) override { return Unexpected("DescribeLoadBalancers"); }
  Result<std::string> SetIpAddressType(const CallContext&, const SetIpAddressTypeRequest&) override { return Unexpected("SetIpAddressType"); }
  Result<SetSubnetsResponse> SetSubnets(const CallContext&, const SetSubnetsRequest&) override { return Unexpected("SetSubnets"); }
  Result<std::vector<std::string>> SetSecurityGroups(const CallContext&, const SetSecurityGroupsRequest&) override { return Unexpected("SetSecurityGroups"); }
  Result<std::vector<m::Attribute>> DescribeLoadBalancerAttributes(const CallContext&, const std::string&) override { return Unexpected("DescribeLoadBalancerAttributes"); }
  Result<std::vector<m::Attribute>> ModifyLoadBalancerAttributes(const CallContext&, const ModifyLoadBalancerAttributesRequest&) override { return Unexpected("ModifyLoadBalancerAttributes"); }
  Result<m::Listener> CreateListener(const CallContext&, const CreateListenerRequest&) override { return Unexpected("CreateListener"); }
  Result<m::Listener> ModifyListener(const CallContext&, const ModifyListenerRequest&) override { return Unexpected("ModifyListener"); }
  Status DeleteListener(const CallContext&, const std::string&) override { return Unexpected("DeleteListener"); }
  Result<std::vector<m::Listener>> DescribeListeners(const CallContext&, const DescribeListenersRequest&) override { return Unexpected("DescribeListeners"); }
  Result<std::vector<m::Certificate>> AddListenerCertificates(const CallContext&, const ListenerCertificatesRequest&) override { return Unexpected("AddListenerCertificates"); }
  Status RemoveListenerCertificates(const CallContext&, const ListenerCertificatesRequest&) override { return Unexpected("RemoveListenerCertificates"); }
  Result<std::vector<m::Certificate>> DescribeListenerCertificates(const CallContext&, const std::string&) override { return Unexpected("DescribeListenerCertificates"); }
  Result<std::vector<m::Attribute>> DescribeListenerAttributes(const CallContext&, const std::string&) override { return Unexpected("DescribeListenerAttributes"); }
  Result<std::vector<m::Attribute>> ModifyListenerAttributes(const CallContext&, const ModifyListenerAttributesRequest&) override { return Unexpected("ModifyListenerAttributes"); }
  Result<m::Rule> CreateRule(const CallContext&, const CreateRuleRequest&) override { return Unexpected("CreateRule"); }
  Result<m::Rule> ModifyRule(const CallContext&, const ModifyRuleRequest&) override { return Unexpected("ModifyRule"); }
  Status DeleteRule(const CallContext&, const std::string&) override { return Unexpected("DeleteRule"); }
  Result<std::vector<m::Rule>> DescribeRules(const CallContext&, const DescribeRulesRequest&) override { return Unexpected("DescribeRules"); }
  Result<std::vector<m::Rule>> SetRulePriorities(const CallContext&, const SetRulePrioritiesRequest&) override { return Unexpected("SetRulePriorities"); }
  Result<m::TargetGroup> CreateTargetGroup(const CallContext&, const CreateTargetGroupRequest&) override { return Unexpected("CreateTargetGroup"); }
  Result<m::TargetGroup> ModifyTargetGroup(const CallContext&, const ModifyTargetGroupRequest&) override { return Unexpected("ModifyTargetGroup"); }
  Status DeleteTargetGroup(const CallContext&, const std::string&) override { return Unexpected("DeleteTargetGroup"); }
  Result<std::vector<m::TargetGroup>> DescribeTargetGroups(const CallContext&, const DescribeTargetGroupsRequest&) override { return Unexpected("DescribeTargetGroups"); }
  Result<std::vector<m::Attribute>> DescribeTargetGroupAttributes(const CallContext&, const std::string&) override { return Unexpected("DescribeTargetGroupAttributes"); }
  Result<std::vector<m::Attribute>> ModifyTargetGroupAttributes(const CallContext&, const ModifyTargetGroupAttributesRequest&) override { return Unexpected("ModifyTargetGroupAttributes"); }
  Status AddTags(const CallContext&, const AddTagsRequest&) override { return Unexpected("AddTags"); }
  Status RemoveTags(const CallContext&, const RemoveTagsRequest&) override { return Unexpected("RemoveTags"); }
  Result<std::vector<m::TagDescription>> DescribeTags(const CallContext&, const DescribeTagsRequest&) override { return Unexpected("DescribeTags"); }
 private:
  static Json TargetsInput(const std::string& arn, const std::vector<m::TargetDescription>& targets) {
    Json j = Json::object();
    j["TargetGroupArn"] = arn;
    if (!targets.empty()) {
      Json a = Json::array();
      for (const auto& t : targets) {
        Json o = Json::object();
        o["Id"] = t.id;
        if (t.port) o["Port"] = *t.port;
        if (t.availability_zone) o["AvailabilityZone"] = *t.availability_zone;
        a.push_back(o);
      }
      j["Targets"] = a;
    }
    return j;
  }
  Error Unexpected(const std::string& op) {
    problems.push_back("unexpected call to " + op);
    return MakeError(ErrorCode::kInternal, "unexpected call to " + op);
  }
  Result<Json> Call(const std::string& op, const Json& input) {
    // AssumeRole(ctx, tgb.Spec.IamRoleArnToAssume, tgb.Spec.AssumeRoleExternalId) comes first.
    if (assume_role_used >= assume_role_expected) return Unexpected("AssumeRole");
    ++assume_role_used;
    for (auto& c : calls) {
      if (c.operation != op || c.used >= c.times || sim::conformance::Canon(c.input) != sim::conformance::Canon(input)) {
        continue;
      }
      ++c.used;
      if (c.error.is_object()) {
        Error e = MakeError(ErrorCode::kInternal, c.error.value("message", ""), c.error.value("apiErrorCode", ""));
        return e;
      }
      return c.output.is_object() ? c.output : Json::object();
    }
    return Unexpected(op + " with " + input.dump());
  }
};

class UnusedEc2 final : public Ec2Api {
 public:
  Result<std::vector<m::Subnet>> DescribeSubnets(const CallContext&, const DescribeSubnetsRequest&) override { return Unexpected("DescribeSubnets"); }
  Result<std::vector<m::Vpc>> DescribeVpcs(const CallContext&, const DescribeVpcsRequest&) override { return Unexpected("DescribeVpcs"); }
  Result<std::vector<m::RouteTable>> DescribeRouteTables(const CallContext&, const DescribeRouteTablesRequest&) override { return Unexpected("DescribeRouteTables"); }
  Result<std::vector<m::SecurityGroup>> DescribeSecurityGroups(const CallContext&, const DescribeSecurityGroupsRequest&) override { return Unexpected("DescribeSecurityGroups"); }
  Result<CreateSecurityGroupResponse> CreateSecurityGroup(const CallContext&, const CreateSecurityGroupRequest&) override { return Unexpected("CreateSecurityGroup"); }
  Status DeleteSecurityGroup(const CallContext&, const std::string&) override { return Unexpected("DeleteSecurityGroup"); }
  Status AuthorizeSecurityGroupIngress(const CallContext&, const SecurityGroupIngressRequest&) override { return Unexpected("AuthorizeSecurityGroupIngress"); }
  Status RevokeSecurityGroupIngress(const CallContext&, const SecurityGroupIngressRequest&) override { return Unexpected("RevokeSecurityGroupIngress"); }
  Status CreateTags(const CallContext&, const CreateTagsRequest&) override { return Unexpected("CreateTags"); }
  Status DeleteTags(const CallContext&, const DeleteTagsRequest&) override { return Unexpected("DeleteTags"); }
  Result<std::vector<m::Instance>> DescribeInstances(const CallContext&, const DescribeInstancesRequest&) override { return Unexpected("DescribeInstances"); }
  Result<std::vector<m::NetworkInterface>> DescribeNetworkInterfaces(const CallContext&, const DescribeNetworkInterfacesRequest&) override { return Unexpected("DescribeNetworkInterfaces"); }
 private:
  static Error Unexpected(const std::string& op) { return MakeError(ErrorCode::kInternal, "unexpected call to " + op); }
};

}  // namespace
}  // namespace sim::aws

namespace sim::conformance {
namespace {

// "1m", "30s", "5m0s", "1h" -> SimTime; unparsable -> the upstream default.
SimTime ParseDuration(const Json& j) {
  if (!j.is_string()) return sc::CachedTargetsManager::kTargetsCacheTTL;
  const std::string s = j.get<std::string>();
  int64_t total = 0, cur = 0;
  bool any = false;
  for (char ch : s) {
    if (ch >= '0' && ch <= '9') {
      cur = cur * 10 + (ch - '0');
      any = true;
    } else if (ch == 'h') {
      total += cur * 3600000, cur = 0;
    } else if (ch == 'm') {
      total += cur * 60000, cur = 0;
    } else if (ch == 's') {
      total += cur * 1000, cur = 0;
    } else {
      return sc::CachedTargetsManager::kTargetsCacheTTL;
    }
  }
  return any ? SimTime{total} : sc::CachedTargetsManager::kTargetsCacheTTL;
}

struct ManagerCtx {
  SimClock clock;
  FakeClient kube;
  aws::ScriptedElbv2 elbv2;
  aws::UnusedEc2 ec2;
  std::unique_ptr<sc::CachedTargetsManager> manager;
  Json config;
  Json args;
  std::string tg_arn;  // of unitArgs.targetGroupBinding
};

std::unique_ptr<ManagerCtx> MakeManagerCtx(const CaseInput& in) {
  auto c = std::make_unique<ManagerCtx>();
  c->config = Json::parse(in.config_json);
  c->args = At(c->config, "unitArgs");
  const Json& mgr = At(c->config, "manager");
  sc::CachedTargetsManager::Options opts;
  if (mgr.is_object()) {
    opts.targets_cache_ttl = ParseDuration(At(mgr, "targetsCacheTTL"));
    opts.register_targets_chunk_size = At(mgr, "registerTargetsChunkSize").is_number() ? At(mgr, "registerTargetsChunkSize").get<int>() : 0;
    opts.deregister_targets_chunk_size =
        At(mgr, "deregisterTargetsChunkSize").is_number() ? At(mgr, "deregisterTargetsChunkSize").get<int>() : 0;
  }
  for (const auto& call : At(c->config, "calls")) {
    if (Str(At(call, "operation")) == "AssumeRole") {
      c->elbv2.assume_role_expected += At(call, "times").is_number() ? At(call, "times").get<int>() : 1;
      continue;
    }
    aws::ScriptedElbv2::Expectation e;
    e.operation = Str(At(call, "operation"));
    e.input = At(call, "input");
    e.output = At(call, "output");
    e.error = At(call, "error");
    e.times = At(call, "times").is_number() ? At(call, "times").get<int>() : 1;
    c->elbv2.calls.push_back(std::move(e));
  }
  sc::DeployDeps deps{c->elbv2, c->ec2, c->kube, c->clock, {}};
  c->manager = std::make_unique<sc::CachedTargetsManager>(deps, opts);
  const Json& cache = At(c->config, "targetsCache");
  if (cache.is_object()) {
    for (auto it = cache.begin(); it != cache.end(); ++it) c->manager->SetCacheEntry(it.key(), InfosArg(it.value()));
  }
  if (At(c->args, "targetGroupBinding").is_number()) {
    auto tgb = mk::As<mk::TargetGroupBinding>(DocAt(in, At(c->args, "targetGroupBinding").get<size_t>()));
    if (tgb) c->tg_arn = tgb->target_group_arn;
  }
  return c;
}

// targetsCache after the call: null when no entry, else tgARN -> targets (nil slice as null).
Json CacheJson(const sc::CachedTargetsManager& m) {
  auto snap = m.CacheSnapshot();
  if (snap.empty()) return nullptr;
  Json o = Json::object();
  for (const auto& [arn, ts] : snap) o[arn] = InfosJson(ts, true);
  return o;
}

CaseOutput Finish(const ManagerCtx& c, Json result) {
  CaseOutput out = ResultOut(result.dump());
  out.mock_failure = c.elbv2.Problem();
  return out;
}

CaseOutput FinishError(const ManagerCtx& c, const Error& e) {
  CaseOutput out = ErrorOut(e);
  out.mock_failure = c.elbv2.Problem();
  return out;
}

CaseOutput Register(const CaseInput& in) {
  auto c = MakeManagerCtx(in);
  Status s = c->manager->RegisterTargets(c->tg_arn, TargetsArg(At(c->args, "targets")));
  if (!s.ok()) return FinishError(*c, s.error());
  return Finish(*c, Json{{"targetsCache", CacheJson(*c->manager)}});
}

CaseOutput Deregister(const CaseInput& in) {
  auto c = MakeManagerCtx(in);
  Status s = c->manager->DeregisterTargets(c->tg_arn, TargetsArg(At(c->args, "targets")));
  if (!s.ok()) return FinishError(*c, s.error());
  return Finish(*c, Json{{"targetsCache", CacheJson(*c->manager)}});
}

CaseOutput List(const CaseInput& in) {
  auto c = MakeManagerCtx(in);
  // A cache hit returns refreshUnhealthyTargets' slice (nil when empty); a miss AWS's (non-nil).
  const bool hit = c->manager->CacheSnapshot().count(c->tg_arn) > 0;
  auto r = c->manager->ListTargets(c->tg_arn);
  if (!r.ok()) return FinishError(*c, r.error());
  return Finish(*c, Json{{"targets", InfosJson(r.value(), hit)}, {"targetsCache", CacheJson(*c->manager)}});
}

CaseOutput RefreshUnhealthy(const CaseInput& in) {
  auto c = MakeManagerCtx(in);
  auto r = c->manager->RefreshUnhealthyTargets(c->tg_arn, InfosArg(At(c->args, "cachedTargets")));
  if (!r.ok()) return FinishError(*c, r.error());
  return Finish(*c, Json{{"targets", InfosJson(r.value(), true)}});
}

CaseOutput ListFromAWS(const CaseInput& in) {
  auto c = MakeManagerCtx(in);
  auto r = c->manager->ListTargetsFromAWS(c->tg_arn, TargetsArg(At(c->args, "targets")));
  if (!r.ok()) return FinishError(*c, r.error());
  return Finish(*c, Json{{"targets", InfosJson(r.value(), false)}});
}

CaseOutput RecordRegister(const CaseInput& in) {
  auto c = MakeManagerCtx(in);
  c->manager->RecordSuccessfulRegisterTargetsOperation(Str(At(c->args, "tgARN")), TargetsArg(At(c->args, "targets")));
  return Finish(*c, Json{{"targetsCache", CacheJson(*c->manager)}});
}

CaseOutput RecordDeregister(const CaseInput& in) {
  auto c = MakeManagerCtx(in);
  c->manager->RecordSuccessfulDeregisterTargetsOperation(Str(At(c->args, "tgARN")), TargetsArg(At(c->args, "targets")));
  return Finish(*c, Json{{"targetsCache", CacheJson(*c->manager)}});
}

CaseOutput Chunk(const CaseInput& in) {
  const Json args = At(Json::parse(in.config_json), "unitArgs");
  int size = At(args, "chunkSize").is_number() ? At(args, "chunkSize").get<int>() : 0;
  auto chunks = sc::ChunkTargetDescriptions(TargetsArg(At(args, "targets")), size);
  Json j = nullptr;  // var chunks [][]TargetDescription: nil until the first append
  for (const auto& ch : chunks) j.push_back(TargetsJson(ch, false));
  return ResultOut(Json{{"chunks", j}}.dump());
}

CaseOutput ByIdPort(const CaseInput& in) {
  const Json args = At(Json::parse(in.config_json), "unitArgs");
  return ResultOut(Json{{"targets", TargetsJson(sc::TargetByIdPort(TargetsArg(At(args, "targets"))), true)}}.dump());
}

CaseOutput CloneTargetDescriptions(const CaseInput& in) {
  const Json args = At(Json::parse(in.config_json), "unitArgs");
  // upstream returns nil for an empty or nil slice.
  std::vector<ma::TargetDescription> clone = TargetsArg(At(args, "targets"));
  return ResultOut(Json{{"targets", TargetsJson(clone, true)}}.dump());
}

CaseOutput CloneTargetInfos(const CaseInput& in) {
  const Json args = At(Json::parse(in.config_json), "unitArgs");
  // append(targets[:0:0], targets...): nil stays nil, empty stays empty.
  const Json& ts = At(args, "targets");
  std::vector<sc::TargetInfo> clone = InfosArg(ts);
  return ResultOut(Json{{"targets", InfosJson(clone, ts.is_null())}}.dump());
}

CaseOutput InitialState(const CaseInput& in) {
  const Json args = At(Json::parse(in.config_json), "unitArgs");
  std::vector<sc::TargetInfo> targets;
  for (const auto& pair : At(args, "matchedEndpointAndTargets")) targets.push_back(InfoArg(At(pair, "target")));
  return ResultOut(Json{{"containsInitialTargets", sc::ContainsTargetsInInitialState(targets)}}.dump());
}

CaseOutput AZValidation(const CaseInput& in) {
  const Json args = At(Json::parse(in.config_json), "unitArgs");
  const Json& e = At(args, "err");
  Error err = MakeError(ErrorCode::kInvalidArgument, Str(At(e, "apiErrorMessage")), Str(At(e, "apiErrorCode")));
  return ResultOut(Json{{"isAZValidationError", sc::IsAZValidationError(err)}}.dump());
}

}  // namespace

void RegisterTargetsHandlers(HandlerMap& m) {
  const std::string f = kManagerFile;
  m[f + "#RegisterTargets"] = Register;
  m[f + "#DeregisterTargets"] = Deregister;
  m[f + "#ListTargets"] = List;
  m[f + "#refreshUnhealthyTargets"] = RefreshUnhealthy;
  m[f + "#listTargetsFromAWS"] = ListFromAWS;
  m[f + "#recordSuccessfulRegisterTargetsOperation"] = RecordRegister;
  m[f + "#recordSuccessfulDeregisterTargetsOperation"] = RecordDeregister;
  m[f + "#chunkTargetDescriptions"] = Chunk;
  m[f + "#targetByIdPort"] = ByIdPort;
  m[f + "#cloneTargetDescriptionSlice"] = CloneTargetDescriptions;
  m[f + "#cloneTargetInfoSlice"] = CloneTargetInfos;
  const std::string r = kResourceFile;
  m[r + "#containsTargetsInInitialState"] = InitialState;
  m[r + "#isAZValidationError"] = AZValidation;
}

}  // namespace sim::conformance
