// The event decoder: each event checked on its own, in JSON arrays and NDJSON.
#include "ingest/event_decoder.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "common/clock.h"
#include "common/crypto.h"

namespace anju::ingest {
namespace {

// 2026-11-23T00:00:00+08:00: the tests' events are from the morning before.
const int64_t kNow = parseTimestamp("2026-11-23T00:00:00+08:00", 480).value();

DecodeOptions options() {
  DecodeOptions o;
  o.now_ms = kNow;
  return o;
}

TEST(EventDecoderTest, ReadsEachKindIntoItsColumnsAndKeepsTheRestAsAttrs) {
  const std::string body =
      R"({"event_id":"a1","device_id":"d1","ts":"2026-11-22T08:15:02.120+08:00","kind":"access","method":"card","credential":"0012345678","result":"granted","direction":"in"})"
      "\n"
      R"({"event_id":"v1","device_id":"d2","ts":"2026-11-22T08:16:00+08:00","kind":"vehicle","plate":"粤b·d12345","confidence":0.93,"result":"granted","direction":"out"})"
      "\n"
      R"({"event_id":"al","device_id":"d3","ts":"2026-11-22T08:17:00Z","kind":"alarm","type":"smoke","level":2})";
  auto batch = decodeEvents(body, options());
  ASSERT_TRUE(batch) << batch.status().message();
  ASSERT_EQ(batch->events.size(), 3u);
  EXPECT_TRUE(batch->rejected.empty());
  const auto& access = batch->events[0];
  EXPECT_EQ(access.event.kind, domain::EventKind::kAccess);
  EXPECT_EQ(access.event.ts, parseTimestamp("2026-11-22T08:15:02.120+08:00", 480).value());
  EXPECT_EQ(access.event.result, "granted");
  EXPECT_EQ(access.event.direction, "in");
  EXPECT_EQ(access.credential, "0012345678");
  EXPECT_EQ(access.event.attrs, R"({"method":"card"})");
  const auto& vehicle = batch->events[1].event;
  EXPECT_EQ(vehicle.plate, "粤BD12345");
  EXPECT_EQ(vehicle.attrs, R"({"plate_color":"green","confidence":0.93})");
  EXPECT_EQ(batch->events[2].event.attrs, R"({"type":"smoke","level":2})");
  EXPECT_EQ(batch->total, 3u);
}

TEST(EventDecoderTest, AnEmbeddingArrivesAsNumbersOrBase64AndIsKeptAsBase64) {
  std::string numbers = "[";
  std::string raw(128 * 4, '\0');
  for (int i = 0; i < 128; ++i) {
    const float f = static_cast<float>(i) / 128.0f;
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", f);  // enough digits to come back as the same float
    numbers += (i ? "," : "") + std::string(text);
    std::memcpy(raw.data() + i * 4, &f, 4);
  }
  numbers += "]";
  const std::string body =
      R"([{"event_id":"f1","device_id":"c","ts":"2026-11-22T08:00:00+08:00","kind":"face_capture","embedding":)" +
      numbers +
      R"(,"quality":0.8},{"event_id":"f2","device_id":"c","ts":"2026-11-22T08:00:00+08:00","kind":"face_capture","embedding":")" +
      crypto::base64Encode(raw) + R"("}])";
  auto batch = decodeEvents(body, options());
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->events.size(), 2u) << (batch->rejected.empty() ? "" : batch->rejected[0].error);
  EXPECT_EQ(batch->events[0].event.embedding, crypto::base64Encode(raw));
  EXPECT_EQ(batch->events[1].event.embedding, crypto::base64Encode(raw));
}

TEST(EventDecoderTest, RejectsEachBadEventWithItsIndexAndFieldAndKeepsTheGoodOnes) {
  const std::string good =
      R"({"event_id":"ok","device_id":"d","ts":"2026-11-22T08:00:00+08:00","kind":"heartbeat"})";
  const std::vector<std::pair<std::string, std::string>> bad{
      {R"({"device_id":"d","ts":"2026-11-22T08:00:00+08:00","kind":"heartbeat"})", "event_id"},
      {R"({"event_id":"x","device_id":"d","ts":"yesterday","kind":"heartbeat"})", "ts"},
      {R"({"event_id":"x","device_id":"d","ts":"2027-01-01T00:00:00+08:00","kind":"heartbeat"})",
       "ts"},
      {R"({"event_id":"x","device_id":"d","ts":"1970-01-02T00:00:00Z","kind":"heartbeat"})", "ts"},
      {R"({"event_id":"x","device_id":"d","ts":"2026-11-22T08:00:00+08:00","kind":"access","method":"face","result":1})",
       "result"},
      {R"({"event_id":"x","device_id":"d","ts":"2026-11-22T08:00:00+08:00","kind":"vehicle","plate":"ABC"})",
       "plate"},
      {R"({"event_id":"x","device_id":"d","ts":"2026-11-22T08:00:00+08:00","kind":"face_capture","embedding":[1,2,3]})",
       "embedding"},
      {R"({"event_id":"x","device_id":"d","ts":"2026-11-22T08:00:00+08:00","kind":"face_capture","embedding":"@@@"})",
       "embedding"},
      {R"({"event_id":"x","device_id":"d","ts":"2026-11-22T08:00:00+08:00","kind":"alarm","type":"meteor"})",
       "type"},
      {R"({"event_id":"x","device_id":"d","ts":"2026-11-22T08:00:00+08:00","kind":"access","method":"face","result":"granted","person_id":-4})",
       "person_id"},
      {R"({"event_id":"x","device_id":"d","ts":"2026-11-22T08:00:00+08:00","kind":"heartbeat","image":"not base64!"})",
       "image"},
      {"[1,2]", ""},
      {"{\"event_id\":\"\xff\xfe\"}", ""},
  };
  std::string body = good + "\n";
  for (const auto& [line, field] : bad) body += line + "\n";
  body += good + "\n";
  auto batch = decodeEvents(body, options());
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->events.size(), 2u);
  ASSERT_EQ(batch->rejected.size(), bad.size());
  for (std::size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(batch->rejected[i].index, i + 1) << bad[i].first;
    EXPECT_EQ(batch->rejected[i].field, bad[i].second) << bad[i].first;
    EXPECT_FALSE(batch->rejected[i].error.empty());
  }
}

TEST(EventDecoderTest, ASignedBatchSpeaksOnlyForItsDevice) {
  DecodeOptions o = options();
  o.device = "d9";
  const std::string body =
      R"({"event_id":"1","ts":"2026-11-22T08:00:00+08:00","kind":"heartbeat"})"
      "\n"
      R"({"event_id":"2","device_id":"d9","ts":"2026-11-22T08:00:00+08:00","kind":"heartbeat"})"
      "\n"
      R"({"event_id":"3","device_id":"d8","ts":"2026-11-22T08:00:00+08:00","kind":"heartbeat"})";
  auto batch = decodeEvents(body, o);
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->events.size(), 2u);
  EXPECT_EQ(batch->events[0].event.device_id, "d9");
  ASSERT_EQ(batch->rejected.size(), 1u);
  EXPECT_EQ(batch->rejected[0].field, "device_id");
}

TEST(EventDecoderTest, EventsPastTheBatchLimitAreRejectedNotDropped) {
  DecodeOptions o = options();
  o.max_events = 2;
  std::string body;
  for (int i = 0; i < 4; ++i) {
    body += R"({"event_id":")" + std::to_string(i) +
            R"(","device_id":"d","ts":"2026-11-22T08:00:00+08:00","kind":"heartbeat"})"
            "\n";
  }
  auto batch = decodeEvents(body, o);
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->events.size(), 2u);
  ASSERT_EQ(batch->rejected.size(), 2u);
  EXPECT_EQ(batch->rejected[0].index, 2u);
  EXPECT_EQ(batch->total, 4u);
}

TEST(EventDecoderTest, AMalformedArrayIsRefusedAsAWholeAndDeepNestingToo) {
  EXPECT_EQ(decodeEvents("[{\"event_id\":", options()).status().field(), "body");
  EXPECT_EQ(decodeEvents("[" + std::string(100, '[') + std::string(100, ']') + "]", options())
                .status()
                .field(),
            "body");
  auto empty = decodeEvents("  \n ", options());
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->total, 0u);
}

}  // namespace
}  // namespace anju::ingest
