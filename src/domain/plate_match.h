// Plates as a camera reads them may differ from the registered plate in one character: a 8 read as
// B, an S as 5. Given a read, these functions say which registered plates it may be, and how
// likely each is, so a lookup can probe a unique index with a few hundred keys instead of scanning,
// and a watchlist can compare an event's plate with an entry. Pure functions: no storage.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace anju::domain {

inline constexpr double kExactPlateScore = 1.0;
inline constexpr double kLookAlikePlateScore = 0.9;
inline constexpr double kOtherPlateScore = 0.6;

struct PlateCandidate {
  std::string plate;  // a normalised plate (as parsePlate gives it) the read may stand for
  double score = 0;   // kExactPlateScore, kLookAlikePlateScore or kOtherPlateScore
  // The character index (not byte) where the candidate differs from the read; none when exact.
  std::optional<int> differs_at;
};

// Every well-formed plate within one substituted character of `read`, the read itself first when
// it is well-formed. The province character is kept as read (see plate_match.cc). A read I or O in
// the serial, which plates never use, is taken as 1 or 0 without lowering the score. Errors carry
// field "plate": not UTF-8, or not 7 or 8 characters after removing separators.
Result<std::vector<PlateCandidate>> plateCandidates(std::string_view read);

// How well a registered plate matches a read: the same as looking it up among plateCandidates,
// computed directly (the baseline the candidate generation is tested against). nullopt: more than
// one character apart, or not a well-formed plate.
std::optional<PlateCandidate> comparePlates(std::string_view read, std::string_view registered);

// Best first: higher score, then the plate's spelling, so equal reads always list the same way.
void rankPlateCandidates(std::vector<PlateCandidate>& candidates);

}  // namespace anju::domain
