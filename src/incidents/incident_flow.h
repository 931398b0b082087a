// The incident loop as a table: which action may be taken from which status, by whom, and where
// it leads. Pure rules, no storage: the service applies them inside one transaction and the API
// shows an incident's allowed actions from the same table, so the two never disagree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/roles.h"

namespace anju::incidents {

// raised, acknowledged, dispatched, on_scene, resolved, false_alarm.
const std::vector<std::string>& statusNames();
bool isStatus(std::string_view status);
// Not yet resolved or declared a false alarm.
bool isOpen(std::string_view status);

// acknowledge, dispatch, arrive, resolve, false_alarm.
const std::vector<std::string>& actionNames();
bool isAction(std::string_view action);
// Where `action` leads from `status`, or nullopt when the status does not allow it.
std::optional<std::string> nextStatus(std::string_view status, std::string_view action);

// The kinds an incident can have: the alarm types that call for a response, and sos.
const std::vector<std::string>& kindNames();
// The incident kind an alarm type raises: emergency_call (the SOS button, 一键呼叫) raises "sos";
// tamper raises none (a device fault, for the device alerts rather than a response on site).
std::optional<std::string> kindOfAlarm(std::string_view alarm_type);

// Police and security staff respond (and admins); grid workers follow incidents without acting.
bool mayAct(const domain::RoleSet& roles);
bool mayReadAll(const domain::RoleSet& roles);  // every incident in the caller's scope
// Whom an SOS caller's phone and contacts are shown to in full: those who ring them.
bool mayReadContacts(const domain::RoleSet& roles);

// The actions the caller may take now, in the order of the loop.
std::vector<std::string> allowedActions(std::string_view status, const domain::RoleSet& roles);

// The three timed stages and the action that completes each.
struct Stage {
  std::string_view name;    // acknowledge, dispatch, arrive
  std::string_view status;  // the status reaching it: acknowledged, dispatched, on_scene
};
inline constexpr Stage kStages[] = {
    {"acknowledge", "acknowledged"}, {"dispatch", "dispatched"}, {"arrive", "on_scene"}};

}  // namespace anju::incidents
