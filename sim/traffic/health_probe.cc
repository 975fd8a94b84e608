#include "sim/traffic/health_probe.h"

#include <cstdlib>
#include <sstream>

#include "sim/base/match.h"

namespace sim::traffic {

namespace mk = model::k8s;

bool MatcherAccepts(const std::string& http_code, int status) {
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
  auto paths = annotations.find(kFailingPathsAnnotation);
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
  auto status = annotations.find(kFailingStatusAnnotation);
  if (status == annotations.end() || status->second.empty()) return 500;
  if (status->second == "timeout") return 0;
  int code = std::atoi(status->second.c_str());
  return code >= 100 && code <= 599 ? code : 500;
}

struct PodHealthProbe::Index {
  std::map<std::string, std::shared_ptr<const mk::Pod>> pods_by_ip;  // running pods with an IP
  std::map<std::string, std::string> node_of_instance;
  struct NodePortTarget {
    std::string external_traffic_policy;
    std::vector<std::pair<std::string, std::string>> ready;  // (node name, pod IP), ready endpoints
  };
  std::map<int, NodePortTarget> by_node_port;
};

PodHealthProbe::PodHealthProbe(k8s::KubeApi& api, std::map<std::string, std::string> instance_of_node)
    : api_(api), instance_of_node_(std::move(instance_of_node)) {
  for (mk::Kind kind : {mk::Kind::kPod, mk::Kind::kService, mk::Kind::kEndpointSlice, mk::Kind::kNode}) {
    watches_.push_back(api_.Watch(kind, [this](const k8s::WatchEvent&) {
      dirty_ = true;
      if (on_change) on_change();
    }));
  }
}

PodHealthProbe::~PodHealthProbe() {
  for (auto id : watches_) api_.Unwatch(id);
}

void PodHealthProbe::Rebuild() {
  index_ = std::make_unique<Index>();
  for (const auto& obj : api_.List(mk::Kind::kPod)) {
    auto pod = mk::As<mk::Pod>(obj);
    if (pod && !pod->pod_ip.empty() && pod->phase == "Running") index_->pods_by_ip[pod->pod_ip] = pod;
  }
  for (const auto& [node, inst] : instance_of_node_) index_->node_of_instance[inst] = node;
  std::map<std::string, std::shared_ptr<const mk::Service>> services;
  for (const auto& obj : api_.List(mk::Kind::kService)) {
    auto svc = mk::As<mk::Service>(obj);
    if (svc) services[svc->metadata.namespace_ + "/" + svc->metadata.name] = svc;
  }
  for (const auto& obj : api_.List(mk::Kind::kEndpointSlice)) {
    auto slice = mk::As<mk::EndpointSlice>(obj);
    if (!slice) continue;
    auto owner = slice->metadata.labels.find("kubernetes.io/service-name");
    if (owner == slice->metadata.labels.end()) continue;
    auto sit = services.find(slice->metadata.namespace_ + "/" + owner->second);
    if (sit == services.end()) continue;
    for (const auto& sp : sit->second->ports) {
      if (sp.node_port == 0) continue;
      for (const auto& port : slice->ports) {
        if (port.name.value_or("") != sp.name) continue;
        auto& t = index_->by_node_port[sp.node_port];
        t.external_traffic_policy = sit->second->external_traffic_policy;
        for (const auto& ep : slice->endpoints) {
          if (!ep.conditions.ready.value_or(false)) continue;
          for (const auto& addr : ep.addresses) t.ready.emplace_back(ep.node_name, addr);
        }
      }
    }
  }
  dirty_ = false;
}

std::optional<aws::HealthProbeAnswer> PodHealthProbe::Probe(const model::aws::TargetGroup& tg,
                                                            const model::aws::TargetDescription& target) {
  if (dirty_ || !index_) Rebuild();
  const std::string path = tg.health_check_path.value_or("/");
  const std::string matcher = tg.matcher && tg.matcher->http_code ? *tg.matcher->http_code : "200";
  const int port = target.port.value_or(tg.port.value_or(0));
  auto timeout = [] { return aws::HealthProbeAnswer{false, "Target.Timeout", "Request timed out"}; };
  auto answer_of = [&](const mk::Pod& pod) {
    const int code = PodAnswer(pod.metadata.annotations, path);
    if (code == 0) return timeout();
    if (MatcherAccepts(matcher, code)) return aws::HealthProbeAnswer{};
    return aws::HealthProbeAnswer{false, "Target.ResponseCodeMismatch",
                                  "Health checks failed with these codes: [" + std::to_string(code) + "]"};
  };
  if (tg.target_type == "ip") {
    auto it = index_->pods_by_ip.find(target.id);
    if (it == index_->pods_by_ip.end()) return timeout();
    return answer_of(*it->second);
  }
  if (tg.target_type == "instance") {
    auto node = index_->node_of_instance.find(target.id);
    if (node == index_->node_of_instance.end()) return std::nullopt;
    int hc_port = port;
    if (tg.health_check_port && *tg.health_check_port != "traffic-port") hc_port = std::atoi(tg.health_check_port->c_str());
    auto np = index_->by_node_port.find(hc_port);
    if (np == index_->by_node_port.end()) {
      return aws::HealthProbeAnswer{false, "Target.FailedHealthChecks", "Health checks failed"};
    }
    for (const auto& [ep_node, ip] : np->second.ready) {
      if (np->second.external_traffic_policy == "Local" && ep_node != node->second) continue;
      auto pod = index_->pods_by_ip.find(ip);
      if (pod != index_->pods_by_ip.end()) return answer_of(*pod->second);
    }
    // Local with no endpoint on this node: kube-proxy drops; Cluster with none: it rejects.
    if (np->second.external_traffic_policy == "Local") return timeout();
    return aws::HealthProbeAnswer{false, "Target.FailedHealthChecks", "Health checks failed"};
  }
  return std::nullopt;
}

}  // namespace sim::traffic
