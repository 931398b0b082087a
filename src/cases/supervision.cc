// Supervision (督办): stages past their deadline are flagged with a reminder to whoever holds the
// case, and open cases still late a while after that go up to the next level, where the centre
// triages them again. Both are recorded in the case's history as steps by "system".
#include <fmt/format.h>

#include "cases/case_history.h"
#include "cases/case_row.h"

namespace anju::cases {

using nlohmann::json;
using store::Connection;
using store::Value;

namespace {

constexpr int kSweepLimit = 500;  // per sweep; the next sweep takes the rest

Status recordStep(Connection& c, int64_t id, int64_t now, const std::string& action,
                  const std::string& from, const std::string& to, const std::string& note,
                  const json& details) {
  return appendStep(c, {.case_id = id,
                        .ts = now,
                        .actor = "system",
                        .action = action,
                        .from = from,
                        .to = to,
                        .note = note,
                        .details = details});
}

}  // namespace

Result<CaseService::SupervisionReport> CaseService::supervise() {
  const int64_t now = clock_.nowMillis();
  const int64_t escalate_before = now - policy_.escalate_after_hours * kHourMs;
  SupervisionReport report;
  Status s = db_.write([&](Connection& c) -> Status {
    // Late and not yet reminded, or late enough to escalate and not yet at the top.
    auto rows = c.query(
        "SELECT c.id, c.status, COALESCE(c.level, ''), c.due_at, c.reminded_at, d.name "
        "FROM cases c LEFT JOIN departments d ON d.id = c.lead_department_id "
        "WHERE c.due_at < ? AND (c.reminded_at IS NULL OR (c.due_at < ? AND c.status IN "
        "('accepted', 'triaged', 'assigned', 'in_progress') AND COALESCE(c.level, '') != "
        "'county')) ORDER BY c.due_at LIMIT ?",
        {now, escalate_before, int64_t{kSweepLimit}});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      const int64_t id = store::asInt(r[0]);
      const std::string status = store::asText(r[1]);
      const std::string level = store::asText(r[2]);
      const int64_t due = store::asInt(r[3]);
      const std::string holder = store::isNull(r[5]) ? "" : store::asText(r[5]);
      auto above = levelAbove(level);
      if (isOpenStage(status) && above && due < escalate_before) {
        auto updated = c.execute(
            "UPDATE cases SET level = ?, escalations = escalations + 1, lead_department_id = "
            "NULL, status = 'accepted', due_at = ?, reminded_at = NULL, updated_at = ? WHERE id = "
            "?",
            {*above, now + policy_.triage_hours * kHourMs, now, id});
        if (!updated) return updated.status();
        auto joint = c.execute("DELETE FROM case_joint_departments WHERE case_id = ?", {id});
        if (!joint) return joint.status();
        ANJU_RETURN_IF_ERROR(recordStep(
            c, id, now, "escalate", status, "accepted",
            fmt::format("超期自动上报：{} 阶段超过期限 {} 小时以上 (escalated automatically: the "
                        "{} stage is more than {} hours past its deadline)",
                        status, policy_.escalate_after_hours, status, policy_.escalate_after_hours),
            {{"from_level", level.empty() ? json(nullptr) : json(level)},
             {"to_level", *above},
             {"automatic", true}}));
        ++report.escalated;
        continue;
      }
      if (!store::isNull(r[4])) continue;
      auto reminded = c.execute("UPDATE cases SET reminded_at = ? WHERE id = ?", {now, id});
      if (!reminded) return reminded.status();
      ANJU_RETURN_IF_ERROR(recordStep(
          c, id, now, "remind", status, status,
          fmt::format("督办提醒：{} 阶段已超过期限 {}{} (reminder: the {} stage is past its "
                      "deadline)",
                      status, formatTime(due), holder.empty() ? "" : "，承办单位 " + holder,
                      status),
          {{"stage", status},
           {"due_at", formatTime(due)},
           {"handler", holder.empty() ? json(nullptr) : json(holder)}}));
      ++report.reminded;
    }
    return {};
  });
  if (!s) return s;
  return report;
}

}  // namespace anju::cases
