// The incident as the API and the live stream show it: place, caller and contacts, the 1-3-5
// timers, the alarms, the history, and what the caller may do now.
#include "domain/mask.h"
#include "incidents/incident_row.h"

namespace anju::incidents {

using nlohmann::json;
using store::Connection;
using store::Value;

namespace {

json intOrNull(const Value& v) {
  return store::isNull(v) ? json(nullptr) : json(store::asInt(v));
}

json textOrNull(const Value& v) {
  return store::isNull(v) ? json(nullptr) : json(store::asText(v));
}

// Whole seconds, rounded up while time remains so that "0 seconds left" means the target passed.
int64_t secondsUntil(int64_t from_ms, int64_t to_ms) {
  const int64_t ms = to_ms - from_ms;
  return ms >= 0 ? (ms + 999) / 1000 : -((-ms) / 1000);
}

}  // namespace

Result<json> IncidentService::view(Connection& c, const store::User* caller, const Loaded& l) {
  const auto& r = l.row;
  const int64_t now = clock_.nowMillis();
  auto time = [&](const Value& v) {
    return store::isNull(v) ? json(nullptr) : json(formatTime(store::asInt(v)));
  };
  json out = {{"id", l.id},
              {"kind", store::asText(r[kKind])},
              {"status", l.status},
              {"source", store::asText(r[kSource])},
              {"level", textOrNull(r[kLevel])},
              {"region_id", intOrNull(r[kRegionId])},
              {"estate_id", intOrNull(r[kEstateId])},
              {"device_id", textOrNull(r[kDeviceId])},
              {"building_id", intOrNull(r[kBuildingId])},
              {"room_id", intOrNull(r[kRoomId])},
              {"address", textOrNull(r[kAddress])},
              {"dispatched_to", textOrNull(r[kDispatchedTo])},
              {"alarm_count", store::asInt(r[kAlarmCount])},
              {"last_alarm_at", time(r[kLastAlarmAt])},
              {"raised_at", time(r[kRaisedAt])},
              {"acknowledged_at", time(r[kAcknowledgedAt])},
              {"dispatched_at", time(r[kDispatchedAt])},
              {"arrived_at", time(r[kArrivedAt])},
              {"closed_at", time(r[kClosedAt])},
              {"updated_at", time(r[kUpdatedAt])},
              {"escalations", store::asInt(r[kEscalations])}};

  auto names = c.query(
      "SELECT (SELECT name FROM estates WHERE id = ?), (SELECT name FROM buildings WHERE id = ?)",
      {r[kEstateId], r[kBuildingId]});
  if (!names) return names.status();
  out["estate_name"] = textOrNull(names->rows[0][0]);
  out["building_name"] = textOrNull(names->rows[0][1]);

  out["escalated_to"] = nullptr;
  if (!store::isNull(r[kEscalatedRegionId])) {
    auto region =
        c.query("SELECT id, name, level FROM regions WHERE id = ?", {r[kEscalatedRegionId]});
    if (!region) return region.status();
    if (!region->empty())
      out["escalated_to"] = {{"region_id", store::asInt(region->rows[0][0])},
                             {"name", store::asText(region->rows[0][1])},
                             {"level", store::asText(region->rows[0][2])}};
  }

  // The 1-3-5 timers, each measured from when the incident was raised.
  const int64_t raised = store::asInt(r[kRaisedAt]);
  const auto closed = optInt(r[kClosedAt]);
  json timers = json::array();
  for (std::size_t i = 0; i < std::size(kStages); ++i) {
    const int64_t due = store::asInt(r[kStageColumns[i].due]);
    const auto done = optInt(r[kStageColumns[i].done]);
    json t = {{"stage", std::string(kStages[i].name)},
              {"target_seconds", (due - raised) / 1000},
              {"due_at", formatTime(due)},
              {"done_at", done ? json(formatTime(*done)) : json(nullptr)},
              {"seconds_taken", done ? json((*done - raised) / 1000) : json(nullptr)},
              {"seconds_remaining", nullptr},
              {"escalated_at", time(r[kStageColumns[i].escalated])}};
    if (done) {
      t["state"] = *done <= due ? "met" : "late";
    } else if (!closed) {
      t["state"] = now <= due ? "pending" : "late";
      t["seconds_remaining"] = secondsUntil(now, due);
    } else {
      // Closed (resolved or a false alarm) before this stage: late only if it was overdue then.
      t["state"] = *closed > due ? "late" : "skipped";
    }
    timers.push_back(std::move(t));
  }
  out["timers"] = std::move(timers);

  // The caller and whom to ring, in full for those who ring them.
  const bool full = caller && mayReadContacts(caller->roles);
  auto contacts = c.query(
      "SELECT person_id, name, phone, relation FROM incident_contacts WHERE incident_id = ? "
      "ORDER BY id",
      {l.id});
  if (!contacts) return contacts.status();
  out["caller"] = nullptr;
  out["contacts"] = json::array();
  for (const auto& p : contacts->rows) {
    const std::string name = store::asText(p[1]), phone = store::asText(p[2]);
    json one = {{"person_id", intOrNull(p[0])},
                {"name", full ? name : domain::maskName(name)},
                {"phone", store::isNull(p[2]) || phone.empty()
                              ? json(nullptr)
                              : json(full ? phone : domain::maskPhone(phone))},
                {"relation", store::asText(p[3])}};
    if (store::asText(p[3]) == "self") out["caller"] = one;
    out["contacts"].push_back(std::move(one));
  }
  out["personal_data"] = full ? "full" : "masked";

  auto alarms = c.query(
      "SELECT event_key, event_id, device_id, type, level, ts, received_at FROM incident_alarms "
      "WHERE incident_id = ? ORDER BY id",
      {l.id});
  if (!alarms) return alarms.status();
  out["events"] = json::array();
  for (const auto& a : alarms->rows)
    out["events"].push_back({{"event_key", intOrNull(a[0])},
                             {"event_id", textOrNull(a[1])},
                             {"device_id", textOrNull(a[2])},
                             {"source", store::isNull(a[2]) ? "portal" : "device"},
                             {"type", store::asText(a[3])},
                             {"level", textOrNull(a[4])},
                             {"ts", formatTime(store::asInt(a[5]))},
                             {"received_at", formatTime(store::asInt(a[6]))}});

  auto history = c.query(
      "SELECT ts, actor, action, from_status, to_status, note, details FROM incident_history "
      "WHERE incident_id = ? ORDER BY id",
      {l.id});
  if (!history) return history.status();
  out["history"] = json::array();
  for (const auto& h : history->rows) {
    json step = {{"ts", formatTime(store::asInt(h[0]))},
                 {"actor", store::asText(h[1])},
                 {"action", store::asText(h[2])},
                 {"from", textOrNull(h[3])},
                 {"to", store::asText(h[4])},
                 {"note", textOrNull(h[5])}};
    step["details"] = store::isNull(h[6]) ? json::object() : json::parse(store::asText(h[6]));
    out["history"].push_back(std::move(step));
  }
  out["allowed_actions"] =
      caller ? allowedActions(l.status, caller->roles) : std::vector<std::string>{};
  return out;
}

}  // namespace anju::incidents
