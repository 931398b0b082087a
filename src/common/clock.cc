#include "common/clock.h"

#include <charconv>
#include <cstdio>

namespace anju {

namespace {

bool readInt(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  std::from_chars(text.data() + pos, text.data() + pos + len, out);
  return true;
}

bool isRealDate(int y, int m, int d) {
  if (y < 1900 || y > 2999) return false;
  return std::chrono::year_month_day{std::chrono::year{y},
                                     std::chrono::month{static_cast<unsigned>(m)},
                                     std::chrono::day{static_cast<unsigned>(d)}}
      .ok();
}

int64_t daysFromCivil(int y, int m, int d) {
  return std::chrono::sys_days{std::chrono::year{y} / m / d}.time_since_epoch().count();
}

}  // namespace

int64_t Clock::nowMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
}

TimePoint FakeClock::now() const {
  return TimePoint(std::chrono::milliseconds(now_ms_.load()));
}

int64_t FakeClock::toMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string formatTimestamp(int64_t epoch_ms, int utc_offset_minutes) {
  int64_t local_ms = epoch_ms + int64_t{utc_offset_minutes} * 60'000;
  int64_t days = local_ms >= 0 ? local_ms / 86'400'000 : (local_ms - 86'399'999) / 86'400'000;
  int64_t ms_of_day = local_ms - days * 86'400'000;
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  int hh = static_cast<int>(ms_of_day / 3'600'000);
  int mm = static_cast<int>(ms_of_day / 60'000 % 60);
  int ss = static_cast<int>(ms_of_day / 1000 % 60);
  int ms = static_cast<int>(ms_of_day % 1000);
  int off = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d%c%02d:%02d",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), hh, mm, ss, ms,
                utc_offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::optional<int> parseUtcOffset(std::string_view text) {
  if (text == "Z") return 0;
  int h = 0, m = 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':' ||
      !readInt(text, 1, 2, h) || !readInt(text, 4, 2, m) || h > 14 || m > 59) {
    return std::nullopt;
  }
  int total = h * 60 + m;
  return text[0] == '-' ? -total : total;
}

bool isValidDate(std::string_view text) {
  int y = 0, m = 0, d = 0;
  return text.size() == 10 && text[4] == '-' && text[7] == '-' && readInt(text, 0, 4, y) &&
         readInt(text, 5, 2, m) && readInt(text, 8, 2, d) && isRealDate(y, m, d);
}

std::optional<int64_t> parseTimestamp(std::string_view text, int default_offset_minutes) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (!isValidDate(text.substr(0, 10))) return std::nullopt;
  readInt(text, 0, 4, y);
  readInt(text, 5, 2, mo);
  readInt(text, 8, 2, d);
  int offset = default_offset_minutes;
  if (text.size() > 10) {
    if ((text[10] != 'T' && text[10] != ' ') || !readInt(text, 11, 2, h) || text.size() < 19 ||
        text[13] != ':' || !readInt(text, 14, 2, mi) || text[16] != ':' ||
        !readInt(text, 17, 2, s) || h > 23 || mi > 59 || s > 60) {
      return std::nullopt;
    }
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
      std::size_t start = ++pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      std::size_t digits = pos - start;
      if (digits == 0 || digits > 9) return std::nullopt;
      int frac = 0;
      readInt(text, start, digits < 3 ? digits : 3, frac);
      for (std::size_t k = digits; k < 3; ++k) frac *= 10;
      ms = frac;
    }
    if (pos < text.size()) {
      auto parsed = parseUtcOffset(text.substr(pos));
      if (!parsed) return std::nullopt;
      offset = *parsed;
    }
  }
  int64_t local_ms =
      ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60'000 + int64_t{s} * 1000 + ms;
  return local_ms - int64_t{offset} * 60'000;
}

}  // namespace anju
