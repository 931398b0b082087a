#include "app/config.h"

#include <toml++/toml.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "common/clock.h"
#include "http/forwarded.h"

namespace anju::app {

namespace {

template <typename T>
void take(const toml::table& table, std::string_view section, std::string_view key, T& out) {
  if (auto value = table[section][key].value<T>()) out = *value;
}

}  // namespace

std::string defaultWebRoot() {
  return ANJU_DEFAULT_WEB_ROOT;
}

Status loadConfigFile(const std::string& path, bool required, Config& c) {
  if (!std::filesystem::exists(path)) {
    if (required)
      return Status::invalid("config", "配置文件不存在 (config file not found: " + path + ")");
    return {};
  }
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::invalid("config",
                           "配置文件有误 (" + path + ": " + std::string(e.description()) + ")");
  }
  take(table, "server", "listen", c.listen);
  take(table, "server", "io_threads", c.io_threads);
  take(table, "server", "worker_threads", c.worker_threads);
  int64_t body_limit = static_cast<int64_t>(c.body_limit_bytes);
  take(table, "server", "body_limit_bytes", body_limit);
  c.body_limit_bytes = static_cast<std::size_t>(std::max<int64_t>(1, body_limit));
  take(table, "server", "read_timeout_seconds", c.read_timeout_seconds);
  take(table, "server", "idle_timeout_seconds", c.idle_timeout_seconds);
  if (const auto* proxies = table["server"]["trusted_proxies"].as_array()) {
    c.trusted_proxies.clear();
    for (const auto& proxy : *proxies) {
      auto address = proxy.value<std::string>();
      if (!address)
        return Status::invalid("trusted_proxies",
                               "trusted_proxies 须为地址列表 (trusted_proxies must be a list of "
                               "addresses, e.g. [\"127.0.0.1\"])");
      c.trusted_proxies.push_back(*address);
    }
  }
  take(table, "store", "data", c.data_dir);
  take(table, "store", "db", c.db_url);
  take(table, "store", "sync_full", c.sync_full);
  take(table, "store", "lease_seconds", c.lease_seconds);
  take(table, "api", "max_json_depth", c.max_json_depth);
  take(table, "api", "token_ttl_hours", c.token_ttl_hours);
  take(table, "api", "utc_offset", c.utc_offset);
  take(table, "log", "level", c.log_level);
  take(table, "web", "root", c.web_root);
  take(table, "devices", "heartbeat_seconds", c.heartbeat_seconds);
  take(table, "devices", "offline_after_missed", c.offline_after_missed);
  take(table, "devices", "max_clock_ahead_seconds", c.max_clock_ahead_seconds);
  take(table, "devices", "max_events_per_batch", c.max_events_per_batch);
  take(table, "devices", "event_queue_limit", c.event_queue_limit);
  take(table, "devices", "events_cache_mib", c.events_cache_mib);
  take(table, "devices", "events_mmap_mib", c.events_mmap_mib);
  take(table, "mqtt", "host", c.mqtt_host);
  take(table, "mqtt", "port", c.mqtt_port);
  take(table, "mqtt", "username", c.mqtt_username);
  take(table, "mqtt", "password", c.mqtt_password);
  take(table, "mqtt", "client_id", c.mqtt_client_id);
  take(table, "mqtt", "topic", c.mqtt_topic);
  auto& k = c.cases;
  for (auto [key, value] :
       {std::pair{"accept_hours", &k.accept_hours}, std::pair{"triage_hours", &k.triage_hours},
        std::pair{"assign_hours", &k.assign_hours}, std::pair{"start_hours", &k.start_hours},
        std::pair{"feedback_hours", &k.feedback_hours}, std::pair{"close_hours", &k.close_hours},
        std::pair{"resolve_days_village", &k.resolve_days_village},
        std::pair{"resolve_days_township", &k.resolve_days_township},
        std::pair{"resolve_days_county", &k.resolve_days_county},
        std::pair{"escalate_after_hours", &k.escalate_after_hours},
        std::pair{"reopen_days", &k.reopen_days}, std::pair{"duplicate_days", &k.duplicate_days},
        std::pair{"supervise_seconds", &c.supervise_seconds}})
    take(table, "cases", key, *value);
  take(table, "cases", "duplicate_similarity", k.duplicate_similarity);
  take(table, "incidents", "ack_seconds", c.incidents.ack_seconds);
  take(table, "incidents", "dispatch_seconds", c.incidents.dispatch_seconds);
  take(table, "incidents", "arrive_seconds", c.incidents.arrive_seconds);
  take(table, "faces", "nlist", c.face_lists);
  take(table, "faces", "nprobe", c.face_probes);
  take(table, "faces", "match_threshold", c.face_match_threshold);
  take(table, "faces", "model", c.face_model);
  take(table, "faces", "model_input_size", c.face_model_input);
  take(table, "faces", "model_mean", c.face_model_mean);
  take(table, "faces", "model_scale", c.face_model_scale);
  take(table, "faces", "model_channels", c.face_model_channels);
  take(table, "retention", "captures", c.retention.captures_days);
  take(table, "retention", "events", c.retention.events_days);
  take(table, "retention", "snapshots", c.retention.snapshots_days);
  take(table, "retention", "audit", c.retention.audit_days);
  return {};
}

Status applyEnvironment(Config& c) {
  auto env = [](const char* name) -> const char* {
    const char* v = std::getenv(name);
    return v && *v ? v : nullptr;
  };
  if (auto v = env("ANJU_DATA")) c.data_dir = v;
  if (auto v = env("ANJU_DB")) c.db_url = v;
  if (auto v = env("ANJU_LISTEN")) c.listen = v;
  if (auto v = env("ANJU_LOG_LEVEL")) c.log_level = v;
  if (auto v = env("ANJU_WEB_ROOT")) c.web_root = v;
  if (auto v = env("ANJU_TRUSTED_PROXIES")) {
    c.trusted_proxies.clear();
    std::string_view rest = v;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string_view part = rest.substr(0, comma);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
      if (!part.empty()) c.trusted_proxies.emplace_back(part);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  if (auto v = env("ANJU_MQTT_HOST")) c.mqtt_host = v;
  if (auto v = env("ANJU_MQTT_USERNAME")) c.mqtt_username = v;
  // The broker password comes from the environment or the file, never a flag (ps shows flags).
  if (auto v = env("ANJU_MQTT_PASSWORD")) c.mqtt_password = v;
  if (auto v = env("ANJU_MQTT_PORT")) {
    try {
      c.mqtt_port = std::stoi(v);
    } catch (...) {
      return Status::invalid("ANJU_MQTT_PORT", "ANJU_MQTT_PORT must be a port number");
    }
  }
  if (auto v = env("ANJU_UTC_OFFSET")) c.utc_offset = v;
  if (auto v = env("ANJU_BODY_LIMIT")) {
    try {
      c.body_limit_bytes = std::stoull(v);
    } catch (...) {
      return Status::invalid("ANJU_BODY_LIMIT", "ANJU_BODY_LIMIT must be a number of bytes");
    }
  }
  return {};
}

Status splitListen(const std::string& listen, std::string& host, uint16_t& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::invalid("listen", "listen must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  try {
    std::size_t used = 0;
    int p = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || p < 0 || p > 65535) throw std::out_of_range("port");
    port = static_cast<uint16_t>(p);
  } catch (...) {
    return Status::invalid("listen", "listen must end in a port number 0-65535");
  }
  return {};
}

Status validate(const Config& c) {
  std::string host;
  uint16_t port = 0;
  ANJU_RETURN_IF_ERROR(splitListen(c.listen, host, port));
  if (!parseUtcOffset(c.utc_offset))
    return Status::invalid("utc_offset", "utc_offset must look like +08:00");
  for (const auto& proxy : c.trusted_proxies) {
    if (!http::isIpAddress(proxy))
      return Status::invalid("trusted_proxies", "trusted_proxies 中的 \"" + proxy +
                                                    "\" 不是 IP 地址 (is not an IP address)");
  }
  if (c.io_threads < 1 || c.worker_threads < 1)
    return Status::invalid("threads", "thread counts must be at least 1");
  if (c.max_json_depth < 2)
    return Status::invalid("max_json_depth", "max_json_depth must be at least 2");
  if (c.token_ttl_hours < 1)
    return Status::invalid("token_ttl_hours", "token_ttl_hours must be at least 1");
  if (c.lease_seconds < 3)
    return Status::invalid("store.lease_seconds", "lease_seconds must be at least 3");
  if (c.heartbeat_seconds < 1 || c.offline_after_missed < 1)
    return Status::invalid("heartbeat_seconds",
                           "heartbeat_seconds and offline_after_missed must be at least 1");
  if (c.max_events_per_batch < 1 || c.event_queue_limit < 1 || c.max_clock_ahead_seconds < 0)
    return Status::invalid("max_events_per_batch", "event limits must be positive");
  if (c.mqtt_port < 1 || c.mqtt_port > 65535)
    return Status::invalid("mqtt.port", "mqtt.port must be 1-65535");
  const auto& k = c.cases;
  for (int v :
       {k.accept_hours, k.triage_hours, k.assign_hours, k.start_hours, k.feedback_hours,
        k.close_hours, k.resolve_days_village, k.resolve_days_township, k.resolve_days_county,
        k.escalate_after_hours, k.reopen_days, k.duplicate_days, c.supervise_seconds}) {
    if (v < 1)
      return Status::invalid("cases", "[cases] deadlines and intervals must be at least 1");
  }
  if (!(k.duplicate_similarity > 0 && k.duplicate_similarity <= 1))
    return Status::invalid("cases.duplicate_similarity",
                           "duplicate_similarity must be above 0 and at most 1");
  const auto& i = c.incidents;
  if (i.ack_seconds < 1 || i.dispatch_seconds < i.ack_seconds ||
      i.arrive_seconds < i.dispatch_seconds)
    return Status::invalid("incidents",
                           "[incidents] targets must be at least 1 second and in order: "
                           "ack_seconds <= dispatch_seconds <= arrive_seconds");
  if (c.face_lists < 1 || c.face_lists > 65536)
    return Status::invalid("faces.nlist", "faces.nlist must be 1-65536");
  if (c.face_probes < 1 || c.face_probes > c.face_lists)
    return Status::invalid("faces.nprobe", "faces.nprobe must be 1 to faces.nlist");
  if (!(c.face_match_threshold >= 0 && c.face_match_threshold <= 1))
    return Status::invalid("faces.match_threshold", "faces.match_threshold must be 0 to 1");
  if (c.face_model_channels != "rgb" && c.face_model_channels != "bgr")
    return Status::invalid("faces.model_channels", "faces.model_channels must be rgb or bgr");
  if (!(c.face_model_scale > 0) || !std::isfinite(c.face_model_mean))
    return Status::invalid("faces.model_scale",
                           "faces.model_scale must be above 0 and faces.model_mean a number");
  const auto& r = c.retention;
  for (auto [name, days] : {std::pair{"retention.captures", r.captures_days},
                            std::pair{"retention.events", r.events_days},
                            std::pair{"retention.snapshots", r.snapshots_days},
                            std::pair{"retention.audit", r.audit_days}}) {
    if (days < 0)
      return Status::invalid(name, std::string("保留天数不能为负 (") + name +
                                       " must be 0, keep forever, or a number of days)");
  }
  return {};
}

}  // namespace anju::app
