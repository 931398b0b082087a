// Screenings against a hand-made registry and hand-made events on a fake clock: who has not come
// back (and who did, who is away too briefly, who lives elsewhere), which vehicles and persons
// came from the listed regions, which tagged persons were seen; and the saved screening's scope,
// its stored findings and their pages.
#include "screening/screening_service.h"

#include <gtest/gtest.h>

#include "temp_events.h"

namespace anju::screening {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

int64_t at(const char* text) {
  return parseTimestamp(text, 480).value();
}

domain::Event door(std::string id, const char* ts, int64_t person, const char* direction,
                   int64_t estate, const char* result = "granted") {
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

domain::Event car(std::string id, const char* ts, const char* plate, int64_t estate) {
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

class ScreeningServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Regions 1 (/1/) and 2 (/2/); estates 1 and 2 in region 1, estate 3 in region 2.
    for (const char* sql : {
             "INSERT INTO regions (id, region_path, path, name, level, created_at, updated_at) "
             "VALUES (1, '/', '/1/', '东湖街道', 'street', 0, 0), "
             "(2, '/', '/2/', '南湖街道', 'street', 0, 0)",
             "INSERT INTO estates (id, region_path, name, region_id, created_at, updated_at) "
             "VALUES (1, '/1/', '金色家园', 1, 0, 0), (2, '/1/', '海景花园', 1, 0, 0), "
             "(3, '/2/', '南湖小区', 2, 0, 0)",
             "INSERT INTO buildings (id, region_path, estate_id, name, created_at, updated_at) "
             "VALUES (1, '/1/', 2, '1栋', 0, 0)",
             "INSERT INTO rooms (id, region_path, building_id, number, created_at, updated_at) "
             "VALUES (1, '/1/', 1, '101', 0, 0)",
         }) {
      ASSERT_TRUE(store_.execute(sql)) << sql;
    }
  }

  void person(int64_t id, const char* name, std::optional<int64_t> estate,
              const std::vector<std::string>& tags = {}, const char* id_number = nullptr,
              const char* category = "registered") {
    ASSERT_TRUE(store_.execute(
        "INSERT INTO persons (id, region_path, name, id_number, category, estate_id, "
        "created_at, updated_at) VALUES (?, '/1/', ?, ?, ?, ?, 0, 0)",
        {id, std::string(name), id_number ? store::Value{std::string(id_number)} : store::Value{},
         std::string(category), estate ? store::Value{*estate} : store::Value{}}));
    for (const auto& tag : tags) {
      ASSERT_TRUE(store_.execute(
          "INSERT INTO links (entity, field, object_id, value) VALUES ('persons', 'tags', ?, ?)",
          {id, tag}));
    }
  }

  void livesInRoom(int64_t person_id) {
    ASSERT_TRUE(store_.execute(
        "INSERT INTO residences (region_path, person_id, room_id, relation, created_at, "
        "updated_at) VALUES ('/1/', ?, 1, 'owner', 0, 0)",
        {person_id}));
  }

  Definition save(const json& body, const char* region_path = "/1/") {
    store::User user{.username = "police_li", .roles = {"police"}, .region_path = region_path};
    auto d = service_.create(body, user);
    EXPECT_TRUE(d) << d.status().message();
    return d ? *d : Definition{};
  }

  std::vector<ShownFinding> run(const Definition& d, std::optional<int64_t> from = std::nullopt,
                                std::optional<int64_t> to = std::nullopt) {
    auto page = service_.run(d.id, {.from = from, .to = to, .purpose = "排查", .actor = "li"},
                             store::Scope{"/1/"}, 100);
    EXPECT_TRUE(page) << page.status().message();
    return page ? page->items : std::vector<ShownFinding>{};
  }

  static std::vector<int64_t> persons(const std::vector<ShownFinding>& found) {
    std::vector<int64_t> out;
    for (const auto& f : found) out.push_back(f.finding.person_id.value_or(0));
    return out;
  }

  test_support::TempStore store_;
  // 2026-11-23 08:00 in China.
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 23))};
  test_support::TempEvents events_{store_, clock_};
  ScreeningService service_{store_.db(), *events_.store, clock_};
};

TEST_F(ScreeningServiceTest, OutNotReturnedFindsResidentsAwayLongerThanTLongestFirst) {
  person(10, "张伟", 1, {"elderly_alone"});
  person(11, "李娜", std::nullopt);  // lives in estate 2 through her room
  livesInRoom(11);
  person(12, "王芳", 1);
  person(13, "赵强", 3);  // lives in another region
  person(15, "刘洋", 2);
  person(16, "陈静", 1);
  person(17, "访客周", 1, {}, nullptr, "visitor");
  ASSERT_TRUE(events_.writer->append({
      door("a", "2026-11-22T06:00:00+08:00", 10, "out", 1),  // away 26 h
      door("b", "2026-11-21T20:00:00+08:00", 11, "out", 2),
      door("c", "2026-11-22T09:00:00+08:00", 11, "in", 2),   // came back
      door("d", "2026-11-22T20:00:00+08:00", 12, "out", 1),  // away only 12 h
      door("e", "2026-11-21T07:00:00+08:00", 13, "out", 3),
      door("f", "2026-11-21T07:00:00+08:00", 15, "out", 2),           // away 49 h ...
      door("g", "2026-11-22T21:00:00+08:00", 15, "in", 2, "denied"),  // ... refused at the door
      door("h", "2026-11-10T07:00:00+08:00", 16, "out", 1),           // before the 7-day lookback
      door("i", "2026-11-21T07:00:00+08:00", 17, "out", 1),
  }));
  const Definition d = save({{"name", "外出未归"},
                             {"kind", "out_not_returned"},
                             {"params", {{"hours", 24}, {"lookback_days", 7}}}});
  auto found = run(d);
  EXPECT_EQ(persons(found), (std::vector<int64_t>{15, 10}));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].finding.away_ms, 49 * 3'600'000LL);
  EXPECT_EQ(found[0].finding.estate_id, 2);
  EXPECT_EQ(found[0].estate_name, "海景花园");
  EXPECT_EQ(found[1].person_name, "张伟");
  EXPECT_EQ(found[1].finding.last_seen, at("2026-11-22T06:00:00+08:00"));

  // A day later, 王芳 has been away long enough too.
  clock_.advance(24h);
  EXPECT_EQ(persons(run(d)), (std::vector<int64_t>{15, 10, 12}));
}

TEST_F(ScreeningServiceTest, OutNotReturnedCanBeNarrowedToTaggedResidents) {
  person(10, "张伟", 1, {"elderly_alone"});
  person(15, "刘洋", 1);
  ASSERT_TRUE(events_.writer->append({door("a", "2026-11-22T06:00:00+08:00", 10, "out", 1),
                                      door("b", "2026-11-21T06:00:00+08:00", 15, "out", 1)}));
  const Definition d = save({{"name", "独居老人未归"},
                             {"kind", "out_not_returned"},
                             {"params", {{"hours", 24}, {"tags", {"elderly_alone"}}}}});
  EXPECT_EQ(persons(run(d)), (std::vector<int64_t>{10}));
}

TEST_F(ScreeningServiceTest, FromRegionsFindsListedPlatesAndIdNumbersAtEstatesInScope) {
  person(20, "湖北来客", std::nullopt, {}, "420106199001011234", "visitor");
  person(21, "北京来客", std::nullopt, {}, "110101199003071234", "visitor");
  ASSERT_TRUE(events_.writer->append({
      car("v1", "2026-11-22T08:00:00+08:00", "鄂A12345", 1),
      car("v2", "2026-11-22T18:00:00+08:00", "鄂A12345", 1),
      car("v3", "2026-11-22T09:00:00+08:00", "鄂B12345", 1),  // not in the list
      car("v4", "2026-11-22T09:00:00+08:00", "京A12345", 1),
      car("v5", "2026-11-22T09:00:00+08:00", "鄂A99999", 3),  // another region's estate
      car("v6", "2026-11-20T09:00:00+08:00", "鄂A77777", 1),  // before the window
      door("p1", "2026-11-22T10:00:00+08:00", 20, "in", 2),
      door("p2", "2026-11-22T10:30:00+08:00", 21, "in", 2),
  }));
  const Definition d =
      save({{"name", "武汉来人来车"},
            {"kind", "from_regions"},
            {"params", {{"plate_prefixes", {"鄂A"}}, {"region_codes", {"4201"}}}}});
  auto found = run(d, at("2026-11-22"), at("2026-11-23"));
  ASSERT_EQ(found.size(), 2u);
  // Most recently seen first.
  EXPECT_EQ(found[0].finding.plate, "鄂A12345");
  EXPECT_EQ(found[0].finding.passages, 2);
  EXPECT_EQ(found[0].finding.first_seen, at("2026-11-22T08:00:00+08:00"));
  EXPECT_EQ(found[0].finding.last_seen, at("2026-11-22T18:00:00+08:00"));
  EXPECT_EQ(found[1].finding.person_id, 20);
  EXPECT_EQ(found[1].id_number, "420106199001011234");
  EXPECT_EQ(found[1].finding.estate_id, 2);
}

TEST_F(ScreeningServiceTest, TagSeenFindsTaggedPersonsSeenInScopeAndAFamilyTagCoversItsKinds) {
  person(30, "吸毒甲", std::nullopt, {"key_person:drug"});
  person(31, "吸毒乙", std::nullopt, {"key_person:drug"});
  person(32, "老人丙", 1, {"elderly_alone"});
  ASSERT_TRUE(events_.writer->append({
      door("a", "2026-11-22T08:00:00+08:00", 30, "in", 1),
      door("b", "2026-11-22T09:00:00+08:00", 30, "out", 1),
      door("c", "2026-11-22T10:00:00+08:00", 30, "in", 1, "denied"),
      door("d", "2026-11-22T08:00:00+08:00", 31, "in", 3),  // seen only in another region
      door("e", "2026-11-22T08:00:00+08:00", 32, "in", 1),
  }));
  const Definition d = save({{"name", "重点人员出现"},
                             {"kind", "tag_seen"},
                             {"params", {{"tags", {"key_person"}}, {"window_hours", 48}}}});
  auto found = run(d);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].finding.person_id, 30);
  EXPECT_EQ(found[0].finding.passages, 3);
  EXPECT_EQ(found[0].finding.last_seen, at("2026-11-22T10:00:00+08:00"));
}

TEST_F(ScreeningServiceTest, AScreeningLooksNoWiderThanItsCreatorAndIsHiddenFromOtherRegions) {
  store::User user{.username = "li", .roles = {"police"}, .region_path = "/1/"};
  auto wider = service_.create({{"name", "x"},
                                {"kind", "tag_seen"},
                                {"params", {{"tags", {"key_person"}}}},
                                {"region_id", 2}},
                               user);
  ASSERT_FALSE(wider);
  EXPECT_EQ(wider.status().code(), Code::kForbidden);
  auto unknown = service_.create({{"name", "x"},
                                  {"kind", "tag_seen"},
                                  {"params", {{"tags", {"key_person"}}}},
                                  {"region_id", 99}},
                                 user);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().field(), "region_id");

  const Definition d =
      save({{"name", "重点人员"}, {"kind", "tag_seen"}, {"params", {{"tags", {"key_person"}}}}});
  EXPECT_EQ(d.region_path, "/1/");
  auto other = service_.get(d.id, store::Scope{"/2/"});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.status().code(), Code::kForbidden);
  auto refused = service_.run(d.id, {.purpose = "x", .actor = "wang"}, store::Scope{"/2/"}, 10);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().code(), Code::kForbidden);
  auto listed = service_.list({}, store::Scope{"/2/"});
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->items.empty());
}

TEST_F(ScreeningServiceTest, BadDefinitionsAreRefusedNamingTheFieldAndNothingIsSaved) {
  store::User user{.username = "li", .roles = {"police"}, .region_path = "/1/"};
  auto field = [&](const json& body) {
    auto d = service_.create(body, user);
    return d ? std::string() : d.status().field();
  };
  EXPECT_EQ(field({{"kind", "tag_seen"}, {"params", {{"tags", {"key_person"}}}}}), "name");
  EXPECT_EQ(field({{"name", "x"}, {"kind", "who_knows"}}), "kind");
  EXPECT_EQ(field({{"name", "x"}, {"kind", "out_not_returned"}, {"params", {{"hours", 0}}}}),
            "params.hours");
  EXPECT_EQ(field({{"name", "x"},
                   {"kind", "tag_seen"},
                   {"params", {{"tags", {"key_person"}}}},
                   {"colour", "red"}}),
            "colour");
  EXPECT_EQ(store_.count("screenings"), 0);
}

TEST_F(ScreeningServiceTest, ARunReplacesThePreviousFindingsAndPagesFollowItsOrder) {
  for (int64_t id = 40; id < 45; ++id) person(id, "居民", 1);
  std::vector<domain::Event> events;
  const char* times[] = {"2026-11-20T01:00:00+08:00", "2026-11-20T02:00:00+08:00",
                         "2026-11-20T03:00:00+08:00", "2026-11-20T04:00:00+08:00",
                         "2026-11-20T05:00:00+08:00"};
  for (int i = 0; i < 5; ++i)
    events.push_back(door("o" + std::to_string(i), times[i], 40 + i, "out", 1));
  ASSERT_TRUE(events_.writer->append(events));
  const Definition d =
      save({{"name", "未归"}, {"kind", "out_not_returned"}, {"params", {{"hours", 24}}}});
  ASSERT_EQ(run(d).size(), 5u);
  auto first = service_.findings(d.id, store::Scope{"/1/"}, "", 2);
  ASSERT_TRUE(first);
  EXPECT_EQ(persons(first->items), (std::vector<int64_t>{40, 41}));
  ASSERT_TRUE(first->next);
  auto second = service_.findings(d.id, store::Scope{"/1/"}, *first->next, 2);
  ASSERT_TRUE(second);
  EXPECT_EQ(persons(second->items), (std::vector<int64_t>{42, 43}));

  // 44 comes back: the next run finds four, and only its findings are kept.
  ASSERT_TRUE(events_.writer->append({door("back", "2026-11-22T05:00:00+08:00", 44, "in", 1)}));
  ASSERT_EQ(run(d).size(), 4u);
  EXPECT_EQ(store_.count("screening_findings"), 4);
  EXPECT_EQ(store_.count("screening_runs"), 2);
  auto all = service_.findings(d.id, store::Scope{"/1/"}, "", 0);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->items.size(), 4u);
  EXPECT_FALSE(all->next);
  EXPECT_EQ(all->run.total, 4);

  ASSERT_TRUE(service_.remove(d.id, store::Scope{"/1/"}));
  EXPECT_EQ(store_.count("screening_findings"), 0);
  EXPECT_EQ(store_.count("screening_runs"), 0);
  EXPECT_EQ(service_.get(d.id, store::Scope{"/1/"}).status().code(), Code::kNotFound);
}

TEST_F(ScreeningServiceTest, AWindowLongerThanNinetyDaysIsRefusedAndNothingIsKept) {
  const Definition d =
      save({{"name", "未归"}, {"kind", "out_not_returned"}, {"params", {{"hours", 24}}}});
  auto page = service_.run(
      d.id, {.from = at("2026-01-01"), .to = at("2026-11-23"), .purpose = "x", .actor = "li"},
      store::Scope{"/1/"}, 10);
  ASSERT_FALSE(page);
  EXPECT_EQ(page.status().field(), "from");
  EXPECT_EQ(store_.count("screening_runs"), 0);
}

}  // namespace
}  // namespace anju::screening
