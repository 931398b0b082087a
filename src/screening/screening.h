// Screening (排查, SPEC §4): saved questions over the registry and device events that an officer
// asks again and again with different numbers — residents who went out and have not come back,
// vehicles and persons from a list of regions, persons with a tag seen in a window. A screening is
// data: a kind, its parameters (checked here, per kind) and the region it looks at. No HTTP and
// no storage here.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/roles.h"

namespace anju::screening {

enum class Kind { kOutNotReturned, kFromRegions, kTagSeen };

std::string_view kindName(Kind kind);
std::optional<Kind> parseKind(std::string_view name);

inline constexpr int kMaxHours = 720;         // out_not_returned: 30 days away
inline constexpr int kMaxLookbackDays = 90;   // how far back a last passage is looked for
inline constexpr int kMaxWindowHours = 2160;  // 90 days of events
inline constexpr std::size_t kMaxListEntries = 100;

struct Params {
  int hours = 0;          // out_not_returned: away at least this long
  int lookback_days = 7;  // out_not_returned: how far back the last passage may lie
  int window_hours = 24;  // from_regions, tag_seen: the default window of a run
  // out_not_returned: only residents with one of these (optional); tag_seen: the tags looked for.
  // A family tag such as "key_person" also covers its kinds ("key_person:drug").
  std::vector<std::string> tags;
  std::vector<std::string> plate_prefixes;  // from_regions: "鄂" or "鄂A", normalised
  std::vector<std::string> region_codes;    // from_regions: 2, 4 or 6 digits of an ID number
};

// Checks `params` (a JSON object) for `kind`: unknown members, wrong types, numbers out of range,
// malformed plate prefixes, region codes and unknown tags are refused naming the field, such as
// "params.hours" or "params.plate_prefixes[1]".
Result<Params> parseParams(Kind kind, const nlohmann::json& params);
// The parameters as the API shows them, defaults filled in.
nlohmann::json paramsJson(Kind kind, const Params& params);

// How far back a run looks when the caller gives no window.
int64_t defaultWindowMs(Kind kind, const Params& params);

// Police and administrators may use every kind; a grid worker only asks who has not come back,
// the question of their own door-to-door work (SPEC §6).
bool mayUse(const domain::RoleSet& roles, Kind kind);

// A saved screening.
struct Definition {
  int64_t id = 0;
  std::string name;
  Kind kind = Kind::kOutNotReturned;
  Params params;
  std::optional<int64_t> region_id;  // nullopt: the whole of its region path ("/" for everywhere)
  std::string region_path = "/";
  std::string created_by;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// One subject found by a run: a person or a vehicle at one estate.
struct Finding {
  std::optional<int64_t> person_id;
  std::string plate;  // vehicles: the normalised plate
  int64_t estate_id = 0;
  int64_t first_seen = 0;  // ms since the epoch; out_not_returned: the last passage out
  int64_t last_seen = 0;
  int64_t passages = 0;  // events of the subject at the estate in the window
  int64_t away_ms = 0;   // out_not_returned: from the last passage out to the end of the window
};

}  // namespace anju::screening
