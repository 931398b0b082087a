#include "retention/retention_job.h"

#include "common/log.h"

namespace anju::retention {

RetentionJob::RetentionJob(Retention& retention, std::function<bool()> leads,
                           std::chrono::milliseconds first, std::chrono::milliseconds interval)
    : retention_(retention),
      leads_(std::move(leads)),
      timer_(first, interval, [this] { tick(); }) {}

RetentionJob::~RetentionJob() {
  retention_.cancel();
  timer_.stop();
}

void RetentionJob::tick() {
  if (!leads_()) {
    const std::size_t forgotten = retention_.forgetExpired();
    if (forgotten > 0)
      log::info("retention.faces_forgotten", {{"faces", std::to_string(forgotten)}});
    return;
  }
  // Periods may be changed from the console at any time, so the job always runs and looks each day
  // whether there is anything to do.
  auto effective = retention_.effective();
  if (effective && effective->policy.keepsEverything()) return;
  auto report = retention_.run();
  if (!report) {
    log::warn("retention.failed", {{"error", report.status().message()}});
    return;
  }
  log::info("retention.done", {{"captures", std::to_string(report->captures)},
                               {"events", std::to_string(report->events)},
                               {"event_days", std::to_string(report->event_days)},
                               {"derived", std::to_string(report->derived)},
                               {"snapshots", std::to_string(report->snapshots)},
                               {"audit", std::to_string(report->audit)},
                               {"faces", std::to_string(report->faces_forgotten)},
                               {"elapsed_ms", std::to_string(report->elapsed_ms)}});
}

}  // namespace anju::retention
