#include "domain/plate.h"

#include <gtest/gtest.h>

#include <string>

namespace anju::domain {
namespace {

std::string messageOf(std::string_view text) {
  return parsePlate(text).status().message();
}

void expectPlate(std::string_view text, std::string_view normalized, bool new_energy,
                 std::string_view color) {
  Result<Plate> plate = parsePlate(text);
  ASSERT_TRUE(plate.isOk()) << text << ": " << plate.status().message();
  EXPECT_EQ(plate->normalized, normalized) << text;
  EXPECT_EQ(plate->new_energy, new_energy) << text;
  EXPECT_EQ(plate->default_color, color) << text;
}

TEST(Plate, AcceptsOrdinaryBluePlate) {
  expectPlate("京A12345", "京A12345", false, "blue");
}

TEST(Plate, AcceptsLettersOtherThanIAndOInTheSerial) {
  expectPlate("沪AB123C", "沪AB123C", false, "blue");
  // A D or F in a 7-character plate is an ordinary serial letter, not a new-energy mark.
  expectPlate("沪AD1234", "沪AD1234", false, "blue");
}

TEST(Plate, RemovesSpacesDotsAndDashesWhereverTheyAppear) {
  for (const char* text : {" 京A 123 45 ", "京A·12345", "京A•12345", "京A.12345", "京A-12345",
                           "京A・12345", "京A．12345", "\u3000京A12345\u3000"}) {
    expectPlate(text, "京A12345", false, "blue");
  }
}

TEST(Plate, FoldsFullWidthAndLowerCaseLettersAndDigits) {
  expectPlate("京ａ１２３４５", "京A12345", false, "blue");
  expectPlate("京Ａ12ＢＣ5", "京A12BC5", false, "blue");
  expectPlate("粤b·d12345", "粤BD12345", true, "green");
}

TEST(Plate, AcceptsSmallNewEnergyPlateWithDOrFFirstInTheSerial) {
  expectPlate("粤B·D12345", "粤BD12345", true, "green");
  expectPlate("沪AD12345", "沪AD12345", true, "green");
  expectPlate("浙AF1A234", "浙AF1A234", true, "green");
}

TEST(Plate, AcceptsLargeNewEnergyPlateWithFiveDigitsThenDOrF) {
  expectPlate("粤B12345D", "粤B12345D", true, "green");
  expectPlate("川A12345F", "川A12345F", true, "green");
}

TEST(Plate, RejectsEightCharacterPlateWithoutNewEnergyMark) {
  EXPECT_EQ(messageOf("京A123456"),
            "新能源号牌格式不正确 (an 8-character plate needs D or F first in the serial, or 5 "
            "digits then D or F)");
  EXPECT_FALSE(parsePlate("粤B1234AD").isOk());  // large vehicles have only digits before D
}

TEST(Plate, AcceptsTrailerAndCoachPlatesAsYellow) {
  expectPlate("苏E1234挂", "苏E1234挂", false, "yellow");
  expectPlate("苏E·A123挂", "苏EA123挂", false, "yellow");
  expectPlate("京A1234学", "京A1234学", false, "yellow");
}

TEST(Plate, AcceptsPolicePlateAsWhite) {
  expectPlate("京A1234警", "京A1234警", false, "white");
}

TEST(Plate, AcceptsHongKongMacaoConsulateAndEmbassyPlatesAsBlack) {
  expectPlate("粤Z·1234港", "粤Z1234港", false, "black");
  expectPlate("粤Z1234澳", "粤Z1234澳", false, "black");
  expectPlate("沪A1234领", "沪A1234领", false, "black");
  expectPlate("使 123·456", "使123456", false, "black");
}

TEST(Plate, RejectsHongKongPlateNotIssuedUnderYueZ) {
  EXPECT_EQ(messageOf("京A1234港"),
            "港澳号牌格式不正确 (Hong Kong and Macao plates begin with 粤Z)");
}

TEST(Plate, RejectsSuffixAfterAFiveCharacterSerial) {
  EXPECT_EQ(messageOf("苏E12345挂"),
            "带挂、学、警、领、港、澳字的号牌序号为4位 (plates with a suffix have a 4-character "
            "serial)");
}

TEST(Plate, RejectsEmbassyPlateWithoutSixDigits) {
  for (const char* text : {"使12345", "使1234567", "使12345A"}) {
    EXPECT_EQ(messageOf(text), "使馆号牌格式不正确 (embassy plates are 使 followed by 6 digits)")
        << text;
  }
}

TEST(Plate, RejectsLettersIAndOInTheSerial) {
  for (const char* text : {"京A1234I", "京AO1234", "粤BD1234O", "苏EI123挂"}) {
    EXPECT_EQ(messageOf(text), "号牌序号不得使用字母I或O (letters I and O are not used on plates)")
        << text;
  }
}

TEST(Plate, RejectsOtherCharactersInTheSerial) {
  EXPECT_EQ(messageOf("京A12中45"),
            "号牌序号只能由字母和数字组成 (the serial may only contain letters and digits)");
  EXPECT_FALSE(parsePlate("京A12_45").isOk());
}

TEST(Plate, RejectsFirstCharacterThatIsNotAProvinceAbbreviation) {
  for (const char* text : {"港A12345", "A12345", "1A12345", "中A12345"}) {
    EXPECT_EQ(
        messageOf(text),
        "号牌首字应为省份简称 (the first character must be a province abbreviation such as 京)")
        << text;
  }
}

TEST(Plate, AcceptsEveryProvinceAbbreviation) {
  for (const char* province : {"京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖",
                               "鲁", "新", "苏", "浙", "赣", "鄂", "桂", "甘", "晋", "蒙", "陕",
                               "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼"}) {
    EXPECT_TRUE(parsePlate(std::string(province) + "A12345").isOk()) << province;
  }
}

TEST(Plate, RejectsSecondCharacterThatIsNotALetter) {
  EXPECT_EQ(messageOf("京112345"),
            "号牌第二位应为发牌机关代号字母 (the second character must be a letter A-Z)");
}

TEST(Plate, RejectsMilitaryAndArmedPolicePlatesAsUnsupported) {
  for (const char* text : {"VA12345", "WJ0112345", "WJ京12345"}) {
    EXPECT_EQ(messageOf(text),
              "不支持军队和武警号牌 (military and armed-police plates are not supported)")
        << text;
  }
}

TEST(Plate, RejectsPlatesThatAreTooShortOrTooLong) {
  EXPECT_EQ(messageOf("京A1234"), "号牌位数不足 (too short: expected 7 or 8 characters)");
  EXPECT_EQ(messageOf("京"), "号牌位数不足 (too short: expected 7 or 8 characters)");
  EXPECT_EQ(messageOf("京A1234567"), "号牌位数过多 (too long: expected 7 or 8 characters)");
}

TEST(Plate, RejectsEmptyInputAndInputOfSeparatorsOnly) {
  for (const char* text : {"", "   ", "·-."}) {
    EXPECT_EQ(messageOf(text), "号牌不能为空 (plate is empty)") << '"' << text << '"';
  }
}

TEST(Plate, RejectsMalformedUtf8WithoutReadingPastTheEnd) {
  for (std::string_view text : {std::string_view("\xE4\xBA"), std::string_view("京A1234\xFF"),
                                std::string_view("\xC0\xAF"), std::string_view("\xED\xA0\x80")}) {
    EXPECT_EQ(messageOf(text), "号牌含有无法识别的字符 (not valid UTF-8)");
  }
}

TEST(Plate, ReportsErrorsUnderFieldPlate) {
  Status status = parsePlate("京A1234").status();
  EXPECT_EQ(status.code(), Code::kInvalid);
  EXPECT_EQ(status.field(), "plate");
}

}  // namespace
}  // namespace anju::domain
