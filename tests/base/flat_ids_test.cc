#include "sim/base/flat_ids.h"

#include <cstdint>
#include <map>
#include <tuple>

#include <doctest/doctest.h>

namespace sim {
namespace {

struct Key {
  uint32_t a = 0, b = 0;
  int port = 0;
  bool operator==(const Key&) const = default;
};
// A deliberately poor hash (only `a`): every key of one `a` collides, so probing runs are long.
struct PoorHash {
  size_t operator()(const Key& k) const { return k.a; }
};
struct GoodHash {
  size_t operator()(const Key& k) const { return (uint64_t{k.a} << 32 | k.b) * 31 + static_cast<uint32_t>(k.port); }
};

template <typename Hash>
void CheckAgainstMap() {
  FlatIds<Key, Hash> ids;
  std::map<std::tuple<uint32_t, uint32_t, int>, uint32_t> expect;
  CHECK(ids.Find(Key{1, 2, 3}) == FlatIds<Key, Hash>::kNone);  // empty table
  // Keys arrive twice: the second time they keep their id. Enough keys to grow many times.
  for (int round = 0; round < 2; ++round) {
    for (uint32_t a = 0; a < 40; ++a) {
      for (uint32_t b = 0; b < 50; ++b) {
        const Key k{a, b, static_cast<int>(30000 + b % 3)};
        auto [id, added] = ids.Insert(k);
        auto [it, fresh] = expect.try_emplace({k.a, k.b, k.port}, static_cast<uint32_t>(expect.size()));
        REQUIRE(added == fresh);
        REQUIRE(id == it->second);
      }
    }
  }
  CHECK(ids.size() == 2000);
  for (const auto& [k, id] : expect) CHECK(ids.Find(Key{std::get<0>(k), std::get<1>(k), std::get<2>(k)}) == id);
  CHECK(ids.Find(Key{40, 0, 30000}) == FlatIds<Key, Hash>::kNone);
  CHECK(ids.Find(Key{0, 0, 30001}) == FlatIds<Key, Hash>::kNone);  // same (a, b), other port
}

TEST_SUITE("base.flat_ids") {
TEST_CASE("ids are handed out in first-seen order and found again, through growth and collisions") {
  CheckAgainstMap<GoodHash>();
  CheckAgainstMap<PoorHash>();
}
}

}  // namespace
}  // namespace sim
