// The whole server on PostgreSQL (`anju serve --db postgresql://…`), against a real PostgreSQL 15
// started for the test: the registry, event ingestion and trajectories on one database; every
// acknowledged event still there after the server is killed; and the database server stopped and
// started again under load, with requests answered 503 meanwhile and served again by themselves
// after, nothing acknowledged lost.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "anju_server.h"
#include "common/crypto.h"
#include "durability_support.h"
#include "http/client.h"
#include "support/mosquitto_broker.h"
#include "support/postgres_server.h"

namespace anju::testing {
namespace {

using nlohmann::json;
using test_support::PostgresServer;

// A batch of `n` access events of `person` named PREFIX-0 ... PREFIX-(n-1).
std::string batch(const std::string& prefix, int n, const json& person,
                  const std::string& ts = "2026-11-20T08:00:00+08:00") {
  std::string body;
  for (int i = 0; i < n; ++i) {
    body += R"({"event_id":")" + prefix + "-" + std::to_string(i) + R"(","ts":")" + ts +
            R"(","kind":"access","method":"card","result":"granted","person_id":)" + person.dump() +
            "}\n";
  }
  return body;
}

class PostgresServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::initialize();
    std::string pattern = (std::filesystem::temp_directory_path() / "anju-pg-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    url_ = pg_.createDatabase();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<AnjuServer> serve() {
    return std::make_unique<AnjuServer>(dir_, std::vector<std::string>{"--db", url_});
  }

  struct Door {
    std::string id, secret;
    json estate, person;
  };
  static Door setUp(AnjuServer& server, const std::string& token) {
    Door door;
    door.estate =
        server.call("POST", "/api/v1/estates", token, json{{"name", "翠湖小区"}}).body["id"];
    door.person = server
                      .call("POST", "/api/v1/persons", token,
                            json{{"name", "王建国"}, {"category", "registered"}})
                      .body["id"];
    auto device = server.call(
        "POST", "/api/v1/devices", token,
        json{{"id", "door-pg"}, {"name", "1号门"}, {"kind", "door"}, {"estate_id", door.estate}});
    EXPECT_EQ(device.status, 201) << device.raw;
    door.id = "door-pg";
    door.secret = device.body.value("secret", "");
    return door;
  }

  PostgresServer pg_;
  std::string dir_, url_;
};

TEST_F(PostgresServeTest, RegistryEventsAndTrajectoriesLiveInPostgres) {
  auto server = serve();
  const std::string token = server->adminToken();
  Door door = setUp(*server, token);
  auto duplicate = server->call(
      "POST", "/api/v1/devices", token,
      json{{"id", "door-pg"}, {"name", "again"}, {"kind", "door"}, {"estate_id", door.estate}});
  EXPECT_EQ(duplicate.status, 409) << duplicate.raw;

  std::string body = batch("day1", 3, door.person, "2026-11-01T08:00:00+08:00") +
                     batch("day2", 2, door.person, "2026-11-02T09:30:00+08:00");
  auto sign = [&](const std::string& b) {
    return server->request(
        "POST", "/api/v1/events",
        {{"X-Anju-Device", door.id}, {"X-Anju-Signature", crypto::hmacSha256Hex(door.secret, b)}},
        b, "application/x-ndjson");
  };
  auto first = sign(body);
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body["accepted"], 5);
  auto again = sign(body);
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.body["accepted"], 0);
  EXPECT_EQ(again.body["duplicates"], 5);

  auto trajectory = server->call("GET",
                                 "/api/v1/trajectory?person_id=" + door.person.dump() +
                                     "&from=2026-11-01&to=2026-11-03&purpose=走访核查",
                                 token);
  ASSERT_EQ(trajectory.status, 200) << trajectory.raw;
  ASSERT_EQ(trajectory.body["items"].size(), 5u);
  EXPECT_EQ(trajectory.body["items"][0]["ts"], "2026-11-01T08:00:00.000+08:00");
  EXPECT_EQ(trajectory.body["items"][4]["ts"], "2026-11-02T09:30:00.000+08:00");

  // The audit recorded the trajectory search, and the registry reads back after a restart.
  auto audit = server->call("GET", "/api/v1/audit?action=trajectory", token);
  ASSERT_EQ(audit.status, 200) << audit.raw;
  EXPECT_FALSE(audit.body["items"].empty()) << audit.raw;
  server->stop();
  server = serve();
  const std::string again_token = server->adminToken();
  EXPECT_EQ(storedIdCounts(*server, again_token, door.id).size(), 5u);
  auto person = server->call("GET", "/api/v1/persons/" + door.person.dump(), again_token);
  EXPECT_EQ(person.status, 200) << person.raw;
}

TEST_F(PostgresServeTest, BackupPointsToPgDump) {
  auto [code, output] =
      AnjuServer::runCli({"backup", "--db", url_, "--data", dir_, "--out", dir_ + "/b"});
  EXPECT_NE(code, 0);
  EXPECT_NE(output.find("pg_dump"), std::string::npos) << output;
}

// Sends batches of events until told to stop, remembering which were acknowledged and how the
// others were answered.
struct Sender {
  Sender(uint16_t port, std::string device, std::string secret, json person, int first = 0)
      : next(first), thread([this, port, device, secret, person] {
          http::Client client("127.0.0.1", port);
          while (!done) {
            const std::string prefix = "b" + std::to_string(next++);
            const std::string body = batch(prefix, 100, person);
            auto r = client.request("POST", "/api/v1/events", body,
                                    {{"X-Anju-Device", device},
                                     {"X-Anju-Signature", crypto::hmacSha256Hex(secret, body)}},
                                    "application/x-ndjson");
            if (!r) return;  // the server is gone
            std::lock_guard lock(mutex);
            if (r->status == 200) {
              for (int i = 0; i < 100; ++i) acked.insert(prefix + "-" + std::to_string(i));
              ++answered;
            } else {
              statuses.insert(r->status);
              ++refused;
            }
          }
        }) {}
  ~Sender() { finish(); }
  void finish() {
    done = true;
    if (thread.joinable()) thread.join();
  }

  std::atomic<bool> done{false};
  std::atomic<int> next{0}, answered{0}, refused{0};
  std::mutex mutex;
  std::set<std::string> acked;  // GUARDED_BY(mutex)
  std::set<int> statuses;       // GUARDED_BY(mutex)
  std::thread thread;
};

TEST_F(PostgresServeTest, EveryAcknowledgedEventSurvivesAKillDuringIngestion) {
  std::set<std::string> acknowledged;
  Door door;
  int first_batch = 0;
  for (int round = 0; round < 3; ++round) {
    auto server = serve();
    const std::string token = server->adminToken();
    if (round == 0) door = setUp(*server, token);
    auto before = storedIdCounts(*server, token, door.id);
    for (const auto& id : acknowledged) ASSERT_TRUE(before.count(id)) << "lost " << id;
    Sender sender(server->port(), door.id, door.secret, door.person, first_batch);
    ASSERT_TRUE(test_support::eventually([&] { return sender.answered >= 10; }));
    server->kill();  // mid-stream: the sender is always between a request and its answer
    sender.finish();
    first_batch = sender.next;
    acknowledged.insert(sender.acked.begin(), sender.acked.end());
  }
  auto server = serve();
  auto stored = storedIdCounts(*server, server->adminToken(), door.id);
  EXPECT_EQ(missingOf(acknowledged, stored), 0u)
      << "of " << acknowledged.size() << " acknowledged events";
  EXPECT_GE(acknowledged.size(), 30u * 100u);
}

TEST_F(PostgresServeTest, ADatabaseRestartUnderLoadAnswers503ThenRecoversLosingNothing) {
  auto server = serve();
  const std::string token = server->adminToken();
  Door door = setUp(*server, token);
  Sender sender(server->port(), door.id, door.secret, door.person);
  ASSERT_TRUE(test_support::eventually([&] { return sender.answered >= 5; }));

  pg_.stop();
  ASSERT_TRUE(test_support::eventually([&] { return sender.refused >= 3; }));
  auto read = server->call("GET", "/api/v1/persons/" + door.person.dump(), token);
  EXPECT_EQ(read.status, 503) << read.raw;
  pg_.start();
  const int answered_before = sender.answered;
  ASSERT_TRUE(test_support::eventually([&] { return sender.answered >= answered_before + 5; }))
      << "ingestion did not recover by itself";
  sender.finish();
  {
    std::lock_guard lock(sender.mutex);
    EXPECT_EQ(sender.statuses, std::set<int>{503});
  }
  auto stored = storedIdCounts(*server, token, door.id);
  EXPECT_EQ(missingOf(sender.acked, stored), 0u)
      << "of " << sender.acked.size() << " acknowledged events";
  auto person = server->call("GET", "/api/v1/persons/" + door.person.dump(), token);
  EXPECT_EQ(person.status, 200) << person.raw;
}

}  // namespace
}  // namespace anju::testing
