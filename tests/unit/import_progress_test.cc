// Import progress: the share done as a large watchlist is read and stored, seen only by the user
// who started it, and ended (stored or not) whatever way the import finishes.
#include "api/import_progress.h"

#include <gtest/gtest.h>

#include "alerts/watchlists.h"
#include "common/clock.h"
#include "temp_store.h"

namespace anju {
namespace {

using namespace std::chrono_literals;

TEST(ImportProgressTest, AnImportIsSeenRunningThenEndedByItsOwnUserOnly) {
  FakeClock clock(std::chrono::system_clock::now());
  api::ImportProgress board(clock);
  auto report = board.begin("upload-7f3a", 42);
  ASSERT_TRUE(report) << report.status().message();
  report->update(0.25);
  auto running = board.get("upload-7f3a", 42);
  ASSERT_TRUE(running);
  EXPECT_TRUE(running->running);
  EXPECT_DOUBLE_EQ(running->fraction, 0.25);
  EXPECT_FALSE(board.get("upload-7f3a", 43)) << "another user must not see it";

  auto again = board.begin("upload-7f3a", 42);
  EXPECT_EQ(again.status().code(), Code::kConflict);
  EXPECT_EQ(again.status().field(), "progress");

  report->finish(true);
  auto ended = board.get("upload-7f3a", 42);
  ASSERT_TRUE(ended);
  EXPECT_FALSE(ended->running);
  EXPECT_TRUE(ended->committed);
  EXPECT_DOUBLE_EQ(ended->fraction, 1);

  // Ended imports are forgotten after ten minutes, and the id may be used again at once.
  EXPECT_TRUE(board.begin("upload-7f3a", 42));
  clock.advance(11min);
  EXPECT_TRUE(board.begin("another", 42));
  EXPECT_FALSE(board.get("upload-7f3a", 42));
}

TEST(ImportProgressTest, AnImportThatFailsEndsUncommitted) {
  FakeClock clock(std::chrono::system_clock::now());
  api::ImportProgress board(clock);
  {
    auto report = board.begin("failing", 1);
    ASSERT_TRUE(report);
    report->update(0.5);
  }
  auto ended = board.get("failing", 1);
  ASSERT_TRUE(ended);
  EXPECT_FALSE(ended->running);
  EXPECT_FALSE(ended->committed);
}

TEST(ImportProgressTest, BadIdsAreRefusedAndNoIdMeansNoReport) {
  FakeClock clock(std::chrono::system_clock::now());
  api::ImportProgress board(clock);
  for (const std::string& bad :
       std::vector<std::string>{"has space", "quote'--", std::string(65, 'a'), "斜杠/"}) {
    auto r = board.begin(bad, 1);
    EXPECT_EQ(r.status().field(), "progress") << bad;
  }
  auto none = board.begin("", 1);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->callback());
}

TEST(ImportProgressTest, AWatchlistImportReportsItsShareDoneInOrder) {
  test_support::TempStore store;
  FakeClock clock(std::chrono::system_clock::now());
  alerts::WatchlistStore lists(store.db(), clock, 480);
  auto list = lists.create(
      {{"name", "被盗车辆"}, {"kind", "vehicle"}, {"reason", "协查"}, {"requested_by", "王伟"}},
      "/", "wang_police");
  ASSERT_TRUE(list) << list.status().message();
  std::string csv = "车牌号,备注\n";
  for (int i = 0; i < 20000; ++i) csv += "冀C" + std::to_string(10000 + i) + ",\n";
  std::vector<double> seen;
  auto report = lists.importCsv((*list)["id"], csv, false, 100,
                                [&](double fraction) { seen.push_back(fraction); });
  ASSERT_TRUE(report) << report.status().message();
  EXPECT_EQ(report->imported, 20000u);
  ASSERT_GE(seen.size(), 6u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_GE(seen.front(), 0);
  EXPECT_LT(seen.front(), 0.5) << "reading comes first";
  EXPECT_GT(seen.back(), 0.5) << "then storing";
  EXPECT_LE(seen.back(), 1);
}

}  // namespace
}  // namespace anju
