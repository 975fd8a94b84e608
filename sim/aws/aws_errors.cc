#include "sim/aws/aws_errors.h"

#include <string_view>

namespace sim::aws {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

ErrorCode ErrorCodeForAwsCode(const std::string& c) {
  if (c == "Throttling" || c == "ThrottlingException" || c == "RequestLimitExceeded" ||
      c == "TooManyRequestsException" || c == "RequestThrottled" || c == "PriorRequestNotComplete") {
    return ErrorCode::kThrottled;
  }
  if (c == "ServiceUnavailable" || c == "RequestTimeout" || c == "Unavailable" || c == kControllerCrashedCode ||
      c == "HealthUnavailable") {
    return ErrorCode::kUnavailable;
  }
  if (c == "InternalFailure" || c == "InternalError" || c == "InsufficientCapacity") return ErrorCode::kInternal;
  if (c == "AccessDenied" || c == "UnauthorizedOperation" || c == "AuthFailure") return ErrorCode::kPermissionDenied;
  if (EndsWith(c, "NotFound") || EndsWith(c, ".NotFound")) return ErrorCode::kNotFound;
  if (StartsWith(c, "Duplicate") || EndsWith(c, ".Duplicate")) return ErrorCode::kAlreadyExists;
  if (StartsWith(c, "TooMany") || EndsWith(c, "LimitExceeded") || c == "TargetGroupAssociationLimit") {
    return ErrorCode::kResourceExhausted;
  }
  if (c == "ResourceInUse" || c == "DependencyViolation" || c == "OperationNotPermitted" || c == "PriorityInUse" ||
      c == "IncorrectState") {
    return ErrorCode::kFailedPrecondition;
  }
  return ErrorCode::kInvalidArgument;
}

Error AwsError(const std::string& aws_code, std::string message) {
  return Error{ErrorCodeForAwsCode(aws_code), aws_code, std::move(message)};
}

int HttpStatusForAwsCode(const std::string& c) {
  if (c == "HealthUnavailable" || c == "InsufficientCapacity" || c == "InternalFailure" || c == "InternalError") {
    return 500;
  }
  if (c == "PriorRequestNotComplete") return 429;
  if (c == "ServiceUnavailable" || c == "RequestLimitExceeded" || c == kControllerCrashedCode) return 503;
  if (c == "AccessDenied" || c == "UnauthorizedOperation") return 403;
  return 400;
}

std::string DefaultMessageForAwsCode(const std::string& c) {
  if (c == "Throttling" || c == "ThrottlingException") return "Rate exceeded";
  if (c == "RequestLimitExceeded") return "Request limit exceeded.";
  if (c == "InternalFailure") {
    return "The request processing has failed because of an unknown error, exception or failure.";
  }
  if (c == "InternalError") return "An internal error has occurred";
  if (c == "ServiceUnavailable") return "The request has failed due to a temporary failure of the server.";
  if (c == "RequestTimeout") return "Request timed out";
  return "";
}

}  // namespace sim::aws
