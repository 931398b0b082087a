#include "alerts/alert_store.h"

#include <algorithm>

namespace anju::alerts {

using nlohmann::json;
using store::asInt;
using store::asReal;
using store::asText;
using store::isNull;
using store::Value;

namespace {

constexpr const char* kAlertColumns =
    "id, source, rule_id, watchlist_id, entry_id, kind, status, level, estate_id, region_path, "
    "title, subject, first_ts, last_ts, count, assigned_to, created_at, updated_at, closed_at, "
    // The device of the latest event behind the alert, so that a site plan can mark it.
    "(SELECT device_id FROM alert_events e WHERE e.alert_id = alerts.id "
    "ORDER BY e.ts DESC LIMIT 1)";

json intOrNull(const Value& v) {
  return isNull(v) ? json(nullptr) : json(asInt(v));
}

}  // namespace

std::vector<std::string> alertActions(const std::string& status) {
  if (status == "open") return {"acknowledge", "assign", "close"};
  if (status == "acknowledged" || status == "assigned") return {"assign", "close"};
  return {};
}

AlertStore::AlertStore(store::Database& db, const Clock& clock, int utc_offset_minutes)
    : db_(db), clock_(clock), utc_offset_minutes_(utc_offset_minutes) {}

Result<json> AlertStore::load(store::Connection& c, int64_t id, bool full) {
  auto rows = c.query(std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE id = ?", {id});
  if (!rows) return rows.status();
  if (rows->empty()) return Status::notFound("没有这条预警 (no such alert)", "id");
  const auto& r = rows->rows[0];
  auto time = [&](const Value& v) {
    return isNull(v) ? json(nullptr) : json(formatTimestamp(asInt(v), utc_offset_minutes_));
  };
  const std::string status = asText(r[6]);
  json alert = {{"id", asInt(r[0])},
                {"source", asText(r[1])},
                {"rule_id", intOrNull(r[2])},
                {"watchlist_id", intOrNull(r[3])},
                {"entry_id", intOrNull(r[4])},
                {"kind", asText(r[5])},
                {"status", status},
                {"level", asText(r[7])},
                {"estate_id", intOrNull(r[8])},
                {"region_path", asText(r[9])},
                {"title", asText(r[10])},
                {"subject", json::parse(asText(r[11]), nullptr, false)},
                {"first_ts", time(r[12])},
                {"last_ts", time(r[13])},
                {"count", asInt(r[14])},
                {"assigned_to", isNull(r[15]) ? json(nullptr) : json(asText(r[15]))},
                {"created_at", time(r[16])},
                {"updated_at", time(r[17])},
                {"closed_at", time(r[18])},
                {"device_id", isNull(r[19]) ? json(nullptr) : json(asText(r[19]))},
                {"allowed_actions", alertActions(status)}};
  if (!full) return alert;
  auto events = c.query(
      "SELECT event_key, ts, device_id, estate_id, kind, detail FROM alert_events WHERE "
      "alert_id = ? ORDER BY ts, rowid",
      {id});
  if (!events) return events.status();
  json list = json::array();
  for (const auto& e : events->rows) {
    list.push_back({{"event_key", intOrNull(e[0])},
                    {"ts", time(e[1])},
                    {"device_id", isNull(e[2]) ? json(nullptr) : json(asText(e[2]))},
                    {"estate_id", intOrNull(e[3])},
                    {"kind", asText(e[4])},
                    {"detail", json::parse(asText(e[5]), nullptr, false)}});
  }
  alert["events"] = std::move(list);
  auto steps = c.query(
      "SELECT action, by, at, note, assigned_to FROM alert_steps WHERE alert_id = ? ORDER BY id",
      {id});
  if (!steps) return steps.status();
  json history = json::array();
  for (const auto& s : steps->rows) {
    json step = {{"action", asText(s[0])}, {"by", asText(s[1])}, {"at", time(s[2])}};
    if (!isNull(s[3])) step["note"] = asText(s[3]);
    if (!isNull(s[4])) step["assigned_to"] = asText(s[4]);
    history.push_back(std::move(step));
  }
  alert["steps"] = std::move(history);
  return alert;
}

Result<Raised> AlertStore::raise(const Firing& f) {
  Raised raised;
  const int64_t now = clock_.nowMillis();
  Status st = db_.write([&](store::Connection& c) -> Status {
    if (f.replayed && f.event_key) {
      auto listed = c.query(
          "SELECT a.id FROM alerts a JOIN alert_events e ON e.alert_id = a.id "
          "WHERE a.dedup_key = ? AND e.event_key = ? LIMIT 1",
          {f.dedup_key, *f.event_key});
      if (!listed) return listed.status();
      if (!listed->empty()) {
        raised.alert_id = asInt(listed->rows[0][0]);
        raised.already = true;
        return {};
      }
    }
    auto open = c.query("SELECT id, count FROM alerts WHERE dedup_key = ? AND status <> 'closed'",
                        {f.dedup_key});
    if (!open) return open.status();
    int64_t kept = 0;
    if (open->empty()) {
      auto created = c.query(
          "INSERT INTO alerts (source, rule_id, watchlist_id, entry_id, kind, dedup_key, status, "
          "level, estate_id, region_path, title, subject, first_ts, last_ts, count, created_at, "
          "updated_at) VALUES (?,?,?,?,?,?,'open',?,?,?,?,?,?,?,1,?,?) RETURNING id",
          {f.source, store::nullableInt(f.rule_id), store::nullableInt(f.watchlist_id),
           store::nullableInt(f.entry_id), f.kind, f.dedup_key, f.level,
           store::nullableInt(f.estate_id), f.region_path, f.title, f.subject.dump(), f.ts, f.ts,
           now, now});
      if (!created) return created.status();
      raised.alert_id = created->scalarInt().value_or(0);
      raised.created = true;
    } else {
      raised.alert_id = asInt(open->rows[0][0]);
      kept = asInt(open->rows[0][1]);
      auto updated = c.execute(
          "UPDATE alerts SET last_ts = CASE WHEN last_ts > ? THEN last_ts ELSE ? END, "
          "first_ts = CASE WHEN first_ts < ? THEN first_ts ELSE ? END, "
          "count = count + 1, updated_at = ? WHERE id = ?",
          {f.ts, f.ts, f.ts, f.ts, now, raised.alert_id});
      if (!updated) return updated.status();
    }
    if (kept < kMaxEventsPerAlert) {
      auto event = c.execute(
          "INSERT INTO alert_events (alert_id, event_key, ts, device_id, estate_id, kind, detail) "
          "VALUES (?,?,?,?,?,?,?)",
          {raised.alert_id, store::nullableInt(f.event_key), f.ts,
           f.device_id.empty() ? Value{} : Value{f.device_id}, store::nullableInt(f.estate_id),
           f.event_kind.empty() ? f.kind : f.event_kind, f.detail.dump()});
      if (!event) return event.status();
    }
    auto alert = load(c, raised.alert_id, false);
    if (!alert) return alert.status();
    raised.alert = std::move(*alert);
    return {};
  });
  if (!st) return st;
  return raised;
}

Result<json> AlertStore::get(int64_t id) {
  json alert;
  ANJU_RETURN_IF_ERROR(db_.read([&](store::Connection& c) -> Status {
    auto loaded = load(c, id, true);
    if (!loaded) return loaded.status();
    alert = std::move(*loaded);
    return {};
  }));
  return alert;
}

Result<AlertPage> AlertStore::list(const AlertQuery& q) {
  std::string sql = std::string("SELECT id FROM alerts WHERE region_path >= ? AND region_path < ?");
  std::vector<Value> params{q.scope.path, q.scope.upperBound()};
  if (!q.status.empty()) {
    sql += " AND status = ?";
    params.emplace_back(q.status);
  }
  if (q.open) sql += " AND status <> 'closed'";
  if (!q.kind.empty()) {
    sql += " AND kind = ?";
    params.emplace_back(q.kind);
  }
  auto optional = [&](const char* column, const std::optional<int64_t>& v) {
    if (!v) return;
    sql += std::string(" AND ") + column + " = ?";
    params.emplace_back(*v);
  };
  optional("estate_id", q.estate_id);
  optional("rule_id", q.rule_id);
  optional("watchlist_id", q.watchlist_id);
  if (!q.device_id.empty()) {
    sql += " AND id IN (SELECT alert_id FROM alert_events WHERE device_id = ?)";
    params.emplace_back(q.device_id);
  }
  sql += " AND last_ts >= ? AND last_ts <= ?";
  params.emplace_back(q.from);
  params.emplace_back(q.to);
  if (!q.cursor.empty()) {
    sql += " AND id < ?";
    params.emplace_back(static_cast<int64_t>(std::stoll(q.cursor)));
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(int64_t{q.limit} + 1);
  AlertPage page;
  ANJU_RETURN_IF_ERROR(db_.read([&](store::Connection& c) -> Status {
    auto rows = c.query(sql, params);
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      if (static_cast<int>(page.items.size()) == q.limit) {
        page.next = std::to_string(page.items.back()["id"].get<int64_t>());
        break;
      }
      auto alert = load(c, asInt(r[0]), false);
      if (!alert) return alert.status();
      page.items.push_back(std::move(*alert));
    }
    return {};
  }));
  return page;
}

Result<json> AlertStore::act(int64_t id, const std::string& action, const std::string& by,
                             const std::string& note, const std::string& assignee) {
  json alert;
  const int64_t now = clock_.nowMillis();
  ANJU_RETURN_IF_ERROR(db_.write([&](store::Connection& c) -> Status {
    auto current = c.query("SELECT status FROM alerts WHERE id = ?", {id});
    if (!current) return current.status();
    if (current->empty()) return Status::notFound("没有这条预警 (no such alert)", "id");
    const auto allowed = alertActions(asText(current->rows[0][0]));
    if (std::find(allowed.begin(), allowed.end(), action) == allowed.end()) {
      return Status::conflict(
          "预警当前状态不允许此操作 (the alert's status does not allow " + action + ")", "action");
    }
    const std::string status = action == "acknowledge" ? "acknowledged"
                               : action == "assign"    ? "assigned"
                                                       : "closed";
    auto updated = c.execute(
        "UPDATE alerts SET status = ?, assigned_to = coalesce(?, assigned_to), updated_at = ?, "
        "closed_at = ? WHERE id = ?",
        {status, assignee.empty() ? Value{} : Value{assignee}, now,
         status == "closed" ? Value{now} : Value{}, id});
    if (!updated) return updated.status();
    auto step = c.execute(
        "INSERT INTO alert_steps (alert_id, action, by, at, note, assigned_to) VALUES "
        "(?,?,?,?,?,?)",
        {id, action, by, now, note.empty() ? Value{} : Value{note},
         assignee.empty() ? Value{} : Value{assignee}});
    if (!step) return step.status();
    auto loaded = load(c, id, true);
    if (!loaded) return loaded.status();
    alert = std::move(*loaded);
    return {};
  }));
  return alert;
}

Result<std::optional<int64_t>> AlertStore::closeOpen(const std::string& dedup_key,
                                                     const std::string& note) {
  std::optional<int64_t> closed;
  const int64_t now = clock_.nowMillis();
  ANJU_RETURN_IF_ERROR(db_.write([&](store::Connection& c) -> Status {
    auto open =
        c.query("SELECT id FROM alerts WHERE dedup_key = ? AND status <> 'closed'", {dedup_key});
    if (!open) return open.status();
    if (open->empty()) return {};
    closed = asInt(open->rows[0][0]);
    auto updated =
        c.execute("UPDATE alerts SET status = 'closed', updated_at = ?, closed_at = ? WHERE id = ?",
                  {now, now, *closed});
    if (!updated) return updated.status();
    auto step = c.execute(
        "INSERT INTO alert_steps (alert_id, action, by, at, note) VALUES (?, 'close', 'system', "
        "?, ?)",
        {*closed, now, note});
    return step ? Status{} : step.status();
  }));
  return closed;
}

}  // namespace anju::alerts
