// Conformance handlers for upstream pkg/networking/subnet_resolver_test.go (corpus subnets/): the
// unit is sim/controller/subnets_resolver_aws.*, driven through gomock-style EC2 and AZInfoProvider
// mocks (entries matched by deep equality of the input, each used once, order not enforced).
#include <memory>

#include <nlohmann/json.hpp>

#include "sim/aws/fake_aws.h"
#include "sim/base/clock.h"
#include "sim/conformance/fake_client.h"
#include "sim/conformance/internal.h"
#include "sim/controller/subnets_resolver_aws.h"

namespace sim::conformance {

namespace ma = model::aws;
namespace sc = sim::controller;
using Json = nlohmann::json;

namespace {

constexpr const char* kFile = "pkg/networking/subnet_resolver_test.go";

const Json& At(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string Str(const Json& j) { return j.is_string() ? j.get<std::string>() : ""; }

// Drops null and empty-list members (a Go field the literal leaves out), recursively.
Json Normalize(const Json& j) {
  if (j.is_object()) {
    Json o = Json::object();
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.value().is_null() || (it.value().is_array() && it.value().empty())) continue;
      o[it.key()] = Normalize(it.value());
    }
    return o;
  }
  if (j.is_array()) {
    Json a = Json::array();
    for (const auto& e : j) a.push_back(Normalize(e));
    return a;
  }
  return j;
}

// Subnets as the case wrote them: converted to the model, and echoed back verbatim in results.
// The model subnet carries its raw index in subnet_arn ("raw:<n>"), which the resolver never reads.
class SubnetBook {
 public:
  ma::Subnet Add(const Json& j) {
    ma::Subnet s;
    s.subnet_id = Str(At(j, "SubnetId"));
    s.subnet_arn = "raw:" + std::to_string(raw_.size());
    s.availability_zone = Str(At(j, "AvailabilityZone"));
    s.availability_zone_id = Str(At(j, "AvailabilityZoneId"));
    if (At(j, "AvailableIpAddressCount").is_number()) {
      s.available_ip_address_count = At(j, "AvailableIpAddressCount").get<int>();
    }
    s.vpc_id = Str(At(j, "VpcId"));
    s.outpost_arn = Str(At(j, "OutpostArn"));
    for (const auto& t : At(j, "Tags")) s.tags.push_back({Str(At(t, "Key")), Str(At(t, "Value"))});
    for (const auto& a : At(j, "Ipv6CidrBlockAssociationSet")) {
      if (Str(At(At(a, "Ipv6CidrBlockState"), "State")) == "associated") {
        s.ipv6_cidr_blocks.push_back(Str(At(a, "Ipv6CidrBlock")));
      }
    }
    raw_.push_back(j);
    return s;
  }
  std::vector<ma::Subnet> AddAll(const Json& list) {
    std::vector<ma::Subnet> out;
    for (const auto& j : list) out.push_back(Add(j));
    return out;
  }
  Json Raw(const ma::Subnet& s) const {
    if (s.subnet_arn.rfind("raw:", 0) == 0) {
      size_t i = std::stoul(s.subnet_arn.substr(4));
      if (i < raw_.size()) return raw_[i];
    }
    return Json{{"SubnetId", s.subnet_id}};
  }
  Json RawList(const std::vector<ma::Subnet>& subnets) const {
    Json a = Json::array();
    for (const auto& s : subnets) a.push_back(Raw(s));
    return a;
  }

 private:
  std::vector<Json> raw_;
};

struct MockCall {
  std::string service, operation;
  Json input, output, error;
  bool used = false;
};

class Mocks {
 public:
  explicit Mocks(const Json& calls) {
    for (const auto& c : calls) {
      calls_.push_back(MockCall{Str(At(c, "service")), Str(At(c, "operation")), Normalize(At(c, "input")),
                                At(c, "output"), At(c, "error")});
    }
  }
  // The first unused entry for (service, operation) whose input equals `input`; null when none.
  const MockCall* Match(const std::string& service, const std::string& operation, const Json& input) {
    const Json want = Normalize(input);
    for (auto& c : calls_) {
      if (!c.used && c.service == service && c.operation == operation && c.input == want) {
        c.used = true;
        return &c;
      }
    }
    if (!problem_.empty()) problem_ += "; ";
    problem_ += "unexpected call " + service + "." + operation + "(" + want.dump() + ")";
    return nullptr;
  }
  static Error CallError(const MockCall& c) { return MakeError(ErrorCode::kInternal, Str(At(c.error, "message"))); }
  std::string Problems() const {
    std::string p = problem_;
    for (const auto& c : calls_) {
      if (c.used) continue;
      if (!p.empty()) p += "; ";
      p += "missing call " + c.service + "." + c.operation + "(" + c.input.dump() + ")";
    }
    return p;
  }

 private:
  std::vector<MockCall> calls_;
  std::string problem_;
};

Error Unexpected(const std::string& what) { return MakeError(ErrorCode::kInternal, "unexpected call to " + what); }

Json FiltersJson(const std::vector<ma::Filter>& filters) {
  Json a = Json::array();
  for (const auto& f : filters) a.push_back(Json{{"Name", f.name}, {"Values", f.values}});
  return a;
}

// upstream services.EC2 mock: DescribeSubnetsAsList / DescribeRouteTablesAsList from the case.
class MockEc2 final : public aws::Ec2Api {
 public:
  MockEc2(Mocks& mocks, SubnetBook& book) : mocks_(mocks), book_(book) {}

  // aws::Ec2Api
  Result<std::vector<ma::Subnet>> DescribeSubnets(const aws::CallContext&, const aws::DescribeSubnetsRequest& req) override {
    Json in = Json::object();
    in["Filters"] = FiltersJson(req.filters);
    in["SubnetIds"] = req.subnet_ids;
    const MockCall* c = mocks_.Match("ec2", "DescribeSubnets", in);
    if (c == nullptr) return Unexpected("EC2.DescribeSubnetsAsList");
    if (!c->error.is_null()) return Mocks::CallError(*c);
    return book_.AddAll(c->output);
  }
  Result<std::vector<ma::RouteTable>> DescribeRouteTables(const aws::CallContext&,
                                                          const aws::DescribeRouteTablesRequest& req) override {
    Json in = Json::object();
    in["Filters"] = FiltersJson(req.filters);
    in["RouteTableIds"] = req.route_table_ids;
    const MockCall* c = mocks_.Match("ec2", "DescribeRouteTables", in);
    if (c == nullptr) return Unexpected("EC2.DescribeRouteTablesAsList");
    if (!c->error.is_null()) return Mocks::CallError(*c);
    std::vector<ma::RouteTable> out;
    for (const auto& j : c->output) {
      ma::RouteTable rt;
      rt.route_table_id = Str(At(j, "RouteTableId"));
      for (const auto& a : At(j, "Associations")) {
        ma::RouteTableAssociation assoc;
        assoc.main = At(a, "Main").is_boolean() && At(a, "Main").get<bool>();
        assoc.subnet_id = Str(At(a, "SubnetId"));
        rt.associations.push_back(assoc);
      }
      for (const auto& r : At(j, "Routes")) {
        ma::Route route;
        route.gateway_id = Str(At(r, "GatewayId"));
        rt.routes.push_back(route);
      }
      out.push_back(rt);
    }
    return out;
  }
  Result<std::vector<ma::Vpc>> DescribeVpcs(const aws::CallContext&, const aws::DescribeVpcsRequest&) override {
    return Fail("DescribeVpcs");
  }
  Result<std::vector<ma::SecurityGroup>> DescribeSecurityGroups(const aws::CallContext&,
                                                                const aws::DescribeSecurityGroupsRequest&) override {
    return Fail("DescribeSecurityGroups");
  }
  Result<aws::CreateSecurityGroupResponse> CreateSecurityGroup(const aws::CallContext&,
                                                               const aws::CreateSecurityGroupRequest&) override {
    return Fail("CreateSecurityGroup");
  }
  Status DeleteSecurityGroup(const aws::CallContext&, const std::string&) override { return Fail("DeleteSecurityGroup"); }
  Status AuthorizeSecurityGroupIngress(const aws::CallContext&, const aws::SecurityGroupIngressRequest&) override {
    return Fail("AuthorizeSecurityGroupIngress");
  }
  Status RevokeSecurityGroupIngress(const aws::CallContext&, const aws::SecurityGroupIngressRequest&) override {
    return Fail("RevokeSecurityGroupIngress");
  }
  Status CreateTags(const aws::CallContext&, const aws::CreateTagsRequest&) override { return Fail("CreateTags"); }
  Status DeleteTags(const aws::CallContext&, const aws::DeleteTagsRequest&) override { return Fail("DeleteTags"); }
  Result<std::vector<ma::Instance>> DescribeInstances(const aws::CallContext&,
                                                      const aws::DescribeInstancesRequest&) override {
    return Fail("DescribeInstances");
  }
  Result<std::vector<ma::NetworkInterface>> DescribeNetworkInterfaces(
      const aws::CallContext&, const aws::DescribeNetworkInterfacesRequest&) override {
    return Fail("DescribeNetworkInterfaces");
  }

 private:
  Error Fail(const std::string& op) {
    mocks_.Match("ec2", op, Json::object());
    return Unexpected("EC2." + op);
  }
  Mocks& mocks_;
  SubnetBook& book_;
};

class MockAZInfo final : public sc::AZInfoProvider {
 public:
  explicit MockAZInfo(Mocks& mocks) : mocks_(mocks) {}
  // sc::AZInfoProvider
  Result<std::map<std::string, sc::AZInfo>> FetchAZInfos(const std::vector<std::string>& zone_ids) override {
    const MockCall* c = mocks_.Match("networking.AZInfoProvider", "FetchAZInfos", Json(zone_ids));
    if (c == nullptr) return Unexpected("AZInfoProvider.FetchAZInfos");
    if (!c->error.is_null()) return Mocks::CallError(*c);
    std::map<std::string, sc::AZInfo> out;
    if (c->output.is_object()) {
      for (auto it = c->output.begin(); it != c->output.end(); ++it) {
        out[it.key()] = sc::AZInfo{Str(At(it.value(), "ZoneId")), Str(At(it.value(), "ZoneType"))};
      }
    }
    return out;
  }

 private:
  Mocks& mocks_;
};

// One case's world: mocks, the resolver as the case builds it, its arguments.
struct Env {
  explicit Env(const CaseInput& in)
      : config(Json::parse(in.config_json)),
        args(At(config, "unitArgs")),
        mocks(At(config, "calls")),
        ec2(mocks, book),
        az(mocks),
        fake_aws(clock),
        deps{fake_aws.elbv2(), ec2, client, clock, {}} {
    const Json& r = At(config, "resolver");
    sc::AwsSubnetsResolverOptions o;
    o.vpc_id = Str(At(r, "vpcID"));
    o.cluster_name = Str(At(r, "clusterName"));
    o.subnets_cluster_tag_check = At(r, "clusterTagCheckEnabled").is_boolean() && At(r, "clusterTagCheckEnabled").get<bool>();
    o.alb_single_subnet = At(r, "albSingleSubnetEnabled").is_boolean() && At(r, "albSingleSubnetEnabled").get<bool>();
    o.subnet_discovery_by_reachability =
        At(r, "discoveryByReachabilityEnabled").is_boolean() && At(r, "discoveryByReachabilityEnabled").get<bool>();
    o.minimal_available_ip_address_count =
        At(r, "minimalAvailableIPAddressCount").is_number() ? At(r, "minimalAvailableIPAddressCount").get<int32_t>() : 0;
    o.az_info_provider = &az;
    resolver = std::make_unique<sc::AwsSubnetsResolver>(deps, o);
  }

  // unitArgs.opts ([]SubnetsResolveOption) over upstream's defaults.
  sc::SubnetsResolveOptions Opts() const {
    sc::SubnetsResolveOptions o;  // application, internet-facing, ipv4
    for (const auto& e : At(args, "opts")) {
      const std::string option = Str(At(e, "option")), value = Str(At(e, "value"));
      if (option == "LBType") o.lb_type = value;
      if (option == "LBScheme") o.lb_scheme = value;
      if (option == "LBIPAddressType") o.lb_ip_address_type = value;
    }
    return o;
  }

  // Finishes a case: mock problems fail it (gomock ctrl.Finish), else the result or error.
  CaseOutput Finish(CaseOutput out) const {
    out.mock_failure = mocks.Problems();
    return out;
  }
  CaseOutput Subnets(const Result<std::vector<ma::Subnet>>& r) const {
    if (!r.ok()) return Finish(ErrorOut(r.error()));
    return Finish(ResultOut(Json{{"subnets", book.RawList(r.value())}}.dump()));
  }

  Json config;
  Json args;
  Mocks mocks;
  SubnetBook book;
  MockEc2 ec2;
  MockAZInfo az;
  SimClock clock;
  aws::FakeAws fake_aws;
  FakeClient client;
  sc::DeployDeps deps;
  std::unique_ptr<sc::AwsSubnetsResolver> resolver;
};

CaseOutput ResolveViaDiscovery(const CaseInput& in) {
  Env e(in);
  return e.Subnets(e.resolver->ResolveViaDiscovery(e.Opts()));
}

CaseOutput ResolveViaSelector(const CaseInput& in) {
  Env e(in);
  const Json& j = At(e.args, "selector");
  sc::SubnetSelector selector;
  for (const auto& id : At(j, "ids")) selector.ids.push_back(Str(id));
  const Json& tags = At(j, "tags");
  if (tags.is_object()) {
    for (auto it = tags.begin(); it != tags.end(); ++it) {
      auto& values = selector.tags[it.key()];
      for (const auto& v : it.value()) values.push_back(Str(v));
    }
  }
  return e.Subnets(e.resolver->ResolveViaSelector(selector, e.Opts()));
}

CaseOutput ResolveViaNameOrIDSlice(const CaseInput& in) {
  Env e(in);
  std::vector<std::string> names;
  for (const auto& n : At(e.args, "subnetNameOrIDs")) names.push_back(Str(n));
  return e.Subnets(e.resolver->ResolveViaNameOrIDSlice(names, e.Opts()));
}

CaseOutput ChooseSubnetsPerAZ(const CaseInput& in) {
  Env e(in);
  return e.Subnets(e.resolver->ChooseSubnetsPerAZ(e.book.AddAll(At(e.args, "subnets"))));
}

CaseOutput ComputeSubnetsMinimalCount(const CaseInput& in) {
  Env e(in);
  const Json& ro = At(e.args, "resolveOpts");
  sc::SubnetsResolveOptions opts{Str(At(ro, "LBType")), Str(At(ro, "LBScheme")), Str(At(ro, "LBIPAddressType"))};
  const int n = e.resolver->ComputeSubnetsMinimalCount(Str(At(e.args, "subnetLocale")), opts);
  return e.Finish(ResultOut(Json{{"minimalCount", n}}.dump()));
}

CaseOutput BuildSubnetLocaleType(const CaseInput& in) {
  Env e(in);
  auto r = e.resolver->BuildSubnetLocaleType(e.book.Add(At(e.args, "subnet")));
  if (!r.ok()) return e.Finish(ErrorOut(r.error()));
  return e.Finish(ResultOut(Json{{"subnetLocale", r.value()}}.dump()));
}

CaseOutput SortSubnetsByID(const CaseInput& in) {
  Env e(in);
  std::vector<ma::Subnet> subnets = e.book.AddAll(At(e.args, "subnets"));
  sc::SortSubnetsByID(&subnets);
  return e.Subnets(subnets);
}

CaseOutput ExtractSubnetIDs(const CaseInput& in) {
  Env e(in);
  return e.Finish(ResultOut(Json{{"subnetIDs", sc::ExtractSubnetIDs(e.book.AddAll(At(e.args, "subnets")))}}.dump()));
}

CaseOutput IsSubnetInLocalZoneOrOutpost(const CaseInput& in) {
  Env e(in);
  auto r = e.resolver->IsSubnetInLocalZoneOrOutpost(Str(At(e.args, "subnetID")));
  if (!r.ok()) return e.Finish(ErrorOut(r.error()));
  return e.Finish(ResultOut(Json{{"inLocalZoneOrOutpost", r.value()}}.dump()));
}

CaseOutput IsSubnetContainsIPv6CIDR(const CaseInput& in) {
  Env e(in);
  const bool has = sc::IsSubnetContainsIPv6CIDR(e.book.Add(At(e.args, "subnet")));
  return e.Finish(ResultOut(Json{{"containsIPv6CIDR", has}}.dump()));
}

CaseOutput IsIPv6CIDRRequired(const CaseInput& in) {
  Env e(in);
  const bool required = sc::IsIPv6CIDRRequired(Str(At(e.args, "ipAddressType")));
  return e.Finish(ResultOut(Json{{"ipv6CIDRRequired", required}}.dump()));
}

CaseOutput CategorizeSubnetsByEligibility(const CaseInput& in) {
  Env e(in);
  sc::SubnetsByEligibility r =
      e.resolver->CategorizeSubnetsByEligibility(e.book.AddAll(At(e.args, "subnets")), e.Opts());
  return e.Finish(ResultOut(Json{{"eligibleSubnetIDs", sc::ExtractSubnetIDs(r.eligible)},
                                 {"missingIPv6CIDRSubnetIDs", sc::ExtractSubnetIDs(r.missing_ipv6_cidr)}}
                                .dump()));
}

CaseOutput ValidateSubnetsIPv6CIDR(const CaseInput& in) {
  Env e(in);
  Status st = e.resolver->ValidateSubnetsIPv6CIDR(e.book.AddAll(At(e.args, "subnets")), e.Opts());
  if (!st.ok()) return e.Finish(ErrorOut(st.error()));
  return e.Finish(ResultOut(R"({"error":null})"));
}

}  // namespace

void RegisterSubnetsHandlers(HandlerMap& m) {
  const std::string f = kFile;
  m[f + "#ResolveViaDiscovery"] = ResolveViaDiscovery;
  m[f + "#ResolveViaSelector"] = ResolveViaSelector;
  m[f + "#ResolveViaNameOrIDSlice"] = ResolveViaNameOrIDSlice;
  m[f + "#chooseSubnetsPerAZ"] = ChooseSubnetsPerAZ;
  m[f + "#computeSubnetsMinimalCount"] = ComputeSubnetsMinimalCount;
  m[f + "#buildSDKSubnetLocaleType"] = BuildSubnetLocaleType;
  m[f + "#sortSubnetsByID"] = SortSubnetsByID;
  m[f + "#extractSubnetIDs"] = ExtractSubnetIDs;
  m[f + "#IsSubnetInLocalZoneOrOutpost"] = IsSubnetInLocalZoneOrOutpost;
  m[f + "#isSubnetContainsIPv6CIDR"] = IsSubnetContainsIPv6CIDR;
  m[f + "#isIPv6CIDRRequired"] = IsIPv6CIDRRequired;
  m[f + "#categorizeSubnetsByEligibility"] = CategorizeSubnetsByEligibility;
  m[f + "#validateSubnetsIPv6CIDR"] = ValidateSubnetsIPv6CIDR;
}

}  // namespace sim::conformance
