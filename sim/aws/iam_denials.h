#pragma once
// The IAM denials of a run, grouped and explained: what `albtwin explain-iam` prints.
//
//   IamDenialQuery q;            // every denial, one explanation per distinct denial
//   q.call_number = 57;          // or: only the denial(s) of the 57th AWS call of the run
//   q.operation = "CreateTargetGroup";  // or: denials of this API call or IAM action name
//   IamDenialReport r = SelectIamDenials(authorizer.denials(), q);
//   std::cout << RenderIamDenials(r, "lab-policy-without-addtags", /*all_statements=*/false);
//
// Call numbers are 1-based positions in the run's ApiCallLog (every caller), the order in which
// the fakes served the calls: a denial's AuthzRecord::call_index + 1.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/aws/iam_authorizer.h"

namespace sim::aws {

struct IamDenialQuery {
  std::optional<size_t> call_number;  // 1-based; nullopt = any call
  std::string operation;              // "" = any; else the API call ("CreateTargetGroup") or the
                                      // IAM action, with or without prefix ("AddTags",
                                      // "elasticloadbalancing:AddTags")
};

// Denials with the same API call, action, resource, principal and outcome (a retried call).
struct IamDenialGroup {
  AuthzRecord first;                 // the first such denial, with its explanation
  std::vector<size_t> call_numbers;  // every call denied this way, 1-based, in order
};

struct IamDenialReport {
  size_t total_denials = 0;            // all denials of the run, before the query
  std::vector<IamDenialGroup> groups;  // the selected denials, grouped, in order of first denial
};

IamDenialReport SelectIamDenials(const std::vector<AuthzRecord>& denials, const IamDenialQuery& query);

// Plain text: a header line, then per group "[k] <call> → <action> on <resource>, denied N times
// (calls #a, #b, ...), first at <t>" and the full RenderIamExplanation of its first denial.
// "" groups: a line saying that no call was denied (or none matched the query).
std::string RenderIamDenials(const IamDenialReport& report, const std::string& scenario, bool all_statements = false);

}  // namespace sim::aws
