// CSV as offices exchange it with Excel (RFC 4180, UTF-8): a streaming reader that reports the
// line each record starts on, a header mapper that accepts English and Chinese column names, and
// a writer whose files open correctly in Excel and cannot smuggle formulas into it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace anju::importer {

struct CsvRecord {
  std::vector<std::string> fields;
  // The 1-based physical line the record starts on, as a user sees it in a text editor; records
  // after a quoted field that spans lines start further down than their ordinal suggests.
  std::size_t line = 0;

  // True when every field is empty, like the ",,," rows Excel leaves below a table.
  bool blank() const;
};

struct CsvReadOptions {
  // The size of the whole input, when known (a file's size), so progress can be shown.
  std::optional<uint64_t> total_bytes = std::nullopt;
  // A longer record is an error (kTooLarge); it bounds memory when a stray quote would otherwise
  // turn the rest of a file into one field.
  std::size_t max_record_bytes = std::size_t{1} << 20;
  // How much of a stream is read at a time.
  std::size_t buffer_bytes = std::size_t{64} << 10;
};

// Reads records one at a time, either from a stream (a file is never held in memory whole) or
// from text already in memory (a request body, read in place without a copy). A UTF-8 byte order
// mark at the start is skipped; CRLF, LF and lone CR all end a record; lines with nothing on them
// are skipped; whitespace inside fields is kept.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in, CsvReadOptions options = {});
  // `text` must outlive the reader.
  explicit CsvReader(std::string_view text, CsvReadOptions options = {});
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into `record`: true when there was one, false at the end of input.
  // A malformed record (a stray or unterminated quote, invalid UTF-8, too long) is an error whose
  // field is "line N"; `record.line` is set and the next call continues after the bad record, so
  // an import can list every bad line at once. An unterminated quote consumes the rest of the
  // input, so the call after it returns false. A stream that fails to read is Code::kInternal,
  // never a quiet end of input.
  Result<bool> next(CsvRecord& record);

  // Bytes of input consumed so far, including a skipped byte order mark.
  uint64_t bytesRead() const { return consumed_before_ + pos_; }
  std::optional<uint64_t> totalBytes() const { return options_.total_bytes; }

 private:
  bool available();
  bool refill();
  void skipByteOrderMark();

  std::istream* in_ = nullptr;
  CsvReadOptions options_;
  std::string buffer_;
  char head_[3] = {};
  std::string_view window_;
  std::size_t pos_ = 0;
  uint64_t consumed_before_ = 0;
  std::size_t line_ = 1;
  bool started_ = false;
  bool stream_ended_ = false;
  bool read_failed_ = false;
};

struct ColumnAlias {
  std::string canonical;             // the name the importer asks for, e.g. "name"
  std::vector<std::string> aliases;  // other accepted headers, e.g. {"姓名", "full name"}
  bool required = false;
};

// Maps the header row to column indices. Header cells match a canonical name or an alias after
// trimming spaces (including the ideographic space U+3000) and ignoring ASCII case.
class CsvHeader {
 public:
  // Fails with Status::invalid naming the column when a required column is missing, or when two
  // header cells name the same column.
  static Result<CsvHeader> parse(const std::vector<std::string>& row,
                                 const std::vector<ColumnAlias>& known);

  std::optional<std::size_t> index(std::string_view canonical) const;
  // Non-empty header cells that match no known column, trimmed, in file order; an importer can
  // warn about them instead of silently dropping the data.
  std::vector<std::string> unknown() const { return unknown_; }
  // The cell of `canonical` in `row`, or "" when the column is absent or the row is short.
  std::string_view cell(const std::vector<std::string>& row, std::string_view canonical) const;

 private:
  std::vector<std::pair<std::string, std::size_t>> columns_;
  std::vector<std::string> unknown_;
};

struct CsvWriteOptions {
  // Excel in China reads a CSV without a byte order mark as GBK and garbles Chinese text.
  bool utf8_bom = false;
  // Prefixes cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) with an
  // apostrophe; plain numbers such as "-12.5" are left alone.
  bool neutralize_formulas = true;
};

// Writes rows with CRLF line endings, quoting only the fields that need it (a comma, quote, CR or
// LF, or leading or trailing whitespace). Stream errors are left in the stream's state.
class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out, CsvWriteOptions options = {});
  explicit CsvWriter(std::string& out, CsvWriteOptions options = {});

  void writeRow(std::span<const std::string> row);
  void writeRow(std::span<const std::string_view> row);
  void writeRow(std::initializer_list<std::string_view> row);

 private:
  void writeField(std::string_view cell);
  void append(std::string_view text);

  std::ostream* out_ = nullptr;
  std::string* text_ = nullptr;
  CsvWriteOptions options_;
};

}  // namespace anju::importer
