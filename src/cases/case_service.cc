#include "cases/case_service.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "cases/case_history.h"
#include "cases/case_row.h"
#include "cases/text_similarity.h"
#include "domain/mask.h"

namespace anju::cases {

using nlohmann::json;
using store::Connection;
using store::Value;

namespace {

std::optional<int64_t> optInt(const Value& v) {
  if (store::isNull(v)) return std::nullopt;
  return store::asInt(v);
}

json intOrNull(const Value& v) {
  return store::isNull(v) ? json(nullptr) : json(store::asInt(v));
}

json textOrNull(const Value& v) {
  return store::isNull(v) ? json(nullptr) : json(store::asText(v));
}

Status outsideScope() {
  return Status::forbidden("超出您的管辖范围 (the case is outside your region scope)");
}

}  // namespace

const std::vector<std::string>& channels() {
  static const std::vector<std::string> kChannels = {"portal",  "mini_program",   "hotline",
                                                     "station", "suggestion_box", "grid_worker",
                                                     "walk_in", "police",         "sos"};
  return kChannels;
}

bool residentChannel(std::string_view channel) {
  return channel == "portal" || channel == "mini_program" || channel == "sos";
}

bool worksCases(const store::User& user) {
  return user.hasRole("mediator") || user.hasRole("admin") || user.hasRole("grid_worker") ||
         user.hasRole("police") || user.hasRole("department");
}

// A department's staff work the cases handed to their department, not the whole region's.
bool departmentOnly(const store::User& user) {
  return user.hasRole("department") && user.department_id && !user.hasRole("mediator") &&
         !user.hasRole("admin") && !user.hasRole("grid_worker") && !user.hasRole("police");
}

bool mayReadReporter(const store::User& user, const Actor& actor) {
  return user.hasRole("mediator") || user.hasRole("admin") || actor.is_reporter;
}

CaseService::CaseService(store::Database& db, store::BlobStore* blobs, const Clock& clock,
                         CasePolicy policy, int utc_offset_minutes)
    : db_(db),
      blobs_(blobs),
      clock_(clock),
      policy_(policy),
      utc_offset_minutes_(utc_offset_minutes) {}

std::string CaseService::formatTime(int64_t ms) const {
  return formatTimestamp(ms, utc_offset_minutes_);
}

Result<CreatedCase> CaseService::create(const store::User& caller, const NewCase& request) {
  const bool resident = !worksCases(caller);
  if (resident && !caller.hasRole("resident"))
    return Status::forbidden("您的角色不能登记案件 (your role cannot raise cases)");
  if (resident && !residentChannel(request.channel))
    return Status::invalid("channel",
                           "居民只能通过门户、小程序或一键呼叫提交 (residents report through "
                           "portal, mini_program or sos)");
  if (!request.attachments.empty() && !blobs_)
    return Status::invalid("attachments", "本服务器不接收附件 (this server keeps no attachments)");

  // Attachments are stored by content before the case is written: a blob nothing names is
  // harmless, a case naming a missing blob is not.
  std::vector<std::string> hashes;
  for (const auto& a : request.attachments) {
    auto hash = blobs_->put(a.bytes);
    if (!hash) return hash.status();
    hashes.push_back(*hash);
  }

  int64_t id = 0;
  std::vector<json> duplicates;
  Status s = db_.write([&](Connection& c) -> Status {
    auto inserted = insertCase(c, caller, request, hashes, duplicates);
    if (!inserted) return inserted.status();
    id = *inserted;
    return {};
  });
  if (!s) return s;
  auto body = get(caller, id);
  if (!body) return body.status();
  // Residents see that their matter may already be known, not other people's words.
  if (resident) {
    for (auto& d : duplicates) d = {{"id", d["id"]}, {"status", d["status"]}};
  }
  return CreatedCase{std::move(*body), std::move(duplicates)};
}

Result<CreatedCase> CaseService::createFromHazard(const store::User& caller, int64_t hazard_id,
                                                  const std::string& category) {
  if (!worksCases(caller))
    return Status::forbidden("您的角色不能登记案件 (your role cannot raise cases)");
  int64_t id = 0;
  std::vector<json> duplicates;
  Status s = db_.write([&](Connection& c) -> Status {
    auto hazard =
        c.query("SELECT region_path, estate_id, description, case_id FROM hazards WHERE id = ?",
                {hazard_id});
    if (!hazard) return hazard.status();
    if (hazard->empty())
      return Status::notFound("未找到隐患 (no hazard with id " + std::to_string(hazard_id) + ")");
    const auto& h = hazard->rows[0];
    if (!store::Scope{caller.region_path}.contains(store::asText(h[0])))
      return Status::forbidden("超出您的管辖范围 (the hazard is outside your region scope)");
    if (!store::isNull(h[3]))
      return Status::conflict("该隐患已转为案件 " + std::to_string(store::asInt(h[3])) +
                                  " (the hazard is already case " +
                                  std::to_string(store::asInt(h[3])) + ")",
                              "hazard_id");
    NewCase request{.channel = "grid_worker",
                    .category = category,
                    .description = store::asText(h[2]),
                    .estate_id = optInt(h[1]),
                    .source_kind = "hazards",
                    .source_id = hazard_id};
    auto inserted = insertCase(c, caller, request, {}, duplicates);
    if (!inserted) return inserted.status();
    id = *inserted;
    auto marked = c.execute("UPDATE hazards SET case_id = ?, updated_at = ? WHERE id = ?",
                            {id, clock_.nowMillis(), hazard_id});
    return marked ? Status{} : marked.status();
  });
  if (!s) return s;
  auto body = get(caller, id);
  if (!body) return body.status();
  return CreatedCase{std::move(*body), std::move(duplicates)};
}

Result<int64_t> CaseService::insertCase(Connection& c, const store::User& caller,
                                        const NewCase& request,
                                        const std::vector<std::string>& attachment_hashes,
                                        std::vector<json>& duplicates) {
  const bool resident = !worksCases(caller);
  const int64_t now = clock_.nowMillis();
  int64_t id = 0;
  auto category = c.query("SELECT 1 FROM case_categories WHERE id = ?", {request.category});
  if (!category) return category.status();
  if (category->empty())
    return Status::invalid("category", "未知的案件类别 (unknown category " + request.category +
                                           "; see /api/v1/cases/categories)");

  // The case belongs to the region of its estate, else of the given region, else the caller's.
  std::string region_path = caller.region_path;
  std::optional<int64_t> region_id = request.region_id;
  if (request.estate_id) {
    auto estate =
        c.query("SELECT region_path, region_id FROM estates WHERE id = ?", {*request.estate_id});
    if (!estate) return estate.status();
    if (estate->empty()) return Status::invalid("estate_id", "未知小区 (unknown estate_id)");
    region_path = store::asText(estate->rows[0][0]);
    if (!region_id) region_id = optInt(estate->rows[0][1]);
  } else if (request.region_id) {
    auto region = c.query("SELECT path FROM regions WHERE id = ?", {*request.region_id});
    if (!region) return region.status();
    if (region->empty()) return Status::invalid("region_id", "未知区域 (unknown region_id)");
    region_path = store::asText(region->rows[0][0]);
  } else {
    region_id = caller.region_id;
  }
  if (!store::Scope{caller.region_path}.contains(region_path))
    return Status::forbidden("地点超出您的管辖范围 (the place is outside your region scope)");

  auto similar = similarOpenCases(c, request.category, request.estate_id, region_path,
                                  request.description, std::nullopt);
  if (!similar) return similar.status();
  duplicates = std::move(*similar);

  auto inserted = c.query(
      "INSERT INTO cases (region_path, region_id, estate_id, address, lat, lon, channel, "
      "category, description, anonymous, reporter_user_id, status, due_at, source_kind, "
      "source_id, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?) RETURNING id",
      {region_path, store::nullableInt(region_id), store::nullableInt(request.estate_id),
       request.address.empty() ? Value{} : Value(request.address),
       request.lat ? Value(*request.lat) : Value{}, request.lon ? Value(*request.lon) : Value{},
       request.channel, request.category, request.description, int64_t{request.anonymous ? 1 : 0},
       resident ? Value(caller.id) : Value{}, now + policy_.accept_hours * kHourMs,
       request.source_kind.empty() ? Value{} : Value(request.source_kind),
       store::nullableInt(request.source_id), caller.id, now, now});
  if (!inserted) return inserted.status();
  id = store::asInt(inserted->rows[0][0]);

  // A resident reports as themselves even when anonymous to the handlers: the portal must
  // still find the case among theirs and let them rate it.
  std::optional<Reporter> reporter = request.reporter;
  if (resident && !reporter) {
    reporter = Reporter{caller.display_name, ""};
    if (caller.person_id) {
      auto person = c.query("SELECT name, phone FROM persons WHERE id = ?", {*caller.person_id});
      if (!person) return person.status();
      if (!person->empty())
        reporter = Reporter{store::asText(person->rows[0][0]), store::asText(person->rows[0][1])};
    }
  }
  if (reporter) {
    const bool hide = request.anonymous;
    auto r = c.execute(
        "INSERT INTO case_reporters (case_id, from_case_id, name, phone, user_id) "
        "VALUES (?, ?, ?, ?, ?)",
        {id, id, hide || reporter->name.empty() ? Value{} : Value(reporter->name),
         hide || reporter->phone.empty() ? Value{} : Value(reporter->phone),
         resident ? Value(caller.id) : Value{}});
    if (!r) return r.status();
  }
  for (std::size_t i = 0; i < attachment_hashes.size(); ++i) {
    const auto& a = request.attachments[i];
    auto r = c.execute(
        "INSERT INTO case_attachments (case_id, sha256, name, content_type, size, "
        "added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        {id, attachment_hashes[i], a.name, a.content_type, static_cast<int64_t>(a.bytes.size()),
         caller.username, now});
    if (!r) return r.status();
  }
  json details = {{"channel", request.channel}, {"category", request.category}};
  if (!request.source_kind.empty())
    details["source"] = {{"kind", request.source_kind},
                         {"id", request.source_id ? json(*request.source_id) : json(nullptr)}};
  ANJU_RETURN_IF_ERROR(appendStep(c, {.case_id = id,
                                      .ts = now,
                                      .actor = caller.username,
                                      .actor_user_id = caller.id,
                                      .action = "submit",
                                      .to = "submitted",
                                      .details = details}));
  return id;
}

Result<CaseService::Loaded> CaseService::load(Connection& c, const store::User& caller, int64_t id,
                                              bool check_visible) {
  auto rows =
      c.query("SELECT " + std::string(kCaseColumns) + " FROM cases WHERE id = ?", {int64_t{id}});
  if (!rows) return rows.status();
  if (rows->empty())
    return Status::notFound("未找到案件 (no case with id " + std::to_string(id) + ")");
  Loaded l;
  l.row = rows->rows[0];
  const auto& r = l.row;
  l.id = store::asInt(r[0]);
  l.region_path = store::asText(r[1]);
  l.estate_id = optInt(r[3]);
  l.category = store::asText(r[8]);
  l.description = store::asText(r[9]);
  l.status = store::asText(r[11]);
  l.level = store::asText(r[12]);
  l.lead_department_id = optInt(r[14]);
  l.due_at = optInt(r[15]);
  l.merged_into = optInt(r[19]);
  l.resolve_due_at = optInt(r[27]);
  l.resolved_at = optInt(r[28]);

  l.actor.roles.assign(caller.roles.begin(), caller.roles.end());
  auto reporter = c.query("SELECT 1 FROM case_reporters WHERE case_id = ? AND user_id = ? LIMIT 1",
                          {l.id, caller.id});
  if (!reporter) return reporter.status();
  l.actor.is_reporter = !reporter->empty();
  if (caller.department_id) {
    l.actor.in_lead_department = l.lead_department_id == caller.department_id;
    auto joint =
        c.query("SELECT 1 FROM case_joint_departments WHERE case_id = ? AND department_id = ?",
                {l.id, *caller.department_id});
    if (!joint) return joint.status();
    l.actor.in_joint_department = !joint->empty();
  }

  if (l.actor.is_reporter || !check_visible) return l;
  if (!worksCases(caller) || !store::Scope{caller.region_path}.contains(l.region_path))
    return outsideScope();
  if (departmentOnly(caller) && !l.actor.in_lead_department && !l.actor.in_joint_department)
    return Status::forbidden(
        "此案件未交办给您的部门 (the case is not assigned to your department)");
  return l;
}

Result<json> CaseService::view(Connection& c, const store::User& caller, const Loaded& l) {
  const auto& r = l.row;
  const int64_t now = clock_.nowMillis();
  json out = {
      {"id", l.id},
      {"status", l.status},
      {"region_id", intOrNull(r[2])},
      {"estate_id", intOrNull(r[3])},
      {"address", textOrNull(r[4])},
      {"channel", store::asText(r[7])},
      {"category", l.category},
      {"description", l.description},
      {"anonymous", store::asInt(r[10]) != 0},
      {"level", textOrNull(r[12])},
      {"route", textOrNull(r[13])},
      {"escalations", store::asInt(r[17])},
      {"reopens", store::asInt(r[18])},
      {"merged_into", intOrNull(r[19])},
      {"summary", textOrNull(r[22])},
      {"rating", intOrNull(r[23])},
      {"rating_comment", textOrNull(r[24])},
      {"resolved_on_time", store::isNull(r[29]) ? json(nullptr) : json(store::asInt(r[29]) != 0)}};
  out["lat"] = store::isNull(r[5]) ? json(nullptr) : json(store::asReal(r[5]));
  out["lon"] = store::isNull(r[6]) ? json(nullptr) : json(store::asReal(r[6]));
  out["source"] = store::isNull(r[20])
                      ? json(nullptr)
                      : json{{"kind", store::asText(r[20])}, {"id", intOrNull(r[21])}};
  auto time = [&](const Value& v) {
    return store::isNull(v) ? json(nullptr) : json(formatTime(store::asInt(v)));
  };
  out["due_at"] = time(r[15]);
  out["overdue"] = l.due_at && now > *l.due_at;
  out["supervised"] = !store::isNull(r[16]);
  out["accepted_at"] = time(r[25]);
  out["assigned_at"] = time(r[26]);
  out["resolve_due_at"] = time(r[27]);
  out["resolved_at"] = time(r[28]);
  out["rated_at"] = time(r[30]);
  out["closed_at"] = time(r[31]);
  out["created_at"] = time(r[32]);
  out["updated_at"] = time(r[33]);

  auto category = c.query("SELECT name FROM case_categories WHERE id = ?", {l.category});
  if (!category) return category.status();
  out["category_name"] = category->empty() ? json(nullptr) : json(category->scalarText().value());

  out["lead"] = nullptr;
  if (l.lead_department_id) {
    auto d = c.query("SELECT name FROM departments WHERE id = ?", {*l.lead_department_id});
    if (!d) return d.status();
    out["lead"] = {{"id", *l.lead_department_id}, {"name", d->scalarText().value_or("")}};
  }
  auto joint = c.query(
      "SELECT j.department_id, d.name, j.reported_at FROM case_joint_departments j "
      "JOIN departments d ON d.id = j.department_id WHERE j.case_id = ? ORDER BY d.id",
      {l.id});
  if (!joint) return joint.status();
  out["joint"] = json::array();
  for (const auto& j : joint->rows)
    out["joint"].push_back(
        {{"id", store::asInt(j[0])}, {"name", store::asText(j[1])}, {"reported_at", time(j[2])}});

  // Reporters: the first, and those of duplicates merged in. Anonymous ones have no name.
  const bool full = mayReadReporter(caller, l.actor);
  auto reporters = c.query(
      "SELECT name, phone, from_case_id FROM case_reporters WHERE case_id = ? ORDER BY id", {l.id});
  if (!reporters) return reporters.status();
  out["reporters"] = json::array();
  for (const auto& rp : reporters->rows) {
    json one = {{"from_case_id", store::asInt(rp[2])}};
    std::string name = store::asText(rp[0]), phone = store::asText(rp[1]);
    one["name"] = store::isNull(rp[0]) ? json(nullptr) : json(full ? name : domain::maskName(name));
    one["phone"] =
        store::isNull(rp[1]) ? json(nullptr) : json(full ? phone : domain::maskPhone(phone));
    out["reporters"].push_back(std::move(one));
  }

  auto merged = c.query("SELECT id FROM cases WHERE merged_into = ? ORDER BY id", {l.id});
  if (!merged) return merged.status();
  out["merged_cases"] = json::array();
  for (const auto& m : merged->rows) out["merged_cases"].push_back(store::asInt(m[0]));
  if (l.merged_into) {
    auto target = c.query("SELECT status FROM cases WHERE id = ?", {*l.merged_into});
    if (!target) return target.status();
    out["merged_into_status"] = target->scalarText().value_or("");
  }

  auto attachments = c.query(
      "SELECT sha256, name, content_type, size FROM case_attachments WHERE case_id = ? "
      "ORDER BY added_at, sha256",
      {l.id});
  if (!attachments) return attachments.status();
  out["attachments"] = json::array();
  for (const auto& a : attachments->rows)
    out["attachments"].push_back({{"sha256", store::asText(a[0])},
                                  {"name", store::asText(a[1])},
                                  {"content_type", store::asText(a[2])},
                                  {"size", store::asInt(a[3])}});

  auto history = c.query(
      "SELECT ts, actor, action, from_status, to_status, note, details FROM case_history "
      "WHERE case_id = ? ORDER BY id",
      {l.id});
  if (!history) return history.status();
  out["history"] = json::array();
  for (const auto& h : history->rows) {
    json step = {{"ts", formatTime(store::asInt(h[0]))},
                 {"actor", store::asText(h[1])},
                 {"action", store::asText(h[2])},
                 {"from", textOrNull(h[3])},
                 {"to", store::asText(h[4])},
                 {"note", textOrNull(h[5])}};
    step["details"] = store::isNull(h[6]) ? json::object() : json::parse(store::asText(h[6]));
    out["history"].push_back(std::move(step));
  }
  out["allowed_actions"] = allowedActions(l.status, l.actor);
  return out;
}

Result<json> CaseService::get(const store::User& caller, int64_t id) {
  json out;
  Status s = db_.read([&](Connection& c) -> Status {
    auto l = load(c, caller, id);
    if (!l) return l.status();
    auto v = view(c, caller, *l);
    if (!v) return v.status();
    out = std::move(*v);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<std::vector<std::string>> CaseService::allowedFor(const store::User& caller, int64_t id) {
  std::vector<std::string> out;
  Status s = db_.read([&](Connection& c) -> Status {
    auto l = load(c, caller, id);
    if (!l) return l.status();
    out = allowedActions(l->status, l->actor);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<store::ListPage> CaseService::list(const store::User& caller, const CaseFilter& f) {
  auto after = store::parseIdCursor(f.cursor);
  if (!after) return after.status();
  std::string sql =
      "SELECT c.id, c.status, c.channel, c.category, k.name, c.level, c.route, c.estate_id, "
      "c.region_id, c.description, c.lead_department_id, d.name, c.due_at, c.escalations, "
      "c.merged_into, c.created_at, c.updated_at, c.address, c.lat, c.lon, c.summary, "
      "c.resolve_due_at FROM cases c "
      "JOIN case_categories k ON k.id = c.category "
      "LEFT JOIN departments d ON d.id = c.lead_department_id WHERE c.id > ?";
  std::vector<Value> params = {*after};
  const bool resident = !worksCases(caller);
  if (resident || f.mine) {
    sql += " AND c.id IN (SELECT case_id FROM case_reporters WHERE user_id = ?)";
    params.emplace_back(caller.id);
  } else {
    store::Scope scope{caller.region_path};
    sql += " AND c.region_path >= ? AND c.region_path < ?";
    params.emplace_back(scope.path);
    params.emplace_back(scope.upperBound());
    if (departmentOnly(caller)) {
      sql +=
          " AND (c.lead_department_id = ? OR c.id IN (SELECT case_id FROM "
          "case_joint_departments WHERE department_id = ?))";
      params.emplace_back(*caller.department_id);
      params.emplace_back(*caller.department_id);
    }
  }
  auto equal = [&](const char* column, const std::optional<std::string>& v) {
    if (!v) return;
    sql += std::string(" AND c.") + column + " = ?";
    params.emplace_back(*v);
  };
  equal("status", f.status);
  equal("category", f.category);
  equal("level", f.level);
  equal("channel", f.channel);
  equal("route", f.route);
  if (f.estate_id) {
    sql += " AND c.estate_id = ?";
    params.emplace_back(*f.estate_id);
  }
  if (f.department_id) {
    sql +=
        " AND (c.lead_department_id = ? OR c.id IN (SELECT case_id FROM case_joint_departments "
        "WHERE department_id = ?))";
    params.emplace_back(*f.department_id);
    params.emplace_back(*f.department_id);
  }
  const int64_t now = clock_.nowMillis();
  if (f.overdue) {
    sql += *f.overdue ? " AND c.due_at IS NOT NULL AND c.due_at < ?"
                      : " AND (c.due_at IS NULL OR c.due_at >= ?)";
    params.emplace_back(now);
  }
  if (f.finished) {
    sql += std::string(" AND c.status ") + (*f.finished ? "" : "NOT ") +
           "IN ('resolved', 'feedback', 'rated', 'closed', 'merged')";
  }
  if (!f.text.empty()) {
    sql += " AND c.description LIKE ?";
    params.emplace_back("%" + f.text + "%");
  }
  if (f.from_ms) {
    sql += " AND c.created_at >= ?";
    params.emplace_back(*f.from_ms);
  }
  if (f.to_ms) {
    sql += " AND c.created_at < ?";
    params.emplace_back(*f.to_ms);
  }
  sql += " ORDER BY c.id LIMIT ?";
  params.emplace_back(int64_t{f.limit} + 1);

  store::ListPage page;
  Status s = db_.read([&](Connection& c) -> Status {
    // The region bounds come from the caller's own scope; a region_id filter narrows it further.
    if (f.region_id) {
      auto region = c.query("SELECT path FROM regions WHERE id = ?", {*f.region_id});
      if (!region) return region.status();
      if (region->empty()) return Status::invalid("region_id", "未知区域 (unknown region_id)");
      store::Scope sub{store::asText(region->rows[0][0])};
      if (!store::Scope{caller.region_path}.contains(sub.path) && !resident)
        return Status::forbidden("超出您的管辖范围 (region_id is outside your region scope)");
      sql.insert(sql.find(" ORDER BY"), " AND c.region_path >= ? AND c.region_path < ?");
      params.insert(params.end() - 1, {Value(sub.path), Value(sub.upperBound())});
    }
    auto rows = c.query(sql, params);
    if (!rows) return rows.status();
    for (std::size_t i = 0; i < rows->rows.size() && static_cast<int>(i) < f.limit; ++i) {
      const auto& r = rows->rows[i];
      const std::string description = store::asText(r[9]);
      json item = {{"id", store::asInt(r[0])},
                   {"status", store::asText(r[1])},
                   {"channel", store::asText(r[2])},
                   {"category", store::asText(r[3])},
                   {"category_name", store::asText(r[4])},
                   {"level", textOrNull(r[5])},
                   {"route", textOrNull(r[6])},
                   {"estate_id", intOrNull(r[7])},
                   {"region_id", intOrNull(r[8])},
                   {"description", description},
                   {"escalations", store::asInt(r[13])},
                   {"merged_into", intOrNull(r[14])},
                   {"created_at", formatTime(store::asInt(r[15]))},
                   {"updated_at", formatTime(store::asInt(r[16]))}};
      item["lead"] = store::isNull(r[10])
                         ? json(nullptr)
                         : json{{"id", store::asInt(r[10])}, {"name", store::asText(r[11])}};
      item["due_at"] = store::isNull(r[12]) ? json(nullptr) : json(formatTime(store::asInt(r[12])));
      item["overdue"] = !store::isNull(r[12]) && now > store::asInt(r[12]);
      item["address"] = textOrNull(r[17]);
      item["lat"] = store::isNull(r[18]) ? json(nullptr) : json(store::asReal(r[18]));
      item["lon"] = store::isNull(r[19]) ? json(nullptr) : json(store::asReal(r[19]));
      item["summary"] = textOrNull(r[20]);
      item["resolve_due_at"] =
          store::isNull(r[21]) ? json(nullptr) : json(formatTime(store::asInt(r[21])));
      page.items.push_back(std::move(item));
    }
    if (static_cast<int>(rows->rows.size()) > f.limit)
      page.next = std::to_string(page.items.back()["id"].get<int64_t>());
    return {};
  });
  if (!s) return s;
  return page;
}

Result<std::vector<json>> CaseService::similarOpenCases(Connection& c, const std::string& category,
                                                        std::optional<int64_t> estate_id,
                                                        const std::string& region_path,
                                                        const std::string& description,
                                                        std::optional<int64_t> except_id) {
  const int64_t since = clock_.nowMillis() - policy_.duplicate_days * kDayMs;
  // Same category and place: the estate when there is one, else the same region.
  std::string sql =
      "SELECT id, status, description, created_at FROM cases WHERE category = ? AND "
      "created_at >= ? AND status NOT IN ('merged', 'closed') AND id != ?";
  std::vector<Value> params = {category, since, except_id.value_or(0)};
  if (estate_id) {
    sql += " AND estate_id = ?";
    params.emplace_back(*estate_id);
  } else {
    sql += " AND estate_id IS NULL AND region_path = ?";
    params.emplace_back(region_path);
  }
  sql += " ORDER BY id DESC LIMIT 200";
  auto rows = c.query(sql, params);
  if (!rows) return rows.status();
  std::vector<std::pair<double, json>> found;
  for (const auto& r : rows->rows) {
    double similarity = textSimilarity(description, store::asText(r[2]));
    if (similarity < policy_.duplicate_similarity) continue;
    found.emplace_back(similarity, json{{"id", store::asInt(r[0])},
                                        {"status", store::asText(r[1])},
                                        {"description", store::asText(r[2])},
                                        {"created_at", formatTime(store::asInt(r[3]))},
                                        {"similarity", std::round(similarity * 100) / 100}});
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<json> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

Result<std::vector<json>> CaseService::duplicatesOf(const store::User& caller, int64_t id) {
  std::vector<json> out;
  Status s = db_.read([&](Connection& c) -> Status {
    auto l = load(c, caller, id);
    if (!l) return l.status();
    if (!worksCases(caller))
      return Status::forbidden("只有工作人员可以查看相似案件 (only staff see similar cases)");
    auto similar =
        similarOpenCases(c, l->category, l->estate_id, l->region_path, l->description, l->id);
    if (!similar) return similar.status();
    out = std::move(*similar);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<std::pair<std::string, std::string>> CaseService::attachment(const store::User& caller,
                                                                    int64_t id,
                                                                    const std::string& sha256) {
  std::string content_type;
  Status s = db_.read([&](Connection& c) -> Status {
    auto l = load(c, caller, id);
    if (!l) return l.status();
    auto row = c.query("SELECT content_type FROM case_attachments WHERE case_id = ? AND sha256 = ?",
                       {id, sha256});
    if (!row) return row.status();
    if (row->empty()) return Status::notFound("未找到附件 (no such attachment on this case)");
    content_type = row->scalarText().value_or("application/octet-stream");
    return {};
  });
  if (!s) return s;
  if (!blobs_) return Status::notFound("未找到附件 (no such attachment on this case)");
  auto bytes = blobs_->get(sha256);
  if (!bytes) return bytes.status();
  return std::make_pair(std::move(*bytes), content_type);
}

}  // namespace anju::cases
