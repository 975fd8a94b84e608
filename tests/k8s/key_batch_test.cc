#include "sim/k8s/key_batch.h"

#include <random>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace sim::k8s {
namespace {

TEST_CASE("KeyBatch hands out what a std::set would hold, in its order, and is empty after") {
  KeyBatch batch;
  for (const char* k : {"b", "a", "c", "a", "b", "a"}) batch.Add(k);
  CHECK(batch.held() == 6);  // below the bound: kept as added
  CHECK(batch.Take() == std::vector<std::string>{"a", "b", "c"});
  CHECK(batch.empty());
  CHECK(batch.Take().empty());
}

TEST_CASE("KeyBatch keeps a key added twice in a row once, and a key seen before but not just before") {
  KeyBatch batch;
  for (const char* k : {"b", "b", "a", "a", "a", "b", "c", "c"}) batch.Add(k);
  CHECK(batch.held() == 4);  // b, a, b, c
  CHECK(batch.Take() == std::vector<std::string>{"a", "b", "c"});
  batch.Add("c");  // the last key of the batch taken: a new batch holds it again
  CHECK(batch.held() == 1);
  CHECK(batch.Take() == std::vector<std::string>{"c"});
  KeyBatch bounded(2);  // compacted at the second key: "b" is then the last key kept
  for (const char* k : {"b", "a", "b", "a", "a"}) bounded.Add(k);
  CHECK(bounded.held() == 3);  // a, b (compacted), then a
  CHECK(bounded.Take() == std::vector<std::string>{"a", "b"});
}

TEST_CASE("KeyBatch compacts past its bound: duplicates stay bounded, the keys and order do not change") {
  for (size_t bound : {size_t{1}, size_t{2}, size_t{8}, size_t{100}}) {
    KeyBatch batch(bound);
    std::set<std::string> model;
    std::mt19937 rng(static_cast<unsigned>(bound));
    for (int round = 0; round < 20; ++round) {
      const int adds = static_cast<int>(rng() % 400);
      const unsigned distinct = 1 + rng() % 60;
      for (int i = 0; i < adds; ++i) {
        const std::string key = "default/web-" + std::to_string(rng() % distinct);
        batch.Add(key);
        model.insert(key);
        // Never more than the bound or twice the distinct keys (plus the one just added).
        REQUIRE(batch.held() <= std::max(bound, 2 * model.size()) + 1);
      }
      CHECK(batch.Take() == std::vector<std::string>(model.begin(), model.end()));
      model.clear();
    }
  }
}

}  // namespace
}  // namespace sim::k8s
