#include "reports/html_report.h"

#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "reports/graph.h"

namespace sim::reports {
namespace {

using scenario::RunRecord;

const char* kCss = R"css(
:root { --ok: #1b7f3b; --bad: #c62828; --k8s: #326ce5; --aws: #d47f00; --muted: #666; --line: #ddd; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 4px; }
.muted, .meta { color: var(--muted); }
.verdict { display: inline-block; font-weight: bold; padding: 4px 12px; border-radius: 4px; color: #fff; margin: 6px 0; }
.verdict.pass { background: var(--ok); }
.verdict.fail { background: var(--bad); }
nav a { margin-right: 14px; color: var(--k8s); text-decoration: none; }
.flow { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; margin: 8px 0; }
.flow li { flex: 1 1 180px; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; position: relative; }
.flow li:not(:last-child)::after { content: "→"; position: absolute; right: -9px; top: 40%; color: var(--muted); }
.seq { display: inline-block; min-width: 22px; height: 22px; line-height: 22px; border-radius: 11px; background: var(--aws); color: #fff; text-align: center; font-weight: bold; font-size: 12px; margin-right: 6px; }
.seq.k8s { background: var(--k8s); }
ol.timeline { list-style: none; padding: 0; margin: 0; }
.step { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--ok); border-radius: 4px; padding: 10px 14px; margin: 10px 0; }
.step.fail { border-left-color: var(--bad); }
.step .time { color: var(--muted); font-weight: normal; font-size: 12px; margin-left: 8px; }
.changes { list-style: none; padding-left: 0; margin: 6px 0; }
.changes li { margin: 2px 0; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; }
.add { color: var(--ok); } .del { color: var(--bad); } .ev { color: var(--k8s); }
.error { color: var(--bad); font-weight: bold; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 12.5px; margin: 6px 0; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
tr.fail td { background: #fdecea; }
td.ok { color: var(--ok); font-weight: bold; } td.bad { color: var(--bad); font-weight: bold; }
pre { background: #fff; border: 1px solid var(--line); padding: 10px; overflow-x: auto; font-size: 12.5px; }
details { margin: 6px 0; } summary { cursor: pointer; color: #333; }
figure.graph { background: #fff; border: 1px solid var(--line); margin: 8px 0; padding: 8px; overflow-x: auto; }
figure.graph svg { height: auto; }
figure.graph figcaption { color: var(--muted); font-size: 12px; }
.hops { list-style: none; padding-left: 0; margin: 4px 0; }
.hops li { margin: 2px 0; }
.hops .kind { display: inline-block; min-width: 110px; font-weight: bold; }
.hops .bad { color: var(--bad); }
.hops .fields { color: var(--muted); font-size: 12px; margin-left: 118px; }
.legend span { margin-right: 16px; font-size: 12px; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 2px solid; border-radius: 3px; vertical-align: middle; margin-right: 4px; }
)css";

// Measures each drawn graph once the page is laid out, so a headless browser's DOM dump shows the
// graphs were drawn (data-rendered="WIDTHxHEIGHT"). The page reads the same without it.
const char* kScript = R"js(
window.addEventListener('load', function () {
  document.querySelectorAll('figure.graph svg').forEach(function (svg) {
    var b = svg.getBBox();
    svg.closest('figure').setAttribute('data-rendered', Math.round(b.width) + 'x' + Math.round(b.height));
  });
});
)js";

std::string Esc(const std::string& s) { return HtmlEscape(s); }

std::string Seq(int n) {
  if (n <= 0) return "";
  return std::string("<span class=\"seq") + (n == 1 ? " k8s" : "") + "\" title=\"controller step " +
         std::to_string(n) + "\">" + std::to_string(n) + "</span>";
}

std::string GraphFigure(const GraphInput& input, const std::string& caption, const HtmlOptions& options,
                        const std::string& css_id) {
  std::ostringstream out;
  out << "<figure class=\"graph\"" << (css_id.empty() ? "" : " id=\"" + css_id + "\"") << ">";
  if (!options.graphs) {
    out << "<p class=\"muted\">(graph not drawn: graphs were turned off)</p>";
  } else {
    auto g = BuildResourceGraph(input);
    if (!g.ok()) {
      out << "<p class=\"error\">graph unavailable: " << Esc(g.error().message) << "</p>";
    } else {
      auto svg = RenderSvg(RenderDot(g.value()));
      if (!svg.ok()) {
        out << "<p class=\"error\">graph unavailable: " << Esc(svg.error().message) << "</p>";
      } else {
        out << InlineSvg(svg.value());
      }
    }
  }
  out << "<figcaption>" << Esc(caption) << "</figcaption></figure>\n";
  return out.str();
}

bool IngressApply(const scenario::StepRecord& s) {
  // "IngressClass alb" does not contain "Ingress " (with the space).
  return s.kind == "apply" && s.detail.find("Ingress ") != std::string::npos;
}

std::string NoteHtml(const std::string& note) {
  std::string cls = note.rfind("+ ", 0) == 0 ? "add" : note.rfind("- ", 0) == 0 ? "del" : note.rfind("event ", 0) == 0 ? "ev" : "";
  return "<li" + (cls.empty() ? std::string() : " class=\"" + cls + "\"") + ">" + Seq(ControllerStepOfNote(note)) +
         Esc(note) + "</li>";
}

void RenderTrace(const scenario::TraceRecord& t, std::ostream& out) {
  const auto& r = t.trace.result;
  out << "<ul class=\"hops\">";
  for (const auto& h : t.trace.hops) {
    out << "<li><span class=\"kind" << (h.ok ? "" : " bad") << "\">" << (h.ok ? "→ " : "✗ ") << Esc(h.kind) << "</span>"
        << Esc(h.name);
    if (!h.detail.empty()) out << " <span class=\"muted\">— " << Esc(h.detail) << "</span>";
    std::vector<std::string> extra;
    for (const auto& f : h.fields) extra.push_back(f.key + ": " + f.value);
    for (const auto& s : h.skipped) extra.push_back("skipped " + traffic::SkippedText(s));
    for (const auto& e : extra) out << "<div class=\"fields\">" << Esc(e) << "</div>";
    out << "</li>";
  }
  out << "</ul>";
  out << "<p><b>result:</b> " << (r.status ? std::to_string(r.status) : std::string("no response"));
  if (!r.failed_at.empty()) out << " — stopped at <b>" << Esc(r.failed_at) << "</b>: " << Esc(r.reason);
  if (!r.pod.empty()) out << " — served by pod " << Esc(r.pod);
  if (!r.location.empty()) out << " — Location: " << Esc(r.location);
  out << "</p>";
  if (t.count > 1) {
    out << "<p>distribution over " << t.count << " requests:";
    for (const auto& [k, v] : t.distribution) out << " " << Esc(k) << "=" << v;
    out << "</p>";
  }
}

}  // namespace

std::string HtmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

int ControllerStepOfNote(const std::string& note) {
  if (note.rfind("+ load balancer ", 0) == 0) return 2;
  if (note.rfind("+ target group ", 0) == 0) return 3;
  if (note.rfind("+ listener ", 0) == 0) return 4;
  if (note.rfind("+ rule ", 0) == 0) return 5;
  return 0;
}

int ControllerStepOfCall(const std::string& call) {
  if (call == "CreateLoadBalancer") return 2;
  if (call == "CreateTargetGroup") return 3;
  if (call == "CreateListener") return 4;
  if (call == "CreateRule") return 5;
  return 0;
}

std::string RenderHtml(const RunRecord& rec, const HtmlOptions& options) {
  std::ostringstream out;
  const std::string name = rec.scenario.empty() ? rec.file : rec.scenario;
  size_t failed = 0;
  for (const auto& e : rec.expectations) failed += e.ok ? 0 : 1;
  size_t failed_steps = 0;
  for (const auto& s : rec.steps) failed_steps += s.ok ? 0 : 1;

  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>albtwin: " << Esc(name) << "</title>\n<style>" << kCss << "</style>\n</head>\n<body>\n<main>\n";
  out << "<header>\n<h1>albtwin: " << Esc(name) << "</h1>\n";
  if (!rec.description.empty()) out << "<p class=\"description\">" << Esc(rec.description) << "</p>\n";
  out << "<p class=\"meta\">" << Esc(rec.file) << " · seed " << rec.seed << " · simulated time "
      << Esc(FormatSeconds(rec.end_time)) << "</p>\n";
  if (!rec.fatal_error.empty()) {
    out << "<p class=\"verdict fail\">ERROR</p>\n<pre class=\"error\">" << Esc(rec.fatal_error) << "</pre>\n";
  } else if (rec.passed) {
    out << "<p class=\"verdict pass\">PASSED</p> <span>" << rec.expectations.size() << " expectation(s) held</span>\n";
  } else {
    out << "<p class=\"verdict fail\">FAILED</p> <span>" << failed << " of " << rec.expectations.size()
        << " expectation(s) failed, " << failed_steps << " step(s) failed</span>\n";
  }
  out << "</header>\n";
  out << "<nav><a href=\"#how\">How it works</a><a href=\"#resources\">Resources</a><a href=\"#timeline\">Timeline</a>"
         "<a href=\"#requests\">Requests</a><a href=\"#expectations\">Expectations</a><a href=\"#api-calls\">AWS API "
         "calls</a><a href=\"#events\">Kubernetes events</a>"
      << (options.scenario_source.empty() ? "" : "<a href=\"#scenario\">Scenario</a>") << "</nav>\n";

  out << "<section id=\"how\">\n<h2>How the controller works</h2>\n<ol class=\"flow\">\n"
      << "<li>" << Seq(1) << "The controller watches the API server for Ingress events; an Ingress of its class starts a reconcile.</li>\n"
      << "<li>" << Seq(2) << "An application load balancer (ALB) is created for the Ingress (or its group).</li>\n"
      << "<li>" << Seq(3) << "A target group is created for each Service port the Ingress uses.</li>\n"
      << "<li>" << Seq(4) << "A listener is created for each port the Ingress asks for (HTTP:80 by default).</li>\n"
      << "<li>" << Seq(5) << "Rules are created for each host and path of the Ingress, forwarding to the target groups.</li>\n"
      << "</ol>\n<p class=\"muted\">The timeline below marks each of these with its number when the controller does it.</p>\n"
      << "</section>\n";

  if (!rec.fatal_error.empty()) {
    out << "</main>\n</body>\n</html>\n";
    return out.str();
  }

  // Resources at the end.
  out << "<section id=\"resources\">\n<h2>Resources at the end (t=" << Esc(FormatSeconds(rec.end_time)) << ")</h2>\n";
  out << "<p class=\"legend\"><span><i class=\"swatch\" style=\"border-color:#326ce5;background:#e8effc\"></i>Kubernetes "
         "object</span><span><i class=\"swatch\" style=\"border-color:#d47f00;background:#fff4e0\"></i>AWS "
         "resource</span><span><i class=\"swatch\" style=\"border-color:#7a5ea8;background:#f3f0f8\"></i>security group / "
         "subnet</span><span>dashed grey: owned through the ingress.k8s.aws/stack tag</span></p>\n";
  GraphInput final_state;
  final_state.aws_json = rec.aws_json;
  final_state.kubernetes_json = rec.kubernetes_json;
  out << GraphFigure(final_state, "Kubernetes objects and AWS resources at the end of the run", options, "final-graph");
  out << "</section>\n";

  // Timeline.
  std::map<int, std::vector<const scenario::TraceRecord*>> traces;
  for (const auto& t : rec.traces) traces[t.step].push_back(&t);
  std::map<int, std::vector<const scenario::ExpectationRecord*>> exps;
  for (const auto& e : rec.expectations) exps[e.step].push_back(&e);
  out << "<section id=\"timeline\">\n<h2>Timeline</h2>\n<ol class=\"timeline\">\n";
  for (const auto& s : rec.steps) {
    out << "<li class=\"step" << (s.ok ? "" : " fail") << "\" id=\"step-" << (s.index + 1) << "\">\n<h3>Step "
        << (s.index + 1) << " · " << Esc(s.kind) << "<span class=\"time\">line " << s.loc.line << ", t="
        << Esc(FormatSeconds(s.started));
    if (s.finished != s.started) out << " → " << Esc(FormatSeconds(s.finished));
    out << "</span></h3>\n";
    if (!s.detail.empty()) out << "<p>" << (IngressApply(s) ? Seq(1) : "") << Esc(s.detail) << "</p>\n";
    if (!s.notes.empty()) {
      out << "<ul class=\"changes\">";
      for (const auto& n : s.notes) out << NoteHtml(n);
      out << "</ul>\n";
    }
    for (const auto& e : s.errors) out << "<p class=\"error\">✗ " << Esc(e) << "</p>\n";
    // The controller's AWS calls in this step.
    std::vector<const aws::ApiCallRecord*> calls;
    for (size_t i = s.api_calls_begin; i < s.api_calls_end && i < rec.api_calls.size(); ++i) {
      calls.push_back(&rec.api_calls[i]);
    }
    if (!calls.empty()) {
      std::map<std::string, int> by_op;
      for (const auto* c : calls) by_op[c->call]++;
      out << "<details><summary>" << calls.size() << " AWS API call(s):";
      for (const auto& [k, v] : by_op) out << " " << Esc(k) << "×" << v;
      out << "</summary>\n<table><tr><th>t</th><th>caller</th><th>service</th><th>call</th><th>result</th></tr>\n";
      for (const auto* c : calls) {
        out << "<tr" << (c->ok ? "" : " class=\"fail\"") << "><td>" << Esc(FormatSeconds(c->t)) << "</td><td>"
            << Esc(c->caller) << "</td><td>" << Esc(c->service) << "</td><td>" << Seq(ControllerStepOfCall(c->call))
            << Esc(c->call) << "</td><td>"
            << (c->ok ? std::string("ok") : Esc(c->error_code + ": " + c->error_message)) << "</td></tr>\n";
      }
      out << "</table></details>\n";
    }
    for (const auto* t : traces[s.index]) {
      out << "<p>request <b>" << Esc(t->trace.request.method + " " + t->trace.request.url) << "</b> — see <a href=\"#trace-"
          << (s.index + 1) << "\">its trace</a></p>\n";
    }
    for (const auto* e : exps[s.index]) {
      out << "<p class=\"" << (e->ok ? "add" : "error") << "\">" << (e->ok ? "✓ " : "✗ ") << Esc(e->message) << "</p>\n";
    }
    bool aws_changed = false;
    for (const auto& n : s.notes) aws_changed |= n.rfind("+ ", 0) == 0 || n.rfind("- ", 0) == 0;
    if (aws_changed && !s.aws_json.empty()) {
      auto in = GraphInputAt(rec, s.index);
      if (in.ok()) {
        out << "<details><summary>resource graph after this step</summary>\n"
            << GraphFigure(in.value(), in.value().title, options, "") << "</details>\n";
      }
    }
    out << "</li>\n";
  }
  out << "</ol>\n</section>\n";

  // Requests.
  out << "<section id=\"requests\">\n<h2>Requests</h2>\n";
  if (rec.traces.empty()) out << "<p class=\"muted\">No request was sent.</p>\n";
  std::set<int> anchored;
  for (const auto& t : rec.traces) {
    const auto& r = t.trace.result;
    bool served = r.failed_at.empty() && r.status != 0;
    out << "<div class=\"trace\"" << (anchored.insert(t.step).second ? " id=\"trace-" + std::to_string(t.step + 1) + "\"" : "")
        << ">\n<h3>Step " << (t.step + 1) << ": " << Esc(t.trace.request.method + " " + t.trace.request.url) << " → "
        << (r.status ? std::to_string(r.status) : std::string("no response"))
        << (served ? "" : " (stopped at " + Esc(r.failed_at) + ")") << "</h3>\n";
    RenderTrace(t, out);
    GraphInput in;
    auto at = GraphInputAt(rec, t.step);
    if (at.ok()) {
      in = at.value();
    } else {
      in.aws_json = rec.aws_json;
      in.kubernetes_json = rec.kubernetes_json;
    }
    in.trace = &t.trace;
    in.title = "";
    out << "<details><summary>the path on the resource graph</summary>\n"
        << GraphFigure(in, "the request's path in red" + std::string(served ? "" : "; the hop where it stopped is filled red"),
                       options, "")
        << "</details>\n</div>\n";
  }
  out << "</section>\n";

  // Expectations.
  out << "<section id=\"expectations\">\n<h2>Expectations</h2>\n";
  if (rec.expectations.empty()) {
    out << "<p class=\"muted\">The scenario checks no expectation.</p>\n";
  } else {
    out << "<table><tr><th>step</th><th>line</th><th>result</th><th>check</th></tr>\n";
    for (const auto& e : rec.expectations) {
      out << "<tr" << (e.ok ? "" : " class=\"fail\"") << "><td>" << (e.step + 1) << "</td><td>" << e.loc.line
          << "</td><td class=\"" << (e.ok ? "ok\">pass" : "bad\">FAIL") << "</td><td>" << Esc(e.message) << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  out << "<p>" << (rec.expectations.size() - failed) << " passed, " << failed << " failed</p>\n</section>\n";

  // API calls.
  out << "<section id=\"api-calls\">\n<h2>AWS API calls</h2>\n";
  std::map<std::pair<std::string, std::string>, std::pair<int, int>> totals;  // (caller, call) -> (calls, errors)
  for (const auto& c : rec.api_calls) {
    auto& t = totals[{c.caller, c.call}];
    t.first++;
    t.second += c.ok ? 0 : 1;
  }
  if (totals.empty()) {
    out << "<p class=\"muted\">No AWS API call was made.</p>\n";
  } else {
    out << "<table><tr><th>caller</th><th>call</th><th>calls</th><th>errors</th></tr>\n";
    for (const auto& [k, v] : totals) {
      out << "<tr><td>" << Esc(k.first) << "</td><td>" << Seq(ControllerStepOfCall(k.second)) << Esc(k.second)
          << "</td><td>" << v.first << "</td><td>" << v.second << "</td></tr>\n";
    }
    out << "</table>\n<p class=\"muted\">Each step's calls are listed, in order, in the timeline.</p>\n";
  }
  out << "</section>\n";

  // Events.
  out << "<section id=\"events\">\n<h2>Kubernetes events</h2>\n";
  if (rec.events.empty()) {
    out << "<p class=\"muted\">No event was emitted.</p>\n";
  } else {
    out << "<table><tr><th>time</th><th>object</th><th>type</th><th>reason</th><th>message</th><th>count</th><th>source</th></tr>\n";
    for (const auto& e : rec.events) {
      out << "<tr" << (e.type == "Warning" ? " class=\"fail\"" : "") << "><td>" << Esc(e.time) << "</td><td>"
          << Esc(e.object) << "</td><td>" << Esc(e.type) << "</td><td>" << Esc(e.reason) << "</td><td>" << Esc(e.message)
          << "</td><td>" << e.count << "</td><td>" << Esc(e.component) << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  out << "</section>\n";

  if (!options.scenario_source.empty()) {
    out << "<section id=\"scenario\">\n<h2>Scenario</h2>\n<pre>" << Esc(options.scenario_source) << "</pre>\n</section>\n";
  }
  out << "</main>\n<script>" << kScript << "</script>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace sim::reports
