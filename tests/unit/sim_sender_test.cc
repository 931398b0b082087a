// The simulator's sender against a small in-test HTTP server standing in for /api/v1/events.
#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "http/server.h"
#include "sim/simulator.h"

namespace anju::sim {
namespace {

using nlohmann::json;

constexpr int64_t kStart = 1795392000000;  // 2026-11-23T08:00:00+08:00

std::vector<std::string> lines(const std::string& body) {
  std::vector<std::string> out;
  std::istringstream in(body);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// Records every request; answers 429 to the first `throttle` of them, then accepts every line.
class FakeEvents {
 public:
  explicit FakeEvents(int throttle) : throttle_(throttle) {
    http::ServerOptions options;
    options.port = 0;
    options.io_threads = 1;
    options.worker_threads = 2;
    server_ = std::make_unique<http::Server>(
        options, [this](const http::Request& request) { return handle(request); });
    auto port = server_->start();
    if (port) url_ = "http://127.0.0.1:" + std::to_string(*port);
  }
  ~FakeEvents() { server_->stop(); }

  const std::string& url() const { return url_; }
  std::vector<http::Request> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  http::Response handle(const http::Request& request) {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (static_cast<int>(requests_.size()) <= throttle_) {
      return {429,
              "application/json",
              R"({"error":{"code":"rate_limited","message":"slow down"}})",
              {{"Retry-After", "1"}}};
    }
    auto n = lines(request.body).size();
    return {200,
            "application/json",
            json{{"accepted", n}, {"duplicates", 0}, {"rejected", json::array()}}.dump(),
            {}};
  }

  int throttle_;
  std::unique_ptr<http::Server> server_;
  std::string url_;
  std::mutex mutex_;
  std::vector<http::Request> requests_;
};

World signedWorld() {
  World world;
  world.estate_ids = {1};
  world.devices = {{.id = "door-1", .kind = "door", .estate_id = 1, .secret = "s3cret"}};
  world.persons = {{.id = 11, .estate_id = 1}, {.id = 12, .estate_id = 1}};
  return world;
}

TEST(SimSender, SignsEachDevicesNdjsonBatchAndResendsItAfter429) {
  ASSERT_TRUE(crypto::initialize());
  FakeEvents server(/*throttle=*/1);
  ASSERT_FALSE(server.url().empty());
  Simulator simulator(signedWorld(), {.target = server.url(),
                                      .rate = 40,
                                      .duration_s = 1,
                                      .seed = 5,
                                      .start_ms = kStart,
                                      .batch = 10,
                                      .connections = 1});
  std::atomic<bool> stop{false};
  auto report = simulator.run(stop);
  ASSERT_TRUE(report.isOk()) << report.status().message();

  auto requests = server.requests();
  ASSERT_GE(requests.size(), 3u);
  EXPECT_EQ(requests[0].body, requests[1].body) << "the throttled batch is sent again as it was";
  uint64_t events = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto& r = requests[i];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/api/v1/events");
    EXPECT_EQ(r.header("content-type"), "application/x-ndjson");
    EXPECT_EQ(r.header("x-anju-device"), "door-1");
    EXPECT_EQ(r.header("x-anju-signature"), crypto::hmacSha256Hex("s3cret", r.body));
    EXPECT_EQ(r.header("authorization"), "") << "a signed batch carries no token";
    ASSERT_FALSE(r.body.empty());
    EXPECT_EQ(r.body.back(), '\n');
    auto batch = lines(r.body);
    EXPECT_LE(batch.size(), 10u);
    for (const auto& line : batch) {
      auto j = json::parse(line, nullptr, false);
      ASSERT_TRUE(j.is_object()) << line;
      EXPECT_EQ(j["device_id"], "door-1");
    }
    if (i > 0) events += batch.size();
  }
  EXPECT_EQ(report->retries, 1u);
  EXPECT_EQ(report->sent, events);
  EXPECT_EQ(report->accepted, events);
  EXPECT_EQ(report->http_errors, 0u);
  EXPECT_GE(events, 20u);  // 40 a second for a second, less what the throttled second delayed
}

TEST(SimSender, UsesTheTokenAndMixesDevicesWhenSecretsAreUnknown) {
  FakeEvents server(/*throttle=*/0);
  World world;
  world.estate_ids = {1};
  for (int i = 1; i <= 5; ++i) {
    world.devices.push_back({.id = "d" + std::to_string(i), .kind = "door", .estate_id = 1});
  }
  world.persons = {{.id = 11, .estate_id = 1}};
  Simulator simulator(world, {.target = server.url(),
                              .token = "tok",
                              .rate = 200,
                              .duration_s = 1,
                              .seed = 5,
                              .start_ms = kStart,
                              .batch = 50,
                              .connections = 2});
  std::atomic<bool> stop{false};
  auto report = simulator.run(stop);
  ASSERT_TRUE(report.isOk()) << report.status().message();
  auto requests = server.requests();
  ASSERT_FALSE(requests.empty());
  std::set<std::string> devices_in_first;
  for (const auto& line : lines(requests[0].body)) {
    auto j = json::parse(line, nullptr, false);
    if (j.is_object()) devices_in_first.insert(j.value("device_id", ""));
  }
  EXPECT_GT(devices_in_first.size(), 1u);
  for (const auto& r : requests) {
    EXPECT_EQ(r.header("authorization"), "Bearer tok");
    EXPECT_EQ(r.header("x-anju-signature"), "");
  }
  EXPECT_EQ(report->accepted, report->sent);
  EXPECT_GT(report->sent, 100u);
}

TEST(SimSender, RefusesDevicesWithoutSecretWhenThereIsNoToken) {
  World world;
  world.estate_ids = {1};
  world.devices = {{.id = "d1", .kind = "door", .estate_id = 1}};
  Simulator simulator(world, {.target = "http://127.0.0.1:9", .duration_s = 1});
  std::atomic<bool> stop{false};
  EXPECT_FALSE(simulator.run(stop).isOk());
}

TEST(SimWorld, ParsesTargetUrls) {
  auto t = parseTarget("http://127.0.0.1:8080/");
  ASSERT_TRUE(t.isOk());
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 8080);
  EXPECT_EQ(parseTarget("http://example.org")->port, 80);
  EXPECT_FALSE(parseTarget("https://example.org").isOk());
  EXPECT_FALSE(parseTarget("http://h:99999").isOk());
}

}  // namespace
}  // namespace anju::sim
