#pragma once
// Service quotas the fakes enforce. Defaults are compiled in and mirrored by the data file
// models/aws/quotas.yaml (a test checks they agree); a scenario may lower or raise any of them by
// name (SetQuota).

#include <cstdint>
#include <string>
#include <vector>

#include "sim/base/status.h"

namespace sim::aws {

struct Quotas {
  // ELBv2 (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html)
  int64_t application_load_balancers = 50;               // per region; TooManyLoadBalancers
  int64_t target_groups = 3000;                          // per region; TooManyTargetGroups
  int64_t listeners_per_application_load_balancer = 50;  // TooManyListeners
  int64_t rules_per_application_load_balancer = 100;     // non-default rules; TooManyRules
  int64_t target_groups_per_application_load_balancer = 100;  // TooManyUniqueTargetGroupsPerLoadBalancer
  int64_t target_groups_per_action = 5;                  // per forward action; ValidationError [inferred]
  int64_t load_balancers_per_target_group = 1;           // TargetGroupAssociationLimit
  int64_t targets_per_target_group = 1000;               // TooManyTargets
  int64_t targets_per_application_load_balancer = 1000;  // TooManyTargets
  int64_t registrations_per_target_id_per_alb = 1000;    // TooManyRegistrationsForTargetId
  int64_t certificates_per_application_load_balancer = 25;  // non-default certs; TooManyCertificates
  int64_t tags_per_resource = 50;                        // TooManyTags
  int64_t condition_values_per_rule = 5;                 // ValidationError [inferred code]
  int64_t condition_wildcards_per_rule = 5;              // ValidationError [inferred code]
  int64_t security_groups_per_load_balancer = 5;         // ValidationError [inferred code]
  // EC2 (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html)
  int64_t rules_per_security_group = 60;                 // inbound (and outbound); RulesPerSecurityGroupLimitExceeded
  int64_t security_groups_per_region = 2500;             // SecurityGroupLimitExceeded
  int64_t ec2_tags_per_resource = 50;                    // TagLimitExceeded
};

struct QuotaInfo {
  std::string name;        // e.g. "rules-per-application-load-balancer"
  std::string service;     // "elbv2" | "ec2"
  int64_t value = 0;       // current value
  std::string error_code;  // AWS code returned when exceeded
};

// Every quota of `q`, in the order of models/aws/quotas.yaml.
std::vector<QuotaInfo> DescribeQuotas(const Quotas& q);
// Sets one quota by name. Errors: kInvalidArgument "unknown quota \"<name>\"", or a negative value.
Status SetQuota(Quotas* q, const std::string& name, int64_t value);

// Parses the quotas YAML (format of models/aws/quotas.yaml: `quotas: [{name, service, default,
// errorCode, adjustable, source}]`) into a Quotas starting from the compiled defaults.
// Errors: kInvalidArgument with the YAML problem or an unknown name.
Result<Quotas> ParseQuotasYaml(const std::string& yaml_text);
// Reads and parses a quotas file. Errors: kNotFound (unreadable file) or as ParseQuotasYaml.
Result<Quotas> LoadQuotasYaml(const std::string& path);
// The error code each YAML entry declares, by name (for the agreement test).
Result<std::vector<QuotaInfo>> ParseQuotaTableYaml(const std::string& yaml_text);

}  // namespace sim::aws
