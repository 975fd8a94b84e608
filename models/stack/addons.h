#pragma once
// Mirrors upstream pkg/model/{wafv2,wafregional,shield,acm}/*.go and
// pkg/model/elbv2/frontend_nlb_target_group.go.

#include <map>
#include <string>
#include <vector>

#include "models/stack/token.h"

namespace sim::model::stack {

struct WebACLAssociationSpec {  // AWS::WAFv2::WebACLAssociation
  std::string web_acl_arn;      // "" = disassociate
  StringToken resource_arn;
  bool operator==(const WebACLAssociationSpec&) const = default;
};

struct WafRegionalWebACLAssociationSpec {  // AWS::WAFRegional::WebACLAssociation
  std::string web_acl_id;  // "" = disassociate
  StringToken resource_arn;
  bool operator==(const WafRegionalWebACLAssociationSpec&) const = default;
};

struct ShieldProtectionSpec {  // AWS::Shield::Protection
  bool enabled = false;
  StringToken resource_arn;
  bool operator==(const ShieldProtectionSpec&) const = default;
};

struct CertificateSpec {  // AWS::ACM::Certificate (feature gate EnableCertificateManagement)
  std::string type;  // AMAZON_ISSUED / PRIVATE
  std::string certificate_authority_arn;
  std::string domain_name;
  std::vector<std::string> subject_alternative_names;
  std::string validation_method;
  std::string key_algorithm;
  std::map<std::string, std::string> tags;
  bool operator==(const CertificateSpec&) const = default;
};

struct CertificateStatus {
  std::string certificate_arn;
  bool operator==(const CertificateStatus&) const = default;
};

// Frontend-NLB bookkeeping; the Ingress path always adds one with no target groups.
struct FrontendNlbTargetGroupState {
  std::string name;
  StringToken arn;
  int32_t port = 0;
  StringToken target_arn;
  int32_t target_port = 0;
  bool operator==(const FrontendNlbTargetGroupState&) const = default;
};

}  // namespace sim::model::stack
