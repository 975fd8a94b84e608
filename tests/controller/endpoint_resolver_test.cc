// Pieces of upstream pkg/backend/endpoint_resolver.go and endpoint_types.go.
#include "sim/controller/endpoint_resolver.h"

#include <doctest/doctest.h>

namespace sim::controller {
namespace {

TEST_SUITE("controller.endpoint_resolver") {

// The creation timestamp in a target's checkpoint identifier is Unix milliseconds (Go's
// Time.UnixMilli of the RFC 3339 text the API server stores).
TEST_CASE("RFC 3339 timestamps convert to Unix milliseconds across leap years and centuries") {
  CHECK(UnixMillis("1970-01-01T00:00:00Z") == 0);
  CHECK(UnixMillis("2026-01-01T00:00:05Z") == 1767225605000);
  CHECK(UnixMillis("2024-02-29T12:34:56Z") == 1709210096000);
  CHECK(UnixMillis("2000-03-01T00:00:00Z") == 951868800000);
  CHECK(UnixMillis("1999-12-31T23:59:59Z") == 946684799000);
  CHECK(UnixMillis("2100-03-01T00:00:00Z") == 4107542400000);
  // Not the API server's fixed-width form: read field by field all the same.
  CHECK(UnixMillis("2026-1-1T0:0:5Z") == 1767225605000);
  CHECK(UnixMillis("") == 0);
  CHECK(UnixMillis("yesterday") == 0);
}

TEST_CASE("a node port endpoint's identifier carries the node's creation time when asked") {
  auto node = std::make_shared<model::k8s::Node>();
  node->metadata.creation_timestamp = "2026-01-01T00:00:05Z";
  NodePortEndpoint e{"i-0abc", 30080, node};
  CHECK(e.GetIdentifier(false) == "i-0abc:30080");
  CHECK(e.GetIdentifier(true) == "i-0abc:30080:1767225605000");
}

}  // TEST_SUITE
}  // namespace
}  // namespace sim::controller
