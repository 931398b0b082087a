#include "domain/mask.h"

#include <cstddef>
#include <vector>

#include "domain/phone.h"

namespace anju::domain {
namespace {

// Length of the well-formed UTF-8 sequence that starts `text`, or 0 when it is malformed
// (overlong, surrogate, past U+10FFFF or truncated).
std::size_t sequenceLength(std::string_view text) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
  }
  return length;
}

// A character as the reader sees it: one well-formed code point, or one stray byte. A stray byte
// is never copied to the output, which therefore stays valid UTF-8.
struct Unit {
  std::string_view bytes;
  bool well_formed;
};

std::vector<Unit> splitUnits(std::string_view text) {
  std::vector<Unit> units;
  while (!text.empty()) {
    std::size_t length = sequenceLength(text);
    units.push_back({text.substr(0, length == 0 ? 1 : length), length != 0});
    text.remove_prefix(length == 0 ? 1 : length);
  }
  return units;
}

void appendUnit(std::string& out, const Unit& unit) {
  if (unit.well_formed) {
    out += unit.bytes;
  } else {
    out += '*';
  }
}

// Shows `keep_front` and `keep_back` characters around a run of '*' of the hidden length, or
// only '*' when fewer than `min_hidden` characters would be hidden.
std::string maskMiddle(std::string_view text, std::size_t keep_front, std::size_t keep_back,
                       std::size_t min_hidden) {
  std::vector<Unit> units = splitUnits(text);
  if (units.size() < keep_front + keep_back + min_hidden) return std::string(units.size(), '*');
  std::string out;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (i < keep_front || i >= units.size() - keep_back) {
      appendUnit(out, units[i]);
    } else {
      out += '*';
    }
  }
  return out;
}

std::string_view trimAsciiSpace(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  std::size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

}  // namespace

std::string maskIdNumber(std::string_view id_number) {
  return maskMiddle(id_number, 6, 4, 5);
}

std::string maskPhone(std::string_view phone) {
  Result<std::string> normalized = normalizePhone(phone);
  if (!normalized.isOk()) return std::string(splitUnits(phone).size(), '*');
  std::string_view number = *normalized;

  std::size_t area_end = number.find('-');
  if (area_end == std::string_view::npos) return maskMiddle(number, 3, 4, 0);
  std::string_view area = number.substr(0, area_end);
  std::string_view rest = number.substr(area_end + 1);
  std::size_t local_end = rest.find('-');
  std::string_view local = rest.substr(0, local_end);
  std::string out(area);
  out += '-';
  out += maskMiddle(local, 0, 2, 0);
  if (local_end != std::string_view::npos) {
    out += '-';
    out += std::string(rest.size() - local_end - 1, '*');
  }
  return out;
}

std::string maskName(std::string_view name) {
  std::vector<Unit> units = splitUnits(trimAsciiSpace(name));
  std::string out;
  if (units.empty()) return out;
  appendUnit(out, units.front());
  out += std::string(units.size() - 1, '*');
  return out;
}

std::string maskValue(std::string_view value) {
  return maskMiddle(value, 0, 4, 4);
}

}  // namespace anju::domain
