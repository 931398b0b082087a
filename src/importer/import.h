// CSV import and export of registry lists, as offices keep them: UTF-8 (with or without BOM),
// Chinese or English column headings, referenced objects by id or by their natural key (an
// estate's name, a person's ID number, a room's address code).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "domain/entity.h"
#include "store/record_store.h"

namespace anju::importer {

struct ImportOptions {
  bool partial = false;  // import the good rows even when some are bad
  store::Scope scope;
  int utc_offset_minutes = 480;
  std::size_t max_errors = 1000;  // stop listing after this many (the count stays exact)
  std::function<void(uint64_t bytes_read)> progress;
};

struct RowError {
  std::size_t line = 0;
  std::string field;
  std::string message;
};

struct ImportReport {
  std::size_t rows = 0;      // data rows read (blank lines not counted)
  std::size_t imported = 0;  // rows now in the store
  std::size_t failed = 0;    // rows refused
  std::vector<RowError> errors;
  std::vector<std::string> ignored_columns;
  bool committed = false;  // false: nothing was written
};

// Reads the whole file first-to-last inside one transaction: with bad rows and no `partial`, the
// transaction is rolled back and the report says which rows and fields were wrong.
Result<ImportReport> importCsv(store::RecordStore& records, const domain::EntitySpec& spec,
                               std::istream& in, const ImportOptions& options);

struct ExportOptions {
  store::ListQuery query;  // filters; the page size is chosen here
  store::Scope scope;
  bool mask_personal = true;
  bool utf8_bom = true;  // spreadsheet programs in China expect it
};

// Writes every object matching the filters; returns how many.
Result<std::size_t> exportCsv(store::RecordStore& records, const domain::EntitySpec& spec,
                              std::ostream& out, const ExportOptions& options);

}  // namespace anju::importer
