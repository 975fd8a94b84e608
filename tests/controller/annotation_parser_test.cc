// Annotation parsing with upstream's exact error texts (pkg/annotations/parser.go).
#include "sim/controller/annotation_parser.h"

#include <doctest/doctest.h>

#include "sim/controller/config_types.h"

namespace sim::controller {
namespace {

const AnnotationParser kParser("alb.ingress.kubernetes.io");

TEST_SUITE("controller.annotations") {
TEST_CASE("strings are read by suffix and an empty value counts as present") {
  std::string v = "default";
  CHECK_FALSE(kParser.ParseString("scheme", &v, {}));
  CHECK(v == "default");
  CHECK(kParser.ParseString("scheme", &v, {{"alb.ingress.kubernetes.io/scheme", ""}}));
  CHECK(v.empty());
  CHECK_FALSE(kParser.ParseString("scheme", &v, {{"other.io/scheme", "x"}}));
}

TEST_CASE("bools accept Go ParseBool spellings and report Go's error") {
  bool b = false;
  CHECK(kParser.ParseBool("x", &b, {{"alb.ingress.kubernetes.io/x", "T"}}).value());
  CHECK(b);
  auto r = kParser.ParseBool("x", &b, {{"alb.ingress.kubernetes.io/x", "yes"}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "failed to parse bool annotation, alb.ingress.kubernetes.io/x: yes: strconv.ParseBool: parsing \"yes\": invalid syntax");
}

TEST_CASE("int32 parsing reports syntax and range errors") {
  int32_t v = 0;
  CHECK(kParser.ParseInt32("group.order", &v, {{"alb.ingress.kubernetes.io/group.order", "-12"}}).value());
  CHECK(v == -12);
  auto syntax = kParser.ParseInt32("group.order", &v, {{"alb.ingress.kubernetes.io/group.order", "x"}});
  REQUIRE_FALSE(syntax.ok());
  CHECK(syntax.error().message ==
        "failed to parse int32 annotation, alb.ingress.kubernetes.io/group.order: x: strconv.ParseInt: parsing \"x\": "
        "invalid syntax");
  auto range = kParser.ParseInt32("group.order", &v, {{"alb.ingress.kubernetes.io/group.order", "2147483648"}});
  REQUIRE_FALSE(range.ok());
  CHECK(range.error().message ==
        "failed to parse int32 annotation, alb.ingress.kubernetes.io/group.order: 2147483648: strconv.ParseInt: parsing "
        "\"2147483648\": value out of range");
  CHECK(kParser.ParseInt32("group.order", &v, {{"alb.ingress.kubernetes.io/group.order", "-2147483648"}}).ok());
  CHECK(v == INT32_MIN);
}

TEST_CASE("string lists trim spaces and drop empty items") {
  std::vector<std::string> v;
  CHECK(kParser.ParseStringSlice("subnets", &v, {{"alb.ingress.kubernetes.io/subnets", " a, ,b ,, c"}}));
  CHECK(v == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("string maps honour escaped commas and report malformed input") {
  std::map<std::string, std::string> m;
  auto ok = kParser.ParseStringMap(
      "tags", &m, {{"alb.ingress.kubernetes.io/tags", "key1=value1\\,valueOne, key2= value2, key4/empty-value="}});
  REQUIRE(ok.ok());
  CHECK(m == std::map<std::string, std::string>{{"key1", "value1,valueOne"}, {"key2", "value2"}, {"key4/empty-value", ""}});
  auto bad = kParser.ParseStringMap("tags", &m, {{"alb.ingress.kubernetes.io/tags", "k1=v1, k2"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "failed to parse stringMap annotation, alb.ingress.kubernetes.io/tags: k1=v1, k2");
  auto empty_key = kParser.ParseStringMap("tags", &m, {{"alb.ingress.kubernetes.io/tags", "=v"}});
  CHECK_FALSE(empty_key.ok());
}

TEST_CASE("json annotations wrap Go encoding/json errors") {
  ing::JwtValidationConfig cfg;
  auto r = kParser.ParseJSON(
      "jwt-validation", [&](const std::string& raw) { return ing::DecodeJson(raw, &cfg); },
      {{"alb.ingress.kubernetes.io/jwt-validation", "{\"issuer\":\"x\""}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "failed to parse json annotation, alb.ingress.kubernetes.io/jwt-validation: {\"issuer\":\"x\": unexpected end of "
        "JSON input");
}

TEST_CASE("json decoding matches field names case-insensitively and re-validates actions") {
  ing::Action a;
  REQUIRE(ing::DecodeJson(R"({"Type":"forward","ForwardConfig":{"TargetGroups":[{"ServiceName":"s","ServicePort":"80"}]}})", &a).ok());
  CHECK(a.type == "forward");
  REQUIRE(a.forward_config.has_value());
  REQUIRE(a.forward_config->target_groups->size() == 1);
  CHECK((*a.forward_config->target_groups)[0].service_port->is_string);
  ing::Action missing;
  missing.type = "redirect";
  CHECK(missing.Validate().error().message == "missing RedirectConfig");
  ing::Action unknown;
  unknown.type = "teleport";
  CHECK(unknown.Validate().error().message == "unknown action type: teleport");
}
}

}  // namespace
}  // namespace sim::controller
