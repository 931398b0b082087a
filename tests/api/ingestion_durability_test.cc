// What was acknowledged stays: the server is killed with SIGKILL while a device keeps sending, and
// after a restart every event of every answered batch is there. And events published over MQTT
// to a real Mosquitto broker are stored and can be read back.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "anju_server.h"
#include "common/crypto.h"
#include "http/client.h"
#include "support/mosquitto_broker.h"

namespace anju::testing {
namespace {

using nlohmann::json;

std::string tempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "anju-durable-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

struct Device {
  std::string id;
  std::string secret;
};

// An estate with one door; returns the door and its secret.
Device setUpDoor(AnjuServer& server, const std::string& token, const std::string& id) {
  auto estate = server.call("POST", "/api/v1/estates", token, json{{"name", "翠湖小区"}});
  EXPECT_EQ(estate.status, 201) << estate.raw;
  auto door = server.call(
      "POST", "/api/v1/devices", token,
      json{{"id", id}, {"name", "1号门"}, {"kind", "door"}, {"estate_id", estate.body["id"]}});
  EXPECT_EQ(door.status, 201) << door.raw;
  return {id, door.body.value("secret", "")};
}

std::set<std::string> storedIds(AnjuServer& server, const std::string& token,
                                const std::string& device) {
  std::set<std::string> ids;
  std::string cursor;
  for (;;) {
    auto page = server.call("GET",
                            "/api/v1/events?device_id=" + device + "&limit=1000" +
                                (cursor.empty() ? "" : "&cursor=" + cursor),
                            token);
    EXPECT_EQ(page.status, 200) << page.raw;
    for (const auto& e : page.body["items"]) ids.insert(e["event_id"].get<std::string>());
    if (!page.body["next"].is_string()) return ids;
    cursor = page.body["next"];
  }
}

TEST(IngestionDurabilityTest, EveryAcknowledgedEventSurvivesAKillDuringIngestion) {
  crypto::initialize();
  const std::string dir = tempDir();
  int next_batch = 0;
  std::set<std::string> acknowledged;
  Device door;
  for (int round = 0; round < 3; ++round) {
    AnjuServer server(dir, {});
    const std::string token = server.adminToken();
    if (round == 0) door = setUpDoor(server, token, "door-durable");
    // Every event acknowledged before earlier kills is still there.
    auto before = storedIds(server, token, door.id);
    for (const auto& id : acknowledged) ASSERT_TRUE(before.count(id)) << "lost " << id;

    std::atomic<int> answered{0};
    std::atomic<bool> done{false};
    std::mutex mutex;
    std::set<std::string> acked_now;
    std::thread sender([&] {
      http::Client client("127.0.0.1", server.port());
      while (!done) {
        std::string body;
        std::vector<std::string> ids;
        const int batch = next_batch++;
        for (int i = 0; i < 200; ++i) {
          ids.push_back("b" + std::to_string(batch) + "-" + std::to_string(i));
          body +=
              R"({"event_id":")" + ids.back() +
              R"(","ts":"2026-11-20T08:00:00+08:00","kind":"access","method":"card","result":"granted"})"
              "\n";
        }
        auto r = client.request("POST", "/api/v1/events", body,
                                {{"X-Anju-Device", door.id},
                                 {"X-Anju-Signature", crypto::hmacSha256Hex(door.secret, body)}},
                                "application/x-ndjson");
        if (!r) return;  // the server is gone
        if (r->status != 200) continue;
        std::lock_guard lock(mutex);
        acked_now.insert(ids.begin(), ids.end());
        ++answered;
      }
    });
    ASSERT_TRUE(test_support::eventually([&] { return answered >= 10; }));
    server.kill();  // mid-stream: the sender is always between a request and its answer
    done = true;
    sender.join();
    acknowledged.insert(acked_now.begin(), acked_now.end());
  }
  AnjuServer server(dir, {});
  auto stored = storedIds(server, server.adminToken(), door.id);
  std::size_t missing = 0;
  for (const auto& id : acknowledged) missing += stored.count(id) ? 0 : 1;
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged events";
  EXPECT_GE(acknowledged.size(), 30u * 200u);
  server.stop();
  std::filesystem::remove_all(dir);
}

TEST(IngestionDurabilityTest, EventsPublishedOverMqttAreStored) {
  test_support::Broker broker(false);
  broker.start();
  const std::string dir = tempDir();
  {
    std::ofstream config(std::filesystem::path(dir) / "anju.toml");
    config << "[mqtt]\nhost = \"127.0.0.1\"\nport = " << broker.port()
           << "\nclient_id = \"anju-test\"\n";
  }
  AnjuServer server(dir, {});
  const std::string token = server.adminToken();
  Device door = setUpDoor(server, token, "door-mqtt");
  test_support::Publisher publisher(broker.port());
  // Until the server has subscribed, the broker keeps nothing for it: send until one arrives.
  std::vector<std::string> sent;
  ASSERT_TRUE(test_support::eventually([&] {
    const std::string id = "mqtt-" + std::to_string(sent.size());
    sent.push_back(id);
    publisher.publish(
        "anju/events/" + door.id,
        R"({"event_id":")" + id +
            R"(","ts":"2026-11-21T07:30:00+08:00","kind":"access","method":"face","result":"granted"})");
    return storedIds(server, token, door.id).count(id) > 0;
  }));
  // Once subscribed, every message published is stored, a batch in one message too.
  ASSERT_TRUE(publisher.publish(
      "anju/events/" + door.id,
      R"([{"event_id":"mqtt-batch-1","ts":"2026-11-21T07:31:00+08:00","kind":"heartbeat"},)"
      R"({"event_id":"mqtt-batch-2","ts":"2026-11-21T07:32:00+08:00","kind":"alarm","type":"tamper"}])"));
  ASSERT_TRUE(test_support::eventually([&] {
    auto ids = storedIds(server, token, door.id);
    return ids.count("mqtt-batch-1") && ids.count("mqtt-batch-2");
  }));
  // A message for another device's topic cannot speak for this door.
  ASSERT_TRUE(publisher.publish(
      "anju/events/" + door.id,
      R"({"event_id":"mqtt-spoof","device_id":"someone-else","ts":"2026-11-21T07:33:00+08:00","kind":"heartbeat"})"));
  ASSERT_TRUE(publisher.publish(
      "anju/events/" + door.id,
      R"({"event_id":"mqtt-after","ts":"2026-11-21T07:34:00+08:00","kind":"heartbeat"})"));
  ASSERT_TRUE(test_support::eventually(
      [&] { return storedIds(server, token, door.id).count("mqtt-after") > 0; }));
  EXPECT_EQ(storedIds(server, token, door.id).count("mqtt-spoof"), 0u);
  server.stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace anju::testing
