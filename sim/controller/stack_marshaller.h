#pragma once
// Mirrors upstream pkg/deploy/stack_marshaller.go + stack_schema_builder.go.
//
// Marshals a stack exactly as upstream's Go encoding/json does (model-stack.md §1-§2): compact,
// map keys sorted by bytes, struct fields in declaration order, omitempty fields dropped, tokens as
// {"$ref":"#/resources/<type>/<id>/<path>"}, `<` `>` `&` U+2028 U+2029 escaped as \u003c etc.
// The ToJson overloads marshal single model values the same way (used by the conformance runner
// and by dry-run reporting).

#include <string>

#include "models/stack/stack.h"

namespace sim::controller {

// {"id":"<stackID>","resources":{<type>:{<id>:<resource>}}}
std::string MarshalStack(const model::stack::Stack& stack);

std::string ToJson(const model::stack::StringToken& token);
std::string ToJson(const model::stack::Action& action);
// Same as ToJson but OIDC clientID / clientSecret are written as is (not "[REDACTED]").
std::string ToJsonUnredacted(const model::stack::Action& action);
std::string ToJson(const model::stack::RuleCondition& condition);
std::string ToJson(const model::stack::Transform& transform);
std::string ToJson(const model::stack::RedirectActionConfig& cfg);
std::string ToJson(const model::stack::HealthCheckMatcher& matcher);
std::string ToJson(const model::stack::TargetGroupBindingNetworking& networking);
std::string ToJson(const model::stack::LoadBalancerSpec& spec);
std::string ToJson(const model::stack::ListenerSpec& spec);
std::string ToJson(const model::stack::ListenerRuleSpec& spec);
std::string ToJson(const model::stack::TargetGroupSpec& spec);
std::string ToJson(const model::stack::SecurityGroupSpec& spec);
std::string ToJson(const model::stack::TargetGroupBindingResourceSpec& spec);

// Go encoding/json string quoting with HTML escaping, e.g. "a\u003cb".
std::string GoJsonQuote(const std::string& s);

}  // namespace sim::controller
