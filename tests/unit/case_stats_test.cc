// Case statistics on a known set of cases, every figure worked out by hand. Twelve cases: ten
// counted in November and December 2026 (China time), one merged duplicate and one from October
// that must not be. Mediations: agreed on cases 1, 2 and 7, failed on 3, withdrawn on 4, open on
// 8, and two on the uncounted cases.
#include "mediation/case_stats.h"

#include <gtest/gtest.h>

#include "case_world.h"

namespace anju::mediation {
namespace {

using nlohmann::json;
using test_support::CaseRow;
using test_support::CaseWorld;

constexpr int64_t kHour = 3600 * 1000;

class CaseStatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto resolvedCase = [](int64_t id, const std::string& path, int64_t estate,
                           const std::string& category, const std::string& status,
                           const std::string& level, const std::string& route,
                           const std::string& created, int64_t hours, int64_t on_time,
                           std::optional<int64_t> rating) {
      const int64_t at = CaseWorld::at(created);
      return CaseRow{.id = id,
                     .region_path = path,
                     .estate_id = estate,
                     .category = category,
                     .status = status,
                     .level = level,
                     .route = route,
                     .created_at = at,
                     .accepted_at = at + kHour,
                     .resolved_at = at + hours * kHour,
                     .resolved_on_time = on_time,
                     .rating = rating};
    };
    const std::string s3 = "/1/2/3/", s4 = "/1/2/4/";
    world_.addCase(resolvedCase(1, s3, 10, "neighbour", "closed", "village", "people_mediation",
                                "2026-11-02T10:00:00", 10, 1, 5));
    world_.addCase(resolvedCase(2, s3, 10, "neighbour", "rated", "village", "people_mediation",
                                "2026-11-05T10:00:00", 20, 1, 4));
    world_.addCase({.id = 3,
                    .estate_id = 10,
                    .status = "in_progress",
                    .level = "township",
                    .route = "court_mediation",
                    .created_at = CaseWorld::at("2026-11-10T10:00:00"),
                    .accepted_at = CaseWorld::at("2026-11-10T11:00:00")});
    world_.addCase(resolvedCase(4, s3, 10, "land", "feedback", "township",
                                "administrative_mediation", "2026-11-12T10:00:00", 30, 0,
                                std::nullopt));
    world_.addCase(resolvedCase(5, s4, 11, "property", "resolved", "village", "department",
                                "2026-11-20T10:00:00", 40, 1, std::nullopt));
    world_.addCase({.id = 6,
                    .region_path = s4,
                    .estate_id = 11,
                    .category = "property",
                    .created_at = CaseWorld::at("2026-11-25T10:00:00")});
    // 2026-11-30T18:00Z: still November in UTC, already December in China.
    world_.addCase(resolvedCase(7, s4, 11, "labour", "rated", "county", "people_mediation",
                                "2026-12-01T02:00:00", 50, 0, 2));
    world_.addCase(resolvedCase(8, s3, 10, "neighbour", "closed", "village", "people_mediation",
                                "2026-12-03T10:00:00", 60, 1, 3));
    world_.addCase({.id = 9,
                    .category = "family",
                    .status = "accepted",
                    .created_at = CaseWorld::at("2026-12-05T10:00:00"),
                    .accepted_at = CaseWorld::at("2026-12-05T11:00:00")});
    CaseRow merged = resolvedCase(10, s3, 10, "neighbour", "merged", "village", "people_mediation",
                                  "2026-12-06T10:00:00", 5, 1, 1);
    merged.merged_into = 8;
    world_.addCase(merged);
    world_.addCase(resolvedCase(11, s3, 10, "neighbour", "closed", "village", "people_mediation",
                                "2026-10-20T10:00:00", 5, 1, 1));
    world_.addCase(resolvedCase(12, s3, 10, "neighbour", "resolved", "village", "people_mediation",
                                "2026-12-10T10:00:00", 100, 1, std::nullopt));

    for (const auto& [case_id, outcome] :
         std::vector<std::pair<int64_t, std::string>>{{1, "agreed"},
                                                      {2, "agreed"},
                                                      {3, "failed"},
                                                      {4, "withdrawn"},
                                                      {7, "agreed"},
                                                      {8, ""},
                                                      {10, "agreed"},
                                                      {11, "failed"}}) {
      Status s = world_.store.execute(
          "INSERT INTO mediations (case_id, kind, mediator, outcome, agreement, created_by, "
          "created_at, updated_at) VALUES (?, 'people', '王调解', ?, ?, 'm', 0, 0)",
          {case_id, outcome.empty() ? store::Value{} : store::Value(outcome),
           outcome == "agreed" ? store::Value("协议") : store::Value{}});
      ASSERT_TRUE(s) << s.message();
    }
  }

  json stats(const std::string& scope, const std::string& level = "",
             const std::string& category = "") {
    auto result = caseStats(world_.store.db(),
                            {.scope = {scope},
                             .from = CaseWorld::at("2026-11-01T00:00:00"),
                             .to = CaseWorld::at("2027-01-01T00:00:00"),
                             .level = level,
                             .category = category},
                            480);
    EXPECT_TRUE(result) << result.status().message();
    return result ? statsJson(*result) : json();
  }

  CaseWorld world_;
};

TEST_F(CaseStatsTest, CountsTheCasesOfThePeriodWithoutMergedDuplicates) {
  json s = stats("/");

  EXPECT_EQ(s["total"], 10);
  EXPECT_EQ(s["accepted"], 9);
  EXPECT_EQ(s["resolved"], 7);
  EXPECT_EQ(s["on_time"], 5);
  EXPECT_EQ(s["rated"], 4);
}

TEST_F(CaseStatsTest, WorksOutEachRateFromItsOwnDenominator) {
  json s = stats("/");

  EXPECT_DOUBLE_EQ(s["resolution_rate"].get<double>(), 7.0 / 10);
  EXPECT_DOUBLE_EQ(s["on_time_rate"].get<double>(), 5.0 / 7);
  EXPECT_DOUBLE_EQ(s["satisfaction"].get<double>(), 14.0 / 4);
  EXPECT_DOUBLE_EQ(s["satisfied_rate"].get<double>(), 2.0 / 4);
  EXPECT_DOUBLE_EQ(s["mediation_success_rate"].get<double>(), 3.0 / 5);
  EXPECT_DOUBLE_EQ(s["pre_litigation_rate"].get<double>(), 6.0 / 7);
}

TEST_F(CaseStatsTest, TimeToResolveIsTheMeanAndTheNearestRankNinetiethPercentileInHours) {
  json s = stats("/");

  EXPECT_DOUBLE_EQ(s["mean_hours_to_resolve"].get<double>(), 310.0 / 7);
  EXPECT_DOUBLE_EQ(s["p90_hours_to_resolve"].get<double>(), 100.0);
}

TEST_F(CaseStatsTest, GroupsByCategoryAndLevelWithUntriagedCasesApart) {
  json s = stats("/");

  EXPECT_EQ(s["by_category"]["neighbour"]["total"], 5);
  EXPECT_EQ(s["by_category"]["neighbour"]["resolved"], 4);
  EXPECT_DOUBLE_EQ(s["by_category"]["neighbour"]["mediation_success_rate"].get<double>(), 2.0 / 3);
  EXPECT_EQ(s["by_category"]["property"]["total"], 2);
  EXPECT_EQ(s["by_level"]["village"]["total"], 5);
  EXPECT_DOUBLE_EQ(s["by_level"]["village"]["on_time_rate"].get<double>(), 1.0);
  EXPECT_EQ(s["by_level"]["township"]["total"], 2);
  EXPECT_EQ(s["by_level"]["county"]["total"], 1);
  EXPECT_EQ(s["by_level"]["untriaged"]["total"], 2);
}

TEST_F(CaseStatsTest, MonthsAreChinaTimeMonths) {
  json s = stats("/");

  EXPECT_EQ(s["by_month"]["2026-11"]["total"], 6);
  EXPECT_DOUBLE_EQ(s["by_month"]["2026-11"]["resolution_rate"].get<double>(), 4.0 / 6);
  EXPECT_EQ(s["by_month"]["2026-12"]["total"], 4);
  EXPECT_DOUBLE_EQ(s["by_month"]["2026-12"]["resolution_rate"].get<double>(), 3.0 / 4);
}

TEST_F(CaseStatsTest, RegionsAreTheChildrenOfTheScopeWithTheirNames) {
  json s = stats("/1/2/");

  EXPECT_EQ(s["by_region"].size(), 2u);
  EXPECT_EQ(s["by_region"]["3"]["total"], 7);
  EXPECT_EQ(s["by_region"]["3"]["name"], "白塔岭街道");
  EXPECT_EQ(s["by_region"]["4"]["total"], 3);
  EXPECT_DOUBLE_EQ(s["by_region"]["4"]["satisfaction"].get<double>(), 2.0);
}

TEST_F(CaseStatsTest, AScopeCountsOnlyItsOwnCases) {
  json s = stats("/1/2/4/");

  EXPECT_EQ(s["total"], 3);
  EXPECT_EQ(s["resolved"], 2);
  EXPECT_DOUBLE_EQ(s["mediation_success_rate"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(s["pre_litigation_rate"].get<double>(), 1.0);
  EXPECT_EQ(s["by_region"]["4"]["total"], 3);
}

TEST_F(CaseStatsTest, EveryRateIsNullForAnEmptySet) {
  json s = stats("/", "", "consumer");

  EXPECT_EQ(s["total"], 0);
  for (const char* rate : {"resolution_rate", "on_time_rate", "satisfaction", "satisfied_rate",
                           "mediation_success_rate", "pre_litigation_rate", "mean_hours_to_resolve",
                           "p90_hours_to_resolve"}) {
    EXPECT_TRUE(s[rate].is_null()) << rate;
  }
  EXPECT_EQ(s["by_category"], json::object());
}

TEST_F(CaseStatsTest, LevelAndCategoryNarrowTheSetAndUnknownOnesAreRefused) {
  EXPECT_EQ(stats("/", "village")["total"], 5);
  EXPECT_EQ(stats("/", "", "neighbour")["total"], 5);

  auto level = caseStats(world_.store.db(), {.scope = {"/"}, .to = 1, .level = "province"}, 480);
  auto category = caseStats(world_.store.db(), {.scope = {"/"}, .to = 1, .category = "x"}, 480);
  EXPECT_EQ(level.status().field(), "level");
  EXPECT_EQ(category.status().field(), "category");
}

TEST_F(CaseStatsTest, TheEndpointNarrowsToARegionInsideTheCallersAndRefusesOthers) {
  const std::string token = world_.token("mediator3", "mediator", 3);

  auto own = world_.call("GET", "/api/v1/stats/cases?from=2026-11-01&to=2027-01-01", token);
  auto inside =
      world_.call("GET", "/api/v1/stats/cases?from=2026-11-01&to=2027-01-01&region_id=3", token);
  auto other = world_.call("GET", "/api/v1/stats/cases?region_id=4", token);
  auto wider = world_.call("GET", "/api/v1/stats/cases?region_id=2", token);

  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.body["total"], 7);
  EXPECT_EQ(inside.body["total"], 7);
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(wider.status, 403);
}

TEST_F(CaseStatsTest, RecurringMattersAreComparedWithThePeriodBefore) {
  const std::string token = world_.token("admin", "admin", std::nullopt);

  auto found =
      world_.call("GET", "/api/v1/stats/cases/recurring?from=2026-11-01&to=2026-12-01", token);

  ASSERT_EQ(found.status, 200) << found.body;
  const json& places = found.body["places"];
  ASSERT_EQ(places.size(), 2u);
  EXPECT_EQ(places[0], (json{{"category", "neighbour"},
                             {"category_name", "邻里纠纷"},
                             {"estate_id", 10},
                             {"estate_name", "海景小区"},
                             {"count", 3},
                             {"previous", 1},
                             {"change", 2}}));
  EXPECT_EQ(places[1]["category"], "property");
  EXPECT_EQ(places[1]["estate_id"], 11);
  EXPECT_EQ(places[1]["previous"], 0);
  const json& categories = found.body["categories"];
  ASSERT_EQ(categories.size(), 2u);
  EXPECT_EQ(categories[0]["category"], "neighbour");
  EXPECT_EQ(categories[0]["count"], 3);
  EXPECT_FALSE(categories[0].contains("estate_id"));
  EXPECT_EQ(categories[1]["category"], "property");
  EXPECT_EQ(found.body["previous_from"], "2026-10-02T00:00:00.000+08:00");
}

}  // namespace
}  // namespace anju::mediation
