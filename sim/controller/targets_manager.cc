// Mirrors upstream pkg/targetgroupbinding/targets_manager.go and targets_manager_types.go.
#include "sim/controller/targets_manager.h"

#include <algorithm>

namespace sim::controller {

namespace ma = model::aws;

namespace {

std::string UniqueID(const ma::TargetDescription& t) { return t.id + ":" + std::to_string(t.port.value_or(0)); }

}  // namespace

std::string TargetInfo::GetIdentifier() const { return UniqueID(target); }

Result<std::vector<TargetInfo>> CachedTargetsManager::ListFromAWS(const std::string& tg_arn,
                                                                  const std::vector<ma::TargetDescription>& targets) {
  aws::DescribeTargetHealthRequest req;
  req.target_group_arn = tg_arn;
  for (const auto& t : targets) req.targets.push_back(ma::TargetDescription{t.id, t.port, std::nullopt});
  auto r = deps_.elbv2.DescribeTargetHealth(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("DescribeTargetHealth", r.error());
  std::vector<TargetInfo> out;
  for (const auto& d : r.value()) out.push_back(TargetInfo{d.target, d.target_health});
  return out;
}

Result<std::vector<TargetInfo>> CachedTargetsManager::ListTargets(const std::string& tg_arn) {
  SimTime now = deps_.clock.Now();
  auto it = cache_.find(tg_arn);
  if (it != cache_.end() && now < it->second.expires) {
    std::vector<TargetInfo> refreshed;
    std::vector<ma::TargetDescription> unhealthy;
    for (const auto& t : it->second.targets) {
      if (t.IsHealthy()) {
        refreshed.push_back(t);
      } else {
        unhealthy.push_back(t.target);
      }
    }
    if (!unhealthy.empty()) {
      SIM_ASSIGN_OR_RETURN(auto fresh, ListFromAWS(tg_arn, unhealthy));
      for (auto& t : fresh) {
        if (!t.IsNotRegistered()) refreshed.push_back(t);
      }
    }
    it->second.targets = refreshed;
    return refreshed;
  }
  SIM_ASSIGN_OR_RETURN(auto all, ListFromAWS(tg_arn, {}));
  cache_[tg_arn] = Entry{all, now + kTargetsCacheTTL};
  return all;
}

Status CachedTargetsManager::RegisterTargets(const std::string& tg_arn, const std::vector<ma::TargetDescription>& targets) {
  for (size_t i = 0; i < targets.size(); i += kChunkSize) {
    aws::TargetsRequest req;
    req.target_group_arn = tg_arn;
    req.targets.assign(targets.begin() + static_cast<std::ptrdiff_t>(i),
                       targets.begin() + static_cast<std::ptrdiff_t>(std::min(targets.size(), i + kChunkSize)));
    LogInfo(deps_, "registering targets " + tg_arn);
    Status s = deps_.elbv2.RegisterTargets(deps_.call_context, req);
    if (!s.ok()) return Elbv2Error("RegisterTargets", s.error());
    auto it = cache_.find(tg_arn);
    if (it == cache_.end() || deps_.clock.Now() >= it->second.expires) continue;
    std::map<std::string, ma::TargetDescription> by_id;
    for (const auto& t : req.targets) by_id[UniqueID(t)] = t;
    for (auto& cached : it->second.targets) {
      auto f = by_id.find(UniqueID(cached.target));
      if (f != by_id.end()) {
        cached.health.reset();
        by_id.erase(f);
      }
    }
    for (auto& [id, t] : by_id) it->second.targets.push_back(TargetInfo{t, std::nullopt});
  }
  return OkStatus();
}

Status CachedTargetsManager::DeregisterTargets(const std::string& tg_arn, const std::vector<ma::TargetDescription>& targets) {
  for (size_t i = 0; i < targets.size(); i += kChunkSize) {
    aws::TargetsRequest req;
    req.target_group_arn = tg_arn;
    req.targets.assign(targets.begin() + static_cast<std::ptrdiff_t>(i),
                       targets.begin() + static_cast<std::ptrdiff_t>(std::min(targets.size(), i + kChunkSize)));
    LogInfo(deps_, "deRegistering targets " + tg_arn);
    Status s = deps_.elbv2.DeregisterTargets(deps_.call_context, req);
    if (!s.ok()) return Elbv2Error("DeregisterTargets", s.error());
    auto it = cache_.find(tg_arn);
    if (it == cache_.end() || deps_.clock.Now() >= it->second.expires) continue;
    std::map<std::string, bool> by_id;
    for (const auto& t : req.targets) by_id[UniqueID(t)] = true;
    for (auto& cached : it->second.targets) {
      if (by_id.count(UniqueID(cached.target))) cached.health.reset();
    }
  }
  return OkStatus();
}

}  // namespace sim::controller
