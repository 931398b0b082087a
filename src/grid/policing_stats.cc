#include "grid/policing_stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "common/clock.h"

namespace anju::grid {

namespace {

using namespace std::chrono;

int64_t localMonthStart(year_month ym, int64_t offset_ms) {
  return duration_cast<milliseconds>(sys_days(ym / 1).time_since_epoch()).count() - offset_ms;
}

// The window's month holding `ts`, or none when it lies outside every month.
const MonthWindow* monthOf(const std::vector<MonthWindow>& months, int64_t ts) {
  auto it = std::upper_bound(months.begin(), months.end(), ts,
                             [](int64_t t, const MonthWindow& m) { return t < m.end; });
  return it != months.end() && ts >= it->start ? &*it : nullptr;
}

std::string localDate(int64_t ts, int utc_offset_minutes) {
  return formatTimestamp(ts, utc_offset_minutes).substr(0, 10);
}

year_month localMonth(int64_t ts, int64_t offset_ms) {
  const year_month_day day{floor<days>(sys_time<milliseconds>(milliseconds(ts + offset_ms)))};
  return day.year() / day.month();
}

}  // namespace

int64_t localMonthStart(int64_t ts, int utc_offset_minutes, int shift) {
  const int64_t offset_ms = int64_t{utc_offset_minutes} * 60000;
  return localMonthStart(localMonth(ts, offset_ms) + months(shift), offset_ms);
}

std::vector<MonthWindow> monthsBetween(int64_t from, int64_t to, int utc_offset_minutes) {
  std::vector<MonthWindow> out;
  const int64_t offset_ms = int64_t{utc_offset_minutes} * 60000;
  for (year_month ym = localMonth(from, offset_ms);; ym += months(1)) {
    const int64_t start = std::max(from, localMonthStart(ym, offset_ms));
    if (start >= to) break;
    const int64_t end = std::min(to, localMonthStart(ym + months(1), offset_ms));
    out.push_back(
        {fmt::format("{:04}-{:02}", static_cast<int>(ym.year()), static_cast<unsigned>(ym.month())),
         start, end});
  }
  return out;
}

Result<PolicingStats> policingStats(store::Database& db, const store::Scope& scope, int64_t from,
                                    int64_t to, int utc_offset_minutes) {
  const std::vector<MonthWindow> windows = monthsBetween(from, to, utc_offset_minutes);
  std::set<int64_t> estates;
  std::vector<std::set<int64_t>> hit(windows.size());
  PolicingStats stats;
  for (const auto& w : windows) stats.months.push_back({.month = w.month});
  std::map<std::string, OfficerService> officers;

  Status st = db.read([&](store::Connection& c) -> Status {
    const std::vector<store::Value> in_scope{scope.path, scope.upperBound()};
    auto rows =
        c.query("SELECT id FROM estates WHERE region_path >= ? AND region_path < ?", in_scope);
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) estates.insert(store::asInt(r[0]));

    rows = c.query(
        "SELECT estate_id, kind, category, occurred_at FROM police_incidents WHERE region_path >= "
        "? AND region_path < ? AND occurred_at >= ? AND occurred_at < ?",
        {scope.path, scope.upperBound(), from, to});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      const MonthWindow* w = monthOf(windows, store::asInt(r[3]));
      if (!w) continue;
      const auto i = static_cast<std::size_t>(w - windows.data());
      PolicingMonth& m = stats.months[i];
      const std::string kind = store::asText(r[1]);
      if (kind == "criminal") {
        ++m.criminal;
        if (!store::isNull(r[0]) && estates.count(store::asInt(r[0])))
          hit[i].insert(store::asInt(r[0]));
      } else if (kind == "public_order") {
        ++m.public_order;
      }
      if (store::asText(r[2]) == "burglary") ++m.burglary;
    }

    // Dates narrow the read; each day's local midnight then decides whether it is in the window.
    rows = c.query(
        "SELECT officer, kind, occurred_on, count FROM service_records WHERE region_path >= ? AND "
        "region_path < ? AND occurred_on >= ? AND occurred_on <= ?",
        {scope.path, scope.upperBound(), localDate(from, utc_offset_minutes),
         localDate(to, utc_offset_minutes)});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      auto day = parseTimestamp(store::asText(r[2]), utc_offset_minutes);
      if (!day || *day < from || *day >= to) continue;
      OfficerService& o = officers[store::asText(r[0])];
      const int64_t n = store::asInt(r[3], 1);
      o.total += n;
      o.by_kind[store::asText(r[1])] += n;
    }
    return {};
  });
  if (!st) return st;

  for (std::size_t i = 0; i < stats.months.size(); ++i) {
    PolicingMonth& m = stats.months[i];
    m.estates = static_cast<int64_t>(estates.size());
    m.zero_incident_estates = m.estates - static_cast<int64_t>(hit[i].size());
    if (m.estates > 0)
      m.zero_incident_share = static_cast<double>(m.zero_incident_estates) / m.estates;
  }
  for (auto& [name, o] : officers) {
    o.officer = name;
    stats.officers.push_back(std::move(o));
  }
  std::stable_sort(
      stats.officers.begin(), stats.officers.end(),
      [](const OfficerService& a, const OfficerService& b) { return a.total > b.total; });
  return stats;
}

}  // namespace anju::grid
