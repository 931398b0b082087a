// The case loop (SPEC §5) as a table: which action may be taken from which status, by whom, and
// where it leads. Pure rules, no storage: the service applies them inside one transaction and
// the API shows a case's allowed actions from the same table, so the two never disagree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anju::cases {

// A status name: submitted, accepted, triaged, assigned, in_progress, resolved, feedback, rated,
// closed, merged.
bool isStatus(std::string_view status);
const std::vector<std::string>& statusNames();
// Stages still being worked on, where a case may be escalated or returned.
bool isOpenStage(std::string_view status);
// Resolved or later: what statistics count as resolved.
bool isResolvedOrLater(std::string_view status);

// Triage's choices: levels village, township, county; routes people_mediation,
// administrative_mediation, court_mediation, department.
const std::vector<std::string>& levelNames();
const std::vector<std::string>& routeNames();
// The routes that settle a dispute by mediation before it reaches a court (诉前化解).
bool isMediationRoute(std::string_view route);

// Who is asking, as the rules need to know it.
struct Actor {
  std::vector<std::string> roles;
  bool is_reporter = false;         // raised this case (or a duplicate merged into it)
  bool in_lead_department = false;  // belongs to the department leading it
  bool in_joint_department = false;
  bool hasRole(std::string_view role) const;
};

// The action names of SPEC §10, plus `merge` (fold a duplicate into another case) and `report`
// (a joint department answers the call, 报到).
bool isAction(std::string_view action);
const std::vector<std::string>& actionNames();

// Where `action` leads from `status`, or nullopt when the status does not allow it. `escalate`
// and `return` lead back to "accepted" for the next (or same) level's centre to triage again;
// `return` from "resolved" sends an unsatisfactory resolution back to "in_progress".
std::optional<std::string> nextStatus(std::string_view status, std::string_view action);

// Whether the actor's roles and relation to the case allow the action at all.
bool mayAct(const Actor& actor, std::string_view action);

// The actions the actor may take now, in the order of the loop.
std::vector<std::string> allowedActions(std::string_view status, const Actor& actor);

// The next level up: village → township → county; nullopt above county. A case not yet triaged
// goes to the township.
std::optional<std::string> levelAbove(std::string_view level);

}  // namespace anju::cases
