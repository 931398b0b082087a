// An incident as the service's files read it from the store, and the history step they all
// write. Shared by the service's .cc files only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "incidents/incident_service.h"

namespace anju::incidents {

// The columns `IncidentService::Loaded::row` is read from, in order.
inline constexpr std::string_view kIncidentColumns =
    "id, region_path, region_id, estate_id, kind, source, device_id, building_id, room_id, level, "
    "status, caller_person_id, caller_user_id, address, dispatched_to, alarm_count, last_alarm_at, "
    "raised_at, ack_due_at, dispatch_due_at, arrive_due_at, acknowledged_at, dispatched_at, "
    "arrived_at, closed_at, ack_escalated_at, dispatch_escalated_at, arrive_escalated_at, "
    "escalations, escalated_region_id, updated_at";

// Positions in kIncidentColumns.
enum Column : std::size_t {
  kId,
  kRegionPath,
  kRegionId,
  kEstateId,
  kKind,
  kSource,
  kDeviceId,
  kBuildingId,
  kRoomId,
  kLevel,
  kStatus,
  kCallerPersonId,
  kCallerUserId,
  kAddress,
  kDispatchedTo,
  kAlarmCount,
  kLastAlarmAt,
  kRaisedAt,
  kAckDueAt,
  kDispatchDueAt,
  kArriveDueAt,
  kAcknowledgedAt,
  kDispatchedAt,
  kArrivedAt,
  kClosedAt,
  kAckEscalatedAt,
  kDispatchEscalatedAt,
  kArriveEscalatedAt,
  kEscalations,
  kEscalatedRegionId,
  kUpdatedAt,
};

struct IncidentService::Loaded {
  int64_t id = 0;
  std::string region_path;
  std::string status;
  std::vector<store::Value> row;  // every column of kIncidentColumns
};

// The columns of a stage: its target, when it was reached, when it was escalated.
struct StageColumns {
  Column due;
  Column done;
  Column escalated;
  const char* done_name;  // the column's name, for updates
  const char* escalated_name;
};
inline constexpr StageColumns kStageColumns[] = {
    {kAckDueAt, kAcknowledgedAt, kAckEscalatedAt, "acknowledged_at", "ack_escalated_at"},
    {kDispatchDueAt, kDispatchedAt, kDispatchEscalatedAt, "dispatched_at", "dispatch_escalated_at"},
    {kArriveDueAt, kArrivedAt, kArriveEscalatedAt, "arrived_at", "arrive_escalated_at"},
};

inline std::optional<int64_t> optInt(const store::Value& v) {
  if (store::isNull(v)) return std::nullopt;
  return store::asInt(v);
}

struct Step {
  int64_t incident_id = 0;
  int64_t ts = 0;
  std::string actor;  // a username, or "system" for devices and the timers
  std::optional<int64_t> actor_user_id;
  std::string action;
  std::string from;  // empty for the first step
  std::string to;
  std::string note;  // empty: none
  nlohmann::json details = nlohmann::json::object();
};

// Written inside the caller's transaction, so that a step is recorded exactly when what it
// describes is.
Status appendStep(store::Connection& c, const Step& step);

}  // namespace anju::incidents
