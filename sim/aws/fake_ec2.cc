#include "sim/aws/fake_ec2.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "sim/aws/aws_errors.h"
#include "sim/aws/aws_json.h"
#include "sim/aws/serve_call.h"
#include "sim/base/match.h"
#include "sim/base/rng.h"

namespace sim::aws {

namespace m = ::sim::model::aws;

// ---------------------------------------------------------------------------------------------
// IP helpers

bool ParseIpv4(const std::string& text, uint32_t* out) {
  uint32_t value = 0;
  int parts = 0;
  size_t i = 0;
  while (parts < 4) {
    if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    uint32_t octet = 0;
    size_t digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      octet = octet * 10 + static_cast<uint32_t>(text[i] - '0');
      if (++digits > 3 || octet > 255) return false;
      ++i;
    }
    value = (value << 8) | octet;
    ++parts;
    if (parts < 4) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
  }
  if (i != text.size()) return false;
  *out = value;
  return true;
}

bool ParseCidr4(const std::string& text, uint32_t* network, int* prefix) {
  size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  uint32_t ip = 0;
  if (!ParseIpv4(text.substr(0, slash), &ip)) return false;
  std::string p = text.substr(slash + 1);
  if (p.empty() || p.size() > 2) return false;
  for (char c : p) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  int n = std::stoi(p);
  if (n < 0 || n > 32) return false;
  uint32_t mask = n == 0 ? 0 : (0xFFFFFFFFu << (32 - n));
  *network = ip & mask;
  *prefix = n;
  return true;
}

namespace {
std::string FormatIpv4(uint32_t v) {
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." + std::to_string((v >> 8) & 255) +
         "." + std::to_string(v & 255);
}
}  // namespace

std::string CanonicalCidr4(const std::string& text) {
  uint32_t net = 0;
  int prefix = 0;
  if (!ParseCidr4(text, &net, &prefix)) return "";
  return FormatIpv4(net) + "/" + std::to_string(prefix);
}

std::string CanonicalCidr6(const std::string& text) {
  size_t slash = text.find('/');
  if (slash == std::string::npos) return "";
  std::string addr = text.substr(0, slash);
  std::string p = text.substr(slash + 1);
  if (p.empty() || p.size() > 3) return "";
  for (char c : p) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return "";
  }
  int n = std::stoi(p);
  if (n > 128) return "";
  unsigned char buf[16];
  if (inet_pton(AF_INET6, addr.c_str(), buf) != 1) return "";
  for (int bit = n; bit < 128; ++bit) buf[bit / 8] &= static_cast<unsigned char>(~(0x80 >> (bit % 8)));
  char out[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, buf, out, sizeof(out)) == nullptr) return "";
  return std::string(out) + "/" + std::to_string(n);
}

// ---------------------------------------------------------------------------------------------

namespace {

constexpr const char* kService = "ec2";

bool StartsWith(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// Appends the resource's values for a tag filter; returns false when `name` is no tag filter.
bool TagFilterValues(const std::vector<m::Tag>& tags, const std::string& name, std::vector<std::string_view>* out) {
  if (StartsWith(name, "tag:")) {
    std::string_view key = std::string_view(name).substr(4);
    for (const m::Tag& t : tags) {
      if (t.key == key) out->push_back(t.value);
    }
    return true;
  }
  if (name == "tag-key") {
    for (const m::Tag& t : tags) out->push_back(t.key);
    return true;
  }
  return false;
}

Error UnknownFilter(const std::string& name) {
  return AwsError("InvalidParameterValue", "The filter '" + name + "' is invalid");
}

// Evaluates filters against a resource; `values_of(name, out)` returns false for unknown names.
template <typename ValuesFn>
Result<bool> MatchFilters(const std::vector<m::Filter>& filters, ValuesFn values_of) {
  std::vector<std::string_view> have;  // views into the resource being matched
  for (const m::Filter& f : filters) {
    have.clear();
    if (!values_of(f.name, &have)) return UnknownFilter(f.name);
    bool any = false;
    for (const std::string& want : f.values) {
      for (std::string_view v : have) {
        if (GlobMatch(want, v)) {
          any = true;
          break;
        }
      }
      if (any) break;
    }
    if (!any) return false;
  }
  return true;
}

// EC2 rejects an unknown filter name whatever the resources are: each name is tried on an empty
// resource (`values_of(resource, name, out)` tells names by name alone).
template <typename Resource, typename ValuesOf>
Status CheckFilterNames(const std::vector<m::Filter>& filters, ValuesOf values_of) {
  static const Resource kEmpty{};
  std::vector<std::string_view> ignored;
  for (const m::Filter& f : filters) {
    if (!values_of(kEmpty, f.name, &ignored)) return UnknownFilter(f.name);
  }
  return OkStatus();
}

// The resources of `all` (in id order) whose id is in `ids` (every one when empty) and that match
// every filter; `values_of` as for CheckFilterNames, which runs first.
// `candidates`, when given, holds (in id order) every id that can match the filters: only those
// are looked at (an index answered one of the filters); so are the named ids when there are any.
template <typename Resource, typename ValuesOf>
Result<std::vector<Resource>> SelectResources(const std::map<std::string, Resource>& all,
                                              const std::vector<std::string>& ids,
                                              const std::vector<m::Filter>& filters, ValuesOf values_of,
                                              const std::set<std::string>* candidates = nullptr) {
  SIM_RETURN_IF_ERROR(CheckFilterNames<Resource>(filters, values_of));
  const std::set<std::string> wanted(ids.begin(), ids.end());
  std::vector<Resource> out;
  auto consider = [&](const std::string& id, const Resource& resource) -> Status {
    if (!wanted.empty() && !wanted.count(id)) return OkStatus();
    auto match = MatchFilters(filters, [&](const std::string& name, std::vector<std::string_view>* v) {
      return values_of(resource, name, v);
    });
    if (!match.ok()) return match.error();
    if (match.value()) out.push_back(resource);
    return OkStatus();
  };
  // Named ids: only those are looked at (in id order, as the full walk would meet them).
  if (candidates == nullptr && !wanted.empty()) candidates = &wanted;
  if (candidates != nullptr) {
    for (const std::string& id : *candidates) {
      auto it = all.find(id);
      if (it != all.end()) SIM_RETURN_IF_ERROR(consider(it->first, it->second));
    }
    return out;
  }
  for (const auto& [id, resource] : all) SIM_RETURN_IF_ERROR(consider(id, resource));
  return out;
}

// True when a filter value has no wildcard: it matches only the text equal to it.
bool LiteralFilterValue(const std::string& v) { return v.find_first_of("*?") == std::string::npos; }

void SetTag(std::vector<m::Tag>* tags, const m::Tag& tag) {
  for (m::Tag& t : *tags) {
    if (t.key == tag.key) {
      t.value = tag.value;
      return;
    }
  }
  tags->push_back(tag);
  std::sort(tags->begin(), tags->end(), [](const m::Tag& a, const m::Tag& b) { return a.key < b.key; });
}

std::string NormalizeProtocol(const std::string& p) {
  std::string l = AsciiLower(p);
  if (l == "6") return "tcp";
  if (l == "17") return "udp";
  if (l == "1") return "icmp";
  if (l == "58") return "icmpv6";
  if (l == "all" || l == "-1") return "-1";
  return l;
}

bool ProtocolHasPorts(const std::string& p) { return p == "tcp" || p == "udp" || p == "icmp" || p == "icmpv6"; }

// One security group rule: a permission with a single source.
struct SgRule {
  enum class Kind { kCidr4, kCidr6, kPrefixList, kGroup };
  std::string protocol;  // normalised
  int from = -1;
  int to = -1;
  Kind kind = Kind::kCidr4;
  std::string source;  // canonical CIDR, prefix list id or group id
  std::string user_id;
  std::string description;

  bool SameIdentity(const SgRule& o) const {
    return protocol == o.protocol && from == o.from && to == o.to && kind == o.kind && source == o.source;
  }
};

std::string RuleText(const SgRule& r) {
  std::string proto;
  if (r.protocol == "-1") {
    proto = "ALL";
  } else if (ProtocolHasPorts(r.protocol)) {
    std::string up = r.protocol;
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    proto = up + ", from port: " + std::to_string(r.from) + ", to port: " + std::to_string(r.to);
  } else {
    proto = "protocol: " + r.protocol;
  }
  return "peer: " + r.source + ", " + proto + ", ALLOW";
}

struct SgRecord {
  m::SecurityGroup group;  // ip_permissions* rebuilt from the rule lists on read
  std::vector<SgRule> ingress;
  std::vector<SgRule> egress;
};

std::vector<m::IpPermission> GroupRules(const std::vector<SgRule>& rules) {
  std::vector<m::IpPermission> out;
  for (const SgRule& r : rules) {
    m::IpPermission* perm = nullptr;
    for (m::IpPermission& p : out) {
      int from = p.from_port.value_or(-1), to = p.to_port.value_or(-1);
      if (p.ip_protocol == r.protocol && from == r.from && to == r.to) {
        perm = &p;
        break;
      }
    }
    if (perm == nullptr) {
      m::IpPermission p;
      p.ip_protocol = r.protocol;
      if (r.protocol != "-1") {
        p.from_port = r.from;
        p.to_port = r.to;
      }
      out.push_back(std::move(p));
      perm = &out.back();
    }
    switch (r.kind) {
      case SgRule::Kind::kCidr4: perm->ip_ranges.push_back(m::IpRange{r.source, r.description}); break;
      case SgRule::Kind::kCidr6: perm->ipv6_ranges.push_back(m::Ipv6Range{r.source, r.description}); break;
      case SgRule::Kind::kPrefixList: perm->prefix_list_ids.push_back(m::PrefixListId{r.source, r.description}); break;
      case SgRule::Kind::kGroup: perm->user_id_group_pairs.push_back(m::UserIdGroupPair{r.source, r.user_id, r.description}); break;
    }
  }
  return out;
}

}  // namespace

struct FakeEc2::State {
  State(const Clock& c, FaultPlan& f, ApiCallLog& l, FakeEc2Options o)
      : clock(c), faults(f), log(l), options(std::move(o)), rng(options.seed ^ 0xec2ec2ec2ull),
        world_rng(options.seed ^ 0x5eed5eedull) {}

  const Clock& clock;
  FaultPlan& faults;
  ApiCallLog& log;
  FakeEc2Options options;
  Authorizer* authorizer = nullptr;
  Rng rng;        // API-created ids (security groups)
  Rng world_rng;  // world-setup ids (route tables, ENIs, gateways)

  std::map<std::string, m::Vpc> vpcs;
  std::map<std::string, m::Subnet> subnets;
  std::map<std::string, m::RouteTable> route_tables;
  std::map<std::string, std::string> public_route_table;  // vpc id → rtb id with the igw route
  std::map<std::string, SgRecord> sgs;
  // (tag key, value) -> the ids of the security groups holding it (kept by IndexSgTags around every
  // write of an SG's tags): DescribeSecurityGroups with an exact `tag:<key>` filter starts from it.
  std::map<std::pair<std::string, std::string>, std::set<std::string>> sgs_by_tag;
  void IndexSgTags(const std::string& id, bool add) {
    auto it = sgs.find(id);
    if (it == sgs.end()) return;
    for (const m::Tag& t : it->second.group.tags) {
      std::pair<std::string, std::string> kv{t.key, t.value};
      if (add) {
        sgs_by_tag[std::move(kv)].insert(id);
        continue;
      }
      auto at = sgs_by_tag.find(kv);
      if (at == sgs_by_tag.end()) continue;
      at->second.erase(id);
      if (at->second.empty()) sgs_by_tag.erase(at);
    }
  }
  // How many security groups have each (VPC, lower-case name): CreateSecurityGroup's duplicate
  // check. Kept by IndexSgName where groups are stored and erased.
  std::unordered_map<std::string, int> sg_names;
  static std::string SgNameKey(const std::string& vpc_id, const std::string& name) {
    return vpc_id + '\x1f' + AsciiLower(name);
  }
  void IndexSgName(const std::string& id, bool add) {
    auto it = sgs.find(id);
    if (it == sgs.end()) return;
    const std::string key = SgNameKey(it->second.group.vpc_id, it->second.group.group_name);
    if (add) {
      ++sg_names[key];
      return;
    }
    auto at = sg_names.find(key);
    if (at != sg_names.end() && --at->second == 0) sg_names.erase(at);
  }
  std::map<std::string, m::Instance> instances;
  std::map<std::string, m::NetworkInterface> enis;
  // ENI ids by each value the "addresses.private-ip-address" filter sees on them (their private
  // IPs, or the primary one when the list is empty): a filter of literal addresses looks at those
  // ENIs only. Kept by PutEni and the address changes.
  std::unordered_map<std::string, std::set<std::string>> eni_ids_by_address;
  std::function<bool(const std::string&)> in_use_probe;

  static std::vector<std::string_view> AddressesOf(const m::NetworkInterface& eni) {
    std::vector<std::string_view> out(eni.private_ip_addresses.begin(), eni.private_ip_addresses.end());
    if (eni.private_ip_addresses.empty()) out.push_back(eni.private_ip_address);
    return out;
  }
  void IndexEniAddresses(const m::NetworkInterface& eni, bool add) {
    for (std::string_view a : AddressesOf(eni)) {
      const std::string address(a);
      if (add) {
        eni_ids_by_address[address].insert(eni.network_interface_id);
        continue;
      }
      auto at = eni_ids_by_address.find(address);
      if (at == eni_ids_by_address.end()) continue;
      at->second.erase(eni.network_interface_id);
      if (at->second.empty()) eni_ids_by_address.erase(at);
    }
  }
  // The only ways ENIs are stored or their addresses changed: they keep the index in step.
  void PutEni(m::NetworkInterface eni) {
    auto it = enis.find(eni.network_interface_id);
    if (it != enis.end()) IndexEniAddresses(it->second, false);
    const std::string id = eni.network_interface_id;
    m::NetworkInterface& stored = enis[id] = std::move(eni);
    IndexEniAddresses(stored, true);
  }
  template <typename Change>
  void ChangeEniAddresses(m::NetworkInterface& eni, Change change) {
    IndexEniAddresses(eni, false);
    change(eni);
    IndexEniAddresses(eni, true);
  }
  // Every ENI a set of filters can match when one of them names literal addresses; null when none does.
  std::optional<std::set<std::string>> EniCandidates(const std::vector<m::Filter>& filters) const {
    for (const m::Filter& f : filters) {
      if (f.name != "addresses.private-ip-address" || !std::all_of(f.values.begin(), f.values.end(), LiteralFilterValue)) {
        continue;
      }
      std::set<std::string> ids;
      for (const std::string& v : f.values) {
        auto at = eni_ids_by_address.find(v);
        if (at != eni_ids_by_address.end()) ids.insert(at->second.begin(), at->second.end());
      }
      return ids;
    }
    return std::nullopt;
  }

  m::SecurityGroup Render(const SgRecord& rec) const {
    m::SecurityGroup g = rec.group;
    g.ip_permissions = GroupRules(rec.ingress);
    g.ip_permissions_egress = GroupRules(rec.egress);
    return g;
  }

  // Fault plan, IAM, the call, the log (serve_call.h).
  template <typename MakeJson, typename Authz, typename Body>
  auto Serve(const CallContext& ctx, const char* call, MakeJson make_json, Authz authz, Body body)
      -> decltype(body()) {
    return CallPlumbing{clock, faults, log, authorizer}.Serve(ctx, kService, call, make_json, authz, body);
  }

  // --- IAM requests (authorizer.h) --------------------------------------------------------------

  std::string ArnPrefix() const {
    return "arn:" + options.partition + ":ec2:" + options.region + ":" + options.account_id + ":";
  }

  AuthzRequest Az(const CallContext& ctx, const char* call, const std::string& action,
                  const std::string& resource) const {
    AuthzRequest r;
    r.principal_arn = ctx.principal_arn;
    r.action = "ec2:" + action;
    r.resource = resource;
    r.api_call = call;
    r.context["aws:PrincipalArn"] = {ctx.principal_arn};
    r.context["aws:RequestedRegion"] = {options.region};
    return r;
  }

  // Describe*: no resource-level permissions.
  std::vector<AuthzRequest> AzStar(const CallContext& ctx, const char* call) const {
    return {Az(ctx, call, call, "*")};
  }

  // ARN of a resource id and its current tags (null when unknown).
  std::pair<std::string, const std::vector<m::Tag>*> ArnAndTags(const std::string& id) const {
    auto find = [](const auto& map, const std::string& key) -> const std::vector<m::Tag>* {
      auto it = map.find(key);
      return it == map.end() ? nullptr : &it->second.tags;
    };
    if (StartsWith(id, "sg-")) {
      auto it = sgs.find(id);
      return {ArnPrefix() + "security-group/" + id, it == sgs.end() ? nullptr : &it->second.group.tags};
    }
    if (StartsWith(id, "subnet-")) return {ArnPrefix() + "subnet/" + id, find(subnets, id)};
    if (StartsWith(id, "vpc-")) return {ArnPrefix() + "vpc/" + id, find(vpcs, id)};
    if (StartsWith(id, "i-")) return {ArnPrefix() + "instance/" + id, find(instances, id)};
    if (StartsWith(id, "eni-")) return {ArnPrefix() + "network-interface/" + id, find(enis, id)};
    if (StartsWith(id, "rtb-")) return {ArnPrefix() + "route-table/" + id, find(route_tables, id)};
    return {ArnPrefix() + id, nullptr};
  }

  // One request per resource id; CreateTags sets request tags, DeleteTags names keys (and values).
  std::vector<AuthzRequest> AzOn(const CallContext& ctx, const char* call, const std::vector<std::string>& ids,
                                 const std::vector<m::Tag>* tags, const std::vector<DeleteTagSpec>* deletes) const {
    std::vector<AuthzRequest> out;
    for (const std::string& id : ids) {
      auto [arn, resource_tags] = ArnAndTags(id);
      out.push_back(Az(ctx, call, call, arn));
      if (resource_tags) {
        std::map<std::string, std::string> tm;
        for (const m::Tag& t : *resource_tags) tm[t.key] = t.value;
        AddResourceTags(&out.back(), "ec2", tm);
      }
      std::vector<std::pair<std::string, std::string>> pairs;
      if (tags) {
        for (const m::Tag& t : *tags) pairs.emplace_back(t.key, t.value);
      }
      if (deletes) {
        for (const DeleteTagSpec& d : *deletes) pairs.emplace_back(d.key, d.value.value_or(""));
      }
      AddRequestTags(&out.back(), pairs);
    }
    return out;
  }

  // CreateSecurityGroup acts on the new group (security-group/*) and on its VPC; with
  // TagSpecifications it also needs ec2:CreateTags with ec2:CreateAction = CreateSecurityGroup.
  std::vector<AuthzRequest> AzCreateSecurityGroup(const CallContext& ctx, const CreateSecurityGroupRequest& req) const {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const TagSpecification& spec : req.tag_specifications) {
      for (const m::Tag& t : spec.tags) pairs.emplace_back(t.key, t.value);
    }
    const std::string sg = ArnPrefix() + "security-group/*";
    std::vector<AuthzRequest> out;
    out.push_back(Az(ctx, "CreateSecurityGroup", "CreateSecurityGroup", sg));
    AddRequestTags(&out.back(), pairs);
    if (!req.vpc_id.empty()) {
      std::vector<AuthzRequest> vpc = AzOn(ctx, "CreateSecurityGroup", {req.vpc_id}, nullptr, nullptr);
      vpc.back().action = "ec2:CreateSecurityGroup";
      out.push_back(std::move(vpc.back()));
    }
    if (!pairs.empty()) {
      out.push_back(Az(ctx, "CreateSecurityGroup", "CreateTags", sg));
      AddRequestTags(&out.back(), pairs);
      out.back().context["ec2:CreateAction"] = {"CreateSecurityGroup"};
    }
    return out;
  }

  std::string NewId(Rng& r, const std::string& prefix) {
    return prefix + r.Hex(17);
  }

  // For DescribeSecurityGroups: the ids of the SGs holding the tag of a `tag:<key>` filter with one
  // exact value (no wildcard), the filter naming the fewest; null when there is none.
  const std::set<std::string>* SgsByExactTagFilter(const std::vector<m::Filter>& filters) const {
    static const std::set<std::string> kNone;
    const std::set<std::string>* best = nullptr;
    for (const m::Filter& f : filters) {
      if (!StartsWith(f.name, "tag:") || f.values.size() != 1 || !LiteralFilterValue(f.values[0])) {
        continue;
      }
      auto it = sgs_by_tag.find(std::make_pair(f.name.substr(4), f.values[0]));
      const std::set<std::string>* ids = it == sgs_by_tag.end() ? &kNone : &it->second;
      if (!best || ids->size() < best->size()) best = ids;
    }
    return best;
  }

  // Resource tags by id, for CreateTags / DeleteTags.
  Result<std::vector<m::Tag>*> TagsOf(const std::string& id) {
    if (StartsWith(id, "sg-")) {
      auto it = sgs.find(id);
      if (it == sgs.end()) return AwsError("InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
      return &it->second.group.tags;
    }
    if (StartsWith(id, "subnet-")) {
      auto it = subnets.find(id);
      if (it == subnets.end()) return AwsError("InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist");
      return &it->second.tags;
    }
    if (StartsWith(id, "vpc-")) {
      auto it = vpcs.find(id);
      if (it == vpcs.end()) return AwsError("InvalidVpcID.NotFound", "The vpc ID '" + id + "' does not exist");
      return &it->second.tags;
    }
    if (StartsWith(id, "i-")) {
      auto it = instances.find(id);
      if (it == instances.end()) {
        return AwsError("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
      }
      return &it->second.tags;
    }
    if (StartsWith(id, "eni-")) {
      auto it = enis.find(id);
      if (it == enis.end()) {
        return AwsError("InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '" + id + "' does not exist");
      }
      return &it->second.tags;
    }
    if (StartsWith(id, "rtb-")) {
      auto it = route_tables.find(id);
      if (it == route_tables.end()) {
        return AwsError("InvalidRouteTableID.NotFound", "The routeTable ID '" + id + "' does not exist");
      }
      return &it->second.tags;
    }
    return AwsError("InvalidID", "The ID '" + id + "' is not valid");
  }

  // Converts request permissions to single-source rules (validated, canonical).
  // `check_groups`: source security groups must exist (Authorize); a revoke may name a gone one.
  Result<std::vector<SgRule>> ToRules(const std::vector<m::IpPermission>& perms, bool check_groups = true) const {
    std::vector<SgRule> out;
    for (const m::IpPermission& p : perms) {
      SgRule base;
      base.protocol = NormalizeProtocol(p.ip_protocol);
      if (base.protocol.empty()) {
        return AwsError("InvalidParameterValue", "Invalid value '' for IP protocol. Unknown protocol.");
      }
      bool named = base.protocol == "tcp" || base.protocol == "udp" || base.protocol == "icmp" ||
                   base.protocol == "icmpv6" || base.protocol == "-1";
      if (!named) {
        bool numeric = std::all_of(base.protocol.begin(), base.protocol.end(),
                                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
        if (!numeric || std::stoi(base.protocol) > 255) {
          return AwsError("InvalidParameterValue",
                          "Invalid value '" + p.ip_protocol + "' for IP protocol. Unknown protocol.");
        }
      }
      if (base.protocol == "tcp" || base.protocol == "udp") {
        if (!p.from_port || !p.to_port) {
          return AwsError("InvalidParameterValue",
                          "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.");
        }
        if (*p.from_port < 0 || *p.to_port > 65535 || *p.from_port > *p.to_port) {
          return AwsError("InvalidParameterValue", "Invalid value '" + std::to_string(*p.from_port) + "-" +
                                                       std::to_string(*p.to_port) + "' for portRange.");
        }
        base.from = *p.from_port;
        base.to = *p.to_port;
      } else if (base.protocol == "icmp" || base.protocol == "icmpv6") {
        base.from = p.from_port.value_or(-1);
        base.to = p.to_port.value_or(-1);
      }
      for (const m::IpRange& r : p.ip_ranges) {
        SgRule rule = base;
        rule.kind = SgRule::Kind::kCidr4;
        rule.source = CanonicalCidr4(r.cidr_ip);
        if (rule.source.empty()) {
          return AwsError("InvalidParameterValue",
                          "CIDR block " + r.cidr_ip + " is malformed");
        }
        rule.description = r.description;
        out.push_back(std::move(rule));
      }
      for (const m::Ipv6Range& r : p.ipv6_ranges) {
        SgRule rule = base;
        rule.kind = SgRule::Kind::kCidr6;
        rule.source = CanonicalCidr6(r.cidr_ipv6);
        if (rule.source.empty()) {
          return AwsError("InvalidParameterValue", "CIDR block " + r.cidr_ipv6 + " is malformed");
        }
        rule.description = r.description;
        out.push_back(std::move(rule));
      }
      for (const m::PrefixListId& r : p.prefix_list_ids) {
        SgRule rule = base;
        rule.kind = SgRule::Kind::kPrefixList;
        rule.source = r.prefix_list_id;
        rule.description = r.description;
        out.push_back(std::move(rule));
      }
      for (const m::UserIdGroupPair& r : p.user_id_group_pairs) {
        SgRule rule = base;
        rule.kind = SgRule::Kind::kGroup;
        rule.source = r.group_id;
        rule.user_id = r.user_id.empty() ? options.account_id : r.user_id;
        rule.description = r.description;
        if (check_groups && !sgs.count(r.group_id)) {
          return AwsError("InvalidGroup.NotFound", "The security group '" + r.group_id + "' does not exist");
        }
        out.push_back(std::move(rule));
      }
    }
    return out;
  }

  bool SgReferencedByOthers(const std::string& id) const {
    for (const auto& [other_id, rec] : sgs) {
      if (other_id == id) continue;
      for (const auto* list : {&rec.ingress, &rec.egress}) {
        for (const SgRule& r : *list) {
          if (r.kind == SgRule::Kind::kGroup && r.source == id) return true;
        }
      }
    }
    return false;
  }

  std::string RouteTableOf(const std::string& subnet_id) const {
    auto sit = subnets.find(subnet_id);
    if (sit == subnets.end()) return "";
    std::string main_table;
    for (const auto& [id, rt] : route_tables) {
      if (rt.vpc_id != sit->second.vpc_id) continue;
      for (const m::RouteTableAssociation& a : rt.associations) {
        if (a.subnet_id == subnet_id) return id;
        if (a.main) main_table = id;
      }
    }
    return main_table;
  }
};

FakeEc2::FakeEc2(const Clock& clock, FaultPlan& faults, ApiCallLog& log, FakeEc2Options options)
    : s_(std::make_unique<State>(clock, faults, log, std::move(options))) {}
FakeEc2::~FakeEc2() = default;

Quotas& FakeEc2::mutable_quotas() { return s_->options.quotas; }
void FakeEc2::SetAuthorizer(Authorizer* authorizer) { s_->authorizer = authorizer; }
const FakeEc2Options& FakeEc2::options() const { return s_->options; }

void FakeEc2::SetSecurityGroupInUseProbe(std::function<bool(const std::string&)> probe) {
  s_->in_use_probe = std::move(probe);
}

// ---------------------------------------------------------------------------------------------
// Describe*

Result<std::vector<m::Subnet>> FakeEc2::DescribeSubnets(const CallContext& ctx, const DescribeSubnetsRequest& req) {
  return s_->Serve(ctx, "DescribeSubnets", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeSubnets"); },
                   [&]() -> Result<std::vector<m::Subnet>> {
    for (const std::string& id : req.subnet_ids) {
      if (!s_->subnets.count(id)) {
        return AwsError("InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist");
      }
    }
    // The resource's values for a filter name; false for a name EC2 does not know.
    auto values_of = [](const m::Subnet& sn, const std::string& name, std::vector<std::string_view>* v) {
      if (TagFilterValues(sn.tags, name, v)) return true;
      if (name == "vpc-id") v->push_back(sn.vpc_id);
      else if (name == "subnet-id") v->push_back(sn.subnet_id);
      else if (name == "availability-zone") v->push_back(sn.availability_zone);
      else if (name == "availability-zone-id") v->push_back(sn.availability_zone_id);
      else if (name == "cidr-block" || name == "cidr" || name == "cidrBlock") v->push_back(sn.cidr_block);
      else if (name == "default-for-az") v->push_back(sn.default_for_az ? "true" : "false");
      else if (name == "state") v->push_back(sn.state);
      else if (name == "owner-id") v->push_back(sn.owner_id);
      else return false;
      return true;
    };
    return SelectResources(s_->subnets, req.subnet_ids, req.filters, values_of);
  });
}

Result<std::vector<m::Vpc>> FakeEc2::DescribeVpcs(const CallContext& ctx, const DescribeVpcsRequest& req) {
  return s_->Serve(ctx, "DescribeVpcs", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeVpcs"); },
                   [&]() -> Result<std::vector<m::Vpc>> {
    for (const std::string& id : req.vpc_ids) {
      if (!s_->vpcs.count(id)) return AwsError("InvalidVpcID.NotFound", "The vpc ID '" + id + "' does not exist");
    }
    // The resource's values for a filter name; false for a name EC2 does not know.
    auto values_of = [](const m::Vpc& vpc, const std::string& name, std::vector<std::string_view>* v) {
      if (TagFilterValues(vpc.tags, name, v)) return true;
      if (name == "vpc-id") v->push_back(vpc.vpc_id);
      else if (name == "cidr" || name == "cidr-block-association.cidr-block") {
        v->push_back(vpc.cidr_block);
        for (const auto& c : vpc.secondary_cidr_blocks) v->push_back(c);
      } else if (name == "is-default") v->push_back(vpc.is_default ? "true" : "false");
      else if (name == "state") v->push_back(vpc.state);
      else if (name == "owner-id") v->push_back(vpc.owner_id);
      else return false;
      return true;
    };
    return SelectResources(s_->vpcs, req.vpc_ids, req.filters, values_of);
  });
}

Result<std::vector<m::RouteTable>> FakeEc2::DescribeRouteTables(const CallContext& ctx,
                                                                const DescribeRouteTablesRequest& req) {
  return s_->Serve(ctx, "DescribeRouteTables", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeRouteTables"); },
                   [&]() -> Result<std::vector<m::RouteTable>> {
    for (const std::string& id : req.route_table_ids) {
      if (!s_->route_tables.count(id)) {
        return AwsError("InvalidRouteTableID.NotFound", "The routeTable ID '" + id + "' does not exist");
      }
    }
    // The resource's values for a filter name; false for a name EC2 does not know.
    auto values_of = [](const m::RouteTable& rt, const std::string& name, std::vector<std::string_view>* v) {
      if (TagFilterValues(rt.tags, name, v)) return true;
      if (name == "vpc-id") v->push_back(rt.vpc_id);
      else if (name == "route-table-id") v->push_back(rt.route_table_id);
      else if (name == "association.subnet-id") {
        for (const auto& a : rt.associations) {
          if (!a.subnet_id.empty()) v->push_back(a.subnet_id);
        }
      } else if (name == "association.main") {
        bool main = false;
        for (const auto& a : rt.associations) main = main || a.main;
        v->push_back(main ? "true" : "false");
      } else if (name == "owner-id") v->push_back(rt.owner_id);
      else return false;
      return true;
    };
    return SelectResources(s_->route_tables, req.route_table_ids, req.filters, values_of);
  });
}

Result<std::vector<m::SecurityGroup>> FakeEc2::DescribeSecurityGroups(const CallContext& ctx,
                                                                      const DescribeSecurityGroupsRequest& req) {
  return s_->Serve(ctx, "DescribeSecurityGroups", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeSecurityGroups"); },
                   [&]() -> Result<std::vector<m::SecurityGroup>> {
    for (const std::string& id : req.group_ids) {
      if (!StartsWith(id, "sg-")) {
        return AwsError("InvalidGroupId.Malformed", "Invalid id: \"" + id + "\" (expecting \"sg-...\")");
      }
      if (!s_->sgs.count(id)) return AwsError("InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
    }
    for (const std::string& name : req.group_names) {
      bool found = false;
      for (const auto& [id, rec] : s_->sgs) found = found || rec.group.group_name == name;
      if (!found) return AwsError("InvalidGroup.NotFound", "The security group '" + name + "' does not exist");
    }
    // The resource's values for a filter name; false for a name EC2 does not know.
    auto values_of = [](const m::SecurityGroup& g, const std::string& name, std::vector<std::string_view>* v) {
      if (TagFilterValues(g.tags, name, v)) return true;
      if (name == "vpc-id") v->push_back(g.vpc_id);
      else if (name == "group-id") v->push_back(g.group_id);
      else if (name == "group-name") v->push_back(g.group_name);
      else if (name == "description") v->push_back(g.description);
      else if (name == "owner-id") v->push_back(g.owner_id);
      else return false;
      return true;
    };
    SIM_RETURN_IF_ERROR(CheckFilterNames<m::SecurityGroup>(req.filters, values_of));
    std::set<std::string> ids(req.group_ids.begin(), req.group_ids.end());
    std::set<std::string> names(req.group_names.begin(), req.group_names.end());
    std::vector<m::SecurityGroup> out;
    // By ID when IDs are given (all exist, checked above): the same ascending order as a full scan.
    std::vector<const SgRecord*> candidates;
    if (!ids.empty()) {
      for (const std::string& id : ids) candidates.push_back(&s_->sgs.at(id));
    } else if (const std::set<std::string>* tagged = s_->SgsByExactTagFilter(req.filters)) {
      // Only SGs holding the filter's tag can match it (still matched against every filter below).
      for (const std::string& id : *tagged) candidates.push_back(&s_->sgs.at(id));
    } else {
      for (const auto& [id, rec] : s_->sgs) candidates.push_back(&rec);
    }
    for (const SgRecord* recp : candidates) {
      const auto& rec = *recp;
      if (!names.empty() && !names.count(rec.group.group_name)) continue;
      const m::SecurityGroup& g = rec.group;
      auto match = MatchFilters(req.filters, [&](const std::string& name, std::vector<std::string_view>* v) {
        return values_of(g, name, v);
      });
      if (!match.ok()) return match.error();
      if (match.value()) out.push_back(s_->Render(rec));
    }
    return out;
  });
}

Result<std::vector<m::Instance>> FakeEc2::DescribeInstances(const CallContext& ctx,
                                                            const DescribeInstancesRequest& req) {
  return s_->Serve(ctx, "DescribeInstances", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeInstances"); },
                   [&]() -> Result<std::vector<m::Instance>> {
    for (const std::string& id : req.instance_ids) {
      if (!s_->instances.count(id)) {
        return AwsError("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
      }
    }
    // The resource's values for a filter name; false for a name EC2 does not know.
    auto values_of = [](const m::Instance& inst, const std::string& name, std::vector<std::string_view>* v) {
      if (TagFilterValues(inst.tags, name, v)) return true;
      if (name == "instance-id") v->push_back(inst.instance_id);
      else if (name == "vpc-id") v->push_back(inst.vpc_id);
      else if (name == "subnet-id") v->push_back(inst.subnet_id);
      else if (name == "private-ip-address") v->push_back(inst.private_ip_address);
      else if (name == "private-dns-name") v->push_back(inst.private_dns_name);
      else if (name == "instance-state-name") v->push_back(inst.state);
      else if (name == "availability-zone") v->push_back(inst.availability_zone);
      else return false;
      return true;
    };
    return SelectResources(s_->instances, req.instance_ids, req.filters, values_of);
  });
}

Result<std::vector<m::NetworkInterface>> FakeEc2::DescribeNetworkInterfaces(
    const CallContext& ctx, const DescribeNetworkInterfacesRequest& req) {
  return s_->Serve(ctx, "DescribeNetworkInterfaces", [&] { return RequestJson(req); },
                   [&] { return s_->AzStar(ctx, "DescribeNetworkInterfaces"); },
                   [&]() -> Result<std::vector<m::NetworkInterface>> {
    for (const std::string& id : req.network_interface_ids) {
      if (!s_->enis.count(id)) {
        return AwsError("InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '" + id + "' does not exist");
      }
    }
    // The resource's values for a filter name; false for a name EC2 does not know.
    auto values_of = [](const m::NetworkInterface& eni, const std::string& name, std::vector<std::string_view>* v) {
      if (TagFilterValues(eni.tags, name, v)) return true;
      if (name == "network-interface-id") v->push_back(eni.network_interface_id);
      else if (name == "vpc-id") v->push_back(eni.vpc_id);
      else if (name == "subnet-id") v->push_back(eni.subnet_id);
      else if (name == "private-ip-address") v->push_back(eni.private_ip_address);
      else if (name == "addresses.private-ip-address") {
        for (const auto& ip : eni.private_ip_addresses) v->push_back(ip);
        if (eni.private_ip_addresses.empty()) v->push_back(eni.private_ip_address);
      } else if (name == "attachment.instance-id") {
        if (!eni.attachment_instance_id.empty()) v->push_back(eni.attachment_instance_id);
      } else if (name == "group-id") {
        for (const auto& g : eni.groups) v->push_back(g.group_id);
      } else if (name == "availability-zone") v->push_back(eni.availability_zone);
      else if (name == "status") v->push_back(eni.status);
      else return false;
      return true;
    };
    const std::optional<std::set<std::string>> candidates = s_->EniCandidates(req.filters);
    return SelectResources(s_->enis, req.network_interface_ids, req.filters, values_of,
                           candidates ? &*candidates : nullptr);
  });
}

// ---------------------------------------------------------------------------------------------
// Security groups

Result<CreateSecurityGroupResponse> FakeEc2::CreateSecurityGroup(const CallContext& ctx,
                                                                 const CreateSecurityGroupRequest& req) {
  return s_->Serve(ctx, "CreateSecurityGroup", [&] { return RequestJson(req); },
                   [&] { return s_->AzCreateSecurityGroup(ctx, req); },
                   [&]() -> Result<CreateSecurityGroupResponse> {
    if (req.group_name.empty()) {
      return AwsError("MissingParameter", "The request must contain the parameter groupName");
    }
    if (req.description.empty()) {
      return AwsError("MissingParameter", "The request must contain the parameter groupDescription");
    }
    if (req.group_name.size() > 255) {
      return AwsError("InvalidParameterValue",
                      "Invalid value '" + req.group_name + "' for groupName. Length exceeds maximum of 255");
    }
    if (AsciiLower(req.group_name).rfind("sg-", 0) == 0) {
      return AwsError("InvalidParameterValue",
                      "Group names may not be in the format sg-*.");
    }
    std::string vpc_id = req.vpc_id;
    if (vpc_id.empty()) {
      for (const auto& [id, vpc] : s_->vpcs) {
        if (vpc.is_default) vpc_id = id;
      }
      if (vpc_id.empty()) {
        return AwsError("VPCIdNotSpecified", "No default VPC for this user");
      }
    }
    if (!s_->vpcs.count(vpc_id)) return AwsError("InvalidVpcID.NotFound", "The vpc ID '" + vpc_id + "' does not exist");
    if (s_->sg_names.count(State::SgNameKey(vpc_id, req.group_name))) {
      return AwsError("InvalidGroup.Duplicate",
                      "The security group '" + req.group_name + "' already exists for VPC '" + vpc_id + "'");
    }
    if (static_cast<int64_t>(s_->sgs.size()) >= s_->options.quotas.security_groups_per_region) {
      return AwsError("SecurityGroupLimitExceeded", "The maximum number of security groups has been reached.");
    }
    std::vector<m::Tag> tags;
    for (const TagSpecification& spec : req.tag_specifications) {
      if (spec.resource_type != "security-group") {
        return AwsError("InvalidParameterValue", "'" + spec.resource_type +
                                                     "' is not a valid taggable resource type for this operation.");
      }
      for (const m::Tag& t : spec.tags) SetTag(&tags, t);
    }
    if (static_cast<int64_t>(tags.size()) > s_->options.quotas.ec2_tags_per_resource) {
      return AwsError("TagLimitExceeded", "The maximum number of tags for this resource has been reached.");
    }
    SgRecord rec;
    rec.group.group_id = s_->NewId(s_->rng, "sg-");
    rec.group.group_name = req.group_name;
    rec.group.description = req.description;
    rec.group.vpc_id = vpc_id;
    rec.group.owner_id = s_->options.account_id;
    rec.group.security_group_arn = "arn:" + s_->options.partition + ":ec2:" + s_->options.region + ":" +
                                   s_->options.account_id + ":security-group/" + rec.group.group_id;
    rec.group.tags = tags;
    SgRule egress;
    egress.protocol = "-1";
    egress.kind = SgRule::Kind::kCidr4;
    egress.source = "0.0.0.0/0";
    rec.egress.push_back(egress);
    CreateSecurityGroupResponse resp{rec.group.group_id, tags, rec.group.security_group_arn};
    const std::string id = rec.group.group_id;
    s_->sgs.emplace(id, std::move(rec));
    s_->IndexSgTags(id, true);
    s_->IndexSgName(id, true);
    return resp;
  });
}

Status FakeEc2::DeleteSecurityGroup(const CallContext& ctx, const std::string& group_id) {
  return s_->Serve(ctx, "DeleteSecurityGroup", [&] { return SingleMemberJson("GroupId", group_id); },
                   [&] { return s_->AzOn(ctx, "DeleteSecurityGroup", {group_id}, nullptr, nullptr); },
                   [&]() -> Status {
    auto it = s_->sgs.find(group_id);
    if (it == s_->sgs.end()) {
      return AwsError("InvalidGroup.NotFound", "The security group '" + group_id + "' does not exist");
    }
    bool in_use = s_->in_use_probe && s_->in_use_probe(group_id);
    for (const auto& [id, inst] : s_->instances) {
      for (const auto& g : inst.security_groups) in_use = in_use || g.group_id == group_id;
    }
    for (const auto& [id, eni] : s_->enis) {
      for (const auto& g : eni.groups) in_use = in_use || g.group_id == group_id;
    }
    if (in_use || s_->SgReferencedByOthers(group_id)) {
      return AwsError("DependencyViolation", "resource " + group_id + " has a dependent object");
    }
    s_->IndexSgTags(group_id, false);
    s_->IndexSgName(group_id, false);
    s_->sgs.erase(it);
    return OkStatus();
  });
}

Status FakeEc2::AuthorizeSecurityGroupIngress(const CallContext& ctx, const SecurityGroupIngressRequest& req) {
  return s_->Serve(ctx, "AuthorizeSecurityGroupIngress", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "AuthorizeSecurityGroupIngress", {req.group_id}, nullptr, nullptr); },
                   [&]() -> Status {
    auto it = s_->sgs.find(req.group_id);
    if (it == s_->sgs.end()) {
      return AwsError("InvalidGroup.NotFound", "The security group '" + req.group_id + "' does not exist");
    }
    if (req.ip_permissions.empty()) {
      return AwsError("MissingParameter", "No IP permissions are specified");
    }
    SIM_ASSIGN_OR_RETURN(std::vector<SgRule> rules, s_->ToRules(req.ip_permissions));
    std::vector<SgRule>& ingress = it->second.ingress;
    for (size_t i = 0; i < rules.size(); ++i) {
      for (const SgRule& existing : ingress) {
        if (existing.SameIdentity(rules[i])) {
          return AwsError("InvalidPermission.Duplicate",
                          "the specified rule \"" + RuleText(rules[i]) + "\" already exists");
        }
      }
      for (size_t j = 0; j < i; ++j) {
        if (rules[j].SameIdentity(rules[i])) {
          return AwsError("InvalidPermission.Duplicate",
                          "the specified rule \"" + RuleText(rules[i]) + "\" already exists");
        }
      }
    }
    auto count = [](const std::vector<SgRule>& list, bool v6) {
      int64_t n = 0;
      for (const SgRule& r : list) {
        if (r.kind == SgRule::Kind::kGroup || r.kind == SgRule::Kind::kPrefixList) ++n;
        else if ((r.kind == SgRule::Kind::kCidr6) == v6) ++n;
      }
      return n;
    };
    std::vector<SgRule> after = ingress;
    after.insert(after.end(), rules.begin(), rules.end());
    const int64_t limit = s_->options.quotas.rules_per_security_group;
    if (count(after, false) > limit || count(after, true) > limit) {
      return AwsError("RulesPerSecurityGroupLimitExceeded",
                      "The maximum number of rules per security group has been reached.");
    }
    ingress = std::move(after);
    return OkStatus();
  });
}

Status FakeEc2::RevokeSecurityGroupIngress(const CallContext& ctx, const SecurityGroupIngressRequest& req) {
  return s_->Serve(ctx, "RevokeSecurityGroupIngress", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "RevokeSecurityGroupIngress", {req.group_id}, nullptr, nullptr); },
                   [&]() -> Status {
    auto it = s_->sgs.find(req.group_id);
    if (it == s_->sgs.end()) {
      return AwsError("InvalidGroup.NotFound", "The security group '" + req.group_id + "' does not exist");
    }
    // A revoke may name a source group that no longer exists (the rule is matched by id).
    SIM_ASSIGN_OR_RETURN(std::vector<SgRule> rules, s_->ToRules(req.ip_permissions, /*check_groups=*/false));
    std::vector<SgRule> remaining = it->second.ingress;
    for (const SgRule& r : rules) {
      auto pos = std::find_if(remaining.begin(), remaining.end(), [&](const SgRule& e) { return e.SameIdentity(r); });
      if (pos == remaining.end()) {
        return AwsError("InvalidPermission.NotFound", "The specified rule does not exist in this security group.");
      }
      remaining.erase(pos);
    }
    it->second.ingress = std::move(remaining);
    return OkStatus();
  });
}

// ---------------------------------------------------------------------------------------------
// Tags

Status FakeEc2::CreateTags(const CallContext& ctx, const CreateTagsRequest& req) {
  return s_->Serve(ctx, "CreateTags", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "CreateTags", req.resources, &req.tags, nullptr); },
                   [&]() -> Status {
    std::vector<std::vector<m::Tag>*> targets;
    for (const std::string& id : req.resources) {
      SIM_ASSIGN_OR_RETURN(std::vector<m::Tag>* tags, s_->TagsOf(id));
      std::vector<m::Tag> after = *tags;
      for (const m::Tag& t : req.tags) SetTag(&after, t);
      if (static_cast<int64_t>(after.size()) > s_->options.quotas.ec2_tags_per_resource) {
        return AwsError("TagLimitExceeded", "The maximum number of tags for this resource has been reached.");
      }
      targets.push_back(tags);
    }
    for (const std::string& id : req.resources) s_->IndexSgTags(id, false);
    for (std::vector<m::Tag>* tags : targets) {
      for (const m::Tag& t : req.tags) SetTag(tags, t);
    }
    for (const std::string& id : req.resources) s_->IndexSgTags(id, true);
    return OkStatus();
  });
}

Status FakeEc2::DeleteTags(const CallContext& ctx, const DeleteTagsRequest& req) {
  return s_->Serve(ctx, "DeleteTags", [&] { return RequestJson(req); },
                   [&] { return s_->AzOn(ctx, "DeleteTags", req.resources, nullptr, &req.tags); },
                   [&]() -> Status {
    std::vector<std::vector<m::Tag>*> targets;
    for (const std::string& id : req.resources) {
      SIM_ASSIGN_OR_RETURN(std::vector<m::Tag>* tags, s_->TagsOf(id));
      targets.push_back(tags);
    }
    for (const std::string& id : req.resources) s_->IndexSgTags(id, false);
    for (std::vector<m::Tag>* tags : targets) {
      if (req.tags.empty()) {
        tags->clear();
        continue;
      }
      tags->erase(std::remove_if(tags->begin(), tags->end(),
                                 [&](const m::Tag& t) {
                                   for (const DeleteTagSpec& d : req.tags) {
                                     if (d.key == t.key && (!d.value || *d.value == t.value)) return true;
                                   }
                                   return false;
                                 }),
                  tags->end());
    }
    for (const std::string& id : req.resources) s_->IndexSgTags(id, true);
    return OkStatus();
  });
}

// ---------------------------------------------------------------------------------------------
// World setup

namespace {
std::string AzIdFor(const std::string& region, const std::string& az) {
  // "us-west-2" + "a" → "usw2-az1".
  std::string code;
  size_t start = 0;
  int part = 0;
  while (start <= region.size()) {
    size_t dash = region.find('-', start);
    std::string piece = region.substr(start, dash == std::string::npos ? std::string::npos : dash - start);
    if (!piece.empty()) code += part == 0 ? piece : piece.substr(0, 1);
    ++part;
    if (dash == std::string::npos) break;
    start = dash + 1;
  }
  if (az.size() <= region.size() || az.compare(0, region.size(), region) != 0) return "";
  char letter = az[region.size()];
  if (letter < 'a' || letter > 'z') return "";
  return code + "-az" + std::to_string(letter - 'a' + 1);
}
}  // namespace

Status FakeEc2::AddVpc(m::Vpc vpc) {
  if (!StartsWith(vpc.vpc_id, "vpc-")) return MakeError(ErrorCode::kInvalidArgument, "bad VPC id " + vpc.vpc_id);
  if (CanonicalCidr4(vpc.cidr_block).empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "bad VPC CIDR " + vpc.cidr_block);
  }
  if (vpc.owner_id.empty()) vpc.owner_id = s_->options.account_id;
  bool has_main = false;
  for (const auto& [id, rt] : s_->route_tables) {
    for (const auto& a : rt.associations) has_main = has_main || (a.main && rt.vpc_id == vpc.vpc_id);
  }
  if (!has_main) {
    m::RouteTable main;
    main.route_table_id = s_->NewId(s_->world_rng, "rtb-");
    main.vpc_id = vpc.vpc_id;
    main.owner_id = vpc.owner_id;
    main.routes.push_back(m::Route{vpc.cidr_block, "local", "", "active"});
    main.associations.push_back(
        m::RouteTableAssociation{s_->NewId(s_->world_rng, "rtbassoc-"), main.route_table_id, "", true});
    s_->route_tables[main.route_table_id] = main;
  }
  s_->vpcs[vpc.vpc_id] = std::move(vpc);
  return OkStatus();
}

Status FakeEc2::AddSubnet(m::Subnet subnet, bool public_subnet) {
  if (!StartsWith(subnet.subnet_id, "subnet-")) {
    return MakeError(ErrorCode::kInvalidArgument, "bad subnet id " + subnet.subnet_id);
  }
  auto vit = s_->vpcs.find(subnet.vpc_id);
  if (vit == s_->vpcs.end()) {
    return MakeError(ErrorCode::kInvalidArgument, "subnet " + subnet.subnet_id + ": unknown VPC " + subnet.vpc_id);
  }
  uint32_t net = 0;
  int prefix = 0;
  if (!ParseCidr4(subnet.cidr_block, &net, &prefix)) {
    return MakeError(ErrorCode::kInvalidArgument, "subnet " + subnet.subnet_id + ": bad CIDR " + subnet.cidr_block);
  }
  if (subnet.owner_id.empty()) subnet.owner_id = s_->options.account_id;
  if (subnet.subnet_arn.empty()) {
    subnet.subnet_arn = "arn:" + s_->options.partition + ":ec2:" + s_->options.region + ":" + subnet.owner_id +
                        ":subnet/" + subnet.subnet_id;
  }
  if (subnet.availability_zone_id.empty()) {
    subnet.availability_zone_id = AzIdFor(s_->options.region, subnet.availability_zone);
  }
  if (subnet.available_ip_address_count == 0) {
    int64_t size = prefix >= 31 ? 0 : (int64_t{1} << (32 - prefix)) - 5;
    subnet.available_ip_address_count = static_cast<int>(std::max<int64_t>(0, size));
  }
  if (public_subnet) subnet.map_public_ip_on_launch = true;
  const std::string id = subnet.subnet_id;
  const std::string vpc_id = subnet.vpc_id;
  s_->subnets[id] = std::move(subnet);
  // Drop any explicit association, then associate with the VPC's public table if asked.
  for (auto& [rid, rt] : s_->route_tables) {
    rt.associations.erase(std::remove_if(rt.associations.begin(), rt.associations.end(),
                                         [&](const m::RouteTableAssociation& a) { return a.subnet_id == id; }),
                          rt.associations.end());
  }
  if (public_subnet) {
    std::string& rtb = s_->public_route_table[vpc_id];
    if (rtb.empty() || !s_->route_tables.count(rtb)) {
      m::RouteTable pub;
      pub.route_table_id = s_->NewId(s_->world_rng, "rtb-");
      pub.vpc_id = vpc_id;
      pub.owner_id = s_->options.account_id;
      pub.routes.push_back(m::Route{vit->second.cidr_block, "local", "", "active"});
      pub.routes.push_back(m::Route{"0.0.0.0/0", s_->NewId(s_->world_rng, "igw-"), "", "active"});
      rtb = pub.route_table_id;
      s_->route_tables[rtb] = pub;
    }
    s_->route_tables[rtb].associations.push_back(
        m::RouteTableAssociation{s_->NewId(s_->world_rng, "rtbassoc-"), rtb, id, false});
  }
  return OkStatus();
}

Status FakeEc2::AddRouteTable(m::RouteTable table) {
  if (!StartsWith(table.route_table_id, "rtb-")) {
    return MakeError(ErrorCode::kInvalidArgument, "bad route table id " + table.route_table_id);
  }
  if (!s_->vpcs.count(table.vpc_id)) {
    return MakeError(ErrorCode::kInvalidArgument, "route table " + table.route_table_id + ": unknown VPC");
  }
  bool is_main = false;
  for (auto& a : table.associations) {
    a.route_table_id = table.route_table_id;
    is_main = is_main || a.main;
    if (!a.subnet_id.empty()) {
      // A subnet has one explicit association.
      for (auto& [rid, rt] : s_->route_tables) {
        rt.associations.erase(
            std::remove_if(rt.associations.begin(), rt.associations.end(),
                           [&](const m::RouteTableAssociation& x) { return x.subnet_id == a.subnet_id; }),
            rt.associations.end());
      }
    }
  }
  if (is_main) {
    for (auto& [rid, rt] : s_->route_tables) {
      if (rt.vpc_id != table.vpc_id) continue;
      rt.associations.erase(std::remove_if(rt.associations.begin(), rt.associations.end(),
                                           [](const m::RouteTableAssociation& x) { return x.main; }),
                            rt.associations.end());
    }
  }
  if (table.owner_id.empty()) table.owner_id = s_->options.account_id;
  s_->route_tables[table.route_table_id] = std::move(table);
  return OkStatus();
}

Status FakeEc2::AddInstance(m::Instance instance) {
  if (!StartsWith(instance.instance_id, "i-")) {
    return MakeError(ErrorCode::kInvalidArgument, "bad instance id " + instance.instance_id);
  }
  auto sit = s_->subnets.find(instance.subnet_id);
  if (sit == s_->subnets.end()) {
    return MakeError(ErrorCode::kInvalidArgument, "instance " + instance.instance_id + ": unknown subnet");
  }
  instance.vpc_id = sit->second.vpc_id;
  if (instance.availability_zone.empty()) instance.availability_zone = sit->second.availability_zone;
  for (auto& g : instance.security_groups) {
    auto git = s_->sgs.find(g.group_id);
    if (git == s_->sgs.end()) {
      return MakeError(ErrorCode::kInvalidArgument, "instance " + instance.instance_id + ": unknown SG " + g.group_id);
    }
    g.group_name = git->second.group.group_name;
  }
  if (instance.network_interface_ids.empty()) {
    m::NetworkInterface eni;
    eni.network_interface_id = s_->NewId(s_->world_rng, "eni-");
    eni.subnet_id = instance.subnet_id;
    eni.vpc_id = instance.vpc_id;
    eni.availability_zone = instance.availability_zone;
    eni.private_ip_address = instance.private_ip_address;
    eni.private_ip_addresses = {instance.private_ip_address};
    eni.groups = instance.security_groups;
    eni.attachment_instance_id = instance.instance_id;
    instance.network_interface_ids.push_back(eni.network_interface_id);
    s_->PutEni(std::move(eni));
  }
  s_->instances[instance.instance_id] = std::move(instance);
  return OkStatus();
}

Status FakeEc2::AddNetworkInterface(m::NetworkInterface eni) {
  if (!StartsWith(eni.network_interface_id, "eni-")) {
    return MakeError(ErrorCode::kInvalidArgument, "bad ENI id " + eni.network_interface_id);
  }
  auto sit = s_->subnets.find(eni.subnet_id);
  if (sit == s_->subnets.end()) {
    return MakeError(ErrorCode::kInvalidArgument, "ENI " + eni.network_interface_id + ": unknown subnet");
  }
  eni.vpc_id = sit->second.vpc_id;
  if (eni.availability_zone.empty()) eni.availability_zone = sit->second.availability_zone;
  for (auto& g : eni.groups) {
    auto git = s_->sgs.find(g.group_id);
    if (git == s_->sgs.end()) {
      return MakeError(ErrorCode::kInvalidArgument, "ENI " + eni.network_interface_id + ": unknown SG " + g.group_id);
    }
    g.group_name = git->second.group.group_name;
  }
  if (eni.private_ip_addresses.empty() && !eni.private_ip_address.empty()) {
    eni.private_ip_addresses.push_back(eni.private_ip_address);
  }
  s_->PutEni(std::move(eni));
  return OkStatus();
}

Result<std::string> FakeEc2::AddSecurityGroup(m::SecurityGroup group) {
  if (group.group_id.empty()) group.group_id = s_->NewId(s_->world_rng, "sg-");
  if (!StartsWith(group.group_id, "sg-")) return MakeError(ErrorCode::kInvalidArgument, "bad SG id " + group.group_id);
  if (!s_->vpcs.count(group.vpc_id)) {
    return MakeError(ErrorCode::kInvalidArgument, "security group " + group.group_id + ": unknown VPC " + group.vpc_id);
  }
  if (group.owner_id.empty()) group.owner_id = s_->options.account_id;
  if (group.security_group_arn.empty()) {
    group.security_group_arn = "arn:" + s_->options.partition + ":ec2:" + s_->options.region + ":" + group.owner_id +
                               ":security-group/" + group.group_id;
  }
  SgRecord rec;
  auto ingress = s_->ToRules(group.ip_permissions);
  if (!ingress.ok()) return ingress.error();
  auto egress = s_->ToRules(group.ip_permissions_egress);
  if (!egress.ok()) return egress.error();
  rec.ingress = std::move(ingress).value();
  rec.egress = std::move(egress).value();
  if (group.ip_permissions_egress.empty()) {
    SgRule all;
    all.protocol = "-1";
    all.source = "0.0.0.0/0";
    rec.egress.push_back(all);
  }
  std::sort(group.tags.begin(), group.tags.end(), [](const m::Tag& a, const m::Tag& b) { return a.key < b.key; });
  group.ip_permissions.clear();
  group.ip_permissions_egress.clear();
  rec.group = std::move(group);
  std::string id = rec.group.group_id;
  s_->IndexSgTags(id, false);
  s_->IndexSgName(id, false);
  s_->sgs[id] = std::move(rec);
  s_->IndexSgTags(id, true);
  s_->IndexSgName(id, true);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Simulator side

Status FakeEc2::AssignPrivateIpAddressForSim(const std::string& instance_id, const std::string& ip) {
  auto it = s_->instances.find(instance_id);
  if (it == s_->instances.end() || it->second.network_interface_ids.empty()) {
    return MakeError(ErrorCode::kNotFound, "instance " + instance_id + " not found");
  }
  auto eni = s_->enis.find(it->second.network_interface_ids.front());
  if (eni == s_->enis.end()) return MakeError(ErrorCode::kNotFound, "ENI of instance " + instance_id + " not found");
  s_->ChangeEniAddresses(eni->second, [&](m::NetworkInterface& e) {
    auto& ips = e.private_ip_addresses;
    if (std::find(ips.begin(), ips.end(), ip) == ips.end()) ips.push_back(ip);
  });
  return OkStatus();
}

Status FakeEc2::UnassignPrivateIpAddressForSim(const std::string& instance_id, const std::string& ip) {
  auto it = s_->instances.find(instance_id);
  if (it == s_->instances.end() || it->second.network_interface_ids.empty()) {
    return MakeError(ErrorCode::kNotFound, "instance " + instance_id + " not found");
  }
  auto eni = s_->enis.find(it->second.network_interface_ids.front());
  if (eni == s_->enis.end()) return MakeError(ErrorCode::kNotFound, "ENI of instance " + instance_id + " not found");
  s_->ChangeEniAddresses(eni->second, [&](m::NetworkInterface& e) {
    auto& ips = e.private_ip_addresses;
    if (ip != e.private_ip_address) ips.erase(std::remove(ips.begin(), ips.end(), ip), ips.end());
  });
  return OkStatus();
}

Status FakeEc2::SetInstanceStateForSim(const std::string& instance_id, const std::string& state) {
  auto it = s_->instances.find(instance_id);
  if (it == s_->instances.end()) return MakeError(ErrorCode::kNotFound, "instance " + instance_id + " not found");
  it->second.state = state;
  return OkStatus();
}

std::optional<m::Vpc> FakeEc2::VpcForSim(const std::string& vpc_id) const {
  auto it = s_->vpcs.find(vpc_id);
  if (it == s_->vpcs.end()) return std::nullopt;
  return it->second;
}

std::optional<m::Subnet> FakeEc2::SubnetForSim(const std::string& subnet_id) const {
  auto it = s_->subnets.find(subnet_id);
  if (it == s_->subnets.end()) return std::nullopt;
  return it->second;
}

std::optional<m::SecurityGroup> FakeEc2::SecurityGroupForSim(const std::string& group_id) const {
  auto it = s_->sgs.find(group_id);
  if (it == s_->sgs.end()) return std::nullopt;
  return s_->Render(it->second);
}

std::optional<m::Instance> FakeEc2::InstanceForSim(const std::string& instance_id) const {
  const m::Instance* inst = FindInstanceForSim(instance_id);
  if (inst == nullptr) return std::nullopt;
  return *inst;
}

const m::Instance* FakeEc2::FindInstanceForSim(const std::string& instance_id) const {
  auto it = s_->instances.find(instance_id);
  return it == s_->instances.end() ? nullptr : &it->second;
}

bool FakeEc2::SubnetIsPublicForSim(const std::string& subnet_id) const {
  std::string rtb = s_->RouteTableOf(subnet_id);
  auto it = s_->route_tables.find(rtb);
  if (it == s_->route_tables.end()) return false;
  for (const m::Route& r : it->second.routes) {
    if (StartsWith(r.gateway_id, "igw-")) return true;
  }
  return false;
}

bool FakeEc2::VpcContainsIpForSim(const std::string& vpc_id, const std::string& ip) const {
  auto it = s_->vpcs.find(vpc_id);
  uint32_t addr = 0;
  if (it == s_->vpcs.end() || !ParseIpv4(ip, &addr)) return false;
  std::vector<std::string> cidrs = {it->second.cidr_block};
  cidrs.insert(cidrs.end(), it->second.secondary_cidr_blocks.begin(), it->second.secondary_cidr_blocks.end());
  for (const std::string& c : cidrs) {
    uint32_t net = 0;
    int prefix = 0;
    if (!ParseCidr4(c, &net, &prefix)) continue;
    uint32_t mask = prefix == 0 ? 0 : (0xFFFFFFFFu << (32 - prefix));
    if ((addr & mask) == net) return true;
  }
  return false;
}

std::vector<m::SecurityGroup> FakeEc2::SecurityGroupsForSim() const {
  std::vector<m::SecurityGroup> out;
  for (const auto& [id, rec] : s_->sgs) out.push_back(s_->Render(rec));
  return out;
}

size_t FakeEc2::security_group_count() const { return s_->sgs.size(); }

}  // namespace sim::aws
