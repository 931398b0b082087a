// Mediation records over HTTP: mediators write them on a case, governance staff in scope read
// them. The rules live in mediation/; this file checks who is asking, maps JSON, masks the
// parties' phones for roles without a need to know them and audits every full read.
#include <memory>

#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"
#include "common/json_fields.h"
#include "domain/mask.h"
#include "mediation/mediation_records.h"

namespace anju::api {

using nlohmann::json;

namespace {

// Writers answer with the record as written, phones in full: both roles may read them.
const std::vector<std::string> kWriters = {"mediator", "admin"};
// Security and property staff are left out: property management is itself a party to many of
// these disputes.
const std::vector<std::string> kReaders = {"police", "grid_worker", "mediator", "department",
                                           "admin"};

struct MediationContext {
  Services& services;
  mediation::MediationRecords records;

  explicit MediationContext(Services& s)
      : services(s), records(s.db, s.clock, s.options.utc_offset_minutes) {}
};

Result<int64_t> pathId(Call& call) {
  if (auto id = positiveId(call.params["id"])) return *id;
  return Status::notFound("没有这条记录 (no object with id " + call.params["id"] + ")");
}

Result<mediation::NewMediation> newMediation(const json& body) {
  mediation::NewMediation record;
  auto mediator = textField(body, "mediator", true, 8000);
  if (!mediator) return mediator.status();
  auto kind = textField(body, "kind", false, 8000);
  if (!kind) return kind.status();
  record.mediator = *mediator;
  record.kind = *kind;
  if (!body.contains("parties") || body["parties"].is_null())
    return Status::invalid("parties", "缺少字段 parties (parties is required)");
  if (!body["parties"].is_array())
    return Status::invalid("parties", "parties 应为数组 (parties must be an array)");
  for (std::size_t i = 0; i < body["parties"].size(); ++i) {
    const json& p = body["parties"][i];
    const std::string at = "parties[" + std::to_string(i) + "]";
    if (!p.is_object()) return Status::invalid(at, at + " 应为对象 (" + at + " must be an object)");
    auto name = textField(p, "name", true, 200, at + ".name");
    auto role = textField(p, "role", true, 200, at + ".role");
    auto phone = textField(p, "phone", false, 200, at + ".phone");
    for (const Status& s : {name.status(), role.status(), phone.status()}) {
      if (!s) return s;
    }
    record.parties.push_back({*name, *role, *phone});
  }
  return record;
}

bool seesPhones(const Call& call) {
  return call.user->hasRole("mediator") || call.user->hasRole("admin");
}

void maskPhones(json& record) {
  for (auto& party : record["parties"]) {
    if (party["phone"].is_string())
      party["phone"] = domain::maskPhone(party["phone"].get<std::string>());
  }
}

// A read of one record, or of a list page's items, as the caller may see them: phones in full
// are audited first (a read that cannot be audited is refused), masked otherwise.
http::Response presentRead(MediationContext& ctx, const Call& call, json body,
                           const store::AuditEntry& entry) {
  if (seesPhones(call)) {
    Status audited = ctx.services.audit.record(entry);
    if (!audited) return errorResponse(audited);
  } else if (body.contains("items")) {
    for (auto& item : body["items"]) maskPhones(item);
  } else {
    maskPhones(body);
  }
  return jsonResponse(200, body);
}

}  // namespace

void addMediationRoutes(Router& router, Services& services) {
  auto ctx = std::make_shared<MediationContext>(services);

  router.add({.method = "POST",
              .pattern = "/api/v1/cases/{id}/mediations",
              .summary = "Open a mediation record (调解记录) on a case: mediator, parties, kind",
              .tag = "mediation",
              .roles = kWriters,
              .handler = [ctx](Call& call) {
                const auto case_id = positiveId(call.params["id"]);
                if (!case_id)
                  return errorResponse(
                      Status::notFound("没有这个案件 (no case " + call.params["id"] + ")"));
                auto body = parseJsonObject(call.request, ctx->services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                auto record = newMediation(*body);
                if (!record) return errorResponse(record.status());
                auto created =
                    ctx->records.create(*case_id, *record, call.scope(), call.user->username);
                if (!created) return errorResponse(created.status());
                return jsonResponse(201, *created);
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/mediations",
              .summary = "Mediation records of cases in the caller's scope, oldest first",
              .tag = "mediation",
              .roles = kReaders,
              .list = true,
              .query = {"case_id", "status"},
              .handler = [ctx](Call& call) {
                auto query = listQuery(call, {"case_id", "status", "purpose"});
                if (!query) return errorResponse(query.status());
                if (!query->filters.empty())
                  return errorResponse(Status::invalid(
                      query->filters[0].first,
                      "未知筛选条件 (unknown filter " + query->filters[0].first + ")"));
                auto case_id = idParam(call, "case_id");
                if (!case_id) return errorResponse(case_id.status());
                auto page = ctx->records.list({.case_id = *case_id,
                                               .status = call.request.queryParam("status"),
                                               .cursor = query->cursor,
                                               .limit = query->limit},
                                              call.scope());
                if (!page) return errorResponse(page.status());
                auto entry = auditEntry(call, "list", "mediations", "");
                for (const char* name : {"case_id", "status"}) {
                  const std::string value = call.request.queryParam(name);
                  if (value.empty()) continue;
                  entry.detail +=
                      (entry.detail.empty() ? "" : "&") + std::string(name) + "=" + value;
                }
                return presentRead(*ctx, call,
                                   {{"items", page->items},
                                    {"next", page->next ? json(*page->next) : json(nullptr)}},
                                   entry);
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/mediations/{id}",
              .summary = "One mediation record with its parties, sessions, outcome and judicial "
                         "confirmation",
              .tag = "mediation",
              .roles = kReaders,
              .handler = [ctx](Call& call) {
                auto id = pathId(call);
                if (!id) return errorResponse(id.status());
                auto record = ctx->records.get(*id, call.scope());
                if (!record) return errorResponse(record.status());
                return presentRead(*ctx, call, std::move(*record),
                                   auditEntry(call, "read", "mediations", std::to_string(*id)));
              }});

  router.add({.method = "POST",
              .pattern = "/api/v1/mediations/{id}/sessions",
              .summary = "Record a mediation session (调解会): when, where, notes",
              .tag = "mediation",
              .roles = kWriters,
              .handler = [ctx](Call& call) {
                auto id = pathId(call);
                if (!id) return errorResponse(id.status());
                auto body = parseJsonObject(call.request, ctx->services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                auto held_at = textField(*body, "held_at", true, 8000);
                auto place = textField(*body, "place", false, 8000);
                auto notes = textField(*body, "notes", false, 8000);
                for (const Status& s : {held_at.status(), place.status(), notes.status()}) {
                  if (!s) return errorResponse(s);
                }
                auto held = parseTimestamp(*held_at, ctx->services.options.utc_offset_minutes);
                if (!held)
                  return errorResponse(Status::invalid(
                      "held_at", "held_at 应为 ISO 8601 时间 (held_at must be an ISO 8601 time)"));
                auto changed = ctx->records.addSession(
                    *id, {.held_at = *held, .place = *place, .notes = *notes}, call.scope(),
                    call.user->username);
                if (!changed) return errorResponse(changed.status());
                return jsonResponse(201, *changed);
              }});

  router.add({.method = "POST",
              .pattern = "/api/v1/mediations/{id}/outcome",
              .summary = "Conclude a mediation: agreed (with the agreement), failed or withdrawn",
              .tag = "mediation",
              .roles = kWriters,
              .handler = [ctx](Call& call) {
                auto id = pathId(call);
                if (!id) return errorResponse(id.status());
                auto body = parseJsonObject(call.request, ctx->services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                auto outcome = textField(*body, "outcome", true, 8000);
                auto agreement = textField(*body, "agreement", false, 8000);
                for (const Status& s : {outcome.status(), agreement.status()}) {
                  if (!s) return errorResponse(s);
                }
                auto changed =
                    ctx->records.conclude(*id, {.outcome = *outcome, .agreement = *agreement},
                                          call.scope(), call.user->username);
                if (!changed) return errorResponse(changed.status());
                return jsonResponse(200, *changed);
              }});

  router.add(
      {.method = "POST",
       .pattern = "/api/v1/mediations/{id}/confirmation",
       .summary = "Judicial confirmation (司法确认) of an agreement: request it from a court, "
                  "then record the court's grant (reference) or refusal (reason)",
       .tag = "mediation",
       .roles = kWriters,
       .handler = [ctx](Call& call) {
         auto id = pathId(call);
         if (!id) return errorResponse(id.status());
         auto body = parseJsonObject(call.request, ctx->services.options.max_json_depth);
         if (!body) return errorResponse(body.status());
         auto action = textField(*body, "action", true, 8000);
         auto court = textField(*body, "court", false, 8000);
         auto reference = textField(*body, "reference", false, 8000);
         auto reason = textField(*body, "reason", false, 8000);
         for (const Status& s :
              {action.status(), court.status(), reference.status(), reason.status()}) {
           if (!s) return errorResponse(s);
         }
         auto changed = ctx->records.confirm(
             *id, {.action = *action, .court = *court, .reference = *reference, .reason = *reason},
             call.scope(), call.user->username);
         if (!changed) return errorResponse(changed.status());
         return jsonResponse(200, *changed);
       }});
}

}  // namespace anju::api
