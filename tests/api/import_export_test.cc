// CSV in and out, as offices exchange lists: all-or-nothing unless partial, every bad row named.
#include <gtest/gtest.h>

#include <fstream>

#include "anju_server.h"

namespace anju::testing {
namespace {

using nlohmann::json;

class ImportExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<AnjuServer>();
    token_ = server_->adminToken();
    auto estate = server_->call("POST", "/api/v1/estates", token_, json{{"name", "海景花园"}});
    ASSERT_EQ(estate.status, 201);
  }
  int personCount() {
    auto r = server_->call("GET", "/api/v1/persons?limit=1000", token_);
    return static_cast<int>(r.body["items"].size());
  }
  std::unique_ptr<AnjuServer> server_;
  std::string token_;
};

// Chinese headings, estate by name, a category by its Chinese label, tags split on 、.
const char* kGoodRows =
    "\xEF\xBB\xBF姓名,身份证号,手机号,人员类别,小区,标签\r\n"
    "张伟,110105194912310038,13800138001,户籍,海景花园,独居老人\r\n"
    "王芳,,13800138002,租户,海景花园,\r\n"
    "\"李,娜\",,,流动,,残疾人、低保户\r\n";

TEST_F(ImportExportTest, ImportsAGoodFileWithChineseHeadings) {
  auto r =
      server_->call("POST", "/api/v1/import/persons", token_, std::string(kGoodRows), "text/csv");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["imported"], 3);
  EXPECT_EQ(personCount(), 3);
  auto tagged = server_->call("GET", "/api/v1/persons?tag=low_income", token_);
  ASSERT_EQ(tagged.body["items"].size(), 1u);
  EXPECT_EQ(tagged.body["items"][0]["name"], "李,娜");
  auto tenant = server_->call("GET", "/api/v1/persons?category=tenant", token_);
  ASSERT_EQ(tenant.body["items"].size(), 1u);
  EXPECT_FALSE(tenant.body["items"][0]["estate_id"].is_null());
}

std::string withBadRows() {
  return "name,id_number,phone,category\n"
         "好人一,,13800138003,registered\n"
         "坏号码,110105194912310021,,registered\n"
         "好人二,,,tenant\n"
         "坏类别,,,alien\n";
}

TEST_F(ImportExportTest, AFileWithBadRowsImportsNothingAndNamesEveryBadLine) {
  auto r = server_->call("POST", "/api/v1/import/persons", token_, withBadRows(), "text/csv");
  EXPECT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.body["imported"], 0);
  EXPECT_EQ(r.body["committed"], false);
  ASSERT_EQ(r.body["errors"].size(), 2u);
  EXPECT_EQ(r.body["errors"][0]["line"], 3);
  EXPECT_EQ(r.body["errors"][0]["field"], "id_number");
  EXPECT_EQ(r.body["errors"][1]["line"], 5);
  EXPECT_EQ(r.body["errors"][1]["field"], "category");
  EXPECT_EQ(personCount(), 0);
}

TEST_F(ImportExportTest, AnImportNamedForProgressIsReportedToItsUserOnly) {
  auto r = server_->call("POST", "/api/v1/import/persons?progress=upload-1", token_,
                         std::string(kGoodRows), "text/csv");
  ASSERT_EQ(r.status, 200) << r.raw;
  auto done = server_->call("GET", "/api/v1/imports/upload-1", token_);
  ASSERT_EQ(done.status, 200) << done.raw;
  EXPECT_EQ(done.body["state"], "ended");
  EXPECT_EQ(done.body["committed"], true);
  EXPECT_EQ(done.body["fraction"], 1.0);

  // A refused file ends uncommitted.
  auto bad = server_->call("POST", "/api/v1/import/persons?progress=upload-2", token_,
                           withBadRows(), "text/csv");
  ASSERT_EQ(bad.status, 400);
  auto refused = server_->call("GET", "/api/v1/imports/upload-2", token_);
  EXPECT_EQ(refused.body["state"], "ended");
  EXPECT_EQ(refused.body["committed"], false);

  auto user = server_->call(
      "POST", "/api/v1/users", token_,
      json{{"username", "grid_li"}, {"password", "grid-li-password"}, {"roles", {"grid_worker"}}});
  ASSERT_EQ(user.status, 201) << user.raw;
  const std::string other = server_->login("grid_li", "grid-li-password");
  EXPECT_EQ(server_->call("GET", "/api/v1/imports/upload-1", other).status, 404);
  EXPECT_EQ(server_->call("GET", "/api/v1/imports/never-started", token_).status, 404);
  auto badid = server_->call("POST", "/api/v1/import/persons?progress=a%20b", token_,
                             std::string(kGoodRows), "text/csv");
  EXPECT_EQ(badid.status, 400);
  EXPECT_EQ(badid.body["error"]["field"], "progress");
}

TEST_F(ImportExportTest, PartialImportKeepsTheGoodRows) {
  auto r = server_->call("POST", "/api/v1/import/persons?partial=true", token_, withBadRows(),
                         "text/csv");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["imported"], 2);
  EXPECT_EQ(r.body["failed"], 2);
  EXPECT_EQ(personCount(), 2);
}

TEST_F(ImportExportTest, DuplicatesInsideOneFileAreBadRows) {
  std::string csv = "plate\n冀C12345\n冀C·12345\n";
  auto r = server_->call("POST", "/api/v1/import/vehicles", token_, csv, "text/csv");
  EXPECT_EQ(r.status, 400) << r.raw;
  ASSERT_EQ(r.body["errors"].size(), 1u);
  EXPECT_EQ(r.body["errors"][0]["line"], 3);
  EXPECT_EQ(r.body["errors"][0]["field"], "plate");
  EXPECT_EQ(server_->call("GET", "/api/v1/vehicles", token_).body["items"].size(), 0u);
}

TEST_F(ImportExportTest, ExportNeedsAPurposeAndIsAudited) {
  server_->call("POST", "/api/v1/import/persons", token_, std::string(kGoodRows), "text/csv");
  auto refused = server_->call("GET", "/api/v1/persons/export", token_);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body["error"]["field"], "purpose");
  auto csv = server_->call(
      "GET",
      "/api/v1/persons/export?category=registered&purpose=%E5%85%A5%E6%88%B7%E8%B5%B0%E8%AE%BF",
      token_);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.header("content-type").find("text/csv"), std::string::npos);
  EXPECT_NE(csv.raw.find("张伟"), std::string::npos);
  EXPECT_EQ(csv.raw.find("王芳"), std::string::npos);
  EXPECT_NE(csv.raw.find("户籍"), std::string::npos);
  auto audit = server_->call("GET", "/api/v1/audit?object=persons", token_);
  bool found = false;
  for (const auto& e : audit.body["items"])
    found = found || (e["action"] == "export" && e["purpose"] == "入户走访");
  EXPECT_TRUE(found) << audit.raw;
}

TEST_F(ImportExportTest, AnExportImportsBackIntoAnEmptyDistrict) {
  server_->call("POST", "/api/v1/import/persons", token_, std::string(kGoodRows), "text/csv");
  auto csv = server_->call("GET", "/api/v1/persons/export?purpose=migration", token_);
  ASSERT_EQ(csv.status, 200);
  AnjuServer other;
  std::string other_token = other.adminToken();
  ASSERT_EQ(other.call("POST", "/api/v1/estates", other_token, json{{"name", "海景花园"}}).status,
            201);
  auto r = other.call("POST", "/api/v1/import/persons", other_token, csv.raw, "text/csv");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["imported"], 3);
  auto back = other.call("GET", "/api/v1/persons?tag=elderly_alone", other_token);
  ASSERT_EQ(back.body["items"].size(), 1u);
  EXPECT_EQ(back.body["items"][0]["id_number"], "110105194912310038");
}

TEST_F(ImportExportTest, RoomsNameTheirBuildingAndUnitByEstateAsOfficeSheetsDo) {
  // Both estates have a 1号楼; the 小区 column says which one is meant.
  auto other = server_->call("POST", "/api/v1/estates", token_, json{{"name", "金色家园"}});
  ASSERT_EQ(other.status, 201);
  for (const auto& estate : {json(1), other.body["id"]}) {
    auto building = server_->call("POST", "/api/v1/buildings", token_,
                                  json{{"estate_id", estate}, {"name", "1号楼"}});
    ASSERT_EQ(building.status, 201) << building.raw;
    ASSERT_EQ(server_
                  ->call("POST", "/api/v1/units", token_,
                         json{{"building_id", building.body["id"]}, {"name", "2单元"}})
                  .status,
              201);
  }
  std::string csv =
      "小区,楼栋,单元,房号,楼层,用途\n"
      "金色家园,1号楼,2单元,0201,2,住宅\n"
      "海景花园,1号楼,2单元,0202,2,商铺\n";
  auto r = server_->call("POST", "/api/v1/import/rooms", token_, csv, "text/csv");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["imported"], 2);
  auto in_other =
      server_->call("GET", "/api/v1/rooms?estate_id=" + other.body["id"].dump(), token_);
  ASSERT_EQ(in_other.body["items"].size(), 1u);
  EXPECT_EQ(in_other.body["items"][0]["number"], "0201");
  EXPECT_EQ(in_other.body["items"][0]["use"], "residential");

  auto ambiguous = server_->call("POST", "/api/v1/import/rooms", token_,
                                 std::string("楼栋,房号\n1号楼,0301\n"), "text/csv");
  EXPECT_EQ(ambiguous.status, 400);
  EXPECT_EQ(ambiguous.body["errors"][0]["field"], "building_id");
}

TEST_F(ImportExportTest, TheCommandLineImportReportsLinesAndRefusesWithoutPartial) {
  server_->stop();
  std::string file = server_->dataDir() + "/people.csv";
  std::ofstream(file) << withBadRows();
  auto [code, output] =
      AnjuServer::runCli({"import", "persons", file, "--data", server_->dataDir()});
  EXPECT_EQ(code, 2) << output;
  EXPECT_NE(output.find("line 3"), std::string::npos) << output;
  EXPECT_NE(output.find("nothing was imported"), std::string::npos) << output;
  auto [code2, output2] =
      AnjuServer::runCli({"import", "persons", file, "--data", server_->dataDir(), "--partial"});
  EXPECT_EQ(code2, 0) << output2;
  EXPECT_NE(output2.find("imported 2 of 4 rows"), std::string::npos) << output2;
}

}  // namespace
}  // namespace anju::testing
