#pragma once
// Mirrors upstream pkg/ingress/group_loader.go.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/base/status.h"
#include "sim/controller/annotation_parser.h"
#include "sim/controller/class_loader.h"
#include "sim/controller/group.h"
#include "sim/k8s/client_api.h"

namespace sim::controller {

// Sentinel text of upstream errInvalidIngressGroup; wrapping errors carry it in Error::aws_code.
inline constexpr const char* kErrInvalidIngressGroup = "invalid ingress group";
inline bool IsInvalidIngressGroup(const Error& e) { return e.aws_code == kErrInvalidIngressGroup; }

enum class GroupMembershipType { kNone = 0, kActiveMember = 1, kInactiveMember = 2 };

// `groupName must consist of lower case alphanumeric characters, '-' or '.', and must start and
// end with an alphanumeric character` / `groupName must be no more than 63 characters`.
Status ValidateGroupName(const std::string& group_name);

class GroupLoader {
 public:
  GroupLoader(const k8s::KubeApi& client, const AnnotationParser& annotation_parser, const ClassLoader& class_loader,
              const ClassAnnotationMatcher& class_annotation_matcher, bool manage_ingresses_without_ingress_class)
      : client_(client),
        annotation_parser_(annotation_parser),
        class_loader_(class_loader),
        class_annotation_matcher_(class_annotation_matcher),
        manage_ingresses_without_ingress_class_(manage_ingresses_without_ingress_class) {}

  GroupLoader(const GroupLoader&) = delete;
  GroupLoader& operator=(const GroupLoader&) = delete;

  // Lists every Ingress of the cluster and returns the group: active members sorted, inactive
  // members (holding the group finalizer) in list order. Errors are wrapped `Ingress: <ns/name>: ...`.
  Result<Group> Load(const GroupID& group_id) const;

  // Feeds the loader every Ingress write (the owner watches Ingresses on the same API and passes
  // each event here). From then on a Load answers as from a full List, but looks only at the
  // Ingresses that name the group (by group ID or finalizer) or whose group could not be told.
  void FollowWrites() { follow_writes_ = true; }
  void OnIngressWrite(const k8s::WatchEvent& ev);

  // The Ingress' group, or nullopt when it belongs to none (deleting, or another class).
  Result<std::optional<GroupID>> LoadGroupIDIfAny(const IngressPtr& ing) const;

  // Groups named by the Ingress' finalizers, in finalizer order.
  std::vector<GroupID> LoadGroupIDsPendingFinalization(const model::k8s::Ingress& ing) const;

  // ---- internals, exposed for the conformance runner (upstream unexported methods)

  struct Membership {
    GroupMembershipType type = GroupMembershipType::kNone;
    std::optional<ClassifiedIngress> classified;  // set for active members
  };
  Result<Membership> CheckGroupMembershipType(const GroupID& group_id, const IngressPtr& ing) const;

  struct GroupIDIfAny {
    std::optional<ClassifiedIngress> classified;
    std::optional<GroupID> group_id;
  };
  // The same, given LoadGroupIDIfAnyHelper(ing).
  Result<Membership> CheckGroupMembershipType(const GroupID& group_id, const IngressPtr& ing,
                                              const Result<GroupIDIfAny>& helper) const;
  Result<GroupIDIfAny> LoadGroupIDIfAnyHelper(const IngressPtr& ing) const;

  struct Classification {
    ClassifiedIngress classified;
    bool matches_ingress_class = false;
  };
  // On error the returned Error is the class loader's.
  Result<Classification> ClassifyIngress(const IngressPtr& ing) const;

  Result<GroupID> LoadGroupID(const ClassifiedIngress& classified) const;

  bool ContainsGroupFinalizer(const GroupID& group_id, const std::string& finalizer,
                              const model::k8s::Ingress& ing) const;

  Result<std::vector<ClassifiedIngress>> SortGroupMembers(const std::vector<ClassifiedIngress>& members) const;

 private:
  // LoadGroupIDIfAnyHelper of each listed Ingress, kept between Loads (every group load looks at
  // every Ingress of the cluster) while the objects the answer also reads are unchanged: the
  // resourceVersions of all IngressClasses, IngressClassParams and Namespaces. Stored objects are
  // immutable (an update stores a new one), so the same Ingress object gives the same answer; the
  // memo holds it (no address reuse); entries of Ingresses no longer listed are dropped once they
  // are as many as the listed ones.
  std::string MemoInputs() const;
  struct MemoEntry {
    IngressPtr ing;
    Result<GroupIDIfAny> answer;
    // The groups whose finalizer it holds (LoadGroupIDsPendingFinalization): it is an inactive member
    // of those only.
    std::vector<GroupID> finalizer_groups;
    uint64_t listed = 0;                 // the last Load that listed it
  };
  mutable std::string memo_inputs_;
  mutable std::unordered_map<const model::k8s::Ingress*, MemoEntry> memo_;
  mutable uint64_t loads_ = 0;

  // With FollowWrites: the listed Ingresses by (namespace, name) (List order), indexed by the groups
  // they name and by whether their group could not be told; writes not yet applied wait in
  // pending_ (null: deleted). Rebuilt from a List whenever the memo inputs change, which includes a
  // client that stopped answering (a dead controller process lists nothing).
  using IngressKey = std::pair<std::string, std::string>;
  // The Ingress' part in the group: appended to members or inactive, or neither.
  Status Classify(const GroupID& group_id, const MemoEntry& e, std::vector<ClassifiedIngress>* members,
                  std::vector<IngressPtr>* inactive) const;
  MemoEntry MakeEntry(const IngressPtr& ing) const;
  void IndexEntry(const IngressKey& key, const MemoEntry& e, bool add) const;
  void RebuildFollowed() const;
  void ApplyPending() const;
  Result<Group> LoadFollowed(const GroupID& group_id) const;
  bool follow_writes_ = false;
  mutable bool followed_built_ = false;
  mutable std::map<IngressKey, MemoEntry> followed_;
  mutable std::map<GroupID, std::set<IngressKey>> followed_by_group_;
  mutable std::set<IngressKey> followed_unknown_;
  mutable std::map<IngressKey, IngressPtr> pending_;

  const k8s::KubeApi& client_;
  const AnnotationParser& annotation_parser_;
  const ClassLoader& class_loader_;
  const ClassAnnotationMatcher& class_annotation_matcher_;
  bool manage_ingresses_without_ingress_class_;
};

}  // namespace sim::controller
