#pragma once
// Mirrors upstream pkg/deploy/elbv2/listener_manager.go and listener_attributes_reconciler.go.

#include "models/stack/stack.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/tagging_manager.h"

namespace sim::controller {

class ListenerManager {
 public:
  static constexpr SimTime kWaitLSExistencePollInterval{2000};
  static constexpr SimTime kWaitLSExistenceTimeout{20000};

  ListenerManager(DeployDeps deps, const TrackingProvider& tracking, Elbv2TaggingManager& tagging,
                  const DeployConfig& config)
      : deps_(std::move(deps)), tracking_(tracking), tagging_(tagging), config_(config) {}

  // CreateListener (first cert only), AddListenerCertificates for every cert (retried while
  // ListenerNotFound), then listener attributes (not for TLS).
  Result<model::stack::ListenerStatus> Create(const model::stack::Stack& stack, const model::stack::Listener& res);
  // Tags → ModifyListener when settings drifted → extra certs (remove, then add) → attributes.
  Result<model::stack::ListenerStatus> Update(const model::stack::Stack& stack, const model::stack::Listener& res,
                                              const ListenerWithTags& sdk);
  Status Delete(const ListenerWithTags& sdk);

  bool IsSDKListenerSettingsDrifted(const model::stack::ListenerSpec& spec, const ListenerWithTags& sdk,
                                    const std::vector<model::aws::Action>& desired_default_actions,
                                    const std::vector<model::aws::Certificate>& desired_default_certs,
                                    const std::optional<model::aws::MutualAuthenticationAttributes>& desired_mtls) const;

 private:
  Status UpdateExtraCertificates(const model::stack::Stack& stack, const model::stack::Listener& res,
                                 const ListenerWithTags& sdk, bool is_new);
  Status ReconcileAttributes(const model::stack::Listener& res, const ListenerWithTags& sdk);

  DeployDeps deps_;
  const TrackingProvider& tracking_;
  Elbv2TaggingManager& tagging_;
  const DeployConfig& config_;
};

// Pure helpers (conformance units).
Result<aws::CreateListenerRequest> BuildSDKCreateListenerInput(const model::stack::Stack& stack,
                                                             const model::stack::ListenerSpec& spec,
                                                             const DeployFeatureGates& gates);
aws::ModifyListenerRequest BuildSDKModifyListenerInput(
    const model::stack::ListenerSpec& spec, const std::vector<model::aws::Action>& desired_default_actions,
    const std::vector<model::aws::Certificate>& desired_default_certs,
    const std::optional<model::aws::MutualAuthenticationAttributes>& desired_mtls, bool remove_mtls, bool remove_alpn);
bool IsRemoveMTLS(const ListenerWithTags& sdk, const std::optional<model::aws::MutualAuthenticationAttributes>& desired);
bool IsRemoveALPN(const ListenerWithTags& sdk, const model::stack::ListenerSpec& spec);
bool AreListenerAttributesSupported(const std::string& protocol);

}  // namespace sim::controller
