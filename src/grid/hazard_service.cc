#include "grid/hazard_service.h"

#include "common/json_fields.h"
#include "grid/hazard_flow.h"

namespace anju::grid {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxNote = 2000;

Status required(const std::string& value, const char* name, const std::string& action) {
  if (!value.empty()) return {};
  return Status::invalid(name,
                         "缺少字段 " + std::string(name) + " (" + action + " needs " + name + ")");
}

// A deadline must be a real date, and not one already past.
Status checkDeadline(const std::string& date, const std::string& today) {
  if (!isValidDate(date))
    return Status::invalid("rectify_by",
                           "整改期限应为 YYYY-MM-DD (rectify_by must be a date, YYYY-MM-DD)");
  if (date < today)
    return Status::invalid("rectify_by", "整改期限早于今天 (rectify_by is in the past)");
  return {};
}

Status checkFields(const HazardAction& a, const std::string& today) {
  if (a.action == "assign") {
    ANJU_RETURN_IF_ERROR(required(a.assignee, "assignee", a.action));
    ANJU_RETURN_IF_ERROR(required(a.rectify_by, "rectify_by", a.action));
    return checkDeadline(a.rectify_by, today);
  }
  if (a.action == "rectify") return required(a.note, "note", a.action);
  if (!a.passed)
    return Status::invalid("passed", "验收须给出 passed (verify needs passed: true or false)");
  if (*a.passed) return {};
  ANJU_RETURN_IF_ERROR(required(a.note, "note", "a failed verify"));
  return a.rectify_by.empty() ? Status() : checkDeadline(a.rectify_by, today);
}

json details(const HazardAction& a) {
  json d = json::object();
  if (!a.assignee.empty()) d["assignee"] = a.assignee;
  if (!a.rectify_by.empty()) d["rectify_by"] = a.rectify_by;
  if (a.passed) d["passed"] = *a.passed;
  return d;
}

Status outOfScope() {
  return Status::forbidden("该隐患不在您的管辖范围内 (this hazard is outside your region)");
}

Status noSuchHazard(int64_t id) {
  return Status::notFound("没有这个隐患 (no hazard " + std::to_string(id) + ")");
}

// The hazard's status and region, or why the caller may not touch it.
Result<std::string> currentStatus(store::Connection& c, int64_t id, const store::Scope& scope) {
  auto rows = c.query("SELECT status, region_path FROM hazards WHERE id = ?", {id});
  if (!rows) return rows.status();
  if (rows->empty()) return noSuchHazard(id);
  if (!scope.contains(store::asText(rows->rows[0][1]))) return outOfScope();
  return store::asText(rows->rows[0][0]);
}

}  // namespace

Result<HazardAction> parseHazardAction(const json& body) {
  static const char* const kKnown[] = {"action", "note", "assignee", "rectify_by", "passed"};
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool known = false;
    for (const char* k : kKnown) known = known || it.key() == k;
    if (!known)
      return Status::invalid(it.key(),
                             "未知字段 " + it.key() + " (unknown field " + it.key() + ")");
  }
  HazardAction a;
  auto action = textField(body, "action", false, 32);
  if (!action) return action.status();
  if (!isHazardAction(*action))
    return Status::invalid("action", "未知操作 (action must be assign, rectify or verify)");
  a.action = *action;
  auto note = textField(body, "note", false, kMaxNote);
  auto assignee = textField(body, "assignee", false, 64);
  auto rectify_by = textField(body, "rectify_by", false, 10);
  for (const Status& s : {note.status(), assignee.status(), rectify_by.status()}) {
    if (!s) return s;
  }
  a.note = *note;
  a.assignee = *assignee;
  a.rectify_by = *rectify_by;
  if (body.contains("passed") && !body["passed"].is_null()) {
    if (!body["passed"].is_boolean())
      return Status::invalid("passed", "passed 应为 true 或 false (passed must be a boolean)");
    a.passed = body["passed"].get<bool>();
  }
  return a;
}

HazardService::HazardService(store::Database& db, const Clock& clock, int utc_offset_minutes)
    : db_(db), clock_(clock), utc_offset_minutes_(utc_offset_minutes) {}

std::string HazardService::today() const {
  return formatTimestamp(clock_.nowMillis(), utc_offset_minutes_).substr(0, 10);
}

Status HazardService::apply(int64_t hazard_id, const HazardAction& action,
                            const store::Scope& scope, const std::string& actor,
                            std::vector<std::string>& allowed) {
  const int64_t now = clock_.nowMillis();
  const std::string day = today();
  return db_.write([&](store::Connection& c) -> Status {
    auto from = currentStatus(c, hazard_id, scope);
    if (!from) return from.status();
    auto to = nextHazardStatus(*from, action.action, action.passed.value_or(false));
    if (!to) {
      allowed = allowedHazardActions(*from);
      return Status::conflict("隐患当前状态为 " + *from + "，不能执行 " + action.action +
                                  " (a hazard that is " + *from + " cannot take " + action.action +
                                  ")",
                              "action");
    }
    ANJU_RETURN_IF_ERROR(checkFields(action, day));

    std::string sql = "UPDATE hazards SET status = ?, updated_at = ?";
    std::vector<store::Value> params{*to, now};
    if (action.action == "assign") {
      sql += ", assignee = ?, rectify_by = ?";
      params.emplace_back(action.assignee);
      params.emplace_back(action.rectify_by);
    } else if (action.action == "rectify") {
      sql += ", rectified_on = ?";
      params.emplace_back(day);
    } else if (*to == "verified") {
      sql += ", verified_on = ?";
      params.emplace_back(day);
    } else {
      // Sent back: the rectification did not hold, so it is no longer done.
      sql += ", rectified_on = NULL";
      if (!action.rectify_by.empty()) {
        sql += ", rectify_by = ?";
        params.emplace_back(action.rectify_by);
      }
    }
    sql += " WHERE id = ?";
    params.emplace_back(hazard_id);
    auto updated = c.execute(sql, params);
    if (!updated) return updated.status();

    const json d = details(action);
    auto recorded = c.execute(
        "INSERT INTO hazard_history (hazard_id, ts, actor, action, from_status, to_status, note, "
        "details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {hazard_id, now, actor, action.action, *from, *to,
         action.note.empty() ? store::Value() : store::Value(action.note),
         d.empty() ? store::Value() : store::Value(d.dump())});
    return recorded ? Status() : recorded.status();
  });
}

Result<json> HazardService::history(int64_t hazard_id, const store::Scope& scope) {
  json items = json::array();
  Status st = db_.read([&](store::Connection& c) -> Status {
    auto status = currentStatus(c, hazard_id, scope);
    if (!status) return status.status();
    auto rows = c.query(
        "SELECT ts, actor, action, from_status, to_status, note, details FROM hazard_history "
        "WHERE hazard_id = ? ORDER BY id",
        {hazard_id});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      json item{{"ts", formatTimestamp(store::asInt(r[0]), utc_offset_minutes_)},
                {"actor", store::asText(r[1])},
                {"action", store::asText(r[2])},
                {"from", store::asText(r[3])},
                {"to", store::asText(r[4])}};
      if (!store::isNull(r[5])) item["note"] = store::asText(r[5]);
      if (!store::isNull(r[6])) item.update(json::parse(store::asText(r[6])));
      items.push_back(std::move(item));
    }
    return {};
  });
  if (!st) return st;
  return items;
}

}  // namespace anju::grid
