// Backups taken while writers commit, checked against their manifest, and restored whole or not
// at all.
#include "store/backup.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "store/blob_store.h"
#include "temp_store.h"

namespace anju::store {
namespace {

namespace fs = std::filesystem;
using test_support::TempStore;

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    work_ = store_.dir() / "work";
    fs::create_directories(work_);
    ASSERT_TRUE(store_.execute("CREATE TABLE ledger (n INTEGER PRIMARY KEY)"));
    ASSERT_TRUE(store_.execute("CREATE TABLE ledger_total (total INTEGER)"));
    ASSERT_TRUE(store_.execute("INSERT INTO ledger_total VALUES (0)"));
    BlobStore blobs((store_.dir() / "blobs").string());
    auto hash = blobs.put("a snapshot");
    ASSERT_TRUE(hash);
    blob_ = *hash;
    std::ofstream(store_.dir() / "anju.toml") << "[server]\nlisten = \"127.0.0.1:9\"\n";
  }

  // One row and the running total in one transaction: a consistent copy has as many rows as the
  // total says.
  Status addRow() {
    return store_.db().write([](Connection& c) -> Status {
      auto r = c.execute("INSERT INTO ledger (n) VALUES (NULL)");
      if (!r) return r.status();
      auto t = c.execute("UPDATE ledger_total SET total = total + 1");
      return t ? Status{} : t.status();
    });
  }

  std::string data() const { return store_.dir().string(); }

  TempStore store_;
  fs::path work_;
  std::string blob_;
  FakeClock clock_{TimePoint(std::chrono::milliseconds(1'790'000'000'000))};
};

// Read-only, as opening a copy through the store would switch it to WAL and so change it.
int64_t scalarOf(const fs::path& db_file, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  int64_t value = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

TEST_F(BackupTest, CopiesAConsistentSnapshotWhileWritersCommit) {
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop) ASSERT_TRUE(addRow());
  });
  while (store_.count("ledger") < 50) std::this_thread::yield();
  auto manifest = backupDataFolder(data(), (work_ / "backup").string(), clock_, "test");
  stop = true;
  writer.join();
  ASSERT_TRUE(manifest) << manifest.status().message();

  const fs::path copy = work_ / "backup" / "anju.db";
  int64_t rows = scalarOf(copy, "SELECT COUNT(*) FROM ledger");
  EXPECT_GE(rows, 50);
  EXPECT_EQ(rows, scalarOf(copy, "SELECT total FROM ledger_total"));
  EXPECT_FALSE(fs::exists(work_ / "backup" / "anju.db-wal"));
  EXPECT_GT(manifest->schema_version, 0);
  EXPECT_EQ(manifest->blobs, 1);
  EXPECT_TRUE(fs::exists(work_ / "backup" / "blobs" / blob_.substr(0, 2) / blob_));
  EXPECT_TRUE(fs::exists(work_ / "backup" / "anju.toml"));
  EXPECT_TRUE(fs::exists(work_ / "backup" / "manifest.json"));
  EXPECT_TRUE(verifyBackup((work_ / "backup").string()));
}

TEST_F(BackupTest, RefusesATargetThatHoldsSomething) {
  fs::create_directories(work_ / "busy");
  std::ofstream(work_ / "busy" / "x") << "x";
  auto manifest = backupDataFolder(data(), (work_ / "busy").string(), clock_, "test");
  ASSERT_FALSE(manifest);
  EXPECT_EQ(manifest.status().field(), "out");
}

TEST_F(BackupTest, RestoresIntoANewFolderAndTheStoreOpens) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(addRow());
  ASSERT_TRUE(backupDataFolder(data(), (work_ / "backup").string(), clock_, "test"));
  auto restored = restoreDataFolder((work_ / "backup").string(), (work_ / "restored").string(),
                                    /*force=*/false);
  ASSERT_TRUE(restored) << restored.status().message();
  EXPECT_EQ(scalarOf(work_ / "restored" / "anju.db", "SELECT COUNT(*) FROM ledger"), 10);
  BlobStore blobs((work_ / "restored" / "blobs").string());
  EXPECT_EQ(*blobs.get(blob_), "a snapshot");
  EXPECT_FALSE(fs::exists(work_ / "restored" / "manifest.json"));
  // Nothing is left beside the target.
  for (const auto& entry : fs::directory_iterator(work_))
    EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
}

TEST_F(BackupTest, RestoreRefusesAFolderThatHoldsSomethingUnlessForced) {
  ASSERT_TRUE(backupDataFolder(data(), (work_ / "backup").string(), clock_, "test"));
  fs::create_directories(work_ / "live");
  std::ofstream(work_ / "live" / "anju.db") << "someone's store";
  auto refused = restoreDataFolder((work_ / "backup").string(), (work_ / "live").string(), false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().field(), "data");
  EXPECT_EQ(scalarOf(work_ / "backup" / "anju.db", "SELECT total FROM ledger_total"), 0);

  ASSERT_TRUE(restoreDataFolder((work_ / "backup").string(), (work_ / "live").string(), true));
  EXPECT_EQ(scalarOf(work_ / "live" / "anju.db", "SELECT total FROM ledger_total"), 0);
}

TEST_F(BackupTest, ADamagedBackupRestoresNothingAndLeavesTheTargetAlone) {
  ASSERT_TRUE(backupDataFolder(data(), (work_ / "backup").string(), clock_, "test"));
  {
    std::fstream f(work_ / "backup" / "anju.db", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(5000);
    f.put('\x5a');
  }
  EXPECT_FALSE(verifyBackup((work_ / "backup").string()));
  fs::create_directories(work_ / "live");
  std::ofstream(work_ / "live" / "keep") << "kept";
  auto restored = restoreDataFolder((work_ / "backup").string(), (work_ / "live").string(), true);
  ASSERT_FALSE(restored);
  EXPECT_EQ(restored.status().field(), "from");
  EXPECT_TRUE(fs::exists(work_ / "live" / "keep"));
  EXPECT_FALSE(fs::exists(work_ / "live" / "anju.db"));
  for (const auto& entry : fs::directory_iterator(work_))
    EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
}

TEST_F(BackupTest, ABackupFromANewerAnjuIsRefusedBeforeAnythingIsReplaced) {
  ASSERT_TRUE(backupDataFolder(data(), (work_ / "backup").string(), clock_, "test"));
  const fs::path manifest = work_ / "backup" / "manifest.json";
  nlohmann::json m = nlohmann::json::parse(std::ifstream(manifest));
  m["schema_version"] = 9999;
  std::ofstream(manifest) << m.dump();
  fs::create_directories(work_ / "live");
  std::ofstream(work_ / "live" / "keep") << "kept";
  auto restored = restoreDataFolder((work_ / "backup").string(), (work_ / "live").string(), true);
  ASSERT_FALSE(restored);
  EXPECT_NE(restored.status().message().find("newer"), std::string::npos);
  EXPECT_TRUE(fs::exists(work_ / "live" / "keep"));
}

TEST_F(BackupTest, AMissingBlobOrManifestIsFound) {
  ASSERT_TRUE(backupDataFolder(data(), (work_ / "backup").string(), clock_, "test"));
  fs::remove(work_ / "backup" / "blobs" / blob_.substr(0, 2) / blob_);
  auto missing_blob = verifyBackup((work_ / "backup").string());
  ASSERT_FALSE(missing_blob);
  EXPECT_NE(missing_blob.status().message().find("blobs"), std::string::npos);
  fs::remove(work_ / "backup" / "manifest.json");
  EXPECT_FALSE(restoreDataFolder((work_ / "backup").string(), (work_ / "new").string(), false));
  EXPECT_FALSE(fs::exists(work_ / "new"));
}

}  // namespace
}  // namespace anju::store
