#include "screening/screening.h"

#include <algorithm>

#include "domain/entity.h"
#include "domain/plate.h"

namespace anju::screening {

namespace {

using nlohmann::json;

constexpr int64_t kHourMs = 3'600'000;

struct KindInfo {
  Kind kind;
  std::string_view name;
  std::vector<std::string_view> members;  // the parameters the kind takes
};

const std::vector<KindInfo>& kinds() {
  static const std::vector<KindInfo> k = {
      {Kind::kOutNotReturned, "out_not_returned", {"hours", "lookback_days", "tags"}},
      {Kind::kFromRegions, "from_regions", {"plate_prefixes", "region_codes", "window_hours"}},
      {Kind::kTagSeen, "tag_seen", {"tags", "window_hours"}}};
  return k;
}

const KindInfo& infoOf(Kind kind) {
  for (const auto& k : kinds()) {
    if (k.kind == kind) return k;
  }
  return kinds().front();
}

Result<int> wholeNumber(const json& params, const std::string& name, int lo, int hi, int fallback,
                        bool required) {
  const std::string field = "params." + name;
  if (!params.contains(name) || params[name].is_null()) {
    if (required)
      return Status::invalid(field, "缺少字段 " + field + " (" + field + " is required)");
    return fallback;
  }
  const json& v = params[name];
  const std::string range = std::to_string(lo) + " 到 " + std::to_string(hi);
  const Status out_of_range = Status::invalid(
      field, field + " 应为 " + range + " 的整数 (" + field + " must be a whole number from " +
                 std::to_string(lo) + " to " + std::to_string(hi) + ")");
  if (!v.is_number_integer()) return out_of_range;
  const int64_t n = v.get<int64_t>();
  if (n < lo || n > hi) return out_of_range;
  return static_cast<int>(n);
}

// A list of texts, each checked by `check`, which may normalise it. Duplicates are dropped.
Result<std::vector<std::string>> textList(
    const json& params, const std::string& name,
    const std::function<Status(std::string&, const std::string& field)>& check) {
  const std::string field = "params." + name;
  std::vector<std::string> out;
  if (!params.contains(name) || params[name].is_null()) return out;
  const json& v = params[name];
  if (!v.is_array())
    return Status::invalid(field, field + " 应为文本数组 (" + field + " must be a list of texts)");
  if (v.size() > kMaxListEntries) {
    return Status::invalid(field, field + " 最多 " + std::to_string(kMaxListEntries) +
                                      " 项 (at most " + std::to_string(kMaxListEntries) +
                                      " entries)");
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string item = field + "[" + std::to_string(i) + "]";
    if (!v[i].is_string())
      return Status::invalid(item, item + " 应为文本 (" + item + " must be a string)");
    std::string text = v[i].get<std::string>();
    ANJU_RETURN_IF_ERROR(check(text, item));
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(std::move(text));
  }
  return out;
}

Status checkPlatePrefix(std::string& text, const std::string& field) {
  const Status bad = Status::invalid(
      field, field + " 应为省份简称或省份简称加字母，如 鄂 或 鄂A (" + field +
                 " must be a province character, optionally with its letter, such as 鄂 or 鄂A)");
  auto chars = domain::plateCharacters(text);
  if (!chars || chars->empty() || chars->size() > 2) return bad;
  if (!domain::isProvinceCharacter((*chars)[0])) return bad;
  if (chars->size() == 2 && ((*chars)[1] < U'A' || (*chars)[1] > U'Z')) return bad;
  text = domain::plateText(*chars);
  return {};
}

Status checkRegionCode(std::string& text, const std::string& field) {
  const bool digits =
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || (text.size() != 2 && text.size() != 4 && text.size() != 6) ||
      text.compare(0, 2, "00") == 0) {
    return Status::invalid(field, field + " 应为 2、4 或 6 位行政区划代码，如 42 或 420106 (" +
                                      field +
                                      " must be a region code of 2, 4 or 6 digits, such as 42 or "
                                      "420106)");
  }
  return {};
}

Status checkTag(std::string& text, const std::string& field) {
  const domain::EntitySpec* persons = domain::findEntity("persons");
  const domain::FieldSpec* tags = persons ? persons->field("tags") : nullptr;
  if (tags) {
    for (const auto& choice : tags->choices) {
      if (choice.value == text) return {};
    }
  }
  return Status::invalid(field, field + " 不是已知的人员标签 (" + field +
                                    " is not a known person tag, such as key_person:drug)");
}

}  // namespace

std::string_view kindName(Kind kind) {
  return infoOf(kind).name;
}

std::optional<Kind> parseKind(std::string_view name) {
  for (const auto& k : kinds()) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

Result<Params> parseParams(Kind kind, const json& params) {
  if (!params.is_object())
    return Status::invalid("params", "params 应为对象 (params must be an object)");
  const KindInfo& info = infoOf(kind);
  for (const auto& [key, value] : params.items()) {
    if (std::find(info.members.begin(), info.members.end(), key) == info.members.end()) {
      return Status::invalid(
          "params." + key,
          "未知参数 params." + key + " (" + std::string(info.name) + " takes no " + key + ")");
    }
  }
  Params p;
  switch (kind) {
    case Kind::kOutNotReturned: {
      auto hours = wholeNumber(params, "hours", 1, kMaxHours, 0, true);
      if (!hours) return hours.status();
      auto days = wholeNumber(params, "lookback_days", 1, kMaxLookbackDays, 7, false);
      if (!days) return days.status();
      // A passage out is only seen inside the lookback window, so someone away longer than the
      // window could never be told apart from someone who was never seen.
      if (*hours >= *days * 24) {
        return Status::invalid("params.hours",
                               "params.hours 应小于回溯天数的小时数 (params.hours must be shorter "
                               "than params.lookback_days)");
      }
      auto tags = textList(params, "tags", checkTag);
      if (!tags) return tags.status();
      p.hours = *hours;
      p.lookback_days = *days;
      p.tags = std::move(*tags);
      return p;
    }
    case Kind::kFromRegions: {
      auto prefixes = textList(params, "plate_prefixes", checkPlatePrefix);
      if (!prefixes) return prefixes.status();
      auto codes = textList(params, "region_codes", checkRegionCode);
      if (!codes) return codes.status();
      if (prefixes->empty() && codes->empty()) {
        return Status::invalid("params.plate_prefixes",
                               "请给出号牌前缀或行政区划代码 (give params.plate_prefixes or "
                               "params.region_codes)");
      }
      auto window = wholeNumber(params, "window_hours", 1, kMaxWindowHours, 24, false);
      if (!window) return window.status();
      p.plate_prefixes = std::move(*prefixes);
      p.region_codes = std::move(*codes);
      p.window_hours = *window;
      return p;
    }
    case Kind::kTagSeen: {
      auto tags = textList(params, "tags", checkTag);
      if (!tags) return tags.status();
      if (tags->empty()) {
        return Status::invalid("params.tags",
                               "缺少字段 params.tags (params.tags needs at least one tag)");
      }
      auto window = wholeNumber(params, "window_hours", 1, kMaxWindowHours, 24, false);
      if (!window) return window.status();
      p.tags = std::move(*tags);
      p.window_hours = *window;
      return p;
    }
  }
  return Status::invalid("kind", "未知的排查类型 (unknown kind)");
}

json paramsJson(Kind kind, const Params& p) {
  switch (kind) {
    case Kind::kOutNotReturned:
      return {{"hours", p.hours}, {"lookback_days", p.lookback_days}, {"tags", p.tags}};
    case Kind::kFromRegions:
      return {{"plate_prefixes", p.plate_prefixes},
              {"region_codes", p.region_codes},
              {"window_hours", p.window_hours}};
    case Kind::kTagSeen:
      return {{"tags", p.tags}, {"window_hours", p.window_hours}};
  }
  return json::object();
}

int64_t defaultWindowMs(Kind kind, const Params& p) {
  if (kind == Kind::kOutNotReturned) return int64_t{p.lookback_days} * 24 * kHourMs;
  return int64_t{p.window_hours} * kHourMs;
}

bool mayUse(const domain::RoleSet& roles, Kind kind) {
  if (roles.count(domain::kPolice) || roles.count(domain::kAdmin)) return true;
  return kind == Kind::kOutNotReturned && roles.count(domain::kGridWorker) > 0;
}

}  // namespace anju::screening
