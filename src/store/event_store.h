// Device events, kept for ingestion speed: one table per UTC day of the event's time, each with
// its own small indexes (device + event_id for deduplication, person + time and plate + time for
// trajectories). A day's indexes stay in the page cache while that day is written, so inserts do
// not slow down as the store grows, and retention drops whole days. Counts per estate and hour are
// kept beside them so statistics never scan events.
//
// The events live in their own database (a separate SQLite file), so a long ingestion commit never
// holds up registry writes or the audit log. On PostgreSQL the days are partitions of one table
// partitioned by day, written through a connection of their own.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/event.h"
#include "store/database.h"

namespace anju::store {

struct StoredEvent {
  int64_t seq = 0;  // order of arrival within its day
  domain::Event event;
};

struct TrajectoryQuery {
  std::optional<int64_t> person_id;             // access events of this person
  std::vector<std::string> plates;              // vehicle events of these plates
  int64_t from = 0;                             // ms since the epoch, inclusive
  int64_t to = 0;                               // inclusive
  std::optional<std::vector<int64_t>> estates;  // only these estates; nullopt: every estate
  std::string cursor;                           // the `next` of the previous page
  int limit = 100;
};

struct EventListQuery {
  std::string device_id;
  int64_t from = 0;
  int64_t to = 0;
  std::optional<std::vector<int64_t>> estates;
  std::string cursor;
  int limit = 100;
};

struct EventPage {
  std::vector<StoredEvent> items;
  std::optional<std::string> next;
};

struct HourCount {
  int64_t estate_id = 0;
  int64_t hour = 0;  // ms since the epoch at the start of the hour
  std::string kind;
  std::string result;
  int64_t count = 0;
};

struct VehicleVisit {
  int64_t id = 0;
  int64_t estate_id = 0;
  std::string plate;
  std::optional<int64_t> in_ts;
  std::optional<int64_t> out_ts;
};

// Visits of one estate, newest first; `plates` keeps only visits of those plates, `except_plates`
// leaves those out (a few thousand at most: they become statement parameters).
struct VisitQuery {
  int64_t estate_id = 0;
  int64_t from = 0;
  int64_t to = 0;
  int limit = 100;
  std::optional<std::vector<std::string>> plates;
  std::vector<std::string> except_plates;
};

// One plate's visits to an estate that entered in a window: how many, and the total stay of those
// that have also left.
struct PlateVisits {
  std::string plate;
  int64_t visits = 0;
  int64_t closed = 0;
  int64_t dwell_ms = 0;
};

// A person's latest passage: a granted access event with a direction.
struct LastPassage {
  int64_t person_id = 0;
  int64_t ts = 0;
  int64_t estate_id = 0;
  std::string direction;  // in / out
};

// Events of some persons and of vehicles whose plates start with some prefixes ("鄂", "鄂A").
struct PassageQuery {
  int64_t from = 0;                             // inclusive
  int64_t to = 0;                               // inclusive
  std::optional<std::vector<int64_t>> estates;  // nullopt: every estate
  std::vector<int64_t> persons;
  std::vector<std::string> plate_prefixes;
};

// One person's or one plate's events at one estate.
struct PassageTotal {
  std::optional<int64_t> person_id;
  std::string plate;  // set for vehicles
  int64_t estate_id = 0;
  int64_t first = 0;
  int64_t last = 0;
  int64_t count = 0;
};

struct DeviceStatusChange {
  int64_t id = 0;
  std::string device_id;
  int64_t estate_id = 0;
  int64_t ts = 0;
  bool online = false;
};

// Events older than a time, for retention's dry run: how many, and the first and last time.
struct EventSpan {
  int64_t count = 0;
  int64_t first_ms = 0, last_ms = 0;  // 0 when count is 0
  void add(const EventSpan& other);
};

// One batch of a day's events or face captures removed: how many, and where the next starts.
struct CaptureBatch {
  int64_t removed = 0;
  int64_t last_seq = 0;  // captures only
  bool done = false;     // none left (captures: the day is marked and not searched again)
};

class EventStore {
 public:
  explicit EventStore(Database& db);

  // Creates the catalogue tables and reads which days exist. On PostgreSQL it then follows the days
  // other nodes on the same database add and drop.
  Status initialize();
  // Creates the day tables these events need, in their own transaction, before `insert`.
  Status preparePartitions(const std::vector<domain::Event>& events);
  // Inside the caller's write transaction: stores the events not already there (same device and
  // event_id on the same day) and returns one flag per event: true when stored now. Also updates
  // the hourly counts and the vehicles' visits. `seqs`, when given, receives each stored event's
  // arrival order within its day (0 for those already there).
  Result<std::vector<bool>> insert(Connection& c, const std::vector<domain::Event>& events,
                                   std::vector<int64_t>* seqs = nullptr);
  // An event's key across days: its day and its arrival order within the day.
  static int64_t eventKey(int64_t ts_ms, int64_t seq) { return (dayOf(ts_ms) << 32) | seq; }
  // The event with this key, if it is still kept.
  Result<std::optional<StoredEvent>> byKey(int64_t key);
  // Events of one kind ("face_capture", "alarm"; "" for every kind), with their embeddings, in
  // key order after `after_key` (0: from the first): how the face index is rebuilt at start-up,
  // and how events stored just before a crash are still matched and alarms still raised.
  Result<std::vector<StoredEvent>> eventsAfter(int64_t after_key, std::string_view kind, int limit);
  // The greatest key stored so far (0 when there is none).
  Result<int64_t> lastKey();

  // Oldest first, across every day in [from, to].
  Result<EventPage> trajectory(const TrajectoryQuery& query);
  Result<EventPage> list(const EventListQuery& query);
  Result<std::vector<HourCount>> hourCounts(const std::vector<int64_t>& estates, int64_t from,
                                            int64_t to);
  Result<std::vector<VehicleVisit>> visits(int64_t estate_id, int64_t from, int64_t to, int limit);
  Result<std::vector<VehicleVisit>> visits(const VisitQuery& query);
  // Per plate, the visits to `estate_id` that entered in [from, to] (through the time index).
  Result<std::vector<PlateVisits>> visitTotals(int64_t estate_id, int64_t from, int64_t to);

  // Per person, the newest granted access event going in or out within [from, to] at these
  // estates (nullopt: every estate); persons without one are left out. Newest days are read first
  // and a person found there is not looked for again, so the cost follows the people, not the
  // window.
  Result<std::vector<LastPassage>> lastPassages(const std::vector<int64_t>& persons, int64_t from,
                                                int64_t to,
                                                const std::optional<std::vector<int64_t>>& estates);
  // Per person or plate and estate: the first and last event in the window and how many there
  // were (any kind for persons, vehicle events for plates), through the person and plate indexes.
  Result<std::vector<PassageTotal>> passageTotals(const PassageQuery& query);

  Status recordStatusChanges(const std::vector<DeviceStatusChange>& changes);
  // Oldest first after `after_id`, only in these estates (nullopt: every estate).
  Result<std::vector<DeviceStatusChange>> statusChanges(
      int64_t after_id, const std::optional<std::vector<int64_t>>& estates, int limit);

  // Retention (event_store_retention.cc). Days count whole UTC days since the epoch.
  // The events of the days before `before_day`.
  Result<EventSpan> eventsBefore(int64_t before_day);
  // The face captures of the days in [from_day, before_day) whose captures are not removed yet.
  Result<EventSpan> capturesBefore(int64_t from_day, int64_t before_day);
  // The days that have a table, before `before_day`, oldest first.
  std::vector<int64_t> daysBefore(int64_t before_day) const;
  // Removes up to `limit` of the day's oldest events in one transaction; once fewer are left, the
  // rest go with the day's table. Emptying a day batch by batch costs more than one DROP TABLE but
  // holds the event writer up for one batch at a time: dropping a full day (1.7 million events,
  // about 480 MiB) at once kept the write lock for seconds. A batch still writing to the day when
  // its table goes fails and is answered with an error; its devices send it again, and the day is
  // made anew (to go at the next run).
  Result<CaptureBatch> removeDayBatch(int64_t day, int limit);
  // Removes up to `limit` face captures of `day` after `after_seq`, in one transaction; a day
  // already done is done at once.
  Result<CaptureBatch> removeCaptures(int64_t day, int64_t after_seq, int limit);
  // Up to `limit` closed vehicle visits that ended, and device status changes, before
  // `before_ms`: what is derived from events and names plates and devices. The hourly counts stay:
  // they name no one, and statistics read them.
  Result<int64_t> removeDerivedBefore(int64_t before_ms, int limit);
  Result<int64_t> derivedBefore(int64_t before_ms);

  // The days that have a table, as "YYYYMMDD", oldest first.
  std::vector<std::string> partitions() const;
  Database& database() { return db_; }

  static int64_t dayOf(int64_t ts_ms);

 private:
  // Told, with each commit that adds or drops a day's table, to the other nodes on the database.
  static constexpr const char* kDaysChannel = "anju_event_days";
  static std::string tableOf(int64_t day);
  static void closePage(EventPage& page, int limit);
  std::vector<int64_t> daysBetween(int64_t from, int64_t to) const;
  Status trackVisit(Connection& c, const domain::Event& e);
  Status insertRows(Connection& c, const std::vector<domain::Event>& events,
                    std::vector<bool>& stored, std::vector<int64_t>* seqs);
  bool postgres() const { return postgres_; }
  Status readDays();

  Database& db_;
  const bool postgres_;  // days are partitions of one table (see event_store.cc)
  mutable std::mutex mutex_;
  std::set<int64_t> days_;  // GUARDED_BY(mutex_): days whose table exists (days since the epoch)
  std::unique_ptr<Subscription> days_changed_;  // last: it calls readDays()
};

}  // namespace anju::store
