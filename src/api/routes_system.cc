// Health, the OpenAPI document, and signing in and out.
#include <memory>

#include "api/json_body.h"
#include "api/login_throttle.h"
#include "api/responses.h"
#include "api/routes.h"
#include "common/log.h"

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
  out["person_id"] = u.person_id ? json(*u.person_id) : json(nullptr);
  out["department_id"] = u.department_id ? json(*u.department_id) : json(nullptr);
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

  auto throttle = std::make_shared<LoginThrottle>(services.db, services.clock);
  router.add({.method = "POST",
              .pattern = "/api/v1/auth/login",
              .summary = "Sign in with username and password",
              .tag = "auth",
              .authenticated = false,
              .request_schema = "Login",
              .handler = [&services, throttle](Call& call) {
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                for (const char* field : {"username", "password"}) {
                  if (!body->contains(field) || !(*body)[field].is_string()) {
                    return errorResponse(Status::invalid(
                        field, std::string("缺少字段 ") + field + " (" + field + " is required)"));
                  }
                }
                const std::string username = (*body)["username"];
                const std::string& address = call.request.remote_address;
                auto wait = throttle->retryAfterSeconds(username, address);
                if (!wait) return errorResponse(wait.status());
                if (*wait > 0) {
                  auto refused =
                      errorResponse({Code::kRateLimited,
                                     "登录失败次数过多，请 " + std::to_string(*wait) +
                                         " 秒后再试 (too many failed sign-ins; try again in " +
                                         std::to_string(*wait) + " s)"});
                  refused.headers.emplace_back("Retry-After", std::to_string(*wait));
                  return refused;
                }
                auto session =
                    services.users.login(username, (*body)["password"], services.options.token_ttl);
                Status counted;
                if (session) {
                  counted = throttle->recordSuccess(username);
                } else if (session.status().code() == Code::kUnauthenticated) {
                  counted = throttle->recordFailure(username, address);
                }
                if (!counted) log::warn("auth.throttle_not_kept", {{"error", counted.message()}});
                store::AuditEntry entry{.user = username,
                                        .action = session ? "login" : "login_failed",
                                        .object = "session",
                                        .address = address};
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
