// Access control through the real server: doors sign their requests, residents issue passes and
// answer phone requests, terminals sync, and every refusal names its reason.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>

#include "anju_server.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "http/client.h"

namespace anju::testing {
namespace {

using nlohmann::json;

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string iso(int64_t ms) {
  return formatTimestamp(ms, 480);
}

constexpr int64_t kHour = 3600 * 1000;

class AccessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(crypto::initialize());
    server_ = new AnjuServer();
    admin_ = server_->adminToken();
    auto region = [](const char* name) {
      return post(admin_, "/api/v1/regions", {{"name", name}, {"level", "community"}})["id"];
    };
    json here = region("和平社区");
    json there = region("幸福社区");
    estate_ = post(admin_, "/api/v1/estates", {{"name", "锦绣花园"}, {"region_id", here}})["id"];
    far_estate_ =
        post(admin_, "/api/v1/estates", {{"name", "阳光小区"}, {"region_id", there}})["id"];
    host_ = post(admin_, "/api/v1/persons",
                 {{"name", "张伟"}, {"category", "registered"}, {"estate_id", estate_}})["id"];
    neighbour_ = post(admin_, "/api/v1/persons",
                      {{"name", "李娜"}, {"category", "registered"}, {"estate_id", estate_}})["id"];
    gate_secret_ = device("gate", estate_, "door");
    unit_secret_ = device("b1-unit1", estate_, "door");
    far_secret_ = device("far-gate", far_estate_, "door");
    post(admin_, "/api/v1/access_groups",
         {{"name", "住户"},
          {"estate_id", estate_},
          {"device_ids", {"gate"}},
          {"person_ids", {host_, neighbour_}}});
    post(admin_, "/api/v1/users",
         {{"username", "zhangwei"},
          {"password", "resident-pass-1"},
          {"roles", {"resident"}},
          {"region_id", here},
          {"person_id", host_}});
    post(admin_, "/api/v1/users",
         {{"username", "lina"},
          {"password", "resident-pass-2"},
          {"roles", {"resident"}},
          {"region_id", here},
          {"person_id", neighbour_}});
    post(admin_, "/api/v1/users",
         {{"username", "far_guard"},
          {"password", "security-pass-1"},
          {"roles", {"security"}},
          {"region_id", there}});
    resident_ = server_->login("zhangwei", "resident-pass-1");
    neighbour_token_ = server_->login("lina", "resident-pass-2");
    far_guard_ = server_->login("far_guard", "security-pass-1");
    client_ = new http::Client("127.0.0.1", server_->port());
  }
  static void TearDownTestSuite() {
    delete client_;
    delete server_;
  }

  static json post(const std::string& token, const std::string& path, const json& body) {
    auto r = server_->call("POST", path, token, body);
    EXPECT_EQ(r.status, 201) << path << ": " << r.raw;
    return r.body;
  }

  static std::string device(const std::string& id, const json& estate, const std::string& kind) {
    auto created = post(
        admin_, "/api/v1/devices",
        {{"id", id}, {"name", id}, {"kind", kind}, {"estate_id", estate}, {"direction", "in"}});
    return created.value("secret", "");
  }

  // A request signed as a door: HMAC-SHA256 of the body, or of the target when there is none.
  static ApiResponse signedCall(const std::string& method, const std::string& target,
                                const std::string& device_id, const std::string& secret,
                                const json& body = nullptr) {
    std::string text = body.is_null() ? std::string() : body.dump();
    std::string signature = crypto::hmacSha256Hex(secret, text.empty() ? target : text);
    auto r = client_->request(method, target, text,
                              {{"X-Anju-Device", device_id}, {"X-Anju-Signature", signature}});
    EXPECT_TRUE(r) << r.status().message();
    ApiResponse out;
    out.status = r->status;
    out.raw = r->body;
    out.body = json::parse(r->body, nullptr, false);
    return out;
  }

  static ApiResponse verifyAtGate(const json& body) {
    return signedCall("POST", "/api/v1/access/verify", "gate", gate_secret_, body);
  }

  static json issuePass(const json& body) {
    auto r = server_->call("POST", "/api/v1/visitor-passes", resident_, body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body;
  }

  // Changes a pass's window behind the server's back, as time passing would.
  static void setPassWindow(int64_t pass_id, int64_t from, int64_t to) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((server_->dataDir() + "/anju.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    std::string sql = "UPDATE visitor_passes SET valid_from = " + std::to_string(from) +
                      ", valid_to = " + std::to_string(to) +
                      " WHERE id = " + std::to_string(pass_id);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
  }

  static AnjuServer* server_;
  static http::Client* client_;
  static std::string admin_, resident_, neighbour_token_, far_guard_;
  static std::string gate_secret_, unit_secret_, far_secret_;
  static json estate_, far_estate_, host_, neighbour_;
};

AnjuServer* AccessTest::server_ = nullptr;
http::Client* AccessTest::client_ = nullptr;
std::string AccessTest::admin_, AccessTest::resident_, AccessTest::neighbour_token_,
    AccessTest::far_guard_;
std::string AccessTest::gate_secret_, AccessTest::unit_secret_, AccessTest::far_secret_;
json AccessTest::estate_, AccessTest::far_estate_, AccessTest::host_, AccessTest::neighbour_;

TEST_F(AccessTest, AResidentsLoginShowsTheirPerson) {
  auto me = server_->call("GET", "/api/v1/auth/me", resident_);

  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_EQ(me.body["person_id"], host_);
}

TEST_F(AccessTest, AOneUseVisitorCodeOpensOnceAndThenIsUsedUp) {
  json pass =
      issuePass({{"visitor_name", "王芳"}, {"valid_to", iso(nowMs() + kHour)}, {"uses", 1}});
  ASSERT_EQ(pass["code"].get<std::string>().size(), 6u);
  EXPECT_EQ(pass["host_person_id"], host_);
  EXPECT_EQ(pass["qr"], "ANJU1:" + std::to_string(pass["id"].get<int64_t>()) + ":" +
                            pass["code"].get<std::string>());

  auto first = verifyAtGate({{"method", "code"}, {"code", pass["code"]}});
  auto second = verifyAtGate({{"method", "code"}, {"code", pass["code"]}});

  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_TRUE(first.body["granted"]);
  EXPECT_EQ(first.body["reason"], "visitor");
  EXPECT_EQ(first.body["pass_id"], pass["id"]);
  ASSERT_EQ(second.status, 200) << second.raw;
  EXPECT_FALSE(second.body["granted"]);
  EXPECT_EQ(second.body["reason"], "pass_used_up");
  // The code is shown once only.
  auto read = server_->call("GET", "/api/v1/visitor-passes/" + pass["id"].dump(), resident_);
  EXPECT_EQ(read.status, 200);
  EXPECT_FALSE(read.body.contains("code"));
  EXPECT_EQ(read.body["status"], "used_up");
}

TEST_F(AccessTest, AVisitorCodeIsRefusedBeforeItsWindowAndAfterIt) {
  json pass = issuePass({{"visitor_name", "赵强"},
                         {"valid_from", iso(nowMs() + kHour)},
                         {"valid_to", iso(nowMs() + 2 * kHour)},
                         {"uses", 5}});

  auto early = verifyAtGate({{"method", "code"}, {"code", pass["code"]}});
  setPassWindow(pass["id"], nowMs() - 2 * kHour, nowMs() - kHour);
  auto late = verifyAtGate({{"method", "code"}, {"code", pass["code"]}});

  EXPECT_EQ(early.body["reason"], "pass_not_yet_valid") << early.raw;
  EXPECT_EQ(late.body["reason"], "pass_expired") << late.raw;
  EXPECT_FALSE(late.body["granted"]);
}

TEST_F(AccessTest, ARevokedPassOpensNothing) {
  json pass = issuePass({{"visitor_name", "钱七"}, {"valid_to", iso(nowMs() + kHour)}});

  auto revoked = server_->call("POST", "/api/v1/visitor-passes/" + pass["id"].dump() + "/revoke",
                               resident_, std::string());
  auto tried = verifyAtGate({{"method", "code"}, {"code", pass["code"]}});

  EXPECT_EQ(revoked.status, 200) << revoked.raw;
  EXPECT_EQ(tried.body["reason"], "pass_revoked") << tried.raw;
}

TEST_F(AccessTest, AnotherResidentCannotReadOrRevokeMyPass) {
  json pass = issuePass({{"visitor_name", "孙八"}, {"valid_to", iso(nowMs() + kHour)}});

  auto read = server_->call("GET", "/api/v1/visitor-passes/" + pass["id"].dump(), neighbour_token_);
  auto revoke = server_->call("POST", "/api/v1/visitor-passes/" + pass["id"].dump() + "/revoke",
                              neighbour_token_, std::string());
  auto mine = server_->call("GET", "/api/v1/visitor-passes", neighbour_token_);

  EXPECT_EQ(read.status, 403);
  EXPECT_EQ(revoke.status, 403);
  ASSERT_EQ(mine.status, 200);
  for (const auto& p : mine.body["items"]) EXPECT_EQ(p["host_person_id"], neighbour_);
}

TEST_F(AccessTest, ARevokedCardIsRefusedAndTheTerminalSyncsItsTombstone) {
  json card = post(admin_, "/api/v1/credentials",
                   {{"person_id", host_}, {"type", "card"}, {"value", "CARD-0042"}});
  auto full = signedCall("GET", "/api/v1/devices/gate/credentials", "gate", gate_secret_);
  ASSERT_EQ(full.status, 200) << full.raw;
  bool listed = false;
  for (const auto& item : full.body["items"])
    listed = listed || item.value("value", "") == "CARD-0042";
  EXPECT_TRUE(listed) << full.raw;
  EXPECT_TRUE(verifyAtGate({{"method", "card"}, {"credential", "CARD-0042"}}).body["granted"]);

  auto deleted = server_->call("DELETE", "/api/v1/credentials/" + card["id"].dump(), admin_);
  ASSERT_EQ(deleted.status, 200) << deleted.raw;
  auto refused = verifyAtGate({{"method", "card"}, {"credential", "CARD-0042"}});
  std::string target =
      "/api/v1/devices/gate/credentials?since=" + full.body["next"].get<std::string>();
  auto changes = signedCall("GET", target, "gate", gate_secret_);

  EXPECT_FALSE(refused.body["granted"]);
  EXPECT_EQ(refused.body["reason"], "unknown_credential");
  ASSERT_EQ(changes.status, 200) << changes.raw;
  ASSERT_EQ(changes.body["items"].size(), 1u) << changes.raw;
  EXPECT_EQ(changes.body["items"][0]["credential_id"], card["id"]);
  EXPECT_EQ(changes.body["items"][0]["value"], "CARD-0042");
  EXPECT_EQ(changes.body["items"][0]["deleted"], true);
}

TEST_F(AccessTest, APersonRemovedFromTheGroupIsDroppedAtTheNextSync) {
  json person = post(admin_, "/api/v1/persons",
                     {{"name", "周九"}, {"category", "tenant"}, {"estate_id", estate_}});
  post(admin_, "/api/v1/credentials",
       {{"person_id", person["id"]}, {"type", "pin"}, {"value", "7788"}});
  json group = post(admin_, "/api/v1/access_groups",
                    {{"name", "租户"},
                     {"estate_id", estate_},
                     {"device_ids", {"b1-unit1"}},
                     {"person_ids", {person["id"]}}});
  auto full = signedCall("GET", "/api/v1/devices/b1-unit1/credentials", "b1-unit1", unit_secret_);
  ASSERT_EQ(full.status, 200) << full.raw;

  auto patched = server_->call("PATCH", "/api/v1/access_groups/" + group["id"].dump(), admin_,
                               json{{"person_ids", json::array()}});
  ASSERT_EQ(patched.status, 200) << patched.raw;
  auto changes = signedCall(
      "GET", "/api/v1/devices/b1-unit1/credentials?since=" + full.body["next"].get<std::string>(),
      "b1-unit1", unit_secret_);

  ASSERT_EQ(changes.status, 200) << changes.raw;
  ASSERT_EQ(changes.body["items"].size(), 1u) << changes.raw;
  EXPECT_EQ(changes.body["items"][0], (json{{"person_id", person["id"]}, {"deleted", true}}));
}

TEST_F(AccessTest, ADoorReadsOnlyItsOwnCredentialList) {
  auto other = signedCall("GET", "/api/v1/devices/gate/credentials", "b1-unit1", unit_secret_);

  EXPECT_EQ(other.status, 403) << other.raw;
}

TEST_F(AccessTest, AHostApprovesAPhoneRequestAndTheDoorOpensOnce) {
  auto asked = signedCall("POST", "/api/v1/access/phone-requests", "gate", gate_secret_,
                          {{"host_person_id", host_}, {"visitor_name", "快递员"}});
  ASSERT_EQ(asked.status, 201) << asked.raw;
  const std::string path = "/api/v1/access/phone-requests/" + asked.body["id"].dump();

  auto pending = signedCall("GET", path, "gate", gate_secret_);
  auto by_other = server_->call("POST", path + "/approve", neighbour_token_, std::string());
  auto approved = server_->call("POST", path + "/approve", resident_, std::string());
  auto opened = signedCall("GET", path, "gate", gate_secret_);
  auto again = signedCall("GET", path, "gate", gate_secret_);

  EXPECT_EQ(pending.body["status"], "pending") << pending.raw;
  EXPECT_FALSE(pending.body["open"]);
  EXPECT_EQ(by_other.status, 403);
  EXPECT_EQ(approved.status, 200) << approved.raw;
  EXPECT_EQ(approved.body["status"], "approved");
  EXPECT_TRUE(opened.body["open"]) << opened.raw;
  EXPECT_FALSE(again.body["open"]);
  EXPECT_EQ(again.body["status"], "used");
}

TEST_F(AccessTest, AHostRefusesAPhoneRequestAndTheDoorStaysShut) {
  auto asked = signedCall("POST", "/api/v1/access/phone-requests", "gate", gate_secret_,
                          {{"host_person_id", host_}, {"visitor_name", "推销员"}});
  ASSERT_EQ(asked.status, 201) << asked.raw;
  const std::string path = "/api/v1/access/phone-requests/" + asked.body["id"].dump();

  auto refused = server_->call("POST", path + "/refuse", resident_, std::string());
  auto polled = signedCall("GET", path, "gate", gate_secret_);
  auto late_approval = server_->call("POST", path + "/approve", resident_, std::string());

  EXPECT_EQ(refused.status, 200) << refused.raw;
  EXPECT_EQ(polled.body["status"], "refused");
  EXPECT_FALSE(polled.body["open"]);
  EXPECT_EQ(late_approval.status, 409);
}

TEST_F(AccessTest, RemoteOpeningADoorOutsideMyGroupsIsForbidden) {
  auto mine =
      server_->call("POST", "/api/v1/access/remote-open", resident_, json{{"device_id", "gate"}});
  auto not_mine = server_->call("POST", "/api/v1/access/remote-open", resident_,
                                json{{"device_id", "b1-unit1"}});

  EXPECT_EQ(mine.status, 200) << mine.raw;
  EXPECT_TRUE(mine.body["granted"]);
  EXPECT_EQ(not_mine.status, 403) << not_mine.raw;
  EXPECT_EQ(not_mine.body["error"]["code"], "forbidden");
}

TEST_F(AccessTest, ADeviceSigningWithAWrongSecretIsUnauthenticated) {
  auto forged = signedCall("POST", "/api/v1/access/verify", "gate", "not-the-secret",
                           {{"method", "card"}, {"credential", "X"}});

  EXPECT_EQ(forged.status, 401) << forged.raw;
}

TEST_F(AccessTest, ADoorSpeaksOnlyForItself) {
  auto r = verifyAtGate({{"device_id", "far-gate"}, {"method", "card"}, {"credential", "X"}});

  EXPECT_EQ(r.status, 403) << r.raw;
}

TEST_F(AccessTest, AGuardOutsideTheEstatesRegionCanNeitherVerifyNorIssuePasses) {
  auto verify = server_->call("POST", "/api/v1/access/verify", far_guard_,
                              json{{"device_id", "gate"}, {"method", "card"}, {"credential", "X"}});
  auto pass = server_->call(
      "POST", "/api/v1/visitor-passes", far_guard_,
      json{
          {"host_person_id", host_}, {"visitor_name", "王五"}, {"valid_to", iso(nowMs() + kHour)}});
  auto own =
      server_->call("POST", "/api/v1/access/verify", far_guard_,
                    json{{"device_id", "far-gate"}, {"method", "card"}, {"credential", "X"}});

  EXPECT_EQ(verify.status, 403) << verify.raw;
  EXPECT_EQ(pass.status, 403) << pass.raw;
  EXPECT_EQ(own.status, 200) << own.raw;
  EXPECT_EQ(own.body["reason"], "unknown_credential");
}

TEST_F(AccessTest, ADoorDisplayShowsTheCurrentAnnouncementsOfItsEstate) {
  post(admin_, "/api/v1/announcements",
       {{"title", "寻狗启事"},
        {"body", "金毛，3岁，走失于1号楼附近"},
        {"category", "lost_pet"},
        {"estate_id", estate_}});
  post(admin_, "/api/v1/announcements",
       {{"title", "已结束的施工"},
        {"body", "管道维修"},
        {"category", "works"},
        {"estate_id", estate_},
        {"valid_to", iso(nowMs() - kHour)}});
  post(admin_, "/api/v1/announcements",
       {{"title", "别的小区"},
        {"body", "停水"},
        {"category", "notice"},
        {"estate_id", far_estate_}});

  auto shown = signedCall("GET", "/api/v1/devices/gate/announcements", "gate", gate_secret_);
  auto portal = server_->call("GET", "/api/v1/portal/announcements", resident_);

  ASSERT_EQ(shown.status, 200) << shown.raw;
  ASSERT_EQ(shown.body["items"].size(), 1u) << shown.raw;
  EXPECT_EQ(shown.body["items"][0]["title"], "寻狗启事");
  ASSERT_EQ(portal.status, 200) << portal.raw;
  EXPECT_EQ(portal.body["items"].size(), 1u) << portal.raw;
}

}  // namespace
}  // namespace anju::testing
