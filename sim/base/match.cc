#include "sim/base/match.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace sim {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

void AppendDecimal(std::string* out, int64_t value) {
  char text[24];
  out->append(text, std::to_chars(text, text + sizeof text, value).ptr);
}

namespace {

template <bool kFold>
bool Same(char a, char b) {
  return kFold ? AsciiLower(a) == AsciiLower(b) : a == b;
}

// GlobMatch from the first wildcard on: on a mismatch after a `*`, the star takes one more
// character and matching resumes after it.
template <bool kFold>
bool GlobMatchFrom(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || (pattern[p] != '*' && Same<kFold>(pattern[p], text[t])))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// The literal head (up to the first wildcard) matches the text's head character for character,
// stopping at the first difference; the rest goes to GlobMatchFrom.
template <bool kFold>
bool GlobMatchT(std::string_view pattern, std::string_view text) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char pc = pattern[i];
    if (pc == '*' || pc == '?') return GlobMatchFrom<kFold>(pattern.substr(i), text.substr(i));
    if (i >= text.size() || !Same<kFold>(pc, text[i])) return false;
  }
  return text.size() == pattern.size();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text, bool case_insensitive) {
  return case_insensitive ? GlobMatchT<true>(pattern, text) : GlobMatchT<false>(pattern, text);
}

bool ParseIpv4(const std::string& s, uint32_t* out) {
  uint32_t v = 0;
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j == i || j - i > 3) return false;
    int octet = std::atoi(s.substr(i, j - i).c_str());
    if (octet > 255) return false;
    v = (v << 8) | static_cast<uint32_t>(octet);
    if (part < 3) {
      if (j >= s.size() || s[j] != '.') return false;
      i = j + 1;
    } else if (j != s.size()) {
      return false;
    }
  }
  *out = v;
  return true;
}

std::string FormatIpv4(uint32_t v) {
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." + std::to_string((v >> 8) & 255) +
         "." + std::to_string(v & 255);
}

namespace {
uint32_t Mask(int bits) { return bits == 0 ? 0 : ~uint32_t(0) << (32 - bits); }
}  // namespace

bool ParseCidr(const std::string& s, uint32_t* base, int* bits) {
  auto slash = s.find('/');
  if (slash == std::string::npos || !ParseIpv4(s.substr(0, slash), base)) return false;
  const std::string b = s.substr(slash + 1);
  if (b.empty() || b.size() > 2 || !std::all_of(b.begin(), b.end(), ::isdigit)) return false;
  *bits = std::atoi(b.c_str());
  return *bits <= 32 && (*base & ~Mask(*bits)) == 0;
}

bool CidrContains(const std::string& cidr, const std::string& ip) {
  auto slash = cidr.find('/');
  uint32_t base, addr;
  if (!ParseIpv4(slash == std::string::npos ? cidr : cidr.substr(0, slash), &base)) return false;
  if (!ParseIpv4(ip, &addr)) return false;
  int bits = slash == std::string::npos ? 32 : std::atoi(cidr.c_str() + slash + 1);
  if (bits < 0 || bits > 32) return false;
  return (addr & Mask(bits)) == (base & Mask(bits));
}

}  // namespace sim
