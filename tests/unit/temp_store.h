// A fresh store in a folder of its own, removed when the test ends, so that no test sees
// another's rows and a failing test leaves nothing behind to confuse the next run. SQLite by
// default; with ANJU_TEST_STORE=postgresql a fresh database on a throwaway PostgreSQL server
// (tests/support/postgres_server.h), so that the same storage tests run unchanged on both stores.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "store/database.h"
#include "store/migrations.h"
#include "support/postgres_server.h"

namespace anju::test_support {

class TempStore {
 public:
  // `migrated` false gives an empty database, for tests of the migrations themselves.
  explicit TempStore(bool migrated = true) {
    // Device secrets and password hashes come from libsodium, which must be set up first.
    if (!crypto::initialize()) throw std::runtime_error("libsodium failed to initialise");
    std::string pattern = (std::filesystem::temp_directory_path() / "anju-unit-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    if (onPostgres()) url_ = PostgresServer::shared().createDatabase();
    reopen(migrated);
  }
  ~TempStore() {
    db_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TempStore(const TempStore&) = delete;
  TempStore& operator=(const TempStore&) = delete;

  store::Database& db() { return *db_; }
  std::string file() const { return (dir_ / "anju.db").string(); }
  const std::filesystem::path& dir() const { return dir_; }

  // The store the tests run on, from ANJU_TEST_STORE ("postgresql"; otherwise SQLite).
  static bool onPostgres() {
    const char* store = std::getenv("ANJU_TEST_STORE");
    return store && std::string(store) == "postgresql";
  }

  // A second connection to the same store for events, as the server opens it: on SQLite the
  // file beside the registry, on PostgreSQL the same database.
  std::unique_ptr<store::Database> openEvents() const {
    auto opened =
        url_.empty()
            ? store::openSqlite({.path = (dir_ / "events.db").string(),
                                 .read_connections = 2,
                                 .synchronous_full = true})
            : store::openPostgres({.url = url_, .read_connections = 2, .synchronous_full = true});
    if (!opened) throw std::runtime_error(opened.status().message());
    return std::move(*opened);
  }

  // Another handle on the same registry, as a second node on the PostgreSQL database (or a second
  // process on the SQLite file) has it.
  std::unique_ptr<store::Database> openAnother() const {
    auto opened = url_.empty() ? store::openSqlite({.path = file(), .read_connections = 2})
                               : store::openPostgres({.url = url_, .read_connections = 2});
    if (!opened) throw std::runtime_error(opened.status().message());
    return std::move(*opened);
  }

  // Closes the database and opens the same file again, as a restarted server would.
  void reopen(bool migrate_it = true) {
    db_.reset();
    auto opened = url_.empty() ? store::openSqlite({.path = file(), .read_connections = 2})
                               : store::openPostgres({.url = url_, .read_connections = 2});
    if (!opened)
      throw std::runtime_error("cannot open the test store: " + opened.status().message());
    db_ = std::move(*opened);
    if (migrate_it) {
      Status migrated = store::migrate(*db_, store::migrationsFor(*db_));
      if (!migrated)
        throw std::runtime_error("cannot migrate the test store: " + migrated.message());
    }
  }

  // The number of rows in `table`, read in a transaction of its own.
  int64_t count(const std::string& table) {
    int64_t n = -1;
    Status s = db_->read([&](store::Connection& c) -> Status {
      auto rows = c.query("SELECT COUNT(*) FROM " + table);
      if (!rows) return rows.status();
      n = rows->scalarInt().value_or(-1);
      return {};
    });
    EXPECT_TRUE(s) << s.message();
    return n;
  }

  // Runs one query and returns its rows, failing the test on a storage error.
  store::Rows query(const std::string& sql, const std::vector<store::Value>& params = {}) {
    store::Rows out;
    Status s = db_->read([&](store::Connection& c) -> Status {
      auto rows = c.query(sql, params);
      if (!rows) return rows.status();
      out = std::move(*rows);
      return {};
    });
    EXPECT_TRUE(s) << s.message();
    return out;
  }

  // Runs one statement in a write transaction, as someone with the file in hand could.
  Status execute(const std::string& sql, const std::vector<store::Value>& params = {}) {
    return db_->write([&](store::Connection& c) -> Status {
      auto changed = c.execute(sql, params);
      return changed ? Status() : changed.status();
    });
  }

 private:
  std::filesystem::path dir_;
  std::string url_;  // the PostgreSQL database's; empty on SQLite
  std::unique_ptr<store::Database> db_;
};

}  // namespace anju::test_support
