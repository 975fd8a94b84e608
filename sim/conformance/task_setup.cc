// Task / builder construction from a case's SimulatorConfig (model-builder, target-groups,
// load-balancer, listener-rules corpora).
#include "sim/conformance/task_setup.h"

#include <nlohmann/json.hpp>

namespace sim::conformance {

namespace mk = model::k8s;
namespace sc = sim::controller;
using Json = nlohmann::json;

namespace {

const Json& Null() {
  static const Json kNull;
  return kNull;
}

const Json& At(const Json& j, const char* key) {
  if (!j.is_object()) return Null();
  auto it = j.find(key);
  return it == j.end() ? Null() : *it;
}

std::string Str(const Json& j, const char* key, const std::string& def = "") {
  const Json& v = At(j, key);
  return v.is_string() ? v.get<std::string>() : def;
}

bool Bool(const Json& j, const char* key, bool def = false) {
  const Json& v = At(j, key);
  return v.is_boolean() ? v.get<bool>() : def;
}

std::map<std::string, std::string> StrMap(const Json& j) {
  std::map<std::string, std::string> m;
  if (!j.is_object()) return m;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.value().is_string()) m[it.key()] = it.value().get<std::string>();
  }
  return m;
}

std::vector<std::string> StrList(const Json& j) {
  std::vector<std::string> v;
  if (!j.is_array()) return v;
  for (const auto& e : j) {
    if (e.is_string()) v.push_back(e.get<std::string>());
  }
  return v;
}

Error MockError(const Json& e) {
  return MakeError(ErrorCode::kInternal, e.is_string() ? e.get<std::string>() : e.dump());
}

std::shared_ptr<const mk::IngressClassParams> ParamsByName(const CaseInput& in, const Json& name) {
  if (!name.is_string()) return nullptr;
  return mk::As<mk::IngressClassParams>(ByName(in, mk::Kind::kIngressClassParams, name.get<std::string>()));
}

std::shared_ptr<const mk::IngressClass> ClassByName(const CaseInput& in, const Json& name) {
  if (!name.is_string()) return nullptr;
  return mk::As<mk::IngressClass>(ByName(in, mk::Kind::kIngressClass, name.get<std::string>()));
}

void ApplyFeatureGates(const Json& gates, sc::FeatureGates* out) {
  if (!gates.is_object()) return;
  for (auto it = gates.begin(); it != gates.end(); ++it) {
    if (it.value().is_boolean()) out->Set(it.key(), it.value().get<bool>());
  }
}

}  // namespace

sc::ModelBuilderDeps TaskEnv::Deps() {
  sc::ModelBuilderDeps d;
  d.kube = &client;
  d.subnets_resolver = &subnets;
  d.list_load_balancers = [this](const std::map<std::string, std::string>&) { return list_lbs.Next(); };
  d.backend_sg_provider = &backend_sg;
  if (!sg_resolver) {
    sg_resolver = std::make_unique<sc::DefaultSecurityGroupResolver>(
        [this](const aws::DescribeSecurityGroupsRequest&) { return describe_sgs.Next(); }, "vpc-dummy");
  }
  d.sg_resolver = sg_resolver.get();
  d.cert_discovery = &certs;
  return d;
}

std::string TaskEnv::MockProblems() const {
  std::vector<std::string> problems;
  for (const std::string& p : {subnets.Problem(), list_lbs.Problem(), describe_sgs.Problem()}) {
    if (!p.empty()) problems.push_back(p);
  }
  if (backend_sg.unexpected) problems.push_back("unexpected call to BackendSGProvider.Get");
  if (certs.unexpected) problems.push_back("unexpected call to CertDiscovery.Discover");
  std::string out;
  for (size_t i = 0; i < problems.size(); ++i) {
    if (i) out += "; ";
    out += problems[i];
  }
  return out;
}

void SetupModelBuilderEnv(const CaseInput& in, TaskEnv* env) {
  const Json cfg = Json::parse(in.config_json);
  for (const auto& obj : in.objects) {
    if (obj->kind() == mk::Kind::kService || obj->kind() == mk::Kind::kSecret) env->client.Put(*obj);
  }
  const Json& aws = At(cfg, "aws");
  if (!aws.is_object()) return;
  const Json& sg = At(aws, "backendSecurityGroupID");
  if (sg.is_string()) env->backend_sg.sg_id = sg.get<std::string>();
  for (const auto& entry : At(aws, "subnetDiscovery")) {
    if (!At(entry, "error").is_null()) {
      env->subnets.discovery.Push(MockError(At(entry, "error")));
      continue;
    }
    std::vector<model::aws::Subnet> subnets;
    for (const auto& s : At(entry, "subnets")) {
      model::aws::Subnet subnet;
      subnet.subnet_id = Str(s, "id");
      subnet.cidr_block = Str(s, "cidr");
      subnet.availability_zone = Str(s, "availabilityZone");
      for (const auto& [k, v] : StrMap(At(s, "tags"))) subnet.tags.push_back({k, v});
      subnets.push_back(subnet);
    }
    env->subnets.discovery.Push(subnets);
  }
  for (const auto& entry : At(aws, "existingLoadBalancers")) {
    if (!At(entry, "error").is_null()) {
      env->list_lbs.Push(MockError(At(entry, "error")));
      continue;
    }
    std::vector<sc::ExistingLoadBalancer> lbs;
    for (const auto& l : At(entry, "loadBalancers")) {
      sc::ExistingLoadBalancer lb;
      lb.load_balancer.load_balancer_arn = Str(l, "arn");
      lb.load_balancer.scheme = Str(l, "scheme");
      for (const auto& id : StrList(At(l, "subnetIDs"))) {
        model::aws::AvailabilityZone az;
        az.subnet_id = id;
        lb.load_balancer.availability_zones.push_back(az);
      }
      lb.tags = StrMap(At(l, "tags"));
      lbs.push_back(lb);
    }
    env->list_lbs.Push(lbs);
  }
  for (const auto& entry : At(aws, "describeSecurityGroups")) {
    if (!At(entry, "error").is_null()) {
      env->describe_sgs.Push(MockError(At(entry, "error")));
      continue;
    }
    std::vector<model::aws::SecurityGroup> sgs;
    for (const auto& s : At(entry, "securityGroups")) {
      model::aws::SecurityGroup g;
      g.group_id = Str(s, "groupID");
      for (const auto& [k, v] : StrMap(At(s, "tags"))) g.tags.push_back({k, v});
      sgs.push_back(g);
    }
    env->describe_sgs.Push(sgs);
  }
}

sc::Group GroupFromConfig(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  const Json& g = At(cfg, "ingressGroup");
  sc::Group group;
  group.id.namespace_ = Str(g, "namespace");
  group.id.name = Str(g, "name");
  for (const auto& m : At(g, "members")) {
    sc::ClassifiedIngress ci;
    const Json& idx = At(m, "documentIndex");
    ci.ing = mk::As<mk::Ingress>(NthOfKind(in, mk::Kind::kIngress, idx.is_number() ? idx.get<size_t>() : 0));
    ci.ing_class_config.ing_class = ClassByName(in, At(m, "ingressClass"));
    ci.ing_class_config.ing_class_params = ParamsByName(in, At(m, "ingressClassParams"));
    if (ci.ing) group.members.push_back(ci);
  }
  for (const auto& m : At(g, "inactiveMembers")) {
    const Json& idx = At(m, "documentIndex");
    auto ing = mk::As<mk::Ingress>(NthOfKind(in, mk::Kind::kIngress, idx.is_number() ? idx.get<size_t>() : 0));
    if (ing) group.inactive_members.push_back(ing);
  }
  return group;
}

sc::ControllerConfig ControllerConfigFromCase(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  const Json& cluster = At(cfg, "cluster");
  const Json& b = At(cfg, "builder");
  sc::ControllerConfig c;
  c.cluster_name = Str(cluster, "clusterName");
  c.vpc_id = Str(cluster, "vpcID");
  c.annotation_prefix = Str(b, "annotationPrefix", c.annotation_prefix);
  c.tracking_tag_prefix = Str(b, "trackingTagPrefix", c.tracking_tag_prefix);
  c.default_target_type = Str(b, "defaultTargetType", c.default_target_type);
  c.default_load_balancer_scheme = Str(b, "defaultLoadBalancerScheme", c.default_load_balancer_scheme);
  c.default_ssl_policy = Str(b, "defaultSSLPolicy", c.default_ssl_policy);
  c.enable_backend_security_group = Bool(b, "enableBackendSG", false);
  c.enable_manage_backend_security_group_rules = Bool(b, "enableManageBackendSGRules", false);
  c.tolerate_non_existent_backend_service = Bool(b, "tolerateNonExistentBackendService", true);
  c.tolerate_non_existent_backend_action = Bool(b, "tolerateNonExistentBackendAction", true);
  c.default_tags = StrMap(At(b, "defaultTags"));
  c.external_managed_tags = StrList(At(b, "externalManagedTags"));
  ApplyFeatureGates(At(b, "featureGates"), &c.feature_gates);
  // The builder's enableIPTargetType argument (not the gate) decides in upstream's NewDefaultModelBuilder.
  c.feature_gates.enable_ip_target_type = Bool(b, "enableIPTargetType", true);
  return c;
}

std::unique_ptr<sc::ModelBuildTask> MakeTask(const CaseInput& in, TaskEnv* env) {
  const Json cfg = Json::parse(in.config_json);
  const Json& b = At(cfg, "builder");
  const Json& cluster = At(cfg, "cluster");
  sc::Group group = GroupFromConfig(in);
  auto task = std::make_unique<sc::ModelBuildTask>(model::stack::StackID{group.id.namespace_, group.id.name});
  task->ing_group = group;
  task->annotation_parser = sc::AnnotationParser(Str(b, "annotationPrefix"));
  task->kube = &env->client;
  task->deps = env->Deps();
  task->cluster_name = Str(b, "clusterName", Str(cluster, "clusterName"));
  task->vpc_id = Str(cluster, "vpcID");
  task->default_tags = StrMap(At(b, "defaultTags"));
  task->external_managed_tags = StrList(At(b, "externalManagedTags"));
  ApplyFeatureGates(At(b, "featureGates"), &task->feature_gates);
  task->enable_manage_backend_sg_rules = Bool(b, "enableManageBackendSGRules");
  task->enable_ip_target_type = Bool(b, "enableIPTargetType");
  task->enable_backend_sg = Bool(b, "enableBackendSG");
  task->disable_restricted_sg_rules = Bool(b, "disableRestrictedSGRules");
  task->default_target_type = Str(b, "defaultTargetType");
  task->default_scheme = Str(b, "defaultLoadBalancerScheme");
  task->default_ssl_policy = Str(b, "defaultSSLPolicy");
  task->default_health_check_path_http = Str(b, "defaultHealthCheckPathHTTP");
  task->default_health_check_path_grpc = Str(b, "defaultHealthCheckPathGRPC");
  task->default_health_check_matcher_http_code = Str(b, "defaultHealthCheckMatcherHTTPCode");
  task->default_health_check_matcher_grpc_code = Str(b, "defaultHealthCheckMatcherGRPCCode");
  const Json& token = At(b, "backendSGIDToken");
  if (token.is_string()) task->backend_sg_id_token = model::stack::StringToken::Literal(token.get<std::string>());
  const Json& tracking = At(b, "trackingProvider");
  if (tracking.is_object()) task->tracking_provider.emplace(Str(tracking, "tagPrefix"), Str(tracking, "clusterName"));
  // Enhanced backend builder on the same parser (used by rule/default-action building).
  env->parser = std::make_unique<sc::AnnotationParser>(task->annotation_parser);
  env->auth = std::make_unique<sc::AuthConfigBuilder>(*env->parser);
  env->backend_builder = std::make_unique<sc::EnhancedBackendBuilder>(
      &env->client, *env->parser, env->auth.get(), Bool(b, "tolerateNonExistentBackendService", true),
      Bool(b, "tolerateNonExistentBackendAction", true));
  task->enhanced_backend_builder = env->backend_builder.get();
  return task;
}

}  // namespace sim::conformance
