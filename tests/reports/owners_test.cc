#include <doctest/doctest.h>

#include "reports/owners.h"

namespace sim::reports {
namespace {

TEST_SUITE("reports.owners") {
TEST_CASE("owners are read from the controller's tags, and untagged resources have none") {
  const std::string aws = R"({
    "Tags": {
      "arn:lb": [{"Key": "elbv2.k8s.aws/cluster", "Value": "demo"}, {"Key": "ingress.k8s.aws/stack", "Value": "default/hello"},
                 {"Key": "ingress.k8s.aws/resource", "Value": "LoadBalancer"}],
      "arn:tg": [{"Key": "elbv2.k8s.aws/cluster", "Value": "demo"}, {"Key": "ingress.k8s.aws/stack", "Value": "shop"},
                 {"Key": "ingress.k8s.aws/resource", "Value": "default/shop-api:80"}],
      "arn:hand-made": [{"Key": "team", "Value": "web"}]
    },
    "SecurityGroups": [
      {"GroupId": "sg-1", "Tags": [{"Key": "elbv2.k8s.aws/cluster", "Value": "demo"}, {"Key": "elbv2.k8s.aws/resource", "Value": "backend-sg"}]},
      {"GroupId": "sg-2", "Tags": [{"Key": "kubernetes.io/cluster/demo", "Value": "owned"}]}
    ]})";
  auto owners = OwnersByTags(aws);
  CHECK(owners["arn:lb"] == "Ingress default/hello");
  CHECK(owners["arn:tg"] == "IngressGroup shop (resource default/shop-api:80)");
  CHECK(owners["sg-1"] == "shared backend security group (cluster demo)");
  CHECK(owners.count("arn:hand-made") == 0);
  CHECK(owners.count("sg-2") == 0);
  CHECK(OwnersByTags("not json").empty());
}
}

}  // namespace
}  // namespace sim::reports
