#pragma once
// JSON rendering of AWS objects in exactly the shape the AWS CLI prints them
// (`aws elbv2 describe-load-balancers`, `aws ec2 describe-security-groups`, ...): PascalCase member
// names, unset members omitted, timestamps ISO 8601 UTC with milliseconds. Each function returns a
// compact JSON document as a string (nlohmann stays inside aws_json.cc); parse it back with any
// JSON library to embed it.

#include <cstdint>
#include <string>
#include <vector>

#include "models/aws/ec2.h"
#include "models/aws/elbv2.h"
#include "sim/aws/ec2_api.h"
#include "sim/aws/elbv2_api.h"
#include "sim/base/clock.h"

namespace sim::aws {

struct Elbv2Snapshot;

// "2026-01-01T00:00:05.000Z" for SimTime 5 s (epoch: sim/base/clock.h kEpochUnixSeconds).
std::string FormatAwsTimestamp(SimTime t);

// --- One object each ---------------------------------------------------------------------------
std::string ToJson(const model::aws::LoadBalancer& lb);
std::string ToJson(const model::aws::Listener& listener);
std::string ToJson(const model::aws::Rule& rule);
std::string ToJson(const model::aws::Action& action);
std::string ToJson(const model::aws::RuleCondition& condition);
std::string ToJson(const model::aws::TargetGroup& tg);
std::string ToJson(const model::aws::TargetHealthDescription& thd);
std::string ToJson(const model::aws::TagDescription& td);
std::string ToJson(const std::vector<model::aws::Tag>& tags);  // [{"Key":..,"Value":..}]
std::string ToJson(const std::vector<model::aws::Attribute>& attributes);
std::string ToJson(const model::aws::Certificate& cert);
std::string ToJson(const model::aws::SecurityGroup& sg);
std::string ToJson(const model::aws::Subnet& subnet);
std::string ToJson(const model::aws::Vpc& vpc);
std::string ToJson(const model::aws::RouteTable& table);
std::string ToJson(const model::aws::Instance& instance);
std::string ToJson(const model::aws::NetworkInterface& eni);

// --- Requests, as the AWS API input shape (used for the call log's params digest) -------------
std::string RequestJson(const CreateLoadBalancerRequest& r);
std::string RequestJson(const DescribeLoadBalancersRequest& r);
std::string RequestJson(const SetIpAddressTypeRequest& r);
std::string RequestJson(const SetSubnetsRequest& r);
std::string RequestJson(const SetSecurityGroupsRequest& r);
std::string RequestJson(const ModifyLoadBalancerAttributesRequest& r);
std::string RequestJson(const CreateListenerRequest& r);
std::string RequestJson(const ModifyListenerRequest& r);
std::string RequestJson(const DescribeListenersRequest& r);
std::string RequestJson(const ListenerCertificatesRequest& r);
std::string RequestJson(const ModifyListenerAttributesRequest& r);
std::string RequestJson(const CreateRuleRequest& r);
std::string RequestJson(const ModifyRuleRequest& r);
std::string RequestJson(const DescribeRulesRequest& r);
std::string RequestJson(const SetRulePrioritiesRequest& r);
std::string RequestJson(const CreateTargetGroupRequest& r);
std::string RequestJson(const ModifyTargetGroupRequest& r);
std::string RequestJson(const DescribeTargetGroupsRequest& r);
std::string RequestJson(const ModifyTargetGroupAttributesRequest& r);
std::string RequestJson(const TargetsRequest& r);
std::string RequestJson(const DescribeTargetHealthRequest& r);
std::string RequestJson(const AddTagsRequest& r);
std::string RequestJson(const RemoveTagsRequest& r);
std::string RequestJson(const DescribeTagsRequest& r);
std::string RequestJson(const DescribeSubnetsRequest& r);
std::string RequestJson(const DescribeVpcsRequest& r);
std::string RequestJson(const DescribeRouteTablesRequest& r);
std::string RequestJson(const DescribeSecurityGroupsRequest& r);
std::string RequestJson(const CreateSecurityGroupRequest& r);
std::string RequestJson(const SecurityGroupIngressRequest& r);
std::string RequestJson(const CreateTagsRequest& r);
std::string RequestJson(const DeleteTagsRequest& r);
std::string RequestJson(const DescribeInstancesRequest& r);
std::string RequestJson(const DescribeNetworkInterfacesRequest& r);
// {"<member>": "<value>"} for single-ARN/id requests (DeleteLoadBalancer etc.).
std::string SingleMemberJson(const char* member, const std::string& value);

// The params digest of a call: the first 8 bytes of SHA-256 of `canonical_json` as a number (the
// log prints its 16 hex digits).
uint64_t ParamsDigest64(const std::string& canonical_json);

// --- Whole account, scenario-format.md "aws" section ------------------------------------------
// {"LoadBalancers":[...],"Listeners":[...],"Rules":[...],"TargetGroups":[...],
//  "TargetHealth":{"<tg arn>":[...]},"Tags":{"<arn>":[...]},"SecurityGroups":[...]}
// Arrays in the snapshot's (deterministic) order; object keys sorted. indent < 0: compact.
std::string RenderAccountJson(const Elbv2Snapshot& elbv2,
                              const std::vector<model::aws::SecurityGroup>& security_groups,
                              int indent = -1);

}  // namespace sim::aws
