#pragma once
// Mirrors upstream pkg/deploy/elbv2/tagging_manager.go (ELBv2 listing by Describe* + DescribeTags
// in chunks of 20, with a 20-minute per-ARN tag cache on the sim clock) and
// pkg/deploy/ec2/tagging_manager.go (EC2 SG listing by tag filters, CreateTags/DeleteTags).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "models/aws/elbv2.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/networking_sg_manager.h"

namespace sim::controller {

struct LoadBalancerWithTags {
  model::aws::LoadBalancer load_balancer;
  TagMap tags;
};
struct TargetGroupWithTags {
  model::aws::TargetGroup target_group;
  TagMap tags;
};
struct ListenerWithTags {
  model::aws::Listener listener;
  std::optional<TagMap> tags;  // nullopt = unknown (Go nil map)
};
struct ListenerRuleWithTags {
  model::aws::Rule rule;
  std::optional<TagMap> tags;
};

// ReconcileTags options (WithCurrentTags / WithIgnoredTagKeys).
struct ReconcileTagsOptions {
  std::optional<TagMap> current_tags;
  std::vector<std::string> ignored_tag_keys;
};

class Elbv2TaggingManager {
 public:
  static constexpr size_t kDescribeTagsChunkSize = 20;
  static constexpr SimTime kResourceTagsCacheTTL{20 * 60 * 1000};

  Elbv2TaggingManager(DeployDeps deps, std::string vpc_id, DeployFeatureGates gates,
                      size_t describe_tags_chunk_size = kDescribeTagsChunkSize)
      : deps_(std::move(deps)), vpc_id_(std::move(vpc_id)), gates_(gates), chunk_size_(describe_tags_chunk_size) {}
  virtual ~Elbv2TaggingManager() = default;
  // The listing/tagging methods are virtual so that a test double can stand in (upstream mocks
  // TaggingManager in its synthesizer tests).

  // AddTags for differing/new keys, then RemoveTags (sorted keys) for keys not desired; `aws:`
  // keys and ignored keys untouched. Without current tags, they are read (cached) first.
  virtual Status ReconcileTags(const std::string& arn, const TagMap& desired, const ReconcileTagsOptions& opts);
  // Every LB in the controller VPC whose tags match any filter (Describe order).
  virtual Result<std::vector<LoadBalancerWithTags>> ListLoadBalancers(const std::vector<TagFilter>& filters);
  virtual Result<std::vector<TargetGroupWithTags>> ListTargetGroups(const std::vector<TagFilter>& filters);
  // All listeners of the LB; tags when ListenerRulesTagging is on.
  virtual Result<std::vector<ListenerWithTags>> ListListeners(const std::string& lb_arn);
  virtual Result<std::vector<ListenerRuleWithTags>> ListListenerRules(const std::string& ls_arn);

  // describeResourceTags: cache first, DescribeTags (chunks of 20) for the rest.
  Result<std::map<std::string, TagMap>> DescribeResourceTags(const std::vector<std::string>& arns);
  Result<std::map<std::string, TagMap>> DescribeResourceTagsFromAWS(const std::vector<std::string>& arns);
  void InvalidateResourceTagsCache(const std::string& arn) { EraseCached(arn); }
  // Puts an entry into the tag cache (expires after kResourceTagsCacheTTL), as upstream tests
  // pre-fill resourceTagsCache.
  void CacheResourceTags(const std::string& arn, const TagMap& tags) {
    PutCached(arn, tags, deps_.clock.Now() + kResourceTagsCacheTTL);
  }

 private:
  // DescribeTags (chunks) for `uncached` into the cache.
  Status CacheTagsOf(const std::vector<std::string>& uncached, SimTime now);
  struct CacheEntry {
    TagMap tags;
    SimTime expires;
    uint32_t id = 0;  // index into entries_ (and marks_) while cached
  };
  // The previous listing of one resource type, which the next one is aligned with: a resource
  // object found at the same place again is the same ARN in the same VPC with the same cache entry
  // (objects are immutable; `found` holds them, so no address is reused). Valid while no entry was
  // erased since (epoch) and none of its entries expired.
  static constexpr uint32_t kOutsideVpc = UINT32_MAX, kNoEntry = UINT32_MAX - 1;
  template <typename Resource>
  struct ListMemo {
    std::vector<std::shared_ptr<const Resource>> found;
    std::vector<uint32_t> ids;  // entry id of found[i], kOutsideVpc, or kNoEntry (DescribeTags did not return it)
    uint64_t epoch = 0;
    SimTime expires{0};  // the earliest expiry among ids
  };
  // The resources of `found` in the VPC whose (cached, else described) tags match any filter.
  template <typename WithTags, typename Resource, typename ArnOf, typename InVpc>
  Result<std::vector<WithTags>> FilterByTags(std::vector<std::shared_ptr<const Resource>> found,
                                             const std::vector<TagFilter>& filters, ArnOf arn_of, InVpc in_vpc,
                                             ListMemo<Resource>* memo);

  using Cache = std::unordered_map<std::string, CacheEntry>;
  // The only writers of cache_: they keep by_tag_, entries_ and cache_epoch_ in step.
  void PutCached(const std::string& arn, TagMap tags, SimTime expires);
  void EraseCached(const std::string& arn);
  void IndexTags(CacheEntry* e, bool add);

  DeployDeps deps_;
  std::string vpc_id_;
  DeployFeatureGates gates_;
  size_t chunk_size_;
  Cache cache_;  // node-based: entry pointers stay valid until the entry is erased
  // "key\0value" -> the cached entries whose tags hold that pair (an inverted index over cache_, so a
  // filter is matched against the few entries that can match instead of every resource in the region).
  std::unordered_map<std::string, std::unordered_set<CacheEntry*>> by_tag_;
  std::vector<CacheEntry*> entries_;  // by id; null for a free id
  std::vector<uint32_t> free_ids_;
  uint64_t cache_epoch_ = 0;          // bumped when an entry is erased (its id may be reused)
  // Scratch of FilterByTags, by entry id: the call that last found the entry and at which position
  // (a small dense array instead of a write into every entry).
  struct Mark {
    uint32_t call = 0;
    uint32_t at = 0;
  };
  std::vector<Mark> marks_;
  ListMemo<model::aws::TargetGroup> tg_memo_;
  ListMemo<model::aws::LoadBalancer> lb_memo_;
  uint32_t filter_calls_ = 0;
};

class Ec2TaggingManager {
 public:
  Ec2TaggingManager(DeployDeps deps, NetworkingSecurityGroupManager& sg_manager, std::string vpc_id)
      : deps_(std::move(deps)), sg_manager_(sg_manager), vpc_id_(std::move(vpc_id)) {}

  // CreateTags / DeleteTags (sorted). current_tags is required (`currentTags must be specified`).
  Status ReconcileTags(const std::string& resource_id, const TagMap& desired, const ReconcileTagsOptions& opts);
  // One DescribeSecurityGroups per filter (vpc-id + tag:<k> sorted by key), union by ID, sorted by ID.
  Result<std::vector<SecurityGroupInfo>> ListSecurityGroups(const std::vector<TagFilter>& filters);

 private:
  DeployDeps deps_;
  NetworkingSecurityGroupManager& sg_manager_;
  std::string vpc_id_;
};

}  // namespace sim::controller
