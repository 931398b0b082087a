// Incidents and the 1-3-5 minute response over HTTP: the list and the incident page, the steps of
// the response, a resident's SOS from the portal, and the response-time statistics. The rules live
// in incidents/; this file checks the request's shape, audits full reads of an SOS caller's
// contacts and maps JSON.
#include <algorithm>
#include <memory>

#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"
#include "common/json_fields.h"
#include "incidents/incident_service.h"

namespace anju::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kReaders = {"police", "security", "grid_worker", "resident",
                                           "admin"};
const std::vector<std::string> kResponders = {"police", "security", "admin"};
const std::vector<std::string> kStatsReaders = {"police", "security", "grid_worker", "admin"};
constexpr int64_t kDefaultWindowMs = int64_t{30} * 24 * 3600 * 1000;

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

Result<std::optional<std::string>> choiceParam(const Call& call, const std::string& name,
                                               const std::vector<std::string>& choices) {
  if (!call.request.hasQueryParam(name)) return std::optional<std::string>();
  std::string v = call.request.queryParam(name);
  if (std::find(choices.begin(), choices.end(), v) == choices.end())
    return Status::invalid(
        name, "未知的 " + name + " 值 (" + name + " must be one of " + joined(choices) + ")");
  return std::optional<std::string>(v);
}

Result<int64_t> incidentId(Call& call) {
  if (auto id = positiveId(call.params["id"])) return *id;
  return Status::notFound("未找到事件 (no incident with id " + call.params["id"] + ")");
}

Result<incidents::IncidentFilter> incidentFilter(Services& services, const Call& call) {
  incidents::IncidentFilter f;
  auto status = choiceParam(call, "status", incidents::statusNames());
  if (!status) return status.status();
  f.status = *status;
  auto kind = choiceParam(call, "kind", incidents::kindNames());
  if (!kind) return kind.status();
  f.kind = *kind;
  if (call.request.hasQueryParam("open")) {
    const std::string v = call.request.queryParam("open");
    if (v != "true" && v != "false")
      return Status::invalid("open", "open 应为 true 或 false (open must be true or false)");
    f.open = v == "true";
  }
  auto estate = idParam(call, "estate_id");
  if (!estate) return estate.status();
  f.estate_id = *estate;
  const bool staff = incidents::mayReadAll(call.user->roles);
  if (staff && f.estate_id) ANJU_RETURN_IF_ERROR(checkEstateInScope(services, call, *f.estate_id));
  if (staff) {
    auto scope = regionScope(services, call);
    if (!scope) return scope.status();
    f.scope = *scope;
  }
  if (call.request.hasQueryParam("from") || call.request.hasQueryParam("to")) {
    int64_t from = 0, to = 0;
    ANJU_RETURN_IF_ERROR(timeRange(call, services.options.utc_offset_minutes, from, to));
    f.from_ms = from;
    f.to_ms = to;
  }
  auto limit = limitParam(call, 50, 500);
  if (!limit) return limit.status();
  f.limit = *limit;
  f.cursor = call.request.queryParam("cursor");
  return f;
}

Result<incidents::Action> actionBody(const json& body) {
  incidents::Action a;
  const std::string choices = joined(incidents::actionNames());
  if (!body.contains("action") || body["action"].is_null())
    return Status::invalid("action",
                           "缺少字段 action (action is required: one of " + choices + ")");
  if (!body["action"].is_string() || !incidents::isAction(body["action"].get<std::string>()))
    return Status::invalid("action", "未知操作 " + body["action"].dump() +
                                         " (unknown action; one of " + choices + ")");
  a.action = body["action"].get<std::string>();
  auto note = textField(body, "note", false, incidents::IncidentService::kMaxNote);
  if (!note) return note.status();
  a.note = *note;
  auto to = textField(body, "dispatched_to", a.action == "dispatch", 200);
  if (!to) return to.status();
  if (!to->empty() && a.action != "dispatch")
    return Status::invalid(
        "dispatched_to", "只有 dispatch 带 dispatched_to (dispatched_to goes with dispatch only)");
  a.dispatched_to = *to;
  return a;
}

// The incident as the caller may see it: a full read of an SOS caller's contacts is audited first
// (a read that cannot be audited is refused).
http::Response presentIncident(Services& services, const Call& call, const json& incident,
                               int status = 200) {
  if (incident["personal_data"] == "full" && !incident["contacts"].empty()) {
    Status audited = services.audit.record(
        auditEntry(call, "read", "incidents", std::to_string(incident["id"].get<int64_t>())));
    if (!audited) return errorResponse(audited);
  }
  return jsonResponse(status, incident);
}

json stageJson(const incidents::StageFigures& s) {
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  return {{"counted", s.counted},
          {"reached", s.reached},
          {"on_time", s.on_time},
          {"on_time_rate", opt(s.on_time_rate)},
          {"mean_seconds", opt(s.mean_seconds)},
          {"p90_seconds", opt(s.p90_seconds)}};
}

json figuresJson(const incidents::IncidentFigures& f) {
  json out = {{"count", f.count},
              {"open", f.open},
              {"resolved", f.resolved},
              {"false_alarms", f.false_alarms},
              {"false_alarm_rate", f.count > 0 ? json(static_cast<double>(f.false_alarms) /
                                                      static_cast<double>(f.count))
                                               : json(nullptr)},
              {"acknowledge", stageJson(f.acknowledge)},
              {"dispatch", stageJson(f.dispatch)},
              {"arrive", stageJson(f.arrive)}};
  return out;
}

http::Response incidentStats(Services& services, incidents::IncidentService& service, Call& call) {
  const int offset = services.options.utc_offset_minutes;
  int64_t from = 0, to = 0;
  ANJU_RETURN_IF_ERROR_RESPONSE(timeRange(call, offset, from, to));
  // Without a window: the last 30 days.
  if (call.request.queryParam("to").empty()) to = services.clock.nowMillis();
  if (call.request.queryParam("from").empty()) from = to - kDefaultWindowMs;
  if (from > to) return errorResponse(Status::invalid("from", "from 晚于 to (from is after to)"));
  auto scope = regionScope(services, call);
  if (!scope) return errorResponse(scope.status());
  auto estate = idParam(call, "estate_id");
  if (!estate) return errorResponse(estate.status());
  if (*estate) ANJU_RETURN_IF_ERROR_RESPONSE(checkEstateInScope(services, call, **estate));
  auto stats = service.stats(*scope, *estate, from, to);
  if (!stats) return errorResponse(stats.status());
  json estates = json::array();
  for (const auto& f : stats->estates) {
    json one = {{"estate_id", f.estate_id ? json(*f.estate_id) : json(nullptr)},
                {"estate_name", f.estate_id ? json(f.estate_name) : json(nullptr)}};
    one.update(figuresJson(f));
    estates.push_back(std::move(one));
  }
  const auto& p = service.policy();
  return jsonResponse(200, {{"from", formatTimestamp(from, offset)},
                            {"to", formatTimestamp(to, offset)},
                            {"targets",
                             {{"acknowledge_seconds", p.ack_seconds},
                              {"dispatch_seconds", p.dispatch_seconds},
                              {"arrive_seconds", p.arrive_seconds}}},
                            {"total", figuresJson(stats->total)},
                            {"estates", std::move(estates)}});
}

}  // namespace

void addIncidentRoutes(Router& router, Services& services) {
  auto service = std::make_shared<incidents::IncidentService>(
      services.db, services.clock, services.options.incidents, services.options.utc_offset_minutes,
      services.notices);

  router.add({.method = "GET",
              .pattern = "/api/v1/incidents",
              .summary = "Incidents (alarms and SOS) in your scope, oldest first, with the stages "
                         "that ran late; a resident's own SOS",
              .tag = "incidents",
              .roles = kReaders,
              .list = true,
              .query = {"status", "open", "estate_id", "region_id", "kind", "from", "to"},
              .handler = [&services, service](Call& call) {
                auto filter = incidentFilter(services, call);
                if (!filter) return errorResponse(filter.status());
                auto page = service->list(*call.user, *filter);
                if (!page) return errorResponse(page.status());
                return jsonResponse(200, {{"items", page->items},
                                          {"next", page->next ? json(*page->next) : json()}});
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/incidents/{id}",
              .summary = "An incident with its place, caller and contacts (masked for roles "
                         "without need; full reads audited), alarms, 1-3-5 timers, history and "
                         "the actions you may take",
              .tag = "incidents",
              .roles = kReaders,
              .handler = [&services, service](Call& call) {
                auto id = incidentId(call);
                if (!id) return errorResponse(id.status());
                auto body = service->get(*call.user, *id);
                if (!body) return errorResponse(body.status());
                return presentIncident(services, call, *body);
              }});

  router.add({.method = "POST",
              .pattern = "/api/v1/incidents/{id}/actions",
              .summary = "One step of the response: acknowledge, dispatch {dispatched_to}, "
                         "arrive, resolve, false_alarm ({note}?)",
              .tag = "incidents",
              .roles = kResponders,
              .request_schema = "IncidentAction",
              .handler = [&services, service](Call& call) {
                auto id = incidentId(call);
                if (!id) return errorResponse(id.status());
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                auto action = actionBody(*body);
                if (!action) return errorResponse(action.status());
                auto acted = service->act(*call.user, *id, *action);
                if (acted) return presentIncident(services, call, *acted);
                const Status& refused = acted.status();
                if (refused.code() != Code::kConflict) return errorResponse(refused);
                auto allowed = service->allowedFor(*call.user, *id);
                if (!allowed) return errorResponse(refused);
                return errorResponse(refused, {{"allowed", *allowed}});
              }});

  router.add({.method = "POST",
              .pattern = "/api/v1/sos",
              .summary = "一键呼叫: a resident's SOS from the portal ({\"confirm\": true, "
                         "\"note\"?}), raised with their home's address and household contacts",
              .tag = "incidents",
              .roles = {"resident"},
              .request_schema = "SosRequest",
              .handler = [&services, service](Call& call) {
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                // An accidental tap sends nothing the portal did not ask the resident to confirm.
                if (!body->contains("confirm") || (*body)["confirm"] != true)
                  return errorResponse(Status::invalid(
                      "confirm", "请确认呼叫 (confirm must be true to raise an SOS)"));
                auto note = textField(*body, "note", false, 500);
                if (!note) return errorResponse(note.status());
                auto raised = service->raiseSos(*call.user, *note);
                if (!raised) return errorResponse(raised.status());
                return jsonResponse(201, *raised);
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/stats/incidents",
              .summary = "Response figures of incidents raised in [from, to) (default the last 30 "
                         "days), per estate in your scope: count, false alarms, mean and p90 "
                         "seconds to acknowledge, dispatch and arrive, share on time",
              .tag = "stats",
              .roles = kStatsReaders,
              .query = {"region_id", "estate_id", "from", "to"},
              .handler = [&services, service](Call& call) {
                return incidentStats(services, *service, call);
              }});
}

}  // namespace anju::api
