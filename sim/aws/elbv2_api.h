#pragma once
// The ELBv2 API as the controller sees it (upstream pkg/aws/services/elbv2.go), one method per AWS
// operation the controller calls (elbv2-semantics.md §1.2). The controller includes this header
// only, never the fake (STYLE.md §1).
//
// Conventions:
// * Request structs mirror the AWS input shapes; fields are snake_case AWS member names.
//   An empty string / empty vector / nullopt means "member not sent".
// * Errors are sim::Error with aws_code = the exact AWS error code and message = the AWS text.
//   Every call may also fail with the common codes injected by a FaultPlan: "Throttling"
//   (kThrottled), "InternalFailure" (kInternal), "ServiceUnavailable" / "RequestTimeout"
//   (kUnavailable), "AccessDenied" (kPermissionDenied), and "albtwin.ControllerCrashed"
//   (kUnavailable) once the crash switch has tripped. These are not repeated per method.
// * "ValidationError" (kInvalidArgument) is what AWS answers for parameter-shape violations
//   (missing member, enum, range, pattern); per-method lists mention it only where it carries a
//   behaviour the controller matches on.
// * Pagination: the real Describe* calls page (Marker/NextMarker, PageSize ≤ 400). These methods
//   return every match in one answer, which is what a paginating client ends up with.
// * Describe order is deterministic: load balancers and target groups by ARN (= by name, then id),
//   listeners by port, rules by numeric priority with the default rule last, tags by key.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/aws/elbv2.h"
#include "sim/aws/call_context.h"
#include "sim/base/status.h"

namespace sim::aws {

namespace m = ::sim::model::aws;

// ---------------------------------------------------------------------------------------------
// Load balancers

struct CreateLoadBalancerRequest {
  std::string name;                           // Name (required)
  std::vector<std::string> subnets;           // Subnets (either this or subnet_mappings)
  std::vector<m::SubnetMapping> subnet_mappings;  // SubnetMappings
  std::vector<std::string> security_groups;   // SecurityGroups
  std::string scheme;                         // Scheme; "" = "internet-facing"
  std::vector<m::Tag> tags;                   // Tags
  std::string type;                           // Type; "" = "application"
  std::string ip_address_type;                // IpAddressType; "" = "ipv4"
  std::string customer_owned_ipv4_pool;       // CustomerOwnedIpv4Pool
  std::string enable_prefix_for_ipv6_source_nat;  // EnablePrefixForIpv6SourceNat (NLB): "on" | "off"
  std::optional<m::IpamPools> ipam_pools;         // IpamPools
};

struct DescribeLoadBalancersRequest {
  std::vector<std::string> load_balancer_arns;  // LoadBalancerArns
  std::vector<std::string> names;               // Names
  // Neither set: every load balancer in the region.
};

struct SetIpAddressTypeRequest {
  std::string load_balancer_arn;  // LoadBalancerArn
  std::string ip_address_type;    // IpAddressType
};

struct SetSubnetsRequest {
  std::string load_balancer_arn;                  // LoadBalancerArn
  std::vector<std::string> subnets;               // Subnets
  std::vector<m::SubnetMapping> subnet_mappings;  // SubnetMappings
  std::string ip_address_type;                    // IpAddressType ("" = unchanged)
  std::string enable_prefix_for_ipv6_source_nat;  // EnablePrefixForIpv6SourceNat ("" = unchanged)
};

struct SetSubnetsResponse {
  std::vector<m::AvailabilityZone> availability_zones;  // AvailabilityZones
  std::string ip_address_type;                          // IpAddressType
};

// ModifyIpPools: sets (IpamPools) or removes (RemoveIpamPools: "ipv4") the LB's IPAM pools.
struct ModifyIpPoolsRequest {
  std::string load_balancer_arn;                 // LoadBalancerArn (required)
  std::optional<m::IpamPools> ipam_pools;        // IpamPools
  std::vector<std::string> remove_ipam_pools;    // RemoveIpamPools: "ipv4"
};

struct SetSecurityGroupsRequest {
  std::string load_balancer_arn;             // LoadBalancerArn
  std::vector<std::string> security_groups;  // SecurityGroups
};

struct ModifyLoadBalancerAttributesRequest {
  std::string load_balancer_arn;         // LoadBalancerArn
  std::vector<m::Attribute> attributes;  // Attributes (max 20)
};

// ---------------------------------------------------------------------------------------------
// Listeners

struct CreateListenerRequest {
  std::string load_balancer_arn;             // LoadBalancerArn (required)
  std::string protocol;                      // Protocol: "HTTP" | "HTTPS"
  std::optional<int> port;                   // Port
  std::optional<std::string> ssl_policy;     // SslPolicy ("" / nullopt = default for HTTPS)
  std::vector<m::Certificate> certificates;  // Certificates (exactly one for HTTPS)
  std::vector<m::Action> default_actions;    // DefaultActions (required)
  std::vector<std::string> alpn_policy;      // AlpnPolicy
  std::vector<m::Tag> tags;                  // Tags
  std::optional<m::MutualAuthenticationAttributes> mutual_authentication;  // MutualAuthentication
};

// ModifyListener: every member left unset keeps its value; list members replace the whole list.
struct ModifyListenerRequest {
  std::string listener_arn;                  // ListenerArn (required)
  std::optional<int> port;                   // Port
  std::string protocol;                      // Protocol ("" = unchanged)
  std::optional<std::string> ssl_policy;     // SslPolicy
  std::optional<std::vector<m::Certificate>> certificates;  // Certificates
  std::optional<std::vector<m::Action>> default_actions;    // DefaultActions
  std::optional<std::vector<std::string>> alpn_policy;      // AlpnPolicy
  std::optional<m::MutualAuthenticationAttributes> mutual_authentication;  // MutualAuthentication
};

struct DescribeListenersRequest {
  std::string load_balancer_arn;            // LoadBalancerArn
  std::vector<std::string> listener_arns;   // ListenerArns
  // Exactly one of the two must be set (else ValidationError).
};

struct ListenerCertificatesRequest {
  std::string listener_arn;                  // ListenerArn
  std::vector<m::Certificate> certificates;  // Certificates
};

struct ModifyListenerAttributesRequest {
  std::string listener_arn;              // ListenerArn
  std::vector<m::Attribute> attributes;  // Attributes
};

// ---------------------------------------------------------------------------------------------
// Rules

struct CreateRuleRequest {
  std::string listener_arn;                  // ListenerArn (required)
  std::vector<m::RuleCondition> conditions;  // Conditions (required)
  int priority = 0;                          // Priority 1..50000 (required)
  std::vector<m::Action> actions;            // Actions (required)
  std::vector<m::Tag> tags;                  // Tags
  std::vector<m::RuleTransform> transforms;  // Transforms
};

// ModifyRule: unset lists keep their value; set lists replace the whole list.
struct ModifyRuleRequest {
  std::string rule_arn;                                      // RuleArn (required)
  std::optional<std::vector<m::RuleCondition>> conditions;   // Conditions
  std::optional<std::vector<m::Action>> actions;             // Actions
  std::optional<std::vector<m::RuleTransform>> transforms;   // Transforms
  bool reset_transforms = false;                             // ResetTransforms
};

struct DescribeRulesRequest {
  std::string listener_arn;            // ListenerArn
  std::vector<std::string> rule_arns;  // RuleArns
  // Exactly one of the two must be set (else ValidationError).
};

struct SetRulePrioritiesRequest {
  std::vector<m::RulePriorityPair> rule_priorities;  // RulePriorities
};

// ---------------------------------------------------------------------------------------------
// Target groups and targets

struct CreateTargetGroupRequest {
  std::string name;                                  // Name (required)
  std::optional<std::string> protocol;               // Protocol: HTTP | HTTPS (not for lambda)
  std::optional<std::string> protocol_version;       // ProtocolVersion: HTTP1 | HTTP2 | GRPC
  std::optional<int> port;                           // Port (not for lambda)
  std::optional<std::string> vpc_id;                 // VpcId (not for lambda)
  std::optional<std::string> health_check_protocol;  // HealthCheckProtocol
  std::optional<std::string> health_check_port;      // HealthCheckPort
  std::optional<bool> health_check_enabled;          // HealthCheckEnabled
  std::optional<std::string> health_check_path;      // HealthCheckPath
  std::optional<int> health_check_interval_seconds;  // HealthCheckIntervalSeconds
  std::optional<int> health_check_timeout_seconds;   // HealthCheckTimeoutSeconds
  std::optional<int> healthy_threshold_count;        // HealthyThresholdCount
  std::optional<int> unhealthy_threshold_count;      // UnhealthyThresholdCount
  std::optional<m::Matcher> matcher;                 // Matcher
  std::optional<std::string> target_type;            // TargetType; nullopt = "instance"
  std::vector<m::Tag> tags;                          // Tags
  std::optional<std::string> ip_address_type;        // IpAddressType: ipv4 | ipv6
  std::optional<int> target_control_port;            // TargetControlPort
};

// ModifyTargetGroup: health-check settings only; unset members keep their value.
struct ModifyTargetGroupRequest {
  std::string target_group_arn;                      // TargetGroupArn (required)
  std::optional<std::string> health_check_protocol;  // HealthCheckProtocol
  std::optional<std::string> health_check_port;      // HealthCheckPort
  std::optional<std::string> health_check_path;      // HealthCheckPath
  std::optional<bool> health_check_enabled;          // HealthCheckEnabled
  std::optional<int> health_check_interval_seconds;  // HealthCheckIntervalSeconds
  std::optional<int> health_check_timeout_seconds;   // HealthCheckTimeoutSeconds
  std::optional<int> healthy_threshold_count;        // HealthyThresholdCount
  std::optional<int> unhealthy_threshold_count;      // UnhealthyThresholdCount
  std::optional<m::Matcher> matcher;                 // Matcher
};

struct DescribeTargetGroupsRequest {
  std::string load_balancer_arn;               // LoadBalancerArn
  std::vector<std::string> target_group_arns;  // TargetGroupArns
  std::vector<std::string> names;              // Names
  // None set: every target group in the region. At most one may be set (else ValidationError).
};

struct ModifyTargetGroupAttributesRequest {
  std::string target_group_arn;          // TargetGroupArn
  std::vector<m::Attribute> attributes;  // Attributes
};

struct TargetsRequest {
  std::string target_group_arn;                // TargetGroupArn (required)
  std::vector<m::TargetDescription> targets;   // Targets (required, ≥ 1)
};

struct DescribeTargetHealthRequest {
  std::string target_group_arn;               // TargetGroupArn (required)
  std::vector<m::TargetDescription> targets;  // Targets (empty = every registered target)
};

// ---------------------------------------------------------------------------------------------
// Tags

struct AddTagsRequest {
  std::vector<std::string> resource_arns;  // ResourceArns (LB, TG, listener, rule ARNs)
  std::vector<m::Tag> tags;                // Tags
};

struct RemoveTagsRequest {
  std::vector<std::string> resource_arns;  // ResourceArns
  std::vector<std::string> tag_keys;       // TagKeys
};

struct DescribeTagsRequest {
  std::vector<std::string> resource_arns;  // ResourceArns (1..20)
};

// ---------------------------------------------------------------------------------------------

class Elbv2Api {
 public:
  virtual ~Elbv2Api() = default;

  // --- Load balancers -------------------------------------------------------------------------

  // Creates an ALB in state "provisioning". Idempotent: the same name with identical settings
  // (type, scheme, subnets, security groups, ip address type) returns the existing LB.
  // Errors: ValidationError (name: length 1..32, [A-Za-z0-9-], no leading/trailing '-', not
  // "internal-…"; type/scheme/ipAddressType enums; both or neither of subnets/subnetMappings;
  // "At least two subnets in two different Availability Zones must be specified"),
  // DuplicateLoadBalancerName (same name, different settings), TooManyLoadBalancers,
  // SubnetNotFound, InvalidSubnet (subnets in several VPCs, dualstack without IPv6 CIDR),
  // InvalidConfigurationRequest (two subnets in one AZ; EIPs on an ALB), InvalidSecurityGroup,
  // TooManyTags, DuplicateTagKeys.
  virtual Result<m::LoadBalancer> CreateLoadBalancer(const CallContext& ctx,
                                                     const CreateLoadBalancerRequest& req) = 0;
  // Deletes the LB with its listeners and rules (target groups stay, unreferenced). Deleting an
  // unknown ARN succeeds. Errors: OperationNotPermitted "Load balancer '<arn>' cannot be deleted
  // because deletion protection is enabled".
  virtual Status DeleteLoadBalancer(const CallContext& ctx, const std::string& load_balancer_arn) = 0;
  // By ARNs or names, or all. Errors: LoadBalancerNotFound if any requested ARN/name is unknown.
  virtual Result<std::vector<m::LoadBalancer>> DescribeLoadBalancers(
      const CallContext& ctx, const DescribeLoadBalancersRequest& req) = 0;
  // DescribeLoadBalancers of every LB in the region (no selector), the same call, answered with
  // immutable shared LBs: an implementation may hand out the same LB object to every caller until
  // that LB changes instead of copying it per call.
  virtual Result<std::vector<std::shared_ptr<const m::LoadBalancer>>> DescribeAllLoadBalancers(const CallContext& ctx) {
    return ShareEach(DescribeLoadBalancers(ctx, DescribeLoadBalancersRequest{}));
  }
  // Returns the new IpAddressType. Errors: LoadBalancerNotFound, ValidationError (enum),
  // InvalidConfigurationRequest (internal LB with a dualstack type), InvalidSubnet (no IPv6 CIDR).
  virtual Result<std::string> SetIpAddressType(const CallContext& ctx,
                                               const SetIpAddressTypeRequest& req) = 0;
  // Replaces the LB's subnets. Errors: LoadBalancerNotFound, SubnetNotFound, InvalidSubnet,
  // InvalidConfigurationRequest (same AZ twice, other VPC), ValidationError (< 2 AZs).
  virtual Result<SetSubnetsResponse> SetSubnets(const CallContext& ctx, const SetSubnetsRequest& req) = 0;
  // Replaces the LB's security groups; returns SecurityGroupIds. Errors: LoadBalancerNotFound,
  // InvalidSecurityGroup (unknown id or other VPC).
  virtual Result<std::vector<std::string>> SetSecurityGroups(const CallContext& ctx,
                                                             const SetSecurityGroupsRequest& req) = 0;
  // Every ALB attribute with its current value (defaults included), sorted by key.
  // Errors: LoadBalancerNotFound.
  virtual Result<std::vector<m::Attribute>> DescribeLoadBalancerAttributes(
      const CallContext& ctx, const std::string& load_balancer_arn) = 0;
  // Sets the given keys; returns all attributes after the change. Errors: LoadBalancerNotFound,
  // InvalidConfigurationRequest (unknown key, bad value; "…cross_zone…" cannot be changed),
  // ValidationError (more than 20 attributes).
  virtual Result<std::vector<m::Attribute>> ModifyLoadBalancerAttributes(
      const CallContext& ctx, const ModifyLoadBalancerAttributesRequest& req) = 0;
  // Returns the LB's IpamPools after the change. Not every implementation simulates IPAM: the
  // default answers ValidationError "ModifyIpPools is not supported".
  virtual Result<std::optional<m::IpamPools>> ModifyIpPools(const CallContext& ctx, const ModifyIpPoolsRequest& req) {
    (void)ctx;
    (void)req;
    Error err;
    err.code = ErrorCode::kInvalidArgument;
    err.aws_code = "ValidationError";
    err.message = "ModifyIpPools is not supported";
    return err;
  }

  // --- Listeners ------------------------------------------------------------------------------

  // Creates a listener; its default rule (priority "default") comes with it. Idempotent for an
  // identical listener on the same port. Errors: LoadBalancerNotFound, DuplicateListener (port in
  // use with other settings), TooManyListeners, UnsupportedProtocol, ValidationError ("A
  // certificate must be specified for HTTPS listeners", port range), SSLPolicyNotFound,
  // CertificateNotFound, TargetGroupNotFound, TargetGroupAssociationLimit,
  // TooManyUniqueTargetGroupsPerLoadBalancer, IncompatibleProtocols, InvalidLoadBalancerAction,
  // TooManyCertificates, TooManyTags.
  virtual Result<m::Listener> CreateListener(const CallContext& ctx, const CreateListenerRequest& req) = 0;
  // Replaces the given members (HTTPS→HTTP drops SslPolicy and certificates). Same errors as
  // CreateListener plus ListenerNotFound.
  virtual Result<m::Listener> ModifyListener(const CallContext& ctx, const ModifyListenerRequest& req) = 0;
  // Deletes the listener and its rules. Errors: ListenerNotFound.
  virtual Status DeleteListener(const CallContext& ctx, const std::string& listener_arn) = 0;
  // By LB (sorted by port) or by ARNs. Errors: LoadBalancerNotFound, ListenerNotFound,
  // ValidationError (neither or both selectors).
  virtual Result<std::vector<m::Listener>> DescribeListeners(const CallContext& ctx,
                                                             const DescribeListenersRequest& req) = 0;
  // Adds non-default (SNI) certificates; a certificate already present is not added twice.
  // Returns the listener's certificates after the change. Errors: ListenerNotFound,
  // CertificateNotFound, TooManyCertificates.
  virtual Result<std::vector<m::Certificate>> AddListenerCertificates(
      const CallContext& ctx, const ListenerCertificatesRequest& req) = 0;
  // Removes non-default certificates (absent ones are ignored). Errors: ListenerNotFound,
  // OperationNotPermitted (removing the default certificate).
  virtual Status RemoveListenerCertificates(const CallContext& ctx,
                                            const ListenerCertificatesRequest& req) = 0;
  // The default certificate (IsDefault=true) then the others (IsDefault=false), in the order
  // added. Errors: ListenerNotFound.
  virtual Result<std::vector<m::Certificate>> DescribeListenerCertificates(
      const CallContext& ctx, const std::string& listener_arn) = 0;
  // Listener attributes (ALB: "routing.http.response.*" headers), sorted by key.
  // Errors: ListenerNotFound.
  virtual Result<std::vector<m::Attribute>> DescribeListenerAttributes(const CallContext& ctx,
                                                                       const std::string& listener_arn) = 0;
  // Errors: ListenerNotFound, InvalidConfigurationRequest (unknown key).
  virtual Result<std::vector<m::Attribute>> ModifyListenerAttributes(
      const CallContext& ctx, const ModifyListenerAttributesRequest& req) = 0;

  // --- Rules ----------------------------------------------------------------------------------

  // Errors: ListenerNotFound, PriorityInUse "Priority '<n>' is currently in use", TooManyRules,
  // ValidationError (priority range, conditions), TargetGroupNotFound,
  // TargetGroupAssociationLimit, TooManyUniqueTargetGroupsPerLoadBalancer,
  // InvalidLoadBalancerAction, TooManyTags.
  virtual Result<m::Rule> CreateRule(const CallContext& ctx, const CreateRuleRequest& req) = 0;
  // Errors: RuleNotFound, OperationNotPermitted (conditions on the default rule), and the action
  // errors of CreateRule.
  virtual Result<m::Rule> ModifyRule(const CallContext& ctx, const ModifyRuleRequest& req) = 0;
  // Errors: RuleNotFound, OperationNotPermitted (the default rule).
  virtual Status DeleteRule(const CallContext& ctx, const std::string& rule_arn) = 0;
  // By listener (by priority, default last) or by ARNs. Errors: ListenerNotFound, RuleNotFound,
  // ValidationError (neither or both selectors).
  virtual Result<std::vector<m::Rule>> DescribeRules(const CallContext& ctx, const DescribeRulesRequest& req) = 0;
  // Atomic: the resulting priorities must be unique per listener (swaps in one call are fine).
  // Returns the changed rules. Errors: RuleNotFound, PriorityInUse, OperationNotPermitted (default
  // rule), ValidationError ("Priority '<n>' was provided multiple times", range).
  virtual Result<std::vector<m::Rule>> SetRulePriorities(const CallContext& ctx,
                                                         const SetRulePrioritiesRequest& req) = 0;

  // --- Target groups --------------------------------------------------------------------------

  // Idempotent for the same name with identical settings. Errors: ValidationError (name rules,
  // ranges, "Health check interval must be greater than the timeout.", "The VPC ID '<id>' is not
  // found", lambda/port rules), DuplicateTargetGroupName "A target group with the same name
  // '<name>' exists, but with different settings", TooManyTargetGroups, TooManyTags.
  virtual Result<m::TargetGroup> CreateTargetGroup(const CallContext& ctx,
                                                   const CreateTargetGroupRequest& req) = 0;
  // Errors: TargetGroupNotFound, ValidationError (ranges, timeout ≥ interval).
  virtual Result<m::TargetGroup> ModifyTargetGroup(const CallContext& ctx,
                                                   const ModifyTargetGroupRequest& req) = 0;
  // Errors: ResourceInUse "Target group '<arn>' is currently in use by a listener or a rule",
  // TargetGroupNotFound.
  virtual Status DeleteTargetGroup(const CallContext& ctx, const std::string& target_group_arn) = 0;
  // All, by ARNs, by names, or by LB. Errors: TargetGroupNotFound, LoadBalancerNotFound.
  virtual Result<std::vector<m::TargetGroup>> DescribeTargetGroups(const CallContext& ctx,
                                                                   const DescribeTargetGroupsRequest& req) = 0;
  // DescribeTargetGroups of every TG in the region (no selector), as DescribeAllLoadBalancers.
  virtual Result<std::vector<std::shared_ptr<const m::TargetGroup>>> DescribeAllTargetGroups(const CallContext& ctx) {
    return ShareEach(DescribeTargetGroups(ctx, DescribeTargetGroupsRequest{}));
  }
  // Errors: TargetGroupNotFound.
  virtual Result<std::vector<m::Attribute>> DescribeTargetGroupAttributes(
      const CallContext& ctx, const std::string& target_group_arn) = 0;
  // Errors: TargetGroupNotFound, InvalidConfigurationRequest (unknown key, bad value).
  virtual Result<std::vector<m::Attribute>> ModifyTargetGroupAttributes(
      const CallContext& ctx, const ModifyTargetGroupAttributesRequest& req) = 0;

  // New targets start "initial"/"Elb.RegistrationInProgress" (or "unused"/"Target.NotInUse" while
  // no listener/rule uses the TG); re-registering a registered target is a no-op (a draining one
  // comes back). Errors: TargetGroupNotFound, TooManyTargets, InvalidTarget (unknown/stopped
  // instance, IP outside the VPC without AvailabilityZone), ValidationError (AvailabilityZone on
  // an instance target; "…you must specify an Availability Zone…").
  virtual Status RegisterTargets(const CallContext& ctx, const TargetsRequest& req) = 0;
  // Registered targets go "draining" for deregistration_delay.timeout_seconds (sim clock), then
  // vanish. Unknown targets are ignored. Errors: TargetGroupNotFound.
  virtual Status DeregisterTargets(const CallContext& ctx, const TargetsRequest& req) = 0;
  // Health of the requested targets (or all registered ones). An unregistered requested target is
  // "unused"/"Target.NotRegistered". Errors: TargetGroupNotFound, InvalidTarget.
  virtual Result<std::vector<m::TargetHealthDescription>> DescribeTargetHealth(
      const CallContext& ctx, const DescribeTargetHealthRequest& req) = 0;

  // --- Tags -----------------------------------------------------------------------------------

  // Adds or overwrites tags on every resource (all-or-nothing). Errors: LoadBalancerNotFound /
  // TargetGroupNotFound / ListenerNotFound / RuleNotFound (by ARN kind), DuplicateTagKeys,
  // TooManyTags (more than 50 after merge), ValidationError (key/value length).
  virtual Status AddTags(const CallContext& ctx, const AddTagsRequest& req) = 0;
  // Removes keys (absent keys ignored). Errors: the *NotFound codes as AddTags.
  virtual Status RemoveTags(const CallContext& ctx, const RemoveTagsRequest& req) = 0;
  // One TagDescription per requested ARN, in request order, tags sorted by key.
  // Errors: ValidationError (more than 20 ARNs, or none), the *NotFound codes as AddTags.
  virtual Result<std::vector<m::TagDescription>> DescribeTags(const CallContext& ctx,
                                                              const DescribeTagsRequest& req) = 0;

 protected:
  // The default of the DescribeAll* calls: each described item moved into its own shared object.
  template <typename T>
  static Result<std::vector<std::shared_ptr<const T>>> ShareEach(Result<std::vector<T>> described) {
    if (!described.ok()) return described.error();
    std::vector<std::shared_ptr<const T>> out;
    out.reserve(described.value().size());
    for (T& item : described.value()) out.push_back(std::make_shared<const T>(std::move(item)));
    return out;
  }
};

}  // namespace sim::aws
