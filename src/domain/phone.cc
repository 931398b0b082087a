#include "domain/phone.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace anju::domain {
namespace {

Status invalid(std::string message) {
  return Status::invalid("phone", std::move(message));
}

// The digits of the number, and for each digit whether a separator came just before it: a
// separator is the only way to tell "0755-1234567-8" (an extension) from "0755-12345678".
struct Digits {
  std::string digits;
  std::vector<bool> separated;
  bool plus = false;

  void dropFront(std::size_t n) {
    digits.erase(0, n);
    separated.erase(separated.begin(), separated.begin() + static_cast<std::ptrdiff_t>(n));
  }
};

// Full-width forms and the Chinese word for "extension" as Chinese input methods produce them.
struct Token {
  std::string_view utf8;
  char ascii;
};
constexpr std::array<Token, 8> kTokens = {{{"\uFF0B", '+'},
                                           {"\uFF0D", '-'},
                                           {"\u2013", '-'},
                                           {"\u2014", '-'},
                                           {"\uFF08", '('},
                                           {"\uFF09", ')'},
                                           {"\u3000", ' '},
                                           {"\u8F6C", '-'}}};  // 转

constexpr std::string_view kFullWidthDigitPrefix = "\xEF\xBC";  // U+FF10-FF19 are EF BC 90-99

Result<Digits> scan(std::string_view text) {
  Digits out;
  bool pending_separator = false;
  bool seen_anything = false;
  while (!text.empty()) {
    char c = text.front();
    std::size_t consumed = 1;
    if (text.starts_with(kFullWidthDigitPrefix) && text.size() >= 3) {
      auto third = static_cast<unsigned char>(text[2]);
      if (third >= 0x90 && third <= 0x99) {
        c = static_cast<char>('0' + (third - 0x90));
        consumed = 3;
      }
    }
    for (const Token& token : kTokens) {
      if (consumed == 1 && text.starts_with(token.utf8)) {
        c = token.ascii;
        consumed = token.utf8.size();
      }
    }
    text.remove_prefix(consumed);

    if (c >= '0' && c <= '9') {
      out.digits.push_back(c);
      out.separated.push_back(pending_separator);
      pending_separator = false;
      seen_anything = true;
    } else if (c == ' ' || c == '\t' || c == '-' || c == '(' || c == ')') {
      pending_separator = true;
    } else if (c == '+' && !seen_anything) {
      out.plus = true;
      seen_anything = true;
    } else {
      return invalid(
          "电话号码含有无效字符 (only digits, spaces, dashes, parentheses and a leading + are "
          "allowed)");
    }
  }
  return out;
}

bool isMobile(std::string_view digits) {
  return digits.size() == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9';
}

Result<std::string> normalizeLandline(const Digits& number) {
  std::string_view digits = number.digits;
  if (digits.size() < 3 || digits[1] == '0' || (digits[1] == '1' && digits[2] != '0')) {
    return invalid("固定电话区号不正确 (unknown area code)");
  }
  // Only Beijing (010) and the 02x cities have 3-digit area codes; every other code has 4.
  std::size_t area_length = digits[1] == '1' || digits[1] == '2' ? 3 : 4;
  std::vector<std::size_t> local_lengths =
      area_length == 3 ? std::vector<std::size_t>{8} : std::vector<std::size_t>{8, 7};
  std::size_t rest = digits.size() - std::min(digits.size(), area_length);

  std::size_t local_length = 0;
  for (std::size_t candidate : local_lengths) {
    std::size_t extension_length = rest > candidate ? rest - candidate : 0;
    if (extension_length >= 1 && extension_length <= 6 &&
        number.separated[area_length + candidate]) {
      local_length = candidate;
      break;
    }
  }
  for (std::size_t candidate : local_lengths) {
    if (local_length == 0 && rest == candidate) local_length = candidate;
  }
  if (local_length == 0) {
    return invalid(area_length == 3
                       ? "固定电话号码位数不正确 (010 and 02x numbers have 8 digits after the area "
                         "code)"
                       : "固定电话号码位数不正确 (expected 7 or 8 digits after the area code)");
  }

  std::string_view local = digits.substr(area_length, local_length);
  if (local[0] == '0' || local[0] == '1') {
    return invalid("固定电话号码不能以0或1开头 (local numbers begin with 2-9)");
  }
  std::string out(digits.substr(0, area_length));
  out += '-';
  out += local;
  if (digits.size() > area_length + local_length) {
    out += '-';
    out += digits.substr(area_length + local_length);
  }
  return out;
}

}  // namespace

Result<std::string> normalizePhone(std::string_view text) {
  Result<Digits> scanned = scan(text);
  if (!scanned.isOk()) return scanned.status();
  Digits number = std::move(scanned).value();
  if (number.digits.empty()) return invalid("电话号码不能为空 (phone is empty)");

  // After a country code the trunk prefix 0 of a landline is dropped: +86 10 12345678.
  bool international = false;
  if (number.plus) {
    if (!number.digits.starts_with("86")) {
      return invalid("仅支持中国大陆电话号码 (only mainland China numbers are supported)");
    }
    number.dropFront(2);
    international = true;
  } else if (number.digits.starts_with("0086")) {
    number.dropFront(4);
    international = true;
  } else if (number.digits.size() == 13 && number.digits.starts_with("86") &&
             isMobile(std::string_view(number.digits).substr(2))) {
    number.dropFront(2);
  }

  const std::string& digits = number.digits;
  if (isMobile(digits)) return digits;
  if (international && !digits.empty() && digits[0] != '0') {
    number.digits.insert(number.digits.begin(), '0');
    number.separated.insert(number.separated.begin(), false);
  }
  if (!digits.empty() && digits[0] == '0') return normalizeLandline(number);

  if (digits.size() <= 6) {
    return invalid(
        "不能使用110、12345等特服号码 (short service numbers such as 110 or 12345 are not a "
        "person's phone)");
  }
  if (digits[0] == '1') {
    return invalid("手机号码应为11位且以13至19开头 (mobile numbers are 11 digits beginning 13-19)");
  }
  if (digits.size() <= 8) {
    return invalid("固定电话须加区号 (landline numbers need an area code)");
  }
  return invalid("电话号码格式不正确 (not a mainland mobile or landline number)");
}

}  // namespace anju::domain
