// How long each stage of a case may take, when supervision steps in, and how duplicates are
// spotted. Defaults follow common township practice; the config file's [cases] section overrides
// them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace anju::cases {

struct CasePolicy {
  int accept_hours = 24;    // submitted → accepted (受理)
  int triage_hours = 24;    // accepted → triaged (分流)
  int assign_hours = 24;    // triaged → assigned (交办)
  int start_hours = 48;     // assigned → in progress
  int feedback_hours = 72;  // resolved → feedback to the reporter (反馈)
  int close_hours = 72;     // rated → closed
  // Time to resolve from assignment, by level, unless the category sets its own.
  int resolve_days_village = 7;
  int resolve_days_township = 15;
  int resolve_days_county = 30;
  // Past a deadline supervision (督办) reminds the handler at once, and escalates the case to the
  // next level once it is this much later still.
  int escalate_after_hours = 24;
  int reopen_days = 15;  // how long after resolution the reporter may reopen
  int duplicate_days = 7;
  double duplicate_similarity = 0.3;  // of the descriptions' character pairs, 0..1
};

constexpr int64_t kHourMs = 3600LL * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

// Days allowed to resolve at `level`, or the category's own when it has one.
int resolveDays(const CasePolicy& policy, std::string_view level,
                std::optional<int64_t> category_days);

}  // namespace anju::cases
