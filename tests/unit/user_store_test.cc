#include "store/user_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "domain/entity.h"
#include "store/record_store.h"
#include "temp_store.h"

namespace anju::store {
namespace {

using nlohmann::json;
using test_support::TempStore;

constexpr std::chrono::seconds kTtl = std::chrono::hours(12);

class UserStoreTest : public ::testing::Test {
 protected:
  Result<User> create(const std::string& username, const std::string& password,
                      std::vector<std::string> roles = {"police"},
                      std::optional<int64_t> region_id = std::nullopt) {
    return users_.create({.username = username,
                          .password = password,
                          .roles = std::move(roles),
                          .region_id = region_id});
  }

  Session login(const std::string& username, const std::string& password) {
    auto session = users_.login(username, password, kTtl);
    EXPECT_TRUE(session) << session.status().message();
    return session ? *session : Session{};
  }

  int64_t makeRegion(const json& body) {
    const domain::EntitySpec& spec = *domain::findEntity("regions");
    auto fields = domain::validateFields(spec, body, true, 480);
    EXPECT_TRUE(fields) << fields.status().message();
    auto created = records_.create(spec, *fields, {});
    EXPECT_TRUE(created) << created.status().message();
    return created ? (*created)["id"].get<int64_t>() : 0;
  }

  TempStore store_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2025} / 6 / 1))};
  UserStore users_{store_.db(), clock_};
  RecordStore records_{store_.db(), clock_, 480};
};

TEST_F(UserStoreTest, AnUnknownRoleIsInvalidOnRoles) {
  auto created = create("zhang.wei", "correct-horse", {"police", "superuser"});

  EXPECT_EQ(created.status().code(), Code::kInvalid);
  EXPECT_EQ(created.status().field(), "roles");
  EXPECT_EQ(*users_.count(), 0);
}

TEST_F(UserStoreTest, AUserWithoutRolesIsInvalidOnRoles) {
  auto created = create("zhang.wei", "correct-horse", {});

  EXPECT_EQ(created.status().field(), "roles");
}

TEST_F(UserStoreTest, APasswordShorterThanEightCharactersIsInvalidOnPassword) {
  auto created = create("zhang.wei", "1234567");

  EXPECT_EQ(created.status().code(), Code::kInvalid);
  EXPECT_EQ(created.status().field(), "password");
  EXPECT_EQ(*users_.count(), 0);
}

// Seven Chinese characters are 21 bytes but still a seven-character password.
TEST_F(UserStoreTest, PasswordLengthCountsCharactersNotBytes) {
  EXPECT_EQ(create("li.na", "安居乐业平安家").status().field(), "password");
  EXPECT_TRUE(create("li.na", "安居乐业平安家园"));
}

TEST_F(UserStoreTest, AUsernameWithSpacesOrSlashesIsInvalidOnUsername) {
  EXPECT_EQ(create("zhang wei", "correct-horse").status().field(), "username");
  EXPECT_EQ(create("../admin", "correct-horse").status().field(), "username");
  EXPECT_EQ(create("", "correct-horse").status().field(), "username");
}

TEST_F(UserStoreTest, ADuplicateUsernameIsAConflictOnUsername) {
  ASSERT_TRUE(create("zhang.wei", "correct-horse"));

  auto again = create("zhang.wei", "another-horse", {"grid_worker"});

  EXPECT_EQ(again.status().code(), Code::kConflict);
  EXPECT_EQ(again.status().field(), "username");
  EXPECT_EQ(*users_.count(), 1);
}

TEST_F(UserStoreTest, AnUnknownRegionIsInvalidOnRegionId) {
  auto created = create("zhang.wei", "correct-horse", {"police"}, 404);

  EXPECT_EQ(created.status().code(), Code::kInvalid);
  EXPECT_EQ(created.status().field(), "region_id");
}

TEST_F(UserStoreTest, PasswordsAreStoredOnlyAsHashes) {
  ASSERT_TRUE(create("zhang.wei", "correct-horse"));

  auto stored =
      store_.query("SELECT password_hash FROM users WHERE username = 'zhang.wei'").scalarText();

  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->find("correct-horse"), std::string::npos);
  EXPECT_EQ(stored->rfind("$argon2id$", 0), 0u) << *stored;
}

TEST_F(UserStoreTest, AWrongPasswordOrUnknownUserIsUnauthenticatedAlike) {
  ASSERT_TRUE(create("zhang.wei", "correct-horse"));

  auto wrong = users_.login("zhang.wei", "wrong-horse", kTtl);
  auto unknown = users_.login("nobody", "correct-horse", kTtl);

  EXPECT_EQ(wrong.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(unknown.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(wrong.status().message(), unknown.status().message())
      << "the answer must not reveal which usernames exist";
  EXPECT_EQ(store_.count("sessions"), 0);
}

TEST_F(UserStoreTest, ATokenFromLoginAuthenticatesAsTheUserWithTheirRegionPath) {
  int64_t city = makeRegion({{"name", "秦皇岛市"}, {"level", "city"}});
  int64_t district = makeRegion({{"name", "海港区"}, {"level", "district"}, {"parent_id", city}});
  ASSERT_TRUE(create("zhang.wei", "correct-horse", {"police", "grid_worker"}, district));

  Session session = login("zhang.wei", "correct-horse");
  auto user = users_.authenticate(session.token);

  ASSERT_TRUE(user) << user.status().message();
  EXPECT_EQ(user->username, "zhang.wei");
  EXPECT_TRUE(user->hasRole("police"));
  EXPECT_TRUE(user->hasRole("grid_worker"));
  EXPECT_FALSE(user->hasRole("admin"));
  EXPECT_EQ(user->region_id, district);
  EXPECT_EQ(user->region_path, *records_.regionPath(district));
  EXPECT_EQ(user->region_path, "/" + std::to_string(city) + "/" + std::to_string(district) + "/");
  EXPECT_EQ(session.user.region_path, user->region_path);
}

TEST_F(UserStoreTest, AUserWithoutARegionHasTheWholeTreeAsScope) {
  ASSERT_TRUE(create("admin", "correct-horse", {"admin"}));

  auto user = users_.authenticate(login("admin", "correct-horse").token);

  ASSERT_TRUE(user);
  EXPECT_EQ(user->region_path, "/");
}

TEST_F(UserStoreTest, ATokenExpiresAfterItsTimeToLive) {
  ASSERT_TRUE(create("zhang.wei", "correct-horse"));
  Session session = login("zhang.wei", "correct-horse");
  EXPECT_EQ(session.expires_at_ms, clock_.nowMillis() + 12 * 3600 * 1000);

  clock_.advance(std::chrono::hours(11) + std::chrono::minutes(59));
  EXPECT_TRUE(users_.authenticate(session.token));

  clock_.advance(std::chrono::minutes(2));
  EXPECT_EQ(users_.authenticate(session.token).status().code(), Code::kUnauthenticated);
}

TEST_F(UserStoreTest, LogoutEndsThatTokenOnly) {
  ASSERT_TRUE(create("zhang.wei", "correct-horse"));
  Session phone = login("zhang.wei", "correct-horse");
  Session desk = login("zhang.wei", "correct-horse");
  ASSERT_NE(phone.token, desk.token);

  ASSERT_TRUE(users_.logout(phone.token));

  EXPECT_EQ(users_.authenticate(phone.token).status().code(), Code::kUnauthenticated);
  EXPECT_TRUE(users_.authenticate(desk.token));
}

TEST_F(UserStoreTest, SettingAPasswordEndsEverySessionOfThatUserOnly) {
  ASSERT_TRUE(create("zhang.wei", "correct-horse"));
  ASSERT_TRUE(create("li.na", "battery-staple"));
  Session first = login("zhang.wei", "correct-horse");
  Session second = login("zhang.wei", "correct-horse");
  Session other = login("li.na", "battery-staple");

  ASSERT_TRUE(users_.setPassword("zhang.wei", "new-horse-2025"));

  EXPECT_EQ(users_.authenticate(first.token).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(users_.authenticate(second.token).status().code(), Code::kUnauthenticated);
  EXPECT_TRUE(users_.authenticate(other.token));
  EXPECT_EQ(users_.login("zhang.wei", "correct-horse", kTtl).status().code(),
            Code::kUnauthenticated);
  EXPECT_TRUE(users_.login("zhang.wei", "new-horse-2025", kTtl));
}

TEST_F(UserStoreTest, SettingAShortPasswordChangesNothing) {
  ASSERT_TRUE(create("zhang.wei", "correct-horse"));
  Session session = login("zhang.wei", "correct-horse");

  Status s = users_.setPassword("zhang.wei", "short");

  EXPECT_EQ(s.field(), "password");
  EXPECT_TRUE(users_.authenticate(session.token));
  EXPECT_TRUE(users_.login("zhang.wei", "correct-horse", kTtl));
}

// A copy of the database file must not open anyone's session.
TEST_F(UserStoreTest, TokensAreNotStoredInClear) {
  ASSERT_TRUE(create("zhang.wei", "correct-horse"));
  Session session = login("zhang.wei", "correct-horse");
  ASSERT_FALSE(session.token.empty());

  Rows rows = store_.query("SELECT * FROM sessions");

  ASSERT_EQ(rows.size(), 1u);
  for (const auto& value : rows.rows[0]) {
    EXPECT_EQ(asText(value).find(session.token), std::string::npos);
  }
  EXPECT_EQ(users_.authenticate(asText(rows.rows[0][0])).status().code(), Code::kUnauthenticated)
      << "the stored hash must not itself work as a token";
}

TEST_F(UserStoreTest, MadeUpTokensAreUnauthenticated) {
  ASSERT_TRUE(create("zhang.wei", "correct-horse"));
  login("zhang.wei", "correct-horse");

  for (const std::string& token :
       {std::string(), std::string("0123456789abcdef"), std::string(500, 'a')}) {
    EXPECT_EQ(users_.authenticate(token).status().code(), Code::kUnauthenticated) << token;
  }
}

TEST_F(UserStoreTest, ListingByScopeShowsOnlyUsersInsideThatRegion) {
  int64_t city = makeRegion({{"name", "秦皇岛市"}, {"level", "city"}});
  int64_t a = makeRegion({{"name", "海港区"}, {"level", "district"}, {"parent_id", city}});
  int64_t b = makeRegion({{"name", "北戴河区"}, {"level", "district"}, {"parent_id", city}});
  ASSERT_TRUE(create("city.admin", "correct-horse", {"admin"}, city));
  ASSERT_TRUE(create("a.police", "correct-horse", {"police"}, a));
  ASSERT_TRUE(create("b.police", "correct-horse", {"police"}, b));

  auto in_a = users_.list(*records_.regionPath(a));
  auto in_city = users_.list(*records_.regionPath(city));

  ASSERT_TRUE(in_a && in_city);
  ASSERT_EQ(in_a->size(), 1u);
  EXPECT_EQ((*in_a)[0].username, "a.police");
  EXPECT_EQ(in_city->size(), 3u);
}

}  // namespace
}  // namespace anju::store
