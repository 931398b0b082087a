// Retention's settings and what the next run would remove, for admins of the whole installation.
#include "api/responses.h"
#include "api/routes.h"
#include "retention/retention.h"

namespace anju::api {

void addRetentionRoutes(Router& router, Services& services) {
  router.add(
      {.method = "GET",
       .pattern = "/api/v1/admin/retention",
       .summary = "Retention settings and what would be removed now (a dry run)",
       .tag = "admin",
       .roles = {"admin"},
       .handler = [&services](Call& call) {
         // Retention removes data of every region: a region's admin does not see its plan.
         if (call.scope().path != "/")
           return errorResponse(
               Status::forbidden("保留策略仅限全局管理员 (retention is for admins of the whole "
                                 "installation)"));
         if (!services.retention)
           return errorResponse(Status::notFound("保留策略未启用 (retention is not running)"));
         auto plan = services.retention->plan();
         if (!plan) return errorResponse(plan.status());
         Status audited = services.audit.record(auditEntry(call, "read", "retention", ""));
         if (!audited) return errorResponse(audited);
         return jsonResponse(200, retention::planJson(services.retention->policy(), *plan,
                                                      services.options.utc_offset_minutes));
       }});
}

}  // namespace anju::api
