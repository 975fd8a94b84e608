// Mirrors upstream pkg/deploy/tracking/provider.go and tag_filter.go.
#include "sim/controller/tracking.h"

#include <algorithm>

namespace sim::controller {

bool TagFilterMatches(const TagFilter& filter, const TagMap& tags) {
  // Every key must match (upstream Matches); checked last key first since the stack and resource
  // keys sort after the cluster key that every resource of the cluster carries.
  for (auto f = filter.rbegin(); f != filter.rend(); ++f) {
    const auto& [key, values] = *f;
    auto it = tags.find(key);
    if (it == tags.end()) return false;
    if (values.empty()) continue;
    if (std::find(values.begin(), values.end(), it->second) == values.end()) return false;
  }
  return true;
}

TagFilter TagsAsTagFilter(const TagMap& tags) {
  TagFilter f;
  for (const auto& [k, v] : tags) f[k] = {v};
  return f;
}

TagMap TrackingProvider::StackTags(const StackId& stack) const {
  return {{kTagKeyK8sCluster, cluster_name_}, {PrefixedTrackingKey("stack"), stack.String()}};
}

TagMap TrackingProvider::ResourceTags(const StackId& stack, const std::string& resource_id,
                                      const TagMap& additional) const {
  TagMap stack_tags = StackTags(stack);
  TagMap id_tags = {{ResourceIDTagKey(), resource_id}};
  return MergeStringMap({&stack_tags, &id_tags, &additional});
}

TagMap TrackingProvider::StackLabels(const StackId& stack) const {
  if (stack.ns.empty()) return {{PrefixedTrackingKey("stack"), stack.name}};
  return {{PrefixedTrackingKey("stack-namespace"), stack.ns}, {PrefixedTrackingKey("stack-name"), stack.name}};
}

TagMap TrackingProvider::StackTagsLegacy(const StackId& stack) const {
  return {{kClusterNameTagKeyLegacy, cluster_name_}, {PrefixedTrackingKey("stack"), stack.String()}};
}

std::vector<std::string> TrackingProvider::LegacyTagKeys() const {
  return {"kubernetes.io/cluster/" + cluster_name_,
          "kubernetes.io/cluster-name",
          "kubernetes.io/namespace",
          "kubernetes.io/ingress-name",
          "kubernetes.io/service-name",
          "kubernetes.io/service-port",
          kClusterNameTagKeyLegacy};
}

TagMap MergeStringMap(std::initializer_list<const TagMap*> maps) {
  TagMap out;
  for (const TagMap* m : maps) {
    if (m == nullptr) continue;
    for (const auto& [k, v] : *m) out.emplace(k, v);  // emplace keeps the first
  }
  return out;
}

void DiffStringMap(const TagMap& desired, const TagMap& current, TagMap* modify, TagMap* remove) {
  modify->clear();
  remove->clear();
  for (const auto& [k, v] : desired) {
    auto it = current.find(k);
    if (it == current.end() || it->second != v) (*modify)[k] = v;
  }
  for (const auto& [k, v] : current) {
    if (!desired.count(k)) (*remove)[k] = v;
  }
}

void DiffStringMapIgnoreAWSTags(const TagMap& desired, const TagMap& current, TagMap* modify, TagMap* remove) {
  DiffStringMap(desired, current, modify, remove);
  auto strip = [](TagMap* m) {
    for (auto it = m->begin(); it != m->end();) {
      if (it->first.rfind("aws:", 0) == 0) {
        it = m->erase(it);
      } else {
        ++it;
      }
    }
  };
  strip(modify);
  strip(remove);
}

}  // namespace sim::controller
