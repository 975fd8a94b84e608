#pragma once
// The controller's published IAM policy (upstream docs/install/iam_policy.json, as a data file:
// models/aws/controller-iam-policy.json; see models/aws/README.md) — the default of the scenario
// key `controller.iam.policy`. A scenario can swap in an older or broken policy file instead.

#include <string>

#include "sim/aws/iam_policy.h"
#include "sim/base/status.h"

namespace sim::aws {

// Name the scenario set-up gives the managed policy, as the EKS docs do.
inline constexpr const char* kControllerIamPolicyName = "AWSLoadBalancerControllerIAMPolicy";
// Name of the IRSA role, as the EKS docs do.
inline constexpr const char* kControllerIamRoleName = "AmazonEKSLoadBalancerControllerRole";

// Where the data file is: $ALBTWIN_MODELS_DIR/aws/controller-iam-policy.json when that variable
// is set, else <source tree>/models/aws/controller-iam-policy.json (the tree this was built
// from).
std::string ControllerIamPolicyPath();

// The file's JSON text. Errors: kNotFound "cannot read <path>".
Result<std::string> ReadControllerIamPolicyJson(const std::string& path = "");
// Parsed and validated as an identity policy. Errors: kNotFound, MalformedPolicyDocument.
Result<PolicyDocument> LoadControllerIamPolicy(const std::string& path = "");
// Any policy file (a scenario's `controller.iam.policy: path`), read and validated.
// Returns the JSON text. Errors: kNotFound, MalformedPolicyDocument (message prefixed with the path).
Result<std::string> ReadIamPolicyFile(const std::string& path);

}  // namespace sim::aws
