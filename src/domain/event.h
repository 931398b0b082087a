// A device event (SPEC §3) as Anju keeps it: the columns that trajectories, deduplication and
// statistics look up, and the kind's remaining fields as compact JSON text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace anju::domain {

enum class EventKind { kAccess, kVehicle, kFaceCapture, kAlarm, kHeartbeat };

std::string_view kindName(EventKind kind);
std::optional<EventKind> parseEventKind(std::string_view name);

struct Event {
  std::string device_id;
  std::string event_id;  // unique per device
  EventKind kind = EventKind::kHeartbeat;
  int64_t ts = 0;                    // the device's time, ms since the epoch
  int64_t received = 0;              // the server's time when it arrived, ms since the epoch
  int64_t estate_id = 0;             // the device's estate
  std::optional<int64_t> person_id;  // access events: who passed
  std::string plate;                 // vehicle events: the normalised plate
  std::string result;                // access and vehicle events: granted / denied
  std::string direction;             // in / out
  std::string attrs = "{}";          // the kind's other fields, a JSON object
  std::string embedding;             // face captures: base64 of little-endian float32
  std::string image;                 // content hash of the snapshot in the blob store
};

// Where events go to be kept: ingestion over HTTP and MQTT, and the access decisions Anju makes
// itself, all write through it. `append` returns once the events are durable, with one flag per
// event: true when stored, false when it was already there (same device and event_id).
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual Result<std::vector<bool>> append(std::vector<Event> events) = 0;
  // The same without waiting: queued for the next group commit, for the events Anju makes itself
  // (access decisions) where a door must not wait for a disk sync. Refused when the queue is full
  // or the last commit failed; a crash before the commit loses them.
  virtual Status enqueue(std::vector<Event> events) = 0;
};

}  // namespace anju::domain
