#include "http/url.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace anju::http {
namespace {

using Query = std::multimap<std::string, std::string>;

TEST(PercentDecode, DecodesEscapesOfEitherCase) {
  EXPECT_EQ(percentDecode("%E5%BC%A0%2f%2F", false), "张//");
}

TEST(PercentDecode, TurnsPlusIntoSpaceOnlyWhenAsked) {
  EXPECT_EQ(percentDecode("1+2", true), "1 2");
  EXPECT_EQ(percentDecode("1+2", false), "1+2");
  EXPECT_EQ(percentDecode("1%2B2", true), "1+2");
}

TEST(PercentDecode, RejectsTruncatedEscapes) {
  EXPECT_EQ(percentDecode("%", true), std::nullopt);
  EXPECT_EQ(percentDecode("ab%4", true), std::nullopt);
}

TEST(PercentDecode, RejectsEscapesThatAreNotHex) {
  EXPECT_EQ(percentDecode("%zz", true), std::nullopt);
  EXPECT_EQ(percentDecode("%4g", true), std::nullopt);
}

TEST(PercentDecode, KeepsEscapedNulAndHighBytes) {
  EXPECT_EQ(percentDecode("a%00%FF", false), std::string("a\0\xFF", 3));
}

TEST(PercentEncode, KeepsUnreservedCharactersAsTheyAre) {
  EXPECT_EQ(percentEncode("AZaz09-._~"), "AZaz09-._~");
}

TEST(PercentEncode, EscapesReservedCharactersAndUtf8) {
  EXPECT_EQ(percentEncode("a b&c=d/张+"), "a%20b%26c%3Dd%2F%E5%BC%A0%2B");
}

TEST(PercentEncode, RoundTripsEveryByteThroughDecode) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  EXPECT_EQ(percentDecode(percentEncode(all), true), all);
}

TEST(ParseTarget, SplitsPathFromDecodedQueryParameters) {
  std::string path;
  Query query;
  ASSERT_TRUE(parseTarget("/api/v1/persons?q=%E5%BC%A0&x=1+2", path, query).isOk());
  EXPECT_EQ(path, "/api/v1/persons");
  EXPECT_EQ(query, (Query{{"q", "张"}, {"x", "1 2"}}));
}

TEST(ParseTarget, KeepsRepeatedParametersInOrder) {
  std::string path;
  Query query;
  ASSERT_TRUE(parseTarget("/a?tag=b&tag=a&tag=c", path, query).isOk());
  std::vector<std::string> tags;
  auto [begin, end] = query.equal_range("tag");
  for (auto it = begin; it != end; ++it) tags.push_back(it->second);
  EXPECT_EQ(tags, (std::vector<std::string>{"b", "a", "c"}));
}

TEST(ParseTarget, GivesParametersWithoutValueAnEmptyValue) {
  std::string path;
  Query query;
  ASSERT_TRUE(parseTarget("/a?flag&empty=&&x=1", path, query).isOk());
  EXPECT_EQ(query, (Query{{"empty", ""}, {"flag", ""}, {"x", "1"}}));
}

TEST(ParseTarget, DecodesEscapedSeparatorsInsideValues) {
  std::string path;
  Query query;
  ASSERT_TRUE(parseTarget("/a?k%3D=v%26w%3Dx=y", path, query).isOk());
  EXPECT_EQ(query, (Query{{"k=", "v&w=x=y"}}));
}

TEST(ParseTarget, DecodesThePathWithoutTurningPlusIntoSpace) {
  std::string path;
  Query query;
  ASSERT_TRUE(parseTarget("/files/a+b%20c.jpg", path, query).isOk());
  EXPECT_EQ(path, "/files/a+b c.jpg");
  EXPECT_TRUE(query.empty());
}

TEST(ParseTarget, AcceptsAbsoluteFormTargets) {
  std::string path;
  Query query;
  ASSERT_TRUE(parseTarget("HTTP://example.com:8080/x?y=1", path, query).isOk());
  EXPECT_EQ(path, "/x");
  EXPECT_EQ(query, (Query{{"y", "1"}}));
  ASSERT_TRUE(parseTarget("http://example.com?y=2", path, query).isOk());
  EXPECT_EQ(path, "/");
  EXPECT_EQ(query, (Query{{"y", "2"}}));
}

TEST(ParseTarget, IgnoresAFragment) {
  std::string path;
  Query query;
  ASSERT_TRUE(parseTarget("/a?x=1#section", path, query).isOk());
  EXPECT_EQ(path, "/a");
  EXPECT_EQ(query, (Query{{"x", "1"}}));
}

TEST(ParseTarget, RejectsABadEscapeInTheQueryAsAQueryError) {
  std::string path = "stale";
  Query query{{"stale", "1"}};
  Status status = parseTarget("/a?ok=1&q=%zz", path, query);
  EXPECT_EQ(status.code(), Code::kInvalid);
  EXPECT_EQ(status.field(), "query");
  EXPECT_TRUE(path.empty());
  EXPECT_TRUE(query.empty());
}

TEST(ParseTarget, RejectsABadEscapeInAParameterName) {
  std::string path;
  Query query;
  EXPECT_EQ(parseTarget("/a?%G1=1", path, query).field(), "query");
}

TEST(ParseTarget, RejectsABadEscapeInThePathAsAPathError) {
  std::string path;
  Query query;
  Status status = parseTarget("/a%2", path, query);
  EXPECT_EQ(status.code(), Code::kInvalid);
  EXPECT_EQ(status.field(), "path");
}

TEST(ParseTarget, RejectsAnEscapedNulInThePath) {
  std::string path;
  Query query;
  EXPECT_EQ(parseTarget("/web/index.html%00.png", path, query).field(), "path");
}

}  // namespace
}  // namespace anju::http
