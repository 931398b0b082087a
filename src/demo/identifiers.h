// Identifiers in the formats Chinese offices really see, each valid by its own rule: ID numbers
// (GB 11643), mobile numbers, licence plates (GA 36), unified social credit codes (GB 32100),
// access-card numbers, and readable passwords for the demo logins. None of these checks
// uniqueness; the generator keeps the sets of numbers it has handed out.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "demo/rng.h"

namespace anju::demo {

// 6-digit division code, birth date, 3-digit sequence whose last digit is odd for men and even for
// women, and the check character.
std::string makeIdNumber(Rng& rng, std::string_view division_code,
                         std::chrono::year_month_day birth, bool male);

// An 11-digit mobile number under a prefix the three operators really issue.
std::string makeMobile(Rng& rng);

// `prefix` is the province character and city letter ("冀C"). Ordinary plates add five letters or
// digits (never I or O, at most two letters); new-energy plates add D or F and five digits.
std::string makePlate(Rng& rng, std::string_view prefix, bool new_energy);

// 18 characters: 92 (individual business) or 91 (company), the division code, a 9-character
// organisation code and the GB 32100 check character.
std::string makeCreditCode(Rng& rng, std::string_view division_code, bool individual);

// The 32-bit chip UID of a Mifare access card as the 10 decimal digits printed on it.
std::string makeCardNumber(Rng& rng);

// Three pronounceable words and two digits ("tavo-mire-suna-48"): easy to read aloud in a demo,
// about 43 bits of entropy.
std::string makePassword(Rng& rng);

}  // namespace anju::demo
