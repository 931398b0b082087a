// `anju backup` and `anju restore`: the data folder copied while the server runs, and put back.
#include <chrono>
#include <iostream>

#include "app/commands.h"
#include "store/backup.h"

namespace anju::app {

namespace {

int fail(const Status& s) {
  std::cerr << "anju: " << s.message() << "\n";
  return s.code() == Code::kInvalid ? 2 : 1;
}

std::string mib(uint64_t bytes) {
  return std::to_string((bytes + (1 << 19)) >> 20) + " MiB";
}

}  // namespace

int runBackup(const Config& config, const std::string& out_dir) {
  if (!config.db_url.empty())
    return fail(Status::invalid("db",
                                "PostgreSQL 存储请用 pg_dump 备份 (back up a PostgreSQL store "
                                "with pg_dump; see docs/operations.md)"));
  SystemClock clock;
  const auto started = std::chrono::steady_clock::now();
  auto manifest = store::backupDataFolder(config.data_dir, out_dir, clock, kAnjuVersion);
  if (!manifest) return fail(manifest.status());
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  std::cout << "backed up " << config.data_dir << " to " << out_dir << ": "
            << manifest->files.size() << " files and " << manifest->blobs << " blobs, "
            << mib(manifest->totalBytes()) << ", schema " << manifest->schema_version << ", "
            << manifest->event_days << " event days, in " << ms << " ms\n";
  return 0;
}

int runRestore(const std::string& from, const std::string& data_dir, bool force) {
  auto manifest = store::restoreDataFolder(from, data_dir, force);
  if (!manifest) return fail(manifest.status());
  std::cout << "restored " << from << " (taken " << formatTimestamp(manifest->created_ms, 0)
            << ", schema " << manifest->schema_version << ") into " << data_dir << ": "
            << manifest->files.size() << " files and " << manifest->blobs << " blobs, checked\n";
  return 0;
}

}  // namespace anju::app
