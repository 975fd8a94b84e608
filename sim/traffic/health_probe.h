#pragma once
// What a simulated pod answers to an ALB health check (target_health.h's probe), and to traffic.
// ip targets: the pod with that IP; instance targets: the node's NodePort, kube-proxy, then the
// first ready endpoint of the Service (on that node with externalTrafficPolicy Local).
//
// A pod answers 200 on every path while its phase is Running, unless scripted with annotations:
//   sim.albtwin.io/failing-paths: "/healthz,/ready*"   paths (globs) that fail
//   sim.albtwin.io/failing-status: "500"               what they answer: an HTTP code (default
//                                                       500) or "timeout"
// The probe keeps an index of pods, Services and EndpointSlices, updated from their watch events.
// It also remembers what each probe read (the pod IPs and the node port it looked up), so that
// after a change `on_change` gets exactly the targets whose answer may have changed (the world has
// the fake ELBv2 observe those, and only those).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/aws/elbv2.h"
#include "sim/aws/target_health.h"
#include "sim/base/flat_ids.h"
#include "sim/k8s/client_api.h"

namespace sim::traffic {

inline constexpr char kFailingPathsAnnotation[] = "sim.albtwin.io/failing-paths";
inline constexpr char kFailingStatusAnnotation[] = "sim.albtwin.io/failing-status";

// True when HTTP `status` is accepted by a Matcher HttpCode ("200", "200,202", "200-299").
bool MatcherAccepts(const std::string& http_code, int status);

// What a pod with these annotations answers on `path`: an HTTP status, or 0 for a timeout.
int PodAnswer(const std::map<std::string, std::string>& annotations, const std::string& path);

// A registered target: (target group ARN, target id, port).
using ProbedTarget = aws::HealthTargetRef;

class PodHealthProbe {
 public:
  // `instance_of_node`: node name -> EC2 instance id.
  PodHealthProbe(k8s::KubeApi& api, std::map<std::string, std::string> instance_of_node);
  ~PodHealthProbe();
  PodHealthProbe(const PodHealthProbe&) = delete;
  PodHealthProbe& operator=(const PodHealthProbe&) = delete;

  // What `target` answers now (null: the probe does not know it). The answer is the probe's own:
  // valid until the next call (target_health.h HealthProbeFn). `memo` (optional) is the target's
  // slot for the probe's own number for it: set here, checked when given back, it spares finding
  // the target again by its names.
  const aws::HealthProbeAnswer* Probe(const model::aws::TargetGroup& tg, const model::aws::TargetDescription& target,
                                      uint32_t* memo = nullptr);
  // After a change in the cluster: the targets probed before whose answer may differ now, in the
  // order the probe first saw them (not sorted by ARN).
  std::function<void(const std::vector<ProbedTarget>&)> on_change;

 private:
  struct Index;
  // Strings interned to small ids (TG ARNs, target ids, pod IPs): ids are never reused.
  struct Interner {
    Interner() = default;
    Interner(const Interner&) = delete;  // name_of points at id_of's keys
    Interner& operator=(const Interner&) = delete;
    std::unordered_map<std::string, uint32_t> id_of;
    std::vector<const std::string*> name_of;  // by id: the key in id_of (a node-based map: it stays put)
    const std::string& Name(uint32_t id) const { return *name_of[id]; }
    uint32_t Intern(const std::string& s);
    // kNone when `s` was never interned.
    uint32_t Find(const std::string& s) const;
  };
  static constexpr uint32_t kNone = UINT32_MAX;
  // A probed target: interned TG ARN and target id, and the port.
  struct TargetKey {
    uint32_t tg = 0;
    uint32_t id = 0;
    int port = 0;
    bool operator==(const TargetKey&) const = default;
  };
  // What one probe read: pod IPs looked up (interned; nearly always one, kept inline), and the
  // node port (0 = none).
  struct Reads {
    uint32_t ip = kNone;             // the first IP looked up
    std::vector<uint32_t> more_ips;  // any further ones, in lookup order
    int node_port = 0;
    bool operator==(const Reads&) const = default;
    void AddIp(uint32_t id) {
      if (ip == kNone) {
        ip = id;
      } else {
        more_ips.push_back(id);
      }
    }
    void Clear() {
      ip = kNone;
      more_ips.clear();
      node_port = 0;
    }
    template <typename F>
    void ForEachIp(F f) const {
      if (ip != kNone) f(ip);
      for (uint32_t i : more_ips) f(i);
    }
  };
  // Cluster-policy instance targets of one TG and health-check port all read and answer the same
  // whatever their node: the last answer, valid while the index is unchanged (`generation`) and
  // the TG's path and matcher are the same.
  struct ClusterAnswer {
    uint64_t generation = 0;
    std::string path, matcher;
    aws::HealthProbeAnswer answer;
    Reads reads;
  };
  void OnEvent(const k8s::WatchEvent& ev);
  void RecomputeService(const std::string& service_key, std::set<int>* touched);
  // Records what `target` read; returns its id. `known`: its id when the caller knows it (else kNone).
  uint32_t Record(const TargetKey& target, const Reads& reads, uint32_t known);
  void Unread(std::vector<uint32_t>& readers, uint32_t id);
  void Notify(const std::vector<std::string>& ips, const std::set<int>& node_ports);

  k8s::KubeApi& api_;
  std::vector<k8s::KubeApi::WatchId> watches_;
  std::unique_ptr<Index> index_;
  uint64_t generation_ = 1;  // bumped on every change to index_
  Interner tgs_, target_ids_, ips_;
  std::vector<const std::string*> node_of_target_;  // by target id: the node of an instance id, else null
  std::string last_tg_arn_;  // Probe: the TG ARN interned last, and its id
  uint32_t last_tg_ = kNone;
  // Every target probed so far gets a small id (in probe order); the read sets hold ids. Found
  // per TG (by interned TG id: the TG's (target id, port) → probe id): a TG's targets are probed
  // together, so its own small table stays in cache, where one table of every target (200,000 in
  // a 2,000-Ingress instance world) missed the cache on nearly every lookup.
  struct IdPort {
    uint32_t id = 0;
    int port = 0;
    bool operator==(const IdPort&) const = default;
  };
  struct IdPortHash {
    size_t operator()(const IdPort& k) const { return uint64_t{k.id} << 32 | static_cast<uint32_t>(k.port); }
  };
  struct TgIds {
    FlatIds<IdPort, IdPortHash> local;
    std::vector<uint32_t> probe_id;  // by local id
  };
  // The target's probe id, numbering it next (target_of_.size()) when new; and whether it was.
  std::pair<uint32_t, bool> IdOf(const TargetKey& target);
  std::vector<TgIds> ids_by_tg_;
  std::vector<TargetKey> target_of_;  // by id
  std::vector<Reads> reads_;          // by id
  // Readers (target ids, sorted) by interned IP, and by node port.
  std::vector<std::vector<uint32_t>> readers_of_ip_;
  std::unordered_map<int, std::vector<uint32_t>> readers_of_node_port_;
  std::unordered_map<uint64_t, ClusterAnswer> cluster_answers_;  // by (TG id << 32 | hc port)
  Reads scratch_;  // Probe's reads, reused
  aws::HealthProbeAnswer answer_;  // Probe's answer when not a cluster answer
};

}  // namespace sim::traffic
