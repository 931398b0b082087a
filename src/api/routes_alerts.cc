// Alerts (预警), the rules that raise them, and the live stream over HTTP. Matching lives in
// alerts/; this file checks who is asking, their region, and maps JSON.
#include "alerts/alert_store.h"
#include "alerts/rules.h"
#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"
#include "common/json_fields.h"

namespace anju::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kAlertReaders = {"police", "security", "grid_worker", "admin"};
const std::vector<std::string> kAlertWorkers = {"police", "security", "admin"};
const std::vector<std::string> kRuleEditors = {"police", "admin"};
const std::vector<std::string> kStreamReaders = {"police", "security", "grid_worker", "mediator",
                                                 "admin"};

// Which notices each role is given on the stream.
std::set<std::string> streamTypesFor(const store::User& user) {
  std::set<std::string> types;
  if (user.hasRole("admin")) return {"alert", "incident", "case"};
  if (user.hasRole("police") || user.hasRole("security")) types.insert({"alert", "incident"});
  if (user.hasRole("grid_worker")) types.insert({"incident", "case"});
  if (user.hasRole("mediator")) types.insert("case");
  return types;
}

Result<int64_t> pathId(Call& call, const std::string& what) {
  if (auto id = positiveId(call.params["id"])) return *id;
  return Status::notFound("没有这个" + what + " (no " + call.params["id"] + ")", "id");
}

// Alerts outside the caller's region are not found, as if they did not exist.
Result<json> alertInScope(Services& services, Call& call, int64_t id) {
  auto alert = services.alerts->get(id);
  if (!alert) return alert.status();
  if (!call.scope().contains((*alert)["region_path"].get<std::string>())) {
    return Status::notFound("没有这条预警 (no such alert)", "id");
  }
  return alert;
}

// A rule is the caller's to change when it watches inside their region.
Result<json> ruleInScope(Services& services, Call& call, int64_t id) {
  auto rule = services.rules->get(id);
  if (!rule) return rule.status();
  if (!call.scope().contains((*rule)["region_path"].get<std::string>())) {
    return Status::notFound("没有这条规则 (no such rule)", "id");
  }
  return rule;
}

void addAlertListRoutes(Router& router, Services& services) {
  router.add(
      {.method = "GET",
       .pattern = "/api/v1/alerts",
       .summary = "Alerts in the caller's region, newest first; filter by status, open=true, "
                  "kind, estate_id, device_id, rule_id, watchlist_id, region_id, from/to (last "
                  "seen). Each names in device_id the device of its latest event",
       .tag = "alerts",
       .roles = kAlertReaders,
       .list = true,
       .query = {"status", "open", "kind", "estate_id", "device_id", "rule_id", "watchlist_id",
                 "region_id", "from", "to"},
       .handler = [&services](Call& call) {
         alerts::AlertQuery q;
         auto scope = regionScope(services, call);
         if (!scope) return errorResponse(scope.status());
         q.scope = *scope;
         q.status = call.request.queryParam("status");
         if (!q.status.empty() && q.status != "open" && q.status != "acknowledged" &&
             q.status != "assigned" && q.status != "closed") {
           return errorResponse(Status::invalid(
               "status",
               "状态应为 open、acknowledged、assigned 或 closed (status must be open, "
               "acknowledged, assigned or closed)"));
         }
         const std::string open = call.request.queryParam("open");
         if (!open.empty() && open != "true" && open != "false") {
           return errorResponse(Status::invalid("open", "open must be true or false"));
         }
         q.open = open == "true";
         q.kind = call.request.queryParam("kind");
         q.device_id = call.request.queryParam("device_id");
         for (auto [name, target] :
              {std::pair{"estate_id", &q.estate_id}, std::pair{"rule_id", &q.rule_id},
               std::pair{"watchlist_id", &q.watchlist_id}}) {
           auto id = idParam(call, name);
           if (!id) return errorResponse(id.status());
           *target = *id;
         }
         ANJU_RETURN_IF_ERROR_RESPONSE(
             timeRange(call, services.options.utc_offset_minutes, q.from, q.to));
         auto limit = limitParam(call, 50, 500);
         if (!limit) return errorResponse(limit.status());
         q.limit = *limit;
         q.cursor = call.request.queryParam("cursor");
         if (!q.cursor.empty() && !positiveId(q.cursor)) {
           return errorResponse(Status::invalid("cursor", "cursor 无效 (cursor is not valid)"));
         }
         auto page = services.alerts->list(q);
         if (!page) return errorResponse(page.status());
         return jsonResponse(200, {{"items", page->items},
                                   {"next", page->next ? json(*page->next) : json(nullptr)}});
       }});
  router.add({.method = "GET",
              .pattern = "/api/v1/alerts/{id}",
              .summary = "One alert with the events that fired it and the steps taken",
              .tag = "alerts",
              .roles = kAlertReaders,
              .handler = [&services](Call& call) {
                auto id = pathId(call, "预警");
                if (!id) return errorResponse(id.status());
                auto alert = alertInScope(services, call, *id);
                if (!alert) return errorResponse(alert.status());
                return jsonResponse(200, *alert);
              }});
  router.add(
      {.method = "POST",
       .pattern = "/api/v1/alerts/{id}/actions",
       .summary = "Acknowledge, assign {assignee} or close {note} an alert",
       .tag = "alerts",
       .roles = kAlertWorkers,
       .handler = [&services](Call& call) {
         auto id = pathId(call, "预警");
         if (!id) return errorResponse(id.status());
         auto body = parseJsonObject(call.request, services.options.max_json_depth);
         if (!body) return errorResponse(body.status());
         auto action = textField(*body, "action", true, 32);
         if (!action) return errorResponse(action.status());
         if (*action != "acknowledge" && *action != "assign" && *action != "close") {
           return errorResponse(
               Status::invalid("action",
                               "操作应为 acknowledge、assign 或 close (action must be acknowledge, "
                               "assign or close)"));
         }
         auto note = textField(*body, "note", false, 1000);
         if (!note) return errorResponse(note.status());
         auto assignee = textField(*body, "assignee", *action == "assign", 64);
         if (!assignee) return errorResponse(assignee.status());
         auto current = alertInScope(services, call, *id);
         if (!current) return errorResponse(current.status());
         auto alert = services.alerts->act(*id, *action, call.user->username, *note, *assignee);
         if (!alert) {
           if (alert.status().code() == Code::kConflict) {
             return errorResponse(alert.status(), {{"allowed", (*current)["allowed_actions"]}});
           }
           return errorResponse(alert.status());
         }
         if (services.notices) {
           services.notices->publish({"alert", (*alert)["region_path"], *alert});
         }
         return jsonResponse(200, *alert);
       }});
}

void addRuleRoutes(Router& router, Services& services) {
  router.add({.method = "GET",
              .pattern = "/api/v1/alert-rules",
              .summary = "The alert rules that concern the caller's region",
              .tag = "alerts",
              .roles = kAlertReaders,
              .handler = [&services](Call& call) {
                auto rules = services.rules->list(call.scope());
                if (!rules) return errorResponse(rules.status());
                return jsonResponse(200, {{"items", *rules}, {"kinds", alerts::ruleKinds()}});
              }});
  router.add({.method = "POST",
              .pattern = "/api/v1/alert-rules",
              .summary = "Create a rule: {name, kind, params, region_id, schedule, level, enabled}",
              .tag = "alerts",
              .roles = kRuleEditors,
              .handler = [&services](Call& call) {
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                auto region = bodyRegion(services, call, *body);
                if (!region) return errorResponse(region.status());
                auto rule = services.rules->create(*body, *region, call.user->username);
                if (!rule) return errorResponse(rule.status());
                if (services.alert_engine) services.alert_engine->invalidate();
                return jsonResponse(201, *rule);
              }});
  router.add({.method = "GET",
              .pattern = "/api/v1/alert-rules/{id}",
              .summary = "One alert rule",
              .tag = "alerts",
              .roles = kAlertReaders,
              .handler = [&services](Call& call) {
                auto id = pathId(call, "规则");
                if (!id) return errorResponse(id.status());
                auto rule = ruleInScope(services, call, *id);
                if (!rule) return errorResponse(rule.status());
                return jsonResponse(200, *rule);
              }});
  router.add({.method = "PATCH",
              .pattern = "/api/v1/alert-rules/{id}",
              .summary = "Change a rule's name, kind, params, schedule, level or enabled",
              .tag = "alerts",
              .roles = kRuleEditors,
              .handler = [&services](Call& call) {
                auto id = pathId(call, "规则");
                if (!id) return errorResponse(id.status());
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                if (body->contains("region_id")) {
                  return errorResponse(
                      Status::invalid("region_id",
                                      "规则的区域不能修改 (a rule's region cannot change; create "
                                      "another rule)"));
                }
                auto current = ruleInScope(services, call, *id);
                if (!current) return errorResponse(current.status());
                auto rule = services.rules->update(*id, *body);
                if (!rule) return errorResponse(rule.status());
                if (services.alert_engine) services.alert_engine->invalidate();
                return jsonResponse(200, *rule);
              }});
  router.add({.method = "DELETE",
              .pattern = "/api/v1/alert-rules/{id}",
              .summary = "Delete a rule (one that raised alerts is switched off instead)",
              .tag = "alerts",
              .roles = kRuleEditors,
              .handler = [&services](Call& call) {
                auto id = pathId(call, "规则");
                if (!id) return errorResponse(id.status());
                auto current = ruleInScope(services, call, *id);
                if (!current) return errorResponse(current.status());
                ANJU_RETURN_IF_ERROR_RESPONSE(services.rules->remove(*id));
                if (services.alert_engine) services.alert_engine->invalidate();
                return http::Response{.status = 204, .content_type = "", .body = ""};
              }});
}

void addStreamRoute(Router& router, Services& services) {
  router.add(
      {.method = "GET",
       .pattern = "/api/v1/alerts/stream",
       .summary = "Server-Sent Events: alerts, incidents and case changes in the caller's region "
                  "(by role), resuming after Last-Event-ID; ?types=alert,incident narrows them",
       .tag = "alerts",
       .roles = kStreamReaders,
       .query = {"types", "last_event_id"},
       .handler = [&services](Call& call) {
         if (!services.hub) {
           return errorResponse(503, "unavailable",
                                "实时推送未启用 (the live stream is not running)");
         }
         std::set<std::string> types = streamTypesFor(*call.user);
         const std::string wanted = call.request.queryParam("types");
         if (!wanted.empty()) {
           std::set<std::string> narrowed;
           std::size_t start = 0;
           while (start <= wanted.size()) {
             std::size_t comma = wanted.find(',', start);
             std::string type = wanted.substr(
                 start, comma == std::string::npos ? std::string::npos : comma - start);
             if (type != "alert" && type != "incident" && type != "case") {
               return errorResponse(Status::invalid(
                   "types",
                   "类型应为 alert、incident 或 case (types must list alert, incident or "
                   "case)"));
             }
             if (types.count(type)) narrowed.insert(type);
             if (comma == std::string::npos) break;
             start = comma + 1;
           }
           types = std::move(narrowed);
         }
         // Browsers resend the last id as a header; a page that opens the stream itself can
         // pass it as a parameter.
         std::string last = call.request.header("last-event-id");
         if (last.empty()) last = call.request.queryParam("last_event_id");
         std::optional<int64_t> last_id;
         if (!last.empty()) {
           if (last == "0") {
             last_id = 0;
           } else if (auto id = positiveId(last)) {
             last_id = *id;
           } else {
             return errorResponse(
                 Status::invalid("Last-Event-ID", "应为事件编号 (Last-Event-ID must be an id)"));
           }
         }
         auto stream = services.hub->subscribe({call.scope().path, std::move(types)}, last_id);
         if (!stream) return errorResponse(stream.status());
         http::Response response;
         response.content_type = "text/event-stream; charset=utf-8";
         response.headers.emplace_back("X-Accel-Buffering", "no");  // nginx: pass events at once
         response.stream = std::move(*stream);
         return response;
       }});
}

}  // namespace

void addAlertRoutes(Router& router, Services& services) {
  // A server started without alerting (a tool that only serves the registry) answers 503.
  Router alerting;
  addStreamRoute(alerting, services);
  addAlertListRoutes(alerting, services);
  addRuleRoutes(alerting, services);
  for (Route route : alerting.routes()) {
    route.handler = [&services, handler = std::move(route.handler)](Call& call) {
      if (!services.alerts || !services.rules) {
        return errorResponse(503, "unavailable", "预警未启用 (alerting is not running)");
      }
      return handler(call);
    };
    router.add(std::move(route));
  }
}

}  // namespace anju::api
