// Mirrors upstream pkg/runtime/retry_utils.go and the SDK error rendering the controller surfaces.
#include "sim/controller/deploy_deps.h"

#include "sim/aws/aws_errors.h"
#include "sim/base/log.h"

namespace sim::controller {

Error SdkError(const char* service_id, const char* operation, Error error) {
  if (error.aws_code.empty()) return error;
  std::string text = std::string("operation error ") + service_id + ": " + operation +
                     ", https response error StatusCode: " + std::to_string(aws::HttpStatusForAwsCode(error.aws_code)) +
                     ", " + error.aws_code + ": " + error.message;
  error.message = std::move(text);
  // The rendered message already carries the code; keep aws_code for classification only.
  return error;
}

Status SleepFor(const DeployDeps& deps, SimTime d) {
  if (deps.sleep) deps.sleep(d);
  if (deps.stopped != nullptr && *deps.stopped) {
    return MakeError(ErrorCode::kUnavailable, "controller stopped");
  }
  return OkStatus();
}

Status RetryImmediateOnError(const DeployDeps& deps, SimTime interval, SimTime timeout,
                             const std::function<bool(const Error&)>& retryable, const std::function<Status()>& fn) {
  SimTime elapsed{0};
  std::optional<Error> last;
  while (true) {
    Status s = fn();
    if (s.ok()) return s;
    if (!retryable(s.error())) return s;
    last = s.error();
    elapsed += interval;
    if (elapsed >= timeout) break;
    SIM_RETURN_IF_ERROR(SleepFor(deps, interval));
  }
  Error e = *last;
  e.message = "timed out waiting for the condition: " + ErrorText(*last);
  e.aws_code.clear();
  return e;
}

Status PollImmediate(const DeployDeps& deps, SimTime interval, SimTime timeout,
                     const std::function<Result<bool>()>& condition) {
  SimTime elapsed{0};
  while (true) {
    Result<bool> r = condition();
    if (!r.ok()) return r.error();
    if (r.value()) return OkStatus();
    elapsed += interval;
    if (elapsed > timeout) break;
    SIM_RETURN_IF_ERROR(SleepFor(deps, interval));
  }
  return MakeError(ErrorCode::kUnavailable, "timed out waiting for the condition");
}

Error NewRequeueNeededAfter(const std::string& reason, SimTime d) {
  return Error{ErrorCode::kUnavailable, std::string(kRequeueNeededAfterCode) + ":" + std::to_string(d.count()), reason};
}

bool IsRequeueNeededAfter(const Error& error, SimTime* d) {
  const std::string prefix = std::string(kRequeueNeededAfterCode) + ":";
  if (error.aws_code.rfind(prefix, 0) != 0) return false;
  if (d != nullptr) *d = SimTime(std::stoll(error.aws_code.substr(prefix.size())));
  return true;
}

std::vector<model::aws::Tag> ConvertTagsToSDKTags(const TagMap& tags) {
  std::vector<model::aws::Tag> out;
  for (const auto& [k, v] : tags) out.push_back(model::aws::Tag{k, v});
  return out;
}

TagMap ConvertSDKTagsToTags(const std::vector<model::aws::Tag>& tags) {
  TagMap out;
  for (const auto& t : tags) out[t.key] = t.value;
  return out;
}

void LogInfo(const DeployDeps& deps, const std::string& message) {
  sim::log::Info("controller", deps.clock.Now(), message);
}

}  // namespace sim::controller
