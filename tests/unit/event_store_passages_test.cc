// The event store's passage questions for screening: a person's last passage across day tables,
// and per person or plate prefix the passages at each estate, merged across days.
#include <gtest/gtest.h>

#include "store/event_store.h"
#include "temp_events.h"

namespace anju {
namespace {

int64_t at(const char* text) {
  return parseTimestamp(text, 480).value();
}

domain::Event door(std::string id, const char* ts, int64_t person, const char* direction,
                   int64_t estate = 1, const char* result = "granted") {
  domain::Event e;
  e.device_id = "door-" + std::to_string(estate);
  e.event_id = std::move(id);
  e.kind = domain::EventKind::kAccess;
  e.ts = at(ts);
  e.received = e.ts;
  e.estate_id = estate;
  e.person_id = person;
  e.result = result;
  e.direction = direction;
  return e;
}

domain::Event car(std::string id, const char* ts, const char* plate, int64_t estate = 1) {
  domain::Event e;
  e.device_id = "barrier-" + std::to_string(estate);
  e.event_id = std::move(id);
  e.kind = domain::EventKind::kVehicle;
  e.ts = at(ts);
  e.received = e.ts;
  e.estate_id = estate;
  e.plate = plate;
  e.result = "granted";
  e.direction = "in";
  return e;
}

class EventStorePassagesTest : public ::testing::Test {
 protected:
  test_support::TempStore registry_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 23))};
  test_support::TempEvents events_{registry_, clock_};
};

TEST_F(EventStorePassagesTest, TheLastPassageIsTheNewestGrantedOneWithADirectionAcrossDays) {
  ASSERT_TRUE(events_.writer->append({
      door("a1", "2026-11-19T08:00:00+08:00", 7, "in"),
      door("a2", "2026-11-21T07:00:00+08:00", 7, "out"),
      door("a3", "2026-11-21T21:00:00+08:00", 7, "in", 1, "denied"),  // refused: did not pass
      door("a4", "2026-11-22T06:00:00+08:00", 7, ""),                 // a door without direction
      door("b1", "2026-11-20T09:00:00+08:00", 8, "out"),
      door("b2", "2026-11-22T10:00:00+08:00", 8, "in"),
      door("c1", "2026-11-22T10:00:00+08:00", 9, "out", 2),
  }));
  auto last = events_.store->lastPassages({7, 8, 9, 10}, at("2026-11-01"), at("2026-11-23"),
                                          std::vector<int64_t>{1});
  ASSERT_TRUE(last) << last.status().message();
  ASSERT_EQ(last->size(), 2u);  // 9 passed only at estate 2, 10 never
  EXPECT_EQ((*last)[0].person_id, 7);
  EXPECT_EQ((*last)[0].direction, "out");
  EXPECT_EQ((*last)[0].ts, at("2026-11-21T07:00:00+08:00"));
  EXPECT_EQ((*last)[1].person_id, 8);
  EXPECT_EQ((*last)[1].direction, "in");
  EXPECT_EQ((*last)[1].estate_id, 1);
}

TEST_F(EventStorePassagesTest, APassageBeforeTheWindowIsNotTheLastPassage) {
  ASSERT_TRUE(events_.writer->append({door("a1", "2026-11-10T08:00:00+08:00", 7, "out")}));
  auto last = events_.store->lastPassages({7}, at("2026-11-16"), at("2026-11-23"), std::nullopt);
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->empty());
}

TEST_F(EventStorePassagesTest, TotalsMergeDaysPerSubjectAndEstateAndPrefixesStayExact) {
  ASSERT_TRUE(events_.writer->append({
      car("v1", "2026-11-20T08:00:00+08:00", "鄂A12345"),
      car("v2", "2026-11-21T18:00:00+08:00", "鄂A12345"),
      car("v3", "2026-11-21T19:00:00+08:00", "鄂A12345", 2),
      car("v4", "2026-11-21T08:00:00+08:00", "鄂B12345"),
      car("v5", "2026-11-21T08:00:00+08:00", "京A12345"),
      car("v6", "2026-11-21T08:00:00+08:00", "鄂A99999", 3),
      door("p1", "2026-11-20T07:00:00+08:00", 7, "in"),
      door("p2", "2026-11-22T07:00:00+08:00", 7, "out"),
      door("p3", "2026-11-22T07:00:00+08:00", 8, "out"),
  }));
  auto totals = events_.store->passageTotals({.from = at("2026-11-01"),
                                              .to = at("2026-11-23"),
                                              .estates = std::vector<int64_t>{1, 2},
                                              .persons = {7},
                                              .plate_prefixes = {"鄂A"}});
  ASSERT_TRUE(totals) << totals.status().message();
  ASSERT_EQ(totals->size(), 3u);
  // Ordered by person (vehicles first), plate, estate.
  const auto& car1 = (*totals)[0];
  EXPECT_EQ(car1.plate, "鄂A12345");
  EXPECT_EQ(car1.estate_id, 1);
  EXPECT_EQ(car1.count, 2);
  EXPECT_EQ(car1.first, at("2026-11-20T08:00:00+08:00"));
  EXPECT_EQ(car1.last, at("2026-11-21T18:00:00+08:00"));
  EXPECT_EQ((*totals)[1].plate, "鄂A12345");
  EXPECT_EQ((*totals)[1].estate_id, 2);
  const auto& person = (*totals)[2];
  EXPECT_EQ(person.person_id, 7);
  EXPECT_EQ(person.count, 2);
  EXPECT_EQ(person.first, at("2026-11-20T07:00:00+08:00"));
  EXPECT_EQ(person.last, at("2026-11-22T07:00:00+08:00"));

  auto province = events_.store->passageTotals(
      {.from = at("2026-11-01"), .to = at("2026-11-23"), .plate_prefixes = {"鄂"}});
  ASSERT_TRUE(province);
  std::set<std::string> plates;
  for (const auto& t : *province) plates.insert(t.plate);
  EXPECT_EQ(plates, (std::set<std::string>{"鄂A12345", "鄂A99999", "鄂B12345"}));
}

}  // namespace
}  // namespace anju
