#pragma once
// Mirrors upstream pkg/networking/subnet_resolver.go (defaultSubnetsResolver) over the Ec2Api,
// with the zone types of pkg/networking/az_info_provider.go behind AZInfoProvider.
//
// Subnet IPv6: model::aws::Subnet::ipv6_cidr_blocks holds only the associations in state
// "associated" (upstream isSubnetContainsIPv6CIDR skips the others), so "has an associated IPv6
// CIDR" is "ipv6_cidr_blocks is not empty".

#include <map>
#include <string>
#include <vector>

#include "sim/controller/deploy_deps.h"
#include "sim/controller/model_build_deps.h"

namespace sim::controller {

// upstream subnetLocaleType values.
inline constexpr const char* kSubnetLocaleAvailabilityZone = "availability-zone";
inline constexpr const char* kSubnetLocaleLocalZone = "local-zone";
inline constexpr const char* kSubnetLocaleWavelengthZone = "wavelength-zone";
inline constexpr const char* kSubnetLocaleOutpost = "outpost";

// ec2 AvailabilityZone {ZoneId, ZoneType} as FetchAZInfos returns it.
struct AZInfo {
  std::string zone_id;    // ZoneId
  std::string zone_type;  // ZoneType: "availability-zone" | "local-zone" | "wavelength-zone"
};

// upstream networking.AZInfoProvider.
class AZInfoProvider {
 public:
  virtual ~AZInfoProvider() = default;
  // Zone infos by zone ID for the given zone IDs.
  virtual Result<std::map<std::string, AZInfo>> FetchAZInfos(const std::vector<std::string>& zone_ids) = 0;
};

// AZInfoProvider of the simulated world. The fake EC2 has no DescribeAvailabilityZones, so the
// zone type comes from the zone ID's shape, as AWS names them: "usw2-az1" availability-zone,
// "usw2-lax1-az1" local-zone, "usw2-wl1-las-wlz1" wavelength-zone; "" counts as an AZ.
class ZoneIdAZInfoProvider final : public AZInfoProvider {
 public:
  // AZInfoProvider
  Result<std::map<std::string, AZInfo>> FetchAZInfos(const std::vector<std::string>& zone_ids) override;
  static std::string ZoneTypeOf(const std::string& zone_id);
};

struct AwsSubnetsResolverOptions {
  std::string vpc_id;
  std::string cluster_name;
  bool subnets_cluster_tag_check = true;         // gate SubnetsClusterTagCheck
  bool alb_single_subnet = false;                // gate ALBSingleSubnet
  bool subnet_discovery_by_reachability = true;  // gate SubnetDiscoveryByReachability
  int32_t minimal_available_ip_address_count = 8;
  AZInfoProvider* az_info_provider = nullptr;    // null: a ZoneIdAZInfoProvider owned by the resolver
};

// Why one subnet was not chosen (for reports: "the report names each rejected subnet and why").
struct SubnetRejection {
  std::string subnet_id;
  std::string reason;  // "tagged for other clusters", "insufficient available IP addresses (3 < 8)", ...
};

// The last resolution's candidates and rejections (empty before the first call).
struct SubnetResolution {
  std::string how;  // "role tag kubernetes.io/role/elb", "reachability (public)", "selector", "names or IDs"
  std::vector<std::string> candidates;  // candidate subnet IDs, in EC2's order
  std::vector<SubnetRejection> rejected;
  std::vector<std::string> chosen;
};

// upstream categorizeSubnetsByEligibilityResult.
struct SubnetsByEligibility {
  std::vector<model::aws::Subnet> eligible;
  std::vector<model::aws::Subnet> ineligible_cluster_tag;
  std::vector<model::aws::Subnet> insufficient_ips;
  std::vector<model::aws::Subnet> missing_ipv6_cidr;
};

// upstream package-level helpers.
bool IsIPv6CIDRRequired(const std::string& ip_address_type);
bool IsSubnetContainsIPv6CIDR(const model::aws::Subnet& subnet);
void SortSubnetsByID(std::vector<model::aws::Subnet>* subnets);
std::vector<std::string> ExtractSubnetIDs(const std::vector<model::aws::Subnet>& subnets);

class AwsSubnetsResolver final : public SubnetsResolver {
 public:
  AwsSubnetsResolver(DeployDeps deps, AwsSubnetsResolverOptions options)
      : deps_(std::move(deps)), options_(std::move(options)) {}

  // SubnetsResolver
  Result<std::vector<model::aws::Subnet>> ResolveViaDiscovery(const SubnetsResolveOptions& opts) override;
  Result<std::vector<model::aws::Subnet>> ResolveViaSelector(const SubnetSelector& selector,
                                                             const SubnetsResolveOptions& opts) override;
  Result<std::vector<model::aws::Subnet>> ResolveViaNameOrIDSlice(const std::vector<std::string>& name_or_ids,
                                                                  const SubnetsResolveOptions& opts) override;
  // upstream IsSubnetInLocalZoneOrOutpost.
  Result<bool> IsSubnetInLocalZoneOrOutpost(const std::string& subnet_id);

  // Unexported upstream steps, public for the conformance runner.
  std::vector<model::aws::Subnet> ChooseSubnetsPerAZ(const std::vector<model::aws::Subnet>& subnets) const;
  int ComputeSubnetsMinimalCount(const std::string& subnet_locale, const SubnetsResolveOptions& opts) const;
  Result<std::string> BuildSubnetLocaleType(const model::aws::Subnet& subnet);
  SubnetsByEligibility CategorizeSubnetsByEligibility(const std::vector<model::aws::Subnet>& subnets,
                                                      const SubnetsResolveOptions& opts) const;
  Status ValidateSubnetsIPv6CIDR(const std::vector<model::aws::Subnet>& subnets,
                                 const SubnetsResolveOptions& opts) const;

  const SubnetResolution& last_resolution() const { return last_; }
  // How many resolutions have started (tells whether a model build resolved subnets at all).
  uint64_t resolutions() const { return resolutions_; }

 private:
  Result<std::vector<model::aws::Subnet>> ListByIDs(const std::vector<std::string>& ids);
  Result<std::vector<model::aws::Subnet>> ListByNames(const std::vector<std::string>& names);
  Result<std::vector<model::aws::Subnet>> ListByNameOrIDs(const std::vector<std::string>& name_or_ids);
  Result<std::vector<model::aws::Subnet>> ListByTagFilters(const std::map<std::string, std::vector<std::string>>& filters);
  Result<std::vector<model::aws::Subnet>> ListByReachability(bool needs_public);
  Status ValidateSpecified(const std::vector<model::aws::Subnet>& subnets, const SubnetsResolveOptions& opts);
  Result<std::vector<model::aws::Subnet>> ChooseAndValidatePerAZ(const std::vector<model::aws::Subnet>& subnets,
                                                                 const SubnetsResolveOptions& opts);
  Result<std::string> ValidateLocaleUniformity(const std::vector<model::aws::Subnet>& subnets);
  Status ValidateMinimalCount(const std::vector<model::aws::Subnet>& subnets, const std::string& locale,
                              const SubnetsResolveOptions& opts) const;
  bool HasCurrentClusterTag(const model::aws::Subnet& s) const;
  bool HasEligibleClusterTag(const model::aws::Subnet& s) const;
  AZInfoProvider& az_info();
  void Begin(std::string how);

  DeployDeps deps_;
  AwsSubnetsResolverOptions options_;
  uint64_t resolutions_ = 0;
  ZoneIdAZInfoProvider default_az_info_;
  SubnetResolution last_;
};

}  // namespace sim::controller
