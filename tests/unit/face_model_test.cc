// The face model: photos are checked from their header before decoding, and an ONNX model run
// through OpenCV's DNN gives the embedding computed by hand for the test model.
#include "faces/face_model.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "faces/photo.h"
#include "support/block_photos.h"
#include "support/onnx_model.h"

namespace anju::faces {
namespace {

using testing::blockPhoto;
using testing::encoded;
using testing::PooledLinearModel;

class FaceModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("anju-face-model-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

float dot(const std::vector<float>& a, const std::vector<float>& b) {
  float s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

TEST_F(FaceModelTest, APhotoGivesTheEmbeddingTheModelDefines) {
  PooledLinearModel reference(112, 128);
  reference.write(path("model.onnx"));
  auto model = FaceModel::load({.path = path("model.onnx")});
  ASSERT_TRUE(model) << model.status().message();
  EXPECT_EQ((*model)->dim(), 128);

  auto photo = blockPhoto(1);
  auto embedding = (*model)->embed(encoded(photo.image, ".png"));
  ASSERT_TRUE(embedding) << embedding.status().message();
  const auto expected = reference.embed(photo.features);
  EXPECT_GT(dot(*embedding, expected), 0.9999f);

  // A JPEG of the same face, and a larger photo of it, still read as the same face; another face
  // does not.
  auto jpeg = (*model)->embed(encoded(photo.image, ".jpg", 85));
  ASSERT_TRUE(jpeg) << jpeg.status().message();
  EXPECT_GT(dot(*jpeg, expected), 0.99f);
  auto large = blockPhoto(1, 448);
  auto scaled = (*model)->embed(encoded(large.image, ".png"));
  ASSERT_TRUE(scaled) << scaled.status().message();
  EXPECT_GT(dot(*scaled, expected), 0.99f);
  auto other = (*model)->embed(encoded(blockPhoto(2).image, ".png"));
  ASSERT_TRUE(other);
  EXPECT_LT(dot(*other, expected), 0.9f);
}

TEST_F(FaceModelTest, TheChannelOrderIsTheOneConfigured) {
  PooledLinearModel reference(112, 512);
  reference.write(path("model.onnx"));
  auto bgr = FaceModel::load({.path = path("model.onnx"), .rgb = false});
  ASSERT_TRUE(bgr) << bgr.status().message();
  EXPECT_EQ((*bgr)->dim(), 512);
  auto photo = blockPhoto(3);
  // What a BGR model sees: the same blocks with red and blue swapped.
  std::vector<float> swapped = photo.features;
  std::swap_ranges(swapped.begin(), swapped.begin() + 16, swapped.begin() + 32);
  auto embedding = (*bgr)->embed(encoded(photo.image, ".png"));
  ASSERT_TRUE(embedding) << embedding.status().message();
  EXPECT_GT(dot(*embedding, reference.embed(swapped)), 0.9999f);
}

TEST_F(FaceModelTest, AModelThatCannotServeIsRefusedNamingTheSetting) {
  auto missing = FaceModel::load({.path = path("none.onnx")});
  EXPECT_EQ(missing.status().field(), "faces.model");
  std::ofstream(path("garbage.onnx")) << "this is not a model";
  auto garbage = FaceModel::load({.path = path("garbage.onnx")});
  EXPECT_EQ(garbage.status().field(), "faces.model");
  PooledLinearModel odd(112, 100);  // neither 128 nor 512 numbers
  odd.write(path("odd.onnx"));
  auto wrong_length = FaceModel::load({.path = path("odd.onnx")});
  EXPECT_EQ(wrong_length.status().field(), "faces.model");
  EXPECT_NE(wrong_length.status().message().find("100"), std::string::npos);
}

TEST_F(FaceModelTest, WhatIsNotAPhotoIsRefusedNamingPhoto) {
  PooledLinearModel reference(112, 128);
  reference.write(path("model.onnx"));
  auto model = FaceModel::load({.path = path("model.onnx")});
  ASSERT_TRUE(model);
  const std::string jpeg = encoded(blockPhoto(4).image, ".jpg");
  for (const std::string& bad :
       {std::string("GIF89a........"), std::string("plain text"), std::string(),
        jpeg.substr(0, jpeg.size() / 2), std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10)}) {
    auto r = (*model)->embed(bad);
    EXPECT_FALSE(r);
    EXPECT_EQ(r.status().field(), "photo");
  }
}

TEST(PhotoTest, SizesAreReadFromTheHeaderAndHugeOnesRefused) {
  auto png = inspectPhoto(encoded(blockPhoto(5, 200).image, ".png"));
  ASSERT_TRUE(png) << png.status().message();
  EXPECT_EQ(png->format, "png");
  EXPECT_EQ(png->width, 200);
  EXPECT_EQ(png->height, 200);
  cv::Mat wide(30, 70, CV_8UC3, cv::Scalar(1, 2, 3));
  auto jpeg = inspectPhoto(encoded(wide, ".jpg"));
  ASSERT_TRUE(jpeg) << jpeg.status().message();
  EXPECT_EQ(jpeg->format, "jpeg");
  EXPECT_EQ(jpeg->width, 70);
  EXPECT_EQ(jpeg->height, 30);

  // A few bytes can declare 100,000 x 100,000 pixels: refused before anything is decoded.
  std::string bomb = encoded(blockPhoto(6, 16).image, ".png");
  for (int at : {16, 20}) {
    bomb[at] = 0;
    bomb[at + 1] = 0x01;
    bomb[at + 2] = static_cast<char>(0x86);
    bomb[at + 3] = static_cast<char>(0xA0);
  }
  auto huge = inspectPhoto(bomb);
  EXPECT_FALSE(huge);
  EXPECT_EQ(huge.status().field(), "photo");
  EXPECT_NE(huge.status().message().find("100000"), std::string::npos);
}

}  // namespace
}  // namespace anju::faces
