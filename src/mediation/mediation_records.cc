#include "mediation/mediation_records.h"

#include <algorithm>
#include <array>

#include "cases/case_history.h"
#include "common/utf8.h"
#include "domain/phone.h"

namespace anju::mediation {

using nlohmann::json;
using store::asInt;
using store::asText;
using store::Connection;
using store::isNull;
using store::Value;

namespace {

constexpr std::array kKinds = {"people", "administrative", "court"};
constexpr std::array kRoles = {"applicant", "respondent", "other"};
constexpr std::array kOutcomes = {"agreed", "failed", "withdrawn"};
constexpr std::size_t kMaxParties = 50;

template <std::size_t N>
bool oneOf(const std::string& value, const std::array<const char*, N>& choices) {
  return std::find(choices.begin(), choices.end(), value) != choices.end();
}

// Required text of at most `max` characters.
Status checkText(const std::string& field, const std::string& value, std::size_t max,
                 bool required) {
  if (required && value.empty())
    return Status::invalid(field, "缺少字段 " + field + " (" + field + " is required)");
  if (utf8Length(value) > max)
    return Status::invalid(field, field + " 过长 (" + field + " is longer than " +
                                      std::to_string(max) + " characters)");
  return {};
}

Value optionalText(const std::string& text) {
  return text.empty() ? Value{} : Value(text);
}

json textOrNull(const Value& v) {
  return isNull(v) ? json(nullptr) : json(asText(v));
}

// The kind a case's triage route implies; a case not routed to a mediation is mediated by a
// people's mediation committee (人民调解), the default of grassroots mediation.
std::string kindOfRoute(const std::string& route) {
  if (route == "administrative_mediation") return "administrative";
  if (route == "court_mediation") return "court";
  return "people";
}

Status notFound(int64_t id) {
  return Status::notFound("没有这条调解记录 (no mediation record " + std::to_string(id) + ")");
}

Status outsideScope() {
  return Status::forbidden("该案件不在您的管辖范围内 (the case is outside your region)");
}

}  // namespace

MediationRecords::MediationRecords(store::Database& db, const Clock& clock, int utc_offset_minutes)
    : db_(db), clock_(clock), utc_offset_minutes_(utc_offset_minutes) {}

Result<json> MediationRecords::load(Connection& c, int64_t id, const store::Scope& scope,
                                    bool with_sessions) {
  auto rows = c.query(
      "SELECT m.id, m.case_id, m.kind, m.mediator, m.outcome, m.agreement, m.concluded_at, "
      "m.concluded_by, m.confirmation, m.court, m.confirmation_reference, m.confirmation_reason, "
      "m.confirmation_requested_at, m.confirmation_decided_at, m.created_by, m.created_at, "
      "m.updated_at, c.region_path FROM mediations m JOIN cases c ON c.id = m.case_id "
      "WHERE m.id = ?",
      {id});
  if (!rows) return rows.status();
  if (rows->empty()) return notFound(id);
  const auto& r = rows->rows[0];
  if (!scope.contains(asText(r[17]))) return outsideScope();
  auto time = [&](const Value& v) {
    return isNull(v) ? json(nullptr) : json(formatTimestamp(asInt(v), utc_offset_minutes_));
  };

  auto parties = c.query(
      "SELECT name, role, phone FROM mediation_parties WHERE mediation_id = ? ORDER BY id", {id});
  if (!parties) return parties.status();
  json party_list = json::array();
  for (const auto& p : parties->rows) {
    party_list.push_back(
        {{"name", asText(p[0])}, {"role", asText(p[1])}, {"phone", textOrNull(p[2])}});
  }

  json view = {{"id", asInt(r[0])},
               {"case_id", asInt(r[1])},
               {"kind", asText(r[2])},
               {"mediator", asText(r[3])},
               {"status", isNull(r[4]) ? "open" : asText(r[4])},
               {"outcome", textOrNull(r[4])},
               {"agreement", textOrNull(r[5])},
               {"concluded_at", time(r[6])},
               {"concluded_by", textOrNull(r[7])},
               {"parties", std::move(party_list)},
               {"confirmation",
                {{"status", asText(r[8])},
                 {"court", textOrNull(r[9])},
                 {"reference", textOrNull(r[10])},
                 {"reason", textOrNull(r[11])},
                 {"requested_at", time(r[12])},
                 {"decided_at", time(r[13])}}},
               {"created_by", asText(r[14])},
               {"created_at", time(r[15])},
               {"updated_at", time(r[16])}};

  if (with_sessions) {
    auto sessions = c.query(
        "SELECT id, held_at, place, notes, recorded_by FROM mediation_sessions "
        "WHERE mediation_id = ? ORDER BY held_at, id",
        {id});
    if (!sessions) return sessions.status();
    json list = json::array();
    for (const auto& s : sessions->rows) {
      list.push_back({{"id", asInt(s[0])},
                      {"held_at", time(s[1])},
                      {"place", textOrNull(s[2])},
                      {"notes", textOrNull(s[3])},
                      {"recorded_by", asText(s[4])}});
    }
    view["sessions"] = std::move(list);
  }
  return view;
}

Result<json> MediationRecords::create(int64_t case_id, const NewMediation& record,
                                      const store::Scope& scope, const std::string& actor) {
  ANJU_RETURN_IF_ERROR(checkText("mediator", record.mediator, 64, true));
  if (!record.kind.empty() && !oneOf(record.kind, kKinds))
    return Status::invalid("kind", "未知调解类型 (kind must be people, administrative or court)");
  if (record.parties.empty() || record.parties.size() > kMaxParties)
    return Status::invalid("parties", "请填写 1 到 50 名当事人 (parties must list 1 to 50 people)");
  std::vector<Party> parties = record.parties;
  for (std::size_t i = 0; i < parties.size(); ++i) {
    const std::string at = "parties[" + std::to_string(i) + "].";
    ANJU_RETURN_IF_ERROR(checkText(at + "name", parties[i].name, 64, true));
    if (!oneOf(parties[i].role, kRoles))
      return Status::invalid(at + "role", "当事人身份应为 applicant、respondent 或 other (" + at +
                                              "role must be applicant, respondent or other)");
    if (!parties[i].phone.empty()) {
      auto phone = domain::normalizePhone(parties[i].phone);
      if (!phone) return Status::invalid(at + "phone", phone.status().message());
      parties[i].phone = *phone;
    }
  }

  const int64_t now = clock_.nowMillis();
  int64_t id = 0;
  json out;
  Status s = db_.write([&](Connection& c) -> Status {
    auto found = c.query("SELECT region_path, status, route, merged_into FROM cases WHERE id = ?",
                         {case_id});
    if (!found) return found.status();
    if (found->empty())
      return Status::notFound("没有这个案件 (no case " + std::to_string(case_id) + ")");
    const auto& k = found->rows[0];
    if (!scope.contains(asText(k[0]))) return outsideScope();
    if (asText(k[1]) == "merged")
      return Status::conflict("该案件已并入案件 " + asText(k[3]) +
                              "，请在该案件下记录 (the case was merged into case " + asText(k[3]) +
                              "; record the mediation there)");
    const std::string kind = record.kind.empty() ? kindOfRoute(asText(k[2])) : record.kind;
    auto inserted = c.query(
        "INSERT INTO mediations (case_id, kind, mediator, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        {case_id, kind, record.mediator, actor, now, now});
    if (!inserted) return inserted.status();
    id = asInt(inserted->rows[0][0]);
    for (const auto& p : parties) {
      auto added = c.execute(
          "INSERT INTO mediation_parties (mediation_id, name, role, phone) VALUES (?, ?, ?, ?)",
          {id, p.name, p.role, optionalText(p.phone)});
      if (!added) return added.status();
    }
    ANJU_RETURN_IF_ERROR(cases::appendNote(c, case_id, now, actor, "mediation",
                                           "开始调解，调解员 " + record.mediator,
                                           {{"mediation_id", id}, {"kind", kind}}));
    auto loaded = load(c, id, scope, true);
    if (!loaded) return loaded.status();
    out = std::move(*loaded);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<json> MediationRecords::get(int64_t id, const store::Scope& scope) {
  json out;
  Status s = db_.read([&](Connection& c) -> Status {
    auto loaded = load(c, id, scope, true);
    if (!loaded) return loaded.status();
    out = std::move(*loaded);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<store::ListPage> MediationRecords::list(const ListFilter& filter,
                                               const store::Scope& scope) {
  if (filter.limit < 1 || filter.limit > 1000)
    return Status::invalid("limit", "limit 应在 1 到 1000 之间 (limit must be between 1 and 1000)");
  std::string where = "WHERE c.region_path >= ? AND c.region_path < ?";
  std::vector<Value> params{scope.path, scope.upperBound()};
  if (filter.case_id) {
    where += " AND m.case_id = ?";
    params.emplace_back(*filter.case_id);
  }
  if (filter.status == "open") {
    where += " AND m.outcome IS NULL";
  } else if (!filter.status.empty()) {
    if (!oneOf(filter.status, kOutcomes))
      return Status::invalid("status",
                             "未知状态 (status must be open, agreed, failed or withdrawn)");
    where += " AND m.outcome = ?";
    params.emplace_back(filter.status);
  }
  if (!filter.cursor.empty()) {
    int64_t after = 0;
    try {
      after = std::stoll(filter.cursor);
    } catch (...) {
      return Status::invalid("cursor", "无效的游标 (cursor is not one this server gave out)");
    }
    where += " AND m.id > ?";
    params.emplace_back(after);
  }
  params.emplace_back(int64_t{filter.limit + 1});
  store::ListPage page;
  Status s = db_.read([&](Connection& c) -> Status {
    auto rows = c.query("SELECT m.id FROM mediations m JOIN cases c ON c.id = m.case_id " + where +
                            " ORDER BY m.id LIMIT ?",
                        params);
    if (!rows) return rows.status();
    for (std::size_t i = 0; i < rows->size(); ++i) {
      if (static_cast<int>(i) == filter.limit) {
        page.next = std::to_string(page.items.back()["id"].get<int64_t>());
        break;
      }
      auto loaded = load(c, asInt(rows->rows[i][0]), scope, false);
      if (!loaded) return loaded.status();
      page.items.push_back(std::move(*loaded));
    }
    return {};
  });
  if (!s) return s;
  return page;
}

Result<json> MediationRecords::change(
    int64_t id, const store::Scope& scope,
    const std::function<Status(Connection&, const json& record)>& work) {
  json out;
  Status s = db_.write([&](Connection& c) -> Status {
    auto before = load(c, id, scope, false);
    if (!before) return before.status();
    ANJU_RETURN_IF_ERROR(work(c, *before));
    auto after = load(c, id, scope, true);
    if (!after) return after.status();
    out = std::move(*after);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<json> MediationRecords::addSession(int64_t id, const NewSession& session,
                                          const store::Scope& scope, const std::string& actor) {
  ANJU_RETURN_IF_ERROR(checkText("place", session.place, 200, false));
  ANJU_RETURN_IF_ERROR(checkText("notes", session.notes, 4000, false));
  const int64_t now = clock_.nowMillis();
  return change(id, scope, [&](Connection& c, const json& record) -> Status {
    if (record["status"] != "open")
      return Status::conflict("调解已结束，不能再添加调解会 (the mediation has concluded as " +
                              record["status"].get<std::string>() + "; no further sessions)");
    auto added = c.execute(
        "INSERT INTO mediation_sessions (mediation_id, held_at, place, notes, recorded_by, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?)",
        {id, session.held_at, optionalText(session.place), optionalText(session.notes), actor,
         now});
    if (!added) return added.status();
    auto touched = c.execute("UPDATE mediations SET updated_at = ? WHERE id = ?", {now, id});
    if (!touched) return touched.status();
    return cases::appendNote(c, record["case_id"].get<int64_t>(), now, actor, "mediation_session",
                             session.notes, {{"mediation_id", id}});
  });
}

Result<json> MediationRecords::conclude(int64_t id, const Outcome& outcome,
                                        const store::Scope& scope, const std::string& actor) {
  if (!oneOf(outcome.outcome, kOutcomes))
    return Status::invalid("outcome", "未知调解结果 (outcome must be agreed, failed or withdrawn)");
  ANJU_RETURN_IF_ERROR(
      checkText("agreement", outcome.agreement, 8000, outcome.outcome == "agreed"));
  const int64_t now = clock_.nowMillis();
  return change(id, scope, [&](Connection& c, const json& record) -> Status {
    if (record["status"] != "open")
      return Status::conflict("调解已有结果 (the mediation already concluded as " +
                                  record["status"].get<std::string>() + ")",
                              "outcome");
    auto updated = c.execute(
        "UPDATE mediations SET outcome = ?, agreement = ?, concluded_at = ?, concluded_by = ?, "
        "updated_at = ? WHERE id = ?",
        {outcome.outcome, optionalText(outcome.agreement), now, actor, now, id});
    if (!updated) return updated.status();
    return cases::appendNote(c, record["case_id"].get<int64_t>(), now, actor, "mediation_outcome",
                             outcome.agreement,
                             {{"mediation_id", id}, {"outcome", outcome.outcome}});
  });
}

Result<json> MediationRecords::confirm(int64_t id, const ConfirmationStep& step,
                                       const store::Scope& scope, const std::string& actor) {
  if (step.action == "request") {
    ANJU_RETURN_IF_ERROR(checkText("court", step.court, 100, true));
  } else if (step.action == "grant") {
    ANJU_RETURN_IF_ERROR(checkText("reference", step.reference, 100, true));
  } else if (step.action == "refuse") {
    ANJU_RETURN_IF_ERROR(checkText("reason", step.reason, 2000, true));
  } else {
    return Status::invalid("action", "未知操作 (action must be request, grant or refuse)");
  }
  const int64_t now = clock_.nowMillis();
  return change(id, scope, [&](Connection& c, const json& record) -> Status {
    const std::string state = record["confirmation"]["status"];
    if (step.action == "request") {
      if (record["status"] != "agreed")
        return Status::conflict(
            "调解未达成协议，不能申请司法确认 (judicial confirmation needs an agreed outcome; "
            "the mediation is " +
                record["status"].get<std::string>() + ")",
            "action");
      if (state != "none")
        return Status::conflict("司法确认已" + std::string(state == "requested" ? "申请" : "办结") +
                                    " (confirmation is " + state + "; allowed now: " +
                                    (state == "requested" ? "grant, refuse" : "none") + ")",
                                "action");
      auto updated = c.execute(
          "UPDATE mediations SET confirmation = 'requested', court = ?, "
          "confirmation_requested_at = ?, updated_at = ? WHERE id = ?",
          {step.court, now, now, id});
      if (!updated) return updated.status();
      return cases::appendNote(c, record["case_id"].get<int64_t>(), now, actor,
                               "judicial_confirmation", "",
                               {{"mediation_id", id}, {"step", "request"}, {"court", step.court}});
    }
    if (state != "requested")
      return Status::conflict(
          "尚未申请司法确认或已办结 (confirmation is " + state + "; allowed now: " +
              (state == "none" && record["status"] == "agreed" ? "request" : "none") + ")",
          "action");
    const bool grant = step.action == "grant";
    auto updated = c.execute(
        "UPDATE mediations SET confirmation = ?, confirmation_reference = ?, "
        "confirmation_reason = ?, confirmation_decided_at = ?, updated_at = ? WHERE id = ?",
        {std::string(grant ? "granted" : "refused"), grant ? Value(step.reference) : Value{},
         grant ? Value{} : Value(step.reason), now, now, id});
    if (!updated) return updated.status();
    json details = {{"mediation_id", id}, {"step", step.action}};
    if (grant) details["reference"] = step.reference;
    return cases::appendNote(c, record["case_id"].get<int64_t>(), now, actor,
                             "judicial_confirmation", grant ? "" : step.reason, details);
  });
}

}  // namespace anju::mediation
