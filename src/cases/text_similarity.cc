#include "cases/text_similarity.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iterator>
#include <vector>

namespace anju::cases {

namespace {

// Code points of well-formed UTF-8 (request bodies are checked before they reach here); a stray
// byte is taken as itself rather than dropped.
std::vector<char32_t> significantCodePoints(std::string_view text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + n > text.size()) n = 1;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    i += n;
    if (cp < 0x80) {
      if (!std::isalnum(static_cast<int>(cp))) continue;
      cp = static_cast<char32_t>(std::tolower(static_cast<int>(cp)));
    } else if ((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
               (cp >= 0xFF1A && cp <= 0xFF20) || cp == 0x2014 || cp == 0x2026 ||
               (cp >= 0x2018 && cp <= 0x201D)) {
      continue;  // CJK and full-width punctuation: 。，、「」…
    }
    out.push_back(cp);
  }
  return out;
}

std::vector<uint64_t> bigrams(std::string_view text) {
  auto cps = significantCodePoints(text);
  std::vector<uint64_t> out;
  if (cps.size() == 1) out.push_back(cps[0]);
  for (std::size_t i = 0; i + 1 < cps.size(); ++i)
    out.push_back((static_cast<uint64_t>(cps[i]) << 32) | cps[i + 1]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

double textSimilarity(std::string_view a, std::string_view b) {
  auto x = bigrams(a);
  auto y = bigrams(b);
  if (x.empty() || y.empty()) return 0;
  std::vector<uint64_t> common;
  std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(common));
  const double together = static_cast<double>(x.size() + y.size() - common.size());
  return static_cast<double>(common.size()) / together;
}

}  // namespace anju::cases
