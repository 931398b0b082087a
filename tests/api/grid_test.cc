// Grid work and community policing through the API: a grid worker's patrol and the hazard it
// finds taken through its rectification loop, police incidents imported from the police system's
// export, and the monthly zero-incident share.
#include <gtest/gtest.h>

#include "anju_server.h"

namespace anju::testing {
namespace {

using nlohmann::json;

class GridTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AnjuServer();
    admin_ = server_->adminToken();
    auto city = post(admin_, "/api/v1/regions", {{"name", "秦皇岛市"}, {"level", "city"}});
    district_ = post(admin_, "/api/v1/regions",
                     {{"name", "海港区"}, {"level", "district"}, {"parent_id", city["id"]}})["id"];
    other_district_ =
        post(admin_, "/api/v1/regions",
             {{"name", "山海关区"}, {"level", "district"}, {"parent_id", city["id"]}})["id"];
    estate_ =
        post(admin_, "/api/v1/estates", {{"name", "金色家园"}, {"region_id", district_}})["id"];
    for (const char* name : {"1号楼", "2号楼"}) {
      buildings_.push_back(
          post(admin_, "/api/v1/buildings", {{"estate_id", estate_}, {"name", name}})["id"]);
    }
    grid_ = post(
        admin_, "/api/v1/grids",
        {{"name", "金色家园一网格"}, {"estate_id", estate_}, {"building_ids", buildings_}})["id"];
    user("gw_li", {"grid_worker"}, district_);
    user("police_zhang", {"police"}, district_);
    user("resident_wu", {"resident"}, district_);
    worker_ = server_->login("gw_li", "grid-pass-12345");
    police_ = server_->login("police_zhang", "grid-pass-12345");
    resident_ = server_->login("resident_wu", "grid-pass-12345");
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
  static void user(const std::string& name, const std::vector<std::string>& roles,
                   const json& region) {
    post(admin_, "/api/v1/users",
         {{"username", name},
          {"password", "grid-pass-12345"},
          {"roles", roles},
          {"region_id", region}});
  }
  static json newHazard() {
    return post(worker_, "/api/v1/hazards",
                {{"estate_id", estate_},
                 {"building_id", buildings_[0]},
                 {"grid_id", grid_},
                 {"kind", "fire"},
                 {"description", "楼道堆放杂物，堵塞消防通道"},
                 {"reported_by", "gw_li"}});
  }
  static ApiResponse act(const json& hazard, const json& body) {
    return server_->call("POST", "/api/v1/hazards/" + hazard["id"].dump() + "/actions", worker_,
                         body);
  }

  static AnjuServer* server_;
  static std::string admin_, worker_, police_, resident_;
  static json district_, other_district_, estate_, grid_, buildings_;
};
AnjuServer* GridTest::server_ = nullptr;
std::string GridTest::admin_, GridTest::worker_, GridTest::police_, GridTest::resident_;
json GridTest::district_, GridTest::other_district_, GridTest::estate_, GridTest::grid_,
    GridTest::buildings_ = json::array();

TEST_F(GridTest, AGridWorkerRecordsAPatrolWithCheckInsAndTheHazardItFound) {
  auto patrol = post(worker_, "/api/v1/patrols",
                     {{"grid_id", grid_},
                      {"worker", "gw_li"},
                      {"started_at", "2026-03-05T09:00:00+08:00"},
                      {"route", "北门-1号楼-2号楼-南门"}});
  for (const auto& building : buildings_) {
    post(worker_, "/api/v1/patrol_checkins",
         {{"patrol_id", patrol["id"]},
          {"ts", "2026-03-05T09:10:00+08:00"},
          {"building_id", building}});
  }
  auto hazard = post(worker_, "/api/v1/hazards",
                     {{"patrol_id", patrol["id"]},
                      {"building_id", buildings_[1]},
                      {"kind", "electrical"},
                      {"description", "电动车在楼道内充电"}});
  EXPECT_EQ(hazard["status"], "reported");

  auto checkins =
      server_->call("GET", "/api/v1/patrol_checkins?patrol_id=" + patrol["id"].dump(), worker_);
  ASSERT_EQ(checkins.status, 200);
  EXPECT_EQ(checkins.body["items"].size(), 2u);
  auto found = server_->call("GET", "/api/v1/hazards?patrol_id=" + patrol["id"].dump(), worker_);
  ASSERT_EQ(found.status, 200);
  ASSERT_EQ(found.body["items"].size(), 1u);
  EXPECT_EQ(found.body["items"][0]["id"], hazard["id"]);
}

TEST_F(GridTest, AHazardIsAssignedRectifiedAndVerifiedAfterAFailedVerification) {
  auto hazard = newHazard();
  auto assigned =
      act(hazard, {{"action", "assign"}, {"assignee", "物业李经理"}, {"rectify_by", "2099-12-31"}});
  ASSERT_EQ(assigned.status, 200) << assigned.raw;
  EXPECT_EQ(assigned.body["status"], "assigned");
  EXPECT_EQ(assigned.body["assignee"], "物业李经理");
  EXPECT_EQ(assigned.body["rectify_by"], "2099-12-31");

  ASSERT_EQ(act(hazard, {{"action", "rectify"}, {"note", "杂物已清理"}}).status, 200);
  auto failed = act(hazard, {{"action", "verify"}, {"passed", false}, {"note", "仍有纸箱"}});
  ASSERT_EQ(failed.status, 200) << failed.raw;
  EXPECT_EQ(failed.body["status"], "assigned");
  ASSERT_EQ(act(hazard, {{"action", "rectify"}, {"note", "纸箱已搬走"}}).status, 200);
  auto verified = act(hazard, {{"action", "verify"}, {"passed", true}});
  ASSERT_EQ(verified.status, 200) << verified.raw;
  EXPECT_EQ(verified.body["status"], "verified");
  EXPECT_TRUE(verified.body["verified_on"].is_string());

  auto history =
      server_->call("GET", "/api/v1/hazards/" + hazard["id"].dump() + "/history", police_);
  ASSERT_EQ(history.status, 200);
  const auto& steps = history.body["items"];
  ASSERT_EQ(steps.size(), 5u);
  std::vector<std::string> path;
  for (const auto& s : steps) path.push_back(s["to"]);
  EXPECT_EQ(path, (std::vector<std::string>{"assigned", "rectified", "assigned", "rectified",
                                            "verified"}));
  EXPECT_EQ(steps[2]["passed"], false);
  EXPECT_EQ(steps[2]["note"], "仍有纸箱");
  EXPECT_EQ(steps[0]["actor"], "gw_li");
  EXPECT_EQ(verified.body["history"], steps);
}

TEST_F(GridTest, AnActionNotAllowedNowIs409ListingTheAllowedActions) {
  auto hazard = newHazard();
  auto r = act(hazard, {{"action", "verify"}, {"passed", true}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body["error"]["code"], "conflict");
  EXPECT_EQ(r.body["error"]["allowed"], json::array({"assign"}));

  auto unknown = act(hazard, {{"action", "close"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["error"]["field"], "action");
  auto missing = act(hazard, {{"action", "assign"}, {"assignee", "李"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body["error"]["field"], "rectify_by");
  EXPECT_EQ(server_
                ->call("POST", "/api/v1/hazards/999999/actions", worker_,
                       json{{"action", "rectify"}, {"note", "x"}})
                .status,
            404);
}

TEST_F(GridTest, TheLoopsFieldsCannotBeSetByHand) {
  auto r =
      server_->call("POST", "/api/v1/hazards", worker_,
                    json{{"kind", "gas"}, {"description", "燃气管老化"}, {"status", "verified"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["field"], "status");
  auto hazard = newHazard();
  auto patch = server_->call("PATCH", "/api/v1/hazards/" + hazard["id"].dump(), worker_,
                             json{{"assignee", "我自己"}});
  EXPECT_EQ(patch.status, 400);
  EXPECT_EQ(patch.body["error"]["field"], "assignee");
}

TEST_F(GridTest, AResidentCanNeitherSeeNorMoveHazardsNorReadPolicingFigures) {
  auto hazard = newHazard();
  EXPECT_EQ(server_->call("GET", "/api/v1/hazards", resident_).status, 403);
  EXPECT_EQ(server_
                ->call("POST", "/api/v1/hazards/" + hazard["id"].dump() + "/actions", resident_,
                       json{{"action", "assign"}, {"assignee", "我"}, {"rectify_by", "2099-01-01"}})
                .status,
            403);
  EXPECT_EQ(server_->call("GET", "/api/v1/stats/policing", resident_).status, 403);
  EXPECT_EQ(server_->call("GET", "/api/v1/police_incidents", resident_).status, 403);
}

TEST_F(GridTest, PoliceIncidentsImportOnceAndAReimportDoesNotDoubleThem) {
  auto estate = post(admin_, "/api/v1/estates", {{"name", "导入小区"}, {"region_id", district_}});
  const std::string csv =
      "kind,category,estate_id,occurred_at,summary,external_ref\n"
      "criminal,burglary," +
      estate["id"].dump() +
      ",2026-01-05T02:00:00+08:00,入室盗窃,J2026-001\n"
      "public_order,fight," +
      estate["id"].dump() + ",2026-01-06T22:00:00+08:00,酒后斗殴,J2026-002\n";
  auto first = server_->call("POST", "/api/v1/import/police_incidents", police_, csv, "text/csv");
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body["imported"], 2);

  auto again = server_->call("POST", "/api/v1/import/police_incidents", police_, csv, "text/csv");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.body["imported"], 0);
  auto partial = server_->call("POST", "/api/v1/import/police_incidents?partial=true", police_, csv,
                               "text/csv");
  ASSERT_EQ(partial.status, 200) << partial.raw;
  EXPECT_EQ(partial.body["imported"], 0);
  EXPECT_EQ(partial.body["failed"], 2);
  EXPECT_EQ(partial.body["errors"][0]["field"], "external_ref");

  auto list =
      server_->call("GET", "/api/v1/police_incidents?estate_id=" + estate["id"].dump(), police_);
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body["items"].size(), 2u);
  EXPECT_EQ(list.body["items"][0]["source"], "imported");
}

TEST_F(GridTest, PolicingStatsGiveEachMonthsZeroIncidentShareAndOfficersServiceRecords) {
  auto village = post(admin_, "/api/v1/regions",
                      {{"name", "石门寨村"}, {"level", "village"}, {"parent_id", district_}})["id"];
  std::vector<json> estates;
  for (const char* name : {"东区", "西区", "南区", "北区"}) {
    estates.push_back(
        post(admin_, "/api/v1/estates", {{"name", name}, {"region_id", village}})["id"]);
  }
  post(police_, "/api/v1/police_assignments",
       {{"officer", "police_zhang"}, {"officer_name", "张警官"}, {"region_id", village}});
  auto incident = [&](const json& estate, const char* kind, const char* category,
                      const char* when) {
    post(police_, "/api/v1/police_incidents",
         {{"kind", kind}, {"category", category}, {"estate_id", estate}, {"occurred_at", when}});
  };
  incident(estates[0], "criminal", "burglary", "2026-01-10T03:00:00+08:00");
  incident(estates[1], "public_order", "disturbance", "2026-01-12T22:00:00+08:00");
  incident(estates[0], "criminal", "theft", "2026-02-03T15:00:00+08:00");
  incident(estates[2], "criminal", "fraud", "2026-02-01T00:10:00+08:00");
  post(police_, "/api/v1/service_records",
       {{"officer", "police_zhang"},
        {"region_id", village},
        {"kind", "documents"},
        {"occurred_on", "2026-01-15"},
        {"count", 3}});
  post(police_, "/api/v1/service_records",
       {{"officer", "police_zhang"},
        {"region_id", village},
        {"kind", "rescue"},
        {"occurred_on", "2026-02-15"}});

  auto r = server_->call(
      "GET",
      "/api/v1/stats/policing?region_id=" + village.dump() + "&from=2026-01-01&to=2026-03-01",
      police_);
  ASSERT_EQ(r.status, 200) << r.raw;
  const auto& months = r.body["months"];
  ASSERT_EQ(months.size(), 2u);
  EXPECT_EQ(months[0]["month"], "2026-01");
  EXPECT_EQ(months[0]["estates"], 4);
  EXPECT_EQ(months[0]["zero_incident_estates"], 3);
  EXPECT_DOUBLE_EQ(months[0]["zero_incident_share"].get<double>(), 0.75);
  EXPECT_EQ(months[0]["criminal"], 1);
  EXPECT_EQ(months[0]["public_order"], 1);
  EXPECT_EQ(months[0]["burglary"], 1);
  EXPECT_EQ(months[1]["month"], "2026-02");
  EXPECT_DOUBLE_EQ(months[1]["zero_incident_share"].get<double>(), 0.5);
  EXPECT_EQ(months[1]["criminal"], 2);
  ASSERT_EQ(r.body["officers"].size(), 1u);
  EXPECT_EQ(r.body["officers"][0]["officer"], "police_zhang");
  EXPECT_EQ(r.body["officers"][0]["total"], 4);
  EXPECT_EQ(r.body["officers"][0]["by_kind"], (json{{"documents", 3}, {"rescue", 1}}));

  auto outside =
      server_->call("GET", "/api/v1/stats/policing?region_id=" + other_district_.dump(), police_);
  EXPECT_EQ(outside.status, 403);
}

TEST_F(GridTest, GridStatsCountTheGridsHazardsAndPatrolCoverage) {
  auto r = server_->call("GET", "/api/v1/stats/grids?from=2026-01-01", worker_);
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_FALSE(r.body["items"].empty());
  const auto& g = r.body["items"][0];
  EXPECT_EQ(g["grid_id"], grid_);
  EXPECT_EQ(g["buildings"], 2);
  const auto& h = g["hazards"];
  EXPECT_EQ(h["reported"].get<int>(),
            h["open"].get<int>() + h["rectified"].get<int>() + h["verified"].get<int>());
}

}  // namespace
}  // namespace anju::testing
