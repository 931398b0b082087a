#include "importer/csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <istream>
#include <ostream>

#include "common/utf8.h"

namespace anju::importer {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

std::string lineField(std::size_t line) {
  return fmt::format("line {}", line);
}

// Messages reach office staff through the import report, so they are in Chinese with the English
// after them, as elsewhere in the importer.
Status readFailure() {
  return Status(Code::kInternal, "读取文件失败 (reading the CSV input failed)");
}

bool isAsciiSpace(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

bool CsvRecord::blank() const {
  return std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return f.empty(); });
}

CsvReader::CsvReader(std::istream& in, CsvReadOptions options) : in_(&in), options_(options) {
  buffer_.resize(std::max<std::size_t>(options_.buffer_bytes, 1));
}

CsvReader::CsvReader(std::string_view text, CsvReadOptions options)
    : options_(options), window_(text), stream_ended_(true) {
  if (!options_.total_bytes) options_.total_bytes = text.size();
}

bool CsvReader::available() {
  return pos_ < window_.size() || refill();
}

bool CsvReader::refill() {
  if (in_ == nullptr || stream_ended_) return false;
  consumed_before_ += window_.size();
  window_ = {};
  pos_ = 0;
  in_->read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  const auto got = static_cast<std::size_t>(in_->gcount());
  if (got < buffer_.size()) {
    stream_ended_ = true;
    read_failed_ = in_->bad();
  }
  window_ = std::string_view(buffer_.data(), got);
  return got > 0;
}

void CsvReader::skipByteOrderMark() {
  if (in_ == nullptr) {
    if (window_.starts_with(kByteOrderMark)) pos_ = kByteOrderMark.size();
    return;
  }
  // The mark is read on its own so that it is recognised whatever the buffer size; bytes that
  // turn out not to be a mark are parsed from head_ before the first refill.
  in_->read(head_, sizeof head_);
  const auto got = static_cast<std::size_t>(in_->gcount());
  if (got < sizeof head_) {
    stream_ended_ = true;
    read_failed_ = in_->bad();
  }
  window_ = std::string_view(head_, got);
  if (window_ == kByteOrderMark) pos_ = got;
}

Result<bool> CsvReader::next(CsvRecord& record) {
  if (!started_) {
    started_ = true;
    skipByteOrderMark();
  }
  // Lines with nothing on them are not records: Excel leaves them at the end of files and people
  // leave them between blocks of rows.
  while (true) {
    if (!available()) {
      record.fields.clear();
      record.line = line_;
      if (read_failed_) return readFailure();
      return false;
    }
    const char c = window_[pos_];
    if (c != '\n' && c != '\r') break;
    ++pos_;
    if (c == '\r' && available() && window_[pos_] == '\n') ++pos_;
    ++line_;
  }

  record.line = line_;
  // Strings of the previous record are reused, which keeps a large import from allocating for
  // every field.
  std::size_t count = 0;
  std::size_t record_bytes = 0;
  bool too_long = false;
  Status error;
  auto startField = [&] {
    if (count < record.fields.size()) {
      record.fields[count].clear();
    } else {
      record.fields.emplace_back();
    }
    ++count;
  };
  auto append = [&](std::string_view bytes) {
    record_bytes += bytes.size();
    if (record_bytes > options_.max_record_bytes) {
      too_long = true;
      return;
    }
    record.fields[count - 1].append(bytes);
  };
  auto malformed = [&](const std::string& message) {
    if (error.isOk()) error = Status::invalid(lineField(record.line), message);
  };

  enum class State { kFieldStart, kUnquoted, kQuoted, kAfterQuote };
  State state = State::kFieldStart;
  std::size_t quote_line = 0;
  bool ended_by_line_break = false;
  startField();
  while (available()) {
    char c = window_[pos_];
    if (state == State::kFieldStart) {
      if (c == '"') {
        ++pos_;
        state = State::kQuoted;
        quote_line = line_;
      } else {
        state = State::kUnquoted;
      }
      continue;
    }
    if (state == State::kQuoted) {
      std::size_t end = pos_;
      while (end < window_.size() && window_[end] != '"' && window_[end] != '\r' &&
             window_[end] != '\n') {
        ++end;
      }
      append(window_.substr(pos_, end - pos_));
      pos_ = end;
      if (end == window_.size()) continue;
      c = window_[pos_++];
      if (c == '"') {
        if (available() && window_[pos_] == '"') {
          append("\"");
          ++pos_;
        } else {
          state = State::kAfterQuote;
        }
        continue;
      }
      // Line breaks inside a quoted field are kept as they are, and counted, so that later
      // records report the line a text editor shows.
      append(std::string_view(&c, 1));
      if (c == '\r' && available() && window_[pos_] == '\n') {
        append("\n");
        ++pos_;
      }
      ++line_;
      continue;
    }
    if (state == State::kUnquoted) {
      std::size_t end = pos_;
      while (end < window_.size() && window_[end] != ',' && window_[end] != '"' &&
             window_[end] != '\r' && window_[end] != '\n') {
        ++end;
      }
      append(window_.substr(pos_, end - pos_));
      pos_ = end;
      if (end == window_.size()) continue;
      c = window_[pos_];
      if (c == '"') {
        malformed(
            "含引号的内容要整格加引号，其中的引号写两次 (a quote inside an unquoted field; quote "
            "the whole field and double the quote)");
        append("\"");
        ++pos_;
        continue;
      }
    } else if (c != ',' && c != '\r' && c != '\n') {
      // kAfterQuote: the rest of the field is kept as unquoted text so that the record still
      // ends where the user expects and the following records are read normally.
      malformed("右引号后面还有内容 (text after the closing quote of a field)");
      state = State::kUnquoted;
      continue;
    }
    ++pos_;
    if (c == ',') {
      startField();
      state = State::kFieldStart;
      continue;
    }
    if (c == '\r' && available() && window_[pos_] == '\n') ++pos_;
    ++line_;
    ended_by_line_break = true;
    break;
  }
  record.fields.resize(count);
  if (too_long) {
    // What was kept stops at a point that depends on buffering; better no fields than those.
    record.fields.clear();
  }

  if (!ended_by_line_break && read_failed_) {
    return readFailure();
  }
  if (!ended_by_line_break && state == State::kQuoted) {
    return Status::invalid(
        lineField(record.line),
        fmt::format("从第 {0} 行开始的引号没有结束 (the quoted field starting on line {0} is "
                    "never closed)",
                    quote_line));
  }
  if (!error.isOk()) return error;
  if (too_long) {
    return Status(Code::kTooLarge,
                  fmt::format("这一行超过 {0} 字节 (the record is longer than {0} bytes)",
                              options_.max_record_bytes),
                  lineField(record.line));
  }
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    if (!isValidUtf8(record.fields[i])) {
      return Status::invalid(lineField(record.line),
                             fmt::format("第 {0} 列不是 UTF-8 编码，请在 Excel 中另存为“CSV UTF-8” "
                                         "(column {0} is not valid UTF-8; save the file as \"CSV "
                                         "UTF-8\")",
                                         i + 1));
    }
  }
  return true;
}

namespace {

constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";

// Headers typed in Chinese input methods often carry full-width spaces next to the name.
std::string_view trimHeaderCell(std::string_view cell) {
  while (true) {
    if (!cell.empty() && isAsciiSpace(cell.front())) {
      cell.remove_prefix(1);
    } else if (cell.starts_with(kIdeographicSpace)) {
      cell.remove_prefix(kIdeographicSpace.size());
    } else if (!cell.empty() && isAsciiSpace(cell.back())) {
      cell.remove_suffix(1);
    } else if (cell.ends_with(kIdeographicSpace)) {
      cell.remove_suffix(kIdeographicSpace.size());
    } else {
      return cell;
    }
  }
}

std::string normalizeHeader(std::string_view cell) {
  std::string normal(trimHeaderCell(cell));
  for (char& c : normal) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return normal;
}

// Every heading a column is accepted under, so the user can pick the one their sheet uses.
std::string describeColumn(const ColumnAlias& column) {
  std::string text = fmt::format("\"{}\"", column.canonical);
  for (const std::string& alias : column.aliases) text += fmt::format(" / \"{}\"", alias);
  return text;
}

}  // namespace

Result<CsvHeader> CsvHeader::parse(const std::vector<std::string>& row,
                                   const std::vector<ColumnAlias>& known) {
  std::vector<std::pair<std::string, const ColumnAlias*>> names;
  for (const ColumnAlias& column : known) {
    names.emplace_back(normalizeHeader(column.canonical), &column);
    for (const std::string& alias : column.aliases) {
      names.emplace_back(normalizeHeader(alias), &column);
    }
  }

  CsvHeader header;
  for (std::size_t i = 0; i < row.size(); ++i) {
    const std::string name = normalizeHeader(row[i]);
    if (name.empty()) continue;
    const auto match = std::find_if(names.begin(), names.end(),
                                    [&](const auto& entry) { return entry.first == name; });
    if (match == names.end()) {
      header.unknown_.emplace_back(trimHeaderCell(row[i]));
      continue;
    }
    const std::string& canonical = match->second->canonical;
    if (std::optional<std::size_t> earlier = header.index(canonical)) {
      return Status::invalid(
          canonical, fmt::format("第 {0} 列和第 {1} 列都是 {2} (columns {0} and {1} are the same "
                                 "column)",
                                 *earlier + 1, i + 1, describeColumn(*match->second)));
    }
    header.columns_.emplace_back(canonical, i);
  }

  for (const ColumnAlias& column : known) {
    if (column.required && !header.index(column.canonical)) {
      return Status::invalid(
          column.canonical,
          fmt::format("表头缺少列 {} (the header has no such column)", describeColumn(column)));
    }
  }
  return header;
}

std::optional<std::size_t> CsvHeader::index(std::string_view canonical) const {
  for (const auto& [name, index] : columns_) {
    if (name == canonical) return index;
  }
  return std::nullopt;
}

std::string_view CsvHeader::cell(const std::vector<std::string>& row,
                                 std::string_view canonical) const {
  const std::optional<std::size_t> i = index(canonical);
  if (!i || *i >= row.size()) return {};
  return row[*i];
}

namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

// A signed decimal number, optionally with an exponent: what a spreadsheet reads as a plain
// value and never as a formula.
bool isPlainNumber(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  auto skipDigits = [&] {
    const std::size_t start = i;
    while (i < text.size() && isDigit(text[i])) ++i;
    return i - start;
  };
  std::size_t digits = skipDigits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    digits += skipDigits();
  }
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (skipDigits() == 0) return false;
  }
  return i == text.size();
}

// Spreadsheets skip leading spaces before deciding whether a cell is a formula, so the trigger
// is looked for after them.
bool looksLikeFormula(std::string_view cell) {
  std::string_view rest = cell;
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty()) return false;
  switch (rest.front()) {
    case '=':
    case '@':
    case '\t':
    case '\r':
      return true;
    case '+':
    case '-':
      return !isPlainNumber(rest);
    default:
      return false;
  }
}

bool needsQuotes(std::string_view cell) {
  if (cell.find_first_of(",\"\r\n") != std::string_view::npos) return true;
  // Unquoted at the start of a file, a leading U+FEFF would be taken for the byte order mark.
  if (cell.starts_with(kByteOrderMark)) return true;
  return !cell.empty() && (isAsciiSpace(cell.front()) || isAsciiSpace(cell.back()));
}

}  // namespace

CsvWriter::CsvWriter(std::ostream& out, CsvWriteOptions options) : out_(&out), options_(options) {
  if (options_.utf8_bom) append(kByteOrderMark);
}

CsvWriter::CsvWriter(std::string& out, CsvWriteOptions options) : text_(&out), options_(options) {
  if (options_.utf8_bom) append(kByteOrderMark);
}

void CsvWriter::append(std::string_view text) {
  if (out_ != nullptr) {
    out_->write(text.data(), static_cast<std::streamsize>(text.size()));
  } else {
    text_->append(text);
  }
}

void CsvWriter::writeField(std::string_view cell) {
  const bool guard = options_.neutralize_formulas && looksLikeFormula(cell);
  if (!needsQuotes(cell)) {
    if (guard) append("'");
    append(cell);
    return;
  }
  append("\"");
  if (guard) append("'");
  for (std::size_t start = 0; start < cell.size();) {
    const std::size_t quote = cell.find('"', start);
    if (quote == std::string_view::npos) {
      append(cell.substr(start));
      break;
    }
    append(cell.substr(start, quote + 1 - start));
    append("\"");
    start = quote + 1;
  }
  append("\"");
}

void CsvWriter::writeRow(std::span<const std::string_view> row) {
  // A lone empty field would otherwise be an empty line, which readers skip.
  if (row.size() == 1 && row[0].empty()) {
    append("\"\"\r\n");
    return;
  }
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) append(",");
    writeField(row[i]);
  }
  append("\r\n");
}

void CsvWriter::writeRow(std::span<const std::string> row) {
  std::vector<std::string_view> views(row.begin(), row.end());
  writeRow(std::span<const std::string_view>(views));
}

void CsvWriter::writeRow(std::initializer_list<std::string_view> row) {
  writeRow(std::span<const std::string_view>(row.begin(), row.size()));
}

}  // namespace anju::importer
