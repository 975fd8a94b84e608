// Mirrors upstream pkg/ingress/model_build_actions.go.
#include <cctype>

#include "sim/controller/model_builder.h"

namespace sim::controller {

namespace mk = model::k8s;

namespace {

Error Err(const std::string& m) { return MakeError(ErrorCode::kInvalidArgument, m); }

// Go base64.StdEncoding.DecodeString (Secret data as stored); false on malformed input.
bool Base64Decode(const std::string& in, std::string* out) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  out->clear();
  int buf = 0, bits = 0;
  for (char c : in) {
    if (c == '=') break;
    int v = val(c);
    if (v < 0) return false;
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  return true;
}

std::string TrimRightSpace(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

std::string TrimRightControl(std::string s) {
  while (!s.empty()) {
    unsigned char c = static_cast<unsigned char>(s.back());
    if (c < 0x20 || c == 0x7f) {
      s.pop_back();
    } else {
      break;
    }
  }
  return s;
}

}  // namespace

Result<std::vector<ms::Action>> ModelBuildTask::BuildActions(const std::string& protocol, const ClassifiedIngress& ing,
                                                             const EnhancedBackend& backend) {
  std::vector<ms::Action> actions;
  if (protocol == "HTTPS") {
    std::optional<ms::Action> auth;
    const AuthConfig& cfg = backend.auth_config;
    if (cfg.type == ing::kAuthTypeCognito) {
      SIM_ASSIGN_OR_RETURN(auth, BuildAuthenticateCognitoAction(cfg));
    } else if (cfg.type == ing::kAuthTypeOIDC) {
      SIM_ASSIGN_OR_RETURN(auth, BuildAuthenticateOIDCAction(ing.ing->metadata.namespace_, cfg));
    }
    if (auth) actions.push_back(*auth);
    std::optional<ms::Action> jwt = BuildJwtValidationAction(backend.jwt_validation_config);
    if (jwt) actions.push_back(*jwt);
    if (auth && jwt) return Err("authentication and jwt validation can't both be configured");
  }
  SIM_ASSIGN_OR_RETURN(ms::Action backend_action, BuildBackendAction(ing, backend.action));
  actions.push_back(backend_action);
  return actions;
}

Result<ms::Action> ModelBuildTask::BuildBackendAction(const ClassifiedIngress& ing, const ing::Action& a) {
  if (a.type == ing::kActionTypeFixedResponse) {
    if (!a.fixed_response_config) return Err("missing FixedResponseConfig");
    ms::Action out;
    out.type = ms::kActionTypeFixedResponse;
    out.fixed_response_config = ms::FixedResponseActionConfig{
        a.fixed_response_config->content_type, a.fixed_response_config->message_body, a.fixed_response_config->status_code};
    return out;
  }
  if (a.type == ing::kActionTypeRedirect) {
    if (!a.redirect_config) return Err("missing RedirectConfig");
    const auto& r = *a.redirect_config;
    ms::Action out;
    out.type = ms::kActionTypeRedirect;
    out.redirect_config = ms::RedirectActionConfig{r.host, r.path, r.port, r.protocol, r.query, r.status_code};
    return out;
  }
  if (a.type == ing::kActionTypeForward) return BuildForwardAction(ing, a);
  return Err("unknown action type: " + a.type);
}

Result<ms::Action> ModelBuildTask::BuildForwardAction(const ClassifiedIngress& ing, const ing::Action& a) {
  if (!a.forward_config) return Err("missing ForwardConfig");
  ms::ForwardActionConfig fwd;
  if (a.forward_config->target_groups) {
    for (const auto& t : *a.forward_config->target_groups) {
      ms::StringToken arn;
      if (t.target_group_arn) {
        arn = ms::StringToken::Literal(*t.target_group_arn);
      } else if (t.target_group_name) {
        if (deps.tg_arn_mapper == nullptr) return MakeError(ErrorCode::kInternal, "no target group name mapper configured");
        auto r = deps.tg_arn_mapper->GetArnByName(*t.target_group_name);
        if (!r.ok()) return Wrap(r.error(), "searching TargetGroup with name " + *t.target_group_name);
        arn = ms::StringToken::Literal(r.value());
      } else {
        const std::string key = ing.ing->metadata.namespace_ + "/" + t.service_name.value_or("");
        auto it = backend_services.find(key);
        ServicePtr svc = it == backend_services.end() ? nullptr : it->second;
        if (!svc) {
          // upstream dereferences a nil Service here (panic); albtwin reports it.
          return MakeError(ErrorCode::kInternal, "service " + key + " was not loaded");
        }
        SIM_ASSIGN_OR_RETURN(arn, BuildTargetGroup(ing, svc, t.service_port.value_or(mk::IntOrString{})));
      }
      fwd.target_groups.push_back(ms::TargetGroupTuple{arn, t.weight});
    }
  }
  if (a.forward_config->target_group_stickiness_config) {
    const auto& s = *a.forward_config->target_group_stickiness_config;
    fwd.target_group_stickiness_config = ms::TargetGroupStickinessConfig{s.enabled, s.duration_seconds};
  }
  ms::Action out;
  out.type = ms::kActionTypeForward;
  out.forward_config = fwd;
  return out;
}

Result<ms::Action> ModelBuildTask::BuildAuthenticateCognitoAction(const AuthConfig& cfg) const {
  if (!cfg.idp_config_cognito) return Err("missing IDPConfigCognito");
  ms::AuthenticateCognitoActionConfig c;
  c.user_pool_arn = cfg.idp_config_cognito->user_pool_arn;
  c.user_pool_client_id = cfg.idp_config_cognito->user_pool_client_id;
  c.user_pool_domain = cfg.idp_config_cognito->user_pool_domain;
  if (cfg.idp_config_cognito->authentication_request_extra_params) {
    c.authentication_request_extra_params = *cfg.idp_config_cognito->authentication_request_extra_params;
  }
  c.on_unauthenticated_request = cfg.on_unauthenticated_request;
  c.scope = cfg.scope;
  c.session_cookie_name = cfg.session_cookie_name;
  c.session_timeout = cfg.session_timeout;
  ms::Action out;
  out.type = ms::kActionTypeAuthenticateCognito;
  out.authenticate_cognito_config = c;
  return out;
}

Result<ms::Action> ModelBuildTask::BuildAuthenticateOIDCAction(const std::string& ns, const AuthConfig& cfg) {
  if (!cfg.idp_config_oidc) return Err("missing IDPConfigOIDC");
  const std::string secret_key = ns + "/" + cfg.idp_config_oidc->secret_name;
  if (kube == nullptr) return MakeError(ErrorCode::kInternal, "no Kubernetes client to read secret " + secret_key);
  SIM_ASSIGN_OR_RETURN(auto secret, k8s::Get<mk::Secret>(*kube, ns, cfg.idp_config_oidc->secret_name));
  auto find = [&](const char* k, std::string* v) -> bool {
    auto it = secret->data.find(k);
    if (it != secret->data.end()) return Base64Decode(it->second, v) || true;
    auto it2 = secret->string_data.find(k);
    if (it2 != secret->string_data.end()) {
      *v = it2->second;
      return true;
    }
    return false;
  };
  std::string client_id, client_secret;
  if (!find("clientID", &client_id) && !find("clientId", &client_id)) {
    return Err("missing clientID, secret: " + secret_key);
  }
  if (!find("clientSecret", &client_secret)) return Err("missing clientSecret, secret: " + secret_key);
  secret_keys.push_back(secret_key);
  ms::AuthenticateOIDCActionConfig c;
  c.issuer = cfg.idp_config_oidc->issuer;
  c.authorization_endpoint = cfg.idp_config_oidc->authorization_endpoint;
  c.token_endpoint = cfg.idp_config_oidc->token_endpoint;
  c.user_info_endpoint = cfg.idp_config_oidc->user_info_endpoint;
  c.client_id = TrimRightSpace(client_id);
  c.client_secret = TrimRightControl(client_secret);
  if (cfg.idp_config_oidc->authentication_request_extra_params) {
    c.authentication_request_extra_params = *cfg.idp_config_oidc->authentication_request_extra_params;
  }
  c.on_unauthenticated_request = cfg.on_unauthenticated_request;
  c.scope = cfg.scope;
  c.session_cookie_name = cfg.session_cookie_name;
  c.session_timeout = cfg.session_timeout;
  ms::Action out;
  out.type = ms::kActionTypeAuthenticateOIDC;
  out.authenticate_oidc_config = c;
  return out;
}

std::optional<ms::Action> ModelBuildTask::BuildJwtValidationAction(
    const std::optional<ing::JwtValidationConfig>& cfg) const {
  if (!cfg) return std::nullopt;
  ms::JwtValidationConfig j;
  j.jwks_endpoint = cfg->jwks_endpoint;
  j.issuer = cfg->issuer;
  if (cfg->additional_claims) {
    for (const auto& c : *cfg->additional_claims) {
      j.additional_claims.push_back(ms::JwtAdditionalClaim{c.format, c.name, c.values.value_or(std::vector<std::string>{})});
    }
  }
  ms::Action out;
  out.type = ms::kActionTypeJwtValidation;
  out.jwt_validation_config = j;
  return out;
}

ms::Action ModelBuildTask::Build404Action() const {
  ms::Action out;
  out.type = ms::kActionTypeFixedResponse;
  out.fixed_response_config = ms::FixedResponseActionConfig{std::string("text/plain"), std::nullopt, "404"};
  return out;
}

ms::Action ModelBuildTask::BuildSSLRedirectAction(const SSLRedirectConfig& cfg) const {
  ms::Action out;
  out.type = ms::kActionTypeRedirect;
  ms::RedirectActionConfig r;
  r.port = std::to_string(cfg.ssl_port);
  r.protocol = "HTTPS";
  r.status_code = cfg.status_code;
  out.redirect_config = r;
  return out;
}

}  // namespace sim::controller
