#pragma once
// The Kubernetes API as the controller and the scenario runner see it. The controller includes
// this header only, never the fake (STYLE.md §1).
//
// Objects are immutable snapshots (std::shared_ptr<const T>). To write, clone, edit, and pass the
// edited copy back. Errors carry the API server's exact message (k8s-semantics.md §1.3) and the
// reason in Error::aws_code ("NotFound", "AlreadyExists", "Conflict", "Invalid", "Forbidden").

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/k8s/objects.h"
#include "sim/base/status.h"

namespace sim::k8s {

using model::k8s::Kind;
using model::k8s::Object;
using model::k8s::ObjectPtr;

enum class WatchEventType { kAdded, kModified, kDeleted };

struct WatchEvent {
  WatchEventType type;
  ObjectPtr object;      // new state; for kDeleted the last stored state
  ObjectPtr old_object;  // previous state for kModified, else null
};

// Whether `labels` holds every (key, value) pair of `selector`.
inline bool LabelsMatch(const std::map<std::string, std::string>& labels,
                        const std::map<std::string, std::string>& selector) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

class KubeApi {
 public:
  virtual ~KubeApi() = default;

  // Success: the stored object. kNotFound (reason NotFound) with `<gr> "<name>" not found`.
  virtual Result<ObjectPtr> Get(Kind kind, const std::string& ns, const std::string& name) const = 0;
  // Every object of `kind` in namespace `ns` ("" = all namespaces), sorted by namespace then name.
  virtual std::vector<ObjectPtr> List(Kind kind, const std::string& ns = "") const = 0;
  // The same, only the objects whose labels hold every pair of `labels` (an equality label
  // selector, as controller-runtime's client.MatchingLabels). This default filters List.
  virtual std::vector<ObjectPtr> ListMatchingLabels(Kind kind, const std::string& ns,
                                                    const std::map<std::string, std::string>& labels) const {
    std::vector<ObjectPtr> out;
    for (ObjectPtr& obj : List(kind, ns)) {
      if (LabelsMatch(obj->metadata.labels, labels)) out.push_back(std::move(obj));
    }
    return out;
  }

  // Create: defaulting, admission, validation, allocation; sets uid, resourceVersion, generation,
  // creationTimestamp. Errors: kAlreadyExists, kInvalidArgument ("Invalid", 422 text), kNotFound
  // (namespace), kPermissionDenied ("Forbidden").
  virtual Result<ObjectPtr> Create(const Object& obj) = 0;
  // Update (PUT) of the main resource; status is kept from the stored object. A non-empty
  // resourceVersion that differs from the stored one → kConflict. A no-op write returns the stored
  // object without bumping resourceVersion or sending a watch event. Removing the last finalizer
  // of a deleting object deletes it.
  virtual Result<ObjectPtr> Update(const Object& obj) = 0;
  // Update of the /status subresource: only the status of `obj` is taken.
  virtual Result<ObjectPtr> UpdateStatus(const Object& obj) = 0;
  // DELETE: objects without finalizers go now; with finalizers only deletionTimestamp is set.
  virtual Status Delete(Kind kind, const std::string& ns, const std::string& name) = 0;

  // Watch every write of `kind` from now on. Callbacks run synchronously inside the write, after it
  // is stored: a handler must only record or enqueue work, never write back.
  using WatchFn = std::function<void(const WatchEvent&)>;
  using WatchId = uint64_t;
  virtual WatchId Watch(Kind kind, WatchFn fn) = 0;
  virtual void Unwatch(WatchId id) = 0;

  // Records an Event about `involved` (client-go EventRecorder: dedup by source, object, type,
  // reason and message → count+1). `type` is "Normal" or "Warning".
  virtual void RecordEvent(const Object& involved, const std::string& type, const std::string& reason,
                           const std::string& message, const std::string& component) = 0;
};

// Typed helpers over KubeApi.
template <typename T>
Result<std::shared_ptr<const T>> Get(const KubeApi& api, const std::string& ns, const std::string& name) {
  auto r = api.Get(T::kKind, ns, name);
  if (!r.ok()) return r.error();
  return model::k8s::As<T>(r.value());
}

template <typename T>
std::vector<std::shared_ptr<const T>> List(const KubeApi& api, const std::string& ns = "") {
  std::vector<std::shared_ptr<const T>> out;
  for (auto& obj : api.List(T::kKind, ns)) out.push_back(model::k8s::As<T>(obj));
  return out;
}

template <typename T>
std::vector<std::shared_ptr<const T>> ListMatchingLabels(const KubeApi& api, const std::string& ns,
                                                         const std::map<std::string, std::string>& labels) {
  std::vector<std::shared_ptr<const T>> out;
  for (auto& obj : api.ListMatchingLabels(T::kKind, ns, labels)) out.push_back(model::k8s::As<T>(obj));
  return out;
}

template <typename T>
std::shared_ptr<T> MutableCopy(const std::shared_ptr<const T>& obj) {
  return std::make_shared<T>(*obj);
}

inline bool IsNotFound(const Error& e) { return e.code == ErrorCode::kNotFound; }

}  // namespace sim::k8s
