#pragma once
// Dotted-quad IPv4 text <-> host-order integer, shared by the fake API server (Service IPs) and the
// built-in controllers (pod IPs, endpoint ordering).

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <string>

namespace sim::k8s {

// Parses "a.b.c.d" as sscanf("%u.%u.%u.%u%c") == 4 with every part <= 255 does. The plain form
// (1-3 digits per part, nothing else) is parsed directly; anything else goes through sscanf.
inline bool ParseIpv4(const std::string& s, uint32_t* out) {
  uint32_t value = 0;
  uint32_t part = 0;
  int digits = 0, dots = 0;
  bool plain = !s.empty() && s.size() <= 15;
  for (size_t i = 0; plain && i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      part = part * 10 + static_cast<uint32_t>(c - '0');
      plain = ++digits <= 3;
    } else if (c == '.' && digits > 0 && dots < 3) {
      if (part > 255) return false;
      value = (value << 8) | part;
      part = 0;
      digits = 0;
      ++dots;
    } else {
      plain = false;
    }
  }
  if (plain && dots == 3 && digits > 0) {
    if (part > 255) return false;
    *out = (value << 8) | part;
    return true;
  }
  unsigned a, b, c, d;
  char tail;
  if (std::sscanf(s.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4) return false;
  if (a > 255 || b > 255 || c > 255 || d > 255) return false;
  *out = (a << 24) | (b << 16) | (c << 8) | d;
  return true;
}

inline std::string Ipv4ToString(uint32_t ip) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
  return buf;
}

// The addresses in use in one subnet, as maximal runs [first, end): the first free address from
// any point is found in one lookup.
class AddressRuns {
 public:
  bool Insert(uint32_t a) {
    if (Contains(a)) return false;
    uint64_t end = uint64_t{a} + 1;  // runs end past the address space's last address too
    if (end <= UINT32_MAX) {
      auto next = runs_.find(static_cast<uint32_t>(end));
      if (next != runs_.end()) {
        end = next->second;
        runs_.erase(next);
      }
    }
    auto prev = runs_.lower_bound(a);
    if (prev != runs_.begin() && std::prev(prev)->second == a) {
      std::prev(prev)->second = end;
    } else {
      runs_[a] = end;
    }
    return true;
  }
  void Erase(uint32_t a) {
    auto it = Run(a);
    if (it == runs_.end()) return;
    const uint32_t first = it->first;
    const uint64_t end = it->second;
    runs_.erase(it);
    if (first < a) runs_[first] = a;
    if (uint64_t{a} + 1 < end) runs_[a + 1] = end;
  }
  bool Contains(uint32_t a) const { return Run(a) != runs_.end(); }
  // The first address in [from, end) not in use, or `end`.
  uint32_t FirstFree(uint32_t from, uint32_t end) const {
    auto it = Run(from);
    const uint64_t a = it == runs_.end() ? from : it->second;
    return a < end ? static_cast<uint32_t>(a) : end;
  }

 private:
  std::map<uint32_t, uint64_t>::const_iterator Run(uint32_t a) const {
    auto it = runs_.upper_bound(a);
    if (it == runs_.begin()) return runs_.end();
    --it;
    return a < it->second ? it : runs_.end();
  }
  std::map<uint32_t, uint64_t> runs_;  // first -> end (one past the run's last address)
};

}  // namespace sim::k8s
