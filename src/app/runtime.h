// The opened store and everything built on it, shared by the commands.
#pragma once

#include <memory>

#include "alerts/alert_store.h"
#include "alerts/engine.h"
#include "alerts/face_matching.h"
#include "alerts/rules.h"
#include "alerts/watchlists.h"
#include "api/metrics.h"
#include "app/config.h"
#include "common/clock.h"
#include "faces/face_catalog.h"
#include "faces/face_model.h"
#include "faces/shared_captures.h"
#include "ingest/device_health.h"
#include "ingest/event_writer.h"
#include "ingest/ingestor.h"
#include "notify/hub.h"
#include "retention/retention.h"
#include "store/audit_log.h"
#include "store/blob_store.h"
#include "store/database.h"
#include "store/device_directory.h"
#include "store/event_store.h"
#include "store/lease.h"
#include "store/record_store.h"
#include "store/user_store.h"

namespace anju::app {

struct Runtime {
  Config config;
  int utc_offset_minutes = 480;
  // This process among the nodes sharing a PostgreSQL database.
  std::string node = store::nodeName();
  SystemClock clock;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::RecordStore> records;
  std::unique_ptr<store::UserStore> users;
  std::unique_ptr<store::AuditLog> audit;
  std::unique_ptr<store::DeviceDirectory> devices;
  // Device events, opened by serve() (destroyed first, so queued events are written).
  std::unique_ptr<store::Database> events_db;
  std::unique_ptr<store::EventStore> event_store;
  std::unique_ptr<store::BlobStore> blobs;
  // Counted by an observer of the writer (registered before any other), so it outlives the writer.
  api::CommitMetrics commits;
  // After the store it reads and before the writer that feeds it and the alerting that searches
  // it (destroyed in reverse).
  std::unique_ptr<faces::FaceCatalog> faces;
  // On PostgreSQL: the captures other nodes store, into `faces`; before the writer that announces.
  std::unique_ptr<faces::SharedCaptures> shared_captures;
  std::unique_ptr<faces::FaceModel> face_model;  // when the operator configured one
  // Alerting, before the writer: the writer, destroyed first, still tells the engine of the events
  // it writes on its way out; the hub outlives both.
  std::unique_ptr<notify::Hub> hub;
  std::unique_ptr<alerts::AlertStore> alerts;
  std::unique_ptr<alerts::RuleStore> rules;
  std::unique_ptr<alerts::WatchlistStore> watchlists;
  std::unique_ptr<alerts::IndexedFaces> watched_faces, enrolled_faces;
  std::unique_ptr<alerts::CatalogCaptures> captures;
  std::unique_ptr<alerts::AlertEngine> alert_engine;
  std::unique_ptr<ingest::EventWriter> writer;
  std::unique_ptr<ingest::DeviceHealth> health;
  std::unique_ptr<ingest::Ingestor> ingestor;
  // Reads every store above; opened by serve() and by `anju retention`.
  std::unique_ptr<retention::Retention> retention;
};

// Creates the data folder if needed, opens the store and applies migrations.
Result<std::unique_ptr<Runtime>> openRuntime(const Config& config);

// The event store (DATA/events.db) and the snapshot folder, without the ingestion built on them.
Status openEventStore(Runtime& runtime);
// Retention over whatever stores are open (the face index, when serving, forgets too).
void openRetention(Runtime& runtime);

// On an empty store: creates the `admin` user with $ANJU_ADMIN_PASSWORD or a random password.
// Returns the password when it was generated here (to show once), else empty.
Result<std::string> ensureAdmin(Runtime& runtime);

// Runs the HTTP server until SIGINT or SIGTERM; `on_ready` is told the URL once it listens.
Status serve(Runtime& runtime, const std::function<void(const std::string& url)>& on_ready);

}  // namespace anju::app
