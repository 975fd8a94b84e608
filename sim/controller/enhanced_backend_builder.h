#pragma once
// Mirrors upstream pkg/ingress/enhanced_backend_builder.go and pkg/ingress/auth_config_builder.go.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/k8s/objects.h"
#include "sim/base/status.h"
#include "sim/controller/annotation_parser.h"
#include "sim/controller/config_types.h"
#include "sim/k8s/client_api.h"

namespace sim::controller {

using ServicePtr = std::shared_ptr<const model::k8s::Service>;
// Services referenced by actions, keyed "<ns>/<name>" (one snapshot per build).
using BackendServices = std::map<std::string, ServicePtr>;

// upstream AuthConfig.
struct AuthConfig {
  std::string type;  // none / cognito / oidc ("" = Go zero value)
  std::optional<ing::AuthIDPConfigCognito> idp_config_cognito;
  std::optional<ing::AuthIDPConfigOIDC> idp_config_oidc;
  std::string on_unauthenticated_request;
  std::string scope;
  std::string session_cookie_name;
  int64_t session_timeout = 0;
  bool operator==(const AuthConfig&) const = default;
};

class AuthConfigBuilder {
 public:
  explicit AuthConfigBuilder(const AnnotationParser& parser) : parser_(parser) {}
  // Defaults: type none, onUnauthenticatedRequest authenticate, scope openid, cookie
  // AWSELBAuthSessionCookie, timeout 604800. `unknown authType: <v>`.
  Result<AuthConfig> Build(const Annotations& svc_and_ing_annotations) const;

 private:
  const AnnotationParser& parser_;
};

// upstream EnhancedBackend.
struct EnhancedBackend {
  std::optional<std::vector<ing::RuleCondition>> conditions;
  std::optional<std::vector<ing::Transform>> transforms;
  ing::Action action;
  AuthConfig auth_config;
  std::optional<ing::JwtValidationConfig> jwt_validation_config;
};

struct EnhancedBackendBuildOptions {
  bool load_backend_services = true;
  // Shared snapshot map; when null a fresh map is used.
  BackendServices* backend_services = nullptr;
  bool load_auth_config = true;
};

inline constexpr const char* kNonExistentBackendServiceMessageBody = "Backend service does not exist";
inline constexpr const char* kNonExistentBackendActionMessageBody = "Backend action does not exist";

class EnhancedBackendBuilder {
 public:
  EnhancedBackendBuilder(const k8s::KubeApi* client, const AnnotationParser& parser, const AuthConfigBuilder* auth,
                         bool tolerate_non_existent_backend_service, bool tolerate_non_existent_backend_action)
      : client_(client),
        parser_(parser),
        auth_(auth),
        tolerate_non_existent_backend_service_(tolerate_non_existent_backend_service),
        tolerate_non_existent_backend_action_(tolerate_non_existent_backend_action) {}

  // `missing required "service" field` for a resource backend.
  Result<EnhancedBackend> Build(const model::k8s::Ingress& ing, const model::k8s::IngressBackend& backend,
                                const EnhancedBackendBuildOptions& opts) const;

  // ---- upstream unexported steps (conformance runner)
  Result<std::optional<std::vector<ing::RuleCondition>>> BuildConditions(const Annotations& ing_annotations,
                                                                         const std::string& svc_name) const;
  Result<std::optional<std::vector<ing::Transform>>> BuildTransforms(const Annotations& ing_annotations,
                                                                     const std::string& svc_name) const;
  Result<ing::Action> BuildActionViaAnnotation(const Annotations& ing_annotations, const std::string& svc_name) const;
  ing::Action BuildActionViaServiceAndServicePort(const std::string& svc_name, const model::k8s::IntOrString& port) const;
  Status LoadBackendServices(ing::Action* action, const std::string& ns, BackendServices* backend_services) const;
  Result<AuthConfig> BuildAuthConfig(const ing::Action& action, const std::string& ns, const Annotations& ing_annotations,
                                     const BackendServices& backend_services) const;
  Result<std::optional<ing::JwtValidationConfig>> BuildJwtValidationConfig(const Annotations& ing_annotations) const;
  ing::Action Build503ResponseAction(const std::string& message_body) const;

 private:
  const k8s::KubeApi* client_;
  const AnnotationParser& parser_;
  const AuthConfigBuilder* auth_;
  bool tolerate_non_existent_backend_service_;
  bool tolerate_non_existent_backend_action_;
};

}  // namespace sim::controller
