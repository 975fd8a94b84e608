#pragma once
// Mirrors upstream pkg/model/elbv2/k8s/target_group_binding.go (the desired TargetGroupBinding
// object the deployer creates in Kubernetes).

#include <optional>
#include <string>
#include <vector>

#include "models/k8s/objects.h"
#include "models/stack/token.h"

namespace sim::model::stack {

struct TgbSecurityGroup {
  StringToken group_id;
  bool operator==(const TgbSecurityGroup&) const = default;
};

struct TgbNetworkingPeer {
  std::optional<std::string> ip_block_cidr;  // ipBlock{cidr}
  std::optional<TgbSecurityGroup> security_group;
  bool operator==(const TgbNetworkingPeer&) const = default;
};

struct TgbNetworkingPort {
  std::optional<std::string> protocol;  // "TCP"
  std::optional<k8s::IntOrString> port;  // nil = all ports
  bool operator==(const TgbNetworkingPort&) const = default;
};

struct TgbNetworkingIngressRule {
  std::vector<TgbNetworkingPeer> from;
  std::vector<TgbNetworkingPort> ports;
  bool operator==(const TgbNetworkingIngressRule&) const = default;
};

struct TargetGroupBindingNetworking {
  std::vector<TgbNetworkingIngressRule> ingress;  // omitempty
  bool operator==(const TargetGroupBindingNetworking&) const = default;
};

struct TgbServiceReference {
  std::string name;
  k8s::IntOrString port;  // exactly as the Ingress references it
  bool operator==(const TgbServiceReference&) const = default;
};

struct TargetGroupBindingSpec {
  StringToken target_group_arn;
  std::optional<std::string> target_type;  // instance / ip
  TgbServiceReference service_ref;
  std::optional<TargetGroupBindingNetworking> networking;
  std::optional<k8s::LabelSelector> node_selector;
  std::string ip_address_type;  // omitempty
  std::string vpc_id;           // omitempty
  bool multi_cluster_target_group = false;  // omitempty
  std::optional<std::string> target_group_protocol;
  bool operator==(const TargetGroupBindingSpec&) const = default;
};

struct TargetGroupBindingTemplate {
  std::string name;       // metadata.name = target group name
  std::string namespace_;  // metadata.namespace = Service namespace
  TargetGroupBindingSpec spec;
  bool operator==(const TargetGroupBindingTemplate&) const = default;
};

struct TargetGroupBindingResourceSpec {
  TargetGroupBindingTemplate template_;
  bool operator==(const TargetGroupBindingResourceSpec&) const = default;
};

struct TargetGroupBindingResourceStatus {
  std::string namespace_;  // targetGroupBindingRef
  std::string name;
  bool operator==(const TargetGroupBindingResourceStatus&) const = default;
};

}  // namespace sim::model::stack
