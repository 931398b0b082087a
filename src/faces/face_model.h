// The operator's face model: an ONNX file, run with OpenCV's DNN module, that turns a photo of a
// face into the embedding a camera would have sent for it, so that an officer can search with a
// photo. Anju ships no model: which one is lawful and accurate for a city is the operator's call,
// and the embeddings it gives must come from the same model as the cameras' for a search to find
// anything.
//
// The photo is taken to be a face crop, as the cameras' own snapshots are: it is resized to the
// model's input, not searched for faces.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace anju::faces {

struct FaceModelOptions {
  std::string path;          // the .onnx file
  int input_size = 112;      // the square input the model takes, in pixels
  double mean = 127.5;       // subtracted from every channel value (0-255)...
  double scale = 1 / 127.5;  // ...then multiplied by this
  bool rgb = true;           // the channel order the model was trained with (false: BGR)
};

class FaceModel {
 public:
  // Reads the model and runs it once on a blank input to learn its embedding length, which must
  // be 128 or 512; kInvalid naming `faces.model` otherwise.
  static Result<std::unique_ptr<FaceModel>> load(const FaceModelOptions& options);
  ~FaceModel();
  FaceModel(const FaceModel&) = delete;
  FaceModel& operator=(const FaceModel&) = delete;

  int dim() const { return dim_; }
  // The photo's embedding, normalised; kInvalid naming `photo` for anything but a JPEG or PNG
  // image of a sensible size.
  Result<std::vector<float>> embed(std::string_view photo) const;

 private:
  struct Net;
  FaceModel(FaceModelOptions options, std::unique_ptr<Net> net);
  FaceModelOptions options_;
  std::unique_ptr<Net> net_;
  int dim_ = 0;
};

}  // namespace anju::faces
