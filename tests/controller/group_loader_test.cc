// Group identity, membership and ordering (upstream pkg/ingress/group_loader.go), on the real
// fake API server.
#include "sim/controller/group_loader.h"

#include <doctest/doctest.h>

#include "sim/base/clock.h"
#include "sim/k8s/fake_api_server.h"

namespace sim::controller {
namespace {

namespace mk = model::k8s;

std::shared_ptr<mk::Ingress> Ing(const std::string& ns, const std::string& name,
                                 std::map<std::string, std::string> annotations = {}) {
  auto ing = std::make_shared<mk::Ingress>();
  ing->metadata.namespace_ = ns;
  ing->metadata.name = name;
  ing->metadata.annotations = std::move(annotations);
  mk::IngressBackend backend;
  backend.service = mk::IngressServiceBackend{"svc", mk::ServiceBackendPort{"", 80}};
  ing->default_backend = backend;  // the API server requires defaultBackend or rules
  return ing;
}

// follow: the loader is fed the Ingress writes (as the group controller does) instead of listing.
struct Fixture {
  explicit Fixture(bool follow = false) {
    if (!follow) return;
    watch = api.Watch(mk::Kind::kIngress, [this](const k8s::WatchEvent& ev) { loader.OnIngressWrite(ev); });
    loader.FollowWrites();
  }
  ~Fixture() {
    if (watch != 0) api.Unwatch(watch);
  }
  SimClock clock;
  k8s::FakeApiServer api{clock};
  AnnotationParser parser{"alb.ingress.kubernetes.io"};
  ClassLoader class_loader{api, true};
  ClassAnnotationMatcher matcher{"alb"};
  GroupLoader loader{api, parser, class_loader, matcher, false};
  k8s::KubeApi::WatchId watch = 0;
};

// Runs the enclosing test case once listing and once following writes.
#define BOTH_LOAD_MODES(follow)             \
  bool follow = false;                      \
  SUBCASE("listing every Ingress") {}       \
  SUBCASE("following Ingress writes") { follow = true; }

TEST_SUITE("controller.group_loader") {
TEST_CASE("members sort by group.order, then by namespace/name") {
  Fixture f;
  std::vector<ClassifiedIngress> members = {
      {Ing("ns", "c"), {}},
      {Ing("ns", "b", {{"alb.ingress.kubernetes.io/group.order", "-5"}}), {}},
      {Ing("ns", "a", {{"alb.ingress.kubernetes.io/group.order", "10"}}), {}},
      {Ing("ms", "z"), {}},
  };
  auto sorted = f.loader.SortGroupMembers(members);
  REQUIRE(sorted.ok());
  std::vector<std::string> names;
  for (const auto& m : sorted.value()) names.push_back(NamespacedName(*m.ing));
  CHECK(names == std::vector<std::string>{"ns/b", "ms/z", "ns/c", "ns/a"});
}

TEST_CASE("an explicit group order outside [-1000, 1000] is rejected") {
  Fixture f;
  auto r = f.loader.SortGroupMembers({{Ing("ns", "a", {{"alb.ingress.kubernetes.io/group.order", "1001"}}), {}}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "explicit Ingress group order must be within [-1000:1000], Ingress: ns/a, order: 1001");
}

TEST_CASE("group names follow the DNS-label rule") {
  CHECK(ValidateGroupName("a.b-c").ok());
  CHECK(ValidateGroupName(std::string(63, 'a')).ok());
  CHECK(ValidateGroupName(std::string(64, 'a')).error().message == "groupName must be no more than 63 characters");
  CHECK_FALSE(ValidateGroupName("-a").ok());
  CHECK_FALSE(ValidateGroupName("").ok());
  CHECK(ValidateGroupName("a").ok());
  CHECK(ValidateGroupName("9").ok());
  CHECK(ValidateGroupName("a..b").ok());
  CHECK_FALSE(ValidateGroupName("a.").ok());
  CHECK_FALSE(ValidateGroupName("a-").ok());
  CHECK_FALSE(ValidateGroupName(".").ok());
  CHECK_FALSE(ValidateGroupName("Ab").ok());
  CHECK_FALSE(ValidateGroupName("a_b").ok());
  CHECK_FALSE(ValidateGroupName("a b").ok());
  CHECK(ValidateGroupName("a/b").error().message ==
        "groupName must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
        "alphanumeric character");
}

TEST_CASE("the class annotation selects Ingresses and an explicit group.name makes an explicit group") {
  Fixture f;
  auto mine = Ing("default", "web", {{"kubernetes.io/ingress.class", "alb"},
                                     {"alb.ingress.kubernetes.io/group.name", "shared"}});
  auto other = Ing("default", "nginx", {{"kubernetes.io/ingress.class", "nginx"}});
  auto implicit = Ing("default", "api", {{"kubernetes.io/ingress.class", "alb"}});
  REQUIRE(f.api.Create(*mine).ok());
  REQUIRE(f.api.Create(*other).ok());
  REQUIRE(f.api.Create(*implicit).ok());

  auto id = f.loader.LoadGroupIDIfAny(mine);
  REQUIRE(id.ok());
  CHECK(id.value() == GroupID::Explicit("shared"));
  CHECK_FALSE(f.loader.LoadGroupIDIfAny(other).value().has_value());
  CHECK(f.loader.LoadGroupIDIfAny(implicit).value() == GroupID::Implicit("default", "api"));

  auto group = f.loader.Load(GroupID::Explicit("shared"));
  REQUIRE(group.ok());
  REQUIRE(group.value().members.size() == 1);
  CHECK(group.value().members[0].ing->metadata.name == "web");
  CHECK(group.value().inactive_members.empty());
}

TEST_CASE("an Ingress that left the group but holds its finalizer is an inactive member") {
  BOTH_LOAD_MODES(follow);
  Fixture f(follow);
  auto left = Ing("default", "old", {{"kubernetes.io/ingress.class", "alb"}});
  left->metadata.finalizers = {"group.ingress.k8s.aws/shared"};
  REQUIRE(f.api.Create(*left).ok());
  auto group = f.loader.Load(GroupID::Explicit("shared"));
  REQUIRE(group.ok());
  CHECK(group.value().members.empty());
  REQUIRE(group.value().inactive_members.size() == 1);
  CHECK(group.value().inactive_members[0]->metadata.name == "old");
  auto ids = f.loader.LoadGroupIDsPendingFinalization(*left);
  REQUIRE(ids.size() == 1);
  CHECK(ids[0] == GroupID::Explicit("shared"));
}

TEST_CASE("inactive membership follows the finalizers an Ingress holds, load after load") {
  BOTH_LOAD_MODES(follow);
  Fixture f(follow);
  auto web = Ing("default", "web", {{"kubernetes.io/ingress.class", "alb"}, {"alb.ingress.kubernetes.io/group.name", "new"}});
  web->metadata.finalizers = {"group.ingress.k8s.aws/old", kImplicitGroupFinalizer};
  REQUIRE(f.api.Create(*web).ok());
  auto load = [&](const GroupID& id) {
    auto group = f.loader.Load(id);
    REQUIRE(group.ok());
    return std::make_pair(group.value().members.size(), group.value().inactive_members.size());
  };
  for (int pass = 0; pass < 2; ++pass) {  // the second pass answers from the loader's memo
    CHECK(load(GroupID::Explicit("new")) == std::make_pair(size_t{1}, size_t{0}));
    CHECK(load(GroupID::Explicit("old")) == std::make_pair(size_t{0}, size_t{1}));
    CHECK(load(GroupID::Explicit("unrelated")) == std::make_pair(size_t{0}, size_t{0}));
    // The implicit finalizer ties it to its own implicit group only.
    CHECK(load(GroupID::Implicit("default", "web")) == std::make_pair(size_t{0}, size_t{1}));
    CHECK(load(GroupID::Implicit("default", "other")) == std::make_pair(size_t{0}, size_t{0}));
  }
  mk::Ingress cleaned = *k8s::Get<mk::Ingress>(f.api, "default", "web").value();
  cleaned.metadata.finalizers = {"group.ingress.k8s.aws/new"};
  REQUIRE(f.api.Update(cleaned).ok());
  CHECK(load(GroupID::Explicit("old")) == std::make_pair(size_t{0}, size_t{0}));
  CHECK(load(GroupID::Implicit("default", "web")) == std::make_pair(size_t{0}, size_t{0}));
  CHECK(load(GroupID::Explicit("new")) == std::make_pair(size_t{1}, size_t{0}));
}

TEST_CASE("group loads see changes to the Ingress and to its IngressClass made between them") {
  BOTH_LOAD_MODES(follow);
  Fixture f(follow);
  mk::IngressClass cls;
  cls.metadata.name = "alb";
  cls.controller = "ingress.k8s.aws/alb";
  REQUIRE(f.api.Create(cls).ok());
  auto web = Ing("default", "web", {{"alb.ingress.kubernetes.io/group.name", "shared"}});
  web->ingress_class_name = "alb";
  REQUIRE(f.api.Create(*web).ok());
  auto members = [&](const GroupID& id) {
    auto group = f.loader.Load(id);
    REQUIRE(group.ok());
    return group.value().members.size();
  };
  CHECK(members(GroupID::Explicit("shared")) == 1);
  CHECK(members(GroupID::Explicit("shared")) == 1);  // the same objects again
  // The class is replaced by one of another controller (spec.controller is immutable): the
  // Ingress is no longer ours; then it is ours again.
  REQUIRE(f.api.Delete(mk::Kind::kIngressClass, "", "alb").ok());
  mk::IngressClass other = cls;
  other.controller = "example.com/other";
  REQUIRE(f.api.Create(other).ok());
  CHECK(members(GroupID::Explicit("shared")) == 0);
  REQUIRE(f.api.Delete(mk::Kind::kIngressClass, "", "alb").ok());
  REQUIRE(f.api.Create(cls).ok());
  CHECK(members(GroupID::Explicit("shared")) == 1);
  // The Ingress moves to another group.
  mk::Ingress moved = *k8s::Get<mk::Ingress>(f.api, "default", "web").value();
  moved.metadata.annotations["alb.ingress.kubernetes.io/group.name"] = "other";
  REQUIRE(f.api.Update(moved).ok());
  CHECK(members(GroupID::Explicit("shared")) == 0);
  CHECK(members(GroupID::Explicit("other")) == 1);
  // An invalid group name: the Ingress belongs to no group, and the next load still says so.
  moved = *k8s::Get<mk::Ingress>(f.api, "default", "web").value();
  moved.metadata.annotations["alb.ingress.kubernetes.io/group.name"] = "Bad_Name";
  REQUIRE(f.api.Update(moved).ok());
  CHECK(members(GroupID::Explicit("other")) == 0);
  CHECK(members(GroupID::Explicit("other")) == 0);
}

TEST_CASE("a loader following Ingress writes answers every load as one that lists every Ingress") {
  Fixture listing;
  k8s::FakeApiServer& api = listing.api;
  // A second loader on the same API server, fed its writes.
  GroupLoader followed{api, listing.parser, listing.class_loader, listing.matcher, false};
  auto watch = api.Watch(mk::Kind::kIngress, [&](const k8s::WatchEvent& ev) { followed.OnIngressWrite(ev); });
  followed.FollowWrites();
  const std::vector<GroupID> groups = {GroupID::Explicit("a"), GroupID::Explicit("b"), GroupID::Implicit("default", "x"),
                                       GroupID::Implicit("default", "y"), GroupID::Implicit("other", "x")};
  auto describe = [](const Result<Group>& g) {
    if (!g.ok()) return "error: " + g.error().message;
    std::string out;
    for (const auto& m : g.value().members) out += "+" + NamespacedName(*m.ing) + " ";
    for (const auto& m : g.value().inactive_members) out += "~" + NamespacedName(*m) + " ";
    return out;
  };
  int step = 0;
  auto compare = [&] {
    ++step;
    for (const GroupID& id : groups) {
      CAPTURE(step);
      CAPTURE(id.String());
      CHECK(describe(followed.Load(id)) == describe(listing.loader.Load(id)));
    }
  };
  auto update = [&](const std::string& ns, const std::string& name, const std::function<void(mk::Ingress&)>& edit) {
    mk::Ingress ing = *k8s::Get<mk::Ingress>(api, ns, name).value();
    edit(ing);
    REQUIRE(api.Update(ing).ok());
  };
  const std::string alb = "kubernetes.io/ingress.class", group = "alb.ingress.kubernetes.io/group.name";
  compare();  // nothing yet
  REQUIRE(api.Create(*Ing("default", "x", {{alb, "alb"}, {group, "a"}})).ok());
  REQUIRE(api.Create(*Ing("default", "y", {{alb, "alb"}})).ok());
  mk::Namespace other;
  other.metadata.name = "other";
  REQUIRE(api.Create(other).ok());
  REQUIRE(api.Create(*Ing("other", "x", {{alb, "alb"}, {group, "a"}})).ok());
  compare();
  update("default", "x", [&](mk::Ingress& i) { i.metadata.finalizers = {"group.ingress.k8s.aws/a"}; });
  compare();
  update("default", "x", [&](mk::Ingress& i) { i.metadata.annotations[group] = "b"; });  // leaves a, holds its finalizer
  compare();
  update("default", "y", [&](mk::Ingress& i) { i.metadata.annotations[group] = "Bad_Name"; });  // no group
  update("default", "y", [&](mk::Ingress& i) { i.metadata.finalizers = {kImplicitGroupFinalizer}; });
  compare();
  update("default", "y", [&](mk::Ingress& i) { i.metadata.annotations.erase(group); });
  update("default", "x", [&](mk::Ingress& i) { i.metadata.finalizers = {"group.ingress.k8s.aws/b"}; });
  compare();
  REQUIRE(api.Delete(mk::Kind::kIngress, "default", "x").ok());  // deleting: holds its finalizer still
  REQUIRE(api.Delete(mk::Kind::kIngress, "other", "x").ok());   // gone at once
  compare();
  update("default", "x", [&](mk::Ingress& i) { i.metadata.finalizers.clear(); });  // the last finalizer: gone
  update("default", "y", [&](mk::Ingress& i) { i.ingress_class_name = "missing"; i.metadata.annotations.erase(alb); });
  compare();  // y names a missing class: an error for its own group, which it holds the finalizer of
  mk::IngressClass cls;
  cls.metadata.name = "missing";
  cls.controller = "ingress.k8s.aws/alb";
  REQUIRE(api.Create(cls).ok());  // not an Ingress write: the class inputs changed
  compare();
  REQUIRE(api.Create(*Ing("default", "x", {{alb, "alb"}, {group, "b"}})).ok());  // the name again, a new object
  compare();
  // An Ingress without a class (none is the default), then two default classes: its group cannot be
  // told, and that error fails the load of every group, not only of the groups it names.
  REQUIRE(api.Create(*Ing("default", "z")).ok());
  compare();
  for (const std::string name : {"first", "second"}) {
    mk::IngressClass def;
    def.metadata.name = name;
    def.metadata.annotations["ingressclass.kubernetes.io/is-default-class"] = "true";
    def.controller = "ingress.k8s.aws/alb";
    REQUIRE(api.Create(def).ok());
  }
  compare();
  update("default", "z", [&](mk::Ingress& i) { i.metadata.labels["edited"] = "yes"; });
  compare();
  CHECK(describe(followed.Load(GroupID::Explicit("b"))) ==
        "error: Ingress: default/z: multiple default IngressClasses found");
  REQUIRE(api.Delete(mk::Kind::kIngress, "default", "z").ok());
  compare();
  CHECK(describe(followed.Load(GroupID::Explicit("b"))) == "+default/x ");
  api.Unwatch(watch);
}

TEST_CASE("an unknown IngressClass is an invalid-class error that names the apiserver text") {
  Fixture f;
  auto ing = Ing("default", "web");
  ing->ingress_class_name = "missing";
  auto r = f.loader.LoadGroupIDIfAny(ing);
  REQUIRE_FALSE(r.ok());
  CHECK(IsInvalidIngressClass(r.error()));
  CHECK(r.error().message.rfind("invalid ingress class: ", 0) == 0);
}
}

}  // namespace
}  // namespace sim::controller
