#include "api/login_throttle.h"

#include <algorithm>

namespace anju::api {

namespace {

std::string userSubject(const std::string& username) {
  return "u:" + username;
}
std::string addressSubject(const std::string& address) {
  return "a:" + address;
}

}  // namespace

// The subject waits once its last `max_failures` failures all fall within the window, until the
// first of them leaves it.
Result<int64_t> LoginThrottle::waitFor(store::Connection& c, const std::string& subject,
                                       int max_failures, int64_t now) {
  auto rows = c.query(
      "SELECT COUNT(*), MIN(at) FROM (SELECT at FROM login_failures WHERE subject = ? AND at > ? "
      "ORDER BY at DESC LIMIT ?) recent",
      {subject, now - window_ms_, int64_t{max_failures}});
  if (!rows) return rows.status();
  const auto& row = rows->rows.at(0);
  if (store::asInt(row[0]) < max_failures) return int64_t{0};
  return (store::asInt(row[1]) + window_ms_ - now + 999) / 1000;
}

Result<int64_t> LoginThrottle::retryAfterSeconds(const std::string& username,
                                                 const std::string& address) {
  const int64_t now = clock_.nowMillis();
  int64_t wait = 0;
  ANJU_RETURN_IF_ERROR(db_.read([&](store::Connection& c) -> Status {
    auto user = waitFor(c, userSubject(username), max_user_failures_, now);
    if (!user) return user.status();
    auto from = waitFor(c, addressSubject(address), max_address_failures_, now);
    if (!from) return from.status();
    wait = std::max(*user, *from);
    return {};
  }));
  return wait;
}

Status LoginThrottle::recordFailure(const std::string& username, const std::string& address) {
  const int64_t now = clock_.nowMillis();
  return db_.write([&](store::Connection& c) -> Status {
    // What has left the window counts for nobody; removing it here keeps the table to minutes.
    auto gone = c.execute("DELETE FROM login_failures WHERE at <= ?", {now - window_ms_});
    if (!gone) return gone.status();
    for (const auto& subject : {userSubject(username), addressSubject(address)}) {
      auto added =
          c.execute("INSERT INTO login_failures (subject, at) VALUES (?, ?)", {subject, now});
      if (!added) return added.status();
    }
    return {};
  });
}

Status LoginThrottle::recordSuccess(const std::string& username) {
  return db_.write([&](store::Connection& c) -> Status {
    auto cleared =
        c.execute("DELETE FROM login_failures WHERE subject = ?", {userSubject(username)});
    return cleared ? Status() : cleared.status();
  });
}

}  // namespace anju::api
