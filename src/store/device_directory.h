// The devices that talk to Anju, looked up on every event batch and access request: who they are,
// where they stand and the secret their requests are signed with. Kept in memory for a few seconds
// so that ingestion does not read the registry once per request.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.h"
#include "store/database.h"

namespace anju::store {

struct DeviceInfo {
  std::string id;
  std::string kind;  // camera, face_camera, door, barrier, ...
  std::string secret;
  std::string region_path;
  std::string direction;  // in, out, both or empty
  int64_t estate_id = 0;
  std::optional<int64_t> building_id;
};

// One device read from the registry inside the caller's transaction; kNotFound (field
// "device_id") for an unknown one.
Result<DeviceInfo> loadDevice(Connection& c, const std::string& id);

class DeviceDirectory {
 public:
  DeviceDirectory(Database& db, const Clock& clock,
                  std::chrono::milliseconds ttl = std::chrono::seconds(10));

  // kNotFound for an unknown device.
  Result<DeviceInfo> find(const std::string& id);
  // Drops a cached entry, e.g. when a signature does not match a possibly stale secret.
  void forget(const std::string& id);

 private:
  struct Entry {
    DeviceInfo info;
    int64_t loaded_ms = 0;
  };
  Database& db_;
  const Clock& clock_;
  int64_t ttl_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> cache_;
};

}  // namespace anju::store
