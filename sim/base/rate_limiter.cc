#include "sim/base/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace sim {

ControllerRateLimiter::ControllerRateLimiter(RateLimiterOptions options, SimTime now)
    : options_(options), tokens_(options.burst), last_refill_(now) {}

SimTime ControllerRateLimiter::When(const std::string& key, SimTime now) {
  // Per-item exponential failure rate limiter.
  int exp = failures_[key]++;
  double backoff_ms = static_cast<double>(options_.base_delay.count()) * std::pow(2.0, exp);
  SimTime item_delay = backoff_ms > static_cast<double>(options_.max_delay.count())
                           ? options_.max_delay
                           : SimTime(static_cast<int64_t>(backoff_ms));
  // Global token bucket (golang.org/x/time/rate Reserve().Delay()).
  SimTime bucket_delay{0};
  if (options_.qps > 0) {
    double elapsed_s = static_cast<double>((now - last_refill_).count()) / 1000.0;
    tokens_ = std::min<double>(options_.burst, tokens_ + elapsed_s * options_.qps);
    last_refill_ = now;
    tokens_ -= 1;
    if (tokens_ < 0) bucket_delay = SimTime(static_cast<int64_t>(-tokens_ / options_.qps * 1000.0));
  }
  return std::max(item_delay, bucket_delay);
}

int ControllerRateLimiter::NumRequeues(const std::string& key) const {
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

}  // namespace sim
