// The words of the demo's citizens' cases: what reporters say, in the style of a hotline record,
// and what handlers, mediators and reporters write back along the loop. A few templates per
// case category, with the estate and building filled in, so that the queues read like a real
// district's rather than like numbered test data.
#pragma once

#include <string>
#include <string_view>

#include "demo/rng.h"

namespace anju::demo {

// Where a matter arose, as the reporter names it.
struct CasePlace {
  std::string estate;    // 海景花园
  std::string building;  // 3号楼
};

// A reporter's account of a matter of `category` (a case_categories id).
std::string caseDescription(Rng& rng, std::string_view category, const CasePlace& place);
// How the lead unit settled it (办结说明).
std::string_view resolutionSummary(Rng& rng, std::string_view category);
// What a mediation that ended in agreement agreed.
std::string_view mediationAgreement(Rng& rng, std::string_view category);
std::string_view mediationSessionNote(Rng& rng);

std::string_view feedbackMessage(Rng& rng);
std::string_view ratingComment(Rng& rng, int score);  // empty: the reporter said nothing more
std::string_view escalationReason(Rng& rng);
std::string_view returnReason(Rng& rng);
std::string_view reopenReason(Rng& rng);

}  // namespace anju::demo
