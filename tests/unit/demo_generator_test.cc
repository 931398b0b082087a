#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "demo/generator.h"
#include "demo/sink.h"
#include "domain/entity.h"
#include "domain/id_number.h"
#include "domain/phone.h"
#include "domain/plate.h"

namespace anju::demo {
namespace {

using nlohmann::json;

struct Call {
  std::string entity;
  json fields;
  json id;
};

struct UserCall {
  std::string username, password;
  std::vector<std::string> roles;
  int64_t region_id = 0;
  std::string display_name;
  std::optional<int64_t> department_id, person_id;
};

// Records what the generator writes and numbers objects per entity from 1, as a database would.
class RecordingSink final : public Sink {
 public:
  // The call with this index (counting creates and users together) fails; -1 never.
  explicit RecordingSink(int fail_at = -1) : fail_at_(fail_at) {}

  Result<json> create(const std::string& entity, const json& fields) override {
    if (attempts_++ == fail_at_) return Status(Code::kConflict, "duplicate in " + entity);
    json id = entity == "devices" ? fields.at("id") : json(++next_id_[entity]);
    calls.push_back({entity, fields, id});
    return id;
  }

  Status createUser(const store::NewUser& user) override {
    if (attempts_++ == fail_at_) return Status(Code::kUnavailable, "store is read-only");
    users.push_back({user.username, user.password, user.roles, user.region_id.value_or(0),
                     user.display_name, user.department_id, user.person_id});
    return {};
  }

  std::vector<const Call*> of(const std::string& entity) const {
    std::vector<const Call*> found;
    for (const Call& call : calls) {
      if (call.entity == entity) found.push_back(&call);
    }
    return found;
  }

  std::vector<Call> calls;
  std::vector<UserCall> users;

 private:
  int fail_at_;
  int attempts_ = 0;
  std::map<std::string, int64_t> next_id_;
};

DemoOptions smallDistrict(uint64_t seed = 7) {
  DemoOptions options;
  options.seed = seed;
  options.estates = 6;
  options.persons = 3000;
  return options;
}

// Generating 20,000 persons takes a fraction of a second, so the suites share one district of the
// default size and check the rest on smaller ones.
struct Generated {
  RecordingSink sink;
  DemoSummary summary;
};

const Generated& defaultDistrict() {
  static const Generated generated = [] {
    Generated g;
    auto summary = generateDistrict(DemoOptions{}, g.sink);
    EXPECT_TRUE(summary.isOk()) << summary.status().message();
    if (summary) g.summary = *summary;
    return g;
  }();
  return generated;
}

std::size_t codePoints(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string dump(const RecordingSink& sink) {
  std::string out;
  for (const Call& call : sink.calls) out += call.entity + call.fields.dump() + "\n";
  for (const UserCall& user : sink.users) {
    out += user.username + " " + user.password + " " + std::to_string(user.region_id) + "\n";
  }
  return out;
}

TEST(DemoGenerator, SameSeedGivesTheSameSequenceOfCalls) {
  RecordingSink first, second;
  ASSERT_TRUE(generateDistrict(smallDistrict(), first).isOk());
  ASSERT_TRUE(generateDistrict(smallDistrict(), second).isOk());
  EXPECT_EQ(first.calls.size(), second.calls.size());
  EXPECT_TRUE(dump(first) == dump(second));
}

TEST(DemoGenerator, DifferentSeedsGiveDifferentDistricts) {
  RecordingSink first, second;
  ASSERT_TRUE(generateDistrict(smallDistrict(1), first).isOk());
  ASSERT_TRUE(generateDistrict(smallDistrict(2), second).isOk());
  EXPECT_FALSE(dump(first) == dump(second));
  EXPECT_NE(first.of("persons")[0]->fields["name"].get<std::string>() +
                first.of("persons")[0]->fields["id_number"].get<std::string>(),
            second.of("persons")[0]->fields["name"].get<std::string>() +
                second.of("persons")[0]->fields["id_number"].get<std::string>());
}

TEST(DemoGenerator, CreatesExactlyTheRequestedPersonsAndAboutOneRoomPerTwoAndAHalf) {
  const Generated& g = defaultDistrict();
  const DemoOptions defaults;
  EXPECT_EQ(g.sink.of("persons").size(), static_cast<std::size_t>(defaults.persons));
  EXPECT_EQ(g.summary.persons, defaults.persons);
  EXPECT_EQ(g.sink.of("estates").size(), static_cast<std::size_t>(defaults.estates));
  const double rooms = static_cast<double>(g.sink.of("rooms").size());
  EXPECT_NEAR(rooms, defaults.persons / 2.5, defaults.persons / 2.5 * 0.05);
  const double rentals = static_cast<double>(g.sink.of("rentals").size());
  EXPECT_GT(rentals, rooms * 0.05);
  EXPECT_LT(rentals, rooms * 0.11);
  // About 0.35 cars per household, counted as owner-occupied rooms.
  const double households = static_cast<double>(std::count_if(
      g.sink.calls.begin(), g.sink.calls.end(),
      [](const Call& c) { return c.entity == "residences" && c.fields["relation"] == "owner"; }));
  EXPECT_NEAR(g.sink.of("vehicles").size() / households, 0.35, 0.08);
}

TEST(DemoGenerator, SummaryCountsMatchTheCallsMade) {
  const Generated& g = defaultDistrict();
  const DemoSummary& s = g.summary;
  const std::vector<std::pair<std::string, int>> expected = {{"regions", s.regions},
                                                             {"estates", s.estates},
                                                             {"buildings", s.buildings},
                                                             {"units", s.units},
                                                             {"rooms", s.rooms},
                                                             {"persons", s.persons},
                                                             {"residences", s.residences},
                                                             {"rentals", s.rentals},
                                                             {"premises", s.premises},
                                                             {"inspections", s.inspections},
                                                             {"vehicles", s.vehicles},
                                                             {"devices", s.devices},
                                                             {"credentials", s.credentials},
                                                             {"access_groups", s.access_groups},
                                                             {"grids", s.grids},
                                                             {"departments", s.departments}};
  std::size_t total = 0;
  for (const auto& [entity, count] : expected) {
    EXPECT_EQ(g.sink.of(entity).size(), static_cast<std::size_t>(count)) << entity;
    EXPECT_GT(count, 0) << entity;
    total += static_cast<std::size_t>(count);
  }
  EXPECT_EQ(total, g.sink.calls.size());
  EXPECT_EQ(static_cast<std::size_t>(s.users), g.sink.users.size());
}

TEST(DemoGenerator, EveryIdNumberIsValidUniqueAndAgreesWithTheGender) {
  const Generated& g = defaultDistrict();
  const DemoOptions defaults;
  std::set<std::string> seen;
  int local = 0;
  for (const Call* person : g.sink.of("persons")) {
    const std::string id = person->fields.at("id_number");
    ASSERT_EQ(id.size(), 18u) << id;
    EXPECT_EQ(domain::idNumberCheckChar(id.substr(0, 17)), id[17]) << id;
    auto parsed = domain::parseIdNumber(id, defaults.as_of);
    ASSERT_TRUE(parsed.isOk()) << id << ": " << parsed.status().message();
    EXPECT_EQ(parsed->male ? "male" : "female", person->fields.at("gender").get<std::string>());
    EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
    local += id.starts_with("1303");
  }
  // Most residents were born in Qinhuangdao; the floating population comes from elsewhere.
  EXPECT_GT(local, static_cast<int>(seen.size()) * 6 / 10);
  EXPECT_LT(local, static_cast<int>(seen.size()) * 95 / 100);
}

TEST(DemoGenerator, AgesSpanChildrenAdultsAndTheElderly) {
  const Generated& g = defaultDistrict();
  int children = 0, elderly = 0, total = 0;
  for (const Call* person : g.sink.of("persons")) {
    const std::string id = person->fields.at("id_number");
    const int age = 2026 - std::stoi(id.substr(6, 4));
    children += age < 18;
    elderly += age >= 60;
    ++total;
    // Children under fourteen have no mobile of their own.
    if (age < 13) {
      EXPECT_FALSE(person->fields.contains("phone")) << id;
    }
  }
  EXPECT_NEAR(children / static_cast<double>(total), 0.16, 0.06);
  EXPECT_NEAR(elderly / static_cast<double>(total), 0.22, 0.07);
}

TEST(DemoGenerator, NobodyMovesInBeforeBirthAndOwnersMoveInAsAdults) {
  const Generated& g = defaultDistrict();
  std::map<int64_t, std::string> birth;  // YYYYMMDD from the ID number
  for (const Call* person : g.sink.of("persons")) {
    birth[person->id] = person->fields["id_number"].get<std::string>().substr(6, 8);
  }
  for (const Call* residence : g.sink.of("residences")) {
    std::string moved_in = residence->fields["moved_in"];
    EXPECT_LE(moved_in, "2026-11-23");
    moved_in.erase(7, 1).erase(4, 1);
    const std::string& born = birth[residence->fields["person_id"]];
    EXPECT_GE(moved_in, born) << residence->fields.dump();
    if (residence->fields["relation"] == "owner") {
      EXPECT_GE(std::stoi(moved_in.substr(0, 4)) - std::stoi(born.substr(0, 4)), 18)
          << residence->fields.dump();
    }
  }
}

TEST(DemoGenerator, PhonesAreUniqueMainlandMobiles) {
  const Generated& g = defaultDistrict();
  std::set<std::string> seen;
  auto check = [&](const json& fields, const char* key) {
    if (!fields.contains(key)) return;
    const std::string phone = fields.at(key);
    auto normalized = domain::normalizePhone(phone);
    ASSERT_TRUE(normalized.isOk()) << phone;
    EXPECT_EQ(*normalized, phone);
    EXPECT_EQ(phone.size(), 11u);
    EXPECT_TRUE(seen.insert(phone).second) << "duplicate " << phone;
  };
  for (const Call* person : g.sink.of("persons")) check(person->fields, "phone");
  for (const Call* premises : g.sink.of("premises")) check(premises->fields, "contact_phone");
  EXPECT_GT(seen.size(), 15000u);
}

TEST(DemoGenerator, EveryPlateIsUniqueAndSevenOrEightCharactersLong) {
  const Generated& g = defaultDistrict();
  std::set<std::string> seen;
  for (const Call* vehicle : g.sink.of("vehicles")) {
    const std::string plate = vehicle->fields.at("plate");
    const std::size_t length = codePoints(plate);
    EXPECT_TRUE(length == 7 || length == 8) << plate;
    auto parsed = domain::parsePlate(plate);
    ASSERT_TRUE(parsed.isOk()) << plate << ": " << parsed.status().message();
    EXPECT_EQ(parsed->normalized, plate);
    EXPECT_EQ(parsed->default_color, vehicle->fields.at("plate_color").get<std::string>()) << plate;
    EXPECT_TRUE(seen.insert(plate).second) << "duplicate " << plate;
    if (vehicle->fields.at("kind") == "resident") {
      EXPECT_TRUE(plate.starts_with("冀C")) << plate;
    }
  }
}

// Each entity's reference fields and the entity they point to.
const std::map<std::string, std::string> kRefs = {
    {"parent_id", "regions"},     {"region_id", "regions"},   {"estate_id", "estates"},
    {"building_id", "buildings"}, {"unit_id", "units"},       {"room_id", "rooms"},
    {"person_id", "persons"},     {"landlord_id", "persons"}, {"rental_id", "rentals"},
    {"premises_id", "premises"},  {"device_ids", "devices"},  {"person_ids", "persons"},
    {"building_ids", "buildings"}};

void expectReferencesPointBackwards(const RecordingSink& sink) {
  std::map<std::string, std::set<std::string>> created;
  std::map<std::string, json> by_id;
  for (const Call& call : sink.calls) {
    for (const auto& [field, target] : kRefs) {
      if (!call.fields.contains(field)) continue;
      const json& value = call.fields.at(field);
      for (const json& ref : value.is_array() ? value : json::array({value})) {
        EXPECT_TRUE(created[target].contains(ref.dump()))
            << call.entity << "." << field << " = " << ref << " was not created before";
      }
    }
    // A room's unit belongs to the room's own building.
    if (call.entity == "rooms" && call.fields.contains("unit_id")) {
      const json& unit = by_id["units" + call.fields["unit_id"].dump()];
      EXPECT_EQ(unit["building_id"], call.fields["building_id"]);
    }
    created[call.entity].insert(call.id.dump());
    by_id[call.entity + call.id.dump()] = call.fields;
  }
  for (const UserCall& user : sink.users) {
    EXPECT_TRUE(created["regions"].contains(json(user.region_id).dump())) << user.username;
  }
}

TEST(DemoGenerator, EveryReferenceNamesAnObjectCreatedEarlier) {
  expectReferencesPointBackwards(defaultDistrict().sink);
}

TEST(DemoGenerator, EveryRecordPassesTheRegistrysValidation) {
  const Generated& g = defaultDistrict();
  for (const Call& call : g.sink.calls) {
    const domain::EntitySpec* spec = domain::findEntity(call.entity);
    ASSERT_NE(spec, nullptr) << call.entity;
    auto record = domain::validateFields(*spec, call.fields, true, 480);
    ASSERT_TRUE(record.isOk()) << call.entity << " " << call.fields.dump() << ": "
                               << record.status().field() << " " << record.status().message();
    if (spec->complete) {
      Status completed = spec->complete(*record, true);
      ASSERT_TRUE(completed.isOk())
          << call.entity << " " << call.fields.dump() << ": " << completed.message();
    }
  }
}

TEST(DemoGenerator, DevicesFollowEachEstatesTier) {
  const Generated& g = defaultDistrict();
  std::map<int64_t, std::string> tier_of;
  for (const Call* estate : g.sink.of("estates")) tier_of[estate->id] = estate->fields["tier"];
  std::map<std::string, std::set<std::string>> kinds_by_tier;
  std::map<int64_t, std::set<std::string>> kinds_by_estate;
  std::set<std::string> ids;
  for (const Call* device : g.sink.of("devices")) {
    const int64_t estate = device->fields["estate_id"];
    kinds_by_tier[tier_of[estate]].insert(device->fields["kind"]);
    kinds_by_estate[estate].insert(device->fields["kind"]);
    EXPECT_TRUE(ids.insert(device->fields["id"]).second) << device->fields["id"];
  }
  for (const auto& [estate, kinds] : kinds_by_estate) {
    EXPECT_TRUE(kinds.contains("door")) << estate;
    EXPECT_TRUE(kinds.contains("camera")) << estate;
    EXPECT_TRUE(kinds.contains("sos_button")) << estate;
  }
  EXPECT_EQ(kinds_by_estate.size(), tier_of.size());
  EXPECT_FALSE(kinds_by_tier["standard"].contains("face_camera"));
  EXPECT_FALSE(kinds_by_tier["standard"].contains("throwing_camera"));
  EXPECT_TRUE(kinds_by_tier["enhanced"].contains("face_camera"));
  EXPECT_TRUE(kinds_by_tier["enhanced"].contains("fence"));
  EXPECT_FALSE(kinds_by_tier["enhanced"].contains("display"));
  EXPECT_TRUE(kinds_by_tier["demonstration"].contains("throwing_camera"));
  EXPECT_TRUE(kinds_by_tier["demonstration"].contains("display"));
}

TEST(DemoGenerator, AccessGroupsOpenOnlyTheirEstatesDoorsAndBarriers) {
  const Generated& g = defaultDistrict();
  std::map<std::string, json> devices;
  for (const Call* device : g.sink.of("devices")) devices[device->fields["id"]] = device->fields;
  std::map<int64_t, int64_t> estate_of_person;
  for (const Call* person : g.sink.of("persons")) {
    estate_of_person[person->id] = person->fields["estate_id"];
  }
  for (const Call* group : g.sink.of("access_groups")) {
    const json& estate = group->fields["estate_id"];
    EXPECT_FALSE(group->fields["device_ids"].empty());
    for (const json& id : group->fields["device_ids"]) {
      const json& device = devices[id];
      EXPECT_EQ(device["estate_id"], estate);
      EXPECT_TRUE(device["kind"] == "door" || device["kind"] == "barrier") << id;
    }
    for (const json& person : group->fields["person_ids"]) {
      EXPECT_EQ(estate_of_person[person], estate.get<int64_t>());
    }
  }
}

TEST(DemoGenerator, FaceEmbeddingsAreUnitLengthAndCapped) {
  DemoOptions options = smallDistrict();
  options.max_face_credentials = 40;
  RecordingSink sink;
  ASSERT_TRUE(generateDistrict(options, sink).isOk());
  int faces = 0;
  for (const Call* credential : sink.of("credentials")) {
    if (credential->fields["type"] == "card") {
      EXPECT_EQ(credential->fields["value"].get<std::string>().size(), 10u);
      continue;
    }
    ++faces;
    const json& embedding = credential->fields["embedding"];
    ASSERT_EQ(embedding.size(), 128u);
    double norm = 0;
    for (const json& x : embedding) norm += x.get<double>() * x.get<double>();
    EXPECT_NEAR(std::sqrt(norm), 1.0, 1e-3);
  }
  EXPECT_EQ(faces, 40);
}

TEST(DemoGenerator, KeyPersonsAndElderlyLivingAloneAreRare) {
  const Generated& g = defaultDistrict();
  int key = 0, alone = 0;
  for (const Call* person : g.sink.of("persons")) {
    for (const json& tag : person->fields.value("tags", json::array())) {
      key += tag.get<std::string>().starts_with("key_person");
      alone += tag == "elderly_alone";
    }
  }
  const double total = static_cast<double>(g.summary.persons);
  EXPECT_NEAR(key / total, 0.005, 0.003);
  EXPECT_NEAR(alone / total, 0.02, 0.01);
}

TEST(DemoGenerator, CreatesAUserForEveryRoleButLeavesAdminToTheServer) {
  const Generated& g = defaultDistrict();
  std::set<std::string> roles, usernames, passwords;
  for (const UserCall& user : g.sink.users) {
    roles.insert(user.roles.begin(), user.roles.end());
    EXPECT_TRUE(usernames.insert(user.username).second) << user.username;
    passwords.insert(user.password);
    EXPECT_GE(user.password.size(), 12u);
    EXPECT_FALSE(user.display_name.empty());
  }
  EXPECT_EQ(roles, (std::set<std::string>{"police", "security", "grid_worker", "mediator",
                                          "department", "resident", "admin"}));
  EXPECT_FALSE(usernames.contains("admin"));
  EXPECT_TRUE(usernames.contains("police_haigang"));
  EXPECT_TRUE(usernames.contains("resident_demo"));
  EXPECT_TRUE(usernames.contains("security_e01"));
  EXPECT_EQ(passwords.size(), usernames.size());

  std::vector<std::pair<std::string, std::string>> created;
  for (const UserCall& user : g.sink.users) created.emplace_back(user.username, user.password);
  EXPECT_EQ(g.summary.users_and_passwords, created);
}

TEST(DemoGenerator, GivesDepartmentUsersTheirDepartmentAndTheResidentTheirPersonRecord) {
  const Generated& g = defaultDistrict();
  const auto departments = g.sink.of("departments");
  EXPECT_EQ(static_cast<std::size_t>(g.summary.departments), departments.size());
  std::set<int64_t> department_ids;
  for (const Call* d : departments) {
    department_ids.insert(d->id.get<int64_t>());
    EXPECT_TRUE(d->fields.contains("region_id")) << d->fields.dump();
  }
  int department_users = 0;
  for (const UserCall& user : g.sink.users) {
    if (user.roles == std::vector<std::string>{"department"}) {
      ++department_users;
      ASSERT_TRUE(user.department_id) << user.username;
      EXPECT_TRUE(department_ids.contains(*user.department_id)) << user.username;
    } else {
      EXPECT_FALSE(user.department_id) << user.username;
    }
    EXPECT_EQ(user.person_id.has_value(), user.username == "resident_demo") << user.username;
  }
  EXPECT_EQ(department_users, 2);
}

TEST(DemoGenerator, ListsTheAdminPasswordFirstWhenGiven) {
  DemoOptions options = smallDistrict();
  options.admin_password = "correct horse";
  RecordingSink sink;
  auto summary = generateDistrict(options, sink);
  ASSERT_TRUE(summary.isOk());
  ASSERT_FALSE(summary->users_and_passwords.empty());
  EXPECT_EQ(summary->users_and_passwords.front(),
            (std::pair<std::string, std::string>{"admin", "correct horse"}));
  EXPECT_EQ(summary->users_and_passwords.size(), sink.users.size() + 1);
}

TEST(DemoGenerator, PasswordSeedChangesOnlyThePasswords) {
  DemoOptions options = smallDistrict();
  RecordingSink plain, reseeded;
  ASSERT_TRUE(generateDistrict(options, plain).isOk());
  options.password_seed = 99;
  ASSERT_TRUE(generateDistrict(options, reseeded).isOk());
  ASSERT_EQ(plain.calls.size(), reseeded.calls.size());
  for (std::size_t i = 0; i < plain.calls.size(); ++i) {
    ASSERT_EQ(plain.calls[i].fields, reseeded.calls[i].fields) << i;
  }
  ASSERT_EQ(plain.users.size(), reseeded.users.size());
  for (std::size_t i = 0; i < plain.users.size(); ++i) {
    EXPECT_EQ(plain.users[i].username, reseeded.users[i].username);
    EXPECT_NE(plain.users[i].password, reseeded.users[i].password);
  }
}

TEST(DemoGenerator, StopsAtTheFirstFailedSinkCallAndReturnsItsStatus) {
  RecordingSink sink(/*fail_at=*/500);
  auto summary = generateDistrict(smallDistrict(), sink);
  ASSERT_FALSE(summary.isOk());
  EXPECT_EQ(summary.status().code(), Code::kConflict);
  EXPECT_EQ(sink.calls.size(), 500u);
  EXPECT_TRUE(sink.users.empty());

  RecordingSink full;
  ASSERT_TRUE(generateDistrict(smallDistrict(), full).isOk());
  const int user_call = static_cast<int>(full.calls.size()) + 1;
  RecordingSink failing_user(user_call);
  summary = generateDistrict(smallDistrict(), failing_user);
  ASSERT_FALSE(summary.isOk());
  EXPECT_EQ(summary.status().code(), Code::kUnavailable);
  EXPECT_EQ(failing_user.users.size(), 1u);
}

TEST(DemoGenerator, ReportsProgressThatRisesToTheTotal) {
  RecordingSink sink;
  std::vector<std::pair<int, int>> reports;
  ASSERT_TRUE(generateDistrict(smallDistrict(), sink, [&](int done, int total) {
                reports.emplace_back(done, total);
              }).isOk());
  ASSERT_GT(reports.size(), 5u);
  const int total = static_cast<int>(sink.calls.size() + sink.users.size());
  for (std::size_t i = 0; i < reports.size(); ++i) {
    EXPECT_EQ(reports[i].second, total);
    if (i > 0) {
      EXPECT_GT(reports[i].first, reports[i - 1].first);
    }
  }
  EXPECT_EQ(reports.back().first, total);
}

TEST(DemoGenerator, TinyAndLopsidedDistrictsAreStillConsistent) {
  const std::vector<std::pair<int, int>> shapes = {{1, 1}, {1, 7}, {5, 12}, {30, 200}, {3, 5000}};
  for (const auto& [estates, persons] : shapes) {
    DemoOptions options;
    options.estates = estates;
    options.persons = persons;
    RecordingSink sink;
    auto summary = generateDistrict(options, sink);
    ASSERT_TRUE(summary.isOk()) << estates << "/" << persons;
    EXPECT_EQ(sink.of("persons").size(), static_cast<std::size_t>(persons));
    EXPECT_EQ(sink.of("estates").size(), static_cast<std::size_t>(estates));
    EXPECT_EQ(sink.of("access_groups").size(), static_cast<std::size_t>(estates));
    expectReferencesPointBackwards(sink);
  }
}

TEST(DemoGenerator, RejectsSizesOutOfRangeBeforeWritingAnything) {
  RecordingSink sink;
  DemoOptions options;
  options.estates = 0;
  auto summary = generateDistrict(options, sink);
  ASSERT_FALSE(summary.isOk());
  EXPECT_EQ(summary.status().field(), "estates");
  options = DemoOptions{};
  options.persons = -3;
  summary = generateDistrict(options, sink);
  ASSERT_FALSE(summary.isOk());
  EXPECT_EQ(summary.status().field(), "persons");
  EXPECT_TRUE(sink.calls.empty());
}

}  // namespace
}  // namespace anju::demo
