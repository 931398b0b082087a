// libFuzzer target: a device's event batch as it arrives over HTTP or MQTT (JSON array or NDJSON,
// possibly gzip, possibly a multipart body with snapshots). Whatever the bytes, decoding answers
// with events or rejections and never crashes; every event is accounted for.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/event_decoder.h"
#include "ingest/gzip.h"
#include "ingest/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  anju::ingest::DecodeOptions options{.now_ms = 1'764'000'000'000, .max_events = 200};
  // One byte of the input picks whether a signed device sent it, which changes what is checked.
  if (size > 0 && data[0] % 2 == 0) options.device = "gate-1";
  auto batch = anju::ingest::decodeEvents(body, options);
  if (batch && batch->events.size() + batch->rejected.size() != batch->total) __builtin_trap();

  (void)anju::ingest::gunzip(body, 1 << 20);
  auto parts = anju::ingest::parseMultipart(body, "anju-boundary");
  if (parts) {
    for (const auto& [name, part] : *parts) {
      (void)name;
      (void)anju::ingest::decodeEvents(part, options);
    }
  }
  return 0;
}
