#include "incidents/incident_flow.h"

#include <algorithm>
#include <array>

namespace anju::incidents {

namespace {

struct Transition {
  std::string_view action;
  std::string_view from;
  std::string_view to;
};

// In the order of the loop, so that allowed actions read as the next steps. A false alarm may be
// declared at any open stage: a guard on site finds the smoke was a kitchen's.
constexpr std::array kTransitions = {
    Transition{"acknowledge", "raised", "acknowledged"},
    Transition{"dispatch", "acknowledged", "dispatched"},
    Transition{"arrive", "dispatched", "on_scene"},
    Transition{"resolve", "on_scene", "resolved"},
    Transition{"false_alarm", "raised", "false_alarm"},
    Transition{"false_alarm", "acknowledged", "false_alarm"},
    Transition{"false_alarm", "dispatched", "false_alarm"},
    Transition{"false_alarm", "on_scene", "false_alarm"},
};

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

const std::vector<std::string>& statusNames() {
  static const std::vector<std::string> kNames = {"raised",   "acknowledged", "dispatched",
                                                  "on_scene", "resolved",     "false_alarm"};
  return kNames;
}

bool isStatus(std::string_view status) {
  return contains(statusNames(), status);
}

bool isOpen(std::string_view status) {
  return status == "raised" || status == "acknowledged" || status == "dispatched" ||
         status == "on_scene";
}

const std::vector<std::string>& actionNames() {
  static const std::vector<std::string> kNames = {"acknowledge", "dispatch", "arrive", "resolve",
                                                  "false_alarm"};
  return kNames;
}

bool isAction(std::string_view action) {
  return contains(actionNames(), action);
}

std::optional<std::string> nextStatus(std::string_view status, std::string_view action) {
  for (const auto& t : kTransitions) {
    if (t.action == action && t.from == status) return std::string(t.to);
  }
  return std::nullopt;
}

const std::vector<std::string>& kindNames() {
  static const std::vector<std::string> kNames = {"intrusion",  "fence", "fire",     "smoke",
                                                  "electrical", "gas",   "throwing", "sos"};
  return kNames;
}

std::optional<std::string> kindOfAlarm(std::string_view alarm_type) {
  if (alarm_type == "emergency_call") return "sos";
  if (alarm_type == "sos" || !contains(kindNames(), alarm_type)) return std::nullopt;
  return std::string(alarm_type);
}

bool mayAct(const domain::RoleSet& roles) {
  return roles.count("police") > 0 || roles.count("security") > 0 || roles.count("admin") > 0;
}

bool mayReadAll(const domain::RoleSet& roles) {
  return mayAct(roles) || roles.count("grid_worker") > 0;
}

bool mayReadContacts(const domain::RoleSet& roles) {
  return mayAct(roles);
}

std::vector<std::string> allowedActions(std::string_view status, const domain::RoleSet& roles) {
  std::vector<std::string> allowed;
  if (!mayAct(roles)) return allowed;
  for (const auto& t : kTransitions) {
    if (t.from == status) allowed.emplace_back(t.action);
  }
  return allowed;
}

}  // namespace anju::incidents
