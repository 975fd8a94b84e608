#pragma once
// Invokes an AWS operation from its input written as JSON in the AWS API shape (what
// `aws elbv2 <op> --cli-input-json` takes: PascalCase member names) and answers with the output in
// the AWS API shape (what the CLI prints). For the scenario step
// `aws: {call: DeleteRule, as: console, args: {RuleArn: ...}}` (drift by a person or a tool) and
// for wire front ends. Goes through the same Elbv2Api / Ec2Api as the controller, so the call is
// validated, fault-injected and logged like any other.

#include <string>
#include <vector>

#include "sim/aws/call_context.h"
#include "sim/aws/ec2_api.h"
#include "sim/aws/elbv2_api.h"
#include "sim/base/status.h"

namespace sim::aws {

// Success: the output document, compact JSON ("{}" for operations without output).
// Errors: the operation's own AWS errors; InvalidAction (kInvalidArgument) "The action <call> is
// not valid for this web service." for an unknown operation; ValidationError for input that is not
// a JSON object or has a member of the wrong type ("Value for '<Member>' must be <type>").
Result<std::string> InvokeElbv2Json(Elbv2Api& api, const CallContext& ctx, const std::string& call,
                                    const std::string& input_json);
Result<std::string> InvokeEc2Json(Ec2Api& api, const CallContext& ctx, const std::string& call,
                                  const std::string& input_json);

// Operation names InvokeElbv2Json / InvokeEc2Json accept, sorted.
std::vector<std::string> Elbv2JsonCalls();
std::vector<std::string> Ec2JsonCalls();

}  // namespace sim::aws
