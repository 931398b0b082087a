// The subscriber against a real Mosquitto broker that each test starts on a free loopback port,
// and against a scripted fake broker for what a real one never sends (split and absurd packets).
#include <gtest/gtest.h>
#include <mosquitto.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "mqtt/packet.h"
#include "mqtt/subscriber.h"
#include "support/mosquitto_broker.h"

namespace anju::mqtt {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

using test_support::Broker;
using test_support::eventually;
using test_support::freePort;
using test_support::kPatience;
using test_support::listening;
using test_support::Publisher;

// What the handler was given, with the acks kept for the test to call.
struct Inbox {
  struct Message {
    std::string topic, payload;
    Ack ack;
  };
  std::mutex mutex;
  std::vector<Message> messages;

  MessageHandler handler() {
    return [this](std::string topic, std::string payload, Ack ack) {
      std::lock_guard lock(mutex);
      messages.push_back({std::move(topic), std::move(payload), std::move(ack)});
    };
  }
  int count(const std::string& payload) {
    std::lock_guard lock(mutex);
    int n = 0;
    for (const auto& m : messages) n += m.payload == payload;
    return n;
  }
  // Acknowledges (or not) every delivery of `payload` so far.
  void ack(const std::string& payload, bool stored) {
    std::vector<Ack> acks;
    {
      std::lock_guard lock(mutex);
      for (const auto& m : messages) {
        if (m.payload == payload) acks.push_back(m.ack);
      }
    }
    for (auto& a : acks) a(stored);
  }
};

SubscriberOptions optionsFor(uint16_t port, const std::string& client_id) {
  SubscriberOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.client_id = client_id;
  options.reconnect_delay = 100ms;
  return options;
}

TEST(MqttSubscriber, DeliversPublishedMessageWithItsTopic) {
  Broker broker(false);
  broker.start();
  Inbox inbox;
  Subscriber subscriber(optionsFor(broker.port(), "anju-test-topic"), inbox.handler());
  subscriber.start();
  ASSERT_TRUE(eventually([&] { return subscriber.connected(); }));

  Publisher publisher(broker.port());
  ASSERT_TRUE(publisher.publish("anju/events/d17", R"({"event_id":"d17-1"})"));
  ASSERT_TRUE(eventually([&] { return inbox.count(R"({"event_id":"d17-1"})") == 1; }));
  {
    std::lock_guard lock(inbox.mutex);
    EXPECT_EQ(inbox.messages[0].topic, "anju/events/d17");
  }
  inbox.ack(R"({"event_id":"d17-1"})", true);
  EXPECT_TRUE(eventually([&] { return subscriber.stats().acked == 1; }));
  EXPECT_EQ(subscriber.stats().received, 1u);
}

TEST(MqttSubscriber, RedeliversMessageNotAcknowledgedAfterReconnectButNotAcknowledgedOne) {
  Broker broker(false);
  broker.start();
  Inbox inbox;
  Subscriber subscriber(optionsFor(broker.port(), "anju-test-redeliver"), inbox.handler());
  subscriber.start();
  ASSERT_TRUE(eventually([&] { return subscriber.connected(); }));

  Publisher publisher(broker.port());
  ASSERT_TRUE(publisher.publish("anju/events/d1", "stored"));
  ASSERT_TRUE(publisher.publish("anju/events/d1", "never-acked"));
  ASSERT_TRUE(publisher.publish("anju/events/d1", "failed"));
  ASSERT_TRUE(eventually([&] { return inbox.count("failed") == 1; }));
  inbox.ack("stored", true);
  inbox.ack("failed", false);
  ASSERT_TRUE(eventually([&] { return subscriber.stats().acked == 1; }));

  subscriber.stop();
  inbox.ack("never-acked", true);  // too late: that connection is gone
  subscriber.start();
  ASSERT_TRUE(eventually([&] { return inbox.count("never-acked") == 2; }));
  ASSERT_TRUE(eventually([&] { return inbox.count("failed") == 2; }));
  // A marker published now arrives after whatever the broker resends on reconnecting.
  ASSERT_TRUE(publisher.publish("anju/events/d1", "marker"));
  ASSERT_TRUE(eventually([&] { return inbox.count("marker") == 1; }));
  EXPECT_EQ(inbox.count("stored"), 1);
}

TEST(MqttSubscriber, ReconnectsByItselfAfterBrokerRestartAndGetsWhatWasQueued) {
  Broker broker(true);
  broker.start();
  Inbox inbox;
  Subscriber subscriber(optionsFor(broker.port(), "anju-test-restart"), inbox.handler());
  subscriber.start();
  ASSERT_TRUE(eventually([&] { return subscriber.connected(); }));
  {
    Publisher publisher(broker.port());
    ASSERT_TRUE(publisher.publish("anju/events/d2", "before"));
  }
  ASSERT_TRUE(eventually([&] { return inbox.count("before") == 1; }));
  inbox.ack("before", true);
  ASSERT_TRUE(eventually([&] { return subscriber.stats().acked == 1; }));

  broker.stop();
  ASSERT_TRUE(eventually([&] { return !subscriber.connected(); }));
  broker.start();
  ASSERT_TRUE(eventually([&] { return subscriber.connected(); }));
  {
    Publisher publisher(broker.port());
    ASSERT_TRUE(publisher.publish("anju/events/d2", "after"));
  }
  ASSERT_TRUE(eventually([&] { return inbox.count("after") == 1; }));
  inbox.ack("after", true);
  ASSERT_TRUE(eventually([&] { return subscriber.stats().acked == 2; }));

  // Away while messages arrive and the broker restarts: its saved session holds them.
  subscriber.stop();
  {
    Publisher publisher(broker.port());
    ASSERT_TRUE(publisher.publish("anju/events/d2", "queued-1"));
    ASSERT_TRUE(publisher.publish("anju/events/d2", "queued-2"));
  }
  broker.stop();
  broker.start();
  subscriber.start();
  EXPECT_TRUE(eventually([&] { return inbox.count("queued-1") == 1; }));
  EXPECT_TRUE(eventually([&] { return inbox.count("queued-2") == 1; }));
  EXPECT_EQ(inbox.count("before"), 1);
}

// --- A scripted broker: one blocking thread, one connection at a time. ---

class FakeBroker {
 public:
  FakeBroker() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

  // Accepts a connection and answers CONNECT and SUBSCRIBE; returns the socket.
  std::unique_ptr<tcp::socket> acceptSubscriber() {
    auto socket = std::make_unique<tcp::socket>(io_);
    acceptor_.accept(*socket);
    EXPECT_EQ(readPacket(*socket).first >> 4, 1);  // CONNECT
    asio::write(*socket, asio::buffer(std::string("\x20\x02\x00\x00", 4)));
    auto [first, body] = readPacket(*socket);
    EXPECT_EQ(first, 0x82);  // SUBSCRIBE
    std::string suback = std::string("\x90\x03", 2) + body.substr(0, 2) + std::string(1, '\x01');
    asio::write(*socket, asio::buffer(suback));
    return socket;
  }

  // One packet: its first byte and body. Throws on EOF.
  static std::pair<int, std::string> readPacket(tcp::socket& socket) {
    unsigned char first = 0;
    asio::read(socket, asio::buffer(&first, 1));
    std::size_t length = 0, multiplier = 1;
    unsigned char byte = 0;
    do {
      asio::read(socket, asio::buffer(&byte, 1));
      length += (byte & 0x7f) * multiplier;
      multiplier *= 128;
    } while (byte & 0x80);
    std::string body(length, '\0');
    if (length > 0) asio::read(socket, asio::buffer(body));
    return {first, body};
  }

  // Skips PINGREQs.
  static std::pair<int, std::string> readNonPing(tcp::socket& socket) {
    while (true) {
      auto packet = readPacket(socket);
      if (packet.first != 0xc0) return packet;
    }
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
};

TEST(MqttSubscriber, ReassemblesPacketsSplitAcrossReadsAndAcksInTheOrderAcksCome) {
  FakeBroker broker;
  Inbox inbox;
  Subscriber subscriber(optionsFor(broker.port(), "anju-test-fake"), inbox.handler());
  subscriber.start();
  auto socket = broker.acceptSubscriber();
  std::string bytes = encodePublish("anju/events/d3", "first", 1, 11) +
                      encodePublish("anju/events/d3", "second", 1, 12);
  for (char c : bytes) {
    asio::write(*socket, asio::buffer(&c, 1));
    std::this_thread::sleep_for(1ms);  // to make separate reads likely, not to test speed
  }
  ASSERT_TRUE(eventually([&] { return inbox.count("second") == 1; }));
  EXPECT_EQ(inbox.count("first"), 1);

  inbox.ack("second", true);
  auto [first_byte, body] = FakeBroker::readNonPing(*socket);
  EXPECT_EQ(first_byte, 0x40);  // PUBACK
  EXPECT_EQ(body, std::string("\x00\x0c", 2));
  inbox.ack("first", true);
  std::tie(first_byte, body) = FakeBroker::readNonPing(*socket);
  EXPECT_EQ(first_byte, 0x40);
  EXPECT_EQ(body, std::string("\x00\x0b", 2));
  subscriber.stop();
}

TEST(MqttSubscriber, DropsConnectionOnAbsurdLengthAndReconnects) {
  FakeBroker broker;
  Inbox inbox;
  Subscriber subscriber(optionsFor(broker.port(), "anju-test-absurd"), inbox.handler());
  subscriber.start();
  auto socket = broker.acceptSubscriber();
  asio::write(*socket, asio::buffer(std::string("\x30\xff\xff\xff\xff\x7f", 6)));
  // The subscriber closes this connection (our read sees EOF) and comes back on a new one.
  boost::system::error_code ec;
  while (!ec) {
    unsigned char c;
    asio::read(*socket, asio::buffer(&c, 1), ec);
  }
  auto second = broker.acceptSubscriber();
  EXPECT_TRUE(eventually([&] { return subscriber.connected(); }));
  EXPECT_EQ(subscriber.stats().connects, 2u);
  subscriber.stop();
}

TEST(MqttSubscriber, StopsReadingWhileMaxUnackedMessagesWaitForTheirAck) {
  FakeBroker broker;
  Inbox inbox;
  auto options = optionsFor(broker.port(), "anju-test-window");
  options.max_unacked = 2;
  Subscriber subscriber(options, inbox.handler());
  subscriber.start();
  auto socket = broker.acceptSubscriber();
  std::string bytes;
  for (uint16_t id = 1; id <= 3; ++id) {
    bytes += encodePublish("anju/events/d4", "m" + std::to_string(id), 1, id);
  }
  asio::write(*socket, asio::buffer(bytes));
  ASSERT_TRUE(eventually([&] { return inbox.count("m2") == 1; }));
  // The third is in the subscriber's buffer but not handed over until an ack makes room. (A
  // short look, not a timing assertion: it must stay held however long one waits.)
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(inbox.count("m3"), 0);
  inbox.ack("m1", true);
  EXPECT_TRUE(eventually([&] { return inbox.count("m3") == 1; }));
  subscriber.stop();
}

}  // namespace
}  // namespace anju::mqtt
