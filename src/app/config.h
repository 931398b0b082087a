// Configuration: defaults, then the TOML file, then ANJU_* environment variables, then flags.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cases/case_policy.h"
#include "common/status.h"
#include "incidents/incident_policy.h"
#include "retention/retention_policy.h"

namespace anju::app {

// The source tree's web/dist, where scripts/build-web.sh leaves the console (set by CMake).
std::string defaultWebRoot();

struct Config {
  std::string data_dir = "data";
  std::string db_url;  // empty: SQLite in data_dir
  std::string listen = "127.0.0.1:8080";
  int io_threads = 2;
  int worker_threads = 16;
  std::size_t body_limit_bytes = 8 * 1024 * 1024;
  int read_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  // Reverse proxies (nginx) whose X-Forwarded-For is believed about the client's address.
  std::vector<std::string> trusted_proxies;
  int max_json_depth = 32;
  int token_ttl_hours = 12;
  std::string utc_offset = "+08:00";
  std::string log_level = "info";
  // The built console and portal ([web] root); by default the source tree's web/dist.
  std::string web_root = defaultWebRoot();
  bool sync_full = false;  // fsync at every commit (slower; survives power cuts at every commit)
  // Several nodes on one PostgreSQL database: how long the node running the timers keeps that role
  // without renewing it, i.e. how soon another takes over when it dies.
  int lease_seconds = 15;

  // Devices ([devices] in the file).
  int heartbeat_seconds = 60;         // how often devices send a heartbeat
  int offline_after_missed = 3;       // heartbeats missed before a device counts as offline
  int max_clock_ahead_seconds = 300;  // events stamped further in the future are rejected
  int max_events_per_batch = 10000;   // events beyond this in one batch are rejected
  int event_queue_limit = 200000;     // events waiting to be stored; beyond: 429 / MQTT waits
  int events_cache_mib = 16;          // page cache of each connection to the event store
  int64_t events_mmap_mib = 65536;    // the event store is read through a memory map this large

  // MQTT ([mqtt]); no host: MQTT ingestion is off.
  std::string mqtt_host;
  int mqtt_port = 1883;
  std::string mqtt_username;
  std::string mqtt_password;
  std::string mqtt_client_id = "anju";
  std::string mqtt_topic = "anju/events/+";

  // The case loop ([cases]): stage deadlines, supervision, reopening, duplicates.
  cases::CasePolicy cases;
  int supervise_seconds = 60;  // how often late cases are looked for

  // Incidents ([incidents]): the 1-3-5 minute targets, each counted from when it was raised.
  incidents::IncidentPolicy incidents;
  // The face index ([faces]).
  int face_lists = 1024;              // nlist: k-means lists of the inverted file
  int face_probes = 256;              // nprobe: lists scanned per search
  double face_match_threshold = 0.6;  // trajectories include captures this like a person's face
  // The operator's face model (an ONNX file): a search may then give a photo; empty: embeddings
  // only. Its input: a square of this many pixels, (value - mean) * scale, in RGB or BGR order.
  std::string face_model;
  int face_model_input = 112;
  double face_model_mean = 127.5;
  double face_model_scale = 1 / 127.5;
  std::string face_model_channels = "rgb";
  // Retention ([retention]): days to keep each kind of data; 0 keeps it forever.
  retention::RetentionPolicy retention;
};

// Reads `path` (a TOML file) over `config`; a missing file is an error only when `required`.
Status loadConfigFile(const std::string& path, bool required, Config& config);
// Applies ANJU_DATA, ANJU_DB, ANJU_LISTEN, ANJU_LOG_LEVEL, ANJU_BODY_LIMIT, ANJU_UTC_OFFSET,
// ANJU_WEB_ROOT, ANJU_TRUSTED_PROXIES (comma-separated) and ANJU_MQTT_HOST, _PORT, _USERNAME,
// _PASSWORD.
Status applyEnvironment(Config& config);
Status validate(const Config& config);

// "127.0.0.1:8080" -> host and port.
Status splitListen(const std::string& listen, std::string& host, uint16_t& port);

}  // namespace anju::app
