#pragma once
// UidIndex: values by object uid for the fake API server, which issues every uid itself as
// kIssuedUidPrefix followed by 12 lowercase hex digits of a counter (IssuedUid). An issued uid is
// its counter, so its value sits at that position in a vector: no hashing, no string kept per
// object, and objects created one after another sit side by side. At 10x the bench's cluster the
// server holds ~700,000 uids, where a std::unordered_map<std::string, V> spent most of a store's
// time in cache misses walking buckets and rehashing nodes. Any other uid (one the server never
// issued: a made-up owner reference, or a counter past the issued ones) is kept in a hash map, so
// every uid string works; it is simply not the fast path.
//
// Set is told how many uids the server has issued so far: any counter up to that goes into the
// vector (an index that holds only some kinds, such as pods, sees large gaps between its uids),
// anything beyond it into the map, so a made-up uid never grows the vector.
//
//   UidIndex<Entry> index;
//   index.Set(uid, entry, issued_so_far);   // FakeApiServer::IssuedUidsForSim()
//   if (const Entry* e = index.Find(uid)) use(*e);
//   index.Erase(uid);

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sim::k8s {

inline constexpr std::string_view kIssuedUidPrefix = "00000000-0000-4000-8000-";
inline constexpr size_t kIssuedUidDigits = 12;

// The uid the server issues for counter n (n < 16^12): printf("00000000-0000-4000-8000-%012llx", n).
inline std::string IssuedUid(uint64_t n) {
  std::string uid(kIssuedUidPrefix);
  uid.resize(kIssuedUidPrefix.size() + kIssuedUidDigits, '0');
  for (size_t i = uid.size(); n != 0 && i > kIssuedUidPrefix.size(); n >>= 4) uid[--i] = "0123456789abcdef"[n & 15];
  return uid;
}

// The counter of an issued uid; nullopt for any other string.
inline std::optional<uint64_t> IssuedUidCounter(std::string_view uid) {
  if (uid.size() != kIssuedUidPrefix.size() + kIssuedUidDigits || uid.substr(0, kIssuedUidPrefix.size()) != kIssuedUidPrefix) {
    return std::nullopt;
  }
  uint64_t n = 0;
  for (char c : uid.substr(kIssuedUidPrefix.size())) {
    if (c >= '0' && c <= '9') {
      n = n << 4 | static_cast<uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      n = n << 4 | static_cast<uint64_t>(c - 'a' + 10);
    } else {
      return std::nullopt;
    }
  }
  return n;
}

template <typename V>
class UidIndex {
 public:
  // Sets the value of `uid` (adding it when absent) and returns it as stored. `issued`: the uids
  // the server has issued so far.
  V& Set(std::string_view uid, V value, uint64_t issued) {
    const auto n = IssuedUidCounter(uid);
    if (n && *n <= issued) {
      if (!others_.empty()) EraseOther(uid);  // a uid lives in one place only
      if (*n >= slots_.size()) slots_.resize(*n + 1);
      if (!slots_[*n]) ++size_;
      slots_[*n] = std::move(value);
      return *slots_[*n];
    }
    auto [it, added] = others_.insert_or_assign(std::string(uid), std::move(value));
    if (added) ++size_;
    return it->second;
  }
  // The value of `uid`, or null.
  const V* Find(std::string_view uid) const {
    const auto n = IssuedUidCounter(uid);
    if (n && *n < slots_.size() && slots_[*n]) return &*slots_[*n];
    if (others_.empty()) return nullptr;
    auto it = others_.find(std::string(uid));
    return it == others_.end() ? nullptr : &it->second;
  }
  bool Contains(std::string_view uid) const { return Find(uid) != nullptr; }
  // Removes `uid`; false when it was not there.
  bool Erase(std::string_view uid) {
    const auto n = IssuedUidCounter(uid);
    if (n && *n < slots_.size() && slots_[*n]) {
      slots_[*n].reset();
      --size_;
      return true;
    }
    return !others_.empty() && EraseOther(uid);
  }
  size_t size() const { return size_; }
  // The counters the vector covers (for tests: which uids take the fast path).
  size_t vector_span() const { return slots_.size(); }

 private:
  bool EraseOther(std::string_view uid) {
    if (others_.erase(std::string(uid)) == 0) return false;
    --size_;
    return true;
  }

  std::vector<std::optional<V>> slots_;  // by counter
  std::unordered_map<std::string, V> others_;
  size_t size_ = 0;
};

}  // namespace sim::k8s
