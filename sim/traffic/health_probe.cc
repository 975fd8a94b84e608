#include "sim/traffic/health_probe.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <unordered_map>

#include "sim/base/match.h"

namespace sim::traffic {

namespace mk = model::k8s;

bool MatcherAccepts(const std::string& http_code, int status) {
  // One plain code ("200"): no list, no range to parse.
  if (!http_code.empty() && http_code.size() <= 9 &&
      std::all_of(http_code.begin(), http_code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int code = 0;
    for (char c : http_code) code = code * 10 + (c - '0');
    return code == status;
  }
  std::stringstream ss(http_code.empty() ? "200" : http_code);
  std::string part;
  while (std::getline(ss, part, ',')) {
    auto dash = part.find('-');
    if (dash == std::string::npos) {
      if (std::atoi(part.c_str()) == status) return true;
    } else if (std::atoi(part.substr(0, dash).c_str()) <= status && status <= std::atoi(part.substr(dash + 1).c_str())) {
      return true;
    }
  }
  return false;
}

int PodAnswer(const std::map<std::string, std::string>& annotations, const std::string& path) {
  static const std::string kPaths = kFailingPathsAnnotation, kStatus = kFailingStatusAnnotation;
  auto paths = annotations.find(kPaths);
  if (paths == annotations.end()) return 200;
  std::stringstream ss(paths->second);
  std::string glob;
  bool failing = false;
  while (std::getline(ss, glob, ',')) {
    while (!glob.empty() && glob.front() == ' ') glob.erase(glob.begin());
    while (!glob.empty() && glob.back() == ' ') glob.pop_back();
    if (!glob.empty() && GlobMatch(glob, path, false)) failing = true;
  }
  if (!failing) return 200;
  auto status = annotations.find(kStatus);
  if (status == annotations.end() || status->second.empty()) return 500;
  if (status->second == "timeout") return 0;
  int code = std::atoi(status->second.c_str());
  return code >= 100 && code <= 599 ? code : 500;
}

struct PodHealthProbe::Index {
  // Running pods with an IP, by IP; when two share one (host network), the last by ns/name counts.
  std::unordered_map<std::string, std::map<std::string, std::shared_ptr<const mk::Pod>>> pods_by_ip;
  std::unordered_map<std::string, std::string> ip_of_pod;  // ns/name -> the IP it is indexed under
  std::unordered_map<std::string, std::string> node_of_instance;  // set once, by the constructor
  struct NodePortTarget {
    std::string external_traffic_policy;
    std::vector<std::pair<std::string, std::string>> ready;  // (node name, pod IP), ready endpoints
  };
  std::map<int, NodePortTarget> by_node_port;
  std::unordered_map<std::string, std::shared_ptr<const mk::Service>> services;  // ns/name
  // Service ns/name -> slice name -> slice (one namespace: sorted by name as a List is).
  std::unordered_map<std::string, std::map<std::string, std::shared_ptr<const mk::EndpointSlice>>> slices;
  std::unordered_map<std::string, std::string> service_of_slice;   // slice ns/name -> service ns/name
  std::unordered_map<std::string, std::set<int>> node_ports_of_service;  // as indexed in by_node_port

  const mk::Pod* PodAt(const std::string& ip) const {
    auto it = pods_by_ip.find(ip);
    return it == pods_by_ip.end() || it->second.empty() ? nullptr : it->second.rbegin()->second.get();
  }
};

namespace {

std::string ServiceOfSlice(const mk::EndpointSlice& slice) {
  auto owner = slice.metadata.labels.find(mk::kLabelServiceName);
  return owner == slice.metadata.labels.end() ? "" : slice.metadata.namespace_ + "/" + owner->second;
}

}  // namespace

PodHealthProbe::PodHealthProbe(k8s::KubeApi& api, std::map<std::string, std::string> instance_of_node)
    : api_(api), index_(std::make_unique<Index>()) {
  for (const auto& [node, inst] : instance_of_node) index_->node_of_instance[inst] = node;
  for (mk::Kind kind : {mk::Kind::kPod, mk::Kind::kService, mk::Kind::kEndpointSlice}) {
    for (const auto& obj : api_.List(kind)) OnEvent(k8s::WatchEvent{k8s::WatchEventType::kAdded, obj, nullptr});
    watches_.push_back(api_.Watch(kind, [this](const k8s::WatchEvent& ev) { OnEvent(ev); }));
  }
}

PodHealthProbe::~PodHealthProbe() {
  for (auto id : watches_) api_.Unwatch(id);
}

void PodHealthProbe::OnEvent(const k8s::WatchEvent& ev) {
  ++generation_;
  const bool deleted = ev.type == k8s::WatchEventType::kDeleted;
  std::vector<std::string> ips;  // the pod's IPs before and after (distinct; at most two)
  std::set<int> node_ports;
  if (auto pod = mk::As<mk::Pod>(ev.object)) {
    const std::string key = pod->Key();
    const bool indexes = !deleted && !pod->pod_ip.empty() && pod->phase == "Running";
    auto indexed = index_->ip_of_pod.find(key);
    if (indexes && indexed != index_->ip_of_pod.end() && indexed->second == pod->pod_ip) {
      // Running at the same IP as before (a status or label change): the new object takes the
      // old one's place.
      index_->pods_by_ip.find(pod->pod_ip)->second.find(key)->second = pod;
      ips.push_back(pod->pod_ip);
    } else {
      if (indexed != index_->ip_of_pod.end()) {
        ips.push_back(indexed->second);
        auto& at_ip = index_->pods_by_ip[indexed->second];
        at_ip.erase(key);
        if (at_ip.empty()) index_->pods_by_ip.erase(indexed->second);
        index_->ip_of_pod.erase(indexed);
      }
      if (indexes) {
        ips.push_back(pod->pod_ip);
        index_->pods_by_ip[pod->pod_ip][key] = pod;
        index_->ip_of_pod[key] = pod->pod_ip;
      }
    }
  } else if (auto svc = mk::As<mk::Service>(ev.object)) {
    const std::string key = svc->Key();
    if (deleted) {
      index_->services.erase(key);
    } else {
      index_->services[key] = svc;
    }
    RecomputeService(key, &node_ports);
  } else if (auto slice = mk::As<mk::EndpointSlice>(ev.object)) {
    const std::string key = slice->Key();
    std::set<std::string> services;
    auto owner = index_->service_of_slice.find(key);
    if (owner != index_->service_of_slice.end()) {
      services.insert(owner->second);
      auto by_service = index_->slices.find(owner->second);
      if (by_service != index_->slices.end()) {
        by_service->second.erase(slice->metadata.name);
        if (by_service->second.empty()) index_->slices.erase(by_service);
      }
      index_->service_of_slice.erase(owner);
    }
    const std::string service = ServiceOfSlice(*slice);
    if (!deleted && !service.empty()) {
      services.insert(service);
      index_->slices[service][slice->metadata.name] = slice;
      index_->service_of_slice[key] = service;
    }
    for (const std::string& s : services) RecomputeService(s, &node_ports);
  }
  Notify(ips, node_ports);
}

// by_node_port for one Service: its node ports, each with the ready endpoints of its slices
// (slices by name, endpoints in slice order) for the slice port of the same name. Adds to
// `touched` the node ports it indexed before and after.
void PodHealthProbe::RecomputeService(const std::string& service_key, std::set<int>* touched) {
  auto& indexed = index_->node_ports_of_service[service_key];
  for (int p : indexed) index_->by_node_port.erase(p);
  touched->insert(indexed.begin(), indexed.end());
  indexed.clear();
  auto sit = index_->services.find(service_key);
  auto slices = index_->slices.find(service_key);
  if (sit != index_->services.end() && slices != index_->slices.end()) {
    for (const auto& sp : sit->second->ports) {
      if (sp.node_port == 0) continue;
      for (const auto& [name, slice] : slices->second) {
        for (const auto& port : slice->ports) {
          if (port.name.value_or("") != sp.name) continue;
          auto& t = index_->by_node_port[sp.node_port];
          indexed.insert(sp.node_port);
          t.external_traffic_policy = sit->second->external_traffic_policy;
          for (const auto& ep : slice->endpoints) {
            if (!ep.conditions.ready.value_or(false)) continue;
            for (const auto& addr : ep.addresses) t.ready.emplace_back(ep.node_name, addr);
          }
        }
      }
    }
  }
  touched->insert(indexed.begin(), indexed.end());
  if (indexed.empty()) index_->node_ports_of_service.erase(service_key);
}

uint32_t PodHealthProbe::Interner::Intern(const std::string& s) {
  auto [it, added] = id_of.try_emplace(s, static_cast<uint32_t>(name_of.size()));
  if (added) name_of.push_back(&it->first);
  return it->second;
}

uint32_t PodHealthProbe::Interner::Find(const std::string& s) const {
  auto it = id_of.find(s);
  return it == id_of.end() ? kNone : it->second;
}

namespace {

// Sorted id sets as vectors: ids mostly arrive in increasing order (probe order).
void AddReader(std::vector<uint32_t>& readers, uint32_t id) {
  if (readers.empty() || readers.back() < id) {
    readers.push_back(id);
    return;
  }
  auto it = std::lower_bound(readers.begin(), readers.end(), id);
  if (it == readers.end() || *it != id) readers.insert(it, id);
}

}  // namespace

void PodHealthProbe::Unread(std::vector<uint32_t>& readers, uint32_t id) {
  auto it = std::lower_bound(readers.begin(), readers.end(), id);
  if (it != readers.end() && *it == id) readers.erase(it);
}

std::pair<uint32_t, bool> PodHealthProbe::IdOf(const TargetKey& target) {
  if (target.tg >= ids_by_tg_.size()) ids_by_tg_.resize(target.tg + 1);
  TgIds& ids = ids_by_tg_[target.tg];
  const auto [local, added] = ids.local.Insert(IdPort{target.id, target.port});
  if (added) ids.probe_id.push_back(static_cast<uint32_t>(target_of_.size()));
  return {ids.probe_id[local], added};
}

uint32_t PodHealthProbe::Record(const TargetKey& target, const Reads& reads, uint32_t known) {
  const auto [id, added] = known != kNone ? std::pair<uint32_t, bool>{known, false} : IdOf(target);
  if (added) {
    target_of_.push_back(target);
    reads_.emplace_back();
  } else {
    const Reads& old = reads_[id];
    if (old == reads) return id;
    old.ForEachIp([&](uint32_t ip) { Unread(readers_of_ip_[ip], id); });
    if (old.node_port != 0) {
      auto r = readers_of_node_port_.find(old.node_port);
      if (r != readers_of_node_port_.end()) {
        Unread(r->second, id);
        if (r->second.empty()) readers_of_node_port_.erase(r);
      }
    }
  }
  if (readers_of_ip_.size() < ips_.name_of.size()) readers_of_ip_.resize(ips_.name_of.size());
  reads.ForEachIp([&](uint32_t ip) { AddReader(readers_of_ip_[ip], id); });
  if (reads.node_port != 0) AddReader(readers_of_node_port_[reads.node_port], id);
  reads_[id] = reads;
  return id;
}

void PodHealthProbe::Notify(const std::vector<std::string>& ips, const std::set<int>& node_ports) {
  if (!on_change) return;
  std::vector<uint32_t> ids;
  for (const std::string& ip : ips) {
    const uint32_t k = ips_.Find(ip);
    if (k < readers_of_ip_.size()) ids.insert(ids.end(), readers_of_ip_[k].begin(), readers_of_ip_[k].end());
  }
  for (int p : node_ports) {
    auto r = readers_of_node_port_.find(p);
    if (r != readers_of_node_port_.end()) ids.insert(ids.end(), r->second.begin(), r->second.end());
  }
  if (ids.empty()) return;
  // In probe order (the order the probe first saw each target): deterministic, and a TG's
  // targets come together since a registration probes them together. Observing one target does
  // not depend on another, so the order changes no outcome; sorting by ARN and id strings instead
  // cost more than the observations (a pod's change notifies every node target of its TG).
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<ProbedTarget> targets;
  targets.reserve(ids.size());
  for (uint32_t id : ids) {
    const TargetKey& k = target_of_[id];
    targets.push_back(ProbedTarget{tgs_.Name(k.tg), target_ids_.Name(k.id), k.port});
  }
  on_change(targets);
}

const aws::HealthProbeAnswer* PodHealthProbe::Probe(const model::aws::TargetGroup& tg,
                                                    const model::aws::TargetDescription& target, uint32_t* memo) {
  static const std::string kRoot = "/", kOk = "200";
  const std::string& path = tg.health_check_path ? *tg.health_check_path : kRoot;
  const std::string& matcher = tg.matcher && tg.matcher->http_code ? *tg.matcher->http_code : kOk;
  const int port = target.port.value_or(tg.port.value_or(0));
  if (last_tg_ == kNone || last_tg_arn_ != tg.target_group_arn) {
    last_tg_ = tgs_.Intern(tg.target_group_arn);
    last_tg_arn_ = tg.target_group_arn;
  }
  // The target's id: the memo's when it names this very target (TG, port and id), else found by
  // the names.
  uint32_t known = kNone;
  TargetKey key;
  if (memo != nullptr && *memo < target_of_.size()) {
    const TargetKey& k = target_of_[*memo];
    if (k.tg == last_tg_ && k.port == port && target_ids_.Name(k.id) == target.id) {
      key = k;
      known = *memo;
    }
  }
  if (known == kNone) {
    key = TargetKey{last_tg_, target_ids_.Intern(target.id), port};
    if (key.id == node_of_target_.size()) {  // a new target id: its node, if an instance of one
      auto node = index_->node_of_instance.find(target.id);
      node_of_target_.push_back(node == index_->node_of_instance.end() ? nullptr : &node->second);
    }
  }
  auto timeout = [] { return aws::HealthProbeAnswer{false, "Target.Timeout", "Request timed out"}; };
  auto answer_of = [&](const mk::Pod& pod) {
    const int code = PodAnswer(pod.metadata.annotations, path);
    if (code == 0) return timeout();
    if (MatcherAccepts(matcher, code)) return aws::HealthProbeAnswer{};
    return aws::HealthProbeAnswer{false, "Target.ResponseCodeMismatch",
                                  "Health checks failed with these codes: [" + std::to_string(code) + "]"};
  };
  Reads& reads = scratch_;
  reads.Clear();
  // The answer is answer_ or a cluster answer's: either stays put until the next call.
  auto own = [&](aws::HealthProbeAnswer a) {
    answer_ = std::move(a);
    return &answer_;
  };
  const aws::HealthProbeAnswer* answer = [&]() -> const aws::HealthProbeAnswer* {
    if (tg.target_type == "ip") {
      reads.AddIp(ips_.Intern(target.id));
      const mk::Pod* pod = index_->PodAt(target.id);
      if (pod == nullptr) return own(timeout());
      return own(answer_of(*pod));
    }
    if (tg.target_type == "instance") {
      const std::string* node = node_of_target_[key.id];
      if (node == nullptr) return nullptr;
      int hc_port = port;
      if (tg.health_check_port && *tg.health_check_port != "traffic-port") hc_port = std::atoi(tg.health_check_port->c_str());
      reads.node_port = hc_port;
      const uint64_t cache_key = uint64_t{key.tg} << 32 | static_cast<uint32_t>(hc_port);
      auto cached = cluster_answers_.find(cache_key);
      if (cached != cluster_answers_.end() && cached->second.generation == generation_ &&
          cached->second.path == path && cached->second.matcher == matcher) {
        reads = cached->second.reads;
        return &cached->second.answer;
      }
      // Not Local: the same for every node (remembered for the next node).
      auto same_on_every_node = [&](aws::HealthProbeAnswer a) {
        ClusterAnswer& c = cluster_answers_[cache_key];
        c.generation = generation_;
        c.path = path;
        c.matcher = matcher;
        c.answer = std::move(a);
        c.reads = reads;
        return &c.answer;
      };
      auto np = index_->by_node_port.find(hc_port);
      if (np == index_->by_node_port.end()) {
        return same_on_every_node(aws::HealthProbeAnswer{false, "Target.FailedHealthChecks", "Health checks failed"});
      }
      const bool local = np->second.external_traffic_policy == "Local";
      for (const auto& [ep_node, ip] : np->second.ready) {
        if (local && ep_node != *node) continue;
        reads.AddIp(ips_.Intern(ip));
        if (const mk::Pod* pod = index_->PodAt(ip)) {
          if (local) return own(answer_of(*pod));
          return same_on_every_node(answer_of(*pod));
        }
      }
      // Local with no endpoint on this node: kube-proxy drops; Cluster with none: it rejects.
      if (local) return own(timeout());
      return same_on_every_node(aws::HealthProbeAnswer{false, "Target.FailedHealthChecks", "Health checks failed"});
    }
    return nullptr;
  }();
  const uint32_t id = Record(key, reads, known);
  if (memo != nullptr) *memo = id;
  return answer;
}

}  // namespace sim::traffic
