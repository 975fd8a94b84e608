#include "sim/aws/iam_policy.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sim/aws/aws_errors.h"
#include "sim/aws/fake_ec2.h"
#include "sim/base/match.h"

namespace sim::aws {
namespace {

using json = nlohmann::ordered_json;  // keeps statement keys in document order

bool StartsWithI(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}
bool EndsWithI(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

Error Malformed(const std::string& msg) { return AwsError("MalformedPolicyDocument", msg); }

// --- Condition operators ---------------------------------------------------------------------------

enum class Base {
  kStringEquals, kStringEqualsIgnoreCase, kStringLike, kNumericEquals, kNumericLessThan,
  kNumericLessThanEquals, kNumericGreaterThan, kNumericGreaterThanEquals, kDateEquals, kDateLessThan,
  kDateLessThanEquals, kDateGreaterThan, kDateGreaterThanEquals, kBool, kBinaryEquals, kIpAddress,
  kArnLike, kNull,
};

struct ParsedOp {
  bool valid = false;
  enum class Set { kNone, kAny, kAll } set = Set::kNone;
  Base base = Base::kStringEquals;
  bool negated = false;
  bool if_exists = false;
};

ParsedOp ParseOp(std::string_view op) {
  ParsedOp p;
  if (StartsWithI(op, "ForAnyValue:")) {
    p.set = ParsedOp::Set::kAny;
    op.remove_prefix(12);
  } else if (StartsWithI(op, "ForAllValues:")) {
    p.set = ParsedOp::Set::kAll;
    op.remove_prefix(13);
  }
  if (EndsWithI(op, "IfExists")) {
    p.if_exists = true;
    op.remove_suffix(8);
  }
  struct Entry {
    const char* name;
    Base base;
    bool negated;
  };
  static const Entry kOps[] = {
      {"StringEquals", Base::kStringEquals, false},
      {"StringNotEquals", Base::kStringEquals, true},
      {"StringEqualsIgnoreCase", Base::kStringEqualsIgnoreCase, false},
      {"StringNotEqualsIgnoreCase", Base::kStringEqualsIgnoreCase, true},
      {"StringLike", Base::kStringLike, false},
      {"StringNotLike", Base::kStringLike, true},
      {"NumericEquals", Base::kNumericEquals, false},
      {"NumericNotEquals", Base::kNumericEquals, true},
      {"NumericLessThan", Base::kNumericLessThan, false},
      {"NumericLessThanEquals", Base::kNumericLessThanEquals, false},
      {"NumericGreaterThan", Base::kNumericGreaterThan, false},
      {"NumericGreaterThanEquals", Base::kNumericGreaterThanEquals, false},
      {"DateEquals", Base::kDateEquals, false},
      {"DateNotEquals", Base::kDateEquals, true},
      {"DateLessThan", Base::kDateLessThan, false},
      {"DateLessThanEquals", Base::kDateLessThanEquals, false},
      {"DateGreaterThan", Base::kDateGreaterThan, false},
      {"DateGreaterThanEquals", Base::kDateGreaterThanEquals, false},
      {"Bool", Base::kBool, false},
      {"BinaryEquals", Base::kBinaryEquals, false},
      {"IpAddress", Base::kIpAddress, false},
      {"NotIpAddress", Base::kIpAddress, true},
      {"ArnEquals", Base::kArnLike, false},
      {"ArnLike", Base::kArnLike, false},
      {"ArnNotEquals", Base::kArnLike, true},
      {"ArnNotLike", Base::kArnLike, true},
      {"Null", Base::kNull, false},
  };
  for (const Entry& e : kOps) {
    if (EqualsIgnoreCase(op, e.name)) {
      p.valid = true;
      p.base = e.base;
      p.negated = e.negated;
    }
  }
  if (p.valid && p.base == Base::kNull && (p.if_exists || p.set != ParsedOp::Set::kNone)) p.valid = false;
  return p;
}

bool ParseNumber(const std::string& s, double* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end != nullptr && *end == '\0';
}

bool CidrContains(const std::string& cidr, const std::string& ip) {
  uint32_t net = 0, addr = 0;
  int prefix = 32;
  if (cidr.find('/') == std::string::npos) {
    if (!ParseIpv4(cidr, &net)) return false;
  } else if (!ParseCidr4(cidr, &net, &prefix)) {
    return false;
  }
  if (!ParseIpv4(ip, &addr)) return false;
  const uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return (net & mask) == (addr & mask);
}

// Does one context value match one policy value under the (positive) base operator?
bool ValueMatches(Base base, const std::string& context_value, const std::string& policy_value) {
  double a = 0, b = 0;
  switch (base) {
    case Base::kStringEquals: return context_value == policy_value;
    case Base::kStringEqualsIgnoreCase: return EqualsIgnoreCase(context_value, policy_value);
    case Base::kStringLike: return GlobMatch(policy_value, context_value, false);
    case Base::kNumericEquals: return ParseNumber(context_value, &a) && ParseNumber(policy_value, &b) && a == b;
    case Base::kNumericLessThan: return ParseNumber(context_value, &a) && ParseNumber(policy_value, &b) && a < b;
    case Base::kNumericLessThanEquals:
      return ParseNumber(context_value, &a) && ParseNumber(policy_value, &b) && a <= b;
    case Base::kNumericGreaterThan: return ParseNumber(context_value, &a) && ParseNumber(policy_value, &b) && a > b;
    case Base::kNumericGreaterThanEquals:
      return ParseNumber(context_value, &a) && ParseNumber(policy_value, &b) && a >= b;
    // ISO 8601 UTC timestamps of equal shape order lexicographically.
    case Base::kDateEquals: return context_value == policy_value;
    case Base::kDateLessThan: return context_value < policy_value;
    case Base::kDateLessThanEquals: return context_value <= policy_value;
    case Base::kDateGreaterThan: return context_value > policy_value;
    case Base::kDateGreaterThanEquals: return context_value >= policy_value;
    case Base::kBool: return EqualsIgnoreCase(context_value, policy_value);
    case Base::kBinaryEquals: return context_value == policy_value;
    case Base::kIpAddress: return CidrContains(policy_value, context_value);
    case Base::kArnLike: return ArnLikeMatch(policy_value, context_value);
    case Base::kNull: return false;
  }
  return false;
}

std::string Quoted(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += "\"" + values[i] + "\"";
  }
  return values.size() == 1 ? out : "[" + out + "]";
}

// --- Parsing -------------------------------------------------------------------------------------------

Result<std::vector<std::string>> StringOrList(const json& v, const char* field) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
    return out;
  }
  if (v.is_array()) {
    for (const json& e : v) {
      if (!e.is_string()) return Malformed("Syntax errors in policy.");
      out.push_back(e.get<std::string>());
    }
    return out;
  }
  return Malformed("Syntax errors in policy.");
}

std::string ScalarText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number()) return v.dump();
  return "";
}

Result<PolicyStatement> ParseStatement(const json& s, int index, PolicyKind kind) {
  if (!s.is_object()) return Malformed("Syntax errors in policy.");
  PolicyStatement st;
  st.index = index;
  static const char* kFields[] = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
                                  "Principal", "NotPrincipal", "Condition"};
  for (auto it = s.begin(); it != s.end(); ++it) {
    bool known = false;
    for (const char* f : kFields) known = known || it.key() == f;
    if (!known) return Malformed("Unknown field " + it.key());
  }
  if (s.contains("Sid")) {
    if (!s["Sid"].is_string()) return Malformed("Syntax errors in policy.");
    st.sid = s["Sid"].get<std::string>();
  }
  if (!s.contains("Effect")) return Malformed("Missing required field Effect");
  if (!s["Effect"].is_string()) return Malformed("Syntax errors in policy.");
  const std::string effect = s["Effect"].get<std::string>();
  if (effect == "Allow") {
    st.allow = true;
  } else if (effect == "Deny") {
    st.allow = false;
  } else {
    return Malformed("Invalid effect: " + effect);
  }
  if (s.contains("Action") && s.contains("NotAction")) return Malformed("Syntax errors in policy.");
  if (!s.contains("Action") && !s.contains("NotAction")) return Malformed("Missing required field Action");
  st.not_action = s.contains("NotAction");
  SIM_ASSIGN_OR_RETURN(st.actions, StringOrList(s[st.not_action ? "NotAction" : "Action"], "Action"));
  if (st.actions.empty()) return Malformed("Policy statement must contain actions.");
  for (const std::string& a : st.actions) {
    if (a != "*" && a.find(':') == std::string::npos) {
      return Malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
    }
  }
  if (s.contains("Resource") && s.contains("NotResource")) return Malformed("Syntax errors in policy.");
  st.has_resource = s.contains("Resource") || s.contains("NotResource");
  if (st.has_resource) {
    st.not_resource = s.contains("NotResource");
    SIM_ASSIGN_OR_RETURN(st.resources, StringOrList(s[st.not_resource ? "NotResource" : "Resource"], "Resource"));
  } else if (kind == PolicyKind::kIdentity) {
    return Malformed("Missing required field Resource");
  }
  if (s.contains("Principal") && s.contains("NotPrincipal")) return Malformed("Syntax errors in policy.");
  const bool has_principal = s.contains("Principal") || s.contains("NotPrincipal");
  if (has_principal) {
    if (kind == PolicyKind::kIdentity) return Malformed("Policy document should not specify a principal.");
    st.not_principal = s.contains("NotPrincipal");
    const json& p = s[st.not_principal ? "NotPrincipal" : "Principal"];
    if (p.is_string()) {
      if (p.get<std::string>() != "*") return Malformed("Invalid principal in policy: \"" + p.get<std::string>() + "\"");
      st.principals["*"] = {"*"};
    } else if (p.is_object()) {
      for (auto it = p.begin(); it != p.end(); ++it) {
        SIM_ASSIGN_OR_RETURN(std::vector<std::string> vals, StringOrList(it.value(), "Principal"));
        st.principals[it.key()] = std::move(vals);
      }
    } else {
      return Malformed("Syntax errors in policy.");
    }
  } else if (kind == PolicyKind::kTrust) {
    return Malformed("Missing required field Principal");
  }
  if (s.contains("Condition")) {
    const json& c = s["Condition"];
    if (!c.is_object()) return Malformed("Syntax errors in policy.");
    for (auto op = c.begin(); op != c.end(); ++op) {
      if (!ParseOp(op.key()).valid) return Malformed("Invalid Condition type : " + op.key() + ".");
      if (!op.value().is_object()) return Malformed("Syntax errors in policy.");
      for (auto k = op.value().begin(); k != op.value().end(); ++k) {
        PolicyCondition pc;
        pc.op = op.key();
        pc.key = k.key();
        if (pc.key.find(':') == std::string::npos) {
          return Malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
        }
        const json& v = k.value();
        if (v.is_array()) {
          for (const json& e : v) {
            if (!e.is_primitive() || e.is_null()) return Malformed("Syntax errors in policy.");
            pc.values.push_back(ScalarText(e));
          }
        } else if (v.is_primitive() && !v.is_null()) {
          pc.values.push_back(ScalarText(v));
        } else {
          return Malformed("Syntax errors in policy.");
        }
        st.conditions.push_back(std::move(pc));
      }
    }
  }
  return st;
}

}  // namespace

// --- Matching ------------------------------------------------------------------------------------------

bool ActionMatches(const std::string& pattern, const std::string& action) {
  return GlobMatch(pattern, action, /*ignore_case=*/true);
}

bool ResourceMatches(const std::string& pattern, const std::string& resource) {
  return GlobMatch(pattern, resource, /*ignore_case=*/false);
}

bool ArnLikeMatch(const std::string& pattern, const std::string& arn) {
  if (pattern == "*") return true;
  auto split = [](const std::string& s) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (int i = 0; i < 5; ++i) {
      size_t c = s.find(':', start);
      if (c == std::string::npos) break;
      parts.push_back(s.substr(start, c - start));
      start = c + 1;
    }
    parts.push_back(s.substr(start));
    return parts;
  };
  std::vector<std::string> pp = split(pattern), ap = split(arn);
  if (pp.size() != 6 || ap.size() != 6) return false;
  for (size_t i = 0; i < 6; ++i) {
    if (!GlobMatch(pp[i], ap[i], false)) return false;
  }
  return true;
}

bool KnownConditionOperator(const std::string& op) { return ParseOp(op).valid; }

const std::vector<std::string>* ContextValues(const AuthzRequest& req, const std::string& key) {
  auto exact = req.context.find(key);
  if (exact != req.context.end()) return &exact->second;
  for (const auto& [k, v] : req.context) {
    if (EqualsIgnoreCase(k, key)) return &v;
  }
  return nullptr;
}

namespace {

// Which branch of the condition logic decides `cond` for `req`; shared by the fast check and the
// explanation so the two cannot disagree.
enum class CondCase { kUnknownOp, kNull, kAbsent, kValues };

struct CondOutcome {
  CondCase which = CondCase::kUnknownOp;
  ParsedOp op;
  const std::vector<std::string>* ctx = nullptr;
  bool matched = false;
};

CondOutcome DecideCondition(const PolicyCondition& cond, const AuthzRequest& req) {
  CondOutcome o;
  o.op = ParseOp(cond.op);
  o.ctx = ContextValues(req, cond.key);
  const ParsedOp& op = o.op;
  if (!op.valid) return o;
  if (op.base == Base::kNull) {
    o.which = CondCase::kNull;
    for (const std::string& v : cond.values) {
      if (EqualsIgnoreCase(v, "true") && o.ctx == nullptr) o.matched = true;
      if (EqualsIgnoreCase(v, "false") && o.ctx != nullptr) o.matched = true;
    }
    return o;
  }
  if (o.ctx == nullptr || o.ctx->empty()) {
    o.which = CondCase::kAbsent;
    o.matched = op.if_exists || op.set == ParsedOp::Set::kAll ||
                (op.set == ParsedOp::Set::kNone && op.negated);
    return o;
  }
  o.which = CondCase::kValues;
  auto value_ok = [&](const std::string& cv) {
    bool any = false;
    for (const std::string& pv : cond.values) any = any || ValueMatches(op.base, cv, pv);
    return op.negated ? !any : any;
  };
  switch (op.set) {
    case ParsedOp::Set::kNone: {
      bool any = false;
      for (const std::string& cv : *o.ctx) {
        for (const std::string& pv : cond.values) any = any || ValueMatches(op.base, cv, pv);
      }
      o.matched = op.negated ? !any : any;
      break;
    }
    case ParsedOp::Set::kAny: {
      for (const std::string& cv : *o.ctx) o.matched = o.matched || value_ok(cv);
      break;
    }
    case ParsedOp::Set::kAll: {
      o.matched = true;
      for (const std::string& cv : *o.ctx) o.matched = o.matched && value_ok(cv);
      break;
    }
  }
  return o;
}

}  // namespace

bool ConditionHolds(const PolicyCondition& cond, const AuthzRequest& req) {
  return DecideCondition(cond, req).matched;
}

ConditionResult EvaluateCondition(const PolicyCondition& cond, const AuthzRequest& req) {
  const CondOutcome o = DecideCondition(cond, req);
  const ParsedOp& op = o.op;
  ConditionResult r;
  r.matched = o.matched;
  r.key_present = o.ctx != nullptr;
  if (o.ctx) r.context_values = *o.ctx;
  switch (o.which) {
    case CondCase::kUnknownOp:
      r.reason = "unknown operator " + cond.op;
      break;
    case CondCase::kNull:
      r.reason = r.key_present ? "key present; Null " + Quoted(cond.values) +
                                     (r.matched ? " accepts a present key" : " requires it absent")
                               : "key absent; Null " + Quoted(cond.values) +
                                     (r.matched ? " accepts an absent key" : " requires it present");
      break;
    case CondCase::kAbsent:
      if (op.if_exists) {
        r.reason = "key absent; " + cond.op + " treats an absent key as a match";
      } else if (op.set == ParsedOp::Set::kAll) {
        r.reason = "key absent; ForAllValues over no values is true";
      } else if (op.set == ParsedOp::Set::kAny) {
        r.reason = "key absent; ForAnyValue over no values is false";
      } else if (op.negated) {
        r.reason = "key absent; a negated operator is true when the key is absent";
      } else {
        r.reason = "key absent; " + cond.op + " needs the key";
      }
      break;
    case CondCase::kValues:
      r.reason = "request has " + Quoted(*o.ctx) + (r.matched ? ", matches " : ", does not match ") + cond.op +
                 " " + Quoted(cond.values);
      break;
  }
  return r;
}

namespace {

bool PrincipalMatches(const PolicyStatement& stmt, const AuthzRequest& req) {
  if (stmt.principals.empty()) return true;
  bool hit = false;
  for (const auto& [type, values] : stmt.principals) {
    for (const std::string& v : values) {
      if (type == "*" || (type == req.principal_type && (v == "*" || v == req.principal_arn))) hit = true;
    }
  }
  return stmt.not_principal ? !hit : hit;
}

// Index of the first Action/NotAction pattern matching req.action, or -1.
int MatchingAction(const PolicyStatement& stmt, const AuthzRequest& req) {
  for (size_t i = 0; i < stmt.actions.size(); ++i) {
    if (ActionMatches(stmt.actions[i], req.action)) return static_cast<int>(i);
  }
  return -1;
}

// Index of the first Resource/NotResource pattern matching req.resource, or -1.
int MatchingResource(const PolicyStatement& stmt, const AuthzRequest& req) {
  for (size_t i = 0; i < stmt.resources.size(); ++i) {
    if (ResourceMatches(stmt.resources[i], req.resource)) return static_cast<int>(i);
  }
  return -1;
}

// The resource and condition half of MatchStatement, without building its details.
bool ResourceAndConditionsHold(const PolicyStatement& stmt, const AuthzRequest& req) {
  if (stmt.has_resource && (MatchingResource(stmt, req) < 0) != stmt.not_resource) return false;
  for (const PolicyCondition& c : stmt.conditions) {
    if (!ConditionHolds(c, req)) return false;
  }
  return true;
}

}  // namespace

bool StatementAdmits(const PolicyStatement& stmt, const AuthzRequest& req) {
  return PrincipalMatches(stmt, req) && (MatchingAction(stmt, req) < 0) == stmt.not_action;
}

StatementMatch MatchStatement(const PolicyStatement& stmt, const AuthzRequest& req) {
  StatementMatch m;
  m.principal_matched = PrincipalMatches(stmt, req);
  const int action = MatchingAction(stmt, req);
  if (action >= 0) m.action_pattern = stmt.actions[action];
  m.action_matched = stmt.not_action ? action < 0 : action >= 0;
  if (!stmt.has_resource) {
    m.resource_matched = true;
  } else {
    const int resource = MatchingResource(stmt, req);
    if (resource >= 0) m.resource_pattern = stmt.resources[resource];
    m.resource_matched = stmt.not_resource ? resource < 0 : resource >= 0;
  }
  m.applies = m.principal_matched && m.action_matched && m.resource_matched;
  if (m.applies) {
    for (const PolicyCondition& c : stmt.conditions) {
      ConditionResult cr = EvaluateCondition(c, req);
      if (!cr.matched) m.applies = false;
      m.conditions.push_back(std::move(cr));
    }
  }
  return m;
}

const char* DecisionName(Decision d) {
  switch (d) {
    case Decision::kAllow: return "allow";
    case Decision::kImplicitDeny: return "implicit deny";
    case Decision::kExplicitDeny: return "explicit deny";
  }
  return "?";
}

Decision EvaluatePolicies(const std::vector<NamedPolicy>& policies, const AuthzRequest& req) {
  std::vector<const PolicyStatement*> admitted;
  for (const NamedPolicy& p : policies) {
    for (const PolicyStatement& s : p.document.statements) {
      if (StatementAdmits(s, req)) admitted.push_back(&s);
    }
  }
  return EvaluateAdmitted(admitted, req);
}

Decision EvaluateAdmitted(const std::vector<const PolicyStatement*>& admitted, const AuthzRequest& req) {
  bool allowed = false;
  for (const PolicyStatement* s : admitted) {
    if (allowed && s->allow) continue;  // only a Deny can still change the answer
    if (!ResourceAndConditionsHold(*s, req)) continue;
    if (!s->allow) return Decision::kExplicitDeny;
    allowed = true;
  }
  return allowed ? Decision::kAllow : Decision::kImplicitDeny;
}

Result<PolicyDocument> ParsePolicyDocument(const std::string& text, PolicyKind kind) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception&) {
    return Malformed("This policy contains invalid Json");
  }
  if (!doc.is_object()) return Malformed("This policy contains invalid Json");
  PolicyDocument out;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() != "Version" && it.key() != "Id" && it.key() != "Statement") {
      return Malformed("Unknown field " + it.key());
    }
  }
  if (doc.contains("Version")) {
    if (!doc["Version"].is_string()) return Malformed("Syntax errors in policy.");
    out.version = doc["Version"].get<std::string>();
    if (out.version != "2012-10-17" && out.version != "2008-10-17") {
      return Malformed("The policy failed legacy parsing");
    }
  }
  if (!doc.contains("Statement")) return Malformed("Missing required field Statement");
  const json& st = doc["Statement"];
  if (st.is_object()) {
    SIM_ASSIGN_OR_RETURN(PolicyStatement s, ParseStatement(st, 0, kind));
    out.statements.push_back(std::move(s));
  } else if (st.is_array()) {
    int i = 0;
    for (const json& e : st) {
      SIM_ASSIGN_OR_RETURN(PolicyStatement s, ParseStatement(e, i++, kind));
      out.statements.push_back(std::move(s));
    }
  } else {
    return Malformed("Syntax errors in policy.");
  }
  return out;
}

}  // namespace sim::aws
