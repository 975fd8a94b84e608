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

  std::optional<aws::HealthProbeAnswer> Probe(const model::aws::TargetGroup& tg,
                                              const model::aws::TargetDescription& target);
  // After a change in the cluster: the targets probed before whose answer may differ now.
  std::function<void(const std::vector<ProbedTarget>&)> on_change;

 private:
  struct Index;
  // What one probe read: pod IPs looked up, and the node port (0 = none).
  struct Reads {
    std::vector<std::string> ips;
    int node_port = 0;
    bool operator==(const Reads&) const = default;
  };
  void OnEvent(const k8s::WatchEvent& ev);
  void RecomputeService(const std::string& service_key, std::set<int>* touched);
  void Record(const ProbedTarget& target, Reads reads);
  void Notify(const std::set<std::string>& ips, const std::set<int>& node_ports);

  k8s::KubeApi& api_;
  std::vector<k8s::KubeApi::WatchId> watches_;
  std::unique_ptr<Index> index_;
  // Every target probed so far gets a small id (in probe order); the read sets hold ids.
  std::unordered_map<ProbedTarget, uint32_t, aws::HealthTargetRefHash> id_of_;
  std::vector<ProbedTarget> target_of_;  // by id
  std::vector<Reads> reads_;             // by id
  std::unordered_map<std::string, std::set<uint32_t>> readers_of_ip_;
  std::unordered_map<int, std::set<uint32_t>> readers_of_node_port_;
};

}  // namespace sim::traffic
