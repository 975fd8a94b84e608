#include "sim/aws/authorizer.h"

#include "sim/aws/aws_errors.h"

namespace sim::aws {

void AddRequestTags(AuthzRequest* req, const std::vector<std::pair<std::string, std::string>>& tags) {
  if (tags.empty()) return;
  std::vector<std::string>& keys = req->context["aws:TagKeys"];
  for (const auto& [k, v] : tags) {
    req->context["aws:RequestTag/" + k] = {v};
    keys.push_back(k);
  }
}

void AddResourceTags(AuthzRequest* req, const std::string& service_prefix,
                     const std::map<std::string, std::string>& tags) {
  for (const auto& [k, v] : tags) {
    req->context["aws:ResourceTag/" + k] = {v};
    if (!service_prefix.empty()) req->context[service_prefix + ":ResourceTag/" + k] = {v};
  }
}

std::string ActionService(const std::string& action) {
  size_t colon = action.find(':');
  return colon == std::string::npos ? "" : action.substr(0, colon);
}

Error AccessDeniedError(const AuthzRequest& req, bool explicit_deny) {
  std::string msg = "User: " + req.principal_arn + " is not authorized to perform: " + req.action;
  if (req.resource != "*" && !req.resource.empty()) msg += " on resource: " + req.resource;
  if (explicit_deny) {
    msg += " with an explicit deny in an identity-based policy";
  } else {
    msg += " because no identity-based policy allows the " + req.action + " action";
  }
  if (ActionService(req.action) == "ec2") {
    return AwsError("UnauthorizedOperation", "You are not authorized to perform this operation. " + msg + ".");
  }
  return AwsError("AccessDenied", msg);
}

}  // namespace sim::aws
