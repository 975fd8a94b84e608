#include "reports/text_report.h"

#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "reports/owners.h"

namespace sim::reports {
namespace {

struct Palette {
  bool on;
  std::string green() const { return on ? "\033[32m" : ""; }
  std::string red() const { return on ? "\033[31m" : ""; }
  std::string yellow() const { return on ? "\033[33m" : ""; }
  std::string dim() const { return on ? "\033[2m" : ""; }
  std::string bold() const { return on ? "\033[1m" : ""; }
  std::string reset() const { return on ? "\033[0m" : ""; }
};

std::string Pad(const std::string& s, size_t n) { return s.size() >= n ? s + " " : s + std::string(n - s.size(), ' '); }

// The AWS resources at the end of the run, as a tree: LB -> listener -> rules; then TGs.
void RenderResources(const std::string& aws_json, std::ostream& out) {
  auto aws = nlohmann::json::parse(aws_json.empty() ? "{}" : aws_json, nullptr, false);
  if (aws.is_discarded() || !aws.is_object()) return;
  std::map<std::string, std::string> tg_names;
  for (const auto& tg : aws.value("TargetGroups", nlohmann::json::array())) {
    tg_names[tg.value("TargetGroupArn", "")] = tg.value("TargetGroupName", "");
  }
  auto action_text = [&](const nlohmann::json& a) -> std::string {
    const std::string type = a.value("Type", "");
    if (type == "forward") {
      std::string s = "forward to";
      const auto fc = a.value("ForwardConfig", nlohmann::json::object());
      const auto tgs = fc.value("TargetGroups", nlohmann::json::array());
      for (size_t i = 0; i < tgs.size(); ++i) {
        s += (i ? ", " : " ") + tg_names[tgs[i].value("TargetGroupArn", "")];
        if (tgs.size() > 1 && tgs[i].contains("Weight")) s += " (weight " + tgs[i]["Weight"].dump() + ")";
      }
      return s;
    }
    if (type == "fixed-response") {
      const auto f = a.value("FixedResponseConfig", nlohmann::json::object());
      return "fixed-response " + f.value("StatusCode", "");
    }
    if (type == "redirect") {
      const auto r = a.value("RedirectConfig", nlohmann::json::object());
      return "redirect " + r.value("StatusCode", "") + " to " + r.value("Protocol", "#{protocol}") + "://" +
             r.value("Host", "#{host}") + ":" + r.value("Port", "#{port}") + r.value("Path", "/#{path}");
    }
    return type;
  };
  auto cond_text = [](const nlohmann::json& c) {
    std::string field = c.value("Field", "");
    std::vector<std::string> vals;
    for (const char* cfg : {"HostHeaderConfig", "PathPatternConfig", "HttpRequestMethodConfig", "SourceIpConfig"}) {
      if (c.contains(cfg)) {
        for (const auto& v : c[cfg].value("Values", nlohmann::json::array())) vals.push_back(v.get<std::string>());
        for (const auto& v : c[cfg].value("RegexValues", nlohmann::json::array())) vals.push_back("~" + v.get<std::string>());
      }
    }
    if (c.contains("HttpHeaderConfig")) {
      field += " " + c["HttpHeaderConfig"].value("HttpHeaderName", "");
      for (const auto& v : c["HttpHeaderConfig"].value("Values", nlohmann::json::array())) vals.push_back(v.get<std::string>());
    }
    if (c.contains("QueryStringConfig")) {
      for (const auto& v : c["QueryStringConfig"].value("Values", nlohmann::json::array())) {
        vals.push_back((v.contains("Key") ? v["Key"].get<std::string>() + "=" : "") + v.value("Value", ""));
      }
    }
    if (vals.empty()) {
      for (const auto& v : c.value("Values", nlohmann::json::array())) vals.push_back(v.get<std::string>());
    }
    std::string s = field + " [";
    for (size_t i = 0; i < vals.size(); ++i) s += (i ? ", " : "") + vals[i];
    return s + "]";
  };
  const std::map<std::string, std::string> owners = OwnersByTags(aws_json);
  auto owned_by = [&](const std::string& id) {
    auto it = owners.find(id);
    return it == owners.end() ? std::string() : " — owner: " + it->second;
  };
  const auto lbs = aws.value("LoadBalancers", nlohmann::json::array());
  if (lbs.empty()) out << "  (no load balancers)\n";
  for (const auto& lb : lbs) {
    out << "  load balancer " << lb.value("LoadBalancerName", "") << " (" << lb.value("Scheme", "") << ", "
        << lb.value("State", nlohmann::json::object()).value("Code", "") << ")"
        << owned_by(lb.value("LoadBalancerArn", "")) << "\n";
    out << "    dns " << lb.value("DNSName", "") << "\n";
    for (const auto& l : aws.value("Listeners", nlohmann::json::array())) {
      if (l.value("LoadBalancerArn", "") != lb.value("LoadBalancerArn", "")) continue;
      out << "    listener " << l.value("Protocol", "") << ":" << l.value("Port", 0) << "\n";
      for (const auto& r : aws.value("Rules", nlohmann::json::array())) {
        const std::string arn = r.value("RuleArn", "");
        std::string larn = l.value("ListenerArn", "");
        std::string rule_prefix = larn;
        auto pos = rule_prefix.find(":listener/");
        if (pos != std::string::npos) rule_prefix.replace(pos, 10, ":listener-rule/");
        if (arn.rfind(rule_prefix + "/", 0) != 0) continue;
        std::string conds;
        for (const auto& c : r.value("Conditions", nlohmann::json::array())) conds += (conds.empty() ? "" : " AND ") + cond_text(c);
        std::string acts;
        for (const auto& a : r.value("Actions", nlohmann::json::array())) acts += (acts.empty() ? "" : "; ") + action_text(a);
        out << "      " << Pad("rule " + r.value("Priority", ""), 14) << (conds.empty() ? "(any request)" : conds)
            << " -> " << acts << "\n";
      }
    }
  }
  for (const auto& tg : aws.value("TargetGroups", nlohmann::json::array())) {
    const std::string arn = tg.value("TargetGroupArn", "");
    std::map<std::string, int> states;
    int n = 0;
    for (const auto& th : aws.value("TargetHealth", nlohmann::json::object()).value(arn, nlohmann::json::array())) {
      states[th.value("TargetHealth", nlohmann::json::object()).value("State", "")]++;
      ++n;
    }
    std::string s;
    for (const auto& [k, v] : states) s += (s.empty() ? "" : ", ") + std::to_string(v) + " " + k;
    out << "  target group " << tg.value("TargetGroupName", "") << " (" << tg.value("TargetType", "") << ", "
        << tg.value("Protocol", "") << ":" << tg.value("Port", 0) << "): " << n << " target(s)"
        << (s.empty() ? "" : " — " + s) << owned_by(arn) << "\n";
  }
  for (const auto& sg : aws.value("SecurityGroups", nlohmann::json::array())) {
    const std::string name = sg.value("GroupName", "");
    if (name.rfind("k8s-", 0) != 0) continue;
    out << "  security group " << name << " (" << sg.value("GroupId", "") << ")" << owned_by(sg.value("GroupId", ""))
        << "\n";
  }
}

}  // namespace

std::string RenderTraceText(const traffic::Trace& t, const TextOptions& options) {
  Palette p{options.color};
  std::ostringstream out;
  for (const auto& h : t.hops) {
    out << "      " << (h.ok ? p.green() + "→ " : p.red() + "✗ ") << p.reset() << Pad(h.kind, 15) << h.name;
    if (!h.detail.empty()) out << p.dim() << "  — " << h.detail << p.reset();
    out << "\n";
    for (const auto& f : h.fields) out << "          " << p.dim() << f.key << ": " << f.value << p.reset() << "\n";
    for (const auto& s : h.skipped) {
      out << "          " << p.dim() << "skipped " << traffic::SkippedText(s) << p.reset() << "\n";
    }
  }
  return out.str();
}

std::string RenderText(const scenario::RunRecord& rec, const TextOptions& options) {
  Palette p{options.color};
  std::ostringstream out;
  out << p.bold() << "albtwin: " << (rec.scenario.empty() ? rec.file : rec.scenario) << p.reset();
  if (!rec.description.empty()) out << " — " << rec.description;
  out << "\n";
  if (!rec.fatal_error.empty()) {
    out << p.red() << rec.fatal_error << p.reset() << "\n";
    return out.str();
  }
  out << p.dim() << rec.file << ", seed " << rec.seed << p.reset() << "\n\n";
  std::map<int, std::vector<const scenario::TraceRecord*>> traces;
  for (const auto& t : rec.traces) traces[t.step].push_back(&t);
  std::map<int, std::vector<const scenario::ExpectationRecord*>> exps;
  for (const auto& e : rec.expectations) exps[e.step].push_back(&e);
  for (const auto& s : rec.steps) {
    if (options.quiet && s.ok) continue;
    out << (s.ok ? p.green() : p.red()) << "[" << (s.index + 1) << "] " << s.kind << p.reset() << p.dim() << "  line "
        << s.loc.line << ", t=" << FormatSeconds(s.started);
    if (s.finished != s.started) out << " → " << FormatSeconds(s.finished);
    out << p.reset() << "\n";
    if (!s.detail.empty()) out << "    " << s.detail << "\n";
    if (!options.quiet) {
      for (const auto& n : s.notes) out << "    " << n << "\n";
      const aws::CallTally tally = aws::TallyCalls(rec.api_calls, "controller", s.api_calls_begin, s.api_calls_end);
      if (!tally.by_operation.empty()) {
        out << "    " << p.dim() << "controller AWS calls:";
        for (const auto& [k, v] : tally.by_operation) out << " " << k << "×" << v;
        out << p.reset() << "\n";
      }
      if (!tally.errors.empty()) {
        out << "    " << p.yellow() << "controller AWS errors:";
        for (const auto& [k, v] : tally.errors) out << " " << k.first << " " << k.second << "×" << v;
        out << p.reset() << "\n";
      }
      for (const auto* t : traces[s.index]) {
        out << RenderTraceText(t->trace, options);
        if (t->count > 1) {
          out << "      distribution over " << t->count << " requests:";
          for (const auto& [k, v] : t->distribution) out << " " << k << "=" << v;
          out << "\n";
        }
      }
      for (const auto* e : exps[s.index]) {
        if (e->ok) out << "    " << p.green() << "✓ " << p.reset() << e->message << "\n";
      }
    }
    for (const auto& e : s.errors) out << "    " << p.red() << "✗ " << e << p.reset() << "\n";
  }
  if (!options.quiet) {
    out << "\n" << p.bold() << "AWS at t=" << FormatSeconds(rec.end_time) << p.reset() << "\n";
    RenderResources(rec.aws_json, out);
  }
  size_t failed = 0;
  for (const auto& e : rec.expectations) failed += e.ok ? 0 : 1;
  size_t failed_steps = 0;
  for (const auto& s : rec.steps) failed_steps += s.ok ? 0 : 1;
  if (!options.quiet || failed_steps > 0) out << "\n";  // quiet and all well: no empty step list to set off
  if (rec.passed) {
    out << p.green() << "PASSED" << p.reset() << ": " << rec.expectations.size() << " expectation(s) held\n";
  } else {
    out << p.red() << "FAILED" << p.reset() << ": " << failed << " of " << rec.expectations.size()
        << " expectation(s) failed, " << failed_steps << " step(s) failed\n";
  }
  return out.str();
}

}  // namespace sim::reports
