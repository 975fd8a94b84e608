#pragma once
// KeyBatch: the keys a work queue collects until its flush, handed out each once and in key order
// (what a std::set<std::string> gives), without a tree node per add: keys are appended as added
// and sorted and deduplicated when taken. A pod's events add its key several times per instant, so
// duplicates are common; they stay bounded: past `compact_at` keys (and then twice the distinct
// keys of the last compaction) the batch is compacted, the keys added since the last compaction
// sorted and merged into the sorted, distinct prefix that left. The default bound is far above the
// distinct keys of one instant at the bench's 10x (200,000 pods), so a normal batch sorts each key
// once; it is there for many node events times many Services at one instant.
//
//   KeyBatch batch;
//   batch.Add("default/web-1");
//   for (const std::string& k : batch.Take()) process(k);   // sorted, distinct; the batch is empty

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace sim::k8s {

class KeyBatch {
 public:
  explicit KeyBatch(size_t compact_at = size_t{1} << 20) : min_compact_at_(compact_at), compact_at_(compact_at) {}

  void Add(const std::string& key) {
    // The same key twice in a row (a pod's events, one after another, add its Service each time)
    // is kept once: one comparison instead of a copy to sort away later.
    if (!keys_.empty() && keys_.back() == key) return;
    keys_.push_back(key);
    if (keys_.size() >= compact_at_) {
      Compact();
      compact_at_ = std::max(min_compact_at_, 2 * keys_.size());
    }
  }
  // The keys added since the last Take, each once, in order; the batch is empty afterwards.
  std::vector<std::string> Take() {
    Compact();
    std::vector<std::string> out;
    out.swap(keys_);
    sorted_ = 0;
    compact_at_ = min_compact_at_;
    return out;
  }
  bool empty() const { return keys_.empty(); }
  size_t held() const { return keys_.size(); }  // keys held now, duplicates included

 private:
  void Compact() {
    const auto mid = keys_.begin() + static_cast<std::ptrdiff_t>(sorted_);
    std::sort(mid, keys_.end());
    std::inplace_merge(keys_.begin(), mid, keys_.end());
    keys_.erase(std::unique(keys_.begin(), keys_.end()), keys_.end());
    sorted_ = keys_.size();
  }

  size_t min_compact_at_;
  size_t compact_at_;
  size_t sorted_ = 0;  // keys_[0, sorted_) is sorted and distinct
  std::vector<std::string> keys_;
};

}  // namespace sim::k8s
