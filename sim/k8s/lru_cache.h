#pragma once
// LruCache: groupcache/lru as client-go's EventCorrelator uses it (the fake API server's event
// aggregator, observation logger and spam filter): string keys, at most `capacity` entries, a
// lookup or an add makes the entry the most recent, an add past the capacity forgets the least
// recent one. GetOrAdd is the one operation the correlator needs.
//
// Entries live in one vector (a full cache reuses the least recent entry's slot, key buffer and
// all) on an intrusive recency list of indices, found through an open-addressing table of entry
// indices (linear probing, at most half full, backward-shift deletion). Each entry keeps its key's
// hash, so forgetting it hashes nothing: a GetOrAdd hashes its key once. The event correlator's
// keys are ~150-byte strings and nearly every Event brings new ones, so a full cache turns over on
// every Event; a node-based map hashed each key three times there (find, extract, insert).
//
//   LruCache<Record> cache(4096);
//   Record& r = cache.GetOrAdd(key);   // default-constructed when new (or when it was forgotten)
//
// A reference from GetOrAdd is valid until the next GetOrAdd on the same cache (entries move while
// the cache fills up, and a full cache reuses the least recent entry).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sim::k8s {

template <typename V>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {
    size_t slots = 16;
    while (slots < capacity_ * 2) slots *= 2;
    table_.assign(slots, kNil);
    mask_ = slots - 1;
  }

  // The entry for `key` (added with a default value when missing), now the most recent.
  V& GetOrAdd(std::string_view key) {
    const size_t h = std::hash<std::string_view>{}(key);
    size_t i = h & mask_;
    for (; table_[i] != kNil; i = (i + 1) & mask_) {
      Entry& e = entries_[table_[i]];
      if (e.hash == h && e.key == key) {
        MakeMostRecent(table_[i]);
        return e.value;
      }
    }
    uint32_t idx;
    if (entries_.size() < capacity_) {
      idx = static_cast<uint32_t>(entries_.size());
      entries_.emplace_back();
    } else {
      idx = tail_;  // the least recent is forgotten and its slot reused
      Unindex(idx);
      Unlink(idx);
      // The slot freed by Unindex may lie on the probe path of `key`: look for its place again.
      i = h & mask_;
      while (table_[i] != kNil) i = (i + 1) & mask_;
    }
    Entry& e = entries_[idx];
    e.key.assign(key);
    e.hash = h;
    e.value = V{};
    table_[i] = idx;
    PushFront(idx);
    return e.value;
  }

  size_t size() const { return entries_.size(); }
  // Keys from the most recent to the least recent (for tests).
  std::vector<std::string> KeysByRecency() const {
    std::vector<std::string> out;
    for (uint32_t i = head_; i != kNil; i = entries_[i].next) out.push_back(entries_[i].key);
    return out;
  }

 private:
  static constexpr uint32_t kNil = UINT32_MAX;
  struct Entry {
    std::string key;
    size_t hash = 0;
    V value{};
    uint32_t prev = kNil, next = kNil;  // toward the most / the least recent
  };

  void Unlink(uint32_t idx) {
    Entry& e = entries_[idx];
    (e.prev == kNil ? head_ : entries_[e.prev].next) = e.next;
    (e.next == kNil ? tail_ : entries_[e.next].prev) = e.prev;
    e.prev = e.next = kNil;
  }
  void PushFront(uint32_t idx) {
    Entry& e = entries_[idx];
    e.prev = kNil;
    e.next = head_;
    if (head_ != kNil) entries_[head_].prev = idx;
    head_ = idx;
    if (tail_ == kNil) tail_ = idx;
  }
  void MakeMostRecent(uint32_t idx) {
    if (head_ == idx) return;
    Unlink(idx);
    PushFront(idx);
  }
  // Removes entry `idx` from the table (backward shift: a later slot of the run moves up into the
  // hole unless its home lies in the cyclic interval (i, j], where it must stay to be reachable).
  void Unindex(uint32_t idx) {
    size_t i = entries_[idx].hash & mask_;
    while (table_[i] != idx) i = (i + 1) & mask_;
    for (size_t j = (i + 1) & mask_; table_[j] != kNil; j = (j + 1) & mask_) {
      const size_t home = entries_[table_[j]].hash & mask_;
      const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!stays) {
        table_[i] = table_[j];
        i = j;
      }
    }
    table_[i] = kNil;
  }

  size_t capacity_;
  std::vector<Entry> entries_;
  std::vector<uint32_t> table_;  // entry index, or kNil
  size_t mask_ = 0;
  uint32_t head_ = kNil, tail_ = kNil;  // most recent, least recent
};

}  // namespace sim::k8s
