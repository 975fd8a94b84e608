// Mirrors upstream pkg/networking/security_group_resolver.go and
// pkg/shared_utils/target_group_arn_mapper.go.
#include "sim/controller/model_build_deps.h"

#include <algorithm>

namespace sim::controller {

namespace {

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string o;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) o += sep;
    o += v[i];
  }
  return o;
}

// upstream algorithm.RemoveSliceDuplicates (keeps first occurrence order).
std::vector<std::string> RemoveDuplicates(const std::vector<std::string>& v) {
  std::vector<std::string> out;
  for (const auto& s : v) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> DefaultSecurityGroupResolver::ResolveViaNameOrID(
    const std::vector<std::string>& sg_name_or_ids) {
  std::vector<std::string> ids, names;
  for (const auto& s : sg_name_or_ids) {
    if (s.rfind("sg-", 0) == 0) {
      ids.push_back(s);
    } else {
      names.push_back(s);
    }
  }
  std::vector<model::aws::SecurityGroup> resolved;
  std::vector<std::string> errors;
  if (!ids.empty()) {
    aws::DescribeSecurityGroupsRequest req;
    req.group_ids = ids;
    auto sgs = describe_(req);
    if (!sgs.ok()) {
      errors.push_back(sgs.error().message);
    } else {
      std::vector<std::string> found;
      for (const auto& sg : sgs.value()) found.push_back(sg.group_id);
      if (found.size() != ids.size()) {
        errors.push_back("requested ids [" + Join(ids, ", ") + "] but found [" + Join(found, ", ") + "]");
      } else {
        resolved.insert(resolved.end(), sgs.value().begin(), sgs.value().end());
      }
    }
  }
  if (!names.empty()) {
    names = RemoveDuplicates(names);
    aws::DescribeSecurityGroupsRequest req;
    req.filters.push_back(model::aws::Filter{"tag:Name", names});
    req.filters.push_back(model::aws::Filter{"vpc-id", {vpc_id_}});
    auto sgs = describe_(req);
    if (!sgs.ok()) {
      errors.push_back(sgs.error().message);
    } else {
      std::vector<std::string> found;
      for (const auto& sg : sgs.value()) {
        for (const auto& tag : sg.tags) {
          if (tag.key == "Name") found.push_back(tag.value);
        }
      }
      found = RemoveDuplicates(found);
      if (found.size() != names.size()) {
        errors.push_back("requested names [" + Join(names, ", ") + "] but found [" + Join(found, ", ") + "]");
      } else {
        resolved.insert(resolved.end(), sgs.value().begin(), sgs.value().end());
      }
    }
  }
  if (!errors.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "couldn't find all security groups: " + Join(errors, ", "));
  }
  std::vector<std::string> out;
  for (const auto& sg : resolved) out.push_back(sg.group_id);
  return out;
}

Result<std::string> DefaultTargetGroupARNMapper::GetArnByName(const std::string& target_group_name) {
  auto it = cache_.find(target_group_name);
  if (it != cache_.end()) return it->second;
  aws::DescribeTargetGroupsRequest req;
  req.names = {target_group_name};
  SIM_ASSIGN_OR_RETURN(std::vector<model::aws::TargetGroup> tgs, describe_(req));
  if (tgs.size() != 1) {
    return MakeError(ErrorCode::kNotFound, "expecting a single targetGroup with query [" + target_group_name +
                                               "] but got " + std::to_string(tgs.size()));
  }
  cache_[target_group_name] = tgs[0].target_group_arn;
  return tgs[0].target_group_arn;
}

}  // namespace sim::controller
