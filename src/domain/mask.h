// Masking of personal data for roles without a need to know it (SPEC §2, §8). Each function
// accepts any bytes and never throws. When a value is too short for its rule to leave enough
// hidden, all of it is masked: a malformed value never reveals more than the rule would.
#pragma once

#include <string>
#include <string_view>

namespace anju::domain {

// Keeps the region code and the last 4: "110101199003071234" -> "110101********1234". Values of
// fewer than 15 characters (the old 15-digit numbers are the shortest real ones) are fully masked.
std::string maskIdNumber(std::string_view id_number);

// A mobile keeps its first 3 and last 4 digits: "138****5678"; a landline keeps its area code and
// the last 2 digits of the local number, an extension is masked: "0755-*****67-***". The value is
// normalised first (see normalizePhone); anything that is not a valid phone is fully masked.
std::string maskPhone(std::string_view phone);

// Keeps the first character (the family name, for most Chinese names): "张三" -> "张*",
// "欧阳娜娜" -> "欧***". A one-character name is returned unchanged.
std::string maskName(std::string_view name);

// Keeps the last 4 characters, as for bank and access card numbers: "6222021234567890" ->
// "************7890". Values of fewer than 8 characters are fully masked, so that at least half
// of a value always stays hidden.
std::string maskValue(std::string_view value);

}  // namespace anju::domain
