#include "demo/governance_world.h"

#include <map>

namespace anju::demo {

const store::User* GovernanceWorld::userAt(std::string_view role, int64_t region) const {
  for (const store::User& user : users) {
    if (user.hasRole(role) && user.region_id == region) return &user;
  }
  return nullptr;
}

const store::User* GovernanceWorld::departmentUser(int64_t department) const {
  for (const store::User& user : users) {
    if (user.hasRole("department") && user.department_id == department) return &user;
  }
  return nullptr;
}

const store::User* GovernanceWorld::resident() const {
  for (const store::User& user : users) {
    if (user.hasRole("resident")) return &user;
  }
  return nullptr;
}

const WorldDepartment* GovernanceWorld::districtDepartment(std::string_view name) const {
  for (const WorldDepartment& d : departments) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

const WorldDepartment* GovernanceWorld::streetDepartment(int64_t street,
                                                         std::string_view suffix) const {
  for (const WorldDepartment& d : departments) {
    if (d.region == street && d.name.ends_with(suffix)) return &d;
  }
  return nullptr;
}

std::vector<std::size_t> GovernanceWorld::estatesIn(int64_t community) const {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < estates.size(); ++i) {
    if (estates[i].community == community) found.push_back(i);
  }
  return found;
}

Result<GovernanceWorld> loadWorld(store::Database& db, store::UserStore& users) {
  GovernanceWorld w;
  Status s = db.read([&](store::Connection& c) -> Status {
    auto district = c.query("SELECT id FROM regions WHERE level = 'district' ORDER BY id LIMIT 1");
    if (!district) return district.status();
    if (district->empty()) return Status::invalid("regions", "the demo district has no district");
    w.district = store::asInt(district->rows[0][0]);
    auto communities =
        c.query("SELECT id, parent_id FROM regions WHERE level = 'community' ORDER BY id");
    if (!communities) return communities.status();
    for (const auto& row : communities->rows)
      w.communities.push_back({store::asInt(row[0]), store::asInt(row[1])});

    auto estates = c.query(
        "SELECT e.id, e.name, e.region_id, r.parent_id FROM estates e JOIN regions r ON r.id = "
        "e.region_id ORDER BY e.id");
    if (!estates) return estates.status();
    std::map<int64_t, std::size_t> estate_index;
    for (const auto& row : estates->rows) {
      estate_index[store::asInt(row[0])] = w.estates.size();
      w.estates.push_back({.id = store::asInt(row[0]),
                           .name = store::asText(row[1]),
                           .community = store::asInt(row[2]),
                           .street = store::asInt(row[3])});
    }
    auto buildings = c.query("SELECT id, estate_id, name FROM buildings ORDER BY id");
    if (!buildings) return buildings.status();
    std::map<int64_t, std::string> building_names;
    for (const auto& row : buildings->rows) {
      WorldEstate& e = w.estates[estate_index.at(store::asInt(row[1]))];
      e.buildings.push_back(store::asInt(row[0]));
      e.building_names.push_back(store::asText(row[2]));
      building_names[store::asInt(row[0])] = store::asText(row[2]);
    }
    auto persons = c.query(
        "SELECT p.id, p.name, coalesce(p.phone, ''), p.estate_id, EXISTS (SELECT 1 FROM links l "
        "WHERE l.entity = 'persons' AND l.field = 'tags' AND l.object_id = p.id AND l.value = "
        "'elderly_alone') FROM persons p WHERE p.estate_id IS NOT NULL ORDER BY p.id");
    if (!persons) return persons.status();
    for (const auto& row : persons->rows) {
      WorldEstate& e = w.estates[estate_index.at(store::asInt(row[3]))];
      WorldPerson p{store::asInt(row[0]), store::asText(row[1]), store::asText(row[2])};
      if (store::asInt(row[4]) != 0) e.elderly_alone.push_back(p);
      if (!p.phone.empty()) e.persons.push_back(std::move(p));
    }
    auto grids = c.query("SELECT id, estate_id FROM grids WHERE estate_id IS NOT NULL ORDER BY id");
    if (!grids) return grids.status();
    for (const auto& row : grids->rows) {
      w.grids.push_back(
          {.id = store::asInt(row[0]), .estate = estate_index.at(store::asInt(row[1]))});
    }
    for (WorldGrid& g : w.grids) {
      auto links = c.query(
          "SELECT CAST(value AS INTEGER) FROM links WHERE entity = 'grids' AND field = "
          "'building_ids' AND object_id = ? ORDER BY CAST(value AS INTEGER)",
          {g.id});
      if (!links) return links.status();
      for (const auto& row : links->rows) {
        g.buildings.push_back(store::asInt(row[0]));
        g.building_names.push_back(building_names[store::asInt(row[0])]);
      }
    }
    auto departments = c.query("SELECT id, name, region_id FROM departments ORDER BY id");
    if (!departments) return departments.status();
    for (const auto& row : departments->rows) {
      w.departments.push_back({store::asInt(row[0]), store::asText(row[1]), store::asInt(row[2])});
    }
    return {};
  });
  if (!s) return s;
  auto listed = users.list("/");
  if (!listed) return listed.status();
  w.users = std::move(*listed);
  return w;
}

}  // namespace anju::demo
