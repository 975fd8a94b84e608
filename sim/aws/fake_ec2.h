#pragma once
// In-memory EC2 for one account and region: the VPC world the scenario describes (VPCs, subnets,
// route tables, instances, ENIs — set up with the Add* methods) and security groups, which the
// controller creates and edits through Ec2Api. Errors and quotas per elbv2-semantics.md §4.1.
// Deterministic: sg-/sgr- ids come from an Rng seeded by FakeEc2Options::seed.
//
// Every Ec2Api call: FaultPlan::Check → IAM (Authorizer, when set and the CallContext has a
// principal_arn; see authorizer.h) → run → ApiCallLog::Append → FaultPlan::AfterCall.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/aws/ec2.h"
#include "sim/aws/api_call_log.h"
#include "sim/aws/authorizer.h"
#include "sim/aws/ec2_api.h"
#include "sim/aws/fault_plan.h"
#include "sim/aws/quotas.h"
#include "sim/base/clock.h"

namespace sim::aws {

struct FakeEc2Options {
  std::string partition = "aws";
  std::string region = "us-west-2";
  std::string account_id = "123456789012";
  uint64_t seed = 1;
  Quotas quotas;
};

class FakeEc2 final : public Ec2Api {
 public:
  FakeEc2(const Clock& clock, FaultPlan& faults, ApiCallLog& log, FakeEc2Options options = {});
  ~FakeEc2() override;

  // Ec2Api
  Result<std::vector<model::aws::Subnet>> DescribeSubnets(const CallContext& ctx,
                                                          const DescribeSubnetsRequest& req) override;
  Result<std::vector<model::aws::Vpc>> DescribeVpcs(const CallContext& ctx, const DescribeVpcsRequest& req) override;
  Result<std::vector<model::aws::RouteTable>> DescribeRouteTables(const CallContext& ctx,
                                                                  const DescribeRouteTablesRequest& req) override;
  Result<std::vector<model::aws::SecurityGroup>> DescribeSecurityGroups(
      const CallContext& ctx, const DescribeSecurityGroupsRequest& req) override;
  Result<CreateSecurityGroupResponse> CreateSecurityGroup(const CallContext& ctx,
                                                          const CreateSecurityGroupRequest& req) override;
  Status DeleteSecurityGroup(const CallContext& ctx, const std::string& group_id) override;
  Status AuthorizeSecurityGroupIngress(const CallContext& ctx, const SecurityGroupIngressRequest& req) override;
  Status RevokeSecurityGroupIngress(const CallContext& ctx, const SecurityGroupIngressRequest& req) override;
  Status CreateTags(const CallContext& ctx, const CreateTagsRequest& req) override;
  Status DeleteTags(const CallContext& ctx, const DeleteTagsRequest& req) override;
  Result<std::vector<model::aws::Instance>> DescribeInstances(const CallContext& ctx,
                                                              const DescribeInstancesRequest& req) override;
  Result<std::vector<model::aws::NetworkInterface>> DescribeNetworkInterfaces(
      const CallContext& ctx, const DescribeNetworkInterfacesRequest& req) override;

  // IAM for calls made with a principal (borrowed; null = allow everything, the default).
  void SetAuthorizer(Authorizer* authorizer);

  // --- World setup (scenario loader; not logged, no faults) -----------------------------------
  // Each Add* replaces an existing object with the same id. Errors: kInvalidArgument (bad id
  // prefix, bad CIDR, unknown VPC/subnet/SG referenced), never for a well-formed world.

  // A VPC gets a main route table ("rtb-" + derived id) with the local route.
  Status AddVpc(model::aws::Vpc vpc);
  // Fills SubnetArn, OwnerId, AvailabilityZoneId (from the AZ letter: "usw2-az1" for
  // "us-west-2a") and AvailableIpAddressCount (CIDR size - 5) when left empty / 0.
  // `public_subnet`: associates the subnet with the VPC's internet route table (created on first
  // use, route 0.0.0.0/0 → "igw-…"), as a public subnet is in a real VPC.
  Status AddSubnet(model::aws::Subnet subnet, bool public_subnet);
  Status AddRouteTable(model::aws::RouteTable table);
  // Security groups referenced must exist. Creates its primary ENI when network_interface_ids is
  // empty.
  Status AddInstance(model::aws::Instance instance);
  Status AddNetworkInterface(model::aws::NetworkInterface eni);
  // A security group created by the world (e.g. the EKS cluster SG / node SG), with the given id
  // or a generated one when group_id is empty. Returns the id.
  Result<std::string> AddSecurityGroup(model::aws::SecurityGroup group);

  // --- Simulator side ------------------------------------------------------------------------

  // Who else holds security groups (FakeElbv2::IsSecurityGroupInUse): DeleteSecurityGroup fails
  // with DependencyViolation while this returns true.
  void SetSecurityGroupInUseProbe(std::function<bool(const std::string& group_id)> probe);

  // Pod IPs (VPC CNI): adds / removes a secondary private IP on the instance's primary ENI, so
  // DescribeNetworkInterfaces(addresses.private-ip-address) finds it. Errors: kNotFound.
  Status AssignPrivateIpAddressForSim(const std::string& instance_id, const std::string& ip);
  Status UnassignPrivateIpAddressForSim(const std::string& instance_id, const std::string& ip);
  // "pending" | "running" | "stopping" | "stopped" | "terminated". Errors: kNotFound.
  Status SetInstanceStateForSim(const std::string& instance_id, const std::string& state);

  std::optional<model::aws::Vpc> VpcForSim(const std::string& vpc_id) const;
  std::optional<model::aws::Subnet> SubnetForSim(const std::string& subnet_id) const;
  std::optional<model::aws::SecurityGroup> SecurityGroupForSim(const std::string& group_id) const;
  std::optional<model::aws::Instance> InstanceForSim(const std::string& instance_id) const;
  // The same without a copy: null when absent; valid until the next change to EC2's instances.
  const model::aws::Instance* FindInstanceForSim(const std::string& instance_id) const;
  // True iff the subnet's route table (explicit association, else the VPC main table) has a route
  // to an internet gateway ("igw-…").
  bool SubnetIsPublicForSim(const std::string& subnet_id) const;
  // True iff `ip` (IPv4 dotted quad) lies in one of the VPC's IPv4 CIDRs.
  bool VpcContainsIpForSim(const std::string& vpc_id, const std::string& ip) const;

  std::vector<model::aws::SecurityGroup> SecurityGroupsForSim() const;  // by id
  size_t security_group_count() const;

  Quotas& mutable_quotas();
  const FakeEc2Options& options() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// IPv4 helpers shared by the fakes (exposed for tests).
// Parses "a.b.c.d" → host-order uint32. False on malformed input.
bool ParseIpv4(const std::string& text, uint32_t* out);
// Parses "a.b.c.d/n" (0 ≤ n ≤ 32). False on malformed input.
bool ParseCidr4(const std::string& text, uint32_t* network, int* prefix);
// "100.68.0.18/18" → "100.68.0.0/18"; "" when malformed.
std::string CanonicalCidr4(const std::string& text);
// Canonical IPv6 CIDR (lower-case, zero-compressed); "" when malformed.
std::string CanonicalCidr6(const std::string& text);

}  // namespace sim::aws
