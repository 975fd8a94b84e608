// Mirrors upstream pkg/ingress/enhanced_backend_builder.go and pkg/ingress/auth_config_builder.go.
#include "sim/controller/enhanced_backend_builder.h"

#include <set>

namespace sim::controller {

namespace mk = model::k8s;

namespace {

// upstream algorithm.MergeStringMap(a, b): keys of a win.
Annotations MergeFirstWins(const Annotations& a, const Annotations& b) {
  Annotations out = a;
  for (const auto& [k, v] : b) out.emplace(k, v);
  return out;
}

template <typename T>
std::function<Status(const std::string&)> Decoder(T* out) {
  return [out](const std::string& raw) { return ing::DecodeJson(raw, out); };
}

}  // namespace

// ---------------------------------------------------------------- AuthConfigBuilder

Result<AuthConfig> AuthConfigBuilder::Build(const Annotations& a) const {
  AuthConfig cfg;
  std::string raw_type = ing::kAuthTypeNone;
  parser_.ParseString(annotations::kAuthType, &raw_type, a);
  if (raw_type != ing::kAuthTypeCognito && raw_type != ing::kAuthTypeOIDC && raw_type != ing::kAuthTypeNone) {
    return MakeError(ErrorCode::kInvalidArgument, "unknown authType: " + raw_type);
  }
  cfg.type = raw_type;
  cfg.on_unauthenticated_request = "authenticate";
  parser_.ParseString(annotations::kAuthOnUnauthenticatedRequest, &cfg.on_unauthenticated_request, a);
  cfg.scope = "openid";
  parser_.ParseString(annotations::kAuthScope, &cfg.scope, a);
  cfg.session_cookie_name = "AWSELBAuthSessionCookie";
  parser_.ParseString(annotations::kAuthSessionCookie, &cfg.session_cookie_name, a);
  int64_t timeout = 604800;
  SIM_RETURN_IF_ERROR(parser_.ParseInt64(annotations::kAuthSessionTimeout, &timeout, a));
  cfg.session_timeout = timeout;
  ing::AuthIDPConfigCognito cognito;
  SIM_ASSIGN_OR_RETURN(bool has_cognito, parser_.ParseJSON(annotations::kAuthIDPCognito, Decoder(&cognito), a));
  if (has_cognito) cfg.idp_config_cognito = cognito;
  ing::AuthIDPConfigOIDC oidc;
  SIM_ASSIGN_OR_RETURN(bool has_oidc, parser_.ParseJSON(annotations::kAuthIDPOIDC, Decoder(&oidc), a));
  if (has_oidc) cfg.idp_config_oidc = oidc;
  return cfg;
}

// ---------------------------------------------------------------- EnhancedBackendBuilder

Result<EnhancedBackend> EnhancedBackendBuilder::Build(const mk::Ingress& ing, const mk::IngressBackend& backend,
                                                      const EnhancedBackendBuildOptions& opts) const {
  BackendServices local;
  BackendServices* services = opts.backend_services ? opts.backend_services : &local;
  if (!backend.service.has_value()) {
    return MakeError(ErrorCode::kInvalidArgument, "missing required \"service\" field");
  }
  const auto& svc = *backend.service;
  const Annotations& ann = ing.metadata.annotations;
  EnhancedBackend out;
  SIM_ASSIGN_OR_RETURN(out.conditions, BuildConditions(ann, svc.name));
  SIM_ASSIGN_OR_RETURN(out.transforms, BuildTransforms(ann, svc.name));
  if (svc.port.name == "use-annotation") {
    SIM_ASSIGN_OR_RETURN(out.action, BuildActionViaAnnotation(ann, svc.name));
  } else if (!svc.port.name.empty()) {
    out.action = BuildActionViaServiceAndServicePort(svc.name, mk::IntOrString::Str(svc.port.name));
  } else {
    out.action = BuildActionViaServiceAndServicePort(svc.name, mk::IntOrString::Int(svc.port.number));
  }
  if (opts.load_backend_services) {
    SIM_RETURN_IF_ERROR(LoadBackendServices(&out.action, ing.metadata.namespace_, services));
    if (opts.load_auth_config) {
      SIM_ASSIGN_OR_RETURN(out.auth_config, BuildAuthConfig(out.action, ing.metadata.namespace_, ann, *services));
    }
  }
  SIM_ASSIGN_OR_RETURN(out.jwt_validation_config, BuildJwtValidationConfig(ann));
  return out;
}

Result<std::optional<std::vector<ing::RuleCondition>>> EnhancedBackendBuilder::BuildConditions(
    const Annotations& ing_annotations, const std::string& svc_name) const {
  std::vector<ing::RuleCondition> conditions;
  SIM_ASSIGN_OR_RETURN(bool exists, parser_.ParseJSON("conditions." + svc_name, Decoder(&conditions), ing_annotations));
  if (!exists) return std::optional<std::vector<ing::RuleCondition>>{};
  for (const auto& c : conditions) SIM_RETURN_IF_ERROR(c.Validate());
  return std::optional<std::vector<ing::RuleCondition>>(conditions);
}

Result<std::optional<std::vector<ing::Transform>>> EnhancedBackendBuilder::BuildTransforms(
    const Annotations& ing_annotations, const std::string& svc_name) const {
  std::vector<ing::Transform> transforms;
  SIM_ASSIGN_OR_RETURN(bool exists, parser_.ParseJSON("transforms." + svc_name, Decoder(&transforms), ing_annotations));
  if (!exists) return std::optional<std::vector<ing::Transform>>{};
  for (const auto& t : transforms) SIM_RETURN_IF_ERROR(t.Validate());
  return std::optional<std::vector<ing::Transform>>(transforms);
}

Result<ing::Action> EnhancedBackendBuilder::BuildActionViaAnnotation(const Annotations& ing_annotations,
                                                                    const std::string& svc_name) const {
  ing::Action action;
  const std::string key = "actions." + svc_name;
  SIM_ASSIGN_OR_RETURN(bool exists, parser_.ParseJSON(key, Decoder(&action), ing_annotations));
  if (!exists) {
    if (tolerate_non_existent_backend_action_) return Build503ResponseAction(kNonExistentBackendActionMessageBody);
    return MakeError(ErrorCode::kInvalidArgument, "missing " + key + " configuration");
  }
  SIM_RETURN_IF_ERROR(action.Validate());
  // normalizeSimplifiedSchemaForwardAction
  if (action.type == ing::kActionTypeForward && (action.target_group_arn || action.target_group_name)) {
    ing::TargetGroupTuple t;
    t.target_group_arn = action.target_group_arn;
    t.target_group_name = action.target_group_name;
    ing::Action normalized;
    normalized.type = ing::kActionTypeForward;
    normalized.forward_config = ing::ForwardActionConfig{std::vector<ing::TargetGroupTuple>{t}, std::nullopt};
    action = normalized;
  }
  // normalizeServicePortForBackwardsCompatibility: intstr.Parse(port.String()).
  if (action.type == ing::kActionTypeForward && action.forward_config && action.forward_config->target_groups) {
    for (auto& t : *action.forward_config->target_groups) {
      if (!t.service_port) continue;
      std::string s = t.service_port->ToString();
      auto n = GoParseInt(s, 32);
      *t.service_port = n.ok() ? mk::IntOrString::Int(static_cast<int32_t>(n.value())) : mk::IntOrString::Str(s);
    }
  }
  return action;
}

ing::Action EnhancedBackendBuilder::BuildActionViaServiceAndServicePort(const std::string& svc_name,
                                                                       const mk::IntOrString& port) const {
  ing::TargetGroupTuple t;
  t.service_name = svc_name;
  t.service_port = port;
  ing::Action a;
  a.type = ing::kActionTypeForward;
  a.forward_config = ing::ForwardActionConfig{std::vector<ing::TargetGroupTuple>{t}, std::nullopt};
  return a;
}

Status EnhancedBackendBuilder::LoadBackendServices(ing::Action* action, const std::string& ns,
                                                   BackendServices* backend_services) const {
  if (action->type != ing::kActionTypeForward || !action->forward_config) return OkStatus();
  std::set<std::string> names;  // Go sets.String: iteration order is random; sorted here
  size_t tuples = 0;
  if (action->forward_config->target_groups) {
    tuples = action->forward_config->target_groups->size();
    for (const auto& t : *action->forward_config->target_groups) {
      if (t.service_name) names.insert(*t.service_name);
    }
  }
  const bool single = tuples == 1 && names.size() == 1;
  const bool tolerate = tolerate_non_existent_backend_service_ && single;
  for (const auto& name : names) {
    const std::string key = ns + "/" + name;
    if (backend_services->count(key)) continue;
    if (client_ == nullptr) return MakeError(ErrorCode::kInternal, "no Kubernetes client to load service " + key);
    auto svc = k8s::Get<mk::Service>(*client_, ns, name);
    if (!svc.ok()) {
      if (k8s::IsNotFound(svc.error()) && tolerate) {
        *action = Build503ResponseAction(kNonExistentBackendServiceMessageBody);
        return OkStatus();
      }
      return svc.error();
    }
    (*backend_services)[key] = svc.value();
  }
  return OkStatus();
}

Result<AuthConfig> EnhancedBackendBuilder::BuildAuthConfig(const ing::Action& action, const std::string& ns,
                                                           const Annotations& ing_annotations,
                                                           const BackendServices& backend_services) const {
  Annotations merged = ing_annotations;
  if (action.type == ing::kActionTypeForward && action.forward_config && action.forward_config->target_groups &&
      action.forward_config->target_groups->size() == 1 && (*action.forward_config->target_groups)[0].service_name) {
    const std::string key = ns + "/" + *(*action.forward_config->target_groups)[0].service_name;
    auto it = backend_services.find(key);
    if (it != backend_services.end() && it->second) {
      merged = MergeFirstWins(it->second->metadata.annotations, ing_annotations);
    }
  }
  if (auth_ == nullptr) return AuthConfig{};
  return auth_->Build(merged);
}

Result<std::optional<ing::JwtValidationConfig>> EnhancedBackendBuilder::BuildJwtValidationConfig(
    const Annotations& ing_annotations) const {
  ing::JwtValidationConfig cfg;
  SIM_ASSIGN_OR_RETURN(bool exists, parser_.ParseJSON(annotations::kJwtValidation, Decoder(&cfg), ing_annotations));
  if (!exists) return std::optional<ing::JwtValidationConfig>{};
  auto err = [](const char* m) { return MakeError(ErrorCode::kInvalidArgument, m); };
  if (cfg.jwks_endpoint.empty()) return err("jwksEndpoint is a required field for jwt validation");
  if (cfg.issuer.empty()) return err("issuer is a required field for jwt validation");
  if (cfg.additional_claims) {
    for (const auto& c : *cfg.additional_claims) {
      if (c.format.empty()) return err("format is a required field for additional claims for jwt validation");
      if (c.name.empty()) return err("name is a required field for additional claims for jwt validation");
      if (!c.values || c.values->empty()) {
        return err("values must not be empty for additional claims for jwt validation");
      }
    }
  }
  return std::optional<ing::JwtValidationConfig>(cfg);
}

ing::Action EnhancedBackendBuilder::Build503ResponseAction(const std::string& message_body) const {
  ing::Action a;
  a.type = ing::kActionTypeFixedResponse;
  a.fixed_response_config = ing::FixedResponseActionConfig{std::string("text/plain"), message_body, "503"};
  return a;
}

}  // namespace sim::controller
