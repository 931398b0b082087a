#include "store/record_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "domain/entity.h"
#include "domain/id_number.h"
#include "temp_store.h"

namespace anju::store {
namespace {

using domain::EntitySpec;
using nlohmann::json;
using test_support::TempStore;

constexpr int kOffset = 480;

// A valid ID number issued in Qinhuangdao for someone born on `birth` (YYYYMMDD); an odd
// `sequence` makes a man, an even one a woman.
std::string idNumber(const std::string& birth, int sequence) {
  std::string seq = std::to_string(sequence);
  std::string first17 = "130302" + birth + std::string(3 - seq.size(), '0') + seq;
  return first17 + domain::idNumberCheckChar(first17);
}

std::string idOf(const json& record) {
  const json& id = record.at("id");
  return id.is_string() ? id.get<std::string>() : std::to_string(id.get<int64_t>());
}

class RecordStoreTest : public ::testing::Test {
 protected:
  const EntitySpec& spec(const std::string& entity) { return *domain::findEntity(entity); }

  Result<json> create(const std::string& entity, const json& body, const Scope& scope = {}) {
    auto fields = domain::validateFields(spec(entity), body, true, kOffset);
    if (!fields) return fields.status();
    return records_.create(spec(entity), *fields, scope);
  }

  // For the objects a test stands on: failing to make them is not what the test is about.
  json make(const std::string& entity, const json& body, const Scope& scope = {}) {
    auto created = create(entity, body, scope);
    if (!created) {
      throw std::runtime_error("cannot create " + entity + " " + body.dump() + ": " +
                               created.status().message());
    }
    return *created;
  }
  int64_t makeId(const std::string& entity, const json& body, const Scope& scope = {}) {
    return make(entity, body, scope).at("id").get<int64_t>();
  }

  Result<json> update(const std::string& entity, const std::string& id, const json& body,
                      const Scope& scope = {}) {
    auto fields = domain::validateFields(spec(entity), body, false, kOffset);
    if (!fields) return fields.status();
    return records_.update(spec(entity), id, *fields, scope);
  }

  Result<json> get(const std::string& entity, const std::string& id, const Scope& scope = {}) {
    return records_.get(spec(entity), id, scope);
  }

  // Every page of a list, walked with the cursor.
  std::vector<json> listAll(const std::string& entity,
                            std::vector<std::pair<std::string, std::string>> filters = {},
                            const Scope& scope = {}, int limit = 1000) {
    std::vector<json> all;
    ListQuery query{.filters = std::move(filters), .limit = limit};
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = records_.list(spec(entity), query, scope);
      if (!page) throw std::runtime_error("list failed: " + page.status().message());
      all.insert(all.end(), page->items.begin(), page->items.end());
      if (!page->next) return all;
      query.cursor = *page->next;
    }
    throw std::runtime_error("the cursor never ended");
  }

  std::set<std::string> idsOf(const std::vector<json>& records) {
    std::set<std::string> ids;
    for (const auto& r : records) ids.insert(idOf(r));
    return ids;
  }

  Scope scopeOf(int64_t region_id) {
    auto path = records_.regionPath(region_id);
    if (!path) throw std::runtime_error("no region " + std::to_string(region_id));
    return Scope{*path};
  }

  TempStore store_;
  FakeClock clock_{TimePoint(std::chrono::sys_days(std::chrono::year{2025} / 6 / 1))};
  RecordStore records_{store_.db(), clock_, kOffset};
};

TEST_F(RecordStoreTest, CreatesReadsUpdatesAndRemovesAPerson) {
  auto created = create("persons", {{"name", "张伟"},
                                    {"category", "registered"},
                                    {"id_number", idNumber("19850312", 123)},
                                    {"phone", "138 1234 5678"},
                                    {"tags", {"elderly_alone"}}});
  ASSERT_TRUE(created) << created.status().message();
  std::string id = idOf(*created);

  auto read = get("persons", id);
  ASSERT_TRUE(read) << read.status().message();
  EXPECT_EQ((*read)["name"], "张伟");
  EXPECT_EQ((*read)["category"], "registered");
  EXPECT_EQ((*read)["id_number"], idNumber("19850312", 123));
  EXPECT_EQ((*read)["phone"], "13812345678");
  EXPECT_EQ((*read)["tags"], json::array({"elderly_alone"}));
  EXPECT_EQ((*read)["created_at"], "2025-06-01T08:00:00.000+08:00");

  clock_.advance(std::chrono::minutes(5));
  auto updated = update("persons", id, {{"name", "张伟强"}, {"category", "tenant"}});
  ASSERT_TRUE(updated) << updated.status().message();
  read = get("persons", id);
  ASSERT_TRUE(read);
  EXPECT_EQ((*read)["name"], "张伟强");
  EXPECT_EQ((*read)["category"], "tenant");
  EXPECT_EQ((*read)["phone"], "13812345678") << "fields not in the update must stay";
  EXPECT_EQ((*read)["tags"], json::array({"elderly_alone"})) << "lists not in the update must stay";
  EXPECT_EQ((*read)["created_at"], "2025-06-01T08:00:00.000+08:00");
  EXPECT_EQ((*read)["updated_at"], "2025-06-01T08:05:00.000+08:00");

  ASSERT_TRUE(records_.remove(spec("persons"), id, {}));
  EXPECT_EQ(get("persons", id).status().code(), Code::kNotFound);
  EXPECT_EQ(store_.count("links"), 0) << "a removed person's tags must go with them";
}

TEST_F(RecordStoreTest, ReadingChangingOrDeletingAnUnknownIdIsNotFound) {
  EXPECT_EQ(get("persons", "42").status().code(), Code::kNotFound);
  EXPECT_EQ(get("persons", "not-a-number").status().code(), Code::kNotFound);
  EXPECT_EQ(update("persons", "42", {{"name", "李娜"}}).status().code(), Code::kNotFound);
  EXPECT_EQ(records_.remove(spec("persons"), "42", {}).code(), Code::kNotFound);
}

TEST_F(RecordStoreTest, ReplacingTagsReplacesTheWholeList) {
  std::string id = idOf(make(
      "persons",
      {{"name", "王芳"}, {"category", "registered"}, {"tags", {"elderly_alone", "disabled"}}}));

  ASSERT_TRUE(update("persons", id, {{"tags", {"veteran"}}}));
  EXPECT_EQ((*get("persons", id))["tags"], json::array({"veteran"}));

  ASSERT_TRUE(update("persons", id, {{"tags", nullptr}}));
  EXPECT_EQ((*get("persons", id))["tags"], json::array());
}

TEST_F(RecordStoreTest, ASecondPersonWithTheSameIdNumberIsAConflictOnIdNumber) {
  // Clerks often type the check character X in lower case; it is the same number.
  std::string number;
  for (int seq = 1; seq < 1000 && number.empty(); ++seq) {
    std::string candidate = idNumber("19850312", seq);
    if (candidate.back() == 'X') number = candidate;
  }
  ASSERT_FALSE(number.empty());
  make("persons", {{"name", "刘洋"}, {"category", "registered"}, {"id_number", number}});

  std::string lower = number.substr(0, 17) + "x";
  auto second = create("persons", {{"name", "刘阳"}, {"category", "tenant"}, {"id_number", lower}});

  EXPECT_EQ(second.status().code(), Code::kConflict);
  EXPECT_EQ(second.status().field(), "id_number");
  EXPECT_EQ(store_.count("persons"), 1);
}

TEST_F(RecordStoreTest, AReferenceToAnEstateThatDoesNotExistIsInvalidOnEstateId) {
  auto created =
      create("persons", {{"name", "陈静"}, {"category", "registered"}, {"estate_id", 99}});

  EXPECT_EQ(created.status().code(), Code::kInvalid);
  EXPECT_EQ(created.status().field(), "estate_id");
  EXPECT_EQ(store_.count("persons"), 0);
}

TEST_F(RecordStoreTest, ACreateThatFailsOnAListReferenceWritesNeitherTheRowNorItsLinks) {
  int64_t estate = makeId("estates", {{"name", "金梦海湾"}});
  int64_t person = makeId("persons", {{"name", "杨磊"}, {"category", "registered"}});

  auto group = create("access_groups",
                      {{"name", "一号门"}, {"estate_id", estate}, {"person_ids", {person, 777}}});

  EXPECT_EQ(group.status().code(), Code::kInvalid);
  EXPECT_EQ(group.status().field(), "person_ids");
  EXPECT_EQ(store_.count("access_groups"), 0);
  EXPECT_EQ(store_.count("links"), 0);
}

// Imports and the demo generator create many objects in one transaction: all or nothing.
TEST_F(RecordStoreTest, AFailureLaterInATransactionUndoesTheObjectsCreatedBeforeIt) {
  std::string number = idNumber("19700101", 11);
  make("persons", {{"name", "赵敏"}, {"category", "registered"}, {"id_number", number}});

  Status s = store_.db().write([&](Connection& c) -> Status {
    auto estate = records_.createIn(c, spec("estates"), {{"name", "碧海蓝天"}}, {});
    if (!estate) return estate.status();
    auto person = records_.createIn(c, spec("persons"),
                                    {{"name", "赵敏"},
                                     {"category", "tenant"},
                                     {"id_number", number},
                                     {"estate_id", (*estate)["id"]}},
                                    {});
    return person.status();
  });

  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_EQ(store_.count("estates"), 0);
  EXPECT_EQ(store_.count("persons"), 1);
}

TEST_F(RecordStoreTest, GenderAndBirthDateFollowFromTheIdNumber) {
  auto man = make(
      "persons",
      {{"name", "周杰"}, {"category", "registered"}, {"id_number", idNumber("19850312", 123)}});
  auto woman = make(
      "persons",
      {{"name", "吴静"}, {"category", "registered"}, {"id_number", idNumber("19921130", 124)}});

  EXPECT_EQ(man["gender"], "male");
  EXPECT_EQ(man["birth_date"], "1985-03-12");
  EXPECT_EQ(woman["gender"], "female");
  EXPECT_EQ(woman["birth_date"], "1992-11-30");
}

TEST_F(RecordStoreTest, AGenderThatContradictsTheIdNumberIsInvalidOnGender) {
  auto created = create("persons", {{"name", "郑强"},
                                    {"category", "registered"},
                                    {"gender", "female"},
                                    {"id_number", idNumber("19850312", 123)}});

  EXPECT_EQ(created.status().code(), Code::kInvalid);
  EXPECT_EQ(created.status().field(), "gender");
  EXPECT_EQ(store_.count("persons"), 0);
}

// A clerk who mistyped an ID number fixes just that field; the derived values follow it.
TEST_F(RecordStoreTest, CorrectingAnIdNumberUpdatesTheDerivedGenderAndBirthDate) {
  std::string id = idOf(make(
      "persons",
      {{"name", "孙丽"}, {"category", "registered"}, {"id_number", idNumber("19850312", 123)}}));

  auto corrected = update("persons", id, {{"id_number", idNumber("19880521", 246)}});

  ASSERT_TRUE(corrected) << corrected.status().message();
  EXPECT_EQ((*corrected)["gender"], "female");
  EXPECT_EQ((*corrected)["birth_date"], "1988-05-21");
}

TEST_F(RecordStoreTest, OnUpdateTheIdNumberStillDecidesTheGender) {
  std::string id = idOf(make(
      "persons",
      {{"name", "钱坤"}, {"category", "registered"}, {"id_number", idNumber("19850312", 123)}}));

  auto updated = update("persons", id, {{"gender", "female"}});

  ASSERT_TRUE(updated) << updated.status().message();
  EXPECT_EQ((*get("persons", id))["gender"], "male");
}

TEST_F(RecordStoreTest, ADeviceSecretIsShownAtCreationAndNeverAgain) {
  int64_t estate = makeId("estates", {{"name", "金梦海湾"}});

  auto device = create(
      "devices",
      {{"id", "e01-door-01"}, {"name", "东门门禁"}, {"kind", "door"}, {"estate_id", estate}});
  ASSERT_TRUE(device) << device.status().message();
  auto other = make("devices", {{"name", "西门门禁"}, {"kind", "door"}, {"estate_id", estate}});

  ASSERT_TRUE(device->contains("secret"));
  std::string secret = (*device)["secret"].get<std::string>();
  EXPECT_EQ(secret.size(), 32u);
  EXPECT_NE(secret, other["secret"].get<std::string>());
  // The server checks event signatures against the stored secret, so what was shown must be it.
  EXPECT_EQ(store_.query("SELECT secret FROM devices WHERE id = 'e01-door-01'").scalarText(),
            secret);

  auto read = get("devices", "e01-door-01");
  ASSERT_TRUE(read) << read.status().message();
  EXPECT_FALSE(read->contains("secret"));
  for (const auto& item : listAll("devices")) EXPECT_FALSE(item.contains("secret")) << item.dump();
  auto updated = update("devices", "e01-door-01", {{"name", "东门门禁(新)"}});
  ASSERT_TRUE(updated) << updated.status().message();
  EXPECT_FALSE(updated->contains("secret"));
  EXPECT_EQ(store_.query("SELECT secret FROM devices WHERE id = 'e01-door-01'").scalarText(),
            secret)
      << "renaming a device must not change its secret";
}

TEST_F(RecordStoreTest, ARoomWithoutAnAddressCodeGetsADistinctOne) {
  int64_t estate = makeId("estates", {{"name", "金梦海湾"}});
  int64_t building = makeId("buildings", {{"name", "1号楼"}, {"estate_id", estate}});
  int64_t unit_1 = makeId("units", {{"name", "1单元"}, {"building_id", building}});
  int64_t unit_2 = makeId("units", {{"name", "2单元"}, {"building_id", building}});

  auto a = make("rooms", {{"number", "101"}, {"building_id", building}, {"unit_id", unit_1}});
  auto b = make("rooms", {{"number", "101"}, {"building_id", building}, {"unit_id", unit_2}});
  auto c = make("rooms", {{"number", "102"}, {"building_id", building}, {"unit_id", unit_1}});
  auto given =
      make("rooms",
           {{"number", "103"}, {"building_id", building}, {"address_code", "130302001001U1R103"}});

  std::set<std::string> codes;
  for (const auto& room : {a, b, c}) {
    ASSERT_TRUE(room["address_code"].is_string()) << room.dump();
    EXPECT_FALSE(room["address_code"].get<std::string>().empty());
    codes.insert(room["address_code"].get<std::string>());
  }
  EXPECT_EQ(codes.size(), 3u);
  EXPECT_EQ(given["address_code"], "130302001001U1R103");
  EXPECT_EQ((*get("rooms", idOf(a)))["address_code"], a["address_code"]);
}

TEST_F(RecordStoreTest, RegisteringTheSameRoomTwiceIsAConflictOnAddressCode) {
  int64_t estate = makeId("estates", {{"name", "金梦海湾"}});
  int64_t building = makeId("buildings", {{"name", "1号楼"}, {"estate_id", estate}});
  make("rooms", {{"number", "101"}, {"building_id", building}});

  auto again = create("rooms", {{"number", "101"}, {"building_id", building}});

  EXPECT_EQ(again.status().code(), Code::kConflict);
  EXPECT_EQ(again.status().field(), "address_code");
  EXPECT_EQ(store_.count("rooms"), 1);
}

TEST_F(RecordStoreTest, DeletingAnEstateThatABuildingStillUsesIsAConflictAndRemovesNothing) {
  int64_t estate = makeId("estates", {{"name", "金梦海湾"}});
  int64_t building = makeId("buildings", {{"name", "1号楼"}, {"estate_id", estate}});

  Status removed = records_.remove(spec("estates"), std::to_string(estate), {});

  EXPECT_EQ(removed.code(), Code::kConflict);
  EXPECT_TRUE(get("estates", std::to_string(estate)));
  EXPECT_TRUE(get("buildings", std::to_string(building)));
}

TEST_F(RecordStoreTest, DeletingAPersonWhoStillOwnsAVehicleKeepsTheirTags) {
  std::string person =
      idOf(make("persons",
                {{"name", "黄磊"}, {"category", "registered"}, {"tags", {"veteran", "disabled"}}}));
  make("vehicles", {{"plate", "冀C12345"}, {"person_id", std::stoll(person)}});

  Status removed = records_.remove(spec("persons"), person, {});

  EXPECT_EQ(removed.code(), Code::kConflict);
  auto read = get("persons", person);
  ASSERT_TRUE(read);
  EXPECT_EQ((*read)["tags"], json::array({"disabled", "veteran"}));
}

// Access groups name their members in a list, which no foreign key guards. Had the delete gone
// through, the next person created could be given the same id and with it the group's doors.
TEST_F(RecordStoreTest, DeletingAPersonStillInAnAccessGroupIsAConflictAndRemovesNothing) {
  int64_t estate = makeId("estates", {{"name", "金梦海湾"}});
  std::string member = idOf(make("persons", {{"name", "韩梅"}, {"category", "registered"}}));
  std::string group =
      idOf(make("access_groups",
                {{"name", "东门"}, {"estate_id", estate}, {"person_ids", {std::stoll(member)}}}));

  Status removed = records_.remove(spec("persons"), member, {});

  EXPECT_EQ(removed.code(), Code::kConflict);
  EXPECT_TRUE(get("persons", member));
  EXPECT_EQ((*get("access_groups", group))["person_ids"], json::array({std::stoll(member)}));
}

TEST_F(RecordStoreTest, DeletingADeviceStillInAnAccessGroupIsAConflict) {
  int64_t estate = makeId("estates", {{"name", "金梦海湾"}});
  make("devices",
       {{"id", "e01-door-01"}, {"name", "东门门禁"}, {"kind", "door"}, {"estate_id", estate}});
  std::string group = idOf(make(
      "access_groups", {{"name", "东门"}, {"estate_id", estate}, {"device_ids", {"e01-door-01"}}}));

  EXPECT_EQ(records_.remove(spec("devices"), "e01-door-01", {}).code(), Code::kConflict);

  ASSERT_TRUE(update("access_groups", group, {{"device_ids", json::array()}}));
  EXPECT_TRUE(records_.remove(spec("devices"), "e01-door-01", {}))
      << "once no group lists the device it may go";
}

// City → districts A and B, each with an estate and a resident.
class RegionScopeTest : public RecordStoreTest {
 protected:
  void SetUp() override {
    city_ = makeId("regions", {{"name", "秦皇岛市"}, {"level", "city"}});
    district_a_ =
        makeId("regions", {{"name", "海港区"}, {"level", "district"}, {"parent_id", city_}});
    district_b_ =
        makeId("regions", {{"name", "北戴河区"}, {"level", "district"}, {"parent_id", city_}});
    estate_a_ = makeId("estates", {{"name", "金梦海湾"}, {"region_id", district_a_}});
    estate_b_ = makeId("estates", {{"name", "碧海蓝天"}, {"region_id", district_b_}});
    person_a_ = idOf(
        make("persons", {{"name", "马超"}, {"category", "registered"}, {"estate_id", estate_a_}}));
    person_b_ = idOf(
        make("persons", {{"name", "林峰"}, {"category", "registered"}, {"estate_id", estate_b_}}));
    scope_a_ = scopeOf(district_a_);
    scope_b_ = scopeOf(district_b_);
  }

  int64_t city_ = 0, district_a_ = 0, district_b_ = 0, estate_a_ = 0, estate_b_ = 0;
  std::string person_a_, person_b_;
  Scope scope_a_, scope_b_;
};

TEST_F(RegionScopeTest, ADistrictListsOnlyItsOwnEstatesAndPersons) {
  EXPECT_EQ(idsOf(listAll("estates", {}, scope_a_)),
            std::set<std::string>{std::to_string(estate_a_)});
  EXPECT_EQ(idsOf(listAll("persons", {}, scope_a_)), std::set<std::string>{person_a_});
  EXPECT_EQ(idsOf(listAll("persons", {}, scope_b_)), std::set<std::string>{person_b_});
  EXPECT_EQ(listAll("persons", {}, scopeOf(city_)).size(), 2u);
}

TEST_F(RegionScopeTest, ADistrictCannotReadAnotherDistrictsEstateOrPerson) {
  EXPECT_TRUE(get("persons", person_a_, scope_a_));
  EXPECT_EQ(get("persons", person_b_, scope_a_).status().code(), Code::kForbidden);
  EXPECT_EQ(get("estates", std::to_string(estate_b_), scope_a_).status().code(), Code::kForbidden);
  EXPECT_EQ(get("regions", std::to_string(district_b_), scope_a_).status().code(),
            Code::kForbidden);
  EXPECT_EQ(get("regions", std::to_string(city_), scope_a_).status().code(), Code::kForbidden)
      << "a district user sees its subtree, not its parents";
}

TEST_F(RegionScopeTest, ADistrictCannotCreateAPersonInAnotherDistrictsEstate) {
  auto created = create(
      "persons", {{"name", "冯刚"}, {"category", "tenant"}, {"estate_id", estate_b_}}, scope_a_);

  EXPECT_EQ(created.status().code(), Code::kForbidden);
  EXPECT_EQ(store_.count("persons"), 2);
}

TEST_F(RegionScopeTest, ADistrictCannotChangeOrDeleteAnotherDistrictsPerson) {
  EXPECT_EQ(update("persons", person_b_, {{"name", "改名"}}, scope_a_).status().code(),
            Code::kForbidden);
  EXPECT_EQ(records_.remove(spec("persons"), person_b_, scope_a_).code(), Code::kForbidden);

  auto read = get("persons", person_b_);
  ASSERT_TRUE(read);
  EXPECT_EQ((*read)["name"], "林峰");
}

TEST_F(RegionScopeTest, ADistrictCannotMoveItsPersonIntoAnotherDistrict) {
  auto moved = update("persons", person_a_, {{"estate_id", estate_b_}}, scope_a_);

  EXPECT_EQ(moved.status().code(), Code::kForbidden);
  EXPECT_EQ((*get("persons", person_a_))["estate_id"], estate_a_);
}

TEST_F(RegionScopeTest, AMovedPersonFollowsTheirNewEstatesDistrict) {
  ASSERT_TRUE(update("persons", person_a_, {{"estate_id", estate_b_}}, scopeOf(city_)));

  EXPECT_EQ(get("persons", person_a_, scope_a_).status().code(), Code::kForbidden);
  EXPECT_TRUE(get("persons", person_a_, scope_b_));
}

TEST_F(RegionScopeTest, APersonWithoutAnEstateBelongsToTheRegionOfWhoeverEnteredThem) {
  std::string walk_in =
      idOf(make("persons", {{"name", "流动人员"}, {"category", "floating"}}, scope_a_));

  EXPECT_TRUE(get("persons", walk_in, scope_a_));
  EXPECT_EQ(get("persons", walk_in, scope_b_).status().code(), Code::kForbidden);
}

TEST_F(RegionScopeTest, ADistrictCannotCreateARegionOutsideItsSubtree) {
  auto street = create(
      "regions", {{"name", "戴河镇"}, {"level", "township"}, {"parent_id", district_b_}}, scope_a_);
  EXPECT_EQ(street.status().code(), Code::kForbidden);

  auto top = create("regions", {{"name", "唐山市"}, {"level", "city"}}, scope_a_);
  EXPECT_EQ(top.status().code(), Code::kInvalid);
  EXPECT_EQ(top.status().field(), "parent_id");
}

// Paths are compared as text: region 2's "/1/2/" must not cover region 20's "/1/20/".
TEST_F(RecordStoreTest, AScopeDoesNotReachASiblingWhoseIdStartsWithTheSameDigits) {
  int64_t city = makeId("regions", {{"name", "秦皇岛市"}, {"level", "city"}});
  int64_t two = makeId("regions", {{"name", "海港区"}, {"level", "district"}, {"parent_id", city}});
  ASSERT_EQ(two, 2);
  int64_t twenty = 0;
  while (twenty < 20) {
    twenty = makeId("regions", {{"name", "街道"}, {"level", "street"}, {"parent_id", city}});
  }
  ASSERT_EQ(twenty, 20);
  std::string estate = idOf(make("estates", {{"name", "碧海蓝天"}, {"region_id", twenty}}));

  EXPECT_TRUE(listAll("estates", {}, scopeOf(two)).empty());
  EXPECT_EQ(get("estates", estate, scopeOf(two)).status().code(), Code::kForbidden);
  EXPECT_EQ(listAll("estates", {}, scopeOf(twenty)).size(), 1u);
}

TEST_F(RecordStoreTest, PagesWalkEveryItemExactlyOnceInIdOrder) {
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i) {
    created.push_back(
        idOf(make("persons", {{"name", "居民" + std::to_string(i)}, {"category", "registered"}})));
  }

  ListQuery query{.limit = 3};
  std::vector<std::string> walked;
  std::vector<std::size_t> page_sizes;
  while (true) {
    auto page = records_.list(spec("persons"), query, {});
    ASSERT_TRUE(page) << page.status().message();
    page_sizes.push_back(page->items.size());
    for (const auto& item : page->items) walked.push_back(idOf(item));
    if (!page->next) break;
    query.cursor = *page->next;
  }

  EXPECT_EQ(walked, created);
  EXPECT_EQ(page_sizes, (std::vector<std::size_t>{3, 3, 1}));
}

TEST_F(RecordStoreTest, APageThatReachesTheLastItemHasNoNext) {
  for (int i = 0; i < 6; ++i)
    make("persons", {{"name", "居民" + std::to_string(i)}, {"category", "registered"}});

  auto first = records_.list(spec("persons"), {.limit = 3}, {});
  ASSERT_TRUE(first && first->next);
  auto second = records_.list(spec("persons"), {.cursor = *first->next, .limit = 3}, {});

  ASSERT_TRUE(second);
  EXPECT_EQ(second->items.size(), 3u);
  EXPECT_FALSE(second->next);
}

TEST_F(RecordStoreTest, PagingKeepsTheFilterOnEveryPage) {
  std::set<std::string> tenants;
  for (int i = 0; i < 9; ++i) {
    auto p = make("persons", {{"name", "居民" + std::to_string(i)},
                              {"category", i % 3 == 0 ? "tenant" : "registered"}});
    if (i % 3 == 0) tenants.insert(idOf(p));
  }

  auto walked = listAll("persons", {{"category", "tenant"}}, {}, 1);

  EXPECT_EQ(walked.size(), tenants.size());
  EXPECT_EQ(idsOf(walked), tenants);
}

TEST_F(RecordStoreTest, ALimitOutsideOneToAThousandOrAForeignCursorIsInvalid) {
  auto zero = records_.list(spec("persons"), {.limit = 0}, {});
  EXPECT_EQ(zero.status().field(), "limit");
  auto huge = records_.list(spec("persons"), {.limit = 1001}, {});
  EXPECT_EQ(huge.status().field(), "limit");
  auto cursor = records_.list(spec("persons"), {.cursor = "abc"}, {});
  EXPECT_EQ(cursor.status().code(), Code::kInvalid);
  EXPECT_EQ(cursor.status().field(), "cursor");
}

TEST_F(RecordStoreTest, FiltersPersonsByTag) {
  auto alone =
      make("persons", {{"name", "甲"}, {"category", "registered"}, {"tags", {"elderly_alone"}}});
  auto both =
      make("persons",
           {{"name", "乙"}, {"category", "registered"}, {"tags", {"disabled", "elderly_alone"}}});
  make("persons", {{"name", "丙"}, {"category", "registered"}, {"tags", {"disabled"}}});
  make("persons", {{"name", "丁"}, {"category", "registered"}});

  EXPECT_EQ(idsOf(listAll("persons", {{"tag", "elderly_alone"}})),
            (std::set<std::string>{idOf(alone), idOf(both)}));
  EXPECT_EQ(listAll("persons", {{"tag", "disabled"}}).size(), 2u);
  EXPECT_TRUE(listAll("persons", {{"tag", "veteran"}}).empty());
}

TEST_F(RecordStoreTest, FiltersPersonsByCategoryAndEstateTogether) {
  int64_t estate_1 = makeId("estates", {{"name", "一号小区"}});
  int64_t estate_2 = makeId("estates", {{"name", "二号小区"}});
  auto wanted = make("persons", {{"name", "甲"}, {"category", "tenant"}, {"estate_id", estate_1}});
  make("persons", {{"name", "乙"}, {"category", "registered"}, {"estate_id", estate_1}});
  make("persons", {{"name", "丙"}, {"category", "tenant"}, {"estate_id", estate_2}});

  auto found =
      listAll("persons", {{"category", "tenant"}, {"estate_id", std::to_string(estate_1)}});

  EXPECT_EQ(idsOf(found), std::set<std::string>{idOf(wanted)});
  EXPECT_EQ(listAll("persons", {{"estate_id", std::to_string(estate_2)}}).size(), 1u);
}

TEST_F(RecordStoreTest, FiltersPersonsByTheBuildingTheyLiveInNow) {
  int64_t estate = makeId("estates", {{"name", "金梦海湾"}});
  int64_t building_1 = makeId("buildings", {{"name", "1号楼"}, {"estate_id", estate}});
  int64_t building_2 = makeId("buildings", {{"name", "2号楼"}, {"estate_id", estate}});
  int64_t room_1 = makeId("rooms", {{"number", "101"}, {"building_id", building_1}});
  int64_t room_2 = makeId("rooms", {{"number", "201"}, {"building_id", building_2}});
  auto resident = make("persons", {{"name", "现住户"}, {"category", "registered"}});
  auto moved_away = make("persons", {{"name", "已搬走"}, {"category", "tenant"}});
  auto elsewhere = make("persons", {{"name", "二号楼住户"}, {"category", "registered"}});
  make("residences", {{"person_id", resident["id"]}, {"room_id", room_1}, {"relation", "owner"}});
  make("residences", {{"person_id", moved_away["id"]},
                      {"room_id", room_1},
                      {"relation", "tenant"},
                      {"moved_in", "2023-01-01"},
                      {"moved_out", "2024-01-01"}});
  make("residences", {{"person_id", elsewhere["id"]}, {"room_id", room_2}, {"relation", "owner"}});

  EXPECT_EQ(idsOf(listAll("persons", {{"building_id", std::to_string(building_1)}})),
            std::set<std::string>{idOf(resident)});
  EXPECT_EQ(idsOf(listAll("persons", {{"building_id", std::to_string(building_2)}})),
            std::set<std::string>{idOf(elsewhere)});
}

TEST_F(RecordStoreTest, NameSearchTakesSqlWildcardsAndQuotesLiterally) {
  auto percent = make("persons", {{"name", "王%明"}, {"category", "registered"}});
  auto underscore = make("persons", {{"name", "李_四"}, {"category", "registered"}});
  auto quote = make("persons", {{"name", "O'Neil"}, {"category", "visitor"}});
  auto backslash = make("persons", {{"name", "张\\三"}, {"category", "registered"}});
  auto plain_1 = make("persons", {{"name", "王大明"}, {"category", "registered"}});
  auto plain_2 = make("persons", {{"name", "李大四"}, {"category", "registered"}});

  EXPECT_EQ(idsOf(listAll("persons", {{"q", "%"}})), std::set<std::string>{idOf(percent)});
  EXPECT_EQ(idsOf(listAll("persons", {{"q", "_"}})), std::set<std::string>{idOf(underscore)});
  EXPECT_EQ(idsOf(listAll("persons", {{"q", "'"}})), std::set<std::string>{idOf(quote)});
  EXPECT_EQ(idsOf(listAll("persons", {{"q", "\\"}})), std::set<std::string>{idOf(backslash)});
  EXPECT_EQ(idsOf(listAll("persons", {{"q", "大"}})),
            (std::set<std::string>{idOf(plain_1), idOf(plain_2)}));
  EXPECT_EQ(idsOf(listAll("persons", {{"q", "王%"}})), std::set<std::string>{idOf(percent)});
}

TEST_F(RecordStoreTest, AnUnknownOrMalformedFilterIsInvalidNamingIt) {
  auto unknown = records_.list(spec("persons"), {.filters = {{"shoe_size", "42"}}}, {});
  EXPECT_EQ(unknown.status().code(), Code::kInvalid);
  EXPECT_EQ(unknown.status().field(), "shoe_size");

  auto malformed = records_.list(spec("persons"), {.filters = {{"estate_id", "one"}}}, {});
  EXPECT_EQ(malformed.status().code(), Code::kInvalid);
  EXPECT_EQ(malformed.status().field(), "estate_id");
}

}  // namespace
}  // namespace anju::store
