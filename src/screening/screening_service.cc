#include "screening/screening_service.h"

#include <charconv>

#include "common/json_fields.h"
#include "screening/evaluate.h"

namespace anju::screening {

namespace {

using nlohmann::json;
using store::asInt;
using store::asText;
using store::Connection;
using store::Value;

constexpr const char* kColumns =
    "id, name, kind, params, region_id, region_path, created_by, created_at, updated_at";
constexpr std::size_t kMaxNameChars = 100;

Status notFound(int64_t id) {
  return Status::notFound("没有这个排查 (no screening " + std::to_string(id) + ")");
}

Result<Definition> rowToDefinition(const std::vector<Value>& r) {
  Definition d;
  d.id = asInt(r[0]);
  d.name = asText(r[1]);
  auto kind = parseKind(asText(r[2]));
  if (!kind) return Status::internal("screening " + std::to_string(d.id) + " has an unknown kind");
  d.kind = *kind;
  auto params = parseParams(d.kind, json::parse(asText(r[3]), nullptr, false));
  if (!params) return params.status();
  d.params = std::move(*params);
  if (!store::isNull(r[4])) d.region_id = asInt(r[4]);
  d.region_path = asText(r[5]);
  d.created_by = asText(r[6]);
  d.created_at = asInt(r[7]);
  d.updated_at = asInt(r[8]);
  return d;
}

Run rowToRun(const std::vector<Value>& r) {
  return {asInt(r[0]), asInt(r[1]), asText(r[2]), asText(r[3]),
          asInt(r[4]), asInt(r[5]), asInt(r[6]),  asInt(r[7])};
}

// The region a screening looks at: `region_id` when given, which must lie inside `user`'s region,
// or else the user's own.
Status resolveRegion(Connection& c, const json& body, const store::User& user, Definition& d) {
  if (!body.contains("region_id")) {
    if (d.id == 0) {
      d.region_id = user.region_id;
      d.region_path = user.region_path;
    }
    return {};
  }
  const json& v = body["region_id"];
  if (v.is_null()) {
    d.region_id = user.region_id;
    d.region_path = user.region_path;
    return {};
  }
  if (!v.is_number_integer() || v.get<int64_t>() <= 0)
    return Status::invalid("region_id",
                           "region_id 应为正整数 (region_id must be a positive number)");
  const int64_t region = v.get<int64_t>();
  auto rows = c.query("SELECT path FROM regions WHERE id = ?", {region});
  if (!rows) return rows.status();
  if (rows->empty()) return Status::notFound("没有这个区域 (no such region)", "region_id");
  const std::string path = asText(rows->rows[0][0]);
  if (!store::Scope{user.region_path}.contains(path)) {
    return Status::forbidden("该区域不在您的管辖范围内 (this region is outside your region)");
  }
  d.region_id = region;
  d.region_path = path;
  return {};
}

Status refuseUnknown(const json& body, const std::vector<std::string>& known) {
  for (const auto& [key, value] : body.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end())
      return Status::invalid(key, "未知字段 " + key + " (unknown field " + key + ")");
  }
  return {};
}

Result<int64_t> cursorAfter(const std::string& cursor) {
  if (cursor.empty()) return int64_t{0};
  int64_t after = 0;
  auto [ptr, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), after);
  if (ec != std::errc() || ptr != cursor.data() + cursor.size() || after < 0)
    return Status::invalid("cursor", "分页游标无效 (invalid cursor)");
  return after;
}

}  // namespace

ScreeningService::ScreeningService(store::Database& db, store::EventStore& events,
                                   const Clock& clock)
    : db_(db), events_(events), clock_(clock) {}

Result<Definition> ScreeningService::load(Connection& c, int64_t id, const store::Scope& scope) {
  auto rows = c.query(std::string("SELECT ") + kColumns + " FROM screenings WHERE id = ?", {id});
  if (!rows) return rows.status();
  if (rows->empty()) return notFound(id);
  auto d = rowToDefinition(rows->rows[0]);
  if (!d) return d.status();
  if (!scope.contains(d->region_path)) {
    return Status::forbidden("该排查不在您的管辖范围内 (this screening is outside your region)");
  }
  return d;
}

Result<Definition> ScreeningService::create(const json& body, const store::User& creator) {
  ANJU_RETURN_IF_ERROR(refuseUnknown(body, {"name", "kind", "params", "region_id"}));
  auto name = textField(body, "name", true, kMaxNameChars);
  if (!name) return name.status();
  auto kind_text = textField(body, "kind", true, 40);
  if (!kind_text) return kind_text.status();
  auto kind = parseKind(*kind_text);
  if (!kind) {
    return Status::invalid(
        "kind", "未知的排查类型 (kind must be out_not_returned, from_regions or tag_seen)");
  }
  if (!mayUse(creator.roles, *kind))
    return Status::forbidden("您的角色无权使用此类排查 (your role may not use this kind)");
  auto params = parseParams(*kind, body.value("params", json::object()));
  if (!params) return params.status();
  Definition d{.name = *name, .kind = *kind, .params = std::move(*params)};
  d.created_by = creator.username;
  d.created_at = d.updated_at = clock_.nowMillis();
  Status st = db_.write([&](Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(resolveRegion(c, body, creator, d));
    auto rows = c.query(
        "INSERT INTO screenings (region_path, region_id, name, kind, params, created_by, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
        {d.region_path, d.region_id ? Value{*d.region_id} : Value{}, d.name,
         std::string(kindName(d.kind)), paramsJson(d.kind, d.params).dump(), d.created_by,
         d.created_at, d.updated_at});
    if (!rows) return rows.status();
    d.id = asInt(rows->rows[0][0]);
    return {};
  });
  if (!st) return st;
  return d;
}

Result<Definition> ScreeningService::get(int64_t id, const store::Scope& scope) {
  Result<Definition> out = notFound(id);
  Status st = db_.read([&](Connection& c) -> Status {
    out = load(c, id, scope);
    return {};
  });
  if (!st) return st;
  return out;
}

Result<DefinitionPage> ScreeningService::list(const ListFilter& filter, const store::Scope& scope) {
  auto after = cursorAfter(filter.cursor);
  if (!after) return after.status();
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM screenings WHERE region_path >= ? AND region_path < ? AND id > ?";
  std::vector<Value> params{scope.path, scope.upperBound(), *after};
  if (filter.kind) {
    sql += " AND kind = ?";
    params.emplace_back(std::string(kindName(*filter.kind)));
  }
  params.emplace_back(int64_t{filter.limit + 1});
  DefinitionPage page;
  Status st = db_.read([&](Connection& c) -> Status {
    auto rows = c.query(sql + " ORDER BY id LIMIT ?", params);
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      if (static_cast<int>(page.items.size()) == filter.limit) {
        page.next = std::to_string(page.items.back().id);
        break;
      }
      auto d = rowToDefinition(r);
      if (!d) return d.status();
      page.items.push_back(std::move(*d));
    }
    return {};
  });
  if (!st) return st;
  return page;
}

Result<Definition> ScreeningService::update(int64_t id, const json& changes,
                                            const store::User& editor) {
  ANJU_RETURN_IF_ERROR(refuseUnknown(changes, {"name", "kind", "params", "region_id"}));
  Definition d;
  Status st = db_.write([&](Connection& c) -> Status {
    auto loaded = load(c, id, store::Scope{editor.region_path});
    if (!loaded) return loaded.status();
    d = std::move(*loaded);
    if (!mayUse(editor.roles, d.kind))
      return Status::forbidden("您的角色无权使用此类排查 (your role may not use this kind)");
    if (changes.contains("kind") && changes["kind"] != kindName(d.kind)) {
      return Status::invalid("kind",
                             "排查类型不可更改 (kind cannot change: create a new screening)");
    }
    if (changes.contains("name")) {
      auto name = textField(changes, "name", true, kMaxNameChars);
      if (!name) return name.status();
      d.name = *name;
    }
    if (changes.contains("params")) {
      auto params = parseParams(d.kind, changes["params"]);
      if (!params) return params.status();
      d.params = std::move(*params);
    }
    ANJU_RETURN_IF_ERROR(resolveRegion(c, changes, editor, d));
    d.updated_at = clock_.nowMillis();
    auto r = c.execute(
        "UPDATE screenings SET name = ?, params = ?, region_id = ?, region_path = ?, "
        "updated_at = ? WHERE id = ?",
        {d.name, paramsJson(d.kind, d.params).dump(), d.region_id ? Value{*d.region_id} : Value{},
         d.region_path, d.updated_at, id});
    return r ? Status{} : r.status();
  });
  if (!st) return st;
  return d;
}

Status ScreeningService::remove(int64_t id, const store::Scope& scope) {
  return db_.write([&](Connection& c) -> Status {
    auto loaded = load(c, id, scope);
    if (!loaded) return loaded.status();
    for (const char* sql :
         {"DELETE FROM screening_findings WHERE run_id IN (SELECT id FROM screening_runs WHERE "
          "screening_id = ?)",
          "DELETE FROM screening_runs WHERE screening_id = ?",
          "DELETE FROM screenings WHERE id = ?"}) {
      auto r = c.execute(sql, {id});
      if (!r) return r.status();
    }
    return {};
  });
}

Result<FindingsPage> ScreeningService::run(int64_t id, const RunRequest& request,
                                           const store::Scope& scope, int limit) {
  auto d = get(id, scope);
  if (!d) return d.status();
  Run run{.screening_id = id, .run_by = request.actor, .purpose = request.purpose};
  run.ran_at = clock_.nowMillis();
  run.to = request.to.value_or(run.ran_at);
  run.from = request.from.value_or(run.to - defaultWindowMs(d->kind, d->params));
  if (run.from > run.to) return Status::invalid("from", "from 晚于 to (from is after to)");
  if (run.to - run.from > kMaxRunWindowMs) {
    return Status::invalid("from", "时间范围超过 90 天 (the window spans more than 90 days)");
  }
  auto found = evaluate(db_, events_, *d, run.from, run.to);
  if (!found) return found.status();
  run.total = static_cast<int64_t>(found->size());
  Result<FindingsPage> out = Status::internal("the run was not stored");
  Status st = db_.write([&](Connection& c) -> Status {
    // The screening may have been deleted or moved out of scope while the events were read.
    auto still = load(c, id, scope);
    if (!still) return still.status();
    // Only the latest run's findings are kept; earlier runs stay as a record of who ran what.
    auto cleared = c.execute(
        "DELETE FROM screening_findings WHERE run_id IN (SELECT id FROM screening_runs WHERE "
        "screening_id = ?)",
        {id});
    if (!cleared) return cleared.status();
    auto inserted = c.query(
        "INSERT INTO screening_runs (screening_id, run_by, purpose, window_from, window_to, "
        "ran_at, total) VALUES (?,?,?,?,?,?,?) RETURNING id",
        {id, run.run_by, run.purpose, run.from, run.to, run.ran_at, run.total});
    if (!inserted) return inserted.status();
    run.id = asInt(inserted->rows[0][0]);
    int64_t ordinal = 0;
    for (const Finding& f : *found) {
      auto r = c.execute(
          "INSERT INTO screening_findings (run_id, ordinal, person_id, plate, estate_id, "
          "first_seen, last_seen, passages, away_ms) VALUES (?,?,?,?,?,?,?,?,?)",
          {run.id, ++ordinal, f.person_id ? Value{*f.person_id} : Value{},
           f.plate.empty() ? Value{} : Value{f.plate}, f.estate_id, f.first_seen, f.last_seen,
           f.passages, f.away_ms});
      if (!r) return r.status();
    }
    out = page(c, run, "", limit);
    return out ? Status{} : out.status();
  });
  if (!st) return st;
  return out;
}

Result<std::optional<Run>> ScreeningService::lastRun(int64_t id, const store::Scope& scope) {
  std::optional<Run> run;
  Status st = db_.read([&](Connection& c) -> Status {
    auto d = load(c, id, scope);
    if (!d) return d.status();
    auto rows = c.query(
        "SELECT id, screening_id, run_by, purpose, window_from, window_to, ran_at, total FROM "
        "screening_runs WHERE screening_id = ? ORDER BY id DESC LIMIT 1",
        {id});
    if (!rows) return rows.status();
    if (!rows->empty()) run = rowToRun(rows->rows[0]);
    return {};
  });
  if (!st) return st;
  return run;
}

Result<FindingsPage> ScreeningService::findings(int64_t id, const store::Scope& scope,
                                                const std::string& cursor, int limit) {
  auto run = lastRun(id, scope);
  if (!run) return run.status();
  if (!*run) {
    return Status::notFound("该排查尚未运行 (this screening has not been run yet)");
  }
  Result<FindingsPage> out = Status::internal("no findings read");
  Status st = db_.read([&](Connection& c) -> Status {
    out = page(c, **run, cursor, limit);
    return out ? Status{} : out.status();
  });
  if (!st) return st;
  return out;
}

Result<FindingsPage> ScreeningService::page(Connection& c, const Run& run,
                                            const std::string& cursor, int limit) {
  auto after = cursorAfter(cursor);
  if (!after) return after.status();
  const int64_t rows_wanted = limit > 0 ? int64_t{limit} + 1 : run.total + 1;
  auto rows = c.query(
      "SELECT f.ordinal, f.person_id, f.plate, f.estate_id, f.first_seen, f.last_seen, "
      "f.passages, f.away_ms, e.name, p.name, p.id_number, p.phone FROM screening_findings f "
      "LEFT JOIN estates e ON e.id = f.estate_id LEFT JOIN persons p ON p.id = f.person_id "
      "WHERE f.run_id = ? AND f.ordinal > ? ORDER BY f.ordinal LIMIT ?",
      {run.id, *after, rows_wanted});
  if (!rows) return rows.status();
  FindingsPage out{.run = run};
  int64_t last_ordinal = 0;
  for (const auto& r : rows->rows) {
    if (limit > 0 && static_cast<int>(out.items.size()) == limit) {
      out.next = std::to_string(last_ordinal);
      break;
    }
    last_ordinal = asInt(r[0]);
    ShownFinding s;
    if (!store::isNull(r[1])) s.finding.person_id = asInt(r[1]);
    s.finding.plate = asText(r[2]);
    s.finding.estate_id = asInt(r[3]);
    s.finding.first_seen = asInt(r[4]);
    s.finding.last_seen = asInt(r[5]);
    s.finding.passages = asInt(r[6]);
    s.finding.away_ms = asInt(r[7]);
    s.estate_name = asText(r[8]);
    s.person_name = asText(r[9]);
    s.id_number = asText(r[10]);
    s.phone = asText(r[11]);
    out.items.push_back(std::move(s));
  }
  return out;
}

}  // namespace anju::screening
