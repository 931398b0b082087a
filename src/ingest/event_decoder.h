// Device event batches as they arrive (SPEC §3): a JSON array or NDJSON, one event per element or
// line. Each event is checked on its own and either becomes a domain::Event or is rejected with
// its index and a reason naming the field, so one bad event never costs the rest of the batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/event.h"

namespace anju::ingest {

struct DecodeOptions {
  int64_t now_ms = 0;                     // the server's time
  int64_t max_future_ms = 5 * 60 * 1000;  // how far ahead of it a device clock may run
  std::size_t max_events = 10000;         // events beyond this in one batch are rejected
  std::size_t max_image_bytes = 2 * 1024 * 1024;
  int utc_offset_minutes = 480;       // for timestamps written without an offset
  std::optional<std::string> device;  // set when one device signed: events must be its own
};

struct Rejection {
  std::size_t index = 0;
  std::string error;
  std::string field;
};

struct DecodedEvent {
  std::size_t index = 0;   // position in the batch
  domain::Event event;     // estate_id and received are filled in later, from the device
  std::string credential;  // access events: the card or PIN read, to find the person by
  std::string image;       // a snapshot's bytes, if one came with the event as base64
  std::string image_part;  // or the name of the multipart part holding it
};

struct DecodedBatch {
  std::vector<DecodedEvent> events;
  std::vector<Rejection> rejected;
  std::size_t total = 0;
};

// Fails (field "body") only when a JSON array body is itself malformed; everything else is a
// per-event rejection.
Result<DecodedBatch> decodeEvents(std::string_view body, const DecodeOptions& options);

// Embeddings are kept as base64 of little-endian float32; 128 and 512 floats are accepted.
bool isEmbeddingLength(std::size_t floats);

}  // namespace anju::ingest
