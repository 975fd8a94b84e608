// Mirrors upstream pkg/networking/subnet_resolver.go.
#include "sim/controller/subnets_resolver_aws.h"

#include <algorithm>
#include <map>
#include <set>

namespace sim::controller {

namespace ma = model::aws;

namespace {

constexpr char kTagKeySubnetInternalELB[] = "kubernetes.io/role/internal-elb";
constexpr char kTagKeySubnetPublicELB[] = "kubernetes.io/role/elb";
constexpr char kLocaleAZ[] = "availability-zone";
constexpr char kLocaleOutpost[] = "outpost";

std::string GoList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + v[i];
  return out + "]";
}

std::vector<std::string> SubnetIDs(const std::vector<ma::Subnet>& subnets) {
  std::vector<std::string> ids;
  for (const auto& s : subnets) ids.push_back(s.subnet_id);
  return ids;
}

bool IsIPv6CIDRRequired(const std::string& t) { return t == "dualstack" || t == "dualstack-without-public-ipv4"; }
bool HasIPv6CIDR(const ma::Subnet& s) { return !s.ipv6_cidr_blocks.empty(); }

std::string NameTag(const ma::Subnet& s) {
  for (const auto& t : s.tags) {
    if (t.key == "Name") return t.value;
  }
  return "";
}

Error Plain(std::string message) { return MakeError(ErrorCode::kInvalidArgument, std::move(message)); }

}  // namespace

bool AwsSubnetsResolver::HasCurrentClusterTag(const ma::Subnet& s) const {
  const std::string key = "kubernetes.io/cluster/" + options_.cluster_name;
  return std::any_of(s.tags.begin(), s.tags.end(), [&](const ma::Tag& t) { return t.key == key; });
}

bool AwsSubnetsResolver::HasEligibleClusterTag(const ma::Subnet& s) const {
  if (!options_.subnets_cluster_tag_check) return true;
  const std::string key = "kubernetes.io/cluster/" + options_.cluster_name;
  bool has_prefix = false;
  for (const auto& t : s.tags) {
    if (t.key == key) return true;
    if (t.key.rfind("kubernetes.io/cluster", 0) == 0) has_prefix = true;
  }
  return !has_prefix;
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ListByIDs(const std::vector<std::string>& ids) {
  aws::DescribeSubnetsRequest req;
  req.subnet_ids = ids;
  auto r = deps_.ec2.DescribeSubnets(deps_.call_context, req);
  if (!r.ok()) return Ec2Error("DescribeSubnets", r.error());
  if (r.value().size() != ids.size()) {
    return Plain("couldn't find all subnets, want: " + GoList(ids) + ", found: " + GoList(SubnetIDs(r.value())));
  }
  return r.value();
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ListByNames(const std::vector<std::string>& names) {
  std::vector<std::string> dedup;
  std::set<std::string> seen;
  for (const auto& n : names) {
    if (seen.insert(n).second) dedup.push_back(n);
  }
  aws::DescribeSubnetsRequest req;
  req.filters = {ma::Filter{"vpc-id", {options_.vpc_id}}, ma::Filter{"tag:Name", dedup}};
  auto r = deps_.ec2.DescribeSubnets(deps_.call_context, req);
  if (!r.ok()) return Ec2Error("DescribeSubnets", r.error());
  std::set<std::string> found;
  for (const auto& s : r.value()) {
    std::string n = NameTag(s);
    if (!n.empty()) found.insert(n);
  }
  std::vector<std::string> missing;
  for (const auto& n : seen) {
    if (!found.count(n)) missing.push_back(n);
  }
  if (!missing.empty()) return Plain("couldn't find all subnets, missing names: " + GoList(missing));
  return r.value();
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ListByTagFilters(
    const std::map<std::string, std::vector<std::string>>& filters) {
  aws::DescribeSubnetsRequest req;
  req.filters.push_back(ma::Filter{"vpc-id", {options_.vpc_id}});
  for (const auto& [k, v] : filters) req.filters.push_back(ma::Filter{"tag:" + k, v});
  auto r = deps_.ec2.DescribeSubnets(deps_.call_context, req);
  if (!r.ok()) return Ec2Error("DescribeSubnets", r.error());
  return r.value();
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ListByReachability(bool needs_public) {
  aws::DescribeSubnetsRequest sreq;
  sreq.filters = {ma::Filter{"vpc-id", {options_.vpc_id}}};
  auto subnets = deps_.ec2.DescribeSubnets(deps_.call_context, sreq);
  if (!subnets.ok()) return Ec2Error("DescribeSubnets", subnets.error());
  aws::DescribeRouteTablesRequest rreq;
  rreq.filters = {ma::Filter{"vpc-id", {options_.vpc_id}}};
  auto tables = deps_.ec2.DescribeRouteTables(deps_.call_context, rreq);
  if (!tables.ok()) return Ec2Error("DescribeRouteTables", tables.error());
  std::vector<ma::Subnet> out;
  for (const auto& s : subnets.value()) {
    const ma::RouteTable* main_rt = nullptr;
    const ma::RouteTable* subnet_rt = nullptr;
    for (const auto& rt : tables.value()) {
      for (const auto& assoc : rt.associations) {
        if (assoc.main) main_rt = &rt;
        if (assoc.subnet_id == s.subnet_id) {
          subnet_rt = &rt;
          break;
        }
      }
    }
    if (subnet_rt == nullptr) {
      if (main_rt == nullptr) {
        return Plain("[this shall never happen] could not identify main route table for vpc: " + options_.vpc_id);
      }
      subnet_rt = main_rt;
    }
    bool is_public = std::any_of(subnet_rt->routes.begin(), subnet_rt->routes.end(),
                                 [](const ma::Route& r) { return r.gateway_id.rfind("igw", 0) == 0; });
    if (is_public == needs_public) out.push_back(s);
  }
  return out;
}

Result<std::string> AwsSubnetsResolver::ValidateLocaleUniformity(const std::vector<ma::Subnet>& subnets) {
  std::set<std::string> locales;
  for (const auto& s : subnets) locales.insert(s.outpost_arn.empty() ? kLocaleAZ : kLocaleOutpost);
  if (locales.size() > 1) return Plain("subnets in multiple locales: " + GoList({locales.begin(), locales.end()}));
  return locales.empty() ? std::string() : *locales.begin();
}

Status AwsSubnetsResolver::ValidateMinimalCount(const std::vector<ma::Subnet>& subnets, const std::string& locale,
                                                const SubnetsResolveOptions& opts) {
  size_t minimal = 1;
  if (opts.lb_type == "application" && locale == kLocaleAZ && !options_.alb_single_subnet) minimal = 2;
  if (subnets.size() < minimal) {
    return Plain("subnets count less than minimal required count: " + std::to_string(subnets.size()) + " < " +
                 std::to_string(minimal));
  }
  return OkStatus();
}

Status AwsSubnetsResolver::ValidateSpecified(const std::vector<ma::Subnet>& subnets, const SubnetsResolveOptions& opts) {
  if (subnets.empty()) return Plain("unable to resolve at least one subnet");
  std::map<std::string, std::vector<ma::Subnet>> by_az;
  for (const auto& s : subnets) by_az[s.availability_zone].push_back(s);
  for (const auto& [az, list] : by_az) {
    if (list.size() > 1) return Plain("multiple subnets in same Availability Zone " + az + ": " + GoList(SubnetIDs(list)));
  }
  SIM_ASSIGN_OR_RETURN(std::string locale, ValidateLocaleUniformity(subnets));
  SIM_RETURN_IF_ERROR(ValidateMinimalCount(subnets, locale, opts));
  if (IsIPv6CIDRRequired(opts.lb_ip_address_type)) {
    std::vector<std::string> without;
    for (const auto& s : subnets) {
      if (!HasIPv6CIDR(s)) without.push_back(s.subnet_id);
    }
    if (!without.empty()) {
      return Plain("subnets " + GoList(without) + " do not have an associated IPv6 CIDR block, which is required for " +
                   opts.lb_ip_address_type + " load balancers");
    }
  }
  return OkStatus();
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ChooseAndValidatePerAZ(const std::vector<ma::Subnet>& subnets,
                                                                          const SubnetsResolveOptions& opts) {
  const bool requires_ipv6 = IsIPv6CIDRRequired(opts.lb_ip_address_type);
  std::vector<ma::Subnet> eligible;
  size_t other_cluster = 0, insufficient = 0, missing_ipv6 = 0;
  for (const auto& s : subnets) {
    if (!HasEligibleClusterTag(s)) {
      ++other_cluster;
    } else if (s.available_ip_address_count < options_.minimal_available_ip_address_count) {
      ++insufficient;
    } else if (requires_ipv6 && !HasIPv6CIDR(s)) {
      ++missing_ipv6;
    } else {
      eligible.push_back(s);
    }
  }
  std::map<std::string, std::vector<ma::Subnet>> by_az;
  for (const auto& s : eligible) by_az[s.availability_zone].push_back(s);
  std::vector<ma::Subnet> chosen;
  for (auto& [az, list] : by_az) {
    std::sort(list.begin(), list.end(), [&](const ma::Subnet& a, const ma::Subnet& b) {
      bool ta = HasCurrentClusterTag(a), tb = HasCurrentClusterTag(b);
      if (ta != tb) return ta;
      return a.subnet_id < b.subnet_id;
    });
    chosen.push_back(list[0]);
  }
  if (chosen.empty()) {
    if (requires_ipv6) {
      return Plain("unable to resolve at least one subnet. Evaluated " + std::to_string(subnets.size()) + " subnets: " +
                   std::to_string(other_cluster) + " are tagged for other clusters, " + std::to_string(insufficient) +
                   " have insufficient available IP addresses, and " + std::to_string(missing_ipv6) +
                   " don't have an associated IPv6 CIDR block, which is required for " + opts.lb_ip_address_type +
                   " load balancers");
    }
    return Plain("unable to resolve at least one subnet. Evaluated " + std::to_string(subnets.size()) + " subnets: " +
                 std::to_string(other_cluster) + " are tagged for other clusters, and " + std::to_string(insufficient) +
                 " have insufficient available IP addresses");
  }
  std::sort(chosen.begin(), chosen.end(), [](const ma::Subnet& a, const ma::Subnet& b) { return a.subnet_id < b.subnet_id; });
  SIM_ASSIGN_OR_RETURN(std::string locale, ValidateLocaleUniformity(chosen));
  SIM_RETURN_IF_ERROR(ValidateMinimalCount(chosen, locale, opts));
  return chosen;
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ResolveViaDiscovery(const SubnetsResolveOptions& opts) {
  std::string role_key;
  bool needs_public;
  if (opts.lb_scheme == "internal") {
    role_key = kTagKeySubnetInternalELB;
    needs_public = false;
  } else if (opts.lb_scheme == "internet-facing") {
    role_key = kTagKeySubnetPublicELB;
    needs_public = true;
  } else {
    return Plain("unknown lbScheme: " + opts.lb_scheme);
  }
  auto subnets = ListByTagFilters({{role_key, {"", "1"}}});
  if (!subnets.ok()) return Wrap(subnets.error(), "failed to list subnets by role tag");
  std::vector<ma::Subnet> list = subnets.value();
  if (list.empty() && options_.subnet_discovery_by_reachability) {
    auto reach = ListByReachability(needs_public);
    if (!reach.ok()) return Wrap(reach.error(), "failed to list subnets by reachability");
    list = reach.value();
  }
  return ChooseAndValidatePerAZ(list, opts);
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ResolveViaSelector(const SubnetSelector& selector,
                                                                     const SubnetsResolveOptions& opts) {
  if (!selector.ids.empty()) {
    auto subnets = ListByIDs(selector.ids);
    if (!subnets.ok()) return Wrap(subnets.error(), "failed to list subnets by IDs");
    SIM_RETURN_IF_ERROR(ValidateSpecified(subnets.value(), opts));
    return subnets.value();
  }
  auto subnets = ListByTagFilters(selector.tags);
  if (!subnets.ok()) return Wrap(subnets.error(), "failed to list subnets by tag filters");
  return ChooseAndValidatePerAZ(subnets.value(), opts);
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ResolveViaNameOrIDSlice(const std::vector<std::string>& name_or_ids,
                                                                          const SubnetsResolveOptions& opts) {
  std::vector<std::string> ids, names;
  for (const auto& n : name_or_ids) (n.rfind("subnet-", 0) == 0 ? ids : names).push_back(n);
  std::map<std::string, ma::Subnet> by_id;
  std::map<std::string, std::vector<ma::Subnet>> by_name;
  if (!ids.empty()) {
    auto r = ListByIDs(ids);
    if (!r.ok()) return Wrap(r.error(), "failed to list subnets by names or IDs");
    for (const auto& s : r.value()) by_id[s.subnet_id] = s;
  }
  if (!names.empty()) {
    auto r = ListByNames(names);
    if (!r.ok()) return Wrap(r.error(), "failed to list subnets by names or IDs");
    std::vector<ma::Subnet> list = r.value();
    std::sort(list.begin(), list.end(), [](const ma::Subnet& a, const ma::Subnet& b) { return a.subnet_id < b.subnet_id; });
    for (const auto& s : list) {
      std::string n = NameTag(s);
      if (!n.empty()) by_name[n].push_back(s);
    }
  }
  std::vector<ma::Subnet> resolved;
  std::map<std::string, size_t> usage;
  for (const auto& n : name_or_ids) {
    if (n.rfind("subnet-", 0) == 0) {
      auto it = by_id.find(n);
      if (it == by_id.end()) return Wrap(Plain("subnet ID not found: " + n), "failed to list subnets by names or IDs");
      resolved.push_back(it->second);
    } else {
      auto it = by_name.find(n);
      if (it == by_name.end()) {
        return Wrap(Plain("subnet with Name tag not found: " + n), "failed to list subnets by names or IDs");
      }
      size_t idx = usage[n];
      if (idx >= it->second.size()) {
        return Wrap(Plain("subnet with Name tag \"" + n + "\" requested " + std::to_string(idx + 1) + " times but only " +
                          std::to_string(it->second.size()) + " subnet(s) found with that name"),
                    "failed to list subnets by names or IDs");
      }
      resolved.push_back(it->second[idx]);
      ++usage[n];
    }
  }
  SIM_RETURN_IF_ERROR(ValidateSpecified(resolved, opts));
  return resolved;
}

}  // namespace sim::controller
