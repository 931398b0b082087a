#include "grid/hazard_flow.h"

#include <gtest/gtest.h>

namespace anju::grid {
namespace {

using Actions = std::vector<std::string>;

TEST(HazardFlow, AHazardGoesFromReportedThroughAssignedAndRectifiedToVerified) {
  EXPECT_EQ(nextHazardStatus("reported", "assign", false), "assigned");
  EXPECT_EQ(nextHazardStatus("assigned", "rectify", false), "rectified");
  EXPECT_EQ(nextHazardStatus("rectified", "verify", true), "verified");
}

TEST(HazardFlow, AFailedVerificationSendsTheHazardBackToAssigned) {
  EXPECT_EQ(nextHazardStatus("rectified", "verify", false), "assigned");
}

TEST(HazardFlow, EachStatusAllowsOnlyTheNextStep) {
  EXPECT_EQ(allowedHazardActions("reported"), Actions{"assign"});
  EXPECT_EQ(allowedHazardActions("assigned"), Actions{"rectify"});
  EXPECT_EQ(allowedHazardActions("rectified"), Actions{"verify"});
  EXPECT_EQ(nextHazardStatus("reported", "verify", true), std::nullopt);
  EXPECT_EQ(nextHazardStatus("assigned", "assign", false), std::nullopt);
}

TEST(HazardFlow, AVerifiedHazardTakesNoFurtherStep) {
  EXPECT_TRUE(allowedHazardActions("verified").empty());
  for (const char* action : {"assign", "rectify", "verify"})
    EXPECT_EQ(nextHazardStatus("verified", action, true), std::nullopt) << action;
}

TEST(HazardFlow, OnlyTheLoopsThreeActionsAreKnown) {
  for (const char* action : {"assign", "rectify", "verify"}) EXPECT_TRUE(isHazardAction(action));
  for (const char* action : {"close", "", "Assign", "report"}) EXPECT_FALSE(isHazardAction(action));
}

TEST(HazardFlow, OnlyReportedAndAssignedHazardsAreOpen) {
  EXPECT_TRUE(isOpenHazardStatus("reported"));
  EXPECT_TRUE(isOpenHazardStatus("assigned"));
  EXPECT_FALSE(isOpenHazardStatus("rectified"));
  EXPECT_FALSE(isOpenHazardStatus("verified"));
}

}  // namespace
}  // namespace anju::grid
