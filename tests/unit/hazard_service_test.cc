// The hazard loop against a real store: each step changes the hazard and leaves a history row,
// and a refused step changes nothing.
#include "grid/hazard_service.h"

#include <gtest/gtest.h>

#include "temp_store.h"

namespace anju::grid {
namespace {

using nlohmann::json;
using test_support::TempStore;
using Actions = std::vector<std::string>;

class HazardServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.execute(
        "INSERT INTO hazards (id, region_path, kind, description, status, created_at, updated_at) "
        "VALUES (1, '/1/', 'fire', '楼道堆放杂物', 'reported', 0, 0)"));
  }

  Status apply(const json& body, const std::string& scope = "/1/") {
    auto action = parseHazardAction(body);
    if (!action) return action.status();
    allowed_.clear();
    return service_.apply(1, *action, store::Scope{scope}, "wang", allowed_);
  }

  std::string column(const std::string& name) {
    return store::asText(store_.query("SELECT " + name + " FROM hazards WHERE id = 1").rows[0][0]);
  }

  TempStore store_;
  // 2026-11-22 08:00 in China.
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 22))};
  HazardService service_{store_.db(), clock_, 480};
  Actions allowed_;
};

TEST_F(HazardServiceTest, AssigningSetsTheAssigneeAndDeadlineAndRecordsTheStep) {
  ASSERT_TRUE(
      apply({{"action", "assign"}, {"assignee", "物业李经理"}, {"rectify_by", "2026-11-30"}}));
  EXPECT_EQ(column("status"), "assigned");
  EXPECT_EQ(column("assignee"), "物业李经理");
  EXPECT_EQ(column("rectify_by"), "2026-11-30");
  auto history = service_.history(1, store::Scope{"/"});
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0]["actor"], "wang");
  EXPECT_EQ((*history)[0]["from"], "reported");
  EXPECT_EQ((*history)[0]["to"], "assigned");
  EXPECT_EQ((*history)[0]["assignee"], "物业李经理");
  EXPECT_EQ((*history)[0]["ts"], "2026-11-22T08:00:00.000+08:00");
}

TEST_F(HazardServiceTest, AFailedVerificationClearsTheRectificationAndMayMoveTheDeadline) {
  ASSERT_TRUE(apply({{"action", "assign"}, {"assignee", "李"}, {"rectify_by", "2026-11-30"}}));
  ASSERT_TRUE(apply({{"action", "rectify"}, {"note", "已清理"}}));
  EXPECT_EQ(column("rectified_on"), "2026-11-22");
  ASSERT_TRUE(apply({{"action", "verify"},
                     {"passed", false},
                     {"note", "仍有杂物"},
                     {"rectify_by", "2026-12-05"}}));
  EXPECT_EQ(column("status"), "assigned");
  EXPECT_EQ(column("rectified_on"), "");
  EXPECT_EQ(column("rectify_by"), "2026-12-05");
  ASSERT_TRUE(apply({{"action", "rectify"}, {"note", "再次清理"}}));
  ASSERT_TRUE(apply({{"action", "verify"}, {"passed", true}}));
  EXPECT_EQ(column("status"), "verified");
  EXPECT_EQ(column("verified_on"), "2026-11-22");
  EXPECT_EQ(store_.count("hazard_history"), 5);
}

TEST_F(HazardServiceTest, AStepNotAllowedNowIsAConflictListingTheAllowedOnesAndChangesNothing) {
  Status s = apply({{"action", "verify"}, {"passed", true}});
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_EQ(allowed_, Actions{"assign"});
  EXPECT_EQ(column("status"), "reported");
  EXPECT_EQ(store_.count("hazard_history"), 0);
}

TEST_F(HazardServiceTest, EachActionNamesTheFieldItIsMissing) {
  EXPECT_EQ(apply({{"action", "assign"}, {"rectify_by", "2026-11-30"}}).field(), "assignee");
  EXPECT_EQ(apply({{"action", "assign"}, {"assignee", "李"}}).field(), "rectify_by");
  EXPECT_EQ(apply({{"action", "assign"}, {"assignee", "李"}, {"rectify_by", "2026-11-31"}}).field(),
            "rectify_by");
  EXPECT_EQ(column("status"), "reported");
  ASSERT_TRUE(apply({{"action", "assign"}, {"assignee", "李"}, {"rectify_by", "2026-11-30"}}));
  EXPECT_EQ(apply({{"action", "rectify"}}).field(), "note");
  ASSERT_TRUE(apply({{"action", "rectify"}, {"note", "已整改"}}));
  EXPECT_EQ(apply({{"action", "verify"}}).field(), "passed");
  EXPECT_EQ(apply({{"action", "verify"}, {"passed", false}}).field(), "note");
}

TEST_F(HazardServiceTest, ADeadlineAlreadyPastIsRefused) {
  Status s = apply({{"action", "assign"}, {"assignee", "李"}, {"rectify_by", "2026-11-21"}});
  EXPECT_EQ(s.code(), Code::kInvalid);
  EXPECT_EQ(s.field(), "rectify_by");
}

TEST_F(HazardServiceTest, AnUnknownActionOrFieldIsBadInputNamingIt) {
  EXPECT_EQ(parseHazardAction({{"action", "close"}}).status().field(), "action");
  EXPECT_EQ(parseHazardAction(json::object()).status().field(), "action");
  EXPECT_EQ(parseHazardAction({{"action", "verify"}, {"passed", "yes"}}).status().field(),
            "passed");
  EXPECT_EQ(parseHazardAction({{"action", "rectify"}, {"colour", "red"}}).status().field(),
            "colour");
}

TEST_F(HazardServiceTest, AHazardOutsideTheScopeIsForbiddenAndAnUnknownOneNotFound) {
  EXPECT_EQ(
      apply({{"action", "assign"}, {"assignee", "李"}, {"rectify_by", "2026-11-30"}}, "/2/").code(),
      Code::kForbidden);
  auto action = parseHazardAction({{"action", "rectify"}, {"note", "x"}});
  ASSERT_TRUE(action);
  EXPECT_EQ(service_.apply(99, *action, store::Scope{}, "wang", allowed_).code(), Code::kNotFound);
  EXPECT_EQ(service_.history(1, store::Scope{"/2/"}).status().code(), Code::kForbidden);
}

}  // namespace
}  // namespace anju::grid
