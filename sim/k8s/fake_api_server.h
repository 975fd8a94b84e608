#pragma once
// In-memory Kubernetes API server (k8s-semantics.md §1-§3, §4.6, §5): one object store per kind,
// one cluster-wide resourceVersion counter, uid/generation/creationTimestamp, defaulting, built-in
// admission (DefaultIngressClass, ServiceAccount, DefaultTolerationSeconds, NamespaceLifecycle),
// registered webhooks, validation with the exact upstream texts, Service IP/NodePort allocation,
// finalizers + deletionTimestamp, garbage collection by ownerReferences, namespace deletion,
// synchronous watches and the client-go event recorder (dedup, aggregation, spam filter).
//
// Twin stand-ins where the real system is random (documented choices, k8s-semantics.md §7):
//  * uid = UUID-formatted counter "00000000-0000-4000-8000-00000000000N";
//  * generateName suffix = 5 chars drawn from the seeded Rng over "bcdfghjklmnpqrstvwxz2456789";
//  * clusterIP = lowest free address of the dynamic band: for 10.100.0.0/16 the band starts at
//    10.100.1.1 (upstream ipallocator offset min(max(16, size/16), 256) = 256); 10.100.0.1 (kubernetes)
//    and 10.100.0.10 (kube-dns) are reserved; the static band below is used only when the dynamic
//    band is full or an address is requested explicitly;
//  * nodePort = lowest free port from 30086 (30000 + upstream offset 86), then 30000-30085;
//  * garbage collection and namespace cleanup run synchronously inside the DELETE that triggers them.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/base/clock.h"
#include "sim/base/rng.h"
#include "sim/k8s/client_api.h"

namespace sim::k8s {

// Copies the status part of `from` into `to` (same kind): what an UpdateStatus takes from its request.
void CopyStatus(const Object& from, Object& to);

enum class AdmissionOperation { kCreate, kUpdate, kDelete };

// What an admission hook (built-in plugin stand-in or webhook) sees.
struct AdmissionRequest {
  AdmissionOperation operation = AdmissionOperation::kCreate;
  Object* object = nullptr;            // the object being written; mutating hooks may edit it; null on delete
  const Object* old_object = nullptr;  // stored object on update/delete, else null
  bool status_subresource = false;     // true for UpdateStatus
};
// A hook returns OK to admit. An error denies the request: the server answers
//   `admission webhook "<name>" denied the request: <error.message>` with the error's code/reason,
// except that an error with code kInternal is passed through unchanged (failurePolicy=Fail
// "failed calling webhook ..." texts).
using AdmissionHook = std::function<Status(AdmissionRequest&)>;

enum class PropagationPolicy { kBackground, kForeground, kOrphan };

struct DeleteOptions {
  PropagationPolicy propagation = PropagationPolicy::kBackground;
  // Pods only: overrides spec.terminationGracePeriodSeconds (0 = remove now).
  std::optional<int64_t> grace_period_seconds;
  // Precondition (optimistic lock): non-empty and different from the stored RV → kConflict.
  std::string resource_version;
};

struct FakeApiServerOptions {
  uint64_t seed = 1;
  std::string service_cidr = "10.100.0.0/16";  // EKS default; 172.20.0.0/16 when the VPC is 10/8
  int node_port_min = 30000;
  int node_port_max = 32767;
  // client-go recorder spam filter (per source+object token bucket: burst 25, one token per 5 minutes).
  bool event_spam_filter = true;
};

class FakeApiServer final : public KubeApi {
 public:
  explicit FakeApiServer(const Clock& clock, FakeApiServerOptions options = {});
  ~FakeApiServer() override;
  FakeApiServer(const FakeApiServer&) = delete;
  FakeApiServer& operator=(const FakeApiServer&) = delete;

  // KubeApi
  Result<ObjectPtr> Get(Kind kind, const std::string& ns, const std::string& name) const override;
  std::vector<ObjectPtr> List(Kind kind, const std::string& ns = "") const override;
  // Answered from a (key, value) index of the kind's labels, built at the first such call for the
  // kind and kept up to date by every write after it.
  std::vector<ObjectPtr> ListMatchingLabels(Kind kind, const std::string& ns,
                                            const std::map<std::string, std::string>& labels) const override;
  Result<ObjectPtr> Create(const Object& obj) override;
  // Create without copying the request: the server takes `obj` as its own (admission, defaulting
  // and the stored version are made on it), so the caller must not use it afterwards. Same
  // answers as Create(*obj).
  Result<ObjectPtr> Create(std::shared_ptr<Object>&& obj);
  // UpdateStatus without copying the request's status: the server takes `obj` as its own (the
  // caller must not use it afterwards). Same answers as UpdateStatus(*obj).
  Result<ObjectPtr> UpdateStatus(std::shared_ptr<Object>&& obj);
  Result<ObjectPtr> Update(const Object& obj) override;
  Result<ObjectPtr> UpdateStatus(const Object& obj) override;
  Status Delete(Kind kind, const std::string& ns, const std::string& name) override;
  WatchId Watch(Kind kind, WatchFn fn) override;
  void Unwatch(WatchId id) override;
  void RecordEvent(const Object& involved, const std::string& type, const std::string& reason,
                   const std::string& message, const std::string& component) override;

  // DELETE with options (propagation policy, pod grace period, RV precondition).
  Status DeleteWithOptions(Kind kind, const std::string& ns, const std::string& name, const DeleteOptions& opts);

  // `kubectl apply` stand-in: creates the object if absent; otherwise replaces what the manifest
  // manages (spec, labels/annotations it sets or set last time) and keeps server-set fields
  // (uid, resourceVersion, status, finalizers/ownerReferences when the manifest has none, Service
  // clusterIP/nodePorts when the manifest leaves them empty). Same errors as Create/Update.
  Result<ObjectPtr> Apply(const Object& obj);

  // pods/binding subresource (scheduler): sets spec.nodeName once. kConflict if already bound.
  Result<ObjectPtr> BindPod(const std::string& ns, const std::string& name, const std::string& node_name);
  // Removes a pod now (kubelet after termination, grace 0), regardless of its grace deadline.
  // Finalizers still apply. kNotFound when absent.
  Status RemovePodNow(const std::string& ns, const std::string& name);

  // Every stored object, ordered by Kind (enum order), then namespace, then name.
  std::vector<ObjectPtr> ListAll() const;
  // Events about one object (matched by kind, namespace, name, and uid when `uid` is non-empty),
  // sorted by lastTimestamp then name.
  std::vector<std::shared_ptr<const model::k8s::Event>> EventsFor(Kind kind, const std::string& ns,
                                                                   const std::string& name,
                                                                   const std::string& uid = "") const;
  size_t Count(Kind kind) const;
  // Current value of the cluster-wide resourceVersion counter (a List's metadata.resourceVersion).
  int64_t resource_version() const;
  // How many uids the server has issued (IssuedUid(1) .. IssuedUid(n), uid_index.h).
  uint64_t IssuedUidsForSim() const;
  // Warnings of the last successful write (kubectl prints `Warning: <text>`), e.g. the deprecated
  // ingress.class annotation. Cleared at the start of every write.
  const std::vector<std::string>& last_warnings() const;

  // Admission hooks run after the built-in mutating plugins (mutating) or after validation
  // (validating), in registration order, for the given kind and operations.
  void AddMutatingHook(const std::string& name, Kind kind, std::vector<AdmissionOperation> ops, AdmissionHook hook);
  void AddValidatingHook(const std::string& name, Kind kind, std::vector<AdmissionOperation> ops, AdmissionHook hook);
  void RemoveHook(const std::string& name);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Renders an API error the way kubectl prints it: `Error from server (NotFound): <message>`; for
// Invalid errors `The Ingress "web" is invalid: <field>: <body>` or the multi-line `* field: body` form.
std::string KubectlErrorText(const Error& error);

}  // namespace sim::k8s
