#include "api/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace anju::api {

RateLimiter::RateLimiter(const Clock& clock, int burst, std::chrono::milliseconds period)
    : clock_(clock),
      burst_(std::max(1, burst)),
      ms_per_token_(static_cast<double>(period.count()) / std::max(1, burst)) {}

int64_t RateLimiter::take(const std::string& key) {
  const int64_t now = clock_.nowMillis();
  std::lock_guard lock(mutex_);
  prune(now);
  auto [it, added] = buckets_.try_emplace(key, Bucket{.tokens = burst_, .at_ms = now});
  Bucket& b = it->second;
  if (!added) {
    const double refilled = static_cast<double>(now - b.at_ms) / ms_per_token_;
    b.tokens = std::min(burst_, b.tokens + std::max(0.0, refilled));
    b.at_ms = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  const double wait_ms = (1 - b.tokens) * ms_per_token_;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_ms / 1000)));
}

void RateLimiter::prune(int64_t now_ms) {
  const double full_after_ms = burst_ * ms_per_token_;
  if (now_ms - pruned_at_ms_ < full_after_ms) return;
  pruned_at_ms_ = now_ms;
  std::erase_if(buckets_, [&](const auto& entry) {
    const Bucket& b = entry.second;
    return b.tokens + static_cast<double>(now_ms - b.at_ms) / ms_per_token_ >= burst_;
  });
}

}  // namespace anju::api
