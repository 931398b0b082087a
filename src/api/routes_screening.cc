// Screening (排查) over HTTP: saved questions, their runs and the findings, as JSON pages and as a
// CSV that Excel opens. Who may use which kind and what a finding shows of a person are decided
// here; the questions themselves live in screening/.
#include <cmath>
#include <cstdio>
#include <memory>

#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"
#include "common/json_fields.h"
#include "domain/mask.h"
#include "domain/roles.h"
#include "importer/csv.h"
#include "screening/screening_service.h"

namespace anju::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kUsers = {"police", "grid_worker", "admin"};
constexpr int kDefaultPage = 100;
constexpr int kMaxPage = 1000;
constexpr double kHourMs = 3'600'000.0;

struct ScreeningContext {
  Services& services;
  std::unique_ptr<screening::ScreeningService> screenings;  // null without an event store

  explicit ScreeningContext(Services& s) : services(s) {
    if (s.event_store) {
      screenings = std::make_unique<screening::ScreeningService>(s.db, *s.event_store, s.clock);
    }
  }
  int offset() const { return services.options.utc_offset_minutes; }
};

Status unavailable() {
  return Status{Code::kUnavailable, "设备事件未启用 (events are not kept on this server)"};
}

Result<int64_t> screeningId(Call& call) {
  if (auto id = positiveId(call.params["id"])) return *id;
  return Status::notFound("没有这个排查 (no screening " + call.params["id"] + ")");
}

Status checkKind(const Call& call, screening::Kind kind) {
  if (screening::mayUse(call.user->roles, kind)) return {};
  return Status::forbidden("您的角色无权使用此类排查 (your role may not use this kind)");
}

// The screening, when the caller may see it and use its kind.
Result<screening::Definition> visible(ScreeningContext& ctx, Call& call) {
  auto id = screeningId(call);
  if (!id) return id.status();
  auto d = ctx.screenings->get(*id, call.scope());
  if (!d) return d.status();
  ANJU_RETURN_IF_ERROR(checkKind(call, d->kind));
  return d;
}

json runJson(const screening::Run& run, int offset) {
  return {{"id", run.id},
          {"run_by", run.run_by},
          {"purpose", run.purpose},
          {"from", formatTimestamp(run.from, offset)},
          {"to", formatTimestamp(run.to, offset)},
          {"ran_at", formatTimestamp(run.ran_at, offset)},
          {"total", run.total}};
}

json definitionJson(const screening::Definition& d, const std::optional<screening::Run>& last,
                    int offset) {
  json out = {{"id", d.id},
              {"name", d.name},
              {"kind", screening::kindName(d.kind)},
              {"params", screening::paramsJson(d.kind, d.params)},
              {"region_id", d.region_id ? json(*d.region_id) : json(nullptr)},
              {"created_by", d.created_by},
              {"created_at", formatTimestamp(d.created_at, offset)},
              {"updated_at", formatTimestamp(d.updated_at, offset)}};
  if (last) out["last_run"] = runJson(*last, offset);
  return out;
}

// A person's identifying fields, masked for roles without a need to know them.
struct PersonShown {
  std::string name, id_number, phone;
};

PersonShown personShown(const screening::ShownFinding& f, bool mask) {
  if (!mask) return {f.person_name, f.id_number, f.phone};
  return {domain::maskName(f.person_name),
          f.id_number.empty() ? "" : domain::maskIdNumber(f.id_number),
          f.phone.empty() ? "" : domain::maskPhone(f.phone)};
}

double hoursAway(int64_t ms) {
  return std::round(ms / kHourMs * 10) / 10;
}

json findingJson(const screening::ShownFinding& s, screening::Kind kind, bool mask, int offset) {
  const screening::Finding& f = s.finding;
  json out = {{"subject", f.person_id ? "person" : "vehicle"},
              {"estate_id", f.estate_id},
              {"estate_name", s.estate_name}};
  if (f.person_id) {
    const PersonShown p = personShown(s, mask);
    out["person"] = {{"id", *f.person_id},
                     {"name", p.name},
                     {"id_number", p.id_number.empty() ? json(nullptr) : json(p.id_number)},
                     {"phone", p.phone.empty() ? json(nullptr) : json(p.phone)}};
  } else {
    out["plate"] = f.plate;
  }
  if (kind == screening::Kind::kOutNotReturned) {
    out["last_out"] = formatTimestamp(f.last_seen, offset);
    out["hours_away"] = hoursAway(f.away_ms);
  } else {
    out["first_seen"] = formatTimestamp(f.first_seen, offset);
    out["last_seen"] = formatTimestamp(f.last_seen, offset);
    out["passages"] = f.passages;
  }
  return out;
}

http::Response pageResponse(const screening::FindingsPage& page, screening::Kind kind, bool mask,
                            int offset) {
  json items = json::array();
  for (const auto& f : page.items) items.push_back(findingJson(f, kind, mask, offset));
  return jsonResponse(200, {{"run", runJson(page.run, offset)},
                            {"items", std::move(items)},
                            {"next", page.next ? json(*page.next) : json(nullptr)}});
}

std::string csvText(const screening::FindingsPage& page, screening::Kind kind, bool mask,
                    int offset) {
  std::string out;
  importer::CsvWriter csv(out, {.utf8_bom = true});
  const bool away = kind == screening::Kind::kOutNotReturned;
  if (away) {
    csv.writeRow(
        {"序号", "人员编号", "姓名", "身份证号", "手机号", "小区", "最后外出时间", "离开小时数"});
  } else {
    csv.writeRow({"序号", "对象", "人员编号", "姓名", "身份证号", "号牌", "小区", "首次出现",
                  "最后出现", "次数"});
  }
  int n = 0;
  for (const auto& s : page.items) {
    const screening::Finding& f = s.finding;
    const PersonShown p = f.person_id ? personShown(s, mask) : PersonShown{};
    const std::string person_id = f.person_id ? std::to_string(*f.person_id) : "";
    char hours[32];
    std::snprintf(hours, sizeof hours, "%.1f", hoursAway(f.away_ms));
    if (away) {
      csv.writeRow(std::vector<std::string>{std::to_string(++n), person_id, p.name, p.id_number,
                                            p.phone, s.estate_name,
                                            formatTimestamp(f.last_seen, offset), hours});
    } else {
      csv.writeRow(std::vector<std::string>{
          std::to_string(++n), f.person_id ? "人员" : "车辆", person_id, p.name, p.id_number,
          f.plate, s.estate_name, formatTimestamp(f.first_seen, offset),
          formatTimestamp(f.last_seen, offset), std::to_string(f.passages)});
    }
  }
  return out;
}

bool masks(const Call& call) {
  return !domain::mayReadPersonalData(call.user->roles);
}

Result<std::optional<int64_t>> bodyTime(const json& body, const char* name, int offset) {
  if (!body.contains(name) || body[name].is_null()) return std::optional<int64_t>();
  const std::string field = name;
  const Status bad = Status::invalid(
      field, field + " 时间格式无效 (use ISO 8601, e.g. 2026-11-22T08:00:00+08:00)");
  if (!body[name].is_string()) return bad;
  auto t = parseTimestamp(body[name].get<std::string>(), offset);
  if (!t) return bad;
  return std::optional(*t);
}

http::Response create(ScreeningContext& ctx, Call& call) {
  auto body = parseJsonObject(call.request, ctx.services.options.max_json_depth);
  if (!body) return errorResponse(body.status());
  auto d = ctx.screenings->create(*body, *call.user);
  if (!d) return errorResponse(d.status());
  return jsonResponse(201, definitionJson(*d, std::nullopt, ctx.offset()));
}

http::Response list(ScreeningContext& ctx, Call& call) {
  screening::ListFilter filter;
  auto limit = limitParam(call, 50, kMaxPage);
  if (!limit) return errorResponse(limit.status());
  filter.limit = *limit;
  filter.cursor = call.request.queryParam("cursor");
  const std::string kind = call.request.queryParam("kind");
  if (!kind.empty()) {
    filter.kind = screening::parseKind(kind);
    if (!filter.kind) {
      return errorResponse(Status::invalid(
          "kind", "未知的排查类型 (kind must be out_not_returned, from_regions or tag_seen)"));
    }
  }
  // A grid worker sees only the kind they may use, rather than a list of refusals.
  const bool all_kinds = screening::mayUse(call.user->roles, screening::Kind::kFromRegions);
  if (!all_kinds) {
    if (filter.kind && *filter.kind != screening::Kind::kOutNotReturned)
      return errorResponse(checkKind(call, *filter.kind));
    filter.kind = screening::Kind::kOutNotReturned;
  }
  auto page = ctx.screenings->list(filter, call.scope());
  if (!page) return errorResponse(page.status());
  json items = json::array();
  for (const auto& d : page->items) items.push_back(definitionJson(d, std::nullopt, ctx.offset()));
  return jsonResponse(
      200, {{"items", std::move(items)}, {"next", page->next ? json(*page->next) : json(nullptr)}});
}

http::Response show(ScreeningContext& ctx, Call& call) {
  auto d = visible(ctx, call);
  if (!d) return errorResponse(d.status());
  auto last = ctx.screenings->lastRun(d->id, call.scope());
  if (!last) return errorResponse(last.status());
  return jsonResponse(200, definitionJson(*d, *last, ctx.offset()));
}

http::Response change(ScreeningContext& ctx, Call& call) {
  auto id = screeningId(call);
  if (!id) return errorResponse(id.status());
  auto body = parseJsonObject(call.request, ctx.services.options.max_json_depth);
  if (!body) return errorResponse(body.status());
  auto d = ctx.screenings->update(*id, *body, *call.user);
  if (!d) return errorResponse(d.status());
  auto last = ctx.screenings->lastRun(d->id, call.scope());
  if (!last) return errorResponse(last.status());
  return jsonResponse(200, definitionJson(*d, *last, ctx.offset()));
}

http::Response drop(ScreeningContext& ctx, Call& call) {
  auto d = visible(ctx, call);
  if (!d) return errorResponse(d.status());
  ANJU_RETURN_IF_ERROR_RESPONSE(ctx.screenings->remove(d->id, call.scope()));
  return jsonResponse(200, {{"deleted", true}});
}

http::Response run(ScreeningContext& ctx, Call& call) {
  auto d = visible(ctx, call);
  if (!d) return errorResponse(d.status());
  json body = json::object();
  if (!call.request.body.empty()) {
    auto parsed = parseJsonObject(call.request, ctx.services.options.max_json_depth);
    if (!parsed) return errorResponse(parsed.status());
    body = std::move(*parsed);
  }
  auto limit = limitParam(call, kDefaultPage, kMaxPage);
  if (!limit) return errorResponse(limit.status());
  screening::RunRequest request{.actor = call.user->username};
  auto purpose = textField(body, "purpose", false, 500);
  if (!purpose) return errorResponse(purpose.status());
  request.purpose = purpose->empty() ? call.purpose() : *purpose;
  if (request.purpose.find_first_not_of(" \t\r\n") == std::string::npos) {
    return errorResponse(
        Status::invalid("purpose", "运行排查须说明用途 (state the purpose of this screening)"));
  }
  auto from = bodyTime(body, "from", ctx.offset());
  if (!from) return errorResponse(from.status());
  auto to = bodyTime(body, "to", ctx.offset());
  if (!to) return errorResponse(to.status());
  request.from = *from;
  request.to = *to;
  // The search is recorded before it runs, as trajectories are: an attempt is worth knowing too.
  auto entry = auditEntry(call, "search", "screenings", std::to_string(d->id));
  entry.purpose = request.purpose;
  entry.detail = "kind=" + std::string(screening::kindName(d->kind)) +
                 " params=" + screening::paramsJson(d->kind, d->params).dump();
  ANJU_RETURN_IF_ERROR_RESPONSE(ctx.services.audit.record(entry));
  auto page = ctx.screenings->run(d->id, request, call.scope(), *limit);
  if (!page) return errorResponse(page.status());
  return pageResponse(*page, d->kind, masks(call), ctx.offset());
}

http::Response exportCsv(ScreeningContext& ctx, Call& call, const screening::Definition& d) {
  if (call.purpose().empty()) {
    return errorResponse(
        Status::invalid("purpose", "导出个人信息须说明用途 (state the purpose of this export)"));
  }
  auto page = ctx.screenings->findings(d.id, call.scope(), "", 0);
  if (!page) return errorResponse(page.status());
  auto entry = auditEntry(call, "export", "screenings", std::to_string(d.id));
  entry.detail =
      "run=" + std::to_string(page->run.id) + " rows=" + std::to_string(page->items.size());
  ANJU_RETURN_IF_ERROR_RESPONSE(ctx.services.audit.record(entry));
  http::Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = csvText(*page, d.kind, masks(call), ctx.offset());
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"screening-" + std::to_string(d.id) + ".csv\"");
  return r;
}

http::Response results(ScreeningContext& ctx, Call& call) {
  auto d = visible(ctx, call);
  if (!d) return errorResponse(d.status());
  const std::string format = call.request.queryParam("format");
  if (format == "csv") return exportCsv(ctx, call, *d);
  if (!format.empty() && format != "json")
    return errorResponse(Status::invalid("format", "format 应为 json 或 csv (json or csv)"));
  auto limit = limitParam(call, kDefaultPage, kMaxPage);
  if (!limit) return errorResponse(limit.status());
  auto page =
      ctx.screenings->findings(d->id, call.scope(), call.request.queryParam("cursor"), *limit);
  if (!page) return errorResponse(page.status());
  ANJU_RETURN_IF_ERROR_RESPONSE(
      ctx.services.audit.record(auditEntry(call, "read", "screenings", std::to_string(d->id))));
  return pageResponse(*page, d->kind, masks(call), ctx.offset());
}

}  // namespace

json screeningSchemas() {
  const json params = {
      {"type", "object"},
      {"description",
       "out_not_returned: {hours 1-720, lookback_days? 1-90 (7), tags?}; from_regions: "
       "{plate_prefixes? [\"鄂\", \"鄂A\"], region_codes? [\"42\", \"4201\", \"420106\"], "
       "window_hours? 1-2160 (24)}, at least one list; tag_seen: {tags, window_hours? (24)}"}};
  const json run = {{"type", "object"},
                    {"properties",
                     {{"id", {{"type", "integer"}}},
                      {"run_by", {{"type", "string"}}},
                      {"purpose", {{"type", "string"}}},
                      {"from", {{"type", "string"}, {"format", "date-time"}}},
                      {"to", {{"type", "string"}, {"format", "date-time"}}},
                      {"ran_at", {{"type", "string"}, {"format", "date-time"}}},
                      {"total", {{"type", "integer"}}}}}};
  const json kinds = {{"type", "string"},
                      {"enum", {"out_not_returned", "from_regions", "tag_seen"}}};
  return {{"NewScreening",
           {{"type", "object"},
            {"properties",
             {{"name", {{"type", "string"}, {"maxLength", 100}}},
              {"kind", kinds},
              {"params", params},
              {"region_id", {{"type", "integer"}}}}},
            {"required", {"name", "kind"}}}},
          {"Screening",
           {{"type", "object"},
            {"properties",
             {{"id", {{"type", "integer"}}},
              {"name", {{"type", "string"}}},
              {"kind", kinds},
              {"params", params},
              {"region_id", {{"type", "integer"}, {"nullable", true}}},
              {"created_by", {{"type", "string"}}},
              {"created_at", {{"type", "string"}, {"format", "date-time"}}},
              {"updated_at", {{"type", "string"}, {"format", "date-time"}}},
              {"last_run", run}}}}},
          {"ScreeningRunRequest",
           {{"type", "object"},
            {"properties",
             {{"purpose", {{"type", "string"}}},
              {"from", {{"type", "string"}, {"format", "date-time"}}},
              {"to", {{"type", "string"}, {"format", "date-time"}}}}},
            {"required", {"purpose"}}}},
          {"ScreeningFindings",
           {{"type", "object"},
            {"properties",
             {{"run", run},
              {"items",
               {{"type", "array"},
                {"items",
                 {{"type", "object"},
                  {"properties",
                   {{"subject", {{"type", "string"}, {"enum", {"person", "vehicle"}}}},
                    {"person",
                     {{"type", "object"},
                      {"properties",
                       {{"id", {{"type", "integer"}}},
                        {"name", {{"type", "string"}}},
                        {"id_number", {{"type", "string"}, {"nullable", true}}},
                        {"phone", {{"type", "string"}, {"nullable", true}}}}}}},
                    {"plate", {{"type", "string"}}},
                    {"estate_id", {{"type", "integer"}}},
                    {"estate_name", {{"type", "string"}}},
                    {"last_out", {{"type", "string"}, {"format", "date-time"}}},
                    {"hours_away", {{"type", "number"}}},
                    {"first_seen", {{"type", "string"}, {"format", "date-time"}}},
                    {"last_seen", {{"type", "string"}, {"format", "date-time"}}},
                    {"passages", {{"type", "integer"}}}}}}}}},
              {"next", {{"type", "string"}, {"nullable", true}}}}}}}};
}

void addScreeningRoutes(Router& router, Services& services) {
  auto ctx = std::make_shared<ScreeningContext>(services);
  // Every handler needs the event store; without one the routes still exist and say so.
  auto with = [ctx](http::Response (*handler)(ScreeningContext&, Call&)) {
    return [ctx, handler](Call& call) {
      if (!ctx->screenings) return errorResponse(unavailable());
      return handler(*ctx, call);
    };
  };

  router.add({.method = "POST",
              .pattern = "/api/v1/screenings",
              .summary = "Save a screening (排查): a name, a kind (out_not_returned, "
                         "from_regions, tag_seen), its params and the region it looks at "
                         "(default and widest: the caller's)",
              .tag = "screenings",
              .roles = kUsers,
              .request_schema = "NewScreening",
              .response_schema = "Screening",
              .handler = with(create)});

  router.add({.method = "GET",
              .pattern = "/api/v1/screenings",
              .summary = "Saved screenings looking at regions inside the caller's, oldest first",
              .tag = "screenings",
              .roles = kUsers,
              .response_schema = "Screening",
              .list = true,
              .query = {"kind"},
              .handler = with(list)});

  router.add({.method = "GET",
              .pattern = "/api/v1/screenings/{id}",
              .summary = "One saved screening with its latest run",
              .tag = "screenings",
              .roles = kUsers,
              .response_schema = "Screening",
              .handler = with(show)});

  router.add({.method = "PATCH",
              .pattern = "/api/v1/screenings/{id}",
              .summary = "Change a screening's name, params or region; its kind stays",
              .tag = "screenings",
              .roles = kUsers,
              .request_schema = "NewScreening",
              .response_schema = "Screening",
              .handler = with(change)});

  router.add({.method = "DELETE",
              .pattern = "/api/v1/screenings/{id}",
              .summary = "Delete a screening with its runs and findings",
              .tag = "screenings",
              .roles = kUsers,
              .handler = with(drop)});

  router.add({.method = "POST",
              .pattern = "/api/v1/screenings/{id}/run",
              .summary = "Run a screening now, over its window back from now or over from/to; "
                         "needs a purpose, which the audit log records; answers the first "
                         "findings, which replace the previous run's",
              .tag = "screenings",
              .roles = kUsers,
              .request_schema = "ScreeningRunRequest",
              .query = {"limit", "purpose"},
              .handler = with(run)});

  router.add({.method = "GET",
              .pattern = "/api/v1/screenings/{id}/results",
              .summary = "The findings of a screening's latest run, in its order (audited); "
                         "?format=csv exports them as /results.csv does",
              .tag = "screenings",
              .roles = kUsers,
              .response_schema = "ScreeningFindings",
              .query = {"format", "purpose", "cursor", "limit"},
              .handler = with(results)});

  router.add({.method = "GET",
              .pattern = "/api/v1/screenings/{id}/results.csv",
              .summary = "Export the findings of a screening's latest run as CSV (UTF-8 with a "
                         "byte order mark, for Excel); needs a purpose, which the audit log "
                         "records",
              .tag = "screenings",
              .roles = kUsers,
              .query = {"purpose"},
              .handler = with([](ScreeningContext& ctx, Call& call) {
                auto d = visible(ctx, call);
                if (!d) return errorResponse(d.status());
                return exportCsv(ctx, call, *d);
              })});
}

}  // namespace anju::api
