// Case statistics over HTTP: the rates of the case loop for the caller's region (or a region
// inside it) and the recurring matters of 举一反三. The figures are worked out in mediation/.
#include "api/responses.h"
#include "api/routes.h"
#include "mediation/case_stats.h"
#include "mediation/recurring_cases.h"

namespace anju::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kReaders = {"police", "grid_worker", "mediator", "department",
                                           "admin"};
constexpr int64_t kDefaultWindowMs = int64_t{30} * 24 * 3600 * 1000;

// The caller's scope, narrowed to ?region_id= when given; a region outside the scope is refused.
Result<store::Scope> statsScope(Services& services, const Call& call) {
  auto region = idParam(call, "region_id");
  if (!region) return region.status();
  store::Scope scope = call.scope();
  if (!*region) return scope;
  auto path = services.records.regionPath(**region);
  if (!path) return path.status();
  if (!scope.contains(*path))
    return Status::forbidden("该区域不在您的管辖范围内 (this region is outside your region)");
  return store::Scope{*path};
}

http::Response caseStats(Services& services, Call& call) {
  const int offset = services.options.utc_offset_minutes;
  mediation::CaseStatsQuery query{.level = call.request.queryParam("level"),
                                  .category = call.request.queryParam("category")};
  ANJU_RETURN_IF_ERROR_RESPONSE(timeRange(call, offset, query.from, query.to));
  auto scope = statsScope(services, call);
  if (!scope) return errorResponse(scope.status());
  query.scope = *scope;
  auto stats = mediation::caseStats(services.db, query, offset);
  if (!stats) return errorResponse(stats.status());
  return jsonResponse(200, mediation::statsJson(*stats));
}

json recurrenceJson(const mediation::Recurrence& r) {
  json out{{"category", r.category}, {"category_name", r.category_name}};
  if (r.estate_id) {
    out["estate_id"] = *r.estate_id;
    out["estate_name"] = r.estate_name;
  }
  out["count"] = r.count;
  out["previous"] = r.previous;
  out["change"] = r.count - r.previous;
  return out;
}

http::Response recurring(Services& services, Call& call) {
  const int offset = services.options.utc_offset_minutes;
  mediation::RecurringQuery query;
  ANJU_RETURN_IF_ERROR_RESPONSE(timeRange(call, offset, query.from, query.to));
  // Without a window: the last 30 days, compared with the 30 before.
  if (call.request.queryParam("to").empty()) query.to = services.clock.nowMillis();
  if (call.request.queryParam("from").empty()) query.from = query.to - kDefaultWindowMs;
  auto limit = limitParam(call, 10, 100);
  if (!limit) return errorResponse(limit.status());
  query.limit = *limit;
  auto scope = statsScope(services, call);
  if (!scope) return errorResponse(scope.status());
  query.scope = *scope;
  auto found = mediation::recurringCases(services.db, query);
  if (!found) return errorResponse(found.status());
  json places = json::array(), categories = json::array();
  for (const auto& r : found->places) places.push_back(recurrenceJson(r));
  for (const auto& r : found->categories) categories.push_back(recurrenceJson(r));
  return jsonResponse(
      200, {{"from", formatTimestamp(query.from, offset)},
            {"to", formatTimestamp(query.to, offset)},
            {"previous_from", formatTimestamp(query.from - (query.to - query.from), offset)},
            {"places", std::move(places)},
            {"categories", std::move(categories)}});
}

}  // namespace

void addCaseStatsRoutes(Router& router, Services& services) {
  router.add({.method = "GET",
              .pattern = "/api/v1/stats/cases",
              .summary = "Case figures for cases created in [from, to) in the caller's scope: "
                         "accepted, resolution, on-time, satisfaction, mediation success, "
                         "pre-litigation resolution, time to resolve; by category, level, region "
                         "and month",
              .tag = "stats",
              .roles = kReaders,
              .query = {"region_id", "from", "to", "level", "category"},
              .handler = [&services](Call& call) { return caseStats(services, call); }});

  router.add({.method = "GET",
              .pattern = "/api/v1/stats/cases/recurring",
              .summary = "举一反三: the categories, and categories at one estate, that recur most "
                         "in [from, to), against the period of the same length before",
              .tag = "stats",
              .roles = kReaders,
              .query = {"region_id", "from", "to", "limit"},
              .handler = [&services](Call& call) { return recurring(services, call); }});
}

}  // namespace anju::api
