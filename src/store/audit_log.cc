#include "store/audit_log.h"

#include <charconv>

#include "common/crypto.h"

namespace anju::store {

using nlohmann::json;

namespace {

constexpr const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

// id, ts, user, action, object, object_id, purpose, address, detail: the hashed columns, in order.
constexpr const char* kColumns =
    "id, ts, user_name, action, object, object_id, purpose, address, detail, prev_hash, hash";

}  // namespace

AuditLog::AuditLog(Database& db, const Clock& clock, int utc_offset_minutes)
    : db_(db), clock_(clock), utc_offset_minutes_(utc_offset_minutes) {}

std::string AuditLog::chainHash(const std::string& prev_hash, const std::vector<Value>& row) {
  json canonical = json::array();
  for (std::size_t i = 0; i < 9; ++i) {
    if (i <= 1) {
      canonical.push_back(asInt(row[i]));
    } else {
      canonical.push_back(asText(row[i]));
    }
  }
  return crypto::sha256Hex(prev_hash + "\n" + canonical.dump());
}

namespace {

// Held by the transaction that appends to the chain, on every node.
constexpr int64_t kChainLock = 0x616e6a75'617564;

// Where the kept chain starts: after the last record retention removed, or from the beginning.
Status chainStart(Connection& c, int64_t& id, std::string& hash) {
  auto anchor = c.query("SELECT last_id, last_hash FROM audit_anchor WHERE id = 1");
  if (!anchor) return anchor.status();
  id = anchor->empty() ? 0 : asInt(anchor->rows[0][0]);
  hash = anchor->empty() ? kGenesis : asText(anchor->rows[0][1]);
  return {};
}

}  // namespace

Status AuditLog::chainHead(Connection& c, ChainHead& head) {
  // Several nodes on one PostgreSQL database append to the one chain: each waits here until the
  // others' appends are committed, and then reads the head they left.
  ANJU_RETURN_IF_ERROR(c.lockUntilCommit(kChainLock));
  auto last = c.query("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
  if (!last) return last.status();
  if (last->empty()) return chainStart(c, head.id, head.hash);
  head.id = asInt(last->rows[0][0]);
  head.hash = asText(last->rows[0][1]);
  return {};
}

Status AuditLog::append(Connection& c, const AuditEntry& e, ChainHead& head) {
  std::vector<Value> row{head.id + 1, clock_.nowMillis(), e.user,    e.action, e.object,
                         e.object_id, e.purpose,          e.address, e.detail};
  std::string hash = chainHash(head.hash, row);
  row.emplace_back(head.hash);
  row.emplace_back(hash);
  auto inserted = c.execute(
      std::string("INSERT INTO audit (") + kColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      row);
  if (!inserted) return inserted.status();
  head.id += 1;
  head.hash = std::move(hash);
  return {};
}

Status AuditLog::recordIn(Connection& c, const AuditEntry& e) {
  ChainHead head;
  ANJU_RETURN_IF_ERROR(chainHead(c, head));
  return append(c, e, head);
}

Status AuditLog::record(const AuditEntry& entry) {
  std::unique_lock lock(batch_mutex_);
  if (!open_batch_) open_batch_ = std::make_shared<Batch>();
  std::shared_ptr<Batch> mine = open_batch_;
  mine->entries.push_back(entry);
  while (!mine->done) {
    if (writing_) {
      batch_done_.wait(lock);
      continue;
    }
    // No commit is running: this caller commits everything queued so far, its own record included
    // (or, if its record missed the last batch, the batch it is in now).
    writing_ = true;
    std::shared_ptr<Batch> batch = std::move(open_batch_);
    lock.unlock();
    Status s = db_.write([&](Connection& c) -> Status {
      ChainHead head;
      ANJU_RETURN_IF_ERROR(chainHead(c, head));
      for (const auto& e : batch->entries) ANJU_RETURN_IF_ERROR(append(c, e, head));
      return {};
    });
    lock.lock();
    batch->status = s;
    batch->done = true;
    writing_ = false;
    batch_done_.notify_all();
  }
  return mine->status;
}

Result<AuditPage> AuditLog::query(const AuditQuery& q) {
  if (q.limit < 1 || q.limit > 1000)
    return Status::invalid("limit", "limit must be between 1 and 1000");
  std::string where = "1 = 1";
  std::vector<Value> params;
  if (q.from_ms) {
    where += " AND ts >= ?";
    params.emplace_back(*q.from_ms);
  }
  if (q.to_ms) {
    where += " AND ts < ?";
    params.emplace_back(*q.to_ms);
  }
  if (!q.user.empty()) {
    where += " AND user_name = ?";
    params.emplace_back(q.user);
  }
  if (!q.object.empty()) {
    where += " AND object = ?";
    params.emplace_back(q.object);
  }
  if (!q.action.empty()) {
    where += " AND action = ?";
    params.emplace_back(q.action);
  }
  if (!q.cursor.empty()) {
    int64_t cursor = 0;
    auto [ptr, ec] = std::from_chars(q.cursor.data(), q.cursor.data() + q.cursor.size(), cursor);
    if (ec != std::errc() || ptr != q.cursor.data() + q.cursor.size()) {
      return Status::invalid("cursor", "cursor is not one this server gave out");
    }
    where += " AND id < ?";
    params.emplace_back(cursor);
  }
  params.emplace_back(int64_t{q.limit + 1});
  AuditPage page;
  Status s = db_.read([&](Connection& c) -> Status {
    // Newest first: an auditor looks at what just happened.
    auto rows = c.query(std::string("SELECT ") + kColumns + " FROM audit WHERE " + where +
                            " ORDER BY id DESC LIMIT ?",
                        params);
    if (!rows) return rows.status();
    std::size_t n = std::min<std::size_t>(rows->size(), static_cast<std::size_t>(q.limit));
    for (std::size_t i = 0; i < n; ++i) {
      const auto& r = rows->rows[i];
      json item = {
          {"id", asInt(r[0])},       {"ts", formatTimestamp(asInt(r[1]), utc_offset_minutes_)},
          {"user", asText(r[2])},    {"action", asText(r[3])},
          {"object", asText(r[4])},  {"object_id", asText(r[5])},
          {"address", asText(r[7])}, {"hash", asText(r[10])}};
      if (!asText(r[6]).empty()) item["purpose"] = asText(r[6]);
      if (!asText(r[8]).empty()) item["detail"] = asText(r[8]);
      page.items.push_back(std::move(item));
    }
    if (rows->size() > n) page.next = std::to_string(page.items.back()["id"].get<int64_t>());
    return {};
  });
  if (!s) return s;
  return page;
}

Result<AuditVerification> AuditLog::verify() {
  AuditVerification report;
  Status s = db_.read([&](Connection& c) -> Status {
    std::string prev;
    int64_t after = 0;
    ANJU_RETURN_IF_ERROR(chainStart(c, after, prev));
    report.anchor_id = after;
    int64_t expected_id = after + 1;
    while (true) {
      auto rows = c.query(
          std::string("SELECT ") + kColumns + " FROM audit WHERE id > ? ORDER BY id LIMIT 5000",
          {after});
      if (!rows) return rows.status();
      if (rows->empty()) return {};
      for (const auto& r : rows->rows) {
        int64_t id = asInt(r[0]);
        if (id != expected_id) {
          report.broken_at = expected_id;
          report.problem = "record " + std::to_string(expected_id) + " is missing";
          return {};
        }
        if (asText(r[9]) != prev) {
          report.broken_at = id;
          report.problem = "record " + std::to_string(id) + " does not follow the one before it";
          return {};
        }
        std::string hash = chainHash(prev, r);
        if (hash != asText(r[10])) {
          report.broken_at = id;
          report.problem = "record " + std::to_string(id) + " was changed after it was written";
          return {};
        }
        prev = hash;
        ++expected_id;
        ++report.checked;
        after = id;
      }
    }
  });
  if (!s) return s;
  return report;
}

Result<AuditSpan> AuditLog::olderThan(int64_t before_ms) {
  AuditSpan span;
  Status s = db_.read([&](Connection& c) -> Status {
    auto rows = c.query("SELECT COUNT(*), MIN(ts), MAX(ts) FROM audit WHERE ts < ?", {before_ms});
    if (!rows) return rows.status();
    span.count = asInt(rows->rows[0][0]);
    span.first_ms = asInt(rows->rows[0][1]);
    span.last_ms = asInt(rows->rows[0][2]);
    return {};
  });
  if (!s) return s;
  return span;
}

Result<int64_t> AuditLog::removeOlderThan(int64_t before_ms, int limit) {
  int64_t removed = 0;
  Status s = db_.write([&](Connection& c) -> Status {
    // Oldest first by id, stopping at the first record new enough to keep: the kept records stay
    // one unbroken run from the anchor, even if a clock step wrote an older time after a newer one.
    auto rows = c.query("SELECT id, ts, hash FROM audit ORDER BY id LIMIT ?", {int64_t{limit}});
    if (!rows) return rows.status();
    int64_t last_id = 0;
    std::string last_hash;
    for (const auto& r : rows->rows) {
      if (asInt(r[1]) >= before_ms) break;
      last_id = asInt(r[0]);
      last_hash = asText(r[2]);
      ++removed;
    }
    if (removed == 0) return {};
    auto deleted = c.execute("DELETE FROM audit WHERE id <= ?", {last_id});
    if (!deleted) return deleted.status();
    auto anchored = c.execute(
        "INSERT INTO audit_anchor (id, last_id, last_hash, removed_at) VALUES (1, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, "
        "last_hash = excluded.last_hash, removed_at = excluded.removed_at",
        {last_id, last_hash, clock_.nowMillis()});
    return anchored ? Status{} : anchored.status();
  });
  if (!s) return s;
  return removed;
}

}  // namespace anju::store
