// What simulated pods answer to ALB health checks (sim/traffic/health_probe.h).
#include <doctest/doctest.h>

#include "sim/traffic/health_probe.h"

namespace sim::traffic {
namespace {

TEST_SUITE("traffic.health") {
TEST_CASE("matchers accept single codes, lists and ranges") {
  CHECK(MatcherAccepts("200", 200));
  CHECK_FALSE(MatcherAccepts("200", 204));
  CHECK(MatcherAccepts("200,204", 204));
  CHECK(MatcherAccepts("200-299", 250));
  CHECK_FALSE(MatcherAccepts("200-299", 302));
  CHECK(MatcherAccepts("", 200));  // default HttpCode 200
}
TEST_CASE("a pod answers 200 unless its annotations script failing paths") {
  std::map<std::string, std::string> a;
  CHECK(PodAnswer(a, "/healthz") == 200);
  a[kFailingPathsAnnotation] = "/healthz, /ready*";
  CHECK(PodAnswer(a, "/healthz") == 500);
  CHECK(PodAnswer(a, "/readyz") == 500);
  CHECK(PodAnswer(a, "/") == 200);
  a[kFailingStatusAnnotation] = "503";
  CHECK(PodAnswer(a, "/healthz") == 503);
  a[kFailingStatusAnnotation] = "timeout";
  CHECK(PodAnswer(a, "/healthz") == 0);
}
}

}  // namespace
}  // namespace sim::traffic
