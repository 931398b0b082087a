// The registry's endpoints, one set per entity: create, list with filters, read, update, delete,
// and export to CSV. Personal data is masked for roles without need and every read of it audited.
#include <sstream>

#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"
#include "domain/roles.h"
#include "importer/import.h"

namespace anju::api {

using domain::EntitySpec;
using nlohmann::json;

namespace {

std::string filterSummary(const store::ListQuery& q) {
  std::string out;
  for (const auto& [k, v] : q.filters) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

// Reading personal data is refused when it cannot be audited.
Status auditRead(Services& services, const Call& call, const EntitySpec& spec,
                 const std::string& action, const std::string& object_id,
                 const std::string& detail = {}) {
  if (!spec.personal_data) return {};
  auto entry = auditEntry(call, action, spec.name, object_id);
  entry.detail = detail;
  return services.audit.record(entry);
}

void present(const Call& call, const EntitySpec& spec, json& record) {
  if (!domain::mayReadPersonalData(call.user->roles)) domain::maskPersonalFields(spec, record);
}

}  // namespace

void addRegistryRoutes(Router& router, Services& services) {
  for (const EntitySpec& spec : domain::registry()) {
    const EntitySpec* s = &spec;
    const std::string base = "/api/v1/" + spec.name;
    const std::string schema = spec.name;
    std::vector<std::string> filter_params;
    for (const auto& f : spec.filters) filter_params.push_back(f.param);

    router.add({.method = "POST",
                .pattern = base,
                .summary = "Create " + spec.label + " (" + spec.name + ")",
                .tag = spec.name,
                .roles = spec.write_roles,
                .request_schema = schema,
                .response_schema = schema,
                .handler = [&services, s](Call& call) {
                  auto body = parseJsonObject(call.request, services.options.max_json_depth);
                  if (!body) return errorResponse(body.status());
                  auto fields =
                      domain::validateFields(*s, *body, true, services.options.utc_offset_minutes);
                  if (!fields) return errorResponse(fields.status());
                  auto created = services.records.create(*s, *fields, call.scope());
                  if (!created) return errorResponse(created.status());
                  return jsonResponse(201, *created);
                }});

    router.add({.method = "GET",
                .pattern = base,
                .summary = "List " + spec.label + " (" + spec.name + ")",
                .tag = spec.name,
                .roles = spec.read_roles,
                .response_schema = schema,
                .list = true,
                .query = filter_params,
                .handler = [&services, s](Call& call) {
                  auto query = listQuery(call, {"purpose"});
                  if (!query) return errorResponse(query.status());
                  auto page = services.records.list(*s, *query, call.scope());
                  if (!page) return errorResponse(page.status());
                  Status audited = auditRead(services, call, *s, "list", "", filterSummary(*query));
                  if (!audited) return errorResponse(audited);
                  json items = json::array();
                  for (auto& item : page->items) {
                    present(call, *s, item);
                    items.push_back(std::move(item));
                  }
                  return jsonResponse(
                      200,
                      {{"items", items}, {"next", page->next ? json(*page->next) : json(nullptr)}});
                }});

    router.add({.method = "GET",
                .pattern = base + "/export",
                .summary = "Export " + spec.label + " (" + spec.name +
                           ") to CSV; takes the list filters and a purpose",
                .tag = spec.name,
                .roles = spec.read_roles,
                .query = filter_params,
                .handler = [&services, s](Call& call) {
                  if (s->personal_data && call.purpose().empty()) {
                    return errorResponse(Status::invalid(
                        "purpose", "导出个人信息须说明用途 (state the purpose of this export)"));
                  }
                  auto query = listQuery(call, {"purpose"});
                  if (!query) return errorResponse(query.status());
                  std::ostringstream out;
                  importer::ExportOptions options{
                      .query = *query,
                      .scope = call.scope(),
                      .mask_personal = !domain::mayReadPersonalData(call.user->roles)};
                  auto count = importer::exportCsv(services.records, *s, out, options);
                  if (!count) return errorResponse(count.status());
                  auto entry = auditEntry(call, "export", s->name, "");
                  entry.detail = filterSummary(*query) + (query->filters.empty() ? "" : " ") +
                                 "rows=" + std::to_string(*count);
                  Status audited = services.audit.record(entry);
                  if (!audited) return errorResponse(audited);
                  http::Response r;
                  r.content_type = "text/csv; charset=utf-8";
                  r.body = out.str();
                  r.headers.emplace_back("Content-Disposition",
                                         "attachment; filename=\"" + s->name + ".csv\"");
                  return r;
                }});

    router.add({.method = "GET",
                .pattern = base + "/{id}",
                .summary = "Read one " + spec.label + " (" + spec.name + ")",
                .tag = spec.name,
                .roles = spec.read_roles,
                .response_schema = schema,
                .handler = [&services, s](Call& call) {
                  auto record = services.records.get(*s, call.params["id"], call.scope());
                  if (!record) return errorResponse(record.status());
                  Status audited = auditRead(services, call, *s, "read", call.params["id"]);
                  if (!audited) return errorResponse(audited);
                  present(call, *s, *record);
                  return jsonResponse(200, *record);
                }});

    router.add({.method = "PATCH",
                .pattern = base + "/{id}",
                .summary = "Change fields of one " + spec.label,
                .tag = spec.name,
                .roles = spec.write_roles,
                .request_schema = schema,
                .response_schema = schema,
                .handler = [&services, s](Call& call) {
                  auto body = parseJsonObject(call.request, services.options.max_json_depth);
                  if (!body) return errorResponse(body.status());
                  auto fields =
                      domain::validateFields(*s, *body, false, services.options.utc_offset_minutes);
                  if (!fields) return errorResponse(fields.status());
                  auto updated =
                      services.records.update(*s, call.params["id"], *fields, call.scope());
                  if (!updated) return errorResponse(updated.status());
                  present(call, *s, *updated);
                  return jsonResponse(200, *updated);
                }});

    router.add({.method = "DELETE",
                .pattern = base + "/{id}",
                .summary = "Delete one " + spec.label,
                .tag = spec.name,
                .roles = spec.write_roles,
                .handler = [&services, s](Call& call) {
                  Status removed = services.records.remove(*s, call.params["id"], call.scope());
                  if (!removed) return errorResponse(removed);
                  return jsonResponse(200, {{"deleted", true}});
                }});
  }
}

}  // namespace anju::api
