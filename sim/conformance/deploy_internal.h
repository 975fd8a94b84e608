#pragma once
// Internal plumbing of the deploy corpus handlers (case.yaml format): JSON helpers, decoders of the
// corpus' value encoding (AWS SDK structs by AWS member names, stack-model resources by json tags)
// and the handler registry split over deploy_units_*.cc. Only the nlohmann forward declarations
// are included here; the .cc files include the full library.

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "models/aws/elbv2.h"
#include "models/stack/stack.h"
#include "sim/base/status.h"
#include "sim/controller/listener_utils.h"
#include "sim/controller/tagging_manager.h"

namespace sim::conformance::deploy {

using Json = nlohmann::json;

// --- JSON access -----------------------------------------------------------------------------
const Json& At(const Json& j, const char* key);  // null when absent / not an object
std::string Str(const Json& j);                  // "" unless a string
std::optional<std::string> OptStr(const Json& j);
std::optional<int32_t> OptInt(const Json& j);
std::optional<bool> OptBool(const Json& j);
std::vector<std::string> StrList(const Json& j);
const Json& CallArg(const Json& c, size_t i);  // i-th positional argument (ctx skipped)
const Json& ArgPath(const Json& c, const std::string& path);
// The builtInBody argument named `name` ({builtInBody, value}), or null.
const Json& BuiltIn(const Json& c, const std::string& name);
Error ErrorArg(const Json& j);
// Go's err.Error() of an error literal / API error in `calls` ({message, apiErrorCode, ...}).
Error ErrorLiteral(const Json& e);
std::string StrictDiff(const Json& e, const Json& g, const std::string& path);
std::string WantKey(const Json& c);
controller::DeployFeatureGates GatesArg(const Json& c);

// --- SDK (AWS member names) decoders ------------------------------------------------------------
controller::TagMap TagMapArg(const Json& j);
std::vector<model::aws::Tag> SDKTagsArg(const Json& j);
model::aws::Action SDKActionArg(const Json& j);
std::vector<model::aws::Action> SDKActionsArg(const Json& j);
model::aws::RuleCondition SDKConditionArg(const Json& j);
model::aws::RuleTransform SDKTransformArg(const Json& j);
std::vector<model::aws::Certificate> SDKCertificatesArg(const Json& j);
std::optional<model::aws::MutualAuthenticationAttributes> MutualAuthArg(const Json& j);
model::aws::LoadBalancer SDKLoadBalancerArg(const Json& lb);          // a LoadBalancer object
model::aws::TargetGroup SDKTargetGroupObjArg(const Json& tg);         // a TargetGroup object
controller::LoadBalancerWithTags SDKLoadBalancerWithTagsArg(const Json& j);  // {LoadBalancer, Tags}
controller::TargetGroupWithTags SDKTargetGroupArg(const Json& j);     // {TargetGroup, Tags}
controller::ListenerWithTags SDKListenerArg(const Json& j);           // {Listener, Tags}
controller::ListenerRuleWithTags SDKListenerRuleArg(const Json& j);   // {ListenerRule, Tags}

// --- SDK encoders (AWS member names, unset members omitted) -------------------------------------
Json SDKActionJson(const model::aws::Action& a);
Json SDKJwtValidationConfigJson(const model::aws::JwtValidationActionConfig& j);
Json SDKConditionJson(const model::aws::RuleCondition& c);
Json SDKMatcherJson(const model::aws::Matcher& m);
Json SDKSubnetMappingJson(const model::aws::SubnetMapping& m);
Json TagMapJson(const controller::TagMap& m);

// --- Stack model (json tags) decoders -----------------------------------------------------------
model::stack::StringToken TokenArg(const Json& j);
model::stack::JwtValidationConfig StackJwtArg(const Json& j);  // {jwksEndpoint, issuer, additionalClaims}
std::optional<model::k8s::IntOrString> IntOrStrArg(const Json& j);
model::stack::LoadBalancerSpec LoadBalancerSpecArg(const Json& j);   // {spec} or a bare spec
model::stack::TargetGroupSpec TargetGroupSpecArg(const Json& j);
model::stack::ListenerSpec ListenerSpecArg(const Json& j);
model::stack::ListenerRuleSpec ListenerRuleSpecArg(const Json& j);
model::stack::SubnetMapping SubnetMappingArg(const Json& j);
// A resource literal {resourceType, resourceID, spec} added to `stack` (id = resourceID); returns the id.
std::string AddLoadBalancer(model::stack::Stack& stack, const Json& j);
std::string AddTargetGroup(model::stack::Stack& stack, const Json& j);
std::string AddListenerRule(model::stack::Stack& stack, const Json& j, size_t index);

// --- Registry ------------------------------------------------------------------------------------
using DeployHandler = std::function<Json(const Json& c)>;
using DeployHandlerMap = std::map<std::string, DeployHandler>;
void RegisterListenerHandlers(DeployHandlerMap& m);     // deploy_units_listener.cc
void RegisterLoadBalancerHandlers(DeployHandlerMap& m);  // deploy_units_lb.cc
void RegisterTargetGroupHandlers(DeployHandlerMap& m);   // deploy_units_tg.cc
void RegisterTaggingHandlers(DeployHandlerMap& m);       // deploy_units_tagging.cc
// The attribute reconcilers' Reconcile (the unit name is shared; dispatched on the receiver type).
Json ReconcileLoadBalancerAttributes(const Json& c);  // deploy_units_lb.cc
Json ReconcileTargetGroupAttributes(const Json& c);   // deploy_units_tg.cc

// A case failure other than a result difference (unexpected AWS call, unmet expectation).
struct CaseFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace sim::conformance::deploy
