// A small face model written as an ONNX file for the tests, so that search by photo runs through
// OpenCV's DNN as it does with an operator's model, and the test can compute by hand what the
// model must give: average pooling to a 4x4 grid of colours, then one fully connected layer.
//
// ONNX is a protocol buffer; the few messages used here are written field by field
// (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace anju::testing {

class ProtoWriter {
 public:
  void varint(int field, uint64_t v) {
    key(field, 0);
    raw(v);
  }
  void bytes(int field, const std::string& b) {
    key(field, 2);
    raw(b.size());
    out_ += b;
  }
  void message(int field, const ProtoWriter& m) { bytes(field, m.out_); }
  const std::string& str() const { return out_; }

 private:
  void key(int field, int wire) { raw(static_cast<uint64_t>(field) << 3 | wire); }
  void raw(uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>(v | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  std::string out_;
};

// The test model: input "image" [1, 3, size, size] (RGB, already normalised by the caller),
// output "embedding" [1, dim] = weights · (4x4 block means, channel-major) + bias.
struct PooledLinearModel {
  static constexpr int kGrid = 4;
  static constexpr int kFeatures = 3 * kGrid * kGrid;
  int size = 112;
  int dim = 128;
  std::vector<float> weights;  // dim rows of kFeatures
  std::vector<float> bias;     // dim

  explicit PooledLinearModel(int input_size, int out_dim, uint32_t seed = 7)
      : size(input_size), dim(out_dim) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    weights.resize(static_cast<std::size_t>(dim) * kFeatures);
    for (auto& w : weights) w = normal(rng);
    bias.resize(static_cast<std::size_t>(dim));
    for (auto& b : bias) b = 0.1f * normal(rng);
  }

  // What the model gives for the features, normalised as the index keeps embeddings.
  std::vector<float> embed(const std::vector<float>& features) const {
    std::vector<float> out(static_cast<std::size_t>(dim));
    double norm = 0;
    for (int r = 0; r < dim; ++r) {
      double sum = bias[r];
      for (int c = 0; c < kFeatures; ++c) sum += weights[r * kFeatures + c] * features[c];
      out[r] = static_cast<float>(sum);
      norm += sum * sum;
    }
    for (auto& v : out) v = static_cast<float>(v / std::sqrt(norm));
    return out;
  }

  std::string onnx() const {
    auto ints = [](ProtoWriter& attr, const std::string& name, std::vector<int64_t> values) {
      attr.bytes(1, name);
      for (int64_t v : values) attr.varint(8, static_cast<uint64_t>(v));
      attr.varint(20, 7);  // INTS
    };
    auto one = [](ProtoWriter& attr, const std::string& name, int64_t value) {
      attr.bytes(1, name);
      attr.varint(3, static_cast<uint64_t>(value));
      attr.varint(20, 2);  // INT
    };
    auto node = [](const std::string& op, std::vector<std::string> in, const std::string& out,
                   std::vector<ProtoWriter> attrs) {
      ProtoWriter n;
      for (const auto& i : in) n.bytes(1, i);
      n.bytes(2, out);
      n.bytes(3, op + "_" + out);
      n.bytes(4, op);
      for (const auto& a : attrs) n.message(5, a);
      return n;
    };
    auto tensor = [](const std::string& name, std::vector<int64_t> dims,
                     const std::vector<float>& values) {
      ProtoWriter t;
      for (int64_t d : dims) t.varint(1, static_cast<uint64_t>(d));
      t.varint(2, 1);  // FLOAT
      t.bytes(8, name);
      std::string raw(values.size() * sizeof(float), '\0');
      std::memcpy(raw.data(), values.data(), raw.size());
      t.bytes(9, raw);
      return t;
    };
    auto value = [](const std::string& name, std::vector<int64_t> dims) {
      ProtoWriter shape;
      for (int64_t d : dims) {
        ProtoWriter dim;
        dim.varint(1, static_cast<uint64_t>(d));
        shape.message(1, dim);
      }
      ProtoWriter tensor_type;
      tensor_type.varint(1, 1);  // FLOAT
      tensor_type.message(2, shape);
      ProtoWriter type;
      type.message(1, tensor_type);
      ProtoWriter v;
      v.bytes(1, name);
      v.message(2, type);
      return v;
    };

    const int block = size / kGrid;
    ProtoWriter kernel, strides, axis, trans_b;
    ints(kernel, "kernel_shape", {block, block});
    ints(strides, "strides", {block, block});
    one(axis, "axis", 1);
    one(trans_b, "transB", 1);
    ProtoWriter graph;
    graph.message(1, node("AveragePool", {"image"}, "pooled", {kernel, strides}));
    graph.message(1, node("Flatten", {"pooled"}, "features", {axis}));
    graph.message(1, node("Gemm", {"features", "weights", "bias"}, "embedding", {trans_b}));
    graph.bytes(2, "pooled_linear");
    graph.message(5, tensor("weights", {dim, kFeatures}, weights));
    graph.message(5, tensor("bias", {dim}, bias));
    graph.message(11, value("image", {1, 3, size, size}));
    graph.message(12, value("embedding", {1, dim}));
    ProtoWriter opset;
    opset.bytes(1, "");
    opset.varint(2, 11);
    ProtoWriter model;
    model.varint(1, 7);  // IR version
    model.bytes(2, "anju-tests");
    model.message(7, graph);
    model.message(8, opset);
    return model.str();
  }

  void write(const std::string& path) const { std::ofstream(path, std::ios::binary) << onnx(); }
};

}  // namespace anju::testing
