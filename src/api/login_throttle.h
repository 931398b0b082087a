// Slows password guessing: after too many failed sign-ins for one username or from one address
// within a window, further attempts are refused until the window has passed.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"

namespace anju::api {

class LoginThrottle {
 public:
  // An address gets more attempts than a username: many people of one office may sign in from
  // one address.
  explicit LoginThrottle(const Clock& clock, int max_user_failures = 5,
                         int max_address_failures = 20,
                         std::chrono::seconds window = std::chrono::minutes(5))
      : clock_(clock),
        max_user_failures_(max_user_failures),
        max_address_failures_(max_address_failures),
        window_ms_(window.count() * 1000) {}

  // Seconds the caller must wait before trying again; 0 when an attempt may be made.
  int64_t retryAfterSeconds(const std::string& username, const std::string& address);
  void recordFailure(const std::string& username, const std::string& address);
  // A successful sign-in clears the username's failures (not the address's: one office may share
  // an address with someone guessing).
  void recordSuccess(const std::string& username);

 private:
  int64_t waitFor(const std::string& key, int max_failures, int64_t now);
  void add(const std::string& key, int max_failures, int64_t now);

  const Clock& clock_;
  int max_user_failures_;
  int max_address_failures_;
  int64_t window_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<int64_t>> failures_;  // GUARDED_BY(mutex_)
};

}  // namespace anju::api
