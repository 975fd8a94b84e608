// In-memory Kubernetes API server. Mirrors the behaviour of upstream
// apiserver/pkg/registry/generic/registry/store.go (create/update/delete, finalizers, no-op writes),
// apiserver/pkg/storage/etcd3 (one revision counter), k8s pkg/registry/*/strategy.go (defaulting,
// generation, status subresources), pkg/registry/core/service (IP and NodePort allocation),
// plugin/pkg/admission (DefaultIngressClass, ServiceAccount, DefaultTolerationSeconds,
// NamespaceLifecycle), pkg/controller/garbagecollector and namespace deletion, and
// client-go/tools/record (event correlator: aggregation, dedup, spam filter).

#include "sim/k8s/fake_api_server.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <deque>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>

#include "sim/base/check.h"
#include "sim/base/crypto.h"
#include "sim/k8s/codec.h"
#include "sim/k8s/ipv4.h"
#include "sim/k8s/lru_cache.h"
#include "sim/k8s/pair_key_index.h"
#include "sim/k8s/uid_index.h"
#include "sim/k8s/validation.h"

namespace sim::k8s {

using namespace model::k8s;  // NOLINT

namespace {

constexpr size_t kNumKinds = static_cast<size_t>(Kind::kTargetGroupBinding) + 1;
constexpr const char* kNameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
constexpr int64_t kEventTtlMs = 3600 * 1000;
const std::string kDefaultNamespace = "default";

using StoreKey = std::pair<std::string, std::string>;  // namespace, name
using StoreKeyView = std::pair<std::string_view, std::string_view>;
// Orders keys exactly as std::less<StoreKey> does, and finds a key by views (no string copies).
struct StoreKeyLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    const int c = std::string_view(a.first).compare(std::string_view(b.first));
    if (c != 0) return c < 0;
    return std::string_view(a.second) < std::string_view(b.second);
  }
};
using ObjectStore = std::map<StoreKey, ObjectPtr, StoreKeyLess>;
struct StoreKeyViewHash {
  size_t operator()(const StoreKeyView& k) const {
    const size_t h = std::hash<std::string_view>()(k.first);
    return h ^ (std::hash<std::string_view>()(k.second) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  }
};
// Hash index over one ObjectStore: (namespace, name) -> the map entry (sim/k8s/pair_key_index.h).
using StoreIndex = PairKeyIndex<ObjectStore, StoreKeyViewHash>;
using ObjRef = std::tuple<int, std::string, std::string>;  // kind, namespace, name

size_t Idx(Kind k) { return static_cast<size_t>(k); }

Error NotFoundError(Kind kind, const std::string& name) {
  return MakeError(ErrorCode::kNotFound, std::string(KindGroupResource(kind)) + " \"" + name + "\" not found", "NotFound");
}
Error ConflictError(Kind kind, const std::string& name) {
  return MakeError(ErrorCode::kConflict,
                   std::string("Operation cannot be fulfilled on ") + KindGroupResource(kind) + " \"" + name +
                       "\": the object has been modified; please apply your changes to the latest version and try again",
                   "Conflict");
}
Error InvalidError(Kind kind, const std::string& name, const FieldErrors& errs) {
  return MakeError(ErrorCode::kInvalidArgument, InvalidMessage(kind, name, errs), "Invalid");
}
Error ForbiddenError(Kind kind, const std::string& name, const std::string& why) {
  return MakeError(ErrorCode::kPermissionDenied,
                   std::string(KindGroupResource(kind)) + " \"" + name + "\" is forbidden: " + why, "Forbidden");
}

bool IsCustomResource(Kind k) { return k == Kind::kIngressClassParams || k == Kind::kTargetGroupBinding; }

bool HasStatus(Kind k) {
  switch (k) {
    case Kind::kNamespace:
    case Kind::kNode:
    case Kind::kPod:
    case Kind::kService:
    case Kind::kDeployment:
    case Kind::kReplicaSet:
    case Kind::kIngress:
    case Kind::kTargetGroupBinding:
      return true;
    default:
      return false;
  }
}


// The status fields of the kinds whose status is only plain fields that the codec encodes
// one-to-one: CopyStatus copies them, SameStatus compares them (one list for both).
template <typename P>
  requires std::is_same_v<std::remove_const_t<P>, Pod>
auto StatusTie(P& p) {
  return std::tie(p.phase, p.pod_ip, p.host_ip, p.conditions, p.start_time);
}
template <typename R>
  requires std::is_same_v<std::remove_const_t<R>, ReplicaSet>
auto StatusTie(R& rs) {
  return std::tie(rs.status_replicas, rs.ready_replicas, rs.available_replicas);
}
template <typename D>
  requires std::is_same_v<std::remove_const_t<D>, Deployment>
auto StatusTie(D& d) {
  return std::tie(d.observed_generation, d.status_replicas, d.ready_replicas, d.available_replicas,
                  d.updated_replicas);
}

// For two objects of one kind: whether their status fingerprints (EncodeStatusFingerprint) are equal,
// decided field by field for the kinds of StatusTie; nullopt for other kinds.
std::optional<bool> SameStatus(const Object& a, const Object& b) {
  switch (a.kind()) {
    case Kind::kPod:
      return StatusTie(static_cast<const Pod&>(a)) == StatusTie(static_cast<const Pod&>(b));
    case Kind::kReplicaSet:
      return StatusTie(static_cast<const ReplicaSet&>(a)) == StatusTie(static_cast<const ReplicaSet&>(b));
    case Kind::kDeployment:
      return StatusTie(static_cast<const Deployment&>(a)) == StatusTie(static_cast<const Deployment&>(b));
    default:
      return std::nullopt;
  }
}

// Status as a fresh object of that kind has it (create resets status, except for Nodes).
void ResetStatus(Object& obj) {
  if (!HasStatus(obj.kind()) || obj.kind() == Kind::kNode || obj.kind() == Kind::kNamespace) return;
  std::shared_ptr<Object> fresh;
  switch (obj.kind()) {
    case Kind::kPod: fresh = std::make_shared<Pod>(); break;
    case Kind::kService: return;
    case Kind::kDeployment: fresh = std::make_shared<Deployment>(); break;
    case Kind::kReplicaSet: fresh = std::make_shared<ReplicaSet>(); break;
    case Kind::kIngress: fresh = std::make_shared<Ingress>(); break;
    case Kind::kTargetGroupBinding: fresh = std::make_shared<TargetGroupBinding>(); break;
    default: return;
  }
  CopyStatus(*fresh, obj);
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Pod/template defaults (k8s pkg/apis/core/v1/defaults.go).
void DefaultPodSpec(PodSpec& s) {
  if (s.restart_policy.empty()) s.restart_policy = "Always";
  if (!s.termination_grace_period_seconds) s.termination_grace_period_seconds = 30;
  if (s.scheduler_name.empty()) s.scheduler_name = "default-scheduler";
  for (Container& c : s.containers) {
    for (ContainerPort& p : c.ports) {
      if (p.protocol.empty()) p.protocol = "TCP";
    }
    if (c.readiness_probe && c.readiness_probe->http_get) {
      if (c.readiness_probe->http_get->path.empty()) c.readiness_probe->http_get->path = "/";
      if (c.readiness_probe->http_get->scheme.empty()) c.readiness_probe->http_get->scheme = "HTTP";
    }
  }
  for (Toleration& t : s.tolerations) {
    if (t.op.empty()) t.op = "Equal";
  }
}

void Default(Object& obj) {
  switch (obj.kind()) {
    case Kind::kService: {
      auto& s = static_cast<Service&>(obj);
      if (s.type.empty()) s.type = "ClusterIP";
      if (s.session_affinity.empty()) s.session_affinity = "None";
      for (ServicePort& p : s.ports) {
        if (p.protocol.empty()) p.protocol = "TCP";
        if ((!p.target_port.is_string && p.target_port.int_val == 0) || (p.target_port.is_string && p.target_port.str_val.empty())) {
          p.target_port = IntOrString::Int(p.port);
        }
      }
      if ((s.type == "NodePort" || s.type == "LoadBalancer") && s.external_traffic_policy.empty()) {
        s.external_traffic_policy = "Cluster";
      }
      if (s.type != "ExternalName" && s.internal_traffic_policy.empty()) s.internal_traffic_policy = "Cluster";
      break;
    }
    case Kind::kPod:
      DefaultPodSpec(static_cast<Pod&>(obj).spec);
      break;
    case Kind::kDeployment: {
      auto& d = static_cast<Deployment&>(obj);
      if (d.strategy.type.empty()) d.strategy.type = "RollingUpdate";
      DefaultPodSpec(d.template_.spec);
      break;
    }
    case Kind::kReplicaSet:
      DefaultPodSpec(static_cast<ReplicaSet&>(obj).template_.spec);
      break;
    case Kind::kNamespace: {
      auto& n = static_cast<Namespace&>(obj);
      n.metadata.labels["kubernetes.io/metadata.name"] = n.metadata.name;
      if (n.spec_finalizers.empty()) n.spec_finalizers = {"kubernetes"};
      if (n.phase.empty()) n.phase = "Active";
      break;
    }
    case Kind::kIngressClass: {
      auto& ic = static_cast<IngressClass&>(obj);
      if (ic.parameters && !ic.parameters->scope) ic.parameters->scope = "Cluster";
      break;
    }
    case Kind::kSecret: {
      auto& s = static_cast<Secret&>(obj);
      if (s.type.empty()) s.type = "Opaque";
      for (const auto& [k, v] : s.string_data) s.data[k] = Base64Encode(v);
      s.string_data.clear();
      break;
    }
    case Kind::kEndpointSlice:
      for (SlicePort& p : static_cast<EndpointSlice&>(obj).ports) {
        if (p.protocol.empty()) p.protocol = "TCP";
      }
      break;
    case Kind::kEndpoints:
      for (EndpointSubset& s : static_cast<Endpoints&>(obj).subsets) {
        for (EndpointPort& p : s.ports) {
          if (p.protocol.empty()) p.protocol = "TCP";
        }
      }
      break;
    default:
      break;
  }
}

// printf("%llx").
void AppendHex(uint64_t v, std::string* out) {
  char buf[16];
  size_t n = 0;
  do {
    buf[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v);
  while (n) out->push_back(buf[--n]);
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(' ');
  size_t e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

void CopyStatus(const Object& from, Object& to) {
  switch (from.kind()) {
    case Kind::kNamespace:
      static_cast<Namespace&>(to).phase = static_cast<const Namespace&>(from).phase;
      break;
    case Kind::kNode: {
      auto& t = static_cast<Node&>(to);
      const auto& f = static_cast<const Node&>(from);
      t.addresses = f.addresses;
      t.conditions = f.conditions;
      break;
    }
    case Kind::kPod:
      StatusTie(static_cast<Pod&>(to)) = StatusTie(static_cast<const Pod&>(from));
      break;
    case Kind::kDeployment:
      StatusTie(static_cast<Deployment&>(to)) = StatusTie(static_cast<const Deployment&>(from));
      break;
    case Kind::kReplicaSet:
      StatusTie(static_cast<ReplicaSet&>(to)) = StatusTie(static_cast<const ReplicaSet&>(from));
      break;
    case Kind::kIngress:
      static_cast<Ingress&>(to).status_ingress = static_cast<const Ingress&>(from).status_ingress;
      break;
    case Kind::kTargetGroupBinding:
      static_cast<TargetGroupBinding&>(to).observed_generation =
          static_cast<const TargetGroupBinding&>(from).observed_generation;
      break;
    default:
      break;
  }
}

// ------------------------------------------------------------------ Impl

struct FakeApiServer::Impl {
  Impl(const Clock& c, FakeApiServerOptions o) : clock(c), opts(std::move(o)), rng(opts.seed) {}

  const Clock& clock;
  FakeApiServerOptions opts;
  Rng rng;
  int64_t rv = 0;
  uint64_t uid_counter = 0;
  std::vector<std::string> warnings;
  std::array<ObjectStore, kNumKinds> stores;  // ordered (List, ListAll)
  std::array<StoreIndex, kNumKinds> store_index;  // the same entries, for lookups
  // Per kind, once ListMatchingLabels asked for it: (label key, value) -> the store entries whose
  // labels hold the pair, in store order (map iterators stay valid until their entry is erased).
  struct SlotLess {
    bool operator()(ObjectStore::const_iterator a, ObjectStore::const_iterator b) const {
      return StoreKeyLess()(a->first, b->first);
    }
  };
  using Slots = std::set<ObjectStore::const_iterator, SlotLess>;
  using LabelIndex = std::map<std::pair<std::string, std::string>, Slots>;
  std::array<std::optional<LabelIndex>, kNumKinds> label_index;
  void IndexLabels(Kind kind, ObjectStore::const_iterator slot, const std::map<std::string, std::string>& labels,
                   bool add) {
    auto& index = label_index[Idx(kind)];
    if (!index) return;
    for (const auto& kv : labels) {
      if (add) {
        (*index)[kv].insert(slot);
        continue;
      }
      auto it = index->find(kv);
      if (it == index->end()) continue;
      it->second.erase(slot);
      if (it->second.empty()) index->erase(it);
    }
  }

  // Fingerprints (codec.h) of stored objects, computed on first use: `full` without the
  // resourceVersion (what a no-op write is compared to), `spec` for the generation check.
  struct Fingerprints {
    std::string full, spec;  // empty = not computed yet (a fingerprint starts with the kind byte)
  };
  std::unordered_map<const Object*, Fingerprints> encoded;
  const std::string& Encoded(const ObjectPtr& obj) {
    Fingerprints& f = encoded[obj.get()];
    if (f.full.empty()) f.full = EncodeFingerprint(*obj, false);
    return f.full;
  }
  const std::string& SpecEncoded(const ObjectPtr& obj) {
    Fingerprints& f = encoded[obj.get()];
    if (f.spec.empty()) f.spec = EncodeSpecFingerprint(*obj);
    return f.spec;
  }

  // Indexes.
  // Live objects by uid: kind and the key of the object's entry in stores[kind] (map entries do not
  // move; Remove drops both together). Every uid here was issued by NextUid (uid_index.h).
  struct UidEntry {
    Kind kind;
    const StoreKey* key;
  };
  UidIndex<UidEntry> by_uid;
  std::unordered_map<std::string, std::set<ObjRef>> dependents;  // owner uid → dependents
  std::map<std::string, int> ns_object_count;                     // namespaced objects per namespace

  // Watches and hooks.
  struct Watcher {
    WatchId id;
    WatchFn fn;
  };
  // Per kind, in registration order. Copy-on-write: a write notifies the list as it was when the
  // write started, even if a handler (un)registers watches meanwhile.
  using WatcherList = std::vector<std::shared_ptr<const Watcher>>;
  std::array<std::shared_ptr<const WatcherList>, kNumKinds> watchers;
  WatchId next_watch = 1;
  struct Hook {
    std::string name;
    Kind kind;
    std::vector<AdmissionOperation> ops;
    AdmissionHook fn;
    bool mutating;
  };
  std::vector<std::shared_ptr<const Hook>> hooks;
  int admitting = 0;  // RunHooks calls under way (nested when a hook writes)

  // Service allocation.
  uint32_t svc_base = 0;
  uint32_t svc_size = 0;
  uint32_t svc_dynamic_offset = 0;
  std::set<uint32_t> used_ips;  // change only through UseIp / ReleaseIp (they keep free_from)
  // No IP in [range start, free_from) is free: allocation scans from there, so allocating N
  // Services costs O(N) in all, not O(N^2). Per range: dynamic part first, then the static one.
  uint32_t dyn_free_from = 0, static_free_from = 0;
  void UseIp(uint32_t ip) { used_ips.insert(ip); }
  void ReleaseIp(uint32_t ip) {
    if (used_ips.erase(ip) == 0) return;
    dyn_free_from = std::min(dyn_free_from, ip);
    static_free_from = std::min(static_free_from, ip);
  }
  std::set<int> used_node_ports;
  // Every port of the dynamic (static) part of the node-port range below this is in use: the
  // lowest-free scan starts here (lowered again when a port is released).
  int dyn_port_free_from = 0, static_port_free_from = 0;
  void ReleaseNodePort(int port) {
    if (used_node_ports.erase(port) == 0) return;
    dyn_port_free_from = std::min(dyn_port_free_from, port);
    static_port_free_from = std::min(static_port_free_from, port);
  }

  // kubectl apply bookkeeping: keys the last applied manifest set.
  struct Applied {
    std::set<std::string> labels, annotations;
    bool ingress_class_name = false;
  };
  std::map<ObjRef, Applied> applied;

  // Event correlator (client-go tools/record EventCorrelator), one per recording component: an
  // aggregator, an observation logger and a spam filter, each an LRU cache of
  // kEventCorrelatorCacheEntries (client-go's maxLruCacheEntries) keyed by a string that starts with
  // the source and the involved object. Past that many keys the least recently used one is
  // forgotten, as client-go forgets it: a later event for it starts a new Event (count 1).
  static constexpr size_t kEventCorrelatorCacheEntries = 4096;
  struct EventObservation {
    int32_t count = 0;
    std::string ns, name, first_timestamp;
  };
  struct AggregateRecord {
    std::set<std::string> local_keys;
    SimTime last{0};
  };
  struct Bucket {
    double tokens = 25;
    SimTime last{0};
  };
  struct SpamRecord {
    bool has_bucket = false;
    Bucket bucket;
  };
  struct EventCorrelator {
    // source + object + type + reason
    LruCache<AggregateRecord> aggregates{kEventCorrelatorCacheEntries};
    // that + message, or the aggregate key for the combined event
    LruCache<EventObservation> observations{kEventCorrelatorCacheEntries};
    LruCache<SpamRecord> spam{kEventCorrelatorCacheEntries};  // source + object
  };
  std::unordered_map<std::string, EventCorrelator> event_correlators;  // by component
  // Expiry of Event writes (write time + TTL), ordered by time then write order (appended while
  // the clock only moves forward). The entry of the event's current version (its resource version)
  // removes it; entries of earlier writes are dropped.
  struct EventExpiry {
    SimTime at;
    StoreKey key;
    uint64_t resource_version = 0;  // of that write
  };
  std::deque<EventExpiry> event_expiry;
  // Event names: the last object/instant named and the next candidate (valid while no Event was
  // removed, so that every candidate before it is still taken).
  uint64_t event_removals = 0;
  struct NameHint {
    std::string ns, name;
    int64_t base_nanos = 0;
    int64_t next_nanos = 0;
    uint64_t removals = 0;
  };
  NameHint event_name_hint{"", "", -1, 0, 0};

  // ---------------------------------------------------------------- basics

  // FormatRfc3339 of the current time, formatted once per instant.
  const std::string& Now() const { return now_text.Get(); }
  Rfc3339Now now_text{clock};

  // printf("00000000-0000-4000-8000-%012llx", ++uid_counter): by_uid keeps issued uids by counter.
  std::string NextUid() { return IssuedUid(++uid_counter); }

  ObjectPtr Find(Kind kind, std::string_view ns, std::string_view name) const {
    const auto* it = store_index[Idx(kind)].find(StoreKeyView{KindIsNamespaced(kind) ? ns : std::string_view(), name});
    return it == nullptr ? nullptr : (*it)->second;
  }

  static std::string_view NormalizeNsView(Kind kind, const std::string& ns) {
    if (!KindIsNamespaced(kind)) return {};
    return ns.empty() ? std::string_view("default") : std::string_view(ns);
  }
  std::string NormalizeNs(Kind kind, const std::string& ns) const { return std::string(NormalizeNsView(kind, ns)); }

  void Notify(Kind kind, WatchEventType type, const ObjectPtr& obj, const ObjectPtr& old) {
    const std::shared_ptr<const WatcherList> list = watchers[Idx(kind)];
    if (!list) return;
    WatchEvent ev{type, obj, old};
    for (const auto& w : *list) w->fn(ev);
  }

  void IndexOwners(const Object& obj, bool add) {
    if (obj.metadata.owner_references.empty()) return;
    ObjRef ref{static_cast<int>(obj.kind()), obj.metadata.namespace_, obj.metadata.name};
    for (const OwnerReference& o : obj.metadata.owner_references) {
      if (add) {
        dependents[o.uid].insert(ref);
      } else {
        auto it = dependents.find(o.uid);
        if (it != dependents.end()) {
          it->second.erase(ref);
          if (it->second.empty()) dependents.erase(it);
        }
      }
    }
  }

  // Persists `obj` (new RV) and notifies watchers.
  ObjectPtr Store(std::shared_ptr<Object> obj, const ObjectPtr& old) {
    obj->metadata.resource_version = std::to_string(++rv);
    ObjectPtr stored = obj;
    const Kind kind = obj->kind();
    ObjectStore& store = stores[Idx(kind)];
    StoreIndex& index = store_index[Idx(kind)];
    ObjectStore::iterator slot;
    if (const auto* indexed = index.find(StoreKeyView{obj->metadata.namespace_, obj->metadata.name})) {
      slot = *indexed;
      if (label_index[Idx(kind)] && slot->second->metadata.labels != obj->metadata.labels) {
        IndexLabels(kind, slot, slot->second->metadata.labels, false);
        IndexLabels(kind, slot, obj->metadata.labels, true);
      }
      slot->second = stored;
    } else {
      slot = store.emplace(StoreKey{obj->metadata.namespace_, obj->metadata.name}, stored).first;
      index.insert(slot);
      IndexLabels(kind, slot, obj->metadata.labels, true);
    }
    // Same owners before and after: removing and re-adding the dependents entries is a no-op.
    const bool same_owners = old && old->metadata.owner_references == obj->metadata.owner_references;
    if (old) {
      encoded.erase(old.get());
      if (!same_owners) IndexOwners(*old, false);
    } else {
      by_uid.Set(obj->metadata.uid, UidEntry{kind, &slot->first}, uid_counter);
      if (KindIsNamespaced(kind)) ++ns_object_count[obj->metadata.namespace_];
    }
    if (!same_owners) IndexOwners(*obj, true);
    if (kind == Kind::kEvent) {
      const SimTime expiry = clock.Now() + SimTime(kEventTtlMs);
      EventExpiry entry{expiry, StoreKey{obj->metadata.namespace_, obj->metadata.name}, static_cast<uint64_t>(rv)};
      if (event_expiry.empty() || event_expiry.back().at <= expiry) {
        event_expiry.push_back(std::move(entry));
      } else {  // the clock went back: keep the queue ordered by time, then write order
        auto pos = std::upper_bound(event_expiry.begin(), event_expiry.end(), expiry,
                                    [](SimTime t, const EventExpiry& e) { return t < e.at; });
        event_expiry.insert(pos, std::move(entry));
      }
    }
    Notify(kind, old ? WatchEventType::kModified : WatchEventType::kAdded, stored, old);
    return stored;
  }

  // Removes `obj` now: one DELETED event carrying the last state, then garbage collection.
  void Remove(const ObjectPtr& obj) {
    const Kind kind = obj->kind();
    const std::string ns = obj->metadata.namespace_;
    const std::string name = obj->metadata.name;
    const std::string uid = obj->metadata.uid;
    if (const auto indexed = store_index[Idx(kind)].erase(StoreKeyView{ns, name})) {
      const auto stored_it = *indexed;
      encoded.erase(stored_it->second.get());
      if (kind == Kind::kEvent) {
        ++event_removals;
      }
      // by_uid points into this entry (callers pass the stored version, so the uids are equal).
      if (stored_it->second->metadata.uid != uid) by_uid.Erase(stored_it->second->metadata.uid);
      IndexLabels(kind, stored_it, stored_it->second->metadata.labels, false);
      stores[Idx(kind)].erase(stored_it);
    }
    by_uid.Erase(uid);
    IndexOwners(*obj, false);
    if (kind == Kind::kService) ReleaseService(static_cast<const Service&>(*obj));
    applied.erase(ObjRef{static_cast<int>(kind), ns, name});
    auto last = obj->Clone();
    last->metadata.resource_version = std::to_string(++rv);
    Notify(kind, WatchEventType::kDeleted, last, nullptr);
    if (KindIsNamespaced(kind)) {
      if (--ns_object_count[ns] == 0) ns_object_count.erase(ns);
    }
    CollectDependents(uid);
    ReleaseForegroundOwners(*obj);
    if (KindIsNamespaced(kind)) MaybeFinishNamespace(ns);
  }

  // ---------------------------------------------------------------- garbage collection

  bool OwnerAlive(const OwnerReference& ref) const { return by_uid.Contains(ref.uid); }

  void CollectDependents(const std::string& owner_uid) {
    auto it = dependents.find(owner_uid);
    if (it == dependents.end()) return;
    std::set<ObjRef> deps = it->second;
    for (const ObjRef& ref : deps) {
      ObjectPtr dep = Find(static_cast<Kind>(std::get<0>(ref)), std::get<1>(ref), std::get<2>(ref));
      if (!dep) continue;
      bool any_alive = false;
      for (const OwnerReference& o : dep->metadata.owner_references) any_alive = any_alive || OwnerAlive(o);
      if (any_alive) {
        auto copy = dep->Clone();
        auto& refs = copy->metadata.owner_references;
        refs.erase(std::remove_if(refs.begin(), refs.end(), [&](const OwnerReference& o) { return !OwnerAlive(o); }),
                   refs.end());
        Store(copy, dep);
      } else {
        (void)DeleteObject(dep, DeleteOptions{});
      }
    }
  }

  void ReleaseForegroundOwners(const Object& dep) {
    for (const OwnerReference& o : dep.metadata.owner_references) {
      const UidEntry* entry = by_uid.Find(o.uid);
      if (entry == nullptr) continue;
      ObjectPtr owner = Find(entry->kind, entry->key->first, entry->key->second);
      if (!owner || !owner->metadata.deletion_timestamp || !Contains(owner->metadata.finalizers, "foregroundDeletion")) {
        continue;
      }
      if (HasBlockingDependents(owner->metadata.uid)) continue;
      auto copy = owner->Clone();
      auto& f = copy->metadata.finalizers;
      f.erase(std::remove(f.begin(), f.end(), "foregroundDeletion"), f.end());
      if (f.empty()) {
        Remove(copy);
      } else {
        Store(copy, owner);
      }
    }
  }

  bool HasBlockingDependents(const std::string& uid) const {
    auto it = dependents.find(uid);
    if (it == dependents.end()) return false;
    for (const ObjRef& ref : it->second) {
      ObjectPtr dep = Find(static_cast<Kind>(std::get<0>(ref)), std::get<1>(ref), std::get<2>(ref));
      if (!dep) continue;
      for (const OwnerReference& o : dep->metadata.owner_references) {
        if (o.uid == uid && o.block_owner_deletion.value_or(false)) return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- namespaces

  std::shared_ptr<const Namespace> FindNamespace(const std::string& name) const {
    return As<Namespace>(Find(Kind::kNamespace, "", name));
  }

  void MaybeFinishNamespace(const std::string& ns) {
    auto nso = FindNamespace(ns);
    if (!nso || !nso->metadata.deletion_timestamp) return;
    if (ns_object_count.count(ns)) return;
    Remove(nso);
  }

  // ---------------------------------------------------------------- deletion

  Status DeleteObject(const ObjectPtr& obj, const DeleteOptions& opts) {
    const Kind kind = obj->kind();
    if (kind == Kind::kNamespace) return DeleteNamespace(obj);
    if (obj->metadata.deletion_timestamp) {
      // A second DELETE changes nothing, except a forced pod removal.
      if (kind == Kind::kPod && opts.grace_period_seconds && *opts.grace_period_seconds == 0 &&
          obj->metadata.finalizers.empty()) {
        Remove(obj);
      }
      return OkStatus();
    }
    if (opts.propagation == PropagationPolicy::kOrphan) {
      auto it = dependents.find(obj->metadata.uid);
      if (it != dependents.end()) {
        std::set<ObjRef> deps = it->second;
        for (const ObjRef& ref : deps) {
          ObjectPtr dep = Find(static_cast<Kind>(std::get<0>(ref)), std::get<1>(ref), std::get<2>(ref));
          if (!dep) continue;
          auto copy = dep->Clone();
          auto& refs = copy->metadata.owner_references;
          refs.erase(std::remove_if(refs.begin(), refs.end(),
                                    [&](const OwnerReference& o) { return o.uid == obj->metadata.uid; }),
                     refs.end());
          Store(copy, dep);
        }
      }
    }
    if (kind == Kind::kPod) {
      const auto& pod = static_cast<const Pod&>(*obj);
      int64_t grace = opts.grace_period_seconds.value_or(pod.spec.termination_grace_period_seconds.value_or(30));
      if (grace < 0) grace = 0;
      if (pod.spec.node_name.empty() || pod.phase == "Succeeded" || pod.phase == "Failed") grace = 0;
      if (grace > 0) {
        auto copy = obj->Clone();
        copy->metadata.deletion_timestamp = FormatRfc3339(clock.Now() + std::chrono::seconds(grace));
        copy->metadata.deletion_grace_period_seconds = grace;
        if (copy->metadata.generation > 0) ++copy->metadata.generation;
        Store(copy, obj);
        return OkStatus();
      }
    }
    const bool foreground = opts.propagation == PropagationPolicy::kForeground && HasBlockingDependentsOrAny(obj);
    if (obj->metadata.finalizers.empty() && !foreground) {
      Remove(obj);
      return OkStatus();
    }
    auto copy = obj->Clone();
    copy->metadata.deletion_timestamp = Now();
    copy->metadata.deletion_grace_period_seconds = 0;
    if (copy->metadata.generation > 0) ++copy->metadata.generation;
    if (foreground) copy->metadata.finalizers.push_back("foregroundDeletion");
    ObjectPtr stored = Store(copy, obj);
    if (foreground) {
      auto it = dependents.find(stored->metadata.uid);
      if (it != dependents.end()) {
        std::set<ObjRef> deps = it->second;
        for (const ObjRef& ref : deps) {
          ObjectPtr dep = Find(static_cast<Kind>(std::get<0>(ref)), std::get<1>(ref), std::get<2>(ref));
          if (dep) (void)DeleteObject(dep, DeleteOptions{PropagationPolicy::kForeground});
        }
      }
      ObjectPtr cur = Find(kind, stored->metadata.namespace_, stored->metadata.name);
      if (cur && cur->metadata.uid == stored->metadata.uid && !HasBlockingDependents(cur->metadata.uid)) {
        ReleaseForegroundOwnersOf(cur);
      }
    }
    return OkStatus();
  }

  bool HasBlockingDependentsOrAny(const ObjectPtr& obj) const { return dependents.count(obj->metadata.uid) > 0; }

  void ReleaseForegroundOwnersOf(const ObjectPtr& owner) {
    auto copy = owner->Clone();
    auto& f = copy->metadata.finalizers;
    f.erase(std::remove(f.begin(), f.end(), "foregroundDeletion"), f.end());
    if (f.empty()) {
      Remove(copy);
    } else {
      Store(copy, owner);
    }
  }

  Status DeleteNamespace(const ObjectPtr& obj) {
    const std::string& name = obj->metadata.name;
    if (name == "default" || name == "kube-system" || name == "kube-public") {
      return ForbiddenError(Kind::kNamespace, name, "this namespace may not be deleted");
    }
    if (obj->metadata.deletion_timestamp) return OkStatus();
    auto copy = std::static_pointer_cast<Namespace>(obj->Clone());
    copy->metadata.deletion_timestamp = Now();
    copy->metadata.deletion_grace_period_seconds = 0;
    copy->phase = "Terminating";
    Store(copy, obj);
    // Namespace controller: delete every namespaced object.
    for (size_t k = 0; k < kNumKinds; ++k) {
      if (!KindIsNamespaced(static_cast<Kind>(k))) continue;
      std::vector<ObjectPtr> victims;
      const auto& store = stores[k];
      for (auto it = store.lower_bound(StoreKeyView{name, ""}); it != store.end() && it->first.first == name; ++it) {
        victims.push_back(it->second);
      }
      for (const ObjectPtr& v : victims) {
        ObjectPtr cur = Find(v->kind(), v->metadata.namespace_, v->metadata.name);
        if (cur && cur->metadata.uid == v->metadata.uid) (void)DeleteObject(cur, DeleteOptions{});
      }
    }
    MaybeFinishNamespace(name);
    return OkStatus();
  }

  // ---------------------------------------------------------------- Service allocation

  void InitServiceRange() {
    std::string cidr = opts.service_cidr;
    size_t slash = cidr.find('/');
    uint32_t base = 0;
    int prefix = 16;
    if (slash != std::string::npos && ParseIpv4(cidr.substr(0, slash), &base)) prefix = std::stoi(cidr.substr(slash + 1));
    if (prefix < 8 || prefix > 30) prefix = 16;
    svc_size = 1u << (32 - prefix);
    svc_base = base & ~(svc_size - 1);
    // ipallocator calculateRangeOffset: min 16, max 256, step 16.
    uint32_t offset = svc_size / 16;
    if (svc_size < 16) offset = 0;
    else if (offset < 16) offset = 16;
    else if (offset > 256) offset = 256;
    svc_dynamic_offset = offset;
    used_ips.clear();
    dyn_free_from = static_free_from = 0;
    UseIp(svc_base + 1);   // kubernetes
    UseIp(svc_base + 10);  // kube-dns
  }

  bool InServiceRange(uint32_t ip) const { return ip > svc_base && ip < svc_base + svc_size - 1; }

  // The lowest free IP of the dynamic part of the range, else of the static part (ipallocator).
  std::optional<uint32_t> AllocateIp() {
    auto scan = [&](uint32_t from, uint32_t to, uint32_t& free_from) -> std::optional<uint32_t> {
      auto it = used_ips.lower_bound(std::max(from, free_from));
      for (uint32_t ip = std::max(from, free_from); ip < to; ++ip, ++it) {
        if (it == used_ips.end() || *it != ip) {
          free_from = ip;
          return ip;
        }
      }
      free_from = to;
      return std::nullopt;
    };
    const uint32_t first = svc_base + 1;
    const uint32_t end = svc_base + svc_size - 1;
    if (auto ip = scan(first + svc_dynamic_offset, end, dyn_free_from)) return ip;
    return scan(first, first + svc_dynamic_offset, static_free_from);
  }

  int NodePortOffset() const {
    int size = opts.node_port_max - opts.node_port_min + 1;
    int offset = size / 32;
    if (offset < 16) offset = 16;
    if (offset > 128) offset = 128;
    return offset;
  }

  std::optional<int> AllocateNodePort(const std::set<int>& also_taken) {
    // The lowest port of [from, to] in neither set. `free_from` moves up over the ports in use only
    // (also_taken holds this request's own picks, not committed yet).
    auto scan = [&](int from, int to, int& free_from) -> std::optional<int> {
      int p = std::max(from, free_from);
      auto used = used_node_ports.lower_bound(p);
      bool all_used_below = true;
      for (; p <= to; ++p) {
        while (used != used_node_ports.end() && *used < p) ++used;
        if (used != used_node_ports.end() && *used == p) continue;
        if (all_used_below) free_from = p;
        all_used_below = false;
        if (!also_taken.count(p)) return p;
      }
      if (all_used_below) free_from = to + 1;
      return std::nullopt;
    };
    const int dyn = opts.node_port_min + NodePortOffset();
    if (auto p = scan(dyn, opts.node_port_max, dyn_port_free_from)) return p;
    return scan(opts.node_port_min, dyn - 1, static_port_free_from);
  }

  static bool NeedsNodePorts(const Service& s) { return s.type == "NodePort" || s.type == "LoadBalancer"; }
  static bool NeedsHealthCheck(const Service& s) {
    return s.type == "LoadBalancer" && s.external_traffic_policy == "Local";
  }
  static bool NeedsClusterIp(const Service& s) { return s.type != "ExternalName"; }

  void ReleaseService(const Service& s) {
    uint32_t ip;
    if (ParseIpv4(s.cluster_ip, &ip)) ReleaseIp(ip);
    for (const ServicePort& p : s.ports) {
      if (p.node_port) ReleaseNodePort(p.node_port);
    }
    if (s.health_check_node_port) ReleaseNodePort(s.health_check_node_port);
  }

  // upstream patchAllocatedValues + dropTypeDependentFields.
  void PatchServiceFromOld(Service& s, const Service& old) {
    if (NeedsClusterIp(old) && NeedsClusterIp(s) && s.cluster_ip.empty()) {
      s.cluster_ip = old.cluster_ip;
      if (s.cluster_ips.empty()) s.cluster_ips = old.cluster_ips;
    }
    if (NeedsNodePorts(old) && NeedsNodePorts(s)) {
      std::set<int32_t> used_new;
      for (const ServicePort& p : s.ports) {
        if (p.node_port) used_new.insert(p.node_port);
      }
      std::map<std::string, int32_t> by_name;
      for (const ServicePort& p : old.ports) by_name[p.name] = p.node_port;
      for (ServicePort& p : s.ports) {
        if (p.node_port == 0) {
          auto it = by_name.find(p.name);
          if (it != by_name.end() && !used_new.count(it->second)) p.node_port = it->second;
        }
      }
    }
    if (NeedsHealthCheck(old) && NeedsHealthCheck(s) && s.health_check_node_port == 0) {
      s.health_check_node_port = old.health_check_node_port;
    }
    // Type changed so that node ports are no longer needed: unchanged ports are cleared.
    if (!NeedsNodePorts(s)) {
      std::map<std::string, int32_t> old_ports;
      for (const ServicePort& p : old.ports) old_ports[p.name] = p.node_port;
      for (ServicePort& p : s.ports) {
        auto it = old_ports.find(p.name);
        if (p.node_port && it != old_ports.end() && it->second == p.node_port) p.node_port = 0;
      }
    }
    if (!NeedsHealthCheck(s) && s.health_check_node_port == old.health_check_node_port) s.health_check_node_port = 0;
    if (s.type == "ExternalName" && old.type != "ExternalName") {
      s.cluster_ip.clear();
      s.cluster_ips.clear();
      s.ip_families.clear();
      s.ip_family_policy.clear();
    }
  }

  // Allocates what `s` needs (old = previous state on update). On error nothing changes.
  Result<bool> AllocateService(Service& s, const Service* old) {
    FieldErrors errs;
    std::set<uint32_t> new_ips;
    std::set<int> new_ports;
    std::set<int> old_ports;
    uint32_t old_ip = 0;
    bool has_old_ip = false;
    if (old) {
      has_old_ip = ParseIpv4(old->cluster_ip, &old_ip);
      for (const ServicePort& p : old->ports) {
        if (p.node_port) old_ports.insert(p.node_port);
      }
      if (old->health_check_node_port) old_ports.insert(old->health_check_node_port);
    }
    const std::string range = std::to_string(opts.node_port_min) + "-" + std::to_string(opts.node_port_max);
    if (NeedsClusterIp(s)) {
      if (s.cluster_ip == "None") {
        s.cluster_ips = {"None"};
      } else if (!s.cluster_ip.empty()) {
        uint32_t ip;
        const bool same_as_old = has_old_ip && Ipv4ToString(old_ip) == s.cluster_ip;
        if (!same_as_old) {
          if (!ParseIpv4(s.cluster_ip, &ip)) {
            errs.push_back(Invalid("spec.clusterIPs[0]", GoQuote(s.cluster_ip), "must be a valid IP address"));
          } else if (!InServiceRange(ip)) {
            errs.push_back(Invalid("spec.clusterIPs[0]", GoQuote(s.cluster_ip),
                                   "failed to allocate IP " + s.cluster_ip +
                                       ": the provided IP (" + s.cluster_ip + ") is not in the valid range. The range of valid IPs is " +
                                       opts.service_cidr));
          } else if (used_ips.count(ip)) {
            errs.push_back(Invalid("spec.clusterIPs[0]", GoQuote(s.cluster_ip),
                                   "failed to allocate IP " + s.cluster_ip + ": provided IP is already allocated"));
          } else {
            new_ips.insert(ip);
          }
        }
        s.cluster_ips = {s.cluster_ip};
      } else {
        auto ip = AllocateIp();
        if (!ip) {
          return MakeError(ErrorCode::kInternal,
                           "Internal error occurred: failed to allocate a serviceIP: range is full", "InternalError");
        }
        new_ips.insert(*ip);
        s.cluster_ip = Ipv4ToString(*ip);
        s.cluster_ips = {s.cluster_ip};
      }
      if (s.ip_families.empty()) s.ip_families = {"IPv4"};
      if (s.ip_family_policy.empty()) s.ip_family_policy = "SingleStack";
    }
    if (NeedsNodePorts(s)) {
      for (size_t i = 0; i < s.ports.size(); ++i) {
        ServicePort& p = s.ports[i];
        if (p.node_port == 0) continue;
        const std::string field = "spec.ports[" + std::to_string(i) + "].nodePort";
        if (p.node_port < opts.node_port_min || p.node_port > opts.node_port_max) {
          errs.push_back(Invalid(field, std::to_string(p.node_port),
                                 "provided port is not in the valid range. The range of valid ports is " + range));
        } else if (old_ports.count(p.node_port)) {
          // Kept from the previous version.
        } else if (used_node_ports.count(p.node_port) || new_ports.count(p.node_port)) {
          if (!new_ports.count(p.node_port)) {
            errs.push_back(Invalid(field, std::to_string(p.node_port), "provided port is already allocated"));
          }
        } else {
          new_ports.insert(p.node_port);
        }
      }
      for (ServicePort& p : s.ports) {
        if (p.node_port != 0) continue;
        auto np = AllocateNodePort(new_ports);
        if (!np) {
          return MakeError(ErrorCode::kInternal,
                           "Internal error occurred: failed to allocate a nodePort: range is full", "InternalError");
        }
        p.node_port = *np;
        new_ports.insert(*np);
      }
    }
    if (NeedsHealthCheck(s)) {
      if (s.health_check_node_port != 0) {
        const int hc = s.health_check_node_port;
        if (!old_ports.count(hc)) {
          if (used_node_ports.count(hc) || new_ports.count(hc) || hc < opts.node_port_min || hc > opts.node_port_max) {
            return MakeError(ErrorCode::kInternal,
                             "Internal error occurred: failed to allocate requested HealthCheck NodePort " +
                                 std::to_string(hc) + ": provided port is already allocated",
                             "InternalError");
          }
          new_ports.insert(hc);
        }
      } else {
        auto np = AllocateNodePort(new_ports);
        if (!np) return MakeError(ErrorCode::kInternal, "Internal error occurred: failed to allocate a nodePort: range is full", "InternalError");
        s.health_check_node_port = *np;
        new_ports.insert(*np);
      }
    }
    if (!errs.empty()) return InvalidError(Kind::kService, s.metadata.name, errs);
    // Commit: release what the old version held and the new one no longer uses.
    if (old) {
      std::set<int> keep;
      for (const ServicePort& p : s.ports) {
        if (p.node_port) keep.insert(p.node_port);
      }
      if (s.health_check_node_port) keep.insert(s.health_check_node_port);
      for (int p : old_ports) {
        if (!keep.count(p)) ReleaseNodePort(p);
      }
      if (has_old_ip && Ipv4ToString(old_ip) != s.cluster_ip) ReleaseIp(old_ip);
    }
    for (uint32_t ip : new_ips) UseIp(ip);
    used_node_ports.insert(new_ports.begin(), new_ports.end());
    return true;
  }

  // ---------------------------------------------------------------- admission

  Status RunHooks(bool mutating, AdmissionOperation op, Object* obj, const Object* old) {
    // By index, the hook that runs held by its own reference, instead of copying the list on
    // every write. A hook may call the server, but hooks are added and removed only outside of
    // admission (by whoever installs them): checked through `admitting`.
    ++admitting;
    struct Done {
      int& n;
      ~Done() { --n; }
    } done{admitting};
    for (size_t i = 0; i < hooks.size(); ++i) {
      if (hooks[i]->mutating != mutating || hooks[i]->kind != (obj ? obj->kind() : old->kind())) continue;
      if (std::find(hooks[i]->ops.begin(), hooks[i]->ops.end(), op) == hooks[i]->ops.end()) continue;
      const std::shared_ptr<const Hook> hook = hooks[i];
      const Hook& h = *hook;
      AdmissionRequest req{op, obj, old, false};
      Status st = h.fn(req);
      if (!st.ok()) {
        Error e = st.error();
        if (e.code == ErrorCode::kInternal) return e;
        e.message = "admission webhook \"" + h.name + "\" denied the request: " + e.message;
        if (e.aws_code.empty()) e.aws_code = e.code == ErrorCode::kPermissionDenied ? "Forbidden" : "BadRequest";
        return e;
      }
    }
    return OkStatus();
  }

  Status BuiltinMutatingAdmission(Object& obj) {
    if (obj.kind() == Kind::kIngress) {
      auto& ing = static_cast<Ingress&>(obj);
      if (!ing.ingress_class_name && !ing.metadata.annotations.count("kubernetes.io/ingress.class")) {
        std::vector<std::string> defaults;
        for (const auto& [key, o] : stores[Idx(Kind::kIngressClass)]) {
          auto it = o->metadata.annotations.find("ingressclass.kubernetes.io/is-default-class");
          if (it != o->metadata.annotations.end() && it->second == "true") defaults.push_back(o->metadata.name);
        }
        if (defaults.size() > 1) {
          return ForbiddenError(Kind::kIngress, ing.metadata.name,
                                "Internal error occurred: " + std::to_string(defaults.size()) +
                                    " default IngressClasses were found, only 1 allowed");
        }
        if (defaults.size() == 1) ing.ingress_class_name = defaults[0];
      }
    }
    if (obj.kind() == Kind::kPod) {
      auto& pod = static_cast<Pod&>(obj);
      if (pod.spec.service_account_name.empty()) pod.spec.service_account_name = "default";
      for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
        bool has = false;
        for (const Toleration& t : pod.spec.tolerations) {
          if (t.key == key && (t.effect.empty() || t.effect == "NoExecute")) has = true;
        }
        if (!has) pod.spec.tolerations.push_back(Toleration{key, "Exists", "", "NoExecute", 300});
      }
    }
    return OkStatus();
  }

  Status NamespaceLifecycle(const Object& obj) {
    if (!KindIsNamespaced(obj.kind())) return OkStatus();
    const std::string& ns = obj.metadata.namespace_;
    auto nso = FindNamespace(ns);
    if (!nso) return MakeError(ErrorCode::kNotFound, "namespaces \"" + ns + "\" not found", "NotFound");
    if (nso->metadata.deletion_timestamp) {
      return ForbiddenError(obj.kind(), obj.metadata.name,
                            "unable to create new content in namespace " + ns + " because it is being terminated");
    }
    return OkStatus();
  }

  void Warnings(const Object& obj) {
    if (obj.kind() != Kind::kIngress) return;
    const auto& ing = static_cast<const Ingress&>(obj);
    if (ing.metadata.annotations.count("kubernetes.io/ingress.class")) {
      warnings.push_back("annotation \"kubernetes.io/ingress.class\" is deprecated, please use 'spec.ingressClassName' instead");
    }
    for (const IngressRule& r : ing.rules) {
      for (const HttpIngressPath& p : r.paths) {
        if (!p.path_type || (*p.path_type != "Exact" && *p.path_type != "Prefix")) continue;
        if (p.path.find_first_of("^$*+?()[]{}|\\") != std::string::npos) {
          warnings.push_back("path " + p.path + " cannot be used with pathType " + *p.path_type);
        }
      }
    }
  }

  // ---------------------------------------------------------------- writes

  std::string GenerateName(Kind kind, const std::string& ns, std::string prefix) {
    if (prefix.size() > 58) prefix.resize(58);
    while (true) {
      std::string name = prefix;
      for (int i = 0; i < 5; ++i) name.push_back(kNameAlphabet[rng.Uniform(27)]);
      if (!Find(kind, ns, name)) return name;
    }
  }

  Result<ObjectPtr> Create(const Object& in) { return CreateOwned(in.Clone()); }
  // Create of `obj` itself: the server's copy of the request, made by Create or given up by the
  // caller (FakeApiServer::Create(shared_ptr&&)).
  Result<ObjectPtr> CreateOwned(std::shared_ptr<Object> obj) {
    warnings.clear();
    PurgeExpiredEvents();
    if (!obj->metadata.resource_version.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "resourceVersion should not be set on objects to be created",
                       "BadRequest");
    }
    const Kind kind = obj->kind();
    obj->metadata.namespace_ = NormalizeNs(kind, obj->metadata.namespace_);
    if (obj->metadata.name.empty() && !obj->metadata.generate_name.empty()) {
      obj->metadata.name = GenerateName(kind, obj->metadata.namespace_, obj->metadata.generate_name);
    }
    Default(*obj);
    ResetStatus(*obj);
    SIM_RETURN_IF_ERROR(BuiltinMutatingAdmission(*obj));
    SIM_RETURN_IF_ERROR(RunHooks(true, AdmissionOperation::kCreate, obj.get(), nullptr));
    Default(*obj);
    FieldErrors errs = ValidateObject(*obj, nullptr);
    if (!errs.empty()) return InvalidError(kind, obj->metadata.name, errs);
    SIM_RETURN_IF_ERROR(NamespaceLifecycle(*obj));
    SIM_RETURN_IF_ERROR(RunHooks(false, AdmissionOperation::kCreate, obj.get(), nullptr));
    if (Find(kind, obj->metadata.namespace_, obj->metadata.name)) {
      return MakeError(ErrorCode::kAlreadyExists,
                       std::string(KindGroupResource(kind)) + " \"" + obj->metadata.name + "\" already exists",
                       "AlreadyExists");
    }
    if (kind == Kind::kService) {
      auto r = AllocateService(static_cast<Service&>(*obj), nullptr);
      if (!r.ok()) return r.error();
    }
    obj->metadata.uid = NextUid();
    obj->metadata.creation_timestamp = Now();
    obj->metadata.deletion_timestamp.reset();
    obj->metadata.deletion_grace_period_seconds.reset();
    obj->metadata.generation = KindTracksGeneration(kind) ? 1 : 0;
    Warnings(*obj);
    return Store(obj, nullptr);
  }

  Result<ObjectPtr> CheckUpdatePreconditions(const Object& in, const std::string& ns, ObjectPtr* old) {
    const Kind kind = in.kind();
    *old = Find(kind, ns, in.metadata.name);
    if (!*old) return NotFoundError(kind, in.metadata.name);
    if (!in.metadata.resource_version.empty() && in.metadata.resource_version != (*old)->metadata.resource_version) {
      return ConflictError(kind, in.metadata.name);
    }
    if (in.metadata.resource_version.empty() && IsCustomResource(kind)) {
      return InvalidError(kind, in.metadata.name,
                          {Invalid("metadata.resourceVersion", "0x0", "must be specified for an update")});
    }
    if (!in.metadata.uid.empty() && in.metadata.uid != (*old)->metadata.uid) {
      return MakeError(ErrorCode::kConflict,
                       "Precondition failed: UID in precondition: " + (*old)->metadata.uid +
                           ", UID in object meta: " + in.metadata.uid,
                       "Conflict");
    }
    return *old;
  }

  // Persists an updated object unless nothing changes; handles the last-finalizer deletion.
  // `spec_changed`: the caller found the spec fingerprint changed (so the write is no no-op);
  // `spec`: the new object's spec fingerprint when the caller computed it.
  Result<ObjectPtr> Commit(std::shared_ptr<Object> obj, const ObjectPtr& old, bool status_only = false,
                           bool spec_changed = false, std::string spec = {}) {
    obj->metadata.resource_version.clear();
    std::string json;
    if (status_only) {
      const std::optional<bool> same = SameStatus(*obj, *old);
      if (same ? *same : EncodeStatusFingerprint(*obj) == EncodeStatusFingerprint(*old)) return old;
      // Only the status differs from `old`: its spec fingerprint carries over.
      auto it = encoded.find(old.get());
      if (it != encoded.end()) spec = std::move(it->second.spec);
    } else if (!spec_changed) {
      json = EncodeFingerprint(*obj, false);
      if (json == Encoded(old)) return old;
    }
    if (obj->metadata.deletion_timestamp && obj->metadata.finalizers.empty() &&
        obj->metadata.deletion_grace_period_seconds.value_or(0) == 0) {
      Remove(old);
      return ObjectPtr(obj);
    }
    ObjectPtr stored = Store(obj, old);
    if (!json.empty() || !spec.empty()) encoded[stored.get()] = Fingerprints{std::move(json), std::move(spec)};
    return stored;
  }

  Result<ObjectPtr> Update(const Object& in) {
    warnings.clear();
    PurgeExpiredEvents();
    const Kind kind = in.kind();
    const std::string ns = NormalizeNs(kind, in.metadata.namespace_);
    ObjectPtr old;
    auto pre = CheckUpdatePreconditions(in, ns, &old);
    if (!pre.ok()) return pre.error();
    std::shared_ptr<Object> obj = in.Clone();
    ObjectMeta& m = obj->metadata;
    m.namespace_ = ns;
    m.uid = old->metadata.uid;
    m.generate_name = old->metadata.generate_name;
    m.creation_timestamp = old->metadata.creation_timestamp;
    m.deletion_timestamp = old->metadata.deletion_timestamp;
    m.deletion_grace_period_seconds = old->metadata.deletion_grace_period_seconds;
    m.generation = old->metadata.generation;
    if (HasStatus(kind)) CopyStatus(*old, *obj);
    Default(*obj);
    if (kind == Kind::kService) PatchServiceFromOld(static_cast<Service&>(*obj), static_cast<const Service&>(*old));
    if (kind == Kind::kPod) {
      // pods: nodeName is set through the binding subresource only.
      auto& pod = static_cast<Pod&>(*obj);
      if (pod.spec.node_name.empty()) pod.spec.node_name = static_cast<const Pod&>(*old).spec.node_name;
    }
    SIM_RETURN_IF_ERROR(RunHooks(true, AdmissionOperation::kUpdate, obj.get(), old.get()));
    FieldErrors errs = ValidateObject(*obj, old.get());
    if (!errs.empty()) return InvalidError(kind, obj->metadata.name, errs);
    SIM_RETURN_IF_ERROR(RunHooks(false, AdmissionOperation::kUpdate, obj.get(), old.get()));
    if (kind == Kind::kService) {
      auto r = AllocateService(static_cast<Service&>(*obj), static_cast<const Service*>(old.get()));
      if (!r.ok()) return r.error();
    }
    std::string spec;
    bool spec_changed = false;
    if (KindTracksGeneration(kind)) {
      if (kind == Kind::kEndpointSlice) {
        // The endpoints controller rewrites every slice as its pods come and go: the body compared
        // field by field (EndpointSlice::SameSpec, the fields the fingerprint holds) instead of
        // encoding it on every write.
        spec_changed = !static_cast<const EndpointSlice&>(*obj).SameSpec(static_cast<const EndpointSlice&>(*old));
      } else {
        spec = EncodeSpecFingerprint(*obj);
        spec_changed = spec != SpecEncoded(old);
      }
      if (spec_changed) ++m.generation;
    }
    Warnings(*obj);
    return Commit(obj, old, /*status_only=*/false, spec_changed, std::move(spec));
  }

  // `owned`: `in` itself, given up by the caller (the server then builds the new object in it,
  // keeping its status as it is instead of copying it), or null.
  Result<ObjectPtr> UpdateStatus(const Object& in, std::shared_ptr<Object> owned = nullptr) {
    warnings.clear();
    const Kind kind = in.kind();
    if (!HasStatus(kind)) {
      return MakeError(ErrorCode::kNotFound, "the server could not find the requested resource", "NotFound");
    }
    const std::string ns = NormalizeNs(kind, in.metadata.namespace_);
    ObjectPtr old = Find(kind, ns, in.metadata.name);
    if (!old) return NotFoundError(kind, in.metadata.name);
    if (!in.metadata.resource_version.empty() && in.metadata.resource_version != old->metadata.resource_version) {
      return ConflictError(kind, in.metadata.name);
    }
    std::shared_ptr<Object> obj;
    if (kind == Kind::kPod) {
      // The stored pod with the new status, without copying the old status first (a Pod is its
      // metadata, its spec and the fields of StatusTie: a new Pod field must be added here).
      static_assert(sizeof(Pod) == sizeof(Object) + sizeof(PodSpec) + 4 * sizeof(std::string) +
                                       sizeof(std::vector<PodCondition>),
                    "Pod has a field UpdateStatus' pod fast path does not copy");
      const Pod& stored = static_cast<const Pod&>(*old);
      std::shared_ptr<Pod> pod;
      if (owned != nullptr) {
        pod = std::static_pointer_cast<Pod>(std::move(owned));  // the request: its status is in place
      } else {
        pod = std::make_shared<Pod>();
        StatusTie(*pod) = StatusTie(static_cast<const Pod&>(in));
      }
      pod->metadata = stored.metadata;
      pod->spec = stored.spec;
      obj = std::move(pod);
    } else {
      obj = old->Clone();
      CopyStatus(in, *obj);
    }
    FieldErrors errs = ValidateStatus(*obj);
    if (!errs.empty()) return InvalidError(kind, obj->metadata.name, errs);
    // Only the status can differ from `old`: comparing the status alone decides a no-op exactly as
    // comparing the whole encoded object would.
    return Commit(obj, old, /*status_only=*/true);
  }

  // ---------------------------------------------------------------- events

  void PurgeExpiredEvents() {
    const SimTime now = clock.Now();
    while (!event_expiry.empty() && event_expiry.front().at <= now) {
      const EventExpiry entry = std::move(event_expiry.front());
      event_expiry.pop_front();
      ObjectPtr ev = Find(Kind::kEvent, entry.key.first, entry.key.second);
      if (!ev) continue;
      const std::string& written = ev->metadata.resource_version;
      uint64_t version = 0;
      const auto parsed = std::from_chars(written.data(), written.data() + written.size(), version);
      if (parsed.ec != std::errc() || version != entry.resource_version) continue;  // written again later
      Remove(ev);
    }
  }

  bool SpamAllowed(SpamRecord& source) {
    const SimTime now = clock.Now();
    if (!source.has_bucket) {
      source.has_bucket = true;
      source.bucket = Bucket{25.0, now};
    }
    Bucket& b = source.bucket;
    const double elapsed_s = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(25.0, b.tokens + elapsed_s / 300.0);
    b.last = now;
    if (b.tokens >= 1.0) {
      b.tokens -= 1.0;
      return true;
    }
    return false;
  }

  void RecordEvent(const Object& involved, const std::string& type, const std::string& reason,
                   const std::string& message, const std::string& component) {
    PurgeExpiredEvents();
    const Kind kind = involved.kind();
    const bool namespaced = KindIsNamespaced(kind);
    const std::string& ns = namespaced ? involved.metadata.namespace_ : kDefaultNamespace;
    const char* kind_name = KindName(kind);
    const char* api_version = KindApiVersion(kind);
    // Source + object: every correlator cache is per (component, kind, namespace, name, uid, apiVersion).
    std::string object_key;
    object_key.reserve(component.size() + involved.metadata.name.size() + involved.metadata.uid.size() + ns.size() + 48);
    object_key.append(component).push_back('\x1f');
    object_key.append(kind_name).push_back('\x1f');
    if (namespaced) object_key.append(involved.metadata.namespace_);
    object_key.push_back('\x1f');
    object_key.append(involved.metadata.name).push_back('\x1f');
    object_key.append(involved.metadata.uid).push_back('\x1f');
    object_key.append(api_version);
    EventCorrelator& correlator = event_correlators[component];
    // Aggregation (EventAggregatorByReasonFunc: same source/object/type/reason, message is the local key).
    const SimTime now = clock.Now();
    std::string key = object_key;
    key.append(1, '\x1f').append(type).append(1, '\x1f').append(reason);
    AggregateRecord& rec = correlator.aggregates.GetOrAdd(key);
    if (now - rec.last > std::chrono::minutes(10)) rec.local_keys.clear();
    rec.local_keys.insert(message);
    rec.last = now;
    const bool combined = rec.local_keys.size() >= 10;
    if (combined) rec.local_keys.erase(rec.local_keys.begin());
    // Observation (dedup): count+1 on the cached event, keyed by the event key (with the message)
    // or, for the combined event, by the aggregate key.
    if (combined) {
      key.insert(0, 1, 'a');
    } else {
      key.insert(0, 1, 'e');
      key.append(1, '\x1f').append(message);
    }
    EventObservation& obs = correlator.observations.GetOrAdd(key);
    const bool seen_before = obs.count > 0;
    obs.count += 1;
    // Spam filter (per source + object).
    if (opts.event_spam_filter && !SpamAllowed(correlator.spam.GetOrAdd(object_key))) return;
    // Namespace must accept new content.
    auto nso = FindNamespace(ns);
    if (!nso || nso->metadata.deletion_timestamp) return;
    const std::string& now_text = Now();
    if (seen_before) {
      ObjectPtr existing = Find(Kind::kEvent, obs.ns, obs.name);
      if (existing) {
        auto ev = std::static_pointer_cast<Event>(existing->Clone());
        ev->count = obs.count;
        ev->last_timestamp = now_text;
        ev->message = combined ? "(combined from similar events): " + message : message;
        Store(ev, existing);
        return;
      }
    }
    auto ev = std::make_shared<Event>();
    ev->metadata.namespace_ = ns;
    // Name: "<object>.<hex nanoseconds>", the first free one from the current time on. Names tried
    // for the same object and instant since the last Event removal are still taken: skip them.
    const int64_t base_nanos = (kEpochUnixSeconds * 1000 + now.count()) * 1000000;
    int64_t nanos = base_nanos;
    NameHint& hint = event_name_hint;
    if (hint.removals == event_removals && hint.base_nanos == base_nanos && hint.ns == ns &&
        hint.name == involved.metadata.name) {
      nanos = hint.next_nanos;
    }
    ev->metadata.name.assign(involved.metadata.name).push_back('.');
    const size_t prefix = ev->metadata.name.size();
    do {
      ev->metadata.name.resize(prefix);
      AppendHex(static_cast<uint64_t>(nanos++), &ev->metadata.name);
    } while (Find(Kind::kEvent, ns, ev->metadata.name));
    hint.ns = ns;  // assigned in place: the strings keep their buffers
    hint.name = involved.metadata.name;
    hint.base_nanos = base_nanos;
    hint.next_nanos = nanos;
    hint.removals = event_removals;
    ev->metadata.uid = NextUid();
    ev->metadata.creation_timestamp = now_text;
    ObjectReference& ref = ev->involved_object;
    ref.kind = kind_name;
    if (namespaced) ref.namespace_ = involved.metadata.namespace_;
    ref.name = involved.metadata.name;
    ref.uid = involved.metadata.uid;
    ref.api_version = api_version;
    ref.resource_version = involved.metadata.resource_version;
    ev->reason = reason;
    ev->message = combined ? "(combined from similar events): " + message : message;
    ev->type = type;
    ev->source_component = component;
    ev->reporting_component = component;
    ev->first_timestamp = now_text;
    ev->last_timestamp = now_text;
    ev->count = seen_before ? obs.count : 1;
    obs.count = ev->count;
    obs.ns = ns;
    obs.name = ev->metadata.name;
    obs.first_timestamp = ev->first_timestamp;
    Store(ev, nullptr);
  }
};

// ------------------------------------------------------------------ FakeApiServer

FakeApiServer::FakeApiServer(const Clock& clock, FakeApiServerOptions options)
    : impl_(std::make_unique<Impl>(clock, std::move(options))) {
  impl_->InitServiceRange();
  for (const char* name : {"default", "kube-system", "kube-public"}) {
    Namespace ns;
    ns.metadata.name = name;
    auto r = Create(ns);
    (void)r;
  }
}

FakeApiServer::~FakeApiServer() = default;

int64_t FakeApiServer::resource_version() const { return impl_->rv; }
uint64_t FakeApiServer::IssuedUidsForSim() const { return impl_->uid_counter; }
const std::vector<std::string>& FakeApiServer::last_warnings() const { return impl_->warnings; }

Result<ObjectPtr> FakeApiServer::Get(Kind kind, const std::string& ns, const std::string& name) const {
  ObjectPtr o = impl_->Find(kind, Impl::NormalizeNsView(kind, ns), name);
  if (!o) return NotFoundError(kind, name);
  return o;
}

std::vector<ObjectPtr> FakeApiServer::List(Kind kind, const std::string& ns) const {
  std::vector<ObjectPtr> out;
  const auto& store = impl_->stores[Idx(kind)];
  if (ns.empty() || !KindIsNamespaced(kind)) {
    out.reserve(store.size());
    for (const auto& [k, v] : store) out.push_back(v);
  } else {
    for (auto it = store.lower_bound(StoreKeyView{ns, ""}); it != store.end() && it->first.first == ns; ++it) {
      out.push_back(it->second);
    }
  }
  return out;
}

std::vector<ObjectPtr> FakeApiServer::ListMatchingLabels(Kind kind, const std::string& ns,
                                                         const std::map<std::string, std::string>& labels) const {
  if (labels.empty()) return List(kind, ns);
  auto& index = impl_->label_index[Idx(kind)];
  if (!index) {
    index.emplace();
    const ObjectStore& store = impl_->stores[Idx(kind)];
    for (auto slot = store.begin(); slot != store.end(); ++slot) {
      impl_->IndexLabels(kind, slot, slot->second->metadata.labels, true);
    }
  }
  // The pair held by the fewest objects; each of them is checked against the whole selector.
  const Impl::Slots* fewest = nullptr;
  for (const auto& kv : labels) {
    auto it = index->find(kv);
    if (it == index->end()) return {};
    if (!fewest || it->second.size() < fewest->size()) fewest = &it->second;
  }
  const bool all_ns = ns.empty() || !KindIsNamespaced(kind);
  std::vector<ObjectPtr> out;
  for (ObjectStore::const_iterator slot : *fewest) {
    if (!all_ns && slot->first.first != ns) continue;
    if (LabelsMatch(slot->second->metadata.labels, labels)) out.push_back(slot->second);
  }
  return out;
}

Result<ObjectPtr> FakeApiServer::Create(const Object& obj) { return impl_->Create(obj); }
Result<ObjectPtr> FakeApiServer::Create(std::shared_ptr<Object>&& obj) {
  std::shared_ptr<Object> owned = std::move(obj);  // the caller's pointer is empty from here on
  return impl_->CreateOwned(std::move(owned));
}
Result<ObjectPtr> FakeApiServer::Update(const Object& obj) { return impl_->Update(obj); }
Result<ObjectPtr> FakeApiServer::UpdateStatus(const Object& obj) { return impl_->UpdateStatus(obj); }
Result<ObjectPtr> FakeApiServer::UpdateStatus(std::shared_ptr<Object>&& obj) {
  std::shared_ptr<Object> owned = std::move(obj);  // the caller's pointer is empty from here on
  const Object& in = *owned;
  return impl_->UpdateStatus(in, std::move(owned));
}

Status FakeApiServer::Delete(Kind kind, const std::string& ns, const std::string& name) {
  return DeleteWithOptions(kind, ns, name, DeleteOptions{});
}

Status FakeApiServer::DeleteWithOptions(Kind kind, const std::string& ns, const std::string& name,
                                        const DeleteOptions& opts) {
  impl_->warnings.clear();
  impl_->PurgeExpiredEvents();
  ObjectPtr obj = impl_->Find(kind, Impl::NormalizeNsView(kind, ns), name);
  if (!obj) return NotFoundError(kind, name);
  if (!opts.resource_version.empty() && opts.resource_version != obj->metadata.resource_version) {
    return ConflictError(kind, name);
  }
  if (kind != Kind::kNamespace) {
    Status st = impl_->RunHooks(false, AdmissionOperation::kDelete, nullptr, obj.get());
    if (!st.ok()) return st;
  }
  return impl_->DeleteObject(obj, opts);
}

FakeApiServer::WatchId FakeApiServer::Watch(Kind kind, WatchFn fn) {
  WatchId id = impl_->next_watch++;
  auto& slot = impl_->watchers[Idx(kind)];
  auto list = slot ? std::make_shared<Impl::WatcherList>(*slot) : std::make_shared<Impl::WatcherList>();
  list->push_back(std::make_shared<const Impl::Watcher>(Impl::Watcher{id, std::move(fn)}));
  slot = std::move(list);
  return id;
}

void FakeApiServer::Unwatch(WatchId id) {
  for (auto& slot : impl_->watchers) {
    if (!slot) continue;
    auto match = [&](const std::shared_ptr<const Impl::Watcher>& x) { return x->id == id; };
    if (std::none_of(slot->begin(), slot->end(), match)) continue;
    auto list = std::make_shared<Impl::WatcherList>(*slot);
    list->erase(std::remove_if(list->begin(), list->end(), match), list->end());
    slot = std::move(list);
  }
}

void FakeApiServer::RecordEvent(const Object& involved, const std::string& type, const std::string& reason,
                                const std::string& message, const std::string& component) {
  impl_->RecordEvent(involved, type, reason, message, component);
}

Result<ObjectPtr> FakeApiServer::Apply(const Object& in) {
  const Kind kind = in.kind();
  const std::string ns = impl_->NormalizeNs(kind, in.metadata.namespace_);
  ObjRef ref{static_cast<int>(kind), ns, in.metadata.name};
  auto record = [&](const Object& o) {
    Impl::Applied a;
    for (const auto& [k, v] : o.metadata.labels) a.labels.insert(k);
    for (const auto& [k, v] : o.metadata.annotations) a.annotations.insert(k);
    if (o.kind() == Kind::kIngress) a.ingress_class_name = static_cast<const Ingress&>(o).ingress_class_name.has_value();
    impl_->applied[ref] = a;
  };
  ObjectPtr existing = in.metadata.name.empty() ? nullptr : impl_->Find(kind, ns, in.metadata.name);
  if (!existing) {
    auto r = Create(in);
    if (r.ok()) {
      ref = ObjRef{static_cast<int>(kind), r.value()->metadata.namespace_, r.value()->metadata.name};
      record(in);
    }
    return r;
  }
  const Impl::Applied last = impl_->applied.count(ref) ? impl_->applied[ref] : Impl::Applied{};
  std::shared_ptr<Object> obj = in.Clone();
  ObjectMeta& m = obj->metadata;
  m.namespace_ = ns;
  m.uid = existing->metadata.uid;
  m.resource_version = existing->metadata.resource_version;
  auto merge = [](const std::map<std::string, std::string>& stored, const std::set<std::string>& last_keys,
                  const std::map<std::string, std::string>& manifest) {
    std::map<std::string, std::string> out = stored;
    for (const std::string& k : last_keys) {
      if (!manifest.count(k)) out.erase(k);
    }
    for (const auto& [k, v] : manifest) out[k] = v;
    return out;
  };
  m.labels = merge(existing->metadata.labels, last.labels, in.metadata.labels);
  m.annotations = merge(existing->metadata.annotations, last.annotations, in.metadata.annotations);
  if (m.finalizers.empty()) m.finalizers = existing->metadata.finalizers;
  if (m.owner_references.empty()) m.owner_references = existing->metadata.owner_references;
  if (kind == Kind::kIngress) {
    auto& ing = static_cast<Ingress&>(*obj);
    const auto& old = static_cast<const Ingress&>(*existing);
    if (!ing.ingress_class_name && old.ingress_class_name && !last.ingress_class_name) {
      ing.ingress_class_name = old.ingress_class_name;
    }
  }
  if (kind == Kind::kPod) {
    auto& pod = static_cast<Pod&>(*obj);
    const auto& old = static_cast<const Pod&>(*existing);
    if (pod.spec.readiness_gates.empty()) pod.spec.readiness_gates = old.spec.readiness_gates;
    if (pod.spec.service_account_name.empty()) pod.spec.service_account_name = old.spec.service_account_name;
    if (pod.spec.tolerations.empty()) pod.spec.tolerations = old.spec.tolerations;
    if (pod.spec.scheduler_name.empty()) pod.spec.scheduler_name = old.spec.scheduler_name;
  }
  if (kind == Kind::kDeployment) {
    // The deployment controller's revision annotation is not part of the manifest.
    auto it = existing->metadata.annotations.find("deployment.kubernetes.io/revision");
    if (it != existing->metadata.annotations.end()) m.annotations[it->first] = it->second;
  }
  auto r = Update(*obj);
  if (r.ok()) record(in);
  return r;
}

Result<ObjectPtr> FakeApiServer::BindPod(const std::string& ns, const std::string& name, const std::string& node_name) {
  impl_->warnings.clear();
  ObjectPtr old = impl_->Find(Kind::kPod, Impl::NormalizeNsView(Kind::kPod, ns), name);
  if (!old) return NotFoundError(Kind::kPod, name);
  auto pod = std::static_pointer_cast<Pod>(old->Clone());
  if (!pod->spec.node_name.empty()) {
    return MakeError(ErrorCode::kConflict,
                     "Operation cannot be fulfilled on pods/binding \"" + name + "\": pod " + name +
                         " is already assigned to node \"" + pod->spec.node_name + "\"",
                     "Conflict");
  }
  if (pod->metadata.deletion_timestamp) {
    return MakeError(ErrorCode::kConflict,
                     "Operation cannot be fulfilled on pods/binding \"" + name + "\": pod " + name + " is being deleted, cannot be assigned to a host",
                     "Conflict");
  }
  pod->spec.node_name = node_name;
  PodCondition scheduled{"PodScheduled", "True", "", "", impl_->Now()};
  bool found = false;
  for (PodCondition& c : pod->conditions) {
    if (c.type == "PodScheduled") {
      c = scheduled;
      found = true;
    }
  }
  if (!found) pod->conditions.push_back(scheduled);
  return impl_->Store(pod, old);
}

Status FakeApiServer::RemovePodNow(const std::string& ns, const std::string& name) {
  ObjectPtr old = impl_->Find(Kind::kPod, Impl::NormalizeNsView(Kind::kPod, ns), name);
  if (!old) return NotFoundError(Kind::kPod, name);
  if (!old->metadata.finalizers.empty()) {
    if (old->metadata.deletion_grace_period_seconds.value_or(0) != 0) {
      auto copy = old->Clone();
      copy->metadata.deletion_grace_period_seconds = 0;
      impl_->Store(copy, old);
    }
    return OkStatus();
  }
  impl_->Remove(old);
  return OkStatus();
}

std::vector<ObjectPtr> FakeApiServer::ListAll() const {
  std::vector<ObjectPtr> out;
  for (const auto& store : impl_->stores) {
    for (const auto& [k, v] : store) out.push_back(v);
  }
  return out;
}

std::vector<std::shared_ptr<const Event>> FakeApiServer::EventsFor(Kind kind, const std::string& ns,
                                                                   const std::string& name,
                                                                   const std::string& uid) const {
  std::vector<std::shared_ptr<const Event>> out;
  const std::string ev_ns = KindIsNamespaced(kind) ? (ns.empty() ? "default" : ns) : "default";
  for (const ObjectPtr& o : List(Kind::kEvent, ev_ns)) {
    auto ev = As<Event>(o);
    const ObjectReference& r = ev->involved_object;
    if (r.kind != KindName(kind) || r.name != name) continue;
    if (KindIsNamespaced(kind) && r.namespace_ != ev_ns) continue;
    if (!uid.empty() && r.uid != uid) continue;
    out.push_back(ev);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a->last_timestamp, a->metadata.creation_timestamp, a->metadata.resource_version) <
           std::tie(b->last_timestamp, b->metadata.creation_timestamp, b->metadata.resource_version);
  });
  return out;
}

size_t FakeApiServer::Count(Kind kind) const { return impl_->stores[Idx(kind)].size(); }

void FakeApiServer::AddMutatingHook(const std::string& name, Kind kind, std::vector<AdmissionOperation> ops,
                                    AdmissionHook hook) {
  SIM_CHECK(impl_->admitting == 0) << "admission hook \"" << name << "\" added from inside admission";
  impl_->hooks.push_back(std::make_shared<const Impl::Hook>(Impl::Hook{name, kind, std::move(ops), std::move(hook), true}));
}
void FakeApiServer::AddValidatingHook(const std::string& name, Kind kind, std::vector<AdmissionOperation> ops,
                                      AdmissionHook hook) {
  SIM_CHECK(impl_->admitting == 0) << "admission hook \"" << name << "\" added from inside admission";
  impl_->hooks.push_back(std::make_shared<const Impl::Hook>(Impl::Hook{name, kind, std::move(ops), std::move(hook), false}));
}
void FakeApiServer::RemoveHook(const std::string& name) {
  SIM_CHECK(impl_->admitting == 0) << "admission hook \"" << name << "\" removed from inside admission";
  auto& h = impl_->hooks;
  h.erase(std::remove_if(h.begin(), h.end(), [&](const auto& x) { return x->name == name; }), h.end());
}

// ------------------------------------------------------------------ kubectl error text

namespace {
bool LooksLikeCauseStart(const std::string& s, size_t pos) {
  // "<field>: <Type>" where Type is one of the field error types.
  static const char* kTypes[] = {"Required value", "Invalid value", "Unsupported value", "Forbidden",
                                 "Duplicate value", "Not found", "Too long", "Too many", "Internal error"};
  size_t colon = s.find(": ", pos);
  if (colon == std::string::npos) return false;
  for (size_t i = pos; i < colon; ++i) {
    if (s[i] == ' ' || s[i] == '"') return false;
  }
  for (const char* t : kTypes) {
    if (s.compare(colon + 2, std::string(t).size(), t) == 0) return true;
  }
  return false;
}
}  // namespace

std::string KubectlErrorText(const Error& error) {
  if (error.aws_code == "Invalid") {
    const std::string& m = error.message;
    size_t is = m.find(" is invalid: ");
    size_t quote = m.find(" \"");
    if (is != std::string::npos && quote != std::string::npos && quote < is) {
      std::string gk = m.substr(0, quote);
      std::string kind = gk.substr(0, gk.find('.'));
      std::string name = m.substr(quote + 1, is - quote - 1);
      std::string rest = m.substr(is + 13);
      std::vector<std::string> causes;
      if (!rest.empty() && rest.front() == '[' && rest.back() == ']') {
        std::string body = rest.substr(1, rest.size() - 2);
        size_t start = 0;
        for (size_t i = 0; i + 2 <= body.size(); ++i) {
          if (body.compare(i, 2, ", ") == 0 && LooksLikeCauseStart(body, i + 2)) {
            causes.push_back(body.substr(start, i - start));
            start = i + 2;
          }
        }
        causes.push_back(body.substr(start));
      } else {
        causes.push_back(rest);
      }
      std::string out = "The " + kind + " " + name + " is invalid: ";
      if (causes.size() == 1) return out + causes[0];
      for (const std::string& c : causes) out += "\n* " + Trim(c);
      return out;
    }
  }
  std::string reason = error.aws_code.empty() ? "InternalError" : error.aws_code;
  return "Error from server (" + reason + "): " + error.message;
}

}  // namespace sim::k8s
