// Mirrors client-go util/workqueue and controller-runtime pkg/internal/controller/controller.go.
#include "sim/controller/workqueue.h"


namespace sim::controller {

WorkQueue::WorkQueue(EventQueue& events, RateLimiterOptions options, std::function<void()> on_ready)
    : events_(events), limiter_(options, events.clock().Now()), on_ready_(std::move(on_ready)) {}

WorkQueue::~WorkQueue() { ShutDown(); }

void WorkQueue::Add(const std::string& key) {
  if (shut_down_) return;
  if (dirty_.count(key)) return;
  dirty_.insert(key);
  if (processing_.count(key)) return;
  queue_.push_back(key);
  if (on_ready_) on_ready_();
}

void WorkQueue::AddAfter(const std::string& key, SimTime delay) {
  if (shut_down_) return;
  if (delay.count() <= 0) {
    Add(key);
    return;
  }
  SimTime ready_at = events_.clock().Now() + delay;
  auto it = waiting_.find(key);
  if (it != waiting_.end()) {
    if (it->second.ready_at <= ready_at) return;
    events_.Cancel(it->second.handle);
    waiting_.erase(it);
  }
  EventQueue::Handle h = events_.ScheduleAt(ready_at, [this, key] {
    waiting_.erase(key);
    Add(key);
  });
  waiting_[key] = Waiting{ready_at, h};
}

SimTime WorkQueue::When(const std::string& key) { return limiter_.When(key, events_.clock().Now()); }

void WorkQueue::AddRateLimited(const std::string& key) {
  if (shut_down_) return;
  AddAfter(key, When(key));
}

void WorkQueue::Forget(const std::string& key) { limiter_.Forget(key); }

int WorkQueue::NumRequeues(const std::string& key) const { return limiter_.NumRequeues(key); }

std::optional<std::string> WorkQueue::Get() {
  if (queue_.empty()) return std::nullopt;
  std::string key = queue_.front();
  queue_.pop_front();
  processing_.insert(key);
  dirty_.erase(key);
  return key;
}

void WorkQueue::Done(const std::string& key) {
  processing_.erase(key);
  if (dirty_.count(key) && !shut_down_) {
    queue_.push_back(key);
    if (on_ready_) on_ready_();
  }
}

void WorkQueue::ShutDown() {
  if (shut_down_) return;
  shut_down_ = true;
  for (auto& [key, w] : waiting_) events_.Cancel(w.handle);
  waiting_.clear();
  queue_.clear();
  dirty_.clear();
}

ReconcileLoop::ReconcileLoop(EventQueue& events, ReconcileFn reconcile, RateLimiterOptions options)
    : events_(events), reconcile_(std::move(reconcile)), queue_(events, options, [this] { Kick(); }) {}

ReconcileLoop::~ReconcileLoop() {
  Stop();
}

void ReconcileLoop::Stop() {
  stopped_ = true;
  if (scheduled_) {
    events_.Cancel(*scheduled_);
    scheduled_.reset();
  }
  queue_.ShutDown();
}

void ReconcileLoop::Kick() {
  if (stopped_ || busy_ || scheduled_ || queue_.Len() == 0) return;
  std::shared_ptr<void> hold = keep_alive_ ? keep_alive_() : nullptr;
  scheduled_ = events_.ScheduleAfter(SimTime(0), [this, hold] {
    scheduled_.reset();
    ProcessNext();
  });
}

void ReconcileLoop::ProcessNext() {
  if (stopped_ || busy_) return;
  std::optional<std::string> key = queue_.Get();
  if (!key) return;
  busy_ = true;
  ++reconcile_count_;
  ReconcileResult result = reconcile_(*key);
  busy_ = false;
  if (!stopped_) {
    if (!result.status.ok()) {
      queue_.AddRateLimited(*key);
    } else if (result.requeue_after.count() > 0) {
      queue_.Forget(*key);
      queue_.AddAfter(*key, result.requeue_after);
    } else if (result.requeue) {
      queue_.AddRateLimited(*key);
    } else {
      queue_.Forget(*key);
    }
    queue_.Done(*key);
  }
  Kick();
}

}  // namespace sim::controller
