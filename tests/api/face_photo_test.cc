// Search by photo through the real server with a face model configured: a photo is turned into
// an embedding by the model and finds the captures the cameras sent for that face, best first,
// and bad photos are refused naming `photo` without harming the server.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "anju_server.h"
#include "common/crypto.h"
#include "support/block_photos.h"
#include "support/onnx_model.h"

namespace anju::testing {
namespace {

using nlohmann::json;

class FacePhotoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto::initialize();
    dir_ = std::filesystem::temp_directory_path() / ("anju-face-photo-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    model_ = new PooledLinearModel(112, 128);
    model_->write((dir_ / "face.onnx").string());
    std::ofstream(dir_ / "anju.toml")
        << "[faces]\nmodel = \"" << (dir_ / "face.onnx").string() << "\"\n";
    server_ = new AnjuServer(dir_.string());
    token_ = server_->adminToken();
    auto region = post("/api/v1/regions", {{"name", "东街道"}, {"level", "street"}});
    auto estate = post("/api/v1/estates", {{"name", "和平里"}, {"region_id", region["id"]}});
    std::string secret = post("/api/v1/devices", {{"id", "face-gate"},
                                                  {"name", "东门人脸抓拍"},
                                                  {"kind", "face_camera"},
                                                  {"estate_id", estate["id"]}})["secret"];
    // Each face is captured once, with the embedding the model gives for its photo.
    std::string batch;
    for (uint32_t face = 1; face <= 30; ++face) {
      batch += json{{"event_id", "capture-" + std::to_string(face)},
                    {"ts", "2026-11-20T08:" + std::to_string(10 + face) + ":00+08:00"},
                    {"kind", "face_capture"},
                    {"embedding", model_->embed(blockPhoto(face).features)}}
                   .dump() +
               "\n";
    }
    auto sent = server_->request("POST", "/api/v1/events",
                                 {{"X-Anju-Device", "face-gate"},
                                  {"X-Anju-Signature", crypto::hmacSha256Hex(secret, batch)}},
                                 batch, "application/x-ndjson");
    ASSERT_EQ(sent.status, 200) << sent.raw;
    for (int i = 0; i < 600; ++i) {
      auto index = server_->call("GET", "/api/v1/faces/index", token_);
      if (index.body["indexed"].get<int>() >= 30 && !index.body["rebuilding"].get<bool>()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the captures were never indexed";
  }
  static void TearDownTestSuite() {
    delete server_;
    delete model_;
    std::filesystem::remove_all(dir_);
  }
  static json post(const std::string& path, const json& body) {
    auto r = server_->call("POST", path, token_, body);
    EXPECT_EQ(r.status, 201) << path << ": " << r.raw;
    return r.body;
  }
  static ApiResponse searchPhoto(const std::string& photo_field) {
    return server_->call("POST", "/api/v1/faces/search", token_,
                         json{{"photo", photo_field}, {"k", 3}, {"purpose", "核查走失老人"}});
  }

  static std::filesystem::path dir_;
  static PooledLinearModel* model_;
  static AnjuServer* server_;
  static std::string token_;
};
std::filesystem::path FacePhotoTest::dir_;
PooledLinearModel* FacePhotoTest::model_ = nullptr;
AnjuServer* FacePhotoTest::server_ = nullptr;
std::string FacePhotoTest::token_;

TEST_F(FacePhotoTest, APhotoFindsTheCaptureOfThatFaceFirst) {
  for (uint32_t face : {4u, 17u}) {
    auto r = searchPhoto(crypto::base64Encode(encoded(blockPhoto(face).image, ".png")));
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_FALSE(r.body["items"].empty()) << r.raw;
    EXPECT_EQ(r.body["items"][0]["event_id"], "capture-" + std::to_string(face));
    EXPECT_GT(r.body["items"][0]["similarity"].get<double>(), 0.99);
  }
  // A JPEG, as a browser's data URL: the same face, found first.
  auto jpeg = searchPhoto("data:image/jpeg;base64," +
                          crypto::base64Encode(encoded(blockPhoto(9).image, ".jpg", 85)));
  ASSERT_EQ(jpeg.status, 200) << jpeg.raw;
  ASSERT_FALSE(jpeg.body["items"].empty());
  EXPECT_EQ(jpeg.body["items"][0]["event_id"], "capture-9");
}

TEST_F(FacePhotoTest, TheAuditSaysTheSearchWasByPhoto) {
  auto r = searchPhoto(crypto::base64Encode(encoded(blockPhoto(5).image, ".png")));
  ASSERT_EQ(r.status, 200) << r.raw;
  auto audit = server_->call("GET", "/api/v1/audit?action=face_search&limit=1", token_);
  ASSERT_EQ(audit.status, 200) << audit.raw;
  ASSERT_FALSE(audit.body["items"].empty()) << audit.raw;
  EXPECT_EQ(audit.body["items"][0]["purpose"], "核查走失老人");
  EXPECT_NE(audit.body["items"][0]["detail"].get<std::string>().find("by photo"),
            std::string::npos);
}

TEST_F(FacePhotoTest, BadPhotosAreRefusedNamingPhoto) {
  const std::string png = encoded(blockPhoto(6).image, ".png");
  std::string huge = png;  // declares 100,000 x 100,000 pixels
  for (int at : {16, 20}) huge.replace(at, 4, std::string("\x00\x01\x86\xA0", 4));
  const std::vector<json> bodies = {
      {{"photo", "not base64 at all!"}},
      {{"photo", crypto::base64Encode("GIF89a a gif is not taken")}},
      {{"photo", crypto::base64Encode(png.substr(0, png.size() / 3))}},
      {{"photo", crypto::base64Encode(huge)}},
      {{"photo", 42}},
      {{"photo", "data:image/png,rawbytes"}},
      {{"photo", crypto::base64Encode(png)}, {"embedding", std::vector<float>(128, 0.1f)}},
  };
  for (json body : bodies) {
    body["purpose"] = "核查";
    auto r = server_->call("POST", "/api/v1/faces/search", token_, body);
    EXPECT_EQ(r.status, 400) << body.dump().substr(0, 80) << ": " << r.raw;
    EXPECT_EQ(r.body["error"]["field"], "photo") << r.raw;
  }
  EXPECT_EQ(server_->call("GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace anju::testing
