#include "store/migrations.h"

#include "common/log.h"

namespace anju::store {

namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
    "NULL, "
    "applied_at TEXT NOT NULL)";

// Nodes started together on one PostgreSQL database take turns ("anju" "mig"): each reads the
// version and applies a migration under this lock, so a node that waited finds it applied.
constexpr int64_t kMigrationLock = 0x616e6a75'6d6967;

Result<int> versionIn(Connection& c) {
  auto rows = c.query("SELECT MAX(version) FROM schema_migrations");
  if (!rows) return rows.status();
  return static_cast<int>(rows->scalarInt().value_or(0));
}

}  // namespace

const std::vector<Migration>& migrationsFor(const Database& db) {
  return db.dialect() == "postgresql" ? postgresMigrations() : sqliteMigrations();
}

Result<int> schemaVersion(Database& db) {
  int version = 0;
  Status s = db.write([&](Connection& c) -> Status {
    ANJU_RETURN_IF_ERROR(c.lockUntilCommit(kMigrationLock));
    auto created = c.execute(kCreateTable);
    if (!created) return created.status();
    auto found = versionIn(c);
    if (!found) return found.status();
    version = *found;
    return {};
  });
  if (!s) return s;
  return version;
}

Status migrate(Database& db, const std::vector<Migration>& migrations) {
  auto current = schemaVersion(db);
  if (!current) return current.status();
  int newest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > newest) {
    return {Code::kUnavailable,
            "数据目录由更新版本的安居写入 (the data folder is at schema version " +
                std::to_string(*current) + " but this anju knows only up to " +
                std::to_string(newest) + "; run a newer anju or restore a backup)"};
  }
  for (const auto& m : migrations) {
    if (m.version <= *current) continue;
    bool applied = false;
    Status s = db.write([&](Connection& c) -> Status {
      ANJU_RETURN_IF_ERROR(c.lockUntilCommit(kMigrationLock));
      auto now = versionIn(c);
      if (!now) return now.status();
      if (*now >= m.version) return {};
      applied = true;
      ANJU_RETURN_IF_ERROR(c.executeScript(m.sql));
      auto done = c.execute(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, "
          "CURRENT_TIMESTAMP)",
          {int64_t{m.version}, m.name});
      return done ? Status() : done.status();
    });
    if (!s) {
      return {s.code(), "migration " + std::to_string(m.version) + " (" + m.name +
                            ") failed: " + s.message()};
    }
    if (applied)
      log::info("store.migrated", {{"version", std::to_string(m.version)}, {"name", m.name}});
  }
  return {};
}

}  // namespace anju::store
