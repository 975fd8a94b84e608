#pragma once
// Mirrors upstream pkg/deploy/tracking/provider.go, pkg/deploy/tracking/tag_filter.go and the map
// helpers of pkg/algorithm/maps.go.
//
// Tagging strategy of the Ingress path (naming-and-tags.md §8):
//   * `elbv2.k8s.aws/cluster: <cluster>` on every AWS resource.
//   * `ingress.k8s.aws/stack: <stackID>` (`<group>` or `<ns>/<name>`).
//   * `ingress.k8s.aws/resource: <resourceID>` (`LoadBalancer`, `80`, `80:1`, ...).
// K8s objects (TargetGroupBindings) carry labels instead:
//   explicit group `ingress.k8s.aws/stack: <group>`; implicit group
//   `ingress.k8s.aws/stack-namespace: <ns>`, `ingress.k8s.aws/stack-name: <name>`.

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

namespace sim::controller {

using TagMap = std::map<std::string, std::string>;

inline constexpr char kTagKeyK8sCluster[] = "elbv2.k8s.aws/cluster";
inline constexpr char kTagKeyResource[] = "elbv2.k8s.aws/resource";
inline constexpr char kClusterNameTagKeyLegacy[] = "ingress.k8s.aws/cluster";
inline constexpr char kIngressTagPrefix[] = "ingress.k8s.aws";

// Stack identity as the tracking provider needs it (upstream core.StackID).
struct StackId {
  std::string ns;  // empty for an explicit group
  std::string name;
  // `<name>` when ns is empty, else `<ns>/<name>`.
  std::string String() const { return ns.empty() ? name : ns + "/" + name; }
  bool operator==(const StackId&) const = default;
  auto operator<=>(const StackId&) const = default;
};

// TagFilter: key → accepted values; an empty value list only requires the key.
using TagFilter = std::map<std::string, std::vector<std::string>>;

// True when every key of `filter` is present in `tags` with one of its values.
bool TagFilterMatches(const TagFilter& filter, const TagMap& tags);
// Every tag as a single-value filter.
TagFilter TagsAsTagFilter(const TagMap& tags);

class TrackingProvider {
 public:
  TrackingProvider(std::string tag_prefix, std::string cluster_name)
      : tag_prefix_(std::move(tag_prefix)), cluster_name_(std::move(cluster_name)) {}

  // `<prefix>/resource`.
  std::string ResourceIDTagKey() const { return PrefixedTrackingKey("resource"); }
  // {elbv2.k8s.aws/cluster: cluster, <prefix>/stack: stackID}.
  TagMap StackTags(const StackId& stack) const;
  // MergeFirstWins(StackTags, {resourceIDTagKey: resource_id}, additional).
  TagMap ResourceTags(const StackId& stack, const std::string& resource_id, const TagMap& additional) const;
  TagMap StackLabels(const StackId& stack) const;
  // {ingress.k8s.aws/cluster: cluster, <prefix>/stack: stackID}.
  TagMap StackTagsLegacy(const StackId& stack) const;
  // Tag keys of AWSALBIngressController v1 that are never removed.
  std::vector<std::string> LegacyTagKeys() const;

  const std::string& cluster_name() const { return cluster_name_; }

 private:
  std::string PrefixedTrackingKey(const std::string& tag) const { return tag_prefix_ + "/" + tag; }

  std::string tag_prefix_;
  std::string cluster_name_;
};

// upstream algorithm.MergeStringMap: the first map holding a key wins.
TagMap MergeStringMap(std::initializer_list<const TagMap*> maps);
// upstream algorithm.DiffStringMap: (to add or update, to remove).
void DiffStringMap(const TagMap& desired, const TagMap& current, TagMap* modify, TagMap* remove);
// DiffStringMap without keys that start with "aws:" in either result.
void DiffStringMapIgnoreAWSTags(const TagMap& desired, const TagMap& current, TagMap* modify, TagMap* remove);

}  // namespace sim::controller
