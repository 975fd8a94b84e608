#pragma once
// A scenario file, parsed and checked (shared/spec/scenario-format.md). Plain data; the loader is in
// loader.h, the player in runner.h.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/k8s/objects.h"
#include "sim/base/clock.h"

namespace sim::scenario {

struct SourceLoc {
  std::string file;
  int line = 0;  // 1-based; 0 = unknown
  int column = 0;
  std::string ToString() const;  // FILE:LINE:COL
};

// ---------------------------------------------------------------- world

struct SubnetSpec {
  std::string id;
  std::string az;
  std::string cidr;
  bool is_public = false;
  std::map<std::string, std::string> tags;
  SourceLoc loc;
};

struct NodeSpec {
  std::string name;
  std::string az;
  std::string ip;
  std::map<std::string, std::string> labels;
  std::string instance_type = "m5.large";
  std::string subnet_id;  // resolved: the subnet whose CIDR holds `ip`
  SourceLoc loc;
};

struct FargateProfileSpec {
  std::string name;
  std::string namespace_;
  std::map<std::string, std::string> labels;
  SourceLoc loc;
};

struct CertificateSpec {
  std::string domain;
  std::vector<std::string> sans;  // subjectAlternativeNames
  std::string arn;                // generated when empty
  SourceLoc loc;
};

struct WorldSpec {
  std::string region = "us-west-2";
  std::string account_id = "123456789012";
  std::string cluster_name = "demo";
  std::string vpc_id = "vpc-0demo";
  std::string vpc_cidr = "10.0.0.0/16";
  std::vector<SubnetSpec> subnets;  // defaults filled by the loader
  std::vector<NodeSpec> nodes;      // defaults filled by the loader
  std::vector<FargateProfileSpec> fargate_profiles;
  std::vector<CertificateSpec> certificates;
  int64_t max_pods_per_node = 110;  // kubelet --max-pods of every node (albtwin key world.maxPodsPerNode)
  // Service quotas by name (models/aws/quotas.yaml), overriding the defaults: lower one to see the
  // controller hit it, raise one for a big cluster.
  std::map<std::string, int64_t> quotas;
  SourceLoc quotas_loc;
};

// ---------------------------------------------------------------- controller

struct IamSpec {
  // The controller pod's ServiceAccount. The world creates it annotated with
  // eks.amazonaws.com/role-arn of the controller's role (an `objects` manifest may replace it).
  std::string service_account = "kube-system/aws-load-balancer-controller";
  // The ServiceAccount the role's trust policy names (IRSA `sub`). Default: service_account.
  std::string trusted_service_account;
  std::string policy = "default";  // default | none | path to a policy JSON
  std::string policy_path;         // resolved path when `policy` is a file
};

// The controller's flags, named as upstream's (controller.md §0). Unset = upstream default.
struct ControllerSpec {
  std::string ingress_class = "alb";
  std::string default_target_type = "instance";
  std::string default_load_balancer_scheme = "internal";
  std::string default_ssl_policy = "ELBSecurityPolicy-2016-08";
  bool enable_backend_sg = true;
  std::string backend_security_group;
  bool enable_manage_backend_sg_rules = false;
  bool disable_restricted_sg_rules = false;
  bool enable_endpoint_slices = true;
  bool enable_pod_readiness_gate_inject = true;
  bool tolerate_non_existent_backend_service = true;
  bool tolerate_non_existent_backend_action = true;
  SimTime sync_period = SimTime(10LL * 3600 * 1000);
  SimTime lb_stabilization_monitor_interval = SimTime(120'000);
  SimTime targetgroupbinding_requeue_duration = SimTime(15'000);
  int max_targets_per_target_group = 0;
  int max_concurrent_reconciles = 3;
  std::map<std::string, std::string> default_tags;
  std::vector<std::string> external_managed_tags;
  std::map<std::string, bool> feature_gates;  // only the ones the scenario sets
  IamSpec iam;
};

// ---------------------------------------------------------------- objects

// Manifests from a file or inline YAML, decoded at load time.
struct ManifestSource {
  std::string file;         // as written (relative to the scenario file)
  std::string path;         // resolved path, empty for inline
  std::string text;         // the YAML text
  SourceLoc loc;            // where the source is named in the scenario
  int line_offset = 0;      // for inline text: line in the scenario where the text starts, minus 1
  std::vector<model::k8s::ObjectPtr> objects;
};

// ---------------------------------------------------------------- expectations

struct LbExpect {
  std::optional<std::string> name, scheme, dns_name, state;
  std::optional<int64_t> listeners, rules, subnets;
  std::map<std::string, std::string> tags;
  SourceLoc loc;
};

struct IngressExpect {
  std::optional<bool> exists;
  std::optional<std::string> hostname;
  std::optional<std::vector<std::string>> finalizers;
  std::optional<std::string> group;
  SourceLoc loc;
};

struct EventExpect {
  std::optional<std::string> object;  // KIND/NS/NAME glob
  std::optional<std::string> reason, message, type;
  SourceLoc loc;
};

struct TargetsExpect {
  std::optional<int64_t> count, healthy;
  SourceLoc loc;
};

struct Expectation {
  std::optional<int64_t> load_balancers, target_groups, listeners, rules, security_groups;
  std::map<std::string, LbExpect> lb;            // NS/NAME -> expectations
  std::map<std::string, IngressExpect> ingress;  // NS/NAME -> expectations
  std::vector<EventExpect> events, no_events;
  std::map<std::string, std::pair<int64_t, SourceLoc>> api_calls;  // OPERATION -> count
  std::map<std::string, TargetsExpect> targets;  // NS/SVC:PORT -> expectations
  SourceLoc loc;
};

struct RequestExpect {
  std::optional<int64_t> status;
  std::optional<std::string> service, pod, location, failed_at;
  std::optional<int64_t> rule_priority;
  SourceLoc loc;
};

// ---------------------------------------------------------------- steps

enum class StepKind { kApply, kDelete, kSettle, kAdvance, kRestart, kUninstall, kCrash, kAws, kFault, kRequest, kExpect };
const char* StepKindName(StepKind kind);

struct Step {
  StepKind kind = StepKind::kSettle;
  SourceLoc loc;
  // apply
  ManifestSource manifest;
  std::optional<std::string> expect_error;  // glob of the API server's message
  // delete
  std::string delete_kind, delete_namespace, delete_name;
  // advance
  SimTime advance{0};
  // restart: what restarts ("controller")
  std::string restart_target;
  // crash
  int64_t crash_after_api_calls = 0;
  std::optional<SimTime> crash_restart_after;  // restartAfter: the pod comes back by itself
  // aws
  std::string aws_call, aws_as = "console";
  std::string aws_args_json = "{}";  // the args map as JSON; ${...} references resolved when run
  // fault
  std::string fault_service, fault_call, fault_error;
  int64_t fault_times = 1;
  // request
  std::string url, method = "GET", from = "internet";
  std::map<std::string, std::string> headers;
  int64_t count = 1;
  std::optional<RequestExpect> request_expect;
  // expect
  Expectation expect;
};

struct Scenario {
  std::string file;  // path as given
  std::string name;
  std::string description;
  uint64_t seed = 1;
  WorldSpec world;
  ControllerSpec controller;
  std::vector<ManifestSource> objects;
  std::vector<Step> steps;
};

}  // namespace sim::scenario
