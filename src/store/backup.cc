#include "store/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/crypto.h"
#include "store/migrations.h"

namespace anju::store {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kManifest = "manifest.json";
constexpr const char* kDatabases[] = {"anju.db", "events.db"};

Status unavailable(const std::string& message) {
  return {Code::kUnavailable, message};
}

Status badBackup(const std::string& message) {
  return Status::invalid("from", "备份不完整或已损坏 (backup is not whole: " + message + ")");
}

// A file and the folder holding its name reach the disk before the backup or restore counts on
// them.
Status syncPath(const fs::path& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return unavailable("cannot open " + path.string() + " to sync it");
  bool ok = ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  return ok ? Status{} : unavailable("cannot sync " + path.string());
}

Status copySynced(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  if (ec) return unavailable("cannot create " + to.parent_path().string() + ": " + ec.message());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) return unavailable("cannot copy " + from.string() + ": " + ec.message());
  return syncPath(to, false);
}

bool isTemporary(const std::string& name) {
  return name.find(".tmp") != std::string::npos;
}

bool isDatabaseSidecar(const std::string& name) {
  for (const char* suffix : {".db", "-wal", "-shm", "-journal"}) {
    std::string_view s(suffix);
    if (name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
      return true;
  }
  return false;
}

struct SqliteHandle {
  sqlite3* db = nullptr;
  ~SqliteHandle() { sqlite3_close_v2(db); }
};

Status openFile(const fs::path& path, int flags, SqliteHandle& handle) {
  if (sqlite3_open_v2(path.c_str(), &handle.db, flags, nullptr) != SQLITE_OK) {
    return unavailable("cannot open " + path.string() + ": " +
                       (handle.db ? sqlite3_errmsg(handle.db) : "out of memory"));
  }
  sqlite3_busy_timeout(handle.db, 5000);
  return {};
}

// The first column of the first row of `sql` on `db`, or `fallback` when there is none (a table
// that an empty store does not have yet).
int64_t scalar(sqlite3* db, const char* sql, int64_t fallback) {
  sqlite3_stmt* stmt = nullptr;
  int64_t value = fallback;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL) {
    value = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return value;
}

// The whole file in one backup step: one read transaction, hence one consistent snapshot. Stepping
// in pieces would restart the copy at every commit of a busy server and might never finish.
Status copyDatabase(const fs::path& from, const fs::path& to) {
  SqliteHandle source, target;
  ANJU_RETURN_IF_ERROR(openFile(from, SQLITE_OPEN_READWRITE, source));
  ANJU_RETURN_IF_ERROR(openFile(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, target));
  sqlite3_backup* backup = sqlite3_backup_init(target.db, "main", source.db, "main");
  if (!backup)
    return unavailable("cannot back up " + from.string() + ": " + sqlite3_errmsg(target.db));
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 100; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return unavailable("cannot back up " + from.string() + ": " + sqlite3_errstr(rc));
  }
  // A single file: the copy must not need a -wal beside it to be whole.
  if (sqlite3_exec(target.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    return unavailable("cannot finish " + to.string() + ": " + sqlite3_errmsg(target.db));
  }
  return {};
}

Result<BackupFile> describe(const fs::path& root, const fs::path& file) {
  BackupFile f;
  f.path = fs::relative(file, root).generic_string();
  std::error_code ec;
  f.bytes = fs::file_size(file, ec);
  if (ec) return unavailable("cannot read " + file.string() + ": " + ec.message());
  auto digest = crypto::sha256FileHex(file.string());
  if (!digest) return unavailable("cannot read " + file.string());
  f.sha256 = std::move(*digest);
  return f;
}

json toJson(const BackupManifest& m) {
  json files = json::array();
  for (const auto& f : m.files)
    files.push_back({{"path", f.path}, {"bytes", f.bytes}, {"sha256", f.sha256}});
  return {{"format", m.format},
          {"anju_version", m.anju_version},
          {"created", formatTimestamp(m.created_ms, 0)},
          {"created_ms", m.created_ms},
          {"schema_version", m.schema_version},
          {"event_days", m.event_days},
          {"files", files},
          {"blobs", {{"count", m.blobs}, {"bytes", m.blob_bytes}}}};
}

Result<BackupManifest> readManifest(const fs::path& dir) {
  std::ifstream in(dir / kManifest);
  if (!in) return badBackup("no " + std::string(kManifest) + " in " + dir.string());
  BackupManifest m;
  try {
    json j = json::parse(in);
    m.format = j.at("format").get<int>();
    if (m.format != 1) return badBackup("unknown format " + std::to_string(m.format));
    m.anju_version = j.at("anju_version").get<std::string>();
    m.created_ms = j.at("created_ms").get<int64_t>();
    m.schema_version = j.at("schema_version").get<int>();
    m.event_days = j.at("event_days").get<int64_t>();
    for (const auto& f : j.at("files")) {
      BackupFile file{f.at("path").get<std::string>(), f.at("bytes").get<uint64_t>(),
                      f.at("sha256").get<std::string>()};
      // The manifest names files inside the backup only.
      if (file.path.empty() || file.path.front() == '/' ||
          file.path.find("..") != std::string::npos)
        return badBackup("manifest names " + file.path);
      m.files.push_back(std::move(file));
    }
    m.blobs = j.at("blobs").at("count").get<int64_t>();
    m.blob_bytes = j.at("blobs").at("bytes").get<uint64_t>();
  } catch (const json::exception& e) {
    return badBackup(std::string(kManifest) + " cannot be read: " + e.what());
  }
  return m;
}

// Blobs under `root`/blobs, as relative paths, temporary files left out. A folder that cannot be
// read is an error: a backup or a check that missed blobs would not say so otherwise.
Result<std::vector<fs::path>> blobFiles(const fs::path& root) {
  std::vector<fs::path> out;
  std::error_code ec;
  const fs::path dir = root / "blobs";
  if (!fs::is_directory(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    std::error_code entry_ec;
    if (it->is_regular_file(entry_ec) && !isTemporary(it->path().filename().string()))
      out.push_back(fs::relative(it->path(), root));
  }
  if (ec) return unavailable("cannot list " + dir.string() + ": " + ec.message());
  return out;
}

Status copyBlobs(const fs::path& data, const fs::path& out, BackupManifest& m) {
  auto blobs = blobFiles(data);
  if (!blobs) return blobs.status();
  for (const auto& rel : *blobs) {
    std::error_code ec;
    // Retention may remove a blob between listing and copying; a blob no kept record names is no
    // loss.
    if (!fs::exists(data / rel, ec)) continue;
    ANJU_RETURN_IF_ERROR(copySynced(data / rel, out / rel));
    m.blobs += 1;
    m.blob_bytes += fs::file_size(out / rel, ec);
  }
  return {};
}

// Checks `dir` against `m`: every listed file with its size and digest, every blob against its
// name, and the blob count and bytes.
Status checkAgainst(const fs::path& dir, const BackupManifest& m) {
  for (const auto& f : m.files) {
    const fs::path path = dir / f.path;
    std::error_code ec;
    uint64_t bytes = fs::file_size(path, ec);
    if (ec) return badBackup(f.path + " is missing");
    if (bytes != f.bytes)
      return badBackup(f.path + " has " + std::to_string(bytes) + " bytes, the manifest says " +
                       std::to_string(f.bytes));
    auto digest = crypto::sha256FileHex(path.string());
    if (!digest || *digest != f.sha256) return badBackup(f.path + " does not match its SHA-256");
  }
  int64_t blobs = 0;
  uint64_t blob_bytes = 0;
  auto files = blobFiles(dir);
  if (!files) return files.status();
  for (const auto& rel : *files) {
    auto digest = crypto::sha256FileHex((dir / rel).string());
    if (!digest || *digest != rel.filename().string())
      return badBackup(rel.generic_string() + " does not match its name");
    std::error_code ec;
    blob_bytes += fs::file_size(dir / rel, ec);
    ++blobs;
  }
  if (blobs != m.blobs || blob_bytes != m.blob_bytes)
    return badBackup(std::to_string(blobs) + " blobs of " + std::to_string(blob_bytes) +
                     " bytes, the manifest says " + std::to_string(m.blobs) + " of " +
                     std::to_string(m.blob_bytes));
  return {};
}

bool isEmptyOrAbsent(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  return fs::is_directory(dir, ec) && fs::is_empty(dir, ec);
}

// "data/", "./data" and "data" alike: an absolute path without a trailing separator.
fs::path clean(const std::string& path) {
  fs::path p = fs::absolute(path).lexically_normal();
  return p.has_filename() ? p : p.parent_path();
}

// A folder beside `target` (same file system, so the final rename is atomic).
fs::path besides(const fs::path& target, const std::string& what) {
  return target.parent_path() /
         ("." + target.filename().string() + "." + what + "-" + crypto::randomHex(4));
}

Status fillBackup(const fs::path& data, const fs::path& out, BackupManifest& m) {
  for (const char* name : kDatabases) {
    std::error_code ec;
    if (!fs::exists(data / name, ec)) continue;
    ANJU_RETURN_IF_ERROR(copyDatabase(data / name, out / name));
  }
  {
    SqliteHandle registry;
    if (fs::exists(out / "anju.db")) {
      ANJU_RETURN_IF_ERROR(openFile(out / "anju.db", SQLITE_OPEN_READONLY, registry));
      m.schema_version =
          static_cast<int>(scalar(registry.db, "SELECT MAX(version) FROM schema_migrations", 0));
    }
    SqliteHandle events;
    if (fs::exists(out / "events.db")) {
      ANJU_RETURN_IF_ERROR(openFile(out / "events.db", SQLITE_OPEN_READONLY, events));
      m.event_days = scalar(events.db, "SELECT COUNT(*) FROM event_partitions", 0);
    }
  }
  ANJU_RETURN_IF_ERROR(copyBlobs(data, out, m));
  std::error_code ec, entry_ec;
  for (auto it = fs::directory_iterator(data, ec); !ec && it != fs::end(it); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_regular_file(entry_ec) && !isDatabaseSidecar(name) && !isTemporary(name))
      ANJU_RETURN_IF_ERROR(copySynced(it->path(), out / name));
  }
  if (ec) return unavailable("cannot list " + data.string() + ": " + ec.message());
  if (fs::is_directory(data / "faces", entry_ec)) {
    for (auto it = fs::directory_iterator(data / "faces", ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (it->is_regular_file(entry_ec) && it->path().extension() == ".ivf")
        ANJU_RETURN_IF_ERROR(copySynced(it->path(), out / "faces" / it->path().filename()));
    }
    if (ec) return unavailable("cannot list " + (data / "faces").string() + ": " + ec.message());
  }
  // Every file but the blobs, hashed as copied.
  for (auto it = fs::recursive_directory_iterator(out, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_directory(entry_ec) && it->path().filename() == "blobs") {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(entry_ec)) continue;
    auto file = describe(out, it->path());
    if (!file) return file.status();
    m.files.push_back(std::move(*file));
  }
  if (ec) return unavailable("cannot list " + out.string() + ": " + ec.message());
  std::sort(m.files.begin(), m.files.end(),
            [](const BackupFile& a, const BackupFile& b) { return a.path < b.path; });
  {
    std::ofstream manifest(out / kManifest);
    manifest << toJson(m).dump(2) << "\n";
    if (!manifest.flush()) return unavailable("cannot write " + (out / kManifest).string());
  }
  ANJU_RETURN_IF_ERROR(syncPath(out / kManifest, false));
  ANJU_RETURN_IF_ERROR(syncPath(out, true));
  return {};
}

}  // namespace

uint64_t BackupManifest::totalBytes() const {
  uint64_t total = blob_bytes;
  for (const auto& f : files) total += f.bytes;
  return total;
}

Result<BackupManifest> backupDataFolder(const std::string& data_dir, const std::string& out_dir,
                                        const Clock& clock, const std::string& anju_version) {
  const fs::path data = clean(data_dir), out = clean(out_dir);
  std::error_code ec;
  if (!fs::exists(data / "anju.db", ec))
    return Status::invalid("data", "数据目录中没有安居存储 (no Anju store in " + data_dir + ")");
  if (!isEmptyOrAbsent(out))
    return Status::invalid(
        "out", "备份目标已存在且不为空 (backup target exists and is not empty: " + out_dir + ")");
  const fs::path temp = besides(out, "partial");
  fs::create_directories(temp, ec);
  if (ec) return unavailable("cannot create " + temp.string() + ": " + ec.message());
  BackupManifest m;
  m.anju_version = anju_version;
  m.created_ms = clock.nowMillis();
  Status s = fillBackup(data, temp, m);
  if (s) {
    fs::rename(temp, out, ec);
    if (ec)
      s = unavailable("cannot rename " + temp.string() + " to " + out_dir + ": " + ec.message());
  }
  if (!s) {
    fs::remove_all(temp, ec);
    return s;
  }
  ANJU_RETURN_IF_ERROR(syncPath(out.parent_path(), true));
  return m;
}

Result<BackupManifest> verifyBackup(const std::string& backup_dir) {
  auto m = readManifest(backup_dir);
  if (!m) return m.status();
  ANJU_RETURN_IF_ERROR(checkAgainst(backup_dir, *m));
  return m;
}

Result<BackupManifest> restoreDataFolder(const std::string& backup_dir, const std::string& data_dir,
                                         bool force) {
  const fs::path from = clean(backup_dir), target = clean(data_dir);
  auto m = readManifest(from);
  if (!m) return m.status();
  // The server would refuse the restored store at start; better to say so before replacing
  // anything.
  const int known = sqliteMigrations().back().version;
  if (m->schema_version > known)
    return Status::invalid("from",
                           "备份来自更新版本的安居 (the backup was made by a newer Anju: schema " +
                               std::to_string(m->schema_version) + ", this one knows up to " +
                               std::to_string(known) + ")");
  if (!isEmptyOrAbsent(target) && !force)
    return Status::invalid("data", "目标数据目录不为空 (target data folder is not empty: " +
                                       data_dir + "; --force replaces it)");
  // Copied first and checked as copied, so what is renamed into place is exactly what was backed
  // up, read back from the disk it now sits on.
  const fs::path temp = besides(target, "restoring");
  std::error_code ec;
  fs::create_directories(temp, ec);
  if (ec) return unavailable("cannot create " + temp.string() + ": " + ec.message());
  auto fail = [&](Status s) {
    fs::remove_all(temp, ec);
    return s;
  };
  for (const auto& f : m->files) {
    if (!fs::exists(from / f.path, ec)) return fail(badBackup(f.path + " is missing"));
    if (Status s = copySynced(from / f.path, temp / f.path); !s) return fail(s);
  }
  auto blobs = blobFiles(from);
  if (!blobs) return fail(blobs.status());
  for (const auto& rel : *blobs) {
    if (Status s = copySynced(from / rel, temp / rel); !s) return fail(s);
  }
  if (Status s = checkAgainst(temp, *m); !s) return fail(s);
  if (Status s = syncPath(temp, true); !s) return fail(s);

  fs::path aside;
  if (fs::exists(target, ec)) {
    aside = besides(target, "replaced");
    fs::rename(target, aside, ec);
    if (ec) return fail(unavailable("cannot move " + data_dir + " aside: " + ec.message()));
  }
  fs::rename(temp, target, ec);
  if (ec) {
    Status s =
        unavailable("cannot rename " + temp.string() + " to " + data_dir + ": " + ec.message());
    if (!aside.empty()) fs::rename(aside, target, ec);
    return fail(s);
  }
  if (!aside.empty()) fs::remove_all(aside, ec);
  ANJU_RETURN_IF_ERROR(syncPath(target.parent_path(), true));
  return m;
}

}  // namespace anju::store
