#include "faces/face_model.h"

#include <filesystem>
#include <mutex>
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>

#include "faces/embedding.h"
#include "faces/photo.h"

namespace anju::faces {

// A network is not safe to run from two threads at once: searches take turns.
struct FaceModel::Net {
  std::mutex mutex;
  cv::dnn::Net net;
};

namespace {

Result<std::vector<float>> run(cv::dnn::Net& net, const cv::Mat& image,
                               const FaceModelOptions& options) {
  try {
    const cv::Mat blob = cv::dnn::blobFromImage(
        image, options.scale, cv::Size(options.input_size, options.input_size),
        cv::Scalar::all(options.mean), options.rgb, false, CV_32F);
    net.setInput(blob);
    const cv::Mat out = net.forward();
    const auto* data = reinterpret_cast<const float*>(out.data);
    return std::vector<float>(data, data + out.total());
  } catch (const cv::Exception& e) {
    return Status::internal(std::string("face model failed: ") + e.what());
  }
}

}  // namespace

FaceModel::FaceModel(FaceModelOptions options, std::unique_ptr<Net> net)
    : options_(std::move(options)), net_(std::move(net)) {}

FaceModel::~FaceModel() = default;

Result<std::unique_ptr<FaceModel>> FaceModel::load(const FaceModelOptions& options) {
  auto refused = [&](const std::string& why) {
    return Status::invalid("faces.model", "人脸模型无法使用 (the face model " + options.path +
                                              " cannot be used: " + why + ")");
  };
  if (options.input_size < 16 || options.input_size > 1024)
    return refused("model_input_size must be 16 to 1024");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(options.path, ec)) return refused("no such file");
  auto net = std::make_unique<Net>();
  try {
    net->net = cv::dnn::readNetFromONNX(options.path);
  } catch (const cv::Exception& e) {
    return refused(e.what());
  }
  if (net->net.empty()) return refused("not an ONNX model");
  net->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  net->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  const cv::Mat blank(options.input_size, options.input_size, CV_8UC3, cv::Scalar::all(128));
  auto probe = run(net->net, blank, options);
  if (!probe) return refused(probe.status().message());
  const auto dim = static_cast<int>(probe->size());
  if (dim != kSmallDim && dim != kLargeDim)
    return refused("it gives " + std::to_string(dim) + " numbers, not 128 or 512");
  std::unique_ptr<FaceModel> model(new FaceModel(options, std::move(net)));
  model->dim_ = dim;
  return model;
}

Result<std::vector<float>> FaceModel::embed(std::string_view photo) const {
  ANJU_RETURN_IF_ERROR(inspectPhoto(photo).status());
  const cv::Mat bytes(1, static_cast<int>(photo.size()), CV_8UC1, const_cast<char*>(photo.data()));
  cv::Mat image;
  try {
    image = cv::imdecode(bytes, cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    image.release();
  }
  if (image.empty()) {
    return Status::invalid("photo",
                           "照片无法解码 (the photo could not be decoded: is the image "
                           "complete?)");
  }
  Result<std::vector<float>> embedding = Status::internal("face model not run");
  {
    std::lock_guard lock(net_->mutex);
    embedding = run(net_->net, image, options_);
  }
  if (!embedding) return embedding.status();
  Status normalised = normalize(*embedding, "photo");
  if (!normalised) {
    return Status::invalid("photo",
                           "无法从照片得到人脸特征 (the face model gave no usable embedding for "
                           "this photo)");
  }
  return embedding;
}

}  // namespace anju::faces
