// Alerts through the real server: an alarm from a device raising an alert that arrives on the live
// stream, a reconnect resuming after Last-Event-ID, working the alert with refused steps answered
// with what is allowed, a plate watchlist imported from CSV hitting a misread plate, scope, and
// bad rules and entries refused naming the field.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>
#include <thread>

#include "anju_server.h"
#include "sse_client.h"

namespace anju::testing {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "alert-pass-12345";

class AlertsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AnjuServer();
    admin_ = server_->adminToken();
    district_ = post(admin_, "/api/v1/regions", {{"name", "海港区"}, {"level", "district"}})["id"];
    other_ = post(admin_, "/api/v1/regions", {{"name", "北戴河区"}, {"level", "district"}})["id"];
    estate_ =
        post(admin_, "/api/v1/estates", {{"name", "金色家园"}, {"region_id", district_}})["id"];
    post(admin_, "/api/v1/devices",
         {{"id", "smoke-7"}, {"name", "7号楼烟感"}, {"kind", "smoke"}, {"estate_id", estate_}});
    post(admin_, "/api/v1/devices",
         {{"id", "barrier-1"}, {"name", "东门道闸"}, {"kind", "barrier"}, {"estate_id", estate_}});
    police_ = user("police_li", {"police"}, district_);
    far_police_ = user("police_he", {"police"}, other_);
    resident_ = user("resident_wu", {"resident"}, district_);
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
  static std::string user(const std::string& name, const std::vector<std::string>& roles,
                          const json& region) {
    post(admin_, "/api/v1/users",
         {{"username", name}, {"password", kPassword}, {"roles", roles}, {"region_id", region}});
    return server_->login(name, kPassword);
  }
  static void ingest(const json& events) {
    auto r = server_->call("POST", "/api/v1/events", admin_, events);
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(r.body["accepted"], events.size()) << r.raw;
  }
  // Alerts are raised by the engine after the events' commit: wait for one to appear.
  static json awaitAlert(const std::string& token, const std::string& query) {
    for (int i = 0; i < 200; ++i) {
      auto r = server_->call("GET", "/api/v1/alerts?" + query, token);
      if (r.status == 200 && !r.body["items"].empty()) return r.body["items"][0];
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return nullptr;
  }
  static json alarm(const std::string& id) {
    return {{"device_id", "smoke-7"},
            {"event_id", id},
            {"ts", "2026-11-30T21:15:00+08:00"},
            {"kind", "alarm"},
            {"type", "smoke"}};
  }

  static AnjuServer* server_;
  static std::string admin_, police_, far_police_, resident_;
  static json district_, other_, estate_;
};

AnjuServer* AlertsTest::server_ = nullptr;
std::string AlertsTest::admin_, AlertsTest::police_, AlertsTest::far_police_, AlertsTest::resident_;
json AlertsTest::district_, AlertsTest::other_, AlertsTest::estate_;

TEST_F(AlertsTest, AnAlarmArrivesOnTheStreamAndAReconnectResumesAfterItsId) {
  post(police_, "/api/v1/alert-rules",
       {{"name", "烟感报警"},
        {"kind", "alarm"},
        {"params", {{"types", {"smoke"}}}},
        {"level", "high"}});
  std::string first_id;
  {
    SseClient stream(server_->port(), police_);
    ASSERT_TRUE(stream.ready());
    ingest(json::array({alarm("s-1")}));
    auto [id, data] = stream.next("alert");
    EXPECT_EQ(stream.statusLine(), "HTTP/1.1 200 OK");
    ASSERT_FALSE(id.empty());
    EXPECT_EQ(data["kind"], "alarm");
    EXPECT_EQ(data["count"], 1);
    EXPECT_EQ(data["subject"]["device_id"], "smoke-7");
    first_id = id;
  }
  ingest(json::array({alarm("s-2")}));  // while nobody listens
  ASSERT_FALSE(awaitAlert(police_, "kind=alarm").is_null());
  SseClient again(server_->port(), police_, first_id);
  auto [id, data] = again.next("alert");
  EXPECT_GT(std::stoll(id), std::stoll(first_id));
  EXPECT_EQ(data["count"], 2);  // the same alert, counted up, not a new one

  // Police of another district neither see it listed nor can open it.
  auto far = server_->call("GET", "/api/v1/alerts?kind=alarm", far_police_);
  ASSERT_EQ(far.status, 200);
  EXPECT_TRUE(far.body["items"].empty());
  EXPECT_EQ(server_->call("GET", "/api/v1/alerts/" + data["id"].dump(), far_police_).status, 404);
  EXPECT_EQ(server_->call("GET", "/api/v1/alerts", resident_).status, 403);
}

TEST_F(AlertsTest, AnAlertIsAcknowledgedAssignedAndClosedAndWrongStepsSayWhatIsAllowed) {
  post(admin_, "/api/v1/alert-rules", {{"name", "门被强开"}, {"kind", "door_alarm"}});
  json door = alarm("d-1");
  door["type"] = "door_forced";
  ingest(json::array({door}));
  json alert = awaitAlert(police_, "kind=door_alarm");
  ASSERT_FALSE(alert.is_null());
  const std::string path = "/api/v1/alerts/" + alert["id"].dump() + "/actions";

  EXPECT_EQ(server_->call("POST", path, police_, json{{"action", "acknowledge"}}).status, 200);
  auto twice = server_->call("POST", path, police_, json{{"action", "acknowledge"}});
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.body["error"]["allowed"], json({"assign", "close"}));
  auto nobody = server_->call("POST", path, police_, json{{"action", "assign"}});
  EXPECT_EQ(nobody.status, 400);
  EXPECT_EQ(nobody.body["error"]["field"], "assignee");
  EXPECT_EQ(
      server_->call("POST", path, police_, json{{"action", "assign"}, {"assignee", "保安队 陈"}})
          .status,
      200);
  auto closed = server_->call("POST", path, police_, json{{"action", "close"}, {"note", "已复位"}});
  ASSERT_EQ(closed.status, 200);
  EXPECT_EQ(closed.body["status"], "closed");
  EXPECT_EQ(closed.body["steps"].size(), 3u);
  EXPECT_EQ(closed.body["events"][0]["device_id"], "smoke-7");
  EXPECT_EQ(server_->call("POST", path, far_police_, json{{"action", "close"}}).status, 404);
}

TEST_F(AlertsTest, APlateWatchlistImportedFromCsvHitsAMisreadPlate) {
  json list = post(police_, "/api/v1/watchlists",
                   {{"name", "被盗车辆"},
                    {"kind", "vehicle"},
                    {"reason", "盗抢车辆协查"},
                    {"requested_by", "刑警队 王伟"},
                    {"valid_from", "2026-11-01T00:00:00+08:00"}});
  const std::string import = "/api/v1/watchlists/" + list["id"].dump() + "/import";
  const std::string csv = "车牌号,备注\n冀C8B123,盗抢\n冀C??,坏行\n京A12345,\n";
  auto refused = server_->call("POST", import, police_, csv, "text/csv");
  ASSERT_EQ(refused.status, 400) << refused.raw;
  EXPECT_EQ(refused.body["errors"][0]["line"], 3);
  EXPECT_EQ(refused.body["errors"][0]["field"], "plate");
  EXPECT_EQ(
      server_->call("GET", "/api/v1/watchlists/" + list["id"].dump(), police_).body["entries"], 0);
  auto partial =
      server_->call("POST", import + "?partial=true&progress=plates-1", police_, csv, "text/csv");
  ASSERT_EQ(partial.status, 200) << partial.raw;
  EXPECT_EQ(partial.body["imported"], 2);
  auto progress = server_->call("GET", "/api/v1/imports/plates-1", police_);
  EXPECT_EQ(progress.body["state"], "ended") << progress.raw;
  EXPECT_EQ(progress.body["committed"], true);

  ingest({{{"device_id", "barrier-1"},
           {"event_id", "v-1"},
           {"ts", "2026-11-30T21:20:00+08:00"},
           {"kind", "vehicle"},
           {"plate", "冀C88123"},
           {"direction", "in"}}});
  json alert = awaitAlert(police_, "kind=watchlist_vehicle");
  ASSERT_FALSE(alert.is_null());
  EXPECT_EQ(alert["subject"]["plate"], "冀C8B123");
  EXPECT_EQ(alert["watchlist_id"], list["id"]);
  // Another district's police cannot see or change the list.
  EXPECT_EQ(server_->call("GET", "/api/v1/watchlists/" + list["id"].dump(), far_police_).status,
            404);
  auto entries =
      server_->call("GET", "/api/v1/watchlists/" + list["id"].dump() + "/entries", police_);
  ASSERT_EQ(entries.status, 200);
  EXPECT_EQ(entries.body["items"].size(), 2u);
}

TEST_F(AlertsTest, ACaseTakenThroughItsStepsIsPushedAsASummaryWithoutTheReportersText) {
  SseClient stream(server_->port(), admin_, {}, "?types=case");
  ASSERT_TRUE(stream.ready());
  json created = post(admin_, "/api/v1/cases",
                      {{"channel", "hotline"},
                       {"category", "environment"},
                       {"description", "3号楼楼道堆放杂物，住户张女士 13912345678 反映"},
                       {"estate_id", estate_}});
  auto [id, data] = stream.next("case");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(data["id"], created["id"]);
  EXPECT_EQ(data["status"], created["status"]);
  EXPECT_FALSE(data.contains("description"));
  EXPECT_FALSE(data.contains("reporters"));
  auto accepted = server_->call("POST", "/api/v1/cases/" + created["id"].dump() + "/actions",
                                admin_, json{{"action", "accept"}});
  ASSERT_EQ(accepted.status, 200) << accepted.raw;
  auto [next_id, next] = stream.next("case");
  EXPECT_EQ(next["status"], accepted.body["status"]);
  EXPECT_EQ(next["last_action"], "accept");
}

TEST_F(AlertsTest, AFaceCaptureLikeAWatchedFaceRaisesAnAlertWithItsSimilarity) {
  post(admin_, "/api/v1/devices",
       {{"id", "cam-3"}, {"name", "北门抓拍"}, {"kind", "face_camera"}, {"estate_id", estate_}});
  json list = post(police_, "/api/v1/watchlists",
                   {{"name", "网上逃犯"},
                    {"kind", "person"},
                    {"reason", "网上追逃"},
                    {"requested_by", "刑警队 王伟"},
                    {"valid_from", "2026-11-01T00:00:00+08:00"},
                    {"threshold", 0.8}});
  std::vector<float> face(128), other(128), capture(128);
  for (int i = 0; i < 128; ++i) {
    face[i] = std::sin(0.37f * static_cast<float>(i) + 1.0f);
    other[i] = std::cos(1.91f * static_cast<float>(i) * static_cast<float>(i));
    capture[i] = face[i] + 0.15f * std::cos(5.3f * static_cast<float>(i));
  }
  post(police_, "/api/v1/watchlists/" + list["id"].dump() + "/entries",
       {{"entries",
         {{{"name", "刘某"}, {"faces", {face}}}, {{"name", "陈某"}, {"faces", {other}}}}}});
  ingest(json::array({{{"device_id", "cam-3"},
                       {"event_id", "f-1"},
                       {"ts", "2026-11-30T21:30:00+08:00"},
                       {"kind", "face_capture"},
                       {"embedding", capture}}}));
  json alert = awaitAlert(police_, "kind=watchlist_person");
  ASSERT_FALSE(alert.is_null());
  EXPECT_EQ(alert["subject"]["name"], "刘某");
  auto full = server_->call("GET", "/api/v1/alerts/" + alert["id"].dump(), police_);
  ASSERT_EQ(full.status, 200);
  EXPECT_GT(full.body["events"][0]["detail"]["similarity"].get<double>(), 0.8);
}

TEST_F(AlertsTest, BadRulesAndEntriesAreRefusedNamingTheField) {
  auto field = [](const std::string& path, const json& body) {
    auto r = server_->call("POST", path, police_, body);
    EXPECT_EQ(r.status, 400) << r.raw;
    return r.body["error"]["field"].get<std::string>();
  };
  EXPECT_EQ(field("/api/v1/alert-rules", {{"name", "x"}, {"kind", "weather"}}), "kind");
  EXPECT_EQ(field("/api/v1/alert-rules",
                  {{"name", "x"}, {"kind", "elderly_no_passage"}, {"params", {{"hours", -1}}}}),
            "params.hours");
  json list = post(police_, "/api/v1/watchlists",
                   {{"name", "在逃人员"},
                    {"kind", "person"},
                    {"reason", "网上追逃"},
                    {"requested_by", "刑警队 王伟"}});
  const std::string entries = "/api/v1/watchlists/" + list["id"].dump() + "/entries";
  EXPECT_EQ(field(entries, {{"name", "张某"}, {"faces", {std::vector<float>(127, 0.1f)}}}),
            "faces[0]");
  EXPECT_EQ(field(entries, {{"name", "张某"}, {"faces", {std::vector<float>(128, 0.0f)}}}),
            "faces[0]");
  EXPECT_EQ(field(entries, {{"name", "张某"}}), "id_number");
  EXPECT_EQ(field("/api/v1/watchlists", {{"name", "x"},
                                         {"kind", "person"},
                                         {"reason", "r"},
                                         {"requested_by", "y"},
                                         {"threshold", 2}}),
            "threshold");
  EXPECT_EQ(server_->call("POST", "/api/v1/watchlists", resident_, json{{"name", "x"}}).status,
            403);
  auto resume =
      server_->request("GET", "/api/v1/alerts/stream",
                       {{"Authorization", "Bearer " + police_}, {"Last-Event-ID", "x1"}}, "");
  EXPECT_EQ(resume.status, 400);
  EXPECT_EQ(resume.body["error"]["field"], "Last-Event-ID");
}

}  // namespace
}  // namespace anju::testing
