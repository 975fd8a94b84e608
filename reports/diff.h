#pragma once
// Differences between two runs, terraform-plan style: AWS resources added (+), changed in place (~),
// destroyed (-) or replaced (-/+, naming the field that forces the replacement as the controller
// decides it: a load balancer's Type or Scheme, a target group's TargetType, Protocol,
// ProtocolVersion or TargetControlPort), and request traces whose outcome or path changed.
//
// Resources are matched across runs the way the controller matches them: load balancers, target
// groups and security groups by their ingress.k8s.aws/stack + ingress.k8s.aws/resource tags (by name
// when untagged), listeners by load balancer and port, rules by listener and priority, targets by
// target group and id:port.

#include <string>
#include <vector>

#include "reports/history.h"
#include "reports/text_report.h"
#include "sim/base/status.h"

namespace sim::reports {

// One AWS resource, normalised for comparison: ARNs of other resources replaced by their names,
// identity-only members (its own ARN, CreatedTime) dropped, tags as an object.
struct NormalResource {
  std::string kind;  // "load balancer", "listener", "rule", "target group", "target", "security group"
  std::string key;   // identity across runs (see above)
  std::string name;  // what a person calls it: "k8s-default-web-1a2b3c4d5e", "k8s-... HTTP:80 priority 1"
  std::string arn;   // ARN or id in this run
  std::string json;  // compact JSON object of its members
  std::string parent_kind, parent_key;  // what it lives in (a listener's load balancer, a rule's
                                        // listener, a target's target group); "" when nothing
};

// The resources of an "aws" report section, sorted by (kind order, key). Unparseable text gives none.
std::vector<NormalResource> NormaliseAwsState(const std::string& aws_json);

// The final state and traces of a JSON report (`albtwin run --output json`). kInvalidArgument when
// the text is not a report.
Result<RunSnapshot> SnapshotFromJsonReport(const std::string& text, const std::string& label);

struct FieldChange {
  std::string path;    // "HealthCheckPath", "Tags[\"team\"]", "Actions[0].Type"
  std::string before;  // JSON text; "" when absent
  std::string after;
  bool forces_replacement = false;  // with an empty path: the parent it lives in is replaced
};

struct ResourceChange {
  std::string action;  // "+", "-", "~", "-/+"
  std::string kind;
  std::string key;
  std::string name_before, name_after;
  std::vector<FieldChange> fields;  // "~" and "-/+": changed members; "+": every member
};

struct TraceChange {
  std::string action;  // "+", "-", "~"
  std::string title;   // "[step 5] GET http://.../api"
  std::vector<FieldChange> fields;
};

struct RunDiff {
  std::vector<ResourceChange> resources;
  std::vector<TraceChange> traces;
  bool same() const { return resources.empty() && traces.empty(); }
};

RunDiff DiffRuns(const RunSnapshot& before, const RunSnapshot& after);

// The plan text, ending with "Plan: A to add, C to change, D to destroy." (a replacement counts as
// one add and one destroy, as terraform counts it) and the trace summary; "No changes." when same.
std::string RenderDiff(const RunDiff& diff, const RunSnapshot& before, const RunSnapshot& after,
                       const TextOptions& options = {});

}  // namespace sim::reports
