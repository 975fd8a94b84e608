// Mirrors upstream pkg/deploy/elbv2/tagging_manager.go and pkg/deploy/ec2/tagging_manager.go.
#include "sim/controller/tagging_manager.h"

#include <algorithm>
#include <cstdint>

namespace sim::controller {

namespace {

// tg.VpcId == vpc (an absent VpcId reads as ""), without a temporary string.
bool InVpc(const std::optional<std::string>& vpc_id, const std::string& vpc) {
  return vpc_id ? *vpc_id == vpc : vpc.empty();
}

void ApplyIgnored(const std::vector<std::string>& ignored, TagMap* update, TagMap* remove) {
  for (const std::string& k : ignored) {
    update->erase(k);
    remove->erase(k);
  }
}

// The by_tag_ key of one (key, value) pair.
std::string TagIndexKey(const std::string& key, const std::string& value) {
  std::string k;
  k.reserve(key.size() + 1 + value.size());
  return k.append(key).append(1, '\0').append(value);
}

}  // namespace

// ---------------------------------------------------------------------------------- ELBv2

Status Elbv2TaggingManager::ReconcileTags(const std::string& arn, const TagMap& desired,
                                          const ReconcileTagsOptions& opts) {
  TagMap current;
  if (opts.current_tags) {
    current = *opts.current_tags;
  } else {
    SIM_ASSIGN_OR_RETURN(auto by_arn, DescribeResourceTags({arn}));
    current = by_arn[arn];
  }
  TagMap to_update, to_remove;
  DiffStringMapIgnoreAWSTags(desired, current, &to_update, &to_remove);
  ApplyIgnored(opts.ignored_tag_keys, &to_update, &to_remove);
  if (!to_update.empty()) {
    aws::AddTagsRequest req;
    req.resource_arns = {arn};
    req.tags = ConvertTagsToSDKTags(to_update);
    LogInfo(deps_, "adding resource tags " + arn);
    Status s = deps_.elbv2.AddTags(deps_.call_context, req);
    if (!s.ok()) return Elbv2Error("AddTags", s.error());
    InvalidateResourceTagsCache(arn);
  }
  if (!to_remove.empty()) {
    aws::RemoveTagsRequest req;
    req.resource_arns = {arn};
    for (const auto& [k, v] : to_remove) req.tag_keys.push_back(k);
    LogInfo(deps_, "removing resource tags " + arn);
    Status s = deps_.elbv2.RemoveTags(deps_.call_context, req);
    if (!s.ok()) return Elbv2Error("RemoveTags", s.error());
    InvalidateResourceTagsCache(arn);
  }
  return OkStatus();
}

Result<std::map<std::string, TagMap>> Elbv2TaggingManager::DescribeResourceTagsFromAWS(
    const std::vector<std::string>& arns) {
  std::map<std::string, TagMap> out;
  const size_t chunk = chunk_size_ == 0 ? kDescribeTagsChunkSize : chunk_size_;
  for (size_t i = 0; i < arns.size(); i += chunk) {
    aws::DescribeTagsRequest req;
    size_t end = std::min(arns.size(), i + chunk);
    req.resource_arns.assign(arns.begin() + static_cast<std::ptrdiff_t>(i), arns.begin() + static_cast<std::ptrdiff_t>(end));
    auto r = deps_.elbv2.DescribeTags(deps_.call_context, req);
    if (!r.ok()) return Elbv2Error("DescribeTags", r.error());
    for (const auto& td : r.value()) out[td.resource_arn] = ConvertSDKTagsToTags(td.tags);
  }
  return out;
}

Result<std::map<std::string, TagMap>> Elbv2TaggingManager::DescribeResourceTags(const std::vector<std::string>& arns) {
  std::map<std::string, TagMap> out;
  std::vector<std::string> uncached;
  SimTime now = deps_.clock.Now();
  for (const std::string& arn : arns) {
    auto it = cache_.find(arn);
    if (it != cache_.end() && now < it->second.expires) {
      out[arn] = it->second.tags;
    } else {
      uncached.push_back(arn);
    }
  }
  SIM_ASSIGN_OR_RETURN(auto fetched, DescribeResourceTagsFromAWS(uncached));
  for (auto& [arn, tags] : fetched) {
    PutCached(arn, tags, now + kResourceTagsCacheTTL);
    out[arn] = tags;
  }
  return out;
}

Status Elbv2TaggingManager::CacheTagsOf(const std::vector<std::string>& uncached, SimTime now) {
  SIM_ASSIGN_OR_RETURN(auto fetched, DescribeResourceTagsFromAWS(uncached));
  for (auto& [arn, tags] : fetched) PutCached(arn, std::move(tags), now + kResourceTagsCacheTTL);
  return OkStatus();
}

void Elbv2TaggingManager::IndexTags(CacheEntry* e, bool add) {
  for (const auto& [k, v] : e->tags) {
    if (add) {
      by_tag_[TagIndexKey(k, v)].insert(e);
      continue;
    }
    auto it = by_tag_.find(TagIndexKey(k, v));
    if (it == by_tag_.end()) continue;
    it->second.erase(e);
    if (it->second.empty()) by_tag_.erase(it);
  }
}

void Elbv2TaggingManager::PutCached(const std::string& arn, TagMap tags, SimTime expires) {
  auto [it, inserted] = cache_.try_emplace(arn);
  CacheEntry& e = it->second;
  if (inserted) {
    if (free_ids_.empty()) {
      e.id = static_cast<uint32_t>(entries_.size());
      entries_.push_back(&e);
      marks_.emplace_back();
    } else {
      e.id = free_ids_.back();
      free_ids_.pop_back();
      entries_[e.id] = &e;
      marks_[e.id] = Mark{};
    }
  } else {
    IndexTags(&e, false);
  }
  e.tags = std::move(tags);
  e.expires = expires;
  IndexTags(&e, true);
}

void Elbv2TaggingManager::EraseCached(const std::string& arn) {
  auto it = cache_.find(arn);
  if (it == cache_.end()) return;
  IndexTags(&it->second, false);
  entries_[it->second.id] = nullptr;
  free_ids_.push_back(it->second.id);
  ++cache_epoch_;
  cache_.erase(it);
}

// describeResourceTags over the VPC's resources, without copying every tag map: the cache holds
// them (upstream shares Go maps by reference the same way); only the matches are copied out.
// The same DescribeTags calls as a plain scan. Resources found where the previous listing had them
// reuse its answer (in the VPC or not, which cache entry) without touching the resource or the
// cache; the others are looked up by ARN. The matching goes through by_tag_: each filter is tried
// on the cached entries holding its rarest (key, value) pair, among those this call found.
template <typename WithTags, typename Resource, typename ArnOf, typename InVpc>
Result<std::vector<WithTags>> Elbv2TaggingManager::FilterByTags(std::vector<std::shared_ptr<const Resource>> found,
                                                                const std::vector<TagFilter>& filters, ArnOf arn_of,
                                                                InVpc in_vpc, ListMemo<Resource>* memo) {
  const SimTime now = deps_.clock.Now();
  if (++filter_calls_ == 0) {  // wrapped: no mark may look current
    std::fill(marks_.begin(), marks_.end(), Mark{});
    filter_calls_ = 1;
  }
  const uint32_t call = filter_calls_;
  const bool aligned = memo->epoch == cache_epoch_ && now < memo->expires;
  const std::vector<std::shared_ptr<const Resource>>& prev = memo->found;
  // How far ahead a resource is looked for in the previous listing; after this many misses in a row
  // (a long stretch removed) the previous listing is indexed by object for the rest of the call.
  constexpr size_t kWindow = 32, kMissesBeforeIndex = 16;
  std::unordered_map<const Resource*, size_t> prev_at;
  size_t misses = 0;
  std::vector<uint32_t> ids(found.size(), kNoEntry);
  std::vector<size_t> uncached_at;
  std::vector<std::string> uncached;
  // The earliest expiry among ids: the memo's for the answers reused from it (an entry's expiry only
  // moves later while it is cached), else the entry's own.
  SimTime earliest = aligned ? memo->expires : SimTime::max();
  // Takes found[i]'s cache entry when it holds unexpired tags.
  auto take_cached = [&](size_t i) {
    auto it = cache_.find(arn_of(*found[i]));
    if (it == cache_.end() || now >= it->second.expires) return false;
    ids[i] = it->second.id;
    earliest = std::min(earliest, it->second.expires);
    return true;
  };
  size_t j = 0;
  for (size_t i = 0; i < found.size(); ++i) {
    const Resource* r = found[i].get();
    if (aligned) {
      size_t k = j;
      while (k < prev.size() && k < j + kWindow && prev[k].get() != r) ++k;
      if ((k == prev.size() || prev[k].get() != r) && misses >= kMissesBeforeIndex) {
        if (prev_at.empty()) {
          for (size_t p = 0; p < prev.size(); ++p) prev_at.emplace(prev[p].get(), p);
        }
        auto at = prev_at.find(r);
        if (at != prev_at.end()) k = at->second;
      }
      if (k < prev.size() && prev[k].get() == r && memo->ids[k] != kNoEntry) {
        ids[i] = memo->ids[k];
        j = k + 1;
        misses = 0;
        continue;
      }
      // Not where it was: new, changed (same ARN, new object: step over the old one) or unknown.
      ++misses;
      if (j < prev.size() && arn_of(*prev[j]) == arn_of(*r)) ++j;
    }
    if (!in_vpc(*r)) {
      ids[i] = kOutsideVpc;
      continue;
    }
    if (!take_cached(i)) {
      uncached_at.push_back(i);
      uncached.push_back(arn_of(*r));
    }
  }
  SIM_RETURN_IF_ERROR(CacheTagsOf(uncached, now));
  for (size_t i : uncached_at) take_cached(i);
  bool repeated_arn = false;
  for (size_t i = 0; i < found.size(); ++i) {
    if (ids[i] >= kNoEntry) continue;
    Mark& m = marks_[ids[i]];
    repeated_arn = repeated_arn || m.call == call;
    m = Mark{call, static_cast<uint32_t>(i)};
  }
  // A filter without a (key, value) pair can match resources the index cannot name (an untagged one
  // that DescribeTags did not return matches an empty filter): those calls scan every resource.
  const bool indexable = !repeated_arn && std::all_of(filters.begin(), filters.end(), [](const TagFilter& f) {
    return std::any_of(f.begin(), f.end(), [](const auto& kv) { return !kv.second.empty(); });
  });
  std::vector<std::pair<size_t, const TagMap*>> matched;
  if (indexable) {
    for (const TagFilter& f : filters) {
      // The key whose values are held by the fewest entries.
      std::vector<const std::unordered_set<CacheEntry*>*> best;
      size_t best_size = SIZE_MAX;
      for (const auto& [key, values] : f) {
        if (values.empty()) continue;
        std::vector<const std::unordered_set<CacheEntry*>*> sets;
        size_t size = 0;
        for (const std::string& v : values) {
          auto it = by_tag_.find(TagIndexKey(key, v));
          if (it == by_tag_.end()) continue;
          sets.push_back(&it->second);
          size += it->second.size();
        }
        if (size < best_size) best_size = size, best = std::move(sets);
      }
      for (const auto* set : best) {
        for (CacheEntry* e : *set) {
          const Mark& m = marks_[e->id];
          if (m.call == call && TagFilterMatches(f, e->tags)) matched.emplace_back(m.at, &e->tags);
        }
      }
    }
    std::sort(matched.begin(), matched.end());
    matched.erase(std::unique(matched.begin(), matched.end()), matched.end());
  } else {
    static const TagMap kNoTags;  // DescribeTags did not return the ARN (deleted meanwhile): Go's nil map
    for (size_t i = 0; i < found.size(); ++i) {
      if (ids[i] == kOutsideVpc) continue;
      const TagMap& tags = ids[i] == kNoEntry ? kNoTags : entries_[ids[i]]->tags;
      if (std::any_of(filters.begin(), filters.end(), [&](const TagFilter& f) { return TagFilterMatches(f, tags); })) {
        matched.emplace_back(i, &tags);
      }
    }
  }
  std::vector<WithTags> out;
  out.reserve(matched.size());
  for (const auto& [i, tags] : matched) out.push_back(WithTags{*found[i], *tags});
  *memo = ListMemo<Resource>{std::move(found), std::move(ids), cache_epoch_, earliest};
  return out;
}

Result<std::vector<LoadBalancerWithTags>> Elbv2TaggingManager::ListLoadBalancers(const std::vector<TagFilter>& filters) {
  auto r = deps_.elbv2.DescribeAllLoadBalancers(deps_.call_context);
  if (!r.ok()) return Elbv2Error("DescribeLoadBalancers", r.error());
  return FilterByTags<LoadBalancerWithTags>(
      std::move(r).value(), filters,
      [](const model::aws::LoadBalancer& lb) -> const std::string& { return lb.load_balancer_arn; },
      [&](const model::aws::LoadBalancer& lb) { return lb.vpc_id == vpc_id_; }, &lb_memo_);
}

Result<std::vector<TargetGroupWithTags>> Elbv2TaggingManager::ListTargetGroups(const std::vector<TagFilter>& filters) {
  auto r = deps_.elbv2.DescribeAllTargetGroups(deps_.call_context);
  if (!r.ok()) return Elbv2Error("DescribeTargetGroups", r.error());
  return FilterByTags<TargetGroupWithTags>(
      std::move(r).value(), filters,
      [](const model::aws::TargetGroup& tg) -> const std::string& { return tg.target_group_arn; },
      [&](const model::aws::TargetGroup& tg) { return InVpc(tg.vpc_id, vpc_id_); }, &tg_memo_);
}

Result<std::vector<ListenerWithTags>> Elbv2TaggingManager::ListListeners(const std::string& lb_arn) {
  aws::DescribeListenersRequest req;
  req.load_balancer_arn = lb_arn;
  auto r = deps_.elbv2.DescribeListeners(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("DescribeListeners", r.error());
  std::vector<std::string> arns;
  for (const auto& ls : r.value()) arns.push_back(ls.listener_arn);
  std::map<std::string, TagMap> tags_by_arn;
  if (gates_.listener_rules_tagging) {
    SIM_ASSIGN_OR_RETURN(tags_by_arn, DescribeResourceTags(arns));
  }
  std::vector<ListenerWithTags> out;
  for (const auto& ls : r.value()) {
    ListenerWithTags lwt{ls, std::nullopt};
    auto it = tags_by_arn.find(ls.listener_arn);
    if (it != tags_by_arn.end()) lwt.tags = it->second;
    out.push_back(std::move(lwt));
  }
  return out;
}

Result<std::vector<ListenerRuleWithTags>> Elbv2TaggingManager::ListListenerRules(const std::string& ls_arn) {
  aws::DescribeRulesRequest req;
  req.listener_arn = ls_arn;
  auto r = deps_.elbv2.DescribeRules(deps_.call_context, req);
  if (!r.ok()) return Elbv2Error("DescribeRules", r.error());
  std::vector<std::string> arns;
  for (const auto& rule : r.value()) arns.push_back(rule.rule_arn);
  std::map<std::string, TagMap> tags_by_arn;
  if (gates_.listener_rules_tagging) {
    SIM_ASSIGN_OR_RETURN(tags_by_arn, DescribeResourceTags(arns));
  }
  std::vector<ListenerRuleWithTags> out;
  for (const auto& rule : r.value()) {
    ListenerRuleWithTags rwt{rule, std::nullopt};
    auto it = tags_by_arn.find(rule.rule_arn);
    if (it != tags_by_arn.end()) rwt.tags = it->second;
    out.push_back(std::move(rwt));
  }
  return out;
}

// ---------------------------------------------------------------------------------- EC2

Status Ec2TaggingManager::ReconcileTags(const std::string& resource_id, const TagMap& desired,
                                        const ReconcileTagsOptions& opts) {
  if (!opts.current_tags) return MakeError(ErrorCode::kInternal, "currentTags must be specified");
  TagMap to_update, to_remove;
  DiffStringMapIgnoreAWSTags(desired, *opts.current_tags, &to_update, &to_remove);
  ApplyIgnored(opts.ignored_tag_keys, &to_update, &to_remove);
  if (!to_update.empty()) {
    aws::CreateTagsRequest req;
    req.resources = {resource_id};
    req.tags = ConvertTagsToSDKTags(to_update);
    LogInfo(deps_, "adding resource tags " + resource_id);
    Status s = deps_.ec2.CreateTags(deps_.call_context, req);
    if (!s.ok()) return Ec2Error("CreateTags", s.error());
  }
  if (!to_remove.empty()) {
    aws::DeleteTagsRequest req;
    req.resources = {resource_id};
    for (const auto& [k, v] : to_remove) req.tags.push_back(aws::DeleteTagSpec{k, v});
    LogInfo(deps_, "removing resource tags " + resource_id);
    Status s = deps_.ec2.DeleteTags(deps_.call_context, req);
    if (!s.ok()) return Ec2Error("DeleteTags", s.error());
  }
  return OkStatus();
}

Result<std::vector<SecurityGroupInfo>> Ec2TaggingManager::ListSecurityGroups(const std::vector<TagFilter>& filters) {
  std::map<std::string, SecurityGroupInfo> by_id;
  for (const TagFilter& f : filters) {
    aws::DescribeSecurityGroupsRequest req;
    req.filters.push_back(model::aws::Filter{"vpc-id", {vpc_id_}});
    for (const auto& [key, values] : f) {  // TagFilter is ordered by key
      if (values.empty()) {
        req.filters.push_back(model::aws::Filter{"tag-key", {key}});
      } else {
        req.filters.push_back(model::aws::Filter{"tag:" + key, values});
      }
    }
    SIM_ASSIGN_OR_RETURN(auto infos, sg_manager_.FetchSGInfosByRequest(req));
    for (auto& [id, info] : infos) by_id[id] = info;
  }
  std::vector<SecurityGroupInfo> out;
  for (auto& [id, info] : by_id) out.push_back(info);
  return out;
}

}  // namespace sim::controller
