// Device events through the real server: signed batches, bad events rejected one by one, replays
// counted as duplicates, and trajectories across estates in time order within the caller's scope.
#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <thread>

#include "anju_server.h"
#include "common/crypto.h"

namespace anju::testing {
namespace {

using nlohmann::json;

class EventsTest : public ::testing::Test {
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
    estate_a_ = post("/api/v1/estates", {{"name", "金色家园"}, {"region_id", north_}})["id"];
    estate_b_ = post("/api/v1/estates", {{"name", "海景花园"}, {"region_id", south_}})["id"];
    person_ = post("/api/v1/persons", {{"name", "王建国"}, {"category", "registered"}})["id"];
    post("/api/v1/vehicles", {{"plate", "冀C·12345"}, {"person_id", person_}});
    auto a = post("/api/v1/devices", {{"id", "gate-a"},
                                      {"name", "东门"},
                                      {"kind", "door"},
                                      {"estate_id", estate_a_},
                                      {"direction", "in"}});
    secret_a_ = a["secret"];
    auto b = post("/api/v1/devices",
                  {{"id", "gate-b"}, {"name", "南门"}, {"kind", "door"}, {"estate_id", estate_b_}});
    secret_b_ = b["secret"];
    auto barrier = post(
        "/api/v1/devices",
        {{"id", "barrier-b"}, {"name", "车库道闸"}, {"kind", "barrier"}, {"estate_id", estate_b_}});
    secret_barrier_ = barrier["secret"];
    auto officer = server_->call("POST", "/api/v1/users", token_,
                                 json{{"username", "north_police"},
                                      {"password", "north-police-pass"},
                                      {"roles", {"police"}},
                                      {"region_id", north_}});
    ASSERT_EQ(officer.status, 201) << officer.raw;
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
  static ApiResponse send(const std::string& device, const std::string& secret,
                          const std::string& body) {
    return server_->request(
        "POST", "/api/v1/events",
        {{"X-Anju-Device", device}, {"X-Anju-Signature", crypto::hmacSha256Hex(secret, body)}},
        body, "application/x-ndjson");
  }
  static std::string access(const std::string& id, const std::string& ts,
                            const std::string& extra = "") {
    return R"({"event_id":")" + id + R"(","ts":")" + ts +
           R"(","kind":"access","method":"face","result":"granted","person_id":)" + person_.dump() +
           extra + "}";
  }
  static json trajectory(const std::string& query, const std::string& token) {
    auto r = server_->call("GET", "/api/v1/trajectory?" + query, token);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body;
  }

  static AnjuServer* server_;
  static std::string token_;
  static json north_, south_, estate_a_, estate_b_, person_;
  static std::string secret_a_, secret_b_, secret_barrier_;
};
AnjuServer* EventsTest::server_ = nullptr;
std::string EventsTest::token_;
json EventsTest::north_, EventsTest::south_, EventsTest::estate_a_, EventsTest::estate_b_,
    EventsTest::person_;
std::string EventsTest::secret_a_, EventsTest::secret_b_, EventsTest::secret_barrier_;

TEST_F(EventsTest, ASignedBatchIsStoredAndTheSameBatchAgainCountsAsDuplicates) {
  const std::string body = access("dup-1", "2026-11-20T08:00:00+08:00") + "\n" +
                           access("dup-2", "2026-11-20T08:01:00+08:00") + "\n";
  auto first = send("gate-a", secret_a_, body);
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body["accepted"], 2);
  EXPECT_EQ(first.body["duplicates"], 0);
  EXPECT_EQ(first.body["rejected"], json::array());
  auto again = send("gate-a", secret_a_, body);
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.body["accepted"], 0);
  EXPECT_EQ(again.body["duplicates"], 2);
}

TEST_F(EventsTest, BadEventsAreRejectedOneByOneAndTheRestOfTheBatchIsStored) {
  const std::string body =
      access("half-1", "2026-11-20T09:00:00+08:00") + "\n" +
      access("half-2", "2099-01-01T00:00:00+08:00") + "\n" +  // far in the future
      R"({"event_id":"half-3","ts":"2026-11-20T09:00:00+08:00","kind":"face_capture","embedding":[0.1,0.2]})" +
      "\n" + R"({"event_id":"half-4","ts":"2026-11-20T09:00:00+08:00","kind":"teleport"})" + "\n" +
      "{not json\n" +
      R"({"event_id":"half-6","device_id":"gate-b","ts":"2026-11-20T09:00:00+08:00","kind":"heartbeat"})" +
      "\n" +
      R"({"event_id":"half-7","ts":"2026-11-20T09:00:00+08:00","kind":"access","method":"face","result":"maybe"})" +
      "\n" + access("half-8", "2026-11-20T09:05:00+08:00") + "\n";
  auto r = send("gate-a", secret_a_, body);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["accepted"], 2);
  const json& rejected = r.body["rejected"];
  ASSERT_EQ(rejected.size(), 6u) << r.raw;
  const std::vector<std::pair<int, std::string>> expected{
      {1, "ts"}, {2, "embedding"}, {3, "kind"}, {4, ""}, {5, "device_id"}, {6, "result"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(rejected[i]["index"], expected[i].first) << rejected[i];
    EXPECT_EQ(rejected[i].value("field", ""), expected[i].second) << rejected[i];
    EXPECT_FALSE(rejected[i]["error"].get<std::string>().empty());
  }
}

TEST_F(EventsTest, AForgedOrMissingSignatureIsRefusedAndNothingIsStored) {
  const std::string body = access("forged-1", "2026-11-20T10:00:00+08:00");
  auto forged = server_->request(
      "POST", "/api/v1/events",
      {{"X-Anju-Device", "gate-a"}, {"X-Anju-Signature", crypto::hmacSha256Hex("guess", body)}},
      body);
  EXPECT_EQ(forged.status, 401);
  EXPECT_EQ(forged.body["error"]["field"], "X-Anju-Signature");
  auto unsigned_body = server_->request("POST", "/api/v1/events", {}, body);
  EXPECT_EQ(unsigned_body.status, 401);
  auto unknown = send("no-such-device", secret_a_, body);
  EXPECT_EQ(unknown.status, 401);
  // Another device's secret does not sign for this one.
  auto borrowed = send("gate-a", secret_b_, body);
  EXPECT_EQ(borrowed.status, 401);
  auto events = server_->call("GET", "/api/v1/events?device_id=gate-a&limit=1000", token_);
  for (const auto& e : events.body["items"]) EXPECT_NE(e["event_id"], "forged-1");
}

TEST_F(EventsTest, AnAdministratorsBatchNamesEachDeviceAndUnknownDevicesAreRejected) {
  json batch = json::array();
  batch.push_back(json::parse(access("admin-1", "2026-11-20T11:00:00+08:00")));
  batch.back()["device_id"] = "gate-b";
  batch.push_back({{"event_id", "admin-2"},
                   {"device_id", "ghost"},
                   {"ts", "2026-11-20T11:00:00+08:00"},
                   {"kind", "heartbeat"}});
  auto r = server_->call("POST", "/api/v1/events", token_, batch);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["accepted"], 1);
  ASSERT_EQ(r.body["rejected"].size(), 1u);
  EXPECT_EQ(r.body["rejected"][0]["index"], 1);
  EXPECT_EQ(r.body["rejected"][0]["field"], "device_id");
  // A malformed JSON array cannot be split into events: the whole body is refused.
  auto broken = server_->call("POST", "/api/v1/events", token_, std::string("[{\"event_id\":"));
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(broken.body["error"]["field"], "body");
}

TEST_F(EventsTest, AGzipBatchIsInflatedAndAnInvalidOneRefused) {
  const std::string body = access("gzip-1", "2026-11-20T12:00:00+08:00") + "\n";
  std::string compressed(compressBound(body.size()) + 32, '\0');
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(compressed.data());
  z.avail_out = static_cast<uInt>(compressed.size());
  ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  compressed.resize(z.total_out);
  deflateEnd(&z);
  auto r = server_->request("POST", "/api/v1/events",
                            {{"X-Anju-Device", "gate-a"},
                             {"X-Anju-Signature", crypto::hmacSha256Hex(secret_a_, compressed)},
                             {"Content-Encoding", "gzip"}},
                            compressed, "application/x-ndjson");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["accepted"], 1);
  const std::string junk = "definitely not gzip";
  auto bad = server_->request("POST", "/api/v1/events",
                              {{"X-Anju-Device", "gate-a"},
                               {"X-Anju-Signature", crypto::hmacSha256Hex(secret_a_, junk)},
                               {"Content-Encoding", "gzip"}},
                              junk);
  EXPECT_EQ(bad.status, 400);
}

TEST_F(EventsTest, ATrajectoryJoinsBothEstatesAndTheCarOldestFirstAndPages) {
  ASSERT_EQ(send("gate-b", secret_b_,
                 access("traj-b1", "2026-11-02T19:30:00+08:00") + "\n" +
                     access("traj-b2", "2026-11-01T07:10:00+08:00"))
                .status,
            200);
  ASSERT_EQ(send("gate-a", secret_a_, access("traj-a1", "2026-11-01T18:00:00+08:00")).status, 200);
  ASSERT_EQ(
      send(
          "barrier-b", secret_barrier_,
          R"({"event_id":"traj-car","ts":"2026-11-02T08:00:00+08:00","kind":"vehicle","plate":"冀c12345","direction":"out","result":"granted"})")
          .status,
      200);
  const std::string query =
      "person_id=" + person_.dump() + "&from=2026-11-01&to=2026-11-03&purpose=" + "寻找走失老人";
  json all = trajectory(query, token_);
  std::vector<std::string> ids;
  for (const auto& item : all["items"]) ids.push_back(item["event_id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"traj-b2", "traj-a1", "traj-car", "traj-b1"}));
  EXPECT_EQ(all["items"][0]["estate_id"], estate_b_);
  EXPECT_EQ(all["items"][1]["estate_id"], estate_a_);
  EXPECT_EQ(all["items"][2]["source"], "vehicle");
  EXPECT_EQ(all["items"][2]["plate"], "冀C12345");
  EXPECT_EQ(all["items"][0]["source"], "access");
  EXPECT_EQ(all["items"][0]["ts"], "2026-11-01T07:10:00.000+08:00");
  EXPECT_TRUE(all["next"].is_null());

  json first = trajectory(query + "&limit=3", token_);
  ASSERT_EQ(first["items"].size(), 3u);
  ASSERT_TRUE(first["next"].is_string());
  json rest = trajectory(query + "&limit=3&cursor=" + first["next"].get<std::string>(), token_);
  ASSERT_EQ(rest["items"].size(), 1u);
  EXPECT_EQ(rest["items"][0]["event_id"], "traj-b1");

  json car = trajectory("plate=冀C12345&purpose=核查车辆", token_);
  ASSERT_EQ(car["items"].size(), 1u);
  EXPECT_EQ(car["items"][0]["event_id"], "traj-car");
}

TEST_F(EventsTest, ATrajectoryNeedsAPurposeAndIsAuditedWithIt) {
  auto refused = server_->call("GET", "/api/v1/trajectory?person_id=" + person_.dump(), token_);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body["error"]["field"], "purpose");
  trajectory("person_id=" + person_.dump() + "&purpose=audit-check-7731", token_);
  auto audit = server_->call("GET", "/api/v1/audit?object=persons&limit=200", token_);
  bool found = false;
  for (const auto& e : audit.body["items"]) {
    found = found || (e["action"] == "trajectory" && e.value("purpose", "") == "audit-check-7731");
  }
  EXPECT_TRUE(found) << audit.raw;
  auto unknown = server_->call("GET", "/api/v1/trajectory?person_id=999999&purpose=x", token_);
  EXPECT_EQ(unknown.status, 404);
}

TEST_F(EventsTest, AnOfficerSeesOnlyThePassagesInTheirOwnStreet) {
  ASSERT_EQ(send("gate-a", secret_a_, access("scope-a", "2026-11-05T08:00:00+08:00")).status, 200);
  ASSERT_EQ(send("gate-b", secret_b_, access("scope-b", "2026-11-05T09:00:00+08:00")).status, 200);
  const std::string officer = server_->login("north_police", "north-police-pass");
  json seen = trajectory(
      "person_id=" + person_.dump() + "&from=2026-11-05&to=2026-11-06&purpose=走访核查", officer);
  ASSERT_EQ(seen["items"].size(), 1u) << seen;
  EXPECT_EQ(seen["items"][0]["event_id"], "scope-a");
  json admin = trajectory(
      "person_id=" + person_.dump() + "&from=2026-11-05&to=2026-11-06&purpose=走访核查", token_);
  EXPECT_EQ(admin["items"].size(), 2u);
}

TEST_F(EventsTest, ASnapshotSentWithAnEventIsKeptAndShownToStaff) {
  const std::string image = "\xFF\xD8\xFF\xE0 pretend jpeg";
  const std::string body =
      R"({"event_id":"snap-1","ts":"2026-11-20T13:00:00+08:00","kind":"alarm","type":"intrusion","image":")" +
      crypto::base64Encode(image) + "\"}";
  ASSERT_EQ(send("gate-a", secret_a_, body).status, 200);
  auto events = server_->call(
      "GET", "/api/v1/events?device_id=gate-a&from=2026-11-20T13:00:00%2B08:00&to=2026-11-21",
      token_);
  ASSERT_EQ(events.status, 200) << events.raw;
  std::string hash;
  for (const auto& e : events.body["items"]) {
    if (e["event_id"] == "snap-1") hash = e["snapshot"];
  }
  ASSERT_EQ(hash.size(), 64u) << events.raw;
  auto snapshot = server_->call("GET", "/api/v1/snapshots/" + hash, token_);
  EXPECT_EQ(snapshot.status, 200);
  EXPECT_EQ(snapshot.raw, image);
  EXPECT_EQ(snapshot.header("content-type"), "image/jpeg");
  EXPECT_EQ(server_->call("GET", "/api/v1/snapshots/" + std::string(64, 'a'), token_).status, 404);
  EXPECT_EQ(server_->call("GET", "/api/v1/snapshots/not-a-hash", token_).status, 400);
}

TEST_F(EventsTest, ASnapshotMayComeAsABinaryPartBesideTheBatch) {
  const std::string image = std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0binary\xff", 8);
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"events\"\r\n"
      "Content-Type: application/x-ndjson\r\n\r\n"
      R"({"event_id":"part-1","ts":"2026-11-20T15:00:00+08:00","kind":"alarm","type":"fence","image_part":"shot"})"
      "\n"
      R"({"event_id":"part-2","ts":"2026-11-20T15:00:01+08:00","kind":"alarm","type":"fence","image_part":"missing"})"
      "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"shot\"; filename=\"shot.png\"\r\n"
      "Content-Type: image/png\r\n\r\n" +
      image + "\r\n--XyZ--\r\n";
  auto r = server_->request(
      "POST", "/api/v1/events",
      {{"X-Anju-Device", "gate-a"}, {"X-Anju-Signature", crypto::hmacSha256Hex(secret_a_, body)}},
      body, "multipart/form-data; boundary=XyZ");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["accepted"], 1);
  ASSERT_EQ(r.body["rejected"].size(), 1u);
  EXPECT_EQ(r.body["rejected"][0]["field"], "image_part");
  auto snapshot = server_->call("GET", "/api/v1/snapshots/" + crypto::sha256Hex(image), token_);
  EXPECT_EQ(snapshot.status, 200);
  EXPECT_EQ(snapshot.raw, image);
  EXPECT_EQ(snapshot.header("content-type"), "image/png");
  const std::string broken = "--XyZ\r\nno headers here";
  auto bad = server_->request(
      "POST", "/api/v1/events",
      {{"X-Anju-Device", "gate-a"}, {"X-Anju-Signature", crypto::hmacSha256Hex(secret_a_, broken)}},
      broken, "multipart/form-data; boundary=XyZ");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["field"], "body");
}

TEST_F(EventsTest, ADeviceThatSpeaksIsOnlineAndItsTransitionRecorded) {
  ASSERT_EQ(send("gate-b", secret_b_,
                 R"({"event_id":"hb-1","ts":"2026-11-20T14:00:00+08:00","kind":"heartbeat"})")
                .status,
            200);
  // Transitions are written by the server's once-a-second health pass: wait for it.
  bool online = false;
  ApiResponse changes;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!online && std::chrono::steady_clock::now() < deadline) {
    changes = server_->call("GET", "/api/v1/devices/status-changes", token_);
    ASSERT_EQ(changes.status, 200);
    for (const auto& c : changes.body["items"]) {
      online = online || (c["device_id"] == "gate-b" && c["online"] == true);
    }
    if (!online) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(online) << changes.raw;
}

}  // namespace
}  // namespace anju::testing
