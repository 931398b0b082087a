#include "api/rate_limiter.h"

#include <algorithm>

namespace anju::api {

RateLimiter::RateLimiter(const Clock& clock, int burst, std::chrono::milliseconds period)
    : clock_(clock),
      ms_per_token_(std::max<int64_t>(1, period.count() / std::max(1, burst))),
      full_ms_(ms_per_token_ * std::max(1, burst)) {}

int64_t RateLimiter::take(const std::string& key) {
  const int64_t now = clock_.nowMillis();
  std::lock_guard lock(mutex_);
  prune(now);
  // A new key starts full.
  Bucket& b = buckets_.try_emplace(key, Bucket{.credit_ms = full_ms_, .at_ms = now}).first->second;
  b.credit_ms = std::min(full_ms_, b.credit_ms + std::max<int64_t>(0, now - b.at_ms));
  b.at_ms = now;
  if (b.credit_ms >= ms_per_token_) {
    b.credit_ms -= ms_per_token_;
    return 0;
  }
  const int64_t wait_ms = ms_per_token_ - b.credit_ms;
  return (wait_ms + 999) / 1000;
}

void RateLimiter::prune(int64_t now_ms) {
  if (now_ms - pruned_at_ms_ < full_ms_) return;
  pruned_at_ms_ = now_ms;
  std::erase_if(buckets_, [&](const auto& entry) {
    const Bucket& b = entry.second;
    return b.credit_ms + (now_ms - b.at_ms) >= full_ms_;
  });
}

}  // namespace anju::api
