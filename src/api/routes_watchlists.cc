// Watchlists (布控) over HTTP: lists of persons or vehicles with their entries, added one by one
// or imported from CSV. Only police and administrators keep them; entries hold identity numbers,
// so reading them is audited.
#include "alerts/watchlists.h"
#include "api/import_progress.h"
#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"

namespace anju::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kWatchKeepers = {"police", "admin"};

Result<int64_t> listId(Call& call) {
  if (auto id = positiveId(call.params["id"])) return *id;
  return Status::notFound("没有这个布控名单 (no watchlist " + call.params["id"] + ")", "id");
}

// The list when it lies inside the caller's region; others are not found.
Result<int64_t> listInScope(Services& services, Call& call) {
  auto id = listId(call);
  if (!id) return id.status();
  auto region = services.watchlists->regionOf(*id);
  if (!region) return region.status();
  if (!call.scope().contains(*region)) {
    return Status::notFound("没有这个布控名单 (no such watchlist)", "id");
  }
  return *id;
}

void changed(Services& services) {
  if (services.alert_engine) services.alert_engine->invalidate();
}

void addListRoutes(Router& router, Services& services) {
  router.add({.method = "GET",
              .pattern = "/api/v1/watchlists",
              .summary = "Watchlists that concern the caller's region",
              .tag = "watchlists",
              .roles = kWatchKeepers,
              .handler = [&services](Call& call) {
                auto lists = services.watchlists->list(call.scope());
                if (!lists) return errorResponse(lists.status());
                return jsonResponse(200, {{"items", *lists}});
              }});
  router.add({.method = "POST",
              .pattern = "/api/v1/watchlists",
              .summary = "Create a watchlist: {name, kind person|vehicle, reason, requested_by, "
                         "region_id, valid_from, valid_to, level, threshold}",
              .tag = "watchlists",
              .roles = kWatchKeepers,
              .handler = [&services](Call& call) {
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                auto region = bodyRegion(services, call, *body);
                if (!region) return errorResponse(region.status());
                auto list = services.watchlists->create(*body, *region, call.user->username);
                if (!list) return errorResponse(list.status());
                changed(services);
                return jsonResponse(201, *list);
              }});
  router.add({.method = "GET",
              .pattern = "/api/v1/watchlists/{id}",
              .summary = "One watchlist",
              .tag = "watchlists",
              .roles = kWatchKeepers,
              .handler = [&services](Call& call) {
                auto id = listInScope(services, call);
                if (!id) return errorResponse(id.status());
                auto list = services.watchlists->get(*id);
                if (!list) return errorResponse(list.status());
                return jsonResponse(200, *list);
              }});
  router.add({.method = "PATCH",
              .pattern = "/api/v1/watchlists/{id}",
              .summary = "Change a watchlist's name, reason, validity, level or threshold",
              .tag = "watchlists",
              .roles = kWatchKeepers,
              .handler = [&services](Call& call) {
                auto id = listInScope(services, call);
                if (!id) return errorResponse(id.status());
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                for (const char* fixed : {"kind", "region_id"}) {
                  if (body->contains(fixed)) {
                    return errorResponse(
                        Status::invalid(fixed, std::string("名单的此项不能修改 (a watchlist's ") +
                                                   fixed + " cannot change)"));
                  }
                }
                auto list = services.watchlists->update(*id, *body);
                if (!list) return errorResponse(list.status());
                changed(services);
                return jsonResponse(200, *list);
              }});
  router.add({.method = "DELETE",
              .pattern = "/api/v1/watchlists/{id}",
              .summary = "Delete a watchlist (one that raised alerts ends now instead)",
              .tag = "watchlists",
              .roles = kWatchKeepers,
              .handler = [&services](Call& call) {
                auto id = listInScope(services, call);
                if (!id) return errorResponse(id.status());
                ANJU_RETURN_IF_ERROR_RESPONSE(services.watchlists->remove(*id));
                changed(services);
                return http::Response{.status = 204, .content_type = "", .body = ""};
              }});
}

void addEntryRoutes(Router& router, Services& services) {
  router.add(
      {.method = "GET",
       .pattern = "/api/v1/watchlists/{id}/entries",
       .summary = "A watchlist's entries (audited: they hold identity numbers)",
       .tag = "watchlists",
       .roles = kWatchKeepers,
       .list = true,
       .handler = [&services](Call& call) {
         auto id = listInScope(services, call);
         if (!id) return errorResponse(id.status());
         auto limit = limitParam(call, 100, 1000);
         if (!limit) return errorResponse(limit.status());
         const std::string cursor = call.request.queryParam("cursor");
         if (!cursor.empty() && !positiveId(cursor)) {
           return errorResponse(Status::invalid("cursor", "cursor 无效 (cursor is not valid)"));
         }
         auto page = services.watchlists->entries(*id, cursor, *limit);
         if (!page) return errorResponse(page.status());
         auto entry = auditEntry(call, "list", "watchlist_entries", std::to_string(*id));
         entry.detail = "count=" + std::to_string(page->first.size());
         ANJU_RETURN_IF_ERROR_RESPONSE(services.audit.record(entry));
         return jsonResponse(200, {{"items", page->first},
                                   {"next", page->second ? json(*page->second) : json(nullptr)}});
       }});
  router.add({.method = "POST",
              .pattern = "/api/v1/watchlists/{id}/entries",
              .summary = "Add a person {name, id_number, person_id, faces: [embedding...]} or a "
                         "vehicle {plate} to a watchlist, or many at once: {entries: [...]}",
              .tag = "watchlists",
              .roles = kWatchKeepers,
              .handler = [&services](Call& call) {
                auto id = listInScope(services, call);
                if (!id) return errorResponse(id.status());
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                auto entry = body->contains("entries")
                                 ? services.watchlists->addEntries(*id, (*body)["entries"])
                                 : services.watchlists->addEntry(*id, *body);
                if (!entry) return errorResponse(entry.status());
                changed(services);
                return jsonResponse(201, *entry);
              }});
  router.add({.method = "DELETE",
              .pattern = "/api/v1/watchlists/{id}/entries/{entry_id}",
              .summary = "Remove an entry from a watchlist",
              .tag = "watchlists",
              .roles = kWatchKeepers,
              .handler = [&services](Call& call) {
                auto id = listInScope(services, call);
                if (!id) return errorResponse(id.status());
                auto entry = positiveId(call.params["entry_id"]);
                if (!entry) {
                  return errorResponse(
                      Status::notFound("名单中没有此条目 (no such entry)", "entry_id"));
                }
                ANJU_RETURN_IF_ERROR_RESPONSE(services.watchlists->removeEntry(*id, *entry));
                changed(services);
                return http::Response{.status = 204, .content_type = "", .body = ""};
              }});
  router.add(
      {.method = "POST",
       .pattern = "/api/v1/watchlists/{id}/import",
       .summary = "Import entries from CSV (name, id_number or plate, note); ?partial=true keeps "
                  "the good rows",
       .tag = "watchlists",
       .roles = kWatchKeepers,
       .query = {"partial", "progress"},
       .handler = [&services](Call& call) {
         auto id = listInScope(services, call);
         if (!id) return errorResponse(id.status());
         const std::string partial = call.request.queryParam("partial");
         if (!partial.empty() && partial != "true" && partial != "false") {
           return errorResponse(Status::invalid("partial", "partial must be true or false"));
         }
         auto progress =
             services.imports->begin(call.request.queryParam("progress"), call.user->id);
         if (!progress) return errorResponse(progress.status());
         auto report = services.watchlists->importCsv(*id, call.request.body, partial == "true",
                                                      services.options.import_max_errors,
                                                      progress->callback());
         if (!report) return errorResponse(report.status());
         progress->finish(report->committed);
         auto entry = auditEntry(call, "import", "watchlist_entries", std::to_string(*id));
         entry.detail = "rows=" + std::to_string(report->rows) +
                        " imported=" + std::to_string(report->imported);
         ANJU_RETURN_IF_ERROR_RESPONSE(services.audit.record(entry));
         if (report->committed) changed(services);
         json body = {{"rows", report->rows},
                      {"imported", report->imported},
                      {"duplicates", report->duplicates},
                      {"failed", report->rows - report->imported - report->duplicates},
                      {"committed", report->committed},
                      {"errors", report->errors}};
         if (!report->committed) {
           const auto& first = report->errors.front();
           body["error"] = {
               {"code", "invalid_rows"},
               {"message", "有误的行未导入，名单未改变 (bad rows; nothing was imported)"},
               {"field", "line " + first["line"].dump() +
                             (first["field"].get<std::string>().empty()
                                  ? std::string()
                                  : ": " + first["field"].get<std::string>())}};
           return jsonResponse(400, body);
         }
         return jsonResponse(200, body);
       }});
}

}  // namespace

void addWatchlistRoutes(Router& router, Services& services) {
  Router lists;
  addListRoutes(lists, services);
  addEntryRoutes(lists, services);
  for (Route route : lists.routes()) {
    route.handler = [&services, handler = std::move(route.handler)](Call& call) {
      if (!services.watchlists) {
        return errorResponse(503, "unavailable", "布控未启用 (watchlists are not running)");
      }
      return handler(call);
    };
    router.add(std::move(route));
  }
}

}  // namespace anju::api
