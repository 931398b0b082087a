#include "grid/hazard_flow.h"

#include <array>

namespace anju::grid {

namespace {

struct Step {
  std::string_view from;
  std::string_view action;
  std::string_view to;
  std::string_view to_if_failed;  // verify only: where a failed check sends the hazard back
};

constexpr std::array<Step, 3> kSteps = {{
    {"reported", "assign", "assigned", ""},
    {"assigned", "rectify", "rectified", ""},
    {"rectified", "verify", "verified", "assigned"},
}};

}  // namespace

std::optional<std::string> nextHazardStatus(std::string_view status, std::string_view action,
                                            bool passed) {
  for (const Step& s : kSteps) {
    if (s.from != status || s.action != action) continue;
    return std::string(!passed && !s.to_if_failed.empty() ? s.to_if_failed : s.to);
  }
  return std::nullopt;
}

std::vector<std::string> allowedHazardActions(std::string_view status) {
  std::vector<std::string> out;
  for (const Step& s : kSteps) {
    if (s.from == status) out.emplace_back(s.action);
  }
  return out;
}

bool isHazardAction(std::string_view action) {
  for (const Step& s : kSteps) {
    if (s.action == action) return true;
  }
  return false;
}

bool isOpenHazardStatus(std::string_view status) {
  return status == "reported" || status == "assigned";
}

}  // namespace anju::grid
