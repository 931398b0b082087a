#include "grid/grid_stats.h"

#include <functional>
#include <map>

#include "grid/hazard_flow.h"

namespace anju::grid {

void GridTally::add(const GridTally& o) {
  reported += o.reported;
  open += o.open;
  rectified += o.rectified;
  verified += o.verified;
  overdue += o.overdue;
  patrols += o.patrols;
  checkins += o.checkins;
  buildings += o.buildings;
  buildings_checked += o.buildings_checked;
  if (buildings > 0) coverage = static_cast<double>(buildings_checked) / buildings;
}

Result<std::vector<GridTally>> gridStats(store::Database& db, const store::Scope& scope,
                                         int64_t from, int64_t to, const std::string& today) {
  std::vector<GridTally> grids;
  std::map<int64_t, GridTally*> by_id;
  Status st = db.read([&](store::Connection& c) -> Status {
    const std::vector<store::Value> in_scope{scope.path, scope.upperBound()};
    auto rows =
        c.query("SELECT id, name FROM grids WHERE region_path >= ? AND region_path < ? ORDER BY id",
                in_scope);
    if (!rows) return rows.status();
    for (const auto& r : rows->rows)
      grids.push_back({.grid_id = store::asInt(r[0]), .name = store::asText(r[1])});
    for (auto& g : grids) by_id[g.grid_id] = &g;

    // Runs a query over the grids in scope (its first two parameters) and the window.
    auto each = [&](const std::string& sql, const std::vector<store::Value>& window,
                    const std::function<void(GridTally&, const std::vector<store::Value>&)>& add)
        -> Status {
      std::vector<store::Value> params = in_scope;
      params.insert(params.end(), window.begin(), window.end());
      auto found = c.query(sql, params);
      if (!found) return found.status();
      for (const auto& r : found->rows) {
        auto it = by_id.find(store::asInt(r[0]));
        if (it != by_id.end()) add(*it->second, r);
      }
      return {};
    };

    ANJU_RETURN_IF_ERROR(
        each("SELECT h.grid_id, h.status, h.rectify_by FROM hazards h JOIN grids g ON g.id = "
             "h.grid_id WHERE g.region_path >= ? AND g.region_path < ? AND h.created_at >= ? AND "
             "h.created_at < ?",
             {from, to}, [&](GridTally& t, const auto& r) {
               const std::string status = store::asText(r[1]);
               ++t.reported;
               if (isOpenHazardStatus(status)) {
                 ++t.open;
                 if (!store::isNull(r[2]) && store::asText(r[2]) < today) ++t.overdue;
               } else if (status == "rectified") {
                 ++t.rectified;
               } else {
                 ++t.verified;
               }
             }));
    ANJU_RETURN_IF_ERROR(each(
        "SELECT p.grid_id, count(*) FROM patrols p JOIN grids g ON g.id = p.grid_id WHERE "
        "g.region_path >= ? AND g.region_path < ? AND coalesce(p.started_at, p.created_at) >= ? "
        "AND coalesce(p.started_at, p.created_at) < ? GROUP BY p.grid_id",
        {from, to}, [](GridTally& t, const auto& r) { t.patrols = store::asInt(r[1]); }));
    ANJU_RETURN_IF_ERROR(each(
        "SELECT p.grid_id, count(*) FROM patrol_checkins k JOIN patrols p ON p.id = k.patrol_id "
        "JOIN grids g ON g.id = p.grid_id WHERE g.region_path >= ? AND g.region_path < ? AND "
        "k.ts >= ? AND k.ts < ? GROUP BY p.grid_id",
        {from, to}, [](GridTally& t, const auto& r) { t.checkins = store::asInt(r[1]); }));
    ANJU_RETURN_IF_ERROR(
        each("SELECT l.object_id, count(*) FROM links l JOIN grids g ON g.id = l.object_id WHERE "
             "l.entity = 'grids' AND l.field = 'building_ids' AND g.region_path >= ? AND "
             "g.region_path < ? GROUP BY l.object_id",
             {}, [](GridTally& t, const auto& r) { t.buildings = store::asInt(r[1]); }));
    return each(
        "SELECT l.object_id, count(*) FROM links l JOIN grids g ON g.id = l.object_id WHERE "
        "l.entity = 'grids' AND l.field = 'building_ids' AND g.region_path >= ? AND "
        "g.region_path < ? AND EXISTS (SELECT 1 FROM patrol_checkins k WHERE k.building_id = "
        "CAST(l.value AS INTEGER) AND k.ts >= ? AND k.ts < ?) GROUP BY l.object_id",
        {from, to}, [](GridTally& t, const auto& r) { t.buildings_checked = store::asInt(r[1]); });
  });
  if (!st) return st;
  for (auto& g : grids) {
    if (g.buildings > 0) g.coverage = static_cast<double>(g.buildings_checked) / g.buildings;
  }
  return grids;
}

}  // namespace anju::grid
