#include "domain/entity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "common/clock.h"
#include "common/utf8.h"

namespace anju::domain {

using nlohmann::json;

const FieldSpec* EntitySpec::field(std::string_view field_name) const {
  for (const auto& f : fields) {
    if (f.name == field_name) return &f;
  }
  return nullptr;
}

const EntitySpec* findEntity(std::string_view name) {
  for (const auto& spec : registry()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

namespace {

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

bool hasChoice(const FieldSpec& f, const std::string& v) {
  return std::any_of(f.choices.begin(), f.choices.end(),
                     [&](const Choice& c) { return c.value == v; });
}

std::string choiceList(const FieldSpec& f) {
  std::string out;
  for (const auto& c : f.choices) {
    if (!out.empty()) out += ", ";
    out += c.value;
  }
  return out;
}

// The field as a user knows it: the heading of their spreadsheet, which the console's form shows
// too, rather than the API's name (the English part names that one).
std::string shown(const FieldSpec& f) {
  return "「" + (f.label.empty() ? f.name : f.label) + "」";
}

Status wrongType(const FieldSpec& f, const char* wanted, const char* expected) {
  return Status::invalid(f.name,
                         shown(f) + "应为" + wanted + " (" + f.name + " must be " + expected + ")");
}

// A bound as written: 200 rather than 200.000000.
std::string bound(double v) {
  return std::floor(v) == v ? fmt::format("{}", static_cast<int64_t>(v)) : fmt::format("{}", v);
}

Result<json> validateText(const FieldSpec& f, const json& v) {
  if (!v.is_string()) return wrongType(f, "文字", "a string");
  std::string text = trim(v.get<std::string>());
  if (text.empty() && f.required) {
    return Status::invalid(f.name, shown(f) + "不能为空 (" + f.name + " is required)");
  }
  if (utf8Length(text) > f.max_length) {
    return Status::invalid(f.name, shown(f) + "最多 " + std::to_string(f.max_length) + " 个字 (" +
                                       f.name + " is longer than " + std::to_string(f.max_length) +
                                       " characters)");
  }
  if (f.normalize && !text.empty()) ANJU_RETURN_IF_ERROR(f.normalize(text));
  return json(text);
}

Result<json> validateNumber(const FieldSpec& f, const json& v) {
  double value = 0;
  if (f.type == FieldType::kInteger) {
    if (!v.is_number_integer()) return wrongType(f, "整数", "an integer");
    value = static_cast<double>(v.get<int64_t>());
  } else {
    if (!v.is_number()) return wrongType(f, "数字", "a number");
    value = v.get<double>();
    if (!std::isfinite(value)) return wrongType(f, "有限的数字", "a finite number");
  }
  if ((f.min && value < *f.min) || (f.max && value > *f.max)) {
    std::string low = f.min ? bound(*f.min) : "";
    std::string high = f.max ? bound(*f.max) : "";
    if (f.min && f.max) {
      return Status::invalid(f.name, shown(f) + "应在 " + low + " 到 " + high + " 之间 (" + f.name +
                                         " must be between " + low + " and " + high + ")");
    }
    return f.min ? Status::invalid(f.name, shown(f) + "不能小于 " + low + " (" + f.name +
                                               " must be at least " + low + ")")
                 : Status::invalid(f.name, shown(f) + "不能大于 " + high + " (" + f.name +
                                               " must be at most " + high + ")");
  }
  return v;
}

Result<json> validateRef(const FieldSpec& f, const json& v) {
  const EntitySpec* target = findEntity(f.ref);
  bool text_target = target && target->text_id;
  if (text_target) {
    if (!v.is_string() || v.get<std::string>().empty()) return wrongType(f, "编号", "an id string");
    return v;
  }
  if (!v.is_number_integer() || v.get<int64_t>() <= 0)
    return wrongType(f, "正整数编号", "a positive integer id");
  return v;
}

Result<json> validateList(const FieldSpec& f, const json& v) {
  if (!v.is_array()) return wrongType(f, "列表", "an array");
  if (v.size() > 100000) return Status::invalid(f.name, f.name + " has too many elements");
  json out = json::array();
  std::set<std::string> seen;
  for (const auto& element : v) {
    json item;
    if (!f.ref.empty()) {
      auto r = validateRef(f, element);
      if (!r) return r.status();
      item = *r;
    } else {
      if (!element.is_string()) return wrongType(f, "文字列表", "an array of strings");
      std::string text = trim(element.get<std::string>());
      if (text.empty() || utf8Length(text) > f.max_length) {
        return Status::invalid(f.name, "列表 " + f.name + " 含有无效项 (" + f.name +
                                           " has an empty or overlong element)");
      }
      if (!f.choices.empty() && !hasChoice(f, text)) {
        return Status::invalid(f.name, "列表 " + f.name + " 含有未知值 " + text +
                                           " (unknown value; expected one of " + choiceList(f) +
                                           ")");
      }
      item = text;
    }
    if (seen.insert(item.dump()).second) out.push_back(item);
  }
  return out;
}

Result<json> validateValue(const FieldSpec& f, const json& v, int utc_offset) {
  switch (f.type) {
    case FieldType::kText:
      return validateText(f, v);
    case FieldType::kInteger:
    case FieldType::kReal:
      return validateNumber(f, v);
    case FieldType::kBoolean:
      if (!v.is_boolean()) return wrongType(f, "是或否", "true or false");
      return v;
    case FieldType::kDate:
      if (!v.is_string() || !isValidDate(v.get<std::string>())) {
        return Status::invalid(
            f.name, shown(f) + "应为日期 YYYY-MM-DD (" + f.name + " must be a date YYYY-MM-DD)");
      }
      return v;
    case FieldType::kTimestamp: {
      if (!v.is_string()) return wrongType(f, "带时区的时间", "an ISO 8601 time");
      auto ms = parseTimestamp(v.get<std::string>(), utc_offset);
      if (!ms) return wrongType(f, "带时区的时间", "an ISO 8601 time");
      return json(*ms);
    }
    case FieldType::kEnum: {
      if (!v.is_string()) return wrongType(f, "文字", "a string");
      std::string text = v.get<std::string>();
      if (!hasChoice(f, text)) {
        return Status::invalid(
            f.name, shown(f) + "的值无效 (" + f.name + " must be one of " + choiceList(f) + ")");
      }
      return json(text);
    }
    case FieldType::kRef:
      return validateRef(f, v);
    case FieldType::kList:
      return validateList(f, v);
    case FieldType::kEmbedding: {
      if (!v.is_array() || (v.size() != 128 && v.size() != 512)) {
        return Status::invalid(f.name, "人脸特征应为 128 或 512 个数 (" + f.name +
                                           " must be an array of 128 or 512 numbers)");
      }
      for (const auto& x : v) {
        if (!x.is_number() || !std::isfinite(x.get<double>()))
          return wrongType(f, "数字列表", "an array of numbers");
      }
      return v;
    }
  }
  return Status::internal("unknown field type");
}

}  // namespace

Result<json> validateFields(const EntitySpec& spec, const json& body, bool creating,
                            int utc_offset_minutes) {
  if (!body.is_object())
    return Status::invalid("body", "请求体应为 JSON 对象 (body must be a JSON object)");
  json out = json::object();
  for (auto it = body.begin(); it != body.end(); ++it) {
    const std::string& key = it.key();
    if (key == "id" && spec.text_id && creating) {
      if (!it->is_string()) return Status::invalid("id", "id must be a string");
      std::string id = trim(it->get<std::string>());
      bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      });
      if (!ok)
        return Status::invalid("id",
                               "设备编号只能含字母、数字、- _ . (id may hold letters, digits, - _ "
                               ". and at most 64 characters)");
      out["id"] = id;
      continue;
    }
    const FieldSpec* f = spec.field(key);
    if (!f) return Status::invalid(key, "未知字段 " + key + " (unknown field " + key + ")");
    if (f->read_only || f->secret) {
      return Status::invalid(key, shown(*f) + "由系统生成 (" + key + " is set by the server)");
    }
    if (f->immutable && !creating) {
      return Status::invalid(
          key, shown(*f) + "创建后不能修改 (" + key + " cannot change after creation)");
    }
    if (it->is_null()) {
      if (f->required)
        return Status::invalid(key, shown(*f) + "不能为空 (" + key + " is required)");
      out[key] = nullptr;
      continue;
    }
    auto value = validateValue(*f, *it, utc_offset_minutes);
    if (!value) return value.status();
    out[key] = std::move(*value);
  }
  if (creating) {
    for (const auto& f : spec.fields) {
      if (f.required && (!out.contains(f.name) || out[f.name].is_null())) {
        return Status::invalid(f.name, "缺少" + shown(f) + " (" + f.name + " is required)");
      }
    }
  }
  return out;
}

Result<json> cellToJson(const FieldSpec& f, const std::string& raw) {
  std::string cell = trim(raw);
  if (cell.empty()) return json(nullptr);
  auto bad = [&](const char* what) {
    return Status::invalid(
        f.name, "“" + cell + "” 不是有效的" + f.label + " (" + f.name + " must be " + what + ")");
  };
  switch (f.type) {
    case FieldType::kInteger:
    case FieldType::kRef: {
      if (f.type == FieldType::kRef) {
        const EntitySpec* target = findEntity(f.ref);
        if (target && target->text_id) return json(cell);
      }
      try {
        std::size_t used = 0;
        long long n = std::stoll(cell, &used);
        if (used != cell.size()) return bad("a whole number");
        return json(static_cast<int64_t>(n));
      } catch (...) {
        return bad("a whole number");
      }
    }
    case FieldType::kReal: {
      try {
        std::size_t used = 0;
        double d = std::stod(cell, &used);
        if (used != cell.size()) return bad("a number");
        return json(d);
      } catch (...) {
        return bad("a number");
      }
    }
    case FieldType::kBoolean:
      if (cell == "1" || cell == "true" || cell == "是") return json(true);
      if (cell == "0" || cell == "false" || cell == "否") return json(false);
      return bad("是/否 (yes/no)");
    case FieldType::kEnum:
      for (const auto& c : f.choices) {
        if (c.value == cell || c.label == cell) return json(c.value);
      }
      return json(cell);
    case FieldType::kList: {
      json list = json::array();
      std::string item;
      auto flush = [&] {
        std::string t = trim(item);
        if (!t.empty()) {
          for (const auto& c : f.choices) {
            if (c.label == t) t = c.value;
          }
          list.push_back(t);
        }
        item.clear();
      };
      for (std::size_t i = 0; i < cell.size(); ++i) {
        if (cell[i] == ';' || cell[i] == '|') {
          flush();
        } else if (cell.compare(i, 3, "、") == 0 || cell.compare(i, 3, "；") == 0) {
          flush();
          i += 2;
        } else {
          item += cell[i];
        }
      }
      flush();
      if (!f.ref.empty()) {
        const EntitySpec* target = findEntity(f.ref);
        if (target && target->text_id) return list;
        json ids = json::array();
        for (const auto& t : list) {
          try {
            ids.push_back(static_cast<int64_t>(std::stoll(t.get<std::string>())));
          } catch (...) {
            return bad("a list of ids");
          }
        }
        return ids;
      }
      return list;
    }
    case FieldType::kEmbedding: {
      json parsed = json::parse(cell, nullptr, false);
      if (parsed.is_discarded()) return bad("a JSON array of numbers");
      return parsed;
    }
    default:
      return json(cell);
  }
}

}  // namespace anju::domain

#include "domain/mask.h"

namespace anju::domain {

void maskPersonalFields(const EntitySpec& spec, json& record) {
  for (const auto& f : spec.fields) {
    if (!f.personal || !record.contains(f.name) || !record[f.name].is_string()) continue;
    const std::string value = record[f.name].get<std::string>();
    if (f.name == "id_number") {
      record[f.name] = maskIdNumber(value);
    } else if (f.name.find("phone") != std::string::npos) {
      record[f.name] = maskPhone(value);
    } else {
      record[f.name] = maskValue(value);
    }
  }
}

}  // namespace anju::domain
