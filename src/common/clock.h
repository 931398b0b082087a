// Time goes through a seam so that tests can move it (token expiry, deadlines, timers).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace anju {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  int64_t nowMillis() const;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_ms_(toMillis(start)) {}
  TimePoint now() const override;
  void advance(std::chrono::milliseconds by) { now_ms_ += by.count(); }

 private:
  static int64_t toMillis(TimePoint t);
  std::atomic<int64_t> now_ms_;
};

// Milliseconds since the epoch <-> ISO 8601 with an explicit offset
// ("2026-11-22T08:15:02.120+08:00"). China keeps one zone without daylight saving, so a fixed
// offset in minutes is exact for it.
std::string formatTimestamp(int64_t epoch_ms, int utc_offset_minutes);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" and a bare "YYYY-MM-DD" (midnight at the offset).
std::optional<int64_t> parseTimestamp(std::string_view text, int default_offset_minutes);
// "YYYY-MM-DD" when it is a real calendar date.
bool isValidDate(std::string_view text);
// "+08:00" -> 480.
std::optional<int> parseUtcOffset(std::string_view text);

}  // namespace anju
