// An MQTT 3.1.1 subscriber that acknowledges a message only once its handler says the event is
// durable. libmosquitto sends the PUBACK of a QoS 1 message before calling its message callback,
// so a crash between the two would lose a message the broker believes delivered; here the PUBACK
// (or, for QoS 2, the PUBREC) leaves only when the handler calls ack(true).
//
// Delivery is at least once: a message not acknowledged before the connection drops is delivered
// again after the reconnect (the session is persistent, clean session = false), and an ack that
// arrives for a connection that is gone is dropped. Events carry their own event_id, so the store
// keeps a redelivered one once.
//
// The broker's per-client in-flight window (mosquitto's max_inflight_messages, 20 by default) also
// caps how many messages wait for an ack; raise it to make use of a larger max_unacked. Set the
// broker's message_size_limit at or below max_packet_bytes: a larger message would be refused
// here as a protocol error on every redelivery.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace anju::mqtt {

struct SubscriberOptions {
  std::string host;
  uint16_t port = 1883;
  std::string client_id;  // must stay the same across restarts: it names the broker's session
  std::string username, password;
  std::string topic = "anju/events/+";
  int keepalive_seconds = 30;
  std::size_t max_unacked = 1000;  // stop reading the socket while this many wait for their ack
  std::chrono::milliseconds reconnect_delay{500};   // doubles while the broker stays away, to 5 s
  std::size_t max_packet_bytes = 16 * 1024 * 1024;  // a longer packet is a protocol error
};

// Called once per message, from any thread. true: the event is durable, acknowledge it. false:
// send nothing, so the broker delivers it again after the next reconnect. Later calls are ignored.
using Ack = std::function<void(bool stored)>;
// Runs on the subscriber's network thread: it must not block; hand the work off and call `ack`
// when it is done.
using MessageHandler = std::function<void(std::string topic, std::string payload, Ack ack)>;

struct SubscriberStats {
  uint64_t received = 0;    // PUBLISH packets handed to the handler
  uint64_t acked = 0;       // ack(true) calls that were sent (or QoS 0 ones that were counted)
  uint64_t nacked = 0;      // ack(false) calls
  uint64_t stale_acks = 0;  // acks that came after their connection had gone
  uint64_t connects = 0;    // successful subscriptions, the first one included
};

class Subscriber {
 public:
  Subscriber(SubscriberOptions options, MessageHandler handler);
  ~Subscriber();  // stops
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  // Starts the network thread, which connects, subscribes and keeps reconnecting until stop().
  void start();
  // Disconnects and joins the network thread. Messages not yet acknowledged stay with the broker.
  // Not from the handler: it runs on the thread this joins.
  void stop();
  // True once subscribed, until the connection drops.
  bool connected() const;
  SubscriberStats stats() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with the Ack callbacks, which may outlive the Subscriber
};

}  // namespace anju::mqtt
