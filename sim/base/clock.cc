#include "sim/base/clock.h"

#include "sim/base/heap_prefault.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace sim {

std::string FormatRfc3339(SimTime t) {
  std::time_t secs = static_cast<std::time_t>(kEpochUnixSeconds + t.count() / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string FormatSeconds(SimTime t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%03llds", static_cast<long long>(t.count() / 1000),
                static_cast<long long>(t.count() % 1000));
  return buf;
}

bool ParseDuration(const std::string& text, SimTime* out) {
  if (text.empty()) return false;
  if (text == "0") {
    *out = SimTime(0);
    return true;
  }
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    int64_t value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      value = value * 10 + (text[i] - '0');
      if (value > 1'000'000'000'000LL) return false;
      ++i;
    }
    std::string unit;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) unit += text[i++];
    if (unit == "ms") total += value;
    else if (unit == "s") total += value * 1000;
    else if (unit == "m") total += value * 60'000;
    else if (unit == "h") total += value * 3'600'000;
    else if (unit == "d") total += value * 86'400'000;
    else return false;
  }
  *out = SimTime(total);
  return true;
}

// A handle names the slot (low 32 bits) and the event's sequence number (high 32 bits, its low 32
// bits), so a handle of an event that fired or was cancelled does not reach the slot's next event
// (unless 2^32 events later the same slot held an event of the same low sequence bits).
EventQueue::Handle EventQueue::ScheduleAt(SimTime at, Callback cb, bool background) {
  if (at < clock_.Now()) at = clock_.Now();
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  const uint64_t seq = next_seq_++;
  Slot& s = slots_[slot];
  s.cb = std::move(cb);
  s.seq = seq;
  s.live = true;
  s.background = background;
  heap_.push_back(Item{at, seq, slot});
  std::push_heap(heap_.begin(), heap_.end(), Later);
  ++live_;
  if (!background) ++pending_work_;
  return (seq << 32) | slot;
}

void EventQueue::Cancel(Handle handle) {
  const uint32_t slot = static_cast<uint32_t>(handle & 0xffffffffu);
  if (slot >= slots_.size()) return;
  Slot& s = slots_[slot];
  if (!s.live || (s.seq << 32) != (handle & ~uint64_t{0xffffffffu})) return;
  // What the callback captured goes now (the slot itself is freed when its item leaves the heap),
  // but only once the bookkeeping is done: a captured object's destructor may schedule an event,
  // which can move `slots_`.
  Callback dropped = std::move(s.cb);
  s.cb = nullptr;
  s.live = false;
  --live_;
  if (!s.background) --pending_work_;
  DropCancelledTop();
}

EventQueue::Item EventQueue::PopTop() {
  std::pop_heap(heap_.begin(), heap_.end(), Later);
  const Item top = heap_.back();
  heap_.pop_back();
  return top;
}

void EventQueue::DropCancelledTop() {
  while (!heap_.empty() && !slots_[heap_.front().slot].live) free_slots_.push_back(PopTop().slot);
}

bool EventQueue::RunNext() {
  if (heap_.empty()) return false;
  // Between two events: the heap prefault helper's top pad is set here, on the allocating thread
  // (heap_prefault.h).
  HeapPrefaulter::Tend();
  const Item top = PopTop();
  Slot& s = slots_[top.slot];
  clock_.AdvanceTo(top.at);
  Callback cb = std::move(s.cb);
  s.cb = nullptr;
  s.live = false;
  --live_;
  if (!s.background) --pending_work_;
  free_slots_.push_back(top.slot);
  DropCancelledTop();
  cb();
  return true;
}

void EventQueue::RunUntil(SimTime t) {
  while (!heap_.empty() && NextTime() <= t) RunNext();
  clock_.AdvanceTo(t);
}

}  // namespace sim
