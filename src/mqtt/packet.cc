#include "mqtt/packet.h"

namespace anju::mqtt {

namespace {

void putU16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xff));
}

void putString(std::string& out, std::string_view s) {
  putU16(out, static_cast<uint16_t>(s.size()));
  out.append(s);
}

std::string packet(uint8_t first_byte, const std::string& body) {
  std::string out(1, static_cast<char>(first_byte));
  out += encodeRemainingLength(body.size());
  out += body;
  return out;
}

uint16_t getU16(std::string_view s, std::size_t at) {
  return static_cast<uint16_t>((static_cast<uint8_t>(s[at]) << 8) |
                               static_cast<uint8_t>(s[at + 1]));
}

}  // namespace

std::string encodeRemainingLength(std::size_t length) {
  std::string out;
  do {
    uint8_t byte = length % 128;
    length /= 128;
    if (length > 0) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (length > 0);
  return out;
}

std::string encodeConnect(const ConnectOptions& options) {
  std::string body;
  putString(body, "MQTT");
  body.push_back(4);  // protocol level 3.1.1
  uint8_t flags = options.clean_session ? 0x02 : 0x00;
  if (!options.username.empty()) {
    flags |= 0x80;
    if (!options.password.empty()) flags |= 0x40;
  }
  body.push_back(static_cast<char>(flags));
  putU16(body, options.keepalive_seconds);
  putString(body, options.client_id);
  if (!options.username.empty()) {
    putString(body, options.username);
    if (!options.password.empty()) putString(body, options.password);
  }
  return packet(0x10, body);
}

std::string encodeSubscribe(uint16_t packet_id, std::string_view topic_filter, uint8_t qos) {
  std::string body;
  putU16(body, packet_id);
  putString(body, topic_filter);
  body.push_back(static_cast<char>(qos));
  return packet(0x82, body);  // SUBSCRIBE's flags are fixed at 0010
}

std::string encodeAck(PacketType type, uint16_t packet_id) {
  std::string body;
  putU16(body, packet_id);
  // PUBREL, like SUBSCRIBE, must carry flags 0010.
  uint8_t flags = type == PacketType::kPubrel ? 0x02 : 0x00;
  return packet(static_cast<uint8_t>(static_cast<uint8_t>(type) << 4) | flags, body);
}

std::string encodePingreq() {
  return std::string("\xc0\x00", 2);
}

std::string encodeDisconnect() {
  return std::string("\xe0\x00", 2);
}

std::string encodePublish(std::string_view topic, std::string_view payload, uint8_t qos,
                          uint16_t packet_id) {
  std::string body;
  putString(body, topic);
  if (qos > 0) putU16(body, packet_id);
  body.append(payload);
  return packet(static_cast<uint8_t>(0x30 | (qos << 1)), body);
}

Result<std::optional<Frame>> takeFrame(std::string_view data, std::size_t max_packet_bytes) {
  if (data.size() < 2) return std::optional<Frame>();
  std::size_t length = 0;
  std::size_t multiplier = 1;
  std::size_t i = 1;
  for (;; ++i) {
    if (i > 4) return Status::invalid("remaining_length", "remaining length longer than 4 bytes");
    if (i >= data.size()) return std::optional<Frame>();
    auto byte = static_cast<uint8_t>(data[i]);
    length += (byte & 0x7f) * multiplier;
    multiplier *= 128;
    if ((byte & 0x80) == 0) break;
  }
  if (length > max_packet_bytes) {
    return Status::invalid("remaining_length", "packet of " + std::to_string(length) +
                                                   " bytes is over the limit of " +
                                                   std::to_string(max_packet_bytes));
  }
  std::size_t header = i + 1;
  if (data.size() - header < length) return std::optional<Frame>();
  Frame frame;
  frame.first_byte = static_cast<uint8_t>(data[0]);
  frame.body = data.substr(header, length);
  frame.size = header + length;
  return std::optional<Frame>(frame);
}

Result<Publish> decodePublish(const Frame& frame) {
  Publish p;
  p.qos = (frame.flags() >> 1) & 0x03;
  p.dup = (frame.flags() & 0x08) != 0;
  if (p.qos == 3) return Status::invalid("qos", "PUBLISH with QoS 3");
  std::string_view body = frame.body;
  if (body.size() < 2) return Status::invalid("topic", "PUBLISH without a topic");
  std::size_t topic_length = getU16(body, 0);
  std::size_t at = 2 + topic_length;
  if (at > body.size()) return Status::invalid("topic", "PUBLISH topic runs past the packet");
  p.topic = std::string(body.substr(2, topic_length));
  if (p.qos > 0) {
    if (at + 2 > body.size()) return Status::invalid("packet_id", "PUBLISH without a packet id");
    p.packet_id = getU16(body, at);
    if (p.packet_id == 0) return Status::invalid("packet_id", "PUBLISH with packet id 0");
    at += 2;
  }
  p.payload = std::string(body.substr(at));
  return p;
}

std::optional<uint16_t> packetId(const Frame& frame) {
  if (frame.body.size() < 2) return std::nullopt;
  return getU16(frame.body, 0);
}

}  // namespace anju::mqtt
