// Access decisions against a real store with a fake clock: residents by group and credential
// window, visitor passes by code (window, uses, revocation), cars at the barrier, phone
// authorisation, and the access event every decision leaves.
#include "access/access_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>

#include "access/credential_sync.h"
#include "domain/entity.h"
#include "store/record_store.h"
#include "temp_store.h"

namespace anju::access {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class RecordingSink : public domain::EventSink {
 public:
  Result<std::vector<bool>> append(std::vector<domain::Event> events) override {
    std::lock_guard lock(mutex);
    std::vector<bool> stored(events.size(), true);
    for (auto& e : events) kept.push_back(std::move(e));
    return stored;
  }
  Status enqueue(std::vector<domain::Event> events) override {
    auto appended = append(std::move(events));
    return appended ? Status{} : appended.status();
  }
  std::mutex mutex;
  std::vector<domain::Event> kept;
};

constexpr int64_t kHour = 3600 * 1000;

class AccessServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    estate_ = create("estates", {{"name", "锦绣花园"}});
    other_estate_ = create("estates", {{"name", "阳光小区"}});
    resident_ =
        create("persons", {{"name", "张伟"}, {"category", "registered"}, {"estate_id", estate_}});
    stranger_ =
        create("persons", {{"name", "李娜"}, {"category", "registered"}, {"estate_id", estate_}});
    device("gate", estate_, "door", "in");
    device("b1-unit1", estate_, "door", "in");
    device("barrier", estate_, "barrier", "in");
    device("far-gate", other_estate_, "door", "in");
    group_ = create("access_groups", {{"name", "1号楼住户"},
                                      {"estate_id", estate_},
                                      {"device_ids", {"gate"}},
                                      {"person_ids", {resident_}}});
  }

  int64_t create(const std::string& entity, json fields) {
    auto created = records_.create(*domain::findEntity(entity), fields, store::Scope{});
    EXPECT_TRUE(created) << created.status().message();
    return created ? (*created)["id"].get<int64_t>() : 0;
  }

  void device(const std::string& id, int64_t estate, const std::string& kind,
              const std::string& direction) {
    auto created = records_.create(
        *domain::findEntity("devices"),
        {{"id", id}, {"name", id}, {"kind", kind}, {"estate_id", estate}, {"direction", direction}},
        store::Scope{});
    ASSERT_TRUE(created) << created.status().message();
  }

  store::DeviceInfo door(const std::string& id) {
    auto found = devices_.find(id);
    EXPECT_TRUE(found) << found.status().message();
    return *found;
  }

  Decision verify(const std::string& door_id, VerifyRequest request) {
    auto decision = service_.verify(door(door_id), request);
    EXPECT_TRUE(decision) << decision.status().message();
    return decision ? *decision : Decision{};
  }

  // A pass for `uses` visits from now for a day, with its code.
  std::pair<int64_t, std::string> issuePass(int uses, std::optional<int64_t> from = std::nullopt,
                                            std::string plate = {}) {
    std::string code;
    int64_t now = clock_.nowMillis();
    auto pass = service_.createPass({.host_person_id = resident_,
                                     .visitor_name = "王芳",
                                     .plate = std::move(plate),
                                     .valid_from = from,
                                     .valid_to = from.value_or(now) + 24 * kHour,
                                     .uses = uses,
                                     .created_by = "zhangwei"},
                                    store::Scope{}, &code);
    EXPECT_TRUE(pass) << pass.status().message();
    return {pass ? pass->body["id"].get<int64_t>() : 0, code};
  }

  test_support::TempStore store_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 22))};
  store::RecordStore records_{store_.db(), clock_, 480};
  store::DeviceDirectory devices_{store_.db(), clock_};
  RecordingSink sink_;
  AccessService service_{store_.db(), clock_, &sink_, 480};
  int64_t estate_ = 0, other_estate_ = 0, resident_ = 0, stranger_ = 0, group_ = 0;
};

TEST_F(AccessServiceTest, AResidentCardOpensADoorOfTheirGroupAndNoOther) {
  create("credentials", {{"person_id", resident_}, {"type", "card"}, {"value", "CARD-1"}});

  Decision at_gate = verify("gate", {.method = Method::kCard, .credential = "CARD-1"});
  Decision at_unit = verify("b1-unit1", {.method = Method::kCard, .credential = "CARD-1"});

  EXPECT_TRUE(at_gate.granted);
  EXPECT_EQ(at_gate.reason, "resident");
  EXPECT_EQ(at_gate.person_id, resident_);
  EXPECT_FALSE(at_unit.granted);
  EXPECT_EQ(at_unit.reason, "no_access_group");
}

TEST_F(AccessServiceTest, ACardOutsideItsWindowIsRefusedAsExpiredOrNotYetValid) {
  const int64_t now = clock_.nowMillis();
  create("credentials", {{"person_id", resident_},
                         {"type", "card"},
                         {"value", "CARD-2"},
                         {"valid_from", now + kHour},
                         {"valid_to", now + 2 * kHour}});

  EXPECT_EQ(verify("gate", {.method = Method::kCard, .credential = "CARD-2"}).reason,
            "credential_not_yet_valid");
  clock_.advance(90min);
  EXPECT_TRUE(verify("gate", {.method = Method::kCard, .credential = "CARD-2"}).granted);
  clock_.advance(1h);
  EXPECT_EQ(verify("gate", {.method = Method::kCard, .credential = "CARD-2"}).reason,
            "credential_expired");
}

TEST_F(AccessServiceTest, ARevokedCardIsUnknownAtOnce) {
  int64_t card =
      create("credentials", {{"person_id", resident_}, {"type", "card"}, {"value", "CARD-3"}});
  ASSERT_TRUE(verify("gate", {.method = Method::kCard, .credential = "CARD-3"}).granted);

  ASSERT_TRUE(records_.remove(*domain::findEntity("credentials"), std::to_string(card), {}));

  EXPECT_EQ(verify("gate", {.method = Method::kCard, .credential = "CARD-3"}).reason,
            "unknown_credential");
}

TEST_F(AccessServiceTest, AFaceRecognisedByTheCameraNeedsAGroupAndAFaceCredential) {
  std::vector<double> embedding(128, 0.1);
  create("credentials", {{"person_id", resident_}, {"type", "face"}, {"embedding", embedding}});
  create("credentials", {{"person_id", stranger_}, {"type", "face"}, {"embedding", embedding}});

  EXPECT_TRUE(verify("gate", {.method = Method::kFace, .person_id = resident_}).granted);
  EXPECT_EQ(verify("gate", {.method = Method::kFace, .person_id = stranger_}).reason,
            "no_access_group");
}

TEST_F(AccessServiceTest, AOneUseCodeOpensOnceAndThenIsUsedUp) {
  auto [pass_id, code] = issuePass(1);
  ASSERT_EQ(code.size(), 6u);

  Decision first = verify("gate", {.method = Method::kCode, .code = code});
  Decision second = verify("b1-unit1", {.method = Method::kCode, .code = code});

  EXPECT_TRUE(first.granted);
  EXPECT_EQ(first.reason, "visitor");
  EXPECT_EQ(first.pass_id, pass_id);
  EXPECT_FALSE(second.granted);
  EXPECT_EQ(second.reason, "pass_used_up");
}

TEST_F(AccessServiceTest, ACodeBeforeItsWindowIsNotYetValidAndAfterItIsExpired) {
  auto [pass_id, code] = issuePass(3, clock_.nowMillis() + kHour);

  EXPECT_EQ(verify("gate", {.method = Method::kCode, .code = code}).reason, "pass_not_yet_valid");
  clock_.advance(2h);
  EXPECT_TRUE(verify("gate", {.method = Method::kCode, .code = code}).granted);
  clock_.advance(24h);
  EXPECT_EQ(verify("gate", {.method = Method::kCode, .code = code}).reason, "pass_expired");
}

TEST_F(AccessServiceTest, ARevokedPassOpensNothing) {
  auto [pass_id, code] = issuePass(5);
  ASSERT_TRUE(service_.revokePass(pass_id));

  EXPECT_EQ(verify("gate", {.method = Method::kCode, .code = code}).reason, "pass_revoked");
}

TEST_F(AccessServiceTest, ACodeIsLookedUpOnlyAmongTheDoorsEstate) {
  auto [pass_id, code] = issuePass(5);

  EXPECT_EQ(verify("far-gate", {.method = Method::kCode, .code = code}).reason, "unknown_code");
}

TEST_F(AccessServiceTest, APassQrOpensLikeItsCodeAndCountsTheSameUses) {
  auto [pass_id, code] = issuePass(1);

  EXPECT_TRUE(verify("gate", {.method = Method::kQr, .credential = passQr(pass_id, code)}).granted);
  EXPECT_EQ(verify("gate", {.method = Method::kQr, .credential = passQr(pass_id, code)}).reason,
            "pass_used_up");
  EXPECT_EQ(verify("gate", {.method = Method::kQr, .credential = passQr(pass_id, "000000")}).reason,
            code == "000000" ? "pass_used_up" : "unknown_code");
}

TEST_F(AccessServiceTest, AtTheBarrierResidentsCarsAndPassCarsAreKnownAndOthersTemporary) {
  create("vehicles", {{"plate", "京A12345"},
                      {"person_id", resident_},
                      {"estate_id", estate_},
                      {"kind", "resident"}});
  auto [pass_id, code] = issuePass(1, std::nullopt, "京B54321");

  Decision own = verify("barrier", {.method = Method::kPlate, .credential = "京A·12345"});
  Decision guest = verify("barrier", {.method = Method::kPlate, .credential = "京B54321"});
  Decision other = verify("barrier", {.method = Method::kPlate, .credential = "沪C11111"});

  EXPECT_EQ(own.reason, "resident");
  EXPECT_EQ(own.person_id, resident_);
  EXPECT_EQ(guest.reason, "visitor");
  EXPECT_EQ(guest.pass_id, pass_id);
  EXPECT_TRUE(other.granted);
  EXPECT_EQ(other.reason, "temporary");
}

TEST_F(AccessServiceTest, EveryDecisionIsRecordedAsAnAccessEventAtTheDoor) {
  create("credentials", {{"person_id", resident_}, {"type", "card"}, {"value", "CARD-4"}});

  Decision granted = verify("gate", {.method = Method::kCard, .credential = "CARD-4"});
  verify("gate", {.method = Method::kCard, .credential = "NOBODY"});

  ASSERT_EQ(sink_.kept.size(), 2u);
  const domain::Event& e = sink_.kept[0];
  EXPECT_EQ(e.kind, domain::EventKind::kAccess);
  EXPECT_EQ(e.device_id, "gate");
  EXPECT_EQ(e.event_id, granted.event_id);
  EXPECT_EQ(e.event_id.rfind("anju-", 0), 0u);
  EXPECT_EQ(e.ts, clock_.nowMillis());
  EXPECT_EQ(e.estate_id, estate_);
  EXPECT_EQ(e.person_id, resident_);
  EXPECT_EQ(e.result, "granted");
  EXPECT_EQ(e.direction, "in");
  EXPECT_EQ(json::parse(e.attrs)["method"], "card");
  EXPECT_EQ(sink_.kept[1].result, "denied");
  EXPECT_EQ(json::parse(sink_.kept[1].attrs)["reason"], "unknown_credential");
}

TEST_F(AccessServiceTest, AnApprovedPhoneRequestOpensOnceAndARefusedOneNever) {
  auto asked =
      service_.requestPhone(door("gate"), {.host_person_id = resident_, .visitor_name = "快递员"});
  ASSERT_TRUE(asked) << asked.status().message();
  const int64_t id = asked->body["id"];
  EXPECT_EQ(asked->body["status"], "pending");
  EXPECT_FALSE((*service_.pollPhoneRequest(door("gate"), id)).body["open"]);

  EXPECT_EQ(service_.decidePhoneRequest(id, stranger_, true, "lina").status().code(),
            Code::kForbidden);
  ASSERT_TRUE(service_.decidePhoneRequest(id, resident_, true, "zhangwei"));
  auto first = service_.pollPhoneRequest(door("gate"), id);
  auto second = service_.pollPhoneRequest(door("gate"), id);

  EXPECT_TRUE(first->body["open"]);
  EXPECT_FALSE(second->body["open"]);
  EXPECT_EQ(second->body["status"], "used");

  auto again =
      service_.requestPhone(door("gate"), {.host_person_id = resident_, .visitor_name = "推销员"});
  ASSERT_TRUE(again);
  ASSERT_TRUE(service_.decidePhoneRequest(again->body["id"], resident_, false, "zhangwei"));
  auto refused = service_.pollPhoneRequest(door("gate"), again->body["id"]);
  EXPECT_FALSE(refused->body["open"]);
  EXPECT_EQ(refused->body["status"], "refused");
  // One granted opening and one refusal; the pending and repeated polls add nothing.
  ASSERT_EQ(sink_.kept.size(), 2u);
  EXPECT_EQ(sink_.kept[0].result, "granted");
  EXPECT_EQ(sink_.kept[1].result, "denied");
}

TEST_F(AccessServiceTest, APhoneRequestLapsesAfterAFewMinutes) {
  auto asked =
      service_.requestPhone(door("gate"), {.host_person_id = resident_, .visitor_name = "访客"});
  ASSERT_TRUE(asked);
  clock_.advance(std::chrono::milliseconds(AccessService::kPhoneRequestTtlMs + 1));

  auto late = service_.decidePhoneRequest(asked->body["id"], resident_, true, "zhangwei");

  EXPECT_EQ(late.status().code(), Code::kConflict);
  EXPECT_EQ(service_.getPhoneRequest(asked->body["id"])->body["status"], "expired");
}

TEST_F(AccessServiceTest, RemoteOpeningNeedsAGroupThatIncludesTheDoor) {
  EXPECT_TRUE(verify("gate", {.method = Method::kRemote, .person_id = resident_}).granted);
  EXPECT_EQ(verify("b1-unit1", {.method = Method::kRemote, .person_id = resident_}).reason,
            "no_access_group");
}

TEST_F(AccessServiceTest, APassCannotNameADoorOfAnotherEstate) {
  std::string code;
  auto pass = service_.createPass({.host_person_id = resident_,
                                   .visitor_name = "王芳",
                                   .valid_to = clock_.nowMillis() + kHour,
                                   .device_ids = {"far-gate"},
                                   .created_by = "zhangwei"},
                                  store::Scope{}, &code);
  EXPECT_EQ(pass.status().code(), Code::kInvalid);
  EXPECT_EQ(pass.status().field(), "device_ids");
}

}  // namespace
}  // namespace anju::access
