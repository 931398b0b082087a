// What a door terminal is told when it syncs: everything once, then only what changed, with
// tombstones for what it must forget.
#include <gtest/gtest.h>

#include "access/credential_sync.h"
#include "domain/entity.h"
#include "store/record_store.h"
#include "temp_store.h"

namespace anju::access {
namespace {

using nlohmann::json;

class CredentialSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    estate_ = create("estates", {{"name", "锦绣花园"}});
    person_ =
        create("persons", {{"name", "张伟"}, {"category", "registered"}, {"estate_id", estate_}});
    outsider_ =
        create("persons", {{"name", "李娜"}, {"category", "registered"}, {"estate_id", estate_}});
    for (const char* id : {"gate", "garage"}) {
      ASSERT_TRUE(records_.create(
          *domain::findEntity("devices"),
          {{"id", id}, {"name", id}, {"kind", "door"}, {"estate_id", estate_}}, {}));
    }
    group_ = create("access_groups", {{"name", "住户"},
                                      {"estate_id", estate_},
                                      {"device_ids", {"gate"}},
                                      {"person_ids", {person_}}});
    card_ = create("credentials", {{"person_id", person_}, {"type", "card"}, {"value", "C-1"}});
  }

  int64_t create(const std::string& entity, json fields) {
    auto created = records_.create(*domain::findEntity(entity), fields, {});
    EXPECT_TRUE(created) << created.status().message();
    return created ? (*created)["id"].get<int64_t>() : 0;
  }

  void patch(const std::string& entity, int64_t id, json changes) {
    auto updated = records_.update(*domain::findEntity(entity), std::to_string(id), changes, {});
    ASSERT_TRUE(updated) << updated.status().message();
  }

  SyncPage sync(const std::string& door, const std::string& since) {
    auto page = syncCredentials(store_.db(), door, since, 480);
    EXPECT_TRUE(page) << page.status().message();
    return page ? *page : SyncPage{};
  }

  test_support::TempStore store_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2026} / 11 / 22))};
  store::RecordStore records_{store_.db(), clock_, 480};
  int64_t estate_ = 0, person_ = 0, outsider_ = 0, group_ = 0, card_ = 0;
};

TEST_F(CredentialSyncTest, TheFullListHoldsOnlyPersonsWhoseGroupsIncludeTheDoor) {
  create("credentials", {{"person_id", outsider_}, {"type", "card"}, {"value", "C-2"}});

  SyncPage gate = sync("gate", "");
  SyncPage garage = sync("garage", "");

  ASSERT_EQ(gate.items.size(), 1u);
  EXPECT_EQ(gate.items[0]["credential_id"], card_);
  EXPECT_EQ(gate.items[0]["value"], "C-1");
  EXPECT_TRUE(garage.items.empty());
  EXPECT_FALSE(gate.next.empty());
}

TEST_F(CredentialSyncTest, NothingChangedMeansNothingSentAndTheSameCursor) {
  SyncPage full = sync("gate", "");

  SyncPage again = sync("gate", full.next);

  EXPECT_TRUE(again.items.empty());
  EXPECT_EQ(again.next, full.next);
}

TEST_F(CredentialSyncTest, AChangedCardIsSentAgainAndOthersDoorsChangesAreNot) {
  SyncPage full = sync("gate", "");
  patch("credentials", card_, {{"value", "C-1b"}});
  create("credentials", {{"person_id", outsider_}, {"type", "pin"}, {"value", "1234"}});

  SyncPage changes = sync("gate", full.next);

  ASSERT_EQ(changes.items.size(), 1u);
  EXPECT_EQ(changes.items[0]["value"], "C-1b");
  EXPECT_FALSE(changes.items[0].contains("deleted"));
}

TEST_F(CredentialSyncTest, RemovingTheDoorFromTheGroupDropsItsMembers) {
  SyncPage full = sync("gate", "");
  patch("access_groups", group_, {{"device_ids", {"garage"}}});

  SyncPage gate = sync("gate", full.next);
  SyncPage garage = sync("garage", full.next);

  ASSERT_EQ(gate.items.size(), 1u);
  EXPECT_EQ(gate.items[0], (json{{"person_id", person_}, {"deleted", true}}));
  ASSERT_EQ(garage.items.size(), 1u);
  EXPECT_EQ(garage.items[0]["credential_id"], card_);
}

TEST_F(CredentialSyncTest, ACardMovedToAnOutsiderIsATombstone) {
  SyncPage full = sync("gate", "");
  patch("credentials", card_, {{"person_id", outsider_}});

  SyncPage changes = sync("gate", full.next);

  ASSERT_EQ(changes.items.size(), 1u);
  EXPECT_EQ(changes.items[0]["credential_id"], card_);
  EXPECT_EQ(changes.items[0]["deleted"], true);
}

TEST_F(CredentialSyncTest, ALongLogIsServedInPagesThatTogetherMissNothing) {
  SyncPage full = sync("gate", "");
  for (int i = 0; i < 5; ++i)
    create("credentials", {{"person_id", person_}, {"type", "pin"}, {"value", std::to_string(i)}});

  auto first = syncCredentials(store_.db(), "gate", full.next, 480, 3);
  ASSERT_TRUE(first);
  auto second = syncCredentials(store_.db(), "gate", first->next, 480, 3);
  ASSERT_TRUE(second);

  EXPECT_TRUE(first->more);
  EXPECT_FALSE(second->more);
  std::set<int64_t> seen;
  for (const auto& page : {first->items, second->items})
    for (const auto& item : page) seen.insert(item["credential_id"].get<int64_t>());
  EXPECT_EQ(seen.size(), 5u);
}

TEST_F(CredentialSyncTest, ACursorThatIsNotANumberIsRefused) {
  auto page = syncCredentials(store_.db(), "gate", "yesterday", 480);

  EXPECT_EQ(page.status().code(), Code::kInvalid);
  EXPECT_EQ(page.status().field(), "since");
}

}  // namespace
}  // namespace anju::access
