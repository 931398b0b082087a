#include "store/plan_bounds.h"

#include <fmt/format.h>

#include <optional>

namespace anju::store {

using nlohmann::json;

namespace {

std::optional<double> number(const json& record, const char* key) {
  if (!record.contains(key) || record[key].is_null()) return std::nullopt;
  return record[key].get<double>();
}

// Coordinates print as a surveyor would write them: 12.5, not 12.500000.
std::string metres(double v) {
  return fmt::format("{:g}", v);
}

}  // namespace

Status checkPlanPoint(Connection& c, const domain::EntitySpec& spec, const json& record) {
  if (spec.plan_estate.empty()) return {};
  const auto x = number(record, "plan_x");
  const auto y = number(record, "plan_y");
  if (x.has_value() != y.has_value()) {
    return Status::invalid(x ? "plan_y" : "plan_x",
                           "平面图坐标须同时给出 X 和 Y (give both plan_x and plan_y, or neither)");
  }
  if (!x || !record.contains(spec.plan_estate) || record[spec.plan_estate].is_null()) return {};
  auto rows = c.query("SELECT plan_width, plan_height FROM estates WHERE id = ?",
                      {record[spec.plan_estate].get<int64_t>()});
  if (!rows) return rows.status();
  if (rows->empty()) return {};  // an unknown estate is refused by the reference check
  const Value& width = rows->rows[0][0];
  const Value& height = rows->rows[0][1];
  if (!isNull(width) && *x > asReal(width)) {
    return Status::invalid("plan_x", fmt::format("X 坐标超出小区平面图 (plan_x {} is beyond the "
                                                 "estate's plan, which is {} m wide)",
                                                 metres(*x), metres(asReal(width))));
  }
  if (!isNull(height) && *y > asReal(height)) {
    return Status::invalid("plan_y", fmt::format("Y 坐标超出小区平面图 (plan_y {} is beyond the "
                                                 "estate's plan, which is {} m high)",
                                                 metres(*y), metres(asReal(height))));
  }
  return {};
}

Status checkPlanHoldsItsObjects(Connection& c, const domain::EntitySpec& spec,
                                const std::string& id, const json& record) {
  struct Side {
    const char* size;
    const char* coordinate;
  };
  for (const Side side : {Side{"plan_width", "plan_x"}, Side{"plan_height", "plan_y"}}) {
    const auto limit = number(record, side.size);
    if (!limit) continue;
    for (const auto& other : domain::registry()) {
      if (other.plan_estate.empty()) continue;
      const domain::FieldSpec* ref = other.field(other.plan_estate);
      if (!ref || ref->ref != spec.name) continue;
      auto rows = c.query(fmt::format("SELECT id, name, {0} FROM {1} WHERE {2} = ? AND {0} > ? "
                                      "ORDER BY {0} DESC LIMIT 1",
                                      side.coordinate, other.name, other.plan_estate),
                          {std::stoll(id), *limit});
      if (!rows) return rows.status();
      if (rows->empty()) continue;
      const auto& row = rows->rows[0];
      return Status::invalid(
          side.size,
          fmt::format("平面图过小：{} {} 位于 {} = {} (the plan would leave {} {} \"{}\" outside "
                      "at {} = {})",
                      other.label, asText(row[1]), side.coordinate, metres(asReal(row[2])),
                      other.name, asText(row[0]), asText(row[1]), side.coordinate,
                      metres(asReal(row[2]))));
    }
  }
  return {};
}

}  // namespace anju::store
