#pragma once
// Internal plumbing shared by the conformance unit handlers (plain types only; every handler .cc
// parses the SimulatorConfig JSON text itself).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/k8s/objects.h"
#include "sim/base/status.h"

namespace sim::conformance {

struct CaseInput {
  std::string dir;     // case folder path
  std::string folder;  // corpus folder name, e.g. "model-builder"
  std::string name;    // case folder name
  std::string config_json;  // the SimulatorConfig document as JSON text
  std::vector<model::k8s::ObjectPtr> objects;  // every Kubernetes document, in document order
};

struct CaseOutput {
  CaseOutput() = default;
  CaseOutput(Error e) : error(std::move(e)) {}  // NOLINT: lets SIM_ASSIGN_OR_RETURN return errors
  // Exactly one of: result (JSON text), error, skip_reason non-empty.
  std::optional<std::string> result_json;
  std::optional<Error> error;
  std::string skip_reason;
  // A mock expectation that was not met (upstream gomock failure) — reported as FAIL.
  std::string mock_failure;
};

using Handler = std::function<CaseOutput(const CaseInput&)>;
// Handlers keyed by "<upstream file>#<unitUnderTest>".
using HandlerMap = std::map<std::string, Handler>;

void RegisterModelBuilderHandlers(HandlerMap& m);
void RegisterGroupLoaderHandlers(HandlerMap& m);
void RegisterListenerRulesHandlers(HandlerMap& m);
void RegisterBackendBuilderHandlers(HandlerMap& m);
void RegisterTargetGroupHandlers(HandlerMap& m);
void RegisterLoadBalancerHandlers(HandlerMap& m);
void RegisterSubnetsHandlers(HandlerMap& m);
void RegisterTargetsHandlers(HandlerMap& m);

// Deploy corpus (case.yaml format, units_deploy.cc): runs one case folder and compares its results.
enum class DeployVerdict { kPass, kFail, kSkip };
DeployVerdict RunDeployCase(const std::string& dir, std::string* why);
// YAML text (one document) → JSON text, YAML 1.2 core-schema typing; quoted scalars stay strings.
std::string YamlToJsonText(const std::string& yaml);

inline CaseOutput ResultOut(std::string json) {
  CaseOutput o;
  o.result_json = std::move(json);
  return o;
}
inline CaseOutput ErrorOut(Error e) {
  CaseOutput o;
  o.error = std::move(e);
  return o;
}

// The i-th object of kind `kind` (0-based among documents of that kind), or null.
model::k8s::ObjectPtr NthOfKind(const CaseInput& in, model::k8s::Kind kind, size_t index);
// The object at document position `index` (0-based among Kubernetes documents), or null.
model::k8s::ObjectPtr DocAt(const CaseInput& in, size_t index);
// The object of `kind` named `name` (first match), or null.
model::k8s::ObjectPtr ByName(const CaseInput& in, model::k8s::Kind kind, const std::string& name);

}  // namespace sim::conformance
