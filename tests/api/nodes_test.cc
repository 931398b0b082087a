// Two `anju serve` nodes on one PostgreSQL database, as behind a load balancer: what is published
// through one reaches users connected to the other, a rule made on one is used by the other at
// once, a face stored through one is found by the other, and the timers run on exactly one node
// and move to the other when that node dies.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "anju_server.h"
#include "sse_client.h"
#include "support/postgres_server.h"

namespace anju::testing {
namespace {

using nlohmann::json;
using test_support::PostgresServer;

// Devices heartbeat every 2 s and are offline after 4 s of silence; a node that dies gives up the
// timers within 3 s.
constexpr const char* kConfig =
    "[store]\nlease_seconds = 3\n[devices]\nheartbeat_seconds = 2\noffline_after_missed = 2\n";

std::vector<float> face(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> g;
  std::vector<float> v(128);
  double s = 0;
  for (auto& x : v) {
    x = g(rng);
    s += double{x} * x;
  }
  for (auto& x : v) x = static_cast<float>(x / std::sqrt(s));
  return v;
}

// Waits for what another node does on its own threads; a guard against a hung test, not a
// measure of speed.
template <typename Done>
bool eventually(Done done, std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < give_up) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

class NodesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = PostgresServer::shared().createDatabase();
    for (auto* dir : {&dir_a_, &dir_b_}) {
      std::string pattern = (std::filesystem::temp_directory_path() / "anju-node-XXXXXX").string();
      ASSERT_NE(mkdtemp(pattern.data()), nullptr);
      *dir = pattern;
      std::ofstream(*dir + "/anju.toml") << kConfig;
    }
    // The first creates the schema and the admin; the second finds them.
    a_ = std::make_unique<AnjuServer>(dir_a_, std::vector<std::string>{"--db", url_});
    b_ = std::make_unique<AnjuServer>(dir_b_, std::vector<std::string>{"--db", url_});
    token_a_ = a_->adminToken();
    token_b_ = b_->adminToken();
    estate_ = post(*a_, token_a_, "/api/v1/estates", {{"name", "翠湖小区"}})["id"];
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    std::filesystem::remove_all(dir_a_);
    std::filesystem::remove_all(dir_b_);
  }

  static json post(AnjuServer& node, const std::string& token, const std::string& path,
                   const json& body) {
    auto r = node.call("POST", path, token, body);
    EXPECT_EQ(r.status, 201) << path << ": " << r.raw;
    return r.body;
  }
  static void ingest(AnjuServer& node, const std::string& token, const json& events) {
    auto r = node.call("POST", "/api/v1/events", token, events);
    ASSERT_EQ(r.status, 200) << r.raw;
  }
  void device(const std::string& id, const std::string& kind) {
    post(*a_, token_a_, "/api/v1/devices",
         {{"id", id}, {"name", id}, {"kind", kind}, {"estate_id", estate_}});
  }
  // The node holding the timers' lease, by the process id in its holder name.
  pid_t timersHolder() {
    pqxx::connection conn(url_);
    pqxx::nontransaction tx(conn);
    auto rows = tx.exec("SELECT holder FROM leases WHERE name = 'timers'");
    if (rows.empty()) return -1;
    const std::string holder = rows[0][0].c_str();
    for (AnjuServer* node : {a_.get(), b_.get()}) {
      if (node && holder.find(":" + std::to_string(node->pid()) + ":") != std::string::npos)
        return node->pid();
    }
    return -1;
  }
  // Offline transitions of `device` recorded so far.
  int offlineChanges(AnjuServer& node, const std::string& token, const std::string& device) {
    auto r = node.call("GET", "/api/v1/devices/status-changes?limit=1000", token);
    EXPECT_EQ(r.status, 200) << r.raw;
    int n = 0;
    for (const auto& c : r.body["items"])
      if (c["device_id"] == device && c["online"] == false) ++n;
    return n;
  }

  std::string url_, dir_a_, dir_b_;
  std::unique_ptr<AnjuServer> a_, b_;
  std::string token_a_, token_b_;
  json estate_;
};

TEST_F(NodesTest, AnAlertAndACaseFromOneNodeReachTheStreamOnTheOther) {
  // Signed in through one node, a user is signed in on every node.
  EXPECT_EQ(b_->call("GET", "/api/v1/alerts", token_a_).status, 200);
  device("smoke-1", "smoke");
  post(*a_, token_a_, "/api/v1/alert-rules",
       {{"name", "烟感报警"}, {"kind", "alarm"}, {"params", {{"types", {"smoke"}}}}});
  SseClient on_b(b_->port(), token_b_, {}, "?types=alert,case");
  ASSERT_TRUE(on_b.ready());

  ingest(*a_, token_a_,
         json::array({{{"device_id", "smoke-1"},
                       {"event_id", "s-1"},
                       {"ts", "2026-11-30T21:15:00+08:00"},
                       {"kind", "alarm"},
                       {"type", "smoke"}}}));
  auto [alert_id, alert] = on_b.next("alert");
  ASSERT_FALSE(alert_id.empty());
  EXPECT_EQ(alert["subject"]["device_id"], "smoke-1");

  json created = post(*a_, token_a_, "/api/v1/cases",
                      {{"channel", "hotline"},
                       {"category", "environment"},
                       {"description", "3号楼楼道堆放杂物"},
                       {"estate_id", estate_}});
  auto [case_id, pushed] = on_b.next("case");
  ASSERT_FALSE(case_id.empty());
  EXPECT_EQ(pushed["id"], created["id"]);
  // The same notice ids on both nodes, so a client moved to the other node resumes without gaps.
  EXPECT_GT(std::stoll(case_id), std::stoll(alert_id));
}

TEST_F(NodesTest, ARuleMadeOnOneNodeIsUsedByTheOtherWithoutWaitingForItsRefresh) {
  device("alarm-2", "smoke");
  auto alarm = [](const std::string& id, const std::string& type) {
    return json::array({{{"device_id", "alarm-2"},
                         {"event_id", id},
                         {"ts", "2026-11-30T21:15:00+08:00"},
                         {"kind", "alarm"},
                         {"type", type}}});
  };
  auto alerts = [&] {
    auto r = a_->call("GET", "/api/v1/alerts?kind=alarm", token_a_);
    return r.status == 200 ? r.body["items"].size() : 0u;
  };
  // Node A's engine has read the rules and the estate: a gas alarm raises the gas rule's alert.
  post(*a_, token_a_, "/api/v1/alert-rules",
       {{"name", "燃气报警"}, {"kind", "alarm"}, {"params", {{"types", {"gas"}}}}});
  ingest(*a_, token_a_, alarm("gas-1", "gas"));
  ASSERT_TRUE(eventually([&] { return alerts() == 1; }));

  post(*b_, token_b_, "/api/v1/alert-rules",
       {{"name", "烟感报警"}, {"kind", "alarm"}, {"params", {{"types", {"smoke"}}}}});
  // Smoke alarms keep coming in through A; without the news from B its engine would read the
  // rules again only after a minute.
  int n = 0;
  EXPECT_TRUE(eventually(
      [&] {
        ingest(*a_, token_a_, alarm("smoke-" + std::to_string(n++), "smoke"));
        return alerts() == 2;
      },
      std::chrono::seconds(20)));
}

TEST_F(NodesTest, AFaceStoredThroughOneNodeIsFoundThroughTheOther) {
  device("face-1", "face_camera");
  const auto stranger = face(7);
  // A day no node has stored anything for yet: node B learns of its table from node A.
  ingest(*a_, token_a_,
         json::array({{{"device_id", "face-1"},
                       {"event_id", "capture-1"},
                       {"ts", "2026-10-02T09:00:00+08:00"},
                       {"kind", "face_capture"},
                       {"embedding", stranger}},
                      {{"device_id", "face-1"},
                       {"event_id", "capture-2"},
                       {"ts", "2026-10-02T09:01:00+08:00"},
                       {"kind", "face_capture"},
                       {"embedding", face(8)}}}));
  json found;
  EXPECT_TRUE(eventually([&] {
    auto r = b_->call("POST", "/api/v1/faces/search", token_b_,
                      json{{"embedding", stranger}, {"k", 1}, {"purpose", "寻找走失老人"}});
    if (r.status != 200 || r.body["items"].empty()) return false;
    found = r.body["items"][0];
    return true;
  })) << "node B's index never held the capture stored through node A";
  EXPECT_EQ(found["event_id"], "capture-1");
  EXPECT_GT(found["similarity"].get<double>(), 0.99);
}

TEST_F(NodesTest, ASilentDeviceGoesOfflineOnceAndTheTimersMoveWhenTheirNodeDies) {
  device("door-1", "door");
  ASSERT_TRUE(eventually([&] { return timersHolder() > 0; }));
  // The device talks to the node without the timers: the other still sees it, and only it records.
  AnjuServer& quiet = timersHolder() == a_->pid() ? *b_ : *a_;
  const std::string quiet_token = &quiet == a_.get() ? token_a_ : token_b_;
  ingest(quiet, quiet_token,
         json::array({{{"device_id", "door-1"},
                       {"event_id", "hb-1"},
                       {"ts", "2026-11-30T21:00:00+08:00"},
                       {"kind", "heartbeat"}}}));
  ASSERT_TRUE(eventually([&] { return offlineChanges(quiet, quiet_token, "door-1") >= 1; }));
  // Both nodes sweep every second; give a second recorder time to show itself.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(offlineChanges(quiet, quiet_token, "door-1"), 1);

  // The node with the timers dies; the other takes them over once the lease runs out.
  AnjuServer& holder = &quiet == a_.get() ? *b_ : *a_;
  holder.kill();
  ASSERT_TRUE(eventually([&] { return timersHolder() == quiet.pid(); }));
  ingest(quiet, quiet_token,
         json::array({{{"device_id", "door-1"},
                       {"event_id", "hb-2"},
                       {"ts", "2026-11-30T21:05:00+08:00"},
                       {"kind", "heartbeat"}}}));
  EXPECT_TRUE(eventually([&] { return offlineChanges(quiet, quiet_token, "door-1") == 2; }));
}

}  // namespace
}  // namespace anju::testing
