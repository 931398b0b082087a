#include "api/login_throttle.h"

#include <gtest/gtest.h>

namespace anju::api {
namespace {

class LoginThrottleTest : public ::testing::Test {
 protected:
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 23))};
  LoginThrottle throttle_{clock_, 5, 20, std::chrono::minutes(5)};
};

TEST_F(LoginThrottleTest, FiveWrongPasswordsForOneUsernameLockItForTheRestOfTheWindow) {
  for (int i = 0; i < 4; ++i) throttle_.recordFailure("police01", "10.0.0.1");
  EXPECT_EQ(throttle_.retryAfterSeconds("police01", "10.0.0.1"), 0);
  throttle_.recordFailure("police01", "10.0.0.1");
  EXPECT_EQ(throttle_.retryAfterSeconds("police01", "10.0.0.2"), 300);
  clock_.advance(std::chrono::seconds(120));
  EXPECT_EQ(throttle_.retryAfterSeconds("police01", "10.0.0.2"), 180);
  EXPECT_EQ(throttle_.retryAfterSeconds("grid01", "10.0.0.2"), 0);
}

TEST_F(LoginThrottleTest, TheLockEndsWhenTheFailuresLeaveTheWindow) {
  for (int i = 0; i < 5; ++i) throttle_.recordFailure("police01", "10.0.0.1");
  clock_.advance(std::chrono::minutes(5));
  EXPECT_EQ(throttle_.retryAfterSeconds("police01", "10.0.0.1"), 0);
}

TEST_F(LoginThrottleTest, OneAddressGuessingManyUsernamesIsLockedAfterTwenty) {
  for (int i = 0; i < 19; ++i) throttle_.recordFailure("user" + std::to_string(i), "10.9.9.9");
  EXPECT_EQ(throttle_.retryAfterSeconds("someone", "10.9.9.9"), 0);
  throttle_.recordFailure("user19", "10.9.9.9");
  EXPECT_GT(throttle_.retryAfterSeconds("someone", "10.9.9.9"), 0);
  EXPECT_EQ(throttle_.retryAfterSeconds("someone", "10.0.0.1"), 0);
}

TEST_F(LoginThrottleTest, ASuccessfulSignInClearsTheUsernamesFailures) {
  for (int i = 0; i < 4; ++i) throttle_.recordFailure("police01", "10.0.0.1");
  throttle_.recordSuccess("police01");
  throttle_.recordFailure("police01", "10.0.0.1");
  EXPECT_EQ(throttle_.retryAfterSeconds("police01", "10.0.0.1"), 0);
}

}  // namespace
}  // namespace anju::api
