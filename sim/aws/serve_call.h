#pragma once
// The path every call of a fake AWS service takes: the fault plan first (an injected error is
// logged as injected; a crashed controller's call is not logged at all), then IAM (only for a
// principal, when an Authorizer is set: `authz()` lists the call's AuthzRequests, authorizer.h),
// then the call itself; each answered call gets its line in the API-call log.

#include <optional>
#include <string>
#include <vector>

#include "sim/aws/api_call_log.h"
#include "sim/aws/authorizer.h"
#include "sim/aws/aws_errors.h"
#include "sim/aws/aws_json.h"
#include "sim/aws/call_context.h"
#include "sim/aws/fault_plan.h"
#include "sim/base/clock.h"

namespace sim::aws {

struct CallPlumbing {
  const Clock& clock;
  FaultPlan& faults;
  ApiCallLog& log;
  Authorizer* authorizer;  // null: IAM not enforced

  template <typename MakeJson, typename Authz, typename Body>
  auto Serve(const CallContext& ctx, const char* service, const char* call, MakeJson make_json, Authz authz,
             Body body) -> decltype(body()) {
    using R = decltype(body());
    auto record = [&](bool ok, const Error* err, bool injected) {
      std::optional<uint64_t> digest;
      if (log.record_digests()) digest = ParamsDigest64(make_json());
      log.Append(clock.Now(), ctx.caller, service, call, digest, ok ? nullptr : err, injected);
    };
    if (std::optional<Error> injected = faults.Check(ctx, service, call)) {
      if (injected->aws_code == kControllerCrashedCode) return R(*injected);
      record(false, &*injected, true);
      faults.AfterCall(ctx);
      return R(*injected);
    }
    if (authorizer != nullptr && !ctx.principal_arn.empty()) {
      for (const AuthzRequest& az : authz()) {
        Status st = authorizer->Authorize(ctx, az);
        if (!st.ok()) {
          record(false, &st.error(), false);
          faults.AfterCall(ctx);
          return R(st.error());
        }
      }
    }
    R result = body();
    record(result.ok(), result.ok() ? nullptr : &result.error(), false);
    faults.AfterCall(ctx);
    return result;
  }
};

}  // namespace sim::aws
