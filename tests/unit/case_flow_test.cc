// The case loop's table: each action from the statuses that allow it, and each action by exactly
// the callers allowed it — checked for every action against every kind of caller.
#include "cases/case_flow.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace anju::cases {
namespace {

struct Caller {
  const char* name;
  Actor actor;
};

const std::vector<Caller>& callers() {
  static const std::vector<Caller> kCallers = {
      {"mediator", {.roles = {"mediator"}}},
      {"admin", {.roles = {"admin"}}},
      {"lead department", {.roles = {"department"}, .in_lead_department = true}},
      {"joint department", {.roles = {"department"}, .in_joint_department = true}},
      {"other department", {.roles = {"department"}}},
      {"grid worker", {.roles = {"grid_worker"}}},
      {"police", {.roles = {"police"}}},
      {"security", {.roles = {"security"}}},
      {"reporter", {.roles = {"resident"}, .is_reporter = true}},
      {"other resident", {.roles = {"resident"}}},
  };
  return kCallers;
}

TEST(CaseFlowTest, EveryActionIsTakenByExactlyTheCallersAllowedIt) {
  const std::set<std::string> centre = {"mediator", "admin"};
  const std::set<std::string> handlers = {"mediator", "admin", "lead department"};
  const std::map<std::string, std::set<std::string>> expected = {
      {"accept", centre},
      {"triage", centre},
      {"assign", centre},
      {"feedback", centre},
      {"close", centre},
      {"merge", centre},
      {"start", handlers},
      {"resolve", handlers},
      {"escalate", handlers},
      {"return", handlers},
      {"report", {"joint department"}},
      {"rate", {"mediator", "admin", "reporter"}},
      {"reopen", {"mediator", "admin", "reporter"}}};
  ASSERT_EQ(expected.size(), actionNames().size());
  for (const auto& action : actionNames()) {
    std::set<std::string> allowed;
    for (const auto& c : callers()) {
      if (mayAct(c.actor, action)) allowed.insert(c.name);
    }
    EXPECT_EQ(allowed, expected.at(action)) << action;
  }
}

TEST(CaseFlowTest, TheLoopRunsFromSubmittedToClosedAndNothingLeavesClosedOrMerged) {
  std::string status = "submitted";
  for (const char* action :
       {"accept", "triage", "assign", "start", "resolve", "feedback", "rate", "close"}) {
    auto next = nextStatus(status, action);
    ASSERT_TRUE(next) << action << " from " << status;
    status = *next;
  }
  EXPECT_EQ(status, "closed");
  for (const auto& action : actionNames()) {
    EXPECT_FALSE(nextStatus("closed", action)) << action;
    EXPECT_FALSE(nextStatus("merged", action)) << action;
  }
}

TEST(CaseFlowTest, EscalationAndReturnAreOpenAtEveryOpenStageOnly) {
  for (const auto& status : statusNames()) {
    EXPECT_EQ(nextStatus(status, "escalate").has_value(), isOpenStage(status)) << status;
  }
  EXPECT_EQ(nextStatus("assigned", "return"), "accepted");
  EXPECT_EQ(nextStatus("resolved", "return"), "in_progress");
  EXPECT_FALSE(nextStatus("submitted", "return"));
  EXPECT_EQ(levelAbove(""), "township");
  EXPECT_EQ(levelAbove("village"), "township");
  EXPECT_EQ(levelAbove("township"), "county");
  EXPECT_FALSE(levelAbove("county"));
}

TEST(CaseFlowTest, AllowedActionsListWhatTheCallerMayDoFromTheStatusInLoopOrder) {
  const Actor mediator{.roles = {"mediator"}};
  const Actor reporter{.roles = {"resident"}, .is_reporter = true};
  EXPECT_EQ(allowedActions("submitted", mediator), (std::vector<std::string>{"accept", "merge"}));
  EXPECT_EQ(allowedActions("resolved", reporter), (std::vector<std::string>{"rate", "reopen"}));
  EXPECT_TRUE(allowedActions("submitted", reporter).empty());
}

}  // namespace
}  // namespace anju::cases
