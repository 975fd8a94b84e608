#pragma once
// JSON (text) → model values for conformance arguments: stack-model actions/conditions/transforms
// (pkg/model/elbv2 json tags) and ingress annotation types (pkg/ingress/config_types.go json tags).

#include <string>
#include <vector>

#include "models/stack/elbv2.h"
#include "sim/base/status.h"
#include "sim/controller/enhanced_backend_builder.h"

namespace sim::conformance {

Result<model::stack::RuleCondition> ParseModelRuleCondition(const std::string& json);
Result<model::stack::Action> ParseModelAction(const std::string& json);
Result<model::stack::Transform> ParseModelTransform(const std::string& json);
// {type, idpConfigCognito, idpConfigOIDC, onUnauthenticatedRequest, scope, sessionCookieName, sessionTimeout}
Result<controller::AuthConfig> ParseAuthConfig(const std::string& json);
// EnhancedBackend {conditions, transforms, action, authConfig, jwtValidationConfig}.
Result<controller::EnhancedBackend> ParseEnhancedBackend(const std::string& json);
// AuthConfig as the corpus writes it (Go zero fields omitted).
std::string AuthConfigToJson(const controller::AuthConfig& cfg);
// EnhancedBackend as the corpus writes it.
std::string EnhancedBackendToJson(const controller::EnhancedBackend& b);

}  // namespace sim::conformance
