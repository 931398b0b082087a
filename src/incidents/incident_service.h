// Incidents and the 1-3-5 minute response (SPEC §4): alarms and SOS presses become incidents
// carrying the place and, for an SOS, the caller's address and contacts; each step of the response
// is checked against the status and the caller's role and kept in the incident's history; a stage
// that runs past its target is escalated up the region tree. Every committed change is told to the
// live stream. No HTTP here: the API checks the request's shape and maps JSON.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "incidents/incident_flow.h"
#include "incidents/incident_policy.h"
#include "notify/publisher.h"
#include "store/database.h"
#include "store/event_store.h"
#include "store/record_store.h"
#include "store/user_store.h"

namespace anju::incidents {

struct IncidentFilter {
  std::optional<std::string> status, kind;
  std::optional<bool> open;
  std::optional<int64_t> estate_id;
  store::Scope scope;                     // the caller's, or narrower (?region_id=)
  std::optional<int64_t> from_ms, to_ms;  // raised in [from, to)
  std::string cursor;
  int limit = 50;
};

struct Action {
  std::string action;  // acknowledge, dispatch, arrive, resolve, false_alarm
  std::string note;
  std::string dispatched_to;  // dispatch: who was sent (a patrol, a guard, a fire engine)
};

// One stage's figures over a set of incidents. A stage counts when it was reached, or when its
// target passed while the incident was still open without it.
struct StageFigures {
  int64_t counted = 0;
  int64_t reached = 0;
  int64_t on_time = 0;                 // reached within the target
  std::optional<double> mean_seconds;  // from raised to reached, over those reached
  std::optional<double> p90_seconds;   // nearest rank
  std::optional<double> on_time_rate;  // on_time / counted
};

struct IncidentFigures {
  std::optional<int64_t> estate_id;  // nullopt: incidents without an estate (an SOS from afar)
  std::string estate_name;
  int64_t count = 0;
  int64_t open = 0;
  int64_t resolved = 0;
  int64_t false_alarms = 0;
  StageFigures acknowledge, dispatch, arrive;
};

struct IncidentStats {
  IncidentFigures total;
  std::vector<IncidentFigures> estates;  // those with incidents, by estate id
};

class IncidentService {
 public:
  static constexpr std::size_t kMaxNote = 2000;

  // `notices` may be nullptr: changes are then not pushed.
  IncidentService(store::Database& db, const Clock& clock, IncidentPolicy policy,
                  int utc_offset_minutes, notify::Publisher* notices);

  // Alarm events (other kinds are ignored) become incidents, in one transaction: a repeated alarm
  // from the same device and type while an incident is open is attached to it instead. Returns the
  // ids of the incidents raised or attached to. An event with seq 0 (not from the event store)
  // is listed without an event key.
  // `through`, when given, is recorded in the same transaction as how far the intake has got: every
  // alarm with a key up to it has then become an incident.
  Result<std::vector<int64_t>> raiseFromAlarms(const std::vector<store::StoredEvent>& events,
                                               std::optional<int64_t> through = std::nullopt);
  // How far the intake has got (nullopt: it never ran on this store), and moving it on when no
  // alarm came.
  Result<std::optional<int64_t>> intakePosition();
  Status setIntakePosition(int64_t through);
  // A resident's press in the portal (一键呼叫), as the person their login is linked to: the
  // address of their home and their household's phones. A second press while their SOS is open
  // is attached to it. Answers the incident as `get` shows it to the caller.
  Result<nlohmann::json> raiseSos(const store::User& caller, const std::string& note);

  // The whole incident: place, caller and contacts (masked for roles without need), the alarms,
  // the timers of each stage, the history and the actions the caller may take now.
  Result<nlohmann::json> get(const store::User& caller, int64_t id);
  // Oldest first. Residents see only their own SOS.
  Result<store::ListPage> list(const store::User& caller, const IncidentFilter& filter);
  // One step. kConflict when the status does not allow it, kForbidden when the caller may not;
  // nothing changes then.
  Result<nlohmann::json> act(const store::User& caller, int64_t id, const Action& action);
  Result<std::vector<std::string>> allowedFor(const store::User& caller, int64_t id);

  // The timers' pass: every stage past its target on an open incident is escalated once to the
  // next level up the region tree (the estate's region first, then its parent, ...), recorded in
  // the history as a step by "system". Returns the number of escalations.
  Result<int> escalateLate();

  // Response figures of the incidents raised in [from, to) inside `scope` (and at `estate_id`).
  Result<IncidentStats> stats(const store::Scope& scope, std::optional<int64_t> estate_id,
                              int64_t from, int64_t to);

  const IncidentPolicy& policy() const { return policy_; }

 private:
  struct Loaded;
  Result<Loaded> load(store::Connection& c, const store::User* caller, int64_t id);
  // `caller` nullptr: the view the live stream carries (personal data masked, no actions).
  Result<nlohmann::json> view(store::Connection& c, const store::User* caller, const Loaded& l);
  // After a commit: each changed incident, as the stream shows it.
  void publish(const std::vector<int64_t>& ids);
  std::string formatTime(int64_t ms) const;

  store::Database& db_;
  const Clock& clock_;
  IncidentPolicy policy_;
  int utc_offset_minutes_;
  notify::Publisher* notices_;
};

}  // namespace anju::incidents
