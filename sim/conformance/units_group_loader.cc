// Conformance handlers for upstream pkg/ingress/group_loader_test.go, class_loader_test.go and
// class_annotation_matcher_test.go (corpora group-loader/ and class-loader/).
#include <nlohmann/json.hpp>

#include "sim/conformance/fake_client.h"
#include "sim/conformance/internal.h"
#include "sim/controller/group_loader.h"

namespace sim::conformance {

namespace mk = model::k8s;
namespace sc = sim::controller;
using Json = nlohmann::json;

namespace {

constexpr const char* kGroupFile = "pkg/ingress/group_loader_test.go";
constexpr const char* kClassFile = "pkg/ingress/class_loader_test.go";
constexpr const char* kMatcherFile = "pkg/ingress/class_annotation_matcher_test.go";

const Json& At(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

// Loads fakeClient.objects (+ deleteAfterCreate) into `client`.
void FillFakeClient(const CaseInput& in, const Json& cfg, FakeClient* client) {
  const Json& fc = At(cfg, "fakeClient");
  for (const auto& o : At(fc, "objects")) {
    auto obj = DocAt(in, At(o, "documentIndex").get<size_t>());
    if (obj) client->Put(*obj);
  }
  for (const auto& key : At(fc, "deleteAfterCreate")) {
    const std::string k = key.get<std::string>();
    const size_t slash = k.find('/');
    (void)client->DeleteObject(mk::Kind::kIngress, k.substr(0, slash), k.substr(slash + 1));
  }
}

sc::IngressPtr IngressArg(const CaseInput& in, const Json& ref) {
  if (!ref.is_object()) return nullptr;
  return mk::As<mk::Ingress>(DocAt(in, At(ref, "documentIndex").get<size_t>()));
}

Json GroupIDJson(const sc::GroupID& id) { return Json{{"namespace", id.namespace_}, {"name", id.name}}; }

sc::GroupID GroupIDArg(const Json& j) { return sc::GroupID{At(j, "namespace").get<std::string>(), At(j, "name").get<std::string>()}; }

Json ClassifiedJson(const std::optional<sc::ClassifiedIngress>& ci) {
  if (!ci || !ci->ing) return nullptr;
  Json j;
  j["ingress"] = sc::NamespacedName(*ci->ing);
  j["ingressClass"] = ci->ing_class_config.ing_class ? Json(ci->ing_class_config.ing_class->metadata.name) : Json(nullptr);
  j["ingressClassParams"] =
      ci->ing_class_config.ing_class_params ? Json(ci->ing_class_config.ing_class_params->metadata.name) : Json(nullptr);
  return j;
}

// The loader and its collaborators as a case configures them.
struct LoaderEnv {
  FakeClient client;
  std::unique_ptr<sc::AnnotationParser> parser;
  std::unique_ptr<sc::ClassLoader> class_loader;
  std::unique_ptr<sc::ClassAnnotationMatcher> matcher;
  std::unique_ptr<sc::GroupLoader> loader;
};

std::unique_ptr<LoaderEnv> MakeLoader(const CaseInput& in, const Json& cfg) {
  auto env = std::make_unique<LoaderEnv>();
  FillFakeClient(in, cfg, &env->client);
  const Json& gl = At(cfg, "groupLoader");
  const Json& prefix = At(gl, "annotationPrefix");
  env->parser = std::make_unique<sc::AnnotationParser>(prefix.is_string() ? prefix.get<std::string>() : "");
  const Json& cl = At(gl, "classLoader");
  env->class_loader = std::make_unique<sc::ClassLoader>(
      env->client, cl.is_object() && At(cl, "loadParams").is_boolean() ? At(cl, "loadParams").get<bool>() : true);
  const Json& m = At(gl, "classAnnotationMatcher");
  env->matcher = std::make_unique<sc::ClassAnnotationMatcher>(
      m.is_object() && At(m, "ingressClass").is_string() ? At(m, "ingressClass").get<std::string>() : "");
  const Json& manage = At(gl, "manageIngressesWithoutIngressClass");
  env->loader = std::make_unique<sc::GroupLoader>(env->client, *env->parser, *env->class_loader, *env->matcher,
                                                  manage.is_boolean() && manage.get<bool>());
  return env;
}

CaseOutput Load(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  auto env = MakeLoader(in, cfg);
  auto r = env->loader->Load(GroupIDArg(At(At(cfg, "unitArgs"), "groupID")));
  if (!r.ok()) return ErrorOut(r.error());
  Json j;
  j["groupID"] = GroupIDJson(r.value().id);
  j["members"] = Json::array();
  for (const auto& m : r.value().members) j["members"].push_back(ClassifiedJson(m));
  j["inactiveMembers"] = Json::array();
  for (const auto& ing : r.value().inactive_members) j["inactiveMembers"].push_back(sc::NamespacedName(*ing));
  return ResultOut(j.dump());
}

CaseOutput PendingFinalization(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  auto env = MakeLoader(in, cfg);
  auto ing = IngressArg(in, At(At(cfg, "unitArgs"), "ingress"));
  if (!ing) return ErrorOut(MakeError(ErrorCode::kInternal, "no ingress argument"));
  Json ids = Json::array();
  for (const auto& id : env->loader->LoadGroupIDsPendingFinalization(*ing)) ids.push_back(GroupIDJson(id));
  return ResultOut(Json{{"groupIDs", ids}}.dump());
}

CaseOutput CheckMembership(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  auto env = MakeLoader(in, cfg);
  const Json& args = At(cfg, "unitArgs");
  auto r = env->loader->CheckGroupMembershipType(GroupIDArg(At(args, "groupID")), IngressArg(in, At(args, "ingress")));
  if (!r.ok()) return ErrorOut(r.error());
  static const char* kNames[] = {"None", "ActiveMember", "InactiveMember"};
  Json j;
  j["membershipType"] = kNames[static_cast<int>(r.value().type)];
  j["classifiedIngress"] = ClassifiedJson(r.value().classified);
  return ResultOut(j.dump());
}

CaseOutput GroupIDIfAnyHelper(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  auto env = MakeLoader(in, cfg);
  auto r = env->loader->LoadGroupIDIfAnyHelper(IngressArg(in, At(At(cfg, "unitArgs"), "ingress")));
  if (!r.ok()) return ErrorOut(r.error());
  Json j;
  j["classifiedIngress"] = ClassifiedJson(r.value().classified);
  j["groupID"] = r.value().group_id ? GroupIDJson(*r.value().group_id) : Json(nullptr);
  return ResultOut(j.dump());
}

CaseOutput Classify(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  auto env = MakeLoader(in, cfg);
  auto r = env->loader->ClassifyIngress(IngressArg(in, At(At(cfg, "unitArgs"), "ingress")));
  if (!r.ok()) return ErrorOut(r.error());
  Json j;
  j["classifiedIngress"] = ClassifiedJson(r.value().classified);
  j["matchesIngressClass"] = r.value().matches_ingress_class;
  return ResultOut(j.dump());
}

sc::ClassifiedIngress ClassifiedArg(const CaseInput& in, const Json& j) {
  sc::ClassifiedIngress ci;
  ci.ing = IngressArg(in, At(j, "ingress"));
  const Json& cls = At(j, "ingressClass");
  if (cls.is_object()) ci.ing_class_config.ing_class = mk::As<mk::IngressClass>(DocAt(in, At(cls, "documentIndex").get<size_t>()));
  const Json& params = At(j, "ingressClassParams");
  if (params.is_object()) {
    ci.ing_class_config.ing_class_params =
        mk::As<mk::IngressClassParams>(DocAt(in, At(params, "documentIndex").get<size_t>()));
  }
  return ci;
}

CaseOutput LoadGroupID(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  auto env = MakeLoader(in, cfg);
  auto r = env->loader->LoadGroupID(ClassifiedArg(in, At(At(cfg, "unitArgs"), "classifiedIngress")));
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"groupID", GroupIDJson(r.value())}}.dump());
}

CaseOutput ContainsFinalizer(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  auto env = MakeLoader(in, cfg);
  const Json& args = At(cfg, "unitArgs");
  auto ing = IngressArg(in, At(args, "ingress"));
  bool contains = env->loader->ContainsGroupFinalizer(GroupIDArg(At(args, "groupID")),
                                                      At(args, "finalizer").get<std::string>(), *ing);
  return ResultOut(Json{{"contains", contains}}.dump());
}

CaseOutput SortMembers(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  auto env = MakeLoader(in, cfg);
  std::vector<sc::ClassifiedIngress> members;
  for (const auto& m : At(At(cfg, "unitArgs"), "members")) members.push_back(ClassifiedArg(in, m));
  auto r = env->loader->SortGroupMembers(members);
  if (!r.ok()) return ErrorOut(r.error());
  Json arr = Json::array();
  for (const auto& m : r.value()) arr.push_back(ClassifiedJson(m));
  return ResultOut(Json{{"members", arr}}.dump());
}

CaseOutput ValidateName(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  Status st = sc::ValidateGroupName(At(At(cfg, "unitArgs"), "groupName").get<std::string>());
  if (!st.ok()) return ErrorOut(st.error());
  return ResultOut(R"({"error":null})");
}

// ---------------------------------------------------------------- class loader

struct ClassEnv {
  FakeClient client;
  std::unique_ptr<sc::ClassLoader> loader;
};

std::unique_ptr<ClassEnv> MakeClassLoader(const CaseInput& in, const Json& cfg) {
  auto env = std::make_unique<ClassEnv>();
  FillFakeClient(in, cfg, &env->client);
  const Json& cl = At(cfg, "classLoader");
  bool load_params = !cl.is_object() || !At(cl, "loadParams").is_boolean() || At(cl, "loadParams").get<bool>();
  env->loader = std::make_unique<sc::ClassLoader>(env->client, load_params);
  return env;
}

CaseOutput ClassLoad(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  auto env = MakeClassLoader(in, cfg);
  auto ing = IngressArg(in, At(At(cfg, "unitArgs"), "ingress"));
  if (!ing) return ErrorOut(MakeError(ErrorCode::kInternal, "no ingress argument"));
  auto r = env->loader->Load(std::make_shared<mk::Ingress>(*ing));
  if (!r.ok()) return ErrorOut(r.error());
  Json j;
  j["ingressClass"] = r.value().ing_class ? Json(r.value().ing_class->metadata.name) : Json(nullptr);
  j["ingressClassParams"] = r.value().ing_class_params ? Json(r.value().ing_class_params->metadata.name) : Json(nullptr);
  return ResultOut(j.dump());
}

CaseOutput NamespaceRestriction(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  auto env = MakeClassLoader(in, cfg);
  const Json& args = At(cfg, "unitArgs");
  auto ing = IngressArg(in, At(args, "ingress"));
  auto params = mk::As<mk::IngressClassParams>(DocAt(in, At(At(args, "ingressClassParams"), "documentIndex").get<size_t>()));
  if (!ing || !params) return ErrorOut(MakeError(ErrorCode::kInternal, "missing arguments"));
  std::optional<std::string> admission_ns;
  const Json& adm = At(args, "admissionRequest");
  if (adm.is_object()) admission_ns = At(adm, "namespace").get<std::string>();
  Status st = env->loader->ValidateIngressClassParamsNamespaceRestriction(*ing, *params, admission_ns);
  if (!st.ok()) return ErrorOut(st.error());
  return ResultOut(R"({"error":null})");
}

CaseOutput Matches(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  const Json& m = At(cfg, "classAnnotationMatcher");
  sc::ClassAnnotationMatcher matcher(At(m, "ingressClass").is_string() ? At(m, "ingressClass").get<std::string>() : "");
  bool ok = matcher.Matches(At(At(cfg, "unitArgs"), "ingClassAnnotation").get<std::string>());
  return ResultOut(Json{{"matches", ok}}.dump());
}

}  // namespace

void RegisterGroupLoaderHandlers(HandlerMap& m) {
  const std::string g = kGroupFile;
  m[g + "#Load"] = Load;
  m[g + "#LoadGroupIDsPendingFinalization"] = PendingFinalization;
  m[g + "#checkGroupMembershipType"] = CheckMembership;
  m[g + "#loadGroupIDIfAnyHelper"] = GroupIDIfAnyHelper;
  m[g + "#classifyIngress"] = Classify;
  m[g + "#loadGroupID"] = LoadGroupID;
  m[g + "#containsGroupFinalizer"] = ContainsFinalizer;
  m[g + "#sortGroupMembers"] = SortMembers;
  m[g + "#validateGroupName"] = ValidateName;
  m[std::string(kClassFile) + "#Load"] = ClassLoad;
  m[std::string(kClassFile) + "#validateIngressClassParamsNamespaceRestriction"] = NamespaceRestriction;
  m[std::string(kMatcherFile) + "#Matches"] = Matches;
}

}  // namespace sim::conformance
