#include "domain/plate.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>

namespace anju::domain {
namespace {

constexpr std::u32string_view kProvinces =
    U"京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

Status invalid(std::string message) {
  return Status::invalid("plate", std::move(message));
}

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

std::optional<std::u32string> decodeUtf8(std::string_view text) {
  std::u32string out;
  while (!text.empty()) {
    std::size_t length = sequenceLength(text);
    if (length == 0) return std::nullopt;
    constexpr unsigned char kLeadBits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    char32_t c = static_cast<unsigned char>(text[0]) & kLeadBits[length];
    for (std::size_t i = 1; i < length; ++i) {
      c = (c << 6) | (static_cast<unsigned char>(text[i]) & 0x3F);
    }
    out.push_back(c);
    text.remove_prefix(length);
  }
  return out;
}

void appendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// Plates are printed with a dot after the issuing letter, and people type it as whichever dot or
// dash their keyboard offers, in half or full width.
bool isSeparator(char32_t c) {
  constexpr std::u32string_view kSeparators =
      U" \t\r\n.-\u00B7\u2022\u2027\u30FB\u3000\uFF0D\uFF0E\uFF65";
  return kSeparators.find(c) != std::u32string_view::npos;
}

char32_t foldToAsciiUpper(char32_t c) {
  bool full_width_digit = c >= U'\uFF10' && c <= U'\uFF19';
  bool full_width_upper = c >= U'\uFF21' && c <= U'\uFF3A';
  bool full_width_lower = c >= U'\uFF41' && c <= U'\uFF5A';
  if (full_width_digit || full_width_upper || full_width_lower) c -= 0xFF00 - 0x20;
  if (c >= U'a' && c <= U'z') c -= U'a' - U'A';
  return c;
}

bool isDigit(char32_t c) {
  return c >= U'0' && c <= U'9';
}
bool isLetter(char32_t c) {
  return c >= U'A' && c <= U'Z';
}
bool isSerialChar(char32_t c) {
  return isDigit(c) || (isLetter(c) && c != U'I' && c != U'O');
}

bool allOf(std::u32string_view chars, bool (*predicate)(char32_t)) {
  return std::all_of(chars.begin(), chars.end(), predicate);
}

// Distinguishes the two most likely mistakes in a serial: I and O, which plates never use because
// they read as 1 and 0, and anything that is not a letter or digit at all.
Status checkSerial(std::u32string_view serial) {
  if (allOf(serial, isSerialChar)) return Status::ok();
  if (serial.find_first_of(U"IO") != std::u32string_view::npos) {
    return invalid("号牌序号不得使用字母I或O (letters I and O are not used on plates)");
  }
  return invalid("号牌序号只能由字母和数字组成 (the serial may only contain letters and digits)");
}

Result<Plate> makePlate(std::u32string_view chars, bool new_energy, std::string color) {
  Plate plate;
  for (char32_t c : chars) appendUtf8(plate.normalized, c);
  plate.new_energy = new_energy;
  plate.default_color = std::move(color);
  return plate;
}

Result<Plate> parseEmbassyPlate(std::u32string_view chars) {
  if (chars.size() != 7 || !allOf(chars.substr(1), isDigit)) {
    return invalid("使馆号牌格式不正确 (embassy plates are 使 followed by 6 digits)");
  }
  return makePlate(chars, false, "black");
}

Result<Plate> parseSuffixPlate(std::u32string_view chars) {
  char32_t suffix = chars.back();
  if ((suffix == U'港' || suffix == U'澳') && chars.substr(0, 2) != U"粤Z") {
    return invalid("港澳号牌格式不正确 (Hong Kong and Macao plates begin with 粤Z)");
  }
  Status serial = checkSerial(chars.substr(2, 4));
  if (!serial.isOk()) return serial;
  std::string color = "black";
  if (suffix == U'挂' || suffix == U'学') color = "yellow";
  if (suffix == U'警') color = "white";
  return makePlate(chars, false, std::move(color));
}

Result<Plate> parseNewEnergyPlate(std::u32string_view chars) {
  std::u32string_view serial = chars.substr(2);
  Status serial_status = checkSerial(serial);
  if (!serial_status.isOk()) return serial_status;
  auto is_energy_type = [](char32_t c) { return c == U'D' || c == U'F'; };
  bool small_vehicle = is_energy_type(serial.front());
  bool large_vehicle = is_energy_type(serial.back()) && allOf(serial.substr(0, 5), isDigit);
  if (!small_vehicle && !large_vehicle) {
    return invalid(
        "新能源号牌格式不正确 (an 8-character plate needs D or F first in the serial, or 5 digits "
        "then D or F)");
  }
  return makePlate(chars, true, "green");
}

bool looksMilitary(std::u32string_view chars) {
  bool armed_police = chars.starts_with(U"WJ");
  bool military = chars.size() == 7 && isLetter(chars[0]) && isLetter(chars[1]) &&
                  allOf(chars.substr(2), isDigit);
  return armed_police || military;
}

}  // namespace

Result<Plate> parsePlate(std::string_view text) {
  std::optional<std::u32string> decoded = decodeUtf8(text);
  if (!decoded) return invalid("号牌含有无法识别的字符 (not valid UTF-8)");
  std::u32string chars;
  for (char32_t c : *decoded) {
    if (!isSeparator(c)) chars.push_back(foldToAsciiUpper(c));
  }

  if (chars.empty()) return invalid("号牌不能为空 (plate is empty)");
  if (chars.front() == U'使') return parseEmbassyPlate(chars);
  if (looksMilitary(chars)) {
    return invalid("不支持军队和武警号牌 (military and armed-police plates are not supported)");
  }
  if (kProvinces.find(chars.front()) == std::u32string_view::npos) {
    return invalid(
        "号牌首字应为省份简称 (the first character must be a province abbreviation such as 京)");
  }
  if (chars.size() < 7) return invalid("号牌位数不足 (too short: expected 7 or 8 characters)");
  if (chars.size() > 8) return invalid("号牌位数过多 (too long: expected 7 or 8 characters)");
  if (!isLetter(chars[1])) {
    return invalid("号牌第二位应为发牌机关代号字母 (the second character must be a letter A-Z)");
  }

  constexpr std::u32string_view kSuffixes = U"挂学警领港澳";
  bool has_suffix = kSuffixes.find(chars.back()) != std::u32string_view::npos;
  if (chars.size() == 8) {
    if (has_suffix) {
      return invalid(
          "带挂、学、警、领、港、澳字的号牌序号为4位 (plates with a suffix have a 4-character "
          "serial)");
    }
    return parseNewEnergyPlate(chars);
  }
  if (has_suffix) return parseSuffixPlate(chars);
  Status serial = checkSerial(std::u32string_view(chars).substr(2));
  if (!serial.isOk()) return serial;
  return makePlate(chars, false, "blue");
}

std::optional<std::u32string> plateCharacters(std::string_view text) {
  std::optional<std::u32string> decoded = decodeUtf8(text);
  if (!decoded) return std::nullopt;
  std::u32string chars;
  for (char32_t c : *decoded) {
    if (!isSeparator(c)) chars.push_back(foldToAsciiUpper(c));
  }
  return chars;
}

std::string plateText(std::u32string_view chars) {
  std::string out;
  for (char32_t c : chars) appendUtf8(out, c);
  return out;
}

bool isProvinceCharacter(char32_t c) {
  return kProvinces.find(c) != std::u32string_view::npos;
}

}  // namespace anju::domain
