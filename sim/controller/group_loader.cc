// Mirrors upstream pkg/ingress/group_loader.go.
#include "sim/controller/group_loader.h"

#include <algorithm>

namespace sim::controller {

namespace mk = model::k8s;

namespace {

constexpr int32_t kDefaultGroupOrder = 0;
constexpr int32_t kMinGroupOrder = -1000;
constexpr int32_t kMaxGroupOrder = 1000;
constexpr size_t kMaxGroupNameLength = 63;

bool HasFinalizer(const mk::Ingress& ing, const std::string& finalizer) {
  const auto& f = ing.metadata.finalizers;
  return std::find(f.begin(), f.end(), finalizer) != f.end();
}

bool IsDeleting(const mk::Ingress& ing) { return ing.metadata.deletion_timestamp.has_value(); }

Error InvalidGroup(const Status& st) {
  return MakeError(ErrorCode::kInvalidArgument, std::string(kErrInvalidIngressGroup) + ": " + st.error().message,
                   kErrInvalidIngressGroup);
}

}  // namespace

Status ValidateGroupName(const std::string& group_name) {
  // ^([a-z0-9][-a-z0-9.]*)?[a-z0-9]$ without std::regex (it is checked for every Ingress on every
  // group load): lower-case alphanumerics, '-' and '.', starting and ending alphanumeric.
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  const bool valid = !group_name.empty() && alnum(group_name.front()) && alnum(group_name.back()) &&
                     std::all_of(group_name.begin(), group_name.end(),
                                 [&](char c) { return alnum(c) || c == '-' || c == '.'; });
  if (!valid) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "groupName must consist of lower case alphanumeric characters, '-' or '.', and must start and "
                     "end with an alphanumeric character");
  }
  if (group_name.size() > kMaxGroupNameLength) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "groupName must be no more than " + std::to_string(kMaxGroupNameLength) + " characters");
  }
  return OkStatus();
}

std::string GroupLoader::MemoInputs() const {
  std::string inputs;
  for (mk::Kind kind : {mk::Kind::kIngressClass, mk::Kind::kIngressClassParams, mk::Kind::kNamespace}) {
    for (const auto& obj : client_.List(kind)) {
      inputs += obj->metadata.uid;
      inputs += '@';
      inputs += obj->metadata.resource_version;
      inputs += ';';
    }
    inputs += '|';
  }
  return inputs;
}

GroupLoader::MemoEntry GroupLoader::MakeEntry(const IngressPtr& ing) const {
  return MemoEntry{ing, LoadGroupIDIfAnyHelper(ing), LoadGroupIDsPendingFinalization(*ing), 0};
}

Status GroupLoader::Classify(const GroupID& group_id, const MemoEntry& e, std::vector<ClassifiedIngress>* members,
                             std::vector<IngressPtr>* inactive) const {
  // Most Ingresses of a large cluster are in another group and hold neither this group's finalizer
  // nor an error: not members, as CheckGroupMembershipType would say, without building and
  // searching for this group's finalizer.
  if (e.answer.ok()) {
    const auto& id = e.answer.value().group_id;
    const auto& held = e.finalizer_groups;
    if ((!id || !(*id == group_id)) && std::find(held.begin(), held.end(), group_id) == held.end()) return OkStatus();
  }
  auto membership = CheckGroupMembershipType(group_id, e.ing, e.answer);
  if (!membership.ok()) return Wrap(membership.error(), "Ingress: " + NamespacedName(*e.ing));
  switch (membership.value().type) {
    case GroupMembershipType::kActiveMember:
      members->push_back(*membership.value().classified);
      break;
    case GroupMembershipType::kInactiveMember:
      inactive->push_back(e.ing);
      break;
    case GroupMembershipType::kNone:
      break;
  }
  return OkStatus();
}

Result<Group> GroupLoader::Load(const GroupID& group_id) const {
  if (follow_writes_) return LoadFollowed(group_id);
  std::vector<ClassifiedIngress> members;
  std::vector<IngressPtr> inactive;
  std::string inputs = MemoInputs();
  if (inputs != memo_inputs_) {
    memo_.clear();
    memo_inputs_ = std::move(inputs);
  }
  const uint64_t load = ++loads_;
  size_t listed = 0;
  for (const auto& obj : client_.List(mk::Kind::kIngress)) {
    IngressPtr ing = mk::As<mk::Ingress>(obj);
    if (!ing) continue;
    ++listed;
    auto at = memo_.find(ing.get());
    if (at == memo_.end()) at = memo_.emplace(ing.get(), MakeEntry(ing)).first;
    at->second.listed = load;
    SIM_RETURN_IF_ERROR(Classify(group_id, at->second, &members, &inactive));
  }
  if (memo_.size() > 2 * listed) std::erase_if(memo_, [&](const auto& e) { return e.second.listed != load; });
  SIM_ASSIGN_OR_RETURN(std::vector<ClassifiedIngress> sorted, SortGroupMembers(members));
  return Group{group_id, std::move(sorted), std::move(inactive)};
}

void GroupLoader::OnIngressWrite(const k8s::WatchEvent& ev) {
  if (!follow_writes_ || !followed_built_ || !ev.object) return;
  IngressKey key{ev.object->metadata.namespace_, ev.object->metadata.name};
  pending_[std::move(key)] = ev.type == k8s::WatchEventType::kDeleted ? nullptr : mk::As<mk::Ingress>(ev.object);
}

void GroupLoader::IndexEntry(const IngressKey& key, const MemoEntry& e, bool add) const {
  auto apply = [&](std::set<IngressKey>& set) {
    if (add) {
      set.insert(key);
    } else {
      set.erase(key);
    }
  };
  if (!e.answer.ok()) apply(followed_unknown_);
  std::vector<const GroupID*> named;
  if (e.answer.ok() && e.answer.value().group_id) named.push_back(&*e.answer.value().group_id);
  for (const GroupID& id : e.finalizer_groups) named.push_back(&id);
  for (const GroupID* id : named) {
    if (add) {
      followed_by_group_[*id].insert(key);
      continue;
    }
    auto it = followed_by_group_.find(*id);
    if (it == followed_by_group_.end()) continue;
    it->second.erase(key);
    if (it->second.empty()) followed_by_group_.erase(it);
  }
}

void GroupLoader::RebuildFollowed() const {
  followed_.clear();
  followed_by_group_.clear();
  followed_unknown_.clear();
  pending_.clear();
  for (const auto& obj : client_.List(mk::Kind::kIngress)) {
    IngressPtr ing = mk::As<mk::Ingress>(obj);
    if (!ing) continue;
    IngressKey key{ing->metadata.namespace_, ing->metadata.name};
    auto [it, inserted] = followed_.insert_or_assign(key, MakeEntry(ing));
    IndexEntry(it->first, it->second, true);
  }
  followed_built_ = true;
}

void GroupLoader::ApplyPending() const {
  for (auto& [key, ing] : pending_) {
    auto it = followed_.find(key);
    if (it != followed_.end()) {
      IndexEntry(it->first, it->second, false);
      followed_.erase(it);
    }
    if (!ing) continue;
    auto added = followed_.emplace(key, MakeEntry(ing)).first;
    IndexEntry(added->first, added->second, true);
  }
  pending_.clear();
}

Result<Group> GroupLoader::LoadFollowed(const GroupID& group_id) const {
  std::string inputs = MemoInputs();
  if (!followed_built_ || inputs != memo_inputs_) {
    memo_inputs_ = std::move(inputs);
    RebuildFollowed();
  } else {
    ApplyPending();
  }
  // The Ingresses a full List would not skip, in List order.
  std::vector<const IngressKey*> keys;
  auto named = followed_by_group_.find(group_id);
  if (named != followed_by_group_.end()) {
    for (const IngressKey& k : named->second) keys.push_back(&k);
  }
  for (const IngressKey& k : followed_unknown_) keys.push_back(&k);
  std::sort(keys.begin(), keys.end(), [](const IngressKey* a, const IngressKey* b) { return *a < *b; });
  keys.erase(std::unique(keys.begin(), keys.end(), [](const IngressKey* a, const IngressKey* b) { return *a == *b; }),
             keys.end());
  std::vector<ClassifiedIngress> members;
  std::vector<IngressPtr> inactive;
  for (const IngressKey* k : keys) SIM_RETURN_IF_ERROR(Classify(group_id, followed_.at(*k), &members, &inactive));
  SIM_ASSIGN_OR_RETURN(std::vector<ClassifiedIngress> sorted, SortGroupMembers(members));
  return Group{group_id, std::move(sorted), std::move(inactive)};
}

Result<std::optional<GroupID>> GroupLoader::LoadGroupIDIfAny(const IngressPtr& ing) const {
  SIM_ASSIGN_OR_RETURN(GroupIDIfAny r, LoadGroupIDIfAnyHelper(ing));
  return r.group_id;
}

std::vector<GroupID> GroupLoader::LoadGroupIDsPendingFinalization(const mk::Ingress& ing) const {
  std::vector<GroupID> ids;
  const std::string prefix = kExplicitGroupFinalizerPrefix;
  for (const auto& f : ing.metadata.finalizers) {
    if (f == kImplicitGroupFinalizer) {
      ids.push_back(GroupID::Implicit(ing.metadata.namespace_, ing.metadata.name));
    } else if (f.rfind(prefix, 0) == 0) {
      ids.push_back(GroupID::Explicit(f.substr(prefix.size())));
    }
  }
  return ids;
}

Result<GroupLoader::Membership> GroupLoader::CheckGroupMembershipType(const GroupID& group_id,
                                                                      const IngressPtr& ing) const {
  return CheckGroupMembershipType(group_id, ing, LoadGroupIDIfAnyHelper(ing));
}

Result<GroupLoader::Membership> GroupLoader::CheckGroupMembershipType(const GroupID& group_id, const IngressPtr& ing,
                                                                      const Result<GroupIDIfAny>& helper) const {
  const std::string finalizer = BuildGroupFinalizer(group_id);
  const bool has_finalizer = ContainsGroupFinalizer(group_id, finalizer, *ing);
  if (!helper.ok()) {
    const Error& err = helper.error();
    if (IsInvalidIngressClass(err)) {
      if (has_finalizer) return Wrap(err, "Ingress has invalid IngressClass configuration");
      return Membership{};
    }
    if (IsInvalidIngressGroup(err)) {
      if (has_finalizer) return Membership{GroupMembershipType::kInactiveMember, std::nullopt};
      return Membership{};
    }
    return err;
  }
  const GroupIDIfAny& r = helper.value();
  if (r.group_id.has_value() && *r.group_id == group_id) {
    return Membership{GroupMembershipType::kActiveMember, r.classified};
  }
  if (has_finalizer) return Membership{GroupMembershipType::kInactiveMember, std::nullopt};
  return Membership{};
}

Result<GroupLoader::GroupIDIfAny> GroupLoader::LoadGroupIDIfAnyHelper(const IngressPtr& ing) const {
  if (IsDeleting(*ing)) return GroupIDIfAny{};
  SIM_ASSIGN_OR_RETURN(Classification c, ClassifyIngress(ing));
  if (!c.matches_ingress_class) return GroupIDIfAny{};
  SIM_ASSIGN_OR_RETURN(GroupID id, LoadGroupID(c.classified));
  return GroupIDIfAny{c.classified, id};
}

Result<GroupLoader::Classification> GroupLoader::ClassifyIngress(const IngressPtr& ing) const {
  auto it = ing->metadata.annotations.find(annotations::kIngressClass);
  if (it != ing->metadata.annotations.end()) {
    return Classification{ClassifiedIngress{ing, {}}, class_annotation_matcher_.Matches(it->second)};
  }
  if (ing->ingress_class_name.has_value()) {
    auto cfg = class_loader_.LoadClass(*ing, *ing->ingress_class_name);
    if (!cfg.ok()) return cfg.error();
    bool matches = cfg.value().ing_class ? cfg.value().ing_class->controller == kIngressClassControllerALB
                                         : manage_ingresses_without_ingress_class_;
    return Classification{ClassifiedIngress{ing, cfg.value()}, matches};
  }
  // The class loader sets the in-memory ingressClassName to the default class: work on a copy.
  auto copy = std::make_shared<mk::Ingress>(*ing);
  auto cfg = class_loader_.Load(copy);
  if (!cfg.ok()) return cfg.error();
  IngressPtr classified_ing = ing->ingress_class_name == copy->ingress_class_name ? ing : IngressPtr(copy);
  if (cfg.value().ing_class) {
    bool matches = cfg.value().ing_class->controller == kIngressClassControllerALB;
    return Classification{ClassifiedIngress{classified_ing, cfg.value()}, matches};
  }
  return Classification{ClassifiedIngress{classified_ing, cfg.value()}, manage_ingresses_without_ingress_class_};
}

Result<GroupID> GroupLoader::LoadGroupID(const ClassifiedIngress& classified) const {
  const auto& params = classified.ing_class_config.ing_class_params;
  if (params && params->group_name.has_value()) {
    Status st = ValidateGroupName(*params->group_name);
    if (!st.ok()) return InvalidGroup(st);
    return GroupID::Explicit(*params->group_name);
  }
  std::string group_name;
  if (annotation_parser_.ParseString(annotations::kGroupName, &group_name, classified.ing->metadata.annotations)) {
    Status st = ValidateGroupName(group_name);
    if (!st.ok()) return InvalidGroup(st);
    return GroupID::Explicit(group_name);
  }
  return GroupID::Implicit(classified.ing->metadata.namespace_, classified.ing->metadata.name);
}

bool GroupLoader::ContainsGroupFinalizer(const GroupID& group_id, const std::string& finalizer,
                                         const mk::Ingress& ing) const {
  if (group_id.IsExplicit()) return HasFinalizer(ing, finalizer);
  GroupID own = GroupID::Implicit(ing.metadata.namespace_, ing.metadata.name);
  return own == group_id && HasFinalizer(ing, finalizer);
}

Result<std::vector<ClassifiedIngress>> GroupLoader::SortGroupMembers(
    const std::vector<ClassifiedIngress>& members) const {
  if (members.empty()) return std::vector<ClassifiedIngress>{};
  struct WithOrder {
    ClassifiedIngress member;
    int32_t order;
    std::string key;
  };
  std::vector<WithOrder> list;
  for (const auto& m : members) {
    int32_t order = kDefaultGroupOrder;
    auto exists = annotation_parser_.ParseInt32(annotations::kGroupOrder, &order, m.ing->metadata.annotations);
    if (!exists.ok()) {
      return Wrap(exists.error(), "failed to load Ingress group order for ingress: " + NamespacedName(*m.ing));
    }
    if (exists.value() && (order < kMinGroupOrder || order > kMaxGroupOrder)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "explicit Ingress group order must be within [" + std::to_string(kMinGroupOrder) + ":" +
                           std::to_string(kMaxGroupOrder) + "], Ingress: " + NamespacedName(*m.ing) +
                           ", order: " + std::to_string(order));
    }
    list.push_back({m, order, NamespacedName(*m.ing)});
  }
  std::stable_sort(list.begin(), list.end(), [](const WithOrder& a, const WithOrder& b) {
    if (a.order != b.order) return a.order < b.order;
    return a.key < b.key;
  });
  std::vector<ClassifiedIngress> out;
  for (auto& w : list) out.push_back(std::move(w.member));
  return out;
}

}  // namespace sim::controller
