// Alerts (预警) as they are kept and worked: one row per open condition, the events that fired it,
// and the steps officers took (acknowledge, assign, close). A condition that fires again while
// its alert is open updates that alert (last time, count, events) instead of adding one, so a
// door alarm ringing for an hour is one alert with its count, not hundreds.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/database.h"
#include "store/record_store.h"

namespace anju::alerts {

// An alert keeps the first events that fired it in full; its count has them all.
inline constexpr int kMaxEventsPerAlert = 50;

// One occurrence of a condition.
struct Firing {
  std::string source;  // "rule" or "watchlist"
  std::optional<int64_t> rule_id, watchlist_id, entry_id;
  std::string kind;       // the rule's kind, or watchlist_person / watchlist_vehicle
  std::string dedup_key;  // equal keys while open are one alert
  std::string level;
  std::optional<int64_t> estate_id;
  std::string region_path;
  std::string title;
  nlohmann::json subject = nlohmann::json::object();  // who or what it is about
  int64_t ts = 0;
  // The event behind it, when there is one (a timer's condition has none).
  std::optional<int64_t> event_key;
  std::string device_id;
  std::string event_kind;
  nlohmann::json detail = nlohmann::json::object();  // e.g. the similarity of a face match
  // Read again after a restart: the event may already be on its alert, and is then not counted
  // twice.
  bool replayed = false;
};

struct Raised {
  int64_t alert_id = 0;
  bool created = false;  // false: an open alert was updated
  bool already = false;  // a replayed event its alert already lists: nothing changed
  nlohmann::json alert;  // as the API shows it
};

struct AlertQuery {
  store::Scope scope;
  std::string status;  // one status, or "" for any
  bool open = false;   // any status but closed
  std::string kind;
  std::optional<int64_t> estate_id, rule_id, watchlist_id;
  std::string device_id;  // alerts any of whose events came from this device; "" for any
  int64_t from = 0;       // last_ts window
  int64_t to = INT64_MAX;
  std::string cursor;
  int limit = 50;
};

struct AlertPage {
  std::vector<nlohmann::json> items;
  std::optional<std::string> next;
};

// The steps an alert in `status` allows: acknowledge, assign, close.
std::vector<std::string> alertActions(const std::string& status);

class AlertStore {
 public:
  AlertStore(store::Database& db, const Clock& clock, int utc_offset_minutes);

  Result<Raised> raise(const Firing& firing);
  // With its events and steps.
  Result<nlohmann::json> get(int64_t id);
  Result<AlertPage> list(const AlertQuery& query);
  // acknowledge, assign (to `assignee`) or close. Conflict when the status does not allow it.
  Result<nlohmann::json> act(int64_t id, const std::string& action, const std::string& by,
                             const std::string& note, const std::string& assignee);
  // Closes the open alert with this key, if there is one (a device back online); its id.
  Result<std::optional<int64_t>> closeOpen(const std::string& dedup_key, const std::string& note);

 private:
  Result<nlohmann::json> load(store::Connection& c, int64_t id, bool full);

  store::Database& db_;
  const Clock& clock_;
  int utc_offset_minutes_;
};

}  // namespace anju::alerts
