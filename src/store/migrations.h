// Versioned schema migrations, applied in order at start inside one transaction each.
#pragma once

#include <string>
#include <vector>

#include "store/database.h"

namespace anju::store {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// The SQLite schema's history, embedded from sqlite/migrations/*.sql at build time.
const std::vector<Migration>& sqliteMigrations();
// The same history for PostgreSQL, from postgres/migrations/*.sql: each SQLite migration has a
// twin of the same number and name.
const std::vector<Migration>& postgresMigrations();
// The migrations of the database's dialect.
const std::vector<Migration>& migrationsFor(const Database& db);

// Brings the schema up to the newest migration. A data folder written by a newer Anju (a schema
// version this binary does not know) is refused rather than risked.
Status migrate(Database& db, const std::vector<Migration>& migrations);

// The version the store is at now (0 when empty).
Result<int> schemaVersion(Database& db);

}  // namespace anju::store
