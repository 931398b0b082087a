// Managing users: admins create users in their own region or below and see only those.
#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"
#include "domain/entity.h"

namespace anju::api {

using nlohmann::json;

void addUserRoutes(Router& router, Services& services) {
  router.add(
      {.method = "POST",
       .pattern = "/api/v1/users",
       .summary = "Create a user with roles and a region",
       .tag = "users",
       .roles = {"admin"},
       .request_schema = "NewUser",
       .response_schema = "User",
       .handler = [&services](Call& call) {
         auto body = parseJsonObject(call.request, services.options.max_json_depth);
         if (!body) return errorResponse(body.status());
         store::NewUser user;
         for (const char* field : {"username", "password"}) {
           if (!body->contains(field) || !(*body)[field].is_string()) {
             return errorResponse(
                 Status::invalid(field, std::string(field) + " is required and must be a string"));
           }
         }
         user.username = (*body)["username"];
         user.password = (*body)["password"];
         if (!body->contains("roles") || !(*body)["roles"].is_array()) {
           return errorResponse(Status::invalid("roles", "roles must be an array of role names"));
         }
         for (const auto& role : (*body)["roles"]) {
           if (!role.is_string())
             return errorResponse(Status::invalid("roles", "roles must be an array of role names"));
           user.roles.push_back(role);
         }
         if (body->contains("region_id") && !(*body)["region_id"].is_null()) {
           if (!(*body)["region_id"].is_number_integer()) {
             return errorResponse(Status::invalid("region_id", "region_id must be an integer"));
           }
           user.region_id = (*body)["region_id"].get<int64_t>();
           auto path = services.records.regionPath(*user.region_id);
           if (!path)
             return errorResponse(Status::invalid("region_id", "未知区域 (unknown region_id)"));
           if (!call.scope().contains(*path))
             return errorResponse(
                 Status::forbidden("超出您的管辖范围 (outside your region scope)"));
         } else if (call.scope().path != "/") {
           return errorResponse(
               Status::invalid("region_id", "请指定用户所属区域 (region_id is required)"));
         }
         if (body->contains("person_id") && !(*body)["person_id"].is_null()) {
           if (!(*body)["person_id"].is_number_integer()) {
             return errorResponse(Status::invalid("person_id", "person_id must be an integer"));
           }
           // A login linked to a person acts for them (visitor passes, remote opening), so an
           // admin may link only persons inside their own scope.
           auto person = services.records.get(*domain::findEntity("persons"),
                                              std::to_string((*body)["person_id"].get<int64_t>()),
                                              call.scope());
           if (!person) {
             if (person.status().code() == Code::kNotFound)
               return errorResponse(Status::invalid("person_id", "未知人员 (unknown person_id)"));
             return errorResponse(person.status());
           }
           user.person_id = (*body)["person_id"].get<int64_t>();
         }
         if (body->contains("department_id") && !(*body)["department_id"].is_null()) {
           if (!(*body)["department_id"].is_number_integer()) {
             return errorResponse(
                 Status::invalid("department_id", "department_id must be an integer"));
           }
           user.department_id = (*body)["department_id"].get<int64_t>();
         }
         if (body->contains("display_name") && (*body)["display_name"].is_string()) {
           user.display_name = (*body)["display_name"];
         }
         auto created = services.users.create(user);
         if (!created) return errorResponse(created.status());
         Status audited = services.audit.record(
             auditEntry(call, "create", "users", std::to_string(created->id)));
         if (!audited) return errorResponse(audited);
         return jsonResponse(201, publicUserJson(*created));
       }});

  router.add({.method = "GET",
              .pattern = "/api/v1/users",
              .summary = "List the users in your region",
              .tag = "users",
              .roles = {"admin"},
              .response_schema = "User",
              .list = true,
              .handler = [&services](Call& call) {
                auto query = listQuery(call, {});
                if (!query) return errorResponse(query.status());
                if (!query->filters.empty()) {
                  return errorResponse(Status::invalid(
                      query->filters[0].first, "unknown filter " + query->filters[0].first));
                }
                if (query->limit < 1 || query->limit > 1000) {
                  return errorResponse(
                      Status::invalid("limit", "limit must be between 1 and 1000"));
                }
                int64_t after = 0;
                if (!query->cursor.empty()) {
                  try {
                    after = std::stoll(query->cursor);
                  } catch (...) {
                    return errorResponse(
                        Status::invalid("cursor", "cursor is not one this server gave out"));
                  }
                }
                // Users are counted in hundreds, not millions: paging the scoped list in memory is
                // enough.
                auto users = services.users.list(call.scope().path);
                if (!users) return errorResponse(users.status());
                json items = json::array();
                json next = nullptr;
                for (const auto& u : *users) {
                  if (u.id <= after) continue;
                  if (static_cast<int>(items.size()) == query->limit) {
                    next = std::to_string(items.back()["id"].get<int64_t>());
                    break;
                  }
                  items.push_back(publicUserJson(u));
                }
                return jsonResponse(200, {{"items", items}, {"next", next}});
              }});

  // API keys for systems (an Open311 gateway, the police system's incident feed): an admin
  // issues one for a user in their scope; it acts as that user until revoked.
  auto userInScope = [&services](Call& call) -> Result<store::User> {
    auto id = positiveId(call.params["id"]);
    if (!id) return Status::notFound("未找到用户 (no such user)");
    auto user = services.users.findById(*id);
    if (!user) return user.status();
    if (!call.scope().contains(user->region_path))
      return Status::forbidden("超出您的管辖范围 (outside your region scope)");
    return user;
  };
  router.add({.method = "PATCH",
              .pattern = "/api/v1/users/{id}",
              .summary = "Deactivate a user, or let them sign in again: {\"active\": false|true}",
              .tag = "users",
              .roles = {"admin"},
              .response_schema = "User",
              .handler = [&services, userInScope](Call& call) {
                auto user = userInScope(call);
                if (!user) return errorResponse(user.status());
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                for (const auto& [field, value] : body->items()) {
                  if (field != "active")
                    return errorResponse(Status::invalid(field, "only active may be changed"));
                }
                if (!body->contains("active") || !(*body)["active"].is_boolean())
                  return errorResponse(Status::invalid("active", "active must be true or false"));
                bool active = (*body)["active"];
                // An admin who locks themselves out may leave the region with no admin at all.
                if (!active && user->id == call.user->id)
                  return errorResponse(Status::invalid(
                      "active", "不能停用自己的账号 (you cannot deactivate yourself)"));
                Status changed = services.users.setActive(user->id, active);
                if (!changed) return errorResponse(changed);
                Status audited = services.audit.record(auditEntry(
                    call, active ? "activate" : "deactivate", "users", std::to_string(user->id)));
                if (!audited) return errorResponse(audited);
                auto now = services.users.findById(user->id);
                if (!now) return errorResponse(now.status());
                return jsonResponse(200, publicUserJson(*now));
              }});

  auto keyJson = [&services](const store::ApiKey& k) {
    json out = {
        {"id", k.id},
        {"user_id", k.user_id},
        {"name", k.name},
        {"created_at", formatTimestamp(k.created_at_ms, services.options.utc_offset_minutes)}};
    out["revoked_at"] =
        k.revoked_at_ms
            ? json(formatTimestamp(*k.revoked_at_ms, services.options.utc_offset_minutes))
            : json(nullptr);
    if (!k.key.empty()) out["key"] = k.key;
    return out;
  };

  router.add({.method = "POST",
              .pattern = "/api/v1/users/{id}/api-keys",
              .summary = "Issue an API key that acts as this user (shown once)",
              .tag = "users",
              .roles = {"admin"},
              .handler = [&services, userInScope, keyJson](Call& call) {
                auto user = userInScope(call);
                if (!user) return errorResponse(user.status());
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                if (!body->contains("name") || !(*body)["name"].is_string())
                  return errorResponse(Status::invalid("name", "name must be a string"));
                auto key = services.users.createApiKey(user->id, (*body)["name"]);
                if (!key) return errorResponse(key.status());
                ANJU_RETURN_IF_ERROR_RESPONSE(services.audit.record(
                    auditEntry(call, "create", "api_keys", std::to_string(key->id))));
                return jsonResponse(201, keyJson(*key));
              }});

  router.add({.method = "GET",
              .pattern = "/api/v1/users/{id}/api-keys",
              .summary = "The API keys of a user, without the keys themselves",
              .tag = "users",
              .roles = {"admin"},
              .list = true,
              .handler = [&services, userInScope, keyJson](Call& call) {
                auto user = userInScope(call);
                if (!user) return errorResponse(user.status());
                auto keys = services.users.apiKeys(user->id);
                if (!keys) return errorResponse(keys.status());
                json items = json::array();
                for (const auto& k : *keys) items.push_back(keyJson(k));
                return jsonResponse(200, {{"items", items}, {"next", nullptr}});
              }});

  router.add({.method = "DELETE",
              .pattern = "/api/v1/users/{id}/api-keys/{key_id}",
              .summary = "Revoke an API key at once",
              .tag = "users",
              .roles = {"admin"},
              .handler = [&services, userInScope](Call& call) {
                auto user = userInScope(call);
                if (!user) return errorResponse(user.status());
                auto key_id = positiveId(call.params["key_id"]);
                if (!key_id) return errorResponse(Status::notFound("未找到密钥 (no such API key)"));
                ANJU_RETURN_IF_ERROR_RESPONSE(services.users.revokeApiKey(user->id, *key_id));
                ANJU_RETURN_IF_ERROR_RESPONSE(services.audit.record(
                    auditEntry(call, "revoke", "api_keys", std::to_string(*key_id))));
                return jsonResponse(200, {{"revoked", true}});
              }});
}

}  // namespace anju::api
