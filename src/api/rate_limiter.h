// A token bucket per key (a user): `burst` actions at once, then one more every
// `period / burst`, so that a steady `burst` per `period` is always allowed and a script trying
// door after door is slowed to that pace.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"

namespace anju::api {

class RateLimiter {
 public:
  RateLimiter(const Clock& clock, int burst, std::chrono::milliseconds period);

  // Takes one token for `key`: 0 when the action may go ahead, else the whole seconds (at least 1)
  // until a token is back, for Retry-After. A refused attempt takes nothing.
  int64_t take(const std::string& key);

 private:
  // Tokens are counted in milliseconds of refill, so that the arithmetic is exact: a token is
  // `ms_per_token_` of credit, a full bucket `burst_ * ms_per_token_`.
  struct Bucket {
    int64_t credit_ms = 0;
    int64_t at_ms = 0;  // when `credit_ms` was counted
  };
  // Drops the buckets that have filled up again: they are the same as no bucket at all.
  void prune(int64_t now_ms);

  const Clock& clock_;
  int64_t ms_per_token_;
  int64_t full_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // GUARDED_BY(mutex_)
  int64_t pruned_at_ms_ = 0;                         // GUARDED_BY(mutex_)
};

}  // namespace anju::api
