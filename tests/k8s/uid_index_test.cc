#include "sim/k8s/uid_index.h"

#include <map>
#include <random>
#include <string>

#include <doctest/doctest.h>

namespace sim::k8s {
namespace {

TEST_CASE("IssuedUid is the fake API server's uid format, and IssuedUidCounter reads it back") {
  CHECK(IssuedUid(1) == "00000000-0000-4000-8000-000000000001");
  CHECK(IssuedUid(0xabcdef) == "00000000-0000-4000-8000-000000abcdef");
  CHECK(IssuedUid(0xffffffffffffULL) == "00000000-0000-4000-8000-ffffffffffff");
  for (uint64_t n : {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{4096}, uint64_t{0x123456789abcULL}}) {
    CHECK(IssuedUidCounter(IssuedUid(n)) == n);
  }
  // Anything else is not an issued uid.
  CHECK_FALSE(IssuedUidCounter("").has_value());
  CHECK_FALSE(IssuedUidCounter("uid-1").has_value());
  CHECK_FALSE(IssuedUidCounter("00000000-0000-4000-8000-00000000001").has_value());    // 11 digits
  CHECK_FALSE(IssuedUidCounter("00000000-0000-4000-8000-0000000000011").has_value());  // 13 digits
  CHECK_FALSE(IssuedUidCounter("00000000-0000-4000-8000-00000000000A").has_value());   // upper case
  CHECK_FALSE(IssuedUidCounter("00000000-0000-4000-8000-00000000000g").has_value());
  CHECK_FALSE(IssuedUidCounter("10000000-0000-4000-8000-000000000001").has_value());   // other prefix
}

TEST_CASE("UidIndex finds, replaces and erases issued uids") {
  UidIndex<int> index;
  CHECK(index.Find(IssuedUid(1)) == nullptr);
  const uint64_t issued = 5;
  index.Set(IssuedUid(1), 10, issued);
  index.Set(IssuedUid(2), 20, issued);
  index.Set(IssuedUid(5), 50, issued);  // a gap: 3 and 4 are absent
  CHECK(index.size() == 3);
  REQUIRE(index.Find(IssuedUid(2)) != nullptr);
  CHECK(*index.Find(IssuedUid(2)) == 20);
  CHECK(index.Find(IssuedUid(3)) == nullptr);
  CHECK(index.Find(IssuedUid(6)) == nullptr);  // past the end
  const int* replaced = &index.Set(IssuedUid(2), 21, issued);  // replaced, not added
  CHECK(replaced == index.Find(IssuedUid(2)));                  // Set returns the stored value
  CHECK(index.size() == 3);
  CHECK(*index.Find(IssuedUid(2)) == 21);
  CHECK(index.Erase(IssuedUid(2)));
  CHECK_FALSE(index.Erase(IssuedUid(2)));
  CHECK_FALSE(index.Contains(IssuedUid(2)));
  CHECK(index.Contains(IssuedUid(5)));
  CHECK(index.size() == 2);
}

TEST_CASE("UidIndex keeps uids it did not issue, and far-off issued-shaped ones, apart") {
  UidIndex<int> index;
  const uint64_t issued = 3;
  index.Set("owner-from-a-manifest", 1, issued);
  index.Set(IssuedUid(3), 3, issued);
  // Issued-shaped but far past anything issued: kept, without growing the vector to that size.
  const std::string far = IssuedUid(0xfffffffffffULL);
  const int* stored = &index.Set(far, 7, issued);
  CHECK(stored == index.Find(far));  // Set returns the stored value (in the map)
  CHECK(index.size() == 3);
  CHECK(*index.Find("owner-from-a-manifest") == 1);
  CHECK(*index.Find(far) == 7);
  CHECK(index.vector_span() == 4);  // the far one did not grow the vector
  CHECK(*index.Find(IssuedUid(3)) == 3);
  CHECK(index.Find("OWNER-FROM-A-MANIFEST") == nullptr);
  index.Set(far, 8, issued);  // replaced where it is
  CHECK(index.size() == 3);
  CHECK(*index.Find(far) == 8);
  CHECK(index.Erase(far));
  CHECK(index.Erase("owner-from-a-manifest"));
  CHECK_FALSE(index.Erase("owner-from-a-manifest"));
  CHECK(index.size() == 1);
}

TEST_CASE("UidIndex: uids up to the issued count take the vector however far apart, others never grow it") {
  UidIndex<int> pods;  // an index of one kind: its uids are far apart, the others went elsewhere
  pods.Set(IssuedUid(200000), 1, /*issued=*/200000);
  pods.Set(IssuedUid(500000), 2, /*issued=*/500000);
  CHECK(pods.vector_span() == 500001);
  CHECK(*pods.Find(IssuedUid(200000)) == 1);
  CHECK(*pods.Find(IssuedUid(500000)) == 2);
  // Past the issued count (a uid the server did not issue): kept, but the vector does not grow.
  pods.Set(IssuedUid(0xfffffffffffULL), 3, /*issued=*/500000);
  CHECK(pods.vector_span() == 500001);
  CHECK(*pods.Find(IssuedUid(0xfffffffffffULL)) == 3);
  CHECK(pods.size() == 3);
}

TEST_CASE("UidIndex: a far-off uid is still found after the issued ones grow past it, and lives in one place") {
  UidIndex<int> index;
  const std::string later = IssuedUid(100000);  // beyond what had been issued when it was set
  index.Set(later, 1, /*issued=*/10);
  for (uint64_t n = 1; n <= 100010; ++n) {
    if (n != 100000) index.Set(IssuedUid(n), 0, /*issued=*/n);
  }
  // The vector now covers 100000, yet the entry set earlier is found and erased where it is.
  REQUIRE(index.Find(later) != nullptr);
  CHECK(*index.Find(later) == 1);
  index.Set(later, 2, /*issued=*/100010);  // moved into the vector: not kept twice
  CHECK(*index.Find(later) == 2);
  CHECK(index.size() == 100010);
  CHECK(index.Erase(later));
  CHECK(index.Find(later) == nullptr);
  CHECK_FALSE(index.Erase(later));
  CHECK(index.size() == 100009);
}

TEST_CASE("UidIndex agrees with a map under random sets, erases and lookups") {
  UidIndex<int> index;
  std::map<std::string, int> model;
  std::mt19937 rng(7);
  auto random_uid = [&] {
    switch (rng() % 4) {
      case 0: return std::string("custom-") + std::to_string(rng() % 50);
      case 1: return IssuedUid(rng() % 3000000);  // sometimes far off
      default: return IssuedUid(rng() % 400);
    }
  };
  for (int step = 0; step < 20000; ++step) {
    const std::string uid = random_uid();
    switch (rng() % 3) {
      case 0: {
        const int v = static_cast<int>(rng() % 1000);
        // Issued uids grow over the run: early far-off ones go to the map, later ones to the vector.
        index.Set(uid, v, /*issued=*/150 * static_cast<uint64_t>(step));
        model[uid] = v;
        break;
      }
      case 1:
        CHECK(index.Erase(uid) == (model.erase(uid) == 1));
        break;
      default: {
        const int* found = index.Find(uid);
        auto it = model.find(uid);
        REQUIRE((found != nullptr) == (it != model.end()));
        if (found != nullptr) CHECK(*found == it->second);
      }
    }
    REQUIRE(index.size() == model.size());
  }
}

}  // namespace
}  // namespace sim::k8s
