// Response-time statistics per estate: how many incidents, how many false alarms, and for each
// stage of the 1-3-5 response how long it took and how often it met its target.
#include <algorithm>
#include <cmath>
#include <map>

#include "incidents/incident_row.h"

namespace anju::incidents {

using store::Connection;
using store::Value;

namespace {

double tenths(double v) {
  return std::round(v * 10) / 10;
}

// Seconds from raised to reached for each incident that reached the stage, and the counts.
struct StageSamples {
  std::vector<int64_t> ms;
  int64_t counted = 0;
  int64_t on_time = 0;
};

struct Samples {
  IncidentFigures figures;
  StageSamples stages[3];
};

StageFigures finish(const StageSamples& s) {
  StageFigures f;
  f.counted = s.counted;
  f.reached = static_cast<int64_t>(s.ms.size());
  f.on_time = s.on_time;
  if (!s.ms.empty()) {
    std::vector<int64_t> sorted = s.ms;
    std::sort(sorted.begin(), sorted.end());
    double sum = 0;
    for (int64_t v : sorted) sum += static_cast<double>(v);
    f.mean_seconds = tenths(sum / static_cast<double>(sorted.size()) / 1000);
    // Nearest rank: the smallest value with at least 90% of the values at or below it.
    const auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(sorted.size())));
    f.p90_seconds = tenths(static_cast<double>(sorted[std::max<std::size_t>(rank, 1) - 1]) / 1000);
  }
  if (s.counted > 0)
    f.on_time_rate =
        std::round(static_cast<double>(s.on_time) / static_cast<double>(s.counted) * 10000) / 10000;
  return f;
}

void add(Samples& s, const std::vector<Value>& r, int64_t now) {
  const std::string status = store::asText(r[kStatus]);
  ++s.figures.count;
  if (isOpen(status)) ++s.figures.open;
  if (status == "resolved") ++s.figures.resolved;
  if (status == "false_alarm") ++s.figures.false_alarms;
  const int64_t raised = store::asInt(r[kRaisedAt]);
  const auto closed = optInt(r[kClosedAt]);
  for (std::size_t i = 0; i < std::size(kStages); ++i) {
    const int64_t due = store::asInt(r[kStageColumns[i].due]);
    const auto done = optInt(r[kStageColumns[i].done]);
    StageSamples& st = s.stages[i];
    if (done) {
      ++st.counted;
      st.ms.push_back(*done - raised);
      if (*done <= due) ++st.on_time;
    } else if ((closed ? *closed : now) > due) {
      ++st.counted;  // its target passed while the incident was open without it
    }
  }
}

void finishInto(IncidentFigures& out, const Samples& s) {
  out.count = s.figures.count;
  out.open = s.figures.open;
  out.resolved = s.figures.resolved;
  out.false_alarms = s.figures.false_alarms;
  out.acknowledge = finish(s.stages[0]);
  out.dispatch = finish(s.stages[1]);
  out.arrive = finish(s.stages[2]);
}

}  // namespace

Result<IncidentStats> IncidentService::stats(const store::Scope& scope,
                                             std::optional<int64_t> estate_id, int64_t from,
                                             int64_t to) {
  std::string sql = "SELECT " + std::string(kIncidentColumns) +
                    ", (SELECT name FROM estates WHERE id = incidents.estate_id) FROM incidents "
                    "WHERE region_path >= ? AND region_path < ? AND raised_at >= ? AND "
                    "raised_at < ?";
  std::vector<Value> params = {scope.path, scope.upperBound(), from, to};
  if (estate_id) {
    sql += " AND estate_id = ?";
    params.emplace_back(*estate_id);
  }
  const int64_t now = clock_.nowMillis();
  Samples total;
  // Keyed by estate id, -1 for incidents without an estate, so that the answer lists them last.
  std::map<int64_t, Samples> by_estate;
  std::map<int64_t, std::string> names;
  Status s = db_.read([&](Connection& c) -> Status {
    auto rows = c.query(sql, params);
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      add(total, r, now);
      const int64_t key = store::isNull(r[kEstateId]) ? -1 : store::asInt(r[kEstateId]);
      add(by_estate[key], r, now);
      names[key] = store::asText(r.back());
    }
    return {};
  });
  if (!s) return s;
  IncidentStats out;
  finishInto(out.total, total);
  for (const auto& [key, samples] : by_estate) {
    if (key == -1) continue;
    IncidentFigures f;
    f.estate_id = key;
    f.estate_name = names[key];
    finishInto(f, samples);
    out.estates.push_back(std::move(f));
  }
  if (by_estate.count(-1)) {
    IncidentFigures f;
    finishInto(f, by_estate[-1]);
    out.estates.push_back(std::move(f));
  }
  return out;
}

}  // namespace anju::incidents
