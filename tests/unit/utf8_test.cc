#include "common/utf8.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace anju {
namespace {

std::string encode(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

// The slow, obviously correct baseline the fast validator is checked against: decode each
// sequence to its code point, then demand the shortest encoding and a Unicode scalar value.
std::optional<std::size_t> referenceLength(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length;
    char32_t cp;
    if (lead < 0x80) {
      length = 1;
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      cp = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + length > text.size()) return std::nullopt;
    for (std::size_t k = 1; k < length; ++k) {
      const auto byte = static_cast<unsigned char>(text[i + k]);
      if ((byte & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (byte & 0x3F);
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    if (encode(cp).size() != length) return std::nullopt;
    i += length;
  }
  return count;
}

TEST(Utf8, AcceptsAsciiAndChineseText) {
  EXPECT_TRUE(isValidUtf8(""));
  EXPECT_TRUE(isValidUtf8("Room 1203, Building 5"));
  EXPECT_TRUE(isValidUtf8("张三,北京市朝阳区"));
  EXPECT_TRUE(isValidUtf8("\xF0\x9F\x94\x92"));
}

TEST(Utf8, AcceptsEveryScalarValueInItsShortestForm) {
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const std::string text = encode(cp);
    ASSERT_TRUE(isValidUtf8(text)) << std::hex << static_cast<uint32_t>(cp);
    ASSERT_EQ(utf8Length(text), 1u) << std::hex << static_cast<uint32_t>(cp);
  }
}

TEST(Utf8, RejectsOverlongEncodings) {
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));  // '/' in two bytes
  EXPECT_FALSE(isValidUtf8("\xC1\xBF"));
  EXPECT_FALSE(isValidUtf8("\xE0\x80\xAF"));      // '/' in three bytes
  EXPECT_FALSE(isValidUtf8("\xE0\x9F\xBF"));      // U+07FF in three bytes
  EXPECT_FALSE(isValidUtf8("\xF0\x80\x80\xAF"));  // '/' in four bytes
  EXPECT_FALSE(isValidUtf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in four bytes
}

TEST(Utf8, RejectsSurrogates) {
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));  // U+D800
  EXPECT_FALSE(isValidUtf8("\xED\xBF\xBF"));  // U+DFFF
  EXPECT_TRUE(isValidUtf8("\xED\x9F\xBF"));   // U+D7FF
  EXPECT_TRUE(isValidUtf8("\xEE\x80\x80"));   // U+E000
}

TEST(Utf8, RejectsCodePointsPastU10FFFF) {
  EXPECT_TRUE(isValidUtf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF
  EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(isValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(isValidUtf8("\xFF"));
}

TEST(Utf8, RejectsTruncatedSequences) {
  const std::string zhang = "张";
  EXPECT_FALSE(isValidUtf8(zhang.substr(0, 2)));
  EXPECT_FALSE(isValidUtf8(zhang.substr(0, 1)));
  EXPECT_FALSE(isValidUtf8(zhang.substr(0, 2) + "abc"));
  EXPECT_FALSE(isValidUtf8("\xF0\x9F\x94"));
}

TEST(Utf8, RejectsStrayContinuationBytes) {
  EXPECT_FALSE(isValidUtf8("\x80"));
  EXPECT_FALSE(isValidUtf8("abc\xBF"));
  EXPECT_FALSE(isValidUtf8("张\x80"));
}

TEST(Utf8, RejectsGbkEncodedChinese) {
  EXPECT_FALSE(isValidUtf8("\xD5\xC5\xC8\xFD"));  // 张三 in GBK
}

TEST(Utf8, FindsABadByteAtAnyOffsetInALongAsciiRun) {
  for (std::size_t offset = 0; offset < 40; ++offset) {
    std::string text(40, 'a');
    text[offset] = '\x80';
    EXPECT_FALSE(isValidUtf8(text)) << offset;
    text.replace(offset, 1, "张");
    EXPECT_TRUE(isValidUtf8(text)) << offset;
    EXPECT_EQ(utf8Length(text), 40u) << offset;
  }
}

TEST(Utf8, CountsCodePointsNotBytes) {
  EXPECT_EQ(utf8Length(""), 0u);
  EXPECT_EQ(utf8Length("张三"), 2u);
  EXPECT_EQ(utf8Length("a张b"), 3u);
  EXPECT_EQ(utf8Length("\xF0\x9F\x94\x92"), 1u);
  EXPECT_EQ(utf8Length("北京市朝阳区 Building 5"), 17u);
}

void expectAgreement(std::string_view text) {
  const std::optional<std::size_t> expected = referenceLength(text);
  ASSERT_EQ(isValidUtf8(text), expected.has_value()) << text;
  if (expected) {
    ASSERT_EQ(utf8Length(text), *expected) << text;
  }
}

// Every value where the validator's decision changes, so that checking these covers the rest of
// the 256 values without making the test slow under the sanitizers.
constexpr unsigned char kBoundaryBytes[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                            0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE,
                                            0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};

TEST(Utf8, AgreesWithTheReferenceDecoderOnEverySequenceOfOneOrTwoBytes) {
  for (unsigned first = 0; first < 256; ++first) {
    const char one[] = {static_cast<char>(first)};
    expectAgreement(std::string_view(one, 1));
    for (unsigned second = 0; second < 256; ++second) {
      const char two[] = {static_cast<char>(first), static_cast<char>(second)};
      expectAgreement(std::string_view(two, 2));
    }
  }
}

TEST(Utf8, AgreesWithTheReferenceDecoderOnThreeAndFourByteSequences) {
  for (unsigned first = 0; first < 256; ++first) {
    for (unsigned second = 0; second < 256; ++second) {
      for (unsigned char third : kBoundaryBytes) {
        const char three[] = {static_cast<char>(first), static_cast<char>(second),
                              static_cast<char>(third)};
        expectAgreement(std::string_view(three, 3));
      }
    }
  }
  for (unsigned first = 0xE0; first < 256; ++first) {
    for (unsigned char second : kBoundaryBytes) {
      for (unsigned char third : kBoundaryBytes) {
        for (unsigned char fourth : kBoundaryBytes) {
          const char four[] = {static_cast<char>(first), static_cast<char>(second),
                               static_cast<char>(third), static_cast<char>(fourth)};
          expectAgreement(std::string_view(four, 4));
        }
      }
    }
  }
}

TEST(Utf8, AgreesWithTheReferenceDecoderOnRandomMixedText) {
  const std::string pieces[] = {"a",        "0123456789", "张",           "\xF0\x9F\x94\x92",
                                "\x80",     "\xC0",       "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                "\xE5\xBC", "\xFF"};
  std::mt19937 random(42);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const std::size_t count = round % 12;
    for (std::size_t i = 0; i < count; ++i) text += pieces[pick(random)];
    expectAgreement(text);
  }
}

}  // namespace
}  // namespace anju
