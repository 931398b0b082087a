// The audit log: who read which personal data, searched or exported what, from where and why.
// Each record carries the hash of the one before it, so an edited, inserted or deleted record
// breaks the chain and `anju audit verify` finds it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/database.h"

namespace anju::store {

struct AuditEntry {
  std::string user;
  std::string action;  // "read", "list", "export", "import", "search", "login", ...
  std::string object;  // "persons", "audit", ...
  std::string object_id;
  std::string purpose;
  std::string address;  // the client's address
  std::string detail;   // the filters of a list, the count of an export
};

struct AuditQuery {
  std::optional<int64_t> from_ms, to_ms;
  std::string user, object, action;
  std::string cursor;
  int limit = 100;
};

struct AuditPage {
  std::vector<nlohmann::json> items;
  std::optional<std::string> next;
};

struct AuditVerification {
  int64_t checked = 0;
  int64_t anchor_id = 0;             // records up to this one were removed by retention; 0: none
  std::optional<int64_t> broken_at;  // the first record whose hash does not follow
  std::string problem;
};

// Records older than a time: how many, and their first and last times (0 when there are none).
struct AuditSpan {
  int64_t count = 0;
  int64_t first_ms = 0, last_ms = 0;
};

class AuditLog {
 public:
  AuditLog(Database& db, const Clock& clock, int utc_offset_minutes);

  // Returns once the record is committed. Concurrent callers share one transaction (group
  // commit), so auditing every read does not serialise the readers behind one commit each.
  Status record(const AuditEntry& entry);
  // The same inside a caller's transaction, so that the record commits with what it describes.
  Status recordIn(Connection& c, const AuditEntry& entry);
  Result<AuditPage> query(const AuditQuery& query);
  Result<AuditVerification> verify();

  // Retention: the records stamped before `before_ms`.
  Result<AuditSpan> olderThan(int64_t before_ms);
  // Removes up to `limit` of the oldest records stamped before `before_ms`, in one transaction that
  // also moves the anchor to the last one removed. Returns how many went (0: none left to remove).
  Result<int64_t> removeOlderThan(int64_t before_ms, int limit);

  static std::string chainHash(const std::string& prev_hash, const std::vector<Value>& row);

 private:
  struct ChainHead {
    int64_t id = 0;
    std::string hash;
  };
  Status chainHead(Connection& c, ChainHead& head);
  Status append(Connection& c, const AuditEntry& entry, ChainHead& head);

  struct Batch {
    std::vector<AuditEntry> entries;
    Status status;
    bool done = false;
  };

  Database& db_;
  const Clock& clock_;
  int utc_offset_minutes_;
  std::mutex batch_mutex_;
  std::condition_variable batch_done_;
  std::shared_ptr<Batch> open_batch_;  // GUARDED_BY(batch_mutex_)
  bool writing_ = false;               // GUARDED_BY(batch_mutex_): a leader is committing a batch
};

}  // namespace anju::store
