// libFuzzer target: a CSV file as an office uploads it (any encoding, any quoting, any headings),
// read record by record and imported as persons into a real SQLite store. Every outcome is a
// report or a Status, never a crash; a refused file leaves the store as it was.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include "common/clock.h"
#include "common/crypto.h"
#include "domain/entity.h"
#include "importer/csv.h"
#include "importer/import.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/record_store.h"

namespace {

struct Store {
  std::filesystem::path dir;
  anju::SystemClock clock;
  std::unique_ptr<anju::store::Database> db;
  std::unique_ptr<anju::store::RecordStore> records;

  Store() {
    anju::crypto::initialize();
    dir = std::filesystem::temp_directory_path() / ("anju-fuzz-csv-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto opened = anju::store::openSqlite({.path = (dir / "anju.db").string()});
    if (!opened) __builtin_trap();
    db = std::move(*opened);
    if (!anju::store::migrate(*db, anju::store::sqliteMigrations())) __builtin_trap();
    records = std::make_unique<anju::store::RecordStore>(*db, clock, 480);
  }
  ~Store() {
    records.reset();
    db.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

int64_t persons(anju::store::Database& db) {
  int64_t n = -1;
  (void)db.read([&](anju::store::Connection& c) -> anju::Status {
    auto rows = c.query("SELECT COUNT(*) FROM persons");
    if (rows) n = rows->scalarInt().value_or(-1);
    return {};
  });
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Store store;
  const std::string text(reinterpret_cast<const char*>(data), size);

  anju::importer::CsvReader reader{std::string_view(text)};
  anju::importer::CsvRecord record;
  for (int i = 0; i < 10000; ++i) {
    auto more = reader.next(record);
    if (more && !*more) break;
  }

  const int64_t before = persons(*store.db);
  std::istringstream in(text);
  auto report = anju::importer::importCsv(*store.records, *anju::domain::findEntity("persons"), in,
                                          {.partial = false, .scope = {}});
  if ((!report || !report->committed) && persons(*store.db) != before) __builtin_trap();
  return 0;
}
