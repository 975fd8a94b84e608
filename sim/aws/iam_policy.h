#pragma once
// IAM policy documents: parsing and evaluation (elbv2-semantics.md §4.3;
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
// .../reference_policies_elements_condition_operators.html).
//
// Evaluation of one request against a set of policies:
//   * a statement applies iff its Principal (resource-based policies only), Action/NotAction,
//     Resource/NotResource and every Condition entry match (AND across operators and keys, OR
//     across the values of one key);
//   * any applying Deny → explicit deny; else any applying Allow → allow; else implicit deny.
// Action: "service:Action" glob (`*`, `?`), case-insensitive. Resource: glob on the whole ARN,
// case-sensitive ("*" as the request resource — actions without resource-level permissions —
// is matched only by patterns that match the string "*", i.e. "*").
// Conditions: String{Equals,NotEquals,EqualsIgnoreCase,NotEqualsIgnoreCase,Like,NotLike},
// Arn{Equals,Like,NotEquals,NotLike} (ARN-wise glob per colon-separated part), Bool, Null,
// Numeric{Equals,NotEquals,LessThan,LessThanEquals,GreaterThan,GreaterThanEquals}, each with the
// IfExists suffix (except Null) and the ForAnyValue: / ForAllValues: set qualifiers.
//   * key absent: Null "true" matches; ...IfExists matches; ForAllValues matches; a negated
//     operator (…Not…) matches; everything else does not.
//   * positive operator: some context value matches some policy value; negated: none does.
//   * ForAnyValue: some context value satisfies the operator; ForAllValues: every one does.
// Not modelled: policy variables (${aws:username}), permission boundaries, SCPs, session policies.

#include <map>
#include <string>
#include <vector>

#include "sim/aws/authorizer.h"
#include "sim/base/status.h"

namespace sim::aws {

struct PolicyCondition {
  std::string op;                   // as written, e.g. "ForAnyValue:StringEquals", "NullIfExists"
  std::string key;                  // as written, e.g. "aws:RequestTag/elbv2.k8s.aws/cluster"
  std::vector<std::string> values;  // strings; JSON booleans/numbers are rendered ("true", "8")
};

struct PolicyStatement {
  int index = 0;        // 0-based position in the document's Statement list
  std::string sid;      // "" when absent
  bool allow = true;    // Effect
  bool not_action = false;
  std::vector<std::string> actions;  // Action or NotAction patterns
  bool has_resource = false;         // Resource or NotResource present (trust policies omit it)
  bool not_resource = false;
  std::vector<std::string> resources;  // Resource or NotResource patterns
  // Principal / NotPrincipal (resource-based policies): type ("AWS", "Federated", "Service",
  // "CanonicalUser") → patterns; {"*": ["*"]} for "Principal": "*". Empty = no Principal element.
  bool not_principal = false;
  std::map<std::string, std::vector<std::string>> principals;
  std::vector<PolicyCondition> conditions;  // in document order (operator, then key)
};

struct PolicyDocument {
  std::string version;  // "2012-10-17" | "2008-10-17" | "" when absent
  std::vector<PolicyStatement> statements;
};

enum class PolicyKind {
  kIdentity,  // managed / inline policies: Resource required, no Principal
  kTrust,     // a role's trust policy: Principal required, no Resource
  kAny,       // parse only
};

// Parses a policy JSON document: Version, Statement as one object or a list, Sid, Effect,
// Action/NotAction, Resource/NotResource, Principal/NotPrincipal, Condition; string-or-list
// everywhere AWS allows it. Errors (aws_code "MalformedPolicyDocument", kInvalidArgument):
// "This policy contains invalid Json", "Missing required field Effect", "Missing required field
// Action", "Missing required field Resource" (kIdentity), "Missing required field Principal"
// (kTrust), "Policy document should not specify a principal." (kIdentity),
// "Invalid effect: <e>", "Invalid Condition type : <op>", "Unknown field <name>",
// "Policy statement must contain actions." (empty list), "Actions/Conditions must be prefaced by
// a vendor, e.g., iam, sdb, ec2, etc.".
Result<PolicyDocument> ParsePolicyDocument(const std::string& json, PolicyKind kind = PolicyKind::kAny);

// A policy in force for a principal, for evaluation and explanations.
struct NamedPolicy {
  std::string name;  // "AWSLoadBalancerControllerIAMPolicy", or the inline policy's name
  std::string arn;   // managed: its ARN; inline: "" ; trust policy: the role ARN
  std::string kind;  // "managed" | "inline" | "trust"
  PolicyDocument document;
};

enum class Decision { kAllow, kImplicitDeny, kExplicitDeny };
const char* DecisionName(Decision d);  // "allow" | "implicit deny" | "explicit deny"

// The decision for `req` under `policies`.
Decision EvaluatePolicies(const std::vector<NamedPolicy>& policies, const AuthzRequest& req);

// Whether a statement's Principal/NotPrincipal and Action/NotAction admit `req`: the half of
// statement matching that depends only on who asks for which action (so a caller can keep, per
// action, the statements worth looking at; sim/aws/iam_authorizer.cc does).
bool StatementAdmits(const PolicyStatement& stmt, const AuthzRequest& req);
// The decision for `req` over `admitted`: every statement of the policies (in order) that
// StatementAdmits `req`. The same answer as EvaluatePolicies over those policies.
Decision EvaluateAdmitted(const std::vector<const PolicyStatement*>& admitted, const AuthzRequest& req);

// --- Building blocks (exposed for the explanation code and tests) --------------------------------

// Globs (`*`, `?`) are sim::GlobMatch (sim/base/match.h).
// IAM action pattern vs "service:Action", case-insensitive.
bool ActionMatches(const std::string& pattern, const std::string& action);
// IAM resource pattern vs an ARN or "*", case-sensitive.
bool ResourceMatches(const std::string& pattern, const std::string& resource);
// ArnLike/ArnEquals: both split into 6 parts at the first 5 colons, part-wise glob.
bool ArnLikeMatch(const std::string& pattern, const std::string& arn);
// True for operators this evaluator understands (with qualifiers/IfExists).
bool KnownConditionOperator(const std::string& op);

// Values of `key` in the request context (case-insensitive key), or nullptr when absent.
const std::vector<std::string>* ContextValues(const AuthzRequest& req, const std::string& key);

// One condition entry evaluated, with the why (for explanations).
struct ConditionResult {
  bool matched = false;
  bool key_present = false;
  std::vector<std::string> context_values;  // what the request had (empty when absent)
  std::string reason;  // e.g. "key absent: Null \"false\" requires it present"
};
ConditionResult EvaluateCondition(const PolicyCondition& cond, const AuthzRequest& req);
// EvaluateCondition(cond, req).matched, without building the explanation.
bool ConditionHolds(const PolicyCondition& cond, const AuthzRequest& req);

// Statement-level matching, for explanations.
struct StatementMatch {
  bool principal_matched = true;
  bool action_matched = false;
  std::string action_pattern;    // the pattern that matched ("" when none)
  bool resource_matched = false;
  std::string resource_pattern;  // the pattern that matched ("" when none)
  std::vector<ConditionResult> conditions;  // one per statement condition, evaluated only when
                                            // action and resource matched (else empty)
  bool applies = false;
};
StatementMatch MatchStatement(const PolicyStatement& stmt, const AuthzRequest& req);

}  // namespace sim::aws
