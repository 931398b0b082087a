#include "common/utf8.h"

#include <cstdint>
#include <cstring>

namespace anju {

namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// Imports and request bodies are mostly ASCII (digits, ids, phone numbers), so whole words of
// ASCII are skipped before the byte-by-byte decoder has to look at anything.
std::size_t skipAscii(const unsigned char* p, std::size_t i, std::size_t n) {
  while (i + 8 <= n) {
    uint64_t word;
    std::memcpy(&word, p + i, sizeof word);
    if ((word & kHighBits) != 0) break;
    i += 8;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

bool isContinuation(unsigned char b) {
  return (b & 0xC0) == 0x80;
}

}  // namespace

bool isValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (true) {
    i = skipAscii(p, i, n);
    if (i == n) return true;
    const unsigned char lead = p[i];
    // The ranges of the second byte follow Table 3-7 of the Unicode standard: they are what
    // excludes overlong forms (E0, F0), surrogates (ED) and code points past U+10FFFF (F4).
    std::size_t length;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) lo = 0xA0;
      if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) lo = 0x90;
      if (lead == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (n - i < length) return false;
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (std::size_t k = 2; k < length; ++k) {
      if (!isContinuation(p[i + k])) return false;
    }
    i += length;
  }
}

std::size_t utf8Length(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < n) {
    const std::size_t ascii_end = skipAscii(p, i, n);
    count += ascii_end - i;
    i = ascii_end;
    // Every code point has exactly one byte that is not a continuation byte.
    while (i < n && p[i] >= 0x80) {
      if (!isContinuation(p[i])) ++count;
      ++i;
    }
  }
  return count;
}

}  // namespace anju
