#include "domain/phone.h"

#include <gtest/gtest.h>

#include <string>

namespace anju::domain {
namespace {

void expectPhone(std::string_view text, std::string_view normalized) {
  Result<std::string> phone = normalizePhone(text);
  ASSERT_TRUE(phone.isOk()) << text << ": " << phone.status().message();
  EXPECT_EQ(*phone, normalized) << text;
}

std::string messageOf(std::string_view text) {
  return normalizePhone(text).status().message();
}

TEST(Phone, AcceptsMobileAsElevenDigits) {
  expectPhone("13812345678", "13812345678");
  expectPhone("19912345678", "19912345678");
}

TEST(Phone, AcceptsMobileWithSpacesDashesAndSurroundingWhitespace) {
  expectPhone(" 138 1234 5678 ", "13812345678");
  expectPhone("138-1234-5678", "13812345678");
}

TEST(Phone, StripsMainlandCountryCodeFromMobile) {
  for (const char* text : {"+8613812345678", "+86 138 1234 5678", "8613812345678",
                           "0086 13812345678", "(+86)13812345678", "+86-138-1234-5678"}) {
    expectPhone(text, "13812345678");
  }
}

TEST(Phone, AcceptsFullWidthDigitsAndPlus) {
  expectPhone("１３８１２３４５６７８", "13812345678");
  expectPhone("＋８６ １３８１２３４５６７８", "13812345678");
}

TEST(Phone, RejectsMobileOutsideThe13To19Ranges) {
  for (const char* text : {"12812345678", "11812345678", "10812345678"}) {
    EXPECT_EQ(messageOf(text),
              "手机号码应为11位且以13至19开头 (mobile numbers are 11 digits beginning 13-19)")
        << text;
  }
}

TEST(Phone, RejectsMobileWithTooFewOrTooManyDigits) {
  EXPECT_FALSE(normalizePhone("1381234567").isOk());
  EXPECT_FALSE(normalizePhone("138123456789").isOk());
}

TEST(Phone, AcceptsLandlineWithThreeDigitAreaCode) {
  expectPhone("010-62345678", "010-62345678");
  expectPhone("01062345678", "010-62345678");
  expectPhone("(021) 6123 4567", "021-61234567");
  expectPhone("０２０－８１２３４５６７", "020-81234567");
}

TEST(Phone, AcceptsLandlineWithFourDigitAreaCodeAndSevenOrEightDigits) {
  expectPhone("0755-82345678", "0755-82345678");
  expectPhone("0335-3456789", "0335-3456789");
  expectPhone("03353456789", "0335-3456789");
}

TEST(Phone, KeepsAnExtensionGivenAfterASeparator) {
  expectPhone("010-62345678-123", "010-62345678-123");
  expectPhone("0335-3456789-8", "0335-3456789-8");
  expectPhone("0755-82345678 8001", "0755-82345678-8001");
  expectPhone("010-62345678转123", "010-62345678-123");
}

TEST(Phone, AcceptsLandlineAfterCountryCodeWithoutTrunkZero) {
  expectPhone("+86 10 62345678", "010-62345678");
  expectPhone("+86 755 8234 5678", "0755-82345678");
  expectPhone("0086 21 61234567", "021-61234567");
}

TEST(Phone, RejectsLandlineWithWrongNumberOfDigits) {
  EXPECT_EQ(messageOf("010-6234567"),
            "固定电话号码位数不正确 (010 and 02x numbers have 8 digits after the area code)");
  EXPECT_EQ(messageOf("0755-823456"),
            "固定电话号码位数不正确 (expected 7 or 8 digits after the area code)");
  EXPECT_FALSE(normalizePhone("0755823456789").isOk());  // no separator before an extension
}

TEST(Phone, RejectsLocalNumberBeginningWithZeroOrOne) {
  EXPECT_EQ(messageOf("010-02345678"), "固定电话号码不能以0或1开头 (local numbers begin with 2-9)");
  EXPECT_FALSE(normalizePhone("0755-1234567").isOk());
}

TEST(Phone, RejectsUnknownAreaCodes) {
  for (const char* text : {"011-62345678", "0012345678", "0"}) {
    EXPECT_EQ(messageOf(text), "固定电话区号不正确 (unknown area code)") << text;
  }
}

TEST(Phone, RejectsServiceNumbersAsAPersonsPhone) {
  for (const char* text : {"110", "119", "120", "12345", "95555", "10086"}) {
    EXPECT_EQ(messageOf(text),
              "不能使用110、12345等特服号码 (short service numbers such as 110 or 12345 are not "
              "a person's phone)")
        << text;
  }
}

TEST(Phone, RejectsLandlineWithoutAreaCode) {
  EXPECT_EQ(messageOf("62345678"), "固定电话须加区号 (landline numbers need an area code)");
}

TEST(Phone, RejectsForeignCountryCodes) {
  EXPECT_EQ(messageOf("+852 9123 4567"),
            "仅支持中国大陆电话号码 (only mainland China numbers are supported)");
}

TEST(Phone, RejectsLettersAndMisplacedPlus) {
  for (const char* text : {"138abc45678", "138+12345678", "tel:13812345678"}) {
    EXPECT_EQ(messageOf(text),
              "电话号码含有无效字符 (only digits, spaces, dashes, parentheses and a leading + are "
              "allowed)")
        << text;
  }
}

TEST(Phone, RejectsEmptyInput) {
  for (const char* text : {"", "  ", "--"}) {
    EXPECT_EQ(messageOf(text), "电话号码不能为空 (phone is empty)") << '"' << text << '"';
  }
}

TEST(Phone, RejectsOtherNumbersWithAGenericMessage) {
  EXPECT_EQ(messageOf("400-800-1234"),
            "电话号码格式不正确 (not a mainland mobile or landline number)");
}

TEST(Phone, ReportsErrorsUnderFieldPhone) {
  Status status = normalizePhone("110").status();
  EXPECT_EQ(status.code(), Code::kInvalid);
  EXPECT_EQ(status.field(), "phone");
}

}  // namespace
}  // namespace anju::domain
