#pragma once
// Mirrors upstream pkg/deploy/elbv2/listener_synthesizer.go.

#include <string>
#include <vector>

#include "models/stack/stack.h"
#include "sim/controller/deploy_deps.h"
#include "sim/controller/listener_manager.h"
#include "sim/controller/tagging_manager.h"

namespace sim::controller {

struct ResAndSDKListenerPair {
  model::stack::Listener* res = nullptr;
  ListenerWithTags sdk;
};

struct ListenerMatch {
  std::vector<ResAndSDKListenerPair> matched;
  std::vector<model::stack::Listener*> unmatched_res;
  std::vector<ListenerWithTags> unmatched_sdk;
};

// matchResAndSDKListeners: by port (ascending).
ListenerMatch MatchResAndSDKListeners(const std::vector<model::stack::Listener*>& res,
                                      const std::vector<ListenerWithTags>& sdk);

class ListenerSynthesizer final : public ResourceSynthesizer {
 public:
  ListenerSynthesizer(model::stack::Stack& stack, Elbv2TaggingManager& tagging, ListenerManager& ls_manager)
      : stack_(stack), tagging_(tagging), ls_manager_(ls_manager) {}

  // Per LB: list all its listeners; delete unmatched, create missing, update matched.
  Status Synthesize() override;
  Status PostSynthesize() override { return OkStatus(); }

 private:
  Status SynthesizeListenersOnLB(const std::string& lb_arn, const std::vector<model::stack::Listener*>& res);

  model::stack::Stack& stack_;
  Elbv2TaggingManager& tagging_;
  ListenerManager& ls_manager_;
};

}  // namespace sim::controller
