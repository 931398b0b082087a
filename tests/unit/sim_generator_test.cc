#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "common/clock.h"
#include "common/crypto.h"
#include "sim/generator.h"

namespace anju::sim {
namespace {

using nlohmann::json;

// Two estates with every device kind, residents and their cars.
World testWorld() {
  World world;
  world.estate_ids = {1, 2};
  const char* kinds[] = {"door",  "door",       "face_camera", "camera",          "barrier",
                         "fence", "sos_button", "smoke",       "throwing_camera", "display"};
  int n = 0;
  for (int64_t estate : world.estate_ids) {
    for (const char* kind : kinds) {
      world.devices.push_back({.id = "d" + std::to_string(++n),
                               .kind = kind,
                               .estate_id = estate,
                               .secret = "secret-" + std::to_string(n)});
    }
    for (int i = 0; i < 50; ++i) {
      world.persons.push_back({.id = estate * 1000 + i, .estate_id = estate});
    }
    for (int i = 0; i < 10; ++i) {
      world.vehicles.push_back({.plate = "冀C" + std::to_string(estate) + "000" + std::to_string(i),
                                .plate_color = "blue",
                                .estate_id = estate});
    }
  }
  return world;
}

const int64_t kStart = *parseTimestamp("2026-11-22T00:00:00+08:00", 480);

GeneratorOptions options(uint64_t seed) {
  return {.seed = seed, .utc_offset_minutes = 480, .run_start_ms = kStart};
}

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / std::sqrt(na * nb);
}

TEST(SimGenerator, FollowsTheKindMix) {
  World world = testWorld();
  EventGenerator generator(world, options(7));
  std::map<SimKind, int> counts;
  const int n = 100000;
  for (int i = 0; i < n; ++i) ++counts[generator.next(kStart + i * 10).kind];
  auto share = [&](SimKind k) { return static_cast<double>(counts[k]) / n; };
  EXPECT_NEAR(share(SimKind::kAccess), 0.55, 0.02);
  EXPECT_NEAR(share(SimKind::kFaceCapture), 0.25, 0.02);
  EXPECT_NEAR(share(SimKind::kVehicle), 0.10, 0.01);
  EXPECT_NEAR(share(SimKind::kHeartbeat), 0.095, 0.01);
  EXPECT_GT(share(SimKind::kAlarm), 0.0);
  EXPECT_LT(share(SimKind::kAlarm), 0.01);
}

TEST(SimGenerator, SameSeedGivesSameEventsAndAnotherSeedDoesNot) {
  World world = testWorld();
  EventGenerator a(world, options(42)), b(world, options(42)), c(world, options(43));
  int differing = 0;
  for (int i = 0; i < 2000; ++i) {
    auto ea = a.next(kStart + i);
    EXPECT_EQ(ea.json, b.next(kStart + i).json);
    differing += ea.json != c.next(kStart + i).json;
  }
  EXPECT_GT(differing, 1900);
}

TEST(SimGenerator, WritesValidEventsWithTheSpecFields) {
  World world = testWorld();
  EventGenerator generator(world, options(3));
  std::set<std::string> ids;
  for (int i = 0; i < 5000; ++i) {
    auto event = generator.next(kStart + 8 * 3600000 + i * 1000);
    if (event.malformed || event.duplicate) continue;
    auto j = json::parse(event.json);  // throws, failing the test, on invalid JSON
    ASSERT_TRUE(j["event_id"].is_string());
    EXPECT_TRUE(ids.insert(j["event_id"].get<std::string>()).second) << event.json;
    EXPECT_EQ(j["device_id"], world.devices[event.device].id);
    ASSERT_TRUE(parseTimestamp(j["ts"].get<std::string>(), 480).has_value()) << event.json;
    std::string kind = j["kind"];
    if (kind == "access") {
      EXPECT_TRUE(j["result"] == "granted" || j["result"] == "denied");
      EXPECT_TRUE(j["direction"] == "in" || j["direction"] == "out");
      EXPECT_TRUE(j.contains("method"));
      if (j.contains("person_id")) {
        int64_t estate = world.devices[event.device].estate_id;
        EXPECT_EQ(j["person_id"].get<int64_t>() / 1000, estate) << "a resident of the estate";
      }
    } else if (kind == "vehicle") {
      EXPECT_TRUE(j["plate"].get<std::string>().rfind("冀C", 0) == 0);
      EXPECT_TRUE(j.contains("confidence") && j.contains("result"));
    } else if (kind == "face_capture") {
      EXPECT_EQ(decodeEmbedding(j["embedding"].get<std::string>()).size(), 128u);
    } else if (kind == "alarm") {
      EXPECT_TRUE(j.contains("type"));
    } else {
      EXPECT_EQ(kind, "heartbeat");
    }
  }
}

TEST(SimGenerator, MorningTrafficMostlyLeavesAndEveningTrafficMostlyArrives) {
  World world = testWorld();
  EventGenerator generator(world, options(5));
  auto outShare = [&](int hour) {
    int out = 0, total = 0;
    for (int i = 0; i < 20000; ++i) {
      auto event = generator.next(kStart + hour * 3600000LL + i);
      if (event.kind != SimKind::kAccess || event.malformed || event.duplicate) continue;
      auto j = json::parse(event.json);
      ++total;
      out += j["direction"] == "out";
    }
    return static_cast<double>(out) / total;
  };
  EXPECT_GT(outShare(8), 0.7);
  EXPECT_LT(outShare(18), 0.3);
  EXPECT_NEAR(outShare(13), 0.5, 0.05);
}

TEST(SimGenerator, FaceEmbeddingsAreUnitVectorsStablePerPersonWithNoise) {
  World world = testWorld();
  EventGenerator generator(world, options(9));
  std::map<int64_t, std::vector<std::vector<float>>> captures;
  for (int i = 0; i < 20000; ++i) {
    auto event = generator.next(kStart + i);
    if (event.kind != SimKind::kFaceCapture || event.malformed || event.duplicate ||
        event.person_id == 0) {
      continue;
    }
    auto j = json::parse(event.json);
    auto v = decodeEmbedding(j["embedding"].get<std::string>());
    ASSERT_EQ(v.size(), 128u);
    double norm = 0;
    for (float x : v) norm += x * x;
    EXPECT_NEAR(norm, 1.0, 1e-4);
    captures[event.person_id].push_back(v);
  }
  int compared = 0;
  for (const auto& [person, list] : captures) {
    if (list.size() < 2) continue;
    double same = cosine(list[0], list[1]);
    EXPECT_GT(same, 0.9) << "person " << person;
    EXPECT_LT(same, 0.99999) << "captures carry noise";
    EXPECT_GT(cosine(list[0], personFace(person)), 0.9);
    ++compared;
  }
  EXPECT_GT(compared, 20);
  EXPECT_LT(cosine(personFace(1000), personFace(1001)), 0.5);
  EXPECT_EQ(personFace(1000), personFace(1000));
}

TEST(SimGenerator, ResendsAboutOnePercentAndSpoilsAboutHalfAPercent) {
  World world = testWorld();
  EventGenerator generator(world, options(11));
  std::set<std::string> seen;
  int duplicates = 0, malformed = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    auto event = generator.next(kStart + i);
    if (event.duplicate) {
      ++duplicates;
      EXPECT_TRUE(seen.count(event.json)) << "a duplicate repeats an event already sent";
      continue;
    }
    if (event.malformed) {
      ++malformed;
      auto j = json::parse(event.json, nullptr, false);
      bool no_kind = j.is_object() && !j.contains("kind");
      bool bad_ts = j.is_object() && j.contains("ts") &&
                    !parseTimestamp(j["ts"].get<std::string>(), 480).has_value();
      bool bad_embedding = j.is_object() && j.contains("embedding") &&
                           decodeEmbedding(j["embedding"].get<std::string>()).size() != 128;
      EXPECT_TRUE(no_kind || bad_ts || bad_embedding) << event.json;
      continue;
    }
    seen.insert(event.json);
  }
  EXPECT_NEAR(static_cast<double>(duplicates) / n, 0.01, 0.003);
  EXPECT_NEAR(static_cast<double>(malformed) / n, 0.005, 0.002);
}

TEST(SimGenerator, SignatureIsHmacOfTheExactBody) {
  ASSERT_TRUE(crypto::initialize());
  std::string body = "{\"event_id\":\"d1-1\"}\n";
  EXPECT_EQ(signBody("secret-1", body), crypto::hmacSha256Hex("secret-1", body));
  EXPECT_NE(signBody("secret-1", body), signBody("secret-1", body + " "));
  EXPECT_EQ(signBody("secret-1", body).size(), 64u);
}

TEST(SimGenerator, MakesAHundredThousandEventsASecondOnOneCore) {
  World world = testWorld();
  EventGenerator generator(world, options(13));
  const int n = 200000;
  std::size_t bytes = 0;
  auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) bytes += generator.next(kStart + i * 10).json.size();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  EXPECT_GT(bytes, 0u);
  // Recorded, not asserted: a debug build on a shared machine is no measure of speed.
  RecordProperty("events_per_second", std::to_string(static_cast<int64_t>(n / seconds)));
  std::cout << "[ generator ] " << static_cast<int64_t>(n / seconds) << " events/s" << std::endl;
}

}  // namespace
}  // namespace anju::sim
