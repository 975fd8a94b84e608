#pragma once
// The AWS-facing collaborators of the Ingress model builder, as small interfaces (upstream
// pkg/networking/subnet_resolver.go SubnetsResolver, pkg/networking/backend_sg_provider.go
// BackendSGProvider, pkg/networking/security_group_resolver.go SecurityGroupResolver,
// pkg/certs/cert_discovery.go CertDiscovery, pkg/shared_utils/target_group_arn_mapper.go
// TargetGroupARNMapper, pkg/deploy/elbv2/tagging_manager.go ListLoadBalancers,
// shared_utils.GetTrustStoreArnFromName, the WAFv2 name→ARN mapper of pkg/ingress/model_builder.go).
//
// The conformance runner implements them as mocks; the controller wiring implements them over the
// fake AWS. DefaultSecurityGroupResolver and DefaultTargetGroupARNMapper are the real upstream
// logic over a single describe call each.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/aws/ec2.h"
#include "models/aws/elbv2.h"
#include "sim/aws/ec2_api.h"
#include "sim/aws/elbv2_api.h"
#include "sim/base/status.h"

namespace sim::controller {

// upstream networking.SubnetsResolveOptions.
struct SubnetsResolveOptions {
  std::string lb_type = "application";
  std::string lb_scheme = "internet-facing";
  std::string lb_ip_address_type = "ipv4";
};

// upstream v1beta1.SubnetSelector (IngressClassParams spec.subnets).
struct SubnetSelector {
  std::vector<std::string> ids;
  std::map<std::string, std::vector<std::string>> tags;
  bool operator==(const SubnetSelector&) const = default;
};

class SubnetsResolver {
 public:
  virtual ~SubnetsResolver() = default;
  // Auto-discovery by role tags / reachability. Subnets sorted as upstream returns them.
  virtual Result<std::vector<model::aws::Subnet>> ResolveViaDiscovery(const SubnetsResolveOptions& opts) = 0;
  virtual Result<std::vector<model::aws::Subnet>> ResolveViaSelector(const SubnetSelector& selector,
                                                                     const SubnetsResolveOptions& opts) = 0;
  virtual Result<std::vector<model::aws::Subnet>> ResolveViaNameOrIDSlice(const std::vector<std::string>& name_or_ids,
                                                                          const SubnetsResolveOptions& opts) = 0;
};

// upstream networking.ResourceType.
inline constexpr const char* kResourceTypeIngress = "ingress";
inline constexpr const char* kResourceTypeService = "service";

class BackendSGProvider {
 public:
  virtual ~BackendSGProvider() = default;
  // The shared backend SG ID (found or created); `active_resources` are "<ns>/<name>" of the
  // group's members.
  virtual Result<std::string> Get(const std::string& resource_type, const std::vector<std::string>& active_resources) = 0;
  // Releases the auto-created backend SG when nothing needs it any more.
  virtual Status Release(const std::string& resource_type, const std::vector<std::string>& inactive_resources) = 0;
};

class SecurityGroupResolver {
 public:
  virtual ~SecurityGroupResolver() = default;
  // IDs (`sg-...`) are checked to exist, names resolved by tag Name in the VPC. Error
  // `couldn't find all security groups: requested ids [a, b] but found [a]`.
  virtual Result<std::vector<std::string>> ResolveViaNameOrID(const std::vector<std::string>& sg_name_or_ids) = 0;
};

// EC2 DescribeSecurityGroups (all pages).
using DescribeSecurityGroupsFn =
    std::function<Result<std::vector<model::aws::SecurityGroup>>(const aws::DescribeSecurityGroupsRequest&)>;

// upstream defaultSecurityGroupResolver.
class DefaultSecurityGroupResolver final : public SecurityGroupResolver {
 public:
  DefaultSecurityGroupResolver(DescribeSecurityGroupsFn describe, std::string vpc_id)
      : describe_(std::move(describe)), vpc_id_(std::move(vpc_id)) {}
  // SecurityGroupResolver
  Result<std::vector<std::string>> ResolveViaNameOrID(const std::vector<std::string>& sg_name_or_ids) override;

 private:
  DescribeSecurityGroupsFn describe_;
  std::string vpc_id_;
};

class CertDiscovery {
 public:
  virtual ~CertDiscovery() = default;
  // Certificate ARNs covering every host (`no certificate found for host: <h>`); `stack_tags` are
  // the stack's tracking tags (used only for auto-created certificates).
  virtual Result<std::vector<std::string>> Discover(const std::vector<std::string>& tls_hosts,
                                                    const std::map<std::string, std::string>& stack_tags) = 0;
};

class TargetGroupARNMapper {
 public:
  virtual ~TargetGroupARNMapper() = default;
  virtual Result<std::string> GetArnByName(const std::string& target_group_name) = 0;
};

// ELBv2 DescribeTargetGroups by names (all pages).
using DescribeTargetGroupsFn =
    std::function<Result<std::vector<model::aws::TargetGroup>>(const aws::DescribeTargetGroupsRequest&)>;

// upstream targetGroupNameToArnMapper: name→ARN cache (20 min upstream; entries here never expire
// within one mapper unless Expire is called), DescribeTargetGroups{Names:[name]} on a miss,
// `expecting a single targetGroup with query [<name>] but got <n>`.
class DefaultTargetGroupARNMapper final : public TargetGroupARNMapper {
 public:
  explicit DefaultTargetGroupARNMapper(DescribeTargetGroupsFn describe) : describe_(std::move(describe)) {}
  // TargetGroupARNMapper
  Result<std::string> GetArnByName(const std::string& target_group_name) override;

  std::map<std::string, std::string>& cache() { return cache_; }
  void Expire() { cache_.clear(); }

 private:
  DescribeTargetGroupsFn describe_;
  std::map<std::string, std::string> cache_;
};

// An existing load balancer of the stack (TaggingManager.ListLoadBalancers) as the builder needs it.
struct ExistingLoadBalancer {
  model::aws::LoadBalancer load_balancer;
  std::map<std::string, std::string> tags;
};
// Lists LBs whose tags contain every (key, value) of `stack_tags` (tracking.TagsAsTagFilter).
using ListLoadBalancersFn =
    std::function<Result<std::vector<ExistingLoadBalancer>>(const std::map<std::string, std::string>& stack_tags)>;

// shared_utils.GetTrustStoreArnFromName: trust store names → ARNs (DescribeTrustStores).
using TrustStoreArnsFn =
    std::function<Result<std::map<std::string, std::string>>(const std::vector<std::string>& names)>;

// WAFv2 ListWebACLs(REGIONAL) name → ARN; error when absent.
using WebACLArnByNameFn = std::function<Result<std::string>(const std::string& name)>;

}  // namespace sim::controller
