#pragma once
// Mirrors upstream pkg/networking/backend_sg_provider.go over the Ec2Api and KubeApi.
//
// Get: `--backend-security-group` if set; else the auto-generated SG — found by EC2 filters
// vpc-id + tag:elbv2.k8s.aws/cluster + tag:elbv2.k8s.aws/resource=backend-sg (first match, tags
// reconciled) or created (`k8s-traffic-<cluster>-<hash>`). Release: records the resources as not
// needing it, and deletes the SG (DependencyViolation retried every 2s for 2 min) when no tracked
// resource needs it and no Ingress/Service with a controller finalizer is untracked.
// The tracking map lives in memory: a restarted controller starts with an empty map.

#include <map>
#include <string>
#include <vector>

#include "sim/controller/deploy_deps.h"
#include "sim/controller/model_build_deps.h"

namespace sim::controller {

class AwsBackendSGProvider final : public BackendSGProvider {
 public:
  static constexpr SimTime kSGDeletionPollInterval{2000};
  static constexpr SimTime kSGDeletionTimeout{120000};

  AwsBackendSGProvider(DeployDeps deps, std::string cluster_name, std::string backend_sg, std::string vpc_id,
                       std::map<std::string, std::string> default_tags)
      : deps_(std::move(deps)),
        cluster_name_(std::move(cluster_name)),
        backend_sg_(std::move(backend_sg)),
        vpc_id_(std::move(vpc_id)),
        default_tags_(std::move(default_tags)) {}

  // BackendSGProvider
  Result<std::string> Get(const std::string& resource_type, const std::vector<std::string>& active_resources) override;
  Status Release(const std::string& resource_type, const std::vector<std::string>& inactive_resources) override;

  // `k8s-traffic-%.232s-%.10s` (sanitised cluster name, sha256(cluster name)).
  std::string BackendSGName() const;
  const std::string& auto_generated_sg() const { return auto_generated_sg_; }

 private:
  Status Allocate(const std::string& resource_type, const std::vector<std::string>& active_resources);
  Result<bool> IsBackendSGRequired();
  Status ReleaseSG();
  TagMap DesiredTags() const;

  DeployDeps deps_;
  std::string cluster_name_;
  std::string backend_sg_;
  std::string vpc_id_;
  std::map<std::string, std::string> default_tags_;
  std::string auto_generated_sg_;
  std::map<std::string, bool> objects_;  // "<type>/<ns>/<name>" → backend SG required
};

}  // namespace sim::controller
