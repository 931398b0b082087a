// Per-grid figures on a small, hand-counted set of grids, patrols, check-ins and hazards, in the
// window of March 2026 with 20 March as today.
#include "grid/grid_stats.h"

#include <gtest/gtest.h>

#include "temp_store.h"

namespace anju::grid {
namespace {

using test_support::TempStore;

int64_t at(const char* text) {
  auto t = parseTimestamp(text, 480);
  EXPECT_TRUE(t) << text;
  return t.value_or(0);
}

class GridStatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    exec(
        "INSERT INTO estates (id, region_path, name, created_at, updated_at) VALUES (1, '/1/', "
        "'金色家园', 0, 0)");
    for (int64_t b : {10, 11, 12, 13}) {
      exec(
          "INSERT INTO buildings (id, region_path, estate_id, name, created_at, updated_at) "
          "VALUES (?, '/1/', 1, ?, 0, 0)",
          {b, std::to_string(b) + "号楼"});
    }
    exec(
        "INSERT INTO grids (id, region_path, name, created_at, updated_at) VALUES (1, '/1/', "
        "'一网格', 0, 0), (2, '/1/', '二网格', 0, 0), (3, '/2/', '外区网格', 0, 0)");
    for (const char* b : {"10", "11", "12"}) {
      exec(
          "INSERT INTO links (entity, field, object_id, value) VALUES ('grids', 'building_ids', "
          "1, ?)",
          {b});
    }
    exec(
        "INSERT INTO links (entity, field, object_id, value) VALUES ('grids', 'building_ids', 3, "
        "'13')");

    patrol(1, 1, at("2026-03-05T09:00:00+08:00"), 0);
    patrol(2, 1, at("2026-02-20T09:00:00+08:00"), 0);
    patrol(3, 2, 0, at("2026-03-10T09:00:00+08:00"));  // entered afterwards, without a start
    patrol(4, 3, at("2026-03-06T09:00:00+08:00"), 0);
    checkin(1, 10, "2026-03-05T09:10:00+08:00");
    checkin(1, 10, "2026-03-05T09:40:00+08:00");
    checkin(1, 13, "2026-03-05T10:00:00+08:00");
    checkin(2, 11, "2026-02-20T09:10:00+08:00");
    checkin(3, 12, "2026-03-10T09:10:00+08:00");  // another grid's patrol reaches building 12
    checkin(4, 13, "2026-03-06T09:10:00+08:00");

    hazard(1, "reported", nullptr, "2026-03-02");
    hazard(1, "assigned", "2026-03-10", "2026-03-03");
    hazard(1, "assigned", "2026-03-25", "2026-03-04");
    hazard(1, "rectified", "2026-03-01", "2026-03-05");
    hazard(1, "verified", "2026-03-15", "2026-03-06");
    hazard(1, "assigned", "2026-02-01", "2026-02-10");  // reported before the window
    hazard(3, "assigned", "2026-03-01", "2026-03-02");
  }

  void exec(const std::string& sql, const std::vector<store::Value>& params = {}) {
    Status s = store_.execute(sql, params);
    ASSERT_TRUE(s) << s.message();
  }

  void patrol(int64_t id, int64_t grid, int64_t started_at, int64_t created_at) {
    exec(
        "INSERT INTO patrols (id, region_path, grid_id, started_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {id, grid == 3 ? "/2/" : "/1/", grid,
         started_at ? store::Value(started_at) : store::Value(), created_at, created_at});
  }

  void checkin(int64_t patrol, int64_t building, const char* when) {
    exec(
        "INSERT INTO patrol_checkins (region_path, patrol_id, building_id, ts, created_at, "
        "updated_at) VALUES ('/1/', ?, ?, ?, 0, 0)",
        {patrol, building, at(when)});
  }

  void hazard(int64_t grid, const char* status, const char* rectify_by, const char* reported_on) {
    exec(
        "INSERT INTO hazards (region_path, grid_id, kind, description, status, rectify_by, "
        "created_at, updated_at) VALUES (?, ?, 'fire', '隐患', ?, ?, ?, 0)",
        {grid == 3 ? "/2/" : "/1/", grid, status,
         rectify_by ? store::Value(rectify_by) : store::Value(), at(reported_on)});
  }

  std::vector<GridTally> stats() {
    auto s = gridStats(store_.db(), store::Scope{"/1/"}, at("2026-03-01"), at("2026-04-01"),
                       "2026-03-20");
    EXPECT_TRUE(s) << s.status().message();
    return s ? *s : std::vector<GridTally>{};
  }

  TempStore store_;
};

TEST_F(GridStatsTest, ListsOnlyTheGridsInScope) {
  auto s = stats();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].name, "一网格");
  EXPECT_EQ(s[1].name, "二网格");
}

TEST_F(GridStatsTest, CountsHazardsReportedInTheWindowByWhereTheyStandNow) {
  const GridTally g = stats().at(0);
  EXPECT_EQ(g.reported, 5);
  EXPECT_EQ(g.open, 3);
  EXPECT_EQ(g.rectified, 1);
  EXPECT_EQ(g.verified, 1);
  // Only the open hazard due on 10 March; the rectified one due on 1 March is done.
  EXPECT_EQ(g.overdue, 1);
}

TEST_F(GridStatsTest, CountsPatrolsAndCheckInsInTheWindow) {
  auto s = stats();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].patrols, 1);
  EXPECT_EQ(s[0].checkins, 3);
  EXPECT_EQ(s[1].patrols, 1);
  EXPECT_EQ(s[1].checkins, 1);
}

TEST_F(GridStatsTest, CoverageIsTheShareOfTheGridsBuildingsThatHadACheckIn) {
  auto s = stats();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].buildings, 3);
  EXPECT_EQ(s[0].buildings_checked, 2);  // 10 and 12; 11 only in February
  EXPECT_DOUBLE_EQ(s[0].coverage.value_or(-1), 2.0 / 3.0);
  EXPECT_EQ(s[1].buildings, 0);
  EXPECT_FALSE(s[1].coverage);
}

TEST_F(GridStatsTest, TotalsAddUpTheGrids) {
  GridTally total;
  for (const auto& g : stats()) total.add(g);
  EXPECT_EQ(total.reported, 5);
  EXPECT_EQ(total.patrols, 2);
  EXPECT_EQ(total.checkins, 4);
  EXPECT_DOUBLE_EQ(total.coverage.value_or(-1), 2.0 / 3.0);
}

}  // namespace
}  // namespace anju::grid
