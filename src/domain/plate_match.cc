#include "domain/plate_match.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "domain/plate.h"

namespace anju::domain {
namespace {

// Pairs of plate characters that licence-plate cameras confuse. Anju's reading, to be revised with
// field data: in the plate typeface (GA 36) each pair differs by one straight-versus-round side or
// one short stroke, which blur, dirt, a bolt head or a low angle hides —
//   0/D, 0/Q, D/Q   round or straight left side, a small tail
//   8/B, 3/8        straight or open left side
//   2/Z, 5/S, 6/G   angular or curved strokes of the same shape
//   1/7, 1/T        the short top stroke
//   4/A             the open or closed top
//   U/V, E/F, P/R, C/G   a bottom curve, the lower bar, the leg, the inner bar
// I and O are absent: plates never use them, so a read I or O is folded to 1 or 0 before this.
// Provinces (the Chinese first character) are kept exact: which of the 31 abbreviations a camera
// mistakes for which is not something we can argue without data, and a wrong province would
// multiply the keys by 31.
constexpr std::pair<char32_t, char32_t> kLookAlikes[] = {
    {U'0', U'D'}, {U'0', U'Q'}, {U'D', U'Q'}, {U'8', U'B'}, {U'3', U'8'},
    {U'2', U'Z'}, {U'5', U'S'}, {U'6', U'G'}, {U'1', U'7'}, {U'1', U'T'},
    {U'4', U'A'}, {U'U', U'V'}, {U'E', U'F'}, {U'P', U'R'}, {U'C', U'G'}};

// Every character a plate may hold after the province: digits, letters other than I and O, and the
// last character's suffixes (trailer, coach, police, consulate, Hong Kong, Macao).
constexpr std::u32string_view kPlateAlphabet = U"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ挂学警领港澳";

bool lookAlike(char32_t a, char32_t b) {
  return std::any_of(std::begin(kLookAlikes), std::end(kLookAlikes), [&](const auto& pair) {
    return (pair.first == a && pair.second == b) || (pair.first == b && pair.second == a);
  });
}

double substitutionScore(char32_t read, char32_t other) {
  return lookAlike(read, other) ? kLookAlikePlateScore : kOtherPlateScore;
}

// The read's characters with separators gone, letters upper-case, and I and O after the province
// taken as 1 and 0.
Result<std::u32string> foldRead(std::string_view read) {
  std::optional<std::u32string> chars = plateCharacters(read);
  if (!chars) return Status::invalid("plate", "车牌含有无法识别的字符 (not valid UTF-8)");
  if (chars->size() != 7 && chars->size() != 8) {
    return Status::invalid("plate", "车牌应为7或8位 (a plate has 7 or 8 characters)");
  }
  for (std::size_t i = 1; i < chars->size(); ++i) {
    if ((*chars)[i] == U'I') (*chars)[i] = U'1';
    if ((*chars)[i] == U'O') (*chars)[i] = U'0';
  }
  return std::move(*chars);
}

std::optional<std::string> wellFormed(std::u32string_view chars) {
  auto plate = parsePlate(plateText(chars));
  if (!plate) return std::nullopt;
  return std::move(plate->normalized);
}

}  // namespace

Result<std::vector<PlateCandidate>> plateCandidates(std::string_view read) {
  auto folded = foldRead(read);
  if (!folded) return folded.status();
  std::u32string chars = std::move(*folded);
  std::vector<PlateCandidate> out;
  if (auto exact = wellFormed(chars)) out.push_back({std::move(*exact), kExactPlateScore, {}});
  for (std::size_t i = 1; i < chars.size(); ++i) {
    const char32_t original = chars[i];
    for (char32_t c : kPlateAlphabet) {
      if (c == original) continue;
      chars[i] = c;
      if (auto variant = wellFormed(chars)) {
        out.push_back({std::move(*variant), substitutionScore(original, c), static_cast<int>(i)});
      }
    }
    chars[i] = original;
  }
  return out;
}

std::optional<PlateCandidate> comparePlates(std::string_view read, std::string_view registered) {
  auto folded = foldRead(read);
  if (!folded) return std::nullopt;
  std::optional<std::u32string> other = plateCharacters(registered);
  if (!other || other->size() != folded->size() || other->front() != folded->front()) {
    return std::nullopt;
  }
  auto normalized = wellFormed(*other);
  if (!normalized) return std::nullopt;
  std::optional<int> differs_at;
  for (std::size_t i = 1; i < other->size(); ++i) {
    if ((*other)[i] == (*folded)[i]) continue;
    if (differs_at) return std::nullopt;
    differs_at = static_cast<int>(i);
  }
  if (!differs_at) return PlateCandidate{std::move(*normalized), kExactPlateScore, {}};
  const auto at = static_cast<std::size_t>(*differs_at);
  return PlateCandidate{std::move(*normalized), substitutionScore((*folded)[at], (*other)[at]),
                        differs_at};
}

void rankPlateCandidates(std::vector<PlateCandidate>& candidates) {
  std::sort(candidates.begin(), candidates.end(),
            [](const PlateCandidate& a, const PlateCandidate& b) {
              if (a.score != b.score) return a.score > b.score;
              return a.plate < b.plate;
            });
}

}  // namespace anju::domain
