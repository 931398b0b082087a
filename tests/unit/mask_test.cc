#include "domain/mask.h"

#include <gtest/gtest.h>

#include <string>

namespace anju::domain {
namespace {

TEST(MaskIdNumber, KeepsRegionCodeAndLastFourCharacters) {
  EXPECT_EQ(maskIdNumber("110101199003071234"), "110101********1234");
  EXPECT_EQ(maskIdNumber("11010519491231002X"), "110105********002X");
}

TEST(MaskIdNumber, HidesTheBirthDateOfOldFifteenDigitNumbers) {
  EXPECT_EQ(maskIdNumber("110101900307123"), "110101*****7123");
}

TEST(MaskIdNumber, MasksEverythingWhenTooShortToHideEnough) {
  EXPECT_EQ(maskIdNumber(""), "");
  EXPECT_EQ(maskIdNumber("1234"), "****");
  EXPECT_EQ(maskIdNumber("11010119900307"), "**************");
}

TEST(MaskPhone, KeepsFirstThreeAndLastFourDigitsOfAMobile) {
  EXPECT_EQ(maskPhone("13812345678"), "138****5678");
}

TEST(MaskPhone, NormalisesBeforeMasking) {
  EXPECT_EQ(maskPhone("+86 138-1234-5678"), "138****5678");
}

TEST(MaskPhone, KeepsAreaCodeAndLastTwoDigitsOfALandline) {
  EXPECT_EQ(maskPhone("010-62345678"), "010-******78");
  EXPECT_EQ(maskPhone("0755-8234567"), "0755-*****67");
}

TEST(MaskPhone, MasksTheWholeExtension) {
  EXPECT_EQ(maskPhone("0755-8234567-801"), "0755-*****67-***");
}

TEST(MaskPhone, MasksEverythingThatIsNotAValidPhone) {
  EXPECT_EQ(maskPhone(""), "");
  EXPECT_EQ(maskPhone("110"), "***");
  EXPECT_EQ(maskPhone("1381234567"), "**********");
  EXPECT_EQ(maskPhone("电话13812345678"), "*************");
}

TEST(MaskName, KeepsOnlyTheFirstCharacter) {
  EXPECT_EQ(maskName("张三"), "张*");
  EXPECT_EQ(maskName("欧阳娜娜"), "欧***");
  EXPECT_EQ(maskName("买买提·艾力"), "买*****");
  EXPECT_EQ(maskName("John Smith"), "J*********");
}

TEST(MaskName, LeavesSingleCharacterNameUnchanged) {
  EXPECT_EQ(maskName("勇"), "勇");
  EXPECT_EQ(maskName("A"), "A");
}

TEST(MaskName, IgnoresSurroundingSpacesAndReturnsEmptyForEmptyName) {
  EXPECT_EQ(maskName(" 张三 "), "张*");
  EXPECT_EQ(maskName(""), "");
  EXPECT_EQ(maskName("   "), "");
}

TEST(MaskName, CountsFourByteCharactersAsOneCharacter) {
  EXPECT_EQ(maskName("𠀋三"), "𠀋*");
}

TEST(MaskValue, KeepsTheLastFourCharacters) {
  EXPECT_EQ(maskValue("6222021234567890"), "************7890");
  EXPECT_EQ(maskValue("1A2B3C4D"), "****3C4D");
}

TEST(MaskValue, MasksEverythingWhenTooShortToHideHalf) {
  EXPECT_EQ(maskValue(""), "");
  EXPECT_EQ(maskValue("1234"), "****");
  EXPECT_EQ(maskValue("1234567"), "*******");
}

TEST(Mask, NeverCopiesMalformedUtf8ToTheOutput) {
  EXPECT_EQ(maskName("\xFF\xFE"), "**");
  EXPECT_EQ(maskName("\xE5\xBC"), "**");  // a truncated 张
  EXPECT_EQ(maskValue("12345678\xFF"), "*****678*");
  EXPECT_EQ(maskIdNumber("\xC0\xAF"
                         "1010119900307123"),
            "**1010********7123");
  EXPECT_EQ(maskPhone("138\xFF"), "****");
}

TEST(Mask, CountsChineseCharactersAsOneCharacterInGenericValues) {
  EXPECT_EQ(maskValue("卡号A1234567"), "******4567");
}

}  // namespace
}  // namespace anju::domain
