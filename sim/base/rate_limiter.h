#pragma once
// client-go's workqueue.DefaultControllerRateLimiter: the delay before a failed key is retried is
// the larger of a per-item exponential backoff (base_delay · 2^failures, at most max_delay) and a
// global token bucket (qps, burst; golang.org/x/time/rate Reserve().Delay()). Forget resets a key's
// failure count. Used by the controller's work queues (sim/controller/workqueue.h) and by the
// built-in Kubernetes controllers (sim/k8s/builtin_controllers.cc), as upstream's controllers share
// it.

#include <map>
#include <string>

#include "sim/base/clock.h"

namespace sim {

struct RateLimiterOptions {
  SimTime base_delay{5};           // per-item exponential base
  SimTime max_delay{1000 * 1000};  // per-item cap (1000s)
  double qps = 10;                 // global bucket; qps <= 0 disables the bucket
  int burst = 100;
};

class ControllerRateLimiter {
 public:
  // `now` is the bucket's start (full).
  ControllerRateLimiter(RateLimiterOptions options, SimTime now);

  // The delay for `key` at `now` (consumes a token and a failure step).
  SimTime When(const std::string& key, SimTime now);
  void Forget(const std::string& key) { failures_.erase(key); }
  int NumRequeues(const std::string& key) const;

 private:
  RateLimiterOptions options_;
  std::map<std::string, int> failures_;
  double tokens_ = 0;
  SimTime last_refill_{0};
};

}  // namespace sim
