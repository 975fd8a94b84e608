#include "sim/scenario/plan.h"

#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "sim/aws/fake_aws.h"
#include "sim/controller/annotation_parser.h"
#include "sim/controller/backend_sg_provider.h"
#include "sim/controller/class_loader.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/group_controller.h"
#include "sim/controller/group_loader.h"
#include "sim/controller/stack_marshaller.h"
#include "sim/controller/subnets_resolver_aws.h"
#include "sim/controller/tagging_manager.h"
#include "sim/controller/tracking.h"
#include "sim/k8s/fake_api_server.h"
#include "sim/scenario/hosts.h"
#include "sim/scenario/world.h"

namespace sim::scenario {

namespace ma = model::aws;
namespace mk = model::k8s;

namespace {

constexpr char kTagValueBackend[] = "backend-sg";

// upstream pkg/networking/backend_sg_provider.go Get, read-only: `--backend-security-group`, else
// the existing auto-generated SG (same filters), else a placeholder naming the SG a reconcile
// would create.
class ReadOnlyBackendSGProvider final : public controller::BackendSGProvider {
 public:
  ReadOnlyBackendSGProvider(controller::DeployDeps deps, const controller::ControllerConfig& config)
      : deps_(deps), config_(config) {}

  Result<std::string> Get(const std::string&, const std::vector<std::string>&) override {
    if (!config_.backend_security_group.empty()) return config_.backend_security_group;
    if (!found_.empty()) return found_;
    aws::DescribeSecurityGroupsRequest req;
    req.filters = {ma::Filter{"vpc-id", {config_.vpc_id}},
                   ma::Filter{std::string("tag:") + controller::kTagKeyK8sCluster, {config_.cluster_name}},
                   ma::Filter{std::string("tag:") + controller::kTagKeyResource, {kTagValueBackend}}};
    auto r = deps_.ec2.DescribeSecurityGroups(deps_.call_context, req);
    if (!r.ok() && r.error().aws_code != "InvalidGroup.NotFound") {
      return controller::Ec2Error("DescribeSecurityGroups", r.error());
    }
    if (r.ok() && !r.value().empty()) {
      found_ = r.value()[0].group_id;
    } else {
      controller::AwsBackendSGProvider namer(deps_, config_.cluster_name, "", config_.vpc_id, config_.default_tags);
      found_ = "<backend-sg:" + namer.BackendSGName() + ">";
    }
    return found_;
  }
  Status Release(const std::string&, const std::vector<std::string>&) override { return OkStatus(); }

 private:
  controller::DeployDeps deps_;
  const controller::ControllerConfig& config_;
  std::string found_;  // like upstream's provider, the SG is looked up once per instance
};

// The `apply` steps the scenario starts with (before its first step that is neither apply nor settle).
std::vector<const ManifestSource*> LeadingApplies(const Scenario& sc) {
  std::vector<const ManifestSource*> out;
  for (const auto& step : sc.steps) {
    if (step.kind == StepKind::kSettle) continue;
    if (step.kind != StepKind::kApply || step.expect_error) break;
    out.push_back(&step.manifest);
  }
  return out;
}

}  // namespace

bool PlanResult::all_ok() const {
  for (const auto& g : groups) {
    if (!g.ok) return false;
  }
  return true;
}

bool IsMutatingAwsCall(std::string_view call) {
  for (std::string_view p : {"Describe", "List", "Get"}) {
    if (call.substr(0, p.size()) == p) return false;
  }
  return true;
}

struct Planner::Impl {
  explicit Impl(const Scenario& sc)
      : scenario(sc),
        world(sc),
        config(ControllerConfigFor(sc)),
        annotation_parser(config.annotation_prefix),
        class_matcher(config.ingress_class) {}

  const Scenario& scenario;
  World world;
  const controller::ControllerConfig config;
  controller::AnnotationParser annotation_parser;
  controller::ClassAnnotationMatcher class_matcher;
  std::unique_ptr<controller::ClassLoader> class_loader;  // made in Setup (the API server exists then)
  std::unique_ptr<controller::GroupLoader> loader;        // exactly as the group controller loads groups
  size_t log_start = 0;
  std::unique_ptr<controller::DeployDeps> deploy_deps;
  std::unique_ptr<controller::AwsSubnetsResolver> subnets;
  std::unique_ptr<ReadOnlyBackendSGProvider> backend_sg;
  std::unique_ptr<controller::Elbv2TaggingManager> tagging;
  std::unique_ptr<controller::ModelBuilderServices> services;
  controller::BuildModelFn build;
  std::map<std::string, controller::Group> loaded;
};

Planner::Planner(const Scenario& scenario) : impl_(new Impl(scenario)) {}
Planner::~Planner() = default;

Status Planner::Setup() {
  Impl& im = *impl_;
  SIM_RETURN_IF_ERROR(im.world.Setup(/*start_controller=*/false));
  for (const ManifestSource* src : LeadingApplies(im.scenario)) {
    for (const auto& obj : src->objects) {
      auto r = im.world.api().Apply(*obj);
      if (!r.ok()) {
        return Wrap(r.error(), src->loc.ToString() + ": " + mk::KindName(obj->kind()) + " " + obj->Key());
      }
    }
  }
  im.world.Settle();

  const controller::ControllerConfig& config = im.config;
  aws::FakeAws& fake = im.world.aws();
  k8s::FakeApiServer& api = im.world.api();
  im.log_start = fake.log().size();
  im.deploy_deps.reset(new controller::DeployDeps{fake.elbv2(), fake.ec2(), api, im.world.clock(), nullptr,
                                                  aws::ControllerCall(), nullptr});
  im.subnets = std::make_unique<controller::AwsSubnetsResolver>(
      *im.deploy_deps, controller::AwsSubnetsResolverOptions{config.vpc_id, config.cluster_name,
                                                             config.feature_gates.subnets_cluster_tag_check,
                                                             config.feature_gates.alb_single_subnet,
                                                             config.feature_gates.subnet_discovery_by_reachability, 8});
  im.backend_sg = std::make_unique<ReadOnlyBackendSGProvider>(*im.deploy_deps, config);
  im.tagging = std::make_unique<controller::Elbv2TaggingManager>(*im.deploy_deps, config.vpc_id,
                                                                 controller::DeployFeatureGates{});
  aws::Elbv2Api& elbv2 = fake.elbv2();
  aws::Ec2Api& ec2 = fake.ec2();
  const aws::CallContext ctx = aws::ControllerCall();
  controller::Elbv2TaggingManager* tagging = im.tagging.get();
  im.services.reset(new controller::ModelBuilderServices{
      config,
      api,
      elbv2,
      ec2,
      *im.subnets,
      *im.backend_sg,
      [tagging](const std::map<std::string, std::string>& stack_tags)
          -> Result<std::vector<controller::ExistingLoadBalancer>> {
        SIM_ASSIGN_OR_RETURN(auto lbs, tagging->ListLoadBalancers({controller::TagsAsTagFilter(stack_tags)}));
        std::vector<controller::ExistingLoadBalancer> out;
        for (auto& lb : lbs) out.push_back(controller::ExistingLoadBalancer{lb.load_balancer, lb.tags});
        return out;
      },
      [&ec2, ctx](const aws::DescribeSecurityGroupsRequest& req) -> Result<std::vector<ma::SecurityGroup>> {
        auto r = ec2.DescribeSecurityGroups(ctx, req);
        if (!r.ok()) return controller::Ec2Error("DescribeSecurityGroups", r.error());
        return r.value();
      },
      [&elbv2, ctx](const aws::DescribeTargetGroupsRequest& req) -> Result<std::vector<ma::TargetGroup>> {
        auto r = elbv2.DescribeTargetGroups(ctx, req);
        if (!r.ok()) return controller::Elbv2Error("DescribeTargetGroups", r.error());
        return r.value();
      },
  });
  im.build = MakeModelBuilderFactory(im.scenario)(*im.services);
  im.class_loader = std::make_unique<controller::ClassLoader>(api, true);
  im.loader = std::make_unique<controller::GroupLoader>(api, im.annotation_parser, *im.class_loader, im.class_matcher,
                                                        config.ingress_class.empty());
  return OkStatus();
}

std::vector<std::string> Planner::GroupIds(std::vector<std::string>* notes) {
  std::set<std::string> ids;
  if (!impl_->loader) return {};
  for (const auto& ing : k8s::List<mk::Ingress>(impl_->world.api())) {
    const std::string key = controller::NamespacedName(*ing);
    auto id = impl_->loader->LoadGroupIDIfAny(ing);
    if (!id.ok()) {
      if (notes) notes->push_back("Ingress " + key + ": skipped: " + id.error().message);
      continue;
    }
    if (!id.value()) {
      if (notes) notes->push_back("Ingress " + key + ": skipped: not managed by this controller (ingress class)");
      continue;
    }
    ids.insert(id.value()->String());
  }
  return {ids.begin(), ids.end()};
}

Result<std::string> Planner::Build(const std::string& group_id, bool marshal) {
  Impl& im = *impl_;
  if (!im.build) return MakeError(ErrorCode::kFailedPrecondition, "planner not set up");
  auto it = im.loaded.find(group_id);
  if (it == im.loaded.end()) {
    SIM_ASSIGN_OR_RETURN(controller::Group g, im.loader->Load(controller::DecodeGroupIDKey(group_id)));
    it = im.loaded.emplace(group_id, std::move(g)).first;
  }
  SIM_ASSIGN_OR_RETURN(controller::BuiltModel built, im.build(it->second));
  return marshal ? controller::MarshalStack(*built.stack) : std::string();
}

std::vector<std::string> Planner::AwsCallsSinceSetup() const {
  std::vector<std::string> out;
  if (!impl_->build) return out;
  for (const auto& rec : impl_->world.aws().log().Slice(impl_->log_start)) {
    out.push_back(std::string(rec.service) + ":" + rec.call);
  }
  return out;
}

size_t Planner::MutatingCallsSinceSetup() const {
  size_t n = 0;
  if (!impl_->build) return n;
  for (const auto& rec : impl_->world.aws().log().Slice(impl_->log_start)) n += IsMutatingAwsCall(rec.call) ? 1 : 0;
  return n;
}

Result<PlanResult> PlanScenario(const Scenario& scenario) {
  Planner planner(scenario);
  SIM_RETURN_IF_ERROR(planner.Setup());
  PlanResult plan;
  for (const auto& id : planner.GroupIds(&plan.notes)) {
    GroupPlan gp;
    gp.group_id = id;
    auto r = planner.Build(id);
    if (r.ok()) {
      gp.stack_json = std::move(r).value();
    } else {
      gp.ok = false;
      gp.error = controller::ErrorText(r.error());
    }
    plan.groups.push_back(std::move(gp));
  }
  plan.aws_calls = planner.AwsCallsSinceSetup();
  plan.mutating_calls = planner.MutatingCallsSinceSetup();
  return plan;
}

std::string RenderPlanText(const PlanResult& plan) {
  std::string out;
  for (const auto& g : plan.groups) {
    if (g.ok) {
      out += "# group " + g.group_id + "\n" + g.stack_json + "\n";
    } else {
      out += "FAILED " + g.group_id + ": " + g.error + "\n";
    }
  }
  return out;
}

std::string RenderPlanJson(const PlanResult& plan) {
  // Stacks are inserted verbatim (their key order is upstream's, not sorted).
  std::string out = "{";
  bool first = true;
  for (const auto& g : plan.groups) {
    if (!first) out += ",";
    first = false;
    out += nlohmann::json(g.group_id).dump() + ":";
    out += g.ok ? g.stack_json : nlohmann::json{{"error", g.error}}.dump();
  }
  return out + "}\n";
}

}  // namespace sim::scenario
