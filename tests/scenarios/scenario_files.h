#pragma once
// Every example scenario under scenarios/ (labs included, manifests/ excluded), sorted.

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace sim::scenario::testing {

inline std::vector<std::string> ScenarioFiles() {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(ALBTWIN_SOURCE_DIR) / "scenarios")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".yaml") continue;
    if (entry.path().string().find("/manifests/") != std::string::npos) continue;
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace sim::scenario::testing
