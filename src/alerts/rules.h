// Alert rules are data: a kind with its parameters, the part of the region tree it watches, when
// it is active and how urgent its alerts are. Saved and edited through the API; each kind checks
// its own parameters, naming the one that is wrong ("params.hours").
//
// Kinds:
//   key_person_appears   a person with one of `tags` (default key_person) passes an entrance
//   key_person_leaves    the same, going out
//   key_persons_together at least `min_persons` such persons pass one estate within `minutes`
//   stranger_frequent    a face not enrolled there is captured at least `min_count` times in
//                        `days` days at one estate (similarity >= `similarity`)
//   elderly_no_passage   a person tagged elderly_alone has not passed any entrance for `hours`
//   device_offline       a device (of `device_kinds`, default any) goes offline
//   door_alarm           a door reports `conditions` (forced, held_open)
//   alarm                any alarm of `types` (default every type)
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/database.h"
#include "store/record_store.h"

namespace anju::alerts {

const std::vector<std::string>& ruleKinds();
const std::vector<std::string>& alertLevels();

// When a rule is active, in the estate's local time: on these weekdays (1 = Monday), from `from`
// to `to` minutes after midnight; a window that wraps past midnight (22:00-06:00) belongs to the
// day it starts on.
struct Schedule {
  std::set<int> days{1, 2, 3, 4, 5, 6, 7};
  int from_minute = 0;
  int to_minute = 24 * 60;
  bool covers(int64_t ts_ms, int utc_offset_minutes) const;
  nlohmann::json toJson() const;
};

struct Rule {
  int64_t id = 0;
  std::string name;
  std::string kind;
  nlohmann::json params = nlohmann::json::object();
  std::string region_path = "/";
  std::optional<Schedule> schedule;
  std::string level = "normal";
  bool enabled = true;
  // The parameters, read once.
  std::vector<std::string> tags;
  int min_persons = 2;
  int minutes = 10;
  int min_count = 3;
  int days = 3;
  double similarity = 0.6;
  int hours = 24;
  std::set<std::string> device_kinds;
  std::set<std::string> conditions;
  std::set<std::string> types;

  bool active(int64_t ts_ms, int utc_offset_minutes) const {
    return enabled && (!schedule || schedule->covers(ts_ms, utc_offset_minutes));
  }
};

// Checks `kind`'s parameters and fills the rule's typed copies of them.
Status readParams(Rule& rule);
// A schedule object {days: [1..7], from: "HH:MM", to: "HH:MM"}.
Result<Schedule> parseSchedule(const nlohmann::json& value);

class RuleStore {
 public:
  RuleStore(store::Database& db, const Clock& clock, int utc_offset_minutes);
  // `body` is the API's JSON; `region_path` is the region it watches, already scope-checked.
  Result<nlohmann::json> create(const nlohmann::json& body, const std::string& region_path,
                                const std::string& by);
  Result<nlohmann::json> update(int64_t id, const nlohmann::json& body);
  Status remove(int64_t id);
  Result<nlohmann::json> get(int64_t id);
  Result<std::vector<nlohmann::json>> list(const store::Scope& scope);
  // Every enabled rule, read for matching.
  Result<std::vector<Rule>> enabled();

 private:
  store::Database& db_;
  const Clock& clock_;
  int utc_offset_minutes_;
};

// The rule from the body's fields over `base` (an update keeps what the body leaves out).
Result<Rule> ruleFromJson(const nlohmann::json& body, Rule base);

}  // namespace anju::alerts
