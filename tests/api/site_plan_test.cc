// An estate's site plan through the real server: buildings and devices where the registry places
// them, each device's state and the open alerts against it in one answer, coordinates kept on the
// plan, and the plan shown only inside the caller's region.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "anju_server.h"

namespace anju::testing {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "plan-test-password";

class SitePlanTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AnjuServer();
    admin_ = server_->adminToken();
    const json district =
        post("/api/v1/regions", {{"name", "海港区"}, {"level", "district"}})["id"];
    const json other = post("/api/v1/regions", {{"name", "北戴河区"}, {"level", "district"}})["id"];
    estate_ = post("/api/v1/estates", {{"name", "金色家园"},
                                       {"region_id", district},
                                       {"plan_width", 200},
                                       {"plan_height", 120}})["id"];
    building_ =
        post("/api/v1/buildings",
             {{"estate_id", estate_}, {"name", "1号楼"}, {"plan_x", 40}, {"plan_y", 30}})["id"];
    post("/api/v1/devices", {{"id", "gate-door"},
                             {"name", "东门人行门禁"},
                             {"kind", "door"},
                             {"estate_id", estate_},
                             {"position", "gate"},
                             {"plan_x", 200},
                             {"plan_y", 60}});
    post("/api/v1/devices", {{"id", "smoke-1"},
                             {"name", "1号楼烟感"},
                             {"kind", "smoke"},
                             {"estate_id", estate_},
                             {"building_id", building_},
                             {"plan_x", 40},
                             {"plan_y", 30}});
    post(
        "/api/v1/devices",
        {{"id", "unplaced"}, {"name", "未定位摄像机"}, {"kind", "camera"}, {"estate_id", estate_}});
    police_ = user("police_li", {"police"}, district);
    far_police_ = user("police_he", {"police"}, other);
    mediator_ = user("mediator_zhao", {"mediator"}, district);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static json post(const std::string& path, const json& body) {
    auto r = server_->call("POST", path, admin_, body);
    EXPECT_EQ(r.status, 201) << path << ": " << r.raw;
    return r.body;
  }
  static std::string user(const std::string& name, const std::vector<std::string>& roles,
                          const json& region) {
    post("/api/v1/users",
         {{"username", name}, {"password", kPassword}, {"roles", roles}, {"region_id", region}});
    return server_->login(name, kPassword);
  }
  static std::string planPath() { return "/api/v1/estates/" + estate_.dump() + "/plan"; }
  static json device(const json& plan, const std::string& id) {
    for (const auto& d : plan["devices"]) {
      if (d["id"] == id) return d;
    }
    return nullptr;
  }
  // The field a refused write names, or "" when it was not refused with 400.
  static std::string refused(const std::string& method, const std::string& path, const json& body) {
    auto r = server_->call(method, path, admin_, body);
    if (r.status != 400) return "status " + std::to_string(r.status) + ": " + r.raw;
    return r.body["error"]["field"].get<std::string>();
  }

  static AnjuServer* server_;
  static std::string admin_, police_, far_police_, mediator_;
  static json estate_, building_;
};

AnjuServer* SitePlanTest::server_ = nullptr;
std::string SitePlanTest::admin_, SitePlanTest::police_, SitePlanTest::far_police_,
    SitePlanTest::mediator_;
json SitePlanTest::estate_, SitePlanTest::building_;

TEST_F(SitePlanTest, ThePlanHasItsSizeBuildingsAndDevicesWhereTheRegistryPlacesThem) {
  auto r = server_->call("GET", planPath(), police_);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["estate"]["name"], "金色家园");
  EXPECT_EQ(r.body["estate"]["plan_width"], 200.0);
  EXPECT_EQ(r.body["estate"]["plan_height"], 120.0);
  ASSERT_EQ(r.body["buildings"].size(), 1u);
  EXPECT_EQ(r.body["buildings"][0]["name"], "1号楼");
  EXPECT_EQ(r.body["buildings"][0]["plan_x"], 40.0);
  EXPECT_EQ(r.body["buildings"][0]["plan_y"], 30.0);
  ASSERT_EQ(r.body["devices"].size(), 3u);
  const json gate = device(r.body, "gate-door");
  EXPECT_EQ(gate["kind"], "door");
  EXPECT_EQ(gate["position"], "gate");
  EXPECT_EQ(gate["plan_x"], 200.0);
  EXPECT_EQ(gate["plan_y"], 60.0);
  EXPECT_EQ(device(r.body, "smoke-1")["building_id"], building_);
  // A device not yet placed is still listed, so the console can say it has no place.
  EXPECT_TRUE(device(r.body, "unplaced")["plan_x"].is_null());
}

TEST_F(SitePlanTest, ADeviceThatSpeaksIsOnlineOnThePlanAndItsAlarmIsAgainstIt) {
  auto before = server_->call("GET", planPath(), police_);
  ASSERT_EQ(before.status, 200) << before.raw;
  EXPECT_EQ(device(before.body, "smoke-1")["online"], false);
  EXPECT_TRUE(device(before.body, "smoke-1")["last_seen"].is_null());

  post("/api/v1/alert-rules", {{"name", "烟感报警"},
                               {"kind", "alarm"},
                               {"params", {{"types", {"smoke"}}}},
                               {"level", "high"}});
  auto sent = server_->call("POST", "/api/v1/events", admin_,
                            json::array({{{"device_id", "smoke-1"},
                                          {"event_id", "smoke-1-a"},
                                          {"ts", "2026-11-30T21:15:00+08:00"},
                                          {"kind", "alarm"},
                                          {"type", "smoke"}}}));
  ASSERT_EQ(sent.status, 200) << sent.raw;

  // Alerts are raised after the events' commit: read the plan until the alert is on it.
  json plan;
  for (int i = 0; i < 200; ++i) {
    plan = server_->call("GET", planPath(), police_).body;
    if (!plan["alerts"].empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(plan["alerts"].size(), 1u) << plan.dump();
  EXPECT_EQ(plan["alerts"][0]["device_id"], "smoke-1");
  EXPECT_EQ(plan["alerts"][0]["status"], "open");
  EXPECT_EQ(device(plan, "smoke-1")["online"], true);
  EXPECT_FALSE(device(plan, "smoke-1")["last_seen"].is_null());
  EXPECT_EQ(device(plan, "gate-door")["online"], false);

  // The alert list names the device too, as the live stream does.
  auto listed = server_->call("GET", "/api/v1/alerts?kind=alarm", police_);
  ASSERT_EQ(listed.status, 200) << listed.raw;
  EXPECT_EQ(listed.body["items"][0]["device_id"], "smoke-1");
  // And a device's own alerts are one filter away, for the marker clicked on the plan.
  auto mine = server_->call("GET", "/api/v1/alerts?device_id=smoke-1", police_);
  ASSERT_EQ(mine.status, 200) << mine.raw;
  EXPECT_EQ(mine.body["items"].size(), 1u);
  auto none = server_->call("GET", "/api/v1/alerts?device_id=gate-door", police_);
  ASSERT_EQ(none.status, 200) << none.raw;
  EXPECT_TRUE(none.body["items"].empty());
}

TEST_F(SitePlanTest, ThePlanIsShownOnlyInsideTheCallersRegionAndToTheRolesThatWatchAlerts) {
  EXPECT_EQ(server_->call("GET", planPath(), far_police_).status, 403);
  EXPECT_EQ(server_->call("GET", planPath(), mediator_).status, 403);
  EXPECT_EQ(server_->call("GET", "/api/v1/estates/9999/plan", police_).status, 404);
  EXPECT_EQ(server_->call("GET", "/api/v1/estates/east/plan", police_).status, 404);
  EXPECT_EQ(server_->call("GET", planPath()).status, 401);
}

TEST_F(SitePlanTest, CoordinatesOffThePlanOrOfTheWrongTypeAreRefusedNamingTheField) {
  const json e = estate_;
  auto building = [&](json fields) {
    fields["estate_id"] = e;
    fields["name"] = "9号楼";
    return refused("POST", "/api/v1/buildings", fields);
  };
  EXPECT_EQ(building({{"plan_x", 201}, {"plan_y", 10}}), "plan_x");
  EXPECT_EQ(building({{"plan_x", 10}, {"plan_y", 120.5}}), "plan_y");
  EXPECT_EQ(building({{"plan_x", -1}, {"plan_y", 10}}), "plan_x");
  EXPECT_EQ(building({{"plan_x", "east"}, {"plan_y", 10}}), "plan_x");
  EXPECT_EQ(building({{"plan_x", 10}}), "plan_y");

  const std::string smoke = "/api/v1/devices/smoke-1";
  EXPECT_EQ(refused("PATCH", smoke, {{"plan_y", 500}}), "plan_y");
  EXPECT_EQ(refused("PATCH", smoke, {{"plan_x", nullptr}}), "plan_x");
  auto moved = server_->call("PATCH", smoke, admin_, json{{"plan_x", 60}, {"plan_y", 35}});
  ASSERT_EQ(moved.status, 200) << moved.raw;
  EXPECT_EQ(moved.body["plan_x"], 60.0);

  // The plan may not shrink past what stands on it (the gate door at x = 200), nor lose a side.
  const std::string estate = "/api/v1/estates/" + e.dump();
  EXPECT_EQ(refused("PATCH", estate, {{"plan_width", 150}}), "plan_width");
  EXPECT_EQ(refused("PATCH", estate, {{"plan_height", 20}}), "plan_height");
  EXPECT_EQ(refused("PATCH", estate, {{"plan_height", nullptr}}), "plan_height");
  EXPECT_EQ(refused("PATCH", estate, {{"plan_width", 0}}), "plan_width");
  auto grown = server_->call("PATCH", estate, admin_, json{{"plan_width", 260}});
  ASSERT_EQ(grown.status, 200) << grown.raw;
  EXPECT_EQ(server_->call("PATCH", estate, admin_, json{{"plan_width", 200}}).status, 200);

  // An estate without a plan takes any point: plans are optional and old records stay valid.
  const json bare = post("/api/v1/estates", {{"name", "无图小区"}})["id"];
  auto placed =
      server_->call("POST", "/api/v1/buildings", admin_,
                    json{{"estate_id", bare}, {"name", "1号楼"}, {"plan_x", 5000}, {"plan_y", 5}});
  EXPECT_EQ(placed.status, 201) << placed.raw;
  auto plan = server_->call("GET", "/api/v1/estates/" + bare.dump() + "/plan", admin_);
  ASSERT_EQ(plan.status, 200) << plan.raw;
  EXPECT_TRUE(plan.body["estate"]["plan_width"].is_null());
}

TEST_F(SitePlanTest, ACsvImportNamesTheRowWhoseBuildingStandsOffThePlan) {
  const std::string e = estate_.dump();
  const std::string csv = "小区,楼栋,平面图X,平面图Y\n" + e + ",2号楼,80,40\n" + e +
                          ",3号楼,80,400\n" + e + ",4号楼,120,60\n";
  auto r = server_->call("POST", "/api/v1/import/buildings", admin_, csv, "text/csv");
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.body["committed"], false);
  ASSERT_EQ(r.body["errors"].size(), 1u) << r.raw;
  EXPECT_EQ(r.body["errors"][0]["line"], 3);
  EXPECT_EQ(r.body["errors"][0]["field"], "plan_y");
}

}  // namespace
}  // namespace anju::testing
