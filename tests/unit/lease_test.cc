// Leases in the database: of several nodes asking for one, one holds it; it passes to another only
// once its holder stops renewing it and its term ends, or at once when released; and a holder whose
// renewals stall stops counting itself the holder before anyone else may take it.
#include "store/lease.h"

#include <gtest/gtest.h>

#include "temp_store.h"

namespace anju::store {
namespace {

using namespace std::chrono_literals;

class LeaseTest : public ::testing::Test {
 protected:
  Lease node(const std::string& holder) {
    return Lease(store_.db(), clock_, "timers", holder, 15s);
  }
  // Whether asking made (or kept) `lease` this node's; a failed write fails the test.
  static bool renewed(Lease& lease) {
    auto held = lease.renew();
    EXPECT_TRUE(held) << held.status().message();
    return held && *held;
  }

  test_support::TempStore store_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 12 / 2))};
};

TEST_F(LeaseTest, OneNodeHoldsItAndKeepsItWhileItRenews) {
  Lease a = node("a"), b = node("b");
  ASSERT_TRUE(renewed(a));
  EXPECT_FALSE(renewed(b));
  EXPECT_TRUE(a.held());
  EXPECT_FALSE(b.held());
  for (int i = 0; i < 10; ++i) {
    clock_.advance(5s);
    EXPECT_TRUE(renewed(a));
    EXPECT_FALSE(renewed(b));
  }
  EXPECT_TRUE(a.held());
}

TEST_F(LeaseTest, AnotherNodeTakesItOnlyOnceItsTermHasRunOut) {
  Lease a = node("a"), b = node("b");
  ASSERT_TRUE(renewed(a));
  clock_.advance(14s);
  EXPECT_FALSE(renewed(b));
  clock_.advance(2s);
  EXPECT_TRUE(renewed(b));
  EXPECT_TRUE(b.held());
  // The old holder, back from a stall, finds it gone.
  EXPECT_FALSE(renewed(a));
  EXPECT_FALSE(a.held());
}

TEST_F(LeaseTest, AHolderThatCannotRenewStopsBeforeAnotherMayTakeOver) {
  Lease a = node("a");
  ASSERT_TRUE(renewed(a));
  clock_.advance(7s);
  EXPECT_TRUE(a.held());
  clock_.advance(1s);
  EXPECT_FALSE(a.held());  // half the term without renewal; the lease itself runs 7 s more
}

TEST_F(LeaseTest, AReleasedLeaseIsTakenAtOnce) {
  Lease a = node("a"), b = node("b");
  ASSERT_TRUE(renewed(a));
  ASSERT_TRUE(a.release());
  EXPECT_FALSE(a.held());
  EXPECT_TRUE(renewed(b));
  // Releasing what another holds changes nothing.
  ASSERT_TRUE(a.release());
  EXPECT_FALSE(renewed(a));
}

TEST_F(LeaseTest, EachProcessHasANameOfItsOwn) {
  EXPECT_NE(nodeName(), nodeName());
  EXPECT_NE(nodeName().find(":" + std::to_string(getpid()) + ":"), std::string::npos);
}

}  // namespace
}  // namespace anju::store
