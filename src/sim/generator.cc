#include "sim/generator.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/clock.h"
#include "common/crypto.h"
#include "common/json_text.h"

namespace anju::sim {

namespace {

constexpr double kMix[5] = {0.55, 0.25, 0.10, 0.095, 0.005};  // in SimKind order
constexpr std::size_t kRecentEvents = 512;
constexpr float kFaceNoise = 0.02f;  // per dimension: same-person captures stay ~0.97 similar

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

int kindIndex(std::string_view device_kind) {
  if (device_kind == "door") return static_cast<int>(SimKind::kAccess);
  if (device_kind == "face_camera" || device_kind == "camera") {
    return static_cast<int>(SimKind::kFaceCapture);
  }
  if (device_kind == "barrier") return static_cast<int>(SimKind::kVehicle);
  if (device_kind == "fence" || device_kind == "smoke" || device_kind == "sos_button" ||
      device_kind == "throwing_camera" || device_kind == "electrical") {
    return static_cast<int>(SimKind::kAlarm);
  }
  return -1;
}

void normalise(std::vector<float>& v) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  auto norm = static_cast<float>(std::sqrt(sum));
  if (norm > 0) {
    for (float& x : v) x /= norm;
  }
}

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void appendBase64(std::string& out, const unsigned char* data, std::size_t n) {
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  if (i + 1 == n) {
    uint32_t v = data[i] << 16;
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == n) {
    uint32_t v = (data[i] << 16) | (data[i + 1] << 8);
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += '=';
  }
}

void appendFloats(std::string& out, const std::vector<float>& values) {
  std::string bytes(values.size() * 4, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    uint32_t bits = 0;
    std::memcpy(&bits, &values[i], 4);
    for (int b = 0; b < 4; ++b) bytes[i * 4 + b] = static_cast<char>((bits >> (8 * b)) & 0xff);
  }
  appendBase64(out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

void appendQuoted(std::string& out, std::string_view text) {
  out += '"';
  appendJsonEscaped(out, text);
  out += '"';
}

// A number with two decimals, without printf's locale and cost.
void appendFixed2(std::string& out, double value) {
  auto hundredths = static_cast<int64_t>(std::llround(value * 100));
  out += std::to_string(hundredths / 100);
  out += '.';
  int64_t frac = hundredths % 100;
  out += static_cast<char>('0' + frac / 10);
  out += static_cast<char>('0' + frac % 10);
}

}  // namespace

FastRng::FastRng(uint64_t seed) {
  uint64_t x = seed;
  for (auto& s : s_) s = splitmix64(x);
}

uint64_t FastRng::next() {
  uint64_t result = rotl(s_[1] * 5, 7) * 9;
  uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::vector<float> personFace(int64_t person_id) {
  FastRng rng(0xface0000ULL ^ static_cast<uint64_t>(person_id) * 0x9e3779b97f4a7c15ULL);
  std::vector<float> v(kEmbeddingSize);
  for (float& x : v) x = static_cast<float>(rng.unit() * 2 - 1);
  normalise(v);
  return v;
}

std::string encodeEmbedding(const std::vector<float>& values) {
  std::string out;
  out.reserve(values.size() * 4 * 4 / 3 + 4);
  appendFloats(out, values);
  return out;
}

std::vector<float> decodeEmbedding(std::string_view base64) {
  if (base64.size() % 4 != 0) return {};
  std::string bytes;
  uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < base64.size(); ++i) {
    char c = base64[i];
    if (c == '=') {
      if (i + 2 < base64.size()) return {};  // padding only at the end
      break;
    }
    const char* at = std::strchr(kBase64, c);
    if (!at || c == '\0') return {};
    buffer = (buffer << 6) | static_cast<uint32_t>(at - kBase64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  if (bytes.size() % 4 != 0) return {};
  std::vector<float> out(bytes.size() / 4);
  for (std::size_t i = 0; i < out.size(); ++i) {
    uint32_t v = 0;
    for (int b = 0; b < 4; ++b)
      v |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i * 4 + b])) << (8 * b);
    std::memcpy(&out[i], &v, 4);
  }
  return out;
}

std::string signBody(std::string_view secret, std::string_view body) {
  return crypto::hmacSha256Hex(secret, body);
}

EventGenerator::EventGenerator(const World& world, GeneratorOptions options)
    : world_(world), options_(options), rng_(options.seed), seq_(world.devices.size(), 0) {
  for (std::size_t i = 0; i < world_.devices.size(); ++i) {
    int k = kindIndex(world_.devices[i].kind);
    if (k >= 0) by_kind_[k].push_back(i);
  }
  for (std::size_t i = 0; i < world_.devices.size(); ++i) {
    by_kind_[static_cast<int>(SimKind::kHeartbeat)].push_back(i);
  }
  for (int k = 0; k < 5; ++k) weights_[k] = by_kind_[k].empty() ? 0 : kMix[k];
  for (std::size_t i = 0; i < world_.persons.size(); ++i) {
    persons_by_estate_[world_.persons[i].estate_id].push_back(i);
  }
  for (std::size_t i = 0; i < world_.vehicles.size(); ++i) {
    vehicles_by_estate_[world_.vehicles[i].estate_id].push_back(i);
  }
  // Residents' faces are computed once, up front; strangers' as they appear.
  for (const auto& person : world_.persons) faces_.emplace(person.id, personFace(person.id));
  seq_prefix_ = std::to_string(options_.run_start_ms / 1000);
  recent_.reserve(kRecentEvents);
}

const std::vector<float>& EventGenerator::face(int64_t person_id) {
  auto it = faces_.find(person_id);
  if (it == faces_.end()) it = faces_.emplace(person_id, personFace(person_id)).first;
  return it->second;
}

GeneratedEvent EventGenerator::next(int64_t sim_ms) {
  if (!recent_.empty() && rng_.chance(options_.duplicate_share)) {
    GeneratedEvent copy = recent_[rng_.below(recent_.size())];
    copy.duplicate = true;
    return copy;
  }
  GeneratedEvent event;
  double total = 0;
  for (double w : weights_) total += w;
  double r = rng_.unit() * total;
  int kind = 0;
  for (; kind < 4; ++kind) {
    if (r < weights_[kind]) break;
    r -= weights_[kind];
  }
  while (weights_[kind] == 0) kind = (kind + 1) % 5;  // rounding at the very top of the range
  event.kind = static_cast<SimKind>(kind);
  const auto& devices = by_kind_[kind];
  if (event.kind == SimKind::kHeartbeat) {
    // Round the devices in turn, so each one is heard from regularly.
    event.device = devices[heartbeat_cursor_++ % devices.size()];
  } else {
    event.device = devices[rng_.below(devices.size())];
  }
  enum Malformed { kNone, kNoKind, kBadTs, kBadEmbedding } malformed = kNone;
  if (rng_.chance(options_.malformed_share)) {
    malformed = static_cast<Malformed>(1 + rng_.below(3));
    if (malformed == kBadEmbedding && event.kind != SimKind::kFaceCapture) {
      malformed = by_kind_[1].empty() ? kNoKind : kBadEmbedding;
      if (malformed == kBadEmbedding) {
        event.kind = SimKind::kFaceCapture;
        event.device = by_kind_[1][rng_.below(by_kind_[1].size())];
      }
    }
    event.malformed = true;
  }

  int64_t local_ms = sim_ms + int64_t{options_.utc_offset_minutes} * 60000;
  int hour = static_cast<int>(((local_ms / 3600000) % 24 + 24) % 24);
  std::string& out = event.json;
  out.reserve(event.kind == SimKind::kFaceCapture ? 900 : 200);
  header(out, event.device, sim_ms, malformed == kBadTs);
  static constexpr const char* kKindNames[] = {"access", "face_capture", "vehicle", "heartbeat",
                                               "alarm"};
  if (malformed != kNoKind) {
    out += ",\"kind\":\"";
    out += kKindNames[static_cast<int>(event.kind)];
    out += '"';
  }
  switch (event.kind) {
    case SimKind::kAccess:
      access(out, event.device, hour, event);
      break;
    case SimKind::kFaceCapture:
      face(out, event.device, malformed == kBadEmbedding, event);
      break;
    case SimKind::kVehicle:
      vehicle(out, event.device, hour);
      break;
    case SimKind::kHeartbeat:
      out += ",\"status\":\"ok\"";
      break;
    case SimKind::kAlarm:
      alarm(out, event.device);
      break;
  }
  out += '}';

  if (!event.malformed) {
    if (recent_.size() < kRecentEvents) {
      recent_.push_back(event);
    } else {
      recent_[recent_next_++ % kRecentEvents] = event;
    }
  }
  return event;
}

void EventGenerator::header(std::string& out, std::size_t device_index, int64_t sim_ms,
                            bool bad_ts) {
  const SimDevice& device = world_.devices[device_index];
  uint64_t seq = ++seq_[device_index];
  out += "{\"event_id\":\"";
  appendJsonEscaped(out, device.id);
  out += '-';
  out += seq_prefix_;
  std::string counter = std::to_string(seq);
  if (counter.size() < 6) out.append(6 - counter.size(), '0');
  out += counter;
  out += "\",\"device_id\":";
  appendQuoted(out, device.id);
  out += ",\"ts\":\"";
  if (bad_ts) {
    out += "2026-13-45T25:61:00+08:00";
  } else {
    out += formatTimestamp(sim_ms, options_.utc_offset_minutes);
  }
  out += '"';
}

std::string EventGenerator::direction(const SimDevice& device, int hour) {
  if (device.direction == "in" || device.direction == "out") return device.direction;
  double out_share = 0.5;
  if (hour >= 7 && hour < 9) out_share = 0.8;    // leaving for work and school
  if (hour >= 17 && hour < 20) out_share = 0.2;  // coming home
  return rng_.chance(out_share) ? "out" : "in";
}

void EventGenerator::access(std::string& out, std::size_t device_index, int hour,
                            GeneratedEvent& event) {
  const SimDevice& device = world_.devices[device_index];
  static constexpr const char* kMethods[] = {"face", "face", "face", "face", "face",
                                             "card", "card", "qr",   "qr",   "code"};
  const char* method = kMethods[rng_.below(10)];
  auto residents = persons_by_estate_.find(device.estate_id);
  bool known = residents != persons_by_estate_.end() && !residents->second.empty();
  bool granted = known && !rng_.chance(0.04);
  out += ",\"method\":\"";
  out += method;
  out += '"';
  if (known && (granted || rng_.chance(0.5))) {
    const auto& person = world_.persons[residents->second[rng_.below(residents->second.size())]];
    event.person_id = person.id;
    out += ",\"person_id\":";
    out += std::to_string(person.id);
  }
  out += ",\"result\":\"";
  out += granted ? "granted" : "denied";
  out += "\",\"direction\":\"";
  out += direction(device, hour);
  out += '"';
}

void EventGenerator::face(std::string& out, std::size_t device_index, bool wrong_length,
                          GeneratedEvent& event) {
  const SimDevice& device = world_.devices[device_index];
  auto residents = persons_by_estate_.find(device.estate_id);
  int64_t person_id = 0;
  if (residents != persons_by_estate_.end() && !residents->second.empty() && !rng_.chance(0.1)) {
    person_id = world_.persons[residents->second[rng_.below(residents->second.size())]].id;
  } else {
    // A passer-by: one of a fixed crowd of strangers, negative ids so no resident shares a face.
    person_id = -1 - static_cast<int64_t>(rng_.below(5000));
  }
  event.person_id = person_id > 0 ? person_id : 0;
  const std::vector<float>& base = face(person_id);
  std::vector<float> capture(wrong_length ? 100 : kEmbeddingSize);
  for (std::size_t i = 0; i < capture.size(); ++i) {
    capture[i] = base[i] + static_cast<float>(rng_.unit() * 2 - 1) * kFaceNoise;
  }
  normalise(capture);
  out += ",\"embedding\":\"";
  appendFloats(out, capture);
  out += "\",\"quality\":";
  appendFixed2(out, 0.6 + rng_.unit() * 0.39);
}

void EventGenerator::vehicle(std::string& out, std::size_t device_index, int hour) {
  const SimDevice& device = world_.devices[device_index];
  auto owned = vehicles_by_estate_.find(device.estate_id);
  bool known = owned != vehicles_by_estate_.end() && !owned->second.empty() && !rng_.chance(0.15);
  std::string plate, color;
  if (known) {
    const auto& v = world_.vehicles[owned->second[rng_.below(owned->second.size())]];
    plate = v.plate;
    color = v.plate_color.empty() ? "blue" : v.plate_color;
  } else {
    static constexpr char kSerial[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";  // no I, no O
    plate = "冀C·";
    for (int i = 0; i < 5; ++i) plate += kSerial[rng_.below(sizeof(kSerial) - 1)];
    color = "blue";
  }
  out += ",\"plate\":";
  appendQuoted(out, plate);
  out += ",\"plate_color\":\"";
  out += color;
  out += "\",\"confidence\":";
  appendFixed2(out, 0.8 + rng_.unit() * 0.19);
  out += ",\"direction\":\"";
  out += direction(device, hour);
  out += "\",\"result\":\"";
  out += known || rng_.chance(0.7) ? "granted" : "denied";
  out += '"';
}

void EventGenerator::alarm(std::string& out, std::size_t device_index) {
  const SimDevice& device = world_.devices[device_index];
  const char* type = "intrusion";
  const char* level = "high";
  if (device.kind == "fence") type = "fence";
  if (device.kind == "smoke") type = "smoke";
  if (device.kind == "sos_button") type = "emergency_call";
  if (device.kind == "throwing_camera") type = "throwing", level = "medium";
  if (device.kind == "electrical") type = "electrical", level = "medium";
  out += ",\"type\":\"";
  out += type;
  out += "\",\"level\":\"";
  out += level;
  out += '"';
}

}  // namespace anju::sim
