// Screening (排查) through the real server: a saved question run with a stated purpose, its
// findings exported as a CSV that Excel opens, every run and export in the audit log, another
// region's officer kept out, grid workers limited to their own kind, and bad definitions refused
// naming the field.
#include <gtest/gtest.h>

#include <string>

#include "anju_server.h"
#include "common/crypto.h"

namespace anju::testing {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "screening-pass-123";

class ScreeningTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto::initialize();
    server_ = new AnjuServer();
    admin_ = server_->adminToken();
    const json city = post(admin_, "/api/v1/regions", {{"name", "武汉市"}, {"level", "city"}});
    north_ = post(admin_, "/api/v1/regions",
                  {{"name", "东湖街道"}, {"level", "street"}, {"parent_id", city["id"]}})["id"];
    south_ = post(admin_, "/api/v1/regions",
                  {{"name", "南湖街道"}, {"level", "street"}, {"parent_id", city["id"]}})["id"];
    estate_ = post(admin_, "/api/v1/estates", {{"name", "金色家园"}, {"region_id", north_}})["id"];
    const json south_estate =
        post(admin_, "/api/v1/estates", {{"name", "南湖小区"}, {"region_id", south_}});
    resident_ = post(admin_, "/api/v1/persons",
                     {{"name", "张伟"},
                      {"id_number", "420106199001011231"},
                      {"phone", "13912345678"},
                      {"category", "registered"},
                      {"tags", {"key_person:drug"}},
                      {"estate_id", estate_}})["id"];
    gate_secret_ = post(
        admin_, "/api/v1/devices",
        {{"id", "gate-n"}, {"name", "东门"}, {"kind", "door"}, {"estate_id", estate_}})["secret"];
    barrier_secret_ = post(admin_, "/api/v1/devices",
                           {{"id", "barrier-n"},
                            {"name", "车库道闸"},
                            {"kind", "barrier"},
                            {"estate_id", estate_}})["secret"];
    south_secret_ = post(admin_, "/api/v1/devices",
                         {{"id", "barrier-s"},
                          {"name", "南门道闸"},
                          {"kind", "barrier"},
                          {"estate_id", south_estate["id"]}})["secret"];
    police_ = user("dh_police", {"police"}, north_);
    south_police_ = user("nh_police", {"police"}, south_);
    grid_worker_ = user("dh_grid", {"grid_worker"}, north_);

    const std::string person = resident_.dump();
    send(
        "gate-n", gate_secret_,
        R"({"event_id":"g1","ts":"2026-11-20T08:00:00+08:00","kind":"access","method":"face","result":"granted","direction":"in","person_id":)" +
            person + "}\n" +
            R"({"event_id":"g2","ts":"2026-11-20T09:30:00+08:00","kind":"access","method":"face","result":"granted","direction":"out","person_id":)" +
            person + "}\n");
    send(
        "barrier-n", barrier_secret_,
        R"({"event_id":"v1","ts":"2026-11-20T10:00:00+08:00","kind":"vehicle","plate":"鄂A12345","direction":"in"})"
        "\n"
        R"({"event_id":"v2","ts":"2026-11-20T10:05:00+08:00","kind":"vehicle","plate":"京A12345","direction":"in"})"
        "\n");
    send(
        "barrier-s", south_secret_,
        R"({"event_id":"v3","ts":"2026-11-20T11:00:00+08:00","kind":"vehicle","plate":"鄂A99999","direction":"in"})"
        "\n");
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
  static void send(const std::string& device, const std::string& secret, const std::string& body) {
    auto r = server_->request(
        "POST", "/api/v1/events",
        {{"X-Anju-Device", device}, {"X-Anju-Signature", crypto::hmacSha256Hex(secret, body)}},
        body, "application/x-ndjson");
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_TRUE(r.body["rejected"].empty()) << r.raw;
  }
  static std::string path(const json& id, const std::string& rest = "") {
    return "/api/v1/screenings/" + id.dump() + rest;
  }
  static json fromRegions(const std::string& token) {
    return post(token, "/api/v1/screenings",
                {{"name", "武汉来人来车"},
                 {"kind", "from_regions"},
                 {"params", {{"plate_prefixes", {"鄂A"}}, {"region_codes", {"4201"}}}}});
  }
  static ApiResponse run(const std::string& token, const json& id, const json& body) {
    return server_->call("POST", path(id, "/run"), token, body);
  }
  static json window(const std::string& purpose) {
    return {{"purpose", purpose},
            {"from", "2026-11-20T00:00:00+08:00"},
            {"to", "2026-11-21T00:00:00+08:00"}};
  }
  static std::string errorField(const ApiResponse& r) {
    return r.body.is_object() ? r.body["error"].value("field", "") : "";
  }

  static AnjuServer* server_;
  static std::string admin_, police_, south_police_, grid_worker_;
  static std::string gate_secret_, barrier_secret_, south_secret_;
  static json north_, south_, estate_, resident_;
};
AnjuServer* ScreeningTest::server_ = nullptr;
std::string ScreeningTest::admin_, ScreeningTest::police_, ScreeningTest::south_police_,
    ScreeningTest::grid_worker_, ScreeningTest::gate_secret_, ScreeningTest::barrier_secret_,
    ScreeningTest::south_secret_;
json ScreeningTest::north_, ScreeningTest::south_, ScreeningTest::estate_, ScreeningTest::resident_;

TEST_F(ScreeningTest, ARunWithAPurposeAnswersTheFindingsInScopeAndIsAudited) {
  const json s = fromRegions(police_);
  EXPECT_EQ(s["kind"], "from_regions");
  EXPECT_EQ(s["region_id"], north_);
  EXPECT_EQ(s["params"]["window_hours"], 24);
  auto r = run(police_, s["id"], window("核查武汉来人 2026-11"));
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["run"]["total"], 2);
  const json& items = r.body["items"];
  ASSERT_EQ(items.size(), 2u) << r.raw;  // 京A12345 is not listed, 鄂A99999 passed elsewhere
  EXPECT_EQ(items[0]["subject"], "vehicle");
  EXPECT_EQ(items[0]["plate"], "鄂A12345");
  EXPECT_EQ(items[0]["estate_name"], "金色家园");
  EXPECT_EQ(items[0]["passages"], 1);
  EXPECT_EQ(items[1]["subject"], "person");
  EXPECT_EQ(items[1]["person"]["name"], "张伟");
  EXPECT_EQ(items[1]["person"]["id_number"], "420106199001011231");
  EXPECT_EQ(items[1]["passages"], 2);
  EXPECT_EQ(items[1]["first_seen"], "2026-11-20T08:00:00.000+08:00");

  auto shown = server_->call("GET", path(s["id"]), police_);
  ASSERT_EQ(shown.status, 200) << shown.raw;
  EXPECT_EQ(shown.body["last_run"]["purpose"], "核查武汉来人 2026-11");
  EXPECT_EQ(shown.body["last_run"]["run_by"], "dh_police");

  auto audit = server_->call("GET", "/api/v1/audit?object=screenings&user=dh_police", admin_);
  ASSERT_EQ(audit.status, 200) << audit.raw;
  bool found = false;
  for (const auto& e : audit.body["items"]) {
    found = found || (e["action"] == "search" && e["object_id"] == s["id"].dump() &&
                      e["purpose"] == "核查武汉来人 2026-11");
  }
  EXPECT_TRUE(found) << audit.raw;
}

TEST_F(ScreeningTest, ARunWithoutAPurposeIsRefusedAndKeepsNothing) {
  const json s = fromRegions(police_);
  auto r = run(police_, s["id"], {{"from", "2026-11-20"}, {"to", "2026-11-21"}});
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(errorField(r), "purpose");
  auto shown = server_->call("GET", path(s["id"]), police_);
  EXPECT_FALSE(shown.body.contains("last_run")) << shown.raw;
  auto results = server_->call("GET", path(s["id"], "/results"), police_);
  EXPECT_EQ(results.status, 404) << results.raw;
}

TEST_F(ScreeningTest, TheExportIsUtf8WithAByteOrderMarkAndIsAuditedWithItsPurpose) {
  const json s = fromRegions(police_);
  ASSERT_EQ(run(police_, s["id"], window("核查")).status, 200);
  auto refused = server_->call("GET", path(s["id"], "/results.csv"), police_);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(errorField(refused), "purpose");

  auto csv =
      server_->call("GET", path(s["id"], "/results.csv?purpose=%E4%B8%8A%E6%8A%A5"), police_);
  ASSERT_EQ(csv.status, 200) << csv.raw;
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
  ASSERT_GE(csv.raw.size(), 3u);
  EXPECT_EQ(csv.raw.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.raw.find("序号,对象,人员编号,姓名,身份证号,号牌,小区,首次出现,最后出现,次数\r\n"),
            std::string::npos)
      << csv.raw;
  EXPECT_NE(csv.raw.find("1,车辆,,,,鄂A12345,金色家园,2026-11-20T10:00:00.000+08:00"),
            std::string::npos)
      << csv.raw;
  EXPECT_NE(csv.raw.find("2,人员," + resident_.dump() + ",张伟,420106199001011231,,金色家园"),
            std::string::npos)
      << csv.raw;
  // The same export through ?format=csv.
  auto again = server_->call("GET", path(s["id"], "/results?format=csv&purpose=%E4%B8%8A%E6%8A%A5"),
                             police_);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.raw, csv.raw);

  auto audit = server_->call("GET", "/api/v1/audit?object=screenings&user=dh_police", admin_);
  int exports = 0;
  for (const auto& e : audit.body["items"]) {
    if (e["action"] == "export" && e["object_id"] == s["id"].dump() && e["purpose"] == "上报")
      ++exports;
  }
  EXPECT_EQ(exports, 2) << audit.raw;
}

TEST_F(ScreeningTest, AnotherRegionsOfficerCannotSeeRunOrExportIt) {
  const json s = fromRegions(police_);
  EXPECT_EQ(server_->call("GET", path(s["id"]), south_police_).status, 403);
  EXPECT_EQ(run(south_police_, s["id"], window("x")).status, 403);
  EXPECT_EQ(server_->call("GET", path(s["id"], "/results.csv?purpose=x"), south_police_).status,
            403);
  EXPECT_EQ(server_->call("DELETE", path(s["id"]), south_police_).status, 403);
  auto listed = server_->call("GET", "/api/v1/screenings", south_police_);
  ASSERT_EQ(listed.status, 200);
  for (const auto& item : listed.body["items"]) EXPECT_NE(item["id"], s["id"]);
  // Nor may they point a screening of their own at the other region.
  auto wider = server_->call("POST", "/api/v1/screenings", south_police_,
                             json{{"name", "x"},
                                  {"kind", "tag_seen"},
                                  {"params", {{"tags", {"key_person"}}}},
                                  {"region_id", north_}});
  EXPECT_EQ(wider.status, 403) << wider.raw;
}

TEST_F(ScreeningTest, BadDefinitionsAnswer400NamingTheField) {
  auto field = [](const json& body) {
    auto r = server_->call("POST", "/api/v1/screenings", police_, body);
    EXPECT_EQ(r.status, 400) << body.dump() << ": " << r.raw;
    return errorField(r);
  };
  EXPECT_EQ(field({{"name", "x"}, {"kind", "everyone"}}), "kind");
  EXPECT_EQ(field({{"name", "x"}, {"kind", "out_not_returned"}, {"params", {{"hours", 10000}}}}),
            "params.hours");
  EXPECT_EQ(
      field({{"name", "x"}, {"kind", "from_regions"}, {"params", {{"plate_prefixes", {"AB"}}}}}),
      "params.plate_prefixes[0]");
  EXPECT_EQ(
      field({{"name", "x"}, {"kind", "from_regions"}, {"params", {{"region_codes", {"420"}}}}}),
      "params.region_codes[0]");
  EXPECT_EQ(field({{"name", "x"}, {"kind", "tag_seen"}, {"params", {{"tags", {"nobody"}}}}}),
            "params.tags[0]");
  auto malformed = server_->call("POST", "/api/v1/screenings", police_, std::string("{\"name\":"));
  EXPECT_EQ(malformed.status, 400);

  const json s = fromRegions(police_);
  auto kind = server_->call("PATCH", path(s["id"]), police_, json{{"kind", "tag_seen"}});
  EXPECT_EQ(kind.status, 400);
  EXPECT_EQ(errorField(kind), "kind");
  auto window = run(police_, s["id"], {{"purpose", "x"}, {"from", "yesterday"}});
  EXPECT_EQ(window.status, 400);
  EXPECT_EQ(errorField(window), "from");
  EXPECT_EQ(server_->call("GET", "/api/v1/screenings/999999", police_).status, 404);
}

TEST_F(ScreeningTest, AGridWorkerAsksWhoHasNotComeBackInTheirRegionButNothingElse) {
  auto refused = server_->call(
      "POST", "/api/v1/screenings", grid_worker_,
      json{{"name", "x"}, {"kind", "tag_seen"}, {"params", {{"tags", {"key_person"}}}}});
  EXPECT_EQ(refused.status, 403) << refused.raw;
  const json police_screening = fromRegions(police_);
  EXPECT_EQ(server_->call("GET", path(police_screening["id"]), grid_worker_).status, 403);

  const json s = post(grid_worker_, "/api/v1/screenings",
                      {{"name", "外出未归"},
                       {"kind", "out_not_returned"},
                       {"params", {{"hours", 24}, {"tags", {"key_person"}}}}});
  auto r = run(grid_worker_, s["id"], {{"purpose", "走访"}, {"to", "2026-11-21T13:30:00+08:00"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["items"].size(), 1u) << r.raw;
  const json& item = r.body["items"][0];
  EXPECT_EQ(item["person"]["id"], resident_);
  EXPECT_EQ(item["last_out"], "2026-11-20T09:30:00.000+08:00");
  EXPECT_EQ(item["hours_away"], 28.0);

  auto listed = server_->call("GET", "/api/v1/screenings", grid_worker_);
  ASSERT_EQ(listed.status, 200);
  for (const auto& item : listed.body["items"]) EXPECT_EQ(item["kind"], "out_not_returned");
}

TEST_F(ScreeningTest, ChangingAndDeletingAScreening) {
  const json s = fromRegions(police_);
  auto changed =
      server_->call("PATCH", path(s["id"]), police_,
                    json{{"name", "湖北来车"}, {"params", {{"plate_prefixes", {"鄂"}}}}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body["name"], "湖北来车");
  EXPECT_EQ(changed.body["params"]["plate_prefixes"], json({"鄂"}));
  EXPECT_EQ(changed.body["params"]["region_codes"], json::array());
  auto r = run(police_, s["id"], window("核查"));
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["items"].size(), 1u) << r.raw;
  EXPECT_EQ(r.body["items"][0]["plate"], "鄂A12345");

  EXPECT_EQ(server_->call("DELETE", path(s["id"]), police_).status, 200);
  EXPECT_EQ(server_->call("GET", path(s["id"]), police_).status, 404);
}

}  // namespace
}  // namespace anju::testing
