#pragma once
// Why an IAM decision came out as it did: for one AuthzRequest (one call, one action, one
// resource) and the policies in force, every statement considered, and for each whether its
// action, resource and each condition key matched, with the values compared. Backs
// `albtwin explain-iam` and the report's IAM section.
//
//   IamExplanation e = ExplainAuthorization(iam.PoliciesForPrincipal(principal), request);
//   std::cout << RenderIamExplanation(e);
//   e.summary  // one line: "denied: no statement allows elasticloadbalancing:AddTags on ...; ..."

#include <string>
#include <vector>

#include "sim/aws/authorizer.h"
#include "sim/aws/iam_policy.h"

namespace sim::aws {

struct ConditionExplanation {
  std::string op;                           // as written, "Null", "ForAnyValue:StringEquals", ...
  std::string key;                          // as written
  std::vector<std::string> policy_values;   // the statement's values
  bool key_present = false;                 // whether the request context had the key
  std::vector<std::string> request_values;  // the request's values (empty when absent)
  bool matched = false;
  std::string reason;                       // "key absent; Null \"false\" requires it present"
};

struct StatementExplanation {
  std::string policy_name;  // NamedPolicy::name
  std::string policy_arn;   // "" for inline policies
  std::string policy_kind;  // "managed" | "inline" | "trust"
  int index = 0;            // 0-based statement position in the policy
  std::string sid;
  std::string effect;       // "Allow" | "Deny"
  bool principal_matched = true;
  bool action_matched = false;
  std::string action_pattern;    // the Action pattern that matched, "" when none
  bool resource_matched = false;
  std::string resource_pattern;  // the Resource pattern that matched, "" when none
  bool not_resource = false;     // the statement uses NotResource
  std::vector<std::string> resource_patterns;  // all of the statement's (Not)Resource patterns
  std::vector<ConditionExplanation> conditions;  // filled when action and resource matched
  bool applies = false;          // every part matched: this statement decides (Allow / Deny)
  std::string verdict;           // one line: "applies: allows", "action does not match", ...
};

struct IamExplanation {
  AuthzRequest request;
  Decision decision = Decision::kImplicitDeny;
  std::string error_code;     // "" when allowed; "AccessDenied" | "UnauthorizedOperation"
  std::string error_message;  // the AWS text the call got ("" when allowed)
  std::vector<StatementExplanation> statements;  // every statement of every policy, in order
  std::string summary;        // one line (see file comment)
};

// Evaluates `req` under `policies` (same answer as EvaluatePolicies) and records why.
IamExplanation ExplainAuthorization(const std::vector<NamedPolicy>& policies, const AuthzRequest& req);

// Plain text: a header (principal, action, resource, context keys, decision, error text), then
// each statement whose action matched in full (action/resource patterns, each condition with
// the values compared), then one line listing the statements whose action did not match.
// `all_statements` = also print those in full.
std::string RenderIamExplanation(const IamExplanation& e, bool all_statements = false);

}  // namespace sim::aws
