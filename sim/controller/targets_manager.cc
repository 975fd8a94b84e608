// Mirrors upstream pkg/targetgroupbinding/targets_manager.go and targets_manager_types.go.
#include "sim/controller/targets_manager.h"

#include <algorithm>
#include <compare>
#include <numeric>
#include <string_view>
#include <unordered_set>

#include "sim/base/match.h"
#include "sim/base/sort.h"

namespace sim::controller {

namespace ma = model::aws;

std::string UniqueIDForTargetDescription(const ma::TargetDescription& t) {
  std::string out;
  out.reserve(t.id.size() + 12);
  AppendUniqueIDForTargetDescription(t, &out);
  return out;
}

void AppendUniqueIDForTargetDescription(const ma::TargetDescription& t, std::string* out) {
  out->append(t.id).push_back(':');
  AppendDecimal(out, t.port.value_or(0));
}

std::string TargetInfo::GetIdentifier() const { return UniqueIDForTargetDescription(target); }
void TargetInfo::AppendIdentifier(std::string* out) const { AppendUniqueIDForTargetDescription(target, out); }

std::vector<std::vector<ma::TargetDescription>> ChunkTargetDescriptions(const std::vector<ma::TargetDescription>& targets,
                                                                        int chunk_size) {
  std::vector<std::vector<ma::TargetDescription>> chunks;
  const size_t n = chunk_size <= 0 ? std::max<size_t>(targets.size(), 1) : static_cast<size_t>(chunk_size);
  for (size_t i = 0; i < targets.size(); i += n) {
    chunks.emplace_back(targets.begin() + static_cast<std::ptrdiff_t>(i),
                        targets.begin() + static_cast<std::ptrdiff_t>(std::min(targets.size(), i + n)));
  }
  return chunks;
}

std::vector<ma::TargetDescription> TargetByIdPort(const std::vector<ma::TargetDescription>& targets) {
  std::vector<ma::TargetDescription> out;
  out.reserve(targets.size());
  for (const auto& t : targets) out.push_back(ma::TargetDescription{t.id, t.port, std::nullopt});
  return out;
}

bool ContainsTargetsInInitialState(const std::vector<TargetInfo>& targets) {
  return std::any_of(targets.begin(), targets.end(), [](const TargetInfo& t) { return t.IsInitial(); });
}

bool IsAZValidationError(const Error& error) {
  return error.aws_code == "ValidationError" && error.message.find("Availability Zone") != std::string::npos;
}

CachedTargetsManager::Entry* CachedTargetsManager::LiveEntry(const std::string& tg_arn) {
  auto it = cache_.find(tg_arn);
  if (it == cache_.end()) return nullptr;
  if (deps_.clock.Now() >= it->second.expires) {  // cache.Expiring drops expired entries
    cache_.erase(it);
    return nullptr;
  }
  return &it->second;
}

Status CachedTargetsManager::RegisterTargets(const std::string& tg_arn, const std::vector<ma::TargetDescription>& targets) {
  for (auto& chunk : ChunkTargetDescriptions(targets, options_.register_targets_chunk_size)) {
    aws::TargetsRequest req;
    req.target_group_arn = tg_arn;
    req.targets = std::move(chunk);  // the chunk is the request's (not copied again)
    LogInfo(deps_, "registering targets " + tg_arn);
    Status s = deps_.elbv2.RegisterTargets(deps_.call_context, req);
    if (!s.ok()) return Elbv2Error("RegisterTargets", s.error());
    LogInfo(deps_, "registered targets " + tg_arn);
    RecordSuccessfulRegisterTargetsOperation(tg_arn, req.targets);
  }
  return OkStatus();
}

Status CachedTargetsManager::DeregisterTargets(const std::string& tg_arn, const std::vector<ma::TargetDescription>& targets) {
  for (auto& chunk : ChunkTargetDescriptions(targets, options_.deregister_targets_chunk_size)) {
    aws::TargetsRequest req;
    req.target_group_arn = tg_arn;
    req.targets = std::move(chunk);
    LogInfo(deps_, "deRegistering targets " + tg_arn);
    Status s = deps_.elbv2.DeregisterTargets(deps_.call_context, req);
    if (!s.ok()) return Elbv2Error("DeregisterTargets", s.error());
    LogInfo(deps_, "deRegistered targets " + tg_arn);
    RecordSuccessfulDeregisterTargetsOperation(tg_arn, req.targets);
  }
  return OkStatus();
}

Result<std::vector<TargetInfo>> CachedTargetsManager::ListTargets(const std::string& tg_arn) {
  if (Entry* e = LiveEntry(tg_arn)) {
    SIM_ASSIGN_OR_RETURN(auto refreshed, RefreshUnhealthyTargets(tg_arn, e->targets));
    e->targets = refreshed;
    return refreshed;
  }
  SIM_ASSIGN_OR_RETURN(auto all, ListTargetsFromAWS(tg_arn, {}));
  cache_[tg_arn] = Entry{all, deps_.clock.Now() + options_.targets_cache_ttl};
  return all;
}

Result<std::vector<TargetInfo>> CachedTargetsManager::RefreshUnhealthyTargets(const std::string& tg_arn,
                                                                              const std::vector<TargetInfo>& cached) {
  std::vector<TargetInfo> refreshed;
  std::vector<ma::TargetDescription> unhealthy;
  for (const auto& t : cached) {
    if (t.IsHealthy()) {
      refreshed.push_back(t);
    } else {
      unhealthy.push_back(t.target);
    }
  }
  if (unhealthy.empty()) return refreshed;
  SIM_ASSIGN_OR_RETURN(auto fresh, ListTargetsFromAWS(tg_arn, unhealthy));
  for (auto& t : fresh) {
    if (t.IsNotRegistered()) continue;
    refreshed.push_back(std::move(t));
  }
  return refreshed;
}

Result<std::vector<TargetInfo>> CachedTargetsManager::ListTargetsFromAWS(const std::string& tg_arn,
                                                                         const std::vector<ma::TargetDescription>& targets) {
  aws::DescribeTargetHealthRequest req;
  req.target_group_arn = tg_arn;
  req.targets = TargetByIdPort(targets);
  auto r = deps_.elbv2.DescribeTargetHealth(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("DescribeTargetHealth", r.error());
  std::vector<TargetInfo> out;
  out.reserve(r.value().size());
  for (const auto& d : r.value()) out.push_back(TargetInfo{d.target, Interned(d.target_health)});
  return out;
}

std::shared_ptr<const ma::TargetHealth> CachedTargetsManager::Interned(const ma::TargetHealth& h) {
  const auto key = std::make_tuple(std::string_view(h.state), std::string_view(h.reason), std::string_view(h.description));
  auto it = healths_.find(key);
  if (it == healths_.end()) {
    it = healths_.emplace(std::make_tuple(h.state, h.reason, h.description), std::make_shared<const ma::TargetHealth>(h)).first;
  }
  return it->second;
}

std::shared_ptr<const ma::TargetHealth> HealthOf(const std::optional<ma::TargetHealth>& h) {
  return h ? std::make_shared<const ma::TargetHealth>(*h) : nullptr;
}

namespace {

// A target's UniqueID as (Id, Port): the port is the digits after the last ':' of "<id>:<port>",
// so two targets have the same UniqueID exactly when they have the same pair.
struct IdPort {
  std::string_view id;
  int port = 0;
  auto operator<=>(const IdPort&) const = default;  // by id, then port
};
struct IdPortHash {
  size_t operator()(const IdPort& k) const { return std::hash<std::string_view>()(k.id) * 31 + static_cast<size_t>(k.port); }
};
IdPort IdPortOf(const ma::TargetDescription& t) { return IdPort{t.id, t.port.value_or(0)}; }

}  // namespace

void CachedTargetsManager::RecordSuccessfulRegisterTargetsOperation(const std::string& tg_arn,
                                                                    const std::vector<ma::TargetDescription>& targets) {
  Entry* e = LiveEntry(tg_arn);
  if (e == nullptr) return;
  // Request order instead of Go's map order: deterministic, and upstream's tests compare as a set.
  // The request's targets as indexes sorted by (Id, Port) (no hash node per target): a run of equal
  // keys is one target, in the place of its first and with the description of its last (a later
  // duplicate wins, as in the Go map).
  std::vector<uint32_t> order(targets.size());
  std::iota(order.begin(), order.end(), 0u);
  StableSortUnlessSorted(order.begin(), order.end(),
                         [&](uint32_t a, uint32_t b) { return IdPortOf(targets[a]) < IdPortOf(targets[b]); });
  std::vector<const ma::TargetDescription*> pending(targets.size(), nullptr);  // by place in the request
  size_t left = 0;                                                           // targets not cached yet
  for (size_t first = 0, past = 0; first < order.size(); first = past) {
    for (past = first + 1; past < order.size() && IdPortOf(targets[order[past]]) == IdPortOf(targets[order[first]]); ++past) {
    }
    pending[order[first]] = &targets[order[past - 1]];
    ++left;
  }
  for (auto& cached : e->targets) {
    if (left == 0) break;
    const IdPort k = IdPortOf(cached.target);
    auto f = std::lower_bound(order.begin(), order.end(), k,
                              [&](uint32_t i, const IdPort& x) { return IdPortOf(targets[i]) < x; });
    if (f == order.end() || IdPortOf(targets[*f]) != k || pending[*f] == nullptr) continue;  // none, or matched already
    cached.health.reset();
    pending[*f] = nullptr;
    --left;
  }
  const size_t needed = e->targets.size() + left;  // grown once, geometrically
  if (needed > e->targets.capacity()) e->targets.reserve(std::max(needed, 2 * e->targets.capacity()));
  for (const auto* t : pending) {
    if (t != nullptr) e->targets.push_back(TargetInfo{*t, nullptr});
  }
}

void CachedTargetsManager::RecordSuccessfulDeregisterTargetsOperation(const std::string& tg_arn,
                                                                      const std::vector<ma::TargetDescription>& targets) {
  Entry* e = LiveEntry(tg_arn);
  if (e == nullptr) return;
  std::unordered_set<IdPort, IdPortHash> by_id;
  by_id.reserve(targets.size());
  for (const auto& t : targets) by_id.insert(IdPortOf(t));
  for (auto& cached : e->targets) {
    if (by_id.empty()) break;
    auto f = by_id.find(IdPortOf(cached.target));
    if (f == by_id.end()) continue;
    cached.health.reset();
    by_id.erase(f);
  }
}

std::map<std::string, std::vector<TargetInfo>> CachedTargetsManager::CacheSnapshot() const {
  std::map<std::string, std::vector<TargetInfo>> out;
  for (const auto& [arn, e] : cache_) {
    if (deps_.clock.Now() < e.expires) out[arn] = e.targets;
  }
  return out;
}

void CachedTargetsManager::SetCacheEntry(const std::string& tg_arn, std::vector<TargetInfo> targets) {
  cache_[tg_arn] = Entry{std::move(targets), deps_.clock.Now() + options_.targets_cache_ttl};
}

}  // namespace sim::controller
