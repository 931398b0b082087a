#include "store/database.h"

#include <charconv>

namespace anju::store {

std::optional<int64_t> Rows::scalarInt() const {
  if (rows.empty() || rows[0].empty() || isNull(rows[0][0])) return std::nullopt;
  return asInt(rows[0][0]);
}

std::optional<std::string> Rows::scalarText() const {
  if (rows.empty() || rows[0].empty() || isNull(rows[0][0])) return std::nullopt;
  return asText(rows[0][0]);
}

int64_t asInt(const Value& v, int64_t fallback) {
  if (auto* n = std::get_if<int64_t>(&v)) return *n;
  if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto* t = std::get_if<std::string>(&v)) {
    int64_t out = fallback;
    std::from_chars(t->data(), t->data() + t->size(), out);
    return out;
  }
  return fallback;
}

std::string asText(const Value& v) {
  if (auto* t = std::get_if<std::string>(&v)) return *t;
  if (auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}

double asReal(const Value& v, double fallback) {
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  if (auto* t = std::get_if<std::string>(&v)) {
    try {
      return std::stod(*t);
    } catch (...) {
      return fallback;
    }
  }
  return fallback;
}

}  // namespace anju::store
