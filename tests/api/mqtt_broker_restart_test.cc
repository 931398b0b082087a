// The MQTT broker restarted under load: a device keeps publishing at QoS 1 (again until the broker
// acknowledges), the broker is stopped and started again with its persistence file, as a real
// deployment runs it. The server's subscription comes back by itself and every message the broker
// acknowledged to the device is stored exactly once.
//
// ANJU_LONG_TESTS=1 restarts the broker more often with more messages between restarts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "anju_server.h"
#include "durability_support.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_device.h"

namespace anju::testing {
namespace {

TEST(MqttBrokerRestartTest, EveryMessageTheBrokerAcknowledgedIsStoredOnceAcrossRestarts) {
  test_support::Broker broker(true);
  broker.start();
  const std::string dir = durableTempDir("anju-broker-restart");
  {
    std::ofstream config(std::filesystem::path(dir) / "anju.toml");
    config << "[mqtt]\nhost = \"127.0.0.1\"\nport = " << broker.port()
           << "\nclient_id = \"anju-restart-test\"\n";
  }
  AnjuServer server(dir, {});
  const std::string token = server.adminToken();
  const Device door = setUpDoor(server, token, "door-broker-restart");
  // Until the server has subscribed once, the broker keeps nothing for it.
  {
    test_support::Publisher publisher(broker.port());
    int probe = 0;
    ASSERT_TRUE(test_support::eventually([&] {
      const std::string id = "probe-" + std::to_string(probe++);
      publisher.publish("anju/events/" + door.id, accessEvent(id));
      return storedIdCounts(server, token, door.id).count(id) > 0;
    }));
  }
  test_support::MqttDevice device(
      broker.port(), "anju/events/" + door.id, [](int n) { return "r-" + std::to_string(n); },
      [](int n) { return accessEvent("r-" + std::to_string(n)); });
  ASSERT_TRUE(device.connected());
  device.start();
  const int restarts = longTests() ? 10 : 2;
  const std::size_t per_round = longTests() ? 5000 : 100;
  for (int round = 0; round < restarts; ++round) {
    const std::size_t target = device.acknowledgedCount() + per_round;
    ASSERT_TRUE(test_support::eventually([&] { return device.acknowledgedCount() >= target; }));
    broker.stop();  // SIGTERM: Mosquitto writes its persistence file on the way out
    broker.start();
  }
  // Messages published after the last restart arrive too: the subscription is back.
  const std::size_t target = device.acknowledgedCount() + per_round;
  ASSERT_TRUE(test_support::eventually([&] { return device.acknowledgedCount() >= target; }));
  device.stop();
  const auto acknowledged = device.acknowledged();
  ASSERT_TRUE(test_support::eventually([&] {
    return missingOf(acknowledged, storedIdCounts(server, token, door.id)) == 0;
  })) << missingOf(acknowledged, storedIdCounts(server, token, door.id))
      << " of " << acknowledged.size() << " messages the broker acknowledged are not stored";
  const auto stored = storedIdCounts(server, token, door.id);
  for (const auto& [id, count] : stored) EXPECT_EQ(count, 1) << id << " stored twice";
  std::cout << "[ figures  ] " << acknowledged.size() << " messages through " << restarts
            << " broker restarts, " << device.retries() << " publishes sent again\n";
  server.stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace anju::testing
