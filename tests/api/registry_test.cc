// The registry through the API: creating, finding, changing and removing what offices record.
#include <gtest/gtest.h>

#include "anju_server.h"

namespace anju::testing {
namespace {

using nlohmann::json;

class RegistryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AnjuServer();
    token_ = server_->adminToken();
    auto city = post("/api/v1/regions", {{"name", "秦皇岛市"}, {"level", "city"}});
    auto district = post("/api/v1/regions",
                         {{"name", "海港区"}, {"level", "district"}, {"parent_id", city["id"]}});
    region_ = district["id"];
    estate_ = post("/api/v1/estates", {{"name", "金色家园"},
                                       {"region_id", region_},
                                       {"closure", "closed"},
                                       {"tier", "enhanced"}})["id"];
    building_ = post("/api/v1/buildings",
                     {{"estate_id", estate_}, {"name", "3号楼"}, {"floors", 18}})["id"];
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static json post(const std::string& path, const json& body) {
    auto r = server_->call("POST", path, token_, body);
    EXPECT_EQ(r.status, 201) << path << ": " << r.raw;
    return r.body;
  }
  static AnjuServer* server_;
  static std::string token_;
  static json region_, estate_, building_;
};
AnjuServer* RegistryTest::server_ = nullptr;
std::string RegistryTest::token_;
json RegistryTest::region_, RegistryTest::estate_, RegistryTest::building_;

TEST_F(RegistryTest, CreatesAPersonAndDerivesGenderAndBirthDateFromTheIdNumber) {
  auto person = post("/api/v1/persons", {{"name", "李秀英"},
                                         {"id_number", "11010519491231002x"},
                                         {"phone", "+86 138 0013 8000"},
                                         {"category", "registered"},
                                         {"estate_id", estate_},
                                         {"tags", {"elderly_alone"}}});
  EXPECT_EQ(person["id_number"], "11010519491231002X");
  EXPECT_EQ(person["phone"], "13800138000");
  EXPECT_EQ(person["gender"], "female");
  EXPECT_EQ(person["birth_date"], "1949-12-31");
  EXPECT_EQ(person["tags"], json::array({"elderly_alone"}));
  auto read = server_->call("GET", "/api/v1/persons/" + person["id"].dump(), token_);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body["name"], "李秀英");
}

TEST_F(RegistryTest, RefusesAnIdNumberWithAWrongCheckDigit) {
  auto r = server_->call(
      "POST", "/api/v1/persons", token_,
      json{{"name", "王五"}, {"id_number", "110105194912310021"}, {"category", "registered"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["field"], "id_number");
}

TEST_F(RegistryTest, ADuplicateIdNumberIsAConflictNamingTheField) {
  json body = {{"name", "赵六"}, {"id_number", "110101199003074477"}, {"category", "tenant"}};
  EXPECT_EQ(server_->call("POST", "/api/v1/persons", token_, body).status, 201);
  auto again = server_->call("POST", "/api/v1/persons", token_, body);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["error"]["field"], "id_number");
}

TEST_F(RegistryTest, NormalisesPlatesIncludingNewEnergyPlates) {
  auto blue = post("/api/v1/vehicles", {{"plate", "冀c·12345"}, {"estate_id", estate_}});
  EXPECT_EQ(blue["plate"], "冀C12345");
  EXPECT_EQ(blue["plate_color"], "blue");
  auto green = post("/api/v1/vehicles", {{"plate", "冀C D12345"}, {"estate_id", estate_}});
  EXPECT_EQ(green["plate"], "冀CD12345");
  EXPECT_EQ(green["plate_color"], "green");
  auto bad = server_->call("POST", "/api/v1/vehicles", token_, json{{"plate", "冀CI2345"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["field"], "plate");
  auto found = server_->call("GET", "/api/v1/vehicles?plate=%E5%86%80CD12345", token_);
  ASSERT_EQ(found.status, 200);
  ASSERT_EQ(found.body["items"].size(), 1u);
  EXPECT_EQ(found.body["items"][0]["id"], green["id"]);
}

TEST_F(RegistryTest, ADeviceSecretIsShownOnceAtCreation) {
  auto device = post(
      "/api/v1/devices",
      {{"id", "jsjy-door-01"}, {"name", "南门门禁"}, {"kind", "door"}, {"estate_id", estate_}});
  EXPECT_EQ(device["id"], "jsjy-door-01");
  EXPECT_EQ(device["secret"].get<std::string>().size(), 32u);
  auto read = server_->call("GET", "/api/v1/devices/jsjy-door-01", token_);
  ASSERT_EQ(read.status, 200);
  EXPECT_FALSE(read.body.contains("secret"));
  auto list =
      server_->call("GET", "/api/v1/devices?estate_id=" + estate_.dump() + "&kind=door", token_);
  EXPECT_EQ(list.raw.find(device["secret"].get<std::string>()), std::string::npos);
  EXPECT_EQ(list.body["items"].size(), 1u);
}

TEST_F(RegistryTest, RoomsGetAStandardAddressCodeAndFilterByBuilding) {
  auto unit = post("/api/v1/units", {{"building_id", building_}, {"name", "1单元"}});
  auto room = post(
      "/api/v1/rooms",
      {{"building_id", building_}, {"unit_id", unit["id"]}, {"number", "1203"}, {"floor", 12}});
  EXPECT_FALSE(room["address_code"].get<std::string>().empty());
  auto rooms = server_->call("GET", "/api/v1/rooms?building_id=" + building_.dump(), token_);
  ASSERT_EQ(rooms.status, 200);
  bool found = false;
  for (const auto& r : rooms.body["items"]) found = found || r["id"] == room["id"];
  EXPECT_TRUE(found);
}

TEST_F(RegistryTest, FindsResidentsOfABuildingThroughTheirResidence) {
  auto room = post("/api/v1/rooms", {{"building_id", building_}, {"number", "0801"}});
  auto person =
      post("/api/v1/persons", {{"name", "孙丽"}, {"category", "tenant"}, {"estate_id", estate_}});
  post("/api/v1/residences", {{"person_id", person["id"]},
                              {"room_id", room["id"]},
                              {"relation", "tenant"},
                              {"moved_in", "2025-03-01"}});
  auto r = server_->call(
      "GET", "/api/v1/persons?building_id=" + building_.dump() + "&category=tenant", token_);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.body["items"].size(), 1u);
  EXPECT_EQ(r.body["items"][0]["name"], "孙丽");
}

TEST_F(RegistryTest, PagesWalkEveryItemOnceWithTheCursor) {
  for (int i = 0; i < 7; ++i)
    post("/api/v1/premises", {{"name", "小档口" + std::to_string(i)},
                              {"kind", "shop"},
                              {"three_smalls", "small_stall"},
                              {"estate_id", estate_}});
  std::vector<int64_t> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto r = server_->call("GET",
                           "/api/v1/premises?three_smalls=small_stall&limit=3" +
                               (cursor.empty() ? "" : "&cursor=" + cursor),
                           token_);
    ASSERT_EQ(r.status, 200) << r.raw;
    for (const auto& item : r.body["items"]) seen.push_back(item["id"]);
    if (r.body["next"].is_null()) break;
    cursor = r.body["next"];
  }
  ASSERT_EQ(seen.size(), 7u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST_F(RegistryTest, UpdatesAndDeletes) {
  auto person = post("/api/v1/persons", {{"name", "周强"}, {"category", "floating"}});
  auto changed = server_->call("PATCH", "/api/v1/persons/" + person["id"].dump(), token_,
                               json{{"category", "registered"}, {"tags", {"veteran"}}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body["category"], "registered");
  EXPECT_EQ(changed.body["tags"], json::array({"veteran"}));
  EXPECT_EQ(changed.body["name"], "周强");
  auto cleared = server_->call("PATCH", "/api/v1/persons/" + person["id"].dump(), token_,
                               json{{"name", nullptr}});
  EXPECT_EQ(cleared.status, 400);
  EXPECT_EQ(cleared.body["error"]["field"], "name");
  EXPECT_EQ(server_->call("DELETE", "/api/v1/persons/" + person["id"].dump(), token_).status, 200);
  EXPECT_EQ(server_->call("GET", "/api/v1/persons/" + person["id"].dump(), token_).status, 404);
}

TEST_F(RegistryTest, AnEstateWithBuildingsCannotBeDeleted) {
  auto r = server_->call("DELETE", "/api/v1/estates/" + estate_.dump(), token_);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(server_->call("GET", "/api/v1/estates/" + estate_.dump(), token_).status, 200);
}

TEST_F(RegistryTest, InspectionsNeedExactlyOneTarget) {
  auto r = server_->call("POST", "/api/v1/inspections", token_,
                         json{{"inspected_on", "2026-11-01"}, {"result", "pass"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["field"], "rental_id");
}

TEST_F(RegistryTest, AccessGroupsHoldDevicesAndPersons) {
  post("/api/v1/devices",
       {{"id", "jsjy-door-02"}, {"name", "北门门禁"}, {"kind", "door"}, {"estate_id", estate_}});
  auto person = post("/api/v1/persons",
                     {{"name", "吴敏"}, {"category", "registered"}, {"estate_id", estate_}});
  auto group = post("/api/v1/access_groups", {{"name", "全体住户"},
                                              {"estate_id", estate_},
                                              {"device_ids", {"jsjy-door-02"}},
                                              {"person_ids", {person["id"]}}});
  EXPECT_EQ(group["device_ids"], json::array({"jsjy-door-02"}));
  EXPECT_EQ(group["person_ids"], json::array({person["id"]}));
  auto bad =
      server_->call("POST", "/api/v1/access_groups", token_,
                    json{{"name", "x"}, {"estate_id", estate_}, {"device_ids", {"no-such-door"}}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["field"], "device_ids");
  auto by_device = server_->call("GET", "/api/v1/access_groups?device_id=jsjy-door-02", token_);
  EXPECT_EQ(by_device.body["items"].size(), 1u);
}

}  // namespace
}  // namespace anju::testing
