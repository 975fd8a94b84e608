#pragma once
// Health checks of ALB target groups on the simulated clock (elbv2-semantics.md §3.4, §3.5).
//
// A registered target in a target group that a listener or rule uses is checked every
// HealthCheckIntervalSeconds from the moment it became eligible (registered and TG in use):
// `initial` (Elb.RegistrationInProgress, then Elb.InitialHealthChecking after the first check)
// until HealthyThresholdCount consecutive checks pass (`healthy`) or UnhealthyThresholdCount
// consecutive checks fail (`unhealthy`, with Target.ResponseCodeMismatch, Target.Timeout or
// Target.FailedHealthChecks); afterwards it flips after that many consecutive opposite answers.
//
// What a target answers comes from a probe the world installs (the simulated pod, through the
// node port for instance targets). The engine records each target's answers over time (an answer
// is recorded when it is observed: at every evaluation and whenever the world says something
// changed), and derives the state at any time from that history. Without a probe every check
// passes (the former auto_healthy_targets behaviour).

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/aws/elbv2.h"
#include "sim/base/clock.h"

namespace sim::aws {

// One health-check answer of a target.
struct HealthProbeAnswer {
  bool pass = true;
  std::string reason;       // failing: Target.ResponseCodeMismatch | Target.Timeout | Target.FailedHealthChecks
  std::string description;  // failing: "Health checks failed with these codes: [500]", "Request timed out", ...
  bool operator==(const HealthProbeAnswer&) const = default;
};

// One registered target of a target group, as health observation names it. The names are views:
// they must outlive the call that is given them (the probe's names live as long as the probe).
struct HealthTargetRef {
  std::string_view target_group_arn;
  std::string_view id;
  int port = 0;
  auto operator<=>(const HealthTargetRef&) const = default;
  bool operator==(const HealthTargetRef&) const = default;
};

// What `target` of `tg` answers to a health check right now; null = the probe does not know this
// target (treated as passing). The answer is the probe's: it needs to stay valid only until the
// probe is called again (the engine copies what it keeps), so a probe answers without copying.
// `memo` is kept with the target's history for the probe to remember the target by between calls
// (kNoProbeMemo at first): a hint only, which the probe checks still names this target.
inline constexpr uint32_t kNoProbeMemo = UINT32_MAX;
using HealthProbeFn = std::function<const HealthProbeAnswer*(const model::aws::TargetGroup& tg,
                                                             const model::aws::TargetDescription& target, uint32_t* memo)>;

// What a target answered over time: one entry per change of answer (kept with the target). The
// answer is an index into the engine's table of distinct answers (AnswerOf), so an entry is small
// and holds no strings: a fleet of targets answers a handful of different things.
struct HealthHistoryEntry {
  SimTime since;
  uint32_t answer = 0;  // TargetHealthEngine::AnswerOf; 0 = passing
};
// The entries, oldest first. Most targets record one or two answers (registered, then ready):
// those stay inline, so a target's history costs no allocation of its own; later ones spill.
class HealthHistory {
 public:
  HealthHistory() = default;
  HealthHistory(std::initializer_list<HealthHistoryEntry> entries) {
    for (const HealthHistoryEntry& e : entries) push_back(e);
  }
  HealthHistory(const HealthHistory&) = default;
  HealthHistory& operator=(const HealthHistory&) = default;
  // A moved-from history is empty (as a moved-from vector is), not a size over a spill it lost.
  HealthHistory(HealthHistory&& o) noexcept
      : inline_(o.inline_), size_(std::exchange(o.size_, 0)), probe_memo(o.probe_memo), spill_(std::move(o.spill_)) {
    o.spill_.clear();
  }
  HealthHistory& operator=(HealthHistory&& o) noexcept {
    inline_ = o.inline_;
    size_ = std::exchange(o.size_, 0);
    probe_memo = o.probe_memo;
    spill_ = std::move(o.spill_);
    o.spill_.clear();
    return *this;
  }
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  const HealthHistoryEntry& operator[](size_t i) const { return i < kInline ? inline_[i] : spill_[i - kInline]; }
  HealthHistoryEntry& back() { return size_ <= kInline ? inline_[size_ - 1] : spill_.back(); }
  const HealthHistoryEntry& back() const { return size_ <= kInline ? inline_[size_ - 1] : spill_.back(); }
  // The same entries (the probe's memo aside).
  bool SameEntries(const HealthHistory& o) const {
    if (size_ != o.size_) return false;
    for (uint32_t i = 0; i < size_; ++i) {
      if ((*this)[i].since != o[i].since || (*this)[i].answer != o[i].answer) return false;
    }
    return true;
  }
  void push_back(const HealthHistoryEntry& e) {
    if (size_ < kInline) {
      inline_[size_] = e;
    } else {
      spill_.push_back(e);
    }
    ++size_;
  }

 private:
  static constexpr size_t kInline = 2;
  std::array<HealthHistoryEntry, kInline> inline_{};
  uint32_t size_ = 0;

 public:
  uint32_t probe_memo = kNoProbeMemo;  // the probe's (HealthProbeFn): in what was padding

 private:
  std::vector<HealthHistoryEntry> spill_;  // the entries after the first kInline
};

class TargetHealthEngine {
 public:
  void SetProbe(HealthProbeFn probe) { probe_ = std::move(probe); }
  bool has_probe() const { return static_cast<bool>(probe_); }
  // The answer a history entry names.
  const HealthProbeAnswer& AnswerOf(uint32_t id) const { return answers_[id]; }

  // Records in `history` what the target answers at `now` (a new entry when the answer changed).
  // True when `history` changed.
  bool Observe(HealthHistory& history, const model::aws::TargetGroup& tg, const model::aws::TargetDescription& target,
               SimTime now) const;
  // The health at `now` of a target eligible since `eligible` (observes first).
  model::aws::TargetHealth Evaluate(HealthHistory& history, const model::aws::TargetGroup& tg,
                                    const model::aws::TargetDescription& target, SimTime eligible, SimTime now) const;
  // The health at `now` from `history` as it is (no observation).
  model::aws::TargetHealth HealthAt(const HealthHistory& history, const model::aws::TargetGroup& tg, SimTime eligible,
                                    SimTime now) const;
  // The next time after `now` at which the state would change if answers stay as they are.
  std::optional<SimTime> NextTransition(const HealthHistory& history, const model::aws::TargetGroup& tg,
                                        SimTime eligible, SimTime now) const;

 private:
  // The checks replayed up to a time: the state they lead to and the run they end with.
  struct Replay {
    enum class State { kInitial, kHealthy, kUnhealthy } state = State::kInitial;
    const HealthProbeAnswer* last = nullptr;  // answer of the last check replayed
    int64_t run = 0;                          // consecutive checks with run_pass
    bool run_pass = true;
    int64_t done = 0;                         // checks replayed
  };
  Replay Run(const HealthHistory& history, const model::aws::TargetGroup& tg, SimTime eligible, SimTime now) const;
  static model::aws::TargetHealth HealthOf(const Replay& r);
  std::optional<SimTime> NextOf(const Replay& r, const HealthHistory& history, const model::aws::TargetGroup& tg,
                                SimTime eligible, SimTime now) const;

  // The id of `a` in answers_ (added when new).
  uint32_t Intern(const HealthProbeAnswer& a) const;

  HealthProbeFn probe_;
  // Distinct answers seen, by id (0 = passing); ids are never reused. Mutable: Observe records.
  mutable std::vector<HealthProbeAnswer> answers_{HealthProbeAnswer{}};
  mutable std::unordered_map<std::string, uint32_t> answer_ids_;  // "reason\x1fdescription" of failing answers
  mutable uint32_t last_interned_ = 0;  // Intern's last answer: probes repeat one answer in runs
};

}  // namespace sim::aws
