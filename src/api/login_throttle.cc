#include "api/login_throttle.h"

#include <algorithm>

namespace anju::api {

namespace {

std::string userKey(const std::string& username) {
  return "u:" + username;
}
std::string addressKey(const std::string& address) {
  return "a:" + address;
}

}  // namespace

int64_t LoginThrottle::waitFor(const std::string& key, int max_failures, int64_t now) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  auto& times = it->second;
  while (!times.empty() && now - times.front() >= window_ms_) times.pop_front();
  if (times.empty()) {
    failures_.erase(it);
    return 0;
  }
  if (static_cast<int>(times.size()) < max_failures) return 0;
  return (times.front() + window_ms_ - now + 999) / 1000;
}

int64_t LoginThrottle::retryAfterSeconds(const std::string& username, const std::string& address) {
  std::lock_guard lock(mutex_);
  int64_t now = clock_.nowMillis();
  return std::max(waitFor(userKey(username), max_user_failures_, now),
                  waitFor(addressKey(address), max_address_failures_, now));
}

void LoginThrottle::recordFailure(const std::string& username, const std::string& address) {
  std::lock_guard lock(mutex_);
  int64_t now = clock_.nowMillis();
  // Bounded memory under a flood of made-up usernames: forget everything past a size, which at
  // worst lets a guesser start a fresh window.
  if (failures_.size() > 100000) failures_.clear();
  add(userKey(username), max_user_failures_, now);
  add(addressKey(address), max_address_failures_, now);
}

void LoginThrottle::add(const std::string& key, int max_failures, int64_t now) {
  auto& times = failures_[key];
  times.push_back(now);
  while (static_cast<int>(times.size()) > max_failures) times.pop_front();
}

void LoginThrottle::recordSuccess(const std::string& username) {
  std::lock_guard lock(mutex_);
  failures_.erase(userKey(username));
}

}  // namespace anju::api
