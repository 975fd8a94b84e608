#include "sim/aws/iam_authorizer.h"

namespace sim::aws {

IamAuthorizer::IamAuthorizer(const FakeIam& iam, const Clock& clock, const ApiCallLog* log)
    : iam_(iam), clock_(clock), log_(log) {}

Status IamAuthorizer::Authorize(const CallContext& ctx, const AuthzRequest& req) {
  ++evaluated_;
  const std::vector<NamedPolicy>& policies = PoliciesOf(req.principal_arn);
  const Decision d = EvaluateAdmitted(AdmittedFor(policies, req), req);
  if (d == Decision::kAllow && !record_allowed_) return OkStatus();
  AuthzRecord rec;
  rec.call_index = log_ ? log_->size() : 0;
  rec.t = clock_.Now();
  rec.caller = ctx.caller;
  rec.request = req;
  rec.decision = d;
  rec.explanation = ExplainAuthorization(policies, req);
  if (d == Decision::kAllow) {
    allowed_.push_back(std::move(rec));
    return OkStatus();
  }
  denials_.push_back(std::move(rec));
  return AccessDeniedError(req, d == Decision::kExplicitDeny);
}

const std::vector<NamedPolicy>& IamAuthorizer::PoliciesOf(const std::string& principal) {
  if (!cache_valid_ || cached_principal_ != principal || cached_generation_ != iam_.generation()) {
    cached_policies_ = iam_.PoliciesForPrincipal(principal);
    cached_principal_ = principal;
    cached_generation_ = iam_.generation();
    cache_valid_ = true;
    admitted_.clear();
  }
  return cached_policies_;
}

const std::vector<const PolicyStatement*>& IamAuthorizer::AdmittedFor(const std::vector<NamedPolicy>& policies,
                                                                      const AuthzRequest& req) {
  std::string key = req.action;
  key += '\n';
  key += req.principal_type;
  auto [it, inserted] = admitted_.try_emplace(std::move(key));
  if (inserted) {
    for (const NamedPolicy& p : policies) {
      for (const PolicyStatement& s : p.document.statements) {
        if (StatementAdmits(s, req)) it->second.push_back(&s);
      }
    }
  }
  return it->second;
}

std::vector<AuthzRecord> IamAuthorizer::DenialsForCall(size_t call_index) const {
  std::vector<AuthzRecord> out;
  for (const AuthzRecord& r : denials_) {
    if (r.call_index == call_index) out.push_back(r);
  }
  return out;
}

IamExplanation IamAuthorizer::Explain(const AuthzRequest& req) const {
  return ExplainAuthorization(iam_.PoliciesForPrincipal(req.principal_arn), req);
}

}  // namespace sim::aws
