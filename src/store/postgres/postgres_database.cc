// PostgreSQL backend: one serialised writer connection and a small pool of readers, each made
// again after the server was lost, each preparing the statements it runs. Driver exceptions stop
// here and become Status codes.
#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/log.h"
#include "store/database.h"
#include "store/postgres/listener.h"
#include "store/postgres/placeholders.h"

namespace anju::store {

namespace {

// Type oids of the results the repositories read (pg_type.dat).
constexpr pqxx::oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
                    kFloat8 = 701, kNumeric = 1700;

// Statements kept prepared per connection. Texts that name a day's partition change from day to
// day, so without a bound the server would hold every plan ever made for the connection's life.
constexpr std::size_t kMaxPreparedStatements = 256;

// "DETAIL:  Key (id_number)=(110...) already exists." -> "id_number": the field the API names.
std::string uniqueColumn(const std::string& message) {
  auto key = message.find("Key (");
  if (key == std::string::npos) return {};
  auto end = message.find_first_of(",)", key + 5);
  if (end == std::string::npos) return {};
  return message.substr(key + 5, end - key - 5);
}

// The same codes the SQLite backend gives for the same failures (sqlite_database.cc).
Status mapSqlError(const pqxx::sql_error& e) {
  const std::string& state = e.sqlstate();
  const std::string message = e.what();
  if (state == "23505") {
    std::string column = uniqueColumn(message);
    return Status::conflict("已存在相同的 " + column + " (" + column + " already exists)", column);
  }
  if (state == "23503") {
    return Status::conflict("仍被其他记录引用 (still referenced by other records)");
  }
  if (state.rfind("23", 0) == 0) {
    return Status::invalid("", "约束不满足 (constraint failed: " + message + ")");
  }
  if (state == "53100") {
    return {Code::kStorageFull,
            "存储空间已满，写入被拒绝，读取不受影响；请释放磁盘空间 (storage is full: writes "
            "are refused until space is freed, reads still work)"};
  }
  // Connection failures, the server shutting down or starting, too many connections, a
  // serialisation failure or deadlock: the work may succeed if tried again.
  if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state.rfind("53", 0) == 0 ||
      state == "40001" || state == "40P01") {
    return {Code::kUnavailable, "数据库暂不可用 (database unavailable: " + message + ")"};
  }
  return Status::internal("postgresql: " + message);
}

// Errors caused by the values bound, by other transactions or by an earlier failure in the same
// transaction: the statement itself is sound, and re-preparing it would only cost a round trip
// (the importer refuses rows one by one under savepoints, in a single transaction).
bool statementIsSound(const std::string& state) {
  return state.rfind("22", 0) == 0 || state.rfind("23", 0) == 0 || state.rfind("40", 0) == 0 ||
         state == "25P02";
}

std::string formatDouble(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(d);
}

Value toValue(const pqxx::field& f) {
  if (f.is_null()) return Value{};
  const char* text = f.c_str();
  const std::size_t size = f.size();
  switch (f.type()) {
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: {
      int64_t n = 0;
      std::from_chars(text, text + size, n);
      return Value{n};
    }
    case kBool:
      return Value{int64_t{text[0] == 't' ? 1 : 0}};
    case kNumeric: {
      // SUM over BIGINT gives NUMERIC: whole numbers stay integers, as SQLite's SUM gives them.
      int64_t n = 0;
      auto [end, ec] = std::from_chars(text, text + size, n);
      if (ec == std::errc() && end == text + size) return Value{n};
      return Value{std::strtod(text, nullptr)};
    }
    case kFloat4:
    case kFloat8:
      return Value{std::strtod(text, nullptr)};
    default:
      return Value{std::string(text, size)};
  }
}

class PgConnection final : public Connection {
 public:
  PgConnection(std::string url, std::string setup)
      : url_(std::move(url)), setup_(std::move(setup)) {}

  // Runs `work` inside a transaction begun with `Tx`; committed when it returns ok.
  template <typename Tx>
  Status transact(const std::function<Status(Connection&)>& work) {
    for (int attempt = 0;; ++attempt) {
      const bool reused = conn_ && conn_->is_open() && !broken_;
      Status s = connect();
      if (!s) return s;
      bool began = false;
      s = guard([&] {
        Tx tx(*conn_);
        tx_ = &tx;
        began = true;
        Status done = work(*this);
        tx_ = nullptr;
        if (done) tx.commit();
        return done;
      });
      tx_ = nullptr;
      deallocateRetired();
      // Only now, with the transaction gone, can a connection found broken inside it be dropped.
      const bool lost = broken_;
      if (broken_) drop();
      // A connection opened before the database server restarted is found dead only when next
      // used. Found so before `work` began, nothing was done: a new connection runs it once more,
      // so that the first request after a restart does not fail for every pooled connection.
      if (!s && lost && reused && !began && attempt == 0) continue;
      return s;
    }
  }

  Result<Rows> query(std::string_view sql, const std::vector<Value>& params) override {
    Rows rows;
    Status s = guard([&] {
      pqxx::result r = run(sql, params);
      for (pqxx::row::size_type c = 0; c < r.columns(); ++c) {
        rows.columns.emplace_back(r.column_name(c));
      }
      rows.rows.reserve(r.size());
      for (const auto& row : r) {
        std::vector<Value> values;
        values.reserve(row.size());
        for (const auto& f : row) values.push_back(toValue(f));
        rows.rows.push_back(std::move(values));
      }
      return Status();
    });
    if (!s) return s;
    return rows;
  }

  Result<int64_t> execute(std::string_view sql, const std::vector<Value>& params) override {
    int64_t changed = 0;
    Status s = guard([&] {
      changed = run(sql, params).affected_rows();
      return Status();
    });
    if (!s) return s;
    return changed;
  }

  Status executeScript(const std::string& sql) override {
    return guard([&] {
      tx_->exec(sql);
      return Status();
    });
  }

  Status notify(const std::string& channel, const std::string& payload) override {
    auto r = query("SELECT pg_notify(?, ?)", {channel, payload});
    return r ? Status() : r.status();
  }

  Status lockUntilCommit(int64_t key) override {
    auto r = query("SELECT pg_advisory_xact_lock(?)", {key});
    return r ? Status() : r.status();
  }

 private:
  struct Statement {
    std::string sql;  // as the repositories wrote it, so that a cached one is not translated again
    std::string name;
  };

  Status connect() {
    if (conn_ && conn_->is_open() && !broken_) return {};
    drop();
    broken_ = false;
    return guard([&] {
      auto conn = std::make_unique<pqxx::connection>(url_);
      pqxx::nontransaction setup(*conn);
      setup.exec(setup_);
      setup.commit();
      conn_ = std::move(conn);
      return Status();
    });
  }

  // Prepared statements live in the server session: they go with the connection.
  void drop() {
    conn_.reset();
    statements_.clear();
    recent_.clear();
    retired_.clear();
  }

  // The name `sql` is prepared under on this connection, prepared now if it is not.
  // Parameterless statements are prepared too: their plans cost as much, one-offs age out.
  const std::string& prepared(std::string_view sql) {
    if (auto it = statements_.find(sql); it != statements_.end()) {
      recent_.splice(recent_.begin(), recent_, it->second);
      return it->second->name;
    }
    if (recent_.size() >= kMaxPreparedStatements) retire(std::prev(recent_.end()));
    // Names are never reused, so a retired statement still waiting to be deallocated cannot
    // collide with a new one.
    std::string name = "anju_" + std::to_string(++prepared_count_);
    // libpqxx 6 only records the definition here; the first exec_prepared sends it to the server.
    conn_->prepare(name, toPostgres(sql));
    recent_.push_front({std::string(sql), std::move(name)});
    statements_.emplace(recent_.front().sql, recent_.begin());
    return recent_.front().name;
  }

  void retire(std::list<Statement>::iterator it) {
    statements_.erase(it->sql);
    retired_.push_back(std::move(it->name));
    recent_.erase(it);
  }

  // DEALLOCATE waits until the transaction is over: inside a failed one it would fail as well.
  // Failing here costs no more than a statement left on the server until the connection closes.
  void deallocateRetired() {
    for (const std::string& name : retired_) {
      if (!conn_ || broken_) break;
      guard([&] {
        conn_->unprepare(name);
        return Status();
      });
    }
    retired_.clear();
  }

  pqxx::result run(std::string_view sql, const std::vector<Value>& params) {
    std::vector<std::string> texts(params.size());
    std::vector<const char*> pointers(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      if (auto* n = std::get_if<int64_t>(&v)) {
        texts[i] = std::to_string(*n);
      } else if (auto* d = std::get_if<double>(&v)) {
        texts[i] = formatDouble(*d);
      } else if (auto* t = std::get_if<std::string>(&v)) {
        texts[i] = *t;
      } else {
        continue;  // NULL: a null pointer
      }
      pointers[i] = texts[i].c_str();
    }
    const std::string& name = prepared(sql);
    // A statement whose tables changed under it can fail on every run ("cached plan must not
    // change result type"); prepared again, from the text, it reads the tables as they are now.
    auto forget = [&] {
      if (auto it = statements_.find(sql); it != statements_.end()) retire(it->second);
    };
    try {
      return tx_->exec_prepared(name, pqxx::prepare::make_dynamic_params(pointers));
    } catch (const pqxx::sql_error& e) {
      if (!statementIsSound(e.sqlstate())) forget();
      throw;
    } catch (...) {
      forget();
      throw;
    }
  }

  // Runs `body`, turning the driver's exceptions into Status codes. A lost connection is marked,
  // to be dropped once its transaction is gone, so that the next transaction connects afresh.
  template <typename Body>
  Status guard(Body&& body) {
    try {
      return body();
    } catch (const pqxx::broken_connection& e) {
      return lost(e.what());
    } catch (const pqxx::in_doubt_error& e) {
      return lost(e.what());
    } catch (const pqxx::sql_error& e) {
      Status s = mapSqlError(e);
      if (s.code() == Code::kUnavailable && !(conn_ && conn_->is_open())) broken_ = true;
      return s;
    } catch (const std::exception& e) {
      if (conn_ && !conn_->is_open()) return lost(e.what());
      return Status::internal(std::string("postgresql: ") + e.what());
    }
  }

  Status lost(const std::string& why) {
    broken_ = true;
    return {Code::kUnavailable, "数据库连接中断 (database connection lost: " + why + ")"};
  }

  const std::string url_;
  const std::string setup_;
  std::unique_ptr<pqxx::connection> conn_;
  pqxx::transaction_base* tx_ = nullptr;  // the transaction `work` runs in
  bool broken_ = false;                   // the connection was lost: make a new one
  // Prepared statements on `conn_`, most recently used first, and found by their text.
  std::list<Statement> recent_;
  std::unordered_map<std::string_view, std::list<Statement>::iterator> statements_;
  std::vector<std::string> retired_;  // dropped from the cache, to DEALLOCATE after the transaction
  uint64_t prepared_count_ = 0;
};

using ReadTransaction = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;
using WriteTransaction = pqxx::transaction<pqxx::read_committed, pqxx::read_write>;

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(const PostgresOptions& options)
      : url_(options.url), writer_(options.url, setup(options, true)) {
    for (int i = 0; i < std::max(1, options.read_connections); ++i) {
      readers_.push_back(std::make_unique<PgConnection>(options.url, setup(options, false)));
      idle_.push_back(readers_.back().get());
    }
  }

  Status read(const std::function<Status(Connection&)>& work) override {
    PgConnection* conn = nullptr;
    {
      std::unique_lock lock(pool_mutex_);
      pool_cv_.wait(lock, [&] { return !idle_.empty(); });
      conn = idle_.back();
      idle_.pop_back();
    }
    Status s = conn->transact<ReadTransaction>(work);
    {
      std::lock_guard lock(pool_mutex_);
      idle_.push_back(conn);
    }
    pool_cv_.notify_one();
    return s;
  }

  Status write(const std::function<Status(Connection&)>& work) override {
    std::lock_guard lock(write_mutex_);
    return writer_.transact<WriteTransaction>(work);
  }

  std::string_view dialect() const override { return "postgresql"; }

  std::unique_ptr<Subscription> listen(const std::string& channel,
                                       std::function<void(const std::string&)> on_message,
                                       std::function<void()> on_gap) override {
    return listenPostgres(url_, channel, std::move(on_message), std::move(on_gap));
  }

 private:
  // Notices ("relation already exists, skipping") are not worth a line on stderr each.
  static std::string setup(const PostgresOptions& options, bool writer) {
    std::string sql = "SET client_min_messages = warning;";
    if (writer) {
      sql += options.synchronous_full ? "SET synchronous_commit = on;"
                                      : "SET synchronous_commit = off;";
    }
    return sql;
  }

  const std::string url_;
  std::mutex write_mutex_;
  PgConnection writer_;  // GUARDED_BY(write_mutex_)
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<PgConnection>> readers_;
  std::vector<PgConnection*> idle_;  // GUARDED_BY(pool_mutex_)
};

}  // namespace

Result<std::unique_ptr<Database>> openPostgres(const PostgresOptions& options) {
  auto db = std::make_unique<PostgresDatabase>(options);
  // Connecting once here reports a wrong url or a server that is down at start.
  Status reached = db->read([](Connection& c) -> Status {
    auto rows = c.query("SELECT 1");
    return rows ? Status() : rows.status();
  });
  if (!reached) return reached;
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace anju::store
