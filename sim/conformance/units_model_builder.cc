// Conformance handlers for upstream pkg/ingress/model_builder_test.go (corpus model-builder/).
#include <fstream>

#include <nlohmann/json.hpp>

#include "sim/conformance/internal.h"
#include "sim/conformance/task_setup.h"
#include "sim/controller/stack_marshaller.h"

namespace sim::conformance {

namespace mk = model::k8s;
namespace sc = sim::controller;
using Json = nlohmann::json;

namespace {

constexpr const char* kFile = "pkg/ingress/model_builder_test.go";

CaseOutput Build(const CaseInput& in) {
  TaskEnv env;
  SetupModelBuilderEnv(in, &env);
  sc::ModelBuilder builder(ControllerConfigFromCase(in), env.Deps());
  auto r = builder.Build(GroupFromConfig(in));
  CaseOutput out;
  if (!r.ok()) {
    out.error = r.error();
  } else {
    out.result_json = sc::MarshalStack(*r.value().stack);
  }
  out.mock_failure = env.MockProblems();
  return out;
}

CaseOutput BuildSSLRedirectConfig(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  const Json cfg = Json::parse(in.config_json);
  std::map<int32_t, sc::ListenPortConfig> by_port;
  const Json& ports = cfg["unitArgs"]["listenPortConfigByPort"];
  for (auto it = ports.begin(); it != ports.end(); ++it) {
    sc::ListenPortConfig c;
    c.protocol = it.value().value("protocol", "");
    by_port[std::stoi(it.key())] = c;
  }
  auto r = task->BuildSSLRedirectConfig(by_port);
  if (!r.ok()) return ErrorOut(r.error());
  Json j;
  if (r.value()) {
    j["sslRedirectConfig"] = {{"sslPort", r.value()->ssl_port}, {"statusCode", r.value()->status_code}};
  } else {
    j["sslRedirectConfig"] = nullptr;
  }
  return ResultOut(j.dump());
}

CaseOutput BuildManageSecurityGroupRulesFlag(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  auto r = task->BuildManageSecurityGroupRulesFlag();
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"manageBackendSecurityGroupRules", r.value()}}.dump());
}

CaseOutput BuildResourceTags(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  const Json cfg = Json::parse(in.config_json);
  const Json& args = cfg["unitArgs"];
  const std::string type = args.value("resourceType", "");
  Result<std::map<std::string, std::string>> tags = std::map<std::string, std::string>{};
  if (type == "loadBalancer") {
    tags = task->BuildLoadBalancerTags();
  } else if (type == "managedSG") {
    tags = task->BuildManagedSecurityGroupTags();
  } else if (type == "listener") {
    tags = task->BuildListenerTags(task->ing_group.members);
  } else if (type == "listenerRule" || type == "targetGroup") {
    size_t member = args.value("member", 0);
    if (member >= task->ing_group.members.size()) return ErrorOut(MakeError(ErrorCode::kInternal, "no such member"));
    if (type == "listenerRule") {
      tags = task->BuildListenerRuleTags(task->ing_group.members[member]);
    } else {
      mk::Service empty;
      tags = task->BuildTargetGroupTags(task->ing_group.members[member], empty);
    }
  } else {
    return ErrorOut(MakeError(ErrorCode::kInternal, "unknown resourceType " + type));
  }
  if (!tags.ok()) return ErrorOut(tags.error());
  // Upstream asserts a subset (each expected key present with that value): keep only the keys the
  // expected result lists; extra tags are allowed.
  Json want;
  {
    std::ifstream f(in.dir + "/expected-result.json");
    if (f) want = Json::parse(f, nullptr, false);
  }
  Json got_tags = Json::object();
  for (const auto& [k, v] : tags.value()) {
    if (want.is_object() && want.contains("tagsMustContain") && want["tagsMustContain"].contains(k)) got_tags[k] = v;
  }
  return ResultOut(Json{{"resourceType", type}, {"tagsMustContain", got_tags}}.dump());
}

}  // namespace

void RegisterModelBuilderHandlers(HandlerMap& m) {
  m[std::string(kFile) + "#Build"] = Build;
  m[std::string(kFile) + "#buildSSLRedirectConfig"] = BuildSSLRedirectConfig;
  m[std::string(kFile) + "#buildManageSecurityGroupRulesFlag"] = BuildManageSecurityGroupRulesFlag;
  m[std::string(kFile) + "#buildResourceTags"] = BuildResourceTags;
}

}  // namespace sim::conformance
