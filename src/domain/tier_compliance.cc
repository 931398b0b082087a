#include "domain/tier_compliance.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace anju::domain {
namespace {

// The seven aspects the construction standards list, and the device kinds that provide each.
struct Aspect {
  std::string_view key;
  std::string_view label;     // Chinese
  std::string_view label_en;  // English
  std::vector<std::string_view> kinds;
  // true: every listed kind must be there; false: any of them will do.
  bool each_kind = false;
};

const std::array<Aspect, 7>& aspects() {
  static const std::array<Aspect, 7> kAspects = {{
      {"video", "视频监控", "video surveillance", {"camera"}},
      {"access_control", "门禁控制", "access control", {"door"}},
      {"face_recognition", "人脸识别", "face recognition", {"face_camera"}},
      {"vehicle_management", "车辆管理", "vehicle management", {"barrier"}},
      // Identity is checked where a door verifies a credential against the registry and a face
      // camera compares the person with their registered face: both are needed.
      {"identity_check", "人员身份核验", "identity check", {"door", "face_camera"}, true},
      {"throwing", "高空抛物监测", "high-altitude throwing", {"throwing_camera"}},
      // Intrusion (perimeter fence), emergency call (SOS button) and fire (smoke, electrical).
      {"alarm",
       "入侵与紧急报警",
       "intrusion and emergency alarm",
       {"fence", "sos_button", "smoke", "electrical"}},
  }};
  return kAspects;
}

// What each tier needs. The national and provincial smart-safe-community construction standards
// (智慧安防小区建设) grade estates as 达标, 提高 and 示范; the aspects each tier requires follow
// them, while the device counts and online shares are Anju's reading of "present and working", to
// be made configurable. Tiers are cumulative: an estate reaches a tier only if it reaches those
// below.
struct TierRule {
  Tier tier;
  std::vector<std::string_view> aspects;
  int min_devices;         // per aspect
  int min_online_percent;  // per aspect: online devices / present devices
};

const std::array<TierRule, 3>& tierRules() {
  static const std::array<TierRule, 3> kRules = {{
      {Tier::kStandard, {"video", "access_control", "alarm"}, 1, 80},
      {Tier::kEnhanced,
       {"video", "access_control", "alarm", "face_recognition", "vehicle_management",
        "identity_check"},
       1,
       80},
      {Tier::kDemonstration,
       {"video", "access_control", "alarm", "face_recognition", "vehicle_management",
        "identity_check", "throwing"},
       2,
       90},
  }};
  return kRules;
}

struct Count {
  int present = 0;
  int online = 0;
  bool every_kind = true;
};

Count countFor(const Aspect& aspect, const std::vector<DeviceOnline>& devices) {
  Count count;
  for (std::string_view kind : aspect.kinds) {
    int of_kind = 0;
    for (const auto& d : devices) {
      if (d.kind != kind) continue;
      ++of_kind;
      if (d.online) ++count.online;
    }
    count.present += of_kind;
    if (of_kind == 0) count.every_kind = false;
  }
  return count;
}

bool meets(const Aspect& aspect, const Count& count, const TierRule& rule) {
  if (aspect.each_kind && !count.every_kind) return false;
  return count.present >= rule.min_devices &&
         count.online * 100 >= rule.min_online_percent * count.present;
}

bool needsAspect(const TierRule& rule, std::string_view aspect) {
  return std::find(rule.aspects.begin(), rule.aspects.end(), aspect) != rule.aspects.end();
}

std::string shortfallMessage(const Aspect& aspect, const Count& count, const TierRule& rule) {
  std::string both_zh, both_en;
  if (aspect.each_kind) {
    both_zh =
        "，且" + std::string(aspect.kinds.size() == 2 ? "门禁与人脸抓拍机都要有" : "各类都要有");
    both_en = ", of every kind listed (door and face_camera)";
  }
  return fmt::format(
      "{}：需至少{}台、在线率不低于{}%{}（现有{}台，在线{}台） ({}: needs at least {} devices with "
      "{}% online{}; has {}, {} online)",
      aspect.label, rule.min_devices, rule.min_online_percent, both_zh, count.present, count.online,
      aspect.label_en, rule.min_devices, rule.min_online_percent, both_en, count.present,
      count.online);
}

}  // namespace

std::string_view tierName(Tier tier) {
  switch (tier) {
    case Tier::kStandard:
      return "standard";
    case Tier::kEnhanced:
      return "enhanced";
    case Tier::kDemonstration:
      return "demonstration";
  }
  return "";
}

TierCompliance assessTier(const std::vector<DeviceOnline>& devices) {
  TierCompliance result;
  std::vector<Count> counts;
  for (const Aspect& aspect : aspects()) {
    Count count = countFor(aspect, devices);
    counts.push_back(count);
    // An aspect is ok when it meets the thresholds of the lowest tier that asks for it.
    const auto& rules = tierRules();
    auto first = std::find_if(rules.begin(), rules.end(),
                              [&](const TierRule& r) { return needsAspect(r, aspect.key); });
    result.aspects.push_back({std::string(aspect.key), std::string(aspect.label), count.present,
                              count.online, first != rules.end() && meets(aspect, count, *first)});
  }
  for (const TierRule& rule : tierRules()) {
    std::vector<Shortfall> missing;
    for (std::size_t i = 0; i < aspects().size(); ++i) {
      const Aspect& aspect = aspects()[i];
      if (needsAspect(rule, aspect.key) && !meets(aspect, counts[i], rule)) {
        missing.push_back({std::string(aspect.key), shortfallMessage(aspect, counts[i], rule)});
      }
    }
    if (!missing.empty()) {
      result.next = rule.tier;
      result.missing = std::move(missing);
      break;
    }
    result.reached = rule.tier;
  }
  return result;
}

}  // namespace anju::domain
