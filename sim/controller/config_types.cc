// Mirrors upstream pkg/ingress/config_types.go (types, validate()) and Go encoding/json decoding
// semantics for them.
#include "sim/controller/config_types.h"

#include <cctype>
#include <cmath>
#include <functional>

#include <nlohmann/json.hpp>

namespace sim::controller::ing {

using Json = nlohmann::ordered_json;

namespace {

Error Err(const std::string& m) { return MakeError(ErrorCode::kInvalidArgument, m); }

// ---------------------------------------------------------------- validation

Status ValidateValuesOrRegex(bool has_values, bool has_regex) {
  if (!has_values && !has_regex) return Err("values or regexValues must be specified");
  if (has_values && has_regex) return Err("precisely one of values and regexValues can be specified");
  return OkStatus();
}

template <typename T>
bool NonEmpty(const std::optional<std::vector<T>>& v) {
  return v.has_value() && !v->empty();
}

Status ValidateTuple(const TargetGroupTuple& t) {
  if (!t.target_group_arn && !t.target_group_name && !t.service_name) {
    return Err("missing serviceName or targetGroupARN/targetGroupName");
  }
  if ((t.target_group_arn || t.target_group_name) && t.service_name) {
    return Err("either serviceName or targetGroupARN/targetGroupName can be specified");
  }
  if (t.service_name && !t.service_port) return Err("missing servicePort");
  return OkStatus();
}

Status ValidateForward(const ForwardActionConfig& c) {
  if (c.target_groups) {
    for (const auto& t : *c.target_groups) {
      Status st = ValidateTuple(t);
      if (!st.ok()) return Wrap(st.error(), "invalid TargetGroupTuple");
    }
    if (c.target_groups->size() > 1) {
      for (const auto& t : *c.target_groups) {
        if (!t.weight) return Err("weight must be set when route to multiple target groups");
      }
    }
  }
  return OkStatus();
}

// ---------------------------------------------------------------- Go json decoding

bool EqualFold(const std::string& a, const char* b) {
  size_t n = std::char_traits<char>::length(b);
  if (a.size() != n) return false;
  for (size_t i = 0; i < n; ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

const char* JsonKindName(const Json& j) {
  if (j.is_string()) return "string";
  if (j.is_number()) return "number";
  if (j.is_boolean()) return "bool";
  if (j.is_array()) return "array";
  if (j.is_object()) return "object";
  return "null";
}

// Decoding context: records the first type error (Go reports the earliest UnmarshalTypeError and
// keeps decoding the rest).
struct Ctx {
  std::optional<std::string> error;
  std::string root;  // Go type name of the top-level struct, e.g. "Action"
  std::vector<std::string> path;

  void TypeError(const Json& j, const std::string& go_type) {
    if (error) return;
    std::string what = JsonKindName(j);
    if (j.is_number()) what = "number " + j.dump();
    std::string field;
    for (size_t i = 0; i < path.size(); ++i) {
      if (i) field += '.';
      field += path[i];
    }
    if (field.empty() || root.empty()) {
      error = "json: cannot unmarshal " + what + " into Go value of type " + go_type;
    } else {
      error = "json: cannot unmarshal " + what + " into Go struct field " + root + "." + field + " of type " + go_type;
    }
  }
};

struct PathGuard {
  Ctx& c;
  PathGuard(Ctx& ctx, const std::string& k) : c(ctx) { c.path.push_back(k); }
  ~PathGuard() { c.path.pop_back(); }
};

// Iterates the members of a JSON object, calling fn(key, value) for each. Non-object → type error.
template <typename Fn>
bool ForEachMember(Ctx& c, const Json& j, const std::string& go_type, Fn fn) {
  if (j.is_null()) return false;
  if (!j.is_object()) {
    c.TypeError(j, go_type);
    return false;
  }
  for (auto it = j.begin(); it != j.end(); ++it) fn(it.key(), it.value());
  return true;
}

void DecStr(Ctx& c, const Json& j, std::string* out, const std::string& go_type = "string") {
  if (j.is_null()) return;
  if (!j.is_string()) return c.TypeError(j, go_type);
  *out = j.get<std::string>();
}
void DecOptStr(Ctx& c, const Json& j, std::optional<std::string>* out) {
  if (j.is_null()) {
    out->reset();
    return;
  }
  if (!j.is_string()) return c.TypeError(j, "string");
  *out = j.get<std::string>();
}
void DecOptBool(Ctx& c, const Json& j, std::optional<bool>* out) {
  if (j.is_null()) {
    out->reset();
    return;
  }
  if (!j.is_boolean()) return c.TypeError(j, "bool");
  *out = j.get<bool>();
}
bool JsonInt(const Json& j, int64_t lo, int64_t hi, int64_t* v) {
  if (j.is_number_integer()) {
    if (j.is_number_unsigned()) {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(hi)) return false;
      *v = static_cast<int64_t>(u);
      return true;
    }
    int64_t x = j.get<int64_t>();
    if (x < lo || x > hi) return false;
    *v = x;
    return true;
  }
  return false;
}
void DecInt32(Ctx& c, const Json& j, int32_t* out) {
  if (j.is_null()) return;
  int64_t v = 0;
  if (!j.is_number() || !JsonInt(j, INT32_MIN, INT32_MAX, &v)) return c.TypeError(j, "int32");
  *out = static_cast<int32_t>(v);
}
void DecOptInt32(Ctx& c, const Json& j, std::optional<int32_t>* out) {
  if (j.is_null()) {
    out->reset();
    return;
  }
  int32_t v = 0;
  std::optional<std::string> before = c.error;
  if (!j.is_number()) return c.TypeError(j, "int32");
  int64_t x = 0;
  if (!JsonInt(j, INT32_MIN, INT32_MAX, &x)) return c.TypeError(j, "int32");
  v = static_cast<int32_t>(x);
  *out = v;
}
void DecStrSlice(Ctx& c, const Json& j, std::optional<std::vector<std::string>>* out) {
  if (j.is_null()) {
    out->reset();
    return;
  }
  if (!j.is_array()) return c.TypeError(j, "[]string");
  std::vector<std::string> v;
  for (const auto& e : j) {
    std::string s;
    DecStr(c, e, &s);
    v.push_back(s);
  }
  *out = std::move(v);
}
void DecStrMap(Ctx& c, const Json& j, std::optional<std::map<std::string, std::string>>* out) {
  if (j.is_null()) {
    out->reset();
    return;
  }
  if (!j.is_object()) return c.TypeError(j, "map[string]string");
  std::map<std::string, std::string> m;
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string s;
    DecStr(c, it.value(), &s);
    m[it.key()] = s;
  }
  *out = std::move(m);
}
// intstr.IntOrString.UnmarshalJSON: a JSON string → string, else int32.
void DecIntOrString(Ctx& c, const Json& j, std::optional<IntOrString>* out) {
  if (j.is_null()) {
    out->reset();
    return;
  }
  if (j.is_string()) {
    *out = IntOrString::Str(j.get<std::string>());
    return;
  }
  int64_t v = 0;
  if (!j.is_number() || !JsonInt(j, INT32_MIN, INT32_MAX, &v)) return c.TypeError(j, "int32");
  *out = IntOrString::Int(static_cast<int32_t>(v));
}

template <typename T, typename Fn>
void DecSlice(Ctx& c, const Json& j, std::optional<std::vector<T>>* out, const std::string& go_type, Fn dec_elem) {
  if (j.is_null()) {
    out->reset();
    return;
  }
  if (!j.is_array()) return c.TypeError(j, go_type);
  std::vector<T> v;
  for (const auto& e : j) {
    T t{};
    dec_elem(c, e, &t);
    v.push_back(std::move(t));
  }
  *out = std::move(v);
}

template <typename T, typename Fn>
void DecOptStruct(Ctx& c, const Json& j, std::optional<T>* out, const std::string& go_type, Fn dec) {
  if (j.is_null()) {
    out->reset();
    return;
  }
  if (!j.is_object()) return c.TypeError(j, go_type);
  T t = out->has_value() ? **out : T{};
  dec(c, j, &t);
  *out = std::move(t);
}

// ---- per type

void DecFixed(Ctx& c, const Json& j, FixedResponseActionConfig* o) {
  ForEachMember(c, j, "ingress.FixedResponseActionConfig", [&](const std::string& k, const Json& v) {
    PathGuard g(c, k);
    if (EqualFold(k, "contentType")) DecOptStr(c, v, &o->content_type);
    else if (EqualFold(k, "messageBody")) DecOptStr(c, v, &o->message_body);
    else if (EqualFold(k, "statusCode")) DecStr(c, v, &o->status_code);
  });
}

void DecRedirect(Ctx& c, const Json& j, RedirectActionConfig* o) {
  ForEachMember(c, j, "ingress.RedirectActionConfig", [&](const std::string& k, const Json& v) {
    PathGuard g(c, k);
    if (EqualFold(k, "host")) DecOptStr(c, v, &o->host);
    else if (EqualFold(k, "path")) DecOptStr(c, v, &o->path);
    else if (EqualFold(k, "port")) DecOptStr(c, v, &o->port);
    else if (EqualFold(k, "protocol")) DecOptStr(c, v, &o->protocol);
    else if (EqualFold(k, "query")) DecOptStr(c, v, &o->query);
    else if (EqualFold(k, "statusCode")) DecStr(c, v, &o->status_code);
  });
}

void DecTuple(Ctx& c, const Json& j, TargetGroupTuple* o) {
  ForEachMember(c, j, "ingress.TargetGroupTuple", [&](const std::string& k, const Json& v) {
    PathGuard g(c, k);
    if (EqualFold(k, "targetGroupARN")) DecOptStr(c, v, &o->target_group_arn);
    else if (EqualFold(k, "targetGroupName")) DecOptStr(c, v, &o->target_group_name);
    else if (EqualFold(k, "serviceName")) DecOptStr(c, v, &o->service_name);
    else if (EqualFold(k, "servicePort")) DecIntOrString(c, v, &o->service_port);
    else if (EqualFold(k, "weight")) DecOptInt32(c, v, &o->weight);
  });
}

void DecForward(Ctx& c, const Json& j, ForwardActionConfig* o) {
  ForEachMember(c, j, "ingress.ForwardActionConfig", [&](const std::string& k, const Json& v) {
    PathGuard g(c, k);
    if (EqualFold(k, "targetGroups")) {
      DecSlice(c, v, &o->target_groups, "[]ingress.TargetGroupTuple", DecTuple);
    } else if (EqualFold(k, "targetGroupStickinessConfig")) {
      DecOptStruct(c, v, &o->target_group_stickiness_config, "ingress.TargetGroupStickinessConfig",
                   [](Ctx& c2, const Json& j2, TargetGroupStickinessConfig* s) {
                     ForEachMember(c2, j2, "ingress.TargetGroupStickinessConfig",
                                   [&](const std::string& k2, const Json& v2) {
                                     PathGuard g2(c2, k2);
                                     if (EqualFold(k2, "enabled")) DecOptBool(c2, v2, &s->enabled);
                                     else if (EqualFold(k2, "durationSeconds")) DecOptInt32(c2, v2, &s->duration_seconds);
                                   });
                   });
    }
  });
}

void DecAction(Ctx& c, const Json& j, Action* o) {
  ForEachMember(c, j, "ingress.Action", [&](const std::string& k, const Json& v) {
    PathGuard g(c, k);
    if (EqualFold(k, "type")) DecStr(c, v, &o->type, "ingress.ActionType");
    else if (EqualFold(k, "targetGroupARN")) DecOptStr(c, v, &o->target_group_arn);
    else if (EqualFold(k, "targetGroupName")) DecOptStr(c, v, &o->target_group_name);
    else if (EqualFold(k, "fixedResponseConfig"))
      DecOptStruct(c, v, &o->fixed_response_config, "ingress.FixedResponseActionConfig", DecFixed);
    else if (EqualFold(k, "redirectConfig"))
      DecOptStruct(c, v, &o->redirect_config, "ingress.RedirectActionConfig", DecRedirect);
    else if (EqualFold(k, "forwardConfig"))
      DecOptStruct(c, v, &o->forward_config, "ingress.ForwardActionConfig", DecForward);
  });
}

void DecCondition(Ctx& c, const Json& j, RuleCondition* o) {
  ForEachMember(c, j, "ingress.RuleCondition", [&](const std::string& k, const Json& v) {
    PathGuard g(c, k);
    if (EqualFold(k, "field")) {
      DecStr(c, v, &o->field, "ingress.RuleConditionField");
    } else if (EqualFold(k, "hostHeaderConfig")) {
      DecOptStruct(c, v, &o->host_header_config, "ingress.HostHeaderConditionConfig",
                   [](Ctx& c2, const Json& j2, HostHeaderConditionConfig* s) {
                     ForEachMember(c2, j2, "", [&](const std::string& k2, const Json& v2) {
                       PathGuard g2(c2, k2);
                       if (EqualFold(k2, "regexValues")) DecStrSlice(c2, v2, &s->regex_values);
                       else if (EqualFold(k2, "values")) DecStrSlice(c2, v2, &s->values);
                     });
                   });
    } else if (EqualFold(k, "httpHeaderConfig")) {
      DecOptStruct(c, v, &o->http_header_config, "ingress.HTTPHeaderConditionConfig",
                   [](Ctx& c2, const Json& j2, HTTPHeaderConditionConfig* s) {
                     ForEachMember(c2, j2, "", [&](const std::string& k2, const Json& v2) {
                       PathGuard g2(c2, k2);
                       if (EqualFold(k2, "httpHeaderName")) DecStr(c2, v2, &s->http_header_name);
                       else if (EqualFold(k2, "regexValues")) DecStrSlice(c2, v2, &s->regex_values);
                       else if (EqualFold(k2, "values")) DecStrSlice(c2, v2, &s->values);
                     });
                   });
    } else if (EqualFold(k, "httpRequestMethodConfig")) {
      DecOptStruct(c, v, &o->http_request_method_config, "ingress.HTTPRequestMethodConditionConfig",
                   [](Ctx& c2, const Json& j2, HTTPRequestMethodConditionConfig* s) {
                     ForEachMember(c2, j2, "", [&](const std::string& k2, const Json& v2) {
                       PathGuard g2(c2, k2);
                       if (EqualFold(k2, "values")) DecStrSlice(c2, v2, &s->values);
                     });
                   });
    } else if (EqualFold(k, "pathPatternConfig")) {
      DecOptStruct(c, v, &o->path_pattern_config, "ingress.PathPatternConditionConfig",
                   [](Ctx& c2, const Json& j2, PathPatternConditionConfig* s) {
                     ForEachMember(c2, j2, "", [&](const std::string& k2, const Json& v2) {
                       PathGuard g2(c2, k2);
                       if (EqualFold(k2, "regexValues")) DecStrSlice(c2, v2, &s->regex_values);
                       else if (EqualFold(k2, "values")) DecStrSlice(c2, v2, &s->values);
                     });
                   });
    } else if (EqualFold(k, "queryStringConfig")) {
      DecOptStruct(c, v, &o->query_string_config, "ingress.QueryStringConditionConfig",
                   [](Ctx& c2, const Json& j2, QueryStringConditionConfig* s) {
                     ForEachMember(c2, j2, "", [&](const std::string& k2, const Json& v2) {
                       PathGuard g2(c2, k2);
                       if (EqualFold(k2, "values")) {
                         DecSlice(c2, v2, &s->values, "[]ingress.QueryStringKeyValuePair",
                                  [](Ctx& c3, const Json& j3, QueryStringKeyValuePair* p) {
                                    ForEachMember(c3, j3, "ingress.QueryStringKeyValuePair",
                                                  [&](const std::string& k3, const Json& v3) {
                                                    PathGuard g3(c3, k3);
                                                    if (EqualFold(k3, "key")) DecOptStr(c3, v3, &p->key);
                                                    else if (EqualFold(k3, "value")) DecStr(c3, v3, &p->value);
                                                  });
                                  });
                       }
                     });
                   });
    } else if (EqualFold(k, "sourceIPConfig")) {
      DecOptStruct(c, v, &o->source_ip_config, "ingress.SourceIPConditionConfig",
                   [](Ctx& c2, const Json& j2, SourceIPConditionConfig* s) {
                     ForEachMember(c2, j2, "", [&](const std::string& k2, const Json& v2) {
                       PathGuard g2(c2, k2);
                       if (EqualFold(k2, "values")) DecStrSlice(c2, v2, &s->values);
                     });
                   });
    }
  });
}

void DecRewrites(Ctx& c, const Json& j, RewriteConfigObject* o) {
  ForEachMember(c, j, "ingress.RewriteConfigObject", [&](const std::string& k, const Json& v) {
    PathGuard g(c, k);
    if (EqualFold(k, "rewrites")) {
      DecSlice(c, v, &o->rewrites, "[]ingress.RewriteConfig", [](Ctx& c2, const Json& j2, RewriteConfig* r) {
        ForEachMember(c2, j2, "ingress.RewriteConfig", [&](const std::string& k2, const Json& v2) {
          PathGuard g2(c2, k2);
          if (EqualFold(k2, "regex")) DecStr(c2, v2, &r->regex);
          else if (EqualFold(k2, "replace")) DecStr(c2, v2, &r->replace);
        });
      });
    }
  });
}

void DecTransform(Ctx& c, const Json& j, Transform* o) {
  ForEachMember(c, j, "ingress.Transform", [&](const std::string& k, const Json& v) {
    PathGuard g(c, k);
    if (EqualFold(k, "type")) DecStr(c, v, &o->type, "ingress.TransformType");
    else if (EqualFold(k, "hostHeaderRewriteConfig"))
      DecOptStruct(c, v, &o->host_header_rewrite_config, "ingress.RewriteConfigObject", DecRewrites);
    else if (EqualFold(k, "urlRewriteConfig"))
      DecOptStruct(c, v, &o->url_rewrite_config, "ingress.RewriteConfigObject", DecRewrites);
  });
}

// Parses `raw` as JSON with Go's syntax error texts.
Result<Json> ParseGoJson(const std::string& raw) {
  try {
    return Json::parse(raw);
  } catch (const Json::parse_error& e) {
    // e.byte is 1-based; an error at or past the end of the input is Go's "unexpected end".
    size_t pos = e.byte == 0 ? 0 : e.byte - 1;
    size_t last_non_space = raw.find_last_not_of(" \t\r\n");
    if (pos >= raw.size() || last_non_space == std::string::npos ||
        (pos > last_non_space && raw.find_first_not_of(" \t\r\n", pos) == std::string::npos)) {
      return Err("unexpected end of JSON input");
    }
    char ch = raw[pos];
    std::string quoted = ch == '\'' ? "'\\''" : std::string("'") + ch + "'";
    return Err("invalid character " + quoted + " looking for beginning of value");
  }
}

template <typename T, typename Fn>
Status DecodeTop(const std::string& raw, T* out, const std::string& root, Fn fn) {
  auto parsed = ParseGoJson(raw);
  if (!parsed.ok()) return parsed.error();
  Ctx c;
  c.root = root;
  fn(c, parsed.value(), out);
  if (c.error) return Err(*c.error);
  return OkStatus();
}

// ---------------------------------------------------------------- encoders

void PutOptStr(Json& j, const char* k, const std::optional<std::string>& v) {
  if (v) j[k] = *v;
}
template <typename T>
void PutOptVec(Json& j, const char* k, const std::optional<std::vector<T>>& v) {
  if (v) j[k] = *v;
}

Json EncAction(const Action& a) {
  Json j = Json::object();
  j["type"] = a.type;
  j["targetGroupARN"] = a.target_group_arn ? Json(*a.target_group_arn) : Json(nullptr);
  PutOptStr(j, "targetGroupName", a.target_group_name);
  if (a.fixed_response_config) {
    Json f = Json::object();
    PutOptStr(f, "contentType", a.fixed_response_config->content_type);
    PutOptStr(f, "messageBody", a.fixed_response_config->message_body);
    f["statusCode"] = a.fixed_response_config->status_code;
    j["fixedResponseConfig"] = f;
  }
  if (a.redirect_config) {
    Json f = Json::object();
    PutOptStr(f, "host", a.redirect_config->host);
    PutOptStr(f, "path", a.redirect_config->path);
    PutOptStr(f, "port", a.redirect_config->port);
    PutOptStr(f, "protocol", a.redirect_config->protocol);
    PutOptStr(f, "query", a.redirect_config->query);
    f["statusCode"] = a.redirect_config->status_code;
    j["redirectConfig"] = f;
  }
  if (a.forward_config) {
    Json f = Json::object();
    if (a.forward_config->target_groups) {
      Json arr = Json::array();
      for (const auto& t : *a.forward_config->target_groups) {
        Json tj = Json::object();
        tj["targetGroupARN"] = t.target_group_arn ? Json(*t.target_group_arn) : Json(nullptr);
        PutOptStr(tj, "targetGroupName", t.target_group_name);
        tj["serviceName"] = t.service_name ? Json(*t.service_name) : Json(nullptr);
        if (t.service_port) {
          tj["servicePort"] = t.service_port->is_string ? Json(t.service_port->str_val) : Json(t.service_port->int_val);
        } else {
          tj["servicePort"] = nullptr;
        }
        if (t.weight) tj["weight"] = *t.weight;
        arr.push_back(tj);
      }
      f["targetGroups"] = arr;
    } else {
      f["targetGroups"] = nullptr;
    }
    if (a.forward_config->target_group_stickiness_config) {
      Json s = Json::object();
      const auto& sc = *a.forward_config->target_group_stickiness_config;
      if (sc.enabled) s["enabled"] = *sc.enabled;
      if (sc.duration_seconds) s["durationSeconds"] = *sc.duration_seconds;
      f["targetGroupStickinessConfig"] = s;
    }
    j["forwardConfig"] = f;
  }
  return j;
}

template <typename C>
Json EncValuesRegex(const C& c) {
  Json j = Json::object();
  PutOptVec(j, "regexValues", c.regex_values);
  PutOptVec(j, "values", c.values);
  return j;
}

Json EncCondition(const RuleCondition& c) {
  Json j = Json::object();
  j["field"] = c.field;
  j["hostHeaderConfig"] = c.host_header_config ? EncValuesRegex(*c.host_header_config) : Json(nullptr);
  if (c.http_header_config) {
    Json h = EncValuesRegex(*c.http_header_config);
    h["httpHeaderName"] = c.http_header_config->http_header_name;
    j["httpHeaderConfig"] = h;
  } else {
    j["httpHeaderConfig"] = nullptr;
  }
  if (c.http_request_method_config) {
    Json h = Json::object();
    h["values"] = c.http_request_method_config->values ? Json(*c.http_request_method_config->values) : Json(nullptr);
    j["httpRequestMethodConfig"] = h;
  } else {
    j["httpRequestMethodConfig"] = nullptr;
  }
  j["pathPatternConfig"] = c.path_pattern_config ? EncValuesRegex(*c.path_pattern_config) : Json(nullptr);
  if (c.query_string_config) {
    Json q = Json::object();
    if (c.query_string_config->values) {
      Json arr = Json::array();
      for (const auto& kv : *c.query_string_config->values) {
        Json e = Json::object();
        PutOptStr(e, "key", kv.key);
        e["value"] = kv.value;
        arr.push_back(e);
      }
      q["values"] = arr;
    } else {
      q["values"] = nullptr;
    }
    j["queryStringConfig"] = q;
  } else {
    j["queryStringConfig"] = nullptr;
  }
  if (c.source_ip_config) {
    Json s = Json::object();
    s["values"] = c.source_ip_config->values ? Json(*c.source_ip_config->values) : Json(nullptr);
    j["sourceIPConfig"] = s;
  } else {
    j["sourceIPConfig"] = nullptr;
  }
  return j;
}

Json EncRewrites(const RewriteConfigObject& r) {
  Json j = Json::object();
  if (r.rewrites) {
    Json arr = Json::array();
    for (const auto& rc : *r.rewrites) arr.push_back(Json{{"regex", rc.regex}, {"replace", rc.replace}});
    j["rewrites"] = arr;
  } else {
    j["rewrites"] = nullptr;
  }
  return j;
}

Json EncTransform(const Transform& t) {
  Json j = Json::object();
  j["type"] = t.type;
  if (t.host_header_rewrite_config) j["hostHeaderRewriteConfig"] = EncRewrites(*t.host_header_rewrite_config);
  if (t.url_rewrite_config) j["urlRewriteConfig"] = EncRewrites(*t.url_rewrite_config);
  return j;
}

}  // namespace

// ---------------------------------------------------------------- validate()

Status Action::Validate() const {
  if (type == kActionTypeFixedResponse) {
    if (!fixed_response_config) return Err("missing FixedResponseConfig");
    if (fixed_response_config->status_code.empty()) {
      return Err("invalid FixedResponseConfig: statusCode is required");
    }
  } else if (type == kActionTypeRedirect) {
    if (!redirect_config) return Err("missing RedirectConfig");
    if (redirect_config->status_code.empty()) return Err("invalid RedirectConfig: statusCode is required");
  } else if (type == kActionTypeForward) {
    if (!target_group_arn && !target_group_name && !forward_config) {
      return Err("missing ForwardConfig or TargetGroupARN/TargetGroupName");
    }
    if ((target_group_arn || target_group_name) && forward_config) {
      return Err("either ForwardConfig or TargetGroupARN/TargetGroupName can be specified");
    }
    if (forward_config) {
      Status st = ValidateForward(*forward_config);
      if (!st.ok()) return Wrap(st.error(), "invalid ForwardConfig");
    }
  } else {
    return Err("unknown action type: " + type);
  }
  return OkStatus();
}

Status RuleCondition::Validate() const {
  auto wrap = [](Status st, const char* what) -> Status {
    if (st.ok()) return st;
    return Wrap(st.error(), std::string("invalid ") + what);
  };
  if (field == "host-header") {
    if (!host_header_config) return Err("missing hostHeaderConfig");
    return wrap(ValidateValuesOrRegex(NonEmpty(host_header_config->values), NonEmpty(host_header_config->regex_values)),
                "hostHeaderConfig");
  }
  if (field == "path-pattern") {
    if (!path_pattern_config) return Err("missing pathPatternConfig");
    return wrap(
        ValidateValuesOrRegex(NonEmpty(path_pattern_config->values), NonEmpty(path_pattern_config->regex_values)),
        "pathPatternConfig");
  }
  if (field == "http-header") {
    if (!http_header_config) return Err("missing httpHeaderConfig");
    return wrap(ValidateValuesOrRegex(NonEmpty(http_header_config->values), NonEmpty(http_header_config->regex_values)),
                "httpHeaderConfig");
  }
  if (field == "http-request-method") {
    if (!http_request_method_config) return Err("missing httpRequestMethodConfig");
    if (!NonEmpty(http_request_method_config->values)) {
      return Err("invalid httpRequestMethodConfig: values cannot be empty");
    }
    return OkStatus();
  }
  if (field == "query-string") {
    if (!query_string_config) return Err("missing queryStringConfig");
    if (!NonEmpty(query_string_config->values)) return Err("invalid queryStringConfig: Values cannot be empty");
    for (const auto& kv : *query_string_config->values) {
      if (kv.value.empty()) return Err("invalid queryStringConfig: value cannot be empty");
    }
    return OkStatus();
  }
  if (field == "source-ip") {
    if (!source_ip_config) return Err("missing sourceIPConfig");
    if (!NonEmpty(source_ip_config->values)) return Err("invalid sourceIPConfig: values cannot be empty");
    return OkStatus();
  }
  return OkStatus();
}

Status Transform::Validate() const {
  if (type == kTransformTypeHostHeaderRewrite) {
    if (!host_header_rewrite_config) return Err("missing hostHeaderRewriteConfig");
    if (!NonEmpty(host_header_rewrite_config->rewrites)) {
      return Err("hostHeaderRewriteConfig.rewrites cannot be empty");
    }
  } else if (type == kTransformTypeUrlRewrite) {
    if (!url_rewrite_config) return Err("missing urlRewriteConfig");
    if (!NonEmpty(url_rewrite_config->rewrites)) return Err("urlRewriteConfig.rewrites cannot be empty");
  } else {
    return Err("unknown transform type: " + type);
  }
  return OkStatus();
}

// ---------------------------------------------------------------- decoders

Status DecodeJson(const std::string& raw, Action* out) {
  return DecodeTop(raw, out, "Action", [](Ctx& c, const Json& j, Action* o) {
    if (!j.is_object() && !j.is_null()) return c.TypeError(j, "ingress.Action");
    DecAction(c, j, o);
  });
}

Status DecodeJson(const std::string& raw, std::vector<RuleCondition>* out) {
  return DecodeTop(raw, out, "RuleCondition", [](Ctx& c, const Json& j, std::vector<RuleCondition>* o) {
    std::optional<std::vector<RuleCondition>> v;
    DecSlice(c, j, &v, "[]ingress.RuleCondition", DecCondition);
    *o = v.value_or(std::vector<RuleCondition>{});
  });
}

Status DecodeJson(const std::string& raw, std::vector<Transform>* out) {
  return DecodeTop(raw, out, "Transform", [](Ctx& c, const Json& j, std::vector<Transform>* o) {
    std::optional<std::vector<Transform>> v;
    DecSlice(c, j, &v, "[]ingress.Transform", DecTransform);
    *o = v.value_or(std::vector<Transform>{});
  });
}

Status DecodeJson(const std::string& raw, AuthIDPConfigCognito* out) {
  return DecodeTop(raw, out, "AuthIDPConfigCognito", [](Ctx& c, const Json& j, AuthIDPConfigCognito* o) {
    ForEachMember(c, j, "ingress.AuthIDPConfigCognito", [&](const std::string& k, const Json& v) {
      PathGuard g(c, k);
      if (EqualFold(k, "userPoolARN")) DecStr(c, v, &o->user_pool_arn);
      else if (EqualFold(k, "userPoolClientID")) DecStr(c, v, &o->user_pool_client_id);
      else if (EqualFold(k, "userPoolDomain")) DecStr(c, v, &o->user_pool_domain);
      else if (EqualFold(k, "authenticationRequestExtraParams"))
        DecStrMap(c, v, &o->authentication_request_extra_params);
    });
  });
}

Status DecodeJson(const std::string& raw, AuthIDPConfigOIDC* out) {
  return DecodeTop(raw, out, "AuthIDPConfigOIDC", [](Ctx& c, const Json& j, AuthIDPConfigOIDC* o) {
    ForEachMember(c, j, "ingress.AuthIDPConfigOIDC", [&](const std::string& k, const Json& v) {
      PathGuard g(c, k);
      if (EqualFold(k, "issuer")) DecStr(c, v, &o->issuer);
      else if (EqualFold(k, "authorizationEndpoint")) DecStr(c, v, &o->authorization_endpoint);
      else if (EqualFold(k, "tokenEndpoint")) DecStr(c, v, &o->token_endpoint);
      else if (EqualFold(k, "userInfoEndpoint")) DecStr(c, v, &o->user_info_endpoint);
      else if (EqualFold(k, "secretName")) DecStr(c, v, &o->secret_name);
      else if (EqualFold(k, "authenticationRequestExtraParams"))
        DecStrMap(c, v, &o->authentication_request_extra_params);
    });
  });
}

Status DecodeJson(const std::string& raw, JwtValidationConfig* out) {
  return DecodeTop(raw, out, "JwtValidationConfig", [](Ctx& c, const Json& j, JwtValidationConfig* o) {
    ForEachMember(c, j, "ingress.JwtValidationConfig", [&](const std::string& k, const Json& v) {
      PathGuard g(c, k);
      if (EqualFold(k, "jwksEndpoint")) DecStr(c, v, &o->jwks_endpoint);
      else if (EqualFold(k, "issuer")) DecStr(c, v, &o->issuer);
      else if (EqualFold(k, "additionalClaims"))
        DecSlice(c, v, &o->additional_claims, "[]ingress.JwtAdditionalClaim",
                 [](Ctx& c2, const Json& j2, JwtAdditionalClaim* cl) {
                   ForEachMember(c2, j2, "ingress.JwtAdditionalClaim", [&](const std::string& k2, const Json& v2) {
                     PathGuard g2(c2, k2);
                     if (EqualFold(k2, "format")) DecStr(c2, v2, &cl->format, "ingress.jwtAdditionalClaimFormat");
                     else if (EqualFold(k2, "name")) DecStr(c2, v2, &cl->name);
                     else if (EqualFold(k2, "values")) DecStrSlice(c2, v2, &cl->values);
                   });
                 });
    });
  });
}

Status DecodeJson(const std::string& raw, std::vector<MutualAuthenticationConfig>* out) {
  return DecodeTop(raw, out, "MutualAuthenticationConfig",
                   [](Ctx& c, const Json& j, std::vector<MutualAuthenticationConfig>* o) {
                     std::optional<std::vector<MutualAuthenticationConfig>> v;
                     DecSlice(c, j, &v, "[]ingress.MutualAuthenticationConfig",
                              [](Ctx& c2, const Json& j2, MutualAuthenticationConfig* m) {
                                ForEachMember(c2, j2, "ingress.MutualAuthenticationConfig",
                                              [&](const std::string& k, const Json& v2) {
                                                PathGuard g(c2, k);
                                                if (EqualFold(k, "port")) DecInt32(c2, v2, &m->port);
                                                else if (EqualFold(k, "mode")) DecStr(c2, v2, &m->mode);
                                                else if (EqualFold(k, "trustStore")) DecOptStr(c2, v2, &m->trust_store);
                                                else if (EqualFold(k, "ignoreClientCertificateExpiry"))
                                                  DecOptBool(c2, v2, &m->ignore_client_certificate_expiry);
                                                else if (EqualFold(k, "advertiseTrustStoreCaNames"))
                                                  DecOptStr(c2, v2, &m->advertise_trust_store_ca_names);
                                              });
                              });
                     *o = v.value_or(std::vector<MutualAuthenticationConfig>{});
                   });
}

Status DecodeJson(const std::string& raw, std::vector<std::vector<std::pair<std::string, int32_t>>>* out) {
  return DecodeTop(raw, out, "", [](Ctx& c, const Json& j, std::vector<std::vector<std::pair<std::string, int32_t>>>* o) {
    o->clear();
    if (j.is_null()) return;
    if (!j.is_array()) return c.TypeError(j, "[]map[string]int32");
    for (const auto& e : j) {
      std::map<std::string, int32_t> entry;  // Go map: last duplicate wins
      if (e.is_null()) {
        o->push_back({});
        continue;
      }
      if (!e.is_object()) {
        c.TypeError(e, "map[string]int32");
        continue;
      }
      for (auto it = e.begin(); it != e.end(); ++it) {
        int64_t v = 0;
        if (!it.value().is_number() || !JsonInt(it.value(), INT32_MIN, INT32_MAX, &v)) {
          c.TypeError(it.value(), "int32");
          continue;
        }
        entry[it.key()] = static_cast<int32_t>(v);
      }
      o->emplace_back(entry.begin(), entry.end());
    }
  });
}

// ---------------------------------------------------------------- encoders

std::string ToJson(const Action& v) { return EncAction(v).dump(); }
std::string ToJson(const RuleCondition& v) { return EncCondition(v).dump(); }
std::string ToJson(const Transform& v) { return EncTransform(v).dump(); }

std::string ToJson(const AuthIDPConfigCognito& v) {
  Json j = Json::object();
  j["userPoolARN"] = v.user_pool_arn;
  j["userPoolClientID"] = v.user_pool_client_id;
  j["userPoolDomain"] = v.user_pool_domain;
  if (v.authentication_request_extra_params && !v.authentication_request_extra_params->empty()) {
    j["authenticationRequestExtraParams"] = *v.authentication_request_extra_params;
  }
  return j.dump();
}

std::string ToJson(const AuthIDPConfigOIDC& v) {
  Json j = Json::object();
  j["issuer"] = v.issuer;
  j["authorizationEndpoint"] = v.authorization_endpoint;
  j["tokenEndpoint"] = v.token_endpoint;
  j["userInfoEndpoint"] = v.user_info_endpoint;
  j["secretName"] = v.secret_name;
  if (v.authentication_request_extra_params && !v.authentication_request_extra_params->empty()) {
    j["authenticationRequestExtraParams"] = *v.authentication_request_extra_params;
  }
  return j.dump();
}

std::string ToJson(const JwtValidationConfig& v) {
  Json j = Json::object();
  j["jwksEndpoint"] = v.jwks_endpoint;
  j["issuer"] = v.issuer;
  if (v.additional_claims && !v.additional_claims->empty()) {
    Json arr = Json::array();
    for (const auto& cl : *v.additional_claims) {
      Json e = Json::object();
      e["format"] = cl.format;
      e["name"] = cl.name;
      e["values"] = cl.values ? Json(*cl.values) : Json(nullptr);
      arr.push_back(e);
    }
    j["additionalClaims"] = arr;
  }
  return j.dump();
}

}  // namespace sim::controller::ing
