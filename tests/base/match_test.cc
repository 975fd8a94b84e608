// Text matchers shared across the engine (sim/base/match.h).
#include "sim/base/match.h"

#include <cstdint>
#include <string>

#include <doctest/doctest.h>

namespace sim {
namespace {

TEST_SUITE("base.match") {
TEST_CASE("ASCII case folding lowers A-Z only, whatever the locale") {
  CHECK(AsciiLower("Host-HEADER.Example.COM") == "host-header.example.com");
  CHECK(AsciiLower("\xC3\x89t\xC3\xA9") == "\xC3\x89t\xC3\xA9");  // UTF-8 bytes stay as they are
  CHECK(AsciiLower('Z') == 'z');
  CHECK(AsciiLower('[') == '[');  // just after 'Z'
  CHECK(AsciiLower('@') == '@');  // just before 'A'
}
TEST_CASE("decimal appending writes what std::to_string writes, after what is there") {
  for (int64_t v : {int64_t{0}, int64_t{7}, int64_t{-42}, int64_t{30080}, INT64_MAX, INT64_MIN}) {
    std::string out = "i-0abc:";
    AppendDecimal(&out, v);
    CHECK(out == "i-0abc:" + std::to_string(v));
  }
}

TEST_CASE("StrCat joins its parts in order into a string of exactly their length") {
  const std::string tg = "k8s-default-web-0123456789";
  const std::string_view id = "i-0123456789abcdef0:30080";
  const std::string joined = StrCat({"+ ", "target ", tg, " <- ", id});
  CHECK(joined == "+ target " + tg + " <- " + std::string(id));
  CHECK(joined.capacity() == joined.size());  // reserved once, exactly (beyond the inline buffer)
  CHECK(StrCat({}).empty());
  CHECK(StrCat({"", "a", "", "b"}) == "ab");
}

TEST_CASE("equality ignoring ASCII case needs the same length") {
  CHECK(EqualsIgnoreCase("X-Forwarded-For", "x-forwarded-for"));
  CHECK(EqualsIgnoreCase("", ""));
  CHECK_FALSE(EqualsIgnoreCase("host", "hosts"));
  CHECK_FALSE(EqualsIgnoreCase("[", "{"));  // '[' and '{' differ by 32 but are not letters
}
}

}  // namespace
}  // namespace sim
