// The words of the demo's grid and policing records: what grid workers find on their rounds and
// write after a home visit, what village police record as service, and how an incident is
// summed up in the police system. Kept apart from the code that draws the records.
#pragma once

#include <string_view>

#include "demo/rng.h"

namespace anju::demo {

// A hazard as a grid worker reports it, for a registry hazard kind (fire, electrical, ...).
struct HazardText {
  std::string_view kind;
  std::string_view description;
};
HazardText hazardText(Rng& rng);
std::string_view rectificationNote(Rng& rng);
std::string_view patrolFinding(Rng& rng);  // a patrol's findings when nothing needs a hazard
std::string_view elderlyVisitNote(Rng& rng);
// A service record's description for a registry kind (documents, rescue, help, ...).
std::string_view serviceText(Rng& rng, std::string_view kind);
// A police incident's summary for a registry category (burglary, theft, fight, ...).
std::string_view incidentSummary(Rng& rng, std::string_view category);

}  // namespace anju::demo
