#pragma once
// The part of the EC2 API the controller uses (upstream pkg/aws/services/ec2.go and callers;
// elbv2-semantics.md §4.1–4.2). Same conventions as elbv2_api.h: AWS member names in snake_case,
// errors carry the exact AWS code, every call may also fail with injected common errors
// ("RequestLimitExceeded", "InternalError", "albtwin.ControllerCrashed", ...), Describe* return
// every match in one answer, sorted by id.
//
// Filters (DescribeSubnets / DescribeSecurityGroups / DescribeVpcs / DescribeRouteTables /
// DescribeInstances / DescribeNetworkInterfaces): a resource matches when every filter matches
// (AND); a filter matches when any of its values matches (OR); values may contain `*` and `?`.
// Supported names:
//   all:             "tag:<key>" (value of tag <key>), "tag-key", "vpc-id", "owner-id"
//   subnets:         "subnet-id", "availability-zone", "availability-zone-id", "cidr-block",
//                    "default-for-az", "state"
//   security groups: "group-id", "group-name", "description"
//   route tables:    "route-table-id", "association.subnet-id", "association.main"
//   vpcs:            "cidr", "is-default", "state"
//   instances:       "instance-id", "private-ip-address", "subnet-id", "instance-state-name",
//                    "private-dns-name"
//   network ifaces:  "network-interface-id", "addresses.private-ip-address",
//                    "private-ip-address", "attachment.instance-id", "subnet-id", "group-id"
// An unknown filter name fails with InvalidParameterValue "The filter '<name>' is invalid".

#include <optional>
#include <string>
#include <vector>

#include "models/aws/ec2.h"
#include "sim/aws/call_context.h"
#include "sim/base/status.h"

namespace sim::aws {

namespace m = ::sim::model::aws;

struct DescribeSubnetsRequest {
  std::vector<std::string> subnet_ids;  // SubnetIds
  std::vector<m::Filter> filters;       // Filters
};

struct DescribeVpcsRequest {
  std::vector<std::string> vpc_ids;  // VpcIds
  std::vector<m::Filter> filters;    // Filters
};

struct DescribeRouteTablesRequest {
  std::vector<std::string> route_table_ids;  // RouteTableIds
  std::vector<m::Filter> filters;            // Filters
};

struct DescribeSecurityGroupsRequest {
  std::vector<std::string> group_ids;    // GroupIds
  std::vector<std::string> group_names;  // GroupNames (default VPC only in real EC2; matched in any VPC here)
  std::vector<m::Filter> filters;        // Filters
};

// TagSpecification {ResourceType, Tags}.
struct TagSpecification {
  std::string resource_type = "security-group";  // ResourceType
  std::vector<m::Tag> tags;                      // Tags
};

struct CreateSecurityGroupRequest {
  std::string group_name;   // GroupName (required; ≤ 255 chars; not "sg-…")
  std::string description;  // Description (GroupDescription on the wire; required)
  std::string vpc_id;       // VpcId ("" = the default VPC)
  std::vector<TagSpecification> tag_specifications;  // TagSpecifications
};

struct CreateSecurityGroupResponse {
  std::string group_id;            // GroupId
  std::vector<m::Tag> tags;        // Tags
  std::string security_group_arn;  // SecurityGroupArn
};

struct SecurityGroupIngressRequest {
  std::string group_id;                        // GroupId (required here)
  std::vector<m::IpPermission> ip_permissions; // IpPermissions
};

struct CreateTagsRequest {
  std::vector<std::string> resources;  // Resources (sg-, subnet-, vpc-, i-, eni-, rtb- ids)
  std::vector<m::Tag> tags;            // Tags
};

// A tag to delete: without a value the key goes whatever its value; with one, only if equal.
struct DeleteTagSpec {
  std::string key;                   // Key
  std::optional<std::string> value;  // Value
};

struct DeleteTagsRequest {
  std::vector<std::string> resources;  // Resources
  std::vector<DeleteTagSpec> tags;     // Tags; empty = delete every tag (EC2 semantics)
};

struct DescribeInstancesRequest {
  std::vector<std::string> instance_ids;  // InstanceIds
  std::vector<m::Filter> filters;         // Filters
};

struct DescribeNetworkInterfacesRequest {
  std::vector<std::string> network_interface_ids;  // NetworkInterfaceIds
  std::vector<m::Filter> filters;                  // Filters
};

class Ec2Api {
 public:
  virtual ~Ec2Api() = default;

  // Errors: InvalidSubnetID.NotFound "The subnet ID '<id>' does not exist" (an unknown id in
  // subnet_ids), InvalidParameterValue (unknown filter).
  virtual Result<std::vector<m::Subnet>> DescribeSubnets(const CallContext& ctx,
                                                         const DescribeSubnetsRequest& req) = 0;
  // Errors: InvalidVpcID.NotFound "The vpc ID '<id>' does not exist", InvalidParameterValue.
  virtual Result<std::vector<m::Vpc>> DescribeVpcs(const CallContext& ctx, const DescribeVpcsRequest& req) = 0;
  // Errors: InvalidRouteTableID.NotFound, InvalidParameterValue.
  virtual Result<std::vector<m::RouteTable>> DescribeRouteTables(const CallContext& ctx,
                                                                 const DescribeRouteTablesRequest& req) = 0;
  // Errors: InvalidGroup.NotFound "The security group '<id>' does not exist" (an unknown id in
  // group_ids or name in group_names), InvalidGroupId.Malformed (id not "sg-…"),
  // InvalidParameterValue.
  virtual Result<std::vector<m::SecurityGroup>> DescribeSecurityGroups(
      const CallContext& ctx, const DescribeSecurityGroupsRequest& req) = 0;
  // New SG: no ingress, egress allow-all (-1, 0.0.0.0/0). Errors: InvalidGroup.Duplicate "The
  // security group '<name>' already exists for VPC '<vpc>'" (names compared case-insensitively),
  // InvalidVpcID.NotFound, InvalidParameterValue (name starts with "sg-", too long, empty
  // description), SecurityGroupLimitExceeded, TagLimitExceeded (more than 50 tags).
  virtual Result<CreateSecurityGroupResponse> CreateSecurityGroup(const CallContext& ctx,
                                                                  const CreateSecurityGroupRequest& req) = 0;
  // Errors: InvalidGroup.NotFound, DependencyViolation "resource <id> has a dependent object"
  // (attached to a load balancer, an instance or an ENI, or referenced by another SG's rule).
  virtual Status DeleteSecurityGroup(const CallContext& ctx, const std::string& group_id) = 0;
  // Atomic: either every permission is added or none. CIDRs are canonicalised.
  // Errors: InvalidGroup.NotFound (target or source SG), InvalidPermission.Duplicate 'the specified
  // rule "peer: <cidr|sg>, TCP, from port: <f>, to port: <t>, ALLOW" already exists',
  // RulesPerSecurityGroupLimitExceeded "The maximum number of rules per security group has been
  // reached.", InvalidParameterValue (bad CIDR / protocol / ports).
  virtual Status AuthorizeSecurityGroupIngress(const CallContext& ctx,
                                               const SecurityGroupIngressRequest& req) = 0;
  // Atomic. Errors: InvalidGroup.NotFound, InvalidPermission.NotFound "The specified rule does not
  // exist in this security group." (the SG's VPC is never a default VPC here).
  virtual Status RevokeSecurityGroupIngress(const CallContext& ctx,
                                            const SecurityGroupIngressRequest& req) = 0;
  // Adds/overwrites tags. Errors: InvalidGroup.NotFound / InvalidSubnetID.NotFound /
  // InvalidVpcID.NotFound / InvalidInstanceID.NotFound / InvalidNetworkInterfaceID.NotFound /
  // InvalidRouteTableID.NotFound ("InvalidID" for an unrecognised prefix), TagLimitExceeded.
  virtual Status CreateTags(const CallContext& ctx, const CreateTagsRequest& req) = 0;
  // Errors: as CreateTags (not-found codes).
  virtual Status DeleteTags(const CallContext& ctx, const DeleteTagsRequest& req) = 0;
  // Errors: InvalidInstanceID.NotFound "The instance ID '<id>' does not exist".
  virtual Result<std::vector<m::Instance>> DescribeInstances(const CallContext& ctx,
                                                             const DescribeInstancesRequest& req) = 0;
  // Errors: InvalidNetworkInterfaceID.NotFound "The networkInterface ID '<id>' does not exist".
  virtual Result<std::vector<m::NetworkInterface>> DescribeNetworkInterfaces(
      const CallContext& ctx, const DescribeNetworkInterfacesRequest& req) = 0;
};

}  // namespace sim::aws
