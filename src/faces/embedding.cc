#include "faces/embedding.h"

#include <cmath>
#include <cstring>
#include <string>

#include "common/crypto.h"

namespace anju::faces {

Status normalize(std::vector<float>& v, std::string_view field) {
  const std::string name(field);
  if (v.size() != kSmallDim && v.size() != kLargeDim) {
    return Status::invalid(name, "人脸特征应为 128 或 512 个数 (" + name +
                                     " must have 128 or 512 numbers, got " +
                                     std::to_string(v.size()) + ")");
  }
  double sum = 0;
  for (float x : v) {
    if (!std::isfinite(x)) {
      return Status::invalid(name,
                             "人脸特征含非有限数 (" + name + " must hold finite numbers only)");
    }
    sum += double{x} * x;
  }
  if (!(sum > 0)) {
    return Status::invalid(name, "人脸特征不能为零向量 (" + name + " must not be all zeros)");
  }
  const float scale = static_cast<float>(1.0 / std::sqrt(sum));
  for (float& x : v) x *= scale;
  return {};
}

Result<std::vector<float>> decodeEmbedding(std::string_view base64, std::string_view field) {
  auto bytes = crypto::base64Decode(base64);
  if (!bytes || bytes->size() % sizeof(float) != 0) {
    return Status::invalid(std::string(field), "人脸特征编码无效 (" + std::string(field) +
                                                   " is not base64 of float32 values)");
  }
  std::vector<float> v(bytes->size() / sizeof(float));
  // Little-endian on the wire, as on every machine Anju runs on.
  std::memcpy(v.data(), bytes->data(), bytes->size());
  ANJU_RETURN_IF_ERROR(normalize(v, field));
  return v;
}

}  // namespace anju::faces
