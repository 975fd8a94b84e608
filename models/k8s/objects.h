#pragma once
// Typed Kubernetes objects, as stored by the fake API server and read by the controller.
// Plain data: fields are named as their JSON keys (camelCase in JSON, snake_case here); std only.
// An optional JSON field is std::optional or an empty container (omitted when printed).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sim::model::k8s {

enum class Kind {
  kNamespace,
  kNode,
  kPod,
  kService,
  kEndpoints,
  kEndpointSlice,
  kDeployment,
  kReplicaSet,
  kIngress,
  kIngressClass,
  kIngressClassParams,
  kSecret,
  kConfigMap,
  kServiceAccount,
  kEvent,
  kTargetGroupBinding,
};

// "Ingress", "Service", ...
const char* KindName(Kind kind);
// Parses a Kind name (case-sensitive, as in manifests). False when unknown.
bool ParseKind(const std::string& name, Kind* out);
// "networking.k8s.io/v1", "v1", ...
const char* KindApiVersion(Kind kind);
// Plural resource with group, as in API errors: "ingresses.networking.k8s.io", "services".
const char* KindGroupResource(Kind kind);
// Kind with group, as in 422 Invalid errors: "Ingress.networking.k8s.io", "Service".
const char* KindGroupKind(Kind kind);
bool KindIsNamespaced(Kind kind);
// Kinds whose metadata.generation is tracked (k8s-semantics.md §1.1).
bool KindTracksGeneration(Kind kind);

// A Kubernetes int-or-string (port references, targetPort).
struct IntOrString {
  bool is_string = false;
  int32_t int_val = 0;
  std::string str_val;

  static IntOrString Int(int32_t v) { return IntOrString{false, v, {}}; }
  static IntOrString Str(std::string s) { return IntOrString{true, 0, std::move(s)}; }
  // The value as written: "http" or "80".
  std::string ToString() const { return is_string ? str_val : std::to_string(int_val); }
  bool operator==(const IntOrString&) const = default;
};

struct OwnerReference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  std::optional<bool> controller;
  std::optional<bool> block_owner_deletion;
  bool operator==(const OwnerReference&) const = default;
};

struct ObjectMeta {
  std::string name;
  std::string generate_name;
  std::string namespace_;  // "namespace" in JSON
  std::string uid;
  std::string resource_version;
  int64_t generation = 0;                     // 0 = absent (kinds that do not track it)
  std::string creation_timestamp;             // RFC 3339, second precision
  std::optional<std::string> deletion_timestamp;
  std::optional<int64_t> deletion_grace_period_seconds;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<std::string> finalizers;
  std::vector<OwnerReference> owner_references;
  bool operator==(const ObjectMeta&) const = default;
};

// Label selector (matchLabels + matchExpressions).
struct LabelSelectorRequirement {
  std::string key;
  std::string op;  // In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
  bool operator==(const LabelSelectorRequirement&) const = default;
};
struct LabelSelector {
  std::map<std::string, std::string> match_labels;
  std::vector<LabelSelectorRequirement> match_expressions;
  bool empty() const { return match_labels.empty() && match_expressions.empty(); }
  bool Matches(const std::map<std::string, std::string>& labels) const;
  bool operator==(const LabelSelector&) const = default;
};

// Base of every object. Objects are stored and shared as std::shared_ptr<const T> snapshots.
struct Object {
  virtual ~Object() = default;
  virtual Kind kind() const = 0;
  virtual std::shared_ptr<Object> Clone() const = 0;
  ObjectMeta metadata;
  // "<ns>/<name>" for namespaced kinds, "<name>" otherwise.
  std::string Key() const;
};
using ObjectPtr = std::shared_ptr<const Object>;

template <typename T, Kind K>
struct ObjectOf : Object {
  static constexpr Kind kKind = K;
  Kind kind() const override { return K; }
  std::shared_ptr<Object> Clone() const override {
    return std::make_shared<T>(static_cast<const T&>(*this));
  }
};

// ---------------------------------------------------------------- core/v1

struct Namespace : ObjectOf<Namespace, Kind::kNamespace> {
  std::vector<std::string> spec_finalizers;  // spec.finalizers
  std::string phase = "Active";              // status.phase
};

struct NodeAddress {
  std::string type;  // InternalIP, InternalDNS, Hostname, ExternalIP
  std::string address;
};
struct Taint {
  std::string key;
  std::string value;
  std::string effect;  // NoSchedule, PreferNoSchedule, NoExecute
};
struct NodeCondition {
  std::string type;
  std::string status;
  std::string reason;
  std::string message;
};
struct Node : ObjectOf<Node, Kind::kNode> {
  std::string provider_id;  // aws:///us-west-2a/i-0abc...
  bool unschedulable = false;
  std::vector<Taint> taints;
  std::vector<NodeAddress> addresses;
  std::vector<NodeCondition> conditions;
  // albtwin: the instance's security groups (EC2 fact, kept here for the traffic path).
  std::string InternalIP() const;
  bool Ready() const;
};

struct ContainerPort {
  std::string name;
  int32_t container_port = 0;
  std::string protocol = "TCP";
};
struct HttpGetProbe {
  std::string path = "/";
  IntOrString port;
  std::string scheme = "HTTP";
};
struct Probe {
  std::optional<HttpGetProbe> http_get;
  int32_t initial_delay_seconds = 0;
  int32_t timeout_seconds = 1;
  int32_t period_seconds = 10;
  int32_t success_threshold = 1;
  int32_t failure_threshold = 3;
};
struct Container {
  std::string name;
  std::string image;
  std::vector<ContainerPort> ports;
  std::optional<Probe> readiness_probe;
};
struct PodReadinessGate {
  std::string condition_type;
};
struct Toleration {
  std::string key;
  std::string op;
  std::string value;
  std::string effect;
  std::optional<int64_t> toleration_seconds;
};
struct PodSpec {
  std::vector<Container> containers;
  std::string node_name;
  std::map<std::string, std::string> node_selector;
  std::string service_account_name;
  std::string scheduler_name;
  std::string restart_policy;
  std::optional<int64_t> termination_grace_period_seconds;
  std::vector<PodReadinessGate> readiness_gates;
  std::vector<Toleration> tolerations;
  std::string hostname;
  std::string subdomain;
};
struct PodCondition {
  std::string type;    // PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled,
                       // or a readiness gate type
  std::string status;  // True / False
  std::string reason;
  std::string message;
  std::string last_transition_time;
  bool operator==(const PodCondition&) const = default;
};
struct PodTemplateSpec {
  ObjectMeta metadata;
  PodSpec spec;
};
struct Pod : ObjectOf<Pod, Kind::kPod> {
  PodSpec spec;
  // status
  std::string phase = "Pending";
  std::string pod_ip;
  std::string host_ip;
  std::vector<PodCondition> conditions;
  std::string start_time;
  // albtwin-only simulation knobs (annotations in manifests, see k8s docs in the project):
  const PodCondition* Condition(const std::string& type) const;
  bool Ready() const;
};

struct ServicePort {
  std::string name;
  std::string protocol;  // defaulted to TCP by the API server
  std::optional<std::string> app_protocol;
  int32_t port = 0;
  IntOrString target_port;  // defaulted to port
  int32_t node_port = 0;    // 0 = none
};
struct Service : ObjectOf<Service, Kind::kService> {
  std::string type;  // ClusterIP (default), NodePort, LoadBalancer, ExternalName
  std::map<std::string, std::string> selector;
  std::vector<ServicePort> ports;
  std::string cluster_ip;
  std::vector<std::string> cluster_ips;
  std::vector<std::string> ip_families;
  std::string ip_family_policy;
  std::string external_name;
  std::string external_traffic_policy;  // Cluster / Local (NodePort, LoadBalancer)
  std::string internal_traffic_policy;
  std::string session_affinity;
  int32_t health_check_node_port = 0;
  std::optional<bool> publish_not_ready_addresses;
  std::vector<std::string> load_balancer_source_ranges;
  // status.loadBalancer.ingress is not modelled (the Ingress path never sets it).
};

struct EndpointAddress {
  std::string ip;
  std::string node_name;
  std::string target_kind, target_namespace, target_name, target_uid;  // targetRef
  bool operator==(const EndpointAddress&) const = default;
};
struct EndpointPort {
  std::string name;
  int32_t port = 0;
  std::string protocol = "TCP";
  bool operator==(const EndpointPort&) const = default;
};
struct EndpointSubset {
  std::vector<EndpointAddress> addresses;
  std::vector<EndpointAddress> not_ready_addresses;
  std::vector<EndpointPort> ports;
  bool operator==(const EndpointSubset&) const = default;
};
struct Endpoints : ObjectOf<Endpoints, Kind::kEndpoints> {
  std::vector<EndpointSubset> subsets;
  // The body (subsets) is the same: what EncodeSpecFingerprint compares.
  bool SameSpec(const Endpoints& o) const { return subsets == o.subsets; }
};

struct Secret : ObjectOf<Secret, Kind::kSecret> {
  std::string type = "Opaque";
  std::map<std::string, std::string> data;  // base64 values as stored
  std::map<std::string, std::string> string_data;
};
struct ConfigMap : ObjectOf<ConfigMap, Kind::kConfigMap> {
  std::map<std::string, std::string> data;
};
struct ServiceAccount : ObjectOf<ServiceAccount, Kind::kServiceAccount> {};

struct ObjectReference {
  std::string kind;
  std::string namespace_;
  std::string name;
  std::string uid;
  std::string api_version;
  std::string resource_version;
  std::string field_path;
};
struct Event : ObjectOf<Event, Kind::kEvent> {
  ObjectReference involved_object;
  std::string reason;
  std::string message;
  std::string type;  // Normal, Warning
  std::string source_component;
  std::string reporting_component;
  std::string first_timestamp;
  std::string last_timestamp;
  int32_t count = 1;
};

// ---------------------------------------------------------------- discovery/v1

struct EndpointConditions {
  std::optional<bool> ready;
  std::optional<bool> serving;
  std::optional<bool> terminating;
  bool operator==(const EndpointConditions&) const = default;
};
struct SliceEndpoint {
  std::vector<std::string> addresses;
  EndpointConditions conditions;
  std::string hostname;
  std::string node_name;
  std::string zone;
  std::string target_kind, target_namespace, target_name, target_uid;  // targetRef
  bool operator==(const SliceEndpoint&) const = default;
};
struct SlicePort {
  std::optional<std::string> name;
  std::optional<int32_t> port;
  std::string protocol = "TCP";
  std::optional<std::string> app_protocol;
  bool operator==(const SlicePort&) const = default;
};
// The label naming an EndpointSlice's Service (discovery.k8s.io).
inline constexpr char kLabelServiceName[] = "kubernetes.io/service-name";

struct EndpointSlice : ObjectOf<EndpointSlice, Kind::kEndpointSlice> {
  std::string address_type = "IPv4";
  std::vector<SliceEndpoint> endpoints;
  std::vector<SlicePort> ports;
  // The body (addressType, endpoints, ports) is the same: what EncodeSpecFingerprint compares.
  bool SameSpec(const EndpointSlice& o) const {
    return address_type == o.address_type && endpoints == o.endpoints && ports == o.ports;
  }
};

// ---------------------------------------------------------------- apps/v1

struct DeploymentStrategy {
  std::string type = "RollingUpdate";
  IntOrString max_surge = IntOrString::Str("25%");
  IntOrString max_unavailable = IntOrString::Str("25%");
};
struct Deployment : ObjectOf<Deployment, Kind::kDeployment> {
  int32_t replicas = 1;
  LabelSelector selector;
  PodTemplateSpec template_;
  DeploymentStrategy strategy;
  int32_t min_ready_seconds = 0;
  int32_t revision_history_limit = 10;
  int32_t progress_deadline_seconds = 600;
  // status
  int64_t observed_generation = 0;
  int32_t status_replicas = 0, ready_replicas = 0, available_replicas = 0, updated_replicas = 0;
};
struct ReplicaSet : ObjectOf<ReplicaSet, Kind::kReplicaSet> {
  int32_t replicas = 1;
  LabelSelector selector;
  PodTemplateSpec template_;
  // status
  int32_t status_replicas = 0, ready_replicas = 0, available_replicas = 0;
};

// ---------------------------------------------------------------- networking.k8s.io/v1

struct ServiceBackendPort {
  std::string name;
  int32_t number = 0;
  bool has_name() const { return !name.empty(); }
  // IntOrString as the Ingress refers to it: name if set, else number.
  IntOrString AsIntOrString() const { return has_name() ? IntOrString::Str(name) : IntOrString::Int(number); }
};
struct IngressServiceBackend {
  std::string name;
  ServiceBackendPort port;
};
struct TypedLocalObjectReference {
  std::string api_group;
  std::string kind;
  std::string name;
};
struct IngressBackend {
  std::optional<IngressServiceBackend> service;
  std::optional<TypedLocalObjectReference> resource;
};
struct HttpIngressPath {
  std::string path;
  std::optional<std::string> path_type;  // Exact, Prefix, ImplementationSpecific; nil allowed in the model
  IngressBackend backend;
};
struct IngressRule {
  std::string host;
  bool has_http = false;  // `http` present (possibly with no paths)
  std::vector<HttpIngressPath> paths;
};
struct IngressTls {
  std::vector<std::string> hosts;
  std::string secret_name;
};
struct IngressPortStatus {
  int32_t port = 0;
  std::string protocol = "TCP";
  bool operator==(const IngressPortStatus&) const = default;
};
struct IngressLoadBalancerIngress {
  std::string ip;
  std::string hostname;
  std::vector<IngressPortStatus> ports;
  bool operator==(const IngressLoadBalancerIngress&) const = default;
};
struct Ingress : ObjectOf<Ingress, Kind::kIngress> {
  std::optional<std::string> ingress_class_name;
  std::optional<IngressBackend> default_backend;
  std::vector<IngressTls> tls;
  bool has_rules = false;  // `rules` present (possibly empty)
  std::vector<IngressRule> rules;
  // status.loadBalancer.ingress
  std::vector<IngressLoadBalancerIngress> status_ingress;
};

struct IngressClassParametersReference {
  std::optional<std::string> api_group;
  std::string kind;
  std::string name;
  std::optional<std::string> scope;
  std::optional<std::string> namespace_;
};
struct IngressClass : ObjectOf<IngressClass, Kind::kIngressClass> {
  std::string controller;
  std::optional<IngressClassParametersReference> parameters;
};

// ---------------------------------------------------------------- elbv2.k8s.aws/v1beta1

struct KeyValue {
  std::string key;
  std::string value;
  bool operator==(const KeyValue&) const = default;
};
struct IngressClassParamsListener {
  std::string protocol;
  int32_t port = 0;
  std::vector<KeyValue> listener_attributes;
};
struct IngressClassParams : ObjectOf<IngressClassParams, Kind::kIngressClassParams> {
  std::optional<std::string> load_balancer_name;
  std::vector<std::string> certificate_arn;
  std::optional<LabelSelector> namespace_selector;
  std::optional<std::string> group_name;  // spec.group.name
  std::optional<std::string> scheme;
  std::vector<std::string> inbound_cidrs;
  std::optional<std::string> ssl_policy;
  std::optional<std::string> ssl_redirect_port;
  bool has_subnets = false;
  std::vector<std::string> subnet_ids;                            // spec.subnets.ids
  std::map<std::string, std::vector<std::string>> subnet_tags;    // spec.subnets.tags
  std::optional<std::string> ip_address_type;
  std::vector<KeyValue> tags;
  std::optional<std::string> target_type;
  std::vector<KeyValue> load_balancer_attributes;
  std::vector<IngressClassParamsListener> listeners;
  std::optional<int32_t> minimum_load_balancer_capacity_units;
  std::optional<std::string> ipv4_ipam_pool_id;
  std::vector<std::string> prefix_lists_ids;         // prefixListsIDs
  std::vector<std::string> prefix_lists_ids_legacy;  // PrefixListsIDs
  std::optional<std::string> wafv2_acl_arn;
  std::optional<std::string> wafv2_acl_name;
};

struct TgbSecurityGroup {
  std::string group_id;
};
struct TgbNetworkingPeer {
  std::optional<std::string> ip_block_cidr;
  std::optional<TgbSecurityGroup> security_group;
};
struct TgbNetworkingPort {
  std::string protocol = "TCP";
  std::optional<IntOrString> port;
};
struct TgbNetworkingIngressRule {
  std::vector<TgbNetworkingPeer> from;
  std::vector<TgbNetworkingPort> ports;
};
struct TargetGroupBinding : ObjectOf<TargetGroupBinding, Kind::kTargetGroupBinding> {
  std::string target_group_arn;
  std::string target_group_name;
  std::string target_type;  // instance / ip
  std::string service_name;
  IntOrString service_port;
  std::vector<TgbNetworkingIngressRule> networking_ingress;
  std::optional<LabelSelector> node_selector;
  std::string ip_address_type;
  std::string vpc_id;
  std::optional<bool> multi_cluster_target_group;
  std::string target_group_protocol;
  // status
  int64_t observed_generation = 0;
};

// Downcast helper: returns nullptr when the object is of another kind.
template <typename T>
std::shared_ptr<const T> As(const ObjectPtr& obj) {
  if (!obj || obj->kind() != T::kKind) return nullptr;
  return std::static_pointer_cast<const T>(obj);
}

}  // namespace sim::model::k8s
