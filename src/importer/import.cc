#include "importer/import.h"

#include <charconv>
#include <istream>
#include <optional>
#include <ostream>

#include "importer/csv.h"

namespace anju::importer {

using domain::EntitySpec;
using domain::FieldSpec;
using domain::FieldType;
using nlohmann::json;

namespace {

// The column that names an object of each kind in an office's sheet, besides its id.
const char* naturalKey(const std::string& entity) {
  if (entity == "persons") return "id_number";
  if (entity == "rooms") return "address_code";
  if (entity == "vehicles") return "plate";
  return "name";
}

bool isWholeNumber(const std::string& text) {
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// A sheet of rooms names its building as 小区 + 楼栋 ("3号楼" exists in every estate), and its unit
// as 单元 within that building; these are the parents that narrow such a lookup.
struct Parents {
  std::optional<int64_t> estate_id;
  std::optional<int64_t> building_id;
};

// A reference given by natural key becomes an id; ambiguous or unknown keys are row errors.
Result<json> resolveReference(store::Connection& c, const FieldSpec& f, const std::string& key,
                              const store::Scope& scope, const Parents& parents) {
  const EntitySpec* target = domain::findEntity(f.ref);
  std::string sql =
      std::string("SELECT id FROM ") + target->name + " WHERE " + naturalKey(target->name) + " = ?";
  std::vector<store::Value> params{key};
  if (target->name == "buildings" && parents.estate_id) {
    sql += " AND estate_id = ?";
    params.emplace_back(*parents.estate_id);
  }
  if (target->name == "units" && parents.building_id) {
    sql += " AND building_id = ?";
    params.emplace_back(*parents.building_id);
  }
  if (scope.path != "/") {
    sql += " AND region_path >= ? AND region_path < ?";
    params.emplace_back(scope.path);
    params.emplace_back(scope.upperBound());
  }
  auto rows = c.query(sql + " LIMIT 2", params);
  if (!rows) return rows.status();
  if (rows->empty()) {
    return Status::invalid(f.name,
                           "找不到“" + key + "” (no " + target->name + " named " + key + ")");
  }
  if (rows->size() > 1) {
    return Status::invalid(f.name, "“" + key + "”不唯一，请填写编号或所属小区 (" + key +
                                       " is ambiguous; give the id or the estate)");
  }
  if (target->text_id) return json(store::asText(rows->rows[0][0]));
  return json(store::asInt(rows->rows[0][0]));
}

std::vector<ColumnAlias> columnsOf(const EntitySpec& spec) {
  std::vector<ColumnAlias> columns;
  if (spec.text_id) columns.push_back({"id", {"编号"}, false});
  for (const auto& f : spec.fields) {
    if (f.read_only || f.secret) continue;
    columns.push_back({f.name, {f.label}, f.required});
  }
  if (spec.field("building_id") && !spec.field("estate_id")) {
    columns.push_back({"estate", {"小区", "小区名称"}, false});
  }
  return columns;
}

}  // namespace

Result<ImportReport> importCsv(store::RecordStore& records, const EntitySpec& spec,
                               std::istream& in, const ImportOptions& options) {
  CsvReader reader(in);
  CsvRecord header_row;
  auto got = reader.next(header_row);
  if (!got) return got.status();
  if (!*got) return Status::invalid("file", "文件为空 (the file is empty)");
  auto header = CsvHeader::parse(header_row.fields, columnsOf(spec));
  if (!header) return header.status();

  ImportReport report;
  report.ignored_columns = header->unknown();
  auto fail = [&](std::size_t line, const Status& s) {
    ++report.failed;
    if (report.errors.size() < options.max_errors) {
      report.errors.push_back({line, s.field(), s.message()});
    }
  };
  const Status kRollback{Code::kInvalid, "rows refused"};

  Status written = records.database().write([&](store::Connection& c) -> Status {
    CsvRecord row;
    while (true) {
      auto more = reader.next(row);
      if (options.progress) options.progress(reader.bytesRead());
      if (!more) {
        ++report.rows;
        fail(row.line, more.status());
        continue;
      }
      if (!*more) break;
      if (row.blank()) continue;
      ++report.rows;

      json body = json::object();
      Status row_status;
      if (spec.text_id) {
        std::string id(header->cell(row.fields, "id"));
        if (!id.empty()) body["id"] = id;
      }
      Parents parents;
      if (header->index("estate")) {
        std::string estate(header->cell(row.fields, "estate"));
        static const FieldSpec kEstate{.name = "estate", .type = FieldType::kRef, .ref = "estates"};
        if (!estate.empty()) {
          auto id = isWholeNumber(estate) ? Result<json>(json(std::stoll(estate)))
                                          : resolveReference(c, kEstate, estate, options.scope, {});
          if (id) {
            parents.estate_id = id->get<int64_t>();
          } else {
            row_status = id.status();
          }
        }
      }
      for (const auto& f : spec.fields) {
        if (!row_status) break;
        if (f.read_only || f.secret || !header->index(f.name)) continue;
        std::string cell(header->cell(row.fields, f.name));
        Result<json> value = cellToJson(f, cell);
        if (!value && f.type == FieldType::kRef && !isWholeNumber(cell)) {
          value = resolveReference(c, f, cell, options.scope, parents);
        }
        if (!value) {
          row_status = value.status();
          break;
        }
        if (f.name == "building_id" && value->is_number_integer()) {
          parents.building_id = value->get<int64_t>();
        }
        if (!value->is_null()) body[f.name] = std::move(*value);
      }
      if (row_status) {
        auto fields = domain::validateFields(spec, body, true, options.utc_offset_minutes);
        if (!fields) {
          row_status = fields.status();
        } else {
          // A savepoint per row, so a refused row leaves the others standing on every backend.
          ANJU_RETURN_IF_ERROR(c.executeScript("SAVEPOINT import_row"));
          auto created = records.createIn(c, spec, *fields, options.scope);
          if (created) {
            ANJU_RETURN_IF_ERROR(c.executeScript("RELEASE import_row"));
            ++report.imported;
          } else {
            ANJU_RETURN_IF_ERROR(c.executeScript("ROLLBACK TO import_row; RELEASE import_row"));
            row_status = created.status();
            if (row_status.code() == Code::kUnavailable ||
                row_status.code() == Code::kStorageFull || row_status.code() == Code::kInternal)
              return row_status;
          }
        }
      }
      if (!row_status) fail(row.line, row_status);
    }
    if (report.failed > 0 && !options.partial) return kRollback;
    return {};
  });
  if (!written &&
      !(written.code() == kRollback.code() && written.message() == kRollback.message())) {
    return written;
  }
  report.committed = written.isOk();
  if (!report.committed) report.imported = 0;
  return report;
}

Result<std::size_t> exportCsv(store::RecordStore& records, const EntitySpec& spec,
                              std::ostream& out, const ExportOptions& options) {
  CsvWriter writer(out, {.utf8_bom = options.utf8_bom});
  std::vector<const FieldSpec*> fields;
  std::vector<std::string> heading{"编号"};
  for (const auto& f : spec.fields) {
    if (f.secret || f.write_only || f.type == FieldType::kEmbedding) continue;
    fields.push_back(&f);
    heading.push_back(f.label);
  }
  writer.writeRow(heading);
  store::ListQuery query = options.query;
  query.limit = 1000;
  std::size_t count = 0;
  while (true) {
    auto page = records.list(spec, query, options.scope);
    if (!page) return page.status();
    for (auto& item : page->items) {
      if (options.mask_personal) domain::maskPersonalFields(spec, item);
      std::vector<std::string> row;
      row.push_back(item["id"].is_string() ? item["id"].get<std::string>() : item["id"].dump());
      for (const auto* f : fields) {
        const json& v = item[f->name];
        if (v.is_null()) {
          row.emplace_back();
        } else if (!f->choices.empty()) {
          // Offices read 户籍 and 独居老人, not registered and elderly_alone; import takes both.
          std::string labels;
          for (const auto& element : v.is_array() ? v : json::array({v})) {
            std::string text = element.get<std::string>();
            for (const auto& c : f->choices) {
              if (c.value == text) text = c.label;
            }
            labels += (labels.empty() ? "" : ";") + text;
          }
          row.push_back(labels);
        } else if (v.is_null()) {
          row.emplace_back();
        } else if (v.is_string()) {
          row.push_back(v.get<std::string>());
        } else if (v.is_array()) {
          std::string joined;
          for (const auto& element : v) {
            if (!joined.empty()) joined += ';';
            joined += element.is_string() ? element.get<std::string>() : element.dump();
          }
          row.push_back(joined);
        } else {
          row.push_back(v.dump());
        }
      }
      writer.writeRow(row);
      ++count;
    }
    if (!page->next) break;
    query.cursor = *page->next;
  }
  return count;
}

}  // namespace anju::importer
