// 举一反三 (SPEC §5): which kinds of matter keep coming back, and where. A category that recurs
// at one estate points at a cause to remove there; one that recurs across the region, at a policy
// to change. Each is compared with the period of the same length just before.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/record_store.h"

namespace anju::mediation {

struct RecurringQuery {
  store::Scope scope;
  int64_t from = 0;  // created_at in [from, to); the previous period is [from - (to - from), from)
  int64_t to = 0;
  int limit = 10;  // per list
};

struct Recurrence {
  std::string category;
  std::string category_name;
  std::optional<int64_t> estate_id;  // set for a (category, estate) pair
  std::string estate_name;
  int64_t count = 0;     // cases in the period
  int64_t previous = 0;  // cases in the period before
};

// Only what recurs, at least two cases in the period; merged duplicates are not counted. Most
// frequent first, then by category and estate.
struct RecurringCases {
  std::vector<Recurrence> places;      // (category, estate) pairs; cases without an estate left out
  std::vector<Recurrence> categories;  // categories across the whole scope
};

Result<RecurringCases> recurringCases(store::Database& db, const RecurringQuery& query);

}  // namespace anju::mediation
