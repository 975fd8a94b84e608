#pragma once
// Status and Result<T>: expected errors (AWS, Kubernetes, bad input) travel as values.
// Modelled on absl::Status / absl::StatusOr and leveldb::Status.

#include <string>
#include <utility>
#include <variant>

namespace sim {

enum class ErrorCode {
  kInvalidArgument,     // bad input: scenario, manifest, annotation, API parameter
  kNotFound,            // object or resource missing
  kAlreadyExists,       // create of something that exists
  kFailedPrecondition,  // state does not allow the operation (ResourceInUse, DependencyViolation)
  kConflict,            // optimistic concurrency (stale resourceVersion)
  kThrottled,           // rate limited; retry with backoff
  kUnavailable,         // transient service failure; retry
  kPermissionDenied,    // IAM AccessDenied, Kubernetes Forbidden
  kResourceExhausted,   // quota exceeded (TooMany*)
  kInternal,            // a bug in albtwin, or an injected InternalFailure
};

const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string aws_code;  // "DuplicateTargetGroupName", "ResourceInUse", "Throttling", or a
                         // Kubernetes reason ("NotFound", "Invalid"); may be empty
  std::string message;   // exact text as the real system prints it

  // `aws_code: message`, or just the message when there is no code.
  std::string ToString() const;
};

inline Error MakeError(ErrorCode code, std::string message, std::string aws_code = "") {
  return Error{code, std::move(aws_code), std::move(message)};
}

// Prefixes the message with `prefix: `, pkg/errors style (`outer: inner`).
Error Wrap(Error error, const std::string& prefix);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}
  bool ok() const { return ok_; }
  const Error& error() const { return error_; }
  std::string ToString() const { return ok_ ? "OK" : error_.ToString(); }

 private:
  Error error_;
  bool ok_ = true;
};

inline Status OkStatus() { return Status(); }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  Result(Status status) : v_(status.error()) {}  // only for a non-OK status
  bool ok() const { return std::holds_alternative<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const Error& error() const { return std::get<Error>(v_); }
  Status status() const { return ok() ? OkStatus() : Status(error()); }
  const T* operator->() const { return &value(); }
  const T& operator*() const { return value(); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace sim

#define SIM_STATUS_CONCAT_INNER_(a, b) a##b
#define SIM_STATUS_CONCAT_(a, b) SIM_STATUS_CONCAT_INNER_(a, b)

#define SIM_RETURN_IF_ERROR(expr)                    \
  do {                                               \
    auto sim_status_ = (expr);                       \
    if (!sim_status_.ok()) return sim_status_.error(); \
  } while (0)

#define SIM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.error();               \
  lhs = std::move(tmp).value()

#define SIM_ASSIGN_OR_RETURN(lhs, expr) \
  SIM_ASSIGN_OR_RETURN_IMPL_(SIM_STATUS_CONCAT_(sim_result_, __LINE__), lhs, expr)
