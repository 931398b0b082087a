// A screening's parameters are checked per kind before anything is saved: every refusal names the
// field the user has to correct.
#include <gtest/gtest.h>

#include "screening/screening.h"

namespace anju::screening {
namespace {

using nlohmann::json;

std::string fieldOf(Kind kind, const json& params) {
  auto parsed = parseParams(kind, params);
  EXPECT_FALSE(parsed) << params.dump();
  return parsed ? "" : parsed.status().field();
}

TEST(ScreeningParamsTest, OutNotReturnedTakesHoursWithDefaultsForTheRest) {
  auto p = parseParams(Kind::kOutNotReturned, {{"hours", 48}, {"tags", {"elderly_alone"}}});
  ASSERT_TRUE(p) << p.status().message();
  EXPECT_EQ(p->hours, 48);
  EXPECT_EQ(p->lookback_days, 7);
  EXPECT_EQ(p->tags, std::vector<std::string>{"elderly_alone"});
}

TEST(ScreeningParamsTest, NumbersOutOfRangeOrOfTheWrongTypeNameTheirField) {
  EXPECT_EQ(fieldOf(Kind::kOutNotReturned, json::object()), "params.hours");
  EXPECT_EQ(fieldOf(Kind::kOutNotReturned, {{"hours", 0}}), "params.hours");
  EXPECT_EQ(fieldOf(Kind::kOutNotReturned, {{"hours", 721}}), "params.hours");
  EXPECT_EQ(fieldOf(Kind::kOutNotReturned, {{"hours", "24"}}), "params.hours");
  EXPECT_EQ(fieldOf(Kind::kOutNotReturned, {{"hours", 2.5}}), "params.hours");
  EXPECT_EQ(fieldOf(Kind::kOutNotReturned, {{"hours", 24}, {"lookback_days", 91}}),
            "params.lookback_days");
  // Away longer than the window looks back could never be seen.
  EXPECT_EQ(fieldOf(Kind::kOutNotReturned, {{"hours", 48}, {"lookback_days", 2}}), "params.hours");
  EXPECT_EQ(fieldOf(Kind::kTagSeen, {{"tags", {"key_person"}}, {"window_hours", 2161}}),
            "params.window_hours");
}

TEST(ScreeningParamsTest, MembersAnotherKindTakesAreRefusedByName) {
  EXPECT_EQ(fieldOf(Kind::kOutNotReturned, {{"hours", 24}, {"plate_prefixes", {"鄂"}}}),
            "params.plate_prefixes");
  EXPECT_EQ(fieldOf(Kind::kTagSeen, "not an object"), "params");
}

TEST(ScreeningParamsTest, PlatePrefixesAreAProvinceWithAtMostItsLetterAndAreNormalised) {
  auto p = parseParams(Kind::kFromRegions, {{"plate_prefixes", {"鄂", "鄂a", "京Ａ"}}});
  ASSERT_TRUE(p) << p.status().message();
  EXPECT_EQ(p->plate_prefixes, (std::vector<std::string>{"鄂", "鄂A", "京A"}));
  EXPECT_EQ(p->window_hours, 24);
  EXPECT_EQ(fieldOf(Kind::kFromRegions, {{"plate_prefixes", {"鄂", "A"}}}),
            "params.plate_prefixes[1]");
  EXPECT_EQ(fieldOf(Kind::kFromRegions, {{"plate_prefixes", {"鄂A1"}}}),
            "params.plate_prefixes[0]");
  EXPECT_EQ(fieldOf(Kind::kFromRegions, {{"plate_prefixes", {"鄂1"}}}), "params.plate_prefixes[0]");
  EXPECT_EQ(fieldOf(Kind::kFromRegions, {{"plate_prefixes", {""}}}), "params.plate_prefixes[0]");
  EXPECT_EQ(fieldOf(Kind::kFromRegions, {{"plate_prefixes", "鄂"}}), "params.plate_prefixes");
}

TEST(ScreeningParamsTest, RegionCodesAreTwoFourOrSixDigits) {
  auto p = parseParams(Kind::kFromRegions, {{"region_codes", {"42", "4201", "420106"}}});
  ASSERT_TRUE(p) << p.status().message();
  EXPECT_EQ(p->region_codes.size(), 3u);
  EXPECT_EQ(fieldOf(Kind::kFromRegions, {{"region_codes", {"420"}}}), "params.region_codes[0]");
  EXPECT_EQ(fieldOf(Kind::kFromRegions, {{"region_codes", {"42", "4a"}}}),
            "params.region_codes[1]");
  EXPECT_EQ(fieldOf(Kind::kFromRegions, {{"region_codes", {42}}}), "params.region_codes[0]");
  // One of the two lists is needed, or the question asks about nobody.
  EXPECT_EQ(fieldOf(Kind::kFromRegions, {{"window_hours", 24}}), "params.plate_prefixes");
}

TEST(ScreeningParamsTest, TagsMustBeKnownPersonTags) {
  EXPECT_EQ(fieldOf(Kind::kTagSeen, {{"tags", json::array()}}), "params.tags");
  EXPECT_EQ(fieldOf(Kind::kTagSeen, {{"tags", {"key_person:drug", "vip"}}}), "params.tags[1]");
  EXPECT_TRUE(parseParams(Kind::kTagSeen, {{"tags", {"key_person"}}}));
}

TEST(ScreeningParamsTest, GridWorkersUseOnlyTheOutNotReturnedKind) {
  const domain::RoleSet grid{"grid_worker"};
  EXPECT_TRUE(mayUse(grid, Kind::kOutNotReturned));
  EXPECT_FALSE(mayUse(grid, Kind::kFromRegions));
  EXPECT_FALSE(mayUse(grid, Kind::kTagSeen));
  EXPECT_TRUE(mayUse(domain::RoleSet{"police"}, Kind::kTagSeen));
  EXPECT_FALSE(mayUse(domain::RoleSet{"security"}, Kind::kOutNotReturned));
}

}  // namespace
}  // namespace anju::screening
