// The roles of SPEC §1 and what each may see.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace anju::domain {

inline constexpr std::string_view kPolice = "police";
inline constexpr std::string_view kSecurity = "security";
inline constexpr std::string_view kGridWorker = "grid_worker";
inline constexpr std::string_view kMediator = "mediator";
inline constexpr std::string_view kDepartment = "department";
inline constexpr std::string_view kResident = "resident";
inline constexpr std::string_view kAdmin = "admin";

const std::vector<std::string>& allRoles();
bool isKnownRole(std::string_view role);

using RoleSet = std::set<std::string, std::less<>>;

// Police need identity numbers for their work, grid workers enter them, admins manage the
// registry; everyone else sees them masked.
bool mayReadPersonalData(const RoleSet& roles);

}  // namespace anju::domain
