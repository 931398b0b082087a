// The parts of a generated district that the governance seed works with, read back from the
// store: reading rather than re-planning means the seed needs only the data folder, and acts on
// exactly the ids and logins the server will show.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/database.h"
#include "store/user_store.h"

namespace anju::demo {

struct WorldPerson {
  int64_t id = 0;
  std::string name, phone;
};

struct WorldEstate {
  int64_t id = 0;
  std::string name;
  int64_t community = 0, street = 0;  // region ids
  std::vector<int64_t> buildings;
  std::vector<std::string> building_names;
  std::vector<WorldPerson> persons;  // those with a phone, who can be called back
  std::vector<WorldPerson> elderly_alone;
};

struct WorldGrid {
  int64_t id = 0;
  std::size_t estate = 0;  // index into estates
  std::vector<int64_t> buildings;
  std::vector<std::string> building_names;
};

struct WorldDepartment {
  int64_t id = 0;
  std::string name;
  int64_t region = 0;
};

struct WorldCommunity {
  int64_t id = 0, street = 0;
};

struct GovernanceWorld {
  int64_t district = 0;
  std::vector<WorldCommunity> communities;
  std::vector<WorldEstate> estates;
  std::vector<WorldGrid> grids;
  std::vector<WorldDepartment> departments;
  std::vector<store::User> users;

  // The first user holding `role` whose region is exactly `region`; nullptr when none.
  const store::User* userAt(std::string_view role, int64_t region) const;
  const store::User* departmentUser(int64_t department) const;
  const store::User* resident() const;
  // The district department named `name`, or the street's own one named street + `suffix`.
  const WorldDepartment* districtDepartment(std::string_view name) const;
  const WorldDepartment* streetDepartment(int64_t street, std::string_view suffix) const;
  std::vector<std::size_t> estatesIn(int64_t community) const;
};

Result<GovernanceWorld> loadWorld(store::Database& db, store::UserStore& users);

}  // namespace anju::demo
