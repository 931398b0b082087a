// What the resilience tests share: a data folder that outlives one server, a door that signs its
// events, every stored event id of a device read back through the API, and the switch for the
// long runs.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "anju_server.h"

namespace anju::testing {

// ANJU_LONG_TESTS=1 makes the resilience tests run more rounds with more events each.
inline bool longTests() {
  const char* v = std::getenv("ANJU_LONG_TESTS");
  return v && std::string(v) == "1";
}

inline std::string durableTempDir(const std::string& prefix = "anju-durable") {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

struct Device {
  std::string id;
  std::string secret;
};

// An estate with one door; returns the door and its secret.
inline Device setUpDoor(AnjuServer& server, const std::string& token, const std::string& id) {
  auto estate = server.call("POST", "/api/v1/estates", token, nlohmann::json{{"name", "翠湖小区"}});
  EXPECT_EQ(estate.status, 201) << estate.raw;
  auto door = server.call(
      "POST", "/api/v1/devices", token,
      nlohmann::json{
          {"id", id}, {"name", "1号门"}, {"kind", "door"}, {"estate_id", estate.body["id"]}});
  EXPECT_EQ(door.status, 201) << door.raw;
  return {id, door.body.value("secret", "")};
}

// How many times each event id of `device` is stored (more than once would be a duplicate).
inline std::map<std::string, int> storedIdCounts(AnjuServer& server, const std::string& token,
                                                 const std::string& device) {
  std::map<std::string, int> ids;
  std::string cursor;
  for (;;) {
    auto page = server.call("GET",
                            "/api/v1/events?device_id=" + device + "&limit=1000" +
                                (cursor.empty() ? "" : "&cursor=" + cursor),
                            token);
    EXPECT_EQ(page.status, 200) << page.raw;
    if (page.status != 200) return ids;
    for (const auto& e : page.body["items"]) ++ids[e["event_id"].get<std::string>()];
    if (!page.body["next"].is_string()) return ids;
    cursor = page.body["next"];
  }
}

// How many of the `acknowledged` event ids are not `stored`.
inline std::size_t missingOf(const std::set<std::string>& acknowledged,
                             const std::map<std::string, int>& stored) {
  std::size_t missing = 0;
  for (const auto& id : acknowledged) missing += stored.count(id) ? 0 : 1;
  return missing;
}

// A JSON event a door sends; `ts` in the estate's zone.
inline std::string accessEvent(const std::string& event_id,
                               const std::string& ts = "2026-11-20T08:00:00+08:00") {
  return R"({"event_id":")" + event_id + R"(","ts":")" + ts +
         R"(","kind":"access","method":"card","result":"granted"})";
}

}  // namespace anju::testing
