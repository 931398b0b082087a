// The 1-3-5 timers' pass: a stage still not reached past its target is escalated, once per stage,
// one level up the region tree. The first escalation goes to the estate's region (the community
// or street the estate belongs to), each further one to the parent of the last; above the top of
// the tree it stays at the top. Each is a step by "system" in the incident's history.
#include <fmt/format.h>

#include "incidents/incident_row.h"

namespace anju::incidents {

using nlohmann::json;
using store::Connection;
using store::Value;

namespace {

constexpr int kSweepLimit = 500;  // per pass; the next pass (a second later) takes the rest

struct Region {
  int64_t id = 0;
  std::string name;
  std::string level;
};

Result<std::optional<Region>> regionById(Connection& c, const Value& id) {
  if (store::isNull(id)) return std::optional<Region>();
  auto rows = c.query("SELECT id, name, level, parent_id FROM regions WHERE id = ?", {id});
  if (!rows) return rows.status();
  if (rows->empty()) return std::optional<Region>();
  const auto& r = rows->rows[0];
  return std::optional<Region>(
      Region{store::asInt(r[0]), store::asText(r[1]), store::asText(r[2])});
}

Result<Value> parentOf(Connection& c, int64_t region_id) {
  auto rows = c.query("SELECT parent_id FROM regions WHERE id = ?", {region_id});
  if (!rows) return rows.status();
  if (rows->empty()) return Value{};
  return rows->rows[0][0];
}

}  // namespace

Result<int> IncidentService::escalateLate() {
  const int64_t now = clock_.nowMillis();
  const std::string late =
      " FROM incidents WHERE status IN ('raised', 'acknowledged', 'dispatched') AND ("
      "(acknowledged_at IS NULL AND ack_escalated_at IS NULL AND ack_due_at < ?) OR "
      "(dispatched_at IS NULL AND dispatch_escalated_at IS NULL AND dispatch_due_at < ?) OR "
      "(arrived_at IS NULL AND arrive_escalated_at IS NULL AND arrive_due_at < ?))";
  // The pass runs every second and mostly finds nothing: looking first under a read keeps it from
  // taking the store's one writer every time.
  bool any = false;
  Status looked = db_.read([&](Connection& c) -> Status {
    auto rows = c.query("SELECT 1" + late + " LIMIT 1", {now, now, now});
    if (!rows) return rows.status();
    any = !rows->empty();
    return {};
  });
  if (!looked) return looked;
  if (!any) return 0;

  int escalated = 0;
  std::vector<int64_t> changed;
  Status s = db_.write([&](Connection& c) -> Status {
    escalated = 0;
    changed.clear();
    auto rows =
        c.query("SELECT " + std::string(kIncidentColumns) + late + " ORDER BY raised_at LIMIT ?",
                {now, now, now, int64_t{kSweepLimit}});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      const int64_t id = store::asInt(r[kId]);
      const std::string status = store::asText(r[kStatus]);
      int64_t escalations = store::asInt(r[kEscalations]);
      Value at = r[kEscalatedRegionId];
      for (std::size_t i = 0; i < std::size(kStages); ++i) {
        const StageColumns& col = kStageColumns[i];
        const int64_t due = store::asInt(r[col.due]);
        if (!store::isNull(r[col.done]) || !store::isNull(r[col.escalated]) || due >= now) continue;
        // The next level up: the estate's region first, then the parent of the last one.
        Value target = r[kRegionId];
        if (escalations > 0 && !store::isNull(at)) {
          auto parent = parentOf(c, store::asInt(at));
          if (!parent) return parent.status();
          target = store::isNull(*parent) ? at : *parent;
        }
        auto found = regionById(c, target);
        if (!found) return found.status();
        const std::optional<Region>& region = *found;
        ++escalations;
        at = target;
        auto updated = c.execute(std::string("UPDATE incidents SET ") + col.escalated_name +
                                     " = ?, escalations = ?, escalated_region_id = ?, "
                                     "updated_at = ? WHERE id = ?",
                                 {now, escalations, target, now, id});
        if (!updated) return updated.status();
        const std::string stage(kStages[i].name);
        const std::string where = region ? region->name : "最上级 (the top of the region tree)";
        ANJU_RETURN_IF_ERROR(appendStep(
            c, {.incident_id = id,
                .ts = now,
                .actor = "system",
                .action = "escalate",
                .from = status,
                .to = status,
                .note = fmt::format("{} 阶段超过 {} 秒目标，已上报 {} (the {} stage missed its {} "
                                    "second target; escalated to {})",
                                    stage, (due - store::asInt(r[kRaisedAt])) / 1000, where, stage,
                                    (due - store::asInt(r[kRaisedAt])) / 1000, where),
                .details = {{"stage", stage},
                            {"due_at", formatTime(due)},
                            {"automatic", true},
                            {"level", escalations},
                            {"region_id", region ? json(region->id) : json(nullptr)},
                            {"region_name", region ? json(region->name) : json(nullptr)},
                            {"region_level", region ? json(region->level) : json(nullptr)}}}));
        ++escalated;
        if (changed.empty() || changed.back() != id) changed.push_back(id);
      }
    }
    return {};
  });
  if (!s) return s;
  publish(changed);
  return escalated;
}

}  // namespace anju::incidents
