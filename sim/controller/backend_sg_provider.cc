// Mirrors upstream pkg/networking/backend_sg_provider.go.
#include "sim/controller/backend_sg_provider.h"

#include <cctype>

#include "sim/base/crypto.h"
#include "sim/controller/group.h"

namespace sim::controller {

namespace ma = model::aws;
namespace mk = model::k8s;

namespace {

constexpr char kTagValueBackend[] = "backend-sg";
constexpr char kSGDescription[] = "[k8s] Shared Backend SecurityGroup for LoadBalancer";
constexpr char kServiceFinalizer[] = "service.k8s.aws/resources";

std::string ObjectKey(const std::string& type, const std::string& nsname) { return type + "/" + nsname; }

bool HasIngressFinalizer(const std::vector<std::string>& finalizers) {
  for (const auto& f : finalizers) {
    if (f == kImplicitGroupFinalizer || f.rfind(kExplicitGroupFinalizerPrefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace

std::string AwsBackendSGProvider::BackendSGName() const {
  std::string sanitized;
  for (char c : cluster_name_) {
    if (std::isalnum(static_cast<unsigned char>(c))) sanitized.push_back(c);
  }
  return "k8s-traffic-" + sanitized.substr(0, 232) + "-" + Sha256Hex(cluster_name_).substr(0, 10);
}

TagMap AwsBackendSGProvider::DesiredTags() const {
  TagMap tags(default_tags_.begin(), default_tags_.end());
  tags[kTagKeyK8sCluster] = cluster_name_;
  tags[kTagKeyResource] = kTagValueBackend;
  return tags;
}

Result<std::string> AwsBackendSGProvider::Get(const std::string& resource_type,
                                              const std::vector<std::string>& active_resources) {
  if (!backend_sg_.empty()) return backend_sg_;
  SIM_RETURN_IF_ERROR(Allocate(resource_type, active_resources));
  return auto_generated_sg_;
}

Status AwsBackendSGProvider::Allocate(const std::string& resource_type, const std::vector<std::string>& active_resources) {
  for (const auto& r : active_resources) objects_[ObjectKey(resource_type, r)] = true;
  if (!auto_generated_sg_.empty()) return OkStatus();
  const std::string name = BackendSGName();
  aws::DescribeSecurityGroupsRequest req;
  req.filters = {ma::Filter{"vpc-id", {vpc_id_}}, ma::Filter{std::string("tag:") + kTagKeyK8sCluster, {cluster_name_}},
                 ma::Filter{std::string("tag:") + kTagKeyResource, {kTagValueBackend}}};
  auto r = deps_.ec2.DescribeSecurityGroups(deps_.call_context, req);
  if (!r.ok() && r.error().aws_code != "InvalidGroup.NotFound") return Ec2Error("DescribeSecurityGroups", r.error());
  if (r.ok() && !r.value().empty()) {
    const ma::SecurityGroup& sg = r.value()[0];
    auto_generated_sg_ = sg.group_id;
    TagMap to_update, to_remove;
    DiffStringMapIgnoreAWSTags(DesiredTags(), ConvertSDKTagsToTags(sg.tags), &to_update, &to_remove);
    if (!to_update.empty()) {
      aws::CreateTagsRequest creq;
      creq.resources = {sg.group_id};
      creq.tags = ConvertTagsToSDKTags(to_update);
      Status s = deps_.ec2.CreateTags(deps_.call_context, creq);
      if (!s.ok()) return Ec2Error("CreateTags", s.error());
    }
    if (!to_remove.empty()) {
      aws::DeleteTagsRequest dreq;
      dreq.resources = {sg.group_id};
      for (const auto& [k, v] : to_remove) dreq.tags.push_back(aws::DeleteTagSpec{k, v});
      Status s = deps_.ec2.DeleteTags(deps_.call_context, dreq);
      if (!s.ok()) return Ec2Error("DeleteTags", s.error());
    }
    return OkStatus();
  }
  aws::CreateSecurityGroupRequest creq;
  creq.vpc_id = vpc_id_;
  creq.group_name = name;
  creq.description = kSGDescription;
  // Default tags sorted by key, then the two fixed tags (upstream buildBackendSGTags).
  std::vector<ma::Tag> tags;
  for (const auto& [k, v] : default_tags_) tags.push_back(ma::Tag{k, v});
  tags.push_back(ma::Tag{kTagKeyK8sCluster, cluster_name_});
  tags.push_back(ma::Tag{kTagKeyResource, kTagValueBackend});
  creq.tag_specifications = {aws::TagSpecification{"security-group", tags}};
  LogInfo(deps_, "creating securityGroup " + name);
  auto c = deps_.ec2.CreateSecurityGroup(deps_.call_context, creq);
  if (!c.ok()) return Ec2Error("CreateSecurityGroup", c.error());
  auto_generated_sg_ = c.value().group_id;
  LogInfo(deps_, "created SecurityGroup " + name + " id " + auto_generated_sg_);
  return OkStatus();
}

Result<bool> AwsBackendSGProvider::IsBackendSGRequired() {
  for (const auto& [k, v] : objects_) {
    if (v) return true;
  }
  for (const auto& ing : k8s::List<mk::Ingress>(deps_.kube)) {
    if (!HasIngressFinalizer(ing->metadata.finalizers)) continue;
    if (!objects_.count(ObjectKey(kResourceTypeIngress, NamespacedName(*ing)))) return true;
  }
  for (const auto& svc : k8s::List<mk::Service>(deps_.kube)) {
    bool has = false;
    for (const auto& f : svc->metadata.finalizers) has = has || f == kServiceFinalizer;
    if (!has) continue;
    if (!objects_.count(ObjectKey(kResourceTypeService, NamespacedName(*svc)))) return true;
  }
  return false;
}

Status AwsBackendSGProvider::ReleaseSG() {
  if (auto_generated_sg_.empty()) return OkStatus();
  SIM_ASSIGN_OR_RETURN(bool required, IsBackendSGRequired());
  if (required) return OkStatus();
  const std::string id = auto_generated_sg_;
  Status s = RetryImmediateOnError(
      deps_, kSGDeletionPollInterval, kSGDeletionTimeout, [](const Error& e) { return e.aws_code == "DependencyViolation"; },
      [&]() -> Status {
        Status d = deps_.ec2.DeleteSecurityGroup(deps_.call_context, id);
        if (!d.ok()) return Ec2Error("DeleteSecurityGroup", d.error());
        return OkStatus();
      });
  if (!s.ok()) return Wrap(s.error(), "failed to delete securityGroup");
  LogInfo(deps_, "deleted securityGroup " + id);
  auto_generated_sg_.clear();
  return OkStatus();
}

Status AwsBackendSGProvider::Release(const std::string& resource_type, const std::vector<std::string>& inactive_resources) {
  if (!backend_sg_.empty()) return OkStatus();
  for (const auto& r : inactive_resources) objects_[ObjectKey(resource_type, r)] = false;
  Status result = OkStatus();
  auto required = IsBackendSGRequired();
  if (!required.ok()) {
    result = required.error();
  } else if (!required.value()) {
    result = ReleaseSG();
  }
  // Deferred cleanup: forget entries that are still "not required".
  for (const auto& r : inactive_resources) {
    auto it = objects_.find(ObjectKey(resource_type, r));
    if (it != objects_.end() && !it->second) objects_.erase(it);
  }
  return result;
}

}  // namespace sim::controller
