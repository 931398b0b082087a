#include "mediation/case_stats.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

#include "cases/case_flow.h"
#include "common/clock.h"

namespace anju::mediation {

using nlohmann::json;
using store::asInt;
using store::asText;
using store::Connection;
using store::isNull;
using store::Value;

namespace {

constexpr double kHourMs = 3600.0 * 1000.0;

json rate(int64_t part, int64_t whole) {
  return whole ? json(static_cast<double>(part) / static_cast<double>(whole)) : json(nullptr);
}

// The region one level below the scope that `region_path` lies in, as its id.
std::string childRegion(const std::string& scope_path, const std::string& region_path) {
  const std::size_t start = scope_path.size();
  const std::size_t end = region_path.find('/', start);
  if (end != std::string::npos && end > start) return region_path.substr(start, end - start);
  if (scope_path == "/") return "root";
  const std::size_t last = scope_path.rfind('/', scope_path.size() - 2);
  return scope_path.substr(last + 1, scope_path.size() - last - 2);
}

// The WHERE clause (over cases aliased c) and its parameters shared by both queries.
std::string caseFilter(const CaseStatsQuery& q, std::vector<Value>& params) {
  std::string where =
      "c.region_path >= ? AND c.region_path < ? AND c.created_at >= ? AND c.created_at < ? "
      "AND c.status <> 'merged'";
  params = {q.scope.path, q.scope.upperBound(), q.from, q.to};
  if (!q.level.empty()) {
    where += " AND c.level = ?";
    params.emplace_back(q.level);
  }
  if (!q.category.empty()) {
    where += " AND c.category = ?";
    params.emplace_back(q.category);
  }
  return where;
}

}  // namespace

Result<CaseStats> caseStats(store::Database& db, const CaseStatsQuery& query,
                            int utc_offset_minutes) {
  const auto& levels = cases::levelNames();
  if (!query.level.empty() && std::find(levels.begin(), levels.end(), query.level) == levels.end())
    return Status::invalid("level", "未知层级 (level must be village, township or county)");
  CaseStats stats;
  Status s = db.read([&](Connection& c) -> Status {
    if (!query.category.empty()) {
      auto known = c.query("SELECT 1 FROM case_categories WHERE id = ?", {query.category});
      if (!known) return known.status();
      if (known->empty())
        return Status::invalid("category",
                               "未知案件类别 (no case category " + query.category + ")");
    }
    std::vector<Value> params;
    const std::string where = caseFilter(query, params);
    auto cases = c.query(
        "SELECT c.id, c.region_path, c.category, c.level, c.route, c.status, c.accepted_at, "
        "c.resolved_at, c.resolved_on_time, c.rating, c.created_at FROM cases c WHERE " +
            where,
        params);
    if (!cases) return cases.status();
    // The groups each case is counted in, so that its mediations are counted in the same ones.
    std::unordered_map<int64_t, std::vector<CaseFigures*>> groups_of;
    for (const auto& r : cases->rows) {
      const std::string status = asText(r[5]);
      const std::string region = childRegion(query.scope.path, asText(r[1]));
      auto& groups = groups_of[asInt(r[0])];
      groups = {&stats.total, &stats.by_category[asText(r[2])],
                &stats.by_level[isNull(r[3]) ? "untriaged" : asText(r[3])],
                &stats.by_region[region].figures,
                &stats.by_month[formatTimestamp(asInt(r[10]), utc_offset_minutes).substr(0, 7)]};
      const bool resolved = cases::isResolvedOrLater(status);
      const bool routed = !isNull(r[4]) && cases::isMediationRoute(asText(r[4]));
      for (CaseFigures* f : groups) {
        ++f->total;
        if (!isNull(r[6])) ++f->accepted;
        if (routed) ++f->mediation_routed;
        if (!isNull(r[9])) {
          ++f->rated;
          f->rating_sum += asInt(r[9]);
          if (asInt(r[9]) >= 4) ++f->satisfied;
        }
        if (!resolved) continue;
        ++f->resolved;
        if (routed) ++f->mediation_routed_resolved;
        if (!isNull(r[8]) && asInt(r[8]) == 1) ++f->on_time;
        // A case closed without a recorded resolution has no time to resolve.
        if (!isNull(r[7])) f->resolve_ms.push_back(asInt(r[7]) - asInt(r[10]));
      }
    }

    auto outcomes = c.query(
        "SELECT m.case_id, m.outcome FROM mediations m JOIN cases c ON c.id = m.case_id WHERE " +
            where + " AND m.outcome IS NOT NULL",
        params);
    if (!outcomes) return outcomes.status();
    for (const auto& r : outcomes->rows) {
      auto it = groups_of.find(asInt(r[0]));
      if (it == groups_of.end()) continue;
      for (CaseFigures* f : it->second) {
        ++f->mediations_concluded;
        if (asText(r[1]) == "agreed") ++f->mediations_agreed;
      }
    }

    for (auto& [id, region] : stats.by_region) {
      if (id == "root") {
        region.name = "全部 (everywhere)";
        continue;
      }
      auto named = c.query("SELECT name FROM regions WHERE id = ?", {asInt(Value(id))});
      if (!named) return named.status();
      if (!named->empty()) region.name = asText(named->rows[0][0]);
    }
    return {};
  });
  if (!s) return s;
  return stats;
}

json figuresJson(const CaseFigures& f) {
  std::vector<int64_t> ms = f.resolve_ms;
  std::sort(ms.begin(), ms.end());
  json mean = nullptr, p90 = nullptr;
  if (!ms.empty()) {
    double sum = 0;
    for (int64_t m : ms) sum += static_cast<double>(m);
    mean = sum / static_cast<double>(ms.size()) / kHourMs;
    // Nearest rank: the smallest time that at least 90 % of the resolutions took no longer than.
    const auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(ms.size())));
    p90 = static_cast<double>(ms[rank - 1]) / kHourMs;
  }
  return {{"total", f.total},
          {"accepted", f.accepted},
          {"resolved", f.resolved},
          {"on_time", f.on_time},
          {"rated", f.rated},
          {"resolution_rate", rate(f.resolved, f.total)},
          {"on_time_rate", rate(f.on_time, f.resolved)},
          {"satisfaction",
           f.rated ? json(static_cast<double>(f.rating_sum) / static_cast<double>(f.rated))
                   : json(nullptr)},
          {"satisfied_rate", rate(f.satisfied, f.rated)},
          {"mediation_success_rate", rate(f.mediations_agreed, f.mediations_concluded)},
          {"pre_litigation_rate", rate(f.mediation_routed_resolved, f.mediation_routed)},
          {"mean_hours_to_resolve", mean},
          {"p90_hours_to_resolve", p90}};
}

json statsJson(const CaseStats& stats) {
  json out = figuresJson(stats.total);
  auto group = [](const std::map<std::string, CaseFigures>& groups) {
    json g = json::object();
    for (const auto& [key, figures] : groups) g[key] = figuresJson(figures);
    return g;
  };
  out["by_category"] = group(stats.by_category);
  out["by_level"] = group(stats.by_level);
  out["by_month"] = group(stats.by_month);
  json regions = json::object();
  for (const auto& [id, region] : stats.by_region) {
    json r = figuresJson(region.figures);
    r["name"] = region.name;
    regions[id] = std::move(r);
  }
  out["by_region"] = std::move(regions);
  return out;
}

}  // namespace anju::mediation
