// Conformance handlers for upstream pkg/ingress/model_build_listener_rules_test.go,
// rule_optimizer_test.go and model_build_actions_test.go (corpus listener-rules/).
#include <nlohmann/json.hpp>

#include "sim/conformance/internal.h"
#include "sim/conformance/model_json.h"
#include "sim/conformance/task_setup.h"
#include "sim/controller/stack_marshaller.h"

namespace sim::conformance {

namespace mk = model::k8s;
namespace ms = model::stack;
namespace sc = sim::controller;
using Json = nlohmann::json;

namespace {

constexpr const char* kRulesFile = "pkg/ingress/model_build_listener_rules_test.go";
constexpr const char* kOptimizerFile = "pkg/ingress/rule_optimizer_test.go";
constexpr const char* kActionsFile = "pkg/ingress/model_build_actions_test.go";

const Json& At(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

Json Args(const CaseInput& in) { return At(Json::parse(in.config_json), "unitArgs"); }

std::vector<mk::HttpIngressPath> Paths(const Json& j) {
  std::vector<mk::HttpIngressPath> out;
  if (!j.is_array()) return out;
  for (const auto& p : j) {
    mk::HttpIngressPath path;
    if (At(p, "path").is_string()) path.path = At(p, "path").get<std::string>();
    if (At(p, "pathType").is_string()) path.path_type = At(p, "pathType").get<std::string>();
    out.push_back(path);
  }
  return out;
}

Json PathsJson(const std::vector<mk::HttpIngressPath>& paths, bool nil_when_empty) {
  if (paths.empty() && nil_when_empty) return nullptr;
  Json a = Json::array();
  for (const auto& p : paths) {
    Json o;
    o["path"] = p.path;
    if (p.path_type) o["pathType"] = *p.path_type;
    a.push_back(o);
  }
  return a;
}

Json OptStrs(const std::optional<std::vector<std::string>>& v) { return v ? Json(*v) : Json(nullptr); }

std::vector<ms::RuleCondition> Conditions(const Json& j) {
  std::vector<ms::RuleCondition> out;
  if (!j.is_array()) return out;
  for (const auto& c : j) out.push_back(ParseModelRuleCondition(c.dump()).value());
  return out;
}

std::vector<ms::Action> Actions(const Json& j) {
  std::vector<ms::Action> out;
  if (!j.is_array()) return out;
  for (const auto& a : j) out.push_back(ParseModelAction(a.dump()).value());
  return out;
}

sc::Rule RuleArg(const Json& j) {
  sc::Rule r;
  r.conditions = Conditions(At(j, "conditions"));
  r.actions = Actions(At(j, "actions"));
  if (At(j, "transforms").is_array()) {
    for (const auto& t : At(j, "transforms")) r.transforms.push_back(ParseModelTransform(t.dump()).value());
  }
  if (At(j, "tags").is_object()) {
    for (auto it = At(j, "tags").begin(); it != At(j, "tags").end(); ++it) r.tags[it.key()] = it.value().get<std::string>();
  }
  return r;
}

Json RuleJson(const sc::Rule& r) {
  Json j = Json::object();
  Json c = Json::array();
  for (const auto& x : r.conditions) c.push_back(Json::parse(sc::ToJson(x)));
  j["conditions"] = c;
  Json a = Json::array();
  for (const auto& x : r.actions) a.push_back(Json::parse(sc::ToJsonUnredacted(x)));
  j["actions"] = a;
  if (!r.transforms.empty()) {
    Json t = Json::array();
    for (const auto& x : r.transforms) t.push_back(Json::parse(sc::ToJson(x)));
    j["transforms"] = t;
  }
  if (!r.tags.empty()) j["tags"] = r.tags;
  return j;
}

sc::ClassifiedIngress IngArg(const CaseInput& in, const Json& j) {
  sc::ClassifiedIngress ci;
  if (j.is_object() && At(j, "documentIndex").is_number()) {
    ci.ing = mk::As<mk::Ingress>(NthOfKind(in, mk::Kind::kIngress, At(j, "documentIndex").get<size_t>()));
  }
  return ci;
}

// ---- model_build_listener_rules_test.go

CaseOutput SortPaths(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  auto r = task->SortIngressPaths(Paths(At(Args(in), "paths")));
  Json j;
  j["paths"] = r.ok() ? PathsJson(r.value(), true) : Json(nullptr);  // upstream drops the error
  return ResultOut(j.dump());
}

CaseOutput ClassifyPaths(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  auto r = task->ClassifyIngressPathsByType(Paths(At(Args(in), "paths")));
  if (!r.ok()) return ErrorOut(r.error());
  Json j;
  j["exactPaths"] = PathsJson(r.value().exact, true);
  j["prefixPaths"] = PathsJson(r.value().prefix, true);
  j["implementationSpecificPaths"] = PathsJson(r.value().implementation_specific, true);
  return ResultOut(j.dump());
}

CaseOutput PathPatterns(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  const Json args = Args(in);
  std::optional<std::string> type;
  if (At(args, "pathType").is_string()) type = At(args, "pathType").get<std::string>();
  auto r = task->BuildPathPatterns(IngArg(in, At(args, "ing")), At(args, "path").get<std::string>(), type);
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"values", OptStrs(r.value().values)}}.dump());
}

CaseOutput ImplSpecific(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  const Json args = Args(in);
  auto r = task->BuildPathPatternsForImplementationSpecificPathType(IngArg(in, At(args, "ing")),
                                                                    At(args, "path").get<std::string>());
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"values", OptStrs(r.value().values)}, {"regexValues", OptStrs(r.value().regex_values)}}.dump());
}

CaseOutput ExactPath(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  auto r = task->BuildPathPatternsForExactPathType(At(Args(in), "path").get<std::string>());
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"values", OptStrs(r.value().values)}}.dump());
}

CaseOutput PrefixPath(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  auto r = task->BuildPathPatternsForPrefixPathType(At(Args(in), "path").get<std::string>());
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"values", OptStrs(r.value().values)}}.dump());
}

CaseOutput Transforms(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  auto backend = ParseEnhancedBackend(At(Args(in), "backend").dump());
  if (!backend.ok()) return ErrorOut(backend.error());
  auto r = task->BuildTransforms(backend.value());
  if (!r.ok()) return ErrorOut(r.error());
  Json a = Json::array();
  for (const auto& t : r.value()) a.push_back(Json::parse(sc::ToJson(t)));
  return ResultOut(Json{{"transforms", a}}.dump());
}

CaseOutput RuleConditions(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  const Json args = Args(in);
  mk::IngressRule rule;
  if (At(At(args, "rule"), "host").is_string()) rule.host = At(At(args, "rule"), "host").get<std::string>();
  auto paths = Paths(Json::array({At(args, "path")}));
  auto backend = ParseEnhancedBackend(At(args, "backend").dump());
  if (!backend.ok()) return ErrorOut(backend.error());
  auto r = task->BuildRuleConditions(IngArg(in, At(args, "ing")), rule, paths[0], backend.value());
  if (!r.ok()) return ErrorOut(r.error());
  Json a = Json::array();
  for (const auto& c : r.value()) a.push_back(Json::parse(sc::ToJson(c)));
  return ResultOut(Json{{"conditions", a}}.dump());
}

CaseOutput RuleTags(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  auto r = task->BuildListenerRuleTags(IngArg(in, At(Args(in), "ing")));
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"tags", Json(r.value())}}.dump());
}

// ---- rule_optimizer_test.go

CaseOutput Optimize(const CaseInput& in) {
  const Json args = Args(in);
  std::vector<sc::Rule> rules;
  for (const auto& r : At(args, "rules")) rules.push_back(RuleArg(r));
  sc::RuleOptimizer opt;
  auto out = opt.Optimize(At(args, "port").get<int32_t>(), At(args, "protocol").get<std::string>(), rules);
  Json a = Json::array();
  for (const auto& r : out) a.push_back(RuleJson(r));
  return ResultOut(Json{{"rules", out.empty() ? Json(nullptr) : a}}.dump());
}

CaseOutput InfiniteRedirect(const CaseInput& in) {
  const Json args = Args(in);
  bool v = sc::IsInfiniteRedirectRule(At(args, "port").get<int32_t>(), At(args, "protocol").get<std::string>(),
                                      RuleArg(At(args, "rule")));
  return ResultOut(Json{{"infiniteRedirect", v}}.dump());
}

CaseOutput Superset(const CaseInput& in) {
  const Json args = Args(in);
  bool v = sc::IsSupersetConditions(Conditions(At(args, "lhsConditions")), Conditions(At(args, "rhsConditions")));
  return ResultOut(Json{{"superset", v}}.dump());
}

CaseOutput FindRedirect(const CaseInput& in) {
  auto actions = Actions(At(Args(in), "actions"));
  const ms::RedirectActionConfig* cfg = sc::FindRedirectActionConfig(actions);
  return ResultOut(Json{{"redirectConfig", cfg ? Json::parse(sc::ToJson(*cfg)) : Json(nullptr)}}.dump());
}

// ---- model_build_actions_test.go

CaseOutput OIDCAction(const CaseInput& in) {
  TaskEnv env;
  for (const auto& obj : in.objects) env.client.Put(*obj);
  auto task = MakeTask(in, &env);
  const Json args = Args(in);
  auto auth = ParseAuthConfig(At(args, "authCfg").dump());
  if (!auth.ok()) return ErrorOut(auth.error());
  auto r = task->BuildAuthenticateOIDCAction(At(args, "namespace").get<std::string>(), auth.value());
  if (!r.ok()) return ErrorOut(r.error());
  return ResultOut(Json{{"action", Json::parse(sc::ToJsonUnredacted(r.value()))}}.dump());
}

CaseOutput JwtAction(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  const Json args = Args(in);
  const Json& cfg = At(args, "jwtValidationConfig");
  std::optional<sc::ing::JwtValidationConfig> jwt;
  if (cfg.is_object()) {
    sc::ing::JwtValidationConfig c;
    Status st = sc::ing::DecodeJson(cfg.dump(), &c);
    if (!st.ok()) return ErrorOut(st.error());
    jwt = c;
  }
  auto a = task->BuildJwtValidationAction(jwt);
  return ResultOut(Json{{"action", a ? Json::parse(sc::ToJson(*a)) : Json(nullptr)}}.dump());
}

CaseOutput SSLRedirectAction(const CaseInput& in) {
  TaskEnv env;
  auto task = MakeTask(in, &env);
  const Json args = Args(in);
  const Json& cfg = At(args, "sslRedirectConfig");
  sc::SSLRedirectConfig c{At(cfg, "sslPort").get<int32_t>(), At(cfg, "statusCode").get<std::string>()};
  return ResultOut(Json{{"action", Json::parse(sc::ToJson(task->BuildSSLRedirectAction(c)))}}.dump());
}

CaseOutput ForwardAction(const CaseInput& in) {
  const Json cfg = Json::parse(in.config_json);
  TaskEnv env;
  auto task = MakeTask(in, &env);
  // ELBv2 DescribeTargetGroupsAsList mock matched on the exact request.
  struct Expect {
    std::vector<std::string> names;
    Result<std::vector<model::aws::TargetGroup>> ret = std::vector<model::aws::TargetGroup>{};
  };
  auto expects = std::make_shared<std::vector<Expect>>();
  for (const auto& e : At(At(cfg, "aws"), "describeTargetGroupsAsList")) {
    Expect x;
    for (const auto& n : At(At(e, "request"), "names")) x.names.push_back(n.get<std::string>());
    if (!At(e, "error").is_null()) {
      x.ret = MakeError(ErrorCode::kInternal, At(e, "error").dump());
    } else {
      std::vector<model::aws::TargetGroup> tgs;
      for (const auto& t : At(e, "response")) {
        model::aws::TargetGroup tg;
        tg.target_group_arn = At(t, "targetGroupArn").get<std::string>();
        tgs.push_back(tg);
      }
      x.ret = tgs;
    }
    expects->push_back(x);
  }
  auto problems = std::make_shared<std::string>();
  sc::DefaultTargetGroupARNMapper mapper([expects, problems](const aws::DescribeTargetGroupsRequest& req)
                                             -> Result<std::vector<model::aws::TargetGroup>> {
    for (auto it = expects->begin(); it != expects->end(); ++it) {
      if (it->names == req.names) {
        auto r = it->ret;
        expects->erase(it);
        return r;
      }
    }
    *problems += "unexpected DescribeTargetGroupsAsList call";
    return MakeError(ErrorCode::kInternal, "unexpected call to DescribeTargetGroupsAsList");
  });
  const Json& cache = At(At(cfg, "builder"), "targetGroupNameCache");
  if (cache.is_object()) {
    for (auto it = cache.begin(); it != cache.end(); ++it) mapper.cache()[it.key()] = it.value().get<std::string>();
  }
  task->deps.tg_arn_mapper = &mapper;
  sc::ing::Action action;
  Status st = sc::ing::DecodeJson(At(At(cfg, "unitArgs"), "action").dump(), &action);
  if (!st.ok()) return ErrorOut(st.error());
  auto r = task->BuildForwardAction(IngArg(in, At(At(cfg, "unitArgs"), "ingress")), action);
  CaseOutput out;
  if (!r.ok()) {
    out.error = r.error();
  } else {
    out.result_json = Json{{"action", Json::parse(sc::ToJson(r.value()))}, {"targetGroupNameCache", mapper.cache()}}.dump();
  }
  if (!expects->empty()) *problems += "missing DescribeTargetGroupsAsList call(s)";
  out.mock_failure = *problems;
  return out;
}

}  // namespace

void RegisterListenerRulesHandlers(HandlerMap& m) {
  const std::string r = kRulesFile;
  m[r + "#sortIngressPaths"] = SortPaths;
  m[r + "#classifyIngressPathsByType"] = ClassifyPaths;
  m[r + "#buildPathPatterns"] = PathPatterns;
  m[r + "#buildPathPatternsForImplementationSpecificPathType"] = ImplSpecific;
  m[r + "#buildPathPatternsForExactPathType"] = ExactPath;
  m[r + "#buildPathPatternsForPrefixPathType"] = PrefixPath;
  m[r + "#buildTransforms"] = Transforms;
  m[r + "#buildRuleConditions"] = RuleConditions;
  m[r + "#buildListenerRuleTags"] = RuleTags;
  const std::string o = kOptimizerFile;
  m[o + "#Optimize"] = Optimize;
  m[o + "#isInfiniteRedirectRule"] = InfiniteRedirect;
  m[o + "#isSupersetConditions"] = Superset;
  m[o + "#findRedirectActionConfig"] = FindRedirect;
  const std::string a = kActionsFile;
  m[a + "#buildAuthenticateOIDCAction"] = OIDCAction;
  m[a + "#buildJwtValidationAction"] = JwtAction;
  m[a + "#buildSSLRedirectAction"] = SSLRedirectAction;
  m[a + "#buildForwardAction"] = ForwardAction;
}

}  // namespace sim::conformance
