#include "reports/json_report.h"

#include <nlohmann/json.hpp>

#include "reports/owners.h"

namespace sim::reports {
namespace {

using nlohmann::ordered_json;

ordered_json TraceJson(const traffic::Trace& t) {
  ordered_json req = {{"url", t.request.url},
                      {"method", t.request.method},
                      {"from", t.request.from},
                      {"sourceIp", t.request.source_ip},
                      {"headers", ordered_json::object()}};
  for (const auto& [k, v] : t.request.headers) req["headers"][k] = v;
  ordered_json hops = ordered_json::array();
  for (const auto& h : t.hops) {
    ordered_json hop = {{"kind", h.kind}, {"name", h.name}, {"ok", h.ok}, {"detail", h.detail}};
    if (!h.fields.empty()) {
      ordered_json f = ordered_json::object();
      for (const auto& kv : h.fields) f[kv.key] = kv.value;
      hop["fields"] = f;
    }
    if (!h.skipped.empty()) hop["skippedRules"] = h.skipped.Texts();
    hops.push_back(hop);
  }
  const auto& r = t.result;
  ordered_json res = {{"status", r.status}};
  res["served"] = r.failed_at.empty() && r.status != 0;
  if (!r.failed_at.empty()) res["failedAt"] = r.failed_at;
  res["reason"] = r.reason;
  if (r.rule_priority) res["rulePriority"] = *r.rule_priority;
  if (!r.service.empty()) res["service"] = r.service;
  if (!r.target_group.empty()) res["targetGroup"] = r.target_group;
  if (!r.target.empty()) res["target"] = r.target;
  if (!r.pod.empty()) res["pod"] = r.pod;
  if (!r.pod_ip.empty()) res["podIp"] = r.pod_ip;
  if (!r.location.empty()) res["location"] = r.location;
  return {{"request", req}, {"hops", hops}, {"result", res}};
}

ordered_json ParseOr(const std::string& text, ordered_json fallback) {
  if (text.empty()) return fallback;
  auto j = ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? fallback : j;
}

}  // namespace

std::string RenderTraceJson(const traffic::Trace& trace) { return TraceJson(trace).dump(2); }

std::string RenderJson(const scenario::RunRecord& rec) {
  ordered_json doc;
  doc["scenario"] = rec.scenario;
  doc["file"] = rec.file;
  doc["seed"] = rec.seed;
  doc["passed"] = rec.passed;
  doc["exitCode"] = rec.exit_code;
  if (!rec.fatal_error.empty()) doc["error"] = rec.fatal_error;
  doc["endTime"] = FormatSeconds(rec.end_time);

  ordered_json steps = ordered_json::array();
  for (const auto& s : rec.steps) {
    ordered_json j = {{"index", s.index}, {"kind", s.kind}, {"ok", s.ok}, {"detail", s.detail}};
    j["line"] = s.loc.line;
    j["started"] = FormatSeconds(s.started);
    j["finished"] = FormatSeconds(s.finished);
    if (!s.notes.empty()) j["changes"] = s.notes;
    if (!s.errors.empty()) j["errors"] = s.errors;
    ordered_json calls = ordered_json::object();
    const aws::CallTally tally = aws::TallyCalls(rec.api_calls, "controller", s.api_calls_begin, s.api_calls_end);
    std::map<std::string, size_t> errors;  // by error code
    for (const auto& [call_code, n] : tally.errors) errors[call_code.second] += n;
    for (const auto& [k, v] : tally.by_operation) calls[k] = v;
    j["apiCalls"] = calls;
    if (!errors.empty()) {
      ordered_json e = ordered_json::object();
      for (const auto& [k, v] : errors) e[k] = v;
      j["apiErrors"] = e;
    }
    steps.push_back(j);
  }
  doc["steps"] = steps;

  ordered_json exps = ordered_json::array();
  for (const auto& e : rec.expectations) {
    exps.push_back({{"step", e.step}, {"ok", e.ok}, {"message", e.message}, {"line", e.loc.line}});
  }
  doc["expectations"] = exps;
  doc["aws"] = ParseOr(rec.aws_json, ordered_json::object());
  // Which Kubernetes object owns each resource, by its tags (ARN or security-group ID -> owner).
  ordered_json owners = ordered_json::object();
  for (const auto& [id, owner] : OwnersByTags(rec.aws_json)) owners[id] = owner;
  doc["owners"] = owners;
  doc["kubernetes"] = ParseOr(rec.kubernetes_json, ordered_json{{"items", ordered_json::array()}});

  ordered_json events = ordered_json::array();
  for (const auto& e : rec.events) {
    if (e.component != "ingress" && e.component != "targetGroupBinding") continue;
    events.push_back({{"time", e.time},
                      {"object", e.object},
                      {"type", e.type},
                      {"reason", e.reason},
                      {"message", e.message},
                      {"count", e.count},
                      {"source", e.component}});
  }
  doc["events"] = events;

  ordered_json calls = ordered_json::array();
  for (const auto& c : rec.api_calls) {
    ordered_json j = {{"t", FormatSeconds(c.t)}, {"caller", c.caller}, {"service", c.service}, {"call", c.call}};
    if (!c.params_digest.empty()) j["params"] = c.params_digest;
    j["ok"] = c.ok;
    j["error"] = c.ok ? ordered_json(nullptr) : ordered_json(c.error_code + ": " + c.error_message);
    if (c.injected) j["injected"] = true;
    calls.push_back(j);
  }
  doc["apiCalls"] = calls;

  ordered_json traces = ordered_json::array();
  for (const auto& t : rec.traces) {
    ordered_json j = TraceJson(t.trace);
    j["step"] = t.step;
    if (t.count > 1) {
      j["count"] = t.count;
      ordered_json d = ordered_json::object();
      for (const auto& [k, v] : t.distribution) d[k] = v;
      j["distribution"] = d;
    }
    traces.push_back(j);
  }
  doc["traces"] = traces;
  return doc.dump(2) + "\n";
}

}  // namespace sim::reports
