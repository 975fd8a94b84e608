#pragma once
// Typed EC2 objects the controller reads (API version 2016-11-15): VPC, subnets, route tables,
// security groups, instances, network interfaces. Plain data, std only. Fields name the SDK
// member (PascalCase, as `aws ec2 describe-*` prints them); the wire uses camelCase locationNames
// (wire-protocols.md B.3), which only `albtwin serve` cares about.

#include <optional>
#include <string>
#include <vector>

#include "models/aws/elbv2.h"  // Tag

namespace sim::model::aws {

// Filter {Name, Values}: DescribeSubnets/SecurityGroups/... filters. A value may use `*`/`?`.
struct Filter {
  std::string name;                 // Name, e.g. "vpc-id", "tag:kubernetes.io/role/elb", "tag-key"
  std::vector<std::string> values;  // Values (OR)
  bool operator==(const Filter&) const = default;
};

// Vpc.
struct Vpc {
  std::string vpc_id;         // VpcId
  std::string cidr_block;     // CidrBlock (primary)
  std::vector<std::string> secondary_cidr_blocks;  // CidrBlockAssociationSet[].CidrBlock after the primary
  std::vector<std::string> ipv6_cidr_blocks;       // Ipv6CidrBlockAssociationSet[].Ipv6CidrBlock
  std::string state = "available";  // State
  std::string owner_id;       // OwnerId
  bool is_default = false;    // IsDefault
  std::vector<Tag> tags;      // Tags
  bool operator==(const Vpc&) const = default;
};

// Subnet.
struct Subnet {
  std::string subnet_id;             // SubnetId
  std::string subnet_arn;            // SubnetArn
  std::string vpc_id;                // VpcId
  std::string availability_zone;     // AvailabilityZone, e.g. "us-west-2a"
  std::string availability_zone_id;  // AvailabilityZoneId, e.g. "usw2-az1"
  std::string cidr_block;            // CidrBlock
  std::vector<std::string> ipv6_cidr_blocks;  // Ipv6CidrBlockAssociationSet[] (state "associated")
  int available_ip_address_count = 0;  // AvailableIpAddressCount
  bool map_public_ip_on_launch = false;  // MapPublicIpOnLaunch
  bool default_for_az = false;       // DefaultForAz
  std::string state = "available";   // State
  std::string owner_id;              // OwnerId
  std::string outpost_arn;           // OutpostArn; empty = omitted
  std::vector<Tag> tags;             // Tags
  bool operator==(const Subnet&) const = default;
};

// Route {DestinationCidrBlock, GatewayId, NatGatewayId, State}. Minimal: enough for reachability.
struct Route {
  std::string destination_cidr_block;  // DestinationCidrBlock
  std::string gateway_id;              // GatewayId: "local", "igw-...", ...
  std::string nat_gateway_id;          // NatGatewayId
  std::string state = "active";        // State
  bool operator==(const Route&) const = default;
};

// RouteTableAssociation {RouteTableAssociationId, RouteTableId, SubnetId, Main}.
struct RouteTableAssociation {
  std::string route_table_association_id;  // RouteTableAssociationId
  std::string route_table_id;              // RouteTableId
  std::string subnet_id;                   // SubnetId (empty for the main association)
  bool main = false;                       // Main
  bool operator==(const RouteTableAssociation&) const = default;
};

// RouteTable. A subnet is public iff its table (explicit association, else the VPC main table)
// has a route whose GatewayId starts with "igw-".
struct RouteTable {
  std::string route_table_id;  // RouteTableId
  std::string vpc_id;          // VpcId
  std::vector<Route> routes;   // Routes
  std::vector<RouteTableAssociation> associations;  // Associations
  std::string owner_id;        // OwnerId
  std::vector<Tag> tags;       // Tags
  bool operator==(const RouteTable&) const = default;
};

// IpRange {CidrIp, Description}.
struct IpRange {
  std::string cidr_ip;      // CidrIp (canonical network address)
  std::string description;  // Description; empty = omitted
  bool operator==(const IpRange&) const = default;
};

// Ipv6Range {CidrIpv6, Description}.
struct Ipv6Range {
  std::string cidr_ipv6;    // CidrIpv6
  std::string description;  // Description
  bool operator==(const Ipv6Range&) const = default;
};

// PrefixListId {PrefixListId, Description}.
struct PrefixListId {
  std::string prefix_list_id;  // PrefixListId
  std::string description;     // Description
  bool operator==(const PrefixListId&) const = default;
};

// UserIdGroupPair {GroupId, UserId, Description, ...}.
struct UserIdGroupPair {
  std::string group_id;     // GroupId
  std::string user_id;      // UserId (account); empty = omitted
  std::string description;  // Description
  bool operator==(const UserIdGroupPair&) const = default;
};

// IpPermission. IpProtocol "-1" = all protocols (ports then omitted / -1).
struct IpPermission {
  std::string ip_protocol;          // IpProtocol: "tcp" | "udp" | "icmp" | "-1" | number
  std::optional<int> from_port;     // FromPort
  std::optional<int> to_port;       // ToPort
  std::vector<IpRange> ip_ranges;   // IpRanges
  std::vector<Ipv6Range> ipv6_ranges;  // Ipv6Ranges
  std::vector<PrefixListId> prefix_list_ids;  // PrefixListIds
  std::vector<UserIdGroupPair> user_id_group_pairs;  // UserIdGroupPairs
  bool operator==(const IpPermission&) const = default;
};

// SecurityGroup, as DescribeSecurityGroups returns it.
struct SecurityGroup {
  std::string group_id;     // GroupId: "sg-" + 17 hex
  std::string group_name;   // GroupName
  std::string description;  // Description
  std::string vpc_id;       // VpcId
  std::string owner_id;     // OwnerId
  std::string security_group_arn;  // SecurityGroupArn
  std::vector<IpPermission> ip_permissions;         // IpPermissions (ingress)
  std::vector<IpPermission> ip_permissions_egress;  // IpPermissionsEgress
  std::vector<Tag> tags;    // Tags
  bool operator==(const SecurityGroup&) const = default;
};

// GroupIdentifier {GroupId, GroupName}.
struct GroupIdentifier {
  std::string group_id;    // GroupId
  std::string group_name;  // GroupName
  bool operator==(const GroupIdentifier&) const = default;
};

// NetworkInterface (minimal): the ENI of a node or a pod IP (VPC CNI).
struct NetworkInterface {
  std::string network_interface_id;  // NetworkInterfaceId
  std::string subnet_id;             // SubnetId
  std::string vpc_id;                // VpcId
  std::string availability_zone;     // AvailabilityZone
  std::string private_ip_address;    // PrivateIpAddress (primary)
  std::vector<std::string> private_ip_addresses;  // PrivateIpAddresses[].PrivateIpAddress (incl. primary)
  std::vector<GroupIdentifier> groups;  // Groups
  std::string attachment_instance_id;   // Attachment.InstanceId; empty = unattached
  std::string interface_type = "interface";  // InterfaceType
  std::string description;           // Description
  std::string status = "in-use";     // Status
  std::vector<Tag> tags;             // TagSet
  bool operator==(const NetworkInterface&) const = default;
};

// Instance (minimal): a cluster node.
struct Instance {
  std::string instance_id;          // InstanceId
  std::string instance_type;        // InstanceType
  std::string private_ip_address;   // PrivateIpAddress
  std::string private_dns_name;     // PrivateDnsName
  std::string subnet_id;            // SubnetId
  std::string vpc_id;               // VpcId
  std::string availability_zone;    // Placement.AvailabilityZone
  std::string state = "running";    // State.Name: pending|running|stopping|stopped|terminated
  std::vector<GroupIdentifier> security_groups;  // SecurityGroups
  std::vector<std::string> network_interface_ids;  // NetworkInterfaces[].NetworkInterfaceId
  std::vector<Tag> tags;            // Tags
  bool operator==(const Instance&) const = default;
};

}  // namespace sim::model::aws
