#include "sim/k8s/pair_key_index.h"

#include <map>
#include <string>
#include <utility>

#include <doctest/doctest.h>

namespace sim::k8s {
namespace {

using TestMap = std::map<std::pair<std::string, std::string>, int>;

// The home slot of each name is chosen by the test (the table starts with 64 slots): collisions
// and runs that wrap past the end of the table are placed on purpose.
std::map<std::string, size_t>& Homes() {
  static std::map<std::string, size_t> homes;
  return homes;
}
struct ChosenHash {
  size_t operator()(const std::pair<std::string_view, std::string_view>& k) const {
    return Homes().at(std::string(k.second));
  }
};

struct Fixture {
  TestMap map;
  PairKeyIndex<TestMap, ChosenHash> index;
  void Add(const std::string& name, size_t home) {
    Homes()[name] = home;
    index.insert(map.emplace(std::make_pair(std::string("ns"), name), 0).first);
  }
  void Remove(const std::string& name) {
    const auto entry = index.erase({"ns", name});  // the entry, found by the erase's own lookup
    REQUIRE(entry.has_value());
    CHECK((*entry)->first.second == name);
    map.erase(*entry);
    CHECK_FALSE(index.erase({"ns", name}).has_value());  // gone: nothing to unindex
  }
  bool Found(const std::string& name) const {
    const auto* it = index.find({"ns", name});
    return it != nullptr && (*it)->first.second == name;
  }
};

TEST_SUITE("k8s.pair_key_index") {
TEST_CASE("deleting from a run that wraps past the end keeps every other key reachable") {
  Fixture f;
  // Slots: 63 p (home 63), 0 q (home 0), 1 r (home 63, wrapped past 63 and 0).
  f.Add("p", 63);
  f.Add("q", 0);
  f.Add("r", 63);
  REQUIRE(f.Found("p"));
  REQUIRE(f.Found("q"));
  REQUIRE(f.Found("r"));
  // Deleting p: q must stay at its home (0 lies in the wrapped interval), r moves up to 63.
  f.Remove("p");
  CHECK_FALSE(f.Found("p"));
  CHECK(f.Found("q"));
  CHECK(f.Found("r"));
  CHECK(f.index.size() == 2);
}

TEST_CASE("a run of collisions shifts back across the end of the table") {
  Fixture f;
  f.Add("a", 62);  // slot 62
  f.Add("b", 62);  // 63
  f.Add("c", 63);  // 0
  f.Add("d", 0);   // 1
  f.Add("e", 1);   // 2
  f.Add("x", 5);   // 5, outside the run
  f.Remove("a");
  for (const char* n : {"b", "c", "d", "e", "x"}) CHECK_MESSAGE(f.Found(n), n);
  f.Remove("c");
  for (const char* n : {"b", "d", "e", "x"}) CHECK_MESSAGE(f.Found(n), n);
  CHECK_FALSE(f.Found("c"));
  f.Add("c", 63);
  CHECK(f.Found("c"));
  CHECK(f.index.size() == 5);
}

TEST_CASE("the same name in another namespace is another key") {
  Fixture f;
  f.Add("web", 3);
  CHECK(f.Found("web"));
  CHECK(f.index.find({"other", "web"}) == nullptr);
}
}

}  // namespace
}  // namespace sim::k8s
