// One step of the loop: checked against the status and the caller, applied with its history
// record in one transaction, so a refused or failed step leaves the case as it was.
#include <algorithm>

#include "cases/case_history.h"
#include "cases/case_row.h"
#include "common/json_fields.h"

namespace anju::cases {

using nlohmann::json;
using store::Connection;
using store::Value;

namespace {

constexpr std::size_t kMaxNote = 2000;
constexpr std::size_t kMaxJoint = 20;

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

Result<std::string> choiceField(const json& body, const std::string& name,
                                const std::vector<std::string>& choices) {
  auto value = textField(body, name, true, 64);
  if (!value) return value.status();
  if (std::find(choices.begin(), choices.end(), *value) == choices.end())
    return Status::invalid(name, name + " 应为 " + joined(choices) + " (" + name +
                                     " must be one of " + joined(choices) + ")");
  return value;
}

struct Department {
  int64_t id = 0;
  std::string name;
};

// A unit named by id or by its exact name.
Result<Department> findDepartment(Connection& c, const json& value, const std::string& field) {
  Result<store::Rows> rows = Status::invalid(
      field, field + " 应为部门编号或名称 (" + field + " must be a department id or name)");
  if (value.is_number_integer()) {
    rows = c.query("SELECT id, name FROM departments WHERE id = ?", {value.get<int64_t>()});
  } else if (value.is_string()) {
    rows = c.query("SELECT id, name FROM departments WHERE name = ? ORDER BY id LIMIT 2",
                   {value.get<std::string>()});
  }
  if (!rows) return rows.status();
  if (rows->empty())
    return Status::invalid(field, "未知部门 " + value.dump() + " (unknown department)");
  if (rows->size() > 1)
    return Status::invalid(field, "有多个部门名为 " + value.dump() +
                                      " (several departments have this name; give its id)");
  return Department{store::asInt(rows->rows[0][0]), store::asText(rows->rows[0][1])};
}

}  // namespace

Result<json> CaseService::act(const store::User& caller, int64_t id, const json& body) {
  if (!body.contains("action") || !body["action"].is_string())
    return Status::invalid(
        "action", "缺少字段 action (action is required: one of " + joined(actionNames()) + ")");
  const std::string action = body["action"].get<std::string>();
  if (!isAction(action))
    return Status::invalid(
        "action", "未知操作 " + action + " (unknown action; one of " + joined(actionNames()) + ")");
  auto note = textField(body, "note", false, kMaxNote);
  if (!note) return note.status();

  json out;
  Status s = db_.write([&](Connection& c) -> Status {
    auto loaded = load(c, caller, id);
    if (!loaded) return loaded.status();
    const Loaded& l = *loaded;
    auto next = nextStatus(l.status, action);
    if (!next)
      return Status::conflict("案件当前状态为 " + l.status + "，不能执行 " + action + " (action " +
                                  action + " is not allowed from status " + l.status + ")",
                              "action");
    if (!mayAct(l.actor, action))
      return Status::forbidden("您无权对此案件执行 " + action + " (your role may not " + action +
                               " this case)");

    const int64_t now = clock_.nowMillis();
    json details = json::object();
    std::string sets;  // further "column = ?, " assignments
    std::vector<Value> values;
    auto set = [&](const char* column, Value v) {
      sets += std::string(column) + " = ?, ";
      values.push_back(std::move(v));
    };
    auto categoryDays = [&]() -> Result<std::optional<int64_t>> {
      auto rows = c.query("SELECT resolve_days FROM case_categories WHERE id = ?", {l.category});
      if (!rows) return rows.status();
      if (rows->empty() || store::isNull(rows->rows[0][0])) return std::optional<int64_t>();
      return std::optional<int64_t>(store::asInt(rows->rows[0][0]));
    };
    // Escalation and return hand the case back to a centre: nobody is assigned any more.
    auto clearJoint = [&]() -> Status {
      auto r = c.execute("DELETE FROM case_joint_departments WHERE case_id = ?", {l.id});
      return r ? Status{} : r.status();
    };
    auto clearAssignment = [&]() -> Status {
      set("lead_department_id", Value{});
      return clearJoint();
    };
    std::optional<int64_t> due;  // the new stage's deadline
    bool stage_changes = true;

    if (action == "accept") {
      set("accepted_at", now);
      due = now + policy_.triage_hours * kHourMs;
    } else if (action == "triage") {
      auto level = choiceField(body, "level", levelNames());
      if (!level) return level.status();
      auto route = choiceField(body, "route", routeNames());
      if (!route) return route.status();
      set("level", *level);
      set("route", *route);
      details = {{"level", *level}, {"route", *route}};
      due = now + policy_.assign_hours * kHourMs;
    } else if (action == "assign") {
      if (!body.contains("lead") || body["lead"].is_null())
        return Status::invalid("lead", "缺少字段 lead (lead is required: a department id or name)");
      auto lead = findDepartment(c, body["lead"], "lead");
      if (!lead) return lead.status();
      std::vector<Department> joint;
      if (body.contains("joint") && !body["joint"].is_null()) {
        if (!body["joint"].is_array() || body["joint"].size() > kMaxJoint)
          return Status::invalid("joint",
                                 "joint 应为至多 20 个部门的列表 (joint must be a list of "
                                 "at most 20 departments)");
        for (const auto& j : body["joint"]) {
          auto d = findDepartment(c, j, "joint");
          if (!d) return d.status();
          bool seen = d->id == lead->id || std::any_of(joint.begin(), joint.end(),
                                                       [&](auto& x) { return x.id == d->id; });
          if (!seen) joint.push_back(*d);
        }
      }
      auto days = categoryDays();
      if (!days) return days.status();
      const int64_t resolve_due = now + resolveDays(policy_, l.level, *days) * kDayMs;
      ANJU_RETURN_IF_ERROR(clearJoint());
      set("lead_department_id", lead->id);
      set("assigned_at", now);
      set("resolve_due_at", resolve_due);
      details["lead"] = {{"id", lead->id}, {"name", lead->name}};
      details["joint"] = json::array();
      for (const auto& d : joint) {
        auto r =
            c.execute("INSERT INTO case_joint_departments (case_id, department_id) VALUES (?, ?)",
                      {l.id, d.id});
        if (!r) return r.status();
        details["joint"].push_back({{"id", d.id}, {"name", d.name}});
      }
      due = std::min(now + policy_.start_hours * kHourMs, resolve_due);
    } else if (action == "start") {
      due = l.resolve_due_at;
    } else if (action == "report") {
      auto r = c.execute(
          "UPDATE case_joint_departments SET reported_at = ? WHERE case_id = ? AND "
          "department_id = ?",
          {now, l.id, caller.department_id.value_or(0)});
      if (!r) return r.status();
      stage_changes = false;
    } else if (action == "resolve") {
      auto summary = textField(body, "summary", true, kMaxDescription);
      if (!summary) return summary.status();
      const bool on_time = !l.resolve_due_at || now <= *l.resolve_due_at;
      set("summary", *summary);
      set("resolved_at", now);
      set("resolved_on_time", int64_t{on_time ? 1 : 0});
      details = {{"summary", *summary}, {"on_time", on_time}};
      due = now + policy_.feedback_hours * kHourMs;
    } else if (action == "feedback") {
      auto message = textField(body, "message", true, kMaxNote);
      if (!message) return message.status();
      auto reporters = c.query("SELECT COUNT(*) FROM case_reporters WHERE case_id = ?", {l.id});
      if (!reporters) return reporters.status();
      details = {{"message", *message}, {"reporters", reporters->scalarInt().value_or(0)}};
    } else if (action == "rate") {
      if (!body.contains("score") || !body["score"].is_number_integer() ||
          body["score"].get<int64_t>() < 1 || body["score"].get<int64_t>() > 5)
        return Status::invalid("score", "评分应为 1 到 5 的整数 (score must be an integer 1..5)");
      auto comment = textField(body, "comment", false, kMaxNote);
      if (!comment) return comment.status();
      const int64_t score = body["score"].get<int64_t>();
      set("rating", score);
      set("rating_comment", comment->empty() ? Value{} : Value(*comment));
      set("rated_at", now);
      details = {{"score", score}};
      due = now + policy_.close_hours * kHourMs;
    } else if (action == "close") {
      set("closed_at", now);
    } else if (action == "escalate" || action == "return" || action == "reopen") {
      auto reason = textField(body, "reason", true, kMaxNote);
      if (!reason) return reason.status();
      details = {{"reason", *reason}};
      if (action == "escalate") {
        auto above = levelAbove(l.level);
        if (!above)
          return Status::conflict("已是县级，无法再上报 (the case is already at county level)",
                                  "action");
        set("level", *above);
        sets += "escalations = escalations + 1, ";
        ANJU_RETURN_IF_ERROR(clearAssignment());
        details["from_level"] = l.level.empty() ? json(nullptr) : json(l.level);
        details["to_level"] = *above;
        due = now + policy_.triage_hours * kHourMs;
      } else if (action == "return" && *next == "accepted") {
        ANJU_RETURN_IF_ERROR(clearAssignment());
        due = now + policy_.triage_hours * kHourMs;
      } else if (action == "return") {
        set("resolved_at", Value{});
        set("resolved_on_time", Value{});
        due = l.resolve_due_at;
      } else {
        if (!l.resolved_at || now > *l.resolved_at + policy_.reopen_days * kDayMs)
          return Status::conflict("已超过 " + std::to_string(policy_.reopen_days) +
                                      " 天的重新办理期限 (the reopen window has passed)",
                                  "action");
        auto days = categoryDays();
        if (!days) return days.status();
        const int64_t resolve_due = now + resolveDays(policy_, l.level, *days) * kDayMs;
        sets += "reopens = reopens + 1, ";
        for (const char* column : {"resolved_at", "resolved_on_time", "rating", "rating_comment",
                                   "rated_at", "closed_at"})
          set(column, Value{});
        set("resolve_due_at", resolve_due);
        due = resolve_due;
      }
    } else if (action == "merge") {
      if (!body.contains("into") || !body["into"].is_number_integer() ||
          body["into"].get<int64_t>() <= 0)
        return Status::invalid("into", "into 应为目标案件编号 (into must be the id of a case)");
      const int64_t into = body["into"].get<int64_t>();
      if (into == l.id)
        return Status::invalid("into", "不能合并到自身 (a case cannot be merged into itself)");
      auto target = load(c, caller, into);
      if (!target) {
        if (target.status().code() == Code::kNotFound)
          return Status::invalid("into",
                                 "未找到目标案件 (no case with id " + std::to_string(into) + ")");
        return target.status();
      }
      if (target->status == "merged" || target->status == "closed")
        return Status::conflict("目标案件已" +
                                    std::string(target->status == "merged" ? "合并" : "办结") +
                                    " (the case to merge into is " + target->status + ")",
                                "into");
      set("merged_into", into);
      details = {{"into", into}};
      auto copied = c.execute(
          "INSERT INTO case_reporters (case_id, from_case_id, name, phone, user_id) "
          "SELECT CAST(? AS BIGINT), from_case_id, name, phone, user_id FROM case_reporters WHERE "
          "case_id = ?",
          {into, l.id});
      if (!copied) return copied.status();
      ANJU_RETURN_IF_ERROR(appendStep(c, {.case_id = into,
                                          .ts = now,
                                          .actor = caller.username,
                                          .actor_user_id = caller.id,
                                          .action = "merge",
                                          .from = target->status,
                                          .to = target->status,
                                          .note = *note,
                                          .details = {{"from_case", l.id}}}));
      auto touched = c.execute("UPDATE cases SET updated_at = ? WHERE id = ?", {now, into});
      if (!touched) return touched.status();
    }

    std::string sql = "UPDATE cases SET " + sets + "updated_at = ?";
    values.emplace_back(now);
    if (stage_changes) {
      // A new stage has a new deadline and has not been reminded of yet.
      sql += ", status = ?, due_at = ?, reminded_at = NULL";
      values.emplace_back(*next);
      values.push_back(due ? Value(*due) : Value{});
    }
    sql += " WHERE id = ?";
    values.emplace_back(l.id);
    auto updated = c.execute(sql, values);
    if (!updated) return updated.status();
    ANJU_RETURN_IF_ERROR(appendStep(c, {.case_id = l.id,
                                        .ts = now,
                                        .actor = caller.username,
                                        .actor_user_id = caller.id,
                                        .action = action,
                                        .from = l.status,
                                        .to = *next,
                                        .note = *note,
                                        .details = details}));
    // The answer shows the case as the step left it, even to a department that has just handed
    // it back and will not see it again.
    auto after = load(c, caller, id, false);
    if (!after) return after.status();
    auto shown = view(c, caller, *after);
    if (!shown) return shown.status();
    out = std::move(*shown);
    return {};
  });
  if (!s) return s;
  return out;
}

}  // namespace anju::cases
