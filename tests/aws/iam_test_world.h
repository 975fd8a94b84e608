#pragma once
// TestWorld (aws_test_world.h) plus IRSA: the cluster's OIDC provider, the controller's role
// trusting kube-system/aws-load-balancer-controller with a given policy, IAM authorization on, and
// a CallContext carrying the assumed-role principal that STS handed out.

#include <string>

#include <doctest/doctest.h>

#include "sim/aws/controller_iam_policy.h"
#include "tests/aws/aws_test_world.h"

namespace sim::aws::testing {

inline const char* kClusterName = "demo";
inline const std::string kIssuer = EksOidcIssuerUrl("us-west-2", "EXAMPLED539D4633E53DE1B716D3041E");

// A projected service-account token for `ns/name`, valid for a day from `now`.
inline std::string SaToken(SimTime now, const std::string& ns = "kube-system",
                           const std::string& name = "aws-load-balancer-controller",
                           const std::string& aud = "sts.amazonaws.com", const std::string& iss = kIssuer) {
  model::aws::WebIdentityClaims c;
  c.iss = iss;
  c.sub = ServiceAccountSubject(ns, name);
  c.aud = aud;
  c.iat = now;
  c.exp = now + std::chrono::seconds(86400);
  return MintWebIdentityToken(c);
}

struct IamWorld : TestWorld {
  IrsaSetup irsa;
  CallContext controller;  // caller "controller", principal = the assumed role

  // `policy_json` empty = the published controller policy.
  explicit IamWorld(std::string policy_json = "") {
    if (policy_json.empty()) {
      auto text = ReadControllerIamPolicyJson();
      REQUIRE_MESSAGE(text.ok(), text.error().ToString());
      policy_json = text.value();
    }
    auto setup = SetUpIrsaRole(aws.iam(), kIssuer, "kube-system", "aws-load-balancer-controller",
                               kControllerIamRoleName, kControllerIamPolicyName, policy_json);
    REQUIRE_MESSAGE(setup.ok(), setup.error().ToString());
    irsa = setup.value();
    AssumeRoleWithWebIdentityRequest req;
    req.role_arn = irsa.role_arn;
    req.role_session_name = "1767225600000000000";
    req.web_identity_token = SaToken(clock.Now());
    auto creds = aws.iam().AssumeRoleWithWebIdentity(ControllerCall(), req);
    REQUIRE_MESSAGE(creds.ok(), creds.error().ToString());
    controller = CallContext{kCallerController, creds->assumed_role_user.arn};
    aws.EnableIamAuthorization();
  }

  IamAuthorizer& authz() { return *aws.iam_authorizer(); }

  // Tags the controller puts on everything it creates for ingress `ns/name`.
  static std::vector<model::aws::Tag> StackTags(const std::string& stack = "default/web") {
    return {{"elbv2.k8s.aws/cluster", kClusterName}, {"ingress.k8s.aws/stack", stack},
            {"ingress.k8s.aws/resource", "LoadBalancer"}};
  }
};

}  // namespace sim::aws::testing
