#pragma once
// The run report as one self-contained HTML page (inline CSS and SVG, no network, no external
// script): the scenario, a narrated timeline per step with the controller's work numbered as its
// documentation's diagram numbers it ([1] watch the Ingress, [2] ALB, [3] target groups,
// [4] listeners, [5] rules), the AWS API calls, the Kubernetes events, the resource graph, each
// request's trace drawn on the graph, and the expectations with pass/fail.

#include <string>

#include "sim/scenario/run_record.h"

namespace sim::reports {

struct HtmlOptions {
  std::string scenario_source;  // the scenario file's text, shown in the page ("" = not shown)
  bool graphs = true;           // draw graphs with Graphviz; when false or when `dot` fails, the page
                                // says so where the graph would be
};

std::string RenderHtml(const scenario::RunRecord& record, const HtmlOptions& options = {});

// The diagram number ([1]..[5]) of a narrative note or an AWS operation, or 0 when none applies:
// "+ load balancer ..."/CreateLoadBalancer -> 2, "+ target group ..."/CreateTargetGroup -> 3,
// "+ listener ..."/CreateListener -> 4, "+ rule ..."/CreateRule -> 5.
int ControllerStepOfNote(const std::string& note);
int ControllerStepOfCall(const std::string& call);

// HTML text escaping (&, <, >, ", ').
std::string HtmlEscape(const std::string& text);

}  // namespace sim::reports
