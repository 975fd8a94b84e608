#pragma once
// Mirrors upstream pkg/model/core/token_types.go.
//
// A StringToken is either a literal string or a reference to a field of another resource in the
// stack (`status/loadBalancerARN`, `status/groupID`, ...), resolved by the deployer once that
// resource has been created. A reference marshals as
// {"$ref":"#/resources/<resourceType>/<resourceID>/<fieldPath>"}.

#include <string>

namespace sim::model::stack {

struct StringToken {
  enum class Kind { kLiteral, kResourceField };

  Kind kind = Kind::kLiteral;
  // kLiteral: the value. kResourceField with has_fixed_value: the value the token resolves to
  // without looking at the stack (upstream acm.NewExistingCertificate: a stack-less certificate
  // whose status already holds the ARN).
  std::string value;
  bool has_fixed_value = false;
  // kResourceField only.
  std::string resource_type;
  std::string resource_id;
  std::string field_path;  // e.g. "status/loadBalancerARN"

  static StringToken Literal(std::string v) {
    StringToken t;
    t.value = std::move(v);
    return t;
  }
  static StringToken Field(std::string type, std::string id, std::string path) {
    StringToken t;
    t.kind = Kind::kResourceField;
    t.resource_type = std::move(type);
    t.resource_id = std::move(id);
    t.field_path = std::move(path);
    return t;
  }
  // The token of upstream acmModel.NewExistingCertificate(arn).CertificateARN(): a reference to a
  // certificate outside any stack (empty type and ID) that resolves to `arn`.
  static StringToken ExistingCertificateARN(std::string arn) {
    StringToken t = Field("", "", "status/certificateARN");
    t.value = std::move(arn);
    t.has_fixed_value = true;
    return t;
  }

  bool is_literal() const { return kind == Kind::kLiteral; }
  // "#/resources/<type>/<id>/<path>" for a resource-field token.
  std::string RefPath() const { return "#/resources/" + resource_type + "/" + resource_id + "/" + field_path; }
  // True when the token depends on a resource of the stack (upstream Dependencies() non-empty and
  // the resource belongs to the stack).
  bool HasStackDependency() const { return kind == Kind::kResourceField && !resource_type.empty(); }

  bool operator==(const StringToken&) const = default;
};

}  // namespace sim::model::stack
