// Statistics per estate and for the caller's region: devices and how many are online, passages by
// day and hour, alarms, visitors, temporary vehicles and their dwell, and tier compliance. Counts
// come from the hourly counts and visit tables kept beside the events, never from the events.
#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <unordered_map>

#include "api/responses.h"
#include "api/routes.h"
#include "domain/tier_compliance.h"

namespace anju::api {

using nlohmann::json;

namespace {

constexpr int64_t kHourMs = 3600 * 1000;
constexpr std::size_t kEstateChunk = 500;  // estates per IN (...) list

struct EstateRow {
  int64_t id = 0;
  std::string name;
  std::string tier;
};

struct DeviceRow {
  std::string id;
  std::string kind;
  bool online = false;
};

// What is summed per estate and again over the region.
struct Tally {
  std::map<std::string, std::pair<int64_t, int64_t>> by_kind;  // kind -> (total, online)
  int64_t devices = 0, online = 0;
  int64_t people = 0, vehicle_passages = 0, denied = 0, alarms = 0;
  std::map<std::string, int64_t> by_day;
  std::array<int64_t, 24> by_hour{};
  int64_t passes_issued = 0, pass_entries = 0, phone_admissions = 0;
  int64_t visits = 0, temporary_visits = 0, temporary_closed = 0, temporary_dwell_ms = 0;

  void add(const Tally& o) {
    for (const auto& [kind, n] : o.by_kind) {
      by_kind[kind].first += n.first;
      by_kind[kind].second += n.second;
    }
    devices += o.devices;
    online += o.online;
    people += o.people;
    vehicle_passages += o.vehicle_passages;
    denied += o.denied;
    alarms += o.alarms;
    for (const auto& [day, n] : o.by_day) by_day[day] += n;
    for (std::size_t h = 0; h < 24; ++h) by_hour[h] += o.by_hour[h];
    passes_issued += o.passes_issued;
    pass_entries += o.pass_entries;
    phone_admissions += o.phone_admissions;
    visits += o.visits;
    temporary_visits += o.temporary_visits;
    temporary_closed += o.temporary_closed;
    temporary_dwell_ms += o.temporary_dwell_ms;
  }

  json toJson() const {
    json kinds = json::object();
    for (const auto& [kind, n] : by_kind) kinds[kind] = {{"total", n.first}, {"online", n.second}};
    json days = json::object();
    for (const auto& [day, n] : by_day) days[day] = n;
    return {
        {"devices",
         {{"total", devices},
          {"online", online},
          {"online_ratio", devices ? json(static_cast<double>(online) / devices) : json(nullptr)},
          {"by_kind", std::move(kinds)}}},
        {"passages",
         {{"total", people + vehicle_passages},
          {"people", people},
          {"vehicles", vehicle_passages},
          {"denied", denied},
          {"by_day", std::move(days)},
          {"by_hour", by_hour}}},
        {"alarms", alarms},
        {"visitors",
         {{"passes_issued", passes_issued},
          {"pass_entries", pass_entries},
          {"phone_admissions", phone_admissions}}},
        {"vehicles",
         {{"visits", visits},
          {"temporary_visits", temporary_visits},
          {"mean_dwell_minutes", temporary_closed ? json(static_cast<double>(temporary_dwell_ms) /
                                                         temporary_closed / 60000.0)
                                                  : json(nullptr)}}}};
  }
};

json complianceJson(const domain::TierCompliance& c) {
  json aspects = json::array();
  for (const auto& a : c.aspects) {
    aspects.push_back({{"aspect", a.aspect},
                       {"label", a.label},
                       {"present", a.present},
                       {"online", a.online},
                       {"ok", a.ok}});
  }
  json missing = json::array();
  for (const auto& m : c.missing) missing.push_back({{"aspect", m.aspect}, {"message", m.message}});
  auto name = [](const std::optional<domain::Tier>& t) {
    return t ? json(domain::tierName(*t)) : json(nullptr);
  };
  return {{"tier", name(c.reached)},
          {"next_tier", name(c.next)},
          {"aspects", std::move(aspects)},
          {"missing", std::move(missing)}};
}

std::string inList(std::size_t n) {
  std::string out = "(";
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out + ")";
}

// Runs `sql` (which holds one "IN %" for the estate ids, after any other parameters in `before`)
// once per chunk of estates and hands each row to `row`.
Status perChunk(store::Connection& c, const std::vector<int64_t>& ids, const std::string& sql,
                const std::vector<store::Value>& before, const std::vector<store::Value>& after,
                const std::function<void(const std::vector<store::Value>&)>& row) {
  const std::size_t at = sql.find("IN %");
  for (std::size_t start = 0; start < ids.size(); start += kEstateChunk) {
    const std::size_t n = std::min(kEstateChunk, ids.size() - start);
    std::vector<store::Value> params = before;
    for (std::size_t i = start; i < start + n; ++i) params.push_back(ids[i]);
    params.insert(params.end(), after.begin(), after.end());
    std::string chunk_sql = sql;
    chunk_sql.replace(at + 3, 1, inList(n));
    auto rows = c.query(chunk_sql, params);
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) row(r);
  }
  return {};
}

Result<json> estateStats(Services& services, const std::vector<EstateRow>& estates, int64_t from,
                         int64_t to, int offset) {
  std::vector<int64_t> ids;
  std::unordered_map<int64_t, Tally> tallies;
  for (const auto& e : estates) {
    ids.push_back(e.id);
    tallies[e.id];
  }
  std::unordered_map<int64_t, std::vector<DeviceRow>> devices;
  std::unordered_map<int64_t, std::vector<std::string>> resident;

  Status st = services.db.read([&](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(
        perChunk(c, ids, "SELECT estate_id, id, kind, online FROM devices WHERE estate_id IN %", {},
                 {}, [&](const auto& r) {
                   devices[store::asInt(r[0])].push_back(
                       {store::asText(r[1]), store::asText(r[2]), store::asInt(r[3]) != 0});
                 }));
    ANJU_RETURN_IF_ERROR(perChunk(
        c, ids, "SELECT estate_id, plate FROM vehicles WHERE estate_id IN % AND kind = 'resident'",
        {}, {},
        [&](const auto& r) { resident[store::asInt(r[0])].push_back(store::asText(r[1])); }));
    ANJU_RETURN_IF_ERROR(perChunk(
        c, ids,
        "SELECT estate_id, count(*), coalesce(sum(max_uses - uses_left), 0) FROM visitor_passes "
        "WHERE estate_id IN % AND valid_from >= ? AND valid_from <= ? GROUP BY estate_id",
        {}, {from, to}, [&](const auto& r) {
          Tally& t = tallies[store::asInt(r[0])];
          t.passes_issued = store::asInt(r[1]);
          t.pass_entries = store::asInt(r[2]);
        }));
    return perChunk(c, ids,
                    "SELECT estate_id, count(*) FROM phone_authorisations WHERE estate_id IN % AND "
                    "status = 'used' AND opened_at >= ? AND opened_at <= ? GROUP BY estate_id",
                    {}, {from, to}, [&](const auto& r) {
                      tallies[store::asInt(r[0])].phone_admissions = store::asInt(r[1]);
                    });
  });
  if (!st) return st;

  const auto live = liveDevices(services);

  if (services.event_store && !ids.empty()) {
    // Counts are kept per hour: start at the hour `from` falls in.
    const int64_t first_hour = from - ((from % kHourMs) + kHourMs) % kHourMs;
    for (std::size_t start = 0; start < ids.size(); start += kEstateChunk) {
      std::vector<int64_t> chunk(
          ids.begin() + static_cast<std::ptrdiff_t>(start),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), start + kEstateChunk)));
      auto counts = services.event_store->hourCounts(chunk, first_hour, to);
      if (!counts) return counts.status();
      for (const auto& h : *counts) {
        Tally& t = tallies[h.estate_id];
        if (h.kind == "alarm") {
          t.alarms += h.count;
          continue;
        }
        if (h.kind != "access" && h.kind != "vehicle") continue;
        (h.kind == "access" ? t.people : t.vehicle_passages) += h.count;
        if (h.result == "denied") t.denied += h.count;
        // The server's offset decides the day and the hour of day. Offsets that are not whole
        // hours put each hour's count in the local hour its first minute falls in.
        const int64_t local = h.hour + int64_t{offset} * 60000;
        t.by_day[formatTimestamp(h.hour, offset).substr(0, 10)] += h.count;
        t.by_hour[static_cast<std::size_t>(((local / kHourMs) % 24 + 24) % 24)] += h.count;
      }
    }
    for (int64_t id : ids) {
      auto totals = services.event_store->visitTotals(id, from, to);
      if (!totals) return totals.status();
      const auto& plates = resident[id];
      Tally& t = tallies[id];
      for (const auto& p : *totals) {
        t.visits += p.visits;
        if (std::find(plates.begin(), plates.end(), p.plate) != plates.end()) continue;
        t.temporary_visits += p.visits;
        t.temporary_closed += p.closed;
        t.temporary_dwell_ms += p.dwell_ms;
      }
    }
  }

  json items = json::array();
  Tally total;
  std::map<std::string, int64_t> tiers{
      {"none", 0}, {"standard", 0}, {"enhanced", 0}, {"demonstration", 0}};
  for (const auto& e : estates) {
    Tally& t = tallies[e.id];
    std::vector<domain::DeviceOnline> online;
    for (const auto& d : devices[e.id]) {
      auto it = live.find(d.id);
      const bool is_online = it != live.end() ? it->second.online : d.online;
      online.push_back({d.kind, is_online});
      auto& kind = t.by_kind[d.kind];
      ++kind.first;
      ++t.devices;
      if (is_online) {
        ++kind.second;
        ++t.online;
      }
    }
    const domain::TierCompliance compliance = domain::assessTier(online);
    ++tiers[compliance.reached ? std::string(domain::tierName(*compliance.reached)) : "none"];
    json item{{"estate_id", e.id},
              {"name", e.name},
              {"declared_tier", e.tier.empty() ? json(nullptr) : json(e.tier)}};
    item.update(t.toJson());
    item["compliance"] = complianceJson(compliance);
    items.push_back(std::move(item));
    total.add(t);
  }
  json region{{"estates", estates.size()}};
  region.update(total.toJson());
  region["tiers"] = tiers;
  return json{{"items", std::move(items)}, {"total", std::move(region)}};
}

EstateRow estateRow(const std::vector<store::Value>& r) {
  return {store::asInt(r[0]), store::asText(r[1]), store::isNull(r[2]) ? "" : store::asText(r[2])};
}

http::Response regionStats(Services& services, Call& call, int offset) {
  int64_t from = 0, to = 0;
  ANJU_RETURN_IF_ERROR_RESPONSE(timeRange(call, offset, from, to));
  auto scope = regionScope(services, call);
  if (!scope) return errorResponse(scope.status());
  std::vector<EstateRow> estates;
  Status st = services.db.read([&](store::Connection& c) -> Status {
    auto rows = c.query(
        "SELECT id, name, tier FROM estates WHERE region_path >= ? AND region_path < ? ORDER BY id",
        {scope->path, scope->upperBound()});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) estates.push_back(estateRow(r));
    return {};
  });
  if (!st) return errorResponse(st);
  auto stats = estateStats(services, estates, from, to, offset);
  if (!stats) return errorResponse(stats.status());
  return jsonResponse(200, *stats);
}

http::Response oneEstate(Services& services, Call& call, int offset) {
  int64_t from = 0, to = 0;
  ANJU_RETURN_IF_ERROR_RESPONSE(timeRange(call, offset, from, to));
  const auto estate = positiveId(call.params["id"]);
  if (!estate) return errorResponse(Status::notFound("没有这个小区 (no such estate)"));
  const int64_t id = *estate;
  ANJU_RETURN_IF_ERROR_RESPONSE(checkEstateInScope(services, call, id));
  std::vector<EstateRow> estates;
  Status st = services.db.read([&](store::Connection& c) -> Status {
    auto rows = c.query("SELECT id, name, tier FROM estates WHERE id = ?", {id});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) estates.push_back(estateRow(r));
    return {};
  });
  if (!st) return errorResponse(st);
  auto stats = estateStats(services, estates, from, to, offset);
  if (!stats) return errorResponse(stats.status());
  if ((*stats)["items"].empty())
    return errorResponse(Status::notFound("没有这个小区 (no such estate)"));
  return jsonResponse(200, (*stats)["items"][0]);
}

}  // namespace

void addStatsRoutes(Router& router, Services& services) {
  const int offset = services.options.utc_offset_minutes;

  router.add(
      {.method = "GET",
       .pattern = "/api/v1/stats/estates",
       .summary = "Per estate in the caller's scope (or a region inside it) and in total: "
                  "devices online, passages by day and hour, alarms, visitors, temporary "
                  "vehicles and their dwell, and tier compliance",
       .tag = "stats",
       .roles = {"police", "security", "grid_worker", "admin"},
       .query = {"region_id", "from", "to"},
       .handler = [&services, offset](Call& call) { return regionStats(services, call, offset); }});

  router.add(
      {.method = "GET",
       .pattern = "/api/v1/stats/estates/{id}",
       .summary = "One estate's statistics and tier compliance",
       .tag = "stats",
       .roles = {"police", "security", "grid_worker", "admin"},
       .query = {"from", "to"},
       .handler = [&services, offset](Call& call) { return oneEstate(services, call, offset); }});
}

}  // namespace anju::api
