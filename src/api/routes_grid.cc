// Grid work and community policing over HTTP: the steps of a hazard's rectification loop, its
// history, and the policing and grid statistics. The rules live in grid/; this file checks who
// is asking and maps JSON.
#include <memory>

#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"
#include "domain/entity_fields.h"
#include "grid/grid_stats.h"
#include "grid/hazard_service.h"
#include "grid/policing_stats.h"

namespace anju::api {

using nlohmann::json;

namespace {

using domain::fields::kStaff;
const std::vector<std::string> kStatsReaders = {"police", "grid_worker", "mediator", "admin"};
constexpr int kDefaultMonths = 12;
constexpr int kMaxMonths = 120;

struct GridContext {
  Services& services;
  grid::HazardService hazards;

  explicit GridContext(Services& s)
      : services(s), hazards(s.db, s.clock, s.options.utc_offset_minutes) {}
};

Result<int64_t> hazardId(Call& call) {
  if (auto id = positiveId(call.params["id"])) return *id;
  return Status::notFound("没有这个隐患 (no hazard " + call.params["id"] + ")");
}

// The hazard as the registry shows it, with its steps.
Result<json> hazardWithHistory(GridContext& ctx, const Call& call, int64_t id) {
  auto hazard =
      ctx.services.records.get(*domain::findEntity("hazards"), std::to_string(id), call.scope());
  if (!hazard) return hazard.status();
  auto history = ctx.hazards.history(id, call.scope());
  if (!history) return history.status();
  (*hazard)["history"] = std::move(*history);
  return hazard;
}

http::Response act(GridContext& ctx, Call& call) {
  auto id = hazardId(call);
  if (!id) return errorResponse(id.status());
  auto body = parseJsonObject(call.request, ctx.services.options.max_json_depth);
  if (!body) return errorResponse(body.status());
  auto action = grid::parseHazardAction(*body);
  if (!action) return errorResponse(action.status());
  std::vector<std::string> allowed;
  Status applied = ctx.hazards.apply(*id, *action, call.scope(), call.user->username, allowed);
  if (applied.code() == Code::kConflict) return errorResponse(applied, {{"allowed", allowed}});
  if (!applied) return errorResponse(applied);
  auto hazard = hazardWithHistory(ctx, call, *id);
  if (!hazard) return errorResponse(hazard.status());
  return jsonResponse(200, *hazard);
}

// ?from= and ?to= for monthly figures: by default the twelve months up to this one.
Status monthWindow(Services& services, const Call& call, int64_t& from, int64_t& to) {
  const int offset = services.options.utc_offset_minutes;
  ANJU_RETURN_IF_ERROR(timeRange(call, offset, from, to));
  const int64_t now = services.clock.nowMillis();
  if (call.request.queryParam("to").empty()) to = grid::localMonthStart(now, offset, 1);
  if (call.request.queryParam("from").empty())
    from = grid::localMonthStart(to - 1, offset, 1 - kDefaultMonths);
  if (from >= to) return Status::invalid("from", "from 不早于 to (from must be before to)");
  if (to > grid::localMonthStart(from, offset, kMaxMonths))
    return Status::invalid("from", "时间范围超过 120 个月 (the window spans more than 120 months)");
  return {};
}

json policingJson(const grid::PolicingStats& stats, int64_t from, int64_t to, int offset) {
  json months = json::array();
  for (const auto& m : stats.months) {
    months.push_back({{"month", m.month},
                      {"estates", m.estates},
                      {"zero_incident_estates", m.zero_incident_estates},
                      {"zero_incident_share",
                       m.zero_incident_share ? json(*m.zero_incident_share) : json(nullptr)},
                      {"criminal", m.criminal},
                      {"public_order", m.public_order},
                      {"burglary", m.burglary}});
  }
  json officers = json::array();
  for (const auto& o : stats.officers) {
    officers.push_back({{"officer", o.officer}, {"total", o.total}, {"by_kind", o.by_kind}});
  }
  return {{"from", formatTimestamp(from, offset)},
          {"to", formatTimestamp(to, offset)},
          {"months", std::move(months)},
          {"officers", std::move(officers)}};
}

http::Response policing(Services& services, Call& call) {
  const int offset = services.options.utc_offset_minutes;
  int64_t from = 0, to = 0;
  ANJU_RETURN_IF_ERROR_RESPONSE(monthWindow(services, call, from, to));
  auto scope = regionScope(services, call);
  if (!scope) return errorResponse(scope.status());
  auto stats = grid::policingStats(services.db, *scope, from, to, offset);
  if (!stats) return errorResponse(stats.status());
  return jsonResponse(200, policingJson(*stats, from, to, offset));
}

json tallyJson(const grid::GridTally& t) {
  return {{"hazards",
           {{"reported", t.reported},
            {"open", t.open},
            {"rectified", t.rectified},
            {"verified", t.verified},
            {"overdue", t.overdue}}},
          {"patrols", t.patrols},
          {"checkins", t.checkins},
          {"buildings", t.buildings},
          {"buildings_checked", t.buildings_checked},
          {"coverage", t.coverage ? json(*t.coverage) : json(nullptr)}};
}

http::Response grids(Services& services, Call& call) {
  const int offset = services.options.utc_offset_minutes;
  int64_t from = 0, to = 0;
  ANJU_RETURN_IF_ERROR_RESPONSE(timeRange(call, offset, from, to));
  auto scope = regionScope(services, call);
  if (!scope) return errorResponse(scope.status());
  const std::string today = formatTimestamp(services.clock.nowMillis(), offset).substr(0, 10);
  auto tallies = grid::gridStats(services.db, *scope, from, to, today);
  if (!tallies) return errorResponse(tallies.status());
  json items = json::array();
  grid::GridTally total;
  for (const auto& t : *tallies) {
    json item{{"grid_id", t.grid_id}, {"name", t.name}};
    item.update(tallyJson(t));
    items.push_back(std::move(item));
    total.add(t);
  }
  json sum{{"grids", tallies->size()}};
  sum.update(tallyJson(total));
  return jsonResponse(200, {{"items", std::move(items)}, {"total", std::move(sum)}});
}

}  // namespace

void addGridRoutes(Router& router, Services& services) {
  auto ctx = std::make_shared<GridContext>(services);

  router.add({.method = "POST",
              .pattern = "/api/v1/hazards/{id}/actions",
              .summary = "Take a hazard one step along its rectification loop: assign "
                         "{assignee, rectify_by}, rectify {note}, verify {passed, note?, "
                         "rectify_by?}; answers the hazard with its history",
              .tag = "hazards",
              .roles = {"grid_worker", "police", "admin"},
              .response_schema = "hazards",
              .handler = [ctx](Call& call) { return act(*ctx, call); }});

  router.add({.method = "GET",
              .pattern = "/api/v1/hazards/{id}/history",
              .summary = "The steps a hazard has taken, oldest first",
              .tag = "hazards",
              .roles = kStaff,
              .handler = [ctx](Call& call) {
                auto id = hazardId(call);
                if (!id) return errorResponse(id.status());
                auto history = ctx->hazards.history(*id, call.scope());
                if (!history) return errorResponse(history.status());
                return jsonResponse(200, {{"items", std::move(*history)}});
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/stats/policing",
              .summary = "Per month: estates, those with no criminal incident and their share "
                         "(零发案小区占比), criminal, public-order and burglary incidents; and "
                         "service records per officer",
              .tag = "stats",
              .roles = kStatsReaders,
              .query = {"region_id", "from", "to"},
              .handler = [&services](Call& call) { return policing(services, call); }});

  router.add({.method = "GET",
              .pattern = "/api/v1/stats/grids",
              .summary = "Per grid: hazards by loop status and overdue, patrols, check-ins and "
                         "the share of its buildings a check-in reached",
              .tag = "stats",
              .roles = kStatsReaders,
              .query = {"region_id", "from", "to"},
              .handler = [&services](Call& call) { return grids(services, call); }});
}

}  // namespace anju::api
