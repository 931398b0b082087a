// The governance side of the demo district (SPEC §5, §6): departments' and centres' work on
// citizens' cases over the 90 days before the demo's day, with mediation records and judicial
// confirmations, and the grid and policing records of the same months — patrols, hazards and
// their rectification, home visits to elderly people living alone, village police and their
// service records, volunteer teams and their rosters, and a year of police incidents; and alarms
// from the estates' own devices worked through the 1-3-5 minute response.
//
// Cases, mediations and hazards go through the same services the API uses, acting as the demo's
// own logins on a fake clock moved step by step, so their histories, deadlines and statistics
// are the real ones. The same seed on the same district always gives the same records.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "cases/case_policy.h"
#include "common/status.h"
#include "incidents/incident_policy.h"
#include "store/database.h"
#include "store/user_store.h"

namespace anju::demo {

struct GovernanceOptions {
  uint64_t seed = 20261123;
  // Cases are raised over the 90 days before this day and worked until its evening (China time);
  // steps that would come later have not happened yet, so those cases are still open.
  std::chrono::year_month_day as_of{std::chrono::year{2026}, std::chrono::November,
                                    std::chrono::day{23}};
  int utc_offset_minutes = 480;
  cases::CasePolicy policy;
  incidents::IncidentPolicy incidents;
};

struct GovernanceSummary {
  int cases = 0, merged_cases = 0, mediations = 0, judicial_confirmations = 0;
  std::map<std::string, int> cases_by_status;
  int patrols = 0, patrol_checkins = 0, hazards = 0, home_visits = 0, police_assignments = 0,
      service_records = 0, volunteer_teams = 0, duty_rosters = 0, police_incidents = 0;
  int incidents = 0, incident_false_alarms = 0, incident_escalations = 0;  // 1-3-5 responses
};

// Seeds a district made by generateDistrict (its departments, logins and persons must be in the
// store). Stops at the first refused or failed step with a Status naming it; what was written
// before stays. `progress` is called now and then and once at the end with done == total.
Result<GovernanceSummary> seedGovernance(store::Database& db, store::UserStore& users,
                                         const GovernanceOptions& options,
                                         std::function<void(int done, int total)> progress = {});

}  // namespace anju::demo
