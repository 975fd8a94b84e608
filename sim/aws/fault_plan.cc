#include "sim/aws/fault_plan.h"

#include "sim/aws/aws_errors.h"

namespace sim::aws {

size_t FaultPlan::Add(FaultRule rule) {
  rules_.push_back(std::move(rule));
  states_.push_back(RuleState{});
  return rules_.size() - 1;
}

void FaultPlan::Clear() {
  rules_.clear();
  states_.clear();
}

std::optional<Error> FaultPlan::Check(const CallContext& ctx, std::string_view service, std::string_view call) {
  if (crash_armed_ && ctx.caller == crash_caller_ && crash_calls_ >= crash_after_) {
    ++crash_rejected_;
    return AwsError(kControllerCrashedCode, "the " + crash_caller_ + " has crashed (simulated after " +
                                                std::to_string(crash_after_) + " AWS calls)");
  }
  for (size_t i = 0; i < rules_.size(); ++i) {
    const FaultRule& rule = rules_[i];
    RuleState& st = states_[i];
    if (rule.service != "*" && rule.service != service) continue;
    if (rule.call != "*" && rule.call != call) continue;
    if (!rule.caller.empty() && rule.caller != ctx.caller) continue;
    const int64_t index = st.seen++;
    if (index < rule.after_calls) continue;
    if (rule.times >= 0 && st.fired >= rule.times) continue;
    ++st.fired;
    ++injected_;
    std::string message = rule.message;
    if (message.empty()) message = DefaultMessageForAwsCode(rule.error);
    if (message.empty()) message = "injected fault";
    return AwsError(rule.error, std::move(message));
  }
  return std::nullopt;
}

void FaultPlan::AfterCall(const CallContext& ctx) {
  if (!crash_armed_ || ctx.caller != crash_caller_) return;
  ++crash_calls_;
  if (crash_calls_ >= crash_after_ && !crash_fired_) {
    crash_fired_ = true;
    if (on_crash_) on_crash_();
  }
}

void FaultPlan::CrashAfterCalls(std::string caller, int64_t n, std::function<void()> on_crash) {
  crash_armed_ = true;
  crash_caller_ = std::move(caller);
  crash_after_ = n < 0 ? 0 : n;
  crash_calls_ = 0;
  crash_rejected_ = 0;
  crash_fired_ = false;
  on_crash_ = std::move(on_crash);
  if (crash_after_ == 0) {
    crash_fired_ = true;
    if (on_crash_) on_crash_();
  }
}

void FaultPlan::ResetCrash() {
  crash_armed_ = false;
  crash_caller_.clear();
  crash_after_ = 0;
  crash_calls_ = 0;
  crash_fired_ = false;
  on_crash_ = nullptr;
}

}  // namespace sim::aws
