#pragma once
// Mirrors upstream pkg/networking/{security_group_info.go,security_group_manager.go,
// security_group_reconciler.go}: SG info with expanded permissions, the 10-minute SG info cache,
// and the ingress reconciler (authorize missing, then revoke extra; one uncached retry).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/aws/ec2.h"
#include "sim/controller/deploy_deps.h"

namespace sim::controller {

// An IpPermission with exactly one source, plus labels parsed from its description.
struct IPPermissionInfo {
  model::aws::IpPermission permission;
  std::map<std::string, std::string> labels;
  // "IpProtocol: tcp, FromPort: 80, ToPort: 80, IpRange: 0.0.0.0/0" (descriptions ignored).
  std::string HashCode() const;
  bool operator==(const IPPermissionInfo&) const = default;
};

struct SecurityGroupInfo {
  std::string security_group_id;
  std::vector<IPPermissionInfo> ingress;
  TagMap tags;
};

// Constructors mirroring networking.New*IPPermission (description = labels' raw description).
IPPermissionInfo NewCIDRIPPermission(const std::string& protocol, std::optional<int> from, std::optional<int> to,
                                     const std::string& cidr, std::map<std::string, std::string> labels);
IPPermissionInfo NewCIDRv6IPPermission(const std::string& protocol, std::optional<int> from, std::optional<int> to,
                                       const std::string& cidr, std::map<std::string, std::string> labels);
IPPermissionInfo NewGroupIDIPPermission(const std::string& protocol, std::optional<int> from, std::optional<int> to,
                                        const std::string& group_id, std::map<std::string, std::string> labels);
IPPermissionInfo NewPrefixListIDPermission(const std::string& protocol, std::optional<int> from,
                                           std::optional<int> to, const std::string& prefix_list_id,
                                           std::map<std::string, std::string> labels);
std::map<std::string, std::string> NewIPPermissionLabelsForRawDescription(const std::string& description);
SecurityGroupInfo NewRawSecurityGroupInfo(const model::aws::SecurityGroup& sg);

// source - target by HashCode, sorted by HashCode.
std::vector<IPPermissionInfo> DiffIPPermissionInfos(const std::vector<IPPermissionInfo>& source,
                                                    const std::vector<IPPermissionInfo>& target);

// Permissions keyed by HashCode, pointing into the vector they were indexed from (which must
// outlive the index and stay unchanged); of equal hashes the last is kept, as upstream's map
// built in order keeps it. Lets a caller hash a permission list once for many diffs.
using PermissionsByHash = std::map<std::string, const IPPermissionInfo*>;
PermissionsByHash IndexByHash(const std::vector<IPPermissionInfo>& permissions);
// DiffIPPermissionInfos over indexed lists.
std::vector<IPPermissionInfo> DiffIPPermissionInfos(const PermissionsByHash& source, const PermissionsByHash& target);

// A cached SecurityGroupInfo with its ingress indexed by hash. Shared and immutable: upstream's
// cache hands out Go struct copies whose slices alias the cached ones, so a lookup costs no copy.
struct IndexedSecurityGroupInfo {
  explicit IndexedSecurityGroupInfo(SecurityGroupInfo i) : info(std::move(i)), ingress_by_hash(IndexByHash(info.ingress)) {}
  IndexedSecurityGroupInfo(const IndexedSecurityGroupInfo&) = delete;
  IndexedSecurityGroupInfo& operator=(const IndexedSecurityGroupInfo&) = delete;
  const SecurityGroupInfo info;
  const PermissionsByHash ingress_by_hash;  // into info.ingress
};

class NetworkingSecurityGroupManager {
 public:
  explicit NetworkingSecurityGroupManager(DeployDeps deps) : deps_(std::move(deps)) {}

  // FetchSGInfosByID; `reload_ignoring_cache` = WithReloadIgnoringCache(). Error when an ID is
  // missing: `couldn't fetch SecurityGroupInfos: [<ids>]`.
  // The infos are the shared cached ones.
  Result<std::map<std::string, std::shared_ptr<const IndexedSecurityGroupInfo>>> FetchSGInfosByID(
      const std::vector<std::string>& ids, bool reload_ignoring_cache = false);
  Result<std::map<std::string, SecurityGroupInfo>> FetchSGInfosByRequest(const aws::DescribeSecurityGroupsRequest& req);
  Status AuthorizeSGIngress(const std::string& sg_id, const std::vector<IPPermissionInfo>& permissions);
  Status RevokeSGIngress(const std::string& sg_id, const std::vector<IPPermissionInfo>& permissions);

 private:
  Result<std::map<std::string, SecurityGroupInfo>> FetchFromAWS(const aws::DescribeSecurityGroupsRequest& req);
  void SaveToCache(const std::map<std::string, SecurityGroupInfo>& infos);

  DeployDeps deps_;
  struct CacheEntry {
    std::shared_ptr<const IndexedSecurityGroupInfo> sg;
    SimTime expires;
  };
  std::map<std::string, CacheEntry> cache_;
  static constexpr SimTime kCacheTTL{10 * 60 * 1000};
};

class SecurityGroupReconciler {
 public:
  explicit SecurityGroupReconciler(NetworkingSecurityGroupManager& sg_manager) : sg_manager_(sg_manager) {}

  // ReconcileIngress. `permission_selector`: only extra permissions whose labels contain all these
  // key/values are revoked (empty = everything). `authorize_only`: never revoke.
  // `desired_by_hash`: IndexByHash(desired) when the caller keeps it (else it is computed here).
  Status ReconcileIngress(const std::string& sg_id, const std::vector<IPPermissionInfo>& desired,
                          const std::map<std::string, std::string>& permission_selector = {},
                          bool authorize_only = false, const PermissionsByHash* desired_by_hash = nullptr);

 private:
  Status ReconcileWithInfo(const IndexedSecurityGroupInfo& sg, const PermissionsByHash& desired, bool revoke_first,
                           const std::map<std::string, std::string>& selector, bool authorize_only);
  NetworkingSecurityGroupManager& sg_manager_;
};

}  // namespace sim::controller
