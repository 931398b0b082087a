#include <gtest/gtest.h>

#include "anju_server.h"

namespace anju::testing {
namespace {

TEST(Server, AnswersHealthzAndSignsInTheAdmin) {
  AnjuServer server;
  auto health = server.call("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_FALSE(server.adminToken().empty());
}

}  // namespace
}  // namespace anju::testing
