// CSV import over HTTP: the body is the file; the answer lists every bad row with its line.
#include <sstream>

#include "api/import_progress.h"
#include "api/responses.h"
#include "api/routes.h"
#include "common/utf8.h"
#include "importer/import.h"

namespace anju::api {

using nlohmann::json;

void addImportRoutes(Router& router, Services& services) {
  router.add(
      {.method = "POST",
       .pattern = "/api/v1/import/{entity}",
       .summary = "Import a CSV file of persons, rooms, vehicles or any registry list; "
                  "?partial=true keeps the good rows",
       .tag = "import",
       .roles = {"grid_worker", "police", "security", "admin"},
       .query = {"partial", "progress"},
       .handler = [&services](Call& call) {
         const domain::EntitySpec* spec = domain::findEntity(call.params["entity"]);
         if (!spec)
           return errorResponse(
               Status::notFound("无法导入 " + call.params["entity"] + " (unknown list)", "entity"));
         bool may_write = call.user->hasRole("admin");
         for (const auto& role : spec->write_roles)
           may_write = may_write || call.user->hasRole(role);
         if (!may_write)
           return errorResponse(
               Status::forbidden("您的角色无权导入此类数据 (your role may not import this list)"));
         std::string partial = call.request.queryParam("partial");
         if (!partial.empty() && partial != "true" && partial != "false") {
           return errorResponse(Status::invalid("partial", "partial must be true or false"));
         }
         auto progress =
             services.imports->begin(call.request.queryParam("progress"), call.user->id);
         if (!progress) return errorResponse(progress.status());
         std::istringstream in(call.request.body);
         importer::ImportOptions options{.partial = partial == "true",
                                         .scope = call.scope(),
                                         .utc_offset_minutes = services.options.utc_offset_minutes,
                                         .max_errors = services.options.import_max_errors};
         if (auto update = progress->callback(); update && !call.request.body.empty()) {
           const auto size = static_cast<double>(call.request.body.size());
           options.progress = [update, size](uint64_t bytes) { update(bytes / size); };
         }
         auto report = importer::importCsv(services.records, *spec, in, options);
         if (!report) return errorResponse(report.status());
         progress->finish(report->committed);
         auto entry = auditEntry(call, "import", spec->name, "");
         entry.detail = "rows=" + std::to_string(report->rows) +
                        " imported=" + std::to_string(report->imported);
         Status audited = services.audit.record(entry);
         if (!audited) return errorResponse(audited);
         json errors = json::array();
         for (const auto& e : report->errors) {
           errors.push_back({{"line", e.line}, {"field", e.field}, {"message", e.message}});
         }
         json body = {{"rows", report->rows},     {"imported", report->imported},
                      {"failed", report->failed}, {"committed", report->committed},
                      {"errors", errors},         {"ignored_columns", report->ignored_columns}};
         if (!report->committed) {
           const auto& first = report->errors.front();
           body["error"] = {
               {"code", "invalid_rows"},
               {"message", std::to_string(report->failed) + " 行有误，未导入任何数据 (" +
                               std::to_string(report->failed) + " bad rows; nothing was imported)"},
               {"field", "line " + std::to_string(first.line) +
                             (first.field.empty() ? "" : ": " + first.field)}};
           return jsonResponse(400, body);
         }
         return jsonResponse(200, body);
       }});

  router.add(
      {.method = "GET",
       .pattern = "/api/v1/imports/{id}",
       .summary = "How far an import started with ?progress={id} has got (its own user only)",
       .tag = "import",
       .handler = [&services](Call& call) {
         auto state = services.imports->get(call.params["id"], call.user->id);
         if (!state) {
           return errorResponse(
               Status::notFound("没有这个导入 (no import with this progress id)", "id"));
         }
         json body = {{"state", state->running ? "running" : "ended"},
                      {"fraction", state->fraction}};
         if (!state->running) body["committed"] = state->committed;
         return jsonResponse(200, body);
       }});
}

}  // namespace anju::api
