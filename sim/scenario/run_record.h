#pragma once
// Everything a run produced, in the order it happened. Reports (reports/) are pure writers over it.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/aws/api_call_log.h"
#include "sim/base/clock.h"
#include "sim/scenario/scenario.h"
#include "sim/traffic/trace.h"

namespace sim::scenario {

struct StepRecord {
  int index = 0;
  std::string kind;  // apply, delete, settle, ...
  SourceLoc loc;
  bool ok = true;
  std::string detail;               // what the step did, one line
  std::vector<std::string> notes;   // narrative: what changed in AWS and Kubernetes during the step
  std::vector<std::string> errors;  // why the step failed
  SimTime started{0}, finished{0};
  size_t api_calls_begin = 0, api_calls_end = 0;  // [begin, end) in RunRecord::api_calls
  // The state at the end of the step (for `albtwin graph --at STEP` and the HTML timeline):
  // the "aws" section (compact JSON) and the Kubernetes objects (kubectl List shape).
  std::string aws_json;
  std::string kubernetes_json;
};

struct ExpectationRecord {
  int step = 0;
  bool ok = true;
  std::string message;  // what was checked; on failure: expected vs found
  SourceLoc loc;
};

struct EventRecord {
  std::string name;     // the Event object's name (stable across count updates)
  std::string time;     // lastTimestamp
  std::string object;   // KIND/NS/NAME
  std::string type;     // Normal / Warning
  std::string reason;
  std::string message;
  int count = 1;
  std::string component;
};

struct TraceRecord {
  int step = 0;
  traffic::Trace trace;
  int count = 1;                                // requests sent (request.count)
  std::vector<std::pair<std::string, int>> distribution;  // pod (or status) -> requests
};

struct RunRecord {
  std::string scenario;
  std::string description;
  std::string file;
  uint64_t seed = 1;
  bool passed = true;
  int exit_code = 0;        // 0 all expectations held, 1 some failed, 2 bad input
  std::string fatal_error;  // a load/setup error (exit 2)
  std::vector<StepRecord> steps;
  std::vector<ExpectationRecord> expectations;
  std::vector<TraceRecord> traces;
  std::vector<aws::ApiCallRecord> api_calls;
  std::vector<EventRecord> events;
  std::string aws_json;         // the "aws" section (compact JSON)
  std::string kubernetes_json;  // the "kubernetes" section: kubectl List shape (JSON)
  SimTime end_time{0};
};

}  // namespace sim::scenario
