#include <gtest/gtest.h>

#include <string>

#include "mqtt/packet.h"

namespace anju::mqtt {
namespace {

constexpr std::size_t kLimit = 1024 * 1024;

TEST(MqttPacket, RemainingLengthRoundTripsAtEveryByteBoundary) {
  for (std::size_t length : {0UL, 127UL, 128UL, 16383UL, 16384UL, 2097151UL, 2097152UL}) {
    std::string packet = "\x30" + encodeRemainingLength(length) + std::string(length, 'x');
    auto frame = takeFrame(packet, 4 * 1024 * 1024);
    ASSERT_TRUE(frame.isOk()) << length;
    ASSERT_TRUE(frame->has_value()) << length;
    EXPECT_EQ((*frame)->body.size(), length);
    EXPECT_EQ((*frame)->size, packet.size());
  }
  EXPECT_EQ(encodeRemainingLength(268435455), "\xff\xff\xff\x7f");
}

TEST(MqttPacket, WaitsForMoreBytesWhilePacketIsIncomplete) {
  std::string packet = encodePublish("anju/events/d17", "{\"kind\":\"heartbeat\"}", 1, 7);
  for (std::size_t cut = 0; cut < packet.size(); ++cut) {
    auto frame = takeFrame(std::string_view(packet).substr(0, cut), kLimit);
    ASSERT_TRUE(frame.isOk()) << cut;
    EXPECT_FALSE(frame->has_value()) << cut;
  }
  std::string stream = packet + "\xc0";  // and a byte of the next packet
  auto frame = takeFrame(stream, kLimit);
  ASSERT_TRUE(frame.isOk());
  ASSERT_TRUE(frame->has_value());
  EXPECT_EQ((*frame)->size, packet.size());
  auto publish = decodePublish(**frame);
  ASSERT_TRUE(publish.isOk());
  EXPECT_EQ(publish->topic, "anju/events/d17");
  EXPECT_EQ(publish->payload, "{\"kind\":\"heartbeat\"}");
  EXPECT_EQ(publish->qos, 1);
  EXPECT_EQ(publish->packet_id, 7);
}

TEST(MqttPacket, RejectsLengthFieldLongerThanFourBytes) {
  auto frame = takeFrame(std::string("\x30\xff\xff\xff\xff\x01", 6), kLimit);
  EXPECT_FALSE(frame.isOk());
}

TEST(MqttPacket, RejectsPacketOverTheLimitBeforeItArrives) {
  std::string header = "\x30" + encodeRemainingLength(kLimit + 1);
  auto frame = takeFrame(header, kLimit);
  EXPECT_FALSE(frame.isOk());
}

TEST(MqttPacket, RejectsPublishWhoseTopicRunsPastThePacket) {
  std::string packet = std::string(
      "\x32\x04\x00\x10"
      "ab",
      6);
  auto frame = takeFrame(packet, kLimit);
  ASSERT_TRUE(frame.isOk() && frame->has_value());
  EXPECT_FALSE(decodePublish(**frame).isOk());
}

TEST(MqttPacket, RejectsPublishWithQos3OrPacketIdZero) {
  std::string qos3 = encodePublish("t", "x", 1, 1);
  qos3[0] = static_cast<char>(0x36);
  auto frame = takeFrame(qos3, kLimit);
  ASSERT_TRUE(frame.isOk() && frame->has_value());
  EXPECT_FALSE(decodePublish(**frame).isOk());

  std::string zero = encodePublish("t", "x", 1, 0);
  frame = takeFrame(zero, kLimit);
  ASSERT_TRUE(frame.isOk() && frame->has_value());
  EXPECT_FALSE(decodePublish(**frame).isOk());
}

TEST(MqttPacket, EncodesConnectWithPersistentSessionAndCredentials) {
  std::string packet =
      encodeConnect({.client_id = "c", .username = "u", .password = "p", .keepalive_seconds = 30});
  auto frame = takeFrame(packet, kLimit);
  ASSERT_TRUE(frame.isOk() && frame->has_value());
  EXPECT_EQ((*frame)->type(), PacketType::kConnect);
  std::string_view body = (*frame)->body;
  EXPECT_EQ(body.substr(0, 7), std::string_view("\x00\x04MQTT\x04", 7));
  EXPECT_EQ(static_cast<uint8_t>(body[7]), 0xc0);  // user name and password, clean session off
}

}  // namespace
}  // namespace anju::mqtt
