#include "store/record_store.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "common/crypto.h"
#include "store/plan_bounds.h"

namespace anju::store {

using domain::EntitySpec;
using domain::FieldSpec;
using domain::FieldType;
using nlohmann::json;

namespace {

bool isColumn(const FieldSpec& f) {
  return f.type != FieldType::kList;
}

bool textIdTarget(const FieldSpec& f) {
  const EntitySpec* target = domain::findEntity(f.ref);
  return target && target->text_id;
}

Value toValue(const FieldSpec& f, const json& v) {
  if (v.is_null()) return std::monostate{};
  switch (f.type) {
    case FieldType::kInteger:
    case FieldType::kTimestamp:
      return v.get<int64_t>();
    case FieldType::kRef:
      if (v.is_string()) return v.get<std::string>();
      return v.get<int64_t>();
    case FieldType::kReal:
      return v.get<double>();
    case FieldType::kBoolean:
      return int64_t{v.get<bool>() ? 1 : 0};
    case FieldType::kEmbedding:
      return v.dump();
    default:
      return v.get<std::string>();
  }
}

json fromValue(const FieldSpec& f, const Value& v, bool raw, int utc_offset) {
  if (isNull(v)) return nullptr;
  switch (f.type) {
    case FieldType::kInteger:
      return asInt(v);
    case FieldType::kRef:
      return textIdTarget(f) ? json(asText(v)) : json(asInt(v));
    case FieldType::kReal:
      return asReal(v);
    case FieldType::kBoolean:
      return asInt(v) != 0;
    case FieldType::kTimestamp:
      return raw ? json(asInt(v)) : json(formatTimestamp(asInt(v), utc_offset));
    case FieldType::kEmbedding:
      return json::parse(asText(v), nullptr, false);
    default:
      return asText(v);
  }
}

std::optional<int64_t> parseId(const std::string& text) {
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Value idValue(const EntitySpec& spec, const std::string& id) {
  if (spec.text_id) return id;
  return *parseId(id);
}

std::string idText(const json& id) {
  return id.is_string() ? id.get<std::string>() : std::to_string(id.get<int64_t>());
}

bool present(const json& record, const std::string& key) {
  return record.contains(key) && !record[key].is_null();
}

Status unknownId(const std::string& field, const json& value) {
  std::string id = idText(value);
  return Status::invalid(field,
                         "未知的 " + field + " " + id + " (unknown " + field + " " + id + ")");
}

Status outOfScope() {
  return Status::forbidden("超出您的管辖范围 (outside your region scope)");
}

std::string selectColumns(const EntitySpec& spec) {
  std::string cols = "id, region_path, created_at, updated_at";
  for (const auto& f : spec.fields) {
    if (isColumn(f)) cols += ", " + f.name;
  }
  return cols;
}

}  // namespace

RecordStore::RecordStore(Database& db, const Clock& clock, int utc_offset_minutes)
    : db_(db), clock_(clock), utc_offset_minutes_(utc_offset_minutes) {}

json RecordStore::rowToJson(const EntitySpec& spec, const Rows& rows, std::size_t index) const {
  const auto& row = rows.rows[index];
  json out = json::object();
  out["id"] = spec.text_id ? json(asText(row[0])) : json(asInt(row[0]));
  std::size_t c = 4;
  for (const auto& f : spec.fields) {
    if (!isColumn(f)) continue;
    const Value& v = row[c++];
    if (f.secret || f.write_only) continue;
    out[f.name] = fromValue(f, v, false, utc_offset_minutes_);
  }
  out["created_at"] = formatTimestamp(asInt(row[2]), utc_offset_minutes_);
  out["updated_at"] = formatTimestamp(asInt(row[3]), utc_offset_minutes_);
  return out;
}

Result<json> RecordStore::load(Connection& c, const EntitySpec& spec, const std::string& id,
                               std::string* region_path) {
  if (!spec.text_id && !parseId(id))
    return Status::notFound("未找到 (no " + spec.name + " with id " + id + ")");
  auto rows = c.query("SELECT " + selectColumns(spec) + " FROM " + spec.name + " WHERE id = ?",
                      {idValue(spec, id)});
  if (!rows) return rows.status();
  if (rows->empty()) return Status::notFound("未找到 (no " + spec.name + " with id " + id + ")");
  if (region_path) *region_path = asText(rows->rows[0][1]);
  std::vector<json> items{rowToJson(spec, *rows, 0)};
  ANJU_RETURN_IF_ERROR(attachLists(c, spec, items));
  return std::move(items[0]);
}

Status RecordStore::checkReferences(Connection& c, const EntitySpec& spec, const json& fields,
                                    const Scope& scope) {
  auto check = [&](const FieldSpec& f, const json& value) -> Status {
    auto rows = c.query(
        "SELECT region_path FROM " + f.ref + " WHERE id = ?",
        {value.is_string() ? Value(value.get<std::string>()) : Value(value.get<int64_t>())});
    if (!rows) return rows.status();
    if (rows->empty()) return unknownId(f.name, value);
    if (!scope.contains(asText(rows->rows[0][0]))) return outOfScope();
    return {};
  };
  for (const auto& f : spec.fields) {
    if (f.ref.empty() || !present(fields, f.name)) continue;
    if (f.type == FieldType::kList) {
      for (const auto& element : fields[f.name]) ANJU_RETURN_IF_ERROR(check(f, element));
    } else {
      ANJU_RETURN_IF_ERROR(check(f, fields[f.name]));
    }
  }
  return {};
}

Result<std::string> RecordStore::resolveScope(Connection& c, const EntitySpec& spec,
                                              const json& record, const Scope& scope) {
  for (const auto& via : spec.scope_via) {
    if (!present(record, via)) continue;
    const FieldSpec* f = spec.field(via);
    const char* column = f->ref == "regions" ? "path" : "region_path";
    const json& value = record[via];
    auto rows = c.query(
        std::string("SELECT ") + column + " FROM " + f->ref + " WHERE id = ?",
        {value.is_string() ? Value(value.get<std::string>()) : Value(value.get<int64_t>())});
    if (!rows) return rows.status();
    if (rows->empty()) return unknownId(via, value);
    return asText(rows->rows[0][0]);
  }
  return scope.path;
}

Status RecordStore::writeLists(Connection& c, const EntitySpec& spec, int64_t id,
                               const json& fields) {
  for (const auto& f : spec.fields) {
    if (f.type != FieldType::kList || !fields.contains(f.name)) continue;
    auto cleared = c.execute("DELETE FROM links WHERE entity = ? AND field = ? AND object_id = ?",
                             {spec.name, f.name, id});
    if (!cleared) return cleared.status();
    if (fields[f.name].is_null()) continue;
    for (const auto& element : fields[f.name]) {
      auto added =
          c.execute("INSERT INTO links (entity, field, object_id, value) VALUES (?, ?, ?, ?)",
                    {spec.name, f.name, id, idText(element)});
      if (!added) return added.status();
    }
  }
  return {};
}

Status RecordStore::attachLists(Connection& c, const EntitySpec& spec, std::vector<json>& items) {
  std::vector<const FieldSpec*> lists;
  for (const auto& f : spec.fields) {
    if (f.type == FieldType::kList) lists.push_back(&f);
  }
  if (lists.empty() || items.empty()) return {};
  std::map<int64_t, json*> by_id;
  for (auto& item : items) {
    for (const auto* f : lists) item[f->name] = json::array();
    by_id[item["id"].get<int64_t>()] = &item;
  }
  constexpr std::size_t kBatch = 200;
  std::vector<int64_t> ids;
  for (const auto& [id, _] : by_id) ids.push_back(id);
  for (std::size_t start = 0; start < ids.size(); start += kBatch) {
    std::string sql =
        "SELECT object_id, field, value FROM links WHERE entity = ? AND object_id IN (";
    std::vector<Value> params{spec.name};
    for (std::size_t i = start; i < std::min(ids.size(), start + kBatch); ++i) {
      sql += i == start ? "?" : ", ?";
      params.emplace_back(ids[i]);
    }
    sql += ") ORDER BY object_id, field, value";
    auto rows = c.query(sql, params);
    if (!rows) return rows.status();
    for (const auto& row : rows->rows) {
      json& item = *by_id[asInt(row[0])];
      std::string field = asText(row[1]);
      const FieldSpec* f = spec.field(field);
      if (!f) continue;
      if (!f->ref.empty() && !textIdTarget(*f)) {
        item[field].push_back(asInt(row[2]));
      } else {
        item[field].push_back(asText(row[2]));
      }
    }
  }
  // Values are stored as text; ids read best in numeric order.
  for (auto& item : items) {
    for (const auto* f : lists) std::sort(item[f->name].begin(), item[f->name].end());
  }
  return {};
}

Result<json> RecordStore::createIn(Connection& c, const EntitySpec& spec, const json& fields,
                                   const Scope& scope) {
  json record = fields;
  if (spec.name == "regions" && !present(record, "parent_id") && scope.path != "/") {
    return Status::invalid("parent_id",
                           "请指定上级区域 (parent_id is required below the top level)");
  }
  if (spec.text_id && !present(record, "id")) record["id"] = "dev-" + crypto::randomHex(6);
  if (spec.complete) ANJU_RETURN_IF_ERROR(spec.complete(record, true));
  ANJU_RETURN_IF_ERROR(checkReferences(c, spec, record, scope));
  ANJU_RETURN_IF_ERROR(checkPlanPoint(c, spec, record));
  auto path = resolveScope(c, spec, record, scope);
  if (!path) return path.status();
  if (!scope.contains(*path)) return outOfScope();

  json secrets = json::object();
  std::string columns = "region_path, created_at, updated_at";
  std::string marks = "?, ?, ?";
  int64_t now = clock_.nowMillis();
  std::vector<Value> params{*path, now, now};
  if (spec.text_id) {
    columns += ", id";
    marks += ", ?";
    params.emplace_back(record["id"].get<std::string>());
  }
  for (const auto& f : spec.fields) {
    if (!isColumn(f)) continue;
    if (f.secret) {
      secrets[f.name] = crypto::randomHex(16);
      params.emplace_back(secrets[f.name].get<std::string>());
    } else if (present(record, f.name)) {
      params.push_back(toValue(f, record[f.name]));
    } else {
      continue;
    }
    columns += ", " + f.name;
    marks += ", ?";
  }
  auto inserted =
      c.query("INSERT INTO " + spec.name + " (" + columns + ") VALUES (" + marks + ") RETURNING id",
              params);
  if (!inserted) return inserted.status();
  std::string id = asText(inserted->rows[0][0]);
  if (spec.name == "regions") {
    // A region's own path names it, so a scope of "/1/4/" covers region 4 and all below it.
    std::string own = *path + id + "/";
    auto updated = c.execute("UPDATE regions SET path = ?, region_path = ? WHERE id = ?",
                             {own, own, *parseId(id)});
    if (!updated) return updated.status();
  }
  if (!spec.text_id) ANJU_RETURN_IF_ERROR(writeLists(c, spec, *parseId(id), record));
  auto stored = load(c, spec, id, nullptr);
  if (!stored) return stored.status();
  for (auto it = secrets.begin(); it != secrets.end(); ++it) (*stored)[it.key()] = it.value();
  return stored;
}

Result<json> RecordStore::create(const EntitySpec& spec, const json& fields, const Scope& scope) {
  json out;
  Status s = db_.write([&](Connection& c) -> Status {
    auto created = createIn(c, spec, fields, scope);
    if (!created) return created.status();
    out = std::move(*created);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<json> RecordStore::get(const EntitySpec& spec, const std::string& id, const Scope& scope) {
  json out;
  Status s = db_.read([&](Connection& c) -> Status {
    std::string path;
    auto loaded = load(c, spec, id, &path);
    if (!loaded) return loaded.status();
    if (!scope.contains(path)) return outOfScope();
    out = std::move(*loaded);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<json> RecordStore::update(const EntitySpec& spec, const std::string& id, const json& changes,
                                 const Scope& scope) {
  json out;
  Status s = db_.write([&](Connection& c) -> Status {
    std::string path;
    auto existing = load(c, spec, id, &path);
    if (!existing) return existing.status();
    if (!scope.contains(path)) return outOfScope();
    // Merge in the stored representation: timestamps as milliseconds, like validated input.
    json merged = *existing;
    for (const auto& f : spec.fields) {
      if (f.type == FieldType::kTimestamp && present(merged, f.name)) {
        merged[f.name] = *parseTimestamp(merged[f.name].get<std::string>(), utc_offset_minutes_);
      }
    }
    for (auto it = changes.begin(); it != changes.end(); ++it) merged[it.key()] = it.value();
    if (spec.complete) ANJU_RETURN_IF_ERROR(spec.complete(merged, false));
    ANJU_RETURN_IF_ERROR(checkReferences(c, spec, changes, scope));
    ANJU_RETURN_IF_ERROR(checkPlanPoint(c, spec, merged));
    ANJU_RETURN_IF_ERROR(checkPlanHoldsItsObjects(c, spec, id, merged));
    auto new_path = resolveScope(c, spec, merged, scope);
    if (!new_path) return new_path.status();
    if (spec.name == "regions") new_path = path;
    if (!scope.contains(*new_path)) return outOfScope();

    std::string sets = "region_path = ?, updated_at = ?";
    std::vector<Value> params{*new_path, clock_.nowMillis()};
    for (const auto& f : spec.fields) {
      if (!isColumn(f) || f.secret) continue;
      sets += ", " + f.name + " = ?";
      params.push_back(present(merged, f.name) ? toValue(f, merged[f.name]) : Value{});
    }
    params.push_back(idValue(spec, id));
    auto updated = c.execute("UPDATE " + spec.name + " SET " + sets + " WHERE id = ?", params);
    if (!updated) return updated.status();
    if (!spec.text_id) ANJU_RETURN_IF_ERROR(writeLists(c, spec, *parseId(id), changes));
    auto stored = load(c, spec, id, nullptr);
    if (!stored) return stored.status();
    out = std::move(*stored);
    return {};
  });
  if (!s) return s;
  return out;
}

Status RecordStore::remove(const EntitySpec& spec, const std::string& id, const Scope& scope) {
  return db_.write([&](Connection& c) -> Status {
    std::string path;
    auto existing = load(c, spec, id, &path);
    if (!existing) return existing.status();
    if (!scope.contains(path)) return outOfScope();
    // No foreign key guards the lists in `links`; without this check a deleted person's id, reused
    // by the next person created, would inherit the access groups that still name it.
    for (const auto& other : domain::registry()) {
      for (const auto& f : other.fields) {
        if (f.type != FieldType::kList || f.ref != spec.name) continue;
        auto rows =
            c.query("SELECT 1 FROM links WHERE entity = ? AND field = ? AND value = ? LIMIT 1",
                    {other.name, f.name, idText((*existing)["id"])});
        if (!rows) return rows.status();
        if (!rows->empty()) {
          return Status::conflict("仍被其他记录引用 (still referenced by " + other.name + "." +
                                  f.name + ")");
        }
      }
    }
    if (!spec.text_id) {
      auto unlinked = c.execute("DELETE FROM links WHERE entity = ? AND object_id = ?",
                                {spec.name, *parseId(id)});
      if (!unlinked) return unlinked.status();
    }
    auto deleted = c.execute("DELETE FROM " + spec.name + " WHERE id = ?", {idValue(spec, id)});
    return deleted ? Status() : deleted.status();
  });
}

Result<ListPage> RecordStore::list(const EntitySpec& spec, const ListQuery& query,
                                   const Scope& scope) {
  if (query.limit < 1 || query.limit > 1000) {
    return Status::invalid("limit", "limit 应在 1 到 1000 之间 (limit must be between 1 and 1000)");
  }
  std::string where = "1 = 1";
  std::vector<Value> params;
  if (scope.path != "/") {
    where += " AND region_path >= ? AND region_path < ?";
    params.emplace_back(scope.path);
    params.emplace_back(scope.upperBound());
  }
  for (const auto& [param, raw] : query.filters) {
    const domain::FilterSpec* filter = nullptr;
    for (const auto& candidate : spec.filters) {
      if (candidate.param == param) filter = &candidate;
    }
    if (!filter)
      return Status::invalid(param,
                             "不支持的筛选条件 " + param + " (unknown filter " + param + ")");
    Value v = raw;
    if (filter->type == FieldType::kInteger) {
      auto n = parseId(raw);
      if (!n)
        return Status::invalid(param,
                               param + " 应为整数 (" + param + " must be a positive integer)");
      v = *n;
    } else if (filter->type == FieldType::kBoolean) {
      if (raw != "true" && raw != "false")
        return Status::invalid(param, param + " must be true or false");
      v = int64_t{raw == "true" ? 1 : 0};
    } else if (filter->contains) {
      std::string escaped;
      for (char ch : raw) {
        if (ch == '%' || ch == '_' || ch == '\\') escaped += '\\';
        escaped += ch;
      }
      v = "%" + escaped + "%";
    }
    where += " AND " + filter->sql + (filter->contains ? " ESCAPE '\\'" : "");
    params.push_back(std::move(v));
  }
  if (!query.cursor.empty()) {
    if (spec.text_id) {
      params.emplace_back(query.cursor);
    } else {
      auto n = parseId(query.cursor);
      if (!n)
        return Status::invalid("cursor", "无效的游标 (cursor is not one this server gave out)");
      params.emplace_back(*n);
    }
    where += " AND id > ?";
  }
  params.emplace_back(int64_t{query.limit + 1});
  ListPage page;
  Status s = db_.read([&](Connection& c) -> Status {
    auto rows = c.query("SELECT " + selectColumns(spec) + " FROM " + spec.name + " WHERE " + where +
                            " ORDER BY id LIMIT ?",
                        params);
    if (!rows) return rows.status();
    std::size_t n = std::min<std::size_t>(rows->size(), static_cast<std::size_t>(query.limit));
    for (std::size_t i = 0; i < n; ++i) page.items.push_back(rowToJson(spec, *rows, i));
    if (rows->size() > n) page.next = idText(page.items.back()["id"]);
    return attachLists(c, spec, page.items);
  });
  if (!s) return s;
  return page;
}

Result<std::string> RecordStore::regionPath(int64_t region_id) {
  std::string path;
  Status s = db_.read([&](Connection& c) -> Status {
    auto rows = c.query("SELECT path FROM regions WHERE id = ?", {region_id});
    if (!rows) return rows.status();
    if (rows->empty())
      return Status::notFound("unknown region " + std::to_string(region_id), "region_id");
    path = asText(rows->rows[0][0]);
    return {};
  });
  if (!s) return s;
  return path;
}

Result<int64_t> parseIdCursor(const std::string& cursor) {
  if (cursor.empty()) return int64_t{0};
  int64_t v = 0;
  auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), v);
  if (ec != std::errc() || end != cursor.data() + cursor.size() || v < 0)
    return Status::invalid("cursor", "无效的分页游标 (cursor is not one this list gave)");
  return v;
}

}  // namespace anju::store
