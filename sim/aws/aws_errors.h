#pragma once
// AWS error construction: maps an AWS error code to the sim::ErrorCode a client reacts to, and to
// the HTTP status the real service answers with (wire-protocols.md B.3).

#include <string>

#include "sim/base/status.h"

namespace sim::aws {

// ErrorCode for an AWS code: *NotFound → kNotFound, Duplicate* → kAlreadyExists, TooMany* /
// *LimitExceeded / TargetGroupAssociationLimit → kResourceExhausted, ResourceInUse /
// DependencyViolation / OperationNotPermitted / PriorityInUse → kFailedPrecondition, Throttling /
// RequestLimitExceeded → kThrottled, ServiceUnavailable / RequestTimeout → kUnavailable,
// InternalFailure / InternalError → kInternal, AccessDenied / UnauthorizedOperation →
// kPermissionDenied, everything else → kInvalidArgument.
ErrorCode ErrorCodeForAwsCode(const std::string& aws_code);

// Error{ErrorCodeForAwsCode(aws_code), aws_code, message}.
Error AwsError(const std::string& aws_code, std::string message);

// HTTP status real AWS answers with for `aws_code` (400 for most client errors).
int HttpStatusForAwsCode(const std::string& aws_code);

// Standard message for common (not operation-specific) codes: "Throttling" → "Rate exceeded",
// "RequestLimitExceeded" → "Request limit exceeded.", "InternalFailure" → "The request processing
// has failed because of an unknown error, exception or failure.", "InternalError" → "An internal
// error has occurred", "ServiceUnavailable" → "The request has failed due to a temporary failure
// of the server.", "RequestTimeout" → "Request timed out"; other codes → "".
std::string DefaultMessageForAwsCode(const std::string& aws_code);

// The code a crashed controller's calls fail with (FaultPlan::CrashAfterCalls).
inline constexpr const char* kControllerCrashedCode = "albtwin.ControllerCrashed";

}  // namespace sim::aws
