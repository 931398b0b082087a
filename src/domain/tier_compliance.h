// An estate's compliance with the smart-community construction tiers (达标 standard, 提高
// enhanced, 示范 demonstration), judged from its devices: which of the seven aspects of the
// standard it has, how many of those devices work, which tier that reaches, and what the next tier
// lacks. Pure: the caller gives the devices and their online state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anju::domain {

enum class Tier { kStandard, kEnhanced, kDemonstration };

// "standard", "enhanced", "demonstration": the values of the estates' `tier` field.
std::string_view tierName(Tier tier);

struct DeviceOnline {
  std::string kind;  // a device kind of the registry ("camera", "door", ...)
  bool online = false;
};

struct AspectCompliance {
  std::string aspect;  // "video", "access_control", ...
  std::string label;   // 视频监控, 门禁控制, ...
  int present = 0;     // devices of the aspect's kinds
  int online = 0;
  bool ok = false;  // meets the thresholds of the lowest tier that needs this aspect
};

struct Shortfall {
  std::string aspect;
  std::string message;  // Chinese, then English in parentheses
};

struct TierCompliance {
  std::optional<Tier> reached;  // nullopt: not even 达标
  std::vector<AspectCompliance> aspects;
  std::optional<Tier> next;        // the tier above `reached`; nullopt at 示范
  std::vector<Shortfall> missing;  // what `next` needs that the estate lacks
};

TierCompliance assessTier(const std::vector<DeviceOnline>& devices);

}  // namespace anju::domain
