#pragma once
// Mirrors upstream pkg/config/{controller_config.go,ingress_config.go,feature_gates.go,
// addons_config.go} for the settings the Ingress path reads. Defaults = upstream defaults
// (controller.md §0). The scenario loader fills it; the conformance runner fills it from
// SimulatorConfig.builder.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sim::controller {

// upstream config.NewFeatureGates() defaults.
struct FeatureGates {
  bool listener_rules_tagging = true;
  bool weighted_target_groups = true;
  bool service_type_load_balancer_only = false;
  bool endpoints_fail_open = true;
  bool enable_service_controller = true;
  bool enable_ip_target_type = true;
  bool enable_rgt_api = false;
  bool subnets_cluster_tag_check = true;
  bool nlb_health_check_advanced_config = true;
  bool nlb_security_group = true;
  bool alb_single_subnet = false;
  bool subnet_discovery_by_reachability = true;
  bool lb_capacity_reservation = true;
  bool nlb_gateway_api = true;
  bool alb_gateway_api = true;
  bool global_accelerator_controller = false;
  bool enable_tcp_udp_listener = false;
  bool enhanced_default_behavior = false;
  bool enable_default_tags_low_priority = false;
  bool alb_target_control_agent = false;
  bool gateway_listener_set = true;
  bool enable_certificate_management = false;
  bool ingress_plan_annotation = false;

  // Sets a gate by its upstream name ("ListenerRulesTagging", ...). False when the name is unknown.
  bool Set(const std::string& name, bool value);
};

struct ControllerConfig {
  // --cluster-name (required upstream: `kubernetes cluster name must be specified`).
  std::string cluster_name;
  // --aws-vpc-id.
  std::string vpc_id;
  // --ingress-class. Default: "alb".
  std::string ingress_class = "alb";
  // --default-tags.
  std::map<std::string, std::string> default_tags;
  // --external-managed-tags.
  std::vector<std::string> external_managed_tags;
  // --default-target-type: instance / ip. Default: instance.
  std::string default_target_type = "instance";
  // --default-load-balancer-scheme. Default: internal.
  std::string default_load_balancer_scheme = "internal";
  // --default-ssl-policy.
  std::string default_ssl_policy = "ELBSecurityPolicy-2016-08";
  // --enable-backend-security-group. Default: true.
  bool enable_backend_security_group = true;
  // --backend-security-group (used as is when set).
  std::string backend_security_group;
  // --enable-manage-backend-security-group-rules. Default: false.
  bool enable_manage_backend_security_group_rules = false;
  // --disable-restricted-sg-rules. Default: false.
  bool disable_restricted_sg_rules = false;
  // --enable-endpoint-slices. Default: true.
  bool enable_endpoint_slices = true;
  // --enable-pod-readiness-gate-inject. Default: true.
  bool enable_pod_readiness_gate_inject = true;
  // --tolerate-non-existent-backend-service / -action. Default: true.
  bool tolerate_non_existent_backend_service = true;
  bool tolerate_non_existent_backend_action = true;
  // --ingress-max-concurrent-reconciles. Default: 3.
  int ingress_max_concurrent_reconciles = 3;
  // --sync-period. Milliseconds. Default: 10h.
  int64_t sync_period_ms = 10LL * 3600 * 1000;
  // --lb-stabilization-monitor-interval. Milliseconds. Default: 120s.
  int64_t lb_stabilization_monitor_interval_ms = 120 * 1000;
  // --targetgroupbinding-requeue-duration. Milliseconds. Default: 15s.
  int64_t targetgroupbinding_requeue_duration_ms = 15 * 1000;
  // --max-targets-per-target-group. 0 = unlimited.
  int32_t max_targets_per_target_group = 0;
  // --allowed-certificate-authority-arns (cert discovery filter).
  std::vector<std::string> allowed_certificate_authority_arns;
  // --default-ca-arn (ACM private CA for create-acm-cert).
  std::string default_ca_arn;
  // Annotation prefix of the Ingress path.
  std::string annotation_prefix = "alb.ingress.kubernetes.io";
  // Tracking tag prefix of the Ingress path.
  std::string tracking_tag_prefix = "ingress.k8s.aws";
  // AddonsConfig (all enabled by default upstream).
  bool wafv2_enabled = true;
  bool waf_enabled = true;
  bool shield_enabled = true;

  FeatureGates feature_gates;
};

}  // namespace sim::controller
