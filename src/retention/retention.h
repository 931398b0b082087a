// Retention (SPEC §8): data older than the configured days removed, each kind in small
// transactions so that ingestion and auditing never wait long behind it, and every run audited.
//
// Events and captures go by whole UTC days, the granularity of the event store's tables and the
// face index's partitions: "keep 30 days" keeps today and the 30 whole days before it. Snapshots
// and audit records go by the exact time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/clock.h"
#include "faces/face_catalog.h"
#include "retention/retention_policy.h"
#include "retention/retention_settings.h"
#include "store/audit_log.h"
#include "store/blob_store.h"
#include "store/database.h"
#include "store/event_store.h"

namespace anju::retention {

// What would go of one kind: how many, the first and last time among them, and the bytes of
// snapshots.
struct KindPlan {
  int days = 0;  // 0: kept forever, nothing goes
  int64_t before_ms = 0;
  int64_t count = 0;
  int64_t first_ms = 0, last_ms = 0;
  uint64_t bytes = 0;
  int64_t derived = 0;  // events only: vehicle visits and device status changes
};

struct RetentionPlan {
  int64_t at_ms = 0;
  EffectivePolicy effective;          // the periods it was made with, and where each came from
  std::vector<std::string> proposed;  // kinds whose period is a preview, not in force
  KindPlan captures, events, snapshots, audit;
};

struct RetentionReport {
  int64_t captures = 0;
  int64_t events = 0;
  int64_t event_days = 0;
  int64_t derived = 0;
  int64_t snapshots = 0;
  int64_t audit = 0;
  std::size_t faces_forgotten = 0;
  int64_t elapsed_ms = 0;
};

struct Stores {
  store::Database& registry;  // which blobs cases name
  store::AuditLog& audit;
  store::EventStore* events = nullptr;  // nullptr: events and captures are not looked at
  store::BlobStore* blobs = nullptr;
  faces::FaceCatalog* faces = nullptr;  // nullptr: no index to tell
};

struct RetentionOptions {
  int batch = 2000;  // rows or files per transaction
  // Between batches: lets the writers that queued behind one batch go first.
  std::chrono::milliseconds pause{5};
};

class Retention {
 public:
  // `config` is the configuration file's [retention]; a period set from the console (see
  // retention_settings.h) holds instead, read afresh by every plan and run.
  Retention(Stores stores, const Clock& clock, RetentionPolicy config,
            RetentionOptions options = {});

  // What a run now would remove; removes nothing. `proposed` periods (checked; kInvalid naming the
  // kind) stand in for those in force, so that a change can be previewed before it is saved.
  Result<RetentionPlan> plan(const std::vector<DaysChange>& proposed = {}) const;
  // Removes it, and records one audit entry with the counts (also when it fails or is cancelled
  // part way).
  Result<RetentionReport> run();
  // On a node that does not run retention itself (another node on the same database does): its
  // face index forgets what the running node removes from the store. Returns how many it forgot.
  std::size_t forgetExpired();
  // Ends a run in progress at its next batch, and every later one at its first: the server is
  // stopping.
  void cancel() { cancelled_ = true; }

  // The periods in force now.
  Result<EffectivePolicy> effective() const;
  // Changes periods from the console, writing the audit record `entry` (its detail filled with the
  // old and new values) in the same transaction. Returns the periods in force afterwards.
  Result<EffectivePolicy> change(const std::vector<DaysChange>& changes, store::AuditEntry entry);

 private:
  struct Cutoffs {
    int64_t at_ms = 0;
    int64_t events_day = 0, captures_day = 0;  // first day kept; 0: kept forever
    int64_t snapshots_ms = 0, audit_ms = 0;    // first time kept; 0: kept forever
  };
  static Cutoffs cutoffs(const RetentionPolicy& policy, int64_t now_ms);
  Result<std::set<std::string>> attachedBlobs() const;
  Status removeEvents(const Cutoffs& c, RetentionReport& report);
  Status removeSnapshots(const Cutoffs& c, RetentionReport& report);
  Status removeAudit(const Cutoffs& c, RetentionReport& report);
  // Between batches: pauses, and ends the run if it was cancelled.
  Status nextBatch() const;
  Status interrupted() const;

  Stores stores_;
  const Clock& clock_;
  RetentionPolicy config_;
  RetentionOptions options_;
  std::atomic<bool> cancelled_{false};
};

// The settings and the plan as the API and `anju retention --dry-run` show them.
nlohmann::json planJson(const RetentionPlan& plan, int utc_offset_minutes);

}  // namespace anju::retention
