// SQLite backend: one writer connection and a pool of readers on a WAL-mode file.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "common/log.h"
#include "store/database.h"

namespace anju::store {

namespace {

// "UNIQUE constraint failed: persons.id_number" -> "id_number".
std::string uniqueColumn(const std::string& message) {
  auto colon = message.rfind(": ");
  if (colon == std::string::npos) return {};
  std::string cols = message.substr(colon + 2);
  auto comma = cols.find(',');
  if (comma != std::string::npos) cols = cols.substr(0, comma);
  auto dot = cols.find('.');
  return dot == std::string::npos ? cols : cols.substr(dot + 1);
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  sqlite3* handle() const { return db_; }
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Result<Rows> query(std::string_view sql, const std::vector<Value>& params) override {
    Rows rows;
    Status s = run(sql, params, &rows);
    if (!s) return s;
    return rows;
  }

  Result<int64_t> execute(std::string_view sql, const std::vector<Value>& params) override {
    Status s = run(sql, params, nullptr);
    if (!s) return s;
    return static_cast<int64_t>(sqlite3_changes(db_));
  }

  Status executeScript(const std::string& sql) override { return exec(sql); }
  Status notify(const std::string&, const std::string&) override { return {}; }
  Status lockUntilCommit(int64_t) override { return {}; }

  // Transaction control on every request: prepared once and reused rather than parsed each time.
  Status control(std::string_view sql) { return run(sql, {}, nullptr); }

  Status exec(const std::string& sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      return mapError(rc, message);
    }
    return {};
  }

  // Set when an error suggests the file may not hold what was acknowledged.
  bool sawFatalError() const { return fatal_; }

 private:
  Status mapError(int rc, const std::string& message) {
    int primary = rc & 0xff;
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
      std::string column = uniqueColumn(message);
      return Status::conflict("已存在相同的 " + column + " (" + column + " already exists)",
                              column);
    }
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
      return Status::conflict("仍被其他记录引用 (still referenced by other records)");
    }
    if (primary == SQLITE_CONSTRAINT) {
      return Status::invalid("", "约束不满足 (constraint failed: " + message + ")");
    }
    // A full disk is not data loss: a write that finds no space fails before its commit record
    // is in the log, SQLite rolls the transaction back whole and the file holds what it held
    // before, so writes may go on once space is freed, without a restart. (An I/O error, even
    // one caused by a full disk such as a failed growth of the log's index after the frames were
    // written, leaves the outcome unknown and still stops all writes below.)
    if (primary == SQLITE_FULL) {
      return {Code::kStorageFull,
              "存储空间已满，写入被拒绝，读取不受影响；请释放磁盘空间 (storage is full: writes "
              "are refused until space is freed, reads still work)"};
    }
    if (primary == SQLITE_IOERR || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ||
        primary == SQLITE_CANTOPEN) {
      fatal_ = true;
      return {Code::kUnavailable, "存储故障 (storage failure: " + message + ")"};
    }
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      return {Code::kUnavailable, "存储繁忙 (storage busy)"};
    }
    return Status::internal("sqlite: " + message);
  }

  Result<sqlite3_stmt*> prepare(std::string_view sql) {
    std::string key(sql);
    auto it = statements_.find(key);
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return mapError(rc, sqlite3_errmsg(db_));
    statements_.emplace(std::move(key), stmt);
    return stmt;
  }

  Status run(std::string_view sql, const std::vector<Value>& params, Rows* out) {
    auto prepared = prepare(sql);
    if (!prepared) return prepared.status();
    sqlite3_stmt* stmt = *prepared;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    for (std::size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i + 1);
      const Value& v = params[i];
      if (auto* n = std::get_if<int64_t>(&v)) {
        sqlite3_bind_int64(stmt, index, *n);
      } else if (auto* d = std::get_if<double>(&v)) {
        sqlite3_bind_double(stmt, index, *d);
      } else if (auto* t = std::get_if<std::string>(&v)) {
        sqlite3_bind_text(stmt, index, t->data(), static_cast<int>(t->size()), SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(stmt, index);
      }
    }
    int columns = sqlite3_column_count(stmt);
    if (out) {
      out->columns.clear();
      for (int c = 0; c < columns; ++c) out->columns.emplace_back(sqlite3_column_name(stmt, c));
    }
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Status s = mapError(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
        sqlite3_reset(stmt);
        return s;
      }
      if (!out) continue;
      std::vector<Value> row;
      row.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            row.emplace_back(sqlite3_column_double(stmt, c));
            break;
          case SQLITE_NULL:
            row.emplace_back(std::monostate{});
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            row.emplace_back(
                std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
          }
        }
      }
      out->rows.push_back(std::move(row));
    }
    sqlite3_reset(stmt);
    return {};
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
  bool fatal_ = false;
};

Result<std::unique_ptr<SqliteConnection>> openConnection(const SqliteOptions& options,
                                                         bool writer) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status{Code::kUnavailable, "cannot open " + options.path + ": " + message};
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  auto connection = std::make_unique<SqliteConnection>(db);
  std::string pragmas = "PRAGMA foreign_keys=ON;";
  // Only readers map the file: the writer touches every page ingestion writes, and through a map
  // those pages would count as the server's own memory while a reader's map holds what queries
  // actually read.
  if (options.mmap_mib > 0 && !writer) {
    pragmas += "PRAGMA mmap_size=" + std::to_string(options.mmap_mib * 1024 * 1024) + ";";
  }
  if (options.cache_mib > 0) {
    pragmas += "PRAGMA cache_size=-" + std::to_string(options.cache_mib * 1024) + ";";
  }
  if (writer) {
    pragmas += "PRAGMA journal_mode=WAL;";
    pragmas += options.synchronous_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
    // Checkpoints run on their own thread (see SqliteDatabase): done inside a commit they stall
    // every writer queued behind it for the checkpoint's fsync.
    pragmas += "PRAGMA wal_autocheckpoint=0;";
  }
  ANJU_RETURN_IF_ERROR(connection->exec(pragmas));
  return connection;
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::unique_ptr<SqliteConnection> writer,
                 std::vector<std::unique_ptr<SqliteConnection>> readers,
                 std::unique_ptr<SqliteConnection> checkpointer, int checkpoint_frames)
      : checkpoint_frames_(std::max(1, checkpoint_frames)),
        writer_(std::move(writer)),
        readers_(std::move(readers)),
        checkpointer_(std::move(checkpointer)) {
    for (auto& r : readers_) idle_.push_back(r.get());
    sqlite3_wal_hook(writer_->handle(), &SqliteDatabase::onCommit, this);
    checkpoint_thread_ = std::thread([this] { checkpointLoop(); });
  }

  ~SqliteDatabase() override {
    {
      std::lock_guard lock(checkpoint_mutex_);
      stopping_ = true;
    }
    checkpoint_cv_.notify_all();
    checkpoint_thread_.join();
    // Folding the log back into the database leaves a single file for backups and copies.
    checkpointer_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Status read(const std::function<Status(Connection&)>& work) override {
    SqliteConnection* conn = nullptr;
    {
      std::unique_lock lock(pool_mutex_);
      pool_cv_.wait(lock, [&] { return !idle_.empty(); });
      conn = idle_.back();
      idle_.pop_back();
    }
    Status s = conn->control("BEGIN");
    if (s) {
      s = work(*conn);
      Status end = conn->control(s ? "COMMIT" : "ROLLBACK");
      if (s && !end) s = end;
    }
    {
      std::lock_guard lock(pool_mutex_);
      idle_.push_back(conn);
    }
    pool_cv_.notify_one();
    return s;
  }

  Status write(const std::function<Status(Connection&)>& work) override {
    std::lock_guard lock(write_mutex_);
    if (failed_) {
      return {Code::kUnavailable,
              "存储已停止写入，请检查磁盘后重启 (store refuses writes after a storage failure; "
              "check the disk and restart)"};
    }
    Status s = writer_->control("BEGIN IMMEDIATE");
    if (s) {
      s = work(*writer_);
      if (s) {
        s = writer_->control("COMMIT");
        if (!s) writer_->control("ROLLBACK");
      } else {
        writer_->control("ROLLBACK");
      }
    }
    // A log the background checkpoints never catch up with (a steady heavy write load) would
    // grow without end: once it is four times the checkpoint length, the writer folds it in
    // itself between commits, so that the next commit starts the log again from its beginning.
    if (s && wal_frames_.load(std::memory_order_relaxed) >= 4 * checkpoint_frames_) {
      Status folded = writer_->exec("PRAGMA wal_checkpoint(RESTART)");
      if (folded) wal_frames_.store(0, std::memory_order_relaxed);
    }
    if (writer_->sawFatalError() && !failed_) {
      // The commit may or may not be in the file; accepting more writes could acknowledge data
      // that a restart would not find, so stop here and let an operator look.
      failed_ = true;
      log::error("store.write_failed", {{"error", s.message()}});
    }
    return s;
  }

  std::string_view dialect() const override { return "sqlite"; }
  std::unique_ptr<Subscription> listen(const std::string&, std::function<void(const std::string&)>,
                                       std::function<void()>) override {
    return nullptr;
  }

 private:
  // The log's length in frames after each commit, for the checkpoint thread.
  static int onCommit(void* self, sqlite3*, const char*, int frames) {
    static_cast<SqliteDatabase*>(self)->wal_frames_.store(frames, std::memory_order_relaxed);
    return SQLITE_OK;
  }

  // A passive checkpoint copies committed pages into the database without blocking writers or
  // readers, but its fsyncs stall whatever writes to the same files meanwhile. So it runs only
  // once the log holds checkpoint_frames_ pages, or after kCheckpointIdle with
  // anything in it: a steady trickle of small commits (audit records) then costs one stall a
  // minute instead of two a second, and a heavy write load is still folded in twice a second.
  void checkpointLoop() {
    auto last = std::chrono::steady_clock::now();
    std::unique_lock lock(checkpoint_mutex_);
    while (!checkpoint_cv_.wait_for(lock, std::chrono::milliseconds(500),
                                    [this] { return stopping_; })) {
      const int frames = wal_frames_.load(std::memory_order_relaxed);
      const auto now = std::chrono::steady_clock::now();
      if (frames < checkpoint_frames_ && (frames == 0 || now - last < kCheckpointIdle)) continue;
      lock.unlock();
      Status s = checkpointer_->exec("PRAGMA wal_checkpoint(PASSIVE)");
      if (!s && s.code() != Code::kUnavailable && s.code() != Code::kStorageFull)
        log::warn("store.checkpoint_failed", {{"error", s.message()}});
      // The next commit reports the log's length again (short, once the log has restarted).
      wal_frames_.store(0, std::memory_order_relaxed);
      last = now;
      lock.lock();
    }
  }

  static constexpr auto kCheckpointIdle = std::chrono::seconds(60);

  const int checkpoint_frames_;
  std::mutex write_mutex_;
  std::unique_ptr<SqliteConnection> writer_;
  bool failed_ = false;
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  std::vector<SqliteConnection*> idle_;
  std::unique_ptr<SqliteConnection> checkpointer_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_cv_;
  bool stopping_ = false;  // GUARDED_BY(checkpoint_mutex_)
  std::atomic<int> wal_frames_{0};
  std::thread checkpoint_thread_;
};

}  // namespace

Result<std::unique_ptr<Database>> openSqlite(const SqliteOptions& options) {
  auto writer = openConnection(options, true);
  if (!writer) return writer.status();
  std::vector<std::unique_ptr<SqliteConnection>> readers;
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    auto reader = openConnection(options, false);
    if (!reader) return reader.status();
    readers.push_back(std::move(*reader));
  }
  auto checkpointer = openConnection(options, false);
  if (!checkpointer) return checkpointer.status();
  return std::unique_ptr<Database>(std::make_unique<SqliteDatabase>(
      std::move(*writer), std::move(readers), std::move(*checkpointer), options.checkpoint_frames));
}

}  // namespace anju::store
