#include "common/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>

#include "common/json_text.h"

namespace anju::log {

namespace {

std::shared_ptr<spdlog::logger> logger() {
  static std::shared_ptr<spdlog::logger> instance = [] {
    auto l = spdlog::stderr_logger_mt("anju");
    l->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l",%v})");
    l->flush_on(spdlog::level::info);
    return l;
  }();
  return instance;
}

spdlog::level::level_enum toSpd(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

}  // namespace

void setLevel(std::string_view level) {
  if (level == "debug")
    logger()->set_level(spdlog::level::debug);
  else if (level == "warn")
    logger()->set_level(spdlog::level::warn);
  else if (level == "error")
    logger()->set_level(spdlog::level::err);
  else
    logger()->set_level(spdlog::level::info);
}

void write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  auto l = logger();
  if (!l->should_log(toSpd(level))) return;
  std::string line = "\"event\":\"";
  appendJsonEscaped(line, event);
  line += '"';
  for (const auto& [key, value] : fields) {
    line += ",\"";
    appendJsonEscaped(line, key);
    line += "\":\"";
    appendJsonEscaped(line, value);
    line += '"';
  }
  l->log(toSpd(level), "{}", line);
}

}  // namespace anju::log
