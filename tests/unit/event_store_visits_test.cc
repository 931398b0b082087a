// The event store's vehicle visits as the statistics read them: filtered by plate lists, and
// summed per plate with the stay of those that left.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/event_store.h"
#include "temp_store.h"

namespace anju::store {
namespace {

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kNine = int64_t{1795309200000};  // 2026-11-22T01:00:00Z, 09:00 in Beijing

domain::Event car(const std::string& id, const std::string& plate, const std::string& direction,
                  int64_t ts) {
  domain::Event e;
  e.device_id = "barrier";
  e.event_id = id;
  e.kind = domain::EventKind::kVehicle;
  e.ts = ts;
  e.received = ts;
  e.estate_id = 1;
  e.plate = plate;
  e.result = "granted";
  e.direction = direction;
  return e;
}

class EventStoreVisitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = openSqlite({.path = (temp_.dir() / "events.db").string()});
    ASSERT_TRUE(opened.isOk()) << opened.status().message();
    db_ = std::move(*opened);
    store_ = std::make_unique<EventStore>(*db_);
    ASSERT_TRUE(store_->initialize().isOk());
    std::vector<domain::Event> events = {car("1", "冀C99999", "in", kNine),
                                         car("2", "冀C12345", "in", kNine + 10 * kMinute),
                                         car("3", "冀C99999", "out", kNine + 95 * kMinute),
                                         car("4", "冀C99999", "in", kNine + 120 * kMinute),
                                         car("5", "冀C88888", "out", kNine + 130 * kMinute)};
    ASSERT_TRUE(store_->preparePartitions(events).isOk());
    Status st = db_->write([&](Connection& c) -> Status {
      auto stored = store_->insert(c, events);
      return stored ? Status{} : stored.status();
    });
    ASSERT_TRUE(st.isOk()) << st.message();
  }

  test_support::TempStore temp_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<EventStore> store_;
};

TEST_F(EventStoreVisitsTest, FiltersVisitsByPlatesAndExceptPlates) {
  const int64_t to = kNine + 1000 * kMinute;
  auto all = store_->visits(VisitQuery{.estate_id = 1, .from = kNine, .to = to});
  ASSERT_TRUE(all.isOk());
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].plate, "冀C88888");  // newest first: the exit without an entry
  EXPECT_FALSE((*all)[0].in_ts.has_value());

  auto only = store_->visits(VisitQuery{
      .estate_id = 1, .from = kNine, .to = to, .plates = std::vector<std::string>{"冀C12345"}});
  ASSERT_TRUE(only.isOk());
  ASSERT_EQ(only->size(), 1u);
  EXPECT_EQ((*only)[0].plate, "冀C12345");

  auto none = store_->visits(
      VisitQuery{.estate_id = 1, .from = kNine, .to = to, .plates = std::vector<std::string>{}});
  ASSERT_TRUE(none.isOk());
  EXPECT_TRUE(none->empty());

  auto others = store_->visits(VisitQuery{
      .estate_id = 1, .from = kNine, .to = to, .except_plates = {"冀C12345", "冀C88888"}});
  ASSERT_TRUE(others.isOk());
  ASSERT_EQ(others->size(), 2u);
  for (const auto& v : *others) EXPECT_EQ(v.plate, "冀C99999");
}

TEST_F(EventStoreVisitsTest, TotalsCountEntriesInTheWindowAndTheStayOfThoseThatLeft) {
  auto totals = store_->visitTotals(1, kNine, kNine + 1000 * kMinute);
  ASSERT_TRUE(totals.isOk());
  ASSERT_EQ(totals->size(), 2u);  // the exit without an entry is not a visit that entered
  auto temporary = std::find_if(totals->begin(), totals->end(),
                                [](const PlateVisits& p) { return p.plate == "冀C99999"; });
  ASSERT_NE(temporary, totals->end());
  EXPECT_EQ(temporary->visits, 2);
  EXPECT_EQ(temporary->closed, 1);
  EXPECT_EQ(temporary->dwell_ms, 95 * kMinute);
  auto later = store_->visitTotals(1, kNine + kMinute, kNine + 1000 * kMinute);
  ASSERT_TRUE(later.isOk());
  EXPECT_EQ(later->size(), 2u);  // 冀C12345 and the second 冀C99999 visit
}

}  // namespace
}  // namespace anju::store
