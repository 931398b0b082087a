// The console and the portal beside the API on the real server: pages, assets, client-side
// routes, and the API's own answers left as they were.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "anju_server.h"

namespace anju::testing {
namespace {

namespace fs = std::filesystem;

// A built site and a data folder whose anju.toml points `[web] root` at it.
class WebConsoleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = (fs::temp_directory_path() / "anju-web-api-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = new fs::path(pattern);
    const fs::path site = *dir_ / "site";
    fs::create_directories(site / "m");
    fs::create_directories(site / "assets");
    fs::create_directories(*dir_ / "data");
    std::ofstream(site / "index.html") << "<title>console</title>";
    std::ofstream(site / "m" / "index.html") << "<title>portal</title>";
    std::ofstream(site / "assets" / "console-1a2b3c.js") << "export {}";
    std::ofstream(*dir_ / "data" / "anju.toml") << "[web]\nroot = \"" << site.string() << "\"\n";
    server_ = new AnjuServer((*dir_ / "data").string());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    std::error_code ignored;
    fs::remove_all(*dir_, ignored);
    delete dir_;
  }
  static AnjuServer* server_;
  static fs::path* dir_;
};
AnjuServer* WebConsoleTest::server_ = nullptr;
fs::path* WebConsoleTest::dir_ = nullptr;

TEST_F(WebConsoleTest, ServesTheConsoleAtTheRootAndAtItsOwnRoutes) {
  for (const char* target : {"/", "/cases/12", "/alerts?open=true"}) {
    auto r = server_->call("GET", target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.raw, "<title>console</title>") << target;
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8") << target;
    EXPECT_EQ(r.header("cache-control"), "no-cache") << target;
  }
}

TEST_F(WebConsoleTest, ServesThePortalUnderM) {
  for (const char* target : {"/m", "/m/passes"}) {
    auto r = server_->call("GET", target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.raw, "<title>portal</title>") << target;
  }
}

TEST_F(WebConsoleTest, ServesHashedAssetsForGood) {
  auto r = server_->call("GET", "/assets/console-1a2b3c.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(r.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(server_->call("HEAD", "/assets/console-1a2b3c.js").raw, "");
}

TEST_F(WebConsoleTest, RefusesEncodedTraversal) {
  EXPECT_EQ(server_->call("GET", "/%2e%2e/data/anju.toml").status, 400);
  EXPECT_EQ(server_->call("GET", "/assets/..%2f..%2fdata%2fanju.toml").status, 400);
}

TEST_F(WebConsoleTest, LeavesTheApiAndItsErrorsAsTheyWere) {
  auto unknown = server_->call("GET", "/api/v1/no-such-thing");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["error"]["code"], "not_found");
  EXPECT_EQ(server_->call("GET", "/api").body["error"]["code"], "not_found");
  EXPECT_EQ(server_->call("GET", "/healthz").body["status"], "ok");
  EXPECT_EQ(server_->call("GET", "/api/v1/auth/me").status, 401);
  // Only page views go to the console: a POST to a page path is the API's to refuse.
  EXPECT_EQ(server_->call("POST", "/cases/12").body["error"]["code"], "not_found");
}

}  // namespace
}  // namespace anju::testing
