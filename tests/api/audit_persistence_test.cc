// Who read what is recorded and cannot be quietly changed; what was stored survives a restart.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "anju_server.h"

namespace anju::testing {
namespace {

using nlohmann::json;

TEST(Audit, ReadingAPersonIsRecordedWithWhoWhereAndWhy) {
  AnjuServer server;
  std::string token = server.adminToken();
  auto person = server.call("POST", "/api/v1/persons", token,
                            json{{"name", "陈静"}, {"category", "registered"}});
  std::string id = person.body["id"].dump();
  ASSERT_EQ(
      server
          .call("GET", "/api/v1/persons/" + id + "?purpose=%E5%85%A5%E6%88%B7%E8%B5%B0%E8%AE%BF",
                token)
          .status,
      200);
  auto audit = server.call("GET", "/api/v1/audit?object=persons&user=admin", token);
  ASSERT_EQ(audit.status, 200);
  ASSERT_FALSE(audit.body["items"].empty());
  const auto& newest = audit.body["items"][0];
  EXPECT_EQ(newest["action"], "read");
  EXPECT_EQ(newest["object_id"], id);
  EXPECT_EQ(newest["purpose"], "入户走访");
  EXPECT_EQ(newest["address"], "127.0.0.1");
  EXPECT_EQ(newest["user"], "admin");
  EXPECT_NE(newest["ts"].get<std::string>().find("+08:00"), std::string::npos);
}

TEST(Audit, ListsFilterByActionSoATrajectorySearchCanBeFound) {
  AnjuServer server;
  std::string token = server.adminToken();
  auto person = server.call("POST", "/api/v1/persons", token,
                            json{{"name", "王芳"}, {"category", "registered"}});
  std::string id = person.body["id"].dump();
  ASSERT_EQ(server.call("GET", "/api/v1/persons/" + id + "?purpose=check", token).status, 200);
  ASSERT_EQ(
      server.call("GET", "/api/v1/trajectory?person_id=" + id + "&purpose=find", token).status,
      200);
  auto audit = server.call("GET", "/api/v1/audit?action=trajectory&user=admin", token);
  ASSERT_EQ(audit.status, 200) << audit.raw;
  ASSERT_EQ(audit.body["items"].size(), 1u) << audit.raw;
  EXPECT_EQ(audit.body["items"][0]["object_id"], id);
  EXPECT_EQ(audit.body["items"][0]["purpose"], "find");
}

TEST(Audit, ListsFilterByTimeAndTheChainVerifies) {
  AnjuServer server;
  std::string token = server.adminToken();
  server.call("GET", "/api/v1/persons", token);
  auto future = server.call("GET", "/api/v1/audit?from=2999-01-01", token);
  ASSERT_EQ(future.status, 200);
  EXPECT_TRUE(future.body["items"].empty());
  auto bad = server.call("GET", "/api/v1/audit?from=yesterday", token);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["field"], "from");
  server.stop();
  auto [code, output] = AnjuServer::runCli({"audit", "verify", server.dataDir()});
  EXPECT_EQ(code, 0) << output;
  EXPECT_NE(output.find("hash chain intact"), std::string::npos) << output;
}

TEST(Audit, VerifyFindsARecordEditedBehindTheServersBack) {
  AnjuServer server;
  std::string token = server.adminToken();
  for (int i = 0; i < 3; ++i) server.call("GET", "/api/v1/persons?purpose=check", token);
  server.stop();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((server.dataDir() + "/anju.db").c_str(), &db), SQLITE_OK);
  // Someone hides what they searched for.
  ASSERT_EQ(sqlite3_exec(db, "UPDATE audit SET purpose = 'nothing to see' WHERE id = 2", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto [code, output] = AnjuServer::runCli({"audit", "verify", server.dataDir()});
  EXPECT_EQ(code, 3) << output;
  EXPECT_NE(output.find("record 2 was changed"), std::string::npos) << output;
}

TEST(Persistence, EverythingStoredSurvivesARestart) {
  AnjuServer first;
  std::string token = first.adminToken();
  auto estate = first.call("POST", "/api/v1/estates", token,
                           json{{"name", "建设里小区"}, {"closure", "open"}});
  ASSERT_EQ(estate.status, 201);
  auto person = first.call("POST", "/api/v1/persons", token,
                           json{{"name", "刘洋"},
                                {"category", "registered"},
                                {"estate_id", estate.body["id"]},
                                {"tags", {"veteran"}}});
  ASSERT_EQ(person.status, 201);
  EXPECT_EQ(first.stop(), 0);

  AnjuServer second(first.dataDir());
  std::string token2 = second.adminToken();
  auto read = second.call("GET", "/api/v1/persons/" + person.body["id"].dump(), token2);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.body["name"], "刘洋");
  EXPECT_EQ(read.body["tags"], json::array({"veteran"}));
  // A token issued before the restart is still good until it expires.
  EXPECT_EQ(second.call("GET", "/api/v1/auth/me", token).status, 200);
}

TEST(CommandLine, UserAddPasswdAndListWorkOnTheDataFolder) {
  AnjuServer server;
  server.stop();
  const auto& dir = server.dataDir();
  auto [added, out1] = AnjuServer::runCli(
      {"user", "add", "grid01", "--role", "grid_worker", "--data", dir}, "grid-pass-01\n");
  EXPECT_EQ(added, 0) << out1;
  auto [changed, out2] =
      AnjuServer::runCli({"user", "passwd", "grid01", "--data", dir}, "grid-pass-02\n");
  EXPECT_EQ(changed, 0) << out2;
  auto [listed, out3] = AnjuServer::runCli({"user", "list", "--data", dir});
  EXPECT_EQ(listed, 0);
  EXPECT_NE(out3.find("grid01"), std::string::npos);
  EXPECT_NE(out3.find("grid_worker"), std::string::npos);
  EXPECT_EQ(out3.find("grid-pass"), std::string::npos);
  server.start();
  EXPECT_FALSE(server.login("grid01", "grid-pass-02").empty());
}

}  // namespace
}  // namespace anju::testing
