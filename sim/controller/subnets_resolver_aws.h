#pragma once
// Mirrors upstream pkg/networking/subnet_resolver.go (defaultSubnetsResolver) over the Ec2Api.
// Zone types: the simulated EC2 has no DescribeAvailabilityZones, so every subnet without an
// OutpostArn counts as locale "availability-zone".

#include <string>
#include <vector>

#include "sim/controller/deploy_deps.h"
#include "sim/controller/model_build_deps.h"

namespace sim::controller {

struct AwsSubnetsResolverOptions {
  std::string vpc_id;
  std::string cluster_name;
  bool subnets_cluster_tag_check = true;         // gate SubnetsClusterTagCheck
  bool alb_single_subnet = false;                // gate ALBSingleSubnet
  bool subnet_discovery_by_reachability = true;  // gate SubnetDiscoveryByReachability
  int minimal_available_ip_address_count = 8;
};

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

 private:
  Result<std::vector<model::aws::Subnet>> ListByIDs(const std::vector<std::string>& ids);
  Result<std::vector<model::aws::Subnet>> ListByNames(const std::vector<std::string>& names);
  Result<std::vector<model::aws::Subnet>> ListByTagFilters(const std::map<std::string, std::vector<std::string>>& filters);
  Result<std::vector<model::aws::Subnet>> ListByReachability(bool needs_public);
  Status ValidateSpecified(const std::vector<model::aws::Subnet>& subnets, const SubnetsResolveOptions& opts);
  Result<std::vector<model::aws::Subnet>> ChooseAndValidatePerAZ(const std::vector<model::aws::Subnet>& subnets,
                                                                 const SubnetsResolveOptions& opts);
  Result<std::string> ValidateLocaleUniformity(const std::vector<model::aws::Subnet>& subnets);
  Status ValidateMinimalCount(const std::vector<model::aws::Subnet>& subnets, const std::string& locale,
                              const SubnetsResolveOptions& opts);
  bool HasCurrentClusterTag(const model::aws::Subnet& s) const;
  bool HasEligibleClusterTag(const model::aws::Subnet& s) const;

  DeployDeps deps_;
  AwsSubnetsResolverOptions options_;
};

}  // namespace sim::controller
