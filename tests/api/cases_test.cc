// The citizens' case loop through the real server: a resident's report taken from intake to
// closing by the centre and a department, refused steps answering with what is allowed, bad
// intake refused naming the field, attachments, a hazard becoming a case, and Open311 clients
// filing and following a request with an API key.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "anju_server.h"
#include "common/crypto.h"

namespace anju::testing {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "case-pass-12345";

class CasesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AnjuServer();
    admin_ = server_->adminToken();
    city_ = post(admin_, "/api/v1/regions", {{"name", "秦皇岛市"}, {"level", "city"}})["id"];
    district_ = post(admin_, "/api/v1/regions",
                     {{"name", "海港区"}, {"level", "district"}, {"parent_id", city_}})["id"];
    estate_ =
        post(admin_, "/api/v1/estates", {{"name", "金色家园"}, {"region_id", district_}})["id"];
    lead_ = post(admin_, "/api/v1/departments",
                 {{"name", "城管执法中队"}, {"region_id", district_}})["id"];
    post(admin_, "/api/v1/departments", {{"name", "市场监管所"}, {"region_id", district_}});
    const json person = post(admin_, "/api/v1/persons",
                             {{"name", "吴敏"},
                              {"phone", "13912345678"},
                              {"category", "registered"},
                              {"estate_id", estate_}});
    const json neighbour =
        post(admin_, "/api/v1/persons",
             {{"name", "郑洁"}, {"category", "registered"}, {"estate_id", estate_}});
    mediator_ = user("tj_sun", {"mediator"}, {});
    department_ = user("cg_zhao", {"department"}, {{"department_id", lead_}});
    grid_worker_ = user("wg_qian", {"grid_worker"}, {});
    resident_ = user("jm_wu", {"resident"}, {{"person_id", person["id"]}});
    neighbour_ = user("jm_zheng", {"resident"}, {{"person_id", neighbour["id"]}});
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
                          json extra) {
    extra["username"] = name;
    extra["password"] = kPassword;
    extra["roles"] = roles;
    extra["region_id"] = district_;
    post(admin_, "/api/v1/users", extra);
    return server_->login(name, kPassword);
  }
  static json act(const std::string& token, const json& id, const json& body) {
    auto r = server_->call("POST", "/api/v1/cases/" + id.dump() + "/actions", token, body);
    EXPECT_EQ(r.status, 200) << body.dump() << ": " << r.raw;
    return r.body;
  }
  static json report(const std::string& text, const std::string& category = "environment") {
    return post(resident_, "/api/v1/cases",
                {{"channel", "portal"},
                 {"category", category},
                 {"description", text},
                 {"estate_id", estate_}});
  }

  static AnjuServer* server_;
  static std::string admin_, mediator_, department_, grid_worker_, resident_, neighbour_;
  static json city_, district_, estate_, lead_;
};

AnjuServer* CasesTest::server_ = nullptr;
std::string CasesTest::admin_, CasesTest::mediator_, CasesTest::department_,
    CasesTest::grid_worker_, CasesTest::resident_, CasesTest::neighbour_;
json CasesTest::city_, CasesTest::district_, CasesTest::estate_, CasesTest::lead_;

TEST_F(CasesTest, AResidentsReportIsTakenThroughTheWholeLoopAndCounted) {
  const json created = report("小区东门路灯坏了一个月，晚上很黑", "safety");
  const json id = created["id"];
  EXPECT_EQ(created["status"], "submitted");
  EXPECT_EQ(created["reporters"][0]["name"], "吴敏");

  act(mediator_, id, {{"action", "accept"}});
  act(mediator_, id, {{"action", "triage"}, {"level", "village"}, {"route", "department"}});
  json assigned = act(mediator_, id,
                      {{"action", "assign"}, {"lead", "城管执法中队"}, {"joint", {"市场监管所"}}});
  EXPECT_EQ(assigned["lead"]["id"], lead_);
  EXPECT_EQ(assigned["joint"][0]["name"], "市场监管所");

  // The department sees the case in its queue, with the reporter's phone masked.
  auto queue = server_->call("GET", "/api/v1/cases?status=assigned", department_);
  ASSERT_EQ(queue.status, 200) << queue.raw;
  ASSERT_EQ(queue.body["items"].size(), 1u);
  auto seen = server_->call("GET", "/api/v1/cases/" + id.dump(), department_);
  EXPECT_EQ(seen.body["reporters"][0]["phone"], "139****5678");
  EXPECT_EQ(seen.body["allowed_actions"], json({"start", "escalate", "return"}));

  act(department_, id, {{"action", "start"}});
  act(department_, id, {{"action", "resolve"}, {"summary", "已更换路灯"}});
  act(mediator_, id, {{"action", "feedback"}, {"message", "路灯已修好"}});
  act(resident_, id, {{"action", "rate"}, {"score", 4}});
  json closed = act(mediator_, id, {{"action", "close"}});
  EXPECT_EQ(closed["status"], "closed");
  EXPECT_EQ(closed["history"].size(), 9u);
  EXPECT_EQ(closed["history"][4]["actor"], "cg_zhao");

  // The resident follows their own case; the staff read of the case was audited.
  auto mine = server_->call("GET", "/api/v1/cases", resident_);
  ASSERT_EQ(mine.status, 200);
  bool listed = false;
  for (const auto& item : mine.body["items"]) listed = listed || item["id"] == id;
  EXPECT_TRUE(listed);
  auto audit = server_->call("GET", "/api/v1/audit?object=cases&user=cg_zhao", admin_);
  ASSERT_EQ(audit.status, 200) << audit.raw;
  EXPECT_FALSE(audit.body["items"].empty());

  auto stats = server_->call("GET", "/api/v1/stats/cases?category=safety", mediator_);
  ASSERT_EQ(stats.status, 200) << stats.raw;
  EXPECT_EQ(stats.body["total"], 1);
  EXPECT_EQ(stats.body["resolved"], 1);
  EXPECT_EQ(stats.body["resolution_rate"], 1.0);
  EXPECT_EQ(stats.body["satisfaction"], 4.0);
}

TEST_F(CasesTest, ARefusedStepAnswersWithTheActionsThatAreAllowed) {
  const json id = report("楼上装修噪音扰民")["id"];
  act(mediator_, id, {{"action", "accept"}});

  auto again = server_->call("POST", "/api/v1/cases/" + id.dump() + "/actions", mediator_,
                             json{{"action", "accept"}});
  EXPECT_EQ(again.status, 409) << again.raw;
  EXPECT_EQ(again.body["error"]["allowed"], json({"merge", "triage", "escalate"}));

  auto by_resident =
      server_->call("POST", "/api/v1/cases/" + id.dump() + "/actions", resident_,
                    json{{"action", "triage"}, {"level", "village"}, {"route", "department"}});
  EXPECT_EQ(by_resident.status, 403) << by_resident.raw;
  EXPECT_EQ(by_resident.body["error"]["allowed"], json::array());

  auto unknown = server_->call("POST", "/api/v1/cases/" + id.dump() + "/actions", mediator_,
                               json{{"action", "approve"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["error"]["field"], "action");

  auto stranger = server_->call("GET", "/api/v1/cases/" + id.dump(), neighbour_);
  EXPECT_EQ(stranger.status, 403);
  EXPECT_EQ(server_->call("GET", "/api/v1/cases/999999", mediator_).status, 404);

  auto now = server_->call("GET", "/api/v1/cases/" + id.dump(), mediator_);
  EXPECT_EQ(now.body["status"], "accepted");
  EXPECT_EQ(now.body["history"].size(), 2u);
}

TEST_F(CasesTest, BadIntakeIsRefusedNamingTheFieldAndNothingIsWritten) {
  const auto before =
      server_->call("GET", "/api/v1/cases?limit=500", mediator_).body["items"].size();
  auto field = [&](const std::string& body) {
    auto r = server_->call("POST", "/api/v1/cases", resident_, body);
    EXPECT_GE(r.status, 400) << body;
    EXPECT_LT(r.status, 500) << body;
    return r.body["error"].value("field", std::string());
  };
  const json good = {{"channel", "portal"}, {"category", "neighbour"}, {"description", "x"}};
  auto with = [&](const std::string& key, const json& value) {
    json b = good;
    b[key] = value;
    return b.dump();
  };
  EXPECT_EQ(field("{\"channel\": \"portal\","), "body");
  EXPECT_EQ(field(with("channel", "fax")), "channel");
  EXPECT_EQ(field(with("channel", "hotline")), "channel");  // residents report for themselves
  EXPECT_EQ(field(with("category", "' OR 1=1 --")), "category");
  EXPECT_EQ(field(with("description", 42)), "description");
  EXPECT_EQ(field(with("estate_id", "abc")), "estate_id");
  EXPECT_EQ(field(with("estate_id", 987654)), "estate_id");
  EXPECT_EQ(field(with("reporter", {{"name", "吴敏"}, {"phone", "12"}})), "reporter.phone");
  EXPECT_EQ(field(with("attachments", {{{"content_type", "image/png"}, {"data", "%%%"}}})),
            "attachments[0].data");
  EXPECT_EQ(field(with("attachments", {{{"content_type", "text/html"}, {"data", "aGk="}}})),
            "attachments[0].content_type");
  const std::string big(5 * 1024 * 1024 + 1, 'x');
  auto too_big = server_->call(
      "POST", "/api/v1/cases", resident_,
      with("attachments", {{{"content_type", "image/png"}, {"data", crypto::base64Encode(big)}}}));
  EXPECT_EQ(too_big.status, 413) << too_big.raw.substr(0, 200);
  const std::string bad_utf8 =
      "{\"channel\":\"portal\",\"category\":\"other\",\"description\":\"\xff\xfe\"}";
  EXPECT_EQ(server_->call("POST", "/api/v1/cases", resident_, bad_utf8).status, 400);

  EXPECT_EQ(server_->call("GET", "/api/v1/cases?limit=500", mediator_).body["items"].size(),
            before);
}

TEST_F(CasesTest, OpenTrueListsOnlyTheCasesStillBeingWorked) {
  const json worked = report("北门岗亭的道闸抬杆失灵，车辆排队");
  const json folded = report("北门岗亭道闸又坏了，早高峰堵车");
  act(mediator_, folded["id"], {{"action", "merge"}, {"into", worked["id"]}});
  auto ids = [](const ApiResponse& r) {
    std::set<int64_t> out;
    for (const auto& item : r.body["items"]) out.insert(item["id"].get<int64_t>());
    return out;
  };
  auto open = server_->call("GET", "/api/v1/cases?open=true&limit=500&q=北门岗亭", mediator_);
  ASSERT_EQ(open.status, 200) << open.raw;
  EXPECT_EQ(ids(open), std::set<int64_t>{worked["id"].get<int64_t>()});
  auto finished = server_->call("GET", "/api/v1/cases?open=false&limit=500&q=北门岗亭", mediator_);
  EXPECT_EQ(ids(finished), std::set<int64_t>{folded["id"].get<int64_t>()});
  EXPECT_EQ(server_->call("GET", "/api/v1/cases?open=maybe", mediator_).body["error"]["field"],
            "open");
}

TEST_F(CasesTest, AnAttachmentIsServedToWhoeverMaySeeTheCaseOnly) {
  const std::string photo = "\x89PNG\r\n\x1a\n-a-photo-of-the-broken-fence";
  json created = post(resident_, "/api/v1/cases",
                      {{"channel", "portal"},
                       {"category", "property"},
                       {"description", "围墙倒塌"},
                       {"estate_id", estate_},
                       {"attachments",
                        {{{"name", "围墙.png"},
                          {"content_type", "image/png"},
                          {"data", crypto::base64Encode(photo)}}}}});
  ASSERT_EQ(created["attachments"].size(), 1u);
  const std::string path = "/api/v1/cases/" + created["id"].dump() + "/attachments/" +
                           created["attachments"][0]["sha256"].get<std::string>();
  auto own = server_->call("GET", path, resident_);
  EXPECT_EQ(own.status, 200);
  EXPECT_EQ(own.raw, photo);
  EXPECT_EQ(own.header("content-type"), "image/png");
  EXPECT_EQ(server_->call("GET", path, mediator_).status, 200);
  EXPECT_EQ(server_->call("GET", path, neighbour_).status, 403);
}

TEST_F(CasesTest, AGridWorkersHazardBecomesACaseInOneStep) {
  json hazard = post(grid_worker_, "/api/v1/hazards",
                     {{"estate_id", estate_},
                      {"kind", "electrical"},
                      {"description", "地下车库电动车违规充电，飞线"}});
  auto made = server_->call("POST", "/api/v1/hazards/" + hazard["id"].dump() + "/case",
                            grid_worker_, json::object());
  ASSERT_EQ(made.status, 201) << made.raw;
  EXPECT_EQ(made.body["channel"], "grid_worker");
  EXPECT_EQ(made.body["category"], "safety");
  EXPECT_EQ(made.body["source"], json({{"kind", "hazards"}, {"id", hazard["id"]}}));
  EXPECT_EQ(made.body["description"], "地下车库电动车违规充电，飞线");

  auto marked = server_->call("GET", "/api/v1/hazards/" + hazard["id"].dump(), grid_worker_);
  EXPECT_EQ(marked.body["case_id"], made.body["id"]);
  auto twice = server_->call("POST", "/api/v1/hazards/" + hazard["id"].dump() + "/case",
                             grid_worker_, json::object());
  EXPECT_EQ(twice.status, 409);
}

TEST_F(CasesTest, AnOpen311ClientFilesAndFollowsARequestWithAnApiKey) {
  json gateway = post(admin_, "/api/v1/users",
                      {{"username", "open311_gateway"},
                       {"password", kPassword},
                       {"roles", {"grid_worker"}},
                       {"region_id", district_}});
  json key =
      post(admin_, "/api/v1/users/" + gateway["id"].dump() + "/api-keys", {{"name", "市民随手拍"}});
  const std::string api_key = key["key"];

  auto services = server_->call("GET", "/open311/v2/services.json?api_key=" + api_key);
  ASSERT_EQ(services.status, 200) << services.raw;
  EXPECT_EQ(services.body[0]["service_code"], "land");

  const std::string form =
      "api_key=" + api_key +
      "&service_code=neighbour&description=%E6%A5%BC%E9%81%93%E5%A0%86%E7%89%A9"
      "&lat=39.93&long=119.60&first_name=%E6%95%8F&last_name=%E5%90%B4"
      "&phone=13912345678";
  auto filed = server_->call("POST", "/open311/v2/requests.json", "", form,
                             "application/x-www-form-urlencoded");
  ASSERT_EQ(filed.status, 201) << filed.raw;
  const json id = filed.body[0]["service_request_id"];

  auto one = server_->call("GET", "/open311/v2/requests/" + id.dump() + ".json?api_key=" + api_key);
  ASSERT_EQ(one.status, 200) << one.raw;
  EXPECT_EQ(one.body[0]["status"], "open");
  EXPECT_EQ(one.body[0]["service_code"], "neighbour");
  EXPECT_EQ(one.body[0]["description"], "楼道堆物");
  EXPECT_EQ(one.body[0]["lat"], 39.93);

  act(mediator_, id, {{"action", "accept"}});
  act(mediator_, id, {{"action", "triage"}, {"level", "village"}, {"route", "department"}});
  act(mediator_, id, {{"action", "assign"}, {"lead", lead_}});
  act(department_, id, {{"action", "start"}});
  act(department_, id, {{"action", "resolve"}, {"summary", "已清理楼道"}});

  auto closed = server_->call(
      "GET", "/open311/v2/requests.json?status=closed&service_code=neighbour&api_key=" + api_key);
  ASSERT_EQ(closed.status, 200) << closed.raw;
  ASSERT_EQ(closed.body.size(), 1u);
  EXPECT_EQ(closed.body[0]["service_request_id"], id);
  EXPECT_EQ(closed.body[0]["status_notes"], "已清理楼道");
  EXPECT_EQ(closed.body[0]["agency_responsible"], "城管执法中队");

  auto no_place = server_->call("POST", "/open311/v2/requests.json", "",
                                "api_key=" + api_key + "&service_code=neighbour&description=x",
                                "application/x-www-form-urlencoded");
  EXPECT_EQ(no_place.status, 400);
  EXPECT_EQ(no_place.body[0]["code"], 400);

  server_->call("DELETE", "/api/v1/users/" + gateway["id"].dump() + "/api-keys/" + key["id"].dump(),
                admin_);
  EXPECT_EQ(server_->call("GET", "/open311/v2/services.json?api_key=" + api_key).status, 401);
}

}  // namespace
}  // namespace anju::testing
