#include "sim/k8s/lru_cache.h"

#include <list>
#include <random>
#include <string>
#include <utility>

#include <doctest/doctest.h>

namespace sim::k8s {
namespace {

TEST_CASE("LruCache: a lookup or an add makes an entry the most recent; past capacity the least recent goes") {
  LruCache<int> cache(3);
  cache.GetOrAdd("a") = 1;
  cache.GetOrAdd("b") = 2;
  cache.GetOrAdd("c") = 3;
  CHECK(cache.KeysByRecency() == std::vector<std::string>{"c", "b", "a"});
  CHECK(cache.GetOrAdd("a") == 1);  // found: now the most recent
  CHECK(cache.KeysByRecency() == std::vector<std::string>{"a", "c", "b"});
  CHECK(cache.GetOrAdd("d") == 0);  // new: "b", the least recent, is forgotten
  CHECK(cache.size() == 3);
  CHECK(cache.KeysByRecency() == std::vector<std::string>{"d", "a", "c"});
  CHECK(cache.GetOrAdd("b") == 0);  // forgotten: back with a default value, "c" goes
  CHECK(cache.KeysByRecency() == std::vector<std::string>{"b", "d", "a"});
  CHECK(cache.GetOrAdd("a") == 1);
  CHECK(cache.GetOrAdd("a") == 1);  // already the most recent
  CHECK(cache.KeysByRecency() == std::vector<std::string>{"a", "b", "d"});
}

TEST_CASE("LruCache: a capacity of one keeps the last key") {
  LruCache<std::string> cache(1);
  cache.GetOrAdd("x") = "first";
  CHECK(cache.GetOrAdd("x") == "first");
  CHECK(cache.GetOrAdd("y").empty());
  CHECK(cache.GetOrAdd("x").empty());
  CHECK(cache.KeysByRecency() == std::vector<std::string>{"x"});
}

// Colliding homes, long probe runs and runs that wrap: many keys through a small cache, against
// groupcache's list-and-map LRU.
TEST_CASE("LruCache agrees with a list LRU over random keys") {
  for (size_t capacity : {size_t{1}, size_t{2}, size_t{7}, size_t{64}, size_t{300}}) {
    LruCache<int> cache(capacity);
    std::list<std::pair<std::string, int>> model;  // most recent first
    std::mt19937 rng(static_cast<unsigned>(capacity));
    for (int step = 0; step < 20000; ++step) {
      // Keys sharing long prefixes, as the correlator's do.
      const std::string key = "source\x1fPod\x1f" "default\x1fweb-" + std::to_string(rng() % (capacity * 3 + 2));
      const int value = static_cast<int>(rng() % 1000);
      auto it = model.begin();
      while (it != model.end() && it->first != key) ++it;
      int expected = 0;
      if (it != model.end()) {
        expected = it->second;
        model.splice(model.begin(), model, it);
      } else {
        if (model.size() == capacity) model.pop_back();
        model.emplace_front(key, 0);
      }
      int& got = cache.GetOrAdd(key);
      REQUIRE(got == expected);
      got = value;
      model.front().second = value;
      REQUIRE(cache.size() == model.size());
    }
    std::vector<std::string> keys;
    for (const auto& [k, v] : model) keys.push_back(k);
    CHECK(cache.KeysByRecency() == keys);
  }
}

}  // namespace
}  // namespace sim::k8s
