#include "domain/tier_compliance.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace anju::domain {
namespace {

void add(std::vector<DeviceOnline>& devices, const std::string& kind, int online, int offline = 0) {
  for (int i = 0; i < online; ++i) devices.push_back({kind, true});
  for (int i = 0; i < offline; ++i) devices.push_back({kind, false});
}

std::vector<DeviceOnline> standardEstate() {
  std::vector<DeviceOnline> d;
  add(d, "camera", 1);
  add(d, "door", 1);
  add(d, "sos_button", 1);
  return d;
}

std::vector<DeviceOnline> enhancedEstate() {
  auto d = standardEstate();
  add(d, "face_camera", 1);
  add(d, "barrier", 1);
  return d;
}

std::vector<DeviceOnline> demonstrationEstate() {
  std::vector<DeviceOnline> d;
  for (const char* kind : {"camera", "door", "face_camera", "barrier", "throwing_camera", "fence"})
    add(d, kind, 2);
  return d;
}

const AspectCompliance& aspect(const TierCompliance& c, const std::string& key) {
  for (const auto& a : c.aspects)
    if (a.aspect == key) return a;
  throw std::runtime_error("no aspect " + key);
}

bool missing(const TierCompliance& c, const std::string& key) {
  for (const auto& m : c.missing)
    if (m.aspect == key) return true;
  return false;
}

TEST(TierCompliance, NoDevicesReachNoTierAndNameWhatStandardNeeds) {
  auto c = assessTier({});
  EXPECT_FALSE(c.reached);
  EXPECT_EQ(c.next, Tier::kStandard);
  EXPECT_TRUE(missing(c, "video") && missing(c, "access_control") && missing(c, "alarm"));
  EXPECT_FALSE(missing(c, "face_recognition"));
  ASSERT_EQ(c.aspects.size(), 7u);
  EXPECT_NE(c.missing[0].message.find("needs at least 1"), std::string::npos);
}

TEST(TierCompliance, VideoAccessAndAlarmReachStandard) {
  auto c = assessTier(standardEstate());
  EXPECT_EQ(c.reached, Tier::kStandard);
  EXPECT_EQ(c.next, Tier::kEnhanced);
  EXPECT_TRUE(missing(c, "face_recognition") && missing(c, "vehicle_management") &&
              missing(c, "identity_check"));
  EXPECT_FALSE(missing(c, "throwing"));
}

TEST(TierCompliance, FireDetectorsCountAsTheAlarmAspect) {
  std::vector<DeviceOnline> d;
  add(d, "camera", 1);
  add(d, "door", 1);
  add(d, "smoke", 1);
  EXPECT_EQ(assessTier(d).reached, Tier::kStandard);
}

TEST(TierCompliance, TooFewDevicesOnlineDropBelowStandard) {
  auto d = standardEstate();
  add(d, "camera", 3, 1);  // 4 of 5 cameras online: exactly 80 %
  EXPECT_EQ(assessTier(d).reached, Tier::kStandard);
  add(d, "camera", 0, 1);  // 4 of 6: below 80 %
  auto c = assessTier(d);
  EXPECT_FALSE(c.reached);
  EXPECT_FALSE(aspect(c, "video").ok);
  EXPECT_EQ(aspect(c, "video").present, 6);
  EXPECT_EQ(aspect(c, "video").online, 4);
  EXPECT_TRUE(missing(c, "video"));
}

TEST(TierCompliance, FaceCameraAndBarrierReachEnhanced) {
  auto c = assessTier(enhancedEstate());
  EXPECT_EQ(c.reached, Tier::kEnhanced);
  EXPECT_EQ(c.next, Tier::kDemonstration);
  EXPECT_TRUE(aspect(c, "identity_check").ok);
  EXPECT_EQ(aspect(c, "identity_check").present, 2);  // the door and the face camera
  EXPECT_TRUE(missing(c, "throwing"));
  // Demonstration wants two of everything: the single camera falls short.
  EXPECT_TRUE(missing(c, "video"));
}

TEST(TierCompliance, IdentityCheckNeedsBothADoorAndAFaceCamera) {
  auto d = standardEstate();
  add(d, "barrier", 1);
  add(d, "door", 1);
  auto c = assessTier(d);
  EXPECT_EQ(c.reached, Tier::kStandard);
  EXPECT_FALSE(aspect(c, "identity_check").ok);
  EXPECT_TRUE(missing(c, "identity_check"));
}

TEST(TierCompliance, AllSevenAspectsTwiceOverReachDemonstration) {
  auto c = assessTier(demonstrationEstate());
  EXPECT_EQ(c.reached, Tier::kDemonstration);
  EXPECT_FALSE(c.next);
  EXPECT_TRUE(c.missing.empty());
  for (const auto& a : c.aspects) EXPECT_TRUE(a.ok) << a.aspect;
}

TEST(TierCompliance, DemonstrationNeedsNinetyPercentOnline) {
  auto d = demonstrationEstate();
  add(d, "camera", 6, 1);  // 8 of 9 cameras online: 89 %
  auto c = assessTier(d);
  EXPECT_EQ(c.reached, Tier::kEnhanced);
  ASSERT_EQ(c.missing.size(), 1u);
  EXPECT_EQ(c.missing[0].aspect, "video");
  add(d, "camera", 1);  // 9 of 10
  EXPECT_EQ(assessTier(d).reached, Tier::kDemonstration);
}

TEST(TierCompliance, ThrowingCameraAloneIsNotOkBelowTheDemonstrationCount) {
  auto d = enhancedEstate();
  add(d, "throwing_camera", 1);
  auto c = assessTier(d);
  EXPECT_EQ(aspect(c, "throwing").present, 1);
  EXPECT_FALSE(aspect(c, "throwing").ok);
  EXPECT_EQ(c.reached, Tier::kEnhanced);
}

TEST(TierCompliance, TierNamesAreTheRegistryValues) {
  EXPECT_EQ(tierName(Tier::kStandard), "standard");
  EXPECT_EQ(tierName(Tier::kEnhanced), "enhanced");
  EXPECT_EQ(tierName(Tier::kDemonstration), "demonstration");
}

}  // namespace
}  // namespace anju::domain
