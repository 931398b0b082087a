// Takes a hazard one step along its rectification loop (hazard_flow.h): checks the step and its
// fields, changes the hazard and records the step in hazard_history, all in one transaction.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/database.h"
#include "store/record_store.h"

namespace anju::grid {

struct HazardAction {
  std::string action;
  std::string note;
  std::string assignee;        // assign
  std::string rectify_by;      // assign; a failed verify may set a new deadline
  std::optional<bool> passed;  // verify
};

// Reads {"action", "note"?, "assignee"?, "rectify_by"?, "passed"?}. Errors name the field; an
// action the loop does not know is bad input rather than a conflict.
Result<HazardAction> parseHazardAction(const nlohmann::json& body);

class HazardService {
 public:
  HazardService(store::Database& db, const Clock& clock, int utc_offset_minutes);

  // Applies one step for `actor`. Unknown hazard: not found; outside `scope`: forbidden; a step
  // not allowed from the current status: conflict, with the allowed actions in `allowed`.
  Status apply(int64_t hazard_id, const HazardAction& action, const store::Scope& scope,
               const std::string& actor, std::vector<std::string>& allowed);

  // The hazard's steps, oldest first: {"ts", "actor", "action", "from", "to", "note"?, ...the
  // action's own fields}.
  Result<nlohmann::json> history(int64_t hazard_id, const store::Scope& scope);

 private:
  std::string today() const;

  store::Database& db_;
  const Clock& clock_;
  int utc_offset_minutes_;
};

}  // namespace anju::grid
