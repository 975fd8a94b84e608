// IAM policy parsing and evaluation: wildcards, conditions, explicit deny.

#include <algorithm>

#include <doctest/doctest.h>

#include "sim/aws/iam_policy.h"

namespace sim::aws {
namespace {

AuthzRequest Req(const std::string& action, const std::string& resource) {
  AuthzRequest r;
  r.principal_arn = "arn:aws:sts::123456789012:assumed-role/r/s";
  r.action = action;
  r.resource = resource;
  return r;
}

std::vector<NamedPolicy> Policies(const std::string& json) {
  Result<PolicyDocument> doc = ParsePolicyDocument(json, PolicyKind::kIdentity);
  REQUIRE_MESSAGE(doc.ok(), doc.error().ToString());
  return {NamedPolicy{"p", "arn:aws:iam::123456789012:policy/p", "managed", doc.value()}};
}

Decision Eval(const std::string& json, const AuthzRequest& req) { return EvaluatePolicies(Policies(json), req); }

// One Allow statement with `condition` (a JSON object) on every action/resource.
std::string AllowIf(const std::string& condition) {
  return R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":)" +
         condition + "}}";
}

const char* kLbArn = "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/k8s-web/0123456789abcdef";

}  // namespace

TEST_SUITE("aws.iam.policy") {

TEST_CASE("a statement may be a single object or a list, and string-or-list fields take either form") {
  auto one = ParsePolicyDocument(
      R"({"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"ec2:DescribeVpcs","Resource":"*"}})");
  REQUIRE(one.ok());
  REQUIRE(one->statements.size() == 1);
  CHECK(one->statements[0].sid == "A");
  CHECK(one->statements[0].actions == std::vector<std::string>{"ec2:DescribeVpcs"});
  auto many = ParsePolicyDocument(R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":["ec2:A","ec2:B"],"Resource":["arn:aws:ec2:*:*:vpc/*"]},
      {"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:x:*",
       "Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":10}}}]})");
  REQUIRE(many.ok());
  REQUIRE(many->statements.size() == 2);
  CHECK(many->statements[1].index == 1);
  CHECK_FALSE(many->statements[1].allow);
  CHECK(many->statements[1].not_action);
  CHECK(many->statements[1].not_resource);
  REQUIRE(many->statements[1].conditions.size() == 2);
  CHECK(many->statements[1].conditions[0].values == std::vector<std::string>{"false"});
  CHECK(many->statements[1].conditions[1].values == std::vector<std::string>{"10"});
  // Conditions keep document order (explanations list them as written).
  auto ordered = ParsePolicyDocument(R"({"Statement":{"Effect":"Allow","Action":"*","Resource":"*",
      "Condition":{"StringEquals":{"z:k":"v"},"Null":{"a:k":"false"}}}})");
  REQUIRE(ordered.ok());
  CHECK(ordered->statements[0].conditions[0].op == "StringEquals");
  CHECK(ordered->statements[0].conditions[1].op == "Null");
}

TEST_CASE("malformed policies are rejected with IAM's MalformedPolicyDocument texts") {
  auto err = [](const std::string& json, PolicyKind kind = PolicyKind::kIdentity) {
    auto r = ParsePolicyDocument(json, kind);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().aws_code == "MalformedPolicyDocument");
    return r.error().message;
  };
  CHECK(err("{not json") == "This policy contains invalid Json");
  CHECK(err(R"({"Statement":{"Action":"ec2:X","Resource":"*"}})") == "Missing required field Effect");
  CHECK(err(R"({"Statement":{"Effect":"Permit","Action":"ec2:X","Resource":"*"}})") == "Invalid effect: Permit");
  CHECK(err(R"({"Statement":{"Effect":"Allow","Resource":"*"}})") == "Missing required field Action");
  CHECK(err(R"({"Statement":{"Effect":"Allow","Action":"ec2:X"}})") == "Missing required field Resource");
  CHECK(err(R"({"Statement":{"Effect":"Allow","Action":"DescribeVpcs","Resource":"*"}})") ==
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
  CHECK(err(R"({"Statement":{"Effect":"Allow","Action":"ec2:X","Resource":"*","Principal":"*"}})") ==
        "Policy document should not specify a principal.");
  CHECK(err(R"({"Statement":{"Effect":"Allow","Action":"ec2:X","Resource":"*","Condition":{"StringEqualz":{"a:b":"c"}}}})") ==
        "Invalid Condition type : StringEqualz.");
  CHECK(err(R"({"Statement":{"Effect":"Allow","Action":"sts:AssumeRoleWithWebIdentity"}})", PolicyKind::kTrust) ==
        "Missing required field Principal");
  // A trust policy needs no Resource.
  CHECK(ParsePolicyDocument(
            R"({"Statement":{"Effect":"Allow","Principal":{"Federated":"arn:p"},"Action":"sts:AssumeRoleWithWebIdentity"}})",
            PolicyKind::kTrust)
            .ok());
}

TEST_CASE("actions match case-insensitively with * and ?; resources match case-sensitively") {
  CHECK(ActionMatches("elasticloadbalancing:*", "elasticloadbalancing:AddTags"));
  CHECK(ActionMatches("ELASTICLOADBALANCING:addtags", "elasticloadbalancing:AddTags"));
  CHECK(ActionMatches("elasticloadbalancing:Describe*", "elasticloadbalancing:DescribeTags"));
  CHECK(ActionMatches("ec2:?escribeVpcs", "ec2:DescribeVpcs"));
  CHECK_FALSE(ActionMatches("ec2:?Vpcs", "ec2:DescribeVpcs"));
  CHECK_FALSE(ActionMatches("ec2:Describe*", "elasticloadbalancing:DescribeTags"));
  CHECK(ActionMatches("*", "iam:CreateRole"));

  CHECK(ResourceMatches("arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*", kLbArn));
  CHECK_FALSE(ResourceMatches("arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*", kLbArn));
  CHECK_FALSE(ResourceMatches("arn:aws:elasticloadbalancing:*:*:LoadBalancer/app/*/*", kLbArn));
  CHECK(ResourceMatches("arn:aws:elasticloadbalancing:us-west-?:*:*", kLbArn));
  // Actions without resource-level permissions ask about "*": only "*" matches it.
  CHECK(ResourceMatches("*", "*"));
  CHECK_FALSE(ResourceMatches("arn:aws:elasticloadbalancing:*:*:loadbalancer/*", "*"));
  // Create* resources end in /* (the id is not allocated yet).
  CHECK(ResourceMatches("arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
                        "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/k8s-web-80/*"));
}

TEST_CASE("allow needs a matching statement; anything else is an implicit deny") {
  const std::string p = R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":["elasticloadbalancing:ModifyRule"],"Resource":"*"},
      {"Effect":"Allow","Action":"elasticloadbalancing:AddTags",
       "Resource":"arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*"}]})";
  CHECK(Eval(p, Req("elasticloadbalancing:ModifyRule", "arn:any")) == Decision::kAllow);
  CHECK(Eval(p, Req("elasticloadbalancing:AddTags", kLbArn)) == Decision::kAllow);
  CHECK(Eval(p, Req("elasticloadbalancing:AddTags",
                    "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/tg/1")) ==
        Decision::kImplicitDeny);
  CHECK(Eval(p, Req("elasticloadbalancing:DeleteRule", "arn:any")) == Decision::kImplicitDeny);
  CHECK(EvaluatePolicies({}, Req("ec2:DescribeVpcs", "*")) == Decision::kImplicitDeny);
}

TEST_CASE("an explicit deny beats any allow, in whichever policy or order it comes") {
  const std::string allow_all = R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}})";
  const std::string deny_delete = R"({"Version":"2012-10-17","Statement":{"Effect":"Deny",
      "Action":"elasticloadbalancing:Delete*","Resource":"*"}})";
  std::vector<NamedPolicy> ps = Policies(allow_all);
  std::vector<NamedPolicy> deny = Policies(deny_delete);
  ps.insert(ps.end(), deny.begin(), deny.end());
  CHECK(EvaluatePolicies(ps, Req("elasticloadbalancing:DeleteLoadBalancer", kLbArn)) == Decision::kExplicitDeny);
  CHECK(EvaluatePolicies(ps, Req("elasticloadbalancing:CreateLoadBalancer", kLbArn)) == Decision::kAllow);
  std::reverse(ps.begin(), ps.end());
  CHECK(EvaluatePolicies(ps, Req("elasticloadbalancing:DeleteLoadBalancer", kLbArn)) == Decision::kExplicitDeny);
  // A Deny whose condition is false does not apply (it is not a deny).
  const std::string conditional_deny = R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Action":"*","Resource":"*"},
      {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]})";
  AuthzRequest r = Req("ec2:DescribeVpcs", "*");
  r.context["aws:RequestedRegion"] = {"us-west-2"};
  CHECK(Eval(conditional_deny, r) == Decision::kAllow);
  r.context["aws:RequestedRegion"] = {"eu-west-1"};
  CHECK(Eval(conditional_deny, r) == Decision::kExplicitDeny);
}

TEST_CASE("NotAction and NotResource invert the match") {
  const std::string p = R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","NotAction":"iam:*","Resource":"*"},
      {"Effect":"Deny","Action":"ec2:*","NotResource":"arn:aws:ec2:*:*:security-group/*"}]})";
  CHECK(Eval(p, Req("elasticloadbalancing:AddTags", kLbArn)) == Decision::kAllow);
  CHECK(Eval(p, Req("iam:CreateRole", "*")) == Decision::kImplicitDeny);
  CHECK(Eval(p, Req("ec2:CreateTags", "arn:aws:ec2:us-west-2:123456789012:security-group/sg-1")) == Decision::kAllow);
  CHECK(Eval(p, Req("ec2:CreateTags", "arn:aws:ec2:us-west-2:123456789012:subnet/subnet-1")) ==
        Decision::kExplicitDeny);
}

TEST_CASE("Null tests presence: \"false\" requires the key, \"true\" requires its absence") {
  const std::string need = AllowIf(R"({"Null":{"aws:RequestTag/elbv2.k8s.aws/cluster":"false"}})");
  const std::string forbid = AllowIf(R"({"Null":{"aws:ResourceTag/elbv2.k8s.aws/cluster":"true"}})");
  AuthzRequest r = Req("elasticloadbalancing:CreateLoadBalancer", "*");
  CHECK(Eval(need, r) == Decision::kImplicitDeny);
  CHECK(Eval(forbid, r) == Decision::kAllow);
  r.context["aws:RequestTag/elbv2.k8s.aws/cluster"] = {"demo"};
  CHECK(Eval(need, r) == Decision::kAllow);
  // Condition key names are case-insensitive.
  AuthzRequest upper = Req("elasticloadbalancing:CreateLoadBalancer", "*");
  upper.context["AWS:REQUESTTAG/ELBV2.K8S.AWS/CLUSTER"] = {"demo"};
  CHECK(Eval(need, upper) == Decision::kAllow);
  r.context["aws:ResourceTag/elbv2.k8s.aws/cluster"] = {"demo"};
  CHECK(Eval(forbid, r) == Decision::kImplicitDeny);
}

TEST_CASE("string operators: a missing key fails positive operators and satisfies negated ones") {
  AuthzRequest absent = Req("ec2:CreateTags", "*");
  AuthzRequest present = absent;
  present.context["ec2:CreateAction"] = {"CreateSecurityGroup"};
  struct Case {
    const char* condition;
    Decision when_present;
    Decision when_absent;
  };
  const Case cases[] = {
      {R"({"StringEquals":{"ec2:CreateAction":"CreateSecurityGroup"}})", Decision::kAllow, Decision::kImplicitDeny},
      {R"({"StringEquals":{"ec2:CreateAction":"createsecuritygroup"}})", Decision::kImplicitDeny, Decision::kImplicitDeny},
      {R"({"StringEqualsIgnoreCase":{"ec2:CreateAction":"createsecuritygroup"}})", Decision::kAllow, Decision::kImplicitDeny},
      {R"({"StringNotEquals":{"ec2:CreateAction":"CreateSecurityGroup"}})", Decision::kImplicitDeny, Decision::kAllow},
      {R"({"StringNotEquals":{"ec2:CreateAction":"RunInstances"}})", Decision::kAllow, Decision::kAllow},
      {R"({"StringLike":{"ec2:CreateAction":"Create*"}})", Decision::kAllow, Decision::kImplicitDeny},
      {R"({"StringLike":{"ec2:CreateAction":"Create?ecurityGroup"}})", Decision::kAllow, Decision::kImplicitDeny},
      {R"({"StringNotLike":{"ec2:CreateAction":"Run*"}})", Decision::kAllow, Decision::kAllow},
      {R"({"StringNotLike":{"ec2:CreateAction":"Create*"}})", Decision::kImplicitDeny, Decision::kAllow},
      {R"({"StringEqualsIfExists":{"ec2:CreateAction":"RunInstances"}})", Decision::kImplicitDeny, Decision::kAllow},
      {R"({"StringLikeIfExists":{"ec2:CreateAction":"Create*"}})", Decision::kAllow, Decision::kAllow},
      // Values of one key are ORed.
      {R"({"StringEquals":{"ec2:CreateAction":["RunInstances","CreateSecurityGroup"]}})", Decision::kAllow,
       Decision::kImplicitDeny},
  };
  for (const Case& c : cases) {
    CAPTURE(c.condition);
    CHECK(Eval(AllowIf(c.condition), present) == c.when_present);
    CHECK(Eval(AllowIf(c.condition), absent) == c.when_absent);
  }
}

TEST_CASE("several operators and keys in one Condition must all hold") {
  const std::string p = AllowIf(
      R"({"StringEquals":{"elasticloadbalancing:CreateAction":["CreateTargetGroup","CreateLoadBalancer"]},
          "Null":{"aws:RequestTag/elbv2.k8s.aws/cluster":"false"}})");
  AuthzRequest r = Req("elasticloadbalancing:AddTags", kLbArn);
  r.context["elasticloadbalancing:CreateAction"] = {"CreateLoadBalancer"};
  CHECK(Eval(p, r) == Decision::kImplicitDeny);  // no cluster tag
  r.context["aws:RequestTag/elbv2.k8s.aws/cluster"] = {"demo"};
  CHECK(Eval(p, r) == Decision::kAllow);
  r.context["elasticloadbalancing:CreateAction"] = {"CreateListener"};
  CHECK(Eval(p, r) == Decision::kImplicitDeny);
}

TEST_CASE("ForAnyValue and ForAllValues compare the set of aws:TagKeys") {
  const std::string any = AllowIf(
      R"({"ForAnyValue:StringEquals":{"aws:TagKeys":["ingress.k8s.aws/cluster","service.k8s.aws/cluster"]}})");
  const std::string all = AllowIf(R"({"ForAllValues:StringLike":{"aws:TagKeys":["elbv2.k8s.aws/*","ingress.k8s.aws/*"]}})");
  const std::string none_of = AllowIf(R"({"ForAllValues:StringNotEquals":{"aws:TagKeys":"elbv2.k8s.aws/cluster"}})");
  AuthzRequest r = Req("elasticloadbalancing:CreateLoadBalancer", "*");
  // No tags: ForAnyValue is false, ForAllValues is (vacuously) true.
  CHECK(Eval(any, r) == Decision::kImplicitDeny);
  CHECK(Eval(all, r) == Decision::kAllow);
  r.context["aws:TagKeys"] = {"elbv2.k8s.aws/cluster", "ingress.k8s.aws/stack"};
  CHECK(Eval(any, r) == Decision::kImplicitDeny);
  CHECK(Eval(all, r) == Decision::kAllow);
  CHECK(Eval(none_of, r) == Decision::kImplicitDeny);
  r.context["aws:TagKeys"] = {"ingress.k8s.aws/cluster", "team"};
  CHECK(Eval(any, r) == Decision::kAllow);
  CHECK(Eval(all, r) == Decision::kImplicitDeny);  // "team" matches no pattern
  CHECK(Eval(none_of, r) == Decision::kAllow);
}

TEST_CASE("Bool, Arn and Numeric operators") {
  AuthzRequest r = Req("ec2:DescribeVpcs", "*");
  r.context["aws:SecureTransport"] = {"true"};
  r.context["aws:PrincipalArn"] = {"arn:aws:sts::123456789012:assumed-role/AmazonEKSLoadBalancerControllerRole/s1"};
  r.context["aws:MultiFactorAuthAge"] = {"300"};
  CHECK(Eval(AllowIf(R"({"Bool":{"aws:SecureTransport":"true"}})"), r) == Decision::kAllow);
  CHECK(Eval(AllowIf(R"({"Bool":{"aws:SecureTransport":false}})"), r) == Decision::kImplicitDeny);
  CHECK(Eval(AllowIf(R"({"BoolIfExists":{"aws:ViaAWSService":"false"}})"), r) == Decision::kAllow);
  CHECK(Eval(AllowIf(R"({"ArnLike":{"aws:PrincipalArn":"arn:aws:sts::*:assumed-role/AmazonEKS*/*"}})"), r) ==
        Decision::kAllow);
  CHECK(Eval(AllowIf(R"({"ArnEquals":{"aws:PrincipalArn":"arn:aws:sts::123456789012:assumed-role/*"}})"), r) ==
        Decision::kAllow);
  CHECK(Eval(AllowIf(R"({"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}})"), r) == Decision::kImplicitDeny);
  CHECK(Eval(AllowIf(R"({"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/*"}})"), r) == Decision::kAllow);
  CHECK(Eval(AllowIf(R"({"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}})"), r) == Decision::kAllow);
  CHECK(Eval(AllowIf(R"({"NumericGreaterThan":{"aws:MultiFactorAuthAge":3600}})"), r) == Decision::kImplicitDeny);
  CHECK(ArnLikeMatch("arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:us-west-2:123456789012:security-group/sg-1"));
  CHECK_FALSE(ArnLikeMatch("arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:us-west-2:123456789012"));
}

TEST_CASE("EvaluateCondition reports the compared values and the reason") {
  AuthzRequest r = Req("elasticloadbalancing:AddTags", kLbArn);
  r.context["aws:RequestTag/elbv2.k8s.aws/cluster"] = {"demo"};
  ConditionResult res = EvaluateCondition(PolicyCondition{"Null", "aws:RequestTag/elbv2.k8s.aws/cluster", {"true"}}, r);
  CHECK_FALSE(res.matched);
  CHECK(res.key_present);
  CHECK(res.context_values == std::vector<std::string>{"demo"});
  CHECK(res.reason == "key present; Null \"true\" requires it absent");
  ConditionResult absent =
      EvaluateCondition(PolicyCondition{"Null", "aws:ResourceTag/elbv2.k8s.aws/cluster", {"false"}}, r);
  CHECK_FALSE(absent.matched);
  CHECK(absent.reason == "key absent; Null \"false\" requires it present");
}

}  // TEST_SUITE

}  // namespace sim::aws
