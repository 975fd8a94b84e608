#pragma once
// FlatIds: numbers small fixed-size keys 0, 1, 2, ... in first-seen order. One open-addressing
// table of (key, id) slots (linear probing, power-of-two capacity, at most half full): a lookup
// touches one or two adjacent slots, and an insert allocates only when the table doubles, where a
// node-based std::unordered_map allocates a node per key and follows two pointers per lookup.
// Keys are never removed (ids are never reused).
//
//   FlatIds<IdPort, IdPortHash> ids;      // a small key type and its hash (health_probe.h)
//   auto [id, added] = ids.Insert(key);   // added: the key was new and got id == size() - 1
//   uint32_t found = ids.Find(key);       // FlatIds<...>::kNone when never inserted

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace sim {

template <typename Key, typename Hash>
class FlatIds {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // The key's id, inserting it with the next id when new.
  std::pair<uint32_t, bool> Insert(const Key& key) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    size_t i = Mix(Hash{}(key)) & mask_;
    while (slots_[i].id != kNone) {
      if (slots_[i].key == key) return {slots_[i].id, false};
      i = (i + 1) & mask_;
    }
    slots_[i] = Slot{key, static_cast<uint32_t>(size_)};
    return {static_cast<uint32_t>(size_++), true};
  }

  uint32_t Find(const Key& key) const {
    if (slots_.empty()) return kNone;
    size_t i = Mix(Hash{}(key)) & mask_;
    while (slots_[i].id != kNone) {
      if (slots_[i].key == key) return slots_[i].id;
      i = (i + 1) & mask_;
    }
    return kNone;
  }

  size_t size() const { return size_; }

 private:
  struct Slot {
    Key key{};
    uint32_t id = kNone;
  };
  // splitmix64's finalizer: spreads hashes whose low bits repeat (identity hashes of ids).
  static size_t Mix(uint64_t h) {
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return static_cast<size_t>(h);
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.id == kNone) continue;
      size_t i = Mix(Hash{}(s.key)) & mask_;
      while (slots_[i].id != kNone) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace sim
