// Search by face and trajectory fusion through the real server: captures sent by face cameras are
// found by their embedding, best first, only in the caller's estates, with the purpose audited;
// a person's trajectory includes captures like their enrolled face; the index is rebuilt from
// the store after a restart.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>
#include <set>
#include <thread>

#include "anju_server.h"
#include "common/crypto.h"

namespace anju::testing {
namespace {

using nlohmann::json;

std::vector<float> unit(std::vector<float> v) {
  double s = 0;
  for (float x : v) s += double{x} * x;
  for (auto& x : v) x = static_cast<float>(x / std::sqrt(s));
  return v;
}

std::vector<float> randomFace(uint64_t seed, int dim = 128) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> g;
  std::vector<float> v(dim);
  for (auto& x : v) x = g(rng);
  return unit(v);
}

// Another capture of the same face: cosine similarity about 0.9 with it.
std::vector<float> captureOf(const std::vector<float>& face, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> g(0, 0.45f / std::sqrt(static_cast<float>(face.size())));
  std::vector<float> v = face;
  for (auto& x : v) x += g(rng);
  return unit(v);
}

class FacesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto::initialize();
    server_ = new AnjuServer();
    token_ = server_->adminToken();
    auto city = post("/api/v1/regions", {{"name", "唐山市"}, {"level", "city"}});
    north_ = post("/api/v1/regions",
                  {{"name", "东街道"}, {"level", "street"}, {"parent_id", city["id"]}})["id"];
    south_ = post("/api/v1/regions",
                  {{"name", "西街道"}, {"level", "street"}, {"parent_id", city["id"]}})["id"];
    estate_a_ = post("/api/v1/estates", {{"name", "和平里"}, {"region_id", north_}})["id"];
    estate_b_ = post("/api/v1/estates", {{"name", "光明小区"}, {"region_id", south_}})["id"];
    secret_a_ = post("/api/v1/devices", {{"id", "face-a"},
                                         {"name", "东门人脸抓拍"},
                                         {"kind", "face_camera"},
                                         {"estate_id", estate_a_}})["secret"];
    secret_b_ = post("/api/v1/devices", {{"id", "face-b"},
                                         {"name", "南门人脸抓拍"},
                                         {"kind", "face_camera"},
                                         {"estate_id", estate_b_}})["secret"];
    auto officer = server_->call("POST", "/api/v1/users", token_,
                                 json{{"username", "east_police"},
                                      {"password", "east-police-pass"},
                                      {"roles", {"police"}},
                                      {"region_id", north_}});
    ASSERT_EQ(officer.status, 201) << officer.raw;

    // A stranger seen three times, at both estates, among forty other faces.
    stranger_ = randomFace(1);
    std::string a, b;
    for (int i = 0; i < 3; ++i) {
      (i == 1 ? b : a) += capture("stranger-" + std::to_string(i),
                                  "2026-11-0" + std::to_string(i + 1) + "T10:00:00+08:00",
                                  captureOf(stranger_, 100 + i));
    }
    for (int i = 0; i < 40; ++i) {
      (i % 2 ? a : b) +=
          capture("other-" + std::to_string(i), "2026-11-02T11:00:00+08:00", randomFace(1000 + i));
    }
    ASSERT_EQ(send("face-a", secret_a_, a).status, 200);
    ASSERT_EQ(send("face-b", secret_b_, b).status, 200);
    waitForIndexed(*server_, token_, 43);
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
  static std::string capture(const std::string& id, const std::string& ts,
                             const std::vector<float>& embedding) {
    return json{{"event_id", id}, {"ts", ts}, {"kind", "face_capture"}, {"embedding", embedding}}
               .dump() +
           "\n";
  }
  static ApiResponse send(const std::string& device, const std::string& secret,
                          const std::string& body) {
    return server_->request(
        "POST", "/api/v1/events",
        {{"X-Anju-Device", device}, {"X-Anju-Signature", crypto::hmacSha256Hex(secret, body)}},
        body, "application/x-ndjson");
  }
  // Captures are indexed by a thread of their own once stored: the test waits until the index
  // holds them (what it asserts is what the search answers, not how soon).
  static void waitForIndexed(AnjuServer& server, const std::string& token, std::size_t n) {
    for (int i = 0; i < 600; ++i) {
      auto status = server.call("GET", "/api/v1/faces/index", token);
      ASSERT_EQ(status.status, 200) << status.raw;
      if (status.body["indexed"].get<std::size_t>() >= n && !status.body["rebuilding"].get<bool>())
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the index never held " << n << " captures";
  }
  static ApiResponse search(json body, const std::string& token, AnjuServer* server = nullptr) {
    if (!body.contains("purpose")) body["purpose"] = "寻找可疑人员";
    return (server ? server : server_)->call("POST", "/api/v1/faces/search", token, body);
  }

  static AnjuServer* server_;
  static std::string token_;
  static json north_, south_, estate_a_, estate_b_;
  static std::string secret_a_, secret_b_;
  static std::vector<float> stranger_;
};
AnjuServer* FacesTest::server_ = nullptr;
std::string FacesTest::token_;
json FacesTest::north_, FacesTest::south_, FacesTest::estate_a_, FacesTest::estate_b_;
std::string FacesTest::secret_a_, FacesTest::secret_b_;
std::vector<float> FacesTest::stranger_;

TEST_F(FacesTest, SearchFindsEveryCaptureOfAFaceBestFirst) {
  auto r = search({{"embedding", captureOf(stranger_, 7)}, {"k", 5}}, token_);
  ASSERT_EQ(r.status, 200) << r.raw;
  const auto& items = r.body["items"];
  ASSERT_EQ(items.size(), 5u);
  std::set<std::string> best;
  for (int i = 0; i < 3; ++i) best.insert(items[i]["event_id"].get<std::string>());
  EXPECT_EQ(best, (std::set<std::string>{"stranger-0", "stranger-1", "stranger-2"}));
  EXPECT_GT(items[2]["similarity"].get<double>(), 0.7);
  EXPECT_LT(items[3]["similarity"].get<double>(), 0.5);
  for (std::size_t i = 1; i < items.size(); ++i)
    EXPECT_GE(items[i - 1]["similarity"].get<double>(), items[i]["similarity"].get<double>());
  EXPECT_EQ(items[0]["ts"].get<std::string>().substr(19), ".000+08:00");
  EXPECT_TRUE(items[0]["device_id"] == "face-a" || items[0]["device_id"] == "face-b");

  // A window and a threshold narrow it down.
  auto day2 = search({{"embedding", stranger_},
                      {"from", "2026-11-02"},
                      {"to", "2026-11-03"},
                      {"min_similarity", 0.6}},
                     token_);
  ASSERT_EQ(day2.status, 200) << day2.raw;
  ASSERT_EQ(day2.body["items"].size(), 1u);
  EXPECT_EQ(day2.body["items"][0]["event_id"], "stranger-1");
  EXPECT_EQ(day2.body["items"][0]["estate_id"], estate_b_);
}

TEST_F(FacesTest, AnOfficerFindsOnlyCapturesInTheirOwnStreet) {
  const std::string officer = server_->login("east_police", "east-police-pass");
  auto r = search({{"embedding", stranger_}, {"k", 100}}, officer);
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_FALSE(r.body["items"].empty());
  for (const auto& item : r.body["items"]) EXPECT_EQ(item["estate_id"], estate_a_) << item;
  auto other =
      search({{"embedding", stranger_}, {"estate_ids", json::array({estate_b_})}}, officer);
  EXPECT_EQ(other.status, 403) << other.raw;
  auto region = search({{"embedding", stranger_}, {"region_id", south_}}, officer);
  EXPECT_EQ(region.status, 403) << region.raw;
  // The administrator may narrow to the other street and sees only its estate.
  auto south = search({{"embedding", stranger_}, {"region_id", south_}, {"k", 100}}, token_);
  ASSERT_EQ(south.status, 200) << south.raw;
  for (const auto& item : south.body["items"]) EXPECT_EQ(item["estate_id"], estate_b_) << item;
}

TEST_F(FacesTest, BadSearchesAreRefusedNamingTheField) {
  std::vector<float> zero(128, 0.0f);
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"embedding", std::vector<float>(100, 0.5f)}}, "embedding"},
      {{{"embedding", zero}}, "embedding"},
      {{{"embedding", json::array({"a", "b"})}}, "embedding"},
      {{{"embedding", "not an array"}}, "embedding"},
      {json::object(), "embedding"},
      {{{"embedding", stranger_}, {"k", 0}}, "k"},
      {{{"embedding", stranger_}, {"k", 101}}, "k"},
      {{{"embedding", stranger_}, {"top_k", 2.5}}, "top_k"},
      {{{"embedding", stranger_}, {"min_similarity", 1.5}}, "min_similarity"},
      {{{"embedding", stranger_}, {"min_similarity", "high"}}, "min_similarity"},
      {{{"embedding", stranger_}, {"from", "2026-11-03"}, {"to", "2026-11-01"}}, "from"},
      {{{"embedding", stranger_}, {"from", "yesterday"}}, "from"},
      {{{"embedding", stranger_}, {"estate_ids", json::array({-3})}}, "estate_ids"},
      {{{"embedding", stranger_}, {"purpose", ""}}, "purpose"},
      {{{"photo", "/9j/4AAQSkZJRg=="}}, "photo"},
  };
  for (const auto& [body, field] : cases) {
    json request = body;
    if (field != "purpose") request["purpose"] = "核查";
    auto r = server_->call("POST", "/api/v1/faces/search", token_, request);
    EXPECT_EQ(r.status, 400) << body.dump().substr(0, 80) << ": " << r.raw;
    EXPECT_EQ(r.body["error"]["field"], field) << r.raw;
  }
  // A 1e39 does not fit a float: it would be infinite, and is refused like NaN.
  json huge = stranger_;
  huge[0] = 1e39;
  auto r = search({{"embedding", huge}}, token_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["field"], "embedding");
  auto photo = search({{"photo", "/9j/4AAQSkZJRg=="}}, token_);
  EXPECT_NE(photo.raw.find("no face model is configured"), std::string::npos) << photo.raw;
  auto unknown = search({{"embedding", stranger_}, {"estate_ids", json::array({999999})}}, token_);
  EXPECT_EQ(unknown.status, 404);
}

TEST_F(FacesTest, SearchNeedsAPurposeAndTheAuditRecordsIt) {
  auto header = server_->request(
      "POST", "/api/v1/faces/search",
      {{"Authorization", "Bearer " + token_}, {"X-Anju-Purpose", "face-audit-5521"}},
      json{{"embedding", stranger_}}.dump());
  ASSERT_EQ(header.status, 200) << header.raw;
  ASSERT_EQ(search({{"embedding", stranger_}, {"purpose", "face-audit-5522"}}, token_).status, 200);
  auto audit = server_->call("GET", "/api/v1/audit?object=events&limit=200", token_);
  ASSERT_EQ(audit.status, 200) << audit.raw;
  std::set<std::string> purposes;
  for (const auto& e : audit.body["items"]) {
    if (e["action"] == "face_search") purposes.insert(e.value("purpose", ""));
  }
  EXPECT_TRUE(purposes.count("face-audit-5521")) << audit.raw;
  EXPECT_TRUE(purposes.count("face-audit-5522")) << audit.raw;
  // A resident's login has no business searching faces.
  auto grid = server_->call(
      "POST", "/api/v1/users", token_,
      json{
          {"username", "grid_faces"}, {"password", "grid-faces-pass"}, {"roles", {"grid_worker"}}});
  ASSERT_EQ(grid.status, 201) << grid.raw;
  auto refused =
      search({{"embedding", stranger_}}, server_->login("grid_faces", "grid-faces-pass"));
  EXPECT_EQ(refused.status, 403);
}

TEST_F(FacesTest, ATrajectoryIncludesCapturesLikeThePersonsEnrolledFace) {
  const auto face = randomFace(77);
  auto person = post("/api/v1/persons", {{"name", "赵秀兰"}, {"category", "registered"}});
  auto credential = post("/api/v1/credentials",
                         {{"person_id", person["id"]}, {"type", "face"}, {"embedding", face}});
  const std::string door_secret = post("/api/v1/devices", {{"id", "door-b"},
                                                           {"name", "南门门禁"},
                                                           {"kind", "door"},
                                                           {"estate_id", estate_b_}})["secret"];
  ASSERT_EQ(send("door-b", door_secret,
                 json{{"event_id", "zhao-door"},
                      {"ts", "2026-11-04T09:00:00+08:00"},
                      {"kind", "access"},
                      {"method", "card"},
                      {"result", "granted"},
                      {"person_id", person["id"]}}
                     .dump())
                .status,
            200);
  ASSERT_EQ(send("face-b", secret_b_,
                 capture("zhao-1", "2026-11-04T09:30:00+08:00", captureOf(face, 5)) +
                     capture("zhao-2", "2026-11-04T08:15:00+08:00", captureOf(face, 6)) +
                     capture("not-zhao", "2026-11-04T09:00:00+08:00", randomFace(78)))
                .status,
            200);
  waitForIndexed(*server_, token_, 46);
  const std::string query = "/api/v1/trajectory?person_id=" + person["id"].dump() +
                            "&from=2026-11-04&to=2026-11-05&purpose=寻找走失老人";
  auto r = server_->call("GET", query, token_);
  ASSERT_EQ(r.status, 200) << r.raw;
  const auto& items = r.body["items"];
  ASSERT_EQ(items.size(), 3u) << r.raw;
  // Oldest first, the captures on either side of the passage.
  EXPECT_EQ(items[0]["event_id"], "zhao-2");
  EXPECT_EQ(items[1]["event_id"], "zhao-door");
  EXPECT_EQ(items[2]["event_id"], "zhao-1");
  EXPECT_FALSE(items[1].contains("match"));
  for (const auto& item : {items[0], items[2]}) {
    EXPECT_EQ(item["source"], "face");
    EXPECT_EQ(item["match"]["template"], credential["id"]);
    EXPECT_GE(item["match"]["similarity"].get<double>(), 0.6);
    EXPECT_EQ(item["similarity"], item["match"]["similarity"]);
  }
  // Page by page, one item at a time, the same timeline.
  std::vector<std::string> walked;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    auto p = server_->call("GET", query + "&limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor),
                           token_);
    ASSERT_EQ(p.status, 200) << p.raw;
    for (const auto& item : p.body["items"]) walked.push_back(item["event_id"]);
    if (!p.body["next"].is_string()) break;
    cursor = p.body["next"];
  }
  EXPECT_EQ(walked, (std::vector<std::string>{"zhao-2", "zhao-door", "zhao-1"}));

  auto strict = server_->call("GET", query + "&match_threshold=0.99", token_);
  ASSERT_EQ(strict.status, 200) << strict.raw;
  ASSERT_EQ(strict.body["items"].size(), 1u) << strict.raw;
  EXPECT_EQ(strict.body["items"][0]["event_id"], "zhao-door");
  auto bad = server_->call("GET", query + "&match_threshold=1.5", token_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["field"], "match_threshold");
  // An officer of the other street does not see the captures at estate B.
  auto officer = server_->call("GET", query, server_->login("east_police", "east-police-pass"));
  ASSERT_EQ(officer.status, 200) << officer.raw;
  EXPECT_TRUE(officer.body["items"].empty()) << officer.raw;
}

TEST(FaceIndexRestart, TheIndexIsRebuiltFromTheStoreAfterARestart) {
  crypto::initialize();
  AnjuServer first;
  std::string token = first.adminToken();
  auto estate = first.call("POST", "/api/v1/estates", token, json{{"name", "新华里"}});
  ASSERT_EQ(estate.status, 201);
  auto device = first.call("POST", "/api/v1/devices", token,
                           json{{"id", "face-r"},
                                {"name", "北门人脸抓拍"},
                                {"kind", "face_camera"},
                                {"estate_id", estate.body["id"]}});
  ASSERT_EQ(device.status, 201);
  const auto face = randomFace(9, 512);
  std::string body;
  for (int i = 0; i < 5; ++i) {
    body += json{{"event_id", "r-" + std::to_string(i)},
                 {"ts", "2026-11-0" + std::to_string(i + 1) + "T12:00:00+08:00"},
                 {"kind", "face_capture"},
                 {"embedding", i == 3 ? captureOf(face, 3) : randomFace(50 + i, 512)}}
                .dump() +
            "\n";
  }
  const std::string secret = device.body["secret"];
  auto sent = first.request(
      "POST", "/api/v1/events",
      {{"X-Anju-Device", "face-r"}, {"X-Anju-Signature", crypto::hmacSha256Hex(secret, body)}},
      body, "application/x-ndjson");
  ASSERT_EQ(sent.status, 200) << sent.raw;
  EXPECT_EQ(first.stop(), 0);

  AnjuServer second(first.dataDir());
  std::string token2 = second.adminToken();
  for (int i = 0; i < 600; ++i) {
    auto status = second.call("GET", "/api/v1/faces/index", token2);
    ASSERT_EQ(status.status, 200);
    if (!status.body["rebuilding"].get<bool>()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto status = second.call("GET", "/api/v1/faces/index", token2);
  EXPECT_EQ(status.body["indexed"], 5) << status.raw;
  EXPECT_EQ(status.body["rebuild"]["captures"], 5) << status.raw;
  auto found = second.call("POST", "/api/v1/faces/search", token2,
                           json{{"embedding", face}, {"k", 1}, {"purpose", "重启后核查"}});
  ASSERT_EQ(found.status, 200) << found.raw;
  ASSERT_EQ(found.body["items"].size(), 1u);
  EXPECT_EQ(found.body["items"][0]["event_id"], "r-3");
}

}  // namespace
}  // namespace anju::testing
