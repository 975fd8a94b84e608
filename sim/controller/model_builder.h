#pragma once
// Mirrors upstream pkg/ingress/model_builder.go (ModelBuilder, defaultModelBuildTask) and the
// task methods of pkg/ingress/model_build_*.go (one .cc per upstream file).
//
// ModelBuilder::Build(group) turns an Ingress group into the desired-state stack. The
// ModelBuildTask is public so that the conformance runner can call single build steps exactly as
// the upstream unit tests do (they construct defaultModelBuildTask literals with only some fields
// set; every other field keeps its Go zero value here too).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/stack/stack.h"
#include "sim/base/status.h"
#include "sim/controller/annotation_parser.h"
#include "sim/controller/controller_config.h"
#include "sim/controller/enhanced_backend_builder.h"
#include "sim/controller/group.h"
#include "sim/controller/model_build_deps.h"
#include "sim/controller/rule_optimizer.h"
#include "sim/controller/tracking.h"
#include "sim/k8s/client_api.h"

namespace sim::controller {

namespace ms = model::stack;

// Everything the builder borrows. Pointers may be null only for collaborators a build never
// reaches (e.g. cert_discovery when no Ingress has an HTTPS port without explicit certs); a null
// one that is reached yields an error, never a crash.
struct ModelBuilderDeps {
  const k8s::KubeApi* kube = nullptr;  // Services, Secrets
  SubnetsResolver* subnets_resolver = nullptr;
  ListLoadBalancersFn list_load_balancers;  // TaggingManager.ListLoadBalancers(stack tags)
  BackendSGProvider* backend_sg_provider = nullptr;
  SecurityGroupResolver* sg_resolver = nullptr;
  CertDiscovery* cert_discovery = nullptr;
  TargetGroupARNMapper* tg_arn_mapper = nullptr;
  TrustStoreArnsFn trust_store_arns;  // mutual-authentication trust store names
  WebACLArnByNameFn web_acl_arn_by_name;  // wafv2-acl-name
};

// upstream SSLRedirectConfig.
struct SSLRedirectConfig {
  int32_t ssl_port = 0;
  std::string status_code;  // HTTP_301
  bool operator==(const SSLRedirectConfig&) const = default;
};

// upstream listenPortConfig.
struct ListenPortConfig {
  std::string protocol;  // HTTP / HTTPS
  std::vector<std::string> inbound_cidr_v4s;
  std::vector<std::string> inbound_cidr_v6s;
  std::vector<std::string> prefix_lists;
  std::optional<std::string> ssl_policy;
  std::vector<ms::StringToken> tls_certs;
  std::optional<ms::MutualAuthenticationAttributes> mutual_authentication;
};

// What Build returns besides the stack (upstream Build's extra return values).
struct ModelBuildResult {
  std::unique_ptr<ms::Stack> stack;
  // The LoadBalancer resource id in `stack` ("LoadBalancer"), or nullopt for an empty group.
  std::optional<std::string> load_balancer_id;
  // OIDC secrets referenced ("<ns>/<name>"), for SecretsManager.MonitorSecrets.
  std::vector<std::string> secret_keys;
  // Whether the shared backend SG was requested (BackendSGProvider.Get).
  bool backend_sg_allocated = false;
  // Merged listener ports, ascending (for the Ingress status).
  std::vector<int32_t> listener_ports;
};

class ModelBuildTask {
 public:
  explicit ModelBuildTask(ms::StackID stack_id) : stack(std::move(stack_id)) {}

  // upstream task.run().
  Status Run();

  // ---- model_builder.go
  Result<ListenPortConfig> MergeListenPortConfigs(const std::vector<std::pair<std::string, ListenPortConfig>>& cfgs);
  Result<std::optional<SSLRedirectConfig>> BuildSSLRedirectConfig(const std::map<int32_t, ListenPortConfig>& by_port);
  Result<bool> GetDeletionProtectionViaAnnotation(const model::k8s::Ingress& ing) const;
  Result<bool> BuildManageSecurityGroupRulesFlag() const;

  // ---- model_build_load_balancer.go (+ attributes, capacity reservation, ipam, addons)
  Result<const ms::LoadBalancer*> BuildLoadBalancer(const std::map<int32_t, ListenPortConfig>& by_port);
  Result<ms::LoadBalancerSpec> BuildLoadBalancerSpec(const std::map<int32_t, ListenPortConfig>& by_port);
  Result<std::string> BuildLoadBalancerName(const std::string& scheme) const;
  Result<std::string> BuildLoadBalancerScheme() const;
  Result<std::string> BuildLoadBalancerIPAddressType() const;
  Result<std::vector<ms::SubnetMapping>> BuildLoadBalancerSubnetMappings(const std::string& scheme,
                                                                         const std::string& ip_address_type);
  Result<std::vector<ms::StringToken>> BuildLoadBalancerSecurityGroups(const std::map<int32_t, ListenPortConfig>& by_port,
                                                                       const std::string& ip_address_type);
  Result<std::vector<std::string>> BuildFrontendSGNameOrIDsFromAnnotation() const;
  Result<std::optional<std::string>> BuildLoadBalancerCOIPv4Pool() const;
  Result<std::vector<ms::LoadBalancerAttribute>> BuildLoadBalancerAttributes() const;
  Result<std::map<std::string, std::string>> BuildLoadBalancerTags() const;
  Result<std::optional<ms::MinimumLoadBalancerCapacity>> BuildLoadBalancerMinimumCapacity() const;
  Result<std::optional<std::string>> BuildIPv4IPAMPoolID() const;
  Status BuildLoadBalancerAddOns(const ms::StringToken& lb_arn);

  // ---- model_build_managed_sg.go
  Result<const ms::SecurityGroup*> BuildManagedSecurityGroup(const std::map<int32_t, ListenPortConfig>& by_port,
                                                             const std::string& ip_address_type);
  std::string BuildManagedSecurityGroupName() const;
  Result<std::map<std::string, std::string>> BuildManagedSecurityGroupTags() const;
  std::vector<ms::IPPermission> BuildManagedSecurityGroupIngressPermissions(
      const std::map<int32_t, ListenPortConfig>& by_port, const std::string& ip_address_type) const;

  // ---- model_build_listener.go
  Result<const ms::Listener*> BuildListener(const ms::StringToken& lb_arn, int32_t port, const ListenPortConfig& cfg,
                                            const std::vector<ClassifiedIngress>& ing_list);
  Result<std::vector<ms::Action>> BuildListenerDefaultActions(const std::string& protocol,
                                                              const std::vector<ClassifiedIngress>& ing_list);
  Result<std::map<std::string, std::string>> BuildListenerTags(const std::vector<ClassifiedIngress>& ing_list) const;
  Result<std::vector<ms::ListenerAttribute>> BuildListenerAttributes(const std::vector<ClassifiedIngress>& ing_list,
                                                                     int32_t port, const std::string& protocol) const;
  // `cert`: an auto-created certificate's token (create-acm-cert), if any.
  Result<std::map<int32_t, ListenPortConfig>> ComputeIngressListenPortConfigByPort(
      const ClassifiedIngress& ing, const std::optional<ms::StringToken>& cert);
  Status ValidateMutualAuthenticationConfig(int32_t port, const std::string& mode, const std::string& trust_store,
                                            const std::optional<bool>& ignore_client_certificate_expiry,
                                            const std::optional<std::string>& advertise_trust_store_ca_names) const;

  // ---- model_build_listener_rules.go
  Status BuildListenerRules(const ms::StringToken& ls_arn, int32_t port, const std::string& protocol,
                            const std::vector<ClassifiedIngress>& ing_list);
  Result<std::vector<model::k8s::HttpIngressPath>> SortIngressPaths(
      const std::vector<model::k8s::HttpIngressPath>& paths) const;
  struct ClassifiedPaths {
    std::vector<model::k8s::HttpIngressPath> exact, prefix, implementation_specific;
  };
  Result<ClassifiedPaths> ClassifyIngressPathsByType(const std::vector<model::k8s::HttpIngressPath>& paths) const;
  Result<std::vector<ms::RuleCondition>> BuildRuleConditions(const ClassifiedIngress& ing,
                                                             const model::k8s::IngressRule& rule,
                                                             const model::k8s::HttpIngressPath& path,
                                                             const EnhancedBackend& backend) const;
  // (values, regexValues); a null vector is Go nil, an empty one []string{}.
  struct PathPatterns {
    std::optional<std::vector<std::string>> values;
    std::optional<std::vector<std::string>> regex_values;
  };
  Result<PathPatterns> BuildPathPatterns(const ClassifiedIngress& ing, const std::string& path,
                                         const std::optional<std::string>& path_type) const;
  Result<PathPatterns> BuildPathPatternsForImplementationSpecificPathType(const ClassifiedIngress& ing,
                                                                         const std::string& path) const;
  Result<PathPatterns> BuildPathPatternsForExactPathType(const std::string& path) const;
  Result<PathPatterns> BuildPathPatternsForPrefixPathType(const std::string& path) const;
  Result<std::map<std::string, std::string>> BuildListenerRuleTags(const ClassifiedIngress& ing) const;
  Result<std::vector<ms::Transform>> BuildTransforms(const EnhancedBackend& backend) const;

  // ---- model_build_actions.go
  Result<std::vector<ms::Action>> BuildActions(const std::string& protocol, const ClassifiedIngress& ing,
                                               const EnhancedBackend& backend);
  Result<ms::Action> BuildBackendAction(const ClassifiedIngress& ing, const ing::Action& action);
  Result<ms::Action> BuildForwardAction(const ClassifiedIngress& ing, const ing::Action& action);
  Result<ms::Action> BuildAuthenticateOIDCAction(const std::string& ns, const AuthConfig& auth);
  Result<ms::Action> BuildAuthenticateCognitoAction(const AuthConfig& auth) const;
  std::optional<ms::Action> BuildJwtValidationAction(const std::optional<ing::JwtValidationConfig>& cfg) const;
  ms::Action BuildSSLRedirectAction(const SSLRedirectConfig& cfg) const;
  ms::Action Build404Action() const;

  // ---- model_build_target_group.go
  Result<ms::StringToken> BuildTargetGroup(const ClassifiedIngress& ing, const ServicePtr& svc,
                                           const model::k8s::IntOrString& port);
  Result<ms::TargetGroupSpec> BuildTargetGroupSpec(const ClassifiedIngress& ing, const model::k8s::Service& svc,
                                                   const model::k8s::IntOrString& port,
                                                   const model::k8s::ServicePort& svc_port) const;
  std::string BuildTargetGroupName(const std::string& ing_ns, const std::string& ing_name,
                                   const model::k8s::Service& svc, const model::k8s::IntOrString& port,
                                   int32_t tg_port, const std::string& target_type, const std::string& tg_protocol,
                                   const std::string& tg_protocol_version,
                                   const std::optional<int32_t>& target_control_port) const;
  Result<std::string> BuildTargetGroupTargetType(const Annotations& svc_and_ing, const ClassConfiguration& cls) const;
  int32_t BuildTargetGroupPort(const std::string& target_type, const model::k8s::ServicePort& svc_port) const;
  Result<std::optional<int32_t>> BuildTargetGroupTargetControlPort(const Annotations& svc_and_ing,
                                                                   const model::k8s::Service& svc,
                                                                   const model::k8s::IntOrString& port) const;
  std::string BuildTargetGroupHealthCheckPath(const Annotations& svc_and_ing, const std::string& version) const;
  ms::HealthCheckMatcher BuildTargetGroupHealthCheckMatcher(const Annotations& svc_and_ing,
                                                            const std::string& version) const;
  Result<std::map<std::string, std::string>> BuildTargetGroupTags(const ClassifiedIngress& ing,
                                                                  const model::k8s::Service& svc) const;
  Result<std::optional<model::k8s::LabelSelector>> BuildTargetGroupBindingNodeSelector(
      const ClassifiedIngress& ing, const model::k8s::Service& svc, const std::string& target_type) const;
  Result<bool> BuildTargetGroupBindingMultiClusterFlag(const ClassifiedIngress& ing,
                                                       const model::k8s::Service& svc) const;
  std::optional<ms::TargetGroupBindingNetworking> BuildTargetGroupBindingNetworking(
      const model::k8s::IntOrString& target_port, const model::k8s::IntOrString& health_check_port,
      const std::optional<int32_t>& target_control_port) const;

  // ---- model_build_tags.go
  Result<std::map<std::string, std::string>> BuildIngressGroupResourceTags(const std::vector<ClassifiedIngress>& ings) const;
  Result<std::map<std::string, std::string>> BuildIngressResourceTags(const ClassifiedIngress& ing) const;
  Result<std::map<std::string, std::string>> BuildIngressBackendResourceTags(const ClassifiedIngress& ing,
                                                                             const model::k8s::Service& svc) const;
  Result<std::map<std::string, std::string>> BuildIngressClassResourceTags(const ClassConfiguration& cls) const;
  Status ValidateTagCollisionWithExternalManagedTags(const std::map<std::string, std::string>& tags) const;

  // ---- model_build_certificates.go
  Result<std::optional<ms::StringToken>> BuildACMCertificates(const ClassifiedIngress& ing);

  // ---- fields (upstream defaultModelBuildTask; zero values by default)
  const k8s::KubeApi* kube = nullptr;
  AnnotationParser annotation_parser{""};
  ModelBuilderDeps deps;
  const EnhancedBackendBuilder* enhanced_backend_builder = nullptr;
  RuleOptimizer rule_optimizer;
  std::optional<TrackingProvider> tracking_provider;
  FeatureGates feature_gates;

  std::string vpc_id;
  std::string cluster_name;
  Group ing_group;
  std::optional<SSLRedirectConfig> ssl_redirect_config;
  ms::Stack stack;
  std::optional<ms::StringToken> backend_sg_id_token;
  bool backend_sg_allocated = false;
  bool enable_acm_certificates = false;
  bool enable_backend_sg = false;
  bool enable_manage_backend_sg_rules = false;
  bool disable_restricted_sg_rules = false;
  bool enable_ip_target_type = false;

  std::map<std::string, std::string> default_tags;
  std::vector<std::string> external_managed_tags;
  std::string default_ip_address_type;
  std::string default_scheme;
  std::string default_ssl_policy;
  std::string default_target_type;
  std::string default_backend_protocol;
  std::string default_backend_protocol_version;
  std::string default_health_check_path_http;
  std::string default_health_check_path_grpc;
  int32_t default_health_check_interval_seconds = 0;
  int32_t default_health_check_timeout_seconds = 0;
  int32_t default_health_check_healthy_threshold_count = 0;
  int32_t default_health_check_unhealthy_threshold_count = 0;
  std::string default_health_check_matcher_http_code;
  std::string default_health_check_matcher_grpc_code;
  std::string default_ca_arn;

  const ms::LoadBalancer* load_balancer = nullptr;  // points into `stack`
  std::map<std::string, ms::StringToken> tg_by_res_id;
  BackendServices backend_services;
  std::vector<std::string> secret_keys;
  std::map<int32_t, ListenPortConfig> listen_port_config_by_port;

 private:
  ms::StackID StackIdOf() const { return stack.stack_id(); }
};

class ModelBuilder {
 public:
  ModelBuilder(ControllerConfig config, ModelBuilderDeps deps);
  // Members reference each other: neither copyable nor movable (hold it by unique_ptr if needed).
  ModelBuilder(const ModelBuilder&) = delete;
  ModelBuilder& operator=(const ModelBuilder&) = delete;

  // Builds the stack of `group`. Errors are upstream's texts (wrapping included).
  Result<ModelBuildResult> Build(const Group& group) const;

  const ControllerConfig& config() const { return config_; }

 private:
  ControllerConfig config_;
  ModelBuilderDeps deps_;
  AnnotationParser annotation_parser_;
  AuthConfigBuilder auth_config_builder_;
  EnhancedBackendBuilder enhanced_backend_builder_;
};

}  // namespace sim::controller
