#include "ingest/device_health.h"

namespace anju::ingest {

DeviceHealth::DeviceHealth(const Clock& clock, HealthOptions options)
    : clock_(clock), silence_ms_(options.heartbeat.count() * 1000 * options.missed) {}

void DeviceHealth::load(const std::vector<DeviceState>& devices) {
  std::lock_guard lock(mutex_);
  for (const auto& d : devices) devices_[d.id] = d;
}

void DeviceHealth::seen(const std::string& id, int64_t estate_id, const std::string& kind) {
  const int64_t now = clock_.nowMillis();
  std::lock_guard lock(mutex_);
  auto& d = devices_[id];
  d.id = id;
  d.estate_id = estate_id;
  d.kind = kind;
  // Persisting every message would be a write per event; last_seen is written at the next flush.
  d.last_seen = std::max(d.last_seen, now);
  dirty_[id] = true;
  if (!d.online) {
    d.online = true;
    changes_.push_back({0, id, estate_id, now, true});
  }
}

void DeviceHealth::merge(const std::vector<DeviceState>& seen_elsewhere) {
  const int64_t now = clock_.nowMillis();
  std::lock_guard lock(mutex_);
  for (const auto& s : seen_elsewhere) {
    DeviceState& d =
        devices_.try_emplace(s.id, DeviceState{s.id, s.estate_id, s.kind, false, 0}).first->second;
    if (s.last_seen <= d.last_seen) continue;
    d.last_seen = s.last_seen;
    if (!d.online && now - d.last_seen <= silence_ms_) {
      d.online = true;
      dirty_[s.id] = true;
      changes_.push_back({0, s.id, d.estate_id, d.last_seen, true});
    }
  }
}

std::vector<store::DeviceStatusChange> DeviceHealth::sweep() {
  const int64_t now = clock_.nowMillis();
  std::lock_guard lock(mutex_);
  for (auto& [id, d] : devices_) {
    if (d.online && now - d.last_seen > silence_ms_) {
      d.online = false;
      dirty_[id] = true;
      changes_.push_back({0, id, d.estate_id, now, false});
    }
  }
  std::vector<store::DeviceStatusChange> out;
  out.swap(changes_);
  return out;
}

std::vector<DeviceState> DeviceHealth::takeDirty() {
  std::lock_guard lock(mutex_);
  std::vector<DeviceState> out;
  for (const auto& [id, flag] : dirty_) {
    auto it = devices_.find(id);
    if (it != devices_.end()) out.push_back(it->second);
  }
  dirty_.clear();
  return out;
}

std::vector<DeviceState> DeviceHealth::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<DeviceState> out;
  out.reserve(devices_.size());
  for (const auto& [id, d] : devices_) out.push_back(d);
  return out;
}

}  // namespace anju::ingest
