// Mirrors upstream pkg/ingress/class_loader.go and pkg/ingress/class_annotation_matcher.go.
#include "sim/controller/class_loader.h"

namespace sim::controller {

namespace mk = model::k8s;

namespace {

Error InvalidClass(const std::string& detail) {
  return MakeError(ErrorCode::kInvalidArgument, std::string(kErrInvalidIngressClass) + ": " + detail,
                   kErrInvalidIngressClass);
}

}  // namespace

bool ClassAnnotationMatcher::Matches(const std::string& ing_class_annotation) const {
  if (ingress_class_.empty() && ing_class_annotation == "alb") return true;
  return ing_class_annotation == ingress_class_;
}

Result<std::string> ClassLoader::GetDefaultIngressClass() const {
  std::string default_class;
  bool found = false;
  for (const auto& obj : client_.List(mk::Kind::kIngressClass)) {
    auto it = obj->metadata.annotations.find(kDefaultClassAnnotation);
    if (it != obj->metadata.annotations.end() && it->second == "true") {
      if (found) return MakeError(ErrorCode::kInvalidArgument, "multiple default IngressClasses found");
      default_class = obj->metadata.name;
      found = true;
    }
  }
  return default_class;
}

Result<ClassConfiguration> ClassLoader::Load(std::shared_ptr<mk::Ingress> ing) const {
  if (!ing->ingress_class_name.has_value()) {
    SIM_ASSIGN_OR_RETURN(std::string default_class, GetDefaultIngressClass());
    if (default_class.empty()) return ClassConfiguration{};
    ing->ingress_class_name = default_class;
  }
  return LoadClass(*ing, *ing->ingress_class_name);
}

Result<ClassConfiguration> ClassLoader::LoadClass(const mk::Ingress& ing,
                                                  const std::string& ingress_class_name) const {
  auto cls = k8s::Get<mk::IngressClass>(client_, "", ingress_class_name);
  if (!cls.ok()) {
    if (k8s::IsNotFound(cls.error())) return InvalidClass(cls.error().message);
    return cls.error();
  }
  std::shared_ptr<const mk::IngressClass> ing_class = cls.value();
  if (ing_class->controller != kIngressClassControllerALB || !ing_class->parameters.has_value() || !load_params_) {
    return ClassConfiguration{ing_class, nullptr};
  }
  const auto& params = *ing_class->parameters;
  if (!params.api_group.has_value() || *params.api_group != kIngressClassParamsAPIGroup ||
      params.kind != kIngressClassParamsKind) {
    return InvalidClass("IngressClass " + ing_class->metadata.name + " references unknown parameters");
  }
  auto icp = k8s::Get<mk::IngressClassParams>(client_, "", params.name);
  if (!icp.ok()) {
    if (k8s::IsNotFound(icp.error())) return InvalidClass(icp.error().message);
    return icp.error();
  }
  Status st = ValidateIngressClassParamsNamespaceRestriction(ing, *icp.value());
  if (!st.ok()) return InvalidClass(st.error().message);
  return ClassConfiguration{ing_class, icp.value()};
}

Status ClassLoader::ValidateIngressClassParamsNamespaceRestriction(
    const mk::Ingress& ing, const mk::IngressClassParams& params,
    const std::optional<std::string>& admission_namespace) const {
  if (!params.namespace_selector.has_value()) return OkStatus();
  std::string ns = admission_namespace.value_or(ing.metadata.namespace_);
  auto ns_obj = k8s::Get<mk::Namespace>(client_, "", ns);
  if (!ns_obj.ok()) return ns_obj.error();
  if (!params.namespace_selector->Matches(ns_obj.value()->metadata.labels)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "namespaceSelector of IngressClassParams " + params.metadata.name + " mismatch");
  }
  return OkStatus();
}

}  // namespace sim::controller
