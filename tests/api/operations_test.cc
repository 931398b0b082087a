// What operators look at on the running server: retention's dry run.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "anju_server.h"
#include "common/clock.h"
#include "common/crypto.h"

namespace anju::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string tempDir() {
  auto dir = fs::temp_directory_path() / ("anju-ops-" + crypto::randomHex(4));
  fs::create_directories(dir);
  return dir.string();
}

struct Device {
  std::string id, secret;
};

Device addDevice(AnjuServer& server, const std::string& token) {
  auto estate = server.call("POST", "/api/v1/estates", token, json{{"name", "金色家园"}});
  EXPECT_EQ(estate.status, 201) << estate.raw;
  auto device = server.call(
      "POST", "/api/v1/devices", token,
      json{{"id", "gate-a"}, {"name", "东门"}, {"kind", "door"}, {"estate_id", estate.body["id"]}});
  EXPECT_EQ(device.status, 201) << device.raw;
  return {"gate-a", device.body["secret"]};
}

ApiResponse sendEvents(AnjuServer& server, const Device& d, const std::vector<json>& events) {
  std::string body;
  for (const auto& e : events) body += e.dump() + "\n";
  return server.request(
      "POST", "/api/v1/events",
      {{"X-Anju-Device", d.id}, {"X-Anju-Signature", crypto::hmacSha256Hex(d.secret, body)}}, body,
      "application/x-ndjson");
}

TEST(Retention, TheDryRunShowsWhatWouldGoAndOnlyToWholeInstallationAdmins) {
  crypto::initialize();
  const std::string dir = tempDir();
  std::ofstream(fs::path(dir) / "anju.toml") << "[retention]\nevents = 30\naudit = 365\n";
  {
    AnjuServer server(dir);
    const std::string token = server.adminToken();
    Device gate = addDevice(server, token);
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const int64_t day = 86'400'000;
    auto sent = sendEvents(
        server, gate,
        {{{"event_id", "old-1"},
          {"ts", formatTimestamp(now - 40 * day, 480)},
          {"kind", "heartbeat"}},
         {{"event_id", "old-2"},
          {"ts", formatTimestamp(now - 39 * day, 480)},
          {"kind", "heartbeat"}},
         {{"event_id", "new-1"}, {"ts", formatTimestamp(now - day, 480)}, {"kind", "heartbeat"}}});
    ASSERT_EQ(sent.status, 200) << sent.raw;
    ASSERT_EQ(sent.body["accepted"], 3);

    auto plan = server.call("GET", "/api/v1/admin/retention", token);
    ASSERT_EQ(plan.status, 200) << plan.raw;
    EXPECT_EQ(plan.body["settings"]["events"], 30);
    EXPECT_EQ(plan.body["settings"]["captures"], 0);
    EXPECT_EQ(plan.body["events"]["count"], 2);
    EXPECT_EQ(plan.body["events"]["first"], formatTimestamp(now - 40 * day, 480));
    EXPECT_EQ(plan.body["audit"]["count"], 0);
    EXPECT_EQ(plan.body["captures"]["days"], 0);
    // A dry run: asked again, the same is still there.
    EXPECT_EQ(server.call("GET", "/api/v1/admin/retention", token).body["events"]["count"], 2);

    auto city = server.call("POST", "/api/v1/regions", token,
                            json{{"name", "秦皇岛市"}, {"level", "city"}});
    for (auto [name, roles] :
         {std::pair{"cop", json{"police"}}, std::pair{"local", json{"admin"}}}) {
      auto user = server.call("POST", "/api/v1/users", token,
                              json{{"username", name},
                                   {"password", "a-long-password"},
                                   {"roles", roles},
                                   {"region_id", city.body["id"]}});
      ASSERT_EQ(user.status, 201) << user.raw;
      auto refused =
          server.call("GET", "/api/v1/admin/retention", server.login(name, "a-long-password"));
      EXPECT_EQ(refused.status, 403) << name << ": " << refused.raw;
    }
    EXPECT_EQ(server.call("GET", "/api/v1/admin/retention").status, 401);
    server.stop();
  }
  auto [code, output] = AnjuServer::runCli({"retention", "--dry-run", "--data", dir});
  EXPECT_EQ(code, 0) << output;
  auto printed = json::parse(output.substr(output.find('{')));
  EXPECT_EQ(printed["events"]["count"], 2);
  auto [refused, refused_out] = AnjuServer::runCli({"retention", "--data", dir});
  EXPECT_EQ(refused, 2) << refused_out;
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace anju::testing
