// Mirrors upstream pkg/config/feature_gates.go (gate names).
#include "sim/controller/controller_config.h"

namespace sim::controller {

bool FeatureGates::Set(const std::string& name, bool value) {
  const std::map<std::string, bool*> gates = {
      {"ListenerRulesTagging", &listener_rules_tagging},
      {"WeightedTargetGroups", &weighted_target_groups},
      {"ServiceTypeLoadBalancerOnly", &service_type_load_balancer_only},
      {"EndpointsFailOpen", &endpoints_fail_open},
      {"EnableServiceController", &enable_service_controller},
      {"EnableIPTargetType", &enable_ip_target_type},
      {"EnableRGTAPI", &enable_rgt_api},
      {"SubnetsClusterTagCheck", &subnets_cluster_tag_check},
      {"NLBHealthCheckAdvancedConfig", &nlb_health_check_advanced_config},
      {"NLBSecurityGroup", &nlb_security_group},
      {"ALBSingleSubnet", &alb_single_subnet},
      {"SubnetDiscoveryByReachability", &subnet_discovery_by_reachability},
      {"LBCapacityReservation", &lb_capacity_reservation},
      {"NLBGatewayAPI", &nlb_gateway_api},
      {"ALBGatewayAPI", &alb_gateway_api},
      {"GlobalAcceleratorController", &global_accelerator_controller},
      {"EnableTCPUDPListener", &enable_tcp_udp_listener},
      {"EnhancedDefaultBehavior", &enhanced_default_behavior},
      {"EnableDefaultTagsLowPriority", &enable_default_tags_low_priority},
      {"ALBTargetControlAgent", &alb_target_control_agent},
      {"GatewayListenerSet", &gateway_listener_set},
      {"EnableCertificateManagement", &enable_certificate_management},
      {"IngressPlanAnnotation", &ingress_plan_annotation},
  };
  auto it = gates.find(name);
  if (it == gates.end()) return false;
  *it->second = value;
  return true;
}

}  // namespace sim::controller
