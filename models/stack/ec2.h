#pragma once
// Mirrors upstream pkg/model/ec2/{security_group.go,security_group_ingress.go}.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sim::model::stack {

struct IPRange {
  std::string cidr_ip;
  std::string description;  // omitempty
  bool operator==(const IPRange&) const = default;
};
struct IPv6Range {
  std::string cidr_ipv6;
  std::string description;
  bool operator==(const IPv6Range&) const = default;
};
struct UserIDGroupPair {
  std::string group_id;
  std::string description;
  bool operator==(const UserIDGroupPair&) const = default;
};
struct PrefixList {
  std::string list_id;
  std::string description;
  bool operator==(const PrefixList&) const = default;
};

struct IPPermission {
  std::string ip_protocol;  // "tcp"
  std::optional<int32_t> from_port;
  std::optional<int32_t> to_port;
  std::vector<IPRange> ip_ranges;
  std::vector<IPv6Range> ipv6_ranges;
  std::vector<UserIDGroupPair> user_id_group_pairs;
  std::vector<PrefixList> prefix_lists;
  bool operator==(const IPPermission&) const = default;
};

struct SecurityGroupSpec {
  std::string group_name;
  std::string description;
  std::map<std::string, std::string> tags;
  std::vector<IPPermission> ingress;
  bool operator==(const SecurityGroupSpec&) const = default;
};

struct SecurityGroupStatus {
  std::string group_id;
  bool operator==(const SecurityGroupStatus&) const = default;
};

}  // namespace sim::model::stack
