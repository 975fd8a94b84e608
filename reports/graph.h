#pragma once
// The resource graph: Kubernetes objects and the AWS resources the controller made from them, as
// the AWS console's resource map and the controller's diagram draw them. Vertices are objects and
// resources; edges are ownership (the ingress.k8s.aws/stack tag, TargetGroupBinding -> target
// group, listener -> load balancer, ...) and traffic (rule -> target group -> target -> node ->
// pod). A traced request can be drawn on it as a highlighted path.
//
// Built with Boost.Graph inside graph.cc; this header exposes plain structs only.

#include <string>
#include <vector>

#include "sim/base/status.h"
#include "sim/scenario/run_record.h"
#include "sim/traffic/trace.h"

namespace sim::reports {

struct GraphVertex {
  std::string id;     // stable key, e.g. "k8s/Ingress/default/web", "aws/lb/k8s-default-web-1a2b3c4d5e"
  std::string kind;   // Ingress, IngressClass, Service, EndpointSlice, Pod, Node, TargetGroupBinding,
                      // LoadBalancer, Listener, Rule, TargetGroup, Target, SecurityGroup, Subnet, Client
  std::string label;  // one or more lines joined by '\n'
  std::string tooltip;  // the id and what the label leaves out (DNS names, full node names)
  bool aws = false;   // drawn in the AWS cluster (else Kubernetes)
  bool on_path = false;    // part of the highlighted request path
  bool failed_at = false;  // the hop where the highlighted request stopped
};

struct GraphEdge {
  size_t from = 0, to = 0;  // indexes into ResourceGraph::vertices
  std::string kind;         // stack, class, backend, endpoints, hosts, binds, listener, rule, forward,
                            // target, security-group, subnet, request
  std::string label;
  bool on_path = false;
};

struct ResourceGraph {
  std::string title;
  std::vector<GraphVertex> vertices;  // deterministic order: by kind, then by id
  std::vector<GraphEdge> edges;       // deterministic order: by (from, to, kind)
  std::vector<std::string> path;      // ids of the highlighted vertices, in request order
};

struct GraphInput {
  std::string aws_json;         // the "aws" section of a report (AWS API shape)
  std::string kubernetes_json;  // kubectl List shape; may be empty
  const traffic::Trace* trace = nullptr;  // drawn as a highlighted path when set
  std::string title;
};

// Builds the graph. Errors (kInvalidArgument) only when aws_json / kubernetes_json is not JSON.
Result<ResourceGraph> BuildResourceGraph(const GraphInput& input);

// Graphviz DOT text; byte-identical for equal graphs.
std::string RenderDot(const ResourceGraph& graph);

// Runs Graphviz `dot -Tsvg` on `dot_text` and returns the SVG document, with Graphviz's version
// comment removed so the output is stable. kUnavailable when `dot` cannot be run; kInternal when it
// fails (its stderr in the message).
Result<std::string> RenderSvg(const std::string& dot_text);

// The SVG without the XML declaration and DOCTYPE, for embedding in HTML; its size in pixels
// rather than points (one drawing unit a pixel).
std::string InlineSvg(const std::string& svg);

// The AWS and Kubernetes state after step `step_index` (0-based) of `record`, or the final state
// when step_index < 0. kNotFound when the step does not exist; kFailedPrecondition when the record
// has no per-step snapshots (an old record).
Result<GraphInput> GraphInputAt(const scenario::RunRecord& record, int step_index);

// The final state of a JSON report (`albtwin run --output json`): its "aws" and "kubernetes"
// sections. kInvalidArgument when the text is not a report.
Result<GraphInput> GraphInputFromJsonReport(const std::string& text);

}  // namespace sim::reports
