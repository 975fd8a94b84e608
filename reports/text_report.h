#pragma once
// The run report as readable text: a narrative of the steps (what the controller did, what changed
// in AWS, the events), each request's hops, the resources at the end, and the verdict.

#include <string>

#include "sim/scenario/run_record.h"

namespace sim::reports {

struct TextOptions {
  bool color = false;  // ANSI colours (only when writing to a terminal)
  bool quiet = false;  // verdict and failures only
};

std::string RenderText(const scenario::RunRecord& record, const TextOptions& options = {});

// One trace as indented hop lines (also used by `albtwin trace`).
std::string RenderTraceText(const traffic::Trace& trace, const TextOptions& options = {});

}  // namespace sim::reports
