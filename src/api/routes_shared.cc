#include <charconv>

#include "api/routes.h"

namespace anju::api {

store::AuditEntry auditEntry(const Call& call, std::string action, std::string object,
                             std::string object_id) {
  return store::AuditEntry{.user = call.user ? call.user->username : "",
                           .action = std::move(action),
                           .object = std::move(object),
                           .object_id = std::move(object_id),
                           .purpose = call.purpose(),
                           .address = call.request.remote_address};
}

Result<store::ListQuery> listQuery(const Call& call, const std::vector<std::string>& reserved) {
  store::ListQuery q;
  for (const auto& [key, value] : call.request.query) {
    if (key == "cursor") {
      q.cursor = value;
    } else if (key == "limit") {
      int limit = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc() || ptr != value.data() + value.size()) {
        return Status::invalid("limit", "limit 应为整数 (limit must be a whole number)");
      }
      q.limit = limit;
    } else if (std::find(reserved.begin(), reserved.end(), key) == reserved.end()) {
      q.filters.emplace_back(key, value);
    }
  }
  return q;
}

}  // namespace anju::api
