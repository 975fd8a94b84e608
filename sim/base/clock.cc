#include "sim/base/clock.h"

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

EventQueue::Handle EventQueue::ScheduleAt(SimTime at, Callback cb, bool background) {
  if (at < clock_.Now()) at = clock_.Now();
  Handle h = next_seq_++;
  events_.emplace(std::make_tuple(at, h), Entry{std::move(cb), background});
  time_of_.emplace(h, at);
  if (!background) ++pending_work_;
  return h;
}

void EventQueue::Cancel(Handle handle) {
  auto t = time_of_.find(handle);
  if (t == time_of_.end()) return;
  auto it = events_.find(std::make_tuple(t->second, handle));
  time_of_.erase(t);
  if (it == events_.end()) return;
  if (!it->second.background) --pending_work_;
  events_.erase(it);
}

bool EventQueue::RunNext() {
  if (events_.empty()) return false;
  auto it = events_.begin();
  clock_.AdvanceTo(std::get<0>(it->first));
  Entry entry = std::move(it->second);
  time_of_.erase(std::get<1>(it->first));
  events_.erase(it);
  if (!entry.background) --pending_work_;
  entry.cb();
  return true;
}

void EventQueue::RunUntil(SimTime t) {
  while (!events_.empty() && NextTime() <= t) RunNext();
  clock_.AdvanceTo(t);
}

}  // namespace sim
