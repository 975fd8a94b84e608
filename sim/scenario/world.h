#pragma once
// The simulated world of one scenario: clock and event queue, the fake AWS account, the fake
// cluster (API server + built-in controllers), and the AWS Load Balancer Controller itself.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/aws/elbv2.h"
#include "models/k8s/objects.h"
#include "sim/base/clock.h"
#include "sim/base/rng.h"
#include "sim/base/status.h"
#include "sim/scenario/run_record.h"
#include "sim/scenario/scenario.h"
#include "sim/traffic/view.h"

namespace sim::aws {
class FakeAws;
}
namespace sim::k8s {
class FakeApiServer;
}
namespace sim::traffic {
class PodHealthProbe;
}

namespace sim::scenario {

struct SettleResult {
  bool settled = true;
  std::string why;       // when not settled: the bound hit and the work still pending
  std::string still_failing;  // settled with reconciles still failing (retried with backoff)
  SimTime elapsed{0};
  size_t events = 0;
};

class ControllerHost;   // the AWS Load Balancer Controller process (world.cc)
class ClusterHost;      // built-in Kubernetes controllers (world.cc)

class World {
 public:
  explicit World(const Scenario& scenario);
  ~World();

  // Builds the account (VPC, subnets, route tables, instances, node security group), the cluster
  // (nodes, the objects of the scenario), and starts the controller — unless `start_controller` is
  // false (the offline planner, plan.h: nothing but the cluster's built-in controllers runs).
  Status Setup(bool start_controller = true);

  const SimClock& clock() const { return clock_; }
  aws::FakeAws& aws() { return *aws_; }
  k8s::FakeApiServer& api() { return *api_; }

  // Runs events until no work is pending (bounded: 6 h of simulated time or 2M events).
  SettleResult Settle();
  // Moves the clock forward by `d`, firing every event due meanwhile.
  void Advance(SimTime d);
  // Stops the controller (all memory lost) and starts a fresh one; a crashed controller comes back.
  void RestartController();
  // The controller is gone (helm uninstall) until RestartController() installs it again; the
  // cluster, its objects (finalizers included) and the AWS account stay as they are.
  void UninstallController();
  // What the controller noted for the report since the last call (e.g. rejected subnets and why).
  std::vector<std::string> TakeNotes() { return std::exchange(notes_, {}); }
  // The controller dies right after its n-th AWS call from now (FaultPlan crash switch): its
  // process stops, and it stays down until RestartController().
  // With `restart_after`, the pod comes back by itself that long after the crash (kubelet).
  void ArmCrash(int64_t n, std::optional<SimTime> restart_after = std::nullopt);

  // Lookups for expectations and references.
  std::shared_ptr<const model::k8s::Ingress> IngressByKey(const std::string& ns_name) const;
  // The ALB of an Ingress: by its status hostname, else by the stack tag of its group.
  std::optional<model::aws::LoadBalancer> LoadBalancerOfIngress(const std::string& ns_name) const;
  // Target group ARN of "NS/SVC:PORT" (port as the Ingress writes it), via the TargetGroupBindings.
  std::string TargetGroupOfServicePort(const std::string& key) const;
  std::map<std::string, std::string> TagsOf(const std::string& arn) const;
  // The group ID string of an Ingress: explicit group name or NS/NAME.
  std::string GroupOfIngress(const model::k8s::Ingress& ing) const;
  bool IsWorldSecurityGroup(const std::string& id) const { return world_sgs_.count(id) > 0; }

  // Kubernetes Events in time order (List order among equal times). With `keep`, only those it
  // accepts by namespace/name and count, without building a record for the others. Without, the
  // records take SortedEvents' list over (a reference to it is not valid after the call).
  using EventFilter = std::function<bool(const std::string& name, int count)>;
  std::vector<EventRecord> Events(const EventFilter& keep = nullptr) const;
  // The same Events as the API server holds them (no copies), with their "namespace/name".
  struct StoredEvent {
    std::string name;
    std::shared_ptr<const model::k8s::Event> event;
  };
  // Every Event in that order. Kept until the API server's next write (the narration of a step and
  // the run record at its end read the same list); valid until then.
  const std::vector<StoredEvent>& SortedEvents() const;
  // Orders `events` by lastTimestamp, keeping their order among equal times (SortedEvents' order).
  static void SortByTime(std::vector<StoredEvent>* events);
  // "KIND/NS/NAME" (or "KIND/NAME") of an Event's involved object, as EventRecord::object has it.
  static std::string EventObject(const model::k8s::Event& e);
  // The same, appended to `out`.
  static void AppendEventObject(const model::k8s::Event& e, std::string* out);

  // The data plane's view of everything (no API calls are logged).
  traffic::WorldView BuildView() const;
  // Every Kubernetes object, kubectl List shape.
  std::string KubernetesJson() const;

 private:
  Status SetUpIam();

  const Scenario& scenario_;
  SimClock clock_;
  EventQueue queue_;
  std::unique_ptr<aws::FakeAws> aws_;
  std::unique_ptr<k8s::FakeApiServer> api_;
  // SortedEvents' list and the API server's resourceVersion it was taken at (-1: none yet).
  mutable std::vector<StoredEvent> sorted_events_;
  mutable int64_t sorted_events_rv_ = -1;
  void ForgetSortedEvents() const;  // taken again when next asked for
  std::unique_ptr<ClusterHost> cluster_;
  std::unique_ptr<ControllerHost> controller_;
  std::map<std::string, std::string> instance_of_node_;  // node name -> instance id
  std::set<std::string> world_sgs_;
  model::aws::GroupIdentifier cluster_sg_;  // EKS's cluster security group (nodes, Fargate pod ENIs)
  std::set<std::string> fargate_enis_;      // pod IPs that have their Fargate ENI
  std::vector<std::string> notes_;          // the controller's notes since the last TakeNotes()
  int restarts_ = 0;
  // What pods answer to ALB health checks (declared last: it unwatches the API server first).
  std::unique_ptr<traffic::PodHealthProbe> health_probe_;
};

}  // namespace sim::scenario
