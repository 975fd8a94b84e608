#pragma once
// What the data plane sees: a read-only snapshot of the ALBs (from the fake ELBv2/EC2, not through
// the controller's API so the call log stays the controller's) and of the cluster's nodes, pods and
// Services (kube-proxy's view). Built by the scenario runner; the router only reads it.

#include <map>
#include <string>
#include <vector>

#include "models/aws/ec2.h"
#include "models/aws/elbv2.h"

namespace sim::traffic {

struct TargetView {
  model::aws::TargetDescription target;  // id, port (resolved), availability zone
  model::aws::TargetHealth health;
};

struct TargetGroupView {
  model::aws::TargetGroup tg;
  std::vector<TargetView> targets;  // sorted by id, port
  std::map<std::string, std::string> attributes;
  // The Kubernetes Service behind it (from the TargetGroupBinding); empty when unknown.
  std::string service_namespace, service_name, service_port;
};

struct ListenerView {
  model::aws::Listener listener;
  std::vector<model::aws::Rule> rules;  // non-default rules by ascending priority
  std::vector<model::aws::Certificate> certificates;  // all certificates (default first)
};

struct LoadBalancerView {
  model::aws::LoadBalancer lb;
  std::vector<ListenerView> listeners;  // by ascending port
  std::string owner;                    // "Ingress default/web" or the stack tag, for display
};

struct NodeView {
  std::string name;
  std::string instance_id;
  std::string ip;
  std::string az;
  bool ready = true;
  bool fargate = false;
  std::vector<std::string> security_groups;
};

struct EndpointView {
  std::string pod_namespace, pod_name;
  std::string ip;
  std::string node_name;
  int port = 0;       // resolved target port
  bool ready = false;  // EndpointSlice conditions.ready
  bool serving = false;
  bool terminating = false;
};

struct ServicePortView {
  std::string name;
  int port = 0;
  int node_port = 0;
  std::string target_port;  // as written (number or name)
};

struct ServiceView {
  std::string namespace_, name;
  std::string type;
  std::string external_traffic_policy = "Cluster";
  std::vector<ServicePortView> ports;
  // Endpoints per Service port name ("" for an unnamed port), from the EndpointSlices.
  std::map<std::string, std::vector<EndpointView>> endpoints;
};

struct PodView {
  std::string namespace_, name;
  std::string ip;
  std::string node_name;
  std::string phase;
  bool ready = false;
  bool containers_ready = false;
  std::vector<int> container_ports;
};

struct CertificateView {
  std::string arn;
  std::string domain;
  std::vector<std::string> sans;
};

struct WorldView {
  std::string region;
  std::string vpc_cidr;
  std::vector<LoadBalancerView> load_balancers;
  std::map<std::string, TargetGroupView> target_groups;          // by ARN
  std::map<std::string, model::aws::SecurityGroup> security_groups;  // by id
  std::map<std::string, NodeView> nodes_by_instance;             // by instance id
  std::map<std::string, NodeView> nodes_by_name;
  std::map<std::string, ServiceView> services;                   // by "ns/name"
  std::map<std::string, PodView> pods_by_ip;
  std::vector<CertificateView> certificates;
  // Check the node/pod security groups at the target hop (ALB -> target on the target port). Off
  // until the controller's networking manager adds the node rules (notes/net-traffic.md); when off
  // the hop is not shown.
  bool enforce_target_security_groups = false;
};

}  // namespace sim::traffic
