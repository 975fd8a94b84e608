#pragma once
// PairKeyIndex: a hash index over a node-based std::map whose keys are pairs of strings (the fake
// API server's (namespace, name) stores): key -> the map's entry, found by string views. Open
// addressing: slots of (hash, key, entry) probed linearly, at most half full, deletion by backward
// shift (no tombstones). A lookup reads one or two adjacent slots and compares the stored hash
// before the entry's key, where a node-based hash map follows a bucket, a node and the key.
// Entries of a std::map never move, so the slots point at them until they are erased here.
//
//   PairKeyIndex<std::map<std::pair<std::string, std::string>, V, Less>, ViewHash> index;
//   index.insert(map.emplace(...).first);
//   if (const auto* it = index.find({ns, name})) use((*it)->second);
//   if (auto entry = index.erase({ns, name})) map.erase(*entry);   // unindex before erasing

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace sim::k8s {

template <typename Map, typename ViewHash>
class PairKeyIndex {
 public:
  using Key = typename Map::key_type;
  using KeyView = std::pair<std::string_view, std::string_view>;
  using Iterator = typename Map::iterator;

  // The entry of `key`, or null.
  const Iterator* find(KeyView key) const {
    const Slot* slot = Lookup(key);
    return slot == nullptr ? nullptr : &slot->it;
  }
  // Indexes `it` (its key must not be indexed yet).
  void insert(Iterator it) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    Place(Slot{ViewHash{}(KeyView{it->first.first, it->first.second}), &it->first, it});
    ++size_;
  }
  // Unindexes `key`; returns its entry (nullopt: it was not indexed), found by the same lookup.
  std::optional<Iterator> erase(KeyView key) {
    const Slot* found = Lookup(key);
    if (found == nullptr) return std::nullopt;
    const Iterator entry = found->it;
    size_t i = static_cast<size_t>(found - slots_.data());
    // Backward shift: a later slot of the run moves up into the hole unless its home lies in the
    // cyclic interval (i, j], where it must stay to remain reachable from its home.
    for (size_t j = (i + 1) & mask_; slots_[j].key != nullptr; j = (j + 1) & mask_) {
      const size_t home = slots_[j].hash & mask_;
      const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!stays) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = Slot{};
    --size_;
    return entry;
  }
  size_t size() const { return size_; }

 private:
  struct Slot {
    size_t hash = 0;
    const Key* key = nullptr;  // the entry's key; null: empty slot
    Iterator it{};
  };
  const Slot* Lookup(KeyView key) const {
    if (slots_.empty()) return nullptr;
    const size_t h = ViewHash{}(key);
    for (size_t i = h & mask_; slots_[i].key != nullptr; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.hash == h && s.key->first == key.first && s.key->second == key.second) return &s;
    }
    return nullptr;
  }
  void Place(const Slot& s) {
    size_t i = s.hash & mask_;
    while (slots_[i].key != nullptr) i = (i + 1) & mask_;
    slots_[i] = s;
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.key != nullptr) Place(s);
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace sim::k8s
