// Phone numbers of people in the registry: mainland mobiles and landlines, reduced to one
// spelling so that a number typed in any of the usual ways is stored and matched the same way.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace anju::domain {

// Accepts a mobile (1[3-9] and 9 more digits) with an optional +86, 86 or 0086 prefix, or a
// landline with its area code (010 and 02x take 8-digit local numbers, 0xxx take 7 or 8) and an
// optional extension after a separator ("-", a space or 转). Spaces, dashes, parentheses and
// full-width digits are allowed anywhere. Returns the mobile as 11 digits ("13812345678") or the
// landline as "0755-1234567", followed by "-123" when an extension was given. Service numbers
// (110, 120, 12345, 95555 ...) and numbers without an area code are rejected with field "phone".
Result<std::string> normalizePhone(std::string_view text);

}  // namespace anju::domain
