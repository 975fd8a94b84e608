#pragma once
// Mirrors upstream pkg/model/core/{stack.go,resource.go,stack_id.go} and the resource wrappers of
// pkg/model/{elbv2,ec2,elbv2/k8s,wafv2,wafregional,shield,acm}.
//
// A Stack is the desired state of one Ingress group: resources keyed by (type, id), each with a
// spec (built by the model builder) and a status slot (filled by the deployer). Tokens between
// resources (StringToken) are resolved through the stack once the referenced status is set.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "models/stack/addons.h"
#include "models/stack/ec2.h"
#include "models/stack/elbv2.h"
#include "models/stack/k8s_tgb.h"
#include "models/stack/token.h"

namespace sim::model::stack {

// ---------------------------------------------------------------- resources

struct SecurityGroup {
  static constexpr const char* kType = "AWS::EC2::SecurityGroup";
  std::string id;
  SecurityGroupSpec spec;
  std::optional<SecurityGroupStatus> status;
  StringToken GroupID() const { return StringToken::Field(kType, id, "status/groupID"); }
};

struct LoadBalancer {
  static constexpr const char* kType = "AWS::ElasticLoadBalancingV2::LoadBalancer";
  std::string id;
  LoadBalancerSpec spec;
  std::optional<LoadBalancerStatus> status;
  StringToken LoadBalancerARN() const { return StringToken::Field(kType, id, "status/loadBalancerARN"); }
  StringToken DNSName() const { return StringToken::Field(kType, id, "status/dnsName"); }
};

struct Listener {
  static constexpr const char* kType = "AWS::ElasticLoadBalancingV2::Listener";
  std::string id;
  ListenerSpec spec;
  std::optional<ListenerStatus> status;
  StringToken ListenerARN() const { return StringToken::Field(kType, id, "status/listenerARN"); }
};

struct ListenerRule {
  static constexpr const char* kType = "AWS::ElasticLoadBalancingV2::ListenerRule";
  std::string id;
  ListenerRuleSpec spec;
  std::optional<ListenerRuleStatus> status;
};

struct TargetGroup {
  static constexpr const char* kType = "AWS::ElasticLoadBalancingV2::TargetGroup";
  std::string id;
  TargetGroupSpec spec;
  std::optional<TargetGroupStatus> status;
  StringToken TargetGroupARN() const { return StringToken::Field(kType, id, "status/targetGroupARN"); }
};

struct TargetGroupBindingResource {
  static constexpr const char* kType = "K8S::ElasticLoadBalancingV2::TargetGroupBinding";
  std::string id;
  TargetGroupBindingResourceSpec spec;
  std::optional<TargetGroupBindingResourceStatus> status;
};

struct WebACLAssociation {
  static constexpr const char* kType = "AWS::WAFv2::WebACLAssociation";
  std::string id;
  WebACLAssociationSpec spec;
};

struct WafRegionalWebACLAssociation {
  static constexpr const char* kType = "AWS::WAFRegional::WebACLAssociation";
  std::string id;
  WafRegionalWebACLAssociationSpec spec;
};

struct ShieldProtection {
  static constexpr const char* kType = "AWS::Shield::Protection";
  std::string id;
  ShieldProtectionSpec spec;
};

struct AcmCertificate {
  static constexpr const char* kType = "AWS::ACM::Certificate";
  std::string id;
  CertificateSpec spec;
  std::optional<CertificateStatus> status;
  StringToken CertificateARN() const { return StringToken::Field(kType, id, "status/certificateARN"); }
};

// Marshals as {"TargetGroups":{...}} (no spec wrapper).
struct FrontendNlbTargetGroupDesiredState {
  static constexpr const char* kType = "FrontendNLBTargetGroup";
  std::string id;  // "FrontendNLBTargetGroup"
  std::map<std::string, FrontendNlbTargetGroupState> target_groups;
};

// Resource IDs used by the Ingress model (naming-and-tags.md §5).
inline constexpr const char* kResourceIDLoadBalancer = "LoadBalancer";
inline constexpr const char* kResourceIDManagedSecurityGroup = "ManagedLBSecurityGroup";
inline constexpr const char* kResourceIDFrontendNlbTargetGroup = "FrontendNLBTargetGroup";

template <typename T>
using ResourceMap = std::map<std::string, T>;  // by resource id

// ---------------------------------------------------------------- stack

// StackID: "<name>" for an explicit group, "<namespace>/<name>" otherwise.
struct StackID {
  std::string namespace_;
  std::string name;
  std::string String() const { return namespace_.empty() ? name : namespace_ + "/" + name; }
  bool operator==(const StackID&) const = default;
};

class Stack {
 public:
  explicit Stack(StackID id) : id_(std::move(id)) {}

  const StackID& stack_id() const { return id_; }

  // Adds a resource. Returns the error text `resource already exists, type: <T>, id: <id>` when
  // a resource of the same type and id is present (the stack is unchanged), else nullopt.
  template <typename T>
  std::optional<std::string> Add(T resource) {
    auto& m = std::get<ResourceMap<T>>(resources_);
    if (m.count(resource.id)) {
      return std::string("resource already exists, type: ") + T::kType + ", id: " + resource.id;
    }
    std::string id = resource.id;
    m.emplace(std::move(id), std::move(resource));
    return std::nullopt;
  }

  // Dependency edge dependee -> depender, both as (type, id). Informational only: the deployer
  // uses the fixed synthesizer order (controller.md §8).
  void AddDependency(const std::pair<std::string, std::string>& dependee,
                     const std::pair<std::string, std::string>& depender) {
    dependencies_.insert({dependee, depender});
  }
  const std::set<std::pair<std::pair<std::string, std::string>, std::pair<std::string, std::string>>>&
  dependencies() const {
    return dependencies_;
  }

  template <typename T>
  const ResourceMap<T>& List() const {
    return std::get<ResourceMap<T>>(resources_);
  }
  template <typename T>
  ResourceMap<T>& MutableList() {
    return std::get<ResourceMap<T>>(resources_);
  }
  template <typename T>
  const T* Find(const std::string& id) const {
    const auto& m = List<T>();
    auto it = m.find(id);
    return it == m.end() ? nullptr : &it->second;
  }
  template <typename T>
  T* MutableFind(const std::string& id) {
    auto& m = MutableList<T>();
    auto it = m.find(id);
    return it == m.end() ? nullptr : &it->second;
  }

  // Resolves a token: a literal or fixed value as is; a resource-field token from the referenced
  // resource's status. Returns false and sets `error` (`LoadBalancer is not fulfilled yet: <id>`,
  // `TargetGroup is not fulfilled yet: <id>`, ..., or `unknown token reference: <ref>`) otherwise.
  bool ResolveToken(const StringToken& token, std::string* out, std::string* error) const;

  // Number of resources of every type.
  size_t size() const;

 private:
  StackID id_;
  std::tuple<ResourceMap<SecurityGroup>, ResourceMap<LoadBalancer>, ResourceMap<Listener>,
             ResourceMap<ListenerRule>, ResourceMap<TargetGroup>, ResourceMap<TargetGroupBindingResource>,
             ResourceMap<WebACLAssociation>, ResourceMap<WafRegionalWebACLAssociation>,
             ResourceMap<ShieldProtection>, ResourceMap<AcmCertificate>,
             ResourceMap<FrontendNlbTargetGroupDesiredState>>
      resources_;
  std::set<std::pair<std::pair<std::string, std::string>, std::pair<std::string, std::string>>> dependencies_;
};

}  // namespace sim::model::stack
