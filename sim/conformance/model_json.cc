// JSON → model values for conformance arguments.
#include "sim/conformance/model_json.h"

#include <nlohmann/json.hpp>

namespace sim::conformance {

namespace ms = model::stack;
namespace sc = sim::controller;
using Json = nlohmann::json;

namespace {

const Json& At(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::optional<std::string> OptStr(const Json& j, const char* key) {
  const Json& v = At(j, key);
  if (v.is_string()) return v.get<std::string>();
  return std::nullopt;
}

std::vector<std::string> Strs(const Json& j) {
  std::vector<std::string> out;
  if (j.is_array()) {
    for (const auto& e : j) out.push_back(e.get<std::string>());
  }
  return out;
}

ms::RuleCondition Cond(const Json& j) {
  ms::RuleCondition c;
  c.field = At(j, "field").is_string() ? At(j, "field").get<std::string>() : "";
  if (At(j, "hostHeaderConfig").is_object()) {
    c.host_header_config = ms::HostHeaderConditionConfig{Strs(At(At(j, "hostHeaderConfig"), "regexValues")),
                                                         Strs(At(At(j, "hostHeaderConfig"), "values"))};
  }
  if (At(j, "httpHeaderConfig").is_object()) {
    const Json& h = At(j, "httpHeaderConfig");
    c.http_header_config = ms::HTTPHeaderConditionConfig{OptStr(h, "httpHeaderName").value_or(""),
                                                         Strs(At(h, "regexValues")), Strs(At(h, "values"))};
  }
  if (At(j, "httpRequestMethodConfig").is_object()) {
    c.http_request_method_config = ms::HTTPRequestMethodConditionConfig{Strs(At(At(j, "httpRequestMethodConfig"), "values"))};
  }
  if (At(j, "pathPatternConfig").is_object()) {
    c.path_pattern_config = ms::PathPatternConditionConfig{Strs(At(At(j, "pathPatternConfig"), "regexValues")),
                                                           Strs(At(At(j, "pathPatternConfig"), "values"))};
  }
  if (At(j, "queryStringConfig").is_object()) {
    ms::QueryStringConditionConfig q;
    for (const auto& kv : At(At(j, "queryStringConfig"), "values")) {
      q.values.push_back({OptStr(kv, "key"), OptStr(kv, "value").value_or("")});
    }
    c.query_string_config = q;
  }
  if (At(j, "sourceIPConfig").is_object()) {
    c.source_ip_config = ms::SourceIPConditionConfig{Strs(At(At(j, "sourceIPConfig"), "values"))};
  }
  return c;
}

ms::Action Act(const Json& j) {
  ms::Action a;
  a.type = OptStr(j, "type").value_or("");
  if (At(j, "fixedResponseConfig").is_object()) {
    const Json& f = At(j, "fixedResponseConfig");
    a.fixed_response_config =
        ms::FixedResponseActionConfig{OptStr(f, "contentType"), OptStr(f, "messageBody"), OptStr(f, "statusCode").value_or("")};
  }
  if (At(j, "redirectConfig").is_object()) {
    const Json& r = At(j, "redirectConfig");
    a.redirect_config = ms::RedirectActionConfig{OptStr(r, "host"), OptStr(r, "path"), OptStr(r, "port"),
                                                 OptStr(r, "protocol"), OptStr(r, "query"),
                                                 OptStr(r, "statusCode").value_or("")};
  }
  if (At(j, "forwardConfig").is_object()) {
    const Json& f = At(j, "forwardConfig");
    ms::ForwardActionConfig fwd;
    for (const auto& t : At(f, "targetGroups")) {
      ms::TargetGroupTuple tuple;
      tuple.target_group_arn = ms::StringToken::Literal(OptStr(t, "targetGroupARN").value_or(""));
      if (At(t, "weight").is_number()) tuple.weight = At(t, "weight").get<int32_t>();
      fwd.target_groups.push_back(tuple);
    }
    a.forward_config = fwd;
  }
  if (At(j, "authenticateOIDCConfig").is_object()) {
    const Json& o = At(j, "authenticateOIDCConfig");
    ms::AuthenticateOIDCActionConfig c;
    c.issuer = OptStr(o, "issuer").value_or("");
    c.authorization_endpoint = OptStr(o, "authorizationEndpoint").value_or("");
    c.token_endpoint = OptStr(o, "tokenEndpoint").value_or("");
    c.user_info_endpoint = OptStr(o, "userInfoEndpoint").value_or("");
    c.client_id = OptStr(o, "clientID").value_or("");
    c.client_secret = OptStr(o, "clientSecret").value_or("");
    a.authenticate_oidc_config = c;
  }
  if (At(j, "authenticateCognitoConfig").is_object()) {
    const Json& o = At(j, "authenticateCognitoConfig");
    ms::AuthenticateCognitoActionConfig c;
    c.user_pool_arn = OptStr(o, "userPoolARN").value_or("");
    c.user_pool_client_id = OptStr(o, "userPoolClientID").value_or("");
    c.user_pool_domain = OptStr(o, "userPoolDomain").value_or("");
    a.authenticate_cognito_config = c;
  }
  return a;
}

ms::Transform Trans(const Json& j) {
  ms::Transform t;
  t.type = OptStr(j, "type").value_or("");
  auto rewrites = [](const Json& r) {
    ms::RewriteConfigObject o;
    for (const auto& e : At(r, "rewrites")) o.rewrites.push_back({OptStr(e, "regex").value_or(""), OptStr(e, "replace").value_or("")});
    return o;
  };
  if (At(j, "hostHeaderRewriteConfig").is_object()) t.host_header_rewrite_config = rewrites(At(j, "hostHeaderRewriteConfig"));
  if (At(j, "urlRewriteConfig").is_object()) t.url_rewrite_config = rewrites(At(j, "urlRewriteConfig"));
  return t;
}

template <typename T>
Result<T> Guard(const std::string& text, T (*fn)(const Json&)) {
  try {
    return fn(Json::parse(text));
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, e.what());
  }
}

sc::AuthConfig Auth(const Json& j) {
  sc::AuthConfig a;
  a.type = OptStr(j, "type").value_or("");
  if (At(j, "idpConfigCognito").is_object()) {
    sc::ing::AuthIDPConfigCognito c;
    (void)sc::ing::DecodeJson(At(j, "idpConfigCognito").dump(), &c);
    a.idp_config_cognito = c;
  }
  if (At(j, "idpConfigOIDC").is_object()) {
    sc::ing::AuthIDPConfigOIDC c;
    (void)sc::ing::DecodeJson(At(j, "idpConfigOIDC").dump(), &c);
    a.idp_config_oidc = c;
  }
  a.on_unauthenticated_request = OptStr(j, "onUnauthenticatedRequest").value_or("");
  a.scope = OptStr(j, "scope").value_or("");
  a.session_cookie_name = OptStr(j, "sessionCookieName").value_or("");
  if (At(j, "sessionTimeout").is_number()) a.session_timeout = At(j, "sessionTimeout").get<int64_t>();
  return a;
}

}  // namespace

Result<ms::RuleCondition> ParseModelRuleCondition(const std::string& json) { return Guard<ms::RuleCondition>(json, Cond); }
Result<ms::Action> ParseModelAction(const std::string& json) { return Guard<ms::Action>(json, Act); }
Result<ms::Transform> ParseModelTransform(const std::string& json) { return Guard<ms::Transform>(json, Trans); }
Result<sc::AuthConfig> ParseAuthConfig(const std::string& json) { return Guard<sc::AuthConfig>(json, Auth); }

Result<sc::EnhancedBackend> ParseEnhancedBackend(const std::string& json) {
  Json j;
  try {
    j = Json::parse(json);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, e.what());
  }
  sc::EnhancedBackend b;
  if (At(j, "conditions").is_array()) {
    std::vector<sc::ing::RuleCondition> v;
    SIM_RETURN_IF_ERROR(sc::ing::DecodeJson(At(j, "conditions").dump(), &v));
    b.conditions = v;
  }
  if (At(j, "transforms").is_array()) {
    std::vector<sc::ing::Transform> v;
    SIM_RETURN_IF_ERROR(sc::ing::DecodeJson(At(j, "transforms").dump(), &v));
    b.transforms = v;
  }
  if (At(j, "action").is_object()) SIM_RETURN_IF_ERROR(sc::ing::DecodeJson(At(j, "action").dump(), &b.action));
  if (At(j, "authConfig").is_object()) b.auth_config = Auth(At(j, "authConfig"));
  if (At(j, "jwtValidationConfig").is_object()) {
    sc::ing::JwtValidationConfig c;
    SIM_RETURN_IF_ERROR(sc::ing::DecodeJson(At(j, "jwtValidationConfig").dump(), &c));
    b.jwt_validation_config = c;
  }
  return b;
}

std::string AuthConfigToJson(const sc::AuthConfig& cfg) {
  Json j = Json::object();
  if (!cfg.type.empty()) j["type"] = cfg.type;
  if (cfg.idp_config_cognito) j["idpConfigCognito"] = Json::parse(sc::ing::ToJson(*cfg.idp_config_cognito));
  if (cfg.idp_config_oidc) j["idpConfigOIDC"] = Json::parse(sc::ing::ToJson(*cfg.idp_config_oidc));
  if (!cfg.on_unauthenticated_request.empty()) j["onUnauthenticatedRequest"] = cfg.on_unauthenticated_request;
  if (!cfg.scope.empty()) j["scope"] = cfg.scope;
  if (!cfg.session_cookie_name.empty()) j["sessionCookieName"] = cfg.session_cookie_name;
  if (cfg.session_timeout != 0) j["sessionTimeout"] = cfg.session_timeout;
  return j.dump();
}

std::string EnhancedBackendToJson(const sc::EnhancedBackend& b) {
  Json j = Json::object();
  if (b.conditions) {
    Json a = Json::array();
    for (const auto& c : *b.conditions) a.push_back(Json::parse(sc::ing::ToJson(c)));
    j["conditions"] = a;
  }
  if (b.transforms) {
    Json a = Json::array();
    for (const auto& t : *b.transforms) a.push_back(Json::parse(sc::ing::ToJson(t)));
    j["transforms"] = a;
  }
  if (!b.action.type.empty() || b.action.forward_config || b.action.fixed_response_config) {
    j["action"] = Json::parse(sc::ing::ToJson(b.action));
  }
  Json auth = Json::parse(AuthConfigToJson(b.auth_config));
  if (!auth.empty()) j["authConfig"] = auth;
  if (b.jwt_validation_config) j["jwtValidationConfig"] = Json::parse(sc::ing::ToJson(*b.jwt_validation_config));
  return j.dump();
}

}  // namespace sim::conformance
