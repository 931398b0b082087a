// Vehicles and estate statistics through the real server: plate lookup tolerant of one misread
// character within the caller's scope, vehicle visits with their dwell, and per-estate statistics
// (passages by local day and hour, devices online, tier compliance) from signed device events.
#include <gtest/gtest.h>

#include "anju_server.h"
#include "common/crypto.h"

namespace anju::testing {
namespace {

using nlohmann::json;

class EstateStatsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto::initialize();
    server_ = new AnjuServer();
    token_ = server_->adminToken();
    auto city = post("/api/v1/regions", {{"name", "秦皇岛市"}, {"level", "city"}});
    north_ = post("/api/v1/regions",
                  {{"name", "北街道"}, {"level", "street"}, {"parent_id", city["id"]}})["id"];
    south_ = post("/api/v1/regions",
                  {{"name", "南街道"}, {"level", "street"}, {"parent_id", city["id"]}})["id"];
    estate_a_ = post("/api/v1/estates",
                     {{"name", "金色家园"}, {"region_id", north_}, {"tier", "enhanced"}})["id"];
    estate_b_ = post("/api/v1/estates", {{"name", "海景花园"}, {"region_id", south_}})["id"];
    person_ = post("/api/v1/persons", {{"name", "王建国"}, {"category", "registered"}})["id"];
    vehicle_ = post("/api/v1/vehicles", {{"plate", "冀C·12345"},
                                         {"person_id", person_},
                                         {"estate_id", estate_a_},
                                         {"kind", "resident"}})["id"];
    post("/api/v1/vehicles", {{"plate", "冀C1234S"}, {"estate_id", estate_a_}});
    post("/api/v1/vehicles", {{"plate", "冀C12347"}, {"estate_id", estate_a_}});
    for (const char* kind : {"door", "camera", "sos_button", "barrier"}) device(kind);
    for (auto [name, region] : {std::pair{"south_police", south_}, {"north_police", north_}}) {
      auto user = server_->call("POST", "/api/v1/users", token_,
                                json{{"username", name},
                                     {"password", std::string(name) + "-pass"},
                                     {"roles", {"police"}},
                                     {"region_id", region}});
      ASSERT_EQ(user.status, 201) << user.raw;
    }
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
  // A device of `kind` in estate A, named after its kind.
  static void device(const std::string& kind) {
    const std::string id = "a-" + kind;
    secrets_[id] = post("/api/v1/devices", {{"id", id},
                                            {"name", kind},
                                            {"kind", kind},
                                            {"estate_id", estate_a_},
                                            {"direction", "both"}})["secret"];
  }
  static void send(const std::string& device, const std::string& body) {
    auto r = server_->request("POST", "/api/v1/events",
                              {{"X-Anju-Device", device},
                               {"X-Anju-Signature", crypto::hmacSha256Hex(secrets_[device], body)}},
                              body, "application/x-ndjson");
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_TRUE(r.body["rejected"].empty()) << r.raw;
  }
  static void heartbeat(const std::string& device) {
    static int n = 0;
    send(device, R"({"event_id":"hb-)" + std::to_string(++n) +
                     R"(","ts":"2026-11-22T06:00:00+08:00","kind":"heartbeat"})");
  }
  static json get(const std::string& target, const std::string& token, int status = 200) {
    auto r = server_->call("GET", target, token);
    EXPECT_EQ(r.status, status) << target << ": " << r.raw;
    return r.body;
  }
  static json estateStats() {
    return get("/api/v1/stats/estates/" + estate_a_.dump() + "?from=2026-11-22&to=2026-11-24",
               token_);
  }
  static json aspect(const json& stats, const std::string& key) {
    for (const auto& a : stats["compliance"]["aspects"])
      if (a["aspect"] == key) return a;
    return nullptr;
  }

  static AnjuServer* server_;
  static std::string token_;
  static json north_, south_, estate_a_, estate_b_, person_, vehicle_;
  static std::map<std::string, std::string> secrets_;
};

AnjuServer* EstateStatsTest::server_ = nullptr;
std::string EstateStatsTest::token_;
json EstateStatsTest::north_, EstateStatsTest::south_, EstateStatsTest::estate_a_,
    EstateStatsTest::estate_b_, EstateStatsTest::person_, EstateStatsTest::vehicle_;
std::map<std::string, std::string> EstateStatsTest::secrets_;

TEST_F(EstateStatsTest, PlateLookupFindsTheVehicleFromAReadWithOneLookAlikeCharacter) {
  auto body = get("/api/v1/vehicles/lookup?plate=%E5%86%80C1234S", token_);
  const auto& items = body["items"];
  ASSERT_EQ(items.size(), 3u) << body.dump();
  EXPECT_EQ(items[0]["plate"], "冀C1234S");
  EXPECT_EQ(items[0]["score"], 1.0);
  EXPECT_FALSE(items[0].contains("differs_at"));
  EXPECT_EQ(items[1]["plate"], "冀C12345");
  EXPECT_EQ(items[1]["score"], 0.9);
  EXPECT_EQ(items[1]["differs_at"], 6);
  EXPECT_EQ(items[1]["vehicle"]["id"], vehicle_);
  EXPECT_EQ(items[1]["vehicle"]["person_id"], person_);
  EXPECT_EQ(items[1]["vehicle"]["estate_id"], estate_a_);
  EXPECT_EQ(items[1]["vehicle"]["kind"], "resident");
  EXPECT_EQ(items[2]["plate"], "冀C12347");
  EXPECT_EQ(items[2]["score"], 0.6);
}

TEST_F(EstateStatsTest, PlateLookupIsNotTakenForAVehicleIdAndRegistryIdsStillWork) {
  auto bad = get("/api/v1/vehicles/lookup?plate=%E5%86%80C12", token_, 400);
  EXPECT_EQ(bad["error"]["field"], "plate");
  auto vehicle = get("/api/v1/vehicles/" + vehicle_.dump(), token_);
  EXPECT_EQ(vehicle["plate"], "冀C12345");
}

TEST_F(EstateStatsTest, PoliceOutsideTheRegionDoNotSeeTheVehicle) {
  auto south = server_->login("south_police", "south_police-pass");
  EXPECT_TRUE(get("/api/v1/vehicles/lookup?plate=%E5%86%80C1234S", south)["items"].empty());
  auto north = server_->login("north_police", "north_police-pass");
  EXPECT_EQ(get("/api/v1/vehicles/lookup?plate=%E5%86%80C1234S", north)["items"].size(), 3u);
}

TEST_F(EstateStatsTest, VehicleVisitsGiveDwellMinutesOfATemporaryPlate) {
  send(
      "a-barrier",
      R"({"event_id":"v1","ts":"2026-11-22T09:00:00+08:00","kind":"vehicle","plate":"冀C99999","direction":"in","result":"granted"})"
      "\n"
      R"({"event_id":"v2","ts":"2026-11-22T09:10:00+08:00","kind":"vehicle","plate":"冀C12345","direction":"in","result":"granted"})"
      "\n"
      R"({"event_id":"v3","ts":"2026-11-22T10:35:00+08:00","kind":"vehicle","plate":"冀C99999","direction":"out","result":"granted"})");
  const std::string base = "/api/v1/vehicle-visits?estate_id=" + estate_a_.dump();
  auto all = get(base + "&from=2026-11-22&to=2026-11-23", token_)["items"];
  ASSERT_EQ(all.size(), 2u) << all.dump();
  EXPECT_EQ(all[0]["plate"], "冀C12345");  // newest first
  EXPECT_EQ(all[0]["resident"], true);
  EXPECT_FALSE(all[0].contains("dwell_minutes"));
  auto temporary = get(base + "&temporary=true", token_)["items"];
  ASSERT_EQ(temporary.size(), 1u) << temporary.dump();
  EXPECT_EQ(temporary[0]["plate"], "冀C99999");
  EXPECT_EQ(temporary[0]["resident"], false);
  EXPECT_EQ(temporary[0]["in"], "2026-11-22T09:00:00.000+08:00");
  EXPECT_EQ(temporary[0]["out"], "2026-11-22T10:35:00.000+08:00");
  EXPECT_EQ(temporary[0]["dwell_minutes"], 95.0);
  auto residents = get(base + "&temporary=false", token_)["items"];
  ASSERT_EQ(residents.size(), 1u);
  EXPECT_EQ(residents[0]["plate"], "冀C12345");

  auto stats = estateStats();
  EXPECT_EQ(stats["vehicles"]["temporary_visits"], 1);
  EXPECT_EQ(stats["vehicles"]["mean_dwell_minutes"], 95.0);

  auto south = server_->login("south_police", "south_police-pass");
  get(base, south, 403);
}

TEST_F(EstateStatsTest, CountsPassagesByLocalDayAndHourAndComplianceFollowsTheDevices) {
  auto before = estateStats();
  EXPECT_EQ(before["declared_tier"], "enhanced");
  EXPECT_EQ(before["devices"]["by_kind"]["door"]["total"], 1);

  for (const char* d : {"a-door", "a-camera", "a-sos_button", "a-barrier"}) heartbeat(d);
  auto access = [](const std::string& id, const std::string& ts, const std::string& result) {
    return R"({"event_id":")" + id + R"(","ts":")" + ts +
           R"(","kind":"access","method":"face","direction":"in","result":")" + result + "\"}";
  };
  send("a-door", access("p1", "2026-11-22T07:30:00+08:00", "granted") + "\n" +
                     access("p2", "2026-11-22T08:15:00+08:00", "granted") + "\n" +
                     access("p3", "2026-11-22T08:45:00+08:00", "denied") + "\n" +
                     // 16:30 UTC on the 22nd is half past midnight on the 23rd in Beijing.
                     access("p4", "2026-11-23T00:30:00+08:00", "granted"));

  auto stats = estateStats();
  EXPECT_EQ(stats["devices"]["online"], 4) << stats["devices"].dump();
  EXPECT_EQ(stats["devices"]["online_ratio"], 1.0);
  EXPECT_EQ(stats["passages"]["people"], 4);
  EXPECT_EQ(stats["passages"]["denied"], 1);
  // Vehicle passages of another test may share the day, never these hours.
  EXPECT_EQ(stats["passages"]["by_day"]["2026-11-22"], 3 + stats["passages"]["vehicles"].get<int>())
      << stats["passages"].dump();
  EXPECT_EQ(stats["passages"]["by_day"]["2026-11-23"], 1);
  EXPECT_EQ(stats["passages"]["by_hour"][7], 1);
  EXPECT_EQ(stats["passages"]["by_hour"][8], 2);
  EXPECT_EQ(stats["passages"]["by_hour"][0], 1);
  EXPECT_EQ(stats["compliance"]["tier"], "standard") << stats["compliance"].dump();
  EXPECT_EQ(stats["compliance"]["next_tier"], "enhanced");
  EXPECT_EQ(aspect(stats, "throwing")["present"], 0);

  device("face_camera");
  device("throwing_camera");
  heartbeat("a-face_camera");
  heartbeat("a-throwing_camera");
  auto after = estateStats();
  EXPECT_EQ(after["compliance"]["tier"], "enhanced") << after["compliance"].dump();
  EXPECT_EQ(after["compliance"]["next_tier"], "demonstration");
  EXPECT_EQ(aspect(after, "throwing")["present"], 1);
  EXPECT_EQ(aspect(after, "identity_check")["ok"], true);
  EXPECT_EQ(after["devices"]["online"], 6);
}

TEST_F(EstateStatsTest, RegionStatsListOnlyEstatesInTheCallersScope) {
  auto all = get("/api/v1/stats/estates", token_);
  EXPECT_EQ(all["items"].size(), 2u);
  EXPECT_EQ(all["total"]["estates"], 2);
  auto south = server_->login("south_police", "south_police-pass");
  auto mine = get("/api/v1/stats/estates", south);
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["estate_id"], estate_b_);
  get("/api/v1/stats/estates?region_id=" + north_.dump(), south, 403);
  get("/api/v1/stats/estates/" + estate_a_.dump(), south, 403);
  auto north_only = get("/api/v1/stats/estates?region_id=" + north_.dump(), token_);
  ASSERT_EQ(north_only["items"].size(), 1u);
  EXPECT_EQ(north_only["items"][0]["estate_id"], estate_a_);
}

}  // namespace
}  // namespace anju::testing
