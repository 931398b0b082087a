#include <charconv>

#include "api/routes.h"

namespace anju::api {

store::AuditEntry auditEntry(const Call& call, std::string action, std::string object,
                             std::string object_id) {
  return store::AuditEntry{.user = call.user ? call.user->username : "",
                           .action = std::move(action),
                           .object = std::move(object),
                           .object_id = std::move(object_id),
                           .purpose = call.purpose(),
                           .address = call.request.remote_address};
}

Result<store::ListQuery> listQuery(const Call& call, const std::vector<std::string>& reserved) {
  store::ListQuery q;
  for (const auto& [key, value] : call.request.query) {
    if (key == "cursor") {
      q.cursor = value;
    } else if (key == "limit") {
      int limit = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc() || ptr != value.data() + value.size()) {
        return Status::invalid("limit", "limit 应为整数 (limit must be a whole number)");
      }
      q.limit = limit;
    } else if (std::find(reserved.begin(), reserved.end(), key) == reserved.end()) {
      q.filters.emplace_back(key, value);
    }
  }
  return q;
}

Result<std::optional<std::vector<int64_t>>> scopeEstates(Services& services, const Call& call) {
  const store::Scope scope = call.scope();
  if (scope.path == "/") return std::optional<std::vector<int64_t>>();
  std::vector<int64_t> estates;
  Status st = services.db.read([&](store::Connection& c) -> Status {
    auto rows = c.query("SELECT id FROM estates WHERE region_path >= ? AND region_path < ?",
                        {scope.path, scope.upperBound()});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) estates.push_back(store::asInt(r[0]));
    return {};
  });
  if (!st) return st;
  return std::optional(std::move(estates));
}

std::optional<int64_t> positiveId(std::string_view text) {
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Result<std::optional<int64_t>> idParam(const Call& call, const std::string& name) {
  const std::string text = call.request.queryParam(name);
  if (text.empty()) return std::optional<int64_t>();
  auto id = positiveId(text);
  if (!id) {
    return Status::invalid(name, name + " 应为正整数 (" + name + " must be a positive number)");
  }
  return std::optional(id);
}

Status checkEstateInScope(Services& services, const Call& call, int64_t estate_id) {
  std::optional<std::string> path;
  Status st = services.db.read([&](store::Connection& c) -> Status {
    auto rows = c.query("SELECT region_path FROM estates WHERE id = ?", {estate_id});
    if (!rows) return rows.status();
    if (!rows->empty()) path = store::asText(rows->rows[0][0]);
    return {};
  });
  if (!st) return st;
  if (!path) return Status::notFound("没有这个小区 (no such estate)", "estate_id");
  if (!call.scope().contains(*path)) {
    return Status::forbidden("该小区不在您的管辖范围内 (this estate is outside your region)");
  }
  return {};
}

Result<store::Scope> regionScope(Services& services, const Call& call) {
  store::Scope scope = call.scope();
  auto region = idParam(call, "region_id");
  if (!region) return region.status();
  if (!*region) return scope;
  auto path = services.records.regionPath(**region);
  if (!path) return path.status();
  // The narrower of the two; regions that do not overlap the caller's are refused.
  if (scope.contains(*path)) return store::Scope{*path};
  if (store::Scope{*path}.contains(scope.path)) return scope;
  return Status::forbidden("该区域不在您的管辖范围内 (this region is outside your region)");
}

Result<std::string> bodyRegion(Services& services, const Call& call, const nlohmann::json& body) {
  if (!body.contains("region_id") || body["region_id"].is_null()) return call.scope().path;
  if (!body["region_id"].is_number_integer() || body["region_id"].get<int64_t>() <= 0) {
    return Status::invalid("region_id", "应为区域编号 (region_id must be a region's id)");
  }
  auto path = services.records.regionPath(body["region_id"].get<int64_t>());
  if (!path) {
    return path.status().code() == Code::kNotFound
               ? Status::invalid("region_id", "没有这个区域 (no such region)")
               : path.status();
  }
  if (!call.scope().contains(*path)) {
    return Status::forbidden("该区域不在您的管辖范围内 (this region is outside your region)");
  }
  return *path;
}

std::unordered_map<std::string, ingest::DeviceState> liveDevices(const Services& services) {
  std::unordered_map<std::string, ingest::DeviceState> live;
  if (services.health) {
    for (auto& d : services.health->snapshot()) live.emplace(d.id, std::move(d));
  }
  return live;
}

Result<int> limitParam(const Call& call, int fallback, int max) {
  const std::string text = call.request.queryParam("limit");
  if (text.empty()) return fallback;
  int limit = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (ec != std::errc() || ptr != text.data() + text.size() || limit < 1 || limit > max) {
    return Status::invalid("limit", "limit 应为 1 到 " + std::to_string(max) +
                                        " 的整数 (limit must be a whole number from 1 to " +
                                        std::to_string(max) + ")");
  }
  return limit;
}

Status timeRange(const Call& call, int utc_offset_minutes, int64_t& from, int64_t& to) {
  from = 0;
  to = int64_t{253402300799000};  // 9999-12-31
  for (auto [name, target] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    const std::string text = call.request.queryParam(name);
    if (text.empty()) continue;
    auto t = parseTimestamp(text, utc_offset_minutes);
    if (!t) {
      return Status::invalid(name,
                             std::string(name) +
                                 " 时间格式无效 (use ISO 8601, e.g. 2026-11-22T08:00:00+08:00 "
                                 "or 2026-11-22)");
    }
    *target = *t;
  }
  if (from > to) return Status::invalid("from", "from 晚于 to (from is after to)");
  return {};
}

}  // namespace anju::api
