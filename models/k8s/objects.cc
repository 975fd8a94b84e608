#include "models/k8s/objects.h"

#include <algorithm>

namespace sim::model::k8s {
namespace {

struct KindInfo {
  Kind kind;
  const char* name;
  const char* api_version;
  const char* group_resource;
  const char* group_kind;
  bool namespaced;
  bool tracks_generation;
};

constexpr KindInfo kKinds[] = {
    {Kind::kNamespace, "Namespace", "v1", "namespaces", "Namespace", false, false},
    {Kind::kNode, "Node", "v1", "nodes", "Node", false, false},
    {Kind::kPod, "Pod", "v1", "pods", "Pod", true, true},
    {Kind::kService, "Service", "v1", "services", "Service", true, false},
    {Kind::kEndpoints, "Endpoints", "v1", "endpoints", "Endpoints", true, false},
    {Kind::kEndpointSlice, "EndpointSlice", "discovery.k8s.io/v1", "endpointslices.discovery.k8s.io",
     "EndpointSlice.discovery.k8s.io", true, true},
    {Kind::kDeployment, "Deployment", "apps/v1", "deployments.apps", "Deployment.apps", true, true},
    {Kind::kReplicaSet, "ReplicaSet", "apps/v1", "replicasets.apps", "ReplicaSet.apps", true, true},
    {Kind::kIngress, "Ingress", "networking.k8s.io/v1", "ingresses.networking.k8s.io",
     "Ingress.networking.k8s.io", true, true},
    {Kind::kIngressClass, "IngressClass", "networking.k8s.io/v1", "ingressclasses.networking.k8s.io",
     "IngressClass.networking.k8s.io", false, true},
    {Kind::kIngressClassParams, "IngressClassParams", "elbv2.k8s.aws/v1beta1",
     "ingressclassparams.elbv2.k8s.aws", "IngressClassParams.elbv2.k8s.aws", false, true},
    {Kind::kSecret, "Secret", "v1", "secrets", "Secret", true, false},
    {Kind::kConfigMap, "ConfigMap", "v1", "configmaps", "ConfigMap", true, false},
    {Kind::kServiceAccount, "ServiceAccount", "v1", "serviceaccounts", "ServiceAccount", true, false},
    {Kind::kEvent, "Event", "v1", "events", "Event", true, false},
    {Kind::kTargetGroupBinding, "TargetGroupBinding", "elbv2.k8s.aws/v1beta1",
     "targetgroupbindings.elbv2.k8s.aws", "TargetGroupBinding.elbv2.k8s.aws", true, true},
};

const KindInfo& Info(Kind kind) {
  for (const KindInfo& info : kKinds) {
    if (info.kind == kind) return info;
  }
  return kKinds[0];  // unreachable: every enumerator is listed
}

bool SelectorRequirementMatches(const LabelSelectorRequirement& req,
                                const std::map<std::string, std::string>& labels) {
  auto it = labels.find(req.key);
  const bool has = it != labels.end();
  auto in_values = [&] {
    return has && std::find(req.values.begin(), req.values.end(), it->second) != req.values.end();
  };
  if (req.op == "In") return in_values();
  if (req.op == "NotIn") return !in_values();
  if (req.op == "Exists") return has;
  if (req.op == "DoesNotExist") return !has;
  return false;
}

}  // namespace

const char* KindName(Kind kind) { return Info(kind).name; }

bool ParseKind(const std::string& name, Kind* out) {
  for (const KindInfo& info : kKinds) {
    if (name == info.name) {
      *out = info.kind;
      return true;
    }
  }
  return false;
}

const char* KindApiVersion(Kind kind) { return Info(kind).api_version; }
const char* KindGroupResource(Kind kind) { return Info(kind).group_resource; }
const char* KindGroupKind(Kind kind) { return Info(kind).group_kind; }
bool KindIsNamespaced(Kind kind) { return Info(kind).namespaced; }
bool KindTracksGeneration(Kind kind) { return Info(kind).tracks_generation; }

bool LabelSelector::Matches(const std::map<std::string, std::string>& labels) const {
  for (const auto& [key, value] : match_labels) {
    auto it = labels.find(key);
    if (it == labels.end() || it->second != value) return false;
  }
  for (const LabelSelectorRequirement& req : match_expressions) {
    if (!SelectorRequirementMatches(req, labels)) return false;
  }
  return true;
}

std::string Object::Key() const {
  if (KindIsNamespaced(kind())) return metadata.namespace_ + "/" + metadata.name;
  return metadata.name;
}

std::string Node::InternalIP() const {
  for (const NodeAddress& a : addresses) {
    if (a.type == "InternalIP") return a.address;
  }
  return "";
}

bool Node::Ready() const {
  for (const NodeCondition& c : conditions) {
    if (c.type == "Ready") return c.status == "True";
  }
  return false;
}

const PodCondition* Pod::Condition(const std::string& type) const {
  for (const PodCondition& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

bool Pod::Ready() const {
  const PodCondition* c = Condition("Ready");
  return c != nullptr && c->status == "True";
}

}  // namespace sim::model::k8s
