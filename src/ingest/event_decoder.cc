#include "ingest/event_decoder.h"

#include <simdjson.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/json_text.h"
#include "domain/plate.h"

namespace anju::ingest {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr std::size_t kMaxDepth = 16;
constexpr int64_t kEarliestMs = 946684800000;  // 2000-01-01: older clocks are unset, not history

template <std::size_t N>
bool oneOf(std::string_view value, const std::array<std::string_view, N>& allowed) {
  for (auto a : allowed) {
    if (a == value) return true;
  }
  return false;
}

constexpr std::array<std::string_view, 8> kMethods{"face", "card",  "pin",    "qr",
                                                   "code", "phone", "remote", "plate"};
constexpr std::array<std::string_view, 2> kResults{"granted", "denied"};
constexpr std::array<std::string_view, 2> kDirections{"in", "out"};
// A door's own reports (forced open, held open too long) come as alarms of that door.
constexpr std::array<std::string_view, 11> kAlarms{
    "intrusion", "fence",          "fire",   "smoke",       "electrical",    "gas",
    "throwing",  "emergency_call", "tamper", "door_forced", "door_held_open"};
constexpr std::array<std::string_view, 6> kPlateColors{"blue",  "yellow",       "green",
                                                       "white", "yellow_green", "black"};

// A field reader that stops at the first problem and remembers it.
class Reader {
 public:
  explicit Reader(object obj) : obj_(obj) {}

  bool has(std::string_view key) {
    element e;
    return obj_[key].get(e) == simdjson::SUCCESS && !e.is_null();
  }

  // A string of 1..max bytes without control characters; missing is fine unless `required`.
  std::optional<std::string_view> text(std::string_view key, bool required, std::size_t max) {
    element e;
    if (obj_[key].get(e) != simdjson::SUCCESS || e.is_null()) {
      if (required) fail(key, "缺少字段 (missing field " + std::string(key) + ")");
      return std::nullopt;
    }
    std::string_view s;
    if (e.get(s) != simdjson::SUCCESS) {
      fail(key, "应为字符串 (" + std::string(key) + " must be a string)");
      return std::nullopt;
    }
    if (s.empty() || s.size() > max) {
      fail(key, "长度应为 1 到 " + std::to_string(max) + " (" + std::string(key) +
                    " must be 1 to " + std::to_string(max) + " bytes)");
      return std::nullopt;
    }
    for (unsigned char c : s) {
      if (c < 0x20) {
        fail(key, "含有控制字符 (" + std::string(key) + " contains control characters)");
        return std::nullopt;
      }
    }
    return s;
  }

  template <std::size_t N>
  std::optional<std::string_view> choice(std::string_view key, bool required,
                                         const std::array<std::string_view, N>& allowed) {
    auto s = text(key, required, 32);
    if (!s) return s;
    if (!oneOf(*s, allowed)) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(key, "取值无效 (" + std::string(key) + " must be one of " + list + ")");
      return std::nullopt;
    }
    return s;
  }

  std::optional<double> number(std::string_view key, double lo, double hi) {
    element e;
    if (obj_[key].get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
    double d = 0;
    if (!e.is_number() || e.get(d) != simdjson::SUCCESS || !std::isfinite(d) || d < lo || d > hi) {
      fail(key, "应为 " + num(lo) + " 到 " + num(hi) + " 之间的数 (" + std::string(key) +
                    " must be a number from " + num(lo) + " to " + num(hi) + ")");
      return std::nullopt;
    }
    return d;
  }

  std::optional<int64_t> id(std::string_view key) {
    element e;
    if (obj_[key].get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
    int64_t v = 0;
    if (e.get(v) != simdjson::SUCCESS || v <= 0) {
      fail(key, "应为正整数 (" + std::string(key) + " must be a positive integer)");
      return std::nullopt;
    }
    return v;
  }

  // The field's value, when present and not null.
  std::optional<element> raw(std::string_view key) {
    element e;
    if (obj_[key].get(e) != simdjson::SUCCESS || e.is_null()) return std::nullopt;
    return e;
  }

  void fail(std::string_view field, std::string message) {
    if (!failed_) {
      failed_ = true;
      field_ = field;
      error_ = std::move(message);
    }
  }
  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }
  const std::string& field() const { return field_; }

 private:
  static std::string num(double d) {
    std::string s = std::to_string(d);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  object obj_;
  bool failed_ = false;
  std::string field_;
  std::string error_;
};

// Builds the attrs object text as fields are accepted.
class Attrs {
 public:
  void add(std::string_view key, std::string_view value) {
    open(key);
    text_ += '"';
    appendJsonEscaped(text_, value);
    text_ += '"';
  }
  void add(std::string_view key, double value) {
    open(key);
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, "%.6g", value);
    text_.append(buf, static_cast<std::size_t>(n));
  }
  std::string finish() { return text_.empty() ? "{}" : text_ + "}"; }

 private:
  void open(std::string_view key) {
    text_ += text_.empty() ? "{\"" : ",\"";
    text_ += key;
    text_ += "\":";
  }
  std::string text_;
};

std::string floatsToBase64(const std::vector<float>& floats) {
  std::string bytes(floats.size() * 4, '\0');
  for (std::size_t i = 0; i < floats.size(); ++i) {
    uint32_t bits = 0;
    std::memcpy(&bits, &floats[i], 4);
    for (int b = 0; b < 4; ++b) bytes[i * 4 + b] = static_cast<char>((bits >> (8 * b)) & 0xff);
  }
  return crypto::base64Encode(bytes);
}

// An embedding as an array of numbers or as base64 of little-endian float32.
std::optional<std::string> embedding(std::optional<element> value, Reader& r) {
  const std::string msg =
      "人脸特征应为 128 或 512 个有限浮点数 (embedding must be 128 or 512 "
      "finite floats, as an array or base64 of little-endian float32)";
  if (!value) {
    r.fail("embedding", "缺少字段 (missing field embedding)");
    return std::nullopt;
  }
  const element e = *value;
  std::vector<float> floats;
  if (e.is_array()) {
    for (element x : e.get_array()) {
      double d = 0;
      if (!x.is_number() || x.get(d) != simdjson::SUCCESS || !std::isfinite(d)) {
        r.fail("embedding", msg);
        return std::nullopt;
      }
      floats.push_back(static_cast<float>(d));
    }
  } else if (e.is_string()) {
    std::string_view s;
    auto bytes = e.get(s) == simdjson::SUCCESS ? crypto::base64Decode(s) : std::nullopt;
    if (!bytes || bytes->size() % 4 != 0) {
      r.fail("embedding", msg);
      return std::nullopt;
    }
    floats.resize(bytes->size() / 4);
    for (std::size_t i = 0; i < floats.size(); ++i) {
      uint32_t bits = 0;
      for (int b = 0; b < 4; ++b)
        bits |= static_cast<uint32_t>(static_cast<unsigned char>((*bytes)[i * 4 + b])) << (8 * b);
      std::memcpy(&floats[i], &bits, 4);
      if (!std::isfinite(floats[i])) {
        r.fail("embedding", msg);
        return std::nullopt;
      }
    }
  }
  if (!isEmbeddingLength(floats.size())) {
    r.fail("embedding", msg);
    return std::nullopt;
  }
  return floatsToBase64(floats);
}

void decodeOne(element doc, std::size_t index, const DecodeOptions& o, DecodedBatch& out) {
  auto reject = [&](std::string field, std::string error) {
    out.rejected.push_back({index, std::move(error), std::move(field)});
  };
  object obj;
  if (doc.get(obj) != simdjson::SUCCESS) {
    reject("", "事件应为 JSON 对象 (each event must be a JSON object)");
    return;
  }
  Reader r(obj);
  DecodedEvent d;
  d.index = index;
  domain::Event& e = d.event;
  auto event_id = r.text("event_id", true, 64);
  auto device_id = r.text("device_id", !o.device, 64);
  auto ts = r.text("ts", true, 40);
  auto kind = r.text("kind", true, 32);
  if (r.failed()) return reject(r.field(), r.error());
  e.event_id = *event_id;
  e.device_id = device_id ? std::string(*device_id) : *o.device;
  if (o.device && e.device_id != *o.device) {
    return reject("device_id",
                  "事件不属于签名设备 (the event's device_id is not the device that signed)");
  }
  auto when = parseTimestamp(*ts, o.utc_offset_minutes);
  if (!when) {
    return reject("ts", "时间格式无效 (ts must be ISO 8601, e.g. 2026-11-22T08:15:02.120+08:00)");
  }
  if (*when > o.now_ms + o.max_future_ms) {
    return reject("ts",
                  "时间超前于服务器时钟 (ts is too far in the future: check the device clock)");
  }
  if (*when < kEarliestMs) return reject("ts", "时间早于 2000 年 (ts is before 2000: clock unset)");
  e.ts = *when;
  auto k = domain::parseEventKind(*kind);
  if (!k) {
    return reject("kind",
                  "未知事件类型 (kind must be access, vehicle, face_capture, alarm or heartbeat)");
  }
  e.kind = *k;
  Attrs attrs;
  switch (e.kind) {
    case domain::EventKind::kAccess: {
      auto method = r.choice("method", true, kMethods);
      auto result = r.choice("result", true, kResults);
      auto direction = r.choice("direction", false, kDirections);
      auto person = r.id("person_id");
      auto credential = r.text("credential", false, 64);
      if (r.failed()) return reject(r.field(), r.error());
      attrs.add("method", *method);
      e.result = *result;
      if (direction) e.direction = *direction;
      e.person_id = person;
      if (credential) d.credential = *credential;
      break;
    }
    case domain::EventKind::kVehicle: {
      auto plate_text = r.text("plate", true, 32);
      auto color = r.choice("plate_color", false, kPlateColors);
      auto confidence = r.number("confidence", 0, 1);
      auto direction = r.choice("direction", false, kDirections);
      auto result = r.choice("result", false, kResults);
      if (r.failed()) return reject(r.field(), r.error());
      auto plate = domain::parsePlate(*plate_text);
      if (!plate) return reject("plate", plate.status().message());
      e.plate = plate->normalized;
      attrs.add("plate_color", color ? *color : std::string_view(plate->default_color));
      if (confidence) attrs.add("confidence", *confidence);
      if (direction) e.direction = *direction;
      if (result) e.result = *result;
      break;
    }
    case domain::EventKind::kFaceCapture: {
      auto quality = r.number("quality", 0, 1);
      if (r.failed()) return reject(r.field(), r.error());
      auto emb = embedding(r.raw("embedding"), r);
      if (!emb) return reject(r.field(), r.error());
      e.embedding = std::move(*emb);
      if (quality) attrs.add("quality", *quality);
      break;
    }
    case domain::EventKind::kAlarm: {
      auto type = r.choice("type", true, kAlarms);
      if (r.failed()) return reject(r.field(), r.error());
      attrs.add("type", *type);
      auto level = r.raw("level");
      std::string_view level_text;
      int64_t level_number = 0;
      if (level && level->get(level_text) == simdjson::SUCCESS && !level_text.empty() &&
          level_text.size() <= 16) {
        attrs.add("level", level_text);
      } else if (level && level->get(level_number) == simdjson::SUCCESS) {
        attrs.add("level", static_cast<double>(level_number));
      } else if (level) {
        return reject("level",
                      "报警级别应为短字符串或整数 (level must be a short string or an integer)");
      }
      break;
    }
    case domain::EventKind::kHeartbeat: {
      auto status = r.text("status", false, 64);
      if (r.failed()) return reject(r.field(), r.error());
      if (status) attrs.add("status", *status);
      break;
    }
  }
  if (auto part = r.text("image_part", false, 64)) d.image_part = *part;
  if (r.failed()) return reject(r.field(), r.error());
  if (r.has("image")) {
    auto image = r.text("image", false, (o.max_image_bytes / 3 + 1) * 4);
    if (r.failed()) return reject("image", "快照过大 (image is larger than the limit)");
    auto bytes = crypto::base64Decode(*image);
    if (!bytes || bytes->empty()) return reject("image", "快照应为 base64 (image must be base64)");
    d.image = std::move(*bytes);
  }
  e.attrs = attrs.finish();
  out.events.push_back(std::move(d));
}

simdjson::dom::parser& threadParser() {
  thread_local simdjson::dom::parser parser = [] {
    simdjson::dom::parser p;
    // Capacity grows with the documents; the depth limit stays.
    if (p.allocate(1 << 16, kMaxDepth) != simdjson::SUCCESS) std::abort();
    return p;
  }();
  return parser;
}

bool overLimit(std::size_t index, const DecodeOptions& o, DecodedBatch& out) {
  if (index < o.max_events) return false;
  out.rejected.push_back({index,
                          "超出单批事件上限 " + std::to_string(o.max_events) +
                              " (over the limit of " + std::to_string(o.max_events) +
                              " events per batch: send the rest in another batch)",
                          ""});
  return true;
}

}  // namespace

bool isEmbeddingLength(std::size_t floats) {
  return floats == 128 || floats == 512;
}

Result<DecodedBatch> decodeEvents(std::string_view body, const DecodeOptions& options) {
  DecodedBatch out;
  std::size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return out;
  auto& parser = threadParser();
  if (body[start] == '[') {
    // A whole array is one JSON document: if it does not parse, no event can be told apart.
    simdjson::padded_string padded(body);
    element doc;
    auto error = parser.parse(padded).get(doc);
    if (error) {
      return Status::invalid("body", std::string("请求体不是有效的 JSON 数组 (body is not a valid "
                                                 "JSON array: ") +
                                         simdjson::error_message(error) + ")");
    }
    simdjson::dom::array items;
    if (doc.get(items) != simdjson::SUCCESS) {
      return Status::invalid("body", "请求体应为 JSON 数组 (body must be a JSON array)");
    }
    std::size_t index = 0;
    for (element item : items) {
      if (!overLimit(index, options, out)) decodeOne(item, index, options, out);
      ++index;
    }
    out.total = index;
    return out;
  }
  // NDJSON: each line is its own document, so a broken line costs only itself.
  std::size_t index = 0;
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (!overLimit(index, options, out)) {
      element doc;
      auto error = parser.parse(line.data(), line.size(), true).get(doc);
      if (error) {
        out.rejected.push_back({index,
                                std::string("不是有效的 JSON (not valid JSON: ") +
                                    simdjson::error_message(error) + ")",
                                ""});
      } else {
        decodeOne(doc, index, options, out);
      }
    }
    ++index;
  }
  out.total = index;
  return out;
}

}  // namespace anju::ingest
