#include "sim/aws/fake_iam.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "sim/aws/aws_errors.h"
#include "sim/aws/aws_json.h"
#include "sim/aws/serve_call.h"
#include "sim/base/crypto.h"
#include "sim/base/match.h"
#include "sim/base/rng.h"

namespace sim::aws {

namespace m = ::sim::model::aws;
using json = nlohmann::json;

namespace {

constexpr const char* kIam = "iam";
constexpr const char* kSts = "sts";
constexpr const char* kNotAuthorizedWebIdentity = "Not authorized to perform sts:AssumeRoleWithWebIdentity";
constexpr const char* kNotAJwt =
    "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)";
constexpr const char* kBadSignature =
    "The web identity token that was passed could not be validated by AWS. Get a new identity token from the "
    "identity provider and then retry the request.";
constexpr const char* kSigningSalt = "albtwin-eks-oidc-issuer-key/";

bool StartsWith(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

std::string StripHttps(const std::string& url) {
  std::string u = StartsWith(url, "https://") ? url.substr(8) : url;
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u;
}

int64_t UnixSeconds(SimTime t) { return kEpochUnixSeconds + t.count() / 1000; }
SimTime FromUnixSeconds(int64_t s) { return SimTime((s - kEpochUnixSeconds) * 1000); }

std::string Base64Url(const std::string& data) {
  std::string s = Base64Encode(data);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return s;
}

bool Base64UrlDecode(const std::string& in, std::string* out) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-' || c == '+') return 62;
    if (c == '_' || c == '/') return 63;
    return -1;
  };
  out->clear();
  uint32_t buf = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    int v = val(c);
    if (v < 0) return false;
    buf = (buf << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((buf >> bits) & 0xff));
    }
  }
  return true;
}

std::string Signature(const std::string& signing_input, const std::string& iss) {
  return Base64Url(Sha256Hex(kSigningSalt + iss + "/" + signing_input));
}

bool ValidName(const std::string& name, size_t min_len, size_t max_len) {
  if (name.size() < min_len || name.size() > max_len) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '=' || c == ',' || c == '.' ||
          c == '@' || c == '-')) {
      return false;
    }
  }
  return true;
}

Error NameError(const std::string& value, const std::string& member, size_t max_len) {
  if (value.empty() || value.size() > max_len) {
    return AwsError("ValidationError", "1 validation error detected: Value '" + value + "' at '" + member +
                                           "' failed to satisfy constraint: Member must have length " +
                                           (value.empty() ? "greater than or equal to 1"
                                                          : "less than or equal to " + std::to_string(max_len)));
  }
  return AwsError("ValidationError", "1 validation error detected: Value '" + value + "' at '" + member +
                                         "' failed to satisfy constraint: Member must satisfy regular expression "
                                         "pattern: [\\w+=,.@-]+");
}

bool ValidPath(const std::string& path) {
  if (path.empty() || path.front() != '/' || path.back() != '/' || path.size() > 512) return false;
  return true;
}

std::string TagsJsonArray(const std::vector<m::Tag>& tags) {
  json a = json::array();
  for (const m::Tag& t : tags) a.push_back({{"Key", t.key}, {"Value", t.value}});
  return a.dump();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// OIDC issuer side

std::string EksOidcIssuerUrl(const std::string& region, const std::string& id) {
  return "https://oidc.eks." + region + ".amazonaws.com/id/" + id;
}

std::string ServiceAccountSubject(const std::string& ns, const std::string& name) {
  return "system:serviceaccount:" + ns + ":" + name;
}

std::string MintWebIdentityToken(const m::WebIdentityClaims& claims) {
  const json header = {{"alg", "RS256"}, {"kid", "albtwin"}, {"typ", "JWT"}};
  const json payload = {{"iss", claims.iss},
                        {"sub", claims.sub},
                        {"aud", json::array({claims.aud})},
                        {"iat", UnixSeconds(claims.iat)},
                        {"exp", UnixSeconds(claims.exp)}};
  const std::string input = Base64Url(header.dump()) + "." + Base64Url(payload.dump());
  return input + "." + Signature(input, claims.iss);
}

Result<m::WebIdentityClaims> ParseWebIdentityToken(const std::string& token) {
  const size_t d1 = token.find('.');
  const size_t d2 = d1 == std::string::npos ? std::string::npos : token.find('.', d1 + 1);
  if (d1 == std::string::npos || d2 == std::string::npos || token.find('.', d2 + 1) != std::string::npos) {
    return AwsError("InvalidIdentityToken", kNotAJwt);
  }
  std::string header_text, payload_text;
  if (!Base64UrlDecode(token.substr(0, d1), &header_text) ||
      !Base64UrlDecode(token.substr(d1 + 1, d2 - d1 - 1), &payload_text)) {
    return AwsError("InvalidIdentityToken", kNotAJwt);
  }
  m::WebIdentityClaims c;
  try {
    const json header = json::parse(header_text);
    const json p = json::parse(payload_text);
    if (!header.is_object() || !p.is_object()) return AwsError("InvalidIdentityToken", kNotAJwt);
    c.iss = p.value("iss", "");
    c.sub = p.value("sub", "");
    if (p.contains("aud")) {
      const json& aud = p["aud"];
      if (aud.is_string()) c.aud = aud.get<std::string>();
      if (aud.is_array() && !aud.empty() && aud[0].is_string()) c.aud = aud[0].get<std::string>();
    }
    c.iat = FromUnixSeconds(p.value("iat", int64_t{0}));
    c.exp = FromUnixSeconds(p.value("exp", int64_t{0}));
  } catch (const json::exception&) {
    return AwsError("InvalidIdentityToken", kNotAJwt);
  }
  const std::string input = token.substr(0, d2);
  if (token.substr(d2 + 1) != Signature(input, c.iss)) return AwsError("InvalidIdentityToken", kBadSignature);
  return c;
}

std::string IrsaTrustPolicyJson(const std::string& oidc_provider_arn, const std::string& issuer_url,
                                const std::string& ns, const std::string& service_account,
                                const std::string& audience) {
  const std::string host = StripHttps(issuer_url);
  json doc = {
      {"Version", "2012-10-17"},
      {"Statement",
       json::array({{{"Effect", "Allow"},
                     {"Principal", {{"Federated", oidc_provider_arn}}},
                     {"Action", "sts:AssumeRoleWithWebIdentity"},
                     {"Condition",
                      {{"StringEquals",
                        {{host + ":sub", ServiceAccountSubject(ns, service_account)}, {host + ":aud", audience}}}}}}})}};
  return doc.dump(2);
}

// ---------------------------------------------------------------------------------------------
// State

struct FakeIam::State {
  struct RoleRec {
    m::IamRole role;
    PolicyDocument trust;
    std::vector<std::string> attached;  // policy ARNs, attach order
    std::map<std::string, std::pair<std::string, PolicyDocument>> inline_policies;  // name → (json, parsed)
  };
  struct PolicyRec {
    m::IamPolicy policy;
    PolicyDocument parsed;
    int next_version = 2;
  };

  State(const Clock& c, FaultPlan& f, ApiCallLog& l, FakeIamOptions o)
      : clock(c), faults(f), log(l), options(std::move(o)), rng(options.seed ^ 0x1a31a31a3ull) {}

  const Clock& clock;
  FaultPlan& faults;
  ApiCallLog& log;
  FakeIamOptions options;
  Rng rng;

  std::map<std::string, RoleRec> roles;        // by name
  std::map<std::string, PolicyRec> policies;   // by ARN
  std::map<std::string, m::OidcProvider> oidc;  // by ARN
  std::map<std::string, StsSession> sessions;  // by assumed-role ARN
  uint64_t generation = 0;                     // bumped by every successful IAM call

  std::string IamPrefix() const { return "arn:" + options.partition + ":iam::" + options.account_id + ":"; }

  std::string Upper(size_t n) {
    static const char* kChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back(kChars[rng.Uniform(32)]);
    return s;
  }

  // Fault plan, the call, the log (serve_call.h); IAM and STS calls are not themselves authorized.
  template <typename MakeJson, typename Body>
  auto Serve(const CallContext& ctx, const char* service, const char* call, MakeJson make_json, Body body)
      -> decltype(body()) {
    return CallPlumbing{clock, faults, log, nullptr}.Serve(
        ctx, service, call, make_json, [] { return std::vector<AuthzRequest>{}; }, [&] {
          auto result = body();
          if (result.ok() && service == kIam) ++generation;  // reads too: harmless, keeps this simple
          return result;
        });
  }

  Result<RoleRec*> FindRole(const std::string& name) {
    auto it = roles.find(name);
    if (it == roles.end()) return AwsError("NoSuchEntity", "The role with name " + name + " cannot be found.");
    return &it->second;
  }

  Result<PolicyRec*> FindPolicy(const std::string& arn) {
    auto it = policies.find(arn);
    if (it == policies.end()) return AwsError("NoSuchEntity", "Policy " + arn + " does not exist or is not attachable.");
    return &it->second;
  }

  std::optional<std::string> RoleNameOf(const std::string& principal) const {
    const std::string sts_prefix = "arn:" + options.partition + ":sts::" + options.account_id + ":assumed-role/";
    if (StartsWith(principal, sts_prefix)) {
      std::string rest = principal.substr(sts_prefix.size());
      size_t slash = rest.find('/');
      if (slash == std::string::npos) return std::nullopt;
      return rest.substr(0, slash);
    }
    const std::string role_prefix = IamPrefix() + "role/";
    if (StartsWith(principal, role_prefix)) {
      std::string rest = principal.substr(role_prefix.size());
      size_t slash = rest.rfind('/');
      return slash == std::string::npos ? rest : rest.substr(slash + 1);
    }
    return std::nullopt;
  }
};

FakeIam::FakeIam(const Clock& clock, FaultPlan& faults, ApiCallLog& log, FakeIamOptions options)
    : s_(std::make_unique<State>(clock, faults, log, std::move(options))) {}
FakeIam::~FakeIam() = default;

std::string FakeIam::IamArnPrefix() const { return s_->IamPrefix(); }
uint64_t FakeIam::generation() const { return s_->generation; }
const FakeIamOptions& FakeIam::options() const { return s_->options; }

// --- Roles ------------------------------------------------------------------------------------------

Result<m::IamRole> FakeIam::CreateRole(const CallContext& ctx, const CreateRoleRequest& req) {
  auto js = [&] {
    json j = {{"RoleName", req.role_name},
              {"Path", req.path},
              {"AssumeRolePolicyDocument", req.assume_role_policy_document},
              {"MaxSessionDuration", req.max_session_duration}};
    if (!req.description.empty()) j["Description"] = req.description;
    if (!req.tags.empty()) j["Tags"] = json::parse(TagsJsonArray(req.tags));
    return j.dump();
  };
  return s_->Serve(ctx, kIam, "CreateRole", js, [&]() -> Result<m::IamRole> {
    if (!ValidName(req.role_name, 1, 64)) return NameError(req.role_name, "roleName", 64);
    if (!ValidPath(req.path)) {
      return AwsError("ValidationError", "The specified value for path is invalid. It must begin and end with / and "
                                         "contain only alphanumeric characters and/or / characters.");
    }
    if (req.max_session_duration < 3600 || req.max_session_duration > 43200) {
      return AwsError("ValidationError",
                      "1 validation error detected: Value '" + std::to_string(req.max_session_duration) +
                          "' at 'maxSessionDuration' failed to satisfy constraint: Member must have value "
                          "between 3600 and 43200");
    }
    // Role names are unique case-insensitively.
    for (const auto& [name, rec] : s_->roles) {
      if (EqualsIgnoreCase(name, req.role_name)) return AwsError("EntityAlreadyExists", "Role with name " + req.role_name + " already exists.");
    }
    SIM_ASSIGN_OR_RETURN(PolicyDocument trust, ParsePolicyDocument(req.assume_role_policy_document, PolicyKind::kTrust));
    State::RoleRec rec;
    rec.trust = std::move(trust);
    m::IamRole& r = rec.role;
    r.path = req.path;
    r.role_name = req.role_name;
    r.role_id = "AROA" + s_->Upper(17);
    r.arn = s_->IamPrefix() + "role" + req.path + req.role_name;
    r.create_date = s_->clock.Now();
    r.assume_role_policy_document = req.assume_role_policy_document;
    r.description = req.description;
    r.max_session_duration = req.max_session_duration;
    r.tags = req.tags;
    m::IamRole out = r;
    s_->roles.emplace(req.role_name, std::move(rec));
    return out;
  });
}

Result<m::IamRole> FakeIam::GetRole(const CallContext& ctx, const std::string& role_name) {
  return s_->Serve(ctx, kIam, "GetRole", [&] { return SingleMemberJson("RoleName", role_name); },
                   [&]() -> Result<m::IamRole> {
                     SIM_ASSIGN_OR_RETURN(State::RoleRec * rec, s_->FindRole(role_name));
                     return rec->role;
                   });
}

Status FakeIam::DeleteRole(const CallContext& ctx, const std::string& role_name) {
  return s_->Serve(ctx, kIam, "DeleteRole", [&] { return SingleMemberJson("RoleName", role_name); }, [&]() -> Status {
    SIM_ASSIGN_OR_RETURN(State::RoleRec * rec, s_->FindRole(role_name));
    if (!rec->attached.empty() || !rec->inline_policies.empty()) {
      return AwsError("DeleteConflict", "Cannot delete entity, must detach all policies first.");
    }
    s_->roles.erase(role_name);
    return OkStatus();
  });
}

Status FakeIam::UpdateAssumeRolePolicy(const CallContext& ctx, const std::string& role_name,
                                       const std::string& policy_document) {
  auto js = [&] { return json{{"RoleName", role_name}, {"PolicyDocument", policy_document}}.dump(); };
  return s_->Serve(ctx, kIam, "UpdateAssumeRolePolicy", js, [&]() -> Status {
    SIM_ASSIGN_OR_RETURN(State::RoleRec * rec, s_->FindRole(role_name));
    SIM_ASSIGN_OR_RETURN(PolicyDocument trust, ParsePolicyDocument(policy_document, PolicyKind::kTrust));
    rec->trust = std::move(trust);
    rec->role.assume_role_policy_document = policy_document;
    return OkStatus();
  });
}

// --- Managed policies -------------------------------------------------------------------------------

Result<m::IamPolicy> FakeIam::CreatePolicy(const CallContext& ctx, const CreatePolicyRequest& req) {
  auto js = [&] {
    json j = {{"PolicyName", req.policy_name}, {"Path", req.path}, {"PolicyDocument", req.policy_document}};
    if (!req.description.empty()) j["Description"] = req.description;
    if (!req.tags.empty()) j["Tags"] = json::parse(TagsJsonArray(req.tags));
    return j.dump();
  };
  return s_->Serve(ctx, kIam, "CreatePolicy", js, [&]() -> Result<m::IamPolicy> {
    if (!ValidName(req.policy_name, 1, 128)) return NameError(req.policy_name, "policyName", 128);
    if (!ValidPath(req.path)) {
      return AwsError("ValidationError", "The specified value for path is invalid. It must begin and end with / and "
                                         "contain only alphanumeric characters and/or / characters.");
    }
    const std::string arn = s_->IamPrefix() + "policy" + req.path + req.policy_name;
    for (const auto& [parn, rec] : s_->policies) {
      if (rec.policy.policy_name == req.policy_name) {
        return AwsError("EntityAlreadyExists",
                        "A policy called " + req.policy_name + " already exists. Duplicate names are not allowed.");
      }
    }
    SIM_ASSIGN_OR_RETURN(PolicyDocument parsed, ParsePolicyDocument(req.policy_document, PolicyKind::kIdentity));
    State::PolicyRec rec;
    rec.parsed = std::move(parsed);
    m::IamPolicy& p = rec.policy;
    p.policy_name = req.policy_name;
    p.policy_id = "ANPA" + s_->Upper(17);
    p.arn = arn;
    p.path = req.path;
    p.description = req.description;
    p.create_date = p.update_date = s_->clock.Now();
    p.document = req.policy_document;
    p.tags = req.tags;
    m::IamPolicy out = p;
    s_->policies.emplace(arn, std::move(rec));
    return out;
  });
}

Result<m::IamPolicy> FakeIam::GetPolicy(const CallContext& ctx, const std::string& policy_arn) {
  return s_->Serve(ctx, kIam, "GetPolicy", [&] { return SingleMemberJson("PolicyArn", policy_arn); },
                   [&]() -> Result<m::IamPolicy> {
                     SIM_ASSIGN_OR_RETURN(State::PolicyRec * rec, s_->FindPolicy(policy_arn));
                     return rec->policy;
                   });
}

Result<m::IamPolicy> FakeIam::CreatePolicyVersion(const CallContext& ctx, const std::string& policy_arn,
                                                  const std::string& policy_document) {
  auto js = [&] {
    return json{{"PolicyArn", policy_arn}, {"PolicyDocument", policy_document}, {"SetAsDefault", true}}.dump();
  };
  return s_->Serve(ctx, kIam, "CreatePolicyVersion", js, [&]() -> Result<m::IamPolicy> {
    SIM_ASSIGN_OR_RETURN(State::PolicyRec * rec, s_->FindPolicy(policy_arn));
    SIM_ASSIGN_OR_RETURN(PolicyDocument parsed, ParsePolicyDocument(policy_document, PolicyKind::kIdentity));
    rec->parsed = std::move(parsed);
    rec->policy.document = policy_document;
    rec->policy.default_version_id = "v" + std::to_string(rec->next_version++);
    rec->policy.update_date = s_->clock.Now();
    return rec->policy;
  });
}

Status FakeIam::DeletePolicy(const CallContext& ctx, const std::string& policy_arn) {
  return s_->Serve(ctx, kIam, "DeletePolicy", [&] { return SingleMemberJson("PolicyArn", policy_arn); },
                   [&]() -> Status {
                     SIM_ASSIGN_OR_RETURN(State::PolicyRec * rec, s_->FindPolicy(policy_arn));
                     if (rec->policy.attachment_count > 0) {
                       return AwsError("DeleteConflict", "Cannot delete a policy attached to entities.");
                     }
                     s_->policies.erase(policy_arn);
                     return OkStatus();
                   });
}

Status FakeIam::AttachRolePolicy(const CallContext& ctx, const std::string& role_name, const std::string& policy_arn) {
  auto js = [&] { return json{{"RoleName", role_name}, {"PolicyArn", policy_arn}}.dump(); };
  return s_->Serve(ctx, kIam, "AttachRolePolicy", js, [&]() -> Status {
    SIM_ASSIGN_OR_RETURN(State::RoleRec * role, s_->FindRole(role_name));
    SIM_ASSIGN_OR_RETURN(State::PolicyRec * pol, s_->FindPolicy(policy_arn));
    if (std::find(role->attached.begin(), role->attached.end(), policy_arn) != role->attached.end()) return OkStatus();
    if (role->attached.size() >= 10) {
      return AwsError("LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10");
    }
    role->attached.push_back(policy_arn);
    ++pol->policy.attachment_count;
    return OkStatus();
  });
}

Status FakeIam::DetachRolePolicy(const CallContext& ctx, const std::string& role_name, const std::string& policy_arn) {
  auto js = [&] { return json{{"RoleName", role_name}, {"PolicyArn", policy_arn}}.dump(); };
  return s_->Serve(ctx, kIam, "DetachRolePolicy", js, [&]() -> Status {
    SIM_ASSIGN_OR_RETURN(State::RoleRec * role, s_->FindRole(role_name));
    auto it = std::find(role->attached.begin(), role->attached.end(), policy_arn);
    if (it == role->attached.end()) return AwsError("NoSuchEntity", "Policy " + policy_arn + " was not found.");
    role->attached.erase(it);
    auto pit = s_->policies.find(policy_arn);
    if (pit != s_->policies.end()) --pit->second.policy.attachment_count;
    return OkStatus();
  });
}

Result<std::vector<m::AttachedPolicy>> FakeIam::ListAttachedRolePolicies(const CallContext& ctx,
                                                                         const std::string& role_name) {
  return s_->Serve(ctx, kIam, "ListAttachedRolePolicies", [&] { return SingleMemberJson("RoleName", role_name); },
                   [&]() -> Result<std::vector<m::AttachedPolicy>> {
                     SIM_ASSIGN_OR_RETURN(State::RoleRec * role, s_->FindRole(role_name));
                     std::vector<m::AttachedPolicy> out;
                     for (const std::string& arn : role->attached) {
                       auto it = s_->policies.find(arn);
                       out.push_back(m::AttachedPolicy{it == s_->policies.end() ? "" : it->second.policy.policy_name, arn});
                     }
                     return out;
                   });
}

// --- Inline policies ----------------------------------------------------------------------------------

Status FakeIam::PutRolePolicy(const CallContext& ctx, const PutRolePolicyRequest& req) {
  auto js = [&] {
    return json{{"RoleName", req.role_name}, {"PolicyName", req.policy_name}, {"PolicyDocument", req.policy_document}}
        .dump();
  };
  return s_->Serve(ctx, kIam, "PutRolePolicy", js, [&]() -> Status {
    if (!ValidName(req.policy_name, 1, 128)) return NameError(req.policy_name, "policyName", 128);
    SIM_ASSIGN_OR_RETURN(State::RoleRec * role, s_->FindRole(req.role_name));
    SIM_ASSIGN_OR_RETURN(PolicyDocument parsed, ParsePolicyDocument(req.policy_document, PolicyKind::kIdentity));
    role->inline_policies[req.policy_name] = {req.policy_document, std::move(parsed)};
    return OkStatus();
  });
}

Result<std::string> FakeIam::GetRolePolicy(const CallContext& ctx, const std::string& role_name,
                                           const std::string& policy_name) {
  auto js = [&] { return json{{"RoleName", role_name}, {"PolicyName", policy_name}}.dump(); };
  return s_->Serve(ctx, kIam, "GetRolePolicy", js, [&]() -> Result<std::string> {
    SIM_ASSIGN_OR_RETURN(State::RoleRec * role, s_->FindRole(role_name));
    auto it = role->inline_policies.find(policy_name);
    if (it == role->inline_policies.end()) {
      return AwsError("NoSuchEntity", "The role policy with name " + policy_name + " cannot be found.");
    }
    return it->second.first;
  });
}

Status FakeIam::DeleteRolePolicy(const CallContext& ctx, const std::string& role_name, const std::string& policy_name) {
  auto js = [&] { return json{{"RoleName", role_name}, {"PolicyName", policy_name}}.dump(); };
  return s_->Serve(ctx, kIam, "DeleteRolePolicy", js, [&]() -> Status {
    SIM_ASSIGN_OR_RETURN(State::RoleRec * role, s_->FindRole(role_name));
    if (!role->inline_policies.erase(policy_name)) {
      return AwsError("NoSuchEntity", "The role policy with name " + policy_name + " cannot be found.");
    }
    return OkStatus();
  });
}

Result<std::vector<std::string>> FakeIam::ListRolePolicies(const CallContext& ctx, const std::string& role_name) {
  return s_->Serve(ctx, kIam, "ListRolePolicies", [&] { return SingleMemberJson("RoleName", role_name); },
                   [&]() -> Result<std::vector<std::string>> {
                     SIM_ASSIGN_OR_RETURN(State::RoleRec * role, s_->FindRole(role_name));
                     std::vector<std::string> out;
                     for (const auto& [name, doc] : role->inline_policies) out.push_back(name);
                     return out;
                   });
}

// --- OIDC providers -------------------------------------------------------------------------------------

Result<std::string> FakeIam::CreateOpenIDConnectProvider(const CallContext& ctx,
                                                         const CreateOpenIDConnectProviderRequest& req) {
  auto js = [&] {
    json j = {{"Url", req.url}, {"ClientIDList", req.client_id_list}, {"ThumbprintList", req.thumbprint_list}};
    if (!req.tags.empty()) j["Tags"] = json::parse(TagsJsonArray(req.tags));
    return j.dump();
  };
  return s_->Serve(ctx, kIam, "CreateOpenIDConnectProvider", js, [&]() -> Result<std::string> {
    if (!StartsWith(req.url, "https://") || req.url.size() <= 8) {
      return AwsError("ValidationError", "Invalid OpenID Connect Provider URL: " + req.url);
    }
    if (req.client_id_list.size() > 100) {
      return AwsError("LimitExceeded", "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100");
    }
    for (const std::string& t : req.thumbprint_list) {
      bool hex = t.size() == 40 && std::all_of(t.begin(), t.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
      if (!hex) return AwsError("InvalidInput", "Thumbprint must be 40 characters");
    }
    const std::string url = StripHttps(req.url);
    const std::string arn = s_->IamPrefix() + "oidc-provider/" + url;
    if (s_->oidc.count(arn)) return AwsError("EntityAlreadyExists", "Provider with url https://" + url + " already exists.");
    m::OidcProvider p;
    p.arn = arn;
    p.url = url;
    p.client_id_list = req.client_id_list;
    p.thumbprint_list = req.thumbprint_list;
    p.create_date = s_->clock.Now();
    p.tags = req.tags;
    s_->oidc.emplace(arn, std::move(p));
    return arn;
  });
}

Result<m::OidcProvider> FakeIam::GetOpenIDConnectProvider(const CallContext& ctx, const std::string& arn) {
  return s_->Serve(ctx, kIam, "GetOpenIDConnectProvider",
                   [&] { return SingleMemberJson("OpenIDConnectProviderArn", arn); }, [&]() -> Result<m::OidcProvider> {
                     auto it = s_->oidc.find(arn);
                     if (it == s_->oidc.end()) {
                       return AwsError("NoSuchEntity", "OpenIDConnect provider not found for arn " + arn);
                     }
                     return it->second;
                   });
}

Status FakeIam::DeleteOpenIDConnectProvider(const CallContext& ctx, const std::string& arn) {
  return s_->Serve(ctx, kIam, "DeleteOpenIDConnectProvider",
                   [&] { return SingleMemberJson("OpenIDConnectProviderArn", arn); }, [&]() -> Status {
                     if (!s_->oidc.erase(arn)) {
                       return AwsError("NoSuchEntity", "OpenIDConnect provider not found for arn " + arn);
                     }
                     return OkStatus();
                   });
}

Result<std::vector<std::string>> FakeIam::ListOpenIDConnectProviders(const CallContext& ctx) {
  return s_->Serve(ctx, kIam, "ListOpenIDConnectProviders", [&] { return std::string("{}"); },
                   [&]() -> Result<std::vector<std::string>> {
                     std::vector<std::string> out;
                     for (const auto& [arn, p] : s_->oidc) out.push_back(arn);
                     return out;
                   });
}

// --- STS ------------------------------------------------------------------------------------------------

Result<m::AssumeRoleWithWebIdentityResult> FakeIam::AssumeRoleWithWebIdentity(
    const CallContext& ctx, const AssumeRoleWithWebIdentityRequest& req) {
  // The token is a credential: it is not part of the digest input.
  auto js = [&] {
    json j = {{"RoleArn", req.role_arn}, {"RoleSessionName", req.role_session_name}};
    if (req.duration_seconds) j["DurationSeconds"] = *req.duration_seconds;
    return j.dump();
  };
  return s_->Serve(ctx, kSts, "AssumeRoleWithWebIdentity", js, [&]() -> Result<m::AssumeRoleWithWebIdentityResult> {
    if (req.role_arn.size() < 20) {
      return AwsError("ValidationError", "1 validation error detected: Value '" + req.role_arn +
                                             "' at 'roleArn' failed to satisfy constraint: Member must have length "
                                             "greater than or equal to 20");
    }
    if (!ValidName(req.role_session_name, 2, 64)) {
      return AwsError("ValidationError",
                      "1 validation error detected: Value '" + req.role_session_name +
                          "' at 'roleSessionName' failed to satisfy constraint: " +
                          (req.role_session_name.size() < 2 || req.role_session_name.size() > 64
                               ? std::string("Member must have length ") +
                                     (req.role_session_name.size() < 2 ? "greater than or equal to 2"
                                                                       : "less than or equal to 64")
                               : std::string("Member must satisfy regular expression pattern: [\\w+=,.@-]*")));
    }
    if (req.web_identity_token.empty()) {
      return AwsError("ValidationError", "1 validation error detected: Value null at 'webIdentityToken' failed to "
                                         "satisfy constraint: Member must not be null");
    }
    SIM_ASSIGN_OR_RETURN(m::WebIdentityClaims claims, ParseWebIdentityToken(req.web_identity_token));
    const std::string issuer = StripHttps(claims.iss);
    const std::string provider_arn = s_->IamPrefix() + "oidc-provider/" + issuer;
    auto pit = s_->oidc.find(provider_arn);
    if (pit == s_->oidc.end()) {
      return AwsError("InvalidIdentityToken", "No OpenIDConnect provider found in your account for " + claims.iss);
    }
    const SimTime now = s_->clock.Now();
    if (now >= claims.exp) {
      return AwsError("ExpiredTokenException", "Token expired: current date/time " + std::to_string(UnixSeconds(now)) +
                                                   " must be before the expiration date/time " +
                                                   std::to_string(UnixSeconds(claims.exp)));
    }
    const std::vector<std::string>& auds = pit->second.client_id_list;
    if (std::find(auds.begin(), auds.end(), claims.aud) == auds.end()) {
      return AwsError("InvalidIdentityToken", "Incorrect token audience");
    }
    std::optional<std::string> role_name = s_->RoleNameOf(req.role_arn);
    auto rit = role_name ? s_->roles.find(*role_name) : s_->roles.end();
    if (rit == s_->roles.end() || rit->second.role.arn != req.role_arn) {
      return AwsError("AccessDenied", kNotAuthorizedWebIdentity);
    }
    const State::RoleRec& role = rit->second;
    AuthzRequest az;
    az.principal_arn = provider_arn;
    az.principal_type = "Federated";
    az.action = "sts:AssumeRoleWithWebIdentity";
    az.resource = role.role.arn;
    az.api_call = "AssumeRoleWithWebIdentity";
    az.context[issuer + ":sub"] = {claims.sub};
    az.context[issuer + ":aud"] = {claims.aud};
    az.context[issuer + ":amr"] = {"authenticated"};
    az.context["aws:FederatedProvider"] = {provider_arn};
    std::vector<NamedPolicy> trust = {NamedPolicy{role.role.role_name + " trust policy", role.role.arn, "trust", role.trust}};
    if (EvaluatePolicies(trust, az) != Decision::kAllow) return AwsError("AccessDenied", kNotAuthorizedWebIdentity);
    const int duration = req.duration_seconds.value_or(3600);
    if (duration < 900) {
      return AwsError("ValidationError", "1 validation error detected: Value '" + std::to_string(duration) +
                                             "' at 'durationSeconds' failed to satisfy constraint: Member must have "
                                             "value greater than or equal to 900");
    }
    if (duration > role.role.max_session_duration) {
      return AwsError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    m::AssumeRoleWithWebIdentityResult out;
    out.credentials.access_key_id = "ASIA" + s_->Upper(16);
    out.credentials.secret_access_key = s_->rng.Hex(40);
    out.credentials.session_token = "IQoJb3JpZ2luX2VjE" + Base64Url(s_->rng.Hex(48));
    out.credentials.expiration = now + std::chrono::seconds(duration);
    out.subject_from_web_identity_token = claims.sub;
    out.assumed_role_user.assumed_role_id = role.role.role_id + ":" + req.role_session_name;
    out.assumed_role_user.arn = "arn:" + s_->options.partition + ":sts::" + s_->options.account_id +
                                ":assumed-role/" + role.role.role_name + "/" + req.role_session_name;
    out.provider = issuer;
    out.audience = claims.aud;
    StsSession session;
    session.assumed_role_arn = out.assumed_role_user.arn;
    session.role_name = role.role.role_name;
    session.role_arn = role.role.arn;
    session.session_name = req.role_session_name;
    session.subject = claims.sub;
    session.provider = provider_arn;
    session.issued = now;
    session.expiration = out.credentials.expiration;
    s_->sessions[session.assumed_role_arn] = session;
    return out;
  });
}

Result<m::CallerIdentity> FakeIam::GetCallerIdentity(const CallContext& ctx) {
  return s_->Serve(ctx, kSts, "GetCallerIdentity", [&] { return std::string("{}"); },
                   [&]() -> Result<m::CallerIdentity> {
                     auto it = s_->sessions.find(ctx.principal_arn);
                     if (it == s_->sessions.end()) {
                       return AwsError("InvalidClientTokenId", "The security token included in the request is invalid.");
                     }
                     if (s_->clock.Now() >= it->second.expiration) {
                       return AwsError("ExpiredToken", "The security token included in the request is expired");
                     }
                     auto rit = s_->roles.find(it->second.role_name);
                     const std::string role_id = rit == s_->roles.end() ? "" : rit->second.role.role_id;
                     return m::CallerIdentity{role_id + ":" + it->second.session_name, s_->options.account_id,
                                              it->second.assumed_role_arn};
                   });
}

// --- Simulator side ---------------------------------------------------------------------------------

std::vector<NamedPolicy> FakeIam::PoliciesForPrincipal(const std::string& principal_arn) const {
  std::vector<NamedPolicy> out;
  std::optional<std::string> name = s_->RoleNameOf(principal_arn);
  if (!name) return out;
  auto it = s_->roles.find(*name);
  if (it == s_->roles.end()) return out;
  for (const auto& [pname, doc] : it->second.inline_policies) {
    out.push_back(NamedPolicy{pname, "", "inline", doc.second});
  }
  for (const std::string& arn : it->second.attached) {
    auto pit = s_->policies.find(arn);
    if (pit == s_->policies.end()) continue;
    out.push_back(NamedPolicy{pit->second.policy.policy_name, arn, "managed", pit->second.parsed});
  }
  return out;
}

std::optional<std::string> FakeIam::RoleNameOfPrincipal(const std::string& principal_arn) const {
  return s_->RoleNameOf(principal_arn);
}

std::optional<StsSession> FakeIam::SessionForSim(const std::string& assumed_role_arn) const {
  auto it = s_->sessions.find(assumed_role_arn);
  if (it == s_->sessions.end()) return std::nullopt;
  return it->second;
}

std::optional<m::IamRole> FakeIam::RoleForSim(const std::string& role_name) const {
  auto it = s_->roles.find(role_name);
  if (it == s_->roles.end()) return std::nullopt;
  return it->second.role;
}

std::optional<m::IamPolicy> FakeIam::PolicyForSim(const std::string& policy_arn) const {
  auto it = s_->policies.find(policy_arn);
  if (it == s_->policies.end()) return std::nullopt;
  return it->second.policy;
}

std::vector<m::IamRole> FakeIam::RolesForSim() const {
  std::vector<m::IamRole> out;
  for (const auto& [name, rec] : s_->roles) out.push_back(rec.role);
  return out;
}

std::vector<m::IamPolicy> FakeIam::PoliciesForSim() const {
  std::vector<m::IamPolicy> out;
  for (const auto& [arn, rec] : s_->policies) out.push_back(rec.policy);
  return out;
}

std::vector<m::OidcProvider> FakeIam::OidcProvidersForSim() const {
  std::vector<m::OidcProvider> out;
  for (const auto& [arn, p] : s_->oidc) out.push_back(p);
  return out;
}

// ---------------------------------------------------------------------------------------------

Result<IrsaSetup> SetUpIrsaRole(FakeIam& iam, const std::string& issuer_url, const std::string& ns,
                                const std::string& service_account, const std::string& role_name,
                                const std::string& policy_name, const std::string& policy_json) {
  const CallContext ctx{"scenario", ""};
  IrsaSetup out;
  out.oidc_provider_arn = iam.IamArnPrefix() + "oidc-provider/" + StripHttps(issuer_url);
  bool have_provider = false;
  for (const m::OidcProvider& p : iam.OidcProvidersForSim()) have_provider = have_provider || p.arn == out.oidc_provider_arn;
  if (!have_provider) {
    CreateOpenIDConnectProviderRequest preq;
    preq.url = issuer_url;
    preq.client_id_list = {"sts.amazonaws.com"};
    SIM_ASSIGN_OR_RETURN(out.oidc_provider_arn, iam.CreateOpenIDConnectProvider(ctx, preq));
  }
  CreateRoleRequest rreq;
  rreq.role_name = role_name;
  rreq.assume_role_policy_document =
      IrsaTrustPolicyJson(out.oidc_provider_arn, issuer_url, ns, service_account, "sts.amazonaws.com");
  SIM_ASSIGN_OR_RETURN(m::IamRole role, iam.CreateRole(ctx, rreq));
  out.role_arn = role.arn;
  CreatePolicyRequest preq;
  preq.policy_name = policy_name;
  preq.policy_document = policy_json;
  SIM_ASSIGN_OR_RETURN(m::IamPolicy policy, iam.CreatePolicy(ctx, preq));
  out.policy_arn = policy.arn;
  SIM_RETURN_IF_ERROR(iam.AttachRolePolicy(ctx, role_name, policy.arn));
  return out;
}

}  // namespace sim::aws
