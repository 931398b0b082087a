// Steps in a case's history, written inside the caller's transaction so that a step is recorded
// exactly when what it describes is.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "store/database.h"

namespace anju::cases {

struct CaseStep {
  int64_t case_id = 0;
  int64_t ts = 0;
  std::string actor;  // a username, or "system" for supervision
  std::optional<int64_t> actor_user_id;
  std::string action;
  std::string from;  // empty for the first step
  std::string to;
  std::string note;  // empty: none
  nlohmann::json details = nlohmann::json::object();
};

Status appendStep(store::Connection& c, const CaseStep& step);

// A step that does not move the case (a mediation session, a judicial confirmation): recorded
// at the case's current status.
Status appendNote(store::Connection& c, int64_t case_id, int64_t ts, const std::string& actor,
                  const std::string& action, const std::string& note,
                  const nlohmann::json& details);

}  // namespace anju::cases
