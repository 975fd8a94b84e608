#pragma once
// API server validation (k8s-semantics.md §2) with the exact upstream texts.
// Mirrors upstream apimachinery/pkg/util/validation (validation.go, field/errors.go),
// apimachinery/pkg/api/validation/objectmeta.go, k8s pkg/apis/networking/validation/validation.go,
// pkg/apis/core/validation/validation.go (ValidateService, pods basics), pkg/apis/apps/validation.

#include <string>
#include <vector>

#include "models/k8s/objects.h"

namespace sim::k8s {

struct FieldError {
  enum class Type { kRequired, kInvalid, kNotSupported, kForbidden, kDuplicate, kNotFound, kTooLong, kTooMany, kInternal };
  Type type = Type::kInvalid;
  std::string field;
  std::string value;   // already rendered: Go-quoted string, bare number, or JSON
  std::string detail;
  // "Required value: <detail>", "Invalid value: \"web\": <detail>", ...
  std::string Body() const;
  // "<field>: <body>"
  std::string ToString() const;
  // Kubernetes cause reason: FieldValueRequired, FieldValueInvalid, ...
  const char* Reason() const;
};
using FieldErrors = std::vector<FieldError>;

// Constructors (field/errors.go).
FieldError Required(const std::string& field, const std::string& detail = "");
FieldError Invalid(const std::string& field, const std::string& value, const std::string& detail);
FieldError NotSupported(const std::string& field, const std::string& value, std::vector<std::string> supported);
FieldError Forbidden(const std::string& field, const std::string& detail);
FieldError Duplicate(const std::string& field, const std::string& value);
FieldError TooLong(const std::string& field, int max_bytes);
FieldError InternalError(const std::string& field, const std::string& detail);

// Value rendering as field errors print them.
std::string GoQuote(const std::string& s);

// Message lists (util/validation/validation.go); empty = valid.
std::vector<std::string> IsDNS1123Label(const std::string& v);
std::vector<std::string> IsDNS1123Subdomain(const std::string& v);
std::vector<std::string> IsDNS1035Label(const std::string& v);
std::vector<std::string> IsWildcardDNS1123Subdomain(const std::string& v);
std::vector<std::string> IsValidPortName(const std::string& v);
std::vector<std::string> IsValidPortNum(int64_t v);
std::vector<std::string> IsQualifiedName(const std::string& v);
std::vector<std::string> IsValidLabelValue(const std::string& v);
bool IsIP(const std::string& v);

// `<Kind.group> "<name>" is invalid: <e>` or `... is invalid: [<e1>, <e2>]` (deduplicated).
std::string InvalidMessage(model::k8s::Kind kind, const std::string& name, const FieldErrors& errs);

// Full validation of a create (old == nullptr) or update, after defaulting and admission.
FieldErrors ValidateObject(const model::k8s::Object& obj, const model::k8s::Object* old);
// Validation of a /status write.
FieldErrors ValidateStatus(const model::k8s::Object& obj);

}  // namespace sim::k8s
