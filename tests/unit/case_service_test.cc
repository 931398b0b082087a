// The case loop against a real store with a fake clock: the whole loop from a resident's report
// to closing, what each role may do, escalation and return, reopening within its window, merged
// duplicates keeping every reporter, and supervision reminding and then escalating a late case.
#include "cases/case_service.h"

#include <gtest/gtest.h>

#include <chrono>

#include "cases/text_similarity.h"
#include "domain/entity.h"
#include "store/record_store.h"
#include "temp_store.h"

namespace anju::cases {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class CaseServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const int64_t city = create("regions", {{"name", "海港区"}, {"level", "district"}});
    township_ =
        create("regions", {{"name", "白塔岭街道"}, {"level", "street"}, {"parent_id", city}});
    const int64_t village =
        create("regions", {{"name", "海阳社区"}, {"level", "community"}, {"parent_id", township_}});
    const int64_t elsewhere =
        create("regions", {{"name", "西港街道"}, {"level", "street"}, {"parent_id", city}});
    estate_ = create("estates", {{"name", "锦绣花园"}, {"region_id", village}});
    const int64_t person = create("persons", {{"name", "张伟"},
                                              {"phone", "13800138000"},
                                              {"category", "registered"},
                                              {"estate_id", estate_}});
    const int64_t neighbour =
        create("persons", {{"name", "李娜"}, {"category", "registered"}, {"estate_id", estate_}});
    lead_ = create("departments", {{"name", "城管执法中队"}, {"region_id", township_}});
    joint_ = create("departments", {{"name", "市场监管所"}, {"region_id", township_}});

    mediator_ = user("tiaojie", {"mediator"}, township_);
    outsider_ = user("xigang", {"mediator"}, elsewhere);
    grid_ = user("wangge", {"grid_worker"}, village);
    lead_staff_ = user("chengguan", {"department"}, township_, std::nullopt, lead_);
    joint_staff_ = user("shichang", {"department"}, township_, std::nullopt, joint_);
    resident_ = user("zhangwei", {"resident"}, village, person);
    neighbour_ = user("lina", {"resident"}, village, neighbour);
  }

  int64_t create(const std::string& entity, json fields) {
    auto created = records_.create(*domain::findEntity(entity), fields, store::Scope{});
    EXPECT_TRUE(created) << created.status().message();
    return created ? (*created)["id"].get<int64_t>() : 0;
  }

  store::User user(const std::string& name, std::vector<std::string> roles, int64_t region,
                   std::optional<int64_t> person = std::nullopt,
                   std::optional<int64_t> department = std::nullopt) {
    auto created = users_.create({.username = name,
                                  .password = "Correct-Horse-42",
                                  .roles = std::move(roles),
                                  .region_id = region,
                                  .display_name = name,
                                  .person_id = person,
                                  .department_id = department});
    EXPECT_TRUE(created) << created.status().message();
    return *created;
  }

  int64_t report(const store::User& who, const std::string& text,
                 const std::string& category = "environment") {
    auto created = service_.create(
        who,
        {.channel = "portal", .category = category, .description = text, .estate_id = estate_});
    EXPECT_TRUE(created) << created.status().message();
    return created ? created->body["id"].get<int64_t>() : 0;
  }

  json act(const store::User& who, int64_t id, json body) {
    auto acted = service_.act(who, id, body);
    EXPECT_TRUE(acted) << body.dump() << ": " << acted.status().message();
    return acted ? *acted : json();
  }

  Code refused(const store::User& who, int64_t id, json body) {
    auto acted = service_.act(who, id, body);
    EXPECT_FALSE(acted) << body.dump() << " was allowed";
    return acted ? Code::kOk : acted.status().code();
  }

  std::string status(int64_t id) { return service_.get(mediator_, id)->at("status"); }

  // Accepted, triaged to the village and assigned to the lead department with a joint one.
  int64_t assignedCase() {
    int64_t id = report(resident_, "3号楼东侧垃圾堆放一周无人清理，气味很大");
    act(mediator_, id, {{"action", "accept"}});
    act(mediator_, id, {{"action", "triage"}, {"level", "village"}, {"route", "department"}});
    act(mediator_, id, {{"action", "assign"}, {"lead", "城管执法中队"}, {"joint", {joint_}}});
    return id;
  }

  test_support::TempStore store_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 2))};
  store::RecordStore records_{store_.db(), clock_, 480};
  store::UserStore users_{store_.db(), clock_};
  store::BlobStore blobs_{(store_.dir() / "blobs").string()};
  CaseService service_{store_.db(), &blobs_, clock_, CasePolicy{}, 480};
  int64_t township_ = 0, estate_ = 0, lead_ = 0, joint_ = 0;
  store::User mediator_, outsider_, grid_, lead_staff_, joint_staff_, resident_, neighbour_;
};

TEST_F(CaseServiceTest, AResidentsReportGoesThroughTheWholeLoopWithEveryStepInItsHistory) {
  const int64_t id = assignedCase();
  act(lead_staff_, id, {{"action", "start"}});
  act(joint_staff_, id, {{"action", "report"}, {"note", "已派人到场"}});
  clock_.advance(48h);
  act(lead_staff_, id, {{"action", "resolve"}, {"summary", "已清运垃圾并设置分类垃圾桶"}});
  act(mediator_, id, {{"action", "feedback"}, {"message", "您反映的问题已处理"}});
  act(resident_, id, {{"action", "rate"}, {"score", 5}, {"comment", "很及时"}});
  json closed = act(mediator_, id, {{"action", "close"}});

  EXPECT_EQ(closed["status"], "closed");
  EXPECT_EQ(closed["level"], "village");
  EXPECT_EQ(closed["lead"]["name"], "城管执法中队");
  ASSERT_EQ(closed["joint"].size(), 1u);
  EXPECT_FALSE(closed["joint"][0]["reported_at"].is_null());
  EXPECT_EQ(closed["rating"], 5);
  EXPECT_EQ(closed["resolved_on_time"], true);
  EXPECT_EQ(closed["summary"], "已清运垃圾并设置分类垃圾桶");
  ASSERT_EQ(closed["reporters"].size(), 1u);
  EXPECT_EQ(closed["reporters"][0]["name"], "张伟");
  EXPECT_EQ(closed["reporters"][0]["phone"], "13800138000");

  std::vector<std::string> steps;
  for (const auto& h : closed["history"]) steps.push_back(h["action"]);
  EXPECT_EQ(steps, (std::vector<std::string>{"submit", "accept", "triage", "assign", "start",
                                             "report", "resolve", "feedback", "rate", "close"}));
  EXPECT_EQ(closed["history"][5]["actor"], "shichang");
  EXPECT_EQ(closed["history"][5]["note"], "已派人到场");
  EXPECT_EQ(closed["history"][2]["details"]["route"], "department");
  EXPECT_TRUE(closed["allowed_actions"].empty());
}

TEST_F(CaseServiceTest, AnActionTheStatusDoesNotAllowIsAConflictAndChangesNothing) {
  const int64_t id = report(resident_, "楼道灯坏了");
  act(mediator_, id, {{"action", "accept"}});

  EXPECT_EQ(refused(mediator_, id, {{"action", "accept"}}), Code::kConflict);
  EXPECT_EQ(refused(mediator_, id, {{"action", "resolve"}, {"summary", "x"}}), Code::kConflict);
  auto allowed = service_.allowedFor(mediator_, id);
  ASSERT_TRUE(allowed);
  EXPECT_EQ(*allowed, (std::vector<std::string>{"merge", "triage", "escalate"}));
  auto now = service_.get(mediator_, id);
  EXPECT_EQ((*now)["status"], "accepted");
  EXPECT_EQ((*now)["history"].size(), 2u);
}

TEST_F(CaseServiceTest, EachTransitionIsTakenOnlyByTheRolesAllowedIt) {
  const int64_t id = report(resident_, "小区门口占道经营");
  EXPECT_EQ(refused(resident_, id, {{"action", "accept"}}), Code::kForbidden);
  EXPECT_EQ(refused(grid_, id, {{"action", "accept"}}), Code::kForbidden);
  EXPECT_EQ(refused(outsider_, id, {{"action", "accept"}}), Code::kForbidden);
  EXPECT_EQ(status(id), "submitted");

  const int64_t assigned = assignedCase();
  EXPECT_EQ(refused(joint_staff_, assigned, {{"action", "start"}}), Code::kForbidden);
  EXPECT_EQ(refused(resident_, assigned, {{"action", "start"}}), Code::kForbidden);
  EXPECT_EQ(refused(lead_staff_, assigned, {{"action", "report"}}), Code::kForbidden);
  act(lead_staff_, assigned, {{"action", "start"}});
  EXPECT_EQ(refused(joint_staff_, assigned, {{"action", "resolve"}, {"summary", "x"}}),
            Code::kForbidden);
  act(lead_staff_, assigned, {{"action", "resolve"}, {"summary", "已处理"}});
  EXPECT_EQ(refused(neighbour_, assigned, {{"action", "rate"}, {"score", 1}}), Code::kForbidden);

  // A department's staff see only what their department was handed.
  EXPECT_EQ(service_.get(lead_staff_, id).status().code(), Code::kForbidden);
  EXPECT_EQ(service_.get(neighbour_, id).status().code(), Code::kForbidden);
}

TEST_F(CaseServiceTest, EscalationGoesUpALevelToTheCentreAndReturnSendsItBackForTriage) {
  const int64_t id = assignedCase();
  json up =
      act(lead_staff_, id, {{"action", "escalate"}, {"reason", "涉及多个部门，村级无法协调"}});
  EXPECT_EQ(up["status"], "accepted");
  EXPECT_EQ(up["level"], "township");
  EXPECT_EQ(up["escalations"], 1);
  EXPECT_TRUE(up["lead"].is_null());
  EXPECT_TRUE(up["joint"].empty());
  EXPECT_EQ(up["history"].back()["details"]["to_level"], "township");

  act(mediator_, id, {{"action", "triage"}, {"level", "township"}, {"route", "department"}});
  act(mediator_, id, {{"action", "assign"}, {"lead", lead_}});
  json back = act(lead_staff_, id, {{"action", "return"}, {"reason", "不属于本部门职责"}});
  EXPECT_EQ(back["status"], "accepted");
  EXPECT_EQ(back["level"], "township");
  EXPECT_TRUE(back["lead"].is_null());

  act(mediator_, id, {{"action", "escalate"}, {"reason", "需县级协调"}});
  EXPECT_EQ(service_.get(mediator_, id)->at("level"), "county");
  EXPECT_EQ(refused(mediator_, id, {{"action", "escalate"}, {"reason", "再上报"}}),
            Code::kConflict);
}

TEST_F(CaseServiceTest, TheReporterMayReopenAResolvedCaseOnlyWithinTheWindow) {
  const int64_t id = assignedCase();
  act(lead_staff_, id, {{"action", "start"}});
  act(lead_staff_, id, {{"action", "resolve"}, {"summary", "已清理"}});
  act(mediator_, id, {{"action", "feedback"}, {"message", "已处理"}});
  clock_.advance(24h * 3);
  json reopened = act(resident_, id, {{"action", "reopen"}, {"reason", "垃圾又堆起来了"}});
  EXPECT_EQ(reopened["status"], "in_progress");
  EXPECT_EQ(reopened["reopens"], 1);
  EXPECT_TRUE(reopened["resolved_at"].is_null());

  act(lead_staff_, id, {{"action", "resolve"}, {"summary", "已再次清理并安排每日巡查"}});
  clock_.advance(24h * 16);
  EXPECT_EQ(refused(resident_, id, {{"action", "reopen"}, {"reason", "又出现了"}}),
            Code::kConflict);
  EXPECT_EQ(status(id), "resolved");
}

TEST_F(CaseServiceTest, ADuplicateIsShownAtIntakeAndMergingKeepsEveryReporterInformed) {
  const int64_t first = report(resident_, "3号楼东侧垃圾堆放一周无人清理，气味很大");
  auto second = service_.create(neighbour_, {.channel = "portal",
                                             .category = "environment",
                                             .description = "3号楼东侧的垃圾一周没人清理了",
                                             .estate_id = estate_});
  ASSERT_TRUE(second);
  ASSERT_EQ(second->possible_duplicates.size(), 1u);
  EXPECT_EQ(second->possible_duplicates[0]["id"], first);
  // A resident learns the matter is known, not what the other resident wrote.
  EXPECT_FALSE(second->possible_duplicates[0].contains("description"));
  const int64_t dup = second->body["id"];

  auto unrelated = service_.create(neighbour_, {.channel = "portal",
                                                .category = "environment",
                                                .description = "健身器材损坏",
                                                .estate_id = estate_});
  EXPECT_TRUE(unrelated->possible_duplicates.empty());

  json merged = act(mediator_, dup, {{"action", "merge"}, {"into", first}});
  EXPECT_EQ(merged["status"], "merged");
  EXPECT_EQ(merged["merged_into"], first);
  json target = *service_.get(mediator_, first);
  EXPECT_EQ(target["reporters"].size(), 2u);
  EXPECT_EQ(target["merged_cases"], json::array({dup}));

  // The second reporter follows the case their report was folded into.
  auto theirs = service_.list(neighbour_, {.mine = true});
  ASSERT_TRUE(theirs);
  std::vector<int64_t> ids;
  for (const auto& item : theirs->items) ids.push_back(item["id"]);
  EXPECT_NE(std::find(ids.begin(), ids.end(), first), ids.end());
  EXPECT_EQ(service_.get(neighbour_, first)->at("status"), "submitted");
}

TEST_F(CaseServiceTest, SupervisionRemindsOnceWhenAStageIsLateThenEscalatesIt) {
  const int64_t id = assignedCase();  // assigned: to be started within 48 hours
  clock_.advance(47h);
  auto quiet = service_.supervise();
  ASSERT_TRUE(quiet);
  EXPECT_EQ(quiet->reminded, 0);

  clock_.advance(2h);
  auto late = service_.supervise();
  ASSERT_TRUE(late);
  EXPECT_EQ(late->reminded, 1);
  EXPECT_EQ(late->escalated, 0);
  json reminded = *service_.get(mediator_, id);
  EXPECT_TRUE(reminded["overdue"]);
  EXPECT_TRUE(reminded["supervised"]);
  EXPECT_EQ(reminded["history"].back()["action"], "remind");
  EXPECT_EQ(reminded["history"].back()["actor"], "system");
  EXPECT_EQ(reminded["history"].back()["details"]["handler"], "城管执法中队");
  EXPECT_EQ(service_.supervise()->reminded, 0);  // once per stage

  clock_.advance(24h);
  auto escalated = service_.supervise();
  ASSERT_TRUE(escalated);
  EXPECT_EQ(escalated->escalated, 1);
  json up = *service_.get(mediator_, id);
  EXPECT_EQ(up["status"], "accepted");
  EXPECT_EQ(up["level"], "township");
  EXPECT_FALSE(up["overdue"]);
  EXPECT_EQ(up["history"].back()["action"], "escalate");
  EXPECT_EQ(up["history"].back()["details"]["automatic"], true);

  auto overdue = service_.list(mediator_, {.overdue = true});
  ASSERT_TRUE(overdue);
  EXPECT_TRUE(overdue->items.empty());
}

TEST_F(CaseServiceTest, BadActionFieldsNameTheFieldAndLeaveTheCaseAsItWas) {
  const int64_t id = report(resident_, "楼上漏水");
  act(mediator_, id, {{"action", "accept"}});
  auto bad_level = service_.act(mediator_, id,
                                {{"action", "triage"}, {"level", "city"}, {"route", "department"}});
  EXPECT_EQ(bad_level.status().field(), "level");
  auto no_route = service_.act(mediator_, id, {{"action", "triage"}, {"level", "village"}});
  EXPECT_EQ(no_route.status().field(), "route");
  auto unknown = service_.act(mediator_, id, {{"action", "approve"}});
  EXPECT_EQ(unknown.status().field(), "action");
  act(mediator_, id, {{"action", "triage"}, {"level", "village"}, {"route", "department"}});
  auto nobody = service_.act(mediator_, id, {{"action", "assign"}, {"lead", "不存在的部门"}});
  EXPECT_EQ(nobody.status().field(), "lead");
  EXPECT_EQ(status(id), "triaged");

  const int64_t done = assignedCase();
  act(lead_staff_, done, {{"action", "start"}});
  act(lead_staff_, done, {{"action", "resolve"}, {"summary", "已维修"}});
  auto score = service_.act(resident_, done, {{"action", "rate"}, {"score", 6}});
  EXPECT_EQ(score.status().field(), "score");
  EXPECT_EQ(status(done), "resolved");
}

TEST(TextSimilarityTest, TheSameComplaintInOtherWordsScoresAboveAnUnrelatedOne) {
  const double same =
      textSimilarity("3号楼东侧垃圾堆放一周无人清理，气味很大", "3号楼东侧的垃圾一周没人清理了");
  const double other = textSimilarity("3号楼东侧垃圾堆放一周无人清理", "健身器材损坏");
  EXPECT_GT(same, 0.3);
  EXPECT_EQ(other, 0);
  EXPECT_DOUBLE_EQ(textSimilarity("Street LIGHT broken!", "street light broken"), 1.0);
  EXPECT_EQ(textSimilarity("", "anything"), 0);
}

}  // namespace
}  // namespace anju::cases
