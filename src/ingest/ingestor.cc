#include "ingest/ingestor.h"

#include <algorithm>
#include <unordered_map>

namespace anju::ingest {

Ingestor::Ingestor(store::Database& registry, store::DeviceDirectory& devices,
                   store::BlobStore& blobs, domain::EventSink& sink, DeviceHealth& health,
                   const Clock& clock, IngestOptions options)
    : registry_(registry),
      devices_(devices),
      blobs_(blobs),
      sink_(sink),
      health_(health),
      clock_(clock),
      options_(options) {}

Result<std::optional<int64_t>> Ingestor::personByCredential(const std::string& credential) {
  std::optional<int64_t> person;
  Status st = registry_.read([&](store::Connection& c) -> Status {
    auto rows = c.query(
        "SELECT person_id FROM credentials WHERE type IN ('card', 'pin', 'qr') AND value = ? "
        "LIMIT 1",
        {credential});
    if (!rows) return rows.status();
    if (!rows->empty()) person = store::asInt(rows->rows[0][0]);
    return {};
  });
  if (!st) return st;
  return person;
}

Result<IngestResult> Ingestor::ingest(std::string_view body,
                                      const std::optional<store::DeviceInfo>& device,
                                      const std::map<std::string, std::string_view>& parts) {
  const int64_t now = clock_.nowMillis();
  DecodeOptions decode = options_;
  decode.now_ms = now;
  if (device) decode.device = device->id;
  auto decoded = decodeEvents(body, decode);
  if (!decoded) return decoded.status();
  // Any message is a sign of life, even one whose events are all rejected.
  if (device) health_.seen(device->id, device->estate_id, device->kind);

  IngestResult result;
  result.rejected = std::move(decoded->rejected);
  std::unordered_map<std::string, std::optional<store::DeviceInfo>> known;
  if (device) known[device->id] = *device;
  std::vector<domain::Event> events;
  std::vector<std::size_t> indexes;
  for (auto& d : decoded->events) {
    domain::Event& e = d.event;
    auto it = known.find(e.device_id);
    if (it == known.end()) {
      auto found = devices_.find(e.device_id);
      if (!found && found.status().code() != Code::kNotFound) return found.status();
      it = known.emplace(e.device_id, found ? std::optional(*found) : std::nullopt).first;
      if (found) health_.seen(found->id, found->estate_id, found->kind);
    }
    if (!it->second) {
      result.rejected.push_back(
          {d.index, "未登记的设备 (unknown device " + e.device_id + ")", "device_id"});
      continue;
    }
    const store::DeviceInfo& info = *it->second;
    e.estate_id = info.estate_id;
    e.received = now;
    const bool passage =
        e.kind == domain::EventKind::kAccess || e.kind == domain::EventKind::kVehicle;
    if (passage && e.direction.empty() && (info.direction == "in" || info.direction == "out")) {
      e.direction = info.direction;
    }
    if (!e.person_id && !d.credential.empty()) {
      auto person = personByCredential(d.credential);
      if (!person) return person.status();
      e.person_id = *person;
    }
    if (!d.image_part.empty()) {
      auto part = parts.find(d.image_part);
      if (part == parts.end() || part->second.empty() ||
          part->second.size() > options_.max_image_bytes) {
        result.rejected.push_back({d.index,
                                   "没有这个快照部分或过大 (no such image part, or it is larger "
                                   "than the limit: " +
                                       d.image_part + ")",
                                   "image_part"});
        continue;
      }
      d.image = std::string(part->second);
    }
    if (!d.image.empty()) {
      auto hash = blobs_.put(d.image);
      if (!hash) return hash.status();
      e.image = *hash;
    }
    events.push_back(std::move(e));
    indexes.push_back(d.index);
  }
  auto stored = sink_.append(std::move(events));
  if (!stored) return stored.status();
  for (bool s : *stored) (s ? result.accepted : result.duplicates) += 1;
  std::sort(result.rejected.begin(), result.rejected.end(),
            [](const Rejection& a, const Rejection& b) { return a.index < b.index; });
  return result;
}

}  // namespace anju::ingest
