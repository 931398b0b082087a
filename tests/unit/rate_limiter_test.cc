#include "api/rate_limiter.h"

#include <gtest/gtest.h>

namespace anju::api {
namespace {

using namespace std::chrono_literals;

class RateLimiterTest : public ::testing::Test {
 protected:
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 12 / 1))};
  RateLimiter limiter_{clock_, 10, std::chrono::minutes(1)};
};

TEST_F(RateLimiterTest, TenAtOnceThenTheNextWaitsForItsToken) {
  for (int i = 0; i < 10; ++i) EXPECT_EQ(limiter_.take("u1"), 0) << "open " << i;
  EXPECT_EQ(limiter_.take("u1"), 6);
  clock_.advance(4s);
  EXPECT_EQ(limiter_.take("u1"), 2);
  clock_.advance(2s);
  EXPECT_EQ(limiter_.take("u1"), 0);
  EXPECT_EQ(limiter_.take("u1"), 6);
}

TEST_F(RateLimiterTest, ASteadyTenAMinuteIsNeverRefused) {
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(limiter_.take("u1"), 0) << "open " << i;
    clock_.advance(6s);
  }
}

TEST_F(RateLimiterTest, EachKeyHasItsOwnAllowance) {
  for (int i = 0; i < 10; ++i) limiter_.take("u1");
  EXPECT_GT(limiter_.take("u1"), 0);
  EXPECT_EQ(limiter_.take("u2"), 0);
}

TEST_F(RateLimiterTest, ARefusedAttemptTakesNothing) {
  for (int i = 0; i < 10; ++i) limiter_.take("u1");
  for (int i = 0; i < 50; ++i) limiter_.take("u1");
  clock_.advance(6s);
  EXPECT_EQ(limiter_.take("u1"), 0);
}

TEST_F(RateLimiterTest, AnIdleKeyIsFullAgainAfterAMinute) {
  for (int i = 0; i < 10; ++i) limiter_.take("u1");
  clock_.advance(1min);
  // Pruned as full, or refilled: either way ten again.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(limiter_.take("u1"), 0) << "open " << i;
  EXPECT_GT(limiter_.take("u1"), 0);
}

}  // namespace
}  // namespace anju::api
