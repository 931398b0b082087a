// Slows password guessing: after too many failed sign-ins for one username or from one address
// within a window, further attempts are refused until the window has passed. The failures are
// kept in the database (login_failures), so that nodes sharing one database count them together
// and a guesser gains nothing by spreading attempts over the nodes behind a load balancer.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/clock.h"
#include "store/database.h"

namespace anju::api {

class LoginThrottle {
 public:
  // An address gets more attempts than a username: many people of one office may sign in from
  // one address.
  LoginThrottle(store::Database& db, const Clock& clock, int max_user_failures = 5,
                int max_address_failures = 20,
                std::chrono::seconds window = std::chrono::minutes(5))
      : db_(db),
        clock_(clock),
        max_user_failures_(max_user_failures),
        max_address_failures_(max_address_failures),
        window_ms_(window.count() * 1000) {}

  // Seconds the caller must wait before trying again; 0 when an attempt may be made.
  Result<int64_t> retryAfterSeconds(const std::string& username, const std::string& address);
  Status recordFailure(const std::string& username, const std::string& address);
  // A successful sign-in clears the username's failures (not the address's: one office may share
  // an address with someone guessing).
  Status recordSuccess(const std::string& username);

 private:
  Result<int64_t> waitFor(store::Connection& c, const std::string& subject, int max_failures,
                          int64_t now);

  store::Database& db_;
  const Clock& clock_;
  int max_user_failures_;
  int max_address_failures_;
  int64_t window_ms_;
};

}  // namespace anju::api
