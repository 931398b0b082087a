// The words the demo district is written in: people's names, places, shops, cars and the phrases
// inspectors use. Pools are weighted where real frequencies differ a lot (surnames, car colours),
// so that a generated estate reads like a real one rather than like a uniform sample.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "demo/rng.h"

namespace anju::demo {

// A full name in the style of the person's generation: 桂兰 and 建国 for those born before 1960,
// 丽娟 and 海涛 for their children, 梓涵 and 浩然 for the young.
std::string personName(Rng& rng, bool male, int birth_year);

// An administrative division whose six-digit GB/T 2260 code starts an ID number.
struct Division {
  std::string_view code;
  std::string_view name;  // as written in a household address, province first
};
std::span<const Division> qinhuangdaoDivisions();  // [0] is 海港区, the demo district
std::span<const Division> otherHebeiDivisions();
std::span<const Division> otherProvinceDivisions();

std::span<const std::string_view> streetNames();     // 街道 of 海港区
std::span<const std::string_view> communityNames();  // 社区, without the 社区 suffix
std::span<const std::string_view> roadNames();
std::span<const std::string_view> oldEstateNames();  // 里 and 宿舍 of the 1980s-90s
std::span<const std::string_view> newEstateNames();  // 花园, 家园 and 苑 built since 2000

struct PremisesKind {
  std::string_view kind;          // shop | restaurant | workshop | entertainment | company | ...
  std::string_view three_smalls;  // none | small_stall | small_workshop | small_entertainment
  std::string_view suffix;        // 便利店, 棋牌室, ...
  int weight;
};
std::span<const PremisesKind> premisesKinds();
std::span<const std::string_view> shopPrefixes();

std::span<const std::string_view> rentalFindings();  // what a rectification order names
std::span<const std::string_view> rentalFailures();  // what closes a rental down
std::span<const std::string_view> premisesFindings();
std::span<const std::string_view> premisesFailures();

std::span<const std::string_view> carBrands();
std::span<const std::string_view> newEnergyCarBrands();
std::string_view carColour(Rng& rng);

// Plate prefixes of nearby cities, for visitors' cars.
std::span<const std::string_view> visitingPlatePrefixes();

// 职能部门 that cases are handed to (交办): the district's bureaus by their full names, and the
// stations every street has, named after the street (文化路 + 派出所).
std::span<const std::string_view> districtDepartments();
std::span<const std::string_view> streetDepartmentSuffixes();

// Device vendors for `kind` (a registry device kind); an estate buys each kind from one of them.
std::span<const std::string_view> deviceVendors(std::string_view kind);

}  // namespace anju::demo
