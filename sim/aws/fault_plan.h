#pragma once
// Injected AWS failures, consulted by every fake call before it runs (leveldb ErrorEnv style:
// controller code never asks "is this a test?"). Also the "controller crashes after N AWS calls"
// switch used by the scenario step `crash: {afterApiCalls: N}`.
//
// Call protocol for a fake (see FakeElbv2 / FakeEc2):
//   1. `Check(ctx, service, call)` before doing anything. A returned error is the whole answer; the
//      call has no effect. (Crash rejections come first, then fault rules in insertion order.)
//   2. run the call, log it;
//   3. `AfterCall(ctx)` — unless step 1 returned a crash rejection.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/aws/call_context.h"
#include "sim/base/status.h"

namespace sim::aws {

struct FaultRule {
  std::string service = "*";  // "elbv2" | "ec2" | "*"
  std::string call = "*";     // AWS operation name, e.g. "CreateTargetGroup", or "*"
  std::string caller;         // CallContext::caller to match; "" = any caller
  std::string error;          // AWS error code to return: "Throttling", "InternalFailure",
                              // "ServiceUnavailable", "RequestTimeout", "RequestLimitExceeded", or
                              // any other code (e.g. "AccessDenied", "PriorityInUse")
  std::string message;        // "" = DefaultMessageForAwsCode(error), else "injected fault"
  int64_t times = 1;          // matching calls that fail; -1 = every matching call forever
  int64_t after_calls = 0;    // matching calls let through before the first failure
};

class FaultPlan {
 public:
  // Adds a rule; returns its index (stable until Clear()).
  size_t Add(FaultRule rule);
  // Removes every fault rule (not the crash switch).
  void Clear();
  // Stops rule `index` from firing again (indexes of other rules stay valid).
  void Disable(size_t index) {
    if (index < rules_.size()) rules_[index].times = 0;
  }

  // Step 1 of the call protocol. Returns the error to answer with, or nullopt to run the call.
  // Consumes one `times` of the first matching rule that fires.
  std::optional<Error> Check(const CallContext& ctx, std::string_view service, std::string_view call);
  // Step 3 of the call protocol: counts calls for the crash switch; fires `on_crash` once, right
  // after the Nth call of the crashing caller completed.
  void AfterCall(const CallContext& ctx);

  // Crash switch: after `n` more calls made by `caller` (counted from now, n >= 0; each call that
  // reached AWS counts, including ones failed by fault rules), every further call by `caller` fails
  // with aws_code "albtwin.ControllerCrashed" (ErrorCode kUnavailable) and is neither run nor
  // logged, until ResetCrash(). `on_crash` (optional) is called once when the Nth call completes
  // (for n == 0: immediately), so the runner can stop the controller's loop there.
  void CrashAfterCalls(std::string caller, int64_t n, std::function<void()> on_crash = nullptr);
  // Clears the crash switch (the "restarted" controller's calls run again).
  void ResetCrash();
  // True once the crashing caller has made its N calls.
  bool crashed() const { return crash_armed_ && crash_calls_ >= crash_after_; }
  // Calls rejected since the crash (for reports).
  int64_t crash_rejected_calls() const { return crash_rejected_; }

  // Total errors injected by rules so far.
  int64_t injected_count() const { return injected_; }
  const std::vector<FaultRule>& rules() const { return rules_; }

 private:
  struct RuleState {
    int64_t seen = 0;   // matching calls so far
    int64_t fired = 0;  // errors injected so far
  };
  std::vector<FaultRule> rules_;
  std::vector<RuleState> states_;
  int64_t injected_ = 0;

  bool crash_armed_ = false;
  std::string crash_caller_;
  int64_t crash_after_ = 0;
  int64_t crash_calls_ = 0;
  int64_t crash_rejected_ = 0;
  bool crash_fired_ = false;
  std::function<void()> on_crash_;
};

}  // namespace sim::aws
