// Case statistics (SPEC §5, §7): how many cases came in, were accepted and resolved, on time, how
// satisfied their reporters were, how mediations ended and how many disputes on a mediation route
// were settled before litigation (诉前化解) — in total and by category, level, region and month.
// Read straight from the case tables; every figure counts only cases inside the given scope.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/record_store.h"

namespace anju::mediation {

// The counts one group of cases adds up to. The rates are worked out from them when shown.
struct CaseFigures {
  int64_t total = 0;
  int64_t accepted = 0;  // accepted_at set: the case reached accepted or a later status
  int64_t resolved = 0;  // status now resolved, feedback, rated or closed
  int64_t on_time = 0;   // resolved, and the last resolution met its deadline
  int64_t rated = 0;
  int64_t rating_sum = 0;
  int64_t satisfied = 0;  // rated 4 or 5
  int64_t mediations_concluded = 0;
  int64_t mediations_agreed = 0;
  int64_t mediation_routed = 0;  // triaged to people's, administrative or court mediation
  int64_t mediation_routed_resolved = 0;
  std::vector<int64_t> resolve_ms;  // created_at to resolved_at of each resolved case
};

struct CaseStatsQuery {
  store::Scope scope;
  int64_t from = 0;  // created_at in [from, to)
  int64_t to = 0;
  std::string level;     // empty: every level
  std::string category;  // empty: every category
};

struct RegionFigures {
  std::string name;
  CaseFigures figures;
};

struct CaseStats {
  CaseFigures total;
  std::map<std::string, CaseFigures> by_category;
  std::map<std::string, CaseFigures> by_level;  // "untriaged" for cases without a level yet
  // By the region one level below the scope, keyed by its id; cases filed at the scope's own
  // region come under that region's id ("root" at the top of the tree).
  std::map<std::string, RegionFigures> by_region;
  std::map<std::string, CaseFigures> by_month;  // "2026-11" in the given UTC offset
};

// kInvalid (field level or category) for a level or category that does not exist. Merged cases
// are duplicates of another and are never counted.
Result<CaseStats> caseStats(store::Database& db, const CaseStatsQuery& query,
                            int utc_offset_minutes);

// {"total", "accepted", "resolved", "on_time", "rated", "resolution_rate", "on_time_rate",
//  "satisfaction", "satisfied_rate", "mediation_success_rate", "pre_litigation_rate",
//  "mean_hours_to_resolve", "p90_hours_to_resolve"}; a rate is null when its denominator is 0.
nlohmann::json figuresJson(const CaseFigures& figures);
// The figures of the whole set with by_category, by_level, by_region and by_month beside them.
nlohmann::json statsJson(const CaseStats& stats);

}  // namespace anju::mediation
