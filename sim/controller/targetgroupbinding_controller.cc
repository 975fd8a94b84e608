// Mirrors upstream controllers/elbv2/targetgroupbinding_controller.go, controllers/elbv2/eventhandlers/*.go
// and pkg/targetgroupbinding/{resource_manager.go,utils.go}.
#include "sim/controller/targetgroupbinding_controller.h"
#include "sim/controller/networking_manager.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "sim/base/crypto.h"
#include "sim/base/log.h"
#include "sim/base/rng.h"
#include "sim/base/sort.h"
#include "sim/controller/group.h"
#include "sim/controller/stack_marshaller.h"
#include "sim/controller/target_group_binding_manager.h"

namespace sim::controller {

namespace mk = model::k8s;
namespace ma = model::aws;

namespace {

// How many of `wanted` new targets may be registered next to `listed` ones under
// --max-targets-per-target-group (0 = no limit).
size_t RegistrableCount(size_t wanted, size_t listed, int32_t max_targets) {
  if (max_targets == 0) return wanted;
  const size_t cap = static_cast<size_t>(max_targets);
  const size_t n = wanted + listed > cap ? (cap > listed ? cap - listed : 0) : wanted;
  return std::min(n, wanted);
}

constexpr char kComponent[] = "targetGroupBinding";

std::string Base64UrlNoPadSha256(const std::string& data) {
  const auto digest = Sha256(data);
  std::string std_b64 = Base64Encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  std::string out;
  for (char c : std_b64) {
    if (c == '=') continue;
    out.push_back(c == '+' ? '-' : c == '/' ? '_' : c);
  }
  return out;
}

std::string IntOrStringJson(const mk::IntOrString& v) {
  return v.is_string ? GoJsonQuote(v.str_val) : std::to_string(v.int_val);
}

std::string SelectorJson(const mk::LabelSelector& s) {
  std::string out = "{";
  bool first = true;
  if (!s.match_labels.empty()) {
    out += "\"matchLabels\":{";
    bool f = true;
    for (const auto& [k, v] : s.match_labels) {
      out += (f ? "" : ",") + GoJsonQuote(k) + ":" + GoJsonQuote(v);
      f = false;
    }
    out += "}";
    first = false;
  }
  if (!s.match_expressions.empty()) {
    out += std::string(first ? "" : ",") + "\"matchExpressions\":[";
    for (size_t i = 0; i < s.match_expressions.size(); ++i) {
      const auto& r = s.match_expressions[i];
      out += std::string(i ? "," : "") + "{\"key\":" + GoJsonQuote(r.key) + ",\"operator\":" + GoJsonQuote(r.op);
      if (!r.values.empty()) {
        out += ",\"values\":[";
        for (size_t j = 0; j < r.values.size(); ++j) out += std::string(j ? "," : "") + GoJsonQuote(r.values[j]);
        out += "]";
      }
      out += "}";
    }
    out += "]";
  }
  return out + "}";
}

bool HasFinalizer(const mk::Object& obj, const std::string& f) {
  return std::find(obj.metadata.finalizers.begin(), obj.metadata.finalizers.end(), f) != obj.metadata.finalizers.end();
}

bool HasReadinessGate(const mk::Pod& pod, const std::string& cond_type) {
  for (const auto& g : pod.spec.readiness_gates) {
    if (g.condition_type == cond_type) return true;
  }
  return false;
}

}  // namespace

std::string MarshalTargetGroupBindingSpec(const mk::TargetGroupBinding& t) {
  std::string out = "{";
  auto field = [&](const std::string& name, const std::string& json) {
    if (out.size() > 1) out += ",";
    out += "\"" + name + "\":" + json;
  };
  if (!t.target_group_arn.empty()) field("targetGroupARN", GoJsonQuote(t.target_group_arn));
  if (!t.target_group_name.empty()) field("targetGroupName", GoJsonQuote(t.target_group_name));
  if (t.multi_cluster_target_group.value_or(false)) field("multiClusterTargetGroup", "true");
  if (!t.target_type.empty()) field("targetType", GoJsonQuote(t.target_type));
  if (!t.target_group_protocol.empty()) field("targetGroupProtocol", GoJsonQuote(t.target_group_protocol));
  field("serviceRef", "{\"name\":" + GoJsonQuote(t.service_name) + ",\"port\":" + IntOrStringJson(t.service_port) + "}");
  if (!t.networking_ingress.empty()) {
    std::string ing = "[";
    for (size_t i = 0; i < t.networking_ingress.size(); ++i) {
      const auto& rule = t.networking_ingress[i];
      std::string from = "[";
      for (size_t j = 0; j < rule.from.size(); ++j) {
        const auto& p = rule.from[j];
        std::string pj = "{";
        if (p.ip_block_cidr) pj += "\"ipBlock\":{\"cidr\":" + GoJsonQuote(*p.ip_block_cidr) + "}";
        if (p.security_group) {
          pj += std::string(pj.size() > 1 ? "," : "") + "\"securityGroup\":{\"groupID\":" +
                GoJsonQuote(p.security_group->group_id) + "}";
        }
        from += std::string(j ? "," : "") + pj + "}";
      }
      from += "]";
      std::string ports = "[";
      for (size_t j = 0; j < rule.ports.size(); ++j) {
        const auto& p = rule.ports[j];
        std::string pj = "{";
        if (!p.protocol.empty()) pj += "\"protocol\":" + GoJsonQuote(p.protocol);
        if (p.port) pj += std::string(pj.size() > 1 ? "," : "") + "\"port\":" + IntOrStringJson(*p.port);
        ports += std::string(j ? "," : "") + pj + "}";
      }
      ports += "]";
      ing += std::string(i ? "," : "") + "{\"from\":" + from + ",\"ports\":" + ports + "}";
    }
    field("networking", "{\"ingress\":" + ing + "]}");
  }
  if (t.node_selector) field("nodeSelector", SelectorJson(*t.node_selector));
  if (!t.ip_address_type.empty()) field("ipAddressType", GoJsonQuote(t.ip_address_type));
  if (!t.vpc_id.empty()) field("vpcID", GoJsonQuote(t.vpc_id));
  return out + "}";
}

namespace {

std::string SortedCsv(std::vector<std::string_view> sorted) {
  size_t size = 0;
  for (std::string_view id : sorted) size += id.size() + 1;
  std::sort(sorted.begin(), sorted.end());
  std::string csv;
  csv.reserve(size);
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i) csv += ',';
    csv += sorted[i];
  }
  return csv;
}

std::vector<std::string_view> ViewsOf(const std::vector<std::string>& ids) {
  return std::vector<std::string_view>(ids.begin(), ids.end());
}

std::string CheckpointWithMemo(std::vector<std::string_view> ids, const mk::TargetGroupBinding& tgb,
                               TGBCheckpointMemo& memo) {
  TGBCheckpointMemo::Last& last = memo.by_tgb[tgb.metadata.namespace_ + "/" + tgb.metadata.name];
  std::string csv = SortedCsv(std::move(ids));
  if (last.csv_hash.empty() || csv != last.csv) {
    last.csv_hash = Base64UrlNoPadSha256(csv);
    last.csv = std::move(csv);
  }
  std::string spec = MarshalTargetGroupBindingSpec(tgb);
  if (last.spec_hash.empty() || spec != last.spec) {
    last.spec_hash = Base64UrlNoPadSha256(spec);
    last.spec = std::move(spec);
  }
  return last.csv_hash + "/" + last.spec_hash;
}

}  // namespace

std::vector<std::string_view> EndpointIdentifiers::Views() const {
  std::vector<std::string_view> out;
  out.reserve(spans.size());
  for (const auto& [at, n] : spans) out.emplace_back(text.data() + at, n);
  return out;
}

std::string CalculateTGBReconcileCheckpoint(const std::vector<std::string>& endpoint_ids, const mk::TargetGroupBinding& tgb) {
  return Base64UrlNoPadSha256(SortedCsv(ViewsOf(endpoint_ids))) + "/" +
         Base64UrlNoPadSha256(MarshalTargetGroupBindingSpec(tgb));
}

std::string CalculateTGBReconcileCheckpoint(const std::vector<std::string>& endpoint_ids, const mk::TargetGroupBinding& tgb,
                                            TGBCheckpointMemo& memo) {
  return CheckpointWithMemo(ViewsOf(endpoint_ids), tgb, memo);
}

std::string CalculateTGBReconcileCheckpoint(const EndpointIdentifiers& endpoint_ids, const mk::TargetGroupBinding& tgb,
                                            TGBCheckpointMemo& memo) {
  return CheckpointWithMemo(endpoint_ids.Views(), tgb, memo);
}

// ------------------------------------------------------------------------------ instance

namespace {

// upstream's matching of endpoints to registered targets (targetgroupbinding/resource_manager.go
// matchPodEndpointWithTargets / matchNodePortEndpointWithTargets) by identifier "<id>:<port>".
// Upstream keys Go maps by identifier (the last of equal identifiers wins) and walks them in no
// set order; here both sides are sorted by identifier, so the lists below come in that order.
template <typename E>
struct IdMatch {
  std::vector<std::pair<const E*, const TargetInfo*>> matched;
  std::vector<const E*> unmatched_endpoints;
  std::vector<const TargetInfo*> unmatched_targets;
};

// (identifier, item) sorted by identifier, one per identifier: the last of equal ones.
template <typename T>
std::vector<std::pair<std::string_view, const T*>> SortedById(std::vector<std::pair<std::string_view, const T*>> v) {
  StableSortUnlessSorted(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t out = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i + 1 < v.size() && v[i + 1].first == v[i].first) continue;  // a later equal one wins
    if (out != i) v[out] = v[i];
    ++out;
  }
  v.resize(out);
  return v;
}

// The kept items' identifiers written into `ids` (no string per item), then viewed with their
// items. `keep(item)` says whether an item takes part; `append_id(item, out)` writes its identifier.
template <typename T, typename Keep, typename AppendId>
std::vector<std::pair<std::string_view, const T*>> IdentifiedBy(const std::vector<T>& items, EndpointIdentifiers* ids,
                                                                Keep keep, AppendId append_id) {
  std::vector<const T*> kept;
  kept.reserve(items.size());
  for (const T& item : items) {
    if (!keep(item)) continue;
    ids->AddWith([&](std::string* out) { append_id(item, out); });
    kept.push_back(&item);
  }
  const std::vector<std::string_view> views = ids->Views();
  std::vector<std::pair<std::string_view, const T*>> out;
  out.reserve(kept.size());
  for (size_t i = 0; i < kept.size(); ++i) out.emplace_back(views[i], kept[i]);
  return out;
}

template <typename E>
IdMatch<E> MatchById(const std::vector<E>& endpoints, const std::vector<TargetInfo>& listed) {
  EndpointIdentifiers target_ids, endpoint_ids;
  const auto targets_by_id = SortedById(IdentifiedBy(
      listed, &target_ids, [](const TargetInfo& target) { return !target.IsDraining(); },
      [](const TargetInfo& target, std::string* out) { target.AppendIdentifier(out); }));
  const auto endpoints_by_id = SortedById(IdentifiedBy(
      endpoints, &endpoint_ids, [](const E&) { return true; },
      [](const E& endpoint, std::string* out) { endpoint.AppendIdentifier(/*include_timestamp=*/false, out); }));
  IdMatch<E> m;
  size_t i = 0, j = 0;
  while (i < endpoints_by_id.size() || j < targets_by_id.size()) {
    if (j == targets_by_id.size() || (i < endpoints_by_id.size() && endpoints_by_id[i].first < targets_by_id[j].first)) {
      m.unmatched_endpoints.push_back(endpoints_by_id[i++].second);
    } else if (i == endpoints_by_id.size() || targets_by_id[j].first < endpoints_by_id[i].first) {
      m.unmatched_targets.push_back(targets_by_id[j++].second);
    } else {
      m.matched.emplace_back(endpoints_by_id[i++].second, targets_by_id[j++].second);
    }
  }
  return m;
}

// An index (namespace, Service name) -> object name -> value, updated by one watch event of kind
// T: `service_of(obj)` is the Service an object belongs to (null: none), `value_of(ptr)` what the
// index keeps for it.
template <typename V>
using ByService = std::map<std::pair<std::string, std::string>, std::map<std::string, V>>;

template <typename T, typename V, typename ServiceOf, typename ValueOf>
void IndexByService(ByService<V>& index, const k8s::WatchEvent& ev, ServiceOf service_of, ValueOf value_of) {
  auto unindex = [&](const mk::ObjectPtr& obj) {
    auto o = mk::As<T>(obj);
    const std::string* svc = o ? service_of(*o) : nullptr;
    if (svc == nullptr) return;
    auto it = index.find(std::make_pair(o->metadata.namespace_, *svc));
    if (it == index.end()) return;
    it->second.erase(o->metadata.name);
    if (it->second.empty()) index.erase(it);
  };
  if (ev.type == k8s::WatchEventType::kModified) unindex(ev.old_object);
  if (ev.type == k8s::WatchEventType::kDeleted) {
    unindex(ev.object);
    return;
  }
  auto o = mk::As<T>(ev.object);
  const std::string* svc = o ? service_of(*o) : nullptr;
  if (svc != nullptr) index[std::make_pair(o->metadata.namespace_, *svc)][o->metadata.name] = value_of(o);
}

}  // namespace

struct TargetGroupBindingController::Instance {
  Instance(TargetGroupBindingController& owner, const TargetGroupBindingControllerDeps& d, const ControllerConfig& c)
      : deps(d),
        config(c),
        last_errors(owner.last_errors_),
        deploy_deps{d.elbv2, d.ec2, d.kube, d.events.clock(), d.sleep, d.call_context, &stopped},
        resolver(d.kube, c.enable_endpoint_slices, c.feature_gates.endpoints_fail_open),
        targets(deploy_deps),
        sg_manager(deploy_deps),
        sg_reconciler(sg_manager),
        networking(deploy_deps, sg_manager, sg_reconciler,
                   NetworkingManagerOptions{c.vpc_id, c.cluster_name, {}, c.disable_restricted_sg_rules}),
        // ItemExponentialFailureRateLimiter(5ms, --targetgroupbinding-max-exponential-backoff-delay=1000s):
        // no global bucket.
        loop(d.events, [this](const std::string& key) { return Reconcile(key); },
             RateLimiterOptions{SimTime(5), SimTime(1000 * 1000), 0, 0}),
        rng(d.seed) {}

  // ---------------------------------------------------------------- deferred reconciler

  static constexpr SimTime kDelayedReconcileTime{30 * 60 * 1000};
  static constexpr int64_t kMaxJitterMs = 15 * 60 * 1000;

  bool InProcessedCache(const std::string& key) const {
    auto it = processed.find(key);
    return it != processed.end() && deps.events.clock().Now() < it->second;
  }
  void UpdateProcessedCache(const std::string& key) {
    processed[key] = deps.events.clock().Now() + SimTime(config.sync_period_ms);
  }
  void DeferredEnqueue(const std::string& key, std::weak_ptr<Instance> weak) {
    if (InProcessedCache(key)) return;
    UpdateProcessedCache(key);
    SimTime delay = kDelayedReconcileTime + SimTime(static_cast<int64_t>(rng.Uniform(kMaxJitterMs)));
    deferred_timers.push_back(deps.events.ScheduleAfter(delay, [weak, key] {
      auto i = weak.lock();
      if (!i || i->stopped) return;
      i->ResetCheckpoint(key, weak);
    }, /*background=*/true));
  }
  void MarkProcessed(const std::string& key) {
    if (!InProcessedCache(key)) UpdateProcessedCache(key);
  }
  void ResetCheckpoint(const std::string& key, std::weak_ptr<Instance> weak) {
    auto slash = key.find('/');
    auto got = k8s::Get<mk::TargetGroupBinding>(deps.kube, key.substr(0, slash), key.substr(slash + 1));
    if (!got.ok()) {
      if (!k8s::IsNotFound(got.error())) DeferredEnqueueAgain(key, weak);
      return;
    }
    auto copy = k8s::MutableCopy(got.value());
    copy->metadata.annotations[kAnnotationCheckPoint] = "";
    copy->metadata.annotations[kAnnotationCheckPointTimestamp] =
        std::to_string(kEpochUnixSeconds + deps.events.clock().Now().count() / 1000);
    auto r = deps.kube.Update(*copy);
    if (!r.ok() && !k8s::IsNotFound(r.error())) DeferredEnqueueAgain(key, weak);
  }
  void DeferredEnqueueAgain(const std::string& key, std::weak_ptr<Instance> weak) {
    processed.erase(key);
    DeferredEnqueue(key, weak);
  }

  using TgbPtr = std::shared_ptr<const mk::TargetGroupBinding>;

  void Event(const mk::Object& obj, const std::string& type, const std::string& reason, const std::string& msg) {
    deps.kube.RecordEvent(obj, type, reason, msg, kComponent);
  }

  // Patches the checkpoint annotations (merge patch without optimistic lock).
  Status UpdateCheckpoint(const mk::TargetGroupBinding& tgb, const std::string& new_cp, const std::string& old_cp) {
    if (new_cp == old_cp) return OkStatus();
    auto cur = k8s::Get<mk::TargetGroupBinding>(deps.kube, tgb.metadata.namespace_, tgb.metadata.name);
    Status s = cur.ok() ? OkStatus() : Status(cur.error());
    if (s.ok()) {
      auto copy = k8s::MutableCopy(cur.value());
      copy->metadata.annotations[kAnnotationCheckPoint] = new_cp;
      copy->metadata.annotations[kAnnotationCheckPointTimestamp] =
          std::to_string(kEpochUnixSeconds + deps.events.clock().Now().count() / 1000);
      // Merge patch: the fresh object was read just before, so its resourceVersion is current.
      auto r = deps.kube.Update(*copy);
      if (!r.ok()) s = r.error();
    }
    if (!s.ok()) {
      return Wrap(s.error(), "failed to update targetGroupBinding checkpoint: " + tgb.metadata.namespace_ + "/" +
                                 tgb.metadata.name);
    }
    return OkStatus();
  }

  // updateTargetHealthPodConditionForPod; returns whether further probing is needed.
  // `health` null: unknown (Go nil).
  Result<bool> UpdatePodCondition(const PodPtr& pod, const ma::TargetHealth* health, const std::string& cond_type) {
    if (!HasReadinessGate(*pod, cond_type)) return false;
    std::string reason, message;
    if (health) {
      reason = health->reason;
      message = health->description;
    }
    std::string status = "Unknown";
    if (health) status = health->state == ma::kTargetStateHealthy ? "True" : "False";
    const bool need_probe = status != "True";
    const mk::PodCondition* existing = pod->Condition(cond_type);
    if (existing && existing->status == status && existing->reason == reason && existing->message == message) {
      return need_probe;
    }
    auto cur = k8s::Get<mk::Pod>(deps.kube, pod->metadata.namespace_, pod->metadata.name);
    if (!cur.ok()) {
      if (k8s::IsNotFound(cur.error())) return false;
      return cur.error();
    }
    auto copy = k8s::MutableCopy(cur.value());
    mk::PodCondition cond{cond_type, status, reason, message, FormatRfc3339(deps.events.clock().Now())};
    bool replaced = false;
    for (auto& c : copy->conditions) {
      if (c.type != cond_type) continue;
      if (c.status == status) cond.last_transition_time = c.last_transition_time;
      c = cond;
      replaced = true;
    }
    if (!replaced) copy->conditions.push_back(cond);
    // Merge patch: the fresh object was read just before, so its resourceVersion is current.
    auto r = deps.kube.UpdateStatus(*copy);
    if (!r.ok()) {
      if (k8s::IsNotFound(r.error())) return false;
      return r.error();
    }
    return need_probe;
  }

  Status Cleanup(const mk::TargetGroupBinding& tgb) {
    auto listed = targets.ListTargets(tgb.target_group_arn);
    auto tolerated = [](const Error& e) {
      return e.aws_code == "TargetGroupNotFound" || e.aws_code == "InvalidTarget" || e.aws_code == "ValidationError";
    };
    if (!listed.ok()) return tolerated(listed.error()) ? OkStatus() : Status(listed.error());
    std::vector<ma::TargetDescription> all;
    for (const auto& t : listed.value()) all.push_back(t.target);
    if (!all.empty()) {
      Status s = targets.DeregisterTargets(tgb.target_group_arn, all);
      if (!s.ok() && !tolerated(s.error())) return s;
    }
    SIM_RETURN_IF_ERROR(networking.Cleanup(tgb));
    // updatePodAsHealthyForDeletedTGB.
    const std::string cond_type = std::string(kTargetHealthPodConditionTypePrefix) + "/" + tgb.metadata.name;
    for (const auto& pod : k8s::List<mk::Pod>(deps.kube, tgb.metadata.namespace_)) {
      if (!HasReadinessGate(*pod, cond_type)) continue;
      ma::TargetHealth h;
      h.state = ma::kTargetStateHealthy;
      h.description = "Target Group Binding is deleted";
      SIM_ASSIGN_OR_RETURN(bool ignored, UpdatePodCondition(pod, &h, cond_type));
      (void)ignored;
    }
    return OkStatus();
  }

  // Returns (new checkpoint, old checkpoint, deferred).
  struct Outcome {
    std::string new_cp, old_cp;
    bool deferred = false;
  };

  Result<Outcome> ReconcileIP(const TgbPtr& tgb) {
    Outcome o;
    auto it = tgb->metadata.annotations.find(kAnnotationCheckPoint);
    o.old_cp = it == tgb->metadata.annotations.end() ? "" : it->second;
    const std::string cond_type = std::string(kTargetHealthPodConditionTypePrefix) + "/" + tgb->metadata.name;
    auto endpoints = resolver.ResolvePodEndpoints(tgb->metadata.namespace_, tgb->service_name, tgb->service_port,
                                                  tgb->ip_address_type == "ipv6" ? "IPv6" : "IPv4");
    if (!endpoints.ok()) {
      if (IsBackendNotFound(endpoints.error())) {
        Event(*tgb, "Warning", "BackendNotFound", ErrorText(endpoints.error()));
        SIM_RETURN_IF_ERROR(Cleanup(*tgb));
        o.new_cp = "";
        return o;
      }
      return endpoints.error();
    }
    EndpointIdentifiers ids;
    ids.spans.reserve(endpoints.value().size());
    for (const auto& e : endpoints.value()) ids.Add(e);
    o.new_cp = CalculateTGBReconcileCheckpoint(ids, *tgb, checkpoint_memo);
    if (o.old_cp == o.new_cp) {
      bool flip = false;
      for (const auto& e : endpoints.value()) {
        const mk::PodCondition* c = e.pod->Condition(cond_type);
        if (c && c->status != "True") flip = true;
      }
      if (!flip) {
        o.deferred = true;
        return o;
      }
    }
    SIM_RETURN_IF_ERROR(networking.ReconcileForPodEndpoints(*tgb, endpoints.value()));
    SIM_ASSIGN_OR_RETURN(auto listed, targets.ListTargets(tgb->target_group_arn));
    // The pointers are into `listed` and `endpoints`, which outlive them.
    auto [matched, unmatched_endpoints, unmatched_targets] = MatchById(endpoints.value(), listed);
    bool preflight = false;
    for (const auto& [e, t] : matched) {
      if (HasReadinessGate(*e->pod, cond_type) && !(t->health && t->health->state == ma::kTargetStateHealthy)) preflight = true;
    }
    if (!unmatched_endpoints.empty() || !unmatched_targets.empty() || preflight) {
      SIM_RETURN_IF_ERROR(UpdateCheckpoint(*tgb, "", o.old_cp));
    }
    if (!unmatched_targets.empty()) {
      std::vector<ma::TargetDescription> descs;
      descs.reserve(unmatched_targets.size());
      for (const TargetInfo* t : unmatched_targets) descs.push_back(t->target);
      SIM_RETURN_IF_ERROR(targets.DeregisterTargets(tgb->target_group_arn, descs));
    }
    if (!unmatched_endpoints.empty()) {
      unmatched_endpoints.resize(RegistrableCount(unmatched_endpoints.size(), listed.size(),
                                                  config.max_targets_per_target_group));
      std::vector<ma::TargetDescription> descs;
      descs.reserve(unmatched_endpoints.size());
      for (const PodEndpoint* e : unmatched_endpoints) descs.push_back(ma::TargetDescription{e->ip, e->port, std::nullopt});
      if (!descs.empty()) SIM_RETURN_IF_ERROR(targets.RegisterTargets(tgb->target_group_arn, descs));
    }
    bool need_probe = false;
    for (const auto& [e, t] : matched) {
      SIM_ASSIGN_OR_RETURN(bool p, UpdatePodCondition(e->pod, t->health.get(), cond_type));
      need_probe = need_probe || p;
    }
    for (const PodEndpoint* e : unmatched_endpoints) {
      ma::TargetHealth h{ma::kTargetStateInitial, "Elb.RegistrationInProgress", "Target registration is in progress"};
      SIM_ASSIGN_OR_RETURN(bool p, UpdatePodCondition(e->pod, &h, cond_type));
      need_probe = need_probe || p;
    }
    if (need_probe) {
      return NewRequeueNeededAfter("monitor targetHealth", SimTime(config.targetgroupbinding_requeue_duration_ms));
    }
    return o;
  }

  Result<Outcome> ReconcileInstance(const TgbPtr& tgb) {
    Outcome o;
    auto it = tgb->metadata.annotations.find(kAnnotationCheckPoint);
    o.old_cp = it == tgb->metadata.annotations.end() ? "" : it->second;
    auto endpoints = resolver.ResolveNodePortEndpoints(tgb->metadata.namespace_, tgb->service_name, tgb->service_port,
                                                       tgb->node_selector);
    if (!endpoints.ok()) {
      if (IsBackendNotFound(endpoints.error())) {
        Event(*tgb, "Warning", "BackendNotFound", ErrorText(endpoints.error()));
        SIM_RETURN_IF_ERROR(Cleanup(*tgb));
        o.new_cp = "";
        return o;
      }
      return endpoints.error();
    }
    EndpointIdentifiers ids;
    ids.spans.reserve(endpoints.value().size());
    for (const auto& e : endpoints.value()) ids.Add(e);
    o.new_cp = CalculateTGBReconcileCheckpoint(ids, *tgb, checkpoint_memo);
    if (o.new_cp == o.old_cp) {
      o.deferred = true;
      return o;
    }
    SIM_RETURN_IF_ERROR(networking.ReconcileForNodePortEndpoints(*tgb, endpoints.value()));
    SIM_ASSIGN_OR_RETURN(auto listed, targets.ListTargets(tgb->target_group_arn));
    // The pointers are into `listed` and `endpoints`, which outlive them.
    auto [matched, unmatched_endpoints, unmatched_targets] = MatchById(endpoints.value(), listed);
    if (!unmatched_endpoints.empty() || !unmatched_targets.empty()) {
      SIM_RETURN_IF_ERROR(UpdateCheckpoint(*tgb, "", o.old_cp));
    }
    if (!unmatched_targets.empty()) {
      std::vector<ma::TargetDescription> descs;
      descs.reserve(unmatched_targets.size());
      for (const TargetInfo* t : unmatched_targets) descs.push_back(t->target);
      SIM_RETURN_IF_ERROR(targets.DeregisterTargets(tgb->target_group_arn, descs));
    }
    if (!unmatched_endpoints.empty()) {
      unmatched_endpoints.resize(RegistrableCount(unmatched_endpoints.size(), listed.size(),
                                                  config.max_targets_per_target_group));
      std::vector<ma::TargetDescription> descs;
      descs.reserve(unmatched_endpoints.size());
      for (const NodePortEndpoint* e : unmatched_endpoints) {
        descs.push_back(ma::TargetDescription{e->instance_id, e->port, std::nullopt});
      }
      if (!descs.empty()) SIM_RETURN_IF_ERROR(targets.RegisterTargets(tgb->target_group_arn, descs));
    }
    return o;
  }

  Status DoReconcile(const std::string& key, bool* deferred) {
    auto slash = key.find('/');
    const std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
    auto got = k8s::Get<mk::TargetGroupBinding>(deps.kube, ns, name);
    if (!got.ok()) {
      if (!k8s::IsNotFound(got.error())) return got.error();
      checkpoint_memo.by_tgb.erase(key);
      return OkStatus();
    }
    TgbPtr tgb = got.value();
    if (tgb->metadata.deletion_timestamp) {
      checkpoint_memo.by_tgb.erase(key);
      if (!HasFinalizer(*tgb, kTargetGroupBindingFinalizer)) return OkStatus();
      Status s = Cleanup(*tgb);
      if (!s.ok()) {
        Event(*tgb, "Warning", "FailedCleanup", "Failed cleanup due to " + ErrorText(s.error()));
        return s;
      }
      s = PatchFinalizer(*tgb, false);
      if (!s.ok()) {
        Event(*tgb, "Warning", "FailedRemoveFinalizer", "Failed remove finalizer due to " + ErrorText(s.error()));
      }
      return s;
    }
    Status s = PatchFinalizer(*tgb, true);
    if (!s.ok()) {
      Event(*tgb, "Warning", "FailedAddFinalizer", "Failed add finalizer due to " + ErrorText(s.error()));
      return s;
    }
    // Re-read: the finalizer write bumped the resourceVersion.
    auto fresh = k8s::Get<mk::TargetGroupBinding>(deps.kube, ns, name);
    if (fresh.ok()) tgb = fresh.value();
    Result<Outcome> outcome = MakeError(ErrorCode::kInvalidArgument, "targetType is not specified: " + key);
    if (tgb->target_type == "ip") {
      outcome = ReconcileIP(tgb);
    } else if (!tgb->target_type.empty()) {
      outcome = ReconcileInstance(tgb);
    }
    if (outcome.ok() && !outcome.value().deferred) {
      Status cp = UpdateCheckpoint(*tgb, outcome.value().new_cp, outcome.value().old_cp);
      if (!cp.ok()) outcome = cp.error();
    }
    if (!outcome.ok()) {
      if (!IsRequeueNeededAfter(outcome.error())) {
        Event(*tgb, "Warning", "FailedReconcile", "Failed reconcile due to " + ErrorText(outcome.error()));
      }
      return outcome.error();
    }
    if (outcome.value().deferred) {
      *deferred = true;
      DeferredEnqueue(key, self);
      return OkStatus();
    }
    MarkProcessed(key);
    auto cur = k8s::Get<mk::TargetGroupBinding>(deps.kube, ns, name);
    if (cur.ok() && cur.value()->observed_generation != cur.value()->metadata.generation) {
      auto copy = k8s::MutableCopy(cur.value());
      copy->observed_generation = copy->metadata.generation;
      // Merge patch: the fresh object was read just before, so its resourceVersion is current.
      auto r = deps.kube.UpdateStatus(*copy);
      if (!r.ok()) {
        Error e = Wrap(r.error(), "failed to update targetGroupBinding status: " + key);
        Event(*tgb, "Warning", "FailedUpdateStatus", "Failed update status due to " + ErrorText(e));
        return e;
      }
    }
    Event(*tgb, "Normal", "SuccessfullyReconciled", "Successfully reconciled");
    return OkStatus();
  }

  Status PatchFinalizer(const mk::TargetGroupBinding& tgb, bool add) {
    Status last = OkStatus();
    for (int attempt = 0; attempt < 4; ++attempt) {
      auto cur = k8s::Get<mk::TargetGroupBinding>(deps.kube, tgb.metadata.namespace_, tgb.metadata.name);
      if (!cur.ok()) return cur.error();
      bool has = HasFinalizer(*cur.value(), kTargetGroupBindingFinalizer);
      if (has == add) return OkStatus();
      auto copy = k8s::MutableCopy(cur.value());
      auto& fs = copy->metadata.finalizers;
      if (add) {
        fs.push_back(kTargetGroupBindingFinalizer);
      } else {
        fs.erase(std::remove(fs.begin(), fs.end(), std::string(kTargetGroupBindingFinalizer)), fs.end());
      }
      auto r = deps.kube.Update(*copy);
      if (r.ok()) return OkStatus();
      last = r.error();
      if (r.error().code != ErrorCode::kConflict) return last;
    }
    return last;
  }

  ReconcileResult Reconcile(const std::string& key) {
    ReconcileResult result;
    bool deferred = false;
    Status s = DoReconcile(key, &deferred);
    SimTime after;
    if (!s.ok() && IsRequeueNeededAfter(s.error(), &after)) {
      result.requeue_after = after;
      last_errors->erase(key);
      return result;
    }
    if (s.ok()) {
      last_errors->erase(key);
    } else {
      (*last_errors)[key] = ErrorText(s.error());
    }
    result.status = s;
    return result;
  }

  // ---------------------------------------------------------------- event handlers

  // Through the TGB index by service (upstream's field index on spec.serviceRef.name); the TGBs in
  // name order, as a List of the namespace gives them.
  void EnqueueTGBsOfService(const std::string& ns, const std::string& svc_name, const std::string& target_type) {
    auto it = tgbs_by_service.find(std::make_pair(ns, svc_name));
    if (it == tgbs_by_service.end()) return;
    for (const auto& [name, type] : it->second) {
      if (type == target_type) loop.Enqueue(ns + "/" + name);
    }
  }

  // Keep tgbs_by_service / slices_by_service in step with the API server: called synchronously
  // from the watches (not deferred like the handlers), so a handler reading them sees what a List
  // would return.
  void IndexTGB(const k8s::WatchEvent& ev) {
    IndexByService<mk::TargetGroupBinding>(
        tgbs_by_service, ev, [](const mk::TargetGroupBinding& tgb) { return &tgb.service_name; },
        [](const auto& tgb) { return tgb->target_type; });
  }
  void IndexSlice(const k8s::WatchEvent& ev) {
    IndexByService<mk::EndpointSlice>(
        slices_by_service, ev,
        [](const mk::EndpointSlice& slice) {
          auto it = slice.metadata.labels.find(mk::kLabelServiceName);
          return it == slice.metadata.labels.end() ? nullptr : &it->second;
        },
        [](const auto& slice) { return slice; });
  }

  void OnTGB(const k8s::WatchEvent& ev) {
    loop.Enqueue(ev.object->metadata.namespace_ + "/" + ev.object->metadata.name);
  }

  void OnService(const k8s::WatchEvent& ev) {
    auto svc = mk::As<mk::Service>(ev.object);
    if (!svc) return;
    if (ev.type == k8s::WatchEventType::kModified && ev.old_object) {
      auto old = mk::As<mk::Service>(ev.old_object);
      bool same = old && old->ports.size() == svc->ports.size();
      for (size_t i = 0; same && i < svc->ports.size(); ++i) {
        const auto& a = old->ports[i];
        const auto& b = svc->ports[i];
        same = a.name == b.name && a.protocol == b.protocol && a.app_protocol == b.app_protocol && a.port == b.port &&
               a.target_port == b.target_port && a.node_port == b.node_port;
      }
      if (same) return;
    }
    EnqueueTGBsOfService(svc->metadata.namespace_, svc->metadata.name, "instance");
  }

  void OnEndpointSlice(const k8s::WatchEvent& ev) {
    auto slice = mk::As<mk::EndpointSlice>(ev.object);
    if (!slice) return;
    if (ev.type == k8s::WatchEventType::kModified && ev.old_object &&
        ev.old_object->metadata.resource_version == slice->metadata.resource_version) {
      return;
    }
    auto it = slice->metadata.labels.find(mk::kLabelServiceName);
    if (it == slice->metadata.labels.end()) return;
    EnqueueTGBsOfService(slice->metadata.namespace_, it->second, "ip");
  }

  void OnEndpoints(const k8s::WatchEvent& ev) {
    EnqueueTGBsOfService(ev.object->metadata.namespace_, ev.object->metadata.name, "ip");
  }

  void OnNode(const k8s::WatchEvent& ev) {
    auto node_new = ev.type == k8s::WatchEventType::kDeleted ? nullptr : mk::As<mk::Node>(ev.object);
    auto node_old = ev.type == k8s::WatchEventType::kDeleted ? mk::As<mk::Node>(ev.object) : mk::As<mk::Node>(ev.old_object);
    for (const auto& tgb : k8s::List<mk::TargetGroupBinding>(deps.kube)) {
      if (tgb->target_type != "instance") continue;
      auto suitable = [&](const NodePtr& n) {
        return n && IsNodeSuitableAsTrafficProxy(*n) && NodeMatchesTrafficProxySelector(*n, tgb->node_selector);
      };
      auto ready = [](const NodePtr& n) {
        std::string s = n ? NodeReadyStatus(*n) : "";
        return s.empty() ? std::string("False") : s;
      };
      bool so = suitable(node_old), sn = suitable(node_new);
      bool enqueue = false;
      if (so && sn) enqueue = ready(node_old) != ready(node_new);
      else if (so) enqueue = ready(node_old) != "False";
      else if (sn) enqueue = ready(node_new) != "False";
      if (enqueue) loop.Enqueue(tgb->metadata.namespace_ + "/" + tgb->metadata.name);
    }
  }

  void OnPod(const k8s::WatchEvent& ev) {
    auto pod = mk::As<mk::Pod>(ev.object);
    if (!pod) return;
    if (ev.type == k8s::WatchEventType::kModified && ev.old_object &&
        ev.old_object->metadata.resource_version == pod->metadata.resource_version) {
      return;
    }
    if (pod->spec.readiness_gates.empty()) return;
    // The gate's condition type names the TGB after one of these (built once, not per pod event).
    static const std::string prefix = std::string(kTargetHealthPodConditionTypePrefix) + "/";
    static const std::string legacy = "target-health.alb.ingress.k8s.aws/";
    for (const auto& gate : pod->spec.readiness_gates) {
      for (const std::string* p : {&prefix, &legacy}) {
        if (gate.condition_type.starts_with(*p) && gate.condition_type.size() > p->size()) {
          loop.Enqueue(pod->metadata.namespace_ + "/" + gate.condition_type.substr(p->size()));
        }
      }
    }
  }

  TargetGroupBindingControllerDeps deps;
  const ControllerConfig config;  // a copy: the instance may outlive its controller object
  std::shared_ptr<std::map<std::string, std::string>> last_errors;
  TGBCheckpointMemo checkpoint_memo;
  bool stopped = false;
  DeployDeps deploy_deps;
  EndpointResolver resolver;
  CachedTargetsManager targets;
  // Node / pod ENI security-group rules (upstream pkg/networking/networking_manager.go).
  NetworkingSecurityGroupManager sg_manager;
  SecurityGroupReconciler sg_reconciler;
  NetworkingManager networking;
  ReconcileLoop loop;
  Rng rng;
  std::vector<k8s::KubeApi::WatchId> watches;
  ByService<std::string> tgbs_by_service;  // (namespace, service name) -> TGB name -> target type
  EndpointResolver::SlicesByService slices_by_service;  // the resolver's slice index
  std::map<std::string, SimTime> processed;  // key → expiry (processed TGB cache)
  std::vector<EventQueue::Handle> deferred_timers;
  std::weak_ptr<Instance> self;
};

TargetGroupBindingController::TargetGroupBindingController(TargetGroupBindingControllerDeps deps, ControllerConfig config)
    : deps_(std::move(deps)), config_(std::move(config)) {}

TargetGroupBindingController::~TargetGroupBindingController() { Stop(); }

void TargetGroupBindingController::Start() {
  if (instance_) Stop();
  auto inst = std::make_shared<Instance>(*this, deps_, config_);
  std::weak_ptr<Instance> weak = inst;
  inst->loop.SetKeepAlive([weak]() -> std::shared_ptr<void> { return weak.lock(); });
  inst->self = weak;
  auto schedule = [this, weak](void (Instance::*handler)(const k8s::WatchEvent&)) {
    return [this, weak, handler](const k8s::WatchEvent& ev) {
      deps_.events.ScheduleAfter(SimTime(0), [weak, handler, ev] {
        if (auto i = weak.lock()) {
          if (!i->stopped) ((*i).*handler)(ev);
        }
      });
    };
  };
  for (const auto& tgb : k8s::List<mk::TargetGroupBinding>(deps_.kube)) {
    inst->IndexTGB(k8s::WatchEvent{k8s::WatchEventType::kAdded, tgb, nullptr});
  }
  inst->watches.push_back(deps_.kube.Watch(mk::Kind::kTargetGroupBinding, [weak](const k8s::WatchEvent& ev) {
    if (auto i = weak.lock()) i->IndexTGB(ev);
  }));
  inst->watches.push_back(deps_.kube.Watch(mk::Kind::kTargetGroupBinding, schedule(&Instance::OnTGB)));
  inst->watches.push_back(deps_.kube.Watch(mk::Kind::kService, schedule(&Instance::OnService)));
  if (config_.enable_endpoint_slices) {
    for (const auto& slice : k8s::List<mk::EndpointSlice>(deps_.kube)) {
      inst->IndexSlice(k8s::WatchEvent{k8s::WatchEventType::kAdded, slice, nullptr});
    }
    inst->watches.push_back(deps_.kube.Watch(mk::Kind::kEndpointSlice, [weak](const k8s::WatchEvent& ev) {
      if (auto i = weak.lock()) i->IndexSlice(ev);
    }));
    inst->resolver.SetSliceIndex(&inst->slices_by_service);
    inst->watches.push_back(deps_.kube.Watch(mk::Kind::kEndpointSlice, schedule(&Instance::OnEndpointSlice)));
  } else {
    inst->watches.push_back(deps_.kube.Watch(mk::Kind::kEndpoints, schedule(&Instance::OnEndpoints)));
  }
  inst->watches.push_back(deps_.kube.Watch(mk::Kind::kNode, schedule(&Instance::OnNode)));
  inst->watches.push_back(deps_.kube.Watch(mk::Kind::kPod, schedule(&Instance::OnPod)));
  instance_ = inst;
  for (const auto& tgb : k8s::List<mk::TargetGroupBinding>(deps_.kube)) {
    inst->loop.Enqueue(tgb->metadata.namespace_ + "/" + tgb->metadata.name);
  }
}

void TargetGroupBindingController::Stop() {
  if (!instance_) return;
  std::shared_ptr<Instance> inst = std::move(instance_);
  inst->stopped = true;
  for (auto id : inst->watches) deps_.kube.Unwatch(id);
  inst->watches.clear();
  for (auto h : inst->deferred_timers) deps_.events.Cancel(h);
  inst->deferred_timers.clear();
  inst->loop.Stop();
}

void TargetGroupBindingController::Enqueue(const std::string& ns, const std::string& name) {
  if (instance_) instance_->loop.Enqueue(ns + "/" + name);
}

ReconcileResult TargetGroupBindingController::ReconcileNowForTest(const std::string& ns, const std::string& name) {
  if (!instance_) return ReconcileResult{false, SimTime(0), MakeError(ErrorCode::kFailedPrecondition, "not started")};
  std::shared_ptr<Instance> hold = instance_;
  return hold->Reconcile(ns + "/" + name);
}

uint64_t TargetGroupBindingController::reconcile_count() const {
  return instance_ ? instance_->loop.reconcile_count() : 0;
}

}  // namespace sim::controller
