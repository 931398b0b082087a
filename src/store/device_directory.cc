#include "store/device_directory.h"

namespace anju::store {

Result<DeviceInfo> loadDevice(Connection& c, const std::string& id) {
  auto rows = c.query(
      "SELECT id, kind, secret, region_path, direction, estate_id, building_id FROM devices "
      "WHERE id = ?",
      {id});
  if (!rows) return rows.status();
  if (rows->empty()) return Status::notFound("未知设备 (unknown device " + id + ")", "device_id");
  const auto& r = rows->rows[0];
  DeviceInfo info;
  info.id = asText(r[0]);
  info.kind = asText(r[1]);
  info.secret = asText(r[2]);
  info.region_path = asText(r[3]);
  info.direction = asText(r[4]);
  info.estate_id = asInt(r[5]);
  if (!isNull(r[6])) info.building_id = asInt(r[6]);
  return info;
}

DeviceDirectory::DeviceDirectory(Database& db, const Clock& clock, std::chrono::milliseconds ttl)
    : db_(db), clock_(clock), ttl_ms_(ttl.count()) {}

Result<DeviceInfo> DeviceDirectory::find(const std::string& id) {
  const int64_t now = clock_.nowMillis();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(id);
    if (it != cache_.end() && now - it->second.loaded_ms < ttl_ms_) return it->second.info;
  }
  DeviceInfo info;
  Status st = db_.read([&](Connection& c) -> Status {
    auto loaded = loadDevice(c, id);
    if (!loaded) return loaded.status();
    info = std::move(*loaded);
    return {};
  });
  if (!st) return st;
  std::lock_guard lock(mutex_);
  cache_[id] = Entry{info, now};
  return info;
}

void DeviceDirectory::forget(const std::string& id) {
  std::lock_guard lock(mutex_);
  cache_.erase(id);
}

}  // namespace anju::store
