// Mirrors upstream pkg/deploy/elbv2/listener_utils.go and pkg/equality/elbv2/*.go.
#include "sim/controller/listener_utils.h"

#include <algorithm>

namespace sim::controller {

namespace ms = model::stack;
namespace ma = model::aws;

Result<std::string> ResolveToken(const ms::Stack& stack, const ms::StringToken& token) {
  std::string out, error;
  if (!stack.ResolveToken(token, &out, &error)) return MakeError(ErrorCode::kFailedPrecondition, error);
  return out;
}

namespace {

ma::AuthenticateCognitoActionConfig BuildCognito(const ms::AuthenticateCognitoActionConfig& c) {
  ma::AuthenticateCognitoActionConfig o;
  o.authentication_request_extra_params = c.authentication_request_extra_params;
  if (!c.on_unauthenticated_request.empty()) o.on_unauthenticated_request = c.on_unauthenticated_request;
  o.scope = c.scope;
  o.session_cookie_name = c.session_cookie_name;
  o.session_timeout = c.session_timeout;
  o.user_pool_arn = c.user_pool_arn;
  o.user_pool_client_id = c.user_pool_client_id;
  o.user_pool_domain = c.user_pool_domain;
  return o;
}

ma::AuthenticateOidcActionConfig BuildOidc(const ms::AuthenticateOIDCActionConfig& c) {
  ma::AuthenticateOidcActionConfig o;
  o.authentication_request_extra_params = c.authentication_request_extra_params;
  if (!c.on_unauthenticated_request.empty()) o.on_unauthenticated_request = c.on_unauthenticated_request;
  o.scope = c.scope;
  o.session_cookie_name = c.session_cookie_name;
  o.session_timeout = c.session_timeout;
  o.client_id = c.client_id;
  o.client_secret = c.client_secret;
  o.issuer = c.issuer;
  o.authorization_endpoint = c.authorization_endpoint;
  o.token_endpoint = c.token_endpoint;
  o.user_info_endpoint = c.user_info_endpoint;
  return o;
}

}  // namespace

ma::JwtValidationActionConfig BuildSDKJwtValidationConfig(const ms::JwtValidationConfig& cfg) {
  ma::JwtValidationActionConfig o;
  o.jwks_endpoint = cfg.jwks_endpoint;
  o.issuer = cfg.issuer;
  for (const ms::JwtAdditionalClaim& c : cfg.additional_claims) {
    o.additional_claims.push_back(ma::JwtValidationActionAdditionalClaim{c.format, c.name, c.values});
  }
  return o;
}

Result<ma::Action> BuildSDKAction(const ms::Stack& stack, const ms::Action& a, const DeployFeatureGates& gates) {
  ma::Action o;
  o.type = a.type;
  if (a.authenticate_cognito_config) o.authenticate_cognito_config = BuildCognito(*a.authenticate_cognito_config);
  if (a.authenticate_oidc_config) o.authenticate_oidc_config = BuildOidc(*a.authenticate_oidc_config);
  if (a.jwt_validation_config) o.jwt_validation_config = BuildSDKJwtValidationConfig(*a.jwt_validation_config);
  if (a.fixed_response_config) {
    ma::FixedResponseActionConfig f;
    f.content_type = a.fixed_response_config->content_type;
    f.message_body = a.fixed_response_config->message_body;
    f.status_code = a.fixed_response_config->status_code;
    o.fixed_response_config = f;
  }
  if (a.redirect_config) {
    ma::RedirectActionConfig r;
    r.host = a.redirect_config->host;
    r.path = a.redirect_config->path;
    r.port = a.redirect_config->port;
    r.protocol = a.redirect_config->protocol;
    r.query = a.redirect_config->query;
    r.status_code = a.redirect_config->status_code;
    o.redirect_config = r;
  }
  if (a.forward_config) {
    ma::ForwardActionConfig f;
    for (const ms::TargetGroupTuple& t : a.forward_config->target_groups) {
      SIM_ASSIGN_OR_RETURN(std::string arn, ResolveToken(stack, t.target_group_arn));
      ma::TargetGroupTuple tt;
      tt.target_group_arn = arn;
      if (t.weight) tt.weight = *t.weight;
      f.target_groups.push_back(tt);
    }
    if (a.forward_config->target_group_stickiness_config) {
      ma::TargetGroupStickinessConfig s;
      s.duration_seconds = a.forward_config->target_group_stickiness_config->duration_seconds;
      s.enabled = a.forward_config->target_group_stickiness_config->enabled;
      f.target_group_stickiness_config = s;
    }
    if (!gates.weighted_target_groups) {
      if (f.target_groups.size() == 1) {
        o.target_group_arn = f.target_groups[0].target_group_arn;
      } else {
        return MakeError(ErrorCode::kInvalidArgument, "weighted target groups feature is disabled");
      }
    } else {
      o.forward_config = f;
    }
  }
  return o;
}

Result<std::vector<ma::Action>> BuildSDKActions(const ms::Stack& stack, const std::vector<ms::Action>& actions,
                                                const DeployFeatureGates& gates) {
  std::vector<ma::Action> out;
  int index = 0;
  for (const ms::Action& a : actions) {
    SIM_ASSIGN_OR_RETURN(ma::Action sdk, BuildSDKAction(stack, a, gates));
    sdk.order = ++index;
    out.push_back(std::move(sdk));
  }
  return out;
}

ma::RuleCondition BuildSDKRuleCondition(const ms::RuleCondition& c) {
  ma::RuleCondition o;
  o.field = c.field;
  if (c.host_header_config) {
    o.host_header_config = ma::HostHeaderConditionConfig{c.host_header_config->values, c.host_header_config->regex_values};
  }
  if (c.http_header_config) {
    o.http_header_config = ma::HttpHeaderConditionConfig{c.http_header_config->http_header_name,
                                                         c.http_header_config->values,
                                                         c.http_header_config->regex_values};
  }
  if (c.http_request_method_config) {
    o.http_request_method_config = ma::HttpRequestMethodConditionConfig{c.http_request_method_config->values};
  }
  if (c.path_pattern_config) {
    o.path_pattern_config = ma::PathPatternConditionConfig{c.path_pattern_config->values, c.path_pattern_config->regex_values};
  }
  if (c.query_string_config) {
    ma::QueryStringConditionConfig q;
    for (const auto& kv : c.query_string_config->values) q.values.push_back(ma::QueryStringKeyValuePair{kv.key, kv.value});
    o.query_string_config = q;
  }
  if (c.source_ip_config) o.source_ip_config = ma::SourceIpConditionConfig{c.source_ip_config->values};
  return o;
}

std::vector<ma::RuleCondition> BuildSDKRuleConditions(const std::vector<ms::RuleCondition>& conditions) {
  std::vector<ma::RuleCondition> out;
  for (const auto& c : conditions) out.push_back(BuildSDKRuleCondition(c));
  return out;
}

std::vector<ma::RuleTransform> BuildSDKTransforms(const std::vector<ms::Transform>& transforms) {
  std::vector<ma::RuleTransform> out;
  for (const ms::Transform& t : transforms) {
    ma::RuleTransform o;
    o.type = t.type;
    auto conv = [](const ms::RewriteConfigObject& obj) {
      std::vector<ma::RewriteConfig> rw;
      for (const auto& r : obj.rewrites) rw.push_back(ma::RewriteConfig{r.regex, r.replace});
      return rw;
    };
    if (t.host_header_rewrite_config) o.host_header_rewrite_config = conv(*t.host_header_rewrite_config);
    if (t.url_rewrite_config) o.url_rewrite_config = conv(*t.url_rewrite_config);
    out.push_back(std::move(o));
  }
  return out;
}

Result<DesiredRuleConfig> BuildResLRDesiredRuleConfig(const ms::Stack& stack, const ms::ListenerRule& rule,
                                                      const DeployFeatureGates& gates) {
  DesiredRuleConfig cfg;
  SIM_ASSIGN_OR_RETURN(cfg.actions, BuildSDKActions(stack, rule.spec.actions, gates));
  cfg.conditions = BuildSDKRuleConditions(rule.spec.conditions);
  cfg.transforms = BuildSDKTransforms(rule.spec.transforms);
  return cfg;
}

void BuildSDKCertificates(const ms::Stack& stack, const std::vector<ms::Certificate>& certs,
                          std::vector<ma::Certificate>* default_certs, std::vector<ma::Certificate>* extra_certs) {
  default_certs->clear();
  extra_certs->clear();
  if (certs.empty()) return;
  auto build = [&](const ms::Certificate& c) {
    ma::Certificate o;
    if (c.certificate_arn) {
      std::string arn, error;
      if (stack.ResolveToken(*c.certificate_arn, &arn, &error)) o.certificate_arn = arn;
    }
    return o;
  };
  default_certs->push_back(build(certs[0]));
  for (const auto& c : certs) extra_certs->push_back(build(c));
}

std::optional<ma::MutualAuthenticationAttributes> BuildSDKMutualAuthenticationConfig(
    const std::optional<ms::MutualAuthenticationAttributes>& mtls) {
  if (!mtls) return std::nullopt;
  ma::MutualAuthenticationAttributes o;
  o.ignore_client_certificate_expiry = mtls->ignore_client_certificate_expiry;
  o.mode = mtls->mode;
  o.trust_store_arn = mtls->trust_store_arn;
  if (mtls->mode == "verify") {
    o.advertise_trust_store_ca_names = mtls->advertise_trust_store_ca_names.value_or("off");
  }
  return o;
}

// ------------------------------------------------------------------------------------ equality

namespace {

std::string Str(const std::optional<std::string>& s) { return s.value_or(""); }

bool RedirectEqual(const ma::RedirectActionConfig& a, const ma::RedirectActionConfig& b) {
  auto norm = [](ma::RedirectActionConfig c) {
    if (!c.host) c.host = "#{host}";
    if (!c.path) c.path = "/#{path}";
    if (!c.port) c.port = "#{port}";
    if (!c.protocol) c.protocol = "#{protocol}";
    if (!c.query) c.query = "#{query}";
    return c;
  };
  return norm(a) == norm(b);
}

bool ForwardEqual(const ma::ForwardActionConfig& desired, const ma::ForwardActionConfig& actual) {
  auto norm = [](std::vector<ma::TargetGroupTuple> t) {
    std::stable_sort(t.begin(), t.end(), [](const auto& x, const auto& y) { return x.target_group_arn < y.target_group_arn; });
    if (t.size() == 1) t[0].weight.reset();
    return t;
  };
  if (norm(desired.target_groups) != norm(actual.target_groups)) return false;
  if (desired.target_group_stickiness_config.has_value() &&
      desired.target_group_stickiness_config != actual.target_group_stickiness_config) {
    return false;
  }
  return true;
}

bool OidcEqual(const ma::AuthenticateOidcActionConfig& a, const ma::AuthenticateOidcActionConfig& b) {
  return a.issuer == b.issuer && a.authorization_endpoint == b.authorization_endpoint &&
         a.token_endpoint == b.token_endpoint && a.user_info_endpoint == b.user_info_endpoint &&
         a.client_id == b.client_id && a.client_secret == b.client_secret &&
         a.session_cookie_name == b.session_cookie_name && a.scope == b.scope &&
         a.session_timeout == b.session_timeout &&
         a.authentication_request_extra_params == b.authentication_request_extra_params &&
         Str(a.on_unauthenticated_request) == Str(b.on_unauthenticated_request) &&
         a.use_existing_client_secret == b.use_existing_client_secret;
}

bool CognitoEqual(const ma::AuthenticateCognitoActionConfig& a, const ma::AuthenticateCognitoActionConfig& b) {
  return a.user_pool_arn == b.user_pool_arn && a.user_pool_client_id == b.user_pool_client_id &&
         a.user_pool_domain == b.user_pool_domain && a.session_cookie_name == b.session_cookie_name &&
         a.scope == b.scope && a.session_timeout == b.session_timeout &&
         a.authentication_request_extra_params == b.authentication_request_extra_params &&
         Str(a.on_unauthenticated_request) == Str(b.on_unauthenticated_request);
}

template <typename T, typename F>
bool OptEqual(const std::optional<T>& a, const std::optional<T>& b, F eq) {
  if (a.has_value() != b.has_value()) return false;
  return !a.has_value() || eq(*a, *b);
}

bool ActionEqual(const ma::Action& d, const ma::Action& a) {
  if (d.type != a.type) return false;
  if (!OptEqual(d.authenticate_oidc_config, a.authenticate_oidc_config, OidcEqual)) return false;
  if (!OptEqual(d.authenticate_cognito_config, a.authenticate_cognito_config, CognitoEqual)) return false;
  if (!OptEqual(d.redirect_config, a.redirect_config, RedirectEqual)) return false;
  if (d.fixed_response_config != a.fixed_response_config) return false;
  if (!OptEqual(d.forward_config, a.forward_config, ForwardEqual)) return false;
  if (d.jwt_validation_config != a.jwt_validation_config) return false;
  return true;
}

template <typename T, typename Key>
std::vector<T> StableSorted(std::vector<T> v, Key key) {
  std::stable_sort(v.begin(), v.end(), [&](const T& x, const T& y) { return key(x) < key(y); });
  return v;
}

}  // namespace

bool ActionsEqual(const std::vector<ma::Action>& desired, const std::vector<ma::Action>& actual) {
  if (desired.size() != actual.size()) return false;
  auto by_order = [](std::vector<ma::Action> v) {
    std::stable_sort(v.begin(), v.end(), [](const ma::Action& x, const ma::Action& y) {
      if (!x.order || !y.order) return false;
      return *x.order < *y.order;
    });
    return v;
  };
  std::vector<ma::Action> d = by_order(desired), a = by_order(actual);
  for (size_t i = 0; i < d.size(); ++i) {
    if (!ActionEqual(d[i], a[i])) return false;
  }
  return true;
}

bool RuleConditionsEqual(const std::vector<ma::RuleCondition>& desired, const std::vector<ma::RuleCondition>& actual) {
  if (desired.size() != actual.size()) return false;
  auto key = [](const ma::RuleCondition& c) { return c.field; };
  auto d = StableSorted(desired, key), a = StableSorted(actual, key);
  for (size_t i = 0; i < d.size(); ++i) {
    const auto& x = d[i];
    const auto& y = a[i];
    if (x.field != y.field || x.host_header_config != y.host_header_config ||
        x.path_pattern_config != y.path_pattern_config || x.http_header_config != y.http_header_config ||
        x.query_string_config != y.query_string_config ||
        x.http_request_method_config != y.http_request_method_config || x.source_ip_config != y.source_ip_config) {
      return false;
    }
  }
  return true;
}

bool TransformsEqual(const std::vector<ma::RuleTransform>& desired, const std::vector<ma::RuleTransform>& actual) {
  if (desired.size() != actual.size()) return false;
  auto key = [](const ma::RuleTransform& t) { return t.type; };
  return StableSorted(desired, key) == StableSorted(actual, key);
}

bool CertificatesEqual(const std::vector<ma::Certificate>& desired, const std::vector<ma::Certificate>& actual) {
  if (desired.size() != actual.size()) return false;
  auto key = [](const ma::Certificate& c) { return c.certificate_arn; };
  auto d = StableSorted(desired, key), a = StableSorted(actual, key);
  for (size_t i = 0; i < d.size(); ++i) {
    if (d[i].certificate_arn != a[i].certificate_arn) return false;
  }
  return true;
}

bool MutualAuthenticationEqual(const std::optional<ma::MutualAuthenticationAttributes>& desired,
                               const std::optional<ma::MutualAuthenticationAttributes>& actual) {
  if (desired.has_value() != actual.has_value()) return false;
  if (!desired) return true;
  return desired->mode == actual->mode && desired->trust_store_arn == actual->trust_store_arn &&
         desired->ignore_client_certificate_expiry == actual->ignore_client_certificate_expiry &&
         Str(desired->advertise_trust_store_ca_names) == Str(actual->advertise_trust_store_ca_names);
}

bool IsListenerNotFoundError(const Error& err) { return err.aws_code == "ListenerNotFound"; }
bool IsTooManyRulesError(const Error& err) { return err.aws_code == "TooManyRules"; }

}  // namespace sim::controller
