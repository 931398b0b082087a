// Turns a batch from a device (HTTP or MQTT) into stored events: decode and check each event, find
// its device and the person behind a card, keep its snapshot, note that the device is alive, then
// hand the good events to the sink and report per event what became of it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "domain/event.h"
#include "ingest/device_health.h"
#include "ingest/event_decoder.h"
#include "store/blob_store.h"
#include "store/database.h"
#include "store/device_directory.h"

namespace anju::ingest {

// The decoder's limits; the server's time and the signing device are filled in per batch.
using IngestOptions = DecodeOptions;

struct IngestResult {
  std::size_t accepted = 0;
  std::size_t duplicates = 0;
  std::vector<Rejection> rejected;  // by index
};

class Ingestor {
 public:
  Ingestor(store::Database& registry, store::DeviceDirectory& devices, store::BlobStore& blobs,
           domain::EventSink& sink, DeviceHealth& health, const Clock& clock,
           IngestOptions options);

  // `device`: the device that signed the batch or whose MQTT topic it came on; every event must be
  // its own. Without one (an administrator's batch) each event names a registered device.
  // `parts`: the other parts of a multipart batch, by name, for events that name an image part.
  Result<IngestResult> ingest(std::string_view body, const std::optional<store::DeviceInfo>& device,
                              const std::map<std::string, std::string_view>& parts = {});

 private:
  Result<std::optional<int64_t>> personByCredential(const std::string& credential);

  store::Database& registry_;
  store::DeviceDirectory& devices_;
  store::BlobStore& blobs_;
  domain::EventSink& sink_;
  DeviceHealth& health_;
  const Clock& clock_;
  IngestOptions options_;
};

}  // namespace anju::ingest
