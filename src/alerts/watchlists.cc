#include "alerts/watchlists.h"

#include <cmath>
#include <cstring>

#include "alerts/config_changes.h"
#include "alerts/rules.h"
#include "common/crypto.h"
#include "common/json_fields.h"
#include "common/log.h"
#include "domain/id_number.h"
#include "domain/plate.h"
#include "importer/csv.h"

namespace anju::alerts {

using nlohmann::json;
using store::asInt;
using store::asReal;
using store::asText;
using store::isNull;
using store::Value;

namespace {

constexpr const char* kListColumns =
    "w.id, w.name, w.kind, w.reason, w.requested_by, w.region_path, w.valid_from, w.valid_to, "
    "w.level, w.threshold, w.created_by, w.created_at, w.updated_at, "
    "(SELECT count(*) FROM watchlist_entries e WHERE e.watchlist_id = w.id)";
constexpr std::size_t kMaxFacesPerEntry = 10;
constexpr int64_t kDefaultValidityMs = 30LL * 86'400'000;

std::string encodeEmbedding(const std::vector<float>& v) {
  std::string bytes(v.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), v.data(), bytes.size());
  return crypto::base64Encode(bytes);
}

std::optional<std::vector<float>> decodeEmbedding(const std::string& text) {
  auto bytes = crypto::base64Decode(text);
  if (!bytes || bytes->size() % sizeof(float) != 0) return std::nullopt;
  std::vector<float> v(bytes->size() / sizeof(float));
  std::memcpy(v.data(), bytes->data(), bytes->size());
  return v;
}

Result<int64_t> timeField(const json& body, const std::string& name, int utc_offset_minutes) {
  const json& v = body[name];
  if (!v.is_string()) {
    return Status::invalid(name, "时间应为 ISO 8601 文本 (" + name + " must be ISO 8601 text)");
  }
  auto t = parseTimestamp(v.get<std::string>(), utc_offset_minutes);
  if (!t) return Status::invalid(name, "时间格式无效 (" + name + " must be ISO 8601)");
  return *t;
}

Result<std::string> levelField(const json& body) {
  auto level = textField(body, "level", true, 16);
  if (!level) return level.status();
  const auto& levels = alertLevels();
  if (std::find(levels.begin(), levels.end(), *level) == levels.end()) {
    return Status::invalid("level",
                           "级别应为 low、normal、high 或 critical (level must be low, "
                           "normal, high or critical)");
  }
  return *level;
}

Result<double> thresholdField(const json& body) {
  const json& t = body["threshold"];
  if (!t.is_number() || !std::isfinite(t.get<double>()) || t.get<double>() <= 0 ||
      t.get<double>() > 1) {
    return Status::invalid("threshold",
                           "相似度阈值应在 0 到 1 之间 (threshold must be above 0 and at most 1)");
  }
  return t.get<double>();
}

// One entry's fields, checked for a list of `kind`.
struct EntryFields {
  std::string name, id_number, plate, note;
  std::optional<int64_t> person_id;
  std::vector<std::string> faces;  // base64
};

Result<EntryFields> readEntry(const json& body, const std::string& kind) {
  if (!body.is_object()) return Status::invalid("body", "应为 JSON 对象 (body must be an object)");
  EntryFields e;
  auto name = textField(body, "name", false, 64);
  if (!name) return name.status();
  e.name = *name;
  auto note = textField(body, "note", false, 500);
  if (!note) return note.status();
  e.note = *note;
  if (kind == "vehicle") {
    auto plate_text = textField(body, "plate", true, 32);
    if (!plate_text) return plate_text.status();
    auto plate = domain::parsePlate(*plate_text);
    if (!plate) return plate.status();
    e.plate = plate->normalized;
    return e;
  }
  auto id_text = textField(body, "id_number", false, 32);
  if (!id_text) return id_text.status();
  if (!id_text->empty()) {
    auto id = domain::parseIdNumber(*id_text);
    if (!id) return id.status();
    e.id_number = id->normalized;
  }
  if (body.contains("person_id") && !body["person_id"].is_null()) {
    if (!body["person_id"].is_number_integer() || body["person_id"].get<int64_t>() <= 0) {
      return Status::invalid("person_id", "应为正整数 (person_id must be a positive id)");
    }
    e.person_id = body["person_id"].get<int64_t>();
  }
  if (body.contains("faces") && !body["faces"].is_null()) {
    const json& faces = body["faces"];
    if (!faces.is_array() || faces.size() > kMaxFacesPerEntry) {
      return Status::invalid("faces",
                             "应为至多 10 个人脸特征的列表 (faces must list at most 10 "
                             "embeddings)");
    }
    for (std::size_t i = 0; i < faces.size(); ++i) {
      auto v = parseEmbedding(faces[i], "faces[" + std::to_string(i) + "]");
      if (!v) return v.status();
      e.faces.push_back(encodeEmbedding(*v));
    }
  }
  if (e.id_number.empty() && !e.person_id && e.faces.empty()) {
    return Status::invalid("id_number",
                           "需要身份证号、人员或人脸特征之一 (give id_number, person_id or faces)");
  }
  return e;
}

Status insertEntry(store::Connection& c, int64_t list_id, const EntryFields& e, int64_t now,
                   bool& duplicate) {
  json faces = json::array();
  for (const auto& f : e.faces) faces.push_back(f);
  auto r = c.execute(
      "INSERT INTO watchlist_entries (watchlist_id, name, id_number, person_id, plate, faces, "
      "note, created_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
      {list_id, store::nullableText(e.name), store::nullableText(e.id_number),
       e.person_id ? Value{*e.person_id} : Value{}, store::nullableText(e.plate),
       e.faces.empty() ? Value{} : Value{faces.dump()}, store::nullableText(e.note), now});
  if (!r) return r.status();
  duplicate = *r == 0;
  return {};
}

}  // namespace

Result<std::vector<float>> parseEmbedding(const json& value, const std::string& field) {
  if (!value.is_array() || (value.size() != 128 && value.size() != 512)) {
    return Status::invalid(field, "人脸特征应为 128 或 512 个数 (" + field +
                                      " must be an array of 128 or 512 numbers)");
  }
  std::vector<float> v;
  v.reserve(value.size());
  double norm = 0;
  for (const auto& x : value) {
    if (!x.is_number() || !std::isfinite(x.get<double>())) {
      return Status::invalid(field,
                             "人脸特征含非有限数 (" + field + " must hold finite numbers only)");
    }
    v.push_back(x.get<float>());
    norm += x.get<double>() * x.get<double>();
  }
  if (norm <= 0 || !std::isfinite(norm)) {
    return Status::invalid(field, "人脸特征不能为零向量 (" + field + " must not be all zeros)");
  }
  return v;
}

WatchlistStore::WatchlistStore(store::Database& db, const Clock& clock, int utc_offset_minutes)
    : db_(db), clock_(clock), utc_offset_minutes_(utc_offset_minutes) {}

Result<json> WatchlistStore::create(const json& body, const std::string& region_path,
                                    const std::string& by) {
  if (!body.is_object()) return Status::invalid("body", "应为 JSON 对象 (body must be an object)");
  auto name = textField(body, "name", true, 100);
  if (!name) return name.status();
  auto kind = textField(body, "kind", true, 16);
  if (!kind) return kind.status();
  if (*kind != "person" && *kind != "vehicle") {
    return Status::invalid("kind", "类型应为 person 或 vehicle (kind must be person or vehicle)");
  }
  auto reason = textField(body, "reason", true, 500);
  if (!reason) return reason.status();
  auto requested_by = textField(body, "requested_by", true, 64);
  if (!requested_by) return requested_by.status();
  const int64_t now = clock_.nowMillis();
  int64_t from = now, to = now + kDefaultValidityMs;
  if (body.contains("valid_from")) {
    auto t = timeField(body, "valid_from", utc_offset_minutes_);
    if (!t) return t.status();
    from = *t;
  }
  if (body.contains("valid_to")) {
    auto t = timeField(body, "valid_to", utc_offset_minutes_);
    if (!t) return t.status();
    to = *t;
  }
  if (to < from) {
    return Status::invalid("valid_to", "结束时间早于开始时间 (valid_to is before valid_from)");
  }
  std::string level = "high";
  if (body.contains("level")) {
    auto l = levelField(body);
    if (!l) return l.status();
    level = *l;
  }
  double threshold = 0.6;
  if (body.contains("threshold")) {
    auto t = thresholdField(body);
    if (!t) return t.status();
    threshold = *t;
  }
  int64_t id = 0;
  ANJU_RETURN_IF_ERROR(db_.write([&](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(c.notify(kConfigChannel, ""));
    auto row = c.query(
        "INSERT INTO watchlists (name, kind, reason, requested_by, region_path, valid_from, "
        "valid_to, level, threshold, created_by, created_at, updated_at) VALUES "
        "(?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        {*name, *kind, *reason, *requested_by, region_path, from, to, level, threshold, by, now,
         now});
    if (!row) return row.status();
    id = row->scalarInt().value_or(0);
    return {};
  }));
  version_ += 1;
  return get(id);
}

Result<json> WatchlistStore::update(int64_t id, const json& body) {
  if (!body.is_object()) return Status::invalid("body", "应为 JSON 对象 (body must be an object)");
  auto current = get(id);
  if (!current) return current.status();
  std::vector<std::pair<std::string, Value>> sets;
  for (const char* field : {"name", "reason", "requested_by"}) {
    if (!body.contains(field)) continue;
    auto v = textField(body, field, true, std::string(field) == "reason" ? 500 : 100);
    if (!v) return v.status();
    sets.emplace_back(field, *v);
  }
  int64_t from = 0, to = 0;
  {
    auto f = parseTimestamp((*current)["valid_from"].get<std::string>(), utc_offset_minutes_);
    auto t = parseTimestamp((*current)["valid_to"].get<std::string>(), utc_offset_minutes_);
    from = f.value_or(0);
    to = t.value_or(0);
  }
  for (const char* field : {"valid_from", "valid_to"}) {
    if (!body.contains(field)) continue;
    auto t = timeField(body, field, utc_offset_minutes_);
    if (!t) return t.status();
    (std::string(field) == "valid_from" ? from : to) = *t;
    sets.emplace_back(field, *t);
  }
  if (to < from) {
    return Status::invalid("valid_to", "结束时间早于开始时间 (valid_to is before valid_from)");
  }
  if (body.contains("threshold")) {
    auto t = thresholdField(body);
    if (!t) return t.status();
    sets.emplace_back("threshold", *t);
  }
  if (body.contains("level")) {
    auto l = levelField(body);
    if (!l) return l.status();
    sets.emplace_back("level", *l);
  }
  if (!sets.empty()) {
    std::string sql = "UPDATE watchlists SET updated_at = ?";
    std::vector<Value> params{clock_.nowMillis()};
    for (auto& [column, value] : sets) {
      sql += ", " + column + " = ?";
      params.push_back(std::move(value));
    }
    sql += " WHERE id = ?";
    params.emplace_back(id);
    ANJU_RETURN_IF_ERROR(db_.write([&](store::Connection& c) -> Status {
      ANJU_RETURN_IF_ERROR(c.notify(kConfigChannel, ""));
      auto r = c.execute(sql, params);
      return r ? Status{} : r.status();
    }));
    version_ += 1;
  }
  return get(id);
}

Status WatchlistStore::remove(int64_t id) {
  Status st = db_.write([&](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(c.notify(kConfigChannel, ""));
    auto alerts = c.query("SELECT count(*) FROM alerts WHERE watchlist_id = ?", {id});
    if (!alerts) return alerts.status();
    if (alerts->scalarInt().value_or(0) > 0) {
      // Alerts name it: end its validity instead, so their history still reads.
      auto r = c.execute(
          "UPDATE watchlists SET valid_to = CASE WHEN valid_to < ? THEN valid_to ELSE ? END, "
          "updated_at = ? WHERE id = ?",
          {clock_.nowMillis(), clock_.nowMillis(), clock_.nowMillis(), id});
      return r ? Status{} : r.status();
    }
    auto entries = c.execute("DELETE FROM watchlist_entries WHERE watchlist_id = ?", {id});
    if (!entries) return entries.status();
    auto r = c.execute("DELETE FROM watchlists WHERE id = ?", {id});
    if (!r) return r.status();
    return *r == 0 ? Status::notFound("没有这个布控名单 (no such watchlist)", "id") : Status{};
  });
  if (st) version_ += 1;
  return st;
}

Result<json> WatchlistStore::get(int64_t id) {
  json out;
  const int64_t now = clock_.nowMillis();
  ANJU_RETURN_IF_ERROR(db_.read([&](store::Connection& c) -> Status {
    auto rows =
        c.query(std::string("SELECT ") + kListColumns + " FROM watchlists w WHERE w.id = ?", {id});
    if (!rows) return rows.status();
    if (rows->empty()) return Status::notFound("没有这个布控名单 (no such watchlist)", "id");
    const auto& r = rows->rows[0];
    auto time = [&](const Value& v) { return formatTimestamp(asInt(v), utc_offset_minutes_); };
    out = {{"id", asInt(r[0])},
           {"name", asText(r[1])},
           {"kind", asText(r[2])},
           {"reason", asText(r[3])},
           {"requested_by", asText(r[4])},
           {"region_path", asText(r[5])},
           {"valid_from", time(r[6])},
           {"valid_to", time(r[7])},
           {"level", asText(r[8])},
           {"threshold", asReal(r[9])},
           {"created_by", asText(r[10])},
           {"created_at", time(r[11])},
           {"updated_at", time(r[12])},
           {"entries", asInt(r[13])},
           {"active", asInt(r[6]) <= now && now <= asInt(r[7])}};
    return {};
  }));
  return out;
}

Result<std::vector<json>> WatchlistStore::list(const store::Scope& scope) {
  std::vector<int64_t> ids;
  ANJU_RETURN_IF_ERROR(db_.read([&](store::Connection& c) -> Status {
    auto rows = c.query(
        "SELECT id FROM watchlists WHERE (region_path >= ? AND region_path < ?) OR ? LIKE "
        "region_path || '%' ORDER BY id DESC",
        {scope.path, scope.upperBound(), scope.path});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) ids.push_back(asInt(r[0]));
    return {};
  }));
  std::vector<json> out;
  for (int64_t id : ids) {
    auto one = get(id);
    if (!one) return one.status();
    out.push_back(std::move(*one));
  }
  return out;
}

Result<std::string> WatchlistStore::regionOf(int64_t id) {
  std::string path;
  ANJU_RETURN_IF_ERROR(db_.read([&](store::Connection& c) -> Status {
    auto rows = c.query("SELECT region_path FROM watchlists WHERE id = ?", {id});
    if (!rows) return rows.status();
    if (rows->empty()) return Status::notFound("没有这个布控名单 (no such watchlist)", "id");
    path = asText(rows->rows[0][0]);
    return {};
  }));
  return path;
}

Result<json> WatchlistStore::addEntry(int64_t list_id, const json& body) {
  auto list = get(list_id);
  if (!list) return list.status();
  auto fields = readEntry(body, (*list)["kind"]);
  if (!fields) return fields.status();
  int64_t id = 0;
  ANJU_RETURN_IF_ERROR(db_.write([&](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(c.notify(kConfigChannel, ""));
    if (fields->person_id) {
      auto person = c.query("SELECT 1 FROM persons WHERE id = ?", {*fields->person_id});
      if (!person) return person.status();
      if (person->empty()) return Status::notFound("没有这个人员 (no such person)", "person_id");
    }
    bool duplicate = false;
    ANJU_RETURN_IF_ERROR(insertEntry(c, list_id, *fields, clock_.nowMillis(), duplicate));
    if (duplicate) {
      return Status::conflict("名单中已有此条目 (already on this watchlist)",
                              fields->plate.empty() ? "id_number" : "plate");
    }
    auto row = c.query("SELECT max(id) FROM watchlist_entries WHERE watchlist_id = ?", {list_id});
    if (!row) return row.status();
    id = row->scalarInt().value_or(0);
    return {};
  }));
  version_ += 1;
  json out = {{"id", id},
              {"watchlist_id", list_id},
              {"name", fields->name},
              {"faces", fields->faces.size()},
              {"note", fields->note}};
  if (!fields->id_number.empty()) out["id_number"] = fields->id_number;
  if (fields->person_id) out["person_id"] = *fields->person_id;
  if (!fields->plate.empty()) out["plate"] = fields->plate;
  return out;
}

Result<json> WatchlistStore::addEntries(int64_t list_id, const json& entries) {
  if (!entries.is_array() || entries.empty() || entries.size() > kMaxBatchEntries) {
    return Status::invalid("entries",
                           "应为 1 到 1000 条的列表 (entries must list 1 to 1000 entries)");
  }
  auto list = get(list_id);
  if (!list) return list.status();
  std::vector<EntryFields> fields;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto entry = readEntry(entries[i], (*list)["kind"]);
    if (!entry) {
      const std::string prefix = "entries[" + std::to_string(i) + "]";
      return Status::invalid(prefix + "." + entry.status().field(), entry.status().message());
    }
    fields.push_back(std::move(*entry));
  }
  std::size_t added = 0, duplicates = 0;
  const int64_t now = clock_.nowMillis();
  ANJU_RETURN_IF_ERROR(db_.write([&](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(c.notify(kConfigChannel, ""));
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].person_id) {
        auto person = c.query("SELECT 1 FROM persons WHERE id = ?", {*fields[i].person_id});
        if (!person) return person.status();
        if (person->empty()) {
          return Status::notFound("没有这个人员 (no such person)",
                                  "entries[" + std::to_string(i) + "].person_id");
        }
      }
      bool duplicate = false;
      ANJU_RETURN_IF_ERROR(insertEntry(c, list_id, fields[i], now, duplicate));
      duplicate ? duplicates += 1 : added += 1;
    }
    return {};
  }));
  version_ += 1;
  return json{{"added", added}, {"duplicates", duplicates}};
}

Status WatchlistStore::removeEntry(int64_t list_id, int64_t entry_id) {
  Status st = db_.write([&](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(c.notify(kConfigChannel, ""));
    auto r = c.execute("DELETE FROM watchlist_entries WHERE id = ? AND watchlist_id = ?",
                       {entry_id, list_id});
    if (!r) return r.status();
    return *r == 0
               ? Status::notFound("名单中没有此条目 (no such entry on this watchlist)", "entry_id")
               : Status{};
  });
  if (st) version_ += 1;
  return st;
}

Result<std::pair<std::vector<json>, std::optional<std::string>>> WatchlistStore::entries(
    int64_t list_id, const std::string& cursor, int limit) {
  std::vector<json> items;
  std::optional<std::string> next;
  ANJU_RETURN_IF_ERROR(db_.read([&](store::Connection& c) -> Status {
    auto rows = c.query(
        "SELECT id, name, id_number, person_id, plate, faces, note, created_at FROM "
        "watchlist_entries WHERE watchlist_id = ? AND id > ? ORDER BY id LIMIT ?",
        {list_id, cursor.empty() ? int64_t{0} : static_cast<int64_t>(std::stoll(cursor)),
         int64_t{limit} + 1});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      if (static_cast<int>(items.size()) == limit) {
        next = std::to_string(items.back()["id"].get<int64_t>());
        break;
      }
      json e = {{"id", asInt(r[0])},
                {"watchlist_id", list_id},
                {"name", asText(r[1])},
                {"faces", isNull(r[5]) ? 0 : json::parse(asText(r[5]), nullptr, false).size()},
                {"note", asText(r[6])},
                {"created_at", formatTimestamp(asInt(r[7]), utc_offset_minutes_)}};
      if (!isNull(r[2])) e["id_number"] = asText(r[2]);
      if (!isNull(r[3])) e["person_id"] = asInt(r[3]);
      if (!isNull(r[4])) e["plate"] = asText(r[4]);
      items.push_back(std::move(e));
    }
    return {};
  }));
  return std::make_pair(std::move(items), std::move(next));
}

Result<ImportReport> WatchlistStore::importCsv(int64_t list_id, std::string_view text, bool partial,
                                               std::size_t max_errors,
                                               const std::function<void(double)>& progress) {
  constexpr std::size_t kReportEvery = 5000;  // rows
  auto list = get(list_id);
  if (!list) return list.status();
  const std::string kind = (*list)["kind"];
  importer::CsvReader reader(text);
  importer::CsvRecord record;
  auto first = reader.next(record);
  if (!first) return first.status();
  if (!*first) return Status::invalid("body", "文件为空 (the file is empty)");
  auto header = importer::CsvHeader::parse(
      record.fields, {{"name", {"姓名", "名称"}},
                      {"id_number", {"身份证号", "身份证号码", "公民身份号码"}},
                      {"plate", {"车牌号", "车牌", "号牌号码"}},
                      {"note", {"备注"}}});
  if (!header) return header.status();
  if (kind == "vehicle" && !header->index("plate")) {
    return Status::invalid("plate", "缺少车牌号列 (the file has no plate column)");
  }
  if (kind == "person" && !header->index("id_number")) {
    return Status::invalid("id_number", "缺少身份证号列 (the file has no id_number column)");
  }
  ImportReport report;
  std::vector<EntryFields> good;
  for (;;) {
    auto more = reader.next(record);
    if (!more) {
      report.rows += 1;
      if (report.errors.size() < max_errors) {
        report.errors.push_back(
            {{"line", record.line}, {"field", ""}, {"message", more.status().message()}});
      }
      continue;
    }
    if (!*more) break;
    if (record.blank()) continue;
    report.rows += 1;
    json row = json::object();
    for (const char* column : {"name", "id_number", "plate", "note"}) {
      std::string_view cell = header->cell(record.fields, column);
      if (!cell.empty()) row[column] = std::string(cell);
    }
    auto entry = readEntry(row, kind);
    if (!entry) {
      if (report.errors.size() < max_errors) {
        report.errors.push_back({{"line", record.line},
                                 {"field", entry.status().field()},
                                 {"message", entry.status().message()}});
      }
      continue;
    }
    good.push_back(std::move(*entry));
    if (progress && report.rows % kReportEvery == 0) {
      progress(0.5 * static_cast<double>(reader.bytesRead()) / static_cast<double>(text.size()));
    }
  }
  const std::size_t failed = report.rows - good.size();
  if (failed > 0 && !partial) return report;
  const int64_t now = clock_.nowMillis();
  ANJU_RETURN_IF_ERROR(db_.write([&](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(c.notify(kConfigChannel, ""));
    for (std::size_t i = 0; i < good.size(); ++i) {
      const auto& e = good[i];
      if (progress && i % kReportEvery == 0) {
        progress(0.5 + 0.5 * static_cast<double>(i) / static_cast<double>(good.size()));
      }
      bool duplicate = false;
      ANJU_RETURN_IF_ERROR(insertEntry(c, list_id, e, now, duplicate));
      duplicate ? report.duplicates += 1 : report.imported += 1;
    }
    return {};
  }));
  report.committed = true;
  version_ += 1;
  log::info("watchlist.imported", {{"watchlist", std::to_string(list_id)},
                                   {"imported", std::to_string(report.imported)},
                                   {"duplicates", std::to_string(report.duplicates)}});
  return report;
}

Result<WatchSnapshot> WatchlistStore::snapshot(int64_t now_ms) {
  WatchSnapshot snap;
  ANJU_RETURN_IF_ERROR(db_.read([&](store::Connection& c) -> Status {
    auto lists = c.query(
        "SELECT id, name, kind, reason, level, region_path, threshold, valid_from, valid_to FROM "
        "watchlists WHERE valid_to >= ?",
        {now_ms});
    if (!lists) return lists.status();
    for (const auto& r : lists->rows) {
      snap.lists.push_back({.id = asInt(r[0]),
                            .name = asText(r[1]),
                            .kind = asText(r[2]),
                            .reason = asText(r[3]),
                            .level = asText(r[4]),
                            .region_path = asText(r[5]),
                            .threshold = asReal(r[6]),
                            .valid_from = asInt(r[7]),
                            .valid_to = asInt(r[8])});
    }
    auto entries = c.query(
        "SELECT e.id, e.watchlist_id, e.name, e.id_number, coalesce(e.person_id, p.id), e.plate, "
        "e.faces FROM watchlist_entries e JOIN watchlists w ON w.id = e.watchlist_id LEFT JOIN "
        "persons p ON e.person_id IS NULL AND e.id_number IS NOT NULL AND p.id_number = "
        "e.id_number WHERE w.valid_to >= ?",
        {now_ms});
    if (!entries) return entries.status();
    for (const auto& r : entries->rows) {
      WatchedEntry e{.id = asInt(r[0]),
                     .list_id = asInt(r[1]),
                     .name = asText(r[2]),
                     .id_number = asText(r[3]),
                     .person_id = std::nullopt,
                     .plate = asText(r[5])};
      if (!isNull(r[4])) e.person_id = asInt(r[4]);
      if (!isNull(r[6])) {
        json faces = json::parse(asText(r[6]), nullptr, false);
        if (faces.is_array()) {
          for (const auto& f : faces) {
            if (!f.is_string()) continue;
            auto v = decodeEmbedding(f.get<std::string>());
            if (v) snap.faces.push_back({e.id, std::move(*v)});
          }
        }
      }
      snap.entries.push_back(std::move(e));
    }
    return {};
  }));
  return snap;
}

}  // namespace anju::alerts
