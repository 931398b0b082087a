// Each group of endpoints registers itself on the router.
#pragma once

#include "api/api.h"
#include "api/router.h"

namespace anju::api {

void addSystemRoutes(Router& router, Services& services);
void addRegistryRoutes(Router& router, Services& services);
void addUserRoutes(Router& router, Services& services);
void addAuditRoutes(Router& router, Services& services);
void addImportRoutes(Router& router, Services& services);
void addAccessRoutes(Router& router, Services& services);

// The OpenAPI 3 document for every route on the router.
nlohmann::json openApiDocument(const Router& router);

// Helpers the route groups share.
nlohmann::json publicUserJson(const store::User& user);
store::AuditEntry auditEntry(const Call& call, std::string action, std::string object,
                             std::string object_id);
// Lists take ?cursor=&limit=; every other parameter not in `reserved` becomes a filter.
Result<store::ListQuery> listQuery(const Call& call, const std::vector<std::string>& reserved);

}  // namespace anju::api
