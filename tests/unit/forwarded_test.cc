// Who the client is behind nginx: the sign-in throttle, the audit log and /metrics' loopback rule
// all use this address.
#include "http/forwarded.h"

#include <gtest/gtest.h>

namespace anju::http {
namespace {

const std::vector<std::string> kNginx = {"127.0.0.1", "::1"};

TEST(ForwardedTest, AnUntrustedPeerCannotClaimAnotherAddress) {
  EXPECT_EQ(clientAddress("203.0.113.9", "127.0.0.1", kNginx), "203.0.113.9");
  EXPECT_EQ(clientAddress("203.0.113.9", "10.0.0.1", {}), "203.0.113.9");
}

TEST(ForwardedTest, TheTrustedProxyNamesTheClient) {
  EXPECT_EQ(clientAddress("127.0.0.1", "198.51.100.7", kNginx), "198.51.100.7");
  EXPECT_EQ(clientAddress("::1", " 2001:db8::5 ", kNginx), "2001:db8::5");
}

TEST(ForwardedTest, AddressesTheClientWroteItselfAreIgnored) {
  // The client sent "X-Forwarded-For: 127.0.0.1" hoping to pass for loopback; nginx appended the
  // address it really came from.
  EXPECT_EQ(clientAddress("127.0.0.1", "127.0.0.1, 198.51.100.7", kNginx), "198.51.100.7");
  EXPECT_EQ(clientAddress("127.0.0.1", "10.9.9.9, 198.51.100.7", kNginx), "198.51.100.7");
}

TEST(ForwardedTest, ChainsOfTrustedProxiesAreWalkedThrough) {
  std::vector<std::string> two = {"127.0.0.1", "10.0.0.2"};
  EXPECT_EQ(clientAddress("127.0.0.1", "198.51.100.7, 10.0.0.2", two), "198.51.100.7");
  EXPECT_EQ(clientAddress("127.0.0.1", "::ffff:198.51.100.8", two), "198.51.100.8");
}

TEST(ForwardedTest, AHeaderThatIsNotAnAddressLeavesThePeer) {
  EXPECT_EQ(clientAddress("127.0.0.1", "", kNginx), "127.0.0.1");
  EXPECT_EQ(clientAddress("127.0.0.1", "unknown", kNginx), "127.0.0.1");
  EXPECT_EQ(clientAddress("127.0.0.1", "198.51.100.7, ' OR 1=1", kNginx), "127.0.0.1");
  EXPECT_EQ(clientAddress("127.0.0.1", "127.0.0.1", kNginx), "127.0.0.1");
}

}  // namespace
}  // namespace anju::http
