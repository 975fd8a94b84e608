// Stand-in for controller-runtime's fake client as upstream unit tests use it.
#include "sim/conformance/fake_client.h"

namespace sim::conformance {

namespace mk = model::k8s;

std::string FakeClient::NotFoundMessage(mk::Kind kind, const std::string& name) {
  std::string resource;
  switch (kind) {
    case mk::Kind::kIngressClass:
      resource = "ingressclasses.networking.k8s.io";
      break;
    case mk::Kind::kIngressClassParams:
      resource = "ingressclassparamses.elbv2.k8s.aws";
      break;
    case mk::Kind::kTargetGroupBinding:
      resource = "targetgroupbindings.elbv2.k8s.aws";
      break;
    default:
      resource = mk::KindGroupResource(kind);
  }
  return resource + " \"" + name + "\" not found";
}

void FakeClient::Put(const mk::Object& obj) {
  const std::string ns = mk::KindIsNamespaced(obj.kind()) ? obj.metadata.namespace_ : "";
  objects_[{static_cast<int>(obj.kind()), ns, obj.metadata.name}] = obj.Clone();
}

Status FakeClient::DeleteObject(mk::Kind kind, const std::string& ns, const std::string& name) {
  auto it = objects_.find({static_cast<int>(kind), ns, name});
  if (it == objects_.end()) return MakeError(ErrorCode::kNotFound, NotFoundMessage(kind, name), "NotFound");
  if (it->second->metadata.finalizers.empty()) {
    objects_.erase(it);
    return OkStatus();
  }
  auto copy = it->second->Clone();
  copy->metadata.deletion_timestamp = "2024-01-01T00:00:00Z";
  it->second = copy;
  return OkStatus();
}

Result<k8s::ObjectPtr> FakeClient::Get(k8s::Kind kind, const std::string& ns, const std::string& name) const {
  auto it = objects_.find({static_cast<int>(kind), mk::KindIsNamespaced(kind) ? ns : "", name});
  if (it == objects_.end()) return MakeError(ErrorCode::kNotFound, NotFoundMessage(kind, name), "NotFound");
  return it->second;
}

std::vector<k8s::ObjectPtr> FakeClient::List(k8s::Kind kind, const std::string& ns) const {
  std::vector<k8s::ObjectPtr> out;
  for (const auto& [key, obj] : objects_) {
    if (std::get<0>(key) != static_cast<int>(kind)) continue;
    if (!ns.empty() && std::get<1>(key) != ns) continue;
    out.push_back(obj);
  }
  return out;
}

Result<k8s::ObjectPtr> FakeClient::Create(const mk::Object& obj) {
  const std::string ns = mk::KindIsNamespaced(obj.kind()) ? obj.metadata.namespace_ : "";
  if (objects_.count({static_cast<int>(obj.kind()), ns, obj.metadata.name})) {
    return MakeError(ErrorCode::kAlreadyExists,
                     std::string(mk::KindGroupResource(obj.kind())) + " \"" + obj.metadata.name + "\" already exists",
                     "AlreadyExists");
  }
  Put(obj);
  return Get(obj.kind(), ns, obj.metadata.name);
}

Result<k8s::ObjectPtr> FakeClient::Update(const mk::Object& obj) {
  const std::string ns = mk::KindIsNamespaced(obj.kind()) ? obj.metadata.namespace_ : "";
  if (!objects_.count({static_cast<int>(obj.kind()), ns, obj.metadata.name})) {
    return MakeError(ErrorCode::kNotFound, NotFoundMessage(obj.kind(), obj.metadata.name), "NotFound");
  }
  Put(obj);
  return Get(obj.kind(), ns, obj.metadata.name);
}

Result<k8s::ObjectPtr> FakeClient::UpdateStatus(const mk::Object& obj) { return Update(obj); }

Status FakeClient::Delete(k8s::Kind kind, const std::string& ns, const std::string& name) {
  return DeleteObject(kind, ns, name);
}

}  // namespace sim::conformance
