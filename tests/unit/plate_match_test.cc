#include "domain/plate_match.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace anju::domain {
namespace {

std::map<std::string, PlateCandidate> candidatesOf(std::string_view read) {
  auto candidates = plateCandidates(read);
  EXPECT_TRUE(candidates.isOk()) << read << ": " << candidates.status().message();
  std::map<std::string, PlateCandidate> out;
  if (!candidates) return out;
  for (auto& c : *candidates) {
    EXPECT_TRUE(out.emplace(c.plate, c).second) << "duplicate candidate " << c.plate;
  }
  return out;
}

TEST(PlateMatch, ReadItselfIsTheExactCandidate) {
  auto found = candidatesOf("冀C·12345");
  ASSERT_TRUE(found.contains("冀C12345"));
  EXPECT_EQ(found["冀C12345"].score, kExactPlateScore);
  EXPECT_FALSE(found["冀C12345"].differs_at.has_value());
}

TEST(PlateMatch, LookAlikeSubstitutionScoresAboveAnyOther) {
  auto found = candidatesOf("冀C1234S");
  ASSERT_TRUE(found.contains("冀C12345"));
  EXPECT_EQ(found["冀C12345"].score, kLookAlikePlateScore);
  EXPECT_EQ(found["冀C12345"].differs_at, 6);
  ASSERT_TRUE(found.contains("冀C12347"));
  EXPECT_EQ(found["冀C12347"].score, kOtherPlateScore);
  for (auto [read, plate] :
       std::vector<std::pair<std::string, std::string>>{{"京A8C123", "京ABC123"},
                                                        {"京AB0123", "京ABD123"},
                                                        {"京AZ2345", "京A22345"},
                                                        {"京A6GGGG", "京AGGGGG"},
                                                        {"京A12Q45", "京A12045"}}) {
    auto c = candidatesOf(read);
    ASSERT_TRUE(c.contains(plate)) << read;
    EXPECT_EQ(c[plate].score, kLookAlikePlateScore) << read << " -> " << plate;
  }
}

TEST(PlateMatch, ReadIOrOInTheSerialIsOneOrZeroWithoutPenalty) {
  auto found = candidatesOf("冀C1234I");
  ASSERT_TRUE(found.contains("冀C12341"));
  EXPECT_EQ(found["冀C12341"].score, kExactPlateScore);
  EXPECT_FALSE(found.contains("冀C1234I"));
  auto zero = candidatesOf("冀CO2345");
  ASSERT_TRUE(zero.contains("冀C02345"));
  EXPECT_EQ(zero["冀C02345"].score, kExactPlateScore);
  EXPECT_EQ(zero["冀CD2345"].score, kLookAlikePlateScore);
}

TEST(PlateMatch, KeepsTheProvinceAsRead) {
  for (const auto& [plate, c] : candidatesOf("冀C12345")) EXPECT_TRUE(plate.starts_with("冀"));
}

TEST(PlateMatch, OnlyWellFormedPlatesAreCandidates) {
  // The issuing-authority letter stays a letter; a new-energy plate keeps its D or F.
  auto found = candidatesOf("粤BD12345");
  EXPECT_FALSE(found.contains("粤8D12345"));
  EXPECT_TRUE(found.contains("粤BF12345"));
  EXPECT_FALSE(found.contains("粤BQ12345"));  // an 8-character plate needs D or F there
  EXPECT_FALSE(found.contains("粤B012345"));
}

TEST(PlateMatch, AReadThatIsNoPlateStillFindsPlatesOneCharacterAway) {
  auto found = candidatesOf("京A12#45");
  EXPECT_FALSE(found.contains("京A12#45"));
  ASSERT_TRUE(found.contains("京A12345"));
  EXPECT_EQ(found["京A12345"].score, kOtherPlateScore);
}

TEST(PlateMatch, RejectsReadsOfTheWrongLength) {
  EXPECT_FALSE(plateCandidates("京A123").isOk());
  EXPECT_EQ(plateCandidates("京A1234567").status().field(), "plate");
}

TEST(PlateMatch, RankingPutsExactFirstThenLookAlikesThenOthers) {
  auto candidates = plateCandidates("冀C1234S");
  ASSERT_TRUE(candidates.isOk());
  std::vector<PlateCandidate> found;
  for (const auto& c : *candidates) {
    if (c.plate == "冀C12347" || c.plate == "冀C12345" || c.plate == "冀C1234S") found.push_back(c);
  }
  rankPlateCandidates(found);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].plate, "冀C1234S");
  EXPECT_EQ(found[1].plate, "冀C12345");
  EXPECT_EQ(found[2].plate, "冀C12347");
}

// The candidate generation must find exactly the plates the direct comparison accepts.
TEST(PlateMatch, CandidatesAgreeWithDirectComparison) {
  const std::vector<std::string> registered = {
      "冀C12345", "冀C12347",  "冀C1234S",  "冀D12345",  "冀C22345",  "京C12345", "冀C12355",
      "冀CD2345", "粤BD12345", "粤BF12345", "粤B12345D", "冀C1234挂", "冀C99999", "冀C1Z345"};
  for (std::string_view read :
       {"冀C1234S", "冀C12345", "粤BD12345", "冀C1234挂", "冀CO2345", "粤B12345D", "冀C12#45"}) {
    auto found = candidatesOf(read);
    for (const auto& plate : registered) {
      auto direct = comparePlates(read, plate);
      auto it = found.find(plate);
      ASSERT_EQ(direct.has_value(), it != found.end()) << read << " vs " << plate;
      if (!direct) continue;
      EXPECT_EQ(direct->score, it->second.score) << read << " vs " << plate;
      EXPECT_EQ(direct->differs_at, it->second.differs_at) << read << " vs " << plate;
    }
  }
}

}  // namespace
}  // namespace anju::domain
