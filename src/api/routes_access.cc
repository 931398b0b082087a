// Access control over HTTP: doors ask for decisions, residents issue visitor passes and answer
// phone requests, terminals sync their credential lists, displays fetch announcements. The rules
// live in access/; this file checks who is asking and maps JSON.
#include <memory>

#include "access/access_service.h"
#include "access/announcements.h"
#include "access/credential_sync.h"
#include "api/json_body.h"
#include "api/rate_limiter.h"
#include "api/responses.h"
#include "api/routes.h"
#include "common/json_fields.h"
#include "domain/entity_fields.h"

namespace anju::api {

using nlohmann::json;

namespace {

using domain::fields::kStaff;

// Services.devices is set wherever the API is built (the server, the route tests): doors are
// found through the same cached directory that checks their signatures.
// Remote opening: a resident opens a few doors a minute at most (the gate, their building, their
// unit, and a retry); ten at once and one more every six seconds leaves room for that and slows a
// script trying door after door.
constexpr int kRemoteOpenBurst = 10;
constexpr std::chrono::minutes kRemoteOpenPeriod{1};

struct AccessContext {
  Services& services;
  access::AccessService service;
  store::DeviceDirectory& devices;
  RateLimiter remote_opens;

  explicit AccessContext(Services& s)
      : services(s),
        service(s.db, s.clock, s.events, s.options.utc_offset_minutes),
        devices(*s.devices),
        remote_opens(s.clock, kRemoteOpenBurst, kRemoteOpenPeriod) {}
};

bool isStaff(const store::User& user) {
  return user.hasRole("security") || user.hasRole("admin");
}

Status notLinked() {
  return Status::forbidden(
      "您的账号未关联住户信息 (your login is not linked to a person; ask an admin to set "
      "person_id)");
}

Result<std::optional<int64_t>> intField(const json& body, const char* name) {
  if (!body.contains(name) || body[name].is_null()) return std::optional<int64_t>();
  if (!body[name].is_number_integer())
    return Status::invalid(name, std::string(name) + " must be an integer");
  return std::optional<int64_t>(body[name].get<int64_t>());
}

Result<std::optional<int64_t>> timeField(const json& body, const char* name, int offset) {
  auto text = textField(body, name, false);
  if (!text) return text.status();
  if (text->empty()) return std::optional<int64_t>();
  auto ms = parseTimestamp(*text, offset);
  if (!ms)
    return Status::invalid(
        name, std::string(name) + " 应为 ISO 8601 时间 (" + name + " must be an ISO 8601 time)");
  return std::optional<int64_t>(*ms);
}

Result<int64_t> pathId(Call& call) {
  if (auto id = positiveId(call.params["id"])) return *id;
  return Status::notFound("未找到 (no object with id " + call.params["id"] + ")");
}

// The door a call is about. A device may speak only for itself; a user only for doors in their
// region.
Result<store::DeviceInfo> doorFor(AccessContext& ctx, const Call& call, const std::string& id) {
  if (call.device) {
    if (!id.empty() && id != call.device->id)
      return Status::forbidden("设备只能代表自己 (a device may act only for itself)");
    return *call.device;
  }
  if (id.empty()) return Status::invalid("device_id", "缺少字段 device_id (device_id is required)");
  auto door = ctx.devices.find(id);
  if (!door) return door.status();
  if (!call.scope().contains(door->region_path))
    return Status::forbidden("超出您的管辖范围 (the door is outside your region scope)");
  return door;
}

// One refusal for every door the caller may not open, whether it exists or not, so that trying ids
// tells nothing about which doors there are.
http::Response doorRefused(std::string_view reason) {
  return errorResponse(
      Status::forbidden("您无权开启此门 (none of your access groups includes this door)"),
      {{"reason", reason}});
}

http::Response passResponse(int status, const access::PassView& view) {
  return jsonResponse(status, view.body);
}

// Who may see a pass: its host, and security staff whose region holds it.
Status maySeePass(const Call& call, const access::PassView& pass) {
  if (isStaff(*call.user)) {
    if (!call.scope().contains(pass.region_path))
      return Status::forbidden("超出您的管辖范围 (outside your region scope)");
    return {};
  }
  if (call.user->person_id && *call.user->person_id == pass.host_person_id) return {};
  return Status::forbidden("这不是您的访客通行证 (this visitor pass is not yours)");
}

}  // namespace

void addAccessRoutes(Router& router, Services& services) {
  auto ctx = std::make_shared<AccessContext>(services);

  router.add({.method = "POST",
              .pattern = "/api/v1/access/verify",
              .summary = "Decide whether a credential, code, plate or person may open a door now",
              .tag = "access",
              .device_signed = true,
              .roles = {"security", "admin"},
              .handler = [ctx](Call& call) {
                auto body = parseJsonObject(call.request, ctx->services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                auto device_id = textField(*body, "device_id", !call.device);
                if (!device_id) return errorResponse(device_id.status());
                auto method_name = textField(*body, "method", true);
                if (!method_name) return errorResponse(method_name.status());
                auto method = access::parseMethod(*method_name);
                if (!method)
                  return errorResponse(Status::invalid(
                      "method",
                      "未知开门方式 (method must be face, card, pin, qr, code, phone, remote "
                      "or plate)"));
                access::VerifyRequest request{.method = *method};
                auto credential = textField(*body, "credential", false);
                auto code = textField(*body, "code", false);
                auto direction = textField(*body, "direction", false);
                auto person = intField(*body, "person_id");
                for (const Status& s :
                     {credential.status(), code.status(), direction.status(), person.status()}) {
                  if (!s) return errorResponse(s);
                }
                if (!direction->empty() && *direction != "in" && *direction != "out")
                  return errorResponse(Status::invalid("direction", "direction must be in or out"));
                request.credential = *credential;
                request.code = *code;
                request.direction = *direction;
                request.person_id = *person;
                auto door = doorFor(*ctx, call, *device_id);
                if (!door) return errorResponse(door.status());
                auto decision = ctx->service.verify(*door, request);
                if (!decision) return errorResponse(decision.status());
                return jsonResponse(200, decision->toJson());
              }});

  router.add({.method = "POST",
              .pattern = "/api/v1/access/remote-open",
              .summary = "Open a door of one's own access groups from the portal",
              .tag = "access",
              .roles = {"resident"},
              .handler = [ctx](Call& call) {
                if (int64_t wait = ctx->remote_opens.take(std::to_string(call.user->id));
                    wait > 0) {
                  auto refused = errorResponse(
                      {Code::kRateLimited, "开门过于频繁，请 " + std::to_string(wait) +
                                               " 秒后再试 (too many doors opened; try again in " +
                                               std::to_string(wait) + " s)"},
                      {{"reason", "rate_limited"}});
                  refused.headers.emplace_back("Retry-After", std::to_string(wait));
                  return refused;
                }
                auto body = parseJsonObject(call.request, ctx->services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                auto device_id = textField(*body, "device_id", true);
                if (!device_id) return errorResponse(device_id.status());
                if (!call.user->person_id)
                  return errorResponse(notLinked(), {{"reason", "not_linked"}});
                // A door that does not exist is refused like one of another estate.
                auto door = ctx->devices.find(*device_id);
                if (!door) {
                  if (door.status().code() == Code::kNotFound)
                    return doorRefused(access::reason::kNoAccessGroup);
                  return errorResponse(door.status());
                }
                // What decides is whether one of the person's access groups includes the door: a
                // resident's region may be wider or narrower than their estate. An admin who opens
                // as a linked person stays within their region as well.
                if (!call.user->hasRole("resident") && !call.scope().contains(door->region_path))
                  return doorRefused(access::reason::kNoAccessGroup);
                auto decision = ctx->service.verify(
                    *door, {.method = access::Method::kRemote, .person_id = call.user->person_id});
                if (!decision) return errorResponse(decision.status());
                if (!decision->granted) return doorRefused(decision->reason);
                return jsonResponse(200, decision->toJson());
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/me/doors",
              .summary = "The doors the signed-in resident may open from the portal",
              .tag = "access",
              .roles = {"resident"},
              .list = true,
              .handler = [ctx](Call& call) {
                if (!call.user->person_id)
                  return errorResponse(notLinked(), {{"reason", "not_linked"}});
                std::vector<access::PersonDoor> doors;
                Status s = ctx->services.db.read([&](store::Connection& c) -> Status {
                  auto found = access::doorsOf(c, *call.user->person_id);
                  if (!found) return found.status();
                  doors = std::move(*found);
                  return {};
                });
                if (!s) return errorResponse(s);
                const auto live = liveDevices(ctx->services);
                json items = json::array();
                for (const auto& d : doors) {
                  auto seen = live.find(d.id);
                  items.push_back(
                      {{"id", d.id},
                       {"name", d.name},
                       {"kind", d.kind},
                       {"estate_id", d.estate_id},
                       {"estate_name", d.estate_name},
                       {"building_id", d.building_id ? json(*d.building_id) : json(nullptr)},
                       {"building_name", d.building_id ? json(d.building_name) : json(nullptr)},
                       {"online", seen == live.end() ? d.online : seen->second.online}});
                }
                return jsonResponse(200, {{"items", items}, {"next", nullptr}});
              }});

  router.add({.method = "POST",
              .pattern = "/api/v1/access/phone-requests",
              .summary = "A door asks a host to let a visitor in",
              .tag = "access",
              .device_signed = true,
              .roles = {"security", "admin"},
              .handler = [ctx](Call& call) {
                auto body = parseJsonObject(call.request, ctx->services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                auto device_id = textField(*body, "device_id", !call.device);
                auto visitor = textField(*body, "visitor_name", true);
                auto host = intField(*body, "host_person_id");
                for (const Status& s : {device_id.status(), visitor.status(), host.status()}) {
                  if (!s) return errorResponse(s);
                }
                access::NewPhoneRequest request{.host_person_id = *host, .visitor_name = *visitor};
                if (body->contains("room") && (*body)["room"].is_number_integer()) {
                  request.room = std::to_string((*body)["room"].get<int64_t>());
                } else {
                  auto room = textField(*body, "room", false);
                  if (!room) return errorResponse(room.status());
                  request.room = *room;
                }
                auto door = doorFor(*ctx, call, *device_id);
                if (!door) return errorResponse(door.status());
                auto created = ctx->service.requestPhone(*door, request);
                if (!created) return errorResponse(created.status());
                return jsonResponse(201, created->body);
              }});

  router.add(
      {.method = "GET",
       .pattern = "/api/v1/access/phone-requests/{id}",
       .summary = "A phone request's status; the asking door's poll opens an approved one once",
       .tag = "access",
       .device_signed = true,
       .roles = {"resident", "security", "admin"},
       .handler = [ctx](Call& call) {
         auto id = pathId(call);
         if (!id) return errorResponse(id.status());
         if (call.device) {
           auto polled = ctx->service.pollPhoneRequest(*call.device, *id);
           if (!polled) return errorResponse(polled.status());
           return jsonResponse(200, polled->body);
         }
         auto view = ctx->service.getPhoneRequest(*id);
         if (!view) return errorResponse(view.status());
         bool host = call.user->person_id && *call.user->person_id == view->host_person_id;
         bool staff = isStaff(*call.user) && call.scope().contains(view->region_path);
         if (!host && !staff)
           return errorResponse(Status::forbidden("无权查看此请求 (not your request to see)"));
         return jsonResponse(200, view->body);
       }});

  for (const bool approve : {true, false}) {
    router.add(
        {.method = "POST",
         .pattern =
             std::string("/api/v1/access/phone-requests/{id}/") + (approve ? "approve" : "refuse"),
         .summary = approve ? "The host lets the visitor in" : "The host refuses the visitor",
         .tag = "access",
         .roles = {"resident"},
         .handler = [ctx, approve](Call& call) {
           auto id = pathId(call);
           if (!id) return errorResponse(id.status());
           if (!call.user->person_id) return errorResponse(notLinked());
           auto decided = ctx->service.decidePhoneRequest(*id, *call.user->person_id, approve,
                                                          call.user->username);
           if (!decided) return errorResponse(decided.status());
           return jsonResponse(200, decided->body);
         }});
  }

  router.add(
      {.method = "POST",
       .pattern = "/api/v1/visitor-passes",
       .summary = "Issue a visitor pass; the answer holds its one-time code and QR, shown once",
       .tag = "access",
       .roles = {"resident", "security"},
       .handler = [ctx](Call& call) {
         auto body = parseJsonObject(call.request, ctx->services.options.max_json_depth);
         if (!body) return errorResponse(body.status());
         const int offset = ctx->services.options.utc_offset_minutes;
         access::NewPass pass;
         auto name = textField(*body, "visitor_name", true);
         auto phone = textField(*body, "visitor_phone", false);
         auto plate = textField(*body, "plate", false);
         auto from = timeField(*body, "valid_from", offset);
         auto to = timeField(*body, "valid_to", offset);
         auto uses = intField(*body, "uses");
         auto host = intField(*body, "host_person_id");
         for (const Status& s : {name.status(), phone.status(), plate.status(), from.status(),
                                 to.status(), uses.status(), host.status()}) {
           if (!s) return errorResponse(s);
         }
         if (!*to)
           return errorResponse(
               Status::invalid("valid_to", "缺少字段 valid_to (valid_to is required)"));
         pass.visitor_name = *name;
         pass.visitor_phone = *phone;
         pass.plate = *plate;
         pass.valid_from = *from;
         pass.valid_to = **to;
         if (*uses) {
           if (**uses < 1 || **uses > access::AccessService::kMaxPassUses)
             return errorResponse(
                 Status::invalid("uses", "使用次数应在 1 到 100 之间 (uses must be 1 to 100)"));
           pass.uses = static_cast<int>(**uses);
         }
         if (body->contains("device_ids") && !(*body)["device_ids"].is_null()) {
           if (!(*body)["device_ids"].is_array())
             return errorResponse(Status::invalid("device_ids", "device_ids must be an array"));
           for (const auto& d : (*body)["device_ids"]) {
             if (!d.is_string())
               return errorResponse(
                   Status::invalid("device_ids", "device_ids must be an array of strings"));
             pass.device_ids.push_back(d);
           }
         }
         pass.created_by = call.user->username;
         store::Scope scope = call.scope();
         if (isStaff(*call.user)) {
           if (!*host)
             return errorResponse(Status::invalid(
                 "host_person_id", "请指定被访住户 (host_person_id is required for staff)"));
           pass.host_person_id = **host;
         } else {
           // A resident invites visitors to their own home only.
           if (!call.user->person_id) return errorResponse(notLinked());
           if (*host && **host != *call.user->person_id)
             return errorResponse(Status::forbidden(
                 "只能为自己的访客开通行证 (residents issue passes for their own visitors)"));
           pass.host_person_id = *call.user->person_id;
           scope = store::Scope{};
         }
         std::string code;
         auto created = ctx->service.createPass(pass, scope, &code);
         if (!created) return errorResponse(created.status());
         Status audited = ctx->services.audit.record(auditEntry(
             call, "create", "visitor_passes", std::to_string(created->body["id"].get<int64_t>())));
         if (!audited) return errorResponse(audited);
         json out = created->body;
         out["code"] = code;
         out["qr"] = access::passQr(out["id"].get<int64_t>(), code);
         return jsonResponse(201, out);
       }});

  router.add({.method = "GET",
              .pattern = "/api/v1/visitor-passes",
              .summary = "Visitor passes: a resident's own, or those in a guard's region",
              .tag = "access",
              .roles = {"resident", "security"},
              .list = true,
              .query = {"host_person_id"},
              .handler = [ctx](Call& call) {
                auto query = listQuery(call, {"host_person_id"});
                if (!query) return errorResponse(query.status());
                if (!query->filters.empty())
                  return errorResponse(Status::invalid(
                      query->filters[0].first, "unknown filter " + query->filters[0].first));
                std::optional<int64_t> host;
                store::Scope scope = call.scope();
                if (isStaff(*call.user)) {
                  auto given = idParam(call, "host_person_id");
                  if (!given) return errorResponse(given.status());
                  host = *given;
                } else {
                  if (!call.user->person_id) return errorResponse(notLinked());
                  host = call.user->person_id;
                  scope = store::Scope{};
                }
                auto page = ctx->service.listPasses(scope, host, query->cursor, query->limit);
                if (!page) return errorResponse(page.status());
                return jsonResponse(200,
                                    {{"items", page->items},
                                     {"next", page->next ? json(*page->next) : json(nullptr)}});
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/visitor-passes/{id}",
              .summary = "One visitor pass (without its code)",
              .tag = "access",
              .roles = {"resident", "security"},
              .handler = [ctx](Call& call) {
                auto id = pathId(call);
                if (!id) return errorResponse(id.status());
                auto pass = ctx->service.getPass(*id);
                if (!pass) return errorResponse(pass.status());
                if (Status may = maySeePass(call, *pass); !may) return errorResponse(may);
                return passResponse(200, *pass);
              }});

  router.add({.method = "POST",
              .pattern = "/api/v1/visitor-passes/{id}/revoke",
              .summary = "Revoke a visitor pass: its code opens nothing from now on",
              .tag = "access",
              .roles = {"resident", "security"},
              .handler = [ctx](Call& call) {
                auto id = pathId(call);
                if (!id) return errorResponse(id.status());
                auto pass = ctx->service.getPass(*id);
                if (!pass) return errorResponse(pass.status());
                if (Status may = maySeePass(call, *pass); !may) return errorResponse(may);
                auto revoked = ctx->service.revokePass(*id);
                if (!revoked) return errorResponse(revoked.status());
                Status audited = ctx->services.audit.record(
                    auditEntry(call, "revoke", "visitor_passes", std::to_string(*id)));
                if (!audited) return errorResponse(audited);
                return passResponse(200, *revoked);
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/devices/{id}/credentials",
              .summary = "A door terminal's credential list, in full or changed since a cursor",
              .tag = "access",
              .device_signed = true,
              .roles = {"security", "admin"},
              .query = {"since"},
              .handler = [ctx](Call& call) {
                auto door = doorFor(*ctx, call, call.params["id"]);
                if (!door) return errorResponse(door.status());
                auto page = access::syncCredentials(ctx->services.db, door->id,
                                                    call.request.queryParam("since"),
                                                    ctx->services.options.utc_offset_minutes);
                if (!page) return errorResponse(page.status());
                return jsonResponse(
                    200, {{"items", page->items}, {"next", page->next}, {"more", page->more}});
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/devices/{id}/announcements",
              .summary = "The announcements a door display shows now",
              .tag = "access",
              .device_signed = true,
              .roles = kStaff,
              .handler = [ctx](Call& call) {
                auto door = doorFor(*ctx, call, call.params["id"]);
                if (!door) return errorResponse(door.status());
                std::vector<int64_t> buildings;
                if (door->building_id) buildings.push_back(*door->building_id);
                std::vector<json> items;
                Status s = ctx->services.db.read([&](store::Connection& c) -> Status {
                  auto found = access::currentAnnouncements(
                      c, door->estate_id, buildings, ctx->services.clock.nowMillis(),
                      ctx->services.options.utc_offset_minutes);
                  if (!found) return found.status();
                  items = std::move(*found);
                  return {};
                });
                if (!s) return errorResponse(s);
                return jsonResponse(200, {{"items", items}, {"next", nullptr}});
              }});

  router.add(
      {.method = "GET",
       .pattern = "/api/v1/portal/announcements",
       .summary = "The announcements of the signed-in resident's estate and buildings",
       .tag = "access",
       .roles = {"resident"},
       .handler = [ctx](Call& call) {
         if (!call.user->person_id) return errorResponse(notLinked());
         std::vector<json> items;
         Status s = ctx->services.db.read([&](store::Connection& c) -> Status {
           // Where the resident lives now: their registered estate, or the estate of a room.
           auto homes = c.query(
               "SELECT b.estate_id, b.id FROM residences r JOIN rooms m ON m.id = r.room_id JOIN "
               "buildings b ON b.id = m.building_id WHERE r.person_id = ? AND r.moved_out IS NULL "
               "UNION SELECT estate_id, NULL FROM persons WHERE id = ? AND estate_id IS NOT NULL",
               {*call.user->person_id, *call.user->person_id});
           if (!homes) return homes.status();
           std::map<int64_t, std::vector<int64_t>> estates;
           for (const auto& r : homes->rows) {
             auto& buildings = estates[store::asInt(r[0])];
             if (!store::isNull(r[1])) buildings.push_back(store::asInt(r[1]));
           }
           for (const auto& [estate, buildings] : estates) {
             auto found =
                 access::currentAnnouncements(c, estate, buildings, ctx->services.clock.nowMillis(),
                                              ctx->services.options.utc_offset_minutes);
             if (!found) return found.status();
             for (auto& a : *found) items.push_back(std::move(a));
           }
           return {};
         });
         if (!s) return errorResponse(s);
         return jsonResponse(200, {{"items", items}, {"next", nullptr}});
       }});
}

}  // namespace anju::api
