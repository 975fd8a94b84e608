#include "sim/aws/quotas.h"

#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace sim::aws {
namespace {

struct QuotaField {
  const char* name;
  const char* service;
  int64_t Quotas::*field;
  const char* error_code;
};

// Same order as models/aws/quotas.yaml.
const QuotaField kFields[] = {
    {"application-load-balancers", "elbv2", &Quotas::application_load_balancers, "TooManyLoadBalancers"},
    {"target-groups", "elbv2", &Quotas::target_groups, "TooManyTargetGroups"},
    {"listeners-per-application-load-balancer", "elbv2", &Quotas::listeners_per_application_load_balancer,
     "TooManyListeners"},
    {"rules-per-application-load-balancer", "elbv2", &Quotas::rules_per_application_load_balancer, "TooManyRules"},
    {"target-groups-per-application-load-balancer", "elbv2", &Quotas::target_groups_per_application_load_balancer,
     "TooManyUniqueTargetGroupsPerLoadBalancer"},
    {"target-groups-per-action-on-application-load-balancer", "elbv2", &Quotas::target_groups_per_action,
     "ValidationError"},
    {"load-balancers-per-target-group", "elbv2", &Quotas::load_balancers_per_target_group,
     "TargetGroupAssociationLimit"},
    {"targets-per-target-group", "elbv2", &Quotas::targets_per_target_group, "TooManyTargets"},
    {"targets-per-application-load-balancer", "elbv2", &Quotas::targets_per_application_load_balancer,
     "TooManyTargets"},
    {"registrations-per-target-id-per-application-load-balancer", "elbv2",
     &Quotas::registrations_per_target_id_per_alb, "TooManyRegistrationsForTargetId"},
    {"certificates-per-application-load-balancer", "elbv2", &Quotas::certificates_per_application_load_balancer,
     "TooManyCertificates"},
    {"tags-per-resource", "elbv2", &Quotas::tags_per_resource, "TooManyTags"},
    {"condition-values-per-alb-rule", "elbv2", &Quotas::condition_values_per_rule, "ValidationError"},
    {"condition-wildcards-per-alb-rule", "elbv2", &Quotas::condition_wildcards_per_rule, "ValidationError"},
    {"security-groups-per-application-load-balancer", "elbv2", &Quotas::security_groups_per_load_balancer,
     "ValidationError"},
    {"rules-per-security-group", "ec2", &Quotas::rules_per_security_group, "RulesPerSecurityGroupLimitExceeded"},
    {"security-groups-per-region", "ec2", &Quotas::security_groups_per_region, "SecurityGroupLimitExceeded"},
    {"tags-per-ec2-resource", "ec2", &Quotas::ec2_tags_per_resource, "TagLimitExceeded"},
};

Error YamlError(const std::string& what) { return MakeError(ErrorCode::kInvalidArgument, "quotas: " + what); }

}  // namespace

std::vector<QuotaInfo> DescribeQuotas(const Quotas& q) {
  std::vector<QuotaInfo> out;
  for (const QuotaField& f : kFields) out.push_back(QuotaInfo{f.name, f.service, q.*(f.field), f.error_code});
  return out;
}

Status SetQuota(Quotas* q, const std::string& name, int64_t value) {
  if (value < 0) return YamlError("quota \"" + name + "\" must not be negative");
  for (const QuotaField& f : kFields) {
    if (name == f.name) {
      q->*(f.field) = value;
      return OkStatus();
    }
  }
  return MakeError(ErrorCode::kInvalidArgument, "unknown quota \"" + name + "\"");
}

Result<std::vector<QuotaInfo>> ParseQuotaTableYaml(const std::string& yaml_text) {
  std::vector<QuotaInfo> out;
  try {
    YAML::Node root = YAML::Load(yaml_text);
    YAML::Node list = root["quotas"];
    if (!list || !list.IsSequence()) return YamlError("missing `quotas:` list");
    for (const YAML::Node& item : list) {
      if (!item.IsMap() || !item["name"] || !item["default"]) return YamlError("each quota needs name and default");
      QuotaInfo info;
      info.name = item["name"].as<std::string>();
      info.service = item["service"] ? item["service"].as<std::string>() : "";
      info.value = item["default"].as<int64_t>();
      info.error_code = item["errorCode"] ? item["errorCode"].as<std::string>() : "";
      out.push_back(std::move(info));
    }
  } catch (const YAML::Exception& e) {
    return YamlError(e.what());
  }
  return out;
}

Result<Quotas> ParseQuotasYaml(const std::string& yaml_text) {
  SIM_ASSIGN_OR_RETURN(std::vector<QuotaInfo> table, ParseQuotaTableYaml(yaml_text));
  Quotas q;
  for (const QuotaInfo& info : table) SIM_RETURN_IF_ERROR(SetQuota(&q, info.name, info.value));
  return q;
}

Result<Quotas> LoadQuotasYaml(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError(ErrorCode::kNotFound, "quotas: cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseQuotasYaml(ss.str());
}

}  // namespace sim::aws
