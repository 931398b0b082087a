// Retention periods changed from the console through the real server: only an admin of the whole
// installation may, bad values are refused naming the field, every change is audited with its old
// and new value, and the dry run (the same plan the daily run removes by) follows the stored value,
// across a restart and in `anju retention --dry-run`, until it is handed back to the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "anju_server.h"
#include "common/clock.h"
#include "common/crypto.h"

namespace anju::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int64_t kDay = 86'400'000;

class RetentionSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::initialize());
    dir_ = fs::temp_directory_path() / ("anju-retention-" + crypto::randomHex(4));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "anju.toml") << "[retention]\nevents = 30\naudit = 365\n";
    server_ = std::make_unique<AnjuServer>(dir_.string());
    admin_ = server_->adminToken();
  }
  void TearDown() override {
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Heartbeats of a door 40, 20 and 1 days ago.
  void sendOldEvents() {
    auto estate = server_->call("POST", "/api/v1/estates", admin_, json{{"name", "金色家园"}});
    auto door = server_->call("POST", "/api/v1/devices", admin_,
                              json{{"id", "gate-r"},
                                   {"name", "东门"},
                                   {"kind", "door"},
                                   {"estate_id", estate.body["id"]}});
    ASSERT_EQ(door.status, 201) << door.raw;
    const int64_t now = SystemClock().nowMillis();
    std::string body;
    for (int days : {40, 20, 1}) {
      body += json{{"event_id", "hb-" + std::to_string(days)},
                   {"ts", formatTimestamp(now - days * kDay, 480)},
                   {"kind", "heartbeat"}}
                  .dump() +
              "\n";
    }
    const std::string secret = door.body["secret"];
    auto sent = server_->request(
        "POST", "/api/v1/events",
        {{"X-Anju-Device", "gate-r"}, {"X-Anju-Signature", crypto::hmacSha256Hex(secret, body)}},
        body, "application/x-ndjson");
    ASSERT_EQ(sent.status, 200) << sent.raw;
    ASSERT_EQ(sent.body["accepted"], 3);
  }

  ApiResponse put(const json& body, const std::string& token = {}) {
    return server_->call("PUT", "/api/v1/admin/retention", token.empty() ? admin_ : token, body);
  }

  fs::path dir_;
  std::unique_ptr<AnjuServer> server_;
  std::string admin_;
};

TEST_F(RetentionSettingsTest, AStoredPeriodHoldsInsteadOfTheConfigurationsUntilHandedBack) {
  sendOldEvents();
  auto before = server_->call("GET", "/api/v1/admin/retention", admin_);
  ASSERT_EQ(before.status, 200) << before.raw;
  EXPECT_EQ(before.body["settings"]["events"], 30);
  EXPECT_EQ(before.body["sources"]["events"], "config");
  EXPECT_EQ(before.body["events"]["count"], 1);

  // A preview of 10 days, before saving, stores nothing.
  auto preview = server_->call("GET", "/api/v1/admin/retention?events=10", admin_);
  ASSERT_EQ(preview.status, 200) << preview.raw;
  EXPECT_EQ(preview.body["events"]["count"], 2);
  EXPECT_EQ(preview.body["sources"]["events"], "proposed");
  auto bad_preview = server_->call("GET", "/api/v1/admin/retention?audit=30", admin_);
  EXPECT_EQ(bad_preview.status, 400) << bad_preview.raw;
  EXPECT_EQ(bad_preview.body["error"]["field"], "audit");
  EXPECT_EQ(server_->call("GET", "/api/v1/admin/retention", admin_).body["sources"]["events"],
            "config");

  auto changed = put({{"events", 10}});

  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body["settings"]["events"], 10);
  EXPECT_EQ(changed.body["sources"]["events"], "settings");
  EXPECT_EQ(changed.body["config"]["events"], 30);
  EXPECT_EQ(changed.body["changed"]["events"]["by"], "admin");
  EXPECT_EQ(changed.body["events"]["count"], 2) << "the events of 40 and 20 days ago would go";
  EXPECT_EQ(changed.body["settings"]["audit"], 365);
  EXPECT_EQ(changed.body["sources"]["audit"], "config");

  auto audit = server_->call("GET", "/api/v1/audit?object=retention&action=update", admin_);
  ASSERT_EQ(audit.status, 200) << audit.raw;
  ASSERT_EQ(audit.body["items"].size(), 1u) << audit.raw;
  EXPECT_EQ(audit.body["items"][0]["user"], "admin");
  EXPECT_EQ(audit.body["items"][0]["detail"], "events 30 (config) -> 10 (settings)");

  // Kept across a restart, and the command line's dry run reads it too.
  server_->stop();
  auto [code, output] = AnjuServer::runCli({"retention", "--dry-run", "--data", dir_.string()});
  ASSERT_EQ(code, 0) << output;
  auto printed = json::parse(output.substr(output.find('{')));
  EXPECT_EQ(printed["settings"]["events"], 10);
  EXPECT_EQ(printed["events"]["count"], 2);
  server_->start();
  admin_ = server_->adminToken();
  auto after_restart = server_->call("GET", "/api/v1/admin/retention", admin_);
  EXPECT_EQ(after_restart.body["settings"]["events"], 10) << after_restart.raw;

  auto handed_back = put({{"events", nullptr}});
  ASSERT_EQ(handed_back.status, 200) << handed_back.raw;
  EXPECT_EQ(handed_back.body["settings"]["events"], 30);
  EXPECT_EQ(handed_back.body["sources"]["events"], "config");
  EXPECT_EQ(handed_back.body["events"]["count"], 1);
}

TEST_F(RetentionSettingsTest, BadPeriodsAreRefusedNamingTheFieldAndChangeNothing) {
  const std::vector<std::pair<json, std::string>> bad = {
      {{{"events", 1.5}}, "events"},    {{{"events", "90"}}, "events"},
      {{{"captures", -1}}, "captures"}, {{{"snapshots", 3651}}, "snapshots"},
      {{{"audit", 90}}, "audit"},       {{{"events", 10}, {"colour", 3}}, "colour"},
      {json::object(), "events"},
  };
  for (const auto& [body, field] : bad) {
    auto refused = put(body);
    EXPECT_EQ(refused.status, 400) << body.dump() << ": " << refused.raw;
    EXPECT_EQ(refused.body["error"]["field"], field) << body.dump() << ": " << refused.raw;
  }
  auto kept = server_->call("GET", "/api/v1/admin/retention", admin_);
  EXPECT_EQ(kept.body["settings"]["events"], 30) << kept.raw;
  EXPECT_EQ(kept.body["sources"]["events"], "config");
  EXPECT_EQ(put({{"audit", 0}}).status, 200) << "0 keeps audit records forever";
  EXPECT_EQ(put({{"audit", 180}}).status, 200);
}

TEST_F(RetentionSettingsTest, OnlyAnAdminOfTheWholeInstallationChangesPeriods) {
  auto city = server_->call("POST", "/api/v1/regions", admin_,
                            json{{"name", "秦皇岛市"}, {"level", "city"}});
  ASSERT_EQ(city.status, 201) << city.raw;
  for (auto [name, roles] :
       {std::pair{"city_admin", json{"admin"}}, std::pair{"cop", json{"police"}},
        std::pair{"guard", json{"security"}}}) {
    auto user = server_->call("POST", "/api/v1/users", admin_,
                              json{{"username", name},
                                   {"password", "a-long-password"},
                                   {"roles", roles},
                                   {"region_id", city.body["id"]}});
    ASSERT_EQ(user.status, 201) << user.raw;
    auto refused = put({{"events", 10}}, server_->login(name, "a-long-password"));
    EXPECT_EQ(refused.status, 403) << name << ": " << refused.raw;
  }
  EXPECT_EQ(server_->call("PUT", "/api/v1/admin/retention", "", json{{"events", 10}}).status, 401);
  auto kept = server_->call("GET", "/api/v1/admin/retention", admin_);
  EXPECT_EQ(kept.body["settings"]["events"], 30) << kept.raw;
}

}  // namespace
}  // namespace anju::testing
