#pragma once
// Mirrors upstream pkg/ingress/class_loader.go and pkg/ingress/class_annotation_matcher.go.

#include <optional>
#include <string>

#include "sim/base/status.h"
#include "sim/controller/group.h"
#include "sim/k8s/client_api.h"

namespace sim::controller {

inline constexpr const char* kIngressClassControllerALB = "ingress.k8s.aws/alb";
inline constexpr const char* kIngressClassParamsKind = "IngressClassParams";
inline constexpr const char* kIngressClassParamsAPIGroup = "elbv2.k8s.aws";
inline constexpr const char* kDefaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class";

// Sentinel text of upstream ErrInvalidIngressClass. Errors that wrap it carry
// Error::aws_code == kErrInvalidIngressClass (errors.Is).
inline constexpr const char* kErrInvalidIngressClass = "invalid ingress class";

inline bool IsInvalidIngressClass(const Error& e) { return e.aws_code == kErrInvalidIngressClass; }

// ClassAnnotationMatcher: does `kubernetes.io/ingress.class: <value>` select this controller?
class ClassAnnotationMatcher {
 public:
  explicit ClassAnnotationMatcher(std::string ingress_class) : ingress_class_(std::move(ingress_class)) {}
  // value == --ingress-class, or (--ingress-class == "" and value == "alb").
  bool Matches(const std::string& ing_class_annotation) const;

 private:
  std::string ingress_class_;
};

class ClassLoader {
 public:
  ClassLoader(const k8s::KubeApi& client, bool load_params) : client_(client), load_params_(load_params) {}

  // Loads the IngressClass (+ IngressClassParams) of `ing`. When spec.ingressClassName is unset
  // and exactly one IngressClass is annotated default, *ing's in-memory ingressClassName is set to
  // it (upstream mutates its argument). Errors: `multiple default IngressClasses found`;
  // `invalid ingress class: <apiserver NotFound text>`;
  // `invalid ingress class: IngressClass <name> references unknown parameters`;
  // `invalid ingress class: namespaceSelector of IngressClassParams <name> mismatch`.
  Result<ClassConfiguration> Load(std::shared_ptr<model::k8s::Ingress> ing) const;
  // The rest of Load once the class name is known (spec.ingressClassName or the default class).
  Result<ClassConfiguration> LoadClass(const model::k8s::Ingress& ing, const std::string& ingress_class_name) const;

  // Returns the name of the single default IngressClass, "" when none.
  Result<std::string> GetDefaultIngressClass() const;

  // `admission_namespace`: namespace of the admission request (webhook path) that replaces the
  // Ingress' own namespace. Error `namespaceSelector of IngressClassParams <name> mismatch` or
  // the Namespace Get error.
  Status ValidateIngressClassParamsNamespaceRestriction(const model::k8s::Ingress& ing,
                                                        const model::k8s::IngressClassParams& params,
                                                        const std::optional<std::string>& admission_namespace = {}) const;

 private:
  const k8s::KubeApi& client_;
  bool load_params_;
};

}  // namespace sim::controller
