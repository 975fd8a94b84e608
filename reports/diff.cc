#include "reports/diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace sim::reports {
namespace {

using nlohmann::ordered_json;

int KindOrder(const std::string& kind) {
  static const std::vector<std::string> kOrder = {"security group", "target group", "load balancer",
                                                  "listener",       "rule",         "target"};
  auto it = std::find(kOrder.begin(), kOrder.end(), kind);
  return static_cast<int>(it - kOrder.begin());
}

std::string Str(const ordered_json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return it->dump();
}

const ordered_json& Member(const ordered_json& j, const std::string& key) {
  static const ordered_json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

// Replaces every string that is a known ARN (or id) with the resource's name.
void ReplaceArns(ordered_json& j, const std::map<std::string, std::string>& names) {
  if (j.is_string()) {
    auto it = names.find(j.get<std::string>());
    if (it != names.end()) j = it->second;
  } else if (j.is_array() || j.is_object()) {
    for (auto& v : j) ReplaceArns(v, names);
  }
}

// [{"Key":k,"Value":v}] -> {k: v}
ordered_json TagObject(const ordered_json& list) {
  std::map<std::string, std::string> sorted;
  for (const auto& t : list) sorted[Str(t, "Key")] = Str(t, "Value");
  ordered_json o = ordered_json::object();
  for (const auto& [k, v] : sorted) o[k] = v;
  return o;
}

std::string ListenerArnOfRule(const std::string& rule_arn) {
  std::string l = rule_arn.substr(0, rule_arn.rfind('/'));
  auto pos = l.find(":listener-rule/");
  if (pos != std::string::npos) l.replace(pos, 15, ":listener/");
  return l;
}

bool IsIdentifier(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

void Flatten(const ordered_json& j, const std::string& prefix, std::map<std::string, std::string>* out) {
  if (j.is_object()) {
    if (j.empty() && !prefix.empty()) (*out)[prefix] = "{}";
    for (auto it = j.begin(); it != j.end(); ++it) {
      std::string p = IsIdentifier(it.key()) ? (prefix.empty() ? it.key() : prefix + "." + it.key())
                                             : prefix + "[" + ordered_json(it.key()).dump() + "]";
      Flatten(it.value(), p, out);
    }
  } else if (j.is_array()) {
    if (j.empty()) (*out)[prefix] = "[]";
    for (size_t i = 0; i < j.size(); ++i) Flatten(j[i], prefix + "[" + std::to_string(i) + "]", out);
  } else {
    (*out)[prefix] = j.dump();
  }
}

// The top-level member a flattened path belongs to: "Tags[\"a\"]" -> "Tags", "State.Code" -> "State".
std::string TopMember(const std::string& path) {
  size_t end = path.find_first_of(".[");
  return path.substr(0, end);
}

bool ForcesReplacement(const std::string& kind, const std::string& path) {
  const std::string top = TopMember(path);
  if (kind == "load balancer") return top == "Type" || top == "Scheme";
  if (kind == "target group") {
    return top == "TargetType" || top == "Protocol" || top == "ProtocolVersion" || top == "TargetControlPort";
  }
  return false;
}

std::string StackKey(const ordered_json& tags, const std::string& fallback) {
  const std::string stack = Str(tags, "ingress.k8s.aws/stack");
  const std::string res = Str(tags, "ingress.k8s.aws/resource");
  if (!stack.empty() && !res.empty()) return stack + " " + res;
  const std::string elbv2_res = Str(tags, "elbv2.k8s.aws/resource");
  const std::string cluster = Str(tags, "elbv2.k8s.aws/cluster");
  if (!elbv2_res.empty() && !cluster.empty()) return cluster + " " + elbv2_res;
  return fallback;
}

}  // namespace

std::vector<NormalResource> NormaliseAwsState(const std::string& aws_json) {
  std::vector<NormalResource> out;
  auto aws = ordered_json::parse(aws_json.empty() ? "{}" : aws_json, nullptr, false);
  if (aws.is_discarded() || !aws.is_object()) return out;
  const ordered_json& all_tags = Member(aws, "Tags");

  // Names for ARNs, so references read (and compare) by name.
  std::map<std::string, std::string> names;
  std::map<std::string, std::string> lb_key, listener_key, listener_name, tg_key;
  for (const auto& lb : Member(aws, "LoadBalancers")) {
    const std::string arn = Str(lb, "LoadBalancerArn");
    names[arn] = Str(lb, "LoadBalancerName");
    lb_key[arn] = StackKey(TagObject(Member(all_tags, arn)), Str(lb, "LoadBalancerName"));
  }
  for (const auto& tg : Member(aws, "TargetGroups")) {
    const std::string arn = Str(tg, "TargetGroupArn");
    names[arn] = Str(tg, "TargetGroupName");
    tg_key[arn] = StackKey(TagObject(Member(all_tags, arn)), Str(tg, "TargetGroupName"));
  }
  for (const auto& l : Member(aws, "Listeners")) {
    const std::string arn = Str(l, "ListenerArn");
    const std::string lb = Str(l, "LoadBalancerArn");
    listener_name[arn] = names[lb] + " " + Str(l, "Protocol") + ":" + Str(l, "Port");
    listener_key[arn] = (lb_key.count(lb) ? lb_key[lb] : lb) + " :" + Str(l, "Port");
    names[arn] = listener_name[arn];
  }
  for (const auto& r : Member(aws, "Rules")) {
    const std::string arn = Str(r, "RuleArn");
    names[arn] = listener_name[ListenerArnOfRule(arn)] + " priority " + Str(r, "Priority");
  }

  auto add = [&](const std::string& kind, const std::string& key, const std::string& name, const std::string& arn,
                 ordered_json body, std::initializer_list<const char*> drop, const std::string& parent_kind = "",
                 const std::string& parent_key = "") {
    for (const char* d : drop) body.erase(d);
    if (all_tags.is_object() && all_tags.contains(arn)) body["Tags"] = TagObject(all_tags[arn]);
    ReplaceArns(body, names);
    out.push_back({kind, key, name, arn, body.dump(), parent_kind, parent_key});
  };

  for (const auto& lb : Member(aws, "LoadBalancers")) {
    const std::string arn = Str(lb, "LoadBalancerArn");
    add("load balancer", lb_key[arn], names[arn], arn, lb, {"LoadBalancerArn", "CreatedTime"});
  }
  for (const auto& l : Member(aws, "Listeners")) {
    const std::string arn = Str(l, "ListenerArn");
    const std::string lb = Str(l, "LoadBalancerArn");
    add("listener", listener_key[arn], listener_name[arn], arn, l, {"ListenerArn"}, "load balancer",
        lb_key.count(lb) ? lb_key[lb] : lb);
  }
  for (const auto& r : Member(aws, "Rules")) {
    const std::string arn = Str(r, "RuleArn");
    const std::string larn = ListenerArnOfRule(arn);
    const std::string lkey = listener_key.count(larn) ? listener_key[larn] : larn;
    add("rule", lkey + " priority " + Str(r, "Priority"), names[arn], arn, r, {"RuleArn"}, "listener", lkey);
  }
  for (const auto& tg : Member(aws, "TargetGroups")) {
    const std::string arn = Str(tg, "TargetGroupArn");
    add("target group", tg_key[arn], names[arn], arn, tg, {"TargetGroupArn"});
  }
  const ordered_json& health = Member(aws, "TargetHealth");
  if (health.is_object()) {
    for (auto it = health.begin(); it != health.end(); ++it) {
      const std::string tg = it.key();
      for (const auto& th : it.value()) {
        const ordered_json& t = Member(th, "Target");
        const std::string id = Str(t, "Id") + ":" + Str(t, "Port");
        ordered_json body = ordered_json::object();
        if (t.contains("AvailabilityZone")) body["AvailabilityZone"] = t["AvailabilityZone"];
        const ordered_json& h = Member(th, "TargetHealth");
        for (const char* k : {"State", "Reason", "Description"}) {
          if (h.is_object() && h.contains(k)) body[k] = h[k];
        }
        const std::string tkey = tg_key.count(tg) ? tg_key[tg] : tg;
        out.push_back({"target", tkey + " " + id, (names.count(tg) ? names[tg] : tg) + " " + id, tg + "|" + id,
                       body.dump(), "target group", tkey});
      }
    }
  }
  for (const auto& sg : Member(aws, "SecurityGroups")) {
    ordered_json body = sg;
    body.erase("SecurityGroupArn");
    ordered_json tags = TagObject(Member(sg, "Tags"));
    if (sg.contains("Tags")) body["Tags"] = tags;
    ReplaceArns(body, names);
    out.push_back({"security group", StackKey(tags, Str(sg, "GroupName")), Str(sg, "GroupName"), Str(sg, "GroupId"),
                   body.dump(), "", ""});
  }
  std::stable_sort(out.begin(), out.end(), [](const NormalResource& a, const NormalResource& b) {
    return std::make_pair(KindOrder(a.kind), a.key) < std::make_pair(KindOrder(b.kind), b.key);
  });
  return out;
}

Result<RunSnapshot> SnapshotFromJsonReport(const std::string& text, const std::string& label) {
  auto doc = ordered_json::parse(text, nullptr, false);
  if (doc.is_array() && doc.size() == 1) doc = doc[0];
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("aws")) {
    return MakeError(ErrorCode::kInvalidArgument,
                     label + ": not an albtwin JSON report (expected one object with \"aws\", from `albtwin run --output json`)");
  }
  RunSnapshot s;
  s.label = label;
  s.scenario = Str(doc, "scenario");
  s.aws_json = doc["aws"].dump();
  for (const auto& t : Member(doc, "traces")) s.traces_json.push_back(t.dump());
  return s;
}

RunDiff DiffRuns(const RunSnapshot& before, const RunSnapshot& after) {
  RunDiff diff;
  std::map<std::string, NormalResource> a, b;
  std::vector<std::string> order;
  for (auto& r : NormaliseAwsState(before.aws_json)) a[r.kind + "\n" + r.key] = r;
  for (auto& r : NormaliseAwsState(after.aws_json)) b[r.kind + "\n" + r.key] = r;
  std::set<std::string> keys;
  for (const auto& [k, _] : a) keys.insert(k);
  for (const auto& [k, _] : b) keys.insert(k);
  std::vector<std::string> sorted(keys.begin(), keys.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const std::string& x, const std::string& y) {
    auto kx = x.substr(0, x.find('\n')), ky = y.substr(0, y.find('\n'));
    return std::make_pair(KindOrder(kx), x) < std::make_pair(KindOrder(ky), y);
  });
  std::set<std::string> replaced;  // kind + "\n" + key of resources replaced so far (parents sort first)
  for (const auto& k : sorted) {
    auto ia = a.find(k), ib = b.find(k);
    ResourceChange c;
    const NormalResource& any = ia != a.end() ? ia->second : ib->second;
    c.kind = any.kind;
    c.key = any.key;
    std::map<std::string, std::string> fa, fb;
    if (ia != a.end()) {
      c.name_before = ia->second.name;
      Flatten(ordered_json::parse(ia->second.json), "", &fa);
    }
    if (ib != b.end()) {
      c.name_after = ib->second.name;
      Flatten(ordered_json::parse(ib->second.json), "", &fb);
    }
    if (ia == a.end()) {
      c.action = "+";
      for (const auto& [p, v] : fb) {
        if (v != "[]" && v != "{}") c.fields.push_back({p, "", v, false});  // empty members say nothing new
      }
    } else if (ib == b.end()) {
      c.action = "-";
    } else {
      std::set<std::string> paths;
      for (const auto& [p, _] : fa) paths.insert(p);
      for (const auto& [p, _] : fb) paths.insert(p);
      bool replace = false;
      for (const auto& p : paths) {
        std::string va = fa.count(p) ? fa[p] : "", vb = fb.count(p) ? fb[p] : "";
        if (va == vb) continue;
        FieldChange f{p, va, vb, ForcesReplacement(c.kind, p)};
        replace |= f.forces_replacement;
        c.fields.push_back(f);
      }
      // A listener goes with its load balancer, a rule with its listener, a target with its group.
      const NormalResource& now = ib->second;
      if (!now.parent_kind.empty() && replaced.count(now.parent_kind + "\n" + now.parent_key)) {
        c.fields.insert(c.fields.begin(), FieldChange{"", "", now.parent_kind, true});
        replace = true;
      }
      if (c.fields.empty()) continue;
      c.action = replace ? "-/+" : "~";
    }
    if (c.action == "-/+") replaced.insert(k);
    diff.resources.push_back(std::move(c));
  }

  // Traces: paired by step and order within the step.
  auto index = [](const RunSnapshot& s) {
    std::map<std::pair<int, int>, ordered_json> m;
    std::map<int, int> nth;
    for (const auto& text : s.traces_json) {
      auto j = ordered_json::parse(text, nullptr, false);
      if (j.is_discarded()) continue;
      int step = j.contains("step") && j["step"].is_number_integer() ? j["step"].get<int>() : -1;
      m[{step, nth[step]++}] = j;
    }
    return m;
  };
  auto ta = index(before), tb = index(after);
  std::set<std::pair<int, int>> tkeys;
  for (const auto& [k, _] : ta) tkeys.insert(k);
  for (const auto& [k, _] : tb) tkeys.insert(k);
  auto summary = [](const ordered_json& t) {
    ordered_json s = ordered_json::object();
    const ordered_json& r = Member(t, "result");
    for (const char* k : {"status", "failedAt", "reason", "rulePriority", "service", "targetGroup", "target", "pod", "location"}) {
      if (r.is_object() && r.contains(k)) s[k] = r[k];
    }
    std::string path;
    for (const auto& h : Member(t, "hops")) {
      if (Str(h, "kind") == "client" || Str(h, "kind") == "dns") continue;
      path += (path.empty() ? "" : " → ") + Str(h, "kind") + (h.value("ok", true) ? "" : " ✗");
    }
    s["path"] = path;
    return s;
  };
  for (const auto& k : tkeys) {
    auto ia = ta.find(k), ib = tb.find(k);
    const ordered_json& any = ib != tb.end() ? ib->second : ia->second;
    TraceChange c;
    const ordered_json& req = Member(any, "request");
    c.title = "[step " + std::to_string(k.first + 1) + "] " + Str(req, "method") + " " + Str(req, "url");
    std::map<std::string, std::string> fa, fb;
    if (ia != ta.end()) Flatten(summary(ia->second), "", &fa);
    if (ib != tb.end()) Flatten(summary(ib->second), "", &fb);
    if (ia == ta.end()) {
      c.action = "+";
      for (const auto& [p, v] : fb) c.fields.push_back({p, "", v, false});
    } else if (ib == tb.end()) {
      c.action = "-";
    } else {
      std::set<std::string> paths;
      for (const auto& [p, _] : fa) paths.insert(p);
      for (const auto& [p, _] : fb) paths.insert(p);
      for (const auto& p : paths) {
        std::string va = fa.count(p) ? fa[p] : "", vb = fb.count(p) ? fb[p] : "";
        if (va != vb) c.fields.push_back({p, va, vb, false});
      }
      if (c.fields.empty()) continue;
      c.action = "~";
    }
    diff.traces.push_back(std::move(c));
  }
  return diff;
}

std::string RenderDiff(const RunDiff& diff, const RunSnapshot& before, const RunSnapshot& after,
                       const TextOptions& options) {
  const bool col = options.color;
  auto paint = [&](const std::string& action, const std::string& s) {
    if (!col) return s;
    const char* c = action == "+" ? "\033[32m" : action == "-" ? "\033[31m" : action == "-/+" ? "\033[35m" : "\033[33m";
    return std::string(c) + s + "\033[0m";
  };
  auto show = [](const std::string& v) { return v.empty() ? std::string("(none)") : v; };
  std::ostringstream out;
  out << "albtwin diff: " << before.label << " -> " << after.label << "\n\n";
  if (diff.same()) {
    out << "No changes. The AWS resources and the request traces are the same.\n";
    return out.str();
  }
  int add = 0, change = 0, destroy = 0;
  if (!diff.resources.empty()) {
    out << "AWS resources:\n";
    for (const auto& c : diff.resources) {
      std::string name = c.action == "-" ? c.name_before : c.name_after;
      std::string head = c.action + " " + c.kind + " \"" + name + "\"";
      if (c.action == "-/+" && c.name_before != c.name_after) head = c.action + " " + c.kind + " \"" + c.name_before + "\" -> \"" + c.name_after + "\"";
      out << "  " << paint(c.action, head);
      if (c.key != name) out << "  (" << c.key << ")";
      if (c.action == "-/+") out << "  must be replaced";
      if (c.action == "~") out << "  updated in-place";
      if (c.action == "+") out << "  will be created";
      if (c.action == "-") out << "  will be destroyed";
      out << "\n";
      for (const auto& f : c.fields) {
        if (f.path.empty()) {
          out << "      # forces replacement: its " << f.after << " is replaced\n";
        } else if (c.action == "+") {
          out << "      " << paint("+", "+ " + f.path + ": " + f.after) << "\n";
        } else {
          const std::string a = f.before.empty() ? "+" : f.after.empty() ? "-" : "~";
          out << "      " << paint(a, a + " " + f.path + ": " + show(f.before) + " -> " + show(f.after));
          if (f.forces_replacement) out << "  # forces replacement";
          out << "\n";
        }
      }
      if (c.action == "+") ++add;
      if (c.action == "-") ++destroy;
      if (c.action == "~") ++change;
      if (c.action == "-/+") {
        ++add;
        ++destroy;
      }
    }
    out << "\n";
  }
  if (!diff.traces.empty()) {
    out << "Request traces:\n";
    for (const auto& c : diff.traces) {
      out << "  " << paint(c.action, c.action + " " + c.title) << "\n";
      for (const auto& f : c.fields) {
        if (f.path.empty()) {
          out << "      # forces replacement: its " << f.after << " is replaced\n";
        } else if (c.action == "+") {
          out << "      " << paint("+", "+ " + f.path + ": " + f.after) << "\n";
        } else {
          out << "      ~ " << f.path << ": " << show(f.before) << " -> " << show(f.after) << "\n";
        }
      }
    }
    out << "\n";
  }
  out << "Plan: " << add << " to add, " << change << " to change, " << destroy << " to destroy. " << diff.traces.size()
      << " trace(s) changed.\n";
  return out.str();
}

}  // namespace sim::reports
