#pragma once
// Mirrors client-go util/workqueue (rate-limiting + delaying queue) and controller-runtime's
// internal controller loop (pkg/internal/controller/controller.go reconcileHandler), on the
// simulated EventQueue.
//
// Semantics kept from upstream:
//  * Add dedups: a key that is queued and not yet processed is queued once; a key added while it
//    is being processed is re-queued when processing is Done.
//  * AddAfter(d <= 0) == Add; several pending AddAfter of one key keep the earliest ready time.
//  * AddRateLimited uses the controller-runtime default rate limiter: max(per-item exponential
//    5ms·2^failures capped at 1000s, global token bucket 10 qps / burst 100). Forget resets the
//    per-item failure count.
//  * Reconcile outcome: error → AddRateLimited; RequeueAfter > 0 → Forget + AddAfter;
//    Requeue → AddRateLimited; success → Forget.
// albtwin: one worker per controller (upstream --ingress-max-concurrent-reconciles=3). Each
// reconcile is one EventQueue event scheduled at the current time, so the order of reconciles is
// the queue's FIFO order and fully deterministic.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "sim/base/clock.h"
#include "sim/base/rate_limiter.h"
#include "sim/base/status.h"

namespace sim::controller {

using sim::RateLimiterOptions;

class WorkQueue {
 public:
  // `on_ready` runs (synchronously) each time a key becomes ready to Get.
  WorkQueue(EventQueue& events, RateLimiterOptions options, std::function<void()> on_ready);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void Add(const std::string& key);
  void AddAfter(const std::string& key, SimTime delay);
  void AddRateLimited(const std::string& key);
  void Forget(const std::string& key);
  int NumRequeues(const std::string& key) const;
  // Next ready key (FIFO), marked as processing; nullopt when none is ready.
  std::optional<std::string> Get();
  void Done(const std::string& key);
  // Drops every queued and waiting key and cancels timers; later calls are ignored.
  void ShutDown();

  size_t Len() const { return queue_.size(); }
  bool shutting_down() const { return shut_down_; }
  // The delay the rate limiter would give `key` now (consumes a token and a failure step).
  SimTime When(const std::string& key);

 private:
  EventQueue& events_;
  ControllerRateLimiter limiter_;
  std::function<void()> on_ready_;
  bool shut_down_ = false;

  std::deque<std::string> queue_;
  std::set<std::string> dirty_;
  std::set<std::string> processing_;
  struct Waiting {
    SimTime ready_at;
    EventQueue::Handle handle;
  };
  std::map<std::string, Waiting> waiting_;
};

// Outcome of one reconcile (controller-runtime reconcile.Result + error).
struct ReconcileResult {
  bool requeue = false;
  SimTime requeue_after{0};
  Status status;  // non-OK → rate-limited retry
};

// One controller: a WorkQueue plus a single worker driven by EventQueue events.
class ReconcileLoop {
 public:
  using ReconcileFn = std::function<ReconcileResult(const std::string& key)>;

  ReconcileLoop(EventQueue& events, ReconcileFn reconcile, RateLimiterOptions options = {});
  ~ReconcileLoop();
  ReconcileLoop(const ReconcileLoop&) = delete;
  ReconcileLoop& operator=(const ReconcileLoop&) = delete;

  void Enqueue(const std::string& key) { queue_.Add(key); }
  void EnqueueAfter(const std::string& key, SimTime d) { queue_.AddAfter(key, d); }
  // The returned object is held by every scheduled worker event while it runs, so the owner of
  // this loop stays alive even if it is dropped (Stop) from inside a reconcile.
  void SetKeepAlive(std::function<std::shared_ptr<void>()> keep_alive) { keep_alive_ = std::move(keep_alive); }
  // Stops processing: no new reconcile starts; an in-flight one runs to its end.
  void Stop();
  bool busy() const { return busy_; }
  bool stopped() const { return stopped_; }
  WorkQueue& queue() { return queue_; }
  // Number of reconciles run so far.
  uint64_t reconcile_count() const { return reconcile_count_; }

 private:
  void Kick();
  void ProcessNext();

  EventQueue& events_;
  ReconcileFn reconcile_;
  WorkQueue queue_;
  bool busy_ = false;
  bool stopped_ = false;
  std::optional<EventQueue::Handle> scheduled_;
  uint64_t reconcile_count_ = 0;
  std::function<std::shared_ptr<void>()> keep_alive_;
};

}  // namespace sim::controller
