// Incidents and the 1-3-5 minute response against a real store with a fake clock: an alarm
// becomes an incident at its device's place, a repeated alarm joins the open incident, the steps
// go in order (409 otherwise) and only responders take them, a late stage escalates up the region
// tree once, an SOS carries the caller's address and household phones, and the response figures
// match ones worked out by hand.
#include "incidents/incident_service.h"

#include <gtest/gtest.h>

#include <chrono>

#include "domain/entity.h"
#include "incidents/alarm_intake.h"
#include "store/record_store.h"
#include "temp_events.h"
#include "temp_store.h"

namespace anju::incidents {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class RecordingPublisher : public notify::Publisher {
 public:
  void publish(notify::Notice notice) override { notices.push_back(std::move(notice)); }
  std::vector<notify::Notice> notices;
};

class IncidentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    district_ = create("regions", {{"name", "海港区"}, {"level", "district"}});
    street_ =
        create("regions", {{"name", "白塔岭街道"}, {"level", "street"}, {"parent_id", district_}});
    const int64_t elsewhere =
        create("regions", {{"name", "西港街道"}, {"level", "street"}, {"parent_id", district_}});
    estate_ = create("estates", {{"name", "锦绣花园"}, {"region_id", street_}});
    other_estate_ = create("estates", {{"name", "港城小区"}, {"region_id", elsewhere}});
    building_ = create("buildings", {{"name", "3号楼"}, {"estate_id", estate_}});
    const int64_t unit = create("units", {{"name", "2单元"}, {"building_id", building_}});
    const int64_t room =
        create("rooms", {{"number", "501"}, {"building_id", building_}, {"unit_id", unit}});
    caller_ = create("persons", {{"name", "王秀兰"},
                                 {"phone", "13800138000"},
                                 {"category", "registered"},
                                 {"estate_id", estate_}});
    const int64_t son = create("persons", {{"name", "李强"},
                                           {"phone", "13912345678"},
                                           {"category", "registered"},
                                           {"estate_id", estate_}});
    create("residences", {{"person_id", caller_}, {"room_id", room}, {"relation", "owner"}});
    create("residences", {{"person_id", son}, {"room_id", room}, {"relation", "family"}});
    create("devices", {{"id", "fence-1"},
                       {"name", "东侧围栏"},
                       {"kind", "fence"},
                       {"estate_id", estate_},
                       {"building_id", building_}});
    create("devices", {{"id", "smoke-9"},
                       {"name", "9号楼烟感"},
                       {"kind", "smoke"},
                       {"estate_id", other_estate_}});

    police_ = user("minjing", {"police"}, street_);
    security_ = user("baoan", {"security"}, street_);
    grid_ = user("wangge", {"grid_worker"}, street_);
    outsider_ = user("xigang", {"police"}, elsewhere);
    district_police_ = user("fenju", {"police"}, district_);
    resident_ = user("wangxl", {"resident"}, street_, caller_);
    son_ = user("liqiang", {"resident"}, street_, son);
  }

  int64_t create(const std::string& entity, json fields) {
    auto created = records_.create(*domain::findEntity(entity), fields, store::Scope{});
    EXPECT_TRUE(created) << entity << ": " << created.status().message();
    if (!created) return 0;
    return (*created)["id"].is_number() ? (*created)["id"].get<int64_t>() : 0;
  }

  store::User user(const std::string& name, std::vector<std::string> roles, int64_t region,
                   std::optional<int64_t> person = std::nullopt) {
    auto created = users_.create({.username = name,
                                  .password = "Correct-Horse-42",
                                  .roles = std::move(roles),
                                  .region_id = region,
                                  .display_name = name,
                                  .person_id = person});
    EXPECT_TRUE(created) << created.status().message();
    return created ? *created : store::User{};
  }

  store::StoredEvent alarm(const std::string& device, const std::string& type,
                           int64_t estate_id = 0) {
    ++seq_;
    domain::Event e{.device_id = device,
                    .event_id = device + "-" + std::to_string(seq_),
                    .kind = domain::EventKind::kAlarm,
                    .ts = clock_.nowMillis(),
                    .received = clock_.nowMillis(),
                    .estate_id = estate_id ? estate_id : estate_,
                    .attrs = json{{"type", type}, {"level", 2}}.dump()};
    return {seq_, e};
  }

  int64_t raise(const std::string& device, const std::string& type, int64_t estate_id = 0) {
    auto raised = service_.raiseFromAlarms({alarm(device, type, estate_id)});
    EXPECT_TRUE(raised) << raised.status().message();
    return raised && !raised->empty() ? raised->front() : 0;
  }

  json act(const store::User& who, int64_t id, const std::string& action,
           const std::string& dispatched_to = "") {
    auto acted = service_.act(who, id, {.action = action, .dispatched_to = dispatched_to});
    EXPECT_TRUE(acted) << action << ": " << acted.status().message();
    return acted ? *acted : json();
  }

  json get(const store::User& who, int64_t id) {
    auto got = service_.get(who, id);
    EXPECT_TRUE(got) << got.status().message();
    return got ? *got : json();
  }

  test_support::TempStore store_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 22))};
  store::RecordStore records_{store_.db(), clock_, 480};
  store::UserStore users_{store_.db(), clock_};
  RecordingPublisher published_;
  IncidentService service_{store_.db(), clock_, IncidentPolicy{}, 480, &published_};
  int64_t district_ = 0, street_ = 0, estate_ = 0, other_estate_ = 0, building_ = 0, caller_ = 0;
  int64_t seq_ = 0;
  store::User police_, security_, grid_, outsider_, district_police_, resident_, son_;
};

TEST_F(IncidentServiceTest, AnAlarmBecomesAnIncidentAtItsDevicesPlaceWithThe135Targets) {
  const int64_t id = raise("fence-1", "fence");
  ASSERT_GT(id, 0);
  const json incident = get(police_, id);
  EXPECT_EQ(incident["kind"], "fence");
  EXPECT_EQ(incident["status"], "raised");
  EXPECT_EQ(incident["source"], "device");
  EXPECT_EQ(incident["level"], "2");
  EXPECT_EQ(incident["estate_id"], estate_);
  EXPECT_EQ(incident["building_id"], building_);
  EXPECT_EQ(incident["address"], "锦绣花园 3号楼 东侧围栏");
  ASSERT_EQ(incident["events"].size(), 1u);
  EXPECT_EQ(incident["events"][0]["event_key"],
            store::EventStore::eventKey(clock_.nowMillis(), seq_));
  ASSERT_EQ(incident["timers"].size(), 3u);
  EXPECT_EQ(incident["timers"][0]["target_seconds"], 60);
  EXPECT_EQ(incident["timers"][1]["target_seconds"], 180);
  EXPECT_EQ(incident["timers"][2]["target_seconds"], 300);
  EXPECT_EQ(incident["timers"][0]["state"], "pending");
  EXPECT_EQ(incident["timers"][0]["seconds_remaining"], 60);
  EXPECT_EQ(incident["allowed_actions"], json({"acknowledge", "false_alarm"}));

  // Told to the live stream where it happened, as the API shows it.
  ASSERT_EQ(published_.notices.size(), 1u);
  EXPECT_EQ(published_.notices[0].type, "incident");
  EXPECT_EQ(published_.notices[0].region_path,
            "/" + std::to_string(district_) + "/" + std::to_string(street_) + "/");
  EXPECT_EQ(published_.notices[0].data["id"], id);

  // A tamper alarm is a device fault, not a call for a response on site.
  auto tamper = service_.raiseFromAlarms({alarm("fence-1", "tamper")});
  ASSERT_TRUE(tamper);
  EXPECT_TRUE(tamper->empty());
}

TEST_F(IncidentServiceTest, ARepeatedAlarmFromTheSameDeviceJoinsTheOpenIncident) {
  const int64_t first = raise("fence-1", "fence");
  clock_.advance(20s);
  EXPECT_EQ(raise("fence-1", "fence"), first);
  EXPECT_NE(raise("fence-1", "intrusion"), first);  // another type is another incident
  const json incident = get(police_, first);
  EXPECT_EQ(incident["alarm_count"], 2);
  EXPECT_EQ(incident["events"].size(), 2u);

  // Once it is closed, the same alarm raises a new incident.
  act(police_, first, "false_alarm");
  EXPECT_NE(raise("fence-1", "fence"), first);
}

TEST_F(IncidentServiceTest, StepsGoInOrderAndAStepOutOfOrderIsAConflictThatChangesNothing) {
  const int64_t id = raise("fence-1", "fence");
  auto early = service_.act(police_, id, {.action = "dispatch", .dispatched_to = "巡逻一组"});
  ASSERT_FALSE(early);
  EXPECT_EQ(early.status().code(), Code::kConflict);
  EXPECT_EQ(get(police_, id)["status"], "raised");
  EXPECT_EQ(*service_.allowedFor(police_, id),
            std::vector<std::string>({"acknowledge", "false_alarm"}));

  // Grid workers follow the incident without acting; police elsewhere do not see it.
  EXPECT_EQ(get(grid_, id)["allowed_actions"], json::array());
  EXPECT_EQ(service_.act(grid_, id, {.action = "acknowledge"}).status().code(), Code::kForbidden);
  EXPECT_EQ(service_.get(outsider_, id).status().code(), Code::kForbidden);
  EXPECT_EQ(service_.get(resident_, id).status().code(), Code::kForbidden);

  clock_.advance(30s);
  act(security_, id, "acknowledge");
  clock_.advance(60s);
  act(security_, id, "dispatch", "保安巡逻一组");
  clock_.advance(90s);
  act(security_, id, "arrive");
  clock_.advance(10min);
  const json done = act(police_, id, "resolve");
  EXPECT_EQ(done["status"], "resolved");
  EXPECT_EQ(done["dispatched_to"], "保安巡逻一组");
  ASSERT_EQ(done["history"].size(), 5u);
  EXPECT_EQ(done["history"][0]["action"], "raise");
  EXPECT_EQ(done["history"][2]["actor"], "baoan");
  EXPECT_EQ(done["history"][2]["details"]["seconds_since_raised"], 90);
  EXPECT_EQ(done["timers"][0]["state"], "met");
  EXPECT_EQ(done["timers"][1]["seconds_taken"], 90);
  EXPECT_EQ(done["timers"][2]["state"], "met");
  EXPECT_EQ(done["allowed_actions"], json::array());
  EXPECT_EQ(service_.act(police_, id, {.action = "false_alarm"}).status().code(), Code::kConflict);
}

TEST_F(IncidentServiceTest, ALateAcknowledgeEscalatesToTheEstatesRegionExactlyOnce) {
  const int64_t id = raise("fence-1", "fence");
  clock_.advance(60s);
  EXPECT_EQ(*service_.escalateLate(), 0);  // at the target, not past it
  clock_.advance(1s);
  EXPECT_EQ(*service_.escalateLate(), 1);
  EXPECT_EQ(*service_.escalateLate(), 0);
  clock_.advance(5s);
  EXPECT_EQ(*service_.escalateLate(), 0);

  json incident = get(police_, id);
  EXPECT_EQ(incident["escalations"], 1);
  EXPECT_EQ(incident["escalated_to"]["region_id"], street_);
  EXPECT_EQ(incident["timers"][0]["state"], "late");
  EXPECT_EQ(incident["timers"][0]["seconds_remaining"], -6);
  const json& step = incident["history"].back();
  EXPECT_EQ(step["action"], "escalate");
  EXPECT_EQ(step["actor"], "system");
  EXPECT_EQ(step["details"]["stage"], "acknowledge");
  EXPECT_EQ(published_.notices.back().data["escalations"], 1);

  // Still not acknowledged when the dispatch target passes: only the dispatch stage escalates
  // now, one level further up.
  clock_.advance(2min);
  EXPECT_EQ(*service_.escalateLate(), 1);
  EXPECT_EQ(*service_.escalateLate(), 0);
  incident = get(district_police_, id);
  EXPECT_EQ(incident["escalations"], 2);
  EXPECT_EQ(incident["escalated_to"]["region_id"], district_);
  EXPECT_EQ(incident["history"].back()["details"]["stage"], "dispatch");

  // Acknowledged late, it is still open to the rest of the response.
  const json acknowledged = act(police_, id, "acknowledge");
  EXPECT_EQ(acknowledged["timers"][0]["state"], "late");
  EXPECT_EQ(acknowledged["timers"][0]["seconds_taken"], 186);
}

TEST_F(IncidentServiceTest, AnSosFromThePortalCarriesTheCallersAddressAndHouseholdPhones) {
  auto raised = service_.raiseSos(resident_, "胸口疼");
  ASSERT_TRUE(raised) << raised.status().message();
  const int64_t id = (*raised)["id"];
  EXPECT_EQ((*raised)["kind"], "sos");
  EXPECT_EQ((*raised)["source"], "portal");
  EXPECT_EQ((*raised)["address"], "锦绣花园 3号楼 2单元 501");
  EXPECT_EQ((*raised)["estate_id"], estate_);

  // Police ring the caller and her son: their phones in full; a grid worker sees them masked.
  const json seen = get(police_, id);
  EXPECT_EQ(seen["personal_data"], "full");
  EXPECT_EQ(seen["caller"]["name"], "王秀兰");
  ASSERT_EQ(seen["contacts"].size(), 2u);
  EXPECT_EQ(seen["contacts"][0]["phone"], "13800138000");
  EXPECT_EQ(seen["contacts"][1]["name"], "李强");
  EXPECT_EQ(seen["contacts"][1]["phone"], "13912345678");
  EXPECT_EQ(seen["contacts"][1]["relation"], "family");
  EXPECT_EQ(get(grid_, id)["contacts"][1]["phone"], "139****5678");
  EXPECT_EQ(published_.notices.back().data["contacts"][0]["phone"], "138****8000");

  // The caller follows her own SOS; another resident, even of her household, does not see it. A
  // second press joins it.
  EXPECT_EQ(get(resident_, id)["status"], "raised");
  EXPECT_EQ(service_.get(son_, id).status().code(), Code::kForbidden);
  auto again = service_.raiseSos(resident_, "");
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)["id"], id);
  EXPECT_EQ((*again)["alarm_count"], 2);
  auto mine = service_.list(resident_, {});
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->items.size(), 1u);

  // A login not linked to a person cannot raise one.
  EXPECT_EQ(service_.raiseSos(police_, "").status().code(), Code::kForbidden);
}

TEST_F(IncidentServiceTest, ListsShowOnlyTheCallersScopeAndFilter) {
  const int64_t here = raise("fence-1", "fence");
  const int64_t there = raise("smoke-9", "smoke", other_estate_);
  auto mine = service_.list(police_, {.scope = store::Scope{police_.region_path}});
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->items.size(), 1u);
  EXPECT_EQ(mine->items[0]["id"], here);
  auto all = service_.list(district_police_, {.scope = store::Scope{district_police_.region_path}});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->items.size(), 2u);
  act(district_police_, there, "false_alarm");
  auto open = service_.list(district_police_,
                            {.open = true, .scope = store::Scope{district_police_.region_path}});
  ASSERT_TRUE(open);
  ASSERT_EQ(open->items.size(), 1u);
  EXPECT_EQ(open->items[0]["id"], here);
}

// Worked out by hand from the step times below (seconds after each raise):
//   1: acknowledge 30, dispatch 120, arrive 240, resolved
//   2: acknowledge 90 (late), false alarm at 100 (before the dispatch and arrival targets)
//   3: acknowledge 45, dispatch 200 (late), arrive 400 (late), resolved
//   4, at the other estate: still raised 70 seconds on (its acknowledgement is overdue)
// acknowledge: 30, 90, 45 → mean 55, p90 (nearest rank 3 of 3) 90, on time 2 of 3
// dispatch: 120, 200 → mean 160, p90 200, on time 1 of 2 (the false alarm closed before 180)
// arrive: 240, 400 → mean 320, p90 400, on time 1 of 2
TEST_F(IncidentServiceTest, ResponseFiguresPerEstateMatchOnesWorkedOutByHand) {
  const int64_t from = clock_.nowMillis();
  auto steps = [&](std::vector<std::pair<int, std::string>> plan) {
    const int64_t id = raise("fence-1", "fence");
    int at = 0;
    for (const auto& [second, action] : plan) {
      clock_.advance(std::chrono::seconds(second - at));
      at = second;
      act(police_, id, action, action == "dispatch" ? "巡逻一组" : "");
    }
    clock_.advance(1h);
  };
  steps({{30, "acknowledge"}, {120, "dispatch"}, {240, "arrive"}, {600, "resolve"}});
  steps({{90, "acknowledge"}, {100, "false_alarm"}});
  steps({{45, "acknowledge"}, {200, "dispatch"}, {400, "arrive"}, {700, "resolve"}});
  raise("smoke-9", "smoke", other_estate_);
  clock_.advance(70s);

  auto stats = service_.stats(store::Scope{}, std::nullopt, from, clock_.nowMillis());
  ASSERT_TRUE(stats) << stats.status().message();
  ASSERT_EQ(stats->estates.size(), 2u);
  const IncidentFigures& here = stats->estates[0];
  EXPECT_EQ(here.estate_id, estate_);
  EXPECT_EQ(here.estate_name, "锦绣花园");
  EXPECT_EQ(here.count, 3);
  EXPECT_EQ(here.false_alarms, 1);
  EXPECT_EQ(here.resolved, 2);
  EXPECT_EQ(here.open, 0);
  EXPECT_EQ(here.acknowledge.counted, 3);
  EXPECT_DOUBLE_EQ(*here.acknowledge.mean_seconds, 55.0);
  EXPECT_DOUBLE_EQ(*here.acknowledge.p90_seconds, 90.0);
  EXPECT_DOUBLE_EQ(*here.acknowledge.on_time_rate, 0.6667);
  EXPECT_EQ(here.dispatch.counted, 2);
  EXPECT_DOUBLE_EQ(*here.dispatch.mean_seconds, 160.0);
  EXPECT_DOUBLE_EQ(*here.dispatch.p90_seconds, 200.0);
  EXPECT_DOUBLE_EQ(*here.dispatch.on_time_rate, 0.5);
  EXPECT_DOUBLE_EQ(*here.arrive.mean_seconds, 320.0);
  EXPECT_DOUBLE_EQ(*here.arrive.p90_seconds, 400.0);
  EXPECT_DOUBLE_EQ(*here.arrive.on_time_rate, 0.5);

  const IncidentFigures& there = stats->estates[1];
  EXPECT_EQ(there.estate_id, other_estate_);
  EXPECT_EQ(there.open, 1);
  EXPECT_EQ(there.acknowledge.counted, 1);
  EXPECT_EQ(there.acknowledge.reached, 0);
  EXPECT_FALSE(there.acknowledge.mean_seconds);
  EXPECT_DOUBLE_EQ(*there.acknowledge.on_time_rate, 0.0);
  EXPECT_EQ(there.dispatch.counted, 0);  // its target has not passed yet
  EXPECT_FALSE(there.dispatch.on_time_rate);

  EXPECT_EQ(stats->total.count, 4);
  EXPECT_EQ(stats->total.acknowledge.counted, 4);
  EXPECT_DOUBLE_EQ(*stats->total.acknowledge.on_time_rate, 0.5);

  // Only the incidents raised in the window count.
  auto later =
      service_.stats(store::Scope{}, std::nullopt, clock_.nowMillis(), clock_.nowMillis() + 1000);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->total.count, 0);
  EXPECT_TRUE(later->estates.empty());
}

TEST_F(IncidentServiceTest, TheQueueKeepsOnlyAlarmsAndDropsWhatIsBeyondItsCapacity) {
  AlarmQueue queue(2);
  store::StoredEvent access{.seq = 1};
  access.event.kind = domain::EventKind::kAccess;
  queue.offer(
      {alarm("fence-1", "fence"), access, alarm("fence-1", "fence"), alarm("fence-1", "fence")});
  EXPECT_EQ(queue.take(0ms).alarms.size(), 2u);
  EXPECT_EQ(queue.dropped(), 1u);
  queue.close();
  queue.offer({alarm("fence-1", "fence")});
  EXPECT_TRUE(queue.take(0ms).alarms.empty());
  EXPECT_EQ(queue.dropped(), 2u);
}

TEST_F(IncidentServiceTest, AnAlarmStoredByTheEventWriterBecomesAnIncident) {
  test_support::TempEvents events(store_, clock_);
  auto queue = std::make_shared<AlarmQueue>();
  events.writer->observe([queue](const auto& stored) { queue->offer(stored); });
  {
    AlarmIntake intake(service_, queue);
    auto stored = events.writer->append({alarm("fence-1", "fence").event});
    ASSERT_TRUE(stored) << stored.status().message();
    // The intake raises what is queued before it stops.
  }
  auto listed = service_.list(police_, {.scope = store::Scope{police_.region_path}});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0]["device_id"], "fence-1");
}

// A crash after an alarm is stored (and acknowledged to its device) but before the intake took
// it: the next start raises it, and an alarm already raised is not raised twice.
TEST_F(IncidentServiceTest, AlarmsStoredBeforeACrashBecomeIncidentsAtTheNextStart) {
  test_support::TempEvents events(store_, clock_);
  auto queue = std::make_shared<AlarmQueue>();
  events.writer->observe([queue](const auto& stored) { queue->offer(stored); });
  {
    AlarmIntake intake(service_, queue, events.store.get());
    ASSERT_TRUE(events.writer->append({alarm("fence-1", "fence").event}));
  }
  // The crash: stored, but never offered to an intake.
  ASSERT_TRUE(events.writer->append({alarm("smoke-3", "smoke").event}));
  ASSERT_TRUE(events.writer->append({alarm("gas-2", "gas").event}));
  auto count = [&] {
    auto listed = service_.list(police_, {.scope = store::Scope{police_.region_path}});
    EXPECT_TRUE(listed);
    return listed ? listed->items.size() : 0u;
  };
  EXPECT_EQ(count(), 1u);
  auto restarted = std::make_shared<AlarmQueue>();
  { AlarmIntake intake(service_, restarted, events.store.get()); }
  EXPECT_EQ(count(), 3u);
  // And once more: nothing is raised again, nor attached twice.
  { AlarmIntake intake(service_, std::make_shared<AlarmQueue>(), events.store.get()); }
  EXPECT_EQ(count(), 3u);
  auto fence = service_.list(police_, {.scope = store::Scope{police_.region_path}});
  for (const auto& item : fence->items) EXPECT_EQ(item["alarm_count"], 1) << item.dump();
}

// A store that had alarms before any intake ran (an upgrade) does not raise its history.
TEST_F(IncidentServiceTest, AFirstStartDoesNotRaiseOldAlarms) {
  test_support::TempEvents events(store_, clock_);
  ASSERT_TRUE(events.writer->append({alarm("fence-1", "fence").event}));
  { AlarmIntake intake(service_, std::make_shared<AlarmQueue>(), events.store.get()); }
  auto listed = service_.list(police_, {.scope = store::Scope{police_.region_path}});
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->items.empty());
  auto position = service_.intakePosition();
  ASSERT_TRUE(position && *position);
  EXPECT_GT(**position, 0);
}

}  // namespace
}  // namespace anju::incidents
