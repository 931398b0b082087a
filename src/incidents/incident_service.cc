#include "incidents/incident_service.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/log.h"
#include "incidents/incident_row.h"
#include "store/event_positions.h"

namespace anju::incidents {

using nlohmann::json;
using store::Connection;
using store::Value;

namespace {

constexpr const char* kOpenStatuses = "('raised', 'acknowledged', 'dispatched', 'on_scene')";
// The intake's name in event_positions.
constexpr std::string_view kConsumer = "incidents";

Status outsideScope() {
  return Status::forbidden("超出您的管辖范围 (the incident is outside your region scope)");
}

// The alarm's level as text: devices send a short word ("high") or a number (2).
std::string levelText(const json& attrs) {
  if (!attrs.contains("level")) return "";
  const json& level = attrs["level"];
  if (level.is_string()) return level.get<std::string>();
  if (level.is_number()) {
    const double v = level.get<double>();
    if (std::floor(v) == v && std::abs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
    return level.dump();
  }
  return "";
}

// Where a new incident is, and who raised it.
struct NewIncident {
  std::string region_path = "/";
  std::optional<int64_t> region_id;
  std::optional<int64_t> estate_id;
  std::string kind;
  std::string source;  // device, portal
  std::string device_id;
  std::optional<int64_t> building_id;
  std::optional<int64_t> room_id;
  std::string level;
  std::optional<int64_t> caller_person_id;
  std::optional<int64_t> caller_user_id;
  std::string address;
};

struct Alarm {
  std::optional<int64_t> event_key;
  std::string event_id;
  std::string device_id;
  std::string type;
  std::string level;
  int64_t ts = 0;
};

Result<int64_t> insertIncident(Connection& c, const NewIncident& n, const IncidentPolicy& policy,
                               int64_t now) {
  auto inserted = c.query(
      "INSERT INTO incidents (region_path, region_id, estate_id, kind, source, device_id, "
      "building_id, room_id, level, status, caller_person_id, caller_user_id, address, "
      "alarm_count, last_alarm_at, raised_at, ack_due_at, dispatch_due_at, arrive_due_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'raised', ?, ?, ?, 0, ?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      {n.region_path, store::nullableInt(n.region_id), store::nullableInt(n.estate_id), n.kind,
       n.source, store::nullableText(n.device_id), store::nullableInt(n.building_id),
       store::nullableInt(n.room_id), store::nullableText(n.level),
       store::nullableInt(n.caller_person_id), store::nullableInt(n.caller_user_id),
       store::nullableText(n.address), now, now, now + int64_t{policy.ack_seconds} * 1000,
       now + int64_t{policy.dispatch_seconds} * 1000, now + int64_t{policy.arrive_seconds} * 1000,
       now});
  if (!inserted) return inserted.status();
  return store::asInt(inserted->rows[0][0]);
}

// Adds an alarm to an incident: its list of alarms, its count, and its level when it had none.
Status attachAlarm(Connection& c, int64_t incident_id, const Alarm& a, int64_t now) {
  auto added = c.execute(
      "INSERT INTO incident_alarms (incident_id, event_key, event_id, device_id, type, level, ts, "
      "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {incident_id, store::nullableInt(a.event_key), store::nullableText(a.event_id),
       store::nullableText(a.device_id), a.type, store::nullableText(a.level), a.ts, now});
  if (!added) return added.status();
  auto updated = c.execute(
      "UPDATE incidents SET alarm_count = alarm_count + 1, last_alarm_at = ?, level = "
      "COALESCE(level, ?), updated_at = ? WHERE id = ?",
      {now, store::nullableText(a.level), now, incident_id});
  return updated ? Status{} : updated.status();
}

// The place of a device's alarm: its estate, region and building, and an address a responder
// can find ("锦绣花园 3号楼 东门围栏").
Result<NewIncident> placeOfDevice(Connection& c, const domain::Event& e) {
  NewIncident n;
  n.source = "device";
  n.device_id = e.device_id;
  auto rows = c.query(
      "SELECT d.name, d.building_id, b.name, e.id, e.name, e.region_path, e.region_id "
      "FROM devices d JOIN estates e ON e.id = d.estate_id "
      "LEFT JOIN buildings b ON b.id = d.building_id WHERE d.id = ?",
      {e.device_id});
  if (!rows) return rows.status();
  if (rows->empty()) {
    // A device deleted since it sent: the estate the event was stamped with still places it.
    auto estate =
        c.query("SELECT id, name, region_path, region_id FROM estates WHERE id = ?", {e.estate_id});
    if (!estate) return estate.status();
    if (!estate->empty()) {
      const auto& r = estate->rows[0];
      n.estate_id = store::asInt(r[0]);
      n.address = store::asText(r[1]);
      n.region_path = store::asText(r[2]);
      n.region_id = optInt(r[3]);
    }
    return n;
  }
  const auto& r = rows->rows[0];
  n.building_id = optInt(r[1]);
  n.estate_id = store::asInt(r[3]);
  n.region_path = store::asText(r[5]);
  n.region_id = optInt(r[6]);
  n.address = store::asText(r[4]);
  if (!store::isNull(r[2])) n.address += " " + store::asText(r[2]);
  n.address += " " + store::asText(r[0]);
  return n;
}

// A resident's home: the room they live in now (an owner's first), with its building and estate.
Status placeOfPerson(Connection& c, const store::User& caller, int64_t person_id, NewIncident& n) {
  auto home = c.query(
      "SELECT m.id, m.number, b.id, b.name, u.name, e.id, e.name, e.region_path, e.region_id "
      "FROM residences r JOIN rooms m ON m.id = r.room_id "
      "JOIN buildings b ON b.id = m.building_id JOIN estates e ON e.id = b.estate_id "
      "LEFT JOIN units u ON u.id = m.unit_id "
      "WHERE r.person_id = ? AND r.moved_out IS NULL "
      "ORDER BY CASE r.relation WHEN 'owner' THEN 0 WHEN 'family' THEN 1 ELSE 2 END, r.id LIMIT 1",
      {person_id});
  if (!home) return home.status();
  if (!home->empty()) {
    const auto& h = home->rows[0];
    n.room_id = store::asInt(h[0]);
    n.building_id = store::asInt(h[2]);
    n.estate_id = store::asInt(h[5]);
    n.region_path = store::asText(h[7]);
    n.region_id = optInt(h[8]);
    n.address = store::asText(h[6]) + " " + store::asText(h[3]);
    if (!store::isNull(h[4])) n.address += " " + store::asText(h[4]);
    n.address += " " + store::asText(h[1]);
    return {};
  }
  // No room on record: the estate or region the person is registered under, else the caller's
  // own region, so that the call is never lost for want of an address.
  auto person = c.query(
      "SELECT e.id, e.name, e.region_path, e.region_id, g.path, g.id FROM persons p "
      "LEFT JOIN estates e ON e.id = p.estate_id LEFT JOIN regions g ON g.id = p.region_id "
      "WHERE p.id = ?",
      {person_id});
  if (!person) return person.status();
  n.region_path = caller.region_path;
  n.region_id = caller.region_id;
  if (person->empty()) return {};
  const auto& p = person->rows[0];
  if (!store::isNull(p[0])) {
    n.estate_id = store::asInt(p[0]);
    n.address = store::asText(p[1]);
    n.region_path = store::asText(p[2]);
    n.region_id = optInt(p[3]);
  } else if (!store::isNull(p[4])) {
    n.region_path = store::asText(p[4]);
    n.region_id = store::asInt(p[5]);
  }
  return {};
}

// The caller first, then the others living in the same room now, each with their phone.
Status recordContacts(Connection& c, int64_t incident_id, int64_t person_id,
                      std::optional<int64_t> room_id) {
  auto self = c.query("SELECT name, phone FROM persons WHERE id = ?", {person_id});
  if (!self) return self.status();
  if (!self->empty()) {
    auto r = c.execute(
        "INSERT INTO incident_contacts (incident_id, person_id, name, phone, relation) "
        "VALUES (?, ?, ?, ?, 'self')",
        {incident_id, person_id, self->rows[0][0], self->rows[0][1]});
    if (!r) return r.status();
  }
  if (!room_id) return {};
  auto household = c.execute(
      "INSERT INTO incident_contacts (incident_id, person_id, name, phone, relation) "
      "SELECT CAST(? AS BIGINT), p.id, p.name, p.phone, MIN(r.relation) FROM residences r "
      "JOIN persons p ON p.id = r.person_id "
      "WHERE r.room_id = ? AND r.moved_out IS NULL AND p.id != ? GROUP BY p.id ORDER BY p.id",
      {incident_id, *room_id, person_id});
  return household ? Status{} : household.status();
}

}  // namespace

Status appendStep(Connection& c, const Step& s) {
  auto r = c.execute(
      "INSERT INTO incident_history (incident_id, ts, actor, actor_user_id, action, from_status, "
      "to_status, note, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {s.incident_id, s.ts, s.actor, store::nullableInt(s.actor_user_id), s.action,
       store::nullableText(s.from), s.to, store::nullableText(s.note), s.details.dump()});
  return r ? Status{} : r.status();
}

IncidentService::IncidentService(store::Database& db, const Clock& clock, IncidentPolicy policy,
                                 int utc_offset_minutes, notify::Publisher* notices)
    : db_(db),
      clock_(clock),
      policy_(policy),
      utc_offset_minutes_(utc_offset_minutes),
      notices_(notices) {}

std::string IncidentService::formatTime(int64_t ms) const {
  return formatTimestamp(ms, utc_offset_minutes_);
}

Result<std::vector<int64_t>> IncidentService::raiseFromAlarms(
    const std::vector<store::StoredEvent>& events, std::optional<int64_t> through) {
  std::vector<int64_t> changed;
  const int64_t now = clock_.nowMillis();
  Status s = db_.write([&](Connection& c) -> Status {
    changed.clear();
    for (const auto& stored : events) {
      const domain::Event& e = stored.event;
      if (e.kind != domain::EventKind::kAlarm) continue;
      const json attrs = json::parse(e.attrs, nullptr, false);
      if (!attrs.is_object() || !attrs.contains("type") || !attrs["type"].is_string()) continue;
      const std::string type = attrs["type"].get<std::string>();
      auto kind = kindOfAlarm(type);
      if (!kind) continue;
      // seq 0: an alarm not kept in the event store (the demo's history), with no key to name.
      const Alarm alarm{
          .event_key = stored.seq > 0 ? std::optional(store::EventStore::eventKey(e.ts, stored.seq))
                                      : std::nullopt,
          .event_id = e.event_id,
          .device_id = e.device_id,
          .type = type,
          .level = levelText(attrs),
          .ts = e.ts};

      auto open = c.query(std::string("SELECT id FROM incidents WHERE device_id = ? AND kind = ? "
                                      "AND status IN ") +
                              kOpenStatuses + " ORDER BY id DESC LIMIT 1",
                          {e.device_id, *kind});
      if (!open) return open.status();
      int64_t id = 0;
      if (!open->empty()) {
        id = store::asInt(open->rows[0][0]);
      } else {
        auto place = placeOfDevice(c, e);
        if (!place) return place.status();
        place->kind = *kind;
        place->level = alarm.level;
        auto inserted = insertIncident(c, *place, policy_, now);
        if (!inserted) return inserted.status();
        id = *inserted;
        ANJU_RETURN_IF_ERROR(appendStep(c, {.incident_id = id,
                                            .ts = now,
                                            .actor = "system",
                                            .action = "raise",
                                            .to = "raised",
                                            .details = {{"source", "device"},
                                                        {"device_id", e.device_id},
                                                        {"event_id", e.event_id},
                                                        {"type", type}}}));
      }
      ANJU_RETURN_IF_ERROR(attachAlarm(c, id, alarm, now));
      if (std::find(changed.begin(), changed.end(), id) == changed.end()) changed.push_back(id);
    }
    return through ? store::setEventPosition(c, kConsumer, *through) : Status{};
  });
  if (!s) return s;
  publish(changed);
  return changed;
}

Result<std::optional<int64_t>> IncidentService::intakePosition() {
  std::optional<int64_t> position;
  ANJU_RETURN_IF_ERROR(db_.read([&](Connection& c) -> Status {
    auto read = store::eventPosition(c, kConsumer);
    if (!read) return read.status();
    position = *read;
    return {};
  }));
  return position;
}

Status IncidentService::setIntakePosition(int64_t through) {
  return db_.write([&](Connection& c) { return store::setEventPosition(c, kConsumer, through); });
}

Result<json> IncidentService::raiseSos(const store::User& caller, const std::string& note) {
  if (!caller.person_id)
    return Status::forbidden(
        "您的账号未关联居民信息，无法一键呼叫 (your login is not linked to a person)");
  const int64_t person = *caller.person_id;
  const int64_t now = clock_.nowMillis();
  int64_t id = 0;
  Status s = db_.write([&](Connection& c) -> Status {
    const Alarm press{.type = "emergency_call", .ts = now};
    auto open = c.query(std::string("SELECT id FROM incidents WHERE caller_person_id = ? AND "
                                    "kind = 'sos' AND status IN ") +
                            kOpenStatuses + " ORDER BY id DESC LIMIT 1",
                        {person});
    if (!open) return open.status();
    if (!open->empty()) {
      id = store::asInt(open->rows[0][0]);
      return attachAlarm(c, id, press, now);
    }
    NewIncident n{
        .kind = "sos", .source = "portal", .caller_person_id = person, .caller_user_id = caller.id};
    ANJU_RETURN_IF_ERROR(placeOfPerson(c, caller, person, n));
    auto inserted = insertIncident(c, n, policy_, now);
    if (!inserted) return inserted.status();
    id = *inserted;
    ANJU_RETURN_IF_ERROR(recordContacts(c, id, person, n.room_id));
    ANJU_RETURN_IF_ERROR(appendStep(c, {.incident_id = id,
                                        .ts = now,
                                        .actor = caller.username,
                                        .actor_user_id = caller.id,
                                        .action = "raise",
                                        .to = "raised",
                                        .note = note,
                                        .details = {{"source", "portal"}}}));
    return attachAlarm(c, id, press, now);
  });
  if (!s) return s;
  publish({id});
  return get(caller, id);
}

Result<IncidentService::Loaded> IncidentService::load(Connection& c, const store::User* caller,
                                                      int64_t id) {
  auto rows =
      c.query("SELECT " + std::string(kIncidentColumns) + " FROM incidents WHERE id = ?", {id});
  if (!rows) return rows.status();
  if (rows->empty())
    return Status::notFound("未找到事件 (no incident with id " + std::to_string(id) + ")");
  Loaded l;
  l.row = std::move(rows->rows[0]);
  l.id = id;
  l.region_path = store::asText(l.row[kRegionPath]);
  l.status = store::asText(l.row[kStatus]);
  if (!caller) return l;
  if (mayReadAll(caller->roles)) {
    if (!store::Scope{caller->region_path}.contains(l.region_path)) return outsideScope();
    return l;
  }
  // Residents see the SOS they raised, or one raised for them.
  const auto user = optInt(l.row[kCallerUserId]);
  const auto person = optInt(l.row[kCallerPersonId]);
  const bool own = (user && *user == caller->id) ||
                   (person && caller->person_id && *person == *caller->person_id);
  if (!caller->hasRole("resident") || !own)
    return Status::forbidden("您无权查看此事件 (you may not see this incident)");
  return l;
}

Result<json> IncidentService::get(const store::User& caller, int64_t id) {
  json out;
  Status s = db_.read([&](Connection& c) -> Status {
    auto l = load(c, &caller, id);
    if (!l) return l.status();
    auto v = view(c, &caller, *l);
    if (!v) return v.status();
    out = std::move(*v);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<std::vector<std::string>> IncidentService::allowedFor(const store::User& caller,
                                                             int64_t id) {
  std::vector<std::string> out;
  Status s = db_.read([&](Connection& c) -> Status {
    auto l = load(c, &caller, id);
    if (!l) return l.status();
    out = allowedActions(l->status, caller.roles);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<json> IncidentService::act(const store::User& caller, int64_t id, const Action& a) {
  if (!isAction(a.action))
    return Status::invalid("action", "未知操作 " + a.action + " (unknown action)");
  Status s = db_.write([&](Connection& c) -> Status {
    auto loaded = load(c, &caller, id);
    if (!loaded) return loaded.status();
    const Loaded& l = *loaded;
    if (!mayAct(caller.roles))
      return Status::forbidden("您的角色不能处置事件 (your role may not act on incidents)");
    auto next = nextStatus(l.status, a.action);
    if (!next)
      return Status::conflict("事件当前状态为 " + l.status + "，不能执行 " + a.action +
                                  " (action " + a.action + " is not allowed from status " +
                                  l.status + ")",
                              "action");
    const int64_t now = clock_.nowMillis();
    const int64_t raised = store::asInt(l.row[kRaisedAt]);
    json details = {{"seconds_since_raised", (now - raised) / 1000}};
    std::string sets = "status = ?, updated_at = ?";
    std::vector<Value> values = {*next, now};
    for (std::size_t i = 0; i < std::size(kStages); ++i) {
      if (kStages[i].status != *next) continue;
      const int64_t due = store::asInt(l.row[kStageColumns[i].due]);
      sets += std::string(", ") + kStageColumns[i].done_name + " = ?";
      values.emplace_back(now);
      details["stage"] = std::string(kStages[i].name);
      details["on_time"] = now <= due;
    }
    if (a.action == "dispatch") {
      sets += ", dispatched_to = ?";
      values.emplace_back(a.dispatched_to);
      details["dispatched_to"] = a.dispatched_to;
    }
    if (!isOpen(*next)) {
      sets += ", closed_at = ?";
      values.emplace_back(now);
    }
    values.emplace_back(id);
    auto updated = c.execute("UPDATE incidents SET " + sets + " WHERE id = ?", values);
    if (!updated) return updated.status();
    return appendStep(c, {.incident_id = id,
                          .ts = now,
                          .actor = caller.username,
                          .actor_user_id = caller.id,
                          .action = a.action,
                          .from = l.status,
                          .to = *next,
                          .note = a.note,
                          .details = details});
  });
  if (!s) return s;
  publish({id});
  return get(caller, id);
}

Result<store::ListPage> IncidentService::list(const store::User& caller, const IncidentFilter& f) {
  auto after = store::parseIdCursor(f.cursor);
  if (!after) return after.status();
  std::string sql =
      "SELECT i.id, i.kind, i.status, i.source, i.level, i.estate_id, e.name, i.region_id, "
      "i.device_id, i.building_id, i.address, i.alarm_count, i.raised_at, i.updated_at, "
      "i.escalations, i.ack_due_at, i.dispatch_due_at, i.arrive_due_at, i.acknowledged_at, "
      "i.dispatched_at, i.arrived_at, i.closed_at FROM incidents i "
      "LEFT JOIN estates e ON e.id = i.estate_id WHERE i.id > ?";
  std::vector<Value> params = {*after};
  if (mayReadAll(caller.roles)) {
    sql += " AND i.region_path >= ? AND i.region_path < ?";
    params.emplace_back(f.scope.path);
    params.emplace_back(f.scope.upperBound());
  } else {
    sql += " AND (i.caller_user_id = ? OR i.caller_person_id = ?)";
    params.emplace_back(caller.id);
    params.emplace_back(caller.person_id ? Value(*caller.person_id) : Value{});
  }
  for (auto [column, value] : {std::pair{"status", &f.status}, std::pair{"kind", &f.kind}}) {
    if (!*value) continue;
    sql += std::string(" AND i.") + column + " = ?";
    params.emplace_back(**value);
  }
  if (f.open) sql += std::string(" AND i.status ") + (*f.open ? "IN " : "NOT IN ") + kOpenStatuses;
  if (f.estate_id) {
    sql += " AND i.estate_id = ?";
    params.emplace_back(*f.estate_id);
  }
  if (f.from_ms) {
    sql += " AND i.raised_at >= ?";
    params.emplace_back(*f.from_ms);
  }
  if (f.to_ms) {
    sql += " AND i.raised_at < ?";
    params.emplace_back(*f.to_ms);
  }
  sql += " ORDER BY i.id LIMIT ?";
  params.emplace_back(int64_t{f.limit} + 1);

  const int64_t now = clock_.nowMillis();
  store::ListPage page;
  Status s = db_.read([&](Connection& c) -> Status {
    auto rows = c.query(sql, params);
    if (!rows) return rows.status();
    auto time = [&](const Value& v) {
      return store::isNull(v) ? json(nullptr) : json(formatTime(store::asInt(v)));
    };
    auto orNull = [](const Value& v, bool text) {
      if (store::isNull(v)) return json(nullptr);
      return text ? json(store::asText(v)) : json(store::asInt(v));
    };
    for (std::size_t i = 0; i < rows->rows.size() && static_cast<int>(i) < f.limit; ++i) {
      const auto& r = rows->rows[i];
      const std::string status = store::asText(r[2]);
      // The stages past their target and not reached: what a console highlights.
      json late = json::array();
      for (std::size_t k = 0; k < std::size(kStages); ++k) {
        const int64_t due = store::asInt(r[15 + k]);
        const auto done = optInt(r[18 + k]);
        const auto closed = optInt(r[21]);
        if (done ? *done > due : (!closed && now > due) || (closed && *closed > due))
          late.push_back(std::string(kStages[k].name));
      }
      page.items.push_back({{"id", store::asInt(r[0])},
                            {"kind", store::asText(r[1])},
                            {"status", status},
                            {"source", store::asText(r[3])},
                            {"level", orNull(r[4], true)},
                            {"estate_id", orNull(r[5], false)},
                            {"estate_name", orNull(r[6], true)},
                            {"region_id", orNull(r[7], false)},
                            {"device_id", orNull(r[8], true)},
                            {"building_id", orNull(r[9], false)},
                            {"address", orNull(r[10], true)},
                            {"alarm_count", store::asInt(r[11])},
                            {"raised_at", time(r[12])},
                            {"updated_at", time(r[13])},
                            {"escalations", store::asInt(r[14])},
                            {"late_stages", late},
                            {"closed_at", time(r[21])}});
    }
    if (static_cast<int>(rows->rows.size()) > f.limit)
      page.next = std::to_string(page.items.back()["id"].get<int64_t>());
    return {};
  });
  if (!s) return s;
  return page;
}

void IncidentService::publish(const std::vector<int64_t>& ids) {
  if (!notices_ || ids.empty()) return;
  for (int64_t id : ids) {
    notify::Notice notice{.type = "incident"};
    Status s = db_.read([&](Connection& c) -> Status {
      auto l = load(c, nullptr, id);
      if (!l) return l.status();
      auto v = view(c, nullptr, *l);
      if (!v) return v.status();
      notice.region_path = l->region_path;
      notice.data = std::move(*v);
      return {};
    });
    // The change is committed either way; a client that missed it reads the incident again.
    if (!s) {
      log::warn("incidents.not_published", {{"id", std::to_string(id)}, {"error", s.message()}});
      continue;
    }
    notices_->publish(std::move(notice));
  }
}

}  // namespace anju::incidents
