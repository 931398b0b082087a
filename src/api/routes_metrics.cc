// GET /metrics: the Prometheus text exposition (format 0.0.4). Open to loopback, where the
// scraper or its agent runs beside the server; from anywhere else it takes an admin's token.
#include <algorithm>
#include <memory>

#include "alerts/engine.h"
#include "api/metrics.h"
#include "api/responses.h"
#include "api/routes.h"
#include "faces/face_catalog.h"
#include "ingest/event_writer.h"

namespace anju::api {

namespace {

bool isLoopback(const std::string& address) {
  return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

std::string bearer(const http::Request& request) {
  const std::string header = request.header("authorization");
  return header.rfind("Bearer ", 0) == 0 ? header.substr(7) : std::string();
}

void gauges(std::string& out, Services& services) {
  if (services.writer) {
    const auto w = services.writer->stats();
    family(out, "anju_event_queue_events", "gauge",
           "Events waiting for the group commit (or in the open one)");
    sample(out, "anju_event_queue_events", "", static_cast<double>(w.queued));
    family(out, "anju_event_commits_total", "counter", "Group commits of device events");
    sample(out, "anju_event_commits_total", "", static_cast<double>(w.commits));
    family(out, "anju_events_written_total", "counter",
           "Events offered to the event store, duplicates included");
    sample(out, "anju_events_written_total", "", static_cast<double>(w.events));
  }
  if (services.commits) services.commits->render(out);
  if (services.alert_engine) {
    const auto a = services.alert_engine->stats();
    family(out, "anju_alert_events_checked_total", "counter", "Events matched against the rules");
    sample(out, "anju_alert_events_checked_total", "", static_cast<double>(a.events));
    family(out, "anju_alert_events_skipped_total", "counter",
           "Events not matched because the alert engine's queue was full");
    sample(out, "anju_alert_events_skipped_total", "", static_cast<double>(a.skipped));
    family(out, "anju_alerts_raised_total", "counter", "Alerts raised or updated");
    sample(out, "anju_alerts_raised_total", "", static_cast<double>(a.raised));
    if (services.commits) {
      // Handed over less checked and skipped: what waits or is being matched now.
      const uint64_t handed = services.commits->alertable();
      const uint64_t done = a.events + a.skipped;
      family(out, "anju_alert_queue_events", "gauge", "Events waiting for the alert engine");
      sample(out, "anju_alert_queue_events", "",
             static_cast<double>(handed > done ? handed - done : 0));
    }
  }
  if (services.faces) {
    const auto f = services.faces->status();
    family(out, "anju_face_index_captures", "gauge", "Face captures searchable in the index");
    sample(out, "anju_face_index_captures", "", static_cast<double>(f.indexed));
    family(out, "anju_face_index_queue", "gauge", "Stored captures waiting to be indexed");
    sample(out, "anju_face_index_queue", "", static_cast<double>(f.queued));
    family(out, "anju_face_index_memory_bytes", "gauge", "Memory the face index holds");
    sample(out, "anju_face_index_memory_bytes", "", static_cast<double>(f.memory_bytes));
  }
  if (services.health) {
    // Online as device health sees it; the rest of the registry's devices (those never heard from
    // since the start included) are offline.
    std::size_t online = 0;
    for (const auto& d : services.health->snapshot())
      if (d.online) ++online;
    int64_t registered = 0;
    Status counted = services.db.read([&](store::Connection& c) -> Status {
      auto rows = c.query("SELECT COUNT(*) FROM devices");
      if (!rows) return rows.status();
      registered = rows->scalarInt().value_or(0);
      return {};
    });
    family(out, "anju_devices", "gauge", "Registered devices by state");
    sample(out, "anju_devices", "state=\"online\"", static_cast<double>(online));
    if (counted)
      sample(out, "anju_devices", "state=\"offline\"",
             static_cast<double>(std::max<int64_t>(0, registered - static_cast<int64_t>(online))));
  }
}

}  // namespace

void addMetricsRoutes(Router& router, Services& services, const std::unique_ptr<Metrics>& metrics) {
  router.add({.method = "GET",
              .pattern = "/metrics",
              .summary = "Prometheus metrics (loopback, or an admin's token)",
              .tag = "system",
              .authenticated = false,
              .handler = [&services, &metrics](Call& call) {
                if (!isLoopback(call.request.remote_address)) {
                  auto user = services.users.authenticate(bearer(call.request));
                  if (!user) return errorResponse(user.status());
                  if (!user->hasRole("admin") || user->region_path != "/")
                    return errorResponse(Status::forbidden(
                        "指标仅限本机或全局管理员 (metrics are for loopback or admins of the "
                        "whole installation)"));
                }
                http::Response response;
                response.content_type = "text/plain; version=0.0.4; charset=utf-8";
                metrics->render(response.body);
                gauges(response.body, services);
                return response;
              }});
}

}  // namespace anju::api
