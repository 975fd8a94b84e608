// Conformance handlers for upstream pkg/ingress/enhanced_backend_builder_test.go (corpus
// backend-builder/).
#include <nlohmann/json.hpp>

#include "sim/conformance/fake_client.h"
#include "sim/conformance/internal.h"
#include "sim/conformance/model_json.h"
#include "sim/controller/enhanced_backend_builder.h"
#include "sim/k8s/codec.h"

namespace sim::conformance {

namespace mk = model::k8s;
namespace sc = sim::controller;
using Json = nlohmann::json;

namespace {

constexpr const char* kFile = "pkg/ingress/enhanced_backend_builder_test.go";

const Json& At(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

struct Env {
  FakeClient client;
  std::unique_ptr<sc::AnnotationParser> parser;
  std::unique_ptr<sc::AuthConfigBuilder> auth;
  std::unique_ptr<sc::EnhancedBackendBuilder> builder;
  Json cfg;
  Json args;
};

std::unique_ptr<Env> MakeEnv(const CaseInput& in) {
  auto env = std::make_unique<Env>();
  env->cfg = Json::parse(in.config_json);
  env->args = At(env->cfg, "unitArgs");
  for (const auto& obj : in.objects) {
    if (obj->kind() == mk::Kind::kService) env->client.Put(*obj);
  }
  const Json& b = At(env->cfg, "builder");
  const Json& prefix = At(b, "annotationPrefix");
  env->parser = std::make_unique<sc::AnnotationParser>(prefix.is_string() ? prefix.get<std::string>() : "");
  if (prefix.is_string()) env->auth = std::make_unique<sc::AuthConfigBuilder>(*env->parser);
  auto flag = [&](const char* k) { return At(b, k).is_boolean() && At(b, k).get<bool>(); };
  env->builder = std::make_unique<sc::EnhancedBackendBuilder>(&env->client, *env->parser, env->auth.get(),
                                                              flag("tolerateNonExistentBackendService"),
                                                              flag("tolerateNonExistentBackendAction"));
  return env;
}

sc::Annotations AnnotationsArg(const Json& j) {
  sc::Annotations a;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) a[it.key()] = it.value().get<std::string>();
  }
  return a;
}

Result<sc::BackendServices> ServicesArg(const Json& j) {
  sc::BackendServices out;
  if (!j.is_object()) return out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    Json manifest = it.value();
    if (!manifest.contains("apiVersion")) manifest["apiVersion"] = "v1";
    if (!manifest.contains("kind")) manifest["kind"] = "Service";
    SIM_ASSIGN_OR_RETURN(auto objs, k8s::DecodeManifests(manifest.dump(), "backendServices"));
    if (objs.size() != 1) return MakeError(ErrorCode::kInvalidArgument, "bad backendServices entry");
    out[it.key()] = mk::As<mk::Service>(objs[0]);
  }
  return out;
}

Json ServicesJson(const sc::BackendServices& services) {
  Json out = Json::object();
  for (const auto& [key, svc] : services) {
    Json j = Json::parse(k8s::EncodeCompactJson(*svc));
    if (!j.contains("spec")) j["spec"] = Json::object();
    j.erase("status");  // the corpus Services carry no status (kubectl prints status.loadBalancer: {})
    out[key] = j;
  }
  return out;
}

Result<sc::ing::Action> ActionArg(const Json& j) {
  sc::ing::Action a;
  SIM_RETURN_IF_ERROR(sc::ing::DecodeJson(j.dump(), &a));
  return a;
}

CaseOutput Build(const CaseInput& in) {
  auto env = MakeEnv(in);
  const Json& args = env->args;
  auto ing = mk::As<mk::Ingress>(NthOfKind(in, mk::Kind::kIngress, At(At(args, "ing"), "documentIndex").get<size_t>()));
  if (!ing) return ErrorOut(MakeError(ErrorCode::kInternal, "no ingress"));
  // IngressBackend from JSON.
  mk::IngressBackend backend;
  const Json& b = At(args, "backend");
  if (At(b, "service").is_object()) {
    mk::IngressServiceBackend s;
    s.name = At(At(b, "service"), "name").get<std::string>();
    const Json& port = At(At(b, "service"), "port");
    if (At(port, "name").is_string()) s.port.name = At(port, "name").get<std::string>();
    if (At(port, "number").is_number()) s.port.number = At(port, "number").get<int32_t>();
    backend.service = s;
  }
  if (At(b, "resource").is_object()) backend.resource = mk::TypedLocalObjectReference{};
  SIM_ASSIGN_OR_RETURN(sc::BackendServices services, ServicesArg(At(args, "backendServices")));
  sc::EnhancedBackendBuildOptions opts;
  opts.load_backend_services = At(args, "loadBackendServices").is_boolean() && At(args, "loadBackendServices").get<bool>();
  opts.load_auth_config = At(args, "loadAuthConfig").is_boolean() && At(args, "loadAuthConfig").get<bool>();
  opts.backend_services = &services;
  auto r = env->builder->Build(*ing, backend, opts);
  if (!r.ok()) return ErrorOut(r.error());
  Json j;
  j["enhancedBackend"] = Json::parse(EnhancedBackendToJson(r.value()));
  if (opts.load_backend_services) j["backendServices"] = ServicesJson(services);
  return ResultOut(j.dump());
}

CaseOutput Conditions(const CaseInput& in) {
  auto env = MakeEnv(in);
  auto r = env->builder->BuildConditions(AnnotationsArg(At(env->args, "ingAnnotation")),
                                         At(env->args, "svcName").get<std::string>());
  if (!r.ok()) return ErrorOut(r.error());
  Json j;
  if (r.value()) {
    Json a = Json::array();
    for (const auto& c : *r.value()) a.push_back(Json::parse(sc::ing::ToJson(c)));
    j["conditions"] = a;
  } else {
    j["conditions"] = nullptr;
  }
  return ResultOut(j.dump());
}

CaseOutput ActionViaAnnotation(const CaseInput& in) {
  auto env = MakeEnv(in);
  auto r = env->builder->BuildActionViaAnnotation(AnnotationsArg(At(env->args, "ingAnnotation")),
                                                  At(env->args, "svcName").get<std::string>());
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"action", Json::parse(sc::ing::ToJson(r.value()))}}.dump());
}

CaseOutput ActionViaService(const CaseInput& in) {
  auto env = MakeEnv(in);
  const Json& port = At(env->args, "svcPort");
  mk::IntOrString p = port.is_string() ? mk::IntOrString::Str(port.get<std::string>()) : mk::IntOrString::Int(port.get<int32_t>());
  auto a = env->builder->BuildActionViaServiceAndServicePort(At(env->args, "svcName").get<std::string>(), p);
  return ResultOut(Json{{"action", Json::parse(sc::ing::ToJson(a))}}.dump());
}

CaseOutput LoadServices(const CaseInput& in) {
  auto env = MakeEnv(in);
  SIM_ASSIGN_OR_RETURN(sc::ing::Action action, ActionArg(At(env->args, "action")));
  SIM_ASSIGN_OR_RETURN(sc::BackendServices services, ServicesArg(At(env->args, "backendServices")));
  Status st = env->builder->LoadBackendServices(&action, At(env->args, "namespace").get<std::string>(), &services);
  if (!st.ok()) return ErrorOut(st.error());
  return ResultOut(
      Json{{"action", Json::parse(sc::ing::ToJson(action))}, {"backendServices", ServicesJson(services)}}.dump());
}

CaseOutput AuthConfig(const CaseInput& in) {
  auto env = MakeEnv(in);
  SIM_ASSIGN_OR_RETURN(sc::ing::Action action, ActionArg(At(env->args, "action")));
  SIM_ASSIGN_OR_RETURN(sc::BackendServices services, ServicesArg(At(env->args, "backendServices")));
  auto r = env->builder->BuildAuthConfig(action, At(env->args, "namespace").get<std::string>(),
                                         AnnotationsArg(At(env->args, "ingAnnotation")), services);
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"authConfig", Json::parse(AuthConfigToJson(r.value()))}}.dump());
}

CaseOutput Response503(const CaseInput& in) {
  auto env = MakeEnv(in);
  auto a = env->builder->Build503ResponseAction(At(env->args, "messageBody").get<std::string>());
  return ResultOut(Json{{"action", Json::parse(sc::ing::ToJson(a))}}.dump());
}

CaseOutput Transforms(const CaseInput& in) {
  auto env = MakeEnv(in);
  auto r = env->builder->BuildTransforms(AnnotationsArg(At(env->args, "ingAnnotation")),
                                         At(env->args, "svcName").get<std::string>());
  if (!r.ok()) return ErrorOut(r.error());
  Json j;
  if (r.value()) {
    Json a = Json::array();
    for (const auto& t : *r.value()) a.push_back(Json::parse(sc::ing::ToJson(t)));
    j["transforms"] = a;
  } else {
    j["transforms"] = nullptr;
  }
  return ResultOut(j.dump());
}

}  // namespace

void RegisterBackendBuilderHandlers(HandlerMap& m) {
  const std::string f = kFile;
  m[f + "#Build"] = Build;
  m[f + "#buildConditions"] = Conditions;
  m[f + "#buildActionViaAnnotation"] = ActionViaAnnotation;
  m[f + "#buildActionViaServiceAndServicePort"] = ActionViaService;
  m[f + "#loadBackendServices"] = LoadServices;
  m[f + "#buildAuthConfig"] = AuthConfig;
  m[f + "#build503ResponseAction"] = Response503;
  m[f + "#buildTransforms"] = Transforms;
}

}  // namespace sim::conformance
