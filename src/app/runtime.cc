#include "app/runtime.h"

#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "api/api.h"
#include "common/crypto.h"
#include "common/log.h"
#include "http/server.h"
#include "store/migrations.h"

namespace anju::app {

Result<std::unique_ptr<Runtime>> openRuntime(const Config& config) {
  ANJU_RETURN_IF_ERROR(validate(config));
  if (!config.db_url.empty()) {
    return Status::invalid(
        "db", "本版本仅支持 SQLite 存储 (this build stores data in SQLite only; omit --db)");
  }
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec)
    return Status{Code::kUnavailable,
                  "cannot create data folder " + config.data_dir + ": " + ec.message()};

  auto runtime = std::make_unique<Runtime>();
  runtime->config = config;
  runtime->utc_offset_minutes = *parseUtcOffset(config.utc_offset);
  store::SqliteOptions options{
      .path = (std::filesystem::path(config.data_dir) / "anju.db").string(),
      .read_connections = std::max(2, config.worker_threads),
      .synchronous_full = config.sync_full};
  auto db = store::openSqlite(options);
  if (!db) return db.status();
  runtime->db = std::move(*db);
  ANJU_RETURN_IF_ERROR(store::migrate(*runtime->db, store::sqliteMigrations()));
  runtime->records = std::make_unique<store::RecordStore>(*runtime->db, runtime->clock,
                                                          runtime->utc_offset_minutes);
  runtime->users = std::make_unique<store::UserStore>(*runtime->db, runtime->clock);
  runtime->audit =
      std::make_unique<store::AuditLog>(*runtime->db, runtime->clock, runtime->utc_offset_minutes);
  runtime->devices = std::make_unique<store::DeviceDirectory>(*runtime->db, runtime->clock);
  return runtime;
}

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
  api::Api api(api::Services{.db = *runtime.db,
                             .records = *runtime.records,
                             .users = *runtime.users,
                             .audit = *runtime.audit,
                             .clock = runtime.clock,
                             .options = {.max_json_depth = c.max_json_depth,
                                         .token_ttl = std::chrono::hours(c.token_ttl_hours),
                                         .utc_offset_minutes = runtime.utc_offset_minutes},
                             .devices = runtime.devices.get()});
  http::ServerOptions options;
  ANJU_RETURN_IF_ERROR(splitListen(c.listen, options.address, options.port));
  options.io_threads = c.io_threads;
  options.worker_threads = c.worker_threads;
  options.body_limit = c.body_limit_bytes;
  options.read_timeout = std::chrono::seconds(c.read_timeout_seconds);
  options.idle_timeout = std::chrono::seconds(c.idle_timeout_seconds);
  http::Server server(options, [&api](const http::Request& r) { return api.handle(r); });
  auto port = server.start();
  if (!port) return port.status();
  std::string host = options.address.find(':') != std::string::npos ? "[" + options.address + "]"
                                                                    : options.address;
  std::string url = "http://" + host + ":" + std::to_string(*port) + "/";
  log::info("server.listening", {{"url", url}, {"data", c.data_dir}});
  if (on_ready) on_ready(url);

  int received = 0;
  sigwait(&signals, &received);
  log::info("server.stopping", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
  server.stop();
  log::info("server.stopped");
  return {};
}

}  // namespace anju::app
