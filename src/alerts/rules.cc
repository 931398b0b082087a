#include "alerts/rules.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "alerts/config_changes.h"
#include "common/json_fields.h"

namespace anju::alerts {

using nlohmann::json;
using store::asInt;
using store::asText;
using store::isNull;
using store::Value;

namespace {

const std::vector<std::string> kAlarmTypes{
    "intrusion", "fence",          "fire",   "smoke",       "electrical",    "gas",
    "throwing",  "emergency_call", "tamper", "door_forced", "door_held_open"};
const std::vector<std::string> kDeviceKinds{"camera",          "face_camera", "door",  "barrier",
                                            "fence",           "sos_button",  "smoke", "electrical",
                                            "throwing_camera", "display"};

bool contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

Result<int> intParam(const json& params, const std::string& name, int fallback, int min, int max) {
  if (!params.contains(name) || params[name].is_null()) return fallback;
  const json& v = params[name];
  if (!v.is_number_integer() || v.get<int64_t>() < min || v.get<int64_t>() > max) {
    return Status::invalid("params." + name,
                           "应为 " + std::to_string(min) + " 到 " + std::to_string(max) +
                               " 之间的整数 (" + name + " must be a whole number from " +
                               std::to_string(min) + " to " + std::to_string(max) + ")");
  }
  return static_cast<int>(v.get<int64_t>());
}

// A list of short strings, each from `allowed` when given.
Result<std::vector<std::string>> listParam(const json& params, const std::string& name,
                                           const std::vector<std::string>& allowed) {
  std::vector<std::string> out;
  if (!params.contains(name) || params[name].is_null()) return out;
  const json& v = params[name];
  if (!v.is_array() || v.size() > 50) {
    return Status::invalid("params." + name,
                           "应为字符串列表 (" + name + " must be a list of at most 50 names)");
  }
  for (const auto& item : v) {
    if (!item.is_string() || item.get<std::string>().empty() ||
        item.get<std::string>().size() > 64 ||
        (!allowed.empty() && !contains(allowed, item.get<std::string>()))) {
      std::string known;
      for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
      return Status::invalid("params." + name,
                             "取值无效 (" + name + " holds an unknown value" +
                                 (known.empty() ? std::string(")") : "; known: " + known + ")"));
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<int> clockMinute(const json& v, const std::string& field) {
  const Status bad = Status::invalid(field, "时间格式应为 HH:MM (" + field + " must be HH:MM)");
  if (!v.is_string()) return bad;
  const std::string t = v.get<std::string>();
  if (t.size() != 5 || t[2] != ':' || !std::isdigit(static_cast<unsigned char>(t[0])) ||
      !std::isdigit(static_cast<unsigned char>(t[1])) ||
      !std::isdigit(static_cast<unsigned char>(t[3])) ||
      !std::isdigit(static_cast<unsigned char>(t[4]))) {
    return bad;
  }
  const int h = (t[0] - '0') * 10 + (t[1] - '0');
  const int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return bad;
  return h * 60 + m;
}

json ruleJson(const std::vector<Value>& r, int utc_offset_minutes) {
  json schedule = isNull(r[5]) ? json(nullptr) : json::parse(asText(r[5]), nullptr, false);
  return {{"id", asInt(r[0])},
          {"name", asText(r[1])},
          {"kind", asText(r[2])},
          {"params", json::parse(asText(r[3]), nullptr, false)},
          {"region_path", asText(r[4])},
          {"schedule", schedule},
          {"level", asText(r[6])},
          {"enabled", asInt(r[7]) != 0},
          {"created_by", asText(r[8])},
          {"created_at", formatTimestamp(asInt(r[9]), utc_offset_minutes)},
          {"updated_at", formatTimestamp(asInt(r[10]), utc_offset_minutes)}};
}

constexpr const char* kRuleColumns =
    "id, name, kind, params, region_path, schedule, level, enabled, created_by, created_at, "
    "updated_at";

}  // namespace

const std::vector<std::string>& ruleKinds() {
  static const std::vector<std::string> kinds{
      "key_person_appears", "key_person_leaves", "key_persons_together", "stranger_frequent",
      "elderly_no_passage", "device_offline",    "door_alarm",           "alarm"};
  return kinds;
}

const std::vector<std::string>& alertLevels() {
  static const std::vector<std::string> levels{"low", "normal", "high", "critical"};
  return levels;
}

bool Schedule::covers(int64_t ts_ms, int utc_offset_minutes) const {
  const int64_t local_minutes =
      (ts_ms / 60000) + utc_offset_minutes - (ts_ms < 0 && ts_ms % 60000 != 0 ? 1 : 0);
  int64_t day_index = local_minutes >= 0 ? local_minutes / 1440 : (local_minutes - 1439) / 1440;
  const int minute = static_cast<int>(local_minutes - day_index * 1440);
  // 1970-01-01 was a Thursday (4).
  auto weekday = [](int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7) + 1; };
  if (from_minute <= to_minute) {
    return days.count(weekday(day_index)) && minute >= from_minute && minute < to_minute;
  }
  // Wrapping past midnight: the evening part belongs to today, the morning part to yesterday.
  if (minute >= from_minute) return days.count(weekday(day_index)) > 0;
  if (minute < to_minute) return days.count(weekday(day_index - 1)) > 0;
  return false;
}

json Schedule::toJson() const {
  auto hhmm = [](int m) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
    return std::string(buf);
  };
  return {{"days", std::vector<int>(days.begin(), days.end())},
          {"from", hhmm(from_minute)},
          {"to", hhmm(to_minute)}};
}

Result<Schedule> parseSchedule(const json& value) {
  if (!value.is_object()) {
    return Status::invalid("schedule", "应为对象 (schedule must be an object {days, from, to})");
  }
  Schedule s;
  if (value.contains("days")) {
    const json& days = value["days"];
    if (!days.is_array() || days.empty()) {
      return Status::invalid("schedule.days", "应为 1-7 的列表 (days must list weekdays 1-7)");
    }
    s.days.clear();
    for (const auto& d : days) {
      if (!d.is_number_integer() || d.get<int>() < 1 || d.get<int>() > 7) {
        return Status::invalid("schedule.days", "应为 1-7 的列表 (days must list weekdays 1-7)");
      }
      s.days.insert(d.get<int>());
    }
  }
  if (value.contains("from")) {
    auto from = clockMinute(value["from"], "schedule.from");
    if (!from) return from.status();
    s.from_minute = *from;
  }
  if (value.contains("to")) {
    auto to = clockMinute(value["to"], "schedule.to");
    if (!to) return to.status();
    s.to_minute = *to;
  }
  if (s.from_minute == s.to_minute) {
    return Status::invalid("schedule.to", "起止时间相同 (from and to must differ)");
  }
  return s;
}

Status readParams(Rule& rule) {
  const json& p = rule.params;
  if (!p.is_object()) return Status::invalid("params", "应为对象 (params must be an object)");
  std::vector<std::string> known;
  if (rule.kind == "key_person_appears" || rule.kind == "key_person_leaves") {
    known = {"tags"};
  } else if (rule.kind == "key_persons_together") {
    known = {"tags", "min_persons", "minutes"};
  } else if (rule.kind == "stranger_frequent") {
    known = {"min_count", "days", "similarity"};
  } else if (rule.kind == "elderly_no_passage") {
    known = {"hours"};
  } else if (rule.kind == "device_offline") {
    known = {"device_kinds"};
  } else if (rule.kind == "door_alarm") {
    known = {"conditions"};
  } else if (rule.kind == "alarm") {
    known = {"types"};
  } else {
    std::string kinds;
    for (const auto& k : ruleKinds()) kinds += (kinds.empty() ? "" : ", ") + k;
    return Status::invalid("kind", "未知规则类型 (unknown rule kind; known: " + kinds + ")");
  }
  for (const auto& [name, value] : p.items()) {
    if (!contains(known, name)) {
      return Status::invalid("params." + name, "此类规则没有该参数 (" + rule.kind +
                                                   " takes no parameter " + name + ")");
    }
  }
  auto tags = listParam(p, "tags", {});
  if (!tags) return tags.status();
  rule.tags = tags->empty() ? std::vector<std::string>{"key_person"} : *tags;
  auto min_persons = intParam(p, "min_persons", 2, 2, 50);
  if (!min_persons) return min_persons.status();
  rule.min_persons = *min_persons;
  auto minutes = intParam(p, "minutes", 10, 1, 24 * 60);
  if (!minutes) return minutes.status();
  rule.minutes = *minutes;
  auto min_count = intParam(p, "min_count", 3, 2, 1000);
  if (!min_count) return min_count.status();
  rule.min_count = *min_count;
  auto days = intParam(p, "days", 3, 1, 90);
  if (!days) return days.status();
  rule.days = *days;
  auto hours = intParam(p, "hours", 24, 1, 24 * 30);
  if (!hours) return hours.status();
  rule.hours = *hours;
  if (p.contains("similarity")) {
    const json& v = p["similarity"];
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0 ||
        v.get<double>() > 1) {
      return Status::invalid("params.similarity",
                             "应为 0 到 1 之间的数 (similarity must be a number from 0 to 1)");
    }
    rule.similarity = v.get<double>();
  }
  auto device_kinds = listParam(p, "device_kinds", kDeviceKinds);
  if (!device_kinds) return device_kinds.status();
  rule.device_kinds = {device_kinds->begin(), device_kinds->end()};
  auto conditions = listParam(p, "conditions", {"forced", "held_open"});
  if (!conditions) return conditions.status();
  rule.conditions = {conditions->begin(), conditions->end()};
  if (rule.conditions.empty()) rule.conditions = {"forced", "held_open"};
  auto types = listParam(p, "types", kAlarmTypes);
  if (!types) return types.status();
  rule.types = {types->begin(), types->end()};
  return {};
}

Result<Rule> ruleFromJson(const json& body, Rule rule) {
  if (!body.is_object()) return Status::invalid("body", "应为 JSON 对象 (body must be an object)");
  if (body.contains("name") || rule.name.empty()) {
    auto name = textField(body, "name", true, 100);
    if (!name) return name.status();
    rule.name = *name;
  }
  if (body.contains("kind") || rule.kind.empty()) {
    auto kind = textField(body, "kind", true, 40);
    if (!kind) return kind.status();
    rule.kind = *kind;
  }
  if (body.contains("params") && !body["params"].is_null()) rule.params = body["params"];
  if (body.contains("schedule")) {
    if (body["schedule"].is_null()) {
      rule.schedule.reset();
    } else {
      auto schedule = parseSchedule(body["schedule"]);
      if (!schedule) return schedule.status();
      rule.schedule = *schedule;
    }
  }
  if (body.contains("level")) {
    auto level = textField(body, "level", true, 16);
    if (!level) return level.status();
    if (!contains(alertLevels(), *level)) {
      return Status::invalid("level",
                             "级别应为 low、normal、high 或 critical (level must be low, "
                             "normal, high or critical)");
    }
    rule.level = *level;
  }
  if (body.contains("enabled")) {
    if (!body["enabled"].is_boolean()) {
      return Status::invalid("enabled", "应为 true 或 false (enabled must be true or false)");
    }
    rule.enabled = body["enabled"].get<bool>();
  }
  ANJU_RETURN_IF_ERROR(readParams(rule));
  return rule;
}

RuleStore::RuleStore(store::Database& db, const Clock& clock, int utc_offset_minutes)
    : db_(db), clock_(clock), utc_offset_minutes_(utc_offset_minutes) {}

Result<json> RuleStore::create(const json& body, const std::string& region_path,
                               const std::string& by) {
  auto rule = ruleFromJson(body, Rule{});
  if (!rule) return rule.status();
  const int64_t now = clock_.nowMillis();
  int64_t id = 0;
  ANJU_RETURN_IF_ERROR(db_.write([&](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(c.notify(kConfigChannel, ""));
    auto row = c.query(
        "INSERT INTO alert_rules (name, kind, params, region_path, schedule, level, enabled, "
        "created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
        {rule->name, rule->kind, rule->params.dump(), region_path,
         rule->schedule ? Value{rule->schedule->toJson().dump()} : Value{}, rule->level,
         int64_t{rule->enabled ? 1 : 0}, by, now, now});
    if (!row) return row.status();
    id = row->scalarInt().value_or(0);
    return {};
  }));
  return get(id);
}

Result<json> RuleStore::update(int64_t id, const json& body) {
  auto current = get(id);
  if (!current) return current.status();
  Rule base;
  base.name = (*current)["name"];
  base.kind = (*current)["kind"];
  base.params = (*current)["params"];
  base.level = (*current)["level"];
  base.enabled = (*current)["enabled"];
  if (!(*current)["schedule"].is_null()) {
    auto schedule = parseSchedule((*current)["schedule"]);
    if (schedule) base.schedule = *schedule;
  }
  if (body.contains("kind") && body["kind"] != base.kind && !body.contains("params")) {
    base.params = json::object();  // another kind's parameters would not fit
  }
  auto rule = ruleFromJson(body, base);
  if (!rule) return rule.status();
  ANJU_RETURN_IF_ERROR(db_.write([&](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(c.notify(kConfigChannel, ""));
    auto r = c.execute(
        "UPDATE alert_rules SET name = ?, kind = ?, params = ?, schedule = ?, level = ?, "
        "enabled = ?, updated_at = ? WHERE id = ?",
        {rule->name, rule->kind, rule->params.dump(),
         rule->schedule ? Value{rule->schedule->toJson().dump()} : Value{}, rule->level,
         int64_t{rule->enabled ? 1 : 0}, clock_.nowMillis(), id});
    return r ? Status{} : r.status();
  }));
  return get(id);
}

Status RuleStore::remove(int64_t id) {
  return db_.write([&](store::Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(c.notify(kConfigChannel, ""));
    auto alerts = c.query("SELECT count(*) FROM alerts WHERE rule_id = ?", {id});
    if (!alerts) return alerts.status();
    if (alerts->scalarInt().value_or(0) > 0) {
      // Its alerts name it: keep it, switched off, so their history still reads.
      auto r = c.execute("UPDATE alert_rules SET enabled = 0, updated_at = ? WHERE id = ?",
                         {clock_.nowMillis(), id});
      return r ? Status{} : r.status();
    }
    auto r = c.execute("DELETE FROM alert_rules WHERE id = ?", {id});
    if (!r) return r.status();
    return *r == 0 ? Status::notFound("没有这条规则 (no such rule)", "id") : Status{};
  });
}

Result<json> RuleStore::get(int64_t id) {
  json rule;
  ANJU_RETURN_IF_ERROR(db_.read([&](store::Connection& c) -> Status {
    auto rows =
        c.query(std::string("SELECT ") + kRuleColumns + " FROM alert_rules WHERE id = ?", {id});
    if (!rows) return rows.status();
    if (rows->empty()) return Status::notFound("没有这条规则 (no such rule)", "id");
    rule = ruleJson(rows->rows[0], utc_offset_minutes_);
    return {};
  }));
  return rule;
}

Result<std::vector<json>> RuleStore::list(const store::Scope& scope) {
  std::vector<json> out;
  ANJU_RETURN_IF_ERROR(db_.read([&](store::Connection& c) -> Status {
    // A rule watching a wider region than the caller's still concerns them: list the rules on
    // the caller's path and below it, and those above it.
    auto rows = c.query(std::string("SELECT ") + kRuleColumns +
                            " FROM alert_rules WHERE (region_path >= ? AND region_path < ?) OR "
                            "? LIKE region_path || '%' ORDER BY id",
                        {scope.path, scope.upperBound(), scope.path});
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) out.push_back(ruleJson(r, utc_offset_minutes_));
    return {};
  }));
  return out;
}

Result<std::vector<Rule>> RuleStore::enabled() {
  std::vector<Rule> out;
  ANJU_RETURN_IF_ERROR(db_.read([&](store::Connection& c) -> Status {
    auto rows = c.query(std::string("SELECT ") + kRuleColumns +
                        " FROM alert_rules WHERE enabled = 1 ORDER BY id");
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      Rule rule;
      rule.id = asInt(r[0]);
      rule.name = asText(r[1]);
      rule.kind = asText(r[2]);
      rule.params = json::parse(asText(r[3]), nullptr, false);
      rule.region_path = asText(r[4]);
      if (!isNull(r[5])) {
        auto schedule = parseSchedule(json::parse(asText(r[5]), nullptr, false));
        if (schedule) rule.schedule = *schedule;
      }
      rule.level = asText(r[6]);
      if (!readParams(rule)) continue;  // saved rules were checked; a kind since removed is skipped
      out.push_back(std::move(rule));
    }
    return {};
  }));
  return out;
}

}  // namespace anju::alerts
