// The REST API: routing, authentication, role and scope checks, JSON mapping and audit. The
// server binary gives it the stores and hands it every request.
#pragma once

#include <chrono>
#include <memory>

#include "alerts/alert_store.h"
#include "alerts/engine.h"
#include "alerts/rules.h"
#include "alerts/watchlists.h"
#include "api/metrics.h"
#include "api/router.h"
#include "cases/case_policy.h"
#include "common/clock.h"
#include "domain/event.h"
#include "http/message.h"
#include "incidents/incident_policy.h"
#include "ingest/device_health.h"
#include "ingest/event_writer.h"
#include "ingest/ingestor.h"
#include "notify/hub.h"
#include "notify/publisher.h"
#include "store/audit_log.h"
#include "store/blob_store.h"
#include "store/device_directory.h"
#include "store/event_store.h"
#include "store/record_store.h"
#include "store/user_store.h"

namespace anju::faces {
class FaceCatalog;
class FaceModel;
}  // namespace anju::faces
namespace anju::retention {
class Retention;
}

namespace anju::api {

class ImportProgress;

struct ApiOptions {
  int max_json_depth = 32;
  std::chrono::seconds token_ttl{12 * 3600};
  int utc_offset_minutes = 480;          // how times are shown: China Standard Time by default
  std::size_t import_max_errors = 1000;  // per-row errors reported in one answer
  std::size_t max_inflated_bytes = 64 * 1024 * 1024;  // a gzip event batch, once inflated
  cases::CasePolicy cases;                            // deadlines, supervision, duplicates
  incidents::IncidentPolicy incidents;                // the 1-3-5 minute targets
  double face_match_threshold = 0.6;  // a capture this like a person's face joins their trajectory
};

struct Services {
  store::Database& db;
  store::RecordStore& records;
  store::UserStore& users;
  store::AuditLog& audit;
  const Clock& clock;
  ApiOptions options;
  store::DeviceDirectory* devices = nullptr;  // for device-signed routes
  domain::EventSink* events = nullptr;        // where events and access decisions are kept
  ingest::Ingestor* ingestor = nullptr;       // device batches over HTTP
  store::EventStore* event_store = nullptr;   // trajectories, event lists, counts
  store::BlobStore* blobs = nullptr;          // snapshots
  ingest::DeviceHealth* health = nullptr;     // devices online
  notify::Publisher* notices = nullptr;       // the live stream; nullptr: changes are not pushed
  notify::Hub* hub = nullptr;                 // the live stream's subscriptions
  alerts::AlertStore* alerts = nullptr;       // alerts and their steps
  alerts::RuleStore* rules = nullptr;         // alert rules
  alerts::WatchlistStore* watchlists = nullptr;
  alerts::AlertEngine* alert_engine = nullptr;  // told when rules or watchlists change
  faces::FaceCatalog* faces = nullptr;          // search by face; nullptr: not running
  faces::FaceModel* face_model = nullptr;       // photos to embeddings; nullptr: none configured
  ImportProgress* imports = nullptr;            // set by the Api: how far each CSV import is
  retention::Retention* retention = nullptr;    // the dry run; nullptr: not running
  const ingest::EventWriter* writer = nullptr;  // queue depth and commits, for /metrics
  const CommitMetrics* commits = nullptr;       // events stored per commit, for /metrics
};

class Api {
 public:
  explicit Api(Services services);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  http::Response handle(const http::Request& request);
  const Router& router() const { return *router_; }

 private:
  Result<store::DeviceInfo> authenticateDevice(const http::Request& request);
  http::Response dispatch(const http::Request& request, Router::Match& match);

  Services services_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<ImportProgress> imports_;
  std::unique_ptr<Metrics> metrics_;  // sized to the routes once they are all registered
};

}  // namespace anju::api
