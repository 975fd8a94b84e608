#pragma once
// The run report as one JSON document (shared/spec/scenario-format.md "Output"). Deterministic:
// two runs of one scenario give byte-identical text.

#include <string>

#include "sim/scenario/run_record.h"

namespace sim::reports {

// Pretty-printed (2-space indent), keys of AWS and Kubernetes objects as their APIs print them.
std::string RenderJson(const scenario::RunRecord& record);

// The trace of one request as JSON (the "traces" item shape).
std::string RenderTraceJson(const traffic::Trace& trace);

}  // namespace sim::reports
