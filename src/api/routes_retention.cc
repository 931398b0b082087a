// Retention's periods, what the next run would remove, and changing the periods from the console:
// for admins of the whole installation only, since retention removes data of every region.
#include <charconv>

#include "api/json_body.h"
#include "api/responses.h"
#include "api/routes.h"
#include "retention/retention.h"

namespace anju::api {

namespace {

Status wholeInstallationAdmin(const Call& call) {
  if (call.scope().path != "/")
    return Status::forbidden(
        "保留策略仅限全局管理员 (retention is for admins of the whole installation)");
  return {};
}

Status running(const Services& services) {
  if (!services.retention) return Status::notFound("保留策略未启用 (retention is not running)");
  return {};
}

http::Response planResponse(Services& services,
                            const std::vector<retention::DaysChange>& proposed = {}) {
  auto plan = services.retention->plan(proposed);
  if (!plan) return errorResponse(plan.status());
  return jsonResponse(200, retention::planJson(*plan, services.options.utc_offset_minutes));
}

// {"events": 90, "audit": null, ...}: whole days for each kind given; null hands the kind back to
// the configuration file.
Result<std::vector<retention::DaysChange>> readChanges(const nlohmann::json& body) {
  std::vector<retention::DaysChange> changes;
  for (const auto& [key, value] : body.items()) {
    retention::DaysChange change{.kind = key};
    if (value.is_number_integer()) {
      change.days = value.get<int64_t>();
    } else if (!value.is_null()) {
      return Status::invalid(key, "保留天数应为整数天 (" + key +
                                      " must be a whole number of days, or null for the "
                                      "configuration's value)");
    }
    ANJU_RETURN_IF_ERROR(retention::checkDays(key, change.days.value_or(0)));
    changes.push_back(std::move(change));
  }
  if (changes.empty())
    return Status::invalid("events",
                           "请至少给出一类数据的保留天数 (give the days of at least one of "
                           "captures, events, snapshots, audit)");
  return changes;
}

// ?events=90&audit=365: periods to preview instead of those in force.
Result<std::vector<retention::DaysChange>> readProposal(const Call& call) {
  std::vector<retention::DaysChange> proposed;
  for (const auto& k : retention::kKinds) {
    const std::string kind(k.name);
    const std::string text = call.request.queryParam(kind);
    if (text.empty()) continue;
    int64_t days = -1;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
    if (ec != std::errc() || ptr != text.data() + text.size())
      return Status::invalid(kind, "保留天数应为整数天 (" + kind + " must be whole days)");
    ANJU_RETURN_IF_ERROR(retention::checkDays(kind, days));
    proposed.push_back({.kind = kind, .days = days});
  }
  return proposed;
}

}  // namespace

void addRetentionRoutes(Router& router, Services& services) {
  router.add({.method = "GET",
              .pattern = "/api/v1/admin/retention",
              .summary = "Retention periods, where each comes from, and what would be removed "
                         "now, with the periods in force or those given to preview",
              .tag = "admin",
              .roles = {"admin"},
              .query = {"captures", "events", "snapshots", "audit"},
              .handler = [&services](Call& call) {
                ANJU_RETURN_IF_ERROR_RESPONSE(wholeInstallationAdmin(call));
                ANJU_RETURN_IF_ERROR_RESPONSE(running(services));
                auto proposed = readProposal(call);
                if (!proposed) return errorResponse(proposed.status());
                ANJU_RETURN_IF_ERROR_RESPONSE(
                    services.audit.record(auditEntry(call, "read", "retention", "")));
                return planResponse(services, *proposed);
              }});

  router.add({.method = "PUT",
              .pattern = "/api/v1/admin/retention",
              .summary = "Change retention periods; the answer is the new dry run",
              .tag = "admin",
              .roles = {"admin"},
              .handler = [&services](Call& call) {
                ANJU_RETURN_IF_ERROR_RESPONSE(wholeInstallationAdmin(call));
                ANJU_RETURN_IF_ERROR_RESPONSE(running(services));
                auto body = parseJsonObject(call.request, services.options.max_json_depth);
                if (!body) return errorResponse(body.status());
                auto changes = readChanges(*body);
                if (!changes) return errorResponse(changes.status());
                auto changed = services.retention->change(
                    *changes, auditEntry(call, "update", "retention", ""));
                if (!changed) return errorResponse(changed.status());
                return planResponse(services);
              }});
}

}  // namespace anju::api
