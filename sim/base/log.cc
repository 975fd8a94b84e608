#include "sim/base/log.h"

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace sim::log {
namespace {

Level g_level = Level::kOff;

spdlog::logger& LoggerFor(std::string_view module) {
  static std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> loggers;
  auto it = loggers.find(module);
  if (it == loggers.end()) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_st>();
    auto logger = std::make_shared<spdlog::logger>(std::string(module), sink);
    logger->set_pattern("%v");
    logger->set_level(spdlog::level::trace);
    it = loggers.emplace(std::string(module), logger).first;
  }
  return *it->second;
}

}  // namespace

void SetLevel(Level level) { g_level = level; }

bool Enabled(Level level) { return g_level != Level::kOff && level >= g_level; }

void Write(Level level, std::string_view module, SimTime t, std::string_view message) {
  if (!Enabled(level)) return;
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "[%9s]", FormatSeconds(t).c_str());
  auto& logger = LoggerFor(module);
  auto spd_level = level == Level::kDebug  ? spdlog::level::debug
                   : level == Level::kInfo ? spdlog::level::info
                   : level == Level::kWarn ? spdlog::level::warn
                                           : spdlog::level::err;
  logger.log(spd_level, "{} [{}] {}", prefix, module, message);
}

}  // namespace sim::log
