#pragma once
// Seeded randomness. std::mt19937_64's sequence is fixed by the standard; the distributions are
// not, so bounded draws are done here by rejection sampling to stay identical across libraries.

#include <cstdint>
#include <random>
#include <string>

namespace sim {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  uint64_t Next() { return engine_(); }
  // Uniform in [0, n); n > 0.
  uint64_t Uniform(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
      x = engine_();
    } while (x >= limit);
    return x % n;
  }
  // `len` lowercase hex digits.
  std::string Hex(size_t len) {
    static const char* kHex = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < len; ++i) s.push_back(kHex[Uniform(16)]);
    return s;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace sim
