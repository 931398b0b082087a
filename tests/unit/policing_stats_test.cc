// Monthly policing figures on a small, hand-counted set of estates, incidents and service records.
#include "grid/policing_stats.h"

#include <gtest/gtest.h>

#include "temp_store.h"

namespace anju::grid {
namespace {

using test_support::TempStore;

constexpr int kChina = 480;

int64_t at(const char* text) {
  auto t = parseTimestamp(text, kChina);
  EXPECT_TRUE(t) << text;
  return t.value_or(0);
}

TEST(PolicingMonths, MonthsFollowChinaTimeAndAreCutToTheWindow) {
  auto months = monthsBetween(at("2026-01-15T12:00:00+08:00"), at("2026-03-01"), kChina);
  ASSERT_EQ(months.size(), 2u);
  EXPECT_EQ(months[0].month, "2026-01");
  EXPECT_EQ(months[0].start, at("2026-01-15T12:00:00+08:00"));
  EXPECT_EQ(months[0].end, at("2026-02-01"));
  EXPECT_EQ(months[1].month, "2026-02");
  EXPECT_EQ(months[1].end, at("2026-03-01"));
  // 16:00 UTC on 31 January is already February in China.
  EXPECT_EQ(monthsBetween(at("2026-01-31T16:00:00Z"), at("2026-02-02"), kChina)[0].month,
            "2026-02");
  EXPECT_TRUE(monthsBetween(at("2026-02-01"), at("2026-02-01"), kChina).empty());
}

TEST(PolicingMonths, MonthStartsMoveAcrossYears) {
  EXPECT_EQ(localMonthStart(at("2026-01-20T09:00:00+08:00"), kChina, 0), at("2026-01-01"));
  EXPECT_EQ(localMonthStart(at("2026-01-20T09:00:00+08:00"), kChina, -1), at("2025-12-01"));
  EXPECT_EQ(localMonthStart(at("2025-12-31T23:59:00+08:00"), kChina, 1), at("2026-01-01"));
}

class PolicingStatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Estates 1-4 lie in the scope /1/, estate 5 outside it.
    for (int id = 1; id <= 5; ++id) {
      exec(
          "INSERT INTO estates (id, region_path, name, created_at, updated_at) VALUES (?, ?, ?, "
          "0, 0)",
          {int64_t{id}, id == 5 ? "/2/" : "/1/", "小区" + std::to_string(id)});
    }
    incident(1, "criminal", "theft", "2026-01-05T10:00:00+08:00");
    incident(1, "criminal", "fraud", "2026-01-20T10:00:00+08:00");
    incident(2, "criminal", "burglary", "2026-01-31T23:30:00+08:00");
    incident(3, "public_order", "fight", "2026-01-10T21:00:00+08:00");
    incident(4, "criminal", "burglary", "2026-02-01T00:30:00+08:00");
    incident(5, "criminal", "theft", "2026-02-10T10:00:00+08:00");
    incident(0, "criminal", "robbery", "2026-02-15T10:00:00+08:00");
    incident(3, "criminal", "theft", "2026-03-01T00:00:00+08:00");

    service("zhang", "documents", "2026-01-15", 3, "/1/");
    service("zhang", "rescue", "2026-02-28", 1, "/1/");
    service("li", "help", "2026-02-01", 1, "/1/");
    service("zhang", "documents", "2026-03-01", 5, "/1/");
    service("li", "help", "2026-01-20", 2, "/2/");
  }

  void exec(const std::string& sql, const std::vector<store::Value>& params) {
    Status s = store_.execute(sql, params);
    ASSERT_TRUE(s) << s.message();
  }

  // Estate 0: an incident of the region with no estate.
  void incident(int64_t estate, const char* kind, const char* category, const char* when) {
    exec(
        "INSERT INTO police_incidents (region_path, estate_id, kind, category, occurred_at, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)",
        {estate == 5 ? "/2/" : "/1/", estate ? store::Value(estate) : store::Value(), kind,
         category, at(when)});
  }

  void service(const char* officer, const char* kind, const char* day, int64_t count,
               const char* path) {
    exec(
        "INSERT INTO service_records (region_path, officer, kind, occurred_on, count, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)",
        {path, officer, kind, day, count});
  }

  PolicingStats stats() {
    auto s =
        policingStats(store_.db(), store::Scope{"/1/"}, at("2026-01-01"), at("2026-03-01"), kChina);
    EXPECT_TRUE(s) << s.status().message();
    return s ? *s : PolicingStats{};
  }

  TempStore store_;
};

TEST_F(PolicingStatsTest, CountsEstatesWithoutCriminalIncidentsEachMonth) {
  auto s = stats();
  ASSERT_EQ(s.months.size(), 2u);
  const auto& jan = s.months[0];
  EXPECT_EQ(jan.month, "2026-01");
  EXPECT_EQ(jan.estates, 4);
  EXPECT_EQ(jan.zero_incident_estates, 2);  // estates 3 (public order only) and 4
  EXPECT_DOUBLE_EQ(jan.zero_incident_share.value_or(-1), 0.5);
  const auto& feb = s.months[1];
  EXPECT_EQ(feb.month, "2026-02");
  EXPECT_EQ(feb.zero_incident_estates, 3);  // only estate 4, just after midnight on 1 February
  EXPECT_DOUBLE_EQ(feb.zero_incident_share.value_or(-1), 0.75);
}

TEST_F(PolicingStatsTest, CountsIncidentsByKindAndBurglariesInsideTheScopeAndWindow) {
  auto s = stats();
  ASSERT_EQ(s.months.size(), 2u);
  EXPECT_EQ(s.months[0].criminal, 3);
  EXPECT_EQ(s.months[0].public_order, 1);
  EXPECT_EQ(s.months[0].burglary, 1);
  // The region's own incident counts; estate 5's (outside) and March's do not.
  EXPECT_EQ(s.months[1].criminal, 2);
  EXPECT_EQ(s.months[1].public_order, 0);
  EXPECT_EQ(s.months[1].burglary, 1);
}

TEST_F(PolicingStatsTest, SumsEachOfficersServiceRecordsMostFirst) {
  auto s = stats();
  ASSERT_EQ(s.officers.size(), 2u);
  EXPECT_EQ(s.officers[0].officer, "zhang");
  EXPECT_EQ(s.officers[0].total, 4);
  EXPECT_EQ(s.officers[0].by_kind,
            (std::map<std::string, int64_t>{{"documents", 3}, {"rescue", 1}}));
  EXPECT_EQ(s.officers[1].officer, "li");
  EXPECT_EQ(s.officers[1].total, 1);
}

TEST_F(PolicingStatsTest, AScopeWithoutEstatesHasNoShare) {
  auto s =
      policingStats(store_.db(), store::Scope{"/3/"}, at("2026-01-01"), at("2026-02-01"), kChina);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->months.size(), 1u);
  EXPECT_EQ(s->months[0].estates, 0);
  EXPECT_FALSE(s->months[0].zero_incident_share);
}

}  // namespace
}  // namespace anju::grid
