#pragma once
// In-memory ELBv2 for one account and region: ARNs and DNS names in the real shapes
// (elbv2-semantics.md §3.7), validation and error codes of §2, quotas, load balancer provisioning
// on the sim clock, target registration with health that the traffic/health engine can set.
// Deterministic: ids come from an Rng seeded by FakeElbv2Options::seed, in call order.
//
// Every Elbv2Api call: FaultPlan::Check → IAM (Authorizer, when set and the CallContext has a
// principal_arn; authorizer.h lists the action/resource per call) → run → ApiCallLog::Append →
// FaultPlan::AfterCall (fault_plan.h). An IAM denial is logged like any other error. Methods ending in "ForSim" are the simulator's own view: no fault plan, not
// logged, no IAM.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "models/aws/elbv2.h"
#include "sim/aws/api_call_log.h"
#include "sim/aws/authorizer.h"
#include "sim/aws/elbv2_api.h"
#include "sim/aws/fault_plan.h"
#include "sim/aws/quotas.h"
#include "sim/aws/target_health.h"
#include "sim/base/clock.h"
#include "sim/base/rng.h"
#include "sim/base/sorted_keys.h"

namespace sim::aws {

class FakeEc2;

struct FakeElbv2Options {
  std::string partition = "aws";            // "aws" | "aws-cn" | "aws-us-gov"
  std::string region = "us-west-2";
  std::string account_id = "123456789012";
  uint64_t seed = 1;                        // ids: LB/listener/rule/TG 16-hex ids, DNS decimal ids
  // A new load balancer reads "provisioning" until CreatedTime + this, then "active". Real ALBs
  // take a few minutes; 0 makes them active at once. Default: 60 s.
  SimTime provisioning_delay = std::chrono::seconds(60);
  // With no explicit SetTargetHealthForSim for a target, a registered target in a target group
  // that a listener or rule uses turns "healthy" HealthyThresholdCount × HealthCheckIntervalSeconds
  // after it became eligible (registered and TG in use), as if every health check passed.
  // Default: on. Off: targets stay "initial" until the health engine says otherwise.
  bool auto_healthy_targets = true;
  // RegisterTargets on an instance TG checks the instance exists in FakeEc2, is running and is in
  // the TG's VPC (InvalidTarget otherwise). Default: on.
  bool validate_instance_targets = true;
  // After DeleteLoadBalancer, its security groups stay "in use" (its ENIs linger) for this long, so
  // DeleteSecurityGroup keeps failing with DependencyViolation meanwhile, as in AWS. Default: 0.
  SimTime security_group_release_delay{0};
  Quotas quotas;
  // ACM/IAM certificate lookup for listeners: false → CertificateNotFound. Null = all exist.
  std::function<bool(const std::string& certificate_arn)> certificate_exists;
};

// The whole ELBv2 side of the account, for reports (scenario-format.md "aws").
struct Elbv2Snapshot {
  std::vector<model::aws::LoadBalancer> load_balancers;  // by ARN
  std::vector<model::aws::Listener> listeners;           // by LB ARN, then port
  std::vector<model::aws::Rule> rules;                   // by listener (as above), then priority
  std::vector<model::aws::TargetGroup> target_groups;    // by ARN
  std::map<std::string, std::vector<model::aws::TargetHealthDescription>> target_health;  // TG ARN →
  std::map<std::string, std::vector<model::aws::Tag>> tags;  // resource ARN → tags by key (non-empty only)
  std::map<std::string, std::vector<model::aws::Attribute>> load_balancer_attributes;  // LB ARN →
  std::map<std::string, std::vector<model::aws::Attribute>> target_group_attributes;   // TG ARN →
};

// What FakeElbv2::Snapshot includes besides the resources.
struct Elbv2SnapshotParts {
  bool targets = true;              // target_health
  bool tags_and_attributes = true;  // tags, load_balancer_attributes, target_group_attributes
};

// A registered target as the health/traffic engine sees it.
struct SimTarget {
  model::aws::TargetDescription target;  // Port always set (TG port when registered without one)
  model::aws::TargetHealth health;       // as DescribeTargetHealth would report it now
  SimTime registered_at{0};
};

class FakeElbv2 final : public Elbv2Api {
 public:
  // `ec2` validates subnets, security groups, VPCs and instances (read directly, not logged).
  FakeElbv2(const Clock& clock, FaultPlan& faults, ApiCallLog& log, const FakeEc2& ec2,
            FakeElbv2Options options = {});
  ~FakeElbv2() override;

  // Elbv2Api
  Result<model::aws::LoadBalancer> CreateLoadBalancer(const CallContext& ctx,
                                                      const CreateLoadBalancerRequest& req) override;
  Status DeleteLoadBalancer(const CallContext& ctx, const std::string& load_balancer_arn) override;
  Result<std::vector<model::aws::LoadBalancer>> DescribeLoadBalancers(
      const CallContext& ctx, const DescribeLoadBalancersRequest& req) override;
  Result<std::vector<std::shared_ptr<const model::aws::LoadBalancer>>> DescribeAllLoadBalancers(
      const CallContext& ctx) override;
  Result<std::vector<std::shared_ptr<const model::aws::TargetGroup>>> DescribeAllTargetGroups(
      const CallContext& ctx) override;
  Result<std::string> SetIpAddressType(const CallContext& ctx, const SetIpAddressTypeRequest& req) override;
  Result<SetSubnetsResponse> SetSubnets(const CallContext& ctx, const SetSubnetsRequest& req) override;
  Result<std::vector<std::string>> SetSecurityGroups(const CallContext& ctx,
                                                     const SetSecurityGroupsRequest& req) override;
  Result<std::vector<model::aws::Attribute>> DescribeLoadBalancerAttributes(
      const CallContext& ctx, const std::string& load_balancer_arn) override;
  Result<std::vector<model::aws::Attribute>> ModifyLoadBalancerAttributes(
      const CallContext& ctx, const ModifyLoadBalancerAttributesRequest& req) override;

  Result<model::aws::Listener> CreateListener(const CallContext& ctx, const CreateListenerRequest& req) override;
  Result<model::aws::Listener> ModifyListener(const CallContext& ctx, const ModifyListenerRequest& req) override;
  Status DeleteListener(const CallContext& ctx, const std::string& listener_arn) override;
  Result<std::vector<model::aws::Listener>> DescribeListeners(const CallContext& ctx,
                                                              const DescribeListenersRequest& req) override;
  Result<std::vector<model::aws::Certificate>> AddListenerCertificates(
      const CallContext& ctx, const ListenerCertificatesRequest& req) override;
  Status RemoveListenerCertificates(const CallContext& ctx, const ListenerCertificatesRequest& req) override;
  Result<std::vector<model::aws::Certificate>> DescribeListenerCertificates(
      const CallContext& ctx, const std::string& listener_arn) override;
  Result<std::vector<model::aws::Attribute>> DescribeListenerAttributes(
      const CallContext& ctx, const std::string& listener_arn) override;
  Result<std::vector<model::aws::Attribute>> ModifyListenerAttributes(
      const CallContext& ctx, const ModifyListenerAttributesRequest& req) override;

  Result<model::aws::Rule> CreateRule(const CallContext& ctx, const CreateRuleRequest& req) override;
  Result<model::aws::Rule> ModifyRule(const CallContext& ctx, const ModifyRuleRequest& req) override;
  Status DeleteRule(const CallContext& ctx, const std::string& rule_arn) override;
  Result<std::vector<model::aws::Rule>> DescribeRules(const CallContext& ctx,
                                                      const DescribeRulesRequest& req) override;
  Result<std::vector<model::aws::Rule>> SetRulePriorities(const CallContext& ctx,
                                                          const SetRulePrioritiesRequest& req) override;

  Result<model::aws::TargetGroup> CreateTargetGroup(const CallContext& ctx,
                                                    const CreateTargetGroupRequest& req) override;
  Result<model::aws::TargetGroup> ModifyTargetGroup(const CallContext& ctx,
                                                    const ModifyTargetGroupRequest& req) override;
  Status DeleteTargetGroup(const CallContext& ctx, const std::string& target_group_arn) override;
  Result<std::vector<model::aws::TargetGroup>> DescribeTargetGroups(
      const CallContext& ctx, const DescribeTargetGroupsRequest& req) override;
  Result<std::vector<model::aws::Attribute>> DescribeTargetGroupAttributes(
      const CallContext& ctx, const std::string& target_group_arn) override;
  Result<std::vector<model::aws::Attribute>> ModifyTargetGroupAttributes(
      const CallContext& ctx, const ModifyTargetGroupAttributesRequest& req) override;
  Status RegisterTargets(const CallContext& ctx, const TargetsRequest& req) override;
  Status DeregisterTargets(const CallContext& ctx, const TargetsRequest& req) override;
  Result<std::vector<model::aws::TargetHealthDescription>> DescribeTargetHealth(
      const CallContext& ctx, const DescribeTargetHealthRequest& req) override;

  Status AddTags(const CallContext& ctx, const AddTagsRequest& req) override;
  Status RemoveTags(const CallContext& ctx, const RemoveTagsRequest& req) override;
  Result<std::vector<model::aws::TagDescription>> DescribeTags(const CallContext& ctx,
                                                               const DescribeTagsRequest& req) override;

  // IAM for calls made with a principal (borrowed; null = allow everything, the default).
  void SetAuthorizer(Authorizer* authorizer);

  // --- Simulator side (no faults, not logged) -------------------------------------------------

  // Sets the health of a registered target (matched by Id and Port; a target registered without
  // a port matches the TG port). Turns auto_healthy_targets off for that target. `state` is a
  // TargetHealthStateEnum value. Errors: kNotFound (TargetGroupNotFound / target not registered),
  // kInvalidArgument (unknown state).
  Status SetTargetHealthForSim(const std::string& target_group_arn, const model::aws::TargetDescription& target,
                               const std::string& state, const std::string& reason,
                               const std::string& description);
  // Registered targets (draining ones included until their delay ends), sorted by (Id, Port).
  std::vector<SimTarget> TargetsForSim(const std::string& target_group_arn) const;

  // Lookups for the traffic engine; nullopt when absent. State is computed for the current time.
  std::optional<model::aws::LoadBalancer> LoadBalancerForSim(const std::string& arn) const;
  std::optional<model::aws::LoadBalancer> LoadBalancerByDnsNameForSim(const std::string& dns_name) const;
  std::vector<model::aws::Listener> ListenersForSim(const std::string& load_balancer_arn) const;
  std::vector<model::aws::Rule> RulesForSim(const std::string& listener_arn) const;  // priority order
  std::optional<model::aws::TargetGroup> TargetGroupForSim(const std::string& arn) const;
  // Current attribute value, "" when the key is unknown.
  std::string LoadBalancerAttributeForSim(const std::string& arn, const std::string& key) const;
  std::string TargetGroupAttributeForSim(const std::string& arn, const std::string& key) const;

  // True when a load balancer uses security group `group_id`, or a deleted one did less than
  // security_group_release_delay ago (FakeEc2 DependencyViolation).
  bool IsSecurityGroupInUse(const std::string& group_id) const;

  // Everything, as the Describe calls would show it. Without `targets` there are no target health
  // entries at all, without `tags_and_attributes` no tags and attributes: cheaper when only the
  // resources matter (the run's inventory; see TargetKeysForSim).
  Elbv2Snapshot Snapshot(Elbv2SnapshotParts parts = {}) const;
  // The registered targets of every target group (those a DescribeTargetHealth lists) as
  // "<id>:<port>", sorted, by TG ARN (every TG, possibly with none).
  std::map<std::string, SortedKeys> TargetKeysForSim() const;

  // Health checks (target_health.h): with a probe, targets go initial -> healthy/unhealthy by
  // what the probe answers, on the TG's interval and thresholds (auto_healthy_targets must be on;
  // SetTargetHealthForSim still overrides a target). A target's answer is recorded when it becomes
  // eligible (registered into a TG in use, or its TG comes into use), when its TG's health check
  // changes, whenever it is evaluated, and when the world says it may have changed:
  // ObserveTargetHealthForSim(targets) for those targets (unknown ones are skipped).
  void SetHealthProbeForSim(HealthProbeFn probe);
  void ObserveTargetHealthForSim(const std::vector<HealthTargetRef>& targets);

  // The earliest time after now at which something changes by the clock alone: a load balancer
  // turns active, an automatic target health check turns a target initial → healthy, or a
  // draining target leaves. nullopt when nothing is in such a transition (settle uses it).
  std::optional<SimTime> NextTransitionForSim() const;

  size_t load_balancer_count() const;
  size_t target_group_count() const;
  size_t listener_count() const;
  size_t rule_count(bool include_default = false) const;

  Quotas& mutable_quotas();
  const FakeElbv2Options& options() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// ARN kinds, from the resource part of an ELBv2 ARN.
enum class Elbv2ArnKind { kUnknown, kLoadBalancer, kListener, kRule, kTargetGroup };
Elbv2ArnKind ClassifyElbv2Arn(const std::string& arn);

// CanonicalHostedZoneId of ALBs in `region` ("" when unknown). us-west-2 Z1H1FL5HABSF5,
// us-east-1 Z35SXDOTRQ7X7K, eu-west-1 Z32O12XQLNTSW2, ... (https://docs.aws.amazon.com/general/latest/gr/elb.html).
std::string AlbHostedZoneId(const std::string& region);

}  // namespace sim::aws
