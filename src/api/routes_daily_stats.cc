// Day-by-day counts for the console's overview: alerts raised, incidents raised and cases filed
// on each local day of a window (the last 30 days by default), and the cases in the caller's
// scope by their status now. Each series is given only to roles that read its objects.
#include <map>

#include "api/responses.h"
#include "api/routes.h"

namespace anju::api {

using nlohmann::json;

namespace {

constexpr int64_t kDayMs = int64_t{24} * 3600 * 1000;
constexpr int64_t kDefaultDays = 30;
constexpr int64_t kMaxDays = 366;

bool readsAny(const store::User& user, std::initializer_list<std::string_view> roles) {
  if (user.hasRole("admin")) return true;
  for (auto role : roles)
    if (user.hasRole(role)) return true;
  return false;
}

// Counts per local day number (days since the epoch at the server's offset) of rows of `table`
// whose `column` time falls in [from, to) inside the scope.
Result<std::map<int64_t, int64_t>> perDay(store::Connection& c, const std::string& table,
                                          const std::string& column, const store::Scope& scope,
                                          int64_t from, int64_t to, int64_t offset_ms) {
  auto rows = c.query("SELECT (" + column + " + ?) / ?, COUNT(*) FROM " + table +
                          " WHERE region_path >= ? AND region_path < ? AND " + column +
                          " >= ? AND " + column + " < ? GROUP BY 1",
                      {offset_ms, kDayMs, scope.path, scope.upperBound(), from, to});
  if (!rows) return rows.status();
  std::map<int64_t, int64_t> out;
  for (const auto& r : rows->rows) out[store::asInt(r[0])] = store::asInt(r[1]);
  return out;
}

http::Response dailyStats(Services& services, Call& call) {
  const int offset = services.options.utc_offset_minutes;
  const int64_t offset_ms = int64_t{offset} * 60000;
  int64_t from = 0, to = 0;
  ANJU_RETURN_IF_ERROR_RESPONSE(timeRange(call, offset, from, to));
  if (call.request.queryParam("to").empty()) {
    const int64_t today = (services.clock.nowMillis() + offset_ms) / kDayMs;
    to = (today + 1) * kDayMs - offset_ms;
  }
  if (call.request.queryParam("from").empty()) from = to - kDefaultDays * kDayMs;
  if (from >= to) return errorResponse(Status::invalid("from", "from 晚于 to (from is after to)"));
  const int64_t first = (from + offset_ms) / kDayMs;
  const int64_t last = (to - 1 + offset_ms) / kDayMs;
  if (last - first + 1 > kMaxDays)
    return errorResponse(Status::invalid("from",
                                         "时间范围最多 366 天 (the window may span at most "
                                         "366 days)"));
  auto scope = regionScope(services, call);
  if (!scope) return errorResponse(scope.status());

  const store::User& user = *call.user;
  const bool alarms = readsAny(user, {"police", "security", "grid_worker"});
  const bool cases = readsAny(user, {"police", "grid_worker", "mediator", "department"});
  json days = json::array();
  for (int64_t d = first; d <= last; ++d)
    days.push_back(formatTimestamp(d * kDayMs - offset_ms, offset).substr(0, 10));
  json out = {
      {"from", formatTimestamp(from, offset)}, {"to", formatTimestamp(to, offset)}, {"days", days}};
  auto series = [&](const std::map<int64_t, int64_t>& counts) {
    json values = json::array();
    for (int64_t d = first; d <= last; ++d) {
      auto it = counts.find(d);
      values.push_back(it == counts.end() ? 0 : it->second);
    }
    return values;
  };
  Status read = services.db.read([&](store::Connection& c) -> Status {
    if (alarms) {
      auto raised = perDay(c, "alerts", "created_at", *scope, from, to, offset_ms);
      if (!raised) return raised.status();
      out["alerts"] = series(*raised);
      auto incidents = perDay(c, "incidents", "raised_at", *scope, from, to, offset_ms);
      if (!incidents) return incidents.status();
      out["incidents"] = series(*incidents);
    }
    if (cases) {
      auto filed = perDay(c, "cases", "created_at", *scope, from, to, offset_ms);
      if (!filed) return filed.status();
      out["cases"] = series(*filed);
      auto rows = c.query(
          "SELECT status, COUNT(*) FROM cases WHERE region_path >= ? AND region_path < ? "
          "GROUP BY status",
          {scope->path, scope->upperBound()});
      if (!rows) return rows.status();
      json by_status = json::object();
      for (const auto& r : rows->rows) by_status[store::asText(r[0])] = store::asInt(r[1]);
      out["cases_by_status"] = std::move(by_status);
    }
    return {};
  });
  if (!read) return errorResponse(read);
  return jsonResponse(200, out);
}

}  // namespace

void addDailyStatsRoutes(Router& router, Services& services) {
  router.add({.method = "GET",
              .pattern = "/api/v1/stats/daily",
              .summary = "Alerts, incidents and cases per local day of [from, to) (default the "
                         "last 30 days) and cases by status now, in the caller's scope; each "
                         "series only for the roles that read it",
              .tag = "stats",
              .roles = {"police", "security", "grid_worker", "mediator", "department"},
              .query = {"region_id", "from", "to"},
              .handler = [&services](Call& call) { return dailyStats(services, call); }});
}

}  // namespace anju::api
