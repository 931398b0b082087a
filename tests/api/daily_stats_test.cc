// The overview's day-by-day counts: the last 30 days by default, in the caller's scope, each series
// only for the roles that read it.
#include <gtest/gtest.h>

#include "anju_server.h"

namespace anju::testing {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "daily-stats-password";

class DailyStatsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AnjuServer();
    admin_ = server_->adminToken();
    district_ = post(admin_, "/api/v1/regions", {{"name", "海港区"}, {"level", "district"}})["id"];
    other_ = post(admin_, "/api/v1/regions", {{"name", "北戴河区"}, {"level", "district"}})["id"];
    for (const char* text : {"楼道堆放杂物", "路灯不亮"}) {
      post(admin_, "/api/v1/cases",
           {{"channel", "hotline"},
            {"category", "environment"},
            {"description", text},
            {"region_id", district_}});
    }
    post(admin_, "/api/v1/cases",
         {{"channel", "hotline"},
          {"category", "neighbour"},
          {"description", "邻居噪音"},
          {"region_id", other_}});
    mediator_ = user("tj_li", {"mediator"});
    guard_ = user("ba_zhou", {"security"});
    resident_ = user("jm_he", {"resident"});
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
  static std::string user(const std::string& name, const std::vector<std::string>& roles) {
    post(admin_, "/api/v1/users",
         {{"username", name}, {"password", kPassword}, {"roles", roles}, {"region_id", district_}});
    return server_->login(name, kPassword);
  }

  static AnjuServer* server_;
  static std::string admin_, mediator_, guard_, resident_;
  static json district_, other_;
};
AnjuServer* DailyStatsTest::server_ = nullptr;
std::string DailyStatsTest::admin_, DailyStatsTest::mediator_, DailyStatsTest::guard_,
    DailyStatsTest::resident_;
json DailyStatsTest::district_, DailyStatsTest::other_;

TEST_F(DailyStatsTest, CountsTheLastThirtyDaysUpToTodayInTheCallersRegion) {
  auto r = server_->call("GET", "/api/v1/stats/daily", mediator_);
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["days"].size(), 30u);
  ASSERT_EQ(r.body["cases"].size(), 30u);
  // Today is the last day; the two cases of the mediator's district were filed today, the one
  // in the other district is not theirs to count.
  EXPECT_EQ(r.body["cases"].back(), 2);
  EXPECT_EQ(r.body["cases_by_status"], json({{"submitted", 2}}));
  // The window runs from midnight 30 days ago to the coming midnight, both local.
  const std::string from = r.body["from"], to = r.body["to"];
  EXPECT_EQ(r.body["days"].front(), from.substr(0, 10));
  EXPECT_LT(r.body["days"].back().get<std::string>(), to.substr(0, 10));
  EXPECT_EQ(from.substr(10), "T00:00:00.000+08:00");
}

TEST_F(DailyStatsTest, GivesEachSeriesOnlyToTheRolesThatReadIt) {
  auto mediator = server_->call("GET", "/api/v1/stats/daily", mediator_);
  EXPECT_FALSE(mediator.body.contains("alerts"));
  EXPECT_FALSE(mediator.body.contains("incidents"));
  auto guard = server_->call("GET", "/api/v1/stats/daily", guard_);
  ASSERT_EQ(guard.status, 200) << guard.raw;
  EXPECT_EQ(guard.body["alerts"].size(), 30u);
  EXPECT_EQ(guard.body["incidents"].size(), 30u);
  EXPECT_FALSE(guard.body.contains("cases"));
  EXPECT_FALSE(guard.body.contains("cases_by_status"));
  EXPECT_EQ(server_->call("GET", "/api/v1/stats/daily", resident_).status, 403);
}

TEST_F(DailyStatsTest, TakesAWindowOfLocalDaysAndRefusesABadOne) {
  auto week = server_->call("GET", "/api/v1/stats/daily?from=2026-01-01&to=2026-01-08", admin_);
  ASSERT_EQ(week.status, 200) << week.raw;
  EXPECT_EQ(week.body["days"].front(), "2026-01-01");
  EXPECT_EQ(week.body["days"].back(), "2026-01-07");
  EXPECT_EQ(week.body["cases"], json({0, 0, 0, 0, 0, 0, 0}));
  auto backwards =
      server_->call("GET", "/api/v1/stats/daily?from=2026-02-01&to=2026-01-01", admin_);
  EXPECT_EQ(backwards.status, 400);
  EXPECT_EQ(backwards.body["error"]["field"], "from");
  auto too_long = server_->call("GET", "/api/v1/stats/daily?from=2024-01-01&to=2026-01-01", admin_);
  EXPECT_EQ(too_long.status, 400);
}

TEST_F(DailyStatsTest, RefusesARegionOutsideTheCallersOwn) {
  auto r = server_->call("GET", "/api/v1/stats/daily?region_id=" + other_.dump(), mediator_);
  EXPECT_EQ(r.status, 403);
}

}  // namespace
}  // namespace anju::testing
