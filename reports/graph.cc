#include "reports/graph.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/graph_traits.hpp>
#include <nlohmann/json.hpp>

namespace sim::reports {
namespace {

using nlohmann::json;

// ------------------------------------------------------------------ Boost.Graph storage

struct VertexProps {
  GraphVertex v;
};
struct EdgeProps {
  std::string kind;
  std::string label;
  bool on_path = false;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, VertexProps, EdgeProps>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;
// The same vertices, undirected, for finding a path between two hops that no single edge joins.
using UGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

// Drawing order of kinds (also the DOT order).
int KindRank(const std::string& kind) {
  static const std::vector<std::string> kOrder = {
      "Client",        "IngressClass", "Ingress",       "TargetGroupBinding", "Service", "EndpointSlice",
      "Pod",           "Node",         "SecurityGroup", "LoadBalancer",       "Subnet",  "Listener",
      "Rule",          "TargetGroup",  "Target",        "Failure"};
  auto it = std::find(kOrder.begin(), kOrder.end(), kind);
  return static_cast<int>(it - kOrder.begin());
}

std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (it->is_boolean()) return it->get<bool>() ? "true" : "false";
  return "";
}

const json& Member(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

const json& At(const json& j, const std::string& key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

const json& Path(const json& j, std::initializer_list<const char*> keys) {
  const json* cur = &j;
  for (const char* k : keys) cur = &Member(*cur, k);
  return *cur;
}

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// A rule condition in one line: "path /api*", "host a.example.com".
std::string ConditionText(const json& c) {
  std::string field = Str(c, "Field");
  std::vector<std::string> vals;
  for (const char* cfg : {"HostHeaderConfig", "PathPatternConfig", "HttpRequestMethodConfig", "SourceIpConfig"}) {
    for (const auto& v : Member(Member(c, cfg), "Values")) {
      if (v.is_string()) vals.push_back(v.get<std::string>());
    }
    for (const auto& v : Member(Member(c, cfg), "RegexValues")) {
      if (v.is_string()) vals.push_back("~" + v.get<std::string>());
    }
  }
  if (c.contains("HttpHeaderConfig")) {
    field += " " + Str(c["HttpHeaderConfig"], "HttpHeaderName");
    for (const auto& v : Member(c["HttpHeaderConfig"], "Values")) {
      if (v.is_string()) vals.push_back(v.get<std::string>());
    }
  }
  for (const auto& v : Path(c, {"QueryStringConfig", "Values"})) {
    vals.push_back((v.contains("Key") ? Str(v, "Key") + "=" : "") + Str(v, "Value"));
  }
  if (vals.empty()) {
    for (const auto& v : Member(c, "Values")) {
      if (v.is_string()) vals.push_back(v.get<std::string>());
    }
  }
  if (field == "path-pattern") field = "path";
  if (field == "host-header") field = "host";
  return field + " " + Join(vals, ", ");
}

std::string ActionText(const json& a) {
  const std::string type = Str(a, "Type");
  if (type == "fixed-response") return "fixed-response " + Str(Member(a, "FixedResponseConfig"), "StatusCode");
  if (type == "redirect") return "redirect " + Str(Member(a, "RedirectConfig"), "StatusCode");
  return type;
}

// Target group ARNs an action list forwards to, with weights ("" when a single target group).
std::vector<std::pair<std::string, std::string>> ForwardTargets(const json& actions) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& a : actions) {
    if (Str(a, "Type") != "forward") continue;
    const json& tgs = Path(a, {"ForwardConfig", "TargetGroups"});
    if (tgs.is_array() && !tgs.empty()) {
      for (const auto& t : tgs) {
        std::string w = tgs.size() > 1 && t.contains("Weight") ? "weight " + Str(t, "Weight") : "";
        out.emplace_back(Str(t, "TargetGroupArn"), w);
      }
    } else if (a.contains("TargetGroupArn")) {
      out.emplace_back(Str(a, "TargetGroupArn"), "");
    }
  }
  return out;
}

// listener-rule/app/<lb>/<lb-id>/<listener-id>/<id> -> listener/app/<lb>/<lb-id>/<listener-id>
std::string ListenerArnOfRule(const std::string& rule_arn) {
  std::string l = rule_arn.substr(0, rule_arn.rfind('/'));
  auto pos = l.find(":listener-rule/");
  if (pos != std::string::npos) l.replace(pos, 15, ":listener/");
  return l;
}

class Builder {
 public:
  Status Build(const GraphInput& in, ResourceGraph* out) {
    aws_ = json::parse(in.aws_json.empty() ? "{}" : in.aws_json, nullptr, false);
    if (aws_.is_discarded() || !aws_.is_object()) {
      return MakeError(ErrorCode::kInvalidArgument, "graph: the AWS state is not a JSON object");
    }
    k8s_ = json::parse(in.kubernetes_json.empty() ? "{\"items\":[]}" : in.kubernetes_json, nullptr, false);
    if (k8s_.is_discarded() || !k8s_.is_object()) {
      return MakeError(ErrorCode::kInvalidArgument, "graph: the Kubernetes state is not a JSON object");
    }
    CollectKubernetes();
    CollectAws();
    if (in.trace) CollectTrace(*in.trace);
    Materialise();
    if (in.trace) HighlightPath();
    Export(in.title, out);
    return OkStatus();
  }

 private:
  // ---------------------------------------------------------------- collection (ordered)

  void AddVertex(const std::string& id, const std::string& kind, const std::string& label, bool aws,
                 const std::string& more = "") {
    if (pending_.count(id)) return;
    GraphVertex v;
    v.id = id;
    v.tooltip = more.empty() ? id : id + "\n" + more;
    v.kind = kind;
    v.label = label;
    v.aws = aws;
    pending_[id] = v;
  }

  void AddEdge(const std::string& from, const std::string& to, const std::string& kind, const std::string& label = "") {
    pending_edges_[{from, to, kind}] = label;
  }

  static std::string K8sId(const std::string& kind, const std::string& ns, const std::string& name) {
    return "k8s/" + kind + "/" + (ns.empty() ? "" : ns + "/") + name;
  }

  void CollectKubernetes() {
    std::map<std::string, const json*> services, slices, pods, nodes, ingresses, classes, tgbs;
    for (const auto& item : Member(k8s_, "items")) {
      const std::string kind = Str(item, "kind");
      const json& md = Member(item, "metadata");
      const std::string key = (Str(md, "namespace").empty() ? "" : Str(md, "namespace") + "/") + Str(md, "name");
      if (kind == "Service") services[key] = &item;
      if (kind == "EndpointSlice") slices[key] = &item;
      if (kind == "Pod") pods[key] = &item;
      if (kind == "Node") nodes[key] = &item;
      if (kind == "Ingress") ingresses[key] = &item;
      if (kind == "IngressClass") classes[key] = &item;
      if (kind == "TargetGroupBinding") tgbs[key] = &item;
    }
    std::set<std::string> wanted_services;
    for (const auto& [key, c] : classes) {
      AddVertex(K8sId("IngressClass", "", key), "IngressClass", "IngressClass\n" + key + "\n" + Str(Member(*c, "spec"), "controller"), false);
    }
    for (const auto& [key, ing] : ingresses) {
      const std::string ns = Str(Member(*ing, "metadata"), "namespace");
      const json& spec = Member(*ing, "spec");
      const json& ann = Path(*ing, {"metadata", "annotations"});
      std::string host;
      for (const auto& lb : Path(*ing, {"status", "loadBalancer", "ingress"})) {
        if (host.empty()) host = Str(lb, "hostname");
      }
      const std::string id = K8sId("Ingress", "", key);
      AddVertex(id, "Ingress", "Ingress\n" + key, false, host);
      std::string cls = Str(spec, "ingressClassName");
      if (cls.empty()) cls = Str(ann, "kubernetes.io/ingress.class");
      if (!cls.empty() && classes.count(cls)) AddEdge(K8sId("IngressClass", "", cls), id, "class");
      std::string group = Str(ann, "alb.ingress.kubernetes.io/group.name");
      stacks_[group.empty() ? key : group].push_back(id);
      auto backend = [&](const json& b, const std::string& label) {
        const std::string svc = Str(Member(b, "service"), "name");
        if (svc.empty()) return;
        const json& port = Path(b, {"service", "port"});
        std::string p = port.contains("name") ? Str(port, "name") : Str(port, "number");
        const std::string skey = ns + "/" + svc;
        wanted_services.insert(skey);
        std::string& l = backend_labels_[{id, K8sId("Service", "", skey)}];
        std::string item = label + (p.empty() ? "" : " → :" + p);
        if (l.find(item) == std::string::npos) l += (l.empty() ? "" : "\n") + item;
      };
      if (spec.contains("defaultBackend")) backend(spec["defaultBackend"], "default");
      for (const auto& rule : Member(spec, "rules")) {
        std::string h = Str(rule, "host");
        for (const auto& p : Path(rule, {"http", "paths"})) {
          backend(Member(p, "backend"), (h.empty() ? "" : h) + Str(p, "path"));
        }
      }
    }
    for (const auto& [key, tgb] : tgbs) {
      const std::string ns = Str(Member(*tgb, "metadata"), "namespace");
      const json& spec = Member(*tgb, "spec");
      const std::string id = K8sId("TargetGroupBinding", "", key);
      AddVertex(id, "TargetGroupBinding", "TargetGroupBinding\n" + key + "\n" + Str(spec, "targetType"), false);
      const std::string svc = Str(Member(spec, "serviceRef"), "name");
      if (!svc.empty()) {
        wanted_services.insert(ns + "/" + svc);
        AddEdge(id, K8sId("Service", "", ns + "/" + svc), "binds", ":" + Str(Member(spec, "serviceRef"), "port"));
      }
      const std::string tg = Str(spec, "targetGroupARN");
      if (!tg.empty()) tgb_edges_.emplace_back(id, tg);
    }
    for (const auto& [ids, label] : backend_labels_) AddEdge(ids.first, ids.second, "backend", label);

    std::set<std::string> wanted_pods;
    for (const auto& skey : wanted_services) {
      auto it = services.find(skey);
      const std::string id = K8sId("Service", "", skey);
      if (it == services.end()) {
        AddVertex(id, "Service", "Service\n" + skey + "\n(missing)", false);
        continue;
      }
      const json& spec = Member(*it->second, "spec");
      std::vector<std::string> ports;
      for (const auto& p : Member(spec, "ports")) {
        std::string s = Str(p, "port");
        if (p.contains("nodePort")) s += ":" + Str(p, "nodePort");
        ports.push_back(s);
      }
      AddVertex(id, "Service", "Service\n" + skey + "\n" + Str(spec, "type") + " " + Join(ports, ", "), false);
      for (const auto& [slkey, sl] : slices) {
        const std::string ns = Str(Member(*sl, "metadata"), "namespace");
        if (ns + "/" + Str(Path(*sl, {"metadata", "labels"}), "kubernetes.io/service-name") != skey) continue;
        const std::string slid = K8sId("EndpointSlice", "", slkey);
        size_t n = Member(*sl, "endpoints").size();
        AddVertex(slid, "EndpointSlice", "EndpointSlice\n" + slkey + "\n" + std::to_string(n) + " endpoint(s)", false);
        AddEdge(id, slid, "endpoints");
        for (const auto& ep : Member(*sl, "endpoints")) {
          const json& ref = Member(ep, "targetRef");
          if (Str(ref, "kind") != "Pod") continue;
          std::string pkey = (Str(ref, "namespace").empty() ? ns : Str(ref, "namespace")) + "/" + Str(ref, "name");
          bool ready = Str(Member(ep, "conditions"), "ready") != "false";
          wanted_pods.insert(pkey);
          AddEdge(slid, K8sId("Pod", "", pkey), "endpoints", ready ? "" : "not ready");
        }
      }
    }
    for (const auto& [key, node] : nodes) {
      std::string provider = Str(Member(*node, "spec"), "providerID");
      std::string instance = provider.substr(provider.rfind('/') + 1);
      std::string ip;
      for (const auto& a : Path(*node, {"status", "addresses"})) {
        if (Str(a, "type") == "InternalIP" && ip.empty()) ip = Str(a, "address");
      }
      const std::string id = K8sId("Node", "", key);
      // "ip-10-0-64-10.us-west-2.compute.internal" -> "ip-10-0-64-10" (the full name in the tooltip).
      AddVertex(id, "Node", "Node " + key.substr(0, key.find('.')) + (instance.empty() ? "" : "\n" + instance) + (ip.empty() ? "" : "\n" + ip),
                false, key);
      if (!instance.empty()) node_by_instance_[instance] = id;
    }
    for (const auto& pkey : wanted_pods) {
      auto it = pods.find(pkey);
      const std::string id = K8sId("Pod", "", pkey);
      if (it == pods.end()) {
        AddVertex(id, "Pod", "Pod\n" + pkey + "\n(missing)", false);
        continue;
      }
      const std::string ip = Str(Member(*it->second, "status"), "podIP");
      AddVertex(id, "Pod", "Pod\n" + pkey + (ip.empty() ? "" : "\n" + ip), false);
      if (!ip.empty()) pod_by_ip_[ip] = id;
      const std::string node = Str(Member(*it->second, "spec"), "nodeName");
      if (!node.empty() && nodes.count(node)) AddEdge(K8sId("Node", "", node), id, "hosts");
    }
  }

  std::map<std::string, std::string> TagsOf(const std::string& arn) {
    std::map<std::string, std::string> tags;
    for (const auto& t : At(Member(aws_, "Tags"), arn)) tags[Str(t, "Key")] = Str(t, "Value");
    return tags;
  }

  void StackEdge(const std::map<std::string, std::string>& tags, const std::string& to) {
    auto it = tags.find("ingress.k8s.aws/stack");
    if (it == tags.end()) return;
    auto s = stacks_.find(it->second);
    if (s == stacks_.end()) return;
    for (const auto& ing : s->second) AddEdge(ing, to, "stack");
  }

  void CollectAws() {
    std::map<std::string, const json*> sgs;
    for (const auto& sg : Member(aws_, "SecurityGroups")) sgs[Str(sg, "GroupId")] = &sg;
    std::set<std::string> wanted_sgs;

    for (const auto& lb : Member(aws_, "LoadBalancers")) {
      const std::string arn = Str(lb, "LoadBalancerArn");
      const std::string id = "aws/lb/" + arn;
      lb_by_name_[Str(lb, "LoadBalancerName")] = id;
      AddVertex(id, "LoadBalancer",
                "ALB " + Str(lb, "LoadBalancerName") + "\n" + Str(lb, "Scheme") + ", " + Str(Member(lb, "State"), "Code"),
                true, Str(lb, "DNSName"));
      StackEdge(TagsOf(arn), id);
      for (const auto& sg : Member(lb, "SecurityGroups")) {
        if (!sg.is_string()) continue;
        wanted_sgs.insert(sg.get<std::string>());
        AddEdge(id, "aws/sg/" + sg.get<std::string>(), "security-group");
      }
      for (const auto& az : Member(lb, "AvailabilityZones")) {
        const std::string subnet = Str(az, "SubnetId");
        if (subnet.empty()) continue;
        AddVertex("aws/subnet/" + subnet, "Subnet", "subnet " + subnet + "\n" + Str(az, "ZoneName"), true);
        AddEdge(id, "aws/subnet/" + subnet, "subnet");
      }
    }
    // Security groups: the load balancers' groups, groups the controller tagged, and groups whose
    // inbound rules admit one of those (the node groups that let the backend group in).
    for (const auto& [gid, sg] : sgs) {
      const json& tags = Member(*sg, "Tags");
      for (const auto& t : tags) {
        if (Str(t, "Key") == "elbv2.k8s.aws/cluster" || Str(t, "Key") == "ingress.k8s.aws/stack") wanted_sgs.insert(gid);
      }
    }
    std::set<std::string> admitted = wanted_sgs;
    for (const auto& [gid, sg] : sgs) {
      for (const auto& perm : Member(*sg, "IpPermissions")) {
        for (const auto& pair : Member(perm, "UserIdGroupPairs")) {
          const std::string src = Str(pair, "GroupId");
          if (!admitted.count(src)) continue;
          wanted_sgs.insert(gid);
          std::string ports = Str(perm, "IpProtocol") == "-1" ? "all traffic"
                              : Str(perm, "FromPort") == Str(perm, "ToPort")
                                  ? "tcp " + Str(perm, "FromPort")
                                  : "tcp " + Str(perm, "FromPort") + "-" + Str(perm, "ToPort");
          AddEdge("aws/sg/" + src, "aws/sg/" + gid, "security-group", "admitted: " + ports);
        }
      }
    }
    for (const auto& gid : wanted_sgs) {
      auto it = sgs.find(gid);
      std::string name = it == sgs.end() ? "(missing)" : Str(*it->second, "GroupName");
      std::vector<std::string> inbound;
      if (it != sgs.end()) {
        for (const auto& perm : Member(*it->second, "IpPermissions")) {
          for (const auto& r : Member(perm, "IpRanges")) {
            inbound.push_back(Str(perm, "FromPort") + " from " + Str(r, "CidrIp"));
          }
        }
      }
      AddVertex("aws/sg/" + gid, "SecurityGroup",
                "security group " + gid + "\n" + name + (inbound.empty() ? "" : "\nin: tcp " + Join(inbound, ", ")), true);
      if (it != sgs.end()) {
        std::map<std::string, std::string> tags;
        for (const auto& t : Member(*it->second, "Tags")) tags[Str(t, "Key")] = Str(t, "Value");
        StackEdge(tags, "aws/sg/" + gid);
      }
    }
    std::set<std::string> listeners_with_default_rule;
    for (const auto& r : Member(aws_, "Rules")) {
      if (Member(r, "IsDefault").is_boolean() && r["IsDefault"].get<bool>()) {
        listeners_with_default_rule.insert(ListenerArnOfRule(Str(r, "RuleArn")));
      }
    }
    std::set<std::string> forwarded;  // target group ARNs some rule forwards to
    for (const auto& l : Member(aws_, "Listeners")) {
      const std::string arn = Str(l, "ListenerArn");
      const std::string id = "aws/listener/" + arn;
      listener_key_[Str(l, "LoadBalancerArn") + "|" + Str(l, "Protocol") + ":" + Str(l, "Port")] = id;
      std::string certs;
      if (Member(l, "Certificates").is_array() && !l["Certificates"].empty()) {
        certs = "\n" + std::to_string(l["Certificates"].size()) + " certificate(s)";
      }
      AddVertex(id, "Listener", "listener " + Str(l, "Protocol") + ":" + Str(l, "Port") + certs, true);
      AddEdge("aws/lb/" + Str(l, "LoadBalancerArn"), id, "listener");
      if (!listeners_with_default_rule.count(arn)) {
        const std::string rid = "aws/rule/" + arn + "/default";
        AddVertex(rid, "Rule", "default action\n" + ActionsLabel(Member(l, "DefaultActions")), true);
        AddEdge(id, rid, "rule");
        rule_key_[id + "|default"] = rid;
        for (const auto& [tg, w] : ForwardTargets(Member(l, "DefaultActions"))) {
          forwarded.insert(tg);
          AddEdge(rid, "aws/tg/" + tg, "forward", w);
        }
      }
    }
    for (const auto& r : Member(aws_, "Rules")) {
      const std::string arn = Str(r, "RuleArn");
      const std::string lid = "aws/listener/" + ListenerArnOfRule(arn);
      const std::string id = "aws/rule/" + arn;
      const bool is_default = Member(r, "IsDefault").is_boolean() && r["IsDefault"].get<bool>();
      std::vector<std::string> conds;
      for (const auto& c : Member(r, "Conditions")) conds.push_back(ConditionText(c));
      std::string label = is_default ? "default rule" : "rule " + Str(r, "Priority");
      if (!conds.empty()) label += "\n" + Join(conds, "\n");
      label += "\n" + ActionsLabel(Member(r, "Actions"));
      AddVertex(id, "Rule", label, true);
      AddEdge(lid, id, "rule");
      rule_key_[lid + "|" + (is_default ? std::string("default") : Str(r, "Priority"))] = id;
      for (const auto& [tg, w] : ForwardTargets(Member(r, "Actions"))) {
        forwarded.insert(tg);
        AddEdge(id, "aws/tg/" + tg, "forward", w);
      }
    }
    for (const auto& tg : Member(aws_, "TargetGroups")) {
      const std::string arn = Str(tg, "TargetGroupArn");
      const std::string id = "aws/tg/" + arn;
      tg_by_name_[Str(tg, "TargetGroupName")] = id;
      AddVertex(id, "TargetGroup",
                "target group " + Str(tg, "TargetGroupName") + "\n" + Str(tg, "TargetType") + " " + Str(tg, "Protocol") +
                    ":" + Str(tg, "Port"),
                true);
      if (!forwarded.count(arn)) StackEdge(TagsOf(arn), id);
      for (const auto& th : At(Member(aws_, "TargetHealth"), arn)) {
        const json& t = Member(th, "Target");
        const std::string tid = Str(t, "Id") + ":" + Str(t, "Port");
        const std::string vid = "aws/target/" + arn + "/" + tid;
        const json& health = Member(th, "TargetHealth");
        AddVertex(vid, "Target", "target " + tid + "\n" + Str(health, "State"), true);
        target_key_[id + "|" + tid] = vid;
        AddEdge(id, vid, "target");
        const std::string target_id = Str(t, "Id");
        auto node = node_by_instance_.find(target_id);
        if (node != node_by_instance_.end()) AddEdge(vid, node->second, "target", "NodePort " + Str(t, "Port"));
        auto pod = pod_by_ip_.find(target_id);
        if (pod != pod_by_ip_.end()) AddEdge(vid, pod->second, "target", "pod IP");
      }
    }
    for (const auto& [tgb, tg] : tgb_edges_) {
      if (pending_.count("aws/tg/" + tg)) AddEdge(tgb, "aws/tg/" + tg, "binds");
    }
  }

  static std::string ActionsLabel(const json& actions) {
    std::vector<std::string> parts;
    for (const auto& a : actions) parts.push_back(ActionText(a));
    return "→ " + Join(parts, "; ");
  }

  // ---------------------------------------------------------------- the traced request

  void CollectTrace(const traffic::Trace& t) {
    std::string target = t.request.path + (t.request.query.empty() ? "" : "?" + t.request.query);
    const bool default_port = t.request.port == 0 || (t.request.scheme == "https" ? t.request.port == 443 : t.request.port == 80);
    if (!default_port) target = "port " + std::to_string(t.request.port) + " " + target;
    AddVertex("client", "Client", "client " + t.request.source_ip + "\n" + t.request.method + " " + target, false,
              t.request.url);
    path_.push_back({"client", true, ""});
    std::string lb, listener, tg;
    for (const auto& h : t.hops) {
      std::string id;
      if (h.kind == "load-balancer") {
        auto it = lb_by_name_.find(h.name);
        if (it != lb_by_name_.end()) id = lb = it->second;
      } else if (h.kind == "security-group") {
        // "sg-1 allows tcp 80 from 0.0.0.0/0" names the group that let the client in.
        std::string sg = h.detail.substr(0, h.detail.find(' '));
        if (sg.rfind("sg-", 0) != 0) sg = h.name.substr(0, h.name.find(','));
        if (pending_.count("aws/sg/" + sg)) id = "aws/sg/" + sg;
        if (!id.empty()) {
          path_.push_back({id, h.ok, h.detail, /*side=*/true});
          continue;
        }
      } else if (h.kind == "listener") {
        auto it = listener_key_.find(lb.substr(7) + "|" + h.name);
        if (it != listener_key_.end()) id = listener = it->second;
      } else if (h.kind == "rule") {
        std::string p = h.name.rfind("priority ", 0) == 0 ? h.name.substr(9) : "default";
        auto it = rule_key_.find(listener + "|" + p);
        if (it != rule_key_.end()) id = it->second;
      } else if (h.kind == "target-group") {
        auto it = tg_by_name_.find(h.name);
        if (it != tg_by_name_.end()) id = tg = it->second;
        if (id.empty() && pending_.count("aws/tg/" + h.name)) id = "aws/tg/" + h.name;
      } else if (h.kind == "target") {
        auto it = target_key_.find(tg + "|" + h.name);
        if (it != target_key_.end()) id = it->second;
      } else if (h.kind == "node-port") {
        const std::string node = "k8s/Node/" + h.name.substr(0, h.name.rfind(':'));
        if (pending_.count(node)) id = node;
      } else if (h.kind == "pod") {
        if (pending_.count("k8s/Pod/" + h.name)) id = "k8s/Pod/" + h.name;
        for (const auto& [k, v] : pending_) {
          if (id.empty() && v.kind == "Pod" && k.size() > h.name.size() + 1 &&
              k.compare(k.size() - h.name.size() - 1, std::string::npos, "/" + h.name) == 0) {
            id = k;
          }
        }
      } else {
        if (h.ok) continue;  // client, dns, action: no vertex of their own
      }
      if (id.empty() && !h.ok) {
        id = "failure";
        AddVertex(id, "Failure", "✗ " + h.kind + (h.name.empty() ? "" : " " + h.name) + "\n" + h.detail, true);
      }
      if (id.empty()) continue;
      path_.push_back({id, h.ok, h.detail});
    }
  }

  struct PathStep {
    std::string id;
    bool ok = true;
    std::string detail;
    bool side = false;  // drawn, but the request goes on from the previous vertex
  };

  // ---------------------------------------------------------------- Boost graph

  void Materialise() {
    std::vector<GraphVertex> ordered;
    for (const auto& [id, v] : pending_) ordered.push_back(v);
    std::stable_sort(ordered.begin(), ordered.end(), [](const GraphVertex& a, const GraphVertex& b) {
      return std::make_tuple(KindRank(a.kind), a.id) < std::make_tuple(KindRank(b.kind), b.id);
    });
    for (auto& v : ordered) {
      Vertex d = boost::add_vertex(VertexProps{v}, g_);
      index_[v.id] = d;
    }
    std::vector<std::tuple<Vertex, Vertex, std::string, std::string>> edges;
    for (const auto& [key, label] : pending_edges_) {
      const auto& [from, to, kind] = key;
      auto f = index_.find(from), t = index_.find(to);
      if (f == index_.end() || t == index_.end()) continue;  // an end we did not draw
      edges.emplace_back(f->second, t->second, kind, label);
    }
    std::sort(edges.begin(), edges.end());
    for (const auto& [f, t, kind, label] : edges) boost::add_edge(f, t, EdgeProps{kind, label, false}, g_);
  }

  // Marks the edge u->v or v->u; false when there is none.
  bool MarkDirect(Vertex u, Vertex v) {
    auto e = boost::edge(u, v, g_);
    if (e.second) {
      g_[e.first].on_path = true;
      return true;
    }
    e = boost::edge(v, u, g_);
    if (e.second) {
      g_[e.first].on_path = true;
      return true;
    }
    return false;
  }

  // Shortest undirected path u..v (Boost BFS) of at most `max_edges` edges; marks its edges. False
  // when there is none that short (a longer detour would draw a path the request did not take).
  bool MarkShortestPath(Vertex u, Vertex v, size_t max_edges) {
    UGraph ug(boost::num_vertices(g_));
    for (auto [it, end] = boost::edges(g_); it != end; ++it) {
      boost::add_edge(boost::source(*it, g_), boost::target(*it, g_), ug);
    }
    std::vector<Vertex> pred(boost::num_vertices(ug));
    for (size_t i = 0; i < pred.size(); ++i) pred[i] = i;
    boost::breadth_first_search(
        ug, u, boost::visitor(boost::make_bfs_visitor(boost::record_predecessors(pred.data(), boost::on_tree_edge()))));
    if (pred[v] == v && u != v) return false;
    size_t length = 0;
    for (Vertex x = v; x != u; x = pred[x]) ++length;
    if (length > max_edges) return false;
    for (Vertex x = v; x != u; x = pred[x]) MarkDirect(pred[x], x);
    return true;
  }

  void HighlightPath() {
    const PathStep* prev = nullptr;
    for (const auto& step : path_) {
      auto it = index_.find(step.id);
      if (it == index_.end()) continue;
      Vertex v = it->second;
      g_[v].v.on_path = true;
      if (!step.ok) g_[v].v.failed_at = true;
      if (step.side) {
        if (prev) MarkDirect(index_[prev->id], v);
        continue;  // the request goes on from the load balancer
      }
      if (prev) {
        Vertex u = index_[prev->id];
        if (!MarkDirect(u, v)) {
          // kube-proxy may send a node port's traffic to a pod on another node: its own edge.
          const bool proxied = g_[u].v.kind == "Node" && g_[v].v.kind == "Pod";
          if (step.id == "failure" || prev->id == "client" || proxied || !MarkShortestPath(u, v, 2)) {
            std::string label = prev->id == "client" ? "request" : proxied ? "kube-proxy" : "";
            boost::add_edge(u, v, EdgeProps{"request", label, true}, g_);
          }
        }
      }
      prev = &step;
    }
    for (const auto& step : path_) path_ids_.push_back(step.id);
  }

  void Export(const std::string& title, ResourceGraph* out) {
    out->title = title;
    for (auto [it, end] = boost::vertices(g_); it != end; ++it) out->vertices.push_back(g_[*it].v);
    std::vector<GraphEdge> edges;
    for (auto [it, end] = boost::edges(g_); it != end; ++it) {
      GraphEdge e;
      e.from = boost::source(*it, g_);
      e.to = boost::target(*it, g_);
      e.kind = g_[*it].kind;
      e.label = g_[*it].label;
      e.on_path = g_[*it].on_path;
      edges.push_back(e);
    }
    std::stable_sort(edges.begin(), edges.end(), [](const GraphEdge& a, const GraphEdge& b) {
      return std::tie(a.from, a.to, a.kind) < std::tie(b.from, b.to, b.kind);
    });
    out->edges = std::move(edges);
    out->path = path_ids_;
  }

  json aws_, k8s_;
  std::map<std::string, GraphVertex> pending_;
  std::map<std::tuple<std::string, std::string, std::string>, std::string> pending_edges_;
  std::map<std::pair<std::string, std::string>, std::string> backend_labels_;
  std::map<std::string, std::vector<std::string>> stacks_;  // stack tag value -> Ingress vertex ids
  std::vector<std::pair<std::string, std::string>> tgb_edges_;
  std::map<std::string, std::string> node_by_instance_, pod_by_ip_, lb_by_name_, tg_by_name_;
  std::map<std::string, std::string> listener_key_, rule_key_, target_key_;
  std::vector<PathStep> path_;
  std::vector<std::string> path_ids_;
  Graph g_;
  std::map<std::string, Vertex> index_;
};

std::string DotEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

struct Style {
  const char* fill;
  const char* border;
};

Style StyleOf(const GraphVertex& v) {
  if (v.kind == "Client") return {"#f2f2f2", "#555555"};
  if (v.kind == "Failure") return {"#fde0e0", "#c62828"};
  if (!v.aws) return {"#e8effc", "#326ce5"};
  if (v.kind == "SecurityGroup" || v.kind == "Subnet") return {"#f3f0f8", "#7a5ea8"};
  return {"#fff4e0", "#d47f00"};
}

const char* EdgeStyle(const std::string& kind) {
  if (kind == "stack") return "style=dashed, color=\"#9e9e9e\"";
  if (kind == "binds") return "style=dotted, color=\"#326ce5\"";
  if (kind == "class") return "style=dashed, color=\"#326ce5\"";
  if (kind == "security-group" || kind == "subnet") return "color=\"#7a5ea8\"";
  if (kind == "forward" || kind == "target") return "color=\"#d47f00\"";
  return "color=\"#666666\"";
}

}  // namespace

Result<ResourceGraph> BuildResourceGraph(const GraphInput& input) {
  Builder b;
  ResourceGraph g;
  SIM_RETURN_IF_ERROR(b.Build(input, &g));
  return g;
}

std::string RenderDot(const ResourceGraph& g) {
  std::ostringstream out;
  out << "digraph albtwin {\n";
  out << "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.2, ranksep=0.5, newrank=true";
  if (!g.title.empty()) out << ", label=\"" << DotEscape(g.title) << "\", labelloc=t";
  out << "];\n";
  out << "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, penwidth=1];\n";
  out << "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n";
  auto vertex = [&](size_t i, const char* indent) {
    const GraphVertex& v = g.vertices[i];
    Style s = StyleOf(v);
    out << indent << "n" << i << " [label=\"" << DotEscape(v.label) << "\", tooltip=\"" << DotEscape(v.tooltip)
        << "\", fillcolor=\"" << (v.failed_at ? "#fde0e0" : s.fill) << "\", color=\""
        << (v.failed_at ? "#c62828" : v.on_path ? "#d62728" : s.border) << "\"";
    if (v.on_path) out << ", penwidth=3";
    if (v.kind == "Client") out << ", shape=oval";
    out << ", class=\"" << v.kind << (v.on_path ? " on-path" : "") << "\"];\n";
  };
  for (size_t i = 0; i < g.vertices.size(); ++i) {
    if (g.vertices[i].kind == "Client") vertex(i, "  ");
  }
  bool any_k8s = false, any_aws = false;
  for (const auto& v : g.vertices) {
    if (v.kind == "Client" || v.kind == "Failure") continue;
    (v.aws ? any_aws : any_k8s) = true;
  }
  if (any_k8s) {
    out << "  subgraph cluster_kubernetes {\n    label=\"Kubernetes\"; style=\"rounded,dashed\"; color=\"#326ce5\"; "
           "fontcolor=\"#326ce5\";\n";
    for (size_t i = 0; i < g.vertices.size(); ++i) {
      const auto& v = g.vertices[i];
      if (!v.aws && v.kind != "Client") vertex(i, "    ");
    }
    out << "  }\n";
  }
  if (any_aws) {
    out << "  subgraph cluster_aws {\n    label=\"AWS\"; style=\"rounded,dashed\"; color=\"#d47f00\"; "
           "fontcolor=\"#d47f00\";\n";
    for (size_t i = 0; i < g.vertices.size(); ++i) {
      const auto& v = g.vertices[i];
      if (v.aws && v.kind != "Failure") vertex(i, "    ");
    }
    out << "  }\n";
  }
  for (size_t i = 0; i < g.vertices.size(); ++i) {
    if (g.vertices[i].kind == "Failure") vertex(i, "  ");
  }
  for (const auto& e : g.edges) {
    out << "  n" << e.from << " -> n" << e.to << " [";
    if (e.on_path) {
      out << "color=\"#d62728\", penwidth=3";
    } else {
      out << EdgeStyle(e.kind);
    }
    if (!e.label.empty()) out << ", label=\"" << DotEscape(e.label) << "\"";
    out << ", class=\"" << e.kind << (e.on_path ? " on-path" : "") << "\"];\n";
  }
  out << "}\n";
  return out.str();
}

Result<std::string> RenderSvg(const std::string& dot_text) {
  // dot reads the graph on stdin and writes SVG on stdout; stderr goes to a temporary file.
  int in_pipe[2], out_pipe[2];
  if (pipe(in_pipe) != 0) return MakeError(ErrorCode::kInternal, std::string("pipe: ") + strerror(errno));
  if (pipe(out_pipe) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return MakeError(ErrorCode::kInternal, std::string("pipe: ") + strerror(errno));
  }
  char err_path[] = "/tmp/albtwin-dot-XXXXXX";
  int err_fd = mkstemp(err_path);
  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) close(fd);
    if (err_fd >= 0) {
      close(err_fd);
      unlink(err_path);
    }
    return MakeError(ErrorCode::kInternal, std::string("fork: ") + strerror(errno));
  }
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    if (err_fd >= 0) dup2(err_fd, 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) close(fd);
    execlp("dot", "dot", "-Tsvg", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  // A `dot` that exits early (bad input) must not kill us with SIGPIPE: the write fails instead.
  struct sigaction ignore {}, saved {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &saved);
  // The graph is small next to the pipe buffer, but write and read in turns to never deadlock.
  std::string svg;
  size_t written = 0;
  bool in_open = true;
  char buf[8192];
  while (true) {
    fd_set rfds, wfds;
    FD_ZERO(&rfds);
    FD_ZERO(&wfds);
    FD_SET(out_pipe[0], &rfds);
    if (in_open) FD_SET(in_pipe[1], &wfds);
    int maxfd = std::max(out_pipe[0], in_open ? in_pipe[1] : 0) + 1;
    if (select(maxfd, &rfds, in_open ? &wfds : nullptr, nullptr, nullptr) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (in_open && FD_ISSET(in_pipe[1], &wfds)) {
      ssize_t n = write(in_pipe[1], dot_text.data() + written, std::min<size_t>(dot_text.size() - written, 4096));
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 || written == dot_text.size()) {
        close(in_pipe[1]);
        in_open = false;
      }
    }
    if (FD_ISSET(out_pipe[0], &rfds)) {
      ssize_t n = read(out_pipe[0], buf, sizeof buf);
      if (n <= 0) break;
      svg.append(buf, static_cast<size_t>(n));
    }
  }
  if (in_open) close(in_pipe[1]);
  close(out_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  sigaction(SIGPIPE, &saved, nullptr);
  std::string err;
  if (err_fd >= 0) {
    lseek(err_fd, 0, SEEK_SET);
    ssize_t n;
    while ((n = read(err_fd, buf, sizeof buf)) > 0) err.append(buf, static_cast<size_t>(n));
    close(err_fd);
    unlink(err_path);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    return MakeError(ErrorCode::kUnavailable,
                     "Graphviz `dot` could not be run (install the Debian package graphviz: tools/setup)");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || svg.find("<svg") == std::string::npos) {
    return MakeError(ErrorCode::kInternal, "dot -Tsvg failed: " + err);
  }
  // Drop "<!-- Generated by graphviz version ... -->" so the text does not depend on the version.
  auto c = svg.find("<!-- Generated by graphviz");
  if (c != std::string::npos) {
    auto end = svg.find("-->", c);
    if (end != std::string::npos) svg.erase(c, end + 3 - c + (svg.compare(end + 3, 1, "\n") == 0 ? 1 : 0));
  }
  return svg;
}

std::string InlineSvg(const std::string& svg) {
  auto pos = svg.find("<svg");
  if (pos == std::string::npos) return svg;
  std::string out = svg.substr(pos);
  // Graphviz sizes the picture in points (1pt = 1.33px); one unit a pixel keeps a page-wide graph
  // smaller while its 10pt labels stay readable.
  auto tag_end = out.find('>');
  for (const char* attr : {" width=\"", " height=\""}) {
    auto a = out.find(attr);
    if (a == std::string::npos || a > tag_end) continue;
    auto q = out.find('"', a + strlen(attr));
    if (q != std::string::npos && q >= 2 && out.compare(q - 2, 2, "pt") == 0) out.replace(q - 2, 2, "px");
  }
  return out;
}

Result<GraphInput> GraphInputAt(const scenario::RunRecord& record, int step_index) {
  GraphInput in;
  if (step_index < 0) {
    in.aws_json = record.aws_json;
    in.kubernetes_json = record.kubernetes_json;
    in.title = record.scenario + ": the end of the run (t=" + FormatSeconds(record.end_time) + ")";
    return in;
  }
  if (static_cast<size_t>(step_index) >= record.steps.size()) {
    return MakeError(ErrorCode::kNotFound, "step " + std::to_string(step_index + 1) + " does not exist: the scenario has " +
                                               std::to_string(record.steps.size()) + " step(s)");
  }
  const auto& s = record.steps[static_cast<size_t>(step_index)];
  if (s.aws_json.empty()) {
    return MakeError(ErrorCode::kFailedPrecondition, "the run record has no snapshot for step " + std::to_string(step_index + 1));
  }
  in.aws_json = s.aws_json;
  in.kubernetes_json = s.kubernetes_json;
  in.title = record.scenario + ": after step [" + std::to_string(step_index + 1) + "] " + s.kind + " (t=" +
             FormatSeconds(s.finished) + ")";
  return in;
}

Result<GraphInput> GraphInputFromJsonReport(const std::string& text) {
  auto doc = json::parse(text, nullptr, false);
  if (doc.is_array() && doc.size() == 1) doc = doc[0];
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("aws")) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not an albtwin JSON report (expected one object with \"aws\", from `albtwin run --output json`)");
  }
  GraphInput in;
  in.aws_json = doc["aws"].dump();
  if (doc.contains("kubernetes")) in.kubernetes_json = doc["kubernetes"].dump();
  in.title = Str(doc, "scenario") + ": the end of the run";
  return in;
}

}  // namespace sim::reports
