// The storage seam. Repositories speak portable SQL ('?' placeholders, RETURNING) to a Connection;
// each backend (SQLite now, PostgreSQL later) implements Database and maps its driver's errors to
// Status codes, so no caller ever sees a driver exception or error number.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace anju::store {

using Value = std::variant<std::monostate, int64_t, double, std::string>;

inline bool isNull(const Value& v) {
  return std::holds_alternative<std::monostate>(v);
}

// Parameters for columns that may be NULL: an absent id, an empty text.
inline Value nullableInt(const std::optional<int64_t>& v) {
  return v ? Value{*v} : Value{};
}
inline Value nullableText(const std::string& s) {
  return s.empty() ? Value{} : Value{s};
}

struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;

  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
  // Convenience accessors for the first column of the first row.
  std::optional<int64_t> scalarInt() const;
  std::optional<std::string> scalarText() const;
};

// Column accessors that tolerate the representation differences between backends.
int64_t asInt(const Value& v, int64_t fallback = 0);
std::string asText(const Value& v);
double asReal(const Value& v, double fallback = 0);

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Result<Rows> query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Returns the number of rows changed.
  virtual Result<int64_t> execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs several statements without parameters (migrations, savepoints).
  virtual Status executeScript(const std::string& sql) = 0;
  // Tells the other nodes on this database (Database::listen) once the write it is part of
  // commits, and not at all if it rolls back. Nothing to do on SQLite, which one node owns.
  virtual Status notify(const std::string& channel, const std::string& payload) = 0;
  // Waits for the lock `key`, which every node on this database shares, and holds it until the
  // write it is part of ends: for what the nodes must do one at a time (appending to a chain,
  // numbering in commit order). Nothing to do on SQLite, whose writes already take turns.
  virtual Status lockUntilCommit(int64_t key) = 0;
};

// Stops listening when destroyed.
class Subscription {
 public:
  virtual ~Subscription() = default;
};

class Database {
 public:
  virtual ~Database() = default;
  // Runs `work` on a connection that sees one consistent snapshot.
  virtual Status read(const std::function<Status(Connection&)>& work) = 0;
  // Runs `work` in a transaction: committed when it returns ok, rolled back otherwise. Writers are
  // serialised. After a storage failure that may have lost data the database refuses all further
  // writes with kUnavailable until restarted.
  virtual Status write(const std::function<Status(Connection&)>& work) = 0;
  // "sqlite" or "postgresql": for the few statements that must differ.
  virtual std::string_view dialect() const = 0;
  // What other nodes on the same database notify on `channel`, in commit order, on a thread of
  // the subscription's own. `on_gap` runs whenever messages may have been missed: once listening
  // starts, and each time its connection was lost and made again. nullptr where no other node can
  // share the database (SQLite).
  virtual std::unique_ptr<Subscription> listen(
      const std::string& channel, std::function<void(const std::string& payload)> on_message,
      std::function<void()> on_gap) = 0;
};

struct SqliteOptions {
  std::string path;               // the database file
  int read_connections = 8;       // readers run beside the one writer thanks to WAL
  bool synchronous_full = false;  // fsync at every commit instead of at checkpoints
  int cache_mib = 0;              // page cache per connection; 0 keeps SQLite's default (2 MiB)
  int64_t mmap_mib = 0;           // read through a memory map of up to this size (0: pread)
  // Background checkpoints start once the log holds this many pages; at four times as many the
  // writer folds the log in itself. Small for a store of small frequent commits (reads stay
  // quick with a short log), larger for a store that takes long streams of big ones.
  int checkpoint_frames = 1000;
};

Result<std::unique_ptr<Database>> openSqlite(const SqliteOptions& options);

struct PostgresOptions {
  std::string url;                // postgresql://user@host:port/db (any libpq connection string)
  int read_connections = 8;       // opened as reads need them, beside the one writer
  bool synchronous_full = false;  // synchronous_commit on: a commit returns once it is flushed
};

// The first connection is made here: a server that cannot be reached is kUnavailable. A
// connection lost later answers kUnavailable for the work in hand and is made again by the next.
Result<std::unique_ptr<Database>> openPostgres(const PostgresOptions& options);

}  // namespace anju::store
