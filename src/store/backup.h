// Backups of a SQLite data folder, taken while the server runs, and their restore.
//
// What a backup holds, from the data folder:
//   anju.db, events.db  copied through SQLite's online backup, each in one read snapshot, so the
//                       copy is consistent while writers go on committing (WAL readers never block
//                       them); the log is folded into the copy, so no -wal or -shm is taken
//   blobs/              the snapshots and attachments, copied after the databases: a blob is
//                       stored before the event or case naming it commits, so every blob the
//                       copied databases name is already there to be copied
//   faces/*.ivf         the face index's trained quantisers; the index itself is rebuilt from
//                       events.db at start, but retraining a quantiser costs minutes, and the files
//                       are small
//   other files         anju.toml, demo-logins.txt: top-level regular files, as they are
//   manifest.json       written last: format, version, time, schema version, every file's size and
//                       SHA-256 (blobs are named by their own SHA-256, so they are counted instead)
//
// A backup is written into a folder beside PATH and renamed to PATH once whole, and a restore
// fills a folder beside the target, checks it against the manifest and only then renames it into
// place: a failure at any point leaves the target as it was.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"

namespace anju::store {

struct BackupFile {
  std::string path;  // relative to the folder, '/'-separated
  uint64_t bytes = 0;
  std::string sha256;
};

struct BackupManifest {
  int format = 1;
  std::string anju_version;
  int64_t created_ms = 0;
  int schema_version = 0;  // anju.db's newest applied migration
  int64_t event_days = 0;  // day tables in events.db
  std::vector<BackupFile> files;
  int64_t blobs = 0;  // files under blobs/, each named by its SHA-256
  uint64_t blob_bytes = 0;

  uint64_t totalBytes() const;
};

// Copies the data folder at `data_dir` into a new folder `out_dir`, which must not exist yet (or be
// empty). The server may be running.
Result<BackupManifest> backupDataFolder(const std::string& data_dir, const std::string& out_dir,
                                        const Clock& clock, const std::string& anju_version);

// Reads `backup_dir`'s manifest and checks every file against it: present, same size, same
// SHA-256; every blob's content matches its name and the count and bytes match. kInvalid naming
// "from" with what is wrong.
Result<BackupManifest> verifyBackup(const std::string& backup_dir);

// Restores `backup_dir` into `data_dir`. A data folder that holds anything is refused unless
// `force`, in which case it is replaced whole. The server must not be running on `data_dir`.
Result<BackupManifest> restoreDataFolder(const std::string& backup_dir, const std::string& data_dir,
                                         bool force);

}  // namespace anju::store
