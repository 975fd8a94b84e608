#pragma once
// A sorted list of short strings held in one buffer (a target group's "<id>:<port>" target keys in
// the step inventory): two allocations per list instead of one per key.

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

class SortedKeys {
 public:
  // Appends `key`; call Sort() once all are in.
  void Add(std::string_view key) {
    text_.append(key);
    ends_.push_back(static_cast<uint32_t>(text_.size()));
  }
  // Puts the keys in byte order (std::string's <), duplicates kept.
  // Keys that came in order (a target group's targets, as the fake keeps them) stay where they are.
  void Sort() {
    const auto less = [this](uint32_t a, uint32_t b) { return (*this)[a] < (*this)[b]; };
    bool in_order = true;
    for (uint32_t i = 1; in_order && i < size(); ++i) in_order = !less(i, i - 1);
    if (in_order) return;
    std::vector<uint32_t> order(ends_.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), less);
    std::string text;
    text.reserve(text_.size());
    std::vector<uint32_t> ends;
    ends.reserve(ends_.size());
    for (uint32_t i : order) {
      text.append((*this)[i]);
      ends.push_back(static_cast<uint32_t>(text.size()));
    }
    text_ = std::move(text);
    ends_ = std::move(ends);
  }

  size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::string_view operator[](size_t i) const {
    const uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  // Whether `key` is one of the keys (sorted lists only).
  bool Contains(std::string_view key) const {
    size_t lo = 0, hi = ends_.size();
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if ((*this)[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < ends_.size() && (*this)[lo] == key;
  }
  // The same keys in the same order.
  bool operator==(const SortedKeys& o) const { return ends_ == o.ends_ && text_ == o.text_; }

 private:
  std::string text_;           // the keys back to back
  std::vector<uint32_t> ends_;  // where each key ends in text_
};

}  // namespace sim
