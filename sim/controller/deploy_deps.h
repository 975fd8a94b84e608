#pragma once
// Shared plumbing of the deploy side (upstream pkg/deploy/*): configuration, borrowed APIs, the
// retry helper of pkg/runtime/retry_utils.go and the rendering of AWS SDK errors.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/aws/call_context.h"
#include "sim/aws/ec2_api.h"
#include "sim/aws/elbv2_api.h"
#include "sim/base/clock.h"
#include "sim/base/status.h"
#include "sim/controller/listener_utils.h"
#include "sim/controller/tracking.h"
#include "sim/k8s/client_api.h"
#include "models/stack/stack.h"

namespace sim::controller {

// Controller flags the deploy side reads (controller.md §0).
struct DeployConfig {
  std::string cluster_name;
  std::string vpc_id;
  std::vector<std::string> external_managed_tags;           // --external-managed-tags
  std::map<std::string, std::string> default_tags;          // --default-tags
  DeployFeatureGates feature_gates;
  SimTime lb_stabilization_monitor_interval{120 * 1000};    // --lb-stabilization-monitor-interval
  bool enable_backend_security_group = true;                // --enable-backend-security-group
  std::string backend_security_group;                       // --backend-security-group
};

// Blocks the calling reconcile for `d` of simulated time (upstream time.Sleep inside retry and
// wait loops). The scenario runner decides what happens meanwhile (typically: run the EventQueue
// up to now + d, so that other controllers make progress). Empty = waiting takes no time.
using Sleeper = std::function<void(SimTime)>;

// Borrowed collaborators of every deploy component.
struct DeployDeps {
  aws::Elbv2Api& elbv2;
  aws::Ec2Api& ec2;
  k8s::KubeApi& kube;
  const Clock& clock;
  Sleeper sleep;
  aws::CallContext call_context = aws::ControllerCall();
  // Set by the owner when the controller was stopped (crash/restart) while a reconcile sleeps; the
  // deploy then aborts at the next wait with `controller stopped`.
  const bool* stopped = nullptr;
};

// upstream deploy.ResourceSynthesizer.
class ResourceSynthesizer {
 public:
  virtual ~ResourceSynthesizer() = default;
  virtual Status Synthesize() = 0;
  virtual Status PostSynthesize() = 0;
};

// StackId of a model stack.
inline StackId ToStackId(const model::stack::StackID& id) { return StackId{id.namespace_, id.name}; }

// Re-renders an AWS error as the Go SDK prints it through the controller's error chain:
// `operation error <service>: <op>, https response error StatusCode: <http>, <Code>: <Message>`.
// aws_code and code are kept, so classifiers (IsTooManyRulesError, ...) keep working.
// (Go prints a RequestID too; the simulator has none to print.)
Error SdkError(const char* service_id, const char* operation, Error error);
inline Error Elbv2Error(const char* operation, Error error) {
  return SdkError("Elastic Load Balancing v2", operation, std::move(error));
}
// The text Go's err.Error() gives for `error` (events, wrapping): the message.
inline std::string ErrorText(const Error& error) { return error.message; }
inline Error Ec2Error(const char* operation, Error error) { return SdkError("EC2", operation, std::move(error)); }

// upstream runtime.RetryImmediateOnError (wait.PollImmediate): calls `fn` now and then every
// `interval` while it fails with a retryable error and less than `timeout` has elapsed.
// After the budget: `timed out waiting for the condition: <last retryable error>`.
Status RetryImmediateOnError(const DeployDeps& deps, SimTime interval, SimTime timeout,
                             const std::function<bool(const Error&)>& retryable, const std::function<Status()>& fn);

// Polls `condition` now and every `interval` until it returns true or an error, for at most
// `timeout` (wait.PollImmediateUntil with a context deadline). Timeout error text:
// `timed out waiting for the condition`.
Status PollImmediate(const DeployDeps& deps, SimTime interval, SimTime timeout,
                     const std::function<Result<bool>()>& condition);

// Sleeps through deps.sleep; returns an error if the controller was stopped meanwhile.
Status SleepFor(const DeployDeps& deps, SimTime d);

// upstream ctrlerrors.RequeueNeededAfter: not a failure; the reconcile returns RequeueAfter `d`.
inline constexpr char kRequeueNeededAfterCode[] = "albtwin.RequeueNeededAfter";
Error NewRequeueNeededAfter(const std::string& reason, SimTime d);
// True (and *d set) for an error made by NewRequeueNeededAfter.
bool IsRequeueNeededAfter(const Error& error, SimTime* d = nullptr);

// Converts a tag map to SDK tags sorted by key (upstream convertTagsToSDKTags).
std::vector<model::aws::Tag> ConvertTagsToSDKTags(const TagMap& tags);
TagMap ConvertSDKTagsToTags(const std::vector<model::aws::Tag>& tags);

// Logs through sim::log with module "controller".
void LogInfo(const DeployDeps& deps, const std::string& message);

}  // namespace sim::controller
