#include "sim/traffic/trace.h"

namespace sim::traffic {

std::string SkippedText(const SkippedRule& s) {
  static constexpr std::string_view kPriority = "priority ";
  static constexpr std::string_view kMiss = " does not match ";
  std::string out;
  out.reserve(kPriority.size() + s.priority.size() + 2 + s.condition.size() + kMiss.size() + s.value.size());
  out.append(kPriority).append(s.priority).append(": ").append(s.condition).append(kMiss).append(s.value);
  return out;
}

void SkippedRules::Reserve(size_t rules, size_t bytes_each) {
  entries_.reserve(rules);
  text_.reserve(rules * bytes_each);
}

SkippedRules::Span SkippedRules::Append(std::string_view s) {
  Span span{static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(s.size())};
  text_.append(s);
  return span;
}

void SkippedRules::Add(std::string_view priority, std::string_view condition, std::string_view value) {
  Entry e;
  e.priority = Append(priority);
  e.condition = Append(condition);
  // Rules mostly miss on the same few values of the request (its host, its path): a value that one
  // of the two rules before missed on is kept once.
  const size_t n = entries_.size();
  if (n >= 1 && View(entries_[n - 1].value) == value) {
    e.value = entries_[n - 1].value;
  } else if (n >= 2 && View(entries_[n - 2].value) == value) {
    e.value = entries_[n - 2].value;
  } else {
    e.value = Append(value);
  }
  entries_.push_back(e);
}

SkippedRule SkippedRules::operator[](size_t i) const {
  const Entry& e = entries_[i];
  return {View(e.priority), View(e.condition), View(e.value)};
}

std::vector<std::string> SkippedRules::Texts() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const SkippedRule& s : *this) out.push_back(SkippedText(s));
  return out;
}

bool SkippedRules::operator==(const SkippedRules& o) const {
  if (size() != o.size()) return false;
  for (size_t i = 0; i < size(); ++i) {
    const SkippedRule a = (*this)[i], b = o[i];
    if (a.priority != b.priority || a.condition != b.condition || a.value != b.value) return false;
  }
  return true;
}

}  // namespace sim::traffic
