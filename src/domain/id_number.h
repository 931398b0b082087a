// Resident identity card numbers (居民身份证号码, GB 11643-1999): the 18-character form issued
// since 1999, which also serves the residence permits of Hong Kong, Macao and Taiwan residents.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"

namespace anju::domain {

struct IdNumber {
  std::string normalized;   // 18 ASCII characters, the check character upper-case
  std::string region_code;  // the 6-digit administrative division code where it was issued
  std::chrono::year_month_day birth_date;
  bool male = false;  // the 17th digit is odd for men and even for women
};

// Parses what a person or a clerk typed: surrounding spaces, a lower-case 'x' and full-width
// digits or 'Ｘ' (as produced by Chinese input methods) are accepted and normalised. Rejects, with
// field "id_number" and a message in Chinese then English, a wrong length, a non-digit, an
// unknown province, a birth date that is not a real day between 1900-01-01 and `today`, and a
// check character that does not match.
Result<IdNumber> parseIdNumber(std::string_view text, std::chrono::year_month_day today);

// As above, with today's date in China Standard Time (UTC+8) from the system clock.
Result<IdNumber> parseIdNumber(std::string_view text);

// The check character ('0'-'9' or 'X') for the first 17 digits. Returns '\0' when `first17` is
// not exactly 17 ASCII digits, so a caller building numbers cannot mistake bad input for a digit.
char idNumberCheckChar(std::string_view first17);

}  // namespace anju::domain
