// Region scope: a user of one district never sees or touches another district's registry.
#include <gtest/gtest.h>

#include "anju_server.h"

namespace anju::testing {
namespace {

using nlohmann::json;

class ScopeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AnjuServer();
    admin_ = server_->adminToken();
    auto city = post(admin_, "/api/v1/regions", {{"name", "秦皇岛市"}, {"level", "city"}});
    haigang_ = post(admin_, "/api/v1/regions",
                    {{"name", "海港区"}, {"level", "district"}, {"parent_id", city["id"]}})["id"];
    shanhaiguan_ =
        post(admin_, "/api/v1/regions",
             {{"name", "山海关区"}, {"level", "district"}, {"parent_id", city["id"]}})["id"];
    haigang_estate_ =
        post(admin_, "/api/v1/estates", {{"name", "海港小区"}, {"region_id", haigang_}})["id"];
    shg_estate_ =
        post(admin_, "/api/v1/estates", {{"name", "关城小区"}, {"region_id", shanhaiguan_}})["id"];
    shg_person_ = post(admin_, "/api/v1/persons",
                       {{"name", "关城居民"},
                        {"id_number", "110101199003074477"},
                        {"phone", "13900001111"},
                        {"category", "registered"},
                        {"estate_id", shg_estate_}})["id"];
    post(admin_, "/api/v1/persons",
         {{"name", "海港居民"},
          {"category", "registered"},
          {"estate_id", haigang_estate_},
          {"id_number", "11010519491231002X"},
          {"phone", "13800138000"}});
    post(admin_, "/api/v1/users",
         {{"username", "police_hg"},
          {"password", "police-pass-1"},
          {"roles", {"police"}},
          {"region_id", haigang_}});
    post(admin_, "/api/v1/users",
         {{"username", "security_hg"},
          {"password", "security-pass-1"},
          {"roles", {"security"}},
          {"region_id", haigang_}});
    police_ = server_->login("police_hg", "police-pass-1");
    security_ = server_->login("security_hg", "security-pass-1");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static json post(const std::string& token, const std::string& path, const json& body) {
    auto r = server_->call("POST", path, token, body);
    EXPECT_EQ(r.status, 201) << path << ": " << r.raw;
    return r.body;
  }
  static AnjuServer* server_;
  static std::string admin_, police_, security_;
  static json haigang_, shanhaiguan_, haigang_estate_, shg_estate_, shg_person_;
};
AnjuServer* ScopeTest::server_ = nullptr;
std::string ScopeTest::admin_, ScopeTest::police_, ScopeTest::security_;
json ScopeTest::haigang_, ScopeTest::shanhaiguan_, ScopeTest::haigang_estate_,
    ScopeTest::shg_estate_, ScopeTest::shg_person_;

TEST_F(ScopeTest, ListsShowOnlyTheUsersDistrict) {
  auto estates = server_->call("GET", "/api/v1/estates", police_);
  ASSERT_EQ(estates.status, 200);
  ASSERT_EQ(estates.body["items"].size(), 1u);
  EXPECT_EQ(estates.body["items"][0]["name"], "海港小区");
  auto persons = server_->call("GET", "/api/v1/persons", police_);
  ASSERT_EQ(persons.body["items"].size(), 1u);
  EXPECT_EQ(persons.body["items"][0]["name"], "海港居民");
  auto regions = server_->call("GET", "/api/v1/regions", police_);
  ASSERT_EQ(regions.body["items"].size(), 1u);
  EXPECT_EQ(regions.body["items"][0]["name"], "海港区");
}

TEST_F(ScopeTest, ReadingAnotherDistrictsPersonIsForbidden) {
  auto r = server_->call("GET", "/api/v1/persons/" + shg_person_.dump(), police_);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.raw.find("关城居民"), std::string::npos);
  EXPECT_EQ(server_->call("GET", "/api/v1/estates/" + shg_estate_.dump(), police_).status, 403);
}

TEST_F(ScopeTest, WritingIntoAnotherDistrictIsForbidden) {
  auto person =
      server_->call("POST", "/api/v1/persons", police_,
                    json{{"name", "越界"}, {"category", "visitor"}, {"estate_id", shg_estate_}});
  EXPECT_EQ(person.status, 403);
  auto change = server_->call("PATCH", "/api/v1/persons/" + shg_person_.dump(), police_,
                              json{{"name", "改名"}});
  EXPECT_EQ(change.status, 403);
  auto remove = server_->call("DELETE", "/api/v1/persons/" + shg_person_.dump(), police_);
  EXPECT_EQ(remove.status, 403);
  auto check = server_->call("GET", "/api/v1/persons/" + shg_person_.dump(), admin_);
  EXPECT_EQ(check.body["name"], "关城居民");
}

TEST_F(ScopeTest, ExportsStayInsideTheDistrict) {
  auto r = server_->call("GET", "/api/v1/persons/export?purpose=%E6%8E%92%E6%9F%A5", police_);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.raw.find("海港居民"), std::string::npos);
  EXPECT_EQ(r.raw.find("关城居民"), std::string::npos);
}

TEST_F(ScopeTest, AnAdminOfADistrictCannotCreateUsersElsewhere) {
  post(admin_, "/api/v1/users",
       {{"username", "admin_hg"},
        {"password", "admin-hg-pass"},
        {"roles", {"admin"}},
        {"region_id", haigang_}});
  std::string district_admin = server_->login("admin_hg", "admin-hg-pass");
  auto r = server_->call("POST", "/api/v1/users", district_admin,
                         json{{"username", "intruder"},
                              {"password", "intruder-pass"},
                              {"roles", {"police"}},
                              {"region_id", shanhaiguan_}});
  EXPECT_EQ(r.status, 403);
  auto users = server_->call("GET", "/api/v1/users", district_admin);
  for (const auto& u : users.body["items"]) EXPECT_EQ(u["region_id"], haigang_) << u.dump();
}

TEST_F(ScopeTest, IdNumbersAndPhonesAreMaskedForRolesWithoutNeed) {
  auto as_security = server_->call("GET", "/api/v1/persons", security_);
  ASSERT_EQ(as_security.status, 200);
  const auto& masked = as_security.body["items"][0];
  EXPECT_EQ(masked["id_number"], "110105********002X");
  EXPECT_EQ(masked["phone"], "138****8000");
  auto as_police = server_->call("GET", "/api/v1/persons", police_);
  EXPECT_EQ(as_police.body["items"][0]["id_number"], "11010519491231002X");
}

}  // namespace
}  // namespace anju::testing
