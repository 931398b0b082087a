// A backup taken while the server ingests and serves, restored into a new folder that a new server
// serves: records, events, snapshots and the audit chain all come back.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "anju_server.h"
#include "common/crypto.h"

namespace anju::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string tempPath(const std::string& name) {
  return (fs::temp_directory_path() / ("anju-" + name + "-" + crypto::randomHex(4))).string();
}

std::string signedHeader(const std::string& secret, const std::string& body) {
  return crypto::hmacSha256Hex(secret, body);
}

TEST(BackupRestore, WhatWasServedComesBackInANewFolder) {
  crypto::initialize();
  AnjuServer server;
  const std::string token = server.adminToken();
  auto estate = server.call("POST", "/api/v1/estates", token, json{{"name", "金色家园"}});
  ASSERT_EQ(estate.status, 201) << estate.raw;
  auto person = server.call("POST", "/api/v1/persons", token,
                            json{{"name", "王建国"}, {"category", "registered"}});
  ASSERT_EQ(person.status, 201) << person.raw;
  auto device = server.call(
      "POST", "/api/v1/devices", token,
      json{{"id", "gate-a"}, {"name", "东门"}, {"kind", "door"}, {"estate_id", estate.body["id"]}});
  ASSERT_EQ(device.status, 201) << device.raw;
  const std::string secret = device.body["secret"];

  const std::string image = "a gate snapshot";
  std::string batch;
  for (int i = 0; i < 20; ++i) {
    json e = {
        {"event_id", "before-" + std::to_string(i)},
        {"ts", "2026-11-20T08:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00+08:00"},
        {"kind", "access"},
        {"method", "face"},
        {"result", "granted"},
        {"direction", "in"},
        {"person_id", person.body["id"]}};
    if (i == 0) e["image"] = crypto::base64Encode(image);
    batch += e.dump() + "\n";
  }
  auto sent = server.request(
      "POST", "/api/v1/events",
      {{"X-Anju-Device", "gate-a"}, {"X-Anju-Signature", signedHeader(secret, batch)}}, batch,
      "application/x-ndjson");
  ASSERT_EQ(sent.status, 200) << sent.raw;
  ASSERT_EQ(sent.body["accepted"], 20);

  // Devices keep sending while the backup runs.
  std::atomic<bool> stop{false};
  std::atomic<int> during{0};
  std::thread traffic([&] {
    http::Client client("127.0.0.1", server.port());
    for (int i = 0; !stop; ++i) {
      const std::string body = json{
          {"event_id", "during-" + std::to_string(i)},
          {"ts", "2026-11-20T09:00:00+08:00"},
          {"kind", "heartbeat"}}.dump();
      auto r = client.request(
          "POST", "/api/v1/events", body,
          {{"X-Anju-Device", "gate-a"}, {"X-Anju-Signature", signedHeader(secret, body)}},
          "application/x-ndjson");
      if (r && r->status == 200) ++during;
    }
  });
  while (during < 5) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  const std::string backup = tempPath("backup");
  auto [backed, backup_out] =
      AnjuServer::runCli({"backup", "--data", server.dataDir(), "--out", backup});
  stop = true;
  traffic.join();
  ASSERT_EQ(backed, 0) << backup_out;
  EXPECT_NE(backup_out.find("1 blobs"), std::string::npos) << backup_out;
  EXPECT_TRUE(fs::exists(fs::path(backup) / "manifest.json"));
  EXPECT_TRUE(fs::exists(fs::path(backup) / "events.db"));

  const std::string restored_dir = tempPath("restored");
  auto [restored, restore_out] =
      AnjuServer::runCli({"restore", "--from", backup, "--data", restored_dir});
  ASSERT_EQ(restored, 0) << restore_out;
  auto [again, again_out] =
      AnjuServer::runCli({"restore", "--from", backup, "--data", restored_dir});
  EXPECT_EQ(again, 2) << again_out;
  EXPECT_NE(again_out.find("--force"), std::string::npos) << again_out;

  {
    AnjuServer copy(restored_dir);
    const std::string copy_token = copy.adminToken();
    auto read = copy.call("GET", "/api/v1/persons/" + person.body["id"].dump() + "?purpose=check",
                          copy_token);
    ASSERT_EQ(read.status, 200) << read.raw;
    EXPECT_EQ(read.body["name"], "王建国");
    auto trajectory = copy.call("GET",
                                "/api/v1/trajectory?person_id=" + person.body["id"].dump() +
                                    "&from=2026-11-20&to=2026-11-21&purpose=check&limit=100",
                                copy_token);
    ASSERT_EQ(trajectory.status, 200) << trajectory.raw;
    EXPECT_EQ(trajectory.body["items"].size(), 20u);
    auto snapshot = copy.call("GET", "/api/v1/snapshots/" + crypto::sha256Hex(image), copy_token);
    EXPECT_EQ(snapshot.status, 200);
    EXPECT_EQ(snapshot.raw, image);
    copy.stop();
    auto [verified, verify_out] = AnjuServer::runCli({"audit", "verify", restored_dir});
    EXPECT_EQ(verified, 0) << verify_out;
    EXPECT_NE(verify_out.find("hash chain intact"), std::string::npos) << verify_out;
  }
  std::error_code ec;
  fs::remove_all(backup, ec);
  fs::remove_all(restored_dir, ec);
}

TEST(BackupRestore, ADamagedBackupIsRefusedAndNothingIsWritten) {
  AnjuServer server;
  server.adminToken();
  const std::string backup = tempPath("backup");
  auto [backed, out] = AnjuServer::runCli({"backup", "--data", server.dataDir(), "--out", backup});
  ASSERT_EQ(backed, 0) << out;
  {
    std::fstream f(fs::path(backup) / "anju.db", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('\x01');
  }
  const std::string target = tempPath("target");
  auto [code, output] = AnjuServer::runCli({"restore", "--from", backup, "--data", target});
  EXPECT_EQ(code, 2) << output;
  EXPECT_NE(output.find("anju.db"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(target));
  std::error_code ec;
  fs::remove_all(backup, ec);
}

}  // namespace
}  // namespace anju::testing
