#include "cases/case_history.h"

namespace anju::cases {

using store::Value;

Status appendStep(store::Connection& c, const CaseStep& s) {
  auto r = c.execute(
      "INSERT INTO case_history (case_id, ts, actor, actor_user_id, action, from_status, "
      "to_status, note, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {s.case_id, s.ts, s.actor, s.actor_user_id ? Value(*s.actor_user_id) : Value{}, s.action,
       s.from.empty() ? Value{} : Value(s.from), s.to, s.note.empty() ? Value{} : Value(s.note),
       s.details.dump()});
  return r ? Status{} : r.status();
}

Status appendNote(store::Connection& c, int64_t case_id, int64_t ts, const std::string& actor,
                  const std::string& action, const std::string& note,
                  const nlohmann::json& details) {
  auto status = c.query("SELECT status FROM cases WHERE id = ?", {case_id});
  if (!status) return status.status();
  if (status->empty()) return Status::notFound("no case " + std::to_string(case_id));
  const std::string now = status->scalarText().value_or("");
  return appendStep(c, {.case_id = case_id,
                        .ts = ts,
                        .actor = actor,
                        .action = action,
                        .from = now,
                        .to = now,
                        .note = note,
                        .details = details});
}

}  // namespace anju::cases
