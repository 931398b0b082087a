// The event side of a store for unit tests: the event database beside a TempStore's registry, the
// group commit writer, device health on the test's clock and the ingestor, wired as the server
// wires them.
#pragma once

#include <memory>
#include <stdexcept>

#include "ingest/device_health.h"
#include "ingest/event_writer.h"
#include "ingest/ingestor.h"
#include "store/blob_store.h"
#include "store/device_directory.h"
#include "store/event_store.h"
#include "temp_store.h"

namespace anju::test_support {

class TempEvents {
 public:
  TempEvents(TempStore& registry, const Clock& clock, ingest::WriterOptions writer_options = {})
      : devices(registry.db(), clock, std::chrono::milliseconds(0)),
        blobs((registry.dir() / "blobs").string()),
        health(clock, {.heartbeat = std::chrono::seconds(60), .missed = 3}) {
    db = registry.openEvents();
    store = std::make_unique<store::EventStore>(*db);
    if (!store->initialize()) throw std::runtime_error("cannot create the event tables");
    this->writer = std::make_unique<ingest::EventWriter>(*store, writer_options);
    ingestor = std::make_unique<ingest::Ingestor>(registry.db(), devices, blobs, *this->writer,
                                                  health, clock, ingest::IngestOptions{});
  }

  store::DeviceDirectory devices;
  store::BlobStore blobs;
  ingest::DeviceHealth health;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::EventStore> store;
  std::unique_ptr<ingest::EventWriter> writer;
  std::unique_ptr<ingest::Ingestor> ingestor;
};

}  // namespace anju::test_support
