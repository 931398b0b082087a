// Photos for the face model tests: a 4x4 grid of flat colours, so that the test model's average
// pooling gives exactly the block colours and the test can compute the embedding by hand.
#pragma once

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <string>
#include <vector>

#include "support/onnx_model.h"

namespace anju::testing {

struct BlockPhoto {
  cv::Mat image;                // BGR, as OpenCV keeps it
  std::vector<float> features;  // what the model sees: RGB channel-major block means, normalised
};

inline BlockPhoto blockPhoto(uint32_t seed, int size = 112, double mean = 127.5,
                             double scale = 1 / 127.5) {
  constexpr int kGrid = PooledLinearModel::kGrid;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> value(0, 255);
  BlockPhoto photo{cv::Mat(size, size, CV_8UC3), std::vector<float>(3 * kGrid * kGrid)};
  const int block = size / kGrid;
  for (int by = 0; by < kGrid; ++by) {
    for (int bx = 0; bx < kGrid; ++bx) {
      const int r = value(rng), g = value(rng), b = value(rng);
      photo.image(cv::Rect(bx * block, by * block, block, block)).setTo(cv::Scalar(b, g, r));
      const int at = by * kGrid + bx;
      int channel = 0;
      for (int v : {r, g, b}) {
        photo.features[channel++ * kGrid * kGrid + at] = static_cast<float>((v - mean) * scale);
      }
    }
  }
  return photo;
}

// The photo as the bytes of a file: ".png" (lossless) or ".jpg" at `quality`.
inline std::string encoded(const cv::Mat& image, const std::string& ext, int quality = 90) {
  std::vector<uchar> bytes;
  std::vector<int> params;
  if (ext == ".jpg") params = {cv::IMWRITE_JPEG_QUALITY, quality};
  cv::imencode(ext, image, bytes, params);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace anju::testing
