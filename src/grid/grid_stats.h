// Per grid (网格): its hazards by where they stand in the rectification loop, its patrols and
// check-ins, and how many of its buildings a check-in reached.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/database.h"
#include "store/record_store.h"

namespace anju::grid {

struct GridTally {
  int64_t grid_id = 0;
  std::string name;
  // Hazards reported in the window, by their status now: reported = open + rectified + verified.
  int64_t reported = 0;
  int64_t open = 0;       // reported or assigned: not yet rectified
  int64_t rectified = 0;  // awaiting verification
  int64_t verified = 0;
  int64_t overdue = 0;  // open and past rectify_by
  int64_t patrols = 0;
  int64_t checkins = 0;
  int64_t buildings = 0;          // in the grid
  int64_t buildings_checked = 0;  // of them, with a check-in in the window (by any patrol)
  std::optional<double> coverage;

  void add(const GridTally& other);
};

// Every grid inside `scope`, in id order, for the window [from, to). `today` ("YYYY-MM-DD" at the
// server's offset) decides which open hazards are overdue.
Result<std::vector<GridTally>> gridStats(store::Database& db, const store::Scope& scope,
                                         int64_t from, int64_t to, const std::string& today);

}  // namespace anju::grid
