#pragma once
// Small text matchers shared by the scenario loader/runner and the ALB data plane.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace sim {

// ASCII case folding: what AWS and Kubernetes mean by case-insensitive names (no locale).
inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
std::string AsciiLower(std::string_view s);
// a == b ignoring ASCII case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Glob: `*` any run (also empty), `?` exactly one character, everything else literal.
bool GlobMatch(std::string_view pattern, std::string_view text, bool case_insensitive = false);

// Appends `value` in decimal (no allocation beyond `out`'s growth).
void AppendDecimal(std::string* out, int64_t value);

// The parts joined, in one allocation (a chain of operator+ makes a string per step).
inline std::string StrCat(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (std::string_view p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (std::string_view p : parts) out.append(p);
  return out;
}

// Dotted-quad IPv4 <-> 32-bit value.
bool ParseIpv4(const std::string& text, uint32_t* out);
std::string FormatIpv4(uint32_t value);
// "a.b.c.d/n" with no host bits set. False when malformed.
bool ParseCidr(const std::string& text, uint32_t* base, int* bits);
// True iff IPv4 `ip` lies in `cidr` ("a.b.c.d/n"; a bare address means /32). False for IPv6 or
// malformed input.
bool CidrContains(const std::string& cidr, const std::string& ip);

}  // namespace sim
