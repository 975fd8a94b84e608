#pragma once
// Who makes an AWS call. Every Elbv2Api / Ec2Api / IamApi / StsApi method takes one, so the call
// log, the fault plan and the IAM evaluator (authorizer.h) know the caller.

#include <string>

namespace sim::aws {

inline constexpr const char* kCallerController = "controller";
inline constexpr const char* kCallerConsole = "console";

struct CallContext {
  // "controller" for the AWS Load Balancer Controller; "console", "cli", "scenario", ... for
  // out-of-band changes (drift steps). Free text; compared exactly.
  std::string caller = kCallerController;
  // IAM principal ARN the call is made as, e.g. the assumed-role ARN STS handed out
  // (arn:aws:sts::<acct>:assumed-role/<role>/<session>); empty = not evaluated against IAM.
  std::string principal_arn;
};

inline CallContext ControllerCall() { return CallContext{kCallerController, ""}; }
inline CallContext ConsoleCall() { return CallContext{kCallerConsole, ""}; }

}  // namespace sim::aws
