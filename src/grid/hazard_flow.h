// The hazard rectification loop (隐患整改闭环) as a table: which action moves a hazard from which
// status to which. Pure rules, no storage; hazard_service.h applies them.
//
//   reported --assign--> assigned --rectify--> rectified --verify(passed)--> verified
//                           ^                                  |
//                           +---------verify(not passed)-------+
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anju::grid {

// The status a hazard reaches by `action` from `status`; nullopt when the action is not allowed
// from there. `passed` decides where verify leads and is ignored by the other actions.
std::optional<std::string> nextHazardStatus(std::string_view status, std::string_view action,
                                            bool passed);

// The actions allowed from `status`, in the loop's order; empty once verified.
std::vector<std::string> allowedHazardActions(std::string_view status);

// Whether `action` is one of the loop's actions at all (unknown ones are bad input, not a
// conflict).
bool isHazardAction(std::string_view action);

// Open hazards (reported or assigned) past their deadline count as overdue.
bool isOpenHazardStatus(std::string_view status);

}  // namespace anju::grid
