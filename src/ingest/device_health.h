// Whether each device is alive, judged on the server's clock only: a device is offline after
// `missed` heartbeat intervals with no message at all, and online again with its next message. The
// device's own timestamps play no part, so a skewed device clock or a late packet never makes a
// device look dead.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "store/event_store.h"

namespace anju::ingest {

struct HealthOptions {
  std::chrono::seconds heartbeat{60};
  int missed = 3;
};

struct DeviceState {
  std::string id;
  int64_t estate_id = 0;
  std::string kind;
  bool online = false;
  int64_t last_seen = 0;  // server time of the last message, ms; 0: never
};

class DeviceHealth {
 public:
  DeviceHealth(const Clock& clock, HealthOptions options);

  // The registry's view at start-up (online flag and last_seen as last persisted).
  void load(const std::vector<DeviceState>& devices);
  // Any message from the device. A device not loaded yet (created since) is added.
  void seen(const std::string& id, int64_t estate_id, const std::string& kind);
  // What other nodes on the same database have seen (their persisted last_seen): a later sighting
  // is taken, and brings an offline device online as if it had been seen here.
  void merge(const std::vector<DeviceState>& seen_elsewhere);
  // Marks offline the devices silent for too long. Returns every transition since the last call,
  // online ones included, in the order they happened.
  std::vector<store::DeviceStatusChange> sweep();
  // Devices whose state changed since the last call, to persist.
  std::vector<DeviceState> takeDirty();
  std::vector<DeviceState> snapshot() const;

 private:
  const Clock& clock_;
  int64_t silence_ms_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, DeviceState> devices_;  // GUARDED_BY(mutex_)
  std::vector<store::DeviceStatusChange> changes_;        // GUARDED_BY(mutex_)
  std::unordered_map<std::string, bool> dirty_;           // GUARDED_BY(mutex_)
};

}  // namespace anju::ingest
