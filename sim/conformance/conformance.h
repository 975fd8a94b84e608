#pragma once
// Conformance runner: replays the upstream unit-test corpora (/work/shared/conformance/<folder>/<case>)
// against the C++ re-implementation and prints one line per case:
//   PASS <folder>/<case>
//   FAIL <folder>/<case>: <first differing JSON path>: expected <x> got <y>
//   SKIP <folder>/<case>: <why>
// then `N passed, M failed, K skipped`. A unitUnderTest without implementation is a FAIL
// ("not implemented: <unit>"), never a silent pass.

#include <ostream>
#include <string>
#include <vector>

namespace sim::conformance {

struct Summary {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
};

// Each entry of `dirs` is a corpus root (folders of folders), one corpus folder (e.g.
// .../model-builder) or one case folder (holding input.yaml). Cases run in path order.
Summary RunConformance(const std::vector<std::string>& dirs, std::ostream& out);

}  // namespace sim::conformance
