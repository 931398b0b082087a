// MQTT 3.1.1 packets, the few a subscriber needs: encoding what it sends and decoding what the
// broker sends. The bytes come from the network, so decoding never trusts a length: a packet
// longer than the caller's limit or a malformed one is a protocol error reported as a value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace anju::mqtt {

enum class PacketType : uint8_t {
  kConnect = 1,
  kConnack = 2,
  kPublish = 3,
  kPuback = 4,
  kPubrec = 5,
  kPubrel = 6,
  kPubcomp = 7,
  kSubscribe = 8,
  kSuback = 9,
  kPingreq = 12,
  kPingresp = 13,
  kDisconnect = 14,
};

struct ConnectOptions {
  std::string client_id;
  std::string username, password;  // sent only when username is not empty
  bool clean_session = false;
  uint16_t keepalive_seconds = 30;
};

std::string encodeConnect(const ConnectOptions& options);
std::string encodeSubscribe(uint16_t packet_id, std::string_view topic_filter, uint8_t qos);
// PUBACK, PUBREC, PUBREL and PUBCOMP: a type and a packet id.
std::string encodeAck(PacketType type, uint16_t packet_id);
std::string encodePingreq();
std::string encodeDisconnect();
// Used by tests that play the broker.
std::string encodePublish(std::string_view topic, std::string_view payload, uint8_t qos,
                          uint16_t packet_id);
// The remaining-length field: 1 to 4 bytes, 7 bits each, low group first.
std::string encodeRemainingLength(std::size_t length);

// One complete packet taken from the front of a byte stream.
struct Frame {
  uint8_t first_byte = 0;  // type in the high nibble, flags in the low one
  std::string_view body;   // the variable header and payload, `remaining length` bytes
  std::size_t size = 0;    // fixed header plus body: how much to drop from the stream
  PacketType type() const { return static_cast<PacketType>(first_byte >> 4); }
  uint8_t flags() const { return first_byte & 0x0f; }
};

// nullopt while `data` does not yet hold a complete packet (wait for more bytes); a Frame when
// it does; kInvalid when the length field is malformed (more than 4 bytes) or announces more
// than `max_packet_bytes`, which no amount of waiting will fix.
Result<std::optional<Frame>> takeFrame(std::string_view data, std::size_t max_packet_bytes);

struct Publish {
  std::string topic;
  std::string payload;
  uint8_t qos = 0;
  bool dup = false;
  uint16_t packet_id = 0;  // 0 for QoS 0
};

// Checks the flags and lengths of a PUBLISH frame (QoS 3 and a topic running past the end are
// protocol errors).
Result<Publish> decodePublish(const Frame& frame);

// The packet id at the start of PUBACK/PUBREC/PUBREL/PUBCOMP/SUBACK bodies.
std::optional<uint16_t> packetId(const Frame& frame);

}  // namespace anju::mqtt
