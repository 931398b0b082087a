// Signing in, tokens, roles: what stands between the registry and everyone else.
#include <gtest/gtest.h>

#include <set>

#include "anju_server.h"

namespace anju::testing {
namespace {

using nlohmann::json;

class AuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new AnjuServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static AnjuServer* server_;
};
AnjuServer* AuthTest::server_ = nullptr;

TEST_F(AuthTest, HealthzNeedsNoToken) {
  auto r = server_->call("GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["status"], "ok");
}

TEST_F(AuthTest, AdminSignsInWithThePasswordFromTheEnvironment) {
  auto r = server_->call("POST", "/api/v1/auth/login", "",
                         json{{"username", "admin"}, {"password", kAdminPassword}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["token"].get<std::string>().size(), 64u);
  EXPECT_EQ(r.body["user"]["roles"], json::array({"admin"}));
}

TEST_F(AuthTest, WrongPasswordAndUnknownUserGetTheSame401) {
  auto wrong = server_->call("POST", "/api/v1/auth/login", "",
                             json{{"username", "admin"}, {"password", "not-the-password"}});
  auto unknown = server_->call("POST", "/api/v1/auth/login", "",
                               json{{"username", "nobody"}, {"password", "whatever-it-is"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body["error"]["message"], unknown.body["error"]["message"]);
}

TEST_F(AuthTest, RepeatedWrongPasswordsLockTheUsernameFor429) {
  std::string admin = server_->adminToken();
  server_->call(
      "POST", "/api/v1/users", admin,
      json{{"username", "guessed"}, {"password", "the-real-pass"}, {"roles", {"police"}}});
  for (int i = 0; i < 5; ++i) {
    auto r =
        server_->call("POST", "/api/v1/auth/login", "",
                      json{{"username", "guessed"}, {"password", "guess-" + std::to_string(i)}});
    EXPECT_EQ(r.status, 401);
  }
  auto locked = server_->call("POST", "/api/v1/auth/login", "",
                              json{{"username", "guessed"}, {"password", "the-real-pass"}});
  EXPECT_EQ(locked.status, 429) << locked.raw;
  EXPECT_EQ(locked.body["error"]["code"], "rate_limited");
  EXPECT_FALSE(locked.header("retry-after").empty());
  // Others at the same address still sign in.
  EXPECT_FALSE(server_->adminToken().empty());
}

TEST_F(AuthTest, LoginWithoutPasswordNamesTheField) {
  auto r = server_->call("POST", "/api/v1/auth/login", "", json{{"username", "admin"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["error"]["field"], "password");
}

TEST_F(AuthTest, ApiCallsWithoutOrWithForgedTokenAre401) {
  EXPECT_EQ(server_->call("GET", "/api/v1/persons").status, 401);
  EXPECT_EQ(server_->call("GET", "/api/v1/persons", std::string(64, 'a')).status, 401);
  auto r = server_->call("GET", "/api/v1/estates", "x");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body["error"]["code"], "unauthenticated");
}

TEST_F(AuthTest, LogoutEndsTheToken) {
  std::string token = server_->adminToken();
  EXPECT_EQ(server_->call("GET", "/api/v1/auth/me", token).status, 200);
  EXPECT_EQ(server_->call("POST", "/api/v1/auth/logout", token).status, 200);
  EXPECT_EQ(server_->call("GET", "/api/v1/auth/me", token).status, 401);
}

TEST_F(AuthTest, ARoleWithoutNeedIsRefused403) {
  std::string admin = server_->adminToken();
  auto created = server_->call(
      "POST", "/api/v1/users", admin,
      json{{"username", "resident1"}, {"password", "resident-pass-1"}, {"roles", {"resident"}}});
  ASSERT_EQ(created.status, 201) << created.raw;
  std::string resident = server_->login("resident1", "resident-pass-1");
  auto r = server_->call("GET", "/api/v1/persons", resident);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["error"]["code"], "forbidden");
  EXPECT_EQ(server_->call("GET", "/api/v1/users", resident).status, 403);
  EXPECT_EQ(server_->call("GET", "/api/v1/audit", resident).status, 403);
}

TEST_F(AuthTest, UserCreationValidatesRolesAndPasswords) {
  std::string admin = server_->adminToken();
  auto bad_role = server_->call(
      "POST", "/api/v1/users", admin,
      json{{"username", "x1"}, {"password", "long-enough-1"}, {"roles", {"sheriff"}}});
  EXPECT_EQ(bad_role.status, 400);
  EXPECT_EQ(bad_role.body["error"]["field"], "roles");
  auto short_pw =
      server_->call("POST", "/api/v1/users", admin,
                    json{{"username", "x2"}, {"password", "short"}, {"roles", {"police"}}});
  EXPECT_EQ(short_pw.status, 400);
  EXPECT_EQ(short_pw.body["error"]["field"], "password");
  auto first = server_->call(
      "POST", "/api/v1/users", admin,
      json{{"username", "twice"}, {"password", "long-enough-1"}, {"roles", {"police"}}});
  EXPECT_EQ(first.status, 201);
  auto again = server_->call(
      "POST", "/api/v1/users", admin,
      json{{"username", "twice"}, {"password", "long-enough-1"}, {"roles", {"police"}}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["error"]["field"], "username");
}

TEST_F(AuthTest, TheUserListPagesWithTheCursor) {
  std::string admin = server_->adminToken();
  for (const char* name : {"page_a", "page_b", "page_c"}) {
    server_->call("POST", "/api/v1/users", admin,
                  json{{"username", name}, {"password", "page-pass-01"}, {"roles", {"mediator"}}});
  }
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 20; ++page) {
    auto r = server_->call(
        "GET", "/api/v1/users?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), admin);
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_LE(r.body["items"].size(), 2u);
    for (const auto& u : r.body["items"]) seen.push_back(u["username"]);
    if (r.body["next"].is_null()) break;
    cursor = r.body["next"];
  }
  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size());
  EXPECT_TRUE(unique.count("page_a") && unique.count("page_b") && unique.count("page_c"));
}

TEST_F(AuthTest, ADeactivatedUserIsSignedOutAndCannotSignInUntilActiveAgain) {
  std::string admin = server_->adminToken();
  auto created = server_->call(
      "POST", "/api/v1/users", admin,
      json{{"username", "leaving"}, {"password", "leaving-pass-01"}, {"roles", {"police"}}});
  ASSERT_EQ(created.status, 201) << created.raw;
  std::string id = created.body["id"].dump();
  std::string token = server_->login("leaving", "leaving-pass-01");
  ASSERT_EQ(server_->call("GET", "/api/v1/persons", token).status, 200);

  auto off = server_->call("PATCH", "/api/v1/users/" + id, admin, json{{"active", false}});
  ASSERT_EQ(off.status, 200) << off.raw;
  EXPECT_EQ(off.body["active"], false);
  EXPECT_EQ(server_->call("GET", "/api/v1/persons", token).status, 401);
  auto refused = server_->call("POST", "/api/v1/auth/login", "",
                               json{{"username", "leaving"}, {"password", "leaving-pass-01"}});
  EXPECT_EQ(refused.status, 401);

  auto on = server_->call("PATCH", "/api/v1/users/" + id, admin, json{{"active", true}});
  ASSERT_EQ(on.status, 200) << on.raw;
  EXPECT_FALSE(server_->login("leaving", "leaving-pass-01").empty());
  auto audit = server_->call("GET", "/api/v1/audit?action=deactivate&object=users", admin);
  ASSERT_EQ(audit.body["items"].size(), 1u) << audit.raw;
  EXPECT_EQ(audit.body["items"][0]["object_id"], id);
}

TEST_F(AuthTest, UsersAreChangedOnlyInActiveAndNeverToLockOutOneself) {
  std::string admin = server_->adminToken();
  auto me = server_->call("GET", "/api/v1/auth/me", admin);
  std::string id = me.body["id"].dump();
  auto self = server_->call("PATCH", "/api/v1/users/" + id, admin, json{{"active", false}});
  EXPECT_EQ(self.status, 400);
  EXPECT_EQ(self.body["error"]["field"], "active");
  auto other = server_->call("PATCH", "/api/v1/users/" + id, admin, json{{"roles", {"police"}}});
  EXPECT_EQ(other.status, 400);
  EXPECT_EQ(other.body["error"]["field"], "roles");
  EXPECT_EQ(server_->call("PATCH", "/api/v1/users/99999", admin, json{{"active", false}}).status,
            404);
}

TEST_F(AuthTest, PasswordsAreNeverReturned) {
  std::string admin = server_->adminToken();
  auto users = server_->call("GET", "/api/v1/users", admin);
  ASSERT_EQ(users.status, 200);
  EXPECT_EQ(users.raw.find("password"), std::string::npos);
  EXPECT_EQ(users.raw.find("argon2"), std::string::npos);
}

TEST_F(AuthTest, OpenApiDocumentIsServedAndListsTheRegistry) {
  auto r = server_->call("GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["openapi"], "3.0.3");
  EXPECT_TRUE(r.body["paths"].contains("/api/v1/persons/{id}"));
  EXPECT_TRUE(r.body["paths"].contains("/api/v1/auth/login"));
  EXPECT_TRUE(r.body["components"]["schemas"].contains("persons"));
}

TEST_F(AuthTest, UnknownEndpointsAnswer404AndWrongMethods405) {
  std::string admin = server_->adminToken();
  EXPECT_EQ(server_->call("GET", "/api/v1/nothing-here", admin).status, 404);
  EXPECT_EQ(server_->call("PUT", "/api/v1/persons", admin).status, 405);
}

}  // namespace
}  // namespace anju::testing
