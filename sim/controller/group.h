#pragma once
// Mirrors upstream pkg/ingress/group.go, class.go and finalizer.go (finalizer names).

#include <memory>
#include <string>
#include <vector>

#include "models/k8s/objects.h"

namespace sim::controller {

using IngressPtr = std::shared_ptr<const model::k8s::Ingress>;

// GroupID: explicit group {"", <groupName>}, implicit group {<ingNs>, <ingName>}.
struct GroupID {
  std::string namespace_;
  std::string name;

  bool IsExplicit() const { return namespace_.empty(); }
  // `<groupName>` for explicit groups, `<ns>/<name>` for implicit ones.
  std::string String() const { return IsExplicit() ? name : namespace_ + "/" + name; }

  static GroupID Explicit(std::string group_name) { return GroupID{"", std::move(group_name)}; }
  static GroupID Implicit(std::string ns, std::string name) { return GroupID{std::move(ns), std::move(name)}; }

  bool operator==(const GroupID&) const = default;
  auto operator<=>(const GroupID&) const = default;
};

// IngressClass configuration of an Ingress (both null = none).
struct ClassConfiguration {
  std::shared_ptr<const model::k8s::IngressClass> ing_class;
  std::shared_ptr<const model::k8s::IngressClassParams> ing_class_params;
};

struct ClassifiedIngress {
  IngressPtr ing;
  ClassConfiguration ing_class_config;
};

// An Ingress group: the Ingresses hosted by one load balancer.
struct Group {
  GroupID id;
  // Active members in group order (group.order, then "<ns>/<name>").
  std::vector<ClassifiedIngress> members;
  // Ingresses that left the group but still hold its finalizer.
  std::vector<IngressPtr> inactive_members;
};

// "<ns>/<name>" of an object (upstream k8s.NamespacedName(obj).String()).
inline std::string NamespacedName(const model::k8s::Object& obj) {
  return obj.metadata.namespace_ + "/" + obj.metadata.name;
}

// Finalizers (upstream pkg/shared_constants/finalizers.go).
inline constexpr const char* kImplicitGroupFinalizer = "ingress.k8s.aws/resources";
inline constexpr const char* kExplicitGroupFinalizerPrefix = "group.ingress.k8s.aws/";
inline constexpr const char* kTargetGroupBindingFinalizer = "elbv2.k8s.aws/resources";

// upstream buildGroupFinalizer: `group.ingress.k8s.aws/<name>` or `ingress.k8s.aws/resources`.
inline std::string BuildGroupFinalizer(const GroupID& id) {
  return id.IsExplicit() ? std::string(kExplicitGroupFinalizerPrefix) + id.name : kImplicitGroupFinalizer;
}

}  // namespace sim::controller
