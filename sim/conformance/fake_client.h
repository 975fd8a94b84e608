#pragma once
// Stand-in for controller-runtime's fake client (sigs.k8s.io/controller-runtime/pkg/client/fake)
// as upstream unit tests use it: no defaulting, no validation, no admission; NotFound errors name
// the resource with the fake client's generated plurals (`ingressclassparamses.elbv2.k8s.aws`).
// Used only by the conformance runner; scenarios use sim/k8s/fake_api_server.h.

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "sim/k8s/client_api.h"

namespace sim::conformance {

class FakeClient final : public k8s::KubeApi {
 public:
  // Stores a deep copy of `obj` (any kind).
  void Put(const model::k8s::Object& obj);
  // controller-runtime fake Delete: an object with finalizers only gets a deletionTimestamp.
  Status DeleteObject(model::k8s::Kind kind, const std::string& ns, const std::string& name);

  // KubeApi
  Result<k8s::ObjectPtr> Get(k8s::Kind kind, const std::string& ns, const std::string& name) const override;
  std::vector<k8s::ObjectPtr> List(k8s::Kind kind, const std::string& ns = "") const override;
  Result<k8s::ObjectPtr> Create(const model::k8s::Object& obj) override;
  Result<k8s::ObjectPtr> Update(const model::k8s::Object& obj) override;
  Result<k8s::ObjectPtr> UpdateStatus(const model::k8s::Object& obj) override;
  Status Delete(k8s::Kind kind, const std::string& ns, const std::string& name) override;
  WatchId Watch(k8s::Kind kind, WatchFn fn) override { return 0; }
  void Unwatch(WatchId id) override {}
  void RecordEvent(const model::k8s::Object& involved, const std::string& type, const std::string& reason,
                   const std::string& message, const std::string& component) override {}

  // `<resource>[.<group>] "<name>" not found` as the fake client words it.
  static std::string NotFoundMessage(model::k8s::Kind kind, const std::string& name);

 private:
  std::map<std::tuple<int, std::string, std::string>, k8s::ObjectPtr> objects_;
};

}  // namespace sim::conformance
