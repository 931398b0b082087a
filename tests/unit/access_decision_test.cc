// The rules of a visitor pass and a credential window, without storage.
#include <gtest/gtest.h>

#include "access/decision.h"

namespace anju::access {
namespace {

PassFacts pass() {
  return PassFacts{.valid_from = 1000, .valid_to = 2000, .uses_left = 1, .estate_id = 7};
}

TEST(AccessDecisionTest, APassAdmitsInsideItsWindowAtAnyDoorOfItsEstate) {
  EXPECT_EQ(checkPass(pass(), "gate", 7, 1500), std::nullopt);
  EXPECT_EQ(checkPass(pass(), "gate", 7, 1000), std::nullopt);
  EXPECT_EQ(checkPass(pass(), "gate", 7, 2000), std::nullopt);
}

TEST(AccessDecisionTest, APassRefusesBeforeAndAfterItsWindow) {
  EXPECT_EQ(checkPass(pass(), "gate", 7, 999), reason::kPassNotYetValid);
  EXPECT_EQ(checkPass(pass(), "gate", 7, 2001), reason::kPassExpired);
}

TEST(AccessDecisionTest, APassWithNoUsesLeftIsUsedUp) {
  PassFacts p = pass();
  p.uses_left = 0;
  EXPECT_EQ(checkPass(p, "gate", 7, 1500), reason::kPassUsedUp);
}

TEST(AccessDecisionTest, ARevokedPassSaysRevokedEvenWhenAlsoExpired) {
  PassFacts p = pass();
  p.revoked = true;
  EXPECT_EQ(checkPass(p, "gate", 7, 5000), reason::kPassRevoked);
}

TEST(AccessDecisionTest, APassOpensOnlyItsListedDoorsAndOnlyInItsEstate) {
  PassFacts p = pass();
  p.device_ids = {"b3-unit1"};
  EXPECT_EQ(checkPass(p, "b3-unit1", 7, 1500), std::nullopt);
  EXPECT_EQ(checkPass(p, "gate", 7, 1500), reason::kWrongDoor);
  EXPECT_EQ(checkPass(pass(), "gate", 8, 1500), reason::kWrongDoor);
}

TEST(AccessDecisionTest, APassIsLiveUntilItsWindowEndsOrItsUsesRunOut) {
  EXPECT_TRUE(passIsLive(pass(), 500));
  EXPECT_FALSE(passIsLive(pass(), 2001));
  PassFacts used = pass();
  used.uses_left = 0;
  EXPECT_FALSE(passIsLive(used, 1500));
}

TEST(AccessDecisionTest, ACredentialWindowMayBeOpenAtEitherEnd) {
  EXPECT_EQ(checkWindow(std::nullopt, std::nullopt, 5), std::nullopt);
  EXPECT_EQ(checkWindow(10, std::nullopt, 5), reason::kCredentialNotYetValid);
  EXPECT_EQ(checkWindow(std::nullopt, 4, 5), reason::kCredentialExpired);
  EXPECT_EQ(checkWindow(1, 10, 5), std::nullopt);
}

TEST(AccessDecisionTest, APassQrCarriesItsIdAndCode) {
  std::string qr = passQr(42, "012345");
  EXPECT_EQ(qr, "ANJU1:42:012345");
  auto parsed = parsePassQr(qr);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->pass_id, 42);
  EXPECT_EQ(parsed->code, "012345");
  EXPECT_FALSE(parsePassQr("ANJU1:42:12345"));
  EXPECT_FALSE(parsePassQr("ANJU1:x:012345"));
  EXPECT_FALSE(parsePassQr("card-0042"));
}

TEST(AccessDecisionTest, MethodsParseByTheirApiNames) {
  for (const char* name : {"face", "card", "pin", "qr", "code", "phone", "remote", "plate"}) {
    auto m = parseMethod(name);
    ASSERT_TRUE(m) << name;
    EXPECT_EQ(methodName(*m), name);
  }
  EXPECT_FALSE(parseMethod("fingerprint"));
}

}  // namespace
}  // namespace anju::access
