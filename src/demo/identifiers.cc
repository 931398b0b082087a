#include "demo/identifiers.h"

#include <array>
#include <cstdio>

#include "domain/id_number.h"

namespace anju::demo {
namespace {

constexpr std::string_view kMobilePrefixes[] = {
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157",
    "158", "159", "172", "178", "182", "183", "184", "187", "188", "198", "130",
    "131", "132", "145", "155", "156", "166", "175", "176", "185", "186", "133",
    "149", "153", "173", "177", "180", "181", "189", "190", "191", "193", "199",
};

// GA 36 leaves out I and O so that they cannot be read as 1 and 0.
constexpr std::string_view kPlateLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ";

// GB 32100: the 31 characters of a unified social credit code (no I, O, Z, S, V) and the weights
// of its check character.
constexpr std::string_view kCreditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kCreditWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                29, 25, 13, 8,  24, 10, 30, 28};
// GB 11714: the organisation code inside it carries its own check character.
constexpr std::array<int, 8> kOrganisationWeights = {3, 7, 9, 10, 5, 8, 4, 2};

constexpr std::string_view kConsonants = "bdfgkmnprstvz";
constexpr std::string_view kVowels = "aeiou";

char digit(Rng& rng) {
  return static_cast<char>('0' + rng.uniform(0, 9));
}

char pickChar(Rng& rng, std::string_view chars) {
  return chars[static_cast<std::size_t>(rng.uniform(0, static_cast<int64_t>(chars.size()) - 1))];
}

int organisationValue(char c) {
  return c >= 'A' ? c - 'A' + 10 : c - '0';
}

}  // namespace

std::string makeIdNumber(Rng& rng, std::string_view division_code,
                         std::chrono::year_month_day birth, bool male) {
  const unsigned month = static_cast<unsigned>(birth.month());
  const unsigned day = static_cast<unsigned>(birth.day());
  std::string id(division_code);
  id += std::to_string(static_cast<int>(birth.year()));
  id += static_cast<char>('0' + month / 10);
  id += static_cast<char>('0' + month % 10);
  id += static_cast<char>('0' + day / 10);
  id += static_cast<char>('0' + day % 10);
  id += digit(rng);
  id += digit(rng);
  id += static_cast<char>('0' + 2 * rng.uniform(0, 4) + (male ? 1 : 0));
  id += domain::idNumberCheckChar(id);
  return id;
}

std::string makeMobile(Rng& rng) {
  std::string phone(rng.pick(std::span<const std::string_view>(kMobilePrefixes)));
  for (int i = 0; i < 8; ++i) phone += digit(rng);
  return phone;
}

std::string makePlate(Rng& rng, std::string_view prefix, bool new_energy) {
  std::string plate(prefix);
  if (new_energy) {
    plate += rng.permille(500) ? 'D' : 'F';
    for (int i = 0; i < 5; ++i) plate += digit(rng);
    return plate;
  }
  std::array<bool, 5> letter{};
  const auto letters = rng.weighted({55, 35, 10});
  for (std::size_t placed = 0; placed < letters;) {
    auto& slot = letter[static_cast<std::size_t>(rng.uniform(0, 4))];
    if (!slot) {
      slot = true;
      ++placed;
    }
  }
  for (bool is_letter : letter) plate += is_letter ? pickChar(rng, kPlateLetters) : digit(rng);
  return plate;
}

std::string makeCreditCode(Rng& rng, std::string_view division_code, bool individual) {
  std::string code = individual ? "92" : "91";
  code += division_code;
  // Bodies registered since the 2015 reform start with MA.
  std::string organisation = "MA";
  for (int i = 0; i < 6; ++i) organisation += pickChar(rng, kCreditChars);
  int sum = 0;
  for (std::size_t i = 0; i < kOrganisationWeights.size(); ++i) {
    sum += organisationValue(organisation[i]) * kOrganisationWeights[i];
  }
  const int check = 11 - sum % 11;
  organisation += check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);
  code += organisation;
  sum = 0;
  for (std::size_t i = 0; i < kCreditWeights.size(); ++i) {
    sum += static_cast<int>(kCreditChars.find(code[i])) * kCreditWeights[i];
  }
  code += kCreditChars[static_cast<std::size_t>((31 - sum % 31) % 31)];
  return code;
}

std::string makeCardNumber(Rng& rng) {
  char text[11];
  std::snprintf(text, sizeof text, "%010u", static_cast<unsigned>(rng.uniform(0, 0xFFFFFFFF)));
  return text;
}

std::string makePassword(Rng& rng) {
  std::string password;
  for (int word = 0; word < 3; ++word) {
    for (int syllable = 0; syllable < 2; ++syllable) {
      password += pickChar(rng, kConsonants);
      password += pickChar(rng, kVowels);
    }
    password += '-';
  }
  password += digit(rng);
  password += digit(rng);
  return password;
}

}  // namespace anju::demo
