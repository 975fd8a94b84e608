#pragma once
// Loads and checks a scenario file (shared/spec/scenario-format.md). Every key is checked: an
// unknown key is an error naming the nearest known key. Errors read `FILE:LINE:COL: message`.

#include <string>
#include <vector>

#include "sim/base/status.h"
#include "sim/scenario/scenario.h"

namespace sim::scenario {

struct LoadResult {
  Scenario scenario;
  std::vector<std::string> errors;  // each `FILE:LINE:COL: message`; empty = loaded
  bool ok() const { return errors.empty(); }
};

// Reads `path`, parses the YAML, checks every key and value, fills defaults (3 AZs with public
// and private subnets, 3 nodes), and decodes every manifest it names.
LoadResult LoadScenarioFile(const std::string& path);
// Same, from text; `file` names it in errors and anchors relative manifest paths.
LoadResult LoadScenarioText(const std::string& text, const std::string& file);

// The known key closest to `key` by edit distance, or "" if none is close.
std::string NearestKey(const std::string& key, const std::vector<std::string>& known);

}  // namespace sim::scenario
