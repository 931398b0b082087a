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
  Retention(Stores stores, const Clock& clock, RetentionPolicy policy,
            RetentionOptions options = {});

  // What a run now would remove; removes nothing.
  Result<RetentionPlan> plan() const;
  // Removes it, and records one audit entry with the counts (also when it fails or is cancelled
  // part way).
  Result<RetentionReport> run();
  // Ends a run in progress at its next batch, and every later one at its first: the server is
  // stopping.
  void cancel() { cancelled_ = true; }
  const RetentionPolicy& policy() const { return policy_; }

 private:
  struct Cutoffs {
    int64_t at_ms = 0;
    int64_t events_day = 0, captures_day = 0;  // first day kept; 0: kept forever
    int64_t snapshots_ms = 0, audit_ms = 0;    // first time kept; 0: kept forever
  };
  Cutoffs cutoffs() const;
  Result<std::set<std::string>> attachedBlobs() const;
  Status removeEvents(const Cutoffs& c, RetentionReport& report);
  Status removeSnapshots(const Cutoffs& c, RetentionReport& report);
  Status removeAudit(const Cutoffs& c, RetentionReport& report);
  // Between batches: pauses, and ends the run if it was cancelled.
  Status nextBatch() const;
  Status interrupted() const;

  Stores stores_;
  const Clock& clock_;
  RetentionPolicy policy_;
  RetentionOptions options_;
  std::atomic<bool> cancelled_{false};
};

// The settings and the plan as the API and `anju retention --dry-run` show them.
nlohmann::json planJson(const RetentionPolicy& policy, const RetentionPlan& plan,
                        int utc_offset_minutes);

}  // namespace anju::retention
