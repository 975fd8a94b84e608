// Conformance handlers for upstream pkg/ingress/model_build_target_group_test.go (corpus
// target-groups/).
#include <nlohmann/json.hpp>

#include "sim/conformance/internal.h"
#include "sim/conformance/task_setup.h"
#include "sim/controller/stack_marshaller.h"

namespace sim::conformance {

namespace mk = model::k8s;
namespace sc = sim::controller;
using Json = nlohmann::json;

namespace {

constexpr const char* kFile = "pkg/ingress/model_build_target_group_test.go";

const Json& At(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

mk::IntOrString IntOrStr(const Json& j) {
  if (j.is_string()) return mk::IntOrString::Str(j.get<std::string>());
  if (j.is_number()) return mk::IntOrString::Int(j.get<int32_t>());
  return mk::IntOrString{};
}

mk::ServicePort SvcPortArg(const Json& j) {
  mk::ServicePort p;
  if (At(j, "name").is_string()) p.name = At(j, "name").get<std::string>();
  if (At(j, "protocol").is_string()) p.protocol = At(j, "protocol").get<std::string>();
  if (At(j, "port").is_number()) p.port = At(j, "port").get<int32_t>();
  p.target_port = IntOrStr(At(j, "targetPort"));
  if (At(j, "nodePort").is_number()) p.node_port = At(j, "nodePort").get<int32_t>();
  return p;
}

sc::Annotations AnnotationsArg(const Json& j) {
  sc::Annotations a;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) a[it.key()] = it.value().get<std::string>();
  }
  return a;
}

struct Ctx {
  TaskEnv env;
  std::unique_ptr<sc::ModelBuildTask> task;
  Json args;
  std::shared_ptr<const mk::Service> svc;
  sc::ClassifiedIngress ing;
};

std::unique_ptr<Ctx> MakeCtx(const CaseInput& in) {
  auto c = std::make_unique<Ctx>();
  c->task = MakeTask(in, &c->env);
  c->args = At(Json::parse(in.config_json), "unitArgs");
  if (At(c->args, "serviceDocumentIndex").is_number()) {
    c->svc = mk::As<mk::Service>(NthOfKind(in, mk::Kind::kService, At(c->args, "serviceDocumentIndex").get<size_t>()));
  }
  if (At(c->args, "ingressDocumentIndex").is_number()) {
    c->ing.ing = mk::As<mk::Ingress>(NthOfKind(in, mk::Kind::kIngress, At(c->args, "ingressDocumentIndex").get<size_t>()));
  }
  return c;
}

CaseOutput Name(const CaseInput& in) {
  auto c = MakeCtx(in);
  const Json& a = c->args;
  std::optional<int32_t> control;
  if (At(a, "targetControlPort").is_number()) control = At(a, "targetControlPort").get<int32_t>();
  std::string name = c->task->BuildTargetGroupName(
      At(At(a, "ingKey"), "namespace").get<std::string>(), At(At(a, "ingKey"), "name").get<std::string>(), *c->svc,
      IntOrStr(At(a, "port")), At(a, "tgPort").get<int32_t>(), At(a, "targetType").get<std::string>(),
      At(a, "tgProtocol").get<std::string>(), At(a, "tgProtocolVersion").get<std::string>(), control);
  return ResultOut(Json{{"name", name}}.dump());
}

CaseOutput Port(const CaseInput& in) {
  auto c = MakeCtx(in);
  int32_t p = c->task->BuildTargetGroupPort(At(c->args, "targetType").get<std::string>(), SvcPortArg(At(c->args, "svcPort")));
  return ResultOut(Json{{"port", p}}.dump());
}

CaseOutput Tags(const CaseInput& in) {
  auto c = MakeCtx(in);
  auto r = c->task->BuildTargetGroupTags(c->ing, *c->svc);
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"tags", Json(r.value())}}.dump());
}

CaseOutput HcPath(const CaseInput& in) {
  auto c = MakeCtx(in);
  std::string p = c->task->BuildTargetGroupHealthCheckPath(AnnotationsArg(At(c->args, "svcAndIngAnnotations")),
                                                           At(c->args, "tgProtocolVersion").get<std::string>());
  return ResultOut(Json{{"path", p}}.dump());
}

CaseOutput HcMatcher(const CaseInput& in) {
  auto c = MakeCtx(in);
  auto m = c->task->BuildTargetGroupHealthCheckMatcher(AnnotationsArg(At(c->args, "svcAndIngAnnotations")),
                                                       At(c->args, "tgProtocolVersion").get<std::string>());
  return ResultOut(Json{{"matcher", Json::parse(sc::ToJson(m))}}.dump());
}

CaseOutput NodeSelector(const CaseInput& in) {
  auto c = MakeCtx(in);
  auto r = c->task->BuildTargetGroupBindingNodeSelector(c->ing, *c->svc, At(c->args, "targetType").get<std::string>());
  if (!r.ok()) return ErrorOut(r.error());
  Json j;
  if (r.value()) {
    j["nodeSelector"] = Json{{"matchLabels", r.value()->match_labels}};
  } else {
    j["nodeSelector"] = nullptr;
  }
  return ResultOut(j.dump());
}

CaseOutput ControlPort(const CaseInput& in) {
  auto c = MakeCtx(in);
  auto r = c->task->BuildTargetGroupTargetControlPort(AnnotationsArg(At(c->args, "svcAndIngAnnotations")), *c->svc,
                                                      IntOrStr(At(c->args, "port")));
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"targetControlPort", r.value() ? Json(*r.value()) : Json(nullptr)}}.dump());
}

CaseOutput MultiCluster(const CaseInput& in) {
  auto c = MakeCtx(in);
  auto r = c->task->BuildTargetGroupBindingMultiClusterFlag(c->ing, *c->svc);
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"multiClusterTargetGroup", r.value()}}.dump());
}

CaseOutput Spec(const CaseInput& in) {
  auto c = MakeCtx(in);
  auto r = c->task->BuildTargetGroupSpec(c->ing, *c->svc, IntOrStr(At(c->args, "port")), SvcPortArg(At(c->args, "svcPort")));
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(R"({"error":null})");
}

CaseOutput Networking(const CaseInput& in) {
  auto c = MakeCtx(in);
  std::optional<int32_t> control;
  if (At(c->args, "targetControlPort").is_number()) control = At(c->args, "targetControlPort").get<int32_t>();
  auto n = c->task->BuildTargetGroupBindingNetworking(IntOrStr(At(c->args, "targetPort")),
                                                      IntOrStr(At(c->args, "healthCheckPort")), control);
  return ResultOut(Json{{"networking", n ? Json::parse(sc::ToJson(*n)) : Json(nullptr)}}.dump());
}

}  // namespace

void RegisterTargetGroupHandlers(HandlerMap& m) {
  const std::string f = kFile;
  m[f + "#buildTargetGroupName"] = Name;
  m[f + "#buildTargetGroupPort"] = Port;
  m[f + "#buildTargetGroupTags"] = Tags;
  m[f + "#buildTargetGroupHealthCheckPath"] = HcPath;
  m[f + "#buildTargetGroupHealthCheckMatcher"] = HcMatcher;
  m[f + "#buildTargetGroupBindingNodeSelector"] = NodeSelector;
  m[f + "#buildTargetGroupTargetControlPort"] = ControlPort;
  m[f + "#buildTargetGroupBindingMultiClusterFlag"] = MultiCluster;
  m[f + "#buildTargetGroupSpec"] = Spec;
  m[f + "#buildTargetGroupBindingNetworking"] = Networking;
}

}  // namespace sim::conformance
