#include "sim/base/sorted_keys.h"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sim/base/rng.h"

namespace sim {
namespace {

TEST_SUITE("base.sorted_keys") {

// The inventory compared std::vector<std::string>s sorted with std::sort: the same order, the same
// membership answers and the same equality.
TEST_CASE("sorted keys order, find and compare as a sorted vector of strings does") {
  Rng rng(11);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::string> plain;
    SortedKeys keys;
    const uint64_t n = rng.Uniform(40);
    for (uint64_t i = 0; i < n; ++i) {
      // Short keys over few letters: duplicates, prefixes of each other and ':' among digits.
      std::string k = "i-" + rng.Hex(rng.Uniform(3)) + ":" + std::to_string(rng.Uniform(3) * 37);
      plain.push_back(k);
      keys.Add(k);
    }
    std::sort(plain.begin(), plain.end());
    keys.Sort();
    REQUIRE(keys.size() == plain.size());
    for (size_t i = 0; i < plain.size(); ++i) CHECK(keys[i] == plain[i]);
    for (int probe = 0; probe < 20; ++probe) {
      const std::string k = "i-" + rng.Hex(rng.Uniform(3)) + ":" + std::to_string(rng.Uniform(3) * 37);
      CHECK(keys.Contains(k) == std::binary_search(plain.begin(), plain.end(), k));
    }
    SortedKeys again;
    for (auto it = plain.rbegin(); it != plain.rend(); ++it) again.Add(*it);
    again.Sort();
    CHECK(again == keys);
    if (!plain.empty()) {
      SortedKeys fewer;
      for (size_t i = 1; i < plain.size(); ++i) fewer.Add(plain[i]);
      fewer.Sort();
      CHECK_FALSE(fewer == keys);
    }
  }
  // Same text, split differently: not equal.
  SortedKeys ab, a_b;
  ab.Add("ab");
  a_b.Add("a");
  a_b.Add("b");
  a_b.Sort();
  CHECK_FALSE(ab == a_b);
  CHECK(SortedKeys().empty());
  CHECK_FALSE(SortedKeys().Contains(""));
}

// Sort skips keys already in order; keys out of order anywhere still get sorted. Targets in (id,
// port) order are not always in key order: ':' sorts after the digits.
TEST_CASE("sorted keys in order stay, keys out of order are sorted") {
  auto sorted = [](std::initializer_list<const char*> added) {
    SortedKeys keys;
    for (const char* k : added) keys.Add(k);
    keys.Sort();
    std::vector<std::string> out;
    for (size_t i = 0; i < keys.size(); ++i) out.emplace_back(keys[i]);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(sorted({"i-0a:80", "i-0a:81", "i-0b:80"}) == V{"i-0a:80", "i-0a:81", "i-0b:80"});
  CHECK(sorted({"10.0.1.2:80", "10.0.1.23:80", "10.0.1.3:80"}) == V{"10.0.1.23:80", "10.0.1.2:80", "10.0.1.3:80"});
  CHECK(sorted({"i-a:1", "i-b:1", "i-c:1", "i-0:1"}) == V{"i-0:1", "i-a:1", "i-b:1", "i-c:1"});
}
}

}  // namespace
}  // namespace sim
