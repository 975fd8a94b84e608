// Elbv2TaggingManager::ListTargetGroups (upstream pkg/deploy/elbv2/tagging_manager.go): every target
// group in the controller's VPC whose tags match a filter, in Describe order. The matching goes through
// an inverted (key, value) index over the tag cache; these cases check it against a plain scan of the
// fake's tags while tags change through the manager, out of band, and as the cache expires.

#include "sim/controller/tagging_manager.h"

#include <doctest/doctest.h>

#include "sim/k8s/fake_api_server.h"
#include "tests/aws/aws_test_world.h"

namespace sim::controller {
namespace {

namespace ma = model::aws;

struct World : aws::testing::TestWorld {
  k8s::FakeApiServer api{clock};
  DeployDeps deps{aws.elbv2(), aws.ec2(), api, clock, nullptr};
  Elbv2TaggingManager tagging{deps, "vpc-0test", {}};

  World() { REQUIRE(aws.ec2().AddVpc(ma::Vpc{"vpc-0other", "10.1.0.0/16"}).ok()); }

  std::string AddTg(const std::string& name, const std::string& vpc, const TagMap& tags) {
    aws::CreateTargetGroupRequest req;
    req.name = name;
    req.protocol = "HTTP";
    req.port = 80;
    req.vpc_id = vpc;
    for (const auto& [k, v] : tags) req.tags.push_back(ma::Tag{k, v});
    auto r = aws.elbv2().CreateTargetGroup(aws::ControllerCall(), req);
    REQUIRE(r.ok());
    return r.value().target_group_arn;
  }

  // The names ListTargetGroups returns, in order.
  std::vector<std::string> Listed(const std::vector<TagFilter>& filters) {
    auto r = tagging.ListTargetGroups(filters);
    REQUIRE(r.ok());
    std::vector<std::string> names;
    for (const auto& t : r.value()) names.push_back(t.target_group.target_group_name);
    return names;
  }

  // The same answer from the fake's current tags, in Describe order (what a fresh manager sees).
  std::vector<std::string> Scanned(const std::vector<TagFilter>& filters) {
    auto all = aws.elbv2().DescribeAllTargetGroups(aws::ControllerCall());
    REQUIRE(all.ok());
    std::vector<std::string> names;
    for (const auto& tg : all.value()) {
      if (tg->vpc_id.value_or("") != "vpc-0test") continue;
      aws::DescribeTagsRequest req;
      req.resource_arns = {tg->target_group_arn};
      auto tags = aws.elbv2().DescribeTags(aws::ControllerCall(), req);
      REQUIRE(tags.ok());
      TagMap m;
      for (const auto& t : tags.value().at(0).tags) m[t.key] = t.value;
      for (const auto& f : filters) {
        if (TagFilterMatches(f, m)) {
          names.push_back(tg->target_group_name);
          break;
        }
      }
    }
    return names;
  }

  void SetTagOutOfBand(const std::string& arn, const std::string& key, const std::string& value) {
    aws::AddTagsRequest req;
    req.resource_arns = {arn};
    req.tags = {ma::Tag{key, value}};
    REQUIRE(aws.elbv2().AddTags(aws::ControllerCall(), req).ok());
  }
};

TagMap StackTags(const std::string& stack) {
  return {{"elbv2.k8s.aws/cluster", "demo"}, {"ingress.k8s.aws/stack", stack}, {"ingress.k8s.aws/resource", "svc"}};
}

TagFilter StackFilter(const std::string& stack) {
  return {{"elbv2.k8s.aws/cluster", {"demo"}}, {"ingress.k8s.aws/stack", {stack}}};
}

}  // namespace

TEST_SUITE("controller.tagging") {

TEST_CASE("target groups are listed by their stack tags, in Describe order, only from the controller's VPC") {
  World w;
  w.AddTg("k8s-a-1", "vpc-0test", StackTags("a"));
  w.AddTg("k8s-b-1", "vpc-0test", StackTags("b"));
  w.AddTg("k8s-a-2", "vpc-0test", StackTags("a"));
  w.AddTg("k8s-a-other-vpc", "vpc-0other", StackTags("a"));
  w.AddTg("untagged", "vpc-0test", {});

  CHECK(w.Listed({StackFilter("a")}).size() == 2);
  CHECK(w.Listed({StackFilter("a")}) == w.Scanned({StackFilter("a")}));
  CHECK(w.Listed({StackFilter("b")}) == std::vector<std::string>{"k8s-b-1"});
  // Two filters: the union, in Describe order (by ARN in the fake, as AWS pages them).
  CHECK(w.Listed({StackFilter("a"), StackFilter("b")}).size() == 3);
  CHECK(w.Listed({StackFilter("a"), StackFilter("b")}) == w.Scanned({StackFilter("a"), StackFilter("b")}));
  CHECK(w.Listed({StackFilter("c")}).empty());
  // A filter with several accepted values, and one that only needs a key (matched by a scan).
  CHECK(w.Listed({TagFilter{{"ingress.k8s.aws/stack", {"b", "a"}}}}) == w.Scanned({TagFilter{{"ingress.k8s.aws/stack", {"b", "a"}}}}));
  CHECK(w.Listed({TagFilter{{"ingress.k8s.aws/stack", {}}}}).size() == 3);
  CHECK(w.Listed({TagFilter{{"ingress.k8s.aws/stack", {}}}}) == w.Scanned({TagFilter{{"ingress.k8s.aws/stack", {}}}}));
  // An empty filter matches every target group of the VPC, untagged ones too.
  CHECK(w.Listed({TagFilter{}}).size() == 4);
  CHECK(w.Listed({TagFilter{}}) == w.Scanned({TagFilter{}}));
}

TEST_CASE("a tag changed through the manager moves the target group to its new stack at once") {
  World w;
  const std::string a1 = w.AddTg("k8s-a-1", "vpc-0test", StackTags("a"));
  w.AddTg("k8s-a-2", "vpc-0test", StackTags("a"));
  REQUIRE(w.Listed({StackFilter("a")}).size() == 2);  // both cached now

  REQUIRE(w.tagging.ReconcileTags(a1, StackTags("b"), {}).ok());
  CHECK(w.Listed({StackFilter("a")}) == std::vector<std::string>{"k8s-a-2"});
  CHECK(w.Listed({StackFilter("b")}) == std::vector<std::string>{"k8s-a-1"});
  CHECK(w.Listed({StackFilter("b")}) == w.Scanned({StackFilter("b")}));
}

TEST_CASE("an out-of-band tag change is seen when the 20-minute tag cache expires, as upstream sees it") {
  World w;
  const std::string a1 = w.AddTg("k8s-a-1", "vpc-0test", StackTags("a"));
  REQUIRE(w.Listed({StackFilter("a")}) == std::vector<std::string>{"k8s-a-1"});

  w.SetTagOutOfBand(a1, "ingress.k8s.aws/stack", "b");
  CHECK(w.Listed({StackFilter("a")}) == std::vector<std::string>{"k8s-a-1"});  // cached tags
  CHECK(w.Listed({StackFilter("b")}).empty());

  w.AdvanceSeconds(20 * 60);
  CHECK(w.Listed({StackFilter("a")}).empty());
  CHECK(w.Listed({StackFilter("b")}) == std::vector<std::string>{"k8s-a-1"});
}

TEST_CASE("a deleted target group is no longer listed though its tags are still cached") {
  World w;
  const std::string a1 = w.AddTg("k8s-a-1", "vpc-0test", StackTags("a"));
  w.AddTg("k8s-a-2", "vpc-0test", StackTags("a"));
  REQUIRE(w.Listed({StackFilter("a")}).size() == 2);
  REQUIRE(w.aws.elbv2().DeleteTargetGroup(aws::ControllerCall(), a1).ok());
  CHECK(w.Listed({StackFilter("a")}) == std::vector<std::string>{"k8s-a-2"});
}

TEST_CASE("many stacks: every stack's listing equals a plain scan, before and after re-tagging half of them") {
  World w;
  std::vector<std::string> arns;
  for (int i = 0; i < 60; ++i) {
    arns.push_back(w.AddTg("k8s-tg-" + std::to_string(i), i % 7 == 0 ? "vpc-0other" : "vpc-0test",
                           StackTags("s" + std::to_string(i % 6))));
  }
  for (int s = 0; s < 6; ++s) CHECK(w.Listed({StackFilter("s" + std::to_string(s))}) == w.Scanned({StackFilter("s" + std::to_string(s))}));
  for (int i = 0; i < 60; i += 2) REQUIRE(w.tagging.ReconcileTags(arns[i], StackTags("s" + std::to_string((i + 1) % 6)), {}).ok());
  for (int s = 0; s < 6; ++s) {
    const auto listed = w.Listed({StackFilter("s" + std::to_string(s))});
    CHECK(listed == w.Scanned({StackFilter("s" + std::to_string(s))}));
    if (s % 2 == 0) CHECK(listed.empty());
  }
}

TEST_CASE("listing after creations, modifications and long runs of deletions: a plain scan's answer, tags described once") {
  World w;
  std::vector<std::string> arns;
  auto add = [&](int i) {  // every 11th outside the controller's VPC
    arns.push_back(w.AddTg("k8s-tg-" + std::to_string(1000 + i), i % 11 == 0 ? "vpc-0other" : "vpc-0test",
                           StackTags("s" + std::to_string(i % 5))));
  };
  // Listed, and the DescribeTags calls that listing made.
  auto listed = [&](int stack) {
    const size_t before = w.aws.log().Count("DescribeTags");
    auto names = w.Listed({StackFilter("s" + std::to_string(stack))});
    return std::make_pair(names, w.aws.log().Count("DescribeTags") - before);
  };
  auto scanned = [&](int stack) { return w.Scanned({StackFilter("s" + std::to_string(stack))}); };
  // Every stack's listing equals the scan; the first listing after a change describes `first_calls`.
  auto check_all = [&](int step, size_t first_calls) {
    CAPTURE(step);
    for (int s = 0; s < 5; ++s) {
      auto [names, calls] = listed(s);
      CHECK(names == scanned(s));
      CHECK(calls == (s == 0 ? first_calls : 0));
    }
  };
  for (int i = 0; i < 200; ++i) add(i);
  check_all(0, 10);  // 181 ARNs in the VPC, in chunks of 20
  // New target groups: one call for them.
  for (int i = 200; i < 203; ++i) add(i);
  check_all(1, 1);
  // Modified objects (same ARNs): still cached.
  for (int i = 0; i < 200; i += 9) {
    aws::ModifyTargetGroupRequest req;
    req.target_group_arn = arns[i];
    req.health_check_path = "/changed";
    REQUIRE(w.aws.elbv2().ModifyTargetGroup(aws::ControllerCall(), req).ok());
  }
  check_all(2, 0);
  // A long run deleted (longer than the alignment looks ahead), then single ones, then new ones.
  for (int i = 40; i < 120; ++i) REQUIRE(w.aws.elbv2().DeleteTargetGroup(aws::ControllerCall(), arns[i]).ok());
  for (int i = 150; i < 200; i += 13) REQUIRE(w.aws.elbv2().DeleteTargetGroup(aws::ControllerCall(), arns[i]).ok());
  check_all(3, 0);
  for (int i = 203; i < 206; ++i) add(i);
  check_all(4, 1);
  // Re-tagged through the manager (its cache entry goes), and the cache expiring.
  REQUIRE(w.tagging.ReconcileTags(arns[1], StackTags("s4"), {}).ok());
  check_all(5, 1);
  CHECK(listed(4).first.front() == "k8s-tg-1001");
  w.AdvanceSeconds(20 * 60);
  check_all(6, 6);  // 181 + 6 new - 76 deleted = 111 ARNs in the VPC
}

}  // TEST_SUITE
}  // namespace sim::controller
