// A realistic demo district, generated from a seed: 秦皇岛市海港区 with its streets and
// communities, estates of every closure, age and tier, their buildings and rooms, the households
// living in them, tenants, shops, cars, devices fitted to each estate's tier, credentials, access
// groups, grids, the departments cases are handed to (职能部门) and one login per role. The same
// options always produce the same sequence of Sink calls, on every platform and standard library.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "demo/sink.h"

namespace anju::demo {

struct DemoOptions {
  uint64_t seed = 20261123;
  int estates = 12;
  // Exactly this many persons are created; rooms are sized at about one per 2.5 persons.
  int persons = 20000;
  // Not used to create anything (the server makes the admin user); when set it heads
  // DemoSummary::users_and_passwords so that a printed list of logins is complete.
  std::string admin_password;
  // Passwords of the generated users come from this seed when given, else from `seed`. A district
  // shown on a shared network should not have logins anyone can derive from the published seed.
  std::optional<uint64_t> password_seed;
  // Birth dates, moves, tenancies and inspections are drawn relative to this day, which is fixed
  // rather than read from the clock so that a seed means the same district on any day. The
  // registry refuses birth dates after its own today, so this must not lie in the future.
  std::chrono::year_month_day as_of{std::chrono::year{2026}, std::chrono::November,
                                    std::chrono::day{23}};
  // Face credentials carry 128-float embeddings; this caps their number so the registry stays
  // small.
  int max_face_credentials = 1500;
};

struct DemoSummary {
  int regions = 0, estates = 0, buildings = 0, units = 0, rooms = 0, persons = 0, residences = 0,
      rentals = 0, premises = 0, inspections = 0, vehicles = 0, devices = 0, credentials = 0,
      access_groups = 0, grids = 0, departments = 0, users = 0;
  // Username and password of every login, in the order they were created.
  std::vector<std::pair<std::string, std::string>> users_and_passwords;
};

// Writes the district through `sink`, parents before children, and returns what it made. Stops at
// the first failed Sink call and returns its Status. `progress` is called every few hundred objects
// and once at the end with done == total. Options out of range (estates < 1, persons < 1) are
// rejected with kInvalid before anything is written.
Result<DemoSummary> generateDistrict(const DemoOptions& options, Sink& sink,
                                     std::function<void(int done, int total)> progress = {});

}  // namespace anju::demo
