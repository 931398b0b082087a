// Mediation records as mediators and the staff around them use them over the API: who may write
// and read, what a reader sees of the parties, and the order the steps must follow.
#include <gtest/gtest.h>

#include "case_world.h"

namespace anju::api {
namespace {

using nlohmann::json;
using test_support::CaseRow;
using test_support::CaseWorld;

class MediationRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world_.addCase({.id = 1,
                    .estate_id = 10,
                    .status = "assigned",
                    .level = "village",
                    .route = "court_mediation",
                    .created_at = CaseWorld::at("2026-12-01T09:00:00")});
    world_.addCase({.id = 2, .region_path = "/1/2/4/", .estate_id = 11, .created_at = 0});
    world_.addCase({.id = 3, .status = "merged", .created_at = 0, .merged_into = 1});
  }

  json newRecord() const {
    return {{"mediator", "王调解"},
            {"parties",
             {{{"name", "张三"}, {"role", "applicant"}, {"phone", "138 1234 5678"}},
              {{"name", "李四"}, {"role", "respondent"}}}}};
  }

  // A record on case 1, opened by the mediator; its id.
  int64_t open() {
    auto created = world_.call("POST", "/api/v1/cases/1/mediations", mediator_, newRecord());
    EXPECT_EQ(created.status, 201) << created.body;
    return created.body.value("id", int64_t{0});
  }

  std::string path(int64_t id, const std::string& rest = "") {
    return "/api/v1/mediations/" + std::to_string(id) + rest;
  }

  int64_t count(const std::string& sql) { return world_.store.query(sql).scalarInt().value_or(-1); }

  CaseWorld world_;
  std::string mediator_ = world_.token("mediator3", "mediator", 3);
  std::string grid_worker_ = world_.token("grid3", "grid_worker", 3);
  std::string resident_ = world_.token("resident3", "resident", 3);
};

TEST_F(MediationRecordsTest, AMediatorOpensARecordWhoseKindFollowsTheCaseRoute) {
  auto created = world_.call("POST", "/api/v1/cases/1/mediations", mediator_, newRecord());

  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body["case_id"], 1);
  EXPECT_EQ(created.body["kind"], "court");
  EXPECT_EQ(created.body["mediator"], "王调解");
  EXPECT_EQ(created.body["status"], "open");
  EXPECT_EQ(created.body["confirmation"]["status"], "none");
  EXPECT_EQ(created.body["parties"][0]["phone"], "13812345678");
  EXPECT_TRUE(created.body["parties"][1]["phone"].is_null());
  EXPECT_EQ(created.body["sessions"], json::array());
  EXPECT_EQ(created.body["created_by"], "mediator3");
}

TEST_F(MediationRecordsTest, AnUnknownCaseIs404AndACaseOutsideTheRegionIs403) {
  EXPECT_EQ(world_.call("POST", "/api/v1/cases/99/mediations", mediator_, newRecord()).status, 404);
  EXPECT_EQ(world_.call("POST", "/api/v1/cases/2/mediations", mediator_, newRecord()).status, 403);
  EXPECT_EQ(count("SELECT count(*) FROM mediations"), 0);
}

TEST_F(MediationRecordsTest, AMergedCaseSendsTheMediatorToTheCaseItWasMergedInto) {
  auto refused = world_.call("POST", "/api/v1/cases/3/mediations", mediator_, newRecord());

  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body["error"]["message"].get<std::string>().find("case 1"), std::string::npos);
}

TEST_F(MediationRecordsTest, OnlyMediatorsAndAdminsWriteAndResidentsDoNotRead) {
  const int64_t id = open();

  EXPECT_EQ(world_.call("POST", "/api/v1/cases/1/mediations", grid_worker_, newRecord()).status,
            403);
  EXPECT_EQ(world_.call("GET", path(id), resident_).status, 403);
  EXPECT_EQ(world_.call("GET", path(id), grid_worker_).status, 200);
}

TEST_F(MediationRecordsTest, BadInputIsRefusedNamingTheFieldAndWritesNothing) {
  json no_mediator = newRecord();
  no_mediator.erase("mediator");
  json numeric_mediator = newRecord();
  numeric_mediator["mediator"] = 7;
  json bad_role = newRecord();
  bad_role["parties"][1]["role"] = "judge";
  json bad_phone = newRecord();
  bad_phone["parties"][0]["phone"] = "12345";
  json bad_kind = newRecord();
  bad_kind["kind"] = "arbitration";
  json no_parties = newRecord();
  no_parties["parties"] = json::array();

  for (const auto& [body, field] :
       {std::pair{no_mediator, "mediator"}, std::pair{numeric_mediator, "mediator"},
        std::pair{bad_role, "parties[1].role"}, std::pair{bad_phone, "parties[0].phone"},
        std::pair{bad_kind, "kind"}, std::pair{no_parties, "parties"}}) {
    auto refused = world_.call("POST", "/api/v1/cases/1/mediations", mediator_, body);
    EXPECT_EQ(refused.status, 400) << body;
    EXPECT_EQ(refused.body["error"]["field"], field) << body;
  }
  EXPECT_EQ(count("SELECT count(*) FROM mediations"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM mediation_parties"), 0);
}

TEST_F(MediationRecordsTest, StaffOtherThanMediatorsSeePhonesMasked) {
  const int64_t id = open();

  auto read = world_.call("GET", path(id), grid_worker_);
  auto listed = world_.call("GET", "/api/v1/mediations", grid_worker_);

  EXPECT_EQ(read.body["parties"][0]["phone"], "138****5678");
  EXPECT_EQ(listed.body["items"][0]["parties"][0]["phone"], "138****5678");
}

TEST_F(MediationRecordsTest, EveryReadOfPhonesInFullIsAudited) {
  const int64_t id = open();

  auto read = world_.call("GET", path(id), mediator_);
  world_.call("GET", "/api/v1/mediations?case_id=1", mediator_);
  world_.call("GET", path(id), grid_worker_);

  EXPECT_EQ(read.body["parties"][0]["phone"], "13812345678");
  auto rows = world_.store.query(
      "SELECT user_name, action, object_id, detail FROM audit WHERE object = 'mediations' "
      "ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(store::asText(rows.rows[0][0]), "mediator3");
  EXPECT_EQ(store::asText(rows.rows[0][1]), "read");
  EXPECT_EQ(store::asText(rows.rows[0][2]), std::to_string(id));
  EXPECT_EQ(store::asText(rows.rows[1][1]), "list");
  EXPECT_EQ(store::asText(rows.rows[1][3]), "case_id=1");
}

TEST_F(MediationRecordsTest, SessionsAreKeptInTheOrderTheyWereHeld) {
  const int64_t id = open();

  world_.call("POST", path(id, "/sessions"), mediator_,
              {{"held_at", "2026-12-05T15:00:00+08:00"}, {"place", "村调解室"}});
  auto second = world_.call("POST", path(id, "/sessions"), mediator_,
                            {{"held_at", "2026-12-03T09:30:00+08:00"}, {"notes", "双方到场"}});

  ASSERT_EQ(second.status, 201) << second.body;
  ASSERT_EQ(second.body["sessions"].size(), 2u);
  EXPECT_EQ(second.body["sessions"][0]["held_at"], "2026-12-03T09:30:00.000+08:00");
  EXPECT_EQ(second.body["sessions"][0]["notes"], "双方到场");
  EXPECT_EQ(second.body["sessions"][1]["place"], "村调解室");
  EXPECT_EQ(world_.call("POST", path(id, "/sessions"), mediator_, {{"held_at", "yesterday"}})
                .body["error"]["field"],
            "held_at");
}

TEST_F(MediationRecordsTest, AnAgreementNeedsItsTextAndAConcludedRecordTakesNoSecondOutcome) {
  const int64_t id = open();

  auto missing = world_.call("POST", path(id, "/outcome"), mediator_, {{"outcome", "agreed"}});
  auto unknown = world_.call("POST", path(id, "/outcome"), mediator_, {{"outcome", "settled"}});
  auto agreed = world_.call("POST", path(id, "/outcome"), mediator_,
                            {{"outcome", "agreed"}, {"agreement", "李四赔偿张三 2000 元"}});
  auto again = world_.call("POST", path(id, "/outcome"), mediator_, {{"outcome", "failed"}});
  auto late_session =
      world_.call("POST", path(id, "/sessions"), mediator_, {{"held_at", "2026-12-06"}});

  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body["error"]["field"], "agreement");
  EXPECT_EQ(unknown.body["error"]["field"], "outcome");
  ASSERT_EQ(agreed.status, 200) << agreed.body;
  EXPECT_EQ(agreed.body["status"], "agreed");
  EXPECT_EQ(agreed.body["agreement"], "李四赔偿张三 2000 元");
  EXPECT_EQ(agreed.body["concluded_by"], "mediator3");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(late_session.status, 409);
}

TEST_F(MediationRecordsTest, JudicialConfirmationIsRequestedAfterAnAgreementThenGranted) {
  const int64_t id = open();
  auto too_early = world_.call("POST", path(id, "/confirmation"), mediator_,
                               {{"action", "request"}, {"court", "海港区人民法院"}});
  world_.call("POST", path(id, "/outcome"), mediator_,
              {{"outcome", "agreed"}, {"agreement", "分期偿还"}});

  auto grant_first = world_.call("POST", path(id, "/confirmation"), mediator_,
                                 {{"action", "grant"}, {"reference", "(2026)冀0302民特12号"}});
  auto requested = world_.call("POST", path(id, "/confirmation"), mediator_,
                               {{"action", "request"}, {"court", "海港区人民法院"}});
  auto no_reference =
      world_.call("POST", path(id, "/confirmation"), mediator_, {{"action", "grant"}});
  world_.clock.advance(std::chrono::hours(72));
  auto granted = world_.call("POST", path(id, "/confirmation"), mediator_,
                             {{"action", "grant"}, {"reference", "(2026)冀0302民特12号"}});
  auto refused_after = world_.call("POST", path(id, "/confirmation"), mediator_,
                                   {{"action", "refuse"}, {"reason", "协议违法"}});

  EXPECT_EQ(too_early.status, 409);
  EXPECT_EQ(grant_first.status, 409);
  EXPECT_NE(grant_first.body["error"]["message"].get<std::string>().find("allowed now: request"),
            std::string::npos);
  EXPECT_EQ(requested.body["confirmation"]["status"], "requested");
  EXPECT_EQ(no_reference.body["error"]["field"], "reference");
  ASSERT_EQ(granted.status, 200) << granted.body;
  const json& confirmation = granted.body["confirmation"];
  EXPECT_EQ(confirmation["status"], "granted");
  EXPECT_EQ(confirmation["court"], "海港区人民法院");
  EXPECT_EQ(confirmation["reference"], "(2026)冀0302民特12号");
  EXPECT_EQ(confirmation["requested_at"], "2026-12-20T08:00:00.000+08:00");
  EXPECT_EQ(confirmation["decided_at"], "2026-12-23T08:00:00.000+08:00");
  EXPECT_EQ(refused_after.status, 409);
}

TEST_F(MediationRecordsTest, ACourtMayRefuseConfirmationWithItsReason) {
  const int64_t id = open();
  world_.call("POST", path(id, "/outcome"), mediator_,
              {{"outcome", "agreed"}, {"agreement", "分期偿还"}});
  world_.call("POST", path(id, "/confirmation"), mediator_,
              {{"action", "request"}, {"court", "海港区人民法院"}});

  auto unknown = world_.call("POST", path(id, "/confirmation"), mediator_, {{"action", "appeal"}});
  auto refused = world_.call("POST", path(id, "/confirmation"), mediator_,
                             {{"action", "refuse"}, {"reason", "协议内容违反法律规定"}});

  EXPECT_EQ(unknown.body["error"]["field"], "action");
  EXPECT_EQ(refused.body["confirmation"]["status"], "refused");
  EXPECT_EQ(refused.body["confirmation"]["reason"], "协议内容违反法律规定");
  EXPECT_TRUE(refused.body["confirmation"]["reference"].is_null());
}

TEST_F(MediationRecordsTest, TheListFiltersByCaseAndStatusAndPages) {
  const int64_t first = open();
  const int64_t second = open();
  world_.call("POST", path(second, "/outcome"), mediator_, {{"outcome", "withdrawn"}});

  auto withdrawn = world_.call("GET", "/api/v1/mediations?status=withdrawn", mediator_);
  auto open_ones = world_.call("GET", "/api/v1/mediations?status=open&case_id=1", mediator_);
  auto page = world_.call("GET", "/api/v1/mediations?limit=1", mediator_);
  auto rest = world_.call(
      "GET", "/api/v1/mediations?limit=1&cursor=" + page.body["next"].get<std::string>(),
      mediator_);
  auto bad = world_.call("GET", "/api/v1/mediations?status=closed", mediator_);

  ASSERT_EQ(withdrawn.body["items"].size(), 1u);
  EXPECT_EQ(withdrawn.body["items"][0]["id"], second);
  ASSERT_EQ(open_ones.body["items"].size(), 1u);
  EXPECT_EQ(open_ones.body["items"][0]["id"], first);
  EXPECT_EQ(page.body["items"][0]["id"], first);
  EXPECT_EQ(rest.body["items"][0]["id"], second);
  EXPECT_TRUE(rest.body["next"].is_null());
  EXPECT_EQ(bad.body["error"]["field"], "status");
}

TEST_F(MediationRecordsTest, RecordsOfCasesOutsideTheRegionAreNeitherListedNorRead) {
  const std::string admin = world_.token("admin", "admin", std::nullopt);
  auto other = world_.call("POST", "/api/v1/cases/2/mediations", admin, newRecord());
  ASSERT_EQ(other.status, 201) << other.body;
  const int64_t id = other.body["id"];

  EXPECT_EQ(world_.call("GET", path(id), mediator_).status, 403);
  EXPECT_EQ(world_.call("GET", "/api/v1/mediations", mediator_).body["items"], json::array());
  EXPECT_EQ(world_.call("POST", path(id, "/outcome"), mediator_, {{"outcome", "failed"}}).status,
            403);
  EXPECT_EQ(world_.call("GET", path(999), mediator_).status, 404);
}

TEST_F(MediationRecordsTest, EachMediationStepIsNotedInTheCaseHistoryWithoutMovingTheCase) {
  const int64_t id = open();
  world_.call("POST", path(id, "/sessions"), mediator_,
              {{"held_at", "2026-12-02T10:00:00+08:00"}, {"notes", "双方同意分摊维修费"}});
  world_.call("POST", path(id, "/outcome"), mediator_,
              {{"outcome", "agreed"}, {"agreement", "维修费各付一半"}});
  world_.call("POST", path(id, "/confirmation"), mediator_,
              {{"action", "request"}, {"court", "海港区人民法院"}});

  EXPECT_EQ(count("SELECT count(*) FROM case_history WHERE case_id = 1 AND action IN "
                  "('mediation', 'mediation_session', 'mediation_outcome', "
                  "'judicial_confirmation') AND from_status = 'assigned' AND to_status = "
                  "'assigned' AND actor = 'mediator3'"),
            4);
  EXPECT_EQ(count("SELECT count(*) FROM cases WHERE id = 1 AND status = 'assigned'"), 1);
}

}  // namespace
}  // namespace anju::api
