// A case as the service's files read it from the store, with the caller's relation to it. Shared
// by the service's .cc files only.
#pragma once

#include <optional>
#include <string>

#include "cases/case_service.h"

namespace anju::cases {

// The columns `CaseService::Loaded` is read from, in order.
inline constexpr std::string_view kCaseColumns =
    "id, region_path, region_id, estate_id, address, lat, lon, channel, category, description, "
    "anonymous, status, level, route, lead_department_id, due_at, reminded_at, escalations, "
    "reopens, merged_into, source_kind, source_id, summary, rating, rating_comment, accepted_at, "
    "assigned_at, resolve_due_at, resolved_at, resolved_on_time, rated_at, closed_at, created_at, "
    "updated_at";

struct CaseService::Loaded {
  int64_t id = 0;
  std::string region_path;
  std::string status;
  std::string level;  // empty until triaged
  std::string category;
  std::optional<int64_t> estate_id;
  std::optional<int64_t> lead_department_id;
  std::optional<int64_t> due_at;
  std::optional<int64_t> resolve_due_at;
  std::optional<int64_t> resolved_at;
  std::optional<int64_t> merged_into;
  std::string description;
  std::vector<store::Value> row;  // every column of kCaseColumns
  Actor actor;                    // the caller, as the loop's rules see them
};

// A department user who sees only the cases their department leads or joins.
bool departmentOnly(const store::User& user);
// Whether the caller may read reporters' names and phones in full.
bool mayReadReporter(const store::User& user, const Actor& actor);

}  // namespace anju::cases
