// Structured logs: one JSON object a line on stderr, so that journald and log shippers can parse
// them. Secrets (passwords, tokens, device secrets) are never passed here.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace anju::log {

enum class Level { kDebug, kInfo, kWarn, kError };

void setLevel(std::string_view level);  // "debug", "info", "warn", "error"

using Field = std::pair<std::string_view, std::string>;

void write(Level level, std::string_view event, std::initializer_list<Field> fields = {});
inline void info(std::string_view event, std::initializer_list<Field> fields = {}) {
  write(Level::kInfo, event, fields);
}
inline void warn(std::string_view event, std::initializer_list<Field> fields = {}) {
  write(Level::kWarn, event, fields);
}
inline void error(std::string_view event, std::initializer_list<Field> fields = {}) {
  write(Level::kError, event, fields);
}
inline void debug(std::string_view event, std::initializer_list<Field> fields = {}) {
  write(Level::kDebug, event, fields);
}

}  // namespace anju::log
