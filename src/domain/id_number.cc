#include "domain/id_number.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <utility>

namespace anju::domain {
namespace {

constexpr std::string_view kField = "id_number";
constexpr std::size_t kLength = 18;

// GB 11643-1999: the check character is kCheckChars[sum(digit_i * kWeights[i]) mod 11].
constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckChars = "10X98765432";

// First two digits of GB/T 2260 province-level divisions. 81, 82 and 83 appear on the residence
// permits of Hong Kong, Macao and Taiwan residents, which use this same number format.
constexpr std::array<int, 35> kProvinceCodes = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                                35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                                53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

int digitsToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

bool isContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::size_t countCodePoints(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !isContinuationByte(c); }));
}

constexpr std::string_view kIdeographicSpace = "\u3000";

std::string_view trim(std::string_view text) {
  constexpr std::string_view kAsciiSpace = " \t\r\n";
  while (true) {
    std::size_t before = text.size();
    while (!text.empty() && kAsciiSpace.find(text.front()) != std::string_view::npos) {
      text.remove_prefix(1);
    }
    while (!text.empty() && kAsciiSpace.find(text.back()) != std::string_view::npos) {
      text.remove_suffix(1);
    }
    if (text.starts_with(kIdeographicSpace)) text.remove_prefix(kIdeographicSpace.size());
    if (text.ends_with(kIdeographicSpace)) text.remove_suffix(kIdeographicSpace.size());
    if (text.size() == before) return text;
  }
}

// Chinese input methods often produce full-width forms: ０-９ are U+FF10-FF19 (EF BC 90-99),
// Ｘ is U+FF38 (EF BC B8) and ｘ is U+FF58 (EF BD 98).
std::string foldToAscii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 2) == "\xEF\xBC" && i + 2 < text.size()) {
      auto third = static_cast<unsigned char>(text[i + 2]);
      if (third >= 0x90 && third <= 0x99) {
        out.push_back(static_cast<char>('0' + (third - 0x90)));
        i += 2;
        continue;
      }
      if (third == 0xB8) {
        out.push_back('X');
        i += 2;
        continue;
      }
    }
    if (text.substr(i, 3) == "\xEF\xBD\x98") {
      out.push_back('X');
      i += 2;
      continue;
    }
    out.push_back(text[i] == 'x' ? 'X' : text[i]);
  }
  return out;
}

Status invalid(std::string message) {
  return Status::invalid(std::string(kField), std::move(message));
}

}  // namespace

char idNumberCheckChar(std::string_view first17) {
  if (first17.size() != kWeights.size() || !std::all_of(first17.begin(), first17.end(), isDigit)) {
    return '\0';
  }
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckChars[static_cast<std::size_t>(sum % 11)];
}

// Messages never echo the number or its parts: they reach logs and the number is personal data.
Result<IdNumber> parseIdNumber(std::string_view text, std::chrono::year_month_day today) {
  std::string number = foldToAscii(trim(text));
  std::size_t length = countCodePoints(number);
  if (length != kLength) {
    return invalid("身份证号码应为18位，实际为" + std::to_string(length) +
                   "位 (expected 18 characters, got " + std::to_string(length) + ")");
  }
  if (number.size() != kLength) {
    return invalid("身份证号码只能包含数字和X (only digits and X are allowed)");
  }
  std::string_view first17 = std::string_view(number).substr(0, 17);
  if (!std::all_of(first17.begin(), first17.end(), isDigit)) {
    return invalid("身份证号码前17位只能是数字 (the first 17 characters must be digits)");
  }
  if (!isDigit(number[17]) && number[17] != 'X') {
    return invalid("身份证号码第18位只能是数字或X (the last character must be a digit or X)");
  }

  int province = digitsToInt(first17.substr(0, 2));
  if (std::find(kProvinceCodes.begin(), kProvinceCodes.end(), province) == kProvinceCodes.end()) {
    return invalid("身份证号码的省级行政区划代码无效 (unknown province code)");
  }

  std::chrono::year_month_day birth{
      std::chrono::year{digitsToInt(first17.substr(6, 4))},
      std::chrono::month{static_cast<unsigned>(digitsToInt(first17.substr(10, 2)))},
      std::chrono::day{static_cast<unsigned>(digitsToInt(first17.substr(12, 2)))}};
  if (!birth.ok()) {
    return invalid("身份证号码中的出生日期不存在 (birth date is not a calendar date)");
  }
  constexpr std::chrono::year_month_day kEarliest{std::chrono::year{1900}, std::chrono::January,
                                                  std::chrono::day{1}};
  if (birth < kEarliest || birth > today) {
    return invalid(
        "身份证号码中的出生日期超出范围 (birth date must be between 1900-01-01 and today)");
  }

  if (idNumberCheckChar(first17) != number[17]) {
    return invalid("身份证号码校验位错误 (check digit does not match)");
  }

  IdNumber id;
  id.region_code = number.substr(0, 6);
  id.birth_date = birth;
  id.male = (number[16] - '0') % 2 == 1;
  id.normalized = std::move(number);
  return id;
}

Result<IdNumber> parseIdNumber(std::string_view text) {
  // Births are registered in Chinese local time, so "today" is the date in UTC+8.
  auto now_in_china = std::chrono::system_clock::now() + std::chrono::hours{8};
  return parseIdNumber(
      text, std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now_in_china)});
}

}  // namespace anju::domain
