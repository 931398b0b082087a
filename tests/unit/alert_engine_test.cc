// Matching events to watchlists and rules: a watched person passing, a watched plate read with one
// wrong character, a repeated alarm updating one alert, key persons gathering, an elderly resident
// with no passage for N hours on a fake clock, a device going offline and back, schedules, and
// the rules' parameter checks naming the field.
#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "alerts/engine.h"
#include "common/crypto.h"
#include "domain/entity.h"
#include "store/event_positions.h"
#include "store/record_store.h"
#include "temp_events.h"

namespace anju {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class RecordingPublisher : public notify::Publisher {
 public:
  void publish(notify::Notice notice) override { notices.push_back(std::move(notice)); }
  std::vector<notify::Notice> notices;
};

// Counts the faces the engine is given and matches by exact equality of the first component, so
// the engine's handling of matches is tested apart from the face index.
class FirstComponentMatcher : public alerts::FaceMatcher {
 public:
  void load(const std::vector<alerts::WatchedFace>& faces) override { faces_ = faces; }
  std::vector<Match> match(const std::vector<float>& embedding, float min_similarity) override {
    std::vector<Match> out;
    for (const auto& f : faces_) {
      if (f.embedding[0] == embedding[0] && 0.9f >= min_similarity) {
        out.push_back({f.entry_id, 0.9f});
      }
    }
    return out;
  }

 private:
  std::vector<alerts::WatchedFace> faces_;
};

// Every capture it is told of, matched by the first component like the matcher above.
class RecordingCaptures : public alerts::CaptureIndex {
 public:
  std::vector<Similar> similar(const std::vector<float>& embedding, int64_t estate_id, int64_t from,
                               int64_t to, int k, float) override {
    std::vector<Similar> out;
    for (const auto& [key, c] : kept) {
      if (c.first == embedding[0] && c.second.first == estate_id && c.second.second >= from &&
          c.second.second <= to && static_cast<int>(out.size()) < k) {
        out.push_back({key, c.second.second, 0.9f});
      }
    }
    return out;
  }
  std::map<int64_t, std::pair<float, std::pair<int64_t, int64_t>>> kept;  // key -> face, estate, ts
};

class AlertEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    district_ = create("regions", {{"name", "海港区"}, {"level", "district"}});
    other_district_ = create("regions", {{"name", "山海关区"}, {"level", "district"}});
    estate_ = create("estates", {{"name", "锦绣花园"}, {"region_id", district_}});
    far_estate_ = create("estates", {{"name", "阳光小区"}, {"region_id", other_district_}});
    key_person_ = create("persons", {{"name", "赵强"},
                                     {"category", "registered"},
                                     {"estate_id", estate_},
                                     {"id_number", "130302198001011233"},
                                     {"tags", {"key_person:drug"}}});
    second_key_person_ = create("persons", {{"name", "钱勇"},
                                            {"category", "registered"},
                                            {"estate_id", estate_},
                                            {"tags", {"key_person"}}});
    elderly_ = create("persons", {{"name", "孙桂兰"},
                                  {"category", "registered"},
                                  {"estate_id", estate_},
                                  {"tags", {"elderly_alone"}}});
    plain_ =
        create("persons", {{"name", "李娜"}, {"category", "registered"}, {"estate_id", estate_}});
    engine_.setFaceMatcher(&matcher_);
  }

  int64_t create(const std::string& entity, json fields) {
    auto created = records_.create(*domain::findEntity(entity), fields, store::Scope{});
    EXPECT_TRUE(created) << entity << ": " << created.status().message();
    return created ? (*created)["id"].get<int64_t>() : 0;
  }
  int64_t rule(json body, const std::string& region = "/") {
    auto created = rules_.create(body, region, "wang_police");
    EXPECT_TRUE(created) << created.status().message();
    engine_.invalidate();
    return created ? (*created)["id"].get<int64_t>() : 0;
  }
  int64_t watchlist(const std::string& kind, double threshold = 0.6) {
    auto created = watchlists_.create({{"name", kind == "person" ? "在逃人员" : "被盗车辆"},
                                       {"kind", kind},
                                       {"reason", "协查通报 2026-118"},
                                       {"requested_by", "刑警队 王伟"},
                                       {"threshold", threshold}},
                                      "/", "wang_police");
    EXPECT_TRUE(created) << created.status().message();
    return created ? (*created)["id"].get<int64_t>() : 0;
  }

  store::StoredEvent passage(int64_t person, const std::string& direction, int64_t estate = 0) {
    store::StoredEvent s;
    s.seq = ++seq_;
    s.event.device_id = "gate-1";
    s.event.event_id = "e" + std::to_string(seq_);
    s.event.kind = domain::EventKind::kAccess;
    s.event.ts = clock_.nowMillis();
    s.event.estate_id = estate ? estate : estate_;
    s.event.person_id = person;
    s.event.result = "granted";
    s.event.direction = direction;
    return s;
  }
  store::StoredEvent vehicle(const std::string& plate) {
    store::StoredEvent s = passage(0, "in");
    s.event.kind = domain::EventKind::kVehicle;
    s.event.person_id.reset();
    s.event.device_id = "barrier-1";
    s.event.plate = plate;
    return s;
  }
  store::StoredEvent capture(const std::vector<float>& face) {
    store::StoredEvent s = passage(0, "");
    s.event.kind = domain::EventKind::kFaceCapture;
    s.event.person_id.reset();
    s.event.device_id = "cam-1";
    std::string bytes(face.size() * sizeof(float), '\0');
    std::memcpy(bytes.data(), face.data(), bytes.size());
    s.event.embedding = crypto::base64Encode(bytes);
    return s;
  }
  store::StoredEvent alarm(const std::string& device, const std::string& type) {
    store::StoredEvent s = passage(0, "");
    s.event.kind = domain::EventKind::kAlarm;
    s.event.person_id.reset();
    s.event.device_id = device;
    s.event.attrs = json{{"type", type}}.dump();
    return s;
  }

  std::vector<json> openAlerts() {
    auto page = alerts_.list({.open = true, .limit = 100});
    EXPECT_TRUE(page) << page.status().message();
    return page ? page->items : std::vector<json>{};
  }

  test_support::TempStore store_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 23) + 2h)};
  test_support::TempEvents events_{store_, clock_};
  store::RecordStore records_{store_.db(), clock_, 480};
  alerts::AlertStore alerts_{store_.db(), clock_, 480};
  alerts::RuleStore rules_{store_.db(), clock_, 480};
  alerts::WatchlistStore watchlists_{store_.db(), clock_, 480};
  RecordingPublisher publisher_;
  FirstComponentMatcher matcher_;
  alerts::AlertEngine engine_{store_.db(), events_.store.get(), alerts_, rules_,
                              watchlists_, &publisher_,         clock_,  {}};
  int64_t district_ = 0, other_district_ = 0, estate_ = 0, far_estate_ = 0;
  int64_t key_person_ = 0, second_key_person_ = 0, elderly_ = 0, plain_ = 0, seq_ = 0;
};

TEST_F(AlertEngineTest, AWatchedIdentityPassingRaisesOneAlertPerEstateAndIsPushed) {
  const int64_t list = watchlist("person");
  ASSERT_TRUE(watchlists_.addEntry(list, {{"name", "赵强"}, {"id_number", "130302198001011233"}}));
  engine_.invalidate();

  engine_.process({passage(plain_, "in"), passage(key_person_, "in")});
  engine_.process({passage(key_person_, "out")});

  auto open = openAlerts();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]["kind"], "watchlist_person");
  EXPECT_EQ(open[0]["count"], 2);
  EXPECT_EQ(open[0]["watchlist_id"], list);
  EXPECT_EQ(open[0]["subject"]["person_id"], key_person_);
  ASSERT_EQ(publisher_.notices.size(), 2u);
  EXPECT_EQ(publisher_.notices[0].type, "alert");
  EXPECT_EQ(publisher_.notices[0].region_path, records_.regionPath(district_).value());
}

TEST_F(AlertEngineTest, AWatchlistMatchesOnlyInsideItsWindow) {
  auto later = watchlists_.create({{"name", "明日布控"},
                                   {"kind", "vehicle"},
                                   {"reason", "专项行动"},
                                   {"requested_by", "治安大队"},
                                   {"valid_from", "2026-11-24T10:00:00+08:00"},
                                   {"valid_to", "2026-11-24T18:00:00+08:00"}},
                                  "/", "wang_police");
  ASSERT_TRUE(later) << later.status().message();
  ASSERT_TRUE(watchlists_.addEntry((*later)["id"], {{"plate", "冀C8B123"}}));
  engine_.process({vehicle("冀C8B123")});  // 2026-11-23 10:00
  EXPECT_TRUE(openAlerts().empty());
  clock_.advance(24h);
  engine_.process({vehicle("冀C8B123")});
  EXPECT_EQ(openAlerts().size(), 1u);
  clock_.advance(9h);
  ASSERT_TRUE(alerts_.act(openAlerts()[0]["id"], "close", "wang_police", "", ""));
  engine_.process({vehicle("冀C8B123")});
  EXPECT_TRUE(openAlerts().empty());  // the window closed at 18:00
}

TEST_F(AlertEngineTest, APlateReadWithOneWrongCharacterStillHitsTheWatchedPlate) {
  const int64_t list = watchlist("vehicle");
  ASSERT_TRUE(watchlists_.addEntry(list, {{"plate", "冀C8B123"}}));
  engine_.invalidate();

  engine_.process({vehicle("冀C88123"), vehicle("冀C12345")});

  auto open = openAlerts();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]["kind"], "watchlist_vehicle");
  EXPECT_EQ(open[0]["subject"]["plate"], "冀C8B123");
  auto full = alerts_.get(open[0]["id"]);
  ASSERT_TRUE(full);
  EXPECT_EQ((*full)["events"][0]["detail"]["read"], "冀C88123");
  EXPECT_EQ((*full)["events"][0]["detail"]["differs_at"], 3);
}

TEST_F(AlertEngineTest, AWatchedFaceHitsAboveTheListsThresholdOnly) {
  const int64_t strict = watchlist("person", 0.95);
  std::vector<float> face(128, 0.1f);
  face[0] = 0.7f;
  ASSERT_TRUE(watchlists_.addEntry(strict, {{"name", "无名氏"}, {"faces", {face}}}));
  const int64_t loose = watchlist("person", 0.8);
  ASSERT_TRUE(watchlists_.addEntry(loose, {{"name", "无名氏乙"}, {"faces", {face}}}));
  engine_.invalidate();
  store::StoredEvent capture = passage(0, "");
  capture.event.kind = domain::EventKind::kFaceCapture;
  capture.event.person_id.reset();
  std::string bytes(face.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), face.data(), bytes.size());
  capture.event.embedding = crypto::base64Encode(bytes);

  engine_.process({capture});

  auto open = openAlerts();
  ASSERT_EQ(open.size(), 1u);  // 0.9 passes 0.8, not 0.95
  EXPECT_EQ(open[0]["watchlist_id"], loose);
}

TEST_F(AlertEngineTest, ARepeatedAlarmUpdatesOneOpenAlertAndAfterClosingStartsANewOne) {
  rule({{"name", "烟感报警"}, {"kind", "alarm"}, {"params", {{"types", {"smoke"}}}}});

  engine_.process({alarm("smoke-1", "smoke"), alarm("smoke-1", "smoke"), alarm("smoke-1", "fire")});
  engine_.process({alarm("smoke-1", "smoke")});

  auto open = openAlerts();
  ASSERT_EQ(open.size(), 1u);  // the fire alarm is not this rule's
  EXPECT_EQ(open[0]["count"], 3);
  auto full = alerts_.get(open[0]["id"]);
  ASSERT_TRUE(full);
  EXPECT_EQ((*full)["events"].size(), 3u);

  ASSERT_TRUE(alerts_.act(open[0]["id"], "close", "wang_police", "误报", ""));
  engine_.process({alarm("smoke-1", "smoke")});
  auto again = openAlerts();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_NE(again[0]["id"], open[0]["id"]);
  EXPECT_EQ(again[0]["count"], 1);
}

TEST_F(AlertEngineTest, KeyPersonRulesFollowTagsDirectionRegionAndSchedule) {
  rule({{"name", "重点人员出现"}, {"kind", "key_person_appears"}});
  rule({{"name", "涉毒人员外出"},
        {"kind", "key_person_leaves"},
        {"params", {{"tags", {"key_person:drug"}}}}});
  rule({{"name", "夜间出现"},
        {"kind", "key_person_appears"},
        {"schedule", {{"from", "22:00"}, {"to", "06:00"}}}});
  // 10:00 in China: the night rule is asleep.
  engine_.process({passage(key_person_, "in"), passage(second_key_person_, "out"),
                   passage(key_person_, "out"), passage(plain_, "in"),
                   passage(second_key_person_, "in", far_estate_)});

  auto open = openAlerts();
  std::multiset<std::string> kinds;
  for (const auto& a : open) kinds.insert(a["kind"].get<std::string>());
  // appears: key_person_ at estate_, second at far_estate_ (rule watches everywhere); leaves:
  // only the drug-tagged one.
  EXPECT_EQ(kinds, (std::multiset<std::string>{"key_person_appears", "key_person_appears",
                                               "key_person_leaves"}));
  clock_.advance(13h);  // 23:00
  engine_.process({passage(key_person_, "in")});
  EXPECT_EQ(openAlerts().size(), 4u);
}

TEST_F(AlertEngineTest, AnUnknownFaceSeenOftenAtOneEstateIsAStrangerButAnEnrolledOneIsNot) {
  RecordingCaptures captures;
  FirstComponentMatcher enrolled;
  engine_.setStrangerSearch(&captures, &enrolled);
  std::vector<float> stranger(128, 0.1f), resident(128, 0.1f);
  stranger[0] = 0.3f;
  resident[0] = 0.5f;
  create("credentials", {{"person_id", plain_}, {"type", "face"}, {"embedding", resident}});
  rule({{"name", "陌生人"},
        {"kind", "stranger_frequent"},
        {"params", {{"min_count", 3}, {"days", 2}}}});
  auto seen = [&](const std::vector<float>& face) {
    store::StoredEvent s = capture(face);
    captures.kept[store::EventStore::eventKey(s.event.ts, s.seq)] = {face[0],
                                                                     {estate_, s.event.ts}};
    engine_.process({s});
    clock_.advance(20h);
  };
  seen(stranger);
  seen(resident);
  seen(stranger);
  seen(resident);
  seen(resident);
  EXPECT_TRUE(openAlerts().empty());  // the stranger twice so far; the resident is known
  clock_.advance(30h);                // both sightings leave the two-day window
  seen(stranger);
  seen(stranger);
  EXPECT_TRUE(openAlerts().empty());
  seen(stranger);  // three times within two days
  auto open = openAlerts();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]["kind"], "stranger_frequent");
  EXPECT_EQ(open[0]["subject"]["captures"].size(), 2u);
}

TEST_F(AlertEngineTest, KeyPersonsTogetherNeedsEnoughDistinctPersonsWithinTheWindow) {
  rule({{"name", "聚集"},
        {"kind", "key_persons_together"},
        {"params", {{"min_persons", 2}, {"minutes", 10}}}});
  engine_.process({passage(key_person_, "in"), passage(key_person_, "in")});
  EXPECT_TRUE(openAlerts().empty());
  clock_.advance(11min);
  engine_.process({passage(second_key_person_, "in")});
  EXPECT_TRUE(openAlerts().empty());  // the first passed 11 minutes ago
  clock_.advance(2min);
  engine_.process({passage(key_person_, "in")});
  auto open = openAlerts();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]["subject"]["persons"].size(), 2u);
}

TEST_F(AlertEngineTest, AnElderlyResidentWithNoPassageForNHoursRaisesOneAlertUntilSeenAgain) {
  rule({{"name", "独居老人关怀"}, {"kind", "elderly_no_passage"}, {"params", {{"hours", 24}}}});
  ASSERT_TRUE(events_.writer->append({passage(elderly_, "out").event}));
  clock_.advance(23h);
  engine_.tick();
  EXPECT_TRUE(openAlerts().empty());  // the store has a passage within 24 hours

  clock_.advance(2h);
  engine_.tick();
  engine_.tick();
  auto open = openAlerts();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]["kind"], "elderly_no_passage");
  EXPECT_EQ(open[0]["subject"]["person_id"], elderly_);
  EXPECT_EQ(open[0]["count"], 1);  // not counted up by every tick

  engine_.process({passage(elderly_, "in")});
  clock_.advance(23h);
  engine_.tick();
  EXPECT_EQ(openAlerts()[0]["count"], 1);
}

TEST_F(AlertEngineTest, ADeviceGoingOfflineRaisesAndComingBackClosesTheAlert) {
  ASSERT_TRUE(records_.create(
      *domain::findEntity("devices"),
      {{"id", "cam-9"}, {"name", "东门摄像机"}, {"kind", "camera"}, {"estate_id", estate_}},
      store::Scope{}));
  rule({{"name", "摄像机离线"},
        {"kind", "device_offline"},
        {"params", {{"device_kinds", {"camera"}}}}});
  rule(
      {{"name", "门禁离线"}, {"kind", "device_offline"}, {"params", {{"device_kinds", {"door"}}}}});
  const int64_t now = clock_.nowMillis();
  engine_.deviceChanges({{.device_id = "cam-9", .estate_id = estate_, .ts = now, .online = false}});
  auto open = openAlerts();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]["title"], "设备离线：东门摄像机");

  engine_.deviceChanges({{.device_id = "cam-9", .estate_id = estate_, .ts = now, .online = true}});
  EXPECT_TRUE(openAlerts().empty());
  EXPECT_EQ(publisher_.notices.back().data["status"], "closed");
}

TEST_F(AlertEngineTest, ARuleWatchingOneDistrictIgnoresAnother) {
  rule({{"name", "海港区报警"}, {"kind", "alarm"}}, records_.regionPath(district_).value());
  store::StoredEvent far = alarm("fence-far", "fence");
  far.event.estate_id = far_estate_;
  engine_.process({far});
  EXPECT_TRUE(openAlerts().empty());
  engine_.process({alarm("fence-1", "fence")});
  EXPECT_EQ(openAlerts().size(), 1u);
}

TEST_F(AlertEngineTest, RulesWithUnknownKindsOrParametersAreRefusedNamingTheField) {
  auto field = [&](json body) {
    auto created = rules_.create(body, "/", "wang_police");
    return created ? std::string("created") : created.status().field();
  };
  EXPECT_EQ(field({{"name", "x"}, {"kind", "moon_phase"}}), "kind");
  EXPECT_EQ(field({{"name", "x"}, {"kind", "alarm"}, {"params", {{"hours", 3}}}}), "params.hours");
  EXPECT_EQ(field({{"name", "x"}, {"kind", "elderly_no_passage"}, {"params", {{"hours", 0}}}}),
            "params.hours");
  EXPECT_EQ(field({{"name", "x"}, {"kind", "elderly_no_passage"}, {"params", {{"hours", "24"}}}}),
            "params.hours");
  EXPECT_EQ(
      field({{"name", "x"}, {"kind", "stranger_frequent"}, {"params", {{"similarity", 1.5}}}}),
      "params.similarity");
  EXPECT_EQ(field({{"name", "x"}, {"kind", "alarm"}, {"params", {{"types", {"earthquake"}}}}}),
            "params.types");
  EXPECT_EQ(field({{"name", "x"}, {"kind", "alarm"}, {"schedule", {{"from", "25:00"}}}}),
            "schedule.from");
  EXPECT_EQ(field({{"name", "x"}, {"kind", "alarm"}, {"level", "urgent"}}), "level");
  EXPECT_EQ(field({{"kind", "alarm"}}), "name");
  EXPECT_EQ(field({{"name", "x"}, {"kind", "alarm"}, {"params", {{"types", {"smoke"}}}}}),
            "created");
}

TEST(ScheduleTest, AWindowPastMidnightBelongsToTheDayItStarts) {
  auto schedule = alerts::parseSchedule({{"days", {5}}, {"from", "22:00"}, {"to", "06:00"}});
  ASSERT_TRUE(schedule);
  auto at = [](const char* text) { return parseTimestamp(text, 480).value(); };
  EXPECT_TRUE(schedule->covers(at("2026-11-27T23:00:00+08:00"), 480));  // Friday night
  EXPECT_TRUE(schedule->covers(at("2026-11-28T05:59:00+08:00"), 480));  // Saturday morning
  EXPECT_FALSE(schedule->covers(at("2026-11-28T06:00:00+08:00"), 480));
  EXPECT_FALSE(schedule->covers(at("2026-11-26T23:00:00+08:00"), 480));  // Thursday night
  EXPECT_FALSE(schedule->covers(at("2026-11-27T05:00:00+08:00"), 480));  // Thursday's night
}

}  // namespace
}  // namespace anju

namespace anju {
namespace {

// A crash after events are stored (and acknowledged) but before the engine matched them: the next
// start matches them, and matching them once more (the position was not yet written) counts
// nothing twice.
TEST_F(AlertEngineTest, EventsStoredBeforeACrashAreMatchedAtTheNextStartOnce) {
  const int64_t list = watchlist("vehicle");
  ASSERT_TRUE(watchlists_.addEntry(list, {{"plate", "冀C8B123"}}));
  engine_.catchUp();  // the first start on this store begins at its end
  auto before = [&] {
    std::optional<int64_t> position;
    EXPECT_TRUE(store_.db().read([&](store::Connection& c) -> Status {
      auto p = store::eventPosition(c, "alerts");
      if (!p) return p.status();
      position = *p;
      return {};
    }));
    return position;
  }();
  ASSERT_TRUE(before);

  ASSERT_TRUE(events_.writer->append({vehicle("冀C8B123").event, vehicle("冀C8B123").event}));
  EXPECT_TRUE(openAlerts().empty());

  auto restart = [&] {
    alerts::AlertEngine engine{store_.db(), events_.store.get(), alerts_, rules_,
                               watchlists_, &publisher_,         clock_,  {}};
    engine.catchUp();
  };
  restart();
  auto open = openAlerts();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]["count"], 2);

  ASSERT_TRUE(store_.db().write([&](store::Connection& c) -> Status {
    auto r =
        c.execute("UPDATE event_positions SET event_key = ? WHERE consumer = 'alerts'", {*before});
    return r ? Status{} : r.status();
  }));
  const std::size_t pushed = publisher_.notices.size();
  restart();
  open = openAlerts();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0]["count"], 2);
  EXPECT_EQ(publisher_.notices.size(), pushed) << "nothing new to push";
}

}  // namespace
}  // namespace anju
