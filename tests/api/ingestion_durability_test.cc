// What was acknowledged stays: the server is killed with SIGKILL twenty times while a device keeps
// sending, over HTTP and over MQTT, and after each restart every event of every answered batch
// (every message the broker took from the device) is there. And events published over MQTT to a
// real Mosquitto broker are stored and can be read back.
//
// ANJU_LONG_TESTS=1 sends more events between kills (see docs/operations.md).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "anju_server.h"
#include "common/crypto.h"
#include "durability_support.h"
#include "http/client.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_device.h"

namespace anju::testing {
namespace {

using nlohmann::json;

constexpr int kKills = 20;

TEST(IngestionDurabilityTest, EveryAcknowledgedEventSurvivesTwentyKillsDuringIngestion) {
  crypto::initialize();
  // Quick: a few batches answered between kills; long: many larger ones.
  const int batch_size = longTests() ? 500 : 100;
  const int batches_per_round = longTests() ? 50 : 2;
  const std::string dir = durableTempDir();
  int next_batch = 0;
  std::set<std::string> acknowledged;
  Device door;
  for (int round = 0; round < kKills; ++round) {
    AnjuServer server(dir, {});
    const std::string token = server.adminToken();
    if (round == 0) door = setUpDoor(server, token, "door-durable");
    // Every event acknowledged before earlier kills is still there.
    auto before = storedIdCounts(server, token, door.id);
    ASSERT_EQ(missingOf(acknowledged, before), 0u)
        << "after kill " << round << ", of " << acknowledged.size();

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
        for (int i = 0; i < batch_size; ++i) {
          ids.push_back("b" + std::to_string(batch) + "-" + std::to_string(i));
          body += accessEvent(ids.back()) + "\n";
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
    ASSERT_TRUE(test_support::eventually([&] { return answered >= batches_per_round; }));
    server.kill();  // mid-stream: the sender is always between a request and its answer
    done = true;
    sender.join();
    acknowledged.insert(acked_now.begin(), acked_now.end());
  }
  AnjuServer server(dir, {});
  auto stored = storedIdCounts(server, server.adminToken(), door.id);
  EXPECT_EQ(missingOf(acknowledged, stored), 0u) << "of " << acknowledged.size();
  EXPECT_GE(acknowledged.size(), std::size_t(kKills * batches_per_round * batch_size));
  std::cout << "[ figures  ] " << acknowledged.size() << " events acknowledged across " << kKills
            << " kills, " << stored.size() << " stored\n";
  server.stop();
  std::filesystem::remove_all(dir);
}

void writeMqttConfig(const std::string& dir, uint16_t broker_port) {
  std::ofstream config(std::filesystem::path(dir) / "anju.toml");
  config << "[mqtt]\nhost = \"127.0.0.1\"\nport = " << broker_port
         << "\nclient_id = \"anju-test\"\n";
}

// Until the server has subscribed once, the broker keeps nothing for it: sends until one arrives.
void awaitFirstSubscription(AnjuServer& server, const std::string& token, const Device& door,
                            uint16_t broker_port) {
  test_support::Publisher publisher(broker_port);
  int probe = 0;
  ASSERT_TRUE(test_support::eventually([&] {
    const std::string id = "probe-" + std::to_string(probe++);
    publisher.publish("anju/events/" + door.id, accessEvent(id));
    return storedIdCounts(server, token, door.id).count(id) > 0;
  }));
}

TEST(IngestionDurabilityTest, EveryMessageTheBrokerTookSurvivesKillsDuringMqttIngestion) {
  test_support::Broker broker(false);
  broker.start();
  const std::string dir = durableTempDir();
  writeMqttConfig(dir, broker.port());
  Device door;
  {
    AnjuServer server(dir, {});
    const std::string token = server.adminToken();
    door = setUpDoor(server, token, "door-mqtt-durable");
    awaitFirstSubscription(server, token, door, broker.port());
    server.kill();
  }
  // The device never stops: while the server is down the broker keeps its messages in the
  // server's persistent session and hands them over after the restart.
  test_support::MqttDevice device(
      broker.port(), "anju/events/" + door.id, [](int n) { return "m-" + std::to_string(n); },
      [](int n) { return accessEvent("m-" + std::to_string(n)); });
  ASSERT_TRUE(device.connected());
  device.start();
  // Each restart replays the session's backlog, so the quick run kills fewer times.
  const int kills = longTests() ? kKills : 5;
  const std::size_t per_round = longTests() ? 2000 : 40;
  for (int round = 0; round < kills; ++round) {
    AnjuServer server(dir, {});
    const std::string token = server.adminToken();
    // What the broker took before this start, the server stores (the last ones after the kill).
    const auto taken = device.acknowledged();
    ASSERT_TRUE(test_support::eventually([&] {
      return missingOf(taken, storedIdCounts(server, token, door.id)) == 0;
    })) << "round "
        << round << ": " << missingOf(taken, storedIdCounts(server, token, door.id)) << " of "
        << taken.size() << " messages the broker took are not stored";
    const std::size_t target = taken.size() + per_round;
    ASSERT_TRUE(test_support::eventually([&] { return device.acknowledgedCount() >= target; }));
    server.kill();
  }
  device.stop();
  AnjuServer server(dir, {});
  const std::string token = server.adminToken();
  const auto taken = device.acknowledged();
  ASSERT_TRUE(test_support::eventually([&] {
    return missingOf(taken, storedIdCounts(server, token, door.id)) == 0;
  })) << missingOf(taken, storedIdCounts(server, token, door.id))
      << " of " << taken.size() << " messages the broker took are not stored";
  const auto stored = storedIdCounts(server, token, door.id);
  for (const auto& [id, count] : stored) EXPECT_EQ(count, 1) << id << " stored twice";
  std::cout << "[ figures  ] " << taken.size() << " MQTT messages taken by the broker across "
            << kills << " kills, all stored once\n";
  server.stop();
  std::filesystem::remove_all(dir);
}

TEST(IngestionDurabilityTest, EventsPublishedOverMqttAreStored) {
  test_support::Broker broker(false);
  broker.start();
  const std::string dir = durableTempDir();
  writeMqttConfig(dir, broker.port());
  AnjuServer server(dir, {});
  const std::string token = server.adminToken();
  Device door = setUpDoor(server, token, "door-mqtt");
  awaitFirstSubscription(server, token, door, broker.port());
  test_support::Publisher publisher(broker.port());
  // Once subscribed, every message published is stored, a batch in one message too.
  ASSERT_TRUE(publisher.publish(
      "anju/events/" + door.id,
      R"([{"event_id":"mqtt-batch-1","ts":"2026-11-21T07:31:00+08:00","kind":"heartbeat"},)"
      R"({"event_id":"mqtt-batch-2","ts":"2026-11-21T07:32:00+08:00","kind":"alarm","type":"tamper"}])"));
  ASSERT_TRUE(test_support::eventually([&] {
    auto ids = storedIdCounts(server, token, door.id);
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
      [&] { return storedIdCounts(server, token, door.id).count("mqtt-after") > 0; }));
  EXPECT_EQ(storedIdCounts(server, token, door.id).count("mqtt-spoof"), 0u);
  server.stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace anju::testing
