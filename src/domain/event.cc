#include "domain/event.h"

#include <array>
#include <utility>

namespace anju::domain {

namespace {
constexpr std::array<std::pair<EventKind, std::string_view>, 5> kKinds{{
    {EventKind::kAccess, "access"},
    {EventKind::kVehicle, "vehicle"},
    {EventKind::kFaceCapture, "face_capture"},
    {EventKind::kAlarm, "alarm"},
    {EventKind::kHeartbeat, "heartbeat"},
}};
}  // namespace

std::string_view kindName(EventKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "heartbeat";
}

std::optional<EventKind> parseEventKind(std::string_view name) {
  for (const auto& [k, n] : kKinds) {
    if (n == name) return k;
  }
  return std::nullopt;
}

}  // namespace anju::domain
