// Community policing figures per month (SPEC §7): the share of estates with no criminal incident
// (零发案小区占比), incident counts, and each officer's service records (好事实事).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/database.h"
#include "store/record_store.h"

namespace anju::grid {

// A calendar month at the server's UTC offset, cut to the window asked for: [start, end).
struct MonthWindow {
  std::string month;  // "2026-03"
  int64_t start = 0;
  int64_t end = 0;
};

// The start of the local month holding `ts`, moved by `shift` months.
int64_t localMonthStart(int64_t ts, int utc_offset_minutes, int shift);

// The months that [from, to) touches, each cut to [from, to). Empty when from >= to.
std::vector<MonthWindow> monthsBetween(int64_t from, int64_t to, int utc_offset_minutes);

struct PolicingMonth {
  std::string month;
  int64_t estates = 0;                // estates in scope
  int64_t zero_incident_estates = 0;  // of them, those without a criminal incident this month
  std::optional<double> zero_incident_share;  // none without estates
  int64_t criminal = 0;
  int64_t public_order = 0;
  int64_t burglary = 0;
};

struct OfficerService {
  std::string officer;
  int64_t total = 0;  // the sum of the records' counts
  std::map<std::string, int64_t> by_kind;
};

struct PolicingStats {
  std::vector<PolicingMonth> months;
  std::vector<OfficerService> officers;  // most service first
};

// Incidents and service records inside `scope` in [from, to). An incident with no estate counts
// in the month's totals but makes no estate lose its zero. Every estate now in scope counts in
// every month.
Result<PolicingStats> policingStats(store::Database& db, const store::Scope& scope, int64_t from,
                                    int64_t to, int utc_offset_minutes);

}  // namespace anju::grid
