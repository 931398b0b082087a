#include "app/runtime.h"

#include <pthread.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "api/api.h"
#include "api/router.h"
#include "cases/case_service.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/periodic.h"
#include "http/server.h"
#include "incidents/alarm_intake.h"
#include "ingest/mqtt_source.h"
#include "retention/retention_job.h"
#include "store/migrations.h"
#include "web/static_site.h"

namespace anju::app {

Result<std::unique_ptr<Runtime>> openRuntime(const Config& config) {
  ANJU_RETURN_IF_ERROR(validate(config));
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return Status{Code::kUnavailable,
                  "cannot create data folder " + config.data_dir + ": " + ec.message()};

  auto runtime = std::make_unique<Runtime>();
  runtime->config = config;
  runtime->utc_offset_minutes = *parseUtcOffset(config.utc_offset);
  auto db = config.db_url.empty()
                ? store::openSqlite(
                      {.path = (std::filesystem::path(config.data_dir) / "anju.db").string(),
                       .read_connections = std::max(2, config.worker_threads),
                       .synchronous_full = config.sync_full})
                : store::openPostgres({.url = config.db_url,
                                       .read_connections = std::max(2, config.worker_threads),
                                       .synchronous_full = config.sync_full});
  if (!db) return db.status();
  runtime->db = std::move(*db);
  ANJU_RETURN_IF_ERROR(store::migrate(*runtime->db, store::migrationsFor(*runtime->db)));
  runtime->records = std::make_unique<store::RecordStore>(*runtime->db, runtime->clock,
                                                          runtime->utc_offset_minutes);
  runtime->users = std::make_unique<store::UserStore>(*runtime->db, runtime->clock);
  runtime->audit =
      std::make_unique<store::AuditLog>(*runtime->db, runtime->clock, runtime->utc_offset_minutes);
  runtime->devices = std::make_unique<store::DeviceDirectory>(*runtime->db, runtime->clock);
  return runtime;
}

Status openEventStore(Runtime& runtime) {
  const Config& c = runtime.config;
  const std::filesystem::path data(c.data_dir);
  // Events are acknowledged to devices only once stored, and a power cut must not take them back:
  // they are synced at every commit, which group commit makes affordable. On SQLite they have a
  // file of their own whose commits are large and back to back, so its log is checkpointed at
  // 16 MiB rather than 4; on PostgreSQL they share the registry's database through a writer
  // connection of their own, so a long ingestion commit never holds up registry writes.
  auto events_db = c.db_url.empty()
                       ? store::openSqlite({.path = (data / "events.db").string(),
                                            .read_connections = std::max(2, c.worker_threads),
                                            .synchronous_full = true,
                                            .cache_mib = c.events_cache_mib,
                                            .mmap_mib = c.events_mmap_mib,
                                            .checkpoint_frames = 4096})
                       : store::openPostgres({.url = c.db_url,
                                              .read_connections = std::max(2, c.worker_threads),
                                              .synchronous_full = true});
  if (!events_db) return events_db.status();
  runtime.events_db = std::move(*events_db);
  runtime.event_store = std::make_unique<store::EventStore>(*runtime.events_db);
  ANJU_RETURN_IF_ERROR(runtime.event_store->initialize());
  runtime.blobs = std::make_unique<store::BlobStore>((data / "blobs").string());
  return {};
}

void openRetention(Runtime& runtime) {
  runtime.retention =
      std::make_unique<retention::Retention>(retention::Stores{.registry = *runtime.db,
                                                               .audit = *runtime.audit,
                                                               .events = runtime.event_store.get(),
                                                               .blobs = runtime.blobs.get(),
                                                               .faces = runtime.faces.get()},
                                             runtime.clock, runtime.config.retention);
}

namespace {

// Alerting: the live stream's hub, the alert, rule and watchlist stores, and the engine that
// follows every committed event.
Status openAlerting(Runtime& runtime) {
  const int offset = runtime.utc_offset_minutes;
  runtime.hub = std::make_unique<notify::Hub>(*runtime.db, runtime.clock);
  runtime.alerts = std::make_unique<alerts::AlertStore>(*runtime.db, runtime.clock, offset);
  runtime.rules = std::make_unique<alerts::RuleStore>(*runtime.db, runtime.clock, offset);
  runtime.watchlists = std::make_unique<alerts::WatchlistStore>(*runtime.db, runtime.clock, offset);
  runtime.alert_engine = std::make_unique<alerts::AlertEngine>(
      *runtime.db, runtime.event_store.get(), *runtime.alerts, *runtime.rules, *runtime.watchlists,
      runtime.hub.get(), runtime.clock, alerts::EngineOptions{.utc_offset_minutes = offset});
  runtime.watched_faces = std::make_unique<alerts::IndexedFaces>();
  runtime.enrolled_faces = std::make_unique<alerts::IndexedFaces>();
  runtime.captures = std::make_unique<alerts::CatalogCaptures>(*runtime.faces);
  runtime.alert_engine->setFaceMatcher(runtime.watched_faces.get());
  runtime.alert_engine->setStrangerSearch(runtime.captures.get(), runtime.enrolled_faces.get());
  // Before ingestion starts: events stored just before a crash are matched once, here.
  runtime.alert_engine->catchUp();
  runtime.alert_engine->start();
  runtime.writer->observe(
      [engine = runtime.alert_engine.get()](const std::vector<store::StoredEvent>& stored) {
        engine->offer(stored);
      });
  return {};
}

// The face index (quantisers kept in DATA/faces): rebuilt from the store in the background, then
// fed by every commit of the event writer.
Status openFaces(Runtime& runtime) {
  const Config& c = runtime.config;
  const auto folder = std::filesystem::path(c.data_dir) / "faces";
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec)
    return Status{Code::kUnavailable, "cannot create " + folder.string() + ": " + ec.message()};
  runtime.faces = std::make_unique<faces::FaceCatalog>(
      runtime.event_store.get(),
      faces::CatalogOptions{
          .folder = folder.string(), .lists = c.face_lists, .probes = c.face_probes});
  runtime.writer->observe(
      [catalog = runtime.faces.get()](const std::vector<store::StoredEvent>& stored) {
        catalog->offer(stored);
      });
  if (runtime.events_db->dialect() == "postgresql") {
    // Listening before the rebuild starts, so that no other node's capture falls between the two.
    runtime.shared_captures = std::make_unique<faces::SharedCaptures>(
        *runtime.event_store, *runtime.faces, runtime.clock, runtime.node);
    runtime.writer->announce(domain::EventKind::kFaceCapture,
                             [shared = runtime.shared_captures.get()](
                                 store::Connection& conn, const std::vector<int64_t>& keys) {
                               return shared->announce(conn, keys);
                             });
  }
  runtime.faces->start();
  if (!c.face_model.empty()) {
    auto model = faces::FaceModel::load({.path = c.face_model,
                                         .input_size = c.face_model_input,
                                         .mean = c.face_model_mean,
                                         .scale = c.face_model_scale,
                                         .rgb = c.face_model_channels == "rgb"});
    if (!model) return model.status();
    runtime.face_model = std::move(*model);
    log::info("faces.model_loaded",
              {{"model", c.face_model}, {"dim", std::to_string(runtime.face_model->dim())}});
  }
  return {};
}

// The event store (DATA/events.db, synced at every commit), the snapshot folder, the group commit
// writer and device health: what serving events needs beyond the registry.
Status openEvents(Runtime& runtime) {
  const Config& c = runtime.config;
  ANJU_RETURN_IF_ERROR(openEventStore(runtime));
  runtime.writer = std::make_unique<ingest::EventWriter>(
      *runtime.event_store,
      ingest::WriterOptions{.max_queued_events = static_cast<std::size_t>(c.event_queue_limit)});
  runtime.writer->observe(
      [commits = &runtime.commits](const std::vector<store::StoredEvent>& stored) {
        std::size_t alertable = 0;
        for (const auto& s : stored)
          if (s.event.kind != domain::EventKind::kHeartbeat) ++alertable;
        commits->commit(stored.size(), alertable);
      });
  ANJU_RETURN_IF_ERROR(openFaces(runtime));
  runtime.health = std::make_unique<ingest::DeviceHealth>(
      runtime.clock, ingest::HealthOptions{.heartbeat = std::chrono::seconds(c.heartbeat_seconds),
                                           .missed = c.offline_after_missed});
  std::vector<ingest::DeviceState> devices;
  ANJU_RETURN_IF_ERROR(runtime.db->read([&](store::Connection& conn) -> Status {
    auto rows = conn.query("SELECT id, estate_id, kind, online, last_seen FROM devices");
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) {
      devices.push_back({store::asText(r[0]), store::asInt(r[1]), store::asText(r[2]),
                         store::asInt(r[3]) != 0, store::asInt(r[4])});
    }
    return {};
  }));
  runtime.health->load(devices);
  ANJU_RETURN_IF_ERROR(openAlerting(runtime));
  runtime.ingestor = std::make_unique<ingest::Ingestor>(
      *runtime.db, *runtime.devices, *runtime.blobs, *runtime.writer, *runtime.health,
      runtime.clock,
      ingest::IngestOptions{.max_future_ms = int64_t{c.max_clock_ahead_seconds} * 1000,
                            .max_events = static_cast<std::size_t>(c.max_events_per_batch),
                            .utc_offset_minutes = runtime.utc_offset_minutes});
  return {};
}

// Whether this node runs the timers that must run once among all the nodes on one database:
// always on SQLite, which one node owns; on PostgreSQL, while it holds the "timers" lease.
using Leads = std::function<bool()>;

// Once a second: devices silent too long go offline, and every transition is recorded for the
// rules to alert on; every few seconds the registry's online flag and last_seen catch up.
//
// With several nodes each sees only the devices that talk to it, so each persists its last_seen
// and reads the others'; only the node that leads records transitions and writes `online`, so a
// device going offline is recorded once.
class HealthLoop {
 public:
  HealthLoop(Runtime& runtime, Leads leads)
      : runtime_(runtime),
        leads_(std::move(leads)),
        shared_(runtime.db->dialect() == "postgresql"),
        // Others' sightings arrive a persist late, so persisting is frequent enough to stay well
        // inside the silence that makes a device offline.
        persist_every_(std::clamp(
            runtime.config.heartbeat_seconds * runtime.config.offline_after_missed / 4, 1, 5)),
        timer_(std::chrono::seconds(1), [this] { tick(); }) {}
  ~HealthLoop() {
    timer_.stop();
    persist(leads_());
  }

 private:
  void tick() {
    const bool leads = leads_();
    if (shared_ && ticks_ % persist_every_ == 0) mergeOthers();
    auto changes = runtime_.health->sweep();
    if (leads) {
      Status st = runtime_.event_store->recordStatusChanges(changes);
      if (!st) log::warn("devices.status_not_recorded", {{"error", st.message()}});
      runtime_.alert_engine->deviceChanges(changes);
    }
    if (++ticks_ % persist_every_ == 0) persist(leads);
    // The timed rules (no passage for N hours) need no finer step than a minute.
    if (leads && ticks_ % 60 == 0) runtime_.alert_engine->tick();
  }

  // Sightings persisted by the other nodes since shortly before the last look.
  void mergeOthers() {
    std::vector<ingest::DeviceState> seen;
    int64_t latest = seen_since_;
    Status st = runtime_.db->read([&](store::Connection& c) -> Status {
      auto rows =
          c.query("SELECT id, estate_id, kind, online, last_seen FROM devices WHERE last_seen > ?",
                  {seen_since_});
      if (!rows) return rows.status();
      for (const auto& r : rows->rows) {
        seen.push_back({store::asText(r[0]), store::asInt(r[1]), store::asText(r[2]),
                        store::asInt(r[3]) != 0, store::asInt(r[4])});
        latest = std::max(latest, seen.back().last_seen);
      }
      return {};
    });
    if (!st) {
      log::warn("devices.others_unread", {{"error", st.message()}});
      return;
    }
    runtime_.health->merge(seen);
    // A minute back, for another node whose persist committed late with an earlier last_seen.
    seen_since_ = std::max(seen_since_, latest - 60'000);
  }

  void persist(bool leads) {
    auto dirty = runtime_.health->takeDirty();
    if (dirty.empty()) return;
    // last_seen only moves forward, whichever node wrote it last.
    Status st = runtime_.db->write([&](store::Connection& c) -> Status {
      for (const auto& d : dirty) {
        auto r = leads ? c.execute(
                             "UPDATE devices SET online = ?, last_seen = CASE WHEN last_seen > ? "
                             "THEN last_seen ELSE ? END WHERE id = ?",
                             {int64_t{d.online ? 1 : 0}, d.last_seen, d.last_seen, d.id})
                       : c.execute(
                             "UPDATE devices SET last_seen = CASE WHEN last_seen > ? THEN "
                             "last_seen ELSE ? END WHERE id = ?",
                             {d.last_seen, d.last_seen, d.id});
        if (!r) return r.status();
      }
      return {};
    });
    if (!st) log::warn("devices.state_not_saved", {{"error", st.message()}});
  }

  Runtime& runtime_;
  Leads leads_;
  const bool shared_;
  const int persist_every_;
  int ticks_ = 0;
  int64_t seen_since_ = 0;
  Periodic timer_;  // last: it calls tick() on the members above
};

// Case supervision (督办): reminders for late stages and automatic escalation.
class SupervisionLoop {
 public:
  SupervisionLoop(Runtime& runtime, Leads leads)
      : leads_(std::move(leads)),
        service_(*runtime.db, runtime.blobs.get(), runtime.clock, runtime.config.cases,
                 runtime.utc_offset_minutes),
        timer_(std::chrono::seconds(runtime.config.supervise_seconds), [this] { tick(); }) {}

 private:
  void tick() {
    if (!leads_()) return;
    auto report = service_.supervise();
    if (!report) {
      log::warn("cases.supervision_failed", {{"error", report.status().message()}});
      return;
    }
    if (report->reminded > 0 || report->escalated > 0)
      log::info("cases.supervised", {{"reminded", std::to_string(report->reminded)},
                                     {"escalated", std::to_string(report->escalated)}});
  }

  Leads leads_;
  cases::CaseService service_;
  Periodic timer_;  // last: it calls tick() on the service above
};

// Incidents (1-3-5): the event writer hands each commit's alarms to a queue, the intake raises
// incidents from them on its own thread, and once a second stages past their target escalate.
// The queue is shared with the writer's observer, which may still run after this loop is gone.
class IncidentLoop {
 public:
  IncidentLoop(Runtime& runtime, notify::Publisher* notices, Leads leads)
      : leads_(std::move(leads)),
        service_(*runtime.db, runtime.clock, runtime.config.incidents, runtime.utc_offset_minutes,
                 notices),
        queue_(std::make_shared<incidents::AlarmQueue>()),
        intake_(service_, queue_, runtime.event_store.get()),
        timer_(std::chrono::seconds(1), [this] { tick(); }) {
    runtime.writer->observe(
        [queue = queue_](const std::vector<store::StoredEvent>& stored) { queue->offer(stored); });
  }

 private:
  void tick() {
    if (!leads_()) return;
    auto escalated = service_.escalateLate();
    if (!escalated) {
      log::warn("incidents.escalation_failed", {{"error", escalated.status().message()}});
      return;
    }
    if (*escalated > 0) log::info("incidents.escalated", {{"stages", std::to_string(*escalated)}});
  }

  Leads leads_;
  incidents::IncidentService service_;
  std::shared_ptr<incidents::AlarmQueue> queue_;
  incidents::AlarmIntake intake_;
  Periodic timer_;  // last: it calls tick() on the service above
};

}  // namespace

Result<std::string> ensureAdmin(Runtime& runtime) {
  auto count = runtime.users->count();
  if (!count) return count.status();
  if (*count > 0) return std::string();
  const char* given = std::getenv("ANJU_ADMIN_PASSWORD");
  std::string password = given && *given ? given : crypto::randomPassword(16);
  auto created = runtime.users->create({.username = "admin",
                                        .password = password,
                                        .roles = {"admin"},
                                        .display_name = "系统管理员"});
  if (!created) return created.status();
  log::info("admin.created",
            {{"username", "admin"},
             {"password_from", given && *given ? "ANJU_ADMIN_PASSWORD" : "generated"}});
  return given && *given ? std::string() : password;
}

Status serve(Runtime& runtime, const std::function<void(const std::string& url)>& on_ready) {
  // Signals are taken by this thread alone with sigwait, so no server thread is interrupted.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const Config& c = runtime.config;
  ANJU_RETURN_IF_ERROR(openEvents(runtime));
  // The 1-3-5 timers, supervision, offline detection and retention run on one node at a time.
  std::unique_ptr<store::LeaseKeeper> timers;
  if (runtime.db->dialect() == "postgresql")
    timers = std::make_unique<store::LeaseKeeper>(
        *runtime.db, runtime.clock, "timers", runtime.node, std::chrono::seconds(c.lease_seconds));
  const Leads leads = [&timers] { return !timers || timers->held(); };
  HealthLoop health_loop(runtime, leads);
  SupervisionLoop supervision_loop(runtime, leads);
  // Before ingestion starts: it observes the writer.
  IncidentLoop incident_loop(runtime, runtime.hub.get(), leads);
  openRetention(runtime);
  retention::RetentionJob retention_job(*runtime.retention, leads);
  std::unique_ptr<ingest::MqttSource> mqtt;
  if (!c.mqtt_host.empty()) {
    mqtt = std::make_unique<ingest::MqttSource>(
        mqtt::SubscriberOptions{.host = c.mqtt_host,
                                .port = static_cast<uint16_t>(c.mqtt_port),
                                .client_id = c.mqtt_client_id,
                                .username = c.mqtt_username,
                                .password = c.mqtt_password,
                                .topic = c.mqtt_topic},
        *runtime.ingestor, *runtime.devices);
    mqtt->start();
    log::info("mqtt.subscribing", {{"broker", c.mqtt_host + ":" + std::to_string(c.mqtt_port)},
                                   {"topic", c.mqtt_topic}});
  }
  api::Api api(api::Services{.db = *runtime.db,
                             .records = *runtime.records,
                             .users = *runtime.users,
                             .audit = *runtime.audit,
                             .clock = runtime.clock,
                             .options = {.max_json_depth = c.max_json_depth,
                                         .token_ttl = std::chrono::hours(c.token_ttl_hours),
                                         .utc_offset_minutes = runtime.utc_offset_minutes,
                                         .cases = c.cases,
                                         .incidents = c.incidents,
                                         .face_match_threshold = c.face_match_threshold},
                             .devices = runtime.devices.get(),
                             .events = runtime.writer.get(),
                             .ingestor = runtime.ingestor.get(),
                             .event_store = runtime.event_store.get(),
                             .blobs = runtime.blobs.get(),
                             .health = runtime.health.get(),
                             .notices = runtime.hub.get(),
                             .hub = runtime.hub.get(),
                             .alerts = runtime.alerts.get(),
                             .rules = runtime.rules.get(),
                             .watchlists = runtime.watchlists.get(),
                             .alert_engine = runtime.alert_engine.get(),
                             .faces = runtime.faces.get(),
                             .face_model = runtime.face_model.get(),
                             .retention = runtime.retention.get(),
                             .writer = runtime.writer.get(),
                             .commits = &runtime.commits});
  http::ServerOptions options;
  ANJU_RETURN_IF_ERROR(splitListen(c.listen, options.address, options.port));
  options.io_threads = c.io_threads;
  options.worker_threads = c.worker_threads;
  options.body_limit = c.body_limit_bytes;
  options.trusted_proxies = c.trusted_proxies;
  options.read_timeout = std::chrono::seconds(c.read_timeout_seconds);
  options.idle_timeout = std::chrono::seconds(c.idle_timeout_seconds);
  const web::StaticSite site(c.web_root);
  // The API keeps its own paths outside /api (/healthz, /open311/...); every other page view
  // belongs to the console or the portal.
  http::Server server(options, [&api, &site](const http::Request& r) {
    if (web::StaticSite::wants(r) && !api.router().match(r.method, r.path).route)
      return site.handle(r);
    return api.handle(r);
  });
  auto port = server.start();
  if (!port) return port.status();
  std::string host = options.address.find(':') != std::string::npos ? "[" + options.address + "]"
                                                                    : options.address;
  std::string url = "http://" + host + ":" + std::to_string(*port) + "/";
  log::info("server.listening", {{"url", url}, {"data", c.data_dir}, {"web", c.web_root}});
  if (on_ready) on_ready(url);

  int received = 0;
  sigwait(&signals, &received);
  log::info("server.stopping", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
  if (mqtt) mqtt->stop();
  server.stop();
  log::info("server.stopped");
  return {};
}

}  // namespace anju::app
