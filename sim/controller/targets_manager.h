#pragma once
// Mirrors upstream pkg/targetgroupbinding/targets_manager.go and targets_manager_types.go: targets
// of a TG cached 5 minutes (sim clock); on a cache hit only the non-healthy targets are
// re-described. Register/Deregister in chunks of 200 and update the cache.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/aws/elbv2.h"
#include "sim/controller/deploy_deps.h"

namespace sim::controller {

struct TargetInfo {
  model::aws::TargetDescription target;
  std::optional<model::aws::TargetHealth> health;  // nullopt = unknown

  std::string GetIdentifier() const;  // "<id>:<port>"
  bool IsHealthy() const { return health && health->state == model::aws::kTargetStateHealthy; }
  bool IsNotRegistered() const {
    return health && health->state == model::aws::kTargetStateUnused && health->reason == "Target.NotRegistered";
  }
  bool IsDraining() const { return health && (health->state == "draining" || health->state == "unhealthy.draining"); }
  bool IsInitial() const { return health && health->state == model::aws::kTargetStateInitial; }
};

class CachedTargetsManager {
 public:
  static constexpr SimTime kTargetsCacheTTL{5 * 60 * 1000};
  static constexpr size_t kChunkSize = 200;

  explicit CachedTargetsManager(DeployDeps deps) : deps_(std::move(deps)) {}

  Status RegisterTargets(const std::string& tg_arn, const std::vector<model::aws::TargetDescription>& targets);
  Status DeregisterTargets(const std::string& tg_arn, const std::vector<model::aws::TargetDescription>& targets);
  Result<std::vector<TargetInfo>> ListTargets(const std::string& tg_arn);

 private:
  Result<std::vector<TargetInfo>> ListFromAWS(const std::string& tg_arn,
                                              const std::vector<model::aws::TargetDescription>& targets);

  DeployDeps deps_;
  struct Entry {
    std::vector<TargetInfo> targets;
    SimTime expires;
  };
  std::map<std::string, Entry> cache_;
};

}  // namespace sim::controller
