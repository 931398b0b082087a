#include "retention/retention.h"

#include <algorithm>
#include <set>
#include <thread>

namespace anju::retention {

using nlohmann::json;

namespace {

constexpr int64_t kDayMs = 86'400'000;

json kindJson(const KindPlan& k, int offset, bool with_bytes) {
  json out = {{"days", k.days}, {"count", k.count}};
  if (k.days <= 0) return out;
  out["before"] = formatTimestamp(k.before_ms, offset);
  out["first"] = k.count ? json(formatTimestamp(k.first_ms, offset)) : json(nullptr);
  out["last"] = k.count ? json(formatTimestamp(k.last_ms, offset)) : json(nullptr);
  if (with_bytes) out["bytes"] = k.bytes;
  return out;
}

}  // namespace

Retention::Retention(Stores stores, const Clock& clock, RetentionPolicy config,
                     RetentionOptions options)
    : stores_(stores), clock_(clock), config_(config), options_(options) {}

Retention::Cutoffs Retention::cutoffs(const RetentionPolicy& policy, int64_t now_ms) {
  Cutoffs c;
  c.at_ms = now_ms;
  const int64_t today = store::EventStore::dayOf(c.at_ms);
  if (policy.events_days > 0) c.events_day = today - policy.events_days;
  if (policy.captures_days > 0) c.captures_day = today - policy.captures_days;
  if (policy.snapshots_days > 0) c.snapshots_ms = c.at_ms - policy.snapshots_days * kDayMs;
  if (policy.audit_days > 0) c.audit_ms = c.at_ms - policy.audit_days * kDayMs;
  return c;
}

Result<EffectivePolicy> Retention::effective() const {
  EffectivePolicy out;
  Status s = stores_.registry.read([&](store::Connection& c) -> Status {
    auto found = effectivePolicy(c, config_);
    if (!found) return found.status();
    out = std::move(*found);
    return {};
  });
  if (!s) return s;
  return out;
}

Result<EffectivePolicy> Retention::change(const std::vector<DaysChange>& changes,
                                          store::AuditEntry entry) {
  EffectivePolicy after;
  Status s = stores_.registry.write([&](store::Connection& c) -> Status {
    auto before = effectivePolicy(c, config_);
    if (!before) return before.status();
    auto detail = applyChanges(c, *before, changes, entry.user, clock_.nowMillis());
    if (!detail) return detail.status();
    entry.detail = *detail;
    ANJU_RETURN_IF_ERROR(stores_.audit.recordIn(c, entry));
    auto now = effectivePolicy(c, config_);
    if (!now) return now.status();
    after = std::move(*now);
    return {};
  });
  if (!s) return s;
  return after;
}

Status Retention::interrupted() const {
  if (cancelled_) return {Code::kUnavailable, "interrupted: the server is stopping"};
  return {};
}

Status Retention::nextBatch() const {
  if (options_.pause.count() > 0) std::this_thread::sleep_for(options_.pause);
  return interrupted();
}

Result<std::set<std::string>> Retention::attachedBlobs() const {
  std::set<std::string> out;
  Status s = stores_.registry.read([&](store::Connection& c) -> Status {
    auto rows = c.query("SELECT DISTINCT sha256 FROM case_attachments");
    if (!rows) return rows.status();
    for (const auto& r : rows->rows) out.insert(store::asText(r[0]));
    return {};
  });
  if (!s) return s;
  return out;
}

Result<RetentionPlan> Retention::plan(const std::vector<DaysChange>& proposed) const {
  auto effective_now = effective();
  if (!effective_now) return effective_now.status();
  auto previewed = withChanges(*effective_now, proposed);
  if (!previewed) return previewed.status();
  effective_now->policy = *previewed;
  const RetentionPolicy& policy = effective_now->policy;
  const Cutoffs c = cutoffs(policy, clock_.nowMillis());
  RetentionPlan p;
  p.at_ms = c.at_ms;
  p.events.days = policy.events_days;
  p.captures.days = policy.captures_days;
  p.snapshots.days = policy.snapshots_days;
  p.audit.days = policy.audit_days;
  p.effective = std::move(*effective_now);
  for (const auto& change : proposed) p.proposed.push_back(change.kind);
  if (stores_.events && c.events_day) {
    p.events.before_ms = c.events_day * kDayMs;
    auto span = stores_.events->eventsBefore(c.events_day);
    if (!span) return span.status();
    p.events.count = span->count;
    p.events.first_ms = span->first_ms;
    p.events.last_ms = span->last_ms;
    auto derived = stores_.events->derivedBefore(p.events.before_ms);
    if (!derived) return derived.status();
    p.events.derived = *derived;
  }
  if (stores_.events && c.captures_day) {
    p.captures.before_ms = c.captures_day * kDayMs;
    // Captures of days that go whole are counted among the events.
    auto span = stores_.events->capturesBefore(c.events_day, c.captures_day);
    if (!span) return span.status();
    p.captures.count = span->count;
    p.captures.first_ms = span->first_ms;
    p.captures.last_ms = span->last_ms;
  }
  if (stores_.blobs && c.snapshots_ms) {
    p.snapshots.before_ms = c.snapshots_ms;
    auto attached = attachedBlobs();
    if (!attached) return attached.status();
    auto old = stores_.blobs->storedBefore(c.snapshots_ms);
    if (!old) return old.status();
    store::EventSpan span;
    for (const auto& b : *old) {
      if (attached->count(b.hash)) continue;
      span.add({.count = 1, .first_ms = b.modified_ms, .last_ms = b.modified_ms});
      p.snapshots.bytes += b.bytes;
    }
    p.snapshots.count = span.count;
    p.snapshots.first_ms = span.first_ms;
    p.snapshots.last_ms = span.last_ms;
  }
  if (c.audit_ms) {
    p.audit.before_ms = c.audit_ms;
    auto span = stores_.audit.olderThan(c.audit_ms);
    if (!span) return span.status();
    p.audit.count = span->count;
    p.audit.first_ms = span->first_ms;
    p.audit.last_ms = span->last_ms;
  }
  return p;
}

Status Retention::removeEvents(const Cutoffs& c, RetentionReport& report) {
  if (!stores_.events) return {};
  if (c.events_day) {
    for (int64_t day : stores_.events->daysBefore(c.events_day)) {
      store::CaptureBatch batch;
      do {
        auto next = stores_.events->removeDayBatch(day, options_.batch);
        if (!next) return next.status();
        batch = *next;
        report.events += batch.removed;
        ANJU_RETURN_IF_ERROR(nextBatch());
      } while (!batch.done);
      report.event_days += 1;
    }
    for (;;) {
      auto removed = stores_.events->removeDerivedBefore(c.events_day * kDayMs, options_.batch);
      if (!removed) return removed.status();
      report.derived += *removed;
      if (*removed == 0) break;
      ANJU_RETURN_IF_ERROR(nextBatch());
    }
  }
  if (c.captures_day) {
    for (int64_t day : stores_.events->daysBefore(c.captures_day)) {
      if (day < c.events_day) continue;
      store::CaptureBatch batch;
      do {
        auto next = stores_.events->removeCaptures(day, batch.last_seq, options_.batch);
        if (!next) return next.status();
        batch = *next;
        report.captures += batch.removed;
        if (batch.removed) {
          ANJU_RETURN_IF_ERROR(nextBatch());
        }
      } while (!batch.done);
    }
  }
  // The index forgets what the store no longer holds, so a search never answers with a capture
  // that is gone.
  const int64_t forget_day = std::max(c.events_day, c.captures_day);
  if (stores_.faces && forget_day)
    report.faces_forgotten = stores_.faces->dropBefore(forget_day * kDayMs);
  return {};
}

Status Retention::removeSnapshots(const Cutoffs& c, RetentionReport& report) {
  if (!stores_.blobs || !c.snapshots_ms) return {};
  // A case's attachments are records, not snapshots: they stay as long as the case.
  auto attached = attachedBlobs();
  if (!attached) return attached.status();
  auto old = stores_.blobs->storedBefore(c.snapshots_ms);
  if (!old) return old.status();
  int in_batch = 0;
  for (const auto& b : *old) {
    if (attached->count(b.hash)) continue;
    auto removed = stores_.blobs->removeIfStoredBefore(b.hash, c.snapshots_ms);
    if (!removed) return removed.status();
    if (*removed) ++report.snapshots;
    if (++in_batch == options_.batch) {
      in_batch = 0;
      ANJU_RETURN_IF_ERROR(nextBatch());
    }
  }
  return {};
}

Status Retention::removeAudit(const Cutoffs& c, RetentionReport& report) {
  if (!c.audit_ms) return {};
  for (;;) {
    auto removed = stores_.audit.removeOlderThan(c.audit_ms, options_.batch);
    if (!removed) return removed.status();
    report.audit += *removed;
    if (*removed < options_.batch) return {};
    ANJU_RETURN_IF_ERROR(nextBatch());
  }
}

std::size_t Retention::forgetExpired() {
  auto effective_now = effective();
  if (!effective_now || !stores_.faces) return 0;
  const Cutoffs c = cutoffs(effective_now->policy, clock_.nowMillis());
  const int64_t forget_day = std::max(c.events_day, c.captures_day);
  return forget_day ? stores_.faces->dropBefore(forget_day * kDayMs) : 0;
}

Result<RetentionReport> Retention::run() {
  const auto started = std::chrono::steady_clock::now();
  auto effective_now = effective();
  if (!effective_now) return effective_now.status();
  const Cutoffs c = cutoffs(effective_now->policy, clock_.nowMillis());
  RetentionReport report;
  Status s = interrupted();
  if (s) s = removeEvents(c, report);
  if (s) s = removeSnapshots(c, report);
  if (s) s = removeAudit(c, report);
  report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  std::string detail =
      "captures=" + std::to_string(report.captures) + " events=" + std::to_string(report.events) +
      " event_days=" + std::to_string(report.event_days) +
      " derived=" + std::to_string(report.derived) +
      " snapshots=" + std::to_string(report.snapshots) + " audit=" + std::to_string(report.audit) +
      " faces=" + std::to_string(report.faces_forgotten);
  if (!s) detail += " failed=" + s.message();
  Status audited = stores_.audit.record({.user = "system:retention",
                                         .action = "retention",
                                         .object = "retention",
                                         .address = "local",
                                         .detail = detail});
  if (!s) return s;
  if (!audited) return audited;
  return report;
}

json planJson(const RetentionPlan& plan, int offset) {
  const EffectivePolicy& e = plan.effective;
  json settings = json::object(), sources = json::object(), config = json::object();
  json changed = json::object();
  for (const auto& k : kKinds) {
    const std::string kind(k.name);
    settings[kind] = e.policy.*(k.days);
    const bool previewed =
        std::find(plan.proposed.begin(), plan.proposed.end(), kind) != plan.proposed.end();
    sources[kind] = previewed ? std::string_view("proposed") : e.source(k.name);
    config[kind] = e.config.*(k.days);
    if (auto s = e.stored.find(k.name); s != e.stored.end())
      changed[kind] = {{"by", s->second.updated_by},
                       {"at", formatTimestamp(s->second.updated_at, offset)}};
  }
  return {{"settings", settings},
          {"sources", sources},
          {"config", config},
          {"changed", changed},
          {"at", formatTimestamp(plan.at_ms, offset)},
          {"captures", kindJson(plan.captures, offset, false)},
          {"events",
           [&] {
             json e = kindJson(plan.events, offset, false);
             if (plan.events.days > 0) e["derived"] = plan.events.derived;
             return e;
           }()},
          {"snapshots", kindJson(plan.snapshots, offset, true)},
          {"audit", kindJson(plan.audit, offset, false)}};
}

}  // namespace anju::retention
