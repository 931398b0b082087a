// What operators look at on the running server: retention's dry run and the Prometheus metrics.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "anju_server.h"
#include "common/clock.h"
#include "common/crypto.h"

namespace anju::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The value of one sample line (`name{labels} value`), or -1 when the series is absent.
double metric(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

std::string tempDir() {
  auto dir = fs::temp_directory_path() / ("anju-ops-" + crypto::randomHex(4));
  fs::create_directories(dir);
  return dir.string();
}

struct Device {
  std::string id, secret;
};

Device addDevice(AnjuServer& server, const std::string& token) {
  auto estate = server.call("POST", "/api/v1/estates", token, json{{"name", "金色家园"}});
  EXPECT_EQ(estate.status, 201) << estate.raw;
  auto device = server.call(
      "POST", "/api/v1/devices", token,
      json{{"id", "gate-a"}, {"name", "东门"}, {"kind", "door"}, {"estate_id", estate.body["id"]}});
  EXPECT_EQ(device.status, 201) << device.raw;
  return {"gate-a", device.body["secret"]};
}

ApiResponse sendEvents(AnjuServer& server, const Device& d, const std::vector<json>& events) {
  std::string body;
  for (const auto& e : events) body += e.dump() + "\n";
  return server.request(
      "POST", "/api/v1/events",
      {{"X-Anju-Device", d.id}, {"X-Anju-Signature", crypto::hmacSha256Hex(d.secret, body)}}, body,
      "application/x-ndjson");
}

TEST(Retention, TheDryRunShowsWhatWouldGoAndOnlyToWholeInstallationAdmins) {
  crypto::initialize();
  const std::string dir = tempDir();
  std::ofstream(fs::path(dir) / "anju.toml") << "[retention]\nevents = 30\naudit = 365\n";
  {
    AnjuServer server(dir);
    const std::string token = server.adminToken();
    Device gate = addDevice(server, token);
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const int64_t day = 86'400'000;
    auto sent = sendEvents(
        server, gate,
        {{{"event_id", "old-1"},
          {"ts", formatTimestamp(now - 40 * day, 480)},
          {"kind", "heartbeat"}},
         {{"event_id", "old-2"},
          {"ts", formatTimestamp(now - 39 * day, 480)},
          {"kind", "heartbeat"}},
         {{"event_id", "new-1"}, {"ts", formatTimestamp(now - day, 480)}, {"kind", "heartbeat"}}});
    ASSERT_EQ(sent.status, 200) << sent.raw;
    ASSERT_EQ(sent.body["accepted"], 3);

    auto plan = server.call("GET", "/api/v1/admin/retention", token);
    ASSERT_EQ(plan.status, 200) << plan.raw;
    EXPECT_EQ(plan.body["settings"]["events"], 30);
    EXPECT_EQ(plan.body["settings"]["captures"], 0);
    EXPECT_EQ(plan.body["events"]["count"], 2);
    EXPECT_EQ(plan.body["events"]["first"], formatTimestamp(now - 40 * day, 480));
    EXPECT_EQ(plan.body["audit"]["count"], 0);
    EXPECT_EQ(plan.body["captures"]["days"], 0);
    // A dry run: asked again, the same is still there.
    EXPECT_EQ(server.call("GET", "/api/v1/admin/retention", token).body["events"]["count"], 2);

    auto city = server.call("POST", "/api/v1/regions", token,
                            json{{"name", "秦皇岛市"}, {"level", "city"}});
    for (auto [name, roles] :
         {std::pair{"cop", json{"police"}}, std::pair{"local", json{"admin"}}}) {
      auto user = server.call("POST", "/api/v1/users", token,
                              json{{"username", name},
                                   {"password", "a-long-password"},
                                   {"roles", roles},
                                   {"region_id", city.body["id"]}});
      ASSERT_EQ(user.status, 201) << user.raw;
      auto refused =
          server.call("GET", "/api/v1/admin/retention", server.login(name, "a-long-password"));
      EXPECT_EQ(refused.status, 403) << name << ": " << refused.raw;
    }
    EXPECT_EQ(server.call("GET", "/api/v1/admin/retention").status, 401);
    server.stop();
  }
  auto [code, output] = AnjuServer::runCli({"retention", "--dry-run", "--data", dir});
  EXPECT_EQ(code, 0) << output;
  auto printed = json::parse(output.substr(output.find('{')));
  EXPECT_EQ(printed["events"]["count"], 2);
  auto [refused, refused_out] = AnjuServer::runCli({"retention", "--data", dir});
  EXPECT_EQ(refused, 2) << refused_out;
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST(Metrics, CountersMoveWithRequestsAndEvents) {
  crypto::initialize();
  AnjuServer server;
  const std::string token = server.adminToken();
  Device gate = addDevice(server, token);

  auto first = server.call("GET", "/metrics");
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(first.raw.find("# TYPE anju_http_requests_total counter"), std::string::npos);
  const std::string persons_ok =
      "anju_http_requests_total{route=\"GET /api/v1/persons\",status=\"2xx\"}";
  const double persons_before = std::max(0.0, metric(first.raw, persons_ok));
  const double stored_before = metric(first.raw, "anju_events_stored_total");
  EXPECT_GE(stored_before, 0);
  EXPECT_EQ(metric(first.raw, "anju_devices{state=\"offline\"}") +
                metric(first.raw, "anju_devices{state=\"online\"}"),
            1);

  for (int i = 0; i < 3; ++i) ASSERT_EQ(server.call("GET", "/api/v1/persons", token).status, 200);
  EXPECT_EQ(server.call("GET", "/api/v1/persons/999999", token).status, 404);
  // Outside /api an unknown path is the console's (its page); inside, the API's own 404.
  EXPECT_EQ(server.call("GET", "/api/v1/no/such/path").status, 404);
  auto sent = sendEvents(
      server, gate,
      {{{"event_id", "m-1"}, {"ts", "2026-11-20T08:00:00+08:00"}, {"kind", "heartbeat"}},
       {{"event_id", "m-2"}, {"ts", "2026-11-20T08:00:01+08:00"}, {"kind", "heartbeat"}}});
  ASSERT_EQ(sent.status, 200) << sent.raw;

  auto second = server.call("GET", "/metrics");
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(metric(second.raw, persons_ok), persons_before + 3);
  EXPECT_EQ(metric(second.raw,
                   "anju_http_requests_total{route=\"GET /api/v1/persons/{id}\",status=\"4xx\"}"),
            1);
  EXPECT_EQ(metric(second.raw, "anju_http_requests_total{route=\"unmatched\",status=\"4xx\"}"), 1);
  EXPECT_EQ(metric(second.raw, "anju_events_stored_total"), stored_before + 2);
  EXPECT_GE(metric(second.raw, "anju_event_commits_total"), 1);
  EXPECT_GE(metric(second.raw, "anju_event_commit_events_count"), 1);
  EXPECT_EQ(metric(second.raw, "anju_devices{state=\"online\"}"), 1);
  EXPECT_GE(metric(second.raw, "anju_event_queue_events"), 0);
  EXPECT_GE(metric(second.raw, "anju_alert_queue_events"), 0);
  EXPECT_GE(metric(second.raw, "anju_face_index_captures"), 0);
  const std::string bucket =
      "anju_http_request_duration_seconds_bucket{route=\"GET /api/v1/persons\",le=\"+Inf\"}";
  EXPECT_EQ(metric(second.raw, bucket), persons_before + 3);
  // Every line is a comment or a sample: name, optional labels, a number.
  const std::regex line_form(R"(^(# (HELP|TYPE) .*|[a-z_]+(\{.*\})? [-+0-9.eInf]+)$)");
  std::istringstream lines(second.raw);
  for (std::string line; std::getline(lines, line);)
    EXPECT_TRUE(std::regex_match(line, line_form)) << line;
}

// Behind nginx every connection comes from loopback; /metrics must then judge the client nginx
// names, and only when the operator has said nginx is a proxy to believe.
TEST(Metrics, BehindATrustedProxyTheForwardedClientNeedsAnAdminToken) {
  crypto::initialize();
  const std::string dir = tempDir();
  std::ofstream(dir + "/anju.toml") << "[server]\ntrusted_proxies = [\"127.0.0.1\", \"::1\"]\n";
  {
    AnjuServer server(dir, {});
    const std::string token = server.adminToken();
    const std::vector<std::pair<std::string, std::string>> from_afar = {
        {"X-Forwarded-For", "198.51.100.7"}};
    EXPECT_EQ(server.request("GET", "/metrics", from_afar, "").status, 401);
    // The client cannot pass for loopback by writing it into the header itself: nginx appends.
    EXPECT_EQ(
        server.request("GET", "/metrics", {{"X-Forwarded-For", "127.0.0.1, 198.51.100.7"}}, "")
            .status,
        401);
    auto with_token = from_afar;
    with_token.emplace_back("Authorization", "Bearer " + token);
    EXPECT_EQ(server.request("GET", "/metrics", with_token, "").status, 200);
    // nginx's own requests (no header) are loopback's.
    EXPECT_EQ(server.call("GET", "/metrics").status, 200);
    server.stop();
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST(Metrics, WithoutTrustedProxiesTheForwardedHeaderIsIgnored) {
  AnjuServer server;
  auto claimed = server.request("GET", "/metrics", {{"X-Forwarded-For", "198.51.100.7"}}, "");
  EXPECT_EQ(claimed.status, 200) << "the connection is loopback's whatever the header says";
}

}  // namespace
}  // namespace anju::testing
