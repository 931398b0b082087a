// The audit log, for admins: newest first, filtered by time, user, object and action.
#include "api/responses.h"
#include "api/routes.h"

namespace anju::api {

using nlohmann::json;

void addAuditRoutes(Router& router, Services& services) {
  router.add({.method = "GET",
              .pattern = "/api/v1/audit",
              .summary = "Query the audit log",
              .tag = "audit",
              .roles = {"admin"},
              .list = true,
              .query = {"from", "to", "user", "object", "action"},
              .handler = [&services](Call& call) {
                store::AuditQuery q;
                for (const char* bound : {"from", "to"}) {
                  std::string text = call.request.queryParam(bound);
                  if (text.empty()) continue;
                  auto ms = parseTimestamp(text, services.options.utc_offset_minutes);
                  if (!ms)
                    return errorResponse(Status::invalid(
                        bound, std::string(bound) + " must be an ISO 8601 time or date"));
                  (std::string_view(bound) == "from" ? q.from_ms : q.to_ms) = *ms;
                }
                q.user = call.request.queryParam("user");
                q.object = call.request.queryParam("object");
                q.action = call.request.queryParam("action");
                auto paging = listQuery(call, {});
                if (!paging) return errorResponse(paging.status());
                q.cursor = paging->cursor;
                if (call.request.hasQueryParam("limit")) q.limit = paging->limit;
                auto page = services.audit.query(q);
                if (!page) return errorResponse(page.status());
                // Reading the audit log is itself audited: it names people and their searches.
                Status audited = services.audit.record(auditEntry(call, "list", "audit", ""));
                if (!audited) return errorResponse(audited);
                return jsonResponse(200,
                                    {{"items", page->items},
                                     {"next", page->next ? json(*page->next) : json(nullptr)}});
              }});
}

}  // namespace anju::api
