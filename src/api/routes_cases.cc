// The citizens' case loop over HTTP: intake, the queue, the case page and its actions, similar
// cases and attachments. The rules live in cases/; this file checks the request's shape.
#include <algorithm>
#include <memory>

#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"
#include "cases/case_service.h"
#include "common/crypto.h"
#include "common/json_fields.h"
#include "domain/phone.h"

namespace anju::api {

using nlohmann::json;

namespace {

// Tells the live stream that a case changed: a summary without reporters or text, since the
// stream reaches every case worker of the region, not only those the case is assigned to.
void publishCase(Services& services, const json& body) {
  if (!services.notices || !body.contains("id")) return;
  std::string region_path = "/";
  Status st = services.db.read([&](store::Connection& c) -> Status {
    auto row = c.query("SELECT region_path FROM cases WHERE id = ?", {body["id"].get<int64_t>()});
    if (!row) return row.status();
    if (!row->empty()) region_path = row->scalarText().value_or("/");
    return {};
  });
  if (!st) return;
  json summary = json::object();
  for (const char* field : {"id", "status", "category", "category_name", "level", "route",
                            "estate_id", "region_id", "due_at", "overdue", "lead", "updated_at"}) {
    if (body.contains(field)) summary[field] = body[field];
  }
  if (body.contains("history") && !body["history"].empty()) {
    summary["last_action"] = body["history"].back().value("action", "");
  }
  services.notices->publish({"case", region_path, std::move(summary)});
}

const std::vector<std::string> kCaseRaisers = {"resident", "grid_worker", "mediator",
                                               "police",   "department",  "admin"};
const std::vector<std::string> kAttachmentTypes = {"image/jpeg",      "image/png",  "image/webp",
                                                   "application/pdf", "audio/mpeg", "video/mp4"};

Result<std::optional<int64_t>> optionalId(const json& body, const std::string& name) {
  if (!body.contains(name) || body[name].is_null()) return std::optional<int64_t>();
  if (!body[name].is_number_integer() || body[name].get<int64_t>() <= 0)
    return Status::invalid(name, name + " must be a positive integer");
  return std::optional<int64_t>(body[name].get<int64_t>());
}

Result<std::optional<double>> coordinate(const json& body, const std::string& name, double limit) {
  if (!body.contains(name) || body[name].is_null()) return std::optional<double>();
  if (!body[name].is_number() || std::abs(body[name].get<double>()) > limit)
    return Status::invalid(name, name + " must be a number from -" + std::to_string(int(limit)) +
                                     " to " + std::to_string(int(limit)));
  return std::optional<double>(body[name].get<double>());
}

Result<cases::NewCase> newCase(const json& body) {
  cases::NewCase c;
  auto channel = textField(body, "channel", true, 32);
  if (!channel) return channel.status();
  const auto& known = cases::channels();
  if (std::find(known.begin(), known.end(), *channel) == known.end()) {
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    return Status::invalid("channel", "未知渠道 (channel must be one of " + list + ")");
  }
  c.channel = *channel;
  auto category = textField(body, "category", true, 64);
  if (!category) return category.status();
  c.category = *category;
  auto description = textField(body, "description", true, cases::CaseService::kMaxDescription);
  if (!description) return description.status();
  c.description = *description;
  auto address = textField(body, "address", false, 200);
  if (!address) return address.status();
  c.address = *address;
  auto estate = optionalId(body, "estate_id");
  if (!estate) return estate.status();
  c.estate_id = *estate;
  auto region = optionalId(body, "region_id");
  if (!region) return region.status();
  c.region_id = *region;
  auto lat = coordinate(body, "lat", 90);
  if (!lat) return lat.status();
  auto lon = coordinate(body, "lon", 180);
  if (!lon) return lon.status();
  c.lat = *lat;
  c.lon = *lon;
  if (body.contains("anonymous") && !body["anonymous"].is_null()) {
    if (!body["anonymous"].is_boolean())
      return Status::invalid("anonymous", "anonymous must be true or false");
    c.anonymous = body["anonymous"].get<bool>();
  }
  if (body.contains("reporter") && !body["reporter"].is_null()) {
    const json& r = body["reporter"];
    if (!r.is_object()) return Status::invalid("reporter", "reporter must be an object");
    auto name = textField(r, "name", false, 64);
    if (!name) return Status::invalid("reporter.name", name.status().message());
    auto phone = textField(r, "phone", false, 32);
    if (!phone) return Status::invalid("reporter.phone", phone.status().message());
    cases::Reporter reporter{*name, ""};
    if (!phone->empty()) {
      auto normal = domain::normalizePhone(*phone);
      if (!normal) return Status::invalid("reporter.phone", normal.status().message());
      reporter.phone = *normal;
    }
    c.reporter = reporter;
  }
  if (body.contains("attachments") && !body["attachments"].is_null()) {
    const json& list = body["attachments"];
    if (!list.is_array() || list.size() > cases::CaseService::kMaxAttachments)
      return Status::invalid("attachments",
                             "attachments 应为至多 5 个附件的列表 (attachments "
                             "must be a list of at most 5 files)");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string field = "attachments[" + std::to_string(i) + "]";
      const json& a = list[i];
      if (!a.is_object()) return Status::invalid(field, field + " must be an object");
      auto name = textField(a, "name", false, 200);
      if (!name) return Status::invalid(field + ".name", name.status().message());
      auto type = textField(a, "content_type", true, 64);
      if (!type) return Status::invalid(field + ".content_type", type.status().message());
      if (std::find(kAttachmentTypes.begin(), kAttachmentTypes.end(), *type) ==
          kAttachmentTypes.end())
        return Status::invalid(field + ".content_type",
                               "不支持的附件类型 (content_type must be a photo, PDF, MP3 or MP4)");
      if (!a.contains("data") || !a["data"].is_string())
        return Status::invalid(field + ".data", "data 应为 base64 文本 (data must be base64 text)");
      auto bytes = crypto::base64Decode(a["data"].get<std::string>());
      if (!bytes || bytes->empty())
        return Status::invalid(field + ".data", "data 不是有效的 base64 (data is not base64)");
      if (bytes->size() > cases::CaseService::kMaxAttachmentBytes)
        return Status{Code::kTooLarge, "附件超过 5 MiB (an attachment may hold at most 5 MiB)",
                      field + ".data"};
      c.attachments.push_back({*name, *type, std::move(*bytes)});
    }
  }
  return c;
}

Result<std::optional<std::string>> choiceParam(const Call& call, const std::string& name,
                                               const std::vector<std::string>& choices) {
  if (!call.request.hasQueryParam(name)) return std::optional<std::string>();
  std::string v = call.request.queryParam(name);
  if (!choices.empty() && std::find(choices.begin(), choices.end(), v) == choices.end())
    return Status::invalid(name, "未知的 " + name + " 值 (unknown " + name + " " + v + ")");
  return std::optional<std::string>(v);
}

Result<std::optional<bool>> boolParam(const Call& call, const std::string& name) {
  if (!call.request.hasQueryParam(name)) return std::optional<bool>();
  std::string v = call.request.queryParam(name);
  if (v == "true" || v == "1") return std::optional<bool>(true);
  if (v == "false" || v == "0") return std::optional<bool>(false);
  return Status::invalid(name, name + " must be true or false");
}

Result<cases::CaseFilter> caseFilter(const Call& call, int utc_offset_minutes) {
  cases::CaseFilter f;
  auto status = choiceParam(call, "status", cases::statusNames());
  if (!status) return status.status();
  f.status = *status;
  auto category = choiceParam(call, "category", {});
  if (!category) return category.status();
  f.category = *category;
  auto level = choiceParam(call, "level", cases::levelNames());
  if (!level) return level.status();
  f.level = *level;
  auto channel = choiceParam(call, "channel", cases::channels());
  if (!channel) return channel.status();
  f.channel = *channel;
  auto route = choiceParam(
      call, "route",
      {"people_mediation", "administrative_mediation", "court_mediation", "department"});
  if (!route) return route.status();
  f.route = *route;
  for (auto [name, target] :
       {std::pair{"estate_id", &f.estate_id}, std::pair{"region_id", &f.region_id},
        std::pair{"department_id", &f.department_id}}) {
    auto id = idParam(call, name);
    if (!id) return id.status();
    *target = *id;
  }
  auto overdue = boolParam(call, "overdue");
  if (!overdue) return overdue.status();
  f.overdue = *overdue;
  // open=true: cases still being worked (before resolution), the console's default queue.
  auto open = boolParam(call, "open");
  if (!open) return open.status();
  if (*open) f.finished = !**open;
  auto mine = boolParam(call, "mine");
  if (!mine) return mine.status();
  f.mine = mine->value_or(false);
  f.text = call.request.queryParam("q");
  if (call.request.hasQueryParam("from") || call.request.hasQueryParam("to")) {
    int64_t from = 0, to = 0;
    ANJU_RETURN_IF_ERROR(timeRange(call, utc_offset_minutes, from, to));
    f.from_ms = from;
    f.to_ms = to;
  }
  auto limit = limitParam(call, 50, 500);
  if (!limit) return limit.status();
  f.limit = *limit;
  f.cursor = call.request.queryParam("cursor");
  return f;
}

Result<int64_t> caseId(Call& call) {
  if (auto id = positiveId(call.params["id"])) return *id;
  return Status::notFound("未找到案件 (no case with id " + call.params["id"] + ")");
}

}  // namespace

void addCaseRoutes(Router& router, Services& services) {
  auto service = std::make_shared<cases::CaseService>(services.db, services.blobs, services.clock,
                                                      services.options.cases,
                                                      services.options.utc_offset_minutes);

  router.add(
      {.method = "GET",
       .pattern = "/api/v1/cases/categories",
       .summary = "The categories a case can be filed under",
       .tag = "cases",
       .list = true,
       .handler = [&services](Call&) {
         json items = json::array();
         Status s = services.db.read([&](store::Connection& c) -> Status {
           auto rows = c.query("SELECT id, name, resolve_days FROM case_categories ORDER BY rowid");
           if (!rows) return rows.status();
           for (const auto& r : rows->rows)
             items.push_back({{"id", store::asText(r[0])},
                              {"name", store::asText(r[1])},
                              {"resolve_days",
                               store::isNull(r[2]) ? json(nullptr) : json(store::asInt(r[2]))}});
           return {};
         });
         ANJU_RETURN_IF_ERROR_RESPONSE(s);
         return jsonResponse(200, {{"items", items}, {"next", nullptr}});
       }});

  router.add(
      {.method = "POST",
       .pattern = "/api/v1/cases",
       .summary = "Raise a case (群众说事) through any channel; similar open cases are shown",
       .tag = "cases",
       .roles = kCaseRaisers,
       .handler = [&services, service](Call& call) {
         auto body = parseJsonObject(call.request, services.options.max_json_depth);
         if (!body) return errorResponse(body.status());
         auto request = newCase(*body);
         if (!request) return errorResponse(request.status());
         auto created = service->create(*call.user, *request);
         if (!created) return errorResponse(created.status());
         json out = std::move(created->body);
         publishCase(services, out);
         out["possible_duplicates"] = created->possible_duplicates;
         return jsonResponse(201, out);
       }});

  router.add({.method = "GET",
              .pattern = "/api/v1/cases",
              .summary = "Cases in your scope (a resident's own), oldest first, with filters",
              .tag = "cases",
              .list = true,
              .query = {"status", "category", "level", "channel", "route", "estate_id", "region_id",
                        "department_id", "overdue", "open", "mine", "q", "from", "to"},
              .handler = [&services, service](Call& call) {
                auto filter = caseFilter(call, services.options.utc_offset_minutes);
                if (!filter) return errorResponse(filter.status());
                auto page = service->list(*call.user, *filter);
                if (!page) return errorResponse(page.status());
                return jsonResponse(200, {{"items", page->items},
                                          {"next", page->next ? json(*page->next) : json()}});
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/cases/{id}",
              .summary = "A case with its reporters, assignment, deadlines, history and the "
                         "actions you may take (staff reads are audited)",
              .tag = "cases",
              .handler = [&services, service](Call& call) {
                auto id = caseId(call);
                if (!id) return errorResponse(id.status());
                auto body = service->get(*call.user, *id);
                if (!body) return errorResponse(body.status());
                if (cases::worksCases(*call.user))
                  ANJU_RETURN_IF_ERROR_RESPONSE(services.audit.record(
                      auditEntry(call, "read", "cases", std::to_string(*id))));
                return jsonResponse(200, *body);
              }});

  router.add({.method = "POST",
              .pattern = "/api/v1/cases/{id}/actions",
              .summary = "Take one step of the loop: accept, triage, assign, start, report, "
                         "resolve, feedback, rate, close, escalate, return, reopen, merge",
              .tag = "cases",
              .handler = [&services, service](Call& call) {
                auto id = caseId(call);
                if (!id) return errorResponse(id.status());
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                auto acted = service->act(*call.user, *id, *body);
                if (acted) {
                  publishCase(services, *acted);
                  return jsonResponse(200, *acted);
                }
                const Status& refused = acted.status();
                if (refused.code() != Code::kConflict && refused.code() != Code::kForbidden)
                  return errorResponse(refused);
                // A refused step says what the caller may do instead (when they may see the case
                // at all).
                auto allowed = service->allowedFor(*call.user, *id);
                if (!allowed) return errorResponse(refused);
                return errorResponse(refused, {{"allowed", *allowed}});
              }});

  router.add({.method = "POST",
              .pattern = "/api/v1/hazards/{id}/case",
              .summary = "Take a hazard into the case loop in one step ({\"category\"?}, default "
                         "safety)",
              .tag = "cases",
              .roles = {"grid_worker", "mediator", "police", "admin"},
              .handler = [&services, service](Call& call) {
                auto id = positiveId(call.params["id"]);
                if (!id) return errorResponse(Status::notFound("未找到隐患 (no such hazard)"));
                json body = json::object();
                if (!call.request.body.empty()) {
                  auto parsed = parseJsonObject(call.request, services.options.max_json_depth);
                  if (!parsed) return errorResponse(parsed.status());
                  body = std::move(*parsed);
                }
                auto category = textField(body, "category", false, 64);
                if (!category) return errorResponse(category.status());
                auto created = service->createFromHazard(*call.user, *id,
                                                         category->empty() ? "safety" : *category);
                if (!created) return errorResponse(created.status());
                json out = std::move(created->body);
                out["possible_duplicates"] = created->possible_duplicates;
                return jsonResponse(201, out);
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/cases/{id}/duplicates",
              .summary = "Open cases like this one (same category and place, similar text)",
              .tag = "cases",
              .roles = {"grid_worker", "mediator", "police", "department", "admin"},
              .list = true,
              .handler = [service](Call& call) {
                auto id = caseId(call);
                if (!id) return errorResponse(id.status());
                auto items = service->duplicatesOf(*call.user, *id);
                if (!items) return errorResponse(items.status());
                return jsonResponse(200, {{"items", *items}, {"next", nullptr}});
              }});

  router.add(
      {.method = "GET",
       .pattern = "/api/v1/cases/{id}/attachments/{sha256}",
       .summary = "An attachment of a case, for whoever may see the case (audited)",
       .tag = "cases",
       .handler = [&services, service](Call& call) {
         auto id = caseId(call);
         if (!id) return errorResponse(id.status());
         auto file = service->attachment(*call.user, *id, call.params["sha256"]);
         if (!file) return errorResponse(file.status());
         ANJU_RETURN_IF_ERROR_RESPONSE(services.audit.record(auditEntry(
             call, "read", "case_attachments", std::to_string(*id) + "/" + call.params["sha256"])));
         http::Response response;
         response.content_type = file->second;
         response.body = std::move(file->first);
         response.headers.emplace_back("Cache-Control", "private, max-age=86400");
         return response;
       }});
}

}  // namespace anju::api
