#include "importer/csv.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace anju::importer {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// What one call of next() gave: a record or an error.
struct Outcome {
  std::vector<std::string> fields;
  std::size_t line = 0;
  Code code = Code::kOk;
  std::string error_field = {};

  bool operator==(const Outcome&) const = default;
  // GoogleTest looks for this name to print values in failure messages.
  // NOLINTNEXTLINE(readability-identifier-naming)
  friend void PrintTo(const Outcome& outcome, std::ostream* out) {
    *out << "line " << outcome.line << " code " << static_cast<int>(outcome.code) << " "
         << outcome.error_field << " [";
    for (const std::string& field : outcome.fields) *out << "<" << field << ">";
    *out << "]";
  }
};

std::vector<Outcome> readOutcomes(CsvReader& reader) {
  std::vector<Outcome> outcomes;
  CsvRecord record;
  while (true) {
    Result<bool> more = reader.next(record);
    if (more.isOk() && !*more) break;
    Outcome outcome{record.fields, record.line};
    if (!more.isOk()) {
      outcome.code = more.status().code();
      outcome.error_field = more.status().field();
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

std::vector<Outcome> readText(std::string_view text, CsvReadOptions options = {}) {
  CsvReader reader(text, options);
  return readOutcomes(reader);
}

std::vector<Outcome> readStream(const std::string& text, CsvReadOptions options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, options);
  return readOutcomes(reader);
}

Rows fieldsOf(const std::vector<Outcome>& outcomes) {
  Rows rows;
  for (const Outcome& outcome : outcomes) {
    EXPECT_EQ(outcome.code, Code::kOk) << "line " << outcome.line;
    rows.push_back(outcome.fields);
  }
  return rows;
}

std::vector<std::size_t> linesOf(const std::vector<Outcome>& outcomes) {
  std::vector<std::size_t> lines;
  lines.reserve(outcomes.size());
  for (const Outcome& outcome : outcomes) lines.push_back(outcome.line);
  return lines;
}

// The first error the reader reports for `text`.
Status firstError(std::string_view text) {
  CsvReader reader(text);
  CsvRecord record;
  while (true) {
    Result<bool> more = reader.next(record);
    if (!more.isOk()) return more.status();
    if (!*more) return Status::ok();
  }
}

TEST(CsvReader, SplitsChineseTextIntoFields) {
  EXPECT_EQ(fieldsOf(readText("张三,北京市朝阳区\n")), (Rows{{"张三", "北京市朝阳区"}}));
}

TEST(CsvReader, SkipsTheUtf8ByteOrderMarkAtTheStart) {
  const std::string text = "\xEF\xBB\xBF姓名,地址\r\n张三,北京市朝阳区\r\n";
  const Rows expected = {{"姓名", "地址"}, {"张三", "北京市朝阳区"}};
  EXPECT_EQ(fieldsOf(readText(text)), expected);
  EXPECT_EQ(fieldsOf(readStream(text)), expected);
}

TEST(CsvReader, SkipsAByteOrderMarkFollowedByAQuotedField) {
  EXPECT_EQ(fieldsOf(readStream("\xEF\xBB\xBF\"a,b\",c\n")), (Rows{{"a,b", "c"}}));
}

TEST(CsvReader, KeepsAByteOrderMarkThatIsNotAtTheStart) {
  EXPECT_EQ(fieldsOf(readText("a\n\xEF\xBB\xBF"
                              "b\n")),
            (Rows{{"a"},
                  {"\xEF\xBB\xBF"
                   "b"}}));
}

TEST(CsvReader, ReadsInputShorterThanAByteOrderMark) {
  EXPECT_EQ(fieldsOf(readStream("a")), (Rows{{"a"}}));
  EXPECT_EQ(fieldsOf(readStream("ab")), (Rows{{"ab"}}));
  EXPECT_TRUE(readStream("").empty());
  EXPECT_TRUE(readText("").empty());
}

TEST(CsvReader, EndsRecordsAtCrlfLfOrLoneCr) {
  EXPECT_EQ(fieldsOf(readText("a,b\r\nc,d\ne,f\rg,h")),
            (Rows{{"a", "b"}, {"c", "d"}, {"e", "f"}, {"g", "h"}}));
}

TEST(CsvReader, KeepsCommasAndNewlinesInsideQuotedFields) {
  EXPECT_EQ(fieldsOf(readText("\"北京市,朝阳区\",\"5号楼\n3单元\",\"a\r\nb\"\r\n")),
            (Rows{{"北京市,朝阳区", "5号楼\n3单元", "a\r\nb"}}));
}

TEST(CsvReader, TurnsDoubledQuotesIntoOneQuote) {
  EXPECT_EQ(fieldsOf(readText("\"他说\"\"你好\"\"\",\"\"\"\"\n")), (Rows{{"他说\"你好\"", "\""}}));
}

TEST(CsvReader, KeepsWhitespaceAroundFields) {
  EXPECT_EQ(fieldsOf(readText(" 张三 ,\t1203\t,\" quoted \"\n")),
            (Rows{{" 张三 ", "\t1203\t", " quoted "}}));
}

TEST(CsvReader, KeepsEmptyFieldsIncludingATrailingOne) {
  EXPECT_EQ(fieldsOf(readText("a,,\n,\n\"\"\n")), (Rows{{"a", "", ""}, {"", ""}, {""}}));
}

TEST(CsvReader, IgnoresATrailingEmptyLine) {
  EXPECT_EQ(fieldsOf(readText("a,b\r\n\r\n")), (Rows{{"a", "b"}}));
  EXPECT_EQ(fieldsOf(readText("a,b\n\n\n")), (Rows{{"a", "b"}}));
}

TEST(CsvReader, SkipsEmptyLinesButStillCountsThem) {
  const std::vector<Outcome> outcomes = readText("a\n\n\r\nb\n");
  EXPECT_EQ(fieldsOf(outcomes), (Rows{{"a"}, {"b"}}));
  EXPECT_EQ(linesOf(outcomes), (std::vector<std::size_t>{1, 4}));
}

TEST(CsvReader, ReportsTheLineEachRecordStartsOn) {
  EXPECT_EQ(linesOf(readText("姓名,地址\n张三,北京市朝阳区\n李四,上海市浦东新区\n")),
            (std::vector<std::size_t>{1, 2, 3}));
}

TEST(CsvReader, CountsTheLinesOfMultiLineQuotedFieldsForTheRecordsAfterThem) {
  const std::string text =
      "姓名,备注\r\n"
      "张三,\"第一行\r\n第二行\r\n第三行\"\r\n"
      "李四,\"x\ny\"\n"
      "王五,无\n";
  const std::vector<Outcome> outcomes = readText(text);
  EXPECT_EQ(fieldsOf(outcomes), (Rows{{"姓名", "备注"},
                                      {"张三", "第一行\r\n第二行\r\n第三行"},
                                      {"李四", "x\ny"},
                                      {"王五", "无"}}));
  EXPECT_EQ(linesOf(outcomes), (std::vector<std::size_t>{1, 2, 5, 7}));
}

TEST(CsvReader, MarksRowsOfOnlyCommasAsBlank) {
  CsvReader reader(",,,\na,,\n");
  CsvRecord record;
  ASSERT_TRUE(*reader.next(record));
  EXPECT_TRUE(record.blank());
  ASSERT_TRUE(*reader.next(record));
  EXPECT_FALSE(record.blank());
}

TEST(CsvReader, ReportsAnUnterminatedQuoteWithTheLineItStartedOn) {
  const std::vector<Outcome> outcomes = readText("a,b\nc,\"never closed\nd,e\nf,g\n");
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[1].code, Code::kInvalid);
  EXPECT_EQ(outcomes[1].error_field, "line 2");
  EXPECT_EQ(outcomes[1].line, 2u);

  const Status status = firstError("a\nb\n\"x\ny");
  EXPECT_EQ(status.field(), "line 3");
  EXPECT_NE(status.message().find("line 3"), std::string::npos) << status.message();
}

TEST(CsvReader, ReportsAStrayQuoteInAnUnquotedFieldAndGoesOnWithTheNextRecord) {
  const std::vector<Outcome> outcomes = readText("a,b\n5\"号楼,c\nd,e\n");
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[1].code, Code::kInvalid);
  EXPECT_EQ(outcomes[1].error_field, "line 2");
  EXPECT_EQ(outcomes[2], (Outcome{{"d", "e"}, 3}));
}

TEST(CsvReader, ReportsTextAfterAClosingQuoteAndGoesOnWithTheNextRecord) {
  const std::vector<Outcome> outcomes = readText("\"a\"b,c\n\"d\" ,e\nf,g\n");
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].error_field, "line 1");
  EXPECT_EQ(outcomes[1].error_field, "line 2");
  EXPECT_EQ(outcomes[2], (Outcome{{"f", "g"}, 3}));
}

TEST(CsvReader, ReportsInvalidUtf8WithTheLineAndColumn) {
  // 张三 saved as GBK, which is what Excel in China writes for plain "CSV".
  const std::vector<Outcome> outcomes = readText("姓名,地址\n1,\xD5\xC5\xC8\xFD\n2,李四\n");
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[1].code, Code::kInvalid);
  EXPECT_EQ(outcomes[1].error_field, "line 2");
  EXPECT_EQ(outcomes[2], (Outcome{{"2", "李四"}, 3}));

  const Status status = firstError("a,\xD5\xC5\n");
  EXPECT_NE(status.message().find("column 2"), std::string::npos) << status.message();
}

TEST(CsvReader, RejectsARecordLongerThanTheLimitAndGoesOnWithTheNextRecord) {
  const std::string text = "short\n" + std::string(100, 'x') + ",y\nshort again\n";
  const std::vector<Outcome> outcomes = readText(text, {.max_record_bytes = 50});
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[1].code, Code::kTooLarge);
  EXPECT_EQ(outcomes[1].error_field, "line 2");
  EXPECT_EQ(outcomes[2], (Outcome{{"short again"}, 3}));
}

TEST(CsvReader, KeepsReturningFalseAfterTheEnd) {
  CsvReader reader("a\n");
  CsvRecord record;
  EXPECT_TRUE(*reader.next(record));
  EXPECT_FALSE(*reader.next(record));
  EXPECT_FALSE(*reader.next(record));
}

TEST(CsvReader, ReadsTheSameFromAStreamWhateverTheBufferSize) {
  const std::string inputs[] = {
      "\xEF\xBB\xBF姓名,地址\r\n张三,\"北京市\r\n朝阳区\"\r\n\r\n李四,\"a\"\"b\"\r\n",
      "a,b\rc,\"d\r\"\r\r\ne\n",
      "\"x\"\"\",\"\"\"\"\n\"\"\n,\n",
      "a,b\n5\"号楼,c\n\"d\"e,f\n1,\xD5\xC5\n" + std::string(40, 'z') + "\nok\n",
      "a\n\"unterminated\r\nb,c\r\n",
      "\xEF\xBB",
  };
  for (const std::string& text : inputs) {
    const std::vector<Outcome> expected = readText(text, {.max_record_bytes = 30});
    for (std::size_t buffer = 1; buffer <= 9; ++buffer) {
      EXPECT_EQ(readStream(text, {.max_record_bytes = 30, .buffer_bytes = buffer}), expected)
          << "buffer " << buffer << " input " << text;
    }
  }
}

TEST(CsvReader, CountsTheBytesItHasReadForAProgressBar) {
  const std::string text =
      "\xEF\xBB\xBF"
      "a,b\r\n\"c\nd\",e\r\n";
  std::istringstream in(text);
  CsvReader reader(in, {.total_bytes = text.size(), .buffer_bytes = 4});
  EXPECT_EQ(reader.totalBytes(), text.size());
  EXPECT_EQ(reader.bytesRead(), 0u);
  CsvRecord record;
  ASSERT_TRUE(*reader.next(record));
  EXPECT_EQ(reader.bytesRead(), 8u);
  ASSERT_TRUE(*reader.next(record));
  EXPECT_EQ(reader.bytesRead(), text.size());
  EXPECT_FALSE(*reader.next(record));
  EXPECT_EQ(reader.bytesRead(), text.size());
}

TEST(CsvReader, KnowsTheTotalSizeOfTextInMemory) {
  CsvReader reader("a,b\n");
  EXPECT_EQ(reader.totalBytes(), 4u);
  std::istringstream in("a,b\n");
  EXPECT_FALSE(CsvReader(in).totalBytes().has_value());
}

TEST(CsvReader, ReadsALargeStreamRecordByRecord) {
  std::string text = "姓名,房号\r\n";
  for (int i = 0; i < 50000; ++i)
    text += "住户" + std::to_string(i) + ",\"" + std::to_string(i) + "\"\r\n";
  std::istringstream in(text);
  CsvReader reader(in);
  CsvRecord record;
  std::size_t count = 0;
  while (*reader.next(record)) {
    ASSERT_EQ(record.line, count + 1);
    if (count > 0) {
      ASSERT_EQ(record.fields[1], std::to_string(count - 1));
    }
    ++count;
  }
  EXPECT_EQ(count, 50001u);
  EXPECT_EQ(reader.bytesRead(), text.size());
}

// A stream whose device fails part way, like a file on a disk that goes away.
class FailingBuffer : public std::streambuf {
 public:
  explicit FailingBuffer(std::string head) : head_(std::move(head)) {
    setg(head_.data(), head_.data(), head_.data() + head_.size());
  }

 protected:
  int_type underflow() override { throw std::runtime_error("I/O error"); }

 private:
  std::string head_;
};

TEST(CsvReader, ReportsAStreamThatFailsPartWayInsteadOfEndingQuietly) {
  for (std::size_t buffer = 1; buffer <= 9; ++buffer) {
    FailingBuffer device("a,b\nc,d\ne,f");
    std::istream in(&device);
    CsvReader reader(in, {.buffer_bytes = buffer});
    CsvRecord record;
    Result<bool> more = true;
    while (more.isOk() && *more) more = reader.next(record);
    ASSERT_FALSE(more.isOk()) << "buffer " << buffer;
    EXPECT_EQ(more.status().code(), Code::kInternal);
  }
}

const std::vector<ColumnAlias> kResidentColumns = {
    {"name", {"姓名", "full name"}, true},
    {"phone", {"手机号", "电话"}, true},
    {"room", {"房号"}, false},
};

TEST(CsvHeader, MapsEnglishAndChineseHeadersToCanonicalNames) {
  Result<CsvHeader> header = CsvHeader::parse({"手机号", "姓名", "房号"}, kResidentColumns);
  ASSERT_TRUE(header.isOk()) << header.status().message();
  EXPECT_EQ(header->index("name"), 1u);
  EXPECT_EQ(header->index("phone"), 0u);
  EXPECT_EQ(header->index("room"), 2u);

  header = CsvHeader::parse({"name", "phone"}, kResidentColumns);
  ASSERT_TRUE(header.isOk());
  EXPECT_EQ(header->index("name"), 0u);
  EXPECT_EQ(header->index("phone"), 1u);
}

TEST(CsvHeader, MatchesIgnoringAsciiCaseAndSurroundingSpaces) {
  Result<CsvHeader> header =
      CsvHeader::parse({" Full Name ", "\xE3\x80\x80电话\t", "PHONE2"}, kResidentColumns);
  ASSERT_TRUE(header.isOk()) << header.status().message();
  EXPECT_EQ(header->index("name"), 0u);
  EXPECT_EQ(header->index("phone"), 1u);
  EXPECT_EQ(header->unknown(), (std::vector<std::string>{"PHONE2"}));
}

TEST(CsvHeader, ReportsAMissingRequiredColumnByName) {
  Result<CsvHeader> header = CsvHeader::parse({"姓名", "房号"}, kResidentColumns);
  ASSERT_FALSE(header.isOk());
  EXPECT_EQ(header.status().code(), Code::kInvalid);
  EXPECT_EQ(header.status().field(), "phone");
  EXPECT_NE(header.status().message().find("手机号"), std::string::npos);
}

TEST(CsvHeader, AllowsAMissingOptionalColumn) {
  Result<CsvHeader> header = CsvHeader::parse({"姓名", "手机号"}, kResidentColumns);
  ASSERT_TRUE(header.isOk());
  EXPECT_FALSE(header->index("room").has_value());
}

TEST(CsvHeader, ListsUnknownColumnsAndIgnoresEmptyOnes) {
  Result<CsvHeader> header =
      CsvHeader::parse({"姓名", " 备注 ", "手机号", "", "  ", "Email"}, kResidentColumns);
  ASSERT_TRUE(header.isOk());
  EXPECT_EQ(header->unknown(), (std::vector<std::string>{"备注", "Email"}));
}

TEST(CsvHeader, RejectsTwoColumnsWithTheSameMeaning) {
  Result<CsvHeader> header = CsvHeader::parse({"姓名", "手机号", "Name"}, kResidentColumns);
  ASSERT_FALSE(header.isOk());
  EXPECT_EQ(header.status().field(), "name");
  EXPECT_NE(header.status().message().find("columns 1 and 3"), std::string::npos)
      << header.status().message();
}

TEST(CsvHeader, GivesAnEmptyCellForAnAbsentColumnOrAShortRow) {
  Result<CsvHeader> header = CsvHeader::parse({"姓名", "手机号", "房号"}, kResidentColumns);
  ASSERT_TRUE(header.isOk());
  const std::vector<std::string> row = {"张三", "13800138000"};
  EXPECT_EQ(header->cell(row, "name"), "张三");
  EXPECT_EQ(header->cell(row, "room"), "");
  EXPECT_EQ(header->cell(row, "no such column"), "");
}

std::string written(std::initializer_list<std::string_view> row, CsvWriteOptions options = {}) {
  std::string out;
  CsvWriter writer(out, options);
  writer.writeRow(row);
  return out;
}

TEST(CsvWriter, LeavesPlainFieldsUnquotedAndEndsLinesWithCrlf) {
  EXPECT_EQ(written({"张三", "北京市朝阳区", "1203"}), "张三,北京市朝阳区,1203\r\n");
}

TEST(CsvWriter, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  EXPECT_EQ(written({"a,b", "say \"hi\"", "x\ny", "x\ry"}),
            "\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",\"x\ry\"\r\n");
}

TEST(CsvWriter, QuotesFieldsWithLeadingOrTrailingSpaces) {
  EXPECT_EQ(written({" a", "b ", "c\t", "d e"}), "\" a\",\"b \",\"c\t\",d e\r\n");
}

TEST(CsvWriter, WritesAByteOrderMarkOnlyWhenAsked) {
  EXPECT_EQ(written({"张三"}, {.utf8_bom = true}), "\xEF\xBB\xBF张三\r\n");
  EXPECT_EQ(written({"张三"}), "张三\r\n");
}

TEST(CsvWriter, PrefixesCellsThatASpreadsheetWouldRunAsFormulasWithAnApostrophe) {
  EXPECT_EQ(written({"=1+1"}), "'=1+1\r\n");
  EXPECT_EQ(written({"+cmd"}), "'+cmd\r\n");
  EXPECT_EQ(written({"-2+3+cmd|' /C calc'!A0"}), "'-2+3+cmd|' /C calc'!A0\r\n");
  EXPECT_EQ(written({"@SUM(A1)"}), "'@SUM(A1)\r\n");
  EXPECT_EQ(written({"\t=1"}), "\"'\t=1\"\r\n");
  EXPECT_EQ(written({"\r=1"}), "\"'\r=1\"\r\n");
  EXPECT_EQ(written({"=HYPERLINK(\"http://x\",\"y\")"}),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
  EXPECT_EQ(written({"  =1"}), "\"'  =1\"\r\n");
}

TEST(CsvWriter, LeavesPlainNumbersAlone) {
  EXPECT_EQ(written({"-12.5", "+86", "-1e5", "-.5", "3-2"}), "-12.5,+86,-1e5,-.5,3-2\r\n");
  EXPECT_EQ(written({"-", "-e5", "-12.5%"}), "'-,'-e5,'-12.5%\r\n");
}

TEST(CsvWriter, LeavesFormulasAloneWhenAskedTo) {
  EXPECT_EQ(written({"=1+1"}, {.neutralize_formulas = false}), "=1+1\r\n");
}

TEST(CsvWriter, WritesALoneEmptyFieldSoTheRowIsNotLost) {
  EXPECT_EQ(written({""}), "\"\"\r\n");
  EXPECT_EQ(written({"", ""}), ",\r\n");
}

// Found by fuzzing: unquoted, the cell lost its leading U+FEFF when read back.
TEST(CsvWriter, QuotesACellStartingWithAByteOrderMarkSoItIsReadBack) {
  const std::string text = written({"\xEF\xBB\xBFx", "y"});
  EXPECT_EQ(text, "\"\xEF\xBB\xBFx\",y\r\n");
  EXPECT_EQ(fieldsOf(readText(text)), (Rows{{"\xEF\xBB\xBFx", "y"}}));
}

TEST(CsvWriter, WritesToAStreamTheSameAsToAString) {
  const std::vector<std::string> row = {"张三", "a,b", "=1"};
  std::string text;
  std::ostringstream stream;
  CsvWriter to_text(text, {.utf8_bom = true});
  CsvWriter to_stream(stream, {.utf8_bom = true});
  to_text.writeRow(row);
  to_stream.writeRow(row);
  EXPECT_EQ(stream.str(), text);
}

TEST(CsvRoundTrip, ReaderGivesBackWhatTheWriterWrote) {
  const Rows rows = {{"姓名", "地址", "备注"},
                     {"张三", "北京市朝阳区", "5号楼\r\n3单元"},
                     {"李四", "上海市, 浦东新区", "他说\"你好\""},
                     {"", " 王五 ", "-12.5"},
                     {""}};
  std::string text;
  CsvWriter writer(text, {.utf8_bom = true});
  for (const auto& row : rows) writer.writeRow(row);

  const std::vector<Outcome> outcomes = readText(text);
  EXPECT_EQ(fieldsOf(outcomes), rows);
  EXPECT_EQ(linesOf(outcomes), (std::vector<std::size_t>{1, 2, 4, 5, 6}));
}

TEST(CsvRoundTrip, ReaderGivesBackRandomRowsTheWriterWrote) {
  const std::string_view pieces[] = {"a", "张三", ",", "\"", "\r", "\n", "\r\n", " ", "=", "-1"};
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1);
  std::uniform_int_distribution<int> length(0, 4);
  std::uniform_int_distribution<int> width(1, 4);
  Rows rows;
  for (int i = 0; i < 2000; ++i) {
    std::vector<std::string>& row = rows.emplace_back(width(random));
    for (std::string& cell : row) {
      for (int n = length(random); n > 0; --n) cell += pieces[pick(random)];
    }
  }
  std::string text;
  CsvWriter writer(text, {.neutralize_formulas = false});
  for (const auto& row : rows) writer.writeRow(row);

  EXPECT_EQ(fieldsOf(readText(text)), rows);
  EXPECT_EQ(fieldsOf(readStream(text, {.buffer_bytes = 7})), rows);
}

}  // namespace
}  // namespace anju::importer
