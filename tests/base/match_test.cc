// Text matchers shared across the engine (sim/base/match.h).
#include "sim/base/match.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

TEST_CASE("StrCat joins its parts in order") {
  const std::string tg = "k8s-default-web-0123456789";
  const std::string_view id = "i-0123456789abcdef0:30080";
  const std::string joined = StrCat({"+ ", "target ", tg, " <- ", id});
  CHECK(joined == "+ target " + tg + " <- " + std::string(id));
  CHECK(StrCat({}).empty());
  CHECK(StrCat({"", "a", "", "b"}) == "ab");
}

// Glob by dynamic programming over (pattern prefix, text prefix): the reference for GlobMatch.
bool ReferenceGlob(std::string_view pattern, std::string_view text, bool fold) {
  std::vector<std::vector<bool>> m(pattern.size() + 1, std::vector<bool>(text.size() + 1, false));
  m[0][0] = true;
  for (size_t i = 1; i <= pattern.size(); ++i) {
    const char pc = pattern[i - 1];
    m[i][0] = pc == '*' && m[i - 1][0];
    for (size_t j = 1; j <= text.size(); ++j) {
      const char tc = text[j - 1];
      if (pc == '*') {
        m[i][j] = m[i - 1][j] || m[i][j - 1];
      } else {
        const bool same = pc == '?' || (fold ? AsciiLower(pc) == AsciiLower(tc) : pc == tc);
        m[i][j] = same && m[i - 1][j - 1];
      }
    }
  }
  return m[pattern.size()][text.size()];
}

TEST_CASE("GlobMatch agrees with a reference matcher on random patterns and texts, with and without case folding") {
  uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  const std::string pattern_chars = "abAB*?", text_chars = "abAB";
  int matched = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string pattern, text;
    for (uint32_t k = next() % 7; k > 0; --k) pattern.push_back(pattern_chars[next() % pattern_chars.size()]);
    for (uint32_t k = next() % 8; k > 0; --k) text.push_back(text_chars[next() % text_chars.size()]);
    for (bool fold : {false, true}) {
      CAPTURE(pattern);
      CAPTURE(text);
      CAPTURE(fold);
      const bool want = ReferenceGlob(pattern, text, fold);
      REQUIRE(GlobMatch(pattern, text, fold) == want);
      matched += want ? 1 : 0;
    }
  }
  CHECK(matched > 1000);  // the cases are not all misses
  CHECK(GlobMatch("arn:aws:elasticloadbalancing:*:*:targetgroup/k8s-*/*",
                  "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/k8s-default-web-0123456789/abc"));
  CHECK_FALSE(GlobMatch("arn:aws:elasticloadbalancing:*", "arn:aws:elasticloadbalancin"));
  CHECK(GlobMatch("ARN:AWS:*", "arn:aws:iam", true));
  CHECK_FALSE(GlobMatch("ARN:AWS:*", "arn:aws:iam"));
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
