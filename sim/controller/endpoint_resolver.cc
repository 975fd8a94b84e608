// Mirrors upstream pkg/backend/endpoint_resolver.go, endpoint_utils.go, endpoint_types.go and
// pkg/k8s/node_utils.go, service_utils.go.
#include "sim/controller/endpoint_resolver.h"

#include <cstdio>
#include <ctime>
#include <string>

#include "sim/base/match.h"

namespace sim::controller {

namespace mk = model::k8s;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); linear in
// the day, as timegm is for an out-of-range day of month.
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t UnixMillis(const std::string& rfc3339) {
  // The API server's form, "2026-01-01T00:00:05Z", read without sscanf/timegm (this runs for every
  // node of every instance-target reconcile); anything else takes the general path below.
  auto digits = [&](size_t at, size_t n) -> int {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      const char c = rfc3339[i];
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  if (rfc3339.size() >= 19 && rfc3339[4] == '-' && rfc3339[7] == '-' && rfc3339[10] == 'T' && rfc3339[13] == ':' &&
      rfc3339[16] == ':') {
    const int y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2), mi = digits(14, 2),
              s = digits(17, 2);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 0 && h >= 0 && mi >= 0 && s >= 0) {
      return ((DaysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + int64_t{s} * 1000;
    }
  }
  int y, mo, d, h, mi, s;
  if (std::sscanf(rfc3339.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s) != 6) return 0;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

namespace {

// Appends "<id>:<port>" or "<id>:<port>:<millis>" to `out`.
// An identifier's last part, ":<creationTimestamp in Unix ms>".
void AppendMillisPart(int64_t millis, std::string* out) {
  out->push_back(':');
  AppendDecimal(out, millis);
}

void AppendIdentifierText(const std::string& id, int32_t port, const int64_t* millis, std::string* out) {
  out->append(id).push_back(':');
  AppendDecimal(out, port);
  if (millis != nullptr) AppendMillisPart(*millis, out);
}

}  // namespace

void PodEndpoint::AppendIdentifier(bool include_timestamp, std::string* out) const {
  if (!include_timestamp) return AppendIdentifierText(ip, port, nullptr, out);
  const int64_t ms = pod ? UnixMillis(pod->metadata.creation_timestamp) : 0;
  AppendIdentifierText(ip, port, &ms, out);
}

std::string PodEndpoint::GetIdentifier(bool include_timestamp) const {
  std::string out;
  AppendIdentifier(include_timestamp, &out);
  return out;
}

void NodePortEndpoint::AppendIdentifier(bool include_timestamp, std::string* out) const {
  if (!include_timestamp) return AppendIdentifierText(instance_id, port, nullptr, out);
  if (!node_created_suffix.empty()) {  // the same text, with the time written out once per node
    AppendIdentifierText(instance_id, port, nullptr, out);
    out->append(node_created_suffix);
    return;
  }
  const int64_t ms = node ? UnixMillis(node->metadata.creation_timestamp) : 0;
  AppendIdentifierText(instance_id, port, &ms, out);
}

std::string NodePortEndpoint::GetIdentifier(bool include_timestamp) const {
  std::string out;
  AppendIdentifier(include_timestamp, &out);
  return out;
}

Result<mk::ServicePort> LookupServicePort(const mk::Service& svc, const mk::IntOrString& port) {
  for (const auto& p : svc.ports) {
    if (port.is_string ? p.name == port.str_val : p.port == port.int_val) return p;
  }
  return MakeError(ErrorCode::kNotFound, "unable to find port " + port.ToString() + " on service " +
                                             svc.metadata.namespace_ + "/" + svc.metadata.name);
}

Result<std::string> ExtractNodeInstanceID(const mk::Node& node) {
  const std::string& pid = node.provider_id;
  if (pid.empty()) return MakeError(ErrorCode::kInvalidArgument, "providerID is not specified for node: " + node.metadata.name);
  std::string last = pid.substr(pid.rfind('/') == std::string::npos ? 0 : pid.rfind('/') + 1);
  if (pid.rfind("eks-hybrid://", 0) == 0) {
    if (!(last.rfind("mi-", 0) == 0 && last.find('/') == std::string::npos)) {  // ^mi-[^/]*$
      return MakeError(ErrorCode::kInvalidArgument,
                       "providerID " + pid + " is invalid for EKS hybrid instances, node: " + node.metadata.name);
    }
    return "hybrid-" + last;
  }
  if (!(last.rfind("i-", 0) == 0 && last.find('/') == std::string::npos)) {  // ^i-[^/]*$
    return MakeError(ErrorCode::kInvalidArgument, "providerID " + pid + " is invalid for EC2 instances, node: " + node.metadata.name);
  }
  return last;
}

bool IsNodeSuitableAsTrafficProxy(const mk::Node& node) {
  for (const auto& t : node.taints) {
    if (t.key == "ToBeDeletedByClusterAutoscaler") return false;
    if (t.key == "karpenter.sh/disrupted" && t.effect == "NoSchedule") return false;
  }
  return true;
}

namespace {

bool NodeMatchesDefaultTrafficProxySelector(const mk::Node& node) {
  static const mk::LabelSelector kDefault = [] {
    mk::LabelSelector def;
    def.match_expressions = {
        {"node-role.kubernetes.io/master", "DoesNotExist", {}},
        {"node.kubernetes.io/exclude-from-external-load-balancers", "DoesNotExist", {}},
        {"alpha.service-controller.kubernetes.io/exclude-balancer", "DoesNotExist", {}},
        {"eks.amazonaws.com/compute-type", "NotIn", {"fargate"}},
    };
    return def;
  }();
  return kDefault.Matches(node.metadata.labels);
}

}  // namespace

bool NodeMatchesTrafficProxySelector(const mk::Node& node, const std::optional<mk::LabelSelector>& tgb_selector) {
  if (!NodeMatchesDefaultTrafficProxySelector(node)) return false;
  if (tgb_selector && !tgb_selector->Matches(node.metadata.labels)) return false;
  return true;
}

std::string NodeReadyStatus(const mk::Node& node) {
  for (const auto& c : node.conditions) {
    if (c.type == "Ready") return c.status;
  }
  return "";
}

Result<std::pair<std::shared_ptr<const mk::Service>, mk::ServicePort>> EndpointResolver::FindServiceAndPort(
    const std::string& ns, const std::string& name, const mk::IntOrString& port) {
  auto svc = k8s::Get<mk::Service>(kube_, ns, name);
  if (!svc.ok()) {
    if (k8s::IsNotFound(svc.error())) {
      return MakeError(ErrorCode::kNotFound, "backend not found: " + svc.error().message, kErrBackendNotFound);
    }
    return svc.error();
  }
  auto sp = LookupServicePort(*svc.value(), port);
  if (!sp.ok()) return MakeError(ErrorCode::kNotFound, "backend not found: " + sp.error().message, kErrBackendNotFound);
  return std::make_pair(svc.value(), sp.value());
}

Result<std::vector<NodePortEndpoint>> EndpointResolver::ResolveNodePortEndpoints(
    const std::string& ns, const std::string& svc_name, const mk::IntOrString& port,
    const std::optional<mk::LabelSelector>& tgb_node_selector) {
  SIM_ASSIGN_OR_RETURN(auto found, FindServiceAndPort(ns, svc_name, port));
  const mk::Service& svc = *found.first;
  if (svc.type != "NodePort" && svc.type != "LoadBalancer") {
    return MakeError(ErrorCode::kInvalidArgument,
                     "service type must be either 'NodePort' or 'LoadBalancer': " + ns + "/" + svc_name);
  }
  // Upstream: the nodes passing the traffic-proxy selectors and suitable as proxies; of those the
  // Ready ones (fail-open: else the Unknown ones); each with its instance ID.
  const std::vector<NodePtr> nodes = k8s::List<mk::Node>(kube_);
  if (node_facts_.size() > nodes.size()) node_facts_.clear();  // nodes went away: start afresh
  std::vector<const NodeFacts*> candidates;
  for (const auto& node : nodes) {
    const NodeFacts& f = FactsOf(node);
    if (!f.default_selected) continue;
    if (tgb_node_selector && !tgb_node_selector->Matches(node->metadata.labels)) continue;
    if (f.suitable) candidates.push_back(&f);
  }
  auto filter = [&](const std::string& status) {
    std::vector<const NodeFacts*> out;
    for (const NodeFacts* f : candidates) {
      if (f->ready_status == status) out.push_back(f);
    }
    return out;
  };
  std::vector<const NodeFacts*> targets = filter("True");
  if (fail_open_enabled_ && targets.empty()) targets = filter("Unknown");
  std::vector<NodePortEndpoint> out;
  out.reserve(targets.size());
  for (const NodeFacts* f : targets) {
    if (!f->instance_id->ok()) return f->instance_id->error();
    out.push_back(NodePortEndpoint{f->instance_id->value(), found.second.node_port, f->node, f->created_suffix});
  }
  return out;
}

const EndpointResolver::NodeFacts& EndpointResolver::FactsOf(const NodePtr& node) {
  NodeFacts& f = node_facts_[node->metadata.name];
  if (f.node != node) {
    f.node = node;
    f.default_selected = NodeMatchesDefaultTrafficProxySelector(*node);
    f.suitable = IsNodeSuitableAsTrafficProxy(*node);
    f.ready_status = NodeReadyStatus(*node);
    f.instance_id = ExtractNodeInstanceID(*node);
    f.created_suffix.clear();
    AppendMillisPart(UnixMillis(node->metadata.creation_timestamp), &f.created_suffix);
  }
  return f;
}

Result<std::vector<PodEndpoint>> EndpointResolver::ResolvePodEndpoints(const std::string& ns, const std::string& svc_name,
                                                                       const mk::IntOrString& port,
                                                                       const std::string& address_type) {
  SIM_ASSIGN_OR_RETURN(auto found, FindServiceAndPort(ns, svc_name, port));
  const mk::ServicePort& svc_port = found.second;
  struct EpData {
    std::vector<mk::SlicePort> ports;
    std::vector<mk::SliceEndpoint> endpoints;
  };
  std::vector<EpData> owned;                                   // from Endpoints subsets
  std::vector<std::shared_ptr<const mk::EndpointSlice>> slices;  // the Service's slices, by name
  if (endpoint_slices_enabled_) {
    if (slice_index_ != nullptr) {
      auto it = slice_index_->find(std::make_pair(ns, svc_name));
      if (it != slice_index_->end()) {
        for (const auto& [name, slice] : it->second) slices.push_back(slice);
      }
    } else {
      for (auto& slice : k8s::List<mk::EndpointSlice>(kube_, ns)) {
        auto it = slice->metadata.labels.find(mk::kLabelServiceName);
        if (it != slice->metadata.labels.end() && it->second == svc_name) slices.push_back(std::move(slice));
      }
    }
  } else {
    auto eps = k8s::Get<mk::Endpoints>(kube_, ns, svc_name);
    if (!eps.ok()) {
      if (k8s::IsNotFound(eps.error())) {
        return MakeError(ErrorCode::kNotFound, "backend not found: " + eps.error().message, kErrBackendNotFound);
      }
      return eps.error();
    }
    for (const auto& subset : eps.value()->subsets) {
      EpData d;
      for (const auto& p : subset.ports) {
        mk::SlicePort sp;
        if (!p.name.empty()) sp.name = p.name;
        sp.port = p.port;
        sp.protocol = p.protocol;
        d.ports.push_back(sp);
      }
      auto add = [&](const std::vector<mk::EndpointAddress>& addrs, bool ready) {
        for (const auto& a : addrs) {
          mk::SliceEndpoint e;
          e.addresses = {a.ip};
          e.conditions.ready = ready;
          e.conditions.serving = ready;
          e.conditions.terminating = false;
          e.node_name = a.node_name;
          e.target_kind = a.target_kind;
          e.target_namespace = a.target_namespace;
          e.target_name = a.target_name;
          e.target_uid = a.target_uid;
          d.endpoints.push_back(e);
        }
      };
      add(subset.addresses, true);
      add(subset.not_ready_addresses, false);
      owned.push_back(std::move(d));
    }
  }
  // (ports, endpoints) of each slice / subset, in order.
  std::vector<std::pair<const std::vector<mk::SlicePort>*, const std::vector<mk::SliceEndpoint>*>> data;
  for (const auto& slice : slices) {
    if (!address_type.empty() && slice->address_type != address_type) continue;
    data.emplace_back(&slice->ports, &slice->endpoints);
  }
  for (const EpData& d : owned) data.emplace_back(&d.ports, &d.endpoints);
  std::vector<PodEndpoint> ready, unknown;
  for (const auto& [ports, endpoints] : data) {
    for (const mk::SlicePort& p : *ports) {
      if (!svc_port.name.empty() && svc_port.name != p.name.value_or("")) continue;
      int32_t ep_port = p.port.value_or(0);
      for (const mk::SliceEndpoint& ep : *endpoints) {
        if (ep.target_kind != "Pod" || ep.addresses.empty()) continue;
        std::string pod_ns = ep.target_namespace.empty() ? ns : ep.target_namespace;
        auto pod = k8s::Get<mk::Pod>(kube_, pod_ns, ep.target_name);
        if (!pod.ok()) continue;  // not in the pod cache yet
        PodEndpoint pe{ep.addresses[0], ep_port, pod.value()};
        if (!ep.conditions.ready.has_value() || *ep.conditions.ready) {
          ready.push_back(pe);
          continue;
        }
        const mk::PodCondition* cr = pod.value()->Condition("ContainersReady");
        if (cr == nullptr || cr->status != "True") continue;
        auto node = k8s::Get<mk::Node>(kube_, "", pod.value()->spec.node_name);
        if (!node.ok()) continue;
        std::string st = NodeReadyStatus(*node.value());
        if (st.empty()) st = "False";
        if (st == "True") {
          if (!ep.conditions.terminating.value_or(false)) ready.push_back(pe);
        } else if (st == "Unknown") {
          unknown.push_back(pe);
        }
      }
    }
  }
  if (fail_open_enabled_ && ready.empty()) return unknown;
  return ready;
}

}  // namespace sim::controller
