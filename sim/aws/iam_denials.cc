#include "sim/aws/iam_denials.h"

#include <algorithm>
#include <sstream>
#include <tuple>

namespace sim::aws {

namespace {

bool MatchesOperation(const AuthzRecord& r, const std::string& op) {
  if (op.empty()) return true;
  if (r.request.api_call == op || r.request.action == op) return true;
  const size_t colon = r.request.action.find(':');
  return colon != std::string::npos && r.request.action.substr(colon + 1) == op;
}

auto GroupKey(const AuthzRecord& r) {
  return std::make_tuple(r.request.api_call, r.request.action, r.request.resource, r.request.principal_arn,
                         r.explanation.summary);
}

}  // namespace

IamDenialReport SelectIamDenials(const std::vector<AuthzRecord>& denials, const IamDenialQuery& query) {
  IamDenialReport report;
  report.total_denials = denials.size();
  for (const AuthzRecord& r : denials) {
    if (query.call_number && r.call_index + 1 != *query.call_number) continue;
    if (!MatchesOperation(r, query.operation)) continue;
    IamDenialGroup* group = nullptr;
    for (auto& g : report.groups) {
      if (GroupKey(g.first) == GroupKey(r)) {
        group = &g;
        break;
      }
    }
    if (group == nullptr) {
      report.groups.push_back(IamDenialGroup{r, {}});
      group = &report.groups.back();
    }
    group->call_numbers.push_back(r.call_index + 1);
  }
  return report;
}

std::string RenderIamDenials(const IamDenialReport& report, const std::string& scenario, bool all_statements) {
  std::ostringstream out;
  size_t selected = 0;
  for (const auto& g : report.groups) selected += g.call_numbers.size();
  out << scenario << ": " << report.total_denials << " AWS call" << (report.total_denials == 1 ? "" : "s")
      << " denied by IAM";
  if (report.total_denials == 0) {
    out << "\n";
    return out.str();
  }
  if (selected != report.total_denials) out << ", " << selected << " selected";
  out << ", " << report.groups.size() << " distinct\n";
  if (report.groups.empty()) {
    out << "no denied call matches the query\n";
    return out.str();
  }
  for (size_t i = 0; i < report.groups.size(); ++i) {
    const IamDenialGroup& g = report.groups[i];
    const AuthzRequest& r = g.first.request;
    out << "\n[" << (i + 1) << "] " << (r.api_call.empty() ? r.action : r.api_call);
    if (!r.api_call.empty() && r.action.substr(r.action.find(':') + 1) != r.api_call) out << " -> " << r.action;
    out << " on " << (r.resource.empty() || r.resource == "*" ? "\"*\"" : r.resource) << " by " << g.first.caller
        << ": denied " << g.call_numbers.size() << (g.call_numbers.size() == 1 ? " time" : " times") << " (call";
    if (g.call_numbers.size() > 1) out << "s";
    const size_t shown = std::min<size_t>(g.call_numbers.size(), 8);
    for (size_t k = 0; k < shown; ++k) out << (k ? ", #" : " #") << g.call_numbers[k];
    if (shown < g.call_numbers.size()) out << ", ...";
    out << "), first at " << FormatSeconds(g.first.t) << "\n";
    out << RenderIamExplanation(g.first.explanation, all_statements);
  }
  return out.str();
}

}  // namespace sim::aws
