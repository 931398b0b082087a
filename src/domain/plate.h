// Chinese motor vehicle number plates (机动车号牌, GA 36): what a barrier camera reads or a clerk
// types, checked and reduced to one spelling so the same car always has the same key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace anju::domain {

struct Plate {
  std::string normalized;  // UTF-8, no separators, letters upper-case: "粤BD12345"
  bool new_energy = false;
  // The colour a plate of this form usually has: "blue", "yellow" (coach 学, trailer 挂), "green"
  // (new-energy), "white" (police 警) or "black" (embassy 使, consulate 领, Hong Kong 港, Macao
  // 澳). A camera's reported colour, when present, takes precedence.
  std::string default_color;
};

// Accepts, after removing spaces and the separators '·', '•', '.', '-' and folding full-width
// letters and digits to ASCII upper-case:
//   ordinary      province + letter + 5 serial            京A12345
//   with suffix   province + letter + 4 serial + 挂/学/警/领, or 粤Z + 4 serial + 港/澳
//   new-energy    province + letter + D/F + 5 serial      粤BD12345 (small vehicles)
//                 province + letter + 5 digits + D/F      粤B12345D (large vehicles)
//   embassy       使 + 6 digits                           使123456
// where a serial character is a digit or a letter other than I and O. Military and armed-police
// plates are rejected as unsupported. Errors carry field "plate" and a message in Chinese then
// English.
Result<Plate> parsePlate(std::string_view text);

// The characters of a plate as typed or read, before any check: separators removed, full-width
// and lower-case letters and digits folded to ASCII upper-case. nullopt when not valid UTF-8.
std::optional<std::u32string> plateCharacters(std::string_view text);
// The UTF-8 spelling of plate characters.
std::string plateText(std::u32string_view chars);
// Whether `c` is a province abbreviation that starts an ordinary plate (京, 鄂, 粤, ...).
bool isProvinceCharacter(char32_t c);

}  // namespace anju::domain
