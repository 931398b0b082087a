#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/entity.h"
#include "domain/id_number.h"

namespace anju::domain {
namespace {

using nlohmann::json;

constexpr int kOffset = 480;

const EntitySpec& spec(const std::string& name) {
  return *findEntity(name);
}

Result<json> onCreate(const std::string& entity, const json& body) {
  return validateFields(spec(entity), body, true, kOffset);
}

Result<json> onUpdate(const std::string& entity, const json& body) {
  return validateFields(spec(entity), body, false, kOffset);
}

// The field a rejected body was rejected for, or "accepted".
std::string rejectedField(const Result<json>& result) {
  if (result) return "accepted";
  EXPECT_EQ(result.status().code(), Code::kInvalid) << result.status().message();
  return result.status().field();
}

json with(json base, const json& extra) {
  base.update(extra);
  return base;
}

json person(const json& extra = json::object()) {
  return with({{"name", "张伟"}, {"category", "registered"}}, extra);
}

// A parsed cell, or a marker that fails the comparison after reporting why it was rejected.
json cell(const FieldSpec& field, const std::string& text) {
  auto parsed = cellToJson(field, text);
  EXPECT_TRUE(parsed) << field.name << " \"" << text << "\": " << parsed.status().message();
  return parsed ? *parsed : json("<rejected>");
}

json embedding(std::size_t n) {
  return json(std::vector<double>(n, 0.125));
}

TEST(EntityValidation, EveryRegistryEntityCanBeFoundByName) {
  for (const char* name : {"regions", "estates", "buildings", "units", "rooms", "persons",
                           "residences", "rentals", "premises", "inspections", "vehicles",
                           "devices", "credentials", "access_groups", "grids"}) {
    EXPECT_NE(findEntity(name), nullptr) << name;
  }
  EXPECT_EQ(findEntity("people"), nullptr);
}

TEST(EntityValidation, AcceptsAMinimalPerson) {
  auto fields = onCreate("persons", person());

  ASSERT_TRUE(fields) << fields.status().message();
  EXPECT_EQ(*fields, person());
}

TEST(EntityValidation, RejectsAnUnknownFieldNamingIt) {
  EXPECT_EQ(rejectedField(onCreate("persons", person({{"nickname", "小张"}}))), "nickname");
  EXPECT_EQ(rejectedField(onUpdate("persons", {{"shoe_size", 42}})), "shoe_size");
}

TEST(EntityValidation, RejectsABodyThatIsNotAnObject) {
  EXPECT_EQ(rejectedField(onCreate("persons", json::array())), "body");
  EXPECT_EQ(rejectedField(onCreate("persons", "张伟")), "body");
}

TEST(EntityValidation, RejectsAStringWhereAnIntegerBelongs) {
  json building = {{"name", "1号楼"}, {"estate_id", 1}};

  EXPECT_EQ(rejectedField(onCreate("buildings", with(building, {{"floors", "18"}}))), "floors");
  EXPECT_EQ(rejectedField(onCreate("buildings", {{"name", "1号楼"}, {"estate_id", "1"}})),
            "estate_id");
  EXPECT_EQ(
      rejectedField(onCreate("buildings", {{"name", "1号楼"}, {"estate_id", 1}, {"floors", 18.5}})),
      "floors");
  EXPECT_EQ(
      rejectedField(onCreate("buildings", {{"name", "1号楼"}, {"estate_id", 1}, {"floors", 18}})),
      "accepted");
}

TEST(EntityValidation, RejectsANumberWhereAStringBelongs) {
  EXPECT_EQ(rejectedField(onCreate("persons", {{"name", 12345}, {"category", "registered"}})),
            "name");
  EXPECT_EQ(rejectedField(onCreate("persons", person({{"phone", 13812345678}}))), "phone");
}

TEST(EntityValidation, RejectsNumbersOutsideTheirRange) {
  EXPECT_EQ(
      rejectedField(onCreate("buildings", {{"name", "1号楼"}, {"estate_id", 1}, {"floors", 0}})),
      "floors");
  EXPECT_EQ(rejectedField(onCreate("buildings", {{"name", "1号楼"}, {"estate_id", 0}})),
            "estate_id");
  EXPECT_EQ(rejectedField(onCreate("estates", {{"name", "金梦海湾"}, {"plan_width", -1.0}})),
            "plan_width");
}

// The console shows the message beside the field: it names the field as the form labels it and
// says what would be accepted.
TEST(EntityValidation, ARefusalNamesTheFieldAsUsersKnowItAndWhatItTakes) {
  auto floor = onCreate("rooms", {{"building_id", 1}, {"number", "101"}, {"floor", 500}});
  ASSERT_FALSE(floor);
  EXPECT_EQ(floor.status().message(),
            "「楼层」应在 -10 到 200 之间 (floor must be between -10 and 200)");
  auto floors = onCreate("buildings", {{"name", "1号楼"}, {"estate_id", 1}, {"floors", "六"}});
  ASSERT_FALSE(floors);
  EXPECT_EQ(floors.status().message(), "「层数」应为整数 (floors must be an integer)");
  auto width = onCreate("estates", {{"name", "金梦海湾"}, {"plan_width", 0.5}});
  ASSERT_FALSE(width);
  EXPECT_EQ(width.status().message(),
            "「平面图宽(米)」应在 1 到 100000 之间 (plan_width must be between 1 and 100000)");
}

TEST(EntityValidation, RejectsAnEnumValueOutsideItsChoices) {
  EXPECT_EQ(rejectedField(onCreate("persons", {{"name", "张伟"}, {"category", "alien"}})),
            "category");
  EXPECT_EQ(rejectedField(onCreate("persons", {{"name", "张伟"}, {"category", "户籍"}})),
            "category")
      << "labels are for spreadsheets; the API speaks values";
  EXPECT_EQ(rejectedField(onCreate("persons", person({{"tags", {"elderly_alone", "vip"}}}))),
            "tags");
}

TEST(EntityValidation, RejectsDatesThatAreNotOnTheCalendar) {
  json residence = {{"person_id", 1}, {"room_id", 1}, {"relation", "owner"}};

  EXPECT_EQ(rejectedField(onCreate("residences", with(residence, {{"moved_in", "2025-02-29"}}))),
            "moved_in");
  EXPECT_EQ(rejectedField(onCreate("residences", with(residence, {{"moved_in", "2025-13-01"}}))),
            "moved_in");
  EXPECT_EQ(rejectedField(onCreate("residences", with(residence, {{"moved_in", "2025/03/01"}}))),
            "moved_in");
  EXPECT_EQ(rejectedField(onCreate("residences", with(residence, {{"moved_in", "2024-02-29"}}))),
            "accepted");
}

TEST(EntityValidation, TimestampsBecomeEpochMillisecondsAtTheStatedOffset) {
  json credential = {
      {"person_id", 1}, {"type", "card"}, {"valid_from", "2025-06-01T08:00:00+08:00"}};

  auto fields = onCreate("credentials", credential);

  ASSERT_TRUE(fields) << fields.status().message();
  EXPECT_EQ((*fields)["valid_from"], 1748736000000);
  EXPECT_EQ(rejectedField(onCreate("credentials",
                                   {{"person_id", 1}, {"type", "card"}, {"valid_to", "tomorrow"}})),
            "valid_to");
}

TEST(EntityValidation, RejectsAFaceEmbeddingOfTheWrongLength) {
  json face = {{"person_id", 1}, {"type", "face"}};

  EXPECT_EQ(rejectedField(onCreate("credentials", with(face, {{"embedding", embedding(127)}}))),
            "embedding");
  EXPECT_EQ(rejectedField(onCreate("credentials", with(face, {{"embedding", embedding(256)}}))),
            "embedding");
  EXPECT_EQ(rejectedField(onCreate("credentials", with(face, {{"embedding", json::array()}}))),
            "embedding");
  EXPECT_EQ(rejectedField(onCreate("credentials", with(face, {{"embedding", embedding(128)}}))),
            "accepted");
  EXPECT_EQ(rejectedField(onCreate("credentials", with(face, {{"embedding", embedding(512)}}))),
            "accepted");
}

TEST(EntityValidation, RejectsAFaceEmbeddingWithSomethingOtherThanNumbers) {
  json values = embedding(128);
  values[5] = "0.3";

  EXPECT_EQ(rejectedField(onCreate("credentials",
                                   {{"person_id", 1}, {"type", "face"}, {"embedding", values}})),
            "embedding");
}

TEST(EntityValidation, RejectsFieldsTheServerSetsWhenTheCallerSendsThem) {
  EXPECT_EQ(rejectedField(onCreate("persons", person({{"birth_date", "1985-03-12"}}))),
            "birth_date");
  json device = {{"name", "东门门禁"}, {"kind", "door"}, {"estate_id", 1}};
  EXPECT_EQ(rejectedField(onCreate("devices", with(device, {{"secret", "0123456789abcdef"}}))),
            "secret");
  EXPECT_EQ(rejectedField(onCreate("devices", with(device, {{"online", true}}))), "online");
  EXPECT_EQ(rejectedField(onUpdate("devices", {{"secret", "0123456789abcdef"}})), "secret");
  EXPECT_EQ(rejectedField(onUpdate("devices", {{"last_seen", "2025-06-01T08:00:00+08:00"}})),
            "last_seen");
}

TEST(EntityValidation, RejectsChangesToFieldsFixedAtCreation) {
  EXPECT_EQ(rejectedField(onUpdate("devices", {{"kind", "camera"}})), "kind");
  EXPECT_EQ(rejectedField(onUpdate("regions", {{"parent_id", 3}})), "parent_id");
  EXPECT_EQ(rejectedField(onUpdate("devices", {{"name", "东门门禁"}})), "accepted");
}

TEST(EntityValidation, RejectsACreateThatLacksARequiredFieldNamingIt) {
  EXPECT_EQ(rejectedField(onCreate("persons", {{"name", "张伟"}})), "category");
  EXPECT_EQ(rejectedField(onCreate("persons", {{"category", "registered"}})), "name");
  EXPECT_EQ(rejectedField(onCreate("persons", {{"name", "   "}, {"category", "registered"}})),
            "name");
  EXPECT_EQ(rejectedField(onCreate("persons", {{"name", nullptr}, {"category", "registered"}})),
            "name");
  EXPECT_EQ(rejectedField(onCreate("devices", {{"name", "东门门禁"}, {"kind", "door"}})),
            "estate_id");
}

TEST(EntityValidation, AnUpdateNeedsOnlyTheFieldsItChangesButCannotClearARequiredOne) {
  EXPECT_EQ(rejectedField(onUpdate("persons", {{"phone", "13812345678"}})), "accepted");
  EXPECT_EQ(rejectedField(onUpdate("persons", {{"name", nullptr}})), "name");
  EXPECT_EQ(rejectedField(onUpdate("persons", {{"name", ""}})), "name");
  EXPECT_EQ(rejectedField(onUpdate("persons", {{"category", nullptr}})), "category");

  auto cleared = onUpdate("persons", {{"phone", nullptr}});
  ASSERT_TRUE(cleared) << cleared.status().message();
  EXPECT_TRUE((*cleared)["phone"].is_null()) << "an optional field may be cleared";
}

TEST(EntityValidation, MeasuresTextLengthInCharacters) {
  std::string name;
  for (int i = 0; i < 64; ++i) name += "张";

  EXPECT_EQ(rejectedField(onCreate("persons", {{"name", name}, {"category", "registered"}})),
            "accepted");
  EXPECT_EQ(rejectedField(onCreate("persons", {{"name", name + "伟"}, {"category", "registered"}})),
            "name");
}

TEST(EntityValidation, TrimsTextAndDropsRepeatedTags) {
  auto fields = onCreate("persons", {{"name", "  张伟 "},
                                     {"category", "registered"},
                                     {"tags", {"disabled", " disabled ", "veteran"}}});

  ASSERT_TRUE(fields) << fields.status().message();
  EXPECT_EQ((*fields)["name"], "张伟");
  EXPECT_EQ((*fields)["tags"], json::array({"disabled", "veteran"}));
}

TEST(EntityValidation, NormalisesPlatesToOneSpelling) {
  auto fields = onCreate("vehicles", {{"plate", " 冀c·12345 "}});

  ASSERT_TRUE(fields) << fields.status().message();
  EXPECT_EQ((*fields)["plate"], "冀C12345");
  EXPECT_EQ(rejectedField(onCreate("vehicles", {{"plate", "ABC-123"}})), "plate");
}

TEST(EntityValidation, NormalisesPhonesToOneSpelling) {
  auto mobile = onCreate("persons", person({{"phone", "+86 138-1234-5678"}}));
  auto landline = onCreate("persons", person({{"phone", "(0335) 3012345"}}));

  ASSERT_TRUE(mobile) << mobile.status().message();
  ASSERT_TRUE(landline) << landline.status().message();
  EXPECT_EQ((*mobile)["phone"], "13812345678");
  EXPECT_EQ((*landline)["phone"], "0335-3012345");
  EXPECT_EQ(rejectedField(onCreate("persons", person({{"phone", "110"}}))), "phone");
}

TEST(EntityValidation, ABadContactPhoneNamesTheContactPhoneField) {
  auto premises =
      onCreate("premises", {{"name", "老王五金店"}, {"kind", "shop"}, {"contact_phone", "12345"}});

  EXPECT_EQ(rejectedField(premises), "contact_phone");
}

TEST(EntityValidation, NormalisesIdNumbersAndRejectsBadOnes) {
  std::string first17 = "13030219850312012";
  std::string number = first17 + idNumberCheckChar(first17);
  char wrong = number.back() == '0' ? '1' : '0';

  auto fields = onCreate("persons", person({{"id_number", " " + number + " "}}));

  ASSERT_TRUE(fields) << fields.status().message();
  EXPECT_EQ((*fields)["id_number"], number);
  EXPECT_EQ(rejectedField(onCreate("persons", person({{"id_number", first17 + wrong}}))),
            "id_number");
  EXPECT_EQ(rejectedField(onCreate("persons", person({{"id_number", "12345"}}))), "id_number");
}

TEST(EntityValidation, ADeviceMayBeNamedByItsInstallerWithASafeId) {
  json device = {{"name", "东门门禁"}, {"kind", "door"}, {"estate_id", 1}};

  auto named = onCreate("devices", with(device, {{"id", "e03-door-01"}}));
  ASSERT_TRUE(named) << named.status().message();
  EXPECT_EQ((*named)["id"], "e03-door-01");
  EXPECT_EQ(rejectedField(onCreate("devices", with(device, {{"id", "door 1"}}))), "id");
  EXPECT_EQ(rejectedField(onCreate("devices", with(device, {{"id", "../etc"}}))), "id");
  EXPECT_EQ(rejectedField(onCreate("persons", person({{"id", 7}}))), "id")
      << "numbered entities get their id from the store";
}

TEST(EntityValidation, CellsMapChineseEnumLabelsToValues) {
  const FieldSpec& category = *spec("persons").field("category");

  EXPECT_EQ(cell(category, "户籍"), "registered");
  EXPECT_EQ(cell(category, "流动"), "floating");
  EXPECT_EQ(cell(category, "tenant"), "tenant");
  EXPECT_EQ(cell(*spec("devices").field("kind"), "人脸抓拍机"), "face_camera");
}

// An unknown label passes through unchanged so that validation names the field and the value.
TEST(EntityValidation, AnUnknownEnumLabelInACellIsRejectedByValidation) {
  auto cell = cellToJson(*spec("persons").field("category"), "外星人");
  ASSERT_TRUE(cell);

  EXPECT_EQ(rejectedField(onCreate("persons", {{"name", "张伟"}, {"category", *cell}})),
            "category");
}

TEST(EntityValidation, CellsSplitListsOnSemicolonsAndEnumerationCommas) {
  const FieldSpec& tags = *spec("persons").field("tags");
  const json expected = json::array({"elderly_alone", "disabled"});

  EXPECT_EQ(cell(tags, "独居老人;残疾人"), expected);
  EXPECT_EQ(cell(tags, "独居老人、残疾人"), expected);
  EXPECT_EQ(cell(tags, "独居老人；残疾人"), expected);
  EXPECT_EQ(cell(tags, " elderly_alone ; disabled ;"), expected);
  EXPECT_EQ(cell(*spec("access_groups").field("person_ids"), "3、14;15"), json::array({3, 14, 15}));
}

TEST(EntityValidation, CellsBecomeTheTypesTheirFieldsExpect) {
  const EntitySpec& buildings = spec("buildings");

  EXPECT_EQ(cell(*buildings.field("floors"), " 18 "), 18);
  EXPECT_EQ(cell(*buildings.field("plan_x"), "12.5"), 12.5);
  EXPECT_EQ(cell(*buildings.field("estate_id"), "7"), 7);
  EXPECT_TRUE(cellToJson(*buildings.field("floors"), "")->is_null()) << "an empty cell is no value";
  EXPECT_EQ(cell(*spec("devices").field("online"), "是"), true);
  EXPECT_EQ(cell(*spec("vehicles").field("person_id"), "12"), 12);
}

// Regression: a list of devices was parsed as numbers, so an access group's doors could not be
// imported from the file its own export wrote.
TEST(EntityValidation, ACellListingDevicesKeepsTheirIdsAsText) {
  const FieldSpec& devices = *spec("access_groups").field("device_ids");

  EXPECT_EQ(cell(devices, "e03-door-01、e03-door-02"), json::array({"e03-door-01", "e03-door-02"}));
  EXPECT_EQ(rejectedField(validateFields(
                spec("access_groups"),
                {{"name", "东门"}, {"estate_id", 1}, {"device_ids", cell(devices, "e03-door-01")}},
                true, kOffset)),
            "accepted");
}

TEST(EntityValidation, AMalformedCellIsInvalidNamingItsField) {
  const EntitySpec& buildings = spec("buildings");

  EXPECT_EQ(cellToJson(*buildings.field("floors"), "18层").status().field(), "floors");
  EXPECT_EQ(cellToJson(*buildings.field("plan_x"), "east").status().field(), "plan_x");
  EXPECT_EQ(cellToJson(*spec("devices").field("online"), "maybe").status().field(), "online");
  EXPECT_EQ(cellToJson(*spec("access_groups").field("person_ids"), "3、张三").status().field(),
            "person_ids");
}

}  // namespace
}  // namespace anju::domain
