#include "cases/case_policy.h"

namespace anju::cases {

int resolveDays(const CasePolicy& policy, std::string_view level,
                std::optional<int64_t> category_days) {
  if (category_days && *category_days > 0) return static_cast<int>(*category_days);
  if (level == "county") return policy.resolve_days_county;
  if (level == "township") return policy.resolve_days_township;
  return policy.resolve_days_village;
}

}  // namespace anju::cases
