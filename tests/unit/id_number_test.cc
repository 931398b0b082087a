#include "domain/id_number.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace anju::domain {
namespace {

using std::chrono::day;
using std::chrono::year;
using std::chrono::year_month_day;

// A fixed "today" keeps the tests independent of the machine's clock.
constexpr year_month_day kToday{year{2025}, std::chrono::June, day{1}};

// The check characters of all numbers below were verified with an independent implementation of
// GB 11643-1999 outside this repository.
constexpr const char* kWomanBorn1949 = "11010519491231002X";
constexpr const char* kManBorn1990 = "110101199003074477";

constexpr const char* kNotACalendarDate =
    "身份证号码中的出生日期不存在 (birth date is not a calendar date)";
constexpr const char* kDateOutOfRange =
    "身份证号码中的出生日期超出范围 (birth date must be between 1900-01-01 and today)";

Status errorOf(std::string_view text) {
  return parseIdNumber(text, kToday).status();
}

TEST(IdNumber, AcceptsValidNumberWithCheckCharacterX) {
  Result<IdNumber> id = parseIdNumber(kWomanBorn1949, kToday);
  ASSERT_TRUE(id.isOk()) << id.status().message();
  EXPECT_EQ(id->normalized, kWomanBorn1949);
  EXPECT_EQ(id->region_code, "110105");
  EXPECT_EQ(id->birth_date, (year_month_day{year{1949}, std::chrono::December, day{31}}));
  EXPECT_FALSE(id->male);
}

TEST(IdNumber, AcceptsValidNumberWithDigitCheckCharacter) {
  Result<IdNumber> id = parseIdNumber(kManBorn1990, kToday);
  ASSERT_TRUE(id.isOk()) << id.status().message();
  EXPECT_EQ(id->normalized, kManBorn1990);
  EXPECT_EQ(id->region_code, "110101");
  EXPECT_EQ(id->birth_date, (year_month_day{year{1990}, std::chrono::March, day{7}}));
  EXPECT_TRUE(id->male);
}

TEST(IdNumber, ReadsGenderFromSeventeenthDigitOddMeaningMale) {
  EXPECT_TRUE(parseIdNumber("110101190001010014", kToday)->male);   // 17th digit 1
  EXPECT_FALSE(parseIdNumber("310115198506150321", kToday)->male);  // 17th digit 2
}

TEST(IdNumber, UpperCasesLowerCaseCheckCharacterX) {
  Result<IdNumber> id = parseIdNumber("11010519491231002x", kToday);
  ASSERT_TRUE(id.isOk()) << id.status().message();
  EXPECT_EQ(id->normalized, kWomanBorn1949);
}

TEST(IdNumber, TrimsSurroundingAsciiAndIdeographicSpaces) {
  EXPECT_EQ(parseIdNumber("  110101199003074477\t\n", kToday)->normalized, kManBorn1990);
  EXPECT_EQ(parseIdNumber("\u3000110101199003074477\u3000", kToday)->normalized, kManBorn1990);
}

TEST(IdNumber, ConvertsFullWidthDigitsAndXToAscii) {
  Result<IdNumber> upper = parseIdNumber("１１０１０５１９４９１２３１００２Ｘ", kToday);
  ASSERT_TRUE(upper.isOk()) << upper.status().message();
  EXPECT_EQ(upper->normalized, kWomanBorn1949);
  EXPECT_EQ(parseIdNumber("１１０１０５１９４９１２３１００２ｘ", kToday)->normalized,
            kWomanBorn1949);
}

TEST(IdNumber, RejectsNumberWhoseCheckDigitDoesNotMatch) {
  Status status = errorOf("110101199003074478");
  EXPECT_EQ(status.code(), Code::kInvalid);
  EXPECT_EQ(status.field(), "id_number");
  EXPECT_EQ(status.message(), "身份证号码校验位错误 (check digit does not match)");
}

TEST(IdNumber, RejectsDigitCheckCharacterWhereXIsExpected) {
  EXPECT_FALSE(parseIdNumber("110105194912310020", kToday).isOk());
}

TEST(IdNumber, RejectsNumbersThatAreNotEighteenCharactersLong) {
  for (const char* text :
       {"", "11010519900307", "11010119900307447", "1101011990030744770", "110101900307447"}) {
    Status status = errorOf(text);
    EXPECT_EQ(status.field(), "id_number") << text;
    EXPECT_NE(status.message().find("18"), std::string::npos) << text;
  }
}

TEST(IdNumber, ReportsTheLengthItFoundInBothLanguages) {
  EXPECT_EQ(errorOf("110101900307447").message(),
            "身份证号码应为18位，实际为15位 (expected 18 characters, got 15)");
}

TEST(IdNumber, RejectsLetterAmongTheFirstSeventeenCharacters) {
  EXPECT_EQ(errorOf("1101011990030A4477").message(),
            "身份证号码前17位只能是数字 (the first 17 characters must be digits)");
  EXPECT_FALSE(parseIdNumber("X10101199003074477", kToday).isOk());
}

TEST(IdNumber, RejectsCheckCharacterOtherThanDigitOrX) {
  EXPECT_EQ(errorOf("11010119900307447A").message(),
            "身份证号码第18位只能是数字或X (the last character must be a digit or X)");
}

TEST(IdNumber, CountsChineseCharactersAsOneCharacterAndRejectsThemAsNonDigits) {
  EXPECT_EQ(errorOf("11010119900307447号").message(),
            "身份证号码只能包含数字和X (only digits and X are allowed)");
}

TEST(IdNumber, RejectsUnknownProvinceCodeEvenWithMatchingCheckDigit) {
  for (const char* text : {"100000198001010017", "910000198001010018"}) {
    EXPECT_EQ(errorOf(text).message(), "身份证号码的省级行政区划代码无效 (unknown province code)")
        << text;
  }
}

TEST(IdNumber, AcceptsResidencePermitsOfHongKongMacaoAndTaiwanResidents) {
  for (const char* text : {"810000198001010014", "830000198001010018"}) {
    EXPECT_TRUE(parseIdNumber(text, kToday).isOk()) << text;
  }
}

TEST(IdNumber, AcceptsFebruary29InLeapYear) {
  Result<IdNumber> id = parseIdNumber("44030820000229001X", kToday);
  ASSERT_TRUE(id.isOk()) << id.status().message();
  EXPECT_EQ(id->birth_date, (year_month_day{year{2000}, std::chrono::February, day{29}}));
}

TEST(IdNumber, RejectsFebruary29InNonLeapYears) {
  EXPECT_EQ(errorOf("110101200102290015").message(), kNotACalendarDate);
  // 1900 is divisible by 4 but, as a century not divisible by 400, not a leap year.
  EXPECT_EQ(errorOf("110101190002290011").message(), kNotACalendarDate);
}

TEST(IdNumber, RejectsImpossibleMonthsAndDays) {
  EXPECT_EQ(errorOf("110105200002300015").message(), kNotACalendarDate);  // 30 February
  EXPECT_EQ(errorOf("110105199013010018").message(), kNotACalendarDate);  // month 13
}

TEST(IdNumber, AcceptsBirthOnFirstJanuary1900ButNotBefore) {
  EXPECT_TRUE(parseIdNumber("110101190001010014", kToday).isOk());
  EXPECT_EQ(errorOf("11010118991231001X").message(), kDateOutOfRange);
}

TEST(IdNumber, AcceptsBirthTodayButNotTomorrow) {
  EXPECT_TRUE(parseIdNumber("110101202506010015", kToday).isOk());
  EXPECT_EQ(errorOf("110101202506020010").message(), kDateOutOfRange);
}

TEST(IdNumber, UsesTheSystemClockWhenNoDateIsGiven) {
  EXPECT_TRUE(parseIdNumber(kManBorn1990).isOk());
  EXPECT_EQ(parseIdNumber("110101299001010013").status().message(), kDateOutOfRange);
}

TEST(IdNumber, NeverEchoesTheNumberInErrorMessages) {
  for (const char* text : {"110101199003074478", "110101200102290015", "910000198001010018"}) {
    std::string message = errorOf(text).message();
    EXPECT_EQ(message.find("1101"), std::string::npos) << message;
    EXPECT_EQ(message.find("9100"), std::string::npos) << message;
  }
}

TEST(IdNumberCheckChar, MatchesPublishedExamples) {
  EXPECT_EQ(idNumberCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(idNumberCheckChar("11010119900307447"), '7');
  EXPECT_EQ(idNumberCheckChar("44030820000229001"), 'X');
}

TEST(IdNumberCheckChar, ReturnsNulForInputThatIsNotSeventeenDigits) {
  EXPECT_EQ(idNumberCheckChar(""), '\0');
  EXPECT_EQ(idNumberCheckChar("1101011990030744"), '\0');
  EXPECT_EQ(idNumberCheckChar("110101199003074477"), '\0');
  EXPECT_EQ(idNumberCheckChar("1101011990030744A"), '\0');
}

}  // namespace
}  // namespace anju::domain
