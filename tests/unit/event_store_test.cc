// The event store and its group-commit writer: day tables, deduplication, trajectories in time
// order across days with paging, counts, vehicle visits, and device health on a fake clock.
#include "store/event_store.h"

#include <gtest/gtest.h>

#include "temp_events.h"

namespace anju {
namespace {

using namespace std::chrono_literals;

int64_t at(const char* text) {
  return parseTimestamp(text, 480).value();
}

domain::Event passage(std::string device, std::string id, const char* ts, int64_t person,
                      int64_t estate = 1) {
  domain::Event e;
  e.device_id = std::move(device);
  e.event_id = std::move(id);
  e.kind = domain::EventKind::kAccess;
  e.ts = at(ts);
  e.received = e.ts;
  e.estate_id = estate;
  e.person_id = person;
  e.result = "granted";
  e.direction = "in";
  return e;
}

domain::Event car(std::string id, const char* ts, const char* direction, int64_t estate = 1) {
  domain::Event e;
  e.device_id = "barrier";
  e.event_id = std::move(id);
  e.kind = domain::EventKind::kVehicle;
  e.ts = at(ts);
  e.received = e.ts;
  e.estate_id = estate;
  e.plate = "冀C12345";
  e.result = "granted";
  e.direction = direction;
  return e;
}

class EventStoreTest : public ::testing::Test {
 protected:
  std::vector<std::string> ids(const store::EventPage& page) {
    std::vector<std::string> out;
    for (const auto& s : page.items) out.push_back(s.event.event_id);
    return out;
  }

  test_support::TempStore registry_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 23))};
  test_support::TempEvents events_{registry_, clock_};
};

TEST_F(EventStoreTest, TheSameEventTwiceIsStoredOnceAndEachDayGetsItsOwnTable) {
  auto first = events_.writer->append({passage("d1", "e1", "2026-11-20T08:00:00+08:00", 7),
                                       passage("d1", "e2", "2026-11-21T08:00:00+08:00", 7),
                                       passage("d1", "e1", "2026-11-20T08:00:00+08:00", 7)});
  ASSERT_TRUE(first) << first.status().message();
  EXPECT_EQ(*first, (std::vector<bool>{true, true, false}));
  auto again = events_.writer->append({passage("d1", "e2", "2026-11-21T08:00:00+08:00", 7),
                                       passage("d2", "e2", "2026-11-21T08:00:00+08:00", 7)});
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, (std::vector<bool>{false, true}));  // event ids are unique per device
  EXPECT_EQ(events_.store->partitions(), (std::vector<std::string>{"20261120", "20261121"}));
}

TEST_F(EventStoreTest, ATrajectoryRunsOldestFirstAcrossDaysJoinsPlatesAndPages) {
  ASSERT_TRUE(events_.writer->append({passage("d1", "p3", "2026-11-21T18:00:00+08:00", 7),
                                      passage("d2", "p1", "2026-11-19T07:00:00+08:00", 7, 2),
                                      passage("d1", "other", "2026-11-20T07:00:00+08:00", 8),
                                      car("c1", "2026-11-20T09:00:00+08:00", "in"),
                                      passage("d1", "p2", "2026-11-20T08:00:00+08:00", 7)}));
  store::TrajectoryQuery q{
      .person_id = 7, .plates = {"冀C12345"}, .from = at("2026-11-01"), .to = at("2026-12-01")};
  auto all = events_.store->trajectory(q);
  ASSERT_TRUE(all);
  EXPECT_EQ(ids(*all), (std::vector<std::string>{"p1", "p2", "c1", "p3"}));
  EXPECT_FALSE(all->next);

  q.limit = 2;
  auto first = events_.store->trajectory(q);
  ASSERT_TRUE(first && first->next);
  EXPECT_EQ(ids(*first), (std::vector<std::string>{"p1", "p2"}));
  q.cursor = *first->next;
  auto second = events_.store->trajectory(q);
  ASSERT_TRUE(second);
  EXPECT_EQ(ids(*second), (std::vector<std::string>{"c1", "p3"}));

  store::TrajectoryQuery scoped{.person_id = 7,
                                .from = at("2026-11-01"),
                                .to = at("2026-12-01"),
                                .estates = std::vector<int64_t>{2}};
  auto in_estate_2 = events_.store->trajectory(scoped);
  ASSERT_TRUE(in_estate_2);
  EXPECT_EQ(ids(*in_estate_2), (std::vector<std::string>{"p1"}));

  store::TrajectoryQuery window{
      .person_id = 7, .from = at("2026-11-20"), .to = at("2026-11-20T23:59:59+08:00")};
  auto one_day = events_.store->trajectory(window);
  ASSERT_TRUE(one_day);
  EXPECT_EQ(ids(*one_day), (std::vector<std::string>{"p2"}));

  store::TrajectoryQuery broken = q;
  broken.cursor = "not-a-cursor";
  EXPECT_EQ(events_.store->trajectory(broken).status().field(), "cursor");
}

TEST_F(EventStoreTest, HourlyCountsAndVehicleVisitsFollowWhatWasStored) {
  ASSERT_TRUE(events_.writer->append({car("in1", "2026-11-20T09:00:00+08:00", "in"),
                                      car("out1", "2026-11-20T11:30:00+08:00", "out"),
                                      car("out2", "2026-11-20T12:00:00+08:00", "out"),
                                      passage("d1", "h1", "2026-11-20T09:10:00+08:00", 7),
                                      passage("d1", "h2", "2026-11-20T09:50:00+08:00", 8)}));
  // A replay changes neither the counts nor the visits.
  ASSERT_TRUE(events_.writer->append({car("out1", "2026-11-20T11:30:00+08:00", "out")}));
  auto counts = events_.store->hourCounts({1}, at("2026-11-20"), at("2026-11-21"));
  ASSERT_TRUE(counts);
  int64_t access_at_nine = 0, vehicles = 0;
  for (const auto& c : *counts) {
    if (c.kind == "access" && c.hour == at("2026-11-20T09:00:00+08:00")) access_at_nine += c.count;
    if (c.kind == "vehicle") vehicles += c.count;
  }
  EXPECT_EQ(access_at_nine, 2);
  EXPECT_EQ(vehicles, 3);
  auto visits = events_.store->visits(1, at("2026-11-20"), at("2026-11-21"), 10);
  ASSERT_TRUE(visits);
  ASSERT_EQ(visits->size(), 2u);
  // Newest first: the exit with no entry, then the closed visit of two and a half hours.
  EXPECT_FALSE((*visits)[0].in_ts);
  EXPECT_EQ((*visits)[1].out_ts.value() - (*visits)[1].in_ts.value(), 150 * 60 * 1000);
}

TEST_F(EventStoreTest, AFullQueueAnswersRateLimitedInsteadOfGrowing) {
  test_support::TempStore registry;
  test_support::TempEvents small{registry, clock_, {.max_queued_events = 1}};
  // One batch larger than the whole queue is still taken when nothing waits.
  auto big = small.writer->append({passage("d1", "q1", "2026-11-20T08:00:00+08:00", 7),
                                   passage("d1", "q2", "2026-11-20T08:00:00+08:00", 7)});
  ASSERT_TRUE(big);
  EXPECT_EQ(small.writer->stats().queued, 0u);
  EXPECT_EQ(small.writer->stats().events, 2u);
}

TEST_F(EventStoreTest, AQueuedDecisionIsStoredByTheNextCommitWithoutItsSenderWaiting) {
  ASSERT_TRUE(
      events_.writer->enqueue({passage("door", "decision-1", "2026-11-20T08:00:00+08:00", 7)}));
  // Commits keep their order: once a later batch is answered, the queued one is stored too.
  ASSERT_TRUE(events_.writer->append({passage("door", "later", "2026-11-20T08:00:01+08:00", 7)}));
  auto page = events_.store->list({.device_id = "door", .from = 0, .to = at("2027-01-01")});
  ASSERT_TRUE(page);
  EXPECT_EQ(ids(*page), (std::vector<std::string>{"decision-1", "later"}));
}

TEST_F(EventStoreTest, StatusChangesOfOneRegionAreNotHiddenBehindAPageOfAnothers) {
  std::vector<store::DeviceStatusChange> changes;
  for (int i = 0; i < 5; ++i) changes.push_back({0, "other-" + std::to_string(i), 2, i, false});
  changes.push_back({0, "mine", 1, 10, true});
  ASSERT_TRUE(events_.store->recordStatusChanges(changes));
  auto mine = events_.store->statusChanges(0, std::vector<int64_t>{1}, 2);
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].device_id, "mine");
  auto all = events_.store->statusChanges(0, std::nullopt, 2);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 2u);
  auto after = events_.store->statusChanges((*all)[1].id, std::nullopt, 100);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size(), 4u);
  auto none = events_.store->statusChanges(0, std::vector<int64_t>{}, 100);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(DeviceHealthTest, OfflineOnlyAfterTheMissedHeartbeatsOnTheServersClockAndBackOnTheNext) {
  FakeClock clock{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 23))};
  ingest::DeviceHealth health(clock, {.heartbeat = 60s, .missed = 3});
  health.load({{"door-1", 1, "door", false, 0}, {"cam-1", 1, "camera", true, clock.nowMillis()}});
  health.seen("door-1", 1, "door");
  auto first = health.sweep();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].device_id, "door-1");
  EXPECT_TRUE(first[0].online);

  clock.advance(170s);  // under three intervals: nobody is offline yet
  health.seen("door-1", 1, "door");
  EXPECT_TRUE(health.sweep().empty());

  clock.advance(20s);  // the camera has now been silent 190 s > 180 s; the door only 20 s
  auto second = health.sweep();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].device_id, "cam-1");
  EXPECT_FALSE(second[0].online);
  EXPECT_TRUE(health.sweep().empty());  // a transition is reported once

  clock.advance(1h);
  health.seen("cam-1", 1, "camera");  // whatever time the camera's message carried
  auto third = health.sweep();
  ASSERT_EQ(third.size(), 2u);
  EXPECT_EQ(third[0].device_id, "cam-1");
  EXPECT_TRUE(third[0].online);
  EXPECT_EQ(third[1].device_id, "door-1");
  EXPECT_FALSE(third[1].online);
}

TEST(DeviceHealthTest, ADeviceSeenByAnotherNodeStaysOnlineHereAndOldNewsChangesNothing) {
  FakeClock clock{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 12 / 2))};
  ingest::DeviceHealth health(clock, {.heartbeat = 60s, .missed = 3});
  const int64_t start = clock.nowMillis();
  health.load({{"door-1", 1, "door", true, start}, {"door-2", 1, "door", false, 0}});

  // Both talk only to another node, which persists when it saw them.
  clock.advance(170s);
  health.merge({{"door-1", 1, "door", true, clock.nowMillis()},
                {"door-2", 1, "door", true, clock.nowMillis()},
                {"gate-9", 2, "barrier", true, clock.nowMillis()}});
  auto back = health.sweep();
  ASSERT_EQ(back.size(), 2u);  // door-1 never went away
  EXPECT_EQ(back[0].device_id, "door-2");
  EXPECT_TRUE(back[0].online);
  EXPECT_EQ(back[1].device_id, "gate-9");  // created since this node started
  EXPECT_EQ(back[1].estate_id, 2);

  clock.advance(100s);  // door-1 was last seen 100 s ago elsewhere, not 270 s ago
  EXPECT_TRUE(health.sweep().empty());

  // A sighting older than what this node knows moves nothing back.
  clock.advance(200s);
  health.merge({{"door-1", 1, "door", true, start}});
  auto gone = health.sweep();
  ASSERT_EQ(gone.size(), 3u);
  for (const auto& change : gone) EXPECT_FALSE(change.online) << change.device_id;
  // Nor does one too old to count: the device stays offline.
  health.merge({{"door-1", 1, "door", true, clock.nowMillis() - 190'000}});
  EXPECT_TRUE(health.sweep().empty());
}

TEST_F(EventStoreTest, ObserversHearOfStoredEventsOnlyAndTheirKeysFindThem) {
  std::vector<store::StoredEvent> heard;
  events_.writer->observe([&](const std::vector<store::StoredEvent>& stored) {
    heard.insert(heard.end(), stored.begin(), stored.end());
  });
  domain::Event face = passage("cam", "f1", "2026-11-21T09:00:00+08:00", 7);
  face.kind = domain::EventKind::kFaceCapture;
  face.person_id.reset();
  face.embedding = "AACAPwAAAEA=";
  ASSERT_TRUE(events_.writer->append({passage("d1", "e1", "2026-11-20T08:00:00+08:00", 7), face}));
  ASSERT_TRUE(events_.writer->append({passage("d1", "e1", "2026-11-20T08:00:00+08:00", 7)}));
  ASSERT_EQ(heard.size(), 2u);  // the duplicate is not told again
  const auto& told = heard[1];
  EXPECT_EQ(told.event.event_id, "f1");
  auto found = events_.store->byKey(store::EventStore::eventKey(told.event.ts, told.seq));
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->event.device_id, "cam");
  EXPECT_EQ((*found)->event.embedding, "AACAPwAAAEA=");
  auto missing = events_.store->byKey(store::EventStore::eventKey(told.event.ts, told.seq + 5));
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

}  // namespace
}  // namespace anju
