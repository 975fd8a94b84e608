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
constexpr char kZoneTypeAvailabilityZone[] = "availability-zone";
constexpr char kZoneTypeLocalZone[] = "local-zone";
constexpr char kZoneTypeWavelengthZone[] = "wavelength-zone";
constexpr char kEc2FilterNameVpcID[] = "vpc-id";

// Go's %v of a []string.
std::string GoList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + v[i];
  return out + "]";
}

std::string NameTag(const ma::Subnet& s) {
  for (const auto& t : s.tags) {
    if (t.key == "Name") return t.value;
  }
  return "";
}

Error Plain(std::string message) { return MakeError(ErrorCode::kInvalidArgument, std::move(message)); }

// upstream mapSDKSubnetsByAZ (ordered here; upstream iterates a Go map, and every caller's
// result is order-independent: sorted afterwards or the first offending AZ of a validation).
std::map<std::string, std::vector<ma::Subnet>> MapSubnetsByAZ(const std::vector<ma::Subnet>& subnets) {
  std::map<std::string, std::vector<ma::Subnet>> by_az;
  for (const auto& s : subnets) by_az[s.availability_zone].push_back(s);
  return by_az;
}

}  // namespace

// ------------------------------------------------------------------------------ helpers

bool IsIPv6CIDRRequired(const std::string& t) { return t == "dualstack" || t == "dualstack-without-public-ipv4"; }

bool IsSubnetContainsIPv6CIDR(const ma::Subnet& s) { return !s.ipv6_cidr_blocks.empty(); }

void SortSubnetsByID(std::vector<ma::Subnet>* subnets) {
  std::sort(subnets->begin(), subnets->end(),
            [](const ma::Subnet& a, const ma::Subnet& b) { return a.subnet_id < b.subnet_id; });
}

std::vector<std::string> ExtractSubnetIDs(const std::vector<ma::Subnet>& subnets) {
  std::vector<std::string> ids;
  ids.reserve(subnets.size());
  for (const auto& s : subnets) ids.push_back(s.subnet_id);
  return ids;
}

std::string ZoneIdAZInfoProvider::ZoneTypeOf(const std::string& zone_id) {
  if (zone_id.find("-wlz") != std::string::npos) return kZoneTypeWavelengthZone;
  // "<region>-az<n>" is an AZ; "<region>-<metro><n>-az<n>" is a local zone.
  size_t dashes = std::count(zone_id.begin(), zone_id.end(), '-');
  if (dashes >= 2) return kZoneTypeLocalZone;
  return kZoneTypeAvailabilityZone;
}

Result<std::map<std::string, AZInfo>> ZoneIdAZInfoProvider::FetchAZInfos(const std::vector<std::string>& zone_ids) {
  std::map<std::string, AZInfo> out;
  for (const auto& id : zone_ids) out[id] = AZInfo{id, ZoneTypeOf(id)};
  return out;
}

// ------------------------------------------------------------------------------ resolver

AZInfoProvider& AwsSubnetsResolver::az_info() {
  return options_.az_info_provider != nullptr ? *options_.az_info_provider : default_az_info_;
}

void AwsSubnetsResolver::Begin(std::string how) {
  last_ = SubnetResolution{};
  last_.how = std::move(how);
  ++resolutions_;
}

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
    return Plain("couldn't find all subnets, want: " + GoList(ids) + ", found: " + GoList(ExtractSubnetIDs(r.value())));
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
  req.filters = {ma::Filter{kEc2FilterNameVpcID, {options_.vpc_id}}, ma::Filter{"tag:Name", dedup}};
  auto r = deps_.ec2.DescribeSubnets(deps_.call_context, req);
  if (!r.ok()) return Ec2Error("DescribeSubnets", r.error());
  std::set<std::string> found;
  for (const auto& s : r.value()) {
    for (const auto& t : s.tags) {
      if (t.key == "Name") {
        found.insert(t.value);
        break;
      }
    }
  }
  // upstream ranges over a Go map (random order); sorted here.
  std::vector<std::string> missing;
  for (const auto& n : seen) {
    if (!found.count(n)) missing.push_back(n);
  }
  if (!missing.empty()) return Plain("couldn't find all subnets, missing names: " + GoList(missing));
  return r.value();
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ListByNameOrIDs(const std::vector<std::string>& name_or_ids) {
  std::vector<std::string> ids, names;
  for (const auto& n : name_or_ids) (n.rfind("subnet-", 0) == 0 ? ids : names).push_back(n);
  std::map<std::string, ma::Subnet> by_id;
  std::map<std::string, std::vector<ma::Subnet>> by_name;
  if (!ids.empty()) {
    SIM_ASSIGN_OR_RETURN(std::vector<ma::Subnet> list, ListByIDs(ids));
    for (const auto& s : list) by_id[s.subnet_id] = s;
  }
  if (!names.empty()) {
    SIM_ASSIGN_OR_RETURN(std::vector<ma::Subnet> list, ListByNames(names));
    // Sorted by ID so that subnets sharing a Name tag are assigned deterministically.
    SortSubnetsByID(&list);
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
      if (it == by_id.end()) return Plain("subnet ID not found: " + n);
      resolved.push_back(it->second);
      continue;
    }
    auto it = by_name.find(n);
    if (it == by_name.end()) return Plain("subnet with Name tag not found: " + n);
    size_t idx = usage[n];
    if (idx >= it->second.size()) {
      return Plain("subnet with Name tag \"" + n + "\" requested " + std::to_string(idx + 1) + " times but only " +
                   std::to_string(it->second.size()) + " subnet(s) found with that name");
    }
    resolved.push_back(it->second[idx]);
    ++usage[n];
  }
  return resolved;
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ListByTagFilters(
    const std::map<std::string, std::vector<std::string>>& filters) {
  aws::DescribeSubnetsRequest req;
  req.filters.push_back(ma::Filter{kEc2FilterNameVpcID, {options_.vpc_id}});
  for (const auto& [k, v] : filters) req.filters.push_back(ma::Filter{"tag:" + k, v});
  auto r = deps_.ec2.DescribeSubnets(deps_.call_context, req);
  if (!r.ok()) return Ec2Error("DescribeSubnets", r.error());
  return r.value();
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ListByReachability(bool needs_public) {
  aws::DescribeSubnetsRequest sreq;
  sreq.filters = {ma::Filter{kEc2FilterNameVpcID, {options_.vpc_id}}};
  auto subnets = deps_.ec2.DescribeSubnets(deps_.call_context, sreq);
  if (!subnets.ok()) return Ec2Error("DescribeSubnets", subnets.error());
  aws::DescribeRouteTablesRequest rreq;
  rreq.filters = {ma::Filter{kEc2FilterNameVpcID, {options_.vpc_id}}};
  auto tables = deps_.ec2.DescribeRouteTables(deps_.call_context, rreq);
  if (!tables.ok()) return Ec2Error("DescribeRouteTables", tables.error());
  std::vector<ma::Subnet> out;
  for (const auto& s : subnets.value()) {
    // isSubnetContainsRouteToIGW: the explicitly associated table, else the VPC's main table.
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
    if (is_public == needs_public) {
      out.push_back(s);
    } else {
      last_.rejected.push_back({s.subnet_id, needs_public ? "private: its route table " + subnet_rt->route_table_id +
                                                                " has no route to an internet gateway"
                                                          : "public: its route table " + subnet_rt->route_table_id +
                                                                " routes to an internet gateway"});
    }
  }
  return out;
}

Result<std::string> AwsSubnetsResolver::BuildSubnetLocaleType(const ma::Subnet& subnet) {
  if (!subnet.outpost_arn.empty()) return std::string(kSubnetLocaleOutpost);
  const std::string az_id = subnet.availability_zone_id;
  SIM_ASSIGN_OR_RETURN(auto infos, az_info().FetchAZInfos({az_id}));
  auto it = infos.find(az_id);
  const std::string zone_type = it == infos.end() ? "" : it->second.zone_type;
  if (zone_type == kZoneTypeAvailabilityZone) return std::string(kSubnetLocaleAvailabilityZone);
  if (zone_type == kZoneTypeLocalZone) return std::string(kSubnetLocaleLocalZone);
  if (zone_type == kZoneTypeWavelengthZone) return std::string(kSubnetLocaleWavelengthZone);
  return Plain("unknown zone type for subnet " + subnet.subnet_id + ": " + zone_type);
}

Result<bool> AwsSubnetsResolver::IsSubnetInLocalZoneOrOutpost(const std::string& subnet_id) {
  auto list = ListByIDs({subnet_id});
  if (!list.ok()) return Wrap(list.error(), "failed to list subnet by ID");
  const ma::Subnet& subnet = list.value()[0];
  if (!subnet.outpost_arn.empty()) return true;
  auto infos = az_info().FetchAZInfos({subnet.availability_zone_id});
  if (!infos.ok()) return Wrap(infos.error(), "failed to fetch AZ infos");
  auto it = infos.value().find(subnet.availability_zone_id);
  const std::string zone_type = it == infos.value().end() ? "" : it->second.zone_type;
  return zone_type != kZoneTypeAvailabilityZone;
}

Result<std::string> AwsSubnetsResolver::ValidateLocaleUniformity(const std::vector<ma::Subnet>& subnets) {
  std::set<std::string> locales;
  for (const auto& s : subnets) {
    SIM_ASSIGN_OR_RETURN(std::string locale, BuildSubnetLocaleType(s));
    locales.insert(locale);
  }
  if (locales.size() > 1) return Plain("subnets in multiple locales: " + GoList({locales.begin(), locales.end()}));
  return locales.empty() ? std::string() : *locales.begin();
}

int AwsSubnetsResolver::ComputeSubnetsMinimalCount(const std::string& subnet_locale,
                                                   const SubnetsResolveOptions& opts) const {
  if (opts.lb_type == "application" && subnet_locale == kSubnetLocaleAvailabilityZone && !options_.alb_single_subnet) {
    return 2;
  }
  return 1;
}

Status AwsSubnetsResolver::ValidateMinimalCount(const std::vector<ma::Subnet>& subnets, const std::string& locale,
                                                const SubnetsResolveOptions& opts) const {
  const int minimal = ComputeSubnetsMinimalCount(locale, opts);
  if (static_cast<int>(subnets.size()) < minimal) {
    return Plain("subnets count less than minimal required count: " + std::to_string(subnets.size()) + " < " +
                 std::to_string(minimal));
  }
  return OkStatus();
}

Status AwsSubnetsResolver::ValidateSubnetsIPv6CIDR(const std::vector<ma::Subnet>& subnets,
                                                   const SubnetsResolveOptions& opts) const {
  if (!IsIPv6CIDRRequired(opts.lb_ip_address_type)) return OkStatus();
  std::vector<std::string> without;
  for (const auto& s : subnets) {
    if (!IsSubnetContainsIPv6CIDR(s)) without.push_back(s.subnet_id);
  }
  if (!without.empty()) {
    return Plain("subnets " + GoList(without) + " do not have an associated IPv6 CIDR block, which is required for " +
                 opts.lb_ip_address_type + " load balancers");
  }
  return OkStatus();
}

Status AwsSubnetsResolver::ValidateSpecified(const std::vector<ma::Subnet>& subnets, const SubnetsResolveOptions& opts) {
  if (subnets.empty()) return Plain("unable to resolve at least one subnet");
  // validateSubnetsAZExclusivity
  for (const auto& [az, list] : MapSubnetsByAZ(subnets)) {
    if (list.size() > 1) {
      return Plain("multiple subnets in same Availability Zone " + az + ": " + GoList(ExtractSubnetIDs(list)));
    }
  }
  SIM_ASSIGN_OR_RETURN(std::string locale, ValidateLocaleUniformity(subnets));
  SIM_RETURN_IF_ERROR(ValidateMinimalCount(subnets, locale, opts));
  SIM_RETURN_IF_ERROR(ValidateSubnetsIPv6CIDR(subnets, opts));
  return OkStatus();
}

SubnetsByEligibility AwsSubnetsResolver::CategorizeSubnetsByEligibility(const std::vector<ma::Subnet>& subnets,
                                                                        const SubnetsResolveOptions& opts) const {
  const bool requires_ipv6 = IsIPv6CIDRRequired(opts.lb_ip_address_type);
  SubnetsByEligibility ret;
  for (const auto& s : subnets) {
    if (!HasEligibleClusterTag(s)) {
      ret.ineligible_cluster_tag.push_back(s);
    } else if (s.available_ip_address_count < options_.minimal_available_ip_address_count) {
      ret.insufficient_ips.push_back(s);
    } else if (requires_ipv6 && !IsSubnetContainsIPv6CIDR(s)) {
      ret.missing_ipv6_cidr.push_back(s);
    } else {
      ret.eligible.push_back(s);
    }
  }
  return ret;
}

std::vector<ma::Subnet> AwsSubnetsResolver::ChooseSubnetsPerAZ(const std::vector<ma::Subnet>& subnets) const {
  std::vector<ma::Subnet> chosen;
  for (auto& [az, list] : MapSubnetsByAZ(subnets)) {
    std::sort(list.begin(), list.end(), [&](const ma::Subnet& a, const ma::Subnet& b) {
      bool ta = HasCurrentClusterTag(a), tb = HasCurrentClusterTag(b);
      if (ta != tb) return ta;
      return a.subnet_id < b.subnet_id;
    });
    chosen.push_back(list[0]);
  }
  SortSubnetsByID(&chosen);
  return chosen;
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ChooseAndValidatePerAZ(const std::vector<ma::Subnet>& subnets,
                                                                          const SubnetsResolveOptions& opts) {
  SubnetsByEligibility cat = CategorizeSubnetsByEligibility(subnets, opts);
  for (const auto& s : subnets) last_.candidates.push_back(s.subnet_id);
  for (const auto& s : cat.ineligible_cluster_tag) {
    last_.rejected.push_back({s.subnet_id, "tagged for other clusters (no kubernetes.io/cluster/" +
                                               options_.cluster_name + " tag)"});
  }
  for (const auto& s : cat.insufficient_ips) {
    last_.rejected.push_back({s.subnet_id, "insufficient available IP addresses (" +
                                               std::to_string(s.available_ip_address_count) + " < " +
                                               std::to_string(options_.minimal_available_ip_address_count) + ")"});
  }
  for (const auto& s : cat.missing_ipv6_cidr) {
    last_.rejected.push_back({s.subnet_id, "no associated IPv6 CIDR block (required for " + opts.lb_ip_address_type + ")"});
  }
  std::vector<ma::Subnet> chosen = ChooseSubnetsPerAZ(cat.eligible);
  for (const auto& s : cat.eligible) {
    bool picked = std::any_of(chosen.begin(), chosen.end(), [&](const ma::Subnet& c) { return c.subnet_id == s.subnet_id; });
    if (!picked) last_.rejected.push_back({s.subnet_id, "another subnet was chosen in " + s.availability_zone});
  }
  last_.chosen = ExtractSubnetIDs(chosen);
  if (chosen.empty()) {
    if (IsIPv6CIDRRequired(opts.lb_ip_address_type)) {
      return Plain("unable to resolve at least one subnet. Evaluated " + std::to_string(subnets.size()) + " subnets: " +
                   std::to_string(cat.ineligible_cluster_tag.size()) + " are tagged for other clusters, " +
                   std::to_string(cat.insufficient_ips.size()) + " have insufficient available IP addresses, and " +
                   std::to_string(cat.missing_ipv6_cidr.size()) +
                   " don't have an associated IPv6 CIDR block, which is required for " + opts.lb_ip_address_type +
                   " load balancers");
    }
    return Plain("unable to resolve at least one subnet. Evaluated " + std::to_string(subnets.size()) + " subnets: " +
                 std::to_string(cat.ineligible_cluster_tag.size()) + " are tagged for other clusters, and " +
                 std::to_string(cat.insufficient_ips.size()) + " have insufficient available IP addresses");
  }
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
  Begin("role tag " + role_key);
  auto subnets = ListByTagFilters({{role_key, {"", "1"}}});
  if (!subnets.ok()) return Wrap(subnets.error(), "failed to list subnets by role tag");
  std::vector<ma::Subnet> list = subnets.value();
  // No subnet with the role tag: fall back to discovery by reachability.
  if (list.empty() && options_.subnet_discovery_by_reachability) {
    last_.how = std::string("reachability (") + (needs_public ? "public" : "private") + "; no subnet has the role tag " +
                role_key + ")";
    auto reach = ListByReachability(needs_public);
    if (!reach.ok()) return Wrap(reach.error(), "failed to list subnets by reachability");
    list = reach.value();
  }
  return ChooseAndValidatePerAZ(list, opts);
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ResolveViaSelector(const SubnetSelector& selector,
                                                                     const SubnetsResolveOptions& opts) {
  if (!selector.ids.empty()) {
    Begin("selector ids");
    auto subnets = ListByIDs(selector.ids);
    if (!subnets.ok()) return Wrap(subnets.error(), "failed to list subnets by IDs");
    SIM_RETURN_IF_ERROR(ValidateSpecified(subnets.value(), opts));
    last_.candidates = last_.chosen = ExtractSubnetIDs(subnets.value());
    return subnets.value();
  }
  Begin("selector tags");
  auto subnets = ListByTagFilters(selector.tags);
  if (!subnets.ok()) return Wrap(subnets.error(), "failed to list subnets by tag filters");
  return ChooseAndValidatePerAZ(subnets.value(), opts);
}

Result<std::vector<ma::Subnet>> AwsSubnetsResolver::ResolveViaNameOrIDSlice(const std::vector<std::string>& name_or_ids,
                                                                          const SubnetsResolveOptions& opts) {
  Begin("names or IDs");
  auto subnets = ListByNameOrIDs(name_or_ids);
  if (!subnets.ok()) return Wrap(subnets.error(), "failed to list subnets by names or IDs");
  SIM_RETURN_IF_ERROR(ValidateSpecified(subnets.value(), opts));
  last_.candidates = last_.chosen = ExtractSubnetIDs(subnets.value());
  return subnets.value();
}

}  // namespace sim::controller
