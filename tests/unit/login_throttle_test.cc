#include "api/login_throttle.h"

#include <gtest/gtest.h>

#include "temp_store.h"

namespace anju::api {
namespace {

class LoginThrottleTest : public ::testing::Test {
 protected:
  // The seconds to wait, failing the test if the store could not answer.
  int64_t wait(LoginThrottle& throttle, const std::string& username, const std::string& address) {
    auto seconds = throttle.retryAfterSeconds(username, address);
    EXPECT_TRUE(seconds) << seconds.status().message();
    return seconds ? *seconds : -1;
  }
  void fail(LoginThrottle& throttle, const std::string& username, const std::string& address) {
    Status recorded = throttle.recordFailure(username, address);
    EXPECT_TRUE(recorded) << recorded.message();
  }

  test_support::TempStore store_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 23))};
  LoginThrottle throttle_{store_.db(), clock_, 5, 20, std::chrono::minutes(5)};
};

TEST_F(LoginThrottleTest, FiveWrongPasswordsForOneUsernameLockItForTheRestOfTheWindow) {
  for (int i = 0; i < 4; ++i) fail(throttle_, "police01", "10.0.0.1");
  EXPECT_EQ(wait(throttle_, "police01", "10.0.0.1"), 0);
  fail(throttle_, "police01", "10.0.0.1");
  EXPECT_EQ(wait(throttle_, "police01", "10.0.0.2"), 300);
  clock_.advance(std::chrono::seconds(120));
  EXPECT_EQ(wait(throttle_, "police01", "10.0.0.2"), 180);
  EXPECT_EQ(wait(throttle_, "grid01", "10.0.0.2"), 0);
}

TEST_F(LoginThrottleTest, TheLockEndsWhenTheFailuresLeaveTheWindow) {
  for (int i = 0; i < 5; ++i) fail(throttle_, "police01", "10.0.0.1");
  clock_.advance(std::chrono::minutes(5));
  EXPECT_EQ(wait(throttle_, "police01", "10.0.0.1"), 0);
}

TEST_F(LoginThrottleTest, TheWaitFollowsTheLatestFailuresNotTheFirst) {
  for (int i = 0; i < 5; ++i) {
    fail(throttle_, "police01", "10.0.0.1");
    clock_.advance(std::chrono::minutes(1));
  }
  fail(throttle_, "police01", "10.0.0.1");
  // The last five failures came at minutes 1 to 5; the one at minute 1 leaves the window at 6.
  EXPECT_EQ(wait(throttle_, "police01", "10.0.0.1"), 60);
}

TEST_F(LoginThrottleTest, OneAddressGuessingManyUsernamesIsLockedAfterTwenty) {
  for (int i = 0; i < 19; ++i) fail(throttle_, "user" + std::to_string(i), "10.9.9.9");
  EXPECT_EQ(wait(throttle_, "someone", "10.9.9.9"), 0);
  fail(throttle_, "user19", "10.9.9.9");
  EXPECT_GT(wait(throttle_, "someone", "10.9.9.9"), 0);
  EXPECT_EQ(wait(throttle_, "someone", "10.0.0.1"), 0);
}

TEST_F(LoginThrottleTest, ASuccessfulSignInClearsTheUsernamesFailures) {
  for (int i = 0; i < 4; ++i) fail(throttle_, "police01", "10.0.0.1");
  ASSERT_TRUE(throttle_.recordSuccess("police01"));
  fail(throttle_, "police01", "10.0.0.1");
  EXPECT_EQ(wait(throttle_, "police01", "10.0.0.1"), 0);
}

// Behind a load balancer a guesser's attempts are spread over the nodes: each node must count
// the failures made through the others.
TEST_F(LoginThrottleTest, NodesSharingTheDatabaseCountTheSameFailures) {
  auto other_db = store_.openAnother();
  LoginThrottle other{*other_db, clock_, 5, 20, std::chrono::minutes(5)};
  for (int i = 0; i < 3; ++i) fail(throttle_, "police01", "10.0.0.1");
  for (int i = 0; i < 2; ++i) fail(other, "police01", "10.0.0.1");
  EXPECT_EQ(wait(throttle_, "police01", "10.0.0.1"), 300);
  EXPECT_EQ(wait(other, "police01", "10.0.0.1"), 300);
  ASSERT_TRUE(other.recordSuccess("police01"));
  EXPECT_EQ(wait(throttle_, "police01", "10.0.0.1"), 0);
}

TEST_F(LoginThrottleTest, FailuresPastTheWindowAreRemovedAsNewOnesAreRecorded) {
  for (int i = 0; i < 5; ++i) fail(throttle_, "user" + std::to_string(i), "10.9.9.9");
  clock_.advance(std::chrono::minutes(6));
  fail(throttle_, "police01", "10.0.0.1");
  int64_t kept = -1;
  ASSERT_TRUE(store_.db().read([&](store::Connection& c) -> Status {
    auto rows = c.query("SELECT COUNT(*) FROM login_failures");
    if (!rows) return rows.status();
    kept = rows->scalarInt().value_or(-1);
    return {};
  }));
  EXPECT_EQ(kept, 2) << "only the new failure's username and address rows";
}

}  // namespace
}  // namespace anju::api
