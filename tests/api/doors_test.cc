// A resident's doors through the real server: the portal lists exactly the doors their access
// groups include, and remote opening refuses every other id — another estate's door or one that
// does not exist — with the same answer, and slows down a caller trying one door after another.
#include <gtest/gtest.h>

#include "anju_server.h"
#include "common/clock.h"
#include "common/crypto.h"

namespace anju::testing {
namespace {

using nlohmann::json;

class DoorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_TRUE(crypto::initialize());
    server_ = new AnjuServer();
    admin_ = server_->adminToken();
    auto region = [](const char* name) {
      return post("/api/v1/regions", {{"name", name}, {"level", "community"}})["id"];
    };
    here_ = region("和平社区");
    json there = region("幸福社区");
    json estate = post("/api/v1/estates", {{"name", "锦绣花园"}, {"region_id", here_}})["id"];
    json far_estate = post("/api/v1/estates", {{"name", "阳光小区"}, {"region_id", there}})["id"];
    json building = post("/api/v1/buildings", {{"estate_id", estate}, {"name", "3号楼"}})["id"];
    host_ = post("/api/v1/persons",
                 {{"name", "张伟"}, {"category", "registered"}, {"estate_id", estate}})["id"];
    json stranger = post("/api/v1/persons", {{"name", "王芳"}, {"category", "registered"}})["id"];
    gate_secret_ = device({{"id", "jx-gate"}, {"name", "南门"}, {"estate_id", estate}});
    device({{"id", "jx-b3-unit1"},
            {"name", "3号楼1单元"},
            {"estate_id", estate},
            {"building_id", building}});
    device({{"id", "jx-garage"}, {"name", "地库门"}, {"estate_id", estate}});
    device({{"id", "yg-gate"}, {"name", "阳光北门"}, {"estate_id", far_estate}});
    post("/api/v1/access_groups", {{"name", "3号楼住户"},
                                   {"estate_id", estate},
                                   {"device_ids", {"jx-gate", "jx-b3-unit1"}},
                                   {"person_ids", {host_}}});
    post("/api/v1/access_groups", {{"name", "阳光住户"},
                                   {"estate_id", far_estate},
                                   {"device_ids", {"yg-gate"}},
                                   {"person_ids", {stranger}}});
    resident_ = user("zhangwei", {"resident"}, here_, host_);
    second_phone_ = user("zhangwei2", {"resident"}, here_, host_);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static json post(const std::string& path, const json& body) {
    auto r = server_->call("POST", path, admin_, body);
    EXPECT_EQ(r.status, 201) << path << ": " << r.raw;
    return r.body;
  }
  static std::string device(json body) {
    body["kind"] = "door";
    return post("/api/v1/devices", body)["secret"];
  }
  static std::string user(const std::string& name, const json& roles, const json& region,
                          const json& person) {
    json body = {{"username", name}, {"password", "a-long-password"}, {"roles", roles}};
    if (!region.is_null()) body["region_id"] = region;
    if (!person.is_null()) body["person_id"] = person;
    post("/api/v1/users", body);
    return server_->login(name, "a-long-password");
  }
  static ApiResponse open(const std::string& token, const std::string& door) {
    return server_->call("POST", "/api/v1/access/remote-open", token, json{{"device_id", door}});
  }

  static inline AnjuServer* server_ = nullptr;
  static inline std::string admin_, resident_, second_phone_, gate_secret_;
  static inline json here_, host_;
};

TEST_F(DoorsTest, AResidentSeesExactlyTheDoorsOfTheirAccessGroups) {
  // The gate has spoken, so it is online; the unit's door has not been heard from.
  const std::string beat = json{
      {"event_id", "hb-1"},
      {"ts", formatTimestamp(SystemClock().nowMillis(), 480)},
      {"kind", "heartbeat"}}.dump();
  auto sent = server_->request("POST", "/api/v1/events",
                               {{"X-Anju-Device", "jx-gate"},
                                {"X-Anju-Signature", crypto::hmacSha256Hex(gate_secret_, beat)}},
                               beat);
  ASSERT_EQ(sent.status, 200) << sent.raw;

  auto doors = server_->call("GET", "/api/v1/me/doors", resident_);

  ASSERT_EQ(doors.status, 200) << doors.raw;
  ASSERT_EQ(doors.body["items"].size(), 2u) << doors.raw;
  // The estate's gate first, as the resident walks in, then the doors of buildings.
  const json& gate = doors.body["items"][0];
  const json& unit = doors.body["items"][1];
  EXPECT_EQ(unit["id"], "jx-b3-unit1");
  EXPECT_EQ(unit["name"], "3号楼1单元");
  EXPECT_EQ(unit["estate_name"], "锦绣花园");
  EXPECT_EQ(unit["building_name"], "3号楼");
  EXPECT_FALSE(unit["online"]);
  EXPECT_EQ(gate["id"], "jx-gate");
  EXPECT_TRUE(gate["building_id"].is_null());
  EXPECT_TRUE(gate["online"]);
  EXPECT_TRUE(doors.body["next"].is_null());
}

TEST_F(DoorsTest, OnlyResidentsLinkedToAPersonHaveDoors) {
  const std::string unlinked = user("visitor_only", {"resident"}, here_, nullptr);
  const std::string guard = user("guard_doors", {"security"}, here_, nullptr);

  auto none = server_->call("GET", "/api/v1/me/doors", unlinked);
  auto staff = server_->call("GET", "/api/v1/me/doors", guard);

  EXPECT_EQ(none.status, 403) << none.raw;
  EXPECT_EQ(none.body["error"]["reason"], "not_linked");
  EXPECT_EQ(staff.status, 403) << staff.raw;
  EXPECT_EQ(server_->call("GET", "/api/v1/me/doors").status, 401);
}

TEST_F(DoorsTest, ADoorOfAnotherEstateIsRefusedLikeADoorThatDoesNotExist) {
  auto mine = open(resident_, "jx-b3-unit1");
  auto other_estate = open(resident_, "yg-gate");
  auto not_in_group = open(resident_, "jx-garage");
  auto missing = open(resident_, "no-such-door");

  ASSERT_EQ(mine.status, 200) << mine.raw;
  EXPECT_TRUE(mine.body["granted"]);
  EXPECT_EQ(other_estate.status, 403) << other_estate.raw;
  EXPECT_EQ(other_estate.body["error"]["reason"], "no_access_group");
  EXPECT_EQ(other_estate.body["error"]["code"], "forbidden");
  EXPECT_EQ(missing.status, other_estate.status);
  EXPECT_EQ(missing.raw, other_estate.raw);
  EXPECT_EQ(not_in_group.raw, other_estate.raw);
}

TEST_F(DoorsTest, OpeningDoorAfterDoorIsSlowedDown) {
  // Each login has its own allowance: this one's is untouched by the other tests.
  int opened = 0;
  ApiResponse last;
  for (int i = 0; i < 11; ++i) {
    last = open(second_phone_, i % 2 ? "jx-gate" : "yg-gate");
    if (last.status != 429) ++opened;
  }

  EXPECT_EQ(opened, 10);
  ASSERT_EQ(last.status, 429) << last.raw;
  EXPECT_EQ(last.body["error"]["reason"], "rate_limited");
  const int retry_after = std::stoi(last.header("retry-after"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 6);
  // Another login of the same household is not held back by it.
  EXPECT_EQ(open(resident_, "jx-gate").status, 200);
}

}  // namespace
}  // namespace anju::testing
