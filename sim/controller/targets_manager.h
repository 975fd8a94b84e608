#pragma once
// Mirrors upstream pkg/targetgroupbinding/targets_manager.go and targets_manager_types.go: targets
// of a TG cached 5 minutes (sim clock); on a cache hit only the non-healthy targets are
// re-described (by Id and Port only). Register/Deregister in chunks of 200 and update the cache.
// Upstream calls elbv2Client.AssumeRole(tgb.Spec.IamRoleArnToAssume, ...) before every API call;
// the simulator's TargetGroupBindings carry no role, so the controller's own client is used.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "models/aws/elbv2.h"
#include "sim/controller/deploy_deps.h"

namespace sim::controller {

struct TargetInfo {
  model::aws::TargetDescription target;
  // null = unknown (Go nil). Immutable and shared: the targets of a TG mostly report the same few
  // healths, and CachedTargetsManager keeps one copy per distinct DescribeTargetHealth answer, so
  // the targets it lists share a handful of them (HealthOf makes a copy of its own).
  std::shared_ptr<const model::aws::TargetHealth> health;

  std::string GetIdentifier() const;  // "<id>:<port>"
  void AppendIdentifier(std::string* out) const;  // the same, appended to `out`
  bool IsHealthy() const { return health && health->state == model::aws::kTargetStateHealthy; }
  bool IsNotRegistered() const {
    return health && health->state == model::aws::kTargetStateUnused && health->reason == "Target.NotRegistered";
  }
  bool IsDraining() const { return health && (health->state == "draining" || health->state == "unhealthy.draining"); }
  bool IsInitial() const { return health && health->state == model::aws::kTargetStateInitial; }
  // Equal targets and equal healths (by value: two unknown healths are equal).
  bool operator==(const TargetInfo& o) const {
    return target == o.target && (health == o.health || (health && o.health && *health == *o.health));
  }
};

// A shared copy of `h` (null for nullopt), for building a TargetInfo.
std::shared_ptr<const model::aws::TargetHealth> HealthOf(const std::optional<model::aws::TargetHealth>& h);

// upstream UniqueIDForTargetDescription: "<id>:<port>".
std::string UniqueIDForTargetDescription(const model::aws::TargetDescription& t);
void AppendUniqueIDForTargetDescription(const model::aws::TargetDescription& t, std::string* out);
// upstream chunkTargetDescriptions (chunk_size <= 0 is treated as one chunk, Go would not end).
std::vector<std::vector<model::aws::TargetDescription>> ChunkTargetDescriptions(
    const std::vector<model::aws::TargetDescription>& targets, int chunk_size);
// upstream targetByIdPort: Id and Port only (no AvailabilityZone).
std::vector<model::aws::TargetDescription> TargetByIdPort(const std::vector<model::aws::TargetDescription>& targets);

// From upstream pkg/targetgroupbinding/resource_manager.go: whether any matched target is still
// "initial" (the readiness-gate requeue), and whether RegisterTargets failed because an IP target
// outside the VPC needs an AvailabilityZone (ValidationError naming "Availability Zone").
bool ContainsTargetsInInitialState(const std::vector<TargetInfo>& targets);
bool IsAZValidationError(const Error& error);

class CachedTargetsManager {
 public:
  static constexpr SimTime kTargetsCacheTTL{5 * 60 * 1000};
  static constexpr int kChunkSize = 200;

  struct Options {
    SimTime targets_cache_ttl = kTargetsCacheTTL;
    int register_targets_chunk_size = kChunkSize;
    int deregister_targets_chunk_size = kChunkSize;
  };

  explicit CachedTargetsManager(DeployDeps deps) : deps_(std::move(deps)) {}
  CachedTargetsManager(DeployDeps deps, Options options) : deps_(std::move(deps)), options_(options) {}

  Status RegisterTargets(const std::string& tg_arn, const std::vector<model::aws::TargetDescription>& targets);
  Status DeregisterTargets(const std::string& tg_arn, const std::vector<model::aws::TargetDescription>& targets);
  Result<std::vector<TargetInfo>> ListTargets(const std::string& tg_arn);

  // Package-internal steps of upstream, public for the conformance runner.
  Result<std::vector<TargetInfo>> RefreshUnhealthyTargets(const std::string& tg_arn,
                                                          const std::vector<TargetInfo>& cached);
  // Empty `targets` = every registered target.
  Result<std::vector<TargetInfo>> ListTargetsFromAWS(const std::string& tg_arn,
                                                     const std::vector<model::aws::TargetDescription>& targets);
  void RecordSuccessfulRegisterTargetsOperation(const std::string& tg_arn,
                                                const std::vector<model::aws::TargetDescription>& targets);
  void RecordSuccessfulDeregisterTargetsOperation(const std::string& tg_arn,
                                                  const std::vector<model::aws::TargetDescription>& targets);

  // The live (unexpired) cache: tgARN -> targets.
  std::map<std::string, std::vector<TargetInfo>> CacheSnapshot() const;
  // Sets a cache entry expiring after the TTL (test set-up).
  void SetCacheEntry(const std::string& tg_arn, std::vector<TargetInfo> targets);

 private:
  // The one shared copy of a health value DescribeTargetHealth answered (few distinct ones).
  std::shared_ptr<const model::aws::TargetHealth> Interned(const model::aws::TargetHealth& h);
  std::map<std::tuple<std::string, std::string, std::string>, std::shared_ptr<const model::aws::TargetHealth>, std::less<>>
      healths_;  // by (state, reason, description); looked up with views

  struct Entry {
    std::vector<TargetInfo> targets;
    SimTime expires;
  };
  Entry* LiveEntry(const std::string& tg_arn);

  DeployDeps deps_;
  Options options_;
  std::map<std::string, Entry> cache_;
};

}  // namespace sim::controller
