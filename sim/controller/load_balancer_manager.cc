// Mirrors upstream pkg/deploy/elbv2/load_balancer_manager.go and
// load_balancer_attributes_reconciler.go.
#include "sim/controller/load_balancer_manager.h"

#include <set>

namespace sim::controller {

namespace ms = model::stack;
namespace ma = model::aws;

std::vector<ma::SubnetMapping> BuildSDKSubnetMappings(const std::vector<ms::SubnetMapping>& mappings) {
  std::vector<ma::SubnetMapping> out;
  for (const auto& m : mappings) {
    ma::SubnetMapping o;
    o.subnet_id = m.subnet_id;
    o.allocation_id = m.allocation_id.value_or("");
    o.private_ipv4_address = m.private_ipv4_address.value_or("");
    o.ipv6_address = m.ipv6_address.value_or("");
    o.source_nat_ipv6_prefix = m.source_nat_ipv6_prefix.value_or("");
    out.push_back(o);
  }
  return out;
}

Result<std::vector<std::string>> BuildSDKSecurityGroups(const ms::Stack& stack, const std::vector<ms::StringToken>& sgs) {
  std::vector<std::string> out;
  for (const auto& t : sgs) {
    SIM_ASSIGN_OR_RETURN(std::string id, ResolveToken(stack, t));
    out.push_back(id);
  }
  return out;
}

Result<aws::CreateLoadBalancerRequest> BuildSDKCreateLoadBalancerInput(const ms::Stack& stack,
                                                                     const ms::LoadBalancerSpec& spec) {
  aws::CreateLoadBalancerRequest req;
  req.name = spec.name;
  req.type = spec.type;
  req.scheme = spec.scheme;
  req.ip_address_type = spec.ip_address_type;
  req.subnet_mappings = BuildSDKSubnetMappings(spec.subnet_mappings);
  SIM_ASSIGN_OR_RETURN(req.security_groups, BuildSDKSecurityGroups(stack, spec.security_groups));
  req.enable_prefix_for_ipv6_source_nat = spec.enable_prefix_for_ipv6_source_nat;
  if (spec.ipv4_ipam_pool && !spec.ipv4_ipam_pool->empty()) req.ipam_pools = ma::IpamPools{spec.ipv4_ipam_pool};
  req.customer_owned_ipv4_pool = spec.customer_owned_ipv4_pool.value_or("");
  return req;
}

ms::LoadBalancerStatus BuildResLoadBalancerStatus(const LoadBalancerWithTags& sdk) {
  ms::LoadBalancerStatus st;
  st.load_balancer_arn = sdk.load_balancer.load_balancer_arn;
  st.dns_name = sdk.load_balancer.dns_name;
  if (!sdk.load_balancer.state.code.empty()) st.provisioning_state = sdk.load_balancer.state.code;
  return st;
}

Result<std::pair<ms::LoadBalancerStatus, LoadBalancerWithTags>> LoadBalancerManager::Create(
    const ms::Stack& stack, const ms::LoadBalancer& res) {
  SIM_ASSIGN_OR_RETURN(aws::CreateLoadBalancerRequest req, BuildSDKCreateLoadBalancerInput(stack, res.spec));
  TagMap tags = tracking_.ResourceTags(ToStackId(stack.stack_id()), res.id, res.spec.tags);
  req.tags = ConvertTagsToSDKTags(tags);
  LogInfo(deps_, "creating loadBalancer " + res.id);
  auto r = deps_.elbv2.CreateLoadBalancer(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("CreateLoadBalancer", r.error());
  LoadBalancerWithTags sdk{r.value(), tags};
  LogInfo(deps_, "created loadBalancer " + res.id + " arn " + sdk.load_balancer.load_balancer_arn);
  SIM_RETURN_IF_ERROR(ReconcileAttributes(res, sdk));
  return std::make_pair(BuildResLoadBalancerStatus(sdk), sdk);
}

Result<ms::LoadBalancerStatus> LoadBalancerManager::Update(const ms::Stack& stack, const ms::LoadBalancer& res,
                                                           const LoadBalancerWithTags& sdk) {
  const std::string& arn = sdk.load_balancer.load_balancer_arn;
  // IPAM pools go first: they must be removed before the IP address type changes.
  SIM_RETURN_IF_ERROR(RemoveIPAMPools(res, sdk));
  // Tags.
  {
    TagMap desired = tracking_.ResourceTags(ToStackId(stack.stack_id()), res.id, res.spec.tags);
    ReconcileTagsOptions opts;
    opts.current_tags = sdk.tags;
    opts.ignored_tag_keys = tracking_.LegacyTagKeys();
    opts.ignored_tag_keys.insert(opts.ignored_tag_keys.end(), config_.external_managed_tags.begin(),
                                 config_.external_managed_tags.end());
    SIM_RETURN_IF_ERROR(tagging_.ReconcileTags(arn, desired, opts));
  }
  // Security groups.
  {
    SIM_ASSIGN_OR_RETURN(std::vector<std::string> sgs, BuildSDKSecurityGroups(stack, res.spec.security_groups));
    std::set<std::string> desired(sgs.begin(), sgs.end());
    std::set<std::string> current(sdk.load_balancer.security_groups.begin(), sdk.load_balancer.security_groups.end());
    if (desired != current) {
      aws::SetSecurityGroupsRequest req;
      req.load_balancer_arn = arn;
      req.security_groups = sgs;
      LogInfo(deps_, "modifying loadBalancer securityGroups " + arn);
      auto r = deps_.elbv2.SetSecurityGroups(deps_.call_context, req);
      if (!r.ok()) return Elbv2Error("SetSecurityGroups", r.error());
    }
  }
  SIM_RETURN_IF_ERROR(UpdateSDKLoadBalancerWithSubnetMappings(res, sdk));
  // IP address type.
  if (res.spec.ip_address_type != sdk.load_balancer.ip_address_type) {
    aws::SetIpAddressTypeRequest req;
    req.load_balancer_arn = arn;
    req.ip_address_type = res.spec.ip_address_type;
    LogInfo(deps_, "modifying loadBalancer ipAddressType " + arn);
    auto r = deps_.elbv2.SetIpAddressType(deps_.call_context, req);
    if (!r.ok()) return Elbv2Error("SetIpAddressType", r.error());
  }
  SIM_RETURN_IF_ERROR(ReconcileAttributes(res, sdk));
  SIM_RETURN_IF_ERROR(CheckSDKLoadBalancerWithCOIPv4Pool(res, sdk));
  // The IPAM pool is changed last, after every other modification.
  SIM_RETURN_IF_ERROR(AddIPAMPools(res, sdk));
  return BuildResLoadBalancerStatus(sdk);
}

namespace {

// isIPv4ToDualstackUpdate: an NLB whose ip address type changes to dualstack.
bool IsIPv4ToDualstackUpdate(const ms::LoadBalancer& res, const LoadBalancerWithTags& sdk) {
  return res.spec.ip_address_type != sdk.load_balancer.ip_address_type && res.spec.type == "network" &&
         res.spec.ip_address_type == "dualstack";
}

}  // namespace

Status LoadBalancerManager::UpdateSDKLoadBalancerWithSubnetMappings(const ms::LoadBalancer& res,
                                                                    const LoadBalancerWithTags& sdk) {
  std::set<std::string> desired, desired_ipv6, desired_prefixes;
  for (const auto& m : res.spec.subnet_mappings) {
    desired.insert(m.subnet_id);
    if (m.source_nat_ipv6_prefix) desired_prefixes.insert(*m.source_nat_ipv6_prefix);
    if (m.ipv6_address) desired_ipv6.insert(*m.ipv6_address);
  }
  std::set<std::string> current, current_ipv6, current_prefixes;
  for (const auto& az : sdk.load_balancer.availability_zones) {
    current.insert(az.subnet_id);
    if (!az.source_nat_ipv6_prefixes.empty()) current_prefixes.insert(az.source_nat_ipv6_prefixes[0]);
    if (!az.load_balancer_addresses.empty() && !az.load_balancer_addresses[0].ipv6_address.empty()) {
      current_ipv6.insert(az.load_balancer_addresses[0].ipv6_address);
    }
  }
  const std::string& sdk_prefix_nat = sdk.load_balancer.enable_prefix_for_ipv6_source_nat;
  const std::string& res_prefix_nat = res.spec.enable_prefix_for_ipv6_source_nat;
  bool first_time_ipv6 = current_ipv6.empty() && !desired_ipv6.empty();
  bool needs_dualstack_ipv6_update = IsIPv4ToDualstackUpdate(res, sdk) && first_time_ipv6;
  if (!needs_dualstack_ipv6_update && desired == current && desired_prefixes == current_prefixes &&
      (sdk_prefix_nat == res_prefix_nat || res_prefix_nat.empty())) {
    return OkStatus();
  }
  const std::string& arn = sdk.load_balancer.load_balancer_arn;
  aws::SetSubnetsRequest req;
  req.load_balancer_arn = arn;
  req.subnet_mappings = BuildSDKSubnetMappings(res.spec.subnet_mappings);
  if (res.spec.type == "network") req.enable_prefix_for_ipv6_source_nat = res_prefix_nat;
  LogInfo(deps_, "modifying loadBalancer subnetMappings " + arn);
  auto r = deps_.elbv2.SetSubnets(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("SetSubnets", r.error());
  LogInfo(deps_, "modified loadBalancer subnetMappings " + arn);
  return OkStatus();
}

Status LoadBalancerManager::CheckSDKLoadBalancerWithCOIPv4Pool(const ms::LoadBalancer& res,
                                                               const LoadBalancerWithTags& sdk) const {
  if (res.spec.customer_owned_ipv4_pool.value_or("") != sdk.load_balancer.customer_owned_ipv4_pool) {
    LogInfo(deps_, "loadBalancer has drifted CustomerOwnedIPv4Pool setting " + sdk.load_balancer.load_balancer_arn);
  }
  return OkStatus();
}

Status LoadBalancerManager::RemoveIPAMPools(const ms::LoadBalancer& res, const LoadBalancerWithTags& sdk) {
  // Nothing to remove, or the pool is to be added / changed (AddIPAMPools).
  if (!sdk.load_balancer.ipam_pools || res.spec.ipv4_ipam_pool) return OkStatus();
  aws::ModifyIpPoolsRequest req;
  req.load_balancer_arn = sdk.load_balancer.load_balancer_arn;
  req.remove_ipam_pools = {"ipv4"};
  auto r = deps_.elbv2.ModifyIpPools(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("ModifyIpPools", r.error());
  return OkStatus();
}

Status LoadBalancerManager::AddIPAMPools(const ms::LoadBalancer& res, const LoadBalancerWithTags& sdk) {
  if (!res.spec.ipv4_ipam_pool) return OkStatus();
  const auto& cur = sdk.load_balancer.ipam_pools;
  if (cur && cur->ipv4_ipam_pool_id.value_or("") == *res.spec.ipv4_ipam_pool) return OkStatus();
  aws::ModifyIpPoolsRequest req;
  req.load_balancer_arn = sdk.load_balancer.load_balancer_arn;
  req.ipam_pools = ma::IpamPools{res.spec.ipv4_ipam_pool};
  auto r = deps_.elbv2.ModifyIpPools(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("ModifyIpPools", r.error());
  return OkStatus();
}

Status LoadBalancerManager::Delete(const LoadBalancerWithTags& sdk) {
  const std::string& arn = sdk.load_balancer.load_balancer_arn;
  LogInfo(deps_, "deleting loadBalancer " + arn);
  Status s = deps_.elbv2.DeleteLoadBalancer(deps_.call_context, arn);
  if (!s.ok()) return Elbv2Error("DeleteLoadBalancer", s.error());
  LogInfo(deps_, "deleted loadBalancer " + arn);
  return OkStatus();
}

TagMap GetDesiredLoadBalancerAttributes(const ms::LoadBalancer& res) {
  TagMap desired;
  for (const auto& a : res.spec.load_balancer_attributes) desired[a.key] = a.value;
  return desired;
}

Result<TagMap> LoadBalancerManager::GetCurrentLoadBalancerAttributes(const LoadBalancerWithTags& sdk) {
  auto r = deps_.elbv2.DescribeLoadBalancerAttributes(deps_.call_context, sdk.load_balancer.load_balancer_arn);
  if (!r.ok()) return Elbv2Error("DescribeLoadBalancerAttributes", r.error());
  TagMap current;
  for (const auto& a : r.value()) current[a.key] = a.value;
  return current;
}

Status LoadBalancerManager::ReconcileAttributes(const ms::LoadBalancer& res, const LoadBalancerWithTags& sdk) {
  TagMap desired = GetDesiredLoadBalancerAttributes(res);
  SIM_ASSIGN_OR_RETURN(TagMap current, GetCurrentLoadBalancerAttributes(sdk));
  TagMap to_update, to_remove;
  DiffStringMap(desired, current, &to_update, &to_remove);
  if (to_update.empty()) return OkStatus();
  aws::ModifyLoadBalancerAttributesRequest req;
  req.load_balancer_arn = sdk.load_balancer.load_balancer_arn;
  for (const auto& [k, v] : to_update) req.attributes.push_back(ma::Attribute{k, v});
  LogInfo(deps_, "modifying loadBalancer attributes " + req.load_balancer_arn);
  auto m = deps_.elbv2.ModifyLoadBalancerAttributes(deps_.call_context, req);
  if (!m.ok()) return Elbv2Error("ModifyLoadBalancerAttributes", m.error());
  return OkStatus();
}

}  // namespace sim::controller
