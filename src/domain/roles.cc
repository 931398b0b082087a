#include "domain/roles.h"

#include <algorithm>

namespace anju::domain {

const std::vector<std::string>& allRoles() {
  static const std::vector<std::string> kRoles = {std::string(kPolice),     std::string(kSecurity),
                                                  std::string(kGridWorker), std::string(kMediator),
                                                  std::string(kDepartment), std::string(kResident),
                                                  std::string(kAdmin)};
  return kRoles;
}

bool isKnownRole(std::string_view role) {
  const auto& roles = allRoles();
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool mayReadPersonalData(const RoleSet& roles) {
  return roles.count(kPolice) || roles.count(kGridWorker) || roles.count(kAdmin);
}

}  // namespace anju::domain
