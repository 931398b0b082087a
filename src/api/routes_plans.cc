// An estate's site plan in one answer, for the console to draw: the plan's size, its buildings
// and devices where they stand, each device's state as device health sees it now, and the open
// alerts with the device behind each, so that the plan shows what is ringing the moment it opens.
#include <unordered_map>

#include "api/responses.h"
#include "api/routes.h"

namespace anju::api {

using nlohmann::json;

namespace {

// The roles that watch alerts watch them on the plan.
const std::vector<std::string> kPlanReaders = {"police", "security", "grid_worker", "admin"};
constexpr int kPlanAlerts = 200;  // open alerts shown; an estate with more has bigger problems

json realOrNull(const store::Value& v) {
  return store::isNull(v) ? json(nullptr) : json(store::asReal(v));
}
json intOrNull(const store::Value& v) {
  return store::isNull(v) ? json(nullptr) : json(store::asInt(v));
}
json textOrNull(const store::Value& v) {
  return store::isNull(v) ? json(nullptr) : json(store::asText(v));
}

http::Response sitePlan(Services& services, Call& call) {
  const auto estate_id = positiveId(call.params["id"]);
  if (!estate_id) return errorResponse(Status::notFound("没有这个小区 (no such estate)", "id"));
  ANJU_RETURN_IF_ERROR_RESPONSE(checkEstateInScope(services, call, *estate_id));
  const int offset = services.options.utc_offset_minutes;

  json plan;
  Status st = services.db.read([&](store::Connection& c) -> Status {
    auto estate =
        c.query("SELECT id, name, address, plan_width, plan_height FROM estates WHERE id = ?",
                {*estate_id});
    if (!estate) return estate.status();
    if (estate->empty()) return Status::notFound("没有这个小区 (no such estate)", "id");
    const auto& e = estate->rows[0];
    plan["estate"] = {{"id", store::asInt(e[0])},
                      {"name", store::asText(e[1])},
                      {"address", textOrNull(e[2])},
                      {"plan_width", realOrNull(e[3])},
                      {"plan_height", realOrNull(e[4])}};

    auto buildings = c.query(
        "SELECT id, name, floors, plan_x, plan_y FROM buildings WHERE estate_id = ? ORDER BY id",
        {*estate_id});
    if (!buildings) return buildings.status();
    plan["buildings"] = json::array();
    for (const auto& b : buildings->rows) {
      plan["buildings"].push_back({{"id", store::asInt(b[0])},
                                   {"name", store::asText(b[1])},
                                   {"floors", intOrNull(b[2])},
                                   {"plan_x", realOrNull(b[3])},
                                   {"plan_y", realOrNull(b[4])}});
    }

    auto devices = c.query(
        "SELECT id, name, kind, building_id, position, direction, plan_x, plan_y, online, "
        "last_seen FROM devices WHERE estate_id = ? ORDER BY id",
        {*estate_id});
    if (!devices) return devices.status();
    plan["devices"] = json::array();
    for (const auto& d : devices->rows) {
      plan["devices"].push_back(
          {{"id", store::asText(d[0])},
           {"name", store::asText(d[1])},
           {"kind", store::asText(d[2])},
           {"building_id", intOrNull(d[3])},
           {"position", textOrNull(d[4])},
           {"direction", textOrNull(d[5])},
           {"plan_x", realOrNull(d[6])},
           {"plan_y", realOrNull(d[7])},
           {"online", store::asInt(d[8]) != 0},
           {"last_seen", store::isNull(d[9]) ? json(nullptr)
                                             : json(formatTimestamp(store::asInt(d[9]), offset))}});
    }
    return {};
  });
  if (!st) return errorResponse(st);

  const auto live = liveDevices(services);
  for (auto& device : plan["devices"]) {
    auto it = live.find(device["id"].get<std::string>());
    if (it == live.end()) continue;
    device["online"] = it->second.online;
    if (it->second.last_seen > 0) {
      device["last_seen"] = formatTimestamp(it->second.last_seen, offset);
    }
  }

  plan["alerts"] = json::array();
  if (services.alerts) {
    alerts::AlertQuery q;
    q.scope = call.scope();
    q.open = true;
    q.estate_id = *estate_id;
    q.limit = kPlanAlerts;
    auto page = services.alerts->list(q);
    if (!page) return errorResponse(page.status());
    for (auto& alert : page->items) plan["alerts"].push_back(std::move(alert));
  }
  return jsonResponse(200, plan);
}

}  // namespace

void addPlanRoutes(Router& router, Services& services) {
  router.add({.method = "GET",
              .pattern = "/api/v1/estates/{id}/plan",
              .summary = "An estate's site plan: its size, buildings and devices with their plan "
                         "coordinates (metres from the top-left corner), each device's online "
                         "state and last message, and the estate's open alerts with their device",
              .tag = "estates",
              .roles = kPlanReaders,
              .response_schema = "SitePlan",
              .handler = [&services](Call& call) { return sitePlan(services, call); }});
}

}  // namespace anju::api
