#include "sim/aws/iam_explain.h"

#include <map>
#include <sstream>

namespace sim::aws {
namespace {

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string QuoteList(const std::vector<std::string>& values) {
  if (values.size() == 1) return Quote(values[0]);
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + Quote(values[i]);
  return out + "]";
}

std::string Label(const StatementExplanation& s) {
  std::string l = s.policy_name + " #" + std::to_string(s.index);
  if (!s.sid.empty()) l += " (Sid " + s.sid + ")";
  return l;
}

std::string ResourceText(const AuthzRequest& req) {
  return req.resource == "*" || req.resource.empty() ? "\"*\"" : req.resource;
}

// Why a statement that does not apply does not, in a few words.
std::string WhyNot(const StatementExplanation& s) {
  if (!s.principal_matched) return "principal does not match";
  if (!s.action_matched) return "action does not match";
  if (!s.resource_matched) {
    if (s.not_resource) return "resource is excluded by NotResource " + Quote(s.resource_pattern);
    if (s.resource_patterns.size() == 1) return "resource does not match " + Quote(s.resource_patterns[0]);
    return "resource matches none of its " + std::to_string(s.resource_patterns.size()) + " Resource patterns";
  }
  for (const ConditionExplanation& c : s.conditions) {
    if (!c.matched) return "condition " + c.op + " " + c.key + ": " + c.reason;
  }
  return "does not apply";
}

}  // namespace

IamExplanation ExplainAuthorization(const std::vector<NamedPolicy>& policies, const AuthzRequest& req) {
  IamExplanation e;
  e.request = req;
  bool allowed = false, denied = false;
  const StatementExplanation* decider = nullptr;
  std::vector<std::string> misses;  // reasons of Allow statements that matched the action
  for (const NamedPolicy& p : policies) {
    for (const PolicyStatement& st : p.document.statements) {
      StatementMatch mm = MatchStatement(st, req);
      StatementExplanation s;
      s.policy_name = p.name;
      s.policy_arn = p.arn;
      s.policy_kind = p.kind;
      s.index = st.index;
      s.sid = st.sid;
      s.effect = st.allow ? "Allow" : "Deny";
      s.principal_matched = mm.principal_matched;
      s.action_matched = mm.action_matched;
      s.action_pattern = mm.action_pattern;
      s.resource_matched = mm.resource_matched;
      s.resource_pattern = mm.resource_pattern;
      s.not_resource = st.not_resource;
      s.resource_patterns = st.resources;
      for (size_t i = 0; i < mm.conditions.size() && i < st.conditions.size(); ++i) {
        const PolicyCondition& pc = st.conditions[i];
        const ConditionResult& cr = mm.conditions[i];
        s.conditions.push_back(ConditionExplanation{pc.op, pc.key, pc.values, cr.key_present, cr.context_values,
                                                    cr.matched, cr.reason});
      }
      s.applies = mm.applies;
      if (s.applies) {
        s.verdict = st.allow ? "applies: allows" : "applies: denies";
      } else {
        s.verdict = WhyNot(s);
      }
      e.statements.push_back(std::move(s));
      const StatementExplanation& added = e.statements.back();
      if (added.applies && !st.allow) denied = true;
      if (added.applies && st.allow) allowed = true;
      if (!added.applies && st.allow && added.action_matched && added.principal_matched) {
        misses.push_back(Label(added) + ": " + added.verdict);
      }
    }
  }
  // The statement that decided: the first applying Deny, else the first applying Allow (pointers
  // into e.statements are taken once it stops growing).
  for (const StatementExplanation& s : e.statements) {
    if (s.applies && s.effect == (denied ? "Deny" : "Allow")) {
      decider = &s;
      break;
    }
  }
  e.decision = denied ? Decision::kExplicitDeny : allowed ? Decision::kAllow : Decision::kImplicitDeny;
  const std::string what = req.action + " on " + ResourceText(req);
  if (e.decision == Decision::kAllow) {
    e.summary = "allowed: " + Label(*decider) + " allows " + what;
    return e;
  }
  const Error err = AccessDeniedError(req, e.decision == Decision::kExplicitDeny);
  e.error_code = err.aws_code;
  e.error_message = err.message;
  if (e.decision == Decision::kExplicitDeny) {
    e.summary = "denied (explicit deny): " + Label(*decider) + " denies " + what;
    return e;
  }
  if (policies.empty()) {
    e.summary = "denied: the principal has no policies (no role, or a role without policies), so nothing allows " + what;
  } else if (misses.empty()) {
    e.summary = "denied: no statement allows " + req.action + " (no Allow statement's Action matches it)";
  } else {
    e.summary = "denied: no statement allows " + what;
    for (const std::string& m : misses) e.summary += "; " + m;
  }
  return e;
}

std::string RenderIamExplanation(const IamExplanation& e, bool all_statements) {
  std::ostringstream out;
  const AuthzRequest& r = e.request;
  out << "IAM decision: " << DecisionName(e.decision) << "\n";
  out << "  principal: " << r.principal_arn << (r.principal_type != "AWS" ? " (" + r.principal_type + ")" : "") << "\n";
  out << "  action:    " << r.action;
  if (!r.api_call.empty() && r.action.size() > r.api_call.size() &&
      r.action.compare(r.action.size() - r.api_call.size(), r.api_call.size(), r.api_call) != 0) {
    out << "  (needed by " << r.api_call << ")";
  }
  out << "\n";
  out << "  resource:  " << ResourceText(r) << "\n";
  if (r.context.empty()) {
    out << "  context:   (no condition keys)\n";
  } else {
    bool first = true;
    for (const auto& [k, v] : r.context) {
      out << (first ? "  context:   " : "             ") << k << " = " << QuoteList(v) << "\n";
      first = false;
    }
  }
  if (!e.error_message.empty()) out << "  error:     " << e.error_code << ": " << e.error_message << "\n";
  out << "summary: " << e.summary << "\n";
  std::vector<const StatementExplanation*> shown, skipped;
  for (const StatementExplanation& s : e.statements) {
    ((all_statements || (s.action_matched && s.principal_matched)) ? shown : skipped).push_back(&s);
  }
  if (e.statements.empty()) {
    out << "no policies: no statement was considered\n";
    return out.str();
  }
  out << "statements considered (" << shown.size() << " of " << e.statements.size() << "):\n";
  for (const StatementExplanation* s : shown) {
    out << "  [" << Label(*s) << "] " << s->effect << ": " << s->verdict << "\n";
    if (!s->principal_matched) out << "      principal: does not match\n";
    out << "      action:    "
        << (s->action_matched ? (s->action_pattern.empty() ? std::string("matches (NotAction excludes none)")
                                                           : "matches " + Quote(s->action_pattern))
                              : std::string("does not match"))
        << "\n";
    if (s->action_matched) {
      out << "      resource:  "
          << (s->resource_matched ? (s->resource_pattern.empty() ? std::string("matches")
                                                                 : "matches " + Quote(s->resource_pattern))
                                  : "does not match " + QuoteList(s->resource_patterns))
          << "\n";
    }
    for (const ConditionExplanation& c : s->conditions) {
      out << "      condition: " << c.op << " " << c.key << " " << QuoteList(c.policy_values) << " -> "
          << (c.matched ? "true" : "false") << " (" << c.reason << ")\n";
    }
  }
  if (!skipped.empty()) {
    out << "statements whose action does not match " << r.action << ":";
    std::string last_policy;
    for (const StatementExplanation* s : skipped) {
      if (s->policy_name != last_policy) {
        out << (last_policy.empty() ? " " : "; ") << s->policy_name;
        last_policy = s->policy_name;
      }
      out << " #" << s->index;
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace sim::aws
