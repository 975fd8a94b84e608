#pragma once
// gomock stand-in for the AWS clients of the deploy corpus (deploy/README.md "Mock semantics"): a
// case's `calls` become expectations {service, operation, input, output, error, times}. A call is
// answered by the first expectation of its operation whose input deep-equals the request (written
// with AWS member names, unset members left out) and that is not used up; any other call is
// recorded as unexpected and fails. Problems() also lists expectations not used `times` times.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/aws/ec2_api.h"
#include "sim/aws/elbv2_api.h"
#include "sim/base/clock.h"
#include "sim/conformance/fake_client.h"
#include "sim/controller/deploy_deps.h"

namespace sim::conformance::deploy {

class ScriptedAws {
 public:
  // `case_json` is the whole case; entries of `calls` whose service is elasticloadbalancingv2 or ec2
  // are loaded (other services are mocked by the handlers themselves).
  explicit ScriptedAws(const nlohmann::json& case_json);
  ~ScriptedAws();
  aws::Elbv2Api& elbv2();
  aws::Ec2Api& ec2();
  // Unexpected calls and unmet expectations ("" = all fine).
  std::string Problems() const;
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// What a receiver built by a test body needs: the scripted clients, an empty Kubernetes client, a
// clock at 0 and a DeployConfig (vpc-xxxxxxx, feature gates from the case).
struct Harness {
  explicit Harness(const nlohmann::json& case_json);
  ScriptedAws aws;
  FakeClient kube;
  SimClock clock;
  controller::DeployConfig config;
  controller::DeployDeps Deps();
  // Throws CaseFailure with the scripted clients' problems, if any.
  void Finish() const;
};

}  // namespace sim::conformance::deploy
