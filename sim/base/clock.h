#pragma once
// Simulated time: integer milliseconds since scenario start, so every run is exact.
// Modelled on absl/time/clock_interface.h and Envoy's simulated_time_system.h.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sim {

using SimTime = std::chrono::milliseconds;  // since scenario start

class Clock {
 public:
  virtual ~Clock() = default;
  virtual SimTime Now() const = 0;
};

// The wall-clock instant that SimTime 0 stands for: 2026-01-01T00:00:00Z.
inline constexpr int64_t kEpochUnixSeconds = 1767225600;

// RFC 3339, UTC, second precision, as the Kubernetes API server prints timestamps:
// 2026-01-01T00:00:05Z.
std::string FormatRfc3339(SimTime t);
// FormatRfc3339 of the clock's current time, formatted again only when the time has moved (many
// writes share one instant).
class Rfc3339Now {
 public:
  explicit Rfc3339Now(const Clock& clock) : clock_(clock) {}
  const std::string& Get() const {
    const SimTime t = clock_.Now();
    if (!at_ || *at_ != t) {
      text_ = FormatRfc3339(t);
      at_ = t;
    }
    return text_;
  }

 private:
  const Clock& clock_;
  mutable std::optional<SimTime> at_;
  mutable std::string text_;
};
// Milliseconds, as in logs: "12.500s".
std::string FormatSeconds(SimTime t);
// Parses "10h", "5m", "30s", "250ms", "1h30m", "10h0m0s" (Go time.ParseDuration subset).
bool ParseDuration(const std::string& text, SimTime* out);

class SimClock final : public Clock {
 public:
  SimTime Now() const override { return now_; }
  void AdvanceTo(SimTime t) {
    if (t > now_) now_ = t;
  }

 private:
  SimTime now_{0};
};

// Events fire in (time, sequence) order; sequence = insertion order, so ties are stable.
class EventQueue {
 public:
  using Callback = std::function<void()>;
  using Handle = uint64_t;

  explicit EventQueue(SimClock& clock) : clock_(clock) {}

  // A background event (periodic resync, health-check ticks) is not "pending work": `settle`
  // stops when only background events remain.
  Handle ScheduleAt(SimTime at, Callback cb, bool background = false);
  Handle ScheduleAfter(SimTime delay, Callback cb, bool background = false) {
    return ScheduleAt(clock_.Now() + delay, std::move(cb), background);
  }
  // Drops the event; a no-op when it already fired or was cancelled.
  void Cancel(Handle handle);

  bool empty() const { return live_ == 0; }
  size_t size() const { return live_; }
  // Number of queued events that are not background.
  size_t pending_work() const { return pending_work_; }
  // Time of the next event; only valid when !empty().
  SimTime NextTime() const { return heap_.front().at; }

  // Fires the next event (advancing the clock to it). Returns false when empty.
  bool RunNext();
  // Fires every event with time <= t, then sets the clock to t.
  void RunUntil(SimTime t);

  const Clock& clock() const { return clock_; }

 private:
  // A binary min-heap of (time, sequence) over slots that hold the callbacks: no allocation per
  // event beyond the callback's own. A cancelled event's heap item stays until it reaches the top
  // (then it is dropped), so the top is always a live event.
  struct Slot {
    Callback cb;
    uint64_t seq = 0;
    bool live = false;
    bool background = false;
  };
  struct Item {
    SimTime at;
    uint64_t seq;
    uint32_t slot;
  };
  static bool Later(const Item& a, const Item& b) { return a.at != b.at ? a.at > b.at : a.seq > b.seq; }
  Item PopTop();
  void DropCancelledTop();

  SimClock& clock_;
  uint64_t next_seq_ = 0;
  size_t pending_work_ = 0;
  size_t live_ = 0;
  std::vector<Item> heap_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
};

}  // namespace sim
