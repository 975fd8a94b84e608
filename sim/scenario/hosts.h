#pragma once
// The processes of the simulated world, each started on the shared EventQueue:
//  * ClusterHost: kube-controller-manager, scheduler and kubelets (sim/k8s/builtin_controllers).
//  * ControllerHost: the AWS Load Balancer Controller (ingress group controller and
//    TargetGroupBinding controller) with its AWS clients; Stop() drops all of its memory.

#include <map>
#include <memory>
#include <string>

#include "sim/aws/call_context.h"
#include "sim/base/clock.h"
#include "sim/base/status.h"
#include "sim/controller/controller_config.h"
#include "sim/controller/group_controller.h"
#include "sim/scenario/scenario.h"

namespace sim::aws {
class FakeAws;
}
namespace sim::k8s {
class FakeApiServer;
}

namespace sim::scenario {

// The controller's flags from the scenario's `controller:` section.
controller::ControllerConfig ControllerConfigFor(const Scenario& scenario);
// The ModelBuilder wiring of the controller process (certificate discovery over the scenario's
// world.certificates); shared by ControllerHost and the offline planner (plan.h).
// `notes` (optional) hears, once per change, how the subnets of a group's load balancer were chosen
// when some candidate was rejected ("the report names each rejected subnet and why").
using NoteSink = std::function<void(const std::string&)>;
controller::ModelBuilderFactory MakeModelBuilderFactory(const Scenario& scenario, NoteSink notes = nullptr);

class ClusterHost {
 public:
  ClusterHost(const Scenario& scenario, const SimClock& clock, EventQueue& queue, k8s::FakeApiServer& api,
              aws::FakeAws& aws, const std::map<std::string, std::string>& instance_of_node);
  ~ClusterHost();
  // Creates the Node objects and starts the built-in controllers.
  Status Start();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The node group's instance role: no Elastic Load Balancing permissions.
inline constexpr const char* kNodeRoleName = "eks-node-group-role";
std::string ClusterOidcIssuer(const Scenario& sc);
std::string NodeRolePrincipal(const Scenario& sc);

class ControllerHost {
 public:
  ControllerHost(const Scenario& scenario, const SimClock& clock, EventQueue& queue, k8s::FakeApiServer& api,
                 aws::FakeAws& aws);
  ~ControllerHost();
  Status Start();
  // The process dies: watches removed, queued work dropped, caches gone.
  void Stop();
  // What the controller still has queued, for "did not settle" reports.
  std::string PendingWork() const;
  // True when some reconcile's last outcome was an error (it is being retried with backoff).
  bool Failing() const;
  // How the process got its AWS credentials (IRSA role, node role fallback, or the STS error).
  std::string Identity() const;
  // Set before Start(): narrative notes of the controller process for the report (NoteSink).
  NoteSink notes;

 private:
  aws::CallContext Credentials();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sim::scenario
