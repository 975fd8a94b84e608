#pragma once
// SIM_CHECK(cond) << "why": aborts on a broken invariant (a bug, never bad input).

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace sim::internal {
class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* cond) {
    stream_ << file << ":" << line << ": SIM_CHECK failed: " << cond << " ";
  }
  [[noreturn]] ~CheckFailure() {
    std::cerr << stream_.str() << std::endl;
    std::abort();
  }
  std::ostream& stream() { return stream_; }

 private:
  std::ostringstream stream_;
};
}  // namespace sim::internal

#define SIM_CHECK(cond) \
  if (cond) {           \
  } else                \
    ::sim::internal::CheckFailure(__FILE__, __LINE__, #cond).stream()
