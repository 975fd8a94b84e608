#include "reports/owners.h"

#include <nlohmann/json.hpp>

namespace sim::reports {

namespace {

using Json = nlohmann::json;

std::map<std::string, std::string> TagMapOf(const Json& tags) {
  std::map<std::string, std::string> out;
  if (!tags.is_array()) return out;
  for (const auto& t : tags) out[t.value("Key", "")] = t.value("Value", "");
  return out;
}

std::string OwnerOf(const std::map<std::string, std::string>& tags) {
  auto get = [&](const char* k) {
    auto it = tags.find(k);
    return it == tags.end() ? std::string() : it->second;
  };
  const std::string cluster = get("elbv2.k8s.aws/cluster");
  if (cluster.empty()) return "";
  if (get("elbv2.k8s.aws/resource") == "backend-sg") return "shared backend security group (cluster " + cluster + ")";
  const std::string stack = get("ingress.k8s.aws/stack");
  if (stack.empty()) return "controller of cluster " + cluster;
  std::string owner = (stack.find('/') != std::string::npos ? "Ingress " : "IngressGroup ") + stack;
  const std::string resource = get("ingress.k8s.aws/resource");
  if (!resource.empty() && resource != "LoadBalancer" && resource != "ManagedLBSecurityGroup") {
    owner += " (resource " + resource + ")";
  }
  return owner;
}

}  // namespace

std::map<std::string, std::string> OwnersByTags(const std::string& aws_json) {
  std::map<std::string, std::string> out;
  const Json aws = Json::parse(aws_json.empty() ? "{}" : aws_json, nullptr, false);
  if (aws.is_discarded() || !aws.is_object()) return out;
  const Json by_arn = aws.value("Tags", Json::object());
  for (const auto& [arn, tags] : by_arn.items()) {
    std::string owner = OwnerOf(TagMapOf(tags));
    if (!owner.empty()) out[arn] = owner;
  }
  const Json sgs = aws.value("SecurityGroups", Json::array());
  for (const auto& sg : sgs) {
    std::string owner = OwnerOf(TagMapOf(sg.value("Tags", Json::array())));
    if (!owner.empty()) out[sg.value("GroupId", "")] = owner;
  }
  return out;
}

}  // namespace sim::reports
