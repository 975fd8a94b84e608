// Mirrors upstream apimachinery/pkg/util/validation/validation.go and field/errors.go,
// apimachinery/pkg/api/validation/objectmeta.go, k8s pkg/apis/networking/validation/validation.go,
// pkg/apis/core/validation/validation.go (ValidateService, ValidatePodSpec basics) and
// pkg/apis/apps/validation/validation.go (ValidateDeployment).

#include "sim/k8s/validation.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

namespace sim::k8s {

using namespace model::k8s;  // NOLINT
using Json = nlohmann::json;

// ------------------------------------------------------------------ field errors

std::string FieldError::Body() const {
  switch (type) {
    case Type::kRequired:
      return detail.empty() ? "Required value" : "Required value: " + detail;
    case Type::kForbidden:
      return detail.empty() ? "Forbidden" : "Forbidden: " + detail;
    case Type::kTooLong:
      return "Too long: " + detail;
    case Type::kTooMany:
      return "Too many: " + detail;
    case Type::kInternal:
      return "Internal error: " + detail;
    case Type::kInvalid:
      return "Invalid value: " + value + (detail.empty() ? "" : ": " + detail);
    case Type::kNotSupported:
      return "Unsupported value: " + value + (detail.empty() ? "" : ": " + detail);
    case Type::kDuplicate:
      return "Duplicate value: " + value;
    case Type::kNotFound:
      return "Not found: " + value;
  }
  return "";
}

std::string FieldError::ToString() const { return field.empty() ? Body() : field + ": " + Body(); }

const char* FieldError::Reason() const {
  switch (type) {
    case Type::kRequired: return "FieldValueRequired";
    case Type::kInvalid: return "FieldValueInvalid";
    case Type::kNotSupported: return "FieldValueNotSupported";
    case Type::kForbidden: return "FieldValueForbidden";
    case Type::kDuplicate: return "FieldValueDuplicate";
    case Type::kNotFound: return "FieldValueNotFound";
    case Type::kTooLong: return "FieldValueTooLong";
    case Type::kTooMany: return "FieldValueTooMany";
    case Type::kInternal: return "InternalError";
  }
  return "";
}

FieldError Required(const std::string& field, const std::string& detail) {
  return FieldError{FieldError::Type::kRequired, field, "", detail};
}
FieldError Invalid(const std::string& field, const std::string& value, const std::string& detail) {
  return FieldError{FieldError::Type::kInvalid, field, value, detail};
}
FieldError NotSupported(const std::string& field, const std::string& value, std::vector<std::string> supported) {
  std::sort(supported.begin(), supported.end());
  std::string detail;
  if (!supported.empty()) {
    detail = "supported values: ";
    for (size_t i = 0; i < supported.size(); ++i) {
      if (i) detail += ", ";
      detail += GoQuote(supported[i]);
    }
  }
  return FieldError{FieldError::Type::kNotSupported, field, value, detail};
}
FieldError Forbidden(const std::string& field, const std::string& detail) {
  return FieldError{FieldError::Type::kForbidden, field, "", detail};
}
FieldError Duplicate(const std::string& field, const std::string& value) {
  return FieldError{FieldError::Type::kDuplicate, field, value, ""};
}
FieldError TooLong(const std::string& field, int max_bytes) {
  return FieldError{FieldError::Type::kTooLong, field, "",
                    "may not be more than " + std::to_string(max_bytes) + (max_bytes == 1 ? " byte" : " bytes")};
}
FieldError InternalError(const std::string& field, const std::string& detail) {
  return FieldError{FieldError::Type::kInternal, field, "", detail};
}

std::string GoQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

std::string InvalidMessage(Kind kind, const std::string& name, const FieldErrors& errs) {
  std::vector<std::string> msgs;
  std::set<std::string> seen;
  for (const FieldError& e : errs) {
    std::string m = e.ToString();
    if (seen.insert(m).second) msgs.push_back(m);
  }
  std::string out = std::string(KindGroupKind(kind)) + " " + GoQuote(name) + " is invalid: ";
  if (msgs.size() == 1) return out + msgs[0];
  out += "[";
  for (size_t i = 0; i < msgs.size(); ++i) {
    if (i) out += ", ";
    out += msgs[i];
  }
  return out + "]";
}

namespace {

std::string Q(const std::string& s) { return GoQuote(s); }
std::string N(int64_t v) { return std::to_string(v); }

std::string RegexError(const std::string& msg, const std::string& fmt, std::vector<std::string> examples) {
  std::string s = msg;
  if (!examples.empty()) {
    s += " (e.g. ";
    for (size_t i = 0; i < examples.size(); ++i) {
      if (i) s += " or ";
      s += "'" + examples[i] + "', ";
    }
    s += "regex used for validation is '" + fmt + "')";
  } else {
    s += " (regex used for validation is '" + fmt + "')";
  }
  return s;
}
std::string MaxLenError(int n) { return "must be no more than " + std::to_string(n) + " characters"; }

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool MatchesLabel(const std::string& s, size_t b, size_t e) {
  if (b >= e) return false;
  if (!IsLowerAlnum(s[b]) || !IsLowerAlnum(s[e - 1])) return false;
  for (size_t i = b; i < e; ++i) {
    if (!IsLowerAlnum(s[i]) && s[i] != '-') return false;
  }
  return true;
}
bool MatchesSubdomain(const std::string& s, size_t start = 0) {
  if (start >= s.size()) return false;
  size_t b = start;
  while (true) {
    size_t dot = s.find('.', b);
    size_t e = dot == std::string::npos ? s.size() : dot;
    if (!MatchesLabel(s, b, e)) return false;
    if (dot == std::string::npos) return true;
    b = dot + 1;
  }
}
// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool MatchesQualifiedNamePart(const std::string& s) {
  if (s.empty() || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

const char* kDns1123LabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
    "with an alphanumeric character";
const char* kDns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const char* kDns1123SubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
    "and end with an alphanumeric character";
const char* kDns1123SubdomainFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const char* kDns1035LabelMsg =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character";
const char* kDns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
const char* kWildcardMsg =
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of "
    "lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";
const char* kWildcardFmt = "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const char* kQualifiedNameMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const char* kQualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const char* kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start "
    "and end with an alphanumeric character";
const char* kLabelValueFmt = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

}  // namespace

std::vector<std::string> IsDNS1123Label(const std::string& v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back(MaxLenError(63));
  if (!MatchesLabel(v, 0, v.size())) errs.push_back(RegexError(kDns1123LabelMsg, kDns1123LabelFmt, {"my-name", "123-abc"}));
  return errs;
}

std::vector<std::string> IsDNS1123Subdomain(const std::string& v) {
  std::vector<std::string> errs;
  if (v.size() > 253) errs.push_back(MaxLenError(253));
  if (!MatchesSubdomain(v)) errs.push_back(RegexError(kDns1123SubdomainMsg, kDns1123SubdomainFmt, {"example.com"}));
  return errs;
}

std::vector<std::string> IsDNS1035Label(const std::string& v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back(MaxLenError(63));
  if (!MatchesLabel(v, 0, v.size()) || !(v[0] >= 'a' && v[0] <= 'z')) {
    errs.push_back(RegexError(kDns1035LabelMsg, kDns1035LabelFmt, {"my-name", "abc-123"}));
  }
  return errs;
}

std::vector<std::string> IsWildcardDNS1123Subdomain(const std::string& v) {
  std::vector<std::string> errs;
  if (v.size() > 253) errs.push_back(MaxLenError(253));
  if (!(v.size() > 2 && v[0] == '*' && v[1] == '.' && MatchesSubdomain(v, 2))) {
    errs.push_back(RegexError(kWildcardMsg, kWildcardFmt, {"*.example.com"}));
  }
  return errs;
}

std::vector<std::string> IsValidPortName(const std::string& v) {
  std::vector<std::string> errs;
  if (v.size() > 15) errs.push_back("must be no more than 15 characters");
  bool charset = !v.empty();
  bool letter = false;
  for (char c : v) {
    if (!IsLowerAlnum(c) && c != '-') charset = false;
    if (c >= 'a' && c <= 'z') letter = true;
  }
  if (!charset) errs.push_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!letter) errs.push_back("must contain at least one letter (a-z)");
  if (v.find("--") != std::string::npos) errs.push_back("must not contain consecutive hyphens");
  if (!v.empty() && (v.front() == '-' || v.back() == '-')) errs.push_back("must not begin or end with a hyphen");
  return errs;
}

std::vector<std::string> IsValidPortNum(int64_t v) {
  if (v >= 1 && v <= 65535) return {};
  return {"must be between 1 and 65535, inclusive"};
}

std::vector<std::string> IsQualifiedName(const std::string& v) {
  std::vector<std::string> errs;
  std::string name = v;
  size_t slash = v.find('/');
  if (slash != std::string::npos) {
    if (v.find('/', slash + 1) != std::string::npos) {
      errs.push_back("a qualified name " + RegexError(kQualifiedNameMsg, kQualifiedNameFmt, {"MyName", "my.name", "123-abc"}) +
                     " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    std::string prefix = v.substr(0, slash);
    name = v.substr(slash + 1);
    if (prefix.empty()) {
      errs.push_back("prefix part must be non-empty");
    } else {
      for (const std::string& m : IsDNS1123Subdomain(prefix)) errs.push_back("prefix part " + m);
    }
  }
  if (name.empty()) {
    errs.push_back("name part must be non-empty");
  } else if (name.size() > 63) {
    errs.push_back("name part " + MaxLenError(63));
  }
  if (!name.empty() && !MatchesQualifiedNamePart(name)) {
    errs.push_back("name part " + RegexError(kQualifiedNameMsg, kQualifiedNameFmt, {"MyName", "my.name", "123-abc"}));
  }
  return errs;
}

std::vector<std::string> IsValidLabelValue(const std::string& v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back(MaxLenError(63));
  if (!v.empty() && !MatchesQualifiedNamePart(v)) {
    errs.push_back(RegexError(kLabelValueMsg, kLabelValueFmt, {"MyValue", "my_value", "12345"}));
  }
  return errs;
}

bool IsIP(const std::string& v) {
  unsigned char buf[16];
  if (inet_pton(AF_INET6, v.c_str(), buf) == 1) return true;
  // ParseIPSloppy accepts leading zeros in IPv4 octets.
  int parts = 0;
  size_t i = 0;
  while (i <= v.size()) {
    size_t j = v.find('.', i);
    std::string part = v.substr(i, j == std::string::npos ? std::string::npos : j - i);
    if (part.empty() || part.size() > 3) return false;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
    }
    if (std::stoi(part) > 255) return false;
    ++parts;
    if (j == std::string::npos) break;
    i = j + 1;
  }
  return parts == 4;
}

namespace {

// ------------------------------------------------------------------ helpers

void AddMsgs(FieldErrors& errs, const std::string& field, const std::string& value,
             const std::vector<std::string>& msgs) {
  for (const std::string& m : msgs) errs.push_back(Invalid(field, Q(value), m));
}

std::string MapJson(const std::map<std::string, std::string>& m) {
  if (m.empty()) return "null";
  Json j = Json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j.dump();
}

std::string SelectorJson(const LabelSelector& s) {
  Json j = Json::object();
  if (!s.match_labels.empty()) {
    j["matchLabels"] = Json::object();
    for (const auto& [k, v] : s.match_labels) j["matchLabels"][k] = v;
  }
  if (!s.match_expressions.empty()) {
    Json arr = Json::array();
    for (const auto& r : s.match_expressions) {
      Json e = Json::object();
      e["key"] = r.key;
      e["operator"] = r.op;
      if (!r.values.empty()) e["values"] = r.values;
      arr.push_back(e);
    }
    j["matchExpressions"] = arr;
  }
  return j.dump();
}

void ValidateLabels(FieldErrors& errs, const std::map<std::string, std::string>& labels, const std::string& path) {
  for (const auto& [k, v] : labels) {
    for (const std::string& m : IsQualifiedName(k)) errs.push_back(Invalid(path, Q(k), m));
    for (const std::string& m : IsValidLabelValue(v)) errs.push_back(Invalid(path, Q(v), m));
  }
}

void ValidateAnnotations(FieldErrors& errs, const std::map<std::string, std::string>& annotations,
                         const std::string& path) {
  size_t total = 0;
  for (const auto& [k, v] : annotations) {
    // Checked lower-cased; a key without upper-case letters (nearly all) is checked as it is.
    std::string lower;
    const bool upper = std::any_of(k.begin(), k.end(), [](unsigned char c) { return c >= 'A' && c <= 'Z'; });
    if (upper) {
      lower = k;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    }
    for (const std::string& m : IsQualifiedName(upper ? lower : k)) errs.push_back(Invalid(path, Q(k), m));
    total += k.size() + v.size();
  }
  if (total > 256 * 1024) errs.push_back(TooLong(path, 256 * 1024));
}

void ValidateLabelSelector(FieldErrors& errs, const LabelSelector& s, const std::string& path) {
  for (size_t i = 0; i < s.match_expressions.size(); ++i) {
    const auto& r = s.match_expressions[i];
    const std::string p = path + ".matchExpressions[" + N(i) + "]";
    if (r.op == "In" || r.op == "NotIn") {
      if (r.values.empty()) errs.push_back(Required(p + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (r.op == "Exists" || r.op == "DoesNotExist") {
      if (!r.values.empty()) errs.push_back(Forbidden(p + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push_back(Invalid(p + ".operator", Q(r.op), "not a valid selector operator"));
    }
    for (const std::string& m : IsQualifiedName(r.key)) errs.push_back(Invalid(p + ".key", Q(r.key), m));
  }
  ValidateLabels(errs, s.match_labels, path + ".matchLabels");
}

using NameFn = std::vector<std::string> (*)(const std::string&);

NameFn NameValidator(Kind kind) {
  switch (kind) {
    case Kind::kService: return &IsDNS1035Label;
    case Kind::kNamespace: return &IsDNS1123Label;
    default: return &IsDNS1123Subdomain;
  }
}

// apimachinery/pkg/api/validation/objectmeta.go ValidateObjectMeta.
void ValidateObjectMeta(FieldErrors& errs, const Object& obj, const std::string& path = "metadata") {
  const ObjectMeta& m = obj.metadata;
  if (!m.generate_name.empty()) {
    for (const std::string& msg : NameValidator(obj.kind())(m.generate_name + "a")) {
      errs.push_back(Invalid(path + ".generateName", Q(m.generate_name), msg));
    }
  }
  if (m.name.empty()) {
    errs.push_back(Required(path + ".name", "name or generateName is required"));
  } else {
    for (const std::string& msg : NameValidator(obj.kind())(m.name)) {
      errs.push_back(Invalid(path + ".name", Q(m.name), msg));
    }
  }
  if (KindIsNamespaced(obj.kind())) {
    if (m.namespace_.empty()) {
      errs.push_back(Required(path + ".namespace", ""));
    } else {
      for (const std::string& msg : IsDNS1123Label(m.namespace_)) {
        errs.push_back(Invalid(path + ".namespace", Q(m.namespace_), msg));
      }
    }
  } else if (!m.namespace_.empty()) {
    errs.push_back(Forbidden(path + ".namespace", "not allowed on this type"));
  }
  if (m.generation < 0) errs.push_back(Invalid(path + ".generation", N(m.generation), "must be greater than or equal to 0"));
  ValidateLabels(errs, m.labels, path + ".labels");
  ValidateAnnotations(errs, m.annotations, path + ".annotations");
  // ownerReferences: at most one controller.
  std::string first_controller;
  std::vector<std::string> extra_controllers;
  for (const OwnerReference& r : m.owner_references) {
    if (r.api_version.empty()) errs.push_back(Invalid(path + ".ownerReferences.apiVersion", Q(r.api_version), "version must not be empty"));
    if (r.kind.empty()) errs.push_back(Invalid(path + ".ownerReferences.kind", Q(r.kind), "kind must not be empty"));
    if (r.name.empty()) errs.push_back(Invalid(path + ".ownerReferences.name", Q(r.name), "name must not be empty"));
    if (r.uid.empty()) errs.push_back(Invalid(path + ".ownerReferences.uid", Q(r.uid), "uid must not be empty"));
    if (r.controller.value_or(false)) {
      if (first_controller.empty()) {
        first_controller = r.kind + "/" + r.name;
      } else {
        extra_controllers.push_back(r.kind + "/" + r.name);
      }
    }
  }
  if (!extra_controllers.empty()) {
    Json refs = Json::array();
    for (const OwnerReference& r : m.owner_references) {
      Json j = Json::object();
      j["apiVersion"] = r.api_version;
      j["kind"] = r.kind;
      j["name"] = r.name;
      j["uid"] = r.uid;
      if (r.controller) j["controller"] = *r.controller;
      if (r.block_owner_deletion) j["blockOwnerDeletion"] = *r.block_owner_deletion;
      refs.push_back(j);
    }
    for (const std::string& other : extra_controllers) {
      errs.push_back(Invalid(path + ".ownerReferences", refs.dump(),
                             "Only one reference can have Controller set to true. Found \"true\" in references for " +
                                 first_controller + " and " + other));
    }
  }
  for (size_t i = 0; i < m.finalizers.size(); ++i) {
    for (const std::string& msg : IsQualifiedName(m.finalizers[i])) {
      errs.push_back(Invalid(path + ".finalizers", Q(m.finalizers[i]), msg));
    }
  }
}

// ------------------------------------------------------------------ networking.k8s.io

void ValidateTypedLocalObjectRef(FieldErrors& errs, const std::optional<std::string>& api_group, const std::string& kind,
                                 const std::string& name, const std::string& path) {
  if (api_group) AddMsgs(errs, path + ".apiGroup", *api_group, IsDNS1123Subdomain(*api_group));
  auto segment = [&](const std::string& field, const std::string& v) {
    if (v.empty()) {
      errs.push_back(Required(path + "." + field, ""));
      return;
    }
    if (v == "." || v == "..") errs.push_back(Invalid(path + "." + field, Q(v), "may not be '" + v + "'"));
    for (const char* bad : {"/", "%"}) {
      if (v.find(bad) != std::string::npos) {
        errs.push_back(Invalid(path + "." + field, Q(v), std::string("may not contain '") + bad + "'"));
      }
    }
  };
  segment("kind", kind);
  segment("name", name);
}

void ValidateIngressBackend(FieldErrors& errs, const IngressBackend& b, const std::string& path) {
  const bool has_resource = b.resource.has_value();
  const bool has_service = b.service.has_value();
  if (has_resource && has_service) {
    errs.push_back(Invalid(path, Q(""), "cannot set both resource and service backends"));
    return;
  }
  if (has_resource) {
    std::optional<std::string> group;
    if (!b.resource->api_group.empty()) group = b.resource->api_group;
    ValidateTypedLocalObjectRef(errs, group, b.resource->kind, b.resource->name, path + ".resource");
    return;
  }
  if (!has_service) {
    errs.push_back(Invalid(path, Q(""), "resource or service backend is required"));
    return;
  }
  const IngressServiceBackend& s = *b.service;
  if (s.name.empty()) {
    errs.push_back(Required(path + ".service.name", ""));
  } else {
    AddMsgs(errs, path + ".service.name", s.name, IsDNS1035Label(s.name));
  }
  const bool has_name = !s.port.name.empty();
  const bool has_number = s.port.number != 0;
  if (has_name && has_number) {
    errs.push_back(Invalid(path, Q(""), "cannot set both port name & port number"));
  } else if (has_name) {
    AddMsgs(errs, path + ".service.port.name", s.port.name, IsValidPortName(s.port.name));
  } else if (has_number) {
    for (const std::string& m : IsValidPortNum(s.port.number)) {
      errs.push_back(Invalid(path + ".service.port.number", N(s.port.number), m));
    }
  } else {
    errs.push_back(Required(path, "port name or number is required"));
  }
}

void ValidateHost(FieldErrors& errs, const std::string& host, const std::string& path, bool* wildcard) {
  if (host.find('*') != std::string::npos) {
    AddMsgs(errs, path, host, IsWildcardDNS1123Subdomain(host));
    if (wildcard) *wildcard = true;
  } else {
    AddMsgs(errs, path, host, IsDNS1123Subdomain(host));
  }
}

void ValidateIngressSpec(FieldErrors& errs, const Ingress& ing) {
  if (ing.rules.empty() && !ing.default_backend) {
    errs.push_back(Invalid("spec", ing.has_rules ? "[]" : "null", "either `defaultBackend` or `rules` must be specified"));
  }
  if (ing.default_backend) ValidateIngressBackend(errs, *ing.default_backend, "spec.defaultBackend");
  for (size_t i = 0; i < ing.rules.size(); ++i) {
    const IngressRule& r = ing.rules[i];
    const std::string rp = "spec.rules[" + N(i) + "]";
    if (!r.host.empty()) {
      if (IsIP(r.host)) errs.push_back(Invalid(rp + ".host", Q(r.host), "must be a DNS name, not an IP address"));
      bool wildcard = false;
      ValidateHost(errs, r.host, rp + ".host", &wildcard);
    }
    if (!r.has_http) continue;
    const std::string hp = rp + ".http";
    if (r.paths.empty()) errs.push_back(Required(hp + ".paths", ""));
    for (size_t j = 0; j < r.paths.size(); ++j) {
      const HttpIngressPath& p = r.paths[j];
      const std::string pp = hp + ".paths[" + N(j) + "]";
      if (!p.path_type) {
        errs.push_back(Required(pp + ".pathType", "pathType must be specified"));
        continue;
      }
      const std::string& t = *p.path_type;
      if (t == "Exact" || t == "Prefix") {
        if (p.path.empty() || p.path[0] != '/') errs.push_back(Invalid(pp + ".path", Q(p.path), "must be an absolute path"));
        if (!p.path.empty()) {
          for (const char* seq : {"//", "/./", "/../", "%2f", "%2F"}) {
            if (p.path.find(seq) != std::string::npos) {
              errs.push_back(Invalid(pp + ".path", Q(p.path), std::string("must not contain '") + seq + "'"));
            }
          }
          for (const std::string suffix : {"/..", "/."}) {
            if (p.path.size() >= suffix.size() && p.path.compare(p.path.size() - suffix.size(), suffix.size(), suffix) == 0) {
              errs.push_back(Invalid(pp + ".path", Q(p.path), "cannot end with '" + suffix + "'"));
            }
          }
        }
      } else if (t == "ImplementationSpecific") {
        if (!p.path.empty() && p.path[0] != '/') errs.push_back(Invalid(pp + ".path", Q(p.path), "must be an absolute path"));
      } else {
        errs.push_back(NotSupported(pp + ".pathType", Q(t), {"Exact", "ImplementationSpecific", "Prefix"}));
      }
      ValidateIngressBackend(errs, p.backend, pp + ".backend");
    }
  }
  for (size_t i = 0; i < ing.tls.size(); ++i) {
    const IngressTls& tls = ing.tls[i];
    for (size_t j = 0; j < tls.hosts.size(); ++j) {
      ValidateHost(errs, tls.hosts[j], "spec.tls[" + N(i) + "].hosts[" + N(j) + "]", nullptr);
    }
    if (!tls.secret_name.empty()) {
      AddMsgs(errs, "spec.tls[" + N(i) + "].secretName", tls.secret_name, IsDNS1123Subdomain(tls.secret_name));
    }
  }
  if (ing.ingress_class_name) {
    AddMsgs(errs, "spec.ingressClassName", *ing.ingress_class_name, IsDNS1123Subdomain(*ing.ingress_class_name));
  }
}

void ValidateIngress(FieldErrors& errs, const Ingress& ing, const Ingress* old) {
  ValidateIngressSpec(errs, ing);
  if (old == nullptr) {
    auto it = ing.metadata.annotations.find("kubernetes.io/ingress.class");
    if (it != ing.metadata.annotations.end() && ing.ingress_class_name && it->second != *ing.ingress_class_name) {
      errs.push_back(Invalid("annotations.kubernetes.io/ingress.class", Q(it->second),
                             "must match `ingressClassName` when both are specified"));
    }
  }
}

void ValidateIngressClass(FieldErrors& errs, const IngressClass& ic, const IngressClass* old) {
  if (old && old->controller != ic.controller) {
    errs.push_back(Invalid("spec.controller", Q(ic.controller), "field is immutable"));
  }
  const std::string& c = ic.controller;
  if (c.size() > 250) errs.push_back(TooLong("spec.controller", 250));
  if (c.empty()) {
    errs.push_back(Required("spec.controller", ""));
  } else {
    size_t slash = c.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == c.size()) {
      errs.push_back(Invalid("spec.controller", Q(c), "must be a domain-prefixed path (such as \"acme.io/foo\")"));
    } else {
      const std::string host = c.substr(0, slash);
      const std::string path = c.substr(slash + 1);
      AddMsgs(errs, "spec.controller", host, IsDNS1123Subdomain(host));
      bool ok = true;
      for (char ch : path) {
        if (!IsAlnum(ch) && std::string("/-._~%!$&'()*+,;=:").find(ch) == std::string::npos) ok = false;
      }
      if (!ok) {
        errs.push_back(Invalid("spec.controller", Q(path),
                               RegexError("Invalid path", "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+", {})));
      }
    }
  }
  if (ic.parameters) {
    const auto& p = *ic.parameters;
    ValidateTypedLocalObjectRef(errs, p.api_group, p.kind, p.name, "spec.parameters");
    if (!p.scope) {
      errs.push_back(Required("spec.parameters.scope", ""));
    } else if (*p.scope != "Cluster" && *p.scope != "Namespace") {
      errs.push_back(NotSupported("spec.parameters.scope", Q(*p.scope), {"Cluster", "Namespace"}));
    } else if (*p.scope == "Namespace") {
      if (!p.namespace_) {
        errs.push_back(Required("spec.parameters.namespace", "`parameters.scope` is set to 'Namespace'"));
      } else {
        AddMsgs(errs, "spec.parameters.namespace", *p.namespace_, IsDNS1123Label(*p.namespace_));
      }
    } else if (p.namespace_) {
      errs.push_back(Forbidden("spec.parameters.namespace", "`parameters.scope` is set to 'Cluster'"));
    }
  }
}

// ------------------------------------------------------------------ core/v1 Service

std::string ServicePortKeyJson(const std::string& protocol, int32_t port) {
  return "{\"Name\":\"\",\"Protocol\":" + Json(protocol).dump() + ",\"AppProtocol\":null,\"Port\":" + N(port) +
         ",\"TargetPort\":0,\"NodePort\":0}";
}

void ValidatePortNumOrName(FieldErrors& errs, const IntOrString& p, const std::string& path) {
  if (p.is_string) {
    AddMsgs(errs, path, p.str_val, IsValidPortName(p.str_val));
  } else {
    for (const std::string& m : IsValidPortNum(p.int_val)) errs.push_back(Invalid(path, N(p.int_val), m));
  }
}

void ValidateService(FieldErrors& errs, const Service& svc, const Service* old) {
  const bool headless = svc.cluster_ip == "None";
  if (svc.ports.empty() && !headless && svc.type != "ExternalName") errs.push_back(Required("spec.ports", ""));
  if (svc.type == "LoadBalancer" && headless) {
    errs.push_back(Invalid("spec.clusterIPs[0]", Q("None"), "may not be set to 'None' for LoadBalancer services"));
  } else if (svc.type == "NodePort" && headless) {
    errs.push_back(Invalid("spec.clusterIPs[0]", Q("None"), "may not be set to 'None' for NodePort services"));
  } else if (svc.type == "ExternalName") {
    if (!svc.cluster_ips.empty() || !svc.cluster_ip.empty()) {
      errs.push_back(Forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
    }
    std::string cname = svc.external_name;
    if (!cname.empty() && cname.back() == '.') cname.pop_back();
    if (cname.empty()) {
      errs.push_back(Required("spec.externalName", ""));
    } else {
      AddMsgs(errs, "spec.externalName", cname, IsDNS1123Subdomain(cname));
    }
  }
  std::set<std::string> names;
  for (size_t i = 0; i < svc.ports.size(); ++i) {
    const ServicePort& p = svc.ports[i];
    const std::string pp = "spec.ports[" + N(i) + "]";
    if (svc.ports.size() > 1 && p.name.empty()) {
      errs.push_back(Required(pp + ".name", ""));
    } else if (!p.name.empty()) {
      AddMsgs(errs, pp + ".name", p.name, IsDNS1123Label(p.name));
      if (!names.insert(p.name).second) errs.push_back(Duplicate(pp + ".name", Q(p.name)));
    }
    for (const std::string& m : IsValidPortNum(p.port)) errs.push_back(Invalid(pp + ".port", N(p.port), m));
    if (p.protocol.empty()) {
      errs.push_back(Required(pp + ".protocol", ""));
    } else if (p.protocol != "TCP" && p.protocol != "UDP" && p.protocol != "SCTP") {
      errs.push_back(NotSupported(pp + ".protocol", Q(p.protocol), {"SCTP", "TCP", "UDP"}));
    }
    ValidatePortNumOrName(errs, p.target_port, pp + ".targetPort");
  }
  ValidateLabels(errs, svc.selector, "spec.selector");
  if (svc.session_affinity.empty()) {
    errs.push_back(Required("spec.sessionAffinity", ""));
  } else if (svc.session_affinity != "ClientIP" && svc.session_affinity != "None") {
    errs.push_back(NotSupported("spec.sessionAffinity", Q(svc.session_affinity), {"ClientIP", "None"}));
  }
  static const std::vector<std::string> kTypes = {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"};
  if (svc.type.empty()) {
    errs.push_back(Required("spec.type", ""));
  } else if (std::find(kTypes.begin(), kTypes.end(), svc.type) == kTypes.end()) {
    errs.push_back(NotSupported("spec.type", Q(svc.type), kTypes));
  }
  if (svc.type == "ClusterIP") {
    for (size_t i = 0; i < svc.ports.size(); ++i) {
      if (svc.ports[i].node_port != 0) {
        errs.push_back(Forbidden("spec.ports[" + N(i) + "].nodePort", "may not be used when `type` is 'ClusterIP'"));
      }
    }
  }
  std::set<std::pair<std::string, int32_t>> node_ports;
  for (size_t i = 0; i < svc.ports.size(); ++i) {
    const ServicePort& p = svc.ports[i];
    if (p.node_port == 0) continue;
    if (!node_ports.insert({p.protocol, p.node_port}).second) {
      errs.push_back(Duplicate("spec.ports[" + N(i) + "].nodePort", N(p.node_port)));
    }
  }
  std::set<std::pair<std::string, int32_t>> ports;
  for (size_t i = 0; i < svc.ports.size(); ++i) {
    const ServicePort& p = svc.ports[i];
    if (!ports.insert({p.protocol, p.port}).second) {
      errs.push_back(Duplicate("spec.ports[" + N(i) + "]", ServicePortKeyJson(p.protocol, p.port)));
    }
  }
  if (!svc.load_balancer_source_ranges.empty() && svc.type != "LoadBalancer") {
    errs.push_back(Forbidden("spec.LoadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'"));
  }
  const bool externally_accessible = svc.type == "LoadBalancer" || svc.type == "NodePort";
  if (!externally_accessible) {
    if (!svc.external_traffic_policy.empty()) {
      errs.push_back(Invalid("spec.externalTrafficPolicy", Q(svc.external_traffic_policy),
                             "may only be set for externally-accessible services"));
    }
  } else if (svc.external_traffic_policy.empty()) {
    errs.push_back(Required("spec.externalTrafficPolicy", ""));
  } else if (svc.external_traffic_policy != "Cluster" && svc.external_traffic_policy != "Local") {
    errs.push_back(NotSupported("spec.externalTrafficPolicy", Q(svc.external_traffic_policy), {"Cluster", "Local"}));
  }
  const bool needs_hc = svc.type == "LoadBalancer" && svc.external_traffic_policy == "Local";
  if (!needs_hc && svc.health_check_node_port != 0) {
    errs.push_back(Invalid("spec.healthCheckNodePort", N(svc.health_check_node_port),
                           "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (needs_hc && svc.health_check_node_port != 0) {
    for (const std::string& m : IsValidPortNum(svc.health_check_node_port)) {
      errs.push_back(Invalid("spec.healthCheckNodePort", N(svc.health_check_node_port), m));
    }
  }
  if (!svc.internal_traffic_policy.empty() && svc.internal_traffic_policy != "Cluster" &&
      svc.internal_traffic_policy != "Local") {
    errs.push_back(NotSupported("spec.internalTrafficPolicy", Q(svc.internal_traffic_policy), {"Cluster", "Local"}));
  }
  if (old) {
    const bool old_needs_hc = old->type == "LoadBalancer" && old->external_traffic_policy == "Local";
    if (old_needs_hc && needs_hc && old->health_check_node_port != svc.health_check_node_port &&
        svc.health_check_node_port != 0) {
      errs.push_back(Forbidden("spec.healthCheckNodePort", "field is immutable"));
    }
    if (old->type != "ExternalName" && svc.type != "ExternalName" && !old->cluster_ip.empty() &&
        !svc.cluster_ip.empty() && old->cluster_ip != svc.cluster_ip) {
      errs.push_back(Invalid("spec.clusterIPs[0]", Q(svc.cluster_ip), "may not change once set"));
    }
  }
}

// ------------------------------------------------------------------ pods and workloads

void ValidatePodSpec(FieldErrors& errs, const PodSpec& spec, const std::string& path) {
  if (spec.containers.empty()) errs.push_back(Required(path + ".containers", ""));
  std::set<std::string> names;
  for (size_t i = 0; i < spec.containers.size(); ++i) {
    const Container& c = spec.containers[i];
    const std::string cp = path + ".containers[" + N(i) + "]";
    if (c.name.empty()) {
      errs.push_back(Required(cp + ".name", ""));
    } else {
      AddMsgs(errs, cp + ".name", c.name, IsDNS1123Label(c.name));
      if (!names.insert(c.name).second) errs.push_back(Duplicate(cp + ".name", Q(c.name)));
    }
    if (c.image.empty()) errs.push_back(Required(cp + ".image", ""));
    std::set<std::string> port_names;
    for (size_t j = 0; j < c.ports.size(); ++j) {
      const ContainerPort& p = c.ports[j];
      const std::string pp = cp + ".ports[" + N(j) + "]";
      if (!p.name.empty()) {
        AddMsgs(errs, pp + ".name", p.name, IsValidPortName(p.name));
        if (!port_names.insert(p.name).second) errs.push_back(Duplicate(pp + ".name", Q(p.name)));
      }
      if (p.container_port == 0) {
        errs.push_back(Required(pp + ".containerPort", ""));
      } else {
        for (const std::string& m : IsValidPortNum(p.container_port)) {
          errs.push_back(Invalid(pp + ".containerPort", N(p.container_port), m));
        }
      }
      if (p.protocol != "TCP" && p.protocol != "UDP" && p.protocol != "SCTP") {
        errs.push_back(NotSupported(pp + ".protocol", Q(p.protocol), {"SCTP", "TCP", "UDP"}));
      }
    }
  }
  static const std::vector<std::string> kRestart = {"Always", "Never", "OnFailure"};
  if (std::find(kRestart.begin(), kRestart.end(), spec.restart_policy) == kRestart.end()) {
    errs.push_back(NotSupported(path + ".restartPolicy", Q(spec.restart_policy), kRestart));
  }
  if (spec.termination_grace_period_seconds && *spec.termination_grace_period_seconds < 0) {
    errs.push_back(Invalid(path + ".terminationGracePeriodSeconds", N(*spec.termination_grace_period_seconds),
                           "must be greater than or equal to 0"));
  }
  ValidateLabels(errs, spec.node_selector, path + ".nodeSelector");
  for (size_t i = 0; i < spec.readiness_gates.size(); ++i) {
    AddMsgs(errs, path + ".readinessGates[" + N(i) + "].conditionType", spec.readiness_gates[i].condition_type,
            IsQualifiedName(spec.readiness_gates[i].condition_type));
  }
}

void ValidateTemplate(FieldErrors& errs, const LabelSelector& selector, const PodTemplateSpec& t,
                      const std::string& path) {
  if (!selector.empty() && !selector.Matches(t.metadata.labels)) {
    errs.push_back(Invalid(path + ".metadata.labels", MapJson(t.metadata.labels), "`selector` does not match template `labels`"));
  }
  ValidateLabels(errs, t.metadata.labels, path + ".metadata.labels");
  ValidateAnnotations(errs, t.metadata.annotations, path + ".metadata.annotations");
  ValidatePodSpec(errs, t.spec, path + ".spec");
  if (t.spec.restart_policy != "Always") {
    errs.push_back(NotSupported(path + ".spec.restartPolicy", Q(t.spec.restart_policy), {"Always"}));
  }
}

bool ParsePercent(const IntOrString& v, int* pct) {
  if (!v.is_string) return false;
  if (v.str_val.size() < 2 || v.str_val.back() != '%') return false;
  try {
    *pct = std::stoi(v.str_val.substr(0, v.str_val.size() - 1));
  } catch (...) {
    return false;
  }
  return true;
}

void ValidateIntOrPercent(FieldErrors& errs, const IntOrString& v, const std::string& path) {
  if (v.is_string) {
    int pct;
    if (!ParsePercent(v, &pct)) {
      errs.push_back(Invalid(path, Q(v.str_val), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
    } else if (pct < 0) {
      errs.push_back(Invalid(path, Q(v.str_val), "must be greater than or equal to 0"));
    }
  } else if (v.int_val < 0) {
    errs.push_back(Invalid(path, N(v.int_val), "must be greater than or equal to 0"));
  }
}

void ValidateDeployment(FieldErrors& errs, const Deployment& d, const Deployment* old) {
  if (d.replicas < 0) errs.push_back(Invalid("spec.replicas", N(d.replicas), "must be greater than or equal to 0"));
  if (d.selector.empty()) {
    errs.push_back(Invalid("spec.selector", SelectorJson(d.selector), "empty selector is invalid for deployment"));
  } else {
    ValidateLabelSelector(errs, d.selector, "spec.selector");
  }
  ValidateTemplate(errs, d.selector, d.template_, "spec.template");
  if (d.strategy.type == "RollingUpdate") {
    ValidateIntOrPercent(errs, d.strategy.max_unavailable, "spec.strategy.rollingUpdate.maxUnavailable");
    ValidateIntOrPercent(errs, d.strategy.max_surge, "spec.strategy.rollingUpdate.maxSurge");
    int pct;
    const IntOrString& mu = d.strategy.max_unavailable;
    const IntOrString& ms = d.strategy.max_surge;
    const bool mu_zero = (!mu.is_string && mu.int_val == 0) || (ParsePercent(mu, &pct) && pct == 0);
    const bool ms_zero = (!ms.is_string && ms.int_val == 0) || (ParsePercent(ms, &pct) && pct == 0);
    if (mu_zero && ms_zero) {
      errs.push_back(Invalid("spec.strategy.rollingUpdate.maxUnavailable", mu.is_string ? Q(mu.str_val) : N(mu.int_val),
                             "may not be 0 when `maxSurge` is 0"));
    }
    if (ParsePercent(mu, &pct) && pct > 100) {
      errs.push_back(Invalid("spec.strategy.rollingUpdate.maxUnavailable", Q(mu.str_val), "must not be greater than 100%"));
    }
  } else if (d.strategy.type != "Recreate") {
    errs.push_back(NotSupported("spec.strategy.type", Q(d.strategy.type), {"Recreate", "RollingUpdate"}));
  }
  if (d.min_ready_seconds < 0) {
    errs.push_back(Invalid("spec.minReadySeconds", N(d.min_ready_seconds), "must be greater than or equal to 0"));
  }
  if (d.revision_history_limit < 0) {
    errs.push_back(Invalid("spec.revisionHistoryLimit", N(d.revision_history_limit), "must be greater than or equal to 0"));
  }
  if (d.progress_deadline_seconds < 0) {
    errs.push_back(Invalid("spec.progressDeadlineSeconds", N(d.progress_deadline_seconds), "must be greater than or equal to 0"));
  }
  if (d.progress_deadline_seconds <= d.min_ready_seconds) {
    errs.push_back(Invalid("spec.progressDeadlineSeconds", N(d.progress_deadline_seconds), "must be greater than minReadySeconds"));
  }
  if (old && !(old->selector == d.selector)) {
    errs.push_back(Invalid("spec.selector", SelectorJson(d.selector), "field is immutable"));
  }
}

void ValidateReplicaSet(FieldErrors& errs, const ReplicaSet& rs, const ReplicaSet* old) {
  if (rs.replicas < 0) errs.push_back(Invalid("spec.replicas", N(rs.replicas), "must be greater than or equal to 0"));
  if (rs.selector.empty()) {
    errs.push_back(Invalid("spec.selector", SelectorJson(rs.selector), "empty selector is invalid for deployment"));
  } else {
    ValidateLabelSelector(errs, rs.selector, "spec.selector");
  }
  ValidateTemplate(errs, rs.selector, rs.template_, "spec.template");
  if (old && !(old->selector == rs.selector)) {
    errs.push_back(Invalid("spec.selector", SelectorJson(rs.selector), "field is immutable"));
  }
}

std::string PodSpecImmutableView(const PodSpec& s) {
  // Everything but images, tolerations and activeDeadlineSeconds, as JSON for comparison.
  Json j = Json::object();
  Json cs = Json::array();
  for (const Container& c : s.containers) {
    Json cj = Json::object();
    cj["name"] = c.name;
    Json ports = Json::array();
    for (const ContainerPort& p : c.ports) ports.push_back(Json{{"name", p.name}, {"port", p.container_port}, {"protocol", p.protocol}});
    cj["ports"] = ports;
    if (c.readiness_probe) {
      const Probe& p = *c.readiness_probe;
      Json pj = {{"delay", p.initial_delay_seconds}, {"timeout", p.timeout_seconds}, {"period", p.period_seconds},
                 {"success", p.success_threshold}, {"failure", p.failure_threshold}};
      if (p.http_get) pj["httpGet"] = {p.http_get->path, p.http_get->port.ToString(), p.http_get->scheme};
      cj["probe"] = pj;
    }
    cs.push_back(cj);
  }
  j["containers"] = cs;
  j["nodeName"] = s.node_name;
  j["nodeSelector"] = s.node_selector;
  j["sa"] = s.service_account_name;
  j["scheduler"] = s.scheduler_name;
  j["restart"] = s.restart_policy;
  j["grace"] = s.termination_grace_period_seconds.value_or(-1);
  Json gates = Json::array();
  for (const auto& g : s.readiness_gates) gates.push_back(g.condition_type);
  j["gates"] = gates;
  j["hostname"] = s.hostname;
  j["subdomain"] = s.subdomain;
  return j.dump();
}

void ValidatePod(FieldErrors& errs, const Pod& pod, const Pod* old) {
  ValidatePodSpec(errs, pod.spec, "spec");
  if (old && PodSpecImmutableView(pod.spec) != PodSpecImmutableView(old->spec)) {
    errs.push_back(Forbidden(
        "spec",
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,"
        "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
  }
}

void ValidateEndpointSlice(FieldErrors& errs, const EndpointSlice& s) {
  if (s.address_type.empty()) {
    errs.push_back(Required("addressType", ""));
  } else if (s.address_type != "IPv4" && s.address_type != "IPv6" && s.address_type != "FQDN") {
    errs.push_back(NotSupported("addressType", Q(s.address_type), {"FQDN", "IPv4", "IPv6"}));
  }
  for (size_t i = 0; i < s.endpoints.size(); ++i) {
    const SliceEndpoint& e = s.endpoints[i];
    if (e.addresses.empty()) {
      errs.push_back(Required("endpoints[" + N(i) + "].addresses", "must contain at least 1 address"));
    }
  }
}

// Metadata rules of an update (objectmeta.go ValidateObjectMetaUpdate) that the server does not
// already enforce by keeping the stored values.
void ValidateFinalizersWhileDeleting(FieldErrors& errs, const Object& obj, const Object& old) {
  if (!old.metadata.deletion_timestamp) return;
  std::vector<std::string> added;
  for (const std::string& f : obj.metadata.finalizers) {
    if (std::find(old.metadata.finalizers.begin(), old.metadata.finalizers.end(), f) == old.metadata.finalizers.end()) {
      added.push_back(f);
    }
  }
  if (added.empty()) return;
  std::string list = "[]string{";
  for (size_t i = 0; i < added.size(); ++i) {
    if (i) list += ", ";
    list += Q(added[i]);
  }
  list += "}";
  errs.push_back(Forbidden("metadata.finalizers",
                           "no new finalizers can be added if the object is being deleted, found new finalizers " + list));
}

}  // namespace

FieldErrors ValidateObject(const Object& obj, const Object* old) {
  FieldErrors errs;
  ValidateObjectMeta(errs, obj);
  if (old) ValidateFinalizersWhileDeleting(errs, obj, *old);
  switch (obj.kind()) {
    case Kind::kIngress:
      ValidateIngress(errs, static_cast<const Ingress&>(obj), static_cast<const Ingress*>(old));
      break;
    case Kind::kIngressClass:
      ValidateIngressClass(errs, static_cast<const IngressClass&>(obj), static_cast<const IngressClass*>(old));
      break;
    case Kind::kService:
      ValidateService(errs, static_cast<const Service&>(obj), static_cast<const Service*>(old));
      break;
    case Kind::kDeployment:
      ValidateDeployment(errs, static_cast<const Deployment&>(obj), static_cast<const Deployment*>(old));
      break;
    case Kind::kReplicaSet:
      ValidateReplicaSet(errs, static_cast<const ReplicaSet&>(obj), static_cast<const ReplicaSet*>(old));
      break;
    case Kind::kPod:
      ValidatePod(errs, static_cast<const Pod&>(obj), static_cast<const Pod*>(old));
      break;
    case Kind::kEndpointSlice:
      ValidateEndpointSlice(errs, static_cast<const EndpointSlice&>(obj));
      break;
    default:
      break;
  }
  return errs;
}

FieldErrors ValidateStatus(const Object& obj) {
  FieldErrors errs;
  if (obj.kind() == Kind::kIngress) {
    const auto& ing = static_cast<const Ingress&>(obj);
    for (size_t i = 0; i < ing.status_ingress.size(); ++i) {
      const auto& lb = ing.status_ingress[i];
      const std::string p = "status.loadBalancer.ingress[" + N(i) + "]";
      if (!lb.ip.empty() && !IsIP(lb.ip)) errs.push_back(Invalid(p + ".ip", Q(lb.ip), "must be a valid IP address"));
      if (!lb.hostname.empty()) {
        AddMsgs(errs, p + ".hostname", lb.hostname, IsDNS1123Subdomain(lb.hostname));
        if (IsIP(lb.hostname)) errs.push_back(Invalid(p + ".hostname", Q(lb.hostname), "must be a DNS name, not an IP address"));
      }
    }
  }
  return errs;
}

}  // namespace sim::k8s
