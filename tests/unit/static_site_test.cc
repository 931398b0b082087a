#include "web/static_site.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace anju::web {
namespace {

namespace fs = std::filesystem;

// A built site in a folder of its own: the console, the portal, one hashed asset, and a file
// outside the root that a request must never reach.
class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "anju-web-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    root_ = dir_ / "dist";
    fs::create_directories(root_ / "assets");
    fs::create_directories(root_ / "m");
    write(root_ / "index.html", "<title>console</title>");
    write(root_ / "m" / "index.html", "<title>portal</title>");
    write(root_ / "assets" / "index-3f2a9c.js", "console.log(1)");
    write(root_ / "assets" / "index-77b1e0.css", "body{}");
    write(root_ / "favicon.svg", "<svg/>");
    write(dir_ / "secret.txt", "the data folder");
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  static void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  static http::Request get(const std::string& path, const std::string& method = "GET") {
    http::Request request;
    request.method = method;
    request.target = path;
    request.path = path;
    return request;
  }
  static std::string header(const http::Response& response, const std::string& name) {
    for (const auto& [key, value] : response.headers)
      if (key == name) return value;
    return {};
  }

  fs::path dir_, root_;
};

TEST_F(StaticSiteTest, ServesTheConsoleAtTheRootWithoutCaching) {
  StaticSite site(root_);
  auto response = site.handle(get("/"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<title>console</title>");
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(header(response, "Cache-Control"), "no-cache");
  EXPECT_NE(header(response, "Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);
}

TEST_F(StaticSiteTest, AnswersClientSideRoutesWithTheConsolePage) {
  StaticSite site(root_);
  for (const char* path : {"/cases", "/cases/12", "/alerts/", "/dashboard"}) {
    auto response = site.handle(get(path));
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_EQ(response.body, "<title>console</title>") << path;
  }
}

TEST_F(StaticSiteTest, AnswersThePortalAndItsRoutesWithThePortalPage) {
  StaticSite site(root_);
  for (const char* path : {"/m", "/m/", "/m/passes", "/m/cases/4"}) {
    auto response = site.handle(get(path));
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_EQ(response.body, "<title>portal</title>") << path;
  }
  // A path that merely begins with the letter is the console's.
  EXPECT_EQ(site.handle(get("/maps")).body, "<title>console</title>");
}

TEST_F(StaticSiteTest, ServesHashedAssetsAsImmutableWithTheirTypes) {
  StaticSite site(root_);
  auto script = site.handle(get("/assets/index-3f2a9c.js"));
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.body, "console.log(1)");
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(header(script, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(script, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(site.handle(get("/assets/index-77b1e0.css")).content_type, "text/css; charset=utf-8");
  auto icon = site.handle(get("/favicon.svg"));
  EXPECT_EQ(icon.content_type, "image/svg+xml");
  EXPECT_EQ(header(icon, "Cache-Control"), "no-cache");
}

TEST_F(StaticSiteTest, AnswersAMissingAssetWithNotFoundRatherThanAPage) {
  StaticSite site(root_);
  auto response = site.handle(get("/assets/index-000000.js"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "text/plain; charset=utf-8");
}

TEST_F(StaticSiteTest, RefusesPathsThatClimbOutOfTheRoot) {
  StaticSite site(root_);
  // The http layer decodes once, so %2e%2e arrives as ".."; a second encoding keeps a '%'.
  for (const char* path :
       {"/../secret.txt", "/assets/../../secret.txt", "/m/..", "/./index.html",
        "/%2e%2e/secret.txt", "/assets/%252e%252e/x", "/..\\secret.txt", "relative"}) {
    auto response = site.handle(get(path));
    EXPECT_EQ(response.status, 400) << path;
    EXPECT_EQ(response.body.find("the data folder"), std::string::npos) << path;
  }
  std::string with_nul("/index.html\0.js", 15);
  EXPECT_EQ(site.handle(get(with_nul)).status, 400);
}

TEST_F(StaticSiteTest, DoesNotFollowASymlinkOutOfTheRoot) {
  fs::create_symlink(dir_ / "secret.txt", root_ / "assets" / "leak.js");
  fs::create_symlink(dir_, root_ / "up");
  StaticSite site(root_);
  EXPECT_EQ(site.handle(get("/assets/leak.js")).status, 404);
  auto through_folder = site.handle(get("/up/secret.txt"));
  EXPECT_EQ(through_folder.body, "<title>console</title>");
}

TEST_F(StaticSiteTest, FollowsASymlinkThatStaysInsideTheRoot) {
  fs::create_symlink(root_ / "assets" / "index-3f2a9c.js", root_ / "assets" / "latest.js");
  StaticSite site(root_);
  EXPECT_EQ(site.handle(get("/assets/latest.js")).body, "console.log(1)");
}

TEST_F(StaticSiteTest, ExplainsHowToBuildWhenTheConsoleIsMissing) {
  StaticSite site(dir_ / "not-built");
  auto response = site.handle(get("/"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
  EXPECT_NE(response.body.find("尚未构建"), std::string::npos);
  EXPECT_NE(response.body.find("has not been built"), std::string::npos);
  EXPECT_NE(response.body.find("scripts/build-web.sh"), std::string::npos);
  EXPECT_EQ(site.handle(get("/m")).body, response.body);
}

TEST_F(StaticSiteTest, WantsOnlyPageViewsOutsideTheApi) {
  EXPECT_TRUE(StaticSite::wants(get("/")));
  EXPECT_TRUE(StaticSite::wants(get("/m/passes", "HEAD")));
  EXPECT_FALSE(StaticSite::wants(get("/", "POST")));
  EXPECT_FALSE(StaticSite::wants(get("/api")));
  EXPECT_FALSE(StaticSite::wants(get("/api/v1/nothing")));
  EXPECT_TRUE(StaticSite::wants(get("/apiary")));
}

}  // namespace
}  // namespace anju::web
