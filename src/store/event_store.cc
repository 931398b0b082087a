#include "store/event_store.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <tuple>

namespace anju::store {

namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kHourMs = 3'600'000;
constexpr const char* kColumns =
    "seq, ts, received, device_id, event_id, kind, estate_id, person_id, plate, result, "
    "direction, attrs, image";

// Civil date from days since 1970-01-01 (H. Hinnant's algorithm), for readable table names.
std::string yyyymmdd(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld%02lld%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d));
  return buf;
}

StoredEvent rowToEvent(const std::vector<Value>& r) {
  StoredEvent s;
  s.seq = asInt(r[0]);
  auto& e = s.event;
  e.ts = asInt(r[1]);
  e.received = asInt(r[2]);
  e.device_id = asText(r[3]);
  e.event_id = asText(r[4]);
  e.kind = domain::parseEventKind(asText(r[5])).value_or(domain::EventKind::kHeartbeat);
  e.estate_id = asInt(r[6]);
  if (!isNull(r[7])) e.person_id = asInt(r[7]);
  e.plate = asText(r[8]);
  e.result = asText(r[9]);
  e.direction = asText(r[10]);
  e.attrs = asText(r[11]);
  e.image = asText(r[12]);
  return s;
}

// A page position: the day table, then (ts, seq) inside it.
struct Position {
  int64_t day = 0;
  int64_t ts = 0;
  int64_t seq = 0;
};

// No cursor: from the start. A cursor that is not "day.ts.seq": kInvalid naming "cursor".
Result<std::optional<Position>> parseCursor(const std::string& cursor) {
  if (cursor.empty()) return std::optional<Position>();
  const Status invalid = Status::invalid("cursor", "分页游标无效 (invalid cursor)");
  Position p;
  const char* b = cursor.data();
  const char* e = b + cursor.size();
  auto r1 = std::from_chars(b, e, p.day);
  if (r1.ec != std::errc() || r1.ptr == e || *r1.ptr != '.') return invalid;
  auto r2 = std::from_chars(r1.ptr + 1, e, p.ts);
  if (r2.ec != std::errc() || r2.ptr == e || *r2.ptr != '.') return invalid;
  auto r3 = std::from_chars(r2.ptr + 1, e, p.seq);
  if (r3.ec != std::errc() || r3.ptr != e) return invalid;
  return std::optional(p);
}

std::string inList(std::size_t n) {
  std::string out = "(";
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out + ")";
}

}  // namespace

EventStore::EventStore(Database& db) : db_(db) {}

int64_t EventStore::dayOf(int64_t ts_ms) {
  return ts_ms >= 0 ? ts_ms / kDayMs : (ts_ms - kDayMs + 1) / kDayMs;
}

std::string EventStore::tableOf(int64_t day) {
  return "events_" + yyyymmdd(day);
}

Status EventStore::initialize() {
  ANJU_RETURN_IF_ERROR(db_.write([](Connection& c) {
    return c.executeScript(R"sql(
CREATE TABLE IF NOT EXISTS event_partitions (day INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS event_counts (
  estate_id INTEGER NOT NULL, hour INTEGER NOT NULL, kind TEXT NOT NULL, result TEXT NOT NULL,
  count INTEGER NOT NULL, PRIMARY KEY (estate_id, hour, kind, result)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vehicle_visits (
  id INTEGER PRIMARY KEY, estate_id INTEGER NOT NULL, plate TEXT NOT NULL,
  in_ts INTEGER, out_ts INTEGER, in_event TEXT, out_event TEXT);
CREATE TABLE IF NOT EXISTS vehicles_inside (
  estate_id INTEGER NOT NULL, plate TEXT NOT NULL, visit_id INTEGER NOT NULL,
  PRIMARY KEY (estate_id, plate)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS vehicle_visits_time ON vehicle_visits(estate_id, in_ts);
CREATE TABLE IF NOT EXISTS event_captures_removed (day INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS device_status_changes (
  id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, estate_id INTEGER NOT NULL,
  ts INTEGER NOT NULL, online INTEGER NOT NULL);
)sql");
  }));
  return db_.read([this](Connection& c) -> Status {
    auto rows = c.query("SELECT day FROM event_partitions");
    if (!rows) return rows.status();
    std::lock_guard lock(mutex_);
    for (const auto& r : rows->rows) days_.insert(asInt(r[0]));
    return {};
  });
}

Status EventStore::preparePartitions(const std::vector<domain::Event>& events) {
  std::set<int64_t> missing;
  {
    std::lock_guard lock(mutex_);
    for (const auto& e : events) {
      int64_t day = dayOf(e.ts);
      if (!days_.count(day)) missing.insert(day);
    }
  }
  if (missing.empty()) return {};
  ANJU_RETURN_IF_ERROR(db_.write([&](Connection& c) -> Status {
    for (int64_t day : missing) {
      const std::string t = tableOf(day);
      ANJU_RETURN_IF_ERROR(c.executeScript(
          "CREATE TABLE IF NOT EXISTS " + t +
          " (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, received INTEGER NOT NULL, "
          "device_id TEXT NOT NULL, event_id TEXT NOT NULL, kind TEXT NOT NULL, "
          "estate_id INTEGER NOT NULL, person_id INTEGER, plate TEXT, result TEXT, direction "
          "TEXT, attrs TEXT NOT NULL, embedding TEXT, image TEXT);"
          "CREATE UNIQUE INDEX IF NOT EXISTS " +
          t + "_key ON " + t +
          "(device_id, event_id);"
          "CREATE INDEX IF NOT EXISTS " +
          t + "_person ON " + t +
          "(person_id, ts) WHERE person_id IS NOT NULL;"
          "CREATE INDEX IF NOT EXISTS " +
          t + "_plate ON " + t + "(plate, ts) WHERE plate IS NOT NULL;"));
      auto r =
          c.execute("INSERT OR IGNORE INTO event_partitions (day, name) VALUES (?, ?)", {day, t});
      if (!r) return r.status();
    }
    return {};
  }));
  std::lock_guard lock(mutex_);
  days_.insert(missing.begin(), missing.end());
  return {};
}

// A vehicle's entry opens a visit and its exit closes the open one, found through the small
// vehicles_inside table rather than by searching visits. An entry while a visit is still open
// leaves that one without an exit (a missed read); an exit with no open visit is kept alone.
Status EventStore::trackVisit(Connection& c, const domain::Event& e) {
  if (e.kind != domain::EventKind::kVehicle) return {};
  const std::string key = e.device_id + "/" + e.event_id;
  if (e.direction == "in") {
    auto visit = c.query(
        "INSERT INTO vehicle_visits (estate_id, plate, in_ts, in_event) VALUES (?,?,?,?) "
        "RETURNING id",
        {e.estate_id, e.plate, e.ts, key});
    if (!visit) return visit.status();
    auto inside = c.execute(
        "INSERT OR REPLACE INTO vehicles_inside (estate_id, plate, visit_id) VALUES (?,?,?)",
        {e.estate_id, e.plate, visit->rows[0][0]});
    return inside ? Status{} : inside.status();
  }
  if (e.direction != "out") return {};
  auto inside = c.query("SELECT visit_id FROM vehicles_inside WHERE estate_id = ? AND plate = ?",
                        {e.estate_id, e.plate});
  if (!inside) return inside.status();
  if (inside->empty()) {
    auto alone = c.execute(
        "INSERT INTO vehicle_visits (estate_id, plate, out_ts, out_event) VALUES (?,?,?,?)",
        {e.estate_id, e.plate, e.ts, key});
    return alone ? Status{} : alone.status();
  }
  auto closed = c.execute("UPDATE vehicle_visits SET out_ts = ?, out_event = ? WHERE id = ?",
                          {e.ts, key, inside->rows[0][0]});
  if (!closed) return closed.status();
  auto left = c.execute("DELETE FROM vehicles_inside WHERE estate_id = ? AND plate = ?",
                        {e.estate_id, e.plate});
  return left ? Status{} : left.status();
}

Result<std::vector<bool>> EventStore::insert(Connection& c,
                                             const std::vector<domain::Event>& events,
                                             std::vector<int64_t>* seqs) {
  std::vector<bool> stored(events.size(), false);
  if (seqs) seqs->assign(events.size(), 0);
  std::map<std::tuple<int64_t, int64_t, std::string_view, std::string_view>, int64_t> counts;
  std::string sql;
  int64_t sql_day = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const domain::Event& e = events[i];
    if (sql.empty() || dayOf(e.ts) != sql_day) {
      sql_day = dayOf(e.ts);
      sql = "INSERT OR IGNORE INTO " + tableOf(sql_day) +
            " (ts, received, device_id, event_id, kind, estate_id, person_id, plate, result, "
            "direction, attrs, embedding, image) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING seq";
    }
    auto changed = c.query(
        sql, {e.ts, e.received, e.device_id, e.event_id, std::string(domain::kindName(e.kind)),
              e.estate_id, e.person_id ? Value{*e.person_id} : Value{}, nullableText(e.plate),
              nullableText(e.result), nullableText(e.direction), e.attrs, nullableText(e.embedding),
              nullableText(e.image)});
    if (!changed) return changed.status();
    if (changed->empty()) continue;
    stored[i] = true;
    if (seqs) (*seqs)[i] = asInt(changed->rows[0][0]);
    counts[{e.estate_id, e.ts - (e.ts % kHourMs + kHourMs) % kHourMs, domain::kindName(e.kind),
            e.result}] += 1;
    ANJU_RETURN_IF_ERROR(trackVisit(c, e));
  }
  for (const auto& [k, n] : counts) {
    const auto& [estate, hour, kind, result] = k;
    auto r = c.execute(
        "INSERT INTO event_counts (estate_id, hour, kind, result, count) VALUES (?,?,?,?,?) "
        "ON CONFLICT (estate_id, hour, kind, result) DO UPDATE SET count = count + "
        "excluded.count",
        {estate, hour, std::string(kind), std::string(result), n});
    if (!r) return r.status();
  }
  return stored;
}

Result<std::optional<StoredEvent>> EventStore::byKey(int64_t key) {
  const int64_t day = key >> 32;
  {
    std::lock_guard lock(mutex_);
    if (!days_.count(day)) return std::optional<StoredEvent>();
  }
  std::optional<StoredEvent> found;
  ANJU_RETURN_IF_ERROR(db_.read([&](Connection& c) -> Status {
    auto rows = c.query(
        std::string("SELECT ") + kColumns + ", embedding FROM " + tableOf(day) + " WHERE seq = ?",
        {key & 0xffffffffLL});
    if (!rows) return rows.status();
    if (rows->empty()) return {};
    found = rowToEvent(rows->rows[0]);
    found->event.embedding = asText(rows->rows[0][13]);
    return {};
  }));
  return found;
}

Result<std::vector<StoredEvent>> EventStore::eventsAfter(int64_t after_key, std::string_view kind,
                                                         int limit) {
  std::vector<int64_t> days;
  {
    std::lock_guard lock(mutex_);
    days.assign(days_.lower_bound(after_key >> 32), days_.end());
  }
  std::vector<StoredEvent> out;
  ANJU_RETURN_IF_ERROR(db_.read([&](Connection& c) -> Status {
    for (int64_t day : days) {
      if (static_cast<int>(out.size()) >= limit) break;
      const int64_t after_seq = day == (after_key >> 32) ? (after_key & 0xffffffffLL) : 0;
      const int64_t room = limit - static_cast<int>(out.size());
      const std::string select =
          std::string("SELECT ") + kColumns + ", embedding FROM " + tableOf(day) + " WHERE seq > ?";
      auto rows = kind.empty() ? c.query(select + " ORDER BY seq LIMIT ?", {after_seq, room})
                               : c.query(select + " AND kind = ? ORDER BY seq LIMIT ?",
                                         {after_seq, std::string(kind), room});
      if (!rows) return rows.status();
      for (const auto& r : rows->rows) {
        out.push_back(rowToEvent(r));
        out.back().event.embedding = asText(r[13]);
      }
    }
    return {};
  }));
  return out;
}

Result<int64_t> EventStore::lastKey() {
  std::optional<int64_t> last_day;
  {
    std::lock_guard lock(mutex_);
    if (!days_.empty()) last_day = *days_.rbegin();
  }
  if (!last_day) return int64_t{0};
  int64_t key = 0;
  ANJU_RETURN_IF_ERROR(db_.read([&](Connection& c) -> Status {
    auto row = c.query("SELECT COALESCE(MAX(seq), 0) FROM " + tableOf(*last_day));
    if (!row) return row.status();
    key = (*last_day << 32) | asInt(row->rows[0][0]);
    return {};
  }));
  return key;
}

// Pages are read one row longer than asked: that row, when it came, says there is more. It is
// dropped and `next` points after the last row kept (its day, time and arrival order).
void EventStore::closePage(EventPage& page, int limit) {
  if (static_cast<int>(page.items.size()) <= limit) return;
  page.items.resize(limit);
  const auto& last = page.items.back();
  page.next = std::to_string(dayOf(last.event.ts)) + "." + std::to_string(last.event.ts) + "." +
              std::to_string(last.seq);
}

std::vector<int64_t> EventStore::daysBetween(int64_t from, int64_t to) const {
  std::lock_guard lock(mutex_);
  std::vector<int64_t> out;
  for (auto it = days_.lower_bound(dayOf(from)); it != days_.end() && *it <= dayOf(to); ++it) {
    out.push_back(*it);
  }
  return out;
}

std::vector<std::string> EventStore::partitions() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (int64_t d : days_) out.push_back(yyyymmdd(d));
  return out;
}

Result<EventPage> EventStore::trajectory(const TrajectoryQuery& q) {
  auto cursor = parseCursor(q.cursor);
  if (!cursor) return cursor.status();
  const std::optional<Position> after = *cursor;
  if (!q.person_id && q.plates.empty()) return EventPage{};
  if (q.estates && q.estates->empty()) return EventPage{};
  std::vector<int64_t> days;
  for (int64_t day : daysBetween(q.from, q.to)) {
    if (!after || day >= after->day) days.push_back(day);
  }
  // The conditions every day's table shares. Equal times are always on the same day, so the
  // cursor's (ts, seq) orders rows across days too.
  std::string where = "ts >= ? AND ts <= ?";
  std::vector<Value> shared{q.from, q.to};
  if (after) {
    where += " AND (ts > ? OR (ts = ? AND seq > ?))";
    shared.insert(shared.end(), {after->ts, after->ts, after->seq});
  }
  if (q.estates) {
    where += " AND estate_id IN " + inList(q.estates->size());
    for (int64_t e : *q.estates) shared.push_back(e);
  }
  // A week of days per compound statement: SQLite merges the days' index-ordered rows itself,
  // which costs far less than a statement per day, and a page that fills up early leaves the
  // remaining weeks unread. Plate lists are padded to a power of two with a plate no vehicle has,
  // so that statements repeat and stay prepared.
  constexpr std::size_t kDaysPerStatement = 7;
  std::vector<Value> plates;
  for (const auto& p : q.plates) plates.push_back(p);
  if (!plates.empty()) {
    std::size_t size = 1;
    while (size < plates.size()) size *= 2;
    plates.resize(size, Value{std::string()});
  }
  EventPage page;
  Status st = db_.read([&](Connection& c) -> Status {
    for (std::size_t first = 0; first < days.size(); first += kDaysPerStatement) {
      std::string sql;
      std::vector<Value> params;
      const std::size_t last = std::min(days.size(), first + kDaysPerStatement);
      for (std::size_t i = first; i < last; ++i) {
        const std::string t = tableOf(days[i]);
        if (q.person_id) {
          if (!sql.empty()) sql += " UNION ALL ";
          sql += std::string("SELECT ") + kColumns + " FROM " + t + " WHERE person_id = ? AND " +
                 where;
          params.push_back(*q.person_id);
          params.insert(params.end(), shared.begin(), shared.end());
        }
        if (!plates.empty()) {
          if (!sql.empty()) sql += " UNION ALL ";
          sql += std::string("SELECT ") + kColumns + " FROM " + t + " WHERE plate IN " +
                 inList(plates.size()) + " AND " + where;
          params.insert(params.end(), plates.begin(), plates.end());
          params.insert(params.end(), shared.begin(), shared.end());
        }
      }
      const int want = q.limit + 1 - static_cast<int>(page.items.size());
      sql += " ORDER BY ts, seq LIMIT " + std::to_string(want);
      auto rows = c.query(sql, params);
      if (!rows) return rows.status();
      for (const auto& r : rows->rows) page.items.push_back(rowToEvent(r));
      if (static_cast<int>(page.items.size()) > q.limit) break;
    }
    return {};
  });
  if (!st) return st;
  closePage(page, q.limit);
  return page;
}

Result<EventPage> EventStore::list(const EventListQuery& q) {
  auto cursor = parseCursor(q.cursor);
  if (!cursor) return cursor.status();
  const std::optional<Position> after = *cursor;
  if (q.estates && q.estates->empty()) return EventPage{};
  EventPage page;
  Status st = db_.read([&](Connection& c) -> Status {
    for (int64_t day : daysBetween(q.from, q.to)) {
      if (after && day < after->day) continue;
      std::string sql = std::string("SELECT ") + kColumns + " FROM " + tableOf(day) +
                        " WHERE ts >= ? AND ts <= ?";
      std::vector<Value> params{q.from, q.to};
      if (!q.device_id.empty()) {
        sql += " AND device_id = ?";
        params.push_back(q.device_id);
      }
      if (after && day == after->day) {
        sql += " AND seq > ?";
        params.push_back(after->seq);
      }
      if (q.estates) {
        sql += " AND estate_id IN " + inList(q.estates->size());
        for (int64_t e : *q.estates) params.push_back(e);
      }
      const int want = q.limit + 1 - static_cast<int>(page.items.size());
      sql += " ORDER BY seq LIMIT " + std::to_string(want);
      auto rows = c.query(sql, params);
      if (!rows) return rows.status();
      for (const auto& r : rows->rows) page.items.push_back(rowToEvent(r));
      if (static_cast<int>(page.items.size()) > q.limit) break;
    }
    return {};
  });
  if (!st) return st;
  closePage(page, q.limit);
  return page;
}

Result<std::vector<HourCount>> EventStore::hourCounts(const std::vector<int64_t>& estates,
                                                      int64_t from, int64_t to) {
  std::vector<HourCount> out;
  if (estates.empty()) return out;
  Status st = db_.read([&](Connection& c) -> Status {
    std::vector<Value> params;
    for (int64_t e : estates) params.push_back(e);
    params.push_back(from);
    params.push_back(to);
    auto rows = c.query(
        "SELECT estate_id, hour, kind, result, count FROM event_counts WHERE "
        "estate_id IN " +
            inList(estates.size()) + " AND hour >= ? AND hour <= ?",
        params);
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      out.push_back({asInt(r[0]), asInt(r[1]), asText(r[2]), asText(r[3]), asInt(r[4])});
    }
    return {};
  });
  if (!st) return st;
  return out;
}

Result<std::vector<VehicleVisit>> EventStore::visits(int64_t estate_id, int64_t from, int64_t to,
                                                     int limit) {
  return visits(VisitQuery{.estate_id = estate_id, .from = from, .to = to, .limit = limit});
}

Result<std::vector<VehicleVisit>> EventStore::visits(const VisitQuery& q) {
  std::vector<VehicleVisit> out;
  if (q.plates && q.plates->empty()) return out;
  Status st = db_.read([&](Connection& c) -> Status {
    std::string sql =
        "SELECT id, estate_id, plate, in_ts, out_ts FROM vehicle_visits WHERE estate_id = ? AND "
        "coalesce(in_ts, out_ts) >= ? AND coalesce(in_ts, out_ts) <= ?";
    std::vector<Value> params{q.estate_id, q.from, q.to};
    if (q.plates) {
      sql += " AND plate IN " + inList(q.plates->size());
      for (const auto& p : *q.plates) params.push_back(p);
    }
    if (!q.except_plates.empty()) {
      sql += " AND plate NOT IN " + inList(q.except_plates.size());
      for (const auto& p : q.except_plates) params.push_back(p);
    }
    sql += " ORDER BY coalesce(in_ts, out_ts) DESC, id DESC LIMIT ?";
    params.push_back(static_cast<int64_t>(q.limit));
    auto rows = c.query(sql, params);
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      VehicleVisit v{asInt(r[0]), asInt(r[1]), asText(r[2]), std::nullopt, std::nullopt};
      if (!isNull(r[3])) v.in_ts = asInt(r[3]);
      if (!isNull(r[4])) v.out_ts = asInt(r[4]);
      out.push_back(std::move(v));
    }
    return {};
  });
  if (!st) return st;
  return out;
}

Result<std::vector<PlateVisits>> EventStore::visitTotals(int64_t estate_id, int64_t from,
                                                         int64_t to) {
  std::vector<PlateVisits> out;
  Status st = db_.read([&](Connection& c) -> Status {
    auto rows = c.query(
        "SELECT plate, count(*), count(out_ts), coalesce(sum(out_ts - in_ts), 0) FROM "
        "vehicle_visits WHERE estate_id = ? AND in_ts >= ? AND in_ts <= ? GROUP BY plate",
        {estate_id, from, to});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      out.push_back({asText(r[0]), asInt(r[1]), asInt(r[2]), asInt(r[3])});
    }
    return {};
  });
  if (!st) return st;
  return out;
}

Status EventStore::recordStatusChanges(const std::vector<DeviceStatusChange>& changes) {
  if (changes.empty()) return {};
  return db_.write([&](Connection& c) -> Status {
    for (const auto& ch : changes) {
      auto r = c.execute(
          "INSERT INTO device_status_changes (device_id, estate_id, ts, online) VALUES (?,?,?,?)",
          {ch.device_id, ch.estate_id, ch.ts, int64_t{ch.online ? 1 : 0}});
      if (!r) return r.status();
    }
    return {};
  });
}

Result<std::vector<DeviceStatusChange>> EventStore::statusChanges(
    int64_t after_id, const std::optional<std::vector<int64_t>>& estates, int limit) {
  std::vector<DeviceStatusChange> out;
  if (estates && estates->empty()) return out;
  Status st = db_.read([&](Connection& c) -> Status {
    std::string sql =
        "SELECT id, device_id, estate_id, ts, online FROM device_status_changes WHERE id > ?";
    std::vector<Value> params{after_id};
    if (estates) {
      sql += " AND estate_id IN " + inList(estates->size());
      params.insert(params.end(), estates->begin(), estates->end());
    }
    params.push_back(static_cast<int64_t>(limit));
    auto rows = c.query(sql + " ORDER BY id LIMIT ?", params);
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      out.push_back({asInt(r[0]), asText(r[1]), asInt(r[2]), asInt(r[3]), asInt(r[4]) != 0});
    }
    return {};
  });
  if (!st) return st;
  return out;
}

}  // namespace anju::store
