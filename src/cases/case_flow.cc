#include "cases/case_flow.h"

#include <algorithm>
#include <array>

namespace anju::cases {

namespace {

struct Transition {
  std::string_view action;
  std::string_view from;
  std::string_view to;
};

// In the order of the loop, so that allowed actions read as the next steps.
constexpr std::array kTransitions = {
    Transition{"accept", "submitted", "accepted"},
    Transition{"merge", "submitted", "merged"},
    Transition{"merge", "accepted", "merged"},
    Transition{"triage", "accepted", "triaged"},
    Transition{"assign", "triaged", "assigned"},
    Transition{"start", "assigned", "in_progress"},
    Transition{"report", "assigned", "assigned"},
    Transition{"report", "in_progress", "in_progress"},
    Transition{"resolve", "in_progress", "resolved"},
    Transition{"feedback", "resolved", "feedback"},
    Transition{"rate", "resolved", "rated"},
    Transition{"rate", "feedback", "rated"},
    Transition{"close", "feedback", "closed"},
    Transition{"close", "rated", "closed"},
    Transition{"escalate", "accepted", "accepted"},
    Transition{"escalate", "triaged", "accepted"},
    Transition{"escalate", "assigned", "accepted"},
    Transition{"escalate", "in_progress", "accepted"},
    Transition{"return", "triaged", "accepted"},
    Transition{"return", "assigned", "accepted"},
    Transition{"return", "in_progress", "accepted"},
    Transition{"return", "resolved", "in_progress"},
    Transition{"reopen", "resolved", "in_progress"},
    Transition{"reopen", "feedback", "in_progress"},
    Transition{"reopen", "rated", "in_progress"},
};

bool centre(const Actor& a) {
  return a.hasRole("mediator") || a.hasRole("admin");
}

bool lead(const Actor& a) {
  return a.hasRole("department") && a.in_lead_department;
}

}  // namespace

bool Actor::hasRole(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

const std::vector<std::string>& statusNames() {
  static const std::vector<std::string> kStatuses = {
      "submitted", "accepted", "triaged", "assigned", "in_progress",
      "resolved",  "feedback", "rated",   "closed",   "merged"};
  return kStatuses;
}

bool isStatus(std::string_view status) {
  const auto& names = statusNames();
  return std::find(names.begin(), names.end(), status) != names.end();
}

bool isOpenStage(std::string_view status) {
  return status == "accepted" || status == "triaged" || status == "assigned" ||
         status == "in_progress";
}

bool isResolvedOrLater(std::string_view status) {
  return status == "resolved" || status == "feedback" || status == "rated" || status == "closed";
}

const std::vector<std::string>& levelNames() {
  static const std::vector<std::string> kLevels = {"village", "township", "county"};
  return kLevels;
}

const std::vector<std::string>& routeNames() {
  static const std::vector<std::string> kRoutes = {"people_mediation", "administrative_mediation",
                                                   "court_mediation", "department"};
  return kRoutes;
}

bool isMediationRoute(std::string_view route) {
  return route == "people_mediation" || route == "administrative_mediation" ||
         route == "court_mediation";
}

const std::vector<std::string>& actionNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& t : kTransitions) {
      if (std::find(names.begin(), names.end(), t.action) == names.end())
        names.emplace_back(t.action);
    }
    return names;
  }();
  return kNames;
}

bool isAction(std::string_view action) {
  const auto& names = actionNames();
  return std::find(names.begin(), names.end(), action) != names.end();
}

std::optional<std::string> nextStatus(std::string_view status, std::string_view action) {
  for (const auto& t : kTransitions) {
    if (t.action == action && t.from == status) return std::string(t.to);
  }
  return std::nullopt;
}

bool mayAct(const Actor& actor, std::string_view action) {
  if (action == "start" || action == "resolve" || action == "escalate" || action == "return")
    return centre(actor) || lead(actor);
  if (action == "report") return actor.hasRole("department") && actor.in_joint_department;
  if (action == "rate" || action == "reopen") return centre(actor) || actor.is_reporter;
  return centre(actor);
}

std::vector<std::string> allowedActions(std::string_view status, const Actor& actor) {
  std::vector<std::string> allowed;
  for (const auto& t : kTransitions) {
    if (t.from != status || !mayAct(actor, t.action)) continue;
    if (std::find(allowed.begin(), allowed.end(), t.action) == allowed.end())
      allowed.emplace_back(t.action);
  }
  return allowed;
}

std::optional<std::string> levelAbove(std::string_view level) {
  if (level.empty() || level == "village") return "township";
  if (level == "township") return "county";
  return std::nullopt;
}

}  // namespace anju::cases
