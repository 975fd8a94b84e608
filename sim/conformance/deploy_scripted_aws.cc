// Scripted AWS clients for the deploy corpus; see deploy_scripted_aws.h.
#include "sim/conformance/deploy_scripted_aws.h"

#include <nlohmann/json.hpp>

#include "sim/conformance/deploy_internal.h"

namespace sim::conformance::deploy {

namespace m = sim::model::aws;
using aws::CallContext;

struct ScriptedAws::Impl {
  struct Expectation {
    std::string service;
    std::string operation;
    Json input;
    Json output;
    Json error;
    int times = 1;
    int used = 0;
  };
  std::vector<Expectation> expectations;
  std::vector<std::string> problems;

  // The answer of the first matching expectation, or an error (recorded as a problem).
  Result<Json> Call(const std::string& service, const std::string& op, const Json& input) {
    for (auto& e : expectations) {
      if (e.service != service || e.operation != op || e.used >= e.times) continue;
      if (!StrictDiff(e.input, input, "$").empty()) continue;
      ++e.used;
      if (e.error.is_object()) return ErrorLiteral(e.error);
      return e.output;
    }
    problems.push_back("unexpected call " + op + " " + input.dump());
    Error err;
    err.message = "unexpected call " + op;
    return err;
  }

  class Elbv2 final : public aws::Elbv2Api {
   public:
    explicit Elbv2(Impl& impl) : impl_(impl) {}

    Result<std::vector<m::LoadBalancer>> DescribeLoadBalancers(const CallContext&,
                                                               const aws::DescribeLoadBalancersRequest& r) override {
      Json in = Json::object();
      if (!r.load_balancer_arns.empty()) in["LoadBalancerArns"] = r.load_balancer_arns;
      if (!r.names.empty()) in["Names"] = r.names;
      SIM_ASSIGN_OR_RETURN(Json out, impl_.Call("elasticloadbalancingv2", "DescribeLoadBalancers", in));
      const Json& list = out.is_array() ? out : At(out, "LoadBalancers");
      std::vector<m::LoadBalancer> lbs;
      for (const auto& lb : list) lbs.push_back(SDKLoadBalancerArg(lb));
      return lbs;
    }
    Result<std::vector<m::TargetGroup>> DescribeTargetGroups(const CallContext&,
                                                             const aws::DescribeTargetGroupsRequest& r) override {
      Json in = Json::object();
      if (!r.load_balancer_arn.empty()) in["LoadBalancerArn"] = r.load_balancer_arn;
      if (!r.target_group_arns.empty()) in["TargetGroupArns"] = r.target_group_arns;
      if (!r.names.empty()) in["Names"] = r.names;
      SIM_ASSIGN_OR_RETURN(Json out, impl_.Call("elasticloadbalancingv2", "DescribeTargetGroups", in));
      const Json& list = out.is_array() ? out : At(out, "TargetGroups");
      std::vector<m::TargetGroup> tgs;
      for (const auto& tg : list) tgs.push_back(SDKTargetGroupObjArg(tg));
      return tgs;
    }
    Result<std::vector<m::TagDescription>> DescribeTags(const CallContext&, const aws::DescribeTagsRequest& r) override {
      Json in = {{"ResourceArns", r.resource_arns}};
      SIM_ASSIGN_OR_RETURN(Json out, impl_.Call("elasticloadbalancingv2", "DescribeTags", in));
      std::vector<m::TagDescription> tds;
      for (const auto& td : At(out, "TagDescriptions")) {
        tds.push_back(m::TagDescription{Str(At(td, "ResourceArn")), SDKTagsArg(At(td, "Tags"))});
      }
      return tds;
    }
    Status AddTags(const CallContext&, const aws::AddTagsRequest& r) override {
      Json in = {{"ResourceArns", r.resource_arns}, {"Tags", TagsJson(r.tags)}};
      return impl_.Call("elasticloadbalancingv2", "AddTags", in).status();
    }
    Status RemoveTags(const CallContext&, const aws::RemoveTagsRequest& r) override {
      Json in = {{"ResourceArns", r.resource_arns}, {"TagKeys", r.tag_keys}};
      return impl_.Call("elasticloadbalancingv2", "RemoveTags", in).status();
    }
    Result<std::vector<m::Attribute>> DescribeLoadBalancerAttributes(const CallContext&,
                                                                     const std::string& arn) override {
      SIM_ASSIGN_OR_RETURN(Json out, impl_.Call("elasticloadbalancingv2", "DescribeLoadBalancerAttributes",
                                                Json{{"LoadBalancerArn", arn}}));
      return Attrs(out);
    }
    Result<std::vector<m::Attribute>> ModifyLoadBalancerAttributes(
        const CallContext&, const aws::ModifyLoadBalancerAttributesRequest& r) override {
      Json in = {{"LoadBalancerArn", r.load_balancer_arn}, {"Attributes", AttrsJson(r.attributes)}};
      SIM_ASSIGN_OR_RETURN(Json out, impl_.Call("elasticloadbalancingv2", "ModifyLoadBalancerAttributes", in));
      return Attrs(out);
    }
    Result<std::vector<m::Attribute>> DescribeTargetGroupAttributes(const CallContext&,
                                                                    const std::string& arn) override {
      SIM_ASSIGN_OR_RETURN(Json out, impl_.Call("elasticloadbalancingv2", "DescribeTargetGroupAttributes",
                                                Json{{"TargetGroupArn", arn}}));
      return Attrs(out);
    }
    Result<std::vector<m::Attribute>> ModifyTargetGroupAttributes(
        const CallContext&, const aws::ModifyTargetGroupAttributesRequest& r) override {
      Json in = {{"TargetGroupArn", r.target_group_arn}, {"Attributes", AttrsJson(r.attributes)}};
      SIM_ASSIGN_OR_RETURN(Json out, impl_.Call("elasticloadbalancingv2", "ModifyTargetGroupAttributes", in));
      return Attrs(out);
    }
    Result<aws::SetSubnetsResponse> SetSubnets(const CallContext&, const aws::SetSubnetsRequest& r) override {
      Json in = {{"LoadBalancerArn", r.load_balancer_arn}};
      if (!r.subnets.empty()) in["Subnets"] = r.subnets;
      if (!r.subnet_mappings.empty()) {
        Json ms = Json::array();
        for (const auto& sm : r.subnet_mappings) ms.push_back(SDKSubnetMappingJson(sm));
        in["SubnetMappings"] = ms;
      }
      if (!r.ip_address_type.empty()) in["IpAddressType"] = r.ip_address_type;
      if (!r.enable_prefix_for_ipv6_source_nat.empty()) {
        in["EnablePrefixForIpv6SourceNat"] = r.enable_prefix_for_ipv6_source_nat;
      }
      SIM_ASSIGN_OR_RETURN(Json out, impl_.Call("elasticloadbalancingv2", "SetSubnets", in));
      aws::SetSubnetsResponse resp;
      resp.ip_address_type = Str(At(out, "IpAddressType"));
      return resp;
    }

    Result<std::optional<m::IpamPools>> ModifyIpPools(const CallContext&, const aws::ModifyIpPoolsRequest& r) override {
      Json in = {{"LoadBalancerArn", r.load_balancer_arn}};
      if (r.ipam_pools) {
        Json p = Json::object();
        if (r.ipam_pools->ipv4_ipam_pool_id) p["Ipv4IpamPoolId"] = *r.ipam_pools->ipv4_ipam_pool_id;
        in["IpamPools"] = p;
      }
      if (!r.remove_ipam_pools.empty()) in["RemoveIpamPools"] = r.remove_ipam_pools;
      SIM_ASSIGN_OR_RETURN(Json out, impl_.Call("elasticloadbalancingv2", "ModifyIpPools", in));
      if (const Json& p = At(out, "IpamPools"); p.is_object()) return std::optional<m::IpamPools>(m::IpamPools{OptStr(At(p, "Ipv4IpamPoolId"))});
      return std::optional<m::IpamPools>();
    }

#define SIM_UNEXPECTED(Ret, Name, Arg) \
  Ret Name(const CallContext&, Arg) override { return Unexpected(#Name); }
    SIM_UNEXPECTED(Result<m::LoadBalancer>, CreateLoadBalancer, const aws::CreateLoadBalancerRequest&)
    SIM_UNEXPECTED(Status, DeleteLoadBalancer, const std::string&)
    SIM_UNEXPECTED(Result<std::string>, SetIpAddressType, const aws::SetIpAddressTypeRequest&)
    SIM_UNEXPECTED(Result<std::vector<std::string>>, SetSecurityGroups, const aws::SetSecurityGroupsRequest&)
    SIM_UNEXPECTED(Result<m::Listener>, CreateListener, const aws::CreateListenerRequest&)
    SIM_UNEXPECTED(Result<m::Listener>, ModifyListener, const aws::ModifyListenerRequest&)
    SIM_UNEXPECTED(Status, DeleteListener, const std::string&)
    SIM_UNEXPECTED(Result<std::vector<m::Listener>>, DescribeListeners, const aws::DescribeListenersRequest&)
    SIM_UNEXPECTED(Result<std::vector<m::Certificate>>, AddListenerCertificates,
                   const aws::ListenerCertificatesRequest&)
    SIM_UNEXPECTED(Status, RemoveListenerCertificates, const aws::ListenerCertificatesRequest&)
    SIM_UNEXPECTED(Result<std::vector<m::Certificate>>, DescribeListenerCertificates, const std::string&)
    SIM_UNEXPECTED(Result<std::vector<m::Attribute>>, DescribeListenerAttributes, const std::string&)
    SIM_UNEXPECTED(Result<std::vector<m::Attribute>>, ModifyListenerAttributes,
                   const aws::ModifyListenerAttributesRequest&)
    SIM_UNEXPECTED(Result<m::Rule>, CreateRule, const aws::CreateRuleRequest&)
    SIM_UNEXPECTED(Result<m::Rule>, ModifyRule, const aws::ModifyRuleRequest&)
    SIM_UNEXPECTED(Status, DeleteRule, const std::string&)
    SIM_UNEXPECTED(Result<std::vector<m::Rule>>, DescribeRules, const aws::DescribeRulesRequest&)
    SIM_UNEXPECTED(Result<std::vector<m::Rule>>, SetRulePriorities, const aws::SetRulePrioritiesRequest&)
    SIM_UNEXPECTED(Result<m::TargetGroup>, CreateTargetGroup, const aws::CreateTargetGroupRequest&)
    SIM_UNEXPECTED(Result<m::TargetGroup>, ModifyTargetGroup, const aws::ModifyTargetGroupRequest&)
    SIM_UNEXPECTED(Status, DeleteTargetGroup, const std::string&)
    SIM_UNEXPECTED(Status, RegisterTargets, const aws::TargetsRequest&)
    SIM_UNEXPECTED(Status, DeregisterTargets, const aws::TargetsRequest&)
    SIM_UNEXPECTED(Result<std::vector<m::TargetHealthDescription>>, DescribeTargetHealth,
                   const aws::DescribeTargetHealthRequest&)

   private:
    Error Unexpected(const std::string& op) {
      impl_.problems.push_back("unexpected call " + op);
      Error err;
      err.message = "unexpected call " + op;
      return err;
    }
    static Json TagsJson(const std::vector<m::Tag>& tags) {
      Json a = Json::array();
      for (const auto& t : tags) a.push_back(Json{{"Key", t.key}, {"Value", t.value}});
      return a;
    }
    static Json AttrsJson(const std::vector<m::Attribute>& attrs) {
      Json a = Json::array();
      for (const auto& t : attrs) a.push_back(Json{{"Key", t.key}, {"Value", t.value}});
      return a;
    }
    static std::vector<m::Attribute> Attrs(const Json& out) {
      std::vector<m::Attribute> attrs;
      for (const auto& a : At(out, "Attributes")) attrs.push_back(m::Attribute{Str(At(a, "Key")), Str(At(a, "Value"))});
      return attrs;
    }
    Impl& impl_;
  };

  class Ec2 final : public aws::Ec2Api {
   public:
    explicit Ec2(Impl& impl) : impl_(impl) {}
    Status CreateTags(const CallContext&, const aws::CreateTagsRequest& r) override {
      Json tags = Json::array();
      for (const auto& t : r.tags) tags.push_back(Json{{"Key", t.key}, {"Value", t.value}});
      return impl_.Call("ec2", "CreateTags", Json{{"Resources", r.resources}, {"Tags", tags}}).status();
    }
    Status DeleteTags(const CallContext&, const aws::DeleteTagsRequest& r) override {
      Json tags = Json::array();
      for (const auto& t : r.tags) {
        Json tj = {{"Key", t.key}};
        if (t.value) tj["Value"] = *t.value;
        tags.push_back(tj);
      }
      return impl_.Call("ec2", "DeleteTags", Json{{"Resources", r.resources}, {"Tags", tags}}).status();
    }
    SIM_UNEXPECTED(Result<std::vector<m::Subnet>>, DescribeSubnets, const aws::DescribeSubnetsRequest&)
    SIM_UNEXPECTED(Result<std::vector<m::Vpc>>, DescribeVpcs, const aws::DescribeVpcsRequest&)
    SIM_UNEXPECTED(Result<std::vector<m::RouteTable>>, DescribeRouteTables, const aws::DescribeRouteTablesRequest&)
    // networking.SecurityGroupManager.FetchSGInfosByRequest is mocked upstream; the real manager
    // here reads DescribeSecurityGroups, so the expectation's map sgID → SecurityGroupInfo is
    // served as the security groups it describes (ID and tags).
    Result<std::vector<m::SecurityGroup>> DescribeSecurityGroups(const CallContext&,
                                                                 const aws::DescribeSecurityGroupsRequest& r) override {
      Json in = Json::object();
      if (!r.group_ids.empty()) in["GroupIds"] = r.group_ids;
      if (!r.group_names.empty()) in["GroupNames"] = r.group_names;
      if (!r.filters.empty()) {
        Json fs = Json::array();
        for (const auto& f : r.filters) fs.push_back(Json{{"Name", f.name}, {"Values", f.values}});
        in["Filters"] = fs;
      }
      SIM_ASSIGN_OR_RETURN(Json out, impl_.Call("networking.SecurityGroupManager", "FetchSGInfosByRequest", in));
      std::vector<m::SecurityGroup> sgs;
      if (out.is_object()) {
        for (auto it = out.begin(); it != out.end(); ++it) {
          m::SecurityGroup sg;
          sg.group_id = Str(At(it.value(), "SecurityGroupID"));
          for (const auto& [k, v] : TagMapArg(At(it.value(), "Tags"))) sg.tags.push_back(m::Tag{k, v});
          sgs.push_back(std::move(sg));
        }
      }
      return sgs;
    }
    SIM_UNEXPECTED(Result<aws::CreateSecurityGroupResponse>, CreateSecurityGroup,
                   const aws::CreateSecurityGroupRequest&)
    SIM_UNEXPECTED(Status, DeleteSecurityGroup, const std::string&)
    SIM_UNEXPECTED(Status, AuthorizeSecurityGroupIngress, const aws::SecurityGroupIngressRequest&)
    SIM_UNEXPECTED(Status, RevokeSecurityGroupIngress, const aws::SecurityGroupIngressRequest&)
    SIM_UNEXPECTED(Result<std::vector<m::Instance>>, DescribeInstances, const aws::DescribeInstancesRequest&)
    SIM_UNEXPECTED(Result<std::vector<m::NetworkInterface>>, DescribeNetworkInterfaces,
                   const aws::DescribeNetworkInterfacesRequest&)
#undef SIM_UNEXPECTED

   private:
    Error Unexpected(const std::string& op) {
      impl_.problems.push_back("unexpected call " + op);
      Error err;
      err.message = "unexpected call " + op;
      return err;
    }
    Impl& impl_;
  };

  Elbv2 elbv2{*this};
  Ec2 ec2{*this};
};

ScriptedAws::ScriptedAws(const Json& case_json) : impl_(std::make_unique<Impl>()) {
  for (const auto& c : At(case_json, "calls")) {
    const std::string service = Str(At(c, "service"));
    if (service != "elasticloadbalancingv2" && service != "ec2" && service != "networking.SecurityGroupManager") continue;
    Impl::Expectation e;
    e.service = service;
    e.operation = Str(At(c, "operation"));
    e.input = At(c, "input");
    e.output = At(c, "output");
    e.error = At(c, "error");
    e.times = OptInt(At(c, "times")).value_or(1);
    impl_->expectations.push_back(std::move(e));
  }
}

ScriptedAws::~ScriptedAws() = default;

aws::Elbv2Api& ScriptedAws::elbv2() { return impl_->elbv2; }
aws::Ec2Api& ScriptedAws::ec2() { return impl_->ec2; }

Harness::Harness(const Json& case_json) : aws(case_json) {
  config.vpc_id = "vpc-xxxxxxx";
  config.feature_gates = GatesArg(case_json);
}

controller::DeployDeps Harness::Deps() {
  return controller::DeployDeps{aws.elbv2(), aws.ec2(), kube, clock, nullptr};
}

void Harness::Finish() const {
  std::string p = aws.Problems();
  if (!p.empty()) throw CaseFailure(p);
}

std::string ScriptedAws::Problems() const {
  std::string out;
  auto add = [&out](const std::string& p) { out += (out.empty() ? "" : "; ") + p; };
  for (const auto& p : impl_->problems) add(p);
  for (const auto& e : impl_->expectations) {
    if (e.used < e.times) add("missing call " + e.operation + " " + e.input.dump());
  }
  return out;
}

}  // namespace sim::conformance::deploy
