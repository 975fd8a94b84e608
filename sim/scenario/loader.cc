#include "sim/scenario/loader.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "sim/aws/aws_dispatch.h"
#include "sim/base/match.h"
#include "sim/aws/quotas.h"
#include "sim/k8s/codec.h"

namespace sim::scenario {

std::string SourceLoc::ToString() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

const char* StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kApply: return "apply";
    case StepKind::kDelete: return "delete";
    case StepKind::kSettle: return "settle";
    case StepKind::kAdvance: return "advance";
    case StepKind::kRestart: return "restart";
    case StepKind::kUninstall: return "uninstall";
    case StepKind::kCrash: return "crash";
    case StepKind::kAws: return "aws";
    case StepKind::kFault: return "fault";
    case StepKind::kRequest: return "request";
    case StepKind::kExpect: return "expect";
  }
  return "?";
}

std::string NearestKey(const std::string& key, const std::vector<std::string>& known) {
  const std::string a = AsciiLower(key);
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& k : known) {
    const std::string b = AsciiLower(k);
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      }
      std::swap(prev, cur);
    }
    if (prev[b.size()] < best_d) {
      best_d = prev[b.size()];
      best = k;
    }
  }
  size_t limit = std::max<size_t>(2, key.size() / 3);
  return best_d <= limit ? best : "";
}

namespace {

namespace fs = std::filesystem;
using Keys = std::vector<std::string>;

// Parsing context: file name, the text (for block-scalar detection), and collected errors.
class Ctx {
 public:
  Ctx(std::string file, const std::string& text, std::vector<std::string>* errors)
      : file_(std::move(file)), errors_(errors) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines_.push_back(line);
  }

  const std::string& file() const { return file_; }

  SourceLoc Loc(const YAML::Node& n) const {
    YAML::Mark m = n.Mark();
    if (m.line < 0) return SourceLoc{file_, 0, 0};
    return SourceLoc{file_, m.line + 1, m.column + 1};
  }

  void Err(const SourceLoc& loc, const std::string& msg) { errors_->push_back(loc.ToString() + ": " + msg); }
  void Err(const YAML::Node& n, const std::string& msg) { Err(Loc(n), msg); }
  bool failed() const { return !errors_->empty(); }
  void Raw(const std::string& located_message) { errors_->push_back(located_message); }

  // True if `n` is a scalar in block style (| or >): its content starts on the next line.
  bool IsBlockScalar(const YAML::Node& n) const {
    YAML::Mark m = n.Mark();
    if (m.line < 0 || static_cast<size_t>(m.line) >= lines_.size()) return false;
    const std::string& l = lines_[m.line];
    return static_cast<size_t>(m.column) < l.size() && (l[m.column] == '|' || l[m.column] == '>');
  }

  bool IsMapOrNull(const YAML::Node& n, const std::string& what) {
    if (n.IsMap() || n.IsNull()) return true;
    Err(n, what + " must be a mapping");
    return false;
  }

  // Reports keys of `map` not in `known`, suggesting the nearest one.
  void CheckKeys(const YAML::Node& map, const Keys& known, const std::string& where) {
    if (!map.IsMap()) return;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string msg = "unknown key \"" + key + "\" in " + where;
      std::string near = NearestKey(key, known);
      if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
      else {
        msg += " (known keys:";
        for (const auto& k : known) msg += " " + k;
        msg += ")";
      }
      Err(it->first, msg);
    }
  }

  bool Scalar(const YAML::Node& n, const std::string& what, std::string* out) {
    if (!n.IsScalar()) {
      Err(n, what + " must be a string");
      return false;
    }
    *out = n.Scalar();
    return true;
  }

  bool Int(const YAML::Node& n, const std::string& what, int64_t* out, int64_t min = INT64_MIN) {
    std::string s;
    if (!n.IsScalar()) {
      Err(n, what + " must be an integer");
      return false;
    }
    s = n.Scalar();
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) {
      Err(n, what + " must be an integer, got \"" + s + "\"");
      return false;
    }
    if (v < min) {
      Err(n, what + " must be at least " + std::to_string(min) + ", got " + s);
      return false;
    }
    *out = v;
    return true;
  }

  bool Bool(const YAML::Node& n, const std::string& what, bool* out) {
    if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false")) {
      *out = n.Scalar() == "true";
      return true;
    }
    Err(n, what + " must be true or false");
    return false;
  }

  bool Duration(const YAML::Node& n, const std::string& what, SimTime* out) {
    std::string s;
    if (!Scalar(n, what, &s)) return false;
    if (!ParseDuration(s, out)) {
      Err(n, what + " must be a duration like 10m, 30s, 10h or 1h30m, got \"" + s + "\"");
      return false;
    }
    return true;
  }

  bool StringMap(const YAML::Node& n, const std::string& what, std::map<std::string, std::string>* out) {
    if (n.IsNull()) return true;
    if (!n.IsMap()) {
      Err(n, what + " must be a mapping of strings");
      return false;
    }
    bool ok = true;
    for (auto it = n.begin(); it != n.end(); ++it) {
      std::string v;
      if (it->second.IsNull()) v = "";
      else if (!Scalar(it->second, what + "." + it->first.Scalar(), &v)) {
        ok = false;
        continue;
      }
      (*out)[it->first.Scalar()] = v;
    }
    return ok;
  }

  bool StringList(const YAML::Node& n, const std::string& what, std::vector<std::string>* out) {
    if (n.IsNull()) return true;
    if (!n.IsSequence()) {
      Err(n, what + " must be a list of strings");
      return false;
    }
    bool ok = true;
    for (const auto& item : n) {
      std::string v;
      if (Scalar(item, what + " item", &v)) out->push_back(v);
      else ok = false;
    }
    return ok;
  }

 private:
  std::string file_;
  std::vector<std::string>* errors_;
  std::vector<std::string> lines_;
};

bool CidrWithin(const std::string& inner, const std::string& outer) {
  uint32_t ib, ob;
  int ibits, obits;
  if (!ParseCidr(inner, &ib, &ibits) || !ParseCidr(outer, &ob, &obits)) return false;
  if (ibits < obits) return false;
  uint32_t mask = obits == 0 ? 0 : ~uint32_t(0) << (32 - obits);
  return (ib & mask) == ob;
}

std::string NodeNameFor(const std::string& ip, const std::string& region) {
  std::string dashed = ip;
  std::replace(dashed.begin(), dashed.end(), '.', '-');
  return "ip-" + dashed + (region == "us-east-1" ? ".ec2.internal" : "." + region + ".compute.internal");
}

// ---- YAML -> JSON (for aws args)

nlohmann::json ToJson(const YAML::Node& n) {
  if (n.IsMap()) {
    nlohmann::json o = nlohmann::json::object();
    for (auto it = n.begin(); it != n.end(); ++it) o[it->first.Scalar()] = ToJson(it->second);
    return o;
  }
  if (n.IsSequence()) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& item : n) a.push_back(ToJson(item));
    return a;
  }
  if (n.IsNull()) return nullptr;
  const std::string& s = n.Scalar();
  if (n.Tag() != "!") {  // plain scalar: numbers and booleans keep their type
    if (s == "true") return true;
    if (s == "false") return false;
    int64_t v;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && ptr == s.data() + s.size()) return v;
  }
  return s;
}

// ---- sections

class Loader {
 public:
  Loader(Ctx& ctx, Scenario& sc, fs::path base_dir) : ctx_(ctx), sc_(sc), base_dir_(std::move(base_dir)) {}

  void Load(const YAML::Node& root) {
    if (!root.IsMap()) {
      ctx_.Err(root, "a scenario must be a mapping with at least `name` and `steps`");
      return;
    }
    ctx_.CheckKeys(root, {"name", "description", "seed", "world", "controller", "objects", "steps"}, "the scenario");
    if (!root["name"]) {
      ctx_.Err(SourceLoc{ctx_.file(), 1, 1}, "missing required key \"name\"");
    } else if (ctx_.Scalar(root["name"], "name", &sc_.name)) {
      static const std::regex kName("[a-z0-9-]+");
      if (!std::regex_match(sc_.name, kName)) {
        ctx_.Err(root["name"], "name must match [a-z0-9-]+, got \"" + sc_.name + "\"");
      }
    }
    if (root["description"]) ctx_.Scalar(root["description"], "description", &sc_.description);
    if (root["seed"]) {
      int64_t seed;
      if (ctx_.Int(root["seed"], "seed", &seed, 0)) sc_.seed = static_cast<uint64_t>(seed);
    }
    if (root["world"]) World(root["world"]);
    FillWorldDefaults(root["world"] ? root["world"] : root);
    if (root["controller"]) Controller(root["controller"]);
    if (root["objects"]) Objects(root["objects"]);
    if (!root["steps"]) {
      ctx_.Err(SourceLoc{ctx_.file(), 1, 1}, "missing required key \"steps\"");
    } else {
      Steps(root["steps"]);
    }
  }

 private:
  void World(const YAML::Node& w) {
    if (!ctx_.IsMapOrNull(w, "world")) return;
    ctx_.CheckKeys(w, {"region", "accountId", "clusterName", "vpc", "subnets", "nodes", "maxPodsPerNode",
                       "fargateProfiles", "certificates", "quotas"},
                   "world");
    WorldSpec& world = sc_.world;
    if (w["region"] && ctx_.Scalar(w["region"], "world.region", &world.region)) {
      static const std::regex kRegion("[a-z]{2}(-gov)?-[a-z]+-[0-9]");
      if (!std::regex_match(world.region, kRegion)) {
        ctx_.Err(w["region"], "world.region must look like us-west-2, got \"" + world.region + "\"");
      }
    }
    if (w["accountId"] && ctx_.Scalar(w["accountId"], "world.accountId", &world.account_id)) {
      static const std::regex kAccount("[0-9]{12}");
      if (!std::regex_match(world.account_id, kAccount)) {
        ctx_.Err(w["accountId"], "world.accountId must be 12 digits, got \"" + world.account_id + "\"");
      }
    }
    if (w["clusterName"] && ctx_.Scalar(w["clusterName"], "world.clusterName", &world.cluster_name)) {
      if (world.cluster_name.empty()) {
        ctx_.Err(w["clusterName"], "kubernetes cluster name must be specified");
      }
    }
    if (const YAML::Node vpc = w["vpc"]) {
      if (ctx_.IsMapOrNull(vpc, "world.vpc")) {
        ctx_.CheckKeys(vpc, {"id", "cidr"}, "world.vpc");
        if (vpc["id"]) ctx_.Scalar(vpc["id"], "world.vpc.id", &world.vpc_id);
        if (vpc["cidr"] && ctx_.Scalar(vpc["cidr"], "world.vpc.cidr", &world.vpc_cidr)) {
          uint32_t b;
          int bits;
          if (!ParseCidr(world.vpc_cidr, &b, &bits) || bits < 16 || bits > 28) {
            ctx_.Err(vpc["cidr"], "world.vpc.cidr must be an IPv4 CIDR from /16 to /28, got \"" + world.vpc_cidr + "\"");
          }
        }
      }
    }
    if (const YAML::Node subnets = w["subnets"]) {
      if (!subnets.IsSequence()) {
        ctx_.Err(subnets, "world.subnets must be a list");
      } else {
        for (const auto& s : subnets) Subnet(s);
      }
    }
    if (w["maxPodsPerNode"] &&
        ctx_.Int(w["maxPodsPerNode"], "world.maxPodsPerNode", &world.max_pods_per_node, 1) &&
        world.max_pods_per_node > 100000) {
      ctx_.Err(w["maxPodsPerNode"], "world.maxPodsPerNode must be at most 100000, got " +
                                        std::to_string(world.max_pods_per_node));
    }
    if (const YAML::Node nodes = w["nodes"]) {
      if (!nodes.IsSequence()) {
        ctx_.Err(nodes, "world.nodes must be a list");
      } else {
        for (const auto& n : nodes) Node(n);
      }
    }
    if (const YAML::Node fps = w["fargateProfiles"]) {
      if (!fps.IsSequence()) {
        ctx_.Err(fps, "world.fargateProfiles must be a list");
      } else {
        for (const auto& f : fps) {
          if (!ctx_.IsMapOrNull(f, "a fargate profile")) continue;
          ctx_.CheckKeys(f, {"name", "namespace", "labels"}, "a fargate profile");
          FargateProfileSpec fp;
          fp.loc = ctx_.Loc(f);
          if (!f["name"] || !ctx_.Scalar(f["name"], "fargateProfiles[].name", &fp.name)) {
            if (!f["name"]) ctx_.Err(f, "a fargate profile needs a name");
          }
          if (!f["namespace"]) ctx_.Err(f, "a fargate profile needs a namespace");
          else ctx_.Scalar(f["namespace"], "fargateProfiles[].namespace", &fp.namespace_);
          if (f["labels"]) ctx_.StringMap(f["labels"], "fargateProfiles[].labels", &fp.labels);
          world.fargate_profiles.push_back(fp);
        }
      }
    }
    if (const YAML::Node quotas = w["quotas"]) {
      world.quotas_loc = ctx_.Loc(quotas);
      if (ctx_.IsMapOrNull(quotas, "world.quotas")) {
        aws::Quotas probe;
        std::vector<std::string> names;
        for (const auto& q : aws::DescribeQuotas(probe)) names.push_back(q.name);
        for (auto it = quotas.begin(); it != quotas.end(); ++it) {
          const std::string name = it->first.Scalar();
          if (std::find(names.begin(), names.end(), name) == names.end()) {
            std::string msg = "unknown quota \"" + name + "\"";
            std::string near = NearestKey(name, names);
            if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
            ctx_.Err(it->first, msg);
            continue;
          }
          int64_t v;
          if (ctx_.Int(it->second, "world.quotas." + name, &v, 0)) world.quotas[name] = v;
        }
      }
    }
    if (const YAML::Node certs = w["certificates"]) {
      if (!certs.IsSequence()) {
        ctx_.Err(certs, "world.certificates must be a list");
      } else {
        for (const auto& c : certs) {
          if (!ctx_.IsMapOrNull(c, "a certificate")) continue;
          ctx_.CheckKeys(c, {"domain", "arn", "subjectAlternativeNames"}, "a certificate");
          CertificateSpec cert;
          cert.loc = ctx_.Loc(c);
          if (!c["domain"]) ctx_.Err(c, "a certificate needs a domain");
          else ctx_.Scalar(c["domain"], "certificates[].domain", &cert.domain);
          if (c["arn"]) ctx_.Scalar(c["arn"], "certificates[].arn", &cert.arn);
          if (c["subjectAlternativeNames"]) {
            ctx_.StringList(c["subjectAlternativeNames"], "certificates[].subjectAlternativeNames", &cert.sans);
          }
          world.certificates.push_back(cert);
        }
      }
    }
  }

  void Subnet(const YAML::Node& s) {
    if (!ctx_.IsMapOrNull(s, "a subnet")) return;
    ctx_.CheckKeys(s, {"id", "az", "cidr", "public", "tags"}, "a subnet");
    SubnetSpec sub;
    sub.loc = ctx_.Loc(s);
    for (const char* req : {"id", "az", "cidr"}) {
      if (!s[req]) ctx_.Err(s, std::string("a subnet needs \"") + req + "\"");
    }
    if (s["id"]) ctx_.Scalar(s["id"], "subnets[].id", &sub.id);
    if (s["az"]) ctx_.Scalar(s["az"], "subnets[].az", &sub.az);
    if (s["cidr"] && ctx_.Scalar(s["cidr"], "subnets[].cidr", &sub.cidr)) {
      uint32_t b;
      int bits;
      if (!ParseCidr(sub.cidr, &b, &bits)) ctx_.Err(s["cidr"], "subnets[].cidr is not an IPv4 CIDR: \"" + sub.cidr + "\"");
    }
    if (s["public"]) ctx_.Bool(s["public"], "subnets[].public", &sub.is_public);
    if (s["tags"]) ctx_.StringMap(s["tags"], "subnets[].tags", &sub.tags);
    sc_.world.subnets.push_back(sub);
  }

  void Node(const YAML::Node& n) {
    if (!ctx_.IsMapOrNull(n, "a node")) return;
    ctx_.CheckKeys(n, {"name", "az", "ip", "labels", "instanceType"}, "a node");
    NodeSpec node;
    node.loc = ctx_.Loc(n);
    if (!n["az"]) ctx_.Err(n, "a node needs \"az\"");
    else ctx_.Scalar(n["az"], "nodes[].az", &node.az);
    if (n["name"]) ctx_.Scalar(n["name"], "nodes[].name", &node.name);
    if (n["ip"]) {
      uint32_t v;
      if (ctx_.Scalar(n["ip"], "nodes[].ip", &node.ip) && !ParseIpv4(node.ip, &v)) {
        ctx_.Err(n["ip"], "nodes[].ip is not an IPv4 address: \"" + node.ip + "\"");
      }
    }
    if (n["labels"]) ctx_.StringMap(n["labels"], "nodes[].labels", &node.labels);
    if (n["instanceType"]) ctx_.Scalar(n["instanceType"], "nodes[].instanceType", &node.instance_type);
    sc_.world.nodes.push_back(node);
  }

  void FillWorldDefaults(const YAML::Node& at) {
    WorldSpec& w = sc_.world;
    if (w.subnets.empty()) {
      const char* azs[] = {"a", "b", "c"};
      uint32_t vpc_base;
      int bits;
      if (!ParseCidr(w.vpc_cidr, &vpc_base, &bits) || bits > 18) {
        if (!ctx_.failed()) ctx_.Err(at, "default subnets need a VPC CIDR of /18 or larger; list world.subnets");
        return;
      }
      for (int pub = 1; pub >= 0; --pub) {
        for (int i = 0; i < 3; ++i) {
          SubnetSpec s;
          s.id = std::string(pub ? "subnet-pub-" : "subnet-priv-") + azs[i];
          s.az = w.region + azs[i];
          uint32_t base = vpc_base + (static_cast<uint32_t>((pub ? 0 : 4) + i) << 12);  // /20 blocks
          s.cidr = FormatIpv4(base) + "/20";
          s.is_public = pub;
          s.tags[pub ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"] = "1";
          s.tags["Name"] = w.cluster_name + (pub ? "-public-" : "-private-") + azs[i];
          s.loc = SourceLoc{ctx_.file(), 0, 0};
          w.subnets.push_back(s);
        }
      }
    }
    // Subnet checks.
    std::map<std::string, int> ids;
    for (const auto& s : w.subnets) {
      if (s.id.empty()) continue;
      if (ids[s.id]++) ctx_.Err(s.loc, "duplicate subnet id \"" + s.id + "\"");
      if (!s.az.empty() && s.az.rfind(w.region, 0) != 0) {
        ctx_.Err(s.loc, "subnet " + s.id + ": availability zone \"" + s.az + "\" is not in region " + w.region);
      }
      if (!s.cidr.empty() && !CidrWithin(s.cidr, w.vpc_cidr)) {
        ctx_.Err(s.loc, "subnet " + s.id + ": CIDR " + s.cidr + " is not inside the VPC CIDR " + w.vpc_cidr);
      }
    }
    // An explicit `nodes: []` is a cluster without EC2 nodes (Fargate only); absent = 3 nodes.
    if (w.nodes.empty() && !(at.IsMap() && at["nodes"])) {
      std::vector<std::string> azs;
      for (const auto& s : w.subnets) {
        if (std::find(azs.begin(), azs.end(), s.az) == azs.end()) azs.push_back(s.az);
      }
      std::sort(azs.begin(), azs.end());
      for (size_t i = 0; i < azs.size() && i < 3; ++i) {
        NodeSpec n;
        n.az = azs[i];
        n.loc = SourceLoc{ctx_.file(), 0, 0};
        w.nodes.push_back(n);
      }
    }
    // Node placement: the node's subnet is the (private first) subnet of its AZ that holds its IP.
    std::map<std::string, int> next_host;
    std::map<std::string, int> names;
    for (auto& n : w.nodes) {
      const SubnetSpec* chosen = nullptr;
      if (!n.ip.empty()) {
        for (const auto& s : w.subnets) {
          if (s.az == n.az && CidrContains(s.cidr, n.ip)) chosen = &s;
        }
        if (!chosen) {
          ctx_.Err(n.loc, "node IP " + n.ip + " is in no subnet of availability zone " + n.az);
          continue;
        }
      } else {
        for (const auto& s : w.subnets) {
          if (s.az == n.az && !s.is_public) {
            chosen = &s;
            break;
          }
        }
        if (!chosen) {
          for (const auto& s : w.subnets) {
            if (s.az == n.az) {
              chosen = &s;
              break;
            }
          }
        }
        if (!chosen) {
          ctx_.Err(n.loc, "no subnet in availability zone " + n.az + " for this node");
          continue;
        }
        uint32_t base;
        int bits;
        ParseCidr(chosen->cidr, &base, &bits);
        int host = 10 + next_host[chosen->id]++;
        n.ip = FormatIpv4(base + static_cast<uint32_t>(host));
      }
      n.subnet_id = chosen->id;
      if (n.name.empty()) n.name = NodeNameFor(n.ip, w.region);
      if (names[n.name]++) ctx_.Err(n.loc, "duplicate node name \"" + n.name + "\"");
    }
    for (auto& c : w.certificates) {
      if (c.arn.empty()) {
        // Deterministic stand-in for ACM's random UUID: derived from the domain.
        std::hash<std::string> h;
        char buf[64];
        size_t v = h(c.domain);
        std::snprintf(buf, sizeof buf, "%08zx-%04zx-4%03zx-8%03zx-%012zx", v & 0xffffffff, (v >> 32) & 0xffff,
                      (v >> 48) & 0xfff, (v >> 4) & 0xfff, (v * 2654435761u) & 0xffffffffffff);
        c.arn = "arn:aws:acm:" + w.region + ":" + w.account_id + ":certificate/" + buf;
      }
    }
  }

  void Controller(const YAML::Node& c) {
    if (!ctx_.IsMapOrNull(c, "controller")) return;
    ctx_.CheckKeys(c,
                   {"ingressClass", "defaultTargetType", "defaultLoadBalancerScheme", "defaultSSLPolicy",
                    "enableBackendSG", "backendSecurityGroup", "enableManageBackendSGRules",
                    "disableRestrictedSGRules", "enableEndpointSlices", "enablePodReadinessGateInject",
                    "tolerateNonExistentBackendService", "tolerateNonExistentBackendAction", "syncPeriod",
                    "lbStabilizationMonitorInterval", "targetGroupBindingRequeueDuration",
                    "maxTargetsPerTargetGroup", "maxConcurrentReconciles", "defaultTags", "externalManagedTags",
                    "featureGates", "iam"},
                   "controller");
    ControllerSpec& cs = sc_.controller;
    if (c["ingressClass"]) ctx_.Scalar(c["ingressClass"], "controller.ingressClass", &cs.ingress_class);
    if (c["defaultTargetType"] &&
        ctx_.Scalar(c["defaultTargetType"], "controller.defaultTargetType", &cs.default_target_type) &&
        cs.default_target_type != "instance" && cs.default_target_type != "ip") {
      ctx_.Err(c["defaultTargetType"], "controller.defaultTargetType must be instance or ip, got \"" +
                                           cs.default_target_type + "\"");
    }
    if (c["defaultLoadBalancerScheme"] &&
        ctx_.Scalar(c["defaultLoadBalancerScheme"], "controller.defaultLoadBalancerScheme",
                    &cs.default_load_balancer_scheme) &&
        cs.default_load_balancer_scheme != "internal" && cs.default_load_balancer_scheme != "internet-facing") {
      ctx_.Err(c["defaultLoadBalancerScheme"],
               "controller.defaultLoadBalancerScheme must be internal or internet-facing, got \"" +
                   cs.default_load_balancer_scheme + "\"");
    }
    if (c["defaultSSLPolicy"]) ctx_.Scalar(c["defaultSSLPolicy"], "controller.defaultSSLPolicy", &cs.default_ssl_policy);
    if (c["enableBackendSG"]) ctx_.Bool(c["enableBackendSG"], "controller.enableBackendSG", &cs.enable_backend_sg);
    if (c["backendSecurityGroup"]) {
      ctx_.Scalar(c["backendSecurityGroup"], "controller.backendSecurityGroup", &cs.backend_security_group);
    }
    if (c["enableManageBackendSGRules"]) {
      ctx_.Bool(c["enableManageBackendSGRules"], "controller.enableManageBackendSGRules",
                &cs.enable_manage_backend_sg_rules);
    }
    if (c["disableRestrictedSGRules"]) {
      ctx_.Bool(c["disableRestrictedSGRules"], "controller.disableRestrictedSGRules", &cs.disable_restricted_sg_rules);
    }
    if (c["enableEndpointSlices"]) {
      ctx_.Bool(c["enableEndpointSlices"], "controller.enableEndpointSlices", &cs.enable_endpoint_slices);
    }
    if (c["enablePodReadinessGateInject"]) {
      ctx_.Bool(c["enablePodReadinessGateInject"], "controller.enablePodReadinessGateInject",
                &cs.enable_pod_readiness_gate_inject);
    }
    if (c["tolerateNonExistentBackendService"]) {
      ctx_.Bool(c["tolerateNonExistentBackendService"], "controller.tolerateNonExistentBackendService",
                &cs.tolerate_non_existent_backend_service);
    }
    if (c["tolerateNonExistentBackendAction"]) {
      ctx_.Bool(c["tolerateNonExistentBackendAction"], "controller.tolerateNonExistentBackendAction",
                &cs.tolerate_non_existent_backend_action);
    }
    if (c["syncPeriod"]) ctx_.Duration(c["syncPeriod"], "controller.syncPeriod", &cs.sync_period);
    if (c["lbStabilizationMonitorInterval"]) {
      ctx_.Duration(c["lbStabilizationMonitorInterval"], "controller.lbStabilizationMonitorInterval",
                    &cs.lb_stabilization_monitor_interval);
    }
    if (c["targetGroupBindingRequeueDuration"]) {
      ctx_.Duration(c["targetGroupBindingRequeueDuration"], "controller.targetGroupBindingRequeueDuration",
                    &cs.targetgroupbinding_requeue_duration);
    }
    int64_t v;
    if (c["maxTargetsPerTargetGroup"] &&
        ctx_.Int(c["maxTargetsPerTargetGroup"], "controller.maxTargetsPerTargetGroup", &v, 0)) {
      cs.max_targets_per_target_group = static_cast<int>(v);
    }
    if (c["maxConcurrentReconciles"] &&
        ctx_.Int(c["maxConcurrentReconciles"], "controller.maxConcurrentReconciles", &v, 1)) {
      cs.max_concurrent_reconciles = static_cast<int>(v);
    }
    static const std::vector<std::string> kTrackingKeys = {
        "elbv2.k8s.aws/cluster",      "elbv2.k8s.aws/resource",     "ingress.k8s.aws/stack",
        "ingress.k8s.aws/resource",   "service.k8s.aws/stack",      "service.k8s.aws/resource",
        "gateway.k8s.aws.nlb/resource", "gateway.k8s.aws.alb/resource", "gateway.k8s.aws.nlb/stack",
        "gateway.k8s.aws.alb/stack"};
    if (c["defaultTags"] && ctx_.StringMap(c["defaultTags"], "controller.defaultTags", &cs.default_tags)) {
      for (const auto& [k, _] : cs.default_tags) {
        if (std::find(kTrackingKeys.begin(), kTrackingKeys.end(), k) != kTrackingKeys.end()) {
          ctx_.Err(c["defaultTags"], "tag key " + k + " cannot be specified in default-tags flag");
        }
      }
    }
    if (c["externalManagedTags"] &&
        ctx_.StringList(c["externalManagedTags"], "controller.externalManagedTags", &cs.external_managed_tags)) {
      for (const auto& k : cs.external_managed_tags) {
        if (std::find(kTrackingKeys.begin(), kTrackingKeys.end(), k) != kTrackingKeys.end()) {
          ctx_.Err(c["externalManagedTags"], "tag key " + k + " cannot be specified in external-managed-tags flag");
        }
        if (cs.default_tags.count(k)) {
          ctx_.Err(c["externalManagedTags"], "tag key " + k + " cannot be specified in both default-tags and external-managed-tags flag");
        }
      }
    }
    if (const YAML::Node fg = c["featureGates"]) {
      static const Keys kGates = {
          "ListenerRulesTagging", "WeightedTargetGroups", "ServiceTypeLoadBalancerOnly", "EndpointsFailOpen",
          "EnableServiceController", "EnableIPTargetType", "EnableRGTAPI", "SubnetsClusterTagCheck",
          "NLBHealthCheckAdvancedConfig", "NLBSecurityGroup", "ALBSingleSubnet", "SubnetDiscoveryByReachability",
          "LBCapacityReservation", "NLBGatewayAPI", "ALBGatewayAPI", "GlobalAcceleratorController",
          "EnableTCPUDPListener", "EnhancedDefaultBehavior", "EnableDefaultTagsLowPriority",
          "ALBTargetControlAgent", "GatewayListenerSet", "EnableCertificateManagement", "IngressPlanAnnotation"};
      if (ctx_.IsMapOrNull(fg, "controller.featureGates")) {
        ctx_.CheckKeys(fg, kGates, "controller.featureGates");
        for (auto it = fg.begin(); it != fg.end(); ++it) {
          bool b;
          if (ctx_.Bool(it->second, "controller.featureGates." + it->first.Scalar(), &b)) {
            cs.feature_gates[it->first.Scalar()] = b;
          }
        }
      }
    }
    if (const YAML::Node iam = c["iam"]) {
      if (ctx_.IsMapOrNull(iam, "controller.iam")) {
        ctx_.CheckKeys(iam, {"serviceAccount", "trustedServiceAccount", "policy"}, "controller.iam");
        if (iam["trustedServiceAccount"] &&
            ctx_.Scalar(iam["trustedServiceAccount"], "controller.iam.trustedServiceAccount",
                        &cs.iam.trusted_service_account) &&
            std::count(cs.iam.trusted_service_account.begin(), cs.iam.trusted_service_account.end(), '/') != 1) {
          ctx_.Err(iam["trustedServiceAccount"], "controller.iam.trustedServiceAccount must be NAMESPACE/NAME, got \"" +
                                                     cs.iam.trusted_service_account + "\"");
        }
        if (iam["serviceAccount"] &&
            ctx_.Scalar(iam["serviceAccount"], "controller.iam.serviceAccount", &cs.iam.service_account) &&
            std::count(cs.iam.service_account.begin(), cs.iam.service_account.end(), '/') != 1) {
          ctx_.Err(iam["serviceAccount"], "controller.iam.serviceAccount must be NAMESPACE/NAME, got \"" +
                                              cs.iam.service_account + "\"");
        }
        if (iam["policy"] && ctx_.Scalar(iam["policy"], "controller.iam.policy", &cs.iam.policy) &&
            cs.iam.policy != "default" && cs.iam.policy != "none") {
          fs::path p = base_dir_ / cs.iam.policy;
          if (!fs::exists(p)) ctx_.Err(iam["policy"], "policy file not found: " + p.string());
          cs.iam.policy_path = p.lexically_normal().string();
        }
      }
    }
  }

  // {file: PATH} or {inline: YAML}
  bool Manifest(const YAML::Node& n, const std::string& what, ManifestSource* out, const Keys& extra_keys = {}) {
    if (!n.IsMap()) {
      ctx_.Err(n, what + " must be {file: PATH} or {inline: YAML}");
      return false;
    }
    Keys keys = {"file", "inline"};
    keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
    ctx_.CheckKeys(n, keys, what);
    out->loc = ctx_.Loc(n);
    if (static_cast<bool>(n["file"]) == static_cast<bool>(n["inline"])) {
      ctx_.Err(n, what + " needs exactly one of \"file\" or \"inline\"");
      return false;
    }
    std::string label;
    if (n["file"]) {
      if (!ctx_.Scalar(n["file"], what + ".file", &out->file)) return false;
      fs::path p = base_dir_ / out->file;
      out->path = p.lexically_normal().string();
      std::ifstream in(p);
      if (!in) {
        ctx_.Err(n["file"], "cannot read manifest file " + out->path);
        return false;
      }
      std::stringstream ss;
      ss << in.rdbuf();
      out->text = ss.str();
      label = out->path;
      out->line_offset = 0;
    } else {
      if (!ctx_.Scalar(n["inline"], what + ".inline", &out->text)) return false;
      label = ctx_.file();
      YAML::Mark m = n["inline"].Mark();
      out->line_offset = m.line + (ctx_.IsBlockScalar(n["inline"]) ? 1 : 0);
    }
    auto decoded = k8s::DecodeManifests(out->text, label, out->line_offset);
    if (!decoded.ok()) {
      errors_from_decode_(decoded.error().message, n);
      return false;
    }
    out->objects = decoded.value();
    if (out->objects.empty()) {
      ctx_.Err(n, what + " holds no Kubernetes object");
      return false;
    }
    return true;
  }

  // The decoder's message holds one `FILE:LINE:COL: message` per line.
  void errors_from_decode_(const std::string& message, const YAML::Node& at) {
    std::istringstream in(message);
    bool any = false;
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      any = true;
      ctx_.Raw(line);
    }
    if (!any) ctx_.Err(at, "invalid manifest");
  }

  void Objects(const YAML::Node& objs) {
    if (!objs.IsSequence()) {
      ctx_.Err(objs, "objects must be a list of {file: PATH} or {inline: YAML}");
      return;
    }
    for (const auto& o : objs) {
      ManifestSource src;
      if (Manifest(o, "an objects entry", &src)) sc_.objects.push_back(std::move(src));
    }
  }

  void Steps(const YAML::Node& steps) {
    if (!steps.IsSequence()) {
      ctx_.Err(steps, "steps must be a list");
      return;
    }
    static const Keys kSteps = {"apply", "delete", "settle", "advance", "restart", "uninstall",
                                "crash", "aws",    "fault",  "request", "expect"};
    for (const auto& s : steps) {
      if (!s.IsMap() || s.size() != 1) {
        ctx_.Err(s, "a step must be a mapping with exactly one of: apply, delete, settle, advance, restart, uninstall, "
                    "crash, aws, fault, request, expect");
        continue;
      }
      auto it = s.begin();
      const std::string kind = it->first.Scalar();
      const YAML::Node body = it->second;
      Step step;
      step.loc = ctx_.Loc(it->first);
      if (kind == "apply") {
        step.kind = StepKind::kApply;
        if (Manifest(body, "apply", &step.manifest, {"expectError"}) && body["expectError"]) {
          std::string e;
          if (ctx_.Scalar(body["expectError"], "apply.expectError", &e)) step.expect_error = e;
        }
      } else if (kind == "delete") {
        step.kind = StepKind::kDelete;
        Delete(body, &step);
      } else if (kind == "settle") {
        step.kind = StepKind::kSettle;
        if (!body.IsNull() && !(body.IsMap() && body.size() == 0)) {
          ctx_.Err(body, "settle takes no arguments: write `settle: {}`");
        }
      } else if (kind == "advance") {
        step.kind = StepKind::kAdvance;
        if (ctx_.Duration(body, "advance", &step.advance) && step.advance.count() <= 0) {
          ctx_.Err(body, "advance must be a positive duration");
        }
      } else if (kind == "restart") {
        step.kind = StepKind::kRestart;
        if (ctx_.Scalar(body, "restart", &step.restart_target) && step.restart_target != "controller") {
          ctx_.Err(body, "restart: the only thing that restarts is \"controller\", got \"" + step.restart_target + "\"");
        }
      } else if (kind == "uninstall") {
        step.kind = StepKind::kUninstall;
        if (ctx_.Scalar(body, "uninstall", &step.restart_target) && step.restart_target != "controller") {
          ctx_.Err(body, "uninstall: the only thing that uninstalls is \"controller\", got \"" + step.restart_target +
                             "\"");
        }
      } else if (kind == "crash") {
        step.kind = StepKind::kCrash;
        if (ctx_.IsMapOrNull(body, "crash")) {
          ctx_.CheckKeys(body, {"afterApiCalls", "restartAfter"}, "crash");
          if (!body["afterApiCalls"]) ctx_.Err(body, "crash needs afterApiCalls: N");
          else ctx_.Int(body["afterApiCalls"], "crash.afterApiCalls", &step.crash_after_api_calls, 0);
          if (body["restartAfter"]) {
            SimTime after{0};
            if (ctx_.Duration(body["restartAfter"], "crash.restartAfter", &after)) step.crash_restart_after = after;
          }
        }
      } else if (kind == "aws") {
        step.kind = StepKind::kAws;
        Aws(body, &step);
      } else if (kind == "fault") {
        step.kind = StepKind::kFault;
        Fault(body, &step);
      } else if (kind == "request") {
        step.kind = StepKind::kRequest;
        Request(body, &step);
      } else if (kind == "expect") {
        step.kind = StepKind::kExpect;
        Expect(body, &step.expect);
      } else {
        std::string msg = "unknown step \"" + kind + "\"";
        std::string near = NearestKey(kind, kSteps);
        if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
        ctx_.Err(it->first, msg);
        continue;
      }
      sc_.steps.push_back(std::move(step));
    }
  }

  void Delete(const YAML::Node& b, Step* step) {
    if (!b.IsMap()) {
      ctx_.Err(b, "delete must be {kind: KIND, namespace: NS, name: NAME}");
      return;
    }
    ctx_.CheckKeys(b, {"kind", "namespace", "name"}, "delete");
    if (!b["kind"]) ctx_.Err(b, "delete needs \"kind\"");
    if (!b["name"]) ctx_.Err(b, "delete needs \"name\"");
    if (b["kind"] && ctx_.Scalar(b["kind"], "delete.kind", &step->delete_kind)) {
      model::k8s::Kind k;
      if (!model::k8s::ParseKind(step->delete_kind, &k)) {
        ctx_.Err(b["kind"], "unknown kind \"" + step->delete_kind + "\"");
      } else if (model::k8s::KindIsNamespaced(k) && !b["namespace"]) {
        step->delete_namespace = "default";
      }
    }
    if (b["namespace"]) ctx_.Scalar(b["namespace"], "delete.namespace", &step->delete_namespace);
    if (b["name"]) ctx_.Scalar(b["name"], "delete.name", &step->delete_name);
  }

  void Aws(const YAML::Node& b, Step* step) {
    if (!b.IsMap()) {
      ctx_.Err(b, "aws must be {call: OPERATION, as: WHO, args: {...}}");
      return;
    }
    ctx_.CheckKeys(b, {"call", "as", "args"}, "aws");
    if (!b["call"]) {
      ctx_.Err(b, "aws needs \"call\"");
    } else if (ctx_.Scalar(b["call"], "aws.call", &step->aws_call)) {
      std::vector<std::string> known = aws::Elbv2JsonCalls();
      for (const auto& c : aws::Ec2JsonCalls()) known.push_back(c);
      if (std::find(known.begin(), known.end(), step->aws_call) == known.end()) {
        std::string msg = "unknown AWS operation \"" + step->aws_call + "\" (ELBv2 and EC2 operations by their API names)";
        std::string near = NearestKey(step->aws_call, known);
        if (!near.empty()) msg += " (did you mean \"" + near + "\"?)";
        ctx_.Err(b["call"], msg);
      }
    }
    if (b["as"]) ctx_.Scalar(b["as"], "aws.as", &step->aws_as);
    if (b["args"]) {
      if (!b["args"].IsMap()) ctx_.Err(b["args"], "aws.args must be a mapping");
      else step->aws_args_json = ToJson(b["args"]).dump();
    }
  }

  void Fault(const YAML::Node& b, Step* step) {
    if (!b.IsMap()) {
      ctx_.Err(b, "fault must be {service: elbv2|ec2|iam|sts|acm, call: OPERATION, error: CODE, times: N}");
      return;
    }
    ctx_.CheckKeys(b, {"service", "call", "error", "times"}, "fault");
    for (const char* req : {"service", "call", "error"}) {
      if (!b[req]) ctx_.Err(b, std::string("fault needs \"") + req + "\"");
    }
    if (b["service"] && ctx_.Scalar(b["service"], "fault.service", &step->fault_service)) {
      static const Keys kServices = {"elbv2", "ec2", "iam", "sts", "acm"};
      if (std::find(kServices.begin(), kServices.end(), step->fault_service) == kServices.end()) {
        ctx_.Err(b["service"], "fault.service must be one of elbv2, ec2, iam, sts, acm, got \"" + step->fault_service + "\"");
      }
    }
    if (b["call"]) ctx_.Scalar(b["call"], "fault.call", &step->fault_call);
    if (b["error"]) ctx_.Scalar(b["error"], "fault.error", &step->fault_error);
    if (b["times"]) ctx_.Int(b["times"], "fault.times", &step->fault_times, 1);
  }

  void Request(const YAML::Node& b, Step* step) {
    if (!b.IsMap()) {
      ctx_.Err(b, "request must be a mapping with at least url");
      return;
    }
    ctx_.CheckKeys(b, {"url", "method", "headers", "from", "count", "expect"}, "request");
    if (!b["url"]) ctx_.Err(b, "request needs \"url\"");
    else if (ctx_.Scalar(b["url"], "request.url", &step->url) && step->url.rfind("http://", 0) != 0 &&
             step->url.rfind("https://", 0) != 0) {
      ctx_.Err(b["url"], "request.url must start with http:// or https://, got \"" + step->url + "\"");
    }
    if (b["method"]) ctx_.Scalar(b["method"], "request.method", &step->method);
    if (b["headers"]) ctx_.StringMap(b["headers"], "request.headers", &step->headers);
    if (b["from"]) ctx_.Scalar(b["from"], "request.from", &step->from);
    if (b["count"]) ctx_.Int(b["count"], "request.count", &step->count, 1);
    if (const YAML::Node e = b["expect"]) {
      if (!ctx_.IsMapOrNull(e, "request.expect")) return;
      ctx_.CheckKeys(e, {"status", "service", "pod", "location", "rulePriority", "failedAt"}, "request.expect");
      RequestExpect re;
      re.loc = ctx_.Loc(e);
      int64_t v;
      std::string s;
      if (e["status"] && ctx_.Int(e["status"], "request.expect.status", &v, 100)) re.status = v;
      if (e["service"] && ctx_.Scalar(e["service"], "request.expect.service", &s)) re.service = s;
      if (e["pod"] && ctx_.Scalar(e["pod"], "request.expect.pod", &s)) re.pod = s;
      if (e["location"] && ctx_.Scalar(e["location"], "request.expect.location", &s)) re.location = s;
      if (e["rulePriority"] && ctx_.Int(e["rulePriority"], "request.expect.rulePriority", &v, 0)) re.rule_priority = v;
      if (e["failedAt"] && ctx_.Scalar(e["failedAt"], "request.expect.failedAt", &s)) re.failed_at = s;
      step->request_expect = re;
    }
  }

  void Expect(const YAML::Node& b, Expectation* ex) {
    ex->loc = ctx_.Loc(b);
    if (!b.IsMap()) {
      ctx_.Err(b, "expect must be a mapping");
      return;
    }
    ctx_.CheckKeys(b, {"loadBalancers", "targetGroups", "listeners", "rules", "securityGroups", "lb", "ingress",
                       "events", "noEvents", "apiCalls", "targets"},
                   "expect");
    auto count = [&](const char* key, std::optional<int64_t>* out) {
      int64_t v;
      if (b[key] && ctx_.Int(b[key], std::string("expect.") + key, &v, 0)) *out = v;
    };
    count("loadBalancers", &ex->load_balancers);
    count("targetGroups", &ex->target_groups);
    count("listeners", &ex->listeners);
    count("rules", &ex->rules);
    count("securityGroups", &ex->security_groups);
    if (const YAML::Node lb = b["lb"]) {
      if (ctx_.IsMapOrNull(lb, "expect.lb")) {
        for (auto it = lb.begin(); it != lb.end(); ++it) {
          const std::string key = it->first.Scalar();
          CheckNsName(it->first, key, "expect.lb");
          const YAML::Node e = it->second;
          if (!ctx_.IsMapOrNull(e, "expect.lb." + key)) continue;
          ctx_.CheckKeys(e, {"name", "scheme", "dnsName", "state", "listeners", "rules", "subnets", "tags"},
                         "expect.lb." + key);
          LbExpect le;
          le.loc = ctx_.Loc(it->first);
          std::string s;
          int64_t v;
          if (e["name"] && ctx_.Scalar(e["name"], "name", &s)) le.name = s;
          if (e["scheme"] && ctx_.Scalar(e["scheme"], "scheme", &s)) le.scheme = s;
          if (e["dnsName"] && ctx_.Scalar(e["dnsName"], "dnsName", &s)) le.dns_name = s;
          if (e["state"] && ctx_.Scalar(e["state"], "state", &s)) le.state = s;
          if (e["listeners"] && ctx_.Int(e["listeners"], "listeners", &v, 0)) le.listeners = v;
          if (e["rules"] && ctx_.Int(e["rules"], "rules", &v, 0)) le.rules = v;
          if (e["subnets"] && ctx_.Int(e["subnets"], "subnets", &v, 0)) le.subnets = v;
          if (e["tags"]) ctx_.StringMap(e["tags"], "tags", &le.tags);
          ex->lb[key] = le;
        }
      }
    }
    if (const YAML::Node ing = b["ingress"]) {
      if (ctx_.IsMapOrNull(ing, "expect.ingress")) {
        for (auto it = ing.begin(); it != ing.end(); ++it) {
          const std::string key = it->first.Scalar();
          CheckNsName(it->first, key, "expect.ingress");
          const YAML::Node e = it->second;
          if (!ctx_.IsMapOrNull(e, "expect.ingress." + key)) continue;
          ctx_.CheckKeys(e, {"exists", "hostname", "finalizers", "group"}, "expect.ingress." + key);
          IngressExpect ie;
          ie.loc = ctx_.Loc(it->first);
          bool bv;
          std::string s;
          if (e["exists"] && ctx_.Bool(e["exists"], "exists", &bv)) ie.exists = bv;
          if (e["hostname"] && ctx_.Scalar(e["hostname"], "hostname", &s)) ie.hostname = s;
          if (e["finalizers"]) {
            std::vector<std::string> f;
            if (ctx_.StringList(e["finalizers"], "finalizers", &f)) ie.finalizers = f;
          }
          if (e["group"] && ctx_.Scalar(e["group"], "group", &s)) ie.group = s;
          ex->ingress[key] = ie;
        }
      }
    }
    auto events = [&](const char* key, std::vector<EventExpect>* out) {
      const YAML::Node evs = b[key];
      if (!evs) return;
      if (!evs.IsSequence()) {
        ctx_.Err(evs, std::string("expect.") + key + " must be a list");
        return;
      }
      for (const auto& e : evs) {
        if (!ctx_.IsMapOrNull(e, std::string("an expect.") + key + " item")) continue;
        ctx_.CheckKeys(e, {"object", "reason", "message", "type"}, std::string("expect.") + key);
        EventExpect ee;
        ee.loc = ctx_.Loc(e);
        std::string s;
        if (e["object"] && ctx_.Scalar(e["object"], "object", &s)) ee.object = s;
        if (e["reason"] && ctx_.Scalar(e["reason"], "reason", &s)) ee.reason = s;
        if (e["message"] && ctx_.Scalar(e["message"], "message", &s)) ee.message = s;
        if (e["type"] && ctx_.Scalar(e["type"], "type", &s)) {
          if (s != "Normal" && s != "Warning") ctx_.Err(e["type"], "type must be Normal or Warning, got \"" + s + "\"");
          ee.type = s;
        }
        out->push_back(ee);
      }
    };
    events("events", &ex->events);
    events("noEvents", &ex->no_events);
    if (const YAML::Node calls = b["apiCalls"]) {
      if (ctx_.IsMapOrNull(calls, "expect.apiCalls")) {
        for (auto it = calls.begin(); it != calls.end(); ++it) {
          int64_t v;
          if (ctx_.Int(it->second, "expect.apiCalls." + it->first.Scalar(), &v, 0)) {
            ex->api_calls[it->first.Scalar()] = {v, ctx_.Loc(it->first)};
          }
        }
      }
    }
    if (const YAML::Node tg = b["targets"]) {
      if (ctx_.IsMapOrNull(tg, "expect.targets")) {
        static const std::regex kSvcPort("[a-z0-9.-]+/[a-z0-9.-]+:[A-Za-z0-9-]+");
        for (auto it = tg.begin(); it != tg.end(); ++it) {
          const std::string key = it->first.Scalar();
          if (!std::regex_match(key, kSvcPort)) {
            ctx_.Err(it->first, "expect.targets keys are NS/SERVICE:PORT, got \"" + key + "\"");
          }
          const YAML::Node e = it->second;
          if (!ctx_.IsMapOrNull(e, "expect.targets." + key)) continue;
          ctx_.CheckKeys(e, {"count", "healthy"}, "expect.targets." + key);
          TargetsExpect te;
          te.loc = ctx_.Loc(it->first);
          int64_t v;
          if (e["count"] && ctx_.Int(e["count"], "count", &v, 0)) te.count = v;
          if (e["healthy"] && ctx_.Int(e["healthy"], "healthy", &v, 0)) te.healthy = v;
          ex->targets[key] = te;
        }
      }
    }
  }

  void CheckNsName(const YAML::Node& at, const std::string& key, const std::string& where) {
    if (std::count(key.begin(), key.end(), '/') != 1 || key.front() == '/' || key.back() == '/') {
      ctx_.Err(at, where + " keys are NAMESPACE/NAME, got \"" + key + "\"");
    }
  }

  Ctx& ctx_;
  Scenario& sc_;
  fs::path base_dir_;
};

}  // namespace

LoadResult LoadScenarioText(const std::string& text, const std::string& file) {
  LoadResult result;
  result.scenario.file = file;
  Ctx ctx(file, text, &result.errors);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    ctx.Err(SourceLoc{file, e.mark.line + 1, e.mark.column + 1}, e.msg);
    return result;
  }
  fs::path base = fs::path(file).parent_path();
  Loader loader(ctx, result.scenario, base);
  try {
    loader.Load(root);
  } catch (const YAML::Exception& e) {
    ctx.Err(SourceLoc{file, e.mark.line + 1, e.mark.column + 1}, e.msg);
  }
  return result;
}

LoadResult LoadScenarioFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    LoadResult r;
    r.errors.push_back(path + ":0:0: cannot read the scenario file");
    return r;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return LoadScenarioText(ss.str(), path);
}

}  // namespace sim::scenario
