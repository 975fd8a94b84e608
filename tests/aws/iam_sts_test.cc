// Fake IAM (roles, policies, OIDC providers) and STS AssumeRoleWithWebIdentity for IRSA.

#include <doctest/doctest.h>

#include "sim/aws/fake_iam.h"
#include "tests/aws/iam_test_world.h"

namespace sim::aws {
namespace {

using testing::kIssuer;
using testing::SaToken;

constexpr const char* kIssuerHost = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E";

struct Sts {
  SimClock clock;
  FaultPlan faults;
  ApiCallLog log;
  FakeIam iam{clock, faults, log};
  std::string provider_arn;
  std::string role_arn;

  // A provider for kIssuer (client id sts.amazonaws.com) and role "lbc" with `trust` (default:
  // the EKS-doc trust policy for kube-system/aws-load-balancer-controller).
  explicit Sts(std::string trust = "") {
    CreateOpenIDConnectProviderRequest p;
    p.url = kIssuer;
    p.client_id_list = {"sts.amazonaws.com"};
    p.thumbprint_list = {"9e99a48a9960b14926bb7f3b02e22da2b0ab7280"};
    auto arn = iam.CreateOpenIDConnectProvider(ConsoleCall(), p);
    REQUIRE_MESSAGE(arn.ok(), arn.error().ToString());
    provider_arn = arn.value();
    if (trust.empty()) {
      trust = IrsaTrustPolicyJson(provider_arn, kIssuer, "kube-system", "aws-load-balancer-controller");
    }
    CreateRoleRequest r;
    r.role_name = "lbc";
    r.assume_role_policy_document = trust;
    auto role = iam.CreateRole(ConsoleCall(), r);
    REQUIRE_MESSAGE(role.ok(), role.error().ToString());
    role_arn = role->arn;
  }

  Result<model::aws::AssumeRoleWithWebIdentityResult> Assume(const std::string& token, const std::string& session = "s1") {
    AssumeRoleWithWebIdentityRequest req;
    req.role_arn = role_arn;
    req.role_session_name = session;
    req.web_identity_token = token;
    return iam.AssumeRoleWithWebIdentity(ControllerCall(), req);
  }
};

std::string TrustWith(const std::string& provider_arn, const std::string& op, const std::string& sub,
                      const std::string& aud = "sts.amazonaws.com") {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":")" + provider_arn +
         R"("},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{")" + op + R"(":{")" + kIssuerHost +
         R"(:sub":")" + sub + R"(",")" + kIssuerHost + R"(:aud":")" + aud + R"("}}}]})";
}

}  // namespace

TEST_SUITE("aws.iam.sts") {

TEST_CASE("the OIDC provider ARN, role ARN and assumed-role ARN have the AWS shapes") {
  Sts sts;
  CHECK(sts.provider_arn == std::string("arn:aws:iam::123456789012:oidc-provider/") + kIssuerHost);
  CHECK(sts.role_arn == "arn:aws:iam::123456789012:role/lbc");
  auto role = sts.iam.GetRole(ConsoleCall(), "lbc");
  REQUIRE(role.ok());
  CHECK(role->role_id.rfind("AROA", 0) == 0);
  CHECK(role->role_id.size() == 21);
  auto res = sts.Assume(SaToken(sts.clock.Now()), "session-1");
  REQUIRE_MESSAGE(res.ok(), res.error().ToString());
  CHECK(res->assumed_role_user.arn == "arn:aws:sts::123456789012:assumed-role/lbc/session-1");
  CHECK(res->assumed_role_user.assumed_role_id == role->role_id + ":session-1");
  CHECK(res->subject_from_web_identity_token == "system:serviceaccount:kube-system:aws-load-balancer-controller");
  CHECK(res->audience == "sts.amazonaws.com");
  CHECK(res->provider == kIssuerHost);
  CHECK(res->credentials.access_key_id.rfind("ASIA", 0) == 0);
  CHECK(res->credentials.expiration == sts.clock.Now() + std::chrono::hours(1));
  // The session is known to STS.
  auto who = sts.iam.GetCallerIdentity(CallContext{"controller", res->assumed_role_user.arn});
  REQUIRE(who.ok());
  CHECK(who->arn == res->assumed_role_user.arn);
  CHECK(who->account == "123456789012");
  // And the calls were logged as sts / iam.
  CHECK(sts.log.Count("AssumeRoleWithWebIdentity", 0, "", "sts") == 1);
  CHECK(sts.log.Count("CreateRole", 0, "", "iam") == 1);
}

TEST_CASE("the trust policy's sub condition rejects another service account with AccessDenied") {
  Sts sts;
  auto res = sts.Assume(SaToken(sts.clock.Now(), "kube-system", "other-sa"));
  REQUIRE_FALSE(res.ok());
  CHECK(res.error().aws_code == "AccessDenied");
  CHECK(res.error().code == ErrorCode::kPermissionDenied);
  CHECK(res.error().message == "Not authorized to perform sts:AssumeRoleWithWebIdentity");
  // Same for the right name in another namespace.
  auto ns = sts.Assume(SaToken(sts.clock.Now(), "default", "aws-load-balancer-controller"));
  REQUIRE_FALSE(ns.ok());
  CHECK(ns.error().aws_code == "AccessDenied");
  // The failure is in the call log.
  auto last = sts.log.at(sts.log.size() - 1);
  CHECK(std::string(last.service) == "sts");
  CHECK_FALSE(last.ok);
  CHECK(last.error_code == "AccessDenied");
}

TEST_CASE("the trust policy's aud condition is checked too") {
  // Provider accepts two audiences; the role trusts only sts.amazonaws.com.
  SimClock clock;
  FaultPlan faults;
  ApiCallLog log;
  FakeIam iam(clock, faults, log);
  CreateOpenIDConnectProviderRequest p;
  p.url = kIssuer;
  p.client_id_list = {"sts.amazonaws.com", "vault"};
  auto provider = iam.CreateOpenIDConnectProvider(ConsoleCall(), p);
  REQUIRE(provider.ok());
  CreateRoleRequest r;
  r.role_name = "lbc";
  r.assume_role_policy_document = IrsaTrustPolicyJson(provider.value(), kIssuer, "kube-system", "lbc");
  auto role = iam.CreateRole(ConsoleCall(), r);
  REQUIRE(role.ok());
  AssumeRoleWithWebIdentityRequest req;
  req.role_arn = role->arn;
  req.role_session_name = "s1";
  req.web_identity_token = SaToken(clock.Now(), "kube-system", "lbc", "vault");
  auto wrong_aud = iam.AssumeRoleWithWebIdentity(ControllerCall(), req);
  REQUIRE_FALSE(wrong_aud.ok());
  CHECK(wrong_aud.error().aws_code == "AccessDenied");
  req.web_identity_token = SaToken(clock.Now(), "kube-system", "lbc", "sts.amazonaws.com");
  CHECK(iam.AssumeRoleWithWebIdentity(ControllerCall(), req).ok());
}

TEST_CASE("StringLike trust conditions accept a wildcard service-account name") {
  Sts probe;
  Sts sts(TrustWith(probe.provider_arn, "StringLike", "system:serviceaccount:kube-system:aws-load-*"));
  CHECK(sts.Assume(SaToken(sts.clock.Now(), "kube-system", "aws-load-balancer-controller")).ok());
  CHECK_FALSE(sts.Assume(SaToken(sts.clock.Now(), "kube-system", "external-dns")).ok());
  // StringEquals with a '*' is literal.
  Sts literal(TrustWith(probe.provider_arn, "StringEquals", "system:serviceaccount:kube-system:*"));
  CHECK_FALSE(literal.Assume(SaToken(literal.clock.Now())).ok());
}

TEST_CASE("token problems are InvalidIdentityToken / ExpiredTokenException with the STS texts") {
  Sts sts;
  SUBCASE("an audience the provider does not list") {
    auto r = sts.Assume(SaToken(sts.clock.Now(), "kube-system", "aws-load-balancer-controller", "sts.amazon.com"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "InvalidIdentityToken");
    CHECK(r.error().message == "Incorrect token audience");
  }
  SUBCASE("an issuer with no OIDC provider in the account") {
    const std::string other = EksOidcIssuerUrl("us-west-2", "0000000000000000000000000000000A");
    auto r = sts.Assume(SaToken(sts.clock.Now(), "kube-system", "aws-load-balancer-controller", "sts.amazonaws.com", other));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "InvalidIdentityToken");
    CHECK(r.error().message == "No OpenIDConnect provider found in your account for " + other);
  }
  SUBCASE("not a JWT") {
    auto r = sts.Assume("not-a-token");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "InvalidIdentityToken");
    CHECK(r.error().message ==
          "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
  }
  SUBCASE("a tampered token (payload swapped, signature kept)") {
    const std::string good = SaToken(sts.clock.Now());
    const std::string other = SaToken(sts.clock.Now(), "kube-system", "x");
    const std::string forged = other.substr(0, other.rfind('.')) + good.substr(good.rfind('.'));
    auto r = sts.Assume(forged);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "InvalidIdentityToken");
    CHECK(r.error().message.rfind("The web identity token that was passed could not be validated by AWS.", 0) == 0);
  }
  SUBCASE("an expired token") {
    const std::string token = SaToken(sts.clock.Now());
    sts.clock.AdvanceTo(sts.clock.Now() + std::chrono::hours(25));
    auto r = sts.Assume(token);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "ExpiredTokenException");
    CHECK(r.error().message.rfind("Token expired: current date/time ", 0) == 0);
  }
  SUBCASE("an unknown role looks the same as a refused one") {
    AssumeRoleWithWebIdentityRequest req;
    req.role_arn = "arn:aws:iam::123456789012:role/missing";
    req.role_session_name = "s1";
    req.web_identity_token = SaToken(sts.clock.Now());
    auto r = sts.iam.AssumeRoleWithWebIdentity(ControllerCall(), req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "AccessDenied");
    CHECK(r.error().message == "Not authorized to perform sts:AssumeRoleWithWebIdentity");
  }
  SUBCASE("a bad session name or duration is a ValidationError") {
    auto r = sts.Assume(SaToken(sts.clock.Now()), "x");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "ValidationError");
    AssumeRoleWithWebIdentityRequest req;
    req.role_arn = sts.role_arn;
    req.role_session_name = "s1";
    req.web_identity_token = SaToken(sts.clock.Now());
    req.duration_seconds = 7200;  // role max is 3600
    auto d = sts.iam.AssumeRoleWithWebIdentity(ControllerCall(), req);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().message == "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
  }
}

TEST_CASE("the trust policy can be replaced to fix a wrong service account") {
  Sts probe;
  Sts sts(TrustWith(probe.provider_arn, "StringEquals", "system:serviceaccount:kube-system:wrong-name"));
  CHECK_FALSE(sts.Assume(SaToken(sts.clock.Now())).ok());
  REQUIRE(sts.iam
              .UpdateAssumeRolePolicy(ConsoleCall(), "lbc",
                                      IrsaTrustPolicyJson(sts.provider_arn, kIssuer, "kube-system",
                                                          "aws-load-balancer-controller"))
              .ok());
  CHECK(sts.Assume(SaToken(sts.clock.Now())).ok());
}

TEST_CASE("IAM entities: duplicates, missing entities, delete conflicts, attach and inline policies") {
  Sts sts;
  FakeIam& iam = sts.iam;
  const CallContext c = ConsoleCall();
  CreateRoleRequest dup;
  dup.role_name = "LBC";  // role names are unique case-insensitively
  dup.assume_role_policy_document = sts.iam.RoleForSim("lbc")->assume_role_policy_document;
  auto d = iam.CreateRole(c, dup);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().aws_code == "EntityAlreadyExists");
  CHECK(d.error().message == "Role with name LBC already exists.");
  auto missing = iam.GetRole(c, "nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().aws_code == "NoSuchEntity");
  CHECK(missing.error().message == "The role with name nope cannot be found.");
  CreateRoleRequest bad_trust;
  bad_trust.role_name = "bad";
  bad_trust.assume_role_policy_document = R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:*"}})";
  CHECK(iam.CreateRole(c, bad_trust).error().message == "Missing required field Principal");

  CreatePolicyRequest pol;
  pol.policy_name = "P";
  pol.policy_document = R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}})";
  auto p = iam.CreatePolicy(c, pol);
  REQUIRE(p.ok());
  CHECK(p->arn == "arn:aws:iam::123456789012:policy/P");
  CHECK(iam.CreatePolicy(c, pol).error().aws_code == "EntityAlreadyExists");
  CHECK(iam.AttachRolePolicy(c, "lbc", "arn:aws:iam::123456789012:policy/Nope").error().message ==
        "Policy arn:aws:iam::123456789012:policy/Nope does not exist or is not attachable.");
  REQUIRE(iam.AttachRolePolicy(c, "lbc", p->arn).ok());
  REQUIRE(iam.AttachRolePolicy(c, "lbc", p->arn).ok());  // idempotent
  CHECK(iam.GetPolicy(c, p->arn)->attachment_count == 1);
  REQUIRE(iam.PutRolePolicy(c, PutRolePolicyRequest{"lbc", "inline1", pol.policy_document}).ok());
  CHECK(iam.ListRolePolicies(c, "lbc").value() == std::vector<std::string>{"inline1"});
  CHECK(iam.ListAttachedRolePolicies(c, "lbc")->size() == 1);
  // The principal's policies: inline first, then managed.
  auto policies = iam.PoliciesForPrincipal("arn:aws:sts::123456789012:assumed-role/lbc/s1");
  REQUIRE(policies.size() == 2);
  CHECK(policies[0].kind == "inline");
  CHECK(policies[1].name == "P");
  CHECK(iam.PoliciesForPrincipal("arn:aws:sts::999999999999:assumed-role/lbc/s1").empty());
  CHECK(iam.DeletePolicy(c, p->arn).error().aws_code == "DeleteConflict");
  auto del = iam.DeleteRole(c, "lbc");
  REQUIRE_FALSE(del.ok());
  CHECK(del.error().message == "Cannot delete entity, must detach all policies first.");
  REQUIRE(iam.DetachRolePolicy(c, "lbc", p->arn).ok());
  CHECK(iam.DetachRolePolicy(c, "lbc", p->arn).error().aws_code == "NoSuchEntity");
  REQUIRE(iam.DeleteRolePolicy(c, "lbc", "inline1").ok());
  CHECK(iam.DeleteRole(c, "lbc").ok());
  CHECK(iam.DeletePolicy(c, p->arn).ok());
  // A second provider for the same URL.
  CreateOpenIDConnectProviderRequest again;
  again.url = kIssuer;
  auto e = iam.CreateOpenIDConnectProvider(c, again);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().aws_code == "EntityAlreadyExists");
}

TEST_CASE("IAM and STS calls obey the fault plan") {
  Sts sts;
  sts.faults.Add(FaultRule{"sts", "AssumeRoleWithWebIdentity", "", "Throttling", "", 1, 0});
  auto r = sts.Assume(SaToken(sts.clock.Now()));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().aws_code == "Throttling");
  CHECK(sts.Assume(SaToken(sts.clock.Now())).ok());
}

}  // TEST_SUITE

}  // namespace sim::aws
