// Retention of device events: whole days emptied and dropped, face captures removed from the days
// kept, and what is derived from events (vehicle visits, device status changes) removed with them,
// each in small transactions so that ingestion never waits long behind one.
#include <algorithm>

#include "store/event_store.h"

namespace anju::store {

namespace {

constexpr const char* kStaleVisits =
    "(out_ts IS NOT NULL AND out_ts < ?) OR (out_ts IS NULL AND in_ts < ? AND id NOT IN "
    "(SELECT visit_id FROM vehicles_inside))";

EventSpan spanOf(const Rows& rows) {
  const auto& r = rows.rows[0];
  return {.count = asInt(r[0]), .first_ms = asInt(r[1]), .last_ms = asInt(r[2])};
}

}  // namespace

void EventSpan::add(const EventSpan& other) {
  if (other.count == 0) return;
  first_ms = count == 0 ? other.first_ms : std::min(first_ms, other.first_ms);
  last_ms = count == 0 ? other.last_ms : std::max(last_ms, other.last_ms);
  count += other.count;
}

std::vector<int64_t> EventStore::daysBefore(int64_t before_day) const {
  std::lock_guard lock(mutex_);
  return {days_.begin(), days_.lower_bound(before_day)};
}

Result<EventSpan> EventStore::eventsBefore(int64_t before_day) {
  EventSpan total;
  for (int64_t day : daysBefore(before_day)) {
    Status s = db_.read([&](Connection& c) -> Status {
      auto rows = c.query("SELECT COUNT(*), MIN(ts), MAX(ts) FROM " + tableOf(day));
      if (!rows) return rows.status();
      total.add(spanOf(*rows));
      return {};
    });
    if (!s) return s;
  }
  return total;
}

Result<EventSpan> EventStore::capturesBefore(int64_t from_day, int64_t before_day) {
  EventSpan total;
  Status s = db_.read([&](Connection& c) -> Status {
    auto removed = c.query("SELECT day FROM event_captures_removed");
    if (!removed) return removed.status();
    std::set<int64_t> done;
    for (const auto& r : removed->rows) done.insert(asInt(r[0]));
    for (int64_t day : daysBefore(before_day)) {
      if (day < from_day || done.count(day)) continue;
      auto rows = c.query("SELECT COUNT(*), MIN(ts), MAX(ts) FROM " + tableOf(day) +
                          " WHERE kind = 'face_capture'");
      if (!rows) return rows.status();
      total.add(spanOf(*rows));
    }
    return {};
  });
  if (!s) return s;
  return total;
}

Result<CaptureBatch> EventStore::removeDayBatch(int64_t day, int limit) {
  CaptureBatch batch;
  const std::string t = tableOf(day);
  // A partition goes at once: dropping it removes its files and nothing else, whatever it holds.
  if (!postgres()) {
    ANJU_RETURN_IF_ERROR(db_.write([&](Connection& c) -> Status {
      auto r = c.execute(
          "DELETE FROM " + t + " WHERE seq IN (SELECT seq FROM " + t + " ORDER BY seq LIMIT ?)",
          {int64_t{limit}});
      if (!r) return r.status();
      batch.removed = *r;
      return {};
    }));
    if (batch.removed == limit) return batch;
  }
  {
    std::lock_guard lock(mutex_);
    days_.erase(day);
  }
  Status s = db_.write([&](Connection& c) -> Status {
    // Events that came in for this day since the last batch go with its table, counted.
    auto late = c.query("SELECT COUNT(*) FROM " + t);
    if (!late) return late.status();
    batch.removed += late->scalarInt().value_or(0);
    ANJU_RETURN_IF_ERROR(c.executeScript("DROP TABLE " + t));
    auto r = c.execute("DELETE FROM event_partitions WHERE day = ?", {day});
    if (!r) return r.status();
    r = c.execute("DELETE FROM event_captures_removed WHERE day = ?", {day});
    if (!r) return r.status();
    return c.notify(kDaysChannel, "");
  });
  if (!s) {
    std::lock_guard lock(mutex_);
    days_.insert(day);
    return s;
  }
  batch.done = true;
  return batch;
}

Result<CaptureBatch> EventStore::removeCaptures(int64_t day, int64_t after_seq, int limit) {
  CaptureBatch batch{.last_seq = after_seq};
  const std::string t = tableOf(day);
  Status s = db_.write([&](Connection& c) -> Status {
    auto marked = c.query("SELECT 1 FROM event_captures_removed WHERE day = ?", {day});
    if (!marked) return marked.status();
    if (!marked->empty()) {
      batch.done = true;
      return {};
    }
    // Through the primary key from where the last batch stopped, so each batch reads only its own
    // stretch of the day rather than everything removed before it.
    auto rows = c.query(
        "SELECT seq FROM " + t + " WHERE seq > ? AND kind = 'face_capture' ORDER BY seq LIMIT ?",
        {after_seq, int64_t{limit}});
    if (!rows) return rows.status();
    batch.done = static_cast<int64_t>(rows->size()) < limit;
    if (!rows->empty()) {
      batch.last_seq = asInt(rows->rows.back()[0]);
      auto r =
          c.execute("DELETE FROM " + t + " WHERE seq > ? AND seq <= ? AND kind = 'face_capture'",
                    {after_seq, batch.last_seq});
      if (!r) return r.status();
      batch.removed = *r;
    }
    if (batch.done) {
      auto r = c.execute(
          "INSERT INTO event_captures_removed (day) VALUES (?) ON CONFLICT DO NOTHING", {day});
      if (!r) return r.status();
    }
    return {};
  });
  if (!s) return s;
  return batch;
}

Result<int64_t> EventStore::derivedBefore(int64_t before_ms) {
  int64_t count = 0;
  Status s = db_.read([&](Connection& c) -> Status {
    auto visits = c.query(std::string("SELECT COUNT(*) FROM vehicle_visits WHERE ") + kStaleVisits,
                          {before_ms, before_ms});
    if (!visits) return visits.status();
    auto changes = c.query("SELECT COUNT(*) FROM device_status_changes WHERE ts < ?", {before_ms});
    if (!changes) return changes.status();
    count = visits->scalarInt().value_or(0) + changes->scalarInt().value_or(0);
    return {};
  });
  if (!s) return s;
  return count;
}

Result<int64_t> EventStore::removeDerivedBefore(int64_t before_ms, int limit) {
  int64_t removed = 0;
  Status s = db_.write([&](Connection& c) -> Status {
    auto visits = c.execute(std::string("DELETE FROM vehicle_visits WHERE id IN (SELECT id FROM "
                                        "vehicle_visits WHERE ") +
                                kStaleVisits + " ORDER BY id LIMIT ?)",
                            {before_ms, before_ms, int64_t{limit}});
    if (!visits) return visits.status();
    auto changes = c.execute(
        "DELETE FROM device_status_changes WHERE id IN (SELECT id FROM device_status_changes "
        "WHERE ts < ? ORDER BY id LIMIT ?)",
        {before_ms, int64_t{limit}});
    if (!changes) return changes.status();
    removed = *visits + *changes;
    return {};
  });
  if (!s) return s;
  return removed;
}

}  // namespace anju::store
