// Hostile or careless input gets a clear 4xx naming the field, never a crash or a half-write.
#include <gtest/gtest.h>

#include "anju_server.h"

namespace anju::testing {
namespace {

using nlohmann::json;

class BadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new AnjuServer(tempDir(), {"--config", configFile()});
    token_ = server_->adminToken();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::string tempDir() {
    std::string pattern = "/tmp/anju-bad-input-XXXXXX";
    return mkdtemp(pattern.data());
  }
  // A small body limit, set through the config file as an operator would.
  static std::string configFile() {
    std::string path = "/tmp/anju-bad-input-" + std::to_string(getpid()) + ".toml";
    FILE* f = fopen(path.c_str(), "w");
    fputs("[server]\nbody_limit_bytes = 65536\n[api]\nmax_json_depth = 16\n", f);
    fclose(f);
    return path;
  }
  static int personCount() {
    auto r = server_->call("GET", "/api/v1/persons?limit=1000", token_);
    return static_cast<int>(r.body["items"].size());
  }
  static AnjuServer* server_;
  static std::string token_;
};
AnjuServer* BadInputTest::server_ = nullptr;
std::string BadInputTest::token_;

void expectError(const ApiResponse& r, int status, const std::string& field) {
  EXPECT_EQ(r.status, status) << r.raw;
  ASSERT_TRUE(r.body.is_object()) << r.raw;
  ASSERT_TRUE(r.body.contains("error")) << r.raw;
  EXPECT_FALSE(r.body["error"]["message"].get<std::string>().empty());
  EXPECT_FALSE(r.body["error"]["code"].get<std::string>().empty());
  if (!field.empty()) {
    EXPECT_EQ(r.body["error"]["field"], field) << r.raw;
  }
}

TEST_F(BadInputTest, MalformedJsonNamesTheBody) {
  expectError(
      server_->call("POST", "/api/v1/persons", token_, std::string("{\"name\": \"张三\", ")), 400,
      "body");
  expectError(server_->call("POST", "/api/v1/persons", token_, std::string("")), 400, "body");
  expectError(server_->call("POST", "/api/v1/persons", token_, std::string("[1,2]")), 400, "body");
}

TEST_F(BadInputTest, DeeplyNestedJsonIsRefused) {
  std::string deep = "{\"name\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
  expectError(server_->call("POST", "/api/v1/persons", token_, deep), 400, "body");
}

TEST_F(BadInputTest, InvalidUtf8IsRefused) {
  std::string body = "{\"name\": \"\xC3\x28\", \"category\": \"registered\"}";
  expectError(server_->call("POST", "/api/v1/persons", token_, body), 400, "body");
}

TEST_F(BadInputTest, WrongTypesNameTheField) {
  expectError(server_->call("POST", "/api/v1/persons", token_,
                            json{{"name", 42}, {"category", "registered"}}),
              400, "name");
  expectError(server_->call("POST", "/api/v1/persons", token_,
                            json{{"name", "张三"}, {"category", "martian"}}),
              400, "category");
  expectError(server_->call("POST", "/api/v1/persons", token_,
                            json{{"name", "张三"}, {"category", "registered"}, {"tags", "x"}}),
              400, "tags");
  expectError(server_->call("POST", "/api/v1/persons", token_,
                            json{{"name", "张三"}, {"category", "registered"}, {"estate_id", "1"}}),
              400, "estate_id");
  expectError(server_->call("POST", "/api/v1/buildings", token_,
                            json{{"name", "1号楼"}, {"estate_id", 1}, {"floors", 2.5}}),
              400, "floors");
  expectError(server_->call("POST", "/api/v1/persons", token_,
                            json{{"name", "张三"}, {"category", "registered"}, {"shoe_size", 42}}),
              400, "shoe_size");
  expectError(server_->call("POST", "/api/v1/persons", token_, json{{"category", "registered"}}),
              400, "name");
}

TEST_F(BadInputTest, UnknownReferencesAndIds) {
  expectError(
      server_->call("POST", "/api/v1/persons", token_,
                    json{{"name", "张三"}, {"category", "registered"}, {"estate_id", 999999}}),
      400, "estate_id");
  expectError(server_->call("GET", "/api/v1/persons/999999", token_), 404, "");
  expectError(server_->call("GET", "/api/v1/persons/abc", token_), 404, "");
  expectError(server_->call("PATCH", "/api/v1/persons/999999", token_, json{{"name", "x"}}), 404,
              "");
}

TEST_F(BadInputTest, OversizedBodiesAre413) {
  std::string big = "{\"name\": \"" + std::string(200000, 'a') + "\"}";
  auto r = server_->call("POST", "/api/v1/persons", token_, big);
  EXPECT_EQ(r.status, 413);
}

TEST_F(BadInputTest, SqlMetacharactersAreJustText) {
  int before = personCount();
  auto created =
      server_->call("POST", "/api/v1/persons", token_,
                    json{{"name", "Robert'); DROP TABLE persons;--"}, {"category", "visitor"}});
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body["name"], "Robert'); DROP TABLE persons;--");
  auto search = server_->call("GET", "/api/v1/persons?q=%27%20OR%201%3D1%20--", token_);
  ASSERT_EQ(search.status, 200);
  EXPECT_EQ(search.body["items"].size(), 0u);
  auto percent = server_->call("GET", "/api/v1/persons?q=%25", token_);
  EXPECT_EQ(percent.body["items"].size(), 0u);
  EXPECT_EQ(personCount(), before + 1);
}

TEST_F(BadInputTest, BadQueryParametersNameTheParameter) {
  expectError(server_->call("GET", "/api/v1/persons?limit=0", token_), 400, "limit");
  expectError(server_->call("GET", "/api/v1/persons?limit=many", token_), 400, "limit");
  expectError(server_->call("GET", "/api/v1/persons?cursor=zzz", token_), 400, "cursor");
  expectError(server_->call("GET", "/api/v1/persons?shoe_size=42", token_), 400, "shoe_size");
  expectError(server_->call("GET", "/api/v1/persons?estate_id=abc", token_), 400, "estate_id");
  expectError(server_->call("GET", "/api/v1/persons?q=%ZZ", token_), 400, "query");
}

TEST_F(BadInputTest, ARefusedWriteLeavesNothingBehind) {
  int before = personCount();
  // The tag list is valid up to its last element; the whole person must be refused.
  auto r = server_->call("POST", "/api/v1/persons", token_,
                         json{{"name", "半条"},
                              {"category", "registered"},
                              {"tags", {"elderly_alone", "no_such_tag"}}});
  expectError(r, 400, "tags");
  EXPECT_EQ(personCount(), before);
}

TEST_F(BadInputTest, TheServerKeepsServingAfterAllOfThat) {
  EXPECT_EQ(server_->call("GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace anju::testing
