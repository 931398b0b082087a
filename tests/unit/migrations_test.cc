#include "store/migrations.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/entity.h"
#include "temp_store.h"

namespace anju::store {
namespace {

using test_support::TempStore;

int newestVersion() {
  return sqliteMigrations().back().version;
}

std::set<std::string> columnsOf(TempStore& store, const std::string& table) {
  std::set<std::string> names;
  Rows rows = store.query("PRAGMA table_info(" + table + ")");
  for (const auto& row : rows.rows) names.insert(asText(row[1]));
  return names;
}

std::set<std::string> notNullColumnsOf(TempStore& store, const std::string& table) {
  std::set<std::string> names;
  Rows rows = store.query("PRAGMA table_info(" + table + ")");
  for (const auto& row : rows.rows) {
    if (asInt(row[3]) != 0) names.insert(asText(row[1]));
  }
  return names;
}

// Columns that carry a single-column unique index (UNIQUE or PRIMARY KEY).
std::set<std::string> uniqueColumnsOf(TempStore& store, const std::string& table) {
  std::set<std::string> names;
  Rows indexes = store.query("PRAGMA index_list(" + table + ")");
  for (const auto& index : indexes.rows) {
    if (asInt(index[2]) == 0) continue;
    Rows columns = store.query("PRAGMA index_info('" + asText(index[1]) + "')");
    if (columns.size() == 1) names.insert(asText(columns.rows[0][2]));
  }
  return names;
}

// (from column, target table) of every foreign key.
std::set<std::pair<std::string, std::string>> foreignKeysOf(TempStore& store,
                                                            const std::string& table) {
  std::set<std::pair<std::string, std::string>> keys;
  Rows rows = store.query("PRAGMA foreign_key_list(" + table + ")");
  for (const auto& row : rows.rows) keys.emplace(asText(row[3]), asText(row[2]));
  return keys;
}

TEST(Migrations, FreshStoreReachesTheNewestVersion) {
  TempStore store;
  auto version = schemaVersion(store.db());
  ASSERT_TRUE(version) << version.status().message();
  EXPECT_EQ(*version, newestVersion());
  EXPECT_EQ(store.count("schema_migrations"), static_cast<int64_t>(sqliteMigrations().size()));
}

TEST(Migrations, MigratingAgainChangesNothingAndKeepsTheData) {
  TempStore store;
  ASSERT_TRUE(
      store.execute("INSERT INTO regions (region_path, path, name, level, created_at, updated_at) "
                    "VALUES ('/1/', '/1/', '秦皇岛市', 'city', 0, 0)"));

  Status again = migrate(store.db(), sqliteMigrations());
  ASSERT_TRUE(again) << again.message();
  store.reopen();

  EXPECT_EQ(*schemaVersion(store.db()), newestVersion());
  EXPECT_EQ(store.count("schema_migrations"), static_cast<int64_t>(sqliteMigrations().size()));
  EXPECT_EQ(store.query("SELECT name FROM regions").scalarText(), "秦皇岛市");
}

TEST(Migrations, EveryRegistryFieldThatIsNotAListHasAColumnInItsTable) {
  TempStore store;
  for (const auto& spec : domain::registry()) {
    SCOPED_TRACE(spec.name);
    std::set<std::string> columns = columnsOf(store, spec.name);
    ASSERT_FALSE(columns.empty()) << "no table " << spec.name;
    for (const char* common : {"id", "region_path", "created_at", "updated_at"}) {
      EXPECT_TRUE(columns.count(common)) << spec.name << " has no column " << common;
    }
    for (const auto& field : spec.fields) {
      if (field.type == domain::FieldType::kList) continue;
      EXPECT_TRUE(columns.count(field.name)) << spec.name << " has no column " << field.name;
    }
  }
}

TEST(Migrations, EveryRequiredFieldIsNotNullInItsTable) {
  TempStore store;
  for (const auto& spec : domain::registry()) {
    std::set<std::string> not_null = notNullColumnsOf(store, spec.name);
    for (const auto& field : spec.fields) {
      if (!field.required || field.type == domain::FieldType::kList) continue;
      EXPECT_TRUE(not_null.count(field.name)) << spec.name << "." << field.name;
    }
  }
}

// Duplicates are caught by the database's unique index, which the store turns into a 409 naming
// the field; a unique field without an index would silently accept duplicates.
TEST(Migrations, EveryUniqueFieldHasAUniqueIndex) {
  TempStore store;
  for (const auto& spec : domain::registry()) {
    std::set<std::string> unique = uniqueColumnsOf(store, spec.name);
    for (const auto& field : spec.fields) {
      if (!field.unique) continue;
      EXPECT_TRUE(unique.count(field.name)) << spec.name << "." << field.name;
    }
  }
}

// Deleting an object that others still point at is refused by these keys.
TEST(Migrations, EveryReferenceFieldIsAForeignKeyToItsTarget) {
  TempStore store;
  for (const auto& spec : domain::registry()) {
    auto keys = foreignKeysOf(store, spec.name);
    for (const auto& field : spec.fields) {
      if (field.type != domain::FieldType::kRef) continue;
      EXPECT_TRUE(keys.count({field.name, field.ref}))
          << spec.name << "." << field.name << " -> " << field.ref;
    }
  }
}

TEST(Migrations, AppliesOnlyTheMigrationsTheStoreHasNotSeen) {
  TempStore store(/*migrated=*/false);
  std::vector<Migration> history = {{1, "first", "CREATE TABLE first (x INTEGER);"}};
  ASSERT_TRUE(migrate(store.db(), history));
  ASSERT_TRUE(store.execute("INSERT INTO first (x) VALUES (7)"));

  // Running migration 1 again would fail on the existing table.
  history.push_back({2, "second", "CREATE TABLE second (y INTEGER);"});
  Status s = migrate(store.db(), history);
  ASSERT_TRUE(s) << s.message();

  EXPECT_EQ(*schemaVersion(store.db()), 2);
  EXPECT_EQ(store.count("first"), 1);
  EXPECT_EQ(store.count("second"), 0);
}

TEST(Migrations, AFailingMigrationLeavesTheStoreAtThePreviousVersionWithNoTrace) {
  TempStore store(/*migrated=*/false);
  std::vector<Migration> history = {
      {1, "first", "CREATE TABLE first (x INTEGER);"},
      {2, "broken", "CREATE TABLE half (y INTEGER); INSERT INTO nowhere VALUES (1);"}};

  Status s = migrate(store.db(), history);

  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("broken"), std::string::npos) << s.message();
  EXPECT_EQ(*schemaVersion(store.db()), 1);
  EXPECT_TRUE(columnsOf(store, "half").empty()) << "the failed migration's table survived";
}

TEST(Migrations, RefusesAStoreWrittenByANewerAnjuNamingBothVersions) {
  TempStore store;
  ASSERT_TRUE(store.execute(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (907, 'future', 'x')"));
  std::vector<Migration> known = sqliteMigrations();
  known.push_back({313, "known_to_this_binary", "CREATE TABLE from_313 (x INTEGER);"});

  Status s = migrate(store.db(), known);

  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find("907"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("313"), std::string::npos) << s.message();
  EXPECT_TRUE(columnsOf(store, "from_313").empty()) << "a refused store must not be touched";
}

TEST(Migrations, RefusesAStoreNewerThanTheEmbeddedSchema) {
  TempStore store;
  int future = newestVersion() + 1;
  ASSERT_TRUE(store.execute(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')",
      {int64_t{future}}));

  Status s = migrate(store.db(), sqliteMigrations());

  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find("version " + std::to_string(future)), std::string::npos)
      << s.message();
}

// PostgreSQL runs the same schema history: a SQLite migration merged without its translation in
// src/store/postgres/migrations would leave PostgreSQL stores behind.
TEST(Migrations, EverySqliteMigrationHasAPostgresTwin) {
  const auto& sqlite = sqliteMigrations();
  const auto& postgres = postgresMigrations();
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    ASSERT_LT(i, postgres.size()) << "no src/store/postgres/migrations twin of migration "
                                  << sqlite[i].version << "_" << sqlite[i].name;
    EXPECT_EQ(postgres[i].version, sqlite[i].version);
    EXPECT_EQ(postgres[i].name, sqlite[i].name);
  }
  EXPECT_EQ(postgres.size(), sqlite.size()) << "a PostgreSQL migration without a SQLite one";
}

}  // namespace
}  // namespace anju::store
