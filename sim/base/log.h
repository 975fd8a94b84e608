#pragma once
// Logging: one named spdlog logger per module, lines carry sim time:
//   [  12.500s] [controller] message
// spdlog stays in log.cc.

#include <string_view>

#include "sim/base/clock.h"

namespace sim::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };

void SetLevel(Level level);
// True when a line at `level` would be written (to skip building an expensive message).
bool Enabled(Level level);
void Write(Level level, std::string_view module, SimTime t, std::string_view message);
inline void Debug(std::string_view module, SimTime t, std::string_view m) { Write(Level::kDebug, module, t, m); }
inline void Info(std::string_view module, SimTime t, std::string_view m) { Write(Level::kInfo, module, t, m); }
inline void Warn(std::string_view module, SimTime t, std::string_view m) { Write(Level::kWarn, module, t, m); }

}  // namespace sim::log
