#pragma once
// Which Kubernetes object owns each AWS resource, read from the resource's tags as the controller
// itself reads them (ingress.k8s.aws/stack, ingress.k8s.aws/resource, elbv2.k8s.aws/resource).

#include <map>
#include <string>

namespace sim::reports {

// Resource ARN (ELBv2) or security-group ID -> owner, e.g. "Ingress default/hello",
// "IngressGroup shop (resource default/shop-api:80)", "shared backend security group (cluster demo)".
// Resources without the controller's cluster tag are absent. `aws_json` is RunRecord::aws_json.
std::map<std::string, std::string> OwnersByTags(const std::string& aws_json);

}  // namespace sim::reports
