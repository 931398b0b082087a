// The SQLite store's write-ahead log stays bounded under a steady stream of commits: without it,
// a log that background checkpoints never catch up with grows by gigabytes during ingestion and
// slows every read and write as it does.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "store/database.h"
#include "temp_store.h"

namespace anju::store {
namespace {

TEST(SqliteLogTest, TheLogStaysBoundedWhileCommitsFollowEachOtherAndNothingIsLost) {
  test_support::TempStore store(false);
  ASSERT_TRUE(store.db().write([](Connection& c) {
    return c.executeScript("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
  }));
  // 160 MiB in commits of 256 KiB, back to back: more than twice the log's limit.
  const std::string body(256 * 1024, 'x');
  const std::string wal = store.file() + "-wal";
  std::uintmax_t largest = 0;
  for (int i = 0; i < 640; ++i) {
    ASSERT_TRUE(store.db().write([&](Connection& c) -> Status {
      auto r = c.execute("INSERT INTO blobs (body) VALUES (?)", {body});
      return r ? Status{} : r.status();
    }));
    largest = std::max(largest, std::filesystem::file_size(wal));
  }
  EXPECT_LT(largest, std::uintmax_t{80} * 1024 * 1024);

  int64_t rows = 0;
  ASSERT_TRUE(store.db().read([&](Connection& c) -> Status {
    auto r = c.query("SELECT count(*) FROM blobs");
    if (!r) return r.status();
    rows = r->scalarInt().value_or(0);
    return {};
  }));
  EXPECT_EQ(rows, 640);
}

}  // namespace
}  // namespace anju::store
