// Health, the OpenAPI document, and signing in and out.
#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"

namespace anju::api {

using nlohmann::json;

namespace {

json userJson(const store::User& u) {
  json roles = json::array();
  for (const auto& r : u.roles) roles.push_back(r);
  json out = {{"id", u.id},
              {"username", u.username},
              {"roles", roles},
              {"display_name", u.display_name},
              {"active", u.active}};
  out["region_id"] = u.region_id ? json(*u.region_id) : json(nullptr);
  return out;
}

}  // namespace

json publicUserJson(const store::User& u) {
  return userJson(u);
}

void addSystemRoutes(Router& router, Services& services) {
  router.add({.method = "GET",
              .pattern = "/healthz",
              .summary = "Liveness and store check",
              .tag = "system",
              .authenticated = false,
              .handler = [](Call&) {
                return jsonResponse(200, {{"status", "ok"}});
              }});

  const Router* routes = &router;
  router.add({.method = "GET",
              .pattern = "/api/v1/openapi.json",
              .summary = "This API described in OpenAPI 3",
              .tag = "system",
              .authenticated = false,
              .handler = [routes](Call&) { return jsonResponse(200, openApiDocument(*routes)); }});

  router.add({.method = "POST",
              .pattern = "/api/v1/auth/login",
              .summary = "Sign in with username and password",
              .tag = "auth",
              .authenticated = false,
              .request_schema = "Login",
              .handler = [&services](Call& call) {
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                for (const char* field : {"username", "password"}) {
                  if (!body->contains(field) || !(*body)[field].is_string()) {
                    return errorResponse(Status::invalid(
                        field, std::string("缺少字段 ") + field + " (" + field + " is required)"));
                  }
                }
                auto session = services.users.login((*body)["username"], (*body)["password"],
                                                    services.options.token_ttl);
                store::AuditEntry entry{.user = (*body)["username"].get<std::string>(),
                                        .action = session ? "login" : "login_failed",
                                        .object = "session",
                                        .address = call.request.remote_address};
                Status audited = services.audit.record(entry);
                if (!session) return errorResponse(session.status());
                if (!audited) return errorResponse(audited);
                return jsonResponse(
                    200, {{"token", session->token},
                          {"expires_at", formatTimestamp(session->expires_at_ms,
                                                         services.options.utc_offset_minutes)},
                          {"user", userJson(session->user)}});
              }});

  router.add({.method = "POST",
              .pattern = "/api/v1/auth/logout",
              .summary = "End this token's session",
              .tag = "auth",
              .handler = [&services](Call& call) {
                std::string header = call.request.header("authorization");
                Status s = services.users.logout(header.substr(7));
                if (!s) return errorResponse(s);
                return jsonResponse(200, {{"logged_out", true}});
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/auth/me",
              .summary = "The signed-in user",
              .tag = "auth",
              .handler = [](Call& call) { return jsonResponse(200, userJson(*call.user)); }});
}

}  // namespace anju::api
