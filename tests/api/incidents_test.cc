// Incidents through the real server: a fence alarm a device signs becomes an incident that police
// of its region see and police of another do not; a resident's confirmed SOS carries their home's
// address and their household's phones (read in full by police, and audited); the response runs
// through to resolved, steps out of order answer 409 with what is allowed; bad input names the
// field; and the server's own one-second pass escalates a stage nobody took.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "anju_server.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "support/mosquitto_broker.h"

namespace anju::testing {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "incident-pass-123";

class IncidentsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AnjuServer();
    admin_ = server_->adminToken();
    const json city = post("/api/v1/regions", {{"name", "秦皇岛市"}, {"level", "city"}})["id"];
    north_ = post("/api/v1/regions",
                  {{"name", "海港区"}, {"level", "district"}, {"parent_id", city}})["id"];
    const json south =
        post("/api/v1/regions",
             {{"name", "山海关区"}, {"level", "district"}, {"parent_id", city}})["id"];
    estate_ = post("/api/v1/estates", {{"name", "金色家园"}, {"region_id", north_}})["id"];
    const json building =
        post("/api/v1/buildings", {{"name", "6号楼"}, {"estate_id", estate_}})["id"];
    const json room = post("/api/v1/rooms", {{"number", "302"}, {"building_id", building}})["id"];
    const json elder = post("/api/v1/persons", {{"name", "赵桂芳"},
                                                {"phone", "13700001111"},
                                                {"category", "registered"},
                                                {"estate_id", estate_}})["id"];
    const json daughter = post("/api/v1/persons", {{"name", "赵敏"},
                                                   {"phone", "13922223333"},
                                                   {"category", "registered"},
                                                   {"estate_id", estate_}})["id"];
    post("/api/v1/residences", {{"person_id", elder}, {"room_id", room}, {"relation", "owner"}});
    post("/api/v1/residences",
         {{"person_id", daughter}, {"room_id", room}, {"relation", "family"}});
    fence_secret_ = post("/api/v1/devices", {{"id", "fence-n1"},
                                             {"name", "北侧围栏"},
                                             {"kind", "fence"},
                                             {"estate_id", estate_},
                                             {"building_id", building}})["secret"];
    police_ = user("mj_north", {"police"}, north_);
    other_police_ = user("mj_south", {"police"}, south);
    security_ = user("ba_north", {"security"}, north_);
    grid_worker_ = user("wg_north", {"grid_worker"}, north_);
    resident_ = user("jm_zhao", {"resident"}, north_, elder);
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
                          const json& region, const json& person = nullptr) {
    json body = {
        {"username", name}, {"password", kPassword}, {"roles", roles}, {"region_id", region}};
    if (!person.is_null()) body["person_id"] = person;
    post("/api/v1/users", body);
    return server_->login(name, kPassword);
  }
  // A fence alarm signed by the device, stamped now.
  static void sendAlarm(const std::string& event_id) {
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const std::string body = json{
        {"event_id", event_id},
        {"ts", formatTimestamp(now, 480)},
        {"kind", "alarm"},
        {"type", "fence"},
        {"level", "high"}}.dump();
    auto r = server_->request(
        "POST", "/api/v1/events",
        {{"X-Anju-Device", "fence-n1"},
         {"X-Anju-Signature", crypto::hmacSha256Hex(fence_secret_.get<std::string>(), body)}},
        body, "application/x-ndjson");
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(r.body["accepted"], 1) << r.raw;
  }
  // The open fence incident, once the server has raised it from the stored alarm.
  static json openFenceIncident() {
    json found;
    EXPECT_TRUE(test_support::eventually([&] {
      auto r = server_->call("GET", "/api/v1/incidents?kind=fence&open=true", police_);
      if (r.status != 200 || r.body["items"].empty()) return false;
      found = r.body["items"][0];
      return true;
    }));
    return found;
  }
  static ApiResponse act(const std::string& token, const json& id, const json& body) {
    return server_->call("POST", "/api/v1/incidents/" + id.dump() + "/actions", token, body);
  }

  static AnjuServer* server_;
  static std::string admin_, police_, other_police_, security_, grid_worker_, resident_;
  static json north_, estate_, fence_secret_;
};

AnjuServer* IncidentsTest::server_ = nullptr;
std::string IncidentsTest::admin_, IncidentsTest::police_, IncidentsTest::other_police_,
    IncidentsTest::security_, IncidentsTest::grid_worker_, IncidentsTest::resident_;
json IncidentsTest::north_, IncidentsTest::estate_, IncidentsTest::fence_secret_;

TEST_F(IncidentsTest, AFenceAlarmBecomesAnIncidentForPoliceOfItsRegionOnlyAndRunsToResolved) {
  sendAlarm("fence-n1-1");
  const json listed = openFenceIncident();
  ASSERT_TRUE(listed.is_object());
  const json id = listed["id"];
  EXPECT_EQ(listed["estate_id"], estate_);
  EXPECT_EQ(listed["status"], "raised");

  // The same alarm again joins it rather than raising another.
  sendAlarm("fence-n1-2");
  ASSERT_TRUE(test_support::eventually([&] {
    auto r = server_->call("GET", "/api/v1/incidents/" + id.dump(), police_);
    return r.status == 200 && r.body["alarm_count"] == 2;
  }));

  auto elsewhere = server_->call("GET", "/api/v1/incidents", other_police_);
  ASSERT_EQ(elsewhere.status, 200) << elsewhere.raw;
  EXPECT_TRUE(elsewhere.body["items"].empty());
  EXPECT_EQ(server_->call("GET", "/api/v1/incidents/" + id.dump(), other_police_).status, 403);

  // Out of order: 409 with the actions allowed now.
  auto early = act(security_, id, {{"action", "arrive"}});
  ASSERT_EQ(early.status, 409) << early.raw;
  EXPECT_EQ(early.body["error"]["allowed"], json({"acknowledge", "false_alarm"}));
  // Grid workers read but do not act.
  EXPECT_EQ(server_->call("GET", "/api/v1/incidents/" + id.dump(), grid_worker_).status, 200);
  EXPECT_EQ(act(grid_worker_, id, {{"action", "acknowledge"}}).status, 403);

  EXPECT_EQ(act(security_, id, {{"action", "acknowledge"}}).status, 200);
  auto no_team = act(security_, id, {{"action", "dispatch"}});
  ASSERT_EQ(no_team.status, 400) << no_team.raw;
  EXPECT_EQ(no_team.body["error"]["field"], "dispatched_to");
  EXPECT_EQ(act(security_, id, {{"action", "dispatch"}, {"dispatched_to", "保安巡逻二组"}}).status,
            200);
  EXPECT_EQ(act(security_, id, {{"action", "arrive"}}).status, 200);
  auto resolved = act(police_, id, {{"action", "resolve"}, {"note", "翻越围栏者已带离"}});
  ASSERT_EQ(resolved.status, 200) << resolved.raw;
  EXPECT_EQ(resolved.body["status"], "resolved");
  EXPECT_EQ(resolved.body["history"].size(), 5u);
  EXPECT_EQ(resolved.body["history"].back()["note"], "翻越围栏者已带离");
  EXPECT_EQ(resolved.body["timers"][0]["state"], "met");

  auto stats = server_->call("GET", "/api/v1/stats/incidents?estate_id=" + estate_.dump(), police_);
  ASSERT_EQ(stats.status, 200) << stats.raw;
  EXPECT_GE(stats.body["total"]["count"], 1);
  EXPECT_EQ(stats.body["targets"]["acknowledge_seconds"], 60);
  EXPECT_EQ(stats.body["estates"][0]["estate_name"], "金色家园");
  EXPECT_EQ(
      server_->call("GET", "/api/v1/stats/incidents?estate_id=" + estate_.dump(), other_police_)
          .status,
      403);
}

TEST_F(IncidentsTest, AResidentsConfirmedSosCarriesTheirAddressAndHouseholdPhones) {
  auto tap = server_->call("POST", "/api/v1/sos", resident_, json::object());
  ASSERT_EQ(tap.status, 400) << tap.raw;
  EXPECT_EQ(tap.body["error"]["field"], "confirm");
  EXPECT_EQ(server_->call("POST", "/api/v1/sos", resident_, json{{"confirm", false}}).status, 400);
  auto none = server_->call("GET", "/api/v1/incidents?kind=sos", police_);
  ASSERT_EQ(none.status, 200);
  EXPECT_TRUE(none.body["items"].empty());

  auto sos = server_->call("POST", "/api/v1/sos", resident_, json{{"confirm", true}});
  ASSERT_EQ(sos.status, 201) << sos.raw;
  const json id = sos.body["id"];
  EXPECT_EQ(sos.body["kind"], "sos");
  EXPECT_EQ(sos.body["address"], "金色家园 6号楼 302");
  EXPECT_EQ(sos.body["contacts"][1]["phone"], "139****3333");  // masked for the resident

  auto seen = server_->call("GET", "/api/v1/incidents/" + id.dump() + "?purpose=callback", police_);
  ASSERT_EQ(seen.status, 200) << seen.raw;
  EXPECT_EQ(seen.body["caller"]["name"], "赵桂芳");
  EXPECT_EQ(seen.body["caller"]["phone"], "13700001111");
  EXPECT_EQ(seen.body["contacts"][1]["name"], "赵敏");
  EXPECT_EQ(seen.body["contacts"][1]["phone"], "13922223333");
  EXPECT_EQ(server_->call("GET", "/api/v1/incidents/" + id.dump(), grid_worker_)
                .body["contacts"][1]["phone"],
            "139****3333");

  auto audit = server_->call("GET", "/api/v1/audit?object=incidents&user=mj_north", admin_);
  ASSERT_EQ(audit.status, 200) << audit.raw;
  ASSERT_FALSE(audit.body["items"].empty());
  EXPECT_EQ(audit.body["items"][0]["object_id"], id.dump());
  EXPECT_EQ(audit.body["items"][0]["purpose"], "callback");

  // The resident sees their own SOS and no one else's incidents.
  auto mine = server_->call("GET", "/api/v1/incidents", resident_);
  ASSERT_EQ(mine.status, 200) << mine.raw;
  ASSERT_EQ(mine.body["items"].size(), 1u);
  EXPECT_EQ(mine.body["items"][0]["id"], id);
}

TEST_F(IncidentsTest, BadInputAnswers4xxNamingTheField) {
  auto unknown_action = act(police_, 1, {{"action", "teleport"}});
  ASSERT_EQ(unknown_action.status, 400) << unknown_action.raw;
  EXPECT_EQ(unknown_action.body["error"]["field"], "action");
  auto missing_action = act(police_, 1, json::object());
  EXPECT_EQ(missing_action.body["error"]["field"], "action");
  EXPECT_EQ(act(police_, 999999, {{"action", "acknowledge"}}).status, 404);
  EXPECT_EQ(server_->call("GET", "/api/v1/incidents/999999", police_).status, 404);
  EXPECT_EQ(server_->call("GET", "/api/v1/incidents/abc", police_).status, 404);
  auto status = server_->call("GET", "/api/v1/incidents?status=lost", police_);
  ASSERT_EQ(status.status, 400);
  EXPECT_EQ(status.body["error"]["field"], "status");
  auto open = server_->call("GET", "/api/v1/incidents?open=maybe", police_);
  EXPECT_EQ(open.body["error"]["field"], "open");
  auto from = server_->call("GET", "/api/v1/stats/incidents?from=yesterday", police_);
  EXPECT_EQ(from.body["error"]["field"], "from");
  auto broken = server_->call("POST", "/api/v1/sos", resident_, std::string("{\"confirm\":"));
  EXPECT_EQ(broken.status, 400);
  // Only residents press SOS (staff logins are linked to no person).
  EXPECT_EQ(server_->call("POST", "/api/v1/sos", police_, json{{"confirm", true}}).status, 403);
}

// The server's own timers, with targets of a few seconds from [incidents] in anju.toml: an alarm
// nobody acknowledges is escalated to its estate's region by the one-second pass, once, and then
// one level further up when the dispatch target passes too.
TEST(IncidentTimersTest, ALateStageEscalatesUpTheRegionTreeOnTheServersOwnClock) {
  std::string dir = (std::filesystem::temp_directory_path() / "anju-incidents-XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  std::ofstream(std::filesystem::path(dir) / "anju.toml")
      << "[incidents]\nack_seconds = 1\ndispatch_seconds = 2\narrive_seconds = 30\n";
  {
    AnjuServer server(dir);
    const std::string admin = server.adminToken();
    auto post = [&](const std::string& path, const json& body) {
      auto r = server.call("POST", path, admin, body);
      EXPECT_EQ(r.status, 201) << path << ": " << r.raw;
      return r.body;
    };
    const json city = post("/api/v1/regions", {{"name", "秦皇岛市"}, {"level", "city"}})["id"];
    const json district = post(
        "/api/v1/regions", {{"name", "海港区"}, {"level", "district"}, {"parent_id", city}})["id"];
    const json estate =
        post("/api/v1/estates", {{"name", "金色家园"}, {"region_id", district}})["id"];
    post("/api/v1/devices",
         {{"id", "smoke-1"}, {"name", "1号楼烟感"}, {"kind", "smoke"}, {"estate_id", estate}});
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    auto sent = server.call("POST", "/api/v1/events", admin,
                            json::array({{{"device_id", "smoke-1"},
                                          {"event_id", "smoke-1-1"},
                                          {"ts", formatTimestamp(now, 480)},
                                          {"kind", "alarm"},
                                          {"type", "smoke"}}}));
    ASSERT_EQ(sent.status, 200) << sent.raw;

    json incident;
    ASSERT_TRUE(test_support::eventually([&] {
      auto r = server.call("GET", "/api/v1/incidents/1", admin);
      if (r.status != 200 || r.body["escalations"] != 2) return false;
      incident = r.body;
      return true;
    })) << incident.dump();
    EXPECT_EQ(incident["status"], "raised");
    EXPECT_EQ(incident["escalated_to"]["region_id"], city);
    int escalate_steps = 0;
    for (const auto& step : incident["history"]) {
      if (step["action"] != "escalate") continue;
      ++escalate_steps;
      EXPECT_EQ(step["actor"], "system");
    }
    EXPECT_EQ(escalate_steps, 2);
    EXPECT_EQ(incident["history"][1]["details"]["region_id"], district);
    EXPECT_EQ(incident["timers"][0]["state"], "late");
    server.stop();
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace
}  // namespace anju::testing
