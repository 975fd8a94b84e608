// Simulated built-in controllers. Mirrors upstream (kubernetes/kubernetes):
//   pkg/controller/deployment/{deployment_controller,rolling,recreate,sync}.go, util/deployment_util.go
//   pkg/controller/replicaset/replica_set.go, pkg/controller/controller_utils.go (ComputeHash, victims)
//   pkg/scheduler (filter/score replaced by the twin rule of k8s-semantics.md §4.2)
//   pkg/kubelet/status/generate.go (pod conditions), pkg/kubelet (pod lifecycle)
//   pkg/controller/endpointslice + staging/src/k8s.io/endpointslice (slices), pkg/controller/endpoint (legacy)

#include "sim/k8s/builtin_controllers.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <functional>
#include <iterator>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "sim/base/check.h"
#include "sim/base/rate_limiter.h"
#include "sim/k8s/client_api.h"
#include "sim/k8s/codec.h"
#include "sim/k8s/ipv4.h"
#include "sim/k8s/key_batch.h"
#include "sim/k8s/uid_index.h"

namespace sim::k8s {

using namespace model::k8s;  // NOLINT

namespace {

using StoreKey = std::pair<std::string, std::string>;

// (namespace, label key, label value), hashed; found by views. The indexes are only looked up
// (never walked in order), so a hash map: a pod's event looks each of its labels up.
using LabelKey = std::tuple<std::string, std::string, std::string>;
using LabelKeyView = std::tuple<std::string_view, std::string_view, std::string_view>;
struct LabelKeyHash {
  using is_transparent = void;
  template <typename K>
  size_t operator()(const K& k) const {
    const std::hash<std::string_view> h;
    size_t out = h(std::get<0>(k));
    out = out * 1000003u ^ h(std::get<1>(k));
    return out * 1000003u ^ h(std::get<2>(k));
  }
};
struct LabelKeyEq {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::string_view(std::get<0>(a)) == std::string_view(std::get<0>(b)) &&
           std::string_view(std::get<1>(a)) == std::string_view(std::get<1>(b)) &&
           std::string_view(std::get<2>(a)) == std::string_view(std::get<2>(b));
  }
};
template <typename Postings>
using LabelIndexOf = std::unordered_map<LabelKey, Postings, LabelKeyHash, LabelKeyEq>;
// The posting list of one (namespace, key, value), created on first use.
template <typename Postings>
Postings& LabelPostings(LabelIndexOf<Postings>& index, std::string_view ns, std::string_view k, std::string_view v) {
  auto it = index.find(LabelKeyView{ns, k, v});
  if (it == index.end()) it = index.emplace(LabelKey{ns, k, v}, Postings()).first;
  return it->second;
}

constexpr const char* kHashLabel = "pod-template-hash";
constexpr const char* kRevisionAnnotation = "deployment.kubernetes.io/revision";
constexpr const char* kManagedByLabel = "endpointslice.kubernetes.io/managed-by";
constexpr const char* kManagedBy = "endpointslice-controller.k8s.io";
// Upstream endpointSliceChangeMinSyncDelay: a slice changed by someone else syncs its Service after
// this (or the batch period, when longer; it is 0 by default).
constexpr SimTime kSliceChangeSyncDelay = std::chrono::seconds(1);
constexpr const char* kZoneLabel = "topology.kubernetes.io/zone";
constexpr const char* kStartDelayAnnotation = "sim.albtwin.io/start-delay";
constexpr const char* kReadyAnnotation = "sim.albtwin.io/ready";
constexpr const char* kStopDelayAnnotation = "sim.albtwin.io/stop-delay";

std::string KeyOf(const std::string& ns, const std::string& name) { return ns + "/" + name; }
StoreKey SplitKey(const std::string& key) {
  size_t slash = key.find('/');
  return {key.substr(0, slash), key.substr(slash + 1)};
}

bool ParseCidr(const std::string& cidr, uint32_t* base, uint32_t* size) {
  size_t slash = cidr.find('/');
  if (slash == std::string::npos) return false;
  uint32_t ip;
  if (!ParseIpv4(cidr.substr(0, slash), &ip)) return false;
  int prefix = std::atoi(cidr.c_str() + slash + 1);
  if (prefix < 1 || prefix > 30) return false;
  *size = 1u << (32 - prefix);
  *base = ip & ~(*size - 1);
  return true;
}

// Orders addresses by numeric IP (0 when unparsable) with std::sort. Sorting (IP, position) pairs
// by IP makes the same comparisons as sorting the addresses by IP, hence the same permutation, with
// each address parsed once.
void SortByIp(std::vector<EndpointAddress>& addresses) {
  std::vector<std::pair<uint32_t, size_t>> keys(addresses.size());
  for (size_t i = 0; i < addresses.size(); ++i) {
    uint32_t ip = 0;
    ParseIpv4(addresses[i].ip, &ip);
    keys[i] = {ip, i};
  }
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<EndpointAddress> sorted;
  sorted.reserve(addresses.size());
  for (const auto& k : keys) sorted.push_back(std::move(addresses[k.second]));
  addresses = std::move(sorted);
}

// The request of a status update: what UpdateStatus reads (name, namespace, resourceVersion and
// the status), without copying the rest of the stored object. StatusRequestBase leaves the status
// empty, for a caller that sets all of it.
template <typename T>
T StatusRequestBase(const T& obj) {
  T req;
  req.metadata.name = obj.metadata.name;
  req.metadata.namespace_ = obj.metadata.namespace_;
  req.metadata.resource_version = obj.metadata.resource_version;
  return req;
}
template <typename T>
T StatusRequest(const T& obj) {
  T req = StatusRequestBase(obj);
  CopyStatus(obj, req);
  return req;
}

const OwnerReference* ControllerRef(const ObjectMeta& m) {
  for (const OwnerReference& r : m.owner_references) {
    if (r.controller.value_or(false)) return &r;
  }
  return nullptr;
}

// Whether any owner reference of `m` names `owner` (upstream endpointslice ownedBy: uid, kind and
// apiVersion; controller or not).
bool OwnedBy(const ObjectMeta& m, const Object& owner) {
  return std::any_of(m.owner_references.begin(), m.owner_references.end(), [&](const OwnerReference& r) {
    return r.uid == owner.metadata.uid && r.kind == KindName(owner.kind()) && r.api_version == KindApiVersion(owner.kind());
  });
}

OwnerReference MakeControllerRef(const Object& owner) {
  return OwnerReference{KindApiVersion(owner.kind()), KindName(owner.kind()), owner.metadata.name, owner.metadata.uid,
                        true, true};
}

uint32_t Fnv32a(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

// controller_utils.go ComputeHash: FNV-32a of the template, decimal digits through SafeEncodeString.
std::string TemplateHash(const PodTemplateSpec& t) {
  Pod p;
  p.metadata.labels = t.metadata.labels;
  p.metadata.annotations = t.metadata.annotations;
  p.spec = t.spec;
  const std::string digits = std::to_string(Fnv32a(EncodeCompactJson(p)));
  static const char* kAlphanums = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (char c : digits) out.push_back(kAlphanums[static_cast<unsigned char>(c) % 27]);
  return out;
}

int Revision(const Object& o) {
  auto it = o.metadata.annotations.find(kRevisionAnnotation);
  if (it == o.metadata.annotations.end()) return 0;
  return std::atoi(it->second.c_str());
}

// intstr.GetScaledValueFromIntOrPercent.
int ScaledValue(const IntOrString& v, int total, bool round_up) {
  if (!v.is_string) return v.int_val;
  int pct = std::atoi(v.str_val.c_str());
  if (round_up) return (pct * total + 99) / 100;
  return pct * total / 100;
}

bool ParseDurationAnnotation(const ObjectMeta& m, const char* key, SimTime* out) {
  auto it = m.annotations.find(key);
  return it != m.annotations.end() && ParseDuration(it->second, out);
}

bool Tolerates(const std::vector<Toleration>& tols, const Taint& taint) {
  for (const Toleration& t : tols) {
    if (!t.effect.empty() && t.effect != taint.effect) continue;
    if (t.key.empty() && t.op == "Exists") return true;
    if (t.key != taint.key) continue;
    if (t.op == "Exists") return true;
    if (t.value == taint.value) return true;
  }
  return false;
}

bool PodActive(const Pod& p) {
  return !p.metadata.deletion_timestamp && p.phase != "Succeeded" && p.phase != "Failed";
}

// A WorkQueue on the EventQueue: keys deduplicated, processed together in one event at the current time.
class WorkQueue {
 public:
  WorkQueue(EventQueue& q, std::shared_ptr<bool> alive, std::function<void(const std::string&)> fn)
      : q_(q), alive_(std::move(alive)), fn_(std::move(fn)) {}
  // client-go's AddAfter: the key joins the queue once `delay` has passed.
  void AddAfter(const std::string& key, SimTime delay) {
    std::weak_ptr<bool> alive = alive_;
    q_.ScheduleAfter(delay, [this, alive, key] {
      if (!alive.expired()) Add(key);
    });
  }
  void Add(const std::string& key) {
    pending_.Add(key);
    if (scheduled_) return;
    scheduled_ = true;
    std::weak_ptr<bool> alive = alive_;
    q_.ScheduleAfter(SimTime(0), [this, alive] {
      if (alive.expired()) return;
      Flush();
    });
  }

 private:
  // The keys added since the last flush, each once, in key order.
  void Flush() {
    scheduled_ = false;
    for (const std::string& k : pending_.Take()) fn_(k);
  }
  EventQueue& q_;
  std::shared_ptr<bool> alive_;
  std::function<void(const std::string&)> fn_;
  KeyBatch pending_;  // what a std::set<std::string> kept, without a tree node per add
  bool scheduled_ = false;
};

}  // namespace

std::string Ec2PrivateDnsName(const std::string& ip, const std::string& region) {
  std::string dashed = ip;
  std::replace(dashed.begin(), dashed.end(), '.', '-');
  if (region == "us-east-1") return "ip-" + dashed + ".ec2.internal";
  return "ip-" + dashed + "." + region + ".compute.internal";
}

std::shared_ptr<Node> MakeEc2Node(const Ec2NodeSpec& spec) {
  auto node = std::make_shared<Node>();
  const std::string dns = Ec2PrivateDnsName(spec.ip, spec.region);
  node->metadata.name = spec.name.empty() ? dns : spec.name;
  std::string instance_id = spec.instance_id;
  if (instance_id.empty()) {
    uint32_t ip = 0;
    ParseIpv4(spec.ip, &ip);
    char buf[32];
    std::snprintf(buf, sizeof(buf), "i-0%016x", static_cast<unsigned>(ip));
    instance_id = buf;
  }
  auto& l = node->metadata.labels;
  l["kubernetes.io/hostname"] = node->metadata.name;
  l["kubernetes.io/os"] = "linux";
  l["kubernetes.io/arch"] = "amd64";
  l["beta.kubernetes.io/os"] = "linux";
  l["beta.kubernetes.io/arch"] = "amd64";
  l["node.kubernetes.io/instance-type"] = spec.instance_type;
  l["beta.kubernetes.io/instance-type"] = spec.instance_type;
  l["topology.kubernetes.io/region"] = spec.region;
  l["topology.kubernetes.io/zone"] = spec.az;
  l["failure-domain.beta.kubernetes.io/region"] = spec.region;
  l["failure-domain.beta.kubernetes.io/zone"] = spec.az;
  l["eks.amazonaws.com/nodegroup"] = spec.nodegroup;
  l["eks.amazonaws.com/capacityType"] = spec.capacity_type;
  for (const auto& [k, v] : spec.labels) l[k] = v;
  node->provider_id = "aws:///" + spec.az + "/" + instance_id;
  node->taints = spec.taints;
  node->addresses = {{"InternalIP", spec.ip}, {"InternalDNS", dns}, {"Hostname", dns}};
  node->conditions = {
      {"MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
      {"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
      {"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
      spec.ready ? NodeCondition{"Ready", "True", "KubeletReady", "kubelet is posting ready status"}
                 : NodeCondition{"Ready", "False", "KubeletNotReady", "container runtime network not ready"},
  };
  return node;
}

// ------------------------------------------------------------------ endpoint sync triggers

PodEndpointsChange PodEndpointsChanged(const Pod& old_pod, const Pod& new_pod) {
  PodEndpointsChange c;
  c.labels_changed = old_pod.metadata.labels != new_pod.metadata.labels ||
                     old_pod.spec.hostname != new_pod.spec.hostname || old_pod.spec.subdomain != new_pod.spec.subdomain;
  c.pod_changed = old_pod.metadata.deletion_timestamp.has_value() || new_pod.metadata.deletion_timestamp.has_value() ||
                  old_pod.Ready() != new_pod.Ready() || old_pod.pod_ip != new_pod.pod_ip;
  return c;
}

std::vector<std::string> ServicesToSyncOnRelabel(const std::vector<std::string>& before,
                                                 const std::vector<std::string>& after, bool pod_changed) {
  std::vector<std::string> out;
  if (pod_changed) {
    std::set_union(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(out));
  } else {
    std::set_symmetric_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(out));
  }
  return out;
}

// ------------------------------------------------------------------ Impl

struct BuiltinControllers::Impl {
  // Not copyable: the node index and NodeInfo::name point into `nodes`, the callbacks at `this`.
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  Impl(FakeApiServer& a, EventQueue& q, BuiltinControllersOptions o)
      : api(a),
        queue(q),
        opts(std::move(o)),
        alive(std::make_shared<bool>(true)),
        deployments(q, alive, [this](const std::string& k) { SyncDeployment(k); }),
        replicasets(q, alive, [this](const std::string& k) { SyncReplicaSet(k); }),
        scheduler(q, alive, [this](const std::string& k) { SchedulePod(k); }),
        kubelet(q, alive, [this](const std::string& k) { SyncPodRuntime(k); }),
        services(q, alive, [this](const std::string& k) { SyncService(k); }) {}

  FakeApiServer& api;
  EventQueue& queue;
  BuiltinControllersOptions opts;
  std::shared_ptr<bool> alive;
  std::vector<KubeApi::WatchId> watch_ids;

  WorkQueue deployments, replicasets, scheduler, kubelet, services;

  // Indexes maintained from watch events.
  // The current object of every pod, from its watch events (as an informer cache holds it), in a
  // slot per pod (pod_slots, by uid): the owner, label and node indexes point at these slots, so a
  // sync reads its pods without looking each one up. A slot stays put until its pod is deleted.
  struct NodePods;
  struct PodSlot {
    std::shared_ptr<const Pod> pod;
    // The entry of pods_by_node that lists this slot (null: none), and the slot's position in its
    // list. Kept by the slot itself, so that unlisting never depends on the node an event's old
    // object names (and needs no lookup).
    mutable NodePods* on_node = nullptr;
    mutable size_t node_pos = 0;
  };
  // By pod uid (a vector position: the server issues uids by a counter; no key string to build or
  // hash per event). A slot is its own allocation, so pointers to it stay valid until its pod goes.
  UidIndex<std::unique_ptr<PodSlot>> pod_slots;
  std::unordered_map<std::string, std::map<StoreKey, const PodSlot*>> pods_by_owner;  // controller uid → pods
  // Pods without a controller, by namespace then name: what a ReplicaSet may adopt (ClaimPods).
  std::unordered_map<std::string, std::map<std::string, const PodSlot*>> orphan_pods;
  // Failed ReplicaSet syncs are retried as upstream's queue does (DefaultControllerRateLimiter).
  ControllerRateLimiter rs_retry{RateLimiterOptions{}, queue.clock().Now()};
  std::unordered_map<std::string, std::set<StoreKey>> rs_by_owner;  // deployment uid → replica sets
  // (namespace, label key, value) → pod name → its slot.
  LabelIndexOf<std::map<std::string, const PodSlot*>> pods_by_label;
  // Services by the first (key, value) of their selector, with the Service as last written (kept
  // by the watch): a pod's event checks the candidates' selectors without looking them up.
  LabelIndexOf<std::map<std::string, std::shared_ptr<const Service>>> svcs_by_selector;
  std::map<StoreKey, std::set<std::string>> slices_by_service;
  // Upstream's endpointSliceTracker: by slice uid, the Service it was written for and the
  // generation this controller last wrote. A managed slice seen at a later generation (or one never
  // written here) was changed by someone else, and its Service is synced again (which puts the
  // slice back). `writing_slices` is set while this controller's own slice writes are in flight
  // (watches are synchronous here; upstream's informer events usually arrive after its tracker has
  // been updated).
  struct TrackedSlice {
    std::string service;
    int64_t generation = 0;
  };
  std::unordered_map<std::string, TrackedSlice> slice_generations;
  bool writing_slices = false;
  // By node name: the pods bound to it (IndexPodNode's count), their slots (in no order: read only
  // when a node goes away or NotReady, and sorted then) and the node's scheduler entry. One entry
  // for all three, which pod slots point at: indexing a pod's node looks its name up at most once.
  // Entries stay put (a node-based map) and go when nothing refers to them any more.
  struct NodeInfo;
  struct NodePods {
    const std::string* name = nullptr;  // the entry's key
    int count = 0;
    std::vector<const PodSlot*> slots;  // slot->node_pos is the position here
    NodeInfo* info = nullptr;           // the node's entry in `nodes`, while there is one
  };
  std::unordered_map<std::string, NodePods> pods_by_node;
  NodePods& NodePodsOf(const std::string& node_name) {
    auto [it, added] = pods_by_node.try_emplace(node_name);
    if (added) {
      it->second.name = &it->first;
      it->second.info = FindNode(node_name);
    }
    return it->second;
  }
  void MaybeDropNodePods(NodePods& entry) {
    if (entry.count != 0 || !entry.slots.empty() || entry.info != nullptr) return;
    const std::string name = *entry.name;  // the key itself goes with the entry
    pods_by_node.erase(name);
  }
  std::unordered_map<std::string, std::map<std::string, int>> owner_pods_on_node;  // owner uid → node → pods
  struct NodeInfo {
    std::shared_ptr<const Node> node;
    std::string zone;
    int pods = 0;       // pods bound to the node (mirror of pods_by_node's count)
    bool ready = false;  // node->Ready(), cached when the node is stored
    size_t zone_id = 0;  // zone_ids[zone]
    int owner_pods = 0;  // scratch of SchedulePod: pods of the pod's owner on this node (0 outside it)
    // Any pod fits that asks nothing of the node: ready, not deleting, schedulable, no NoSchedule or
    // NoExecute taint. Open nodes are in open_by_zone.
    bool open = false;
    // The node's name: the key of its entry in `nodes` (ByLoad compares it without going through
    // the Node object).
    const std::string* name = nullptr;
  };
  // The open nodes of each zone (by zone id), least loaded first, then by name: the scheduler's
  // candidates for a pod without node selector (its owner's nodes are looked at separately).
  struct ByLoad {
    bool operator()(const NodeInfo* a, const NodeInfo* b) const {
      if (a->pods != b->pods) return a->pods < b->pods;
      return *a->name < *b->name;
    }
  };
  std::vector<std::set<const NodeInfo*, ByLoad>> open_by_zone;
  size_t restricted_nodes = 0;  // nodes in `nodes` that are not open
  // Around a change of what ByLoad orders by.
  void Unlist(const NodeInfo& i) {
    if (i.open) open_by_zone[i.zone_id].erase(&i);
  }
  void Relist(const NodeInfo& i) {
    if (!i.open) return;
    if (open_by_zone.size() <= i.zone_id) open_by_zone.resize(i.zone_id + 1);
    open_by_zone[i.zone_id].insert(&i);
  }
  std::map<std::string, size_t> zone_ids;  // every zone a node had, numbered in first-seen order
  std::vector<int> owner_in_zone;          // scratch of SchedulePod, by zone id (all 0 outside it)
  size_t ZoneId(const std::string& zone) {
    auto [it, inserted] = zone_ids.emplace(zone, zone_ids.size());
    if (inserted) owner_in_zone.push_back(0);
    return it->second;
  }
  std::map<std::string, NodeInfo> nodes;  // by name (the scheduler's node cache)
  // `nodes` by name, hashed: the per-pod lookups (binds, owner spreading, slices) go through this
  // instead of comparing long node names down the tree. Views of the keys of `nodes`.
  std::unordered_map<std::string_view, NodeInfo*> node_index;
  NodeInfo* FindNode(std::string_view name) {
    auto it = node_index.find(name);
    return it == node_index.end() ? nullptr : it->second;
  }
  const NodeInfo* FindNode(std::string_view name) const {
    auto it = node_index.find(name);
    return it == node_index.end() ? nullptr : it->second;
  }
  std::set<std::string> unscheduled;                                      // pod keys

  // Kubelet state.
  struct PodRuntime {
    bool start_scheduled = false;
    bool started = false;
    bool containers_ready = false;
    std::optional<bool> forced_ready;
    bool stopping = false;
    std::string ip;
    std::string cidr;
  };
  std::unordered_map<std::string, PodRuntime> runtime;  // pod key
  std::map<std::string, std::string> node_subnet;
  std::map<std::string, AddressRuns> used_ips;  // cidr → addresses

  // Fargate.
  std::vector<FargateProfile> profiles;
  uint64_t fargate_counter = 0;
  std::map<std::string, std::string> fargate_node_of_pod;  // pod key → node name
  std::set<std::string> fargate_nodes;

  // ---------------------------------------------------------------- helpers

  void After(SimTime delay, std::function<void()> fn) {
    std::weak_ptr<bool> w = alive;
    queue.ScheduleAfter(delay, [w, fn = std::move(fn)] {
      if (!w.expired()) fn();
    });
  }

  // FormatRfc3339 of the current time, formatted once per instant.
  const std::string& Now() const { return now_text.Get(); }
  Rfc3339Now now_text{queue.clock()};

  template <typename T>
  std::shared_ptr<const T> GetT(const std::string& ns, const std::string& name) const {
    auto r = api.Get(T::kKind, ns, name);
    if (!r.ok()) return nullptr;
    return As<T>(r.value());
  }

  // ---------------------------------------------------------------- watch handlers

  // `slot`: the pod's slot; required when adding (delta > 0), null when removing a pod that never
  // had one.
  void IndexPod(const Pod& p, int delta, const PodSlot* slot) {
    SIM_CHECK(delta < 0 || slot != nullptr);
    const std::string& ns = p.metadata.namespace_;
    const StoreKey key{ns, p.metadata.name};
    if (const OwnerReference* ref = ControllerRef(p.metadata)) {
      if (delta > 0) {
        pods_by_owner[ref->uid][key] = slot;
      } else {
        auto it = pods_by_owner.find(ref->uid);
        if (it != pods_by_owner.end()) {
          it->second.erase(key);
          if (it->second.empty()) pods_by_owner.erase(it);
        }
      }
    } else if (delta > 0) {
      orphan_pods[ns][p.metadata.name] = slot;
    } else if (auto it = orphan_pods.find(ns); it != orphan_pods.end()) {
      it->second.erase(p.metadata.name);
      if (it->second.empty()) orphan_pods.erase(it);
    }
    for (const auto& [k, v] : p.metadata.labels) {
      if (delta > 0) {
        LabelPostings(pods_by_label, ns, k, v)[p.metadata.name] = slot;
      } else {
        auto it = pods_by_label.find(LabelKeyView{ns, k, v});
        if (it == pods_by_label.end()) continue;
        it->second.erase(p.metadata.name);
        if (it->second.empty()) pods_by_label.erase(it);
      }
    }
    IndexPodNode(p, delta, slot);
  }

  // The node-dependent part of IndexPod.
  // `slot`: the pod's slot (every added pod has one; null only for a pod never indexed).
  void IndexPodNode(const Pod& p, int delta, const PodSlot* slot) {
    NodePods* listed = nullptr;
    if (slot != nullptr && slot->on_node != nullptr) {
      listed = slot->on_node;
      UnlinkSlot(*listed, slot);
      slot->on_node = nullptr;
    }
    if (p.spec.node_name.empty()) {
      if (listed != nullptr) MaybeDropNodePods(*listed);
      return;
    }
    NodePods& on_node =
        listed != nullptr && *listed->name == p.spec.node_name ? *listed : NodePodsOf(p.spec.node_name);
    if (listed != nullptr && listed != &on_node) MaybeDropNodePods(*listed);  // another node's entry
    if (slot != nullptr && delta > 0) {
      slot->on_node = &on_node;
      slot->node_pos = on_node.slots.size();
      on_node.slots.push_back(slot);
    }
    const int count = on_node.count += delta;
    if (const OwnerReference* ref = ControllerRef(p.metadata)) {
      auto& per_node = owner_pods_on_node[ref->uid];
      if ((per_node[p.spec.node_name] += delta) == 0) per_node.erase(p.spec.node_name);
      if (per_node.empty()) owner_pods_on_node.erase(ref->uid);
    }
    if (NodeInfo* n = on_node.info) {
      Unlist(*n);
      n->pods = count;
      Relist(*n);
    }
    MaybeDropNodePods(on_node);  // last use of on_node
  }
  // The pods bound to `node_name`, in (namespace, name) order. `in_step` (when given) tells whether
  // every listed slot knows its place in the list (what unlisting relies on).
  std::set<StoreKey> PodsOnNode(const std::string& node_name, bool* in_step = nullptr) const {
    std::set<StoreKey> keys;
    if (in_step != nullptr) *in_step = true;
    auto it = pods_by_node.find(node_name);
    if (it == pods_by_node.end()) return keys;
    const std::vector<const PodSlot*>& slots = it->second.slots;
    for (size_t i = 0; i < slots.size(); ++i) {
      if (in_step != nullptr && (slots[i]->node_pos != i || slots[i]->on_node != &it->second)) *in_step = false;
      keys.emplace(slots[i]->pod->metadata.namespace_, slots[i]->pod->metadata.name);
    }
    return keys;
  }
  // Takes `slot` out of its node's list (the last slot takes its place).
  static void UnlinkSlot(NodePods& on_node, const PodSlot* slot) {
    std::vector<const PodSlot*>& slots = on_node.slots;
    if (slot->node_pos >= slots.size() || slots[slot->node_pos] != slot) return;
    slots[slot->node_pos] = slots.back();
    slots[slot->node_pos]->node_pos = slot->node_pos;
    slots.pop_back();
  }

  // True when IndexPod(a) and IndexPod(b) touch the same entries.
  static bool SameIndexFields(const Pod& a, const Pod& b, bool ignore_node = false) {
    if (a.metadata.namespace_ != b.metadata.namespace_ || a.metadata.name != b.metadata.name ||
        (!ignore_node && a.spec.node_name != b.spec.node_name) || a.metadata.labels != b.metadata.labels) {
      return false;
    }
    const OwnerReference* ra = ControllerRef(a.metadata);
    const OwnerReference* rb = ControllerRef(b.metadata);
    if (!ra || !rb) return !ra && !rb;
    return ra->uid == rb->uid;
  }

  // Calls fn(service name) once for each Service of `ns` whose selector the labels match (each
  // Service is indexed under its selector's first pair only).
  template <typename Fn>
  void ForEachServiceOfLabels(const std::string& ns, const std::map<std::string, std::string>& labels, Fn fn) const {
    for (const auto& [k, v] : labels) {
      auto it = svcs_by_selector.find(LabelKeyView{ns, k, v});
      if (it == svcs_by_selector.end()) continue;
      for (const auto& [svc_name, svc] : it->second) {
        bool match = true;
        for (const auto& [sk, sv] : svc->selector) {
          auto l = labels.find(sk);
          if (l == labels.end() || l->second != sv) match = false;
        }
        if (match) fn(svc_name);
      }
    }
  }

  void EnqueueServicesForLabels(const std::string& ns, const std::map<std::string, std::string>& labels) {
    ForEachServiceOfLabels(ns, labels, [&](const std::string& svc) { services.Add(KeyOf(ns, svc)); });
  }

  // The endpoint controllers' pod handlers (staging/src/k8s.io/endpointslice/util/controller_utils.go
  // GetServicesToUpdateOnPodChange): an added or deleted pod syncs its Services; an update only
  // those it may change (PodEndpointsChanged, ServicesToSyncOnRelabel).
  void EnqueueServicesForPodEvent(const Pod* old, const Pod& pod) {
    const std::string& ns = pod.metadata.namespace_;
    if (old == nullptr) {
      EnqueueServicesForLabels(ns, pod.metadata.labels);
      return;
    }
    const PodEndpointsChange change = PodEndpointsChanged(*old, pod);
    if (!change.labels_changed) {
      if (change.pod_changed) EnqueueServicesForLabels(ns, pod.metadata.labels);
      return;
    }
    std::vector<std::string> before, after;
    ForEachServiceOfLabels(ns, old->metadata.labels, [&](const std::string& svc) { before.push_back(svc); });
    ForEachServiceOfLabels(ns, pod.metadata.labels, [&](const std::string& svc) { after.push_back(svc); });
    std::sort(before.begin(), before.end());
    std::sort(after.begin(), after.end());
    for (const std::string& svc : ServicesToSyncOnRelabel(before, after, change.pod_changed)) {
      services.Add(KeyOf(ns, svc));
    }
  }

  // The deployment controller's deletePod: a Recreate Deployment is synced again once the last pod
  // of its replica sets is gone (it scales its new replica set up only then). Runs after the
  // deleted pod left the indexes.
  void EnqueueRecreateDeploymentWithoutPods(const Pod& pod) {
    const OwnerReference* ref = ControllerRef(pod.metadata);
    if (!ref || ref->kind != "ReplicaSet") return;
    const std::string& ns = pod.metadata.namespace_;
    auto rs = GetT<ReplicaSet>(ns, ref->name);
    if (!rs || rs->metadata.uid != ref->uid) return;
    const OwnerReference* dref = ControllerRef(rs->metadata);
    if (!dref || dref->kind != "Deployment") return;
    auto d = GetT<Deployment>(ns, dref->name);
    if (!d || d->metadata.uid != dref->uid || d->strategy.type != "Recreate") return;
    auto owned = rs_by_owner.find(d->metadata.uid);
    if (owned != rs_by_owner.end()) {
      for (const StoreKey& k : owned->second) {
        auto r = GetT<ReplicaSet>(k.first, k.second);
        if (r && pods_by_owner.count(r->metadata.uid)) return;  // pods left
      }
    }
    deployments.Add(KeyOf(ns, d->metadata.name));
  }

  void OnPod(const WatchEvent& e) {
    auto pod = As<Pod>(e.object);
    auto old = As<Pod>(e.old_object);
    const std::string key = KeyOf(pod->metadata.namespace_, pod->metadata.name);
    // An update that keeps what the indexes use (labels, controller, node) leaves them as they are
    // (the slot they point at takes the new object); one that only binds or moves the pod touches
    // the node-dependent entries only.
    if (e.type == WatchEventType::kDeleted) {
      // The event carries the last stored pod, which is what the indexes hold.
      const std::unique_ptr<PodSlot>* slot = pod_slots.Find(pod->metadata.uid);
      IndexPod(old ? *old : *pod, -1, slot == nullptr ? nullptr : slot->get());
      if (slot != nullptr) pod_slots.Erase(pod->metadata.uid);
    } else {
      const std::unique_ptr<PodSlot>* found = pod_slots.Find(pod->metadata.uid);
      PodSlot& slot = found != nullptr ? **found
                                       : *pod_slots.Set(pod->metadata.uid, std::make_unique<PodSlot>(), api.IssuedUidsForSim());
      slot.pod = pod;
      if (!old) {
        IndexPod(*pod, +1, &slot);
      } else if (!SameIndexFields(*old, *pod)) {
        if (SameIndexFields(*old, *pod, /*ignore_node=*/true)) {
          IndexPodNode(*old, -1, &slot);
          IndexPodNode(*pod, +1, &slot);
        } else {
          IndexPod(*old, -1, &slot);
          IndexPod(*pod, +1, &slot);
        }
      }
    }
    if (const OwnerReference* ref = ControllerRef(pod->metadata)) {
      if (ref->kind == "ReplicaSet") replicasets.Add(KeyOf(pod->metadata.namespace_, ref->name));
    }
    if (old && ControllerRef(old->metadata) && (!ControllerRef(pod->metadata) ||
                                                ControllerRef(pod->metadata)->uid != ControllerRef(old->metadata)->uid)) {
      replicasets.Add(KeyOf(old->metadata.namespace_, ControllerRef(old->metadata)->name));
    }
    // An orphan (upstream's addPod / updatePod): the ReplicaSets whose selector it matches may
    // adopt it, when it is new or its labels or controller changed (not when it has no labels or
    // is terminating: upstream's getPodReplicaSets and deletePod skip those).
    if (e.type != WatchEventType::kDeleted && !ControllerRef(pod->metadata) && !pod->metadata.labels.empty() &&
        !pod->metadata.deletion_timestamp &&
        (!old || ControllerRef(old->metadata) || old->metadata.labels != pod->metadata.labels)) {
      EnqueueReplicaSetsSelecting(*pod);
    }
    // A delete carries the last stored pod only: its Services sync as for an add (upstream's
    // deletePod calls addPod).
    EnqueueServicesForPodEvent(old.get(), *pod);
    if (e.type == WatchEventType::kDeleted) {
      unscheduled.erase(key);
      kubelet.Add(key);
      EnqueueRecreateDeploymentWithoutPods(*pod);
      return;
    }
    if (pod->spec.node_name.empty()) {
      if (!pod->metadata.deletion_timestamp) {
        unscheduled.insert(key);
        scheduler.Add(key);
      }
    } else {
      unscheduled.erase(key);
      kubelet.Add(key);
    }
  }

  void OnReplicaSet(const WatchEvent& e) {
    auto rs = As<ReplicaSet>(e.object);
    auto old = As<ReplicaSet>(e.old_object);
    const StoreKey key{rs->metadata.namespace_, rs->metadata.name};
    auto unindex = [&](const ReplicaSet& r) {
      if (const OwnerReference* ref = ControllerRef(r.metadata)) {
        auto it = rs_by_owner.find(ref->uid);
        if (it != rs_by_owner.end()) {
          it->second.erase(key);
          if (it->second.empty()) rs_by_owner.erase(it);
        }
      }
    };
    if (old) unindex(*old);
    if (e.type == WatchEventType::kDeleted) {
      unindex(*rs);
    } else if (const OwnerReference* ref = ControllerRef(rs->metadata)) {
      rs_by_owner[ref->uid].insert(key);
    }
    replicasets.Add(KeyOf(key.first, key.second));
    if (const OwnerReference* ref = ControllerRef(rs->metadata)) {
      if (ref->kind == "Deployment") deployments.Add(KeyOf(key.first, ref->name));
    }
  }

  void IndexService(const std::shared_ptr<const Service>& svc, bool add) {
    const Service& s = *svc;
    if (s.selector.empty()) return;
    const auto& [k, v] = *s.selector.begin();
    if (add) {
      LabelPostings(svcs_by_selector, s.metadata.namespace_, k, v)[s.metadata.name] = svc;
    } else {
      auto it = svcs_by_selector.find(LabelKeyView{s.metadata.namespace_, k, v});
      if (it == svcs_by_selector.end()) return;
      it->second.erase(s.metadata.name);
      if (it->second.empty()) svcs_by_selector.erase(it);
    }
  }

  void OnService(const WatchEvent& e) {
    auto svc = As<Service>(e.object);
    if (auto old = As<Service>(e.old_object)) IndexService(old, false);
    if (e.type == WatchEventType::kDeleted) {
      IndexService(svc, false);
    } else {
      IndexService(svc, true);
    }
    services.Add(KeyOf(svc->metadata.namespace_, svc->metadata.name));
  }

  // Upstream pkg/controller/endpointslice/endpointslice_controller.go onEndpointSliceAdd / Update /
  // Delete: the index of the slices each Service manages, and a sync of the Service, 1 s later
  // (endpointSliceChangeMinSyncDelay), when someone else adds or changes one (a newer generation than
  // written here, or one never written here), moves it to another Service, changes its managed-by
  // label, or deletes one written here.
  void OnEndpointSlice(const WatchEvent& e) {
    const Object& s = *e.object;
    const std::string& ns = s.metadata.namespace_;
    auto service_label = [](const Object& o) {
      auto it = o.metadata.labels.find(model::k8s::kLabelServiceName);
      return it == o.metadata.labels.end() ? std::string_view{} : std::string_view{it->second};
    };
    auto managed = [](const Object& o) {
      auto mb = o.metadata.labels.find(kManagedByLabel);
      return mb != o.metadata.labels.end() && mb->second == kManagedBy;
    };
    const std::string_view svc = service_label(s);
    const bool is_managed = managed(s) && !svc.empty();
    const std::string_view old_svc = e.old_object ? service_label(*e.old_object) : std::string_view{};
    const bool was_managed = e.old_object && managed(*e.old_object) && !old_svc.empty();
    auto unindex = [&](std::string_view service) {
      auto it = slices_by_service.find(StoreKey{ns, std::string(service)});
      if (it == slices_by_service.end()) return;
      it->second.erase(s.metadata.name);
      if (it->second.empty()) slices_by_service.erase(it);
    };
    auto sync_later = [&](std::string_view service) {
      if (!service.empty()) services.AddAfter(KeyOf(ns, std::string(service)), kSliceChangeSyncDelay);
    };
    if (was_managed && (!is_managed || old_svc != svc)) unindex(old_svc);
    if (e.type == WatchEventType::kDeleted) {
      auto tracked = slice_generations.find(s.metadata.uid);
      const bool has = is_managed && tracked != slice_generations.end() && tracked->second.service == svc;
      if (tracked != slice_generations.end()) slice_generations.erase(tracked);  // managed or not any more
      if (!is_managed) return;
      unindex(svc);
      if (has && !writing_slices) sync_later(svc);  // HandleDeletion: not a delete of ours
      return;
    }
    if (is_managed) slices_by_service[StoreKey{ns, std::string(svc)}].insert(s.metadata.name);
    if (writing_slices) return;
    if (e.old_object && old_svc != svc) {  // moved (whoever manages it): both Services
      sync_later(svc);
      sync_later(old_svc);
      return;
    }
    const bool managed_by_changed = e.old_object && managed(*e.old_object) != managed(s);
    auto tracked = slice_generations.find(s.metadata.uid);
    const bool should_sync = tracked == slice_generations.end() || tracked->second.service != svc ||
                             s.metadata.generation > tracked->second.generation;
    if (managed_by_changed || (is_managed && should_sync)) sync_later(svc);
  }

  // Runs one of this controller's own slice writes (a Create or Update for `service`): its watch
  // events do not count as someone else's change, and the generation written is tracked.
  template <typename Write>
  void WriteSlice(const std::string& service, Write write) {
    const bool outer = std::exchange(writing_slices, true);
    Result<ObjectPtr> r = write();
    writing_slices = outer;
    if (r.ok()) slice_generations[r.value()->metadata.uid] = TrackedSlice{service, r.value()->metadata.generation};
  }
  // This controller's own delete of a slice (its watch event forgets the slice's generation).
  void DeleteSlice(const std::string& ns, const std::string& name) {
    const bool outer = std::exchange(writing_slices, true);
    (void)api.Delete(Kind::kEndpointSlice, ns, name);
    writing_slices = outer;
  }

  void OnNode(const WatchEvent& e) {
    for (const std::string& k : unscheduled) scheduler.Add(k);
    auto node = As<Node>(e.object);
    auto old = As<Node>(e.old_object);
    auto zone = [](const Node* n) {
      if (!n) return std::string();
      auto it = n->metadata.labels.find(kZoneLabel);
      return it == n->metadata.labels.end() ? std::string() : it->second;
    };
    if (auto it = nodes.find(node->metadata.name); it != nodes.end()) {
      Unlist(it->second);
      if (!it->second.open) --restricted_nodes;
      node_index.erase(std::string_view(it->first));
      nodes.erase(it);
      if (auto pn = pods_by_node.find(node->metadata.name); pn != pods_by_node.end()) {
        pn->second.info = nullptr;
        MaybeDropNodePods(pn->second);
      }
    }
    if (e.type != WatchEventType::kDeleted) {
      NodePods& on_node = NodePodsOf(node->metadata.name);
      const std::string z = zone(node.get());
      const size_t zid = ZoneId(z);
      auto entry = nodes.try_emplace(node->metadata.name).first;
      NodeInfo& info = entry->second = NodeInfo{node, z, on_node.count, node->Ready(), zid, 0};
      info.name = &entry->first;
      node_index[std::string_view(entry->first)] = &info;
      on_node.info = &info;
      info.open = info.ready && !node->metadata.deletion_timestamp && !node->unschedulable &&
                  std::none_of(node->taints.begin(), node->taints.end(),
                               [](const Taint& t) { return t.effect == "NoSchedule" || t.effect == "NoExecute"; });
      if (!info.open) ++restricted_nodes;
      Relist(info);
    }
    if (e.type == WatchEventType::kAdded) {
      uint32_t ip;
      const std::string cidr = SubnetOf(node->metadata.name, node->InternalIP());
      if (ParseIpv4(node->InternalIP(), &ip) && !cidr.empty()) used_ips[cidr].Insert(ip);
    }
    if (!old || zone(old.get()) != zone(node.get()) || e.type == WatchEventType::kDeleted) {
      for (const ObjectPtr& s : api.List(Kind::kService)) services.Add(KeyOf(s->metadata.namespace_, s->metadata.name));
    }
    const std::string node_name = node->metadata.name;
    auto pods_here = [this, node_name] { return PodsOnNode(node_name); };
    if (e.type == WatchEventType::kDeleted) {
      // PodGC: pods bound to a node that no longer exists are force-deleted.
      if (fargate_nodes.count(node_name)) return;
      After(SimTime(0), [this, pods_here] {
        for (const StoreKey& pk : pods_here()) (void)api.RemovePodNow(pk.first, pk.second);
      });
      return;
    }
    const bool was_ready = old ? old->Ready() : true;
    if (was_ready && !node->Ready()) {
      // Node lifecycle controller: MarkPodsNotReady, then NoExecute eviction after the default
      // tolerationSeconds (300 s). The pods stay Terminating while the kubelet is gone.
      After(SimTime(0), [this, node_name, pods_here] {
        if (NodeReady(node_name)) return;
        for (const StoreKey& pk : pods_here()) {
          auto pod = GetT<Pod>(pk.first, pk.second);
          if (!pod) continue;
          Pod req = StatusRequest(*pod);
          for (PodCondition& c : req.conditions) {
            if (c.type == "Ready" && c.status != "False") {
              c.status = "False";
              c.last_transition_time = Now();
            }
          }
          (void)api.UpdateStatus(req);
        }
      });
      After(std::chrono::seconds(300), [this, node_name, pods_here] {
        if (NodeReady(node_name)) return;
        for (const StoreKey& pk : pods_here()) (void)api.Delete(Kind::kPod, pk.first, pk.second);
      });
    } else if (!was_ready && node->Ready()) {
      for (const StoreKey& pk : pods_here()) kubelet.Add(KeyOf(pk.first, pk.second));
    }
  }

  bool NodeReady(const std::string& name) const {
    const NodeInfo* n = FindNode(name);
    return n != nullptr && n->ready;
  }

  // ---------------------------------------------------------------- ReplicaSet controller

  void EnqueueReplicaSetsSelecting(const Pod& pod) {
    for (const ObjectPtr& o : api.List(Kind::kReplicaSet, pod.metadata.namespace_)) {
      const auto& rs = static_cast<const ReplicaSet&>(*o);
      if (!rs.selector.empty() && rs.selector.Matches(pod.metadata.labels)) {
        replicasets.Add(KeyOf(rs.metadata.namespace_, rs.metadata.name));
      }
    }
  }

  // upstream's PodControllerRefManager.ClaimPods for `rs` (not being deleted), into `claimed`: the
  // active pods of its namespace it controls whose labels still match its selector, plus the active
  // orphans there that match it, which it adopts (its controller reference added to the pod). The
  // pods it controls that no longer match are released (its reference removed) and left out. Each
  // write goes to the pod as it is now (upstream patches it, guarded by its uid only). False when an
  // adoption or release failed for another reason than the pod being gone: upstream's sync then
  // returns the error, before counting pods.
  bool ClaimPods(const ReplicaSet& rs, std::vector<std::shared_ptr<const Pod>>* claimed) {
    const std::string& ns = rs.metadata.namespace_;
    std::vector<std::shared_ptr<const Pod>> release, adopt;
    if (auto it = pods_by_owner.find(rs.metadata.uid); it != pods_by_owner.end()) {
      for (const auto& [pk, slot] : it->second) {
        if (pk.first != ns || !PodActive(*slot->pod)) continue;
        (rs.selector.Matches(slot->pod->metadata.labels) ? *claimed : release).push_back(slot->pod);
      }
    }
    if (auto it = orphan_pods.find(ns); it != orphan_pods.end()) {
      for (const auto& [pod_name, slot] : it->second) {
        if (PodActive(*slot->pod) && rs.selector.Matches(slot->pod->metadata.labels)) adopt.push_back(slot->pod);
      }
    }
    // Written after the walks: each write re-indexes the pod (synchronous watch).
    bool ok = true;
    auto current = [&](const Pod& seen) {
      auto pod = GetT<Pod>(ns, seen.metadata.name);
      return pod && pod->metadata.uid == seen.metadata.uid ? pod : nullptr;
    };
    for (const auto& seen : release) {
      auto pod = current(*seen);
      const OwnerReference* ref = pod ? ControllerRef(pod->metadata) : nullptr;
      if (ref == nullptr || ref->uid != rs.metadata.uid || !PodActive(*pod)) continue;
      if (rs.selector.Matches(pod->metadata.labels)) {
        claimed->push_back(pod);
        continue;
      }
      auto copy = MutableCopy(pod);
      auto& refs = copy->metadata.owner_references;
      refs.erase(std::remove_if(refs.begin(), refs.end(), [&](const OwnerReference& r) { return r.uid == rs.metadata.uid; }),
                 refs.end());
      auto r = api.Update(*copy);
      if (!r.ok() && !IsNotFound(r.error()) && r.error().aws_code != "Invalid") ok = false;
    }
    if (adopt.empty()) return ok;
    // canAdopt: the ReplicaSet read again, once, before the first adoption.
    auto fresh = GetT<ReplicaSet>(ns, rs.metadata.name);
    if (!fresh || fresh->metadata.uid != rs.metadata.uid || fresh->metadata.deletion_timestamp) return ok;
    for (const auto& seen : adopt) {
      auto pod = current(*seen);
      if (!pod || ControllerRef(pod->metadata) || !PodActive(*pod) || !rs.selector.Matches(pod->metadata.labels)) continue;
      auto copy = MutableCopy(pod);
      auto& refs = copy->metadata.owner_references;
      // A reference to it that is not a controller's becomes the controller's (the patch merges by uid).
      auto same = std::find_if(refs.begin(), refs.end(), [&](const OwnerReference& r) { return r.uid == rs.metadata.uid; });
      if (same != refs.end()) {
        *same = MakeControllerRef(rs);
      } else {
        refs.push_back(MakeControllerRef(rs));
      }
      auto r = api.Update(*copy);
      if (r.ok()) {
        claimed->push_back(As<Pod>(r.value()));
      } else if (!IsNotFound(r.error())) {
        ok = false;
      }
    }
    return ok;
  }

  void SyncReplicaSet(const std::string& key) {
    auto [ns, name] = SplitKey(key);
    auto rs = GetT<ReplicaSet>(ns, name);
    if (!rs || rs->metadata.deletion_timestamp) return;
    std::vector<std::shared_ptr<const Pod>> active;
    if (!ClaimPods(*rs, &active)) {
      // upstream: the sync ends with the error and the key is requeued rate-limited.
      replicasets.AddAfter(key, rs_retry.When(key, queue.clock().Now()));
      return;
    }
    rs_retry.Forget(key);
    const int diff = static_cast<int>(active.size()) - rs->replicas;
    if (diff < 0) {
      for (int i = 0; i < -diff; ++i) {
        auto pod = std::make_shared<Pod>();  // given to the server as its copy
        pod->metadata.generate_name = rs->metadata.name + "-";
        pod->metadata.namespace_ = ns;
        pod->metadata.labels = rs->template_.metadata.labels;
        pod->metadata.annotations = rs->template_.metadata.annotations;
        pod->metadata.owner_references = {MakeControllerRef(*rs)};
        pod->spec = rs->template_.spec;
        auto r = api.Create(std::move(pod));
        if (r.ok()) {
          api.RecordEvent(*rs, "Normal", "SuccessfulCreate", "Created pod: " + r.value()->metadata.name,
                          "replicaset-controller");
        } else {
          api.RecordEvent(*rs, "Warning", "FailedCreate", "Error creating: " + r.error().message,
                          "replicaset-controller");
          break;
        }
      }
    } else if (diff > 0) {
      // controller.ActivePods ordering: unscheduled < scheduled, Pending < Running, not ready < ready,
      // then newer first.
      std::stable_sort(active.begin(), active.end(), [](const auto& a, const auto& b) {
        auto rank = [](const Pod& p) {
          return std::make_tuple(p.spec.node_name.empty() ? 0 : 1, p.phase == "Pending" ? 0 : (p.phase == "Running" ? 2 : 1),
                                 p.Ready() ? 1 : 0);
        };
        if (rank(*a) != rank(*b)) return rank(*a) < rank(*b);
        return a->metadata.creation_timestamp > b->metadata.creation_timestamp ||
               (a->metadata.creation_timestamp == b->metadata.creation_timestamp &&
                std::stoll(a->metadata.resource_version) > std::stoll(b->metadata.resource_version));
      });
      for (int i = 0; i < diff; ++i) {
        const auto& victim = active[i];
        if (api.Delete(Kind::kPod, ns, victim->metadata.name).ok()) {
          api.RecordEvent(*rs, "Normal", "SuccessfulDelete", "Deleted pod: " + victim->metadata.name,
                          "replicaset-controller");
        }
      }
    }
    // Status.
    int replicas = 0, ready = 0;
    if (diff == 0) {
      // No pod was created or deleted since `active` was claimed (the claim's own writes are in it).
      replicas = static_cast<int>(active.size());
      for (const auto& p : active) ready += p->Ready() ? 1 : 0;
    } else {
      rs = GetT<ReplicaSet>(ns, name);
      if (!rs) return;
      auto it = pods_by_owner.find(rs->metadata.uid);
      if (it != pods_by_owner.end()) {
        for (const auto& [pk, slot] : it->second) {
          if (pk.first != ns || !PodActive(*slot->pod)) continue;  // as ClaimPods counts them
          ++replicas;
          if (slot->pod->Ready()) ++ready;
        }
      }
    }
    if (rs->status_replicas != replicas || rs->ready_replicas != ready || rs->available_replicas != ready) {
      ReplicaSet req = StatusRequest(*rs);
      req.status_replicas = replicas;
      req.ready_replicas = ready;
      req.available_replicas = ready;
      (void)api.UpdateStatus(req);
    }
  }

  // ---------------------------------------------------------------- Deployment controller

  // Pod-template hash per Deployment uid, valid for one generation: every change of the template
  // is a spec change, which bumps metadata.generation (dropped when the Deployment is deleted).
  struct TemplateHashEntry {
    int64_t generation = 0;
    std::string hash;
  };
  std::unordered_map<std::string, TemplateHashEntry> template_hashes;
  const std::string& TemplateHashOf(const Deployment& d) {
    TemplateHashEntry& e = template_hashes[d.metadata.uid];
    if (e.hash.empty() || e.generation != d.metadata.generation) {
      e.hash = TemplateHash(d.template_);
      e.generation = d.metadata.generation;
    }
    return e.hash;
  }

  void ScaleReplicaSet(const Deployment& d, std::shared_ptr<const ReplicaSet> rs, int replicas, int max_surge) {
    auto copy = MutableCopy(rs);
    const int from = rs->replicas;
    copy->replicas = replicas;
    copy->metadata.annotations["deployment.kubernetes.io/desired-replicas"] = std::to_string(d.replicas);
    copy->metadata.annotations["deployment.kubernetes.io/max-replicas"] = std::to_string(d.replicas + max_surge);
    auto r = api.Update(*copy);
    if (!r.ok() || from == replicas) return;
    api.RecordEvent(d, "Normal", "ScalingReplicaSet",
                    std::string(replicas > from ? "Scaled up" : "Scaled down") + " replica set " + rs->metadata.name +
                        " from " + std::to_string(from) + " to " + std::to_string(replicas),
                    "deployment-controller");
  }

  void SyncDeployment(const std::string& key) {
    auto [ns, name] = SplitKey(key);
    auto d = GetT<Deployment>(ns, name);
    if (!d || d->metadata.deletion_timestamp) return;
    const std::string hash = TemplateHashOf(*d);  // a copy: writes below may drop the entry
    std::shared_ptr<const ReplicaSet> new_rs;
    std::vector<std::shared_ptr<const ReplicaSet>> old_rss;
    int max_revision = 0;
    auto it = rs_by_owner.find(d->metadata.uid);
    if (it != rs_by_owner.end()) {
      for (const StoreKey& rk : it->second) {
        auto rs = GetT<ReplicaSet>(rk.first, rk.second);
        if (!rs || rs->metadata.deletion_timestamp) continue;
        max_revision = std::max(max_revision, Revision(*rs));
        auto hl = rs->template_.metadata.labels.find(kHashLabel);
        if (hl != rs->template_.metadata.labels.end() && hl->second == hash) {
          new_rs = rs;
        } else {
          old_rss.push_back(rs);
        }
      }
    }
    std::sort(old_rss.begin(), old_rss.end(), [](const auto& a, const auto& b) {
      return std::tie(a->metadata.creation_timestamp, a->metadata.name) <
             std::tie(b->metadata.creation_timestamp, b->metadata.name);
    });
    const bool rolling = d->strategy.type != "Recreate";
    int max_surge = rolling ? ScaledValue(d->strategy.max_surge, d->replicas, true) : 0;
    int max_unavailable = rolling ? ScaledValue(d->strategy.max_unavailable, d->replicas, false) : 0;
    if (rolling && max_surge == 0 && max_unavailable == 0) max_unavailable = 1;

    auto total_replicas = [&]() {
      int n = new_rs ? new_rs->replicas : 0;
      for (const auto& rs : old_rss) n += rs->replicas;
      return n;
    };
    auto old_active_pods = [&]() {
      int n = 0;
      for (const auto& rs : old_rss) {
        auto pit = pods_by_owner.find(rs->metadata.uid);
        if (pit == pods_by_owner.end()) continue;
        n += static_cast<int>(pit->second.size());
      }
      return n;
    };

    if (!new_rs) {
      int replicas;
      if (rolling) {
        const int current = total_replicas();
        replicas = std::max(0, std::min(d->replicas + max_surge - current, d->replicas));
      } else {
        replicas = old_active_pods() == 0 && total_replicas() == 0 ? d->replicas : 0;
      }
      ReplicaSet rs;
      rs.metadata.name = d->metadata.name + "-" + hash;
      rs.metadata.namespace_ = ns;
      rs.metadata.labels = d->template_.metadata.labels;
      rs.metadata.labels[kHashLabel] = hash;
      rs.metadata.annotations[kRevisionAnnotation] = std::to_string(max_revision + 1);
      rs.metadata.annotations["deployment.kubernetes.io/desired-replicas"] = std::to_string(d->replicas);
      rs.metadata.annotations["deployment.kubernetes.io/max-replicas"] = std::to_string(d->replicas + max_surge);
      rs.metadata.owner_references = {MakeControllerRef(*d)};
      rs.replicas = replicas;
      rs.selector = d->selector;
      rs.selector.match_labels[kHashLabel] = hash;
      rs.template_ = d->template_;
      rs.template_.metadata.labels[kHashLabel] = hash;
      auto r = api.Create(rs);
      if (!r.ok()) return;
      new_rs = As<ReplicaSet>(r.value());
      if (replicas > 0) {
        api.RecordEvent(*d, "Normal", "ScalingReplicaSet",
                        "Scaled up replica set " + rs.metadata.name + " from 0 to " + std::to_string(replicas),
                        "deployment-controller");
      }
    } else if (Revision(*new_rs) < max_revision) {
      auto copy = MutableCopy(new_rs);
      copy->metadata.annotations[kRevisionAnnotation] = std::to_string(max_revision + 1);
      auto r = api.Update(*copy);
      if (r.ok()) new_rs = As<ReplicaSet>(r.value());
    }

    if (rolling) {
      // reconcileNewReplicaSet
      if (new_rs->replicas > d->replicas) {
        ScaleReplicaSet(*d, new_rs, d->replicas, max_surge);
      } else if (new_rs->replicas < d->replicas) {
        const int current = total_replicas();
        const int max_total = d->replicas + max_surge;
        if (current < max_total) {
          const int up = std::min(max_total - current, d->replicas - new_rs->replicas);
          if (up > 0) ScaleReplicaSet(*d, new_rs, new_rs->replicas + up, max_surge);
        }
      }
      new_rs = GetT<ReplicaSet>(ns, new_rs->metadata.name);
      if (!new_rs) return;
      // reconcileOldReplicaSets
      int old_count = 0;
      for (const auto& rs : old_rss) old_count += rs->replicas;
      if (old_count > 0) {
        const int all = total_replicas();
        const int min_available = d->replicas - max_unavailable;
        const int new_unavailable = new_rs->replicas - new_rs->available_replicas;
        int max_scaled_down = all - min_available - new_unavailable;
        if (max_scaled_down > 0) {
          // cleanupUnhealthyReplicas
          int cleaned = 0;
          for (auto& rs : old_rss) {
            if (cleaned >= max_scaled_down) break;
            const int unhealthy = rs->replicas - rs->available_replicas;
            if (rs->replicas == 0 || unhealthy <= 0) continue;
            const int n = std::min(max_scaled_down - cleaned, unhealthy);
            ScaleReplicaSet(*d, rs, rs->replicas - n, max_surge);
            cleaned += n;
            rs = GetT<ReplicaSet>(ns, rs->metadata.name);
            if (!rs) return;
          }
          // scaleDownOldReplicaSetsForRollingUpdate
          int available = new_rs->available_replicas;
          for (const auto& rs : old_rss) available += rs->available_replicas;
          if (available > min_available) {
            int total_down = available - min_available;
            int done = 0;
            for (auto& rs : old_rss) {
              if (done >= total_down) break;
              if (rs->replicas == 0) continue;
              const int n = std::min(rs->replicas, total_down - done);
              ScaleReplicaSet(*d, rs, rs->replicas - n, max_surge);
              done += n;
            }
          }
        }
      }
    } else {
      // Recreate: old replica sets to zero, wait for their pods to go, then scale up the new one.
      bool old_scaled = false;
      for (const auto& rs : old_rss) {
        if (rs->replicas != 0) {
          ScaleReplicaSet(*d, rs, 0, 0);
          old_scaled = true;
        }
      }
      if (!old_scaled && old_active_pods() == 0 && new_rs->replicas != d->replicas) {
        ScaleReplicaSet(*d, new_rs, d->replicas, 0);
      }
    }

    // Cleanup beyond revisionHistoryLimit (oldest first, only fully scaled-down sets).
    std::vector<std::shared_ptr<const ReplicaSet>> cleanable;
    for (const auto& rs : old_rss) {
      auto cur = GetT<ReplicaSet>(ns, rs->metadata.name);
      if (cur && cur->replicas == 0 && cur->status_replicas == 0) cleanable.push_back(cur);
    }
    const int excess = static_cast<int>(cleanable.size()) - d->revision_history_limit;
    for (int i = 0; i < excess; ++i) (void)api.Delete(Kind::kReplicaSet, ns, cleanable[i]->metadata.name);

    // Revision annotation and status.
    d = GetT<Deployment>(ns, name);
    if (!d) return;
    new_rs = GetT<ReplicaSet>(ns, new_rs->metadata.name);
    if (!new_rs) return;
    auto rev = new_rs->metadata.annotations.find(kRevisionAnnotation);
    if (rev != new_rs->metadata.annotations.end()) {
      auto drev = d->metadata.annotations.find(kRevisionAnnotation);
      if (drev == d->metadata.annotations.end() || drev->second != rev->second) {
        auto copy = MutableCopy(d);
        copy->metadata.annotations[kRevisionAnnotation] = rev->second;
        auto r = api.Update(*copy);
        if (!r.ok()) return;
        d = As<Deployment>(r.value());
      }
    }
    int replicas = 0, ready = 0, available = 0;
    it = rs_by_owner.find(d->metadata.uid);
    if (it != rs_by_owner.end()) {
      for (const StoreKey& rk : it->second) {
        auto rs = GetT<ReplicaSet>(rk.first, rk.second);
        if (!rs) continue;
        replicas += rs->status_replicas;
        ready += rs->ready_replicas;
        available += rs->available_replicas;
      }
    }
    if (d->observed_generation == d->metadata.generation && d->status_replicas == replicas &&
        d->ready_replicas == ready && d->available_replicas == available &&
        d->updated_replicas == new_rs->status_replicas) {
      return;  // the status write would be a no-op
    }
    Deployment req = StatusRequest(*d);
    req.observed_generation = d->metadata.generation;
    req.status_replicas = replicas;
    req.ready_replicas = ready;
    req.available_replicas = available;
    req.updated_replicas = new_rs->status_replicas;
    (void)api.UpdateStatus(req);
  }

  // ---------------------------------------------------------------- scheduler

  void SchedulePod(const std::string& key) {
    auto [ns, name] = SplitKey(key);
    auto pod = GetT<Pod>(ns, name);
    if (!pod || !pod->spec.node_name.empty() || pod->metadata.deletion_timestamp) return;
    if (pod->spec.scheduler_name == "fargate-scheduler") {
      ScheduleFargate(pod);
      return;
    }
    if (pod->spec.scheduler_name != "default-scheduler") return;
    if (pod->spec.node_selector.empty() && restricted_nodes == 0 && ScheduleOnOpenNode(*pod)) return;
    std::vector<const NodeInfo*> feasible;
    std::map<std::string, int> reasons;
    for (const auto& [node_name, info] : nodes) {
      const auto& n = info.node;
      if (n->metadata.deletion_timestamp) continue;
      if (!info.ready) {
        ++reasons["node(s) had untolerated taint {node.kubernetes.io/not-ready: }"];
        continue;
      }
      if (n->unschedulable) {
        ++reasons["node(s) were unschedulable"];
        continue;
      }
      if (info.pods >= opts.max_pods_per_node) {
        ++reasons["Too many pods"];
        continue;
      }
      if (!LabelsMatch(n->metadata.labels, pod->spec.node_selector)) {
        ++reasons["node(s) didn't match Pod's node affinity/selector"];
        continue;
      }
      const Taint* untolerated = nullptr;
      for (const Taint& t : n->taints) {
        if ((t.effect == "NoSchedule" || t.effect == "NoExecute") && !Tolerates(pod->spec.tolerations, t)) {
          untolerated = &t;
          break;
        }
      }
      if (untolerated) {
        ++reasons["node(s) had untolerated taint {" + untolerated->key + ": " + untolerated->value + "}"];
        continue;
      }
      feasible.push_back(&info);
    }
    if (feasible.empty()) {
      const int total = static_cast<int>(nodes.size());
      std::string msg;
      if (total == 0) {
        msg = "no nodes available to schedule pods";
      } else {
        msg = "0/" + std::to_string(total) + " nodes are available: ";
        bool first = true;
        for (const auto& [reason, count] : reasons) {
          if (!first) msg += ", ";
          first = false;
          msg += std::to_string(count) + " " + reason;
        }
        msg += ". preemption: 0/" + std::to_string(total) + " nodes are available: " + std::to_string(total) +
               " Preemption is not helpful for scheduling.";
      }
      const PodCondition* cur = pod->Condition("PodScheduled");
      if (!cur || cur->status != "False" || cur->message != msg) {
        Pod req = StatusRequest(*pod);
        bool found = false;
        for (PodCondition& c : req.conditions) {
          if (c.type == "PodScheduled") {
            c = PodCondition{"PodScheduled", "False", "Unschedulable", msg, Now()};
            found = true;
          }
        }
        if (!found) req.conditions.push_back(PodCondition{"PodScheduled", "False", "Unschedulable", msg, Now()});
        (void)api.UpdateStatus(req);
        api.RecordEvent(*pod, "Warning", "FailedScheduling", msg, "default-scheduler");
      }
      return;
    }
    // Twin scoring rule: fewest same-owner pods in the zone, then on the node, then fewest pods, then name
    // (nodes are listed in name order, so the index breaks ties by name).
    const std::vector<NodeInfo*> owner_infos = MarkOwnerPods(*pod);
    size_t best_index = 0;
    std::tuple<int, int, int> best_score{INT32_MAX, INT32_MAX, INT32_MAX};
    for (size_t i = 0; i < feasible.size(); ++i) {
      const std::tuple<int, int, int> score = Score(*feasible[i]);
      if (score < best_score) {  // strict: the first (lowest name) node wins ties
        best_score = score;
        best_index = i;
      }
    }
    ClearOwnerPods(owner_infos);
    Bind(*pod, *feasible[best_index]->node);
  }

  // The pod's owner's pods per node and per zone, written into the node infos and owner_in_zone for
  // scoring; ClearOwnerPods resets them after (a node's key in `nodes` is its name).
  std::vector<NodeInfo*> MarkOwnerPods(const Pod& pod) {
    std::vector<NodeInfo*> owner_infos;
    const OwnerReference* owner = ControllerRef(pod.metadata);
    if (!owner) return owner_infos;
    auto it = owner_pods_on_node.find(owner->uid);
    if (it == owner_pods_on_node.end()) return owner_infos;
    for (const auto& [node_name, count] : it->second) {
      NodeInfo* n = FindNode(node_name);
      if (n == nullptr) continue;
      owner_in_zone[n->zone_id] += count;
      n->owner_pods = count;
      owner_infos.push_back(n);
    }
    return owner_infos;
  }
  void ClearOwnerPods(const std::vector<NodeInfo*>& owner_infos) {
    for (NodeInfo* info : owner_infos) {
      info->owner_pods = 0;
      owner_in_zone[info->zone_id] = 0;
    }
  }
  // A node's score for the pod whose owner's pods are marked (lower is better; ties go by name).
  std::tuple<int, int, int> Score(const NodeInfo& info) const {
    return {owner_in_zone[info.zone_id], info.owner_pods, info.pods};
  }
  void Bind(const Pod& pod, const Node& node) {
    const std::string& ns = pod.metadata.namespace_;
    const std::string& name = pod.metadata.name;
    if (api.BindPod(ns, name, node.metadata.name).ok()) {
      api.RecordEvent(pod, "Normal", "Scheduled", "Successfully assigned " + ns + "/" + name + " to " + node.metadata.name,
                      "default-scheduler");
    }
  }

  // SchedulePod for a pod without node selector when every node is open: the same node as the
  // full scan (feasible = fewer pods than the maximum; fewest same-owner pods in the zone, then on
  // the node, then fewest pods, then name), found among each zone's least loaded non-owner node and
  // the owner's nodes. False when no node has room (the full scan then explains why).
  bool ScheduleOnOpenNode(const Pod& pod) {
    const std::vector<NodeInfo*> owner_infos = MarkOwnerPods(pod);
    const NodeInfo* best = nullptr;
    std::tuple<int, int, int> best_score{INT32_MAX, INT32_MAX, INT32_MAX};
    auto consider = [&](const NodeInfo* info) {
      if (info->pods >= opts.max_pods_per_node) return;
      const std::tuple<int, int, int> score = Score(*info);
      if (!best || score < best_score ||
          (score == best_score && *info->name < *best->name)) {
        best_score = score;
        best = info;
      }
    };
    for (const auto& zone : open_by_zone) {
      for (const NodeInfo* info : zone) {
        if (info->pods >= opts.max_pods_per_node) break;
        if (info->owner_pods == 0) {
          consider(info);
          break;
        }
      }
    }
    for (const NodeInfo* info : owner_infos) consider(info);
    ClearOwnerPods(owner_infos);
    if (!best) return false;
    Bind(pod, *best->node);
    return true;
  }

  const FargateProfile* MatchFargate(const Pod& p) const {
    for (const FargateProfile& f : profiles) {
      if (f.namespace_ == p.metadata.namespace_ && LabelsMatch(p.metadata.labels, f.labels)) return &f;
    }
    return nullptr;
  }

  void ScheduleFargate(const std::shared_ptr<const Pod>& pod) {
    const FargateProfile* profile = MatchFargate(*pod);
    if (!profile || profile->subnets.empty()) return;
    const FargateProfile::Subnet& subnet = profile->subnets[fargate_counter++ % profile->subnets.size()];
    uint32_t base, size;
    if (!ParseCidr(subnet.cidr, &base, &size)) return;
    auto& used = used_ips[subnet.cidr];
    const uint32_t ip = used.FirstFree(base + 4, base + size - 1);
    if (ip == base + size - 1) return;
    used.Insert(ip);
    const std::string ip_str = Ipv4ToString(ip);
    auto node = std::make_shared<Node>();
    node->metadata.name = "fargate-" + Ec2PrivateDnsName(ip_str, opts.region);
    auto& l = node->metadata.labels;
    l["kubernetes.io/hostname"] = node->metadata.name;
    l["kubernetes.io/os"] = "linux";
    l["eks.amazonaws.com/compute-type"] = "fargate";
    l["eks.amazonaws.com/fargate-profile"] = profile->name;
    l["topology.kubernetes.io/region"] = opts.region;
    l["topology.kubernetes.io/zone"] = subnet.az;
    l["failure-domain.beta.kubernetes.io/region"] = opts.region;
    l["failure-domain.beta.kubernetes.io/zone"] = subnet.az;
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%08x", ip);
    node->provider_id = "aws:///" + subnet.az + "/fargate-" + buf;
    node->taints = {Taint{"eks.amazonaws.com/compute-type", "fargate", "NoSchedule"}};
    const std::string dns = Ec2PrivateDnsName(ip_str, opts.region);
    node->addresses = {{"InternalIP", ip_str}, {"InternalDNS", dns}, {"Hostname", dns}};
    node->conditions = {{"Ready", "True", "KubeletReady", "kubelet is posting ready status"}};
    node_subnet[node->metadata.name] = subnet.cidr;
    fargate_nodes.insert(node->metadata.name);
    auto r = api.Create(*node);
    if (!r.ok()) {
      used.Erase(ip);
      return;
    }
    const std::string key = KeyOf(pod->metadata.namespace_, pod->metadata.name);
    fargate_node_of_pod[key] = node->metadata.name;
    runtime[key].ip = ip_str;
    runtime[key].cidr = subnet.cidr;
    // Fargate pods carry the provisioned capacity annotation.
    auto annotated = MutableCopy(pod);
    annotated->metadata.annotations["CapacityProvisioned"] = "0.25vCPU 0.5GB";
    (void)api.Update(*annotated);
    if (api.BindPod(pod->metadata.namespace_, pod->metadata.name, node->metadata.name).ok()) {
      api.RecordEvent(*pod, "Normal", "Scheduled",
                      "Successfully assigned " + pod->metadata.namespace_ + "/" + pod->metadata.name + " to " +
                          node->metadata.name,
                      "fargate-scheduler");
    }
  }

  // ---------------------------------------------------------------- kubelet

  std::string SubnetOf(const std::string& node_name, const std::string& node_ip) const {
    auto it = node_subnet.find(node_name);
    if (it != node_subnet.end()) return it->second;
    uint32_t ip;
    if (!ParseIpv4(node_ip, &ip)) return "";
    return Ipv4ToString(ip & 0xffffff00u) + "/24";
  }

  std::string AllocatePodIp(const Node& node, std::string* cidr_out) {
    const std::string cidr = SubnetOf(node.metadata.name, node.InternalIP());
    uint32_t base, size, node_ip;
    if (!ParseCidr(cidr, &base, &size) || !ParseIpv4(node.InternalIP(), &node_ip)) return "";
    auto& used = used_ips[cidr];
    used.Insert(node_ip);
    const uint32_t first = base + 4;        // AWS reserves the first four addresses
    const uint32_t end = base + size - 1;   // and the last one
    uint32_t start = node_ip + 1;
    if (start < first || start >= end) start = first;
    // The first free address from `start` on, wrapping to `first`.
    uint32_t a = used.FirstFree(start, end);
    if (a == end) {
      a = used.FirstFree(first, start);
      if (a == start) return "";  // the subnet is full
    }
    used.Insert(a);
    *cidr_out = cidr;
    return Ipv4ToString(a);
  }

  void ReleaseRuntime(const std::string& key) {
    auto it = runtime.find(key);
    if (it == runtime.end()) return;
    uint32_t ip;
    if (!it->second.cidr.empty() && ParseIpv4(it->second.ip, &ip)) {
      used_ips[it->second.cidr].Erase(ip);
    }
    runtime.erase(it);
    auto f = fargate_node_of_pod.find(key);
    if (f != fargate_node_of_pod.end()) {
      (void)api.Delete(Kind::kNode, "", f->second);
      node_subnet.erase(f->second);
      fargate_nodes.erase(f->second);
      fargate_node_of_pod.erase(f);
    }
  }

  bool ContainersReady(const Pod& pod, const PodRuntime& rt) const {
    if (!rt.started) return false;
    if (rt.forced_ready) return *rt.forced_ready;
    auto it = pod.metadata.annotations.find(kReadyAnnotation);
    if (it != pod.metadata.annotations.end() && it->second == "false") return false;
    return rt.containers_ready;
  }

  // pkg/kubelet/status/generate.go: the kubelet-owned conditions, then the others (readiness gates).
  // `with_times` false: lastTransitionTime left empty on the kubelet-owned ones (for a comparison
  // of type, status, reason and message, which needs no time copied five times over).
  std::vector<PodCondition> ComputeConditions(const Pod& pod, const PodRuntime& rt, bool with_times = true) const {
    const bool containers_ready = ContainersReady(pod, rt);
    std::string unready_msg;
    if (!containers_ready) {
      unready_msg = "containers with unready status: [";
      for (size_t i = 0; i < pod.spec.containers.size(); ++i) {
        if (i) unready_msg += " ";
        unready_msg += pod.spec.containers[i].name;
      }
      unready_msg += "]";
    }
    std::vector<std::string> gate_msgs;
    for (const PodReadinessGate& g : pod.spec.readiness_gates) {
      const PodCondition* c = pod.Condition(g.condition_type);
      if (!c) {
        gate_msgs.push_back("corresponding condition of pod readiness gate \"" + g.condition_type + "\" does not exist.");
      } else if (c->status != "True") {
        gate_msgs.push_back("the status of pod readiness gate \"" + g.condition_type + "\" is not \"True\", but " +
                            c->status);
      }
    }
    PodCondition ready{"Ready", "True", "", "", ""};
    if (!containers_ready) {
      ready = {"Ready", "False", "ContainersNotReady", unready_msg, ""};
    } else if (!gate_msgs.empty()) {
      std::string msg;
      for (size_t i = 0; i < gate_msgs.size(); ++i) {
        if (i) msg += ", ";
        msg += gate_msgs[i];
      }
      ready = {"Ready", "False", "ReadinessGatesNotReady", msg, ""};
    }
    PodCondition cr = containers_ready ? PodCondition{"ContainersReady", "True", "", "", ""}
                                       : PodCondition{"ContainersReady", "False", "ContainersNotReady", unready_msg, ""};
    // The other conditions (readiness gates) are kept after the kubelet's own five.
    auto owned = [](const std::string& t) {
      return t == "PodReadyToStartContainers" || t == "Initialized" || t == "Ready" || t == "ContainersReady" ||
             t == "PodScheduled";
    };
    size_t others = 0;
    for (const PodCondition& c : pod.conditions) others += owned(c.type) ? 0 : 1;
    // Built in place (an initializer list would copy each one), at its final size: the list goes
    // into the pod's status and is kept as long as that (20,000 pods in the 2,000-Ingress world).
    std::vector<PodCondition> out;
    out.reserve(5 + others);
    out.push_back(PodCondition{"PodReadyToStartContainers", rt.started ? "True" : "False", "", "", ""});
    out.push_back(PodCondition{"Initialized", "True", "", "", ""});
    out.push_back(std::move(ready));
    out.push_back(std::move(cr));
    out.push_back(PodCondition{"PodScheduled", "True", "", "", ""});
    if (with_times) {
      for (PodCondition& c : out) {
        const PodCondition* prev = pod.Condition(c.type);
        c.last_transition_time = prev && prev->status == c.status ? prev->last_transition_time : Now();
      }
    }
    for (const PodCondition& c : pod.conditions) {
      if (!owned(c.type)) out.push_back(c);
    }
    return out;
  }

  void WriteStatus(const std::string& ns, const std::string& name) {
    auto pod = GetT<Pod>(ns, name);
    if (!pod) return;
    auto rt_it = runtime.find(KeyOf(ns, name));
    if (rt_it == runtime.end() || !rt_it->second.started) return;
    WriteRunningStatus(*pod, rt_it->second, pod->host_ip, pod->start_time);
  }

  // The kubelet's status of a running pod: its address, host and start, and the conditions its
  // runtime state gives; the request is handed to the server as its new object.
  void WriteRunningStatus(const Pod& pod, const PodRuntime& rt, const std::string& host_ip, const std::string& start_time) {
    auto req = std::make_shared<Pod>(StatusRequestBase(pod));  // every status field is set below
    req->phase = "Running";
    req->pod_ip = rt.ip;
    req->host_ip = host_ip;
    req->start_time = start_time;
    req->conditions = ComputeConditions(pod, rt);
    (void)api.UpdateStatus(std::move(req));
  }

  void StartPod(const std::string& key) {
    auto [ns, name] = SplitKey(key);
    auto pod = GetT<Pod>(ns, name);
    if (!pod || pod->metadata.deletion_timestamp || pod->spec.node_name.empty()) return;
    const NodeInfo* info = FindNode(pod->spec.node_name);  // the node as last stored (watch-fed)
    if (info == nullptr) return;
    const std::shared_ptr<const Node> node = info->node;
    PodRuntime& rt = runtime[key];
    if (!node->Ready()) {
      rt.start_scheduled = false;  // retried when the node comes back
      return;
    }
    if (rt.ip.empty()) rt.ip = AllocatePodIp(*node, &rt.cidr);
    if (rt.ip.empty()) {
      rt.start_scheduled = false;  // no free address in the subnet: the sandbox cannot start
      return;
    }
    rt.started = true;
    int probe_delay = 0;
    for (const Container& c : pod->spec.containers) {
      if (c.readiness_probe) probe_delay = std::max(probe_delay, c.readiness_probe->initial_delay_seconds);
    }
    rt.containers_ready = probe_delay == 0;
    WriteRunningStatus(*pod, rt, node->InternalIP(), Now());
    if (probe_delay > 0) {
      After(std::chrono::seconds(probe_delay), [this, key] {
        auto it = runtime.find(key);
        if (it == runtime.end()) return;
        it->second.containers_ready = true;
        auto [ns2, name2] = SplitKey(key);
        WriteStatus(ns2, name2);
      });
    }
  }

  void SyncPodRuntime(const std::string& key) {
    auto [ns, name] = SplitKey(key);
    auto pod = GetT<Pod>(ns, name);
    if (!pod) {
      ReleaseRuntime(key);
      return;
    }
    if (pod->spec.node_name.empty()) return;
    if (!NodeReady(pod->spec.node_name)) return;  // the kubelet is down (or the node is gone)
    PodRuntime& rt = runtime[key];
    if (pod->metadata.deletion_timestamp) {
      if (rt.stopping) return;
      rt.stopping = true;
      SimTime stop = rt.started ? opts.pod_stop_delay : SimTime(0);
      ParseDurationAnnotation(pod->metadata, kStopDelayAnnotation, &stop);
      const SimTime grace = std::chrono::seconds(pod->metadata.deletion_grace_period_seconds.value_or(0));
      if (stop > grace) stop = grace;
      After(stop, [this, key, ns = ns, name = name, node = pod->spec.node_name] {
        if (!NodeReady(node)) {
          runtime[key].stopping = false;  // retried when the node comes back
          return;
        }
        (void)api.RemovePodNow(ns, name);
      });
      return;
    }
    if (!rt.started) {
      if (rt.start_scheduled) return;
      rt.start_scheduled = true;
      const bool fargate = fargate_node_of_pod.count(key) > 0;
      SimTime delay = fargate ? opts.fargate_start_delay : opts.pod_start_delay;
      ParseDurationAnnotation(pod->metadata, kStartDelayAnnotation, &delay);
      After(delay, [this, key] { StartPod(key); });
      return;
    }
    // Running: keep Ready in line with containers and readiness gates (no-op writes are free).
    auto desired = ComputeConditions(*pod, rt, /*with_times=*/false);
    bool same = desired.size() == pod->conditions.size();
    for (size_t i = 0; same && i < desired.size(); ++i) {
      const PodCondition& a = desired[i];
      const PodCondition& b = pod->conditions[i];
      same = a.type == b.type && a.status == b.status && a.reason == b.reason && a.message == b.message;
    }
    if (!same) WriteStatus(ns, name);
  }

  // ---------------------------------------------------------------- EndpointSlice / Endpoints

  struct DesiredEndpoint {
    SliceEndpoint ep;
    bool ready = false;
    bool terminating = false;
  };

  void SyncService(const std::string& key) {
    auto [ns, name] = SplitKey(key);
    auto svc = GetT<Service>(ns, name);
    const StoreKey skey{ns, name};
    if (!svc || svc->selector.empty() || svc->type == "ExternalName") {
      // Slices are garbage-collected with the Service (ownerReferences); a selector removed → delete ours.
      if (svc) {
        auto it = slices_by_service.find(skey);
        if (it != slices_by_service.end()) {
          for (const std::string& s : std::set<std::string>(it->second)) DeleteSlice(ns, s);
        }
      }
      if (!svc || !svc->selector.empty() || svc->type == "ExternalName") {
        if (GetT<Endpoints>(ns, name)) (void)api.Delete(Kind::kEndpoints, ns, name);
      }
      return;
    }
    // Candidate pods through the label index (smallest posting list of the selector's pairs).
    const std::map<std::string, const PodSlot*>* candidates = nullptr;
    static const std::map<std::string, const PodSlot*> kEmpty;
    for (const auto& [k, v] : svc->selector) {
      auto it = pods_by_label.find(LabelKeyView{ns, k, v});
      const auto* set = it == pods_by_label.end() ? &kEmpty : &it->second;
      if (!candidates || set->size() < candidates->size()) candidates = set;
    }
    // Group endpoints by resolved port list.
    std::map<std::string, std::pair<std::vector<SlicePort>, std::vector<DesiredEndpoint>>> groups;
    for (const auto& [pod_name, slot] : *candidates) {
      const std::shared_ptr<const Pod>& pod = slot->pod;
      if (pod->pod_ip.empty() || pod->phase == "Succeeded" || pod->phase == "Failed") continue;
      if (!LabelsMatch(pod->metadata.labels, svc->selector)) continue;
      std::vector<SlicePort> ports;
      for (const ServicePort& sp : svc->ports) {
        int32_t port = 0;
        if (sp.target_port.is_string) {
          for (const Container& c : pod->spec.containers) {
            for (const ContainerPort& cp : c.ports) {
              if (cp.name == sp.target_port.str_val && cp.protocol == sp.protocol && port == 0) port = cp.container_port;
            }
          }
          if (port == 0) continue;
        } else {
          port = sp.target_port.int_val;
        }
        SlicePort p;
        p.name = sp.name;
        p.port = port;
        p.protocol = sp.protocol;
        p.app_protocol = sp.app_protocol;
        ports.push_back(p);
      }
      std::string pkey;
      for (const SlicePort& p : ports) pkey += *p.name + ":" + std::to_string(*p.port) + "/" + p.protocol + ",";
      DesiredEndpoint de;
      const bool terminating = pod->metadata.deletion_timestamp.has_value();
      const bool publish = svc->publish_not_ready_addresses.value_or(false);
      const bool serving = publish || pod->Ready();
      de.ep.addresses = {pod->pod_ip};
      de.ep.conditions.serving = serving;
      de.ep.conditions.terminating = terminating;
      de.ep.conditions.ready = publish || (serving && !terminating);
      de.ready = *de.ep.conditions.ready;
      de.terminating = terminating;
      if (!pod->spec.hostname.empty() && pod->spec.subdomain == svc->metadata.name) de.ep.hostname = pod->spec.hostname;
      de.ep.node_name = pod->spec.node_name;
      if (!pod->spec.node_name.empty()) {
        // The node cache holds every stored node (watch), with its zone label.
        if (const NodeInfo* n = FindNode(pod->spec.node_name)) de.ep.zone = n->zone;
      }
      de.ep.target_kind = "Pod";
      de.ep.target_namespace = ns;
      de.ep.target_name = pod->metadata.name;
      de.ep.target_uid = pod->metadata.uid;
      auto& g = groups[pkey];
      g.first = ports;
      g.second.push_back(std::move(de));
    }
    SyncSlices(*svc, groups);
    SyncEndpoints(*svc, groups);
  }

  void SyncSlices(const Service& svc, const std::map<std::string, std::pair<std::vector<SlicePort>,
                                                                            std::vector<DesiredEndpoint>>>& groups) {
    const std::string& ns = svc.metadata.namespace_;
    std::vector<std::shared_ptr<EndpointSlice>> desired;
    auto base = [&] {
      auto s = std::make_shared<EndpointSlice>();
      s->metadata.namespace_ = ns;
      s->metadata.generate_name = svc.metadata.name + "-";
      s->metadata.labels = svc.metadata.labels;
      s->metadata.labels[model::k8s::kLabelServiceName] = svc.metadata.name;
      s->metadata.labels[kManagedByLabel] = kManagedBy;
      s->metadata.owner_references = {MakeControllerRef(svc)};
      s->address_type = "IPv4";
      return s;
    };
    const size_t max_per = static_cast<size_t>(std::max(1, opts.max_endpoints_per_slice));
    for (const auto& [pkey, group] : groups) {
      const auto& eps = group.second;
      for (size_t i = 0; i < eps.size(); i += max_per) {
        auto s = base();
        s->ports = group.first;
        const size_t end = std::min(eps.size(), i + max_per);
        s->endpoints.reserve(end - i);
        for (size_t j = i; j < end; ++j) s->endpoints.push_back(eps[j].ep);
        desired.push_back(std::move(s));
      }
    }
    if (desired.empty()) desired.push_back(base());  // placeholder: no endpoints, no ports
    // Existing slices of this Service (upstream lists them by its labels): those pending deletion
    // are left alone (dropEndpointSlicesPendingDeletion), and those the Service does not own (a
    // slice relabelled to it) are deleted (ownedBy), not reused.
    std::vector<std::shared_ptr<const EndpointSlice>> existing;
    std::vector<std::string> not_owned;
    auto it = slices_by_service.find({ns, svc.metadata.name});
    if (it != slices_by_service.end()) {
      for (const std::string& n : it->second) {
        auto s = GetT<EndpointSlice>(ns, n);
        if (!s || s->metadata.deletion_timestamp) continue;
        if (OwnedBy(s->metadata, svc)) {
          existing.push_back(s);
        } else {
          not_owned.push_back(n);
        }
      }
    }
    std::vector<bool> used(existing.size(), false);
    for (const auto& want : desired) {
      int match = -1;
      for (size_t i = 0; i < existing.size(); ++i) {  // a slice with the same port list first
        if (!used[i] && existing[i]->ports == want->ports) {
          match = static_cast<int>(i);
          break;
        }
      }
      if (match < 0) {
        for (size_t i = 0; i < existing.size(); ++i) {
          if (!used[i]) {
            match = static_cast<int>(i);
            break;
          }
        }
      }
      if (match < 0) {
        want->metadata.annotations["endpoints.kubernetes.io/last-change-trigger-time"] = Now();
        WriteSlice(svc.metadata.name, [&] { return api.Create(*want); });
        continue;
      }
      used[match] = true;
      const auto& cur = existing[match];
      if (cur->SameSpec(*want) && cur->metadata.labels == want->metadata.labels) continue;
      auto copy = MutableCopy(cur);
      copy->endpoints = std::move(want->endpoints);  // `want` is done with
      copy->ports = std::move(want->ports);
      copy->metadata.labels = std::move(want->metadata.labels);
      copy->metadata.annotations["endpoints.kubernetes.io/last-change-trigger-time"] = Now();
      WriteSlice(svc.metadata.name, [&] { return api.Update(*copy); });
    }
    for (const std::string& n : not_owned) DeleteSlice(ns, n);
    for (size_t i = 0; i < existing.size(); ++i) {
      if (!used[i]) DeleteSlice(ns, existing[i]->metadata.name);
    }
  }

  void SyncEndpoints(const Service& svc, const std::map<std::string, std::pair<std::vector<SlicePort>,
                                                                               std::vector<DesiredEndpoint>>>& groups) {
    const std::string& ns = svc.metadata.namespace_;
    Endpoints want;
    want.metadata.name = svc.metadata.name;
    want.metadata.namespace_ = ns;
    want.metadata.labels = svc.metadata.labels;
    size_t total = 0;
    bool truncated = false;
    for (const auto& [pkey, group] : groups) {
      EndpointSubset subset;
      for (const SlicePort& p : group.first) subset.ports.push_back(EndpointPort{*p.name, *p.port, p.protocol});
      for (const DesiredEndpoint& de : group.second) {
        if (de.terminating) continue;
        if (total >= 1000) {
          truncated = true;
          continue;
        }
        EndpointAddress a{de.ep.addresses[0], de.ep.node_name, "Pod", ns, de.ep.target_name, de.ep.target_uid};
        (de.ready ? subset.addresses : subset.not_ready_addresses).push_back(std::move(a));
        ++total;
      }
      if (subset.addresses.empty() && subset.not_ready_addresses.empty()) continue;
      SortByIp(subset.addresses);
      SortByIp(subset.not_ready_addresses);
      want.subsets.push_back(std::move(subset));
    }
    if (truncated) want.metadata.annotations["endpoints.kubernetes.io/over-capacity"] = "truncated";
    auto cur = GetT<Endpoints>(ns, svc.metadata.name);
    if (!cur) {
      (void)api.Create(want);
      return;
    }
    if (cur->SameSpec(want) && cur->metadata.labels == want.metadata.labels &&
        cur->metadata.annotations.count("endpoints.kubernetes.io/over-capacity") == (truncated ? 1u : 0u)) {
      return;
    }
    auto copy = MutableCopy(cur);
    copy->subsets = std::move(want.subsets);  // `want` is done with
    copy->metadata.labels = std::move(want.metadata.labels);
    if (truncated) {
      copy->metadata.annotations["endpoints.kubernetes.io/over-capacity"] = "truncated";
    } else {
      copy->metadata.annotations.erase("endpoints.kubernetes.io/over-capacity");
    }
    (void)api.Update(*copy);
  }
};

// ------------------------------------------------------------------ BuiltinControllers

BuiltinControllers::BuiltinControllers(FakeApiServer& api, EventQueue& queue, BuiltinControllersOptions options)
    : impl_(std::make_unique<Impl>(api, queue, std::move(options))) {
  Impl* impl = impl_.get();
  impl->watch_ids.push_back(api.Watch(Kind::kPod, [impl](const WatchEvent& e) { impl->OnPod(e); }));
  impl->watch_ids.push_back(api.Watch(Kind::kReplicaSet, [impl](const WatchEvent& e) { impl->OnReplicaSet(e); }));
  impl->watch_ids.push_back(api.Watch(Kind::kDeployment, [impl](const WatchEvent& e) {
    if (e.type == WatchEventType::kDeleted) impl->template_hashes.erase(e.object->metadata.uid);
    impl->deployments.Add(KeyOf(e.object->metadata.namespace_, e.object->metadata.name));
  }));
  impl->watch_ids.push_back(api.Watch(Kind::kService, [impl](const WatchEvent& e) { impl->OnService(e); }));
  impl->watch_ids.push_back(api.Watch(Kind::kEndpointSlice, [impl](const WatchEvent& e) { impl->OnEndpointSlice(e); }));
  impl->watch_ids.push_back(api.Watch(Kind::kNode, [impl](const WatchEvent& e) { impl->OnNode(e); }));
  // The endpoints controller's onEndpointsDelete (pkg/controller/endpoint): an Endpoints object
  // deleted (by anyone) has its Service synced, which makes it again while the Service selects.
  impl->watch_ids.push_back(api.Watch(Kind::kEndpoints, [impl](const WatchEvent& e) {
    if (e.type == WatchEventType::kDeleted) impl->services.Add(KeyOf(e.object->metadata.namespace_, e.object->metadata.name));
  }));
  api.AddMutatingHook("fargate-scheduler.eks.amazonaws.com", Kind::kPod, {AdmissionOperation::kCreate},
                      [impl](AdmissionRequest& req) {
                        auto* pod = static_cast<Pod*>(req.object);
                        if (impl->MatchFargate(*pod) && (pod->spec.scheduler_name.empty() ||
                                                         pod->spec.scheduler_name == "default-scheduler")) {
                          pod->spec.scheduler_name = "fargate-scheduler";
                        }
                        return OkStatus();
                      });
  // Objects that exist already (created before the controllers started) are picked up like an
  // informer's initial list.
  for (Kind k : {Kind::kNode, Kind::kService, Kind::kEndpointSlice, Kind::kDeployment, Kind::kReplicaSet, Kind::kPod}) {
    for (const ObjectPtr& o : api.List(k)) {
      WatchEvent e{WatchEventType::kAdded, o, nullptr};
      switch (k) {
        case Kind::kNode: impl->OnNode(e); break;
        case Kind::kService: impl->OnService(e); break;
        case Kind::kEndpointSlice: impl->OnEndpointSlice(e); break;
        case Kind::kDeployment: impl->deployments.Add(KeyOf(o->metadata.namespace_, o->metadata.name)); break;
        case Kind::kReplicaSet: impl->OnReplicaSet(e); break;
        case Kind::kPod: impl->OnPod(e); break;
        default: break;
      }
    }
  }
}

BuiltinControllers::~BuiltinControllers() {
  for (auto id : impl_->watch_ids) impl_->api.Unwatch(id);
  impl_->api.RemoveHook("fargate-scheduler.eks.amazonaws.com");
}

void BuiltinControllers::SetNodeSubnet(const std::string& node_name, const std::string& cidr) {
  impl_->node_subnet[node_name] = cidr;
}

void BuiltinControllers::AddFargateProfile(const FargateProfile& profile) { impl_->profiles.push_back(profile); }

void BuiltinControllers::SetContainersReady(const std::string& ns, const std::string& pod, bool ready) {
  const std::string key = KeyOf(ns.empty() ? "default" : ns, pod);
  impl_->runtime[key].forced_ready = ready;
  impl_->kubelet.Add(key);
}

std::vector<std::string> BuiltinControllers::PodsOnNodeForSim(const std::string& node_name) const {
  std::vector<std::string> out;
  bool in_step = true;
  for (const auto& [ns, name] : impl_->PodsOnNode(node_name, &in_step)) out.push_back(KeyOf(ns, name));
  if (!in_step) out.push_back("(node list out of step)");
  return out;
}

Result<ObjectPtr> BuiltinControllers::AddEc2Node(const Ec2NodeSpec& spec, const std::string& subnet_cidr) {
  auto node = MakeEc2Node(spec);
  if (!subnet_cidr.empty()) impl_->node_subnet[node->metadata.name] = subnet_cidr;
  auto existing = impl_->api.Get(Kind::kNode, "", node->metadata.name);
  if (existing.ok()) {
    auto copy = existing.value()->Clone();
    static_cast<Node&>(*copy).conditions = node->conditions;
    return impl_->api.UpdateStatus(*copy);
  }
  return impl_->api.Create(*node);
}

}  // namespace sim::k8s
